//! Finds where the configuration next to a plan declares a planned resource, so a finding can
//! name the `.tf` file the fix goes into.
//!
//! A plan records no source positions, so this is a cheap byte search through the loader:
//! `resource "TYPE" "NAME"` starting a line in a `.tf` file of the resource's module
//! directory. The root module's directory is the plan file's own; a module's is found by
//! following the local `source` paths (`./…`, `../…`) of `configuration.root_module`'s
//! `module_calls`. Not found (the plan was moved away from its configuration, a registry or git
//! module, a `.tf.json` declaration, unquoted labels): no origin, the finding still points into
//! the plan.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::json::Json;
use crate::load::{Loaded, Loader};
use crate::model::{Origin, OriginKind};
use crate::source::Span;

use super::address::module_path;

/// Looks up declarations for one plan, listing and loading each directory once.
pub struct Declarations<'p, 'l> {
    loader: &'p Loader<'l>,
    plan_dir: PathBuf,
    configuration: Option<&'p Json>,
    files: HashMap<PathBuf, Vec<Loaded>>,
    /// Answers by declaration address: instances of one declaration ask again.
    found: HashMap<String, Option<Origin>>,
}

impl<'p, 'l> Declarations<'p, 'l> {
    pub fn new(loader: &'p Loader<'l>, plan_path: &Path, configuration: Option<&'p Json>) -> Self {
        Declarations {
            loader,
            plan_dir: plan_path
                .parent()
                .map_or_else(PathBuf::new, crate::paths::normalize),
            configuration,
            files: HashMap::new(),
            found: HashMap::new(),
        }
    }

    /// Where `declaration` (an address without instance keys) is declared, as an origin step.
    pub fn find(&mut self, declaration: &str, resource_type: &str, name: &str) -> Option<Origin> {
        if let Some(found) = self.found.get(declaration) {
            return found.clone();
        }
        let found = self.search(declaration, resource_type, name);
        self.found.insert(declaration.to_string(), found.clone());
        found
    }

    fn search(&mut self, declaration: &str, resource_type: &str, name: &str) -> Option<Origin> {
        // A module directory that is not there (the plan was moved, a module not checked out)
        // simply has no declaration: listing it would record an error.
        let dir = self
            .module_dir(&module_path(declaration))
            .filter(|dir| self.loader.allowed_dir(dir))
            .filter(|dir| dir.as_os_str().is_empty() || self.loader.is_dir(dir))?;
        let loader = self.loader;
        let files = self.files.entry(dir.clone()).or_insert_with(|| {
            loader
                .list_dir(&dir, |path| {
                    crate::file_kind::FileKind::of(path)
                        == Some(crate::file_kind::FileKind::Terraform)
                })
                .iter()
                .filter_map(|path| loader.file(path))
                .collect()
        });
        files.iter().find_map(|file| {
            let header = find_header(file.source.text(), resource_type, name)?;
            let path = file.source.path();
            let shown = path.strip_prefix(&self.plan_dir).unwrap_or(path);
            Some(Origin::new(
                OriginKind::PlanDeclaration,
                Span::new(file.id, header),
                format!(
                    "declared in {} (the fix goes there, not into the plan)",
                    crate::paths::path_text(shown)
                ),
            ))
        })
    }

    /// The directory of the module the call names lead to, when every call has a local source.
    fn module_dir(&self, calls: &[&str]) -> Option<PathBuf> {
        let mut dir = self.plan_dir.clone();
        let mut module = self.configuration.and_then(|c| c.get("root_module"));
        for call_name in calls {
            let call = module?.get("module_calls")?.get(call_name)?;
            let source = call.get("source")?.as_str()?;
            if !(source.starts_with("./") || source.starts_with("../")) {
                return None;
            }
            dir = crate::paths::normalize(&dir.join(source));
            module = call.get("module");
        }
        Some(dir)
    }
}

/// The span of `resource "TYPE" "NAME"` when it starts a line of `text` (after indentation),
/// which keeps mentions in comments and most heredocs out.
fn find_header(text: &str, resource_type: &str, name: &str) -> Option<Range<usize>> {
    let quoted_type = format!("\"{resource_type}\"");
    let quoted_name = format!("\"{name}\"");
    let blank = [' ', '\t'];
    text.match_indices(&quoted_type).find_map(|(at, _)| {
        let before = text[..at].trim_end_matches(blank);
        if before.len() == at {
            return None;
        }
        let keyword = before.strip_suffix("resource")?.len();
        let line_start = text[..keyword].rfind('\n').map_or(0, |newline| newline + 1);
        if !text[line_start..keyword].trim().is_empty() {
            return None;
        }
        let after_type = at + quoted_type.len();
        let rest = text[after_type..].trim_start_matches(blank);
        let name_at = text.len() - rest.len();
        rest.starts_with(&quoted_name)
            .then(|| keyword..name_at + quoted_name.len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_block_header_and_not_mentions() {
        let text = "# resource \"azurerm_linux_web_app\" \"api\" {}\n\
                    locals { x = \"resource \\\"azurerm_linux_web_app\\\" \\\"api\\\"\" }\n\
                    resource \"azurerm_linux_web_app\" \"apiv2\" {}\n\
                    \tresource  \"azurerm_linux_web_app\"\t\"api\" {\n}\n";
        let span = find_header(text, "azurerm_linux_web_app", "api").unwrap();
        assert_eq!(&text[span], "resource  \"azurerm_linux_web_app\"\t\"api\"");
        assert_eq!(find_header(text, "azurerm_linux_web_app", "web"), None);
        assert_eq!(
            find_header(
                "resource\"azurerm_linux_web_app\" \"api\"",
                "azurerm_linux_web_app",
                "api"
            ),
            None
        );
    }

    #[test]
    fn follows_local_module_sources_only() {
        let configuration = crate::json::parse(
            r#"{"root_module": {"module_calls": {
                "web": {"source": "../modules/web", "module": {"module_calls": {
                    "inner": {"source": "./inner"}, "remote": {"source": "Azure/avm-res-web-site/azurerm"}}}}}}}"#,
        )
        .unwrap();
        let sources = crate::source::SourceMap::default();
        let loader = Loader::new(&sources);
        let declarations = Declarations::new(
            &loader,
            Path::new("envs/prod/plan.json"),
            Some(&configuration.root),
        );
        assert_eq!(
            declarations.module_dir(&[]),
            Some(PathBuf::from("envs/prod"))
        );
        assert_eq!(
            declarations.module_dir(&["web", "inner"]),
            Some(PathBuf::from("envs/modules/web/inner"))
        );
        assert_eq!(declarations.module_dir(&["web", "remote"]), None);
        assert_eq!(declarations.module_dir(&["missing"]), None);
    }

    #[test]
    fn names_the_declaring_file_in_the_root_and_in_a_local_module() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("modules/web")).unwrap();
        std::fs::write(
            root.join("main.tf"),
            "module \"web\" {\n  source = \"./modules/web\"\n}\n\nresource \"azurerm_linux_web_app\" \"admin\" {}\n",
        )
        .unwrap();
        std::fs::write(
            root.join("modules/web/app.tf"),
            "resource \"azurerm_linux_web_app\" \"this\" {}\n",
        )
        .unwrap();
        let configuration = crate::json::parse(
            r#"{"root_module": {"module_calls": {"web": {"source": "./modules/web"}}}}"#,
        )
        .unwrap();
        let sources = crate::source::SourceMap::default();
        let loader = Loader::new(&sources);
        let mut declarations =
            Declarations::new(&loader, &root.join("plan.json"), Some(&configuration.root));
        let admin = declarations
            .find(
                "azurerm_linux_web_app.admin",
                "azurerm_linux_web_app",
                "admin",
            )
            .unwrap();
        assert_eq!(
            admin.note,
            "declared in main.tf (the fix goes there, not into the plan)"
        );
        assert_eq!(admin.span.start, 45);
        let this = declarations
            .find(
                "module.web.azurerm_linux_web_app.this",
                "azurerm_linux_web_app",
                "this",
            )
            .unwrap();
        assert!(
            this.note.starts_with("declared in modules/web/app.tf"),
            "{}",
            this.note
        );
        assert_eq!(
            declarations.find(
                "module.other.azurerm_linux_web_app.this",
                "azurerm_linux_web_app",
                "this"
            ),
            None
        );
        drop(declarations);
        assert!(loader.into_errors().is_empty());
    }
}
