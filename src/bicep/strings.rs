//! Bicep strings: joins a string token, or an interpolated string's pieces and the holes'
//! expressions between them, into one node with decoded text.

use super::ast::{StringExpr, StringPart};
use super::lexer::{StrPart, StrPiece, TokenKind};
use super::parser::{Abort, PResult, Parser};
use super::string_lexer::unescape;

impl Parser<'_> {
    /// A string token, or an interpolated string's pieces with the holes' expressions.
    pub fn string(&mut self) -> PResult<StringExpr> {
        let first = self.peek();
        let TokenKind::Str(piece) = first.kind else {
            return self.expected("a string");
        };
        self.bump();
        let multiline = piece.multiline;
        let mut parts = Vec::new();
        self.push_text(&mut parts, piece);
        match piece.part {
            StrPart::Complete => {}
            StrPart::Left => loop {
                let hole = self.with_newlines(true, |p| p.expr())?;
                parts.push(StringPart::Interpolation(hole));
                let token = self.with_newlines(true, |p| Ok(p.peek()))?;
                match token.kind {
                    TokenKind::Str(next)
                        if matches!(next.part, StrPart::Middle | StrPart::Right) =>
                    {
                        self.with_newlines(true, |p| Ok(p.bump()))?;
                        self.push_text(&mut parts, next);
                        if next.part == StrPart::Right {
                            break;
                        }
                    }
                    _ if !multiline && self.hole_cut_by_line_end() => {
                        // The lexer has reported the string that is not closed on its line.
                        return Err(Abort);
                    }
                    _ => {
                        return self
                            .with_newlines(true, |p| p.expected("`}` closing the interpolation"));
                    }
                }
            },
            StrPart::Middle | StrPart::Right => {
                self.report(first.start, first.end, "`}` without a matching `${`");
                return Err(Abort);
            }
        }
        Ok(StringExpr {
            parts,
            multiline,
            span: self.span(first.start, self.last_end()),
        })
    }

    /// Whether a line break or the end of the file came before the current token: inside a
    /// single-line string's hole that is a lexical error, already reported.
    fn hole_cut_by_line_end(&self) -> bool {
        let here = self.position();
        matches!(self.raw_kind(here), TokenKind::NewLine | TokenKind::Eof)
            || (here > 0 && self.raw_kind(here - 1) == TokenKind::NewLine)
    }

    fn push_text(&self, parts: &mut Vec<StringPart>, piece: StrPiece) {
        let raw = self
            .text
            .get(piece.content_start..piece.content_end)
            .unwrap_or("");
        if raw.is_empty() {
            return;
        }
        let value = if piece.multiline {
            raw.to_string()
        } else {
            unescape(raw)
        };
        parts.push(StringPart::Text {
            value,
            span: self.span(piece.content_start, piece.content_end),
        });
    }
}
