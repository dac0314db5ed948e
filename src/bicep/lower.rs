//! Lowers one Bicep site or slot instance into the model's [`Resource`], evaluating its values.
//!
//! - header: from the `resource` keyword through the type string;
//! - control: enabled flag + mode defaulting to `Required` for every kind (the ARM API
//!   defaults, which Bicep deploys through: `clientCertEnabled` false, `clientCertMode`
//!   `Required`);
//! - values come from `properties` only (never `siteConfig`), keys compared ignoring case. Each
//!   value's span is the whole `key: value` member; when a spread (`...base`) sets it, the spread
//!   member; when `properties` is itself an expression, the member of its own object literals
//!   that writes the value (through `union()` arguments and conditionals with a known
//!   condition), else the `union()` argument or branch that sets it, else the `properties`
//!   member. Values carry their origin. A literal `null` counts as absent; for the enabled flag the strings
//!   `'true'`/`'false'` are booleans, as Azure deserialises them;
//! - `kind` is evaluated and classified as for ARM; a slot without one takes its site's.
//! - the rollout inputs (`publicNetworkAccess`, `siteConfig` access restrictions, `tags`) are
//!   read by `rollout`, with the same accessors;
//! - the identity (name, parent site, resource group, subscription, id) by `identity`.

use crate::arm::lower::site_value as value;
use crate::model::{
    AnchorMember, CertAttributes, CertControl, CertMode, Data, FixAnchor, Placement, Resource,
    Syntax, Value,
};
use crate::source::{FileId, Span};
use crate::value::{Traced, Val};

use super::ast::{Expr, ExprKind, ObjectExpr, ObjectMember, ResourceDecl};
use super::eval::{Env, Step};
use super::select::{Has, Writer};

/// The ARM attribute names, which Bicep uses as they are.
pub const ATTRIBUTES: CertAttributes = crate::arm::lower::ATTRIBUTES;

/// One site or slot instance as the walk found it.
pub struct SiteDecl<'a> {
    pub decl: &'a ResourceDecl,
    /// The body object of this instance.
    pub body: &'a ObjectExpr,
    pub file: FileId,
    /// `Microsoft.Web/sites` or `Microsoft.Web/sites/slots`, as written (a nested child's short
    /// type prefixed with its parent's).
    pub resource_type: String,
    pub is_slot: bool,
    /// The site's `kind` expression, for a slot that has none.
    pub parent_kind: Option<&'a Expr>,
    /// The body of the site a nested slot is declared in.
    pub parent_body: Option<&'a ObjectExpr>,
    /// Where it is deployed, as the `scope:` of the modules around it says.
    pub target: crate::arm::identity::Target,
    pub address: String,
    pub instance: Option<String>,
    pub scenario: Option<String>,
}

/// Where an object's member is set.
pub enum Found<'e> {
    /// `key: value` written in the object.
    Property(&'e super::ast::Property),
    /// Set by this spread (`...base`): the expression spread and the spread member's span.
    Spread(&'e Expr, Span),
    /// Cannot tell: an interpolated key or a spread that does not resolve; why.
    Unknown(Span, String),
}

/// Builds the model resource for `site`, evaluating in `env`.
pub fn lower(site: &SiteDecl<'_>, env: Env<'_>) -> Resource {
    let kind_value = match member(env, site.body, "kind") {
        Some(found) => evaluate(env, found, "kind").map(|t| t.val),
        None => site
            .parent_kind
            .filter(|_| site.is_slot)
            .map(|kind| env.eval(kind).val),
    };
    let kind = match kind_value {
        Some(Val::String(text)) => crate::arm::kind::classify_str(&text),
        _ => crate::arm::kind::classify_str(""),
    };
    let value = |name: Option<&str>, flag: bool| {
        name.and_then(|name| attribute(env, site.body, name, flag))
    };
    Resource {
        address: site.address.clone(),
        resource_type: site.resource_type.clone(),
        kind: kind.kind,
        is_slot: site.is_slot,
        kind_tags: kind.tags,
        syntax: Syntax::Bicep,
        header: Span {
            file: site.file,
            ..site.decl.header
        },
        control: CertControl::EnabledAndMode {
            default_mode: CertMode::Required,
        },
        attributes: ATTRIBUTES,
        enabled: value(ATTRIBUTES.enabled, true),
        mode: value(ATTRIBUTES.mode, false),
        exclusion_paths: value(ATTRIBUTES.exclusion_paths, false),
        scenario: site.scenario.clone(),
        instance: site.instance.clone(),
        fix_anchor: Some(fix_anchor(env, site.body)),
        rollout: super::rollout::inputs(env, site.body),
        identity: super::identity::identity(
            env,
            site.body,
            site.parent_body,
            site.is_slot,
            &site.target,
            Span {
                file: site.file,
                ..site.decl.header
            },
        ),
        source: crate::model::Source::Code,
        suppression_anchor: Some(crate::model::SuppressionAnchor {
            header: Span {
                file: site.file,
                ..site.decl.header
            },
            body: Span {
                file: site.file,
                ..site.body.span
            },
            metadata: None,
        }),
    }
}

/// Where `--fix` edits: the `properties` object, or the resource body when `properties` is
/// missing (the fix then creates it).
fn fix_anchor(env: Env<'_>, body: &ObjectExpr) -> FixAnchor {
    let anchor = |object: &ObjectExpr, placement| FixAnchor {
        body: object.span,
        members: object
            .members
            .iter()
            .filter_map(|member| match member {
                ObjectMember::Property(property) => Some(AnchorMember {
                    name: property.key.text()?.to_string(),
                    span: property.span,
                    value: property.value.span,
                }),
                _ => None,
            })
            .collect(),
        placement,
    };
    let properties = body.property("properties");
    match properties.map(|p| &p.value.kind) {
        None if !body
            .members
            .iter()
            .any(|m| matches!(m, ObjectMember::Spread { .. })) =>
        {
            anchor(body, Placement::NewObject("properties"))
        }
        Some(ExprKind::Object(object)) => anchor(object, Placement::Body),
        _ => FixAnchor {
            members: properties
                .map(|p| written_members(env, &p.value))
                .unwrap_or_default(),
            ..anchor(
                body,
                Placement::Unavailable(
                    "`properties` is not written as an object here (it is an expression or \
                     comes from a spread), so certgate cannot add a setting to it"
                        .into(),
                ),
            )
        },
    }
}

/// The certificate attributes a computed `properties` (`union(base, { … })`, a conditional)
/// writes as `key: value` members of its own object literals, so the fixer can change a
/// literal there. Attributes cannot be added to it.
fn written_members(env: Env<'_>, properties: &Expr) -> Vec<AnchorMember> {
    [
        ATTRIBUTES.enabled,
        ATTRIBUTES.mode,
        ATTRIBUTES.exclusion_paths,
    ]
    .into_iter()
    .flatten()
    .filter_map(|name| match env.writer(properties, name) {
        Writer::Property(property) => Some(AnchorMember {
            name: name.to_string(),
            span: property.span,
            value: property.value.span,
        }),
        _ => None,
    })
    .collect()
}

/// The resource's `name`, when it evaluates to a string (to tell loop instances apart).
pub fn resolved_name(env: Env<'_>, body: &ObjectExpr) -> Option<String> {
    match member(env, body, "name").and_then(|found| evaluate(env, found, "name")) {
        Some(Traced {
            val: Val::String(name),
            ..
        }) => Some(name),
        _ => None,
    }
}

/// The last member or spread of `object` that sets `key` (ignoring case), if any.
pub fn member<'e>(env: Env<'_>, object: &'e ObjectExpr, key: &str) -> Option<Found<'e>> {
    for entry in object.members.iter().rev() {
        match entry {
            ObjectMember::Property(property) => match property.key.text() {
                Some(text) if text.eq_ignore_ascii_case(key) => {
                    return Some(Found::Property(property));
                }
                Some(_) => {}
                None => {
                    let name = match &property.key {
                        super::ast::ObjectKey::String(string) => {
                            env.eval(&Expr {
                                kind: ExprKind::String(string.clone()),
                                span: property.key_span,
                            })
                            .val
                        }
                        super::ast::ObjectKey::Ident(name) => Val::String(name.clone()),
                    };
                    match name {
                        Val::String(text) if text.eq_ignore_ascii_case(key) => {
                            return Some(Found::Property(property));
                        }
                        Val::String(_) => {}
                        Val::Unknown(why) => {
                            return Some(Found::Unknown(
                                property.span,
                                format!("a computed property name may be `{key}`, and {why}"),
                            ));
                        }
                        _ => {}
                    }
                }
            },
            ObjectMember::Spread { value, span } => match env.has(value, key) {
                Has::Yes => return Some(Found::Spread(value, *span)),
                Has::Unknown(why) => {
                    return Some(Found::Unknown(
                        *span,
                        format!(
                            "`...{}` may set `{key}`, and {why}",
                            env.text_of(value.span)
                        ),
                    ));
                }
                Has::No => {}
            },
            ObjectMember::Resource(_) => {}
            // A property that did not parse is unknown, never absent.
            ObjectMember::Broken(broken) if broken.may_set(key) => {
                let reason = broken.reason(key, &env.scope.file.source);
                return Some(Found::Unknown(broken.span, reason));
            }
            ObjectMember::Broken(_) => {}
        }
    }
    None
}

/// The value a found member gives `key`; `None` for a literal `null` (absent).
fn evaluate(env: Env<'_>, found: Found<'_>, key: &str) -> Option<Traced> {
    match found {
        Found::Property(property) => match property.value.kind {
            ExprKind::Null => None,
            _ => Some(env.eval(&property.value)),
        },
        Found::Spread(value, _) => Some(env.at(value, &[Step::name(key)])),
        Found::Unknown(_, why) => Some(Traced::here(Val::unknown(why))),
    }
}

/// One certificate attribute under `properties`; `flag` marks the boolean enabled attribute.
/// The rollout inputs read `publicNetworkAccess` with it too.
pub(super) fn attribute(env: Env<'_>, body: &ObjectExpr, name: &str, flag: bool) -> Option<Value> {
    match member(env, body, "properties")? {
        Found::Property(properties) => match &properties.value.kind {
            ExprKind::Object(object) => match member(env, object, name)? {
                Found::Property(property) => {
                    let traced = evaluate(env, Found::Property(property), name)?;
                    Some(value(traced, flag, property.span))
                }
                Found::Spread(spread, span) => {
                    Some(value(env.at(spread, &[Step::name(name)]), flag, span))
                }
                Found::Unknown(span, why) => Some(Value::literal(Data::Unknown(why), span)),
            },
            _ => computed(env, &properties.value, &[], properties.span, name, flag),
        },
        Found::Spread(spread, span) => {
            computed(env, spread, &[Step::name("properties")], span, name, flag)
        }
        Found::Unknown(span, why) => Some(Value::literal(Data::Unknown(why), span)),
    }
}

/// An attribute read out of a computed `properties` value (`properties: siteProperties`).
fn computed(
    env: Env<'_>,
    expr: &Expr,
    prefix: &[Step],
    span: Span,
    name: &str,
    flag: bool,
) -> Option<Value> {
    let mut steps = prefix.to_vec();
    steps.push(Step::name(name));
    // Decided from the syntax where it can be, so that unknown members elsewhere in
    // `properties` (an unknown spread or `union()` argument written before the attribute) do
    // not hide it, and the value points at the member that writes it.
    if prefix.is_empty() {
        match env.writer(expr, name) {
            Writer::Property(property) => {
                let traced = evaluate(env, Found::Property(property), name)?;
                return Some(value(traced, flag, property.span));
            }
            Writer::Spread(spread, at) => return Some(value(env.at(spread, &steps), flag, at)),
            // A part of `properties` (a `union()` argument, a branch): the value points at it
            // and its origin shows where that part got it.
            Writer::Expr(part) if !std::ptr::eq(part, expr) => {
                return Some(value(env.at(part, &steps), flag, part.span));
            }
            Writer::Absent => return None,
            Writer::Expr(_) | Writer::Undecided => {}
        }
        match env.has(expr, name) {
            Has::Yes => return Some(value(env.at(expr, &steps), flag, span)),
            Has::No => return None,
            Has::Unknown(_) => {}
        }
    }
    let whole = env.at(expr, prefix);
    match &whole.val {
        Val::Object(_) => {
            whole.val.get_ignore_case(name)?;
            // Evaluated again with the attribute appended, so the origin is the member itself.
            Some(value(env.at(expr, &steps), flag, span))
        }
        Val::Unknown(why) => Some(Value {
            data: Data::Unknown(format!(
                "`properties` is `{}`, and {why}",
                env.text_of(expr.span)
            )),
            span,
            origin: whole.origin.clone(),
        }),
        _ => None,
    }
}
