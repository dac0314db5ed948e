//! Inserting members into a JSON object (`.tf.json` bodies, ARM `properties`) in the file's own
//! style: the siblings' indentation and newline, commas where JSON needs them (before a
//! sibling's trailing comment, not after it), a trailing comma kept when the object uses one,
//! single-line objects kept on one line, comments untouched.

use super::insert::{MemberAt, NewText, Request, TextEdit};
use super::text::{Comments, only_trivia, skip_trivia};

pub fn insert(request: &Request) -> Result<Vec<TextEdit>, String> {
    let text = request.text;
    let lines = request.lines;
    let unit = request.object_unit();
    let separator = request
        .members
        .first()
        .map_or(": ".to_string(), |m| key_value_separator(text, m));
    let render = |indent: Option<&str>, newline: &str| -> Vec<String> {
        request
            .new
            .iter()
            .map(|(name, value)| member(name, value, &separator, indent, &unit, newline))
            .collect()
    };
    let Some((i, after)) = request.neighbour() else {
        return into_empty(request, &unit, &render);
    };
    let neighbour = &request.members[i];
    let own_line = lines.starts_line(neighbour.span.start);
    let indent = lines
        .indent(lines.line_of(neighbour.span.start))
        .to_string();
    let newline = lines.newline(lines.line_of(neighbour.span.start));
    if !after {
        let at = neighbour.span.start;
        if own_line {
            let line_start = lines.start(lines.line_of(at));
            let block: String = render(Some(&indent), newline)
                .iter()
                .map(|m| format!("{indent}{m},{newline}"))
                .collect();
            return Ok(vec![(line_start..line_start, block)]);
        }
        let inline: String = render(None, newline)
            .iter()
            .map(|m| format!("{m}, "))
            .collect();
        return Ok(vec![(at..at, inline)]);
    }
    let end = neighbour.span.end;
    let next = skip_trivia(text, end, Comments::Json);
    let line = lines.line_of(end);
    match text.as_bytes().get(next) {
        // The neighbour is the last member and has no comma.
        Some(b'}') => {
            let line_end = lines.end(line);
            if lines.line_of(next) == line
                || !own_line
                || !only_trivia(text, end, line_end, Comments::Json)
            {
                let inline: String = render(None, newline)
                    .iter()
                    .map(|m| format!(", {m}"))
                    .collect();
                return Ok(vec![(end..end, inline)]);
            }
            let members = render(Some(&indent), newline);
            let block: String = members
                .iter()
                .enumerate()
                .map(|(k, m)| {
                    let comma = if k + 1 < members.len() { "," } else { "" };
                    format!("{newline}{indent}{m}{comma}")
                })
                .collect();
            // The comma goes right after the value, before any comment on its line.
            if line_end == end {
                Ok(vec![(end..end, format!(",{block}"))])
            } else {
                Ok(vec![(end..end, ",".into()), (line_end..line_end, block)])
            }
        }
        // A comma follows: more members, or a trailing comma this object's style keeps.
        Some(b',') => {
            let comma_line_end = lines.end(lines.line_of(next));
            if own_line && only_trivia(text, next + 1, comma_line_end, Comments::Json) {
                let block: String = render(Some(&indent), newline)
                    .iter()
                    .map(|m| format!("{newline}{indent}{m},"))
                    .collect();
                Ok(vec![(comma_line_end..comma_line_end, block)])
            } else {
                let inline: String = render(None, newline)
                    .iter()
                    .map(|m| format!(" {m},"))
                    .collect();
                Ok(vec![(next + 1..next + 1, inline)])
            }
        }
        _ => Err("unexpected text after the object's member".into()),
    }
}

/// Members into an object that has none (`{}` or `{ /* comment */ }`).
fn into_empty(
    request: &Request,
    unit: &str,
    render: &dyn Fn(Option<&str>, &str) -> Vec<String>,
) -> Result<Vec<TextEdit>, String> {
    let text = request.text;
    let lines = request.lines;
    let open = request.body.start;
    let close = request.body.end.saturating_sub(1);
    if !only_trivia(text, open + 1, close, Comments::Json) {
        return Err("the object holds something certgate did not expect".into());
    }
    // A minified file stays on one line.
    if lines.single_line() {
        return Ok(vec![(open + 1..open + 1, render(None, "\n").join(", "))]);
    }
    let open_line = lines.line_of(open);
    let outer = lines.indent(open_line).to_string();
    let inner = format!("{outer}{unit}");
    let newline = lines.newline(open_line);
    let block = render(Some(&inner), newline)
        .iter()
        .map(|m| format!("{newline}{inner}{m}"))
        .collect::<Vec<_>>()
        .join(",");
    if lines.line_of(close) == open_line {
        Ok(vec![(
            open + 1..open + 1,
            format!("{block}{newline}{outer}"),
        )])
    } else {
        let line_end = lines.end(open_line);
        if !only_trivia(text, open + 1, line_end, Comments::Json) {
            return Err("something follows the object's `{` on its line".into());
        }
        Ok(vec![(line_end..line_end, block)])
    }
}

/// `"name": value`; an object value is spread over lines indented from `indent` (inline when
/// `indent` is `None`).
fn member(
    name: &str,
    value: &NewText,
    separator: &str,
    indent: Option<&str>,
    unit: &str,
    newline: &str,
) -> String {
    let key = format!("\"{name}\"{separator}");
    match value {
        NewText::Scalar(value) => format!("{key}{value}"),
        NewText::Object(members) => {
            let inner: Vec<String> = members
                .iter()
                .map(|(k, v)| format!("\"{k}\"{separator}{v}"))
                .collect();
            match indent {
                None => format!("{key}{{{}}}", inner.join(", ")),
                Some(indent) => {
                    let body: Vec<String> = inner
                        .iter()
                        .map(|m| format!("{newline}{indent}{unit}{m}"))
                        .collect();
                    format!("{key}{{{}{newline}{indent}}}", body.join(","))
                }
            }
        }
    }
}

/// What sits between a member's key and its value (`": "`, `":"`), when it is plain.
fn key_value_separator(text: &str, member: &MemberAt) -> String {
    let between = text
        .get(member.span.start..member.value.start)
        .unwrap_or_default();
    // The key is the quoted string that opens the member: the separator follows its quote.
    let key_end = between
        .get(1..)
        .and_then(|b| b.find('"'))
        .map_or(0, |at| at + 2);
    let separator = &between[key_end.min(between.len())..];
    if separator.trim() == ":" && !separator.contains('\n') {
        separator.to_string()
    } else {
        ": ".into()
    }
}

#[cfg(test)]
mod tests {
    use super::super::insert::At;
    use super::super::text::Lines;
    use super::*;

    /// Inserts into the object at `object` (its `{` offset), whose members are read with the
    /// crate's JSON reader.
    fn run(text: &str, object_at: usize, at: At, new: Vec<(String, NewText)>) -> String {
        let doc = crate::json::parse(text).unwrap();
        fn find(json: &crate::json::Json, at: usize) -> Option<&crate::json::Json> {
            if json.span.start == at && json.is_object() {
                return Some(json);
            }
            match &json.kind {
                crate::json::JsonKind::Object(members) => {
                    members.iter().find_map(|m| find(&m.value, at))
                }
                crate::json::JsonKind::Array(items) => items.iter().find_map(|i| find(i, at)),
                _ => None,
            }
        }
        let object = find(&doc.root, object_at).expect("object at offset");
        let lines = Lines::new(text);
        let request = Request {
            text,
            lines: &lines,
            body: object.span.clone(),
            members: object
                .members()
                .iter()
                .map(|m| MemberAt {
                    name: m.key.clone(),
                    span: m.span.clone(),
                    value: m.value.span.clone(),
                })
                .collect(),
            at,
            new,
        };
        let mut edits = insert(&request).unwrap();
        edits.sort_by_key(|(r, _)| (r.start, r.end));
        let mut out = text.to_string();
        for (range, replacement) in edits.into_iter().rev() {
            out.replace_range(range, &replacement);
        }
        crate::json::parse(&out).unwrap_or_else(|e| panic!("{out}\n{e:?}"));
        out
    }

    fn enabled() -> Vec<(String, NewText)> {
        vec![("clientCertEnabled".into(), NewText::Scalar("true".into()))]
    }

    #[test]
    fn comma_goes_before_a_trailing_comment() {
        let text = "{\n    \"a\": 1 // one\n}";
        let out = run(text, 0, At::End, enabled());
        assert_eq!(
            out,
            "{\n    \"a\": 1, // one\n    \"clientCertEnabled\": true\n}"
        );
    }

    #[test]
    fn trailing_comma_style_is_kept() {
        let text = "{\r\n\t\"a\": 1,\r\n}\r\n";
        let out = run(text, 0, At::End, enabled());
        assert_eq!(
            out,
            "{\r\n\t\"a\": 1,\r\n\t\"clientCertEnabled\": true,\r\n}\r\n"
        );
    }

    #[test]
    fn single_line_objects_stay_on_one_line() {
        let text = "{\"p\": {\"a\":1}}";
        assert_eq!(
            run(text, 6, At::End, enabled()),
            "{\"p\": {\"a\":1, \"clientCertEnabled\":true}}"
        );
        let text = "{\"p\": {\"a\": 1, \"b\": 2}}";
        assert_eq!(
            run(text, 6, At::After(0), enabled()),
            "{\"p\": {\"a\": 1, \"clientCertEnabled\": true, \"b\": 2}}"
        );
        assert_eq!(
            run(text, 6, At::Before(1), enabled()),
            "{\"p\": {\"a\": 1, \"clientCertEnabled\": true, \"b\": 2}}"
        );
    }

    #[test]
    fn before_a_member_on_its_own_line() {
        let text = "{\n  \"a\": 1,\n  \"mode\": \"Optional\"\n}\n";
        let out = run(text, 0, At::Before(1), enabled());
        assert_eq!(
            out,
            "{\n  \"a\": 1,\n  \"clientCertEnabled\": true,\n  \"mode\": \"Optional\"\n}\n"
        );
    }

    #[test]
    fn a_new_object_is_created_in_the_resource() {
        let text = "{\n  \"resources\": [\n    {\n      \"type\": \"t\",\n      \"name\": \"n\"\n    }\n  ]\n}\n";
        let object = text.find("{\n      \"type\"").unwrap();
        let new = vec![(
            "properties".to_string(),
            NewText::Object(vec![
                ("clientCertEnabled".into(), "true".into()),
                ("clientCertMode".into(), "\"Required\"".into()),
            ]),
        )];
        let out = run(text, object, At::End, new);
        assert_eq!(
            out,
            "{\n  \"resources\": [\n    {\n      \"type\": \"t\",\n      \"name\": \"n\",\n      \"properties\": {\n        \"clientCertEnabled\": true,\n        \"clientCertMode\": \"Required\"\n      }\n    }\n  ]\n}\n"
        );
    }

    #[test]
    fn empty_objects_open_up_or_stay_minified() {
        let text = "{\n  \"p\": {}\n}";
        assert_eq!(
            run(text, 9, At::End, enabled()),
            "{\n  \"p\": {\n    \"clientCertEnabled\": true\n  }\n}"
        );
        assert_eq!(
            run("{\"p\": {}}", 6, At::End, enabled()),
            "{\"p\": {\"clientCertEnabled\": true}}"
        );
    }
}
