//! Classifies an ARM site's `kind` string into a [`SiteKind`] plus the tokens worth showing.
//!
//! `kind` is a comma-separated list of tokens in any order and case (`functionapp,linux`,
//! `app,linux,container`, `functionapp,workflowapp`). `workflowapp` wins over `functionapp`
//! because a logic app standard is deployed with kind `functionapp,workflowapp`. The caller
//! evaluates expression kinds first; a missing kind, one that is not a string or one that does
//! not resolve classifies as a plain web app with no tags (pass `""`): the kind only labels
//! findings and filters which kinds are checked, and every ARM site kind has the same
//! certificate defaults, so guessing "web app" cannot hide a failing value.

use crate::model::SiteKind;

/// A site's kind and its remaining `kind` tokens (lower case, de-duplicated, in written order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified {
    pub kind: SiteKind,
    pub tags: Vec<String>,
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
    fn an_empty_kind_is_a_plain_web_app() {
        let c = classify_str("");
        assert_eq!(c.kind, SiteKind::WebApp);
        assert!(c.tags.is_empty());
    }
}
