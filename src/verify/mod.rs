//! `certgate verify EXPORT...`: the control's stored check over inventory exports. It lists
//! the deployed sites and slots whose `clientCertEnabled` is not `true` (false, `null`, or
//! missing from the export), exactly as the check's `clientCertEnabled_NOT: true` does;
//! `--strict` lists every site certgate's own verdicts fail instead (mode `Required`, no
//! exclusion paths, nothing unknown). Exceptions and certgate.toml do not apply: the stored
//! check knows neither.
//!
//! Every named file must be an export of sites: anything else (another resource type, a CSV,
//! an empty list, JSON cut short) is an error naming the file, and the run exits 2.
//!
//! It sits above the front ends, like `report`: it reads exports through `inventory` and
//! judges them with `rules`; [`render`] prints the outcome, [`query`] the export commands.

pub(crate) mod query;
pub(crate) mod render;

use std::path::PathBuf;

use crate::error::FileError;
use crate::model::{Data, Resource};
use crate::report::Location;
use crate::source::SourceMap;

use crate::inventory::Read;

/// What `verify` checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Check {
    /// The stored check: `clientCertEnabled` is `true`.
    Enabled,
    /// certgate's verdicts: enabled, mode `Required`, no exclusion paths.
    Strict,
}

/// One deployed site or slot that fails the check.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Failing {
    pub id: String,
    pub kind: String,
    pub location: Location,
    /// certgate's verdict (rule id) for the site.
    pub verdict: &'static str,
    pub reason: String,
}

/// The outcome over every export.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Verified {
    pub check: Check,
    /// Sites and slots read, over every export.
    pub sites: usize,
    pub failing: Vec<Failing>,
    /// Notices about the exports (one page of several).
    pub notices: Vec<String>,
}

impl Verified {
    /// 0 when no site fails, else 1.
    pub fn exit_code(&self) -> u8 {
        u8::from(!self.failing.is_empty())
    }
}

/// Reads and checks the exports; `Err` lists every file that is not a readable site export,
/// each as `PATH[:LINE:COLUMN]: why`.
pub(crate) fn verify(
    loader: crate::load::Loader<'_>,
    paths: &[PathBuf],
    check: Check,
) -> Result<Verified, Vec<String>> {
    let sources = loader.sources();
    let mut problems = Vec::new();
    let mut resources: Vec<Resource> = Vec::new();
    let mut notices = Vec::new();
    for path in paths {
        if let Some(why) = loader.not_a_file(path) {
            problems.push(format!("{}: {why}", crate::paths::path_text(path)));
            continue;
        }
        let Some(loaded) = loader.file(path) else {
            continue;
        };
        let looks = crate::inventory::export_candidate(loaded.source.text().as_bytes());
        match crate::inventory::read(loaded.id, &loaded.source, looks) {
            Read::Sites {
                resources: found,
                notices: more,
            } => {
                resources.extend(found);
                notices.extend(more.iter().map(|notice| placed(sources, notice)));
            }
            Read::NotSites(why) => problems.push(format!(
                "{}: not an export of App Service sites: {why}; `certgate verify --print-query` \
                 prints the command that exports them",
                crate::paths::path_text(path)
            )),
            Read::Broken(error) => problems.push(placed(sources, &error)),
        }
    }
    // A file the loader could not read or decode (recorded there, once).
    problems.extend(
        loader
            .into_errors()
            .iter()
            .map(|error| placed(sources, error)),
    );
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut failing: Vec<Failing> = resources
        .iter()
        .filter_map(|resource| judge(sources, resource, check))
        .collect();
    failing.sort_by(|a, b| {
        (&a.location.path, a.location.start.line, &a.id).cmp(&(
            &b.location.path,
            b.location.start.line,
            &b.id,
        ))
    });
    Ok(Verified {
        check,
        sites: resources.len(),
        failing,
        notices,
    })
}

/// `PATH:LINE:COLUMN: message` (or `PATH: message` without a position).
fn placed(sources: &SourceMap, error: &FileError) -> String {
    match error.span {
        Some(span) => {
            let location = Location::of(sources, span);
            format!(
                "{}:{}:{}: {}",
                crate::paths::path_text(&error.path),
                location.start.line,
                location.start.column,
                error.message
            )
        }
        None => format!(
            "{}: {}",
            crate::paths::path_text(&error.path),
            error.message
        ),
    }
}

/// The site's failure under `check`, if it fails.
fn judge(sources: &SourceMap, resource: &Resource, check: Check) -> Option<Failing> {
    let verdict = crate::rules::judge(resource);
    let verdict_id = verdict
        .as_ref()
        .map_or("pass", |(rule, _)| rule.id.as_str());
    // Where the line points: the enabled flag (its member, or the row when the export lacks
    // it) for the stored check; the rule's own place (the mode, the paths) with `--strict`.
    let (reason, span) = match check {
        Check::Enabled => (
            enabled_failure(resource)?,
            resource
                .enabled
                .as_ref()
                .filter(|value| !matches!(value.data, Data::Unknown(_)))
                .map_or(resource.header, |value| value.span),
        ),
        Check::Strict => {
            let violation = &verdict.as_ref()?.1;
            (violation.message.clone(), violation.span)
        }
    };
    Some(Failing {
        id: resource.address.clone(),
        kind: resource.kind_id(),
        location: Location::of(sources, span),
        verdict: verdict_id,
        reason,
    })
}

/// Why `clientCertEnabled` is not `true`, when it is not.
fn enabled_failure(resource: &Resource) -> Option<String> {
    Some(match resource.enabled.as_ref().map(|value| &value.data) {
        Some(Data::Bool(true)) => return None,
        Some(Data::Bool(false)) => "`clientCertEnabled` is false".to_string(),
        None => "`clientCertEnabled` is null (never set, so off)".to_string(),
        Some(Data::Unknown(why)) => why.clone(),
        Some(Data::String(text)) => format!(
            "`clientCertEnabled` is \"{}\", not true",
            crate::quote::clip(text)
        ),
        Some(other) => format!("`clientCertEnabled` is {other:?}, not true"),
    })
}
