//! Fixing a value where it was written: the first step of its origin (a variable default, a
//! tfvars entry, a module input, a parameter default, a parameter-file value).
//!
//! The change goes there only when that step is a plain literal holding exactly the resolved
//! value, and no later step is itself a literal (the value would then be computed from
//! several). The front end marks each step's kind and the span of its literal
//! ([`crate::model::Origin`]); only whether a string literal is plain is read from the text.
//! Whether other resources read the same literal is the planner's check ([`super::plan`]):
//! they must all need the same new value.

use super::lang::{Lang, NewValue};
use super::resource::Ctx;
use crate::model::{OriginKind, Value};
use crate::source::Span;

/// The change at a value's origin.
#[derive(Debug, Clone)]
pub struct OriginEdit {
    /// The origin step (whole `key = value`), as other values' origins name it.
    pub origin: Span,
    /// The literal value inside it.
    pub span: Span,
    pub replacement: String,
    pub description: String,
    /// Where it is, e.g. "default of variable `mtls` (variables.tf:3)".
    pub place: String,
}

/// Why a value cannot be changed where it came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// It is computed there (not a plain literal, or combined from several places): only
    /// replacing the reference at the attribute, an unsafe fix, would make it pass.
    Computed(String),
    /// Anything else (the origin cannot be edited, is a command-line value, …).
    Other(String),
}

/// The edit at `value`'s first origin that makes it `new`, or why there is none.
pub fn edit(ctx: &Ctx, value: &Value, new: NewValue) -> Result<OriginEdit, Refusal> {
    let first = value
        .resolved_from()
        .first()
        .ok_or_else(|| Refusal::Other("the value has no origin to change".into()))?;
    let place = describe(ctx, first.span, &first.note);
    let file = ctx.sources.get(first.span.file);
    let lang = Lang::of_path(file.path())
        .ok_or_else(|| Refusal::Other(format!("the value comes from {place}; change it there")))?;
    (ctx.editable)(first.span.file).map_err(|why| {
        Refusal::Other(format!(
            "the value comes from {place}, but {why}; change it there"
        ))
    })?;
    let text = file.text().get(first.span.range()).unwrap_or_default();
    let computed = || {
        Refusal::Computed(format!(
            "the value comes from {place}, where it is not written as a plain literal; change it there"
        ))
    };
    // The front end says where the literal is; only whether a string literal is plain (no
    // escapes, no interpolation, not an ARM expression) is read from the text here.
    let range = first
        .literal
        .and_then(|literal| within(first.span, literal))
        .ok_or_else(computed)?;
    let written = text.get(range.clone()).ok_or_else(computed)?;
    let literal = match lang.literal(written) {
        Some(literal) if literal.is(&value.data) => literal,
        // A literal, but not the value: something between it and the attribute computes.
        Some(_) => {
            return Err(Refusal::Computed(format!(
                "the value is computed from {place}; change it by hand"
            )));
        }
        None => return Err(computed()),
    };
    for hop in &value.resolved_from()[1..] {
        // A parameter's declaration is a hop when a parameter file or a caller set it: its
        // default was overridden, not combined.
        if hop.kind == OriginKind::Declaration {
            continue;
        }
        let hop_file = ctx.sources.get(hop.span.file);
        let Some(hop_lang) = Lang::of_path(hop_file.path()) else {
            continue;
        };
        let is_literal = hop
            .literal
            .and_then(|literal| hop_file.text().get(literal.range()))
            .is_some_and(|hop_text| hop_lang.literal(hop_text).is_some());
        if is_literal {
            return Err(Refusal::Computed(format!(
                "the value is computed from several places ({place} and {}); change it by hand",
                describe(ctx, hop.span, &hop.note)
            )));
        }
    }
    let replacement = lang.spell(new, Some(&literal));
    let start = first.span.start + range.start;
    let after = format!(
        "{}{replacement}{}",
        &text[..range.start],
        &text[range.end..]
    );
    Ok(OriginEdit {
        origin: first.span,
        span: Span::new(first.span.file, start..start + range.len()),
        description: format!("set `{}` at {place}", super::resource::one_line(&after)),
        replacement,
        place,
    })
}

/// `literal`'s range inside the step `span`, when it lies there (the front end's spans
/// should always agree; if not, nothing is edited).
fn within(span: Span, literal: Span) -> Option<std::ops::Range<usize>> {
    let inside =
        literal.file == span.file && span.start <= literal.start && literal.end <= span.end;
    inside.then(|| literal.start - span.start..literal.end - span.start)
}

/// `default of variable `mtls` (variables.tf:3)`.
pub fn describe(ctx: &Ctx, span: Span, note: &str) -> String {
    let file = ctx.sources.get(span.file);
    let at = file.line_col(span.start);
    format!(
        "{note} ({}:{})",
        crate::paths::path_text(file.path()),
        at.line
    )
}

/// `; the value comes from …, so change it there` for a help text, or nothing.
pub fn where_to_change(ctx: &Ctx, value: &Value) -> String {
    value
        .resolved_from()
        .first()
        .map_or(String::new(), |first| {
            format!(
                "; the value comes from {}",
                describe(ctx, first.span, &first.note)
            )
        })
}
