//! Exceptions to the control: inline suppressions (certgate's and peers'), matching them and
//! config exceptions to findings, expiry, and the exceptions listing.
//!
//! The pieces, in the order a scan uses them:
//! - [`comment`] reads suppressions out of one comment (`# certgate:ignore[…] reason=…`, and
//!   Checkov, tfsec, Trivy and KICS syntaxes via [`peers`]); [`metadata`] reads them from an
//!   ARM resource's `metadata`.
//! - [`placement`] decides which resource each comment belongs to (the lines directly above
//!   its header, or inside its body); [`tf_json`] does so for `.tf.json` `"//"` properties,
//!   by the JSON structure. The front ends record the comments as they read each file.
//! - [`ledger`] registers every exception, decides for each finding whether it is suppressed
//!   (or returns with an "expired" note), and knows which exceptions matched nothing.
//! - [`listing`] turns the ledger into the `certgate exceptions` table (human, JSON, CSV).

pub mod comment;
pub mod ledger;
pub mod listing;
pub mod metadata;
pub mod peers;
pub mod placement;
pub mod tf_json;

use std::ops::Range;

use crate::date::Date;
use crate::rules::covers;

/// Which syntax wrote a suppression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// `certgate:ignore[…]` in a comment, or `"certgate:ignore"` in ARM `metadata`.
    Certgate,
    /// `checkov:skip=CKV_AZURE_17[:reason]` (also `bridgecrew:skip=`, and ARM `metadata.checkov`).
    Checkov,
    /// `tfsec:ignore:azure-appservice-require-client-cert[:exp:YYYY-MM-DD]`.
    Tfsec,
    /// `trivy:ignore:AVD-AZU-0001[:exp:YYYY-MM-DD]`.
    Trivy,
    /// `kics-scan ignore-block` / `kics-scan ignore-line`.
    Kics(KicsScope),
}

/// What a KICS comment covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KicsScope {
    /// The block below the comment.
    Block,
    /// The one line below the comment.
    Line,
}

impl Kind {
    /// The syntax as users write it, e.g. `checkov:skip`: names the suppression in output.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Certgate => "certgate:ignore",
            Kind::Checkov => "checkov:skip",
            Kind::Tfsec => "tfsec:ignore",
            Kind::Trivy => "trivy:ignore",
            Kind::Kics(KicsScope::Block) => "kics-scan ignore-block",
            Kind::Kics(KicsScope::Line) => "kics-scan ignore-line",
        }
    }

    /// Whether another tool's syntax wrote it (honoured unless the config turns peers off).
    pub fn is_peer(self) -> bool {
        self != Kind::Certgate
    }
}

/// One suppression as written in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Suppression {
    pub kind: Kind,
    /// The certgate rules it covers; `None` means every client-cert rule.
    pub rules: Option<Vec<String>>,
    /// For a peer's syntax, the peer's rule ids as written (`CKV_AZURE_17`); else empty.
    pub peer_ids: Vec<String>,
    pub reason: Option<String>,
    pub owner: Option<String>,
    pub expires: Option<Date>,
    /// Byte range of the directive in the file (from its marker to its last character).
    pub span: Range<usize>,
}

impl Suppression {
    /// Whether it covers findings of `rule`.
    pub fn covers(&self, rule: &str) -> bool {
        covers(self.rules.as_deref(), rule)
    }
}

/// A malformed suppression: reported as `invalid-exception` at `span` (bytes in the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The syntax it was written in (so peers' can be dropped when peers are off).
    pub kind: Kind,
    pub span: Range<usize>,
    pub message: String,
}

/// What reading a comment or a metadata entry yields: suppressions and malformed ones.
pub type Parsed = Vec<Result<Suppression, Invalid>>;
