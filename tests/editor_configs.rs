//! The Helix and Zed configurations in `editors/` say what they promise: the server command,
//! the languages, Helix's own servers kept, and the Zed manifest in step with its crate.
//! Neither editor can be installed here (no Helix package in Debian bookworm, a placeholder
//! on crates.io; Zed is a desktop application), so their files are parsed and the command they
//! would run is started. The Zed crate's own tests (`cargo test` in `editors/zed`, run by
//! `.ci/run`) cover how it picks the binary.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use toml::Value;

fn read_toml(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {value}"))
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

/// Helix's built-in languages that cover the files certgate reads: the name, the file
/// extensions Helix gives it (those certgate reads), and its default language server. From
/// the languages.toml of Helix's master branch (2026-12).
const HELIX_LANGUAGES: &[(&str, &[&str], &str)] = &[
    ("hcl", &["tf"], "terraform-ls"),
    ("tfvars", &["tfvars"], "terraform-ls"),
    ("bicep", &["bicep", "bicepparam"], "bicep-langserver"),
    ("json", &["json"], "vscode-json-language-server"),
];

/// The file names certgate lints in an editor (README, "Language server").
const CERTGATE_FILES: &[&str] = &[
    "main.tf",
    "main.tf.json",
    "prod.tfvars",
    "prod.tfvars.json",
    "azuredeploy.json",
    "main.bicep",
    "main.bicepparam",
];

/// Starts `certgate` with `args` (the built binary for `certgate`), sends initialize,
/// shutdown and exit, and checks the server answered as certgate and exited 0.
fn assert_answers_initialize(args: &[&str]) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_certgate"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for body in [
        r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}"#,
        r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
        r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#,
        r#"{"jsonrpc":"2.0","method":"exit"}"#,
    ] {
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    }
    drop(stdin);
    // Read on a thread so a server that never exits fails the test instead of hanging it.
    let mut pipe = child.stdout.take().unwrap();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut stdout = String::new();
        let _ = pipe.read_to_string(&mut stdout);
        let _ = sender.send(stdout);
    });
    let Ok(stdout) = receiver.recv_timeout(Duration::from_secs(60)) else {
        let _ = child.kill();
        panic!("certgate {args:?} did not exit after `exit`");
    };
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "certgate {args:?}: {}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains(r#""serverInfo":{"name":"certgate""#),
        "certgate {args:?} did not answer initialize: {stdout}"
    );
}

#[test]
fn helix_config_defines_the_certgate_server_as_certgate_lsp() {
    let config = read_toml("editors/helix/languages.toml");
    let server = &config["language-server"]["certgate"];
    assert_eq!(server["command"].as_str(), Some("certgate"));
    let args = strings(&server["args"]);
    assert_eq!(args, ["lsp"]);
    assert_answers_initialize(&args);
}

#[test]
fn helix_config_adds_certgate_after_each_languages_default_server() {
    let config = read_toml("editors/helix/languages.toml");
    let languages = config["language"].as_array().unwrap();
    let names: Vec<&str> = languages
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = HELIX_LANGUAGES.iter().map(|(name, ..)| *name).collect();
    assert_eq!(names, expected);
    for (language, (name, _, default_server)) in languages.iter().zip(HELIX_LANGUAGES) {
        // The list replaces Helix's: dropping the default server would turn it off.
        assert_eq!(
            strings(&language["language-servers"]),
            [*default_server, "certgate"],
            "{name}"
        );
    }
}

#[test]
fn helix_config_languages_cover_every_file_certgate_lints() {
    let config = read_toml("editors/helix/languages.toml");
    let configured: Vec<&str> = config["language"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    for file in CERTGATE_FILES {
        // Helix picks the language by the last extension: `main.tf.json` is JSON.
        let extension = file.rsplit('.').next().unwrap();
        let language = HELIX_LANGUAGES
            .iter()
            .find(|(_, extensions, _)| extensions.contains(&extension))
            .map(|(name, ..)| *name);
        assert!(
            language.is_some_and(|name| configured.contains(&name)),
            "{file}: Helix's language {language:?} does not start certgate"
        );
    }
}

#[test]
fn zed_extension_manifest_matches_its_crate_and_names_the_languages() {
    let manifest = read_toml("editors/zed/extension.toml");
    let cargo = read_toml("editors/zed/Cargo.toml");
    assert_eq!(manifest["id"].as_str(), Some("certgate"));
    assert_eq!(manifest["schema_version"].as_integer(), Some(1));
    assert_eq!(manifest["version"], cargo["package"]["version"]);
    assert_eq!(
        manifest["repository"].as_str(),
        Some("https://github.com/certgate/certgate")
    );

    // Zed loads a Rust extension as a wasm library, built in its own workspace.
    assert_eq!(strings(&cargo["lib"]["crate-type"]), ["cdylib"]);
    assert!(cargo.get("workspace").is_some(), "not its own workspace");
    assert_eq!(
        cargo["dependencies"]["zed_extension_api"].as_str(),
        Some("0.7.0")
    );

    let server = &manifest["language_servers"]["certgate"];
    let languages = strings(&server["languages"]);
    assert_eq!(
        languages,
        [
            "Terraform",
            "Terraform Vars",
            "Bicep",
            "Bicep Parameters",
            "JSON",
            "JSONC"
        ]
    );
    let ids = server["language_ids"].as_table().unwrap();
    let mut mapped: Vec<&str> = ids.keys().map(String::as_str).collect();
    let mut sorted = languages.clone();
    mapped.sort();
    sorted.sort();
    assert_eq!(mapped, sorted, "every language has an LSP language id");
}

#[test]
fn editors_are_not_in_the_crates_io_package() {
    let cargo = read_toml("Cargo.toml");
    let include = strings(&cargo["package"]["include"]);
    assert!(
        include.iter().all(|pattern| !pattern.contains("editors")
            && !pattern.starts_with("/**")
            && !pattern.starts_with("**")),
        "{include:?}"
    );
}
