//! From the scan of the exports (and of the code, with `--code`) to the script's parts: each
//! failing deployed site as a [`Target`], with its owners and a warning when the code that
//! manages it still has the failing value; the sites an exception covers; the ones no command
//! can fix.

use std::collections::HashMap;

use super::site_id::SiteId;
use super::target::{Skipped, Target};
use crate::date::format_date;
use crate::drift::Match;
use crate::model::{Data, Environment, Exposure, Resource, Source};
use crate::report::drift::MatchedBy;
use crate::report::{Finding, Report};
use crate::rules::RuleId;

/// The code side: its scan and the owners of its files.
pub struct Code<'a> {
    pub report: &'a Report,
    /// The CODEOWNERS owners of a scanned file.
    pub owners: &'a dyn Fn(&std::path::Path) -> Vec<String>,
}

/// What the exports hold for the script.
#[derive(Debug, Default)]
pub struct Collected {
    pub targets: Vec<Target>,
    pub excepted: Vec<Skipped>,
    pub not_scripted: Vec<Skipped>,
    /// Code resources found among the exports' paths: not deployed sites, so not scripted.
    pub code_resources: usize,
    /// Every deployed site or slot the exports hold (passing ones too).
    pub deployed_sites: usize,
}

/// Sorts the findings of `exports` (scanned) into targets, exceptions and the rest.
pub fn collect(exports: &Report, code: Option<&Code>) -> Collected {
    let records: HashMap<usize, (Exposure, Environment)> = exports
        .resources
        .iter()
        .map(|r| (r.group, (r.exposure.value, r.environment.value)))
        .collect();
    // The deployed declaration of each target, for drift's matching.
    let mut groups: Vec<Option<usize>> = Vec::new();
    let mut out = Collected {
        deployed_sites: exports
            .groups
            .iter()
            .filter(|g| {
                g.first()
                    .is_some_and(|r| matches!(r.source, Source::Deployed(_)))
            })
            .count(),
        ..Collected::default()
    };
    for finding in &exports.findings {
        let Some((resource, id)) = deployed(exports, finding) else {
            out.code_resources += usize::from(finding.group().is_some());
            continue;
        };
        let Some(parts) = SiteId::parse(&id) else {
            out.not_scripted.push(Skipped {
                id,
                why: "not the id of a Microsoft.Web site or slot".to_string(),
            });
            continue;
        };
        if finding.rule == RuleId::ClientCertUnsupported {
            out.not_scripted.push(Skipped {
                id,
                why: finding.message.clone(),
            });
            continue;
        }
        let (exposure, environment) = finding
            .group()
            .and_then(|g| records.get(&g).copied())
            .unwrap_or((Exposure::Unknown, Environment::Unknown));
        let target = Target {
            id,
            kind: resource.kind,
            verdict: finding.rule.as_str(),
            path: finding.location.path.clone(),
            line: finding.location.start.line,
            exposure,
            environment,
            clear_exclusion_paths: shows_exclusion_paths(resource),
            owners: Vec::new(),
            reverted_by: None,
            parts,
        };
        out.targets.push(target);
        groups.push(finding.group());
    }
    if let Some(code) = code {
        managed_by(&mut out.targets, &groups, exports, code);
    }
    for finding in &exports.suppressed {
        if let Some((_, id)) = deployed(exports, finding) {
            out.excepted.push(Skipped {
                why: exception(finding),
                id,
            });
        }
    }
    out
}

/// The deployed resource a finding is about, with its id; `None` for code resources and
/// findings about exceptions.
fn deployed<'r>(report: &'r Report, finding: &Finding) -> Option<(&'r Resource, String)> {
    let resource = report.groups.get(finding.group()?)?.first()?;
    if !matches!(resource.source, Source::Deployed(_)) {
        return None;
    }
    let id = match resource.identity.id.as_ref().map(|v| &v.data) {
        Some(Data::String(id)) => id.clone(),
        _ => finding.address.clone(),
    };
    Some((resource, id))
}

/// Whether the command must clear the exclusion paths: when the export shows some, or lacks
/// the property (its value is unknown). `null` and an absent value mean none.
fn shows_exclusion_paths(resource: &Resource) -> bool {
    match resource.exclusion_paths.as_ref().map(|v| &v.data) {
        None | Some(Data::Null) => false,
        Some(Data::String(paths)) => !paths.trim().is_empty(),
        // Missing from the export (unknown), or not a string: clear it to be sure.
        Some(_) => true,
    }
}

/// What the exception covering `finding` says.
fn exception(finding: &Finding) -> String {
    let Some(by) = &finding.suppressed else {
        return "an active exception".to_string();
    };
    let mut text = format!(
        "{} at {}:{}",
        by.by,
        crate::paths::path_text(&by.location.path),
        by.location.line
    );
    text.push_str(&format!(
        ", owner {}",
        by.owner.as_deref().unwrap_or("not named")
    ));
    if let Some(expires) = by.expires {
        text.push_str(&format!(", expires {}", format_date(expires)));
    }
    if let Some(reason) = &by.reason {
        text.push_str(&format!(": {reason}"));
    }
    text
}

/// Fills the owners and the revert warnings of `targets` (the deployed declaration of each
/// in `groups`) from the code resources that manage them, as drift matches them.
fn managed_by(targets: &mut [Target], groups: &[Option<usize>], exports: &Report, code: &Code) {
    for found in crate::drift::matches(code.report, exports) {
        let Match::Pair {
            code: site,
            deployed,
            by,
        } = found
        else {
            continue;
        };
        let managed = targets
            .iter_mut()
            .zip(groups)
            .filter(|(_, group)| **group == Some(deployed.group));
        for (target, _) in managed {
            if target.owners.is_empty() {
                target.owners = (code.owners)(&site.location.path);
            }
            if !site.passes() && target.reverted_by.is_none() {
                let how = match by {
                    MatchedBy::ResourceId => "by resource id",
                    MatchedBy::NameResourceGroupType => "by name, resource group and type",
                };
                target.reverted_by = Some(format!(
                    "the code that manages it ({} at {}:{}, matched {how}) still has {}: the \
                     next deployment reverts this fix; fix the code too",
                    site.address(),
                    crate::paths::path_text(&site.location.path),
                    site.location.start.line,
                    site.verdict
                ));
            }
        }
    }
}
