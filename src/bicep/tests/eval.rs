//! The evaluator: values, operators, functions, origins, unknowns with their reasons, and the
//! bounds that keep hostile files from hanging or crashing it.

use std::collections::HashMap;
use std::sync::Arc;

use crate::bicep::eval::Env;
use crate::bicep::project::Parsed;
use crate::bicep::scope::{Budget, Input, NESTING, Role, Scope};
use crate::source::SourceFile;
use crate::value::{Traced, Val};

use super::*;

/// Evaluates `expression` at the end of the Bicep file `text`, with `inputs` for parameters.
fn eval_with(text: &str, expression: &str, inputs: &[(&str, Val)]) -> (Traced, String) {
    let full = format!("{text}\nvar probe = {expression}\n");
    let result = parse(0, &full);
    assert!(result.errors.is_empty(), "{:?}", result.errors);
    let source = Arc::new(SourceFile::new("main.bicep".into(), full.as_str()));
    let parsed = Parsed::new("main.bicep".into(), 0, source, result.program);
    let budget = Budget::default().with_nesting(NESTING);
    let inputs: HashMap<String, Input> = inputs
        .iter()
        .map(|(name, val)| {
            let input = Input {
                traced: Traced::here(val.clone()),
                from_file: false,
            };
            (name.to_string(), input)
        })
        .collect();
    let scope = Scope::new(
        &parsed,
        Role::Template,
        inputs,
        "no value in any parameter file".into(),
        &budget,
    );
    let Some(StatementKind::Var { value, .. }) = parsed.symbol("probe").map(|s| &s.kind) else {
        panic!("no probe");
    };
    (Env::new(&scope, None).eval(value), full)
}

fn eval_in(text: &str, expression: &str) -> Traced {
    eval_with(text, expression, &[]).0
}

fn eval(expression: &str) -> Val {
    eval_in("", expression).val
}

fn s(text: &str) -> Val {
    Val::String(text.into())
}

fn n(value: f64) -> Val {
    Val::Number(value)
}

fn unknown_reason(val: &Val) -> &str {
    match val {
        Val::Unknown(why) => why,
        other => panic!("expected an unknown value, got {other:?}"),
    }
}

/// The origin notes and the text each origin span covers.
fn origins(text: &str, expression: &str) -> Vec<(String, String)> {
    let (traced, full) = eval_with(text, expression, &[]);
    traced
        .origin
        .iter()
        .map(|o| (o.note.clone(), full[o.span.range()].to_string()))
        .collect()
}

#[test]
fn literals_strings_and_interpolation() {
    assert_eq!(eval("'Required'"), s("Required"));
    assert_eq!(eval("42"), n(42.0));
    assert_eq!(eval("null"), Val::Null);
    assert_eq!(eval("'web-${1 + 2}-${true}'"), s("web-3-True"));
    assert_eq!(eval("'''\nline ${x}\n'''"), s("line ${x}\n"));
    assert_eq!(eval("[1, 'a', [true]]").type_name(), "list");
}

#[test]
fn operators() {
    assert_eq!(eval("'Required' == 'required'"), Val::Bool(false));
    assert_eq!(eval("'Required' =~ 'required'"), Val::Bool(true));
    assert_eq!(eval("'a' !~ 'A'"), Val::Bool(false));
    assert_eq!(eval("1 != 2"), Val::Bool(true));
    assert_eq!(eval("!(1 < 2)"), Val::Bool(false));
    assert_eq!(eval("7 / 2 + 7 % 2 * 10 - -1"), n(14.0));
    assert_eq!(eval("null ?? 'x'"), s("x"));
    assert_eq!(eval("'y' ?? 'x'"), s("y"));
    assert_eq!(eval("true ? 'Required' : 'Optional'"), s("Required"));
    assert_eq!(eval("{ a: 1 }.?b"), Val::Null);
    assert_eq!(eval("{ a: { b: 'c' } }.?a.b"), s("c"));
    assert_eq!(eval("{ a: null }.a!"), Val::Null);
    assert_eq!(unknown_reason(&eval("1 / 0")), "division by zero");
    assert_eq!(
        unknown_reason(&eval("'a' =~ 1")),
        "`=~` compares two strings, got a string and a number"
    );
}

#[test]
fn logic_decides_with_one_known_side() {
    assert_eq!(
        eval("false && resourceGroup().location == 'x'"),
        Val::Bool(false)
    );
    assert_eq!(
        eval("resourceGroup().location == 'x' || true"),
        Val::Bool(true)
    );
    assert_eq!(
        unknown_reason(&eval("true && resourceGroup().location == 'x'")),
        "function `resourceGroup()` is only known at deployment time"
    );
    assert_eq!(
        eval("resourceGroup().tags.x ? 'Required' : 'Required'"),
        s("Required")
    );
    assert!(eval("resourceGroup().tags.x ? 'Required' : 'Optional'").is_unknown());
}

#[test]
fn objects_spreads_arrays_and_access() {
    let text = "var base = { clientCertEnabled: false, clientCertMode: 'Required' }\n\
                var list = ['a', ...['b', 'c']]";
    assert_eq!(
        eval_in(
            text,
            "{ ...base, ClientCertEnabled: true }.clientCertEnabled"
        )
        .val,
        Val::Bool(true)
    );
    assert_eq!(
        eval_in(
            text,
            "{ clientCertMode: 'Optional', ...base }.clientCertMode"
        )
        .val,
        s("Required")
    );
    assert_eq!(eval_in(text, "list[2]").val, s("c"));
    assert_eq!(eval_in(text, "length(list)").val, n(3.0));
    assert_eq!(eval_in(text, "base['clientCertMode']").val, s("Required"));
    assert_eq!(
        unknown_reason(&eval_in(text, "base.other").val),
        "variable `base` has no property `other`"
    );
    assert_eq!(
        unknown_reason(&eval_in(text, "list[5]").val),
        "variable `list` has no index [5] (length 3)"
    );
}

#[test]
fn functions_shared_with_arm_and_bicep_only_ones() {
    assert_eq!(eval("toLower('ReQuired')"), s("required"));
    assert_eq!(eval("sys.toUpper('a')"), s("A"));
    assert_eq!(eval("bool('TRUE')"), Val::Bool(true));
    assert_eq!(eval("contains(['a', 'b'], 'b')"), Val::Bool(true));
    assert_eq!(eval("empty({})"), Val::Bool(true));
    assert_eq!(eval("union({ a: 1 }, { b: 2 }).b"), n(2.0));
    assert_eq!(eval("concat('a', 'b')"), s("ab"));
    assert_eq!(eval("format('{0}-{1}', 'a', 2)"), s("a-2"));
    assert_eq!(eval("string(false)"), s("False"));
    assert_eq!(eval("coalesce(null, 'x', resourceGroup().id)"), s("x"));
    assert_eq!(
        eval("if(true, 'Required', resourceGroup().id)"),
        s("Required")
    );
    assert_eq!(eval("any('x')"), s("x"));
    assert_eq!(eval("items({ a: 1 })[0].key"), s("a"));
    assert_eq!(
        eval("objectKeys({ a: 1, b: 2 })"),
        Val::List(vec![s("a"), s("b")])
    );
    assert_eq!(eval("map([1, 2], x => x * 10)[1]"), n(20.0));
    assert_eq!(
        eval("filter(['a', 'bb'], (x, i) => length(x) > 1 || i > 5)"),
        Val::List(vec![s("bb")])
    );
    assert_eq!(eval("reduce([1, 2, 3], 0, (acc, x) => acc + x)"), n(6.0));
    assert_eq!(
        eval("[for (x, i) in ['a', 'b']: if (i > 0) toUpper(x)]"),
        Val::List(vec![s("B")])
    );
    assert_eq!(
        eval_in("func twice(x int) int => x * 2", "twice(21)").val,
        n(42.0)
    );
}

#[test]
fn unknown_values_name_what_could_not_be_resolved() {
    assert_eq!(
        unknown_reason(&eval("uniqueString(resourceGroup().id)")),
        "function `uniqueString()` is only known at deployment time"
    );
    assert_eq!(
        unknown_reason(&eval("base64('x')")),
        "function `base64()` is not evaluated by certgate"
    );
    assert_eq!(
        unknown_reason(&eval("readEnvironmentVariable('MTLS')")),
        "it reads environment variable `MTLS` (`readEnvironmentVariable()`), which is only known \
         where the deployment runs"
    );
    let text = "resource plan 'Microsoft.Web/serverfarms@2023-12-01' = { name: 'plan-${env}' }\n\
                resource old 'Microsoft.Web/sites@2023-12-01' existing = { name: 'old' }\n\
                module web './web.bicep' = { name: 'web' }\n\
                param env string = 'prod'";
    assert_eq!(eval_in(text, "plan.name").val, s("plan-prod"));
    assert_eq!(
        unknown_reason(&eval_in(text, "plan.properties.reserved").val),
        "`plan.properties` is only known once the resource is deployed"
    );
    assert_eq!(
        unknown_reason(&eval_in(text, "old.properties.clientCertEnabled").val),
        "`old.properties` is read from Azure at deployment time (`old` is an existing resource)"
    );
    assert_eq!(
        unknown_reason(&eval_in(text, "web.outputs.mode").val),
        "it uses output `mode` of module `web`, and certgate does not evaluate module outputs"
    );
    assert_eq!(
        unknown_reason(&eval("missing")),
        "`missing` is not declared in main.bicep"
    );
}

#[test]
fn parameters_take_inputs_then_defaults_then_nullable_then_unknown() {
    let text = "param mode string = 'Optional'\nparam tags object?\nparam noDefault bool";
    assert_eq!(eval_in(text, "mode").val, s("Optional"));
    let (traced, _) = eval_with(text, "mode", &[("mode", s("Required"))]);
    assert_eq!(traced.val, s("Required"));
    assert_eq!(eval_in(text, "tags").val, Val::Null);
    assert_eq!(eval_in(text, "tags.?env ?? 'dev'").val, s("dev"));
    assert_eq!(
        unknown_reason(&eval_in(text, "noDefault").val),
        "parameter `noDefault` has no default and no value in any parameter file"
    );
}

#[test]
fn origins_point_at_the_written_literal_then_each_hop() {
    let text = "@description('''\nThe mode.\n''')\nparam mode string = 'Optional'\n\
                var settings = {\n  mtls: { mode: mode, enabled: true }\n}\n\
                var alias = settings";
    assert_eq!(
        origins(text, "settings.mtls.enabled"),
        [(
            "`mtls.enabled` in variable `settings`".to_string(),
            "enabled: true".to_string()
        )]
    );
    assert_eq!(
        origins(text, "alias.mtls.mode"),
        [
            (
                "default of parameter `mode`".to_string(),
                "param mode string = 'Optional'".to_string()
            ),
            (
                "`mtls.mode` in variable `settings`".to_string(),
                "mode: mode".to_string()
            ),
            (
                "variable `alias`".to_string(),
                "var alias = settings".to_string()
            ),
        ]
    );
    // What decided a ternary is its condition's origin.
    let text = "param strict bool = false";
    assert_eq!(
        origins(text, "strict ? 'Required' : 'Optional'"),
        [(
            "default of parameter `strict`".to_string(),
            "param strict bool = false".to_string()
        )]
    );
    // A spread that sets the key is followed into the variable it spreads.
    let text = "var base = { clientCertMode: 'Optional' }";
    assert_eq!(
        origins(text, "{ ...base, clientCertEnabled: true }.clientCertMode"),
        [(
            "`clientCertMode` in variable `base`".to_string(),
            "clientCertMode: 'Optional'".to_string()
        )]
    );
}

#[test]
fn cycles_are_reported_not_looped() {
    let text = "var a = b\nvar b = a\nvar self = '${self}x'";
    assert_eq!(
        unknown_reason(&eval_in(text, "a").val),
        "values refer to each other in a cycle: variable `a` → variable `b` → variable `a`"
    );
    assert_eq!(
        unknown_reason(&eval_in(text, "self").val),
        "variable `self` refers to itself"
    );
}

#[test]
fn long_chains_stop_at_the_nesting_limit_on_a_small_stack() {
    let mut text = String::from("var v0 = 'end'\n");
    for i in 1..2000 {
        text.push_str(&format!("var v{i} = v{}\n", i - 1));
    }
    // Worker threads have 2 MiB stacks; the evaluation must fit in one, even in a debug build.
    let deep = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let far = eval_in(&text, "v1999").val;
            let near = eval_in(&text, "v40").val;
            (far, near)
        })
        .unwrap()
        .join()
        .unwrap();
    assert!(
        unknown_reason(&deep.0).contains("nests deeper"),
        "{:?}",
        deep.0
    );
    assert_eq!(deep.1, s("end"));
}

#[test]
fn exponential_values_stop_at_the_size_limit() {
    let mut text = String::from("var v0 = ['xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx']\n");
    for i in 1..64 {
        text.push_str(&format!("var v{i} = concat(v{0}, v{0})\n", i - 1));
    }
    let val = eval_in(&text, "length(v63)").val;
    assert!(
        unknown_reason(&val).contains("larger than 4 MiB"),
        "{val:?}"
    );
}

#[test]
fn random_token_soup_never_panics() {
    let tokens = [
        "toLower(",
        "union(",
        "coalesce(",
        "map(",
        "filter(",
        "reduce(",
        "items(",
        "x => ",
        "(a, b) => ",
        "a",
        "b",
        "'s'",
        "'${",
        "}'",
        "1",
        "-1",
        "0",
        "null",
        "true",
        "{",
        "}",
        "[",
        "]",
        "(",
        ")",
        ",",
        ":",
        "...",
        ".",
        ".?",
        "[?",
        "!",
        "?",
        "??",
        "==",
        "=~",
        "&&",
        "||",
        "+",
        "/",
        "%",
        "for x in ",
        "if (",
        " ",
    ];
    let text = "var a = [1, 2]\nvar b = { c: a }\nfunc f(x int) int => x";
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..5_000 {
        let mut expression = String::new();
        for _ in 0..(state % 10 + 1) {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            expression.push_str(tokens[(state >> 33) as usize % tokens.len()]);
        }
        let full = format!("{text}\nvar probe = {expression}\n");
        let result = parse(0, &full);
        let source = Arc::new(SourceFile::new("main.bicep".into(), full.as_str()));
        let parsed = Parsed::new("main.bicep".into(), 0, source, result.program);
        let budget = Budget::default().with_nesting(NESTING);
        let scope = Scope::new(
            &parsed,
            Role::Template,
            HashMap::new(),
            String::new(),
            &budget,
        );
        if let Some(StatementKind::Var { value, .. }) = parsed.symbol("probe").map(|s| &s.kind) {
            let _ = Env::new(&scope, None).eval(value);
        }
    }
}

#[test]
fn an_origin_marks_the_literal_written_there_not_one_inside_parentheses() {
    use crate::model::OriginKind::{ParameterDefault, Variable};
    let text = "param strict bool = (false)\nvar settings = { mode: 'Optional', paths: ['/a'] }";
    let literals = |expression: &str| {
        let (traced, full) = eval_with(text, expression, &[]);
        traced
            .origin
            .iter()
            .map(|o| (o.kind, o.literal.map(|span| full[span.range()].to_string())))
            .collect::<Vec<_>>()
    };
    assert_eq!(literals("strict"), [(ParameterDefault, None)]);
    assert_eq!(
        literals("settings.mode"),
        [(Variable, Some("'Optional'".to_string()))]
    );
    assert_eq!(
        literals("settings.paths[0]"),
        [(Variable, Some("'/a'".to_string()))]
    );
    assert_eq!(literals("settings"), [(Variable, None)]);
}

#[test]
fn a_variable_union_origin_is_the_member_of_the_argument_that_decides() {
    // The unknown first argument does not hide the member the last one writes.
    assert_eq!(
        origins(
            "param shared object\nvar p = union(shared, {\n  mode: 'Optional'\n})",
            "p.mode"
        ),
        [("`mode` in variable `p`".into(), "mode: 'Optional'".into())]
    );
}

#[test]
fn a_variable_conditional_origin_is_the_member_of_the_branch_a_known_condition_picks() {
    assert_eq!(
        origins(
            "param prod bool = true\nvar p = prod ? { mode: 'Optional' } : { mode: 'Required' }",
            "p.mode"
        ),
        [("`mode` in variable `p`".into(), "mode: 'Optional'".into())]
    );
}

#[test]
fn a_deep_access_into_a_variable_union_reads_the_merged_object() {
    // ARM merges nested objects: the last argument alone does not decide `a.b`.
    assert_eq!(
        eval_in("var p = union({ a: { b: 1 } }, { a: { c: 2 } })", "p.a.b").val,
        n(1.0)
    );
}
