//! A policy assignment of the control's built-in definitions as a front end found it: the
//! format-neutral record the scan turns into `report::guardrail::Assignment`.

use crate::source::Span;

/// Where an assignment applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    ManagementGroup,
    Subscription,
    ResourceGroup,
    Resource,
    Unknown,
}

impl Scope {
    /// The name the reports use (`management-group`, `subscription`, …).
    pub fn name(self) -> &'static str {
        match self {
            Scope::ManagementGroup => "management-group",
            Scope::Subscription => "subscription",
            Scope::ResourceGroup => "resource-group",
            Scope::Resource => "resource",
            Scope::Unknown => "unknown",
        }
    }
}

/// Whether an assignment guards anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssignmentState {
    /// Effect not `Disabled` and enforcement on.
    Active,
    /// No guardrail: the text says why (`effect = "Disabled"`, `enforce = false`).
    Disabled(String),
    /// The effect or enforcement is unresolved: the text says which.
    Unknown(String),
}

/// One assignment that covers at least one site kind, where a front end found it.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyAssignment {
    /// `azurerm_management_group_policy_assignment.mtls`, an ARM/Bicep resource's name.
    pub address: String,
    /// The assignment's header (resource block labels, `"type"` member, Bicep declaration).
    pub span: Span,
    pub scope: Scope,
    /// The scope as written (a management group or subscription id, an expression).
    pub scope_text: String,
    /// The site kinds its definitions cover, in `guardrail::definitions::KINDS` order.
    pub covers: Vec<&'static str>,
    /// The initiative (policy set) it goes through, when not a direct assignment.
    pub via: Option<String>,
    pub state: AssignmentState,
}
