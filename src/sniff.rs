//! The cheap byte search that decides whether a file can declare an App Service at all.
//!
//! Most files in a repository hold no App Service; only files passing this search are parsed.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use crate::file_kind::FileKind;

/// Terraform: any in-scope azurerm resource type name.
static TERRAFORM: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::new(crate::terraform::RESOURCE_TYPES).expect("static patterns compile")
});

/// ARM: `Microsoft.Web/sites` in any case (ARM types are case-insensitive). Slots declared as
/// children (`"type": "slots"`) always sit inside a site, so the same needle finds them.
static ARM: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(["microsoft.web/sites"])
        .expect("static patterns compile")
});

/// Whether a file of this kind with these bytes can declare an in-scope resource.
pub fn is_candidate(kind: FileKind, bytes: &[u8]) -> bool {
    match kind {
        FileKind::Terraform | FileKind::TerraformJson => TERRAFORM.is_match(bytes),
        FileKind::Json => ARM.is_match(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_terraform_types_and_arm_types_in_any_case() {
        assert!(is_candidate(
            FileKind::Terraform,
            b"resource \"azurerm_linux_web_app\" \"a\" {}"
        ));
        assert!(!is_candidate(
            FileKind::Terraform,
            b"resource \"azurerm_storage_account\" \"a\" {}"
        ));
        assert!(is_candidate(
            FileKind::Json,
            b"{\"type\": \"MICROSOFT.WEB/Sites/slots\"}"
        ));
        assert!(!is_candidate(FileKind::Json, b"{\"name\": \"package\"}"));
    }
}
