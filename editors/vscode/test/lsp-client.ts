//! A minimal language client for the tests: spawns the server as vscode-languageclient does
//! (`spawn(command, args, options)`, plain stdio), talks to it with vscode-jsonrpc, and waits
//! for the diagnostics it publishes.

import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

import {
  createMessageConnection,
  MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';

import { ServerCommand } from '../src/server';

/** Long enough for a debug build on a loaded machine: a test fails rather than hangs. */
const TIMEOUT_MS = 30_000;

/**
 * The certgate binary under test: `CERTGATE_BIN`, or the debug build that `cargo build` or
 * `cargo test` leaves in the repository's `target/` (this file runs from `out/test/`).
 */
export function certgateBinary(): string {
  const exe = process.platform === 'win32' ? '.exe' : '';
  const binary = process.env.CERTGATE_BIN
    ? path.resolve(process.env.CERTGATE_BIN)
    : path.resolve(__dirname, '..', '..', '..', '..', 'target', 'debug', `certgate${exe}`);
  if (!existsSync(binary)) {
    throw new Error(`no certgate binary at ${binary}: run \`cargo build\` or set CERTGATE_BIN`);
  }
  return binary;
}

export function fileUri(file: string): string {
  return pathToFileURL(file).toString();
}

/** One LSP diagnostic, as much of it as the tests read. */
export interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: number;
  code: string;
  source: string;
  message: string;
}

interface Published {
  uri: string;
  diagnostics: Diagnostic[];
}

export class Client {
  readonly connection: MessageConnection;
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private stderr = '';
  private published: Published[] = [];
  private waiters: Array<() => void> = [];

  constructor(command: ServerCommand) {
    this.child = spawn(command.command, command.args, { ...command.options, stdio: 'pipe' });
    this.child.stderr!.on('data', (chunk) => (this.stderr += chunk));
    this.exited = new Promise((resolve, reject) => {
      this.child.on('exit', (code) => resolve(code));
      this.child.on('error', reject);
    });
    this.connection = createMessageConnection(
      new StreamMessageReader(this.child.stdout!),
      new StreamMessageWriter(this.child.stdin!),
    );
    this.connection.onNotification('textDocument/publishDiagnostics', (params: Published) => {
      this.published.push(params);
      this.waiters.splice(0).forEach((wake) => wake());
    });
    this.connection.listen();
  }

  /** `initialize` and `initialized`; returns the server's `InitializeResult`. */
  async initialize(rootUri: string | null): Promise<any> {
    const result = await this.request('initialize', {
      processId: process.pid,
      rootUri,
      capabilities: {},
      clientInfo: { name: 'certgate-vscode-test' },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  request(method: string, params: unknown): Promise<any> {
    return within(this.connection.sendRequest(method, params), `the answer to ${method}`);
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  open(uri: string, languageId: string, text: string): Promise<void> {
    return this.notify('textDocument/didOpen', {
      textDocument: { uri, languageId, version: 1, text },
    });
  }

  /** Replaces a document's whole text (the server asks for full sync). */
  change(uri: string, version: number, text: string): Promise<void> {
    return this.notify('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  /** The next diagnostics published for `uri` (earlier ones for other documents are kept). */
  async diagnostics(uri: string): Promise<Diagnostic[]> {
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      const index = this.published.findIndex((p) => p.uri === uri);
      if (index >= 0) {
        return this.published.splice(index, 1)[0].diagnostics;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`no diagnostics for ${uri} within ${TIMEOUT_MS} ms; stderr: ${this.stderr}`);
      }
      await within(new Promise<void>((wake) => this.waiters.push(wake)), 'diagnostics', left).catch(
        () => undefined,
      );
    }
  }

  /** Every diagnostics message received and not yet taken, by URI. */
  pendingUris(): string[] {
    return this.published.map((p) => p.uri);
  }

  /** `shutdown` then `exit`; returns the server's exit code. */
  async shutdown(): Promise<number | null> {
    assert.equal(await this.request('shutdown', null), null);
    await this.notify('exit', null);
    const code = await within(this.exited, 'the server to exit');
    this.connection.dispose();
    return code;
  }

  /** Ends the server if a test failed before `shutdown`. */
  kill(): void {
    if (this.child.exitCode === null) {
      this.child.kill();
    }
    this.connection.dispose();
  }
}

function within<T>(promise: Promise<T>, what: string, ms = TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`waited ${ms} ms for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A text edit as the server sends it. */
export interface TextEdit {
  range: Diagnostic['range'];
  newText: string;
}

/** Applies LSP text edits (0-based lines, UTF-16 columns, as JavaScript strings count). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') {
      lineStarts.push(i + 1);
    }
  }
  const offset = (p: { line: number; character: number }) => lineStarts[p.line] + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const edit of sorted) {
    result =
      result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end));
  }
  return result;
}
