//! One Bicep file's parameters and variables as its expressions see them, evaluated on demand.
//!
//! A parameter's value is, in order: the value its caller gives (a `.bicepparam` file, ARM
//! parameter JSON, or the `params` of the module declaration that calls the file, evaluated in
//! the caller; a null given for a parameter with a default leaves the default), else its default (an expression over the file's other declarations), else null
//! when its type is nullable (`string?`), else unknown, saying so. Variables are evaluated in
//! the file's own scope. Whole values are memoised; a reference back into a parameter or
//! variable still being evaluated is a cycle, reported as unknown rather than looped.
//!
//! `settings.mtls.mode` is followed into the declaration's object literal member by member, so
//! its origin is the exact `mode: …` member, then the variable (or parameter) it sits in.
//!
//! Evaluation is bounded by a [`Budget`] shared by every scope of one scenario, with a slice of
//! steps per value evaluated from outside, a nesting depth and the size of computed values. A
//! value an evaluation limit cut short is not memoised.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::budget::Nesting;
use crate::limits::MAX_BICEP_NESTING;
use crate::model::{Origin, OriginKind};
use crate::source::Span;
use crate::value::{Traced, Val};

use super::ast::{Expr, Ident, Statement, TypeExpr, TypeKind};
use super::eval::{Env, Step, apply_steps};
use super::imports::Imports;
use super::project::Parsed;

pub use crate::budget::Budget;

/// Bicep's nesting for [`Budget::enter`]: [`MAX_BICEP_NESTING`] levels, worded as for ARM.
pub const NESTING: Nesting = Nesting::evaluation(MAX_BICEP_NESTING);

/// What kind of file a scope evaluates: it decides how a parameter's own value is described.
#[derive(Debug, Clone)]
pub enum Role {
    /// A `.bicep` file: a parameter's written value is its default.
    Template,
    /// A `.bicepparam` file (named as in findings): a parameter's written value is the value.
    Params(String),
}

/// A value a caller gives one parameter, already evaluated where it was written.
#[derive(Debug, Clone)]
pub struct Input {
    pub traced: Traced,
    /// Whether it comes from a parameter file, so the parameter's declaration is a hop of its
    /// origin (a module input's hop is the `params` member itself).
    pub from_file: bool,
}

/// One file's parameters and variables, for one set of inputs.
pub struct Scope<'a> {
    pub file: &'a Parsed,
    role: Role,
    /// Inputs by parameter name.
    inputs: HashMap<String, Input>,
    /// Completes "parameter `x` has no default and …" when no input sets `x`.
    missing: String,
    pub budget: &'a Budget,
    /// The scenario's imported declarations; `None` where imports are not followed (a
    /// parameter file's own scope).
    pub imports: Option<&'a Imports<'a>>,
    memo: RefCell<HashMap<String, Traced>>,
    /// The declarations being evaluated, outermost first (for cycles).
    active: RefCell<Vec<String>>,
}

impl<'a> Scope<'a> {
    pub fn new(
        file: &'a Parsed,
        role: Role,
        inputs: HashMap<String, Input>,
        missing: String,
        budget: &'a Budget,
    ) -> Self {
        Scope {
            file,
            role,
            inputs,
            missing,
            budget,
            imports: None,
            memo: RefCell::default(),
            active: RefCell::default(),
        }
    }

    /// This scope, following `import`s through `imports`.
    pub fn with_imports(mut self, imports: Option<&'a Imports<'a>>) -> Self {
        self.imports = imports;
        self
    }

    fn input(&self, name: &str) -> Option<&Input> {
        // Bicep names are case-sensitive, ARM parameter names are not: an exact match wins.
        self.inputs.get(name).or_else(|| {
            self.inputs
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, input)| input)
        })
    }

    /// The value of the parameter or variable `statement` (named `name`), followed by `steps`.
    pub fn lookup(&self, statement: &'a Statement, name: &str, steps: &[Step]) -> Traced {
        self.lookup_as(statement, name, steps, OriginKind::Variable)
    }

    /// [`Scope::lookup`], a variable's hop being of `kind` ([`OriginKind::ImportedVariable`]
    /// when another file imports it).
    pub fn lookup_as(
        &self,
        statement: &'a Statement,
        name: &str,
        steps: &[Step],
        var_kind: OriginKind,
    ) -> Traced {
        let memo_key = name.to_string();
        if steps.is_empty()
            && let Some(done) = self.memo.borrow().get(&memo_key)
        {
            return if self.budget.charge(crate::budget::weight(&done.val)) {
                done.clone()
            } else {
                Traced::here(Val::unknown(self.budget.reason()))
            };
        }
        let word = declaration_word(statement);
        let label = format!("{word} `{name}`");
        if let Some(start) = self.active.borrow().iter().position(|a| *a == label) {
            let chain = &self.active.borrow()[start..];
            let reason = if chain.len() == 1 {
                format!("{label} refers to itself")
            } else {
                format!(
                    "values refer to each other in a cycle: {} → {label}",
                    chain.join(" → ")
                )
            };
            return Traced::here(Val::unknown(reason));
        }
        self.active.borrow_mut().push(label);
        let cuts = self.budget.cuts();
        let result = match &statement.kind {
            super::ast::StatementKind::Param { name, ty, value } => {
                self.parameter(statement, name, ty.as_ref(), value.as_ref(), steps)
            }
            super::ast::StatementKind::Var { name, value, .. } => {
                let what = match var_kind {
                    OriginKind::ImportedVariable => format!(
                        "variable `{}` exported by {}",
                        name.name,
                        super::params::display_name(&self.file.path)
                    ),
                    _ => format!("variable `{}`", name.name),
                };
                self.follow(value, steps, var_kind, &what, self.declared(statement))
            }
            _ => Traced::here(Val::unknown(format!(
                "`{name}` is not a parameter or variable"
            ))),
        };
        self.active.borrow_mut().pop();
        // A result a limit cut short depends on the value that asked for it: the next value
        // computes it again within its own slice.
        if steps.is_empty() && self.budget.cuts() == cuts {
            self.memo.borrow_mut().insert(memo_key, result.clone());
        }
        result
    }

    fn parameter(
        &self,
        statement: &Statement,
        name: &Ident,
        ty: Option<&TypeExpr>,
        value: Option<&Expr>,
        steps: &[Step],
    ) -> Traced {
        let declared = self.declared(statement);
        let name = &name.name;
        // A parameter file's own value wins over the file it `extends`; a template's caller
        // wins over its default.
        let own_first = matches!(self.role, Role::Params(_)) && value.is_some();
        // A null the caller passes leaves the default in force, as the deployment engine does
        // (a module passing `slot.?mode` for an unset mode gets the callee's default).
        let input = self
            .input(name)
            .filter(|_| !own_first)
            .filter(|input| !(input.traced.val == Val::Null && value.is_some()));
        if let Some(input) = input {
            let traced = apply_steps(input.traced.clone(), steps, &format!("parameter `{name}`"));
            return if input.from_file {
                traced.through(Origin::new(
                    OriginKind::Declaration,
                    declared,
                    format!("parameter `{name}`"),
                ))
            } else {
                traced
            };
        }
        if let Some(value) = value {
            let (kind, what) = match &self.role {
                Role::Template => (
                    OriginKind::ParameterDefault,
                    format!("default of parameter `{name}`"),
                ),
                Role::Params(display) => (OriginKind::ParameterFile, format!("value in {display}")),
            };
            return self.follow(value, steps, kind, &what, declared);
        }
        if ty.is_some_and(is_nullable) {
            let traced = Traced::here(Val::Null).through(Origin::new(
                OriginKind::Declaration,
                declared,
                format!("parameter `{name}`, nullable and not set, so null"),
            ));
            return apply_steps(traced, steps, &format!("parameter `{name}`"));
        }
        Traced::here(Val::unknown(format!(
            "parameter `{name}` has no default and {}",
            self.missing
        )))
        .through(Origin::new(
            OriginKind::Declaration,
            declared,
            format!("parameter `{name}`, declared without a default"),
        ))
    }

    fn declared(&self, statement: &Statement) -> Span {
        declaration_span(self.file.source.text(), statement)
    }

    /// Follows `steps` into the written value as far as it is literal, evaluates the rest in
    /// the file's own environment, and adds the hop: the deepest member reached, or the whole
    /// declaration.
    fn follow(
        &self,
        value: &Expr,
        steps: &[Step],
        kind: OriginKind,
        what: &str,
        declared: Span,
    ) -> Traced {
        let env = Env::new(self, None);
        let followed = env.follow(value, steps, what);
        let (span, note) = match followed.member {
            Some(span) => (span, format!("`{}` in {what}", followed.path)),
            None => (declared, what.to_string()),
        };
        let hop = Origin::new(kind, span, note).with_literal(followed.literal);
        followed.traced.through(hop)
    }
}

/// `parameter` or `variable`, for messages.
fn declaration_word(statement: &Statement) -> &'static str {
    match statement.kind {
        super::ast::StatementKind::Param { .. } => "parameter",
        _ => "variable",
    }
}

/// A declaration from its keyword through its end, without decorators: `param x bool = true`.
/// That is where its value is written, and what an origin label should underline.
pub fn declaration_span(text: &str, statement: &Statement) -> Span {
    let end = statement.span.end;
    let mut start = statement
        .decorators
        .last()
        .map_or(statement.span.start, |d| d.span.end);
    // Skip the blanks and comments between the last decorator and the keyword.
    loop {
        let rest = text.get(start..end).unwrap_or("");
        let trimmed = rest.trim_start();
        start += rest.len() - trimmed.len();
        let skip = if trimmed.starts_with("//") {
            trimmed.find('\n').unwrap_or(trimmed.len())
        } else if trimmed.starts_with("/*") {
            trimmed.find("*/").map_or(trimmed.len(), |i| i + 2)
        } else {
            break;
        };
        start += skip;
    }
    Span {
        start,
        ..statement.span
    }
}

/// `T?` (also in parentheses): a parameter nobody sets is null.
fn is_nullable(ty: &TypeExpr) -> bool {
    match &ty.kind {
        TypeKind::Nullable(_) => true,
        TypeKind::Paren(inner) => is_nullable(inner),
        _ => false,
    }
}
