//! The script as bash with the Azure CLI: `az webapp update` / `az functionapp update` with
//! generic `--set` of the site's properties (and `--slot` for a slot), and `az resource
//! update --ids` for logic apps (Standard logic apps are `Microsoft.Web/sites` too, but `az
//! logicapp` has no generic `--set`).

use super::layout;
use super::shell::bash as q;
use super::target::{Script, Target};
use crate::model::SiteKind;

/// The bash script.
pub fn render(script: &Script) -> String {
    let mut out = String::from("#!/usr/bin/env bash\n");
    for line in layout::header(script) {
        comment(&mut out, &line);
    }
    // -e: stop at the first failing command; -u, pipefail: no silent half-runs.
    out.push_str("set -euo pipefail\n");
    let skipped = layout::skipped(script);
    if !skipped.is_empty() {
        out.push('\n');
        for line in skipped {
            comment(&mut out, &line);
        }
    }
    for block in &script.blocks {
        out.push('\n');
        for line in layout::block(block, script.batch_count) {
            comment(&mut out, &line);
        }
        for target in &block.targets {
            for line in layout::target(target) {
                comment(&mut out, &line);
            }
            out.push_str(&command(target));
            out.push('\n');
        }
    }
    out
}

/// The one command that fixes `target`. Every value from the export is quoted.
pub fn command(target: &Target) -> String {
    let exclusion = |prefix: &str| {
        if target.clear_exclusion_paths {
            format!(" {}", q(&format!("{prefix}clientCertExclusionPaths=")))
        } else {
            String::new()
        }
    };
    match target.kind {
        SiteKind::LogicApp => format!(
            "az resource update --ids {} --set properties.clientCertEnabled=true \
             properties.clientCertMode=Required{} --output none",
            q(&target.id),
            exclusion("properties.")
        ),
        SiteKind::WebApp | SiteKind::FunctionApp => {
            let group = if target.kind == SiteKind::FunctionApp {
                "functionapp"
            } else {
                "webapp"
            };
            let slot = target
                .parts
                .slot
                .as_deref()
                .map(|s| format!(" --slot {}", q(s)))
                .unwrap_or_default();
            format!(
                "az {group} update --subscription {} --resource-group {} --name {}{slot} \
                 --set clientCertEnabled=true clientCertMode=Required{} --output none",
                q(&target.parts.subscription),
                q(&target.parts.resource_group),
                q(&target.parts.site),
                exclusion("")
            )
        }
    }
}

fn comment(out: &mut String, line: &str) {
    out.push_str("# ");
    out.push_str(line);
    out.push('\n');
}
