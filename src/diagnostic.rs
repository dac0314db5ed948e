//! What a finding says and what can be done about it, shared by the rules, `--fix`, the
//! reports and the language server: severity, fixes and their edits (as ruff keeps them in
//! `ruff_diagnostics`). Imports nothing from the crate, so every layer may use it.

use std::path::{Path, PathBuf};

/// How much a finding matters: errors fail the run (exit code 1), warnings do not unless the
/// run fails on warnings (`--fail-on warning`, `fail-on = "warning"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// What applying a fix does beyond editing text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applicability {
    /// The deployed app changes: clients without a certificate are rejected once applied.
    /// `--fix` applies these: requiring certificates is what the user asked certgate to check.
    ChangesBehaviour,
    /// Also replaces an expression (a conditional, a function call, a reference to a computed
    /// value) with the literal it should yield: whatever the expression expressed (a per
    /// environment switch, an input) is lost. Made only with `--unsafe-fixes`; never preferred
    /// in an editor nor part of its "fix all".
    Unsafe,
}

impl Applicability {
    /// The machine name: JSON `applicability`, SARIF `properties.applicability`.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::ChangesBehaviour => "changes-behaviour",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// The option that enables unsafe fixes, as messages name it.
pub const UNSAFE_FIXES_FLAG: &str = "--unsafe-fixes";

/// Whether a finding's fix is hidden because it is unsafe: its reason names
/// [`UNSAFE_FIXES_FLAG`] (only reasons given without the flag do).
pub fn hidden_unsafe(status: &FixStatus) -> bool {
    matches!(status, FixStatus::Unavailable(why) if why.contains(UNSAFE_FIXES_FLAG))
}

/// Replace bytes `start..end` of the file at `path` (offsets into the file as it is on disk,
/// a byte order mark included) with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edit {
    pub path: PathBuf,
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

/// A checked fix for one finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    pub applicability: Applicability,
    /// What it does, e.g. "add `client_certificate_enabled = true`".
    pub description: String,
    pub edits: Vec<Edit>,
}

/// The fixes that edit the same text as a fix of another unit, each with one such other fix:
/// `fixes` are (id, unit, fix), a unit being a batch or a root cause. Two edits of one file
/// share text when their ranges overlap or they insert at the same place.
pub fn shared_edits(fixes: &[(usize, usize, &Fix)]) -> Vec<(usize, usize)> {
    let mut edits: Vec<(&Path, usize, usize, usize, usize)> = fixes
        .iter()
        .flat_map(|(id, unit, fix)| {
            fix.edits
                .iter()
                .map(move |e| (e.path.as_path(), e.start, e.end, *unit, *id))
        })
        .collect();
    // Sorted by file and start, the edits that share text sit in runs: each run's edits are
    // compared with the run so far (few in practice: one declaration's scenarios).
    edits.sort();
    let mut shared = Vec::new();
    let mut run: Vec<(usize, usize, usize)> = Vec::new();
    let mut run_end = 0;
    let mut run_path: Option<&Path> = None;
    for (path, start, end, unit, id) in edits {
        let joins =
            run_path == Some(path) && (start < run_end || run.iter().any(|(s, ..)| *s == start));
        if !joins {
            run.clear();
            run_end = end;
            run_path = Some(path);
        }
        for &(_, other_unit, other) in &run {
            if other_unit != unit {
                shared.push((id, other));
                shared.push((other, id));
            }
        }
        run_end = run_end.max(end);
        run.push((start, unit, id));
    }
    shared.sort();
    shared.dedup();
    shared
}

/// What `--fix` can do about a finding.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum FixStatus {
    /// Not computed, or the rule has no automatic fix (its help says what to do).
    #[default]
    None,
    /// A fix that was checked to make the resource pass.
    Available(Fix),
    /// The rule has an automatic fix, but not for this finding: the text says why.
    Unavailable(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(edits: &[(&str, usize, usize)]) -> Fix {
        Fix {
            applicability: Applicability::ChangesBehaviour,
            description: String::new(),
            edits: edits
                .iter()
                .map(|(path, start, end)| Edit {
                    path: PathBuf::from(path),
                    start: *start,
                    end: *end,
                    replacement: "true".into(),
                })
                .collect(),
        }
    }

    #[test]
    fn fixes_of_two_units_editing_the_same_text_are_shared_and_others_are_not() {
        let same_literal_a = fix(&[("main.bicep", 10, 15)]);
        let same_literal_b = fix(&[("main.bicep", 10, 15)]);
        let insert_a = fix(&[("main.tf", 40, 40)]);
        let insert_b = fix(&[("main.tf", 40, 40)]);
        let apart = fix(&[("main.bicep", 15, 20)]);
        let other_file = fix(&[("other.bicep", 10, 15)]);
        let fixes = [
            (0, 1, &same_literal_a),
            (1, 2, &same_literal_b),
            (2, 1, &insert_a),
            (3, 2, &insert_b),
            (4, 2, &apart),
            (5, 2, &other_file),
        ];
        assert_eq!(shared_edits(&fixes), [(0, 1), (1, 0), (2, 3), (3, 2)]);
        // One unit's fixes may share text: they are fixed together.
        let same_unit = [(0, 1, &same_literal_a), (1, 1, &same_literal_b)];
        assert!(shared_edits(&same_unit).is_empty());
    }

    #[test]
    fn only_reasons_naming_the_option_count_as_hidden_unsafe_fixes() {
        let hidden = FixStatus::Unavailable(format!(
            "`x` is computed by the expression `a ? b : c`; certgate rewrites an expression into a literal only with {UNSAFE_FIXES_FLAG}"
        ));
        assert!(hidden_unsafe(&hidden));
        let other = FixStatus::Unavailable("the file is read-only".into());
        assert!(!hidden_unsafe(&other));
        assert!(!hidden_unsafe(&FixStatus::None));
        assert_eq!(Applicability::Unsafe.as_str(), "unsafe");
        assert_eq!(
            Applicability::ChangesBehaviour.as_str(),
            "changes-behaviour"
        );
    }
}
