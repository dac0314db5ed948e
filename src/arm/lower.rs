//! Lowers one walked site or slot into the model's [`Resource`], reading values as literals.
//!
//! This is the seam the parameter resolver (a later issue) replaces or extends: today every ARM
//! expression (`"[parameters('x')]"`) becomes [`Data::Unknown`], saying so. The rest is fixed:
//! - address: the resource's symbolic name (`languageVersion` 2.0) or its `name` as written; a
//!   nested child is `PARENT/CHILD`; inside inline deployments each deployment's name is
//!   prefixed with ` > `, e.g. `outer > nested-web > [parameters('siteName')]`;
//! - header: the `"type": …` member (the whole resource object when it has none);
//! - control: enabled flag + mode defaulting to `Required` for every kind (the ARM API
//!   defaults: `clientCertEnabled` false, `clientCertMode` `Required`);
//! - values come from `properties` only (never `siteConfig`), and each value's span is the whole
//!   `"name": value` member. `null` counts as absent. The enabled flag also accepts the strings
//!   `"true"`/`"false"` in any case, because Azure deserialises them into booleans.

use crate::json::{Json, JsonKind, Member};
use crate::model::{CertAttributes, CertControl, CertMode, Data, Resource, Syntax, Value};
use crate::source::{FileId, Span};

use super::expr::{is_expression, literal_text};
use super::kind;
use super::walk::Site;

/// The ARM attribute names, as Azure documents them.
pub const ATTRIBUTES: CertAttributes = CertAttributes {
    enabled: Some("clientCertEnabled"),
    mode: Some("clientCertMode"),
    exclusion_paths: Some("clientCertExclusionPaths"),
};

/// Builds the model resource for `site`, declared in file `id`.
pub fn lower(id: FileId, site: &Site<'_>) -> Resource {
    let object = site.object;
    let header = object
        .member_ignore_case("type")
        .map_or(object.span.clone(), |m| m.span.clone());
    // A nested slot that omits `kind` is labelled like the site it belongs to.
    let kind_value = object.get_ignore_case("kind").or_else(|| {
        site.parent_site
            .filter(|_| site.is_slot)
            .and_then(|parent| parent.get_ignore_case("kind"))
    });
    let kind = kind::classify(kind_value);
    let properties = object.member_ignore_case("properties");
    let value = |name: Option<&str>, flag: bool| {
        name.and_then(|name| attribute(id, properties, name, flag))
    };
    Resource {
        address: address(site),
        resource_type: site.resource_type.clone(),
        kind: kind.kind,
        is_slot: site.is_slot,
        kind_tags: kind.tags,
        syntax: Syntax::ArmJson,
        header: Span::new(id, header),
        control: CertControl::EnabledAndMode {
            default_mode: CertMode::Required,
        },
        attributes: ATTRIBUTES,
        enabled: value(ATTRIBUTES.enabled, true),
        mode: value(ATTRIBUTES.mode, false),
        exclusion_paths: value(ATTRIBUTES.exclusion_paths, false),
        scenario: None,
        instance: None,
    }
}

/// The address of a walked site: deployments, then the `/`-joined resource names.
fn address(site: &Site<'_>) -> String {
    let mut parts = site.deployments.clone();
    parts.push(site.names.join("/"));
    parts.join(" > ")
}

/// One certificate attribute under `properties`; `flag` marks the boolean enabled attribute.
fn attribute(id: FileId, properties: Option<&Member>, name: &str, flag: bool) -> Option<Value> {
    let properties = properties?;
    match &properties.value.kind {
        JsonKind::Object(_) => {
            let member = properties.value.member_ignore_case(name)?;
            let data = data(&member.value, flag)?;
            Some(Value::literal(data, Span::new(id, member.span.clone())))
        }
        // The whole `properties` object is computed, so any attribute may be set inside it.
        JsonKind::String(text) if is_expression(text) => Some(Value::literal(
            Data::Unknown(format!(
                "`properties` is the ARM expression `{text}`, so `{name}` cannot be read; \
                 parameters, variables and functions are not resolved yet"
            )),
            Span::new(id, properties.span.clone()),
        )),
        _ => None,
    }
}

/// A JSON value as model data; `None` for `null`, which ARM treats as not set.
fn data(value: &Json, flag: bool) -> Option<Data> {
    Some(match &value.kind {
        JsonKind::Null => return None,
        JsonKind::Bool(b) => Data::Bool(*b),
        JsonKind::String(text) => match literal_text(text) {
            None => Data::Unknown(format!(
                "`{text}` is an ARM expression; parameters, variables and functions are not \
                 resolved yet"
            )),
            Some(literal) if flag && literal.eq_ignore_ascii_case("true") => Data::Bool(true),
            Some(literal) if flag && literal.eq_ignore_ascii_case("false") => Data::Bool(false),
            Some(literal) => Data::String(literal.to_string()),
        },
        JsonKind::Number(_) | JsonKind::Array(_) | JsonKind::Object(_) => {
            Data::Other(value.type_name())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;
    use crate::model::SiteKind;

    use super::super::walk::walk;

    fn lower_all(text: &str) -> Vec<Resource> {
        let doc = json::parse(text).unwrap();
        walk(&doc.root).iter().map(|s| lower(3, s)).collect()
    }

    fn one(text: &str) -> Resource {
        let mut all = lower_all(text);
        assert_eq!(all.len(), 1);
        all.remove(0)
    }

    fn site_with(properties: &str) -> String {
        format!(
            r#"{{"resources": [{{"type": "Microsoft.Web/sites", "name": "web", "properties": {properties}}}]}}"#
        )
    }

    fn slice(text: &str, value: &Option<Value>) -> String {
        let span = value.as_ref().expect("value present").span;
        assert_eq!(span.file, 3);
        text[span.range()].to_string()
    }

    #[test]
    fn literal_values_with_member_spans() {
        let text = site_with(
            r#"{ "siteConfig": {"clientCertEnabled": false}, "ClientCertEnabled": true,
                 "clientcertmode": "Optional", "clientCertExclusionPaths": "/health;/ping" }"#,
        );
        let r = one(&text);
        assert_eq!(r.enabled.as_ref().unwrap().data, Data::Bool(true));
        assert_eq!(slice(&text, &r.enabled), r#""ClientCertEnabled": true"#);
        assert_eq!(
            r.mode.as_ref().unwrap().data,
            Data::String("Optional".into())
        );
        assert_eq!(slice(&text, &r.mode), r#""clientcertmode": "Optional""#);
        assert_eq!(
            r.exclusion_paths.as_ref().unwrap().data,
            Data::String("/health;/ping".into())
        );
        assert!(r.enabled.as_ref().unwrap().origin.is_empty());
    }

    #[test]
    fn site_config_is_not_read() {
        let text = site_with(r#"{ "siteConfig": {"clientCertEnabled": true} }"#);
        let r = one(&text);
        assert_eq!(r.enabled, None);
        assert_eq!(r.mode, None);
    }

    #[test]
    fn enabled_accepts_boolean_strings_but_mode_stays_a_string() {
        let text = site_with(r#"{ "clientCertEnabled": "TRUE", "clientCertMode": "true" }"#);
        let r = one(&text);
        assert_eq!(r.enabled.unwrap().data, Data::Bool(true));
        assert_eq!(r.mode.unwrap().data, Data::String("true".into()));
        let r = one(&site_with(r#"{ "clientCertEnabled": "False" }"#));
        assert_eq!(r.enabled.unwrap().data, Data::Bool(false));
        let r = one(&site_with(r#"{ "clientCertEnabled": "yes" }"#));
        assert_eq!(r.enabled.unwrap().data, Data::String("yes".into()));
    }

    #[test]
    fn expressions_are_unknown_and_double_brackets_are_literals() {
        let text = site_with(
            r#"{ "clientCertEnabled": "[parameters('certs')]", "clientCertMode": "[[Required]" }"#,
        );
        let r = one(&text);
        assert_eq!(
            r.enabled.as_ref().unwrap().data,
            Data::Unknown(
                "`[parameters('certs')]` is an ARM expression; parameters, variables and \
                 functions are not resolved yet"
                    .into()
            )
        );
        assert_eq!(
            slice(&text, &r.enabled),
            r#""clientCertEnabled": "[parameters('certs')]""#
        );
        assert_eq!(r.mode.unwrap().data, Data::String("[Required]".into()));
    }

    #[test]
    fn null_is_absent_and_other_types_are_named() {
        let r = one(&site_with(
            r#"{ "clientCertEnabled": null, "clientCertMode": 1, "clientCertExclusionPaths": ["/a"] }"#,
        ));
        assert_eq!(r.enabled, None);
        assert_eq!(r.mode.unwrap().data, Data::Other("number"));
        assert_eq!(r.exclusion_paths.unwrap().data, Data::Other("array"));
    }

    #[test]
    fn computed_properties_object_makes_every_value_unknown() {
        let text = site_with(r#""[variables('siteProperties')]""#);
        let r = one(&text);
        for value in [&r.enabled, &r.mode, &r.exclusion_paths] {
            assert!(matches!(value.as_ref().unwrap().data, Data::Unknown(_)));
            assert_eq!(
                slice(&text, value),
                r#""properties": "[variables('siteProperties')]""#
            );
        }
    }

    #[test]
    fn resource_shape_header_and_control() {
        let text = r#"{"resources": [{"name": "fn", "kind": "functionapp,linux",
            "type": "Microsoft.Web/sites", "properties": {}}]}"#;
        let r = one(text);
        assert_eq!(r.address, "fn");
        assert_eq!(r.resource_type, "Microsoft.Web/sites");
        assert_eq!(r.kind, SiteKind::FunctionApp);
        assert_eq!(r.kind_tags, vec!["linux"]);
        assert!(!r.is_slot);
        assert_eq!(r.syntax, Syntax::ArmJson);
        assert_eq!(&text[r.header.range()], r#""type": "Microsoft.Web/sites""#);
        assert_eq!(
            r.control,
            CertControl::EnabledAndMode {
                default_mode: CertMode::Required
            }
        );
        assert_eq!(r.attributes, ATTRIBUTES);
        assert_eq!((r.enabled, r.mode, r.exclusion_paths), (None, None, None));
    }

    #[test]
    fn child_slot_address_type_and_inherited_kind() {
        let text = r#"{"resources": [{"type": "Microsoft.Web/sites", "name": "[parameters('site')]",
            "kind": "workflowapp,functionapp",
            "resources": [
              {"type": "slots", "name": "staging"},
              {"type": "Microsoft.Web/sites/slots", "name": "blue", "kind": "app"}
            ]}]}"#;
        let all = lower_all(text);
        assert_eq!(all.len(), 3);
        assert_eq!(all[1].address, "[parameters('site')]/staging");
        assert_eq!(all[1].resource_type, "Microsoft.Web/sites/slots");
        assert!(all[1].is_slot);
        assert_eq!(all[1].kind, SiteKind::LogicApp);
        assert_eq!(all[1].kind_label(), "logic app slot");
        assert_eq!(all[2].address, "[parameters('site')]/blue");
        assert_eq!(all[2].kind, SiteKind::WebApp);
        assert_eq!(all[2].kind_tags, vec!["app"]);
    }

    #[test]
    fn nested_deployment_addresses_carry_every_deployment_name() {
        let text = r#"{"resources": [{"type": "Microsoft.Resources/deployments", "name": "outer",
          "properties": {"template": {"resources": [
            {"type": "Microsoft.Resources/deployments", "name": "nested-web",
             "properties": {"template": {"resources": [
               {"type": "Microsoft.Web/sites", "name": "[parameters('siteName')]",
                "resources": [{"type": "slots", "name": "staging"}]}
             ]}}}
          ]}}}]}"#;
        let addresses: Vec<_> = lower_all(text).into_iter().map(|r| r.address).collect();
        assert_eq!(
            addresses,
            vec![
                "outer > nested-web > [parameters('siteName')]",
                "outer > nested-web > [parameters('siteName')]/staging",
            ]
        );
    }

    #[test]
    fn header_is_the_type_member_wherever_and_however_it_is_written() {
        let text = r#"{"resources": [{"name": "w", "TYPE": "Microsoft.Web/sites"}]}"#;
        let r = one(text);
        assert_eq!(&text[r.header.range()], r#""TYPE": "Microsoft.Web/sites""#);
    }
}
