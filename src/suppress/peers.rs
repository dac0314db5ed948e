//! Other scanners' suppression comments, honoured so teams can switch without editing files.
//!
//! Syntaxes (found anywhere in a comment, several per comment, as those tools do):
//! - Checkov: `checkov:skip=CKV_AZURE_17[:reason]` (also `bridgecrew:skip=`);
//! - tfsec: `tfsec:ignore:azure-appservice-require-client-cert[:exp:YYYY-MM-DD]`;
//! - Trivy: `trivy:ignore:AVD-AZU-0001[:exp:YYYY-MM-DD]`;
//! - KICS: `kics-scan ignore-block` and `kics-scan ignore-line` (no rule ids).
//!
//! ## Which certgate rules a peer's suppression covers
//! Peers judge only whether client certificates are *enabled*. A peer suppression therefore
//! records that someone accepted "no client certificate here", and nothing more: it covers
//! [`PEER_RULES`] (`client-cert-disabled`, and `client-cert-unsupported`, a type that cannot
//! enable them at all). An optional mode, exclusion paths or an unresolved value were never
//! shown to whoever wrote the peer's comment, so they stay reported: the conservative choice
//! for a security control.
//!
//! A peer suppression scoped to something certgate cannot evaluate (a tfsec/Trivy
//! `:ws:WORKSPACE`, a Trivy `[attribute=value]` filter) is not honoured, for the same reason.
//! Ids are matched exactly, as the peers match them; ids of other checks are not ours and
//! are skipped silently.

use super::{Invalid, KicsScope, Kind, Parsed, Suppression};
use crate::date::parse_date;

/// The certgate rules a peer's suppression covers (see the module docs).
pub const PEER_RULES: [&str; 2] = ["client-cert-disabled", "client-cert-unsupported"];

/// Checkov's id for this control.
const CHECKOV_IDS: &[&str] = &["CKV_AZURE_17"];
/// tfsec's long id and its AVD id; `*` is tfsec's and Trivy's wildcard.
const TFSEC_IDS: &[&str] = &["azure-appservice-require-client-cert", "AVD-AZU-0001", "*"];
/// Trivy accepts the id, the AVD id, the long id and the alias.
const TRIVY_IDS: &[&str] = &[
    "AVD-AZU-0001",
    "AZU-0001",
    "azure-appservice-require-client-cert",
    "require-client-cert",
    "*",
];

const MARKERS: &[&str] = &[
    "checkov:skip=",
    "bridgecrew:skip=",
    "tfsec:ignore:",
    "trivy:ignore:",
    "kics-scan ",
];

/// Every peer suppression for this control in `text`, whose first byte is at `offset`.
pub fn scan(text: &str, offset: usize) -> Parsed {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some((at, marker)) = MARKERS
        .iter()
        .filter_map(|m| text[pos..].find(m).map(|i| (pos + i, *m)))
        .min_by_key(|(at, _)| *at)
    {
        let body = at + marker.len();
        let (end, result) = match marker {
            "checkov:skip=" | "bridgecrew:skip=" => checkov(text, body),
            "tfsec:ignore:" => tfsec_or_trivy(text, body, Kind::Tfsec, TFSEC_IDS),
            "trivy:ignore:" => tfsec_or_trivy(text, body, Kind::Trivy, TRIVY_IDS),
            _ => kics(text, body),
        };
        if let Some(result) = result {
            out.push(
                result
                    .map(|mut s| {
                        s.span = offset + at..offset + end;
                        s
                    })
                    .map_err(|mut invalid| {
                        invalid.span = offset + invalid.span.start..offset + invalid.span.end;
                        invalid
                    }),
            );
        }
        pos = end.max(body);
    }
    out
}

fn peer(kind: Kind, ids: Vec<String>) -> Suppression {
    Suppression {
        kind,
        rules: Some(PEER_RULES.iter().map(|r| r.to_string()).collect()),
        peer_ids: ids,
        reason: None,
        owner: None,
        expires: None,
        span: 0..0,
    }
}

fn word_end(text: &str, start: usize, keep: impl Fn(char) -> bool) -> usize {
    text[start..]
        .find(|c: char| !keep(c))
        .map_or(text.len(), |i| start + i)
}

/// `checkov:skip=ID[:reason]`: the reason runs to the end of the line, as in Checkov.
fn checkov(text: &str, body: usize) -> (usize, Option<Result<Suppression, Invalid>>) {
    let id_start = word_end(text, body, |c| c == ' ');
    let id_end = word_end(text, id_start, |c| c.is_ascii_alphanumeric() || c == '_');
    let id = &text[id_start..id_end];
    let mut end = id_end;
    let mut reason = None;
    if text[id_end..].starts_with(':') {
        end = word_end(text, id_end, |c| c != '\n');
        let written = text[id_end + 1..end].trim();
        if !written.is_empty() {
            reason = Some(written.to_string());
        }
    }
    if !CHECKOV_IDS.contains(&id) {
        return (end, None);
    }
    let mut suppression = peer(Kind::Checkov, vec![id.to_string()]);
    suppression.reason = reason;
    (end, Some(Ok(suppression)))
}

/// `tfsec:ignore:ID[:exp:DATE][:ws:NAME]` and Trivy's same form (plus `[attr=value]`).
fn tfsec_or_trivy(
    text: &str,
    body: usize,
    kind: Kind,
    ids: &[&str],
) -> (usize, Option<Result<Suppression, Invalid>>) {
    let id_end = word_end(text, body, |c| !c.is_whitespace() && c != ':' && c != '[');
    let id = &text[body..id_end];
    let mut end = id_end;
    let mut expires = None;
    let mut honoured = true;
    loop {
        let rest = &text[end..];
        if rest.starts_with('[') {
            // An attribute filter: certgate cannot evaluate it, so it is not honoured.
            end = text[end..].find(']').map_or(text.len(), |i| end + i + 1);
            honoured = false;
        } else if let Some(date_text) = rest.strip_prefix(":exp:") {
            let date_start = end + 5;
            let date_end = date_start
                + date_text
                    .find(|c: char| c.is_whitespace() || c == ':')
                    .unwrap_or(date_text.len());
            end = date_end;
            match parse_date(&text[date_start..date_end]) {
                Ok(date) => expires = Some(date),
                Err(message) => {
                    let known = ids.contains(&id);
                    return (
                        end,
                        known.then_some(Err(Invalid {
                            kind,
                            span: date_start..date_end,
                            message,
                        })),
                    );
                }
            }
        } else if rest.starts_with(":ws:") {
            // Scoped to a Terraform workspace, which certgate does not know: not honoured.
            end = word_end(text, end + 4, |c| {
                !c.is_whitespace() && c != ':' && c != '['
            });
            honoured = false;
        } else {
            break;
        }
    }
    if !honoured || !ids.contains(&id) {
        return (end, None);
    }
    let mut suppression = peer(kind, vec![id.to_string()]);
    suppression.expires = expires;
    (end, Some(Ok(suppression)))
}

/// `kics-scan ignore-block` / `kics-scan ignore-line`; other KICS directives are file-wide or
/// name query ids and are not ours.
fn kics(text: &str, body: usize) -> (usize, Option<Result<Suppression, Invalid>>) {
    let end = word_end(text, body, |c| !c.is_whitespace());
    let scope = match &text[body..end] {
        "ignore-block" => KicsScope::Block,
        "ignore-line" => KicsScope::Line,
        _ => return (end, None),
    };
    (end, Some(Ok(peer(Kind::Kics(scope), Vec::new()))))
}
