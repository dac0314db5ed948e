//! The ARM template functions that build and take apart strings, and how values print.
//!
//! Values print the .NET way the deployment engine uses: integers without a fraction,
//! booleans as `True` / `False`, `null` as nothing, arrays and objects as compact JSON.
//! `startsWith` / `endsWith` compare case-insensitively, as ARM documents them.

use crate::value::Val;

use super::functions::text;

type Outcome = Result<Val, String>;

/// A number as ARM prints it: integers without a fraction.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A value as `string()`, `concat()` and `format()` render it.
pub fn display(value: &Val) -> Result<String, String> {
    Ok(match value {
        Val::String(s) => s.clone(),
        Val::Number(n) => number_text(*n),
        Val::Bool(true) => "True".into(),
        Val::Bool(false) => "False".into(),
        Val::Null => String::new(),
        Val::List(_) | Val::Object(_) => json_text(value),
        Val::Unknown(why) => return Err(why.clone()),
    })
}

/// Compact JSON text of a value (containers in `string()`), unknown parts as `null`.
fn json_text(value: &Val) -> String {
    match value {
        Val::Null | Val::Unknown(_) => "null".into(),
        Val::Bool(b) => b.to_string(),
        Val::Number(n) => number_text(*n),
        Val::String(s) => serde_json::Value::String(s.clone()).to_string(),
        Val::List(items) => format!(
            "[{}]",
            items.iter().map(json_text).collect::<Vec<_>>().join(",")
        ),
        Val::Object(members) => format!(
            "{{{}}}",
            members
                .iter()
                .map(|(k, v)| format!("{}:{}", serde_json::Value::String(k.clone()), json_text(v)))
                .collect::<Vec<_>>()
                .join(",")
        ),
    }
}

/// .NET composite formatting: `{0}`, `{1}`, `{{` and `}}`; format specifiers are not evaluated.
pub fn format(pattern: &Val, args: &[Val]) -> Outcome {
    let Val::String(pattern) = pattern else {
        return Err(format!(
            "`format()` expects a format string, got a {}",
            pattern.type_name()
        ));
    };
    let mut out = String::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let mut hole = String::new();
                for c in chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                    hole.push(c);
                }
                let index: usize = hole.trim().parse().map_err(|_| {
                    format!("`format()` placeholder `{{{hole}}}` is not evaluated by certgate")
                })?;
                let arg = args.get(index).ok_or_else(|| {
                    format!("`format()` placeholder `{{{index}}}` has no argument")
                })?;
                out.push_str(&display(arg)?);
            }
            c => out.push(c),
        }
    }
    Ok(Val::String(out))
}

/// `startsWith` / `endsWith`, case-insensitive as ARM documents them.
pub fn affix(name: &str, s: &Val, affix: &Val) -> Outcome {
    let s = text(name, s)?.to_lowercase();
    let affix = text(name, affix)?.to_lowercase();
    Ok(Val::Bool(if name == "startswith" {
        s.starts_with(&affix)
    } else {
        s.ends_with(&affix)
    }))
}

pub fn split(s: &Val, delimiters: &Val) -> Outcome {
    let s = text("split", s)?;
    let delimiters: Vec<String> = match delimiters {
        Val::String(d) => vec![d.clone()],
        Val::List(items) => items
            .iter()
            .map(|d| text("split", d))
            .collect::<Result<_, _>>()?,
        other => return Err(format!("`split()` by a {}", other.type_name())),
    };
    let mut parts = vec![s];
    for delimiter in delimiters.iter().filter(|d| !d.is_empty()) {
        parts = parts
            .iter()
            .flat_map(|part| part.split(delimiter.as_str()).map(str::to_string))
            .collect();
    }
    Ok(Val::List(parts.into_iter().map(Val::String).collect()))
}

pub fn join(items: &Val, delimiter: &Val) -> Outcome {
    let Val::List(items) = items else {
        return Err(format!("`join()` of a {}", items.type_name()));
    };
    let delimiter = text("join", delimiter)?;
    let parts: Vec<String> = items.iter().map(display).collect::<Result<_, _>>()?;
    Ok(Val::String(parts.join(&delimiter)))
}
