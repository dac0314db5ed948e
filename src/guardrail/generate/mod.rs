//! `certgate guardrail`: a ready-to-commit assignment of the control's built-in definitions
//! for every site kind at one management group or subscription, in Terraform, Bicep or ARM,
//! and with `--effect deny` a custom definition that denies non-compliant sites and slots plus
//! its assignment. Its output, scanned by certgate, is a present guardrail (tests/guardrail.rs).

mod arm;
mod bicep;
mod node;
mod terraform;

use node::{Node, object, s};

use super::definitions::{BUILT_INS, BuiltIn};

/// The target of the assignments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A management group's name (from `/providers/Microsoft.Management/managementGroups/X`).
    ManagementGroup(String),
    /// A subscription's GUID (from `/subscriptions/GUID`).
    Subscription(String),
}

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Terraform,
    Bicep,
    Arm,
}

/// What the assignments do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// The built-ins, which audit (AuditIfNotExists).
    Audit,
    /// The built-ins, plus a custom definition that denies and its assignment.
    Deny,
}

/// The name of the custom deny definition.
pub const DENY_DEFINITION: &str = "certgate-require-client-certificates";

impl Target {
    /// Reads `--scope`: a management group id or a subscription id; the error says what is
    /// expected.
    pub fn parse(scope: &str) -> Result<Target, String> {
        let expected = "expected a management group id \
             (/providers/Microsoft.Management/managementGroups/NAME) or a subscription id \
             (/subscriptions/GUID)";
        let trimmed = scope.trim().trim_end_matches('/');
        let lower = trimmed.to_ascii_lowercase();
        if let Some(name) = lower
            .strip_prefix("/providers/microsoft.management/managementgroups/")
            .map(|rest| &trimmed[trimmed.len() - rest.len()..])
        {
            let valid = !name.is_empty()
                && name.len() <= 90
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.()".contains(c));
            return valid
                .then(|| Target::ManagementGroup(name.to_string()))
                .ok_or_else(|| {
                    format!("`{scope}` is not a valid management group id: {expected}")
                });
        }
        if let Some(guid) = lower
            .strip_prefix("/subscriptions/")
            .map(|rest| &trimmed[trimmed.len() - rest.len()..])
        {
            return is_guid(guid)
                .then(|| Target::Subscription(guid.to_string()))
                .ok_or_else(|| format!("`{scope}` is not a valid subscription id: {expected}"));
        }
        Err(format!(
            "`{scope}` is not a scope certgate can assign at: {expected}"
        ))
    }

    /// The scope id, as Azure writes it.
    pub fn id(&self) -> String {
        match self {
            Target::ManagementGroup(name) => {
                format!("/providers/Microsoft.Management/managementGroups/{name}")
            }
            Target::Subscription(guid) => format!("/subscriptions/{guid}"),
        }
    }
}

/// `8-4-4-4-12` hexadecimal digits.
fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// The current (not deprecated) built-ins, one per site kind.
pub(super) fn current() -> impl Iterator<Item = &'static BuiltIn> {
    BUILT_INS.iter().filter(|b| b.default_effect != "Disabled")
}

/// The assignment name of a built-in (management group assignment names are at most 24
/// characters).
pub(super) fn assignment_name(built_in: &BuiltIn) -> String {
    format!("mtls-{}", built_in.kind)
}

pub(super) fn definition_id(built_in: &BuiltIn) -> String {
    format!(
        "/providers/Microsoft.Authorization/policyDefinitions/{}",
        built_in.guid
    )
}

/// The custom rule: deny a site or slot whose `clientCertEnabled` is not true or whose
/// `clientCertMode` is not `Required` (a missing value is "not equal", so it is denied too).
pub fn deny_rule() -> Node {
    let kind = |resource_type: &str| {
        object([(
            "allOf",
            Node::List(vec![
                object([("field", s("type")), ("equals", s(resource_type))]),
                object([(
                    "anyOf",
                    Node::List(vec![
                        object([
                            ("field", s(format!("{resource_type}/clientCertEnabled"))),
                            ("notEquals", s("true")),
                        ]),
                        object([
                            ("field", s(format!("{resource_type}/clientCertMode"))),
                            ("notEquals", s("Required")),
                        ]),
                    ]),
                )]),
            ]),
        )])
    };
    object([
        (
            "if",
            object([(
                "anyOf",
                Node::List(vec![
                    kind("Microsoft.Web/sites"),
                    kind("Microsoft.Web/sites/slots"),
                ]),
            )]),
        ),
        ("then", object([("effect", s("deny"))])),
    ])
}

pub(super) const DENY_DISPLAY: &str =
    "App Service sites and slots must require client certificates";

pub(super) const HEADER: [&str; 3] = [
    "Azure Policy guardrail for App Service client certificates (mutual TLS), generated by",
    "`certgate guardrail`. The built-in definitions audit only (AuditIfNotExists) and count an",
    "app with HTTP/2 enabled as compliant.",
];

/// [`HEADER`] as comment lines starting with `marker`.
pub(super) fn header(marker: &str) -> String {
    HEADER
        .iter()
        .map(|line| format!("{marker} {line}\n"))
        .collect()
}

/// The generated code.
pub fn generate(target: &Target, format: Format, effect: Effect) -> String {
    match format {
        Format::Terraform => terraform::render(target, effect),
        Format::Bicep => bicep::render(target, effect),
        Format::Arm => arm::render(target, effect),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_validated_with_a_message_naming_both_forms() {
        assert_eq!(
            Target::parse("/providers/Microsoft.Management/managementGroups/platform-lz"),
            Ok(Target::ManagementGroup("platform-lz".into()))
        );
        assert_eq!(
            Target::parse("/SUBSCRIPTIONS/00000000-0000-0000-0000-00000000000a/"),
            Ok(Target::Subscription(
                "00000000-0000-0000-0000-00000000000a".into()
            ))
        );
        for bad in [
            "/subscriptions/not-a-guid",
            "/providers/Microsoft.Management/managementGroups/",
            "/providers/Microsoft.Management/managementGroups/a b",
            "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg",
            "platform",
        ] {
            let error = Target::parse(bad).unwrap_err();
            assert!(error.contains("/subscriptions/GUID"), "{bad}: {error}");
        }
    }

    #[test]
    fn the_deny_rule_names_the_site_and_slot_aliases() {
        let rule = deny_rule().json(0);
        for alias in [
            "Microsoft.Web/sites/clientCertEnabled",
            "Microsoft.Web/sites/clientCertMode",
            "Microsoft.Web/sites/slots/clientCertEnabled",
            "Microsoft.Web/sites/slots/clientCertMode",
        ] {
            assert!(rule.contains(alias), "{alias}");
        }
        assert!(rule.contains("\"effect\": \"deny\""));
    }
}
