//! A cheap pre-check of how deeply a `.tf` file nests, run before hcl-edit sees the text.
//!
//! hcl-edit 0.10 rejects more than 64 nested levels itself, and its parser is recursive: in
//! debug builds 64 levels of `[for x in [for x in …` need about 2.1 MiB of stack, which is why
//! every scan runs on workers with deeper stacks ([`crate::workers`]). This pre-check refuses
//! more than 64 levels as it counts them ([`MAX_NESTING`]) before hcl-edit starts, with one
//! clear message that points at the first level too many. It counts a quoted string and its
//! `${…}` as two levels where hcl-edit counts one, so it never lets through what hcl-edit
//! would refuse for brackets, blocks and templates. Real configurations rarely nest beyond ten
//! levels.
//!
//! The count is a small lexer: brackets, blocks, quoted strings, heredocs, `${…}`/`%{…}` and
//! `%{if}`/`%{for}` bodies each open a level; comments and literal text open none. Unary
//! operators and conditionals also nest in hcl-edit without a bracket; they are cheap (about a
//! third of a `for` level) and hcl-edit's own limit still bounds them.

/// The most nested levels a `.tf` file may have before we refuse to parse it: hcl-edit's own
/// limit.
pub use crate::limits::MAX_HCL_NESTING as MAX_NESTING;

/// The most entries (`=` or `:` directly inside one `{ … }`: object keys, block attributes)
/// a `.tf` file may have in one object or block before we refuse to parse it. hcl-edit 0.10
/// checks each new object key against every earlier one, so its time grows with the square of
/// the keys: about 0.5 s at this bound, 3 s at 32 000 keys and 100 s at 100 000.
pub use crate::limits::MAX_HCL_OBJECT_ENTRIES as MAX_OBJECT_ENTRIES;

/// Why [`check_width`] refuses a text, with the byte offset where it found out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Nested deeper than the limit.
    Deep(usize),
    /// One `{ … }` holds more entries than the limit.
    Wide(usize),
}

enum Frame<'a> {
    /// `(` or `[` in expression code.
    Bracket,
    /// `{` in expression code or a block body, with the entries counted in it so far.
    Brace { entries: usize },
    /// `${` or `%{` inside a template: its `}` returns to the template.
    Interp,
    /// A quoted string; `directives` counts open `%{if}` / `%{for}` bodies.
    Quoted { directives: usize },
    /// A heredoc, closed by a line holding only `delimiter`.
    Heredoc {
        delimiter: &'a [u8],
        directives: usize,
    },
}

/// Returns the deepest nesting in `text`, or the byte offset where it first exceeds `limit`.
pub fn check(text: &str, limit: usize) -> Result<usize, usize> {
    check_width(text, limit, usize::MAX).map_err(|refused| match refused {
        Refused::Deep(at) | Refused::Wide(at) => at,
    })
}

/// [`check`], also refusing a `{ … }` with more than `entries` entries (counted generously:
/// `a ? b : c` counts too, so the bound errs on the safe side).
pub fn check_width(text: &str, limit: usize, entries: usize) -> Result<usize, Refused> {
    let entry_limit = entries;
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame<'_>> = Vec::new();
    let mut depth = 0usize;
    let mut deepest = 0usize;
    // In a heredoc: whether `i` is at the start of a line, where the delimiter may close it.
    let mut line_start = false;
    let mut i = 0usize;
    while i < bytes.len() {
        // Bytes that no step looks at are passed over in a tight loop: this pass reads every
        // byte of every relevant `.tf` file, and most bytes are names and plain text.
        let plain = match stack.last() {
            None | Some(Frame::Bracket | Frame::Brace { .. } | Frame::Interp) => CODE,
            Some(Frame::Quoted { .. }) => QUOTED,
            Some(Frame::Heredoc { .. }) if !line_start => HEREDOC,
            Some(Frame::Heredoc { .. }) => 0,
        };
        if plain != 0 {
            while i < bytes.len() && SIGNIFICANT[usize::from(bytes[i])] & plain == 0 {
                i += 1;
            }
            if i == bytes.len() {
                break;
            }
        }
        let (at, before) = (i, depth);
        match stack.last() {
            None | Some(Frame::Bracket | Frame::Brace { .. } | Frame::Interp) => {
                i = code_step(bytes, i, &mut stack, &mut depth, &mut line_start);
                if let Some(Frame::Brace { entries }) = stack.last()
                    && *entries > entry_limit
                {
                    return Err(Refused::Wide(at));
                }
            }
            Some(Frame::Quoted { directives }) => match bytes[i] {
                b'\\' => i += 2,
                b'"' => {
                    depth -= 1 + directives;
                    stack.pop();
                    i += 1;
                }
                // A quoted string cannot span lines: the file is broken, hcl-edit will say
                // where. Resynchronise in code rather than read the rest as a string.
                b'\n' => {
                    depth -= 1 + directives;
                    stack.pop();
                }
                _ => i = template_step(bytes, i, &mut stack, &mut depth),
            },
            Some(Frame::Heredoc {
                delimiter,
                directives,
            }) => {
                if std::mem::take(&mut line_start)
                    && let Some(end) = closes_heredoc(bytes, i, delimiter)
                {
                    depth -= 1 + directives;
                    stack.pop();
                    i = end;
                    continue;
                }
                if bytes[i] == b'\n' {
                    line_start = true;
                    i += 1;
                } else {
                    i = template_step(bytes, i, &mut stack, &mut depth);
                }
            }
        }
        if depth > before {
            if depth > limit {
                return Err(Refused::Deep(at));
            }
            deepest = deepest.max(depth);
        }
    }
    Ok(deepest)
}

/// [`SIGNIFICANT`] bits: the bytes a step acts on in expression code, in a quoted string, and
/// in a heredoc away from a line start. Any other byte is a step of one byte that changes
/// nothing.
const CODE: u8 = 1;
const QUOTED: u8 = 2;
const HEREDOC: u8 = 4;

/// Per byte value, the states ([`CODE`], [`QUOTED`], [`HEREDOC`]) in which it is significant.
static SIGNIFICANT: [u8; 256] = {
    let mut table = [0u8; 256];
    let code = b"#/\"<([{=:)]}";
    let mut k = 0;
    while k < code.len() {
        table[code[k] as usize] |= CODE;
        k += 1;
    }
    let quoted = b"\\\"\n$%";
    let mut k = 0;
    while k < quoted.len() {
        table[quoted[k] as usize] |= QUOTED;
        k += 1;
    }
    let heredoc = b"\n$%";
    let mut k = 0;
    while k < heredoc.len() {
        table[heredoc[k] as usize] |= HEREDOC;
        k += 1;
    }
    table
};

/// One step in expression code; returns the next offset.
fn code_step<'a>(
    bytes: &'a [u8],
    i: usize,
    stack: &mut Vec<Frame<'a>>,
    depth: &mut usize,
    line_start: &mut bool,
) -> usize {
    match bytes[i] {
        b'#' => skip_line(bytes, i),
        b'/' if bytes.get(i + 1) == Some(&b'/') => skip_line(bytes, i),
        b'/' if bytes.get(i + 1) == Some(&b'*') => {
            find(bytes, i + 2, b"*/").map_or(bytes.len(), |at| at + 2)
        }
        b'"' => {
            stack.push(Frame::Quoted { directives: 0 });
            *depth += 1;
            i + 1
        }
        b'<' => match heredoc_start(bytes, i) {
            Some((delimiter, body)) => {
                stack.push(Frame::Heredoc {
                    delimiter,
                    directives: 0,
                });
                *depth += 1;
                *line_start = true;
                body
            }
            None => i + 1,
        },
        b'(' | b'[' => {
            stack.push(Frame::Bracket);
            *depth += 1;
            i + 1
        }
        b'{' => {
            stack.push(Frame::Brace { entries: 0 });
            *depth += 1;
            i + 1
        }
        // `=` of `k = v` and `:` of `k: v`, not of `==`, `!=`, `<=`, `>=` or `=>`.
        b'=' | b':' => {
            let operator = bytes[i] == b'='
                && (matches!(bytes.get(i + 1), Some(b'=' | b'>'))
                    || (i > 0 && matches!(bytes[i - 1], b'=' | b'!' | b'<' | b'>')));
            if let (false, Some(Frame::Brace { entries })) = (operator, stack.last_mut()) {
                *entries += 1;
            }
            i + 1
        }
        b')' | b']' | b'}' => {
            // Only code frames close here; a stray closer is hcl-edit's error to report.
            if matches!(
                stack.last(),
                Some(Frame::Bracket | Frame::Brace { .. } | Frame::Interp)
            ) {
                stack.pop();
                *depth -= 1;
            }
            i + 1
        }
        _ => i + 1,
    }
}

/// One step in template text (quoted or heredoc); returns the next offset.
fn template_step(bytes: &[u8], i: usize, stack: &mut Vec<Frame<'_>>, depth: &mut usize) -> usize {
    let rest = &bytes[i..];
    if rest.starts_with(b"$${") || rest.starts_with(b"%%{") {
        // Escapes for a literal `${` / `%{`.
        return i + 3;
    }
    if rest.starts_with(b"${") || rest.starts_with(b"%{") {
        if let (b'%', Some(Frame::Quoted { directives } | Frame::Heredoc { directives, .. })) =
            (rest[0], stack.last_mut())
        {
            match directive_keyword(&rest[2..]) {
                b"if" | b"for" => {
                    *directives += 1;
                    *depth += 1;
                }
                b"endif" | b"endfor" if *directives > 0 => {
                    *directives -= 1;
                    *depth -= 1;
                }
                _ => {}
            }
        }
        stack.push(Frame::Interp);
        *depth += 1;
        return i + 2;
    }
    i + 1
}

/// The keyword opening a `%{ … }` directive (after an optional `~` and spaces).
fn directive_keyword(rest: &[u8]) -> &[u8] {
    let start = rest
        .iter()
        .position(|&b| !(b == b'~' || b.is_ascii_whitespace()))
        .unwrap_or(rest.len());
    let word = &rest[start..];
    let len = word
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_'))
        .unwrap_or(word.len());
    &word[..len]
}

/// `<<ID` or `<<-ID` followed by a newline: the delimiter and where the body starts.
fn heredoc_start(bytes: &[u8], i: usize) -> Option<(&[u8], usize)> {
    let mut j = i + 2;
    if bytes.get(i + 1) != Some(&b'<') {
        return None;
    }
    if bytes.get(j) == Some(&b'-') {
        j += 1;
    }
    let start = j;
    while j < bytes.len()
        && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_' || bytes[j] == b'-')
    {
        j += 1;
    }
    if j == start || !(bytes[start].is_ascii_alphabetic() || bytes[start] == b'_') {
        return None;
    }
    let delimiter = &bytes[start..j];
    match &bytes[j..] {
        [b'\n', ..] => Some((delimiter, j + 1)),
        [b'\r', b'\n', ..] => Some((delimiter, j + 2)),
        _ => None,
    }
}

/// If the line at `i` is the heredoc's closing delimiter (indentation allowed), where it ends.
fn closes_heredoc(bytes: &[u8], i: usize, delimiter: &[u8]) -> Option<usize> {
    let mut j = i;
    while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t') {
        j += 1;
    }
    let end = j + delimiter.len();
    if bytes.get(j..end)? != delimiter {
        return None;
    }
    match &bytes[end..] {
        [] | [b'\n', ..] | [b'\r', b'\n', ..] => Some(end),
        _ => None,
    }
}

fn skip_line(bytes: &[u8], i: usize) -> usize {
    memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |at| i + at)
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(&bytes[from.min(bytes.len())..], needle).map(|at| from + at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(text: &str) -> usize {
        check(text, usize::MAX).unwrap()
    }

    #[test]
    fn counts_object_entries_but_not_operators_strings_or_nested_objects() {
        let text = "locals {\n  m = {\n    a = 1 == 2\n    b: x >= 1 ? \"c = d\" : 2\n    \
                    e = { f = 1, g = 2, h = 3 }\n    i = [for k, v in y : k => v]\n  }\n}\n";
        // `m` holds a, b (its `:` and the conditional's), e and i: five; `locals` holds one.
        assert_eq!(check_width(text, 64, 5), Ok(3));
        let at = text.find("i = [").unwrap() + 2;
        assert_eq!(check_width(text, 64, 4), Err(Refused::Wide(at)));
        assert_eq!(check_width(&"[".repeat(70), 64, 4), Err(Refused::Deep(64)));
    }

    #[test]
    fn counts_brackets_blocks_strings_and_interpolations() {
        assert_eq!(depth("a = 1\n"), 0);
        assert_eq!(depth("a = [{ b = \"${c}\" }]\n"), 4);
        assert_eq!(
            depth("resource \"t\" \"n\" {\n  site_config {\n  }\n}\n"),
            2
        );
        // Siblings do not add up.
        assert_eq!(depth("a = [[1], [2], [3]]\n"), 2);
    }

    #[test]
    fn comments_and_literal_text_do_not_nest() {
        assert_eq!(depth("# [[[[\n// {{{{\n/* (((( */ a = 1\n"), 0);
        assert_eq!(depth("a = \"[[[[ {{{{ $${x} %%{y}\"\n"), 1);
        assert_eq!(depth("a = \"\\\"[[[[\"\n"), 1);
    }

    #[test]
    fn heredocs_are_text_until_their_delimiter() {
        let text = "a = <<EOT\n[[[[ {{{{\n  EOTX\nEOT\nb = [[1]]\n";
        assert_eq!(depth(text), 2);
        let text = "a = <<-EOT\n  ${[x]}\n  EOT\n";
        assert_eq!(depth(text), 3);
        // `<` as an operator is not a heredoc.
        assert_eq!(depth("a = b << c\n"), 0);
    }

    #[test]
    fn template_directives_nest() {
        let text = "a = \"%{ if x }%{ for y in z }${y}%{ endfor }%{ endif }\"\n";
        // string 1 + if 1 + for 1 + interpolation 1
        assert_eq!(depth(text), 4);
    }

    #[test]
    fn reports_where_the_limit_is_exceeded() {
        let text = format!("a = {}", "[".repeat(10));
        assert_eq!(check(&text, 3), Err(7));
        assert_eq!(check(&text, 10), Ok(10));
        assert!(check(&"[".repeat(100_000), MAX_NESTING).is_err());
    }
}
