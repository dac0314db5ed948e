//! Nothing outside the project root is read: every reference that leaves it (Terraform module
//! sources and `.terraform/modules/modules.json`, Bicep modules, `using` and `extends`, ARM
//! `templateLink.relativePath`, symbolic links) is a notice naming the path, and the text of
//! the file there never appears in any output. Special files (FIFOs, devices) are never read.
#![cfg(unix)]

use std::fs;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;

mod common;
use common::{Outcome, mkfifo};

/// Text every file outside the root holds: it must never show in any output.
const SENTINEL: &str = "SENTINEL-outside-the-root";

/// A repository (`repo/`, a git work tree) and a directory beside it (`outside/`).
struct Tree {
    _dir: tempfile::TempDir,
    base: PathBuf,
}

impl Tree {
    fn new() -> Tree {
        let dir = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir_all(base.join("repo/.git")).unwrap();
        fs::create_dir_all(base.join("outside")).unwrap();
        Tree { _dir: dir, base }
    }

    fn repo(&self) -> PathBuf {
        self.base.join("repo")
    }

    fn write(&self, name: &str, text: &str) {
        common::write(&self.base, name, text);
    }

    /// Files outside the root that would be judged (and fail) if they were read, each also
    /// holding a syntax error whose snippet would print the sentinel.
    fn sentinels(&self) {
        let tf = format!(
            "resource \"azurerm_linux_web_app\" \"outside\" {{\n  client_certificate_enabled = false\n}}\n{SENTINEL} = =\n"
        );
        self.write("outside/mod/main.tf", &tf);
        self.write(
            "outside/secret.bicep",
            &format!(
                "resource s 'Microsoft.Web/sites@2022-03-01' = {{\n  name: 's'\n  properties: {{}}\n}}\n{SENTINEL} = =\n"
            ),
        );
        self.write(
            "outside/linked.json",
            &format!("{{\"$schema\": \"deploymentTemplate.json\", \"{SENTINEL}\": }}"),
        );
        self.write("outside/secret.txt", SENTINEL);
    }

    /// Runs certgate in `repo/` and checks no sentinel shows in stdout or stderr.
    fn run(&self, args: &[&str]) -> Outcome {
        let outcome = Outcome::of(
            common::certgate(&self.repo())
                .args(args)
                // A hang is a failure (a FIFO opened for reading blocks forever).
                .timeout(Duration::from_secs(120)),
        );
        for text in [&outcome.stdout, &outcome.stderr] {
            assert!(
                !text.contains(SENTINEL),
                "the outside file was read:\n{text}"
            );
            assert!(!text.contains("panicked"), "{text}");
        }
        outcome
    }

    /// Runs certgate in `repo/` and checks that it stops (exit code 2) saying `says`.
    fn fails_saying(&self, args: &[&str], says: &str) {
        let outcome = self.run(args);
        assert_eq!(outcome.code, 2, "{}", outcome.stderr);
        assert!(outcome.stderr.contains(says), "{}", outcome.stderr);
    }
}

/// The messages of a JSON report's `key` list ("errors" or "notices"), with their paths.
fn messages(json: &Value, key: &str) -> Vec<(String, String)> {
    json[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key}: {json}"))
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_string(),
                e["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn addresses(json: &Value) -> Vec<String> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["address"].as_str().unwrap().to_string())
        .collect()
}

/// Runs both the JSON and the human report, so snippets are checked for the sentinel too.
fn both(tree: &Tree, args: &[&str]) -> Outcome {
    let mut human = args.to_vec();
    human.retain(|a| *a != "--format" && *a != "json");
    tree.run(&human);
    tree.run(args)
}

#[test]
fn terraform_module_sources_leaving_the_root_are_notices_and_not_read() {
    let tree = Tree::new();
    tree.sentinels();
    let outside = tree.base.join("outside/mod");
    tree.write(
        "repo/main.tf",
        &format!(
            "module \"up\" {{\n  source = \"../outside/mod\"\n}}\nmodule \"deep\" {{\n  source = \"../../../../../../../..{}\"\n}}\n",
            outside.display()
        ),
    );
    let outcome = both(&tree, &["check", ".", "--format", "json"]);
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    let json = outcome.json();
    assert_eq!(addresses(&json), Vec::<String>::new());
    let notices = messages(&json, "notices");
    assert_eq!(notices.len(), 2, "{notices:?}");
    for (path, message) in &notices {
        assert_eq!(path, "main.tf");
        assert!(message.contains("is outside the project root"), "{message}");
        assert!(
            message.contains(&format!("`{}`", outside.display())),
            "{message}"
        );
    }
}

#[test]
fn a_modules_json_dir_leaving_the_root_is_a_notice_and_not_read() {
    let tree = Tree::new();
    tree.sentinels();
    tree.write(
        "repo/main.tf",
        "module \"web\" {\n  source = \"app.terraform.io/acme/web/azurerm\"\n}\n",
    );
    let dir = tree.base.join("outside/mod");
    tree.write(
        "repo/.terraform/modules/modules.json",
        &format!(
            "{{\"Modules\":[{{\"Key\":\"web\",\"Source\":\"x\",\"Dir\":\"{}\"}}]}}",
            dir.display()
        ),
    );
    let outcome = both(&tree, &["check", ".", "--format", "json"]);
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    let notices = messages(&outcome.json(), "notices");
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].1.contains("modules.json"), "{notices:?}");
    assert!(notices[0].1.contains("outside the project root"));
}

#[test]
fn bicep_modules_using_and_extends_leaving_the_root_are_notices_and_not_read() {
    let tree = Tree::new();
    tree.sentinels();
    tree.write(
        "repo/main.bicep",
        "module a '../outside/secret.bicep' = {\n  name: 'a'\n}\nmodule b '/etc/passwd' = {\n  name: 'b'\n}\n\
         resource s 'Microsoft.Web/sites@2022-03-01' = {\n  name: 's'\n  properties: {\n    clientCertEnabled: true\n  }\n}\n",
    );
    tree.write(
        "repo/prod.bicepparam",
        "using '../outside/secret.bicep'\nextends '/etc/passwd'\n",
    );
    tree.write(
        "repo/dev.bicepparam",
        "using './main.bicep'\nextends '../outside/secret.bicep'\n",
    );
    let outcome = both(&tree, &["check", ".", "--format", "json"]);
    let json = outcome.json();
    assert_eq!(addresses(&json), Vec::<String>::new(), "{json}");
    let notices = messages(&json, "notices");
    let outside: Vec<&(String, String)> = notices
        .iter()
        .filter(|(_, m)| m.contains("outside the project root"))
        .collect();
    assert!(
        outside
            .iter()
            .any(|(p, m)| p == "main.bicep" && m.contains("module `a`")),
        "{notices:?}"
    );
    assert!(
        outside
            .iter()
            .any(|(p, m)| p == "main.bicep" && m.contains("/etc/passwd")),
        "{notices:?}"
    );
    assert!(
        outside
            .iter()
            .any(|(p, m)| p == "prod.bicepparam" && m.contains("using")),
        "{notices:?}"
    );
    assert!(
        outside
            .iter()
            .any(|(p, m)| p == "dev.bicepparam" && m.contains("extends")),
        "{notices:?}"
    );
}

#[test]
fn an_arm_template_link_leaving_the_root_is_a_notice_and_not_read() {
    let tree = Tree::new();
    tree.sentinels();
    tree.write(
        "repo/azuredeploy.json",
        r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "linked",
      "properties": {
        "mode": "Incremental",
        "templateLink": { "relativePath": "../outside/linked.json" }
      }
    }
  ]
}"#,
    );
    let outcome = both(&tree, &["check", ".", "--format", "json"]);
    let notices = messages(&outcome.json(), "notices");
    assert!(
        notices.iter().any(|(p, m)| p == "azuredeploy.json"
            && m.contains("templateLink `../outside/linked.json`")
            && m.contains("outside the project root")),
        "{notices:?}"
    );
}

#[test]
fn a_symlinked_file_is_read_inside_the_root_and_not_when_it_leads_out() {
    let tree = Tree::new();
    tree.sentinels();
    tree.write(
        "repo/shared/site.tf",
        "resource \"azurerm_linux_web_app\" \"shared\" {\n  client_certificate_enabled = false\n}\n",
    );
    fs::create_dir_all(tree.base.join("repo/app")).unwrap();
    std::os::unix::fs::symlink("../shared/site.tf", tree.base.join("repo/app/site.tf")).unwrap();
    std::os::unix::fs::symlink(
        tree.base.join("outside/mod/main.tf"),
        tree.base.join("repo/app/out.tf"),
    )
    .unwrap();
    // Named on the command line, as pre-commit does.
    let outcome = tree.run(&["check", "app/site.tf", "--format", "json"]);
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    assert_eq!(addresses(&outcome.json()), ["azurerm_linux_web_app.shared"]);
    // Walked: the module directory holds both links; the one leading out is a notice.
    let outcome = both(&tree, &["check", "app", "--format", "json"]);
    let json = outcome.json();
    assert_eq!(addresses(&json), ["azurerm_linux_web_app.shared"]);
    let notices = messages(&json, "notices");
    assert!(
        notices
            .iter()
            .any(|(p, m)| p.ends_with("out.tf") && m.contains("outside the project root")),
        "{notices:?}"
    );
}

#[test]
fn project_root_option_and_config_widen_the_root() {
    let tree = Tree::new();
    tree.write(
        "outside/mod/main.tf",
        "resource \"azurerm_linux_web_app\" \"shared\" {}\n",
    );
    tree.write(
        "repo/main.tf",
        "module \"up\" {\n  source = \"../outside/mod\"\n}\n",
    );
    let outcome = tree.run(&["check", ".", "--format", "json", "--project-root", ".."]);
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    assert_eq!(
        addresses(&outcome.json()),
        ["module.up.azurerm_linux_web_app.shared"]
    );
    tree.write("repo/certgate.toml", "project-root = \"..\"\n");
    let outcome = tree.run(&["check", ".", "--format", "json"]);
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    // A scanned path outside an explicit root is an error, not scanned.
    let outcome = tree.run(&["check", "..", "--format", "json", "--project-root", "."]);
    assert_eq!(outcome.code, 2, "{}", outcome.stderr);
    let errors = messages(&outcome.json(), "errors");
    assert!(
        errors[0].1.contains("outside the project root"),
        "{errors:?}"
    );
}

#[test]
fn a_gitignore_that_is_a_fifo_or_links_to_dev_zero_neither_hangs_nor_fills_memory() {
    let tree = Tree::new();
    tree.write(
        "repo/app/main.tf",
        "resource \"azurerm_linux_web_app\" \"app\" {}\n",
    );
    mkfifo(&tree.base.join("repo/.gitignore"));
    std::os::unix::fs::symlink("/dev/zero", tree.base.join("repo/app/.ignore")).unwrap();
    let outcome = tree.run(&["check", ".", "--format", "json"]);
    assert_eq!(outcome.code, 2, "{}", outcome.stderr);
    let json = outcome.json();
    assert_eq!(addresses(&json), ["azurerm_linux_web_app.app"]);
    let errors = messages(&json, "errors");
    assert_eq!(
        errors,
        [(
            ".gitignore".to_string(),
            "not a regular file: it is a FIFO; its rules are not applied".to_string()
        )]
    );
    // `/dev/zero` is outside the root: the link is a notice, never opened.
    let notices = messages(&json, "notices");
    assert!(
        notices
            .iter()
            .any(|(p, m)| p == "app/.ignore" && m.contains("/dev/zero")),
        "{notices:?}"
    );
}

#[test]
fn a_baseline_that_is_a_fifo_or_a_device_is_refused_without_hanging() {
    let tree = Tree::new();
    tree.write(
        "repo/main.tf",
        "resource \"azurerm_linux_web_app\" \"app\" {}\n",
    );
    mkfifo(&tree.base.join("repo/baseline.fifo"));
    tree.fails_saying(
        &["check", ".", "--baseline", "baseline.fifo"],
        "cannot read the baseline baseline.fifo: not a regular file: it is a FIFO",
    );
    tree.fails_saying(
        &["check", ".", "--baseline", "/dev/zero"],
        "/dev/zero: not a regular file: it is a character device",
    );
    tree.fails_saying(
        &["check", ".", "--write-baseline", "baseline.fifo"],
        "cannot write the baseline baseline.fifo: not a regular file: it is a FIFO",
    );
}

#[test]
fn a_reference_to_a_device_or_a_link_loop_says_what_it_is() {
    let tree = Tree::new();
    std::os::unix::fs::symlink("/dev/zero", tree.base.join("repo/zero.bicep")).unwrap();
    std::os::unix::fs::symlink("loop-b.bicep", tree.base.join("repo/loop-a.bicep")).unwrap();
    std::os::unix::fs::symlink("loop-a.bicep", tree.base.join("repo/loop-b.bicep")).unwrap();
    tree.write(
        "repo/main.bicep",
        "module z 'zero.bicep' = {\n  name: 'z'\n}\nmodule l 'loop-a.bicep' = {\n  name: 'l'\n}\n\
         resource s 'Microsoft.Web/sites@2022-03-01' = {\n  name: 's'\n  properties: {\n    clientCertEnabled: true\n  }\n}\n",
    );
    // The root is widened to `/` so that the device is inside it and what it is gets named.
    let outcome = tree.run(&["check", ".", "--format", "json", "--project-root", "/"]);
    let json = outcome.json();
    let errors = messages(&json, "errors");
    assert!(
        errors
            .iter()
            .any(|(_, m)| m == "module `z`: `zero.bicep` is not followed: it is a character device, not a regular file"),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|(_, m)| m
                == "module `l`: `loop-a.bicep` is not followed: it is a symbolic link loop"),
        "{errors:?}"
    );
}

#[test]
fn a_device_named_on_the_command_line_says_what_it_is() {
    let tree = Tree::new();
    let outcome = tree.run(&["check", "/dev/zero", "--format", "json"]);
    assert_eq!(outcome.code, 2, "{}", outcome.stderr);
    assert_eq!(
        messages(&outcome.json(), "errors"),
        [(
            "/dev/zero".to_string(),
            "not a regular file: it is a character device".to_string()
        )]
    );
}

#[test]
fn bicep_imports_leaving_the_root_are_notices_and_not_read() {
    let tree = Tree::new();
    tree.sentinels();
    tree.write(
        "repo/main.bicep",
        "import { mode } from '../outside/secret.bicep'\n\
         resource s 'Microsoft.Web/sites@2022-03-01' = {\n  name: 's'\n  properties: {\n    clientCertEnabled: true\n    clientCertMode: mode\n  }\n}\n",
    );
    let outcome = both(&tree, &["check", ".", "--format", "json"]);
    let json = outcome.json();
    let notices = messages(&json, "notices");
    assert!(
        notices.iter().any(|(p, m)| p == "main.bicep"
            && m.starts_with("the import from `../outside/secret.bicep` is not followed")
            && m.contains("outside the project root")),
        "{notices:?}"
    );
    // The site is judged; the imported value is unknown, saying why.
    assert_eq!(addresses(&json), ["s"], "{json}");
    let message = json["findings"][0]["message"].as_str().unwrap();
    assert!(message.contains("outside the project root"), "{message}");
}
