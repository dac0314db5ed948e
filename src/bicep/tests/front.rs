//! The front end end to end: resources, values, loops, conditions, modules, roots and
//! scenarios, scanned from files in a temporary directory.

use crate::arm::Scenarios;
use crate::error::Level;
use crate::load::Loader;
use crate::model::{Data, Resource, SiteKind, UnitScan};
use crate::source::SourceMap;

/// Writes `files` into a temporary directory and scans the Bicep files among them (as
/// discovery would pass them), with `parameters` as command-line parameter files.
pub(super) fn scan_tree(
    files: &[(&str, &str)],
    parameters: &[&str],
) -> (UnitScan, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut paths = Vec::new();
    for (name, text) in files {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        let kind = crate::file_kind::FileKind::of(&path);
        let front = super::super::Bicep {
            scenarios: &Scenarios::default(),
        };
        let sniffed = kind.and_then(|k| crate::front::FrontEnd::sniff(&front, k, text.as_bytes()));
        if sniffed.is_some_and(|s| s.interesting) && name.contains(".bicep") {
            paths.push(path);
        }
    }
    let settings = Scenarios {
        parameter_files: parameters.iter().map(|p| root.join(p)).collect(),
    };
    let sources = SourceMap::default();
    let loader = Loader::new(&sources);
    let known = crate::bicep::Known::default();
    let mut scan = crate::bicep::scan_files(&paths, &known, &loader, &settings);
    scan.errors.extend(loader.into_errors());
    (scan, dir)
}

fn scan(text: &str) -> UnitScan {
    scan_tree(&[("infra/main.bicep", text)], &[]).0
}

/// Address, instance, scenario and the enabled and mode data of every resource, sorted.
pub(super) fn summary(scan: &UnitScan) -> Vec<String> {
    let data = |value: &Option<crate::model::Value>| match value.as_ref().map(|v| &v.data) {
        None => "-".to_string(),
        Some(Data::Bool(b)) => b.to_string(),
        Some(Data::String(s)) => s.clone(),
        Some(other) => format!("{other:?}"),
    };
    let mut all: Vec<String> = scan
        .resources
        .iter()
        .map(|r: &Resource| {
            let mut line = format!("{} {} {}", r.address, data(&r.enabled), data(&r.mode));
            if let Some(instance) = &r.instance {
                line.push_str(&format!(" @{instance}"));
            }
            if let Some(scenario) = &r.scenario {
                line.push_str(&format!(" [{scenario}]"));
            }
            line
        })
        .collect();
    all.sort();
    all
}

pub(super) fn messages(scan: &UnitScan) -> Vec<(Level, String)> {
    let mut all: Vec<_> = scan
        .errors
        .iter()
        .map(|e| (e.level, e.message.clone()))
        .collect();
    all.sort_by(|a, b| a.1.cmp(&b.1));
    all
}

#[test]
fn sites_slots_kinds_and_values() {
    let text = "
resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: 'api'
  kind: 'functionapp,linux'
  properties: {
    siteConfig: { clientCertEnabled: false }
    ClientCertEnabled: true
    clientCertMode: 'Optional'
  }
  resource staging 'slots' = {
    name: 'staging'
    properties: {}
  }
}

resource blue 'microsoft.web/SITES/slots@2023-12-01' = {
  parent: site
  name: 'blue'
}

resource old 'Microsoft.Web/sites@2023-12-01' existing = {
  name: 'old'
  resource green 'slots' = { name: 'green' }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = { name: 'plan' }
";
    let scan = scan(text);
    assert!(scan.errors.is_empty(), "{:?}", scan.errors);
    assert_eq!(
        summary(&scan),
        [
            "blue - -",
            "old::green - -",
            "site true Optional",
            "site::staging - -",
        ]
    );
    let find = |address: &str| {
        scan.resources
            .iter()
            .find(|r| r.address == address)
            .unwrap()
    };
    let site = find("site");
    assert_eq!(site.kind, SiteKind::FunctionApp);
    assert_eq!(site.kind_tags, ["linux"]);
    assert_eq!(site.syntax, crate::model::Syntax::Bicep);
    assert_eq!(
        &text[site.header.range()],
        "resource site 'Microsoft.Web/sites@2023-12-01'"
    );
    assert_eq!(
        &text[site.enabled.as_ref().unwrap().span.range()],
        "ClientCertEnabled: true"
    );
    // Slots without a kind take their site's.
    assert_eq!(find("site::staging").kind, SiteKind::FunctionApp);
    assert!(find("site::staging").is_slot);
    assert_eq!(find("blue").kind, SiteKind::FunctionApp);
    assert_eq!(find("blue").resource_type, "microsoft.web/SITES/slots");
    assert_eq!(
        find("old::green").resource_type,
        "Microsoft.Web/sites/slots"
    );
}

#[test]
fn conditions_and_loops() {
    let text = "
param regions array = ['westeurope', 'northeurope']
param deploy bool = false

resource never 'Microsoft.Web/sites@2023-12-01' = if (deploy) {
  name: 'never'
}

resource regional 'Microsoft.Web/sites@2023-12-01' = [for (region, i) in regions: {
  name: 'web-${region}'
  properties: {
    clientCertEnabled: true
    clientCertMode: i == 0 ? 'Required' : 'Optional'
  }
}]

resource filtered 'Microsoft.Web/sites@2023-12-01' = [for region in regions: if (region == 'nowhere') {
  name: region
}]

resource same 'Microsoft.Web/sites@2023-12-01' = [for region in regions: {
  name: region
  properties: { clientCertEnabled: true }
}]

resource opaque 'Microsoft.Web/sites@2023-12-01' = [for site in resourceGroup().tags.sites: {
  name: site
  properties: { clientCertEnabled: site.mtls }
}]
";
    let scan = scan(text);
    assert!(scan.errors.is_empty(), "{:?}", scan.errors);
    let lines = summary(&scan);
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert!(lines[0].starts_with("opaque Unknown(\"the loop over `resourceGroup().tags.sites` cannot be resolved: function `resourceGroup()` is only known at deployment time\")"), "{}", lines[0]);
    assert_eq!(
        &lines[1..],
        [
            "regional true Optional @regional[1] (web-northeurope)",
            "regional true Required @regional[0] (web-westeurope)",
            // Same values, but two sites in Azure: drift matches each.
            "same true - @same[0] (westeurope)",
            "same true - @same[1] (northeurope)",
        ]
    );
}

#[test]
fn modules_feed_parameters_to_any_depth_and_callees_are_not_roots() {
    let main = "
param mode string = 'Optional'
module platform 'modules/platform.bicep' = {
  name: 'platform'
  params: { certMode: mode }
}
module registry 'br/public:avm/res/web/site:0.15.0' = { name: 'registry' }
";
    let platform = "
param certMode string
module web './web.bicep' = [for name in ['a', 'b']: {
  name: name
  params: { siteName: name, mode: certMode }
}]
";
    let web = "
param siteName string
param mode string = 'Required'
resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: siteName
  properties: { clientCertEnabled: true, clientCertMode: mode }
}
";
    let (scan, _dir) = scan_tree(
        &[
            ("main.bicep", main),
            ("modules/platform.bicep", platform),
            ("modules/web.bicep", web),
        ],
        &[],
    );
    // Two sites named apart (`a`, `b`), though their values are the same.
    assert_eq!(
        summary(&scan),
        [
            "platform > web > site true Optional @platform > web[0] > site (a)",
            "platform > web > site true Optional @platform > web[1] > site (b)"
        ]
    );
    let site = &scan.resources[0];
    let notes: Vec<&str> = site
        .mode
        .as_ref()
        .unwrap()
        .origin
        .iter()
        .map(|o| o.note.as_str())
        .collect();
    assert_eq!(
        notes,
        [
            "default of parameter `mode`",
            "input `certMode` of module `platform`",
            "input `mode` of module `web`"
        ]
    );
    assert_eq!(
        messages(&scan),
        [(
            Level::Notice,
            "module `registry` comes from a registry (`br/public:avm/res/web/site:0.15.0`), \
             which certgate cannot read: the resources it deploys are not checked"
                .to_string()
        )]
    );
}

#[test]
fn module_cycles_and_missing_modules_are_errors() {
    let site = "resource site 'Microsoft.Web/sites@2023-12-01' = { name: 'x' }\n";
    let (scan, _dir) = scan_tree(
        &[
            (
                "a.bicep",
                &format!("{site}module b 'b.bicep' = {{ name: 'b' }}\n"),
            ),
            ("b.bicep", "module a 'a.bicep' = { name: 'a' }\n"),
            (
                "c.bicep",
                &format!("{site}module gone 'gone.bicep' = {{ name: 'g' }}\n"),
            ),
        ],
        &[],
    );
    let found = messages(&scan);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, Level::Error);
    assert!(
        found[0]
            .1
            .contains("in a cycle (a.bicep → b.bicep → a.bicep)"),
        "{found:?}"
    );
    assert_eq!(
        found[1],
        (
            Level::Error,
            "module `gone`: `gone.bicep` does not exist".into()
        )
    );
    // The files of the cycle are judged from the root chosen to break it.
    assert_eq!(summary(&scan), ["site - -", "site - -"]);
}

#[test]
fn bicepparam_files_and_arm_parameter_json_are_scenarios() {
    let main = "
param certs bool = true
param mode string
resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: 'web'
  properties: { clientCertEnabled: certs, clientCertMode: mode }
}
";
    let prod = "using './main.bicep'\nvar strict = true\nparam certs = strict\nparam mode = strict ? 'Required' : 'Optional'\n";
    let dev = "using '../main.bicep'\nparam mode = readEnvironmentVariable('MODE', 'Optional')\n";
    let json = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
        "parameters": {"certs": {"value": false}, "mode": {"value": "Required"}}}"#;
    let other = r#"{"parameters": {"unknownParameter": {"value": 1}}}"#;
    let (scan, _dir) = scan_tree(
        &[
            ("main.bicep", main),
            ("prod.bicepparam", prod),
            ("envs/dev.bicepparam", dev),
            ("main.parameters.test.json", json),
            ("cli/other.json", other),
        ],
        &["cli/other.json"],
    );
    let lines = summary(&scan);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0], "site false Required [main.parameters.test.json]");
    assert_eq!(lines[1], "site true Required [prod.bicepparam]");
    assert!(
        lines[2].starts_with("site true Unknown(\"it reads environment variable `MODE`"),
        "{lines:?}"
    );
    // Not next to its template: named by its path.
    assert!(lines[2].ends_with("envs/dev.bicepparam]"), "{lines:?}");
    let notes: Vec<&str> = scan
        .resources
        .iter()
        .find(|r| r.scenario.as_deref() == Some("prod.bicepparam"))
        .unwrap()
        .enabled
        .as_ref()
        .unwrap()
        .origin
        .iter()
        .map(|o| o.note.as_str())
        .collect();
    assert_eq!(
        notes,
        [
            "variable `strict`",
            "value in prod.bicepparam",
            "parameter `certs`"
        ]
    );
    assert_eq!(
        messages(&scan),
        [(
            Level::Notice,
            "no scanned Bicep file declares every parameter this file sets, so it is not used \
             for Bicep files"
                .to_string()
        )]
    );
}

#[test]
fn a_file_without_parameter_files_reports_missing_values() {
    let scan = scan(
        "param mode string\nresource s 'Microsoft.Web/sites@2023-12-01' = {\n  name: 's'\n  properties: { clientCertEnabled: true, clientCertMode: mode }\n}\n",
    );
    assert_eq!(
        scan.resources[0].mode.as_ref().unwrap().data,
        Data::Unknown("parameter `mode` has no default and no value in any parameter file".into())
    );
}

#[test]
fn syntax_errors_are_reported_and_other_declarations_still_judged() {
    let text = "resource good 'Microsoft.Web/sites@2023-12-01' = {\n  name: 'good'\n}\n\nparam broken string = = 'x'\n\nresource also 'Microsoft.Web/sites@2023-12-01' = {\n  name: 'also'\n}\n";
    let scan = scan(text);
    assert_eq!(summary(&scan), ["also - -", "good - -"]);
    assert_eq!(
        messages(&scan),
        [(
            Level::Error,
            "invalid Bicep syntax: expected a value, found `=`".to_string()
        )]
    );
}

#[test]
fn only_files_that_can_lead_to_a_site_are_parsed() {
    // A broken file that names no site and calls no module is never parsed, so its syntax
    // error is not ours to report.
    let (scan, _dir) = scan_tree(
        &[(
            "storage.bicep",
            "resource s 'Microsoft.Storage/storageAccounts@2023-01-01' = = {}\n",
        )],
        &[],
    );
    assert!(scan.errors.is_empty());
    assert!(scan.resources.is_empty());
}

#[test]
fn module_chains_stop_at_the_depth_limit() {
    let mut files: Vec<(String, String)> = Vec::new();
    for i in 0..40 {
        files.push((
            format!("m{i}.bicep"),
            format!("module next 'm{}.bicep' = {{ name: 'n' }}\n", i + 1),
        ));
    }
    files.push((
        "m40.bicep".into(),
        "resource site 'Microsoft.Web/sites@2023-12-01' = { name: 'deep' }\n".into(),
    ));
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    let (scan, _dir) = scan_tree(&borrowed, &[]);
    assert!(scan.resources.is_empty());
    let found = messages(&scan);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0],
        (
            Level::Error,
            "module `next` is nested more than 32 modules deep: it is not followed".to_string()
        )
    );
}

#[test]
fn command_line_parameter_files_apply_only_to_judged_files() {
    let site = "param mode string = 'Required'\nresource s 'Microsoft.Web/sites@2023-12-01' = {\n  name: 's'\n  properties: { clientCertEnabled: true, clientCertMode: mode }\n}\n";
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("other")).unwrap();
    std::fs::write(root.join("main.bicep"), site).unwrap();
    std::fs::write(root.join("other/main.bicep"), site).unwrap();
    std::fs::write(
        root.join("prod.bicepparam"),
        "using 'main.bicep'\nparam mode = 'Optional'\n",
    )
    .unwrap();
    std::fs::write(
        root.join("other.bicepparam"),
        "using 'other/main.bicep'\nparam mode = 'Optional'\n",
    )
    .unwrap();
    let settings = Scenarios {
        parameter_files: vec![root.join("prod.bicepparam"), root.join("other.bicepparam")],
    };
    let sources = SourceMap::default();
    let loader = Loader::new(&sources);
    let known = crate::bicep::Known::default();
    // Only main.bicep is scanned: other/main.bicep is not judged because a parameter file
    // names it.
    let scan = crate::bicep::scan_files(&[root.join("main.bicep")], &known, &loader, &settings);
    let lines = summary(&scan);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("s true Optional ["), "{lines:?}");
    assert!(lines[0].ends_with("prod.bicepparam]"), "{lines:?}");
    let notices = messages(&scan);
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(
        notices[0].1.starts_with("not used: its `using` line"),
        "{notices:?}"
    );
}

#[test]
fn a_parameter_file_extends_a_shared_base() {
    let main = "param certs bool\nparam mode string\nresource s 'Microsoft.Web/sites@2023-12-01' = {\n  name: 's'\n  properties: { clientCertEnabled: certs, clientCertMode: mode }\n}\n";
    let (scan, _dir) = scan_tree(
        &[
            ("main.bicep", main),
            (
                "shared/base.bicepparam",
                "using none\nparam certs = true\nparam mode = 'Optional'\n",
            ),
            (
                "prod.bicepparam",
                "using 'main.bicep'\nextends 'shared/base.bicepparam'\nparam mode = 'Required'\n",
            ),
        ],
        &[],
    );
    assert!(scan.errors.is_empty(), "{:?}", scan.errors);
    assert_eq!(summary(&scan), ["s true Required [prod.bicepparam]"]);
    let notes: Vec<&str> = scan.resources[0]
        .enabled
        .as_ref()
        .unwrap()
        .origin
        .iter()
        .map(|o| o.note.as_str())
        .collect();
    assert_eq!(notes, ["value in base.bicepparam", "parameter `certs`"]);
}

#[test]
fn origins_carry_their_kind_and_the_span_of_their_literal() {
    use crate::model::OriginKind;
    let main = "param certs bool = true\n@description('mode')\nparam mode string = 'Optional'\nresource site 'Microsoft.Web/sites@2023-12-01' = {\n  name: 'site'\n  properties: { clientCertEnabled: certs, clientCertMode: mode }\n}\n";
    let prod = "using './main.bicep'\nparam certs = false\n";
    let json = r#"{"parameters": {"certs": {"value": false}}}"#;
    let (scan, _dir) = scan_tree(
        &[
            ("main.bicep", main),
            ("prod.bicepparam", prod),
            ("main.parameters.test.json", json),
        ],
        &[],
    );
    let site = |scenario: &str| {
        scan.resources
            .iter()
            .find(|r| r.scenario.as_deref() == Some(scenario))
            .unwrap_or_else(|| panic!("{scenario}: {:?}", summary(&scan)))
    };
    // The notes say which file each span is in; the spans are offsets into that file.
    let at = |text: &'static str, span: Option<crate::source::Span>| {
        span.and_then(|span| text.get(span.range()))
    };
    let prod_site = site("prod.bicepparam");
    let mode = &prod_site.mode.as_ref().unwrap().origin;
    assert_eq!(mode[0].note, "default of parameter `mode`");
    assert_eq!(mode[0].kind, OriginKind::ParameterDefault);
    assert_eq!(
        at(main, Some(mode[0].span)),
        Some("param mode string = 'Optional'")
    );
    assert_eq!(at(main, mode[0].literal), Some("'Optional'"));
    let enabled = &prod_site.enabled.as_ref().unwrap().origin;
    let kinds: Vec<OriginKind> = enabled.iter().map(|o| o.kind).collect();
    // The template's declaration is a hop with nothing to edit: the file overrode its default.
    assert_eq!(kinds, [OriginKind::ParameterFile, OriginKind::Declaration]);
    assert_eq!(enabled[0].note, "value in prod.bicepparam");
    assert_eq!(at(prod, enabled[0].literal), Some("false"));
    assert_eq!(enabled[1].literal, None);
    let enabled = &site("main.parameters.test.json")
        .enabled
        .as_ref()
        .unwrap()
        .origin;
    assert_eq!(enabled[0].kind, OriginKind::ParameterFile);
    assert_eq!(at(json, Some(enabled[0].span)), Some(r#""value": false"#));
    assert_eq!(at(json, enabled[0].literal), Some("false"));
}

#[test]
fn bicep_files_with_a_site_type_or_a_local_module_and_parameter_files_interest_it() {
    use crate::file_kind::FileKind;
    use crate::front::FrontEnd;
    let front = super::super::Bicep {
        scenarios: &Scenarios::default(),
    };
    let sniff = |kind: FileKind, text: &str| {
        FrontEnd::sniff(&front, kind, text.as_bytes()).map(|s| (s.interesting, s.outline.is_some()))
    };
    let bicep = |text: &str| sniff(FileKind::Bicep, text);
    assert_eq!(
        bicep("resource site 'Microsoft.Web/sites@2023-12-01' = {}"),
        Some((true, true))
    );
    assert_eq!(
        bicep("resource s 'MICROSOFT.WEB/SITES@2023-12-01' = {}"),
        Some((true, true))
    );
    assert_eq!(
        bicep("module web './web.bicep' = { params: {} }"),
        Some((true, true))
    );
    // Not interesting, but its outline is kept: a caller may need it.
    assert_eq!(
        bicep("module web 'br/public:avm/res/web/site:0.1.0' = {}"),
        Some((false, true))
    );
    assert_eq!(bicep("param location string"), Some((false, true)));
    assert_eq!(
        sniff(FileKind::BicepParams, "using './main.bicep'"),
        Some((true, false))
    );
    assert_eq!(
        sniff(FileKind::Json, "{\"type\": \"Microsoft.Web/sites\"}"),
        None
    );
}
