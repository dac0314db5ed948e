//! Which input formats a path can hold, decided by its name alone.

use std::path::Path;

/// The formats certgate reads, by file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    /// `*.tf`
    Terraform,
    /// `*.tf.json`
    TerraformJson,
    /// Any other `*.json`: maybe an ARM template, maybe nothing of ours.
    Json,
    /// `*.bicep`
    Bicep,
    /// `*.bicepparam`: parameter values for the Bicep file its `using` names.
    BicepParams,
}

impl FileKind {
    /// Classifies a path by its file name; `None` for files certgate never reads.
    pub fn of(path: &Path) -> Option<FileKind> {
        // Only the ASCII suffix matters: a name that is not UTF-8 is still ours.
        let lower = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        if lower.ends_with(".tf.json") {
            Some(FileKind::TerraformJson)
        } else if lower.ends_with(".tf") {
            Some(FileKind::Terraform)
        } else if lower.ends_with(".json") {
            Some(FileKind::Json)
        } else if lower.ends_with(".bicep") {
            Some(FileKind::Bicep)
        } else if lower.ends_with(".bicepparam") {
            Some(FileKind::BicepParams)
        } else {
            None
        }
    }

    /// Terraform reads `.tf` and `.tf.json` files of a directory together as one module.
    pub fn is_terraform(self) -> bool {
        matches!(self, FileKind::Terraform | FileKind::TerraformJson)
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
            FileKind::of(Path::new("x.TF.JSON")),
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
        assert_eq!(FileKind::of(Path::new("main.tfvars")), None);
        assert_eq!(FileKind::of(Path::new("README.md")), None);
    }
}
