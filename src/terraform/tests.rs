//! Tests of the Terraform front end as a whole: module assembly, value resolution across
//! variables files and modules, instances, provider versions and roots.

use std::path::Path;
use std::sync::Arc;

use super::*;
use crate::error::Level;
use crate::model::{CertControl, CertMode, Data, Resource, SiteKind, Syntax, Value};
use crate::source::SourceFile;

fn module(files: &[(&str, &str)]) -> Vec<ModuleFile> {
    files
        .iter()
        .enumerate()
        .map(|(id, (path, text))| ModuleFile {
            id: id + 10,
            source: Arc::new(SourceFile::new(path.into(), *text)),
        })
        .collect()
}

fn enabled(resource: &Resource) -> Option<&Data> {
    resource.enabled.as_ref().map(|value| &value.data)
}

#[test]
fn scans_native_and_json_files_together() {
    let files = module(&[
        (
            "mod/web.tf",
            "resource \"azurerm_linux_web_app\" \"web\" {\n  client_certificate_enabled = true\n}\nresource \"azurerm_service_plan\" \"plan\" {}\n",
        ),
        (
            "mod/fn.tf.json",
            r#"{"resource": {"azurerm_linux_function_app": {"fn": {"client_certificate_enabled": false}}}}"#,
        ),
        ("mod/terraform.tfvars", "x = 1\n"),
        (
            "mod/notes.txt",
            "resource \"azurerm_linux_web_app\" \"no\" {}\n",
        ),
    ]);
    let scan = scan_module(&files);
    assert!(scan.errors.is_empty(), "{:?}", scan.errors);
    let addresses: Vec<&str> = scan.resources.iter().map(|r| r.address.as_str()).collect();
    // Files in name order: fn.tf.json before web.tf.
    assert_eq!(
        addresses,
        ["azurerm_linux_function_app.fn", "azurerm_linux_web_app.web"]
    );
    assert_eq!(scan.resources[0].header.file, 11);
    assert_eq!(enabled(&scan.resources[0]), Some(&Data::Bool(false)));
    assert_eq!(enabled(&scan.resources[1]), Some(&Data::Bool(true)));
}

#[test]
fn override_files_merge_over_the_others_in_name_order() {
    let files = module(&[
        (
            "z_override.tf",
            "resource \"azurerm_linux_web_app\" \"web\" {\n  client_certificate_mode = \"Optional\"\n}\n",
        ),
        (
            "override.tf.json",
            r#"{"resource": {"azurerm_linux_web_app": {"web": {"client_certificate_enabled": true, "client_certificate_mode": "OptionalInteractiveUser"}}}}"#,
        ),
        (
            "main.tf",
            "resource \"azurerm_linux_web_app\" \"web\" {\n  client_certificate_enabled = false\n  client_certificate_mode = \"Required\"\n}\n",
        ),
        (
            "orphan_override.tf",
            "resource \"azurerm_linux_web_app\" \"ghost\" {}\n",
        ),
    ]);
    let scan = scan_module(&files);
    assert!(scan.errors.is_empty(), "{:?}", scan.errors);
    assert_eq!(scan.resources.len(), 1);
    let web = &scan.resources[0];
    // The declaration stays in main.tf; values come from the overrides.
    assert_eq!(web.header.file, 12);
    let enabled = web.enabled.as_ref().unwrap();
    assert_eq!(enabled.data, Data::Bool(true));
    assert_eq!(enabled.span.file, 11);
    // override.tf.json sorts before z_override.tf, so z_override.tf has the last word.
    let mode = web.mode.as_ref().unwrap();
    assert_eq!(mode.data, Data::String("Optional".into()));
    assert_eq!(mode.span.file, 10);
}

#[test]
fn a_broken_file_is_reported_and_the_rest_still_scanned() {
    let files = module(&[
        (
            "bad.tf",
            "resource \"azurerm_linux_web_app\" \"bad\" {\n  name = \n}\n",
        ),
        ("bad.tf.json", "{\"resource\": "),
        (
            "good.tf",
            "resource \"azurerm_windows_web_app\" \"good\" {}\n",
        ),
    ]);
    let scan = scan_module(&files);
    let paths: Vec<&Path> = scan.errors.iter().map(|e| e.path.as_path()).collect();
    assert_eq!(paths, [Path::new("bad.tf"), Path::new("bad.tf.json")]);
    assert!(scan.errors.iter().all(|e| e.span.is_some()));
    let addresses: Vec<&str> = scan.resources.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(addresses, ["azurerm_windows_web_app.good"]);
}

#[test]
fn duplicate_declarations_are_errors() {
    let files = module(&[
        (
            "a.tf",
            "resource \"azurerm_linux_web_app\" \"web\" {\n  client_certificate_enabled = true\n}\n",
        ),
        ("b.tf", "\nresource \"azurerm_linux_web_app\" \"web\" {}\n"),
    ]);
    let scan = scan_module(&files);
    assert_eq!(scan.resources.len(), 1);
    assert_eq!(enabled(&scan.resources[0]), Some(&Data::Bool(true)));
    assert_eq!(scan.errors.len(), 1);
    let error = &scan.errors[0];
    assert_eq!(error.path, Path::new("b.tf"));
    assert_eq!(error.span.unwrap().start, 1);
    assert_eq!(
        error.message,
        "`azurerm_linux_web_app.web` is declared twice in this module; the first declaration is at a.tf line 1"
    );
}

#[test]
fn resource_types_are_exported_for_sniffing() {
    assert!(RESOURCE_TYPES.contains(&"azurerm_logic_app_standard"));
    assert!(lookup("azurerm_linux_web_app", ProviderVersion::Unknown).is_some());
}

fn one(text: &str) -> Resource {
    let scan = scan_module(&module(&[("main.tf", text)]));
    assert!(scan.errors.is_empty(), "{:?}", scan.errors);
    assert_eq!(scan.resources.len(), 1, "{:?}", scan.resources);
    scan.resources.into_iter().next().unwrap()
}

fn data(value: &Option<Value>) -> Option<&Data> {
    value.as_ref().map(|value| &value.data)
}

#[test]
fn lowers_literal_values_with_attribute_spans() {
    let text = "resource \"azurerm_linux_web_app\" \"api\" {\n  client_certificate_enabled = true\n  client_certificate_mode = \"Required\"\n  client_certificate_exclusion_paths = \"/health;/ping\"\n}\n";
    let resource = one(text);
    assert_eq!(resource.address, "azurerm_linux_web_app.api");
    assert_eq!(resource.kind, SiteKind::WebApp);
    assert_eq!(resource.kind_tags, ["linux"]);
    assert_eq!(resource.syntax, Syntax::Hcl);
    assert_eq!(
        &text[resource.header.range()],
        "resource \"azurerm_linux_web_app\" \"api\""
    );
    let enabled = resource.enabled.as_ref().unwrap();
    assert_eq!(enabled.data, Data::Bool(true));
    assert_eq!(
        &text[enabled.span.range()],
        "client_certificate_enabled = true"
    );
    assert!(enabled.origin.is_empty());
    assert_eq!(data(&resource.mode), Some(&Data::String("Required".into())));
    assert_eq!(
        data(&resource.exclusion_paths),
        Some(&Data::String("/health;/ping".into()))
    );
    assert!(resource.instance.is_none() && resource.scenario.is_none());
}

#[test]
fn enabled_strings_convert_to_bool_like_terraform() {
    for (written, expected) in [
        ("\"true\"", Data::Bool(true)),
        ("\"1\"", Data::Bool(true)),
        ("\"false\"", Data::Bool(false)),
        ("\"True\"", Data::String("True".into())),
        ("(true)", Data::Bool(true)),
        ("1", Data::Other("number")),
    ] {
        let resource = one(&format!(
            "resource \"azurerm_windows_web_app\" \"w\" {{\n  client_certificate_enabled = {written}\n}}\n"
        ));
        assert_eq!(data(&resource.enabled), Some(&expected), "{written}");
    }
    // The conversion is for the bool attribute only.
    let resource = one(
        "resource \"azurerm_windows_web_app\" \"w\" {\n  client_certificate_mode = \"true\"\n}\n",
    );
    assert_eq!(data(&resource.mode), Some(&Data::String("true".into())));
}

#[test]
fn null_means_not_set_and_heredocs_are_strings() {
    let resource = one(
        "resource \"azurerm_linux_web_app\" \"a\" {\n  client_certificate_enabled = null\n  client_certificate_mode = <<-EOT\n    Required\n  EOT\n}\n",
    );
    assert!(resource.enabled.is_none());
    // A heredoc keeps its final newline, as in Terraform.
    assert_eq!(
        data(&resource.mode),
        Some(&Data::String("Required\n".into()))
    );
}

#[test]
fn legacy_and_mode_only_types_read_their_own_attributes() {
    let resource = one(
        "resource \"azurerm_app_service\" \"old\" {\n  client_cert_enabled = true\n  client_cert_mode = \"Optional\"\n  client_certificate_enabled = false\n}\n",
    );
    assert_eq!(data(&resource.enabled), Some(&Data::Bool(true)));
    assert_eq!(data(&resource.mode), Some(&Data::String("Optional".into())));
    let resource =
        one("resource \"azurerm_app_service_slot\" \"s\" {\n  client_cert_enabled = true\n}\n");
    assert!(matches!(resource.control, CertControl::Unsupported { .. }));
    assert!(resource.enabled.is_none());
}

#[test]
fn values_resolve_through_variables_and_locals() {
    let resource = one(
        "variable \"mtls\" {\n  type = bool\n  default = \"true\"\n}\nlocals {\n  mode = var.mtls ? \"Required\" : \"Optional\"\n}\nresource \"azurerm_linux_function_app\" \"f\" {\n  client_certificate_enabled = var.mtls\n  client_certificate_mode = local.mode\n}\n",
    );
    let enabled = resource.enabled.as_ref().unwrap();
    assert_eq!(enabled.data, Data::Bool(true));
    let notes: Vec<&str> = enabled.origin.iter().map(|o| o.note.as_str()).collect();
    assert_eq!(notes, ["default of variable `mtls`"]);
    let mode = resource.mode.as_ref().unwrap();
    assert_eq!(mode.data, Data::String("Required".into()));
    let notes: Vec<&str> = mode.origin.iter().map(|o| o.note.as_str()).collect();
    assert_eq!(notes, ["default of variable `mtls`", "local `mode`"]);
}

#[test]
fn errors_and_unknowns_say_why() {
    let resource = one(
        "variable \"s\" {\n  default = {}\n}\nresource \"azurerm_linux_web_app\" \"a\" {\n  client_certificate_enabled = var.s.mtls\n  client_certificate_mode = formatdate(\"YYYY\", timestamp())\n}\n",
    );
    assert_eq!(
        data(&resource.enabled),
        Some(&Data::Unknown(
            "Terraform would reject this value: the object has no attribute `mtls`".into()
        ))
    );
    assert_eq!(
        data(&resource.mode),
        Some(&Data::Unknown(
            "certgate does not evaluate the function `formatdate`".into()
        ))
    );
}

#[test]
fn count_and_for_each_expand_per_instance() {
    let text = "resource \"azurerm_linux_web_app\" \"zero\" {\n  count = 0\n}\nresource \"azurerm_linux_web_app\" \"empty\" {\n  for_each = toset([])\n}\nresource \"azurerm_linux_web_app\" \"same\" {\n  count = 3\n  client_certificate_enabled = true\n}\nresource \"azurerm_linux_web_app\" \"api\" {\n  count = 2\n  client_certificate_enabled = true\n  client_certificate_mode = count.index == 0 ? \"Required\" : \"Optional\"\n}\nresource \"azurerm_linux_web_app\" \"each\" {\n  for_each = { a = \"Required\", b = \"Optional\" }\n  client_certificate_mode = each.value\n}\nresource \"azurerm_linux_web_app\" \"maybe\" {\n  count = var.n\n  client_certificate_enabled = count.index > 0\n}\nvariable \"n\" {\n  type = number\n}\n";
    let scan = scan_module(&module(&[("main.tf", text)]));
    let instances: Vec<(&str, Option<&str>)> = scan
        .resources
        .iter()
        .map(|r| (r.address.as_str(), r.instance.as_deref()))
        .collect();
    assert_eq!(
        instances,
        [
            ("azurerm_linux_web_app.same", None),
            (
                "azurerm_linux_web_app.api",
                Some("azurerm_linux_web_app.api[0]")
            ),
            (
                "azurerm_linux_web_app.api",
                Some("azurerm_linux_web_app.api[1]")
            ),
            (
                "azurerm_linux_web_app.each",
                Some("azurerm_linux_web_app.each[\"a\"]")
            ),
            (
                "azurerm_linux_web_app.each",
                Some("azurerm_linux_web_app.each[\"b\"]")
            ),
            ("azurerm_linux_web_app.maybe", None),
        ]
    );
    assert_eq!(
        data(&scan.resources[2].mode),
        Some(&Data::String("Optional".into()))
    );
    assert_eq!(
        data(&scan.resources[4].mode),
        Some(&Data::String("Optional".into()))
    );
    let Some(Data::Unknown(reason)) = data(&scan.resources[5].enabled) else {
        panic!("{:?}", scan.resources[5].enabled);
    };
    assert!(reason.starts_with("it depends on `count.index`, and `count` cannot be resolved: variable `n` has no default"), "{reason}");
}

/// A scan of a temporary tree: the resources and errors, with the source map to read spans.
struct Scanned {
    scan: UnitScan,
    sources: SourceMap,
    root: tempfile::TempDir,
}

impl Scanned {
    fn path_of(&self, span: Span) -> String {
        let path = self.sources.get(span.file).path().to_path_buf();
        path.strip_prefix(self.root.path())
            .unwrap_or(&path)
            .display()
            .to_string()
    }

    fn text_of(&self, span: Span) -> String {
        self.sources.get(span.file).text()[span.range()].to_string()
    }

    fn find(&self, address: &str) -> Vec<&Resource> {
        self.scan
            .resources
            .iter()
            .filter(|r| r.address == address)
            .collect()
    }

    fn messages(&self, level: Level) -> Vec<String> {
        let mut messages: Vec<String> = self
            .scan
            .errors
            .iter()
            .filter(|e| e.level == level)
            .map(|e| e.message.clone())
            .collect();
        messages.sort();
        messages
    }
}

/// Writes `files` under a temporary directory and scans the directories holding `.tf` files
/// (outside `.terraform`), as scan.rs would hand them over.
fn scan_tree(files: &[(&str, &str)], settings: Settings) -> Scanned {
    let root = tempfile::tempdir().unwrap();
    let mut dirs = std::collections::BTreeSet::new();
    for (path, text) in files {
        let full = root.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(&full, text).unwrap();
        if path.ends_with(".tf") && !path.contains(".terraform/") {
            dirs.insert(crate::load::normalize(full.parent().unwrap()));
        }
    }
    let settings = Settings {
        var_files: settings
            .var_files
            .iter()
            .map(|p| root.path().join(p))
            .collect(),
        ..settings
    };
    let sources = SourceMap::default();
    let scan = {
        let loader = Loader::new(&sources);
        let dirs: Vec<PathBuf> = dirs.into_iter().collect();
        let mut scan = scan_project(&dirs, &loader, &settings);
        scan.errors.extend(loader.into_errors());
        scan
    };
    Scanned {
        scan,
        sources,
        root,
    }
}

const MODE_ROOT: &str = "variable \"mode\" {\n  type = string\n  default = \"OptionalInteractiveUser\"\n}\nresource \"azurerm_linux_web_app\" \"api\" {\n  client_certificate_enabled = true\n  client_certificate_mode = var.mode\n}\n";

fn mode_with(
    files: &[(&str, &str)],
    settings: Settings,
) -> (String, Vec<(String, String, String)>) {
    let mut all = vec![("main.tf", MODE_ROOT)];
    all.extend_from_slice(files);
    let scanned = scan_tree(&all, settings);
    assert!(
        scanned.messages(Level::Error).is_empty(),
        "{:?}",
        scanned.scan.errors
    );
    let mode = scanned.find("azurerm_linux_web_app.api")[0]
        .mode
        .clone()
        .unwrap();
    let Data::String(text) = mode.data else {
        panic!("{mode:?}")
    };
    let origin = mode
        .origin
        .iter()
        .map(|o| {
            (
                scanned.path_of(o.span),
                scanned.text_of(o.span),
                o.note.clone(),
            )
        })
        .collect();
    (text, origin)
}

fn step(path: &str, text: &str, note: &str) -> (String, String, String) {
    (path.into(), text.into(), note.into())
}

#[test]
fn variable_values_follow_terraforms_precedence() {
    let tfvars = ("terraform.tfvars", "mode = \"Optional\"\n");
    let tfvars_json = ("terraform.tfvars.json", "{\"mode\": \"Required\"}\n");
    let auto_a = ("a.auto.tfvars", "mode = \"Optional\"\n");
    let auto_b = (
        "b.auto.tfvars.json",
        "{\"mode\": \"OptionalInteractiveUser\"}",
    );
    let prod = ("prod.tfvars", "mode = \"Required\"\n");
    let env = Settings {
        env_vars: vec![("mode".into(), "Optional".into())],
        ..Settings::default()
    };

    let (mode, origin) = mode_with(&[], Settings::default());
    assert_eq!(mode, "OptionalInteractiveUser");
    assert_eq!(
        origin,
        [step(
            "main.tf",
            "default = \"OptionalInteractiveUser\"",
            "default of variable `mode`"
        )]
    );
    let (mode, origin) = mode_with(&[], env.clone());
    assert_eq!(mode, "Optional");
    assert_eq!(
        origin,
        [step(
            "<environment>",
            "TF_VAR_mode=Optional",
            "environment variable `TF_VAR_mode`"
        )]
    );
    let (mode, origin) = mode_with(&[tfvars], env.clone());
    assert_eq!(mode, "Optional");
    assert_eq!(
        origin,
        [step(
            "terraform.tfvars",
            "mode = \"Optional\"",
            "`mode = \"Optional\"` in terraform.tfvars"
        )]
    );
    let (mode, origin) = mode_with(&[tfvars, tfvars_json], env.clone());
    assert_eq!(mode, "Required");
    assert_eq!(origin[0].0, "terraform.tfvars.json");
    let (mode, origin) = mode_with(&[tfvars, tfvars_json, auto_a], Settings::default());
    assert_eq!(
        (mode.as_str(), origin[0].0.as_str()),
        ("Optional", "a.auto.tfvars")
    );
    let (mode, origin) = mode_with(&[tfvars, tfvars_json, auto_a, auto_b], Settings::default());
    assert_eq!(
        (mode.as_str(), origin[0].0.as_str()),
        ("OptionalInteractiveUser", "b.auto.tfvars.json")
    );
    let files = Settings {
        var_files: vec!["envs/prod.tfvars".into()],
        ..Settings::default()
    };
    let (mode, origin) = mode_with(&[auto_b, ("envs/prod.tfvars", prod.1)], files.clone());
    assert_eq!(
        (mode.as_str(), origin[0].0.as_str()),
        ("Required", "envs/prod.tfvars")
    );
    let vars = Settings {
        vars: vec![("mode".into(), "Optional".into())],
        ..files
    };
    let (mode, origin) = mode_with(&[auto_b, ("envs/prod.tfvars", prod.1)], vars);
    assert_eq!(mode, "Optional");
    assert_eq!(
        origin,
        [step(
            "<command line>",
            "mode=Optional",
            "`--var mode=Optional` on the command line"
        )]
    );
}

#[test]
fn command_line_values_are_read_by_the_variables_type() {
    let root = "variable \"mtls\" {\n  type = bool\n}\nvariable \"settings\" {\n  type = object({ mode = optional(string, \"Required\") })\n}\nresource \"azurerm_linux_web_app\" \"api\" {\n  client_certificate_enabled = var.mtls\n  client_certificate_mode = var.settings.mode\n}\n";
    let settings = Settings {
        vars: vec![
            ("mtls".into(), "false".into()),
            ("settings".into(), "{}".into()),
        ],
        ..Settings::default()
    };
    let scanned = scan_tree(&[("main.tf", root)], settings);
    let api = scanned.find("azurerm_linux_web_app.api")[0];
    assert_eq!(data(&api.enabled), Some(&Data::Bool(false)));
    assert_eq!(data(&api.mode), Some(&Data::String("Required".into())));
    let settings = Settings {
        vars: vec![("mtls".into(), "yes".into())],
        ..Settings::default()
    };
    let scanned = scan_tree(&[("main.tf", root)], settings);
    let Some(Data::Unknown(reason)) = data(&scanned.find("azurerm_linux_web_app.api")[0].enabled)
    else {
        panic!()
    };
    assert!(
        reason.contains("`yes` is not a valid value for a variable of type bool"),
        "{reason}"
    );
}

#[test]
fn a_variable_without_any_value_is_unknown_and_points_at_its_declaration() {
    let root = "variable \"mtls\" {\n  type = bool\n}\nresource \"azurerm_linux_web_app\" \"api\" {\n  client_certificate_enabled = var.mtls\n}\n";
    let scanned = scan_tree(&[("main.tf", root)], Settings::default());
    let enabled = scanned.find("azurerm_linux_web_app.api")[0]
        .enabled
        .clone()
        .unwrap();
    assert_eq!(
        enabled.data,
        Data::Unknown("variable `mtls` has no default and no value in any tfvars file; pass it with --var or --var-file".into())
    );
    assert_eq!(scanned.text_of(enabled.origin[0].span), "variable \"mtls\"");
}

const WEB_MODULE: &str = "variable \"mtls\" {\n  type = bool\n}\nvariable \"mode\" {\n  default = \"Required\"\n}\nmodule \"slot\" {\n  source = \"./slot\"\n  mode = var.mode\n}\nresource \"azurerm_linux_web_app\" \"this\" {\n  client_certificate_enabled = var.mtls\n  client_certificate_mode = var.mode\n}\n";
const SLOT_MODULE: &str = "variable \"mode\" {}\nresource \"azurerm_linux_web_app_slot\" \"this\" {\n  client_certificate_enabled = true\n  client_certificate_mode = var.mode\n}\n";

#[test]
fn local_modules_receive_inputs_and_carry_the_callers_address() {
    let root = "variable \"internal_mtls\" {\n  default = true\n}\nmodule \"public\" {\n  source = \"../../modules/web\"\n  mtls = false\n  mode = \"Optional\"\n}\nmodule \"internal\" {\n  source = \"./../../modules/web/\"\n  mtls = var.internal_mtls\n}\n";
    let scanned = scan_tree(
        &[
            ("envs/prod/main.tf", root),
            ("modules/web/main.tf", WEB_MODULE),
            ("modules/web/slot/main.tf", SLOT_MODULE),
        ],
        Settings::default(),
    );
    assert!(scanned.scan.errors.is_empty(), "{:?}", scanned.scan.errors);
    let mut addresses: Vec<&str> = scanned
        .scan
        .resources
        .iter()
        .map(|r| r.address.as_str())
        .collect();
    addresses.sort();
    // The child modules are judged only through their caller.
    assert_eq!(
        addresses,
        [
            "module.internal.azurerm_linux_web_app.this",
            "module.internal.module.slot.azurerm_linux_web_app_slot.this",
            "module.public.azurerm_linux_web_app.this",
            "module.public.module.slot.azurerm_linux_web_app_slot.this",
        ]
    );
    let public = scanned.find("module.public.azurerm_linux_web_app.this")[0];
    let enabled = public.enabled.as_ref().unwrap();
    assert_eq!(enabled.data, Data::Bool(false));
    assert_eq!(scanned.path_of(enabled.span), "modules/web/main.tf");
    assert_eq!(scanned.text_of(enabled.origin[0].span), "mtls = false");
    assert_eq!(enabled.origin[0].note, "input `mtls` of module `public`");
    let internal = scanned.find("module.internal.azurerm_linux_web_app.this")[0];
    let notes: Vec<&str> = internal
        .enabled
        .as_ref()
        .unwrap()
        .origin
        .iter()
        .map(|o| o.note.as_str())
        .collect();
    assert_eq!(
        notes,
        [
            "default of variable `internal_mtls`",
            "input `mtls` of module `internal`"
        ]
    );
    let slot = scanned.find("module.public.module.slot.azurerm_linux_web_app_slot.this")[0];
    let mode = slot.mode.as_ref().unwrap();
    assert_eq!(mode.data, Data::String("Optional".into()));
    let notes: Vec<&str> = mode.origin.iter().map(|o| o.note.as_str()).collect();
    assert_eq!(
        notes,
        [
            "input `mode` of module `public`",
            "input `mode` of module `slot`"
        ]
    );
    let slot = scanned.find("module.internal.module.slot.azurerm_linux_web_app_slot.this")[0];
    assert_eq!(data(&slot.mode), Some(&Data::String("Required".into())));
}

#[test]
fn a_missing_required_input_is_reported_as_terraform_would() {
    let root = "module \"web\" {\n  source = \"./web\"\n}\n";
    let scanned = scan_tree(
        &[
            ("main.tf", root),
            ("web/main.tf", WEB_MODULE),
            ("web/slot/main.tf", SLOT_MODULE),
        ],
        Settings::default(),
    );
    let web = scanned.find("module.web.azurerm_linux_web_app.this")[0];
    assert_eq!(
        data(&web.enabled),
        Some(&Data::Unknown("Terraform would reject this value: module `web` does not set `mtls`, which has no default".into()))
    );
}

#[test]
fn module_instances_expand_with_count_and_for_each() {
    let root = "module \"web\" {\n  source = \"./web\"\n  for_each = { public = false, internal = true }\n  mtls = each.value\n}\nmodule \"none\" {\n  source = \"./web\"\n  count = 0\n  mtls = true\n}\n";
    let scanned = scan_tree(
        &[
            ("main.tf", root),
            ("web/main.tf", WEB_MODULE),
            ("web/slot/main.tf", SLOT_MODULE),
        ],
        Settings::default(),
    );
    let webs = scanned.find("module.web.azurerm_linux_web_app.this");
    let instances: Vec<(Option<&str>, Option<&Data>)> = webs
        .iter()
        .map(|r| (r.instance.as_deref(), data(&r.enabled)))
        .collect();
    assert_eq!(
        instances,
        [
            (
                Some("module.web[\"internal\"].azurerm_linux_web_app.this"),
                Some(&Data::Bool(true))
            ),
            (
                Some("module.web[\"public\"].azurerm_linux_web_app.this"),
                Some(&Data::Bool(false))
            ),
        ]
    );
    // The slots do not differ between the instances: one resource stands for both.
    let slots = scanned.find("module.web.module.slot.azurerm_linux_web_app_slot.this");
    assert_eq!(slots.len(), 1);
    assert!(slots[0].instance.is_none());
    assert!(
        scanned
            .find("module.none.azurerm_linux_web_app.this")
            .is_empty()
    );
}

#[test]
fn registry_modules_need_modules_json() {
    let root = "module \"web\" {\n  source = \"Azure/avm-res-web-site/azurerm\"\n  version = \"0.1.0\"\n  mtls = false\n}\n";
    let scanned = scan_tree(&[("main.tf", root)], Settings::default());
    assert!(scanned.scan.resources.is_empty());
    assert_eq!(
        scanned.messages(Level::Notice),
        [
            "module `web` (source `Azure/avm-res-web-site/azurerm`) is not followed: run `terraform init` so `.terraform/modules/modules.json` exists"
        ]
    );
    let modules_json = r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"web","Source":"registry.terraform.io/Azure/avm-res-web-site/azurerm","Version":"0.1.0","Dir":".terraform/modules/web"},{"Key":"web.slot","Source":"./slot","Dir":".terraform/modules/web/slot"}]}"#;
    let scanned = scan_tree(
        &[
            ("main.tf", root),
            (".terraform/modules/modules.json", modules_json),
            (".terraform/modules/web/main.tf", WEB_MODULE),
            (".terraform/modules/web/slot/main.tf", SLOT_MODULE),
        ],
        Settings::default(),
    );
    assert!(scanned.scan.errors.is_empty(), "{:?}", scanned.scan.errors);
    let web = scanned.find("module.web.azurerm_linux_web_app.this")[0];
    assert_eq!(data(&web.enabled), Some(&Data::Bool(false)));
    assert_eq!(
        scanned.path_of(web.header),
        ".terraform/modules/web/main.tf"
    );
    assert_eq!(
        scanned
            .find("module.web.module.slot.azurerm_linux_web_app_slot.this")
            .len(),
        1
    );
}

#[test]
fn recursive_modules_are_errors_not_hangs() {
    let looping =
        "module \"again\" {\n  source = \"../b\"\n}\nresource \"azurerm_linux_web_app\" \"a\" {}\n";
    let back = "module \"back\" {\n  source = \"../a\"\n}\n";
    let scanned = scan_tree(
        &[("a/main.tf", looping), ("b/main.tf", back)],
        Settings::default(),
    );
    let errors = scanned.messages(Level::Error);
    assert!(!errors.is_empty());
    assert!(
        errors.iter().all(|e| e.contains("calls itself")),
        "{errors:?}"
    );
    assert!(!scanned.scan.resources.is_empty());
    let selfish = "module \"me\" {\n  source = \"./\"\n}\n";
    let scanned = scan_tree(&[("main.tf", selfish)], Settings::default());
    assert_eq!(scanned.messages(Level::Error).len(), 1);
}

#[test]
fn a_shared_child_is_judged_once_per_root() {
    let dev = "module \"web\" {\n  source = \"../../modules/web\"\n  mtls = false\n}\n";
    let prod = "module \"web\" {\n  source = \"../../modules/web\"\n  mtls = true\n}\n";
    let scanned = scan_tree(
        &[
            ("envs/dev/main.tf", dev),
            ("envs/prod/main.tf", prod),
            ("modules/web/main.tf", WEB_MODULE),
            ("modules/web/slot/main.tf", SLOT_MODULE),
        ],
        Settings::default(),
    );
    let mut scenarios: Vec<(String, Option<&Data>)> = scanned
        .find("module.web.azurerm_linux_web_app.this")
        .iter()
        .map(|r| {
            let scenario = r.scenario.clone().unwrap();
            let root = scanned.root.path().display().to_string();
            (scenario.replace(&root, ""), data(&r.enabled))
        })
        .collect();
    scenarios.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        scenarios,
        [
            (
                "root module /envs/dev".to_string(),
                Some(&Data::Bool(false))
            ),
            (
                "root module /envs/prod".to_string(),
                Some(&Data::Bool(true))
            )
        ]
    );
}

#[test]
fn the_provider_version_decides_the_logic_app_default() {
    let logic = "resource \"azurerm_logic_app_standard\" \"flow\" {}\n";
    let lock = "provider \"registry.terraform.io/hashicorp/azurerm\" {\n  version = \"5.0.1\"\n}\n";
    let required = |constraint: &str| {
        format!(
            "terraform {{\n  required_providers {{\n    azurerm = {{\n      version = \"{constraint}\"\n    }}\n  }}\n}}\n"
        )
    };
    let control = |files: &[(&str, &str)]| {
        let scanned = scan_tree(files, Settings::default());
        scanned.scan.resources[0].control.clone()
    };
    let from_5 = CertControl::ModeOnly {
        default_mode: Some(CertMode::Required),
    };
    let before_5 = CertControl::ModeOnly { default_mode: None };
    assert_eq!(control(&[("main.tf", logic)]), before_5);
    assert_eq!(
        control(&[("main.tf", logic), (".terraform.lock.hcl", lock)]),
        from_5
    );
    let v4 = required("~> 4.0");
    assert_eq!(
        control(&[("main.tf", logic), ("versions.tf", &v4)]),
        before_5
    );
    // The lock file wins over the constraint.
    assert_eq!(
        control(&[
            ("main.tf", logic),
            ("versions.tf", &v4),
            (".terraform.lock.hcl", lock)
        ]),
        from_5
    );
    // A constraint in a called module counts too.
    let root = "module \"flow\" {\n  source = \"./flow\"\n}\n";
    let v5 = required(">= 5.0");
    assert_eq!(
        control(&[
            ("main.tf", root),
            ("flow/main.tf", logic),
            ("flow/versions.tf", &v5)
        ]),
        from_5
    );
}

#[test]
fn variables_file_errors_are_reported() {
    let scanned = scan_tree(
        &[("main.tf", MODE_ROOT), ("terraform.tfvars", "mode = \n")],
        Settings::default(),
    );
    let errors = scanned.messages(Level::Error);
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].starts_with("invalid Terraform syntax"),
        "{errors:?}"
    );
    let missing = Settings {
        var_files: vec!["nope.tfvars".into()],
        ..Settings::default()
    };
    let scanned = scan_tree(&[("main.tf", MODE_ROOT)], missing);
    assert_eq!(
        scanned.messages(Level::Error),
        ["cannot read: no such file or directory"]
    );
}
