//! Places the inline exceptions of a `.tf.json` file's `"//"` comment properties (recorded by
//! the Terraform front end as it read the file) on its resources.
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

use crate::model::JsonProperty;
use crate::suppress::comment::parse_text;
use crate::suppress::placement::{Attached, Placed, ResourceSpans};
use crate::suppress::{Invalid, KicsScope, Kind, Parsed};

/// Places the suppressions of every recorded `"//"` string of `text` (`comments`, in document
/// order) on `resources` (header: the `"NAME"` key, body: its object). Peers' syntaxes are
/// read only when `honour_peers`.
pub fn attach(
    text: &str,
    comments: &[JsonProperty],
    resources: &[ResourceSpans],
    honour_peers: bool,
) -> Attached {
    let mut attached = Attached {
        per_resource: vec![Vec::new(); resources.len()],
        ..Attached::default()
    };
    // The resources by header span, in order: a file of 100 000 resources is looked up at
    // every comment, so no search through them all.
    let mut by_header: HashMap<&Range<usize>, Vec<usize>> = HashMap::new();
    for (r, spans) in resources.iter().enumerate() {
        by_header.entry(&spans.header).or_default().push(r);
    }
    let enclosing = enclosing_bodies(comments, resources);
    let mut place = Place {
        text,
        line_starts: std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect(),
        honour_peers,
        attached: &mut attached,
    };
    for (comment, inside) in comments.iter().zip(&enclosing) {
        // A run of comments directly before a resource's `"NAME"` belongs to it.
        let above = comment.before.as_ref().and_then(|key| by_header.get(key));
        match above {
            Some(owners) => place.comment(comment, owners, false),
            None => place.comment(comment, inside, true),
        }
    }
    attached
}

/// For each comment, the resources whose body is the innermost resource body enclosing it
/// (none when no body encloses it). Bodies are JSON objects, so they nest or are apart.
fn enclosing_bodies(comments: &[JsonProperty], resources: &[ResourceSpans]) -> Vec<Vec<usize>> {
    let mut by_body: HashMap<&Range<usize>, Vec<usize>> = HashMap::new();
    for (r, spans) in resources.iter().enumerate() {
        by_body.entry(&spans.body).or_default().push(r);
    }
    // Outer bodies before the bodies they hold.
    let mut bodies: Vec<&Range<usize>> = by_body.keys().copied().collect();
    bodies.sort_by_key(|b| (b.start, std::cmp::Reverse(b.end)));
    let mut order: Vec<usize> = (0..comments.len()).collect();
    order.sort_by_key(|&c| comments[c].span.start);
    let mut out = vec![Vec::new(); comments.len()];
    let mut next = 0;
    let mut open: Vec<&Range<usize>> = Vec::new();
    for c in order {
        let span = &comments[c].span;
        while let Some(&body) = bodies.get(next).filter(|b| b.start <= span.start) {
            open.push(body);
            next += 1;
        }
        // A body that does not hold this comment ended before it, so holds no later one.
        while open
            .last()
            .is_some_and(|b| !(b.start <= span.start && span.end <= b.end))
        {
            open.pop();
        }
        if let Some(body) = open.last() {
            out[c] = by_body[body].clone();
        }
    }
    out
}

struct Place<'a> {
    text: &'a str,
    /// Where each line starts: a comment's line is a binary search, not a count from the
    /// file's start (a minified file can hold 100 000 comments).
    line_starts: Vec<usize>,
    honour_peers: bool,
    attached: &'a mut Attached,
}

impl Place<'_> {
    /// The 1-based line of `offset`.
    fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        // Lines starting at or before `offset`; a newline at `offset` itself ends its line.
        self.line_starts.partition_point(|&start| start <= offset)
    }

    /// Reads one `"//"` string and records what it holds.
    fn comment(&mut self, string: &JsonProperty, owners: &[usize], inside_body: bool) {
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
fn parse_string(text: &str, string: &JsonProperty) -> Parsed {
    let decoded = string.text.as_str();
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

    /// The `"//"` string written as `literal` in `text` (its first occurrence), holding
    /// `decoded`, in a run before the key written first as `before`.
    fn property(text: &str, literal: &str, decoded: &str, before: Option<&str>) -> JsonProperty {
        let start = text.find(literal).unwrap();
        JsonProperty {
            span: start..start + literal.len(),
            text: decoded.into(),
            before: before.map(|key| {
                let at = text.find(key).unwrap();
                at..at + key.len()
            }),
        }
    }

    /// Places `comments` of `text` on its one resource `"web"`, whose body closes the text's
    /// last four braces.
    fn attach_web(text: &str, comments: &[JsonProperty]) -> Attached {
        let header = text.find("\"web\"").unwrap();
        let body = text[header..].find('{').unwrap() + header;
        let end = text.len() - 3;
        let spans = ResourceSpans {
            header: header..header + 5,
            body: body..end,
        };
        attach(text, comments, &[spans], true)
    }

    #[test]
    fn reads_comments_inside_the_body_and_directly_above_the_name() {
        let text = r#"{"resource": {"azurerm_linux_web_app": {
  "//": "certgate:ignore[client-cert-disabled] reason=\"legacy\" owner=team expires=2027-03-31",
  "web": {
    "//": ["checkov:skip=CKV_AZURE_17:partner"],
    "name": "web"
  }}}}"#;
        let comments = [
            property(
                text,
                r#""certgate:ignore[client-cert-disabled] reason=\"legacy\" owner=team expires=2027-03-31""#,
                r#"certgate:ignore[client-cert-disabled] reason="legacy" owner=team expires=2027-03-31"#,
                Some("\"web\""),
            ),
            property(
                text,
                r#""checkov:skip=CKV_AZURE_17:partner""#,
                "checkov:skip=CKV_AZURE_17:partner",
                Some("\"name\""),
            ),
        ];
        let attached = attach_web(text, &comments);
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
        let comments = [
            property(
                text,
                r#""certgate:ignore reason=\"file-wide\"""#,
                r#"certgate:ignore reason="file-wide""#,
                Some("\"resource\""),
            ),
            property(
                text,
                r#""certgate:ignore owner=team""#,
                "certgate:ignore owner=team",
                Some("\"other\""),
            ),
        ];
        let attached = attach_web(text, &comments);
        assert!(attached.per_resource[0].is_empty());
        assert_eq!(attached.orphans.len(), 1);
        assert_eq!(attached.invalid.len(), 1);
        assert!(text[attached.invalid[0].span.clone()].starts_with("certgate:ignore"));
    }

    #[test]
    fn a_comment_belongs_to_the_innermost_body_around_it() {
        // Bodies of JSON objects nest or lie apart; the owner is the innermost one.
        let text = r#"{"a": {"b": {"//": "certgate:ignore[client-cert-disabled] reason=\"x\""}}, "c": {"//": "certgate:ignore[client-cert-disabled] reason=\"y\""}}"#;
        let outer = text.find("{\"b\"").unwrap();
        let inner = text[outer + 1..].find('{').unwrap() + outer + 1;
        let inner_end = text[inner..].find('}').unwrap() + inner + 1;
        let body = |at: usize, end: usize| ResourceSpans {
            header: at..at + 1,
            body: at..end,
        };
        let resources = [body(outer, inner_end + 1), body(inner, inner_end)];
        let comments = [
            property(
                text,
                r#""certgate:ignore[client-cert-disabled] reason=\"x\"""#,
                r#"certgate:ignore[client-cert-disabled] reason="x""#,
                None,
            ),
            property(
                text,
                r#""certgate:ignore[client-cert-disabled] reason=\"y\"""#,
                r#"certgate:ignore[client-cert-disabled] reason="y""#,
                None,
            ),
        ];
        let attached = attach(text, &comments, &resources, true);
        assert!(attached.per_resource[0].is_empty());
        assert_eq!(attached.per_resource[1].len(), 1);
        assert_eq!(attached.orphans.len(), 1);
    }

    #[test]
    fn maps_unicode_escapes_and_survives_no_comments() {
        let raw = r#"\u00e9\"x"#;
        assert_eq!(offset_map(raw, "é\"x", 10), [10, 10, 16, 18, 19]);
        assert!(attach("{\"//\": ", &[], &[], true).invalid.is_empty());
    }
}
