//! `--format junit`: the report as JUnit XML, for CI test-result views (Azure Pipelines
//! `PublishTestResults`, GitLab `artifacts:reports:junit`, Jenkins).
//!
//! One `<testcase>` per checked resource (and scenario), which is one per finding: a resource
//! gets at most one finding (`rules::judge` returns the first rule that fires). `name` is its
//! address (with ` [scenario]` when there are several deployment scenarios), `classname` its
//! file with dots as `_` (see [`classname`]). An error finding is a `<failure>` (message: rule id and message; text: help and location). A
//! warning does not fail the test case, matching the exit code; it is written to the case's
//! `<system-out>`, which Azure Pipelines and GitLab both show in the test's details (a
//! `<skipped>` would hide that the resource was checked and wrongly count it as not run).
//! Suppressed and baselined findings are `<system-out>` lines too, never failures. Each
//! exception finding is a test case of its own, named `RULE at FILE:LINE:COLUMN`, and so is
//! each error (`<error>`, named `FILE:LINE:COLUMN`), so `failures` is the summary's `failing`
//! plus `exception_errors`, and `errors` its `errors`.
//!
//! Written by hand rather than with an XML crate: the output is a fixed, flat shape and only
//! needs attribute and text escaping (see [`escape`]); tests/formats.rs parses it with a real
//! XML reader.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use super::{Finding, Location, Report, Treatment};
use crate::diagnostic::Severity;
use crate::paths::base::Base;

/// One test case: a resource (or a stray finding, or an unreadable file) and what it got.
#[derive(Default)]
struct Case {
    name: String,
    classname: String,
    failures: Vec<(String, String)>,
    error: Option<String>,
    out: Vec<String>,
}

/// The file as a `classname`: Jenkins splits a class name at its last dot into package and
/// class, so `infra/main.tf` would show as class `tf` in package `infra/main`; dots become `_`.
fn classname(base: &Base, path: &Path) -> String {
    base.text(path).replace('.', "_")
}

fn place(base: &Base, location: &Location) -> String {
    format!(
        "{}:{}:{}",
        base.text(&location.path),
        location.start.line,
        location.start.column
    )
}

fn case_name(address: &str, scenario: Option<&str>) -> String {
    let address = crate::quote::clip(address);
    match scenario {
        Some(scenario) => format!("{address} [{scenario}]"),
        None => address.to_string(),
    }
}

fn describe(finding: &Finding) -> String {
    let mut text = format!("{}: {}", finding.rule, finding.message);
    if let Some(note) = &finding.note {
        let _ = write!(text, " ({note})");
    }
    text
}

/// Adds what `finding` says to `case`, by how it was treated.
fn record(base: &Base, case: &mut Case, finding: &Finding, treatment: Treatment) {
    match (treatment, finding.severity) {
        (Treatment::Reported, Severity::Error) => {
            let body = format!("{}\n{}", finding.help, place(base, &finding.location));
            case.failures.push((describe(finding), body));
        }
        (Treatment::Reported, Severity::Warning) => {
            let line = format!(
                "warning {} at {}",
                describe(finding),
                place(base, &finding.location)
            );
            case.out.push(line);
        }
        (Treatment::Baselined, _) => {
            case.out
                .push(format!("in the baseline: {}", describe(finding)));
        }
        (Treatment::Suppressed, _) => {
            let by = finding.suppressed.as_ref().map_or("an exception", |s| s.by);
            case.out
                .push(format!("suppressed by {by}: {}", describe(finding)));
        }
    }
}

/// Renders the report as one `<testsuite>` inside `<testsuites>`, with a trailing newline.
///
/// The cases follow the report's one list of resource statuses, so `failures` is the
/// summary's `failing` plus the exception findings at error severity, and `errors` its
/// `errors`.
pub fn render(report: &Report) -> String {
    render_in(report, &Base::cwd())
}

/// [`render`] with paths (and class names) relative to `base`.
pub fn render_in(report: &Report, base: &Base) -> String {
    let mut cases: Vec<Case> = report
        .resources
        .iter()
        .map(|resource| Case {
            name: case_name(&resource.address, resource.scenario.as_deref()),
            classname: classname(base, &resource.location.path),
            ..Case::default()
        })
        .collect();
    // A finding belongs to its resource's case through the judged declaration (the group),
    // never through its address: two files may declare the same address.
    let case_of_group: HashMap<usize, usize> = report
        .resources
        .iter()
        .enumerate()
        .map(|(i, resource)| (resource.group, i))
        .collect();
    for (finding, treatment) in report.treated_findings() {
        let i = match finding.group().and_then(|g| case_of_group.get(&g)) {
            Some(&i) => i,
            // An exception finding (or a finding whose resource is not listed) is a case of
            // its own, named by its rule and place so that several in one file stay apart.
            _ => {
                cases.push(Case {
                    name: format!("{} at {}", finding.rule, place(base, &finding.location)),
                    classname: classname(base, &finding.location.path),
                    ..Case::default()
                });
                cases.len() - 1
            }
        };
        record(base, &mut cases[i], finding, treatment);
    }
    for error in &report.errors {
        let at = format!(
            "{}:{}:{}",
            base.text(&error.path),
            error.start.line,
            error.start.column
        );
        cases.push(Case {
            name: at.clone(),
            classname: classname(base, &error.path),
            error: Some(format!("{at}: {}", error.message)),
            ..Case::default()
        });
    }
    let failures = cases.iter().filter(|c| !c.failures.is_empty()).count();
    let errors = cases.iter().filter(|c| c.error.is_some()).count();
    let seconds = report.elapsed.as_secs_f64();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let counts = format!(
        "tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\" time=\"{seconds:.3}\"",
        cases.len()
    );
    let _ = writeln!(xml, "<testsuites name=\"certgate\" {counts}>");
    let _ = writeln!(xml, "  <testsuite name=\"certgate\" {counts}>");
    for case in &cases {
        let _ = write!(
            xml,
            "    <testcase name=\"{}\" classname=\"{}\" time=\"0\"",
            escape(&case.name),
            escape(&case.classname)
        );
        if case.failures.is_empty() && case.error.is_none() && case.out.is_empty() {
            xml.push_str("/>\n");
            continue;
        }
        xml.push_str(">\n");
        for (message, body) in &case.failures {
            let _ = writeln!(
                xml,
                "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                escape(message),
                escape(message.split(':').next().unwrap_or_default()),
                escape(body)
            );
        }
        if let Some(message) = &case.error {
            let _ = writeln!(
                xml,
                "      <error message=\"{}\" type=\"file-error\">{}</error>",
                escape(message),
                escape(message)
            );
        }
        if !case.out.is_empty() {
            let _ = writeln!(
                xml,
                "      <system-out>{}</system-out>",
                escape(&case.out.join("\n"))
            );
        }
        xml.push_str("    </testcase>\n");
    }
    xml.push_str("  </testsuite>\n</testsuites>\n");
    xml
}

/// Escapes text for XML 1.0 attribute values and element content alike. Control characters
/// from the scanned files (ESC, BEL, CR, bidirectional overrides) are first written as
/// visible escapes (`\u{1b}`), as in every format; line feeds and tabs are written as
/// character references so attribute values keep them; U+FFFE and U+FFFF, which XML 1.0
/// cannot carry, become U+FFFD.
fn escape(text: &str) -> String {
    let text = crate::quote::visible(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classnames_have_no_dots_for_jenkins_to_split() {
        let cwd = Base::cwd();
        assert_eq!(classname(&cwd, Path::new("infra/main.tf")), "infra/main_tf");
        assert_eq!(classname(&cwd, Path::new("./a.b/c.bicep")), "a_b/c_bicep");
    }

    #[test]
    fn escapes_markup_quotes_and_control_characters() {
        assert_eq!(escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(escape("x\ny\u{1}"), "x&#10;y\\u{1}");
        assert_eq!(escape("a\u{1b}[1m\rb\u{FFFF}"), "a\\u{1b}[1m\\rb\u{FFFD}");
        assert_eq!(escape("ü ok"), "ü ok");
    }
}
