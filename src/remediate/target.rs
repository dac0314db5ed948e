//! What the script is made of: the deployed sites to fix, cut into `certgate plan`'s batches,
//! the sites left alone (an active exception, or nothing a command can set), and the choice of
//! one batch.

use std::path::PathBuf;

use super::site_id::SiteId;
use crate::diagnostic::Severity;
use crate::model::{Environment, Exposure, SiteKind};
use crate::rollout::batches::{self, Batch};
use crate::rollout::site::{Class, Site};

/// One deployed site or slot the script fixes.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// The resource id as the export writes it (the site's address).
    pub id: String,
    /// The id taken apart.
    pub parts: SiteId,
    pub kind: SiteKind,
    /// certgate's verdict on what the export says (`client-cert-disabled`, …).
    pub verdict: &'static str,
    /// Where the site's object is in the export.
    pub path: PathBuf,
    pub line: usize,
    pub exposure: Exposure,
    pub environment: Environment,
    /// Whether the export shows exclusion paths (or cannot say): the command clears them.
    pub clear_exclusion_paths: bool,
    /// The owners of the code that manages it (CODEOWNERS, with `--code`).
    pub owners: Vec<String>,
    /// Why the fix will not last (the managing code still has the failing value), when so.
    pub reverted_by: Option<String>,
}

/// A site the script leaves alone, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub id: String,
    pub why: String,
}

/// One block of the script: a rollout batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub number: usize,
    pub class: Class,
    pub targets: Vec<Target>,
}

/// Everything the script shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Script {
    /// The exports read, as named on the command line.
    pub exports: Vec<PathBuf>,
    pub batch_size: usize,
    /// Every batch (numbered as `certgate plan` numbers them).
    pub batch_count: usize,
    /// The batches the script runs: all, or the one `--batch` chose.
    pub blocks: Vec<Block>,
    /// Sites an active exception covers.
    pub excepted: Vec<Skipped>,
    /// Failing sites no command can fix (an id that is not a site's, an unsupported kind).
    pub not_scripted: Vec<Skipped>,
}

/// Cuts `targets` into batches of at most `batch_size` exactly as `certgate plan` does (risk
/// class first, then export path, id and line) and keeps batch `batch` when one is chosen; an
/// error names the batches there are.
pub fn batches(
    targets: Vec<Target>,
    batch_size: usize,
    batch: Option<usize>,
) -> Result<(usize, Vec<Block>), String> {
    let sites = targets
        .iter()
        .enumerate()
        .map(|(i, t)| as_site(i, t))
        .collect();
    let cut: Vec<Batch> = batches::cut(sites, batch_size);
    let count = cut.len();
    let mut slots: Vec<Option<Target>> = targets.into_iter().map(Some).collect();
    let blocks: Vec<Block> = cut
        .into_iter()
        .map(|b| Block {
            number: b.number,
            class: b.class,
            targets: b
                .sites
                .iter()
                .filter_map(|s| slots[s.finding].take())
                .collect(),
        })
        .collect();
    match batch {
        None => Ok((count, blocks)),
        Some(k) => match blocks.into_iter().find(|b| b.number == k) {
            Some(block) => Ok((count, vec![block])),
            None => Err(format!(
                "there is no batch {k}: with batches of {} the deployed sites make {}",
                batch_size.max(1),
                match count {
                    0 => "none (no failing deployed site)".to_string(),
                    1 => "1 batch".to_string(),
                    n => format!("{n} batches"),
                }
            )),
        },
    }
}

/// The rollout's view of a target, so the batches are `rollout::batches`' own.
fn as_site(index: usize, target: &Target) -> Site {
    Site {
        finding: index,
        address: target.id.clone(),
        scenario: None,
        path: target.path.clone(),
        line: target.line,
        verdict: target.verdict,
        severity: Severity::Error,
        fixable: false,
        exposure: target.exposure,
        environment: target.environment,
        owners: Vec::new(),
        root: None,
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Targets for the unit tests (the inventory front end builds them from exports).

    use super::*;

    /// A failing web app `name` in `rg-web`, internet-facing production, at `path`:1.
    pub fn target(name: &str) -> Target {
        let id = format!(
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-web/providers/Microsoft.Web/sites/{name}"
        );
        Target {
            parts: SiteId::parse(&id).expect("a site id"),
            id,
            kind: SiteKind::WebApp,
            verdict: "client-cert-disabled",
            path: PathBuf::from("exports/webapps.json"),
            line: 1,
            exposure: Exposure::Internet,
            environment: Environment::Production,
            clear_exclusion_paths: false,
            owners: Vec::new(),
            reverted_by: None,
        }
    }

    /// `target(name)` as a slot `slot` of it.
    pub fn slot(name: &str, slot: &str) -> Target {
        let mut t = target(name);
        t.id = format!("{}/slots/{slot}", t.id);
        t.parts = SiteId::parse(&t.id).expect("a slot id");
        t
    }
}

#[cfg(test)]
mod tests {
    use super::testing::target;
    use super::*;

    fn numbers(blocks: &[Block]) -> Vec<(usize, Vec<String>)> {
        blocks
            .iter()
            .map(|b| {
                let names = b.targets.iter().map(|t| t.parts.site.clone()).collect();
                (b.number, names)
            })
            .collect()
    }

    fn estate() -> Vec<Target> {
        let mut dev = target("dev-app");
        dev.environment = Environment::NonProduction;
        let mut private = target("private-app");
        private.exposure = Exposure::Private;
        vec![private, target("b-app"), dev, target("a-app")]
    }

    #[test]
    fn batches_come_in_risk_order_like_the_plan() {
        let (count, blocks) = batches(estate(), 20, None).unwrap();
        assert_eq!(count, 3);
        assert_eq!(
            numbers(&blocks),
            vec![
                (1, vec!["a-app".into(), "b-app".into()]),
                (2, vec!["dev-app".into()]),
                (3, vec!["private-app".into()]),
            ]
        );
    }

    #[test]
    fn batch_selection_keeps_one_batch_with_its_plan_number() {
        let (count, blocks) = batches(estate(), 1, Some(2)).unwrap();
        assert_eq!(count, 4);
        assert_eq!(numbers(&blocks), vec![(2, vec!["b-app".into()])]);
    }

    #[test]
    fn a_batch_that_does_not_exist_is_an_error_naming_how_many_there_are() {
        let why = batches(estate(), 20, Some(4)).unwrap_err();
        assert_eq!(
            why,
            "there is no batch 4: with batches of 20 the deployed sites make 3 batches"
        );
        let why = batches(Vec::new(), 20, Some(1)).unwrap_err();
        assert!(why.ends_with("none (no failing deployed site)"), "{why}");
    }
}
