use std::path::Path;

use super::*;
use crate::date::parse_date;
use crate::source::LineCol;
use crate::suppress::comment::parse_comment;
use crate::suppress::ledger::Target;
use crate::suppress::placement::Placed;

fn ledger() -> Ledger {
    let mut ledger = Ledger::new(parse_date("2027-03-10").unwrap());
    let comments = [
        (
            r#"# certgate:ignore[client-cert-disabled] reason="legacy, partner \"A\" API" owner=team-payments expires=2027-03-31"#,
            "azurerm_linux_web_app.a",
            3,
        ),
        (
            "# checkov:skip=CKV_AZURE_17:old",
            "azurerm_linux_web_app.b",
            10,
        ),
        (
            "# certgate:ignore reason=\"two\nlines\" expires=2027-01-01",
            "azurerm_linux_web_app.c",
            20,
        ),
        (
            "# certgate:ignore reason=stale",
            "azurerm_linux_web_app.d",
            30,
        ),
    ];
    for (offset, (comment, address, line)) in comments.into_iter().enumerate() {
        let mut suppression = parse_comment(comment, 0..comment.len()).remove(0).unwrap();
        suppression.span.start += offset * 1000;
        ledger.add_inline(
            Path::new("infra/main.tf"),
            address,
            &Placed::whole(suppression),
            LineCol { line, column: 1 },
        );
    }
    for address in [
        "azurerm_linux_web_app.a",
        "azurerm_linux_web_app.b",
        "azurerm_linux_web_app.c",
    ] {
        ledger.decide(&Target {
            rule: "client-cert-disabled",
            path: Path::new("infra/main.tf"),
            address,
            line: 1,
            config: None,
        });
    }
    ledger
}

#[test]
fn statuses_and_expired_flag() {
    let listing = Listing::from_ledger(&ledger());
    let statuses: Vec<&str> = listing.rows.iter().map(|r| r.status).collect();
    assert_eq!(statuses, ["expires-soon", "active", "expired", "unused"]);
    assert!(listing.any_expired());
    assert_eq!(listing.rows[1].source, "peer");
    assert_eq!(listing.rows[1].peer_ids, ["CKV_AZURE_17"]);
    assert_eq!(
        listing.rows[1].rules,
        ["client-cert-disabled", "client-cert-unsupported"]
    );
    assert_eq!(
        listing.rows[3].rules.len(),
        crate::rules::resource_rules().count()
    );
}

#[test]
fn human_table() {
    let text = Listing::from_ledger(&ledger()).render_human();
    let expected = r#"STATUS        RESOURCE                 RULES                 OWNER          EXPIRES     SOURCE                    LOCATION          REASON
expires-soon  azurerm_linux_web_app.a  client-cert-disabled  team-payments  2027-03-31  inline (certgate:ignore)  infra/main.tf:3   legacy, partner "A" API
active        azurerm_linux_web_app.b  CKV_AZURE_17          -              -           peer (checkov:skip)       infra/main.tf:10  old
expired       azurerm_linux_web_app.c  all                   -              2027-01-01  inline (certgate:ignore)  infra/main.tf:20  two lines
unused        azurerm_linux_web_app.d  all                   -              -           inline (certgate:ignore)  infra/main.tf:30  stale
4 exceptions: 1 active, 1 expiring soon, 1 expired, 1 unused (as of 2027-03-10)
"#;
    assert_eq!(text, expected);
}

#[test]
fn csv_quotes_commas_quotes_and_newlines() {
    let text = Listing::from_ledger(&ledger()).render_csv();
    let expected = "status,resources,rules,owner,expires,reason,source,by,path,line,column\n\
expires-soon,azurerm_linux_web_app.a,client-cert-disabled,team-payments,2027-03-31,\"legacy, partner \"\"A\"\" API\",inline,certgate:ignore,infra/main.tf,3,1\n\
active,azurerm_linux_web_app.b,CKV_AZURE_17,,,old,peer,checkov:skip,infra/main.tf,10,1\n\
expired,azurerm_linux_web_app.c,all,,2027-01-01,\"two\nlines\",inline,certgate:ignore,infra/main.tf,20,1\n\
unused,azurerm_linux_web_app.d,all,,,stale,inline,certgate:ignore,infra/main.tf,30,1\n";
    assert_eq!(text, expected);
    // A CSV reader gets the original text back.
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let first = reader.records().next().unwrap().unwrap();
    assert_eq!(&first[5], "legacy, partner \"A\" API");
}

#[test]
fn json_listing() {
    let text = Listing::from_ledger(&ledger()).render_json();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["version"], 1);
    assert_eq!(value["today"], "2027-03-10");
    let first = &value["exceptions"][0];
    assert_eq!(first["status"], "expires-soon");
    assert_eq!(first["resources"][0], "azurerm_linux_web_app.a");
    assert_eq!(first["owner"], "team-payments");
    assert_eq!(first["expires"], "2027-03-31");
    assert_eq!(first["source"], "inline");
    assert_eq!(first["by"], "certgate:ignore");
    assert_eq!(first["path"], "infra/main.tf");
    assert_eq!(first["line"], 3);
    assert_eq!(value["exceptions"][1]["owner"], serde_json::Value::Null);
    assert!(first.get("rules_text").is_none());
}
