//! Bicep tokens: splits source text into tokens with byte offsets, following string
//! interpolation holes (`'a${x}b'`, `$'''…${x}…'''`) with a mode stack instead of recursion.

use std::ops::Range;

/// Which piece of a possibly interpolated string a string token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrPart {
    /// A whole string without holes: `'abc'`, `'''abc'''`.
    Complete,
    /// From the opening quote to the first hole's `${`.
    Left,
    /// From a hole's `}` to the next hole's `${`.
    Middle,
    /// From the last hole's `}` to the closing quote.
    Right,
}

/// A string token: which piece it is, whether it belongs to a `'''` string (verbatim: no
/// escapes), and the byte range of its text between the delimiters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StrPiece {
    pub part: StrPart,
    pub multiline: bool,
    pub content_start: usize,
    pub content_end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// An identifier or keyword: Bicep keywords are contextual, the parser decides.
    Ident,
    Int,
    Str(StrPiece),
    /// One or more line breaks: statements and object members are separated by them.
    NewLine,
    LBrace,
    RBrace,
    LParen,
    RParen,
    LBracket,
    RBracket,
    At,
    Comma,
    Dot,
    Ellipsis,
    Question,
    DoubleQuestion,
    Colon,
    DoubleColon,
    Semicolon,
    Plus,
    Minus,
    Percent,
    Star,
    Slash,
    Bang,
    NotEq,
    NotEqI,
    Lt,
    Le,
    Gt,
    Ge,
    Assign,
    EqEq,
    EqI,
    Arrow,
    AndAnd,
    OrOr,
    Pipe,
    /// A character Bicep has no use for; the parser reports it where it meets it.
    Unknown,
    Eof,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

/// What kind of text a [`RawComment`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentKind {
    /// `// …` to the end of the line.
    Line,
    /// `/* … */`.
    Block,
    /// `#disable-next-line …` or `#disable-diagnostics …`: Bicep's own suppression directives.
    Directive,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawComment {
    pub kind: CommentKind,
    pub range: Range<usize>,
}

/// The lexer's output: tokens ending with one `Eof`, comments, and lexical errors.
#[derive(Debug, Default)]
pub struct Lexed {
    pub tokens: Vec<Token>,
    pub comments: Vec<RawComment>,
    pub errors: Vec<(Range<usize>, String)>,
}

/// What a `}` closes: an object brace, or an interpolation hole of a string.
#[derive(Debug, Clone, Copy)]
enum Mode {
    Brace,
    /// A hole of a single-line string (`dollars` 0) or of a `$'''` string (`dollars` ≥ 1).
    Hole {
        dollars: usize,
    },
}

pub fn lex(text: &str) -> Lexed {
    let mut lexer = Lexer {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        modes: Vec::new(),
        single_line_holes: 0,
        out: Lexed::default(),
    };
    lexer.run();
    lexer.out
}

pub(super) struct Lexer<'a> {
    pub(super) text: &'a str,
    pub(super) bytes: &'a [u8],
    pub(super) pos: usize,
    modes: Vec<Mode>,
    /// How many of `modes` are holes of single-line strings (kept to avoid rescanning).
    single_line_holes: usize,
    out: Lexed,
}

impl Lexer<'_> {
    pub(super) fn peek_at(&self, offset: usize) -> u8 {
        self.bytes.get(self.pos + offset).copied().unwrap_or(0)
    }

    pub(super) fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    pub(super) fn error(&mut self, range: Range<usize>, message: impl Into<String>) {
        self.out.errors.push((range, message.into()));
    }

    fn push(&mut self, kind: TokenKind, start: usize) {
        self.out.tokens.push(Token {
            kind,
            start,
            end: self.pos,
        });
    }

    fn run(&mut self) {
        // A byte order mark is not text.
        if self.text.starts_with('\u{feff}') {
            self.pos = '\u{feff}'.len_utf8();
        }
        while !self.at_end() {
            self.skip_trivia();
            if self.at_end() {
                break;
            }
            self.token();
        }
        if !self.modes.is_empty() {
            let end = self.bytes.len();
            self.error(
                end..end,
                "string interpolation not closed before the end of the file",
            );
        }
        let end = self.bytes.len();
        self.out.tokens.push(Token {
            kind: TokenKind::Eof,
            start: end,
            end,
        });
    }

    fn skip_trivia(&mut self) {
        loop {
            match self.peek_at(0) {
                b' ' | b'\t' => self.pos += 1,
                b'/' if self.peek_at(1) == b'/' => {
                    let start = self.pos;
                    self.skip_to_line_end();
                    self.comment(CommentKind::Line, start);
                }
                b'/' if self.peek_at(1) == b'*' => self.block_comment(),
                b'#' if self.at_line_start() && self.directive_follows() => {
                    let start = self.pos;
                    self.skip_to_line_end();
                    self.comment(CommentKind::Directive, start);
                }
                _ => return,
            }
        }
    }

    fn comment(&mut self, kind: CommentKind, start: usize) {
        self.out.comments.push(RawComment {
            kind,
            range: start..self.pos,
        });
    }

    fn skip_to_line_end(&mut self) {
        let rest = &self.bytes[self.pos..];
        let len = memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len());
        self.pos += len;
    }

    fn block_comment(&mut self) {
        let start = self.pos;
        let rest = &self.bytes[self.pos + 2..];
        match memchr::memmem::find(rest, b"*/") {
            Some(offset) => self.pos += 2 + offset + 2,
            None => {
                self.pos = self.bytes.len();
                self.error(start..start + 2, "comment `/*` is never closed with `*/`");
            }
        }
        self.comment(CommentKind::Block, start);
    }

    /// Only spaces and tabs before `pos` on this line.
    fn at_line_start(&self) -> bool {
        self.bytes[..self.pos]
            .iter()
            .rev()
            .take_while(|&&b| b != b'\n' && b != b'\r')
            .all(|&b| b == b' ' || b == b'\t')
    }

    fn directive_follows(&self) -> bool {
        let rest = &self.bytes[self.pos + 1..];
        rest.starts_with(b"disable-next-line") || rest.starts_with(b"disable-diagnostics")
    }

    fn token(&mut self) {
        let start = self.pos;
        let byte = self.peek_at(0);
        self.pos += 1;
        let kind = match byte {
            b'\n' | b'\r' => {
                if self.single_line_holes > 0 {
                    // A single-line string cannot span lines: give up on every open hole,
                    // as Bicep does, so the rest of the file still lexes sensibly.
                    self.error(
                        start..start,
                        "string is not closed before the end of the line",
                    );
                    self.modes.clear();
                    self.single_line_holes = 0;
                }
                // Blank lines and indentation fold into one token.
                while matches!(self.peek_at(0), b'\n' | b'\r' | b' ' | b'\t') {
                    self.pos += 1;
                }
                TokenKind::NewLine
            }
            b'{' => {
                if !self.modes.is_empty() {
                    self.modes.push(Mode::Brace);
                }
                TokenKind::LBrace
            }
            b'}' => match self.modes.last().copied() {
                Some(Mode::Brace) => {
                    self.modes.pop();
                    TokenKind::RBrace
                }
                Some(Mode::Hole { dollars }) => {
                    let piece = if dollars == 0 {
                        self.single_line_segment(false)
                    } else {
                        self.multiline_segment(false, dollars)
                    };
                    if piece.part == StrPart::Right {
                        self.modes.pop();
                        if dollars == 0 {
                            self.single_line_holes = self.single_line_holes.saturating_sub(1);
                        }
                    }
                    TokenKind::Str(piece)
                }
                None => TokenKind::RBrace,
            },
            b'(' => TokenKind::LParen,
            b')' => TokenKind::RParen,
            b'[' => TokenKind::LBracket,
            b']' => TokenKind::RBracket,
            b'@' => TokenKind::At,
            b',' => TokenKind::Comma,
            b';' => TokenKind::Semicolon,
            b'+' => TokenKind::Plus,
            b'-' => TokenKind::Minus,
            b'%' => TokenKind::Percent,
            b'*' => TokenKind::Star,
            b'/' => TokenKind::Slash,
            b'.' => {
                if self.peek_at(0) == b'.' && self.peek_at(1) == b'.' {
                    self.pos += 2;
                    TokenKind::Ellipsis
                } else {
                    TokenKind::Dot
                }
            }
            b'?' => self.pair(b'?', TokenKind::DoubleQuestion, TokenKind::Question),
            b':' => self.pair(b':', TokenKind::DoubleColon, TokenKind::Colon),
            b'<' => self.pair(b'=', TokenKind::Le, TokenKind::Lt),
            b'>' => self.pair(b'=', TokenKind::Ge, TokenKind::Gt),
            b'&' => self.pair(b'&', TokenKind::AndAnd, TokenKind::Unknown),
            b'|' => self.pair(b'|', TokenKind::OrOr, TokenKind::Pipe),
            b'!' => match self.peek_at(0) {
                b'=' => self.take(TokenKind::NotEq),
                b'~' => self.take(TokenKind::NotEqI),
                _ => TokenKind::Bang,
            },
            b'=' => match self.peek_at(0) {
                b'=' => self.take(TokenKind::EqEq),
                b'~' => self.take(TokenKind::EqI),
                b'>' => self.take(TokenKind::Arrow),
                _ => TokenKind::Assign,
            },
            b'\'' => {
                if self.peek_at(0) == b'\'' && self.peek_at(1) == b'\'' {
                    self.pos += 2;
                    TokenKind::Str(self.multiline_segment(true, 0))
                } else {
                    let piece = self.single_line_segment(true);
                    if piece.part == StrPart::Left {
                        self.open_hole(0);
                    }
                    TokenKind::Str(piece)
                }
            }
            b'$' => self.dollar_string(start),
            b'0'..=b'9' => {
                while self.peek_at(0).is_ascii_digit() {
                    self.pos += 1;
                }
                TokenKind::Int
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                while matches!(self.peek_at(0), b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_') {
                    self.pos += 1;
                }
                TokenKind::Ident
            }
            _ => {
                // Step over the whole character so offsets stay on character boundaries.
                let len = self.text[start..].chars().next().map_or(1, char::len_utf8);
                self.pos = start + len;
                TokenKind::Unknown
            }
        };
        self.push(kind, start);
    }

    /// A string piece ended at `${`: the following tokens are inside a hole until its `}`.
    pub(super) fn open_hole(&mut self, dollars: usize) {
        if dollars == 0 {
            self.single_line_holes += 1;
        }
        self.modes.push(Mode::Hole { dollars });
    }

    fn pair(&mut self, second: u8, both: TokenKind, single: TokenKind) -> TokenKind {
        if self.peek_at(0) == second {
            self.take(both)
        } else {
            single
        }
    }

    fn take(&mut self, kind: TokenKind) -> TokenKind {
        self.pos += 1;
        kind
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<TokenKind> {
        lex(text).tokens.iter().map(|t| t.kind).collect()
    }

    #[test]
    fn operators_take_the_longest_match() {
        use TokenKind::*;
        assert_eq!(
            kinds("?? ?. :: => == =~ != !~ <= >= && || ... ! | = ;"),
            vec![
                DoubleQuestion,
                Question,
                Dot,
                DoubleColon,
                Arrow,
                EqEq,
                EqI,
                NotEq,
                NotEqI,
                Le,
                Ge,
                AndAnd,
                OrOr,
                Ellipsis,
                Bang,
                Pipe,
                Assign,
                Semicolon,
                Eof
            ]
        );
    }

    #[test]
    fn comments_and_directives_are_collected_not_tokenised() {
        let text = "// one\n#disable-next-line BCP081\nx /* two */ y";
        let lexed = lex(text);
        let kinds: Vec<_> = lexed.comments.iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            vec![
                CommentKind::Line,
                CommentKind::Directive,
                CommentKind::Block
            ]
        );
        assert_eq!(
            &text[lexed.comments[1].range.clone()],
            "#disable-next-line BCP081"
        );
    }

    #[test]
    fn non_ascii_outside_strings_is_one_unknown_token() {
        let lexed = lex("é");
        assert_eq!(lexed.tokens[0].kind, TokenKind::Unknown);
        assert_eq!(lexed.tokens[0].end, 'é'.len_utf8());
    }
}
