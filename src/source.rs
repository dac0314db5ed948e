//! Loaded source files: the text as read, the path as the user gave it, and offset → line/column.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The block size of [`SourceFile`]'s character index, in bytes.
const CHAR_BLOCK: usize = 1024;

/// The characters that start in `bytes` of UTF-8 text (every byte but continuation bytes), so
/// a block may begin or end inside a character.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// Index of a file in a [`SourceMap`].
pub type FileId = usize;

/// A byte range inside one loaded file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        Span {
            file,
            start: range.start,
            end: range.end,
        }
    }

    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// A 1-based line and a 1-based column counted in Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// One file's text. The text is valid UTF-8: files that are not are rejected when loaded.
#[derive(Debug)]
pub struct SourceFile {
    path: PathBuf,
    text: Arc<str>,
    /// Built on the first question about lines or columns: most files a scan loads hold no
    /// finding, no fix and no suppression, and the tables were about a third of the size of
    /// their texts (a tenth of the peak memory of a large scan).
    index: std::sync::OnceLock<LineIndex>,
    /// The file on disk starts with a UTF-8 byte order mark, which `text` leaves out: offsets
    /// are into `text`, and a fix writes the mark back.
    has_bom: bool,
}

/// Where a text's lines start, and where its characters are.
#[derive(Debug)]
struct LineIndex {
    /// The byte offsets where lines start: 0, then each offset just past a `\n`.
    line_starts: Box<[usize]>,
    /// For non-ASCII text: how many characters precede each [`CHAR_BLOCK`]-byte block, so a
    /// column costs at most one block's count however long its line is. Empty for ASCII
    /// text, where characters are bytes.
    chars_before_block: Box<[usize]>,
}

impl LineIndex {
    fn of(text: &str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        let chars_before_block = if text.is_ascii() {
            Box::default()
        } else {
            let mut before = 0;
            let mut table = Vec::with_capacity(text.len() / CHAR_BLOCK + 1);
            for block in text.as_bytes().chunks(CHAR_BLOCK) {
                table.push(before);
                before += count_chars(block);
            }
            table.push(before);
            table.into_boxed_slice()
        };
        LineIndex {
            line_starts,
            chars_before_block,
        }
    }
}

impl SourceFile {
    pub fn new(path: PathBuf, text: impl Into<Arc<str>>) -> Self {
        SourceFile {
            path,
            text: text.into(),
            index: std::sync::OnceLock::new(),
            has_bom: false,
        }
    }

    fn index(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::of(&self.text))
    }

    /// Records that the file on disk starts with a UTF-8 byte order mark.
    pub fn with_bom(mut self, has_bom: bool) -> Self {
        self.has_bom = has_bom;
        self
    }

    /// Whether the file on disk starts with a UTF-8 byte order mark (not part of [`Self::text`]).
    pub fn has_bom(&self) -> bool {
        self.has_bom
    }

    /// The path as the user gave it (relative stays relative).
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The byte offsets where lines start: 0, then each offset just past a `\n`.
    pub fn line_starts(&self) -> &[usize] {
        &self.index().line_starts
    }

    /// The bytes of the line holding `offset` (clamped to the text): from its first byte to
    /// just past its `\n`, or to the end of the text. A binary search, so a file of one very
    /// long line costs no more per lookup than any other.
    pub fn line_bounds(&self, offset: usize) -> Range<usize> {
        let offset = offset.min(self.text.len());
        let line_starts = self.line_starts();
        let line = line_starts.partition_point(|&start| start <= offset) - 1;
        let end = line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        line_starts[line]..end
    }

    /// Line and column of a byte offset; offsets past the end clamp to the end.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line_starts = self.line_starts();
        let line = line_starts.partition_point(|&start| start <= offset) - 1;
        let line_start = line_starts[line];
        // A span may start inside a multi-byte character only if a parser is wrong; round down.
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let column = self.chars_before(end) - self.chars_before(line_start) + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// How many characters precede byte `offset` (a character boundary) in the text.
    fn chars_before(&self, offset: usize) -> usize {
        let chars_before_block = &self.index().chars_before_block;
        if chars_before_block.is_empty() {
            return offset;
        }
        let block = offset / CHAR_BLOCK;
        let from = block * CHAR_BLOCK;
        chars_before_block[block] + count_chars(&self.text.as_bytes()[from..offset])
    }
}

/// Every file loaded during a scan, addressed by [`FileId`]. Files are added from parallel
/// workers, so ids depend on timing: output never shows them, only paths and positions.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: std::sync::RwLock<Vec<Arc<SourceFile>>>,
}

impl SourceMap {
    /// The files loaded so far, by id: a later scan that starts from them (see
    /// [`SourceMap::from`]) can take over spans into this map.
    pub fn snapshot(&self) -> Vec<Arc<SourceFile>> {
        self.files.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn add(&self, file: SourceFile) -> FileId {
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        files.push(Arc::new(file));
        files.len() - 1
    }

    pub fn get(&self, id: FileId) -> Arc<SourceFile> {
        self.files.read().unwrap_or_else(|e| e.into_inner())[id].clone()
    }

    pub fn len(&self) -> usize {
        self.files.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Start and end positions of a span.
    pub fn line_col(&self, span: Span) -> (LineCol, LineCol) {
        let file = self.get(span.file);
        (file.line_col(span.start), file.line_col(span.end))
    }
}

/// A map starting with the files of an earlier one's [`SourceMap::snapshot`], at the same ids.
impl From<Vec<Arc<SourceFile>>> for SourceMap {
    fn from(files: Vec<Arc<SourceFile>>) -> Self {
        SourceMap {
            files: std::sync::RwLock::new(files),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let file = SourceFile::new("a.tf".into(), "ab\né=x\n");
        assert_eq!(file.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(file.line_col(3), LineCol { line: 2, column: 1 });
        // 'é' is two bytes: '=' sits at byte 5 but is the second character.
        assert_eq!(file.line_col(5), LineCol { line: 2, column: 2 });
        assert_eq!(file.line_col(99), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn columns_on_long_non_ascii_lines_match_a_plain_character_count() {
        // Blocks of the character index start and end inside multi-byte characters here.
        let text = format!("a\n{}x{}\nb", "é€".repeat(1500), "ü".repeat(700));
        let file = SourceFile::new("a.tf".into(), text.as_str());
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            let line_start = text[..offset].rfind('\n').map_or(0, |at| at + 1);
            let column = text[line_start..offset].chars().count() + 1;
            assert_eq!(file.line_col(offset).column, column, "offset {offset}");
        }
        let x = text.find('x').unwrap();
        assert_eq!(file.line_bounds(x), 2..text.rfind('\n').unwrap() + 1);
        assert_eq!(file.line_bounds(text.len()), text.len() - 1..text.len());
        assert_eq!(file.line_bounds(0), 0..2);
    }
}
