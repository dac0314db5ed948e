//! Property and index access: following `.name` / `[index]` into object and array literals
//! as far as they are written (so an origin points at the exact member, spreads honoured: the
//! last member or spread that sets a key wins), and reading accesses from computed values,
//! with `.?` / `[?…]` giving null where a plain access would be unknown.

use crate::source::Span;
use crate::value::{Traced, Val};

use super::ast::{Expr, ExprKind, ObjectMember};
use super::eval::{Env, Step, unknown};
use crate::value::Key;

/// A value reached by following accesses into written literals.
pub struct Followed {
    pub traced: Traced,
    /// The deepest `key: value` member (or array item) reached, if any.
    pub member: Option<Span>,
    /// The accesses walked to get there, e.g. `mtls.mode` or `[1]`.
    pub path: String,
    /// The value written at that member (or the whole value), when it is one scalar literal.
    pub literal: Option<Span>,
}

/// One step of following an access into a written value.
enum Literal<'e> {
    /// The member or item the access selects.
    Into(&'e Expr, Span, String),
    /// The access is decided by this sub-expression (a spread, parentheses).
    Redirect(&'e Expr),
    /// The literal has no such member: why.
    Absent(String),
    /// Not a literal: evaluate it.
    Opaque,
}

impl Env<'_> {
    /// Follows `steps` into `expr` as far as it is a written object or array literal, then
    /// evaluates the rest. `what` names `expr` in messages (`variable `settings``).
    pub fn follow(&self, expr: &Expr, steps: &[Step], what: &str) -> Followed {
        let mut node = expr;
        // The value as written at the member reached, before any parentheses are looked
        // through: `(false)` is not one literal to change.
        let mut written = expr;
        let mut member = None;
        let mut path = String::new();
        let mut taken = 0;
        while let Some(step) = steps.get(taken) {
            let last = taken + 1 == steps.len();
            match self.literal_step(node, step, last) {
                Literal::Into(next, span, text) => {
                    node = next;
                    written = next;
                    member = Some(span);
                    path.push_str(&text);
                    taken += 1;
                }
                // A sub-expression: the tree gets smaller, so this ends.
                Literal::Redirect(next) => node = next,
                Literal::Absent(problem) => {
                    let traced = if step.safe {
                        Traced::here(Val::Null)
                    } else {
                        let shown = path.strip_prefix('.').unwrap_or(&path);
                        let subject = if shown.is_empty() {
                            what.to_string()
                        } else {
                            format!("`{shown}` in {what}")
                        };
                        unknown(format!("{subject} {problem}"))
                    };
                    return Followed {
                        traced,
                        member,
                        path: shown_path(path),
                        literal: scalar_span(written),
                    };
                }
                Literal::Opaque => break,
            }
        }
        let rest = &steps[taken..];
        let subject = || {
            let shown = path.strip_prefix('.').unwrap_or(&path);
            if shown.is_empty() {
                what.to_string()
            } else {
                format!("`{shown}` in {what}")
            }
        };
        // A literal that cannot be followed further (spreads, computed keys) is built whole.
        let traced = match &node.kind {
            ExprKind::Object(object) if !rest.is_empty() => {
                apply_steps(self.object(object), rest, &subject())
            }
            ExprKind::Array(items) if !rest.is_empty() => {
                apply_steps(self.array(items), rest, &subject())
            }
            _ => self.at(node, rest),
        };
        Followed {
            traced,
            member,
            path: shown_path(path),
            literal: scalar_span(written),
        }
    }

    /// `last`: `step` is the last access (a `union()` argument then decides the value alone;
    /// deeper accesses read the merged value, as ARM merges nested objects).
    fn literal_step<'e>(&self, node: &'e Expr, step: &Step, last: bool) -> Literal<'e> {
        match (&node.kind, &step.key) {
            (ExprKind::Paren(inner) | ExprKind::NonNull(inner), _) => Literal::Redirect(inner),
            // The branch a known condition picks, so the origin is the member it writes.
            (
                ExprKind::Ternary {
                    condition,
                    then,
                    otherwise,
                },
                _,
            ) => self.branch(condition, then, otherwise),
            (ExprKind::Call { target, name, args }, key)
                if self.is_builtin(target.as_deref(), name) =>
            {
                match (
                    name.name.to_ascii_lowercase().as_str(),
                    args.as_slice(),
                    key,
                ) {
                    ("if", [condition, then, otherwise], _) => {
                        self.branch(condition, then, otherwise)
                    }
                    ("union", [_, ..], Key::Name(wanted)) if last => {
                        for arg in args.iter().rev() {
                            match self.has(arg, wanted) {
                                super::select::Has::No => {}
                                super::select::Has::Yes => return Literal::Redirect(arg),
                                super::select::Has::Unknown(_) => return Literal::Opaque,
                            }
                        }
                        Literal::Opaque
                    }
                    _ => Literal::Opaque,
                }
            }
            (ExprKind::Object(object), Key::Name(wanted)) => {
                for member in object.members.iter().rev() {
                    match member {
                        ObjectMember::Property(property) => match property.key.text() {
                            Some(key) if key.eq_ignore_ascii_case(wanted) => {
                                return Literal::Into(
                                    &property.value,
                                    property.span,
                                    format!(".{key}"),
                                );
                            }
                            Some(_) => {}
                            // An interpolated key may be the one wanted.
                            None => return Literal::Opaque,
                        },
                        // Decided from the spread's syntax where it can be: a spread whose
                        // other members are unknown still tells whether it sets `wanted`.
                        ObjectMember::Spread { value, .. } => match self.has(value, wanted) {
                            super::select::Has::No => {}
                            _ => return Literal::Redirect(value),
                        },
                        ObjectMember::Resource(_) => {}
                        ObjectMember::Broken(broken) => {
                            if broken.may_set(wanted) {
                                return Literal::Opaque;
                            }
                        }
                    }
                }
                Literal::Absent(format!("has no property `{wanted}`"))
            }
            (ExprKind::Array(items), Key::Index(index)) => {
                if items.iter().any(|item| item.spread) {
                    return Literal::Opaque;
                }
                match usize::try_from(*index).ok().and_then(|i| items.get(i)) {
                    Some(item) => Literal::Into(&item.value, item.span, format!("[{index}]")),
                    None => {
                        Literal::Absent(format!("has no index [{index}] (length {})", items.len()))
                    }
                }
            }
            _ => Literal::Opaque,
        }
    }
}

impl Env<'_> {
    /// `c ? a : b` with a known condition: its branch; else evaluated.
    fn branch<'e>(&self, condition: &Expr, then: &'e Expr, otherwise: &'e Expr) -> Literal<'e> {
        match self.eval(condition).val {
            Val::Bool(true) => Literal::Redirect(then),
            Val::Bool(false) => Literal::Redirect(otherwise),
            _ => Literal::Opaque,
        }
    }
}

/// The span of `expr` when it is one scalar literal (a string may still be interpolated: the
/// fixer checks).
pub fn scalar_span(expr: &Expr) -> Option<Span> {
    match expr.kind {
        ExprKind::Null | ExprKind::Bool(_) | ExprKind::Int(_) | ExprKind::String(_) => {
            Some(expr.span)
        }
        _ => None,
    }
}

fn shown_path(path: String) -> String {
    match path.strip_prefix('.') {
        Some(stripped) => stripped.to_string(),
        None => path,
    }
}

/// Reads `steps` from a traced value; the origin stays the value's. `what` names the value in
/// messages.
pub fn apply_steps(mut traced: Traced, steps: &[Step], what: &str) -> Traced {
    let mut path = String::new();
    for step in steps {
        let next = match (&traced.val, &step.key) {
            (Val::Unknown(_), _) => return traced,
            (Val::Null, _) if step.safe => return Traced::here(Val::Null),
            (Val::Object(_), Key::Name(name)) => traced.val.get_ignore_case(name).cloned(),
            (Val::List(items), Key::Index(i)) => {
                usize::try_from(*i).ok().and_then(|i| items.get(i)).cloned()
            }
            _ => None,
        };
        match next {
            Some(val) => {
                traced.val = val;
                path.push_str(&step.text());
            }
            None if step.safe => {
                traced.val = Val::Null;
                return traced;
            }
            None => {
                let text = step.text();
                let problem = match (&traced.val, &step.key) {
                    (Val::Object(_), Key::Name(name)) => format!("has no property `{name}`"),
                    (Val::List(items), Key::Index(_)) => {
                        format!("has no index {text} (length {})", items.len())
                    }
                    (val, _) => format!("is a {}, so `{text}` cannot be read", val.type_name()),
                };
                let subject = if path.is_empty() {
                    what.to_string()
                } else {
                    format!("`{}` of {what}", shown_path(path))
                };
                traced.val = Val::unknown(format!("{subject} {problem}"));
                return traced;
            }
        }
    }
    traced
}
