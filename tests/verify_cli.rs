//! `certgate verify`: the control's stored check over inventory exports, its exit codes (0 no
//! site fails, 1 some do, 2 a file is not a readable export of sites) and its output.

mod common;
use common::{Outcome, bin, tree};

const PASSING: &str = r#"[{"clientCertEnabled": true, "clientCertMode": "Required",
  "clientCertExclusionPaths": null, "kind": "app", "name": "ok", "resourceGroup": "rg",
  "id": "/subscriptions/1/resourceGroups/rg/providers/Microsoft.Web/sites/ok",
  "type": "Microsoft.Web/sites"}]"#;

/// Enabled but Optional: passes the stored check, fails certgate's verdicts.
const OPTIONAL: &str = r#"{"count": 1, "data": [{"id": "/subscriptions/1/resourcegroups/rg/providers/microsoft.web/sites/api",
  "name": "api", "type": "microsoft.web/sites", "kind": "app", "resourceGroup": "rg", "subscriptionId": "1",
  "properties": {"clientCertEnabled": true, "clientCertMode": "Optional", "clientCertExclusionPaths": null}}],
  "skip_token": null, "total_records": 1}"#;

fn verify(args: &[&str]) -> Outcome {
    Outcome::of(bin().arg("verify").args(args))
}

#[test]
fn exit_code_is_0_when_every_site_has_certificates_enabled() {
    let dir = tree(&[("sites.json", PASSING)]);
    let run = verify(&[dir.path().join("sites.json").to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .starts_with("Verified: all 1 deployed sites and slots have clientCertEnabled = true."),
        "{}",
        run.stdout
    );
    // The query that makes a suitable export is printed for the user to copy.
    assert!(
        run.stdout
            .contains("az graph query -q \"resources | where type =~ 'microsoft.web/sites'")
    );
}

#[test]
fn exit_code_is_1_and_lists_each_site_whose_client_cert_enabled_is_not_true() {
    let run = verify(&["fixtures/inventory/az_webapp_list/webapps.json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    insta::assert_snapshot!("verify_az_webapp_list_human", run.stdout);
    let json = Outcome::of(bin().args([
        "verify",
        "--format",
        "json",
        "fixtures/inventory/az_webapp_list/webapps.json",
    ]))
    .json();
    assert_eq!(json["sites"], 5);
    let ids: Vec<&str> = json["failing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|site| site["id"].as_str().unwrap().rsplit('/').next().unwrap())
        .collect();
    // false and null fail the stored check; Optional and exclusion paths do not.
    assert_eq!(ids, ["shop-admin", "legacy-site"]);
    assert_eq!(
        json["failing"][1]["reason"],
        "`clientCertEnabled` is null (never set, so off)"
    );
    assert_eq!(json["check"], "client-cert-enabled");
}

#[test]
fn strict_also_fails_optional_modes_and_exclusion_paths() {
    let dir = tree(&[("graph.json", OPTIONAL)]);
    let path = dir.path().join("graph.json");
    let path = path.to_str().unwrap();
    assert_eq!(verify(&[path]).code, 0);
    let strict = verify(&["--strict", "--format", "json", path]);
    assert_eq!(strict.code, 1);
    let json = strict.json();
    assert_eq!(json["check"], "strict");
    assert_eq!(json["failing"][0]["verdict"], "client-cert-optional");
    // With --strict the line is the rule's own place: the mode.
    assert_eq!(json["failing"][0]["line"], 3);

    let run = verify(&["--strict", "fixtures/inventory/az_webapp_list/webapps.json"]);
    assert_eq!(run.code, 1);
    for failing in ["shop-admin", "shop-web-dev", "shop-api", "legacy-site"] {
        assert!(
            run.stdout.contains(&format!("/sites/{failing} ")),
            "{failing}: {}",
            run.stdout
        );
    }
    assert!(!run.stdout.contains("/sites/shop-web "), "{}", run.stdout);
}

#[test]
fn a_property_missing_from_the_export_fails_the_stored_check_and_says_which_export_has_it() {
    let dir = tree(&[(
        "projected.json",
        r#"[{"id": "/subscriptions/1/resourceGroups/rg/providers/Microsoft.Web/sites/a", "name": "a"}]"#,
    )]);
    let run = verify(&[
        "--format",
        "json",
        dir.path().join("projected.json").to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1);
    let reason = run.json()["failing"][0]["reason"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        reason.contains("`clientCertEnabled` is missing from this export"),
        "{reason}"
    );
    assert!(reason.contains("az webapp list"), "{reason}");
}

#[test]
fn exit_code_is_2_for_a_file_that_is_not_an_export_of_sites_naming_it() {
    let dir = tree(&[
        ("sites.json", PASSING),
        (
            "vms.json",
            r#"[{"id": "/subscriptions/1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm",
                "name": "vm", "type": "Microsoft.Compute/virtualMachines"}]"#,
        ),
        (
            "sites.csv",
            "id,name,clientCertEnabled\n/subscriptions/1/x,ok,true\n",
        ),
        ("empty.json", "[]\n"),
    ]);
    for (file, why) in [
        (
            "vms.json",
            "holds no App Service site or slot (e.g. `Microsoft.Compute/virtualMachines`)",
        ),
        ("sites.csv", "it is not JSON"),
        ("empty.json", "it is an empty list"),
        ("missing.json", "missing.json"),
    ] {
        let path = dir.path().join(file);
        let run = verify(&[
            dir.path().join("sites.json").to_str().unwrap(),
            path.to_str().unwrap(),
        ]);
        assert_eq!(run.code, 2, "{file}: {}{}", run.stdout, run.stderr);
        assert!(run.stdout.is_empty(), "{file}: {}", run.stdout);
        assert!(run.stderr.starts_with("error: "), "{file}: {}", run.stderr);
        assert!(
            run.stderr.contains(path.to_str().unwrap()),
            "{file}: {}",
            run.stderr
        );
        assert!(run.stderr.contains(why), "{file}: {}", run.stderr);
    }
}

#[test]
fn a_cut_export_is_an_error_at_the_position_it_stops() {
    let run = verify(&["fixtures/inventory/truncated_export/webapps.json"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "fixtures/inventory/truncated_export/webapps.json:42:5: inventory export is not valid JSON"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn one_page_of_several_is_verified_with_a_notice() {
    let run = verify(&["fixtures/inventory/resource_graph_next_page/page-1.json"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("notice: fixtures/inventory/resource_graph_next_page/page-1.json:26:3: this export is one page"), "{}", run.stdout);
}

#[test]
fn print_query_alone_prints_the_export_commands() {
    let run = verify(&["--print-query"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("--first 1000 -o json"));
    assert!(run.stdout.contains("--skip-token"));
    assert!(run.stdout.contains("Search-AzGraph"));
    // Without an export or --print-query, there is nothing to verify.
    assert_eq!(verify(&[]).code, 2);
}

#[test]
fn every_export_shape_reads_the_same_sites_as_check_does() {
    for (fixture, failing) in [
        ("az_functionapp_list/functionapps.json", 1),
        ("az_webapp_deployment_slot_list/slots.json", 1),
        ("az_resource_show/portal.json", 0),
        ("resource_graph_page/graph.json", 2),
        ("resource_graph_list/graph-data.json", 1),
        ("search_azgraph_powershell/sites.json", 0),
        ("logic_app_standard/logicapps.json", 1),
    ] {
        let run = verify(&["--format", "json", &format!("fixtures/inventory/{fixture}")]);
        assert_eq!(
            run.code,
            u8::from(failing > 0) as i32,
            "{fixture}: {}",
            run.stdout
        );
        assert_eq!(
            run.json()["failing"].as_array().unwrap().len(),
            failing,
            "{fixture}"
        );
    }
}

#[test]
fn check_excepts_a_deployed_site_by_its_resource_id_and_verify_ignores_exceptions() {
    let failing = PASSING.replace(
        "\"clientCertEnabled\": true",
        "\"clientCertEnabled\": false",
    );
    let dir = tree(&[
        ("estate/sites.json", failing.as_str()),
        (
            "certgate.toml",
            "[[exception]]\nresource = \"*/providers/Microsoft.Web/sites/ok\"\nreason = \"decommissioned next sprint\"\n",
        ),
    ]);
    let check = Outcome::of(
        bin()
            .current_dir(dir.path())
            .args(["check", ".", "--format", "json"]),
    );
    assert_eq!(check.code, 0, "{}", check.stdout);
    let json = check.json();
    assert_eq!(json["summary"]["suppressed"], 1);
    assert_eq!(json["summary"]["failing"], 0);
    // The stored check knows no exception.
    let run = Outcome::of(
        bin()
            .current_dir(dir.path())
            .args(["verify", "estate/sites.json"]),
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
}

#[test]
fn fix_never_edits_an_export_and_names_remediate() {
    let run = Outcome::of(bin().args(["check", "--diff", "fixtures/inventory/az_webapp_show"]));
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "the site is deployed (read from an inventory export): `certgate remediate` prints the commands that fix it"
        ),
        "{}",
        run.stderr
    );
}
