//! Reads one `.tf` file (Terraform native syntax) into resource blocks, using hcl-edit.
//!
//! hcl-edit is a real parser, so comments and heredoc text never look like resources.

use hcl_edit::structure::{Block, BlockLabel, Body};
use hcl_edit::{Decorate as _, Span as _};

use super::nesting::{self, MAX_NESTING};
use super::syntax::{Attribute, AttributeExpr, FileBlocks, ResourceBlock};
use crate::error::FileError;
use crate::model::Syntax;
use crate::source::{FileId, SourceFile, Span};

/// Parses `source` and returns its top-level `resource` blocks with two labels.
pub fn read(file: FileId, source: &SourceFile) -> FileBlocks {
    let text = source.text();
    if let Err(offset) = nesting::check(text, MAX_NESTING) {
        return Err(FileError::at(
            source.path(),
            char_span(file, text, offset),
            format!(
                "nesting deeper than {MAX_NESTING} levels (brackets, blocks, strings and \
                 interpolations); certgate does not parse files nested this deeply"
            ),
        ));
    }
    let body = hcl_edit::parser::parse_body(text).map_err(|error| {
        let offset = error_offset(text, error.location());
        FileError::at(
            source.path(),
            char_span(file, text, offset),
            format!("invalid Terraform syntax: {}", error.message()),
        )
    })?;
    Ok(resource_blocks(file, text, &body))
}

fn resource_blocks(file: FileId, text: &str, body: &Body) -> Vec<ResourceBlock> {
    body.blocks()
        .filter(|block| block.has_ident("resource") && block.labels.len() == 2)
        .filter_map(|block| resource_block(file, text, block))
        .collect()
}

fn resource_block(file: FileId, text: &str, block: &Block) -> Option<ResourceBlock> {
    // Every node hcl-edit returns from parsing has a span; `?` only guards the API's Option.
    let block_span = block.span()?;
    let start = block.ident.span()?.start;
    let last_label = block.labels.last()?;
    let header_end = last_label.span()?.end;
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
    let attributes = block
        .body
        .attributes()
        .filter_map(|attr| {
            Some(Attribute {
                name: attr.key.as_str().to_string(),
                span: Span::new(file, attr.span()?),
                value_span: Span::new(file, attr.value.span()?),
                expr: AttributeExpr::Hcl(attr.value.clone()),
            })
        })
        .collect();
    Some(ResourceBlock {
        resource_type: block.labels[0].as_str().to_string(),
        name: last_label.as_str().to_string(),
        file,
        syntax: Syntax::Hcl,
        header: Span::new(file, start..header_end),
        body_span: Span::new(file, body_start..block_span.end),
        attributes,
    })
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
fn char_span(file: FileId, text: &str, offset: usize) -> Span {
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

    fn parse(text: &str) -> FileBlocks {
        read(7, &SourceFile::new("main.tf".into(), text))
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
        assert_eq!(block.file, 7);
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
    fn only_top_level_resources_with_two_labels() {
        let text = "data \"azurerm_linux_web_app\" \"d\" {}\nmodule \"m\" {\n  source = \"./m\"\n}\nresource \"azurerm_linux_web_app\" {}\nlocals {\n  resource = 1\n}\nterraform {\n  resource \"azurerm_linux_web_app\" \"nested\" {}\n}\nresource azurerm_windows_web_app bare {}\n";
        let blocks = parse(text).unwrap();
        let addresses: Vec<String> = blocks.iter().map(ResourceBlock::address).collect();
        assert_eq!(addresses, ["azurerm_windows_web_app.bare"]);
        assert_eq!(slice(text, blocks[0].body_span), "{}");
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

    /// Runs `parse` on a thread with the standard 2 MiB stack spawned threads get.
    fn parse_on_small_stack(text: String) -> Result<usize, String> {
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || match parse(&text) {
                Ok(blocks) => Ok(blocks.len()),
                Err(error) => Err(error.message),
            })
            .unwrap()
            .join()
            .expect("parsing must not panic")
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
        for input in inputs {
            let message = parse_on_small_stack(input).unwrap_err();
            assert!(
                message.contains("nesting deeper than 32 levels"),
                "{message}"
            );
        }
        // Nesting without brackets is left to hcl-edit's own limit of 64 levels.
        for input in [
            format!("a = {}x", "!".repeat(n)),
            format!("a = {}x", "x ? y : ".repeat(n)),
            format!("a = {}x", "x + ".repeat(n)),
        ] {
            let message = parse_on_small_stack(input).unwrap_err();
            assert!(message.starts_with("invalid Terraform syntax"), "{message}");
        }
    }

    #[test]
    fn nesting_up_to_the_limit_parses_on_a_small_stack() {
        let m = MAX_NESTING - 1;
        // The costliest construct for hcl-edit's stack: `for` expressions in collections, with
        // cheap unary and conditional levels that the pre-check does not count on top.
        let fors = format!(
            "resource \"t\" \"n\" {{\n  a = {}{}z{}\n}}\n",
            "[for x in ".repeat(m),
            "!x ? ".repeat(30),
            " : y".repeat(30) + &" : x]".repeat(m)
        );
        assert_eq!(parse_on_small_stack(fors), Ok(1));
        let objects = format!(
            "a = {}1{}\n",
            "{for k, v in ".repeat(MAX_NESTING),
            " : k => v}".repeat(MAX_NESTING)
        );
        assert_eq!(parse_on_small_stack(objects), Ok(0));
        let templates = format!(
            "a = {}x{}\n",
            "\"${".repeat(MAX_NESTING / 2),
            "}\"".repeat(MAX_NESTING / 2)
        );
        assert_eq!(parse_on_small_stack(templates), Ok(0));
    }
}
