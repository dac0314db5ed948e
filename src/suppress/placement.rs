//! Which resource each suppression comment belongs to.
//!
//! A comment belongs to a resource when it sits on its own line(s) directly above the
//! resource's header (a run of consecutive comment lines counts, a blank line ends it), or
//! anywhere inside the resource's body. A comment directly above a nested resource (an ARM
//! child inside its parent's `resources`) belongs to that child only; a comment inside
//! several bodies belongs to the innermost. Each comment belongs to at most one resource.

use std::ops::Range;

use super::{Invalid, KicsScope, Kind, Suppression, comment::parse_comment};

/// Where one resource sits in its file, in bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResourceSpans {
    /// Where the declaration starts: HCL's `resource` keyword (or its labels), the ARM
    /// resource object's `{`. Only its line matters.
    pub header: Range<usize>,
    /// The block or object that holds its attributes.
    pub body: Range<usize>,
}

/// A suppression placed on a resource.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub suppression: Suppression,
    /// For KICS `ignore-line` (and `ignore-block` inside a body): the one 1-based line whose
    /// findings it covers, the line below the comment. `None`: the whole resource.
    pub only_line: Option<usize>,
}

impl Placed {
    /// A suppression that covers its whole resource (e.g. from ARM `metadata`).
    pub fn whole(suppression: Suppression) -> Self {
        Placed {
            suppression,
            only_line: None,
        }
    }
}

/// One file's suppressions, placed.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Attached {
    /// Per resource, in the order of the `resources` argument.
    pub per_resource: Vec<Vec<Placed>>,
    /// certgate directives that belong to no resource: they suppress nothing (report them as
    /// unused). Peers' directives that belong to no resource are dropped: they may be about
    /// resources certgate does not model.
    pub orphans: Vec<Suppression>,
    /// Malformed directives anywhere in the file (placed or not).
    pub invalid: Vec<Invalid>,
}

/// Places the suppressions of every comment (`comments`: byte spans, markers included) on
/// `resources`. Peers' syntaxes are read only when `honour_peers`.
pub fn attach(
    source: &str,
    comments: &[Range<usize>],
    resources: &[ResourceSpans],
    honour_peers: bool,
) -> Attached {
    let lines = LineIndex::new(source);
    let mut comments: Vec<Range<usize>> = comments.to_vec();
    comments.sort_by_key(|c| c.start);
    let mut owner_of: Vec<Option<usize>> = vec![None; comments.len()];
    // Runs of own-line comments directly above a header (innermost header wins, as it is
    // assigned last when headers are processed outermost first).
    let mut order: Vec<usize> = (0..resources.len()).collect();
    order.sort_by_key(|&r| std::cmp::Reverse(resources[r].body.len()));
    for &r in &order {
        let mut expected_end_line = lines.line_of(resources[r].header.start);
        for index in (0..comments.len()).rev() {
            let comment = &comments[index];
            if comment.start >= resources[r].header.start {
                continue;
            }
            let end_line = lines.end_line(comment);
            if end_line + 1 != expected_end_line && end_line != expected_end_line {
                if end_line < expected_end_line {
                    break;
                }
                continue;
            }
            if !lines.starts_own_line(source, comment.start) {
                break;
            }
            owner_of[index] = Some(r);
            expected_end_line = lines.line_of(comment.start);
        }
    }
    // Otherwise, the innermost body that contains the comment.
    for (index, comment) in comments.iter().enumerate() {
        if owner_of[index].is_none() {
            owner_of[index] = resources
                .iter()
                .enumerate()
                .filter(|(_, r)| r.body.start <= comment.start && comment.end <= r.body.end)
                .min_by_key(|(_, r)| r.body.len())
                .map(|(i, _)| i);
        }
    }
    let mut attached = Attached {
        per_resource: vec![Vec::new(); resources.len()],
        ..Attached::default()
    };
    for (index, comment) in comments.iter().enumerate() {
        for result in parse_comment(source, comment.clone()) {
            let kind = match &result {
                Ok(s) => s.kind,
                Err(invalid) => invalid.kind,
            };
            if kind.is_peer() && !honour_peers {
                continue;
            }
            let suppression = match result {
                Ok(s) => s,
                Err(invalid) => {
                    attached.invalid.push(invalid);
                    continue;
                }
            };
            let Some(r) = owner_of[index] else {
                if !kind.is_peer() {
                    attached.orphans.push(suppression);
                }
                continue;
            };
            let inside_body = resources[r].body.start <= comment.start;
            let only_line = match kind {
                Kind::Kics(KicsScope::Line) => Some(lines.end_line(comment) + 1),
                Kind::Kics(KicsScope::Block) if inside_body => Some(lines.end_line(comment) + 1),
                _ => None,
            };
            attached.per_resource[r].push(Placed {
                suppression,
                only_line,
            });
        }
    }
    attached
}

/// The suppressions that belong to one resource, when the caller looks at one at a time. It
/// cannot tell a nested child's comments from its parent's, nor report orphans: prefer
/// [`attach`] with every resource of the file.
#[cfg(test)]
pub fn for_resource(
    source: &str,
    comments: &[Range<usize>],
    resource: &ResourceSpans,
    honour_peers: bool,
) -> Vec<Placed> {
    let mut attached = attach(
        source,
        comments,
        std::slice::from_ref(resource),
        honour_peers,
    );
    attached.per_resource.pop().unwrap_or_default()
}

/// 1-based line numbers of byte offsets.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(source: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', source.as_bytes()).map(|i| i + 1))
            .collect();
        LineIndex { starts }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }

    /// The line of a span's last character.
    fn end_line(&self, span: &Range<usize>) -> usize {
        self.line_of(span.end.saturating_sub(1).max(span.start))
    }

    /// Whether only whitespace precedes `offset` on its line.
    fn starts_own_line(&self, source: &str, offset: usize) -> bool {
        let line_start = self.starts[self.line_of(offset) - 1];
        source
            .get(line_start..offset)
            .is_some_and(|before| before.trim().is_empty())
    }
}

#[cfg(test)]
mod tests;
