//! `certgate lsp` driven over JSON-RPC like an editor: open → diagnostics → hover → quick fix
//! → the edited buffer → diagnostics cleared → shutdown, plus origins in other files, fix-all,
//! unsafe fixes (never preferred, not in fix-all), and config and exceptions honoured.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Long enough for a debug build on a loaded machine; the test fails rather than hangs.
const TIMEOUT: Duration = Duration::from_secs(30);

struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start(args: &[&str]) -> Client {
        let mut client = Client::spawn(args, Stdio::inherit());
        client.initialize();
        client
    }

    /// Starts the server without initializing it.
    fn spawn(args: &[&str], stderr: Stdio) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_certgate"))
            .arg("lsp")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, incoming) = channel();
        std::thread::spawn(move || {
            while let Some(message) = read_message(&mut stdout) {
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            incoming,
            next_id: 0,
        }
    }

    fn initialize(&mut self) {
        let result = self.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": {}}),
        );
        assert_eq!(result["serverInfo"]["name"], "certgate");
        let capabilities = &result["capabilities"];
        assert_eq!(capabilities["hoverProvider"], true);
        assert_eq!(capabilities["textDocumentSync"]["change"], 1, "full sync");
        assert_eq!(
            capabilities["codeActionProvider"]["codeActionKinds"],
            json!(["quickfix", "source.fixAll.certgate"])
        );
        self.notify("initialized", json!({}));
    }

    fn send(&mut self, message: Value) {
        self.send_body(message.to_string().as_bytes());
    }

    /// Sends any bytes as one well-framed body.
    fn send_body(&mut self, body: &[u8]) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(body).unwrap();
        self.stdin.flush().unwrap();
    }

    /// Sends a request and returns the whole response (result or error).
    fn request_raw(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(|m| m["id"] == id)
    }

    /// Waits for the server to exit and returns its exit code.
    fn exit_code(&mut self) -> i32 {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its result, skipping notifications that arrive first.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let response = self.wait_for(|m| m["id"] == id);
        assert!(response.get("error").is_none(), "{response}");
        response["result"].clone()
    }

    /// The next message `wanted` accepts, failing after [`TIMEOUT`].
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(message) if wanted(&message) => return message,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => panic!("no expected message within {TIMEOUT:?}"),
                Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
            }
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let message = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        message["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "terraform", "version": 1, "text": text}}),
        );
    }

    fn shutdown(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "{status}");
                return;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn uri(path: &Path) -> String {
    url::Url::from_file_path(path).unwrap().to_string()
}

/// Applies LSP text edits (0-based lines, UTF-16 columns; ASCII here) to a text.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |position: &Value| {
        let line = position["line"].as_u64().unwrap() as usize;
        let character = position["character"].as_u64().unwrap() as usize;
        text.split_inclusive('\n')
            .take(line)
            .map(str::len)
            .sum::<usize>()
            + character
    };
    let mut edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    edits.sort_by_key(|edit| std::cmp::Reverse(edit.0));
    let mut text = text.to_string();
    for (start, end, new) in edits {
        text.replace_range(start..end, new);
    }
    text
}

const DISABLED: &str = "resource \"azurerm_linux_web_app\" \"api\" {\n  name                       = \"api\"\n  client_certificate_enabled = false\n}\n";

#[test]
fn open_diagnose_hover_fix_change_clear_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("main.tf");
    std::fs::write(&path, DISABLED).unwrap();
    let main = uri(&path);
    let mut client = Client::start(&[]);

    client.open(&main, DISABLED);
    let diagnostics = client.diagnostics(&main);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let diagnostic = &diagnostics[0];
    assert_eq!(diagnostic["code"], "client-cert-disabled");
    assert_eq!(diagnostic["source"], "certgate");
    assert_eq!(diagnostic["severity"], 1);
    assert_eq!(
        diagnostic["range"],
        json!({"start": {"line": 2, "character": 2}, "end": {"line": 2, "character": 36}})
    );
    let message = diagnostic["message"].as_str().unwrap();
    assert!(
        message.contains("client certificates disabled"),
        "{message}"
    );

    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": main}, "position": {"line": 2, "character": 10}}),
    );
    let docs = hover["contents"]["value"].as_str().unwrap();
    assert!(docs.starts_with("# client-cert-disabled ("), "{docs}");
    assert!(
        docs.contains("**Rollout:** exposure `internet` (public network access"),
        "{docs}"
    );
    assert_eq!(hover["contents"]["kind"], "markdown");
    let elsewhere = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": main}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(elsewhere, Value::Null);

    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": main}, "range": diagnostic["range"],
               "context": {"diagnostics": [diagnostic]}}),
    );
    let quick_fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "quickfix")
        .unwrap_or_else(|| panic!("no quick fix in {actions}"));
    assert_eq!(quick_fix["isPreferred"], true);
    assert_eq!(quick_fix["diagnostics"][0]["code"], "client-cert-disabled");
    let edits = quick_fix["edit"]["changes"][&main].as_array().unwrap();
    let fixed = apply(DISABLED, edits);
    // The same edit `certgate check --fix` writes.
    let cli_fix_dir = tempfile::tempdir().unwrap();
    std::fs::write(cli_fix_dir.path().join("main.tf"), DISABLED).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_certgate"))
        .args(["check", "--fix", "--quiet"])
        .arg(cli_fix_dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        fixed,
        std::fs::read_to_string(cli_fix_dir.path().join("main.tf")).unwrap()
    );

    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    assert_eq!(client.diagnostics(&main), Vec::<Value>::new());
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        DISABLED,
        "the server never writes files"
    );
    client.shutdown();
}

#[test]
fn an_origin_in_another_file_is_related_and_fixed_there() {
    let dir = tempfile::tempdir().unwrap();
    let main_text = "resource \"azurerm_windows_function_app\" \"fn\" {\n  name                       = \"fn\"\n  client_certificate_enabled = var.mtls\n}\n";
    let variables_text = "variable \"mtls\" {\n  type    = bool\n  default = false\n}\n";
    std::fs::write(dir.path().join("main.tf"), main_text).unwrap();
    std::fs::write(dir.path().join("variables.tf"), variables_text).unwrap();
    let main = uri(&dir.path().join("main.tf"));
    let variables = uri(&dir.path().join("variables.tf"));
    let mut client = Client::start(&[]);

    client.open(&main, main_text);
    let diagnostics = client.diagnostics(&main);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let related = &diagnostics[0]["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], variables.as_str());
    assert_eq!(
        related["location"]["range"]["start"],
        json!({"line": 2, "character": 2})
    );
    assert!(
        related["message"]
            .as_str()
            .unwrap()
            .contains("variable `mtls`")
    );

    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": main}, "range": diagnostics[0]["range"],
               "context": {"diagnostics": diagnostics}}),
    );
    let quick_fix = &actions[0];
    assert_eq!(quick_fix["kind"], "quickfix");
    // The value is fixed where it was written; the mode, which a function app leaves
    // optional, is added at the resource.
    let changes = quick_fix["edit"]["changes"].as_object().unwrap();
    let mut files: Vec<&String> = changes.keys().collect();
    files.sort();
    assert_eq!(files, [&main, &variables]);
    assert_eq!(
        apply(variables_text, changes[&variables].as_array().unwrap()),
        variables_text.replace("false", "true")
    );
    assert_eq!(
        apply(main_text, changes[&main].as_array().unwrap()),
        main_text.replace(
            "var.mtls\n",
            "var.mtls\n  client_certificate_mode    = \"Required\"\n"
        )
    );
    client.shutdown();
}

#[test]
fn fix_all_covers_every_finding_of_the_document() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{DISABLED}\nresource \"azurerm_linux_web_app_slot\" \"staging\" {{\n  name           = \"staging\"\n  app_service_id = azurerm_linux_web_app.api.id\n}}\n"
    );
    std::fs::write(dir.path().join("main.tf"), &text).unwrap();
    let main = uri(&dir.path().join("main.tf"));
    let mut client = Client::start(&[]);
    client.open(&main, &text);
    assert_eq!(client.diagnostics(&main).len(), 2);

    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": main},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
               "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.certgate");
    let fixed = apply(
        &text,
        actions[0]["edit"]["changes"][&main].as_array().unwrap(),
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    assert_eq!(client.diagnostics(&main), Vec::<Value>::new());
    client.shutdown();
}

/// One site fixable safely (a literal `false`), one only unsafely (a conditional).
const SAFE_AND_UNSAFE: &str = "variable \"environment\" {\n  default = \"dev\"\n}\n\nresource \"azurerm_linux_web_app\" \"literal\" {\n  name                       = \"literal\"\n  client_certificate_enabled = false\n}\n\nresource \"azurerm_linux_web_app\" \"conditional\" {\n  name                       = \"conditional\"\n  client_certificate_enabled = var.environment == \"prod\" ? true : false\n}\n";

#[test]
fn unsafe_fixes_are_offered_unpreferred_titled_unsafe_and_left_out_of_fix_all() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), SAFE_AND_UNSAFE).unwrap();
    let main = uri(&dir.path().join("main.tf"));
    let mut client = Client::start(&[]);
    client.open(&main, SAFE_AND_UNSAFE);
    let diagnostics = client.diagnostics(&main);
    assert_eq!(diagnostics.len(), 2, "{diagnostics:?}");

    let whole = json!({"start": {"line": 0, "character": 0}, "end": {"line": 13, "character": 0}});
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": main}, "range": whole,
               "context": {"diagnostics": diagnostics}}),
    );
    let actions = actions.as_array().unwrap();
    let quick_fixes: Vec<&Value> = actions.iter().filter(|a| a["kind"] == "quickfix").collect();
    assert_eq!(quick_fixes.len(), 2, "{actions:?}");
    let (safe, unsafe_fix): (Vec<&Value>, Vec<&Value>) = quick_fixes
        .into_iter()
        .partition(|a| a["isPreferred"] == true);
    assert_eq!((safe.len(), unsafe_fix.len()), (1, 1), "{actions:?}");
    let unsafe_fix = unsafe_fix[0];
    assert_eq!(unsafe_fix["isPreferred"], false);
    let title = unsafe_fix["title"].as_str().unwrap();
    assert!(title.ends_with(" (unsafe)"), "{title}");
    assert!(!safe[0]["title"].as_str().unwrap().contains("unsafe"));
    let unsafe_edits = unsafe_fix["edit"]["changes"][&main].as_array().unwrap();
    assert_eq!(
        apply(SAFE_AND_UNSAFE, unsafe_edits),
        SAFE_AND_UNSAFE.replace("var.environment == \"prod\" ? true : false", "true")
    );

    // Fix-all (what an editor may run on save) makes only the safe fix.
    let fix_all = actions
        .iter()
        .find(|a| a["kind"] == "source.fixAll.certgate")
        .unwrap_or_else(|| panic!("no fix-all in {actions:?}"));
    assert_eq!(fix_all["diagnostics"].as_array().unwrap().len(), 1);
    let after_fix_all = apply(
        SAFE_AND_UNSAFE,
        fix_all["edit"]["changes"][&main].as_array().unwrap(),
    );
    assert_eq!(
        after_fix_all,
        SAFE_AND_UNSAFE.replacen("= false\n", "= true\n", 1)
    );

    // Then the unsafe quick fix, picked by hand, leaves the document clean and equal to what
    // `certgate check --fix --unsafe-fixes` writes.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main, "version": 2},
               "contentChanges": [{"text": after_fix_all}]}),
    );
    let remaining = client.diagnostics(&main);
    assert_eq!(remaining.len(), 1, "{remaining:?}");
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": main}, "range": remaining[0]["range"],
               "context": {"diagnostics": remaining, "only": ["quickfix"]}}),
    );
    let unsafe_fix = &actions[0];
    assert_eq!(unsafe_fix["isPreferred"], false);
    let fixed = apply(
        &after_fix_all,
        unsafe_fix["edit"]["changes"][&main].as_array().unwrap(),
    );
    let cli_dir = tempfile::tempdir().unwrap();
    std::fs::write(cli_dir.path().join("main.tf"), SAFE_AND_UNSAFE).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_certgate"))
        .args(["check", "--fix", "--unsafe-fixes", "--quiet"])
        .arg(cli_dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        fixed,
        std::fs::read_to_string(cli_dir.path().join("main.tf")).unwrap()
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main, "version": 3}, "contentChanges": [{"text": fixed}]}),
    );
    assert_eq!(client.diagnostics(&main), Vec::<Value>::new());
    client.shutdown();
}

#[test]
fn config_and_inline_exceptions_are_honoured() {
    let dir = tempfile::tempdir().unwrap();
    // The config turns client-cert-disabled into a warning.
    std::fs::write(
        dir.path().join("certgate.toml"),
        "[rules]\nclient-cert-disabled = \"warning\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("main.tf"), DISABLED).unwrap();
    let main = uri(&dir.path().join("main.tf"));
    let mut client = Client::start(&[]);
    client.open(&main, DISABLED);
    let diagnostics = client.diagnostics(&main);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0]["severity"], 2, "a warning, as configured");

    // An exception typed into the buffer suppresses the finding before the file is saved.
    let excepted = DISABLED.replace(
        "resource",
        "# certgate:ignore[client-cert-disabled] reason=\"legacy partner API\" owner=team-payments expires=2099-01-01\nresource",
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main, "version": 2}, "contentChanges": [{"text": excepted}]}),
    );
    assert_eq!(client.diagnostics(&main), Vec::<Value>::new());

    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": main}}),
    );
    client.shutdown();
}

#[test]
fn a_variables_file_shows_the_value_it_sets_for_a_failing_site() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "variable \"mtls\" {\n  type = bool\n}\n\nresource \"azurerm_linux_web_app\" \"api\" {\n  name                       = \"api\"\n  client_certificate_enabled = var.mtls\n  client_certificate_mode    = \"Required\"\n}\n",
    )
    .unwrap();
    let tfvars_text = "location = \"westeurope\"\nmtls     = false\n";
    std::fs::write(dir.path().join("terraform.tfvars"), tfvars_text).unwrap();
    let tfvars = uri(&dir.path().join("terraform.tfvars"));
    let mut client = Client::start(&[]);

    // Only the variables file is open: the site's finding is shown where the value is written.
    client.open(&tfvars, tfvars_text);
    let diagnostics = client.diagnostics(&tfvars);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["code"], "client-cert-disabled");
    assert_eq!(
        diagnostics[0]["range"],
        json!({"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 16}})
    );
    let message = diagnostics[0]["message"].as_str().unwrap();
    assert!(message.contains("main.tf:7:3"), "{message}");
    assert_eq!(
        diagnostics[0]["relatedInformation"][0]["location"]["uri"],
        uri(&dir.path().join("main.tf"))
    );

    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": tfvars}, "range": diagnostics[0]["range"],
               "context": {"diagnostics": diagnostics, "only": ["quickfix"]}}),
    );
    assert_eq!(actions.as_array().unwrap().len(), 1, "{actions}");
    let edits = actions[0]["edit"]["changes"][&tfvars].as_array().unwrap();
    let fixed = apply(tfvars_text, edits);
    assert_eq!(fixed, tfvars_text.replace("false", "true"));
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": tfvars, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    assert_eq!(client.diagnostics(&tfvars), Vec::<Value>::new());
    client.shutdown();
}

#[test]
fn bad_bodies_get_a_parse_error_and_the_server_keeps_serving() {
    let mut client = Client::start(&[]);
    let bodies: [&[u8]; 5] = [
        b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\":",
        br#"{"jsonrpc":"2.0","id":7,"method":"textDocument/hover","params":{"x":"\ud800"}}"#,
        b"[]",
        b"\xff\xfe not UTF-8",
        b"42",
    ];
    for body in bodies {
        client.send_body(body);
        let answer = client.wait_for(|m| m.get("error").is_some());
        assert_eq!(answer["id"], Value::Null, "{answer}");
        assert_eq!(answer["error"]["code"], -32700, "{answer}");
    }
    // Still serving: a hover on an unknown document answers null.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nowhere/main.tf"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(hover, Value::Null);
    client.shutdown();
}

#[test]
fn a_huge_content_length_is_refused_without_a_crash() {
    for length in ["18446744073709551615", "1099511627776"] {
        let mut client = Client::spawn(&[], Stdio::piped());
        write!(client.stdin, "Content-Length: {length}\r\n\r\n{{}}").unwrap();
        client.stdin.flush().unwrap();
        let log = client.wait_for(|m| m["method"] == "window/logMessage");
        assert!(
            log["params"]["message"]
                .as_str()
                .unwrap()
                .contains("over the limit"),
            "{log}"
        );
        // Refused with the run-failed code: not a panic (101) or an abort (signal).
        assert_eq!(client.exit_code(), 2, "Content-Length {length}");
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut client.child.stderr.take().unwrap(), &mut stderr)
            .unwrap();
        assert!(stderr.contains("over the limit"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn exit_without_shutdown_exits_1() {
    let mut client = Client::start(&[]);
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_code(), 1);
}

#[test]
fn requests_before_initialize_and_after_shutdown_are_refused() {
    let mut client = Client::spawn(&[], Stdio::inherit());
    let early = client.request_raw("textDocument/hover", json!({}));
    assert_eq!(
        early["error"]["code"], -32002,
        "ServerNotInitialized: {early}"
    );
    client.initialize();
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    let late = client.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///x/main.tf"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(late["error"]["code"], -32600, "InvalidRequest: {late}");
    let again = client.request_raw("shutdown", Value::Null);
    assert_eq!(again["error"]["code"], -32600, "{again}");
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_code(), 0, "exit after shutdown");
}

#[test]
fn a_broken_config_is_shown_to_the_user_and_logged() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("certgate.toml"), "colour = true\n").unwrap();
    std::fs::write(dir.path().join("main.tf"), DISABLED).unwrap();
    let main = uri(&dir.path().join("main.tf"));
    let mut client = Client::start(&[]);
    client.open(&main, DISABLED);
    let shown = client.wait_for(|m| m["method"] == "window/showMessage");
    assert_eq!(shown["params"]["type"], 1, "an error: {shown}");
    let message = shown["params"]["message"].as_str().unwrap();
    assert!(
        message.contains("certgate.toml:1:1") && message.contains("colour"),
        "{message}"
    );
    let logged = client.wait_for(|m| m["method"] == "window/logMessage");
    assert!(
        logged["params"]["message"]
            .as_str()
            .unwrap()
            .contains("colour"),
        "{logged}"
    );
    client.shutdown();
}

#[test]
fn a_missing_config_argument_is_shown_to_the_user() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), DISABLED).unwrap();
    let main = uri(&dir.path().join("main.tf"));
    let missing = dir.path().join("missing.toml");
    let mut client = Client::start(&["--config", missing.to_str().unwrap()]);
    client.open(&main, DISABLED);
    let shown = client.wait_for(|m| m["method"] == "window/showMessage");
    let message = shown["params"]["message"].as_str().unwrap();
    assert!(
        message.contains("missing.toml") && message.contains("cannot read"),
        "{message}"
    );
    client.shutdown();
}

#[cfg(unix)]
#[test]
fn a_document_whose_name_is_not_utf8_is_linted() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9.tf"));
    std::fs::write(&path, DISABLED).unwrap();
    let main = uri(&path);
    assert!(main.ends_with("caf%E9.tf"), "{main}");
    let mut client = Client::start(&[]);
    client.open(&main, DISABLED);
    let diagnostics = client.diagnostics(&main);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["code"], "client-cert-disabled");
    client.shutdown();
}

/// The language server reads through the file system with the open documents over the disk:
/// a local module whose directory and files exist only as unsaved buffers is followed like one
/// on disk. The module's site is disabled only through the value its caller passes, so the
/// finding proves the call was resolved; the caller gets no "does not exist" error.
#[test]
fn a_local_module_whose_files_are_only_unsaved_documents_is_resolved() {
    let dir = tempfile::tempdir().unwrap();
    let root_text = "module \"m\" {\n  source  = \"./m\"\n  enabled = false\n}\n";
    let module_text = "variable \"enabled\" {\n  type = bool\n}\n\nresource \"azurerm_linux_web_app\" \"site\" {\n  name                       = \"site\"\n  client_certificate_enabled = var.enabled\n}\n";
    let root = dir.path().join("main.tf");
    let module = dir.path().join("m/main.tf");
    assert!(
        !module.parent().unwrap().exists(),
        "the module is not on disk"
    );
    let (root_uri, module_uri) = (uri(&root), uri(&module));
    let mut client = Client::start(&[]);
    client.open(&module_uri, module_text);
    client.open(&root_uri, root_text);

    let published = client.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == module_uri.as_str()
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| d.iter().any(|d| d["code"] == "client-cert-disabled"))
    });
    let diagnostics = published["params"]["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["range"]["start"]["line"], 6);
    let related = &diagnostics[0]["relatedInformation"];
    assert!(
        related
            .as_array()
            .is_some_and(|r| r.iter().any(|r| r["location"]["uri"] == root_uri.as_str())),
        "the value comes from the caller: {related}"
    );
    // Nothing on disk appeared meanwhile.
    assert!(!module.parent().unwrap().exists());
    assert!(!root.exists());
    client.shutdown();
}
