//! Inputs that used to take quadratic or exponential time (issue 12, section 3), checked for
//! their results and for the amount of work they cause, never for time (bench/pathological.sh
//! times them).

use std::path::{Path, PathBuf};

use certgate::Settings;
use certgate::diagnostic::FixStatus;
use certgate::fix::run::{Options, Rescan as _, plan_fixes};
use certgate::scan::Session;

const SITE_BODY: &str = "  name                = \"app\"\n  resource_group_name = \"rg\"\n  \
                         location            = \"westeurope\"\n  service_plan_id     = \"plan\"\n";

/// `n` sites whose fix rewrites `false` in place, then `inserted`, whose fix adds a line
/// above a variable that `z_dup.tf` declares again: the added line moves the position the
/// duplicate-declaration error names, so that one fix fails its trial. (A duplicate resource
/// group would do no more: a type that cannot be a site is a notice, not an error.)
fn one_failing_fix(dir: &Path, n: usize, inserted_at: usize) {
    let mut text = String::new();
    for i in 0..n {
        if i == inserted_at {
            text.push_str(&format!(
                "resource \"azurerm_linux_web_app\" \"inserted\" {{\n{SITE_BODY}}}\n\n"
            ));
        }
        text.push_str(&format!(
            "resource \"azurerm_linux_web_app\" \"s{i}\" {{\n{SITE_BODY}  \
             client_certificate_enabled = false\n}}\n\n"
        ));
    }
    text.push_str("variable \"dup\" {\n  default = \"rg\"\n}\n");
    std::fs::write(dir.join("main.tf"), text).unwrap();
    std::fs::write(
        dir.join("z_dup.tf"),
        "variable \"dup\" {\n  default = \"rg2\"\n}\n",
    )
    .unwrap();
}

fn planned(root: &Path) -> (certgate::report::Report, certgate::fix::FixPlan) {
    let mut session = Session::new(vec![PathBuf::from(root)], Settings::default());
    let mut report = session.scan();
    let plan = plan_fixes(&mut report, &session, Options::default());
    (report, plan)
}

#[test]
fn one_failing_fix_among_many_costs_logarithmic_trials_and_blocks_only_itself() {
    for inserted_at in [0, 37, 63] {
        let dir = tempfile::tempdir().unwrap();
        one_failing_fix(dir.path(), 64, inserted_at);
        let (report, plan) = planned(dir.path());
        assert_eq!(report.findings.len(), 65);
        for finding in &report.findings {
            let inserted = finding.address.ends_with(".inserted");
            match &finding.fix {
                FixStatus::Available(_) => assert!(!inserted, "{}", finding.address),
                FixStatus::Unavailable(why) => {
                    assert!(inserted, "{}: {why}", finding.address);
                    assert!(why.starts_with("not fixed: "), "{why}");
                    assert!(why.contains("declared twice"), "{why}");
                }
                FixStatus::None => panic!("{} has no fix status", finding.address),
            }
        }
        // All together, then about two trials per halving down to the bad fix; one by one
        // it took 66.
        assert!(plan.trials <= 2 * 7 + 1, "{} trials", plan.trials);
        assert_eq!(plan.files.len(), 1);
        assert_eq!(plan.files[0].fixed.matches("= true").count(), 64);
    }
}

#[test]
fn fixes_that_all_pass_take_a_single_trial() {
    let dir = tempfile::tempdir().unwrap();
    one_failing_fix(dir.path(), 20, 20);
    std::fs::remove_file(dir.path().join("z_dup.tf")).unwrap();
    let (report, plan) = planned(dir.path());
    assert_eq!(report.findings.len(), 20);
    assert!(
        report
            .findings
            .iter()
            .all(|f| matches!(f.fix, FixStatus::Available(_)))
    );
    assert_eq!(plan.trials, 1);
}

#[test]
fn findings_on_one_long_non_ascii_line_report_character_columns() {
    // `terraform show -json` and minified `.tf.json` put every resource on one line; names
    // with multi-byte characters make bytes and characters differ along it.
    let sites: Vec<String> = (0..300)
        .map(|i| {
            format!(
                "\"s{i}\":{{\"name\":\"appé-ü-€{i}\",\"service_plan_id\":\"p\",\
                 \"client_certificate_enabled\":false}}"
            )
        })
        .collect();
    let text = format!(
        "{{\"resource\":{{\"azurerm_linux_web_app\":{{{}}}}}}}\n",
        sites.join(",")
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf.json"), &text).unwrap();
    let report = certgate::scan(&[dir.path().to_path_buf()], &Settings::default());
    let expected: Vec<(String, usize, usize)> = text
        .match_indices("\"client_certificate_enabled\"")
        .enumerate()
        .map(|(i, (at, _))| {
            let address = format!("azurerm_linux_web_app.s{i}");
            (address, 1, text[..at].chars().count() + 1)
        })
        .collect();
    let mut found: Vec<(String, usize, usize)> = report
        .findings
        .iter()
        .map(|f| {
            (
                f.address.clone(),
                f.location.start.line,
                f.location.start.column,
            )
        })
        .collect();
    found.sort_by_key(|(_, _, column)| *column);
    assert_eq!(found, expected);
}
