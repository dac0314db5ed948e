//! Quoting text from the scanned files in messages: cut to a readable length, and control
//! characters made visible, so a template cannot flood or drive the reader's terminal.

use std::borrow::Cow;

/// How many characters of a value a message quotes; the rest is elided with `…`.
pub const QUOTED_CHARS: usize = 120;

/// `text` cut to [`QUOTED_CHARS`] characters plus `…`, so a 50 MB value does not become a
/// 50 MB message.
pub fn clip(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(QUOTED_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]).into(),
        None => text.into(),
    }
}

/// `message` with every value it quotes cut as [`clip`] does: each span between backticks or
/// double quotes longer than [`QUOTED_CHARS`], and each longer run without whitespace (a name
/// quoted bare). The backstop for messages built in many places (a variable name, an
/// expression, a path): the prose around the values is never cut.
pub fn clip_within(message: &str) -> Cow<'_, str> {
    if message.chars().nth(QUOTED_CHARS).is_none() {
        return message.into();
    }
    let mut out = String::with_capacity(message.len().min(8 * QUOTED_CHARS));
    let mut changed = false;
    let mut push = |out: &mut String, text: &str| {
        let cut = clip(text);
        changed |= matches!(cut, Cow::Owned(_));
        out.push_str(&cut);
    };
    let mut rest = message;
    while !rest.is_empty() {
        // Prose up to the next delimiter: only bare runs without whitespace are cut.
        let end = rest.find(['`', '"']).unwrap_or(rest.len());
        for piece in rest[..end].split_inclusive(char::is_whitespace) {
            let word = piece.trim_end_matches(char::is_whitespace);
            push(&mut out, word);
            out.push_str(&piece[word.len()..]);
        }
        rest = &rest[end..];
        let Some(delimiter) = rest.chars().next() else {
            break;
        };
        // A quoted value runs to the same delimiter; one that is never closed is prose.
        match rest[1..].find(delimiter) {
            Some(close) => {
                out.push(delimiter);
                push(&mut out, &rest[1..1 + close]);
                out.push(delimiter);
                rest = &rest[close + 2..];
            }
            None => {
                out.push(delimiter);
                rest = &rest[1..];
            }
        }
    }
    if changed { out.into() } else { message.into() }
}

/// Whether a terminal or log viewer may act on `c` instead of showing it: C0 and C1 control
/// characters and DEL (ESC starts colour and cursor sequences, CR returns to the line start,
/// BEL rings), and the bidirectional overrides and isolates that reorder what is shown.
/// Line feed and tab are not included: messages use them for layout; each format decides.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `text` holds an [`is_unsafe`] character, by bytes: an ASCII control other than
/// line feed and tab, DEL, a C1 control (`C2 80`–`C2 9F`) or a bidirectional override or
/// isolate (`E2 80 AA`–`AE`, `E2 81 A6`–`A9`). In valid UTF-8 `C2` and `E2` only start
/// characters, so `memchr` finds every candidate; a report of 100 000 files is megabytes,
/// and decoding it character by character was most of writing it.
pub fn holds_unsafe(text: &str) -> bool {
    let bytes = text.as_bytes();
    // No short cut: the fold vectorises.
    let ascii = (bytes.iter()).fold(false, |found, &b| {
        found | ((b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7F)
    });
    ascii
        || memchr::memchr2_iter(0xC2, 0xE2, bytes).any(|at| {
            matches!(
                bytes[at..],
                [0xC2, 0x80..=0x9F, ..]
                    | [0xE2, 0x80, 0xAA..=0xAE, ..]
                    | [0xE2, 0x81, 0xA6..=0xA9, ..]
            )
        })
}

/// `text` with every [`is_unsafe`] character written as a visible escape (`\r`, `\u{1b}`),
/// the way Rust's `escape_debug` writes it. Text without one is returned as it is.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !holds_unsafe(text) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// `text` cut as [`clip`] does, then made [`visible`]: how a message quotes a value.
pub fn quoted(text: &str) -> String {
    visible(&clip(text)).into_owned()
}

/// Serialised JSON with the [`is_unsafe`] characters serde leaves raw (DEL, C1 controls,
/// bidirectional overrides; it escapes C0 itself) written as `\uXXXX` escapes: the same JSON
/// value, but `cat report.json` cannot drive a terminal. They can only occur inside strings,
/// and all of them are in the Basic Multilingual Plane, so one escape each is exact.
pub fn json_safe(json: String) -> String {
    // Most output holds no unsafe character: a test of the bytes clears it.
    if !holds_unsafe(&json) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_cuts_long_text_at_a_character_boundary() {
        let long = "é".repeat(500);
        let cut = clip(&long);
        assert_eq!(cut.chars().count(), QUOTED_CHARS + 1);
        assert!(cut.ends_with("é…"));
        assert_eq!(clip("short"), "short");
    }

    #[test]
    fn the_byte_test_agrees_with_the_character_test_around_every_boundary() {
        let near = |c: u32| (c.saturating_sub(3)..=c + 3).filter_map(char::from_u32);
        let edges = [
            0, 0x09, 0x0A, 0x1F, 0x20, 0x7E, 0x7F, 0x80, 0x9F, 0xA0, 0x202A, 0x202E,
        ]
        .into_iter()
        .chain([0x2066, 0x2069, 0x2026, 0x2014, 0x200F]);
        for c in edges.flat_map(near) {
            for text in [format!("{c}"), format!("a{c}b"), format!("…{c}—")] {
                assert_eq!(holds_unsafe(&text), text.chars().any(is_unsafe), "{c:?}");
            }
        }
        assert!(!holds_unsafe("résumé → ok … \n\t"));
    }

    #[test]
    fn json_safe_escapes_what_serde_leaves_raw_and_keeps_the_value() {
        let value = serde_json::json!({ "name": "a\u{1b}b\u{9b}c\u{202e}d\u{7f}" });
        let text = json_safe(serde_json::to_string(&value).unwrap());
        assert!(!text.chars().any(is_unsafe), "{text}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            value
        );
    }

    #[test]
    fn clip_within_cuts_long_quoted_values_and_bare_names_but_not_prose() {
        let name = "n".repeat(300);
        let message = format!("there is no variable `{name}` in this module");
        let cut = clip_within(&message);
        assert_eq!(
            cut,
            format!(
                "there is no variable `{}…` in this module",
                &name[..QUOTED_CHARS]
            )
        );
        let spaced = format!("mode \"{}\" is odd", "a ".repeat(100));
        assert!(clip_within(&spaced).len() < spaced.len());
        let bare = format!("value {name}\nnext line");
        assert_eq!(
            clip_within(&bare),
            format!("value {}…\nnext line", &name[..QUOTED_CHARS])
        );
        let prose = "word ".repeat(60);
        assert!(matches!(clip_within(&prose), Cow::Borrowed(_)));
        // An unclosed quote does not turn the prose after it into a value.
        let unbalanced = format!("found `\"` here; {}", "then more prose ".repeat(20));
        assert!(matches!(clip_within(&unbalanced), Cow::Borrowed(_)));
        let stray = format!("a \" then {}", "long prose ".repeat(20));
        assert!(matches!(clip_within(&stray), Cow::Borrowed(_)));
    }

    #[test]
    fn visible_escapes_terminal_controls_and_keeps_layout_characters() {
        assert_eq!(visible("a\u{1b}[31mb\u{7}c\rd"), "a\\u{1b}[31mb\\u{7}c\\rd");
        assert_eq!(visible("x\u{202E}y\u{9b}"), "x\\u{202e}y\\u{9b}");
        assert_eq!(visible("line\nnext\tü"), "line\nnext\tü");
        assert!(matches!(visible("plain"), Cow::Borrowed(_)));
    }
}
