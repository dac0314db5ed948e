//! The ARM template front end: JSON templates in, the App Service sites and slots they would
//! deploy out, with their values evaluated as the deployment engine would.
//!
//! `detect` decides whether a file is a template (and whether a parse failure is ours),
//! `params` finds its parameter files (each a deployment scenario), `walk` follows resources,
//! conditions and nested deployments, `instance` expands copy loops and names instances,
//! `link` follows local `templateLink`s, `lower` turns each site into the model's
//! [`Resource`] and `kind` classifies its `kind`. Expressions are
//! parsed by `expr` and evaluated by `eval` (with `functions` and `strings`) against a `scope`
//! of parameters and variables, within the bounds of a `budget`.
//!
//! Roots: a template that another scanned template links to (a local `templateLink`, followed
//! or written literally) is judged only through its callers, with the parameters they pass;
//! every other template is a root, judged once per parameter file (each finding names it as
//! the scenario), or once with its defaults when it has none.

mod detect;
pub(crate) mod embedded;
mod eval;
mod expr;
mod front;
pub(crate) mod functions;
pub(crate) mod identity;
mod instance;
pub(crate) mod kind;
mod link;
pub(crate) mod lower;
pub(crate) mod params;
mod policy;
pub(crate) mod rollout;
mod scenarios;
mod scope;
mod select;
mod strings;
mod walk;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::FileError;
use crate::json::JsonDocument;
use crate::load::Loader;
use crate::model::{Comments, FileComments, Resource, UnitScan};
use crate::source::{FileId, Span};

use crate::budget::Budget;
use detect::Detected;
use eval::Env;
pub use front::Arm;
use params::ParameterFile;
pub use scenarios::Scenarios;
use scope::Scope;
use walk::{Template, Walker};

/// Scans the JSON files that may be ARM templates. JSON that is not a template (package.json,
/// a parameter file, …) is skipped silently; a file that announces itself as a template but
/// does not parse is a [`FileError`] with the position.
pub fn scan_templates(paths: &[PathBuf], loader: &Loader, scenarios: &Scenarios) -> UnitScan {
    let mut all = UnitScan::default();
    let parsed: Vec<(PathBuf, FileId, Detected)> = paths
        .par_iter()
        .filter_map(|path| loader.file(path))
        .map(|loaded| {
            let detected = detect::detect(loaded.id, &loaded.source);
            (loaded.source.path().to_path_buf(), loaded.id, detected)
        })
        .collect();
    let mut templates = Vec::new();
    for (path, id, detected) in parsed {
        match detected {
            Detected::Template(doc) => templates.push((path, id, doc)),
            Detected::NotOurs => {}
            Detected::Broken(error) => all.errors.push(error),
        }
    }
    let (explicit, errors) = params::read_explicit(loader, &scenarios.parameter_files);
    all.errors.extend(errors);

    let units: Vec<Unit> = templates
        .par_iter()
        .map(|(path, id, doc)| scan_unit(loader, path, *id, doc, &explicit))
        .collect();
    // Linked templates are judged through their callers: those followed by a walk, and those
    // a caller names literally (even behind a false condition).
    let mut linked: HashSet<PathBuf> = HashSet::new();
    let mut links: HashMap<&Path, Vec<PathBuf>> = HashMap::new();
    for (unit, (path, _, doc)) in units.iter().zip(&templates) {
        let dir = path.parent().unwrap_or(Path::new(""));
        let mut literal = Vec::new();
        link::literal_links(&doc.root, dir, &mut literal);
        let others: Vec<PathBuf> = unit
            .followed
            .iter()
            .cloned()
            .chain(literal)
            .filter(|p| p != path)
            .collect();
        linked.extend(others.iter().cloned());
        links.insert(path, others);
    }
    let roots = roots(&templates, &linked, &links);
    let mut used = BTreeSet::new();
    let mut recorded_files = HashSet::new();
    for unit in units.into_iter().filter(|u| roots.contains(&u.path)) {
        if loader.names_units() {
            all.units.push(template_unit(&unit));
        }
        all.resources.extend(unit.resources);
        all.errors.extend(unit.errors);
        all.policies.extend(unit.policies);
        // A template linked from several roots is recorded once.
        for recorded in unit.comments {
            if recorded_files.insert(recorded.file) {
                all.comments.push(recorded);
            }
        }
        used.extend(unit.explicit_used);
    }
    if !templates.is_empty() {
        for (_, file) in explicit
            .iter()
            .enumerate()
            .filter(|(i, _)| !used.contains(i))
        {
            all.errors.push(FileError::notice(
                &file.path,
                None,
                "no scanned ARM template declares every parameter this file sets, so it is \
                 not used",
            ));
        }
    }
    all
}

/// A root template as `--verbose` names it, with the scenarios (parameter files) its sites
/// were judged with.
fn template_unit(unit: &Unit) -> String {
    let scenarios: BTreeSet<&str> = unit
        .resources
        .iter()
        .filter_map(|r| r.scenario.as_deref())
        .collect();
    let mut name = format!("template {}", crate::paths::path_text(&unit.path));
    if !scenarios.is_empty() {
        let list: Vec<&str> = scenarios.into_iter().collect();
        name.push_str(&format!(" with {}", list.join(", ")));
    }
    name
}

/// The templates judged as roots: those no other template links to, and, for templates that
/// link each other in a cycle with no caller outside it, the first of the cycle (its walk
/// reports the cycle), so their sites are not silently skipped.
fn roots(
    templates: &[(PathBuf, FileId, JsonDocument)],
    linked: &HashSet<PathBuf>,
    links: &HashMap<&Path, Vec<PathBuf>>,
) -> HashSet<PathBuf> {
    let mut roots = HashSet::new();
    let mut reached: HashSet<PathBuf> = HashSet::new();
    let uncalled = templates.iter().filter(|(p, ..)| !linked.contains(p));
    let in_cycles = templates.iter().filter(|(p, ..)| linked.contains(p));
    for (path, ..) in uncalled.chain(in_cycles) {
        if reached.contains(path) {
            continue;
        }
        roots.insert(path.clone());
        let mut stack = vec![path.clone()];
        while let Some(next) = stack.pop() {
            if reached.insert(next.clone()) {
                stack.extend(links.get(next.as_path()).into_iter().flatten().cloned());
            }
        }
    }
    roots
}

/// What one template found, before it is known whether it is a root.
struct Unit {
    path: PathBuf,
    resources: Vec<Resource>,
    errors: Vec<FileError>,
    /// The linked templates its walks followed.
    followed: BTreeSet<PathBuf>,
    /// The command-line parameter files it used (indices).
    explicit_used: Vec<usize>,
    /// The comments of the files holding its resources (it and the templates it links).
    comments: Vec<FileComments>,
    /// The Azure Policy assignments of the control it declares.
    policies: Vec<crate::model::guardrail::PolicyAssignment>,
}

/// Judges one template once per parameter file (or once with its defaults).
fn scan_unit(
    loader: &Loader,
    path: &Path,
    id: FileId,
    doc: &JsonDocument,
    explicit: &[ParameterFile],
) -> Unit {
    let mut unit = Unit {
        path: path.to_path_buf(),
        resources: Vec::new(),
        errors: Vec::new(),
        followed: BTreeSet::new(),
        explicit_used: Vec::new(),
        comments: Vec::new(),
        policies: Vec::new(),
    };
    let mut siblings = Vec::new();
    for sibling in params::siblings(loader, path) {
        let name = sibling
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        match params::read(loader, &sibling, name) {
            Ok(Some(file)) => siblings.push(file),
            Ok(None) => {}
            Err(error) => unit.errors.push(error),
        }
    }
    let mut scenarios: Vec<&ParameterFile> = siblings.iter().collect();
    for (i, file) in explicit.iter().enumerate() {
        if !file.fits(&doc.root) {
            continue;
        }
        unit.explicit_used.push(i);
        // A sibling named on the command line too is still one scenario.
        if scenarios.iter().all(|s| s.path != file.path) {
            scenarios.push(file);
        }
    }
    if scenarios.is_empty() {
        scan_scenario(loader, path, id, doc, None, &mut unit);
    }
    for file in scenarios {
        scan_scenario(loader, path, id, doc, Some(file), &mut unit);
    }
    unit
}

fn scan_scenario(
    loader: &Loader,
    path: &Path,
    id: FileId,
    doc: &JsonDocument,
    file: Option<&ParameterFile>,
    unit: &mut Unit,
) {
    let budget = Budget::default().with_nesting(eval::NESTING);
    let (inputs, missing) = match file {
        Some(file) => (
            Scope::inputs(file.parameters(), file.id, None, &file.display),
            format!("{} does not set it", file.display),
        ),
        None => (HashMap::new(), "no value in any parameter file".to_string()),
    };
    let scope = Scope::new(&doc.root, id, inputs, missing, &budget);
    let mut walker = Walker::new(loader, path, file.map(|f| f.display.clone()));
    let template = Template {
        json: &doc.root,
        file: id,
        path,
    };
    walker.template(template, Env::new(&scope, &[]));
    unit.policies
        .extend(policy::find(&doc.root, id, &Env::new(&scope, &[])));
    record_comments(&walker, id, doc, loader, &mut unit.comments);
    if let Some(notice) = budget.notice("template", file.map(|f| f.display.as_str())) {
        let at = Span::new(id, doc.root.span.start..doc.root.span.start + 1);
        unit.errors.push(FileError::notice(path, Some(at), notice));
    }
    unit.resources.append(&mut walker.resources);
    unit.errors.append(&mut walker.errors);
    unit.followed.append(&mut walker.followed);
}

/// Records in `into` the comments of the files holding the walk's resources, from the parses it
/// made: the template's (`id`, `doc`) and its linked templates'.
fn record_comments(
    walker: &Walker,
    id: FileId,
    doc: &JsonDocument,
    loader: &Loader,
    into: &mut Vec<FileComments>,
) {
    crate::model::record_comments(&walker.resources, into, |file, _| {
        let parsed = if file == id {
            Some(doc)
        } else {
            let mut linked = walker.linked.values().flatten();
            linked.find(|l| l.0 == file).map(|l| &l.2)
        };
        Some(Comments::Lines(match parsed {
            Some(doc) => doc.comments.iter().map(|c| c.span.clone()).collect(),
            // Not met: a resource's file is the template or one its walk parsed.
            None => crate::json::parse(loader.sources().get(file).text())
                .map(|doc| doc.comments.into_iter().map(|c| c.span).collect())
                .unwrap_or_default(),
        }))
    });
}

/// Walks `text` as a root template with its defaults (file 3, `t/azuredeploy.json`): the
/// resources and notices, for unit tests.
#[cfg(test)]
fn walk_text(text: &str) -> (Vec<Resource>, Vec<FileError>) {
    let doc = crate::json::parse(text).expect("valid JSON");
    let sources = crate::source::SourceMap::default();
    let loader = Loader::new(&sources);
    let budget = Budget::default().with_nesting(eval::NESTING);
    let scope = Scope::new(
        &doc.root,
        3,
        HashMap::new(),
        "no value in any parameter file".into(),
        &budget,
    );
    let path = Path::new("t/azuredeploy.json");
    let mut walker = Walker::new(&loader, path, None);
    let template = Template {
        json: &doc.root,
        file: 3,
        path,
    };
    walker.template(template, Env::new(&scope, &[]));
    (walker.resources, walker.errors)
}

#[cfg(test)]
mod comment_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Data, SiteKind};

    use super::Scenarios;
    use crate::source::SourceMap;

    /// Writes `files` into a temporary directory and scans them all, with `parameters` given
    /// as command-line parameter files. The directory lives as long as the returned guard.
    fn scan_tree(
        files: &[(&str, &str)],
        parameters: &[&str],
    ) -> (UnitScan, tempfile::TempDir, SourceMap) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let mut paths = Vec::new();
        for (name, text) in files {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            paths.push(path);
        }
        let settings = Scenarios {
            parameter_files: parameters.iter().map(|p| root.join(p)).collect(),
        };
        let sources = SourceMap::default();
        let loader = Loader::new(&sources);
        let mut scan = scan_templates(&paths, &loader, &settings);
        scan.errors.extend(loader.into_errors());
        (scan, dir, sources)
    }

    fn scan(text: &str) -> UnitScan {
        scan_tree(&[("infra/azuredeploy.json", text)], &[]).0
    }

    #[test]
    fn scans_a_template_end_to_end() {
        let text = r#"{
  // Azure CLI accepts comments and trailing commas.
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Web/sites",
      "apiVersion": "2023-12-01",
      "name": "api",
      "kind": "app,linux",
      "properties": { "clientCertEnabled": true, "clientCertMode": "Required", },
      "resources": [ { "type": "slots", "name": "staging", "properties": {} } ],
    },
  ],
}
"#;
        let scan = scan(text);
        assert!(scan.errors.is_empty());
        let addresses: Vec<_> = scan.resources.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(addresses, vec!["api", "api/staging"]);
        let site = &scan.resources[0];
        assert_eq!(site.kind, SiteKind::WebApp);
        assert_eq!(site.kind_tags, vec!["app", "linux"]);
        assert_eq!(site.enabled.as_ref().unwrap().data, Data::Bool(true));
        assert_eq!(
            &text[site.header.range()],
            r#""type": "Microsoft.Web/sites""#
        );
        let slot = &scan.resources[1];
        assert_eq!(slot.resource_type, "Microsoft.Web/sites/slots");
        assert_eq!(slot.enabled, None);
    }

    #[test]
    fn symbolic_name_is_the_address_in_language_version_2() {
        let text = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "languageVersion": "2.0",
  "contentVersion": "1.0.0.0",
  "resources": {
    "existingPlan": { "type": "Microsoft.Web/sites", "existing": true, "name": "old" },
    "webApp": { "type": "Microsoft.Web/sites", "name": "[parameters('name')]" }
  }
}"#;
        let scan = scan(text);
        let addresses: Vec<_> = scan.resources.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(addresses, vec!["webApp"]);
    }

    #[test]
    fn broken_template_reports_a_placed_error() {
        let text = "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json#\",\n  \"resources\": [ { \"type\": \"Microsoft.Web/sites\" \"name\": \"x\" } ]\n}\n";
        let scan = scan(text);
        assert!(scan.resources.is_empty());
        assert_eq!(scan.errors.len(), 1);
        let error = &scan.errors[0];
        assert!(error.path.ends_with("infra/azuredeploy.json"));
        // "Expected comma" points just past the string that should have been followed by one.
        let value = "\"Microsoft.Web/sites\"";
        let at = text.find(value).unwrap() + value.len();
        let span = error.span.expect("a parse error has a position");
        assert_eq!((span.file, span.start), (0, at));
        assert!(
            error.message.contains("Expected comma"),
            "{}",
            error.message
        );
    }

    #[test]
    fn non_templates_yield_nothing() {
        for text in [
            r#"{"name": "site", "dependencies": {"microsoft.web/sites": "1.0.0"}}"#,
            r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "contentVersion": "1.0.0.0", "parameters": {"t": {"value": "Microsoft.Web/sites"}}}"#,
            r#"{"type": "Microsoft.Web/sites", broken"#,
        ] {
            let scan = scan(text);
            assert!(scan.resources.is_empty(), "{text}");
            assert!(scan.errors.is_empty(), "{text}");
        }
    }

    const SITE: &str = r#"{
      "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      "contentVersion": "1.0.0.0",
      "parameters": { "env": { "type": "string", "defaultValue": "dev" },
                      "certs": { "type": "bool", "defaultValue": true } },
      "resources": [ { "type": "Microsoft.Web/sites", "name": "[concat('web-', parameters('env'))]",
                       "properties": { "clientCertEnabled": "[parameters('certs')]" } } ]
    }"#;

    fn parameters(values: &str) -> String {
        format!(
            r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
                "contentVersion": "1.0.0.0", "parameters": {values}}}"#
        )
    }

    fn summary(scan: &UnitScan) -> Vec<(String, Option<String>, Option<Data>)> {
        let mut all: Vec<_> = scan
            .resources
            .iter()
            .map(|r| {
                (
                    r.address.clone(),
                    r.scenario.clone(),
                    r.enabled.as_ref().map(|v| v.data.clone()),
                )
            })
            .collect();
        all.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        all
    }

    #[test]
    fn each_sibling_parameter_file_is_a_scenario() {
        let prod = parameters(r#"{"env": {"value": "prod"}, "certs": {"value": false}}"#);
        let dev = parameters(r#"{"env": {"value": "dev"}}"#);
        let (scan, _dir, _) = scan_tree(
            &[
                ("azuredeploy.json", SITE),
                ("azuredeploy.parameters.json", &dev),
                ("azuredeploy.parameters.prod.json", &prod),
            ],
            &[],
        );
        assert!(scan.errors.is_empty(), "{:?}", scan.errors);
        assert_eq!(
            summary(&scan),
            [
                (
                    "web-dev".into(),
                    Some("azuredeploy.parameters.json".into()),
                    Some(Data::Bool(true))
                ),
                (
                    "web-prod".into(),
                    Some("azuredeploy.parameters.prod.json".into()),
                    Some(Data::Bool(false))
                ),
            ]
        );
    }

    #[test]
    fn command_line_parameter_files_apply_where_they_fit() {
        let prod = parameters(r#"{"env": {"value": "prod"}}"#);
        let dev = parameters(r#"{"env": {"value": "dev"}}"#);
        let other = parameters(r#"{"unknownParameter": {"value": 1}}"#);
        let (scan, _dir, _) = scan_tree(
            &[
                ("a/main.json", SITE),
                ("a/main.parameters.json", &dev),
                ("envs/prod.json", &prod),
                ("envs/other.json", &other),
            ],
            &[
                "envs/prod.json",
                "envs/other.json",
                "main.bicepparam",
                "a/main.parameters.json",
            ],
        );
        let found = summary(&scan);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "web-dev");
        assert_eq!(found[0].1.as_deref(), Some("main.parameters.json"));
        assert_eq!(found[1].0, "web-prod");
        assert!(found[1].1.as_ref().unwrap().ends_with("envs/prod.json"));
        let notices: Vec<_> = scan
            .errors
            .iter()
            .map(|e| (e.level, e.path.ends_with("envs/other.json")))
            .collect();
        assert_eq!(notices, [(crate::error::Level::Notice, true)]);
    }

    #[test]
    fn a_linked_template_is_judged_only_through_its_caller() {
        let caller = r#"{
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "contentVersion": "1.0.0.0",
          "resources": [
            { "type": "Microsoft.Resources/deployments", "name": "web",
              "properties": { "templateLink": { "relativePath": "nested/site.json" },
                              "parameters": { "env": { "value": "prod" } } } },
            { "type": "Microsoft.Resources/deployments", "name": "never", "condition": false,
              "properties": { "templateLink": { "relativePath": "nested/other.json" } } },
            { "type": "Microsoft.Resources/deployments", "name": "remote",
              "properties": { "templateLink": { "uri": "https://example.org/site.json" } } }
          ]
        }"#;
        let (scan, _dir, _) = scan_tree(
            &[
                ("main.json", caller),
                ("nested/site.json", SITE),
                ("nested/other.json", SITE),
            ],
            &[],
        );
        assert_eq!(
            summary(&scan),
            [("web > web-prod".into(), None, Some(Data::Bool(true)))]
        );
        let messages: Vec<_> = scan.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "templateLink `https://example.org/site.json` is not followed: only local relative \
              paths can be read statically"
            ]
        );
    }

    #[test]
    fn link_cycles_and_missing_targets_are_notices() {
        let linking = |target: &str| {
            format!(
                r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                "resources": [ {{ "type": "Microsoft.Resources/deployments", "name": "d",
                  "properties": {{ "templateLink": {{ "relativePath": "{target}" }} }} }},
                  {{ "type": "Microsoft.Web/sites", "name": "w" }} ] }}"#
            )
        };
        let (scan, _dir, _) = scan_tree(
            &[
                ("self.json", &linking("./self.json")),
                ("gone.json", &linking("missing.json")),
            ],
            &[],
        );
        let mut messages: Vec<_> = scan.errors.iter().map(|e| e.message.clone()).collect();
        messages.sort();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("a cycle"), "{messages:?}");
        assert!(messages[1].contains("does not exist"), "{messages:?}");
        assert_eq!(scan.resources.len(), 2);
    }
}
