//! Every output format over a report whose files have Windows paths, drawn with Windows rules
//! on whatever OS runs the tests: `C:\repo\infra\main.tf` relative to `C:\repo` is
//! `infra/main.tf` in every format, and a file on another drive keeps its drive.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::Report;
use crate::harness::{File, scan_in_memory};
use crate::paths::base::Base;
use crate::paths::style::{self, PathStyle::Windows};

const DISABLED: &str = r#"resource "azurerm_linux_web_app" "web" {
  name                       = "web"
  client_certificate_enabled = false
}
"#;

/// A scan of `infra/main.tf` (a finding) and `infra/bad.tf` (an error), its paths then
/// rewritten as a Windows scan of `root` would give them.
fn windows_report(root: &str) -> Report {
    let files = [
        File::new("infra/main.tf", DISABLED),
        File::new("infra/bad.tf", "resource \"x\" {\n"),
    ];
    let mut report = scan_in_memory(&files, &Default::default());
    let project = Path::new("/certgate-harness/project");
    let rewrite = |path: &mut PathBuf| {
        let relative = path.strip_prefix(project).expect("inside the project");
        let relative = relative.to_string_lossy().replace('/', "\\");
        *path = PathBuf::from(format!("{root}\\{relative}"));
    };
    for finding in &mut report.findings {
        rewrite(&mut finding.location.path);
    }
    for resource in &mut report.resources {
        rewrite(&mut resource.location.path);
    }
    for record in report.errors.iter_mut().chain(&mut report.notices) {
        rewrite(&mut record.path);
    }
    assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    report
}

fn repo() -> Base {
    Base::styled(r"C:\repo", Windows)
}

#[test]
fn github_annotations_name_the_file_relative_and_slashed() {
    let text = super::github::render_in(&windows_report(r"C:\repo"), &repo());
    assert!(
        text.contains("::error file=infra/main.tf,line=3,"),
        "{text}"
    );
    assert!(text.contains("::error file=infra/bad.tf,line="), "{text}");
    // Another drive: absolute, its `:` escaped as every property's is.
    let text = super::github::render_in(&windows_report(r"D:\other"), &repo());
    assert!(text.contains("file=D%3A/other/infra/main.tf,"), "{text}");
}

#[test]
fn gitlab_locations_are_relative_and_slashed() {
    let text = super::gitlab::render_in(&windows_report(r"c:\Repo"), &repo());
    let issues: Value = serde_json::from_str(&text).expect("JSON");
    let paths: Vec<&str> = (issues.as_array().expect("an array").iter())
        .map(|issue| issue["location"]["path"].as_str().expect("a path"))
        .collect();
    assert_eq!(paths, ["infra/main.tf", "infra/bad.tf"]);
}

#[test]
fn junit_class_names_and_places_are_relative_and_slashed() {
    let text = super::junit::render_in(&windows_report(r"C:\repo"), &repo());
    assert!(text.contains(r#"classname="infra/main_tf""#), "{text}");
    assert!(text.contains(r#"classname="infra/bad_tf""#), "{text}");
    assert!(text.contains("infra/bad.tf:"), "{text}");
    assert!(!text.contains('\\'), "{text}");
}

#[test]
fn sarif_uris_are_relative_to_srcroot_or_absolute_file_uris() {
    let text = super::sarif::render_in(&windows_report(r"C:\repo"), &repo(), &repo());
    let log: Value = serde_json::from_str(&text).expect("JSON");
    let run = &log["runs"][0];
    assert_eq!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        "file:///C:/repo/"
    );
    let location = &run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(location["uri"], "infra/main.tf");
    assert_eq!(location["uriBaseId"], "%SRCROOT%");
    let notification = &run["invocations"][0]["toolExecutionNotifications"][0];
    let location = &notification["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(location["uri"], "infra/bad.tf");

    // A scan of a UNC share with spaces and non-ASCII names, against a repository on C:.
    let text = super::sarif::render_in(
        &windows_report(r"\\server\share\my repo\Zoë"),
        &repo(),
        &repo(),
    );
    let log: Value = serde_json::from_str(&text).expect("JSON");
    let location = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"],
        serde_json::json!({ "uri": "file://server/share/my%20repo/Zo%C3%AB/infra/main.tf" })
    );
}

#[test]
fn fingerprints_do_not_depend_on_separators_or_drive_letter_case() {
    let at = |root: &str| {
        let report = windows_report(root);
        super::fingerprint::fingerprints_in(&repo(), &report.findings)
    };
    assert_eq!(at(r"C:\repo"), at(r"c:\REPO"));
    let unix = scan_in_memory(&[File::new("infra/main.tf", DISABLED)], &Default::default());
    // The same scan as this OS names it.
    let unix_base = Base::native(Path::new("/certgate-harness/project"));
    assert_eq!(
        at(r"C:\repo"),
        super::fingerprint::fingerprints_in(&unix_base, &unix.findings)
    );
}

#[test]
fn human_concise_and_json_show_the_scanned_spelling_slashed() {
    // These formats show a path as it was scanned (`certgate check infra` gives
    // `infra\main.tf` on Windows) through `paths::path_text`, which is this with the native
    // style.
    assert_eq!(style::text(br"infra\main.tf", Windows), "infra/main.tf");
    assert_eq!(
        style::text(br"C:\repo\infra\main.tf", Windows),
        "C:/repo/infra/main.tf"
    );
}

#[test]
fn baselines_key_windows_paths_like_unix_ones() {
    let base = Base::styled(r"C:\repo\ci", Windows);
    assert_eq!(
        base.text(Path::new(r"C:\repo\infra\main.tf")),
        "../infra/main.tf"
    );
    let unix = Base::styled("/repo/ci", crate::paths::style::PathStyle::Unix);
    assert_eq!(
        unix.text(Path::new("/repo/infra/main.tf")),
        base.text(Path::new(r"c:\REPO\infra\main.tf"))
    );
}

#[test]
fn config_globs_and_codeowners_see_forward_slashes() {
    // `exclude`, exceptions' `path` and CODEOWNERS get `paths::relative_to`, which is this.
    let relative = style::inside(br"C:\repo", br"C:\Repo\infra\web\main.tf", Windows)
        .expect("inside the repository");
    assert_eq!(relative, "infra/web/main.tf");
    let glob = crate::config::glob::PathGlob::new("infra/**/*.tf").expect("a glob");
    assert!(glob.matches(&relative));
    assert!(
        crate::config::glob::PathGlob::new("/infra/web")
            .expect("a glob")
            .matches(&relative)
    );
    let owners = crate::rollout::owners::CodeOwners::parse(
        "/infra/web/ @org/web\n",
        Path::new("CODEOWNERS"),
    );
    assert_eq!(owners.owners_of(Path::new(&relative)), ["@org/web"]);
}
