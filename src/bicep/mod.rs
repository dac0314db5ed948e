//! Bicep syntax: parses `.bicep` and `.bicepparam` text into a tree with byte spans, reporting
//! every syntax error and still returning the declarations around them.
//!
//! Why hand-written: Bicep's own parser is C# (`Bicep.Core`) and reachable only through the Bicep
//! CLI, which certgate must not require. No maintained Rust crate parses Bicep with spans and
//! error recovery, and the `tree-sitter-bicep` grammar (1.1.0) lags the language: it produces
//! error nodes for `...` spreads, typed `var x string = …`, `extension` and `$'''` strings,
//! all of which current templates use (see the README for the corpus measurement). The
//! language is small and line-oriented, so a recursive-descent parser over a token list stays
//! short, follows Bicep's own lexer and precedence rules, and is fast.
//!
//! Layout: `lexer` (tokens, comments), `string_lexer` (string tokens and their holes), `parser` (cursor, errors, limits,
//! recovery), `decls` (statements), `expr` (operators, access, calls, lambdas), `strings`,
//! `collections` (objects, arrays, loops), `types` (type expressions), `ast` (the tree).
//!
//! Limits: nesting deeper than [`MAX_DEPTH`] levels stops with an error instead of overflowing
//! the stack; every loop consumes a token or ends, so any input terminates.

pub mod ast;
mod collections;
mod decls;
mod expr;
mod lexer;
mod parser;
mod string_lexer;
mod strings;
mod types;

pub use lexer::CommentKind;
pub use parser::MAX_DEPTH;

use crate::source::{FileId, Span};

/// A syntax error: where, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
}

/// A comment or a Bicep `#disable-…` directive, kept for suppression comments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub kind: CommentKind,
    pub span: Span,
    /// The whole comment, delimiters included.
    pub text: String,
}

/// What parsing one file produced. `program` holds every declaration that parsed, also when
/// `errors` is not empty.
#[derive(Debug, Clone)]
pub struct ParseResult {
    pub program: ast::Program,
    /// Lexical and syntax errors in source order.
    pub errors: Vec<SyntaxError>,
    pub comments: Vec<Comment>,
}

/// Parses one `.bicep` or `.bicepparam` file. Never panics; spans carry `file`.
pub fn parse(file: FileId, text: &str) -> ParseResult {
    let lexed = lexer::lex(text);
    let mut parser = parser::Parser::new(file, text, lexed.tokens);
    let program = parser.program();
    let mut errors = parser.errors;
    errors.extend(
        lexed
            .errors
            .into_iter()
            .map(|(range, message)| SyntaxError {
                span: Span::new(file, range),
                message,
            }),
    );
    errors.sort_by_key(|e| (e.span.start, e.span.end));
    errors.dedup_by_key(|e| e.span.start);
    let comments = lexed
        .comments
        .into_iter()
        .map(|c| Comment {
            kind: c.kind,
            text: text.get(c.range.clone()).unwrap_or("").to_string(),
            span: Span::new(file, c.range),
        })
        .collect();
    ParseResult {
        program,
        errors,
        comments,
    }
}

#[cfg(test)]
mod tests;
