--- certgate.lua: starts `certgate lsp` for Terraform, Bicep and ARM JSON buffers in Neovim.
---
--- Put this file on 'runtimepath' as lua/certgate.lua (or copy it into your config), then:
---
---   require('certgate').setup()
---   require('certgate').setup({ cmd = { '/path/to/certgate', 'lsp' }, root_markers = { 'certgate.toml' } })
---
--- Neovim 0.8+ uses `vim.lsp.start`, which reuses one server per root directory. Neovim 0.7
--- has no `vim.lsp.start`: there the module starts one client per root with
--- `vim.lsp.start_client` and attaches buffers with `vim.lsp.buf_attach_client`.

local M = {}

--- The settings `setup` starts from; each key can be overridden.
M.defaults = {
  -- The server command: the binary and its arguments.
  cmd = { 'certgate', 'lsp' },
  -- Buffers of these file types get the server. `.tf.json`, `.tfvars.json` and ARM templates
  -- are `json`. Current Neovim calls `.bicepparam` `bicep` (0.7 detects nothing, so `setup`
  -- sets `bicep`); some plugins call it `bicep-params`.
  filetypes = { 'terraform', 'terraform-vars', 'json', 'jsonc', 'bicep', 'bicep-params' },
  -- The root directory is the nearest directory holding one of these, else the file's own
  -- directory. certgate itself finds the nearest certgate.toml per file; the root only decides
  -- which buffers share one server process.
  root_markers = { 'certgate.toml', '.git' },
  -- Passed through to the client when set.
  on_attach = nil,
  capabilities = nil,
}

M.config = vim.deepcopy(M.defaults)

-- Client ids per root directory, for Neovim 0.7 (0.8+ reuses clients itself).
local clients_by_root = {}

local uv = vim.uv or vim.loop

local function is_dir(path)
  local stat = uv.fs_stat(path)
  return stat ~= nil and stat.type == 'directory'
end

local function exists(path)
  return uv.fs_stat(path) ~= nil
end

--- The directory above `path`, or nil at the top of the file system.
local function parent(path)
  local up = vim.fn.fnamemodify(path, ':h')
  if up == path then
    return nil
  end
  return up
end

--- The root directory for the file `path`: the nearest directory (from the file's own
--- directory upwards) holding one of the root markers, else the file's directory.
function M.root_dir(path)
  local start = vim.fn.fnamemodify(path, ':p:h')
  local dir = start
  while dir do
    for _, marker in ipairs(M.config.root_markers) do
      if exists(dir .. '/' .. marker) then
        return dir
      end
    end
    dir = parent(dir)
  end
  return start
end

--- The client settings for a buffer whose file lives under `root`.
local function client_config(root)
  return {
    name = 'certgate',
    cmd = M.config.cmd,
    root_dir = root,
    on_attach = M.config.on_attach,
    capabilities = M.config.capabilities,
  }
end

--- Neovim 0.7: the running client for `root`, started when there is none.
local function client_for_root(root)
  local id = clients_by_root[root]
  if id then
    local client = vim.lsp.get_client_by_id(id)
    if client and not client.is_stopped() then
      return id
    end
  end
  id = vim.lsp.start_client(client_config(root))
  clients_by_root[root] = id
  return id
end

--- Starts (or reuses) the server for buffer `bufnr` and attaches it. Buffers without a file
--- on disk in a real directory (scratch buffers, `term://`, untitled) are skipped: the server
--- reads the rest of a file's unit from its directory.
function M.attach(bufnr)
  if bufnr == nil or bufnr == 0 then
    bufnr = vim.api.nvim_get_current_buf()
  end
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' or name:match('^%a[%w+.-]*://') or vim.bo[bufnr].buftype ~= '' then
    return nil
  end
  local root = M.root_dir(name)
  if not is_dir(root) then
    return nil
  end
  if vim.lsp.start then
    local id
    -- `vim.lsp.start` attaches the current buffer (its `bufnr` option is 0.9+).
    vim.api.nvim_buf_call(bufnr, function()
      id = vim.lsp.start(client_config(root))
    end)
    return id
  end
  local id = client_for_root(root)
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

--- Sets the module up: `opts` overrides `M.defaults` key by key (a list replaces the whole
--- list). Buffers opened from now on, and matching buffers already loaded, get the server.
function M.setup(opts)
  M.config = vim.tbl_extend('force', vim.deepcopy(M.defaults), opts or {})
  local group = vim.api.nvim_create_augroup('certgate', { clear = true })
  -- Older Neovim (0.7) does not know `.bicepparam`; current versions call it `bicep`.
  vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
    group = group,
    pattern = '*.bicepparam',
    callback = function(args)
      if vim.bo[args.buf].filetype == '' then
        vim.bo[args.buf].filetype = 'bicep'
      end
    end,
  })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = M.config.filetypes,
    callback = function(args)
      M.attach(args.buf)
    end,
  })
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(M.config.filetypes, vim.bo[bufnr].filetype) then
      M.attach(bufnr)
    end
  end
end

return M
