//! What names an azurerm or AzAPI site or slot in Azure ([`SiteIdentity`]), read from one
//! instance of its block with the evaluator: the raw values (span, origin, unknown with the
//! reason), no decisions. Drift matches code to deployed sites by them.
//!
//! A slot names its site by id (`app_service_id`, AzAPI `parent_id`). That id is computed by
//! the provider when it is a reference to a site block of the same module, so the reference is
//! followed to the site's own arguments (`name`, `resource_group_name`, AzAPI `parent_id`),
//! as issue 14's "arguments of other resources" reads them; a data source's `id` likewise to
//! the arguments its block writes; a known id is split instead.

use super::eval::{Env, eval_attr, merge_origins, parse_expression};
use super::lower::value_of;
use super::module::Module;
use super::resource_id::{ResourceId, parse};
use super::syntax::{Attribute, AttributeExpr, ResourceBlock};
use super::targets::{Index, Target, chase_target};
use super::types::{ProviderVersion, TypeInfo, lookup};
use crate::model::{Data, SiteIdentity, Value};
use crate::value::Val;

/// The identity of one instance of an azurerm site or slot block, evaluated in `env`.
pub(crate) fn azurerm(
    block: &ResourceBlock,
    info: &TypeInfo,
    env: &Env,
    module: &Module,
) -> SiteIdentity {
    let value = |name: &str| value_of(block.attribute(name)?, env);
    let name = value("name");
    // The legacy slots name their site and group directly.
    let legacy_parent = match block.resource_type.as_str() {
        "azurerm_app_service_slot" => Some("app_service_name"),
        "azurerm_function_app_slot" => Some("function_app_name"),
        _ => None,
    };
    if let Some(parent) = legacy_parent {
        return SiteIdentity {
            name,
            parent: value(parent),
            resource_group: value("resource_group_name"),
            ..SiteIdentity::default()
        };
    }
    if !info.is_slot {
        return SiteIdentity {
            name,
            resource_group: value("resource_group_name"),
            ..SiteIdentity::default()
        };
    }
    let Some(site_id) = block.attribute("app_service_id") else {
        return SiteIdentity {
            name,
            ..SiteIdentity::default()
        };
    };
    if let Some(target) = chase_target(site_id, module).filter(|t| is_azurerm_site(t.block)) {
        return SiteIdentity {
            parent: argument(&target, "name", site_id, env),
            resource_group: argument(&target, "resource_group_name", site_id, env),
            name,
            ..SiteIdentity::default()
        };
    }
    if let Some((resource_type, reference)) = data_source(site_id)
        && is_site_type(&resource_type)
    {
        return SiteIdentity {
            parent: read(&reference, "name", site_id, env),
            resource_group: read(&reference, "resource_group_name", site_id, env),
            name,
            ..SiteIdentity::default()
        };
    }
    match value_of(site_id, env) {
        Some(id) => under_site(&id, name),
        None => SiteIdentity {
            name,
            ..SiteIdentity::default()
        },
    }
}

/// The identity of one instance of an `azapi_resource` site (`is_slot` false) or slot.
pub(crate) fn azapi(
    block: &ResourceBlock,
    is_slot: bool,
    env: &Env,
    module: &Module,
) -> SiteIdentity {
    let name = block.attribute("name").and_then(|n| value_of(n, env));
    let Some(parent_id) = block.attribute("parent_id") else {
        return SiteIdentity {
            name,
            ..SiteIdentity::default()
        };
    };
    let Some(evaluated) = value_of(parent_id, env) else {
        return SiteIdentity {
            name,
            ..SiteIdentity::default()
        };
    };
    let computed = matches!(evaluated.data, Data::Unknown(_));
    if computed && let Some((resource_type, reference)) = data_source(parent_id) {
        let read = |arg: &str| read(&reference, arg, parent_id, env);
        if !is_slot && resource_type == "azurerm_resource_group" {
            return SiteIdentity {
                resource_group: read("name"),
                name,
                ..SiteIdentity::default()
            };
        }
        if is_slot && is_site_type(&resource_type) {
            return SiteIdentity {
                parent: read("name"),
                resource_group: read("resource_group_name"),
                name,
                ..SiteIdentity::default()
            };
        }
    }
    let target = chase_target(parent_id, module).filter(|_| computed);
    match (is_slot, target) {
        (false, Some(group)) if group.block.resource_type == "azurerm_resource_group" => {
            SiteIdentity {
                resource_group: argument(&group, "name", parent_id, env),
                name,
                ..SiteIdentity::default()
            }
        }
        (false, _) => under_group(&evaluated, name),
        (true, Some(site)) if is_azurerm_site(site.block) => SiteIdentity {
            name,
            parent: argument(&site, "name", parent_id, env),
            resource_group: argument(&site, "resource_group_name", parent_id, env),
            ..SiteIdentity::default()
        },
        (true, Some(site)) if site.block.resource_type == super::azapi::RESOURCE => {
            azapi_slot_of_azapi_site(&site, name, parent_id, env, module)
        }
        (true, _) => under_site(&evaluated, name),
    }
}

/// An AzAPI slot whose `parent_id` is an AzAPI site block's `id`: that site's `name`, and the
/// group its own `parent_id` names (a literal id, or an `azurerm_resource_group`'s `name`).
fn azapi_slot_of_azapi_site(
    site: &Target,
    name: Option<Value>,
    parent_id: &Attribute,
    env: &Env,
    module: &Module,
) -> SiteIdentity {
    let parent = argument(site, "name", parent_id, env);
    let Some(group_id) = argument(site, "parent_id", parent_id, env) else {
        return SiteIdentity {
            name,
            parent,
            ..SiteIdentity::default()
        };
    };
    let mut group = under_group(&group_id, parent.clone());
    // The site's `parent_id` is itself computed: an `azurerm_resource_group` block's `id`. Its
    // expression is followed only when the site has no instances of its own (else it would be
    // evaluated with this slot's `count.index` / `each`).
    let single = site.block.count_argument().is_none() && site.block.for_each_argument().is_none();
    if matches!(group_id.data, Data::Unknown(_))
        && single
        && let Some(written) = site.block.attribute("parent_id")
        && let Some(rg) = chase_target(written, module)
            .filter(|t| t.block.resource_type == "azurerm_resource_group")
        && let Some(rg_name) = argument(&rg, "name", parent_id, env)
    {
        group.resource_group = Some(rg_name);
        group.subscription = None;
    }
    let id = match (&group.id, &name) {
        (Some(site_id), Some(slot)) => joined(&[site_id, slot], |[site_id, slot]| {
            format!("{site_id}/slots/{slot}")
        }),
        _ => None,
    };
    SiteIdentity {
        id,
        name,
        parent,
        resource_group: group.resource_group,
        subscription: group.subscription,
    }
}

/// Whether a block is an azurerm site (not a slot) of the type table.
fn is_azurerm_site(block: &ResourceBlock) -> bool {
    is_site_type(&block.resource_type)
}

/// Whether a type (a resource's, or a data source's of the same name) is an azurerm site.
fn is_site_type(resource_type: &str) -> bool {
    lookup(resource_type, ProviderVersion::Unknown).is_some_and(|info| !info.is_slot)
}

/// A site under the resource group `group_id` names (an AzAPI `parent_id`); the id when both
/// are known.
fn under_group(group_id: &Value, name: Option<Value>) -> SiteIdentity {
    let what = "a resource group id (`/subscriptions/…/resourceGroups/…`)";
    let is_group = |id: &ResourceId| id.site.is_none();
    let id = match &name {
        Some(name) if known_id(group_id, is_group) => joined(&[group_id, name], |[group, name]| {
            format!("{group}/providers/Microsoft.Web/sites/{name}")
        }),
        _ => None,
    };
    SiteIdentity {
        id,
        name,
        parent: None,
        resource_group: Some(part(group_id, what, is_group, |id| id.resource_group)),
        subscription: Some(part(group_id, what, is_group, |id| id.subscription)),
    }
}

/// A slot of the site `site_id` names (`app_service_id`, an AzAPI slot's `parent_id`); the
/// slot's id when both are known.
pub(crate) fn under_site(site_id: &Value, name: Option<Value>) -> SiteIdentity {
    let what = "a site id (`/subscriptions/…/providers/Microsoft.Web/sites/…`)";
    let is_site = |id: &ResourceId| id.site.is_some() && id.slot.is_none();
    let id = match &name {
        Some(name) if known_id(site_id, is_site) => joined(&[site_id, name], |[site, name]| {
            format!("{site}/slots/{name}")
        }),
        _ => None,
    };
    SiteIdentity {
        id,
        name,
        parent: Some(part(site_id, what, is_site, |id| id.site.unwrap_or(""))),
        resource_group: Some(part(site_id, what, is_site, |id| id.resource_group)),
        subscription: Some(part(site_id, what, is_site, |id| id.subscription)),
    }
}

/// Whether `value` is a known id of the expected shape.
fn known_id(value: &Value, expected: impl Fn(&ResourceId) -> bool) -> bool {
    match &value.data {
        Data::String(text) => parse(text).is_some_and(|id| expected(&id)),
        _ => false,
    }
}

/// One part of the id `value` holds, at the id's span with its origin: unknown with the id's
/// reason when the id is, or with `what` it should be when it has another shape.
fn part(
    value: &Value,
    what: &str,
    expected: impl Fn(&ResourceId) -> bool,
    pick: impl for<'a> Fn(&ResourceId<'a>) -> &'a str,
) -> Value {
    let data = match &value.data {
        Data::String(text) => match parse(text).filter(|id| expected(id)) {
            Some(id) => Data::String(pick(&id).to_string()),
            None => Data::Unknown(format!("`{text}` is not {what}")),
        },
        Data::Unknown(reason) => Data::Unknown(reason.clone()),
        Data::Null => Data::Unknown(format!("the id is null, not {what}")),
        Data::Bool(_) => Data::Unknown(format!("the id is a bool, not {what}")),
        Data::Other(kind) => Data::Unknown(format!("the id is a {kind}, not {what}")),
    };
    Value {
        data,
        span: value.span,
        origin: value.origin.clone(),
    }
}

/// The string `build` makes of `parts` when every one is a known string, at the first part's
/// span with all their origins; `None` when any is not.
fn joined<const N: usize>(
    parts: &[&Value; N],
    build: impl Fn([&str; N]) -> String,
) -> Option<Value> {
    let mut texts = [""; N];
    for (text, part) in texts.iter_mut().zip(parts) {
        match &part.data {
            Data::String(known) => *text = known,
            _ => return None,
        }
    }
    let mut origin = parts[0].origin.clone();
    for part in &parts[1..] {
        merge_origins(&mut origin, &part.origin);
    }
    Some(Value {
        data: Data::String(build(texts)),
        span: parts[0].span,
        origin,
    })
}

/// The argument `arg` of the block a reference (`TYPE.NAME[key].id`, written at `at`) names,
/// evaluated in that block's instance as `TYPE.NAME[key].ARG`, shown at `at`; `None` when it
/// is null. Unknown (with the evaluator's reason) when it is not written.
fn argument(target: &Target, arg: &str, at: &Attribute, env: &Env) -> Option<Value> {
    let index = match &target.index {
        None => String::new(),
        Some(Index::Number(n)) => format!("[{n}]"),
        Some(Index::Expr(expr)) => format!("[{expr}]"),
    };
    let block = target.block;
    read(
        &format!("{}.{}{index}", block.resource_type, block.name),
        arg,
        at,
        env,
    )
}

/// `REFERENCE.ARG` evaluated in `env`, shown at `at`; `None` when it is null.
fn read(reference: &str, arg: &str, at: &Attribute, env: &Env) -> Option<Value> {
    let text = format!("{reference}.{arg}");
    let (data, origin) = match parse_expression(&text) {
        Ok(expr) => match eval_attr(&AttributeExpr::Hcl(expr), env) {
            Ok(traced) if traced.val == Val::Null => return None,
            Ok(traced) => (traced.val.to_data(), traced.origin),
            Err(error) => (
                Data::Unknown(format!("Terraform would reject `{text}`: {error}")),
                Vec::new(),
            ),
        },
        Err(error) => (
            Data::Unknown(format!("`{text}` cannot be read: {error}")),
            Vec::new(),
        ),
    };
    Some(Value {
        data,
        span: at.span,
        origin,
    })
}

/// A data source an id argument names, `data.TYPE.NAME.id` (or `"${…}"` of it in `.tf.json`):
/// its type and the reference without `.id`. Its `id` is read from Azure, but the arguments
/// written in the data block (`name`, `resource_group_name`) say which resource it is.
fn data_source(attribute: &Attribute) -> Option<(String, String)> {
    use hcl_edit::expr::{Expression, TraversalOperator};
    let parsed;
    let expr = match &attribute.expr {
        AttributeExpr::Hcl(expr) => expr,
        AttributeExpr::Json(json) => {
            let text = json.as_str()?;
            let inner = text.strip_prefix("${")?.strip_suffix('}')?;
            parsed = parse_expression(inner.trim()).ok()?;
            &parsed
        }
        AttributeExpr::JsonLiteral(_) => return None,
    };
    let Expression::Traversal(traversal) = expr else {
        return None;
    };
    let Expression::Variable(root) = &traversal.expr else {
        return None;
    };
    let names: Vec<&str> = traversal
        .operators
        .iter()
        .map(|op| match op.value() {
            TraversalOperator::GetAttr(name) => Some(name.as_str()),
            _ => None,
        })
        .collect::<Option<_>>()?;
    match (root.as_str(), &names[..]) {
        ("data", [resource_type, name, "id"]) => Some((
            resource_type.to_string(),
            format!("data.{resource_type}.{name}"),
        )),
        _ => None,
    }
}
