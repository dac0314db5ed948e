//! The `certgate check` arguments that repeat a `certgate plan` run's scan (its paths and scan
//! options), for the fix commands the plan prints: the batches' numbers depend on them.

use std::path::{Path, PathBuf};

use crate::cli::ScanArgs;
use crate::config::command_line::Selector;

/// `paths` and the scan options of `scan` (and `--unsafe-fixes`) as shell words, each after a
/// space; empty when plan was run with none. The hidden `--today` is left out: it exists for
/// tests, and a real run uses today.
pub fn check_options(paths: &[PathBuf], scan: &ScanArgs, unsafe_fixes: bool) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut option = |name: &str, value: Option<String>| {
        words.push(name.to_string());
        words.extend(value);
    };
    for file in &scan.var_files {
        option("--var-file", Some(path_word(file)));
    }
    for (name, value) in &scan.vars {
        option("--var", Some(format!("{name}={value}")));
    }
    if scan.env_vars {
        option("--env-vars", None);
    }
    for file in &scan.parameter_files {
        option("--parameters", Some(path_word(file)));
    }
    if let Some(config) = &scan.config {
        option("--config", Some(path_word(config)));
    }
    if let Some(root) = &scan.project_root {
        option("--project-root", Some(path_word(root)));
    }
    if let Some(select) = &scan.select {
        option("--select", Some(rules(select)));
    }
    if !scan.extend_select.is_empty() {
        option("--extend-select", Some(rules(&scan.extend_select)));
    }
    if !scan.ignore.is_empty() {
        option("--ignore", Some(rules(&scan.ignore)));
    }
    for glob in scan.exclude.iter().flatten() {
        option("--exclude", Some(glob.as_str().to_string()));
    }
    for glob in &scan.extend_exclude {
        option("--extend-exclude", Some(glob.as_str().to_string()));
    }
    if unsafe_fixes {
        option("--unsafe-fixes", None);
    }
    words.extend(paths.iter().map(|path| path_word(path)));
    words
        .iter()
        .map(|word| format!(" {}", shell_word(word)))
        .collect()
}

fn path_word(path: &Path) -> String {
    crate::paths::path_text(path).into_owned()
}

/// Rule ids as one comma list, as `--select` takes them.
fn rules(selectors: &[Selector]) -> String {
    let ids: Vec<&str> = selectors
        .iter()
        .map(|selector| match selector {
            Selector::All => "ALL",
            Selector::Rule(id) => id.as_str(),
        })
        .collect();
    ids.join(",")
}

/// `word` as is when the shell reads it as itself, else one bash word in single quotes (the
/// remediation scripts' quoting), so a glob or a path with spaces is copied and pasted as one
/// argument.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.,/:=@%+".contains(c));
    if plain {
        word.to_string()
    } else {
        crate::remediate::shell::bash(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    /// The options of `certgate plan ARGS`.
    fn options(args: &[&str]) -> String {
        let cli = crate::cli::Cli::try_parse_from(["certgate", "plan"].iter().chain(args))
            .expect("valid arguments");
        match cli.command {
            crate::cli::Command::Plan(plan) => {
                check_options(&plan.paths, &plan.scan, plan.unsafe_fixes)
            }
            _ => unreachable!("a plan command"),
        }
    }

    #[test]
    fn repeats_the_paths_and_every_scan_option_quoted_for_the_shell() {
        assert_eq!(options(&[]), "");
        assert_eq!(
            options(&[
                "envs/prod",
                "--select",
                "client-cert-disabled,client-cert-optional",
                "--ignore",
                "unused-exception",
                "--exclude",
                "legacy/*",
                "--var-file",
                "prod vars.tfvars",
                "--var",
                "mtls=true",
                "--config",
                "ci/certgate.toml",
                "--unsafe-fixes",
                "--batch-size",
                "5",
                "--format",
                "markdown",
            ]),
            " --var-file 'prod vars.tfvars' --var mtls=true --config ci/certgate.toml \
             --select client-cert-disabled,client-cert-optional --ignore unused-exception \
             --exclude 'legacy/*' --unsafe-fixes envs/prod"
        );
    }

    #[test]
    fn shell_words_quote_what_the_shell_would_read_otherwise() {
        assert_eq!(shell_word("envs/prod"), "envs/prod");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word("$(x)"), "'$(x)'");
        assert_eq!(shell_word(""), "''");
    }
}
