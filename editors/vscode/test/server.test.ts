//! Unit tests of the command builder and the document selector (src/server.ts), under Node.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import { minimatch } from 'minimatch';

import { DOCUMENT_SELECTOR, DocumentFilter, resolvePath, serverCommand } from '../src/server';

const FOLDER = path.resolve('/work spaces/My Project');
const HOME = path.resolve('/home/some one');

describe('serverCommand', () => {
  it('runs `certgate lsp` from PATH by default', () => {
    assert.deepEqual(serverCommand({}), { command: 'certgate', args: ['lsp'], options: {} });
  });

  it('treats blank settings as unset', () => {
    assert.deepEqual(serverCommand({ path: '  ', config: '' }), {
      command: 'certgate',
      args: ['lsp'],
      options: {},
    });
  });

  it('passes a binary path with spaces as one unquoted argument', () => {
    const binary = path.resolve('/opt/My Tools/certgate');
    const command = serverCommand({ path: binary }, { workspaceFolder: FOLDER });
    assert.equal(command.command, binary);
    assert.deepEqual(command.args, ['lsp']);
    assert.deepEqual(command.options, { cwd: FOLDER });
  });

  it('leaves a bare binary name to PATH even with a workspace folder', () => {
    const command = serverCommand({ path: 'certgate-nightly' }, { workspaceFolder: FOLDER });
    assert.equal(command.command, 'certgate-nightly');
  });

  it('resolves a relative binary path from the workspace folder', () => {
    const command = serverCommand({ path: './bin/certgate' }, { workspaceFolder: FOLDER });
    assert.equal(command.command, path.join(FOLDER, 'bin', 'certgate'));
  });

  it('expands ~ in the binary path', () => {
    const command = serverCommand({ path: '~/.cargo/bin/certgate' }, { home: HOME });
    assert.equal(command.command, path.join(HOME, '.cargo', 'bin', 'certgate'));
  });

  it('passes the config as `--config FILE`, one argument however many spaces', () => {
    const config = path.resolve('/etc/cert gate/certgate.toml');
    const command = serverCommand({ config }, { workspaceFolder: FOLDER });
    assert.deepEqual(command.args, ['lsp', '--config', config]);
  });

  it('resolves a relative config path from the workspace folder', () => {
    const command = serverCommand({ config: 'ci/certgate.toml' }, { workspaceFolder: FOLDER });
    assert.deepEqual(command.args, ['lsp', '--config', path.join(FOLDER, 'ci', 'certgate.toml')]);
  });

  it('expands ${workspaceFolder} in the config path', () => {
    const command = serverCommand(
      { config: '${workspaceFolder}/policy/certgate.toml' },
      { workspaceFolder: FOLDER },
    );
    assert.deepEqual(command.args, [
      'lsp',
      '--config',
      path.join(FOLDER, 'policy', 'certgate.toml'),
    ]);
  });

  it('keeps a relative config path as written when no folder is open', () => {
    assert.equal(resolvePath('certgate.toml', {}), 'certgate.toml');
  });
});

/** Whether a document filter selects a document, as VS Code decides: every given field matches. */
function selects(filter: DocumentFilter, fileName: string, language: string): boolean {
  return (
    filter.scheme === 'file' &&
    (filter.language === undefined || filter.language === language) &&
    (filter.pattern === undefined || minimatch(fileName, filter.pattern, { dot: true }))
  );
}

function selected(fileName: string, language: string): boolean {
  return DOCUMENT_SELECTOR.some((filter) => selects(filter, fileName, language));
}

describe('DOCUMENT_SELECTOR', () => {
  it('only selects files on disk', () => {
    assert.ok(DOCUMENT_SELECTOR.every((filter) => filter.scheme === 'file'));
  });

  it('selects Terraform with or without the HashiCorp extension', () => {
    assert.ok(selected('/infra/main.tf', 'terraform'));
    assert.ok(selected('/infra/prod.tfvars', 'terraform-vars'));
    // Without a Terraform extension, VS Code calls these plain text.
    assert.ok(selected('/infra/main.tf', 'plaintext'));
    assert.ok(selected('/my infra/.hidden/prod.tfvars', 'plaintext'));
    assert.ok(selected('/infra/main.tf.json', 'json'));
    assert.ok(selected('/infra/prod.tfvars.json', 'json'));
  });

  it('selects Bicep and .bicepparam with or without the Bicep extension', () => {
    assert.ok(selected('/infra/main.bicep', 'bicep'));
    assert.ok(selected('/infra/main.bicepparam', 'bicep-params'));
    assert.ok(selected('/infra/main.bicep', 'plaintext'));
    assert.ok(selected('/infra/main.bicepparam', 'plaintext'));
  });

  it('selects .json documents in the JSON languages, and the server picks the ARM ones', () => {
    assert.ok(selected('/infra/azuredeploy.json', 'json'));
    assert.ok(selected('/infra/azuredeploy.parameters.json', 'jsonc'));
  });

  it('leaves other documents alone', () => {
    assert.ok(!selected('/infra/README.md', 'markdown'));
    assert.ok(!selected('/infra/settings.jsonc', 'jsonc'));
    assert.ok(!selected('/infra/notes.json.txt', 'plaintext'));
    assert.ok(!selected('/infra/main.tf.bak', 'plaintext'));
  });
});
