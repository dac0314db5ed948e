//! Errors about input files: a file that is ours but could not be read or parsed.
//!
//! These are not findings: they make the run fail (exit code 2) while other files are still scanned.

use std::path::PathBuf;

use crate::source::Span;

/// How much a file problem matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// The file is ours but could not be read or parsed: the run fails (exit code 2).
    Error,
    /// Information about something certgate could not follow (a remote module, a
    /// `templateLink`): shown, but the run does not fail because of it.
    Notice,
}

/// One file that could not be read or parsed (or a notice about it), with the position that
/// explains why.
#[derive(Debug, Clone, PartialEq)]
pub struct FileError {
    pub level: Level,
    /// The path as the user gave it.
    pub path: PathBuf,
    /// Where in the file, when the file was loaded (a read failure has no position).
    pub span: Option<Span>,
    pub message: String,
}

impl FileError {
    pub fn at(path: impl Into<PathBuf>, span: Span, message: impl Into<String>) -> Self {
        FileError {
            level: Level::Error,
            path: path.into(),
            span: Some(span),
            message: message.into(),
        }
    }

    pub fn unplaced(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        FileError {
            level: Level::Error,
            path: path.into(),
            span: None,
            message: message.into(),
        }
    }

    /// A notice: reported, but it does not fail the run.
    pub fn notice(
        path: impl Into<PathBuf>,
        span: Option<Span>,
        message: impl Into<String>,
    ) -> Self {
        FileError {
            level: Level::Notice,
            path: path.into(),
            span,
            message: message.into(),
        }
    }
}
