//! Every size, depth and count limit of certgate in one place, each with why its number: input
//! past a limit is refused or reported as unresolved with a message naming it, never a crash or
//! an endless run (SPEC.md, "Values and budgets"). This module depends on nothing in the crate.

// --- Evaluation nesting -----------------------------------------------------------------------

/// How deeply ARM evaluations may nest (expressions inside variables inside parameters …). Real
/// templates nest a few dozen levels at most; 200 levels of the ARM evaluator's frames stay well
/// inside a 2 MiB worker thread in a debug build.
pub const MAX_ARM_NESTING: usize = 200;
/// How deeply Bicep evaluations may nest. Each level costs a few stack frames, larger than
/// ARM's (access steps, lambdas, loops); 150 stays well inside a 2 MiB worker thread.
pub const MAX_BICEP_NESTING: usize = 150;
/// How deeply Terraform evaluations may nest (expressions inside expressions, through locals
/// and variables): as deep as ARM's, with [`MAX_TERRAFORM_STACK`] as the real safety net.
pub const MAX_TERRAFORM_NESTING: usize = 200;
/// Most stack one Terraform evaluation may use. Frames differ a lot between paths and builds (a
/// debug build spends up to 9 KiB per level through templates and locals, a release build a
/// tenth of that), so the stack itself is measured too: 1 MiB keeps evaluation well inside the
/// 2 MiB a worker thread gets.
pub const MAX_TERRAFORM_STACK: usize = 1 << 20;
