//! The names a Terragrunt configuration's expressions see: `local.*` (evaluated on demand,
//! memoised, cycles reported), `include.NAME.*` of an exposed include, `dependency.NAME.outputs.*`
//! (mocks or unknown), and Terragrunt's built-in functions ([`super::functions`]).
//!
//! Reuse: the expressions are evaluated by Terraform's evaluator (`terraform::eval`): this is
//! only its `Scope`, through the hooks the evaluator offers for names and functions it does not
//! know. What is written by hand here is what Terragrunt adds to HCL.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};

use super::config::Config;
use crate::error::FileError;
use crate::load::Loader;
use crate::model::{Origin, OriginKind};
use crate::source::Span;
use crate::terraform::eval::{
    self, Budget, Env, EvalError, InstanceKeys, Outcome, Scope, Shared, SharedOutcome,
};
use crate::terraform::syntax::{Attribute, AttributeExpr};
use crate::value::{Traced, Val};

/// What every configuration read for one unit shares.
pub struct Context<'a> {
    /// `None` when no file may be read (claims are decided from the unit's own text).
    pub loader: Option<&'a Loader<'a>>,
    /// The unit's directory: `get_terragrunt_dir()`, where relative paths start.
    pub unit_dir: PathBuf,
    pub budget: Budget,
    /// Notices found while evaluating (a nested include, a file that cannot be read).
    pub notices: RefCell<Vec<FileError>>,
}

/// One configuration's scope: the unit's own, or a file it includes or reads.
pub struct ConfigScope<'a> {
    pub ctx: &'a Context<'a>,
    pub config: &'a Config,
    /// The directory of the included file evaluated here (`get_parent_terragrunt_dir()`).
    pub include_dir: Option<PathBuf>,
    /// `include.NAME` values of exposed includes.
    pub exposed: HashMap<String, Traced>,
    /// How many `read_terragrunt_config` calls deep this configuration is.
    pub depth: usize,
    locals: RefCell<HashMap<String, Option<SharedOutcome>>>,
    in_progress: RefCell<Vec<String>>,
}

impl<'a> ConfigScope<'a> {
    pub fn new(ctx: &'a Context<'a>, config: &'a Config) -> Self {
        ConfigScope {
            ctx,
            config,
            include_dir: None,
            exposed: HashMap::new(),
            depth: 0,
            locals: RefCell::default(),
            in_progress: RefCell::default(),
        }
    }

    /// Evaluates one attribute in this scope.
    pub fn eval(&self, attribute: &Attribute) -> Outcome {
        eval::eval_attr(&attribute.expr, &Env::new(self))
    }

    /// Every local, as an object (`include.NAME.locals`, `read_terragrunt_config(…).locals`).
    pub fn all_locals(&self) -> Traced {
        let mut members = BTreeMap::new();
        let mut origin = Vec::new();
        for attribute in &self.config.locals {
            let val = match self.local(&attribute.name) {
                Ok(shared) => {
                    eval::merge_origins(&mut origin, &shared.traced.origin);
                    shared.traced.val.clone()
                }
                Err(error) => Val::Unknown(error.0),
            };
            members.insert(attribute.name.clone(), val);
        }
        Traced {
            val: Val::Object(members),
            origin,
            parts: None,
        }
    }

    /// The members of an attribute written as an object constructor (`inputs = { … }`), each
    /// evaluated with a hop of `kind` at its `key = value`; else the whole value split by key.
    pub fn members(
        &self,
        attribute: &Attribute,
        kind: OriginKind,
        what: &dyn Fn(&str) -> String,
    ) -> Result<BTreeMap<String, Member>, EvalError> {
        let file = attribute.span.file;
        let mut out = BTreeMap::new();
        if let AttributeExpr::Hcl(Expression::Object(object)) = &attribute.expr {
            let env = Env::new(self);
            for (key, value) in object.iter() {
                let name = match key {
                    ObjectKey::Ident(ident) => ident.as_str().to_string(),
                    ObjectKey::Expression(expr) => match eval::eval(expr, &env)?.val {
                        Val::String(name) => name,
                        _ => return self.whole(attribute, kind, what),
                    },
                };
                let expr = value.expr();
                let (Some(start), Some(end)) = (key.span(), expr.span()) else {
                    continue;
                };
                let span = Span::new(file, start.start..end.end);
                let literal = matches!(
                    expr,
                    Expression::Null(_)
                        | Expression::Bool(_)
                        | Expression::Number(_)
                        | Expression::String(_)
                )
                .then(|| Span::new(file, end.clone()));
                let hop = Origin::new(kind, span, what(&name)).with_literal(literal);
                let traced = eval::eval(expr, &env)?;
                out.insert(name, Member { traced, hop });
            }
            return Ok(out);
        }
        self.whole(attribute, kind, what)
    }

    fn whole(
        &self,
        attribute: &Attribute,
        kind: OriginKind,
        what: &dyn Fn(&str) -> String,
    ) -> Result<BTreeMap<String, Member>, EvalError> {
        let traced = self.eval(attribute)?;
        let mut out = BTreeMap::new();
        match traced.val {
            Val::Object(members) => {
                for (name, val) in members {
                    let hop = Origin::new(kind, attribute.span, what(&name));
                    let traced = Traced {
                        val,
                        origin: traced.origin.clone(),
                        parts: None,
                    };
                    out.insert(name, Member { traced, hop });
                }
            }
            Val::Null => {}
            Val::Unknown(reason) => {
                return Err(EvalError(format!(
                    "`{}` cannot be resolved: {reason}",
                    attribute.name
                )));
            }
            other => {
                return Err(EvalError(format!(
                    "`{}` must be an object, not a {}",
                    attribute.name,
                    other.type_name()
                )));
            }
        }
        Ok(out)
    }

    fn local(&self, name: &str) -> SharedOutcome {
        if let Some(slot) = self.locals.borrow().get(name) {
            return match slot {
                Some(memo) => memo.clone(),
                None => Ok(Shared::new(Traced::here(Val::Unknown(self.cycle(name))))),
            };
        }
        let Some(attribute) = self.config.local(name) else {
            return Err(EvalError(format!(
                "there is no local `{name}` in `{}`",
                crate::paths::path_text(&self.config.path)
            )));
        };
        self.locals.borrow_mut().insert(name.to_string(), None);
        self.in_progress.borrow_mut().push(name.to_string());
        let cuts = self.ctx.budget.cuts();
        let outcome = self.eval(attribute).map(|traced| {
            let hop = Origin::new(
                OriginKind::TerragruntLocal,
                attribute.span,
                format!("Terragrunt local `{name}`"),
            );
            Shared::new(traced.through(hop.with_literal(attribute.literal())))
        });
        self.in_progress.borrow_mut().pop();
        let mut locals = self.locals.borrow_mut();
        // A value a limit cut short is not memoised (as Terraform's locals).
        if self.ctx.budget.cuts() == cuts {
            locals.insert(name.to_string(), Some(outcome.clone()));
        } else {
            locals.remove(name);
        }
        outcome
    }

    fn cycle(&self, name: &str) -> String {
        crate::terraform::locals_cycle(&self.in_progress.borrow(), name)
    }

    /// `path` (as written in this configuration) from the working directory.
    pub fn resolve(&self, path: &str) -> PathBuf {
        crate::paths::normalize(&self.ctx.unit_dir.join(path))
    }
}

/// One `name = value` of an object attribute, evaluated, with the hop at its member.
#[derive(Debug, Clone)]
pub struct Member {
    pub traced: Traced,
    pub hop: Origin,
}

impl Scope for ConfigScope<'_> {
    fn var(&self, name: &str) -> SharedOutcome {
        Err(EvalError(format!(
            "`var.{name}`: a Terragrunt configuration has no variables"
        )))
    }
    fn local(&self, name: &str) -> SharedOutcome {
        ConfigScope::local(self, name)
    }
    fn instance(&self) -> &InstanceKeys {
        &InstanceKeys::NotAllowed
    }
    fn path(&self, _: &str) -> Option<String> {
        None
    }
    fn budget(&self) -> &Budget {
        &self.ctx.budget
    }
    fn reference(
        &self,
        root: &str,
        operators: &[&TraversalOperator],
    ) -> Option<Result<(Traced, usize), EvalError>> {
        let attr = |i: usize| match operators.get(i) {
            Some(TraversalOperator::GetAttr(name)) => Some(name.as_str()),
            _ => None,
        };
        match root {
            "include" => Some(match attr(0) {
                Some(name) => match self.exposed.get(name) {
                    Some(value) => Ok((value.clone(), 1)),
                    None => Err(EvalError(format!(
                        "`include.{name}`: there is no include `{name}` with `expose = true`"
                    ))),
                },
                None => Err(EvalError("`include` must be followed by a name".into())),
            }),
            "dependency" => Some(match (attr(0), attr(1)) {
                (Some(name), Some("outputs")) => super::dependency::output(self, name, attr(2))
                    .map(|(traced, used)| (traced, 2 + used)),
                (Some(name), _) => Err(EvalError(format!(
                    "`dependency.{name}`: certgate reads only `dependency.{name}.outputs`"
                ))),
                (None, _) => Err(EvalError("`dependency` must be followed by a name".into())),
            }),
            _ => None,
        }
    }
    fn owns_function(&self, name: &str) -> bool {
        super::functions::FUNCTIONS.contains(&name)
    }
    fn function(&self, name: &str, args: &[Traced]) -> Outcome {
        super::functions::call(self, name, args)
    }
}

/// The directory `path` is in, for messages.
pub fn shown(path: &Path) -> String {
    let text = crate::paths::path_text(path).to_string();
    if text.is_empty() { ".".into() } else { text }
}
