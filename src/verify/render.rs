//! Prints `certgate verify`'s outcome: the failing sites, then the commands that export them
//! again (human), or one JSON document.

use serde_json::json;

use super::{Check, Verified};

/// The human report: the failing sites, then the query to export them again.
pub(crate) fn human(verified: &Verified) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let (pass, fail) = match verified.check {
        Check::Enabled => (
            "have clientCertEnabled = true",
            "do not have clientCertEnabled = true",
        ),
        Check::Strict => (
            "require client certificates (certgate's verdicts)",
            "do not require client certificates (certgate's verdicts)",
        ),
    };
    for notice in &verified.notices {
        let _ = writeln!(out, "notice: {notice}");
    }
    if verified.failing.is_empty() {
        let _ = writeln!(
            out,
            "Verified: all {} deployed sites and slots {pass}.",
            verified.sites
        );
    } else {
        let _ = writeln!(
            out,
            "{} of {} deployed sites and slots {fail}:\n",
            verified.failing.len(),
            verified.sites
        );
        for site in &verified.failing {
            let _ = writeln!(
                out,
                "  {} ({})\n    {}:{}: {} [{}]",
                site.id,
                site.kind.replace('-', " "),
                crate::paths::path_text(&site.location.path),
                site.location.start.line,
                site.reason,
                site.verdict
            );
        }
    }
    let _ = write!(out, "\n{}", super::query::instructions());
    out
}

/// The JSON report (`--format json`).
pub(crate) fn json(verified: &Verified) -> String {
    let failing: Vec<serde_json::Value> = verified
        .failing
        .iter()
        .map(|site| {
            json!({
                "id": site.id,
                "kind": site.kind,
                "path": site.location.path.to_string_lossy(),
                "line": site.location.start.line,
                "column": site.location.start.column,
                "verdict": site.verdict,
                "reason": site.reason,
            })
        })
        .collect();
    let document = json!({
        "check": match verified.check {
            Check::Enabled => "client-cert-enabled",
            Check::Strict => "strict",
        },
        "sites": verified.sites,
        "failing": failing,
        "notices": verified.notices,
        "query": super::query::QUERY,
    });
    let mut text = serde_json::to_string_pretty(&document).expect("the report serialises");
    text.push('\n');
    text
}
