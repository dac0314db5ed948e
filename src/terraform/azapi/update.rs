//! `azapi_update_resource` with a site or slot `type`: azapi reads the resource, merges `body`
//! over it and writes it back, so the certificate properties it sets are the site's state
//! after apply. Each update is lowered during the walk (its target and the properties its body
//! sets); [`apply`] replaces the target's values once the whole root was walked.
//!
//! The target is found without guessing: `resource_id` chased through the syntax to
//! `TYPE.NAME.id` of a block of the same module ([`crate::terraform::targets`]), or `name`
//! (with `parent_id`) equal to the evaluated `name` of an `azapi_resource` site or slot of
//! the root. Anything else is a notice, and the update is not judged.

use std::path::PathBuf;

use super::lower::resolve_type;
use super::select::{Anchor, Selected, select};
use super::{Deploys, UPDATE};
use crate::arm::lower::{ATTRIBUTES, site_value};
use crate::error::FileError;
use crate::model::{
    Data, FixAnchor, Origin, OriginKind, Placement, Resource, RolloutInputs, Value,
};
use crate::source::Span;
use crate::terraform::dispatch::{Lowered, Prefix};
use crate::terraform::eval::{Env, eval, eval_attr};
use crate::terraform::instance::{self, ModuleScope};
use crate::terraform::project::instances;
use crate::terraform::syntax::{AttributeExpr, ResourceBlock};
use crate::terraform::targets::{Index, chase_target};
use crate::value::Val;
use hcl_edit::expr::Expression;

/// What one update instance changes.
pub(crate) struct Update {
    /// The update's address (module path and instance keys included), for messages.
    address: String,
    /// Its declaration's address (`module.web.azapi_update_resource.mtls`).
    declaration: String,
    /// The declarations its `depends_on` names, with the same module path.
    depends_on: Vec<String>,
    path: PathBuf,
    header: Span,
    target: Target,
    /// Each certificate property the body writes (`None` where it sends null), with the
    /// member that writes it and that member's value.
    set: Vec<Written>,
    /// Where a fix writes into the update's body, or why it cannot.
    anchor: Anchor,
    /// The rollout inputs (public access, restrictions, tags) the body writes.
    rollout: RolloutInputs,
}

struct Written {
    property: Property,
    value: Option<Value>,
    member: Span,
}

/// Which site an update changes.
enum Target {
    /// The full address of the target instance (`module.web.azapi_resource.site[0]`).
    Address(String),
    /// An `azapi_resource` of the root whose evaluated `name` is this (a slot when `bool`).
    Name(String, bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Property {
    Enabled,
    Mode,
    ExclusionPaths,
}

impl Property {
    const ALL: [Property; 3] = [Property::Enabled, Property::Mode, Property::ExclusionPaths];

    fn arm_name(self) -> &'static str {
        match self {
            Property::Enabled => ATTRIBUTES.enabled,
            Property::Mode => ATTRIBUTES.mode,
            Property::ExclusionPaths => ATTRIBUTES.exclusion_paths,
        }
        .unwrap_or_default()
    }

    fn slot(self, resource: &mut Resource) -> &mut Option<Value> {
        match self {
            Property::Enabled => &mut resource.enabled,
            Property::Mode => &mut resource.mode,
            Property::ExclusionPaths => &mut resource.exclusion_paths,
        }
    }
}

/// Records what each instance of the update `block` sets, in `out.updates`.
pub(crate) fn lower(
    block: &ResourceBlock,
    scope: &ModuleScope,
    prefix: &Prefix,
    out: &mut Lowered,
) {
    if block.resource_type != UPDATE {
        return;
    }
    let path = scope.module.path_of(block.header.file);
    let mut noticed = false;
    for (keys, suffix) in instances(instance::expand(block.count(), block.for_each(), scope)) {
        let address = format!("{}{}{suffix}", prefix.declaration, block.address());
        let instance_scope = scope.instance(keys);
        let env = Env::new(&instance_scope);
        let Some((_, deploys)) = resolve_type(block, scope, &env, &path, &mut noticed, out) else {
            continue;
        };
        let is_slot = match deploys {
            Deploys::Site => false,
            Deploys::Slot => true,
            Deploys::Deployment | Deploys::Other => continue,
        };
        let Some(body) = block.attribute("body") else {
            continue;
        };
        let mut set = Vec::new();
        let mut anchor: Anchor = Err("the update has no `body` object".into());
        for property in Property::ALL {
            let flag = property == Property::Enabled;
            match select(body, &["properties", property.arm_name()], scope, &env) {
                Selected::Found {
                    value,
                    span,
                    anchor: found,
                } => {
                    if flag || anchor.is_err() {
                        anchor = found.clone();
                    }
                    let value = match value.val {
                        Val::Null => None,
                        _ => Some(site_value(value, flag, span)),
                    };
                    set.push(Written {
                        property,
                        value,
                        member: span,
                    });
                }
                Selected::Unknown(reason, span) => set.push(Written {
                    property,
                    value: Some(Value::literal(Data::Unknown(reason), span)),
                    member: span,
                }),
                Selected::Absent { anchor: found } => {
                    if flag {
                        anchor = found;
                    }
                }
            }
        }
        let rollout = super::rollout::inputs(block, scope, &env);
        // An update that writes no certificate property (nor a rollout input) leaves the site
        // as it is.
        if set.is_empty() && !super::rollout::writes_any(&rollout) {
            continue;
        }
        let target = match target(block, scope, &env, prefix, is_slot) {
            Ok(target) => target,
            // Only the certificate properties are worth a notice: the rollout reads what it
            // can and says "unknown" for the rest.
            Err(_) if set.is_empty() => continue,
            Err(why) => {
                let message =
                    format!("`{address}` targets a site certgate does not see ({why}); not judged");
                out.errors
                    .push(FileError::notice(&path, Some(block.header), message));
                continue;
            }
        };
        out.updates.push(Update {
            address,
            declaration: format!("{}{}", prefix.declaration, block.address()),
            depends_on: depends_on(block, prefix),
            path: path.clone(),
            header: block.header,
            target,
            set,
            anchor,
            rollout,
        });
    }
}

/// The `depends_on` entries of `block` written as plain references, with the module path.
fn depends_on(block: &ResourceBlock, prefix: &Prefix) -> Vec<String> {
    let Some(AttributeExpr::Hcl(Expression::Array(items))) =
        block.attribute("depends_on").map(|a| &a.expr)
    else {
        return Vec::new();
    };
    items
        .iter()
        .filter(|item| matches!(item, Expression::Traversal(_)))
        .map(|item| format!("{}{}", prefix.declaration, item.to_string().trim()))
        .collect()
}

/// The site the update names: `resource_id` chased to a block, else `name` (with
/// `parent_id`).
fn target(
    block: &ResourceBlock,
    scope: &ModuleScope,
    env: &Env,
    prefix: &Prefix,
    is_slot: bool,
) -> Result<Target, String> {
    if let Some(resource_id) = block.attribute("resource_id") {
        let target = chase_target(resource_id, scope.module)
            .ok_or("`resource_id` is not the `id` of a resource of this module".to_string())?;
        let suffix = match &target.index {
            None => String::new(),
            Some(Index::Number(n)) => format!("[{n}]"),
            Some(Index::Expr(expr)) => match eval(expr, env).map(|t| t.val) {
                Ok(Val::Number(n)) if n >= 0.0 && n.fract() == 0.0 => format!("[{n}]"),
                Ok(Val::String(key)) => {
                    format!("[{}]", serde_json::to_string(&key).unwrap_or_default())
                }
                _ => return Err("the index in `resource_id` cannot be resolved".into()),
            },
        };
        return Ok(Target::Address(format!(
            "{}{}{suffix}",
            prefix.instance,
            target.block.address()
        )));
    }
    let name = block
        .attribute("name")
        .ok_or("it has neither `resource_id` nor `name`".to_string())?;
    match eval_attr(&name.expr, env).map(|t| t.val) {
        Ok(Val::String(name)) => Ok(Target::Name(name, is_slot)),
        _ => Err("its `name` cannot be resolved".into()),
    }
}

/// Applies every update of one root to the resources it targets; notices for the updates
/// that target nothing judged here.
pub(crate) fn apply(
    resources: &mut [Resource],
    updates: &[Update],
    names: &[(String, String, bool)],
    errors: &mut Vec<FileError>,
) {
    // An update is applied after those it depends on, so it wins over them.
    let mut ordered: Vec<&Update> = Vec::with_capacity(updates.len());
    let mut rest: Vec<&Update> = updates.iter().collect();
    while !rest.is_empty() {
        let ready = rest
            .iter()
            .position(|u| {
                !u.depends_on.iter().any(|d| {
                    rest.iter()
                        .any(|o| &o.declaration == d && o.declaration != u.declaration)
                })
            })
            // A cycle (Terraform rejects it): keep the written order.
            .unwrap_or(0);
        ordered.push(rest.remove(ready));
    }
    // Who set each (resource, property) first, to report two updates that disagree.
    let mut setters: Vec<(usize, Property, (String, Option<Data>))> = Vec::new();
    for update in ordered {
        let targets: Vec<String> = match &update.target {
            Target::Address(full) => vec![full.clone()],
            Target::Name(name, slot) => names
                .iter()
                .filter(|(_, n, s)| n == name && s == slot)
                .map(|(full, ..)| full.clone())
                .collect(),
        };
        let indices: Vec<usize> = resources
            .iter()
            .enumerate()
            .filter(|(_, r)| targets.contains(r.instance.as_ref().unwrap_or(&r.address)))
            .map(|(i, _)| i)
            .collect();
        if indices.is_empty() && !update.set.is_empty() {
            let message = format!(
                "`{}` targets a site certgate does not see; not judged",
                update.address
            );
            errors.push(FileError::notice(
                &update.path,
                Some(update.header),
                message,
            ));
            continue;
        }
        for index in indices {
            let resource = &mut resources[index];
            super::rollout::apply(&mut resource.rollout, &update.rollout);
            if update.set.is_empty() {
                continue;
            }
            let site = resource
                .instance
                .clone()
                .unwrap_or_else(|| resource.address.clone());
            let azurerm = resource.resource_type.starts_with("azurerm_");
            for written in &update.set {
                let property = written.property;
                let name = property.arm_name();
                let previous = property.slot(resource).take();
                if azurerm && let Some(previous) = &previous {
                    let message = format!(
                        "`{site}` sets this value and `{}` sets `{name}` too: the two change \
                         it back and forth on every apply",
                        update.address
                    );
                    errors.push(FileError::notice(
                        &update.path,
                        Some(previous.span),
                        message,
                    ));
                }
                let data = written.value.as_ref().map(|v| v.data.clone());
                let earlier = setters
                    .iter()
                    .find(|(i, p, _)| *i == index && *p == property)
                    .map(|(_, _, other)| other.clone())
                    // An update that depends on the earlier one is applied after it: it wins.
                    .filter(|(other, _)| !update.depends_on.contains(other));
                let unknown = |why: String| Value::literal(Data::Unknown(why), written.member);
                let mut new = match (earlier, &written.value) {
                    (Some((other, earlier)), _) if earlier != data => unknown(format!(
                        "`{other}` and `{}` set `{name}` differently; which one Azure keeps \
                         depends on the order they are applied in",
                        update.address
                    )),
                    (_, None) => unknown(format!(
                        "`{}` sends null for `{name}`; what Azure keeps then is not documented",
                        update.address
                    )),
                    (_, Some(value)) if matches!(value.data, Data::Unknown(_)) => value.clone(),
                    // Shown where the update writes it, the one place to change; the
                    // message names the site.
                    (_, Some(value)) => value.clone(),
                };
                // The other place: the site the update changes, shown beside the update's
                // value (last, so advice and fixes still look at where the value is written).
                new.origin.push(Origin::new(
                    OriginKind::Update,
                    resource.header,
                    format!("`{site}`, which `{}` updates", update.address),
                ));
                *property.slot(resource) = Some(new);
                setters.push((index, property, (update.declaration.clone(), data)));
            }
            resource.fix_anchor = Some(fix_anchor(resource, update, azurerm));
        }
    }
}

/// Where `--fix` edits a site an update changed: the update's body (where it writes a
/// value, and where a missing property goes), the site's own members too (a failing value the
/// update leaves alone is still fixed in place). An azurerm site's attribute names are not the
/// body's, so nothing is added to the body for it.
fn fix_anchor(resource: &Resource, update: &Update, azurerm: bool) -> FixAnchor {
    let own = resource.fix_anchor.as_ref();
    let mut members: Vec<_> = own.map(|a| a.members.clone()).unwrap_or_default();
    match &update.anchor {
        Ok(anchor) => {
            members.extend(anchor.members.iter().cloned());
            FixAnchor {
                body: anchor.body,
                members,
                placement: if azurerm {
                    Placement::Unavailable(format!(
                        "`{}` sets the certificate properties of this site; set them in its body",
                        update.address
                    ))
                } else {
                    anchor.placement.clone()
                },
            }
        }
        Err(why) => FixAnchor {
            body: own.map_or(resource.header, |a| a.body),
            members,
            placement: Placement::Unavailable(why.clone()),
        },
    }
}
