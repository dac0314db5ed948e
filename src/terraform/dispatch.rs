//! Where a resource block whose type the azurerm table ([`super::types`]) does not know goes:
//! ARM template deployments to [`super::embedded`], AzAPI deployments of an inline template to
//! [`super::azapi_deployment`]; everything else is not a site and is
//! skipped. One arm per family, so another lowering (AzAPI) is one more arm.

use std::path::PathBuf;

use super::embedded;
use super::instance::ModuleScope;
use super::syntax::ResourceBlock;
use crate::error::FileError;
use crate::model::Resource;

/// What lowering the other blocks of a root produced.
#[derive(Default)]
pub(crate) struct Lowered {
    pub resources: Vec<Resource>,
    pub errors: Vec<FileError>,
    /// Files judged through their Terraform caller (templates read by `file()`), which other
    /// front ends must not also judge as roots.
    pub consumed: Vec<PathBuf>,
}

/// Where a module instance sits: the declaration prefix (`module.web.`) and the instance
/// prefix (`module.web[0].`) of its resources' addresses.
pub(crate) struct Prefix<'a> {
    pub declaration: &'a str,
    pub instance: &'a str,
}

/// Whether the readers keep a block's attributes: in-scope azurerm types and ARM template
/// deployments (their template decides whether they deploy a site). Other blocks keep none:
/// moving large bodies along would be wasted work.
pub(crate) fn keeps_attributes(resource_type: &str) -> bool {
    super::types::lookup(resource_type, super::types::ProviderVersion::Unknown).is_some()
        || resource_type.ends_with("_template_deployment")
        || resource_type == "azapi_resource"
}

/// Lowers `block` (a type [`super::types::lookup`] does not know) in `scope`, adding any site
/// or slot it deploys to `out`; `cx` reads the files a block names.
pub(crate) fn lower_other(
    block: &ResourceBlock,
    scope: &ModuleScope,
    prefix: &Prefix,
    cx: &embedded::Context,
    out: &mut Lowered,
) {
    if embedded::is_deployment(&block.resource_type) {
        embedded::lower(block, scope, prefix, cx, out);
    } else if block.resource_type == "azapi_resource" {
        super::azapi_deployment::lower(block, scope, prefix, cx, out);
    }
}
