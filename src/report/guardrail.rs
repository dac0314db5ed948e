//! The Azure Policy guardrail the scanned code assigns (SPEC "Rollout facts"): the
//! assignments of the control's built-in definitions (directly or through an initiative) that
//! the scan found, as the report carries them. Detection fills it; `certgate plan` and the
//! `check` summary read it.

use super::Location;
use crate::model::guardrail::PolicyAssignment;
use crate::source::SourceMap;

/// Every assignment of the control found in the scanned code; empty when none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Guardrail {
    pub assignments: Vec<Assignment>,
    /// Whether `check`'s human summary may mention a missing guardrail (`--no-guardrail-hint`,
    /// `guardrail-hint = false` turn it off).
    pub hint: bool,
}

/// One policy assignment that covers at least one site kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// `azurerm_management_group_policy_assignment.mtls`, an ARM/Bicep resource's name.
    pub address: String,
    pub location: Location,
    pub scope: Scope,
    /// The scope as written (a management group or subscription id, an expression).
    pub scope_text: String,
    /// The site kinds its definitions cover (`web-app`, `web-app-slot`, `function-app`,
    /// `function-app-slot`), in that order.
    pub covers: Vec<&'static str>,
    /// The initiative (policy set) it goes through, when not a direct assignment.
    pub via: Option<String>,
    pub state: AssignmentState,
}

pub use crate::model::guardrail::{AssignmentState, Scope};

/// What every report says of the built-in definitions (SPEC "Rollout facts").
pub const NOTE: &str = "The built-in definitions audit only (AuditIfNotExists): they report \
non-compliant sites and block nothing, and they count an app with HTTP/2 enabled as compliant. \
A guardrail that blocks needs a custom Deny definition (`certgate guardrail --effect deny`).";

/// The guardrail as one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuardrailStatus {
    /// At least one active assignment at management-group or subscription scope.
    Present,
    /// Assignments exist, but none is active at management-group or subscription scope.
    PresentButDisabled,
    Absent,
}

impl GuardrailStatus {
    /// The stable machine form (`present`, `present-but-disabled`, `absent`).
    pub fn as_str(self) -> &'static str {
        match self {
            GuardrailStatus::Present => "present",
            GuardrailStatus::PresentButDisabled => "present-but-disabled",
            GuardrailStatus::Absent => "absent",
        }
    }
}

impl Guardrail {
    /// The assignments the front ends found, located, once each (a template judged once per
    /// parameter file finds its assignments once per scenario), sorted by place.
    pub(crate) fn found(found: Vec<PolicyAssignment>, sources: &SourceMap, hint: bool) -> Self {
        let mut assignments: Vec<Assignment> = found
            .into_iter()
            .map(|a| Assignment {
                location: Location::of(sources, a.span),
                address: a.address,
                scope: a.scope,
                scope_text: a.scope_text,
                covers: a.covers,
                via: a.via,
                state: a.state,
            })
            .collect();
        assignments.sort_by(|a, b| {
            (
                &a.location.path,
                a.location.start.line,
                a.location.start.column,
                &a.address,
            )
                .cmp(&(
                    &b.location.path,
                    b.location.start.line,
                    b.location.start.column,
                    &b.address,
                ))
        });
        assignments.dedup();
        Guardrail { assignments, hint }
    }

    /// The site kinds active assignments at management-group or subscription scope cover.
    pub fn covered(&self) -> Vec<&'static str> {
        crate::guardrail::definitions::ordered(
            self.assignments
                .iter()
                .filter(|a| matches!(a.scope, Scope::ManagementGroup | Scope::Subscription))
                .filter(|a| a.state == AssignmentState::Active)
                .flat_map(|a| a.covers.iter().copied()),
        )
    }

    /// The site kinds among `kinds` that a built-in audits but no active management-group or
    /// subscription assignment covers, in report order (logic apps have no built-in).
    pub fn uncovered<'a>(&self, kinds: impl IntoIterator<Item = &'a str>) -> Vec<&'static str> {
        let kinds: std::collections::HashSet<&str> = kinds.into_iter().collect();
        let covered = self.covered();
        crate::guardrail::definitions::KINDS
            .into_iter()
            .filter(|kind| kinds.contains(kind) && !covered.contains(kind))
            .collect()
    }

    /// The one-line hint of `check`'s human summary, when it applies: sites fail (their kinds
    /// are `failing_kinds`) and no platform guardrail is active, or the active one leaves some
    /// of those kinds out (a web-app assignment says nothing of failing function apps).
    pub fn hint_line<'a>(
        &self,
        failing_kinds: impl IntoIterator<Item = &'a str>,
    ) -> Option<String> {
        let failing: Vec<&str> = failing_kinds.into_iter().collect();
        if !self.hint || failing.is_empty() {
            return None;
        }
        let text = match self.status() {
            GuardrailStatus::Present => {
                let missing = self.uncovered(failing);
                if missing.is_empty() {
                    return None;
                }
                return Some(format!(
                    "hint: the Azure Policy guardrail found does not cover {} (failing here); \
                     `certgate guardrail` writes one for every site kind",
                    missing.join(", ")
                ));
            }
            GuardrailStatus::Absent => "no Azure Policy guardrail for client certificates found",
            GuardrailStatus::PresentButDisabled => {
                "the Azure Policy guardrail found is not active platform-wide"
            }
        };
        Some(format!("hint: {text}; `certgate guardrail` writes one"))
    }

    /// Present, present but disabled, or absent (SPEC: only management-group or subscription
    /// scope counts as a platform guardrail).
    pub fn status(&self) -> GuardrailStatus {
        let platform =
            |a: &&Assignment| matches!(a.scope, Scope::ManagementGroup | Scope::Subscription);
        if self
            .assignments
            .iter()
            .filter(platform)
            .any(|a| a.state == AssignmentState::Active)
        {
            GuardrailStatus::Present
        } else if self.assignments.is_empty() {
            GuardrailStatus::Absent
        } else {
            GuardrailStatus::PresentButDisabled
        }
    }
}
