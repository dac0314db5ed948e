//! Drift between code and deployment as plain data (filled by `crate::drift`), and its human
//! table: what `check --deployed EXPORT...` adds to a report.

use std::fmt::Write as _;

use super::Location;

/// Where one site stands between its code and what is deployed.
///
/// Ordered by how urgently it needs a hand: a deployment fixed by hand that the next apply
/// reverts comes first, sites in step come last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DriftState {
    /// The deployment passes, the code fails: the next apply reverts the fix; fix the code.
    DeploymentFixedCodeNot,
    /// Both the code and the deployment fail.
    BothFailing,
    /// The code passes, the deployment fails: deploy it.
    CodeFixedDeploymentNot,
    /// Deployed, but no code resource matches it.
    Unmanaged,
    /// In code, but its name, resource group or parent site is unresolved: it cannot be
    /// matched by name (neither "deployed" nor "not deployed" can be said).
    NameUnresolved,
    /// In code, and no deployed site in the exports matches it.
    NotDeployed,
    /// Both pass.
    InStep,
}

impl DriftState {
    /// The name in JSON, SARIF and the human table.
    pub fn as_str(self) -> &'static str {
        match self {
            DriftState::InStep => "in-step",
            DriftState::CodeFixedDeploymentNot => "code-fixed-deployment-not",
            DriftState::DeploymentFixedCodeNot => "deployment-fixed-code-not",
            DriftState::BothFailing => "both-failing",
            DriftState::Unmanaged => "unmanaged",
            DriftState::NameUnresolved => "name-unresolved",
            DriftState::NotDeployed => "not-deployed",
        }
    }

    /// A reader's title, e.g. for the progress page.
    pub fn title(self) -> &'static str {
        match self {
            DriftState::InStep => "in step",
            DriftState::CodeFixedDeploymentNot => "code fixed, deployment not yet (deploy it)",
            DriftState::DeploymentFixedCodeNot => "deployment fixed, code not (fix the code)",
            DriftState::BothFailing => "both failing",
            DriftState::Unmanaged => "deployed, not in code (unmanaged)",
            DriftState::NameUnresolved => "in code, name unresolved (cannot be matched)",
            DriftState::NotDeployed => "in code, not deployed",
        }
    }

    /// The state [`DriftState::as_str`] names (a saved report's `drift[].state`).
    pub fn parse(text: &str) -> Option<DriftState> {
        [
            DriftState::DeploymentFixedCodeNot,
            DriftState::BothFailing,
            DriftState::CodeFixedDeploymentNot,
            DriftState::Unmanaged,
            DriftState::NameUnresolved,
            DriftState::NotDeployed,
            DriftState::InStep,
        ]
        .into_iter()
        .find(|state| state.as_str() == text)
    }

    /// The state of a matched pair, from whether each side's verdict passes.
    pub fn of(code_passes: bool, deployed_passes: bool) -> DriftState {
        match (code_passes, deployed_passes) {
            (true, true) => DriftState::InStep,
            (true, false) => DriftState::CodeFixedDeploymentNot,
            (false, true) => DriftState::DeploymentFixedCodeNot,
            (false, false) => DriftState::BothFailing,
        }
    }
}

/// How a code resource was matched to a deployed site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchedBy {
    /// The code determines the full resource id, equal (ignoring case) to the deployed one.
    ResourceId,
    /// Name, resource group and type (site or slot, and a slot's parent site) are equal,
    /// ignoring case.
    NameResourceGroupType,
}

impl MatchedBy {
    /// The name in JSON and the human table.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchedBy::ResourceId => "resource-id",
            MatchedBy::NameResourceGroupType => "name-resource-group-type",
        }
    }
}

/// The code side of a drift entry.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeSide {
    /// The instance's address when it has one, else the declaration's.
    pub address: String,
    /// The declaration's header.
    pub location: Location,
    /// `pass` or the failing rule's id.
    pub verdict: &'static str,
    pub scenario: Option<String>,
    /// The judged declaration: an index into [`super::Report::groups`] (SARIF results of
    /// its findings carry the entry).
    pub group: usize,
}

/// The deployed side of a drift entry.
#[derive(Debug, Clone, PartialEq)]
pub struct DeployedSide {
    /// The resource id as the export writes it.
    pub id: String,
    /// The site's object in the export.
    pub location: Location,
    /// `pass` or the failing rule's id.
    pub verdict: &'static str,
}

/// One site (or one code/deployed pair) of the drift table.
#[derive(Debug, Clone, PartialEq)]
pub struct DriftEntry {
    pub state: DriftState,
    /// `None` when nothing was matched.
    pub matched_by: Option<MatchedBy>,
    pub code: Option<CodeSide>,
    pub deployed: Option<DeployedSide>,
    /// Why a code site could not be matched, or that a match is one of several.
    pub note: Option<String>,
}

/// The drift table for human output: one row per entry, in the entries' order, then a line
/// per note.
pub fn table(entries: &[DriftEntry]) -> String {
    let clean = |text: &str| crate::quote::visible(text).into_owned();
    let rows: Vec<[String; 5]> = entries
        .iter()
        .map(|entry| {
            let (code, place) = match &entry.code {
                Some(code) => (
                    match &code.scenario {
                        Some(scenario) => format!("{} [{}]", code.address, scenario),
                        None => code.address.clone(),
                    },
                    format!(
                        "{}:{}",
                        super::excerpt::display_path(&code.location.path),
                        code.location.start.line
                    ),
                ),
                None => ("-".to_string(), "-".to_string()),
            };
            let deployed = match &entry.deployed {
                Some(deployed) => deployed.id.clone(),
                None => "-".to_string(),
            };
            let matched = entry.matched_by.map_or("-", MatchedBy::as_str);
            [
                entry.state.as_str().to_string(),
                clean(&code),
                clean(&place),
                clean(&deployed),
                matched.to_string(),
            ]
        })
        .collect();
    let header = ["STATE", "CODE", "WHERE", "DEPLOYED", "MATCHED BY"];
    let mut widths = header.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 5]| {
        let mut text = String::new();
        for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
            if i + 1 == cells.len() {
                text.push_str(cell);
            } else {
                let _ = write!(text, "{cell:<width$}  ");
            }
        }
        text.trim_end().to_string()
    };
    let mut out = format!(
        "Drift between code and deployment ({} {}):\n",
        entries.len(),
        if entries.len() == 1 {
            "entry"
        } else {
            "entries"
        }
    );
    out.push_str(&line(header));
    out.push('\n');
    for row in &rows {
        out.push_str(&line([&row[0], &row[1], &row[2], &row[3], &row[4]]));
        out.push('\n');
    }
    for (number, entry) in entries.iter().enumerate() {
        if let Some(note) = &entry.note {
            let _ = writeln!(out, "  row {}: {}", number + 1, clean(note));
        }
    }
    out
}

/// A drift entry in `--format json` (README › JSON output).
#[derive(serde::Serialize)]
pub(super) struct JsonDrift<'a> {
    state: &'static str,
    /// `resource-id`, `name-resource-group-type`, or null when nothing was matched.
    matched_by: Option<&'static str>,
    code: Option<JsonCode<'a>>,
    deployed: Option<JsonDeployed<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

#[derive(serde::Serialize)]
struct JsonCode<'a> {
    address: &'a str,
    path: String,
    line: usize,
    verdict: &'static str,
    scenario: Option<&'a str>,
}

#[derive(serde::Serialize)]
struct JsonDeployed<'a> {
    id: &'a str,
    path: String,
    line: usize,
    verdict: &'static str,
}

impl<'a> JsonDrift<'a> {
    pub(super) fn of(entry: &'a DriftEntry) -> Self {
        JsonDrift {
            state: entry.state.as_str(),
            matched_by: entry.matched_by.map(MatchedBy::as_str),
            code: entry.code.as_ref().map(|code| JsonCode {
                address: &code.address,
                path: crate::paths::path_text(&code.location.path).into_owned(),
                line: code.location.start.line,
                verdict: code.verdict,
                scenario: code.scenario.as_deref(),
            }),
            deployed: entry.deployed.as_ref().map(|deployed| JsonDeployed {
                id: &deployed.id,
                path: crate::paths::path_text(&deployed.location.path).into_owned(),
                line: deployed.location.start.line,
                verdict: deployed.verdict,
            }),
            note: entry.note.as_deref(),
        }
    }
}

/// SARIF: the drift of the code sites of declaration `group` (`properties.drift` of its
/// results), one object per entry; `None` when the declaration has no entry.
pub fn sarif_for_group(entries: &[DriftEntry], group: usize) -> Option<serde_json::Value> {
    let list: Vec<serde_json::Value> = entries
        .iter()
        .filter(|e| e.code.as_ref().is_some_and(|c| c.group == group))
        .map(|e| {
            serde_json::json!({
                "state": e.state.as_str(),
                "deployedId": e.deployed.as_ref().map(|d| d.id.as_str()),
                "matchedBy": e.matched_by.map(MatchedBy::as_str),
            })
        })
        .collect();
    if list.is_empty() {
        None
    } else {
        Some(serde_json::Value::Array(list))
    }
}

/// SARIF: the run's `properties.drift`: the count of each state, and the unmanaged sites
/// (deployed, in no code: no result carries them).
pub fn sarif_run(entries: &[DriftEntry]) -> serde_json::Value {
    let mut counts = serde_json::Map::new();
    for entry in entries {
        let count = counts
            .entry(entry.state.as_str())
            .or_insert(serde_json::json!(0));
        *count = serde_json::json!(count.as_u64().unwrap_or(0) + 1);
    }
    let unmanaged: Vec<serde_json::Value> = entries
        .iter()
        .filter(|e| e.state == DriftState::Unmanaged)
        .filter_map(|e| e.deployed.as_ref())
        .map(|d| {
            serde_json::json!({
                "id": d.id,
                "uri": crate::paths::path_text(&d.location.path),
                "line": d.location.start.line,
                "verdict": d.verdict,
            })
        })
        .collect();
    serde_json::json!({ "states": counts, "unmanaged": unmanaged })
}

#[cfg(test)]
mod state_tests {
    use super::DriftState;

    #[test]
    fn every_state_parses_back_from_its_name_and_has_a_title() {
        let names = [
            "in-step",
            "code-fixed-deployment-not",
            "deployment-fixed-code-not",
            "both-failing",
            "unmanaged",
            "name-unresolved",
            "not-deployed",
        ];
        for name in names {
            let state = DriftState::parse(name).expect(name);
            assert_eq!(state.as_str(), name);
            assert!(!state.title().is_empty());
        }
        assert_eq!(DriftState::parse("In-Step"), None);
    }
}
