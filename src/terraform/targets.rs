//! Which resource block an AzAPI id argument (`parent_id`, `resource_id`) names, chased through
//! the syntax alone: `local.NAME`, a `"${…}"` template of one reference, down to
//! `TYPE.NAME.id` (or `TYPE.NAME[key].id`) of a block in the same module. A target computed any
//! other way (names concatenated, a data source) is not guessed: the chase finds nothing.

use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::template::Element;

use super::module::Module;
use super::syntax::{Attribute, AttributeExpr, ResourceBlock};

/// How many `local.NAME` hops the chase follows.
const MAX_HOPS: usize = 16;

/// A block an id names, with the index written after its name (`TYPE.NAME[key].id`).
pub(crate) struct Target<'m> {
    pub block: &'m ResourceBlock,
    pub index: Option<Index>,
}

/// The index of a chased reference: a literal number, or an expression to evaluate.
pub(crate) enum Index {
    Number(u64),
    Expr(Expression),
}

/// The block of `module` whose `id` the attribute's value is, when the syntax says so.
pub(crate) fn chase<'m>(attribute: &Attribute, module: &'m Module) -> Option<&'m ResourceBlock> {
    chase_target(attribute, module).map(|target| target.block)
}

/// [`chase`], keeping the index written after the block's name.
pub(crate) fn chase_target<'m>(attribute: &Attribute, module: &'m Module) -> Option<Target<'m>> {
    match &attribute.expr {
        AttributeExpr::Hcl(expr) => chase_expr(expr, module, 0),
        // `.tf.json`: a string template of one reference.
        AttributeExpr::Json(json) => {
            let text = json.as_str()?;
            let inner = text.strip_prefix("${")?.strip_suffix('}')?;
            let expr = super::eval::parse_expression(inner.trim()).ok()?;
            chase_expr(&expr, module, 0)
        }
        AttributeExpr::JsonLiteral(_) => None,
    }
}

fn chase_expr<'m>(expr: &Expression, module: &'m Module, hops: usize) -> Option<Target<'m>> {
    match expr {
        Expression::Parenthesis(inner) => chase_expr(inner.inner(), module, hops),
        Expression::StringTemplate(template) => {
            let [Element::Interpolation(one)] = template.iter().collect::<Vec<_>>()[..] else {
                return None;
            };
            chase_expr(&one.expr, module, hops)
        }
        Expression::Traversal(traversal) => {
            let Expression::Variable(root) = &traversal.expr else {
                return None;
            };
            let ops: Vec<&TraversalOperator> =
                traversal.operators.iter().map(|op| op.value()).collect();
            let name_of = |op: &TraversalOperator| match op {
                TraversalOperator::GetAttr(name) => Some(name.as_str().to_string()),
                _ => None,
            };
            match root.as_str() {
                "local" if hops < MAX_HOPS => {
                    let [op] = ops[..] else { return None };
                    let local = module.locals.get(&name_of(op)?)?;
                    match &local.expr {
                        AttributeExpr::Hcl(inner) => chase_expr(inner, module, hops + 1),
                        _ => None,
                    }
                }
                resource_type => {
                    // `TYPE.NAME.id`, with at most one index after the name.
                    let (name, rest) = ops.split_first()?;
                    let name = name_of(name)?;
                    let (index, rest) = match rest {
                        [TraversalOperator::Index(expr), rest @ ..] => {
                            (Some(Index::Expr(expr.clone())), rest)
                        }
                        [TraversalOperator::LegacyIndex(n), rest @ ..] => {
                            (Some(Index::Number(*n.value())), rest)
                        }
                        rest => (None, rest),
                    };
                    let [last] = rest else { return None };
                    (name_of(last)?.as_str() == "id").then_some(())?;
                    let block = module
                        .resources
                        .iter()
                        .find(|block| block.resource_type == resource_type && block.name == name)?;
                    Some(Target { block, index })
                }
            }
        }
        _ => None,
    }
}
