//! Code actions: a quick fix per fixable finding, and "fix all" for a document, made of the
//! same checked edits `certgate check --fix` writes (planned on the editor's unsaved text).
//!
//! Unsafe fixes (what `--fix --unsafe-fixes` writes) are offered too, as quick fixes the user
//! picks one by one: titled "(unsafe)", never preferred, and left out of "fix all" (which an
//! editor may run on save).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Range, TextEdit, Uri, WorkspaceEdit,
};

use super::convert;
use super::diagnostics::placements;
use super::documents::Documents;
use crate::diagnostic::{Applicability, Edit, FixStatus};
use crate::report::Report;

/// The kind of the "fix everything in this file" action (`editor.codeActionsOnSave` in VS
/// Code runs it when asked for `source.fixAll`).
pub fn fix_all_kind() -> CodeActionKind {
    CodeActionKind::new("source.fixAll.certgate")
}

/// The code actions for `range` of the document at `path`: a quick fix per fixable finding
/// the range touches, then "fix all" when the document has any. `report` is the open
/// documents' scan with its fixes planned ([`super::last_scan::LastScan::planned`]); `only`
/// is the client's filter by kind prefix, when it sent one.
pub fn code_actions(
    documents: &Documents,
    report: &Report,
    path: &Path,
    range: Range,
    only: Option<&[CodeActionKind]>,
) -> Vec<CodeActionOrCommand> {
    let wanted = |kind: &CodeActionKind| {
        only.is_none_or(|only| {
            only.iter()
                .any(|prefix| kind.as_str().starts_with(prefix.as_str()))
        })
    };
    let mut actions = Vec::new();
    let mut all_edits = BTreeSet::new();
    let mut all_diagnostics = Vec::new();
    for finding in &report.findings {
        let FixStatus::Available(fix) = &finding.fix else {
            continue;
        };
        let Some((_, diagnostic)) = placements(report, finding)
            .into_iter()
            .find(|(shown_in, _)| shown_in == path)
        else {
            continue;
        };
        let safe = fix.applicability != Applicability::Unsafe;
        if safe {
            all_edits.extend(fix.edits.iter().cloned());
            all_diagnostics.push(diagnostic.clone());
        }
        if !convert::touches(&diagnostic.range, &range) || !wanted(&CodeActionKind::QUICKFIX) {
            continue;
        }
        if let Some(edit) = workspace_edit(documents, &fix.edits) {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: if safe {
                    format!("certgate: {}", fix.description)
                } else {
                    format!("certgate: {} (unsafe)", fix.description)
                },
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic]),
                edit: Some(edit),
                is_preferred: Some(safe),
                ..CodeAction::default()
            }));
        }
    }
    let edits: Vec<Edit> = all_edits.into_iter().collect();
    if !edits.is_empty()
        && wanted(&fix_all_kind())
        && let Some(edit) = workspace_edit(documents, &edits)
    {
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: "certgate: require client certificates everywhere in this file".into(),
            kind: Some(fix_all_kind()),
            diagnostics: Some(all_diagnostics),
            edit: Some(edit),
            ..CodeAction::default()
        }));
    }
    actions
}

/// Byte edits (offsets into each file as the editor or the disk holds it) as LSP text edits
/// per document. `None` when a file cannot be named or read (the action is then left out
/// rather than offered half).
// `WorkspaceEdit::changes` is lsp-types' own map keyed by `Uri`, whose parsed form caches
// lazily; nothing here mutates a key.
#[allow(clippy::mutable_key_type)]
fn workspace_edit(documents: &Documents, edits: &[Edit]) -> Option<WorkspaceEdit> {
    let mut by_file: HashMap<PathBuf, Vec<&Edit>> = HashMap::new();
    for edit in edits {
        by_file.entry(edit.path.clone()).or_default().push(edit);
    }
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for (path, edits) in by_file {
        let absolute = std::path::absolute(&path).ok()?;
        let text = documents.text_of(&absolute)?;
        let text_edits = edits
            .into_iter()
            .map(|edit| TextEdit {
                range: match documents.get(&absolute) {
                    // The open text is exactly what the scan read: its offsets are into it.
                    Some(_) => Range::new(
                        convert::position(&text, edit.start),
                        convert::position(&text, edit.end),
                    ),
                    None => convert::disk_range(&text, edit.start, edit.end),
                },
                new_text: edit.replacement.clone(),
            })
            .collect();
        changes.insert(convert::uri_of(&absolute)?, text_edits);
    }
    Some(WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    })
}
