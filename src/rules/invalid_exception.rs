//! Rule `invalid-exception`: a malformed exception (judged by `suppress/` and the config).

use super::{Judges, Rule, RuleId};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    id: RuleId::InvalidException,
    name: "Malformed exception",
    severity: Severity::Error,
    // Not configurable: a malformed exception must not be silenced by the config it is in.
    severity_fixed: true,
    summary: "An exception is malformed (no reason, bad date, unknown rule)",
    docs: "An exception is missing its reason, has a date that is not YYYY-MM-DD or does not \
           exist, names an unknown rule or key, or leaves a `[` or `\"` open. It suppresses \
           nothing until corrected.\n",
    judges: Judges::Exception,
    fixable: false,
    peers: false,
};
