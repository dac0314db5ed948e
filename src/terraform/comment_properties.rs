//! Records a `.tf.json` file's `"//"` comment properties as the file is read, for inline
//! exceptions (`suppress::tf_json` places them).

use crate::json::{Json, JsonKind, Member};
use crate::limits::MAX_JSON_COMMENT_DEPTH;
use crate::model::JsonProperty;

/// The comment property's key.
const COMMENT_KEY: &str = "//";

/// Every string of every `"//"` property under `root`, in document order. Objects nested
/// deeper than [`MAX_JSON_COMMENT_DEPTH`] are not searched.
pub fn record(root: &Json) -> Vec<JsonProperty> {
    let mut out = Vec::new();
    value(root, 0, &mut out);
    out
}

fn value(value: &Json, depth: usize, out: &mut Vec<JsonProperty>) {
    if depth > MAX_JSON_COMMENT_DEPTH {
        return;
    }
    match &value.kind {
        JsonKind::Array(items) => {
            for item in items {
                self::value(item, depth + 1, out);
            }
        }
        JsonKind::Object(members) => self::members(members, depth, out),
        _ => {}
    }
}

fn members(members: &[Member], depth: usize, out: &mut Vec<JsonProperty>) {
    for (index, member) in members.iter().enumerate() {
        if member.key != COMMENT_KEY {
            value(&member.value, depth + 1, out);
            continue;
        }
        // The member a run of comments stands above.
        let before = members[index..]
            .iter()
            .find(|m| m.key != COMMENT_KEY)
            .map(|next| next.key_span.clone());
        let strings: Vec<&Json> = match &member.value.kind {
            JsonKind::String(_) => vec![&member.value],
            JsonKind::Array(items) => items.iter().filter(|i| i.as_str().is_some()).collect(),
            _ => Vec::new(),
        };
        for string in strings {
            if let Some(text) = string.as_str() {
                out.push(JsonProperty {
                    span: string.span.clone(),
                    text: text.to_string(),
                    before: before.clone(),
                });
            }
        }
    }
}

/// Records the comments of `text` when it is not already parsed (a file read before its
/// resources were known); `None` when it is not valid JSON (its front end reports that).
pub fn record_text(text: &str) -> Option<Vec<JsonProperty>> {
    crate::json::parse(text).ok().map(|doc| record(&doc.root))
}
