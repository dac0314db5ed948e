//! What an insertion needs, whatever the syntax: the body, its members in this file, where the
//! new attributes go, and what they are.

use std::ops::Range;

use super::text::{Lines, indent_unit};

/// One attribute already in the body, in text offsets of the body's file.
#[derive(Debug, Clone)]
pub struct MemberAt {
    pub name: String,
    pub span: Range<usize>,
    pub value: Range<usize>,
}

/// Where new attributes go relative to the body's members (indices into `members`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// Right after this member: next to its sibling setting.
    After(usize),
    /// Right before this member.
    Before(usize),
    /// After the body's last member, or into an empty body.
    End,
}

/// A new value: a scalar as written, or an object of scalars (ARM's missing `properties`).
#[derive(Debug, Clone, PartialEq)]
pub enum NewText {
    Scalar(String),
    Object(Vec<(String, String)>),
}

/// An insertion to make into one body.
pub struct Request<'a> {
    pub text: &'a str,
    pub lines: &'a Lines<'a>,
    /// The body, `{` through `}`.
    pub body: Range<usize>,
    /// Its members written in this file, in source order.
    pub members: Vec<MemberAt>,
    pub at: At,
    pub new: Vec<(String, NewText)>,
}

/// A text edit in one file's text (byte offsets without a BOM).
pub type TextEdit = (Range<usize>, String);

impl Request<'_> {
    /// The member new attributes go next to, resolving [`At::End`].
    pub fn neighbour(&self) -> Option<(usize, bool)> {
        match self.at {
            At::After(i) => Some((i, true)),
            At::Before(i) => Some((i, false)),
            At::End => (!self.members.is_empty()).then(|| {
                let last = (0..self.members.len())
                    .max_by_key(|&i| self.members[i].span.end)
                    .unwrap_or(0);
                (last, true)
            }),
        }
    }

    /// One level of indentation inside an object body (JSON or Bicep): its members'
    /// indentation beyond the body's own line, else the file's first indentation.
    pub fn object_unit(&self) -> String {
        let lines = self.lines;
        let outer = lines.indent(lines.line_of(self.body.start));
        self.members
            .iter()
            .find(|m| lines.starts_line(m.span.start))
            .and_then(|m| {
                lines
                    .indent(lines.line_of(m.span.start))
                    .strip_prefix(outer)
                    .filter(|unit| !unit.is_empty())
                    .map(str::to_string)
            })
            .unwrap_or_else(|| indent_unit(self.text))
    }
}
