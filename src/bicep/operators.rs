//! Bicep's operators, as the deployment engine evaluates what they compile to.
//!
//! `==` / `!=` compare exactly (ARM `equals`: strings case-sensitively), `=~` / `!~` compare
//! strings ignoring case, `&&` / `||` short-circuit and decide with one known side (three-valued
//! logic), `??` takes its right side only when the left is null, `?:` evaluates only the branch
//! it takes (both when the condition is unknown: equal branches still decide). Arithmetic is on
//! 64-bit integers, as Bicep's `int`. A result takes the origin of what decided it.

use crate::value::{Traced, Val};

use super::ast::{BinaryOp, Expr, UnaryOp};
use super::eval::{Env, Step, decided_by, unknown};

impl Env<'_> {
    pub(super) fn unary(&self, op: UnaryOp, operand: &Expr) -> Traced {
        let traced = self.eval(operand);
        let val = match (op, &traced.val) {
            (_, Val::Unknown(_)) => return traced,
            (UnaryOp::Not, Val::Bool(b)) => Val::Bool(!b),
            (UnaryOp::Minus, Val::Number(n)) => Val::Number(-n),
            (UnaryOp::Plus, Val::Number(n)) => Val::Number(*n),
            (op, other) => {
                return unknown(format!(
                    "`{}` cannot be applied to a {}",
                    unary_symbol(op),
                    other.type_name()
                ));
            }
        };
        Traced {
            val,
            origin: traced.origin,
            parts: None,
        }
    }

    pub(super) fn binary(&self, op: BinaryOp, left: &Expr, right: &Expr) -> Traced {
        match op {
            BinaryOp::And | BinaryOp::Or => return self.logic(op, left, right),
            BinaryOp::Coalesce => {
                let first = self.eval(left);
                return match first.val {
                    Val::Null => self.eval(right),
                    _ => first,
                };
            }
            _ => {}
        }
        let a = self.eval(left);
        if a.val.is_unknown() {
            return a;
        }
        let b = self.eval(right);
        if b.val.is_unknown() {
            return b;
        }
        let result = match op {
            BinaryOp::Equal => Ok(Val::Bool(a.val == b.val)),
            BinaryOp::NotEqual => Ok(Val::Bool(a.val != b.val)),
            BinaryOp::EqualIgnoreCase | BinaryOp::NotEqualIgnoreCase => match (&a.val, &b.val) {
                (Val::String(x), Val::String(y)) => Ok(Val::Bool(
                    (x.to_lowercase() == y.to_lowercase()) == (op == BinaryOp::EqualIgnoreCase),
                )),
                (x, y) => Err(format!(
                    "`{}` compares two strings, got a {} and a {}",
                    binary_symbol(op),
                    x.type_name(),
                    y.type_name()
                )),
            },
            BinaryOp::Greater
            | BinaryOp::GreaterOrEqual
            | BinaryOp::Less
            | BinaryOp::LessOrEqual => {
                let name = match op {
                    BinaryOp::Greater => "greater",
                    BinaryOp::GreaterOrEqual => "greaterorequals",
                    BinaryOp::Less => "less",
                    _ => "lessorequals",
                };
                let args = [a.val.clone(), b.val.clone()];
                crate::arm::functions::apply(name, &args)
                    .unwrap_or_else(|| Err(format!("`{}` is not evaluated", binary_symbol(op))))
            }
            _ => arithmetic(op, &a.val, &b.val),
        };
        let origin = if a.origin.is_empty() {
            b.origin
        } else {
            a.origin
        };
        match result {
            Ok(val) => Traced {
                val,
                origin,
                parts: None,
            },
            Err(why) => unknown(why),
        }
    }

    /// `&&` / `||`: a deciding known side wins over an unknown other side.
    fn logic(&self, op: BinaryOp, left: &Expr, right: &Expr) -> Traced {
        let deciding = op == BinaryOp::Or;
        let symbol = binary_symbol(op);
        let a = self.eval(left);
        match a.val {
            Val::Bool(b) if b == deciding => return a,
            Val::Bool(_) | Val::Unknown(_) => {}
            ref other => {
                return unknown(format!(
                    "`{symbol}` needs booleans, got a {}",
                    other.type_name()
                ));
            }
        }
        let b = self.eval(right);
        match b.val {
            Val::Bool(value) if value == deciding => b,
            Val::Bool(_) if a.val.is_unknown() => a,
            Val::Bool(_) => Traced {
                val: Val::Bool(!deciding),
                origin: if a.origin.is_empty() {
                    b.origin
                } else {
                    a.origin
                },
                parts: None,
            },
            Val::Unknown(_) if a.val.is_unknown() => a,
            Val::Unknown(_) => b,
            ref other => unknown(format!(
                "`{symbol}` needs booleans, got a {}",
                other.type_name()
            )),
        }
    }

    /// `condition ? yes : otherwise`, followed by `steps`.
    pub(super) fn ternary(
        &self,
        condition: &Expr,
        yes: &Expr,
        otherwise: &Expr,
        steps: &[Step],
    ) -> Traced {
        let decision = self.eval(condition);
        match decision.val {
            Val::Bool(true) => decided_by(self.at(yes, steps), decision.origin),
            Val::Bool(false) => decided_by(self.at(otherwise, steps), decision.origin),
            Val::Unknown(_) => {
                // Both branches alike: the condition does not matter.
                let (a, b) = (self.at(yes, steps), self.at(otherwise, steps));
                if a.val == b.val && !a.val.is_unknown() {
                    a
                } else {
                    decision
                }
            }
            other => unknown(format!(
                "the condition of `? :` is a {}, not a boolean",
                other.type_name()
            )),
        }
    }
}

fn arithmetic(op: BinaryOp, a: &Val, b: &Val) -> Result<Val, String> {
    let symbol = binary_symbol(op);
    let integer = |v: &Val| match v {
        Val::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Some(*n as i64),
        _ => None,
    };
    let (Some(x), Some(y)) = (integer(a), integer(b)) else {
        return Err(format!(
            "`{symbol}` needs two integers, got a {} and a {}",
            a.type_name(),
            b.type_name()
        ));
    };
    let result = match op {
        BinaryOp::Add => x.checked_add(y),
        BinaryOp::Subtract => x.checked_sub(y),
        BinaryOp::Multiply => x.checked_mul(y),
        BinaryOp::Divide if y == 0 => return Err("division by zero".into()),
        BinaryOp::Modulo if y == 0 => return Err("modulo by zero".into()),
        BinaryOp::Divide => x.checked_div(y),
        BinaryOp::Modulo => x.checked_rem(y),
        _ => return Err(format!("`{symbol}` is not an arithmetic operator")),
    };
    result
        .map(|n| Val::Number(n as f64))
        .ok_or_else(|| format!("`{symbol}` overflows a 64-bit integer"))
}

fn unary_symbol(op: UnaryOp) -> &'static str {
    match op {
        UnaryOp::Not => "!",
        UnaryOp::Minus => "-",
        UnaryOp::Plus => "+",
    }
}

fn binary_symbol(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Multiply => "*",
        BinaryOp::Divide => "/",
        BinaryOp::Modulo => "%",
        BinaryOp::Add => "+",
        BinaryOp::Subtract => "-",
        BinaryOp::Greater => ">",
        BinaryOp::GreaterOrEqual => ">=",
        BinaryOp::Less => "<",
        BinaryOp::LessOrEqual => "<=",
        BinaryOp::Equal => "==",
        BinaryOp::NotEqual => "!=",
        BinaryOp::EqualIgnoreCase => "=~",
        BinaryOp::NotEqualIgnoreCase => "!~",
        BinaryOp::And => "&&",
        BinaryOp::Or => "||",
        BinaryOp::Coalesce => "??",
    }
}
