//! Evaluates Bicep expressions into traced values, as the Bicep compiler and the deployment
//! engine together would.
//!
//! An [`Env`] is what an expression can see: its file's [`Scope`] (parameters, variables,
//! resources, modules) and the loop and lambda variables around it. Anything that cannot be
//! known statically (`resourceGroup()`, a resource's runtime property, a parameter without a
//! value, …) evaluates to [`Val::Unknown`] with the reason, and only makes a result unknown when
//! the result depends on it: `?:`, `??`, `if()` and `coalesce()` are lazy, `&&` / `||` use
//! three-valued logic, and an unknown member of an object does not taint its siblings.
//!
//! This file dispatches on the expression and resolves names; `access` follows `.name` and
//! `[index]` (into written literals, so an origin points at the exact member), `literals`
//! builds strings, objects and arrays, `operators` and `functions` do the rest. Every
//! evaluation but a scalar literal costs a step of the value's slice of the scenario's
//! [`Budget`](super::scope::Budget), and nesting is limited, so cycles and blow-ups end with a
//! clear unknown for the value that needed them.

use crate::model::Origin;
use crate::source::Span;
use crate::value::{Key, Traced, Val};

pub use super::access::apply_steps;
use super::ast::{DeclBody, Expr, ExprKind, ForExpr, ModuleDecl, ResourceDecl, StatementKind};
use super::scope::Scope;

/// One access: `.name`, `[index]`, or their safe forms `.?name` / `[?index]` (null when absent).
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub key: Key,
    pub safe: bool,
}

impl Step {
    pub fn name(name: &str) -> Step {
        Step {
            key: Key::Name(name.to_string()),
            safe: false,
        }
    }

    pub(super) fn text(&self) -> String {
        match &self.key {
            Key::Name(name) => format!(".{name}"),
            Key::Index(i) => format!("[{i}]"),
        }
    }
}

/// Loop, lambda or function variables bound together, and the frame around them.
pub struct Frame<'a> {
    pub bindings: Vec<(&'a str, Traced)>,
    pub next: Option<&'a Frame<'a>>,
}

/// What an expression can see.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    pub scope: &'a Scope<'a>,
    pub locals: Option<&'a Frame<'a>>,
}

pub fn unknown(reason: impl Into<String>) -> Traced {
    Traced::here(Val::unknown(reason))
}

impl<'a> Env<'a> {
    pub fn new(scope: &'a Scope<'a>, locals: Option<&'a Frame<'a>>) -> Self {
        Env { scope, locals }
    }

    pub fn eval(&self, expr: &Expr) -> Traced {
        self.at(expr, &[])
    }

    /// Evaluates `expr` followed by `steps`, in its own slice of the budget when it is not part
    /// of another evaluation. A scalar literal costs nothing.
    pub fn at(&self, expr: &Expr, steps: &[Step]) -> Traced {
        let free = steps.is_empty()
            && match &expr.kind {
                ExprKind::Null | ExprKind::Bool(_) | ExprKind::Int(_) => true,
                ExprKind::String(string) => string.literal().is_some(),
                _ => false,
            };
        if free {
            return self.at_inner(expr, steps);
        }
        let budget = self.scope.budget;
        budget.value(|| self.at_in_slice(expr, steps))
    }

    fn at_in_slice(&self, expr: &Expr, steps: &[Step]) -> Traced {
        let _level = match self.scope.budget.enter() {
            Ok(level) => level,
            Err(reason) => return unknown(reason),
        };
        self.at_inner(expr, steps)
    }

    fn at_inner(&self, expr: &Expr, steps: &[Step]) -> Traced {
        let then = |traced: Traced| apply_steps(traced, steps, "the value");
        match &expr.kind {
            ExprKind::Null => then(Traced::here(Val::Null)),
            ExprKind::Bool(b) => then(Traced::here(Val::Bool(*b))),
            ExprKind::Int(n) => then(Traced::here(Val::Number(*n as f64))),
            ExprKind::String(string) => then(self.string(string)),
            ExprKind::Ident(name) => self.name(name, steps),
            ExprKind::Member { object, name, safe } => {
                let step = Step {
                    key: Key::Name(name.name.clone()),
                    safe: *safe,
                };
                self.at(object, &prepend(step, steps))
            }
            ExprKind::Index {
                object,
                index,
                safe,
            } => {
                let index = self.eval(index);
                let key = match index.val {
                    Val::String(name) => Key::Name(name),
                    Val::Number(n) if n.fract() == 0.0 => Key::Index(n as i64),
                    Val::Unknown(_) => return index,
                    other => {
                        return unknown(format!(
                            "an index must be a string or an integer, not a {}",
                            other.type_name()
                        ));
                    }
                };
                let step = Step { key, safe: *safe };
                self.at(object, &prepend(step, steps))
            }
            ExprKind::NonNull(inner) | ExprKind::Paren(inner) => self.at(inner, steps),
            ExprKind::Object(object) if steps.is_empty() => self.object(object),
            ExprKind::Array(items) if steps.is_empty() => self.array(items),
            ExprKind::Object(_) | ExprKind::Array(_) => {
                self.follow(expr, steps, "the value").traced
            }
            ExprKind::For(for_expr) => then(self.for_values(for_expr)),
            ExprKind::Unary { op, operand } => then(self.unary(*op, operand)),
            ExprKind::Binary { op, left, right } => then(self.binary(*op, left, right)),
            ExprKind::Ternary {
                condition,
                then: yes,
                otherwise,
            } => self.ternary(condition, yes, otherwise, steps),
            ExprKind::Call { target, name, args } => {
                self.call(target.as_deref(), name, args, steps)
            }
            ExprKind::ChildResource { .. } => unknown(format!(
                "nested resource `{}` is only known once it is deployed",
                self.text_of(expr.span)
            )),
            ExprKind::Lambda { .. } => {
                unknown("a lambda is only evaluated as the argument of `map`, `filter` or `reduce`")
            }
        }
    }

    /// A name: a loop or lambda variable, then a declaration of the file.
    fn name(&self, name: &str, steps: &[Step]) -> Traced {
        let mut frame = self.locals;
        while let Some(current) = frame {
            if let Some((_, value)) = current.bindings.iter().find(|(n, _)| *n == name) {
                return apply_steps(value.clone(), steps, &format!("`{name}`"));
            }
            frame = current.next;
        }
        let file = self.scope.file;
        let Some(statement) = file.symbol(name) else {
            return unknown(format!(
                "`{name}` is not declared in {}",
                crate::paths::path_text(file.source.path())
            ));
        };
        match &statement.kind {
            StatementKind::Param { .. } | StatementKind::Var { .. } => {
                self.scope.lookup(statement, name, steps)
            }
            StatementKind::Resource(resource) => self.resource_reference(resource, steps),
            StatementKind::Module(module) => module_reference(module, steps),
            StatementKind::Import(import) => match self.scope.imports {
                Some(imports) => imports.value(file, import, name, steps),
                None => unknown(format!(
                    "`{name}` is imported from another file, which certgate does not follow"
                )),
            },
            _ => unknown(format!("`{name}` is not a value")),
        }
    }

    /// `site.name` is what the declaration writes; every other property of a resource exists
    /// only once Azure has deployed it (or, for `existing`, is read from Azure).
    fn resource_reference(&self, resource: &ResourceDecl, steps: &[Step]) -> Traced {
        let symbol = &resource.name.name;
        let first = match steps.first().map(|s| &s.key) {
            Some(Key::Name(first)) => first.as_str(),
            _ => {
                return unknown(format!(
                    "resource `{symbol}` is only known once it is deployed"
                ));
            }
        };
        let looped = matches!(resource.body, DeclBody::For(_));
        if first == "name"
            && !looped
            && let Some(name) = resource.body.object().and_then(|o| o.property("name"))
        {
            // The name is written in the declaration, in the file's own scope.
            let own = Env::new(self.scope, None);
            return apply_steps(
                own.eval(&name.value),
                &steps[1..],
                &format!("`{symbol}.name`"),
            );
        }
        if resource.existing {
            unknown(format!(
                "`{symbol}.{first}` is read from Azure at deployment time (`{symbol}` is an \
                 existing resource)"
            ))
        } else {
            unknown(format!(
                "`{symbol}.{first}` is only known once the resource is deployed"
            ))
        }
    }

    /// The source text of `span` in this file, on one line and shortened, for messages.
    pub fn text_of(&self, span: Span) -> String {
        let text = self
            .scope
            .file
            .source
            .text()
            .get(span.range())
            .unwrap_or("…");
        let mut short: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if short.chars().count() > 60 {
            short = short.chars().take(59).collect::<String>() + "…";
        }
        short
    }

    /// Charges a computed value's size; `Err` with the reason when the slice cannot pay for it
    /// or the value is too large or nests too deeply.
    pub fn take(&self, val: &Val) -> Result<(), String> {
        self.scope.budget.take(val)
    }

    /// `[for item in items: body]` as a value.
    fn for_values(&self, for_expr: &ForExpr) -> Traced {
        let items = match self.iterate(&for_expr.iterable) {
            Ok(items) => items,
            Err(unknown) => return unknown,
        };
        let mut out = Vec::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            let index = Traced::here(Val::Number(index as f64));
            let frame = loop_frame(for_expr, item, index, self.locals);
            let env = self.with(&frame);
            if let Some(condition) = &for_expr.condition {
                let traced = env.eval(condition);
                match traced.val {
                    Val::Bool(true) => {}
                    Val::Bool(false) => continue,
                    Val::Unknown(_) => return traced,
                    other => {
                        return unknown(format!(
                            "a loop's `if` condition is a {}, not a boolean",
                            other.type_name()
                        ));
                    }
                }
            }
            out.push(env.eval(&for_expr.body).val);
        }
        Traced::here(Val::List(out))
    }

    /// The elements a `for` loop visits, each with the origin of the array.
    pub fn iterate(&self, iterable: &Expr) -> Result<Vec<Traced>, Traced> {
        let traced = self.eval(iterable);
        match traced.val {
            Val::List(items) => {
                if !self.scope.budget.charge(items.len() as u64) {
                    return Err(unknown(self.scope.budget.reason()));
                }
                // A named array (a parameter, a variable's member) is cheap to read again
                // element by element, which gives each element the origin it is written at.
                let named = matches!(
                    iterable.kind,
                    ExprKind::Ident(_) | ExprKind::Member { .. } | ExprKind::Paren(_)
                );
                Ok(items
                    .into_iter()
                    .enumerate()
                    .map(|(i, val)| {
                        if named {
                            let step = Step {
                                key: Key::Index(i as i64),
                                safe: false,
                            };
                            let element = self.at(iterable, &[step]);
                            if element.val == val {
                                return element;
                            }
                        }
                        Traced {
                            val,
                            origin: traced.origin.clone(),
                            parts: None,
                        }
                    })
                    .collect())
            }
            Val::Unknown(_) => Err(traced),
            other => Err(unknown(format!(
                "a `for` loop iterates over an array, not a {}",
                other.type_name()
            ))),
        }
    }

    /// This environment with `frame`'s variables in scope too.
    pub fn with<'b>(&self, frame: &'b Frame<'b>) -> Env<'b>
    where
        'a: 'b,
    {
        Env {
            scope: self.scope,
            locals: Some(frame),
        }
    }
}

/// `module.outputs.x`: outputs are not evaluated.
fn module_reference(module: &ModuleDecl, steps: &[Step]) -> Traced {
    let name = &module.name.name;
    match steps {
        [
            Step {
                key: Key::Name(outputs),
                ..
            },
            Step {
                key: Key::Name(output),
                ..
            },
            ..,
        ] if outputs == "outputs" => unknown(format!(
            "it uses output `{output}` of module `{name}`, and certgate does not evaluate module \
             outputs"
        )),
        _ => unknown(format!(
            "it uses module `{name}`, which is only known once it is deployed"
        )),
    }
}

/// The frame of one loop iteration: the item, and the index when the loop names one.
pub fn loop_frame<'a>(
    for_expr: &'a ForExpr,
    item: Traced,
    index: Traced,
    next: Option<&'a Frame<'a>>,
) -> Frame<'a> {
    let mut bindings = vec![(for_expr.item.name.as_str(), item)];
    if let Some(name) = &for_expr.index {
        bindings.push((name.name.as_str(), index));
    }
    Frame { bindings, next }
}

fn prepend(step: Step, steps: &[Step]) -> Vec<Step> {
    let mut all = Vec::with_capacity(steps.len() + 1);
    all.push(step);
    all.extend_from_slice(steps);
    all
}

/// A result that takes its origin from what decided it when it has none of its own.
pub fn decided_by(mut traced: Traced, origin: Vec<Origin>) -> Traced {
    if traced.origin.is_empty() {
        traced.origin = origin;
    }
    traced
}
