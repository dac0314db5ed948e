//! What the command line gives Terraform: `-var-file` files, `-var` values and `TF_VAR_`
//! environment values. The scan's settings hold one of these; the front end reads nothing else.

use std::path::PathBuf;

/// Terraform's command-line inputs, in the order Terraform applies them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inputs {
    /// Terraform `-var-file` files, in order (they override the automatic tfvars files).
    pub var_files: Vec<PathBuf>,
    /// Terraform `-var NAME=VALUE` assignments, in order (they override everything).
    pub vars: Vec<(String, String)>,
    /// `TF_VAR_name` values (name without the prefix), honoured only when the user asks.
    pub env_vars: Vec<(String, String)>,
}
