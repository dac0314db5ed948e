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
/// word. A backtick with no partner on the line is an ordinary character. Leading spaces stay
/// with the first word.
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
                && let Some(close) = memchr::memchr(b'`', &bytes[at + 1..])
            {
                at += close + 2;
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
}
