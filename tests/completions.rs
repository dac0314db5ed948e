//! `certgate completions SHELL` and `certgate man`: every script and page is generated, names
//! the subcommands and flags, and is accepted by the shell or roff renderer when one is installed.

use std::io::Write;
use std::path::Path;
use std::process::{Command as Process, Stdio};

mod common;
use common::bin;

const SHELLS: [&str; 5] = ["bash", "zsh", "fish", "powershell", "elvish"];

/// stdout of a successful `certgate ARGS`.
fn stdout_of(args: &[&str]) -> String {
    let output = bin().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "certgate {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Whether `program` runs at all here (fish, mandoc and groff are optional on CI machines).
fn installed(program: &str) -> bool {
    Process::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// Runs `program args… file` on `text` written to a temporary file: (success, stderr).
fn run_on_file(program: &str, args: &[&str], name: &str, text: &str) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::File::create(&path)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    run_on_path(program, args, &path)
}

/// Runs `program args… path`: (success, stderr).
fn run_on_path(program: &str, args: &[&str], path: &Path) -> (bool, String) {
    let output = Process::new(program)
        .args(args)
        .arg(path)
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "100")
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn every_shell_script_names_the_subcommands_and_flags() {
    for shell in SHELLS {
        let script = stdout_of(&["completions", shell]);
        for word in [
            "check",
            "plan",
            "verify",
            "completions",
            "man",
            "format",
            "baseline",
        ] {
            assert!(script.contains(word), "{shell} script lacks `{word}`");
        }
        // Fish names long flags as `-l format`; every other shell spells `--format`.
        let flag = if shell == "fish" {
            "-l format"
        } else {
            "--format"
        };
        assert!(script.contains(flag), "{shell} script lacks `{flag}`");
    }
}

#[test]
fn ruff_habit_flags_are_completed_in_every_shell() {
    for shell in SHELLS {
        let script = stdout_of(&["completions", shell]);
        for flag in [
            "select",
            "extend-select",
            "ignore",
            "exclude",
            "extend-exclude",
            "verbose",
            "show-files",
        ] {
            let spelled = if shell == "fish" {
                format!("-l {flag}")
            } else {
                format!("--{flag}")
            };
            assert!(
                script.contains(&spelled),
                "{shell} script lacks `{spelled}`"
            );
        }
    }
}

#[test]
fn bash_script_passes_bash_syntax_check() {
    let script = stdout_of(&["completions", "bash"]);
    assert!(
        script.contains("complete -F _certgate"),
        "no `complete` line"
    );
    let (ok, stderr) = run_on_file("bash", &["-n"], "certgate.bash", &script);
    assert!(ok, "bash -n rejected the script: {stderr}");
}

#[test]
fn fish_script_is_valid_fish() {
    let script = stdout_of(&["completions", "fish"]);
    // The shape fish needs: one `complete -c certgate` line per completion.
    let lines: Vec<&str> = script.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(lines.len() > 20, "too few lines: {}", lines.len());
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("complete -c certgate") || !l.starts_with("complete")),
        "a completion for another command"
    );
    assert!(script.contains("__fish_use_subcommand") || script.contains("__fish_certgate"));
    if installed("fish") {
        let (ok, stderr) = run_on_file("fish", &["--no-execute"], "certgate.fish", &script);
        assert!(ok, "fish --no-execute rejected the script: {stderr}");
    }
}

#[test]
fn unknown_shell_is_a_usage_error_listing_the_shells() {
    let output = bin().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for shell in SHELLS {
        assert!(stderr.contains(shell), "{stderr}");
    }
}

#[test]
fn man_page_has_title_every_subcommand_and_its_options() {
    let page = stdout_of(&["man"]);
    assert!(page.contains(".TH CERTGATE 1"), "no title line");
    for sub in [
        "CHECK",
        "EXPLAIN",
        "RULES",
        "INIT",
        "EXCEPTIONS",
        "PLAN",
        "REMEDIATE",
        "GUARDRAIL",
        "VERIFY",
        "PROGRESS",
        "LSP",
        "COMPLETIONS",
        "MAN",
    ] {
        assert!(
            page.contains(&format!(".SH \"CERTGATE {sub}\"")),
            "no section for {sub}"
        );
    }
    // Options of the subcommands, in roff's escaped spelling.
    for option in [
        r"\-\-format",
        r"\-\-baseline",
        r"\-\-batch\-size",
        r"\-\-fail\-on",
    ] {
        assert!(page.contains(option), "no {option}");
    }
    // clap's `help` subcommand is no section of its own.
    assert!(!page.contains(".SH \"CERTGATE HELP\""));
}

#[test]
fn man_page_is_ascii_so_groff_needs_no_preprocessor() {
    // The verify help text has an ellipsis; it is written as a roff escape.
    let page = stdout_of(&["man"]);
    assert!(page.is_ascii());
    assert!(page.contains(r"\[u2026]"));
}

#[test]
fn man_page_renders_without_warnings() {
    let page = stdout_of(&["man"]);
    let sub_page = stdout_of(&["man", "check"]);
    for (name, text) in [("certgate.1", &page), ("certgate-check.1", &sub_page)] {
        if installed("mandoc") {
            let (ok, stderr) = run_on_file("mandoc", &["-T", "lint", "-W", "error"], name, text);
            assert!(ok, "mandoc lint: {stderr}");
        } else if installed("groff") {
            let (ok, stderr) = run_on_file("groff", &["-man", "-Tutf8", "-ww", "-z"], name, text);
            assert!(ok && stderr.is_empty(), "groff: {stderr}");
        } else if installed("man") {
            let (ok, stderr) = run_on_file("man", &["-l"], name, text);
            assert!(ok && stderr.is_empty(), "man -l: {stderr}");
        }
    }
}

#[test]
fn man_subcommand_prints_that_subcommands_page() {
    let page = stdout_of(&["man", "plan"]);
    assert!(page.contains(".TH CERTGATE-PLAN 1"), "no title line");
    assert!(page.contains(r"certgate\-plan"));
    assert!(page.contains(r"\-\-batch\-size"));
    // Only the plan page: check's own flag is absent.
    assert!(!page.contains(r"\-\-write\-baseline"));
}

#[test]
fn man_pages_document_the_ruff_habit_flags_where_they_apply() {
    let check = stdout_of(&["man", "check"]);
    for option in [
        r"\-\-select",
        r"\-\-extend\-select",
        r"\-\-ignore",
        r"\-\-exclude",
        r"\-\-extend\-exclude",
        r"\-v",
        r"\-\-verbose",
        r"\-\-show\-files",
    ] {
        assert!(check.contains(option), "check page lacks {option}");
    }
    // `plan` selects and excludes like check; listing files and timing are check's.
    let plan = stdout_of(&["man", "plan"]);
    assert!(plan.contains(r"\-\-select"));
    assert!(plan.contains(r"\-\-extend\-exclude"));
    assert!(!plan.contains(r"\-\-show\-files"));
    assert!(!plan.contains(r"\-\-verbose"));
}

#[test]
fn man_of_unknown_subcommand_fails_naming_the_known_ones() {
    let output = bin().args(["man", "nope"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown subcommand `nope`"), "{stderr}");
    assert!(stderr.contains("check, explain"), "{stderr}");
}
