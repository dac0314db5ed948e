//! Where a resource block whose type the azurerm table ([`super::types`]) does not know goes:
//! AzAPI resources to [`super::azapi`] (and, when they deploy an inline ARM template, to
//! [`super::azapi_deployment`]), ARM template deployments to [`super::embedded`]; everything
//! else is not a site and is skipped. One arm per family.

use std::path::PathBuf;

use super::embedded;
use super::instance::{self, InstanceScope, ModuleScope};
use super::syntax::ResourceBlock;
use crate::error::FileError;
use crate::model::Resource;

/// What lowering the other blocks of a root produced.
#[derive(Default)]
pub(crate) struct Lowered {
    pub resources: Vec<Resource>,
    pub errors: Vec<FileError>,
    /// `azapi_update_resource`s, applied once the whole root is walked ([`finish`]).
    pub updates: Vec<super::azapi::update::Update>,
    /// Each AzAPI site or slot instance's full address, evaluated `name` and whether it is a
    /// slot: updates may name their target.
    pub names: Vec<(String, String, bool)>,
    /// Files judged through their Terraform caller (templates read by `file()`), which other
    /// front ends must not also judge as roots.
    pub consumed: Vec<PathBuf>,
    /// Azure Policy assignments of the control ([`super::policy`]).
    pub policies: Vec<crate::model::guardrail::PolicyAssignment>,
}

/// Where a module instance sits: the declaration prefix (`module.web.`) and the instance
/// prefix (`module.web[0].`) of its resources' addresses.
pub(crate) struct Prefix<'a> {
    pub declaration: &'a str,
    pub instance: &'a str,
}

/// One instance of a block after `count` / `for_each`.
pub(crate) struct BlockInstance<'s> {
    /// The declaration's address (`module.web.TYPE.NAME`).
    pub address: String,
    /// The instance's own address (`module.web[0].TYPE.NAME["a"]`) when it differs.
    pub instance: Option<String>,
    /// What the instance's expressions see (`count.index`, `each`).
    pub scope: InstanceScope<'s>,
}

impl Prefix<'_> {
    /// The instances of `block` in `scope`, with the addresses their resources get here.
    pub(crate) fn instances<'s>(
        &self,
        block: &ResourceBlock,
        scope: &'s ModuleScope<'_>,
    ) -> Vec<BlockInstance<'s>> {
        let address = format!("{}{}", self.declaration, block.address());
        let expansion = instance::expand(block.count(), block.for_each(), scope);
        super::project::instances(expansion)
            .into_iter()
            .map(|(keys, suffix)| {
                let full = format!("{}{}{suffix}", self.instance, block.address());
                BlockInstance {
                    instance: (full != address).then_some(full),
                    address: address.clone(),
                    scope: scope.instance(keys),
                }
            })
            .collect()
    }
}

/// Whether the readers keep a block's attributes: in-scope azurerm types, AzAPI resources and
/// ARM template deployments (their `type` / template decides whether they deploy a site).
/// Other blocks keep none: moving large bodies along would be wasted work.
pub(crate) fn keeps_attributes(resource_type: &str) -> bool {
    super::types::lookup(resource_type, super::types::ProviderVersion::Unknown).is_some()
        || super::azapi::is_azapi_block(resource_type)
        || resource_type.ends_with("_template_deployment")
        || super::policy::keeps_attributes(resource_type)
}

/// Whether the readers keep a block's nested `site_config` blocks: the azurerm site types,
/// whose access restrictions the rollout reads.
pub(crate) fn keeps_nested_blocks(resource_type: &str) -> bool {
    super::types::lookup(resource_type, super::types::ProviderVersion::Unknown).is_some()
}

/// Lowers `block` (a type [`super::types::lookup`] does not know) in `scope`, adding any site
/// or slot it deploys to `out`; `cx` reads the files a template deployment names.
pub(crate) fn lower_other(
    block: &ResourceBlock,
    scope: &ModuleScope,
    prefix: &Prefix,
    cx: &embedded::Context,
    out: &mut Lowered,
) {
    super::policy::lower(block, scope, prefix, out);
    if embedded::is_deployment(&block.resource_type) {
        embedded::lower(block, scope, prefix, cx, out);
    } else if super::azapi::is_azapi_block(&block.resource_type) {
        super::azapi::lower::lower(block, scope, prefix, out);
        if block.resource_type == super::azapi::RESOURCE {
            super::azapi_deployment::lower(block, scope, prefix, cx, out);
        }
    }
}

/// Once a root is walked: applies what changes resources after they are created (AzAPI
/// updates) to `resources`.
pub(crate) fn finish(resources: &mut [Resource], lowered: Lowered, errors: &mut Vec<FileError>) {
    super::azapi::update::apply(resources, &lowered.updates, &lowered.names, errors);
}
