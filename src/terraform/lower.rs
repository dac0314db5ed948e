//! Turns one instance of a resource block into a model [`Resource`], evaluating the attributes
//! the control reads with the evaluator.

use super::convert::string_to_bool;
use super::eval::{Env, eval_attr};
use super::syntax::{Attribute, ResourceBlock};
use super::types::TypeInfo;
use crate::model::{AnchorMember, Data, FixAnchor, Placement, Resource, Value};

/// The resource one instance of `block` deploys. `address` is the declaration's address (with
/// its module path); `instance` the instance's, when it has keys; `module` holds the block (a
/// slot's site is looked up there).
pub fn lower(
    block: &ResourceBlock,
    info: &TypeInfo,
    env: &Env,
    module: &super::module::Module,
    address: String,
    instance: Option<String>,
) -> Resource {
    let value = |name: Option<&str>| value_of(block.attribute(name?)?, env);
    // Terraform converts "true"/"false" (and "1"/"0") to a bool for a bool attribute; any other
    // string stays a string, which the rules report.
    let enabled = value(info.attributes.enabled).map(|mut value| {
        if let Data::String(text) = &value.data
            && let Some(b) = string_to_bool(text)
        {
            value.data = Data::Bool(b);
        }
        value
    });
    Resource {
        address,
        resource_type: block.resource_type.clone(),
        kind: info.kind,
        is_slot: info.is_slot,
        kind_tags: info.kind_tags.iter().map(|tag| tag.to_string()).collect(),
        syntax: block.syntax,
        header: block.header,
        mode: value(info.attributes.mode),
        exclusion_paths: value(info.attributes.exclusion_paths),
        enabled,
        control: info.control.clone(),
        attributes: info.attributes,
        scenario: None,
        instance,
        fix_anchor: Some(fix_anchor(block)),
        rollout: super::rollout::inputs(block, env),
        identity: super::identity::azurerm(block, info, env, module),
        source: crate::model::Source::Code,
        suppression_anchor: Some(crate::model::SuppressionAnchor {
            header: block.header,
            body: block.body_span,
            metadata: None,
        }),
    }
}

/// The block body and its attributes, for `--fix`. After an override merge an attribute may
/// lie in the override file: its span says so.
fn fix_anchor(block: &ResourceBlock) -> FixAnchor {
    FixAnchor {
        body: block.body_span,
        members: block
            .attributes
            .iter()
            .map(|attribute| AnchorMember {
                name: attribute.name.clone(),
                span: attribute.span,
                value: attribute.value_span,
            })
            .collect(),
        placement: Placement::Body,
    }
}

/// An attribute's evaluated value; `None` for `null`, which Terraform treats as not set.
pub(super) fn value_of(attribute: &Attribute, env: &Env) -> Option<Value> {
    let (data, origin) = match eval_attr(&attribute.expr, env) {
        Ok(traced) if traced.val == crate::value::Val::Null => return None,
        Ok(traced) => (traced.val.to_data(), traced.origin),
        Err(error) => (
            Data::Unknown(format!("Terraform would reject this value: {error}")),
            Vec::new(),
        ),
    };
    Some(Value {
        data,
        span: attribute.span,
        origin,
    })
}
