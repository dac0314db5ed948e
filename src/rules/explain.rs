//! `certgate explain`: finds a rule by any spelling a user brings (any case, `_` for `-`, or a
//! peer scanner's id for the same control) and prints its documentation.

use super::{RULES, RuleId};

/// Peer scanners' ids for the control, with the certgate rule that corresponds: they check
/// only the enabled flag, which is `client-cert-disabled`.
const PEER_IDS: [(&str, &str, RuleId); 3] = [
    ("CKV_AZURE_17", "Checkov", RuleId::ClientCertDisabled),
    ("AVD-AZU-0001", "Trivy", RuleId::ClientCertDisabled),
    (
        "azure-appservice-require-client-cert",
        "tfsec",
        RuleId::ClientCertDisabled,
    ),
];

/// What an id given to `explain` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The certgate rule.
    pub rule: RuleId,
    /// When a peer's id was given: the peer's name and its id as it spells it.
    pub peer: Option<(&'static str, &'static str)>,
}

/// Every id `explain` documents: the resource rules, then the exception rules.
pub fn all_ids() -> Vec<&'static str> {
    RULES.iter().map(|rule| rule.id.as_str()).collect()
}

/// The rule `given` names, compared case-insensitively with `_` and `-` alike.
pub fn resolve(given: &str) -> Option<Resolved> {
    let key = canonical(given);
    if let Some(rule) = RuleId::ALL
        .into_iter()
        .find(|id| canonical(id.as_str()) == key)
    {
        return Some(Resolved { rule, peer: None });
    }
    PEER_IDS
        .iter()
        .find(|(id, _, _)| canonical(id) == key)
        .map(|&(id, peer, rule)| Resolved {
            rule,
            peer: Some((peer, id)),
        })
}

fn canonical(id: &str) -> String {
    id.trim().to_ascii_lowercase().replace('_', "-")
}

/// The text `certgate explain` prints for a resolved id.
pub fn text(resolved: &Resolved) -> String {
    let docs = super::docs::markdown(resolved.rule.rule());
    match resolved.peer {
        None => docs,
        Some((peer, id)) => format!(
            "{peer}'s {id} checks only that client certificates are enabled; certgate's rule \
             for that is {rule}, below. certgate also fails an enabled site whose mode lets \
             clients in without a certificate (client-cert-optional) and reports exclusion \
             paths (client-cert-exclusion-paths): run `certgate rules` for the list.\n\n{docs}",
            rule = resolved.rule
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_case_underscores_and_peer_ids_resolve() {
        for (given, rule) in [
            ("Client-Cert-Disabled", "client-cert-disabled"),
            ("CLIENT_CERT_OPTIONAL", "client-cert-optional"),
            ("Unused-Exception", "unused-exception"),
            ("ckv_azure_17", "client-cert-disabled"),
            ("avd-azu-0001", "client-cert-disabled"),
        ] {
            assert_eq!(
                resolve(given).map(|r| r.rule.as_str()),
                Some(rule),
                "{given}"
            );
        }
        assert_eq!(
            resolve("CKV_AZURE_17").unwrap().peer,
            Some(("Checkov", "CKV_AZURE_17"))
        );
        assert!(resolve("client-cert").is_none());
    }

    #[test]
    fn every_listed_id_has_docs() {
        for id in all_ids() {
            let resolved = resolve(id).unwrap();
            assert!(text(&resolved).contains(id), "{id}");
        }
    }
}
