//! Quoting for the two script languages: every value from an export (ids, names, tags, file
//! names) is quoted so no byte of it can end the quote, start a command or a new line.

/// `text` as one bash word: single quotes, with each `'` written as `'\''`. Nothing inside
/// single quotes is special to bash, so `$(…)`, backticks and `;` stay text.
pub fn bash(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// `text` as a PowerShell verbatim string: single quotes, with each quote character doubled.
/// PowerShell also ends a single-quoted string at the typographic quotes `‘ ’ ‚ ‛`, so those
/// are doubled too.
pub fn pwsh(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// `text` safe inside a `#` comment line of either language: control characters (a newline
/// would end the comment and run the rest) and the Unicode line and paragraph separators are
/// shown as `?`.
pub fn comment(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                '?'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bash_quotes_keep_quotes_and_substitutions_as_text() {
        assert_eq!(bash("app"), "'app'");
        assert_eq!(bash("it's"), r"'it'\''s'");
        assert_eq!(bash("$(rm -rf /)`x`"), "'$(rm -rf /)`x`'");
    }

    #[test]
    fn pwsh_quotes_double_every_single_quote_character() {
        assert_eq!(pwsh("app"), "'app'");
        assert_eq!(pwsh("it's"), "'it''s'");
        assert_eq!(pwsh("a\u{2019}b"), "'a\u{2019}\u{2019}b'");
        assert_eq!(pwsh("$(Remove-Item x)"), "'$(Remove-Item x)'");
    }

    #[test]
    fn comments_cannot_be_broken_out_of() {
        assert_eq!(comment("a\nrm -rf /"), "a?rm -rf /");
        assert_eq!(comment("a\r\u{2028}b\u{85}"), "a??b?");
    }
}
