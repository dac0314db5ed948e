//! The guardrail as an ARM template at the management group or subscription deployment
//! scope, and with `--effect deny` a custom definition and its assignment.

use super::node::{Node, object, s};
use super::{
    DENY_DEFINITION, DENY_DISPLAY, Effect, HEADER, Target, assignment_name, current, definition_id,
    deny_rule,
};

/// The ARM template.
pub(super) fn render(target: &Target, effect: Effect) -> String {
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
