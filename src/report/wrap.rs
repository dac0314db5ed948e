//! How human output fits a terminal: the width to draw at, and where a line may break (at
//! spaces only, never inside a code span, a path, a URL or a rule id).

use std::io::IsTerminal;

use textwrap::core::Word;
use textwrap::{WordSeparator, WordSplitter};

/// The width when the output is not a terminal (a pipe, a file, a test) and `$COLUMNS` is
/// unset: fixed, so such output is the same everywhere.
pub const DEFAULT_WIDTH: usize = 100;

/// The narrowest width drawn at: below it miette's gutters and labels leave no room for text.
pub const MIN_WIDTH: usize = 40;

/// Where a human report goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    Stdout,
    Stderr,
    /// A file (`--output`): never a terminal.
    File,
}

/// The width to draw a report going to `destination` at: `$COLUMNS` when it is set to a
/// number, else the width of the terminal `destination` is, else [`DEFAULT_WIDTH`].
pub fn terminal_width(destination: Destination) -> usize {
    let columns = std::env::var("COLUMNS").ok();
    let terminal = match destination {
        Destination::Stdout if std::io::stdout().is_terminal() => {
            terminal_size::terminal_size_of(std::io::stdout())
        }
        Destination::Stderr if std::io::stderr().is_terminal() => {
            terminal_size::terminal_size_of(std::io::stderr())
        }
        _ => None,
    };
    choose_width(
        columns.as_deref(),
        terminal.map(|(width, _)| usize::from(width.0)),
    )
}

/// [`terminal_width`]'s choice, given `$COLUMNS` and the terminal's width: `$COLUMNS` wins
/// when it is a positive number (as with `ls` and ruff, so a script can ask for a width), then
/// the terminal; never below [`MIN_WIDTH`].
pub fn choose_width(columns: Option<&str>, terminal: Option<usize>) -> usize {
    let columns = columns
        .and_then(|text| text.trim().parse::<usize>().ok())
        .filter(|&n| n > 0);
    let terminal = terminal.filter(|&n| n > 0);
    columns.or(terminal).unwrap_or(DEFAULT_WIDTH).max(MIN_WIDTH)
}

/// Where lines of messages and help may break: at spaces outside backticks. textwrap's
/// defaults would also break after a `/` of a path or URL (Unicode line breaking), at the
/// hyphens of a rule id (its hyphen splitter), and inside any word longer than the line.
pub fn separator() -> WordSeparator {
    WordSeparator::Custom(words)
}

/// Never split a word (a rule id's hyphens are not break points).
pub fn splitter() -> WordSplitter {
    WordSplitter::NoHyphenation
}

/// The words of `line` with their trailing spaces: runs of non-spaces, where a backticked span
/// (which may hold spaces, as in `` `client_certificate_mode = "Required"` ``) stays inside its
/// word. A span opens at a backtick that starts a word (or follows an opening bracket or quote)
/// and closes at the next backtick that ends one (followed by a space, punctuation or the end),
/// so a backtick inside a quoted value (`` `name = "we`b"` ``) neither closes its span nor
/// pairs with the next span's opening one, splitting that span at its spaces. Colour codes
/// around a backtick do not count. A backtick that opens nothing is an ordinary character.
/// Leading spaces stay with the first word.
fn words(line: &str) -> Box<dyn Iterator<Item = Word<'_>> + '_> {
    let bytes = line.as_bytes();
    let mut start = 0;
    Box::new(std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let mut at = start;
        // A line's indentation belongs to its first word: as a word of its own it would let
        // the first break fall right after it, leaving a blank line (a nested snippet's
        // `╭─[path]` header moved under it, unindented).
        if start == 0 {
            while at < bytes.len() && bytes[at] == b' ' {
                at += 1;
            }
        }
        // The word itself.
        while at < bytes.len() && bytes[at] != b' ' {
            if bytes[at] == b'`'
                && opens(bytes, at)
                && let Some(close) = closing(bytes, at)
            {
                at = close + 1;
            } else {
                at += 1;
            }
        }
        // Its trailing spaces.
        while at < bytes.len() && bytes[at] == b' ' {
            at += 1;
        }
        // `at` only stops at an ASCII space, a backtick's successor or the end: char boundaries.
        let word = Word::from(&line[start..at]);
        start = at;
        Some(word)
    }))
}

/// Whether the backtick at `at` may open a span: at the start of a word, or after an opening
/// bracket or quote, colour codes aside.
fn opens(bytes: &[u8], at: usize) -> bool {
    match visible_before(bytes, at) {
        None => true,
        Some(byte) => b" ([{\"'".contains(&byte),
    }
}

/// The backtick closing the span the one at `open` opens: the next that ends a word (followed
/// by a space, punctuation or the end of the line, colour codes aside).
fn closing(bytes: &[u8], open: usize) -> Option<usize> {
    memchr::memchr_iter(b'`', &bytes[open + 1..])
        .map(|offset| open + 1 + offset)
        .find(|&close| match visible_after(bytes, close + 1) {
            None => true,
            Some(byte) => b" .,;:!?)]}\"'".contains(&byte),
        })
}

/// The last byte before `at` that is not part of an ANSI colour code (`ESC [ 1;31 m`).
fn visible_before(bytes: &[u8], mut at: usize) -> Option<u8> {
    loop {
        let before = &bytes[..at];
        let (&last, rest) = before.split_last()?;
        if !(0x40..=0x7E).contains(&last) {
            return Some(last);
        }
        let params = rest
            .iter()
            .rev()
            .take_while(|byte| (0x30..=0x3F).contains(*byte))
            .count();
        match rest[..rest.len() - params] {
            [.., 0x1B, b'['] => at = rest.len() - params - 2,
            _ => return Some(last),
        }
    }
}

/// The first byte from `at` on that is not part of an ANSI colour code.
fn visible_after(bytes: &[u8], mut at: usize) -> Option<u8> {
    while let [0x1B, b'[', rest @ ..] = &bytes[at.min(bytes.len())..] {
        let params = rest
            .iter()
            .take_while(|byte| (0x30..=0x3F).contains(*byte))
            .count();
        match rest.get(params) {
            Some(end) if (0x40..=0x7E).contains(end) => at += 2 + params + 1,
            _ => break,
        }
    }
    bytes.get(at).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str) -> Vec<&str> {
        words(line).map(|word| word.word).collect()
    }

    #[test]
    fn columns_wins_then_the_terminal_then_the_default() {
        assert_eq!(choose_width(Some("60"), Some(120)), 60);
        assert_eq!(choose_width(None, Some(120)), 120);
        assert_eq!(choose_width(None, None), DEFAULT_WIDTH);
        // Not a number, or zero: as if unset.
        assert_eq!(choose_width(Some("wide"), Some(90)), 90);
        assert_eq!(choose_width(Some("0"), None), DEFAULT_WIDTH);
        assert_eq!(choose_width(Some(""), Some(0)), DEFAULT_WIDTH);
        assert_eq!(choose_width(Some(" 72 "), None), 72);
    }

    #[test]
    fn widths_are_never_below_the_minimum() {
        assert_eq!(choose_width(Some("10"), None), MIN_WIDTH);
        assert_eq!(choose_width(None, Some(12)), MIN_WIDTH);
    }

    #[test]
    fn words_break_at_spaces_outside_backticks_only() {
        assert_eq!(
            split("set `client_certificate_mode = \"Required\"` on it"),
            [
                "set",
                "`client_certificate_mode = \"Required\"`",
                "on",
                "it"
            ]
        );
        assert_eq!(
            split("see https://example.com/a-b/c_d and client-cert-optional"),
            [
                "see",
                "https://example.com/a-b/c_d",
                "and",
                "client-cert-optional"
            ]
        );
        // A span glued to punctuation stays one word with it.
        assert_eq!(split("(`a b`), x"), ["(`a b`),", "x"]);
        // An unpaired backtick does not swallow the rest of the line.
        assert_eq!(split("a ` b c"), ["a", "`", "b", "c"]);
        assert_eq!(split("  lead  trail  "), ["  lead", "trail"]);
        assert_eq!(split("   "), [""]);
        assert_eq!(split(""), Vec::<&str>::new());
    }

    #[test]
    fn words_keep_their_trailing_spaces_and_cover_the_line() {
        let line = "müde `a  b`  c-d  ";
        let joined: String = words(line)
            .map(|word| format!("{}{}", word.word, word.whitespace))
            .collect();
        assert_eq!(joined, line);
    }

    #[test]
    fn wrapping_moves_whole_tokens_and_overflows_rather_than_breaking() {
        let options = textwrap::Options::new(20)
            .word_separator(separator())
            .word_splitter(splitter())
            .break_words(false);
        let text = "rule client-cert-optional-for-everything at `a b c d e f g` \
                    in /very/long/path/to/some/module/main.tf";
        let lines = textwrap::wrap(text, options);
        for token in [
            "client-cert-optional-for-everything",
            "`a b c d e f g`",
            "/very/long/path/to/some/module/main.tf",
        ] {
            assert!(
                lines.iter().any(|line| line.contains(token)),
                "{token} broken in {lines:#?}"
            );
        }
    }

    #[test]
    fn a_backtick_inside_a_quoted_value_splits_no_span() {
        // A template value with one backtick, quoted before another span: the old pairing took
        // `we` + `b" ` ... ` for spans and broke `mode = "Required"` at its spaces.
        assert_eq!(
            split("`name = \"we`b\"` is set; see `mode = \"Required\"` now"),
            [
                "`name = \"we`b\"`",
                "is",
                "set;",
                "see",
                "`mode = \"Required\"`",
                "now"
            ]
        );
        // A value ending in a backtick, and one that is only a backtick.
        assert_eq!(split("`a b``, then `c d`"), ["`a b``,", "then", "`c d`"]);
        assert_eq!(
            split("value ``` here `x y`"),
            ["value", "```", "here", "`x y`"]
        );
    }

    #[test]
    fn colour_codes_around_a_span_do_not_hide_its_backticks() {
        assert_eq!(
            split("see \x1b[1m`a b`\x1b[0m, then \x1b[36m\x1b[1m`c d`\x1b[0m"),
            [
                "see",
                "\x1b[1m`a b`\x1b[0m,",
                "then",
                "\x1b[36m\x1b[1m`c d`\x1b[0m"
            ]
        );
        // A colour code cut short at the end of the line is ordinary text.
        assert_eq!(split("`a b`\x1b["), ["`a", "b`\x1b["]);
        // Nor does one make a backtick inside a word open a span.
        assert_eq!(split("a\x1b[0m`b c`"), ["a\x1b[0m`b", "c`"]);
    }

    #[test]
    fn wide_characters_count_two_columns() {
        let options = || {
            textwrap::Options::new(8)
                .word_separator(separator())
                .word_splitter(splitter())
                .break_words(false)
        };
        // Counted one column each, two words (7 characters) would share a line of 8.
        assert_eq!(
            textwrap::wrap("日本語 日本語 日本語", options()),
            ["日本語", "日本語", "日本語"]
        );
        assert_eq!(
            textwrap::wrap("🙂🙂🙂 🙂🙂🙂", options()),
            ["🙂🙂🙂", "🙂🙂🙂"]
        );
        // Colour codes take no columns.
        assert_eq!(
            textwrap::wrap("\x1b[1mab\x1b[0m cd efg", options()),
            ["\x1b[1mab\x1b[0m cd", "efg"]
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 256,
            failure_persistence: None,
            ..Default::default()
        })]

        /// Any mix of backticks, colour codes, quotes and wide characters: the words cover
        /// the line exactly (so no slice ever fell inside a character).
        #[test]
        fn generated_lines_split_into_words_that_cover_them(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "`", " ", "  ", "\x1b[", "1;31m", "m", "é", "日", "🙂", "a", "\"", "(", ")",
                    ",", "\t",
                ]),
                0..24,
            )
        ) {
            let line = pieces.concat();
            let joined: String = words(&line)
                .map(|word| format!("{}{}", word.word, word.whitespace))
                .collect();
            proptest::prop_assert_eq!(joined, line);
        }
    }
}
