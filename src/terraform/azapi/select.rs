//! Reads one property out of an AzAPI `body` without evaluating the whole body: the AVM body
//! is a hundred lines of `siteConfig` nobody needs, some of it unknown until apply.
//!
//! The walk follows the syntax: object constructors (exact key first, then ASCII-insensitive,
//! as ARM property names are), parentheses, `local.NAME`, `jsonencode(X)` (azapi 1.x bodies),
//! `merge(a, b, …)` last argument first (a key written in a later argument wins even when an
//! earlier one is unknown), and conditionals (a known condition picks a branch; an unknown one
//! reads both, equal results count as one). Anything else is evaluated and its value walked;
//! a string value (a `jsondecode`d or heredoc body) is parsed as JSON first.

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey};

use crate::json::{Json, JsonKind};
use crate::model::{AnchorMember, FixAnchor, Placement};
use crate::source::{FileId, Span};
use crate::terraform::eval::{Env, eval, eval_attr};
use crate::terraform::instance::ModuleScope;
use crate::terraform::syntax::{Attribute, AttributeExpr};
use crate::value::{Traced, Val};

/// How many `local.NAME` hops the syntactic walk follows before it evaluates instead.
const MAX_HOPS: usize = 32;

/// Where a missing property would be written, for `--fix`: an object literal, or why not.
pub(crate) type Anchor = Result<FixAnchor, String>;

/// What a body says about one property path.
#[derive(Debug, Clone)]
pub(crate) enum Selected {
    /// Written: its value (null included), the span of the member (or attribute) that writes
    /// it, and the object it is a member of.
    Found {
        value: Traced,
        span: Span,
        anchor: Anchor,
    },
    /// Not in the body: where it would go.
    Absent { anchor: Anchor },
    /// Cannot be known before apply; the reason and where.
    Unknown(String, Span),
}

/// Reads `path` out of the attribute `body` of a block evaluated in `env`.
pub(crate) fn select(body: &Attribute, path: &[&str], scope: &ModuleScope, env: &Env) -> Selected {
    let walk = Walk { scope, env };
    match &body.expr {
        AttributeExpr::Hcl(expr) => walk.hcl(expr, body.span.file, body.span, path, 0),
        AttributeExpr::Json(json) => walk.json(json, body.span.file, body.span, path),
        AttributeExpr::JsonLiteral(json) => {
            walk.value(Traced::here(Val::from_json(json)), body.span, path)
        }
    }
}

struct Walk<'s, 'e> {
    scope: &'s ModuleScope<'s>,
    env: &'e Env<'e>,
}

impl Walk<'_, '_> {
    /// The `local` a plain `local.NAME` reference names, if it is one.
    fn local(&self, traversal: &hcl_edit::expr::Traversal) -> Option<&Attribute> {
        match (&traversal.expr, traversal.operators.as_slice()) {
            (Expression::Variable(root), [op]) if root.as_str() == "local" => match op.value() {
                hcl_edit::expr::TraversalOperator::GetAttr(name) => {
                    self.scope.module.locals.get(name.as_str())
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// `expr`, written in `file` inside the member or attribute at `at`.
    fn hcl(
        &self,
        expr: &Expression,
        file: FileId,
        at: Span,
        path: &[&str],
        hops: usize,
    ) -> Selected {
        let Some((first, rest)) = path.split_first() else {
            return self.evaluated(expr, at, path);
        };
        match expr {
            Expression::Object(object) => {
                let members: Vec<(String, Span, &Expression)> = object
                    .iter()
                    .filter_map(|(key, value)| {
                        let name = match key {
                            ObjectKey::Ident(ident) => ident.as_str().to_string(),
                            ObjectKey::Expression(key) => key.as_str()?.to_string(),
                        };
                        let start = key.span()?.start;
                        let end = value.expr().span()?.end;
                        Some((name, Span::new(file, start..end), value.expr()))
                    })
                    .collect();
                let found = members
                    .iter()
                    .rev()
                    .find(|(name, ..)| name == first)
                    .or_else(|| {
                        members
                            .iter()
                            .rev()
                            .find(|(name, ..)| name.eq_ignore_ascii_case(first))
                    });
                let anchor = || -> Anchor {
                    let body = Span::new(file, expr.span().unwrap_or(at.range()));
                    let members = members
                        .iter()
                        .map(|(name, span, value)| AnchorMember {
                            name: name.clone(),
                            span: *span,
                            value: Span::new(file, value.span().unwrap_or(span.range())),
                        })
                        .collect();
                    let placement = placement(first, rest, found.is_some())?;
                    Ok(FixAnchor {
                        body,
                        members,
                        placement,
                    })
                };
                match found {
                    Some((_, span, value)) if rest.is_empty() => Selected::Found {
                        value: self.eval(value),
                        span: *span,
                        anchor: anchor(),
                    },
                    Some((_, span, value)) => self.hcl(value, file, *span, rest, hops),
                    None if rest.len() <= 1 => Selected::Absent { anchor: anchor() },
                    None => Selected::Absent {
                        anchor: Err("the body does not write this object".into()),
                    },
                }
            }
            Expression::Parenthesis(inner) => self.hcl(inner.inner(), file, at, path, hops),
            Expression::Traversal(traversal) if hops < MAX_HOPS => {
                let local = self.local(traversal);
                match local {
                    Some(local) => match &local.expr {
                        AttributeExpr::Hcl(inner) => {
                            self.hcl(inner, local.span.file, local.span, path, hops + 1)
                        }
                        AttributeExpr::Json(json) => {
                            self.json(json, local.span.file, local.span, path)
                        }
                        AttributeExpr::JsonLiteral(_) => self.evaluated(expr, at, path),
                    },
                    None => self.evaluated(expr, at, path),
                }
            }
            Expression::FuncCall(call) if !call.name.is_namespaced() => {
                let args: Vec<&Expression> = call.args.iter().collect();
                match (call.name.name.as_str(), args.as_slice()) {
                    ("jsonencode", [inner]) => self.hcl(inner, file, at, path, hops),
                    ("merge", args) if !args.is_empty() && !call.args.expand_final() => {
                        // `merge` is shallow: the last argument writing the first key
                        // supplies all of it.
                        for arg in args.iter().rev() {
                            match self.hcl(arg, file, at, &path[..1], hops) {
                                Selected::Absent { .. } => continue,
                                Selected::Found { .. } => {
                                    return match self.hcl(arg, file, at, path, hops) {
                                        Selected::Found { value, span, .. } => Selected::Found {
                                            value,
                                            span,
                                            anchor: Err(merged()),
                                        },
                                        Selected::Absent { .. } => Selected::Absent {
                                            anchor: Err(merged()),
                                        },
                                        unknown => unknown,
                                    };
                                }
                                unknown @ Selected::Unknown(..) => return unknown,
                            }
                        }
                        Selected::Absent {
                            anchor: Err(merged()),
                        }
                    }
                    _ => self.evaluated(expr, at, path),
                }
            }
            Expression::Conditional(c) => {
                let cond = self.eval(&c.cond_expr);
                match cond.val {
                    Val::Bool(true) => self.hcl(&c.true_expr, file, at, path, hops),
                    Val::Bool(false) => self.hcl(&c.false_expr, file, at, path, hops),
                    Val::Unknown(reason) => {
                        let a = self.hcl(&c.true_expr, file, at, path, hops);
                        let b = self.hcl(&c.false_expr, file, at, path, hops);
                        match (&a, &b) {
                            (Selected::Absent { .. }, Selected::Absent { .. }) => {
                                Selected::Absent {
                                    anchor: Err(conditional()),
                                }
                            }
                            (
                                Selected::Found { value: x, span, .. },
                                Selected::Found { value: y, .. },
                            ) if x.val == y.val => Selected::Found {
                                value: x.clone(),
                                span: *span,
                                anchor: Err(conditional()),
                            },
                            _ => Selected::Unknown(
                                format!(
                                    "the body depends on the condition `{}`, which cannot be \
                                     resolved: {reason}",
                                    written(&c.cond_expr)
                                ),
                                at,
                            ),
                        }
                    }
                    // Terraform rejects a condition that is not a bool: the whole body.
                    _ => self.evaluated(expr, at, path),
                }
            }
            _ => self.evaluated(expr, at, path),
        }
    }

    /// A `.tf.json` body: objects are walked, strings are templates evaluated.
    fn json(&self, json: &Json, file: FileId, at: Span, path: &[&str]) -> Selected {
        let Some((first, rest)) = path.split_first() else {
            return self.value(self.eval_json(json), at, path);
        };
        let JsonKind::Object(members) = &json.kind else {
            return self.value(self.eval_json(json), at, path);
        };
        let found = json
            .member(first)
            .or_else(|| json.member_ignore_case(first));
        let anchor = || -> Anchor {
            let placement = placement(first, rest, found.is_some())?;
            Ok(FixAnchor {
                body: Span::new(file, json.span.clone()),
                members: members
                    .iter()
                    .map(|m| AnchorMember {
                        name: m.key.clone(),
                        span: Span::new(file, m.span.clone()),
                        value: Span::new(file, m.value.span.clone()),
                    })
                    .collect(),
                placement,
            })
        };
        match found {
            Some(member) if rest.is_empty() => Selected::Found {
                value: self.eval_json(&member.value),
                span: Span::new(file, member.span.clone()),
                anchor: anchor(),
            },
            Some(member) => self.json(
                &member.value,
                file,
                Span::new(file, member.span.clone()),
                rest,
            ),
            None if rest.len() <= 1 => Selected::Absent { anchor: anchor() },
            None => Selected::Absent {
                anchor: Err("the body does not write this object".into()),
            },
        }
    }

    fn eval(&self, expr: &Expression) -> Traced {
        match eval(expr, self.env) {
            Ok(traced) => traced,
            Err(error) => Traced::here(Val::Unknown(format!(
                "Terraform would reject this value: {error}"
            ))),
        }
    }

    fn eval_json(&self, json: &Json) -> Traced {
        match eval_attr(&AttributeExpr::Json(json.clone()), self.env) {
            Ok(traced) => traced,
            Err(error) => Traced::here(Val::Unknown(format!(
                "Terraform would reject this value: {error}"
            ))),
        }
    }

    /// `expr` evaluated whole, then walked.
    fn evaluated(&self, expr: &Expression, at: Span, path: &[&str]) -> Selected {
        self.value(self.eval(expr), at, path)
    }

    /// Walks an evaluated value along `path`; its properties are written where the value is.
    fn value(&self, traced: Traced, at: Span, path: &[&str]) -> Selected {
        let not_literal = || Err::<FixAnchor, _>(computed());
        let mut val = &traced.val;
        let parsed;
        if let Val::String(text) = val
            && !path.is_empty()
        {
            // A string body is JSON text (`jsondecode(file(…))`, a heredoc): read it as JSON.
            match crate::json::parse(text) {
                Ok(document) => {
                    parsed = Val::from_json(&document.root);
                    val = &parsed;
                }
                Err(error) => {
                    return Selected::Unknown(
                        format!("the body is a string that is not JSON: {}", error.message),
                        at,
                    );
                }
            }
        }
        for key in path {
            val = match val {
                Val::Unknown(reason) => return Selected::Unknown(reason.clone(), at),
                Val::Null => {
                    return Selected::Absent {
                        anchor: not_literal(),
                    };
                }
                Val::Object(_) => match val.get_ignore_case(key) {
                    Some(next) => next,
                    None => {
                        return Selected::Absent {
                            anchor: not_literal(),
                        };
                    }
                },
                // ARM would reject a body whose properties are not an object; nothing is set.
                _ => {
                    return Selected::Absent {
                        anchor: not_literal(),
                    };
                }
            };
        }
        if let Val::Unknown(reason) = val {
            return Selected::Unknown(reason.clone(), at);
        }
        Selected::Found {
            value: Traced {
                val: val.clone(),
                origin: traced.origin.clone(),
                parts: None,
            },
            span: at,
            anchor: not_literal(),
        }
    }
}

fn merged() -> String {
    "the body is built with `merge`, so certgate cannot tell which object to edit".into()
}

fn conditional() -> String {
    "the body depends on a condition, so certgate cannot tell which object to edit".into()
}

fn computed() -> String {
    "the body is computed (not an object written in place), so certgate cannot add a setting \
     to it"
        .into()
}

/// An expression as written, on one line, for messages.
fn written(expr: &Expression) -> String {
    let joined = expr
        .to_string()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if joined.chars().count() > 60 {
        format!("{}…", joined.chars().take(59).collect::<String>())
    } else {
        joined
    }
}

/// The values an attribute can take when its value is unknown only because a condition is:
/// `local.NAME` and parentheses are followed, both branches of a conditional whose condition
/// is unknown are read, anything else is evaluated. An AzAPI `type` that picks between two
/// types that are not sites is then known not to be one.
pub(crate) fn candidates(attribute: &Attribute, scope: &ModuleScope, env: &Env) -> Vec<Val> {
    let walk = Walk { scope, env };
    let mut out = Vec::new();
    match &attribute.expr {
        AttributeExpr::Hcl(expr) => walk.candidates(expr, 0, &mut out),
        other => out.push(match eval_attr(other, env) {
            Ok(traced) => traced.val,
            Err(error) => Val::Unknown(error.0),
        }),
    }
    out
}

impl Walk<'_, '_> {
    fn candidates(&self, expr: &Expression, hops: usize, out: &mut Vec<Val>) {
        // Each branch doubles the work: stop where a body of generated conditionals would.
        if hops >= MAX_HOPS || out.len() >= MAX_HOPS {
            out.push(self.eval(expr).val);
            return;
        }
        match expr {
            Expression::Parenthesis(inner) => self.candidates(inner.inner(), hops + 1, out),
            Expression::Traversal(traversal) => {
                let local = self.local(traversal);
                match local.map(|local| &local.expr) {
                    Some(AttributeExpr::Hcl(inner)) => self.candidates(inner, hops + 1, out),
                    _ => out.push(self.eval(expr).val),
                }
            }
            Expression::Conditional(c) => match self.eval(&c.cond_expr).val {
                Val::Bool(true) => self.candidates(&c.true_expr, hops + 1, out),
                Val::Bool(false) => self.candidates(&c.false_expr, hops + 1, out),
                Val::Unknown(_) => {
                    self.candidates(&c.true_expr, hops + 1, out);
                    self.candidates(&c.false_expr, hops + 1, out);
                }
                _ => out.push(self.eval(expr).val),
            },
            _ => out.push(self.eval(expr).val),
        }
    }
}

/// Where a fix adds the setting `first`.`rest` to a body object: in the object itself when
/// `rest` is the setting, or in a new `properties` object when the body has none.
fn placement(first: &str, rest: &[&str], found: bool) -> Result<Placement, String> {
    match rest {
        [] => Ok(Placement::Body),
        [_] if !found && first == "properties" => Ok(Placement::NewObject("properties")),
        _ => Err("the body does not write this object".into()),
    }
}
