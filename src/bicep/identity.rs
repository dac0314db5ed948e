//! What names a Bicep site or slot in Azure (`resource.identity`), raw, with the evaluator its
//! certificate attributes are read with; the identity is assembled as for ARM
//! ([`crate::arm::identity::assemble`]).
//!
//! - `name`: the body's `name` evaluated (a spread or a broken member that may set it counts);
//!   a slot named `site/slot` is split into its site and its own name;
//! - `parent`: for a slot nested in a site's body, the site's `name`; for a top-level slot,
//!   `parent: site` read as `site.name` (an `existing` site's name too);
//! - resource group and subscription: from the `scope:` of the modules around the site
//!   (`resourceGroup('rg')`, `resourceGroup(sub, 'rg')`, `subscription(sub)`, a symbolic
//!   `Microsoft.Resources/resourceGroups` resource), else the deployment's own, which the file
//!   does not name.

use crate::arm::identity::{Target, assemble};
use crate::arm::lower::site_value;
use crate::model::{Data, SiteIdentity, Value};
use crate::source::Span;
use crate::value::{Traced, Val};

use super::ast::{Expr, ExprKind, ObjectExpr};
use super::eval::{Env, Step};
use super::lower::{Found, member};

/// The identity of one site or slot instance: `body` is its body, `parent_body` the body of
/// the site it is nested in (if any).
pub(super) fn identity(
    env: Env<'_>,
    body: &ObjectExpr,
    parent_body: Option<&ObjectExpr>,
    is_slot: bool,
    target: &Target,
    header: Span,
) -> SiteIdentity {
    let parent = if !is_slot {
        None
    } else if let Some(site) = parent_body {
        name(env, site)
    } else {
        body.property("parent").map(|parent| {
            let traced = env.at(&parent.value, &[Step::name("name")]);
            site_value(traced, false, parent.span)
        })
    };
    assemble(name(env, body), parent, is_slot, target, header)
}

/// The body's `name`, evaluated, pointing at the member (or spread) that sets it.
fn name(env: Env<'_>, body: &ObjectExpr) -> Option<Value> {
    match member(env, body, "name")? {
        Found::Property(property) => match property.value.kind {
            ExprKind::Null => None,
            _ => Some(site_value(env.eval(&property.value), false, property.span)),
        },
        Found::Spread(spread, span) => Some(site_value(
            env.at(spread, &[Step::name("name")]),
            false,
            span,
        )),
        Found::Unknown(span, why) => Some(Value::literal(Data::Unknown(why), span)),
    }
}

/// Where the sites of module `module` (its body `body`, evaluated in the caller's `env`)
/// deploy: its `scope:`, else where its caller deploys (`outer`).
pub(super) fn module_target(
    env: Env<'_>,
    body: &ObjectExpr,
    module: &str,
    outer: &Target,
) -> Target {
    let Some(scope) = body.property("scope") else {
        return outer.clone();
    };
    let read = |expr: &Expr| site_value(env.eval(expr), false, scope.span);
    let unknown = |why: String| Value::literal(Data::Unknown(why), scope.span);
    match &scope.value.kind {
        ExprKind::Call { target, name, args } if is_az(target.as_deref()) => {
            match (name.name.as_str(), args.as_slice()) {
                // The caller's own resource group.
                ("resourceGroup", []) => outer.clone(),
                ("resourceGroup", [group]) => Target {
                    resource_group: Some(read(group)),
                    subscription: outer.subscription.clone(),
                },
                ("resourceGroup", [subscription, group]) => Target {
                    resource_group: Some(read(group)),
                    subscription: Some(read(subscription)),
                },
                ("subscription", args) if args.len() <= 1 => Target {
                    resource_group: Some(unknown(format!(
                        "module `{module}` deploys at subscription scope, in no resource group"
                    ))),
                    subscription: match args {
                        [subscription] => Some(read(subscription)),
                        _ => outer.subscription.clone(),
                    },
                },
                _ => Target {
                    resource_group: Some(unknown(not_read(env, module, &scope.value))),
                    subscription: None,
                },
            }
        }
        // `scope: rg`, a resource group the file declares (or references as `existing`).
        ExprKind::Ident(_) => {
            let traced = env.at(&scope.value, &[Step::name("name")]);
            let traced = match traced.val {
                Val::Unknown(_) | Val::String(_) => traced,
                _ => Traced::here(Val::unknown(not_read(env, module, &scope.value))),
            };
            Target {
                resource_group: Some(site_value(traced, false, scope.span)),
                subscription: outer.subscription.clone(),
            }
        }
        _ => Target {
            resource_group: Some(unknown(not_read(env, module, &scope.value))),
            subscription: None,
        },
    }
}

/// A call written bare or in the `az` namespace (`az.resourceGroup('rg')`).
fn is_az(target: Option<&Expr>) -> bool {
    match target.map(|t| &t.kind) {
        None => true,
        Some(ExprKind::Ident(namespace)) => namespace == "az",
        Some(_) => false,
    }
}

/// Why a module's `scope:` names no resource group certgate can read.
fn not_read(env: Env<'_>, module: &str, scope: &Expr) -> String {
    format!(
        "the scope of module `{module}` (`{}`) names no resource group certgate can read",
        env.text_of(scope.span)
    )
}
