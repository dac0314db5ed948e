//! Expressions: literals, strings, collections, operators, access, calls, lambdas and loops.

use super::*;

#[test]
fn literals() {
    assert_eq!(shape(&expr("null")), "null");
    assert_eq!(shape(&expr("true")), "true");
    assert_eq!(shape(&expr("42")), "42");
    assert_eq!(shape(&expr("-1")), "(Minus 1)");
    assert_eq!(
        shape(&expr("'it\\'s \\\\ \\n \\$ \\u{263A}'")),
        "'it's \\ \n $ ☺'"
    );
}

#[test]
fn interpolated_strings_nest() {
    let value = expr("'site-${env}-${toLower('X${n}')}'");
    assert_eq!(shape(&value), "'site-${env}-${toLower('X${n}')}'");
    let ExprKind::String(string) = &value.kind else {
        panic!("{value:?}")
    };
    assert!(!string.multiline);
    assert_eq!(string.parts.len(), 4);
    // An object inside a hole: its braces do not close the hole.
    assert_eq!(shape(&expr("'${string({ a: 1 })}'")), "'${string({a: 1})}'");
}

#[test]
fn multiline_strings_verbatim_and_interpolated() {
    let verbatim = expr("'''\nline ${not} \\n\n'''");
    assert_eq!(shape(&verbatim), "'line ${not} \\n\n'");
    let interpolated = expr("$'''\nhello ${name}\n'''");
    assert_eq!(shape(&interpolated), "'hello ${name}\n'");
    let double = expr("$$'''\nkeep ${this} but $${that}\n'''");
    assert_eq!(shape(&double), "'keep ${this} but ${that}\n'");
    assert!(matches!(&double.kind, ExprKind::String(s) if s.multiline));
    let nested = expr("$'''\n${ {a: 'in${x}'}.a }\n'''");
    assert_eq!(shape(&nested), "'${{a: 'in${x}'}.a}\n'");
}

#[test]
fn objects_with_newlines_commas_spreads_and_string_keys() {
    assert_eq!(
        shape(&expr(
            "{\n  a: 1\n  'b-c': 2, d: 3\n\n  ...base\n  if: 4\n}"
        )),
        "{a: 1, b-c: 2, d: 3, ...base, if: 4}"
    );
    assert_eq!(shape(&expr("{ a: 1, b: { c: [] } }")), "{a: 1, b: {c: []}}");
    assert_eq!(shape(&expr("{}")), "{}");
}

#[test]
fn object_properties_keep_key_and_member_spans() {
    let text = "var x = {\n  clientCertMode: 'Required'\n}\n";
    let program = parse_ok(text);
    let StatementKind::Var { value, .. } = &program.statements[0].kind else {
        panic!()
    };
    let ExprKind::Object(object) = &value.kind else {
        panic!()
    };
    let property = object.property("clientcertmode").unwrap();
    assert_eq!(
        &text[property.key_span.start..property.key_span.end],
        "clientCertMode"
    );
    assert_eq!(
        &text[property.span.start..property.span.end],
        "clientCertMode: 'Required'"
    );
    assert_eq!(
        &text[property.value.span.start..property.value.span.end],
        "'Required'"
    );
}

#[test]
fn arrays_with_newlines_commas_and_spreads() {
    assert_eq!(
        shape(&expr("[\n  1\n  2, 3\n  ...rest\n]")),
        "[1, 2, 3, ...rest]"
    );
    assert_eq!(shape(&expr("['a', 'b']")), "['a', 'b']");
    // A leading `-` on a new line starts a new item rather than subtracting.
    assert_eq!(shape(&expr("[\n  1\n  -2\n]")), "[1, (Minus 2)]");
}

#[test]
fn operators_follow_bicep_precedence() {
    assert_eq!(
        shape(&expr("a ?? b || c && d == e + f * g")),
        "(a Coalesce (b Or (c And (d Equal (e Add (f Multiply g))))))"
    );
    assert_eq!(shape(&expr("a - b - c")), "((a Subtract b) Subtract c)");
    assert_eq!(
        shape(&expr("!a && b =~ 'x' || c !~ d")),
        "(((Not a) And (b EqualIgnoreCase 'x')) Or (c NotEqualIgnoreCase d))"
    );
    assert_eq!(
        shape(&expr("a >= 1 != b < 2")),
        "((a GreaterOrEqual 1) NotEqual (b Less 2))"
    );
    assert_eq!(
        shape(&expr("(a + b) * c % d / e")),
        "(((((a Add b)) Multiply c) Modulo d) Divide e)"
    );
}

#[test]
fn ternaries_nest_right_and_span_lines() {
    assert_eq!(shape(&expr("a ? b : c ? d : e")), "(a ? b : (c ? d : e))");
    assert_eq!(
        shape(&expr("enabled\n  ? 'Required'\n  : 'Optional'")),
        "(enabled ? 'Required' : 'Optional')"
    );
    assert_eq!(shape(&expr("a &&\n  b")), "(a And b)");
    assert_eq!(shape(&expr("a\n  && b")), "(a And b)");
}

#[test]
fn calls_access_and_assertions() {
    assert_eq!(shape(&expr("sys.concat('a', 'b')")), "sys.concat('a', 'b')");
    assert_eq!(
        shape(&expr("az.resourceGroup().location")),
        "az.resourceGroup().location"
    );
    assert_eq!(
        shape(&expr("storage.listKeys().keys[0].value")),
        "storage.listKeys().keys[0].value"
    );
    assert_eq!(shape(&expr("settings.?site.?mode")), "settings.?site.?mode");
    assert_eq!(shape(&expr("items[?0]")), "items[?0]");
    assert_eq!(shape(&expr("site!.properties")), "site!.properties");
    assert_eq!(shape(&expr("!flag!")), "(Not flag!)");
    assert_eq!(
        shape(&expr("site::slot::config.name")),
        "site::slot::config.name"
    );
    assert_eq!(shape(&expr("union(a, b,\n  c\n)")), "union(a, b, c)");
    assert_eq!(shape(&expr("f()")), "f()");
    assert_eq!(shape(&expr("x.if.for")), "x.if.for");
}

#[test]
fn lambdas() {
    assert_eq!(
        shape(&expr("map(xs, x => x.name)")),
        "map(xs, ((x) => x.name))"
    );
    assert_eq!(
        shape(&expr("reduce(xs, 0, (acc, x) => acc + x)")),
        "reduce(xs, 0, ((acc, x) => (acc Add x)))"
    );
    assert_eq!(shape(&expr("() => 1")), "(() => 1)");
    assert_eq!(
        shape(&expr("map(xs, (x) => {\n  name: x\n})")),
        "map(xs, ((x) => {name: x}))"
    );
    // A parenthesised expression is not mistaken for parameters.
    assert_eq!(shape(&expr("(a)")), "(a)");
}

#[test]
fn for_comprehensions_with_index_and_condition() {
    assert_eq!(shape(&expr("[for x in xs: x.id]")), "[for (x) in xs: x.id]");
    assert_eq!(
        shape(&expr(
            "[for (x, i) in range(0, 3): if (i > 0) {\n  n: i\n}]"
        )),
        "[for (x, i) in range(0, 3): if ((i Greater 0)) {n: i}]"
    );
    assert_eq!(shape(&expr("[\n  for x in xs: x\n]")), "[for (x) in xs: x]");
}

#[test]
fn spans_cover_whole_expressions() {
    let text = "var x = a.b[0]!.c(1) ?? 'd'\n";
    let program = parse_ok(text);
    let StatementKind::Var { value, .. } = &program.statements[0].kind else {
        panic!()
    };
    assert_eq!(
        &text[value.span.start..value.span.end],
        "a.b[0]!.c(1) ?? 'd'"
    );
    let ExprKind::Binary { left, .. } = &value.kind else {
        panic!()
    };
    assert_eq!(&text[left.span.start..left.span.end], "a.b[0]!.c(1)");
    assert_eq!(
        &text[program.statements[0].span.start..program.statements[0].span.end],
        text.trim_end()
    );
}
