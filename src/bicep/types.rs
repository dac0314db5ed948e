//! Bicep type expressions: names, literals, unions, arrays, nullables, object and tuple types,
//! `resource '…'`, generics like `resourceInput<'…'>`, and property or element access on types.

use super::ast::{
    Decorator, Expr, ExprKind, TupleItem, TypeExpr, TypeKey, TypeKind, TypeProperty, UnaryOp,
};
use super::lexer::{Token, TokenKind};
use super::parser::{Abort, PResult, Parser};

// As in `expr.rs`, the recursive functions delegate each case to a helper so that their stack
// frames stay small in unoptimised builds.

impl Parser<'_> {
    /// A type, one nesting level deeper.
    pub fn ty(&mut self) -> PResult<TypeExpr> {
        self.nested(|p| p.union_type())
    }

    fn union_type(&mut self) -> PResult<TypeExpr> {
        // A union may be written one member per line, each after a `|`.
        let leading = if self.continues_with(TokenKind::Pipe) {
            Some(self.bump().start)
        } else {
            None
        };
        let first = self.postfix_type()?;
        if self.continues_with(TokenKind::Pipe) {
            self.union_rest(leading.unwrap_or(first.span.start), first)
        } else {
            Ok(first)
        }
    }

    fn union_rest(&mut self, start: usize, first: TypeExpr) -> PResult<TypeExpr> {
        let mut members = vec![first];
        while self.continues_with(TokenKind::Pipe) {
            self.bump();
            self.skip_newlines();
            members.push(self.postfix_type()?);
        }
        Ok(TypeExpr {
            kind: TypeKind::Union(members),
            span: self.span(start, self.last_end()),
        })
    }

    fn postfix_type(&mut self) -> PResult<TypeExpr> {
        let mut ty = self.primary_type()?;
        loop {
            let kind = match self.peek_kind() {
                TokenKind::LBracket => match self.bracket_suffix(ty)? {
                    Ok(kind) => kind,
                    Err(ty) => return Ok(ty),
                },
                TokenKind::Question => {
                    self.bump();
                    TypeKind::Nullable(Box::new(ty))
                }
                TokenKind::Dot => self.dot_suffix(ty)?,
                _ => return Ok(ty),
            };
            let span = self.span(suffix_base_start(&kind), self.last_end());
            ty = TypeExpr { kind, span };
        }
    }

    /// `[]`, `[*]` or `[0]` after `base`; hands `base` back when the `[` is none of these.
    fn bracket_suffix(&mut self, base: TypeExpr) -> PResult<Result<TypeKind, TypeExpr>> {
        let kind = match self.peek_nth(1).kind {
            TokenKind::RBracket => {
                self.bump();
                self.bump();
                return Ok(Ok(TypeKind::Array(Box::new(base))));
            }
            TokenKind::Star => {
                self.bump();
                self.bump();
                TypeKind::Elements(Box::new(base))
            }
            TokenKind::Int => {
                self.bump();
                let token = self.bump();
                let Ok(index) = self.text_of(token).parse::<i64>() else {
                    self.report(token.start, token.end, "tuple index is too large");
                    return Err(Abort);
                };
                TypeKind::Item {
                    base: Box::new(base),
                    index,
                }
            }
            _ => return Ok(Err(base)),
        };
        self.expect(TokenKind::RBracket, "`]`")?;
        Ok(Ok(kind))
    }

    /// `.name` or `.*` after `base`.
    fn dot_suffix(&mut self, base: TypeExpr) -> PResult<TypeKind> {
        self.bump();
        if self.eat(TokenKind::Star).is_some() {
            return Ok(TypeKind::AdditionalProperties(Box::new(base)));
        }
        let name = self.ident("a property name after `.`")?;
        Ok(TypeKind::Property {
            base: Box::new(base),
            name,
        })
    }

    fn primary_type(&mut self) -> PResult<TypeExpr> {
        let token = self.peek();
        let kind = match token.kind {
            TokenKind::Ident => self.named_type(token)?,
            TokenKind::Str(_) => self.string_expr().map(TypeKind::Literal)?,
            TokenKind::Int | TokenKind::Minus | TokenKind::Bang => self.literal_type(token)?,
            TokenKind::LBrace => self.object_type()?,
            TokenKind::LBracket => self.tuple_type()?,
            TokenKind::LParen => self.parenthesized_type()?,
            _ => return self.expected("a type"),
        };
        Ok(TypeExpr {
            kind,
            span: self.span(token.start, self.last_end()),
        })
    }

    /// `string`, `true`, `resource 'T@v'` or `resourceInput<'T@v'>`.
    fn named_type(&mut self, token: Token) -> PResult<TypeKind> {
        let word = self.text_of(token);
        let next = self.peek_nth(1).kind;
        if word == "resource" && matches!(next, TokenKind::Str(_)) {
            self.bump();
            return self.string().map(TypeKind::Resource);
        }
        if matches!(word, "true" | "false" | "null") {
            return self.postfix().map(TypeKind::Literal);
        }
        let name = {
            let token = self.bump();
            self.ident_of(token)
        };
        if next != TokenKind::Lt {
            return Ok(TypeKind::Named(name));
        }
        self.bump();
        let args = self.with_newlines(true, |p| {
            let mut args = vec![p.ty()?];
            while p.eat(TokenKind::Comma).is_some() {
                args.push(p.ty()?);
            }
            p.expect(TokenKind::Gt, "`>` closing the type arguments")?;
            Ok(args)
        })?;
        Ok(TypeKind::Generic { name, args })
    }

    /// `1`, `-1`, `!true`.
    fn literal_type(&mut self, token: Token) -> PResult<TypeKind> {
        let start = self.bump().start;
        let kind = if token.kind == TokenKind::Int {
            match self.text_of(token).parse::<i64>() {
                Ok(value) => ExprKind::Int(value),
                Err(_) => return self.expected("an integer that fits in 64 bits"),
            }
        } else {
            let operand = self.nested(|p| p.primary_type())?;
            let TypeKind::Literal(operand) = operand.kind else {
                return self.expected("a literal after the sign");
            };
            let op = if token.kind == TokenKind::Minus {
                UnaryOp::Minus
            } else {
                UnaryOp::Not
            };
            ExprKind::Unary {
                op,
                operand: Box::new(operand),
            }
        };
        Ok(TypeKind::Literal(Expr {
            kind,
            span: self.span(start, self.last_end()),
        }))
    }

    fn parenthesized_type(&mut self) -> PResult<TypeKind> {
        let inner = self.with_newlines(true, |p| {
            p.bump();
            let inner = p.ty()?;
            p.expect(TokenKind::RParen, "`)`")?;
            Ok(inner)
        })?;
        Ok(TypeKind::Paren(Box::new(inner)))
    }

    fn object_type(&mut self) -> PResult<TypeKind> {
        self.with_newlines(false, |p| {
            p.bump();
            p.separated(TokenKind::RBrace, "`}`", |p| p.type_property())
                .map(TypeKind::Object)
        })
    }

    /// `name: type`, `'name': type` or `*: type`, with decorators.
    fn type_property(&mut self) -> PResult<TypeProperty> {
        let decorators = self.decorators()?;
        let token = self.peek();
        let key = match token.kind {
            TokenKind::Ident => {
                self.bump();
                TypeKey::Name(self.text_of(token).to_string())
            }
            TokenKind::Star => {
                self.bump();
                TypeKey::Any
            }
            TokenKind::Str(_) => match self.string()?.literal() {
                Some(text) => TypeKey::Name(text.to_string()),
                None => {
                    let end = self.last_end();
                    self.report(
                        token.start,
                        end,
                        "a property name in a type cannot be interpolated",
                    );
                    return Err(Abort);
                }
            },
            _ => return self.expected("a property name"),
        };
        let key_span = self.span(token.start, self.last_end());
        self.expect(TokenKind::Colon, "`:` after the property name")?;
        let ty = self.ty()?;
        let start = decorators.first().map_or(token.start, |d| d.span.start);
        Ok(TypeProperty {
            decorators,
            key,
            key_span,
            span: self.span(start, ty.span.end),
            ty,
        })
    }

    fn tuple_type(&mut self) -> PResult<TypeKind> {
        self.with_newlines(false, |p| {
            p.bump();
            p.separated(TokenKind::RBracket, "`]`", |p| p.tuple_item())
                .map(TypeKind::Tuple)
        })
    }

    fn tuple_item(&mut self) -> PResult<TupleItem> {
        let decorators = self.decorators()?;
        let ty = self.ty()?;
        let start = decorators.first().map_or(ty.span.start, |d| d.span.start);
        Ok(TupleItem {
            decorators,
            span: self.span(start, ty.span.end),
            ty,
        })
    }

    /// Decorators, each `@call(…)` followed by line breaks.
    pub fn decorators(&mut self) -> PResult<Vec<Decorator>> {
        let mut decorators = Vec::new();
        while let Some(at) = self.eat(TokenKind::At) {
            let expr = self.postfix()?;
            if !matches!(expr.kind, ExprKind::Call { .. }) {
                self.report(
                    expr.span.start,
                    expr.span.end,
                    "expected a decorator call such as `@description('…')`",
                );
                return Err(Abort);
            }
            let span = self.span(at.start, expr.span.end);
            decorators.push(Decorator { expr, span });
            self.skip_newlines();
        }
        Ok(decorators)
    }
}

/// Where the base of a postfix type starts.
fn suffix_base_start(kind: &TypeKind) -> usize {
    match kind {
        TypeKind::Array(base)
        | TypeKind::Nullable(base)
        | TypeKind::Elements(base)
        | TypeKind::AdditionalProperties(base)
        | TypeKind::Property { base, .. }
        | TypeKind::Item { base, .. } => base.span.start,
        _ => 0,
    }
}
