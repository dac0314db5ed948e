//! What interests the Terraform front end in a file: a byte search for an in-scope type or a
//! module call (the search discovery runs on every `.tf` / `.tf.json` file, and the one that
//! decides which files of a helper module are parsed).

use memchr::memmem;

use super::RESOURCE_TYPES;

/// Any in-scope azurerm resource type name. Every type starts with `azurerm_`, so each
/// `azurerm_` is checked for a whole type name.
pub fn names_terraform_type(bytes: &[u8]) -> bool {
    static PREFIX: std::sync::LazyLock<memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memmem::Finder::new(b"azurerm_"));
    PREFIX.find_iter(bytes).any(|at| {
        RESOURCE_TYPES
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

/// Whether a configuration file's text (decoded for the search) can make its directory a
/// unit: it names an in-scope type or calls a module.
pub fn interests(bytes: &[u8]) -> bool {
    names_terraform_type(bytes) || calls_module(bytes)
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
    }
}
