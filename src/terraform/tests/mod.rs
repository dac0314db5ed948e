//! Tests of the Terraform front end as a whole, and the helpers they share: a scan of a
//! temporary directory tree, as the scan would hand its directories over.

mod assembly;
mod comments;
mod identity;
mod identity_fixtures;
mod modules;
mod rollout;
mod rollout_blocks;
mod rollout_fixtures;
mod variables;

use std::path::PathBuf;

use crate::error::Level;
use crate::load::Loader;
use crate::model::{Data, Resource, UnitScan};
use crate::source::{SourceMap, Span};
use crate::terraform::scan_project;
use crate::terraform::{Inputs, Memo};

pub fn data(value: &Option<crate::model::Value>) -> Option<&Data> {
    value.as_ref().map(|value| &value.data)
}

/// A scan of a temporary tree: the resources and errors, with the source map to read spans.
pub struct Scanned {
    pub scan: UnitScan,
    pub sources: SourceMap,
    pub root: tempfile::TempDir,
}

impl Scanned {
    pub fn path_of(&self, span: Span) -> String {
        let path = self.sources.get(span.file).path().to_path_buf();
        path.strip_prefix(self.root.path())
            .unwrap_or(&path)
            .display()
            .to_string()
    }

    pub fn text_of(&self, span: Span) -> String {
        self.sources.get(span.file).text()[span.range()].to_string()
    }

    pub fn find(&self, address: &str) -> Vec<&Resource> {
        self.scan
            .resources
            .iter()
            .filter(|r| r.address == address)
            .collect()
    }

    pub fn messages(&self, level: Level) -> Vec<String> {
        let mut messages: Vec<String> = self
            .scan
            .errors
            .iter()
            .filter(|e| e.level == level)
            .map(|e| e.message.clone())
            .collect();
        messages.sort();
        messages
    }
}

/// Writes `files` under a temporary directory and scans the directories holding `.tf` files
/// (outside `.terraform`), as the scan would hand them over.
pub fn scan_tree(files: &[(&str, &str)], inputs: Inputs) -> Scanned {
    let root = tempfile::tempdir().unwrap();
    let mut dirs = std::collections::BTreeSet::new();
    for (path, text) in files {
        let full = root.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(&full, text).unwrap();
        if path.ends_with(".tf") && !path.contains(".terraform/") {
            dirs.insert(crate::paths::normalize(full.parent().unwrap()));
        }
    }
    let inputs = Inputs {
        var_files: inputs
            .var_files
            .iter()
            .map(|p| root.path().join(p))
            .collect(),
        ..inputs
    };
    let sources = SourceMap::default();
    let scan = {
        let loader = Loader::new(&sources);
        let dirs: Vec<PathBuf> = dirs.into_iter().collect();
        let (mut scan, _) = scan_project(
            &dirs,
            &Default::default(),
            &loader,
            &inputs,
            Memo::default(),
            false,
        );
        scan.errors.extend(loader.into_errors());
        scan
    };
    Scanned {
        scan,
        sources,
        root,
    }
}
