//! String templates: `"${…}"` interpolation, `%{if}` / `%{for}` directives and `~` whitespace
//! stripping, in native syntax strings and heredocs and in JSON syntax strings.

use hcl_edit::template::{Directive, Element, Template};

use super::{Env, Outcome, error, eval, merge_origins};
use crate::limits::MAX_VALUE_BYTES;
use crate::terraform::convert::format_number;
use crate::value::{Traced, Val};

/// Evaluates a template. A template that is exactly one interpolation (`"${var.x}"`) yields the
/// value itself, not its string form, as in Terraform.
pub fn eval_template(template: &Template, env: &Env) -> Outcome {
    if let Some(Element::Interpolation(interpolation)) = template.as_single_element() {
        return eval(&interpolation.expr, env);
    }
    let mut out = Rendered::default();
    render(template, env, (false, false), &mut out)?;
    let traced = out.finish();
    // The rendered text is paid for by its size, like any other computed value.
    if let Err(reason) = env.scope.budget().take(&traced.val) {
        return Ok(Traced {
            val: Val::Unknown(reason),
            origin: traced.origin,
            parts: None,
        });
    }
    Ok(traced)
}

/// A JSON syntax string: a template when it holds `${` or `%{`, else literal text (with the
/// `$${` / `%%{` escapes undone).
pub fn json_string(text: &str, env: &Env) -> Outcome {
    if !text.contains("${") && !text.contains("%{") {
        let literal = text.replace("$${", "${").replace("%%{", "%{");
        return Ok(Traced::here(Val::String(literal)));
    }
    let limit = crate::terraform::nesting::MAX_NESTING;
    // Checked as a heredoc body, where the template language applies as in the string.
    let wrapped = format!("x = <<CERTGATE_TEMPLATE\n{text}\nCERTGATE_TEMPLATE\n");
    if crate::terraform::nesting::check(&wrapped, limit).is_err() {
        return error(format!("the template nests deeper than {limit} levels"));
    }
    match hcl_edit::parser::parse_template(text) {
        Ok(template) => eval_template(&template, env),
        Err(e) => error(format!("invalid template: {}", e.message())),
    }
}

/// The string built so far, or the unknown that makes it unknown.
#[derive(Default)]
struct Rendered {
    text: String,
    unknown: Option<String>,
    origin: Vec<crate::model::Origin>,
    /// The text outgrew the size limit: rendering stops.
    full: bool,
}

impl Rendered {
    /// Appends `text`, unless the result would outgrow [`MAX_VALUE_BYTES`]: then the value is
    /// unknown saying so, before the memory is spent (a chain of doublings stops here).
    fn push(&mut self, text: &str, env: &Env) {
        if self.full {
            return;
        }
        if (self.text.len() + text.len()) as u64 > MAX_VALUE_BYTES {
            env.scope.budget().cut();
            self.full = true;
            self.text = String::new();
            self.unknown = Some(crate::budget::too_large());
            return;
        }
        self.text.push_str(text);
    }

    fn finish(self) -> Traced {
        let val = match self.unknown {
            Some(reason) => Val::Unknown(reason),
            None => Val::String(self.text),
        };
        Traced {
            val,
            origin: self.origin,
            parts: None,
        }
    }
}

/// Which side of its neighbours an element strips (`${~`, `~}`, `%{~ if`, `endif ~}`).
fn strips(element: &Element) -> (bool, bool) {
    match element {
        Element::Literal(_) => (false, false),
        Element::Interpolation(i) => (i.strip.strip_start(), i.strip.strip_end()),
        Element::Directive(directive) => match directive.as_ref() {
            Directive::If(d) => (
                d.if_expr.strip.strip_start(),
                d.endif_expr.strip.strip_end(),
            ),
            Directive::For(d) => (
                d.for_expr.strip.strip_start(),
                d.endfor_expr.strip.strip_end(),
            ),
        },
    }
}

/// Appends a (sub-)template; `edges` says whether its first literal loses its leading
/// whitespace and its last literal its trailing whitespace.
fn render(
    template: &Template,
    env: &Env,
    edges: (bool, bool),
    out: &mut Rendered,
) -> Result<(), super::EvalError> {
    let elements: Vec<&Element> = template.iter().collect();
    for (i, element) in elements.iter().enumerate() {
        if out.full {
            return Ok(());
        }
        match element {
            Element::Literal(literal) => {
                let mut text = literal.value().as_str();
                let before = if i == 0 {
                    edges.0
                } else {
                    strips(elements[i - 1]).1
                };
                let after = match elements.get(i + 1) {
                    Some(next) => strips(next).0,
                    None => edges.1,
                };
                if before {
                    text = text.trim_start();
                }
                if after {
                    text = text.trim_end();
                }
                out.push(text, env);
            }
            Element::Interpolation(interpolation) => {
                let value = eval(&interpolation.expr, env)?;
                merge_origins(&mut out.origin, &value.origin);
                match value.val {
                    Val::String(text) => out.push(&text, env),
                    Val::Number(n) => out.push(&format_number(n), env),
                    Val::Bool(b) => out.push(if b { "true" } else { "false" }, env),
                    Val::Unknown(reason) => {
                        out.unknown.get_or_insert(reason);
                    }
                    Val::Null => return error("a template cannot include a null value"),
                    other => {
                        return error(format!("a template cannot include a {}", other.type_name()));
                    }
                }
            }
            Element::Directive(directive) => match directive.as_ref() {
                Directive::If(d) => {
                    let condition = eval(&d.if_expr.cond_expr, env)?;
                    merge_origins(&mut out.origin, &condition.origin);
                    let choice = match crate::terraform::convert::convert(
                        condition.val,
                        &crate::terraform::convert::TypeConstraint::Bool,
                    ) {
                        Ok(Val::Bool(b)) => b,
                        Ok(Val::Unknown(reason)) => {
                            out.unknown.get_or_insert(reason);
                            continue;
                        }
                        _ => return error("a template `if` condition must be a bool"),
                    };
                    let end = d.endif_expr.strip.strip_start();
                    match (&d.else_expr, choice) {
                        (_, true) => {
                            let trailing =
                                d.else_expr.as_ref().map_or(end, |e| e.strip.strip_start());
                            render(
                                &d.if_expr.template,
                                env,
                                (d.if_expr.strip.strip_end(), trailing),
                                out,
                            )?;
                        }
                        (Some(e), false) => {
                            render(&e.template, env, (e.strip.strip_end(), end), out)?
                        }
                        (None, false) => {}
                    }
                }
                Directive::For(d) => {
                    let collection = eval(&d.for_expr.collection_expr, env)?;
                    merge_origins(&mut out.origin, &collection.origin);
                    let items: Vec<(Val, Val)> = match collection.val {
                        Val::List(items) => items
                            .into_iter()
                            .enumerate()
                            .map(|(i, v)| (Val::Number(i as f64), v))
                            .collect(),
                        Val::Object(members) => members
                            .into_iter()
                            .map(|(k, v)| (Val::String(k), v))
                            .collect(),
                        Val::Unknown(reason) => {
                            out.unknown.get_or_insert(reason);
                            continue;
                        }
                        other => {
                            return error(format!(
                                "a template `for` cannot iterate over a {}",
                                other.type_name()
                            ));
                        }
                    };
                    let edges = (
                        d.for_expr.strip.strip_end(),
                        d.endfor_expr.strip.strip_start(),
                    );
                    for (key, value) in items {
                        if out.full {
                            break;
                        }
                        let mut names = vec![(
                            d.for_expr.value_var.as_str().to_string(),
                            Traced::here(value),
                        )];
                        if let Some(key_var) = &d.for_expr.key_var {
                            names.push((key_var.as_str().to_string(), Traced::here(key)));
                        }
                        render(&d.for_expr.template, &env.bind(names), edges, out)?;
                    }
                }
            },
        }
    }
    Ok(())
}
