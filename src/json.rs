//! Lenient JSON with byte spans: the tree every JSON input (ARM, `.tf.json`, …) is read into.
//!
//! Parsing is delegated to `jsonc-parser` (comments, trailing commas and raw newlines inside
//! strings, as the Azure CLI accepts them; nesting capped at 512 so no input can overflow the
//! stack). Its borrowed AST is turned into this owned tree so later stages need no lifetimes.

use std::ops::Range;

use jsonc_parser::ast;
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};

/// A JSON value and the byte range it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct Json {
    pub kind: JsonKind,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum JsonKind {
    Null,
    Bool(bool),
    /// The number as written, so no precision is lost.
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<Member>),
}

/// One `"key": value` pair of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_span: Range<usize>,
    pub value: Json,
    /// The whole member, key through value.
    pub span: Range<usize>,
}

/// A syntax error with the byte range it points at.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonError {
    pub message: String,
    pub span: Range<usize>,
}

/// A parsed document: its root value and its comments (for suppressions and fixes).
#[derive(Debug, Clone, PartialEq)]
pub struct JsonDocument {
    pub root: Json,
    pub comments: Vec<Comment>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub text: String,
    pub span: Range<usize>,
}

/// Parses `text` leniently. An empty document is an error: no JSON input of ours is empty.
pub fn parse(text: &str) -> Result<JsonDocument, JsonError> {
    let options = ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        allow_loose_object_property_names: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        ..ParseOptions::default()
    };
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::Separate,
        tokens: false,
    };
    let result = jsonc_parser::parse_to_ast(text, &collect, &options).map_err(|error| {
        let range = error.range();
        JsonError {
            message: error.kind().to_string(),
            span: range.start..range.end,
        }
    })?;
    let Some(value) = result.value else {
        return Err(JsonError {
            message: "the file holds no JSON value".into(),
            span: 0..0,
        });
    };
    // The comment map keys each comment by its neighbouring tokens, so one comment can appear
    // under two keys: sort and de-duplicate by position.
    let mut comments: Vec<Comment> = result
        .comments
        .iter()
        .flat_map(|map| map.values())
        .flat_map(|list| list.iter())
        .map(|comment| {
            let range = comment.range();
            Comment {
                text: comment.text().to_string(),
                span: range.start..range.end,
            }
        })
        .collect();
    comments.sort_by_key(|c| c.span.start);
    comments.dedup_by_key(|c| c.span.start);
    Ok(JsonDocument {
        root: convert(value),
        comments,
    })
}

fn convert(value: ast::Value<'_>) -> Json {
    match value {
        ast::Value::NullKeyword(null) => leaf(JsonKind::Null, null.range),
        ast::Value::BooleanLit(b) => leaf(JsonKind::Bool(b.value), b.range),
        ast::Value::NumberLit(n) => leaf(JsonKind::Number(n.value.to_string()), n.range),
        ast::Value::StringLit(s) => leaf(JsonKind::String(s.value.into_owned()), s.range),
        ast::Value::Array(array) => leaf(
            JsonKind::Array(array.elements.into_iter().map(convert).collect()),
            array.range,
        ),
        ast::Value::Object(object) => leaf(
            JsonKind::Object(
                object
                    .properties
                    .into_iter()
                    .map(|prop| {
                        let key_range = prop.name.range();
                        let key_span = key_range.start..key_range.end;
                        Member {
                            key: prop.name.into_string(),
                            key_span,
                            span: prop.range.start..prop.range.end,
                            value: convert(prop.value),
                        }
                    })
                    .collect(),
            ),
            object.range,
        ),
    }
}

fn leaf(kind: JsonKind, range: jsonc_parser::common::Range) -> Json {
    Json {
        kind,
        span: range.start..range.end,
    }
}

impl Json {
    /// The members of an object, or an empty slice for any other value.
    pub fn members(&self) -> &[Member] {
        match &self.kind {
            JsonKind::Object(members) => members,
            _ => &[],
        }
    }

    /// The member named `key` (exact match, last one wins as in most JSON readers).
    pub fn member(&self, key: &str) -> Option<&Member> {
        self.members().iter().rev().find(|m| m.key == key)
    }

    /// The member named `key`, compared case-insensitively (ARM property names).
    pub fn member_ignore_case(&self, key: &str) -> Option<&Member> {
        self.members()
            .iter()
            .rev()
            .find(|m| m.key.eq_ignore_ascii_case(key))
    }

    pub fn get(&self, key: &str) -> Option<&Json> {
        self.member(key).map(|m| &m.value)
    }

    pub fn get_ignore_case(&self, key: &str) -> Option<&Json> {
        self.member_ignore_case(key).map(|m| &m.value)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            JsonKind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json]> {
        match &self.kind {
            JsonKind::Array(items) => Some(items),
            _ => None,
        }
    }

    /// Whether this is one scalar (null, boolean, number, string): a literal a fix can replace.
    pub fn is_scalar(&self) -> bool {
        !matches!(self.kind, JsonKind::Array(_) | JsonKind::Object(_))
    }

    pub fn is_object(&self) -> bool {
        matches!(self.kind, JsonKind::Object(_))
    }

    /// Moves every span `offset` bytes on: JSON parsed out of a larger file (a Terraform
    /// heredoc) then points into that file.
    pub fn shift(&mut self, offset: usize) {
        self.respan(&mut |span| span.start + offset..span.end + offset);
    }

    /// Sets every span to `span`: JSON computed from an expression (a rendered template) has
    /// no place of its own but the expression.
    pub fn collapse(&mut self, span: Range<usize>) {
        self.respan(&mut |_| span.clone());
    }

    fn respan(&mut self, change: &mut impl FnMut(&Range<usize>) -> Range<usize>) {
        self.span = change(&self.span);
        match &mut self.kind {
            JsonKind::Array(items) => items.iter_mut().for_each(|item| item.respan(change)),
            JsonKind::Object(members) => {
                for member in members {
                    member.key_span = change(&member.key_span);
                    member.span = change(&member.span);
                    member.value.respan(change);
                }
            }
            _ => {}
        }
    }

    /// A short name of the value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            JsonKind::Null => "null",
            JsonKind::Bool(_) => "boolean",
            JsonKind::Number(_) => "number",
            JsonKind::String(_) => "string",
            JsonKind::Array(_) => "array",
            JsonKind::Object(_) => "object",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_comments_trailing_commas_and_keeps_spans() {
        let text = "{ // c\n \"a\": [1, true,], /* d */ \"b\": \"x\",\n}";
        let doc = parse(text).unwrap();
        let b = doc.root.member("b").unwrap();
        assert_eq!(&text[b.span.clone()], "\"b\": \"x\"");
        assert_eq!(doc.root.get("b").unwrap().as_str(), Some("x"));
        assert_eq!(doc.root.get("a").unwrap().as_array().unwrap().len(), 2);
        assert_eq!(doc.comments.len(), 2);
    }

    #[test]
    fn shifted_and_collapsed_spans_cover_every_node() {
        let text = "{\"a\": [1, {\"b\": null}]}";
        let mut doc = parse(text).unwrap();
        doc.root.shift(10);
        let a = doc.root.member("a").unwrap();
        assert_eq!((a.key_span.clone(), a.span.clone()), (11..14, 11..32));
        let inner = &a.value.as_array().unwrap()[1];
        assert_eq!(inner.member("b").unwrap().value.span, 26..30);
        doc.root.collapse(3..5);
        let a = doc.root.member("a").unwrap();
        assert_eq!(a.value.as_array().unwrap()[0].span, 3..5);
        assert_eq!((a.key_span.clone(), doc.root.span.clone()), (3..5, 3..5));
    }

    #[test]
    fn rejects_deep_nesting_without_overflowing() {
        let text = "[".repeat(100_000);
        let error = parse(&text).unwrap_err();
        assert!(error.message.contains("nesting"), "{}", error.message);
    }

    #[test]
    fn reports_position_of_syntax_errors() {
        let error = parse("{\"a\": }").unwrap_err();
        assert_eq!(error.span.start, 6);
    }
}
