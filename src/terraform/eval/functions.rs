//! The Terraform functions that decide booleans and mode strings in practice (`tobool`,
//! `lower`, `coalesce`, `try`, `lookup`, …) plus cheap collection helpers. Any other function
//! makes the value unknown, naming the function: certgate never guesses a result.

use std::collections::BTreeMap;

use hcl_edit::expr::FuncCall;

use super::{Env, EvalError, Outcome, error, eval, first_unknown, merge_origins};
use crate::terraform::convert::{TypeConstraint, convert};
use crate::value::{Traced, Val};

pub fn call(call: &FuncCall, env: &Env) -> Outcome {
    let name = call.name.name.as_str();
    if call.name.is_namespaced() {
        let namespace: Vec<&str> = call.name.namespace.iter().map(|n| n.as_str()).collect();
        return unknown(format!(
            "certgate does not evaluate the provider function `{}::{name}`",
            namespace.join("::")
        ));
    }
    // `try` and `can` look at their arguments' errors, so they evaluate them themselves.
    match name {
        "try" => return try_(call, env),
        "can" => return can(call, env),
        _ => {}
    }
    if env.scope.owns_function(name) {
        let args = call.args.iter().map(|arg| eval(arg, env));
        return env
            .scope
            .function(name, &args.collect::<Result<Vec<_>, _>>()?);
    }
    if !KNOWN.contains(&name) {
        return unknown(format!("certgate does not evaluate the function `{name}`"));
    }
    let mut args = Vec::with_capacity(call.args.len());
    for arg in call.args.iter() {
        args.push(eval(arg, env)?);
    }
    // `f(list...)` spreads the last argument.
    if call.args.expand_final()
        && let Some(last) = args.pop()
    {
        match last.val {
            Val::List(items) => args.extend(items.into_iter().map(|val| Traced {
                val,
                origin: last.origin.clone(),
            })),
            Val::Unknown(reason) => return unknown(reason),
            other => {
                let kind = other.type_name();
                return error(format!("cannot expand a {kind} into arguments"));
            }
        }
    }
    let mut origin = Vec::new();
    let selected = apply(name, &args).map_err(|e| EvalError(format!("`{name}`: {}", e.0)))?;
    let val = match selected {
        Result::Ok(Chosen::Arg(i)) => {
            merge_origins(&mut origin, &args[i].origin);
            args[i].val.clone()
        }
        Result::Ok(Chosen::Computed(val)) => {
            for arg in &args {
                merge_origins(&mut origin, &arg.origin);
            }
            // A computed value is paid for by its size (and refused when too large).
            match env.scope.budget().take(&val) {
                Ok(()) => val,
                Err(reason) => Val::Unknown(reason),
            }
        }
        Result::Err(reason) => Val::Unknown(reason),
    };
    Ok(Traced { val, origin })
}

fn unknown(reason: impl Into<String>) -> Outcome {
    Ok(Traced::here(Val::Unknown(reason.into())))
}

/// The functions [`apply`] evaluates.
const KNOWN: &[&str] = &[
    "tobool",
    "tostring",
    "tonumber",
    "tolist",
    "toset",
    "tomap",
    "lower",
    "upper",
    "trimspace",
    "coalesce",
    "contains",
    "lookup",
    "length",
    "merge",
    "keys",
    "values",
    "concat",
    "join",
    "split",
    "startswith",
    "endswith",
    "anytrue",
    "alltrue",
    "one",
    "compact",
    "distinct",
    "element",
    "nonsensitive",
    "sensitive",
    "jsonencode",
    "jsondecode",
];

/// Functions whose result is known when their arguments are, whatever unknowns those hold
/// inside: they copy members and elements as they are (or count them).
const STRUCTURAL: &[&str] = &[
    "merge", "concat", "keys", "values", "length", "one", "element",
];

/// A function's result: one of its arguments as it is (keeping that argument's origin), or a
/// new value.
enum Chosen {
    Arg(usize),
    Computed(Val),
}

/// `Ok(Err(reason))` is an unknown result.
type Applied = Result<Result<Chosen, String>, EvalError>;

fn apply(name: &str, args: &[Traced]) -> Applied {
    let vals: Vec<&Val> = args.iter().map(|arg| &arg.val).collect();
    // Selectors decide with some arguments unknown; every other function needs them all.
    match name {
        "coalesce" => return coalesce(&vals),
        "lookup" => return lookup(&vals),
        "nonsensitive" | "sensitive" => return arity(&vals, 1).map(|_| Ok(Chosen::Arg(0))),
        _ => {}
    }
    // Functions that move members and elements without looking inside them keep a nested
    // unknown where it is (`merge(local.base, { plan = azurerm_service_plan.p.id })` still
    // knows `base`'s members); only an unknown argument itself makes them unknown.
    let poisoned = if STRUCTURAL.contains(&name) {
        vals.iter().find_map(|v| match v {
            Val::Unknown(reason) => Some(reason.as_str()),
            _ => None,
        })
    } else {
        vals.iter().find_map(|v| first_unknown(v))
    };
    if let Some(reason) = poisoned {
        return Ok(Err(reason.to_string()));
    }
    let computed = |val| Ok(Ok(Chosen::Computed(val)));
    let converted = |ty: TypeConstraint| -> Applied {
        arity(&vals, 1)?;
        convert(vals[0].clone(), &ty)
            .map(|v| Ok(Chosen::Computed(v)))
            .map_err(EvalError)
    };
    match name {
        "tobool" => converted(TypeConstraint::Bool),
        "tostring" => converted(TypeConstraint::String),
        "tonumber" => converted(TypeConstraint::Number),
        "tolist" => converted(TypeConstraint::List(Box::new(TypeConstraint::Any))),
        "toset" => converted(TypeConstraint::Set(Box::new(TypeConstraint::Any))),
        "tomap" => converted(TypeConstraint::Map(Box::new(TypeConstraint::Any))),
        "lower" | "upper" | "trimspace" => {
            arity(&vals, 1)?;
            let text = string(vals[0])?;
            computed(Val::String(match name {
                "lower" => text.to_lowercase(),
                "upper" => text.to_uppercase(),
                _ => text.trim().to_string(),
            }))
        }
        "contains" => {
            arity(&vals, 2)?;
            computed(Val::Bool(list(vals[0])?.contains(vals[1])))
        }
        "length" => {
            arity(&vals, 1)?;
            let n = match vals[0] {
                Val::List(items) => items.len(),
                Val::Object(members) => members.len(),
                Val::String(text) => text.chars().count(),
                other => return error(format!("a {} has no length", other.type_name())),
            };
            computed(Val::Number(n as f64))
        }
        "merge" => {
            let mut out = BTreeMap::new();
            for val in &vals {
                match val {
                    Val::Object(members) => out.extend(members.clone()),
                    Val::Null => {}
                    other => return error(format!("cannot merge a {}", other.type_name())),
                }
            }
            computed(Val::Object(out))
        }
        "keys" | "values" => {
            arity(&vals, 1)?;
            let Val::Object(members) = vals[0] else {
                return error(format!(
                    "needs a map or object, not a {}",
                    vals[0].type_name()
                ));
            };
            computed(Val::List(match name {
                "keys" => members.keys().map(|k| Val::String(k.clone())).collect(),
                _ => members.values().cloned().collect(),
            }))
        }
        "concat" => {
            let mut out = Vec::new();
            for val in &vals {
                out.extend(list(val)?.iter().cloned());
            }
            computed(Val::List(out))
        }
        "join" => {
            arity(&vals, 2)?;
            let separator = string(vals[0])?;
            let parts = list(vals[1])?
                .iter()
                .map(string)
                .collect::<Result<Vec<_>, _>>()?;
            computed(Val::String(parts.join(&separator)))
        }
        "split" => {
            arity(&vals, 2)?;
            let (separator, text) = (string(vals[0])?, string(vals[1])?);
            let parts = if text.is_empty() {
                vec![Val::String(String::new())]
            } else {
                text.split(separator.as_str())
                    .map(|p| Val::String(p.into()))
                    .collect()
            };
            computed(Val::List(parts))
        }
        "startswith" | "endswith" => {
            arity(&vals, 2)?;
            let (text, affix) = (string(vals[0])?, string(vals[1])?);
            computed(Val::Bool(if name == "startswith" {
                text.starts_with(&affix)
            } else {
                text.ends_with(&affix)
            }))
        }
        "anytrue" | "alltrue" => {
            arity(&vals, 1)?;
            let mut bools = Vec::new();
            for item in list(vals[0])? {
                match convert(item.clone(), &TypeConstraint::Bool).map_err(EvalError)? {
                    Val::Bool(b) => bools.push(b),
                    _ => return error("the list holds a null"),
                }
            }
            let any = name == "anytrue";
            computed(Val::Bool(if any {
                bools.contains(&true)
            } else {
                !bools.contains(&false)
            }))
        }
        "one" => {
            arity(&vals, 1)?;
            match list(vals[0])? {
                [] => computed(Val::Null),
                [only] => computed(only.clone()),
                items => error(format!(
                    "needs at most one element, the list has {}",
                    items.len()
                )),
            }
        }
        "compact" => {
            arity(&vals, 1)?;
            let kept = list(vals[0])?
                .iter()
                .filter(|v| !matches!(v, Val::Null) && **v != Val::String(String::new()))
                .cloned()
                .collect();
            computed(Val::List(kept))
        }
        "distinct" => {
            arity(&vals, 1)?;
            let mut out: Vec<Val> = Vec::new();
            for item in list(vals[0])? {
                if !out.contains(item) {
                    out.push(item.clone());
                }
            }
            computed(Val::List(out))
        }
        "element" => {
            arity(&vals, 2)?;
            let items = list(vals[0])?;
            let index = convert(vals[1].clone(), &TypeConstraint::Number).map_err(EvalError)?;
            match (items.len(), index) {
                (0, _) => error("cannot take an element of an empty list"),
                (len, Val::Number(n)) if n >= 0.0 && n.fract() == 0.0 => {
                    computed(items[(n as usize) % len].clone())
                }
                _ => error("the index must be a whole number of at least 0"),
            }
        }
        "jsonencode" => {
            arity(&vals, 1)?;
            let mut out = String::new();
            json_encode(vals[0], &mut out);
            computed(Val::String(out))
        }
        "jsondecode" => {
            arity(&vals, 1)?;
            let text = string(vals[0])?;
            match crate::json::parse(&text) {
                Ok(document) => computed(Val::from_json(&document.root)),
                Err(e) => error(format!("invalid JSON: {}", e.message)),
            }
        }
        // Listed in KNOWN but not handled above: a bug here, reported rather than panicking.
        _ => Ok(Err(format!(
            "certgate does not evaluate the function `{name}`"
        ))),
    }
}

/// Terraform's `jsonencode`: keys in lexical order (as its objects iterate), no spaces, and
/// `<`, `>`, `&`, U+2028 and U+2029 escaped as `\u003c`-style sequences (its documentation).
/// Only called on values without unknowns.
fn json_encode(val: &Val, out: &mut String) {
    match val {
        Val::Null | Val::Unknown(_) => out.push_str("null"),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Number(n) => out.push_str(&crate::terraform::convert::format_number(*n)),
        Val::String(text) => json_quoted(text, out),
        Val::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_encode(item, out);
            }
            out.push(']');
        }
        Val::Object(members) => {
            out.push('{');
            for (i, (key, value)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_quoted(key, out);
                out.push(':');
                json_encode(value, out);
            }
            out.push('}');
        }
    }
}

fn json_quoted(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn arity(vals: &[&Val], n: usize) -> Result<(), EvalError> {
    if vals.len() == n {
        Ok(())
    } else {
        error(format!("takes {n} argument(s), {} given", vals.len()))
    }
}

fn string(val: &Val) -> Result<String, EvalError> {
    match convert(val.clone(), &TypeConstraint::String).map_err(EvalError)? {
        Val::String(text) => Ok(text),
        _ => error("a string argument is null"),
    }
}

fn list(val: &Val) -> Result<&[Val], EvalError> {
    match val {
        Val::List(items) => Ok(items),
        other => error(format!("needs a list, not a {}", other.type_name())),
    }
}

/// The first argument that is neither null nor an empty string; unknown when an unknown comes
/// before it.
fn coalesce(vals: &[&Val]) -> Applied {
    for (i, val) in vals.iter().enumerate() {
        match val {
            Val::Unknown(reason) => return Ok(Err(reason.clone())),
            Val::Null => {}
            Val::String(text) if text.is_empty() => {}
            _ => return Ok(Ok(Chosen::Arg(i))),
        }
    }
    error("no argument is non-null and non-empty")
}

/// `lookup(map, key)` and `lookup(map, key, default)`.
fn lookup(vals: &[&Val]) -> Applied {
    if !(2..=3).contains(&vals.len()) {
        return error(format!("takes 2 or 3 arguments, {} given", vals.len()));
    }
    for val in &vals[..2] {
        if let Val::Unknown(reason) = val {
            return Ok(Err(reason.clone()));
        }
    }
    let key = string(vals[1])?;
    match vals[0] {
        // The map's origin explains a default as much as a found value, so both keep it.
        Val::Object(members) => match members.get(&key) {
            Some(found) => Ok(Ok(Chosen::Computed(found.clone()))),
            None if vals.len() == 3 => Ok(Ok(Chosen::Computed(vals[2].clone()))),
            None => error(format!(
                "there is no element with key \"{key}\" and no default"
            )),
        },
        other => error(format!("needs a map, not a {}", other.type_name())),
    }
}

/// `try(a, b, …)`: the first argument that evaluates without an error. An unknown argument
/// makes the result unknown: Terraform cannot tell yet whether it will fail.
fn try_(call: &FuncCall, env: &Env) -> Outcome {
    let mut failures = Vec::new();
    for arg in call.args.iter() {
        match eval(arg, env) {
            Ok(value) => return Ok(value),
            Err(e) => failures.push(e.0),
        }
    }
    error(format!(
        "`try`: no argument succeeded ({})",
        if failures.is_empty() {
            "it has none".to_string()
        } else {
            failures.join("; ")
        }
    ))
}

/// `can(expr)`: whether `expr` evaluates without an error; unknown while its value is.
fn can(call: &FuncCall, env: &Env) -> Outcome {
    let (Some(arg), 1) = (call.args.get(0), call.args.len()) else {
        return error("`can` takes exactly one argument");
    };
    match eval(arg, env) {
        Ok(value) => Ok(match first_unknown(&value.val) {
            Some(reason) => Traced {
                val: Val::unknown(reason),
                origin: value.origin,
            },
            None => Traced {
                val: Val::Bool(true),
                origin: value.origin,
            },
        }),
        Err(_) => Ok(Traced::here(Val::Bool(false))),
    }
}
