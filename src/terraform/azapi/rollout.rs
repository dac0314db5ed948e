//! Reads the settings the rollout facts are decided from out of an AzAPI site or slot body
//! (ARM shape): `properties.publicNetworkAccess`,
//! `properties.siteConfig.ipSecurityRestrictionsDefaultAction` and
//! `properties.siteConfig.ipSecurityRestrictions`, with [`super::select`] like the certificate
//! properties, and the `tags` (the resource's argument, else the body's).

use super::select::{Selected, select};
use crate::model::{AccessRule, Data, Restrictions, RolloutInputs, Tags, Value};
use crate::source::Span;
use crate::terraform::eval::Env;
use crate::terraform::instance::ModuleScope;
use crate::terraform::rollout::{tags, tags_of};
use crate::terraform::syntax::ResourceBlock;
use crate::value::{Traced, Val};

const PUBLIC_ACCESS: [&str; 2] = ["properties", "publicNetworkAccess"];
const DEFAULT_ACTION: [&str; 3] = [
    "properties",
    "siteConfig",
    "ipSecurityRestrictionsDefaultAction",
];
const RESTRICTIONS: [&str; 3] = ["properties", "siteConfig", "ipSecurityRestrictions"];

/// What one body (and its block's `tags`) writes; `None` / `Absent` where it writes nothing.
/// For an `azapi_update_resource`, what the update changes.
pub(crate) fn inputs(block: &ResourceBlock, scope: &ModuleScope, env: &Env) -> RolloutInputs {
    let read = Read { block, scope, env };
    let tags = match block.attribute("tags") {
        Some(attribute) => tags(Some(attribute), env),
        None => read.body_tags(),
    };
    RolloutInputs {
        public_access: read.value(&PUBLIC_ACCESS),
        default_action: read.value(&DEFAULT_ACTION),
        restrictions: read.restrictions(),
        tags,
    }
}

/// Whether an update writes any of the rollout inputs.
pub(crate) fn writes_any(inputs: &RolloutInputs) -> bool {
    inputs.public_access.is_some()
        || inputs.default_action.is_some()
        || inputs.restrictions != Restrictions::Absent
        || inputs.tags != Tags::Absent
}

/// Lays what an update writes over a site's inputs: each input the update writes replaces
/// the site's (azapi merges the body into the resource; a list is replaced whole).
pub(crate) fn apply(site: &mut RolloutInputs, update: &RolloutInputs) {
    if update.public_access.is_some() {
        site.public_access = update.public_access.clone();
    }
    if update.default_action.is_some() {
        site.default_action = update.default_action.clone();
    }
    if update.restrictions != Restrictions::Absent {
        site.restrictions = update.restrictions.clone();
    }
    if update.tags != Tags::Absent {
        site.tags = update.tags.clone();
    }
}

struct Read<'a> {
    block: &'a ResourceBlock,
    scope: &'a ModuleScope<'a>,
    env: &'a Env<'a>,
}

impl Read<'_> {
    /// The path in `sensitive_body` (merged over `body`), else in `body`.
    fn select(&self, path: &[&str]) -> Option<(Traced, Span)> {
        for attribute in ["sensitive_body", "body"] {
            let Some(body) = self.block.attribute(attribute) else {
                continue;
            };
            match select(body, path, self.scope, self.env) {
                Selected::Found { value, span, .. } => return Some((value, span)),
                Selected::Unknown(reason, span) => {
                    return Some((Traced::here(Val::Unknown(reason)), span));
                }
                Selected::Absent { .. } => continue,
            }
        }
        None
    }

    /// A scalar setting; `None` when not written or null (ARM's default then).
    fn value(&self, path: &[&str]) -> Option<Value> {
        let (traced, span) = self.select(path)?;
        match traced.val {
            Val::Null => None,
            _ => Some(value(&traced, span)),
        }
    }

    fn restrictions(&self) -> Restrictions {
        let Some((traced, span)) = self.select(&RESTRICTIONS) else {
            return Restrictions::Absent;
        };
        let items = match &traced.val {
            Val::Null => return Restrictions::Absent,
            Val::List(items) => items,
            Val::Unknown(_) => return Restrictions::Unknown(value(&traced, span)),
            other => {
                let reason = format!(
                    "`ipSecurityRestrictions` is a {}, not an array",
                    other.type_name()
                );
                return Restrictions::Unknown(unknown(reason, span));
            }
        };
        let mut rules = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let entry = traced.member_traced(&i.to_string(), item.clone());
            match arm_rule(&entry, span) {
                Ok(rule) => rules.push(rule),
                Err(value) => return Restrictions::Unknown(value),
            }
        }
        Restrictions::Rules(rules)
    }

    /// The body's own `tags` (an ARM resource's top-level member).
    fn body_tags(&self) -> Tags {
        match self.select(&["tags"]) {
            Some((traced, span)) => tags_of(&traced, span),
            None => Tags::Absent,
        }
    }
}

/// One ARM `ipSecurityRestrictions` entry: `action`, `ipAddress` (a service tag when `tag` is
/// `ServiceTag`), `vnetSubnetResourceId`; shown at the member that writes the list.
fn arm_rule(entry: &Traced, span: Span) -> Result<AccessRule, Value> {
    match &entry.val {
        Val::Object(_) => {}
        Val::Unknown(_) => return Err(value(entry, span)),
        other => {
            let reason = format!(
                "an `ipSecurityRestrictions` entry is a {}, not an object",
                other.type_name()
            );
            return Err(unknown(reason, span));
        }
    }
    let field = |name: &str| -> Option<Value> {
        let (key, val) = match &entry.val {
            Val::Object(map) => map.iter().find(|(k, _)| k.eq_ignore_ascii_case(name))?,
            _ => return None,
        };
        match val {
            Val::Null => None,
            _ => Some(value(&entry.member_traced(key, val.clone()), span)),
        }
    };
    let address = field("ipAddress");
    let service_tag = match field("tag").map(|tag| tag.data) {
        Some(Data::String(tag)) => tag.eq_ignore_ascii_case("ServiceTag"),
        Some(Data::Unknown(reason)) => {
            let reason = format!(
                "the `tag` of an `ipSecurityRestrictions` entry cannot be resolved: {reason}"
            );
            return Err(unknown(reason, span));
        }
        _ => false,
    };
    let (ip_address, service_tag) = match service_tag {
        true => (None, address),
        false => (address, None),
    };
    Ok(AccessRule {
        span,
        action: field("action"),
        ip_address,
        service_tag,
        subnet: field("vnetSubnetResourceId"),
    })
}

fn value(traced: &Traced, span: Span) -> Value {
    let data = match &traced.val {
        Val::List(_) => Data::Other("array"),
        other => other.to_data(),
    };
    Value {
        data,
        span,
        origin: traced.origin.clone(),
    }
}

fn unknown(reason: String, span: Span) -> Value {
    Value::literal(Data::Unknown(reason), span)
}
