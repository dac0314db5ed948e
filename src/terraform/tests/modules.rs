//! Module calls: local and installed modules, instances, roots, recursion, provider version.

use super::{data, scan_tree};
use crate::error::Level;
use crate::model::{CertControl, CertMode, Data};
use crate::terraform::Inputs;

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
        Inputs::default(),
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
        Inputs::default(),
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
        Inputs::default(),
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
    let scanned = scan_tree(&[("main.tf", root)], Inputs::default());
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
        Inputs::default(),
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
        Inputs::default(),
    );
    let errors = scanned.messages(Level::Error);
    assert!(!errors.is_empty());
    assert!(
        errors.iter().all(|e| e.contains("calls itself")),
        "{errors:?}"
    );
    assert!(!scanned.scan.resources.is_empty());
    let selfish = "module \"me\" {\n  source = \"./\"\n}\n";
    let scanned = scan_tree(&[("main.tf", selfish)], Inputs::default());
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
        Inputs::default(),
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
        let scanned = scan_tree(files, Inputs::default());
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

/// A module that calls `next` twice (`a` and `b`), passing `enabled` on.
fn calls_twice(next: &str) -> String {
    let variable = "variable \"enabled\" {\n  type = bool\n}\n";
    let call = |name: &str| {
        format!("module \"{name}\" {{\n  source  = \"{next}\"\n  enabled = var.enabled\n}}\n")
    };
    format!("{variable}{}{}", call("a"), call("b"))
}

#[test]
fn module_instances_past_the_bound_are_judged_once_with_unknown_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let root = format!(
        "variable \"enabled\" {{\n  default = true\n}}\n{}",
        calls_twice("./m1").split_once("}\n").unwrap().1
    );
    let leaf = "variable \"enabled\" {}\nresource \"azurerm_linux_web_app\" \"leaf\" {\n  \
                client_certificate_enabled = var.enabled\n  client_certificate_mode = \"Required\"\n}\n";
    for (path, text) in [
        ("main.tf", root.as_str()),
        ("m1/main.tf", &calls_twice("../m2")),
        ("m2/main.tf", &calls_twice("../m3")),
        ("m3/main.tf", leaf),
    ] {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
    let sources = crate::source::SourceMap::default();
    let loader = crate::load::Loader::new(&sources);
    let mut project = crate::terraform::project::Project::new(&loader, &Inputs::default());
    // 14 instances (2 + 4 + 8) against a bound of 6: in depth-first order m1 (a), m2 (a.a),
    // m3 (a.a.a, a.a.b), m2 (a.b), m3 (a.b.a) are evaluated; then each directory is judged
    // once more with unknown inputs where the bound is met (m3 at a.b.b, m1 at b, m2 at b.a),
    // and not again.
    project.max_module_instances = 6;
    let (resources, errors) = project.judge_root(&crate::paths::normalize(dir.path()));
    assert!(errors.is_empty(), "{errors:?}");
    let mut judged: Vec<(&str, Option<&Data>)> = resources
        .iter()
        .map(|r| (r.address.as_str(), data(&r.enabled)))
        .collect();
    judged.sort_by_key(|(address, _)| *address);
    let leaf = |path: &str| format!("{path}azurerm_linux_web_app.leaf");
    let addresses: Vec<&str> = judged.iter().map(|(a, _)| *a).collect();
    assert_eq!(
        addresses,
        [
            leaf("module.a.module.a.module.a."),
            leaf("module.a.module.a.module.b."),
            leaf("module.a.module.b.module.a."),
            leaf("module.a.module.b.module.b."),
        ]
    );
    for (address, enabled) in &judged[..3] {
        assert_eq!(*enabled, Some(&Data::Bool(true)), "{address}");
    }
    let Some(Data::Unknown(why)) = judged[3].1 else {
        panic!("{:?}", judged[3]);
    };
    assert!(
        why.contains("more than 6 module instances, the most certgate evaluates per root"),
        "{why}"
    );
    assert!(why.contains("inputs of module `b`"), "{why}");
}

#[test]
fn instances_of_a_call_with_the_same_inputs_keep_their_own_addresses() {
    let dir = tempfile::tempdir().unwrap();
    let root = "module \"same\" {\n  source = \"./web\"\n  count = 3\n  mtls = true\n}\n\
                module \"differs\" {\n  source = \"./web\"\n  count = 2\n  mtls = count.index == 1\n}\n";
    let web = "variable \"mtls\" {}\nmodule \"slot\" {\n  source = \"./slot\"\n  count = 2\n  mtls = var.mtls\n}\n\
               resource \"azurerm_linux_web_app\" \"this\" {\n  client_certificate_enabled = var.mtls\n}\n";
    let slot = "variable \"mtls\" {}\nresource \"azurerm_linux_web_app_slot\" \"this\" {\n  \
                client_certificate_enabled = var.mtls\n}\n";
    for (path, text) in [
        ("main.tf", root),
        ("web/main.tf", web),
        ("web/slot/main.tf", slot),
    ] {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
    let sources = crate::source::SourceMap::default();
    let loader = crate::load::Loader::new(&sources);
    let project = crate::terraform::project::Project::new(&loader, &Inputs::default());
    let (resources, errors) = project.judge_root(&crate::paths::normalize(dir.path()));
    assert!(errors.is_empty(), "{errors:?}");
    let mut judged: Vec<(String, Option<&Data>)> = resources
        .iter()
        .map(|r| (r.instance.clone().unwrap_or_default(), data(&r.enabled)))
        .collect();
    judged.sort_by(|a, b| a.0.cmp(&b.0));
    let on = Some(&Data::Bool(true));
    let off = Some(&Data::Bool(false));
    let expected: Vec<(String, Option<&Data>)> = [
        ("module.differs[0].azurerm_linux_web_app.this", off),
        (
            "module.differs[0].module.slot[0].azurerm_linux_web_app_slot.this",
            off,
        ),
        (
            "module.differs[0].module.slot[1].azurerm_linux_web_app_slot.this",
            off,
        ),
        ("module.differs[1].azurerm_linux_web_app.this", on),
        (
            "module.differs[1].module.slot[0].azurerm_linux_web_app_slot.this",
            on,
        ),
        (
            "module.differs[1].module.slot[1].azurerm_linux_web_app_slot.this",
            on,
        ),
        ("module.same[0].azurerm_linux_web_app.this", on),
        (
            "module.same[0].module.slot[0].azurerm_linux_web_app_slot.this",
            on,
        ),
        (
            "module.same[0].module.slot[1].azurerm_linux_web_app_slot.this",
            on,
        ),
        ("module.same[1].azurerm_linux_web_app.this", on),
        (
            "module.same[1].module.slot[0].azurerm_linux_web_app_slot.this",
            on,
        ),
        (
            "module.same[1].module.slot[1].azurerm_linux_web_app_slot.this",
            on,
        ),
        ("module.same[2].azurerm_linux_web_app.this", on),
        (
            "module.same[2].module.slot[0].azurerm_linux_web_app_slot.this",
            on,
        ),
        (
            "module.same[2].module.slot[1].azurerm_linux_web_app_slot.this",
            on,
        ),
    ]
    .into_iter()
    .map(|(instance, enabled)| (instance.to_string(), enabled))
    .collect();
    assert_eq!(judged, expected);
}

#[test]
fn a_module_argument_origin_carries_its_kind_and_literal() {
    use crate::model::OriginKind;
    let root = "module \"public\" {\n  source = \"./web\"\n  mtls = false\n  mode = var.mode\n}\nvariable \"mode\" {\n  default = \"Optional\"\n}\n";
    let scanned = scan_tree(
        &[("main.tf", root), ("web/main.tf", WEB_MODULE)],
        Inputs::default(),
    );
    let public = scanned.find("module.public.azurerm_linux_web_app.this")[0];
    let enabled = &public.enabled.as_ref().unwrap().origin[0];
    assert_eq!(enabled.kind, OriginKind::ModuleArgument);
    assert_eq!(
        enabled.literal.map(|span| scanned.text_of(span)).as_deref(),
        Some("false")
    );
    // A reference passed on: the literal is the caller's default, the argument has none.
    let mode = &public.mode.as_ref().unwrap().origin;
    let kinds: Vec<OriginKind> = mode.iter().map(|o| o.kind).collect();
    assert_eq!(
        kinds,
        [OriginKind::VariableDefault, OriginKind::ModuleArgument]
    );
    assert_eq!(mode[1].literal, None);
}
