//! The CI templates (GitHub Action, Azure Pipelines, GitLab CI) call certgate with flags and
//! formats that exist: a renamed option would otherwise break users' pipelines silently.
//! Their YAML shape is validated against the CI systems' schemas by `.ci/validate-templates`.

use std::path::Path;

use assert_cmd::Command;

/// The templates users copy or include, relative to the repository root.
const TEMPLATES: &[&str] = &[
    "action.yml",
    "ci/azure-pipelines/certgate.yml",
    "ci/gitlab/certgate.gitlab-ci.yml",
];

/// `certgate SUBCOMMAND -h` (short help: one line per option, with its possible values).
fn help(subcommand: &str) -> String {
    let output = Command::cargo_bin("certgate")
        .unwrap()
        .args([subcommand, "-h"])
        .output()
        .unwrap();
    assert!(output.status.success(), "certgate {subcommand} -h failed");
    String::from_utf8(output.stdout).unwrap()
}

/// Each certgate call in a template: (template, subcommand, its `--` options and `--format`
/// values). Options collected into a bash array (`opts=(...)`, `opts+=(...)`) go to `check`.
fn calls() -> Vec<(String, &'static str, Vec<String>, Vec<String>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut calls = Vec::new();
    for template in TEMPLATES {
        let text = std::fs::read_to_string(root.join(template)).unwrap();
        for line in text.lines() {
            let subcommand = if line.contains("certgate plan") {
                "plan"
            } else if line.contains("certgate check") || line.contains("opts") {
                "check"
            } else {
                continue;
            };
            let tokens: Vec<String> = line
                .split(|c: char| c.is_whitespace() || "()\"'".contains(c))
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect();
            let options = tokens
                .iter()
                .filter(|t| t.starts_with("--"))
                .cloned()
                .collect();
            let formats = tokens
                .windows(2)
                .filter(|w| w[0] == "--format")
                .map(|w| w[1].clone())
                .collect();
            calls.push((template.to_string(), subcommand, options, formats));
        }
    }
    calls
}

#[test]
fn every_template_calls_certgate_with_options_and_formats_it_has() {
    let calls = calls();
    // Each template calls certgate at least once, so the scan below cannot pass vacuously.
    for template in TEMPLATES {
        assert!(
            calls.iter().any(|(t, ..)| t == template),
            "no certgate call found in {template}"
        );
    }
    for subcommand in ["check", "plan"] {
        let help = help(subcommand);
        let possible_formats = help
            .lines()
            .find(|l| l.trim_start().starts_with("--format"))
            .unwrap()
            .to_string();
        for (template, _, options, formats) in calls.iter().filter(|c| c.1 == subcommand) {
            for option in options {
                assert!(
                    help.contains(&format!("{option} ")) || help.contains(&format!("{option}\n")),
                    "{template}: `certgate {subcommand}` has no option {option}"
                );
            }
            for format in formats {
                assert!(
                    possible_formats.contains(&format!(" {format},"))
                        || possible_formats.contains(&format!(" {format}]")),
                    "{template}: `certgate {subcommand}` has no --format {format}"
                );
            }
        }
    }
}

#[test]
fn templates_produce_the_reports_their_ci_system_reads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |t: &str| std::fs::read_to_string(root.join(t)).unwrap();
    let action = read("action.yml");
    for needle in [
        "--format sarif",
        "--format github",
        "GITHUB_STEP_SUMMARY",
        "github/codeql-action/upload-sarif@v3",
        "actions/cache@",
        "cargo install --locked",
        "releases/download",
    ] {
        assert!(action.contains(needle), "action.yml lacks {needle}");
    }
    let azure = read("ci/azure-pipelines/certgate.yml");
    for needle in [
        "--format junit",
        "--format sarif",
        "PublishTestResults@2",
        "PublishBuildArtifacts@1",
        "ArtifactName: CodeAnalysisLogs",
        "task: Cache@2",
        "releases/download",
    ] {
        assert!(azure.contains(needle), "the Azure template lacks {needle}");
    }
    let gitlab = read("ci/gitlab/certgate.gitlab-ci.yml");
    for needle in [
        "--format gitlab",
        "codequality: gl-code-quality-report.json",
    ] {
        assert!(
            gitlab.contains(needle),
            "the GitLab template lacks {needle}"
        );
    }
}
