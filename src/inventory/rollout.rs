//! Reads a site row's rollout inputs, raw: `publicNetworkAccess`, `siteConfig`'s access
//! restrictions when the export has them (list exports often report `siteConfig` as `null`:
//! then only public network access decides exposure), and the environment-naming `tags`.
//! Every value is literal (what Azure reports), so nothing here is evaluated.

use crate::arm::rollout::{arm_rule, entries, is_environment_key};
use crate::json::{Json, JsonKind};
use crate::model::{Restrictions, RolloutInputs, Tags};
use crate::source::Span;

use super::lower::{Reader, reported};

/// The rollout inputs of the row `object`, whose settings `reader` reads.
pub(super) fn inputs(reader: &Reader<'_>, object: &Json) -> RolloutInputs {
    let file = reader.file;
    let site_config = reader
        .optional("siteConfig")
        .filter(|member| member.value.is_object());
    let config_member = |name: &str| {
        site_config.and_then(|config| {
            config
                .value
                .member_ignore_case(name)
                .filter(|member| !matches!(member.value.kind, JsonKind::Null))
        })
    };
    RolloutInputs {
        public_access: reader
            .optional("publicNetworkAccess")
            .and_then(|member| reported(file, member, false)),
        default_action: config_member("ipSecurityRestrictionsDefaultAction")
            .and_then(|member| reported(file, member, false)),
        restrictions: match config_member("ipSecurityRestrictions") {
            None => Restrictions::Absent,
            Some(list) => restrictions(file, list),
        },
        tags: tags(file, object),
    }
}

/// `siteConfig.ipSecurityRestrictions` as reported.
fn restrictions(file: crate::source::FileId, list: &crate::json::Member) -> Restrictions {
    let Some(items) = list.value.as_array() else {
        return Restrictions::Unknown(crate::model::Value::literal(
            crate::model::Data::Unknown(format!(
                "`ipSecurityRestrictions` is {} in the export, not a list of rules",
                list.value.type_name()
            )),
            Span::new(file, list.span.clone()),
        ));
    };
    let mut rules = Vec::new();
    for (at, item) in items.iter().enumerate() {
        let field = |name: &str| {
            item.member_ignore_case(name)
                .and_then(|member| reported(file, member, false))
        };
        match arm_rule(
            Span::new(file, item.span.clone()),
            at,
            field("action"),
            field("ipAddress"),
            field("tag"),
            field("vnetSubnetResourceId"),
        ) {
            Ok(rule) => rules.push(rule),
            Err(unknown) => return Restrictions::Unknown(unknown),
        }
    }
    Restrictions::Rules(rules)
}

/// The row's environment-naming `tags` (a later key differing only in case replaces one).
fn tags(file: crate::source::FileId, object: &Json) -> Tags {
    let Some(tags) = object.get_ignore_case("tags") else {
        return Tags::Absent;
    };
    let mut found: Vec<(String, crate::model::Value)> = Vec::new();
    for member in tags.members() {
        if !is_environment_key(&member.key) {
            continue;
        }
        found.retain(|(written, _)| !written.eq_ignore_ascii_case(&member.key));
        if let Some(value) = reported(file, member, false) {
            found.push((member.key.clone(), value));
        }
    }
    entries(found)
}
