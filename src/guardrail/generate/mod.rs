//! `certgate guardrail`: a ready-to-commit assignment of the control's built-in definitions
//! for every site kind at one management group or subscription, in Terraform, Bicep or ARM,
//! and with `--effect deny` a custom definition that denies non-compliant sites and slots plus
//! its assignment. Its output, scanned by certgate, is a present guardrail (tests/guardrail.rs).

mod node;

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
fn current() -> impl Iterator<Item = &'static BuiltIn> {
    BUILT_INS.iter().filter(|b| b.default_effect != "Disabled")
}

/// The assignment name of a built-in (management group assignment names are at most 24
/// characters).
fn assignment_name(built_in: &BuiltIn) -> String {
    format!("mtls-{}", built_in.kind)
}

fn definition_id(built_in: &BuiltIn) -> String {
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

const DENY_DISPLAY: &str = "App Service sites and slots must require client certificates";

const HEADER: [&str; 3] = [
    "Azure Policy guardrail for App Service client certificates (mutual TLS), generated by",
    "`certgate guardrail`. The built-in definitions audit only (AuditIfNotExists) and count an",
    "app with HTTP/2 enabled as compliant.",
];

/// [`HEADER`] as comment lines starting with `marker`.
fn header(marker: &str) -> String {
    HEADER
        .iter()
        .map(|line| format!("{marker} {line}\n"))
        .collect()
}

/// The generated code.
pub fn generate(target: &Target, format: Format, effect: Effect) -> String {
    match format {
        Format::Terraform => terraform(target, effect),
        Format::Bicep => bicep(target, effect),
        Format::Arm => arm(target, effect),
    }
}

fn terraform(target: &Target, effect: Effect) -> String {
    let (resource_type, scope_attribute) = match target {
        Target::ManagementGroup(_) => (
            "azurerm_management_group_policy_assignment",
            "management_group_id",
        ),
        Target::Subscription(_) => ("azurerm_subscription_policy_assignment", "subscription_id"),
    };
    let scope = target.id();
    let mut out = header("#");
    if effect == Effect::Audit {
        out.push_str(
            "# `certgate guardrail --effect deny` adds a custom definition that denies.\n",
        );
    }
    for built_in in current() {
        let label = built_in.kind.replace('-', "_");
        out.push_str(&format!(
            "\nresource \"{resource_type}\" \"client_certificates_{label}\" {{\n  \
             name                 = \"{name}\"\n  \
             display_name         = \"{display}\"\n  \
             {scope_attribute:<20} = \"{scope}\"\n  \
             policy_definition_id = \"{id}\"\n  \
             enforce              = true\n  \
             parameters = jsonencode({{\n    effect = {{ value = \"AuditIfNotExists\" }}\n  }})\n}}\n",
            name = assignment_name(built_in),
            display = built_in.display_name,
            id = definition_id(built_in),
        ));
    }
    if effect == Effect::Deny {
        let rule = deny_rule().json(2);
        let management_group = match target {
            Target::ManagementGroup(_) => format!("  management_group_id = \"{scope}\"\n"),
            Target::Subscription(_) => String::new(),
        };
        out.push_str(&format!(
            "\n# Denies new or changed sites and slots that do not require client certificates.\n\
             resource \"azurerm_policy_definition\" \"client_certificates_deny\" {{\n  \
             name         = \"{DENY_DEFINITION}\"\n  \
             policy_type  = \"Custom\"\n  \
             mode         = \"Indexed\"\n  \
             display_name = \"{DENY_DISPLAY}\"\n\
             {management_group}  \
             policy_rule  = <<-JSON\n    {rule}\n  JSON\n}}\n\n\
             resource \"{resource_type}\" \"client_certificates_deny\" {{\n  \
             name                 = \"mtls-deny\"\n  \
             display_name         = \"{DENY_DISPLAY}\"\n  \
             {scope_attribute:<20} = \"{scope}\"\n  \
             policy_definition_id = azurerm_policy_definition.client_certificates_deny.id\n  \
             enforce              = true\n}}\n"
        ));
    }
    out
}

fn bicep(target: &Target, effect: Effect) -> String {
    let scope = match target {
        Target::ManagementGroup(_) => "managementGroup",
        Target::Subscription(_) => "subscription",
    };
    let mut out = format!(
        "{}// Deploy it at {}.\ntargetScope = '{scope}'\n",
        header("//"),
        target.id()
    );
    for built_in in current() {
        out.push_str(&format!(
            "\nresource {symbol} 'Microsoft.Authorization/policyAssignments@2022-06-01' = {{\n  \
             name: '{name}'\n  \
             properties: {{\n    \
             displayName: '{display}'\n    \
             policyDefinitionId: '{id}'\n    \
             enforcementMode: 'Default'\n    \
             parameters: {{\n      effect: {{\n        value: 'AuditIfNotExists'\n      }}\n    }}\n  \
             }}\n}}\n",
            symbol = camel(built_in.kind),
            name = assignment_name(built_in),
            display = built_in.display_name.replace('\'', "\\'"),
            id = definition_id(built_in),
        ));
    }
    if effect == Effect::Deny {
        out.push_str(&format!(
            "\n// Denies new or changed sites and slots that do not require client certificates.\n\
             resource denyDefinition 'Microsoft.Authorization/policyDefinitions@2021-06-01' = {{\n  \
             name: '{DENY_DEFINITION}'\n  \
             properties: {{\n    \
             policyType: 'Custom'\n    \
             mode: 'Indexed'\n    \
             displayName: '{DENY_DISPLAY}'\n    \
             policyRule: {rule}\n  \
             }}\n}}\n\n\
             resource denyAssignment 'Microsoft.Authorization/policyAssignments@2022-06-01' = {{\n  \
             name: 'mtls-deny'\n  \
             properties: {{\n    \
             displayName: '{DENY_DISPLAY}'\n    \
             policyDefinitionId: denyDefinition.id\n    \
             enforcementMode: 'Default'\n  \
             }}\n}}\n",
            rule = deny_rule().bicep(2),
        ));
    }
    out
}

/// `web-app-slot` → `webAppSlot`.
fn camel(kind: &str) -> String {
    let mut out = String::new();
    for (i, part) in kind.split('-').enumerate() {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            if i == 0 {
                out.push(first);
            } else {
                out.push(first.to_ascii_uppercase());
            }
            out.extend(chars);
        }
    }
    out
}

fn arm(target: &Target, effect: Effect) -> String {
    let schema = match target {
        Target::ManagementGroup(_) => {
            "https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#"
        }
        Target::Subscription(_) => {
            "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"
        }
    };
    let mut resources: Vec<Node> = current()
        .map(|built_in| {
            object([
                ("type", s("Microsoft.Authorization/policyAssignments")),
                ("apiVersion", s("2022-06-01")),
                ("name", s(assignment_name(built_in))),
                (
                    "properties",
                    object([
                        ("displayName", s(built_in.display_name)),
                        ("policyDefinitionId", s(definition_id(built_in))),
                        ("enforcementMode", s("Default")),
                        (
                            "parameters",
                            object([("effect", object([("value", s("AuditIfNotExists"))]))]),
                        ),
                    ]),
                ),
            ])
        })
        .collect();
    if effect == Effect::Deny {
        let definition = match target {
            Target::ManagementGroup(_) => format!(
                "[extensionResourceId(managementGroup().id, 'Microsoft.Authorization/policyDefinitions', '{DENY_DEFINITION}')]"
            ),
            Target::Subscription(_) => format!(
                "[subscriptionResourceId('Microsoft.Authorization/policyDefinitions', '{DENY_DEFINITION}')]"
            ),
        };
        resources.push(object([
            ("type", s("Microsoft.Authorization/policyDefinitions")),
            ("apiVersion", s("2021-06-01")),
            ("name", s(DENY_DEFINITION)),
            (
                "properties",
                object([
                    ("policyType", s("Custom")),
                    ("mode", s("Indexed")),
                    ("displayName", s(DENY_DISPLAY)),
                    ("policyRule", deny_rule()),
                ]),
            ),
        ]));
        resources.push(object([
            ("type", s("Microsoft.Authorization/policyAssignments")),
            ("apiVersion", s("2022-06-01")),
            ("name", s("mtls-deny")),
            ("dependsOn", Node::List(vec![s(definition.clone())])),
            (
                "properties",
                object([
                    ("displayName", s(DENY_DISPLAY)),
                    ("policyDefinitionId", s(definition)),
                    ("enforcementMode", s("Default")),
                ]),
            ),
        ]));
    }
    let template = object([
        ("$schema", s(schema)),
        ("contentVersion", s("1.0.0.0")),
        (
            "metadata",
            object([(
                "description",
                s(format!(
                    "{} Deploy it at {}.",
                    HEADER.join(" "),
                    target.id()
                )),
            )]),
        ),
        ("resources", Node::List(resources)),
    ]);
    template.json(0) + "\n"
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
