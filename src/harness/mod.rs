//! The invariants the fuzz targets (`fuzz/`) and `tests/fuzz_regressions.rs` check, defined once:
//! each function takes one input, runs the whole scan (or the fixer) on it in memory, and says
//! which invariant broke. A panic, a stack overflow or a hang inside is itself a failure, caught
//! by libFuzzer or the test runner.
//!
//! Invariants of every scan: every span (findings, their origins, errors, notices, resources)
//! lies inside its file on character boundaries, every resource finding names a judged
//! declaration, and every output format renders (JSON and SARIF as valid JSON). The fixer's
//! invariants are in [`fixes`]. Inputs are scanned in memory ([`scan_in_memory`]).

mod fix;
pub mod literal_site;
#[cfg(unix)]
mod tree;
mod workspace;

use std::path::Path;

use crate::report::human::{self, Style};
use crate::report::{self, Report};
use crate::source::{SourceMap, Span};

pub use fix::fixes;
#[cfg(unix)]
pub use tree::tree;
pub use workspace::{File, scan_in_memory};

/// What a failed check says: the invariant that broke, with enough detail to debug it.
pub type Outcome = Result<(), String>;

/// A `.tf` file's bytes, scanned as the only file of a root module (`main.tf`).
pub fn terraform(bytes: &[u8]) -> Outcome {
    one_file("main.tf", bytes)
}

/// A JSON file's bytes, scanned as an ARM template (`azuredeploy.json`), through the lenient
/// JSON reader (comments, trailing commas).
pub fn arm_template(bytes: &[u8]) -> Outcome {
    one_file("azuredeploy.json", bytes)
}

/// A Bicep file's bytes, scanned as `main.bicep`.
pub fn bicep(bytes: &[u8]) -> Outcome {
    one_file("main.bicep", bytes)
}

/// An ARM template expression (`[if(parameters('x'), …)]`, or any text), parsed and evaluated
/// wherever a template evaluates one: a variable another value reads, a site's certificate
/// setting, a `condition`, a `copy` count and a name.
pub fn arm_expression(expression: &str) -> Outcome {
    let template = arm_expression_template(expression);
    scan_files(&[File::new("azuredeploy.json", template)])
}

/// The template [`arm_expression`] embeds `expression` in: parameters of every type to refer
/// to, a variable chain, and sites that read the expression in each place.
pub fn arm_expression_template(expression: &str) -> String {
    let e = serde_json::Value::String(expression.to_string()).to_string();
    format!(
        r#"{{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {{
    "x": {{ "type": "bool", "defaultValue": true }},
    "s": {{ "type": "string", "defaultValue": "Required" }},
    "n": {{ "type": "int", "defaultValue": 2 }},
    "o": {{ "type": "object", "defaultValue": {{ "a": {{ "b": [1, "Optional"] }}, "mode": "Optional" }} }},
    "a": {{ "type": "array", "defaultValue": ["x", "y", true] }}
  }},
  "variables": {{ "v": {e}, "w": "[variables('v')]" }},
  "resources": [
    {{ "type": "Microsoft.Web/sites", "apiVersion": "2022-03-01", "name": "value",
      "properties": {{ "clientCertEnabled": {e}, "clientCertMode": "[variables('w')]",
        "clientCertExclusionPaths": {e} }} }},
    {{ "type": "Microsoft.Web/sites", "apiVersion": "2022-03-01", "name": {e},
      "condition": {e}, "properties": {{ "clientCertEnabled": true, "clientCertMode": {e} }} }},
    {{ "type": "Microsoft.Web/sites", "apiVersion": "2022-03-01", "name": "[concat('c', copyIndex())]",
      "copy": {{ "name": "c", "count": {e} }},
      "properties": {{ "clientCertEnabled": "[variables('w')]" }} }}
  ]
}}
"#
    )
}

/// A project of several files (relative paths), as the structure-aware targets generate them.
pub fn project(files: &[File]) -> Outcome {
    scan_files(files)
}

fn one_file(name: &str, bytes: &[u8]) -> Outcome {
    // Decoding (BOM, NUL, UTF-16, invalid UTF-8) runs on the raw bytes; the scan reads the text
    // through the loader's in-memory overrides, which hold text, so invalid bytes become U+FFFD.
    let _ = crate::load::decode(Path::new(name), bytes.to_vec(), &SourceMap::default());
    let text = String::from_utf8_lossy(bytes).into_owned();
    scan_files(&[File::new(name, text)])
}

fn scan_files(files: &[File]) -> Outcome {
    let report = scan_in_memory(files, &Default::default());
    check_report(&report)
}

/// Every judged resource of `fixtures/<path>` (a folder of the crate's fixtures), sorted by
/// address, then scenario. The folder must scan without input errors, and every span of the
/// report (resources, rollout inputs, identities and their origins) must lie inside its file.
#[cfg(test)]
pub fn judged_fixture(path: &str) -> Vec<crate::model::Resource> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path);
    let report = crate::scan(&[dir], &crate::Settings::default());
    assert!(report.errors.is_empty(), "{path}: {:?}", report.errors);
    check_report(&report).unwrap();
    let mut all: Vec<_> = report.groups.into_iter().flatten().collect();
    all.sort_by(|a, b| (&a.address, &a.scenario).cmp(&(&b.address, &b.scenario)));
    all
}

/// The invariants of one scan's report.
pub fn check_report(report: &Report) -> Outcome {
    let sources = &report.sources;
    for finding in report.findings.iter().chain(&report.suppressed) {
        let what = format!("finding {} on `{}`", finding.rule, finding.address);
        check_span(sources, finding.span, &what)?;
        check_origins(sources, &finding.origin, &what)?;
        // Exception findings (`unused-exception`, …) belong to no declaration.
        if let Some(group) = finding.group()
            && report.groups.get(group).is_none()
        {
            return Err(format!("{what} names no judged declaration"));
        }
    }
    for error in report.errors.iter().chain(&report.notices) {
        if let Some(span) = error.span {
            check_span(sources, span, &format!("error `{}`", error.message))?;
        }
    }
    for group in &report.groups {
        for resource in group {
            check_span(
                sources,
                resource.header,
                &format!("header of `{}`", resource.address),
            )?;
            check_rollout(sources, resource)?;
            check_identity(sources, resource)?;
        }
    }
    render_every_format(report)
}

/// The spans of a resource's identity values (issue 16) and their origins'.
fn check_identity(sources: &SourceMap, resource: &crate::model::Resource) -> Outcome {
    let identity = &resource.identity;
    let what = format!("an identity value of `{}`", resource.address);
    for value in [
        &identity.id,
        &identity.name,
        &identity.parent,
        &identity.resource_group,
        &identity.subscription,
    ]
    .into_iter()
    .flatten()
    {
        check_value(sources, value, &what)?;
    }
    Ok(())
}

/// A value's span and the spans of its origins.
fn check_value(sources: &SourceMap, value: &crate::model::Value, what: &str) -> Outcome {
    check_span(sources, value.span, what)?;
    check_origins(sources, &value.origin, what)
}

/// The span of every step of an origin chain.
fn check_origins(sources: &SourceMap, origin: &[crate::model::Origin], what: &str) -> Outcome {
    for step in origin {
        check_span(
            sources,
            step.span,
            &format!("origin `{}` of {what}", step.note),
        )?;
    }
    Ok(())
}

/// The spans of a resource's rollout inputs: each value's, its origins', each rule's.
fn check_rollout(sources: &SourceMap, resource: &crate::model::Resource) -> Outcome {
    use crate::model::{Restrictions, Tags};
    let rollout = &resource.rollout;
    let mut values: Vec<&crate::model::Value> = Vec::new();
    values.extend(&rollout.public_access);
    values.extend(&rollout.default_action);
    match &rollout.restrictions {
        Restrictions::Absent => {}
        Restrictions::Unknown(value) => values.push(value),
        Restrictions::Rules(rules) => {
            for rule in rules {
                let what = format!("an access rule of `{}`", resource.address);
                check_span(sources, rule.span, &what)?;
                values.extend(
                    [
                        &rule.action,
                        &rule.ip_address,
                        &rule.service_tag,
                        &rule.subnet,
                    ]
                    .into_iter()
                    .flatten(),
                );
            }
        }
    }
    match &rollout.tags {
        Tags::Absent => {}
        Tags::Unknown(value) => values.push(value),
        Tags::Entries(entries) => values.extend(entries.iter().map(|(_, value)| value)),
    }
    let what = format!("a rollout input of `{}`", resource.address);
    for value in values {
        check_value(sources, value, &what)?;
    }
    Ok(())
}

fn check_span(sources: &SourceMap, span: Span, what: &str) -> Outcome {
    let source = sources.get(span.file);
    let text = source.text();
    let range = span.range();
    let inside = range.start <= range.end && range.end <= text.len();
    if !inside || !text.is_char_boundary(range.start) || !text.is_char_boundary(range.end) {
        return Err(format!(
            "{what}: span {range:?} is not inside its file ({} bytes)",
            text.len()
        ));
    }
    Ok(())
}

fn render_every_format(report: &Report) -> Outcome {
    let style = Style::plain();
    human::render(report, style);
    for (format, text) in [
        ("json", report::json::render(report)),
        ("sarif", report::sarif::render(report)),
    ] {
        serde_json::from_str::<serde_json::Value>(&text)
            .map_err(|why| format!("the {format} output is not JSON ({why}):\n{text}"))?;
    }
    report::junit::render(report);
    report::github::render(report);
    report::gitlab::render(report);
    Ok(())
}
