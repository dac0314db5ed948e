//! The parser's cursor: token access with newline handling, error recording, nesting limits and
//! recovery (skipping to the next declaration or the next object member).

use super::SyntaxError;
use super::lexer::{Token, TokenKind};
use crate::limits::MAX_BICEP_PARSE_DEPTH;
use crate::source::{FileId, Span};

/// The parser gave up on the current construct; the error is already recorded.
#[derive(Debug)]
pub struct Abort;

pub type PResult<T> = Result<T, Abort>;

/// Words that begin a declaration at the top of a file.
pub const STATEMENT_KEYWORDS: &[&str] = &[
    "targetScope",
    "metadata",
    "param",
    "var",
    "resource",
    "module",
    "output",
    "type",
    "func",
    "import",
    "extension",
    "provider",
    "using",
    "extends",
    "assert",
    "test",
];

pub struct Parser<'a> {
    pub text: &'a str,
    file: FileId,
    tokens: Vec<Token>,
    pos: usize,
    /// Inside `(…)`, `[…]` indexes and `${…}` holes line breaks mean nothing; inside objects,
    /// arrays and at the top level they separate items.
    ignore_newlines: bool,
    depth: usize,
    pub errors: Vec<SyntaxError>,
}

impl<'a> Parser<'a> {
    pub fn new(file: FileId, text: &'a str, tokens: Vec<Token>) -> Self {
        Parser {
            text,
            file,
            tokens,
            pos: 0,
            ignore_newlines: false,
            depth: 0,
            errors: Vec::new(),
        }
    }

    pub fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start..end)
    }

    pub fn token_at(&self, index: usize) -> Token {
        // The lexer always ends with `Eof`; clamp so lookahead past it stays there.
        let last = self.tokens.len().saturating_sub(1);
        self.tokens.get(index.min(last)).copied().unwrap_or(Token {
            kind: TokenKind::Eof,
            start: self.text.len(),
            end: self.text.len(),
        })
    }

    /// The current token, after skipping line breaks where they mean nothing. A line break
    /// before a declaration in column 0 is kept even there: an unclosed `(` must not pull the
    /// next declaration into its error.
    pub fn peek(&mut self) -> Token {
        if self.ignore_newlines && self.token_at(self.pos).kind == TokenKind::NewLine {
            let mut index = self.pos;
            while self.token_at(index).kind == TokenKind::NewLine {
                index += 1;
            }
            if !(self.starts_statement(index) && self.at_column_zero(index)) {
                self.pos = index;
            }
        }
        self.token_at(self.pos)
    }

    pub fn peek_kind(&mut self) -> TokenKind {
        self.peek().kind
    }

    /// The token `n` places after the current one, line breaks skipped when they mean nothing.
    pub fn peek_nth(&mut self, n: usize) -> Token {
        let mut index = self.pos;
        let mut remaining = n;
        loop {
            let token = self.token_at(index);
            let skip = self.ignore_newlines && token.kind == TokenKind::NewLine;
            if !skip {
                if remaining == 0 || token.kind == TokenKind::Eof {
                    return token;
                }
                remaining -= 1;
            }
            index += 1;
        }
    }

    /// The first token after any line breaks, without consuming anything.
    pub fn peek_past_newlines(&self) -> Token {
        let mut index = self.pos;
        while self.token_at(index).kind == TokenKind::NewLine {
            index += 1;
        }
        self.token_at(index)
    }

    pub fn bump(&mut self) -> Token {
        let token = self.peek();
        if token.kind != TokenKind::Eof {
            self.pos += 1;
        }
        token
    }

    pub fn at(&mut self, kind: TokenKind) -> bool {
        self.peek_kind() == kind
    }

    pub fn eat(&mut self, kind: TokenKind) -> Option<Token> {
        if self.at(kind) {
            Some(self.bump())
        } else {
            None
        }
    }

    pub fn text_of(&self, token: Token) -> &'a str {
        self.text.get(token.start..token.end).unwrap_or("")
    }

    /// Whether the current token is the word `word`.
    pub fn at_word(&mut self, word: &str) -> bool {
        let token = self.peek();
        token.kind == TokenKind::Ident && self.text_of(token) == word
    }

    pub fn skip_newlines(&mut self) {
        while self.token_at(self.pos).kind == TokenKind::NewLine {
            self.pos += 1;
        }
    }

    /// End offset of the last consumed token other than a line break.
    pub fn last_end(&self) -> usize {
        let mut index = self.pos;
        while index > 0 {
            index -= 1;
            let token = self.token_at(index);
            if token.kind != TokenKind::NewLine {
                return token.end;
            }
        }
        0
    }

    /// Records an error at `span` unless one is already recorded at the same place (a failure
    /// deep inside a construct must not cascade into one message per enclosing level).
    pub fn report(&mut self, start: usize, end: usize, message: impl Into<String>) {
        if self.errors.last().is_some_and(|e| e.span.start == start) {
            return;
        }
        let span = self.span(start, end);
        self.errors.push(SyntaxError {
            span,
            message: message.into(),
        });
    }

    /// Records "expected …, found …" at the current token and aborts.
    pub fn expected<T>(&mut self, what: &str) -> PResult<T> {
        let token = self.peek();
        let found = self.describe(token);
        // A line break token also holds the next line's indentation: point at the break only.
        let end = if token.kind == TokenKind::NewLine {
            token.start + 1
        } else {
            token.end
        };
        self.report(token.start, end, format!("expected {what}, found {found}"));
        Err(Abort)
    }

    pub fn expect(&mut self, kind: TokenKind, what: &str) -> PResult<Token> {
        match self.eat(kind) {
            Some(token) => Ok(token),
            None => self.expected(what),
        }
    }

    pub fn expect_ident(&mut self, what: &str) -> PResult<Token> {
        self.expect(TokenKind::Ident, what)
    }

    pub fn describe(&self, token: Token) -> String {
        match token.kind {
            TokenKind::Eof => "the end of the file".into(),
            TokenKind::NewLine => "the end of the line".into(),
            TokenKind::Str(_) => "a string".into(),
            _ => {
                let text = self.text_of(token);
                let short: String = text.chars().take(20).collect();
                format!("`{short}`")
            }
        }
    }

    /// Runs `f` one nesting level deeper, failing cleanly past [`MAX_BICEP_PARSE_DEPTH`].
    pub fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.depth >= MAX_BICEP_PARSE_DEPTH {
            let token = self.peek();
            self.report(
                token.start,
                token.end,
                format!(
                    "nested more than {MAX_BICEP_PARSE_DEPTH} levels deep; certgate stops \
                     reading here"
                ),
            );
            return Err(Abort);
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    /// Runs `f` with line breaks ignored (`true`) or significant (`false`), then restores.
    pub fn with_newlines<T>(
        &mut self,
        ignore: bool,
        f: impl FnOnce(&mut Self) -> PResult<T>,
    ) -> PResult<T> {
        let saved = std::mem::replace(&mut self.ignore_newlines, ignore);
        let result = f(self);
        self.ignore_newlines = saved;
        result
    }

    /// The kind of the token at `index` in the token list, line breaks included.
    pub fn raw_kind(&self, index: usize) -> TokenKind {
        self.token_at(index).kind
    }

    pub fn position(&self) -> usize {
        self.pos
    }

    /// Goes back to a position returned by [`Parser::position`].
    pub fn rewind(&mut self, position: usize) {
        self.pos = position.min(self.pos);
    }

    /// Whether token `index` is the first on its line and starts a declaration there.
    fn starts_statement(&self, index: usize) -> bool {
        let token = self.token_at(index);
        let first_on_line = index == 0 || self.token_at(index - 1).kind == TokenKind::NewLine;
        if !first_on_line {
            return false;
        }
        let next = self.token_at(index + 1);
        let next_is_word = |word: &str| next.kind == TokenKind::Ident && self.text_of(next) == word;
        // The keyword must be followed by what its declaration needs, so that a property or
        // variable that happens to be called `type` or `resource` is not taken for one.
        match (token.kind, next.kind) {
            (TokenKind::At, TokenKind::Ident) => true,
            (TokenKind::Ident, next_kind) => match self.text_of(token) {
                "targetScope" => next_kind == TokenKind::Assign,
                "import" => matches!(
                    next_kind,
                    TokenKind::LBrace | TokenKind::Star | TokenKind::Str(_)
                ),
                "using" | "extends" => {
                    matches!(next_kind, TokenKind::Str(_)) || next_is_word("none")
                }
                "extension" | "provider" => {
                    matches!(next_kind, TokenKind::Ident | TokenKind::Str(_))
                }
                word => STATEMENT_KEYWORDS.contains(&word) && next_kind == TokenKind::Ident,
            },
            _ => false,
        }
    }

    fn at_column_zero(&self, index: usize) -> bool {
        let start = self.token_at(index).start;
        start == 0 || matches!(self.text.as_bytes().get(start - 1), Some(b'\n' | b'\r'))
    }

    /// After a failed declaration that began at token `statement_start`: skips to the next line
    /// that starts a declaration outside the failed one's brackets, or at column 0 whatever the
    /// brackets say (an unclosed `{` must not swallow the rest of the file), or to any word in
    /// column 0 outside brackets.
    pub fn recover_statement(&mut self, statement_start: usize) {
        let mut depth: i64 = 0;
        for index in statement_start..self.pos {
            depth += bracket_delta(self.token_at(index).kind);
        }
        // Always make progress past the token that failed.
        if self.pos == statement_start || !self.starts_statement(self.pos) {
            depth += bracket_delta(self.token_at(self.pos).kind);
            self.bump_raw();
        }
        loop {
            let kind = self.token_at(self.pos).kind;
            if kind == TokenKind::Eof {
                return;
            }
            let column_zero = self.at_column_zero(self.pos);
            if self.starts_statement(self.pos) && (depth <= 0 || column_zero) {
                return;
            }
            // Any word in column 0 outside brackets begins the next (maybe broken) declaration,
            // which deserves its own error rather than being skipped silently.
            if depth <= 0 && column_zero && kind == TokenKind::Ident {
                return;
            }
            depth += bracket_delta(kind);
            self.bump_raw();
        }
    }

    /// Whether the current token begins a declaration in column 0: inside an unclosed
    /// bracket, that means the bracket was never closed.
    pub fn at_top_level_statement(&self) -> bool {
        self.starts_statement(self.pos) && self.at_column_zero(self.pos)
    }

    /// After a failed object member or array item: skips to the end of its line (brackets
    /// opened on the way closed again) or to `close`, the enclosing closing bracket; stray
    /// closing brackets of other kinds are skipped. Returns false when it ran into the end of
    /// the file or a top-level declaration instead, so the caller gives up too.
    pub fn recover_member(&mut self, close: TokenKind) -> bool {
        let mut depth: i64 = 0;
        loop {
            let kind = self.token_at(self.pos).kind;
            match kind {
                TokenKind::Eof => return false,
                TokenKind::NewLine | TokenKind::Comma if depth <= 0 => return true,
                _ if kind == close && depth <= 0 => return true,
                TokenKind::RBrace | TokenKind::RBracket | TokenKind::RParen if depth <= 0 => {
                    self.bump_raw();
                    continue;
                }
                _ => {}
            }
            if self.at_top_level_statement() {
                return false;
            }
            depth += bracket_delta(kind);
            self.bump_raw();
        }
    }

    fn bump_raw(&mut self) {
        if self.token_at(self.pos).kind != TokenKind::Eof {
            self.pos += 1;
        }
    }
}

fn bracket_delta(kind: TokenKind) -> i64 {
    match kind {
        TokenKind::LBrace | TokenKind::LBracket | TokenKind::LParen => 1,
        TokenKind::RBrace | TokenKind::RBracket | TokenKind::RParen => -1,
        _ => 0,
    }
}
