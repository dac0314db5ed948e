//! Terraform's operators: conditionals, `!` and `-`, comparisons, logic, arithmetic, and `for`
//! expressions, with unknowns handled the way a plan would (a known operand that decides a
//! logical result decides it; a condition that is unknown still decides when both branches
//! agree).

use std::collections::BTreeMap;

use hcl_edit::expr::{BinaryOperator, Expression, ForExpr, UnaryOperator};

use super::{Env, EvalError, Outcome, built, error, eval, first_unknown, merge_origins};
use crate::terraform::convert::{TypeConstraint, convert, format_number};
use crate::value::{Traced, Val};

/// A bool operand, an unknown (with why), or the error Terraform would report.
enum Decided<T> {
    Known(T),
    Unknown(String),
}

fn as_bool(value: &Traced, what: &str) -> Result<Decided<bool>, EvalError> {
    match convert(value.val.clone(), &TypeConstraint::Bool) {
        Ok(Val::Bool(b)) => Ok(Decided::Known(b)),
        Ok(Val::Unknown(reason)) => Ok(Decided::Unknown(reason)),
        Ok(Val::Null) => error(format!("{what} is null")),
        Ok(other) => error(format!(
            "{what} must be a bool, not a {}",
            other.type_name()
        )),
        Err(e) => error(format!("{what}: {e}")),
    }
}

fn as_number(value: &Traced, what: &str) -> Result<Decided<f64>, EvalError> {
    match convert(value.val.clone(), &TypeConstraint::Number) {
        Ok(Val::Number(n)) => Ok(Decided::Known(n)),
        Ok(Val::Unknown(reason)) => Ok(Decided::Unknown(reason)),
        Ok(Val::Null) => error(format!("{what} is null")),
        Ok(other) => error(format!(
            "{what} must be a number, not a {}",
            other.type_name()
        )),
        Err(e) => error(format!("{what}: {e}")),
    }
}

/// A value computed from `inputs`: it carries all their origins.
fn derived(val: Val, inputs: &[&Traced]) -> Traced {
    let mut origin = Vec::new();
    for input in inputs {
        merge_origins(&mut origin, &input.origin);
    }
    Traced {
        val,
        origin,
        parts: None,
    }
}

/// `cond ? a : b`. Only the chosen branch's errors count, as in Terraform. The result's origin
/// is the chosen branch's: that is where its value was written (and where a fix goes); the
/// condition only picked it.
pub fn conditional(cond: &Expression, yes: &Expression, no: &Expression, env: &Env) -> Outcome {
    let condition = eval(cond, env)?;
    match as_bool(&condition, "the condition")? {
        Decided::Known(choice) => eval(if choice { yes } else { no }, env),
        Decided::Unknown(reason) => {
            // Both branches giving the same known value decide it whatever the condition is.
            // Otherwise the unknown condition is what the result depends on.
            if let (Ok(a), Ok(b)) = (eval(yes, env), eval(no, env))
                && a.val == b.val
                && first_unknown(&a.val).is_none()
            {
                return Ok(derived(a.val.clone(), &[&a, &b]));
            }
            Ok(derived(Val::Unknown(reason), &[&condition]))
        }
    }
}

pub fn unary(operator: UnaryOperator, operand: &Expression, env: &Env) -> Outcome {
    let value = eval(operand, env)?;
    let val = match operator {
        UnaryOperator::Not => match as_bool(&value, "the operand of `!`")? {
            Decided::Known(b) => Val::Bool(!b),
            Decided::Unknown(reason) => Val::Unknown(reason),
        },
        UnaryOperator::Neg => match as_number(&value, "the operand of `-`")? {
            Decided::Known(n) => Val::Number(-n),
            Decided::Unknown(reason) => Val::Unknown(reason),
        },
    };
    Ok(derived(val, &[&value]))
}

pub fn binary(operator: BinaryOperator, lhs: &Expression, rhs: &Expression, env: &Env) -> Outcome {
    use BinaryOperator as Op;
    if matches!(operator, Op::And | Op::Or) {
        return logical(operator == Op::And, lhs, rhs, env);
    }
    let (a, b) = (eval(lhs, env)?, eval(rhs, env)?);
    let val = match operator {
        Op::Eq | Op::NotEq => match first_unknown(&a.val).or(first_unknown(&b.val)) {
            Some(reason) => Val::unknown(reason),
            // `==` compares type and value: `1 == "1"` is false, as in Terraform.
            None => Val::Bool((a.val == b.val) == (operator == Op::Eq)),
        },
        _ => {
            let symbol = operator.as_str();
            let what = format!("an operand of `{symbol}`");
            match (as_number(&a, &what)?, as_number(&b, &what)?) {
                (Decided::Unknown(reason), _) | (_, Decided::Unknown(reason)) => {
                    Val::Unknown(reason)
                }
                (Decided::Known(x), Decided::Known(y)) => arithmetic(operator, x, y)?,
            }
        }
    };
    Ok(derived(val, &[&a, &b]))
}

fn arithmetic(operator: BinaryOperator, x: f64, y: f64) -> Result<Val, EvalError> {
    use BinaryOperator as Op;
    Ok(match operator {
        Op::Less => Val::Bool(x < y),
        Op::LessEq => Val::Bool(x <= y),
        Op::Greater => Val::Bool(x > y),
        Op::GreaterEq => Val::Bool(x >= y),
        Op::Plus => Val::Number(x + y),
        Op::Minus => Val::Number(x - y),
        Op::Mul => Val::Number(x * y),
        Op::Div if y == 0.0 => return error("division by zero"),
        Op::Div => Val::Number(x / y),
        Op::Mod if y == 0.0 => return error("modulo by zero"),
        Op::Mod => Val::Number(x % y),
        _ => return error(format!("unsupported operator `{}`", operator.as_str())),
    })
}

/// `&&` / `||`: a known operand that decides the result decides it, even when the other is
/// unknown; the right side is not evaluated when the left decides (Terraform 1.10 and later).
fn logical(and: bool, lhs: &Expression, rhs: &Expression, env: &Env) -> Outcome {
    let symbol = if and { "&&" } else { "||" };
    let what = format!("an operand of `{symbol}`");
    let a = eval(lhs, env)?;
    let left = as_bool(&a, &what)?;
    // `false && …` is false and `true || …` is true, whatever follows.
    if let Decided::Known(x) = left
        && x != and
    {
        return Ok(derived(Val::Bool(x), &[&a]));
    }
    let b = eval(rhs, env)?;
    let val = match (left, as_bool(&b, &what)?) {
        (_, Decided::Known(y)) if y != and => Val::Bool(y),
        (Decided::Known(_), Decided::Known(y)) => Val::Bool(y),
        (Decided::Unknown(reason), _) | (_, Decided::Unknown(reason)) => Val::Unknown(reason),
    };
    Ok(derived(val, &[&a, &b]))
}

/// `[for k, v in coll : value if cond]` and `{for k, v in coll : key => value... if cond}`.
pub fn for_expr(for_expr: &ForExpr, env: &Env) -> Outcome {
    let intro = &for_expr.intro;
    let collection = eval(&intro.collection_expr, env)?;
    let items: Vec<(Val, Val)> = match collection.val.clone() {
        Val::List(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, item)| (Val::Number(i as f64), item))
            .collect(),
        Val::Object(members) => members
            .into_iter()
            .map(|(key, value)| (Val::String(key), value))
            .collect(),
        Val::Unknown(reason) => return Ok(derived(Val::Unknown(reason), &[&collection])),
        other => {
            return error(format!(
                "a `for` expression cannot iterate over a {}",
                other.type_name()
            ));
        }
    };
    let mut list = Vec::new();
    let mut object: BTreeMap<String, Val> = BTreeMap::new();
    let mut origin = collection.origin.clone();
    // Each element's own hops, by its key in the result (none when `...` groups elements).
    let mut parts = Vec::new();
    for (key, value) in items {
        let member = match &key {
            Val::Number(index) => format_number(*index),
            Val::String(name) => name.clone(),
            other => other.type_name().to_string(),
        };
        // The element keeps only its own hops (and those that passed the collection).
        let value = collection.member_traced(&member, value);
        let key = Traced::new(key, collection.origin.clone());
        let mut names = vec![(intro.value_var.as_str().to_string(), value)];
        if let Some(key_var) = &intro.key_var {
            names.push((key_var.as_str().to_string(), key));
        }
        let inner = env.bind(names);
        if let Some(cond) = &for_expr.cond {
            let keep = eval(&cond.expr, &inner)?;
            merge_origins(&mut origin, &keep.origin);
            match as_bool(&keep, "the `if` of a `for` expression")? {
                Decided::Known(false) => continue,
                Decided::Known(true) => {}
                Decided::Unknown(reason) => {
                    return Ok(Traced {
                        val: Val::Unknown(reason),
                        origin,
                        parts: None,
                    });
                }
            }
        }
        let element = eval(&for_expr.value_expr, &inner)?;
        merge_origins(&mut origin, &element.origin);
        let Some(key_expr) = &for_expr.key_expr else {
            parts.push((list.len().to_string(), element.origin, element.parts));
            list.push(element.val);
            continue;
        };
        let key = eval(key_expr, &inner)?;
        let key = match convert(key.val, &TypeConstraint::String) {
            Ok(Val::String(key)) => key,
            Ok(Val::Unknown(reason)) => {
                return Ok(Traced {
                    val: Val::Unknown(reason),
                    origin,
                    parts: None,
                });
            }
            _ => return error("a `for` expression's keys must be strings"),
        };
        if for_expr.grouping {
            match object.entry(key).or_insert_with(|| Val::List(Vec::new())) {
                Val::List(group) => group.push(element.val),
                _ => return error("a grouped key is not a list"),
            }
        } else if object.insert(key.clone(), element.val).is_some() {
            return error(format!(
                "the `for` expression produces the key \"{key}\" twice (use `...` to group)"
            ));
        } else {
            parts.push((key, element.origin, element.parts));
        }
    }
    let val = match for_expr.key_expr {
        Some(_) => Val::Object(object),
        None => Val::List(list),
    };
    if for_expr.grouping {
        return Ok(Traced::new(val, origin));
    }
    Ok(built(val, origin, parts))
}
