//! certgate: finds Azure App Service sites and slots in infrastructure-as-code and checks that
//! they require incoming client certificates (mutual TLS).
//!
//! The library exists for the binary (`main.rs`), the integration tests and the fuzz targets;
//! only what they use is public, so the compiler reports dead code everywhere else. The test
//! harness is compiled only for tests and with the `harness` feature (the fuzz crate and the
//! integration tests enable it), never into the shipped binary.

pub mod app;
pub(crate) mod arguments;
pub(crate) mod arm;
pub(crate) mod baseline;
pub(crate) mod bicep;
pub(crate) mod budget;
pub mod cli;
pub(crate) mod config;
pub mod date;
pub mod diagnostic;
pub(crate) mod discover;
pub(crate) mod drift;
pub(crate) mod error;
pub(crate) mod file_kind;
pub mod fix;
pub(crate) mod front;
pub mod fs;
pub mod guardrail;
#[cfg(any(test, feature = "harness"))]
pub mod harness;
pub(crate) mod instances;
pub(crate) mod inventory;
pub(crate) mod json;
pub(crate) mod limits;
pub(crate) mod load;
pub(crate) mod lock;
pub(crate) mod lsp;
pub(crate) mod manual;
pub(crate) mod model;
pub(crate) mod path_map;
pub(crate) mod paths;
pub(crate) mod plan;
pub(crate) mod policy;
pub(crate) mod progress;
pub(crate) mod quote;
pub(crate) mod remediate;
pub mod report;
pub(crate) mod rerun;
pub(crate) mod rollout;
pub mod rules;
pub mod scan;
pub(crate) mod search;
pub(crate) mod source;
pub(crate) mod stdin;
pub(crate) mod subset;
pub(crate) mod suppress;
pub(crate) mod terraform;
pub(crate) mod terragrunt;
#[cfg(all(test, unix))]
mod testing;
pub(crate) mod value;
pub(crate) mod verify;
pub(crate) mod workers;

pub use bicep::parse as parse_bicep;
pub use scan::{Settings, scan};
