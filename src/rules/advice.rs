//! Spells a suggested setting in the resource's own syntax, for help texts.

use crate::model::{Origin, OriginKind, Resource, Syntax};

/// A literal to suggest: rendered per syntax.
pub(crate) enum Suggested {
    True,
    Required,
}

/// `client_certificate_enabled = true`, `"clientCertEnabled": true`, … for `attribute`.
pub(crate) fn assignment(resource: &Resource, attribute: &str, value: Suggested) -> String {
    let literal = match (value, resource.syntax) {
        (Suggested::True, _) => "true",
        // Bicep strings are single-quoted.
        (Suggested::Required, Syntax::Bicep) => "'Required'",
        (Suggested::Required, _) => "\"Required\"",
    };
    format!("`{}`", resource.syntax.assignment(attribute, literal))
}

/// When the offending value was resolved from elsewhere, says where to change it; the
/// suggestion written here alone would override the variable or parameter rather than fix it.
pub(crate) fn at_origin(help: String, origin: &[Origin]) -> String {
    match origin.iter().find(|hop| hop.kind != OriginKind::Update) {
        Some(source) => format!(
            "{help}; the value comes from {}, so change it there",
            source.note
        ),
        None => help,
    }
}

/// Where the setting lives, appended to help texts for formats where it is not obvious.
pub(crate) fn placement(resource: &Resource) -> &'static str {
    if let crate::model::Source::Deployed(_) = resource.source {
        return " on the deployed site (`certgate remediate` prints the commands; fix the code \
                 that deploys it too, or the next deployment reverts it)";
    }
    match resource.syntax {
        Syntax::Hcl | Syntax::TerraformJson => "",
        Syntax::ArmJson | Syntax::Bicep => " in the resource's `properties` (not `siteConfig`)",
    }
}
