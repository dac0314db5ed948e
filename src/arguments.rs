//! Checks of arguments that clap cannot make by their shape: that `--config` can be read and
//! that `--parameters` names a parameter file. A failed check stops the run before any scan.

use std::path::{Path, PathBuf};

/// Whether a `--parameters` file has one of the names it accepts: `.json` (ARM parameters, or
/// Bicep's parameters in ARM's JSON) or `.bicepparam`. A `.tfvars.json` is Terraform's.
fn is_parameters_name(path: &Path) -> bool {
    use crate::file_kind::FileKind;
    // Any JSON but Terraform variables (read by name alone: the content is checked by the scan).
    FileKind::of(path).is_some_and(|kind| {
        (kind.is_json() && kind != FileKind::TerraformVarsJson) || kind == FileKind::BicepParams
    })
}

/// `--config FILE` is an argument: a file that cannot be read stops the run before any scan
/// (a scan with the defaults instead would judge with the wrong levels and exceptions). A file
/// that reads but does not parse is reported by the scan, with its positions.
pub fn check_config(config: Option<&Path>) -> Result<(), String> {
    let Some(path) = config else {
        return Ok(());
    };
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => std::fs::File::open(path).map(|_| ()).map_err(|why| {
            format!(
                "--config {}: cannot read: {}",
                path.display(),
                crate::load::io_reason(&why)
            )
        }),
        Ok(_) => Err(format!("--config {}: not a file", path.display())),
        Err(why) => Err(format!(
            "--config {}: cannot read: {}",
            path.display(),
            crate::load::io_reason(&why)
        )),
    }
}

/// Every `--parameters` file must be ARM parameter JSON or a `.bicepparam`.
pub fn check_parameters(files: &[PathBuf]) -> Result<(), String> {
    match files.iter().find(|file| !is_parameters_name(file)) {
        None => Ok(()),
        Some(file) => Err(format!(
            "--parameters {}: not a parameter file; --parameters takes ARM parameter JSON \
             (`.json`) or Bicep parameters (`.bicepparam`); for Terraform variables use \
             --var-file",
            file.display()
        )),
    }
}
