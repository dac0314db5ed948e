//! Reads inline exceptions from a `.tf.json` file's `"//"` comment properties and places each
//! on its resource.
//!
//! Terraform's JSON syntax has no comments; a property named `"//"` is its comment. Placement
//! follows the JSON structure rather than lines: a `"//"` string anywhere inside a resource
//! body (the `"NAME": {…}` object) belongs to that resource, and so does a run of `"//"`
//! properties directly before the `"NAME"` property in the same object (the JSON form of "the
//! line above"). Any other certgate directive belongs to no resource (an orphan). The value
//! may be one string or an array of strings; escapes are decoded before the directive is read
//! and positions are mapped back into the file (by hand: JSON parsers hand back the decoded
//! string but not where each decoded byte was written).

use std::collections::HashMap;
use std::ops::Range;

use crate::json::{Json, JsonKind, Member};
use crate::limits::MAX_JSON_COMMENT_DEPTH;
use crate::suppress::comment::parse_text;
use crate::suppress::placement::{Attached, Placed, ResourceSpans};
use crate::suppress::{Invalid, KicsScope, Kind, Parsed};

/// The comment property's key.
const COMMENT_KEY: &str = "//";

/// Places the suppressions of every `"//"` string of `text` on `resources` (header: the
/// `"NAME"` key, body: its object). Peers' syntaxes are read only when `honour_peers`. A file
/// that is not valid JSON yields nothing (its front end reports the error).
pub fn attach(text: &str, resources: &[ResourceSpans], honour_peers: bool) -> Attached {
    let mut attached = Attached {
        per_resource: vec![Vec::new(); resources.len()],
        ..Attached::default()
    };
    let Ok(document) = crate::json::parse(text) else {
        return attached;
    };
    let mut by_body: HashMap<Range<usize>, Vec<usize>> = HashMap::new();
    let mut by_header: HashMap<Range<usize>, Vec<usize>> = HashMap::new();
    for (r, spans) in resources.iter().enumerate() {
        by_body.entry(spans.body.clone()).or_default().push(r);
        by_header.entry(spans.header.clone()).or_default().push(r);
    }
    let mut walk = Walk {
        text,
        line_starts: std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect(),
        by_body,
        by_header,
        honour_peers,
        attached: &mut attached,
    };
    walk.value(&document.root, &[], 0);
    attached
}

struct Walk<'a> {
    text: &'a str,
    /// Where each line starts: a comment's line is a binary search, not a count from the
    /// file's start (a minified file can hold 100 000 comments).
    line_starts: Vec<usize>,
    /// The resources by body and by header span, in order: a file of 100 000 resources is
    /// looked up at every object, so no search through them all.
    by_body: HashMap<Range<usize>, Vec<usize>>,
    by_header: HashMap<Range<usize>, Vec<usize>>,
    honour_peers: bool,
    attached: &'a mut Attached,
}

impl Walk<'_> {
    /// Visits `value`; `owners` are the resources whose body encloses it.
    fn value(&mut self, value: &Json, owners: &[usize], depth: usize) {
        if depth > MAX_JSON_COMMENT_DEPTH {
            return;
        }
        match &value.kind {
            JsonKind::Array(items) => {
                for item in items {
                    self.value(item, owners, depth + 1);
                }
            }
            JsonKind::Object(members) => {
                let own: Vec<usize> = self.by_body.get(&value.span).cloned().unwrap_or_default();
                let owners = if own.is_empty() { owners } else { &own };
                self.members(members, owners, depth);
            }
            _ => {}
        }
    }

    fn members(&mut self, members: &[Member], owners: &[usize], depth: usize) {
        for (index, member) in members.iter().enumerate() {
            if member.key != COMMENT_KEY {
                self.value(&member.value, owners, depth + 1);
                continue;
            }
            // A run of comments directly before a resource's `"NAME"` belongs to it.
            let above = members[index..]
                .iter()
                .find(|m| m.key != COMMENT_KEY)
                .and_then(|next| self.by_header.get(&next.key_span).cloned())
                .unwrap_or_default();
            let (comment_owners, inside_body) = if above.is_empty() {
                (owners.to_vec(), true)
            } else {
                (above, false)
            };
            let strings: Vec<&Json> = match &member.value.kind {
                JsonKind::String(_) => vec![&member.value],
                JsonKind::Array(items) => items.iter().filter(|i| i.as_str().is_some()).collect(),
                _ => Vec::new(),
            };
            for string in strings {
                self.comment(string, &comment_owners, inside_body);
            }
        }
    }

    /// The 1-based line of `offset`.
    fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        // Lines starting at or before `offset`; a newline at `offset` itself ends its line.
        self.line_starts.partition_point(|&start| start <= offset)
    }

    /// Reads one `"//"` string and records what it holds.
    fn comment(&mut self, string: &Json, owners: &[usize], inside_body: bool) {
        for result in parse_string(self.text, string) {
            let kind = match &result {
                Ok(s) => s.kind,
                Err(invalid) => invalid.kind,
            };
            if kind.is_peer() && !self.honour_peers {
                continue;
            }
            let suppression = match result {
                Ok(s) => s,
                Err(invalid) => {
                    self.attached.invalid.push(invalid);
                    continue;
                }
            };
            if owners.is_empty() {
                if !kind.is_peer() {
                    self.attached.orphans.push(suppression);
                }
                continue;
            }
            let next_line = self.line_of(string.span.end.saturating_sub(1)) + 1;
            let only_line = match kind {
                Kind::Kics(KicsScope::Line) => Some(next_line),
                Kind::Kics(KicsScope::Block) if inside_body => Some(next_line),
                _ => None,
            };
            for &r in owners {
                if let Some(list) = self.attached.per_resource.get_mut(r) {
                    list.push(Placed {
                        suppression: suppression.clone(),
                        only_line,
                    });
                }
            }
        }
    }
}

/// The suppressions in one JSON string literal, with positions in the file.
fn parse_string(text: &str, string: &Json) -> Parsed {
    let Some(decoded) = string.as_str() else {
        return Vec::new();
    };
    let raw_start = string.span.start + 1;
    let raw_end = string.span.end.saturating_sub(1).max(raw_start);
    let Some(raw) = text.get(raw_start..raw_end) else {
        return Vec::new();
    };
    let map = offset_map(raw, decoded, raw_start);
    let to_file = |range: &Range<usize>| -> Range<usize> {
        let at = |i: usize| map.get(i).copied().unwrap_or(raw_end);
        at(range.start)..at(range.end).max(at(range.start))
    };
    parse_text(decoded, 0)
        .into_iter()
        .map(|result| match result {
            Ok(mut s) => {
                s.span = to_file(&s.span);
                Ok(s)
            }
            Err(invalid) => Err(Invalid {
                span: to_file(&invalid.span),
                ..invalid
            }),
        })
        .collect()
}

/// For each byte of `decoded` (and one past its end), the file offset of the raw text it was
/// written as: escapes (`\"`, `\u00e9`, surrogate pairs) map every decoded byte to the escape's
/// backslash. `raw` is the literal between its quotes, starting at file offset `start`.
fn offset_map(raw: &str, decoded: &str, start: usize) -> Vec<usize> {
    let bytes = raw.as_bytes();
    let mut map = Vec::with_capacity(decoded.len() + 1);
    let mut i = 0;
    for ch in decoded.chars() {
        let width = if bytes.get(i) == Some(&b'\\') {
            escape_len(bytes, i)
        } else {
            ch.len_utf8()
        };
        map.extend(std::iter::repeat_n(start + i, ch.len_utf8()));
        i = (i + width).min(bytes.len());
    }
    map.push(start + i);
    map
}

/// Bytes of the escape at `at` (a backslash), a `\uD83D\uDE00` surrogate pair counting as one.
fn escape_len(bytes: &[u8], at: usize) -> usize {
    if bytes.get(at + 1) != Some(&b'u') {
        return 2;
    }
    let hex = |from: usize| {
        bytes
            .get(from..from + 4)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u16::from_str_radix(h, 16).ok())
    };
    let is_high = hex(at + 2).is_some_and(|unit| (0xD800..0xDC00).contains(&unit));
    if is_high && bytes.get(at + 6) == Some(&b'\\') && bytes.get(at + 7) == Some(&b'u') {
        12
    } else {
        6
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Places the comments of `text` on its one resource `"web"`, whose body closes the
    /// text's last four braces.
    fn attach_web(text: &str) -> Attached {
        let header = text.find("\"web\"").unwrap();
        let body = text[header..].find('{').unwrap() + header;
        let end = text.len() - 3;
        let spans = ResourceSpans {
            header: header..header + 5,
            body: body..end,
        };
        attach(text, &[spans], true)
    }

    #[test]
    fn reads_comments_inside_the_body_and_directly_above_the_name() {
        let text = r#"{"resource": {"azurerm_linux_web_app": {
  "//": "certgate:ignore[client-cert-disabled] reason=\"legacy\" owner=team expires=2027-03-31",
  "web": {
    "//": ["checkov:skip=CKV_AZURE_17:partner"],
    "name": "web"
  }}}}"#;
        let attached = attach_web(text);
        let placed = &attached.per_resource[0];
        assert_eq!(placed.len(), 2);
        let certgate = &placed[0].suppression;
        assert_eq!(certgate.kind, Kind::Certgate);
        assert_eq!(certgate.reason.as_deref(), Some("legacy"));
        assert_eq!(certgate.owner.as_deref(), Some("team"));
        // The span is mapped through the `\"` escapes back onto the file's text.
        assert!(text[certgate.span.clone()].starts_with("certgate:ignore[client-cert-disabled]"));
        assert!(text[certgate.span.clone()].ends_with("2027-03-31"));
        assert_eq!(placed[1].suppression.kind, Kind::Checkov);
        assert!(attached.orphans.is_empty() && attached.invalid.is_empty());
    }

    #[test]
    fn a_directive_elsewhere_is_an_orphan_and_a_malformed_one_is_invalid() {
        let text = r#"{
  "//": "certgate:ignore reason=\"file-wide\"",
  "resource": {"azurerm_linux_web_app": {
  "//": "certgate:ignore owner=team",
  "other": {},
  "web": {"name": "web"}}}}"#;
        let attached = attach_web(text);
        assert!(attached.per_resource[0].is_empty());
        assert_eq!(attached.orphans.len(), 1);
        assert_eq!(attached.invalid.len(), 1);
        assert!(text[attached.invalid[0].span.clone()].starts_with("certgate:ignore"));
    }

    #[test]
    fn maps_unicode_escapes_and_survives_bad_input() {
        let raw = r#"\u00e9\"x"#;
        assert_eq!(offset_map(raw, "é\"x", 10), [10, 10, 16, 18, 19]);
        assert!(attach("{\"//\": ", &[], true).invalid.is_empty());
    }
}
