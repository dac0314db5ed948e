//! Evaluated values shared by the expression evaluators (Terraform, ARM, Bicep): JSON-like data
//! that may be unknown, with where it came from.

use std::collections::BTreeMap;

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
    pub origin: Vec<Origin>,
}

impl Traced {
    /// A value written right where it is used: no origin.
    pub fn here(val: Val) -> Traced {
        Traced {
            val,
            origin: Vec::new(),
        }
    }

    /// Adds a hop toward the use site.
    pub fn through(mut self, hop: Origin) -> Traced {
        self.origin.push(hop);
        self
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
