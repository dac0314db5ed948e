//! Syntax errors: positions, recovery that keeps the other declarations, and the limits that
//! keep hostile input from crashing or hanging the parser.

use super::*;

fn resource_names(result: &ParseResult) -> Vec<&str> {
    resources(result)
        .iter()
        .map(|r| r.name.name.as_str())
        .collect()
}

#[test]
fn a_broken_declaration_between_good_resources_hides_neither() {
    let text = "resource first 'Microsoft.Web/sites@2023-12-01' = {
  name: 'first'
}

param broken string = = 'oops'

resource second 'Microsoft.Web/sites@2023-12-01' = {
  name: 'second'
}
";
    let result = parse(0, text);
    assert_eq!(resource_names(&result), vec!["first", "second"]);
    assert_eq!(result.errors.len(), 1, "{:?}", result.errors);
    let error = &result.errors[0];
    assert_eq!(line_col(text, error.span.start), (5, 23));
    assert_eq!(error.message, "expected a value, found `=`");
}

#[test]
fn an_unclosed_brace_stops_at_the_next_declaration_in_column_zero() {
    let text = "resource first 'Microsoft.Web/sites@2023-12-01' = {
  name: 'first'
  properties: {
    clientCertEnabled: true

resource second 'Microsoft.Web/sites@2023-12-01' = {
  name: 'second'
}
";
    let result = parse(0, text);
    assert_eq!(resource_names(&result), vec!["second"]);
    assert_eq!(result.errors.len(), 1, "{:?}", result.errors);
    assert_eq!(line_col(text, result.errors[0].span.start).0, 6);
}

#[test]
fn a_broken_property_keeps_its_resource_and_siblings() {
    let text = "resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: 'site'
  kind: )
  properties: {
    clientCertEnabled: true
  }
}
";
    let result = parse(0, text);
    assert_eq!(result.errors.len(), 1, "{:?}", result.errors);
    assert_eq!(line_col(text, result.errors[0].span.start), (3, 9));
    let site = resources(&result)[0];
    let body = site.body.object().unwrap();
    assert!(body.property("name").is_some());
    assert!(body.property("kind").is_none());
    assert!(body.property("properties").is_some());
}

#[test]
fn every_error_is_reported() {
    let text = "var a = \nvar b = 1 +\nvar c = 'ok'\nparam d\nwhat is this\n";
    let result = parse(0, text);
    let lines: Vec<usize> = result
        .errors
        .iter()
        .map(|e| line_col(text, e.span.start).0)
        .collect();
    assert_eq!(lines, vec![1, 2, 4, 5], "{:?}", result.errors);
    assert_eq!(result.program.statements.len(), 1);
}

#[test]
fn an_unclosed_parenthesis_does_not_swallow_the_next_declaration() {
    let text = "var a = concat('x',\nvar b = 1\nvar c = (\n\nparam d string\n";
    let result = parse(0, text);
    let lines: Vec<usize> = result
        .errors
        .iter()
        .map(|e| line_col(text, e.span.start).0)
        .collect();
    assert_eq!(lines, vec![1, 3], "{:?}", result.errors);
    let names: Vec<&str> = result
        .program
        .statements
        .iter()
        .filter_map(|s| match &s.kind {
            StatementKind::Var { name, .. } | StatementKind::Param { name, .. } => {
                Some(name.name.as_str())
            }
            _ => None,
        })
        .collect();
    assert_eq!(names, vec!["b", "d"]);
}

#[test]
fn lexical_errors_are_reported_with_their_positions() {
    let text = "var a = \"double\"\nvar b = 'unterminated\nvar c = '\\q'\nvar d = 1\n";
    let result = parse(0, text);
    let messages: Vec<(usize, &str)> = result
        .errors
        .iter()
        .map(|e| (line_col(text, e.span.start).0, e.message.as_str()))
        .collect();
    assert_eq!(
        messages[0],
        (1, "strings are written with single quotes `'` in Bicep")
    );
    assert_eq!(messages[1].0, 2);
    assert!(messages[1].1.contains("not closed"), "{messages:?}");
    assert_eq!(messages[2].0, 3);
    assert!(messages[2].1.starts_with("unknown escape"), "{messages:?}");
    assert!(result.program.statements.iter().any(|s| matches!(&s.kind,
        StatementKind::Var { name, .. } if name.name == "d")));
}

#[test]
fn an_interpolation_cut_by_the_line_end_is_one_error() {
    let text = "var a = 'x${b\nvar c = 1\n";
    let result = parse(0, text);
    assert_eq!(result.errors.len(), 1, "{:?}", result.errors);
    assert_eq!(line_col(text, result.errors[0].span.start).0, 1);
    assert!(result.program.statements.iter().any(|s| matches!(&s.kind,
        StatementKind::Var { name, .. } if name.name == "c")));
}

#[test]
fn a_broken_child_resource_keeps_its_parent_and_siblings() {
    let text = "resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: 'site'
  resource slot 'slots' = {
    name: = 'x'
  }
  properties: {
    clientCertEnabled: true
  }
}
";
    let result = parse(0, text);
    assert_eq!(result.errors.len(), 1, "{:?}", result.errors);
    assert_eq!(line_col(text, result.errors[0].span.start), (4, 11));
    let site = resources(&result)[0];
    let body = site.body.object().unwrap();
    assert!(body.property("properties").is_some());
    assert_eq!(body.child_resources().count(), 1);
}

#[test]
fn resource_text_inside_strings_is_not_a_declaration_even_when_broken() {
    let text =
        "var a = 'x\nresource real 'Microsoft.Web/sites@2023-12-01' = {\n  name: 'real'\n}\n";
    let result = parse(0, text);
    assert_eq!(resource_names(&result), vec!["real"]);
}

/// Runs `f` on a thread with a 2 MiB stack, the size of a test or rayon worker thread.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .expect("the parser overflowed or panicked");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    on_small_stack(|| {
        for (open, close) in [
            ("[", "]"),
            ("(", ")"),
            ("{a:", "}"),
            ("!", ""),
            ("-", ""),
            ("'${", "}'"),
        ] {
            let text = format!(
                "var x = {}1{}\nvar y = 2\n",
                open.repeat(100_000),
                close.repeat(100_000)
            );
            let result = parse(0, &text);
            assert!(
                result
                    .errors
                    .iter()
                    .any(|e| e.message.contains("levels deep")),
                "{open}: {:?}",
                result.errors.first()
            );
            assert!(
                result.errors.len() <= 3,
                "{open}: {} errors",
                result.errors.len()
            );
            assert!(
                result.program.statements.iter().any(|s| matches!(&s.kind,
                    StatementKind::Var { name, .. } if name.name == "y")),
                "{open}: the next declaration is still read"
            );
        }
        for (open, close) in [("(", ")"), ("{a: ", "}"), ("[", "]")] {
            let types = format!(
                "type t = {}string{}\n",
                open.repeat(100_000),
                close.repeat(100_000)
            );
            assert!(!parse(0, &types).errors.is_empty(), "type {open}");
        }
        let loops = format!(
            "var x = {}1{}\n",
            "[for x in y: ".repeat(100_000),
            "]".repeat(100_000)
        );
        assert!(!parse(0, &loops).errors.is_empty());
        let children = format!(
            "{}{}",
            "  resource a 'b' = {\n".repeat(100_000),
            "  }\n".repeat(100_000)
        );
        let text = format!("resource top 'b' = {{\n{children}}}\n");
        assert!(
            parse(0, &text)
                .errors
                .iter()
                .any(|e| e.message.contains("levels deep"))
        );
        let unclosed = format!("var x = {}\n", "[{a: ".repeat(100_000));
        assert!(!parse(0, &unclosed).errors.is_empty());
    });
}

#[test]
fn nesting_up_to_the_limit_parses_and_one_more_level_does_not() {
    use crate::limits::MAX_BICEP_PARSE_DEPTH as MAX_DEPTH;
    on_small_stack(|| {
        // Each `[`, `{a:` and `(` is one expression level; the `var` value is the first.
        let levels = MAX_DEPTH - 1;
        let open: String = ["[", "{a: ", "("]
            .iter()
            .cycle()
            .take(levels)
            .copied()
            .collect();
        let close: String = ["]", "}", ")"]
            .iter()
            .cycle()
            .take(levels)
            .copied()
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let text = format!("var x = {open}1{close}\n");
        assert!(
            parse(0, &text).errors.is_empty(),
            "{:?}",
            parse(0, &text).errors
        );
        let deeper = format!("var x = [{open}1{close}]\n");
        let errors = parse(0, &deeper).errors;
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].message.contains("128 levels"), "{errors:?}");
    });
}

#[test]
fn any_prefix_of_a_file_parses_without_panicking() {
    let text = "@description('''multi
line''')
param p { a: string?, *: int } = { a: 'x${y}z' }
resource r 'Microsoft.Web/sites@2023-12-01' = [for (x, i) in xs: if (!empty(x)) {
  name: $'''a${x}b'''
  properties: { ...base, v: x.?y[?0]! ?? (a, b) => a::b }
  resource c 'slots' = { name: 'é' }
}]
func f(a int) int => a * -1 // done
/* end */";
    for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
        let _ = parse(0, &text[..end]);
    }
}

#[test]
fn arbitrary_bytes_parse_without_panicking() {
    // A fixed pseudo-random sequence over Bicep's punctuation and a few words.
    let alphabet = [
        "{",
        "}",
        "[",
        "]",
        "(",
        ")",
        "'",
        "'''",
        "$'''",
        "${",
        ":",
        "::",
        ",",
        ".",
        ".?",
        "?",
        "??",
        "!",
        "=",
        "=>",
        "@",
        "|",
        "...",
        "\n",
        " ",
        "resource",
        "param",
        "for",
        "if",
        "in",
        "x",
        "1",
        "/*",
        "*/",
        "//",
        "#disable-next-line",
        "\\",
        "é",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..2_000 {
        let mut text = String::new();
        for _ in 0..60 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            text.push_str(alphabet[(state % alphabet.len() as u64) as usize]);
        }
        let _ = parse(0, &text);
    }
}
