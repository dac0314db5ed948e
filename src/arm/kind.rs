//! Classifies an ARM site's `kind` string into a [`SiteKind`] plus the tokens worth showing.
//!
//! `kind` is a comma-separated list of tokens in any order and case (`functionapp,linux`,
//! `app,linux,container`, `functionapp,workflowapp`). `workflowapp` wins over `functionapp`
//! because a logic app standard is deployed with kind `functionapp,workflowapp`. A missing kind,
//! a kind that is not a string, or a kind that is an ARM expression (`"[parameters('kind')]"`)
//! classifies as a plain web app with no tags: the kind only labels findings and filters which
//! kinds are checked, and every ARM site kind has the same certificate defaults, so guessing
//! "web app" cannot hide a failing value. The resolver may later evaluate expression kinds.

use crate::json::Json;
use crate::model::SiteKind;

use super::expr::literal_text;

/// A site's kind and its remaining `kind` tokens (lower case, de-duplicated, in written order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified {
    pub kind: SiteKind,
    pub tags: Vec<String>,
}

/// Classifies a `kind` value as written (`None` when the resource has no `kind`).
pub fn classify(kind: Option<&Json>) -> Classified {
    match kind.and_then(Json::as_str).and_then(literal_text) {
        Some(text) => classify_str(text),
        None => Classified {
            kind: SiteKind::WebApp,
            tags: Vec::new(),
        },
    }
}

/// Classifies a literal `kind` string.
pub fn classify_str(text: &str) -> Classified {
    let mut function = false;
    let mut workflow = false;
    let mut tags: Vec<String> = Vec::new();
    for token in text.split(',') {
        let token = token.trim().to_ascii_lowercase();
        match token.as_str() {
            "" => {}
            "functionapp" => function = true,
            "workflowapp" => workflow = true,
            _ if tags.contains(&token) => {}
            _ => tags.push(token),
        }
    }
    let kind = if workflow {
        SiteKind::LogicApp
    } else if function {
        SiteKind::FunctionApp
    } else {
        SiteKind::WebApp
    };
    Classified { kind, tags }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::JsonKind;

    fn string(text: &str) -> Json {
        Json {
            kind: JsonKind::String(text.into()),
            span: 0..0,
        }
    }

    #[test]
    fn function_app_on_linux() {
        let c = classify_str("functionapp,linux");
        assert_eq!(c.kind, SiteKind::FunctionApp);
        assert_eq!(c.tags, vec!["linux"]);
    }

    #[test]
    fn workflowapp_wins_over_functionapp_in_any_order_and_case() {
        for text in ["functionapp,workflowapp", "WorkflowApp, FunctionApp"] {
            let c = classify_str(text);
            assert_eq!(c.kind, SiteKind::LogicApp, "{text}");
            assert!(c.tags.is_empty(), "{text}: {:?}", c.tags);
        }
    }

    #[test]
    fn web_app_keeps_other_tokens_lower_cased_and_deduplicated() {
        let c = classify_str(" App,Linux,CONTAINER,,linux ");
        assert_eq!(c.kind, SiteKind::WebApp);
        assert_eq!(c.tags, vec!["app", "linux", "container"]);
    }

    #[test]
    fn container_apps_function_keeps_its_hosting_tags() {
        let c = classify_str("functionapp,linux,container,azurecontainerapps");
        assert_eq!(c.kind, SiteKind::FunctionApp);
        assert_eq!(c.tags, vec!["linux", "container", "azurecontainerapps"]);
    }

    #[test]
    fn missing_non_string_and_expression_kinds_are_plain_web_apps() {
        let number = Json {
            kind: JsonKind::Number("1".into()),
            span: 0..0,
        };
        for kind in [None, Some(&number), Some(&string("[parameters('kind')]"))] {
            let c = classify(kind);
            assert_eq!(c.kind, SiteKind::WebApp);
            assert!(c.tags.is_empty());
        }
    }

    #[test]
    fn escaped_bracket_kind_is_a_literal() {
        // `[[` escapes a literal `[`: not an expression, so the tokens are read as written.
        let c = classify(Some(&string("[[functionapp]")));
        assert_eq!(c.kind, SiteKind::WebApp);
        assert_eq!(c.tags, vec!["[functionapp]"]);
    }
}
