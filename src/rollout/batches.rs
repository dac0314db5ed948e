//! Batches: the sites no root cause fixes, ordered by risk class (internet + production
//! first), then by path, address and scenario, and cut into batches of at most `size` sites.
//! A batch never spans two classes, so "batch 2" always means sites of one risk class and a
//! new site in one class renumbers only the batches after it.

use super::site::{Class, Site};

/// How many sites a batch holds unless `--batch-size` says otherwise: a pull request a
/// reviewer can read in one sitting.
pub const DEFAULT_SIZE: usize = 20;

/// One batch: its 1-based number, its class and its sites in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub number: usize,
    pub class: Class,
    pub sites: Vec<Site>,
}

/// Cuts `sites` into batches of at most `size` (0 counts as 1), deterministically: the same
/// sites give the same batches whatever order they come in.
pub fn cut(mut sites: Vec<Site>, size: usize) -> Vec<Batch> {
    let size = size.max(1);
    sites.sort_by(|a, b| (a.class(), a.order_key()).cmp(&(b.class(), b.order_key())));
    let mut batches: Vec<Batch> = Vec::new();
    for site in sites {
        let class = site.class();
        match batches.last_mut() {
            Some(last) if last.class == class && last.sites.len() < size => last.sites.push(site),
            _ => batches.push(Batch {
                number: batches.len() + 1,
                class,
                sites: vec![site],
            }),
        }
    }
    batches
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::diagnostic::Severity;
    use crate::model::{Environment, Exposure};

    fn site(path: &str, address: &str, exposure: Exposure, environment: Environment) -> Site {
        Site {
            finding: 0,
            address: address.to_string(),
            scenario: None,
            path: PathBuf::from(path),
            line: 1,
            verdict: "client-cert-disabled",
            severity: Severity::Error,
            fixable: true,
            exposure,
            environment,
            owners: Vec::new(),
            root: None,
        }
    }

    fn shape(batches: &[Batch]) -> Vec<(usize, Class, Vec<String>)> {
        batches
            .iter()
            .map(|b| {
                let sites = b
                    .sites
                    .iter()
                    .map(|s| format!("{}:{}", crate::paths::path_text(&s.path), s.address))
                    .collect();
                (b.number, b.class, sites)
            })
            .collect()
    }

    fn mixed() -> Vec<Site> {
        use Environment::{NonProduction, Production, Unknown as EnvUnknown};
        use Exposure::{Internet, Private, Unknown};
        vec![
            site("z/private-dev.tf", "a.x", Private, NonProduction),
            site("b/unknown.tf", "a.x", Unknown, Production),
            site("a/internet-unknown-env.tf", "a.x", Internet, EnvUnknown),
            site("y/private-prod.tf", "a.x", Private, Production),
            site("m/internet-dev.tf", "a.x", Internet, NonProduction),
            site("c/internet-prod.tf", "b.y", Internet, Production),
            site("c/internet-prod.tf", "a.x", Internet, Production),
        ]
    }

    #[test]
    fn classes_come_in_risk_order_and_sites_by_path_then_address() {
        let batches = cut(mixed(), 20);
        assert_eq!(
            shape(&batches),
            vec![
                (
                    1,
                    Class::InternetProduction,
                    vec![
                        "c/internet-prod.tf:a.x".into(),
                        "c/internet-prod.tf:b.y".into()
                    ]
                ),
                (
                    2,
                    Class::InternetNonProduction,
                    vec!["m/internet-dev.tf:a.x".into()]
                ),
                (
                    3,
                    Class::Unknown,
                    vec![
                        "a/internet-unknown-env.tf:a.x".into(),
                        "b/unknown.tf:a.x".into()
                    ]
                ),
                (
                    4,
                    Class::PrivateProduction,
                    vec!["y/private-prod.tf:a.x".into()]
                ),
                (
                    5,
                    Class::PrivateNonProduction,
                    vec!["z/private-dev.tf:a.x".into()]
                ),
            ]
        );
    }

    #[test]
    fn a_batch_holds_at_most_size_sites_and_never_spans_two_classes() {
        let batches = cut(mixed(), 1);
        assert_eq!(batches.len(), 7);
        assert!(batches.iter().all(|b| b.sites.len() == 1));
        let batches = cut(mixed(), 2);
        // 2 internet+prod, 1 internet+dev, 2 unknown, 1, 1: five batches, none mixed.
        assert_eq!(
            batches.iter().map(|b| b.sites.len()).collect::<Vec<_>>(),
            [2, 1, 2, 1, 1]
        );
        assert!(
            batches
                .iter()
                .all(|b| b.sites.iter().all(|s| s.class() == b.class))
        );
        // Size 0 would make no progress: it counts as 1.
        assert_eq!(cut(mixed(), 0).len(), 7);
    }

    #[test]
    fn batches_do_not_depend_on_the_order_sites_come_in() {
        let forward = cut(mixed(), 2);
        let mut reversed_input = mixed();
        reversed_input.reverse();
        assert_eq!(shape(&forward), shape(&cut(reversed_input, 2)));
    }
}
