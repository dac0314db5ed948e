//! Reads the suppressions in one comment: certgate's own directive, then peers' (via
//! [`super::peers`]).
//!
//! certgate's syntax: `certgate:ignore[RULE, …] reason="…" owner=… expires=YYYY-MM-DD`, opening
//! the comment (`#`, `//` or `/* */`). No rule list means every client-cert rule; `reason` is
//! required. The grammar is a bracketed list and `key=value` pairs, too small for a parser
//! crate; it is read by hand here with byte positions so every error points at its token.

use std::ops::Range;

use super::{Invalid, Kind, Parsed, Suppression, peers};
use crate::date::parse_date;
use crate::rules::check_rule_id;

/// The marker that opens a certgate directive.
pub const MARKER: &str = "certgate:ignore";

/// Reads every suppression in the comment at `span` of `source` (comment markers included).
/// Positions in the result are byte offsets in `source`.
pub fn parse_comment(source: &str, span: Range<usize>) -> Parsed {
    let Some(text) = source.get(span.clone()) else {
        return Vec::new();
    };
    let content = strip_markers(text);
    parse_text(&text[content.clone()], span.start + content.start)
}

/// Reads every suppression in comment text whose first byte sits at `offset` in the file
/// (for text that is not a whole comment, e.g. a `.tf.json` `"//"` string's contents).
pub fn parse_text(text: &str, offset: usize) -> Parsed {
    let start = text.len() - text.trim_start().len();
    if text[start..].starts_with(MARKER) {
        // A certgate directive owns the rest of the comment.
        return vec![parse_certgate(text, start, offset)];
    }
    peers::scan(text, offset)
}

/// The range of `text` between its comment markers.
fn strip_markers(text: &str) -> Range<usize> {
    let end = text.trim_end_matches(['\n', '\r']).len();
    if text.starts_with("/*") {
        let end = if text[..end].ends_with("*/") && end >= 4 {
            end - 2
        } else {
            end
        };
        return 2..end.max(2);
    }
    if text.starts_with("//") {
        return 2..end.max(2);
    }
    if text.starts_with('#') {
        return 1..end.max(1);
    }
    0..end
}

/// A cursor over the directive's text; `offset` turns local positions into file positions.
struct Cursor<'t> {
    text: &'t str,
    pos: usize,
    offset: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn skip_whitespace(&mut self) {
        let rest = &self.text[self.pos..];
        self.pos += rest.len() - rest.trim_start().len();
    }

    /// Advances past the next run of characters for which `keep` holds; returns its range.
    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> Range<usize> {
        let start = self.pos;
        let rest = &self.text[start..];
        let len = rest.find(|c: char| !keep(c)).unwrap_or(rest.len());
        self.pos += len;
        start..self.pos
    }

    fn invalid(&self, local: Range<usize>, message: impl Into<String>) -> Invalid {
        Invalid {
            kind: Kind::Certgate,
            span: self.offset + local.start..self.offset + local.end,
            message: message.into(),
        }
    }
}

fn parse_certgate(text: &str, start: usize, offset: usize) -> Result<Suppression, Invalid> {
    let mut cursor = Cursor {
        text,
        pos: start + MARKER.len(),
        offset,
    };
    let rules = match cursor.peek() {
        Some('[') => Some(parse_rule_list(&mut cursor)?),
        None => None,
        Some(c) if c.is_whitespace() => None,
        Some(_) => {
            let word = cursor.take_while(|c| !c.is_whitespace());
            return Err(cursor.invalid(
                start..word.end,
                format!(
                    "unknown directive `{}`: write `certgate:ignore[RULE] reason=\"…\"`",
                    &text[start..word.end]
                ),
            ));
        }
    };
    let mut reason = None;
    let mut owner = None;
    let mut expires = None;
    let mut end = cursor.pos;
    loop {
        cursor.skip_whitespace();
        if cursor.peek().is_none() {
            break;
        }
        let key = cursor.take_while(|c| c != '=' && !c.is_whitespace());
        if cursor.peek() != Some('=') {
            let hint = if text[key.clone()].starts_with('[') {
                ": the rule list must follow `certgate:ignore` without a space"
            } else {
                ""
            };
            return Err(cursor.invalid(
                key.clone(),
                format!("expected `key=value`, found `{}`{hint}", &text[key]),
            ));
        }
        cursor.pos += 1;
        let value = parse_value(&mut cursor)?;
        end = cursor.pos;
        let slot = match &text[key.clone()] {
            "reason" => &mut reason,
            "owner" => &mut owner,
            "expires" => &mut expires,
            other => {
                return Err(cursor.invalid(
                    key,
                    format!("unknown key `{other}`: the keys are `reason`, `owner` and `expires`"),
                ));
            }
        };
        if slot.is_some() {
            return Err(cursor.invalid(key.clone(), format!("`{}` is given twice", &text[key])));
        }
        if value.1.trim().is_empty() {
            return Err(cursor.invalid(value.0, format!("`{}` is empty", &text[key])));
        }
        *slot = Some(value);
    }
    let Some((_, reason)) = reason else {
        return Err(cursor.invalid(
            start..start + MARKER.len(),
            "missing reason: write reason=\"why this is accepted\"",
        ));
    };
    let expires = match expires {
        Some((range, value)) => Some(parse_date(&value).map_err(|m| cursor.invalid(range, m))?),
        None => None,
    };
    Ok(Suppression {
        kind: Kind::Certgate,
        rules,
        peer_ids: Vec::new(),
        reason: Some(reason),
        owner: owner.map(|(_, owner)| owner),
        expires,
        span: offset + start..offset + end,
    })
}

/// Reads `[rule, rule]` at the cursor (which sits on `[`).
fn parse_rule_list(cursor: &mut Cursor<'_>) -> Result<Vec<String>, Invalid> {
    let open = cursor.pos;
    let Some(close) = cursor.text[open..].find(']').map(|i| open + i) else {
        return Err(cursor.invalid(
            open..open + 1,
            "unclosed `[`: write certgate:ignore[RULE, …]",
        ));
    };
    let mut rules = Vec::new();
    let mut item_start = open + 1;
    for piece in cursor.text[open + 1..close].split(',') {
        let lead = piece.len() - piece.trim_start().len();
        let name = piece.trim();
        let range = item_start + lead..item_start + lead + name.len();
        item_start += piece.len() + 1;
        if name.is_empty() {
            let message = if close == open + 1 {
                "empty rule list: leave out the brackets to cover every client-cert rule"
            } else {
                "empty rule name in the list"
            };
            return Err(cursor.invalid(open..close + 1, message));
        }
        check_rule_id(name).map_err(|m| cursor.invalid(range, m))?;
        rules.push(name.to_string());
    }
    cursor.pos = close + 1;
    Ok(rules)
}

/// Reads a value: a `"…"` string (with `\"` and `\\` escapes) or a bare word. Returns its
/// range and text.
fn parse_value(cursor: &mut Cursor<'_>) -> Result<(Range<usize>, String), Invalid> {
    let start = cursor.pos;
    if cursor.peek() != Some('"') {
        let range = cursor.take_while(|c| !c.is_whitespace());
        return Ok((range.clone(), cursor.text[range].to_string()));
    }
    let mut value = String::new();
    let mut chars = cursor.text[start + 1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                cursor.pos = start + 1 + i + 1;
                return Ok((start..cursor.pos, value));
            }
            '\\' => match chars.next() {
                Some((_, escaped @ ('"' | '\\'))) => value.push(escaped),
                Some((_, other)) => {
                    value.push('\\');
                    value.push(other);
                }
                None => break,
            },
            other => value.push(other),
        }
    }
    Err(cursor.invalid(start..start + 1, "unclosed `\"`"))
}

#[cfg(test)]
mod tests;
