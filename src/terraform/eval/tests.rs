//! Unit tests of the evaluator: operators, templates, references, functions, unknown versus
//! error, locals and their cycles, and the evaluation limits.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use super::*;
use crate::source::SourceFile;
use crate::terraform::instance::{ModuleScope, VarSource};
use crate::terraform::module::{Module, ModuleFile, assemble};

fn module(text: &str) -> Module {
    let file = ModuleFile {
        id: 0,
        source: Arc::new(SourceFile::new("m/main.tf".into(), text)),
    };
    let module = assemble(PathBuf::from("m"), &[file]);
    assert!(module.errors.is_empty(), "{:?}", module.errors);
    module
}

/// Evaluates `expr` in a module declaring `decls`, with `keys` for `count` / `each`.
fn eval_with(decls: &str, expr: &str, keys: InstanceKeys) -> Outcome {
    let module = module(decls);
    let budget = super::budget();
    let assignments = HashMap::new();
    let scope = ModuleScope::new(&module, VarSource::Root(&assignments), &budget, ".".into());
    let instance = scope.instance(keys);
    let expr = parse_expression(expr).expect("test expressions parse");
    eval(&expr, &Env::new(&instance))
}

const DECLS: &str = r#"
variable "on" {
  default = true
}
variable "unset" {
  type = bool
}
variable "settings" {
  default = { mtls = false, mode = "Optional", tags = ["a", "b"] }
}
variable "flag" {
  type    = bool
  default = "true"
}
"#;

fn val(expr: &str) -> Val {
    eval_with(DECLS, expr, InstanceKeys::None)
        .unwrap_or_else(|e| panic!("`{expr}` failed: {e}"))
        .val
}

fn err(expr: &str) -> String {
    match eval_with(DECLS, expr, InstanceKeys::None) {
        Err(EvalError(message)) => message,
        Ok(value) => panic!("`{expr}` gave {:?}", value.val),
    }
}

fn unknown(expr: &str) -> String {
    match val(expr) {
        Val::Unknown(reason) => reason,
        other => panic!("`{expr}` gave {other:?}"),
    }
}

fn s(text: &str) -> Val {
    Val::String(text.into())
}

#[test]
fn operators() {
    assert_eq!(val("1 + 2 * 3"), Val::Number(7.0));
    assert_eq!(val("(7 - 1) / 4 % 1"), Val::Number(0.5));
    assert_eq!(val("-2 < 1 && 3 >= 3"), Val::Bool(true));
    assert_eq!(val("\"a\" == \"a\""), Val::Bool(true));
    // `==` compares types too, as Terraform's does.
    assert_eq!(val("1 == \"1\""), Val::Bool(false));
    assert_eq!(val("[1, {a = null}] != [1, {a = null}]"), Val::Bool(false));
    assert_eq!(val("!true || false"), Val::Bool(false));
    assert_eq!(val("!\"false\""), Val::Bool(true));
    assert!(err("1 / 0").contains("division by zero"));
    assert!(
        err("!\"yes\"").contains("not a bool"),
        "{}",
        err("!\"yes\"")
    );
    assert!(err("null && true").contains("is null"));
}

#[test]
fn unknown_operands_decide_only_when_they_must() {
    assert_eq!(val("var.unset || true"), Val::Bool(true));
    assert_eq!(val("false && var.unset"), Val::Bool(false));
    assert!(unknown("var.unset && true").starts_with("variable `unset` has no default"));
    assert!(unknown("var.unset == false").contains("`unset`"));
    assert!(unknown("!var.unset").contains("`unset`"));
}

#[test]
fn conditionals() {
    assert_eq!(val("var.on ? \"Required\" : \"Optional\""), s("Required"));
    assert_eq!(val("var.settings.mtls ? 1 : 2"), Val::Number(2.0));
    // An unknown condition with equal branches still decides.
    assert_eq!(
        val("var.unset ? \"Required\" : \"Required\""),
        s("Required")
    );
    assert!(unknown("var.unset ? \"Required\" : \"Optional\"").contains("`unset`"));
    // Only the chosen branch's errors count.
    assert_eq!(val("true ? 1 : var.settings.missing"), Val::Number(1.0));
    assert!(err("\"maybe\" ? 1 : 2").contains("not a bool"));
}

#[test]
fn templates() {
    // A lone interpolation yields the value itself.
    assert_eq!(val("\"${var.on}\""), Val::Bool(true));
    assert_eq!(val("\"n-${1}-${true}\""), s("n-1-true"));
    assert_eq!(val("\"a ${~ \"b\" ~} c\""), s("abc"));
    assert_eq!(val("\"%{ if var.on }yes%{ else }no%{ endif }\""), s("yes"));
    assert_eq!(
        val("\"%{ for t in var.settings.tags }[${t}]%{ endfor }\""),
        s("[a][b]")
    );
    assert_eq!(val("\"$${x} %%{y}\""), s("${x} %{y}"));
    assert!(unknown("\"x-${var.unset}\"").contains("`unset`"));
    assert!(err("\"x-${null}\"").contains("null"));
    assert!(err("\"x-${[1]}\"").contains("list"));
}

#[test]
fn json_strings_are_templates() {
    let module = module(DECLS);
    let budget = super::budget();
    let assignments = HashMap::new();
    let scope = ModuleScope::new(&module, VarSource::Root(&assignments), &budget, ".".into());
    let instance = scope.instance(InstanceKeys::None);
    let env = Env::new(&instance);
    assert_eq!(json_string("${var.on}", &env).unwrap().val, Val::Bool(true));
    assert_eq!(json_string("$${var.on}", &env).unwrap().val, s("${var.on}"));
    assert_eq!(json_string("plain", &env).unwrap().val, s("plain"));
    assert!(
        json_string("${", &env)
            .unwrap_err()
            .0
            .starts_with("invalid template")
    );
    let deep = format!("{}1{}", "${[".repeat(40), "]}".repeat(40));
    assert!(
        json_string(&deep, &env)
            .unwrap_err()
            .0
            .contains("nests deeper")
    );
}

#[test]
fn traversals() {
    assert_eq!(val("var.settings.mode"), s("Optional"));
    assert_eq!(val("var.settings[\"mode\"]"), s("Optional"));
    assert_eq!(val("var.settings.tags[1]"), s("b"));
    assert_eq!(val("var.settings.tags.0"), s("a"));
    assert!(err("var.settings.missing").contains("no attribute `missing`"));
    assert!(err("var.settings.tags[2]").contains("out of range"));
    assert!(err("var.settings.mode.x").contains("of a string"));
    assert!(err("null.x").contains("of null") || err("null.x").contains("no name"));
    assert!(unknown("var.settings.tags[*]").contains("splat"));
    assert!(unknown("var.unset.x").contains("`unset`"));
}

#[test]
fn references() {
    assert!(err("var.missing").contains("no variable `missing`"));
    assert!(err("local.missing").contains("no local `missing`"));
    assert!(err("count.index").contains("needs `count`"));
    assert!(err("each.key").contains("needs `for_each`"));
    assert!(err("var").contains("must be followed"));
    assert!(err("nonsense").contains("no name `nonsense`"));
    assert_eq!(val("path.module"), s("m"));
    assert!(unknown("terraform.workspace").contains("workspace"));
    assert!(
        unknown("data.azurerm_client_config.current.tenant_id")
            .contains("data.azurerm_client_config.current")
    );
    assert!(unknown("module.web.mtls").contains("module `web`"));
    assert!(unknown("azurerm_service_plan.plan.id").contains("`azurerm_service_plan.plan`"));
    let count = eval_with(DECLS, "count.index == 0", InstanceKeys::Count(0)).unwrap();
    assert_eq!(count.val, Val::Bool(true));
    let each = InstanceKeys::Each {
        key: "a".into(),
        value: Traced::here(Val::Bool(false)),
        fills: Vec::new(),
    };
    let each = eval_with(DECLS, "\"${each.key}:${each.value}\"", each).unwrap();
    assert_eq!(each.val, s("a:false"));
    let unresolved = InstanceKeys::Unknown("`count` cannot be resolved: why".into());
    let reason = eval_with(DECLS, "count.index", unresolved).unwrap().val;
    assert_eq!(
        reason,
        Val::unknown("it depends on `count.index`, and `count` cannot be resolved: why")
    );
}

#[test]
fn variables_convert_to_their_type() {
    assert_eq!(val("var.flag"), Val::Bool(true));
}

#[test]
fn functions() {
    assert_eq!(val("tobool(\"true\")"), Val::Bool(true));
    assert_eq!(val("tobool(null)"), Val::Null);
    assert!(err("tobool(\"yes\")").starts_with("`tobool`: "));
    assert_eq!(val("tostring(12)"), s("12"));
    assert_eq!(val("lower(\"REQUIRED\")"), s("required"));
    assert_eq!(val("upper(true)"), s("TRUE"));
    assert_eq!(val("coalesce(null, \"\", \"Required\")"), s("Required"));
    assert!(err("coalesce(null, \"\")").contains("non-null"));
    assert!(unknown("coalesce(null, var.unset, true)").contains("`unset`"));
    assert_eq!(val("coalesce(\"x\", var.unset)"), s("x"));
    assert_eq!(val("contains([\"a\", \"b\"], \"b\")"), Val::Bool(true));
    assert_eq!(
        val("lookup(var.settings, \"mode\", \"Required\")"),
        s("Optional")
    );
    assert_eq!(
        val("lookup(var.settings, \"nope\", \"Required\")"),
        s("Required")
    );
    assert!(err("lookup(var.settings, \"nope\")").contains("no default"));
    assert_eq!(val("length(var.settings.tags)"), Val::Number(2.0));
    assert_eq!(val("merge({a = 1}, null, {a = 2}).a"), Val::Number(2.0));
    assert_eq!(val("keys({b = 1, a = 2})"), Val::List(vec![s("a"), s("b")]));
    assert_eq!(
        val("values({b = 1, a = 2})"),
        Val::List(vec![Val::Number(2.0), Val::Number(1.0)])
    );
    assert_eq!(
        val("toset([\"b\", \"a\", \"b\"])"),
        Val::List(vec![s("a"), s("b")])
    );
    assert_eq!(val("tolist(toset([\"a\"]))"), Val::List(vec![s("a")]));
    assert_eq!(val("tomap({a = 1}).a"), Val::Number(1.0));
    assert_eq!(val("join(\";\", concat([\"/a\"], [\"/b\"]))"), s("/a;/b"));
    assert_eq!(val("split(\";\", \"/a;/b\")[1]"), s("/b"));
    assert_eq!(val("alltrue([true, \"true\"])"), Val::Bool(true));
    assert_eq!(val("one([])"), Val::Null);
    assert_eq!(val("nonsensitive(sensitive(\"Required\"))"), s("Required"));
    assert_eq!(
        val("concat([\"a\"], [[\"b\"]]...)"),
        Val::List(vec![s("a"), s("b")])
    );
    assert!(unknown("lower(var.unset)").contains("`unset`"));
    assert_eq!(
        unknown("cidrsubnet(\"10.0.0.0/8\", 8, 1)"),
        "certgate does not evaluate the function `cidrsubnet`"
    );
    assert!(
        unknown("provider::azurerm::normalise_resource_id(\"x\")")
            .contains("`provider::azurerm::normalise_resource_id`")
    );
    assert!(err("lower(\"a\", \"b\")").contains("takes 1 argument"));
}

#[test]
fn try_and_can_catch_errors_but_not_unknowns() {
    assert_eq!(
        val("try(var.settings.missing, \"Required\")"),
        s("Required")
    );
    assert_eq!(val("try(var.settings.mode, \"Required\")"), s("Optional"));
    assert!(unknown("try(var.unset, false)").contains("`unset`"));
    assert!(err("try(var.settings.a, var.settings.b)").contains("no argument succeeded"));
    assert_eq!(val("can(var.settings.missing)"), Val::Bool(false));
    assert_eq!(val("can(var.settings.mtls)"), Val::Bool(true));
    assert!(unknown("can(var.unset)").contains("`unset`"));
}

#[test]
fn for_expressions() {
    assert_eq!(
        val("[for t in var.settings.tags : upper(t)]"),
        Val::List(vec![s("A"), s("B")])
    );
    assert_eq!(
        val("{for i, t in var.settings.tags : t => i if t != \"a\"}"),
        Val::Object(BTreeMap::from([("b".to_string(), Val::Number(1.0))]))
    );
    assert_eq!(
        val("{for t in [\"x\", \"x\"] : t => t...}"),
        Val::Object(BTreeMap::from([(
            "x".to_string(),
            Val::List(vec![s("x"), s("x")])
        )]))
    );
    assert!(err("{for t in [\"x\", \"x\"] : t => t}").contains("twice"));
    assert!(unknown("[for t in var.unset : t]").contains("`unset`"));
}

#[test]
fn locals_resolve_in_any_order_with_origins() {
    let decls = "locals {\n  mode = local.strict ? \"Required\" : \"Optional\"\n}\nlocals {\n  strict = var.environment == \"prod\"\n}\nvariable \"environment\" {\n  default = \"prod\"\n}\n";
    let traced = eval_with(decls, "local.mode", InstanceKeys::None).unwrap();
    assert_eq!(traced.val, s("Required"));
    let notes: Vec<&str> = traced.origin.iter().map(|o| o.note.as_str()).collect();
    // The value was written in local `mode`; the condition only picked it.
    assert_eq!(notes, ["local `mode`"]);
}

#[test]
fn local_cycles_are_unknown_naming_the_cycle() {
    let decls = "locals {\n  a = local.b\n  b = local.c\n  c = local.a\n  d = local.d\n}\n";
    let reason = match eval_with(decls, "local.a", InstanceKeys::None).unwrap().val {
        Val::Unknown(reason) => reason,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        reason,
        "locals refer to each other in a cycle: `local.a` → `local.b` → `local.c` → `local.a`"
    );
    let reason = eval_with(decls, "local.d", InstanceKeys::None).unwrap().val;
    assert_eq!(
        reason,
        Val::unknown("locals refer to each other in a cycle: `local.d` → `local.d`")
    );
    assert!(err("local.x").contains("no local"));
}

#[test]
fn locals_cannot_use_instance_keys() {
    let decls = "locals {\n  i = count.index\n}\n";
    let outcome = eval_with(decls, "local.i", InstanceKeys::Count(1));
    assert!(outcome.unwrap_err().0.contains("cannot be used here"));
}

/// Runs `f` on a thread with the 2 MiB stack that spawned (and rayon) threads get.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .expect("evaluation must not overflow the stack")
}

#[test]
fn deep_local_chains_stop_at_the_depth_limit() {
    // Cheap levels meet the depth limit; templates, with their large debug frames, the stack
    // limit. Either way the result is an unknown, not a crash.
    for form in [
        "!(!(try(local.l{p}, false)))",
        "\"a-${local.l{p}}\"",
        "\"%{ if true }${local.l{p}}%{ endif }\"",
        "[for x in [1] : local.l{p}][0]",
    ] {
        let n = 5000;
        let mut decls = String::from("locals {\n  l0 = true\n");
        for i in 1..n {
            let expr = form.replace("{p}", &(i - 1).to_string());
            decls.push_str(&format!("  l{i} = {expr}\n"));
        }
        decls.push_str("}\n");
        let reason = on_small_stack(move || {
            match eval_with(&decls, &format!("local.l{}", n - 1), InstanceKeys::None) {
                Ok(traced) => first_unknown(&traced.val).map(str::to_string),
                Err(e) => Some(e.0),
            }
        });
        let reason = reason.unwrap_or_default();
        assert!(reason.contains("nest too deeply"), "{form}: {reason}");
    }
}

#[test]
fn exponential_locals_stop_at_the_step_limit() {
    let mut decls = String::from("locals {\n  l0 = [1, 2, 3, 4]\n");
    for i in 1..40 {
        let prev = format!("local.l{}", i - 1);
        decls.push_str(&format!("  l{i} = [{prev}, {prev}, {prev}, {prev}]\n"));
    }
    decls.push_str("}\n");
    let started = std::time::Instant::now();
    let traced = eval_with(&decls, "local.l39", InstanceKeys::None).unwrap();
    assert!(
        first_unknown(&traced.val).is_some_and(|r| r.contains("steps")),
        "{:?}",
        first_unknown(&traced.val)
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn constants_refuse_names() {
    let expr = parse_expression("var.x").unwrap();
    assert!(
        constant(&expr)
            .unwrap_err()
            .0
            .contains("cannot be used here")
    );
    assert_eq!(
        constant(&parse_expression("[true]").unwrap()),
        Ok(Val::List(vec![Val::Bool(true)]))
    );
    assert!(
        parse_expression(&"[".repeat(100))
            .unwrap_err()
            .contains("nests deeper")
    );
}

const BLOCKS: &str = r#"
resource "azurerm_service_plan" "plan" {
  os_type = "Linux"
  name    = "plan-${azurerm_service_plan.plan.os_type}"
}
resource "terraform_data" "counted" {
  count = 2
  input = count.index * 10
}
resource "terraform_data" "keyed" {
  for_each = { a = "Optional" }
  input    = each.value
}
resource "terraform_data" "loop_a" {
  input = terraform_data.loop_b.input
}
resource "terraform_data" "loop_b" {
  input = terraform_data.loop_a.input
}
data "azurerm_service_plan" "shared" {
  name = "plan-shared"
}
locals {
  base     = { mode = "Required", plan = azurerm_service_plan.plan.id }
  settings = merge(local.base, { extra = true })
}
"#;

fn in_blocks(expr: &str) -> Outcome {
    eval_with(BLOCKS, expr, InstanceKeys::None)
}

#[test]
fn arguments_written_in_other_blocks_are_known_with_their_origin() {
    let os = in_blocks("azurerm_service_plan.plan.os_type").unwrap();
    assert_eq!(os.val, s("Linux"));
    let hop = os.origin.last().expect("an origin hop");
    assert_eq!(hop.kind, crate::model::OriginKind::ResourceArgument);
    assert!(
        hop.note.contains("`azurerm_service_plan.plan`"),
        "{}",
        hop.note
    );
    // Evaluated in the block's own instance, with its own keys.
    assert_eq!(
        in_blocks("azurerm_service_plan.plan.name").unwrap().val,
        s("plan-Linux")
    );
    assert_eq!(
        in_blocks("terraform_data.counted[1].input").unwrap().val,
        Val::Number(10.0)
    );
    assert_eq!(
        in_blocks("terraform_data.keyed[\"a\"].input").unwrap().val,
        s("Optional")
    );
    assert_eq!(
        in_blocks("data.azurerm_service_plan.shared.name")
            .unwrap()
            .val,
        s("plan-shared")
    );
}

#[test]
fn computed_attributes_and_bad_instance_keys_stay_unknown_or_fail_as_terraform_would() {
    let computed = in_blocks("azurerm_service_plan.plan.id").unwrap().val;
    assert!(matches!(&computed, Val::Unknown(r) if r.contains("known only after apply")));
    let read = in_blocks("data.azurerm_service_plan.shared.kind")
        .unwrap()
        .val;
    assert!(matches!(&read, Val::Unknown(r) if r.contains("known only when Terraform runs")));
    let missing = in_blocks("terraform_data.counted[5].input").unwrap_err().0;
    assert!(missing.contains("has no instance [5]"), "{missing}");
    let unkeyed = in_blocks("terraform_data.counted.input").unwrap_err().0;
    assert!(unkeyed.contains("refer to one instance"), "{unkeyed}");
    let cycle = in_blocks("terraform_data.loop_a.input").unwrap().val;
    assert!(
        matches!(&cycle, Val::Unknown(r) if r.contains("cycle") && r.contains("`terraform_data.loop_a.input`")),
        "{cycle:?}"
    );
}

#[test]
fn merge_keeps_known_members_next_to_unknown_ones() {
    assert_eq!(in_blocks("local.settings.mode").unwrap().val, s("Required"));
    assert_eq!(
        in_blocks("local.settings.extra").unwrap().val,
        Val::Bool(true)
    );
    let plan = in_blocks("local.settings.plan").unwrap().val;
    assert!(matches!(plan, Val::Unknown(_)), "{plan:?}");
    assert_eq!(
        in_blocks("length(local.settings)").unwrap().val,
        Val::Number(3.0)
    );
    // A function that looks inside its argument still needs all of it.
    let joined = in_blocks("tomap(local.settings)").unwrap().val;
    assert!(matches!(joined, Val::Unknown(_)), "{joined:?}");
    // A wholly unknown argument makes `merge` unknown.
    let whole = in_blocks("merge(azurerm_service_plan.plan.tags, {})")
        .unwrap()
        .val;
    assert!(matches!(whole, Val::Unknown(_)), "{whole:?}");
}

#[test]
fn optional_defaults_are_the_origin_of_the_members_they_fill() {
    use crate::model::OriginKind;
    let decls = r#"
variable "settings" {
  type = object({ mtls = optional(bool, true), mode = optional(string, "Optional"), name = string })
  default = { name = "x" }
}
variable "slots" {
  type = map(object({ mtls = optional(bool, !true) }))
  default = { a = {}, b = { mtls = true } }
}
"#;
    let at = |expr: &str| eval_with(decls, expr, InstanceKeys::None).unwrap();
    let has_default = |traced: &Traced| {
        traced
            .origin
            .iter()
            .any(|o| o.kind == OriginKind::TypeDefault)
    };
    let mtls = at("var.settings.mtls");
    assert_eq!(mtls.val, Val::Bool(true));
    let first = &mtls.origin[0];
    assert_eq!(first.kind, OriginKind::TypeDefault);
    assert!(first.note.contains("`mtls`"), "{}", first.note);
    assert!(
        first.literal.is_some(),
        "a literal default can be fixed in place"
    );
    // Members the value wrote itself, and the whole object, do not come from a default.
    assert!(!has_default(&at("var.settings.name")));
    assert!(!has_default(&at("var.settings")));
    // Per map element: only the element whose member was filled; a computed default is not a
    // literal to edit.
    let filled = at("var.slots[\"a\"].mtls");
    assert_eq!(filled.val, Val::Bool(false));
    assert_eq!(filled.origin[0].kind, OriginKind::TypeDefault);
    assert!(filled.origin[0].literal.is_none());
    assert!(!has_default(&at("var.slots.b.mtls")));
}

#[test]
fn jsonencode_and_jsondecode_round_trip_known_values_as_terraform_spells_them() {
    assert_eq!(
        val(r#"jsonencode({ b = [1, 2.5, true, null], a = "x<&>\"y" })"#),
        s(r#"{"a":"x\u003c\u0026\u003e\"y","b":[1,2.5,true,null]}"#)
    );
    assert_eq!(
        val(r#"jsondecode("{\"mode\": \"Required\", \"on\": true}").mode"#),
        s("Required")
    );
    assert_eq!(
        val(r#"jsondecode(jsonencode(var.settings)).mtls"#),
        Val::Bool(false)
    );
    assert!(err(r#"jsondecode("{nope")"#).contains("invalid JSON"));
    // An unknown anywhere inside leaves the text unknown.
    assert!(unknown("jsonencode({ a = var.unset })").contains("unset"));
}
