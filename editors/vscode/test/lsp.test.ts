//! The extension's language-client wiring against the real `certgate lsp`: the server is
//! started with the command src/server.ts builds from the settings (a binary path and a config
//! path with spaces in them), and driven over vscode-jsonrpc as VS Code would drive it.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { serverCommand } from '../src/server';
import { applyEdits, certgateBinary, Client, fileUri, TextEdit } from './lsp-client';

const TERRAFORM_DISABLED = `resource "azurerm_linux_web_app" "api" {
  name                       = "api"
  client_certificate_enabled = false
}
`;

const BICEP_DISABLED = `resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: 'web-prod'
  location: 'westeurope'
  properties: {
    clientCertEnabled: false
  }
}
`;

const ARM_DISABLED = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Web/sites",
      "apiVersion": "2023-12-01",
      "name": "web-arm",
      "location": "westeurope",
      "properties": { "clientCertEnabled": false }
    }
  ]
}
`;

const TERRAFORM_JSON_DISABLED = `{
  "resource": {
    "azurerm_linux_web_app": {
      "json": { "name": "json", "client_certificate_enabled": false }
    }
  }
}
`;

/** A workspace folder with a space in its name, and the binary linked into a folder with one. */
function workspace(): { folder: string; binary: string; remove: () => void } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'certgate vscode '));
  const folder = path.join(root, 'my infra');
  mkdirSync(folder);
  const tools = path.join(root, 'my tools');
  mkdirSync(tools);
  let binary = certgateBinary();
  if (process.platform !== 'win32') {
    // The path VS Code would be given in `certgate.path`, spaces and all.
    const linked = path.join(tools, 'certgate');
    symlinkSync(binary, linked);
    binary = linked;
  }
  return { folder, binary, remove: () => rmSync(root, { recursive: true, force: true }) };
}

describe('certgate lsp, started as the extension starts it', () => {
  let ws: ReturnType<typeof workspace>;
  let client: Client;

  before(async () => {
    ws = workspace();
    client = new Client(serverCommand({ path: ws.binary }, { workspaceFolder: ws.folder }));
    const result = await client.initialize(fileUri(ws.folder));
    assert.equal(result.serverInfo.name, 'certgate');
    assert.deepEqual(result.capabilities.codeActionProvider.codeActionKinds, [
      'quickfix',
      'source.fixAll.certgate',
    ]);
  });

  after(() => {
    client?.kill();
    ws?.remove();
  });

  it('reports a Terraform site with client certificates disabled, fixes it, clears it', async () => {
    const file = path.join(ws.folder, 'main.tf');
    writeFileSync(file, TERRAFORM_DISABLED);
    const uri = fileUri(file);

    await client.open(uri, 'terraform', TERRAFORM_DISABLED);
    const diagnostics = await client.diagnostics(uri);
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    const [diagnostic] = diagnostics;
    assert.equal(diagnostic.code, 'client-cert-disabled');
    assert.equal(diagnostic.source, 'certgate');
    assert.equal(diagnostic.severity, 1, 'an error');
    assert.deepEqual(diagnostic.range, {
      start: { line: 2, character: 2 },
      end: { line: 2, character: 36 },
    });
    assert.equal(
      diagnostic.message,
      'web app `azurerm_linux_web_app.api` has client certificates disabled ' +
        '(`client_certificate_enabled` is false)\nhelp: set `client_certificate_enabled = true`',
    );

    const actions = await client.request('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], only: ['quickfix'] },
    });
    const quickFix = actions.find((action: any) => action.kind === 'quickfix');
    assert.ok(quickFix, `no quick fix in ${JSON.stringify(actions)}`);
    assert.equal(quickFix.isPreferred, true);
    assert.equal(quickFix.diagnostics[0].code, 'client-cert-disabled');
    const edits: TextEdit[] = quickFix.edit.changes[uri];
    const fixed = applyEdits(TERRAFORM_DISABLED, edits);
    assert.equal(fixed, TERRAFORM_DISABLED.replace('= false', '= true'));

    await client.change(uri, 2, fixed);
    assert.deepEqual(await client.diagnostics(uri), [], 'the fixed text has no finding');
    assert.equal(readFileSync(file, 'utf8'), TERRAFORM_DISABLED, 'the server never writes files');
    await client.notify('textDocument/didClose', { textDocument: { uri } });
    assert.deepEqual(await client.diagnostics(uri), [], 'closing clears the document');
  });

  it('reports a Bicep site, and its quick fix sets clientCertEnabled to true', async () => {
    const file = path.join(ws.folder, 'main.bicep');
    writeFileSync(file, BICEP_DISABLED);
    const uri = fileUri(file);

    await client.open(uri, 'bicep', BICEP_DISABLED);
    const diagnostics = await client.diagnostics(uri);
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    const [diagnostic] = diagnostics;
    assert.equal(diagnostic.code, 'client-cert-disabled');
    assert.equal(diagnostic.range.start.line, 4);
    assert.equal(diagnostic.range.start.character, 4);
    assert.match(diagnostic.message, /web app `site` has client certificates disabled/);

    const actions = await client.request('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    });
    const quickFix = actions.find((action: any) => action.kind === 'quickfix');
    assert.ok(quickFix, `no quick fix in ${JSON.stringify(actions)}`);
    const fixed = applyEdits(BICEP_DISABLED, quickFix.edit.changes[uri]);
    assert.equal(fixed, BICEP_DISABLED.replace('clientCertEnabled: false', 'clientCertEnabled: true'));
    await client.change(uri, 2, fixed);
    assert.deepEqual(await client.diagnostics(uri), []);
    await client.notify('textDocument/didClose', { textDocument: { uri } });
    await client.diagnostics(uri);
  });

  it('judges ARM templates and .tf.json among JSON documents, and leaves other JSON alone', async () => {
    const template = path.join(ws.folder, 'azuredeploy.json');
    writeFileSync(template, ARM_DISABLED);
    const other = path.join(ws.folder, 'package.json');
    const otherText = '{ "name": "not-a-template", "version": "1.0.0" }\n';
    writeFileSync(other, otherText);

    await client.open(fileUri(other), 'json', otherText);
    await client.open(fileUri(template), 'json', ARM_DISABLED);
    const diagnostics = await client.diagnostics(fileUri(template));
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    assert.equal(diagnostics[0].code, 'client-cert-disabled');
    assert.equal(diagnostics[0].range.start.line, 9);
    assert.match(diagnostics[0].message, /web app `web-arm` has client certificates disabled/);
    const terraformJson = path.join(ws.folder, 'site.tf.json');
    writeFileSync(terraformJson, TERRAFORM_JSON_DISABLED);
    await client.open(fileUri(terraformJson), 'json', TERRAFORM_JSON_DISABLED);
    const terraformDiagnostics = await client.diagnostics(fileUri(terraformJson));
    assert.equal(terraformDiagnostics.length, 1, JSON.stringify(terraformDiagnostics));
    assert.equal(terraformDiagnostics[0].code, 'client-cert-disabled');
    assert.equal(terraformDiagnostics[0].range.start.line, 3);

    // Whatever the server sent for package.json (nothing, or an empty list) holds no finding.
    while (client.pendingUris().includes(fileUri(other))) {
      assert.deepEqual(await client.diagnostics(fileUri(other)), []);
    }
  });

  it('shuts down and exits 0', async () => {
    assert.equal(await client.shutdown(), 0);
  });
});

describe('certgate.config, passed as `certgate lsp --config`', () => {
  it('applies the given certgate.toml instead of the nearest one', async () => {
    const ws = workspace();
    const client = new Client(
      serverCommand(
        { path: ws.binary, config: 'policy dir/certgate.toml' },
        { workspaceFolder: ws.folder },
      ),
    );
    try {
      // The config the setting names makes the finding a warning; the nearest one would not.
      mkdirSync(path.join(ws.folder, 'policy dir'));
      writeFileSync(
        path.join(ws.folder, 'policy dir', 'certgate.toml'),
        '[rules]\nclient-cert-disabled = "warning"\n',
      );
      writeFileSync(path.join(ws.folder, 'certgate.toml'), '[rules]\n');
      const file = path.join(ws.folder, 'main.tf');
      writeFileSync(file, TERRAFORM_DISABLED);
      await client.initialize(fileUri(ws.folder));

      await client.open(fileUri(file), 'terraform', TERRAFORM_DISABLED);
      const diagnostics = await client.diagnostics(fileUri(file));
      assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
      assert.equal(diagnostics[0].code, 'client-cert-disabled');
      assert.equal(diagnostics[0].severity, 2, 'a warning, as the given config says');
      assert.equal(await client.shutdown(), 0);
    } finally {
      client.kill();
      ws.remove();
    }
  });
});
