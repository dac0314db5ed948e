//! Line arithmetic and style facts read off a file's own text: line bounds, indentation, the
//! newline sequence, the indentation unit, and skipping whitespace and comments.

use std::borrow::Cow;

use crate::source::SourceFile;

/// Which comment syntax to skip: HCL also has `#` line comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comments {
    Hcl,
    Json,
}

/// A text's lines, by byte offset.
pub struct Lines<'a> {
    text: &'a str,
    starts: Cow<'a, [usize]>,
}

impl<'a> Lines<'a> {
    #[cfg(test)]
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        Lines {
            text,
            starts: Cow::Owned(starts),
        }
    }

    /// A loaded file's lines, from the index it already has: a fix per resource then costs
    /// no pass over the whole file.
    pub fn of(source: &'a SourceFile) -> Self {
        Lines {
            text: source.text(),
            starts: Cow::Borrowed(source.line_starts()),
        }
    }

    /// The 0-based line holding byte `pos`.
    pub fn line_of(&self, pos: usize) -> usize {
        self.starts.partition_point(|&start| start <= pos) - 1
    }

    pub fn start(&self, line: usize) -> usize {
        self.starts[line.min(self.starts.len() - 1)]
    }

    /// Where the line's content ends: at its `\r\n` or `\n`, or at the end of the text.
    pub fn end(&self, line: usize) -> usize {
        let next = self
            .starts
            .get(line + 1)
            .map_or(self.text.len(), |&next| next - 1);
        if next > self.start(line) && self.text.as_bytes().get(next - 1) == Some(&b'\r') {
            next - 1
        } else {
            next
        }
    }

    /// The start of the next line, when there is one.
    pub fn next_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line + 1).copied()
    }

    /// The line's text without its line ending.
    pub fn content(&self, line: usize) -> &'a str {
        &self.text[self.start(line)..self.end(line)]
    }

    /// The line's leading spaces and tabs.
    pub fn indent(&self, line: usize) -> &'a str {
        let content = self.content(line);
        let width = content.len() - content.trim_start_matches([' ', '\t']).len();
        &content[..width]
    }

    /// Whether only spaces and tabs precede `pos` on its line.
    pub fn starts_line(&self, pos: usize) -> bool {
        let start = self.start(self.line_of(pos));
        self.text
            .get(start..pos)
            .is_some_and(|before| before.bytes().all(|b| b == b' ' || b == b'\t'))
    }

    /// The line ending of `line` (`\r\n` or `\n`); for the last line, the file's own.
    pub fn newline(&self, line: usize) -> &'static str {
        match self.starts.get(line + 1) {
            Some(&next) if next >= 2 && self.text.as_bytes()[next - 2] == b'\r' => "\r\n",
            Some(_) => "\n",
            None => file_newline(self.text),
        }
    }

    /// Whether the text has no line break except, perhaps, a final one (minified JSON).
    pub fn single_line(&self) -> bool {
        self.starts.len() <= 1 || (self.starts.len() == 2 && self.starts[1] == self.text.len())
    }
}

/// The file's newline sequence: that of its first line, `\n` when it has one line.
pub fn file_newline(text: &str) -> &'static str {
    match memchr::memchr(b'\n', text.as_bytes()) {
        Some(at) if at > 0 && text.as_bytes()[at - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// One level of indentation as the file writes it: a tab when its first indented line starts
/// with one, else that line's spaces (two when no line is indented).
pub fn indent_unit(text: &str) -> String {
    // Line by line up to the first indented one, not an index of the whole file: this runs for
    // every inserted attribute.
    for line in text.split('\n') {
        let content = line.strip_suffix('\r').unwrap_or(line);
        let indent = &content[..content.len() - content.trim_start_matches([' ', '\t']).len()];
        if indent.len() < content.len() && !indent.is_empty() {
            if indent.starts_with('\t') {
                return "\t".into();
            }
            return indent.to_string();
        }
    }
    "  ".into()
}

/// The first byte at or after `pos` that is not whitespace or inside a comment.
pub fn skip_trivia(text: &str, mut pos: usize, comments: Comments) -> usize {
    let bytes = text.as_bytes();
    while pos < bytes.len() {
        match bytes[pos] {
            b' ' | b'\t' | b'\r' | b'\n' => pos += 1,
            b'#' if comments == Comments::Hcl => pos = line_comment_end(bytes, pos),
            b'/' if bytes.get(pos + 1) == Some(&b'/') => pos = line_comment_end(bytes, pos),
            b'/' if bytes.get(pos + 1) == Some(&b'*') => {
                // An unterminated comment is not trivia: stop at its start.
                match memchr::memmem::find(&bytes[pos + 2..], b"*/") {
                    Some(at) => pos += 2 + at + 2,
                    None => break,
                }
            }
            _ => break,
        }
    }
    pos
}

/// Whether `text[from..to]` holds only whitespace and comments that end inside it.
pub fn only_trivia(text: &str, from: usize, to: usize, comments: Comments) -> bool {
    from <= to && to <= text.len() && skip_trivia(&text[..to], from, comments) == to
}

fn line_comment_end(bytes: &[u8], pos: usize) -> usize {
    memchr::memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |at| pos + at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_know_their_bounds_endings_and_indentation() {
        let text = "a {\r\n\tb = 1\r\n}";
        let lines = Lines::new(text);
        assert_eq!(lines.line_of(0), 0);
        assert_eq!(lines.line_of(6), 1);
        assert_eq!(lines.content(1), "\tb = 1");
        assert_eq!(lines.indent(1), "\t");
        assert_eq!(lines.newline(0), "\r\n");
        assert_eq!(lines.newline(2), "\r\n");
        assert_eq!(lines.end(2), text.len());
        assert!(lines.starts_line(6));
        assert!(!lines.starts_line(7));
        assert!(!lines.single_line());
        assert!(Lines::new("{\"a\": 1}\n").single_line());
    }

    #[test]
    fn indent_unit_is_the_first_indentation() {
        assert_eq!(
            indent_unit("{\n    \"a\": {\n        \"b\": 1\n    }\n}"),
            "    "
        );
        assert_eq!(indent_unit("x {\n\t\ty = 1\n}"), "\t");
        assert_eq!(indent_unit("{}"), "  ");
    }

    #[test]
    fn trivia_is_whitespace_and_comments() {
        let text = "1 // c\n /* d */ , # e\n}";
        assert_eq!(&text[skip_trivia(text, 1, Comments::Json)..], ", # e\n}");
        assert_eq!(skip_trivia(text, 17, Comments::Hcl), text.len() - 1);
        assert!(only_trivia(text, 1, 15, Comments::Json));
        assert!(!only_trivia(text, 1, 17, Comments::Json));
        assert_eq!(skip_trivia("/* open", 0, Comments::Json), 0);
    }
}
