//! Every input the fuzzers (`fuzz/`) found failing, run through the same invariant checks as
//! the fuzz targets ([`certgate::harness`]), plus the resource bounds certgate promises by
//! design: deep nesting is an error and reference cycles are reported, never a stack overflow
//! or a hang.
//!
//! Regression inputs live in `tests/fuzz_regressions/<target>/`: one file per input for the
//! byte targets (`hcl`, `arm_json`, `arm_expr`, `bicep`), one directory per generated project
//! for `structured` and `fix` (written by `cargo run --example render` in `fuzz/`). A target
//! gets its test here with its first input: [`every_regression_folder_is_replayed`] fails on a
//! folder no test reads, and each test fails on a missing or empty folder, so no input is
//! silently skipped. There is no time limit: times belong to the benchmarks, and a hang is
//! still a failure (the test never ends).

use std::path::{Path, PathBuf};

use certgate::harness::{self, File, Outcome};

const REGRESSIONS: &str = "tests/fuzz_regressions";

/// Each check runs on a thread with the 2 MiB stack that rayon's workers and spawned threads
/// get, so a regression that overflows the stack fails here too.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .expect("spawn a test thread")
        .join()
        .expect("the check must not panic or overflow the stack")
}

/// The targets with a test below, by folder name.
const REPLAYED: &[&str] = &["hcl", "arm_json", "bicep", "fix"];

/// The inputs of `target`; a missing or empty folder fails, as it means the test checks nothing.
fn entries(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(REGRESSIONS).join(target);
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| entry.expect("list").path())
        .collect();
    entries.retain(|path| path.file_name().is_some_and(|n| n != "README.md"));
    entries.sort();
    assert!(
        !entries.is_empty(),
        "{}: no regression input",
        dir.display()
    );
    entries
}

/// A generated project kept as a directory of files, with paths relative to it.
fn project_files(dir: &Path) -> Vec<File> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<File>) {
        for entry in std::fs::read_dir(dir).expect("list a regression project") {
            let path = entry.expect("list").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let text = std::fs::read_to_string(&path).expect("a UTF-8 regression file");
                let relative = path.strip_prefix(root).expect("under the root");
                out.push(File::new(relative, text));
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// Runs `check` on every regression input of `target`.
fn replay(target: &str, check: fn(&Path) -> Outcome) {
    for input in entries(target) {
        let shown = input.display().to_string();
        let outcome = on_small_stack(move || check(&input));
        if let Err(why) = outcome {
            panic!("{shown}: {why}");
        }
    }
}

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("read a regression input")
}

#[test]
fn hcl_regressions() {
    replay("hcl", |path| harness::terraform(&bytes(path)));
}

#[test]
fn arm_json_regressions() {
    replay("arm_json", |path| harness::arm_template(&bytes(path)));
}

#[test]
fn bicep_regressions() {
    replay("bicep", |path| harness::bicep(&bytes(path)));
}

#[test]
fn fix_regressions() {
    replay("fix", |dir| harness::fixes(&project_files(dir)));
}

/// A folder of inputs for a target with no test above (`arm_expr`, `structured`,
/// `literal_site`, `tree`: none found yet) would never be run: add the target's test next to
/// the others when its first input lands, running the check its fuzz target runs.
#[test]
fn every_regression_folder_is_replayed() {
    let mut folders: Vec<String> = std::fs::read_dir(REGRESSIONS)
        .expect("list the regression folders")
        .map(|entry| entry.expect("list").path())
        .filter(|path| path.is_dir())
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let mut replayed: Vec<String> = REPLAYED.iter().map(|t| t.to_string()).collect();
    replayed.sort();
    assert_eq!(
        folders, replayed,
        "each folder of {REGRESSIONS} needs its test"
    );
}

// Bounded resources by design, through the whole scan, on a worker-sized stack. The parsers'
// and evaluators' own unit tests cover each limit in isolation; these check that every file a
// scan reads (variables and parameter files too) stops with a clear error.

const DEEP: usize = 100_000;

/// Scans `files` on a 2 MiB stack; returns every error and notice message, then every finding
/// as `rule address: message`, one per line.
fn scan_messages(files: Vec<File>) -> String {
    on_small_stack(move || {
        let report = harness::scan_in_memory(&files, &Default::default());
        harness::check_report(&report).expect("the report's invariants hold");
        let mut lines: Vec<String> = report
            .errors
            .iter()
            .chain(&report.notices)
            .map(|e| e.message.clone())
            .collect();
        lines.extend(
            report
                .findings
                .iter()
                .map(|f| format!("{} {}: {}", f.rule, f.address, f.message)),
        );
        lines.join("\n")
    })
}

fn assert_mentions(messages: &str, wanted: &str, case: &str) {
    assert!(
        messages.contains(wanted),
        "{case}: expected `{wanted}` in:\n{messages}"
    );
}

const TF_SITE: &str = "resource \"azurerm_linux_web_app\" \"a\" {\n  client_certificate_enabled = var.mtls\n}\nvariable \"mtls\" {}\n";
const BICEP_SITE: &str = "resource s 'Microsoft.Web/sites@2023-12-01' = {\n  name: 's'\n}\n";
const ARM_SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

#[test]
fn deep_nesting_in_every_file_kind_is_a_clear_error() {
    let arrays = "[".repeat(DEEP);
    let cases: Vec<(&str, Vec<File>, &str)> = vec![
        (
            ".tf",
            vec![File::new(
                "main.tf",
                format!("{TF_SITE}locals {{\n  x = {arrays}\n}}\n"),
            )],
            "nesting deeper than",
        ),
        (
            ".tf.json",
            vec![File::new(
                "main.tf.json",
                format!("{{\"resource\": {{\"azurerm_linux_web_app\": {{\"a\": {arrays}"),
            )],
            "nest",
        ),
        (
            "terraform.tfvars",
            vec![
                File::new("main.tf", TF_SITE),
                File::new("terraform.tfvars", format!("mtls = {arrays}\n")),
            ],
            "nesting deeper than",
        ),
        (
            "ARM template",
            vec![File::new(
                "azuredeploy.json",
                format!(
                    "{{\"$schema\": \"{ARM_SCHEMA}\", \"resources\": [{{\"type\": \
                     \"Microsoft.Web/sites\", \"name\": \"w\", \"properties\": {arrays}"
                ),
            )],
            "nest",
        ),
        (
            "ARM expression",
            vec![File::new(
                "azuredeploy.json",
                format!(
                    "{{\"$schema\": \"{ARM_SCHEMA}\", \"resources\": [{{\"type\": \"Microsoft.Web/sites\", \
                     \"name\": \"w\", \"properties\": {{\"clientCertEnabled\": \"[{}true(){}]\"}}}}]}}",
                    "not(".repeat(DEEP),
                    ")".repeat(DEEP)
                ),
            )],
            "nests deeper than 64 levels",
        ),
        (
            "Bicep",
            vec![File::new(
                "main.bicep",
                format!("{BICEP_SITE}var x = {arrays}\n"),
            )],
            "levels deep",
        ),
        (
            ".bicepparam",
            vec![
                File::new(
                    "main.bicep",
                    "param mtls bool\nresource s 'Microsoft.Web/sites@2023-12-01' = {\n  name: 's'\n  properties: {\n    clientCertEnabled: mtls\n  }\n}\n",
                ),
                File::new(
                    "main.bicepparam",
                    format!("using 'main.bicep'\nparam mtls = {arrays}\n"),
                ),
            ],
            "levels deep",
        ),
    ];
    for (case, files, wanted) in cases {
        let messages = scan_messages(files);
        assert_mentions(&messages, wanted, case);
    }
}

#[test]
fn module_chains_deeper_than_the_limit_stop_with_an_error() {
    let depth = 40;
    let mut terraform = vec![File::new(
        "main.tf",
        "module \"m\" {\n  source = \"./m0\"\n}\n",
    )];
    let mut bicep = vec![File::new(
        "main.bicep",
        "module m 'm0.bicep' = {\n  name: 'm'\n}\n",
    )];
    let mut dir = String::new();
    for i in 0..depth {
        dir.push_str(&format!("m{i}/"));
        terraform.push(File::new(
            format!("{dir}main.tf"),
            format!(
                "module \"m\" {{\n  source = \"./m{}\"\n}}\n{TF_SITE}",
                i + 1
            ),
        ));
        bicep.push(File::new(
            format!("m{i}.bicep"),
            format!(
                "module m 'm{}.bicep' = {{\n  name: 'm'\n}}\nresource s 'Microsoft.Web/sites@2023-12-01' = {{\n  name: 's'\n}}\n",
                i + 1
            ),
        ));
    }
    assert_mentions(
        &scan_messages(terraform),
        "is nested more than 32 calls deep",
        "Terraform",
    );
    assert_mentions(
        &scan_messages(bicep),
        "is nested more than 32 modules deep",
        "Bicep",
    );
}

#[test]
fn a_bicep_module_that_includes_itself_is_a_cycle_error() {
    let files = vec![File::new(
        "main.bicep",
        "module again 'main.bicep' = {\n  name: 'again'\n}\nresource s 'Microsoft.Web/sites@2023-12-01' = {\n  name: 's'\n}\n",
    )];
    assert_mentions(
        &scan_messages(files),
        "in a cycle",
        "self-including Bicep module",
    );
}

#[test]
fn linked_arm_templates_in_a_cycle_or_a_long_chain_are_bounded() {
    let link = |target: &str| {
        format!(
            "{{\"$schema\": \"{ARM_SCHEMA}\", \"resources\": [\
             {{\"type\": \"Microsoft.Resources/deployments\", \"name\": \"d\", \
               \"properties\": {{\"templateLink\": {{\"relativePath\": \"{target}\"}}}}}},\
             {{\"type\": \"Microsoft.Web/sites\", \"name\": \"w\"}}]}}"
        )
    };
    // Two templates that link each other, with no caller outside the cycle: still judged.
    let ring = vec![
        File::new("a.json", link("b.json")),
        File::new("b.json", link("a.json")),
    ];
    let messages = scan_messages(ring);
    assert_mentions(&messages, "a cycle", "two templates linking each other");
    assert_eq!(
        messages.matches("client-cert-disabled").count(),
        2,
        "both sites are judged: {messages}"
    );
    let chain: Vec<File> = (0..40)
        .map(|i| {
            File::new(
                format!("t{i:02}.json"),
                link(&format!("t{:02}.json", i + 1)),
            )
        })
        .collect();
    assert_mentions(
        &scan_messages(chain),
        "deeper than 32",
        "a chain of 40 linked templates",
    );
}
