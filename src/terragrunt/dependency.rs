//! `dependency.NAME.outputs.KEY`: the outputs of another unit exist only once it is applied,
//! so certgate reads them only from `mock_outputs`, and only when the mocks are allowed for
//! `plan` (`mock_outputs_allowed_terraform_commands` absent or naming `plan`), as a plan of
//! the unit before its dependency exists would. Otherwise the output is unknown.

use std::collections::BTreeMap;

use super::scope::ConfigScope;
use crate::model::OriginKind;
use crate::terraform::eval::EvalError;
use crate::value::{Traced, Val};

/// The value of `dependency.NAME.outputs` (with `key`: of that output) and how many of the
/// operators after `outputs` it used.
pub fn output(
    scope: &ConfigScope,
    name: &str,
    key: Option<&str>,
) -> Result<(Traced, usize), EvalError> {
    let Some(dependency) = scope.config.dependencies.iter().find(|d| d.name == name) else {
        return Err(EvalError(format!("there is no dependency `{name}`")));
    };
    let used = usize::from(key.is_some());
    let unknown = |reason: String| Ok((Traced::here(Val::Unknown(reason)), used));
    let applied = format!("outputs of dependency `{name}` are known after it is applied");
    if let Some(enabled) = dependency.attribute("enabled")
        && scope.eval(enabled)?.val == Val::Bool(false)
    {
        return unknown(format!(
            "dependency `{name}` is disabled (`enabled = false`)"
        ));
    }
    if let Some(allowed) = dependency.attribute("mock_outputs_allowed_terraform_commands") {
        let commands = scope.eval(allowed)?.val;
        let plan = match &commands {
            Val::List(items) => items.iter().any(|c| *c == Val::String("plan".into())),
            _ => false,
        };
        if !plan {
            return unknown(format!("{applied} (its mocks are not allowed for `plan`)"));
        }
    }
    let Some(mocks) = dependency.attribute("mock_outputs") else {
        return unknown(applied);
    };
    let what = |key: &str| format!("mock output `{key}` of dependency `{name}`");
    let members = scope.members(mocks, OriginKind::MockOutput, &what)?;
    match key {
        Some(key) => match members.get(key) {
            Some(member) => Ok((member.traced.clone().through(member.hop.clone()), 1)),
            None => unknown(format!(
                "dependency `{name}` has no mock output `{key}`, and its outputs are known after it is applied"
            )),
        },
        None => {
            let object: BTreeMap<String, Val> = members
                .into_iter()
                .map(|(name, member)| (name, member.traced.val))
                .collect();
            Ok((Traced::here(Val::Object(object)), 0))
        }
    }
}
