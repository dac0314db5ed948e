//! `certgate check --fix` and `--diff` end to end: output, exit codes, JSON fix objects, and
//! what is never written (broken files, read-only files and directories).

#[cfg(unix)]
use std::fs;
#[cfg(unix)]
use std::os::unix::fs::PermissionsExt as _;

mod common;
use common::{check, read, tree};

const DISABLED: &str = "resource \"azurerm_linux_web_app\" \"api\" {\n  name = \"api\"\n}\n";
const FIXED: &str = "resource \"azurerm_linux_web_app\" \"api\" {\n  name                       = \"api\"\n  client_certificate_enabled = true\n}\n";

#[test]
fn diff_prints_what_fix_would_write_and_writes_nothing() {
    let dir = tree(&[("main.tf", DISABLED)]);
    let output = check(dir.path()).arg("--diff").output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "error findings remain before fixing"
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        stdout,
        "--- a/main.tf\n+++ b/main.tf\n@@ -1,3 +1,4 @@\n resource \"azurerm_linux_web_app\" \"api\" {\n-  name = \"api\"\n+  name                       = \"api\"\n+  client_certificate_enabled = true\n }\n"
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr,
        "certgate: --fix would fix 1 of 1 finding in 1 file\n"
    );
    assert_eq!(read(dir.path(), "main.tf"), DISABLED);
}

#[test]
fn fix_writes_lists_what_it_fixed_and_exits_0_when_nothing_remains() {
    let dir = tree(&[("main.tf", DISABLED)]);
    let output = check(dir.path()).arg("--fix").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with(
            "fixed main.tf:1:1: azurerm_linux_web_app.api (client-cert-disabled): add `client_certificate_enabled = true`\n"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("0 failing"), "{stdout}");
    assert!(
        stdout.ends_with(" Fixed 1 finding in 1 file.\n"),
        "{stdout}"
    );
    assert_eq!(read(dir.path(), "main.tf"), FIXED);
    // Nothing left: a second run fixes nothing and changes nothing.
    let again = check(dir.path()).arg("--fix").output().unwrap();
    assert_eq!(again.status.code(), Some(0));
    assert!(
        String::from_utf8(again.stdout)
            .unwrap()
            .ends_with(" Fixed 0 findings in 0 files.\n")
    );
    assert_eq!(read(dir.path(), "main.tf"), FIXED);
}

#[test]
fn json_findings_carry_fix_objects_whose_edits_apply_to_the_file() {
    let dir = tree(&[("main.tf", DISABLED)]);
    let output = check(dir.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        json.get("fixed").is_none(),
        "only a --fix run lists fixed findings"
    );
    let fix = &json["findings"][0]["fix"];
    assert_eq!(fix["applicability"], "changes-behaviour");
    let mut text = DISABLED.to_string();
    let mut edits: Vec<&serde_json::Value> = fix["edits"].as_array().unwrap().iter().collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e["start"].as_u64()));
    for edit in edits {
        assert_eq!(edit["path"], "main.tf");
        let (start, end) = (
            edit["start"].as_u64().unwrap(),
            edit["end"].as_u64().unwrap(),
        );
        text.replace_range(
            start as usize..end as usize,
            edit["replacement"].as_str().unwrap(),
        );
    }
    assert_eq!(text, FIXED);

    let output = check(dir.path())
        .args(["--fix", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let fixed = json["fixed"].as_array().unwrap();
    assert_eq!(fixed.len(), 1);
    assert_eq!(fixed[0]["address"], "azurerm_linux_web_app.api");
    assert_eq!(fixed[0]["rule"], "client-cert-disabled");
    assert_eq!(json["findings"].as_array().unwrap().len(), 0);
}

#[test]
fn findings_without_a_fix_say_why_in_json_and_after_fix() {
    let text = "variable \"on\" {\n  default = false\n}\n\nresource \"azurerm_linux_web_app\" \"a\" {\n  client_certificate_enabled = !var.on ? false : true\n}\n";
    let dir = tree(&[("main.tf", text)]);
    let output = check(dir.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let finding = &json["findings"][0];
    assert!(finding.get("fix").is_none());
    let why = finding["fix_unavailable"].as_str().unwrap();
    assert!(
        why.contains("rewrites an expression into a literal only with --unsafe-fixes"),
        "{why}"
    );
    let output = check(dir.path()).arg("--fix").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("not fixed automatically: `client_certificate_enabled` is computed"),
        "{stdout}"
    );
    assert_eq!(read(dir.path(), "main.tf"), text);
}

#[test]
fn a_file_that_fails_to_parse_is_never_touched() {
    let broken = "resource \"azurerm_linux_web_app\" \"broken\" {\n  name = \n}\n";
    let template = "{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \"resources\": [{\"type\": \"Microsoft.Web/sites\", \"name\": \"x\",";
    let dir = tree(&[
        ("app/main.tf", DISABLED),
        ("app/broken.tf", broken),
        ("arm/azuredeploy.json", template),
    ]);
    let output = check(dir.path()).arg("--fix").output().unwrap();
    assert_eq!(output.status.code(), Some(2), "the parse errors remain");
    assert_eq!(read(dir.path(), "app/broken.tf"), broken);
    assert_eq!(read(dir.path(), "arm/azuredeploy.json"), template);
}

/// The permission bits are what counts: CI runs as root, for whom the system refuses no
/// write, and certgate must still leave a file or directory someone made read-only alone.
/// Unix only: Windows has no read-only directories (its read-only attribute on a directory
/// does not stop writes in it).
#[cfg(unix)]
#[test]
fn read_only_files_and_directories_are_a_clear_error_and_stay_intact() {
    let dir = tree(&[("ro_file/main.tf", DISABLED), ("ro_dir/main.tf", DISABLED)]);
    let file = dir.path().join("ro_file/main.tf");
    fs::set_permissions(&file, fs::Permissions::from_mode(0o444)).unwrap();
    let locked = dir.path().join("ro_dir");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    let output = check(dir.path()).arg("--fix").output().unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout
            .contains("ro_file/main.tf: cannot fix: the file is read-only; the file is unchanged"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ro_dir/main.tf: cannot fix: its directory"),
        "{stdout}"
    );
    assert_eq!(read(dir.path(), "ro_file/main.tf"), DISABLED);
    assert_eq!(read(dir.path(), "ro_dir/main.tf"), DISABLED);
    let mode = fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o444);
}

#[test]
fn fix_and_diff_are_exclusive_and_diff_has_no_format() {
    let dir = tree(&[("main.tf", DISABLED)]);
    for args in [
        &["--fix", "--diff"][..],
        &["--diff", "--format", "json"][..],
    ] {
        let output = check(dir.path()).args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8(output.stderr)
                .unwrap()
                .contains("cannot be used with")
        );
    }
    assert_eq!(read(dir.path(), "main.tf"), DISABLED);
}
