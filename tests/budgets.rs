//! The budget rule (SPEC.md, "Values and budgets"): an evaluation limit makes only the value
//! that hit it unresolved, naming the limit; it never changes another site's verdict and never
//! removes a site. Each test is a reported reproduction, scanned in memory.

use certgate::harness::{File, scan_in_memory};
use certgate::report::Report;

/// Every judged site as (address, verdict), sorted.
fn verdicts(report: &Report) -> Vec<(String, &'static str)> {
    let mut all: Vec<_> = report
        .resources
        .iter()
        .map(|r| (r.address.clone(), r.verdict))
        .collect();
    all.sort();
    all
}

fn scan(name: &str, text: String) -> Report {
    scan_in_memory(&[File::new(name, text)], &Default::default())
}

/// The message of the finding on `address`.
fn message<'r>(report: &'r Report, address: &str) -> &'r str {
    report
        .findings
        .iter()
        .find(|f| f.address == address)
        .map(|f| f.message.as_str())
        .unwrap_or_else(|| panic!("no finding on {address}: {:?}", report.findings))
}

/// An ARM template whose variable `v63` doubles a 64-character string 63 times.
fn arm_doubling(resources: &str) -> String {
    let mut variables = vec![format!(r#""v0": "{}""#, "x".repeat(64))];
    for i in 1..64 {
        let prev = i - 1;
        variables.push(format!(
            r#""v{i}": "[concat(variables('v{prev}'), variables('v{prev}'))]""#
        ));
    }
    format!(
        r#"{{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "variables": {{ {} }},
  "resources": [ {resources} ]
}}"#,
        variables.join(",\n    ")
    )
}

#[test]
fn arm_doubling_in_one_sites_name_leaves_a_literal_false_site_disabled() {
    let text = arm_doubling(
        r#"
    { "type": "Microsoft.Web/sites", "apiVersion": "2022-03-01", "name": "[variables('v63')]",
      "properties": { "clientCertEnabled": true, "clientCertMode": "[if(equals(length(variables('v63')), 0), 'Optional', 'Required')]" } },
    { "type": "Microsoft.Web/sites", "apiVersion": "2022-03-01", "name": "literal",
      "properties": { "clientCertEnabled": false } }"#,
    );
    let report = scan("azuredeploy.json", text);
    assert_eq!(
        verdicts(&report),
        [
            ("[variables('v63')]".to_string(), "client-cert-unresolved"),
            ("literal".to_string(), "client-cert-disabled"),
        ]
    );
    // The expensive value itself is unresolved, naming the limit it hit.
    assert!(
        message(&report, "[variables('v63')]").contains("larger than 4 MiB"),
        "{}",
        message(&report, "[variables('v63')]")
    );
    assert_eq!(report.exit_code(), 1);
}

#[test]
fn terraform_doubling_in_one_site_leaves_a_literal_false_site_disabled() {
    let mut text = String::from("locals {\n  l0 = [1, 2, 3, 4]\n");
    for i in 1..40 {
        let prev = format!("local.l{}", i - 1);
        text.push_str(&format!("  l{i} = [{prev}, {prev}, {prev}, {prev}]\n"));
    }
    text.push_str(
        r#"}
resource "azurerm_linux_web_app" "a" {
  name                       = "a-${length(local.l39)}"
  client_certificate_enabled = true
  client_certificate_mode    = length(local.l39) > 0 ? "Required" : "Optional"
}
resource "azurerm_linux_web_app" "b" {
  name                       = "b"
  client_certificate_enabled = false
}
"#,
    );
    let report = scan("main.tf", text);
    assert_eq!(
        verdicts(&report),
        [
            (
                "azurerm_linux_web_app.a".to_string(),
                "client-cert-unresolved"
            ),
            (
                "azurerm_linux_web_app.b".to_string(),
                "client-cert-disabled"
            ),
        ]
    );
    let why = message(&report, "azurerm_linux_web_app.a");
    assert!(why.contains("evaluation steps"), "{why}");
}

#[test]
fn bicep_doubling_in_a_looped_name_keeps_the_later_literal_site_in_the_report() {
    let mut text = String::from("var v0 = 'xxxxxxxxxxxxxxxx'\n");
    for i in 1..64 {
        text.push_str(&format!("var v{i} = '${{v{0}}}${{v{0}}}'\n", i - 1));
    }
    text.push_str(
        "resource a 'Microsoft.Web/sites@2022-03-01' = [for i in range(0, 2): {
  name: '${v63}${i}'
  properties: {
    clientCertEnabled: true
    clientCertMode: i == 0 ? 'Required' : 'Optional'
  }
}]
resource b 'Microsoft.Web/sites@2022-03-01' = {
  name: 'b'
  properties: {
    clientCertEnabled: false
  }
}
",
    );
    let report = scan("main.bicep", text);
    assert_eq!(
        verdicts(&report),
        [
            ("a".to_string(), "client-cert-optional"),
            ("b".to_string(), "client-cert-disabled"),
        ]
    );
    // Every instance of `a` is judged, not just the first: the second one is the failing one.
    let why = message(&report, "a");
    assert!(why.contains("a[1]"), "{why}");
}

#[test]
fn bicep_syntax_error_inside_properties_is_unresolved_never_not_set() {
    let text = "resource web 'Microsoft.Web/sites@2022-03-01' = {
  name: 'web'
  properties: {
    serverFarmId: concat('plan',
    clientCertEnabled: true
    clientCertMode: 'Required'
  }
}
";
    let report = scan("main.bicep", text.to_string());
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert_eq!(
        verdicts(&report),
        [("web".to_string(), "client-cert-unresolved")]
    );
    let why = message(&report, "web");
    assert!(!why.contains("not set"), "{why}");
    assert!(
        why.contains("`clientCertEnabled` may be set in a part of the object that did not parse"),
        "{why}"
    );
    assert!(why.contains("line 5"), "{why}");
}

#[test]
fn bicep_syntax_error_in_another_property_leaves_parsed_fields_judged() {
    let text = "resource web 'Microsoft.Web/sites@2022-03-01' = {
  name: 'web'
  properties: {
    clientCertEnabled: false
    httpsOnly: (
  }
}
";
    let report = scan("main.bicep", text.to_string());
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert_eq!(
        verdicts(&report),
        [("web".to_string(), "client-cert-disabled")]
    );
}

#[test]
fn terraform_string_doubling_forty_times_ends_unresolved_in_bounded_memory() {
    let mut text = String::from("locals {\n  s0 = \"xxxxxxxxxxxxxxxx\"\n");
    for i in 1..=40 {
        text.push_str(&format!(
            "  s{i} = \"${{local.s{0}}}${{local.s{0}}}\"\n",
            i - 1
        ));
    }
    text.push_str(
        r#"}
resource "azurerm_linux_web_app" "a" {
  name                       = "a"
  client_certificate_enabled = true
  client_certificate_mode    = length(local.s40) > 0 ? "Required" : "Optional"
}
"#,
    );
    assert!(text.len() < 2048, "the reported input is about 1.5 KB");
    let report = scan("main.tf", text);
    assert_eq!(
        verdicts(&report),
        [(
            "azurerm_linux_web_app.a".to_string(),
            "client-cert-unresolved"
        )]
    );
    let why = message(&report, "azurerm_linux_web_app.a");
    assert!(
        why.contains("evaluation steps") || why.contains("larger than 4 MiB"),
        "{why}"
    );
}

#[test]
fn terraform_one_oversized_template_is_refused_by_size() {
    // One template renders 8 MiB at once: refused by its size before it is built.
    let numbers: Vec<String> = (0..600).map(|i| i.to_string()).collect();
    let text = format!(
        r#"locals {{
  s = "{}"
  n = [{}]
}}
resource "azurerm_linux_web_app" "a" {{
  name                       = "a"
  client_certificate_enabled = true
  client_certificate_mode    = "%{{ for i in local.n }}${{local.s}}%{{ endfor }}"
}}
"#,
        "x".repeat(14_000),
        numbers.join(", ")
    );
    let report = scan("main.tf", text);
    let why = message(&report, "azurerm_linux_web_app.a");
    assert!(why.contains("larger than 4 MiB"), "{why}");
}

#[test]
fn terraform_many_expensive_values_hit_the_total_with_a_notice_and_literals_stay_judged() {
    // Twenty sites each spend a whole value's slice (more than the 16 M-step total together);
    // the literal site after them is still judged.
    let mut text = String::from("locals {\n  l0 = [1, 2, 3, 4]\n");
    for i in 1..40 {
        let prev = format!("local.l{}", i - 1);
        text.push_str(&format!("  l{i} = [{prev}, {prev}, {prev}, {prev}]\n"));
    }
    text.push_str("}\n");
    for i in 0..20 {
        text.push_str(&format!(
            "resource \"azurerm_linux_web_app\" \"e{i}\" {{\n  client_certificate_enabled = length(local.l39) > 0\n}}\n"
        ));
    }
    text.push_str(
        "resource \"azurerm_linux_web_app\" \"literal\" {\n  client_certificate_enabled = true\n  client_certificate_mode = \"Optional\"\n}\n",
    );
    let report = scan("main.tf", text);
    let literal = report
        .resources
        .iter()
        .find(|r| r.address == "azurerm_linux_web_app.literal")
        .expect("the literal site is reported");
    assert_eq!(literal.verdict, "client-cert-optional");
    let last = message(&report, "azurerm_linux_web_app.e19");
    assert!(last.contains("together need more than"), "{last}");
    assert!(
        report.notices.iter().any(|n| n
            .message
            .contains("needed more than 16000000 evaluation steps in all")),
        "{:?}",
        report.notices
    );
}
