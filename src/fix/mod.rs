//! `--fix` and `--diff`: computes each fixable finding's edits from the model and the source
//! text, checks them by scanning the fixed text, and writes them atomically in the file's own
//! style.
//!
//! The pieces, in the order a fix is made:
//! - [`resource`] decides what a finding's fix changes (a literal at the attribute, the
//!   literal it came from via [`origin`], or attributes to insert) using the spans front ends
//!   record on the model ([`crate::model::FixAnchor`]) and the per-syntax token checks of
//!   [`lang`]; insertions are laid out per syntax (with [`text`] for lines and
//!   indentation). No parser is involved: a value that is not exactly a literal is left alone.
//! - [`plan`] gathers every finding's fix, refuses shared literals that not every reader wants
//!   changed and overlapping edits, applies them in one pass per file ([`apply`]), re-scans the
//!   result and keeps only fixes that make their resource pass without making anything else
//!   worse ([`validate`]).
//! - [`write`] replaces each file atomically; [`diff`] shows what would change.
//! - [`run`] orchestrates: plans a report's fixes, writes them (`--fix`) or diffs them
//!   (`--diff`), scanning through its [`run::Rescan`] trait.
//!
//! Unsafe fixes (`--unsafe-fixes`, as ruff names them) rewrite an expression at the attribute
//! into the literal it should yield; they are made only when asked for
//! ([`resource`] decides, [`Applicability::Unsafe`] marks them).
//!
//! Each syntax is one [`lang::Lang`] plus its insertion module ([`hcl`], [`json`], [`bicep`]);
//! a new front end plugs in by recording a [`crate::model::FixAnchor`] and adding both.

mod apply;
mod bicep;
pub mod diff;
mod hcl;
mod insert;
mod json;
mod lang;
mod origin;
mod plan;
mod resource;
pub mod run;
mod text;
mod validate;
pub mod write;

pub use apply::apply;
pub use plan::{FileFix, FixPlan, plan};
