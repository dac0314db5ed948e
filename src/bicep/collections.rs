//! Bicep objects, arrays and `[for …]` loops: members separated by line breaks or commas,
//! spreads, nested child resources, and recovery from a broken member without losing its
//! siblings.

use super::ast::{
    ArrayItem, BrokenMember, Expr, ExprKind, ForExpr, Ident, ObjectExpr, ObjectKey, ObjectMember,
    Property, StatementKind,
};
use super::lexer::TokenKind;
use super::parser::{Abort, PResult, Parser};

impl Parser<'_> {
    /// `{ key: value, … }`. Nesting is counted by the expressions around and inside it.
    pub fn object(&mut self) -> PResult<ObjectExpr> {
        self.with_newlines(false, |p| {
            let open = p.expect(TokenKind::LBrace, "`{`")?;
            let members = p.separated_with(
                TokenKind::RBrace,
                "`}`",
                |p| p.member(),
                |p, first| p.broken_member(first),
            )?;
            Ok(ObjectExpr {
                members,
                span: p.span(open.start, p.last_end()),
            })
        })
    }

    /// `[ item, … ]` or `[for …]`.
    pub fn array(&mut self) -> PResult<Expr> {
        self.with_newlines(false, |p| {
            let open = p.expect(TokenKind::LBracket, "`[`")?;
            p.skip_newlines();
            if p.at_word("for")
                && matches!(p.peek_nth(1).kind, TokenKind::Ident | TokenKind::LParen)
            {
                p.for_expr(open.start)
            } else {
                p.array_items(open.start)
            }
        })
    }

    fn array_items(&mut self, start: usize) -> PResult<Expr> {
        let items = self.separated(TokenKind::RBracket, "`]`", |p| p.array_item())?;
        Ok(Expr {
            kind: ExprKind::Array(items),
            span: self.span(start, self.last_end()),
        })
    }

    fn array_item(&mut self) -> PResult<ArrayItem> {
        let start = self.peek().start;
        let spread = self.eat(TokenKind::Ellipsis).is_some();
        let value = self.expr()?;
        let span = self.span(start, value.span.end);
        Ok(ArrayItem {
            spread,
            value,
            span,
        })
    }

    fn for_expr(&mut self, start: usize) -> PResult<Expr> {
        // A loop's frames are the largest of all constructs: it counts as a second level.
        let for_expr = self.nested(|p| p.for_rest(start))?;
        let span = for_expr.span;
        Ok(Expr {
            kind: ExprKind::For(Box::new(for_expr)),
            span,
        })
    }

    /// Items up to and including `close`, separated by line breaks or commas. A broken item is
    /// reported and skipped up to the end of its line; its siblings are still read.
    pub fn separated<T>(
        &mut self,
        close: TokenKind,
        close_text: &str,
        item: impl FnMut(&mut Self) -> PResult<T>,
    ) -> PResult<Vec<T>> {
        self.separated_with(close, close_text, item, |_, _| None)
    }

    /// [`Self::separated`], keeping what `broken` makes of a skipped item (given the index of
    /// its first token) in its place.
    pub fn separated_with<T>(
        &mut self,
        close: TokenKind,
        close_text: &str,
        mut item: impl FnMut(&mut Self) -> PResult<T>,
        mut broken: impl FnMut(&mut Self, usize) -> Option<T>,
    ) -> PResult<Vec<T>> {
        let mut items = Vec::new();
        loop {
            while matches!(self.peek_kind(), TokenKind::NewLine | TokenKind::Comma) {
                self.bump();
            }
            let kind = self.peek_kind();
            if kind == close {
                self.bump();
                return Ok(items);
            }
            if matches!(
                kind,
                TokenKind::Eof | TokenKind::RBrace | TokenKind::RBracket | TokenKind::RParen
            ) || self.at_top_level_statement()
            {
                return self.expected(close_text);
            }
            let first = self.position();
            let parsed = item(self).and_then(|value| {
                if matches!(self.peek_kind(), TokenKind::NewLine | TokenKind::Comma)
                    || self.at(close)
                {
                    Ok(value)
                } else {
                    self.expected(&format!("a line break, `,` or {close_text}"))
                }
            });
            match parsed {
                Ok(value) => items.push(value),
                Err(Abort) => {
                    if !self.recover_member(close) {
                        return Err(Abort);
                    }
                    items.extend(broken(self, first));
                }
            }
        }
    }

    /// The member that began at token `first` and did not parse: its name when `name:` was
    /// read, and the error reported for it.
    fn broken_member(&mut self, first: usize) -> Option<ObjectMember> {
        let token = self.token_at(first);
        let key = match token.kind {
            _ if self.token_at(first + 1).kind != TokenKind::Colon => None,
            TokenKind::Ident => Some(self.text_of(token).to_string()),
            TokenKind::Str(_) => {
                let text = self.text_of(token);
                let inner = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\''));
                inner
                    .filter(|t| !t.contains(['$', '\\']))
                    .map(str::to_string)
            }
            _ => None,
        };
        let error = self.errors.last()?;
        let end = self.last_end().max(token.start);
        Some(ObjectMember::Broken(BrokenMember {
            key,
            message: error.message.clone(),
            at: error.span,
            span: self.span(token.start, end),
            skipped: self
                .text
                .get(token.start..end)
                .unwrap_or("")
                .to_ascii_lowercase(),
        }))
    }

    fn member(&mut self) -> PResult<ObjectMember> {
        let token = self.peek();
        if token.kind == TokenKind::Ellipsis {
            return self.spread_member();
        }
        if token.kind == TokenKind::At
            || (self.at_word("resource") && self.peek_nth(1).kind == TokenKind::Ident)
        {
            return self.child_resource();
        }
        self.property()
    }

    fn spread_member(&mut self) -> PResult<ObjectMember> {
        let start = self.bump().start;
        let value = self.expr()?;
        let span = self.span(start, value.span.end);
        Ok(ObjectMember::Spread { value, span })
    }

    fn child_resource(&mut self) -> PResult<ObjectMember> {
        let statement = self.nested(|p| p.statement())?;
        if !matches!(statement.kind, StatementKind::Resource(_)) {
            let span = statement.span;
            self.report(
                span.start,
                span.end,
                "only a nested `resource` can be declared inside an object",
            );
            return Err(Abort);
        }
        Ok(ObjectMember::Resource(Box::new(statement)))
    }

    fn property(&mut self) -> PResult<ObjectMember> {
        let token = self.peek();
        let key = match token.kind {
            TokenKind::Ident => {
                self.bump();
                ObjectKey::Ident(self.text_of(token).to_string())
            }
            TokenKind::Str(_) => ObjectKey::String(self.string()?),
            _ => return self.expected("a property name"),
        };
        let key_span = self.span(token.start, self.last_end());
        self.expect(TokenKind::Colon, "`:` after the property name")?;
        let value = self.expr()?;
        let span = self.span(token.start, value.span.end);
        Ok(ObjectMember::Property(Property {
            key,
            key_span,
            value,
            span,
        }))
    }

    /// `for item in iterable: [if (condition)] body]`; the `[` is consumed and `for` is next.
    pub fn for_rest(&mut self, start: usize) -> PResult<ForExpr> {
        self.with_newlines(true, |p| {
            p.bump(); // `for`
            let (item, index) = p.loop_variables()?;
            if !p.at_word("in") {
                return p.expected("`in`");
            }
            p.bump();
            let iterable = p.expr()?;
            p.expect(TokenKind::Colon, "`:` after the loop's array")?;
            let condition = p.loop_condition()?;
            let body = p.expr()?;
            p.expect(TokenKind::RBracket, "`]` closing the loop")?;
            Ok(ForExpr {
                item,
                index,
                iterable,
                condition,
                body,
                span: p.span(start, p.last_end()),
            })
        })
    }

    /// `item` or `(item, index)`.
    fn loop_variables(&mut self) -> PResult<(Ident, Option<Ident>)> {
        if self.eat(TokenKind::LParen).is_none() {
            return Ok((self.ident("the loop item name")?, None));
        }
        let item = self.ident("the loop item name")?;
        self.expect(TokenKind::Comma, "`,` and the loop index name")?;
        let index = self.ident("the loop index name")?;
        self.expect(TokenKind::RParen, "`)`")?;
        Ok((item, Some(index)))
    }

    /// `if (condition)` before a loop body, if present.
    fn loop_condition(&mut self) -> PResult<Option<Expr>> {
        if self.at_word("if") && self.peek_nth(1).kind == TokenKind::LParen {
            self.bump();
            self.condition().map(Some)
        } else {
            Ok(None)
        }
    }

    /// `(expr)` after `if`: the expression inside, line breaks ignored.
    pub fn condition(&mut self) -> PResult<Expr> {
        self.with_newlines(true, |p| {
            p.expect(TokenKind::LParen, "`(` after `if`")?;
            let condition = p.expr()?;
            p.expect(TokenKind::RParen, "`)` closing the condition")?;
            Ok(condition)
        })
    }
}
