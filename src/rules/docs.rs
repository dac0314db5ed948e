//! A rule's documentation as Markdown: what `certgate explain` prints and the editor's hover.

use super::{Rule, RuleId};

/// The docs of `rule` with its title and default severity first.
pub fn markdown(rule: &Rule) -> String {
    // `(always)`: the config cannot change it, so the docs say so where the level is named.
    let always = if rule.severity_fixed { " (always)" } else { "" };
    format!(
        "# {} ({})\n\nDefault severity: {}{always}\n\n{}",
        rule.id,
        rule.name,
        rule.severity.as_str(),
        rule.docs
    )
}

/// The Markdown docs of the rule spelled exactly `id`, if there is one.
pub fn of(id: &str) -> Option<String> {
    RuleId::parse(id).map(|id| markdown(id.rule()))
}

/// `certgate rules`: one line per rule (id, severity, summary), the exception rules last.
pub fn table() -> String {
    let rules = super::RULES;
    let width = rules.iter().map(|r| r.id.as_str().len()).max().unwrap_or(0);
    let mut out = format!("{:width$}  {:8}  SUMMARY\n", "RULE", "SEVERITY");
    for rule in rules {
        out.push_str(&format!(
            "{:width$}  {:8}  {}\n",
            rule.id.as_str(),
            rule.severity.as_str(),
            rule.summary
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_row_has_docs_under_its_title() {
        for rule in super::super::RULES {
            assert!(!rule.docs.trim().is_empty(), "{}", rule.id);
            assert!(!rule.summary.is_empty(), "{}", rule.id);
            let text = markdown(rule);
            assert!(
                text.starts_with(&format!("# {} ({})\n", rule.id, rule.name)),
                "{text}"
            );
            assert_eq!(of(rule.id.as_str()), Some(text));
        }
    }

    #[test]
    fn resource_rules_document_every_section() {
        for rule in super::super::resource_rules() {
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Fix",
            ] {
                assert!(rule.docs.contains(section), "{} lacks {section}", rule.id);
            }
        }
    }

    #[test]
    fn only_the_malformed_exception_rule_has_a_fixed_severity() {
        let fixed: Vec<RuleId> = super::super::RULES
            .iter()
            .filter(|r| r.severity_fixed)
            .map(|r| r.id)
            .collect();
        assert_eq!(fixed, [RuleId::InvalidException]);
        assert!(
            of("invalid-exception")
                .unwrap()
                .contains("Default severity: error (always)\n")
        );
    }
}
