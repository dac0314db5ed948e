//! Inserting properties into a Bicep object in the file's own style: newline-separated in a
//! multi-line object (with the siblings' indentation, a comma only where the sibling lines
//! carry one), comma-separated in a single-line object, comments untouched.

use super::insert::{NewText, Request, TextEdit};
use super::text::{Comments, only_trivia};

pub fn insert(request: &Request) -> Result<Vec<TextEdit>, String> {
    let text = request.text;
    let lines = request.lines;
    let open = request.body.start;
    let close = request.body.end.saturating_sub(1);
    let single_line = lines.line_of(open) == lines.line_of(close);
    let unit = request.object_unit();
    let Some((i, after)) = request.neighbour() else {
        if !only_trivia(text, open + 1, close, Comments::Json) {
            return Err("the object holds something certgate did not expect".into());
        }
        let outer = lines.indent(lines.line_of(open)).to_string();
        let inner = format!("{outer}{unit}");
        let newline = lines.newline(lines.line_of(open));
        let block: String = rendered(request, &inner, &unit, newline)
            .iter()
            .map(|m| format!("{newline}{inner}{m}"))
            .collect();
        return Ok(if single_line {
            vec![(open + 1..close, format!("{block}{newline}{outer}"))]
        } else {
            let line_end = lines.end(lines.line_of(open));
            if !only_trivia(text, open + 1, line_end, Comments::Json) {
                return Err("something follows the object's `{` on its line".into());
            }
            vec![(line_end..line_end, block)]
        });
    };
    let neighbour = &request.members[i];
    let line = lines.line_of(if after {
        neighbour.span.end
    } else {
        neighbour.span.start
    });
    let indent = lines
        .indent(lines.line_of(neighbour.span.start))
        .to_string();
    let newline = lines.newline(line);
    let members = rendered(request, &indent, &unit, newline);
    if single_line || !lines.starts_line(neighbour.span.start) {
        return Ok(if after {
            let inline: String = members.iter().map(|m| format!(", {m}")).collect();
            vec![(neighbour.span.end..neighbour.span.end, inline)]
        } else {
            let inline: String = members.iter().map(|m| format!("{m}, ")).collect();
            vec![(neighbour.span.start..neighbour.span.start, inline)]
        });
    }
    // A sibling line that ends with a comma asks for one on the new lines too.
    let line_end = lines.end(line);
    let rest = text
        .get(neighbour.span.end..line_end)
        .unwrap_or_default()
        .trim_start();
    let comma = if rest.starts_with(',') { "," } else { "" };
    let rest = rest.strip_prefix(',').unwrap_or(rest);
    if !only_trivia(rest, 0, rest.len(), Comments::Json) {
        return Err("something follows the property on its line".into());
    }
    if after {
        let block: String = members
            .iter()
            .map(|m| format!("{newline}{indent}{m}{comma}"))
            .collect();
        Ok(vec![(line_end..line_end, block)])
    } else {
        let start = lines.start(line);
        let block: String = members
            .iter()
            .map(|m| format!("{indent}{m}{comma}{newline}"))
            .collect();
        Ok(vec![(start..start, block)])
    }
}

/// `key: value`; an object value spreads over lines indented one level from `indent`.
fn rendered(request: &Request, indent: &str, unit: &str, newline: &str) -> Vec<String> {
    request
        .new
        .iter()
        .map(|(name, value)| match value {
            NewText::Scalar(value) => format!("{name}: {value}"),
            NewText::Object(members) => {
                let body: String = members
                    .iter()
                    .map(|(k, v)| format!("{newline}{indent}{unit}{k}: {v}"))
                    .collect();
                format!("{name}: {{{body}{newline}{indent}}}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::insert::{At, MemberAt};
    use super::super::text::Lines;
    use super::*;

    /// Inserts into the object starting at `open`, whose `key: value` lines are its members.
    fn run(text: &str, open: usize, at: At, new: Vec<(String, NewText)>) -> String {
        let close = open + text[open..].find('}').unwrap() + 1;
        let mut members = Vec::new();
        let mut offset = open + 1;
        for piece in text[open + 1..close - 1].split_inclusive(['\n', ',']) {
            let trimmed = piece.trim_start();
            let start = offset + (piece.len() - trimmed.len());
            if let Some(colon) = trimmed.find(':') {
                let content = trimmed.trim_end().trim_end_matches(',').trim_end();
                let value_start = start
                    + colon
                    + 1
                    + (trimmed[colon + 1..].len() - trimmed[colon + 1..].trim_start().len());
                members.push(MemberAt {
                    name: trimmed[..colon].to_string(),
                    span: start..start + content.len(),
                    value: value_start..start + content.len(),
                });
            }
            offset += piece.len();
        }
        let lines = Lines::new(text);
        let request = Request {
            text,
            lines: &lines,
            body: open..close,
            members,
            at,
            new,
        };
        let mut edits = insert(&request).unwrap();
        edits.sort_by_key(|(r, _)| (r.start, r.end));
        let mut out = text.to_string();
        for (range, replacement) in edits.into_iter().rev() {
            out.replace_range(range, &replacement);
        }
        out
    }

    fn enabled() -> Vec<(String, NewText)> {
        vec![("clientCertEnabled".into(), NewText::Scalar("true".into()))]
    }

    #[test]
    fn newline_separated_objects_get_a_line() {
        let text = "resource s 'x' = {\n  properties: {\n    httpsOnly: true // yes\n  }\n}\n";
        let open = text.find("{\n    https").unwrap();
        assert_eq!(
            run(text, open, At::End, enabled()),
            "resource s 'x' = {\n  properties: {\n    httpsOnly: true // yes\n    clientCertEnabled: true\n  }\n}\n"
        );
    }

    #[test]
    fn comma_separated_objects_stay_on_one_line() {
        let text = "var p = { httpsOnly: true, name: 'a' }\n";
        assert_eq!(
            run(text, 8, At::End, enabled()),
            "var p = { httpsOnly: true, name: 'a', clientCertEnabled: true }\n"
        );
    }

    #[test]
    fn a_missing_properties_object_is_created() {
        let text = "resource s 'x' = {\n\tname: 'a'\n}\n";
        let new = vec![(
            "properties".to_string(),
            NewText::Object(vec![("clientCertEnabled".into(), "true".into())]),
        )];
        assert_eq!(
            run(text, 17, At::End, new),
            "resource s 'x' = {\n\tname: 'a'\n\tproperties: {\n\t\tclientCertEnabled: true\n\t}\n}\n"
        );
        let text = "resource s 'x' = {\n  properties: {}\n}\n";
        assert_eq!(
            run(text, text.find("{}").unwrap(), At::End, enabled()),
            "resource s 'x' = {\n  properties: {\n    clientCertEnabled: true\n  }\n}\n"
        );
    }
}
