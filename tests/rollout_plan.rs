//! End-to-end tests of `certgate plan` (root causes, batches, owners, exceptions, totals in
//! every format) and of `check --fix` / `--diff` with `--batch K` and `--root-causes`.

use std::path::Path;

mod common;
use common::{bin, certgate, stdout_json};

const ESTATE: &str = "fixtures/rollout/plan_estate";

/// `certgate plan` on a fixture folder (its own project root, a fixed date): stdout and exit code.
fn plan(dir: &str, args: &[&str]) -> (String, i32) {
    let output = bin()
        .args(["plan", "--today", "2026-06-01", "--project-root", dir])
        .args(args)
        .arg(dir)
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        output.status.code().unwrap(),
    )
}

#[test]
fn plan_of_the_estate_in_each_format_matches_its_snapshot() {
    for format in ["markdown", "human", "json"] {
        let (text, code) = plan(ESTATE, &["--batch-size", "2", "--format", format]);
        assert_eq!(code, 0, "{text}");
        insta::assert_snapshot!(format!("plan_estate_{format}"), text);
    }
}

#[test]
fn each_root_cause_kind_is_one_action_for_all_its_sites() {
    let cases = [
        (
            "root_cause_variable_default",
            "variable-default",
            "modules/web/variables.tf",
            2,
        ),
        (
            "root_cause_bicep_parameter_default",
            "parameter-default",
            "modules/site.bicep",
            1,
        ),
        (
            "root_cause_azapi_body",
            "module-value",
            "modules/site/main.tf",
            1,
        ),
        (
            "root_cause_shared_locals",
            "shared-local",
            "live/common.hcl",
            2,
        ),
    ];
    for (name, kind, place, roots) in cases {
        let dir = format!("fixtures/rollout/{name}");
        let (text, code) = plan(&dir, &["--format", "json"]);
        assert_eq!(code, 0, "{text}");
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let causes = json["root_causes"].as_array().unwrap();
        assert_eq!(causes.len(), 1, "{name}: {text}");
        assert_eq!(causes[0]["kind"], kind, "{name}");
        assert_eq!(causes[0]["path"], format!("{dir}/{place}"), "{name}");
        assert_eq!(causes[0]["sites"].as_array().unwrap().len(), 2, "{name}");
        assert_eq!(causes[0]["roots"], roots, "{name}");
        // Covered sites are not batched again.
        assert!(json["batches"].as_array().unwrap().is_empty(), "{name}");
    }
}

#[test]
fn a_value_written_in_the_root_is_not_a_root_cause() {
    // The estate's `api` is written in its root: it is a batch line, not a root cause.
    let (text, _) = plan(ESTATE, &["--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let causes: Vec<&str> = json["root_causes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["sites"].as_array().unwrap())
        .map(|s| s["address"].as_str().unwrap())
        .collect();
    assert_eq!(causes, ["module.shop.azurerm_linux_web_app.this"]);
}

#[test]
fn values_written_in_the_root_and_passed_to_a_module_stay_in_the_batches() {
    // The root's own variable default and a literal module argument are fixed per root;
    // the module's default feeds only `third`, which passes nothing.
    let dir = common::tree(&[
        (
            "modules/web/main.tf",
            "variable \"mtls\" {\n  type    = bool\n  default = false\n}\n\
             resource \"azurerm_linux_web_app\" \"this\" {\n  \
             client_certificate_enabled = var.mtls\n  client_certificate_mode = \"Required\"\n}\n",
        ),
        (
            "main.tf",
            "variable \"root_mtls\" {\n  default = false\n}\n\
             module \"first\" {\n  source = \"./modules/web\"\n  mtls   = var.root_mtls\n}\n\
             module \"second\" {\n  source = \"./modules/web\"\n  mtls   = false\n}\n\
             module \"third\" {\n  source = \"./modules/web\"\n}\n",
        ),
    ]);
    let output = certgate(dir.path())
        .args(["plan", "--format", "json", "."])
        .output()
        .unwrap();
    let json = stdout_json(&output);
    let addresses = |list: &serde_json::Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .flat_map(|group| group["sites"].as_array().unwrap())
            .map(|s| s["address"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        addresses(&json["root_causes"]),
        ["module.third.azurerm_linux_web_app.this"]
    );
    assert_eq!(
        addresses(&json["batches"]),
        [
            "module.first.azurerm_linux_web_app.this",
            "module.second.azurerm_linux_web_app.this"
        ]
    );
}

/// The estate copied into a fresh directory (its own project root), so fixes can be written.
fn estate_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new(ESTATE), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file of the tree with its text, by relative path.
fn texts(dir: &Path) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    for entry in ignore::WalkBuilder::new(dir).hidden(false).build() {
        let entry = entry.unwrap();
        if entry.file_type().is_some_and(|t| t.is_file()) {
            let relative = entry.path().strip_prefix(dir).unwrap();
            out.insert(
                relative.display().to_string(),
                std::fs::read_to_string(entry.path()).unwrap(),
            );
        }
    }
    out
}

/// The addresses of the failing (error or warning) sites `check --format json` reports.
fn reported(dir: &Path) -> Vec<String> {
    let output = certgate(dir)
        .args(["check", "--today", "2026-06-01", "--format", "json", "."])
        .output()
        .unwrap();
    let json = stdout_json(&output);
    let mut out: Vec<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["address"].as_str().unwrap().to_string())
        .collect();
    out.sort();
    out
}

/// The plan's batch `k` (1-based) as (address, path, fixable) triples, planned in `dir`.
fn batch_sites(dir: &Path, size: &str, k: usize) -> Vec<(String, String, bool)> {
    let output = certgate(dir)
        .args(["plan", "--today", "2026-06-01", "--format", "json"])
        .args(["--batch-size", size, "."])
        .output()
        .unwrap();
    let json = stdout_json(&output);
    json["batches"][k - 1]["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["address"].as_str().unwrap().to_string(),
                s["path"].as_str().unwrap().to_string(),
                s["fixable"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[test]
fn fix_batch_k_fixes_exactly_the_sites_of_the_plans_batch_k() {
    for k in 1..=3 {
        let dir = estate_copy();
        let wanted = batch_sites(dir.path(), "2", k);
        assert!(!wanted.is_empty());
        let before_texts = texts(dir.path());
        let before = reported(dir.path());
        let output = certgate(dir.path())
            .args([
                "check",
                "--today",
                "2026-06-01",
                "--fix",
                "--batch",
                &k.to_string(),
            ])
            .args(["--batch-size", "2", "."])
            .output()
            .unwrap();
        assert_ne!(output.status.code(), Some(2), "{output:?}");
        let after = reported(dir.path());
        let fixed: Vec<&String> = before.iter().filter(|a| !after.contains(a)).collect();
        let mut expected: Vec<&String> = wanted
            .iter()
            .filter(|(_, _, fixable)| *fixable)
            .map(|(address, ..)| address)
            .collect();
        expected.sort();
        assert_eq!(fixed, expected, "batch {k}");
        // Only files holding a site of the batch changed.
        let batch_files: Vec<String> = wanted
            .iter()
            .map(|(_, path, _)| path.trim_start_matches("./").to_string())
            .collect();
        for (path, text) in texts(dir.path()) {
            if before_texts[&path] != text {
                assert!(batch_files.contains(&path), "batch {k} changed {path}");
            }
        }
    }
}

#[test]
fn fix_root_causes_changes_only_the_shared_places() {
    let dir = estate_copy();
    let before = texts(dir.path());
    let output = certgate(dir.path())
        .args([
            "check",
            "--today",
            "2026-06-01",
            "--fix",
            "--root-causes",
            ".",
        ])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "other sites still fail: {output:?}"
    );
    let after = texts(dir.path());
    let changed: Vec<&String> = after
        .iter()
        .filter(|(path, text)| before[*path] != **text)
        .map(|(path, _)| path)
        .collect();
    assert_eq!(changed, ["modules/web/main.tf"]);
    assert!(after["modules/web/main.tf"].contains("default = true"));
    assert!(!reported(dir.path()).contains(&"module.shop.azurerm_linux_web_app.this".to_string()));
}

#[test]
fn diff_with_a_batch_shows_only_that_batch_and_writes_nothing() {
    let dir = estate_copy();
    let before = texts(dir.path());
    let output = certgate(dir.path())
        .args(["check", "--today", "2026-06-01", "--diff", "--batch", "1"])
        .args(["--batch-size", "2", "."])
        .output()
        .unwrap();
    let diff = String::from_utf8(output.stdout).unwrap();
    // Batch 1 is internet + production: the two sites of `envs/prod` (see the plan snapshot).
    assert!(diff.contains("envs/prod/main.tf"), "{diff}");
    assert!(!diff.contains("envs/dev"), "{diff}");
    assert_eq!(
        diff.matches("+  client_certificate_enabled = true").count(),
        1,
        "{diff}"
    );
    assert!(!diff.contains("modules/web"), "{diff}");
    assert_eq!(texts(dir.path()), before);
}

#[test]
fn batch_selection_needs_fix_or_diff_and_an_existing_batch() {
    let dir = estate_copy();
    let alone = certgate(dir.path())
        .args(["check", "--batch", "1", "."])
        .output()
        .unwrap();
    assert_eq!(alone.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&alone.stderr).contains("--fix or --diff"));
    let before = texts(dir.path());
    let missing = certgate(dir.path())
        .args(["check", "--fix", "--batch", "9", "."])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(stderr.contains("there is no batch 9"), "{stderr}");
    assert_eq!(texts(dir.path()), before);
}

#[test]
fn plan_exits_2_when_the_scan_had_errors_and_names_them() {
    let dir = tempfile::tempdir().unwrap();
    common::write(
        dir.path(),
        "main.tf",
        "resource \"azurerm_linux_web_app\" \"a\" {\n",
    );
    let output = certgate(dir.path())
        .args(["plan", "--format", "markdown", "."])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("## Notes") && text.contains("main.tf:"),
        "{text}"
    );
}

#[test]
fn a_site_read_from_a_plan_json_is_never_a_root_cause() {
    // `module.web.…` sits in a module, but the plan does not say where that module is written.
    let (text, code) = plan("fixtures/plan/module_for_each", &["--format", "json"]);
    assert_eq!(code, 0, "{text}");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(json["root_causes"].as_array().unwrap().is_empty(), "{text}");
    assert_eq!(json["totals"]["batches"], serde_json::json!([1]));
}

/// One Bicep declaration judged for two scenarios (`main.prod.bicepparam`, `main.dev.bicepparam`)
/// lands in two batches with the same literal `clientCertEnabled: false`. Fixing it for batch 1
/// would fix batch 2's site too (or, the other way round, a non-production batch would change
/// production): the plan says auto-fix no for both, and `--fix --batch 1` leaves the file alone
/// while it fixes the rest of the batch.
#[test]
fn fix_batch_leaves_a_literal_shared_with_another_batchs_scenario() {
    let shared = Path::new("fixtures/rollout/batch_shared_declaration");
    let dir = tempfile::tempdir().unwrap();
    copy_dir(shared, dir.path());
    let batch1 = batch_sites(dir.path(), "20", 1);
    let batch2 = batch_sites(dir.path(), "20", 2);
    let admin = |batch: &[(String, String, bool)]| {
        batch
            .iter()
            .find(|(address, ..)| address == "admin")
            .cloned()
    };
    assert_eq!(
        admin(&batch1),
        Some(("admin".into(), "app/main.bicep".into(), false)),
        "{batch1:?}"
    );
    assert_eq!(
        admin(&batch2),
        Some(("admin".into(), "app/main.bicep".into(), false)),
        "{batch2:?}"
    );
    let before = texts(dir.path());
    let output = certgate(dir.path())
        .args([
            "check",
            "--today",
            "2026-06-01",
            "--fix",
            "--batch",
            "1",
            ".",
        ])
        .output()
        .unwrap();
    // The human output wraps the reason: compare it word by word.
    let stdout = String::from_utf8_lossy(&output.stdout);
    let words = stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains(
            "its fix also changes `admin` [scenario main.dev.bicepparam], which is not selected"
        ),
        "{stdout}"
    );
    let after = texts(dir.path());
    assert_eq!(after["app/main.bicep"], before["app/main.bicep"]);
    assert!(after["envs/prod/main.tf"].contains("client_certificate_enabled = true"));
}

#[test]
fn batch_size_zero_is_refused_by_plan_and_check() {
    let dir = estate_copy();
    for args in [
        &["plan", "--batch-size", "0", "."][..],
        &["check", "--diff", "--batch", "1", "--batch-size", "0", "."][..],
    ] {
        let output = certgate(dir.path()).args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("--batch-size"), "{stderr}");
    }
}

/// `plan --format json` and `check --format json` print the guardrail as one object (the same
/// fields, state and reason apart, the same note), whatever the form of the assignment.
#[test]
fn plan_json_guardrail_is_check_json_guardrail() {
    for name in ["enforcement_off", "terraform_initiative_in_code", "missing"] {
        let dir = format!("fixtures/guardrail/{name}");
        let (text, _) = plan(&dir, &["--format", "json"]);
        let planned: serde_json::Value = serde_json::from_str(&text).unwrap();
        let checked = bin()
            .args(["check", "--today", "2026-06-01", "--format", "json"])
            .args(["--project-root", &dir, &dir])
            .output()
            .unwrap();
        let checked = stdout_json(&checked);
        assert_eq!(planned["guardrail"], checked["guardrail"], "{name}");
    }
}

/// A certgate.toml with errors counts as the defaults: its sites are all in the plan, so the
/// notice must not say they are missing (it did), but that the config does not apply.
#[test]
fn a_bad_config_notice_says_the_config_does_not_apply_not_that_sites_are_missing() {
    let dir = estate_copy();
    common::write(
        dir.path(),
        "certgate.toml",
        "[environments]\nproduction = \"envs/prod/**\"\n",
    );
    let output = certgate(dir.path())
        .args(["plan", "--today", "2026-06-01", "--format", "json", "."])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let json = stdout_json(&output);
    let notices = json["notices"].to_string();
    assert!(notices.contains("certgate.toml:2:"), "{notices}");
    assert!(
        notices.contains("the plan was made without this config"),
        "{notices}"
    );
    assert!(!notices.contains("missing from this plan"), "{notices}");
    assert!(json["totals"]["sites"].as_u64().unwrap() > 0);
}

/// In Markdown an assignment's address is code, as a site's is: a Terraform address full of
/// underscores or an ARM name with `*` must not turn into emphasis in a pull request.
#[test]
fn markdown_shows_a_guardrail_assignments_address_as_code() {
    let (text, _) = plan(
        "fixtures/guardrail/terraform_direct",
        &["--format", "markdown"],
    );
    let line = text
        .lines()
        .find(|l| l.contains("scope `"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.starts_with("- `azurerm_"), "{line}");
}

/// A site's path is written the same way by `plan --format json` and `check --format json`,
/// also when it is not UTF-8 (`\xNN`, not a replacement character that names no file).
#[cfg(unix)]
#[test]
fn plan_json_writes_paths_as_check_json_does() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let odd = dir.path().join(std::ffi::OsStr::from_bytes(b"app-\xff"));
    std::fs::create_dir(&odd).unwrap();
    std::fs::write(
        odd.join("main.tf"),
        "resource \"azurerm_linux_web_app\" \"a\" {\n  client_certificate_enabled = false\n}\n",
    )
    .unwrap();
    let planned = certgate(dir.path())
        .args(["plan", "--format", "json", "."])
        .output()
        .unwrap();
    let planned = stdout_json(&planned);
    let checked = certgate(dir.path())
        .args(["check", "--format", "json", "."])
        .output()
        .unwrap();
    let checked = stdout_json(&checked);
    let path = &planned["batches"][0]["sites"][0]["path"];
    assert_eq!(path, &checked["findings"][0]["path"]);
    assert!(path.as_str().unwrap().contains("app-\\xFF"), "{path}");
}

#[test]
fn plan_fix_commands_repeat_its_paths_and_selection_so_they_fix_the_batch_shown() {
    // With `--select client-cert-disabled`, batch 1 holds the production web app only; a bare
    // `certgate check --fix --batch 1` would also take the function app's optional mode.
    let dir = estate_copy();
    let output = certgate(dir.path())
        .args(["plan", "--today", "2026-06-01", "--batch-size", "2"])
        .args(["--select", "client-cert-disabled", "envs"])
        .output()
        .unwrap();
    let plan = String::from_utf8(output.stdout).unwrap();
    let line = plan
        .lines()
        .find(|l| l.trim_start().starts_with("Batch 1:"))
        .unwrap_or_else(|| panic!("a batch 1: {plan}"));
    let command = &line[line.find("certgate check").expect("its command")..];
    assert_eq!(
        command,
        "certgate check --fix --batch 1 --batch-size 2 --select client-cert-disabled envs"
    );
    // The command, as a diff, changes what the plan lists under batch 1 and nothing else.
    let words: Vec<&str> = command.split(' ').skip(1).collect();
    let args: Vec<&str> = words
        .iter()
        .map(|w| if *w == "--fix" { "--diff" } else { w })
        .collect();
    let output = certgate(dir.path())
        .arg(args[0])
        .args(["--today", "2026-06-01"])
        .args(&args[1..])
        .output()
        .unwrap();
    let diff = String::from_utf8(output.stdout).unwrap();
    assert!(diff.contains("client_certificate_enabled = true"), "{diff}");
    assert!(!diff.contains("client_certificate_mode"), "{diff}");
}
