use super::*;
use crate::date::parse_date;
use crate::suppress::comment::parse_comment;

fn date(text: &str) -> Date {
    parse_date(text).unwrap()
}

fn placed(comment: &str, only_line: Option<usize>) -> Placed {
    let suppression = parse_comment(comment, 0..comment.len()).remove(0).unwrap();
    Placed {
        suppression,
        only_line,
    }
}

fn at(line: usize) -> LineCol {
    LineCol { line, column: 3 }
}

fn target<'a>(rule: &'a str, address: &'a str, line: usize) -> Target<'a> {
    Target {
        rule,
        path: Path::new("main.tf"),
        address,
        line,
        config: None,
    }
}

#[test]
fn active_inline_exception_suppresses_and_names_itself() {
    let mut ledger = Ledger::new(date("2027-01-01"));
    let p = placed(
        "# certgate:ignore[client-cert-disabled] reason=legacy owner=team-a expires=2027-03-31",
        None,
    );
    ledger.add_inline(Path::new("main.tf"), "azurerm_linux_web_app.a", &p, at(1));
    let Decision::Suppressed(by) = ledger.decide(&target(
        "client-cert-disabled",
        "azurerm_linux_web_app.a",
        3,
    )) else {
        panic!("not suppressed");
    };
    assert_eq!(by.by, "certgate:ignore");
    assert_eq!(by.owner.as_deref(), Some("team-a"));
    assert_eq!(by.location.line, 1);
    // Another rule, or another resource, is not covered.
    assert_eq!(
        ledger.decide(&target(
            "client-cert-optional",
            "azurerm_linux_web_app.a",
            3
        )),
        Decision::Report
    );
    assert_eq!(
        ledger.decide(&target(
            "client-cert-disabled",
            "azurerm_linux_web_app.b",
            3
        )),
        Decision::Report
    );
    assert!(ledger.unused().is_empty());
    let entry = ledger.entries()[0].clone();
    assert_eq!(ledger.status(&entry), Status::Active);
    assert_eq!(
        ledger.with_soon_days(90).status(&entry),
        Status::ExpiresSoon
    );
}

#[test]
fn expired_exception_returns_the_finding_with_owner_and_date() {
    let mut ledger = Ledger::new(date("2027-03-31"));
    let p = placed(
        "# certgate:ignore reason=legacy owner=team-a expires=2027-03-31",
        None,
    );
    ledger.add_inline(Path::new("main.tf"), "x.a", &p, at(4));
    let Decision::Expired(by) = ledger.decide(&target("client-cert-disabled", "x.a", 5)) else {
        panic!("not expired");
    };
    let note = by.expired_note();
    assert!(
        note.contains("team-a") && note.contains("2027-03-31") && note.contains("main.tf:4"),
        "{note}"
    );
    // It matched, so it is expired, not unused.
    assert!(ledger.unused().is_empty());
    assert_eq!(ledger.status(&ledger.entries()[0]), Status::Expired);
    // The day before, it still applied.
    let mut earlier = Ledger::new(date("2027-03-30"));
    earlier.add_inline(Path::new("main.tf"), "x.a", &p, at(4));
    assert!(matches!(
        earlier.decide(&target("client-cert-disabled", "x.a", 5)),
        Decision::Suppressed(_)
    ));
}

#[test]
fn an_active_exception_wins_over_an_expired_one() {
    let mut ledger = Ledger::new(date("2027-06-01"));
    let old = placed("# certgate:ignore reason=old expires=2027-01-01", None);
    let mut new = placed("# certgate:ignore reason=new", None);
    new.suppression.span = 100..120;
    ledger.add_inline(Path::new("main.tf"), "x.a", &old, at(1));
    ledger.add_inline(Path::new("main.tf"), "x.a", &new, at(2));
    let Decision::Suppressed(by) = ledger.decide(&target("client-cert-disabled", "x.a", 5)) else {
        panic!();
    };
    assert_eq!(by.reason.as_deref(), Some("new"));
    assert!(ledger.unused().is_empty(), "both matched");
}

#[test]
fn unused_and_orphan_exceptions_are_reported() {
    let mut ledger = Ledger::new(date("2027-01-01"));
    let p = placed("# certgate:ignore[client-cert-optional] reason=stale", None);
    ledger.add_inline(Path::new("main.tf"), "x.a", &p, at(7));
    let mut orphan = placed("# certgate:ignore reason=lost", None).suppression;
    orphan.span = 50..60;
    ledger.add_orphan(Path::new("main.tf"), &orphan, at(2));
    assert_eq!(
        ledger.decide(&target("client-cert-disabled", "x.a", 9)),
        Decision::Report
    );
    let unused = ledger.unused();
    assert_eq!(unused.len(), 2);
    assert_eq!(unused[0].location.line, 2);
    assert!(
        unused[0].message.contains("belongs to no resource"),
        "{}",
        unused[0].message
    );
    assert!(
        unused[1].message.contains("`x.a`") && unused[1].message.contains("suppresses nothing"),
        "{}",
        unused[1].message
    );
    assert_eq!(ledger.status(&ledger.entries()[0]), Status::Unused);
}

#[test]
fn kics_line_covers_only_its_line() {
    let mut ledger = Ledger::new(date("2027-01-01"));
    let p = placed("# kics-scan ignore-line", Some(12));
    ledger.add_inline(Path::new("main.tf"), "x.a", &p, at(11));
    assert_eq!(
        ledger.decide(&target("client-cert-disabled", "x.a", 3)),
        Decision::Report
    );
    assert!(matches!(
        ledger.decide(&target("client-cert-disabled", "x.a", 12)),
        Decision::Suppressed(_)
    ));
}

#[test]
fn one_comment_in_a_shared_module_is_one_exception() {
    let mut ledger = Ledger::new(date("2027-01-01"));
    let p = placed("# checkov:skip=CKV_AZURE_17:shared", None);
    let path = Path::new("modules/web/main.tf");
    ledger.add_inline(path, "module.a.azurerm_linux_web_app.this", &p, at(1));
    ledger.add_inline(path, "module.b.azurerm_linux_web_app.this", &p, at(1));
    ledger.add_inline(path, "module.b.azurerm_linux_web_app.this", &p, at(1));
    assert_eq!(ledger.entries().len(), 1);
    assert_eq!(ledger.entries()[0].resources.len(), 2);
    assert_eq!(ledger.entries()[0].source, Source::Peer);
    let mut t = target(
        "client-cert-disabled",
        "module.b.azurerm_linux_web_app.this",
        2,
    );
    t.path = path;
    assert!(matches!(ledger.decide(&t), Decision::Suppressed(_)));
    // A peer's suppression does not cover an optional mode.
    t.rule = "client-cert-optional";
    assert_eq!(ledger.decide(&t), Decision::Report);
}

#[test]
fn config_exceptions_match_address_and_path_globs_of_their_own_config() {
    let text = r#"
[[exception]]
resource = "module.web.*"
path = "envs/prod/**"
rules = ["client-cert-disabled"]
reason = "partner API"
owner = "team-payments"
expires = 2027-03-31

[[exception]]
resource = "azurerm_windows_web_app.unused"
reason = "nothing matches"
"#;
    let config = crate::config::load(Path::new("/repo/certgate.toml"), text).unwrap();
    let mut ledger = Ledger::new(date("2027-03-10"));
    ledger.add_config(&config);
    ledger.add_config(&config);
    assert_eq!(ledger.entries().len(), 2, "a config is registered once");
    let finding = |path: &'static str, address: &'static str, cfg: Option<&'static str>| Target {
        rule: "client-cert-disabled",
        path: Path::new(path),
        address,
        line: 1,
        config: cfg.map(Path::new),
    };
    let governed = Some("/repo/certgate.toml");
    assert!(matches!(
        ledger.decide(&finding(
            "/repo/envs/prod/main.tf",
            "module.web.azurerm_linux_web_app.this",
            governed
        )),
        Decision::Suppressed(_)
    ));
    // Outside the path glob, another address, or governed by another config: not covered.
    assert_eq!(
        ledger.decide(&finding(
            "/repo/envs/dev/main.tf",
            "module.web.azurerm_linux_web_app.this",
            governed
        )),
        Decision::Report
    );
    assert_eq!(
        ledger.decide(&finding(
            "/repo/envs/prod/main.tf",
            "module.api.azurerm_linux_web_app.this",
            governed
        )),
        Decision::Report
    );
    assert_eq!(
        ledger.decide(&finding(
            "/repo/envs/prod/main.tf",
            "module.web.azurerm_linux_web_app.this",
            Some("/repo/envs/certgate.toml")
        )),
        Decision::Report
    );
    assert_eq!(ledger.status(&ledger.entries()[0]), Status::ExpiresSoon);
    let unused = ledger.unused();
    assert_eq!(unused.len(), 1);
    assert_eq!(unused[0].location.line, 10);
    assert!(
        unused[0].message.contains("azurerm_windows_web_app.unused"),
        "{}",
        unused[0].message
    );
}
