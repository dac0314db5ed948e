//! Turns resource blocks into model [`Resource`]s, evaluating literal values only.
//!
//! This is the seam for value resolution: anything that is not a literal becomes
//! [`Data::Unknown`] here, and a resolver can later evaluate variables, locals and conditionals
//! from the raw expressions instead.

use hcl_edit::expr::{Expression, FuncCall};
use hcl_edit::template::{Element, Template};

use super::syntax::{Attribute, AttributeExpr, ResourceBlock};
use super::types::{self, ProviderVersion};
use crate::json::{Json, JsonKind};
use crate::model::{Data, Resource, Value};
use crate::source::Span;

/// Returns the source text a span covers (in any file of the module), for messages.
pub type SourceText<'a> = &'a dyn Fn(Span) -> Option<&'a str>;

/// The model resource a block declares, or `None` when its type does not deploy a site or it
/// literally has no instances (`count = 0`, `for_each = {}`). Per-instance expansion of other
/// `count` / `for_each` values comes with value resolution: until then one resource stands for
/// all instances.
pub fn lower(
    block: &ResourceBlock,
    version: ProviderVersion,
    source_text: SourceText<'_>,
) -> Option<Resource> {
    let info = types::lookup(&block.resource_type, version)?;
    if has_no_instances(block) {
        return None;
    }
    let value = |name: Option<&str>| {
        let attribute = block.attribute(name?)?;
        let data = literal(attribute, source_text)?;
        Some(Value::literal(data, attribute.span))
    };
    let enabled = value(info.attributes.enabled).map(|mut value| {
        value.data = string_to_bool(value.data);
        value
    });
    Some(Resource {
        address: block.address(),
        resource_type: block.resource_type.clone(),
        kind: info.kind,
        is_slot: info.is_slot,
        kind_tags: info.kind_tags.iter().map(|tag| tag.to_string()).collect(),
        syntax: block.syntax,
        header: block.header,
        mode: value(info.attributes.mode),
        exclusion_paths: value(info.attributes.exclusion_paths),
        enabled,
        control: info.control,
        attributes: info.attributes,
        scenario: None,
        instance: None,
    })
}

/// Terraform converts the strings `"true"`/`"1"` and `"false"`/`"0"` to bool for a bool
/// attribute (go-cty's conversion); any other string stays a string and is an error there.
fn string_to_bool(data: Data) -> Data {
    match &data {
        Data::String(text) if text == "true" || text == "1" => Data::Bool(true),
        Data::String(text) if text == "false" || text == "0" => Data::Bool(false),
        _ => data,
    }
}

/// `count = 0`, or `for_each` over a literally empty collection.
fn has_no_instances(block: &ResourceBlock) -> bool {
    let zero_count = block.count().is_some_and(|count| match &count.expr {
        AttributeExpr::Hcl(expr) => match unparenthesize(expr) {
            Expression::Number(n) => n.value().as_f64() == Some(0.0),
            Expression::String(s) => is_zero(s.value()),
            _ => false,
        },
        AttributeExpr::Json(json) => match &json.kind {
            JsonKind::Number(n) | JsonKind::String(n) => is_zero(n),
            _ => false,
        },
    });
    let empty_for_each = block
        .for_each()
        .is_some_and(|for_each| match &for_each.expr {
            AttributeExpr::Hcl(expr) => is_empty_collection(unparenthesize(expr)),
            AttributeExpr::Json(json) => match &json.kind {
                JsonKind::Array(items) => items.is_empty(),
                JsonKind::Object(members) => members.is_empty(),
                _ => false,
            },
        });
    zero_count || empty_for_each
}

fn is_zero(text: &str) -> bool {
    text.trim().parse::<f64>() == Ok(0.0)
}

/// `[]`, `{}`, `toset([])` or `tomap({})`.
fn is_empty_collection(expr: &Expression) -> bool {
    match expr {
        Expression::Array(array) => array.is_empty(),
        Expression::Object(object) => object.is_empty(),
        Expression::FuncCall(call) => conversion_of_empty(call),
        _ => false,
    }
}

fn conversion_of_empty(call: &FuncCall) -> bool {
    if call.name.is_namespaced() || call.args.len() != 1 || call.args.expand_final() {
        return false;
    }
    let Some(arg) = call.args.get(0) else {
        return false;
    };
    match (call.name.name.as_str(), unparenthesize(arg)) {
        ("toset", Expression::Array(array)) => array.is_empty(),
        ("tomap", Expression::Object(object)) => object.is_empty(),
        _ => false,
    }
}

fn unparenthesize(mut expr: &Expression) -> &Expression {
    while let Expression::Parenthesis(inner) = expr {
        expr = inner.inner();
    }
    expr
}

/// The value of an attribute written as a literal; `None` for `null`, which Terraform treats
/// as if the attribute were not set.
fn literal(attribute: &Attribute, source_text: SourceText<'_>) -> Option<Data> {
    let data = match &attribute.expr {
        AttributeExpr::Hcl(expr) => hcl_literal(expr),
        AttributeExpr::Json(json) => json_literal(json),
    };
    match data {
        Eval::Null => None,
        Eval::Literal(data) => Some(data),
        Eval::Expression => Some(Data::Unknown(format!(
            "`{}` is not a literal; values from variables, locals and expressions are not \
             resolved yet",
            excerpt(source_text(attribute.value_span).unwrap_or("?"))
        ))),
    }
}

/// What the literal evaluator made of an expression.
enum Eval {
    Null,
    Literal(Data),
    /// Not a literal: left to value resolution.
    Expression,
}

fn hcl_literal(expr: &Expression) -> Eval {
    let data = match unparenthesize(expr) {
        Expression::Null(_) => return Eval::Null,
        Expression::Bool(b) => Data::Bool(*b.value()),
        Expression::String(s) => Data::String(s.value().clone()),
        Expression::StringTemplate(template) => return template_literal(template),
        Expression::HeredocTemplate(heredoc) => return template_literal(&heredoc.template),
        Expression::Number(_) => Data::Other("number"),
        Expression::Array(_) => Data::Other("list"),
        Expression::Object(_) => Data::Other("object"),
        _ => return Eval::Expression,
    };
    Eval::Literal(data)
}

/// A template made only of literal text is a string; any interpolation or directive is not.
fn template_literal(template: &Template) -> Eval {
    let mut text = String::new();
    for element in template.iter() {
        match element {
            Element::Literal(literal) => text.push_str(literal.value()),
            _ => return Eval::Expression,
        }
    }
    Eval::Literal(Data::String(text))
}

fn json_literal(json: &Json) -> Eval {
    let data = match &json.kind {
        JsonKind::Null => return Eval::Null,
        JsonKind::Bool(b) => Data::Bool(*b),
        JsonKind::String(s) => match json_template_text(s) {
            Some(text) => Data::String(text),
            None => return Eval::Expression,
        },
        JsonKind::Number(_) => Data::Other("number"),
        JsonKind::Array(_) => Data::Other("list"),
        JsonKind::Object(_) => Data::Other("object"),
    };
    Eval::Literal(data)
}

/// In Terraform JSON every string is a template: its text when it holds no `${…}` or `%{…}`
/// (with the `$${` / `%%{` escapes undone), `None` when it does.
fn json_template_text(template: &str) -> Option<String> {
    let mut text = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(at) = rest.find(['$', '%']) {
        text.push_str(&rest[..at]);
        let tail = &rest[at..];
        if tail.starts_with("$${") || tail.starts_with("%%{") {
            text.push_str(&tail[1..3]);
            rest = &tail[3..];
        } else if tail[1..].starts_with('{') {
            return None;
        } else {
            text.push_str(&tail[..1]);
            rest = &tail[1..];
        }
    }
    text.push_str(rest);
    Some(text)
}

/// An expression's source on one line and at most 80 characters, for a message.
fn excerpt(source: &str) -> String {
    let line = source.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CertControl, CertMode, SiteKind, Syntax};
    use crate::source::SourceFile;
    use crate::terraform::{hcl, json_syntax};

    fn lower_all(path: &str, text: &str) -> Vec<Resource> {
        let source = SourceFile::new(path.into(), text);
        let blocks = if path.ends_with(".json") {
            json_syntax::read(0, &source).unwrap()
        } else {
            hcl::read(0, &source).unwrap()
        };
        let source_text = |span: Span| text.get(span.range());
        blocks
            .iter()
            .filter_map(|block| lower(block, ProviderVersion::Unknown, &source_text))
            .collect()
    }

    fn one(text: &str) -> Resource {
        let mut resources = lower_all("main.tf", text);
        assert_eq!(resources.len(), 1);
        resources.remove(0)
    }

    fn data(value: &Option<Value>) -> Option<&Data> {
        value.as_ref().map(|value| &value.data)
    }

    #[test]
    fn lowers_literal_values_with_attribute_spans() {
        let text = "resource \"azurerm_linux_web_app\" \"api\" {\n  client_certificate_enabled = true\n  client_certificate_mode = \"Required\"\n  client_certificate_exclusion_paths = \"/health;/ping\"\n}\n";
        let resource = one(text);
        assert_eq!(resource.address, "azurerm_linux_web_app.api");
        assert_eq!(resource.resource_type, "azurerm_linux_web_app");
        assert_eq!(resource.kind, SiteKind::WebApp);
        assert!(!resource.is_slot);
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
    }

    #[test]
    fn function_app_with_enabled_and_no_mode_keeps_the_optional_default() {
        let resource = one(
            "resource \"azurerm_linux_function_app\" \"f\" {\n  client_certificate_enabled = true\n}\n",
        );
        assert_eq!(
            resource.control,
            CertControl::EnabledAndMode {
                default_mode: CertMode::Optional
            }
        );
        assert_eq!(data(&resource.enabled), Some(&Data::Bool(true)));
        assert!(resource.mode.is_none());
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
    fn null_means_not_set() {
        let resource = one(
            "resource \"azurerm_linux_web_app\" \"a\" {\n  client_certificate_enabled = null\n  client_certificate_mode = null\n}\n",
        );
        assert!(resource.enabled.is_none());
        assert!(resource.mode.is_none());
    }

    #[test]
    fn expressions_are_unknown_with_their_source() {
        let resource = one(
            "resource \"azurerm_linux_web_app\" \"a\" {\n  client_certificate_enabled = var.mtls\n  client_certificate_mode = var.strict ? \"Required\" : \"Optional\"\n  client_certificate_exclusion_paths = \"${local.base}/health\"\n}\n",
        );
        let Some(Data::Unknown(message)) = data(&resource.enabled) else {
            panic!("{:?}", resource.enabled);
        };
        assert_eq!(
            message,
            "`var.mtls` is not a literal; values from variables, locals and expressions are not resolved yet"
        );
        let Some(Data::Unknown(message)) = data(&resource.mode) else {
            panic!("{:?}", resource.mode);
        };
        assert!(
            message.starts_with("`var.strict ? \"Required\" : \"Optional\"` is not"),
            "{message}"
        );
        assert!(matches!(
            data(&resource.exclusion_paths),
            Some(Data::Unknown(_))
        ));
    }

    #[test]
    fn literal_templates_and_heredocs_are_strings() {
        let resource = one(
            "resource \"azurerm_linux_web_app\" \"a\" {\n  client_certificate_mode = <<-EOT\n    Required\n  EOT\n  client_certificate_exclusion_paths = \"/a$${b}\"\n}\n",
        );
        // A heredoc keeps its final newline, as in Terraform.
        assert_eq!(
            data(&resource.mode),
            Some(&Data::String("Required\n".into()))
        );
        assert_eq!(
            data(&resource.exclusion_paths),
            Some(&Data::String("/a${b}".into()))
        );
    }

    #[test]
    fn resources_without_instances_are_skipped() {
        let text = "resource \"azurerm_linux_web_app\" \"zero\" {\n  count = 0\n}\nresource \"azurerm_linux_web_app\" \"empty_map\" {\n  for_each = {}\n}\nresource \"azurerm_linux_web_app\" \"empty_list\" {\n  for_each = []\n}\nresource \"azurerm_linux_web_app\" \"empty_set\" {\n  for_each = toset([])\n}\nresource \"azurerm_linux_web_app\" \"one\" {\n  count = 1\n}\nresource \"azurerm_linux_web_app\" \"three\" {\n  count = 3\n}\nresource \"azurerm_linux_web_app\" \"maybe\" {\n  count = var.enabled ? 1 : 0\n}\nresource \"azurerm_linux_web_app\" \"each\" {\n  for_each = var.apps\n}\n";
        let addresses: Vec<String> = lower_all("main.tf", text)
            .into_iter()
            .map(|r| r.address)
            .collect();
        // Until instances are expanded, one resource stands for all of them.
        assert_eq!(
            addresses,
            [
                "azurerm_linux_web_app.one",
                "azurerm_linux_web_app.three",
                "azurerm_linux_web_app.maybe",
                "azurerm_linux_web_app.each"
            ]
        );
    }

    #[test]
    fn other_types_are_not_lowered() {
        assert!(lower_all("main.tf", "resource \"azurerm_service_plan\" \"p\" {}\n").is_empty());
    }

    #[test]
    fn legacy_and_mode_only_types_read_their_own_attributes() {
        let resource = one(
            "resource \"azurerm_app_service\" \"old\" {\n  client_cert_enabled = true\n  client_cert_mode = \"Optional\"\n  client_certificate_enabled = false\n}\n",
        );
        assert_eq!(data(&resource.enabled), Some(&Data::Bool(true)));
        assert_eq!(data(&resource.mode), Some(&Data::String("Optional".into())));
        let resource = one(
            "resource \"azurerm_logic_app_standard\" \"l\" {\n  client_certificate_mode = \"Required\"\n}\n",
        );
        assert_eq!(resource.kind, SiteKind::LogicApp);
        assert!(resource.enabled.is_none());
        assert_eq!(data(&resource.mode), Some(&Data::String("Required".into())));
        let resource =
            one("resource \"azurerm_app_service_slot\" \"s\" {\n  client_cert_enabled = true\n}\n");
        assert!(matches!(resource.control, CertControl::Unsupported { .. }));
        assert!(resource.enabled.is_none());
    }

    #[test]
    fn json_values_and_templates() {
        let text = r#"{"resource": {
  "azurerm_windows_function_app": {
    "f": {
      "client_certificate_enabled": "true",
      "client_certificate_mode": "${var.mode}",
      "client_certificate_exclusion_paths": "/a$${x}%%{y}%z"
    },
    "off": {"count": 0},
    "none": {"for_each": {}},
    "nulls": {"client_certificate_enabled": null, "client_certificate_mode": "Required"}
  }
}}"#;
        let resources = lower_all("main.tf.json", text);
        assert_eq!(resources.len(), 2);
        let f = &resources[0];
        assert_eq!(f.syntax, Syntax::TerraformJson);
        assert_eq!(&text[f.header.range()], "\"f\"");
        let enabled = f.enabled.as_ref().unwrap();
        assert_eq!(enabled.data, Data::Bool(true));
        assert_eq!(
            &text[enabled.span.range()],
            "\"client_certificate_enabled\": \"true\""
        );
        let Some(Data::Unknown(message)) = data(&f.mode) else {
            panic!("{:?}", f.mode);
        };
        assert!(
            message.starts_with("`\"${var.mode}\"` is not a literal"),
            "{message}"
        );
        assert_eq!(
            data(&f.exclusion_paths),
            Some(&Data::String("/a${x}%{y}%z".into()))
        );
        let nulls = &resources[1];
        assert_eq!(nulls.address, "azurerm_windows_function_app.nulls");
        assert!(nulls.enabled.is_none());
    }

    #[test]
    fn long_expressions_are_shortened_to_one_line() {
        let long = format!("a\n   b {}", "c".repeat(100));
        let short = excerpt(&long);
        assert!(
            short.starts_with("a b ccc") && short.ends_with('…'),
            "{short}"
        );
        assert_eq!(short.chars().count(), 81);
    }
}
