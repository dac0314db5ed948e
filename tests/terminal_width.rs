//! Human output at narrow widths: lines wrap at spaces only, so every code span, path, URL and
//! rule id of a report is on one line, however narrow the terminal (`$COLUMNS`).

mod common;

use std::path::Path;

use serde_json::Value;

/// Fixtures whose messages and help hold long paths, URLs, code spans with spaces and lists
/// of rule ids.
const FIXTURES: [&str; 8] = [
    "fixtures/arm/template_link_remote",
    "fixtures/arm_in_terraform/template_file_missing",
    "fixtures/terraform/module_output_not_followed",
    "fixtures/terraform/module_output_recursive_module",
    "fixtures/terraform/suppress_certgate_malformed",
    "fixtures/terraform/suppress_certgate_expired",
    "fixtures/terraform/fix_origin_tfvars",
    "fixtures/rollout/root_cause_variable_default",
];

/// A file deep in long directory names, with a finding (so its path heads a snippet).
const DEEP: &str = "a-rather-long-directory-name/with-several-nested-levels/main.tf";

const DISABLED: &str = r#"resource "azurerm_linux_web_app" "web" {
  name                       = "web"
  client_certificate_enabled = false
}
"#;

fn run(dir: &Path, columns: &str, args: &[&str]) -> String {
    let output = common::check(dir)
        .env("COLUMNS", columns)
        .args(args)
        .output()
        .expect("certgate runs");
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// Backticked spans of `text` (with their backticks).
fn code_spans(text: &str) -> Vec<String> {
    text.split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, span)| format!("`{span}`"))
        .collect()
}

/// The tokens of a JSON report that must never be broken: each finding's rule id and path,
/// and the code spans and URLs in every message and help text.
fn tokens(report: &Value) -> Vec<String> {
    let mut tokens = Vec::new();
    for list in ["findings", "notices", "errors"] {
        for item in report[list].as_array().into_iter().flatten() {
            for key in ["rule", "path"] {
                if let Some(text) = item[key].as_str() {
                    tokens.push(text.to_string());
                }
            }
            for key in ["message", "help"] {
                let text = item[key].as_str().unwrap_or_default();
                tokens.extend(code_spans(text));
                tokens.extend(
                    text.split(' ')
                        .filter(|word| word.contains("://"))
                        .map(|word| word.trim_matches('`').to_string()),
                );
            }
        }
    }
    tokens.sort();
    tokens.dedup();
    tokens
}

/// Asserts that every token is whole on some line of `human`.
fn assert_unbroken(human: &str, tokens: &[String], what: &str) {
    assert!(!tokens.is_empty(), "{what}: no tokens to look for");
    for token in tokens {
        assert!(
            human.lines().any(|line| line.contains(token.as_str())),
            "{what}: `{token}` is broken across lines in:\n{human}"
        );
    }
}

#[test]
fn code_spans_paths_urls_and_rule_ids_are_never_broken_at_narrow_widths() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for fixture in FIXTURES {
        let json = run(root, "100", &[fixture, "--format", "json"]);
        let report: Value = serde_json::from_str(&json).expect("a JSON report");
        let tokens = tokens(&report);
        for columns in ["40", "60"] {
            let human = run(root, columns, &[fixture]);
            assert_unbroken(&human, &tokens, &format!("{fixture} at {columns} columns"));
        }
    }
}

#[test]
fn a_deep_path_heads_its_snippet_whole_at_narrow_widths() {
    let dir = common::tree(&[(DEEP, DISABLED)]);
    for columns in ["40", "60"] {
        let human = run(dir.path(), columns, &["."]);
        let tokens = [
            format!("{DEEP}:3:3"),
            "client-cert-disabled".to_string(),
            "`certgate explain client-cert-disabled`".to_string(),
        ];
        assert_unbroken(&human, &tokens, &format!("{columns} columns"));
    }
}

#[test]
fn prose_still_wraps_at_the_width_asked_for() {
    let dir = common::tree(&[(DEEP, DISABLED)]);
    let narrow = run(dir.path(), "40", &["."]);
    let wide = run(dir.path(), "200", &["."]);
    assert!(
        narrow.lines().count() > wide.lines().count(),
        "narrow:\n{narrow}\nwide:\n{wide}"
    );
    // The help line breaks between words: no line of it is wider than 40 columns unless one
    // word alone is.
    for line in narrow.lines().filter(|line| line.starts_with("  help:")) {
        let longest_word = line
            .split(' ')
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0);
        assert!(
            line.chars().count() <= 40 || longest_word + 8 > 40,
            "{line:?} overflows without a reason"
        );
    }
}

#[test]
fn a_columns_below_the_minimum_draws_at_the_minimum() {
    let dir = common::tree(&[(DEEP, DISABLED)]);
    // Quiet: the summary line holds the elapsed time.
    let at = |columns| run(dir.path(), columns, &[".", "--quiet"]);
    assert_eq!(at("5"), at("40"));
    assert_ne!(at("40"), at("60"));
}
