//! The azurerm provider's major version for a configuration (it decides some defaults): the
//! version `.terraform.lock.hcl` selected, else what the `required_providers` constraints let
//! `terraform init` pick (the newest allowed), else unknown, which the type table reads as 4.x.
//!
//! Only the major version matters, so the constraints are read by hand: the `semver` crate does
//! not know Terraform's pessimistic operator `~>`, and a crate for one number is too much.

use super::types::ProviderVersion;
use crate::source::SourceFile;

/// The azurerm version recorded in a lock file, if it records one.
pub fn from_lock_file(source: &SourceFile) -> Option<ProviderVersion> {
    let body = super::hcl::parse(0, source).ok()?;
    body.blocks()
        .filter(|block| block.has_ident("provider"))
        .filter(|block| {
            block.labels.first().is_some_and(|label| {
                let address = label.as_str();
                address == "hashicorp/azurerm" || address.ends_with("/hashicorp/azurerm")
            })
        })
        .find_map(|block| {
            block
                .body
                .get_attribute("version")?
                .value
                .as_str()
                .map(str::to_string)
        })
        .and_then(|version| leading_number(&version))
        .map(ProviderVersion::Major)
}

/// The major version `terraform init` would pick under all of `constraints` together: the
/// newest major they allow when they bound it from above (`~> 4.0`, `< 5.0`, `= 4.1.0`), the
/// lowest they allow when that is already 5 or more (`>= 5.0`), else unknown.
pub fn from_constraints(constraints: &[String]) -> ProviderVersion {
    let mut lowest: Option<u32> = None;
    let mut highest: Option<u32> = None;
    for clause in constraints.iter().flat_map(|c| c.split(',')) {
        let Some((low, high)) = clause_bounds(clause.trim()) else {
            continue;
        };
        if let Some(low) = low {
            lowest = Some(lowest.map_or(low, |l| l.max(low)));
        }
        if let Some(high) = high {
            highest = Some(highest.map_or(high, |h| h.min(high)));
        }
    }
    match (lowest, highest) {
        (_, Some(high)) => ProviderVersion::Major(high),
        (Some(low), None) if low >= 5 => ProviderVersion::Major(low),
        _ => ProviderVersion::Unknown,
    }
}

/// The lowest and highest major one clause allows (`None`: unbounded); `None` when the clause
/// cannot be read.
fn clause_bounds(clause: &str) -> Option<(Option<u32>, Option<u32>)> {
    let operator_end = clause
        .find(|c: char| c.is_ascii_digit() || c == 'v')
        .unwrap_or(clause.len());
    let (operator, version) = clause.split_at(operator_end);
    let parts: Vec<u32> = version
        .trim_start_matches('v')
        .split('.')
        .map_while(leading_number)
        .collect();
    let major = *parts.first()?;
    let rest_is_zero = parts[1..].iter().all(|&n| n == 0);
    Some(match operator.trim() {
        "" | "=" => (Some(major), Some(major)),
        "~>" if parts.len() == 1 => (Some(major), None),
        "~>" => (Some(major), Some(major)),
        ">=" | ">" => (Some(major), None),
        "<=" => (None, Some(major)),
        "<" if rest_is_zero => (None, Some(major.checked_sub(1)?)),
        "<" => (None, Some(major)),
        _ => return None,
    })
}

fn leading_number(text: &str) -> Option<u32> {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn constraint(text: &str) -> ProviderVersion {
        from_constraints(&[text.to_string()])
    }

    #[test]
    fn reads_the_selected_version_from_a_lock_file() {
        let lock = "provider \"registry.terraform.io/hashicorp/random\" {\n  version = \"3.6.0\"\n}\nprovider \"registry.terraform.io/hashicorp/azurerm\" {\n  version     = \"5.1.0\"\n  constraints = \"~> 5.0\"\n  hashes = [\"h1:x\"]\n}\n";
        let source = SourceFile::new(".terraform.lock.hcl".into(), lock);
        assert_eq!(from_lock_file(&source), Some(ProviderVersion::Major(5)));
        let none = SourceFile::new(".terraform.lock.hcl".into(), "provider \"x/y/z\" {}\n");
        assert_eq!(from_lock_file(&none), None);
        let broken = SourceFile::new(".terraform.lock.hcl".into(), "provider {");
        assert_eq!(from_lock_file(&broken), None);
    }

    #[test]
    fn constraints_give_the_newest_allowed_major() {
        assert_eq!(constraint("~> 4.0"), ProviderVersion::Major(4));
        assert_eq!(constraint("~>4.12.1"), ProviderVersion::Major(4));
        assert_eq!(constraint("= 5.1.0"), ProviderVersion::Major(5));
        assert_eq!(constraint("3.116.0"), ProviderVersion::Major(3));
        assert_eq!(constraint(">= 3.0, < 5.0"), ProviderVersion::Major(4));
        assert_eq!(constraint(">= 3.0, < 4.5"), ProviderVersion::Major(4));
        assert_eq!(constraint("<= 5.2"), ProviderVersion::Major(5));
        assert_eq!(constraint(">= 5.0"), ProviderVersion::Major(5));
        assert_eq!(constraint(">= 3.0"), ProviderVersion::Unknown);
        assert_eq!(constraint("~> 4"), ProviderVersion::Unknown);
        assert_eq!(constraint("nonsense"), ProviderVersion::Unknown);
        assert_eq!(constraint("< 0.1"), ProviderVersion::Major(0));
        assert_eq!(constraint("< 0"), ProviderVersion::Unknown);
        assert_eq!(
            from_constraints(&["~> 4.0".into(), ">= 4.5".into()]),
            ProviderVersion::Major(4)
        );
    }
}
