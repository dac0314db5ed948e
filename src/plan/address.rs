//! Splits a plan's resource instance address into the declaration it belongs to.
//!
//! `module.web["a"].azurerm_linux_web_app.this[0]` is one instance of the declaration
//! `module.web.azurerm_linux_web_app.this`. Instance keys are `[...]` groups; a string key may
//! hold brackets, dots and escaped quotes (`this["a[1]"]`, `this["x\"]"]`), so the keys are
//! skipped with a small scanner that knows strings, not with a search for `[`.

/// A plan address split into its declaration and whether it named an instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitAddress {
    /// The address without any instance key: shared by every instance of one declaration.
    pub declaration: String,
    /// Whether the address had an instance key anywhere (resource or module).
    pub has_instance_keys: bool,
}

/// Removes every instance key from `address`. An address whose brackets or quotes do not
/// balance is not something Terraform writes: it is kept whole, as its own declaration.
pub fn split(address: &str) -> SplitAddress {
    let mut declaration = String::with_capacity(address.len());
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut has_instance_keys = false;
    for c in address.chars() {
        if depth == 0 {
            if c == '[' {
                depth = 1;
                has_instance_keys = true;
            } else {
                declaration.push(c);
            }
            continue;
        }
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '[' => depth += 1,
            ']' => depth -= 1,
            _ => {}
        }
    }
    if depth != 0 || in_string {
        return SplitAddress {
            declaration: address.to_string(),
            has_instance_keys: false,
        };
    }
    SplitAddress {
        declaration,
        has_instance_keys,
    }
}

/// The module call names along a declaration address: `module.a.module.b.TYPE.NAME` gives
/// `["a", "b"]`. Only meaningful for an address without instance keys (see [`split`]).
pub fn module_path(declaration: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut segments = declaration.split('.');
    while let Some(segment) = segments.next() {
        if segment != "module" {
            break;
        }
        match segments.next() {
            Some(name) => names.push(name),
            None => break,
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn declaration(address: &str) -> (String, bool) {
        let split = split(address);
        (split.declaration, split.has_instance_keys)
    }

    #[test]
    fn plain_addresses_are_their_own_declaration() {
        assert_eq!(
            declaration("azurerm_linux_web_app.api"),
            ("azurerm_linux_web_app.api".into(), false)
        );
        assert_eq!(
            declaration("module.web.azurerm_linux_web_app.this"),
            ("module.web.azurerm_linux_web_app.this".into(), false)
        );
    }

    #[test]
    fn count_and_for_each_keys_are_removed_everywhere() {
        assert_eq!(
            declaration("azurerm_linux_web_app.api[0]"),
            ("azurerm_linux_web_app.api".into(), true)
        );
        assert_eq!(
            declaration(r#"module.web["a"].module.inner[2].azurerm_linux_web_app.this["b"]"#),
            (
                "module.web.module.inner.azurerm_linux_web_app.this".into(),
                true
            )
        );
    }

    #[test]
    fn brackets_dots_and_escaped_quotes_inside_string_keys_are_skipped() {
        assert_eq!(
            declaration(r#"azurerm_linux_web_app.this["a[1]"]"#),
            ("azurerm_linux_web_app.this".into(), true)
        );
        assert_eq!(
            declaration(r#"azurerm_linux_web_app.this["x]\"].y"]"#),
            ("azurerm_linux_web_app.this".into(), true)
        );
        assert_eq!(
            declaration(r#"module.m["k\\"].azurerm_linux_web_app.this"#),
            ("module.m.azurerm_linux_web_app.this".into(), true)
        );
    }

    #[test]
    fn unbalanced_addresses_are_kept_whole() {
        for address in [
            r#"azurerm_linux_web_app.this["a"#,
            "azurerm_linux_web_app.this[0",
            "azurerm_linux_web_app.this[[0]",
        ] {
            assert_eq!(declaration(address), (address.to_string(), false));
        }
        // A stray closing bracket outside a key is just a character.
        assert_eq!(declaration("a.b]").0, "a.b]");
    }

    #[test]
    fn module_path_lists_the_module_calls() {
        assert_eq!(
            module_path("module.a.module.b.azurerm_linux_web_app.this"),
            ["a", "b"]
        );
        assert!(module_path("azurerm_linux_web_app.this").is_empty());
        assert_eq!(module_path("module.a"), ["a"]);
    }
}
