//! A JSON value whose object keys keep the order they are written in (`serde_json` sorts
//! them), rendered as JSON or as a Bicep literal: generated code reads as Azure's own
//! samples do (`field` before `equals`, `type` first).

use std::fmt::Write as _;

/// A JSON value with ordered object keys.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Str(String),
    Bool(bool),
    List(Vec<Node>),
    Object(Vec<(String, Node)>),
}

/// `Node::Str`.
pub fn s(text: impl Into<String>) -> Node {
    Node::Str(text.into())
}

/// `Node::Object` from `(key, value)` pairs, in order.
pub fn object<const N: usize>(members: [(&str, Node); N]) -> Node {
    Node::Object(
        members
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

impl Node {
    /// Pretty JSON, two spaces per level, starting at `depth`.
    pub fn json(&self, depth: usize) -> String {
        let pad = "  ".repeat(depth + 1);
        let close = "  ".repeat(depth);
        match self {
            Node::Str(text) => serde_json::Value::String(text.clone()).to_string(),
            Node::Bool(b) => b.to_string(),
            Node::List(items) if items.is_empty() => "[]".to_string(),
            Node::List(items) => {
                let inner: Vec<String> = items
                    .iter()
                    .map(|item| format!("{pad}{}", item.json(depth + 1)))
                    .collect();
                format!("[\n{}\n{close}]", inner.join(",\n"))
            }
            Node::Object(members) if members.is_empty() => "{}".to_string(),
            Node::Object(members) => {
                let inner: Vec<String> = members
                    .iter()
                    .map(|(key, value)| {
                        let key = serde_json::Value::String(key.clone()).to_string();
                        format!("{pad}{key}: {}", value.json(depth + 1))
                    })
                    .collect();
                format!("{{\n{}\n{close}}}", inner.join(",\n"))
            }
        }
    }

    /// A Bicep literal, two spaces per level, starting at `depth`.
    pub fn bicep(&self, depth: usize) -> String {
        let pad = "  ".repeat(depth + 1);
        let close = "  ".repeat(depth);
        match self {
            Node::Str(text) => format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'")),
            Node::Bool(b) => b.to_string(),
            Node::List(items) => {
                let mut out = String::from("[\n");
                for item in items {
                    let _ = writeln!(out, "{pad}{}", item.bicep(depth + 1));
                }
                out + &close + "]"
            }
            Node::Object(members) => {
                let mut out = String::from("{\n");
                for (key, value) in members {
                    let _ = writeln!(out, "{pad}{key}: {}", value.bicep(depth + 1));
                }
                out + &close + "}"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_their_order_and_strings_are_escaped() {
        let node = object([
            ("type", s("a\"b")),
            ("apiVersion", s("it's")),
            ("on", Node::Bool(true)),
        ]);
        assert_eq!(
            node.json(0),
            "{\n  \"type\": \"a\\\"b\",\n  \"apiVersion\": \"it's\",\n  \"on\": true\n}"
        );
        assert_eq!(
            node.bicep(0),
            "{\n  type: 'a\"b'\n  apiVersion: 'it\\'s'\n  on: true\n}"
        );
        let parsed: serde_json::Value = serde_json::from_str(&node.json(0)).unwrap();
        assert_eq!(parsed["apiVersion"], "it's");
    }
}
