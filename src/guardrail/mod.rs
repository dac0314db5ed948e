//! The Azure Policy guardrail (SPEC "Rollout facts"): which policy definitions audit the
//! control, how one assignment is judged from what a front end read of it, and the
//! `certgate guardrail` generator. Front ends find the assignments with their own evaluators
//! and hand [`assess::Written`] records here; the scan carries the results to the report.

pub(crate) mod assess;
pub(crate) mod command;
pub(crate) mod definitions;
pub mod generate;
pub(crate) mod read;
