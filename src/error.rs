//! Errors about input files: a file that is ours but could not be read or parsed.
//!
//! These are not findings: they make the run fail (exit code 2) while other files are still scanned.

use std::path::PathBuf;

use crate::source::Span;

/// One file that could not be read or parsed, with the position that explains why.
#[derive(Debug, Clone, PartialEq)]
pub struct FileError {
    /// The path as the user gave it.
    pub path: PathBuf,
    /// Where in the file, when the file was loaded (a read failure has no position).
    pub span: Option<Span>,
    pub message: String,
}

impl FileError {
    pub fn at(path: impl Into<PathBuf>, span: Span, message: impl Into<String>) -> Self {
        FileError {
            path: path.into(),
            span: Some(span),
            message: message.into(),
        }
    }

    pub fn unplaced(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        FileError {
            path: path.into(),
            span: None,
            message: message.into(),
        }
    }
}
