//! Lowers each instance of an `azapi_resource` whose `type` is a site or slot into a model
//! [`Resource`] with the ARM control: `properties.clientCertEnabled` (default false),
//! `properties.clientCertMode` (default `Required`, for every kind as in ARM) and
//! `properties.clientCertExclusionPaths`, read from `body` (then `sensitive_body`, which azapi
//! merge-patches over it) with [`super::select`].

use super::select::{Anchor, Selected, candidates, select};
use super::{Deploys, RESOURCE, classify};
use crate::arm::kind::classify_str;
use crate::arm::lower::{ATTRIBUTES, site_value};
use crate::error::FileError;
use crate::model::{
    CertControl, CertMode, Data, FixAnchor, Placement, Resource, SuppressionAnchor, Value,
};
use crate::terraform::dispatch::{Lowered, Prefix};
use crate::terraform::eval::{Env, eval_attr};
use crate::terraform::instance::ModuleScope;
use crate::terraform::syntax::ResourceBlock;
use crate::value::Val;

/// Adds the site or slot each instance of `block` deploys to `out`.
pub(crate) fn lower(
    block: &ResourceBlock,
    scope: &ModuleScope,
    prefix: &Prefix,
    out: &mut Lowered,
) {
    if block.resource_type != RESOURCE {
        return super::update::lower(block, scope, prefix, out);
    }
    let path = scope.module.path_of(block.header.file);
    let mut noticed = false;
    // `count = 0` drops the block before its `type` is looked at.
    for one in prefix.instances(block, scope) {
        let (address, instance) = (one.address, one.instance);
        let env = Env::new(&one.scope);
        let Some((resource_type, deploys)) =
            resolve_type(block, scope, &env, &path, &mut noticed, out)
        else {
            continue;
        };
        let is_slot = match deploys {
            Deploys::Site => false,
            Deploys::Slot => true,
            Deploys::Deployment | Deploys::Other => continue,
        };
        let full = instance.clone().unwrap_or_else(|| address.clone());
        if let Some(Ok(traced)) = block.attribute("name").map(|n| eval_attr(&n.expr, &env))
            && let Val::String(name) = traced.val
        {
            out.names.push((full, name, is_slot));
        }
        let site = Site {
            block,
            scope,
            env: &env,
        };
        out.resources
            .push(site.resource(resource_type, is_slot, address.clone(), instance));
    }
}

/// An AzAPI block instance's `type`: the resource type as written (without `@api`) and what
/// it deploys. `None` when there is no `type` (Terraform rejects the block), or it has no
/// value: then a notice, once per block (`noticed`), unless every value a condition could
/// choose is a type that is not a site.
pub(super) fn resolve_type(
    block: &ResourceBlock,
    scope: &ModuleScope,
    env: &Env,
    path: &std::path::Path,
    noticed: &mut bool,
    out: &mut Lowered,
) -> Option<(String, Deploys)> {
    let type_attribute = block.attribute("type")?;
    let reason = match eval_attr(&type_attribute.expr, env) {
        Ok(traced) => match traced.val {
            Val::String(text) => {
                let (resource_type, deploys) = classify(&text);
                return Some((resource_type.to_string(), deploys));
            }
            Val::Unknown(reason) => {
                // Unknown only through a condition choosing between types that are not sites
                // (the AVM hostname binding: a site's or a slot's binding): not ours.
                let candidates = candidates(type_attribute, scope, env);
                let none_is_a_site = candidates.iter().all(|val| match val {
                    Val::String(text) => classify(text).1 == Deploys::Other,
                    _ => false,
                });
                if none_is_a_site {
                    return None;
                }
                reason
            }
            // Terraform rejects a type that is not a string.
            _ => return None,
        },
        Err(error) => format!("Terraform would reject it: {error}"),
    };
    if !*noticed {
        *noticed = true;
        let message = format!(
            "type of `{}` cannot be resolved ({reason}); not judged",
            block.address()
        );
        out.errors
            .push(FileError::notice(path, Some(type_attribute.span), message));
    }
    None
}

/// One instance of a site or slot block.
struct Site<'a> {
    block: &'a ResourceBlock,
    scope: &'a ModuleScope<'a>,
    env: &'a Env<'a>,
}

impl Site<'_> {
    fn resource(
        &self,
        resource_type: String,
        is_slot: bool,
        address: String,
        instance: Option<String>,
    ) -> Resource {
        let block = self.block;
        let kind = self.kind(is_slot);
        let (enabled, anchor) = self.property(ATTRIBUTES.enabled, true);
        let (mode, _) = self.property(ATTRIBUTES.mode, false);
        let (exclusion_paths, _) = self.property(ATTRIBUTES.exclusion_paths, false);
        let fix_anchor = anchor.unwrap_or_else(|why| FixAnchor {
            body: block.body_span,
            members: Vec::new(),
            placement: Placement::Unavailable(why),
        });
        Resource {
            address,
            resource_type,
            kind: kind.kind,
            is_slot,
            kind_tags: kind.tags,
            syntax: block.syntax,
            header: block.header,
            control: CertControl::EnabledAndMode {
                default_mode: CertMode::Required,
            },
            attributes: ATTRIBUTES,
            enabled,
            mode,
            exclusion_paths,
            scenario: None,
            instance,
            fix_anchor: Some(fix_anchor),
            rollout: super::rollout::inputs(block, self.scope, self.env),
            identity: crate::terraform::identity::azapi(
                block,
                is_slot,
                self.env,
                self.scope.module,
            ),
            source: crate::model::Source::Code,
            suppression_anchor: Some(SuppressionAnchor {
                header: block.header,
                body: block.body_span,
                metadata: None,
            }),
        }
    }

    /// The body's `kind`; a slot without one takes its parent site's (as ARM labels nested
    /// slots), when `parent_id` names a site block of this module.
    fn kind(&self, is_slot: bool) -> crate::arm::kind::Classified {
        let written = |block: &ResourceBlock| {
            let body = block.attribute("body")?;
            match select(body, &["kind"], self.scope, self.env) {
                Selected::Found { value, .. } => match value.val {
                    Val::String(text) => Some(text),
                    _ => None,
                },
                _ => None,
            }
        };
        let text = written(self.block).or_else(|| {
            let parent_id = self.block.attribute("parent_id").filter(|_| is_slot)?;
            let parent = crate::terraform::targets::chase(parent_id, self.scope.module)?;
            (parent.resource_type == RESOURCE)
                .then(|| written(parent))
                .flatten()
        });
        classify_str(text.as_deref().unwrap_or(""))
    }

    /// One certificate property (`name` under `properties`) and where a fix would add it.
    /// `sensitive_body` wins over `body`, as azapi merge-patches it over the body.
    fn property(&self, name: Option<&'static str>, flag: bool) -> (Option<Value>, Anchor) {
        let Some(name) = name else {
            return (None, Err("no such property".into()));
        };
        let path = ["properties", name];
        let mut anchor: Anchor = Err("the resource has no `body`".into());
        for attribute in ["sensitive_body", "body"] {
            let Some(body) = self.block.attribute(attribute) else {
                continue;
            };
            match select(body, &path, self.scope, self.env) {
                Selected::Found {
                    value,
                    span,
                    anchor,
                } => {
                    let value = match value.val {
                        // A null property is left out of the request (with
                        // `ignore_null_property`) or sent as null: either way ARM's default.
                        Val::Null => None,
                        _ => Some(site_value(value, flag, span)),
                    };
                    return (value, anchor);
                }
                Selected::Unknown(reason, span) => {
                    let value = Value::literal(Data::Unknown(reason), span);
                    return (Some(value), Err("the body cannot be resolved".into()));
                }
                Selected::Absent { anchor: found } => {
                    // The fix goes into `body`, not the sensitive one.
                    if attribute == "body" {
                        anchor = found;
                    }
                }
            }
        }
        (None, anchor)
    }
}
