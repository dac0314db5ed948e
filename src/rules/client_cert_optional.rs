//! Rule `client-cert-optional`: certificates are enabled but the mode lets clients without one in.

use super::advice::{Suggested, assignment, at_origin, placement};
use super::{Judges, Rule, RuleId, Violation, describe};
use crate::diagnostic::Severity;
use crate::model::{CertMode, Resource};
use crate::rules::state::{CertState, Setting};

pub static RULE: Rule = Rule {
    id: RuleId::ClientCertOptional,
    name: "Client certificate mode not Required",
    severity: Severity::Error,
    severity_fixed: false,
    summary: "Client certificates are enabled, but the mode is Optional or OptionalInteractiveUser",
    docs: r#"## What it does
Flags App Service sites and slots that enable client certificates with a mode other than
`Required`, whether written (`Optional`, `OptionalInteractiveUser`) or implied by the type's
default: Terraform function apps default to `Optional`.

## Why is this bad?
`Optional` asks clients for a certificate but lets them decline; `OptionalInteractiveUser` does not
even ask. Either way a client without a certificate gets in, so the control is not met, even though
"client certificates enabled" looks compliant to tools that only check the flag.

## Example
```hcl
resource "azurerm_linux_function_app" "jobs" {
  client_certificate_enabled = true
  # client_certificate_mode defaults to "Optional" for function apps
}
```

## Fix
```hcl
resource "azurerm_linux_function_app" "jobs" {
  client_certificate_enabled = true
  client_certificate_mode    = "Required"
}
```
ARM and Bicep: `"clientCertMode": "Required"` in the site's `properties`.
"#,
    judges: Judges::Resource(check),
    fixable: true,
    peers: true,
};

fn check(resource: &Resource, state: Option<&CertState>) -> Option<Violation> {
    let state = state?;
    if state.enabled.known() != Some(true) {
        return None;
    }
    let mode = match state.mode.known()? {
        Some(CertMode::Required) => return None,
        Some(mode) => mode,
        None => return None,
    };
    let attribute = resource
        .attributes
        .mode
        .unwrap_or("client certificate mode");
    let who = describe(resource);
    let (message, span, label, origin) = match &state.mode {
        Setting::Set(_, value) => (
            format!(
                "{who} lets clients without a certificate in: `{attribute}` is \"{}\"",
                mode.as_str()
            ),
            value.span,
            format!("mode \"{}\" does not require a certificate", mode.as_str()),
            value.origin.clone(),
        ),
        _ => (
            format!(
                "{who} lets clients without a certificate in: `{attribute}` is not set and defaults to \"{}\" for `{}`",
                mode.as_str(),
                resource.resource_type
            ),
            resource.header,
            format!("no `{attribute}`: defaults to \"{}\"", mode.as_str()),
            Vec::new(),
        ),
    };
    let help = format!(
        "set {}{}",
        assignment(resource, attribute, Suggested::Required),
        placement(resource)
    );
    Some(Violation {
        message,
        help: at_origin(help, &origin),
        span,
        label,
        origin,
    })
}
