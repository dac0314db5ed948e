//! Copy loops and names: the instances a resource declaration has and the address each gets.
//!
//! A resource's address part is its symbolic name (`languageVersion` 2.0) or its `name`
//! evaluated: as declared with every copy index unknown (falling back to the text as written),
//! and per instance with the indices (falling back to `DECLARED[i]`).

use crate::json::{Json, JsonKind};
use crate::value::Val;

use super::eval::{Env, Loop};
use super::expr::literal_text;
use crate::limits::MAX_COPY;

/// One part of an address: as declared, and for the instance being walked.
#[derive(Debug, Clone)]
pub struct Part {
    pub declared: String,
    pub instance: String,
    /// Whether the instance is one of a copy loop's.
    pub looped: bool,
}

/// The copy loop instances of a resource: `[None]` without `copy`, one per index, none for a
/// count of 0, or one with an unknown index when the count does not resolve.
pub fn instances(object: &Json, env: Env<'_>) -> Vec<Option<Loop>> {
    let Some(copy) = object.get_ignore_case("copy").filter(|c| c.is_object()) else {
        return vec![None];
    };
    let name = copy
        .get_ignore_case("name")
        .and_then(Json::as_str)
        .unwrap_or("copy")
        .to_string();
    let count = copy
        .get_ignore_case("count")
        .map_or(Val::unknown("it has no count"), |c| env.json(c).val);
    let index = match count {
        Val::Number(n) if n.fract() == 0.0 && (0.0..=MAX_COPY as f64).contains(&n) => {
            return (0..n as i64)
                .map(|i| {
                    Some(Loop {
                        name: name.clone(),
                        index: Ok(i),
                    })
                })
                .collect();
        }
        Val::Number(n) => Err(format!(
            "the copy count of loop `{name}` is {n}, not a count ARM accepts (0 to {MAX_COPY})"
        )),
        Val::Unknown(why) => Err(format!(
            "the copy count of loop `{name}` cannot be resolved: {why}"
        )),
        other => Err(format!(
            "the copy count of loop `{name}` is a {}, not a number",
            other.type_name()
        )),
    };
    vec![Some(Loop { name, index })]
}

/// One entry of a `resources` value: an array item (with its index for unnamed resources) or
/// a symbolic-name object member.
#[derive(Clone, Copy)]
pub struct Entry<'a> {
    pub object: &'a Json,
    pub symbolic: Option<&'a str>,
    pub index: usize,
}

pub fn entries(resources: &Json) -> Vec<Entry<'_>> {
    match &resources.kind {
        JsonKind::Array(items) => items
            .iter()
            .enumerate()
            .map(|(index, object)| Entry {
                object,
                symbolic: None,
                index,
            })
            .collect(),
        JsonKind::Object(members) => members
            .iter()
            .enumerate()
            .map(|(index, m)| Entry {
                object: &m.value,
                symbolic: Some(&m.key),
                index,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The address part of one resource instance: its symbolic name, or its `name` evaluated (as
/// declared: with every copy index unknown, falling back to the text as written, which
/// `as_written` forces; for the instance: with the indices, falling back to `DECLARED[i]`).
pub fn part(entry: &Entry<'_>, env: Env<'_>, own_index: Option<i64>, as_written: bool) -> Part {
    let numbered = |declared: &str| match own_index {
        Some(i) => format!("{declared}[{i}]"),
        None => declared.to_string(),
    };
    let looped = own_index.is_some();
    if let Some(symbolic) = entry.symbolic {
        return Part {
            declared: symbolic.to_string(),
            instance: numbered(symbolic),
            looped,
        };
    }
    let Some(name) = entry
        .object
        .get_ignore_case("name")
        .filter(|n| n.as_str().is_some())
    else {
        let declared = format!("resources[{}]", entry.index);
        return Part {
            instance: numbered(&declared),
            declared,
            looped,
        };
    };
    let blind: Vec<Loop> = env
        .loops
        .iter()
        .map(|l| Loop {
            name: l.name.clone(),
            index: Err("per instance".into()),
        })
        .collect();
    let declared = match Env::new(env.scope, &blind).json(name).val {
        Val::String(resolved) if !as_written => resolved,
        _ => {
            let text = written(name);
            literal_text(&text).unwrap_or(&text).to_string()
        }
    };
    let instance = match env.json(name).val {
        Val::String(resolved) => resolved,
        _ => numbered(&declared),
    };
    Part {
        declared,
        instance,
        looped,
    }
}

/// The declaration's address (deployments, then `/`-joined resource names) and, when a copy
/// loop is involved, the instance's.
pub fn address(deployments: &[Part], names: &[Part]) -> (String, Option<String>) {
    let join = |pick: fn(&Part) -> &str| {
        let mut parts: Vec<&str> = deployments.iter().map(pick).collect();
        let own = names.iter().map(pick).collect::<Vec<_>>().join("/");
        parts.push(&own);
        parts.join(" > ")
    };
    let declared = join(|p| &p.declared);
    let looped = deployments.iter().chain(names).any(|p| p.looped);
    (declared, looped.then(|| join(|p| &p.instance)))
}

/// A JSON value as written, for messages.
pub fn written(json: &Json) -> String {
    match &json.kind {
        JsonKind::String(text) => text.clone(),
        _ => json.type_name().to_string(),
    }
}
