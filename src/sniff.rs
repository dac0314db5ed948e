//! The cheap byte search that decides whether a file can matter at all, and to which front end.
//!
//! Most files in a repository hold no App Service; only files passing this search are parsed.

use memchr::memmem;

use crate::file_kind::FileKind;

/// What a file can contribute, as far as a byte search can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Interest {
    /// A Terraform file declaring an in-scope type or calling a module: its directory is a unit.
    TerraformModule,
    /// JSON that may be an ARM template with sites, or one that links to another template.
    ArmTemplate,
    /// JSON that may be a Terraform plan (`terraform show -json`) with in-scope types.
    TerraformPlan,
    /// A Bicep file naming the site type, or calling a local module (its callers must be
    /// read even when they declare no site).
    BicepFile,
    /// A `.bicepparam` file: read for the Bicep file its `using` names.
    BicepParams,
}

// Every search below looks for one literal with `memchr` (SIMD) and checks the few places it
// occurs; that is an order of magnitude faster than an automaton over all patterns here,
// because most bytes of a repository are not near any candidate.

/// Terraform: any in-scope azurerm resource type name. Every type starts with `azurerm_`, so
/// each `azurerm_` is checked for a whole type name.
pub fn names_terraform_type(bytes: &[u8]) -> bool {
    static PREFIX: std::sync::LazyLock<memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memmem::Finder::new(b"azurerm_"));
    PREFIX.find_iter(bytes).any(|at| {
        crate::terraform::RESOURCE_TYPES
            .iter()
            .any(|name| bytes[at..].starts_with(name.as_bytes()))
    })
}

/// A module call, in native (`module "`) or JSON (`"module"`) syntax: callers must be read
/// even when they declare no site.
pub fn calls_module(bytes: &[u8]) -> bool {
    static KEYWORD: std::sync::LazyLock<memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memmem::Finder::new(b"module"));
    KEYWORD.find_iter(bytes).any(|at| {
        let after = &bytes[at + "module".len()..];
        after.starts_with(b" \"") || (after.starts_with(b"\"") && at > 0 && bytes[at - 1] == b'"')
    })
}

/// ARM: `Microsoft.Web/sites` in any case (ARM types are case-insensitive); slots declared as
/// children (`"type": "slots"`) always sit inside a site. `relativePath` marks a template that
/// links to a local template, which is judged through it.
fn arm_candidate(bytes: &[u8]) -> bool {
    names_site_type(bytes) || contains_ignore_ascii_case(bytes, b"relativepath", 6)
}

/// `Microsoft.Web/sites` in any case (ARM and Bicep resource types are case-insensitive).
pub fn names_site_type(bytes: &[u8]) -> bool {
    contains_ignore_ascii_case(bytes, b"microsoft.web/sites", 13)
}

/// Whether `needle` (lowercase ASCII) occurs in `bytes` in any ASCII case. `anchor` is the
/// index of a byte of `needle` that is rare in text (a `/`, a `v`): its occurrences are found
/// with `memchr` and the needle is compared around each.
fn contains_ignore_ascii_case(bytes: &[u8], needle: &[u8], anchor: usize) -> bool {
    let lower = needle[anchor];
    let upper = lower.to_ascii_uppercase();
    memchr::memchr2_iter(lower, upper, bytes).any(|at| {
        at.checked_sub(anchor)
            .and_then(|start| bytes.get(start..start + needle.len()))
            .is_some_and(|window| window.eq_ignore_ascii_case(needle))
    })
}

/// A Terraform plan (`terraform show -json`) states its format version.
fn plan_candidate(bytes: &[u8]) -> bool {
    memmem::find(bytes, b"\"format_version\"").is_some()
}

/// What a file of this kind with these bytes can contribute, if anything.
pub fn interest(kind: FileKind, bytes: &[u8]) -> Option<Interest> {
    match kind {
        FileKind::Terraform | FileKind::TerraformJson => (names_terraform_type(bytes)
            || calls_module(bytes))
        .then_some(Interest::TerraformModule),
        FileKind::Json => {
            if plan_candidate(bytes) && names_terraform_type(bytes) {
                Some(Interest::TerraformPlan)
            } else {
                arm_candidate(bytes).then_some(Interest::ArmTemplate)
            }
        }
        FileKind::Bicep => {
            crate::bicep::outline::is_interesting(bytes).then_some(Interest::BicepFile)
        }
        // Parameter files are small and name no type: which template they feed is read from
        // their `using` line by the Bicep front end.
        FileKind::BicepParams => Some(Interest::BicepParams),
        // Never discovered: read only for the unit that uses them.
        FileKind::TerraformVars | FileKind::TerraformVarsJson | FileKind::ArmParameters => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_terraform_type_starts_with_the_prefix_searched_for() {
        assert!(
            crate::terraform::RESOURCE_TYPES
                .iter()
                .all(|name| name.starts_with("azurerm_"))
        );
    }

    #[test]
    fn searches_find_candidates_at_the_edges_and_in_any_case() {
        assert!(calls_module(b"module \"a\""));
        assert!(calls_module(b"\"module\": {}"));
        assert!(!calls_module(b"module"));
        assert!(!calls_module(b"modules \"a\""));
        assert!(!calls_module(b"module\""));
        assert!(names_terraform_type(b"azurerm_function_app"));
        assert!(!names_terraform_type(b"azurerm_function_ap"));
        assert!(!names_terraform_type(b"azurerm_storage_account azurerm_"));
        assert!(names_site_type(b"Microsoft.Web/Sites"));
        assert!(names_site_type(b"x MICROSOFT.WEB/SITES/slots"));
        assert!(!names_site_type(b"/sites"));
        assert!(!names_site_type(b"microsoft.web/site"));
        assert!(arm_candidate(b"\"RelativePath\": \"a.json\""));
        assert!(arm_candidate(b"relativepath"));
        assert!(!arm_candidate(b"relative path v"));
    }

    #[test]
    fn finds_terraform_types_module_calls_arm_types_and_plans() {
        let tf = |text: &str| interest(FileKind::Terraform, text.as_bytes());
        let json = |text: &str| interest(FileKind::Json, text.as_bytes());
        assert_eq!(
            tf("resource \"azurerm_linux_web_app\" \"a\" {}"),
            Some(Interest::TerraformModule)
        );
        assert_eq!(
            tf("module \"web\" { source = \"../web\" }"),
            Some(Interest::TerraformModule)
        );
        assert_eq!(tf("resource \"azurerm_storage_account\" \"a\" {}"), None);
        assert_eq!(
            json("{\"type\": \"MICROSOFT.WEB/Sites/slots\"}"),
            Some(Interest::ArmTemplate)
        );
        assert_eq!(
            json("{\"templateLink\": {\"relativePath\": \"web.json\"}}"),
            Some(Interest::ArmTemplate)
        );
        assert_eq!(
            json("{\"format_version\": \"1.2\", \"type\": \"azurerm_linux_web_app\"}"),
            Some(Interest::TerraformPlan)
        );
        assert_eq!(json("{\"name\": \"package\"}"), None);
        let bicep = |text: &str| interest(FileKind::Bicep, text.as_bytes());
        assert_eq!(
            bicep("resource site 'Microsoft.Web/sites@2023-12-01' = {}"),
            Some(Interest::BicepFile)
        );
        assert_eq!(
            bicep("module web './web.bicep' = { params: {} }"),
            Some(Interest::BicepFile)
        );
        assert_eq!(
            bicep("module web 'br/public:avm/res/web/site:0.1.0' = {}"),
            None
        );
        assert_eq!(bicep("param location string"), None);
        assert_eq!(
            bicep("resource s 'MICROSOFT.WEB/SITES@2023-12-01' = {}"),
            Some(Interest::BicepFile)
        );
        assert_eq!(
            interest(FileKind::BicepParams, b"using './main.bicep'"),
            Some(Interest::BicepParams)
        );
    }
}
