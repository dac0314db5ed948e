//! Finds and reads the parameter files of a template: each one is a deployment scenario.
//!
//! For `DIR/STEM.json` the scenarios are the sibling files `STEM.parameters.json` and
//! `STEM.parameters.ANYTHING.json` (names compared case-insensitively, so
//! `azuredeploy.parameters.prod.json` belongs to `azuredeploy.json`), plus every
//! `--parameters FILE` given on the command line that fits the template: ARM rejects a
//! parameter file that sets a parameter the template does not declare, so a command-line file
//! applies to each root template that declares every parameter it sets. Parameter files are
//! not in the scan's list of paths (they do not name a site type); they are read through the
//! loader. A file is a parameter file when its `$schema` names `deploymentParameters.json`, or
//! it has a `parameters` object and no `resources`.

use std::path::{Path, PathBuf};

use crate::error::FileError;
use crate::json::{self, Json, JsonDocument};
use crate::load::Loader;
use crate::source::{FileId, Span};

/// A parsed parameter file.
#[derive(Debug)]
pub struct ParameterFile {
    /// The normalised path, to tell files apart.
    pub path: PathBuf,
    pub id: FileId,
    pub doc: JsonDocument,
    /// The scenario's name in findings: the file name for a sibling, the path as given for a
    /// command-line file.
    pub display: String,
}

impl ParameterFile {
    /// The `parameters` object.
    pub fn parameters(&self) -> Option<&Json> {
        self.doc.root.get_ignore_case("parameters")
    }

    /// The parameters this file sets (`$schema`-like keys are not parameters).
    pub fn members(&self) -> impl Iterator<Item = &json::Member> {
        self.parameters()
            .map(Json::members)
            .unwrap_or_default()
            .iter()
            .filter(|m| !m.key.starts_with('$'))
    }

    /// Whether `template` declares every parameter this file sets.
    pub fn fits(&self, template: &Json) -> bool {
        let declared = template.get_ignore_case("parameters");
        self.members().all(|m| {
            declared
                .and_then(|d| d.member_ignore_case(&m.key))
                .is_some()
        })
    }
}

/// Whether a parsed JSON root is an ARM parameter file.
pub fn is_parameter_file(root: &Json) -> bool {
    crate::file_kind::FileKind::of_json(root) == crate::file_kind::FileKind::ArmParameters
}

/// The sibling parameter files of `template` (a normalised path to an ARM `.json` template or a
/// `.bicep` file), sorted by name: `STEM.parameters.json` and `STEM.parameters.*.json`,
/// compared ignoring case.
pub fn siblings(loader: &Loader, template: &Path) -> Vec<PathBuf> {
    let name = template.file_name().map(|n| n.to_string_lossy());
    let Some(stem) = name.as_deref().and_then(|n| {
        strip_suffix_ignore_case(n, ".json").or_else(|| strip_suffix_ignore_case(n, ".bicep"))
    }) else {
        return Vec::new();
    };
    let prefix = format!("{stem}.parameters.").to_ascii_lowercase();
    let dir = template.parent().unwrap_or(Path::new(""));
    loader.list_dir(dir, |path| {
        crate::file_kind::FileKind::of(path).is_some_and(crate::file_kind::FileKind::is_json)
            && path.file_name().is_some_and(|n| {
                n.to_string_lossy()
                    .to_ascii_lowercase()
                    .starts_with(&prefix)
            })
    })
}

fn strip_suffix_ignore_case<'t>(text: &'t str, suffix: &str) -> Option<&'t str> {
    let cut = text.len().checked_sub(suffix.len())?;
    (text.is_char_boundary(cut) && text[cut..].eq_ignore_ascii_case(suffix)).then(|| &text[..cut])
}

/// Reads a parameter file. `Ok(None)` when the file is JSON but not a parameter file; an
/// unreadable file is recorded by the loader (and is `Ok(None)` here).
pub fn read(
    loader: &Loader,
    path: &Path,
    display: String,
) -> Result<Option<ParameterFile>, FileError> {
    let Some(loaded) = loader.file(path) else {
        return Ok(None);
    };
    let doc = json::parse(loaded.source.text()).map_err(|error| {
        FileError::at(
            loaded.source.path(),
            Span::new(loaded.id, error.span),
            format!("ARM parameter file is not valid JSON: {}", error.message),
        )
    })?;
    if !is_parameter_file(&doc.root) {
        return Ok(None);
    }
    Ok(Some(ParameterFile {
        path: crate::paths::normalize(path),
        id: loaded.id,
        doc,
        display,
    }))
}

/// The command-line parameter files that are JSON, read once for every template.
pub fn read_explicit(loader: &Loader, paths: &[PathBuf]) -> (Vec<ParameterFile>, Vec<FileError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let is_json =
            crate::file_kind::FileKind::of(path).is_some_and(crate::file_kind::FileKind::is_json);
        if !is_json {
            // `.bicepparam` files belong to the Bicep front end.
            continue;
        }
        match read(loader, path, path.display().to_string()) {
            Ok(Some(file)) => files.push(file),
            // Loaded (so not a read error, which the loader records) yet not parameters.
            Ok(None) if loader.file(path).is_some() => {
                errors.push(FileError::unplaced(
                    path,
                    "not an ARM parameter file: it has no `parameters` object (or it is a template)",
                ));
            }
            Ok(None) => {}
            Err(error) => errors.push(error),
        }
    }
    (files, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_parameter_files() {
        let parse = |t: &str| json::parse(t).unwrap().root;
        assert!(is_parameter_file(&parse(
            r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": {}}"#
        )));
        assert!(is_parameter_file(&parse(
            r#"{"parameters": {"a": {"value": 1}}}"#
        )));
        assert!(!is_parameter_file(&parse(
            r#"{"parameters": {}, "resources": []}"#
        )));
        assert!(!is_parameter_file(&parse(r#"{"name": "package"}"#)));
    }

    #[test]
    fn siblings_match_the_stem_in_any_case() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "azuredeploy.json",
            "AzureDeploy.Parameters.json",
            "azuredeploy.parameters.prod.json",
            "azuredeploy.parameters.prod.json.bak",
            "other.parameters.json",
            "azuredeployment.parameters.json",
        ] {
            std::fs::write(dir.path().join(name), "{}").unwrap();
        }
        let sources = crate::source::SourceMap::default();
        let loader = Loader::new(&sources);
        let found: Vec<String> = siblings(&loader, &dir.path().join("azuredeploy.json"))
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            found,
            [
                "AzureDeploy.Parameters.json",
                "azuredeploy.parameters.prod.json"
            ]
        );
    }

    #[test]
    fn a_file_fits_a_template_declaring_all_its_parameters() {
        let file = ParameterFile {
            path: "p.json".into(),
            id: 0,
            doc: json::parse(r#"{"parameters": {"Env": {"value": "prod"}}}"#).unwrap(),
            display: "p.json".into(),
        };
        let template = |t: &str| json::parse(t).unwrap().root;
        assert!(file.fits(&template(r#"{"parameters": {"env": {}, "x": {}}}"#)));
        assert!(!file.fits(&template(r#"{"parameters": {"x": {}}}"#)));
        assert!(!file.fits(&template(r#"{"resources": []}"#)));
    }
}
