//! Tests of the Bicep parser through its public entry point, grouped by declarations,
//! expressions and types, and errors with their limits.

mod comments;
mod decls;
mod errors;
mod eval;
mod exprs;
mod front;
mod identity;
mod imports;
mod rollout;
mod select;

use super::ast::*;
use super::{ParseResult, parse};

/// Parses `text`, failing the test on any syntax error.
fn parse_ok(text: &str) -> Program {
    let result = parse(0, text);
    assert!(
        result.errors.is_empty(),
        "unexpected errors: {:?}",
        result.errors
    );
    result.program
}

fn only_statement(text: &str) -> Statement {
    let mut program = parse_ok(text);
    assert_eq!(program.statements.len(), 1, "{:?}", program.statements);
    program.statements.remove(0)
}

/// The value of `var x = …` written as `text`.
fn expr(text: &str) -> Expr {
    match only_statement(&format!("var x = {text}\n")).kind {
        StatementKind::Var { value, .. } => value,
        other => panic!("not a var: {other:?}"),
    }
}

/// A compact rendering of an expression's structure, to compare trees by shape.
fn shape(expr: &Expr) -> String {
    match &expr.kind {
        ExprKind::Null => "null".into(),
        ExprKind::Bool(value) => value.to_string(),
        ExprKind::Int(value) => value.to_string(),
        ExprKind::String(string) => match string.literal() {
            Some(text) => format!("'{text}'"),
            None => {
                let parts: Vec<String> = string
                    .parts
                    .iter()
                    .map(|part| match part {
                        StringPart::Text { value, .. } => value.clone(),
                        StringPart::Interpolation(expr) => format!("${{{}}}", shape(expr)),
                    })
                    .collect();
                format!("'{}'", parts.concat())
            }
        },
        ExprKind::Ident(name) => name.clone(),
        ExprKind::Array(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|item| {
                    format!(
                        "{}{}",
                        if item.spread { "..." } else { "" },
                        shape(&item.value)
                    )
                })
                .collect();
            format!("[{}]", items.join(", "))
        }
        ExprKind::Object(object) => {
            let members: Vec<String> = object
                .members
                .iter()
                .map(|member| match member {
                    ObjectMember::Property(p) => {
                        format!(
                            "{}: {}",
                            p.key.text().unwrap_or("<interpolated>"),
                            shape(&p.value)
                        )
                    }
                    ObjectMember::Spread { value, .. } => format!("...{}", shape(value)),
                    ObjectMember::Resource(_) => "<resource>".into(),
                    ObjectMember::Broken(_) => "<broken>".into(),
                })
                .collect();
            format!("{{{}}}", members.join(", "))
        }
        ExprKind::For(for_expr) => {
            let index = for_expr
                .index
                .as_ref()
                .map(|i| format!(", {}", i.name))
                .unwrap_or_default();
            let condition = for_expr
                .condition
                .as_ref()
                .map(|c| format!("if ({}) ", shape(c)))
                .unwrap_or_default();
            format!(
                "[for ({}{index}) in {}: {condition}{}]",
                for_expr.item.name,
                shape(&for_expr.iterable),
                shape(&for_expr.body)
            )
        }
        ExprKind::Unary { op, operand } => format!("({op:?} {})", shape(operand)),
        ExprKind::Binary { op, left, right } => {
            format!("({} {op:?} {})", shape(left), shape(right))
        }
        ExprKind::Ternary {
            condition,
            then,
            otherwise,
        } => format!(
            "({} ? {} : {})",
            shape(condition),
            shape(then),
            shape(otherwise)
        ),
        ExprKind::Call { target, name, args } => {
            let target = target
                .as_ref()
                .map(|t| format!("{}.", shape(t)))
                .unwrap_or_default();
            let args: Vec<String> = args.iter().map(shape).collect();
            format!("{target}{}({})", name.name, args.join(", "))
        }
        ExprKind::Member { object, name, safe } => {
            format!(
                "{}{}{}",
                shape(object),
                if *safe { ".?" } else { "." },
                name.name
            )
        }
        ExprKind::Index {
            object,
            index,
            safe,
        } => format!(
            "{}[{}{}]",
            shape(object),
            if *safe { "?" } else { "" },
            shape(index)
        ),
        ExprKind::NonNull(inner) => format!("{}!", shape(inner)),
        ExprKind::ChildResource { parent, name } => format!("{}::{}", shape(parent), name.name),
        ExprKind::Lambda { params, body } => {
            let params: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
            format!("(({}) => {})", params.join(", "), shape(body))
        }
        ExprKind::Paren(inner) => format!("({})", shape(inner)),
    }
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn resources(result: &ParseResult) -> Vec<&ResourceDecl> {
    result
        .program
        .statements
        .iter()
        .filter_map(|s| match &s.kind {
            StatementKind::Resource(resource) => Some(resource),
            _ => None,
        })
        .collect()
}
