//! Resource blocks whose type the azurerm table does not know but that can still deploy a
//! site reach their own lowering here: ARM template deployments (`embedded`).

use std::path::PathBuf;

use crate::error::FileError;
use crate::model::Resource;

use super::embedded;
use super::eval::Env;
use super::syntax::ResourceBlock;

/// What the other lowerings found in one root.
#[derive(Default)]
pub(super) struct Lowered {
    pub resources: Vec<Resource>,
    pub errors: Vec<FileError>,
    /// Files judged through their Terraform caller (templates read by `file()`), which other
    /// front ends must not also judge as roots.
    pub consumed: Vec<PathBuf>,
}

/// Whether a block of `resource_type` is lowered by [`lower_other`].
pub(super) fn handles(resource_type: &str) -> bool {
    embedded::is_deployment(resource_type)
}

/// Lowers one instance of a block [`handles`] accepts.
pub(super) fn lower_other(
    block: &ResourceBlock,
    env: &Env,
    cx: &embedded::Context,
    address: String,
    instance: Option<String>,
    out: &mut Lowered,
) {
    if embedded::is_deployment(&block.resource_type) {
        embedded::lower(block, env, cx, address, instance, out);
    }
}
