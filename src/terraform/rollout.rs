//! Reads the settings the rollout facts are decided from out of one instance of an azurerm site
//! or slot block: `public_network_access_enabled`, `site_config`'s
//! `ip_restriction_default_action` and `ip_restriction` blocks, and the environment-naming
//! `tags`, each evaluated like the certificate attributes (raw values, no decisions).

use super::convert::string_to_bool;
use super::eval::{Env, eval_attr};
use super::lower::value_of;
use super::syntax::{Attribute, NestedBlock, ResourceBlock};
use crate::model::{
    AccessRule, Data, ENVIRONMENT_TAG_KEYS, Restrictions, RolloutInputs, Tags, Value,
};
use crate::source::Span;
use crate::value::{Traced, Val};

/// The rollout inputs one instance of `block` writes, evaluated in `env`.
pub(crate) fn inputs(block: &ResourceBlock, env: &Env) -> RolloutInputs {
    let site = SiteConfig::of(block);
    let public_access = block
        .attribute("public_network_access_enabled")
        .and_then(|attribute| value_of(attribute, env))
        .map(as_bool)
        // The Logic App (Standard) writes it as a string at the top level (azurerm 4.x), or
        // as a bool in `site_config` (3.x).
        .or_else(|| {
            let attribute = block.attribute("public_network_access")?;
            value_of(attribute, env)
        })
        .or_else(|| {
            (block.resource_type == "azurerm_logic_app_standard")
                .then(|| {
                    site.value("public_network_access_enabled", env)
                        .map(as_bool)
                })
                .flatten()
        });
    RolloutInputs {
        public_access,
        default_action: site.value("ip_restriction_default_action", env),
        restrictions: site.restrictions(env),
        tags: tags(block.attribute("tags"), env),
    }
}

/// Terraform converts `"true"`/`"false"` to a bool for a bool attribute.
fn as_bool(mut value: Value) -> Value {
    if let Data::String(text) = &value.data
        && let Some(b) = string_to_bool(text)
    {
        value.data = Data::Bool(b);
    }
    value
}

/// What a block's `site_config` is, as far as its settings can be read.
enum SiteConfig<'b> {
    Absent,
    Block(&'b NestedBlock),
    /// Not readable block by block: every setting in it is unknown, for this reason.
    Unknown(String, Span),
}

impl<'b> SiteConfig<'b> {
    fn of(block: &'b ResourceBlock) -> SiteConfig<'b> {
        // Terraform allows one `site_config`; a second one is rejected, so the first is read.
        match block.nested.iter().find(|b| b.generates("site_config")) {
            Some(nested) if nested.ident == "dynamic" => SiteConfig::Unknown(
                "`site_config` is a `dynamic` block, which certgate does not expand".into(),
                nested.span,
            ),
            Some(nested) => match ["count", "for_each"]
                .into_iter()
                .find_map(|meta| nested.attribute(meta))
            {
                Some(meta) => SiteConfig::Unknown(
                    format!(
                        "`site_config` has `{}`, which Terraform does not allow in a nested block",
                        meta.name
                    ),
                    meta.span,
                ),
                None => SiteConfig::Block(nested),
            },
            None => match block.attribute("site_config") {
                Some(attribute) => SiteConfig::Unknown(
                    "`site_config` is given as an expression, not written as a block".into(),
                    attribute.span,
                ),
                None => SiteConfig::Absent,
            },
        }
    }

    /// The setting `name` in `site_config`; unknown when `site_config` is.
    fn value(&self, name: &str, env: &Env) -> Option<Value> {
        match self {
            SiteConfig::Absent => None,
            SiteConfig::Block(block) => value_of(block.attribute(name)?, env),
            SiteConfig::Unknown(reason, span) => Some(unknown(reason.clone(), *span)),
        }
    }

    /// The `ip_restriction` rules: blocks, `dynamic` blocks whose `for_each` is known, or the
    /// attribute form (`ip_restriction = [...]`, which the provider also accepts).
    fn restrictions(&self, env: &Env) -> Restrictions {
        let block = match self {
            SiteConfig::Absent => return Restrictions::Absent,
            SiteConfig::Unknown(reason, span) => {
                return Restrictions::Unknown(unknown(reason.clone(), *span));
            }
            SiteConfig::Block(block) => block,
        };
        let mut rules = Vec::new();
        let mut written = false;
        for nested in block
            .blocks
            .iter()
            .filter(|b| b.generates("ip_restriction"))
        {
            written = true;
            let expanded = match nested.ident.as_str() {
                "dynamic" => dynamic_rules(nested, env),
                _ => Ok(vec![rule(nested, env)]),
            };
            match expanded {
                Ok(more) => rules.extend(more),
                Err(value) => return Restrictions::Unknown(value),
            }
        }
        if let Some(attribute) = block.attribute("ip_restriction") {
            written = true;
            match attribute_rules(attribute, env) {
                Ok(more) => rules.extend(more),
                Err(value) => return Restrictions::Unknown(value),
            }
        }
        match written {
            true => Restrictions::Rules(rules),
            false => Restrictions::Absent,
        }
    }
}

/// One `ip_restriction { … }` (or a dynamic block's `content`), evaluated in `env`.
fn rule(block: &NestedBlock, env: &Env) -> AccessRule {
    let field = |name: &str| value_of(block.attribute(name)?, env);
    AccessRule {
        span: block.span,
        action: field("action"),
        ip_address: field("ip_address"),
        service_tag: field("service_tag"),
        subnet: field("virtual_network_subnet_id"),
    }
}

/// Azure keeps at most 512 access restriction rules per site: a `for_each` over more is not a
/// real configuration, and expanding it would only cost time.
const MAX_RULES: usize = 512;

/// The rules a `dynamic "ip_restriction"` block generates: its `content` once per element of
/// a known `for_each`, with the iterator bound; unknown when `for_each` is.
fn dynamic_rules(block: &NestedBlock, env: &Env) -> Result<Vec<AccessRule>, Value> {
    let why = |reason: String| unknown(reason, block.span);
    let Some(for_each) = block.attribute("for_each") else {
        return Err(why(
            "the `dynamic \"ip_restriction\"` block has no `for_each`".into(),
        ));
    };
    let Some(content) = block.blocks.iter().find(|b| b.ident == "content") else {
        return Err(why(
            "the `dynamic \"ip_restriction\"` block has no `content`".into(),
        ));
    };
    // `iterator = name` names the iterator; by default it is the block's label.
    let name = match block.attribute("iterator") {
        Some(attribute) => match iterator_name(attribute) {
            Some(name) => name,
            None => return Err(why("its `iterator` is not a plain name".into())),
        },
        None => "ip_restriction".to_string(),
    };
    let traced = match eval_attr(&for_each.expr, env) {
        Ok(traced) => traced,
        Err(error) => {
            return Err(why(format!(
                "Terraform would reject its `for_each`: {error}"
            )));
        }
    };
    let count = match &traced.val {
        Val::List(items) => items.len(),
        Val::Object(map) => map.len(),
        _ => 0,
    };
    if count > MAX_RULES {
        return Err(why(format!(
            "the `dynamic \"ip_restriction\"` block makes {count} rules; Azure allows at most \
             {MAX_RULES}"
        )));
    }
    let elements: Vec<(Val, Val)> = match &traced.val {
        Val::List(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| (Val::Number(i as f64), item.clone()))
            .collect(),
        Val::Object(map) => map
            .iter()
            .map(|(key, item)| (Val::String(key.clone()), item.clone()))
            .collect(),
        Val::Null => Vec::new(),
        Val::Unknown(reason) => {
            let mut value = why(format!(
                "the `for_each` of the `dynamic \"ip_restriction\"` block cannot be resolved: {reason}"
            ));
            value.origin = traced.origin.clone();
            return Err(value);
        }
        other => {
            return Err(why(format!(
                "Terraform would reject its `for_each`: a {} is not a collection",
                other.type_name()
            )));
        }
    };
    Ok(elements
        .into_iter()
        .map(|(key, value)| {
            let iterator =
                Val::Object([("key".to_string(), key), ("value".to_string(), value)].into());
            let bound = Traced::new(iterator, traced.origin.clone());
            rule(content, &env.bind(vec![(name.clone(), bound)]))
        })
        .collect())
}

/// The name an `iterator` attribute gives, when it is one plain identifier.
fn iterator_name(attribute: &Attribute) -> Option<String> {
    use hcl_edit::expr::Expression;
    match &attribute.expr {
        super::syntax::AttributeExpr::Hcl(Expression::Variable(name)) => {
            Some(name.as_str().to_string())
        }
        super::syntax::AttributeExpr::Json(json) => json.as_str().map(str::to_string),
        _ => None,
    }
}

/// `ip_restriction = [ {…}, … ]`: each object's fields, shown at the attribute.
fn attribute_rules(attribute: &Attribute, env: &Env) -> Result<Vec<AccessRule>, Value> {
    let traced = match eval_attr(&attribute.expr, env) {
        Ok(traced) => traced,
        Err(error) => {
            let reason = format!("Terraform would reject this value: {error}");
            return Err(unknown(reason, attribute.span));
        }
    };
    let items = match &traced.val {
        Val::List(items) => items,
        Val::Null => return Ok(Vec::new()),
        Val::Unknown(reason) => {
            let mut value = unknown(reason.clone(), attribute.span);
            value.origin = traced.origin.clone();
            return Err(value);
        }
        other => {
            let reason = format!("`ip_restriction` is a {}, not a list", other.type_name());
            return Err(unknown(reason, attribute.span));
        }
    };
    let mut rules = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let element = traced.member_traced(&i.to_string(), item.clone());
        if let Val::Unknown(reason) = &element.val {
            let mut value = unknown(reason.clone(), attribute.span);
            value.origin = element.origin;
            return Err(value);
        }
        let field = |name: &str| match element.val.get_exact(name) {
            None | Some(Val::Null) => None,
            Some(val) => Some(Value {
                data: val.to_data(),
                span: attribute.span,
                origin: element.member(name).0,
            }),
        };
        rules.push(AccessRule {
            span: attribute.span,
            action: field("action"),
            ip_address: field("ip_address"),
            service_tag: field("service_tag"),
            subnet: field("virtual_network_subnet_id"),
        });
    }
    Ok(rules)
}

/// The environment-naming entries of a `tags` attribute (an `azurerm` site's or an
/// `azapi_resource`'s): the evaluated map's entries whose key is one of
/// [`ENVIRONMENT_TAG_KEYS`] (any case); unknown when the map is.
pub(crate) fn tags(attribute: Option<&Attribute>, env: &Env) -> Tags {
    let Some(attribute) = attribute else {
        return Tags::Absent;
    };
    match eval_attr(&attribute.expr, env) {
        Ok(traced) => tags_of(&traced, attribute.span),
        Err(error) => Tags::Unknown(unknown(
            format!("Terraform would reject this value: {error}"),
            attribute.span,
        )),
    }
}

/// [`tags`] for an evaluated map written at `span`.
pub(crate) fn tags_of(traced: &Traced, span: Span) -> Tags {
    match &traced.val {
        Val::Null => Tags::Absent,
        Val::Object(map) => {
            let entries: Vec<(String, Value)> = map
                .iter()
                .filter(|(key, _)| {
                    ENVIRONMENT_TAG_KEYS
                        .iter()
                        .any(|wanted| key.eq_ignore_ascii_case(wanted))
                })
                .map(|(key, val)| {
                    let value = Value {
                        data: val.to_data(),
                        span,
                        origin: traced.member(key).0,
                    };
                    (key.clone(), value)
                })
                .collect();
            match entries.is_empty() {
                true => Tags::Absent,
                false => Tags::Entries(entries),
            }
        }
        Val::Unknown(reason) => Tags::Unknown(Value {
            data: Data::Unknown(reason.clone()),
            span,
            origin: traced.origin.clone(),
        }),
        other => Tags::Unknown(unknown(
            format!("`tags` is a {}, not a map", other.type_name()),
            span,
        )),
    }
}

fn unknown(reason: String, span: Span) -> Value {
    Value::literal(Data::Unknown(reason), span)
}
