//! References (`var.x`, `local.y`, `count.index`, `each.value`, `path.module`, and the ones that
//! are unknown until Terraform runs: resources, data sources, module outputs) and traversals
//! (`.name`, `[key]`) over the values they name.
//!
//! Variables and locals are shared values: a traversal walks them by reference and copies only
//! the part it ends on (`local.apps[each.key].mtls` copies one bool, not the map), charging the
//! copy to the budget.

use hcl_edit::expr::{Expression, TraversalOperator};

use super::{
    BlockRef, Env, EvalError, InstanceKeys, Outcome, Shared, error, eval, from_default, size,
};
use crate::terraform::convert::format_number;
use crate::value::{Traced, Val};

/// What a reference reached: a shared variable or local, or a value of its own.
enum Reached {
    Shared(std::rc::Rc<Shared>),
    Owned(Traced),
}

/// Evaluates `root` followed by `operators`.
pub fn traversal(root: &Expression, operators: &[&TraversalOperator], env: &Env) -> Outcome {
    let (reached, used) = match root {
        Expression::Variable(name) if env.lookup(name.as_str()).is_none() => {
            reference(name.as_str(), operators, env)?
        }
        other => (Reached::Owned(eval(other, env)?), 0),
    };
    let mut rest = &operators[used..];
    let mut current = match reached {
        Reached::Owned(traced) => traced,
        Reached::Shared(shared) => {
            let mut val = &shared.traced.val;
            let origin = shared.traced.origin.clone();
            let mut walked = 0;
            let mut path = Vec::new();
            for op in rest {
                // The key picks an element; the element's value was written where the whole
                // value was, so only that origin is kept.
                let Some(key) = key_of(op, env)? else {
                    break;
                };
                walked += 1;
                if !shared.fills.is_empty() {
                    path.push(key_text(&key));
                }
                match step(val, &key, is_attr(op))? {
                    Step::Found(next) => val = next,
                    Step::Unknown(reason) => {
                        return Ok(Traced {
                            val: Val::Unknown(reason),
                            origin,
                        });
                    }
                }
            }
            let cost = if walked == 0 { shared.size } else { size(val) };
            let budget = env.scope.budget();
            if !budget.charge(cost) {
                return Ok(Traced::here(Val::Unknown(budget.reason())));
            }
            rest = &rest[walked..];
            let traced = Traced {
                val: val.clone(),
                origin,
            };
            from_default(traced, &shared.fills, &path)
        }
    };
    // `each.value` of a `for_each` over a variable whose type filled defaults in.
    let fills = match (root, operators.first(), env.scope.instance()) {
        (
            Expression::Variable(name),
            Some(TraversalOperator::GetAttr(which)),
            InstanceKeys::Each { fills, .. },
        ) if name.as_str() == "each" && which.as_str() == "value" && used == 1 => fills.as_slice(),
        _ => &[],
    };
    let mut path = Vec::new();
    for op in rest {
        let Some(key) = key_of(op, env)? else {
            return Ok(Traced::here(Val::unknown(
                "it uses a splat expression (`[*]`), which certgate does not evaluate",
            )));
        };
        current.val = match step(&current.val, &key, is_attr(op))? {
            Step::Found(next) => next.clone(),
            Step::Unknown(reason) => Val::Unknown(reason),
        };
        if !fills.is_empty() {
            path.push(key_text(&key));
        }
    }
    Ok(from_default(current, fills, &path))
}

/// The value a reference names (`var.x`, `local.y`, `count.index`, …) and how many of the
/// traversal operators it consumed.
fn reference(
    root: &str,
    operators: &[&TraversalOperator],
    env: &Env,
) -> Result<(Reached, usize), EvalError> {
    let attr = |i: usize| match operators.get(i) {
        Some(TraversalOperator::GetAttr(name)) => Some(name.as_str()),
        _ => None,
    };
    let owned = |traced: Traced| Ok((Reached::Owned(traced), 1));
    let unknown = |reason: String| {
        let traced = Traced::here(Val::Unknown(reason));
        Ok((Reached::Owned(traced), operators.len()))
    };
    let scope = env.scope;
    if let Some(found) = scope.reference(root, operators) {
        let (traced, used) = found?;
        return Ok((Reached::Owned(traced), used));
    }
    match (root, attr(0)) {
        ("var", Some(name)) => Ok((Reached::Shared(scope.var(name)?), 1)),
        ("local", Some(name)) => Ok((Reached::Shared(scope.local(name)?), 1)),
        ("count", Some("index")) => owned(instance_key(scope.instance(), "count.index")?),
        ("each", Some(which @ ("key" | "value"))) => {
            owned(instance_key(scope.instance(), &format!("each.{which}"))?)
        }
        ("path", Some(which @ ("module" | "root"))) => match scope.path(which) {
            Some(path) => owned(Traced::here(Val::String(path))),
            None => error(format!("`path.{which}` cannot be used here")),
        },
        ("path", Some("cwd")) => unknown("`path.cwd` depends on where Terraform runs".into()),
        ("terraform", Some("workspace")) => {
            unknown("`terraform.workspace` depends on the selected workspace".into())
        }
        ("module", Some(name)) => {
            let followed = match keyed_attr(operators, 1, env) {
                Some((Some(Val::Unknown(reason)), _, _)) => return unknown(reason),
                Some((key, output, used)) => scope
                    .module_output(name, key.as_ref(), output)
                    .map(|outcome| outcome.map(|shared| (Reached::Shared(shared), used))),
                None => None,
            };
            followed.unwrap_or_else(|| {
                unknown(format!(
                    "it uses an output of module `{name}`, and certgate does not evaluate \
                     module outputs"
                ))
            })
        }
        ("data", Some(kind)) => {
            let written = match (attr(1), keyed_attr(operators, 2, env)) {
                (Some(name), Some((key, arg, used))) => {
                    let block = BlockRef {
                        data: true,
                        resource_type: kind,
                        name,
                        key: key.as_ref(),
                    };
                    scope
                        .argument(block, arg)
                        .map(|outcome| outcome.map(|shared| (Reached::Shared(shared), used)))
                }
                _ => None,
            };
            written.unwrap_or_else(|| {
                unknown(format!(
                    "it reads data source `data.{kind}.{}`, known only when Terraform runs",
                    attr(1).unwrap_or("…")
                ))
            })
        }
        ("self", _) => unknown("`self` is known only when Terraform runs".into()),
        ("var" | "local" | "count" | "each" | "path" | "terraform", _) => {
            error(format!("`{root}` must be followed by an attribute name"))
        }
        (resource_type, Some(name)) if resource_type.contains('_') => {
            let written = match keyed_attr(operators, 1, env) {
                Some((key, arg, used)) => {
                    let block = BlockRef {
                        data: false,
                        resource_type,
                        name,
                        key: key.as_ref(),
                    };
                    scope
                        .argument(block, arg)
                        .map(|outcome| outcome.map(|shared| (Reached::Shared(shared), used)))
                }
                None => None,
            };
            written.unwrap_or_else(|| {
                unknown(format!(
                    "it uses an attribute of resource `{resource_type}.{name}`, known only after \
                     apply"
                ))
            })
        }
        _ => error(format!("there is no name `{root}` here")),
    }
}

/// `[key].name` or `.name` from `operators[at..]`: the key (evaluated), the name, and how many
/// operators were used from the start. `None` for any other shape (a splat, no name).
fn keyed_attr<'o>(
    operators: &[&'o TraversalOperator],
    at: usize,
    env: &Env,
) -> Option<(Option<Val>, &'o str, usize)> {
    let name_at = |i: usize| match operators.get(i) {
        Some(TraversalOperator::GetAttr(name)) => Some(name.as_str()),
        _ => None,
    };
    if let Some(name) = name_at(at) {
        return Some((None, name, at + 1));
    }
    let key = match operators.get(at) {
        // A key Terraform would reject leaves the reference as it was before keys were read:
        // unknown, with the reference's own reason.
        Some(TraversalOperator::Index(expr)) => match eval(expr, env) {
            Ok(traced) => traced.val,
            Err(_) => return None,
        },
        Some(TraversalOperator::LegacyIndex(n)) => Val::Number(*n.value() as f64),
        _ => return None,
    };
    name_at(at + 1).map(|name| (Some(key), name, at + 2))
}

fn instance_key(keys: &InstanceKeys, what: &str) -> Outcome {
    let value = match (keys, what) {
        (InstanceKeys::Count(index), "count.index") => Val::Number(*index as f64),
        (InstanceKeys::Each { key, .. }, "each.key") => Val::String(key.clone()),
        (InstanceKeys::Each { value, .. }, "each.value") => return Ok(value.clone()),
        (InstanceKeys::Unknown(reason), _) => {
            Val::Unknown(format!("it depends on `{what}`, and {reason}"))
        }
        (InstanceKeys::NotAllowed, _) => return error(format!("`{what}` cannot be used here")),
        _ => {
            let meta = if what == "count.index" {
                "count"
            } else {
                "for_each"
            };
            return error(format!("`{what}` needs `{meta}` on the block"));
        }
    };
    Ok(Traced::here(value))
}

/// A traversal key as a path segment of [`super::Filled`] (numbers as Terraform prints them).
fn key_text(key: &Val) -> String {
    match key {
        Val::String(text) => text.clone(),
        Val::Number(n) => format_number(*n),
        other => other.type_name().to_string(),
    }
}

fn is_attr(op: &TraversalOperator) -> bool {
    matches!(op, TraversalOperator::GetAttr(_))
}

/// The key one traversal step looks up; `None` for a splat.
fn key_of(op: &TraversalOperator, env: &Env) -> Result<Option<Val>, EvalError> {
    Ok(Some(match op {
        TraversalOperator::GetAttr(name) => Val::String(name.as_str().into()),
        TraversalOperator::Index(expr) => eval(expr, env)?.val,
        TraversalOperator::LegacyIndex(n) => Val::Number(*n.value() as f64),
        TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => return Ok(None),
    }))
}

/// Where one step lands.
enum Step<'v> {
    Found(&'v Val),
    Unknown(String),
}

/// Looks `key` up in `val` (`.name` when `is_attr`, else `[key]`), as Terraform would.
fn step<'v>(val: &'v Val, key: &Val, is_attr: bool) -> Result<Step<'v>, EvalError> {
    let found = match (val, key) {
        (Val::Unknown(reason), _) | (_, Val::Unknown(reason)) => {
            return Ok(Step::Unknown(reason.clone()));
        }
        (Val::Null, key) => return error(format!("cannot read {} of null", describe_key(key))),
        (Val::Object(members), Val::String(name)) => match members.get(name) {
            Some(member) => member,
            None if is_attr => return error(format!("the object has no attribute `{name}`")),
            None => return error(format!("the map has no element with key \"{name}\"")),
        },
        (Val::Object(members), Val::Number(n)) if !is_attr => {
            let name = format_number(*n);
            match members.get(&name) {
                Some(member) => member,
                None => return error(format!("the map has no element with key \"{name}\"")),
            }
        }
        (Val::List(items), key) if !is_attr => {
            let index = match key {
                Val::Number(n) => *n,
                Val::String(text) => text.trim().parse().unwrap_or(f64::NAN),
                other => {
                    let kind = other.type_name();
                    return error(format!("a list cannot be indexed by a {kind}"));
                }
            };
            let len = items.len();
            if index.fract() != 0.0 || index < 0.0 || index >= len as f64 {
                return error(format!("index {index} is out of range for a list of {len}"));
            }
            &items[index as usize]
        }
        (val, key) => {
            let kind = val.type_name();
            return error(format!("cannot read {} of a {kind}", describe_key(key)));
        }
    };
    Ok(Step::Found(found))
}

fn describe_key(key: &Val) -> String {
    match key {
        Val::String(name) => format!("`{name}`"),
        Val::Number(n) => format!("element {}", format_number(*n)),
        other => format!("a {} key", other.type_name()),
    }
}
