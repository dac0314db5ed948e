//! Habits from ruff on `certgate check`: `--exit-zero`, `--statistics`, `--format concise`,
//! `--select` / `--ignore` / `--exclude` (and their `--extend-*` forms), `--verbose` and
//! `--show-files`.

use std::collections::BTreeMap;

use assert_cmd::Command;

mod common;
use common::{Outcome, tree};

/// A fixture folder with failing findings, warnings and expired exceptions.
const ESTATE: &str = "fixtures/rollout/plan_estate";
/// A folder with every kind of finding, exception rules and errors.
const TERRAFORM: &str = "fixtures/terraform";

/// `certgate check` at the package root, judged on a fixed day (exception expiry).
fn check(args: &[&str]) -> Command {
    let mut cmd = common::bin();
    cmd.args(["check", "--today", "2026-12-06"]).args(args);
    cmd
}

/// A project whose only finding fails the run.
fn failing_project() -> tempfile::TempDir {
    tree(&[(
        "main.tf",
        "resource \"azurerm_linux_web_app\" \"web\" {\n  client_certificate_enabled = false\n}\n",
    )])
}

/// A project with a failing finding and a file that does not parse (exit code 2).
fn broken_project() -> tempfile::TempDir {
    tree(&[
        (
            "main.tf",
            "resource \"azurerm_linux_web_app\" \"web\" {\n  client_certificate_enabled = false\n}\n",
        ),
        ("broken.tf", "resource \"azurerm_linux_web_app\" \"x\" {\n"),
    ])
}

#[test]
fn exit_zero_turns_failing_findings_into_exit_0_in_every_format() {
    let dir = failing_project();
    common::check(dir.path()).arg("-q").assert().code(1);
    for format in [
        "human", "json", "sarif", "junit", "github", "gitlab", "concise",
    ] {
        let out =
            Outcome::of(common::check(dir.path()).args(["-q", "--exit-zero", "--format", format]));
        assert_eq!(out.code, 0, "{format}: {}", out.stderr);
        // The findings are still reported.
        assert!(
            out.stdout.contains("client-cert-disabled"),
            "{format}: {}",
            out.stdout
        );
    }
}

#[test]
fn exit_zero_keeps_exit_2_when_the_input_is_bad() {
    let dir = broken_project();
    common::check(dir.path()).arg("-q").assert().code(2);
    common::check(dir.path())
        .args(["-q", "--exit-zero"])
        .assert()
        .code(2);
}

#[test]
fn exit_zero_with_fix_and_diff_exits_0_when_findings_remain() {
    // `client_certificate_mode` from a variable without a value: unresolved, not fixable.
    let text = "variable \"mode\" {}\nresource \"azurerm_linux_web_app\" \"web\" {\n  \
                client_certificate_enabled = true\n  client_certificate_mode = var.mode\n}\n\
                resource \"azurerm_linux_web_app\" \"off\" {\n  client_certificate_enabled = false\n}\n";
    let dir = tree(&[("main.tf", text)]);
    common::check(dir.path())
        .args(["-q", "--diff", "--fail-on", "warning"])
        .assert()
        .code(1);
    common::check(dir.path())
        .args(["-q", "--diff", "--fail-on", "warning", "--exit-zero"])
        .assert()
        .code(0);
    common::check(dir.path())
        .args(["-q", "--fix", "--fail-on", "warning", "--exit-zero"])
        .assert()
        .code(0);
    // The fix was written: the run still fixes with --exit-zero.
    assert!(common::read(dir.path(), "main.tf").contains("client_certificate_enabled = true\n}"));
    common::check(dir.path())
        .args(["-q", "--fail-on", "warning"])
        .assert()
        .code(1);
}

/// The rule counts of `--format json`'s reported findings (it lists the suppressed and
/// baselined ones too, marked).
fn json_counts(path: &str) -> BTreeMap<String, usize> {
    let out = Outcome::of(&mut check(&["--format", "json", path]));
    let mut counts = BTreeMap::new();
    let json = out.json();
    let findings = json["findings"].as_array().expect("findings");
    assert!(findings.iter().any(|f| !f["suppressed"].is_null()));
    for finding in findings {
        if !finding["suppressed"].is_null() || finding["baselined"] == true {
            continue;
        }
        *counts
            .entry(finding["rule"].as_str().expect("rule").to_string())
            .or_insert(0) += 1;
    }
    counts
}

/// The `count rule` pairs of the statistics lines (the lines after the summary line).
fn statistics_of(stdout: &str) -> Vec<(usize, String)> {
    let after = stdout
        .rsplit_once("\nScanned ")
        .map(|(_, rest)| rest)
        .expect("a summary line");
    after
        .lines()
        .skip(1)
        .map(|line| {
            let mut words = line.split_whitespace();
            let count = words.next().expect("count").parse().expect("a number");
            (count, words.next().expect("rule").to_string())
        })
        .collect()
}

#[test]
fn statistics_counts_agree_with_the_json_findings() {
    let expected = json_counts(TERRAFORM);
    assert!(expected.contains_key("unused-exception"), "{expected:?}");
    for format in ["human", "concise"] {
        let out = Outcome::of(&mut check(&["--statistics", "--format", format, TERRAFORM]));
        let stats = statistics_of(&out.stdout);
        let counted: BTreeMap<String, usize> =
            stats.iter().map(|(n, rule)| (rule.clone(), *n)).collect();
        assert_eq!(counted, expected, "{format}");
        // Most first, ties by rule id.
        let mut sorted = stats.clone();
        sorted.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        assert_eq!(stats, sorted, "{format}");
    }
}

#[test]
fn statistics_do_not_count_suppressed_findings() {
    let dir = tree(&[(
        "main.tf",
        "resource \"azurerm_linux_web_app\" \"web\" {\n  \
         # certgate:ignore[client-cert-disabled] owner=team reason=\"legacy\" expires=2027-01-01\n  \
         client_certificate_enabled = false\n}\n\
         resource \"azurerm_linux_web_app\" \"api\" {\n  client_certificate_enabled = false\n}\n",
    )]);
    let out = Outcome::of(common::check(dir.path()).args([
        "--statistics",
        "--today",
        "2026-12-06",
        "--format",
        "concise",
    ]));
    assert!(out.stdout.contains(", 1 suppressed"), "{}", out.stdout);
    assert_eq!(
        statistics_of(&out.stdout),
        vec![(1, "client-cert-disabled".to_string())]
    );
}

#[test]
fn statistics_with_a_machine_format_is_an_argument_error() {
    let out = Outcome::of(&mut check(&["--statistics", "--format", "json", ESTATE]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--statistics"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
}

#[test]
fn concise_prints_one_line_per_finding_then_the_summary() {
    let out = Outcome::of(&mut check(&["--format", "concise", ESTATE]));
    assert_eq!(out.code, 1);
    insta::assert_snapshot!("concise_plan_estate", out.stdout);
}

#[test]
fn concise_quiet_prints_the_findings_only() {
    let full = Outcome::of(&mut check(&["--format", "concise", ESTATE]));
    let quiet = Outcome::of(&mut check(&["--format", "concise", "-q", ESTATE]));
    assert_eq!(quiet.code, 1);
    let lines: Vec<&str> = full.stdout.lines().collect();
    let (summary, findings) = lines.split_last().expect("lines");
    assert!(summary.starts_with("Scanned "), "{summary}");
    assert_eq!(quiet.stdout.lines().collect::<Vec<_>>(), findings);
}

#[test]
fn concise_writes_errors_as_error_lines_with_their_position() {
    let dir = broken_project();
    let out = Outcome::of(common::check(dir.path()).args(["--format", "concise", "-q", "."]));
    assert_eq!(out.code, 2);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    assert!(
        lines[0].starts_with("main.tf:2:3: client-cert-disabled "),
        "{}",
        lines[0]
    );
    assert!(lines[1].starts_with("broken.tf:"), "{}", lines[1]);
    assert!(lines[1].contains(": error "), "{}", lines[1]);
    // No colour codes even where the human format could use them.
    assert!(!out.stdout.contains('\u{1b}'));
}

const DISABLED: &str =
    "resource \"azurerm_linux_web_app\" \"web\" {\n  client_certificate_enabled = false\n}\n";
/// A function app without a mode: `client-cert-optional`.
const OPTIONAL: &str = "resource \"azurerm_linux_function_app\" \"jobs\" {\n  \
                        client_certificate_enabled = true\n}\n";

/// A project with a disabled site and an optional one at the top, a disabled one under
/// `legacy/` and one under `examples/`, and a config that excludes `legacy` and turns
/// `client-cert-optional` off.
fn configured_project() -> tempfile::TempDir {
    tree(&[
        (
            "certgate.toml",
            "exclude = [\"legacy\"]\n[rules]\nclient-cert-optional = \"off\"\n",
        ),
        ("main.tf", DISABLED),
        ("jobs/main.tf", OPTIONAL),
        ("legacy/main.tf", DISABLED),
        ("examples/main.tf", DISABLED),
    ])
}

/// The `(path, rule)` of every finding `certgate check --format json ARGS` reports in `dir`
/// (not the suppressed ones it lists too), sorted, with the exit code.
fn reported(dir: &std::path::Path, args: &[&str]) -> (Vec<(String, String)>, i32) {
    let (json, code) = common::run_json(common::check(dir).args(args));
    let mut found: Vec<(String, String)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["suppressed"].is_null())
        .map(|f| {
            (
                f["path"].as_str().expect("path").to_string(),
                f["rule"].as_str().expect("rule").to_string(),
            )
        })
        .collect();
    found.sort();
    (found, code)
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(path, rule)| (path.to_string(), rule.to_string()))
        .collect()
}

#[test]
fn the_configured_project_reports_what_its_config_leaves_on() {
    let dir = configured_project();
    let (found, code) = reported(dir.path(), &[]);
    assert_eq!(
        found,
        pairs(&[
            ("examples/main.tf", "client-cert-disabled"),
            ("main.tf", "client-cert-disabled")
        ])
    );
    assert_eq!(code, 1);
}

#[test]
fn select_replaces_the_configured_rules_even_one_the_config_turns_off() {
    let dir = configured_project();
    let (found, code) = reported(dir.path(), &["--select", "client-cert-optional"]);
    assert_eq!(found, pairs(&[("jobs/main.tf", "client-cert-optional")]));
    assert_eq!(code, 1);
    // Comma lists and repeated options add up.
    let comma = reported(
        dir.path(),
        &["--select", "client-cert-optional,client-cert-disabled"],
    );
    let repeated = reported(
        dir.path(),
        &[
            "--select",
            "client-cert-optional",
            "--select",
            "client-cert-disabled",
        ],
    );
    assert_eq!(comma, repeated);
    assert_eq!(comma.0.len(), 3, "{:?}", comma.0);
    assert_eq!(reported(dir.path(), &["--select", "ALL"]), comma);
}

#[test]
fn extend_select_adds_to_the_configured_rules() {
    let dir = configured_project();
    let (found, _) = reported(dir.path(), &["--extend-select", "client-cert-optional"]);
    assert_eq!(
        found,
        pairs(&[
            ("examples/main.tf", "client-cert-disabled"),
            ("jobs/main.tf", "client-cert-optional"),
            ("main.tf", "client-cert-disabled")
        ])
    );
}

#[test]
fn ignore_adds_to_what_the_config_turns_off_and_wins_over_select() {
    let dir = configured_project();
    let (found, code) = reported(dir.path(), &["--ignore", "client-cert-disabled"]);
    assert!(found.is_empty(), "{found:?}");
    // Nothing left fails the run.
    assert_eq!(code, 0);
    let (found, _) = reported(
        dir.path(),
        &[
            "--select",
            "client-cert-optional,client-cert-disabled",
            "--ignore",
            "client-cert-disabled",
        ],
    );
    assert_eq!(found, pairs(&[("jobs/main.tf", "client-cert-optional")]));
}

#[test]
fn exclude_replaces_the_config_excludes() {
    let dir = configured_project();
    let (found, _) = reported(dir.path(), &["--exclude", "examples"]);
    // `legacy` is scanned again: the command line's list replaced the config's.
    assert_eq!(
        found,
        pairs(&[
            ("legacy/main.tf", "client-cert-disabled"),
            ("main.tf", "client-cert-disabled")
        ])
    );
    // Repeatable, and relative to the current directory.
    let (found, _) = reported(
        dir.path(),
        &["--exclude", "examples", "--exclude", "./main.tf"],
    );
    assert_eq!(found, pairs(&[("legacy/main.tf", "client-cert-disabled")]));
}

#[test]
fn extend_exclude_adds_to_the_config_excludes() {
    let dir = configured_project();
    let (found, _) = reported(dir.path(), &["--extend-exclude", "examples/**"]);
    assert_eq!(found, pairs(&[("main.tf", "client-cert-disabled")]));
}

#[test]
fn excludes_apply_to_files_named_on_the_command_line_as_the_config_excludes_do() {
    let dir = configured_project();
    // pre-commit passes the changed files: an excluded one is skipped, as ruff's
    // `--force-exclude` would.
    let (found, code) = reported(
        dir.path(),
        &[
            "--extend-exclude",
            "examples",
            "examples/main.tf",
            "legacy/main.tf",
        ],
    );
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(code, 0);
    let (found, _) = reported(
        dir.path(),
        &["--exclude", "main.tf", "main.tf", "legacy/main.tf"],
    );
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn an_unknown_rule_id_is_an_argument_error_naming_the_id_and_the_rules() {
    for option in ["--select", "--extend-select", "--ignore"] {
        let out = Outcome::of(&mut check(&[option, "client-cert-disabled,nope", ESTATE]));
        assert_eq!(out.code, 2, "{option}");
        assert!(out.stdout.is_empty(), "{option}: {}", out.stdout);
        assert!(out.stderr.contains("unknown rule `nope`"), "{}", out.stderr);
        for id in [
            "client-cert-disabled",
            "client-cert-optional",
            "unused-exception",
        ] {
            assert!(out.stderr.contains(&format!("`{id}`")), "{}", out.stderr);
        }
    }
    // `invalid-exception` cannot be turned off, so it cannot be selected either.
    let out = Outcome::of(&mut check(&["--ignore", "invalid-exception", ESTATE]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("always reported"), "{}", out.stderr);
}

#[test]
fn an_invalid_glob_is_an_argument_error_naming_the_glob() {
    for option in ["--exclude", "--extend-exclude"] {
        let out = Outcome::of(&mut check(&[option, "envs/[a", ESTATE]));
        assert_eq!(out.code, 2, "{option}");
        assert!(out.stdout.is_empty());
        assert!(out.stderr.contains("envs/[a"), "{}", out.stderr);
        assert!(out.stderr.contains("invalid glob"), "{}", out.stderr);
    }
}

#[test]
fn plan_takes_the_same_selection_and_excludes() {
    let dir = configured_project();
    let plan = |args: &[&str]| {
        let out = Outcome::of(
            common::certgate(dir.path())
                .args(["plan", "--format", "json"])
                .args(args),
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
    };
    let all = plan(&[]);
    assert!(all.contains("examples/main.tf"), "{all}");
    let narrowed = plan(&[
        "--extend-exclude",
        "examples",
        "--select",
        "client-cert-optional",
    ]);
    assert!(!narrowed.contains("examples/main.tf"), "{narrowed}");
    assert!(narrowed.contains("jobs/main.tf"), "{narrowed}");
    assert!(!narrowed.contains("\"main.tf\""), "{narrowed}");
    let out = Outcome::of(common::certgate(dir.path()).args(["plan", "--select", "nope"]));
    assert_eq!(out.code, 2);
}

/// A project with one Terraform root, an ARM template with its parameter file, a Bicep root
/// with its `.bicepparam`, files no front end reads, and an excluded directory.
fn mixed_project() -> tempfile::TempDir {
    let arm = "fixtures/arm/parameter_file_flips_default";
    let bicep = "fixtures/bicep/bicepparam_flips_default";
    let read = |path: String| std::fs::read_to_string(path).expect("fixture");
    let dir = tree(&[
        ("certgate.toml", "exclude = [\"vendor\"]\n"),
        ("tf/main.tf", DISABLED),
        ("vendor/main.tf", DISABLED),
        ("package.json", "{\"name\": \"x\"}\n"),
        ("README.md", "# x\n"),
    ]);
    for (from, to) in [
        (format!("{arm}/azuredeploy.json"), "arm/azuredeploy.json"),
        (
            format!("{arm}/azuredeploy.parameters.json"),
            "arm/azuredeploy.parameters.json",
        ),
        (format!("{bicep}/main.bicep"), "bicep/main.bicep"),
        (format!("{bicep}/main.bicepparam"), "bicep/main.bicepparam"),
    ] {
        common::write(dir.path(), to, read(from));
    }
    dir
}

/// The `--verbose` lines of stderr, without their prefix.
fn verbose_lines(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|line| line.strip_prefix("verbose: "))
        .map(str::to_string)
        .collect()
}

/// The stage names of the `time STAGE N ms` lines, in order (the times are not compared).
fn stages(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter_map(|line| line.strip_prefix("time "))
        .map(|rest| {
            let mut words = rest.split(' ');
            let stage = words.next().expect("stage").to_string();
            let took: f64 = words.next().expect("time").parse().expect("a number");
            assert!(took >= 0.0);
            assert_eq!(words.next(), Some("ms"));
            stage
        })
        .collect()
}

#[test]
fn verbose_names_configs_files_per_front_end_units_and_stages_on_stderr() {
    let dir = mixed_project();
    let out = Outcome::of(common::check(dir.path()).args(["-v", "-q", "--format", "concise"]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    // stdout is the report alone.
    let plain = Outcome::of(common::check(dir.path()).args(["-q", "--format", "concise"]));
    assert_eq!(out.stdout, plain.stdout);
    assert!(!out.stdout.contains("verbose"), "{}", out.stdout);
    let lines = verbose_lines(&out.stderr);
    let (times, structure): (Vec<String>, Vec<String>) =
        lines.iter().cloned().partition(|l| l.starts_with("time "));
    assert_eq!(
        structure,
        [
            "config: certgate.toml",
            "files: 3 scanned, 1 excluded",
            "arm: 1 file",
            "  arm/azuredeploy.json",
            "bicep: 1 file",
            "  bicep/main.bicep",
            "terraform: 1 file",
            "  tf/main.tf",
            "arm: 1 unit",
            "  template arm/azuredeploy.json with azuredeploy.parameters.json",
            "bicep: 1 unit",
            "  root bicep/main.bicep with main.bicepparam",
            "terraform: 1 unit",
            "  root module tf",
        ]
    );
    // Human and concise output plan no fixes: no fixes stage.
    assert_eq!(
        stages(&times),
        ["discovery", "load", "scan", "judge", "report"]
    );
}

#[test]
fn verbose_keeps_machine_formats_parseable_and_times_the_fixes() {
    let dir = mixed_project();
    for format in ["json", "sarif"] {
        let out = Outcome::of(common::check(dir.path()).args(["-v", "--format", format]));
        out.json();
        let lines = verbose_lines(&out.stderr);
        assert_eq!(
            stages(&lines),
            ["discovery", "load", "scan", "judge", "fixes", "report"],
            "{format}"
        );
    }
    let out = Outcome::of(common::check(dir.path()).args(["-v", "--diff"]));
    assert!(out.stdout.starts_with("--- "), "{}", out.stdout);
    assert_eq!(
        stages(&verbose_lines(&out.stderr)),
        ["discovery", "load", "scan", "judge", "fixes"]
    );
}

#[test]
fn verbose_lists_every_root_module_of_a_tree() {
    let out = Outcome::of(&mut check(&["--verbose", "-q", ESTATE]));
    let lines = verbose_lines(&out.stderr);
    let at = lines
        .iter()
        .position(|l| l == "terraform: 2 units")
        .unwrap_or_else(|| panic!("{lines:?}"));
    assert_eq!(
        lines[at + 1..at + 3],
        [
            format!("  root module {ESTATE}/envs/dev"),
            format!("  root module {ESTATE}/envs/prod")
        ]
    );
    assert!(lines.contains(&"config: none (the defaults apply)".to_string()));
}

/// The summary's file count of `certgate check` in `dir`.
fn summary_count(dir: &std::path::Path) -> usize {
    let out = Outcome::of(common::check(dir).args(["--format", "concise"]));
    let summary = out.stdout.lines().last().expect("summary").to_string();
    let count = summary
        .strip_prefix("Scanned ")
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_else(|| panic!("{summary}"));
    count.parse().expect("a number")
}

#[test]
fn show_files_prints_the_scanned_files_sorted_and_exits_0() {
    let dir = mixed_project();
    let out = Outcome::of(common::check(dir.path()).arg("--show-files"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "arm/azuredeploy.json\nbicep/main.bicep\ntf/main.tf\n"
    );
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    // The files the summary counts.
    assert_eq!(out.stdout.lines().count(), summary_count(dir.path()));
}

#[test]
fn show_files_follows_excludes_and_named_paths() {
    let dir = mixed_project();
    let list = |args: &[&str]| {
        let out = Outcome::of(common::check(dir.path()).arg("--show-files").args(args));
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
    };
    assert_eq!(
        list(&["--exclude", "arm", "--extend-exclude", "bicep"]),
        "tf/main.tf\nvendor/main.tf\n"
    );
    assert_eq!(list(&["tf/main.tf", "vendor/main.tf"]), "tf/main.tf\n");
    assert_eq!(list(&["bicep"]), "bicep/main.bicep\n");
}

#[test]
fn show_files_reports_a_missing_path_or_a_bad_config_with_exit_2() {
    let dir = mixed_project();
    let out = Outcome::of(common::check(dir.path()).args(["--show-files", "tf", "nope"]));
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "tf/main.tf\n");
    assert!(out.stderr.contains("nope"), "{}", out.stderr);
    common::write(dir.path(), "certgate.toml", "exclude = 3\n");
    let out = Outcome::of(common::check(dir.path()).arg("--show-files"));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("certgate.toml"), "{}", out.stderr);
}

#[test]
fn show_files_does_not_go_with_fixing_or_writing() {
    let dir = mixed_project();
    for extra in [
        &["--fix"][..],
        &["--diff"],
        &["--output", "r.txt"],
        &["--write-baseline", "b.json"],
    ] {
        let out = Outcome::of(common::check(dir.path()).arg("--show-files").args(extra));
        assert_eq!(out.code, 2, "{extra:?}");
        assert!(out.stderr.contains("--show-files"), "{}", out.stderr);
    }
    // Nothing was written.
    assert!(common::read(dir.path(), "tf/main.tf").contains("= false"));
    assert!(!dir.path().join("r.txt").exists());
}

#[test]
fn an_exception_for_an_ignored_rule_is_unused_unless_unused_exception_is_off_too() {
    let dir = tree(&[(
        "main.tf",
        "resource \"azurerm_linux_web_app\" \"web\" {\n  \
         # certgate:ignore[client-cert-disabled] reason=\"legacy\"\n  \
         client_certificate_enabled = false\n}\n",
    )]);
    let (found, code) = reported(dir.path(), &[]);
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(code, 0);
    let (found, _) = reported(dir.path(), &["--ignore", "client-cert-disabled"]);
    assert_eq!(found, pairs(&[("main.tf", "unused-exception")]));
    for args in [
        &["--ignore", "client-cert-disabled,unused-exception"][..],
        &["--select", "client-cert-optional"],
    ] {
        let (found, _) = reported(dir.path(), args);
        assert!(found.is_empty(), "{args:?}: {found:?}");
    }
}
