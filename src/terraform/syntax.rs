//! The syntax-level model both Terraform readers (`.tf`, `.tf.json`) produce: resource blocks
//! with their attributes kept as raw expressions, so values can be evaluated later.

use crate::model::Syntax;
use crate::source::{FileId, Span};

/// An attribute's value as written, not yet evaluated. This is the seam for value resolution:
/// a resolver can evaluate variables, locals and conditionals from here.
#[derive(Debug, Clone)]
pub enum AttributeExpr {
    /// A native syntax expression; its spans are byte offsets in the attribute's file.
    Hcl(hcl_edit::expr::Expression),
    /// A JSON syntax value; strings in it are templates.
    Json(crate::json::Json),
}

/// One `name = value` (or `"name": value`) of a resource body.
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

/// One top-level `resource "TYPE" "NAME" { … }` declaration.
#[derive(Debug, Clone)]
pub struct ResourceBlock {
    pub resource_type: String,
    pub name: String,
    pub file: FileId,
    pub syntax: Syntax,
    /// From the `resource` keyword through the last label (native), or the name's key (JSON).
    pub header: Span,
    /// The body from `{` through `}`.
    pub body_span: Span,
    /// Top-level attributes in source order, meta-arguments (`count`, `for_each`) included.
    /// Nested blocks (`site_config`, `lifecycle`, …) are not kept: nothing reads them yet.
    pub attributes: Vec<Attribute>,
}

impl ResourceBlock {
    /// `TYPE.NAME`, the address Terraform gives the declaration in the root module.
    pub fn address(&self) -> String {
        format!("{}.{}", self.resource_type, self.name)
    }

    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|attr| attr.name == name)
    }

    pub fn count(&self) -> Option<&Attribute> {
        self.attribute("count")
    }

    pub fn for_each(&self) -> Option<&Attribute> {
        self.attribute("for_each")
    }

    /// Sets an attribute: replaces one of the same name in place, or appends it.
    pub fn set_attribute(&mut self, attribute: Attribute) {
        match self
            .attributes
            .iter_mut()
            .find(|a| a.name == attribute.name)
        {
            Some(slot) => *slot = attribute,
            None => self.attributes.push(attribute),
        }
    }
}

/// What reading one file produced: its resource blocks, or the error that stopped it.
pub type FileBlocks = Result<Vec<ResourceBlock>, crate::error::FileError>;
