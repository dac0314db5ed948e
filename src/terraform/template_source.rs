//! Where a deployed template's JSON comes from (`super::embedded`): `file(…)` (the file's own
//! JSON, inside the project root), a heredoc (parsed in place when it has no interpolations),
//! `jsonencode({…})` (the HCL object node by node), `templatefile(…)` (each interpolated string
//! rendered), or any expression giving JSON text (placed at the attribute). A `.tf.json` string
//! that is one `${…}` reads like its native spelling.

use std::borrow::Cow;
use std::ops::Range;
use std::path::{Path, PathBuf};

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, FuncCall, ObjectKey};

use crate::arm::embedded;
use crate::json::{Json, JsonKind, Member};
use crate::paths::normalize;
use crate::source::FileId;
use crate::value::{Traced, Val, member_hops};

use super::eval::{self, Env};
use super::syntax::{Attribute, AttributeExpr};

/// What a deployment reads with besides its expressions.
pub(super) struct Context<'a> {
    pub loader: &'a crate::load::Loader<'a>,
    /// The root module's directory: Terraform resolves a relative `file()` path from it.
    pub root_dir: &'a Path,
}

/// JSON read from `template_content` or `parameters_content`.
pub(super) struct Document {
    pub json: Json,
    /// The file its spans are in.
    pub file: FileId,
    /// Whether the spans are the JSON's own (a file, a plain heredoc), so a fix can edit them.
    pub placed: bool,
    /// Terraform values inside the JSON (`jsonencode` templates; see [`to_json`]).
    pub values: Vec<Traced>,
    /// Whether the JSON is written as an HCL object (`jsonencode({…})`): fixes spell HCL.
    pub hcl: bool,
}

impl Document {
    /// JSON text computed by Terraform: it has no place of its own, so every span is the
    /// attribute's value and nothing in it can be fixed.
    fn at_attribute(text: &str, attribute: &Attribute) -> Result<Document, String> {
        let mut json = parse(text)?;
        json.collapse(attribute.value_span.range());
        Ok(Document {
            json,
            file: attribute.value_span.file,
            placed: false,
            values: Vec::new(),
            hcl: false,
        })
    }

    /// An HCL object (a `jsonencode` argument, an AzAPI body's `template`) as a template.
    pub(super) fn hcl_object(object: &Expression, file: FileId, env: &Env) -> Document {
        let mut values = Vec::new();
        let json = to_json(object, env, &mut values);
        Document {
            json,
            file,
            placed: true,
            values,
            hcl: true,
        }
    }
}

/// The JSON an attribute holds, or why it cannot be read (the reason completes "`x` of `y` …");
/// files read whole are added to `consumed`.
pub(super) fn read(
    attribute: &Attribute,
    env: &Env,
    cx: &Context,
    consumed: &mut Vec<PathBuf>,
) -> Result<Document, String> {
    let (parsed, native) = expression(attribute);
    if let Some(expr) = &parsed {
        match peel(expr) {
            Expression::FuncCall(call) if call.name.name.as_str() == "file" => {
                return read_file(call, env, cx, consumed);
            }
            Expression::FuncCall(call) if call.name.name.as_str() == "templatefile" => {
                return template_file(call, attribute, env, cx, consumed);
            }
            Expression::FuncCall(call) if call.name.name.as_str() == "jsonencode" => {
                if let [argument] = call.args.iter().collect::<Vec<_>>()[..]
                    && let object @ Expression::Object(_) = peel(argument)
                {
                    let mut document = Document::hcl_object(object, attribute.value_span.file, env);
                    // In JSON syntax the spans are inside a string: only the attribute is a place.
                    if !native {
                        document.json.collapse(attribute.value_span.range());
                        document.placed = false;
                    }
                    return Ok(document);
                }
            }
            Expression::HeredocTemplate(heredoc) if native => {
                if let Some(document) = heredoc_in_place(heredoc.span(), attribute, cx)? {
                    return Ok(document);
                }
            }
            _ => {}
        }
    }
    // Any other expression: its text, parsed, placed at the attribute.
    let text = match eval::eval_attr(&attribute.expr, env) {
        Ok(Traced {
            val: Val::String(text),
            ..
        }) => text,
        Ok(Traced {
            val: Val::Unknown(why),
            ..
        }) => return Err(format!("cannot be resolved ({why})")),
        Ok(other) => {
            return Err(format!(
                "is not the JSON text of a template (its value's type is {})",
                other.val.type_name()
            ));
        }
        Err(error) => return Err(format!("would be rejected by Terraform: {error}")),
    };
    Document::at_attribute(&text, attribute)
}

/// An attribute's expression, and whether its spans are the file's (native syntax). In JSON
/// syntax, a string that is one whole `${…}` interpolation is parsed as the expression inside,
/// so `"${file(\"site.json\")}"` reads like its native spelling.
pub(super) fn expression(attribute: &Attribute) -> (Option<Cow<'_, Expression>>, bool) {
    match &attribute.expr {
        AttributeExpr::Hcl(expr) => (Some(Cow::Borrowed(expr)), true),
        AttributeExpr::Json(json) => {
            let inner = json
                .as_str()
                .and_then(|text| text.strip_prefix("${"))
                .and_then(|text| text.strip_suffix('}'));
            let parsed = inner.and_then(|t| eval::parse_expression(t).ok());
            (parsed.map(Cow::Owned), false)
        }
        AttributeExpr::JsonLiteral(_) => (None, false),
    }
}

/// `(x)` is `x`.
pub(super) fn peel(expr: &Expression) -> &Expression {
    match expr {
        Expression::Parenthesis(inner) => peel(inner.inner()),
        other => other,
    }
}

/// `file(PATH)`: the file's own JSON, read through the loader (inside the project root only).
fn read_file(
    call: &FuncCall,
    env: &Env,
    cx: &Context,
    consumed: &mut Vec<PathBuf>,
) -> Result<Document, String> {
    let [argument] = call.args.iter().collect::<Vec<_>>()[..] else {
        return Err("calls `file()` without exactly one argument".into());
    };
    let loaded = load(argument, "file", env, cx)?;
    let path = loaded.source.path().to_path_buf();
    let json = crate::json::parse(loaded.source.text())
        .map_err(|error| {
            let at = loaded.source.line_col(error.span.start);
            format!(
                "reads `{}`, which is not valid JSON (line {}: {})",
                crate::paths::path_text(&path),
                at.line,
                error.message
            )
        })?
        .root;
    consumed.push(normalize(&path));
    Ok(Document {
        json,
        file: loaded.id,
        placed: true,
        values: Vec::new(),
        hcl: false,
    })
}

/// The file the path expression `argument` of `function` names, loaded.
fn load(
    argument: &Expression,
    function: &str,
    env: &Env,
    cx: &Context,
) -> Result<crate::load::Loaded, String> {
    let written = match eval::eval(argument, env).map(|t| t.val) {
        Ok(Val::String(path)) => path,
        Ok(Val::Unknown(why)) => return Err(format!("reads a file whose path is unknown ({why})")),
        Ok(other) => return Err(format!("calls `{function}()` with a {}", other.type_name())),
        Err(error) => return Err(format!("would be rejected by Terraform: {error}")),
    };
    let path = resolve(cx.root_dir, &written);
    // The loader records why a file cannot be read (outside the project root, missing, …).
    cx.loader.file(&path).ok_or_else(|| {
        format!(
            "reads `{}`, which cannot be read",
            crate::paths::path_text(&path)
        )
    })
}

/// `templatefile(PATH, VARS)`. When the file is JSON with every interpolation inside a string
/// (the usual way), it is read in place and each such string is rendered with `VARS`,
/// standing in the JSON as a Terraform value (`to_json`'s way), so findings point into the
/// file and origins reach the variables. Otherwise the whole text is rendered and parsed, and
/// placed at the attribute.
fn template_file(
    call: &FuncCall,
    attribute: &Attribute,
    env: &Env,
    cx: &Context,
    consumed: &mut Vec<PathBuf>,
) -> Result<Document, String> {
    let [path, vars] = call.args.iter().collect::<Vec<_>>()[..] else {
        return Err("calls `templatefile()` without exactly two arguments".into());
    };
    let loaded = load(path, "templatefile", env, cx)?;
    let names = template_vars(vars, env)?;
    let bound = env.bind(names);
    let text = loaded.source.text();
    let render = |text: &str| {
        eval::json_string(text, &bound).unwrap_or_else(|error| {
            Traced::here(Val::unknown(format!(
                "Terraform would reject the template: {error}"
            )))
        })
    };
    if let Ok(doc) = crate::json::parse(text) {
        let mut json = doc.root;
        let mut values = Vec::new();
        render_strings(&mut json, &render, &mut values);
        consumed.push(normalize(loaded.source.path()));
        return Ok(Document {
            json,
            file: loaded.id,
            placed: true,
            values,
            hcl: false,
        });
    }
    let rendered = match render(text).val {
        Val::String(rendered) => rendered,
        Val::Unknown(why) => return Err(format!("cannot be rendered ({why})")),
        other => return Err(format!("renders to a {}", other.type_name())),
    };
    Document::at_attribute(&rendered, attribute)
}

/// The variables of a `templatefile` call: each entry of an object written in place evaluated
/// on its own (with its own origin), or the members of the evaluated object.
fn template_vars(vars: &Expression, env: &Env) -> Result<Vec<(String, Traced)>, String> {
    let evaluated = |expr: &Expression| {
        eval::eval(expr, env).unwrap_or_else(|error| {
            Traced::here(Val::unknown(format!("Terraform would reject it: {error}")))
        })
    };
    if let Expression::Object(object) = peel(vars) {
        let mut names = Vec::new();
        for (key, value) in object.iter() {
            let name = match key {
                ObjectKey::Ident(ident) => ident.as_str().to_string(),
                ObjectKey::Expression(Expression::String(s)) => s.value().to_string(),
                ObjectKey::Expression(_) => continue,
            };
            names.push((name, evaluated(value.expr())));
        }
        return Ok(names);
    }
    let whole = evaluated(vars);
    match whole.val {
        Val::Object(members) => Ok(members
            .into_iter()
            .map(|(name, val)| {
                // Each variable keeps only its own hops, not its siblings'.
                let (origin, parts) = member_hops(&whole.origin, whole.parts.as_ref(), &name);
                let traced = Traced { val, origin, parts };
                (name, traced)
            })
            .collect()),
        Val::Unknown(why) => Err(format!("has template variables that are unknown ({why})")),
        other => Err(format!(
            "passes a {} as the template variables",
            other.type_name()
        )),
    }
}

/// Replaces each string holding an interpolation or directive with the Terraform value it
/// renders to (see [`to_json`]).
fn render_strings(json: &mut Json, render: &impl Fn(&str) -> Traced, values: &mut Vec<Traced>) {
    match &mut json.kind {
        JsonKind::String(text) if text.contains("${") || text.contains("%{") => {
            values.push(render(text));
            *text = embedded::value_expression(values.len() - 1);
        }
        JsonKind::Array(items) => items
            .iter_mut()
            .for_each(|item| render_strings(item, render, values)),
        JsonKind::Object(members) => members
            .iter_mut()
            .for_each(|member| render_strings(&mut member.value, render, values)),
        _ => {}
    }
}

/// Where Terraform finds `file(written)`: relative paths from the root module's directory.
/// certgate's `path.module` already starts with the scanned directory, so such a path is kept.
fn resolve(root_dir: &Path, written: &str) -> PathBuf {
    let path = Path::new(written);
    let root = normalize(root_dir);
    if path.is_absolute() || root.as_os_str().is_empty() || normalize(path).starts_with(&root) {
        normalize(path)
    } else {
        normalize(&root.join(path))
    }
}

/// A heredoc without interpolations, parsed where it is written; `None` when it has
/// interpolations (it is then rendered like any expression).
fn heredoc_in_place(
    span: Option<Range<usize>>,
    attribute: &Attribute,
    cx: &Context,
) -> Result<Option<Document>, String> {
    let Some(span) = span else {
        return Ok(None);
    };
    let file = attribute.value_span.file;
    let source = cx.loader.sources().get(file);
    let Some(written) = source.text().get(span.clone()) else {
        return Ok(None);
    };
    // `<<EOT\n` … `\nEOT`: the body lies between the first and the last line break.
    let (Some(first), Some(last)) = (written.find('\n'), written.rfind('\n')) else {
        return Ok(None);
    };
    let body = &written[first + 1..last.max(first + 1)];
    if body.contains("${") || body.contains("%{") {
        return Ok(None);
    }
    let mut json = parse(body)?;
    json.shift(span.start + first + 1);
    Ok(Some(Document {
        json,
        file,
        placed: true,
        values: Vec::new(),
        hcl: false,
    }))
}

fn parse(text: &str) -> Result<Json, String> {
    crate::json::parse(text)
        .map(|doc| doc.root)
        .map_err(|error| format!("is not valid JSON: {}", error.message))
}

/// A `jsonencode` argument as the JSON it encodes, node by node: literals keep their HCL spans,
/// and any other expression is evaluated by Terraform and stands in the JSON as a
/// `[certgateEmbedded.value(N)]` string reading the `N`th of `values`, so its origin (or why
/// it is unknown) reaches the ARM evaluation intact.
fn to_json(expr: &Expression, env: &Env, values: &mut Vec<Traced>) -> Json {
    let span = expr.span().unwrap_or_default();
    let kind = match expr {
        Expression::Parenthesis(inner) => return to_json(inner.inner(), env, values),
        Expression::Null(_) => JsonKind::Null,
        Expression::Bool(b) => JsonKind::Bool(*b.value()),
        Expression::Number(n) => JsonKind::Number(n.value().to_string()),
        Expression::String(s) => JsonKind::String(s.value().to_string()),
        Expression::Array(items) => {
            JsonKind::Array(items.iter().map(|i| to_json(i, env, values)).collect())
        }
        Expression::Object(object) => {
            let mut members = Vec::new();
            for (key, value) in object.iter() {
                let name = match key {
                    ObjectKey::Ident(ident) => ident.as_str().to_string(),
                    ObjectKey::Expression(Expression::String(s)) => s.value().to_string(),
                    ObjectKey::Expression(key) => match eval::eval(key, env).map(|t| t.val) {
                        Ok(Val::String(name)) => name,
                        // A key not known before apply: nothing can be read from it.
                        _ => continue,
                    },
                };
                let value = to_json(value.expr(), env, values);
                let key_span = key.span().unwrap_or_else(|| value.span.clone());
                members.push(Member {
                    key: name,
                    span: key_span.start..value.span.end,
                    key_span,
                    value,
                });
            }
            JsonKind::Object(members)
        }
        computed => {
            let traced = eval::eval(computed, env).unwrap_or_else(|error| {
                Traced::here(Val::unknown(format!("Terraform would reject it: {error}")))
            });
            values.push(traced);
            JsonKind::String(embedded::value_expression(values.len() - 1))
        }
    };
    Json { kind, span }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_file_paths_resolve_from_the_root_module() {
        let root = Path::new("infra/live");
        assert_eq!(resolve(root, "t.json"), PathBuf::from("infra/live/t.json"));
        assert_eq!(
            resolve(root, "infra/live/modules/app/t.json"),
            PathBuf::from("infra/live/modules/app/t.json")
        );
        assert_eq!(
            resolve(root, "../shared/t.json"),
            PathBuf::from("infra/shared/t.json")
        );
        assert_eq!(resolve(Path::new(""), "./t.json"), PathBuf::from("t.json"));
    }
}
