//! The Azure Policy guardrail the scanned code assigns (SPEC "Rollout facts"): the
//! assignments of the control's built-in definitions (directly or through an initiative) that
//! the scan found, as the report carries them. Detection fills it; `certgate plan` and the
//! `check` summary read it.

use super::Location;

/// Every assignment of the control found in the scanned code; empty when none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Guardrail {
    pub assignments: Vec<Assignment>,
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

/// Where an assignment applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    ManagementGroup,
    Subscription,
    ResourceGroup,
    Resource,
    Unknown,
}

/// Whether an assignment guards anything.
#[derive(Debug, Clone, PartialEq)]
pub enum AssignmentState {
    /// Effect not `Disabled` and enforcement on.
    Active,
    /// No guardrail: the text says why (`effect = "Disabled"`, `enforce = false`).
    Disabled(String),
    /// The effect or enforcement is unresolved: the text says which.
    Unknown(String),
}

/// The guardrail as one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuardrailStatus {
    /// At least one active assignment at management-group or subscription scope.
    Present,
    /// Assignments exist, but none is active at management-group or subscription scope.
    PresentButDisabled,
    Absent,
}

impl Guardrail {
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
