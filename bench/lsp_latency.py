#!/usr/bin/env python3
"""Times the language server's on-save lint: didSave sent -> publishDiagnostics received.

Usage: bench/lsp_latency.py [FILE] [RUNS]   (default: a fixture module file, 50 runs)

Starts `certgate lsp` (release build), opens FILE, then alternates its text between the
original and a variant with one extra line, sending didChange + didSave each time (didSave lints
at once, without the 200 ms debounce). The time to the next publishDiagnostics for FILE is one
sample. The diagnostics differ between the two texts only in their positions, so every save
publishes. Prints the median and the 90th percentile in milliseconds.
"""
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "release" / "certgate"


def main():
    path = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "fixtures/terraform/tfvars_precedence/main.tf").resolve()
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    server = subprocess.Popen([str(BIN), "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def send(message):
        body = json.dumps(message).encode()
        server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        server.stdin.flush()

    def receive():
        length = None
        while True:
            line = server.stdout.readline()
            if not line:
                sys.exit("the server exited")
            if line in (b"\r\n", b"\n"):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(server.stdout.read(length))

    uri = path.as_uri()
    send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
    while receive().get("id") != 1:
        pass
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    text = path.read_text()
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
          "params": {"textDocument": {"uri": uri, "languageId": "terraform", "version": 1, "text": text}}})

    def diagnostics():
        while True:
            message = receive()
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
                return message["params"]["diagnostics"]

    found = len(diagnostics())
    samples = []
    for run in range(runs):
        variant = text if run % 2 else "\n" + text
        send({"jsonrpc": "2.0", "method": "textDocument/didChange",
              "params": {"textDocument": {"uri": uri, "version": run + 2}, "contentChanges": [{"text": variant}]}})
        start = time.perf_counter()
        send({"jsonrpc": "2.0", "method": "textDocument/didSave", "params": {"textDocument": {"uri": uri}}})
        diagnostics()
        samples.append((time.perf_counter() - start) * 1000)
    send({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None})
    send({"jsonrpc": "2.0", "method": "exit", "params": None})
    server.wait(timeout=10)
    samples.sort()
    print(f"file:            {path} ({found} diagnostics)")
    print(f"on-save lint:    {statistics.median(samples):.2f} ms median, "
          f"{samples[int(len(samples) * 0.9) - 1]:.2f} ms p90 of {runs} saves (didSave -> publishDiagnostics)")


if __name__ == "__main__":
    main()
