//! What a module declaration passes the file it calls: its `params` object evaluated in the
//! caller, one input per parameter, each traced through the `params` member that sets it (a
//! spread or a computed `params` value is read member by member). When the caller's `params`
//! cannot be resolved, every parameter of the callee is unknown, saying why, rather than left
//! to its default.

use std::collections::HashMap;

use crate::model::{Origin, OriginKind};
use crate::source::Span;
use crate::value::{Traced, Val};

use super::ast::{Expr, ExprKind, ObjectExpr, ObjectMember, StatementKind};
use super::eval::{Env, Step, unknown};
use super::lower::{self, Found};
use super::project::Parsed;
use super::scope::Input;

/// The values a module declaration's `params` gives the called file's parameters, evaluated
/// in the caller, each traced through its `params` member.
pub fn module_inputs(
    env: Env<'_>,
    body: &ObjectExpr,
    module: &str,
    child: &Parsed,
) -> HashMap<String, Input> {
    let mut inputs = HashMap::new();
    let hop = |span: Span, key: &str, literal: Option<Span>| {
        let note = format!("input `{key}` of module `{module}`");
        Origin::new(OriginKind::ModuleArgument, span, note).with_literal(literal)
    };
    let all_unknown = |inputs: &mut HashMap<String, Input>, why: &str| {
        for (_, statement) in child.params() {
            if let StatementKind::Param { name, .. } = &statement.kind {
                inputs.insert(
                    name.name.clone(),
                    Input {
                        traced: unknown(format!(
                            "the `params` of module `{module}` cannot be resolved: {why}"
                        )),
                        from_file: false,
                    },
                );
            }
        }
    };
    let params = match lower::member(env, body, "params") {
        None => return inputs,
        Some(Found::Unknown(_, why)) => {
            all_unknown(&mut inputs, &why);
            return inputs;
        }
        Some(Found::Property(property)) => property,
        Some(Found::Spread(spread, span)) => {
            let whole = env.at(spread, &[Step::name("params")]);
            spread_inputs(
                env,
                spread,
                &[Step::name("params")],
                whole,
                span,
                &mut inputs,
                &hop,
            );
            return inputs;
        }
    };
    let ExprKind::Object(object) = &params.value.kind else {
        let whole = env.eval(&params.value);
        if let Val::Unknown(why) = &whole.val {
            all_unknown(&mut inputs, why);
        } else {
            spread_inputs(
                env,
                &params.value,
                &[],
                whole,
                params.span,
                &mut inputs,
                &hop,
            );
        }
        return inputs;
    };
    for member in &object.members {
        match member {
            ObjectMember::Property(property) => {
                let Some(key) = property.key.text() else {
                    continue;
                };
                let traced = env.eval(&property.value).through(hop(
                    property.span,
                    key,
                    super::access::scalar_span(&property.value),
                ));
                inputs.insert(
                    key.to_string(),
                    Input {
                        traced,
                        from_file: false,
                    },
                );
            }
            ObjectMember::Spread { value, span } => {
                let whole = env.eval(value);
                if let Val::Unknown(why) = &whole.val {
                    all_unknown(&mut inputs, why);
                } else {
                    spread_inputs(env, value, &[], whole, *span, &mut inputs, &hop);
                }
            }
            ObjectMember::Resource(_) => {}
            // A parameter passed in a part that did not parse is unknown, never unset.
            ObjectMember::Broken(broken) => {
                let source = &env.scope.file.source;
                match &broken.key {
                    Some(key) => {
                        let traced = unknown(broken.reason(key, source));
                        let input = Input {
                            traced,
                            from_file: false,
                        };
                        inputs.insert(key.clone(), input);
                    }
                    None => all_unknown(&mut inputs, &broken.reason("a parameter", source)),
                }
            }
        }
    }
    inputs
}

/// Inputs from a computed object (a spread, or `params: someObject`): one per member, each
/// evaluated again through the member for its origin.
fn spread_inputs(
    env: Env<'_>,
    expr: &Expr,
    prefix: &[Step],
    whole: Traced,
    span: Span,
    inputs: &mut HashMap<String, Input>,
    hop: &dyn Fn(Span, &str, Option<Span>) -> Origin,
) {
    let Val::Object(members) = whole.val else {
        return;
    };
    for key in members.keys() {
        let mut steps = prefix.to_vec();
        steps.push(Step::name(key));
        let traced = env.at(expr, &steps).through(hop(span, key, None));
        inputs.insert(
            key.clone(),
            Input {
                traced,
                from_file: false,
            },
        );
    }
}
