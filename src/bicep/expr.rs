//! Bicep expressions: operators by precedence, postfix access (`.`, `.?`, `[?]`, `!`, `::`),
//! literals, calls and lambdas. Strings are in `strings.rs`, objects, arrays and loops in
//! `collections.rs`.

use super::ast::{BinaryOp, Expr, ExprKind, Ident, UnaryOp};
use super::lexer::{Token, TokenKind};
use super::parser::{Abort, PResult, Parser};

impl Parser<'_> {
    /// A full expression, one nesting level deeper.
    pub fn expr(&mut self) -> PResult<Expr> {
        self.nested(|p| p.ternary())
    }

    /// Whether the next token is `kind`, looking past line breaks when `kind` cannot begin a
    /// new item (a leading `?`, `:` or `&&` continues the line before it). Consumes the line
    /// breaks when it does.
    pub fn continues_with(&mut self, kind: TokenKind) -> bool {
        if self.peek_kind() == kind {
            return true;
        }
        if self.peek_kind() == TokenKind::NewLine && self.peek_past_newlines().kind == kind {
            self.skip_newlines();
            return true;
        }
        false
    }

    /// After an operator, `?`, `:` or `=>` the operand may start on the next line, unless
    /// that line is a new declaration: then the operand is missing, and the error belongs here.
    pub fn skip_continuation_newlines(&mut self) {
        let before = self.position();
        self.skip_newlines();
        if self.at_top_level_statement() {
            self.rewind(before);
        }
    }

    // The functions on the recursion path (ternary → binary → unary → postfix → primary) keep
    // few locals and hand each case to a helper: unoptimised builds give every local its own
    // stack slot, and `MAX_BICEP_PARSE_DEPTH` levels must fit in a 2 MiB thread there too.

    fn ternary(&mut self) -> PResult<Expr> {
        let condition = self.binary(0)?;
        if self.continues_with(TokenKind::Question) {
            self.ternary_rest(condition)
        } else {
            Ok(condition)
        }
    }

    fn ternary_rest(&mut self, condition: Expr) -> PResult<Expr> {
        self.bump();
        self.skip_continuation_newlines();
        let then = self.expr()?;
        if !self.continues_with(TokenKind::Colon) {
            return self.expected("`:` of the conditional expression");
        }
        self.bump();
        self.skip_continuation_newlines();
        let otherwise = self.expr()?;
        let span = self.span(condition.span.start, otherwise.span.end);
        Ok(Expr {
            kind: ExprKind::Ternary {
                condition: Box::new(condition),
                then: Box::new(then),
                otherwise: Box::new(otherwise),
            },
            span,
        })
    }

    /// The binary operator ahead and its precedence (Bicep's: `*` 100 … `??` 30).
    fn binary_op_ahead(&mut self) -> Option<(BinaryOp, u8)> {
        let same_line = binary_op(self.peek_kind());
        if same_line.is_some() {
            return same_line;
        }
        // `+` and `-` could begin the next array item, so only the others continue a line.
        let next = self.peek_past_newlines().kind;
        match binary_op(next) {
            Some((op, prec)) if !matches!(op, BinaryOp::Add | BinaryOp::Subtract) => {
                self.skip_newlines();
                Some((op, prec))
            }
            _ => None,
        }
    }

    /// Precedence climbing; the recursion depth is bounded by the number of precedence levels.
    fn binary(&mut self, min_prec: u8) -> PResult<Expr> {
        let mut left = self.unary()?;
        while let Some((op, prec)) = self.binary_op_ahead() {
            if prec < min_prec {
                break;
            }
            left = self.binary_rest(left, op, prec)?;
        }
        Ok(left)
    }

    fn binary_rest(&mut self, left: Expr, op: BinaryOp, prec: u8) -> PResult<Expr> {
        self.bump();
        self.skip_continuation_newlines();
        let right = self.binary(prec + 1)?;
        let span = self.span(left.span.start, right.span.end);
        Ok(Expr {
            kind: ExprKind::Binary {
                op,
                left: Box::new(left),
                right: Box::new(right),
            },
            span,
        })
    }

    fn unary(&mut self) -> PResult<Expr> {
        let op = match self.peek_kind() {
            TokenKind::Bang => UnaryOp::Not,
            TokenKind::Minus => UnaryOp::Minus,
            TokenKind::Plus => UnaryOp::Plus,
            _ => return self.postfix(),
        };
        let start = self.bump().start;
        let operand = self.nested(|p| p.unary())?;
        let span = self.span(start, operand.span.end);
        Ok(Expr {
            kind: ExprKind::Unary {
                op,
                operand: Box::new(operand),
            },
            span,
        })
    }

    /// A primary expression followed by `.name`, `.?name`, `.name(…)`, `[i]`, `[?i]`, `::name`
    /// and `!`, on the same line.
    pub fn postfix(&mut self) -> PResult<Expr> {
        let mut expr = self.primary()?;
        loop {
            expr = match self.peek_kind() {
                TokenKind::Dot => self.member_access(expr)?,
                TokenKind::LBracket => self.index_access(expr)?,
                TokenKind::DoubleColon => self.child_resource_access(expr)?,
                TokenKind::Bang => self.non_null(expr),
                _ => return Ok(expr),
            };
        }
    }

    /// `!` after `value`.
    fn non_null(&mut self, value: Expr) -> Expr {
        self.bump();
        let span = self.span(value.span.start, self.last_end());
        Expr {
            kind: ExprKind::NonNull(Box::new(value)),
            span,
        }
    }

    /// `.name`, `.?name` or `.name(args)` after `object`.
    fn member_access(&mut self, object: Expr) -> PResult<Expr> {
        self.bump();
        let safe = self.eat(TokenKind::Question).is_some();
        let name = self.ident("a property name after `.`")?;
        let start = object.span.start;
        let kind = if !safe && self.at(TokenKind::LParen) {
            let args = self.call_args()?;
            ExprKind::Call {
                target: Some(Box::new(object)),
                name,
                args,
            }
        } else {
            ExprKind::Member {
                object: Box::new(object),
                name,
                safe,
            }
        };
        Ok(Expr {
            kind,
            span: self.span(start, self.last_end()),
        })
    }

    /// `[index]` or `[?index]` after `object`.
    fn index_access(&mut self, object: Expr) -> PResult<Expr> {
        self.bump();
        let (safe, index) = self.with_newlines(true, |p| {
            let safe = p.eat(TokenKind::Question).is_some();
            let index = p.expr()?;
            p.expect(TokenKind::RBracket, "`]`")?;
            Ok((safe, index))
        })?;
        let span = self.span(object.span.start, self.last_end());
        Ok(Expr {
            kind: ExprKind::Index {
                object: Box::new(object),
                index: Box::new(index),
                safe,
            },
            span,
        })
    }

    /// `::name` after `parent`.
    fn child_resource_access(&mut self, parent: Expr) -> PResult<Expr> {
        self.bump();
        let name = self.ident("a nested resource name after `::`")?;
        let span = self.span(parent.span.start, self.last_end());
        Ok(Expr {
            kind: ExprKind::ChildResource {
                parent: Box::new(parent),
                name,
            },
            span,
        })
    }

    pub fn ident(&mut self, what: &str) -> PResult<Ident> {
        let token = self.expect_ident(what)?;
        Ok(self.ident_of(token))
    }

    pub fn ident_of(&self, token: Token) -> Ident {
        Ident {
            name: self.text_of(token).to_string(),
            span: self.span(token.start, token.end),
        }
    }

    /// `(arg, …)`; line breaks inside mean nothing.
    pub fn call_args(&mut self) -> PResult<Vec<Expr>> {
        self.with_newlines(true, |p| {
            p.expect(TokenKind::LParen, "`(`")?;
            let mut args = Vec::new();
            while !p.at(TokenKind::RParen) {
                args.push(p.expr()?);
                if p.eat(TokenKind::Comma).is_none() {
                    break;
                }
            }
            p.expect(TokenKind::RParen, "`,` or `)` in the argument list")?;
            Ok(args)
        })
    }

    fn primary(&mut self) -> PResult<Expr> {
        let token = self.peek();
        match token.kind {
            TokenKind::Int => self.integer(token),
            TokenKind::Str(_) => self.string_expr(),
            TokenKind::Ident => self.word(token),
            TokenKind::LParen if self.lambda_ahead() => self.lambda(token),
            TokenKind::LParen => self.parenthesized(token),
            TokenKind::LBracket => self.array(),
            TokenKind::LBrace => self.object_expr(),
            TokenKind::Unknown => self.unknown_character(token),
            _ => self.expected("a value"),
        }
    }

    fn integer(&mut self, token: Token) -> PResult<Expr> {
        self.bump();
        match self.text_of(token).parse::<i64>() {
            Ok(value) => Ok(Expr {
                kind: ExprKind::Int(value),
                span: self.span(token.start, token.end),
            }),
            Err(_) => {
                self.report(token.start, token.end, "integer is too large for 64 bits");
                Err(Abort)
            }
        }
    }

    pub fn string_expr(&mut self) -> PResult<Expr> {
        let string = self.string()?;
        let span = string.span;
        Ok(Expr {
            kind: ExprKind::String(string),
            span,
        })
    }

    fn object_expr(&mut self) -> PResult<Expr> {
        let object = self.object()?;
        let span = object.span;
        Ok(Expr {
            kind: ExprKind::Object(object),
            span,
        })
    }

    /// A literal keyword, a reference, a call `name(…)` or a lambda `name => …`.
    fn word(&mut self, token: Token) -> PResult<Expr> {
        let next = self.peek_nth(1).kind;
        let ident = {
            let token = self.bump();
            self.ident_of(token)
        };
        if next == TokenKind::Arrow {
            return self.lambda_body(token.start, vec![ident]);
        }
        if next == TokenKind::LParen {
            let args = self.call_args()?;
            return Ok(Expr {
                kind: ExprKind::Call {
                    target: None,
                    name: ident,
                    args,
                },
                span: self.span(token.start, self.last_end()),
            });
        }
        let kind = match ident.name.as_str() {
            "true" => ExprKind::Bool(true),
            "false" => ExprKind::Bool(false),
            "null" => ExprKind::Null,
            _ => ExprKind::Ident(ident.name),
        };
        Ok(Expr {
            kind,
            span: ident.span,
        })
    }

    fn lambda(&mut self, token: Token) -> PResult<Expr> {
        let params = self.with_newlines(true, |p| {
            p.bump();
            let mut params = Vec::new();
            while !p.at(TokenKind::RParen) {
                params.push(p.ident("a lambda parameter name")?);
                if p.eat(TokenKind::Comma).is_none() {
                    break;
                }
            }
            p.expect(TokenKind::RParen, "`)`")?;
            Ok(params)
        })?;
        self.lambda_body(token.start, params)
    }

    fn parenthesized(&mut self, token: Token) -> PResult<Expr> {
        let inner = self.with_newlines(true, |p| {
            p.bump();
            let inner = p.expr()?;
            p.expect(TokenKind::RParen, "`)`")?;
            Ok(inner)
        })?;
        Ok(Expr {
            kind: ExprKind::Paren(Box::new(inner)),
            span: self.span(token.start, self.last_end()),
        })
    }

    fn unknown_character(&mut self, token: Token) -> PResult<Expr> {
        let text = self.text_of(token);
        let message = if text == "\"" {
            "strings are written with single quotes `'` in Bicep".to_string()
        } else {
            format!("unexpected character `{text}`")
        };
        self.report(token.start, token.end, message);
        Err(Abort)
    }

    /// Whether `(` here opens a lambda's parameter list: `()` or `(a, b)` followed by `=>`.
    fn lambda_ahead(&mut self) -> bool {
        // Parameters are plain names, so a pattern check over the next few tokens suffices
        // (no bracket matching, which would make nested parentheses quadratic).
        let mut index = self.position() + 1;
        let mut next = |p: &Self| {
            while p.raw_kind(index) == TokenKind::NewLine {
                index += 1;
            }
            index += 1;
            p.raw_kind(index - 1)
        };
        let mut kind = next(self);
        if kind == TokenKind::RParen {
            return next(self) == TokenKind::Arrow;
        }
        let mut expect_name = true;
        loop {
            match (expect_name, kind) {
                (true, TokenKind::Ident) => expect_name = false,
                (false, TokenKind::Comma) => expect_name = true,
                (false, TokenKind::RParen) => return next(self) == TokenKind::Arrow,
                _ => return false,
            }
            kind = next(self);
        }
    }

    fn lambda_body(&mut self, start: usize, params: Vec<Ident>) -> PResult<Expr> {
        self.expect(TokenKind::Arrow, "`=>`")?;
        self.skip_continuation_newlines();
        let body = self.expr()?;
        let span = self.span(start, body.span.end);
        Ok(Expr {
            kind: ExprKind::Lambda {
                params,
                body: Box::new(body),
            },
            span,
        })
    }
}

fn binary_op(kind: TokenKind) -> Option<(BinaryOp, u8)> {
    use BinaryOp::*;
    Some(match kind {
        TokenKind::Star => (Multiply, 100),
        TokenKind::Slash => (Divide, 100),
        TokenKind::Percent => (Modulo, 100),
        TokenKind::Plus => (Add, 90),
        TokenKind::Minus => (Subtract, 90),
        TokenKind::Gt => (Greater, 80),
        TokenKind::Ge => (GreaterOrEqual, 80),
        TokenKind::Lt => (Less, 80),
        TokenKind::Le => (LessOrEqual, 80),
        TokenKind::EqEq => (Equal, 70),
        TokenKind::NotEq => (NotEqual, 70),
        TokenKind::EqI => (EqualIgnoreCase, 70),
        TokenKind::NotEqI => (NotEqualIgnoreCase, 70),
        TokenKind::AndAnd => (And, 50),
        TokenKind::OrOr => (Or, 40),
        TokenKind::DoubleQuestion => (Coalesce, 30),
        _ => return None,
    })
}
