//! Rule `unused-exception`: an exception that suppresses nothing (judged by `suppress/`).

use super::{Judges, Rule, RuleId};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    id: RuleId::UnusedException,
    name: "Exception suppresses nothing",
    severity: Severity::Warning,
    severity_fixed: false,
    summary: "An exception (inline, config or a peer's) matches no finding",
    docs: "An inline, peer or `[[exception]]` exception matched no finding: the resource was \
           fixed, renamed, or the exception names the wrong rule. Remove it so the exceptions \
           list stays true. Set its level under `[rules]` in certgate.toml.\n",
    judges: Judges::Exception,
    fixable: false,
    peers: false,
};
