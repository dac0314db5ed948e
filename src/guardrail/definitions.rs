//! The Azure Policy definitions that audit the control (SPEC "The control", "Rollout facts"),
//! and the built-in initiatives known to contain them. Ids are compared by their last path
//! segment, in any case (`/providers/Microsoft.Authorization/policyDefinitions/<guid>`).

/// The site kinds a guardrail covers, in report order.
pub const KINDS: [&str; 4] = [
    "web-app",
    "web-app-slot",
    "function-app",
    "function-app-slot",
];

/// One built-in policy definition of the control.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltIn {
    pub guid: &'static str,
    /// The site kind it audits (one of [`KINDS`]).
    pub kind: &'static str,
    /// Its `effect` parameter's default: `AuditIfNotExists` for the current ones, `Disabled`
    /// for the deprecated ones (an assignment that sets no effect audits nothing).
    pub default_effect: &'static str,
    pub display_name: &'static str,
}

/// The built-in definitions (SPEC lists the first five; the deprecated function app one is
/// its function-app twin, `[Deprecated]: Function apps should have 'Client Certificates
/// (Incoming client certificates)' enabled`).
pub const BUILT_INS: &[BuiltIn] = &[
    BuiltIn {
        guid: "19dd1db6-f442-49cf-a838-b0786b4401ef",
        kind: "web-app",
        default_effect: "AuditIfNotExists",
        display_name: "App Service apps should have Client Certificates (Incoming client certificates) enabled",
    },
    BuiltIn {
        guid: "5b0bd968-5cb5-4513-8987-27786c6f0df8",
        kind: "web-app-slot",
        default_effect: "AuditIfNotExists",
        display_name: "App Service app slots should have Client Certificates (Incoming client certificates) enabled",
    },
    BuiltIn {
        guid: "ab6a902f-9493-453b-928d-62c30b11b5a6",
        kind: "function-app",
        default_effect: "AuditIfNotExists",
        display_name: "Function apps should have Client Certificates (Incoming client certificates) enabled",
    },
    BuiltIn {
        guid: "153ab4ca-2d58-4b5d-9134-6d8c6bdd321c",
        kind: "function-app-slot",
        default_effect: "AuditIfNotExists",
        display_name: "Function app slots should have Client Certificates (Incoming client certificates) enabled",
    },
    BuiltIn {
        guid: "5bb220d9-2698-4ee4-8404-b9c30c9df609",
        kind: "web-app",
        default_effect: "Disabled",
        display_name: "[Deprecated]: App Service apps should have 'Client Certificates (Incoming client certificates)' enabled",
    },
    BuiltIn {
        guid: "eaebaea7-8013-4ceb-9d14-7eb32271373c",
        kind: "function-app",
        default_effect: "Disabled",
        display_name: "[Deprecated]: Function apps should have 'Client Certificates (Incoming client certificates)' enabled",
    },
];

/// A built-in initiative known to contain some of [`BUILT_INS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Initiative {
    pub guid: &'static str,
    pub display_name: &'static str,
    /// The members of the control, with the initiative parameter that sets each one's effect.
    pub members: &'static [(&'static str, &'static str)],
}

/// The built-in initiatives supported (README "The Azure Policy guardrail" lists the sources).
pub const INITIATIVES: &[Initiative] = &[Initiative {
    guid: "1f3afdf9-d0c9-4c3d-847f-89da613e70a8",
    display_name: "Microsoft cloud security benchmark",
    members: &[
        (
            "19dd1db6-f442-49cf-a838-b0786b4401ef",
            "ensureWebAppHasIncomingClientCertificatesSetToOnMonitoringEffect",
        ),
        (
            "ab6a902f-9493-453b-928d-62c30b11b5a6",
            "functionAppsShouldHaveClientCertificatesEnabledMonitoringEffect",
        ),
    ],
}];

/// The last segment of a definition id (`…/policyDefinitions/<guid>`, or a bare guid).
pub fn last_segment(id: &str) -> &str {
    id.trim()
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("")
}

/// The built-in definition `id` names, in any case.
pub fn built_in(id: &str) -> Option<&'static BuiltIn> {
    let guid = last_segment(id);
    BUILT_INS.iter().find(|b| b.guid.eq_ignore_ascii_case(guid))
}

/// The built-in initiative `id` names, in any case (only a `policySetDefinitions` id).
pub fn initiative(id: &str) -> Option<&'static Initiative> {
    if !id.to_ascii_lowercase().contains("policysetdefinitions") {
        return None;
    }
    let guid = last_segment(id);
    INITIATIVES
        .iter()
        .find(|i| i.guid.eq_ignore_ascii_case(guid))
}

/// The built-in definition whose display name or name (guid) is `name`, in any case: what a
/// `data "azurerm_policy_definition"` looks up.
pub fn built_in_named(name: &str) -> Option<&'static BuiltIn> {
    let name = name.trim();
    BUILT_INS
        .iter()
        .find(|b| b.guid.eq_ignore_ascii_case(name) || b.display_name.eq_ignore_ascii_case(name))
}

/// The built-in initiative whose display name or name (guid) is `name`, in any case.
pub fn initiative_named(name: &str) -> Option<&'static Initiative> {
    let name = name.trim();
    INITIATIVES
        .iter()
        .find(|i| i.guid.eq_ignore_ascii_case(name) || i.display_name.eq_ignore_ascii_case(name))
}

/// `kinds` deduplicated, in [`KINDS`] order.
pub fn ordered(kinds: impl IntoIterator<Item = &'static str>) -> Vec<&'static str> {
    let kinds: Vec<&str> = kinds.into_iter().collect();
    KINDS.into_iter().filter(|k| kinds.contains(k)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_match_by_last_segment_in_any_case() {
        let id = "/providers/Microsoft.Authorization/policyDefinitions/19DD1DB6-F442-49CF-A838-B0786B4401EF";
        assert_eq!(built_in(id).map(|b| b.kind), Some("web-app"));
        assert_eq!(
            built_in("ab6a902f-9493-453b-928d-62c30b11b5a6").map(|b| b.kind),
            Some("function-app")
        );
        assert!(built_in("/providers/Microsoft.Authorization/policyDefinitions/other").is_none());
        let set = "/providers/Microsoft.Authorization/policySetDefinitions/1f3afdf9-d0c9-4c3d-847f-89da613e70a8";
        assert!(initiative(set).is_some());
        // A definition id with an initiative's guid is not the initiative.
        assert!(initiative("/providers/Microsoft.Authorization/policyDefinitions/1f3afdf9-d0c9-4c3d-847f-89da613e70a8").is_none());
    }

    #[test]
    fn data_source_names_find_built_ins_by_display_name_or_guid() {
        let name = "function app slots should have client certificates (incoming client certificates) enabled";
        assert_eq!(
            built_in_named(name).map(|b| b.kind),
            Some("function-app-slot")
        );
        assert_eq!(
            initiative_named("Microsoft cloud security benchmark").map(|i| i.members.len()),
            Some(2)
        );
        assert!(built_in_named("Allowed locations").is_none());
    }
}
