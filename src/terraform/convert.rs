//! Terraform type constraints (`bool`, `list(string)`, `object({…})`, …) and the conversions
//! Terraform applies when a value meets one: a variable's value, a function's argument, an
//! operator's operand (go-cty's `convert` rules, for the types certgate's values take).

use std::collections::BTreeMap;

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey};

use crate::source::{FileId, Span};
use crate::value::Val;

/// A variable's `type`, or the type a function or operator expects.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeConstraint {
    Any,
    String,
    Number,
    Bool,
    List(Box<TypeConstraint>),
    Set(Box<TypeConstraint>),
    Map(Box<TypeConstraint>),
    Tuple(Vec<TypeConstraint>),
    Object(Vec<ObjectAttribute>),
}

/// One attribute of an `object({…})` type.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectAttribute {
    pub name: String,
    pub ty: TypeConstraint,
    /// `optional(T)` or `optional(T, default)`: may be absent (then null, or the default).
    pub optional: bool,
    pub default: Option<Val>,
    /// The `name = optional(T, default)` item, when the type was read from a file (not from
    /// text such as a JSON `"type"` string): the origin of the values the default fills in.
    pub default_span: Option<Span>,
    /// The default, when it is written as one scalar literal (an origin fix can edit it).
    pub default_literal: Option<Span>,
}

/// A value [`convert_recording`] filled in from an `optional(T, default)` default.
#[derive(Debug, Clone, PartialEq)]
pub struct Filled {
    /// Keys from the converted value down to the filled attribute (list indices as numbers).
    pub path: Vec<String>,
    pub attribute: String,
    pub span: Span,
    /// `span` when the default is one scalar literal (an origin fix can edit it).
    pub literal: Option<Span>,
}

impl TypeConstraint {
    /// Reads a native syntax type expression. Anything not understood is `any`, so an exotic
    /// type never rejects a value Terraform would accept.
    pub fn from_hcl(expr: &Expression) -> TypeConstraint {
        TypeConstraint::from_hcl_at(expr, None)
    }

    /// [`TypeConstraint::from_hcl`] for an expression parsed from `file`: defaults keep their
    /// spans.
    pub fn from_hcl_in(expr: &Expression, file: FileId) -> TypeConstraint {
        TypeConstraint::from_hcl_at(expr, Some(file))
    }

    fn from_hcl_at(expr: &Expression, file: Option<FileId>) -> TypeConstraint {
        let from = |expr: &Expression| TypeConstraint::from_hcl_at(expr, file);
        match expr {
            Expression::Variable(name) => keyword(name.as_str()),
            // Terraform 0.11 quoted types: `type = "string"`, `"list"`, `"map"`.
            Expression::String(name) => keyword(name.value()),
            Expression::Parenthesis(inner) => from(inner.inner()),
            Expression::FuncCall(call) if !call.name.is_namespaced() => {
                let arg = call.args.get(0);
                let inner = || Box::new(arg.map_or(TypeConstraint::Any, from));
                match call.name.name.as_str() {
                    "list" => TypeConstraint::List(inner()),
                    "set" => TypeConstraint::Set(inner()),
                    "map" => TypeConstraint::Map(inner()),
                    "tuple" => match arg {
                        Some(Expression::Array(items)) => {
                            TypeConstraint::Tuple(items.iter().map(from).collect())
                        }
                        _ => TypeConstraint::Any,
                    },
                    "object" => match arg {
                        Some(Expression::Object(object)) => TypeConstraint::Object(
                            object
                                .iter()
                                .filter_map(|(key, value)| {
                                    object_attribute(key, value.expr(), file)
                                })
                                .collect(),
                        ),
                        _ => TypeConstraint::Any,
                    },
                    _ => TypeConstraint::Any,
                }
            }
            _ => TypeConstraint::Any,
        }
    }

    /// Reads a type written as text (JSON syntax's `"type": "list(string)"`).
    pub fn from_source(text: &str) -> TypeConstraint {
        super::eval::parse_expression(text)
            .map_or(TypeConstraint::Any, |expr| TypeConstraint::from_hcl(&expr))
    }

    /// How the type reads in a message.
    pub fn describe(&self) -> String {
        match self {
            TypeConstraint::Any => "any".into(),
            TypeConstraint::String => "string".into(),
            TypeConstraint::Number => "number".into(),
            TypeConstraint::Bool => "bool".into(),
            TypeConstraint::List(t) => format!("list({})", t.describe()),
            TypeConstraint::Set(t) => format!("set({})", t.describe()),
            TypeConstraint::Map(t) => format!("map({})", t.describe()),
            TypeConstraint::Tuple(_) => "tuple".into(),
            TypeConstraint::Object(_) => "object".into(),
        }
    }
}

fn keyword(name: &str) -> TypeConstraint {
    match name {
        "string" => TypeConstraint::String,
        "number" => TypeConstraint::Number,
        "bool" => TypeConstraint::Bool,
        "list" => TypeConstraint::List(Box::new(TypeConstraint::Any)),
        "set" => TypeConstraint::Set(Box::new(TypeConstraint::Any)),
        "map" => TypeConstraint::Map(Box::new(TypeConstraint::Any)),
        _ => TypeConstraint::Any,
    }
}

fn object_attribute(
    key: &ObjectKey,
    value: &Expression,
    file: Option<FileId>,
) -> Option<ObjectAttribute> {
    let name = match key {
        ObjectKey::Ident(ident) => ident.as_str().to_string(),
        ObjectKey::Expression(expr) => expr.as_str()?.to_string(),
    };
    if let Expression::FuncCall(call) = value
        && call.name.name.as_str() == "optional"
        && !call.name.is_namespaced()
    {
        let ty = call.args.get(0).map_or(TypeConstraint::Any, |expr| {
            TypeConstraint::from_hcl_at(expr, file)
        });
        // A default that cannot be evaluated is left out rather than guessed.
        let default = call
            .args
            .get(1)
            .and_then(|expr| super::eval::constant(expr).ok())
            .filter(|val| !val.is_unknown());
        let default_span = match (file, call.args.get(1)) {
            (Some(file), Some(expr)) if default.is_some() => expr.span().map(|range| {
                // The whole `name = optional(T, default)` item, as other origin steps span
                // `key = value`.
                let start = key.span().map_or(range.start, |key| key.start);
                let end = value.span().map_or(range.end, |value| value.end);
                (Span::new(file, start..end), Span::new(file, range))
            }),
            _ => None,
        };
        let default_is_literal = matches!(
            call.args.get(1),
            Some(
                Expression::Null(_)
                    | Expression::Bool(_)
                    | Expression::Number(_)
                    | Expression::String(_)
            )
        );
        return Some(ObjectAttribute {
            name,
            ty,
            optional: true,
            default,
            default_span: default_span.map(|(item, _)| item),
            default_literal: default_span
                .filter(|_| default_is_literal)
                .map(|(_, default)| default),
        });
    }
    Some(ObjectAttribute {
        name,
        ty: TypeConstraint::from_hcl_at(value, file),
        optional: false,
        default: None,
        default_span: None,
        default_literal: None,
    })
}

/// Converts `val` to `ty` as Terraform would, or says why Terraform would reject it. Unknown
/// and null values convert to anything.
pub fn convert(val: Val, ty: &TypeConstraint) -> Result<Val, String> {
    convert_at(val, ty, &mut None)
}

/// [`convert`], also returning where `optional(T, default)` defaults were filled in.
pub fn convert_recording(val: Val, ty: &TypeConstraint) -> Result<(Val, Vec<Filled>), String> {
    let mut recorder = Some(Recorder::default());
    let val = convert_at(val, ty, &mut recorder)?;
    Ok((val, recorder.map(|r| r.fills).unwrap_or_default()))
}

/// The path being converted and the defaults filled so far.
#[derive(Default)]
struct Recorder {
    path: Vec<String>,
    fills: Vec<Filled>,
}

/// Converts `val` one level down, under `key`, recording there.
fn convert_under(
    val: Val,
    ty: &TypeConstraint,
    key: &str,
    recorder: &mut Option<Recorder>,
) -> Result<Val, String> {
    if let Some(r) = recorder.as_mut() {
        r.path.push(key.to_string());
    }
    let converted = convert_at(val, ty, recorder);
    if let Some(r) = recorder.as_mut() {
        r.path.pop();
    }
    converted
}

fn convert_at(
    val: Val,
    ty: &TypeConstraint,
    recorder: &mut Option<Recorder>,
) -> Result<Val, String> {
    let mismatch = |val: &Val| format!("a {} cannot be used as {}", val.type_name(), ty.describe());
    match (ty, val) {
        (_, val @ (Val::Unknown(_) | Val::Null)) | (TypeConstraint::Any, val) => Ok(val),
        (TypeConstraint::Bool, Val::Bool(b)) => Ok(Val::Bool(b)),
        (TypeConstraint::Bool, Val::String(text)) => {
            string_to_bool(&text).map(Val::Bool).ok_or_else(|| {
                format!("\"{text}\" is not a bool (only \"true\" and \"false\" convert)")
            })
        }
        (TypeConstraint::String, Val::String(text)) => Ok(Val::String(text)),
        (TypeConstraint::String, Val::Bool(b)) => Ok(Val::String(b.to_string())),
        (TypeConstraint::String, Val::Number(n)) => Ok(Val::String(format_number(n))),
        (TypeConstraint::Number, Val::Number(n)) => Ok(Val::Number(n)),
        (TypeConstraint::Number, Val::String(text)) => text
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(Val::Number)
            .ok_or_else(|| format!("\"{text}\" is not a number")),
        (TypeConstraint::List(element), Val::List(items)) => {
            let items = convert_all(items, element, recorder)?;
            Ok(Val::List(items))
        }
        // A set's elements move when it is sorted: what they were filled with is not recorded.
        (TypeConstraint::Set(element), Val::List(items)) => {
            Ok(to_set(convert_all(items, element, &mut None)?))
        }
        (TypeConstraint::Map(element), Val::Object(members)) => {
            let mut out = BTreeMap::new();
            for (key, value) in members {
                let value = convert_under(value, element, &key, recorder)
                    .map_err(|e| format!("element `{key}`: {e}"))?;
                out.insert(key, value);
            }
            Ok(Val::Object(out))
        }
        (TypeConstraint::Tuple(types), Val::List(items)) if types.len() == items.len() => items
            .into_iter()
            .zip(types)
            .enumerate()
            .map(|(i, (item, ty))| convert_under(item, ty, &i.to_string(), recorder))
            .collect::<Result<_, _>>()
            .map(Val::List),
        (TypeConstraint::Object(attributes), Val::Object(mut members)) => {
            let mut out = BTreeMap::new();
            for attribute in attributes {
                let value = members.remove(&attribute.name).unwrap_or(Val::Null);
                let value = match (&value, &attribute.default) {
                    (Val::Null, Some(default)) => {
                        if let (Some(r), Some(span)) = (recorder.as_mut(), attribute.default_span) {
                            let mut path = r.path.clone();
                            path.push(attribute.name.clone());
                            r.fills.push(Filled {
                                path,
                                attribute: attribute.name.clone(),
                                span,
                                literal: attribute.default_literal,
                            });
                        }
                        default.clone()
                    }
                    (Val::Null, None) if !attribute.optional => {
                        return Err(format!("attribute `{}` is required", attribute.name));
                    }
                    _ => value,
                };
                let value = convert_under(value, &attribute.ty, &attribute.name, recorder)
                    .map_err(|e| format!("attribute `{}`: {e}", attribute.name))?;
                out.insert(attribute.name.clone(), value);
            }
            // Attributes the type does not declare are dropped, as Terraform drops them.
            Ok(Val::Object(out))
        }
        (_, val) => Err(mismatch(&val)),
    }
}

fn convert_all(
    items: Vec<Val>,
    element: &TypeConstraint,
    recorder: &mut Option<Recorder>,
) -> Result<Vec<Val>, String> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            convert_under(item, element, &i.to_string(), recorder)
                .map_err(|e| format!("element {i}: {e}"))
        })
        .collect()
}

/// Terraform's string-to-bool conversion (go-cty accepts `"1"` and `"0"` too).
pub fn string_to_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// A set: duplicates removed; sets of strings iterate in lexical order, as Terraform's do.
pub fn to_set(items: Vec<Val>) -> Val {
    let mut out: Vec<Val> = Vec::with_capacity(items.len());
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    if out.iter().all(|item| matches!(item, Val::String(_))) {
        out.sort_by(|a, b| match (a, b) {
            (Val::String(a), Val::String(b)) => a.cmp(b),
            _ => std::cmp::Ordering::Equal,
        });
    }
    Val::List(out)
}

/// A number as Terraform prints it: integers without a fraction.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(text: &str) -> TypeConstraint {
        TypeConstraint::from_source(text)
    }

    fn s(text: &str) -> Val {
        Val::String(text.into())
    }

    #[test]
    fn reads_type_expressions() {
        assert_eq!(ty("bool"), TypeConstraint::Bool);
        assert_eq!(ty("\"string\""), TypeConstraint::String);
        assert_eq!(
            ty("list(string)"),
            TypeConstraint::List(Box::new(TypeConstraint::String))
        );
        assert_eq!(
            ty("map"),
            TypeConstraint::Map(Box::new(TypeConstraint::Any))
        );
        assert_eq!(ty("whatever(1)"), TypeConstraint::Any);
        assert_eq!(ty("not a type ("), TypeConstraint::Any);
        let TypeConstraint::Object(attributes) = ty(
            "object({ mtls = optional(bool, true), mode = string, paths = optional(list(string)) })",
        ) else {
            panic!()
        };
        assert_eq!(attributes[0].default, Some(Val::Bool(true)));
        assert!(attributes[2].optional && attributes[2].default.is_none());
        assert!(!attributes[1].optional);
    }

    #[test]
    fn converts_primitives_like_terraform() {
        assert_eq!(
            convert(s("true"), &TypeConstraint::Bool),
            Ok(Val::Bool(true))
        );
        assert_eq!(convert(s("0"), &TypeConstraint::Bool), Ok(Val::Bool(false)));
        assert!(
            convert(s("True"), &TypeConstraint::Bool)
                .unwrap_err()
                .contains("not a bool")
        );
        assert!(convert(Val::Number(1.0), &TypeConstraint::Bool).is_err());
        assert_eq!(
            convert(Val::Bool(false), &TypeConstraint::String),
            Ok(s("false"))
        );
        assert_eq!(
            convert(Val::Number(2.0), &TypeConstraint::String),
            Ok(s("2"))
        );
        assert_eq!(
            convert(Val::Number(0.5), &TypeConstraint::String),
            Ok(s("0.5"))
        );
        assert_eq!(
            convert(s(" 3 "), &TypeConstraint::Number),
            Ok(Val::Number(3.0))
        );
        assert!(convert(s("x"), &TypeConstraint::Number).is_err());
        assert_eq!(convert(Val::Null, &TypeConstraint::Bool), Ok(Val::Null));
        let unknown = Val::unknown("why");
        assert_eq!(convert(unknown.clone(), &TypeConstraint::Bool), Ok(unknown));
    }

    #[test]
    fn objects_apply_optional_defaults_and_drop_extra_attributes() {
        let t =
            ty("object({ mtls = optional(bool, true), mode = optional(string), name = string })");
        let value = Val::Object(BTreeMap::from([
            ("name".to_string(), s("api")),
            ("extra".to_string(), Val::Bool(true)),
        ]));
        let converted = convert(value, &t).unwrap();
        assert_eq!(converted.get("mtls"), Some(&Val::Bool(true)));
        assert_eq!(converted.get("mode"), Some(&Val::Null));
        assert_eq!(converted.get("extra"), None);
        let missing = Val::Object(BTreeMap::new());
        assert_eq!(
            convert(missing, &t).unwrap_err(),
            "attribute `name` is required"
        );
    }

    #[test]
    fn collections_convert_their_elements() {
        let list = Val::List(vec![s("b"), s("a"), s("b")]);
        let set = convert(list.clone(), &ty("set(string)")).unwrap();
        assert_eq!(set, Val::List(vec![s("a"), s("b")]));
        let bools = convert(Val::List(vec![s("true")]), &ty("list(bool)")).unwrap();
        assert_eq!(bools, Val::List(vec![Val::Bool(true)]));
        assert!(convert(list, &ty("map(string)")).is_err());
        let err = convert(Val::List(vec![s("x")]), &ty("list(bool)")).unwrap_err();
        assert!(err.starts_with("element 0: "), "{err}");
    }
}
