//! Evaluated values shared by the expression evaluators (Terraform, ARM, Bicep): JSON-like data
//! that may be unknown, with where it came from.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::model::{Data, Origin};

/// A property name or array index, evaluated: one step of an access path (ARM's `.name` /
/// `[index]` accessors, Bicep's member and index expressions).
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    Name(String),
    Index(i64),
}

/// A value an evaluator computed. `Unknown` is not an error: it is a value that cannot be
/// decided statically, with the reason (an unknown function, a variable without a value, …).
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Val>),
    /// Keys in their written case; ARM and Bicep look them up case-insensitively.
    Object(BTreeMap<String, Val>),
    Unknown(String),
}

impl Val {
    pub fn unknown(reason: impl Into<String>) -> Val {
        Val::Unknown(reason.into())
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Val::Unknown(_))
    }

    /// A short name of the value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Val::Null => "null",
            Val::Bool(_) => "bool",
            Val::Number(_) => "number",
            Val::String(_) => "string",
            Val::List(_) => "list",
            Val::Object(_) => "object",
            Val::Unknown(_) => "unknown value",
        }
    }

    /// The member `key`, exact case.
    #[cfg(test)]
    pub fn get(&self, key: &str) -> Option<&Val> {
        match self {
            Val::Object(map) => map.get(key),
            _ => None,
        }
    }

    /// The member `key`, exact case (Terraform).
    pub fn get_exact(&self, key: &str) -> Option<&Val> {
        match self {
            Val::Object(map) => map.get(key),
            _ => None,
        }
    }

    /// The member `key`, compared case-insensitively (ARM, Bicep).
    pub fn get_ignore_case(&self, key: &str) -> Option<&Val> {
        match self {
            Val::Object(map) => map.get(key).or_else(|| {
                map.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(key))
                    .map(|(_, v)| v)
            }),
            _ => None,
        }
    }

    /// Converts a parsed JSON value (a tfvars.json entry, an ARM literal, a plan value).
    pub fn from_json(json: &crate::json::Json) -> Val {
        use crate::json::JsonKind;
        match &json.kind {
            JsonKind::Null => Val::Null,
            JsonKind::Bool(b) => Val::Bool(*b),
            JsonKind::Number(text) => text.parse::<f64>().map_or_else(
                |_| Val::unknown(format!("number `{text}` out of range")),
                Val::Number,
            ),
            JsonKind::String(s) => Val::String(s.clone()),
            JsonKind::Array(items) => Val::List(items.iter().map(Val::from_json).collect()),
            JsonKind::Object(members) => Val::Object(
                members
                    .iter()
                    .map(|m| (m.key.clone(), Val::from_json(&m.value)))
                    .collect(),
            ),
        }
    }

    /// What the rules see: scalars as they are, containers by their type, unknowns with why.
    pub fn to_data(&self) -> Data {
        match self {
            Val::Null => Data::Null,
            Val::Bool(b) => Data::Bool(*b),
            Val::String(s) => Data::String(s.clone()),
            Val::Number(_) => Data::Other("number"),
            Val::List(_) => Data::Other("list"),
            Val::Object(_) => Data::Other("object"),
            Val::Unknown(why) => Data::Unknown(why.clone()),
        }
    }
}

/// A value with the chain of places it came from, first the place the literal was written,
/// then each hop toward the attribute that uses it (variable, module input, parameter, …).
#[derive(Debug, Clone, PartialEq)]
pub struct Traced {
    pub val: Val,
    /// The hops of the whole value: for an object or list built from members, every member's.
    pub origin: Vec<Origin>,
    /// Each member's own hops, when the value was built by a constructor whose members came
    /// from different places (`None`: every member shares `origin`). Reading a member keeps
    /// only its hops, so a sibling's never shows in a diagnostic.
    pub parts: Option<Arc<Parts>>,
}

/// The hops of each member of an object or list a constructor built (see [`Traced::parts`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Parts {
    /// The value's origin as the constructor built it (its members' merged); a hop of the
    /// value's origin not in here was added later, by passing the whole value on.
    pub built: Vec<Origin>,
    /// Members by key (list elements by decimal index). A member missing here (a default a
    /// type filled in) has only the hops by which the whole value was passed.
    pub members: BTreeMap<String, Part>,
}

/// One member's hops, and its own members' when it was built from parts too.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub origin: Vec<Origin>,
    pub parts: Option<Arc<Parts>>,
}

impl Traced {
    /// A value written right where it is used: no origin.
    pub fn here(val: Val) -> Traced {
        Traced {
            val,
            origin: Vec::new(),
            parts: None,
        }
    }

    /// A value with `origin`, whose members all share it.
    pub fn new(val: Val, origin: Vec<Origin>) -> Traced {
        Traced {
            val,
            origin,
            parts: None,
        }
    }

    /// The hops of the member `key` (and its parts): its own plus those by which the whole
    /// value was passed; the whole value's origin where members were not told apart.
    pub fn member(&self, key: &str) -> (Vec<Origin>, Option<Arc<Parts>>) {
        member_hops(&self.origin, self.parts.as_ref(), key)
    }

    /// Steps into the member `key`, now `val`: keeps only that member's hops.
    pub fn enter(&mut self, key: &str) {
        if self.parts.is_some() {
            let (origin, parts) = self.member(key);
            self.origin = origin;
            self.parts = parts;
        }
    }

    /// The member `key` of this value, already looked up as `val`, with only its own hops.
    pub fn member_traced(&self, key: &str, val: Val) -> Traced {
        let (origin, parts) = self.member(key);
        Traced { val, origin, parts }
    }

    /// Adds a hop toward the use site.
    pub fn through(mut self, hop: Origin) -> Traced {
        self.origin.push(hop);
        self
    }
}

/// [`Traced::member`] for a value's `origin` and `parts` held apart (a walk by reference).
pub fn member_hops(
    origin: &[Origin],
    parts: Option<&Arc<Parts>>,
    key: &str,
) -> (Vec<Origin>, Option<Arc<Parts>>) {
    let Some(parts) = parts else {
        return (origin.to_vec(), None);
    };
    let passed = origin.iter().filter(|hop| !parts.built.contains(hop));
    match parts.members.get(key) {
        Some(part) => {
            let mut own = part.origin.clone();
            for hop in passed {
                if !own.contains(hop) {
                    own.push(hop.clone());
                }
            }
            (own, part.parts.clone())
        }
        None => (passed.cloned().collect(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_converts_and_objects_look_up_ignoring_case() {
        let doc =
            crate::json::parse(r#"{"ClientCertEnabled": true, "n": 3, "l": [null]}"#).unwrap();
        let val = Val::from_json(&doc.root);
        assert_eq!(
            val.get_ignore_case("clientcertenabled"),
            Some(&Val::Bool(true))
        );
        assert_eq!(val.get("clientcertenabled"), None);
        assert_eq!(val.get("n"), Some(&Val::Number(3.0)));
        assert_eq!(val.get("l").unwrap().to_data(), Data::Other("list"));
        assert_eq!(Val::unknown("x").to_data(), Data::Unknown("x".into()));
    }
}
