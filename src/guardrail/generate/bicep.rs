//! The guardrail as Bicep: a `targetScope` file of assignments, and with `--effect deny` a
//! custom definition (rule as a Bicep object) and its assignment.

use super::{
    DENY_DEFINITION, DENY_DISPLAY, Effect, Target, assignment_name, current, definition_id,
    deny_rule, header,
};

/// The Bicep code.
pub(super) fn render(target: &Target, effect: Effect) -> String {
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
