//! Reads one property out of an object expression without evaluating the rest of the object.
//!
//! `union(variables('base'), createObject('clientCertEnabled', true(), 'serverFarmId',
//! resourceId(…)))` is a site's `properties` written the way ARM authors merge settings: the
//! object has an unknown member (`serverFarmId` is known only at deployment), yet whether
//! client certificates are required does not depend on it. [`property`] follows `union`
//! arguments last first (a later argument's key wins, even over an earlier argument that is
//! wholly unknown) and `createObject` pairs (only the matching value is evaluated), and
//! evaluates anything else, reading the key from its value.

use crate::value::{Traced, Val};

use super::eval::Env;
use super::expr::{Accessor, Call, Expr};

/// What [`property`] found.
#[derive(Debug, Clone, PartialEq)]
pub enum Selected {
    /// The property is set; its value with its origin.
    Found(Traced),
    /// The object is known not to have the property.
    Absent,
    /// Whether or what the object sets cannot be known; the reason.
    Unknown(String),
}

/// The property `name` (ASCII case-insensitive, as ARM compares keys) of the object `expr`.
pub fn property(env: Env<'_>, expr: &Expr, name: &str) -> Selected {
    match expr {
        Expr::Call(call) if call.accessors.is_empty() => {
            match call.name.to_ascii_lowercase().as_str() {
                "union" if !call.args.is_empty() => union(env, call, name),
                "createobject" if call.args.len() % 2 == 0 => create_object(env, call, name),
                "if" if call.args.len() == 3 => if_(env, call, name),
                _ => evaluated(env, call, name),
            }
        }
        Expr::Call(call) => evaluated(env, call, name),
        Expr::String(_) | Expr::Int(_) => Selected::Unknown(format!(
            "a {} is not an object, so `{name}` cannot be read",
            if matches!(expr, Expr::Int(_)) {
                "number"
            } else {
                "string"
            }
        )),
    }
}

/// `union(a, b, …)`: the last argument that has the key decides; an unknown argument after
/// every argument without it makes the key unknown.
fn union(env: Env<'_>, call: &Call, name: &str) -> Selected {
    for arg in call.args.iter().rev() {
        match property(env, arg, name) {
            Selected::Absent => continue,
            // A nested object merges deeply in `union`; certificate settings are scalars, and a
            // later object value replaces an earlier scalar, so the last one is the answer.
            decided => return decided,
        }
    }
    Selected::Absent
}

/// `if(condition, a, b)`: the chosen branch; with an unknown condition, both branches when they
/// agree (both without the key, or both giving the same value), else the condition's reason.
fn if_(env: Env<'_>, call: &Call, name: &str) -> Selected {
    let condition = env.expr(&call.args[0]);
    match condition.val {
        Val::Bool(true) => property(env, &call.args[1], name),
        Val::Bool(false) => property(env, &call.args[2], name),
        Val::Unknown(why) => {
            let (a, b) = (
                property(env, &call.args[1], name),
                property(env, &call.args[2], name),
            );
            match (&a, &b) {
                (Selected::Absent, Selected::Absent) => a,
                (Selected::Found(x), Selected::Found(y))
                    if x.val == y.val && !x.val.is_unknown() =>
                {
                    a
                }
                _ => Selected::Unknown(why),
            }
        }
        other => Selected::Unknown(format!(
            "`if()` needs a boolean condition, got a {}",
            other.type_name()
        )),
    }
}

/// `createObject('k1', v1, 'k2', v2, …)`: only the value whose key matches is evaluated.
fn create_object(env: Env<'_>, call: &Call, name: &str) -> Selected {
    let mut found = None;
    for pair in call.args.chunks(2) {
        let key = env.expr(&pair[0]);
        match key.val {
            // Later pairs with the same key win, as when the object is built.
            Val::String(key) if key.eq_ignore_ascii_case(name) => found = Some(&pair[1]),
            Val::String(_) => {}
            Val::Unknown(why) => return Selected::Unknown(why),
            other => {
                return Selected::Unknown(format!(
                    "`createObject()` keys must be strings, got a {}",
                    other.type_name()
                ));
            }
        }
    }
    match found {
        Some(value) => Selected::Found(env.expr(value)),
        None => Selected::Absent,
    }
}

/// Any other expression: evaluated whole, then the key read; the value is evaluated again with
/// the key appended, so `variables('base')` gives the exact member as the origin.
fn evaluated(env: Env<'_>, call: &Call, name: &str) -> Selected {
    let whole = env.expr(&Expr::Call(call.clone()));
    match &whole.val {
        Val::Object(_) => match whole.val.get_ignore_case(name) {
            None => Selected::Absent,
            Some(_) => {
                let mut call = call.clone();
                call.accessors.push(Accessor::Property(name.to_string()));
                Selected::Found(env.expr(&Expr::Call(call)))
            }
        },
        Val::Unknown(why) => Selected::Unknown(why.clone()),
        Val::Null => Selected::Absent,
        other => Selected::Unknown(format!(
            "`{}()` gives a {}, not an object, so `{name}` cannot be read",
            call.name,
            other.type_name()
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::budget::Budget;

    const TEMPLATE: &str = r#"{ "parameters": { "base": { "type": "object" } },
        "variables": { "base": { "clientCertMode": "Optional", "httpsOnly": true } } }"#;

    fn select(text: &str, name: &str) -> Selected {
        let template = crate::json::parse(TEMPLATE).unwrap();
        let budget = Budget::default();
        let scope = super::super::scope::Scope::new(
            &template.root,
            0,
            HashMap::new(),
            "unset".into(),
            &budget,
        );
        let expr = super::super::expr::parse(text).unwrap();
        property(Env::new(&scope, &[]), &expr, name)
    }

    fn found(selected: Selected) -> Val {
        match selected {
            Selected::Found(traced) => traced.val,
            other => panic!("expected a value, got {other:?}"),
        }
    }

    #[test]
    fn union_reads_the_last_argument_with_the_key_despite_unknown_members() {
        let text = "[union(variables('base'), createObject('clientCertEnabled', true(), \
                    'serverFarmId', resourceId('Microsoft.Web/serverfarms', 'plan')))]";
        assert_eq!(found(select(text, "ClientCertEnabled")), Val::Bool(true));
        assert_eq!(
            found(select(text, "clientCertMode")),
            Val::String("Optional".into())
        );
        assert_eq!(select(text, "clientCertExclusionPaths"), Selected::Absent);
    }

    #[test]
    fn the_origin_is_the_argument_that_decided() {
        let text = "[union(variables('base'), createObject('clientCertEnabled', true()))]";
        let Selected::Found(mode) = select(text, "clientCertMode") else {
            panic!("mode is set by the variable");
        };
        assert_eq!(mode.origin[0].note, "`clientCertMode` in variable `base`");
        let Selected::Found(enabled) = select(text, "clientCertEnabled") else {
            panic!("enabled is set by createObject");
        };
        assert!(enabled.origin.is_empty());
    }

    #[test]
    fn an_unknown_earlier_argument_only_matters_for_keys_no_later_argument_sets() {
        let text = "[union(parameters('base'), createObject('clientCertMode', 'Required'))]";
        assert_eq!(
            found(select(text, "clientCertMode")),
            Val::String("Required".into())
        );
        assert!(matches!(
            select(text, "clientCertEnabled"),
            Selected::Unknown(why) if why.contains("`base`")
        ));
    }

    #[test]
    fn conditional_arguments_decide_when_the_branches_agree_or_the_condition_is_known() {
        let text = "[union(variables('base'), if(equals(reference('x').tier, 'Free'), \
                    createObject('appSettings', reference('x').settings), createObject()))]";
        assert_eq!(
            found(select(text, "clientCertMode")),
            Val::String("Optional".into())
        );
        let text = "[if(reference('x').on, createObject('clientCertMode', 'Required'), \
                    createObject())]";
        assert!(matches!(
            select(text, "clientCertMode"),
            Selected::Unknown(why) if why.contains("reference")
        ));
        let text = "[if(true(), createObject('clientCertMode', 'Required'), reference('x'))]";
        assert_eq!(
            found(select(text, "clientCertMode")),
            Val::String("Required".into())
        );
    }

    #[test]
    fn non_objects_and_unknown_keys_are_unknown_with_the_reason() {
        assert!(matches!(
            select("[createObject(reference('x').k, true())]", "clientCertEnabled"),
            Selected::Unknown(why) if why.contains("reference")
        ));
        assert!(matches!(
            select("[concat('a', 'b')]", "clientCertEnabled"),
            Selected::Unknown(why) if why.contains("string")
        ));
        assert_eq!(select("[null()]", "clientCertEnabled"), Selected::Absent);
        // Only the matching value is evaluated: an invalid sibling never matters.
        assert_eq!(
            found(select(
                "[createObject('a', int('x'), 'clientCertMode', 'Required')]",
                "clientCertMode"
            )),
            Val::String("Required".into())
        );
    }
}
