//! The guardrail as Terraform: azurerm assignments at the management group or subscription,
//! and with `--effect deny` an `azurerm_policy_definition` (rule as a heredoc) and its assignment.

use super::{
    DENY_DEFINITION, DENY_DISPLAY, Effect, Target, assignment_name, current, definition_id,
    deny_rule, header,
};

/// The Terraform code.
pub(super) fn render(target: &Target, effect: Effect) -> String {
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
