//! package.json agrees with the code: what VS Code reads from the manifest (settings, command,
//! activation, entry point, engine) matches what src/ uses, since no VS Code runs the tests.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import { DOCUMENT_SELECTOR, RESTART_SETTINGS } from '../src/server';

const ROOT = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const settings: Record<string, any> = manifest.contributes.configuration.properties;

describe('package.json', () => {
  it('declares every setting the extension reads, with the documented defaults', () => {
    assert.deepEqual(Object.keys(settings).sort(), [
      'certgate.config',
      'certgate.path',
      'certgate.trace.server',
    ]);
    assert.equal(settings['certgate.path'].default, 'certgate');
    assert.equal(settings['certgate.config'].default, '');
    assert.deepEqual(settings['certgate.trace.server'].enum, ['off', 'messages', 'verbose']);
    for (const setting of RESTART_SETTINGS) {
      assert.ok(setting in settings, setting);
    }
  });

  it('keeps the binary and config out of reach of untrusted workspaces', () => {
    const untrusted = manifest.capabilities.untrustedWorkspaces;
    assert.equal(untrusted.supported, 'limited');
    assert.deepEqual(untrusted.restrictedConfigurations, ['certgate.path', 'certgate.config']);
  });

  it('declares the restart command the extension registers', () => {
    const source = readFileSync(path.join(ROOT, 'src', 'extension.ts'), 'utf8');
    const commands = manifest.contributes.commands.map((c: { command: string }) => c.command);
    assert.deepEqual(commands, ['certgate.restartServer']);
    assert.ok(source.includes("registerCommand('certgate.restartServer'"));
  });

  it('activates for every language and file name the selector serves', () => {
    const events: string[] = manifest.activationEvents;
    for (const filter of DOCUMENT_SELECTOR) {
      if (filter.language !== undefined) {
        assert.ok(events.includes(`onLanguage:${filter.language}`), filter.language);
      } else {
        // `**/*.{tf,tfvars}` → workspaceContains:**/*.tf and workspaceContains:**/*.tfvars.
        const extensions = /\{(.*)\}$/.exec(filter.pattern!)![1].split(',');
        for (const extension of extensions) {
          assert.ok(events.includes(`workspaceContains:**/*.${extension}`), extension);
        }
      }
    }
  });

  it('points at the compiled entry point, for the VS Code the client library needs', () => {
    assert.equal(manifest.main, './out/src/extension.js');
    assert.ok(existsSync(path.join(ROOT, manifest.main)), 'run `npm run compile` first');
    const client = JSON.parse(
      readFileSync(path.join(ROOT, 'node_modules/vscode-languageclient/package.json'), 'utf8'),
    );
    assert.equal(manifest.engines.vscode, client.engines.vscode);
    assert.equal(`^${manifest.devDependencies['@types/vscode']}`, manifest.engines.vscode);
  });

  it('builds the .vsix the repository README installs', () => {
    const readme = readFileSync(path.join(ROOT, '..', '..', 'README.md'), 'utf8');
    const install = `code --install-extension ${manifest.name}-${manifest.version}.vsix`;
    assert.ok(readme.includes(install), `README.md should say \`${install}\``);
    assert.equal(manifest.publisher, 'certgate');
    assert.equal(manifest.repository.url, 'https://github.com/certgate/certgate');
  });
});
