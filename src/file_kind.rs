//! Which input formats a path can hold, decided by its name (and, for JSON, by its `$schema`).
//!
//! The case rules are the tools' own: Terraform matches its suffixes case-sensitively (its
//! config loader uses `strings.HasSuffix`), so `MAIN.TF` is no Terraform file; Bicep and ARM
//! compare extensions ignoring case (Bicep's `PathHelper.HasExtension` is `OrdinalIgnoreCase`),
//! so `MAIN.BICEP` and `AZUREDEPLOY.JSON` are read.

use std::path::Path;

use crate::json::Json;

/// The formats certgate reads, by file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    /// `*.tf` (case-sensitive)
    Terraform,
    /// `*.tf.json` (case-sensitive)
    TerraformJson,
    /// `*.tfvars` (case-sensitive): variable values, read for a module, never discovered.
    TerraformVars,
    /// `*.tfvars.json` (case-sensitive): variable values in JSON, never discovered.
    TerraformVarsJson,
    /// Any other `*.json`: maybe an ARM template or an inventory export, maybe nothing of ours.
    Json,
    /// A `*.json` whose content says it holds ARM parameter values ([`FileKind::of_json`]).
    ArmParameters,
    /// `*.bicep`
    Bicep,
    /// `*.bicepparam`: parameter values for the Bicep file its `using` names.
    BicepParams,
    /// `terragrunt.hcl` (exact name, case-sensitive: Terragrunt's default configuration name).
    Terragrunt,
}

/// Terraform's dependency lock file, read with a root module's files.
pub const TERRAFORM_LOCK_FILE: &str = ".terraform.lock.hcl";

/// Whether Terraform reads the variables file `name` without being told:
/// `terraform.tfvars(.json)` and `*.auto.tfvars(.json)`.
pub fn is_automatic_tfvars(name: &str) -> bool {
    name == "terraform.tfvars"
        || name == "terraform.tfvars.json"
        || name.ends_with(".auto.tfvars")
        || name.ends_with(".auto.tfvars.json")
}

/// Whether a file is among the files certgate reads of a Terraform module directory:
/// configuration files, automatic variables files and the lock file.
pub fn is_terraform_module_file(path: &Path) -> bool {
    let name = crate::path_map::split_name(path)
        .map(|(_, name)| name)
        .or_else(|| path.file_name())
        .unwrap_or_default();
    is_terraform_module_name(FileKind::of(path), name)
}

/// [`is_terraform_module_file`] for a file `name` whose kind is known (the walk asks about
/// every entry it meets, and has its kind already).
pub fn is_terraform_module_name(kind: Option<FileKind>, name: &std::ffi::OsStr) -> bool {
    match kind {
        Some(kind) if kind.is_terraform() => true,
        Some(FileKind::TerraformVars | FileKind::TerraformVarsJson) => {
            name.to_str().is_some_and(is_automatic_tfvars)
        }
        Some(_) => false,
        None => name == TERRAFORM_LOCK_FILE,
    }
}

const PARAMETERS_SCHEMA: &str = "deploymentparameters.json";
const TEMPLATE_SCHEMA: &str = "deploymenttemplate.json";

impl FileKind {
    /// Classifies a path by its file name; `None` for files certgate never reads.
    pub fn of(path: &Path) -> Option<FileKind> {
        // Only the ASCII suffix matters: a name that is not UTF-8 is still ours. Splitting at
        // the last `/` is the common case; `file_name` (which parses components) decides the
        // odd spellings (`a/`, `a/.`).
        let name = crate::path_map::split_name(path)
            .map(|(_, name)| name)
            .or_else(|| path.file_name())?;
        let name = name.to_string_lossy();
        if name == "terragrunt.hcl" {
            return Some(FileKind::Terragrunt);
        }
        // Terraform's suffixes first, exactly as written.
        for (suffix, kind) in [
            (".tf", FileKind::Terraform),
            (".tf.json", FileKind::TerraformJson),
            (".tfvars", FileKind::TerraformVars),
            (".tfvars.json", FileKind::TerraformVarsJson),
        ] {
            if name.ends_with(suffix) {
                return Some(kind);
            }
        }
        // Any case for the others, without lowering a copy of every discovered name.
        let ends_with = |suffix: &str| {
            name.len() >= suffix.len()
                && name.as_bytes()[name.len() - suffix.len()..]
                    .eq_ignore_ascii_case(suffix.as_bytes())
        };
        if ends_with(".json") {
            Some(FileKind::Json)
        } else if ends_with(".bicep") {
            Some(FileKind::Bicep)
        } else if ends_with(".bicepparam") {
            Some(FileKind::BicepParams)
        } else {
            None
        }
    }

    /// [`FileKind::of`], for the kinds discovery hands to the front ends: variable files are
    /// read only for the module (or run) that uses them.
    pub fn discovered(path: &Path) -> Option<FileKind> {
        FileKind::of(path).filter(|kind| kind.is_discovered())
    }

    /// Whether discovery collects files of this kind.
    pub fn is_discovered(self) -> bool {
        !matches!(
            self,
            FileKind::TerraformVars | FileKind::TerraformVarsJson | FileKind::ArmParameters
        )
    }

    /// What a parsed JSON root (of a `*.json` file that is no Terraform file) holds: ARM
    /// parameter values when its `$schema` names `deploymentParameters.json` (ARM reads names
    /// and the schema ignoring case), or, without a schema naming a template, when it has a
    /// `parameters` object and no `resources`; else [`FileKind::Json`].
    pub fn of_json(root: &Json) -> FileKind {
        if let Some(schema) = root.get_ignore_case("$schema").and_then(Json::as_str) {
            let schema = schema.to_ascii_lowercase();
            if schema.contains(PARAMETERS_SCHEMA) {
                return FileKind::ArmParameters;
            }
            if schema.contains(TEMPLATE_SCHEMA) {
                return FileKind::Json;
            }
        }
        let parameters = root
            .get_ignore_case("parameters")
            .is_some_and(Json::is_object)
            && root.get_ignore_case("resources").is_none();
        if parameters {
            FileKind::ArmParameters
        } else {
            FileKind::Json
        }
    }

    /// Terraform reads `.tf` and `.tf.json` files of a directory together as one module.
    pub fn is_terraform(self) -> bool {
        matches!(self, FileKind::Terraform | FileKind::TerraformJson)
    }

    /// Whether files of this kind are JSON text (Terraform's JSON syntax included).
    pub fn is_json(self) -> bool {
        matches!(
            self,
            FileKind::TerraformJson
                | FileKind::TerraformVarsJson
                | FileKind::Json
                | FileKind::ArmParameters
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_suffix() {
        assert_eq!(
            FileKind::of(Path::new("a/main.tf")),
            Some(FileKind::Terraform)
        );
        assert_eq!(
            FileKind::of(Path::new("x.tf.json")),
            Some(FileKind::TerraformJson)
        );
        assert_eq!(
            FileKind::of(Path::new("azuredeploy.json")),
            Some(FileKind::Json)
        );
        assert_eq!(
            FileKind::of(Path::new("infra/main.bicep")),
            Some(FileKind::Bicep)
        );
        assert_eq!(
            FileKind::of(Path::new("main.prod.bicepparam")),
            Some(FileKind::BicepParams)
        );
        assert_eq!(
            FileKind::of(Path::new("prod.auto.tfvars")),
            Some(FileKind::TerraformVars)
        );
        assert_eq!(
            FileKind::of(Path::new("terraform.tfvars.json")),
            Some(FileKind::TerraformVarsJson)
        );
        assert_eq!(FileKind::of(Path::new("README.md")), None);
    }

    /// Terraform's loader matches `.tf` case-sensitively: `MAIN.TF` is no configuration file,
    /// and an upper-case `.TF.JSON` is just JSON. Bicep and ARM ignore case.
    #[test]
    fn terraform_suffixes_are_case_sensitive_bicep_and_json_ignore_case() {
        assert_eq!(FileKind::of(Path::new("MAIN.TF")), None);
        assert_eq!(FileKind::of(Path::new("main.Tf")), None);
        assert_eq!(FileKind::of(Path::new("PROD.TFVARS")), None);
        assert_eq!(FileKind::of(Path::new("x.TF.JSON")), Some(FileKind::Json));
        assert_eq!(FileKind::of(Path::new("X.BICEP")), Some(FileKind::Bicep));
        assert_eq!(
            FileKind::of(Path::new("MAIN.BicepParam")),
            Some(FileKind::BicepParams)
        );
        assert_eq!(
            FileKind::of(Path::new("AZUREDEPLOY.JSON")),
            Some(FileKind::Json)
        );
    }

    #[test]
    fn odd_spellings_are_named_as_path_file_name_names_them() {
        for path in [
            "a/main.tf",
            "a//main.tf",
            "./main.tf",
            "a/main.tf/",
            "a/main.tf/.",
            "a/x.BICEP/",
            "a/..",
            ".",
            "/",
            "",
            "main.tf/..",
            "\u{e9}.Json",
        ] {
            let path = Path::new(path);
            let by_file_name = path
                .file_name()
                .and_then(|name| FileKind::of(Path::new(name)));
            assert_eq!(FileKind::of(path), by_file_name, "{path:?}");
        }
    }

    #[test]
    fn variable_files_are_not_discovered() {
        assert_eq!(FileKind::discovered(Path::new("prod.tfvars")), None);
        assert_eq!(FileKind::discovered(Path::new("a.tfvars.json")), None);
        assert_eq!(
            FileKind::discovered(Path::new("a.json")),
            Some(FileKind::Json)
        );
    }

    #[test]
    fn arm_parameters_are_told_by_schema_then_by_shape() {
        let kind = |text: &str| FileKind::of_json(&crate::json::parse(text).unwrap().root);
        let schema = "https://schema.management.azure.com/schemas/2019-04-01/";
        assert_eq!(
            kind(&format!(
                r#"{{"$SCHEMA": "{schema}deploymentParameters.json#", "parameters": {{}}}}"#
            )),
            FileKind::ArmParameters
        );
        assert_eq!(
            kind(&format!(
                r#"{{"$schema": "{schema}deploymentTemplate.json#", "parameters": {{}}}}"#
            )),
            FileKind::Json
        );
        assert_eq!(
            kind(r#"{"parameters": {"a": {"value": 1}}}"#),
            FileKind::ArmParameters
        );
        assert_eq!(
            kind(r#"{"parameters": {}, "resources": []}"#),
            FileKind::Json
        );
        // Naming the parameters schema anywhere but in `$schema` decides nothing.
        assert_eq!(
            kind(r#"{"see": "deploymentParameters.json", "resources": []}"#),
            FileKind::Json
        );
    }
}
