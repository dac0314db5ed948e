//! The Terraform front end: one module directory's `.tf` and `.tf.json` files in, model
//! resources out.
//!
//! Pipeline: read each file into resource blocks ([`hcl`], [`json_syntax`]), merge override
//! files over the others ([`overrides`]), then lower blocks to resources ([`lower`]) using the
//! azurerm type table ([`types`]).

mod hcl;
mod json_syntax;
mod lower;
mod nesting;
mod overrides;
mod syntax;
mod types;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

pub use syntax::{Attribute, AttributeExpr, ResourceBlock};
pub use types::{ProviderVersion, RESOURCE_TYPES, TypeInfo, lookup};

use crate::error::FileError;
use crate::model::UnitScan;
use crate::source::{FileId, SourceFile, Span};

/// One file of a Terraform module directory, already loaded.
pub struct ModuleFile {
    pub id: FileId,
    pub source: Arc<SourceFile>,
}

/// Scans one module directory (all its `.tf` and `.tf.json` files together, as Terraform reads
/// them). Files with other names are ignored. A file that cannot be parsed is reported in
/// [`UnitScan::errors`] and the others are still scanned.
pub fn scan_module(files: &[ModuleFile]) -> UnitScan {
    scan_module_with(files, ProviderVersion::Unknown)
}

/// [`scan_module`] with a known azurerm provider version (it decides some defaults).
pub fn scan_module_with(files: &[ModuleFile], version: ProviderVersion) -> UnitScan {
    let mut scan = UnitScan::default();
    // Terraform reads primary files first and override files after them, each in name order.
    let mut ordered: Vec<(bool, &ModuleFile)> = files
        .iter()
        .filter(|file| syntax_of(file.source.path()).is_some())
        .map(|file| (overrides::is_override_file(file.source.path()), file))
        .collect();
    ordered.sort_by(|(a_over, a), (b_over, b)| {
        (a_over, a.source.path().file_name(), a.source.path()).cmp(&(
            b_over,
            b.source.path().file_name(),
            b.source.path(),
        ))
    });

    let mut originals: Vec<ResourceBlock> = Vec::new();
    let mut replacements: Vec<ResourceBlock> = Vec::new();
    let mut declared: HashMap<(String, String), Span> = HashMap::new();
    for (is_override, file) in ordered {
        let read = match syntax_of(file.source.path()) {
            Some(FileSyntax::Json) => json_syntax::read(file.id, &file.source),
            _ => hcl::read(file.id, &file.source),
        };
        let blocks = match read {
            Ok(blocks) => blocks,
            Err(error) => {
                scan.errors.push(error);
                continue;
            }
        };
        if is_override {
            replacements.extend(blocks);
            continue;
        }
        for block in blocks {
            let key = (block.resource_type.clone(), block.name.clone());
            if let Some(first) = declared.get(&key) {
                // Terraform refuses a module that declares one address twice.
                scan.errors
                    .push(duplicate_error(files, &file.source, &block, *first));
                continue;
            }
            declared.insert(key, block.header);
            originals.push(block);
        }
    }
    overrides::merge(&mut originals, replacements);

    let texts: HashMap<FileId, &str> = files
        .iter()
        .map(|file| (file.id, file.source.text()))
        .collect();
    let source_text = |span: Span| {
        texts
            .get(&span.file)
            .and_then(|text| text.get(span.range()))
    };
    scan.resources = originals
        .iter()
        .filter_map(|block| lower::lower(block, version, &source_text))
        .collect();
    scan
}

enum FileSyntax {
    Native,
    Json,
}

/// Terraform reads a directory's files by suffix: `.tf.json` is JSON syntax, `.tf` native.
fn syntax_of(path: &Path) -> Option<FileSyntax> {
    let name = path.file_name()?.to_str()?;
    if name.ends_with(".tf.json") {
        Some(FileSyntax::Json)
    } else if name.ends_with(".tf") {
        Some(FileSyntax::Native)
    } else {
        None
    }
}

fn duplicate_error(
    files: &[ModuleFile],
    source: &SourceFile,
    block: &ResourceBlock,
    first: Span,
) -> FileError {
    let place = files
        .iter()
        .find(|file| file.id == first.file)
        .map(|file| {
            let at = file.source.line_col(first.start);
            format!("{} line {}", file.source.path().display(), at.line)
        })
        .unwrap_or_else(|| "another file".to_string());
    FileError::at(
        source.path(),
        block.header,
        format!(
            "`{}` is declared twice in this module; the first declaration is at {place}",
            block.address()
        ),
    )
}

/// Scans the Terraform module directories that hold candidate files (in-scope types or module
/// calls), reading each directory's files through the loader.
pub fn scan_project(
    dirs: &[std::path::PathBuf],
    loader: &crate::load::Loader,
    _settings: &crate::scan::Settings,
) -> UnitScan {
    use rayon::prelude::*;
    let scans: Vec<UnitScan> = dirs
        .par_iter()
        .map(|dir| {
            let files: Vec<ModuleFile> = loader
                .list_dir(dir, |path| syntax_of(path).is_some())
                .iter()
                .filter_map(|path| loader.file(path))
                .map(|loaded| ModuleFile {
                    id: loaded.id,
                    source: loaded.source,
                })
                .collect();
            scan_module(&files)
        })
        .collect();
    let mut all = UnitScan::default();
    for scan in scans {
        all.resources.extend(scan.resources);
        all.errors.extend(scan.errors);
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Data, Resource};

    fn module(files: &[(&str, &str)]) -> Vec<ModuleFile> {
        files
            .iter()
            .enumerate()
            .map(|(id, (path, text))| ModuleFile {
                id: id + 10,
                source: Arc::new(SourceFile::new(path.into(), *text)),
            })
            .collect()
    }

    fn enabled(resource: &Resource) -> Option<&Data> {
        resource.enabled.as_ref().map(|value| &value.data)
    }

    #[test]
    fn scans_native_and_json_files_together() {
        let files = module(&[
            (
                "mod/web.tf",
                "resource \"azurerm_linux_web_app\" \"web\" {\n  client_certificate_enabled = true\n}\nresource \"azurerm_service_plan\" \"plan\" {}\n",
            ),
            (
                "mod/fn.tf.json",
                r#"{"resource": {"azurerm_linux_function_app": {"fn": {"client_certificate_enabled": false}}}}"#,
            ),
            ("mod/terraform.tfvars", "x = 1\n"),
            (
                "mod/notes.txt",
                "resource \"azurerm_linux_web_app\" \"no\" {}\n",
            ),
        ]);
        let scan = scan_module(&files);
        assert!(scan.errors.is_empty(), "{:?}", scan.errors);
        let addresses: Vec<&str> = scan.resources.iter().map(|r| r.address.as_str()).collect();
        // Files in name order: fn.tf.json before web.tf.
        assert_eq!(
            addresses,
            ["azurerm_linux_function_app.fn", "azurerm_linux_web_app.web"]
        );
        assert_eq!(scan.resources[0].header.file, 11);
        assert_eq!(enabled(&scan.resources[0]), Some(&Data::Bool(false)));
        assert_eq!(enabled(&scan.resources[1]), Some(&Data::Bool(true)));
    }

    #[test]
    fn override_files_merge_over_the_others_in_name_order() {
        let files = module(&[
            (
                "z_override.tf",
                "resource \"azurerm_linux_web_app\" \"web\" {\n  client_certificate_mode = \"Optional\"\n}\n",
            ),
            (
                "override.tf.json",
                r#"{"resource": {"azurerm_linux_web_app": {"web": {"client_certificate_enabled": true, "client_certificate_mode": "OptionalInteractiveUser"}}}}"#,
            ),
            (
                "main.tf",
                "resource \"azurerm_linux_web_app\" \"web\" {\n  client_certificate_enabled = false\n  client_certificate_mode = \"Required\"\n}\n",
            ),
            (
                "orphan_override.tf",
                "resource \"azurerm_linux_web_app\" \"ghost\" {}\n",
            ),
        ]);
        let scan = scan_module(&files);
        assert!(scan.errors.is_empty(), "{:?}", scan.errors);
        assert_eq!(scan.resources.len(), 1);
        let web = &scan.resources[0];
        // The declaration stays in main.tf; values come from the overrides.
        assert_eq!(web.header.file, 12);
        let enabled = web.enabled.as_ref().unwrap();
        assert_eq!(enabled.data, Data::Bool(true));
        assert_eq!(enabled.span.file, 11);
        // override.tf.json sorts before z_override.tf, so z_override.tf has the last word.
        let mode = web.mode.as_ref().unwrap();
        assert_eq!(mode.data, Data::String("Optional".into()));
        assert_eq!(mode.span.file, 10);
    }

    #[test]
    fn a_broken_file_is_reported_and_the_rest_still_scanned() {
        let files = module(&[
            (
                "bad.tf",
                "resource \"azurerm_linux_web_app\" \"bad\" {\n  name = \n}\n",
            ),
            ("bad.tf.json", "{\"resource\": "),
            (
                "good.tf",
                "resource \"azurerm_windows_web_app\" \"good\" {}\n",
            ),
        ]);
        let scan = scan_module(&files);
        let paths: Vec<&Path> = scan.errors.iter().map(|e| e.path.as_path()).collect();
        assert_eq!(paths, [Path::new("bad.tf"), Path::new("bad.tf.json")]);
        assert!(scan.errors.iter().all(|e| e.span.is_some()));
        let addresses: Vec<&str> = scan.resources.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(addresses, ["azurerm_windows_web_app.good"]);
    }

    #[test]
    fn duplicate_declarations_are_errors() {
        let files = module(&[
            (
                "a.tf",
                "resource \"azurerm_linux_web_app\" \"web\" {\n  client_certificate_enabled = true\n}\n",
            ),
            ("b.tf", "\nresource \"azurerm_linux_web_app\" \"web\" {}\n"),
        ]);
        let scan = scan_module(&files);
        assert_eq!(scan.resources.len(), 1);
        assert_eq!(enabled(&scan.resources[0]), Some(&Data::Bool(true)));
        assert_eq!(scan.errors.len(), 1);
        let error = &scan.errors[0];
        assert_eq!(error.path, Path::new("b.tf"));
        assert_eq!(error.span.unwrap().start, 1);
        assert_eq!(
            error.message,
            "`azurerm_linux_web_app.web` is declared twice in this module; the first declaration is at a.tf line 1"
        );
    }

    #[test]
    fn resource_types_are_exported_for_sniffing() {
        assert!(RESOURCE_TYPES.contains(&"azurerm_logic_app_standard"));
        assert!(lookup("azurerm_linux_web_app", ProviderVersion::Unknown).is_some());
    }
}
