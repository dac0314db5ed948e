//! The words that name an environment, and how a name (a tag value, a file or directory
//! name) is split into words to find one.

use crate::model::Environment;

/// Words that name a production environment.
const PRODUCTION: &[&str] = &["prod", "production", "prd", "live"];

/// Words that name an environment other than production.
const NON_PRODUCTION: &[&str] = &[
    "dev",
    "develop",
    "development",
    "test",
    "testing",
    "tst",
    "qa",
    "uat",
    "sit",
    "staging",
    "stage",
    "stg",
    "sandbox",
    "sbx",
    "nonprod",
    "nonproduction",
    "preprod",
    "preproduction",
    "demo",
    "lab",
    "poc",
];

/// Prefixes that turn a production word into a non-production one when written apart
/// (`non-prod`, `pre_prod`).
const NEGATING: &[&str] = &["non", "pre"];

/// The environment one word names (compared case-insensitively; trailing digits are ignored,
/// so `dev2` and `prod01` count).
pub fn of_word(word: &str) -> Option<Environment> {
    let word = word.to_ascii_lowercase();
    let stem = word.trim_end_matches(|c: char| c.is_ascii_digit());
    let stem = if stem.is_empty() { word.as_str() } else { stem };
    if PRODUCTION.contains(&stem) {
        Some(Environment::Production)
    } else if NON_PRODUCTION.contains(&stem) {
        Some(Environment::NonProduction)
    } else {
        None
    }
}

/// The first word of `name` that names an environment, split at `.`, `-`, `_` and spaces:
/// the environment and the word as written (`non-prod` stays one word).
pub fn of_name(name: &str) -> Option<(Environment, String)> {
    find(name, true)
}

/// [`of_name`] for a directory's name, where `live` names no environment: Terragrunt's
/// convention keeps every environment under a `live/` directory.
pub fn of_directory(name: &str) -> Option<(Environment, String)> {
    find(name, false)
}

fn find(name: &str, live: bool) -> Option<(Environment, String)> {
    let words: Vec<&str> = name
        .split(['.', '-', '_', ' '])
        .filter(|w| !w.is_empty())
        .collect();
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        if let Some(next) = words.get(i + 1)
            && NEGATING.iter().any(|n| word.eq_ignore_ascii_case(n))
            && of_word(next) == Some(Environment::Production)
        {
            return Some((Environment::NonProduction, format!("{word}-{next}")));
        }
        if let Some(environment) = of_word(word)
            && (live || !word.eq_ignore_ascii_case("live"))
        {
            return Some((environment, word.to_string()));
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use Environment::{NonProduction, Production};

    fn named(name: &str) -> Option<(Environment, String)> {
        of_name(name)
    }

    fn is(environment: Environment, word: &str) -> Option<(Environment, String)> {
        Some((environment, word.to_string()))
    }

    #[test]
    fn names_split_into_words_at_dots_dashes_and_underscores() {
        assert_eq!(named("main.prod.bicepparam"), is(Production, "prod"));
        assert_eq!(named("prod.tfvars"), is(Production, "prod"));
        assert_eq!(named("app-PRD-westeurope"), is(Production, "PRD"));
        assert_eq!(
            named("azuredeploy.parameters.dev.json"),
            is(NonProduction, "dev")
        );
        assert_eq!(named("uat_eu"), is(NonProduction, "uat"));
        assert_eq!(named("Staging"), is(NonProduction, "Staging"));
        assert_eq!(named("main.parameters.json"), None);
        // Inside a word, an environment is not a word of its own.
        assert_eq!(named("product-catalog"), None);
        assert_eq!(named("devices"), None);
    }

    #[test]
    fn non_prod_and_pre_prod_written_apart_are_not_production() {
        assert_eq!(named("non-prod"), is(NonProduction, "non-prod"));
        assert_eq!(named("pre_production"), is(NonProduction, "pre-production"));
        assert_eq!(named("nonprod"), is(NonProduction, "nonprod"));
        assert_eq!(named("preprod.tfvars"), is(NonProduction, "preprod"));
        // `non` before another word is no negation.
        assert_eq!(named("non-dev"), is(NonProduction, "dev"));
    }

    #[test]
    fn live_names_production_except_as_a_directory() {
        assert_eq!(named("live"), is(Production, "live"));
        assert_eq!(of_directory("live"), None);
        assert_eq!(of_directory("infrastructure-live"), None);
        assert_eq!(of_directory("prod-live"), is(Production, "prod"));
    }

    #[test]
    fn trailing_digits_are_ignored_but_digits_alone_name_nothing() {
        assert_eq!(of_word("dev2"), Some(NonProduction));
        assert_eq!(of_word("prod01"), Some(Production));
        assert_eq!(of_word("01"), None);
        assert_eq!(of_word("LIVE"), Some(Production));
    }
}
