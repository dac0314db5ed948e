//! Stage timing and the [`Trace`] of a scan (`check --verbose`, `--show-files`): how long
//! each stage took, and which files, units and configs it went through.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::front::FrontEndId;
use crate::report::trace::Trace;

/// The time each stage of a scan took, measured from the end of the one before.
pub struct Stages {
    last: Instant,
    took: Vec<(&'static str, Duration)>,
}

impl Stages {
    pub fn new() -> Self {
        Stages {
            last: Instant::now(),
            took: Vec::new(),
        }
    }

    /// Ends the stage `name` now.
    pub fn end(&mut self, name: &'static str) {
        let now = Instant::now();
        self.took.push((name, now - self.last));
        self.last = now;
    }
}

/// What the scan did, for `--verbose` and `--show-files`.
pub fn trace(
    files: Vec<(PathBuf, FrontEndId)>,
    included: &[bool],
    governing: &super::judge::Governing,
    units: Vec<(FrontEndId, Vec<String>)>,
    stages: Stages,
) -> Trace {
    let mut configs: Vec<PathBuf> = governing
        .all()
        .iter()
        .filter_map(|config| config.source.clone())
        .collect();
    configs.sort();
    configs.dedup();
    Trace {
        files: files
            .into_iter()
            // Shown as findings show paths (`./x/main.tf` as `x/main.tf`).
            .map(|(path, front_end)| (crate::paths::normalize(&path), front_end.name()))
            .collect(),
        excluded: included.iter().filter(|included| !**included).count(),
        units: {
            let mut units: Vec<(&'static str, Vec<String>)> = units
                .into_iter()
                .filter(|(_, units)| !units.is_empty())
                .map(|(front_end, mut units)| {
                    units.sort();
                    (front_end.name(), units)
                })
                .collect();
            // As the files are grouped: by the front end's name.
            units.sort_by_key(|(name, _)| *name);
            units
        },
        configs,
        stages: stages.took,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::load::Loader;
    use crate::model::UnitScan;
    use crate::source::SourceMap;

    const TEMPLATE: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "resources": [{ "type": "Microsoft.Web/sites", "apiVersion": "2022-09-01", "name": "web",
                  "properties": { "clientCertEnabled": true } }]
}"#;

    const PLAN: &str = r#"{ "format_version": "1.2", "terraform_version": "1.9.0",
  "planned_values": { "root_module": {} } }"#;

    const MODULE: &str =
        "resource \"azurerm_linux_web_app\" \"web\" {\n  client_certificate_enabled = true\n}\n";

    /// The ARM, plan and Terraform front ends' scans of one file each, with `loader`.
    fn scans(dir: &Path, loader: &Loader) -> Vec<UnitScan> {
        let template = dir.join("azuredeploy.json");
        let plan = dir.join("plan.json");
        let module = dir.join("tf");
        vec![
            crate::arm::scan_templates(&[template], loader, &Default::default()),
            crate::plan::scan_plans(&[plan], loader),
            crate::terraform::scan_project(
                &[module],
                &Default::default(),
                loader,
                &Default::default(),
                Default::default(),
                false,
            )
            .0,
        ]
    }

    #[test]
    fn front_ends_name_no_units_unless_verbose_asks() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("azuredeploy.json"), TEMPLATE).unwrap();
        std::fs::write(dir.path().join("plan.json"), PLAN).unwrap();
        std::fs::create_dir(dir.path().join("tf")).unwrap();
        std::fs::write(dir.path().join("tf/main.tf"), MODULE).unwrap();
        let sources = SourceMap::default();
        // Off (every scan without `--verbose`): not one name formatted per template or plan.
        for scan in scans(dir.path(), &Loader::new(&sources)) {
            assert!(scan.units.is_empty(), "{:?}", scan.units);
        }
        let named: Vec<Vec<String>> = scans(dir.path(), &Loader::new(&sources).naming_units(true))
            .into_iter()
            .map(|scan| scan.units)
            .collect();
        assert_eq!(named.len(), 3);
        assert!(named[0][0].starts_with("template "), "{named:?}");
        assert!(named[1][0].starts_with("plan "), "{named:?}");
        assert!(named[2][0].starts_with("root module "), "{named:?}");
    }
}
