//! What interests the Terraform front end in a file: a byte search for an in-scope type, a
//! module call, a template deployment or an AzAPI block that can deploy a site (the search
//! discovery runs on every `.tf` / `.tf.json` file, and the one that decides which files of a
//! helper module are parsed).

use memchr::memmem;

use super::RESOURCE_TYPES;

/// Any in-scope azurerm resource type name, or an ARM template deployment type (its template
/// may deploy a site). Every type starts with `azurerm_`, so each `azurerm_` is checked for a
/// whole type name.
pub fn names_terraform_type(bytes: &[u8]) -> bool {
    static PREFIX: std::sync::LazyLock<memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memmem::Finder::new(b"azurerm_"));
    PREFIX.find_iter(bytes).any(|at| {
        RESOURCE_TYPES
            .iter()
            .chain(super::embedded::TYPES)
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

/// Whether a configuration file's text (decoded for the search) can make its directory a
/// unit: it names an in-scope type, calls a module, or has an AzAPI block that can deploy a
/// site.
pub fn interests(bytes: &[u8]) -> bool {
    names_terraform_type(bytes)
        || calls_module(bytes)
        || names_azapi_site(bytes)
        || super::policy::names_assignment(bytes)
}

/// An `azapi_resource` / `azapi_update_resource` block that can deploy or change a site: the
/// file names `Microsoft.Web/sites` (or `Microsoft.Resources/deployments`) in any case, or one
/// of those blocks has a `type` that is not a string literal. Estates full of storage or
/// network AzAPI blocks with literal types are then never parsed.
pub fn names_azapi_site(bytes: &[u8]) -> bool {
    static BLOCK: std::sync::LazyLock<memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memmem::Finder::new(b"azapi_"));
    let blocks: Vec<usize> = BLOCK
        .find_iter(bytes)
        .filter(|&at| {
            let after = &bytes[at..];
            after.starts_with(b"azapi_resource\"") || after.starts_with(b"azapi_update_resource\"")
        })
        .collect();
    if blocks.is_empty() {
        return false;
    }
    let lower = bytes.to_ascii_lowercase();
    if memmem::find(&lower, b"microsoft.web/sites").is_some()
        || memmem::find(&lower, b"microsoft.resources/deployments").is_some()
    {
        return true;
    }
    blocks.iter().any(|&at| computed_type(&bytes[at..]))
}

/// Whether the block starting at `bytes` (native syntax, up to the next top-level `}` line)
/// has a `type = …` line whose value is not a quoted string; JSON syntax types are strings,
/// computed when they interpolate.
fn computed_type(bytes: &[u8]) -> bool {
    let end = memmem::find(bytes, b"\n}").unwrap_or(bytes.len());
    let block = &bytes[..end];
    let native = block.split(|&b| b == b'\n').any(|line| {
        let Some(rest) = line.trim_ascii_start().strip_prefix(b"type") else {
            return false;
        };
        rest.trim_ascii_start()
            .strip_prefix(b"=")
            .is_some_and(|value| !value.trim_ascii_start().starts_with(b"\""))
    });
    native
        || memmem::find_iter(block, b"\"type\"").any(|at| {
            let rest = block[at + 6..].trim_ascii_start();
            rest.strip_prefix(b":")
                .is_some_and(|value| value.trim_ascii_start().starts_with(b"\"${"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_terraform_type_starts_with_the_prefix_searched_for() {
        assert!(
            RESOURCE_TYPES
                .iter()
                .all(|name| name.starts_with("azurerm_"))
        );
    }

    #[test]
    fn searches_find_candidates_at_the_edges() {
        assert!(calls_module(b"module \"a\""));
        assert!(calls_module(b"\"module\": {}"));
        assert!(!calls_module(b"module"));
        assert!(!calls_module(b"modules \"a\""));
        assert!(!calls_module(b"module\""));
        assert!(names_terraform_type(b"azurerm_function_app"));
        assert!(!names_terraform_type(b"azurerm_function_ap"));
        assert!(!names_terraform_type(b"azurerm_storage_account azurerm_"));
        assert!(names_terraform_type(
            b"resource \"azurerm_tenant_template_deployment\" \"t\""
        ));
    }

    #[test]
    fn azapi_blocks_interest_only_when_they_can_deploy_a_site() {
        let site = b"resource \"azapi_resource\" \"a\" {\n  type = \"Microsoft.Web/sites@2024-04-01\"\n}\n";
        assert!(names_azapi_site(site));
        let upper =
            b"resource \"azapi_update_resource\" \"a\" {\n  type = \"MICROSOFT.WEB/SITES@1\"\n}\n";
        assert!(names_azapi_site(upper));
        let computed = b"resource \"azapi_resource\" \"a\" {\n  type      = var.types.site\n}\n";
        assert!(names_azapi_site(computed));
        let storage = b"resource \"azapi_resource\" \"a\" {\n  type = \"Microsoft.Storage/storageAccounts@2023-01-01\"\n  body = { kind = \"StorageV2\" }\n}\nvariable \"x\" {\n  type = string\n}\n";
        assert!(!names_azapi_site(storage));
        let json = b"{\"resource\": {\"azapi_resource\": {\"a\": {\"type\": \"${var.t}\"}}}}";
        assert!(names_azapi_site(json));
        assert!(!names_azapi_site(b"type = var.t\nmicrosoft.web/sites"));
    }
}
