//! Reads one `.tf` file (Terraform native syntax) into the items value resolution reads:
//! resources, variables, locals, module calls and azurerm version constraints, using hcl-edit.
//!
//! hcl-edit is a real parser, so comments and heredoc text never look like resources.

use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Block, BlockLabel, Body};
use hcl_edit::{Decorate as _, Span as _};

use super::convert::TypeConstraint;
use super::nesting::{self, MAX_NESTING, MAX_OBJECT_ENTRIES, Refused};
use super::syntax::{
    Attribute, AttributeExpr, FileItems, FileRead, ModuleCall, NestedBlock, OutputBlock,
    ResourceBlock, Variable, keeps_nested,
};
use crate::error::FileError;
use crate::model::Syntax;
use crate::source::{FileId, SourceFile, Span};

/// Parses `source` and returns what it declares.
pub fn read(file: FileId, source: &SourceFile) -> FileRead {
    let body = parse(file, source)?;
    Ok(items(file, source.text(), body))
}

/// Parses a native syntax file (a `.tf` file, a `.tfvars` file, a lock file) into its body,
/// refusing files nested too deeply for hcl-edit's recursive parser.
pub fn parse(file: FileId, source: &SourceFile) -> Result<Body, FileError> {
    let text = source.text();
    if let Err(refused) = nesting::check_width(text, MAX_NESTING, MAX_OBJECT_ENTRIES) {
        let (offset, message) = match refused {
            Refused::Deep(offset) => (
                offset,
                format!(
                    "nesting deeper than {MAX_NESTING} levels (brackets, blocks, strings and \
                     interpolations); certgate does not parse files nested this deeply"
                ),
            ),
            Refused::Wide(offset) => (
                offset,
                format!(
                    "an object or block with more than {MAX_OBJECT_ENTRIES} entries; certgate \
                     does not parse files with objects this large (its HCL parser slows down \
                     with the square of the keys)"
                ),
            ),
        };
        return Err(FileError::at(
            source.path(),
            char_span(file, text, offset),
            message,
        ));
    }
    hcl_edit::parser::parse_body(text).map_err(|error| {
        let offset = error_offset(text, error.location());
        FileError::at(
            source.path(),
            char_span(file, text, offset),
            format!("invalid Terraform syntax: {}", error.message()),
        )
    })
}

/// What the file declares. The parsed body is consumed: its expressions move into the items
/// rather than being copied.
fn items(file: FileId, text: &str, body: Body) -> FileItems {
    let mut items = FileItems::default();
    for block in body.into_blocks() {
        let labels = block.labels.len();
        match block.ident.as_str() {
            "resource" if labels == 2 => items.resources.extend(resource_block(file, text, block)),
            "data" if labels == 2 => items.data.extend(resource_block(file, text, block)),
            "output" if labels == 1 => items.outputs.extend(output(file, block)),
            "variable" if labels == 1 => items.variables.extend(variable(file, block)),
            "locals" if labels == 0 => items.locals.extend(attributes(file, block.body)),
            "module" if labels == 1 => items.calls.extend(module_call(file, block)),
            "terraform" if labels == 0 => {
                for nested in block
                    .body
                    .blocks()
                    .filter(|b| b.has_ident("required_providers"))
                {
                    items
                        .azurerm_constraints
                        .extend(required_azurerm(&nested.body));
                }
            }
            // Terraform 0.12 style: `provider "azurerm" { version = "~> 2.0" }`.
            "provider" if labels == 1 && block.labels[0].as_str() == "azurerm" => {
                items.azurerm_constraints.extend(
                    block
                        .body
                        .get_attribute("version")
                        .and_then(|a| string(&a.value)),
                )
            }
            _ => {}
        }
    }
    items
}

/// The attributes of a body, in source order.
pub fn attributes(file: FileId, body: Body) -> Vec<Attribute> {
    body.into_attributes()
        .filter_map(|attr| attribute(file, attr))
        .collect()
}

fn attribute(file: FileId, attr: hcl_edit::structure::Attribute) -> Option<Attribute> {
    Some(Attribute {
        name: attr.key.as_str().to_string(),
        span: Span::new(file, attr.span()?),
        value_span: Span::new(file, attr.value.span()?),
        expr: AttributeExpr::Hcl(attr.value),
    })
}

fn header(file: FileId, block: &Block) -> Option<Span> {
    let start = block.ident.span()?.start;
    let end = block.labels.last()?.span()?.end;
    Some(Span::new(file, start..end))
}

fn variable(file: FileId, block: Block) -> Option<Variable> {
    let mut variable = Variable {
        name: block.labels[0].as_str().to_string(),
        header: header(file, &block)?,
        default: None,
        type_constraint: None,
        nullable: None,
    };
    for attr in block.body.into_attributes() {
        match attr.key.as_str() {
            "type" => {
                variable.type_constraint = Some(TypeConstraint::from_hcl_in(&attr.value, file))
            }
            "nullable" => variable.nullable = attr.value.as_bool(),
            "default" => variable.default = attribute(file, attr),
            _ => {}
        }
    }
    Some(variable)
}

fn output(file: FileId, block: Block) -> Option<OutputBlock> {
    let header = header(file, &block)?;
    let value = block
        .body
        .into_attributes()
        .find(|attr| attr.key.as_str() == "value")
        .and_then(|attr| attribute(file, attr));
    Some(OutputBlock {
        name: block.labels[0].as_str().to_string(),
        header,
        value,
    })
}

fn module_call(file: FileId, block: Block) -> Option<ModuleCall> {
    Some(ModuleCall {
        name: block.labels[0].as_str().to_string(),
        header: header(file, &block)?,
        attributes: attributes(file, block.body),
    })
}

/// `azurerm = { version = "…" }` (or the legacy `azurerm = "…"`) in `required_providers`.
fn required_azurerm(body: &Body) -> Option<String> {
    let value = &body.get_attribute("azurerm")?.value;
    match value {
        Expression::Object(object) => object.iter().find_map(|(key, value)| {
            let name = match key {
                ObjectKey::Ident(ident) => ident.as_str().to_string(),
                ObjectKey::Expression(expr) => expr.as_str()?.to_string(),
            };
            (name == "version").then(|| string(value.expr())).flatten()
        }),
        other => string(other),
    }
}

fn string(expr: &Expression) -> Option<String> {
    expr.as_str().map(str::to_string)
}

fn resource_block(file: FileId, text: &str, block: Block) -> Option<ResourceBlock> {
    // Every node hcl-edit returns from parsing has a span; `?` only guards the API's Option.
    let block_span = block.span()?;
    let header = header(file, &block)?;
    let last_label = block.labels.last()?;
    let header_end = header.end;
    // The body starts at the first `{` after the labels; comments may sit in between, and
    // hcl-edit keeps them as the label's decoration.
    let decor = match last_label {
        BlockLabel::Ident(ident) => ident.decor(),
        BlockLabel::String(string) => string.decor(),
    };
    let decor_len = decor.suffix().map_or(0, |suffix| suffix.len());
    let open = header_end + decor_len;
    let body_start = if text.as_bytes().get(open) == Some(&b'{') {
        open
    } else {
        text[header_end..block_span.end]
            .find('{')
            .map_or(header_end, |at| header_end + at)
    };
    let resource_type = block.labels[0].as_str().to_string();
    let name = last_label.as_str().to_string();
    // Only the types certgate judges keep their attributes: moving the (often large) bodies of
    // every other resource along would be wasted work. Another block may still read one of
    // theirs (`TYPE.NAME.ARG`): `module::assemble` defers them to `body_attributes`.
    let in_scope = super::dispatch::keeps_attributes(&resource_type);
    // Only the azurerm site types keep nested blocks (`site_config`, for the rollout).
    let (attributes, nested) = match in_scope {
        true if super::dispatch::keeps_nested_blocks(&resource_type) => {
            structures(file, block.body)
        }
        true => (attributes(file, block.body), Vec::new()),
        false => (Vec::new(), Vec::new()),
    };
    Some(ResourceBlock {
        resource_type,
        name,
        syntax: Syntax::Hcl,
        header,
        body_span: Span::new(file, body_start..block_span.end),
        attributes,
        nested,
        deferred: None,
    })
}

/// A body's attributes and the nested blocks the rollout reads ([`keeps_nested`]), in source
/// order.
fn structures(file: FileId, body: Body) -> (Vec<Attribute>, Vec<NestedBlock>) {
    let mut attributes = Vec::new();
    let mut blocks = Vec::new();
    for structure in body {
        match structure {
            hcl_edit::structure::Structure::Attribute(attr) => {
                attributes.extend(attribute(file, attr))
            }
            hcl_edit::structure::Structure::Block(block) => {
                let label = block.labels.first().map(|l| l.as_str().to_string());
                if !keeps_nested(block.ident.as_str(), label.as_deref()) {
                    continue;
                }
                let Some(span) = block.span() else { continue };
                let ident = block.ident.as_str().to_string();
                let (attributes, nested) = structures(file, block.body);
                blocks.push(NestedBlock {
                    ident,
                    label,
                    span: Span::new(file, span),
                    attributes,
                    blocks: nested,
                });
            }
        }
    }
    (attributes, blocks)
}

/// The top-level attributes of the block body at `body` (`{` through `}`) in `text`, parsed
/// again on their own, with spans in the file. Empty when the slice does not parse (the file
/// did, so it should).
pub fn body_attributes(file: FileId, text: &str, body: Span) -> Vec<Attribute> {
    let inner = body.start + 1..body.end.saturating_sub(1);
    let Some(slice) = text.get(inner.clone()) else {
        return Vec::new();
    };
    let Ok(parsed) = hcl_edit::parser::parse_body(slice) else {
        return Vec::new();
    };
    let shift = |range: std::ops::Range<usize>| {
        Span::new(file, range.start + inner.start..range.end + inner.start)
    };
    parsed
        .into_attributes()
        .filter_map(|attr| {
            Some(Attribute {
                name: attr.key.as_str().to_string(),
                span: shift(attr.span()?),
                value_span: shift(attr.value.span()?),
                expr: AttributeExpr::Hcl(attr.value),
            })
        })
        .collect()
}

/// Where an hcl-edit error points. hcl-edit clamps an error at the very end of the input to the
/// last byte (which may then sit inside a multi-byte character) and says so only through its
/// column, so undo the clamp.
fn error_offset(text: &str, location: &hcl_edit::parser::Location) -> usize {
    let offset = location.offset().min(text.len());
    if !text.is_char_boundary(offset) {
        return text.len();
    }
    if offset + 1 == text.len() {
        let line_start = text[..offset].rfind('\n').map_or(0, |at| at + 1);
        let column_here = text[line_start..offset].chars().count() + 1;
        if location.column() > column_here {
            return text.len();
        }
    }
    offset
}

/// The character at `offset` (empty at the end of the text), for pointing at an error.
pub fn char_span(file: FileId, text: &str, offset: usize) -> Span {
    // Never slice inside a character, whatever offset a parser reports.
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let end = text[offset..]
        .chars()
        .next()
        .map_or(offset, |c| offset + c.len_utf8());
    Span::new(file, offset..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<ResourceBlock>, FileError> {
        read(7, &SourceFile::new("main.tf".into(), text)).map(|items| items.resources)
    }

    fn slice(text: &str, span: Span) -> &str {
        &text[span.range()]
    }

    #[test]
    fn reads_resource_blocks_with_spans() {
        let text = "# top\nresource \"azurerm_linux_web_app\" \"api\" /* c { */ {\n  name = \"x\"\n  client_certificate_enabled = true # yes\n  site_config {\n    always_on = true\n  }\n  count = 2\n}\n";
        let blocks = parse(text).unwrap();
        assert_eq!(blocks.len(), 1);
        let block = &blocks[0];
        assert_eq!(block.resource_type, "azurerm_linux_web_app");
        assert_eq!(block.name, "api");
        assert_eq!(block.header.file, 7);
        assert_eq!(block.syntax, Syntax::Hcl);
        assert_eq!(
            slice(text, block.header),
            "resource \"azurerm_linux_web_app\" \"api\""
        );
        let body = slice(text, block.body_span);
        assert!(
            body.starts_with("{\n  name") && body.ends_with("count = 2\n}"),
            "{body}"
        );
        let names: Vec<&str> = block.attributes.iter().map(|a| a.name.as_str()).collect();
        // Nested blocks are not attributes.
        assert_eq!(names, ["name", "client_certificate_enabled", "count"]);
        let enabled = block.attribute("client_certificate_enabled").unwrap();
        assert_eq!(
            slice(text, enabled.span),
            "client_certificate_enabled = true"
        );
        assert_eq!(slice(text, enabled.value_span), "true");
        assert_eq!(slice(text, block.count().unwrap().value_span), "2");
        assert!(block.for_each().is_none());
    }

    #[test]
    fn only_site_types_keep_their_site_config_blocks() {
        let text = "resource \"azurerm_linux_web_app\" \"a\" {\n  identity {\n    type = \"SystemAssigned\"\n  }\n  site_config {\n    always_on = true\n    ip_restriction {\n      ip_address = \"10.0.0.0/8\"\n      headers {}\n    }\n    dynamic \"ip_restriction\" {\n      for_each = []\n      content {}\n    }\n    cors {}\n  }\n  lifecycle {}\n}\nresource \"azapi_resource\" \"b\" {\n  site_config {}\n}\nresource \"azurerm_service_plan\" \"c\" {\n  site_config {}\n}\n";
        let blocks = parse(text).unwrap();
        let site = &blocks[0].nested;
        assert_eq!(site.len(), 1, "{site:?}");
        assert_eq!(site[0].ident, "site_config");
        assert_eq!(
            site[0]
                .attributes
                .iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>(),
            ["always_on"]
        );
        let inner: Vec<(&str, Option<&str>)> = site[0]
            .blocks
            .iter()
            .map(|b| (b.ident.as_str(), b.label.as_deref()))
            .collect();
        assert_eq!(
            inner,
            [
                ("ip_restriction", None),
                ("dynamic", Some("ip_restriction"))
            ]
        );
        assert!(slice(text, site[0].blocks[0].span).starts_with("ip_restriction {"));
        assert!(site[0].blocks[0].blocks.is_empty(), "`headers` is not kept");
        assert_eq!(site[0].blocks[1].blocks[0].ident, "content");
        assert!(blocks[1].nested.is_empty() && blocks[2].nested.is_empty());
    }

    #[test]
    fn other_types_defer_their_attributes_which_read_with_file_spans() {
        let text = "# plan\nresource \"azurerm_service_plan\" \"p\" {\n  os_type = \"Linux\"\n  sku {\n    tier = 1\n  }\n  count = 2\n}\n";
        let blocks = parse(text).unwrap();
        let block = &blocks[0];
        assert!(block.attributes.is_empty(), "not kept with the file");
        let attributes = body_attributes(7, text, block.body_span);
        let names: Vec<&str> = attributes.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["os_type", "count"]);
        assert_eq!(slice(text, attributes[0].span), "os_type = \"Linux\"");
        assert_eq!(slice(text, attributes[0].value_span), "\"Linux\"");
        assert_eq!(attributes[1].span.file, 7);
        assert!(body_attributes(7, text, Span::new(7, 0..1)).is_empty());
    }

    #[test]
    fn only_top_level_resources_with_two_labels() {
        let text = "data \"azurerm_linux_web_app\" \"d\" {}\nmodule \"m\" {\n  source = \"./m\"\n}\nresource \"azurerm_linux_web_app\" {}\nlocals {\n  resource = 1\n}\nterraform {\n  resource \"azurerm_linux_web_app\" \"nested\" {}\n}\nresource azurerm_windows_web_app bare {}\n";
        let blocks = parse(text).unwrap();
        let addresses: Vec<String> = blocks.iter().map(ResourceBlock::address).collect();
        assert_eq!(addresses, ["azurerm_windows_web_app.bare"]);
        assert_eq!(slice(text, blocks[0].body_span), "{}");
    }

    #[test]
    fn reads_variables_locals_module_calls_and_constraints() {
        let text = "variable \"mtls\" {\n  type = bool\n  default = true\n  nullable = false\n}\nvariable \"free\" {}\nlocals {\n  a = local.b\n}\nlocals {\n  b = 1\n}\nmodule \"web\" {\n  source = \"./web\"\n  count = 2\n  mtls = var.mtls\n}\nterraform {\n  required_providers {\n    azurerm = {\n      source = \"hashicorp/azurerm\"\n      version = \"~> 4.0\"\n    }\n  }\n}\nprovider \"azurerm\" {\n  version = \"~> 2.0\"\n}\n";
        let items = read(7, &SourceFile::new("main.tf".into(), text)).unwrap();
        let mtls = &items.variables[0];
        assert_eq!(mtls.name, "mtls");
        assert_eq!(slice(text, mtls.header), "variable \"mtls\"");
        assert_eq!(
            slice(text, mtls.default.as_ref().unwrap().span),
            "default = true"
        );
        assert_eq!(mtls.type_constraint, Some(TypeConstraint::Bool));
        assert_eq!(mtls.nullable, Some(false));
        let free = &items.variables[1];
        assert!(free.default.is_none() && free.type_constraint.is_none());
        let locals: Vec<&str> = items.locals.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(locals, ["a", "b"]);
        let call = &items.calls[0];
        assert_eq!(call.name, "web");
        assert_eq!(call.source().as_deref(), Some("./web"));
        let inputs: Vec<&str> = call.inputs().map(|a| a.name.as_str()).collect();
        assert_eq!(inputs, ["mtls"]);
        assert!(call.attribute("count").is_some());
        assert_eq!(items.azurerm_constraints, ["~> 4.0", "~> 2.0"]);
    }

    #[test]
    fn heredocs_and_comments_are_not_resources() {
        let text = "# resource \"azurerm_linux_web_app\" \"c1\" {\n// resource \"azurerm_linux_web_app\" \"c2\" {}\n/*\nresource \"azurerm_linux_web_app\" \"c3\" {}\n*/\nlocals {\n  doc = <<EOT\nresource \"azurerm_linux_web_app\" \"x\" {\n}\nEOT\n}\n";
        assert!(parse(text).unwrap().is_empty());
    }

    #[test]
    fn parse_errors_point_at_the_problem() {
        let text = "resource \"a\" \"b\" {\n  name = \n  other = 1\n}\n";
        let error = parse(text).unwrap_err();
        let span = error.span.unwrap();
        // The expression is missing where the line ends.
        assert_eq!(span.start, text.find(" \n").unwrap() + 1);
        assert_eq!(span.file, 7);
        assert!(
            error.message.starts_with("invalid Terraform syntax: "),
            "{}",
            error.message
        );
        assert!(error.message.contains("expected"), "{}", error.message);
        assert_eq!(error.path, std::path::Path::new("main.tf"));
    }

    #[test]
    fn an_error_at_the_end_points_past_the_last_character() {
        let text = "a = [";
        let span = parse(text).unwrap_err().span.unwrap();
        assert_eq!(span.range(), 5..5);
        let text = "a = [ \"é\"";
        let span = parse(text).unwrap_err().span.unwrap();
        assert_eq!(span.range(), text.len()..text.len());
    }

    #[test]
    fn redefined_attributes_are_errors() {
        let text = "resource \"a\" \"b\" {\n  x = 1\n  x = 2\n}\n";
        let error = parse(text).unwrap_err();
        assert_eq!(error.span.unwrap().start, text.rfind("x = 2").unwrap());
    }

    /// Runs `parse` on a thread with the given stack size.
    fn parse_on_stack(stack: usize, text: String) -> Result<usize, String> {
        std::thread::Builder::new()
            .stack_size(stack)
            .spawn(move || match parse(&text) {
                Ok(blocks) => Ok(blocks.len()),
                Err(error) => Err(error.message),
            })
            .unwrap()
            .join()
            .expect("parsing must not panic")
    }

    #[test]
    fn objects_with_too_many_keys_are_an_error_not_a_quadratic_parse() {
        let keys = |n: usize| -> String { (0..n).map(|i| format!("    k{i} = {i}\n")).collect() };
        let text = format!(
            "locals {{\n  m = {{\n{}  }}\n}}\n",
            keys(MAX_OBJECT_ENTRIES + 1)
        );
        let source = SourceFile::new("main.tf".into(), text.as_str());
        let error = read(0, &source).unwrap_err();
        assert!(
            error.message.contains("more than 10000 entries"),
            "{}",
            error.message
        );
        let last = format!("k{MAX_OBJECT_ENTRIES} = ");
        assert_eq!(
            error.span.unwrap().start,
            text.find(&last).unwrap() + last.len() - 2
        );
        let text = format!("locals {{\n  m = {{\n{}  }}\n}}\n", keys(1000));
        assert!(read(0, &SourceFile::new("main.tf".into(), text.as_str())).is_ok());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let n = 100_000;
        let inputs = [
            format!("a = {}", "[".repeat(n)),
            format!("a = {}", "(".repeat(n)),
            format!("a = {}", "{".repeat(n)),
            format!("a = {}", "[for x in ".repeat(n)),
            format!("a = {}", "{for x in ".repeat(n)),
            format!("a = {}", "\"${".repeat(n)),
            format!("a = \"{}", "%{ if x }".repeat(n)),
            format!("a = {}", "<<EOT\n${".repeat(n)),
            "b {\n".repeat(n),
        ];
        // Refused before hcl-edit starts, so even the standard 2 MiB stack is enough.
        for input in inputs {
            let message = parse_on_stack(2 << 20, input).unwrap_err();
            assert!(
                message.contains("nesting deeper than 64 levels"),
                "{message}"
            );
        }
        // Nesting without brackets is left to hcl-edit's own limit of 64 levels.
        for input in [
            format!("a = {}x", "!".repeat(n)),
            format!("a = {}x", "x ? y : ".repeat(n)),
            format!("a = {}x", "x + ".repeat(n)),
        ] {
            let message = parse_on_stack(crate::limits::WORKER_STACK_SIZE, input).unwrap_err();
            assert!(message.starts_with("invalid Terraform syntax"), "{message}");
        }
    }

    /// Scans run on workers with [`crate::limits::WORKER_STACK_SIZE`]: the deepest file the
    /// limit lets through must parse there, with room to spare for the evaluation that follows.
    #[test]
    fn nesting_up_to_the_limit_parses_on_a_scan_worker_stack() {
        let m = MAX_NESTING - 1;
        // The costliest construct for hcl-edit's stack: `for` expressions in collections.
        let fors = format!(
            "resource \"t\" \"n\" {{\n  a = {}z{}\n}}\n",
            "[for x in ".repeat(m),
            " : x]".repeat(m)
        );
        assert_eq!(
            parse_on_stack(crate::limits::WORKER_STACK_SIZE / 4, fors),
            Ok(1)
        );
        let objects = format!(
            "a = {}1{}\n",
            "{for k, v in ".repeat(MAX_NESTING),
            " : k => v}".repeat(MAX_NESTING)
        );
        assert_eq!(
            parse_on_stack(crate::limits::WORKER_STACK_SIZE / 4, objects),
            Ok(0)
        );
        let templates = format!(
            "a = {}x{}\n",
            "\"${".repeat(MAX_NESTING / 2),
            "}\"".repeat(MAX_NESTING / 2)
        );
        assert_eq!(
            parse_on_stack(crate::limits::WORKER_STACK_SIZE / 4, templates),
            Ok(0)
        );
    }
}
