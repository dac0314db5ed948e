//! Reads one `.tf.json` file (Terraform JSON syntax) into the items value resolution reads.
//!
//! Shape: `{"resource": {"TYPE": {"NAME": {body}}}}`, `{"variable": {"NAME": {…}}}`,
//! `{"locals": {…}}`, `{"module": {"NAME": {…}}}`, `{"terraform": {"required_providers": …}}`.
//! As HCL's JSON syntax allows, each level of labels may also be an array of such objects, and a
//! body an array of bodies. Properties named `"//"` are comments.

use super::convert::TypeConstraint;
use super::syntax::{
    Attribute, AttributeExpr, FileItems, FileRead, ModuleCall, NestedBlock, OutputBlock,
    ResourceBlock, Variable, keeps_nested,
};
use crate::error::FileError;
use crate::json::{Json, JsonKind, Member};
use crate::model::Syntax;
use crate::source::{FileId, SourceFile, Span};

/// Parses `source` and returns what it declares.
pub fn read(file: FileId, source: &SourceFile) -> FileRead {
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
    let mut items = FileItems::default();
    // Every repeated top-level property counts, as Terraform merges them.
    for member in root.members() {
        match member.key.as_str() {
            "resource" => {
                for types in reader.objects(&member.value, "`resource`")? {
                    for type_member in reader.members(types) {
                        reader.resources_of_type(type_member, &mut items.resources)?;
                    }
                }
            }
            "data" => {
                for types in reader.objects(&member.value, "`data`")? {
                    for type_member in reader.members(types) {
                        reader.resources_of_type(type_member, &mut items.data)?;
                    }
                }
            }
            "output" => {
                for (name, body) in reader.labelled(&member.value, "output")? {
                    items.outputs.push(OutputBlock {
                        name: name.key.clone(),
                        header: reader.span(name.key_span.clone()),
                        value: body.member("value").map(|value| reader.attribute(value)),
                    });
                }
            }
            "variable" => {
                for (name, body) in reader.labelled(&member.value, "variable")? {
                    items.variables.push(reader.variable(name, body));
                }
            }
            "locals" => {
                for body in reader.objects(&member.value, "`locals`")? {
                    items.locals.extend(reader.attributes(body));
                }
            }
            "module" => {
                for (name, body) in reader.labelled(&member.value, "module")? {
                    items.calls.push(ModuleCall {
                        name: name.key.clone(),
                        header: reader.span(name.key_span.clone()),
                        attributes: reader.attributes(body),
                    });
                }
            }
            "terraform" => {
                for body in reader.objects(&member.value, "`terraform`")? {
                    for providers in body
                        .members()
                        .iter()
                        .filter(|m| m.key == "required_providers")
                    {
                        for providers in reader.objects(&providers.value, "`required_providers`")? {
                            items
                                .azurerm_constraints
                                .extend(azurerm_constraint(providers));
                        }
                    }
                }
            }
            "provider" => {
                for (name, body) in reader.labelled(&member.value, "provider")? {
                    if name.key == "azurerm"
                        && let Some(version) = body.get("version").and_then(Json::as_str)
                    {
                        items.azurerm_constraints.push(version.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    // Inline exceptions are read only on resources: most files declare none.
    if !items.resources.is_empty() {
        items.json_comments = Some(super::comment_properties::record(root));
    }
    Ok(items)
}

/// `"azurerm": {"version": "…"}` or the legacy `"azurerm": "…"`.
fn azurerm_constraint(providers: &Json) -> Option<String> {
    let azurerm = providers.get("azurerm")?;
    azurerm
        .as_str()
        .or_else(|| azurerm.get("version").and_then(Json::as_str))
        .map(str::to_string)
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

    /// An object's members, comments left out.
    fn members<'j>(&self, object: &'j Json) -> impl Iterator<Item = &'j Member> {
        object.members().iter().filter(|m| m.key != "//")
    }

    /// `{"NAME": body, …}` (with the array forms): each name with each of its bodies.
    fn labelled<'j>(
        &self,
        value: &'j Json,
        kind: &str,
    ) -> Result<Vec<(&'j Member, &'j Json)>, FileError> {
        let mut out = Vec::new();
        for names in self.objects(value, &format!("`{kind}`"))? {
            for name in self.members(names) {
                let what = format!("{kind} `{}`", name.key);
                for body in self.objects(&name.value, &what)? {
                    out.push((name, body));
                }
            }
        }
        Ok(out)
    }

    /// A body's attributes; a repeated key keeps its last value, as `Json::member` reads it.
    fn attributes(&self, body: &Json) -> Vec<Attribute> {
        let mut attributes = Vec::new();
        for member in self.members(body) {
            super::syntax::set_attribute(&mut attributes, self.attribute(member));
        }
        attributes
    }

    fn attribute(&self, member: &Member) -> Attribute {
        Attribute {
            name: member.key.clone(),
            expr: AttributeExpr::Json(member.value.clone()),
            span: self.span(member.span.clone()),
            value_span: self.span(member.value.span.clone()),
        }
    }

    fn variable(&self, name: &Member, body: &Json) -> Variable {
        // Terraform evaluates a JSON default without templates: strings are literal.
        let default = body.member("default").map(|member| Attribute {
            expr: AttributeExpr::JsonLiteral(member.value.clone()),
            ..self.attribute(member)
        });
        Variable {
            name: name.key.clone(),
            header: self.span(name.key_span.clone()),
            default,
            type_constraint: body
                .get("type")
                .and_then(Json::as_str)
                .map(TypeConstraint::from_source),
            nullable: match body.get("nullable").map(|n| &n.kind) {
                Some(JsonKind::Bool(b)) => Some(*b),
                _ => None,
            },
        }
    }

    /// `"TYPE": {"NAME": body, …}`.
    fn resources_of_type(
        &self,
        type_member: &Member,
        blocks: &mut Vec<ResourceBlock>,
    ) -> Result<(), FileError> {
        let what = format!("resource type `{}`", type_member.key);
        for names in self.objects(&type_member.value, &what)? {
            for name_member in self.members(names) {
                let what = format!("resource `{}.{}`", type_member.key, name_member.key);
                for body in self.objects(&name_member.value, &what)? {
                    blocks.push(self.block(type_member, name_member, body));
                }
            }
        }
        Ok(())
    }

    fn block(&self, type_member: &Member, name_member: &Member, body: &Json) -> ResourceBlock {
        ResourceBlock {
            resource_type: type_member.key.clone(),
            name: name_member.key.clone(),
            syntax: Syntax::TerraformJson,
            header: self.span(name_member.key_span.clone()),
            body_span: self.span(body.span.clone()),
            // Nested blocks (`site_config`, `lifecycle`) look like object-valued attributes in
            // JSON; keeping them does no harm, as only named attributes are ever read. Every
            // type keeps them: another block may read one as `TYPE.NAME.ARG`.
            attributes: self.attributes(body),
            nested: match super::dispatch::keeps_nested_blocks(&type_member.key) {
                true => self.nested(body),
                false => Vec::new(),
            },
            deferred: None,
        }
    }

    /// The nested blocks the rollout reads ([`keeps_nested`]) in a body: a member whose value
    /// is an object (or an array of objects) is a block; `"dynamic": {"LABEL": {…}}` a dynamic
    /// one. A member written any other way (a `"${…}"` string) stays an attribute only.
    fn nested(&self, body: &Json) -> Vec<NestedBlock> {
        let mut out = Vec::new();
        for member in self.members(body) {
            let labelled: Vec<(Option<&Member>, &Json)> = if member.key == "dynamic" {
                block_bodies(&member.value)
                    .into_iter()
                    .flat_map(|labels| self.members(labels))
                    .flat_map(|label| {
                        let bodies = block_bodies(&label.value);
                        bodies.into_iter().map(move |body| (Some(label), body))
                    })
                    .collect()
            } else {
                let bodies = block_bodies(&member.value);
                bodies.into_iter().map(|body| (None, body)).collect()
            };
            for (label, block) in labelled {
                let label = label.map(|l| l.key.clone());
                if !keeps_nested(&member.key, label.as_deref()) {
                    continue;
                }
                let blocks = self.nested(block);
                let attributes = self
                    .attributes(block)
                    .into_iter()
                    .filter(|a| {
                        !blocks
                            .iter()
                            .any(|b| b.generates(&a.name) || b.ident == a.name)
                    })
                    .collect();
                out.push(NestedBlock {
                    ident: member.key.clone(),
                    label,
                    span: self.span(block.span.clone()),
                    attributes,
                    blocks,
                });
            }
        }
        out
    }
}

/// The bodies a nested block member holds: an object, or an array of objects; none when it
/// is written any other way.
fn block_bodies(value: &Json) -> Vec<&Json> {
    match &value.kind {
        JsonKind::Object(_) => vec![value],
        JsonKind::Array(items) if items.iter().all(Json::is_object) => items.iter().collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<ResourceBlock>, FileError> {
        read(3, &SourceFile::new("main.tf.json".into(), text)).map(|items| items.resources)
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
        assert_eq!(block.header.file, 3);
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
        assert!(parse(r#"{"output": {"x": {}}}"#).unwrap().is_empty());
    }

    #[test]
    fn reads_variables_locals_module_calls_and_constraints() {
        let text = r#"{
  "variable": {"mtls": {"type": "bool", "default": "${not_a_template}", "nullable": false}},
  "locals": [{"a": "${local.b}", "//": "c"}, {"b": 1}],
  "module": {"web": {"source": "./web", "mtls": "${var.mtls}"}},
  "terraform": {"required_providers": [{"azurerm": {"version": "~> 4.0"}}]},
  "provider": {"azurerm": {"version": "~> 2.0"}}
}"#;
        let items = read(3, &SourceFile::new("main.tf.json".into(), text)).unwrap();
        let mtls = &items.variables[0];
        assert_eq!(slice(text, mtls.header), "\"mtls\"");
        assert_eq!(mtls.type_constraint, Some(TypeConstraint::Bool));
        assert_eq!(mtls.nullable, Some(false));
        let default = mtls.default.as_ref().unwrap();
        assert!(matches!(default.expr, AttributeExpr::JsonLiteral(_)));
        assert_eq!(
            slice(text, default.span),
            "\"default\": \"${not_a_template}\""
        );
        let locals: Vec<&str> = items.locals.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(locals, ["a", "b"]);
        let call = &items.calls[0];
        assert_eq!(
            (call.name.as_str(), call.source().as_deref()),
            ("web", Some("./web"))
        );
        assert_eq!(call.inputs().count(), 1);
        assert_eq!(items.azurerm_constraints, ["~> 4.0", "~> 2.0"]);
    }
}
