//! Reads a site's rollout inputs (public network access, access restrictions, environment
//! tags) out of its ARM resource object, raw, with the evaluator and accessors its certificate
//! attributes are read with: literal members where written, `select::property` into computed
//! objects (`union`, `createObject`, `if`), the scenario's parameters and variables for the
//! rest. Nothing here decides exposure or environment.
//!
//! - `properties.publicNetworkAccess`: read exactly like a certificate attribute;
//! - `properties.siteConfig.ipSecurityRestrictionsDefaultAction` and
//!   `properties.siteConfig.ipSecurityRestrictions`: `siteConfig` may be written or computed at
//!   either level. Each rule's span is its own object when the array is written, else the
//!   member holding the expression. A rule whose `tag` is `ServiceTag` names a service tag in
//!   its `ipAddress`. A property `copy` loop building the rules, an unresolved list or rule, or
//!   a rule whose `tag` is unresolved makes the whole list unknown;
//! - `tags`: the entries whose key can name an environment, in the order written (a computed
//!   object: in key order). An expression tag name is evaluated, and matters only when it may
//!   name the environment (`[concat('hidden-related:', …)]` cannot); unresolved `tags` are
//!   unknown.
//!
//! A child `Microsoft.Web/sites/config` resource is not linked to its site (the certificate
//! attributes never live there), so rules it sets are not read.

use crate::json::{Json, JsonKind, Member};
use crate::model::{
    AccessRule, Data, ENVIRONMENT_TAG_KEYS, Restrictions, RolloutInputs, Tags, Value,
};
use crate::source::{FileId, Span};
use crate::value::{Traced, Val};

use super::eval::{Env, clipped};
use super::expr;
use super::lower::{attribute, site_value};
use super::select::{self, Selected};

/// The site's rollout inputs; `properties` is its `properties` member, if any.
pub(super) fn inputs(
    file: FileId,
    env: Env<'_>,
    object: &Json,
    properties: Option<&Member>,
) -> RolloutInputs {
    let site_config = properties.and_then(|p| member(env, &Place::written(file, p), "siteConfig"));
    RolloutInputs {
        public_access: attribute(file, env, properties, "publicNetworkAccess", false),
        default_action: site_config
            .as_ref()
            .and_then(|config| member(env, config, "ipSecurityRestrictionsDefaultAction"))
            .map(|place| place.value(env)),
        restrictions: site_config.map_or(Restrictions::Absent, |config| restrictions(env, &config)),
        tags: tags(file, env, object),
    }
}

/// Where a value is: written in the template, or read out of an expression.
enum Place<'j> {
    /// A JSON value as written; `span` is the member (or array item) holding it and `key` its
    /// name, for messages.
    Written {
        json: &'j Json,
        span: Span,
        key: &'j str,
    },
    /// A value read out of an expression, and the member that holds the expression.
    Computed(Traced, Span),
}

impl<'j> Place<'j> {
    fn written(file: FileId, member: &'j Member) -> Self {
        Place::Written {
            json: &member.value,
            span: Span::new(file, member.span.clone()),
            key: &member.key,
        }
    }

    fn span(&self) -> Span {
        match self {
            Place::Written { span, .. } | Place::Computed(_, span) => *span,
        }
    }

    /// The value evaluated, with its origin.
    fn traced(&self, env: Env<'_>) -> Traced {
        match self {
            Place::Written { json, .. } => env.json(json),
            Place::Computed(traced, _) => traced.clone(),
        }
    }

    fn value(&self, env: Env<'_>) -> Value {
        site_value(self.traced(env), false, self.span())
    }
}

/// The member `key` (ignoring case) of the object at `place`; `None` when it is absent, `null`,
/// or `place` is no object.
fn member<'j>(env: Env<'_>, place: &Place<'j>, key: &str) -> Option<Place<'j>> {
    match place {
        Place::Written {
            json,
            span,
            key: holder,
        } => match &json.kind {
            JsonKind::Object(_) => {
                let found = json.member_ignore_case(key)?;
                if matches!(found.value.kind, JsonKind::Null) {
                    return None;
                }
                Some(Place::written(span.file, found))
            }
            JsonKind::String(text) if expr::is_expression(text) => {
                let traced = match expr::parse(text) {
                    // The evaluator words the parse error.
                    Err(_) => env.string(text),
                    Ok(parsed) => match select::property(env, &parsed, key) {
                        Selected::Found(traced) => traced,
                        Selected::Absent => return None,
                        Selected::Unknown(why) => Traced::here(Val::Unknown(format!(
                            "`{holder}` is `{}`, and {why}",
                            clipped(text)
                        ))),
                    },
                };
                // `select::property` reads a member written `null` as set.
                (!matches!(traced.val, Val::Null)).then_some(Place::Computed(traced, *span))
            }
            _ => None,
        },
        Place::Computed(traced, span) => match &traced.val {
            Val::Object(map) => {
                let (written, val) = map.iter().find(|(k, _)| k.eq_ignore_ascii_case(key))?;
                if matches!(val, Val::Null) {
                    return None;
                }
                Some(Place::Computed(
                    traced.member_traced(written, val.clone()),
                    *span,
                ))
            }
            Val::Unknown(_) => Some(Place::Computed(traced.clone(), *span)),
            _ => None,
        },
    }
}

/// `siteConfig.ipSecurityRestrictions`.
fn restrictions(env: Env<'_>, site_config: &Place<'_>) -> Restrictions {
    const KEY: &str = "ipSecurityRestrictions";
    if let Place::Written { json, .. } = site_config
        && let Some(copy) = json.member_ignore_case("copy")
        && copy_builds(env, &copy.value, KEY)
    {
        return Restrictions::Unknown(Value::literal(
            Data::Unknown(format!(
                "`{KEY}` is built by a property `copy` loop, which certgate does not expand"
            )),
            Span::new(site_config.span().file, copy.span.clone()),
        ));
    }
    let Some(list) = member(env, site_config, KEY) else {
        return Restrictions::Absent;
    };
    let mut rules = Vec::new();
    match &list {
        Place::Written {
            json:
                Json {
                    kind: JsonKind::Array(items),
                    ..
                },
            span,
            ..
        } => {
            for (at, item) in items.iter().enumerate() {
                let item_span = Span::new(span.file, item.span.clone());
                let place = match &item.kind {
                    JsonKind::Object(_) => Place::Written {
                        json: item,
                        span: item_span,
                        key: KEY,
                    },
                    _ => Place::Computed(env.json(item), item_span),
                };
                match rule(env, place, at) {
                    Ok(rule) => rules.push(rule),
                    Err(unknown) => return Restrictions::Unknown(unknown),
                }
            }
        }
        _ => {
            let traced = list.traced(env);
            let span = list.span();
            let items = match &traced.val {
                Val::List(items) => items,
                Val::Null => return Restrictions::Absent,
                _ => return Restrictions::Unknown(not_a_list(&traced, span)),
            };
            for (at, item) in items.iter().enumerate() {
                let place =
                    Place::Computed(traced.member_traced(&at.to_string(), item.clone()), span);
                match rule(env, place, at) {
                    Ok(rule) => rules.push(rule),
                    Err(unknown) => return Restrictions::Unknown(unknown),
                }
            }
        }
    }
    Restrictions::Rules(rules)
}

/// Whether a property `copy` array has a loop named `key` (or one whose name is unresolved).
fn copy_builds(env: Env<'_>, copy: &Json, key: &str) -> bool {
    let JsonKind::Array(loops) = &copy.kind else {
        return false;
    };
    loops.iter().any(|entry| {
        entry
            .get_ignore_case("name")
            .is_some_and(|name| match env.json(name).val {
                Val::String(name) => name.eq_ignore_ascii_case(key),
                _ => true,
            })
    })
}

/// Why a value that should be a list of rules is not one (shared with Bicep).
pub(crate) fn not_a_list(traced: &Traced, span: Span) -> Value {
    let why = match &traced.val {
        Val::Unknown(why) => why.clone(),
        other => format!(
            "`ipSecurityRestrictions` is {}, not a list of rules",
            with_article(other.type_name())
        ),
    };
    Value {
        data: Data::Unknown(why),
        span,
        origin: traced.origin.clone(),
    }
}

/// Why an evaluated rule number `at` (from 0) is not a rule, if it is not an object (shared
/// with Bicep).
pub(crate) fn not_a_rule(traced: &Traced, span: Span, at: usize) -> Option<Value> {
    let why = match &traced.val {
        Val::Object(_) => return None,
        Val::Unknown(reason) => format!("rule {} is unknown: {reason}", at + 1),
        other => format!(
            "rule {} is {}, not an object",
            at + 1,
            with_article(other.type_name())
        ),
    };
    Some(Value {
        data: Data::Unknown(why),
        span,
        origin: traced.origin.clone(),
    })
}

/// `a bool`, `an object`.
fn with_article(type_name: &str) -> String {
    let article = if type_name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {type_name}")
}

/// Rule number `at` (from 0) of the list, or why its shape is unknown.
fn rule(env: Env<'_>, place: Place<'_>, at: usize) -> Result<AccessRule, Value> {
    if let Place::Computed(traced, span) = &place
        && let Some(unknown) = not_a_rule(traced, *span, at)
    {
        return Err(unknown);
    }
    let field = |name: &str| member(env, &place, name).map(|found| found.value(env));
    arm_rule(
        place.span(),
        at,
        field("action"),
        field("ipAddress"),
        field("tag"),
        field("vnetSubnetResourceId"),
    )
}

/// One access restriction rule in the ARM shape (shared with Bicep): a `tag` of `ServiceTag`
/// (any case) means `ipAddress` names a service tag; `Default` and `XffProxy` keep it an
/// address. An unresolved `tag` leaves the rule's meaning unknown: `Err` with why.
pub(crate) fn arm_rule(
    span: Span,
    at: usize,
    action: Option<Value>,
    ip_address: Option<Value>,
    tag: Option<Value>,
    subnet: Option<Value>,
) -> Result<AccessRule, Value> {
    let service = match tag.as_ref().map(|tag| &tag.data) {
        Some(Data::String(text)) => text.eq_ignore_ascii_case("ServiceTag"),
        Some(Data::Unknown(why)) => {
            let tag = tag.as_ref().expect("matched a tag");
            return Err(Value {
                data: Data::Unknown(format!("the `tag` of rule {} is unknown: {why}", at + 1)),
                ..tag.clone()
            });
        }
        _ => false,
    };
    let (ip_address, service_tag) = if service {
        (None, ip_address)
    } else {
        (ip_address, None)
    };
    Ok(AccessRule {
        span,
        action,
        ip_address,
        service_tag,
        subnet,
    })
}

/// Whether a tag key can name an environment (case-insensitive).
pub(crate) fn is_environment_key(key: &str) -> bool {
    ENVIRONMENT_TAG_KEYS
        .iter()
        .any(|wanted| wanted.eq_ignore_ascii_case(key))
}

/// The environment-naming entries of a computed tags object, each with its own origin.
pub(crate) fn computed_tags(traced: &Traced, span: Span) -> Tags {
    match &traced.val {
        Val::Object(map) => {
            let mut found = Vec::new();
            for (key, val) in map.iter().filter(|(key, _)| is_environment_key(key)) {
                set(
                    &mut found,
                    key.clone(),
                    &traced.member_traced(key, val.clone()),
                    span,
                );
            }
            entries(found)
        }
        Val::Null => Tags::Absent,
        Val::Unknown(why) => Tags::Unknown(Value {
            data: Data::Unknown(why.clone()),
            span,
            origin: traced.origin.clone(),
        }),
        other => Tags::Unknown(Value {
            data: Data::Unknown(format!("`tags` is a {}, not an object", other.type_name())),
            span,
            origin: traced.origin.clone(),
        }),
    }
}

/// Entries found, or `Absent` for none.
pub(crate) fn entries(found: Vec<(String, Value)>) -> Tags {
    if found.is_empty() {
        Tags::Absent
    } else {
        Tags::Entries(found)
    }
}

/// The resource's `tags`: a written object member by member, anything else evaluated whole.
fn tags(file: FileId, env: Env<'_>, object: &Json) -> Tags {
    let Some(tags) = object.member_ignore_case("tags") else {
        return Tags::Absent;
    };
    let span = Span::new(file, tags.span.clone());
    let JsonKind::Object(members) = &tags.value.kind else {
        return computed_tags(&env.json(&tags.value), span);
    };
    let mut found = Vec::new();
    for member in members {
        let span = Span::new(file, member.span.clone());
        let key = match expr::literal_text(&member.key) {
            Some(key) => key.to_string(),
            // ARM evaluates expressions in property names (`"[concat('hidden-related:', …)]"`).
            None => match env.string(&member.key).val {
                Val::String(key) => key,
                Val::Unknown(why) if may_be_environment_key(&known_prefix(&member.key)) => {
                    return Tags::Unknown(Value::literal(
                        Data::Unknown(format!(
                            "the tag name `{}` may name the environment, and {why}",
                            clipped(&member.key)
                        )),
                        span,
                    ));
                }
                _ => continue,
            },
        };
        if is_environment_key(&key) {
            let value = env.json(&member.value);
            set(&mut found, key, &value, span);
        }
    }
    entries(found)
}

/// The literal text an ARM expression key starts with (`concat('hidden-related:', …)`,
/// `format('hidden-link:{0}', …)`), or nothing when it is not known.
fn known_prefix(key: &str) -> String {
    let Ok(expr::Expr::Call(call)) = expr::parse(key) else {
        return String::new();
    };
    match (call.name.to_ascii_lowercase().as_str(), call.args.first()) {
        ("concat", Some(expr::Expr::String(text))) if call.accessors.is_empty() => text.clone(),
        ("format", Some(expr::Expr::String(text))) if call.accessors.is_empty() => {
            text.split('{').next().unwrap_or_default().to_string()
        }
        _ => String::new(),
    }
}

/// Whether a tag name that starts with the known text `prefix` (and goes on with unknown text)
/// can be one of the environment keys.
pub(crate) fn may_be_environment_key(prefix: &str) -> bool {
    ENVIRONMENT_TAG_KEYS.iter().any(|key| {
        key.as_bytes()
            .get(..prefix.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(prefix.as_bytes()))
    })
}

/// Sets tag `key` to `value` (a later entry replaces an earlier one whose name differs only in
/// case, as Azure tag names do); a `null` value removes it.
pub(crate) fn set(found: &mut Vec<(String, Value)>, key: String, value: &Traced, span: Span) {
    found.retain(|(written, _)| !written.eq_ignore_ascii_case(&key));
    if !matches!(value.val, Val::Null) {
        found.push((key, site_value(value.clone(), false, span)));
    }
}

#[cfg(test)]
mod tests;
