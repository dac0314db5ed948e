//! The deployment scenarios the command line names for ARM and Bicep: parameter files given
//! explicitly. The scan's settings hold one of these; the two front ends read nothing else.

use std::path::PathBuf;

/// ARM / Bicep parameter files given explicitly; each is a deployment scenario.
#[derive(Debug, Clone, Default)]
pub struct Scenarios {
    /// The files, in the order given (`--parameters`).
    pub parameter_files: Vec<PathBuf>,
}
