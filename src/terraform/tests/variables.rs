//! Root variables from defaults, variables files and the command line, in Terraform's order.

use super::{data, scan_tree};
use crate::error::Level;
use crate::model::Data;
use crate::terraform::Inputs;

const MODE_ROOT: &str = "variable \"mode\" {\n  type = string\n  default = \"OptionalInteractiveUser\"\n}\nresource \"azurerm_linux_web_app\" \"api\" {\n  client_certificate_enabled = true\n  client_certificate_mode = var.mode\n}\n";

fn mode_with(files: &[(&str, &str)], inputs: Inputs) -> (String, Vec<(String, String, String)>) {
    let mut all = vec![("main.tf", MODE_ROOT)];
    all.extend_from_slice(files);
    let scanned = scan_tree(&all, inputs);
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
    let env = Inputs {
        env_vars: vec![("mode".into(), "Optional".into())],
        ..Inputs::default()
    };

    let (mode, origin) = mode_with(&[], Inputs::default());
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
    let (mode, origin) = mode_with(&[tfvars, tfvars_json, auto_a], Inputs::default());
    assert_eq!(
        (mode.as_str(), origin[0].0.as_str()),
        ("Optional", "a.auto.tfvars")
    );
    let (mode, origin) = mode_with(&[tfvars, tfvars_json, auto_a, auto_b], Inputs::default());
    assert_eq!(
        (mode.as_str(), origin[0].0.as_str()),
        ("OptionalInteractiveUser", "b.auto.tfvars.json")
    );
    let files = Inputs {
        var_files: vec!["envs/prod.tfvars".into()],
        ..Inputs::default()
    };
    let (mode, origin) = mode_with(&[auto_b, ("envs/prod.tfvars", prod.1)], files.clone());
    assert_eq!(
        (mode.as_str(), origin[0].0.as_str()),
        ("Required", "envs/prod.tfvars")
    );
    let vars = Inputs {
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
    let settings = Inputs {
        vars: vec![
            ("mtls".into(), "false".into()),
            ("settings".into(), "{}".into()),
        ],
        ..Inputs::default()
    };
    let scanned = scan_tree(&[("main.tf", root)], settings);
    let api = scanned.find("azurerm_linux_web_app.api")[0];
    assert_eq!(data(&api.enabled), Some(&Data::Bool(false)));
    assert_eq!(data(&api.mode), Some(&Data::String("Required".into())));
    let settings = Inputs {
        vars: vec![("mtls".into(), "yes".into())],
        ..Inputs::default()
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
    let scanned = scan_tree(&[("main.tf", root)], Inputs::default());
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

#[test]
fn variables_file_errors_are_reported() {
    let scanned = scan_tree(
        &[("main.tf", MODE_ROOT), ("terraform.tfvars", "mode = \n")],
        Inputs::default(),
    );
    let errors = scanned.messages(Level::Error);
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].starts_with("invalid Terraform syntax"),
        "{errors:?}"
    );
    let missing = Inputs {
        var_files: vec!["nope.tfvars".into()],
        ..Inputs::default()
    };
    let scanned = scan_tree(&[("main.tf", MODE_ROOT)], missing);
    assert_eq!(
        scanned.messages(Level::Error),
        ["cannot read: no such file or directory"]
    );
}

#[test]
fn origins_carry_their_kind_and_the_span_of_their_literal() {
    use crate::model::{Origin, OriginKind};
    let root = "variable \"mtls\" {\n  default = false\n}\nvariable \"mode\" {\n  type = string\n}\nvariable \"paths\" {\n  default = \"/a\"\n}\nlocals {\n  paths = var.paths\n}\nresource \"azurerm_linux_web_app\" \"api\" {\n  client_certificate_enabled = var.mtls\n  client_certificate_mode = var.mode\n  client_certificate_exclusion_paths = local.paths\n}\n";
    let scanned = scan_tree(
        &[
            ("main.tf", root),
            ("terraform.tfvars", "mode = \"Optional\" # prod\n"),
        ],
        Inputs::default(),
    );
    let api = scanned.find("azurerm_linux_web_app.api")[0];
    let literal = |origin: &Origin| origin.literal.map(|span| scanned.text_of(span));
    let enabled = &api.enabled.as_ref().unwrap().origin;
    assert_eq!(enabled[0].kind, OriginKind::VariableDefault);
    assert_eq!(scanned.text_of(enabled[0].span), "default = false");
    assert_eq!(literal(&enabled[0]).as_deref(), Some("false"));
    let mode = &api.mode.as_ref().unwrap().origin;
    assert_eq!(mode[0].kind, OriginKind::Tfvars);
    // A trailing comment is not part of the step (nor of its literal).
    assert_eq!(scanned.text_of(mode[0].span), "mode = \"Optional\"");
    assert_eq!(literal(&mode[0]).as_deref(), Some("\"Optional\""));
    // The local only names the variable: the literal to change is the variable's default.
    let paths = &api.exclusion_paths.as_ref().unwrap().origin;
    let kinds: Vec<OriginKind> = paths.iter().map(|o| o.kind).collect();
    assert_eq!(kinds, [OriginKind::VariableDefault, OriginKind::Local]);
    assert_eq!(literal(&paths[0]).as_deref(), Some("\"/a\""));
    assert_eq!(literal(&paths[1]), None);

    // A `.tfvars.json` value, and a `--var` value, which no file holds.
    let scanned = scan_tree(
        &[
            ("main.tf", root),
            ("terraform.tfvars.json", "{\"mode\": \"Required\"}"),
        ],
        Inputs {
            vars: vec![("paths".into(), "/b".into())],
            ..Inputs::default()
        },
    );
    let api = scanned.find("azurerm_linux_web_app.api")[0];
    let mode = &api.mode.as_ref().unwrap().origin[0];
    assert_eq!(mode.kind, OriginKind::Tfvars);
    assert_eq!(scanned.text_of(mode.span), "\"mode\": \"Required\"");
    assert_eq!(
        mode.literal.map(|span| scanned.text_of(span)).as_deref(),
        Some("\"Required\"")
    );
    let paths = &api.exclusion_paths.as_ref().unwrap().origin[0];
    assert_eq!((paths.kind, paths.literal), (OriginKind::CommandLine, None));
}
