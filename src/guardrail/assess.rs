//! Decides what one policy assignment guards, from what a front end read of it: the site
//! kinds its definition (or initiative) covers, and whether it is active, disabled (effect
//! `Disabled`, enforcement off) or unknown (SPEC "Rollout facts").

use std::collections::BTreeMap;

use super::definitions::{self, BuiltIn};
use crate::model::guardrail::{AssignmentState, PolicyAssignment, Scope};
use crate::source::Span;

/// A value a front end resolved, or why it could not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    Known(String),
    Unknown(String),
}

/// What one assignment names.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A definition or initiative id (a built-in's, or anything else).
    Id(String),
    /// An initiative defined in the same code: its name and members.
    Set { name: String, members: Vec<Member> },
    /// The id did not resolve: the assignment cannot be judged.
    Unresolved,
}

/// One member of an initiative defined in code.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub definition_id: String,
    pub effect: MemberEffect,
}

/// How an initiative in code sets a member's `effect` parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum MemberEffect {
    /// Not passed: the definition's default.
    Default,
    /// A literal value.
    Literal(String),
    /// `[parameters('NAME')]`: the assignment's value, else the initiative's default.
    Parameter {
        name: String,
        default: Option<String>,
    },
    Unknown(String),
}

/// The assignment's `parameters`: each name's `value`, or why they did not resolve.
#[derive(Debug, Clone, PartialEq)]
pub enum Parameters {
    Known(BTreeMap<String, Resolved>),
    Unknown(String),
}

/// Whether the assignment enforces (`enforce`, `enforcementMode`).
#[derive(Debug, Clone, PartialEq)]
pub enum Enforcement {
    On,
    /// Off, with the setting as written for the report.
    Off(String),
    Unknown(String),
}

/// What a front end read of one assignment.
#[derive(Debug, Clone)]
pub struct Written {
    pub address: String,
    pub span: Span,
    pub scope: Scope,
    pub scope_text: String,
    pub target: Target,
    pub parameters: Parameters,
    pub enforcement: Enforcement,
}

/// One covered member's effect, with the words that say where it comes from.
struct Effect {
    kind: &'static str,
    value: Resolved,
    how: String,
}

/// The assignment as the report carries it; `None` when it covers no site kind (another
/// policy) or its definition id did not resolve.
pub fn assess(written: Written) -> Option<PolicyAssignment> {
    let (effects, via) = effects(&written.target, &written.parameters)?;
    let all = definitions::ordered(effects.iter().map(|e| e.kind));
    let (covers, state) = match &written.enforcement {
        Enforcement::Off(why) => (all, AssignmentState::Disabled(why.clone())),
        Enforcement::Unknown(why) => (all, AssignmentState::Unknown(why.clone())),
        Enforcement::On => {
            let active: Vec<&'static str> = effects
                .iter()
                .filter(|e| matches!(&e.value, Resolved::Known(v) if !v.eq_ignore_ascii_case("Disabled")))
                .map(|e| e.kind)
                .collect();
            if !active.is_empty() {
                (definitions::ordered(active), AssignmentState::Active)
            } else if let Some(unknown) = effects.iter().find_map(|e| match &e.value {
                Resolved::Unknown(why) => Some(format!("{}: {why}", e.how)),
                Resolved::Known(_) => None,
            }) {
                (all, AssignmentState::Unknown(unknown))
            } else {
                let how = effects.first().map_or_else(String::new, |e| e.how.clone());
                (
                    all,
                    AssignmentState::Disabled(format!("{how} is `Disabled`")),
                )
            }
        }
    };
    Some(PolicyAssignment {
        address: written.address,
        span: written.span,
        scope: written.scope,
        scope_text: written.scope_text,
        covers,
        via,
        state,
    })
}

/// The covered members' effects and the initiative they go through; `None` when nothing is
/// covered.
fn effects(target: &Target, parameters: &Parameters) -> Option<(Vec<Effect>, Option<String>)> {
    let param = |name: &str| -> Option<Resolved> {
        match parameters {
            Parameters::Known(map) => map
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone()),
            Parameters::Unknown(why) => Some(Resolved::Unknown(why.clone())),
        }
    };
    match target {
        Target::Unresolved => None,
        Target::Id(id) => {
            if let Some(built_in) = definitions::built_in(id)
                && !id.to_ascii_lowercase().contains("policysetdefinitions")
            {
                let (value, how) = match param("effect") {
                    Some(value) => (value, "parameter `effect`".to_string()),
                    None => (
                        default(built_in),
                        format!("the default effect of {}", built_in.guid),
                    ),
                };
                let effect = Effect {
                    kind: built_in.kind,
                    value,
                    how,
                };
                return Some((vec![effect], None));
            }
            let initiative = definitions::initiative(id)?;
            let effects = initiative
                .members
                .iter()
                .filter_map(|(guid, name)| {
                    let built_in = definitions::built_in(guid)?;
                    let by_guid = format!("effect-{guid}");
                    let (value, how) = match param(name).or_else(|| param(&by_guid)) {
                        Some(value) => (value, format!("parameter `{name}`")),
                        None => (
                            Resolved::Known("AuditIfNotExists".into()),
                            format!("the default of parameter `{name}`"),
                        ),
                    };
                    Some(Effect {
                        kind: built_in.kind,
                        value,
                        how,
                    })
                })
                .collect();
            Some((effects, Some(initiative.display_name.to_string())))
        }
        Target::Set { name, members } => {
            let effects: Vec<Effect> = members
                .iter()
                .filter_map(|member| {
                    let built_in = definitions::built_in(&member.definition_id)?;
                    let (value, how) = match &member.effect {
                        MemberEffect::Default => (
                            default(built_in),
                            format!("the default effect of {}", built_in.guid),
                        ),
                        MemberEffect::Literal(v) => (
                            Resolved::Known(v.clone()),
                            format!("the effect `{name}` passes to {}", built_in.guid),
                        ),
                        MemberEffect::Parameter { name: p, default } => {
                            let how = format!("initiative parameter `{p}`");
                            match (param(p), default) {
                                (Some(v), _) => (v, how),
                                (None, Some(d)) => (Resolved::Known(d.clone()), how),
                                (None, None) => (
                                    Resolved::Unknown(
                                        "neither the assignment nor the initiative sets it".into(),
                                    ),
                                    how,
                                ),
                            }
                        }
                        MemberEffect::Unknown(why) => (
                            Resolved::Unknown(why.clone()),
                            format!("the effect `{name}` passes to {}", built_in.guid),
                        ),
                    };
                    Some(Effect {
                        kind: built_in.kind,
                        value,
                        how,
                    })
                })
                .collect();
            (!effects.is_empty()).then(|| (effects, Some(name.clone())))
        }
    }
}

fn default(built_in: &BuiltIn) -> Resolved {
    Resolved::Known(built_in.default_effect.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(
        target: Target,
        parameters: &[(&str, Resolved)],
        enforcement: Enforcement,
    ) -> Written {
        Written {
            address: "a".into(),
            span: Span::new(crate::source::FileId::default(), 0..1),
            scope: Scope::Subscription,
            scope_text: "/subscriptions/x".into(),
            target,
            parameters: Parameters::Known(
                parameters
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect(),
            ),
            enforcement,
        }
    }

    fn id(guid: &str) -> Target {
        Target::Id(format!(
            "/providers/Microsoft.Authorization/policyDefinitions/{guid}"
        ))
    }

    fn known(v: &str) -> Resolved {
        Resolved::Known(v.into())
    }

    #[test]
    fn a_direct_built_in_with_its_default_effect_is_active() {
        let a = assess(written(
            id("19dd1db6-f442-49cf-a838-b0786b4401ef"),
            &[],
            Enforcement::On,
        ))
        .unwrap();
        assert_eq!(
            (a.covers, a.state),
            (vec!["web-app"], AssignmentState::Active)
        );
    }

    #[test]
    fn effect_disabled_or_enforcement_off_is_no_guardrail() {
        let web = "5b0bd968-5cb5-4513-8987-27786c6f0df8";
        let a = assess(written(
            id(web),
            &[("Effect", known("disabled"))],
            Enforcement::On,
        ))
        .unwrap();
        assert_eq!(
            a.state,
            AssignmentState::Disabled("parameter `effect` is `Disabled`".into())
        );
        let off = Enforcement::Off("`enforce = false`".into());
        let a = assess(written(id(web), &[], off)).unwrap();
        assert_eq!(
            a.state,
            AssignmentState::Disabled("`enforce = false`".into())
        );
    }

    #[test]
    fn a_deprecated_built_in_without_an_effect_audits_nothing() {
        let a = assess(written(
            id("5bb220d9-2698-4ee4-8404-b9c30c9df609"),
            &[],
            Enforcement::On,
        ))
        .unwrap();
        assert!(matches!(a.state, AssignmentState::Disabled(_)), "{a:?}");
        let a = assess(written(
            id("5bb220d9-2698-4ee4-8404-b9c30c9df609"),
            &[("effect", known("Audit"))],
            Enforcement::On,
        ))
        .unwrap();
        assert_eq!(a.state, AssignmentState::Active);
    }

    #[test]
    fn an_unresolved_effect_is_unknown_and_other_policies_are_not_ours() {
        let a = assess(written(
            id("ab6a902f-9493-453b-928d-62c30b11b5a6"),
            &[(
                "effect",
                Resolved::Unknown("var.effect has no value".into()),
            )],
            Enforcement::On,
        ))
        .unwrap();
        assert_eq!(
            a.state,
            AssignmentState::Unknown("parameter `effect`: var.effect has no value".into())
        );
        assert!(
            assess(written(
                id("e56962a6-4747-49cd-b67b-bf8b01975c4c"),
                &[],
                Enforcement::On
            ))
            .is_none()
        );
        assert!(assess(written(Target::Unresolved, &[], Enforcement::On)).is_none());
    }

    #[test]
    fn the_benchmark_initiative_covers_web_and_function_apps_through_its_parameters() {
        let set = Target::Id("/providers/Microsoft.Authorization/policySetDefinitions/1f3afdf9-d0c9-4c3d-847f-89da613e70a8".into());
        let a = assess(written(set.clone(), &[], Enforcement::On)).unwrap();
        assert_eq!(a.covers, ["web-app", "function-app"]);
        assert_eq!(a.via.as_deref(), Some("Microsoft cloud security benchmark"));
        let off = [(
            "functionAppsShouldHaveClientCertificatesEnabledMonitoringEffect",
            known("Disabled"),
        )];
        let a = assess(written(set, &off, Enforcement::On)).unwrap();
        assert_eq!(
            (a.covers, a.state),
            (vec!["web-app"], AssignmentState::Active)
        );
    }

    #[test]
    fn an_initiative_in_code_reads_each_members_effect() {
        let members = vec![
            Member {
                definition_id: "/providers/Microsoft.Authorization/policyDefinitions/153ab4ca-2d58-4b5d-9134-6d8c6bdd321c".into(),
                effect: MemberEffect::Parameter { name: "slotEffect".into(), default: Some("AuditIfNotExists".into()) },
            },
            Member { definition_id: "/providers/x/policyDefinitions/custom".into(), effect: MemberEffect::Default },
        ];
        let set = Target::Set {
            name: "mtls".into(),
            members,
        };
        let a = assess(written(set.clone(), &[], Enforcement::On)).unwrap();
        assert_eq!(
            (a.covers, a.state),
            (vec!["function-app-slot"], AssignmentState::Active)
        );
        let a = assess(written(
            set,
            &[("slotEffect", known("Disabled"))],
            Enforcement::On,
        ))
        .unwrap();
        assert_eq!(
            a.state,
            AssignmentState::Disabled("initiative parameter `slotEffect` is `Disabled`".into())
        );
    }
}
