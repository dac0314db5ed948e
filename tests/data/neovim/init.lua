-- The init file of tests/editor_neovim.rs: loads editors/neovim/certgate.lua as a user would
-- (`require('certgate').setup`), with the server command set to the binary under test. After
-- the files given on the command line are loaded it waits for the expected ones to get
-- certgate's diagnostics, writes what Neovim holds as JSON and quits.
--
-- Environment: CERTGATE_TEST_MODULE_DIR (editors/neovim), CERTGATE_TEST_BIN (the certgate
-- binary), CERTGATE_TEST_OUT (the JSON file to write), CERTGATE_TEST_EXPECT (the files, as
-- given on the command line and separated by commas, that must get diagnostics before the
-- wait ends) and CERTGATE_TEST_WAIT_MS (the longest wait).

local out = os.getenv('CERTGATE_TEST_OUT')

local function write_result(result)
  local file = assert(io.open(out, 'w'))
  file:write(vim.fn.json_encode(result))
  file:close()
end

package.path = os.getenv('CERTGATE_TEST_MODULE_DIR') .. '/?.lua;' .. package.path
require('certgate').setup({ cmd = { os.getenv('CERTGATE_TEST_BIN'), 'lsp' } })

--- The buffers of the files that must get diagnostics.
local function expected_buffers()
  local buffers = {}
  for name in string.gmatch(os.getenv('CERTGATE_TEST_EXPECT') or '', '[^,]+') do
    table.insert(buffers, vim.fn.bufnr(name))
  end
  return buffers
end

--- The buffers of the files named on the command line.
local function file_buffers()
  local buffers = {}
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_get_name(bufnr) ~= '' then
      table.insert(buffers, bufnr)
    end
  end
  return buffers
end

local function certgate_diagnostics(bufnr)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == 'certgate' then
      table.insert(found, d)
    end
  end
  return found
end

local function collect(waited)
  local get_clients = vim.lsp.get_clients or vim.lsp.get_active_clients
  local clients = {}
  for _, client in ipairs(get_clients()) do
    table.insert(clients, { name = client.name, root_dir = client.config.root_dir })
  end
  local files = {}
  for _, bufnr in ipairs(file_buffers()) do
    local diagnostics = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      table.insert(diagnostics, {
        lnum = d.lnum,
        col = d.col,
        code = d.code,
        source = d.source,
        message = d.message,
        severity = d.severity,
      })
    end
    local attached = {}
    -- `buf_get_clients` is deprecated since 0.10, where `get_clients` takes a filter.
    local buffer_clients = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr })
      or vim.lsp.buf_get_clients(bufnr)
    for _, client in pairs(buffer_clients) do
      table.insert(attached, client.name)
    end
    table.insert(files, {
      path = vim.api.nvim_buf_get_name(bufnr),
      filetype = vim.bo[bufnr].filetype,
      attached = attached,
      diagnostics = diagnostics,
    })
  end
  local version = vim.version()
  return {
    nvim = string.format('%d.%d.%d', version.major, version.minor, version.patch),
    api = vim.lsp.start and 'vim.lsp.start' or 'vim.lsp.start_client',
    waited = waited,
    clients = clients,
    files = files,
  }
end

vim.api.nvim_create_autocmd('VimEnter', {
  callback = function()
    local ok, err = pcall(function()
      local wait_ms = tonumber(os.getenv('CERTGATE_TEST_WAIT_MS') or '20000')
      local waited = vim.wait(wait_ms, function()
        for _, bufnr in ipairs(expected_buffers()) do
          if bufnr < 1 or #certgate_diagnostics(bufnr) == 0 then
            return false
          end
        end
        return true
      end, 20)
      write_result(collect(waited))
    end)
    if not ok then
      write_result({ error = tostring(err) })
      vim.cmd('cquit 3')
    end
    vim.cmd('qall!')
  end,
})
