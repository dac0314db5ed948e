//! The file-choosing and `certgate check` steps of `action.yml`, run as GitHub runs a
//! `shell: bash` step (`bash --noprofile --norc -eo pipefail`), with the runner's files faked:
//! `changed-only` keeps to `paths`, and whatever the check finds, the step writes its
//! `exit-code` output and a job summary that says what happened.
#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::Command;

/// The `run: |` block of the step with `id: ID` in `action.yml`, dedented.
fn step_script(id: &str) -> String {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml"))
        .expect("action.yml");
    let lines: Vec<&str> = text.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let step = lines
        .iter()
        .position(|l| l.trim() == format!("id: {id}"))
        .unwrap_or_else(|| panic!("a step with id {id}"));
    let run = step
        + lines[step..]
            .iter()
            .position(|l| l.trim() == "run: |")
            .expect("the step's run block");
    let key = indent(lines[run]);
    let body: Vec<&str> = lines[run + 1..]
        .iter()
        .take_while(|l| l.trim().is_empty() || indent(l) > key)
        .copied()
        .collect();
    let strip = body.iter().map(|l| indent(l)).find(|&n| n > 0).unwrap_or(0);
    body.iter()
        .map(|l| l.get(strip..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// What the check step left: its exit status, its `$GITHUB_OUTPUT` and its job summary.
struct Step {
    status: Option<i32>,
    output: String,
    summary: String,
}

/// Runs the check step in `workspace` over `paths` (one per line, as the step before writes
/// them), with certgate on `PATH` and the action's default inputs (`fail-on: warning`).
fn run_check_step(workspace: &Path, paths: &str) -> Step {
    run_check_step_with(workspace, paths, "")
}

/// [`run_check_step`] with the `baseline` input.
fn run_check_step_with(workspace: &Path, paths: &str, baseline: &str) -> Step {
    let runner = tempfile::tempdir().expect("a runner temp dir");
    let list = runner.path().join("certgate-paths.txt");
    std::fs::write(&list, paths).expect("the path list");
    let output = runner.path().join("github_output");
    let summary = runner.path().join("step_summary");
    let script = runner.path().join("check.sh");
    std::fs::write(&script, step_script("check")).expect("the script");
    let bin = assert_cmd::cargo::cargo_bin("certgate");
    let path = format!(
        "{}:{}",
        bin.parent().expect("the binary's directory").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let status = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail"])
        .arg(&script)
        .current_dir(workspace)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("RUNNER_TEMP", runner.path())
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("LIST", &list)
        .env("CONFIG", "")
        .env("BASELINE", baseline)
        .env("FAIL_ON", "warning")
        .env("SARIF", "true")
        .status()
        .expect("bash runs");
    Step {
        status: status.code(),
        output: std::fs::read_to_string(&output).unwrap_or_default(),
        summary: std::fs::read_to_string(&summary).unwrap_or_default(),
    }
}

const FAILING: &str =
    "resource \"azurerm_linux_web_app\" \"api\" {\n  client_certificate_enabled = false\n}\n";
const PASSING: &str = "resource \"azurerm_linux_web_app\" \"api\" {\n  client_certificate_enabled = true\n  client_certificate_mode = \"Required\"\n}\n";

#[test]
fn failing_findings_still_write_the_exit_code_output_and_the_job_summary_under_bash_e() {
    let repo = common::tree(&[
        (".git/HEAD", "ref: refs/heads/main\n"),
        ("infra/main.tf", FAILING),
    ]);
    let step = run_check_step(repo.path(), "infra\n");
    // The step itself succeeds: the last step of the action exits with the check's code.
    assert_eq!(step.status, Some(0), "{}", step.summary);
    assert!(step.output.contains("exit-code=1\n"), "{}", step.output);
    assert!(step.summary.contains("**Failed:**"), "{}", step.summary);
    assert!(
        step.summary.contains("fail-on: warning"),
        "{}",
        step.summary
    );
    // The rollout plan follows, naming the failing site.
    assert!(step.summary.contains("# Rollout plan"), "{}", step.summary);
    assert!(
        step.summary
            .contains("`azurerm_linux_web_app.api` at `infra/main.tf:2`"),
        "{}",
        step.summary
    );
    assert!(
        repo.path().join("certgate.sarif").is_file(),
        "SARIF written"
    );
}

#[test]
fn with_a_baseline_the_summary_passes_and_says_the_plan_lists_the_baselined_sites_too() {
    let repo = common::tree(&[
        (".git/HEAD", "ref: refs/heads/main\n"),
        ("infra/main.tf", FAILING),
    ]);
    common::check(repo.path())
        .args(["--write-baseline", "baseline.json", "infra"])
        .assert()
        .code(0);
    let step = run_check_step_with(repo.path(), "infra\n", "baseline.json");
    assert!(step.output.contains("exit-code=0\n"), "{}", step.output);
    assert!(step.summary.contains("**Passed:**"), "{}", step.summary);
    assert!(
        step.summary
            .contains("The plan below lists every site, the ones recorded in the baseline too."),
        "{}",
        step.summary
    );
    assert!(
        step.summary.contains("`azurerm_linux_web_app.api`"),
        "{}",
        step.summary
    );
}

#[test]
fn a_clean_tree_and_a_failed_run_say_so_in_the_job_summary() {
    let clean = common::tree(&[
        (".git/HEAD", "ref: refs/heads/main\n"),
        ("main.tf", PASSING),
    ]);
    let step = run_check_step(clean.path(), ".\n");
    assert_eq!(step.status, Some(0));
    assert!(step.output.contains("exit-code=0\n"), "{}", step.output);
    assert!(step.summary.contains("**Passed:**"), "{}", step.summary);

    // A path that does not exist makes the run fail (exit 2): the summary says it is not a
    // verdict on the code.
    let step = run_check_step(clean.path(), "missing\n");
    assert_eq!(step.status, Some(0));
    assert!(step.output.contains("exit-code=2\n"), "{}", step.output);
    assert!(step.summary.contains("**Error:**"), "{}", step.summary);
}

/// Runs `git ARGS` in `dir`, which must succeed.
fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// Runs the files step in `repo` with `changed-only` on against `base`: the list it wrote
/// (or `None` when it skipped the check) and the job summary.
fn changed_files(repo: &Path, paths: &str, base: &str) -> (Option<String>, String) {
    let runner = tempfile::tempdir().expect("a runner temp dir");
    let output = runner.path().join("github_output");
    let summary = runner.path().join("step_summary");
    let script = runner.path().join("files.sh");
    std::fs::write(&script, step_script("files")).expect("the script");
    let status = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail"])
        .arg(&script)
        .current_dir(repo)
        .env("RUNNER_TEMP", runner.path())
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("PATHS", paths)
        .env("CHANGED_ONLY", "true")
        .env("BASE_SHA", base)
        .status()
        .expect("bash runs");
    assert_eq!(status.code(), Some(0));
    let output = std::fs::read_to_string(&output).unwrap_or_default();
    let list = output
        .lines()
        .find_map(|l| l.strip_prefix("list="))
        .map(|list| std::fs::read_to_string(list).expect("the list"));
    (list, std::fs::read_to_string(&summary).unwrap_or_default())
}

#[test]
fn changed_only_checks_the_changed_files_under_paths_only() {
    let repo = common::tree(&[("infra/main.tf", PASSING), ("examples/main.tf", PASSING)]);
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-qm", "base"]);
    let base = git(repo.path(), &["rev-parse", "HEAD"]);
    common::write(repo.path(), "infra/main.tf", FAILING);
    common::write(repo.path(), "examples/main.tf", FAILING);
    common::write(repo.path(), "README.md", "changed\n");
    git(repo.path(), &["commit", "-qam", "change"]);
    let base = base.trim();

    let (list, _) = changed_files(repo.path(), "infra", base);
    assert_eq!(list.as_deref(), Some("infra/main.tf\n"));
    let (list, _) = changed_files(repo.path(), ".", base);
    assert_eq!(list.as_deref(), Some("examples/main.tf\ninfra/main.tf\n"));
    // Nothing of ours changed under `paths`: the check is skipped, and the summary says why.
    let (list, summary) = changed_files(repo.path(), "docs", base);
    assert_eq!(list, None);
    assert!(
        summary.contains("no changed Terraform, ARM or Bicep files under: docs"),
        "{summary}"
    );
}
