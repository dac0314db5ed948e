//! The rollout of the control across an estate: the facts that order the work (exposure and
//! environment of every site), and the plan made from them (`certgate plan`): the guardrail,
//! root causes fixed once in shared modules, batches of the remaining sites by risk, owners
//! from CODEOWNERS, and the exceptions; and the selection of a batch or the root causes for
//! `check --fix`.

pub(crate) mod assemble;
pub(crate) mod batches;
pub(crate) mod exceptions;
pub(crate) mod facts;
pub(crate) mod owners;
pub(crate) mod render;
pub(crate) mod root_causes;
pub(crate) mod select;
pub(crate) mod site;
