//! The bad-input suite: one CLI test per kind of bad input. Each asserts the exact behaviour:
//! the message with its file and position, the exit code, that a normal failing site next to
//! the bad input (`neighbour/main.tf`) is still reported, and that no file was modified (the
//! tree's contents, modes and times are compared before and after).

use std::collections::BTreeMap;
use std::fs;
use std::hash::{Hash as _, Hasher as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;

mod common;
#[cfg(unix)]
use common::mkfifo;
use common::{Outcome, write};

/// A failing site that every test puts next to its bad input.
const NEIGHBOUR: &str =
    "resource \"azurerm_linux_web_app\" \"neighbour\" {\n  client_certificate_enabled = false\n}\n";

/// The neighbour's finding as [`findings`] lists it.
fn neighbour() -> (String, String, String) {
    finding(
        "neighbour/main.tf",
        "azurerm_linux_web_app.neighbour",
        "client-cert-disabled",
    )
}

fn finding(path: &str, address: &str, rule: &str) -> (String, String, String) {
    (path.into(), address.into(), rule.into())
}

fn error(path: &str, line: u64, column: u64, message: &str) -> (String, u64, u64, String) {
    (path.into(), line, column, message.into())
}

const ARM_SITE: &str = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": [{"type": "Microsoft.Web/sites", "apiVersion": "2022-03-01", "name": "armsite", "properties": {"clientCertEnabled": false}}]}
"#;

const BICEP_SITE: &str = "resource site 'Microsoft.Web/sites@2022-03-01' = {\n  name: 'bicepsite'\n  properties: {\n    clientCertEnabled: false\n  }\n}\n";

fn tf_site(name: &str) -> String {
    format!(
        "resource \"azurerm_linux_web_app\" \"{name}\" {{\n  client_certificate_enabled = false\n}}\n"
    )
}

/// A temporary tree holding `files` and the neighbour.
fn tree(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "neighbour/main.tf", NEIGHBOUR);
    for (name, bytes) in files {
        write(dir.path(), name, bytes);
    }
    dir
}

/// Everything that could change in a tree, by relative path: kind, mode, modification time
/// and a hash of the contents. Symbolic links are described, never followed.
fn fingerprint(root: &Path) -> BTreeMap<PathBuf, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, String>) {
        let Ok(entries) = fs::read_dir(dir) else {
            out.insert(dir.strip_prefix(root).unwrap().into(), "unlisted".into());
            return;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let meta = fs::symlink_metadata(&path).unwrap();
            let relative = path.strip_prefix(root).unwrap().to_path_buf();
            let kind = meta.file_type();
            let described = if kind.is_symlink() {
                format!("link -> {:?}", fs::read_link(&path).unwrap())
            } else if kind.is_dir() {
                walk(root, &path, out);
                format!("dir {:?}", meta.permissions())
            } else if kind.is_file() {
                let mut hasher = std::hash::DefaultHasher::new();
                fs::read(&path).ok().hash(&mut hasher);
                format!(
                    "file {:?} {:?} {:x}",
                    meta.permissions(),
                    meta.modified().ok(),
                    hasher.finish()
                )
            } else {
                format!("special {kind:?} {:?}", meta.permissions())
            };
            out.insert(relative, described);
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn certgate(dir: &Path) -> Command {
    let mut cmd = common::certgate(dir);
    // A hang is a failure: nothing here needs more than a minute, even in a debug build.
    cmd.timeout(Duration::from_secs(300));
    cmd
}

/// Runs `certgate ARGS` in `dir` and checks what every run must hold: no panic, no file changed.
fn run(dir: &Path, args: &[&str]) -> Outcome {
    run_with(dir, args, |_| {})
}

fn run_with(dir: &Path, args: &[&str], adjust: impl FnOnce(&mut Command)) -> Outcome {
    let before = fingerprint(dir);
    let mut cmd = certgate(dir);
    cmd.args(args);
    adjust(&mut cmd);
    let outcome = Outcome::of(&mut cmd);
    assert_eq!(fingerprint(dir), before, "the run modified the tree");
    outcome
}

/// `errors` as (path, line, column, message), in report order.
fn errors(json: &Value) -> Vec<(String, u64, u64, String)> {
    json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_string(),
                e["line"].as_u64().unwrap(),
                e["column"].as_u64().unwrap(),
                e["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// `findings` as (path, address, rule), in report order.
fn findings(json: &Value) -> Vec<(String, String, String)> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["address"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The `[path:line:column]` headers of a human report's snippets, in order.
fn snippet_headers(human: &str) -> Vec<String> {
    human
        .lines()
        .filter_map(|line| line.split_once("╭─[").map(|(_, rest)| rest))
        .map(|rest| rest.trim_end_matches(']').to_string())
        .collect()
}

/// A unit of each format with a failing site, and `extra` files of each kind holding `content`
/// in those units and in a directory of their own.
fn files_of_every_kind(content: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("tf/main.tf".into(), tf_site("tfsite").into_bytes()),
        ("arm/azuredeploy.json".into(), ARM_SITE.into()),
        ("bicep/main.bicep".into(), BICEP_SITE.into()),
    ];
    for name in [
        "tf/variables.tf",
        "tf/extra.tf.json",
        "tf/terraform.tfvars",
        "tf/x.auto.tfvars.json",
        "arm/azuredeploy.parameters.json",
        "bicep/main.bicepparam",
        "alone/main.tf",
        "alone/x.tf.json",
        "alone/template.json",
        "alone/main.bicep",
        "alone/main.bicepparam",
    ] {
        files.push((name.into(), content.to_vec()));
    }
    files
}

/// Empty files and files holding only a UTF-8 byte order mark behave alike: an empty `.tf`,
/// `.tfvars`, `.bicep` or `.bicepparam` declares nothing; JSON that must hold a value (a
/// `.tf.json` or `.tfvars.json` of a module, a template's parameter file) is an error, as it
/// is for Terraform and Azure; JSON of no unit is not ours and is skipped silently.
fn check_files_without_content(content: &[u8]) {
    let files = files_of_every_kind(content);
    let borrowed: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let dir = tree(&borrowed);
    let outcome = run(
        dir.path(),
        &[
            "check",
            "alone",
            "arm",
            "bicep",
            "tf",
            "neighbour",
            "--format",
            "json",
        ],
    );
    assert_eq!(outcome.code, 2, "{}", outcome.stdout);
    let json = outcome.json();
    assert_eq!(
        errors(&json),
        [
            error(
                "arm/azuredeploy.parameters.json",
                1,
                1,
                "ARM parameter file is not valid JSON: the file holds no JSON value"
            ),
            error(
                "tf/extra.tf.json",
                1,
                1,
                "invalid JSON in a Terraform file: the file holds no JSON value"
            ),
            error(
                "tf/x.auto.tfvars.json",
                1,
                1,
                "invalid JSON in a variables file: the file holds no JSON value"
            ),
        ]
    );
    assert_eq!(
        findings(&json),
        [
            finding("arm/azuredeploy.json", "armsite", "client-cert-disabled"),
            finding("bicep/main.bicep", "site", "client-cert-disabled"),
            neighbour(),
            finding(
                "tf/main.tf",
                "azurerm_linux_web_app.tfsite",
                "client-cert-disabled"
            ),
        ]
    );
    // The files searched for sites: the six Terraform files, the two Bicep files and the one
    // ARM template. Not the parameter files (`.tfvars`, `.tfvars.json`, ARM parameters,
    // `.bicepparam`) nor the empty `template.json`, which is not ours.
    assert_eq!(json["summary"]["files_scanned"], 9);
}

#[test]
fn empty_files() {
    check_files_without_content(b"");
}

#[test]
fn files_holding_only_a_byte_order_mark() {
    check_files_without_content(b"\xEF\xBB\xBF");
}

#[test]
fn utf16_files_are_named_as_such() {
    let site = tf_site("u");
    let le = |bom: bool| {
        let mut bytes = if bom { vec![0xFF, 0xFE] } else { vec![] };
        bytes.extend(site.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    };
    let mut be = vec![0xFE, 0xFF];
    be.extend(site.encode_utf16().flat_map(u16::to_be_bytes));
    // What Windows PowerShell's `Out-File` writes by default.
    let mut arm = vec![0xFF, 0xFE];
    arm.extend(ARM_SITE.encode_utf16().flat_map(u16::to_le_bytes));
    let bicep: Vec<u8> = BICEP_SITE
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    // UTF-16 that names no App Service is not ours either way.
    let other: Vec<u8> = "{\"name\": \"package\"}"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let dir = tree(&[
        ("le/main.tf", &le(true)),
        ("be/main.tf", &be),
        ("nobom/main.tf", &le(false)),
        ("arm/azuredeploy.json", &arm),
        ("bicep/main.bicep", &bicep),
        ("other/package.json", &other),
    ]);
    let outcome = run(dir.path(), &["check", ".", "--format", "json"]);
    assert_eq!(outcome.code, 2);
    let json = outcome.json();
    let utf16 = |order: &str| {
        format!("the file is UTF-16 ({order}) encoded; certgate reads UTF-8, so convert it")
    };
    assert_eq!(
        errors(&json),
        [
            error("arm/azuredeploy.json", 1, 1, &utf16("little-endian")),
            error("be/main.tf", 1, 1, &utf16("big-endian")),
            error(
                "bicep/main.bicep",
                1,
                1,
                &utf16("little-endian, without a byte order mark")
            ),
            error("le/main.tf", 1, 1, &utf16("little-endian")),
            error(
                "nobom/main.tf",
                1,
                1,
                &utf16("little-endian, without a byte order mark")
            ),
        ]
    );
    assert_eq!(findings(&json), [neighbour()]);
}

#[test]
fn invalid_utf8_in_a_string_and_in_an_identifier_points_at_the_byte() {
    let dir = tree(&[
        (
            "string/main.tf",
            b"resource \"azurerm_linux_web_app\" \"s\" {\n  name = \"caf\xE9\"\n}\n",
        ),
        (
            "ident/main.tf",
            b"resource \"azurerm_linux_web_app\" \"i\" {\n  na\xFFme = \"x\"\n}\n",
        ),
        (
            "arm/azuredeploy.json",
            b"{\"$schema\": \"deploymentTemplate.json\",\n \"resources\": [{\"type\": \"Microsoft.Web/sites\", \"name\": \"\xC3\x28\"}]}\n",
        ),
    ]);
    let outcome = run(dir.path(), &["check", ".", "--format", "json"]);
    assert_eq!(outcome.code, 2);
    let json = outcome.json();
    let message = "invalid UTF-8: certgate reads UTF-8 text";
    assert_eq!(
        errors(&json),
        [
            error("arm/azuredeploy.json", 2, 57, message),
            error("ident/main.tf", 2, 5, message),
            error("string/main.tf", 2, 14, message),
        ]
    );
    assert_eq!(findings(&json), [neighbour()]);
    // The human report shows the line, the bad byte replaced.
    let human = run(dir.path(), &["check", "string"]);
    assert_eq!(human.code, 2);
    assert_eq!(snippet_headers(&human.stdout), ["string/main.tf:2:14"]);
    assert!(
        human.stdout.contains("name = \"caf\u{FFFD}\""),
        "{}",
        human.stdout
    );
}

#[test]
fn nul_bytes_are_binary_content() {
    let dir = tree(&[
        (
            "tf/main.tf",
            b"resource \"azurerm_linux_web_app\" \"n\" {\n  name = \"a\0b\"\n}\n",
        ),
        (
            "arm/azuredeploy.json",
            b"{\"resources\": [{\"type\": \"Microsoft.Web/sites\", \"name\": \"\0\"}]}",
        ),
    ]);
    let outcome = run(dir.path(), &["check", ".", "--format", "json"]);
    assert_eq!(outcome.code, 2);
    let json = outcome.json();
    let message = "binary content: the file contains a NUL byte";
    assert_eq!(
        errors(&json),
        [
            error("arm/azuredeploy.json", 1, 57, message),
            error("tf/main.tf", 2, 12, message),
        ]
    );
    assert_eq!(findings(&json), [neighbour()]);
}

/// About 50 MB of Terraform: unrelated resources with a site every 20 000 blocks and at the end.
/// Returns the text and the (line, column) of each site's finding.
fn big_terraform() -> (String, Vec<(usize, usize)>) {
    let mut text = String::with_capacity(53 << 20);
    let mut sites = Vec::new();
    let mut line = 1;
    let site = |i: usize| {
        format!(
            "resource \"azurerm_linux_web_app\" \"site{i}\" {{\n  name                       = \"site{i}\"\n  client_certificate_enabled = false\n}}\n"
        )
    };
    let mut i = 0;
    while text.len() < 50 << 20 {
        let block = if i % 20_000 == 0 {
            sites.push((line + 2, 3));
            site(i)
        } else {
            format!(
                "resource \"azurerm_storage_account\" \"s{i}\" {{\n  name                     = \"stor{i}\"\n  resource_group_name      = azurerm_resource_group.rg.name\n  location                 = \"westeurope\"\n  account_tier             = \"Standard\"\n  account_replication_type = \"LRS\"\n  tags = {{\n    environment = \"prod\"\n    owner       = \"team-{i}\"\n  }}\n}}\n"
            )
        };
        line += block.matches('\n').count();
        text.push_str(&block);
        i += 1;
    }
    sites.push((line + 2, 3));
    text.push_str(&site(i));
    (text, sites)
}

#[test]
fn a_50_mb_terraform_file_is_scanned_whole() {
    let (text, sites) = big_terraform();
    let dir = tree(&[("big/main.tf", text.as_bytes())]);
    drop(text);
    let started = Instant::now();
    let outcome = run(dir.path(), &["check", "."]);
    eprintln!("50 MB .tf: {:.1?}", started.elapsed());
    assert_eq!(outcome.code, 1, "{}", outcome.stdout);
    let mut expected: Vec<String> = sites
        .iter()
        .map(|(line, column)| format!("big/main.tf:{line}:{column}"))
        .collect();
    expected.push("neighbour/main.tf:2:3".into());
    assert_eq!(snippet_headers(&outcome.stdout), expected);
    let count = sites.len() + 1;
    assert!(
        outcome.stdout.starts_with("client-cert-disabled")
            && outcome.stdout.contains("Scanned 2 files in ")
            && outcome.stdout.contains(&format!(
                "checked {count} App Service resources: {count} failing, 0 warnings, 0 passing.\n"
            )),
        "{}",
        outcome.stdout
    );
}

/// A 50 MB ARM template on a single line: storage accounts with a site every 20 000 resources
/// and at the end. Returns the text and each site finding's column.
fn big_template() -> (String, Vec<usize>) {
    let mut text = String::with_capacity(53 << 20);
    text.push_str(r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": ["#);
    let mut columns = Vec::new();
    let mut push_site = |text: &mut String, i: usize| {
        let site = format!(
            r#"{{"type": "Microsoft.Web/sites", "apiVersion": "2022-03-01", "name": "site{i}", "properties": {{"clientCertEnabled": false}}}}"#
        );
        // ASCII only: the column is the byte offset plus one.
        columns.push(text.len() + site.find("\"clientCertEnabled\"").unwrap() + 1);
        text.push_str(&site);
    };
    let mut i = 0;
    while text.len() < 50 << 20 {
        if i > 0 {
            text.push_str(", ");
        }
        if i % 20_000 == 0 {
            push_site(&mut text, i);
        } else {
            text.push_str(&format!(
                r#"{{"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2022-09-01", "name": "stor{i}", "location": "westeurope", "sku": {{"name": "Standard_LRS"}}, "kind": "StorageV2", "properties": {{"minimumTlsVersion": "TLS1_2"}}}}"#
            ));
        }
        i += 1;
    }
    text.push_str(", ");
    push_site(&mut text, i);
    text.push_str("]}");
    (text, columns)
}

#[test]
fn a_50_mb_single_line_json_template_is_scanned_whole_and_shown_clipped() {
    let (text, columns) = big_template();
    let dir = tree(&[("big/azuredeploy.json", text.as_bytes())]);
    drop(text);
    let started = Instant::now();
    let outcome = run(dir.path(), &["check", "."]);
    eprintln!("50 MB single-line .json: {:.1?}", started.elapsed());
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    // Every site is found, past the evaluation budget too, at its real column.
    let mut expected: Vec<String> = columns
        .iter()
        .map(|column| format!("big/azuredeploy.json:1:{column}"))
        .collect();
    expected.push("neighbour/main.tf:2:3".into());
    assert_eq!(snippet_headers(&outcome.stdout), expected);
    let count = columns.len() + 1;
    assert!(
        outcome.stdout.contains(&format!(
            "checked {count} App Service resources: {count} failing, 0 warnings, 0 passing.\n"
        )),
        "{}",
        outcome.stdout
    );
    // Each snippet shows a window of the line, not 50 MB of it.
    assert!(outcome.stdout.len() < 20_000, "{}", outcome.stdout.len());
    assert!(outcome.stdout.contains(
        r#"1 │ oft.Web/sites", "apiVersion": "2022-03-01", "name": "site20000", "properties": {"clientCertEnabled": false}}, {"type""#
    ), "{}", outcome.stdout);
}

/// 100 000 levels of nesting in every format certgate reads.
#[test]
fn nesting_100_000_deep_in_every_format_is_a_positioned_error() {
    let n = 100_000;
    let open = "[".repeat(n);
    let close = "]".repeat(n);
    let dir = tree(&[
        (
            "tf/main.tf",
            format!("resource \"azurerm_linux_web_app\" \"d\" {{\n  client_certificate_enabled = true\n  tags = {open}{close}\n}}\n").as_bytes(),
        ),
        (
            "tfjson/main.tf.json",
            format!(r#"{{"resource": {{"azurerm_linux_web_app": {{"d": {{"client_certificate_enabled": true, "tags": {open}{close}}}}}}}}}"#).as_bytes(),
        ),
        (
            "arm/azuredeploy.json",
            format!(r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": [{{"type": "Microsoft.Web/sites", "name": "d", "properties": {{"clientCertEnabled": true, "x": {open}{close}}}}}]}}"#).as_bytes(),
        ),
        (
            "bicep/main.bicep",
            format!("var deep = {open}{close}\n\nresource site 'Microsoft.Web/sites@2022-03-01' = {{\n  name: 'd'\n  properties: {{\n    clientCertEnabled: true\n  }}\n}}\n").as_bytes(),
        ),
        (
            "bicepparam/main.bicep",
            b"param tags array\n\nresource site 'Microsoft.Web/sites@2022-03-01' = {\n  name: 'p'\n  properties: {\n    clientCertEnabled: true\n  }\n}\n",
        ),
        (
            "bicepparam/main.bicepparam",
            format!("using './main.bicep'\n\nparam tags = {open}{close}\n").as_bytes(),
        ),
        (
            "tfvars/main.tf",
            b"variable \"tags\" {}\n\nresource \"azurerm_linux_web_app\" \"v\" {\n  client_certificate_enabled = true\n  tags                       = var.tags\n}\n",
        ),
        (
            "tfvars/terraform.tfvars",
            format!("tags = {open}{close}\n").as_bytes(),
        ),
        (
            "plan/plan.json",
            format!(r#"{{"format_version": "1.2", "terraform_version": "1.9.0", "resource_changes": [{{"address": "azurerm_linux_web_app.p", "mode": "managed", "type": "azurerm_linux_web_app", "name": "p", "change": {{"actions": ["create"], "after": {{"client_certificate_enabled": true, "tags": {open}{close}}}}}}}]}}"#).as_bytes(),
        ),
        (
            "armexpr/azuredeploy.json",
            format!(r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": [{{"type": "Microsoft.Web/sites", "name": "e", "properties": {{"clientCertEnabled": "[{}true{}]"}}}}]}}"#, "not(".repeat(n), ")".repeat(n)).as_bytes(),
        ),
    ]);
    let outcome = run(dir.path(), &["check", ".", "--format", "json"]);
    assert_eq!(outcome.code, 2);
    let json = outcome.json();
    let bicep =
        "invalid Bicep syntax: nested more than 128 levels deep; certgate stops reading here";
    let hcl = "nesting deeper than 64 levels (brackets, blocks, strings and interpolations); \
               certgate does not parse files nested this deeply";
    let json_depth = "not valid JSON: Maximum nesting depth exceeded";
    assert_eq!(
        errors(&json),
        [
            // The JSON reader's limit: the 129th bracket.
            error(
                "arm/azuredeploy.json",
                1,
                736,
                &format!("ARM template is {json_depth}")
            ),
            // The Bicep parser's limit of 128 levels, at the 129th bracket.
            error("bicep/main.bicep", 1, 140, bicep),
            error("bicepparam/main.bicepparam", 3, 142, bicep),
            error(
                "plan/plan.json",
                1,
                773,
                &format!("Terraform plan is {json_depth}")
            ),
            // The block is the first level, `tags`' 64th bracket the 65th.
            error("tf/main.tf", 3, 73, hcl),
            error(
                "tfjson/main.tf.json",
                1,
                595,
                "invalid JSON in a Terraform file: Maximum nesting depth exceeded",
            ),
            error("tfvars/terraform.tfvars", 1, 72, hcl),
        ]
    );
    // An ARM expression nested 100 000 deep leaves its value undecided (the message quotes
    // the start of it); files the errors leave readable are still judged.
    // 120 characters, then an ellipsis.
    let expression = format!("[{}not…", "not(".repeat(29));
    assert_eq!(
        json["findings"][0]["message"],
        format!(
            "web app `e`: cannot decide whether client certificates are enabled: `{expression}` \
             is not a valid ARM expression: the expression nests deeper than 64 levels at \
             character 258"
        )
    );
    assert_eq!(
        findings(&json),
        [
            finding("armexpr/azuredeploy.json", "e", "client-cert-unresolved"),
            neighbour(),
        ]
    );
    let verdicts: Vec<(&str, &str)> = json["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["path"].as_str().unwrap(), r["verdict"].as_str().unwrap()))
        .collect();
    assert_eq!(
        verdicts,
        [
            ("armexpr/azuredeploy.json", "client-cert-unresolved"),
            // Bicep reads on past the refused expression.
            ("bicep/main.bicep", "pass"),
            ("bicepparam/main.bicep", "pass"),
            ("neighbour/main.tf", "client-cert-disabled"),
            // A tfvars file that cannot be read leaves the module's own values.
            ("tfvars/main.tf", "pass"),
        ]
    );
    // The human report stays small: each snippet is a window of the long line.
    let human = run(dir.path(), &["check", "."]);
    assert_eq!(human.code, 2);
    assert!(human.stdout.len() < 20_000, "{}", human.stdout.len());
}

/// A file deleted between discovery and reading is a positioned error, and the rest of the scan
/// goes on. The race is injected through the file system (`FaultFs`: the walk lists the file,
/// the read finds it gone), so no build of certgate carries a hook for it and the assertions
/// hold in debug and release builds alike.
#[test]
fn a_file_removed_between_discovery_and_reading() {
    use certgate::fs::{DiskFs, FaultFs, ProjectRoot};
    let dir = tree(&[("gone/main.tf", tf_site("gone").as_bytes())]);
    let base = fs::canonicalize(dir.path()).unwrap();
    let before = fingerprint(&base);
    let root = std::sync::Arc::new(ProjectRoot::of_dirs(std::slice::from_ref(&base)));
    let faulty = FaultFs::vanishing(DiskFs::new(root), &base.join("gone/main.tf"));
    let settings = certgate::Settings {
        fs: Some(std::sync::Arc::new(faulty)),
        ..certgate::Settings::default()
    };
    let report = certgate::scan(std::slice::from_ref(&base), &settings);
    let json: Value = serde_json::from_str(&certgate::report::json::render(&report)).unwrap();
    let shown = |name: &str| common::shown(&base.join(name));
    assert_eq!(
        errors(&json),
        [error(
            &shown("gone/main.tf"),
            1,
            1,
            "cannot read: no such file or directory"
        )]
    );
    let neighbour = finding(
        &shown("neighbour/main.tf"),
        "azurerm_linux_web_app.neighbour",
        "client-cert-disabled",
    );
    assert_eq!(findings(&json), [neighbour]);
    assert_eq!(fingerprint(&base), before, "nothing was deleted or changed");
}

/// The other way to meet a vanished file, a dangling symbolic link, never reaches reading: a
/// walk does not follow links, and a link named on the command line fails at discovery.
#[cfg(unix)]
#[test]
fn a_dangling_link_is_skipped_by_the_walk_and_an_error_when_named() {
    let dir = tree(&[("gone/main.tf", tf_site("gone").as_bytes())]);
    std::os::unix::fs::symlink("missing.tf", dir.path().join("gone/dangling.tf")).unwrap();
    // Walked: the link is not listed, so it is neither scanned nor an error.
    let outcome = run(dir.path(), &["check", ".", "--format", "json"]);
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    let json = outcome.json();
    assert!(errors(&json).is_empty(), "{json}");
    assert_eq!(findings(&json).len(), 2, "{json}");
    // Named: a discovery error.
    let outcome = run(
        dir.path(),
        &[
            "check",
            "gone/dangling.tf",
            "neighbour/main.tf",
            "--format",
            "json",
        ],
    );
    assert_eq!(outcome.code, 2);
    let json = outcome.json();
    assert_eq!(
        errors(&json),
        [error(
            "gone/dangling.tf",
            1,
            1,
            "it is a symbolic link to nothing (its target does not exist)"
        )]
    );
    assert_eq!(findings(&json), [neighbour()]);
}

/// Runs certgate as the unprivileged user `nobody`: root ignores permission bits, so this is
/// how a root test run sees what a normal user sees.
#[cfg(unix)]
fn run_as_nobody(dir: &Path, args: &[&str]) -> Outcome {
    use std::os::unix::process::CommandExt as _;
    let direct = assert_cmd::cargo::cargo_bin("certgate");
    // `nobody` may not reach the build directory: then it runs a world-readable copy.
    let copy = tempfile::tempdir().unwrap();
    let reachable = std::process::Command::new(&direct)
        .arg("--version")
        .uid(65534)
        .gid(65534)
        .output()
        .is_ok_and(|o| o.status.success());
    let binary = if reachable {
        direct
    } else {
        fs::set_permissions(copy.path(), fs::Permissions::from_mode(0o755)).unwrap();
        let binary = copy.path().join("certgate");
        fs::copy(&direct, &binary).unwrap();
        binary
    };
    let before = fingerprint(dir);
    let output = std::process::Command::new(binary)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .uid(65534)
        .gid(65534)
        .output()
        .unwrap();
    assert_eq!(fingerprint(dir), before, "the run modified the tree");
    Outcome {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

#[cfg(unix)]
use std::os::unix::fs::PermissionsExt as _;

/// A directory or file that cannot be read is an error naming it; as root, whom the system
/// lets read everything, it is simply scanned, so the unprivileged case runs as `nobody`. A
/// directory that can be entered but not listed hides the rest of its module: naming a file in
/// it (as pre-commit does) reports the directory. `/proc/self/mem` cannot be read even by root.
#[cfg(unix)]
#[test]
fn a_directory_or_file_without_read_permission() {
    use std::os::unix::fs::MetadataExt as _;
    let dir = tree(&[
        ("locked/main.tf", tf_site("locked").as_bytes()),
        ("unlisted/main.tf", tf_site("unlisted").as_bytes()),
        ("secret/main.tf", tf_site("secret").as_bytes()),
    ]);
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let locked = dir.path().join("locked");
    let unlisted = dir.path().join("unlisted");
    let secret = dir.path().join("secret/main.tf");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(&unlisted, fs::Permissions::from_mode(0o311)).unwrap();
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).unwrap();
    let is_root = fs::metadata(dir.path()).unwrap().uid() == 0;
    let as_user = |args: &[&str]| {
        if is_root {
            run_as_nobody(dir.path(), args)
        } else {
            run(dir.path(), args)
        }
    };
    let denied = "cannot read: permission denied";

    let outcome = as_user(&["check", ".", "--format", "json"]);
    assert_eq!(outcome.code, 2, "{}", outcome.stderr);
    let json = outcome.json();
    assert_eq!(
        errors(&json),
        [
            error("locked", 1, 1, denied),
            error("secret/main.tf", 1, 1, denied),
            error("unlisted", 1, 1, denied),
        ]
    );
    assert_eq!(findings(&json), [neighbour()]);

    let outcome = as_user(&[
        "check",
        "unlisted/main.tf",
        "secret/main.tf",
        "neighbour/main.tf",
        "--format",
        "json",
    ]);
    assert_eq!(outcome.code, 2, "{}", outcome.stderr);
    let json = outcome.json();
    assert_eq!(
        errors(&json),
        [
            error("secret/main.tf", 1, 1, denied),
            error(
                "unlisted",
                1,
                1,
                "cannot list the directory: permission denied"
            ),
        ]
    );
    assert_eq!(findings(&json), [neighbour()]);

    if is_root {
        // Root reads what the bits forbid, so everything is scanned like any other file.
        let outcome = run(dir.path(), &["check", ".", "--format", "json"]);
        assert_eq!(outcome.code, 1);
        let json = outcome.json();
        assert_eq!(errors(&json), []);
        assert_eq!(
            findings(&json),
            [
                finding(
                    "locked/main.tf",
                    "azurerm_linux_web_app.locked",
                    "client-cert-disabled"
                ),
                neighbour(),
                finding(
                    "secret/main.tf",
                    "azurerm_linux_web_app.secret",
                    "client-cert-disabled"
                ),
                finding(
                    "unlisted/main.tf",
                    "azurerm_linux_web_app.unlisted",
                    "client-cert-disabled"
                ),
            ]
        );
    }
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(&unlisted, fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o644)).unwrap();

    // Unreadable whoever asks: reading /proc/self/mem at offset 0 fails with EIO.
    #[cfg(target_os = "linux")]
    {
        std::os::unix::fs::symlink("/proc/self/mem", dir.path().join("mem.tf")).unwrap();
        let outcome = run(
            dir.path(),
            // The link leaves the project root: widen it, so the read is tried.
            &[
                "check",
                "mem.tf",
                "neighbour/main.tf",
                "--format",
                "json",
                "--project-root",
                "/",
            ],
        );
        assert_eq!(outcome.code, 2);
        let json = outcome.json();
        assert_eq!(
            errors(&json),
            [error(
                "mem.tf",
                1,
                1,
                "cannot read: Input/output error (os error 5)"
            )]
        );
        assert_eq!(findings(&json), [neighbour()]);
    }
}

/// Symbolic links are never followed in a walk, so loops cost nothing; a link loop named on
/// the command line is an error naming it.
#[cfg(unix)]
#[test]
fn a_symlink_loop() {
    use std::os::unix::fs::symlink;
    let dir = tree(&[("loop/app/main.tf", tf_site("app").as_bytes())]);
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "main.tf", tf_site("outside"));
    let root = dir.path().join("loop");
    // Nor is a link out of the scanned tree followed.
    symlink(outside.path(), root.join("outside")).unwrap();
    symlink("..", root.join("app/up")).unwrap();
    symlink(".", root.join("self")).unwrap();
    symlink("b.tf", root.join("a.tf")).unwrap();
    symlink("a.tf", root.join("b.tf")).unwrap();
    let outcome = run(dir.path(), &["check", ".", "--format", "json"]);
    assert_eq!(outcome.code, 1);
    let json = outcome.json();
    assert_eq!(errors(&json), []);
    assert_eq!(
        findings(&json),
        [
            finding(
                "loop/app/main.tf",
                "azurerm_linux_web_app.app",
                "client-cert-disabled"
            ),
            neighbour(),
        ]
    );
    let outcome = run(
        dir.path(),
        &[
            "check",
            "loop/a.tf",
            "neighbour/main.tf",
            "--format",
            "json",
        ],
    );
    assert_eq!(outcome.code, 2);
    let json = outcome.json();
    #[cfg(target_os = "linux")]
    assert_eq!(
        errors(&json),
        [error("loop/a.tf", 1, 1, "it is a symbolic link loop")]
    );
    assert_eq!(findings(&json), [neighbour()]);
}

/// Reading a FIFO would block forever: in a walk it is skipped like every file that is not
/// regular, and named on the command line it is an error.
#[cfg(unix)]
#[test]
fn a_fifo_named_main_tf_never_hangs() {
    let dir = tree(&[("module/app.tf", tf_site("app").as_bytes())]);
    let fifo = dir.path().join("module/main.tf");
    mkfifo(&fifo);
    let app = finding(
        "module/app.tf",
        "azurerm_linux_web_app.app",
        "client-cert-disabled",
    );
    let outcome = run(dir.path(), &["check", ".", "--format", "json"]);
    assert_eq!(outcome.code, 1);
    let json = outcome.json();
    assert_eq!(errors(&json), []);
    assert_eq!(findings(&json), [app.clone(), neighbour()]);
    let outcome = run(
        dir.path(),
        &[
            "check",
            "module/main.tf",
            "module/app.tf",
            "neighbour/main.tf",
            "--format",
            "json",
        ],
    );
    assert_eq!(outcome.code, 2);
    let json = outcome.json();
    assert_eq!(
        errors(&json),
        [error(
            "module/main.tf",
            1,
            1,
            "not a regular file: it is a FIFO"
        )]
    );
    assert_eq!(findings(&json), [app, neighbour()]);
}

/// Spaces, non-ASCII letters, a newline and the characters each format must escape, in every
/// output format: human (control characters escaped), JSON and GitLab (JSON strings), SARIF
/// (percent-encoded URI), JUnit (XML escaping; read back with an XML parser) and GitHub
/// (workflow-command property escaping).
#[cfg(unix)]
#[test]
fn a_path_with_spaces_unicode_and_a_newline_in_every_output_format() {
    let weird = "sp ace/ünï cödé/new\nline 50%, a:b & <c>";
    let site = format!("{weird}/main.tf");
    let broken = format!("{weird}/broken.tf");
    let dir = tree(&[
        (site.as_str(), tf_site("bad").as_bytes()),
        (
            broken.as_str(),
            b"resource \"azurerm_linux_web_app\" \"x\" {\n  = \n",
        ),
    ]);
    let check = |format: &str| {
        let outcome = run(dir.path(), &["check", ".", "--format", format]);
        assert_eq!(outcome.code, 2, "{format}: {}", outcome.stdout);
        outcome.stdout
    };
    let parse_error =
        "invalid Terraform syntax: invalid block body; expected `}`, newline or identifier";

    let json: Value = serde_json::from_str(&check("json")).unwrap();
    assert_eq!(errors(&json), [error(&broken, 2, 3, parse_error)]);
    assert_eq!(
        findings(&json),
        [
            neighbour(),
            finding(&site, "azurerm_linux_web_app.bad", "client-cert-disabled"),
        ]
    );

    let human = check("human");
    let shown = "sp ace/ünï cödé/new\\nline 50%, a:b & <c>";
    // Findings first, then the errors that make the run exit 2, right above the summary.
    assert_eq!(
        snippet_headers(&human),
        [
            "neighbour/main.tf:2:3".to_string(),
            format!("{shown}/main.tf:2:3"),
            format!("{shown}/broken.tf:2:3"),
        ]
    );
    assert!(
        human.contains(&format!("× {shown}/broken.tf: invalid Terraform syntax")),
        "{human}"
    );
    assert!(!human.contains("new\nline"), "{human}");

    let gitlab: Value = serde_json::from_str(&check("gitlab")).unwrap();
    let paths: Vec<&str> = gitlab
        .as_array()
        .unwrap()
        .iter()
        .map(|issue| issue["location"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["neighbour/main.tf", site.as_str(), broken.as_str()]);

    let sarif: Value = serde_json::from_str(&check("sarif")).unwrap();
    let encoded =
        "sp%20ace/%C3%BCn%C3%AF%20c%C3%B6d%C3%A9/new%0Aline%2050%25,%20a%3Ab%20&%20%3Cc%3E";
    let run = &sarif["runs"][0];
    let uris: Vec<&str> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(
        uris,
        [
            "neighbour/main.tf".to_string(),
            format!("{encoded}/main.tf")
        ]
    );
    assert_eq!(
        run["invocations"][0]["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"]
            ["artifactLocation"]["uri"],
        format!("{encoded}/broken.tf")
    );

    // JUnit: the class names, read back by an XML parser, are the paths themselves with dots
    // as `_` (Jenkins splits class names at dots).
    let junit = check("junit");
    let mut reader = quick_xml::Reader::from_str(&junit);
    let mut classnames = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)
                if e.name().0 == "testcase" =>
            {
                let attribute = e.try_get_attribute("classname").unwrap().unwrap();
                let value = attribute
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .unwrap();
                classnames.push(value.into_owned());
            }
            _ => {}
        }
    }
    assert_eq!(
        classnames,
        [
            "neighbour/main_tf".to_string(),
            site.replace('.', "_"),
            broken.replace('.', "_")
        ]
    );

    let github = check("github");
    let property = "sp ace/ünï cödé/new%0Aline 50%25%2C a%3Ab & <c>";
    let files: Vec<&str> = github
        .lines()
        .map(|line| {
            let file = line.split_once("file=").unwrap().1;
            file.split_once(",line=").unwrap().0
        })
        .collect();
    assert_eq!(
        files,
        [
            "neighbour/main.tf".to_string(),
            format!("{property}/main.tf"),
            format!("{property}/broken.tf"),
        ]
    );
}

/// Two `--fix` runs on the same tree at once: every write replaces a whole file (a temporary
/// file renamed over it), and a run that finds a file changed since it scanned it leaves it
/// alone and says so. Afterwards each file is the original or the fully fixed text, never a
/// mix, and a new scan passes.
#[test]
fn two_fix_runs_at_once_never_tear_a_file() {
    let module = |i: usize| {
        format!(
            "variable \"mtls\" {{\n  default = false\n}}\n\nresource \"azurerm_linux_web_app\" \"a{i}\" {{\n  client_certificate_enabled = var.mtls\n}}\n\nresource \"azurerm_linux_function_app\" \"f{i}\" {{\n  client_certificate_enabled = true\n}}\n"
        )
    };
    let modules = 200;
    let files: Vec<(String, String)> = (0..modules)
        .map(|i| (format!("m{i}/main.tf"), module(i)))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let reference = tempfile::tempdir().unwrap();
    for (name, text) in &files {
        write(dir.path(), name, text);
        write(reference.path(), name, text);
    }
    // The fully fixed text of each file, from one run alone.
    let alone = certgate(reference.path())
        .args(["check", ".", "--fix"])
        .output()
        .unwrap();
    assert_eq!(alone.status.code(), Some(0));
    let fixed = |name: &str| fs::read_to_string(reference.path().join(name)).unwrap();
    assert_ne!(fixed("m0/main.tf"), files[0].1);

    let spawn = || {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("certgate"))
            .args(["check", ".", "--fix", "--format", "json"])
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (first, second) = (spawn(), spawn());
    let mut refused = 0;
    for child in [first, second] {
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(!stderr.contains("panicked"), "{stderr}");
        let json: Value = serde_json::from_slice(&output.stdout).unwrap();
        // Exit 2 only for files the other run had changed first.
        let errors = errors(&json);
        for (path, line, column, message) in &errors {
            assert!(
                path.starts_with('m') && (*line, *column) == (1, 1),
                "{path}"
            );
            assert_eq!(
                message,
                "cannot write the fix: the file changed since it was scanned; the file is unchanged"
            );
        }
        refused += errors.len();
        let expected = if errors.is_empty() { 0 } else { 2 };
        assert_eq!(output.status.code(), Some(expected), "{json}");
    }
    eprintln!("files one run left to the other: {refused}");
    for (name, original) in &files {
        let now = fs::read_to_string(dir.path().join(name)).unwrap();
        assert!(
            now == fixed(name) || now == *original,
            "{name} is neither the original nor the fixed text:\n{now}"
        );
    }
    let leftovers: Vec<PathBuf> = fingerprint(dir.path())
        .into_keys()
        .filter(|path| path.to_string_lossy().contains(".certgate-fix-"))
        .collect();
    assert_eq!(leftovers, Vec::<PathBuf>::new());
    let rescan = certgate(dir.path())
        .args(["check", ".", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(rescan.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&rescan.stdout).unwrap();
    assert_eq!(json["summary"]["passing"], 2 * modules);
    // Every file ended up fixed: a refused write means the other run had written it.
    for (name, _) in &files {
        assert_eq!(
            fs::read_to_string(dir.path().join(name)).unwrap(),
            fixed(name)
        );
    }
}

/// A file or directory name that is not UTF-8 (Linux allows any bytes): scanned like any
/// other, shown with its bad bytes as `\xNN` in every format (raw `%E9` in SARIF URIs), and
/// fixable.
#[cfg(unix)]
#[test]
fn a_name_that_is_not_utf8_is_scanned_and_escaped_in_every_format() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tree(&[]);
    let site_dir = dir.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9"));
    fs::create_dir(&site_dir).unwrap();
    fs::write(site_dir.join("main.tf"), tf_site("bad")).unwrap();
    let broken = dir.path().join(std::ffi::OsStr::from_bytes(b"x\xff.tf"));
    fs::write(
        &broken,
        "resource \"azurerm_linux_web_app\" \"x\" {\n  = \n",
    )
    .unwrap();
    let check = |format: &str| {
        let outcome = run(dir.path(), &["check", ".", "--format", format]);
        assert_eq!(
            outcome.code, 2,
            "{format}: {}{}",
            outcome.stdout, outcome.stderr
        );
        outcome.stdout
    };
    let shown = "caf\\xE9/main.tf";
    let json: Value = serde_json::from_str(&check("json")).unwrap();
    assert_eq!(
        findings(&json),
        [
            finding(shown, "azurerm_linux_web_app.bad", "client-cert-disabled"),
            neighbour(),
        ]
    );
    assert_eq!(json["errors"][0]["path"], "x\\xFF.tf", "{json}");

    let human = check("human");
    assert!(
        snippet_headers(&human).contains(&format!("{shown}:2:3")),
        "{human}"
    );
    assert!(
        human.contains("× x\\xFF.tf: invalid Terraform syntax"),
        "{human}"
    );
    assert!(!human.contains('\u{fffd}'), "{human}");

    let sarif: Value = serde_json::from_str(&check("sarif")).unwrap();
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert_eq!(uri, "caf%E9/main.tf");

    let junit = check("junit");
    assert!(junit.contains("classname=\"caf\\xE9/main_tf\""), "{junit}");
    assert!(junit.contains("classname=\"x\\xFF_tf\""), "{junit}");
    let github = check("github");
    assert!(github.contains("file=caf\\xE9/main.tf,line=2"), "{github}");
    let gitlab: Value = serde_json::from_str(&check("gitlab")).unwrap();
    assert!(
        gitlab
            .as_array()
            .unwrap()
            .iter()
            .any(|issue| issue["location"]["path"] == shown),
        "{gitlab}"
    );

    // The fix is written to the file itself.
    let fixed = certgate(dir.path())
        .args(["check", "--fix", "--format", "json", "."])
        .output()
        .unwrap();
    assert_eq!(fixed.status.code(), Some(2), "the broken file remains");
    let text = fs::read_to_string(site_dir.join("main.tf")).unwrap();
    assert!(text.contains("client_certificate_enabled = true"), "{text}");
}

/// One deployed site, as `az webapp list -o json` writes it (keys sorted).
const EXPORT_ROW: &str = r#"  {
    "clientCertEnabled": false,
    "clientCertExclusionPaths": null,
    "clientCertMode": "Required",
    "id": "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Web/sites/deployed",
    "kind": "app",
    "name": "deployed",
    "resourceGroup": "rg",
    "type": "Microsoft.Web/sites"
  }"#;

#[test]
fn an_inventory_export_cut_short_is_an_error_and_other_exports_are_skipped() {
    let cut = format!("[\n{EXPORT_ROW},\n{}", &EXPORT_ROW[..60]);
    let vms = r#"[{"id": "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm",
        "name": "vm", "tags": {"site": "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Web/sites/deployed"},
        "type": "Microsoft.Compute/virtualMachines"}]"#;
    let dir = tree(&[
        ("estate/webapps.json", cut.as_bytes()),
        ("estate/vms.json", vms.as_bytes()),
        ("estate/empty.json", b"[]\n"),
        ("estate/sites.csv", b"id,clientCertEnabled\nx,false\n"),
        (
            "estate/whole.json",
            format!("[\n{EXPORT_ROW}\n]\n").as_bytes(),
        ),
    ]);
    let outcome = run(dir.path(), &["check", ".", "--format", "json"]);
    assert_eq!(outcome.code, 2);
    let json = outcome.json();
    assert_eq!(
        errors(&json),
        [error(
            "estate/webapps.json",
            14,
            5,
            "inventory export is not valid JSON (cut short?): Unterminated string literal"
        )]
    );
    let deployed = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Web/sites/deployed";
    assert_eq!(
        findings(&json),
        [
            finding("estate/whole.json", deployed, "client-cert-disabled"),
            neighbour()
        ]
    );
}
