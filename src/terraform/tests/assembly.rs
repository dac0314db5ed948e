//! Module assembly and lowering: files read together, overrides, duplicates, literal and
//! resolved values, instances.

use std::path::Path;
use std::sync::Arc;

use crate::model::{CertControl, Data, Resource, SiteKind, Syntax, Value};
use crate::source::SourceFile;
use crate::terraform::*;

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
    // The condition picked the branch; the value was written in the local.
    assert_eq!(notes, ["local `mode`"]);
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

#[test]
fn outputs_and_data_blocks_are_read_from_both_syntaxes_and_duplicates_reported() {
    let files = module(&[
        (
            "m/a.tf",
            "output \"mode\" {\n  value = \"Required\"\n}\ndata \"azurerm_service_plan\" \"p\" {\n  name = \"x\"\n}\n",
        ),
        (
            "m/b.tf.json",
            r#"{"output": {"url": {"value": "${var.x}"}}, "data": {"azurerm_service_plan": {"q": {"name": "y"}}}}"#,
        ),
        (
            "m/c.tf",
            "output \"mode\" {\n  value = 1\n}\ndata \"azurerm_service_plan\" \"p\" {}\n",
        ),
    ]);
    let module = crate::terraform::module::assemble("m".into(), &files);
    let mut outputs: Vec<&str> = module.outputs.keys().map(String::as_str).collect();
    outputs.sort();
    assert_eq!(outputs, ["mode", "url"]);
    let mode = module.outputs["mode"].value.as_ref().unwrap();
    assert_eq!(mode.value_span.file, 10, "the first declaration is kept");
    let data: Vec<String> = module.data.iter().map(|b| b.address()).collect();
    assert_eq!(data, ["azurerm_service_plan.p", "azurerm_service_plan.q"]);
    assert!(
        module.data[0].argument("name").is_some(),
        "a deferred body is read on first use"
    );
    let mut errors: Vec<(crate::error::Level, &str)> = module
        .errors
        .iter()
        .map(|e| (e.level, e.message.as_str()))
        .collect();
    errors.sort_by_key(|(_, message)| *message);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0].0, crate::error::Level::Notice);
    assert!(
        errors[0]
            .1
            .starts_with("`data.azurerm_service_plan.p` is declared twice")
    );
    assert_eq!(errors[1].0, crate::error::Level::Error);
    assert!(errors[1].1.starts_with("output `mode` is declared twice"));
}

#[test]
fn a_count_gate_reads_the_argument_written_in_another_block() {
    let scan = scan_module(&module(&[(
        "main.tf",
        "resource \"azurerm_service_plan\" \"p\" {\n  os_type = \"Linux\"\n}\nresource \"azurerm_windows_web_app\" \"w\" {\n  count = azurerm_service_plan.p.os_type == \"Windows\" ? 1 : 0\n}\nresource \"azurerm_linux_web_app\" \"l\" {\n  count = azurerm_service_plan.p.os_type == \"Linux\" ? 1 : 0\n  client_certificate_enabled = true\n}\n",
    )]));
    assert!(scan.errors.is_empty(), "{:?}", scan.errors);
    let addresses: Vec<&str> = scan.resources.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(addresses, ["azurerm_linux_web_app.l"]);
}
