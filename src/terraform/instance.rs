//! One module instance's names: its variables' values (from the caller's inputs or the root's
//! variables files, else defaults, converted to their types), its locals (evaluated on demand,
//! memoised, cycles reported), and the `count` / `for_each` expansion of its blocks.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use super::convert::{Filled, TypeConstraint, convert, convert_recording};
use super::eval::{
    BlockRef, Budget, Env, EvalError, InstanceKeys, Outcome, Scope, Shared, SharedOutcome,
    eval_attr,
};
use super::module::Module;
use super::syntax::{Attribute, ModuleCall, Variable};
use super::tfvars::Assignment;
use crate::limits::MAX_TERRAFORM_INSTANCES;
use crate::model::{Origin, OriginKind};
use crate::value::{Part, Parts, Traced, Val};

/// A module instance's variables and locals.
pub struct ModuleScope<'a> {
    pub module: &'a Module,
    source: VarSource<'a>,
    /// Variables evaluated so far.
    vars: RefCell<HashMap<String, SharedOutcome>>,
    /// `None` while the local is being evaluated: meeting it again is a cycle.
    locals: RefCell<HashMap<String, Option<SharedOutcome>>>,
    in_progress: RefCell<Vec<String>>,
    pub(super) budget: &'a Budget,
    pub(super) root_dir: String,
    /// Where calls lead, to read their outputs; `None`: outputs are not followed.
    pub(super) children: Option<&'a dyn Children>,
    /// The call names from the root to this module (`modules.json` keys).
    pub(super) names: Vec<String>,
    /// The directories of the modules from the root to this one: an output read from one of
    /// them again is a recursive module.
    pub(super) dirs: Vec<std::path::PathBuf>,
    /// Module outputs and other blocks' arguments read so far, by reference text
    /// (`module.web[0].url`, `azurerm_service_plan.p.os_type`); `None` while being evaluated.
    pub(super) reads: RefCell<HashMap<String, Option<SharedOutcome>>>,
    pub(super) reads_in_progress: RefCell<Vec<String>>,
}

/// Where a module's calls lead, for reading their outputs.
pub trait Children {
    /// The module `call` of `caller` (at module path `names`) leads to, read in full, or why
    /// it is not followed.
    fn child(
        &self,
        caller: &Module,
        call: &ModuleCall,
        names: &[String],
    ) -> Result<Arc<Module>, String>;
}

impl<'a> ModuleScope<'a> {
    pub fn new(
        module: &'a Module,
        source: VarSource<'a>,
        budget: &'a Budget,
        root_dir: String,
    ) -> Self {
        ModuleScope {
            module,
            source,
            vars: RefCell::default(),
            locals: RefCell::default(),
            in_progress: RefCell::default(),
            budget,
            root_dir,
            children: None,
            names: Vec::new(),
            dirs: Vec::new(),
            reads: RefCell::default(),
            reads_in_progress: RefCell::default(),
        }
    }

    /// Follows module outputs through `children`; `names` are the calls leading here and
    /// `dirs` the modules they lead through (the root's first, this one's last).
    pub fn with_children(
        mut self,
        children: &'a dyn Children,
        names: Vec<String>,
        dirs: Vec<std::path::PathBuf>,
    ) -> Self {
        self.children = Some(children);
        self.names = names;
        self.dirs = dirs;
        self
    }

    /// The scope for one instance of a block of this module.
    pub fn instance(&self, keys: InstanceKeys) -> InstanceScope<'_> {
        InstanceScope { module: self, keys }
    }

    fn var(&self, name: &str) -> SharedOutcome {
        if let Some(value) = self.vars.borrow().get(name) {
            return value.clone();
        }
        let Some(variable) = self.module.variables.get(name) else {
            return Err(EvalError(format!(
                "there is no variable `{name}` in this module"
            )));
        };
        let cuts = self.budget.cuts();
        let value = self
            .source
            .value(variable)
            .map(|(traced, fills)| Shared::with_fills(traced, fills));
        // A value a limit cut short depends on the evaluation that asked for it: the next one
        // computes it again within its own slice.
        if self.budget.cuts() == cuts {
            self.vars
                .borrow_mut()
                .insert(name.to_string(), value.clone());
        }
        value
    }

    fn local(&self, name: &str) -> SharedOutcome {
        if let Some(slot) = self.locals.borrow().get(name) {
            return match slot {
                Some(memo) => memo.clone(),
                None => Ok(Shared::new(Traced::here(Val::Unknown(self.cycle(name))))),
            };
        }
        let Some(attribute) = self.module.locals.get(name) else {
            return Err(EvalError(format!(
                "there is no local `{name}` in this module"
            )));
        };
        self.locals.borrow_mut().insert(name.to_string(), None);
        self.in_progress.borrow_mut().push(name.to_string());
        let cuts = self.budget.cuts();
        // Locals cannot use `count.index` or `each`: they belong to no block instance.
        let scope = self.instance(InstanceKeys::NotAllowed);
        let outcome = eval_attr(&attribute.expr, &Env::new(&scope)).map(|traced| {
            let hop = Origin::new(OriginKind::Local, attribute.span, format!("local `{name}`"));
            Shared::new(traced.through(hop.with_literal(attribute.literal())))
        });
        self.in_progress.borrow_mut().pop();
        let memo = (self.budget.cuts() == cuts).then(|| outcome.clone());
        let mut locals = self.locals.borrow_mut();
        match memo {
            Some(memo) => locals.insert(name.to_string(), Some(memo)),
            // Cut short by a limit: not memoised (see `var`).
            None => locals.remove(name),
        };
        outcome
    }

    fn cycle(&self, name: &str) -> String {
        locals_cycle(&self.in_progress.borrow(), name)
    }
}

/// Why `local.NAME` cannot be evaluated when `in_progress` (the locals being evaluated,
/// outermost first) already holds it: the chain from its first appearance back to it.
pub(crate) fn locals_cycle(in_progress: &[String], name: &str) -> String {
    let start = in_progress.iter().position(|n| n == name).unwrap_or(0);
    let chain: Vec<String> = in_progress[start..]
        .iter()
        .map(String::as_str)
        .chain(std::iter::once(name))
        .map(|n| format!("`local.{n}`"))
        .collect();
    format!(
        "locals refer to each other in a cycle: {}",
        chain.join(" → ")
    )
}

/// A module scope seen from one instance of one block.
pub struct InstanceScope<'a> {
    module: &'a ModuleScope<'a>,
    keys: InstanceKeys,
}

impl Scope for InstanceScope<'_> {
    fn var(&self, name: &str) -> SharedOutcome {
        self.module.var(name)
    }
    fn local(&self, name: &str) -> SharedOutcome {
        self.module.local(name)
    }
    fn instance(&self) -> &InstanceKeys {
        &self.keys
    }
    fn path(&self, name: &str) -> Option<String> {
        let dir = match name {
            "module" => self.module.module.dir.display().to_string(),
            _ => self.module.root_dir.clone(),
        };
        Some(if dir.is_empty() { ".".into() } else { dir })
    }
    fn budget(&self) -> &Budget {
        self.module.budget
    }
    fn module_output(&self, name: &str, key: Option<&Val>, output: &str) -> Option<SharedOutcome> {
        self.module.module_output(name, key, output)
    }
    fn argument(&self, block: BlockRef, arg: &str) -> Option<SharedOutcome> {
        self.module.argument(block, arg)
    }
}

/// Where a module instance's variables get their values. Each variable is evaluated on first
/// use only: modules declare many more variables than the control's attributes read.
pub enum VarSource<'a> {
    /// A root module: values from variables files and the command line, else defaults.
    Root(&'a HashMap<String, Assignment>),
    /// A called module: the call's inputs, evaluated in the caller's instance, else defaults.
    Call {
        call: &'a ModuleCall,
        caller: &'a InstanceScope<'a>,
    },
    /// A module instance whose inputs are not evaluated (past the root's bound on module
    /// instances): every variable is unknown, for this reason.
    Unknown(&'a str),
}

impl VarSource<'_> {
    fn value(&self, variable: &Variable) -> Result<(Traced, Vec<Filled>), EvalError> {
        let outcome = match self {
            VarSource::Root(assignments) => match assignments.get(&variable.name) {
                Some(assignment) => assignment.value(variable.type_constraint.as_ref()),
                None => default(variable, || {
                    Ok(no_value(
                        variable,
                        format!(
                            "variable `{}` has no default and no value in any tfvars file; pass \
                             it with --var or --var-file",
                            variable.name
                        ),
                    ))
                }),
            },
            VarSource::Call { call, caller } => {
                match call.inputs().find(|a| a.name == variable.name) {
                    Some(input) => eval_attr(&input.expr, &Env::new(*caller)).map(|traced| {
                        let note = format!("input `{}` of module `{}`", variable.name, call.name);
                        let hop = Origin::new(OriginKind::ModuleArgument, input.span, note);
                        traced.through(hop.with_literal(input.literal()))
                    }),
                    None => default(variable, || {
                        Err(EvalError(format!(
                            "module `{}` does not set `{}`, which has no default",
                            call.name, variable.name
                        )))
                    }),
                }
            }
            VarSource::Unknown(reason) => Ok(Traced {
                val: Val::Unknown(reason.to_string()),
                origin: vec![Origin::new(
                    OriginKind::Declaration,
                    variable.header,
                    format!("variable `{}`", variable.name),
                )],
                parts: None,
            }),
        };
        finish(variable, outcome)
    }
}

fn no_value(variable: &Variable, reason: String) -> Traced {
    Traced {
        val: Val::Unknown(reason),
        origin: vec![Origin::new(
            OriginKind::Declaration,
            variable.header,
            format!("variable `{}` has no default", variable.name),
        )],
        parts: None,
    }
}

/// The variable's default, or `missing()` when it has none.
fn default(variable: &Variable, missing: impl FnOnce() -> Outcome) -> Outcome {
    match &variable.default {
        Some(default) => super::eval::constant_attr(&default.expr).map(|traced| {
            let note = format!("default of variable `{}`", variable.name);
            let hop = Origin::new(OriginKind::VariableDefault, default.span, note);
            traced.through(hop.with_literal(default.literal()))
        }),
        None => missing(),
    }
}

/// Applies `nullable = false` and the variable's type, as Terraform does on the way in; also
/// says where the type's `optional(T, default)` defaults filled members in.
fn finish(variable: &Variable, outcome: Outcome) -> Result<(Traced, Vec<Filled>), EvalError> {
    let traced = outcome?;
    let traced = if traced.val == Val::Null && variable.nullable == Some(false) {
        default(variable, || Ok(traced))?
    } else {
        traced
    };
    let ty = variable
        .type_constraint
        .as_ref()
        .unwrap_or(&TypeConstraint::Any);
    match convert_recording(traced.val, ty) {
        Ok((val, fills)) => Ok((
            Traced {
                val,
                origin: traced.origin,
                // A set's elements are reordered: their positions no longer name their parts.
                parts: traced.parts.and_then(|parts| fit_parts(&parts, ty)),
            },
            fills,
        )),
        Err(e) => Err(EvalError(format!(
            "the value of variable `{}` does not fit its type {}: {e}",
            variable.name,
            ty.describe()
        ))),
    }
}

/// How many instances a block has.
pub enum Expansion {
    /// No `count` / `for_each`: one instance without keys.
    Single,
    /// Each instance's keys and its address suffix (`[0]`, `["a"]`); empty: none deployed.
    Instances(Vec<(InstanceKeys, String)>),
    /// `count` / `for_each` cannot be resolved: judged once, the reason says why.
    Unresolved(String),
}

/// Expands a block's `count` or `for_each` in `scope`.
pub fn expand(
    count: Option<&Attribute>,
    for_each: Option<&Attribute>,
    scope: &ModuleScope,
) -> Expansion {
    let meta = scope.instance(InstanceKeys::NotAllowed);
    let env = Env::new(&meta);
    if let Some(count) = count {
        let n = match eval_attr(&count.expr, &env).map(|t| convert(t.val, &TypeConstraint::Number))
        {
            Ok(Ok(Val::Number(n))) if n >= 0.0 && n.fract() == 0.0 => n as usize,
            Ok(Ok(Val::Unknown(reason))) => {
                return Expansion::Unresolved(format!("`count` cannot be resolved: {reason}"));
            }
            Ok(Ok(other)) => {
                return rejected(
                    "count",
                    format!(
                        "it must be a whole number of at least 0, not {}",
                        shown(&other)
                    ),
                );
            }
            Ok(Err(e)) | Err(EvalError(e)) => return rejected("count", e),
        };
        if n > MAX_TERRAFORM_INSTANCES {
            return Expansion::Unresolved(format!(
                "`count` is {n}, more than the {MAX_TERRAFORM_INSTANCES} instances certgate expands"
            ));
        }
        return Expansion::Instances(
            (0..n)
                .map(|i| (InstanceKeys::Count(i), format!("[{i}]")))
                .collect(),
        );
    }
    let Some(for_each) = for_each else {
        return Expansion::Single;
    };
    let mut traced = match eval_attr(&for_each.expr, &env) {
        Ok(traced) => traced,
        Err(EvalError(e)) => return rejected("for_each", e),
    };
    let fills = variable_fills(for_each, scope);
    // A map's elements keep their own hops; a set's elements are strings, with the set's.
    let by_key = matches!(traced.val, Val::Object(_));
    let entries: Vec<(String, Val)> = match std::mem::replace(&mut traced.val, Val::Null) {
        Val::Unknown(reason) => {
            return Expansion::Unresolved(format!("`for_each` cannot be resolved: {reason}"));
        }
        Val::Object(members) => members.into_iter().collect(),
        // A set of strings: each key and value is the element.
        Val::List(items) => {
            let mut entries = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Val::String(s) => entries.push((s.clone(), Val::String(s))),
                    Val::Unknown(reason) => {
                        return Expansion::Unresolved(format!(
                            "`for_each` cannot be resolved: {reason}"
                        ));
                    }
                    other => {
                        return rejected(
                            "for_each",
                            format!(
                                "a set for `for_each` must hold strings, not {}",
                                shown(&other)
                            ),
                        );
                    }
                }
            }
            entries
        }
        other => {
            return rejected(
                "for_each",
                format!(
                    "it must be a map or a set of strings, not {}",
                    shown(&other)
                ),
            );
        }
    };
    if entries.len() > MAX_TERRAFORM_INSTANCES {
        return Expansion::Unresolved(format!(
            "`for_each` has {} elements, more than the {MAX_TERRAFORM_INSTANCES} instances \
             certgate expands",
            entries.len()
        ));
    }
    Expansion::Instances(
        entries
            .into_iter()
            .map(|(key, val)| {
                let suffix = format!("[{}]", serde_json::to_string(&key).unwrap_or_default());
                let value = if by_key {
                    traced.member_traced(&key, val)
                } else {
                    Traced::new(val, traced.origin.clone())
                };
                // The defaults filled in this element, relative to it.
                let fills = fills
                    .iter()
                    .filter(|fill| fill.path.first() == Some(&key))
                    .map(|fill| Filled {
                        path: fill.path[1..].to_vec(),
                        ..fill.clone()
                    })
                    .collect();
                (InstanceKeys::Each { key, value, fills }, suffix)
            })
            .collect(),
    )
}

/// The defaults filled in a variable when `for_each` is written as `var.NAME` (the common form
/// whose elements' origins can reach an `optional(T, default)`); none otherwise.
fn variable_fills(for_each: &Attribute, scope: &ModuleScope) -> Vec<Filled> {
    use hcl_edit::expr::{Expression, TraversalOperator};
    let super::syntax::AttributeExpr::Hcl(Expression::Traversal(traversal)) = &for_each.expr else {
        return Vec::new();
    };
    let (Expression::Variable(root), [op]) = (&traversal.expr, traversal.operators.as_slice())
    else {
        return Vec::new();
    };
    match (root.as_str(), op.value()) {
        ("var", TraversalOperator::GetAttr(name)) => scope
            .var(name.as_str())
            .map(|shared| shared.fills.clone())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn rejected(meta: &str, why: String) -> Expansion {
    Expansion::Unresolved(format!("Terraform would reject `{meta}`: {why}"))
}

fn shown(val: &Val) -> String {
    match val {
        Val::Null => "null".into(),
        other => format!("a {}", other.type_name()),
    }
}

/// `parts` of a value converted to `ty`: the members of a set are reordered, so their
/// positions no longer name their parts; the set keeps its elements' hops merged.
pub(crate) fn fit_parts(parts: &Arc<Parts>, ty: &TypeConstraint) -> Option<Arc<Parts>> {
    let member_ty = |key: &str| -> Option<&TypeConstraint> {
        match ty {
            TypeConstraint::Any => None,
            TypeConstraint::List(inner) | TypeConstraint::Map(inner) => Some(inner),
            TypeConstraint::Tuple(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
            TypeConstraint::Object(attributes) => {
                attributes.iter().find(|a| a.name == key).map(|a| &a.ty)
            }
            _ => None,
        }
    };
    match ty {
        TypeConstraint::Set(_) => None,
        TypeConstraint::Any => Some(Arc::clone(parts)),
        _ => {
            let members = parts
                .members
                .iter()
                .map(|(key, part)| {
                    let inner = match (&part.parts, member_ty(key)) {
                        (Some(inner), Some(ty)) => fit_parts(inner, ty),
                        (inner, _) => inner.clone(),
                    };
                    let part = Part {
                        origin: part.origin.clone(),
                        parts: inner,
                    };
                    (key.clone(), part)
                })
                .collect();
            Some(Arc::new(Parts {
                built: parts.built.clone(),
                members,
            }))
        }
    }
}
