//! `certgate remediate`: the script that makes deployed sites require client certificates,
//! from inventory exports: one block per rollout batch, idempotent commands, stopping at the
//! first failure, never touching a site an exception covers, and warning where the code that
//! manages a site would revert the fix (matched as drift matches code to deployed sites).

pub(crate) mod az;
pub(crate) mod collect;
pub(crate) mod command;
pub(crate) mod layout;
pub(crate) mod pwsh;
pub(crate) mod shell;
pub(crate) mod site_id;
pub(crate) mod target;

#[cfg(test)]
mod collect_tests;
#[cfg(test)]
mod tests;
