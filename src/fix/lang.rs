//! The per-syntax knowledge the fixer needs, by token shape alone: recognising a plain literal
//! or a plain reference in a value's text, finding the value inside an attribute's
//! `key = value`, and spelling a new value. A front end's spans say where to look; these
//! functions only check that what is there is exactly a literal (anything else is left
//! alone), so no parser is needed.

use std::ops::Range;
use std::path::Path;

use super::text::{Comments, skip_trivia};
use crate::model::{Data, Syntax};

/// The syntax family of an edited file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Terraform native syntax: `.tf`, `.tfvars`.
    Hcl,
    /// JSON: `.tf.json`, `.tfvars.json`, ARM templates and parameter files.
    Json,
    /// Bicep: `.bicep`, `.bicepparam`.
    Bicep,
}

/// A literal as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Bool(bool),
    /// A plain quoted string: no escapes, no interpolation, not an ARM expression.
    Str(String),
    Null,
}

/// The value a fix writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewValue {
    True,
    Required,
}

impl Literal {
    /// Whether this literal is exactly the value the front end resolved (a string spelling of
    /// a boolean counts, as Terraform and ARM convert it).
    pub fn is(&self, data: &Data) -> bool {
        match (self, data) {
            (Literal::Bool(a), Data::Bool(b)) => a == b,
            (Literal::Str(text), Data::Bool(b)) => text.eq_ignore_ascii_case(&b.to_string()),
            (Literal::Str(a), Data::String(b)) => a == b,
            (Literal::Null, Data::Null) => true,
            _ => false,
        }
    }
}

impl Lang {
    pub fn of_syntax(syntax: Syntax) -> Option<Lang> {
        match syntax {
            Syntax::Hcl => Some(Lang::Hcl),
            Syntax::TerraformJson | Syntax::ArmJson => Some(Lang::Json),
            Syntax::Bicep => Some(Lang::Bicep),
        }
    }

    /// The syntax of a file that holds an origin (a variables file, a parameter file, …).
    pub fn of_path(path: &Path) -> Option<Lang> {
        use crate::file_kind::FileKind;
        let kind = FileKind::of(path)?;
        Some(match kind {
            _ if kind.is_json() => Lang::Json,
            FileKind::Terraform | FileKind::TerraformVars | FileKind::Terragrunt => Lang::Hcl,
            _ => Lang::Bicep,
        })
    }

    fn comments(self) -> Comments {
        match self {
            Lang::Hcl => Comments::Hcl,
            Lang::Json | Lang::Bicep => Comments::Json,
        }
    }

    /// The literal `text` is, when it is exactly one.
    pub fn literal(self, text: &str) -> Option<Literal> {
        let text = text.trim();
        match text {
            "true" => return Some(Literal::Bool(true)),
            "false" => return Some(Literal::Bool(false)),
            "null" => return Some(Literal::Null),
            _ => {}
        }
        if self == Lang::Bicep {
            let inner = text.strip_prefix('\'')?.strip_suffix('\'')?;
            // No escapes, no interpolation, not a `'''` multi-line string.
            let plain = !inner.contains(['\'', '\\']) && !inner.contains("${");
            return plain.then(|| Literal::Str(inner.to_string()));
        }
        let inner = text.strip_prefix('"')?.strip_suffix('"')?;
        let escaped_or_templated =
            inner.contains(['"', '\\']) || inner.contains("${") || inner.contains("%{");
        // An ARM expression (or its `[[` escape) is not a plain string.
        let expression = self == Lang::Json && inner.starts_with('[');
        (!escaped_or_templated && !expression).then(|| Literal::Str(inner.to_string()))
    }

    /// Whether `text` only names a value defined elsewhere, unchanged: `var.x`, `local.x`,
    /// `"${var.x}"`, `"[parameters('x')]"`, `"[variables('x')]"`, with `.name` accesses.
    pub fn is_plain_reference(self, text: &str) -> bool {
        let text = text.trim();
        let interpolated = text
            .strip_prefix("\"${")
            .and_then(|rest| rest.strip_suffix("}\""));
        if let Some(inner) = interpolated {
            return is_terraform_reference(inner.trim());
        }
        match self {
            Lang::Hcl => is_terraform_reference(text),
            // A parameter or variable name, with `.property` accesses.
            Lang::Bicep => {
                !matches!(text, "true" | "false" | "null")
                    && text
                        .split('.')
                        .all(|part| is_identifier(part) && !part.contains('-'))
            }
            Lang::Json => text
                .strip_prefix("\"[")
                .and_then(|rest| rest.strip_suffix("]\""))
                .is_some_and(|inner| !inner.starts_with('[') && is_arm_reference(inner.trim())),
        }
    }

    /// The value's range inside a `key = value` text: after `=` (native syntax) or after a
    /// JSON key's `:`; a JSON array item is all value. Origins carry their literal's span
    /// ([`crate::model::Origin::literal`]); this is for an attribute found by span alone.
    pub fn value_part(self, text: &str) -> Option<Range<usize>> {
        let start = match self {
            Lang::Hcl => text.find('=')? + 1,
            // `param x bool = value`, `var x = value` (a `.bicepparam` line too).
            Lang::Bicep if text.starts_with("param ") || text.starts_with("var ") => {
                text.find('=')? + 1
            }
            // `key: value`, `'key': value`; an array item is all value.
            Lang::Bicep => {
                let key_end = match text.strip_prefix('\'') {
                    Some(rest) => rest.find('\'')? + 2,
                    None => text
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(0),
                };
                let colon = skip_trivia(text, key_end, self.comments());
                if key_end > 0 && text.as_bytes().get(colon) == Some(&b':') {
                    colon + 1
                } else {
                    0
                }
            }
            Lang::Json if text.starts_with('"') => {
                let key_end = closing_quote(text)? + 1;
                let colon = skip_trivia(text, key_end, self.comments());
                if text.as_bytes().get(colon) != Some(&b':') {
                    return None;
                }
                colon + 1
            }
            Lang::Json => 0,
        };
        let start = skip_trivia(text, start, self.comments());
        let end = text.trim_end().len();
        (start < end).then_some(start..end)
    }

    /// `new` as this syntax writes it; `like` is the literal it replaces, whose quoting a
    /// boolean keeps (`"false"` becomes `"true"`).
    pub fn spell(self, new: NewValue, like: Option<&Literal>) -> String {
        let quote = if self == Lang::Bicep { '\'' } else { '"' };
        match new {
            NewValue::True if matches!(like, Some(Literal::Str(_))) => {
                format!("{quote}true{quote}")
            }
            NewValue::True => "true".into(),
            NewValue::Required => format!("{quote}Required{quote}"),
        }
    }

    /// `name = value` / `"name": value`, for descriptions: spelled by [`Syntax::assignment`]
    /// (Terraform JSON and ARM spell it alike).
    pub fn assignment(self, name: &str, value: &str) -> String {
        let syntax = match self {
            Lang::Hcl => Syntax::Hcl,
            Lang::Json => Syntax::ArmJson,
            Lang::Bicep => Syntax::Bicep,
        };
        syntax.assignment(name, value)
    }
}

/// The index of the quote closing the string that opens `text`.
fn closing_quote(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// `var.NAME` or `local.NAME`, with `.attribute` accesses.
fn is_terraform_reference(text: &str) -> bool {
    let mut parts = text.split('.');
    // `module.NAME.OUT`: a module output written as a literal is fixed in the output.
    let least = match parts.next() {
        Some("var" | "local") => 1,
        Some("module") => 2,
        _ => return false,
    };
    let rest: Vec<&str> = parts.collect();
    rest.len() >= least && rest.iter().all(|part| is_identifier(part))
}

/// `parameters('NAME')` or `variables('NAME')` (any case, any spacing), with `.property`.
fn is_arm_reference(text: &str) -> bool {
    let Some(open) = text.find('(') else {
        return false;
    };
    let function = text[..open].trim();
    if !function.eq_ignore_ascii_case("parameters") && !function.eq_ignore_ascii_case("variables") {
        return false;
    }
    let Some(close) = text[open..].find(')').map(|at| open + at) else {
        return false;
    };
    let argument = text[open + 1..close].trim();
    let name_ok = argument
        .strip_prefix('\'')
        .and_then(|a| a.strip_suffix('\''))
        .is_some_and(|name| !name.is_empty() && !name.contains('\''));
    let accesses = text[close + 1..].trim();
    name_ok
        && (accesses.is_empty()
            || accesses
                .strip_prefix('.')
                .is_some_and(|rest| rest.split('.').all(is_identifier)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_recognised_exactly() {
        assert_eq!(Lang::Hcl.literal(" false "), Some(Literal::Bool(false)));
        assert_eq!(
            Lang::Hcl.literal("\"Optional\""),
            Some(Literal::Str("Optional".into()))
        );
        assert_eq!(Lang::Json.literal("null"), Some(Literal::Null));
        for not_literal in [
            "var.x",
            "\"${var.x}\"",
            "\"a\\\"b\"",
            "!false",
            "false ? 1 : 2",
            "\"%{if x}a%{endif}\"",
        ] {
            assert_eq!(Lang::Hcl.literal(not_literal), None, "{not_literal}");
        }
        assert_eq!(Lang::Json.literal("\"[parameters('x')]\""), None);
        assert_eq!(Lang::Json.literal("\"[[literal]\""), None);
        assert!(Literal::Str("FALSE".into()).is(&Data::Bool(false)));
        assert!(!Literal::Str("Optional".into()).is(&Data::String("optional".into())));
    }

    #[test]
    fn plain_references_only() {
        for yes in [
            "var.mtls",
            "local.site.mtls",
            "\"${var.mtls}\"",
            "module.web.mode",
        ] {
            assert!(Lang::Hcl.is_plain_reference(yes), "{yes}");
        }
        for no in [
            "var.a && var.b",
            "!var.a",
            "var",
            "module.web",
            "module.web[0].x",
            "var.x[0]",
        ] {
            assert!(!Lang::Hcl.is_plain_reference(no), "{no}");
        }
        for yes in [
            "\"[parameters('mtls')]\"",
            "\"[ Variables( 'site' ).certs.enabled ]\"",
            "\"${local.mode}\"",
        ] {
            assert!(Lang::Json.is_plain_reference(yes), "{yes}");
        }
        for no in [
            "\"[not(parameters('x'))]\"",
            "\"[if(true(), parameters('a'), 'b')]\"",
            "\"[[parameters('x')]\"",
            "\"[parameters('a')[0]]\"",
            "false",
        ] {
            assert!(!Lang::Json.is_plain_reference(no), "{no}");
        }
    }

    #[test]
    fn value_part_skips_the_key() {
        let text = "default = false";
        assert_eq!(&text[Lang::Hcl.value_part(text).unwrap()], "false");
        let text = "\"value\" /* c */ :  \"Optional\"  ";
        assert_eq!(&text[Lang::Json.value_part(text).unwrap()], "\"Optional\"");
        let text = "\"a\\\":b\": true";
        assert_eq!(&text[Lang::Json.value_part(text).unwrap()], "true");
        assert_eq!(Lang::Json.value_part("false"), Some(0..5));
        assert_eq!(Lang::Hcl.value_part("no assignment"), None);
    }

    #[test]
    fn bicep_literals_references_and_values() {
        assert_eq!(
            Lang::Bicep.literal("'Optional'"),
            Some(Literal::Str("Optional".into()))
        );
        assert_eq!(Lang::Bicep.literal("'${x}'"), None);
        assert_eq!(Lang::Bicep.literal("'''a'''"), None);
        assert!(Lang::Bicep.is_plain_reference("certSettings.mode"));
        assert!(!Lang::Bicep.is_plain_reference("enabled ? true : false"));
        assert!(!Lang::Bicep.is_plain_reference("...base"));
        assert!(!Lang::Bicep.is_plain_reference("true"));
        let text = "param mtls bool = false";
        assert_eq!(&text[Lang::Bicep.value_part(text).unwrap()], "false");
        let text = "mode: 'Optional'";
        assert_eq!(&text[Lang::Bicep.value_part(text).unwrap()], "'Optional'");
        let text = "'client-mode': 'Optional'";
        assert_eq!(&text[Lang::Bicep.value_part(text).unwrap()], "'Optional'");
        assert_eq!(Lang::Bicep.value_part("'a:b'"), Some(0..5));
        assert_eq!(Lang::Bicep.spell(NewValue::Required, None), "'Required'");
    }

    #[test]
    fn descriptions_spell_the_assignment_of_each_file_syntax() {
        assert_eq!(
            Lang::Hcl.assignment("mode", "\"Required\""),
            "mode = \"Required\""
        );
        assert_eq!(Lang::Json.assignment("mode", "true"), "\"mode\": true");
        assert_eq!(
            Lang::Bicep.assignment("mode", "'Required'"),
            "mode: 'Required'"
        );
    }

    #[test]
    fn new_values_keep_a_boolean_string_quoted() {
        let quoted = Literal::Str("false".into());
        assert_eq!(Lang::Hcl.spell(NewValue::True, Some(&quoted)), "\"true\"");
        assert_eq!(Lang::Json.spell(NewValue::True, None), "true");
        assert_eq!(Lang::Hcl.spell(NewValue::Required, None), "\"Required\"");
    }
}
