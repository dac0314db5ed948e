//! `RuleId`: every rule certgate reports, as a closed set instead of strings.

use std::cmp::Ordering;
use std::fmt;

use super::Rule;

/// One of certgate's rules: the five that judge resources, then the two that judge exceptions.
///
/// Ordered by its id text (not by declaration order), so sorting findings by rule gives the
/// same order as when the rule was a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleId {
    ClientCertUnsupported,
    ClientCertUnresolved,
    ClientCertDisabled,
    ClientCertOptional,
    ClientCertExclusionPaths,
    UnusedException,
    InvalidException,
}

impl RuleId {
    /// Every id, in the order of the rule table.
    pub const ALL: [RuleId; 7] = [
        RuleId::ClientCertUnsupported,
        RuleId::ClientCertUnresolved,
        RuleId::ClientCertDisabled,
        RuleId::ClientCertOptional,
        RuleId::ClientCertExclusionPaths,
        RuleId::UnusedException,
        RuleId::InvalidException,
    ];

    /// The id as users write it (`client-cert-disabled`), in output, config and comments.
    pub const fn as_str(self) -> &'static str {
        match self {
            RuleId::ClientCertUnsupported => "client-cert-unsupported",
            RuleId::ClientCertUnresolved => "client-cert-unresolved",
            RuleId::ClientCertDisabled => "client-cert-disabled",
            RuleId::ClientCertOptional => "client-cert-optional",
            RuleId::ClientCertExclusionPaths => "client-cert-exclusion-paths",
            RuleId::UnusedException => "unused-exception",
            RuleId::InvalidException => "invalid-exception",
        }
    }

    /// The id spelled exactly `text` (no case folding: `explain` does its own).
    pub fn parse(text: &str) -> Option<RuleId> {
        RuleId::ALL.into_iter().find(|id| id.as_str() == text)
    }

    /// Its row in the rule table.
    pub fn rule(self) -> &'static Rule {
        match self {
            RuleId::ClientCertUnsupported => &super::client_cert_unsupported::RULE,
            RuleId::ClientCertUnresolved => &super::client_cert_unresolved::RULE,
            RuleId::ClientCertDisabled => &super::client_cert_disabled::RULE,
            RuleId::ClientCertOptional => &super::client_cert_optional::RULE,
            RuleId::ClientCertExclusionPaths => &super::client_cert_exclusion_paths::RULE,
            RuleId::UnusedException => &super::unused_exception::RULE,
            RuleId::InvalidException => &super::invalid_exception::RULE,
        }
    }

    /// Whether it judges exceptions (`unused-exception`, `invalid-exception`), not resources.
    pub fn is_exception(self) -> bool {
        matches!(self, RuleId::UnusedException | RuleId::InvalidException)
    }
}

impl Ord for RuleId {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for RuleId {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Serialized as its text (JSON `rule`, SARIF `ruleId`).
impl serde::Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Compares with an id as written, so tests and messages can name rules by their text.
impl PartialEq<str> for RuleId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_parses_back_from_its_text() {
        for id in RuleId::ALL {
            assert_eq!(RuleId::parse(id.as_str()), Some(id));
        }
        assert_eq!(RuleId::parse("Client-Cert-Disabled"), None);
        assert_eq!(RuleId::parse("client-cert"), None);
    }

    #[test]
    fn every_id_names_its_own_row() {
        for id in RuleId::ALL {
            assert_eq!(id.rule().id, id);
        }
    }

    #[test]
    fn ids_sort_as_their_text() {
        let mut ids = RuleId::ALL.to_vec();
        ids.sort();
        let texts: Vec<&str> = ids.iter().map(|id| id.as_str()).collect();
        let mut sorted = texts.clone();
        sorted.sort();
        assert_eq!(texts, sorted);
    }
}
