//! ARM template expressions: telling them from literal strings, and parsing them into [`Expr`].
//!
//! Hand-written because no maintained Rust crate parses the ARM template expression language
//! (the deployment engine's parser is C# inside Azure; the crates.io hits are unrelated "ARM"
//! assembler tools), and the grammar is small enough to follow the engine exactly:
//!
//! ```text
//! expression := string | integer | call
//! call       := name ['.' name] '(' [expression (',' expression)*] ')' accessor*
//! accessor   := '.' name | '[' expression ']'
//! string     := "'" (any character, "''" for one quote)* "'"
//! integer    := ['-'] digit+
//! ```
//!
//! Whitespace may surround every token. Function names are kept as written (the evaluator
//! compares them case-insensitively); `ns.name` is a user-defined function. As in the engine,
//! `.property` and `[index]` follow only a call, and `true`/`false`/`null` exist only as calls.
//! A JSON string is an expression when it starts with `[` and ends with `]`; a leading `[[`
//! escapes that and stands for the rest of the string (one `[` dropped).
//!
//! Errors carry the character position inside the JSON string (1-based, the opening `[` is
//! character 1) and never panic; nesting is capped at [`MAX_ARM_EXPR_DEPTH`].

use crate::limits::MAX_ARM_EXPR_DEPTH;

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    String(String),
    Int(i64),
    Call(Call),
}

/// A function call with the property and index accessors written after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// As written: `parameters`, `toLower`, `myNamespace.myFunction`.
    pub name: String,
    pub args: Vec<Expr>,
    pub accessors: Vec<Accessor>,
}

/// `.name` or `[expression]` after a call.
#[derive(Debug, Clone, PartialEq)]
pub enum Accessor {
    Property(String),
    Index(Expr),
}

/// Why an expression does not parse, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    /// 1-based character position in the JSON string, counting the opening `[`.
    pub position: usize,
    pub message: String,
}

impl std::fmt::Display for ExprError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at character {}", self.message, self.position)
    }
}

/// Whether a JSON string is an ARM template expression: it starts with `[` and ends with `]`,
/// and does not start with `[[` (which escapes a literal leading `[`).
pub fn is_expression(text: &str) -> bool {
    text.len() >= 2 && text.starts_with('[') && !text.starts_with("[[") && text.ends_with(']')
}

/// The literal a JSON string stands for: `None` for an expression; `[[…]` loses one `[`.
/// A string that starts with `[[` but does not end with `]` is no expression and no escape,
/// so it stays as written, as the deployment engine treats it.
pub fn literal_text(text: &str) -> Option<&str> {
    if is_expression(text) {
        None
    } else if text.starts_with("[[") && text.ends_with(']') {
        Some(&text[1..])
    } else {
        Some(text)
    }
}

/// Parses the expression inside a JSON string for which [`is_expression`] holds.
pub fn parse(text: &str) -> Result<Expr, ExprError> {
    if !is_expression(text) {
        return Err(ExprError {
            position: 1,
            message: "not an expression (it must start with `[` and end with `]`)".into(),
        });
    }
    let inner = &text[1..text.len() - 1];
    let mut parser = Parser {
        text,
        // Byte offsets into `text`: the expression sits between the brackets.
        pos: 1,
        end: 1 + inner.len(),
        depth: 0,
    };
    parser.skip_space();
    if parser.pos == parser.end {
        return Err(parser.error_at(parser.pos, "empty expression"));
    }
    let expr = parser.expression()?;
    parser.skip_space();
    if parser.pos < parser.end {
        return Err(parser.error_here("unexpected text after the expression"));
    }
    Ok(expr)
}

struct Parser<'t> {
    text: &'t str,
    pos: usize,
    end: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..self.end].chars().next()
    }

    fn skip_space(&mut self) {
        while let Some(c) = self.peek().filter(|c| c.is_whitespace()) {
            self.pos += c.len_utf8();
        }
    }

    fn error_at(&self, byte: usize, message: impl Into<String>) -> ExprError {
        ExprError {
            position: self.text[..byte.min(self.text.len())].chars().count() + 1,
            message: message.into(),
        }
    }

    fn error_here(&self, message: &str) -> ExprError {
        let found = match self.peek() {
            Some(c) => format!("`{c}`"),
            None => "the end of the expression".into(),
        };
        self.error_at(self.pos, format!("{message}, found {found}"))
    }

    /// Consumes `wanted` (after whitespace) or fails naming it.
    fn expect(&mut self, wanted: char, context: &str) -> Result<(), ExprError> {
        self.skip_space();
        if self.peek() == Some(wanted) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error_here(&format!("expected `{wanted}` {context}")))
        }
    }

    fn expression(&mut self) -> Result<Expr, ExprError> {
        self.skip_space();
        if self.depth >= MAX_ARM_EXPR_DEPTH {
            return Err(self.error_at(
                self.pos,
                format!("the expression nests deeper than {MAX_ARM_EXPR_DEPTH} levels"),
            ));
        }
        self.depth += 1;
        let result = match self.peek() {
            Some('\'') => self.string().map(Expr::String),
            Some(c) if c == '-' || c.is_ascii_digit() => self.integer().map(Expr::Int),
            Some(c) if is_name_start(c) => self.call().map(Expr::Call),
            _ => Err(self.error_here("expected a string, an integer or a function call")),
        };
        self.depth -= 1;
        result
    }

    fn string(&mut self) -> Result<String, ExprError> {
        let open = self.pos;
        self.pos += 1;
        let mut value = String::new();
        loop {
            match self.peek() {
                None => return Err(self.error_at(open, "unterminated string literal")),
                Some('\'') if self.text[self.pos + 1..self.end].starts_with('\'') => {
                    value.push('\'');
                    self.pos += 2;
                }
                Some('\'') => {
                    self.pos += 1;
                    return Ok(value);
                }
                Some(c) => {
                    value.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    fn integer(&mut self) -> Result<i64, ExprError> {
        let start = self.pos;
        if self.peek() == Some('-') {
            self.pos += 1;
        }
        let digits = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        if self.pos == digits {
            return Err(self.error_here("expected digits after `-`"));
        }
        self.text[start..self.pos]
            .parse()
            .map_err(|_| self.error_at(start, "integer out of range"))
    }

    fn name(&mut self) -> Result<String, ExprError> {
        self.skip_space();
        let start = self.pos;
        if !self.peek().is_some_and(is_name_start) {
            return Err(self.error_here("expected a name"));
        }
        while self.peek().is_some_and(is_name_char) {
            self.pos += 1;
        }
        Ok(self.text[start..self.pos].to_string())
    }

    fn call(&mut self) -> Result<Call, ExprError> {
        let mut name = self.name()?;
        self.skip_space();
        if self.peek() == Some('.') {
            self.pos += 1;
            name = format!("{name}.{}", self.name()?);
        }
        self.expect('(', &format!("after the function name `{name}`"))?;
        let mut args = Vec::new();
        self.skip_space();
        if self.peek() == Some(')') {
            self.pos += 1;
        } else {
            loop {
                args.push(self.expression()?);
                self.skip_space();
                match self.peek() {
                    Some(',') => self.pos += 1,
                    Some(')') => {
                        self.pos += 1;
                        break;
                    }
                    _ => {
                        return Err(self.error_here(&format!(
                            "expected `,` or `)` in the arguments of `{name}`"
                        )));
                    }
                }
            }
        }
        let mut accessors = Vec::new();
        loop {
            self.skip_space();
            match self.peek() {
                Some('.') => {
                    self.pos += 1;
                    accessors.push(Accessor::Property(self.name()?));
                }
                Some('[') => {
                    self.pos += 1;
                    let index = self.expression()?;
                    self.expect(']', "to close the index")?;
                    accessors.push(Accessor::Index(index));
                }
                _ => break,
            }
        }
        Ok(Call {
            name,
            args,
            accessors,
        })
    }
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == '$'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(name: &str, args: Vec<Expr>) -> Expr {
        Expr::Call(Call {
            name: name.into(),
            args,
            accessors: Vec::new(),
        })
    }

    fn s(text: &str) -> Expr {
        Expr::String(text.into())
    }

    fn error(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn tells_expressions_from_literals() {
        assert!(is_expression("[parameters('a')]"));
        assert!(is_expression("[]"));
        assert!(!is_expression("[[parameters('a')]"));
        assert!(!is_expression("[unterminated"));
        assert!(!is_expression("["));
        assert!(!is_expression("plain"));
        assert!(!is_expression(""));
    }

    #[test]
    fn double_bracket_escape_loses_one_bracket_only_when_it_ends_with_a_bracket() {
        assert_eq!(literal_text("[concat('a')]"), None);
        assert_eq!(literal_text("[[x]"), Some("[x]"));
        assert_eq!(literal_text("[[x"), Some("[[x"));
        assert_eq!(literal_text("Required"), Some("Required"));
    }

    #[test]
    fn parses_calls_literals_and_accessors() {
        assert_eq!(
            parse("[ concat( 'it''s' , -12, toLower('A') ) ]").unwrap(),
            call(
                "concat",
                vec![s("it's"), Expr::Int(-12), call("toLower", vec![s("A")])]
            )
        );
        let Expr::Call(parsed) = parse("[variables('settings').mtls['mode'][0]]").unwrap() else {
            panic!("a call");
        };
        assert_eq!(parsed.name, "variables");
        assert_eq!(
            parsed.accessors,
            vec![
                Accessor::Property("mtls".into()),
                Accessor::Index(s("mode")),
                Accessor::Index(Expr::Int(0)),
            ]
        );
        assert_eq!(parse("[true()]").unwrap(), call("true", vec![]));
        assert_eq!(parse("[ns.fn('a')]").unwrap(), call("ns.fn", vec![s("a")]));
        assert_eq!(parse("['a]b']").unwrap(), s("a]b"));
        assert_eq!(parse("['é']").unwrap(), s("é"));
    }

    #[test]
    fn malformed_expressions_name_the_problem_and_the_character() {
        assert_eq!(error("[]"), "empty expression at character 2");
        assert_eq!(
            error("[concat('a']"),
            "expected `,` or `)` in the arguments of `concat`, found the end of the expression \
             at character 12"
        );
        assert_eq!(
            error("[parameters('a)]"),
            "unterminated string literal at character 13"
        );
        assert_eq!(
            error("[true]"),
            "expected `(` after the function name `true`, found the end of the expression at \
             character 6"
        );
        assert_eq!(
            error("[concat('a') 'b']"),
            "unexpected text after the expression, found `'` at character 14"
        );
        assert_eq!(
            error("['a'.length]"),
            "unexpected text after the expression, found `.` at character 5"
        );
        assert_eq!(
            error("[f(,)]"),
            "expected a string, an integer or a function call, found `,` at character 4"
        );
        assert_eq!(
            error("[f(99999999999999999999)]"),
            "integer out of range at character 4"
        );
        assert_eq!(
            error("[é()]"),
            "expected a string, an integer or a function call, found `é` at character 2"
        );
        assert_eq!(error("[a()[0]"), error("[a()[0]"));
        assert!(error("plain").starts_with("not an expression"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = format!("[{}'x'{}]", "f(".repeat(10_000), ")".repeat(10_000));
        assert!(error(&deep).contains("nests deeper than 64 levels"));
        let ok = format!("[{}'x'{}]", "f(".repeat(60), ")".repeat(60));
        assert!(parse(&ok).is_ok());
        let indexes = format!("[a(){}]", "[a()".repeat(10_000));
        assert!(parse(&indexes).is_err());
    }

    #[test]
    fn never_panics_on_arbitrary_prefixes() {
        let text = "[if(equals(parameters('env'), 'prod'), variables('x').y[0], '''é')]";
        for (i, _) in text.char_indices() {
            let cut = format!("{}]", &text[..i]);
            let _ = parse(&cut);
        }
    }
}
