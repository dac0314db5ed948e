//! Bicep string tokens: single-line strings with escapes and `${…}` holes, verbatim `'''`
//! strings, and `$'''` strings whose holes open with as many `$` as precede the quotes.

use super::lexer::{Lexer, StrPart, StrPiece, TokenKind};

/// The characters that may follow a backslash in a single-line string (besides `u{…}`).
const SINGLE_ESCAPES: &[u8] = b"nrt\\'$";

impl Lexer<'_> {
    /// `$'''…'''`, `$$'''…'''`: a multi-line string whose holes open with as many `$` as
    /// precede the quotes.
    pub(super) fn dollar_string(&mut self, start: usize) -> TokenKind {
        let mut dollars = 1;
        while self.peek_at(0) == b'$' {
            dollars += 1;
            self.pos += 1;
        }
        if self.bytes[self.pos..].starts_with(b"'''") {
            self.pos += 3;
            let piece = self.multiline_segment(true, dollars);
            if piece.part == StrPart::Left {
                self.open_hole(dollars);
            }
            TokenKind::Str(piece)
        } else {
            self.pos = start + 1;
            TokenKind::Unknown
        }
    }

    /// Scans a single-line string piece; the opening `'` or hole's `}` is already consumed.
    pub(super) fn single_line_segment(&mut self, at_start: bool) -> StrPiece {
        let content_start = self.pos;
        let (complete, left) = if at_start {
            (StrPart::Complete, StrPart::Left)
        } else {
            (StrPart::Right, StrPart::Middle)
        };
        loop {
            let here = self.pos;
            match self.peek_at(0) {
                _ if self.at_end() => {
                    self.error(content_start - 1..here, "string is never closed");
                    return piece(complete, false, content_start, here);
                }
                b'\n' | b'\r' => {
                    self.error(
                        content_start - 1..here,
                        "string is not closed before the end of the line",
                    );
                    return piece(complete, false, content_start, here);
                }
                b'\'' => {
                    self.pos += 1;
                    return piece(complete, false, content_start, here);
                }
                b'$' if self.peek_at(1) == b'{' => {
                    self.pos += 2;
                    return piece(left, false, content_start, here);
                }
                b'\\' => self.escape(),
                _ => {
                    // Skip plain text in one step up to the next byte that matters.
                    let rest = &self.bytes[self.pos + 1..];
                    let plain = rest
                        .iter()
                        .position(|b| matches!(b, b'\'' | b'$' | b'\\' | b'\n' | b'\r'))
                        .unwrap_or(rest.len());
                    self.pos += 1 + plain;
                }
            }
        }
    }

    fn escape(&mut self) {
        let start = self.pos;
        self.pos += 1;
        match self.peek_at(0) {
            b'u' if self.peek_at(1) == b'{' => {
                self.pos += 2;
                let digits_start = self.pos;
                while self.peek_at(0).is_ascii_hexdigit() {
                    self.pos += 1;
                }
                let digits = &self.text[digits_start..self.pos];
                let valid = u32::from_str_radix(digits, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .is_some();
                if self.peek_at(0) == b'}' && valid {
                    self.pos += 1;
                } else {
                    self.error(
                        start..self.pos,
                        "invalid unicode escape: write `\\u{` hex digits `}`",
                    );
                }
            }
            byte if SINGLE_ESCAPES.contains(&byte) && !self.at_end() => self.pos += 1,
            _ if self.at_end() || matches!(self.peek_at(0), b'\n' | b'\r') => {}
            _ => {
                let len = self.text[self.pos..]
                    .chars()
                    .next()
                    .map_or(1, char::len_utf8);
                self.pos += len;
                self.error(
                    start..self.pos,
                    "unknown escape: use \\n \\r \\t \\\\ \\' \\$ or \\u{…}",
                );
            }
        }
    }

    /// Scans a `'''` string piece; the opener or the hole's `}` is already consumed. `dollars`
    /// is 0 for a verbatim string, which has no holes.
    pub(super) fn multiline_segment(&mut self, at_start: bool, dollars: usize) -> StrPiece {
        let mut content_start = self.pos;
        if at_start {
            // Like Bicep, a line break right after the opening quotes is not part of the value.
            if self.peek_at(0) == b'\r' {
                content_start += 1;
            }
            if self.bytes.get(content_start) == Some(&b'\n') {
                content_start += 1;
            }
            self.pos = content_start;
        }
        let (complete, left) = if at_start {
            (StrPart::Complete, StrPart::Left)
        } else {
            (StrPart::Right, StrPart::Middle)
        };
        while !self.at_end() {
            let byte = self.peek_at(0);
            if byte == b'\'' && self.peek_at(1) == b'\'' && self.peek_at(2) == b'\'' {
                // Extra quotes before the closing three belong to the value.
                let mut end = self.pos + 3;
                while self.bytes.get(end) == Some(&b'\'') {
                    end += 1;
                }
                let content_end = end - 3;
                self.pos = end;
                return piece(complete, true, content_start, content_end);
            }
            if byte == b'$' && dollars > 0 {
                let run_start = self.pos;
                while self.peek_at(0) == b'$' {
                    self.pos += 1;
                }
                if self.pos - run_start >= dollars && self.peek_at(0) == b'{' {
                    let content_end = self.pos - dollars;
                    self.pos += 1;
                    return piece(left, true, content_start, content_end);
                }
                continue;
            }
            self.pos += 1;
        }
        let opener = content_start.saturating_sub(3)..content_start;
        self.error(opener, "multi-line string `'''` is never closed");
        piece(complete, true, content_start, self.pos)
    }
}

fn piece(part: StrPart, multiline: bool, content_start: usize, content_end: usize) -> StrPiece {
    StrPiece {
        part,
        multiline,
        content_start,
        content_end,
    }
}

/// The value of a single-line string piece's text: escapes replaced. Invalid escapes (already
/// reported by the lexer) are kept as written.
pub fn unescape(raw: &str) -> String {
    if !raw.contains('\\') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.char_indices().peekable();
    while let Some((index, ch)) = chars.next() {
        if ch != '\\' {
            out.push(ch);
            continue;
        }
        match chars.peek().map(|&(_, c)| c) {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some(c @ ('\\' | '\'' | '$')) => out.push(c),
            Some('u') => {
                let rest = &raw[index + 2..];
                let decoded = rest
                    .strip_prefix('{')
                    .and_then(|r| r.split_once('}'))
                    .filter(|(hex, _)| {
                        !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit())
                    })
                    .and_then(|(hex, _)| u32::from_str_radix(hex, 16).ok().map(|v| (hex.len(), v)))
                    .and_then(|(len, v)| char::from_u32(v).map(|c| (len, c)));
                match decoded {
                    Some((len, c)) => {
                        out.push(c);
                        // Skip `u{`, the digits and `}` (the `u` is skipped below).
                        for _ in 0..len + 2 {
                            chars.next();
                        }
                    }
                    None => {
                        out.push('\\');
                        continue;
                    }
                }
            }
            _ => {
                out.push('\\');
                continue;
            }
        }
        chars.next();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::lexer::lex;
    use super::*;

    fn parts(text: &str) -> Vec<(StrPart, String)> {
        lex(text)
            .tokens
            .iter()
            .filter_map(|t| match t.kind {
                TokenKind::Str(p) => {
                    Some((p.part, text[p.content_start..p.content_end].to_string()))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn interpolation_nests_strings_and_objects() {
        let text = "'a${f('b${c}d', {x: 1})}e'";
        let lexed = lex(text);
        assert!(lexed.errors.is_empty(), "{:?}", lexed.errors);
        let got = parts(text);
        assert_eq!(
            got,
            vec![
                (StrPart::Left, "a".into()),
                (StrPart::Left, "b".into()),
                (StrPart::Right, "d".into()),
                (StrPart::Right, "e".into()),
            ]
        );
    }

    #[test]
    fn multiline_strings_are_verbatim_and_drop_the_first_line_break() {
        let text = "'''\nit's ${not} \\n a hole\n'''";
        assert_eq!(
            parts(text),
            vec![(StrPart::Complete, "it's ${not} \\n a hole\n".into())]
        );
    }

    #[test]
    fn dollar_count_sets_the_hole_opener() {
        assert_eq!(
            parts("$'''a${x}b'''"),
            vec![(StrPart::Left, "a".into()), (StrPart::Right, "b".into())]
        );
        assert_eq!(
            parts("$$'''a${lit}$${x}b'''"),
            vec![
                (StrPart::Left, "a${lit}".into()),
                (StrPart::Right, "b".into())
            ]
        );
    }

    #[test]
    fn escapes_decode_and_bad_ones_are_reported() {
        assert_eq!(unescape(r"a\'b\\c\n\$\u{41}\u{1F600}"), "a'b\\c\n$A😀");
        assert_eq!(unescape(r"\q\u{zz}"), r"\q\u{zz}");
        assert_eq!(lex(r"'\q'").errors.len(), 1);
        assert_eq!(lex(r"'\u{110000}'").errors.len(), 1);
    }

    #[test]
    fn unterminated_strings_report_and_stop_at_the_line_end() {
        let lexed = lex("x = 'abc\ny = 1");
        assert_eq!(lexed.errors.len(), 1);
        assert!(lexed.tokens.iter().any(|t| t.kind == TokenKind::NewLine));
        let lexed = lex("x = 'a${b\ny = 1");
        assert_eq!(lexed.errors.len(), 1);
        assert_eq!(lex("'''abc").errors.len(), 1);
        assert_eq!(lex("/* abc").errors.len(), 1);
    }
}
