//! One finding's fix: which settings must change (from the verdict and the type's control),
//! and for each whether to replace a literal at the attribute, change it where it came from,
//! or insert the attribute; then the edits, in the resource's own syntax.
//!
//! - `client-cert-disabled`: the enabled flag becomes `true`, and the mode `"Required"` when
//!   it would not be Required once enabled (function apps default to Optional); mode-only
//!   types get the mode `"Required"`.
//! - `client-cert-optional`: the mode becomes `"Required"`.
//! - Every other rule has no automatic fix.
//!
//! An expression at the attribute (or a reference whose origin is computed) is rewritten into
//! the literal only with `--unsafe-fixes` ([`Ctx::unsafe_fixes`]), and that fix is
//! [`Applicability::Unsafe`]; without it the reason names the option.

use super::insert::{At, MemberAt, NewText, Request, TextEdit};
use super::lang::{Lang, Literal, NewValue};
use super::origin::{self, OriginEdit, Refusal};
use super::text::Lines;
use super::{bicep, hcl, json};
use crate::diagnostic::{Applicability, UNSAFE_FIXES_FLAG};
use crate::model::{
    AnchorMember, CertControl, CertMode, FixAnchor, Placement, Resource, Syntax, Value,
};
use crate::rules::RuleId;
use crate::rules::state::{CertState, Setting};
use crate::source::{FileId, SourceMap, Span};

/// What the planner knows that the resource does not: the sources, and which files may be
/// edited (`Err` says why not).
pub struct Ctx<'a> {
    pub sources: &'a SourceMap,
    pub editable: &'a (dyn Fn(FileId) -> Result<(), String> + Sync),
    /// `--unsafe-fixes`: an expression may be replaced with the literal it should yield.
    pub unsafe_fixes: bool,
}

/// An edit in one loaded file's text (offsets without a BOM).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileEdit {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

/// A finding's fix before it is checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub edits: Vec<FileEdit>,
    pub description: String,
    /// The origin literals it changes: the origin step, the new text, and where it is (for
    /// messages). Other resources reading the same literal must agree.
    pub origins: Vec<(Span, String, String)>,
    /// [`Applicability::Unsafe`] when any of its edits replaces an expression.
    pub applicability: Applicability,
}

/// The fix for a declaration's finding: each failing instance's fix, which must all agree.
/// `Ok(None)`: the rule has no automatic fix.
pub fn candidate(ctx: &Ctx, group: &[Resource], rule: RuleId) -> Result<Option<Candidate>, String> {
    if !rule.rule().fixable {
        return Ok(None);
    }
    let mut found: Option<Candidate> = None;
    for resource in group {
        let Some((verdict, _)) = crate::rules::judge(resource) else {
            continue;
        };
        if !verdict.fixable {
            return Err(format!(
                "instance `{}` is {}, which has no automatic fix",
                resource.instance.as_deref().unwrap_or(&resource.address),
                verdict.id
            ));
        }
        let fix = for_resource(ctx, resource)?;
        match &found {
            Some(first) if first.edits != fix.edits => {
                return Err("its instances need different changes; fix them by hand".into());
            }
            Some(_) => {}
            None => found = Some(fix),
        }
    }
    found
        .map(Some)
        .ok_or_else(|| "no instance fails".to_string())
}

/// One change the fix makes.
enum Action {
    Replace {
        span: Span,
        text: String,
        shown: String,
    },
    AtOrigin(OriginEdit),
    /// The unsafe fix: the expression at the attribute replaced with the literal.
    Rewrite {
        span: Span,
        text: String,
        shown: String,
    },
    Insert {
        name: &'static str,
        new: NewValue,
    },
}

fn for_resource(ctx: &Ctx, resource: &Resource) -> Result<Candidate, String> {
    if let crate::model::Source::Deployed(_) = resource.source {
        return Err(
            "the site is deployed (read from an inventory export): `certgate remediate` prints \
             the commands that fix it"
                .into(),
        );
    }
    let lang = Lang::of_syntax(resource.syntax)
        .ok_or("certgate does not fix this syntax yet; the help says what to write")?;
    let anchor = resource.fix_anchor.as_ref().ok_or(
        "the finding is in a Terraform plan: fix the configuration and run `terraform plan` again",
    )?;
    let state = CertState::of(resource).ok_or("this resource type cannot be fixed in place")?;
    let attributes = resource.attributes;
    let mut wants: Vec<(&'static str, NewValue, Option<&Value>)> = Vec::new();
    let mode_wanted = |wants: &mut Vec<_>| -> Result<(), String> {
        let name = attributes.mode.ok_or("the type has no mode attribute")?;
        wants.push((name, NewValue::Required, resource.mode.as_ref()));
        Ok(())
    };
    match (&resource.control, state.enabled.known()) {
        (CertControl::EnabledAndMode { .. }, Some(false)) => {
            let name = attributes
                .enabled
                .ok_or("the type has no enabled attribute")?;
            wants.push((name, NewValue::True, resource.enabled.as_ref()));
            match &state.mode {
                Setting::Unresolved(_, why) => {
                    return Err(format!(
                        "once enabled, the mode would still be undecided ({why}); set it by hand"
                    ));
                }
                mode if mode.known() == Some(Some(CertMode::Required)) => {}
                _ => mode_wanted(&mut wants)?,
            }
        }
        _ => mode_wanted(&mut wants)?,
    }

    let mut actions = Vec::new();
    for (name, new, value) in wants {
        actions.push(action(ctx, resource, anchor, lang, name, new, value)?);
    }
    let mut edits = Vec::new();
    let mut shown = Vec::new();
    let mut origins = Vec::new();
    let mut inserts = Vec::new();
    let mut applicability = Applicability::ChangesBehaviour;
    for action in actions {
        if matches!(action, Action::Rewrite { .. }) {
            applicability = Applicability::Unsafe;
        }
        match action {
            Action::Rewrite {
                span,
                text,
                shown: s,
            }
            | Action::Replace {
                span,
                text,
                shown: s,
            } => {
                edits.push(FileEdit {
                    file: span.file,
                    start: span.start,
                    end: span.end,
                    replacement: text,
                });
                shown.push(s);
            }
            Action::AtOrigin(edit) => {
                shown.push(edit.description.clone());
                origins.push((edit.origin, edit.replacement.clone(), edit.place.clone()));
                edits.push(FileEdit {
                    file: edit.span.file,
                    start: edit.span.start,
                    end: edit.span.end,
                    replacement: edit.replacement,
                });
            }
            Action::Insert { name, new } => inserts.push((name, new)),
        }
    }
    if !inserts.is_empty() {
        for (name, new) in &inserts {
            shown.push(format!(
                "add `{}`",
                lang.assignment(name, &lang.spell(*new, None))
            ));
        }
        edits.extend(insert(ctx, resource, anchor, lang, &inserts)?);
    }
    edits.sort();
    Ok(Candidate {
        edits,
        description: shown.join(" and "),
        origins,
        applicability,
    })
}

/// How to make one attribute hold `new`.
fn action(
    ctx: &Ctx,
    resource: &Resource,
    anchor: &FixAnchor,
    lang: Lang,
    name: &'static str,
    new: NewValue,
    value: Option<&Value>,
) -> Result<Action, String> {
    let text = |span: Span| {
        let source = ctx.sources.get(span.file);
        source
            .text()
            .get(span.range())
            .unwrap_or_default()
            .to_string()
    };
    let Some(value) = value else {
        // Not set, or set to null: replace a literal null, else insert.
        return match same_name(resource, anchor, name) {
            Some(member) => {
                let written = text(member.value);
                if lang.literal(&written) != Some(Literal::Null) {
                    let why = format!("`{name}` is `{written}`, which resolves to null");
                    let hidden = format!(
                        "{why}; set it by hand, or pass {UNSAFE_FIXES_FLAG} to write the literal in its place"
                    );
                    let why = Refused {
                        hidden,
                        cannot: why,
                    };
                    return rewrite(ctx, lang, name, new, Some(member), &written, why);
                }
                (ctx.editable)(member.value.file)?;
                let replacement = lang.spell(new, None);
                Ok(Action::Replace {
                    span: member.value,
                    shown: format!("set `{}`", lang.assignment(name, &replacement)),
                    text: replacement,
                })
            }
            None => Ok(Action::Insert { name, new }),
        };
    };
    let member = anchor.members.iter().find(|m| m.span == value.span);
    let written = match member {
        Some(member) => text(member.value),
        None => {
            let whole = text(value.span);
            let part = lang.value_part(&whole).unwrap_or(0..whole.len());
            whole[part].to_string()
        }
    };
    // An expression at the attribute: only the unsafe fix replaces it.
    let expression = |member| {
        let why = format!(
            "`{name}` is computed by the expression `{}`",
            one_line(&written)
        );
        let place = origin::where_to_change(ctx, value);
        let hidden = format!(
            "{why}; certgate rewrites an expression into a literal only with {UNSAFE_FIXES_FLAG}{place}"
        );
        let cannot =
            format!("{why}; certgate does not rewrite an expression into a literal{place}");
        rewrite(
            ctx,
            lang,
            name,
            new,
            member,
            &written,
            Refused { hidden, cannot },
        )
    };
    if value.resolved_from().is_empty() {
        let literal = member.and_then(|_| lang.literal(&written));
        let (Some(member), Some(literal)) = (member, literal) else {
            return expression(member);
        };
        (ctx.editable)(member.value.file)?;
        let replacement = lang.spell(new, Some(&literal));
        return Ok(Action::Replace {
            span: member.value,
            shown: format!("set `{}`", lang.assignment(name, &replacement)),
            text: replacement,
        });
    }
    if !lang.is_plain_reference(&written) {
        return expression(member);
    }
    match origin::edit(ctx, value, new) {
        Ok(edit) => Ok(Action::AtOrigin(edit)),
        // A reference to a computed value: changing the reference is the unsafe fix.
        Err(Refusal::Computed(why)) => {
            let hidden = format!(
                "{why}, or pass {UNSAFE_FIXES_FLAG} to replace `{}` with the literal",
                one_line(&written)
            );
            let why = Refused {
                hidden,
                cannot: why,
            };
            rewrite(ctx, lang, name, new, member, &written, why)
        }
        Err(Refusal::Other(why)) => Err(why),
    }
}

/// Why an attribute has no safe fix.
struct Refused {
    /// Without `--unsafe-fixes`: names the option.
    hidden: String,
    /// When there is no unsafe fix either.
    cannot: String,
}

/// The unsafe fix for attribute `name`, whose value as written at `member` yields the failing
/// value: the literal in its place. Without `--unsafe-fixes` there is none (`why.hidden`);
/// nor when the value is not written at the attribute (a spread, a shared body: `why.cannot`).
fn rewrite(
    ctx: &Ctx,
    lang: Lang,
    name: &'static str,
    new: NewValue,
    member: Option<&AnchorMember>,
    written: &str,
    why: Refused,
) -> Result<Action, String> {
    let Some(member) = member else {
        return Err(why.cannot);
    };
    if !ctx.unsafe_fixes {
        return Err(why.hidden);
    }
    (ctx.editable)(member.value.file)?;
    let replacement = lang.spell(new, None);
    Ok(Action::Rewrite {
        span: member.value,
        shown: format!(
            "set `{}` in place of `{}`",
            lang.assignment(name, &replacement),
            one_line(written)
        ),
        text: replacement,
    })
}

/// The body's attribute called `name` (ARM names ignore case), the last one as readers do.
fn same_name<'a>(
    resource: &Resource,
    anchor: &'a FixAnchor,
    name: &str,
) -> Option<&'a AnchorMember> {
    anchor.members.iter().rev().find(|m| match resource.syntax {
        Syntax::ArmJson | Syntax::Bicep => m.name.eq_ignore_ascii_case(name),
        _ => m.name == name,
    })
}

/// Inserts the missing attributes next to their sibling setting, else after the last one.
fn insert(
    ctx: &Ctx,
    resource: &Resource,
    anchor: &FixAnchor,
    lang: Lang,
    inserts: &[(&'static str, NewValue)],
) -> Result<Vec<FileEdit>, String> {
    let file = anchor.body.file;
    (ctx.editable)(file)?;
    let source = ctx.sources.get(file);
    let text = source.text();
    let lines = Lines::of(&source);
    let members: Vec<MemberAt> = anchor
        .members
        .iter()
        .filter(|m| {
            m.span.file == file && anchor.body.start < m.span.start && m.span.end < anchor.body.end
        })
        .map(|m| MemberAt {
            name: m.name.clone(),
            span: m.span.range(),
            value: m.value.range(),
        })
        .collect();
    let position = |name: Option<&str>| {
        let name = name?;
        members.iter().rposition(|m| match resource.syntax {
            Syntax::ArmJson | Syntax::Bicep => m.name.eq_ignore_ascii_case(name),
            _ => m.name == name,
        })
    };
    let attributes = resource.attributes;
    let mut new: Vec<(String, NewText)> = inserts
        .iter()
        .map(|(name, value)| (name.to_string(), NewText::Scalar(lang.spell(*value, None))))
        .collect();
    let inserting = |name: Option<&str>| inserts.iter().any(|(n, _)| Some(*n) == name);
    let mut at = match (inserting(attributes.enabled), inserting(attributes.mode)) {
        (true, false) => position(attributes.mode).map_or(At::End, At::Before),
        (false, true) => position(attributes.enabled).map_or(At::End, At::After),
        _ => At::End,
    };
    match &anchor.placement {
        Placement::Body => {}
        Placement::NewObject(key) => {
            let inner = new
                .into_iter()
                .filter_map(|(name, value)| match value {
                    NewText::Scalar(value) => Some((name, value)),
                    NewText::Object(_) => None,
                })
                .collect();
            new = vec![(key.to_string(), NewText::Object(inner))];
            at = At::End;
        }
        Placement::Unavailable(why) => return Err(why.clone()),
    }
    let request = Request {
        text,
        lines: &lines,
        body: anchor.body.range(),
        members,
        at,
        new,
    };
    let edits: Vec<TextEdit> = match lang {
        Lang::Hcl => hcl::insert(&request)?,
        Lang::Json => json::insert(&request)?,
        Lang::Bicep => bicep::insert(&request)?,
    };
    Ok(edits
        .into_iter()
        .map(|(range, replacement)| FileEdit {
            file,
            start: range.start,
            end: range.end,
            replacement,
        })
        .collect())
}

/// Expression text on one line, shortened for a message.
pub fn one_line(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.chars().count() > 60 {
        format!("{}…", joined.chars().take(59).collect::<String>())
    } else {
        joined
    }
}
