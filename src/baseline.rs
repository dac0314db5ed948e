//! The baseline: a run's findings recorded in a file, so later runs fail only on new ones and
//! report recorded findings that no longer occur as fixed.
//!
//! A finding's fingerprint is rule + path + resource address (+ scenario), never a line or
//! column, so it survives moved lines and reformatting. Paths are stored relative to the
//! baseline file's directory with `/` separators, so the file means the same wherever
//! certgate runs from and on every OS. The file is JSON, sorted, one finding per line:
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     {"rule": "client-cert-disabled", "path": "infra/main.tf", "address": "azurerm_linux_web_app.api"}
//!   ]
//! }
//! ```

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// The format version this certgate writes and reads.
pub const VERSION: u32 = 1;

/// A finding's fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingKey {
    pub rule: String,
    /// Relative to the baseline file's directory, `/`-separated (see [`relative_path`]).
    pub path: String,
    pub address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
}

impl FindingKey {
    /// A key for a finding in `path` (as the user gave it), relative to `baseline_dir`.
    pub fn new(
        rule: &str,
        path: &Path,
        address: &str,
        scenario: Option<&str>,
        baseline_dir: &Path,
    ) -> Self {
        FindingKey {
            rule: rule.to_string(),
            path: relative_path(baseline_dir, path),
            address: address.to_string(),
            scenario: scenario.map(str::to_string),
        }
    }

    fn sort_key(&self) -> (&str, &str, &str, Option<&str>) {
        (
            &self.path,
            &self.address,
            &self.rule,
            self.scenario.as_deref(),
        )
    }
}

impl Ord for FindingKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl PartialOrd for FindingKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// A baseline file's findings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    pub findings: BTreeSet<FindingKey>,
}

/// A baseline file that cannot be read, with the position of the problem (1-based).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct BaselineError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    findings: Vec<FindingKey>,
}

/// The baseline file's text for these findings: sorted, duplicates removed, one per line.
pub fn write(findings: impl IntoIterator<Item = FindingKey>) -> String {
    let sorted: BTreeSet<FindingKey> = findings.into_iter().collect();
    let mut out = format!("{{\n  \"version\": {VERSION},\n  \"findings\": [");
    for (i, key) in sorted.iter().enumerate() {
        out.push_str(if i == 0 { "\n    " } else { ",\n    " });
        // Serialising plain strings cannot fail.
        out.push_str(&serde_json::to_string(key).unwrap_or_default());
    }
    out.push_str(if sorted.is_empty() {
        "]\n}\n"
    } else {
        "\n  ]\n}\n"
    });
    out
}

/// Reads a baseline file's text.
pub fn read(text: &str) -> Result<Baseline, BaselineError> {
    let file: File = serde_json::from_str(text).map_err(|error| BaselineError {
        line: error.line().max(1),
        column: error.column().max(1),
        message: error
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .to_string(),
    })?;
    if file.version != VERSION {
        let offset = text.find("\"version\"").unwrap_or(0);
        let before = &text[..offset];
        return Err(BaselineError {
            line: before.matches('\n').count() + 1,
            column: before.rsplit('\n').next().unwrap_or("").chars().count() + 1,
            message: format!(
                "baseline version {} is not supported: this certgate reads version {VERSION}",
                file.version
            ),
        });
    }
    Ok(Baseline {
        findings: file.findings.into_iter().collect(),
    })
}

/// Current findings split against a baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison<T> {
    /// Not in the baseline: these fail the run.
    pub new: Vec<T>,
    /// In the baseline: reported as baselined, not failures.
    pub baselined: Vec<T>,
    /// Baseline entries no current finding has: fixed since (the file can shrink).
    pub fixed: Vec<FindingKey>,
}

/// Splits `findings` (in their order) by whether their key is in `baseline`.
pub fn compare<T>(
    baseline: &Baseline,
    findings: Vec<T>,
    key: impl Fn(&T) -> FindingKey,
) -> Comparison<T> {
    let mut seen = BTreeSet::new();
    let mut new = Vec::new();
    let mut baselined = Vec::new();
    for finding in findings {
        let k = key(&finding);
        if baseline.findings.contains(&k) {
            baselined.push(finding);
            seen.insert(k);
        } else {
            new.push(finding);
        }
    }
    let fixed = baseline.findings.difference(&seen).cloned().collect();
    Comparison {
        new,
        baselined,
        fixed,
    }
}

/// `path` relative to `base_dir`, `/`-separated, both made absolute (against the current
/// directory) and normalised first; `..` steps out of `base_dir` when needed (on Windows, a
/// path on another drive stays absolute: `D:/x/main.tf`). Bytes of a name that are not UTF-8
/// are written as `\xNN` ([`crate::paths::path_text`]).
pub fn relative_path(base_dir: &Path, path: &Path) -> String {
    crate::paths::base::Base::native(base_dir).text(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(rule: &str, path: &str, address: &str, scenario: Option<&str>) -> FindingKey {
        FindingKey {
            rule: rule.into(),
            path: path.into(),
            address: address.into(),
            scenario: scenario.map(str::to_string),
        }
    }

    #[test]
    fn writes_sorted_one_finding_per_line_and_reads_it_back() {
        let findings = vec![
            key(
                "client-cert-optional",
                "b/main.tf",
                "azurerm_linux_function_app.f",
                None,
            ),
            key(
                "client-cert-disabled",
                "a/t.json",
                "web",
                Some("t.parameters.prod.json"),
            ),
            key(
                "client-cert-disabled",
                "a/t.json",
                "web",
                Some("t.parameters.prod.json"),
            ),
        ];
        let text = write(findings.clone());
        assert_eq!(
            text,
            r#"{
  "version": 1,
  "findings": [
    {"rule":"client-cert-disabled","path":"a/t.json","address":"web","scenario":"t.parameters.prod.json"},
    {"rule":"client-cert-optional","path":"b/main.tf","address":"azurerm_linux_function_app.f"}
  ]
}
"#
        );
        let read_back = read(&text).unwrap();
        assert_eq!(read_back.findings, findings.into_iter().collect());
        assert_eq!(
            write(Vec::new()),
            "{\n  \"version\": 1,\n  \"findings\": []\n}\n"
        );
        assert_eq!(read(&write(Vec::new())).unwrap(), Baseline::default());
    }

    #[test]
    fn fingerprints_ignore_lines_so_moved_findings_stay_baselined() {
        // Findings as a scan reports them: (rule, path, address, line).
        let before = [(
            "client-cert-disabled",
            "main.tf",
            "azurerm_linux_web_app.a",
            3,
        )];
        let after = [
            (
                "client-cert-disabled",
                "main.tf",
                "azurerm_linux_web_app.a",
                40,
            ),
            (
                "client-cert-optional",
                "main.tf",
                "azurerm_linux_web_app.b",
                12,
            ),
        ];
        let to_key = |f: &(&str, &str, &str, usize)| key(f.0, f.1, f.2, None);
        let baseline = read(&write(before.iter().map(to_key))).unwrap();
        let split = compare(&baseline, after.to_vec(), to_key);
        assert_eq!(split.baselined, vec![after[0]]);
        assert_eq!(split.new, vec![after[1]]);
        assert!(split.fixed.is_empty());
    }

    #[test]
    fn entries_no_longer_found_are_fixed() {
        let baseline = read(&write([
            key("client-cert-disabled", "main.tf", "x.a", None),
            key("client-cert-disabled", "main.tf", "x.b", None),
        ]))
        .unwrap();
        let split = compare(
            &baseline,
            vec![key("client-cert-disabled", "main.tf", "x.b", None)],
            Clone::clone,
        );
        assert_eq!(
            split.fixed,
            vec![key("client-cert-disabled", "main.tf", "x.a", None)]
        );
        assert_eq!(split.baselined.len(), 1);
        // The scenario is part of the fingerprint.
        let other = compare(
            &baseline,
            vec![key("client-cert-disabled", "main.tf", "x.b", Some("s"))],
            Clone::clone,
        );
        assert_eq!(other.new.len(), 1);
    }

    #[test]
    fn bad_files_give_positions() {
        let error =
            read("{\n  \"version\": 1,\n  \"findings\": [\n    {\"rule\": 1}\n  ]\n}").unwrap_err();
        assert_eq!((error.line, error.column), (4, 14));
        assert!(error.message.contains("invalid type"), "{}", error.message);
        let error = read("{\"version\": 1, \"findings\": [], \"extra\": 0}").unwrap_err();
        assert!(
            error.message.contains("unknown field `extra`"),
            "{}",
            error.message
        );
        let error = read("{\n  \"version\": 2,\n  \"findings\": []\n}").unwrap_err();
        assert_eq!((error.line, error.column), (2, 3));
        assert!(error.message.contains("version 2"));
        let error = read("{\"version\": 1, \"findings\": [{\"rule\": \"r\", \"path\": \"p\"}]}")
            .unwrap_err();
        assert!(
            error.message.contains("missing field `address`"),
            "{}",
            error.message
        );
        assert!(read("").is_err());
    }

    #[test]
    fn paths_are_relative_to_the_baseline_directory() {
        assert_eq!(
            relative_path(Path::new("/repo"), Path::new("/repo/infra/main.tf")),
            "infra/main.tf"
        );
        assert_eq!(
            relative_path(Path::new("/repo/ci"), Path::new("/repo/infra/main.tf")),
            "../infra/main.tf"
        );
        assert_eq!(
            relative_path(
                Path::new("/repo/./ci/.."),
                Path::new("/repo/infra/../main.tf")
            ),
            "main.tf"
        );
        // A relative path is taken from the current directory, as the user typed it.
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(
            relative_path(&cwd, Path::new("infra/main.tf")),
            "infra/main.tf"
        );
        let key = FindingKey::new(
            "r",
            Path::new("infra/main.tf"),
            "a",
            None,
            &cwd.join("infra"),
        );
        assert_eq!(key.path, "main.tf");
    }
}
