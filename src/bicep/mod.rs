//! The Bicep front end: `.bicep` and `.bicepparam` files in, the App Service sites and slots
//! they would deploy out, with their values evaluated as Bicep and the deployment engine would.
//!
//! Syntax: [`parse`] turns one file into a tree with byte spans, reporting every syntax error
//! and still returning the declarations around them.
//!
//! Why hand-written: Bicep's own parser is C# (`Bicep.Core`) and reachable only through the Bicep
//! CLI, which certgate must not require. No maintained Rust crate parses Bicep with spans and
//! error recovery, and the `tree-sitter-bicep` grammar (1.1.0) lags the language: it produces
//! error nodes for `...` spreads, typed `var x string = …`, `extension` and `$'''` strings,
//! all of which current templates use (see the README for the corpus measurement). The
//! language is small and line-oriented, so a recursive-descent parser over a token list stays
//! short, follows Bicep's own lexer and precedence rules, and is fast. The evaluator is
//! hand-written for the same reason: nothing outside the Bicep compiler evaluates Bicep.
//!
//! Parser layout: `lexer` (tokens, comments), `string_lexer` (string tokens and their holes),
//! `parser` (cursor, errors, limits, recovery), `decls` (statements), `expr` (operators,
//! access, calls, lambdas), `strings`, `collections` (objects, arrays, loops), `types` (type
//! expressions), `ast` (the tree).
//!
//! Front end layout: `outline` (the parse-free look at a file for discovery), `project` (each
//! file parsed once, and whether it can lead to a site), `front` (roots and scenarios),
//! `params` (`.bicepparam` and ARM parameter JSON), `walk` (resources, conditions, loops and
//! modules), `inputs` (what a module declaration passes), `lower` (a site into the model), and
//! the evaluator: `scope` (parameters, variables, budget), `eval` (expressions and names),
//! `access` (property and index access), `literals`, `operators`, `functions`, `select` (which member of a partly known object
//! sets a key), and `imports` (compile-time
//! `import`s of other files' exported variables and functions).
//!
//! Limits: nesting deeper than [`crate::limits::MAX_BICEP_PARSE_DEPTH`] levels stops parsing
//! with an error instead of overflowing the stack; every loop consumes a token or ends, so any
//! input terminates.
//! Evaluation is bounded by a step budget and a nesting limit per scenario, and modules by a
//! depth of 32 and cycle detection.

mod access;
pub mod ast;
mod collections;
mod decls;
mod eval;
mod expr;
mod front;
mod functions;
mod identity;
mod imports;
mod inputs;
mod lexer;
mod literals;
mod lower;
mod names;
mod operators;
pub mod outline;
mod params;
mod parser;
mod policy;
mod project;
mod rollout;
mod scope;
mod select;
mod string_lexer;
mod strings;
mod types;
mod walk;

pub use front::Bicep;
#[cfg(test)]
pub use front::scan_files;
#[cfg(test)]
pub use outline::Known;

pub use lexer::CommentKind;

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

/// The byte ranges of the comments in a Bicep file (`//`, `/* */`), for inline exceptions.
pub fn comments(text: &str) -> Vec<std::ops::Range<usize>> {
    lexer::lex(text)
        .comments
        .into_iter()
        .filter(|c| c.kind != lexer::CommentKind::Directive)
        .map(|c| c.range)
        .collect()
}

/// The byte ranges of `comments` (a parse's, `#disable-next-line` directives left out) when
/// `program` declares a resource, for inline exceptions; `None` otherwise (most files).
fn comments_of_resources(
    program: &ast::Program,
    comments: Vec<Comment>,
) -> Option<Vec<std::ops::Range<usize>>> {
    let declares = program
        .statements
        .iter()
        .any(|s| matches!(s.kind, ast::StatementKind::Resource(_)));
    declares.then(|| {
        comments
            .into_iter()
            .filter(|c| c.kind != CommentKind::Directive)
            .map(|c| c.span.range())
            .collect()
    })
}
