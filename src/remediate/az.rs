//! The script as bash with the Azure CLI: `az webapp update`, `az functionapp update` or `az
//! logicapp update` with generic `--set` of the site's properties, `--slot` for a slot. (The
//! three read the site, set the properties on it and write it back; checked against
//! azure-cli 2.91.)

use super::layout;
use super::shell::bash as q;
use super::target::{Script, Target};
use crate::model::SiteKind;

/// The bash script.
pub fn render(script: &Script) -> String {
    let mut out = String::from("#!/usr/bin/env bash\n");
    for line in layout::header(script) {
        layout::comment(&mut out, &line);
    }
    // -e: stop at the first failing command; -u, pipefail: no silent half-runs.
    out.push_str("set -euo pipefail\n");
    layout::body(&mut out, script, command);
    out
}

/// The one command that fixes `target`. Every value from the export is quoted.
pub fn command(target: &Target) -> String {
    let group = match target.kind {
        SiteKind::WebApp => "webapp",
        SiteKind::FunctionApp => "functionapp",
        SiteKind::LogicApp => "logicapp",
    };
    let slot = target
        .parts
        .slot
        .as_deref()
        .map(|s| format!(" --slot {}", q(s)))
        .unwrap_or_default();
    // An empty value after `=` sets the empty string: no exclusion paths.
    let exclusion = if target.clear_exclusion_paths {
        " 'clientCertExclusionPaths='"
    } else {
        ""
    };
    format!(
        "az {group} update --subscription {} --resource-group {} --name {}{slot} \
         --set clientCertEnabled=true clientCertMode=Required{exclusion} --output none",
        q(&target.parts.subscription),
        q(&target.parts.resource_group),
        q(&target.parts.site),
    )
}
