//! The VS Code side: starts `certgate lsp` as a language client for the selected documents,
//! restarts it on command or when its settings change, and says what to do when it can't start.

import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions } from 'vscode-languageclient/node';

import { DOCUMENT_SELECTOR, RESTART_SETTINGS, serverCommand } from './server';

/** The client id: also the prefix of `certgate.trace.server`, which the client reads itself. */
const CLIENT_ID = 'certgate';

let client: LanguageClient | undefined;
/** One output channel for every (re)start, so restarts don't pile up channels. */
let output: vscode.OutputChannel | undefined;

/** Called by VS Code on the first matching document or workspace (see `activationEvents`). */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('certgate');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('certgate.restartServer', restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (RESTART_SETTINGS.some((setting) => event.affectsConfiguration(setting))) {
        void restart();
      }
    }),
  );
  await start();
}

/** Called by VS Code on shutdown: stops the server cleanly (`shutdown`, then `exit`). */
export async function deactivate(): Promise<void> {
  await stop();
}

async function start(): Promise<void> {
  const settings = vscode.workspace.getConfiguration('certgate');
  const command = serverCommand(
    { path: settings.get<string>('path'), config: settings.get<string>('config') },
    { workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath },
  );
  const clientOptions: LanguageClientOptions = {
    documentSelector: [...DOCUMENT_SELECTOR],
    outputChannel: output,
  };
  client = new LanguageClient(CLIENT_ID, 'certgate', command, clientOptions);
  try {
    await client.start();
  } catch (error) {
    // Not awaited: activation must not wait for the user to dismiss the message.
    void explainStartFailure([command.command, ...command.args].join(' '), error);
  }
}

async function explainStartFailure(shown: string, error: unknown): Promise<void> {
  const choice = await vscode.window.showErrorMessage(
    `certgate: could not start \`${shown}\` (${String(error)}). ` +
      'Put certgate on PATH or set `certgate.path` to the binary.',
    'Open Settings',
  );
  if (choice === 'Open Settings') {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'certgate.path');
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running?.isRunning()) {
    await running.stop();
  }
}

/** The `certgate: Restart Language Server` command, and what a settings change runs. */
async function restart(): Promise<void> {
  await stop();
  await start();
}
