//! Rule `client-cert-unresolved`: a setting the verdict depends on cannot be decided statically.

use super::advice::{Suggested, assignment};
use super::{Judges, Rule, RuleId, Violation, describe};
use crate::diagnostic::Severity;
use crate::model::{CertMode, Resource};
use crate::rules::state::{CertState, Setting};

pub static RULE: Rule = Rule {
    id: RuleId::ClientCertUnresolved,
    name: "Client certificate setting cannot be decided",
    severity: Severity::Warning,
    severity_fixed: false,
    summary: "A client certificate setting's value cannot be decided statically",
    docs: r#"## What it does
Flags App Service resources whose client certificate settings depend on a value certgate cannot
decide from the files: an expression it does not evaluate, a value that is not a boolean or a
certificate mode, a variable without a value.

## Why is this bad?
The control cannot be verified. Other linters silently pass (or fail) such resources; certgate says
which value it could not decide and why, so you can check it or make it decidable.

## Example
```hcl
resource "azurerm_linux_web_app" "api" {
  client_certificate_enabled = local.settings[terraform.workspace].mtls
  # ...
}
```

## Fix
Make sure the value resolves to certificates enabled with mode `Required`. Where it is meant to,
prefer a literal or a plain variable with a default that certgate can follow.
"#,
    judges: Judges::Resource(check),
    fixable: false,
    peers: true,
};

fn check(resource: &Resource, state: Option<&CertState>) -> Option<Violation> {
    let state = state?;
    let attributes = resource.attributes;
    // Only an unknown the verdict depends on matters: with certificates known to be off, the mode
    // and the exclusion paths are irrelevant.
    let (value, why, what, attribute, suggested) = match (&state.enabled, &state.mode) {
        (Setting::Unresolved(value, why), _) if attributes.enabled.is_some() => (
            value,
            why,
            "whether client certificates are enabled",
            attributes.enabled,
            Suggested::True,
        ),
        (Setting::Unresolved(value, why), _) | (_, Setting::Unresolved(value, why))
            if state.enabled.known() != Some(false) =>
        {
            (
                value,
                why,
                "the client certificate mode",
                attributes.mode,
                Suggested::Required,
            )
        }
        _ => match &state.exclusion_paths {
            Setting::Unresolved(value, why)
                if state.enabled.known() == Some(true)
                    && state.mode.known() == Some(Some(CertMode::Required)) =>
            {
                let attribute = attributes.exclusion_paths.unwrap_or("exclusion paths");
                return Some(Violation {
                    message: format!(
                        "{}: cannot decide the client certificate exclusion paths: {why}",
                        describe(resource)
                    ),
                    help: if matches!(resource.source, crate::model::Source::Deployed(_)) {
                        "export the site with this setting, then check again".into()
                    } else {
                        format!("make sure `{attribute}` resolves to an empty value")
                    },
                    span: value.span,
                    label: "value not decidable".into(),
                    origin: value.origin.clone(),
                });
            }
            _ => return None,
        },
    };
    let help = match attribute {
        // A deployed site's setting is unknown only when the export lacks it (the message says
        // which export has it): nothing in the site to resolve.
        _ if matches!(resource.source, crate::model::Source::Deployed(_)) => {
            "export the site with this setting, then check again".into()
        }
        Some(attribute) => format!(
            "make sure this resolves to {}",
            assignment(resource, attribute, suggested)
        ),
        None => "make sure this resolves to certificates enabled with mode Required".into(),
    };
    Some(Violation {
        message: format!("{}: cannot decide {what}: {why}", describe(resource)),
        help,
        span: value.span,
        label: "value not decidable".into(),
        origin: value.origin.clone(),
    })
}
