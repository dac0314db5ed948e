//! The rollout: after the check, plan how the control reaches every site (`certgate plan`):
//! the guardrail, root causes fixed once in shared modules, batches of the remaining sites by
//! risk, owners from CODEOWNERS, and the exceptions; and select a batch or the root causes
//! for `check --fix`.

pub(crate) mod assemble;
pub(crate) mod batches;
pub(crate) mod exceptions;
pub(crate) mod owners;
pub(crate) mod render;
pub(crate) mod root_causes;
pub(crate) mod select;
pub(crate) mod site;
