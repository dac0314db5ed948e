//! Bicep declarations: the file's statement list (`param`, `var`, `resource`, `module`, …,
//! and the `.bicepparam` forms `using`, `extends`, `param x = value`), one line each, with
//! recovery so one broken declaration does not hide the others.

use super::ast::{
    DeclBody, Expr, ExprKind, FuncParam, Ident, Import, ImportedSymbol, ModuleDecl, Program,
    ResourceDecl, Statement, StatementKind,
};
use super::lexer::TokenKind;
use super::parser::{Abort, PResult, Parser};

impl Parser<'_> {
    pub fn program(&mut self) -> Program {
        let mut statements = Vec::new();
        loop {
            self.skip_newlines();
            if self.at(TokenKind::Eof) {
                return Program { statements };
            }
            let start = self.position();
            match self.statement() {
                Ok(statement) => {
                    statements.push(statement);
                    if !matches!(self.peek_kind(), TokenKind::NewLine | TokenKind::Eof) {
                        let _ = self.expected::<()>("a line break after the declaration");
                        self.recover_statement(start);
                    }
                }
                Err(Abort) => self.recover_statement(start),
            }
        }
    }

    /// One declaration with its decorators.
    pub fn statement(&mut self) -> PResult<Statement> {
        let start = self.peek().start;
        let decorators = self.decorators()?;
        let kind = self.declaration()?;
        Ok(Statement {
            decorators,
            kind,
            span: self.span(start, self.last_end()),
        })
    }

    fn declaration(&mut self) -> PResult<StatementKind> {
        let keyword = self.peek();
        let word = if keyword.kind == TokenKind::Ident {
            self.text_of(keyword)
        } else {
            ""
        };
        // Resources recurse through nested child resources: keep their path free of the
        // other declarations' locals (see `expr::ternary`).
        match word {
            "resource" => return self.resource().map(StatementKind::Resource),
            "module" => return self.module().map(StatementKind::Module),
            _ => {}
        }
        self.other_declaration(word)
    }

    fn other_declaration(&mut self, word: &str) -> PResult<StatementKind> {
        Ok(match word {
            "targetScope" => {
                self.bump();
                self.expect(TokenKind::Assign, "`=`")?;
                StatementKind::TargetScope(self.expr()?)
            }
            "metadata" => {
                self.bump();
                let (name, value) = self.name_equals_value("the metadata name")?;
                StatementKind::Metadata { name, value }
            }
            "param" => {
                self.bump();
                let name = self.ident("the parameter name")?;
                let ty = self.optional_type()?;
                let value = match self.eat(TokenKind::Assign) {
                    Some(_) => Some(self.expr()?),
                    None => None,
                };
                StatementKind::Param { name, ty, value }
            }
            "var" => {
                self.bump();
                let name = self.ident("the variable name")?;
                let ty = self.optional_type()?;
                self.expect(TokenKind::Assign, "`=`")?;
                let value = self.expr()?;
                StatementKind::Var { name, ty, value }
            }
            "output" => {
                self.bump();
                let name = self.ident("the output name")?;
                let ty = self.optional_type()?;
                self.expect(TokenKind::Assign, "`=`")?;
                let value = self.expr()?;
                StatementKind::Output { name, ty, value }
            }
            "type" => {
                self.bump();
                let name = self.ident("the type name")?;
                self.expect(TokenKind::Assign, "`=`")?;
                StatementKind::Type {
                    name,
                    ty: self.ty()?,
                }
            }
            "func" => self.func()?,
            "import" => StatementKind::Import(self.import()?),
            "extension" | "provider" => self.extension()?,
            "using" => {
                self.bump();
                let target = if self.at_word("none") {
                    self.bump();
                    None
                } else {
                    Some(self.string()?)
                };
                let config = self.with_clause()?;
                StatementKind::Using { target, config }
            }
            "extends" => {
                self.bump();
                StatementKind::Extends(self.string()?)
            }
            "assert" => {
                self.bump();
                let (name, condition) = self.name_equals_value("the assertion name")?;
                StatementKind::Assert { name, condition }
            }
            "test" => {
                self.bump();
                let name = self.ident("the test name")?;
                let path = self.string()?;
                self.expect(TokenKind::Assign, "`=`")?;
                let body = self.object()?;
                StatementKind::Test { name, path, body }
            }
            _ => {
                return self
                    .expected("a declaration (`param`, `var`, `resource`, `module`, `output`, …)");
            }
        })
    }

    /// The type between a name and `=`, if any (`.bicepparam` values have none).
    fn optional_type(&mut self) -> PResult<Option<super::ast::TypeExpr>> {
        if self.at(TokenKind::Assign) {
            Ok(None)
        } else {
            self.ty().map(Some)
        }
    }

    fn name_equals_value(&mut self, what: &str) -> PResult<(Ident, Expr)> {
        let name = self.ident(what)?;
        self.expect(TokenKind::Assign, "`=`")?;
        Ok((name, self.expr()?))
    }

    fn resource(&mut self) -> PResult<ResourceDecl> {
        let keyword = self.bump();
        let name = self.ident("the resource's symbolic name")?;
        if !matches!(self.peek_kind(), TokenKind::Str(_)) {
            return self
                .expected("the resource type string, e.g. `'Microsoft.Web/sites@2023-12-01'`");
        }
        let type_string = self.string()?;
        let existing = self.at_word("existing");
        if existing {
            self.bump();
        }
        let header = self.span(keyword.start, self.last_end());
        self.expect(TokenKind::Assign, "`=`")?;
        let body = self.decl_body()?;
        Ok(ResourceDecl {
            name,
            type_string,
            existing,
            body,
            header,
        })
    }

    fn module(&mut self) -> PResult<ModuleDecl> {
        let keyword = self.bump();
        let name = self.ident("the module's symbolic name")?;
        if !matches!(self.peek_kind(), TokenKind::Str(_)) {
            return self.expected("the module path string");
        }
        let path = self.string()?;
        let header = self.span(keyword.start, self.last_end());
        self.expect(TokenKind::Assign, "`=`")?;
        let body = self.decl_body()?;
        Ok(ModuleDecl {
            name,
            path,
            body,
            header,
        })
    }

    /// `{…}`, `if (condition) {…}` or `[for …]`.
    fn decl_body(&mut self) -> PResult<DeclBody> {
        if self.at_word("if") {
            self.bump();
            let condition = self.condition()?;
            let body = self.object()?;
            return Ok(DeclBody::If { condition, body });
        }
        match self.peek_kind() {
            TokenKind::LBrace => Ok(DeclBody::Object(self.object()?)),
            TokenKind::LBracket => {
                let expr = self.array()?;
                match expr.kind {
                    ExprKind::For(for_expr) => Ok(DeclBody::For(for_expr)),
                    _ => {
                        self.report(
                            expr.span.start,
                            expr.span.end,
                            "expected a `[for …]` loop, found an array",
                        );
                        Err(Abort)
                    }
                }
            }
            _ => self.expected("`{`, `if (…)` or `[for …]`"),
        }
    }

    fn func(&mut self) -> PResult<StatementKind> {
        self.bump();
        let name = self.ident("the function name")?;
        let params = self.with_newlines(true, |p| {
            p.expect(TokenKind::LParen, "`(` and the parameters")?;
            let mut params = Vec::new();
            while !p.at(TokenKind::RParen) {
                let name = p.ident("a parameter name")?;
                let ty = p.ty()?;
                params.push(FuncParam { name, ty });
                if p.eat(TokenKind::Comma).is_none() {
                    break;
                }
            }
            p.expect(TokenKind::RParen, "`,` or `)`")?;
            Ok(params)
        })?;
        let result = self.ty()?;
        self.expect(TokenKind::Arrow, "`=>` before the function body")?;
        self.skip_continuation_newlines();
        let body = self.expr()?;
        Ok(StatementKind::Func {
            name,
            params,
            result,
            body,
        })
    }

    fn import(&mut self) -> PResult<Import> {
        self.bump();
        match self.peek_kind() {
            TokenKind::LBrace => {
                // Names are separated by commas or line breaks.
                let symbols = self.with_newlines(false, |p| {
                    p.bump();
                    p.separated(TokenKind::RBrace, "`}`", |p| {
                        let name = p.ident("an imported name")?;
                        let alias = p.alias()?;
                        Ok(ImportedSymbol { name, alias })
                    })
                })?;
                let from = self.import_source()?;
                Ok(Import::Symbols { symbols, from })
            }
            TokenKind::Star => {
                self.bump();
                let Some(alias) = self.alias()? else {
                    return self.expected("`as` and a namespace name");
                };
                let from = self.import_source()?;
                Ok(Import::Wildcard { alias, from })
            }
            TokenKind::Str(_) => {
                let spec = self.string()?;
                let config = self.with_clause()?;
                let alias = self.alias()?;
                Ok(Import::Extension {
                    spec,
                    config,
                    alias,
                })
            }
            _ => self.expected("`{`, `*` or a string after `import`"),
        }
    }

    fn extension(&mut self) -> PResult<StatementKind> {
        self.bump();
        let token = self.peek();
        let spec = match token.kind {
            TokenKind::Ident => {
                self.bump();
                Expr {
                    kind: ExprKind::Ident(self.text_of(token).to_string()),
                    span: self.span(token.start, token.end),
                }
            }
            TokenKind::Str(_) => {
                let string = self.string()?;
                let span = string.span;
                Expr {
                    kind: ExprKind::String(string),
                    span,
                }
            }
            _ => return self.expected("the extension name or reference"),
        };
        let config = self.with_clause()?;
        let alias = self.alias()?;
        Ok(StatementKind::Extension {
            spec,
            config,
            alias,
        })
    }

    /// `with {…}`, if present.
    fn with_clause(&mut self) -> PResult<Option<Expr>> {
        if !self.at_word("with") {
            return Ok(None);
        }
        self.bump();
        Ok(Some(self.expr()?))
    }

    /// `as name`, if present.
    fn alias(&mut self) -> PResult<Option<Ident>> {
        if !self.at_word("as") {
            return Ok(None);
        }
        self.bump();
        Ok(Some(self.ident("a name after `as`")?))
    }

    fn import_source(&mut self) -> PResult<super::ast::StringExpr> {
        if !self.at_word("from") {
            return self.expected("`from` and the file to import from");
        }
        self.bump();
        self.string()
    }
}
