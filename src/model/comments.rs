//! The comments a front end recorded while reading the files that hold a resource, so inline
//! exceptions are read without lexing those files again.

use std::collections::HashSet;
use std::ops::Range;

use super::{Resource, Syntax, UnitScan};
use crate::source::FileId;

/// The comments of one file that holds a resource.
#[derive(Debug, Clone, PartialEq)]
pub struct FileComments {
    pub file: FileId,
    pub comments: Comments,
}

/// A file's comments, in the form its syntax places them.
#[derive(Debug, Clone, PartialEq)]
pub enum Comments {
    /// `#`, `//` and `/* */` comments (Terraform native syntax, Bicep, ARM JSON), placed by
    /// lines: each range covers the markers and, for a line comment, ends before the newline.
    Lines(Vec<Range<usize>>),
    /// The strings of a `.tf.json` file's `"//"` properties, placed by the JSON structure.
    JsonProperties(Vec<JsonProperty>),
}

/// One string of a `.tf.json` `"//"` comment property (an array value gives one per string),
/// recorded in document order.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonProperty {
    /// The string literal, quotes included.
    pub span: Range<usize>,
    /// The string's decoded value.
    pub text: String,
    /// The key of the first member after the run of `"//"` properties this one belongs to, in
    /// the same object (the JSON form of "the line below"); `None` when the run ends the object.
    pub before: Option<Range<usize>>,
}

impl UnitScan {
    /// Records the comments of each file holding a resource's suppression anchor that has
    /// none recorded yet; `read` gives them (`None`: nothing to record).
    pub fn record_comments(&mut self, read: impl FnMut(FileId, Syntax) -> Option<Comments>) {
        record(&self.resources, &mut self.comments, read);
    }
}

/// Records in `into` the comments of each file holding one of `resources`' suppression anchors,
/// once per file; `read` gives them (`None`: nothing to record).
pub fn record(
    resources: &[Resource],
    into: &mut Vec<FileComments>,
    mut read: impl FnMut(FileId, Syntax) -> Option<Comments>,
) {
    let mut seen: HashSet<FileId> = into.iter().map(|c| c.file).collect();
    for resource in resources {
        let Some(anchor) = &resource.suppression_anchor else {
            continue;
        };
        let file = anchor.header.file;
        if !seen.insert(file) {
            continue;
        }
        if let Some(comments) = read(file, resource.syntax) {
            into.push(FileComments { file, comments });
        }
    }
}
