//! AzAPI resources (`azapi_resource`, `azapi_update_resource`): ARM resources written in
//! Terraform, whose `type` string (`<resource-type>@<api-version>`) says what they deploy and
//! whose `body` holds the ARM properties, judged by the ARM rules (SPEC §ARM).

pub(crate) mod lower;
pub(crate) mod rollout;
pub(crate) mod select;
pub(crate) mod update;

/// The block types this module reads.
pub(crate) const RESOURCE: &str = "azapi_resource";
pub(crate) const UPDATE: &str = "azapi_update_resource";

/// Whether a Terraform resource type is an AzAPI block certgate reads.
pub(crate) fn is_azapi_block(resource_type: &str) -> bool {
    resource_type == RESOURCE || resource_type == UPDATE
}

/// What an AzAPI `type` string deploys, as far as certgate cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Deploys {
    Site,
    Slot,
    /// `Microsoft.Resources/deployments`: an ARM template (judged elsewhere, if at all).
    Deployment,
    /// Anything else (`Microsoft.Web/sites/config`, storage, …): not ours.
    Other,
}

/// Splits `<resource-type>@<api-version>` at the last `@` (the azapi docs' form) and classifies
/// the resource type, ASCII-case-insensitively as ARM does. Returns the resource type as written.
pub(crate) fn classify(type_string: &str) -> (&str, Deploys) {
    let resource_type = type_string
        .rsplit_once('@')
        .map_or(type_string, |(t, _)| t)
        .trim();
    let deploys = if resource_type.eq_ignore_ascii_case("Microsoft.Web/sites") {
        Deploys::Site
    } else if resource_type.eq_ignore_ascii_case("Microsoft.Web/sites/slots") {
        Deploys::Slot
    } else if resource_type.eq_ignore_ascii_case("Microsoft.Resources/deployments") {
        Deploys::Deployment
    } else {
        Deploys::Other
    };
    (resource_type, deploys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_strings_split_at_the_last_at_and_compare_without_case() {
        assert_eq!(
            classify("Microsoft.Web/sites@2024-04-01"),
            ("Microsoft.Web/sites", Deploys::Site)
        );
        assert_eq!(
            classify("microsoft.web/SITES/slots@2022-03-01").1,
            Deploys::Slot
        );
        assert_eq!(
            classify("Microsoft.Resources/deployments@2021-04-01").1,
            Deploys::Deployment
        );
        assert_eq!(
            classify("Microsoft.Web/sites/config@2024-04-01").1,
            Deploys::Other
        );
        assert_eq!(classify("Microsoft.Web/sites").1, Deploys::Site);
        assert_eq!(classify("Microsoft.Web/sites@a@b").1, Deploys::Other);
        assert_eq!(classify("").1, Deploys::Other);
    }
}

#[cfg(test)]
mod lower_tests;

#[cfg(test)]
mod rollout_tests;
