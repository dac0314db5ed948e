//! `--format junit|github|gitlab` and `--output` over a small temporary tree whose directory
//! name holds a comma and a colon and whose file name holds a `%`.

mod common;

use assert_cmd::Command;
use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::Event;
use serde_json::Value;

const MAIN_TF: &str = r#"variable "mtls" {}

resource "azurerm_linux_web_app" "bad" {
  name                       = "bad"
  client_certificate_enabled = false
}

resource "azurerm_linux_web_app" "unresolved" {
  name                       = "unresolved"
  client_certificate_enabled = var.mtls
  client_certificate_mode    = "Required"
}

resource "azurerm_linux_web_app" "good" {
  name                       = "good"
  client_certificate_enabled = true
  client_certificate_mode    = "Required"
}
"#;

/// A directory name with a comma and a colon, which GitHub properties escape. Windows allows
/// no `:` in a name: there a `;` stands in (the colon's escape is unit-tested).
#[cfg(not(windows))]
const DIR: &str = "in,fra:x";
#[cfg(windows)]
const DIR: &str = "in,fra;x";
/// [`DIR`] as a GitHub property.
#[cfg(not(windows))]
const DIR_PROPERTY: &str = "in%2Cfra%3Ax";
#[cfg(windows)]
const DIR_PROPERTY: &str = "in%2Cfra;x";
const FILE: &str = "we%ird.tf";

fn tree() -> tempfile::TempDir {
    let root = tempfile::tempdir().expect("temp dir");
    let dir = root.path().join(DIR);
    std::fs::create_dir(&dir).expect("create dir");
    std::fs::write(dir.join(FILE), MAIN_TF).expect("write tf");
    root
}

/// Runs `certgate check . <args>` in `root`; returns (exit code, stdout, stderr).
fn run(root: &tempfile::TempDir, args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::cargo_bin("certgate")
        .expect("the binary builds")
        .current_dir(root.path())
        .args(["check", "."])
        .args(args)
        .output()
        .expect("certgate runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Parses `xml` with a real XML reader (which checks well-formedness and matching end tags)
/// and counts the elements with each name.
fn element_counts(xml: &str) -> std::collections::BTreeMap<String, usize> {
    let mut reader = Reader::from_str(xml);
    let mut counts = std::collections::BTreeMap::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let name = e.name().0.to_string();
                for attribute in e.attributes() {
                    let attribute = attribute.expect("well-formed attribute");
                    attribute
                        .normalized_value(XmlVersion::Implicit1_0)
                        .expect("only known entities in attribute values");
                }
                *counts.entry(name).or_insert(0) += 1;
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!(
                "not well-formed XML at {}: {e}\n{xml}",
                reader.buffer_position()
            ),
        }
    }
    counts
}

#[test]
fn junit_is_well_formed_with_one_case_per_resource() {
    let root = tree();
    let (code, xml, stderr) = run(&root, &["--format", "junit"]);
    assert_eq!(code, Some(1), "stderr: {stderr}");
    let counts = element_counts(&xml);
    assert_eq!(counts.get("testsuites"), Some(&1));
    assert_eq!(counts.get("testcase"), Some(&3), "{xml}");
    assert_eq!(counts.get("failure"), Some(&1), "{xml}");
    assert_eq!(counts.get("system-out"), Some(&1), "the warning: {xml}");
    assert!(
        xml.contains(r#"tests="3" failures="1" errors="0""#),
        "{xml}"
    );
    assert!(
        xml.contains(&format!(
            r#"<testcase name="azurerm_linux_web_app.bad" classname="{DIR}/we%ird_tf""#
        )),
        "{xml}"
    );
    assert!(xml.contains("message=\"client-cert-disabled: "), "{xml}");
}

#[test]
fn github_escapes_properties_and_data() {
    let root = tree();
    let (code, out, stderr) = run(&root, &["--format", "github"]);
    assert_eq!(code, Some(1), "stderr: {stderr}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    let error = lines
        .iter()
        .find(|l| l.starts_with("::error "))
        .expect("an error annotation");
    assert!(
        error.starts_with(&format!(
            "::error file={DIR_PROPERTY}/we%25ird.tf,line=5,col=3,endLine=5,"
        )),
        "{error}"
    );
    assert!(
        error.contains(",title=client-cert-disabled azurerm_linux_web_app.bad::"),
        "{error}"
    );
    // The help is on a second line of the annotation; the message keeps its `:` unescaped.
    let data = error
        .split_once("::")
        .and_then(|(_, rest)| rest.split_once("::"));
    let (_, message) = data.expect("a data part");
    assert!(
        message.contains("%0Aset `client_certificate_enabled = true`"),
        "{message}"
    );
    assert!(!message.contains('\n'));
    let warning = lines
        .iter()
        .find(|l| l.starts_with("::warning "))
        .expect("a warning annotation");
    assert!(
        warning.contains(&format!("file={DIR_PROPERTY}/we%25ird.tf,line=10,")),
        "{warning}"
    );
}

#[test]
fn gitlab_code_quality_shape_and_stable_fingerprints() {
    let root = tree();
    let (code, first, stderr) = run(&root, &["--format", "gitlab"]);
    assert_eq!(code, Some(1), "stderr: {stderr}");
    let issues: Value = serde_json::from_str(&first).expect("JSON");
    let issues = issues.as_array().expect("an array");
    assert_eq!(issues.len(), 2);
    for issue in issues {
        assert!(issue["description"].is_string());
        assert!(issue["check_name"].is_string());
        let fingerprint = issue["fingerprint"].as_str().expect("fingerprint");
        assert_eq!(fingerprint.len(), 16);
        assert_eq!(issue["location"]["path"], format!("{DIR}/we%ird.tf"));
        assert!(issue["location"]["lines"]["begin"].is_u64());
    }
    let by_rule = |rule: &str| {
        issues
            .iter()
            .find(|i| i["check_name"] == rule)
            .unwrap_or_else(|| panic!("no {rule}"))
    };
    assert_eq!(by_rule("client-cert-disabled")["severity"], "major");
    assert_eq!(by_rule("client-cert-unresolved")["severity"], "minor");
    assert_ne!(issues[0]["fingerprint"], issues[1]["fingerprint"]);

    // Moving the resource down a few lines keeps its fingerprint.
    let file = root.path().join(DIR).join(FILE);
    std::fs::write(&file, format!("\n\n\n{MAIN_TF}")).expect("rewrite");
    let (_, second, _) = run(&root, &["--format", "gitlab"]);
    let moved: Value = serde_json::from_str(&second).expect("JSON");
    let fingerprints =
        |v: &[Value]| -> Vec<Value> { v.iter().map(|i| i["fingerprint"].clone()).collect() };
    let moved = moved.as_array().expect("an array");
    assert_eq!(fingerprints(issues), fingerprints(moved));
    assert_ne!(issues[0]["location"], moved[0]["location"]);
}

#[test]
fn output_writes_the_file_and_prints_the_summary() {
    let root = tree();
    let (code, stdout, stderr) = run(&root, &["--format", "junit", "--output", "report.xml"]);
    assert_eq!(code, Some(1), "stderr: {stderr}");
    assert_eq!(stdout, "");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("Scanned 1 file"), "{stderr}");
    assert!(
        stderr.contains("1 failing, 1 warning, 1 passing"),
        "{stderr}"
    );
    assert!(
        stderr.trim_end().ends_with("Report written to report.xml."),
        "{stderr}"
    );
    let xml = std::fs::read_to_string(root.path().join("report.xml")).expect("the report");
    assert_eq!(element_counts(&xml).get("testcase"), Some(&3));
    let leftovers = std::fs::read_dir(root.path())
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .count();
    assert_eq!(leftovers, 0);

    let (code, _, stderr) = run(&root, &["--format", "json", "-o", "missing/report.json"]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("cannot write the report missing/report.json"),
        "{stderr}"
    );
}

#[test]
fn github_and_gitlab_paths_are_relative_to_the_repository_root_wherever_certgate_runs() {
    // GitHub places an annotation and GitLab a Code Quality issue by the path from the
    // repository root; run from a subdirectory or from outside, the paths must not change.
    let dir = tempfile::tempdir().expect("a temp dir");
    let repo = common::repo_with_infra_main_tf(dir.path(), MAIN_TF);
    let mut gitlab_fingerprints = Vec::new();
    for (cwd, target) in [
        (repo.clone(), "infra"),
        (repo.join("infra"), "."),
        (dir.path().to_path_buf(), "repo/infra"),
    ] {
        let output = |format: &str| {
            let output = Command::cargo_bin("certgate")
                .expect("the binary builds")
                .current_dir(&cwd)
                .args(["check", target, "--format", format])
                .output()
                .expect("certgate runs");
            assert_eq!(output.status.code(), Some(1), "{format}");
            String::from_utf8(output.stdout).expect("UTF-8")
        };
        let github = output("github");
        assert!(
            github.starts_with("::error file=infra/main.tf,line=5,"),
            "from {}: {github}",
            cwd.display()
        );
        let issues: Value = serde_json::from_str(&output("gitlab")).expect("JSON");
        let issues = issues.as_array().expect("an array");
        assert!(
            issues
                .iter()
                .all(|issue| issue["location"]["path"] == "infra/main.tf"),
            "from {}: {issues:?}",
            cwd.display()
        );
        gitlab_fingerprints.push(
            issues
                .iter()
                .map(|issue| issue["fingerprint"].clone())
                .collect::<Vec<_>>(),
        );
    }
    assert!(
        gitlab_fingerprints.windows(2).all(|w| w[0] == w[1]),
        "{gitlab_fingerprints:?}"
    );
}
