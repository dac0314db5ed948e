//! Evaluates Terraform expressions (native syntax, and JSON syntax whose strings are templates)
//! to [`Traced`] values: what the value is, or why it cannot be known, and where it came from.
//!
//! Why hand-written: the one crate that evaluates HCL (`hcl-rs` with its `eval` feature) works
//! on its own expression tree, not hcl-edit's (whose spans certgate reports), treats every
//! problem as fatal and has no notion of a value that is unknown until apply. certgate needs
//! Terraform's three outcomes kept apart: a value, an *unknown* (`Val::Unknown`, with the
//! reason: a variable without a value, an unsupported function, a resource attribute), and an
//! *error* ([`EvalError`]: what Terraform itself would reject, which `try` and `can` catch).
//!
//! Evaluation is bounded: a [`Budget`] caps the nesting (through locals, variables and
//! expressions), the work (a slice of steps per attribute evaluated from outside, within a
//! total for the root module, see `crate::budget`) and the size of values (copying a value
//! costs its size, text included), and turns into an unknown with a reason when exceeded. A
//! literal costs nothing.

mod functions;
mod operators;
mod reference;
mod template;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::rc::Rc;

use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};

pub use super::convert::Filled;
use super::syntax::AttributeExpr;
pub use crate::budget::Budget;
use crate::budget::Nesting;
use crate::json::{Json, JsonKind};
use crate::limits::{MAX_TERRAFORM_NESTING, MAX_TERRAFORM_ORIGINS, MAX_TERRAFORM_STACK};
use crate::model::{Origin, OriginKind};
use crate::value::{Traced, Val};

pub use template::json_string;

/// Something Terraform itself would reject (a missing attribute, a bad conversion, a call that
/// fails). `try` and `can` catch these; nothing catches an unknown.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalError(pub String);

impl std::fmt::Display for EvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub type Outcome = Result<Traced, EvalError>;

fn error<T>(message: impl Into<String>) -> Result<T, EvalError> {
    Err(EvalError(message.into()))
}

/// What `count.index` and `each.*` mean where an expression is evaluated.
#[derive(Debug, Clone)]
pub enum InstanceKeys {
    /// No `count` or `for_each` on the block.
    None,
    Count(usize),
    Each {
        key: String,
        value: Traced,
        /// Where `optional(T, default)` defaults filled `value`'s members in, relative to it.
        fills: Vec<Filled>,
    },
    /// The block has `count`/`for_each`, but it cannot be resolved: the reason why.
    Unknown(String),
    /// Not allowed here at all (locals, variables files).
    NotAllowed,
}

/// A variable's or local's value, computed once and shared by every reference to it; its size
/// (in value nodes) is what copying it costs.
#[derive(Debug)]
pub struct Shared {
    pub traced: Traced,
    pub size: u64,
    /// The members its type's `optional(T, default)` defaults filled in (a variable's).
    pub fills: Vec<Filled>,
}

impl Shared {
    pub fn new(traced: Traced) -> Rc<Shared> {
        Shared::with_fills(traced, Vec::new())
    }

    pub fn with_fills(traced: Traced, fills: Vec<Filled>) -> Rc<Shared> {
        let size = size(&traced.val);
        Rc::new(Shared {
            traced,
            size,
            fills,
        })
    }
}

/// `traced` (reached by the keys `walked` from a value whose defaults filled `fills`) with the
/// default it lies in as the first step of its origin: that is where its literal is written.
pub fn from_default(mut traced: Traced, fills: &[Filled], walked: &[String]) -> Traced {
    let inside = fills
        .iter()
        .filter(|fill| walked.starts_with(&fill.path))
        .max_by_key(|fill| fill.path.len());
    if let Some(fill) = inside {
        let note = format!("default of optional attribute `{}`", fill.attribute);
        let hop = Origin::new(OriginKind::TypeDefault, fill.span, note).with_literal(fill.literal);
        if !traced.origin.contains(&hop) {
            traced.origin.insert(0, hop);
        }
    }
    traced
}

pub type SharedOutcome = Result<Rc<Shared>, EvalError>;

/// What copying a value costs: a step per node and per 16 bytes of text, so that copying a
/// long string is paid for like a long list.
pub fn size(val: &Val) -> u64 {
    crate::budget::weight(val)
}

/// The names an expression can refer to, supplied by whoever evaluates it.
pub trait Scope {
    /// `var.NAME`.
    fn var(&self, name: &str) -> SharedOutcome;
    /// `local.NAME`: the scope evaluates it on demand and detects cycles.
    fn local(&self, name: &str) -> SharedOutcome;
    fn instance(&self) -> &InstanceKeys;
    /// `path.module` and `path.root`.
    fn path(&self, name: &str) -> Option<String>;
    fn budget(&self) -> &Budget;
    /// A name the scope resolves before Terraform's own (Terragrunt's `include.NAME`,
    /// `dependency.NAME`): its value and how many of `operators` it used; `None`: not its.
    fn reference(
        &self,
        _root: &str,
        _operators: &[&TraversalOperator],
    ) -> Option<Result<(Traced, usize), EvalError>> {
        None
    }
    /// Whether the scope adds a function of this name (Terragrunt's built-ins).
    fn owns_function(&self, _name: &str) -> bool {
        false
    }
    /// Calls a function the scope adds, with its evaluated arguments.
    fn function(&self, name: &str, _args: &[Traced]) -> Outcome {
        error(format!("there is no function `{name}` here"))
    }
    /// `module.NAME.OUTPUT` (`key` for `module.NAME[key].OUTPUT`): the output's value in that
    /// call's instance. `None` where this scope does not follow module outputs.
    fn module_output(
        &self,
        _name: &str,
        _key: Option<&Val>,
        _output: &str,
    ) -> Option<SharedOutcome> {
        None
    }
    /// `TYPE.NAME.ARG` (or `data.TYPE.NAME.ARG`, `key` for `[key]`): the argument written in
    /// that block of this module. `None` where it is not written (computed by the provider) or
    /// this scope does not read other blocks.
    fn argument(&self, _block: BlockRef, _arg: &str) -> Option<SharedOutcome> {
        None
    }
}

/// Another block of the module named by a reference: `TYPE.NAME` or `data.TYPE.NAME`, maybe
/// with an instance key.
pub struct BlockRef<'r> {
    pub data: bool,
    pub resource_type: &'r str,
    pub name: &'r str,
    pub key: Option<&'r Val>,
}

/// Terraform's nesting for [`Budget::enter`]: levels, and the stack measured too (frames
/// differ a lot between paths and builds). Make the budget on the evaluating thread, at the top
/// of the evaluation.
pub const NESTING: Nesting = Nesting {
    levels: MAX_TERRAFORM_NESTING,
    stack: Some(MAX_TERRAFORM_STACK),
    message: nests_too_deeply,
};

fn nests_too_deeply(levels: usize) -> String {
    format!("expressions nest too deeply through locals and variables (at most {levels} levels)")
}

/// A budget for one root module and everything it calls, with Terraform's [`NESTING`].
pub fn budget() -> Budget {
    Budget::default().with_nesting(NESTING)
}

/// A scope plus the names bound by enclosing `for` expressions and directives.
pub struct Env<'a> {
    scope: &'a dyn Scope,
    names: Vec<(String, Traced)>,
    parent: Option<&'a Env<'a>>,
}

impl<'a> Env<'a> {
    pub fn new(scope: &'a dyn Scope) -> Env<'a> {
        Env {
            scope,
            names: Vec::new(),
            parent: None,
        }
    }

    /// A child environment binding `names` on top of this one (also `templatefile` variables).
    pub(super) fn bind(&'a self, names: Vec<(String, Traced)>) -> Env<'a> {
        Env {
            scope: self.scope,
            names,
            parent: Some(self),
        }
    }

    fn lookup(&self, name: &str) -> Option<&Traced> {
        let mut env = Some(self);
        while let Some(current) = env {
            if let Some((_, value)) = current.names.iter().find(|(n, _)| n == name) {
                return Some(value);
            }
            env = current.parent;
        }
        None
    }
}

/// Evaluates an attribute's value in `env`, in its own slice of the budget when it is not part
/// of another evaluation (a local, a module input).
pub fn eval_attr(expr: &AttributeExpr, env: &Env) -> Outcome {
    match expr {
        AttributeExpr::Hcl(expr) => env.scope.budget().value(|| eval(expr, env)),
        AttributeExpr::Json(json) => env.scope.budget().value(|| eval_json(json, env)),
        AttributeExpr::JsonLiteral(json) => Ok(Traced::here(Val::from_json(json))),
    }
}

/// Evaluates a native syntax expression in `env` (in its own slice of the budget when it is
/// not part of another evaluation). A scalar literal costs nothing.
pub fn eval(expr: &Expression, env: &Env) -> Outcome {
    if let Some(literal) = literal(expr) {
        return literal;
    }
    env.scope.budget().value(|| eval_in_slice(expr, env))
}

fn eval_in_slice(expr: &Expression, env: &Env) -> Outcome {
    let _guard = match env.scope.budget().enter() {
        Ok(guard) => guard,
        Err(reason) => return Ok(Traced::here(Val::Unknown(reason))),
    };
    match expr {
        Expression::Null(_)
        | Expression::Bool(_)
        | Expression::Number(_)
        | Expression::String(_) => literal(expr).unwrap_or_else(|| error("not a literal")),
        Expression::StringTemplate(t) => template::eval_template(t, env),
        Expression::HeredocTemplate(h) => template::eval_template(&h.template, env),
        Expression::Parenthesis(inner) => eval(inner.inner(), env),
        Expression::Array(items) => {
            let items = items
                .iter()
                .map(|item| eval(item, env))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(collect_list(items))
        }
        Expression::Object(object) => {
            let mut members = Vec::with_capacity(object.len());
            for (key, value) in object.iter() {
                let key = match key {
                    ObjectKey::Ident(ident) => Traced::here(Val::String(ident.as_str().into())),
                    ObjectKey::Expression(key) => eval(key, env)?,
                };
                members.push((key, eval(value.expr(), env)?));
            }
            collect_object(members)
        }
        Expression::Variable(name) => match env.lookup(name.as_str()) {
            Some(value) => Ok(value.clone()),
            None => reference::traversal(&Expression::Variable(name.clone()), &[], env),
        },
        Expression::Traversal(traversal) => {
            let operators: Vec<&TraversalOperator> =
                traversal.operators.iter().map(|op| op.value()).collect();
            reference::traversal(&traversal.expr, &operators, env)
        }
        Expression::Conditional(c) => {
            operators::conditional(&c.cond_expr, &c.true_expr, &c.false_expr, env)
        }
        Expression::UnaryOp(op) => operators::unary(*op.operator.value(), &op.expr, env),
        Expression::BinaryOp(op) => {
            operators::binary(*op.operator.value(), &op.lhs_expr, &op.rhs_expr, env)
        }
        Expression::FuncCall(call) => functions::call(call, env),
        Expression::ForExpr(for_expr) => operators::for_expr(for_expr, env),
    }
}

/// A scalar literal's value, read without charging the budget.
fn literal(expr: &Expression) -> Option<Outcome> {
    Some(match expr {
        Expression::Null(_) => Ok(Traced::here(Val::Null)),
        Expression::Bool(b) => Ok(Traced::here(Val::Bool(*b.value()))),
        Expression::String(s) => Ok(Traced::here(Val::String(s.value().clone()))),
        Expression::Number(n) => match n.value().as_f64() {
            Some(n) => Ok(Traced::here(Val::Number(n))),
            None => error("a number out of range"),
        },
        _ => return None,
    })
}

/// Evaluates a JSON syntax value: strings are templates. A scalar literal costs nothing.
fn eval_json(json: &Json, env: &Env) -> Outcome {
    match &json.kind {
        JsonKind::String(text) if !text.contains("${") && !text.contains("%{") => {
            return json_string(text, env);
        }
        JsonKind::Array(_) | JsonKind::Object(_) | JsonKind::String(_) => {}
        _ => return Ok(Traced::here(Val::from_json(json))),
    }
    let _guard = match env.scope.budget().enter() {
        Ok(guard) => guard,
        Err(reason) => return Ok(Traced::here(Val::Unknown(reason))),
    };
    match &json.kind {
        JsonKind::String(text) => json_string(text, env),
        JsonKind::Array(items) => {
            let items = items
                .iter()
                .map(|item| eval_json(item, env))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(collect_list(items))
        }
        JsonKind::Object(members) => {
            let mut out = Vec::with_capacity(members.len());
            for member in members {
                out.push((
                    json_string(&member.key, env)?,
                    eval_json(&member.value, env)?,
                ));
            }
            collect_object(out)
        }
        _ => Ok(Traced::here(Val::from_json(json))),
    }
}

/// A list of evaluated items, with their origins merged.
fn collect_list(items: Vec<Traced>) -> Traced {
    let mut origin = Vec::new();
    let vals = items
        .into_iter()
        .map(|item| {
            merge_origins(&mut origin, &item.origin);
            item.val
        })
        .collect();
    Traced {
        val: Val::List(vals),
        origin,
    }
}

/// An object from evaluated keys and values; a key must be a string (numbers and bools convert).
fn collect_object(members: Vec<(Traced, Traced)>) -> Outcome {
    let mut origin = Vec::new();
    let mut out = BTreeMap::new();
    for (key, value) in members {
        merge_origins(&mut origin, &value.origin);
        let key = match key.val {
            Val::String(key) => key,
            Val::Number(n) => super::convert::format_number(n),
            Val::Bool(b) => b.to_string(),
            Val::Unknown(reason) => {
                return Ok(Traced {
                    val: Val::Unknown(reason),
                    origin,
                });
            }
            other => return error(format!("an object key cannot be a {}", other.type_name())),
        };
        out.insert(key, value.val);
    }
    Ok(Traced {
        val: Val::Object(out),
        origin,
    })
}

/// Adds `more` to `origin`, skipping steps already there.
pub fn merge_origins(origin: &mut Vec<Origin>, more: &[Origin]) {
    for step in more {
        if origin.len() >= MAX_TERRAFORM_ORIGINS {
            break;
        }
        if !origin.contains(step) {
            origin.push(step.clone());
        }
    }
}

/// The first unknown anywhere inside `val`, with its reason.
pub fn first_unknown(val: &Val) -> Option<&str> {
    match val {
        Val::Unknown(reason) => Some(reason),
        Val::List(items) => items.iter().find_map(first_unknown),
        Val::Object(members) => members.values().find_map(first_unknown),
        _ => None,
    }
}

/// A scope with no names at all: variables files and `--var` values are constants.
struct ConstScope(Budget);

impl Scope for ConstScope {
    fn var(&self, name: &str) -> SharedOutcome {
        error(format!("`var.{name}`: variables cannot be used here"))
    }
    fn local(&self, name: &str) -> SharedOutcome {
        error(format!("`local.{name}`: locals cannot be used here"))
    }
    fn instance(&self) -> &InstanceKeys {
        &InstanceKeys::NotAllowed
    }
    fn path(&self, _: &str) -> Option<String> {
        None
    }
    fn budget(&self) -> &Budget {
        &self.0
    }
}

/// Evaluates an expression that may refer to nothing (a variables file entry, a type default).
pub fn constant_attr(expr: &AttributeExpr) -> Outcome {
    let scope = ConstScope(budget());
    eval_attr(expr, &Env::new(&scope))
}

/// [`constant_attr`] for a bare native syntax expression, without origins.
pub fn constant(expr: &Expression) -> Result<Val, EvalError> {
    let scope = ConstScope(budget());
    eval(expr, &Env::new(&scope)).map(|traced| traced.val)
}

/// Parses a native syntax expression written outside a file (`--var`, a JSON `type`), refusing
/// text nested too deeply for hcl-edit's recursive parser.
pub fn parse_expression(text: &str) -> Result<Expression, String> {
    let limit = super::nesting::MAX_NESTING;
    if super::nesting::check(&format!("x = {text}\n"), limit).is_err() {
        return Err(format!("it nests deeper than {limit} levels"));
    }
    hcl_edit::parser::parse_expr(text).map_err(|e| e.message().to_string())
}
