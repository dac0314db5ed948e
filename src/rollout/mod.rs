//! The rollout of the control across an estate: the facts that order the work (exposure and
//! environment of every site), and what is planned from them.

pub(crate) mod facts;
