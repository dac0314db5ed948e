//! The azurerm resource types that deploy an App Service site or slot, and how each one
//! expresses the client certificate control (SPEC.md, "Terraform (azurerm provider)").

use crate::model::{CertAttributes, CertControl, CertMode, SiteKind};

/// Every in-scope resource type name, for content sniffing. Kept in step with [`ROWS`] by a test.
pub const RESOURCE_TYPES: &[&str] = &[
    "azurerm_linux_web_app",
    "azurerm_windows_web_app",
    "azurerm_linux_web_app_slot",
    "azurerm_windows_web_app_slot",
    "azurerm_linux_function_app",
    "azurerm_windows_function_app",
    "azurerm_linux_function_app_slot",
    "azurerm_windows_function_app_slot",
    "azurerm_function_app_flex_consumption",
    "azurerm_logic_app_standard",
    "azurerm_app_service",
    "azurerm_function_app",
    "azurerm_app_service_slot",
    "azurerm_function_app_slot",
];

/// The azurerm provider's major version, where a type's defaults depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProviderVersion {
    /// Not known (no lock file or constraint read yet): SPEC.md says assume 4.x.
    #[default]
    Unknown,
    Major(u32),
}

impl ProviderVersion {
    fn assumed_major(self) -> u32 {
        match self {
            ProviderVersion::Unknown => 4,
            ProviderVersion::Major(major) => major,
        }
    }
}

/// What the table says about one resource type, for one provider version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeInfo {
    pub name: &'static str,
    pub kind: SiteKind,
    pub is_slot: bool,
    pub control: CertControl,
    pub attributes: CertAttributes,
    /// `linux` / `windows` when the type name says so.
    pub kind_tags: &'static [&'static str],
}

/// How a row states its control before the provider version is known.
#[derive(Debug, Clone, Copy)]
enum ControlRule {
    EnabledAndMode(CertMode),
    ModeOnly(Option<CertMode>),
    /// Mode-only, with a default that changed in provider 5.0.
    ModeOnlyByMajor {
        from_5: Option<CertMode>,
        before_5: Option<CertMode>,
    },
    Unsupported(&'static str),
}

struct Row {
    name: &'static str,
    kind: SiteKind,
    is_slot: bool,
    control: ControlRule,
    attributes: CertAttributes,
}

// The modern site resources share one attribute set.
const MODERN: CertAttributes = CertAttributes {
    enabled: Some("client_certificate_enabled"),
    mode: Some("client_certificate_mode"),
    exclusion_paths: Some("client_certificate_exclusion_paths"),
};

const NONE: CertAttributes = CertAttributes {
    enabled: None,
    mode: None,
    exclusion_paths: None,
};

const fn modern(name: &'static str, kind: SiteKind, is_slot: bool, mode: CertMode) -> Row {
    Row {
        name,
        kind,
        is_slot,
        control: ControlRule::EnabledAndMode(mode),
        attributes: MODERN,
    }
}

const ROWS: &[Row] = &[
    modern(
        "azurerm_linux_web_app",
        SiteKind::WebApp,
        false,
        CertMode::Required,
    ),
    modern(
        "azurerm_windows_web_app",
        SiteKind::WebApp,
        false,
        CertMode::Required,
    ),
    modern(
        "azurerm_linux_web_app_slot",
        SiteKind::WebApp,
        true,
        CertMode::Required,
    ),
    modern(
        "azurerm_windows_web_app_slot",
        SiteKind::WebApp,
        true,
        CertMode::Required,
    ),
    // Function apps default to Optional: enabling certificates alone does not meet the control.
    modern(
        "azurerm_linux_function_app",
        SiteKind::FunctionApp,
        false,
        CertMode::Optional,
    ),
    modern(
        "azurerm_windows_function_app",
        SiteKind::FunctionApp,
        false,
        CertMode::Optional,
    ),
    modern(
        "azurerm_linux_function_app_slot",
        SiteKind::FunctionApp,
        true,
        CertMode::Optional,
    ),
    modern(
        "azurerm_windows_function_app_slot",
        SiteKind::FunctionApp,
        true,
        CertMode::Optional,
    ),
    modern(
        "azurerm_function_app_flex_consumption",
        SiteKind::FunctionApp,
        false,
        CertMode::Optional,
    ),
    Row {
        name: "azurerm_logic_app_standard",
        kind: SiteKind::LogicApp,
        is_slot: false,
        control: ControlRule::ModeOnlyByMajor {
            from_5: Some(CertMode::Required),
            before_5: None,
        },
        attributes: CertAttributes {
            enabled: None,
            mode: Some("client_certificate_mode"),
            exclusion_paths: None,
        },
    },
    Row {
        name: "azurerm_app_service",
        kind: SiteKind::WebApp,
        is_slot: false,
        control: ControlRule::EnabledAndMode(CertMode::Required),
        // The legacy resource has no exclusion paths attribute.
        attributes: CertAttributes {
            enabled: Some("client_cert_enabled"),
            mode: Some("client_cert_mode"),
            exclusion_paths: None,
        },
    },
    Row {
        name: "azurerm_function_app",
        kind: SiteKind::FunctionApp,
        is_slot: false,
        control: ControlRule::ModeOnly(None),
        attributes: CertAttributes {
            enabled: None,
            mode: Some("client_cert_mode"),
            exclusion_paths: None,
        },
    },
    Row {
        name: "azurerm_app_service_slot",
        kind: SiteKind::WebApp,
        is_slot: true,
        control: ControlRule::Unsupported(
            "azurerm_linux_web_app_slot / azurerm_windows_web_app_slot",
        ),
        attributes: NONE,
    },
    Row {
        name: "azurerm_function_app_slot",
        kind: SiteKind::FunctionApp,
        is_slot: true,
        control: ControlRule::Unsupported(
            "azurerm_linux_function_app_slot / azurerm_windows_function_app_slot",
        ),
        attributes: NONE,
    },
];

/// The table row for `resource_type` (exact, case-sensitive as Terraform is), with defaults for
/// the given provider version; `None` for any type that does not deploy a site.
pub fn lookup(resource_type: &str, version: ProviderVersion) -> Option<TypeInfo> {
    let row = ROWS.iter().find(|row| row.name == resource_type)?;
    let control = match row.control {
        ControlRule::EnabledAndMode(default_mode) => CertControl::EnabledAndMode { default_mode },
        ControlRule::ModeOnly(default_mode) => CertControl::ModeOnly { default_mode },
        ControlRule::ModeOnlyByMajor { from_5, before_5 } => CertControl::ModeOnly {
            default_mode: if version.assumed_major() >= 5 {
                from_5
            } else {
                before_5
            },
        },
        ControlRule::Unsupported(migrate_to) => CertControl::Unsupported { migrate_to },
    };
    let kind_tags: &'static [&'static str] = if row.name.starts_with("azurerm_linux_") {
        &["linux"]
    } else if row.name.starts_with("azurerm_windows_") {
        &["windows"]
    } else {
        &[]
    };
    Some(TypeInfo {
        name: row.name,
        kind: row.kind,
        is_slot: row.is_slot,
        control,
        attributes: row.attributes,
        kind_tags,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str) -> TypeInfo {
        lookup(name, ProviderVersion::Unknown).unwrap()
    }

    #[test]
    fn resource_types_lists_exactly_the_table_rows() {
        let rows: Vec<&str> = ROWS.iter().map(|row| row.name).collect();
        assert_eq!(rows, RESOURCE_TYPES);
    }

    #[test]
    fn web_apps_and_slots_default_to_required() {
        for name in ["azurerm_linux_web_app", "azurerm_windows_web_app"] {
            let info = row(name);
            assert_eq!(info.kind, SiteKind::WebApp);
            assert!(!info.is_slot);
            assert_eq!(
                info.control,
                CertControl::EnabledAndMode {
                    default_mode: CertMode::Required
                }
            );
            assert_eq!(info.attributes, MODERN);
        }
        let slot = row("azurerm_windows_web_app_slot");
        assert!(slot.is_slot);
        assert_eq!(slot.kind_tags, ["windows"]);
        assert_eq!(row("azurerm_linux_web_app_slot").kind_tags, ["linux"]);
    }

    #[test]
    fn function_apps_default_to_optional() {
        for name in [
            "azurerm_linux_function_app",
            "azurerm_windows_function_app",
            "azurerm_linux_function_app_slot",
            "azurerm_windows_function_app_slot",
            "azurerm_function_app_flex_consumption",
        ] {
            let info = row(name);
            assert_eq!(info.kind, SiteKind::FunctionApp, "{name}");
            assert_eq!(info.is_slot, name.ends_with("_slot"), "{name}");
            assert_eq!(
                info.control,
                CertControl::EnabledAndMode {
                    default_mode: CertMode::Optional
                },
                "{name}"
            );
            assert_eq!(
                info.attributes.exclusion_paths,
                Some("client_certificate_exclusion_paths")
            );
        }
        assert!(
            row("azurerm_function_app_flex_consumption")
                .kind_tags
                .is_empty()
        );
    }

    #[test]
    fn logic_app_default_depends_on_provider_major_version() {
        let unset = CertControl::ModeOnly { default_mode: None };
        let info = row("azurerm_logic_app_standard");
        assert_eq!(info.kind, SiteKind::LogicApp);
        assert_eq!(info.control, unset);
        assert_eq!(info.attributes.enabled, None);
        assert_eq!(info.attributes.mode, Some("client_certificate_mode"));
        let v4 = lookup("azurerm_logic_app_standard", ProviderVersion::Major(4)).unwrap();
        assert_eq!(v4.control, unset);
        let v5 = lookup("azurerm_logic_app_standard", ProviderVersion::Major(5)).unwrap();
        assert_eq!(
            v5.control,
            CertControl::ModeOnly {
                default_mode: Some(CertMode::Required)
            }
        );
    }

    #[test]
    fn legacy_resources() {
        let app_service = row("azurerm_app_service");
        assert_eq!(
            app_service.control,
            CertControl::EnabledAndMode {
                default_mode: CertMode::Required
            }
        );
        assert_eq!(app_service.attributes.enabled, Some("client_cert_enabled"));
        assert_eq!(app_service.attributes.mode, Some("client_cert_mode"));
        assert_eq!(app_service.attributes.exclusion_paths, None);

        let function_app = row("azurerm_function_app");
        assert_eq!(
            function_app.control,
            CertControl::ModeOnly { default_mode: None }
        );
        assert_eq!(function_app.attributes.mode, Some("client_cert_mode"));

        let slot = row("azurerm_app_service_slot");
        assert!(slot.is_slot);
        assert_eq!(
            slot.control,
            CertControl::Unsupported {
                migrate_to: "azurerm_linux_web_app_slot / azurerm_windows_web_app_slot"
            }
        );
        assert_eq!(slot.attributes, NONE);
        let function_slot = row("azurerm_function_app_slot");
        assert_eq!(function_slot.kind, SiteKind::FunctionApp);
        assert_eq!(
            function_slot.control,
            CertControl::Unsupported {
                migrate_to: "azurerm_linux_function_app_slot / azurerm_windows_function_app_slot"
            }
        );
    }

    #[test]
    fn other_types_are_not_sites() {
        assert_eq!(
            lookup("azurerm_service_plan", ProviderVersion::Unknown),
            None
        );
        assert_eq!(
            lookup("AZURERM_LINUX_WEB_APP", ProviderVersion::Unknown),
            None
        );
    }
}
