//! Rule `client-cert-disabled`: incoming client certificates are not enabled.

use super::advice::{Suggested, assignment, at_origin, placement};
use super::{Judges, Rule, RuleId, Violation, describe};
use crate::diagnostic::Severity;
use crate::model::{CertMode, Resource};
use crate::rules::state::{CertState, Setting};

pub static RULE: Rule = Rule {
    id: RuleId::ClientCertDisabled,
    name: "Client certificates disabled",
    severity: Severity::Error,
    severity_fixed: false,
    summary: "Incoming client certificates are not enabled (missing, false, or no mode)",
    docs: r#"## What it does
Flags App Service sites and slots that do not enable incoming client certificates: the enabled
attribute is missing (it defaults to false) or false, or, for types enabled by the mode alone
(`azurerm_logic_app_standard`, legacy `azurerm_function_app`), the mode is not set.

## Why is this bad?
Without client certificates any client on the network can reach the app: mutual TLS is the
control that restricts it to clients holding a certificate you trust (CIS Azure "Client
Certificates (Incoming client certificates) set to On"; Checkov CKV_AZURE_17; Trivy AVD-AZU-0001).

## Example
```hcl
resource "azurerm_linux_web_app" "api" {
  name = "api"
  # client_certificate_enabled is missing: defaults to false
}
```

## Fix
```hcl
resource "azurerm_linux_web_app" "api" {
  name                       = "api"
  client_certificate_enabled = true
  client_certificate_mode    = "Required"
}
```
ARM and Bicep: `"clientCertEnabled": true` and `"clientCertMode": "Required"` in the site's
`properties`. Function apps default to mode `Optional`, so set the mode too.
"#,
    judges: Judges::Resource(check),
    fixable: true,
    peers: true,
};

fn check(resource: &Resource, state: Option<&CertState>) -> Option<Violation> {
    let state = state?;
    if state.enabled.known() != Some(false) {
        return None;
    }
    let attributes = resource.attributes;
    let who = describe(resource);
    let (message, span, label) = match (&state.enabled, attributes.enabled) {
        (Setting::Set(_, value), Some(attribute)) => (
            format!("{who} has client certificates disabled (`{attribute}` is false)"),
            value.span,
            "client certificates disabled here".to_string(),
        ),
        (_, Some(attribute)) => (
            format!(
                "{who} does not enable client certificates (`{attribute}` is not set and defaults to false)"
            ),
            resource.header,
            format!("no `{attribute}` in this resource"),
        ),
        (_, None) => {
            let mode = attributes.mode.unwrap_or("client certificate mode");
            (
                format!(
                    "{who} does not enable client certificates (`{mode}` is not set, and this type enables them only through the mode)"
                ),
                resource.header,
                format!("no `{mode}` in this resource"),
            )
        }
    };
    let mut help = String::from("set ");
    if let Some(enabled) = attributes.enabled {
        help.push_str(&assignment(resource, enabled, Suggested::True));
    }
    // The mode must end up Required too: say so when it would not be after enabling.
    let mode_ok = state.mode.known() == Some(Some(CertMode::Required));
    if let Some(mode) = attributes
        .mode
        .filter(|_| !mode_ok || attributes.enabled.is_none())
    {
        if attributes.enabled.is_some() {
            help.push_str(" and ");
        }
        help.push_str(&assignment(resource, mode, Suggested::Required));
    }
    help.push_str(placement(resource));
    let origin = state
        .enabled
        .value()
        .map(|v| v.origin.clone())
        .unwrap_or_default();
    Some(Violation {
        message,
        help: at_origin(help, &origin),
        span,
        label,
        origin,
    })
}
