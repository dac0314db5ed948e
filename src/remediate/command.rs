//! The command: scan the exports (and the code), assemble the script and print it in the
//! chosen language.

use std::path::PathBuf;

use super::collect::{self, Code};
use super::target::{self, Script};
use crate::report::Report;
use crate::scan::{Settings, scan};

/// The script's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// bash with the Azure CLI.
    Az,
    /// PowerShell with the Az module.
    Pwsh,
}

/// What `certgate remediate` was asked for.
#[derive(Debug, Clone)]
pub struct Request {
    pub exports: Vec<PathBuf>,
    pub language: Language,
    pub batch: Option<usize>,
    pub batch_size: usize,
    /// `--code`: the infrastructure code that manages the sites.
    pub code: Vec<PathBuf>,
    pub settings: Settings,
}

/// The script and the notes for stderr; an error when an export or the code cannot be read,
/// or the batch does not exist (a partial script would be worse than none).
pub fn run(request: &Request) -> Result<(String, Vec<String>), String> {
    let exports = scan(&request.exports, &request.settings);
    fail_on_errors(&exports, "export")?;
    let code_report = if request.code.is_empty() {
        None
    } else {
        let report = scan(&request.code, &request.settings);
        fail_on_errors(&report, "code")?;
        Some(report)
    };
    let owners = code_owners(&request.code, &request.settings);
    let lookup = |path: &std::path::Path| owners.of(path);
    let code = code_report.as_ref().map(|report| Code {
        report,
        owners: &lookup,
    });
    let collected = collect::collect(&exports, code.as_ref());
    let mut notes = Vec::new();
    if collected.code_resources > 0 {
        notes.push(format!(
            "certgate remediate: {} code resource(s) among the exports were left out: pass \
             code with --code",
            collected.code_resources
        ));
    }
    if collected.deployed_sites == 0 {
        notes.push(
            "certgate remediate: the exports hold no deployed site: export them with `az \
             webapp list -o json` or a Resource Graph query (see `certgate verify`)"
                .to_string(),
        );
    }
    let reverted = collected
        .targets
        .iter()
        .filter(|t| t.reverted_by.is_some())
        .count();
    if reverted > 0 {
        notes.push(format!(
            "certgate remediate: warning: the code still has the failing value for {reverted} \
             site(s): the next deployment reverts their fix (see WARNING in the script)"
        ));
    }
    let (batch_count, blocks) =
        target::batches(collected.targets, request.batch_size, request.batch)?;
    let script = Script {
        exports: request.exports.clone(),
        batch_size: request.batch_size,
        batch_count,
        blocks,
        excepted: collected.excepted,
        not_scripted: collected.not_scripted,
    };
    let text = match request.language {
        Language::Az => super::az::render(&script),
        Language::Pwsh => super::pwsh::render(&script),
    };
    Ok((text, notes))
}

/// Every scan error, one per line with file and position.
fn fail_on_errors(report: &Report, what: &str) -> Result<(), String> {
    if report.errors.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = report
        .errors
        .iter()
        .map(|e| {
            format!(
                "{}:{}:{}: {}",
                crate::paths::path_text(&e.path),
                e.start.line,
                e.start.column,
                e.message
            )
        })
        .collect();
    Err(format!(
        "no script: the {what} scan had errors:\n{}",
        lines.join("\n")
    ))
}

/// The CODEOWNERS of the code's project root (read inside it only, like `certgate plan`).
fn code_owners(code: &[PathBuf], settings: &Settings) -> crate::rollout::assemble::Owners {
    if code.is_empty() {
        return crate::rollout::assemble::Owners::default();
    }
    let root = std::sync::Arc::new(crate::scan::project_root(code, settings).root);
    let dirs = root.dirs().to_vec();
    let fs = crate::fs::DiskFs::new(root);
    crate::rollout::assemble::Owners::find(&fs, &dirs)
}
