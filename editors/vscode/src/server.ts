//! What the extension starts and for which documents: the `certgate lsp` command built from the
//! settings, and the document selector. No `vscode` import, so the tests run it under plain Node.

import * as os from 'node:os';
import * as path from 'node:path';

/** The extension's settings, as read from `certgate.*` (unset and blank mean the default). */
export interface Settings {
  /** `certgate.path`: the binary; a bare name is looked up on PATH. */
  path?: string;
  /** `certgate.config`: a certgate.toml for every document, passed as `--config`. */
  config?: string;
}

/** Where relative paths and `~` in the settings lead. */
export interface Context {
  /** The first workspace folder, if a folder is open. */
  workspaceFolder?: string;
  /** The user's home directory (defaults to `os.homedir()`). */
  home?: string;
}

/**
 * How to start the server: the shape of vscode-languageclient's `Executable` without a
 * `transport`, which makes the client spawn `command args` with plain stdio (with
 * `TransportKind.stdio` it would append `--stdio`, which `certgate lsp` does not take).
 */
export interface ServerCommand {
  command: string;
  args: string[];
  options: { cwd?: string };
}

/** The binary run when `certgate.path` is unset or blank. */
export const DEFAULT_BINARY = 'certgate';

/**
 * The command that starts `certgate lsp`. The binary and the config path are passed as single
 * arguments, never through a shell, so spaces and quotes in them need no escaping.
 */
export function serverCommand(settings: Settings, context: Context = {}): ServerCommand {
  const binary = settings.path?.trim() || DEFAULT_BINARY;
  // A bare name (`certgate`, `certgate.exe`) is for PATH to find; anything with a directory
  // in it is a file path.
  const command = hasDirectory(binary) ? resolvePath(binary, context) : binary;
  const args = ['lsp'];
  const config = settings.config?.trim();
  if (config) {
    args.push('--config', resolvePath(config, context));
  }
  const options = context.workspaceFolder ? { cwd: context.workspaceFolder } : {};
  return { command, args, options };
}

/**
 * Expands `${workspaceFolder}` and a leading `~`, then makes a relative path absolute from the
 * workspace folder (the server's own working directory is not something the user chose).
 */
export function resolvePath(value: string, context: Context = {}): string {
  let expanded = value;
  if (context.workspaceFolder !== undefined) {
    expanded = expanded.split('${workspaceFolder}').join(context.workspaceFolder);
  }
  if (expanded === '~' || expanded.startsWith('~/') || expanded.startsWith('~\\')) {
    expanded = path.join(context.home ?? os.homedir(), expanded.slice(1));
  }
  if (path.isAbsolute(expanded) || context.workspaceFolder === undefined) {
    return expanded;
  }
  return path.resolve(context.workspaceFolder, expanded);
}

function hasDirectory(binary: string): boolean {
  return binary.includes('/') || binary.includes('\\') || binary.startsWith('~');
}

/** A document filter as VS Code and the LSP define it. */
export interface DocumentFilter {
  scheme: string;
  language?: string;
  pattern?: string;
}

/**
 * The documents handed to the server. Only `file` documents: the server needs the document's
 * directory to read the rest of its unit, and ignores untitled buffers. Terraform and Bicep
 * files match by name too, so they are linted without the HashiCorp or Bicep extension (which
 * give them their language ids). JSON matches by language *and* name: every `.json` document is
 * sent, and the server decides which are ARM templates and parameter files, skipping any other
 * JSON silently. `.tf.json` and `.tfvars.json` are JSON documents too.
 */
export const DOCUMENT_SELECTOR: readonly DocumentFilter[] = [
  { scheme: 'file', language: 'terraform' },
  { scheme: 'file', language: 'terraform-vars' },
  { scheme: 'file', pattern: '**/*.{tf,tfvars}' },
  { scheme: 'file', language: 'bicep' },
  { scheme: 'file', language: 'bicep-params' },
  { scheme: 'file', pattern: '**/*.{bicep,bicepparam}' },
  { scheme: 'file', language: 'json', pattern: '**/*.json' },
  { scheme: 'file', language: 'jsonc', pattern: '**/*.json' },
];

/** The settings whose change means the server must be restarted to apply them. */
export const RESTART_SETTINGS: readonly string[] = ['certgate.path', 'certgate.config'];
