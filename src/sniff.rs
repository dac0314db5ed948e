//! The cheap byte search that decides whether a file can matter at all, and to which front end.
//!
//! Most files in a repository hold no App Service; only files passing this search are parsed.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

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

/// Terraform: any in-scope azurerm resource type name.
static TERRAFORM_TYPES: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::new(crate::terraform::RESOURCE_TYPES).expect("static patterns compile")
});

/// A module call, in native or JSON syntax: callers must be read even when they declare no site.
static MODULE_CALL: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::new(["module \"", "\"module\""]).expect("static patterns compile")
});

/// ARM: `Microsoft.Web/sites` in any case (ARM types are case-insensitive); slots declared as
/// children (`"type": "slots"`) always sit inside a site. `relativePath` marks a template that
/// links to a local template, which is judged through it.
static ARM: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(["microsoft.web/sites", "relativepath"])
        .expect("static patterns compile")
});

static PLAN: LazyLock<AhoCorasick> =
    LazyLock::new(|| AhoCorasick::new(["\"format_version\""]).expect("static patterns compile"));

/// What a file of this kind with these bytes can contribute, if anything.
pub fn interest(kind: FileKind, bytes: &[u8]) -> Option<Interest> {
    match kind {
        FileKind::Terraform | FileKind::TerraformJson => (TERRAFORM_TYPES.is_match(bytes)
            || MODULE_CALL.is_match(bytes))
        .then_some(Interest::TerraformModule),
        FileKind::Json => {
            if PLAN.is_match(bytes) && TERRAFORM_TYPES.is_match(bytes) {
                Some(Interest::TerraformPlan)
            } else {
                ARM.is_match(bytes).then_some(Interest::ArmTemplate)
            }
        }
        FileKind::Bicep => {
            crate::bicep::outline::is_interesting(bytes).then_some(Interest::BicepFile)
        }
        // Parameter files are small and name no type: which template they feed is read from
        // their `using` line by the Bicep front end.
        FileKind::BicepParams => Some(Interest::BicepParams),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            interest(FileKind::BicepParams, b"using './main.bicep'"),
            Some(Interest::BicepParams)
        );
    }
}
