//! Turns one planned resource instance into a model [`Resource`].
//!
//! A plan holds every attribute of the provider's schema with its final value: `null` means
//! unset (the type table's default applies), a value marked in `after_unknown` (or left out of
//! `planned_values`) is unknown until apply. The help texts speak Terraform native syntax:
//! the fix goes into the configuration the plan was made from, not into the plan.

use crate::json::{Json, JsonKind, Member};
use crate::model::{Data, Origin, Resource, Syntax, Value};
use crate::source::{FileId, Span};
use crate::terraform::{ProviderVersion, lookup};
use crate::value::Val;

use super::entries::{PlanEntry, PlannedValues};

/// How the front end decided to place and name one instance.
pub struct Placement {
    /// The declaration's address (no instance keys): shared by its instances.
    pub address: String,
    /// The full instance address, when it differs from `address`.
    pub instance: Option<String>,
    /// The declaration's header in the plan: the same span for all its instances.
    pub header: Span,
    /// Where the configuration declares the resource, when it was found next to the plan.
    pub declared: Option<Origin>,
}

/// The model resource for `entry`; `None` when its type is not in scope.
pub fn lower(
    file: FileId,
    entry: &PlanEntry,
    version: ProviderVersion,
    placement: Placement,
) -> Option<Resource> {
    let info = lookup(entry.resource_type, version)?;
    let value = |name: Option<&str>| {
        let mut value = attribute(file, entry, name?, placement.header)?;
        value.origin.extend(placement.declared.clone());
        Some(value)
    };
    let rollout =
        super::rollout::inputs(file, entry, placement.header, placement.declared.as_ref());
    Some(Resource {
        address: placement.address.clone(),
        resource_type: entry.resource_type.to_string(),
        kind: info.kind,
        is_slot: info.is_slot,
        kind_tags: info.kind_tags.iter().map(|tag| tag.to_string()).collect(),
        syntax: Syntax::Hcl,
        header: placement.header,
        enabled: value(info.attributes.enabled),
        mode: value(info.attributes.mode),
        exclusion_paths: value(info.attributes.exclusion_paths),
        control: info.control,
        attributes: info.attributes,
        scenario: None,
        instance: placement.instance,
        // A plan is generated: fixes go to the configuration, which the plan does not locate.
        fix_anchor: None,
        rollout,
        identity: super::identity::identity(
            file,
            entry,
            placement.header,
            placement.declared.as_ref(),
        ),
        source: crate::model::Source::Code,
        suppression_anchor: None,
    })
}

/// The planned value of attribute `name`: `None` when it is unset (null) or not in the
/// provider's schema (older providers lack some attributes).
pub(super) fn attribute(
    file: FileId,
    entry: &PlanEntry,
    name: &str,
    header: Span,
) -> Option<Value> {
    let span = |member: &Member| Span::new(file, member.span.clone());
    match entry.values {
        PlannedValues::Change {
            after,
            after_unknown,
            ..
        } => {
            if let Some(unknown) = after_unknown {
                if is_true(unknown) {
                    return Some(unknown_value(
                        format!(
                            "`{name}` is unknown until apply (the whole resource is after_unknown in the plan)"
                        ),
                        Span::new(file, unknown.span.clone()),
                    ));
                }
                if let Some(member) = unknown.member(name).filter(|m| is_true(&m.value)) {
                    return Some(unknown_value(
                        format!("`{name}` is unknown until apply (after_unknown in the plan)"),
                        span(member),
                    ));
                }
            }
            known(after.member(name)?, span)
        }
        PlannedValues::Planned { values: None } => Some(unknown_value(
            format!(
                "`{name}` is unknown until apply (the plan's planned_values has no values for this resource)"
            ),
            header,
        )),
        PlannedValues::Planned {
            values: Some(values),
        } => match values.member(name) {
            Some(member) => known(member, span),
            // planned_values leaves out what is unknown until apply; an unset value is null.
            None => Some(unknown_value(
                format!(
                    "`{name}` is missing from the plan's planned_values, which leaves out values unknown until apply"
                ),
                header,
            )),
        },
    }
}

fn known(member: &Member, span: impl Fn(&Member) -> Span) -> Option<Value> {
    if matches!(member.value.kind, JsonKind::Null) {
        return None;
    }
    Some(Value::literal(
        Val::from_json(&member.value).to_data(),
        span(member),
    ))
}

fn unknown_value(reason: String, span: Span) -> Value {
    Value::literal(Data::Unknown(reason), span)
}

fn is_true(json: &Json) -> bool {
    matches!(json.kind, JsonKind::Bool(true))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CertControl, CertMode, SiteKind};

    use super::super::entries::collect;

    fn lower_all(text: &str, version: ProviderVersion) -> Vec<Resource> {
        let doc = crate::json::parse(text).unwrap();
        let collected = collect(&doc.root);
        collected
            .entries
            .iter()
            .filter_map(|entry| {
                let placement = Placement {
                    address: entry.address.to_string(),
                    instance: None,
                    header: Span::new(3, entry.address_span.clone()),
                    declared: None,
                };
                lower(3, entry, version, placement)
            })
            .collect()
    }

    fn change(resource_type: &str, after: &str, after_unknown: &str) -> String {
        format!(
            r#"{{"resource_changes": [{{"address": "{resource_type}.a", "mode": "managed", "type": "{resource_type}",
                "change": {{"actions": ["create"], "after": {after}, "after_unknown": {after_unknown}}}}}]}}"#
        )
    }

    fn data(value: &Option<Value>) -> Option<&Data> {
        value.as_ref().map(|value| &value.data)
    }

    #[test]
    fn values_nulls_and_unknowns_from_a_change() {
        let text = change(
            "azurerm_linux_function_app",
            r#"{"client_certificate_enabled": true, "client_certificate_mode": null}"#,
            r#"{"client_certificate_exclusion_paths": true, "id": true}"#,
        );
        let resources = lower_all(&text, ProviderVersion::Unknown);
        let app = &resources[0];
        assert_eq!(app.kind, SiteKind::FunctionApp);
        assert_eq!(app.syntax, Syntax::Hcl);
        assert_eq!(data(&app.enabled), Some(&Data::Bool(true)));
        let enabled = app.enabled.as_ref().unwrap();
        assert_eq!(
            &text[enabled.span.range()],
            r#""client_certificate_enabled": true"#
        );
        // null is unset: the function app default (Optional) applies.
        assert_eq!(app.mode, None);
        assert_eq!(
            app.control,
            CertControl::EnabledAndMode {
                default_mode: CertMode::Optional
            }
        );
        let paths = app.exclusion_paths.as_ref().unwrap();
        assert_eq!(
            paths.data,
            Data::Unknown(
                "`client_certificate_exclusion_paths` is unknown until apply (after_unknown in the plan)"
                    .into()
            )
        );
        assert_eq!(
            &text[paths.span.range()],
            r#""client_certificate_exclusion_paths": true"#
        );
    }

    #[test]
    fn a_wholly_unknown_resource_makes_every_value_unknown() {
        let text = change("azurerm_linux_web_app", "{}", "true");
        let app = &lower_all(&text, ProviderVersion::Unknown)[0];
        assert!(matches!(data(&app.enabled), Some(Data::Unknown(_))));
        assert!(matches!(data(&app.mode), Some(Data::Unknown(_))));
    }

    #[test]
    fn legacy_names_and_provider_version_come_from_the_type_table() {
        let text = change(
            "azurerm_app_service",
            r#"{"client_cert_enabled": true, "client_cert_mode": "Optional"}"#,
            "{}",
        );
        let app = &lower_all(&text, ProviderVersion::Unknown)[0];
        assert_eq!(data(&app.enabled), Some(&Data::Bool(true)));
        assert_eq!(data(&app.mode), Some(&Data::String("Optional".into())));
        assert_eq!(app.exclusion_paths, None);

        let text = change(
            "azurerm_logic_app_standard",
            r#"{"client_certificate_mode": null}"#,
            "{}",
        );
        let v5 = &lower_all(&text, ProviderVersion::Major(5))[0];
        assert_eq!(
            v5.control,
            CertControl::ModeOnly {
                default_mode: Some(CertMode::Required)
            }
        );
        let v4 = &lower_all(&text, ProviderVersion::Unknown)[0];
        assert_eq!(v4.control, CertControl::ModeOnly { default_mode: None });
    }

    #[test]
    fn planned_values_leave_out_unknowns() {
        let text = r#"{"planned_values": {"root_module": {"resources": [
            {"address": "azurerm_linux_web_app.a", "mode": "managed", "type": "azurerm_linux_web_app",
             "values": {"client_certificate_enabled": true, "client_certificate_exclusion_paths": null}},
            {"address": "azurerm_linux_web_app.b", "mode": "managed", "type": "azurerm_linux_web_app"}
        ]}}}"#;
        let resources = lower_all(text, ProviderVersion::Unknown);
        let a = &resources[0];
        assert_eq!(data(&a.enabled), Some(&Data::Bool(true)));
        assert_eq!(a.exclusion_paths, None);
        let Some(Data::Unknown(why)) = data(&a.mode) else {
            panic!("mode should be unknown: {:?}", a.mode);
        };
        assert!(
            why.contains("missing from the plan's planned_values"),
            "{why}"
        );
        assert_eq!(
            &text[a.mode.as_ref().unwrap().span.range()],
            r#""address": "azurerm_linux_web_app.a""#
        );
        let b = &resources[1];
        assert!(matches!(data(&b.enabled), Some(Data::Unknown(_))));
    }
}
