//! Positions and names between certgate and LSP: byte offsets into a text become LSP's
//! 0-based lines and UTF-16 columns, and paths become `file://` URIs and back.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{Position, Range, Uri};

use crate::source::{SourceMap, Span};

const BOM: char = '\u{feff}';

/// The LSP position of byte `offset` in `text` (clamped to the text, rounded down to a
/// character boundary). LSP counts columns in UTF-16 code units unless told otherwise.
pub fn position(text: &str, offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let line = memchr::memchr_iter(b'\n', before.as_bytes()).count();
    let character = before[line_start..].encode_utf16().count();
    Position::new(saturate(line), saturate(character))
}

/// The byte offset of an LSP position in `text`: the inverse of [`position`]. Positions past
/// a line's end mean its end, and lines past the text's end mean the end (as LSP asks).
pub fn offset(text: &str, at: Position) -> usize {
    let mut line_start = 0;
    for _ in 0..at.line {
        match memchr::memchr(b'\n', &text.as_bytes()[line_start..]) {
            Some(newline) => line_start += newline + 1,
            None => return text.len(),
        }
    }
    let line_end = memchr::memchr(b'\n', &text.as_bytes()[line_start..])
        .map_or(text.len(), |newline| line_start + newline);
    let mut units = 0;
    for (index, character) in text[line_start..line_end].char_indices() {
        if units >= at.character as usize {
            return line_start + index;
        }
        units += character.len_utf16();
    }
    line_end
}

/// The LSP range of a span of a loaded file (whose text leaves a byte order mark out, as
/// editors do).
pub fn span_range(sources: &SourceMap, span: Span) -> (PathBuf, Range) {
    let file = sources.get(span.file);
    let text = file.text();
    (
        file.path().to_path_buf(),
        Range::new(position(text, span.start), position(text, span.end)),
    )
}

/// The LSP range of bytes `start..end` of a file's text as on disk, byte order mark
/// included: editors do not show the mark, so positions are counted without it.
pub fn disk_range(text: &str, start: usize, end: usize) -> Range {
    match text.strip_prefix(BOM) {
        Some(rest) => {
            let skip = BOM.len_utf8();
            Range::new(
                position(rest, start.saturating_sub(skip)),
                position(rest, end.saturating_sub(skip)),
            )
        }
        None => Range::new(position(text, start), position(text, end)),
    }
}

/// The local path a `file://` URI names; `None` for other schemes.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    url::Url::parse(uri.as_str()).ok()?.to_file_path().ok()
}

/// The `file://` URI of an absolute path.
pub fn uri_of(path: &Path) -> Option<Uri> {
    let url = url::Url::from_file_path(path).ok()?;
    Uri::from_str(url.as_str()).ok()
}

/// Whether two ranges share a position (touching counts: a cursor at a range's end is in it).
pub fn touches(a: &Range, b: &Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

fn saturate(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_utf16_code_units() {
        let text = "a = \"é😀\"\nbb";
        // `"` after the emoji: 4 + 1 (quote) + 1 (é) + 2 (😀, a surrogate pair).
        let quote = text.rfind('"').unwrap();
        assert_eq!(position(text, quote), Position::new(0, 8));
        assert_eq!(position(text, text.len()), Position::new(1, 2));
        assert_eq!(offset(text, Position::new(0, 8)), quote);
        assert_eq!(offset(text, Position::new(1, 1)), text.len() - 1);
    }

    #[test]
    fn positions_past_the_end_clamp() {
        let text = "ab\ncd";
        assert_eq!(offset(text, Position::new(0, 99)), 2);
        assert_eq!(offset(text, Position::new(7, 0)), text.len());
        assert_eq!(position(text, 99), Position::new(1, 2));
    }

    #[test]
    fn a_byte_order_mark_is_not_counted() {
        let text = "\u{feff}x = 1\n";
        // Bytes 3..4 are `x` on disk: the first character the editor shows.
        assert_eq!(
            disk_range(text, 3, 4),
            Range::new(Position::new(0, 0), Position::new(0, 1))
        );
    }

    #[test]
    fn file_uris_round_trip_with_spaces_and_unicode() {
        // An absolute path as this OS writes one: Windows needs a drive.
        let (path, expected) = if cfg!(windows) {
            (r"C:\tmp\a dir\ü.tf", "file:///C:/tmp/a%20dir/%C3%BC.tf")
        } else {
            ("/tmp/a dir/ü.tf", "file:///tmp/a%20dir/%C3%BC.tf")
        };
        let path = Path::new(path);
        let uri = uri_of(path).unwrap();
        assert_eq!(uri.as_str(), expected);
        assert_eq!(path_of(&uri).unwrap(), path);
        assert_eq!(
            path_of(&Uri::from_str("untitled:Untitled-1").unwrap()),
            None
        );
    }
}
