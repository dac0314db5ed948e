//! Terraform's override files: which files they are, and how their blocks (resources,
//! variables, locals, module calls) merge over the ones declared in the module's other files.

use std::path::Path;

use super::syntax::{Attribute, ModuleCall, NestedBlock, ResourceBlock, Variable, set_attribute};

/// `override.tf`, `override.tf.json`, `*_override.tf` and `*_override.tf.json`, as Terraform
/// names them (case-sensitive, like Terraform on every platform).
pub fn is_override_file(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|name| name.to_string_lossy()) else {
        return false;
    };
    let stem = name
        .strip_suffix(".tf.json")
        .or_else(|| name.strip_suffix(".tf"));
    stem.is_some_and(|stem| stem == "override" || stem.ends_with("_override"))
}

/// Merges `overrides` (already in Terraform's processing order: override files by name) into
/// `originals`. A block with the same type and name replaces the original's top-level
/// attributes one by one; the original keeps its header, file and every attribute the override
/// does not mention. Nested blocks (`site_config`) of a type the override writes (statically or
/// as `dynamic`) replace all the original's of that type, as Terraform does. An override with
/// no original is dropped: Terraform rejects it, and there is
/// no declaration to report on.
pub fn merge(originals: &mut [ResourceBlock], overrides: Vec<ResourceBlock>) {
    for over in overrides {
        let Some(original) = originals
            .iter_mut()
            .find(|o| o.resource_type == over.resource_type && o.name == over.name)
        else {
            continue;
        };
        for attribute in over.attributes {
            original.set_attribute(attribute);
        }
        let generated = |block: &NestedBlock| block.label.clone().unwrap_or(block.ident.clone());
        let replaced: Vec<String> = over.nested.iter().map(generated).collect();
        original
            .nested
            .retain(|block| !replaced.contains(&generated(block)));
        original.nested.extend(over.nested);
    }
}

/// Merges override variables: each field the override sets replaces the original's.
pub fn merge_variables(originals: &mut [Variable], overrides: Vec<Variable>) {
    for over in overrides {
        let Some(original) = originals.iter_mut().find(|o| o.name == over.name) else {
            continue;
        };
        if over.default.is_some() {
            original.default = over.default;
        }
        if over.type_constraint.is_some() {
            original.type_constraint = over.type_constraint;
        }
        if over.nullable.is_some() {
            original.nullable = over.nullable;
        }
    }
}

/// Merges override locals: an override replaces the local of the same name.
pub fn merge_locals(originals: &mut super::by_name::ByName<Attribute>, overrides: Vec<Attribute>) {
    for over in overrides {
        if let Some(original) = originals.get_mut(&over.name) {
            *original = over;
        }
    }
}

/// Merges override module calls attribute by attribute, like resources.
pub fn merge_calls(originals: &mut [ModuleCall], overrides: Vec<ModuleCall>) {
    for over in overrides {
        if let Some(original) = originals.iter_mut().find(|o| o.name == over.name) {
            for attribute in over.attributes {
                set_attribute(&mut original.attributes, attribute);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Syntax;
    use crate::source::{SourceFile, Span};
    use crate::terraform::hcl;

    fn blocks(file: usize, text: &str) -> Vec<ResourceBlock> {
        hcl::read(file, &SourceFile::new("x.tf".into(), text))
            .unwrap()
            .resources
    }

    #[test]
    fn recognises_override_file_names() {
        for name in [
            "override.tf",
            "override.tf.json",
            "web_override.tf",
            "dir/a_override.tf.json",
        ] {
            assert!(is_override_file(Path::new(name)), "{name}");
        }
        for name in [
            "main.tf",
            "overrides.tf",
            "myoverride.tf",
            "override.tfvars",
            "web_override.tf.bak",
            "Override.tf",
        ] {
            assert!(!is_override_file(Path::new(name)), "{name}");
        }
    }

    #[test]
    fn override_replaces_attributes_one_by_one() {
        let main = "resource \"azurerm_linux_web_app\" \"a\" {\n  name = \"a\"\n  client_certificate_enabled = false\n  client_certificate_mode = \"Optional\"\n}\n";
        let over = "resource \"azurerm_linux_web_app\" \"a\" {\n  client_certificate_enabled = true\n  client_certificate_exclusion_paths = \"/health\"\n}\n";
        let mut originals = blocks(0, main);
        merge(&mut originals, blocks(1, over));
        let block = &originals[0];
        assert_eq!(block.header.file, 0);
        assert_eq!(block.header, Span::new(0, 0..main.find(" {").unwrap()));
        assert_eq!(block.syntax, Syntax::Hcl);
        let names: Vec<&str> = block.attributes.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "name",
                "client_certificate_enabled",
                "client_certificate_mode",
                "client_certificate_exclusion_paths"
            ]
        );
        // The replaced attribute now points into the override file.
        assert_eq!(
            block
                .attribute("client_certificate_enabled")
                .unwrap()
                .span
                .file,
            1
        );
        assert_eq!(
            block
                .attribute("client_certificate_mode")
                .unwrap()
                .span
                .file,
            0
        );
    }

    #[test]
    fn later_overrides_win_and_orphans_are_ignored() {
        let mut originals = blocks(
            0,
            "resource \"azurerm_linux_web_app\" \"a\" {\n  x = 1\n}\n",
        );
        let mut overrides = blocks(
            1,
            "resource \"azurerm_linux_web_app\" \"a\" {\n  x = 2\n}\nresource \"azurerm_linux_web_app\" \"orphan\" {\n  x = 3\n}\n",
        );
        overrides.extend(blocks(
            2,
            "resource \"azurerm_linux_web_app\" \"a\" {\n  x = 4\n}\n",
        ));
        merge(&mut originals, overrides);
        assert_eq!(originals.len(), 1);
        assert_eq!(originals[0].attribute("x").unwrap().span.file, 2);
    }
}
