//! The rollout plan as data: guardrail, root causes, batches, exceptions and totals, assembled
//! from a scan whose fixes were planned. The renderers read only this.

use std::path::{Path, PathBuf};

use super::batches::{self, Batch};
use super::owners::CodeOwners;
use super::root_causes::{self, RootCause};
use super::site::Site;
use crate::fs::FileSystem;
use crate::report::guardrail::{Guardrail, GuardrailStatus};
use crate::report::{Report, Status};
use crate::suppress::listing::Row;

/// Everything `certgate plan` prints.
#[derive(Debug)]
pub struct Rollout {
    pub guardrail: Guardrail,
    pub guardrail_status: GuardrailStatus,
    /// Kinds of failing sites that no active platform assignment covers (`function-app`, …).
    pub guardrail_uncovered: Vec<&'static str>,
    pub root_causes: Vec<RootCause>,
    pub batches: Vec<Batch>,
    pub batch_size: usize,
    pub exceptions: Vec<Row>,
    pub totals: Totals,
    /// The CODEOWNERS file owners were read from, when there is one.
    pub codeowners: Option<PathBuf>,
    /// Things the reader should know: unusable CODEOWNERS lines, files the scan could not read.
    pub notices: Vec<String>,
}

/// The one-line total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    /// Every checked site (resource).
    pub sites: usize,
    /// Sites with an error finding.
    pub failing: usize,
    /// Sites with a warning finding (unresolved values, exclusion paths).
    pub warnings: usize,
    /// Sites in the plan that `--fix` fixes as things stand.
    pub fixable: usize,
    /// Sites the root causes fix.
    pub in_root_causes: usize,
    /// Sites suppressed by an active exception.
    pub suppressed: usize,
}

/// Root causes and batches of `report`'s reported findings (the part `--fix --batch` and
/// `--root-causes` select from; owners are not needed for it).
pub fn work(report: &Report, batch_size: usize) -> (Vec<RootCause>, Vec<Batch>) {
    let (causes, rest) = root_causes::split(report, super::site::sites(report));
    (causes, batches::cut(rest, batch_size))
}

/// Marks not fixable the sites whose fix edits the same text as a site of another batch or
/// root cause (two scenarios of one declaration): `--fix --batch K` refuses them, as fixing
/// one would change the other's batch too.
fn unmark_shared_fixes(report: &Report, causes: &mut [RootCause], batches: &mut [Batch]) {
    let units = causes
        .iter()
        .map(|c| &c.sites)
        .chain(batches.iter().map(|b| &b.sites));
    let fixes: Vec<(usize, usize, &crate::diagnostic::Fix)> = units
        .enumerate()
        .flat_map(|(unit, sites)| {
            sites
                .iter()
                .filter_map(move |site| match &report.findings.get(site.finding)?.fix {
                    crate::diagnostic::FixStatus::Available(fix) => Some((site.finding, unit, fix)),
                    _ => None,
                })
        })
        .collect();
    let shared: std::collections::HashSet<usize> = crate::diagnostic::shared_edits(&fixes)
        .into_iter()
        .map(|(finding, _)| finding)
        .collect();
    let sites = causes
        .iter_mut()
        .flat_map(|c| c.sites.iter_mut())
        .chain(batches.iter_mut().flat_map(|b| b.sites.iter_mut()));
    for site in sites.filter(|s| shared.contains(&s.finding)) {
        site.fixable = false;
    }
}

/// The CODEOWNERS of every project root directory, read through `fs`.
#[derive(Debug, Default)]
pub struct Owners {
    roots: Vec<(PathBuf, CodeOwners)>,
}

impl Owners {
    /// Looks up the CODEOWNERS file of each root directory (GitHub's order).
    pub fn find(fs: &dyn FileSystem, root_dirs: &[PathBuf]) -> Owners {
        Owners {
            roots: root_dirs
                .iter()
                .map(|dir| (dir.clone(), CodeOwners::find(fs, dir)))
                .collect(),
        }
    }

    /// The owners of the file at `path` (as the report names it).
    pub fn of(&self, path: &Path) -> Vec<String> {
        for (dir, owners) in &self.roots {
            let relative = crate::paths::relative_to(dir, path).or_else(|| {
                let real = std::fs::canonicalize(path).ok()?;
                crate::paths::relative_to(dir, &real)
            });
            if let Some(relative) = relative {
                return owners.owners_of(Path::new(&relative)).to_vec();
            }
        }
        Vec::new()
    }
}

/// Assembles the plan of `report` (scanned with its fixes planned).
pub fn assemble(report: &Report, owners: &Owners, batch_size: usize) -> Rollout {
    let (mut causes, mut batches) = work(report, batch_size);
    unmark_shared_fixes(report, &mut causes, &mut batches);
    for cause in &mut causes {
        cause.owners = owners.of(&cause.place.path);
        for site in &mut cause.sites {
            site.owners = owners.of(&site.path);
        }
    }
    for batch in &mut batches {
        for site in &mut batch.sites {
            site.owners = owners.of(&site.path);
        }
    }
    let statuses = report.statuses();
    let count = |status| statuses.iter().filter(|s| **s == status).count();
    let planned = causes
        .iter()
        .flat_map(|c| &c.sites)
        .chain(batches.iter().flat_map(|b| &b.sites));
    let fixable = planned.filter(|s: &&Site| s.fixable).count();
    let totals = Totals {
        sites: report.resources.len(),
        failing: count(Status::Failing),
        warnings: count(Status::Warning),
        fixable,
        in_root_causes: causes.iter().map(|c| c.sites.len()).sum(),
        suppressed: count(Status::Suppressed),
    };
    let mut notices: Vec<String> = owners
        .roots
        .iter()
        .flat_map(|(_, o)| o.notices.iter().cloned())
        .collect();
    for error in &report.errors {
        notices.push(format!(
            "{}:{}:{}: {} ({})",
            crate::paths::path_text(&error.path),
            error.start.line,
            error.start.column,
            error.message,
            consequence(error)
        ));
    }
    Rollout {
        guardrail: report.guardrail.clone(),
        guardrail_status: report.guardrail.status(),
        guardrail_uncovered: report.guardrail.uncovered(
            report
                .resources
                .iter()
                .zip(&statuses)
                .filter(|(_, status)| **status == Status::Failing)
                .map(|(resource, _)| resource.kind.as_str()),
        ),
        root_causes: causes,
        batches,
        batch_size: batch_size.max(1),
        exceptions: super::exceptions::rows(report),
        totals,
        codeowners: owners.roots.iter().find_map(|(_, o)| o.path.clone()),
        notices,
    }
}

/// What an error means for the plan: a file that failed to read or parse is missing from it;
/// a config file with errors counts as the defaults (the scan went on without it).
fn consequence(error: &crate::report::ErrorRecord) -> &'static str {
    let config = format!("invalid {}:", crate::paths::CONFIG_FILE);
    if error.message.starts_with(&config) {
        "the plan was made without this config: its `[environments]`, exceptions and settings do not apply"
    } else {
        "its sites are missing from this plan"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::MemoryFs;
    use crate::harness::{File, scan_in_memory};
    use crate::model::{Environment, Exposure, Fact};
    use crate::report::Location;
    use crate::report::guardrail::{Assignment, AssignmentState, Scope};
    use crate::source::LineCol;

    fn failing_site(name: &str) -> File {
        File::new(
            format!("{name}.tf"),
            format!(
                "resource \"azurerm_linux_web_app\" \"{name}\" {{\n  client_certificate_enabled = false\n}}\n"
            ),
        )
    }

    /// A scan of four failing sites whose records get the given facts (as package B's
    /// decisions would set them).
    fn report_with_facts() -> Report {
        let files = ["a", "b", "c", "d"].map(failing_site);
        let mut report = scan_in_memory(&files, &Default::default());
        let facts = [
            ("a", Exposure::Private, Environment::NonProduction),
            ("b", Exposure::Unknown, Environment::Production),
            ("c", Exposure::Internet, Environment::Production),
            ("d", Exposure::Internet, Environment::NonProduction),
        ];
        for record in &mut report.resources {
            let (_, exposure, environment) = facts
                .iter()
                .find(|(name, ..)| record.address.ends_with(&format!(".{name}")))
                .unwrap();
            record.exposure = Fact {
                value: *exposure,
                reason: "test".into(),
                span: None,
            };
            record.environment = Fact {
                value: *environment,
                reason: "test".into(),
                span: None,
            };
        }
        report
    }

    #[test]
    fn batches_follow_the_records_exposure_and_environment() {
        let report = report_with_facts();
        let (causes, batches) = work(&report, 20);
        assert!(causes.is_empty());
        let order: Vec<(&str, &str)> = batches
            .iter()
            .map(|b| (b.class.as_str(), b.sites[0].address.as_str()))
            .collect();
        assert_eq!(
            order,
            [
                ("internet-production", "azurerm_linux_web_app.c"),
                ("internet-non-production", "azurerm_linux_web_app.d"),
                ("unknown", "azurerm_linux_web_app.b"),
                ("private-non-production", "azurerm_linux_web_app.a"),
            ]
        );
    }

    #[test]
    fn owners_come_from_the_project_roots_codeowners() {
        let report = report_with_facts();
        let fs = MemoryFs::new([(
            PathBuf::from("/certgate-harness/project/.github/CODEOWNERS"),
            "* @platform\nc.tf @web\n".to_string(),
        )]);
        let owners = Owners::find(&fs, &[PathBuf::from("/certgate-harness/project")]);
        let rollout = assemble(&report, &owners, 20);
        let owners_of = |address: &str| {
            rollout
                .batches
                .iter()
                .flat_map(|b| &b.sites)
                .find(|s| s.address == address)
                .unwrap()
                .owners
                .clone()
        };
        assert_eq!(owners_of("azurerm_linux_web_app.c"), ["@web"]);
        assert_eq!(owners_of("azurerm_linux_web_app.a"), ["@platform"]);
        assert_eq!(
            rollout.codeowners.as_deref(),
            Some(Path::new(".github/CODEOWNERS"))
        );
        assert_eq!(rollout.totals.failing, 4);
        assert_eq!(rollout.totals.sites, 4);
    }

    fn assignment(scope: Scope, state: AssignmentState) -> Assignment {
        Assignment {
            address: "azurerm_management_group_policy_assignment.mtls".into(),
            location: Location {
                path: PathBuf::from("policy/main.tf"),
                start: LineCol { line: 3, column: 1 },
                end: LineCol { line: 9, column: 2 },
            },
            scope,
            scope_text: "/providers/Microsoft.Management/managementGroups/contoso".into(),
            covers: vec!["web-app", "function-app"],
            via: Some("mcsb".into()),
            state,
        }
    }

    #[test]
    fn the_guardrail_is_rendered_present_disabled_or_absent_with_scope_and_kinds() {
        let mut report = report_with_facts();
        let owners = Owners::default();
        let absent = super::super::render::markdown::render(&assemble(&report, &owners, 20));
        assert!(absent.contains("**Guardrail: absent.**"), "{absent}");
        assert!(absent.contains("AuditIfNotExists") && absent.contains("HTTP/2"));

        report.guardrail.assignments = vec![assignment(
            Scope::ManagementGroup,
            AssignmentState::Disabled("effect = \"Disabled\"".into()),
        )];
        let disabled = super::super::render::markdown::render(&assemble(&report, &owners, 20));
        assert!(
            disabled.contains("**Guardrail: present but disabled.**"),
            "{disabled}"
        );
        assert!(
            disabled.contains(
                "at management group scope `/providers/Microsoft.Management/managementGroups/contoso`, \
                 covers web-app, function-app via initiative mcsb: disabled (effect = \"Disabled\")"
            ),
            "{disabled}"
        );

        report.guardrail.assignments =
            vec![assignment(Scope::Subscription, AssignmentState::Active)];
        let rollout = assemble(&report, &owners, 20);
        let human = super::super::render::human::render(&rollout);
        assert!(human.contains("Guardrail: present:"), "{human}");
        let json = super::super::render::json::render(&rollout);
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(json["guardrail"]["status"], "present");
        assert_eq!(json["guardrail"]["assignments"][0]["scope"], "subscription");
        assert_eq!(
            json["guardrail"]["assignments"][0]["covers"][1],
            "function-app"
        );
    }
}
