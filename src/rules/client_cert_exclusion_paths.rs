//! Rule `client-cert-exclusion-paths`: certificates are required, except on listed paths.

use super::{Judges, Rule, RuleId, Violation, describe};
use crate::diagnostic::Severity;
use crate::model::{CertMode, Resource};
use crate::rules::state::{CertState, Setting};

pub static RULE: Rule = Rule {
    id: RuleId::ClientCertExclusionPaths,
    name: "Client certificates bypassed by exclusion paths",
    severity: Severity::Warning,
    severity_fixed: false,
    summary: "Client certificates are required, but exclusion paths exempt some paths",
    docs: r#"## What it does
Flags App Service sites and slots that require client certificates but list exclusion paths
(`client_certificate_exclusion_paths` in Terraform, `clientCertExclusionPaths` in ARM and Bicep):
requests to those paths need no certificate.

## Why is this bad?
Every excluded path is reachable by any client. Health probes are the usual reason; each excluded
path should be reviewed, kept minimal and documented as an exception.

## Example
```hcl
resource "azurerm_linux_web_app" "api" {
  client_certificate_enabled         = true
  client_certificate_mode            = "Required"
  client_certificate_exclusion_paths = "/health;/admin"
}
```

## Fix
Remove the exclusion paths, or narrow them to what must be public and record the approval as an
exception. There is no automatic fix: which paths must stay open is a decision, not a default.
"#,
    judges: Judges::Resource(check),
    fixable: false,
    peers: true,
};

fn check(resource: &Resource, state: Option<&CertState>) -> Option<Violation> {
    let state = state?;
    if state.enabled.known() != Some(true) || state.mode.known() != Some(Some(CertMode::Required)) {
        return None;
    }
    let Setting::Set(paths, value) = &state.exclusion_paths else {
        return None;
    };
    let paths = paths.paths();
    if paths.is_empty() {
        return None;
    }
    let attribute = resource
        .attributes
        .exclusion_paths
        .unwrap_or("exclusion paths");
    let listed = crate::quote::clip(&paths.join(", ")).into_owned();
    Some(Violation {
        message: format!(
            "{} requires client certificates except on {} path{}: {listed}",
            describe(resource),
            paths.len(),
            if paths.len() == 1 { "" } else { "s" }
        ),
        help: format!(
            "remove `{attribute}`, or keep only paths that must be public and record them as approved exceptions"
        ),
        span: value.span,
        label: format!("no certificate needed for {listed}"),
        origin: value.origin.clone(),
    })
}
