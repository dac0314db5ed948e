//! Rule `client-cert-unsupported`: the resource type cannot express the control at all.

use super::{Judges, Rule, RuleId, Violation, describe};
use crate::diagnostic::Severity;
use crate::model::{CertControl, Resource};
use crate::rules::state::CertState;

pub static RULE: Rule = Rule {
    id: RuleId::ClientCertUnsupported,
    name: "Client certificates not supported by this resource type",
    severity: Severity::Error,
    severity_fixed: false,
    summary: "The resource type has no client certificate setting; migrate to one that has",
    docs: r#"## What it does
Flags App Service resources declared with a type that has no client certificate setting at all,
such as the legacy Terraform `azurerm_app_service_slot` and `azurerm_function_app_slot`.

## Why is this bad?
A slot serves real traffic (often production traffic after a swap). When its resource type cannot
say "require client certificates", the slot accepts every client, and no edit to the resource can
change that.

## Example
```hcl
resource "azurerm_app_service_slot" "staging" {
  name                = "staging"
  app_service_name    = azurerm_app_service.api.name
  # ...
}
```

## Fix
Migrate to the current resource type, which has `client_certificate_enabled` and
`client_certificate_mode`: `azurerm_linux_web_app_slot` / `azurerm_windows_web_app_slot` (web apps)
or `azurerm_linux_function_app_slot` / `azurerm_windows_function_app_slot` (function apps). There
is no automatic fix: the migration changes the resource's schema.
"#,
    judges: Judges::Resource(check),
    fixable: false,
    peers: true,
};

fn check(resource: &Resource, _state: Option<&CertState>) -> Option<Violation> {
    let CertControl::Unsupported { migrate_to } = resource.control else {
        return None;
    };
    Some(Violation {
        message: format!(
            "{} cannot require client certificates: `{}` has no client certificate setting",
            describe(resource),
            resource.resource_type
        ),
        help: format!(
            "migrate to {migrate_to}, then set client certificates to enabled and Required"
        ),
        span: resource.header,
        label: "legacy type without client certificate settings".into(),
        origin: Vec::new(),
    })
}
