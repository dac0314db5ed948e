//! Recognises ARM template expressions in JSON strings (`"[...]"`) and the `"[[` escape.
//!
//! Deliberately tiny for now: it only tells expressions from literals. The later resolver's
//! expression parser and evaluator (`parameters()`, `variables()`, `if()`, …) belong here.

/// Whether a JSON string is an ARM template expression: it starts with `[` and ends with `]`,
/// and does not start with `[[` (which escapes a literal leading `[`).
pub fn is_expression(text: &str) -> bool {
    text.starts_with('[') && !text.starts_with("[[") && text.ends_with(']')
}

/// The literal a JSON string stands for: `None` for an expression; `[[…` loses one `[`.
pub fn literal_text(text: &str) -> Option<&str> {
    if is_expression(text) {
        None
    } else if text.starts_with("[[") {
        Some(&text[1..])
    } else {
        Some(text)
    }
}

/// Whether a string is the expression `[false()]` (function names are case-insensitive).
pub fn is_false_literal(text: &str) -> bool {
    is_expression(text)
        && text[1..text.len() - 1]
            .trim()
            .eq_ignore_ascii_case("false()")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_expressions_from_literals() {
        assert!(is_expression("[parameters('a')]"));
        assert!(is_expression("[]"));
        assert!(!is_expression("[[parameters('a')]"));
        assert!(!is_expression("[unterminated"));
        assert!(!is_expression("plain"));
        assert!(!is_expression(""));
    }

    #[test]
    fn double_bracket_escape_loses_one_bracket() {
        assert_eq!(literal_text("[concat('a')]"), None);
        assert_eq!(literal_text("[[x]"), Some("[x]"));
        assert_eq!(literal_text("[[x"), Some("[x"));
        assert_eq!(literal_text("Required"), Some("Required"));
    }

    #[test]
    fn recognises_the_false_function_in_any_case_and_spacing() {
        assert!(is_false_literal("[false()]"));
        assert!(is_false_literal("[ FALSE() ]"));
        assert!(!is_false_literal("[[false()]"));
        assert!(!is_false_literal("false"));
        assert!(!is_false_literal("[not(true())]"));
    }
}
