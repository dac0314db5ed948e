//! Reads a site's rollout inputs (public network access, access restrictions, environment
//! tags) out of its Bicep body, raw, with the evaluator and accessors its certificate
//! attributes are read with: [`member`] for object literals (spreads, computed keys, broken
//! members), [`Env::writer`] / [`Env::has`] into computed objects (`union()`, conditionals,
//! variables), [`Env::at`] for the rest. Nothing here decides exposure or environment.
//!
//! - `properties.publicNetworkAccess`: read exactly like a certificate attribute;
//! - `properties.siteConfig.ipSecurityRestrictionsDefaultAction` and
//!   `properties.siteConfig.ipSecurityRestrictions`: each rule's span is its own object when
//!   the array is written item by item, else the member holding the expression (a `for`
//!   expression or a spread item is evaluated whole). Rules map as in ARM
//!   ([`crate::arm::rollout::arm_rule`]); an unresolved list, rule or rule `tag` makes the whole
//!   list unknown;
//! - `tags`: the entries whose key can name an environment, merged in the order written
//!   through object literals, spreads and `union()` arguments, each pointing at the member,
//!   spread or argument that writes it. A computed tag name is followed only when it may name
//!   the environment (`'hidden-related:${plan.id}'` cannot); unresolved `tags` are unknown.
//!
//! A child `config` resource (`name: 'web'`) is not linked to its site (the certificate
//! attributes never live there), so rules it sets are not read.

use crate::arm::lower::site_value;
use crate::arm::rollout::{
    arm_rule, computed_tags, entries, is_environment_key, may_be_environment_key, not_a_list,
    not_a_rule, set,
};
use crate::model::{
    AccessRule, Data, ENVIRONMENT_TAG_KEYS, Restrictions, RolloutInputs, Tags, Value,
};
use crate::source::Span;
use crate::value::{Traced, Val};

use super::ast::{Expr, ExprKind, ObjectExpr, ObjectKey, ObjectMember, StringExpr, StringPart};
use super::eval::{Env, Step};
use super::lower::{Found, attribute, member};
use super::select::{Has, Writer};

/// The site's rollout inputs, read from its resource body.
pub(super) fn inputs(env: Env<'_>, body: &ObjectExpr) -> RolloutInputs {
    let site_config = found(env, body, "properties").and_then(|p| step(env, &p, "siteConfig"));
    RolloutInputs {
        public_access: attribute(env, body, "publicNetworkAccess", false),
        default_action: site_config
            .as_ref()
            .and_then(|config| step(env, config, "ipSecurityRestrictionsDefaultAction"))
            .and_then(|place| place.value(env)),
        restrictions: site_config.map_or(Restrictions::Absent, |config| restrictions(env, &config)),
        tags: tags(env, body),
    }
}

/// Where a value is.
enum Place<'e> {
    /// An expression as written, and the span of what holds it (a `key: value` member, an
    /// array item).
    Written(&'e Expr, Span),
    /// `steps` read out of `expr`, evaluated when needed (so the origin is the member's).
    Steps(&'e Expr, Vec<Step>, Span),
    /// A value already evaluated (a member of a computed list).
    Value(Traced, Span),
}

impl Place<'_> {
    fn span(&self) -> Span {
        match self {
            Place::Written(_, span) | Place::Steps(_, _, span) | Place::Value(_, span) => *span,
        }
    }

    fn traced(&self, env: Env<'_>) -> Traced {
        match self {
            Place::Written(expr, _) => env.eval(expr),
            Place::Steps(expr, steps, _) => env.at(expr, steps),
            Place::Value(traced, _) => traced.clone(),
        }
    }

    /// The value with its origin; `None` when it is `null` (absent).
    fn value(&self, env: Env<'_>) -> Option<Value> {
        let traced = self.traced(env);
        (!matches!(traced.val, Val::Null)).then(|| site_value(traced, false, self.span()))
    }
}

/// The member `key` of an object literal, as [`member`] finds it.
fn found<'e>(env: Env<'_>, object: &'e ObjectExpr, key: &str) -> Option<Place<'e>> {
    match member(env, object, key)? {
        Found::Property(property) => match property.value.kind {
            ExprKind::Null => None,
            _ => Some(Place::Written(&property.value, property.span)),
        },
        Found::Spread(spread, span) => Some(Place::Steps(spread, vec![Step::name(key)], span)),
        Found::Unknown(span, why) => Some(Place::Value(Traced::here(Val::unknown(why)), span)),
    }
}

/// The member `key` (ignoring case) of the object at `place`; `None` when it is absent,
/// `null`, or `place` is no object.
fn step<'e>(env: Env<'_>, place: &Place<'e>, key: &str) -> Option<Place<'e>> {
    match place {
        Place::Written(expr, span) => match &expr.kind {
            ExprKind::Object(object) => found(env, object, key),
            ExprKind::Null => None,
            _ => into_expr(env, expr, *span, key),
        },
        Place::Steps(expr, steps, span) => {
            let mut steps = steps.clone();
            steps.push(Step::name(key));
            let whole = Place::Steps(expr, steps, *span);
            match whole.traced(env).val {
                Val::Null => None,
                _ => Some(whole),
            }
        }
        Place::Value(traced, span) => match &traced.val {
            Val::Object(map) => {
                let (written, val) = map.iter().find(|(k, _)| k.eq_ignore_ascii_case(key))?;
                (!matches!(val, Val::Null))
                    .then(|| Place::Value(traced.member_traced(written, val.clone()), *span))
            }
            Val::Unknown(_) => Some(Place::Value(traced.clone(), *span)),
            _ => None,
        },
    }
}

/// The member `key` of a computed object (`union(base, {…})`, a variable, a conditional),
/// pointing at the member of its own literals that writes it where the syntax tells.
fn into_expr<'e>(env: Env<'_>, expr: &'e Expr, span: Span, key: &str) -> Option<Place<'e>> {
    let read = |from: &'e Expr, at: Span| Place::Steps(from, vec![Step::name(key)], at);
    let place = match env.writer(expr, key) {
        Writer::Property(property) => Place::Written(&property.value, property.span),
        Writer::Spread(spread, at) => read(spread, at),
        Writer::Expr(part) if !std::ptr::eq(part, expr) => read(part, part.span),
        Writer::Absent => return None,
        Writer::Expr(_) | Writer::Undecided => match env.has(expr, key) {
            Has::No => return None,
            Has::Yes => read(expr, span),
            Has::Unknown(_) => {
                let whole = env.eval(expr);
                match &whole.val {
                    Val::Object(_) => read(expr, span),
                    Val::Unknown(why) => Place::Value(
                        Traced::new(
                            Val::unknown(format!("`{}` is unknown: {why}", env.text_of(expr.span))),
                            whole.origin.clone(),
                        ),
                        span,
                    ),
                    _ => return None,
                }
            }
        },
    };
    // A written member is checked by its syntax, so a large `siteConfig` literal is not
    // evaluated whole just to see that it is no `null`.
    let null = match &place {
        Place::Written(expr, _) => matches!(expr.kind, ExprKind::Null),
        _ => matches!(place.traced(env).val, Val::Null),
    };
    (!null).then_some(place)
}

/// `siteConfig.ipSecurityRestrictions`.
fn restrictions(env: Env<'_>, site_config: &Place<'_>) -> Restrictions {
    let Some(list) = step(env, site_config, "ipSecurityRestrictions") else {
        return Restrictions::Absent;
    };
    let places: Vec<Place<'_>> = match &list {
        Place::Written(
            Expr {
                kind: ExprKind::Array(items),
                ..
            },
            _,
        ) if items.iter().all(|item| !item.spread) => items
            .iter()
            .map(|item| match item.value.kind {
                ExprKind::Object(_) => Place::Written(&item.value, item.span),
                _ => Place::Value(env.eval(&item.value), item.span),
            })
            .collect(),
        _ => {
            let traced = list.traced(env);
            let span = list.span();
            match &traced.val {
                Val::List(items) => items
                    .iter()
                    .enumerate()
                    .map(|(at, item)| {
                        Place::Value(traced.member_traced(&at.to_string(), item.clone()), span)
                    })
                    .collect(),
                Val::Null => return Restrictions::Absent,
                _ => return Restrictions::Unknown(not_a_list(&traced, span)),
            }
        }
    };
    let mut rules = Vec::with_capacity(places.len());
    for (at, place) in places.into_iter().enumerate() {
        match rule(env, place, at) {
            Ok(rule) => rules.push(rule),
            Err(unknown) => return Restrictions::Unknown(unknown),
        }
    }
    Restrictions::Rules(rules)
}

/// Rule number `at` (from 0) of the list, or why its shape is unknown.
fn rule(env: Env<'_>, place: Place<'_>, at: usize) -> Result<AccessRule, Value> {
    if let Place::Value(traced, span) = &place
        && let Some(unknown) = not_a_rule(traced, *span, at)
    {
        return Err(unknown);
    }
    let field = |name: &str| step(env, &place, name).and_then(|found| found.value(env));
    arm_rule(
        place.span(),
        at,
        field("action"),
        field("ipAddress"),
        field("tag"),
        field("vnetSubnetResourceId"),
    )
}

/// The resource's `tags`.
fn tags(env: Env<'_>, body: &ObjectExpr) -> Tags {
    match found(env, body, "tags") {
        None => Tags::Absent,
        Some(Place::Written(expr, span)) => {
            let mut merged = Vec::new();
            match merge(env, expr, span, &mut merged) {
                Ok(()) => entries(merged),
                Err(unknown) => Tags::Unknown(unknown),
            }
        }
        Some(place) => computed_tags(&place.traced(env), place.span()),
    }
}

/// Merges the environment entries of the tags object `expr` (held at `span`) into `found`:
/// object literals member by member and `union()` argument by argument, in the order written,
/// so a tag name nobody can know (`'hidden-related:${plan.id}'`) does not hide the others;
/// anything else evaluated whole. `Err`: why the entries cannot be known.
fn merge(
    env: Env<'_>,
    expr: &Expr,
    span: Span,
    found: &mut Vec<(String, Value)>,
) -> Result<(), Value> {
    match &expr.kind {
        ExprKind::Paren(inner) => merge(env, inner, span, found),
        ExprKind::Object(object) => object_tags(env, object, found),
        ExprKind::Call { target, name, args }
            if name.name.eq_ignore_ascii_case("union")
                && env.is_builtin(target.as_deref(), name) =>
        {
            args.iter()
                .try_for_each(|arg| merge(env, arg, arg.span, found))
        }
        _ => spread(env.eval(expr), span, found),
    }
}

/// The members of an object literal of tags, in order.
fn object_tags(
    env: Env<'_>,
    object: &ObjectExpr,
    found: &mut Vec<(String, Value)>,
) -> Result<(), Value> {
    for member in &object.members {
        match member {
            ObjectMember::Property(property) => {
                let key = match &property.key {
                    ObjectKey::Ident(name) => name.clone(),
                    ObjectKey::String(string) => match env
                        .eval(&Expr {
                            kind: ExprKind::String(string.clone()),
                            span: property.key_span,
                        })
                        .val
                    {
                        Val::String(key) => key,
                        Val::Unknown(why) if may_be_environment_key(&known_prefix(string)) => {
                            return Err(Value::literal(
                                Data::Unknown(format!(
                                    "the tag name `{}` may name the environment, and {why}",
                                    env.text_of(property.key_span)
                                )),
                                property.span,
                            ));
                        }
                        _ => continue,
                    },
                };
                if is_environment_key(&key) {
                    set(found, key, &env.eval(&property.value), property.span);
                }
            }
            ObjectMember::Spread { value, span } => spread(env.eval(value), *span, found)?,
            ObjectMember::Resource(_) => {}
            ObjectMember::Broken(broken) => {
                if let Some(key) = ENVIRONMENT_TAG_KEYS.iter().find(|key| broken.may_set(key)) {
                    let why = broken.reason(key, &env.scope.file.source);
                    return Err(Value::literal(Data::Unknown(why), broken.span));
                }
            }
        }
    }
    Ok(())
}

/// The text a tag name starts with before its first `${…}`.
fn known_prefix(string: &StringExpr) -> String {
    match string.parts.first() {
        Some(StringPart::Text { value, .. }) => value.clone(),
        _ => String::new(),
    }
}

/// Merges the environment entries of a whole object value (a variable, a parameter, a spread).
fn spread(traced: Traced, span: Span, found: &mut Vec<(String, Value)>) -> Result<(), Value> {
    match computed_tags(&traced, span) {
        Tags::Absent => Ok(()),
        Tags::Entries(entries) => {
            for (key, value) in entries {
                found.retain(|(written, _)| !written.eq_ignore_ascii_case(&key));
                found.push((key, value));
            }
            Ok(())
        }
        Tags::Unknown(unknown) => Err(unknown),
    }
}
