//! One renderer per `certgate plan` format (Markdown for pull requests, human for terminals,
//! JSON for tools), and the phrases they share.

pub(crate) mod human;
pub(crate) mod json;
pub(crate) mod markdown;

use super::assemble::{Rollout, Totals};
use super::root_causes::{Kind, RootCause};
use super::site::Site;
use crate::report::guardrail::{Assignment, AssignmentState, GuardrailStatus, Scope};

/// What every format says about the built-in definitions, whatever the guardrail's status:
/// the words of `check`'s JSON and SARIF, so the plan and the report never disagree.
pub const BUILT_IN_NOTE: &str = crate::report::guardrail::NOTE;

/// The guardrail's status (`absent`) and what it means, in one sentence.
pub fn guardrail_summary(status: GuardrailStatus) -> (&'static str, &'static str) {
    match status {
        GuardrailStatus::Present => (
            "present",
            "an assignment at management-group or subscription scope is active",
        ),
        GuardrailStatus::PresentButDisabled => (
            "present but disabled",
            "no assignment is active at management-group or subscription scope",
        ),
        GuardrailStatus::Absent => (
            "absent",
            "the scanned code assigns none of the control's policy definitions; assign them at \
             management-group or subscription scope so new sites are reported",
        ),
    }
}

/// What an active guardrail leaves out, when it does: `does not cover function-app (failing
/// here); `certgate guardrail` writes an assignment for every site kind`.
pub fn uncovered_text(rollout: &Rollout) -> Option<String> {
    if rollout.guardrail_status != GuardrailStatus::Present
        || rollout.guardrail_uncovered.is_empty()
    {
        return None;
    }
    Some(format!(
        "does not cover {} (failing here); `certgate guardrail` writes an assignment for every \
         site kind",
        rollout.guardrail_uncovered.join(", ")
    ))
}

/// A scope for people: `management group`, `subscription`, …
pub fn scope_name(scope: Scope) -> &'static str {
    match scope {
        Scope::ManagementGroup => "management group",
        Scope::Subscription => "subscription",
        Scope::ResourceGroup => "resource group",
        Scope::Resource => "resource",
        Scope::Unknown => "unknown scope",
    }
}

/// `active`, `disabled (effect = "Disabled")`, `unknown (…)`.
pub fn state_text(state: &AssignmentState) -> String {
    match state {
        AssignmentState::Active => "active".to_string(),
        AssignmentState::Disabled(why) => format!("disabled ({why})"),
        AssignmentState::Unknown(why) => format!("unknown ({why})"),
    }
}

/// One assignment in a line: address, scope, covered kinds, initiative, state.
pub fn assignment_text(a: &Assignment) -> String {
    format!("{} {}", a.address, assignment_details(a))
}

/// [`assignment_text`] without the address: `at subscription scope …: active`.
pub fn assignment_details(a: &Assignment) -> String {
    let mut text = format!(
        "at {} scope `{}`, covers {}",
        scope_name(a.scope),
        a.scope_text,
        if a.covers.is_empty() {
            "no site kind".to_string()
        } else {
            a.covers.join(", ")
        }
    );
    if let Some(via) = &a.via {
        text.push_str(&format!(" via initiative {via}"));
    }
    text.push_str(&format!(": {}", state_text(&a.state)));
    text
}

/// What a root cause's kind is, for people.
pub fn kind_text(kind: Kind) -> &'static str {
    match kind {
        Kind::VariableDefault => "module variable default",
        Kind::OptionalDefault => "module optional-attribute default",
        Kind::ParameterDefault => "module parameter default",
        Kind::SharedLocal => "shared local",
        Kind::IncludedInput => "input of an included Terragrunt file",
        Kind::ModuleValue => "value written in a module",
        Kind::ModuleDeclaration => "site declared in a module without the setting",
    }
}

/// `fix default of variable `mtls` in `modules/web/main.tf:4``.
pub fn cause_action(cause: &RootCause) -> String {
    let verb = match cause.kind {
        Kind::ModuleDeclaration => "set client certificates on",
        _ => "fix",
    };
    format!(
        "{verb} {} in `{}:{}`",
        cause.what,
        crate::paths::path_text(&cause.place.path),
        cause.place.start.line
    )
}

/// `fixes 3 sites in 2 roots (3 fixable)`.
pub fn cause_reach(cause: &RootCause) -> String {
    let fixable = cause.sites.iter().filter(|s| s.fixable).count();
    format!(
        "fixes {} in {} ({fixable} fixable)",
        plural(cause.sites.len(), "site"),
        plural(cause.roots, "root")
    )
}

/// `owner @a`, `owners @a, @b`, or `no owner`.
pub fn owners_text(owners: &[String]) -> String {
    match owners {
        [] => "no owner".to_string(),
        [one] => format!("owner {one}"),
        many => format!("owners {}", many.join(", ")),
    }
}

/// `yes` or `no`.
pub fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

/// The site's place: `path:line`.
pub fn site_place(site: &Site) -> String {
    format!("{}:{}", crate::paths::path_text(&site.path), site.line)
}

/// The one-line total.
pub fn totals_line(rollout: &Rollout) -> String {
    let Totals {
        sites,
        failing,
        warnings,
        fixable,
        in_root_causes,
        suppressed,
    } = rollout.totals;
    let per_batch: Vec<String> = rollout
        .batches
        .iter()
        .map(|b| format!("{}: {}", b.number, b.sites.len()))
        .collect();
    format!(
        "{}, {failing} failing, {}, {fixable} fixable by --fix, {} suppressed; {in_root_causes} in {}; {} ({})",
        plural(sites, "site"),
        plural(warnings, "warning"),
        suppressed,
        plural(rollout.root_causes.len(), "root cause"),
        plural(rollout.batches.len(), "batch"),
        if per_batch.is_empty() {
            "none".to_string()
        } else {
            per_batch.join(", ")
        }
    )
}

/// `1 site`, `2 sites`, `1 batch`, `2 batches`.
pub fn plural(n: usize, word: &str) -> String {
    let suffix = match (n, word.ends_with("ch")) {
        (1, _) => "",
        (_, true) => "es",
        _ => "s",
    };
    format!("{n} {word}{suffix}")
}
