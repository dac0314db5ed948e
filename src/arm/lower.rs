//! Lowers one walked site or slot into the model's [`Resource`], evaluating its values.
//!
//! - address and instance: computed by the walk (resolved names, deployments, copy indices);
//! - header: the `"type": …` member (the whole resource object when it has none);
//! - control: enabled flag + mode defaulting to `Required` for every kind (the ARM API
//!   defaults: `clientCertEnabled` false, `clientCertMode` `Required`);
//! - values come from `properties` only (never `siteConfig`), and each value's span is the whole
//!   `"name": value` member, or the `properties` member when `properties` is itself an
//!   expression. Expressions are evaluated in the site's environment and carry their origin.
//!   A literal `null` counts as absent. The enabled flag also accepts the strings
//!   `"true"`/`"false"` in any case, because Azure deserialises them into booleans;
//! - `kind` is evaluated too, so `"[parameters('kind')]"` classifies like its value.
//! - the rollout inputs (`publicNetworkAccess`, `siteConfig` access restrictions, `tags`) are
//!   read by `rollout`, with the same accessors;
//! - the identity (name, parent site, resource group, subscription, id) by `identity`.

use crate::json::{Json, JsonKind, Member};
use crate::model::{
    AnchorMember, CertAttributes, CertControl, CertMode, Data, FixAnchor, Placement, Resource,
    Syntax, Value,
};
use crate::source::{FileId, Span};
use crate::value::{Traced, Val};

use super::eval::Env;
use super::expr;
use super::kind;
use super::select::{self, Selected};

/// The ARM attribute names, as Azure documents them.
pub const ATTRIBUTES: CertAttributes = CertAttributes {
    enabled: Some("clientCertEnabled"),
    mode: Some("clientCertMode"),
    exclusion_paths: Some("clientCertExclusionPaths"),
};

/// One site or slot instance as the walk found it.
#[derive(Debug, Clone)]
pub struct SiteDecl<'a> {
    /// The resource object.
    pub object: &'a Json,
    /// The file it is written in.
    pub file: FileId,
    /// The full type: as written, or the parent's full type + `/` + a child's short type.
    pub resource_type: String,
    pub is_slot: bool,
    /// The site object this was nested under, if any (a slot without a `kind` inherits its).
    pub parent_site: Option<&'a Json>,
    pub address: String,
    pub instance: Option<String>,
    pub scenario: Option<String>,
    /// Where it is deployed, as the nested deployments around it say.
    pub target: super::identity::Target,
}

/// Builds the model resource for `site`, evaluating in `env`.
pub fn lower(site: &SiteDecl<'_>, env: Env<'_>) -> Resource {
    let object = site.object;
    let header = Span::new(
        site.file,
        object
            .member_ignore_case("type")
            .map_or(object.span.clone(), |m| m.span.clone()),
    );
    // A nested slot that omits `kind` is labelled like the site it belongs to.
    let kind_value = object.get_ignore_case("kind").or_else(|| {
        site.parent_site
            .filter(|_| site.is_slot)
            .and_then(|parent| parent.get_ignore_case("kind"))
    });
    let kind = match kind_value.map(|k| env.json(k).val) {
        Some(Val::String(text)) => kind::classify_str(&text),
        _ => kind::classify_str(""),
    };
    let properties = object.member_ignore_case("properties");
    let value = |name: Option<&str>, flag: bool| {
        name.and_then(|name| attribute(site.file, env, properties, name, flag))
    };
    Resource {
        address: site.address.clone(),
        resource_type: site.resource_type.clone(),
        kind: kind.kind,
        is_slot: site.is_slot,
        kind_tags: kind.tags,
        syntax: Syntax::ArmJson,
        header,
        control: CertControl::EnabledAndMode {
            default_mode: CertMode::Required,
        },
        attributes: ATTRIBUTES,
        enabled: value(ATTRIBUTES.enabled, true),
        mode: value(ATTRIBUTES.mode, false),
        exclusion_paths: value(ATTRIBUTES.exclusion_paths, false),
        scenario: site.scenario.clone(),
        instance: site.instance.clone(),
        fix_anchor: Some(fix_anchor(site.file, object, properties)),
        rollout: super::rollout::inputs(site.file, env, object, properties),
        identity: super::identity::identity(
            site.file,
            env,
            object,
            site.parent_site,
            site.is_slot,
            &site.target,
            header,
        ),
        source: crate::model::Source::Code,
        suppression_anchor: Some(crate::model::SuppressionAnchor {
            header: Span::new(site.file, object.span.start..object.span.start + 1),
            body: Span::new(site.file, object.span.clone()),
            // Only where it is: `suppress/` reads the suppressions in it.
            metadata: object
                .member_ignore_case("metadata")
                .map(|member| Span::new(site.file, member.value.span.clone())),
        }),
    }
}

/// Where `--fix` edits: the `properties` object, or the resource object when `properties` is
/// missing (the fix then creates it).
fn fix_anchor(file: FileId, object: &Json, properties: Option<&Member>) -> FixAnchor {
    let anchor = |body: &Json, placement| FixAnchor {
        body: Span::new(file, body.span.clone()),
        members: body
            .members()
            .iter()
            .map(|member| AnchorMember {
                name: member.key.clone(),
                span: Span::new(file, member.span.clone()),
                value: Span::new(file, member.value.span.clone()),
            })
            .collect(),
        placement,
    };
    match properties.map(|p| &p.value) {
        None => anchor(object, Placement::NewObject("properties")),
        Some(body) if body.is_object() => anchor(body, Placement::Body),
        Some(_) => FixAnchor {
            members: Vec::new(),
            ..anchor(
                object,
                Placement::Unavailable(
                    "`properties` is not written as an object here (it is an expression), so \
                     certgate cannot add a setting to it"
                        .into(),
                ),
            )
        },
    }
}

/// One certificate attribute under `properties`; `flag` marks the boolean enabled attribute.
/// The rollout inputs read `publicNetworkAccess` with it too.
pub(super) fn attribute(
    file: FileId,
    env: Env<'_>,
    properties: Option<&Member>,
    name: &str,
    flag: bool,
) -> Option<Value> {
    let properties = properties?;
    match &properties.value.kind {
        JsonKind::Object(_) => {
            let member = properties.value.member_ignore_case(name)?;
            if matches!(member.value.kind, JsonKind::Null) {
                return None;
            }
            let traced = env.json(&member.value);
            Some(site_value(
                traced,
                flag,
                Span::new(file, member.span.clone()),
            ))
        }
        // The whole `properties` object is computed: read the attribute out of it, following
        // `union` and `createObject` so an unknown sibling member does not matter.
        JsonKind::String(text) if expr::is_expression(text) => {
            let span = Span::new(file, properties.span.clone());
            let parsed = match expr::parse(text) {
                Ok(parsed) => parsed,
                // The evaluator words the parse error.
                Err(_) => return unknown_properties(text, env.string(text).val, span),
            };
            match select::property(env, &parsed, name) {
                Selected::Found(traced) => Some(site_value(traced, flag, span)),
                Selected::Absent => None,
                Selected::Unknown(why) => unknown_properties(text, Val::Unknown(why), span),
            }
        }
        _ => None,
    }
}

/// The attribute of a computed `properties` that cannot be read, with why.
fn unknown_properties(text: &str, val: Val, span: Span) -> Option<Value> {
    let Val::Unknown(why) = val else {
        return None;
    };
    Some(Value::literal(
        Data::Unknown(format!(
            "`properties` is `{}`, and {why}",
            super::eval::clipped(text)
        )),
        span,
    ))
}

/// An evaluated value as model data, with its origin. `flag` marks the enabled flag, which
/// Azure deserialises from the strings "true"/"false" too (shared with Bicep).
pub(crate) fn site_value(traced: Traced, flag: bool, span: Span) -> Value {
    let data = match &traced.val {
        Val::String(text) if flag && text.eq_ignore_ascii_case("true") => Data::Bool(true),
        Val::String(text) if flag && text.eq_ignore_ascii_case("false") => Data::Bool(false),
        Val::List(_) => Data::Other("array"),
        other => other.to_data(),
    };
    Value {
        data,
        span,
        origin: traced.origin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SiteKind;

    fn lower_all(text: &str) -> Vec<Resource> {
        super::super::walk_text(text).0
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
    fn expressions_are_evaluated_and_double_brackets_are_literals() {
        let text = r#"{"parameters": {"certs": {"type": "bool", "defaultValue": true}},
            "resources": [{"type": "Microsoft.Web/sites", "name": "web", "properties": {
              "clientCertEnabled": "[parameters('certs')]", "clientCertMode": "[[Required]",
              "clientCertExclusionPaths": "[parameters('paths')]" }}]}"#;
        let r = one(text);
        let enabled = r.enabled.as_ref().unwrap();
        assert_eq!(enabled.data, Data::Bool(true));
        assert_eq!(
            slice(text, &r.enabled),
            r#""clientCertEnabled": "[parameters('certs')]""#
        );
        assert_eq!(enabled.origin.len(), 1);
        assert_eq!(enabled.origin[0].note, "default of parameter `certs`");
        assert_eq!(
            &text[enabled.origin[0].span.range()],
            r#""defaultValue": true"#
        );
        assert_eq!(r.mode.unwrap().data, Data::String("[Required]".into()));
        assert_eq!(
            r.exclusion_paths.unwrap().data,
            Data::Unknown("parameter `paths` is not declared in the template".into())
        );
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
    fn computed_properties_object_is_read_member_by_member() {
        let text = r#"{"variables": {"siteProperties": {"ClientCertEnabled": "TRUE",
              "clientCertMode": "[reference('x').mode]"}},
            "resources": [{"type": "Microsoft.Web/sites", "name": "web",
              "properties": "[variables('siteProperties')]"}]}"#;
        let r = one(text);
        let enabled = r.enabled.as_ref().unwrap();
        assert_eq!(enabled.data, Data::Bool(true));
        assert_eq!(
            slice(text, &r.enabled),
            r#""properties": "[variables('siteProperties')]""#
        );
        assert_eq!(
            enabled.origin[0].note,
            "`ClientCertEnabled` in variable `siteProperties`"
        );
        assert_eq!(
            r.mode.unwrap().data,
            Data::Unknown("function `reference()` is only known at deployment time".into())
        );
        assert_eq!(r.exclusion_paths, None);

        let text = site_with(r#""[variables('siteProperties')]""#);
        let r = one(&text);
        for value in [&r.enabled, &r.mode, &r.exclusion_paths] {
            assert_eq!(
                value.as_ref().unwrap().data,
                Data::Unknown(
                    "`properties` is `[variables('siteProperties')]`, and variable \
                     `siteProperties` is not declared in the template"
                        .into()
                )
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
