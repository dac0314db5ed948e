//! The rule table: every rule's id, severity and docs, and the one function that judges a resource.
//!
//! The table holds the five rules that judge resources and the two that judge exceptions
//! (`unused-exception`, `invalid-exception`, decided by `suppress/`), so `certgate rules`,
//! `explain`, SARIF and the language server read one list.
//!
//! A resource gets exactly one verdict. Rules are tried in table order and the first that
//! fires wins, so the order encodes precedence (an unsupported type is not also "disabled";
//! an unresolved enabled flag is not guessed to be "disabled").

mod advice;
pub mod client_cert_disabled;
pub mod client_cert_exclusion_paths;
pub mod client_cert_optional;
pub mod client_cert_unresolved;
pub mod client_cert_unsupported;
pub mod docs;
pub mod explain;
mod id;
pub mod invalid_exception;
pub mod state;
pub mod unused_exception;

use crate::diagnostic::Severity;
use crate::model::{Origin, Resource};
use crate::source::Span;
use state::CertState;

pub use id::RuleId;

/// A rule: its identity, its documentation, and what it judges.
pub struct Rule {
    pub id: RuleId,
    /// A short title, e.g. "Client certificates disabled".
    pub name: &'static str,
    pub severity: Severity,
    /// Whether the config cannot change the severity (`invalid-exception`): its docs say
    /// "(always)".
    pub severity_fixed: bool,
    /// One line for `certgate rules`.
    pub summary: &'static str,
    /// Markdown without the title. Resource rules: `## What it does`, `## Why is this bad?`,
    /// `## Example`, `## Fix`; exception rules: one paragraph.
    pub docs: &'static str,
    pub judges: Judges,
    /// Whether `--fix` has an automatic fix for its findings.
    pub fixable: bool,
    /// Whether peers' client-certificate checks (Checkov, Trivy) relate to it (SARIF).
    pub peers: bool,
}

/// What a rule judges.
pub enum Judges {
    /// A resource: `None` when the rule does not apply; the state is `None` for unsupported
    /// types.
    Resource(fn(&Resource, Option<&CertState>) -> Option<Violation>),
    /// An exception; `suppress/` and the config decide, not a function here.
    Exception,
}

/// What a rule says about one resource.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// One line, naming the resource.
    pub message: String,
    /// Exactly what to write or do.
    pub help: String,
    /// The attribute at fault, or the resource header when the attribute is missing.
    pub span: Span,
    /// Short text drawn under the span.
    pub label: String,
    /// Where the offending value came from, outermost first.
    pub origin: Vec<Origin>,
}

/// Every rule: the resource rules in precedence order, then the exception rules.
pub static RULES: &[&Rule] = &[
    &client_cert_unsupported::RULE,
    &client_cert_unresolved::RULE,
    &client_cert_disabled::RULE,
    &client_cert_optional::RULE,
    &client_cert_exclusion_paths::RULE,
    &unused_exception::RULE,
    &invalid_exception::RULE,
];

/// The rules that judge resources, in precedence order: what an exception without a rule
/// list covers, and what "the rules are …" names.
pub fn resource_rules() -> impl Iterator<Item = &'static Rule> {
    RULES
        .iter()
        .copied()
        .filter(|rule| matches!(rule.judges, Judges::Resource(_)))
}

/// Finds a resource rule by id (exception rules are not found: they cannot be excepted).
pub fn find(id: &str) -> Option<&'static Rule> {
    RuleId::parse(id)
        .map(RuleId::rule)
        .filter(|rule| !rule.id.is_exception())
}

/// The verdict for one resource: the first rule that fires, or `None` when it passes.
pub fn judge(resource: &Resource) -> Option<(&'static Rule, Violation)> {
    let state = CertState::of(resource);
    resource_rules().find_map(|rule| match rule.judges {
        Judges::Resource(check) => check(resource, state.as_ref()).map(|v| (rule, v)),
        Judges::Exception => None,
    })
}

/// Rule id of the finding for a malformed exception (error).
pub const INVALID_EXCEPTION: &str = RuleId::InvalidException.as_str();
/// Rule id of the finding for an exception that suppresses nothing (warning).
pub const UNUSED_EXCEPTION: &str = RuleId::UnusedException.as_str();

/// Whether a rule list (`None` = all client-cert rules) covers `rule`.
pub fn covers(rules: Option<&[String]>, rule: &str) -> bool {
    match rules {
        None => find(rule).is_some(),
        Some(list) => list.iter().any(|r| r == rule),
    }
}

/// Checks a rule id written in an exception: `Err` names the known ids.
pub fn check_rule_id(id: &str) -> Result<(), String> {
    if find(id).is_some() {
        return Ok(());
    }
    let known: Vec<String> = resource_rules()
        .map(|rule| format!("`{}`", rule.id))
        .collect();
    Err(format!(
        "unknown rule `{id}`: the rules are {}",
        known.join(", ")
    ))
}

/// `deployed web app slot `shop/staging` (resource group `rg-shop`)`: a deployed site is named
/// by its name and resource group, which its resource id (the address, often longer than a
/// message quotes) ends with.
fn deployed_name(resource: &Resource) -> Option<String> {
    use crate::model::{Data, Source, Value};
    if !matches!(resource.source, Source::Deployed(_)) {
        return None;
    }
    let text = |value: &Option<Value>| match value.as_ref().map(|value| &value.data) {
        Some(Data::String(text)) => Some(crate::quote::clip(text).into_owned()),
        _ => None,
    };
    let identity = &resource.identity;
    let name = match (text(&identity.parent), text(&identity.name)?) {
        (Some(parent), name) => format!("{parent}/{name}"),
        (None, name) => name,
    };
    Some(format!(
        "deployed {} `{name}` (resource group `{}`)",
        resource.kind_label(),
        text(&identity.resource_group)?
    ))
}

/// `the function app slot azurerm_linux_function_app_slot.api`: how messages name a resource.
pub(crate) fn describe(resource: &Resource) -> String {
    if let Some(deployed) = deployed_name(resource) {
        return deployed;
    }
    // A name can be any length (a generated template's): messages quote it cut.
    format!(
        "{} `{}`",
        resource.kind_label(),
        crate::quote::clip(&resource.address)
    )
}
