//! Finds the comments of a `.tf` file (`#`, `//`, `/* */`), for inline exceptions, and records
//! them (with a `.tf.json` file's `"//"` properties) for the files holding a resource.
//!
//! hcl-edit keeps comments in each node's decor as raw text, spread over many node kinds, so
//! collecting them with positions from the tree is awkward. A small lexer over the text is
//! enough: it only has to skip quoted strings (with `${…}` interpolations, which may nest
//! strings) and heredocs, where `#` and `//` are literal text.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::comment_properties;
use super::module::Module;
use crate::limits::MAX_HCL_COMMENT_DEPTH;
use crate::model::{Comments, JsonProperty, Syntax, UnitScan};
use crate::source::{FileId, SourceFile};

/// Records in `scan` the comments of each file holding one of its resources: a `.tf` file's
/// are lexed from its text (`source_of`), a `.tf.json` file's were recorded as one of
/// `modules` read it.
pub(super) fn record(
    scan: &mut UnitScan,
    modules: &[&Module],
    source_of: impl Fn(FileId) -> Option<Arc<SourceFile>>,
) {
    let recorded: HashMap<FileId, &Vec<JsonProperty>> = modules
        .iter()
        .flat_map(|module| module.json_comments.iter())
        .map(|(file, comments)| (*file, comments))
        .collect();
    scan.record_comments(|file, syntax| match syntax {
        Syntax::TerraformJson => match recorded.get(&file) {
            Some(comments) => Some(Comments::JsonProperties((*comments).clone())),
            // Not met: a file declaring a resource records its comments as it is read.
            None => comment_properties::record_text(source_of(file)?.text())
                .map(Comments::JsonProperties),
        },
        _ => Some(Comments::Lines(comments(source_of(file)?.text()))),
    });
}

/// What the lexer is inside.
enum Frame {
    /// Expression code (the file's top level, or a `${…}`/`%{…}` interpolation).
    Code { braces: usize },
    /// A quoted string.
    Quoted,
}

/// The byte ranges of every comment in `text`, in order; each range covers the markers and,
/// for line comments, ends before the newline.
pub fn comments(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut stack = vec![Frame::Code { braces: 0 }];
    let mut i = 0;
    while i < bytes.len() {
        let depth = stack.len();
        let Some(frame) = stack.last_mut() else {
            break;
        };
        let byte = bytes[i];
        let next = bytes.get(i + 1).copied();
        match frame {
            Frame::Quoted => match byte {
                b'\\' => i += 2,
                b'"' => {
                    stack.pop();
                    i += 1;
                }
                b'$' | b'%' if next == Some(b'{') => {
                    if depth >= MAX_HCL_COMMENT_DEPTH {
                        break;
                    }
                    stack.push(Frame::Code { braces: 0 });
                    i += 2;
                }
                b'\n' => {
                    // An unterminated string: HCL does not continue it on the next line.
                    stack.pop();
                    i += 1;
                }
                _ => i += 1,
            },
            Frame::Code { braces } => match byte {
                b'#' => i = line_comment(bytes, i, &mut out),
                b'/' if next == Some(b'/') => i = line_comment(bytes, i, &mut out),
                b'/' if next == Some(b'*') => {
                    let end = text[i + 2..]
                        .find("*/")
                        .map_or(bytes.len(), |e| i + 2 + e + 2);
                    out.push(i..end);
                    i = end;
                }
                b'"' => {
                    if depth >= MAX_HCL_COMMENT_DEPTH {
                        break;
                    }
                    stack.push(Frame::Quoted);
                    i += 1;
                }
                b'{' => {
                    *braces += 1;
                    i += 1;
                }
                b'}' => {
                    if *braces == 0 && depth > 1 {
                        stack.pop();
                    } else {
                        *braces = braces.saturating_sub(1);
                    }
                    i += 1;
                }
                b'<' if next == Some(b'<') => i = skip_heredoc(text, i),
                _ => i += 1,
            },
        }
    }
    out
}

/// Records the line comment at `start`; returns where lexing resumes (the newline).
fn line_comment(bytes: &[u8], start: usize, out: &mut Vec<Range<usize>>) -> usize {
    let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |e| start + e);
    let trimmed = if end > start && bytes[end - 1] == b'\r' {
        end - 1
    } else {
        end
    };
    out.push(start..trimmed);
    end
}

/// Skips a heredoc opened at `start` (`<<EOF` or `<<-EOF`); returns the offset after its
/// closing line, or just past `<<` when this is not a heredoc opener.
fn skip_heredoc(text: &str, start: usize) -> usize {
    let rest = &text[start + 2..];
    let rest_trimmed = rest.strip_prefix('-').unwrap_or(rest);
    let name_len = rest_trimmed
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest_trimmed.len());
    let after_name = &rest_trimmed[name_len..];
    if name_len == 0
        || !after_name
            .trim_start_matches([' ', '\t', '\r'])
            .starts_with('\n')
    {
        return start + 2;
    }
    let delimiter = &rest_trimmed[..name_len];
    let body_start = start + 2 + (rest.len() - after_name.len());
    let mut offset = body_start;
    for line in text[body_start..].split_inclusive('\n') {
        offset += line.len();
        if line.trim() == delimiter {
            return offset;
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::comments;

    fn texts(text: &str) -> Vec<&str> {
        comments(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn finds_each_comment_style() {
        let text = "# a\nx = 1 // b\n/* c\n d */ y = 2\n";
        assert_eq!(texts(text), ["# a", "// b", "/* c\n d */"]);
    }

    #[test]
    fn skips_strings_interpolations_and_heredocs() {
        let text = "a = \"# no ${ \"// no\" } # no\"\nb = <<-EOT\n  # no\n  EOT\n# yes\n";
        assert_eq!(texts(text), ["# yes"]);
    }

    #[test]
    fn survives_unterminated_input() {
        assert_eq!(texts("a = \"x\n# yes"), ["# yes"]);
        assert_eq!(texts("/* open"), ["/* open"]);
        assert!(texts("a = <<EOT\n# no").is_empty());
    }
}
