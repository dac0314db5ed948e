//! The rule table: every rule's id, severity and docs, and the one function that judges a resource.
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
pub mod state;

use crate::model::{Origin, Resource};
use crate::source::Span;
use state::CertState;

pub use crate::diagnostic::Severity;

/// A rule: its identity, its documentation, and its check.
pub struct Rule {
    pub id: &'static str,
    /// A short title, e.g. "Client certificates disabled".
    pub name: &'static str,
    pub severity: Severity,
    /// One line for `certgate rules`.
    pub summary: &'static str,
    /// Markdown: `## What it does`, `## Why is this bad?`, `## Example`, `## Fix`.
    pub docs: &'static str,
    /// `None` when the rule does not apply; the state is `None` for unsupported types.
    pub check: fn(&Resource, Option<&CertState>) -> Option<Violation>,
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

/// Every rule, in precedence order.
pub static RULES: &[&Rule] = &[
    &client_cert_unsupported::RULE,
    &client_cert_unresolved::RULE,
    &client_cert_disabled::RULE,
    &client_cert_optional::RULE,
    &client_cert_exclusion_paths::RULE,
];

/// Finds a rule by id.
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|rule| rule.id == id)
}

/// The verdict for one resource: the first rule that fires, or `None` when it passes.
pub fn judge(resource: &Resource) -> Option<(&'static Rule, Violation)> {
    let state = CertState::of(resource);
    RULES
        .iter()
        .find_map(|rule| (rule.check)(resource, state.as_ref()).map(|v| (*rule, v)))
}

/// `the function app slot azurerm_linux_function_app_slot.api`: how messages name a resource.
pub(crate) fn describe(resource: &Resource) -> String {
    // A name can be any length (a generated template's): messages quote it cut.
    format!(
        "{} `{}`",
        resource.kind_label(),
        crate::quote::clip(&resource.address)
    )
}
