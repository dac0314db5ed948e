use super::*;
use crate::date::format_date;
use crate::suppress::KicsScope;

/// Parses `comment` as a whole file (so positions are offsets into `comment`).
fn parse(comment: &str) -> Parsed {
    parse_comment(comment, 0..comment.len())
}

fn one(comment: &str) -> Suppression {
    let mut found = parse(comment);
    assert_eq!(found.len(), 1, "{found:?}");
    found.remove(0).unwrap()
}

/// The error and the text its span covers.
fn invalid(comment: &str) -> (String, String) {
    let mut found = parse(comment);
    assert_eq!(found.len(), 1, "{found:?}");
    let error = found.remove(0).unwrap_err();
    (error.message, comment[error.span].to_string())
}

#[test]
fn certgate_directive_with_every_field() {
    let text = r#"# certgate:ignore[client-cert-disabled] reason="legacy partner API" owner=team-payments expires=2027-03-31"#;
    let s = one(text);
    assert_eq!(s.kind, Kind::Certgate);
    assert_eq!(s.rules, Some(vec!["client-cert-disabled".to_string()]));
    assert_eq!(s.reason.as_deref(), Some("legacy partner API"));
    assert_eq!(s.owner.as_deref(), Some("team-payments"));
    assert_eq!(s.expires.map(format_date).as_deref(), Some("2027-03-31"));
    assert!(s.peer_ids.is_empty());
    assert_eq!(&text[s.span], &text[2..]);
}

#[test]
fn certgate_directive_in_each_comment_style() {
    for text in [
        "// certgate:ignore reason=legacy",
        "/* certgate:ignore reason=legacy */",
        "#certgate:ignore reason=legacy\n",
        "/*\n  certgate:ignore\n  reason=legacy\n*/",
    ] {
        let s = one(text);
        assert_eq!(s.rules, None, "{text}");
        assert_eq!(s.reason.as_deref(), Some("legacy"), "{text}");
        assert!(s.covers("client-cert-optional"));
        assert!(s.covers("client-cert-unresolved"));
        assert!(!s.covers("some-other-rule"));
    }
}

#[test]
fn several_rules_and_escaped_quotes() {
    let s = one(
        r#"// certgate:ignore[client-cert-disabled, client-cert-optional] reason="the \"legacy\" API" owner="Team Payments""#,
    );
    assert_eq!(
        s.rules,
        Some(vec![
            "client-cert-disabled".into(),
            "client-cert-optional".into()
        ])
    );
    assert_eq!(s.reason.as_deref(), Some("the \"legacy\" API"));
    assert_eq!(s.owner.as_deref(), Some("Team Payments"));
    assert!(!s.covers("client-cert-exclusion-paths"));
}

#[test]
fn malformed_certgate_directives_point_at_the_problem() {
    let cases = [
        (
            "# certgate:ignore[client-cert-disabled]",
            "missing reason",
            "certgate:ignore",
        ),
        (
            "# certgate:ignore[client-cert-disabld] reason=x",
            "unknown rule `client-cert-disabld`",
            "client-cert-disabld",
        ),
        (
            "# certgate:ignore reason=x expires=2027-02-30",
            "has no day 30",
            "2027-02-30",
        ),
        (
            "# certgate:ignore reason=x expires=soon",
            "YYYY-MM-DD",
            "soon",
        ),
        (
            "# certgate:ignore reason=x team=a",
            "unknown key `team`",
            "team",
        ),
        (
            "# certgate:ignore reason=x reason=y",
            "given twice",
            "reason",
        ),
        ("# certgate:ignore reason=\"x", "unclosed `\"`", "\""),
        (
            "# certgate:ignore[client-cert-disabled reason=x",
            "unclosed `[`",
            "[",
        ),
        ("# certgate:ignore[] reason=x", "empty rule list", "[]"),
        ("# certgate:ignore reason=\"\"", "`reason` is empty", "\"\""),
        (
            "# certgate:ignore [client-cert-disabled] reason=x",
            "without a space",
            "[client-cert-disabled]",
        ),
        (
            "# certgate:ignore because legacy",
            "expected `key=value`, found `because`",
            "because",
        ),
        (
            "# certgate:ignored reason=x",
            "unknown directive",
            "certgate:ignored",
        ),
    ];
    for (text, message, at) in cases {
        let (got, span) = invalid(text);
        assert!(got.contains(message), "{text}: {got}");
        assert_eq!(span, at, "{text}");
    }
}

#[test]
fn positions_are_file_offsets() {
    let source = "resource \"a\" \"b\" {\n  # certgate:ignore reason=x expires=2027-13-01\n}\n";
    let start = source.find('#').unwrap();
    let end = source[start..].find('\n').unwrap() + start;
    let error = parse_comment(source, start..end).remove(0).unwrap_err();
    assert_eq!(&source[error.span], "2027-13-01");
}

#[test]
fn prose_mentioning_the_directive_is_not_one() {
    assert!(parse("# to accept a finding, add a certgate:ignore comment").is_empty());
    assert!(parse("# an ordinary comment").is_empty());
}

#[test]
fn checkov_skip_with_and_without_reason() {
    let s = one("# checkov:skip=CKV_AZURE_17:Partner API cannot do mTLS");
    assert_eq!(s.kind, Kind::Checkov);
    assert_eq!(s.peer_ids, vec!["CKV_AZURE_17".to_string()]);
    assert_eq!(s.reason.as_deref(), Some("Partner API cannot do mTLS"));
    assert!(s.covers("client-cert-disabled"));
    assert!(s.covers("client-cert-unsupported"));
    assert!(!s.covers("client-cert-optional"));
    assert!(!s.covers("client-cert-unresolved"));
    let bare = one("//checkov:skip=CKV_AZURE_17");
    assert_eq!(bare.reason, None);
    assert_eq!(one("# bridgecrew:skip=CKV_AZURE_17").kind, Kind::Checkov);
    // Other checks are not ours.
    assert!(parse("# checkov:skip=CKV_AZURE_18:https only").is_empty());
}

#[test]
fn tfsec_and_trivy_ignores_with_expiry() {
    let s = one("# tfsec:ignore:azure-appservice-require-client-cert:exp:2027-01-15");
    assert_eq!(s.kind, Kind::Tfsec);
    assert_eq!(s.expires.map(format_date).as_deref(), Some("2027-01-15"));
    assert_eq!(one("# tfsec:ignore:AVD-AZU-0001").kind, Kind::Tfsec);
    let t = one("# trivy:ignore:AVD-AZU-0001:exp:2027-01-15");
    assert_eq!(t.kind, Kind::Trivy);
    assert_eq!(t.peer_ids, vec!["AVD-AZU-0001".to_string()]);
    assert!(t.expires.is_some());
    for id in [
        "AZU-0001",
        "azure-appservice-require-client-cert",
        "require-client-cert",
        "*",
    ] {
        assert_eq!(
            one(&format!("# trivy:ignore:{id}")).kind,
            Kind::Trivy,
            "{id}"
        );
    }
    assert!(parse("# tfsec:ignore:azure-appservice-enforce-https").is_empty());
}

#[test]
fn several_peer_directives_in_one_comment() {
    let text = "# tfsec:ignore:azure-appservice-enforce-https tfsec:ignore:azure-appservice-require-client-cert trivy:ignore:AVD-AZU-0001";
    let found: Vec<Suppression> = parse(text).into_iter().map(Result::unwrap).collect();
    assert_eq!(found.len(), 2);
    assert_eq!(
        &text[found[0].span.clone()],
        "tfsec:ignore:azure-appservice-require-client-cert"
    );
    assert_eq!(&text[found[1].span.clone()], "trivy:ignore:AVD-AZU-0001");
}

#[test]
fn peer_scopes_certgate_cannot_evaluate_are_not_honoured() {
    assert!(parse("# tfsec:ignore:azure-appservice-require-client-cert:ws:prod").is_empty());
    assert!(parse("# trivy:ignore:*[name=legacy]").is_empty());
}

#[test]
fn malformed_peer_expiry_is_invalid() {
    let (message, span) =
        invalid("# tfsec:ignore:azure-appservice-require-client-cert:exp:2027-1-5");
    assert!(message.contains("YYYY-MM-DD"), "{message}");
    assert_eq!(span, "2027-1-5");
    let found = parse("# trivy:ignore:AVD-AZU-0001:exp:2027-02-31");
    assert_eq!(found[0].as_ref().unwrap_err().kind, Kind::Trivy);
}

#[test]
fn kics_block_and_line() {
    assert_eq!(
        one("# kics-scan ignore-block").kind,
        Kind::Kics(KicsScope::Block)
    );
    assert_eq!(
        one("// kics-scan ignore-line").kind,
        Kind::Kics(KicsScope::Line)
    );
    assert!(one("# kics-scan ignore-line").covers("client-cert-disabled"));
    assert!(parse("# kics-scan disable=a81573f9-3691-4d83-88a0-7d4af63e17a3").is_empty());
}

#[test]
fn hostile_text_does_not_panic() {
    for text in [
        "#",
        "//",
        "/*",
        "/**/",
        "# certgate:ignore",
        "# certgate:ignore[",
        "# certgate:ignore reason=\"\\",
        "# tfsec:ignore:",
        "# trivy:ignore:[",
        "# checkov:skip=",
        "# kics-scan ",
        "# certgate:ignore reason=é expires=é",
    ] {
        let _ = parse(text);
    }
    let source = "é# certgate:ignore reason=x";
    // A span that does not fall on character boundaries yields nothing.
    assert!(parse_comment(source, 1..source.len()).is_empty());
}

#[test]
fn peer_ids_match_exactly_as_the_peers_match_them() {
    assert!(parse("# checkov:skip=ckv_azure_17").is_empty());
    assert!(parse("# trivy:ignore:avd-azu-0001").is_empty());
}
