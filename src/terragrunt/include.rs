//! Merging an included configuration into the unit's (Terragrunt's `include` merge strategies):
//! `shallow` (the default) takes the child's `terraform.source` over the parent's and merges
//! `inputs` by top-level key, the child's winning; `deep` merges maps recursively and
//! concatenates lists, the child's scalars winning; `no_merge` merges nothing (the include is
//! only read through `include.NAME` when exposed). `locals` are never merged.

use std::collections::BTreeMap;

use super::scope::Member;
use crate::terraform::eval::merge_origins;
use crate::value::Val;

/// How an include merges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    Shallow,
    Deep,
    NoMerge,
}

impl Strategy {
    pub fn parse(text: &str) -> Option<Strategy> {
        Some(match text {
            "shallow" => Strategy::Shallow,
            "deep" => Strategy::Deep,
            "no_merge" => Strategy::NoMerge,
            _ => return None,
        })
    }
}

/// `child`'s inputs merged over `parent`'s by `strategy`.
pub fn inputs(
    parent: BTreeMap<String, Member>,
    child: BTreeMap<String, Member>,
    strategy: Strategy,
) -> BTreeMap<String, Member> {
    match strategy {
        Strategy::NoMerge => child,
        Strategy::Shallow => {
            let mut merged = parent;
            merged.extend(child);
            merged
        }
        Strategy::Deep => {
            let mut merged = parent;
            for (name, mut member) in child {
                if let Some(base) = merged.remove(&name) {
                    member.traced.val = deep(base.traced.val, member.traced.val);
                    let mut origin = base.traced.origin;
                    merge_origins(&mut origin, &member.traced.origin);
                    member.traced.origin = origin;
                }
                merged.insert(name, member);
            }
            merged
        }
    }
}

/// Terragrunt's deep merge of two values: objects by key, lists concatenated, else `child`.
fn deep(parent: Val, child: Val) -> Val {
    match (parent, child) {
        (Val::Object(mut base), Val::Object(over)) => {
            for (key, val) in over {
                let merged = match base.remove(&key) {
                    Some(old) => deep(old, val),
                    None => val,
                };
                base.insert(key, merged);
            }
            Val::Object(base)
        }
        (Val::List(mut base), Val::List(over)) => {
            base.extend(over);
            Val::List(base)
        }
        (_, child) => child,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(pairs: &[(&str, Val)]) -> Val {
        Val::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn deep_merges_maps_by_key_concatenates_lists_and_child_scalars_win() {
        let parent = obj(&[
            ("a", Val::Bool(false)),
            ("l", Val::List(vec![Val::Number(1.0)])),
            (
                "m",
                obj(&[("x", Val::Number(1.0)), ("y", Val::Number(2.0))]),
            ),
        ]);
        let child = obj(&[
            ("a", Val::Bool(true)),
            ("l", Val::List(vec![Val::Number(2.0)])),
            ("m", obj(&[("y", Val::Number(3.0))])),
        ]);
        let expected = obj(&[
            ("a", Val::Bool(true)),
            ("l", Val::List(vec![Val::Number(1.0), Val::Number(2.0)])),
            (
                "m",
                obj(&[("x", Val::Number(1.0)), ("y", Val::Number(3.0))]),
            ),
        ]);
        assert_eq!(deep(parent, child), expected);
    }

    #[test]
    fn merge_strategies_are_read_by_their_terragrunt_names() {
        assert_eq!(Strategy::parse("shallow"), Some(Strategy::Shallow));
        assert_eq!(Strategy::parse("deep"), Some(Strategy::Deep));
        assert_eq!(Strategy::parse("no_merge"), Some(Strategy::NoMerge));
        assert_eq!(Strategy::parse("Deep"), None);
    }
}
