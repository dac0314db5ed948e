//! Suppressions on an ARM resource's `metadata` (ARM allows any `metadata` object there):
//! certgate's `"certgate:ignore": [{"rule", "reason", "owner", "expires"}]` and Checkov's
//! `"checkov": "checkov:skip=CKV_AZURE_17:reason"` (a string or a list of them).

use std::ops::Range;

use crate::json::{Json, JsonKind};

use super::{Invalid, Kind, Parsed, Suppression, peers};
use crate::date::parse_date;
use crate::rules::check_rule_id;

/// The suppressions written in `resource`'s `metadata` (`resource` is the resource object).
/// Checkov entries are included; the caller drops peers when the config turns them off.
#[cfg(test)]
pub fn parse_metadata(resource: &Json) -> Parsed {
    resource
        .get_ignore_case("metadata")
        .map_or_else(Vec::new, parse_value)
}

/// The suppressions in the `metadata` value at `span` of `text` (the front end recorded where
/// it is), with positions in `text`. Text that does not parse there yields none: the front end
/// parsed the same text, so that only happens if the model and the text disagree.
pub fn parse_at(text: &str, span: Range<usize>) -> Parsed {
    let Some(doc) = text
        .get(span.clone())
        .and_then(|slice| crate::json::parse(slice).ok())
    else {
        return Vec::new();
    };
    let shift =
        |range: &mut Range<usize>| *range = range.start + span.start..range.end + span.start;
    let mut found = parse_value(&doc.root);
    for result in &mut found {
        match result {
            Ok(suppression) => shift(&mut suppression.span),
            Err(invalid) => shift(&mut invalid.span),
        }
    }
    found
}

/// The suppressions in a `metadata` object.
fn parse_value(metadata: &Json) -> Parsed {
    let mut out = Vec::new();
    for member in metadata.members() {
        if member.key.eq_ignore_ascii_case("certgate:ignore") {
            match &member.value.kind {
                JsonKind::Array(entries) => out.extend(entries.iter().map(certgate_entry)),
                JsonKind::Object(_) => out.push(certgate_entry(&member.value)),
                _ => out.push(Err(Invalid {
                    kind: Kind::Certgate,
                    span: member.value.span.clone(),
                    message: format!(
                        "`certgate:ignore` must be a list of objects, found {}",
                        member.value.type_name()
                    ),
                })),
            }
        } else if member.key.eq_ignore_ascii_case("checkov") {
            let items = match &member.value.kind {
                JsonKind::Array(items) => items.iter().collect(),
                _ => vec![&member.value],
            };
            for item in items {
                if let Some(text) = item.as_str() {
                    // Positions inside a JSON string are approximate (escapes); point at it.
                    let found = peers::scan(text, 0);
                    out.extend(found.into_iter().map(|result| {
                        result
                            .map(|mut s| {
                                s.span = item.span.clone();
                                s
                            })
                            .map_err(|mut invalid| {
                                invalid.span = item.span.clone();
                                invalid
                            })
                    }));
                }
            }
        }
    }
    out
}

/// One `{"rule": …, "reason": …, "owner": …, "expires": …}` entry.
fn certgate_entry(entry: &Json) -> Result<Suppression, Invalid> {
    let invalid = |json: &Json, message: String| Invalid {
        kind: Kind::Certgate,
        span: json.span.clone(),
        message,
    };
    if !entry.is_object() {
        return Err(invalid(
            entry,
            format!(
                "a `certgate:ignore` entry must be an object, found {}",
                entry.type_name()
            ),
        ));
    }
    let text = |json: &Json, key: &str| -> Result<String, Invalid> {
        match json.as_str() {
            Some(s) if !s.trim().is_empty() => Ok(s.to_string()),
            Some(_) => Err(invalid(json, format!("`{key}` is empty"))),
            None => Err(invalid(
                json,
                format!("`{key}` must be a string, found {}", json.type_name()),
            )),
        }
    };
    let mut rules: Option<Vec<String>> = None;
    let mut reason = None;
    let mut owner = None;
    let mut expires = None;
    for member in entry.members() {
        let value = &member.value;
        match member.key.as_str() {
            "rule" => {
                let id = text(value, "rule")?;
                check_rule_id(&id).map_err(|m| invalid(value, m))?;
                rules.get_or_insert_with(Vec::new).push(id);
            }
            "rules" => {
                let Some(items) = value.as_array() else {
                    return Err(invalid(value, "`rules` must be a list of rule ids".into()));
                };
                if items.is_empty() {
                    return Err(invalid(
                        value,
                        "empty rule list: leave out `rules` to cover every client-cert rule".into(),
                    ));
                }
                for item in items {
                    let id = text(item, "rules")?;
                    check_rule_id(&id).map_err(|m| invalid(item, m))?;
                    rules.get_or_insert_with(Vec::new).push(id);
                }
            }
            "reason" => reason = Some(text(value, "reason")?),
            "owner" => owner = Some(text(value, "owner")?),
            "expires" => {
                let date = text(value, "expires")?;
                expires = Some(parse_date(&date).map_err(|m| invalid(value, m))?);
            }
            other => {
                return Err(Invalid {
                    kind: Kind::Certgate,
                    span: member.key_span.clone(),
                    message: format!(
                        "unknown key `{other}`: the keys are `rule`, `rules`, `reason`, `owner` and `expires`"
                    ),
                });
            }
        }
    }
    let Some(reason) = reason else {
        return Err(invalid(
            entry,
            "missing reason: add \"reason\": \"why this is accepted\"".into(),
        ));
    };
    Ok(Suppression {
        kind: Kind::Certgate,
        rules,
        peer_ids: Vec::new(),
        reason: Some(reason),
        owner,
        expires,
        span: entry.span.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::format_date;

    fn parse(text: &str) -> (String, Parsed) {
        let doc = crate::json::parse(text).unwrap();
        (text.to_string(), parse_metadata(&doc.root))
    }

    #[test]
    fn certgate_entries_in_metadata() {
        let (_, found) = parse(
            r#"{"type": "Microsoft.Web/sites", "Metadata": {"certgate:ignore": [
                {"rule": "client-cert-disabled", "reason": "legacy", "owner": "team-a", "expires": "2027-03-31"},
                {"rules": ["client-cert-optional", "client-cert-exclusion-paths"], "reason": "two"},
                {"reason": "all rules"}
            ]}}"#,
        );
        let found: Vec<Suppression> = found.into_iter().map(Result::unwrap).collect();
        assert_eq!(found.len(), 3);
        assert_eq!(
            found[0].rules,
            Some(vec!["client-cert-disabled".to_string()])
        );
        assert_eq!(found[0].owner.as_deref(), Some("team-a"));
        assert_eq!(
            found[0].expires.map(format_date).as_deref(),
            Some("2027-03-31")
        );
        assert_eq!(found[1].rules.as_ref().map(Vec::len), Some(2));
        assert_eq!(found[2].rules, None);
        assert!(found.iter().all(|s| s.kind == Kind::Certgate));
        // A single object is accepted too.
        let (_, one) = parse(r#"{"metadata": {"certgate:ignore": {"reason": "x"}}}"#);
        assert!(one[0].is_ok());
    }

    #[test]
    fn malformed_metadata_entries_point_at_the_value() {
        let cases = [
            (
                r#"{"metadata": {"certgate:ignore": [{"rule": "client-cert-disabled"}]}}"#,
                "missing reason",
                r#"{"rule": "client-cert-disabled"}"#,
            ),
            (
                r#"{"metadata": {"certgate:ignore": [{"rule": "nope", "reason": "x"}]}}"#,
                "unknown rule `nope`",
                r#""nope""#,
            ),
            (
                r#"{"metadata": {"certgate:ignore": [{"reason": "x", "expires": "2027-02-29"}]}}"#,
                "has no day 29",
                r#""2027-02-29""#,
            ),
            (
                r#"{"metadata": {"certgate:ignore": [{"reason": "x", "team": "a"}]}}"#,
                "unknown key `team`",
                r#""team""#,
            ),
            (
                r#"{"metadata": {"certgate:ignore": [{"reason": 3}]}}"#,
                "must be a string",
                "3",
            ),
            (
                r#"{"metadata": {"certgate:ignore": ["client-cert-disabled"]}}"#,
                "must be an object",
                r#""client-cert-disabled""#,
            ),
            (
                r#"{"metadata": {"certgate:ignore": "x"}}"#,
                "list of objects",
                r#""x""#,
            ),
            (
                r#"{"metadata": {"certgate:ignore": [{"rules": [], "reason": "x"}]}}"#,
                "empty rule list",
                "[]",
            ),
        ];
        for (text, message, at) in cases {
            let (text, mut found) = parse(text);
            let error = found.remove(0).unwrap_err();
            assert!(error.message.contains(message), "{text}: {}", error.message);
            assert_eq!(&text[error.span], at, "{text}");
        }
    }

    #[test]
    fn checkov_metadata_string_or_list() {
        let (text, found) = parse(
            r#"{"metadata": {"checkov": ["checkov:skip=CKV_AZURE_17: partner API", "checkov:skip=CKV_AZURE_18"]}}"#,
        );
        assert_eq!(found.len(), 1);
        let s = found[0].as_ref().unwrap();
        assert_eq!(s.kind, Kind::Checkov);
        assert_eq!(s.reason.as_deref(), Some("partner API"));
        assert_eq!(
            &text[s.span.clone()],
            r#""checkov:skip=CKV_AZURE_17: partner API""#
        );
        let (_, single) = parse(r#"{"metadata": {"checkov": "checkov:skip=CKV_AZURE_17"}}"#);
        assert_eq!(single.len(), 1);
        let (_, none) = parse(r#"{"type": "x", "metadata": {"description": "no suppression"}}"#);
        assert!(none.is_empty());
    }

    #[test]
    fn reading_at_the_recorded_span_gives_the_same_suppressions_and_positions() {
        let text = r#"{"resources": [{"type": "Microsoft.Web/sites", /* c */ "metadata": {
            "certgate:ignore": [{"rule": "client-cert-disabled", "reason": "legacy"}, {"rule": "nope"}],
            "checkov": "checkov:skip=CKV_AZURE_17: partner"}}]}"#;
        let doc = crate::json::parse(text).unwrap();
        let resource = &doc.root.get("resources").unwrap().as_array().unwrap()[0];
        let metadata = resource.get_ignore_case("metadata").unwrap().span.clone();
        let whole = parse_metadata(resource);
        assert_eq!(whole.len(), 3);
        assert_eq!(parse_at(text, metadata), whole);
    }

    #[test]
    fn a_span_outside_the_text_or_not_json_yields_nothing() {
        assert!(parse_at("{}", 1..40).is_empty());
        assert!(parse_at(r#"{"metadata": }"#, 13..14).is_empty());
    }
}
