//! Inserting attributes into a Terraform block body in the file's own style: a line of its
//! own with the sibling lines' indentation and newline, and `=` aligned as `terraform fmt`
//! aligns a run of single-line attributes.
//!
//! `terraform fmt` aligns the `=` of consecutive lines that each hold a whole single-line
//! attribute; any other line (blank, comment, block, multi-line value) ends the run. When the
//! run the new line joins is aligned that way, the new line is padded to match, and when its
//! key is the longest the run is realigned, exactly as `terraform fmt` would leave it. A run
//! that is not aligned (the file is not formatted) is left alone and the new line uses one
//! space on each side of `=`.

use std::collections::BTreeMap;

use super::insert::{MemberAt, NewText, Request, TextEdit};
use super::text::{Comments, indent_unit, only_trivia};

/// One single-line attribute line of the body.
struct AssignLine {
    indent: String,
    key_len: usize,
    key_end: usize,
    equals: usize,
    /// Characters from the key's start to `=`.
    equals_column: usize,
}

pub fn insert(request: &Request) -> Result<Vec<TextEdit>, String> {
    let text = request.text;
    let lines = request.lines;
    // An object (an AzAPI body's missing `properties`) is written as a multi-line
    // `name = { … }` attribute, which `terraform fmt` leaves out of alignment runs.
    let nested = request
        .new
        .iter()
        .any(|(_, value)| matches!(value, NewText::Object(_)));
    let unit = indent_unit(text);
    let new: Vec<(&str, String)> = request
        .new
        .iter()
        .map(|(name, value)| match value {
            NewText::Scalar(value) => (name.as_str(), value.clone()),
            // Spelled below, once the indentation is known.
            NewText::Object(_) => (name.as_str(), String::new()),
        })
        .collect();
    let close = request.body.end.saturating_sub(1);
    let open = request.body.start;
    if lines.line_of(open) == lines.line_of(close) && !request.members.is_empty() {
        return Err(
            "the block is written on one line; put its body on lines of its own first".into(),
        );
    }
    // Where the new lines go, the lines around them, their indentation and newline.
    let (position, above, below, indent, newline, wrap) = match request.neighbour() {
        Some((i, after)) => {
            let member = &request.members[i];
            if !lines.starts_line(member.span.start) {
                return Err(
                    "the attribute next to which the setting belongs does not start its line"
                        .into(),
                );
            }
            let indent = lines.indent(lines.line_of(member.span.start)).to_string();
            if after {
                let line = lines.line_of(member.span.end);
                if lines.line_of(close) <= line {
                    return Err("the block's closing `}` is on the line of an attribute; put it on its own line first".into());
                }
                let next = lines
                    .next_start(line)
                    .ok_or("the block has no line after the attribute")?;
                (
                    next,
                    Some(line),
                    Some(line + 1),
                    indent,
                    lines.newline(line),
                    None,
                )
            } else {
                let line = lines.line_of(member.span.start);
                (
                    lines.start(line),
                    line.checked_sub(1),
                    Some(line),
                    indent,
                    lines.newline(line),
                    None,
                )
            }
        }
        None => {
            let open_line = lines.line_of(open);
            let header_indent = lines.indent(open_line).to_string();
            let newline = lines.newline(open_line);
            if lines.line_of(close) == open_line {
                if !only_trivia(text, open + 1, close, Comments::Hcl) {
                    return Err(
                        "the block is written on one line; put its body on lines of its own first"
                            .into(),
                    );
                }
                let indent = format!("{header_indent}{}", indent_unit(text));
                // `{}` becomes `{\n  new = value\n}`.
                (open + 1, None, None, indent, newline, Some(header_indent))
            } else {
                if !only_trivia(text, open + 1, lines.end(open_line), Comments::Hcl) {
                    return Err("something follows the block's `{` on its line".into());
                }
                let first_inside = (open_line + 1..lines.line_of(close))
                    .find(|&line| !lines.content(line).trim().is_empty());
                let indent = match first_inside {
                    Some(line) => lines.indent(line).to_string(),
                    None => format!("{header_indent}{}", indent_unit(text)),
                };
                let next = lines
                    .next_start(open_line)
                    .ok_or("the block has no body lines")?;
                (next, None, Some(open_line + 1), indent, newline, None)
            }
        }
    };

    let by_line: BTreeMap<usize, AssignLine> = request
        .members
        .iter()
        .filter_map(|member| {
            assign_line(request, member).map(|a| (lines.line_of(member.span.start), a))
        })
        .collect();
    let mut run: Vec<&AssignLine> = Vec::new();
    let mut line = above;
    while let Some(l) = line {
        match by_line.get(&l).filter(|a| a.indent == indent) {
            Some(assign) => run.push(assign),
            None => break,
        }
        line = l.checked_sub(1);
    }
    let mut line = below;
    while let Some(l) = line {
        match by_line.get(&l).filter(|a| a.indent == indent) {
            Some(assign) => run.push(assign),
            None => break,
        }
        line = Some(l + 1);
    }

    let longest_existing = run.iter().map(|a| a.key_len).max().unwrap_or(0);
    let aligned = !nested && run.iter().all(|a| a.equals_column == longest_existing + 1);
    let longest_new = new
        .iter()
        .map(|(name, _)| name.chars().count())
        .max()
        .unwrap_or(0);
    let column = longest_existing.max(longest_new) + 1;
    let mut edits = Vec::new();
    if aligned {
        for assign in &run {
            if assign.equals_column != column {
                edits.push((
                    assign.key_end..assign.equals,
                    " ".repeat(column - assign.key_len),
                ));
            }
        }
    }
    let mut inserted = String::new();
    if wrap.is_some() {
        inserted.push_str(newline);
    }
    for (i, (name, value)) in new.iter().enumerate() {
        let padding = if aligned {
            column - name.chars().count()
        } else {
            1
        };
        let value = match request.new.get(i) {
            Some((_, NewText::Object(members))) => object_text(members, &indent, &unit, newline),
            _ => value.clone(),
        };
        inserted.push_str(&format!("{indent}{name}{}= {value}", " ".repeat(padding)));
        if wrap.is_none() || i + 1 < new.len() {
            inserted.push_str(newline);
        }
    }
    if let Some(header_indent) = wrap {
        inserted.push_str(newline);
        inserted.push_str(&header_indent);
    }
    edits.push((position..position, inserted));
    Ok(edits)
}

/// `{`, one aligned `key = value` line per member one indent deeper, and `}` at `indent`.
fn object_text(members: &[(String, String)], indent: &str, unit: &str, newline: &str) -> String {
    let longest = members
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::from("{");
    for (key, value) in members {
        let padding = " ".repeat(longest - key.chars().count() + 1);
        out.push_str(&format!("{newline}{indent}{unit}{key}{padding}= {value}"));
    }
    out.push_str(&format!("{newline}{indent}}}"));
    out
}

/// The member as a line `terraform fmt` aligns: a whole single-line attribute on its own line.
fn assign_line(request: &Request, member: &MemberAt) -> Option<AssignLine> {
    let text = request.text;
    let lines = request.lines;
    let line = lines.line_of(member.span.start);
    if line != lines.line_of(member.span.end) || !lines.starts_line(member.span.start) {
        return None;
    }
    let key_len = text
        .get(member.span.start..)?
        .find(|c: char| c.is_whitespace() || c == '=')?;
    let key_end = member.span.start + key_len;
    let between = text.get(key_end..member.value.start)?;
    let equals = key_end + between.find('=')?;
    let spaces_only = |s: &str| s.bytes().all(|b| b == b' ' || b == b'\t');
    if !spaces_only(&text[key_end..equals]) || !spaces_only(&between[equals - key_end + 1..]) {
        return None;
    }
    Some(AssignLine {
        indent: lines.indent(line).to_string(),
        key_len,
        key_end,
        equals,
        equals_column: equals - member.span.start,
    })
}

#[cfg(test)]
mod tests {
    use super::super::insert::At;
    use super::super::text::Lines;
    use super::*;

    /// Inserts `new` into the only block of `text`, whose attributes are found by name.
    fn run(
        text: &str,
        at: &dyn Fn(&[MemberAt]) -> At,
        new: &[(&str, &str)],
    ) -> Result<String, String> {
        let open = text.find('{').unwrap();
        let close = text.rfind('}').unwrap() + 1;
        let mut members = Vec::new();
        let mut offset = open + 1;
        for line in text[open + 1..close - 1].split_inclusive('\n') {
            let trimmed = line.trim_start();
            let start = offset + (line.len() - trimmed.len());
            if let Some(eq) = trimmed.find(" =").or_else(|| trimmed.find('=')) {
                let name = trimmed[..eq].trim().to_string();
                let content = trimmed.trim_end();
                let value_start = start + trimmed[eq..].find('=').unwrap() + eq + 1;
                let value_start = value_start
                    + (text[value_start..].len() - text[value_start..].trim_start().len());
                if !name.contains(' ') && !name.is_empty() {
                    members.push(MemberAt {
                        name,
                        span: start..start + content.len(),
                        value: value_start..start + content.len(),
                    });
                }
            }
            offset += line.len();
        }
        let lines = Lines::new(text);
        let request = Request {
            text,
            lines: &lines,
            body: open..close,
            at: at(&members),
            members,
            new: new
                .iter()
                .map(|(n, v)| (n.to_string(), NewText::Scalar(v.to_string())))
                .collect(),
        };
        let mut edits = insert(&request)?;
        edits.sort_by_key(|(range, _)| (range.start, range.end));
        let mut out = text.to_string();
        for (range, replacement) in edits.into_iter().rev() {
            out.replace_range(range, &replacement);
        }
        Ok(out)
    }

    const ENABLED: &[(&str, &str)] = &[("client_certificate_enabled", "true")];

    #[test]
    fn aligned_run_is_realigned_when_the_new_key_is_longest() {
        let text = "resource \"a\" \"b\" {\n  name     = \"x\"\n  location = \"y\"\n\n  site_config {}\n}\n";
        let out = run(text, &|_| At::End, ENABLED).unwrap();
        assert_eq!(
            out,
            "resource \"a\" \"b\" {\n  name                       = \"x\"\n  location                   = \"y\"\n  client_certificate_enabled = true\n\n  site_config {}\n}\n"
        );
    }

    #[test]
    fn aligned_run_with_room_pads_the_new_line() {
        let text =
            "x {\n  client_certificate_mode_x = \"Optional\"\n  b                         = 1\n}\n";
        let out = run(text, &|_| At::Before(0), &[("mode", "\"Required\"")]).unwrap();
        assert_eq!(
            out,
            "x {\n  mode                      = \"Required\"\n  client_certificate_mode_x = \"Optional\"\n  b                         = 1\n}\n"
        );
    }

    #[test]
    fn unaligned_run_is_left_alone() {
        let text = "x {\n\tname = \"x\"\n\tresource_group_name = \"y\"\n}";
        let out = run(text, &|_| At::After(0), ENABLED).unwrap();
        assert_eq!(
            out,
            "x {\n\tname = \"x\"\n\tclient_certificate_enabled = true\n\tresource_group_name = \"y\"\n}"
        );
    }

    #[test]
    fn empty_bodies_get_lines_with_one_more_indentation_level() {
        let out = run("  x {}\n", &|_| At::End, ENABLED).unwrap();
        assert_eq!(out, "  x {\n    client_certificate_enabled = true\n  }\n");
        let out = run(
            "x {\r\n  site_config {\r\n  }\r\n}\r\n",
            &|_| At::End,
            &[("a", "1"), ("bb", "2")],
        )
        .unwrap();
        assert_eq!(
            out,
            "x {\r\n  a  = 1\r\n  bb = 2\r\n  site_config {\r\n  }\r\n}\r\n"
        );
    }

    #[test]
    fn one_line_blocks_are_refused() {
        let error = run("x { name = 1 }", &|_| At::End, ENABLED).unwrap_err();
        assert!(error.contains("written on one line"), "{error}");
    }
}
