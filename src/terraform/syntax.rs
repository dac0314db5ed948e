//! The syntax-level model both Terraform readers (`.tf`, `.tf.json`) produce: the blocks that
//! decide a site's values (resources, variables, locals, module calls, provider constraints),
//! with their values kept as raw expressions for the evaluator.

use super::convert::TypeConstraint;
use crate::model::Syntax;
use crate::source::Span;
use std::sync::{Arc, OnceLock};

/// A value as written, not yet evaluated.
#[derive(Debug, Clone)]
pub enum AttributeExpr {
    /// A native syntax expression; its spans are byte offsets in the attribute's file.
    Hcl(hcl_edit::expr::Expression),
    /// A JSON syntax value; strings in it are templates.
    Json(crate::json::Json),
    /// A JSON value read literally, strings included: variable defaults and `.tfvars.json`
    /// values, which Terraform evaluates without templates.
    JsonLiteral(crate::json::Json),
}

/// One `name = value` (or `"name": value`).
#[derive(Debug, Clone)]
pub struct Attribute {
    pub name: String,
    pub expr: AttributeExpr,
    /// The whole attribute, key through value. After an override merge this can lie in the
    /// override file: the span carries its own file id.
    pub span: Span,
    /// The value alone.
    pub value_span: Span,
}

impl Attribute {
    /// The value's span when it is one scalar literal (a string may still be a template or
    /// hold escapes: the fixer checks), for [`crate::model::Origin::literal`].
    pub fn literal(&self) -> Option<Span> {
        use hcl_edit::expr::Expression;
        let scalar = match &self.expr {
            AttributeExpr::Hcl(expr) => matches!(
                expr,
                Expression::Null(_)
                    | Expression::Bool(_)
                    | Expression::Number(_)
                    | Expression::String(_)
            ),
            AttributeExpr::Json(json) | AttributeExpr::JsonLiteral(json) => json.is_scalar(),
        };
        scalar.then_some(self.value_span)
    }
}

/// One top-level `resource "TYPE" "NAME" { … }` declaration.
#[derive(Debug, Clone)]
pub struct ResourceBlock {
    pub resource_type: String,
    pub name: String,
    pub syntax: Syntax,
    /// From the `resource` keyword through the last label (native), or the name's key (JSON).
    pub header: Span,
    /// The body from `{` through `}`.
    pub body_span: Span,
    /// Top-level attributes in source order, meta-arguments (`count`, `for_each`) included.
    /// Nested blocks are not attributes (see `nested`). Empty for native syntax blocks of types
    /// certgate does not judge: see `deferred`.
    pub attributes: Vec<Attribute>,
    /// The nested blocks the rollout reads (`site_config` and the `ip_restriction` blocks in
    /// it, `dynamic` ones included), kept for the azurerm site types only; the others
    /// (`lifecycle`, `identity`, …) are not kept: nothing reads them.
    pub nested: Vec<NestedBlock>,
    /// A native syntax block of a type certgate does not judge: its attributes are parsed from
    /// its text only when another block reads one (`TYPE.NAME.ARG`, rare), so the bodies of
    /// every other resource are not kept (set by `module::assemble`).
    pub deferred: Option<Arc<DeferredBody>>,
}

/// A nested block (`site_config { … }`, `dynamic "ip_restriction" { … }`), with the nested
/// blocks the rollout reads inside it.
#[derive(Debug, Clone)]
pub struct NestedBlock {
    /// The block type: `site_config`, `ip_restriction`, `dynamic`, `content`.
    pub ident: String,
    /// A `dynamic` block's label: the type of the blocks it generates.
    pub label: Option<String>,
    /// The whole block.
    pub span: Span,
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<NestedBlock>,
}

impl NestedBlock {
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|attr| attr.name == name)
    }

    /// Whether this block is `NAME { … }` or `dynamic "NAME" { … }`.
    pub fn generates(&self, name: &str) -> bool {
        self.ident == name || (self.ident == "dynamic" && self.label.as_deref() == Some(name))
    }
}

/// The nested block types the rollout reads: `site_config`, the `ip_restriction` blocks in it,
/// and `dynamic` blocks generating either (with their `content`).
pub fn keeps_nested(ident: &str, label: Option<&str>) -> bool {
    const KEPT: [&str; 3] = ["site_config", "ip_restriction", "content"];
    match ident {
        "dynamic" => label.is_some_and(|label| KEPT.contains(&label)),
        _ => KEPT.contains(&ident),
    }
}

/// The source of a block whose attributes are read on first use.
#[derive(Debug)]
pub struct DeferredBody {
    pub source: Arc<crate::source::SourceFile>,
    parsed: OnceLock<Vec<Attribute>>,
}

impl DeferredBody {
    pub fn new(source: Arc<crate::source::SourceFile>) -> Arc<DeferredBody> {
        Arc::new(DeferredBody {
            source,
            parsed: OnceLock::new(),
        })
    }
}

impl ResourceBlock {
    /// `TYPE.NAME`, the address Terraform gives the declaration inside its module.
    pub fn address(&self) -> String {
        format!("{}.{}", self.resource_type, self.name)
    }

    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|attr| attr.name == name)
    }

    /// An argument written in the block, for references from other blocks: reads a deferred
    /// body on first use.
    pub fn argument(&self, name: &str) -> Option<&Attribute> {
        let Some(deferred) = &self.deferred else {
            return self.attribute(name);
        };
        let parsed = deferred.parsed.get_or_init(|| {
            super::hcl::body_attributes(self.header.file, deferred.source.text(), self.body_span)
        });
        parsed.iter().find(|attr| attr.name == name)
    }

    /// `count`, read even from a deferred body (another block reading one of its arguments
    /// needs its instances).
    pub fn count_argument(&self) -> Option<&Attribute> {
        self.argument("count")
    }

    /// `for_each`, as [`ResourceBlock::count_argument`].
    pub fn for_each_argument(&self) -> Option<&Attribute> {
        self.argument("for_each")
    }

    pub fn count(&self) -> Option<&Attribute> {
        self.attribute("count")
    }

    pub fn for_each(&self) -> Option<&Attribute> {
        self.attribute("for_each")
    }

    /// Sets an attribute: replaces one of the same name in place, or appends it.
    pub fn set_attribute(&mut self, attribute: Attribute) {
        set_attribute(&mut self.attributes, attribute);
    }
}

/// Replaces the attribute of the same name in place, or appends it.
pub fn set_attribute(attributes: &mut Vec<Attribute>, attribute: Attribute) {
    match attributes.iter_mut().find(|a| a.name == attribute.name) {
        Some(slot) => *slot = attribute,
        None => attributes.push(attribute),
    }
}

/// One `variable "NAME" { … }` declaration. Fields an override file may replace are optional.
#[derive(Debug, Clone)]
pub struct Variable {
    pub name: String,
    /// `variable "NAME"` (native) or the name's key (JSON).
    pub header: Span,
    pub default: Option<Attribute>,
    /// `None` when the declaration has no `type` (any value, read literally from `--var`).
    pub type_constraint: Option<TypeConstraint>,
    /// `nullable = false` makes a null input fall back to the default.
    pub nullable: Option<bool>,
}

/// One `module "NAME" { … }` call.
#[derive(Debug, Clone)]
pub struct ModuleCall {
    pub name: String,
    pub header: Span,
    /// Every attribute: inputs and meta-arguments (`source`, `count`, …) alike.
    pub attributes: Vec<Attribute>,
}

/// Module call arguments that are not inputs of the called module.
const META_ARGUMENTS: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

impl ModuleCall {
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|attr| attr.name == name)
    }

    /// The attributes passed to the called module's variables.
    pub fn inputs(&self) -> impl Iterator<Item = &Attribute> {
        self.attributes
            .iter()
            .filter(|attr| !META_ARGUMENTS.contains(&attr.name.as_str()))
    }

    /// The `source` as written, when it is a plain string (Terraform requires one).
    pub fn source(&self) -> Option<String> {
        let attribute = self.attribute("source")?;
        match &attribute.expr {
            AttributeExpr::Hcl(expr) => match expr {
                hcl_edit::expr::Expression::String(s) => Some(s.value().clone()),
                _ => None,
            },
            AttributeExpr::Json(json) | AttributeExpr::JsonLiteral(json) => {
                json.as_str().map(str::to_string)
            }
        }
    }
}

/// One `output "NAME" { value = … }` declaration.
#[derive(Debug, Clone)]
pub struct OutputBlock {
    pub name: String,
    /// `output "NAME"` (native) or the name's key (JSON).
    pub header: Span,
    /// `None` when the block has no `value` (Terraform rejects it; certgate reads it as unknown).
    pub value: Option<Attribute>,
}

/// Everything one file declares that value resolution reads.
#[derive(Debug, Default)]
pub struct FileItems {
    pub resources: Vec<ResourceBlock>,
    pub variables: Vec<Variable>,
    /// Each `locals` entry as an attribute named after the local.
    pub locals: Vec<Attribute>,
    pub calls: Vec<ModuleCall>,
    /// `data "TYPE" "NAME"` blocks: their written arguments are known at plan time.
    pub data: Vec<ResourceBlock>,
    pub outputs: Vec<OutputBlock>,
    /// `required_providers` version constraints for azurerm, as written.
    pub azurerm_constraints: Vec<String>,
    /// A `.tf.json` file's `"//"` comment properties, recorded when it declares a resource.
    pub json_comments: Option<Vec<crate::model::JsonProperty>>,
}

/// What reading one file produced: its items, or the error that stopped it.
pub type FileRead = Result<FileItems, crate::error::FileError>;
