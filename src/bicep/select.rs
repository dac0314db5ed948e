//! Whether an object expression sets a key, decided from its syntax where it can be, so that
//! an object with some unknown members keeps its known ones.
//!
//! `{ ...base, clientCertEnabled: true }` sets `clientCertEnabled` whatever `base` holds, and
//! `union(base, { clientCertMode: 'Required' })` sets `clientCertMode` whatever `base` holds:
//! the last writer of a key decides it. Only a source that could write the key *after* the last
//! known writer makes it unknown. Followed: object literals (members and spreads last first),
//! variables (into their written value), `union()` arguments last first, `?:` and `if()` with
//! a known condition (both branches when it is unknown, when they agree), parentheses and `!`.
//! Anything else is evaluated.
//!
//! [`Env::writer`] follows the same sources to the member that writes the key, so a value
//! selected through `union()` or a conditional points at `key: value` as written, not at the
//! whole expression.

use crate::source::Span;
use crate::value::Val;

use super::ast::{
    Expr, ExprKind, Ident, ObjectExpr, ObjectKey, ObjectMember, Property, StatementKind,
};
use super::eval::Env;

/// Whether a key is set.
#[derive(Debug, Clone, PartialEq)]
pub enum Has {
    Yes,
    No,
    /// Cannot tell: why.
    Unknown(String),
}

/// Where, inside an expression written at a site, a key is set.
#[derive(Debug)]
pub enum Writer<'e> {
    /// `key: value` written in an object literal.
    Property(&'e Property),
    /// A spread member (`...base`) of an object literal sets it: the expression spread and the
    /// spread member's span.
    Spread(&'e Expr, Span),
    /// This sub-expression (a variable, a parameter, a call) sets it: read `.key` from it, its
    /// origin shows the hop.
    Expr(&'e Expr),
    /// Nothing sets it.
    Absent,
    /// Not decided from the syntax: evaluate the whole.
    Undecided,
}

impl Env<'_> {
    /// The member of `expr` that writes `key` (ignoring case): followed through parentheses,
    /// object literals (last member or spread first), `union()` arguments (last first) and
    /// `?:` / `if()` with a known condition, as [`Env::has`] decides them. A variable is not
    /// entered (its value carries its own origin).
    pub fn writer<'e>(&self, expr: &'e Expr, key: &str) -> Writer<'e> {
        let budget = self.scope.budget;
        let _level = match budget.enter() {
            Ok(level) => level,
            Err(_) => return Writer::Undecided,
        };
        match &expr.kind {
            ExprKind::Paren(inner) | ExprKind::NonNull(inner) => self.writer(inner, key),
            ExprKind::Object(object) => self.object_writer(object, key),
            ExprKind::Ternary {
                condition,
                then,
                otherwise,
            } => self.branch_writer(condition, then, otherwise, key),
            ExprKind::Call { target, name, args } if self.is_builtin(target.as_deref(), name) => {
                match (name.name.to_ascii_lowercase().as_str(), args.as_slice()) {
                    ("union", [_, ..]) => self.union_writer(args, key),
                    ("if", [condition, then, otherwise]) => {
                        self.branch_writer(condition, then, otherwise, key)
                    }
                    _ => self.expr_writer(expr, key),
                }
            }
            _ => self.expr_writer(expr, key),
        }
    }

    /// An object literal's members, last first.
    fn object_writer<'e>(&self, object: &'e ObjectExpr, key: &str) -> Writer<'e> {
        for member in object.members.iter().rev() {
            match member {
                ObjectMember::Property(property) => {
                    let name = match &property.key {
                        ObjectKey::Ident(name) => Val::String(name.clone()),
                        ObjectKey::String(string) => self.string(string).val,
                    };
                    match name {
                        Val::String(name) if name.eq_ignore_ascii_case(key) => {
                            return Writer::Property(property);
                        }
                        Val::Unknown(_) => return Writer::Undecided,
                        _ => {}
                    }
                }
                ObjectMember::Spread { value, span } => match self.writer(value, key) {
                    Writer::Absent => {}
                    Writer::Property(property) => return Writer::Property(property),
                    Writer::Undecided => return Writer::Undecided,
                    Writer::Spread(..) | Writer::Expr(_) => return Writer::Spread(value, *span),
                },
                ObjectMember::Resource(_) => {}
                ObjectMember::Broken(broken) if broken.may_set(key) => return Writer::Undecided,
                ObjectMember::Broken(_) => {}
            }
        }
        Writer::Absent
    }

    /// `union(a, b, …)`: the last argument that sets `key`.
    fn union_writer<'e>(&self, args: &'e [Expr], key: &str) -> Writer<'e> {
        for arg in args.iter().rev() {
            match self.writer(arg, key) {
                Writer::Absent => {}
                found => return found,
            }
        }
        Writer::Absent
    }

    /// `c ? a : b`: the branch a known condition picks.
    fn branch_writer<'e>(
        &self,
        condition: &Expr,
        then: &'e Expr,
        otherwise: &'e Expr,
        key: &str,
    ) -> Writer<'e> {
        match self.eval(condition).val {
            Val::Bool(true) => self.writer(then, key),
            Val::Bool(false) => self.writer(otherwise, key),
            _ => Writer::Undecided,
        }
    }

    /// Any other expression: it writes `key` when it is decided to set it.
    fn expr_writer<'e>(&self, expr: &'e Expr, key: &str) -> Writer<'e> {
        match self.has(expr, key) {
            Has::Yes => Writer::Expr(expr),
            Has::No => Writer::Absent,
            Has::Unknown(_) => Writer::Undecided,
        }
    }

    /// Whether `expr`, as an object, sets `key` (ignoring case, as ARM property names do).
    pub fn has(&self, expr: &Expr, key: &str) -> Has {
        let budget = self.scope.budget;
        let _level = match budget.enter() {
            Ok(level) => level,
            Err(reason) => return Has::Unknown(reason),
        };
        match &expr.kind {
            ExprKind::Paren(inner) | ExprKind::NonNull(inner) => self.has(inner, key),
            ExprKind::Object(object) => self.object_has(object, key),
            ExprKind::Ident(name) if !self.is_local(name) => {
                match self.scope.file.symbol(name).map(|s| &s.kind) {
                    Some(StatementKind::Var { value, .. }) => {
                        // A variable's value is written in the file's own scope.
                        Env::new(self.scope, None).has(value, key)
                    }
                    _ => self.evaluated_has(expr, key),
                }
            }
            ExprKind::Ternary {
                condition,
                then,
                otherwise,
            } => self.branch_has(condition, then, otherwise, key),
            ExprKind::Call { target, name, args } if self.is_builtin(target.as_deref(), name) => {
                match (name.name.to_ascii_lowercase().as_str(), args.as_slice()) {
                    ("union", [_, ..]) => self.union_has(args, key),
                    ("if", [condition, then, otherwise]) => {
                        self.branch_has(condition, then, otherwise, key)
                    }
                    _ => self.evaluated_has(expr, key),
                }
            }
            _ => self.evaluated_has(expr, key),
        }
    }

    /// The members of an object literal, last first: a property named `key` or a spread that
    /// has it decides.
    fn object_has(&self, object: &ObjectExpr, key: &str) -> Has {
        for member in object.members.iter().rev() {
            match member {
                ObjectMember::Property(property) => match &property.key {
                    ObjectKey::Ident(name) if name.eq_ignore_ascii_case(key) => return Has::Yes,
                    ObjectKey::Ident(_) => {}
                    ObjectKey::String(string) => match self.string(string).val {
                        Val::String(name) if name.eq_ignore_ascii_case(key) => return Has::Yes,
                        Val::String(_) => {}
                        Val::Unknown(why) => {
                            return Has::Unknown(format!(
                                "a computed property name may be `{key}`, and {why}"
                            ));
                        }
                        _ => {}
                    },
                },
                ObjectMember::Spread { value, .. } => match self.has(value, key) {
                    Has::No => {}
                    Has::Yes => return Has::Yes,
                    Has::Unknown(why) => {
                        return Has::Unknown(format!(
                            "`...{}` may set `{key}`, and {why}",
                            self.text_of(value.span)
                        ));
                    }
                },
                ObjectMember::Resource(_) => {}
                ObjectMember::Broken(broken) if broken.may_set(key) => {
                    return Has::Unknown(broken.reason(key, &self.scope.file.source));
                }
                ObjectMember::Broken(_) => {}
            }
        }
        Has::No
    }

    /// `union(a, b, …)`: the last argument that sets `key` decides (ARM merges objects left to
    /// right, later keys winning).
    fn union_has(&self, args: &[Expr], key: &str) -> Has {
        for arg in args.iter().rev() {
            match self.has(arg, key) {
                Has::No => {}
                decided => return decided,
            }
        }
        Has::No
    }

    /// `c ? a : b`: the branch the condition picks; both when it is unknown and they agree.
    fn branch_has(&self, condition: &Expr, then: &Expr, otherwise: &Expr, key: &str) -> Has {
        match self.eval(condition).val {
            Val::Bool(true) => self.has(then, key),
            Val::Bool(false) => self.has(otherwise, key),
            Val::Unknown(why) => {
                let yes = self.has(then, key);
                if yes == self.has(otherwise, key) {
                    yes
                } else {
                    Has::Unknown(why)
                }
            }
            other => Has::Unknown(format!(
                "the condition `{}` is a {}, not a boolean",
                self.text_of(condition.span),
                other.type_name()
            )),
        }
    }

    /// Any other expression: its value.
    fn evaluated_has(&self, expr: &Expr, key: &str) -> Has {
        match self.eval(expr).val {
            Val::Object(members) if members.keys().any(|k| k.eq_ignore_ascii_case(key)) => Has::Yes,
            Val::Object(_) | Val::Null => Has::No,
            Val::Unknown(why) => Has::Unknown(why),
            other => Has::Unknown(format!(
                "`{}` is a {}, not an object",
                self.text_of(expr.span),
                other.type_name()
            )),
        }
    }

    /// A call of a built-in function: `sys.` or `az.`, or no namespace and no `func` of the
    /// file by that name.
    pub fn is_builtin(&self, target: Option<&Expr>, name: &Ident) -> bool {
        match target.map(|t| &t.kind) {
            None => self.scope.file.symbol(&name.name).is_none(),
            Some(ExprKind::Ident(namespace)) => namespace == "sys" || namespace == "az",
            Some(_) => false,
        }
    }

    /// Whether `name` is a loop, lambda or function variable here.
    fn is_local(&self, name: &str) -> bool {
        let mut frame = self.locals;
        while let Some(current) = frame {
            if current.bindings.iter().any(|(n, _)| *n == name) {
                return true;
            }
            frame = current.next;
        }
        false
    }
}
