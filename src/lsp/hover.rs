//! Hover: over a certgate diagnostic, the documentation of its rule (what `certgate explain`
//! prints), so the reason and the fix are one mouse move away, then the resource's exposure
//! and environment.

use lsp_types::{Diagnostic, Hover, HoverContents, MarkupContent, MarkupKind, Position, Range};

use super::diagnostics::{ROLLOUT, rule_of};

/// The hover for `at` among a document's published diagnostics: the docs of every rule whose
/// diagnostic covers the position, in order, without repeats.
pub fn hover(diagnostics: &[Diagnostic], at: Position) -> Option<Hover> {
    let point = Range::new(at, at);
    let mut rules: Vec<&str> = Vec::new();
    let mut range = None;
    let mut rollout = None;
    for diagnostic in diagnostics {
        let Some(rule) = rule_of(diagnostic) else {
            continue;
        };
        if super::convert::touches(&diagnostic.range, &point) && !rules.contains(&rule) {
            rules.push(rule);
            range.get_or_insert(diagnostic.range);
            let line = diagnostic.data.as_ref().and_then(|d| d[ROLLOUT].as_str());
            rollout = rollout.or(line);
        }
    }
    let mut docs: Vec<String> = rules
        .into_iter()
        .filter_map(crate::rules::docs::of)
        .collect();
    if !docs.is_empty()
        && let Some(line) = rollout
    {
        docs.push(line.to_string());
    }
    if docs.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: docs.join("\n\n---\n\n"),
        }),
        range,
    })
}

/// `**Rollout:** exposure `internet` (reason); environment `production` (reason)`.
pub fn rollout_line(record: &crate::report::ResourceRecord) -> String {
    format!(
        "**Rollout:** exposure `{}` ({}); environment `{}` ({})",
        record.exposure.value.as_str(),
        record.exposure.reason,
        record.environment.value.as_str(),
        record.environment.reason
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::NumberOrString;

    fn diagnostic(code: &str, source: &str, line: u32) -> Diagnostic {
        Diagnostic {
            range: Range::new(Position::new(line, 2), Position::new(line, 30)),
            code: Some(NumberOrString::String(code.into())),
            source: Some(source.into()),
            ..Diagnostic::default()
        }
    }

    #[test]
    fn shows_the_rule_docs_of_the_diagnostic_under_the_cursor() {
        let diagnostics = [
            diagnostic("client-cert-optional", "certgate", 1),
            diagnostic("client-cert-disabled", "certgate", 4),
            diagnostic("client-cert-disabled", "other-linter", 7),
        ];
        let hover = hover(&diagnostics, Position::new(4, 10)).unwrap();
        let HoverContents::Markup(markup) = hover.contents else {
            panic!("markdown expected");
        };
        assert!(markup.value.starts_with("# client-cert-disabled ("));
        assert!(!markup.value.contains("client-cert-optional"));
        assert_eq!(hover.range, Some(diagnostics[1].range));
        assert!(super::hover(&diagnostics, Position::new(7, 10)).is_none());
        assert!(super::hover(&diagnostics, Position::new(5, 0)).is_none());
    }

    #[test]
    fn the_rollout_line_of_the_diagnostic_follows_the_rule_docs() {
        let mut tagged = diagnostic("client-cert-disabled", "certgate", 1);
        tagged.data = Some(serde_json::json!({ ROLLOUT: "**Rollout:** exposure `private`" }));
        let hover = hover(&[tagged], Position::new(1, 10)).unwrap();
        let HoverContents::Markup(markup) = hover.contents else {
            panic!("markdown expected");
        };
        assert!(markup.value.starts_with("# client-cert-disabled ("));
        assert!(
            markup
                .value
                .ends_with("\n\n---\n\n**Rollout:** exposure `private`")
        );
    }
}
