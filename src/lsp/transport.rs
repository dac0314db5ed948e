//! The language server's wire: `Content-Length` framing of JSON-RPC messages over stdin and
//! stdout.
//!
//! Written here instead of taking `lsp_server::Connection::stdio`, because that reader trusts
//! its input: a `Content-Length` of 2^64-1 panics (it resizes a buffer to it), 1 TiB aborts on
//! the allocation, and a body that is not a JSON-RPC message (invalid JSON, a lone surrogate,
//! `[]`) ends the reader thread, so the server exits. An editor's server must outlive a bad
//! message. This reader caps a body at [`MAX_LSP_BODY`], reads it as it arrives (so a large
//! announced length allocates nothing up front), and turns a body that is not a message into
//! [`Incoming::Malformed`], which the server answers with a parse error (-32700) while it
//! keeps serving. Only a header that makes it impossible to find the next message closes the
//! connection, with the reason. Messages are still `lsp_server::Message`s, so the rest of the
//! server keeps using `lsp-server`'s types.

use std::io::{self, BufRead, Read, Write};

use lsp_server::Message;

use crate::limits::{MAX_LSP_BODY, MAX_LSP_HEADER_LINE};

/// JSON-RPC's code for a body that is not valid JSON or not a message.
pub const PARSE_ERROR: i32 = -32700;

/// What one read from the client gave.
#[derive(Debug)]
pub enum Incoming {
    Message(Message),
    /// A well-framed body that is not a JSON-RPC message: answer it and read on.
    Malformed(String),
    /// The end of the input. `Some(reason)` when the framing broke and the next message
    /// cannot be found; `None` when the client simply closed the stream.
    Closed(Option<String>),
}

/// Reads the next framed message.
pub fn read(reader: &mut impl BufRead) -> Incoming {
    let length = match read_header(reader) {
        Ok(Some(length)) => length,
        Ok(None) => return Incoming::Closed(None),
        Err(why) => return Incoming::Closed(Some(why)),
    };
    let mut body = Vec::new();
    match reader.take(length).read_to_end(&mut body) {
        Ok(read) if read as u64 == length => {}
        Ok(read) => {
            return Incoming::Closed(Some(format!(
                "the input ended {read} bytes into a body of {length} bytes"
            )));
        }
        Err(why) => return Incoming::Closed(Some(format!("cannot read the input: {why}"))),
    }
    match serde_json::from_slice::<Message>(&body) {
        Ok(message) => Incoming::Message(message),
        Err(why) => Incoming::Malformed(format!("the body is not a JSON-RPC message: {why}")),
    }
}

/// Reads header lines up to the blank line; the `Content-Length`, or `None` at a clean end of
/// input (before any header byte).
fn read_header(reader: &mut impl BufRead) -> Result<Option<u64>, String> {
    let mut length = None;
    let mut first = true;
    loop {
        let mut line = Vec::new();
        let read = reader
            .take(MAX_LSP_HEADER_LINE)
            .read_until(b'\n', &mut line)
            .map_err(|why| format!("cannot read the input: {why}"))?;
        if read == 0 {
            return if first {
                Ok(None)
            } else {
                Err("the input ended inside a message header".into())
            };
        }
        first = false;
        if line.last() != Some(&b'\n') {
            return Err(format!(
                "a header line longer than {MAX_LSP_HEADER_LINE} bytes, or without its line end"
            ));
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!("malformed header line `{}`", shown(line)));
        };
        if name.trim().eq_ignore_ascii_case("Content-Length") {
            let value = value.trim();
            let parsed = value
                .parse::<u64>()
                .map_err(|_| format!("Content-Length `{}` is not a byte count", shown(value)))?;
            if parsed > MAX_LSP_BODY {
                return Err(format!(
                    "Content-Length {parsed} is over the limit of {MAX_LSP_BODY} bytes"
                ));
            }
            length = Some(parsed);
        }
    }
    length
        .map(Some)
        .ok_or_else(|| "a message header without Content-Length".to_string())
}

/// A header value cut short and stripped of control characters, for an error message.
fn shown(text: &str) -> String {
    text.chars()
        .take(80)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// Writes one message.
pub fn write(writer: &mut impl Write, message: &Message) -> io::Result<()> {
    message.write(writer)
}

/// Writes the parse-error response to a body that was not a message. Its id is `null`: the
/// request's id could not be read.
pub fn write_parse_error(writer: &mut impl Write, why: &str) -> io::Result<()> {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": {"code": PARSE_ERROR, "message": why},
    })
    .to_string();
    write!(writer, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    fn read_all(input: &[u8]) -> Vec<String> {
        let mut reader = io::BufReader::new(input);
        let mut seen = Vec::new();
        loop {
            match read(&mut reader) {
                Incoming::Message(Message::Request(r)) => {
                    seen.push(format!("request {}", r.method))
                }
                Incoming::Message(Message::Notification(n)) => {
                    seen.push(format!("notification {}", n.method))
                }
                Incoming::Message(Message::Response(_)) => seen.push("response".into()),
                Incoming::Malformed(_) => seen.push("malformed".into()),
                Incoming::Closed(None) => return seen,
                Incoming::Closed(Some(why)) => {
                    seen.push(format!("closed: {why}"));
                    return seen;
                }
            }
        }
    }

    #[test]
    fn bad_bodies_are_malformed_and_the_next_message_is_still_read() {
        let mut input = Vec::new();
        for body in ["{not json", r#""\ud800""#, "[]", "{}", r#"{"id":1.5}"#] {
            input.extend(frame(body));
        }
        input.extend(frame(
            r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
        ));
        let seen = read_all(&input);
        assert_eq!(seen[..5], ["malformed"; 5]);
        assert_eq!(seen[5], "notification initialized");
        assert_eq!(seen.len(), 6);
    }

    #[test]
    fn a_lone_surrogate_inside_a_message_is_malformed() {
        let body = r#"{"jsonrpc":"2.0","id":1,"method":"hover","params":{"x":"\udc00"}}"#;
        assert_eq!(read_all(&frame(body)), ["malformed"]);
    }

    #[test]
    fn huge_content_lengths_close_the_connection_without_allocating() {
        for length in ["18446744073709551615", "1099511627776", "67108865"] {
            let input = format!("Content-Length: {length}\r\n\r\n{{}}");
            let seen = read_all(input.as_bytes());
            assert_eq!(seen.len(), 1);
            assert!(seen[0].contains("over the limit"), "{seen:?}");
        }
        let seen = read_all(b"Content-Length: 99999999999999999999999\r\n\r\n");
        assert!(seen[0].contains("not a byte count"), "{seen:?}");
    }

    #[test]
    fn headers_that_lose_the_message_boundary_close_with_a_reason() {
        let cases: [(&[u8], &str); 4] = [
            (b"Content-Type: x\r\n\r\n{}", "without Content-Length"),
            (b"garbage\r\n\r\n", "malformed header"),
            (b"Content-Length: 10\r\n\r\n{}", "ended 2 bytes into"),
            (b"Content-Length: 2\r\n", "inside a message header"),
        ];
        for (input, reason) in cases {
            let seen = read_all(input);
            assert!(seen[0].contains(reason), "{seen:?} should say {reason}");
        }
        let long = vec![b'x'; 10_000];
        assert!(read_all(&long)[0].contains("longer than"));
    }

    #[test]
    fn other_headers_and_bare_newlines_are_accepted() {
        let body = r#"{"jsonrpc":"2.0","id":"a","method":"shutdown"}"#;
        let input = format!(
            "Content-Type: application/vscode-jsonrpc; charset=utf-8\ncontent-length:{}\n\n{body}",
            body.len()
        );
        assert_eq!(read_all(input.as_bytes()), ["request shutdown"]);
    }

    #[test]
    fn the_parse_error_response_has_a_null_id() {
        let mut out = Vec::new();
        write_parse_error(&mut out, "bad").unwrap();
        let text = String::from_utf8(out).unwrap();
        let (_, body) = text.split_once("\r\n\r\n").unwrap();
        let value: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(value["id"], serde_json::Value::Null);
        assert_eq!(value["error"]["code"], PARSE_ERROR);
    }
}
