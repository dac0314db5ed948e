//! The ARM template functions whose result depends only on their (known) arguments.
//!
//! The evaluator handles the rest: lazy functions (`if`, `coalesce`, `and`, `or`), scope
//! lookups (`parameters`, `variables`, `copyIndex`) and functions only known at deployment
//! time. Semantics follow the ARM documentation: `equals` and `contains` on strings are
//! case-sensitive (Bicep's `==` compiles to `equals`, its case-insensitive `=~` to `equals` of
//! two `toLower`s), object keys are compared case-insensitively, `bool('TRUE')` is true and any
//! other string false, and `string(true())` is `True` (the engine formats values the .NET way).
//! A type error is an `Err` with the reason; the evaluator turns it into an unknown value.

use std::collections::BTreeMap;

use crate::limits::MAX_ARM_RANGE;
use crate::value::Val;

use super::strings::{affix, display, format, join, split};

/// Functions whose value exists only once Azure deploys the template (shared with Bicep,
/// whose functions compile to these).
pub(crate) const DEPLOYMENT_TIME: &[&str] = &[
    "reference",
    "references",
    "resourceid",
    "subscriptionresourceid",
    "tenantresourceid",
    "managementgroupresourceid",
    "extensionresourceid",
    "resourcegroup",
    "subscription",
    "tenant",
    "managementgroup",
    "deployment",
    "deployer",
    "environment",
    "uniquestring",
    "guid",
    "newguid",
    "utcnow",
    "datetimeadd",
    "pickzones",
    "providers",
    "externalinput",
];

type Outcome = Result<Val, String>;

/// Applies the function `name` (lower case) to `args`, all known; `None` when `name` is not a
/// function of this module.
pub fn apply(name: &str, args: &[Val]) -> Option<Outcome> {
    let arity = |min: usize, max: usize| -> Result<(), String> {
        if args.len() < min || args.len() > max {
            let wanted = match (min, max) {
                (min, max) if min == max => format!("{min}"),
                (min, usize::MAX) => format!("at least {min}"),
                (min, max) => format!("{min} to {max}"),
            };
            Err(format!(
                "`{name}()` takes {wanted} argument{}, got {}",
                if wanted == "1" { "" } else { "s" },
                args.len()
            ))
        } else {
            Ok(())
        }
    };
    let any = usize::MAX;
    let result = match name {
        "true" => arity(0, 0).map(|_| Val::Bool(true)),
        "false" => arity(0, 0).map(|_| Val::Bool(false)),
        "null" => arity(0, 0).map(|_| Val::Null),
        "bool" => arity(1, 1).and_then(|_| to_bool(&args[0])),
        "not" => arity(1, 1).and_then(|_| boolean(name, &args[0]).map(|b| Val::Bool(!b))),
        "equals" => arity(2, 2).map(|_| Val::Bool(args[0] == args[1])),
        "less" | "lessorequals" | "greater" | "greaterorequals" => {
            arity(2, 2).and_then(|_| compare(name, &args[0], &args[1]))
        }
        "tolower" => arity(1, 1)
            .and_then(|_| text(name, &args[0]))
            .map(|s| Val::String(s.to_lowercase())),
        "toupper" => arity(1, 1)
            .and_then(|_| text(name, &args[0]))
            .map(|s| Val::String(s.to_uppercase())),
        "trim" => arity(1, 1)
            .and_then(|_| text(name, &args[0]))
            .map(|s| Val::String(s.trim().to_string())),
        "string" => arity(1, 1).and_then(|_| display(&args[0]).map(Val::String)),
        "int" => arity(1, 1).and_then(|_| to_int(&args[0])),
        "concat" => concat(args),
        "format" => arity(1, any).and_then(|_| format(&args[0], &args[1..])),
        "empty" => arity(1, 1).and_then(|_| empty(&args[0])),
        "length" => arity(1, 1).and_then(|_| length(&args[0])),
        "contains" => arity(2, 2).and_then(|_| contains(&args[0], &args[1])),
        "startswith" | "endswith" => arity(2, 2).and_then(|_| affix(name, &args[0], &args[1])),
        "replace" => arity(3, 3).and_then(|_| {
            let [s, old, new] = [0, 1, 2].map(|i| text(name, &args[i]));
            Ok(Val::String(s?.replace(&old?, &new?)))
        }),
        "split" => arity(2, 2).and_then(|_| split(&args[0], &args[1])),
        "join" => arity(2, 2).and_then(|_| join(&args[0], &args[1])),
        "first" | "last" => arity(1, 1).and_then(|_| first_or_last(name, &args[0])),
        "union" => arity(1, any).and_then(|_| union(args)),
        "createarray" => Ok(Val::List(args.to_vec())),
        "array" => arity(1, 1).map(|_| match &args[0] {
            Val::List(_) => args[0].clone(),
            other => Val::List(vec![other.clone()]),
        }),
        "createobject" => create_object(args),
        "json" => arity(1, 1).and_then(|_| parse_json(&args[0])),
        "range" => arity(2, 2).and_then(|_| range(&args[0], &args[1])),
        _ => return None,
    };
    Some(result)
}

fn boolean(name: &str, value: &Val) -> Result<bool, String> {
    match value {
        Val::Bool(b) => Ok(*b),
        other => Err(format!(
            "`{name}()` expects a boolean, got a {}",
            other.type_name()
        )),
    }
}

pub(super) fn text(name: &str, value: &Val) -> Result<String, String> {
    match value {
        Val::String(s) => Ok(s.clone()),
        other => Err(format!(
            "`{name}()` expects a string, got a {}",
            other.type_name()
        )),
    }
}

fn to_bool(value: &Val) -> Outcome {
    match value {
        Val::Bool(b) => Ok(Val::Bool(*b)),
        Val::String(s) => Ok(Val::Bool(s.eq_ignore_ascii_case("true"))),
        Val::Number(n) => Ok(Val::Bool(*n != 0.0)),
        other => Err(format!(
            "`bool()` cannot convert a {} to a boolean",
            other.type_name()
        )),
    }
}

fn to_int(value: &Val) -> Outcome {
    match value {
        Val::Number(n) => Ok(Val::Number(n.trunc())),
        Val::String(s) => s
            .trim()
            .parse::<i64>()
            .map(|n| Val::Number(n as f64))
            .map_err(|_| format!("`int()` cannot convert \"{s}\" to an integer")),
        other => Err(format!(
            "`int()` cannot convert a {} to an integer",
            other.type_name()
        )),
    }
}

fn compare(name: &str, a: &Val, b: &Val) -> Outcome {
    let ordering = match (a, b) {
        (Val::Number(x), Val::Number(y)) => x.partial_cmp(y),
        (Val::String(x), Val::String(y)) => Some(x.cmp(y)),
        _ => None,
    }
    .ok_or_else(|| {
        format!(
            "`{name}()` compares two integers or two strings, got a {} and a {}",
            a.type_name(),
            b.type_name()
        )
    })?;
    use std::cmp::Ordering::*;
    Ok(Val::Bool(match name {
        "less" => ordering == Less,
        "lessorequals" => ordering != Greater,
        "greater" => ordering == Greater,
        _ => ordering != Less,
    }))
}

fn concat(args: &[Val]) -> Outcome {
    if matches!(args.first(), Some(Val::List(_))) {
        let mut all = Vec::new();
        for arg in args {
            match arg {
                Val::List(items) => all.extend(items.iter().cloned()),
                Val::Null => {}
                other => {
                    return Err(format!("`concat()` of arrays got a {}", other.type_name()));
                }
            }
        }
        return Ok(Val::List(all));
    }
    let mut out = String::new();
    for arg in args {
        out.push_str(&display(arg)?);
    }
    Ok(Val::String(out))
}

fn empty(value: &Val) -> Outcome {
    Ok(Val::Bool(match value {
        Val::Null => true,
        Val::String(s) => s.is_empty(),
        Val::List(items) => items.is_empty(),
        Val::Object(members) => members.is_empty(),
        other => return Err(format!("`empty()` of a {}", other.type_name())),
    }))
}

fn length(value: &Val) -> Outcome {
    let n = match value {
        Val::String(s) => s.chars().count(),
        Val::List(items) => items.len(),
        Val::Object(members) => members.len(),
        other => return Err(format!("`length()` of a {}", other.type_name())),
    };
    Ok(Val::Number(n as f64))
}

fn contains(container: &Val, item: &Val) -> Outcome {
    Ok(Val::Bool(match (container, item) {
        (Val::List(items), item) => items.contains(item),
        (Val::Object(_), Val::String(key)) => container.get_ignore_case(key).is_some(),
        (Val::String(s), item) => s.contains(&display(item)?),
        (other, _) => return Err(format!("`contains()` in a {}", other.type_name())),
    }))
}

fn first_or_last(name: &str, value: &Val) -> Outcome {
    let first = name == "first";
    Ok(match value {
        Val::List(items) => {
            let item = if first { items.first() } else { items.last() };
            item.cloned().unwrap_or(Val::Null)
        }
        Val::String(s) => {
            let c = if first {
                s.chars().next()
            } else {
                s.chars().next_back()
            };
            Val::String(c.map(String::from).unwrap_or_default())
        }
        other => return Err(format!("`{name}()` of a {}", other.type_name())),
    })
}

/// `union`: objects merge (later keys win, nested objects merge recursively, keys compared
/// case-insensitively); arrays join without duplicates.
fn union(args: &[Val]) -> Outcome {
    let mut result = args[0].clone();
    for arg in &args[1..] {
        result = merge(result, arg)?;
    }
    Ok(result)
}

fn merge(into: Val, other: &Val) -> Outcome {
    match (into, other) {
        (Val::Object(mut members), Val::Object(more)) => {
            for (key, value) in more {
                let existing = members
                    .keys()
                    .find(|k| k.eq_ignore_ascii_case(key))
                    .cloned();
                let merged = match existing.and_then(|k| members.remove(&k)) {
                    Some(old @ Val::Object(_)) if matches!(value, Val::Object(_)) => {
                        merge(old, value)?
                    }
                    // An unknown object merged with a known one still has unknown keys.
                    Some(old @ Val::Unknown(_)) if matches!(value, Val::Object(_)) => old,
                    _ => value.clone(),
                };
                members.insert(key.clone(), merged);
            }
            Ok(Val::Object(members))
        }
        (Val::List(mut items), Val::List(more)) => {
            for item in more {
                if !items.contains(item) {
                    items.push(item.clone());
                }
            }
            // The first array's own duplicates go too.
            let mut unique: Vec<Val> = Vec::new();
            for item in items {
                if !unique.contains(&item) {
                    unique.push(item);
                }
            }
            Ok(Val::List(unique))
        }
        (into, other) => Err(format!(
            "`union()` of a {} and a {}",
            into.type_name(),
            other.type_name()
        )),
    }
}

fn create_object(args: &[Val]) -> Outcome {
    if !args.len().is_multiple_of(2) {
        return Err("`createObject()` takes key and value pairs".into());
    }
    let mut members = BTreeMap::new();
    for pair in args.chunks(2) {
        let key = text("createObject", &pair[0])?;
        members.insert(key, pair[1].clone());
    }
    Ok(Val::Object(members))
}

fn parse_json(value: &Val) -> Outcome {
    let text = text("json", value)?;
    crate::json::parse(&text)
        .map(|doc| Val::from_json(&doc.root))
        .map_err(|error| format!("`json()` argument is not valid JSON: {}", error.message))
}

fn range(start: &Val, count: &Val) -> Outcome {
    match (start, count) {
        (Val::Number(start), Val::Number(count))
            if (0.0..=f64::from(MAX_ARM_RANGE)).contains(count) =>
        {
            Ok(Val::List(
                (0..*count as i64)
                    .map(|i| Val::Number(start + i as f64))
                    .collect(),
            ))
        }
        _ => Err(format!(
            "`range()` takes a start and a count of at most {MAX_ARM_RANGE}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Val {
        Val::String(text.into())
    }

    fn n(value: f64) -> Val {
        Val::Number(value)
    }

    fn call(name: &str, args: &[Val]) -> Outcome {
        apply(name, args).expect("a known function")
    }

    #[test]
    fn booleans_and_comparisons() {
        assert_eq!(call("bool", &[s("TRUE")]), Ok(Val::Bool(true)));
        assert_eq!(call("bool", &[s("yes")]), Ok(Val::Bool(false)));
        assert_eq!(call("bool", &[n(0.0)]), Ok(Val::Bool(false)));
        assert_eq!(call("not", &[Val::Bool(false)]), Ok(Val::Bool(true)));
        assert_eq!(
            call("not", &[s("false")]),
            Err("`not()` expects a boolean, got a string".into())
        );
        assert_eq!(
            call("equals", &[s("Required"), s("required")]),
            Ok(Val::Bool(false))
        );
        assert_eq!(call("equals", &[n(1.0), n(1.0)]), Ok(Val::Bool(true)));
        assert_eq!(call("less", &[n(1.0), n(2.0)]), Ok(Val::Bool(true)));
        assert_eq!(
            call("greaterorequals", &[s("a"), s("b")]),
            Ok(Val::Bool(false))
        );
        assert_eq!(
            call("equals", &[n(1.0)]),
            Err("`equals()` takes 2 arguments, got 1".into())
        );
    }

    #[test]
    fn strings() {
        assert_eq!(
            call("concat", &[s("web-"), n(1.0), Val::Bool(true)]),
            Ok(s("web-1True"))
        );
        assert_eq!(
            call("format", &[s("{0}-{1} {{x}}"), s("a"), n(2.0)]),
            Ok(s("a-2 {x}"))
        );
        assert!(call("format", &[s("{0:N2}"), n(2.0)]).is_err());
        assert!(call("format", &[s("{3}"), n(2.0)]).is_err());
        assert_eq!(call("tolower", &[s("ReQuired")]), Ok(s("required")));
        assert_eq!(call("string", &[Val::Bool(false)]), Ok(s("False")));
        assert_eq!(
            call("string", &[call("json", &[s(r#"{"a":[1,"x"]}"#)]).unwrap()]),
            Ok(s(r#"{"a":[1,"x"]}"#))
        );
        assert_eq!(
            call("split", &[s("/a;/b,/c"), Val::List(vec![s(";"), s(",")])]),
            Ok(Val::List(vec![s("/a"), s("/b"), s("/c")]))
        );
        assert_eq!(
            call("startswith", &[s("Prod-1"), s("prod")]),
            Ok(Val::Bool(true))
        );
        assert_eq!(call("replace", &[s("a-b"), s("-"), s("_")]), Ok(s("a_b")));
    }

    #[test]
    fn collections() {
        let list = call("createarray", &[s("a"), s("b")]).unwrap();
        assert_eq!(call("length", std::slice::from_ref(&list)), Ok(n(2.0)));
        assert_eq!(
            call("contains", &[list.clone(), s("b")]),
            Ok(Val::Bool(true))
        );
        assert_eq!(call("empty", &[Val::Null]), Ok(Val::Bool(true)));
        assert_eq!(call("first", std::slice::from_ref(&list)), Ok(s("a")));
        let object = call("createobject", &[s("Mode"), s("Optional")]).unwrap();
        assert_eq!(
            call("contains", &[object.clone(), s("mode")]),
            Ok(Val::Bool(true))
        );
        let merged = call(
            "union",
            &[
                call("json", &[s(r#"{"a": {"x": 1, "y": 2}, "b": 1}"#)]).unwrap(),
                call("json", &[s(r#"{"A": {"y": 3}}"#)]).unwrap(),
            ],
        )
        .unwrap();
        assert_eq!(
            merged,
            call("json", &[s(r#"{"A": {"x": 1, "y": 3}, "b": 1}"#)]).unwrap()
        );
        assert_eq!(
            call("union", &[list.clone(), Val::List(vec![s("b"), s("c")])]),
            Ok(Val::List(vec![s("a"), s("b"), s("c")]))
        );
        assert_eq!(
            call("concat", &[list, Val::List(vec![s("c")])]),
            Ok(Val::List(vec![s("a"), s("b"), s("c")]))
        );
        assert!(call("json", &[s("{")]).is_err());
        assert!(call("range", &[n(0.0), n(1e9)]).is_err());
        assert!(apply("reference", &[]).is_none());
    }
}
