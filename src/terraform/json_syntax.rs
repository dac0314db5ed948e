//! Reads one `.tf.json` file (Terraform JSON syntax) into resource blocks.
//!
//! Shape: `{"resource": {"TYPE": {"NAME": {body}}}}`. As HCL's JSON syntax allows, each level
//! of labels may also be an array of such objects, and a body an array of bodies. Properties
//! named `"//"` are comments.

use super::syntax::{Attribute, AttributeExpr, FileBlocks, ResourceBlock};
use crate::error::FileError;
use crate::json::{Json, JsonKind, Member};
use crate::model::Syntax;
use crate::source::{FileId, SourceFile, Span};

/// Parses `source` and returns the resource blocks it declares.
pub fn read(file: FileId, source: &SourceFile) -> FileBlocks {
    let reader = Reader { file, source };
    let document = crate::json::parse(source.text()).map_err(|error| {
        reader.error(
            error.span,
            format!("invalid JSON in a Terraform file: {}", error.message),
        )
    })?;
    let root = &document.root;
    if !root.is_object() {
        return Err(reader.error(
            root.span.clone(),
            format!(
                "a Terraform JSON file must hold an object at its top level, not {}",
                root.type_name()
            ),
        ));
    }
    let mut blocks = Vec::new();
    // Every `resource` member counts, as Terraform merges repeated top-level properties.
    for member in root.members().iter().filter(|m| m.key == "resource") {
        for types in reader.objects(&member.value, "`resource`")? {
            for type_member in types.members().iter().filter(|m| m.key != "//") {
                reader.resources_of_type(type_member, &mut blocks)?;
            }
        }
    }
    Ok(blocks)
}

struct Reader<'a> {
    file: FileId,
    source: &'a SourceFile,
}

impl Reader<'_> {
    fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(self.file, range)
    }

    fn error(&self, range: std::ops::Range<usize>, message: String) -> FileError {
        FileError::at(self.source.path(), self.span(range), message)
    }

    /// An object, or each object of an array of objects; anything else is an error.
    fn objects<'j>(&self, value: &'j Json, what: &str) -> Result<Vec<&'j Json>, FileError> {
        let items: Vec<&Json> = match &value.kind {
            JsonKind::Array(items) => items.iter().collect(),
            _ => vec![value],
        };
        items
            .into_iter()
            .map(|item| {
                if item.is_object() {
                    Ok(item)
                } else {
                    Err(self.error(
                        item.span.clone(),
                        format!(
                            "{what} must be a JSON object (or an array of objects), not {}",
                            item.type_name()
                        ),
                    ))
                }
            })
            .collect()
    }

    /// `"TYPE": {"NAME": body, …}`.
    fn resources_of_type(
        &self,
        type_member: &Member,
        blocks: &mut Vec<ResourceBlock>,
    ) -> Result<(), FileError> {
        let what = format!("resource type `{}`", type_member.key);
        for names in self.objects(&type_member.value, &what)? {
            for name_member in names.members().iter().filter(|m| m.key != "//") {
                let what = format!("resource `{}.{}`", type_member.key, name_member.key);
                for body in self.objects(&name_member.value, &what)? {
                    blocks.push(self.block(type_member, name_member, body));
                }
            }
        }
        Ok(())
    }

    fn block(&self, type_member: &Member, name_member: &Member, body: &Json) -> ResourceBlock {
        let mut block = ResourceBlock {
            resource_type: type_member.key.clone(),
            name: name_member.key.clone(),
            file: self.file,
            syntax: Syntax::TerraformJson,
            header: self.span(name_member.key_span.clone()),
            body_span: self.span(body.span.clone()),
            attributes: Vec::new(),
        };
        // Nested blocks (`site_config`, `lifecycle`) look like object-valued attributes in
        // JSON; keeping them does no harm, as only named attributes are ever read.
        for member in body.members().iter().filter(|m| m.key != "//") {
            // A repeated key: the last one wins, as `Json::member` reads it.
            block.set_attribute(Attribute {
                name: member.key.clone(),
                expr: AttributeExpr::Json(member.value.clone()),
                span: self.span(member.span.clone()),
                value_span: self.span(member.value.span.clone()),
            });
        }
        block
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> FileBlocks {
        read(3, &SourceFile::new("main.tf.json".into(), text))
    }

    fn slice(text: &str, span: Span) -> &str {
        &text[span.range()]
    }

    #[test]
    fn reads_resources_and_skips_comment_keys() {
        let text = r#"{
  "//": "resource azurerm_linux_web_app fake",
  "data": {"azurerm_linux_web_app": {"d": {}}},
  "resource": {
    "//": {"azurerm_linux_web_app": {"c": {}}},
    "azurerm_linux_web_app": {
      "//": "a comment about the names",
      "api": {
        "//": "a comment in the body",
        "client_certificate_enabled": true,
        "count": 1
      }
    }
  }
}"#;
        let blocks = parse(text).unwrap();
        assert_eq!(blocks.len(), 1);
        let block = &blocks[0];
        assert_eq!(block.address(), "azurerm_linux_web_app.api");
        assert_eq!(block.syntax, Syntax::TerraformJson);
        assert_eq!(block.file, 3);
        assert_eq!(slice(text, block.header), "\"api\"");
        assert!(slice(text, block.body_span).starts_with("{\n        \"//\""));
        let names: Vec<&str> = block.attributes.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["client_certificate_enabled", "count"]);
        let enabled = block.attribute("client_certificate_enabled").unwrap();
        assert_eq!(
            slice(text, enabled.span),
            "\"client_certificate_enabled\": true"
        );
        assert_eq!(slice(text, enabled.value_span), "true");
        assert!(matches!(
            &enabled.expr,
            AttributeExpr::Json(Json {
                kind: JsonKind::Bool(true),
                ..
            })
        ));
    }

    #[test]
    fn accepts_the_array_forms() {
        let text = r#"{"resource": [
  {"azurerm_linux_web_app": [{"a": {}}, {"b": [{"x": 1}]}]},
  {"azurerm_windows_web_app": {"c": {}}}
]}"#;
        let addresses: Vec<String> = parse(text)
            .unwrap()
            .iter()
            .map(ResourceBlock::address)
            .collect();
        assert_eq!(
            addresses,
            [
                "azurerm_linux_web_app.a",
                "azurerm_linux_web_app.b",
                "azurerm_windows_web_app.c"
            ]
        );
    }

    #[test]
    fn wrong_shapes_are_errors_with_positions() {
        let text = r#"{"resource": {"azurerm_linux_web_app": {"api": "oops"}}}"#;
        let error = parse(text).unwrap_err();
        assert_eq!(slice(text, error.span.unwrap()), "\"oops\"");
        assert!(
            error.message.contains("`azurerm_linux_web_app.api`"),
            "{}",
            error.message
        );

        let error = parse("[1]").unwrap_err();
        assert!(error.message.contains("top level"), "{}", error.message);

        let text = "{\"resource\": }";
        let error = parse(text).unwrap_err();
        assert_eq!(error.span.unwrap().start, 13);
        assert!(
            error.message.starts_with("invalid JSON"),
            "{}",
            error.message
        );
    }

    #[test]
    fn deep_values_in_a_body_do_not_overflow_a_small_stack() {
        // json.rs accepts up to 512 levels; the reader clones and drops such values.
        for depth in [500, 100_000] {
            let text = format!(
                "{{\"resource\": {{\"azurerm_linux_web_app\": {{\"a\": {{\"x\": {}1{}}}}}}}}}",
                "[".repeat(depth),
                "]".repeat(depth)
            );
            let result = std::thread::Builder::new()
                .stack_size(2 << 20)
                .spawn(move || parse(&text).map(|blocks| blocks.len()))
                .unwrap()
                .join()
                .expect("reading must not panic");
            match depth {
                500 => assert_eq!(result, Ok(1)),
                _ => assert!(result.unwrap_err().message.contains("nesting")),
            }
        }
    }

    #[test]
    fn files_without_resources_are_fine() {
        assert!(parse(r#"{"variable": {"x": {}}}"#).unwrap().is_empty());
    }
}
