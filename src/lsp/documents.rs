//! The documents the editor has open: their text as the editor holds it (saved or not),
//! keyed by normalised path, which is what every scan reads instead of the disk.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lsp_types::{TextDocumentContentChangeEvent, Uri};

use super::convert;
use crate::load::Overrides;
use crate::paths::normalize;

/// One open document.
#[derive(Debug, Clone)]
pub struct Document {
    pub uri: Uri,
    pub version: i32,
    pub text: String,
}

/// Every open document with a `file://` URI (others, such as untitled buffers, have no
/// directory to read a unit from, so they are not scanned).
#[derive(Debug, Default)]
pub struct Documents {
    by_path: BTreeMap<PathBuf, Document>,
}

impl Documents {
    /// Opens (or reopens) a document; returns its path, or `None` when it is not a local file.
    pub fn open(&mut self, uri: Uri, version: i32, text: String) -> Option<PathBuf> {
        let path = normalize(&convert::path_of(&uri)?);
        self.by_path
            .insert(path.clone(), Document { uri, version, text });
        Some(path)
    }

    /// Applies an editor's changes in order: a change without a range replaces the text.
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) -> Option<PathBuf> {
        let path = normalize(&convert::path_of(uri)?);
        let document = self.by_path.get_mut(&path)?;
        for change in changes {
            match change.range {
                Some(range) => {
                    let start = convert::offset(&document.text, range.start);
                    let end = convert::offset(&document.text, range.end).max(start);
                    document.text.replace_range(start..end, &change.text);
                }
                None => document.text = change.text,
            }
        }
        document.version = version;
        Some(path)
    }

    /// Closes a document; returns it so its diagnostics can be cleared.
    pub fn close(&mut self, uri: &Uri) -> Option<Document> {
        let path = normalize(&convert::path_of(uri)?);
        self.by_path.remove(&path)
    }

    pub fn get(&self, path: &Path) -> Option<&Document> {
        self.by_path.get(&normalize(path))
    }

    /// The open document a URI names.
    pub fn by_uri(&self, uri: &Uri) -> Option<(PathBuf, &Document)> {
        let path = normalize(&convert::path_of(uri)?);
        let document = self.by_path.get(&path)?;
        Some((path, document))
    }

    pub fn paths(&self) -> Vec<PathBuf> {
        self.by_path.keys().cloned().collect()
    }

    #[cfg(test)]
    pub fn iter(&self) -> impl Iterator<Item = (&PathBuf, &Document)> {
        self.by_path.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }

    /// The open texts, for the scan to read instead of the files on disk.
    pub fn overrides(&self) -> Overrides {
        self.by_path
            .iter()
            .map(|(path, document)| (path.clone(), document.text.clone()))
            .collect()
    }

    /// A file's text as the editor sees it: the open document, else the file on disk.
    pub fn text_of(&self, path: &Path) -> Option<String> {
        match self.get(path) {
            Some(document) => Some(document.text.clone()),
            None => {
                use crate::fs::FileSystem as _;
                let bytes = crate::fs::DiskFs::unbounded().read(path).ok()?;
                String::from_utf8(bytes).ok()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};
    use std::str::FromStr;

    #[test]
    fn ranged_and_full_changes_apply_in_order() {
        let mut documents = Documents::default();
        let uri = Uri::from_str("file:///tmp/x/main.tf").unwrap();
        documents.open(uri.clone(), 1, "a = 1\nb = 2\n".into());
        let path = documents
            .change(
                &uri,
                2,
                vec![TextDocumentContentChangeEvent {
                    range: Some(Range::new(Position::new(1, 4), Position::new(1, 5))),
                    range_length: None,
                    text: "true".into(),
                }],
            )
            .unwrap();
        assert_eq!(documents.get(&path).unwrap().text, "a = 1\nb = true\n");
        documents.change(
            &uri,
            3,
            vec![TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "c = 3\n".into(),
            }],
        );
        let document = documents.get(&path).unwrap();
        assert_eq!((document.version, document.text.as_str()), (3, "c = 3\n"));
        assert!(documents.close(&uri).is_some());
        assert!(documents.is_empty());
    }

    #[test]
    fn untitled_buffers_are_not_tracked() {
        let mut documents = Documents::default();
        let uri = Uri::from_str("untitled:Untitled-1").unwrap();
        assert_eq!(documents.open(uri, 1, String::new()), None);
        assert!(documents.is_empty());
    }
}
