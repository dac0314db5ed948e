//! The source text a human diagnostic shows: the lines around a span, found directly, and
//! clipped to a window around the span on very long lines.
//!
//! miette's own source for a string scans the file from its start for every label, slow on a
//! 50 MB file, and shows whole lines: a minified template is one 50 MB line, and a label past
//! column 65 535 makes miette's formatting panic. [`Excerpt`] hands miette a slice of the text
//! that starts at most [`WINDOW`] bytes before the span and ends at most [`WINDOW`] bytes after
//! it; the slice's first line and column say where it starts, so miette's numbers stay right.
//! Columns count characters, as in every other output format.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::source::SourceFile;

/// How far before and after a span a snippet reaches on a long line, in bytes.
pub const WINDOW: usize = 80;
/// A line longer than this (in bytes) is shown clipped: its labels are drawn one at a time.
pub const LONG_LINE: usize = 2 * WINDOW;

/// A loaded file as miette reads it for one diagnostic.
#[derive(Debug, Clone)]
pub struct Excerpt {
    name: String,
    file: Arc<SourceFile>,
    /// The text with terminal controls replaced byte for byte (see [`shown_text`]), made
    /// on the first snippet that holds one.
    shown: std::sync::OnceLock<String>,
}

impl Excerpt {
    pub fn new(file: Arc<SourceFile>) -> Self {
        Excerpt {
            name: display_path(file.path()),
            file,
            shown: std::sync::OnceLock::new(),
        }
    }

    /// Whether the line holding `offset` is too long to show whole.
    pub fn on_long_line(&self, offset: usize) -> bool {
        self.file.line_bounds(offset).len() > LONG_LINE
    }

    /// `range` as a label draws it: on a long line, cut to the window after its start and to
    /// its own line, so the snippet can hold all of it.
    pub fn label_range(&self, range: Range<usize>) -> Range<usize> {
        if !self.on_long_line(range.start) {
            return range;
        }
        let end = range
            .end
            .min(range.start + WINDOW)
            .min(self.line_end(range.start));
        range.start..floor_boundary(self.file.text(), end).max(range.start)
    }
}

impl Excerpt {
    /// The offset where the line holding `offset` starts (from the file's line index: a
    /// search backwards would cross a whole long line for every label on it).
    fn line_start(&self, offset: usize) -> usize {
        self.file.line_bounds(offset).start
    }

    /// The offset just past the newline that ends the line holding `offset` (or the text's end).
    fn line_end(&self, offset: usize) -> usize {
        self.file.line_bounds(offset).end
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.file.text();
        let bytes = text.as_bytes();
        let start = span.offset();
        let end = start + span.len();
        if end > bytes.len() {
            return Err(MietteError::OutOfBounds);
        }
        let (from, to) = if before == 0 && after == 0 {
            (start, end)
        } else {
            // The span's own lines, clipped to the window where they are long; context lines
            // only when they are short enough to show whole.
            let mut from = self.line_start(start);
            if self.line_end(start) - from > LONG_LINE && start - from > WINDOW {
                from = ceil_boundary(text, start - WINDOW);
            } else {
                for _ in 0..before {
                    if from == 0 || from - self.line_start(from - 1) > LONG_LINE {
                        break;
                    }
                    from = self.line_start(from - 1);
                }
            }
            let last = if end > start { end - 1 } else { start };
            let mut to = self.line_end(last);
            if to - self.line_start(last) > LONG_LINE && to - end > WINDOW {
                to = floor_boundary(text, end + WINDOW);
            } else {
                for _ in 0..after {
                    if to >= bytes.len() || self.line_end(to) - to > LONG_LINE {
                        break;
                    }
                    to = self.line_end(to);
                }
            }
            (from, to)
        };
        let at = self.file.line_col(from);
        let mut snippet = &bytes[from..to];
        if unsafe_chars(&text[from..to]).next().is_some() {
            snippet = &self.shown.get_or_init(|| shown_text(text)).as_bytes()[from..to];
        }
        // miette merges the snippets of two labels when the first one's line plus this count
        // reaches the second one's line: its own sources count the lines up to the snippet's end.
        let line_count = self.file.line_col(to).line - 1;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            snippet,
            SourceSpan::new(from.into(), to - from),
            at.line - 1,
            at.column - 1,
            line_count,
        )))
    }
}

/// `text` as a snippet shows it: each character a terminal would act on (an escape sequence,
/// a lone carriage return, a bidirectional override; see [`crate::quote::is_unsafe`]) becomes
/// `?` (U+FFFD for a three-byte one), byte for byte, so every offset into the text still holds.
/// The CR of a CRLF line ending stays.
fn shown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (at, c) in unsafe_chars(text) {
        out.push_str(&text[copied..at]);
        match c.len_utf8() {
            3 => out.push('\u{FFFD}'),
            n => out.extend(std::iter::repeat_n('?', n)),
        }
        copied = at + c.len_utf8();
    }
    out.push_str(&text[copied..]);
    out
}

/// The characters [`shown_text`] replaces, with their offsets.
fn unsafe_chars(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    text.char_indices().filter(|&(at, c)| {
        crate::quote::is_unsafe(c) && !(c == '\r' && text.as_bytes().get(at + 1) == Some(&b'\n'))
    })
}

/// A path as a terminal shows it: control characters (a newline in a directory name, an
/// escape sequence) are written as Rust escapes, so one path stays on one line and cannot
/// drive the terminal.
pub fn display_path(path: &Path) -> String {
    display_text(&crate::paths::path_text(path))
}

/// Text naming a file (a path, or a unit named by its path) as a terminal shows it: control
/// characters written as Rust escapes, as [`display_path`] writes them.
pub fn display_text(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn ceil_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excerpt(text: &str) -> Excerpt {
        Excerpt::new(Arc::new(SourceFile::new("a/main.tf".into(), text)))
    }

    fn read(excerpt: &Excerpt, range: Range<usize>, context: usize) -> (String, usize, usize) {
        let span = SourceSpan::new(range.start.into(), range.len());
        let contents = excerpt.read_span(&span, context, context).unwrap();
        (
            String::from_utf8(contents.data().to_vec()).unwrap(),
            contents.line(),
            contents.column(),
        )
    }

    #[test]
    fn shown_text_replaces_terminal_controls_byte_for_byte_and_keeps_crlf() {
        let text = "a\u{1b}[1m\u{7}b\r\nc\rd\u{9b}e\u{202e}f\n";
        let shown = shown_text(text);
        assert_eq!(shown, "a?[1m?b\r\nc?d??e\u{FFFD}f\n");
        assert_eq!(shown.len(), text.len());
    }

    #[test]
    fn short_lines_come_whole_with_their_context_lines() {
        let text = "one\ntwo = 2\nthree\nfour\n";
        let e = excerpt(text);
        let at = text.find("2").unwrap();
        assert_eq!(
            read(&e, at..at + 1, 1),
            ("one\ntwo = 2\nthree\n".to_string(), 0, 0)
        );
        assert_eq!(read(&e, at..at + 1, 0), ("2".to_string(), 1, 6));
        let end = text.len();
        assert_eq!(read(&e, end..end, 1), ("four\n".to_string(), 3, 0));
    }

    #[test]
    fn long_lines_are_clipped_around_the_span_and_columns_count_characters() {
        let text = format!("x\n{}target{}\ny\n", "é".repeat(50_000), "a".repeat(50_000));
        let e = excerpt(&text);
        let at = text.find("target").unwrap();
        let (data, line, column) = read(&e, at..at + 6, 1);
        assert!(data.len() <= 2 * WINDOW + 6, "{}", data.len());
        assert!(data.contains("target"));
        assert_eq!(line, 1);
        assert_eq!(column, 50_000 - WINDOW / 2);
        assert_eq!(read(&e, at..at + 6, 0).2, 50_000);
        assert!(e.on_long_line(at));
        assert_eq!(e.label_range(at..text.len()), at..at + WINDOW);
        assert!(!e.on_long_line(0));
    }

    #[test]
    fn lines_up_to_the_limit_come_whole() {
        let line = format!("x = 1{}\n", " ".repeat(LONG_LINE - 6));
        let e = excerpt(&line);
        assert_eq!(read(&e, 4..5, 1).0, line);
    }

    #[test]
    fn long_context_lines_are_left_out() {
        let text = format!(
            "{}\nshort = 1\n{}\n",
            "a".repeat(10_000),
            "b".repeat(10_000)
        );
        let e = excerpt(&text);
        let at = text.find('1').unwrap();
        assert_eq!(read(&e, at..at + 1, 1), ("short = 1\n".to_string(), 1, 0));
    }

    #[test]
    fn control_characters_in_paths_are_escaped() {
        assert_eq!(
            display_path(Path::new("a b/ü/new\nline\u{1b}[31m.tf")),
            "a b/ü/new\\nline\\u{1b}[31m.tf"
        );
        assert_eq!(display_path(Path::new("plain/main.tf")), "plain/main.tf");
    }
}
