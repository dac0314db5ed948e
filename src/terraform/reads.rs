//! Values another part of a module holds at plan time, read through references: a called
//! module's outputs (`module.NAME[key].OUT`, evaluated in that call instance) and the arguments
//! written in the module's other blocks (`TYPE.NAME[key].ARG`, `data.TYPE.NAME.ARG`). Each is
//! memoised per module instance, and cycles between them are reported like locals' cycles.

use super::convert::format_number;
use super::eval::{
    BlockRef, Env, EvalError, InstanceKeys, Outcome, Shared, SharedOutcome, eval_attr,
};
use super::instance::{Expansion, ModuleScope, VarSource, expand};
use super::syntax::Attribute;
use crate::limits::MAX_TERRAFORM_MODULE_DEPTH;
use crate::model::{Origin, OriginKind};
use crate::value::{Traced, Val};

impl ModuleScope<'_> {
    /// A module output or another block's argument, memoised under `key` (the reference as
    /// written), cycles reported like locals'.
    pub(super) fn read(&self, key: String, evaluate: impl FnOnce() -> Outcome) -> SharedOutcome {
        if let Some(slot) = self.reads.borrow().get(&key) {
            return match slot {
                Some(memo) => memo.clone(),
                None => {
                    let stack = self.reads_in_progress.borrow();
                    let start = stack.iter().position(|k| *k == key).unwrap_or(0);
                    let chain: Vec<String> = stack[start..]
                        .iter()
                        .chain(std::iter::once(&key))
                        .map(|k| format!("`{k}`"))
                        .collect();
                    let reason = format!(
                        "module outputs and resource arguments refer to each other in a cycle: {}",
                        chain.join(" → ")
                    );
                    Ok(Shared::new(Traced::here(Val::Unknown(reason))))
                }
            };
        }
        self.reads.borrow_mut().insert(key.clone(), None);
        self.reads_in_progress.borrow_mut().push(key.clone());
        let cuts = self.budget.cuts();
        let outcome = evaluate().map(Shared::new);
        self.reads_in_progress.borrow_mut().pop();
        let mut reads = self.reads.borrow_mut();
        if self.budget.cuts() == cuts {
            reads.insert(key, Some(outcome.clone()));
        } else {
            // Cut short by a limit: not memoised (see `var`).
            reads.remove(&key);
        }
        outcome
    }

    pub(super) fn module_output(
        &self,
        name: &str,
        key: Option<&Val>,
        output: &str,
    ) -> Option<SharedOutcome> {
        let children = self.children?;
        let call = self.module.calls.iter().find(|call| call.name == name)?;
        let reference = format!("module.{name}{}.{output}", suffix(key));
        let what = format!("module `{name}`");
        Some(self.read(reference, || {
            let keys = match pick(
                call.attribute("count"),
                call.attribute("for_each"),
                key,
                &what,
                self,
            )? {
                Ok(keys) => keys,
                Err(reason) => return Ok(Traced::here(Val::Unknown(reason))),
            };
            let child = match children.child(self.module, call, &self.names) {
                Ok(child) => child,
                Err(why) => {
                    return Ok(Traced::here(Val::Unknown(format!(
                        "it uses an output of module `{name}`, which is not followed: {why}"
                    ))));
                }
            };
            let Some(block) = child.outputs.get(output) else {
                return Err(EvalError(format!(
                    "module `{name}` has no output `{output}`"
                )));
            };
            let Some(value) = &block.value else {
                return Err(EvalError(format!(
                    "output `{output}` of module `{name}` has no `value`"
                )));
            };
            if self.dirs.contains(&child.dir) {
                return Ok(Traced::here(Val::Unknown(format!(
                    "it uses an output of module `{name}`, which calls itself; Terraform \
                     rejects recursive modules"
                ))));
            }
            if self.names.len() >= MAX_TERRAFORM_MODULE_DEPTH {
                return Ok(Traced::here(Val::Unknown(format!(
                    "output `{output}` of module `{name}` is nested more than \
                     {MAX_TERRAFORM_MODULE_DEPTH} calls deep"
                ))));
            }
            let caller = self.instance(keys);
            let mut names = self.names.clone();
            names.push(name.to_string());
            let vars = VarSource::Call {
                call,
                caller: &caller,
            };
            let mut dirs = self.dirs.clone();
            dirs.push(child.dir.clone());
            let scope = ModuleScope::new(&child, vars, self.budget, self.root_dir.clone())
                .with_children(children, names, dirs);
            // Outputs belong to no block instance: no `count.index` or `each`.
            let inner = scope.instance(InstanceKeys::NotAllowed);
            eval_attr(&value.expr, &Env::new(&inner)).map(|traced| {
                let note = format!("output `{output}` of module `{name}`");
                let hop = Origin::new(OriginKind::ModuleOutput, value.span, note);
                traced.through(hop.with_literal(value.literal()))
            })
        }))
    }

    pub(super) fn argument(&self, block: BlockRef, arg: &str) -> Option<SharedOutcome> {
        let blocks = if block.data {
            &self.module.data
        } else {
            &self.module.resources
        };
        let found = blocks
            .iter()
            .find(|b| b.resource_type == block.resource_type && b.name == block.name)?;
        // Meta-arguments are not values of the resource; an argument not written is computed
        // by the provider (or read from Azure, for a data source): unknown, as before.
        if META.contains(&arg) {
            return None;
        }
        let attribute = found.argument(arg)?;
        let address = match block.data {
            true => format!("data.{}", found.address()),
            false => found.address(),
        };
        let reference = format!("{address}{}.{arg}", suffix(block.key));
        Some(self.read(reference, || {
            let what = format!("`{address}`");
            let (count, for_each) = (found.count_argument(), found.for_each_argument());
            let keys = match pick(count, for_each, block.key, &what, self)? {
                Ok(keys) => keys,
                Err(reason) => return Ok(Traced::here(Val::Unknown(reason))),
            };
            let scope = self.instance(keys);
            eval_attr(&attribute.expr, &Env::new(&scope)).map(|traced| {
                let note = format!("argument `{arg}` of `{address}`");
                let hop = Origin::new(OriginKind::ResourceArgument, attribute.span, note);
                traced.through(hop.with_literal(attribute.literal()))
            })
        }))
    }
}

/// Block arguments that configure Terraform, not the resource.
const META: &[&str] = &[
    "count",
    "for_each",
    "depends_on",
    "provider",
    "lifecycle",
    "provisioner",
    "connection",
];

/// `[0]` or `["a"]` for a reference's instance key; empty without one.
fn suffix(key: Option<&Val>) -> String {
    match key {
        None => String::new(),
        Some(Val::Number(n)) => format!("[{}]", format_number(*n)),
        Some(Val::String(s)) => format!("[{}]", serde_json::to_string(s).unwrap_or_default()),
        Some(other) => format!("[{}]", other.type_name()),
    }
}

/// The instance of a block with `count` / `for_each` that `key` picks (`what` names the block
/// in messages). `Ok(Err(reason))`: which instances exist is unknown, or the key is.
fn pick(
    count: Option<&Attribute>,
    for_each: Option<&Attribute>,
    key: Option<&Val>,
    what: &str,
    scope: &ModuleScope,
) -> Result<Result<InstanceKeys, String>, EvalError> {
    if let Some(Val::Unknown(reason)) = key {
        return Ok(Err(reason.clone()));
    }
    let instances = match (expand(count, for_each, scope), key) {
        (Expansion::Single, None) => return Ok(Ok(InstanceKeys::None)),
        (Expansion::Single, Some(_)) => {
            return Err(EvalError(format!(
                "{what} has no `count` or `for_each`, so it cannot be indexed"
            )));
        }
        (Expansion::Unresolved(reason), _) => return Ok(Err(reason)),
        (Expansion::Instances(_), None) => {
            return Err(EvalError(format!(
                "{what} has `count` or `for_each`: refer to one instance with `[key]`"
            )));
        }
        (Expansion::Instances(instances), Some(_)) => instances,
    };
    let Some(key) = key else {
        return Ok(Ok(InstanceKeys::None));
    };
    let wanted = suffix(Some(key));
    let wanted_number = match key {
        Val::String(text) => text.trim().parse::<f64>().ok(),
        Val::Number(n) => Some(*n),
        _ => None,
    };
    for (keys, _) in instances {
        let matches = match (&keys, key) {
            (InstanceKeys::Count(i), _) => wanted_number == Some(*i as f64),
            (InstanceKeys::Each { key: each, .. }, Val::String(text)) => each == text,
            _ => false,
        };
        if matches {
            return Ok(Ok(keys));
        }
    }
    Err(EvalError(format!("{what} has no instance {wanted}")))
}
