//! The azurerm provider's major version as far as a plan tells it, for the defaults that depend
//! on it (SPEC.md: `azurerm_logic_app_standard`'s mode).
//!
//! A plan does not record the provider version that was selected, only the constraints the
//! configuration wrote (`configuration.provider_config.*.version_constraint`, for every
//! provider configuration whose `name` is `azurerm` or whose `full_name` ends in
//! `/azurerm`). All of them together are read as Terraform intersects them, and the major is
//! known only when they admit a single one: `~> 4.0`, `= 4.1.0`, `4.1.0`, or a range such as
//! `>= 4.0, < 5.0`. Anything else (`>= 3.0`, no constraint) is unknown, which the type table
//! reads as 4.x, as the Terraform front end does.

use crate::json::Json;
use crate::terraform::ProviderVersion;

/// The azurerm major version the plan's provider constraints pin, if they pin one.
pub fn provider_version(root: &Json) -> ProviderVersion {
    let Some(configs) = root
        .get("configuration")
        .and_then(|configuration| configuration.get("provider_config"))
    else {
        return ProviderVersion::Unknown;
    };
    let constraints: Vec<&str> = configs
        .members()
        .iter()
        .map(|member| &member.value)
        .filter(|config| is_azurerm(config))
        .filter_map(|config| config.get("version_constraint").and_then(Json::as_str))
        .collect();
    pinned_major(&constraints)
}

fn is_azurerm(config: &Json) -> bool {
    config.get("name").and_then(Json::as_str) == Some("azurerm")
        || config
            .get("full_name")
            .and_then(Json::as_str)
            .is_some_and(|name| name.ends_with("/azurerm"))
}

/// The one major version every clause of every constraint admits, if there is exactly one.
fn pinned_major(constraints: &[&str]) -> ProviderVersion {
    let mut pins: Vec<u32> = Vec::new();
    let mut lowest: Option<u32> = None;
    let mut highest: Option<u32> = None;
    for clause in constraints.iter().flat_map(|c| c.split(',')) {
        let clause = clause.trim();
        let (operator, version) = split_operator(clause);
        let Some(segments) = numeric_segments(version) else {
            continue;
        };
        let Some(&major) = segments.first() else {
            continue;
        };
        let rest_is_zero = segments[1..].iter().all(|&n| n == 0);
        match operator {
            // `~> 4.0` admits 4.x only; `~> 4` lets every component but the first grow.
            "~>" if segments.len() >= 2 => pins.push(major),
            "~>" | ">=" | ">" => lowest = Some(lowest.map_or(major, |l| l.max(major))),
            "=" | "" => pins.push(major),
            "<" => {
                // `< 5.0` stops before 5; `< 4.2` still admits 4.
                let top = if rest_is_zero {
                    major.checked_sub(1)
                } else {
                    Some(major)
                };
                if let Some(top) = top {
                    highest = Some(highest.map_or(top, |h| h.min(top)));
                }
            }
            "<=" => highest = Some(highest.map_or(major, |h| h.min(major))),
            _ => {}
        }
    }
    pins.sort_unstable();
    pins.dedup();
    match (pins.as_slice(), lowest, highest) {
        ([major], _, _) => ProviderVersion::Major(*major),
        ([], Some(low), Some(high)) if low == high => ProviderVersion::Major(low),
        _ => ProviderVersion::Unknown,
    }
}

fn split_operator(clause: &str) -> (&str, &str) {
    for operator in ["~>", ">=", "<=", "!=", ">", "<", "="] {
        if let Some(rest) = clause.strip_prefix(operator) {
            return (operator, rest.trim());
        }
    }
    ("", clause)
}

/// `4.12.0` → `[4, 12, 0]`; a pre-release or build suffix is ignored (`5.0.0-beta1` → 5.0.0).
fn numeric_segments(version: &str) -> Option<Vec<u32>> {
    let release = version
        .trim_start_matches('v')
        .split(['-', '+'])
        .next()
        .unwrap_or("");
    release
        .split('.')
        .map(|segment| segment.parse::<u32>().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn major(constraints: &[&str]) -> ProviderVersion {
        pinned_major(constraints)
    }

    #[test]
    fn single_major_constraints_pin_it() {
        assert_eq!(major(&["~> 4.0"]), ProviderVersion::Major(4));
        assert_eq!(major(&["~> 5.1.2"]), ProviderVersion::Major(5));
        assert_eq!(major(&["= 3.117.0"]), ProviderVersion::Major(3));
        assert_eq!(major(&["4.57.0"]), ProviderVersion::Major(4));
        assert_eq!(major(&[">= 4.0, < 5.0"]), ProviderVersion::Major(4));
        assert_eq!(major(&[">= 4.10.0", "<= 4.99"]), ProviderVersion::Major(4));
        assert_eq!(major(&["5.0.0-beta1"]), ProviderVersion::Major(5));
        // Constraints of several modules intersect.
        assert_eq!(major(&[">= 3.0", "~> 4.2"]), ProviderVersion::Major(4));
    }

    #[test]
    fn open_or_conflicting_constraints_are_unknown() {
        for constraints in [
            &[][..],
            &[">= 3.0"],
            &["~> 4"],
            &[">= 3.0, < 5.0"],
            &["~> 3.0", "~> 4.0"],
            &["latest"],
            &["< 0.0"],
        ] {
            assert_eq!(
                major(constraints),
                ProviderVersion::Unknown,
                "{constraints:?}"
            );
        }
    }

    #[test]
    fn reads_azurerm_provider_configs_only() {
        let plan = crate::json::parse(
            r#"{"configuration": {"provider_config": {
                "azurerm": {"name": "azurerm", "full_name": "registry.terraform.io/hashicorp/azurerm", "version_constraint": "~> 5.0"},
                "random": {"name": "random", "version_constraint": "~> 3.0"}
            }}}"#,
        )
        .unwrap();
        assert_eq!(provider_version(&plan.root), ProviderVersion::Major(5));
        let none = crate::json::parse(r#"{"configuration": {}}"#).unwrap();
        assert_eq!(provider_version(&none.root), ProviderVersion::Unknown);
    }
}
