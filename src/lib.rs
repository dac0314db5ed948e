//! certgate: finds Azure App Service sites and slots in infrastructure-as-code and checks that
//! they require incoming client certificates (mutual TLS).

pub mod app;
pub mod arguments;
pub mod arm;
pub mod baseline;
pub mod bicep;
pub mod budget;
pub mod cli;
pub mod config;
pub mod date;
pub mod diagnostic;
pub mod discover;
pub mod error;
pub mod file_kind;
pub mod fix;
pub mod fs;
pub mod harness;
pub mod instances;
pub mod json;
pub mod limits;
pub mod load;
pub mod lock;
pub mod lsp;
pub mod model;
pub mod path_map;
pub mod paths;
pub mod plan;
pub mod policy;
pub mod quote;
pub mod report;
pub mod rules;
pub mod scan;
pub mod sniff;
pub mod source;
pub mod stdin;
pub mod subset;
pub mod suppress;
pub mod terraform;
#[cfg(all(test, unix))]
mod testing;
pub mod value;
pub mod workers;

pub use scan::{Settings, scan};
// Their old paths, kept while other branches still name them.
pub use fs::{ignores, regular, replace, root};
