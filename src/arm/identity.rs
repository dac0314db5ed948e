//! What names an ARM site or slot in Azure (`resource.identity`), raw, with the evaluator its
//! certificate attributes are read with, and the pieces Bicep shares: where a template's sites
//! are deployed ([`Target`]) and how a name, a parent and a target make a [`SiteIdentity`].
//!
//! - `name`: the resource's `name` member evaluated. A slot named `site/slot` (a top-level
//!   `Microsoft.Web/sites/slots`, or a nested one written with its full name) is split into
//!   its site (`parent`) and its own name; a slot nested in a site's `resources` with its own
//!   short name takes the site's evaluated `name` as its parent;
//! - resource group and subscription: a template deployed to a resource group does not name
//!   it (ARM's `resourceGroup()` is the deployment's), so the resource group is unknown with
//!   that reason and the subscription is not said, unless a nested deployment around the site
//!   sets `resourceGroup` / `subscriptionId` (evaluated where the deployment is written);
//! - `id`: only when the subscription, the resource group and the names all resolve.

use crate::json::Json;
use crate::model::{Data, SiteIdentity, Value};
use crate::source::{FileId, Span};

use super::eval::Env;
use super::lower::site_value;

/// Why the resource group of a site in a template deployed to a resource group is unknown.
pub(crate) const DEPLOYMENT_RESOURCE_GROUP: &str =
    "the deployment's resource group: the template does not name it";

/// Where the sites of a template (or a nested deployment, a module) are deployed, as far as
/// the code says.
#[derive(Debug, Clone, Default)]
pub(crate) struct Target {
    /// The resource group; `None` for the deployment's own (not named in the code).
    pub resource_group: Option<Value>,
    /// The subscription id; `None` for the deployment's own.
    pub subscription: Option<Value>,
}

impl Target {
    /// The target inside a nested deployment (`object`, evaluated in `env`, the deployment's):
    /// its `resourceGroup` and `subscriptionId` (members of the deployment resource, beside
    /// `properties`) when set, else this one's.
    /// A deployment that moves to another subscription without naming a resource group deploys
    /// at subscription scope, so a resource group inside it is unknown.
    pub(super) fn nested(&self, file: FileId, env: Env<'_>, object: &Json) -> Target {
        let read = |key: &str| {
            let member = object.member_ignore_case(key)?;
            if matches!(member.value.kind, crate::json::JsonKind::Null) {
                return None;
            }
            Some(site_value(
                env.json(&member.value),
                false,
                Span::new(file, member.span.clone()),
            ))
        };
        let resource_group = read("resourceGroup");
        let subscription = read("subscriptionId");
        match (resource_group, subscription) {
            (None, None) => self.clone(),
            (Some(group), subscription) => Target {
                resource_group: Some(group),
                subscription: subscription.or_else(|| self.subscription.clone()),
            },
            (None, Some(subscription)) => Target {
                resource_group: Some(Value {
                    data: Data::Unknown(
                        "the deployment sets `subscriptionId` but no `resourceGroup`".into(),
                    ),
                    ..subscription.clone()
                }),
                subscription: Some(subscription),
            },
        }
    }
}

/// The identity of an ARM site or slot: `object` is its resource object, `parent_site` the site
/// object it is nested under (if any), `header` where an unknown resource group points.
pub(super) fn identity(
    file: FileId,
    env: Env<'_>,
    object: &Json,
    parent_site: Option<&Json>,
    is_slot: bool,
    target: &Target,
    header: Span,
) -> SiteIdentity {
    let name_of = |object: &Json| {
        let member = object.member_ignore_case("name")?;
        Some(site_value(
            env.json(&member.value),
            false,
            Span::new(file, member.span.clone()),
        ))
    };
    let parent = parent_site.filter(|_| is_slot).and_then(name_of);
    assemble(name_of(object), parent, is_slot, target, header)
}

/// A site's identity from its evaluated name, the evaluated name of the site a slot is nested
/// under, and where it is deployed (shared with Bicep).
pub(crate) fn assemble(
    name: Option<Value>,
    parent: Option<Value>,
    is_slot: bool,
    target: &Target,
    header: Span,
) -> SiteIdentity {
    let (name, parent) = match name {
        // `site/slot`: the full name names the site too.
        Some(full) if is_slot => match &full.data {
            Data::String(text) if text.contains('/') => {
                let (site, slot) = text.split_once('/').expect("contains a slash");
                let part = |text: &str| Value {
                    data: Data::String(text.to_string()),
                    ..full.clone()
                };
                (Some(part(slot)), Some(part(site)))
            }
            // An unresolved full name leaves the site unknown too.
            Data::Unknown(_) if parent.is_none() => (Some(full.clone()), Some(full)),
            _ => (Some(full), parent),
        },
        name => (name, parent),
    };
    let resource_group = target
        .resource_group
        .clone()
        .unwrap_or_else(|| Value::literal(Data::Unknown(DEPLOYMENT_RESOURCE_GROUP.into()), header));
    let id = resource_id(
        target.subscription.as_ref(),
        &resource_group,
        name.as_ref(),
        parent.as_ref(),
        is_slot,
    );
    SiteIdentity {
        id,
        name,
        parent,
        resource_group: Some(resource_group),
        subscription: target.subscription.clone(),
    }
}

/// `/subscriptions/S/resourceGroups/G/providers/Microsoft.Web/sites/N[/slots/SLOT]` when every
/// part is a known string; its span is the name's, its origin every part's.
fn resource_id(
    subscription: Option<&Value>,
    resource_group: &Value,
    name: Option<&Value>,
    parent: Option<&Value>,
    is_slot: bool,
) -> Option<Value> {
    let text = |value: Option<&Value>| match value.map(|v| &v.data) {
        Some(Data::String(text)) if !text.is_empty() => Some(text.clone()),
        _ => None,
    };
    let name_value = name?;
    let site_path = if is_slot {
        format!("{}/slots/{}", text(parent)?, text(name)?)
    } else {
        text(name)?
    };
    let id = format!(
        "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Web/sites/{site_path}",
        text(subscription)?,
        text(Some(resource_group))?,
    );
    let origin = [subscription, Some(resource_group), parent, name]
        .into_iter()
        .flatten()
        .flat_map(|value| value.origin.iter().cloned())
        .collect();
    Some(Value {
        data: Data::String(id),
        span: name_value.span,
        origin,
    })
}

#[cfg(test)]
mod tests;
