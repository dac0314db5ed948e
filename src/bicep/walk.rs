//! Walks a Bicep file's resources and modules to every App Service site and slot it would
//! deploy, evaluating what decides that.
//!
//! Followed: `Microsoft.Web/sites` and `Microsoft.Web/sites/slots` (case-insensitive), slots
//! nested in a site's body (`resource slot 'slots@…'`) and top-level slots with `parent:`;
//! `if (…)` bodies (false: not deployed, children included; unknown: deployed); `[for …]`
//! loops (one instance per element, none for an empty array, a skipped element when its `if`
//! is false, and one instance with the loop variables unknown when the array does not
//! resolve); and local modules to any depth, their parameters fed from the caller's `params`
//! evaluated in the caller. Registry modules (`br:`, `ts:`) and JSON templates used as modules
//! are notices. `existing` resources deploy nothing, but slots nested in them do.
//!
//! Addresses: a resource's symbolic name; a nested slot is `site::slot`; each module adds its
//! name and ` > `, e.g. `web > inner > site`. A loop instance is named with its index
//! (`sites[1]`, `web[0] > site`) and, when it resolves, the site's `name`.

use std::collections::HashSet;
use std::path::PathBuf;

use crate::error::FileError;
use crate::model::Resource;
use crate::value::{Traced, Val};

use super::ast::{DeclBody, Expr, ExprKind, ModuleDecl, ObjectExpr, ResourceDecl, StatementKind};
use super::eval::{Env, Frame, loop_frame, unknown};
use super::inputs;
use super::lower::{self, SiteDecl};
use super::outline;
use super::project::{Parsed, Project};
use super::scope::{Role, Scope};
use crate::arm::identity::Target;
use crate::budget::Limit;
use crate::limits::{MAX_BICEP_MODULE_DEPTH, MAX_COPY};

/// The in-scope site type.
pub const SITE_TYPE: &str = "Microsoft.Web/sites";
/// The in-scope slot type.
pub const SLOT_TYPE: &str = "Microsoft.Web/sites/slots";

/// One part of an address: as declared, and for the instance being walked.
#[derive(Debug, Clone)]
pub struct Part {
    pub declared: String,
    pub instance: String,
    pub looped: bool,
}

impl Part {
    fn new(name: &str, index: Option<usize>) -> Part {
        Part {
            declared: name.to_string(),
            instance: match index {
                Some(i) => format!("{name}[{i}]"),
                None => name.to_string(),
            },
            looped: index.is_some(),
        }
    }
}

/// The site a slot is nested under.
struct ParentSite<'e> {
    kind: Option<&'e Expr>,
    /// Its body (a nested slot's parent is named by it).
    body: &'e ObjectExpr,
    names: Vec<Part>,
}

/// Walks one scenario of one root file and the modules it calls.
pub struct Walker<'p, 'l> {
    project: &'p Project<'l>,
    scenario: Option<String>,
    pub resources: Vec<Resource>,
    /// Notices (modules not followed) and errors (a missing module, a cycle).
    pub errors: Vec<FileError>,
    /// The Azure Policy assignments of the control in the files walked.
    pub policies: Vec<crate::model::guardrail::PolicyAssignment>,
    /// The files being walked, root first, to stop module cycles.
    stack: Vec<PathBuf>,
    /// The declarations (by address) walked after the instance limit: each is walked once
    /// more with evaluation stopped, so its sites are reported rather than dropped, and the
    /// walk stays linear in the files' size.
    unbudgeted: HashSet<usize>,
    /// Where the sites being walked are deployed: set by the `scope:` of the modules around
    /// them.
    target: Target,
}

impl<'p, 'l> Walker<'p, 'l> {
    pub fn new(project: &'p Project<'l>, root: &Parsed, scenario: Option<String>) -> Self {
        Walker {
            project,
            scenario,
            resources: Vec::new(),
            errors: Vec::new(),
            policies: Vec::new(),
            stack: vec![root.path.clone()],
            unbudgeted: HashSet::new(),
            target: Target::default(),
        }
    }

    /// Walks the declarations of the file `scope` evaluates; `modules` are the module calls
    /// around it.
    pub fn file(&mut self, scope: &Scope<'_>, modules: &[Part]) {
        super::imports::check(self.project, scope.file);
        let env = Env::new(scope, None);
        self.policies
            .extend(super::policy::find(&scope.file.program, env));
        for statement in &scope.file.program.statements {
            match &statement.kind {
                StatementKind::Resource(decl) => self.resource(env, decl, None, modules),
                StatementKind::Module(decl) => self.module(env, decl, modules),
                _ => {}
            }
        }
    }

    fn resource(
        &mut self,
        env: Env<'_>,
        decl: &ResourceDecl,
        parent: Option<&ParentSite<'_>>,
        modules: &[Part],
    ) {
        let Some(written) = decl.type_string.literal() else {
            return;
        };
        let short = written.split('@').next().unwrap_or(written);
        let full_type = match parent {
            Some(_) if !short.contains('/') => format!("{SITE_TYPE}/{short}"),
            _ => short.to_string(),
        };
        let is_site = full_type.eq_ignore_ascii_case(SITE_TYPE);
        let is_slot = full_type.eq_ignore_ascii_case(SLOT_TYPE);
        if !is_site && !is_slot {
            return;
        }
        let file = env.scope.file;
        self.each_instance(env, &decl.body, |walker, env, body, index| {
            let mut names = parent.map(|p| p.names.clone()).unwrap_or_default();
            names.push(Part::new(&decl.name.name, index));
            if !decl.existing {
                let (address, mut instance) = address(modules, &names);
                if let Some(instance) = instance.as_mut()
                    && let Some(name) = lower::resolved_name(env, body)
                {
                    instance.push_str(&format!(" ({name})"));
                }
                let parent_kind = match parent {
                    Some(parent) => parent.kind,
                    None => top_level_parent_kind(file, body),
                };
                let site = SiteDecl {
                    decl,
                    body,
                    file: file.id,
                    resource_type: full_type.clone(),
                    is_slot,
                    parent_kind,
                    parent_body: parent.map(|p| p.body),
                    target: walker.target.clone(),
                    address,
                    instance,
                    scenario: walker.scenario.clone(),
                };
                walker.resources.push(lower::lower(&site, env));
            }
            if is_site {
                let this = ParentSite {
                    kind: body.property("kind").map(|p| &p.value),
                    body,
                    names,
                };
                for child in body.child_resources() {
                    if let StatementKind::Resource(child) = &child.kind {
                        walker.resource(env, child, Some(&this), modules);
                    }
                }
            }
        });
    }

    fn module(&mut self, env: Env<'_>, decl: &ModuleDecl, modules: &[Part]) {
        let file = env.scope.file;
        let name = &decl.name.name;
        let Some(path) = decl.path.literal() else {
            return;
        };
        let at = decl.path.span;
        if outline::is_registry(path) {
            self.errors.push(FileError::notice(
                file.source.path(),
                Some(at),
                format!(
                    "module `{name}` comes from a registry (`{path}`), which certgate cannot \
                     read: the resources it deploys are not checked"
                ),
            ));
            return;
        }
        if outline::is_json(path) {
            self.errors.push(FileError::notice(
                file.source.path(),
                Some(at),
                format!(
                    "module `{name}` is the ARM template `{path}`: certgate does not pass these \
                     `params` into JSON templates; the template is judged on its own when it \
                     is scanned"
                ),
            ));
            return;
        }
        let target = file.resolve(path);
        let loader = self.project.loader;
        if let Some(root) = loader.root().filter(|_| !loader.allowed(&target)) {
            self.errors.push(FileError::notice(
                file.source.path(),
                Some(at),
                root.outside_message(&format!("module `{name}` (`{path}`)"), &target),
            ));
            return;
        }
        if !is_bicep(&target) {
            // Parsing another kind of file would show pieces of it in syntax errors.
            self.errors.push(FileError::at(
                file.source.path(),
                at,
                format!("module `{name}`: `{path}` is not followed: it is not a `.bicep` file"),
            ));
            return;
        }
        if let Some(why) = loader.not_a_file(&target) {
            let message = if why == "it does not exist" {
                format!("module `{name}`: `{path}` does not exist")
            } else {
                format!("module `{name}`: `{path}` is not followed: {why}")
            };
            self.errors
                .push(FileError::at(file.source.path(), at, message));
            return;
        }
        if !self.project.relevant(&target) {
            return;
        }
        if let Some(start) = self.stack.iter().position(|p| *p == target) {
            let chain: Vec<String> = self.stack[start..]
                .iter()
                .chain([&target])
                .map(|p| super::params::display_name(p))
                .collect();
            self.errors.push(FileError::at(
                file.source.path(),
                at,
                format!(
                    "module `{name}` is not followed: the modules call each other in a cycle \
                     ({})",
                    chain.join(" → ")
                ),
            ));
            return;
        }
        if self.stack.len() > MAX_BICEP_MODULE_DEPTH {
            self.errors.push(FileError::at(
                file.source.path(),
                at,
                format!(
                    "module `{name}` is nested more than {MAX_BICEP_MODULE_DEPTH} modules deep: \
                     it is not followed"
                ),
            ));
            return;
        }
        let Some(child) = self.project.parsed(&target) else {
            return;
        };
        self.each_instance(env, &decl.body, |walker, env, body, index| {
            let inputs = inputs::module_inputs(env, body, name, &child);
            let scope = Scope::new(
                &child,
                Role::Template,
                inputs,
                format!("module `{name}` does not pass it"),
                env.scope.budget,
            )
            .with_imports(env.scope.imports);
            let mut chain = modules.to_vec();
            chain.push(Part::new(name, index));
            let inside = super::identity::module_target(env, body, name, &walker.target);
            let outside = std::mem::replace(&mut walker.target, inside);
            walker.stack.push(target.clone());
            walker.file(&scope, &chain);
            walker.stack.pop();
            walker.target = outside;
        });
    }

    /// Calls `visit` once per deployed instance of a declaration body, with the loop variables
    /// bound and the instance's index when it is one of a loop's.
    fn each_instance<'e>(
        &mut self,
        env: Env<'e>,
        body: &'e DeclBody,
        mut visit: impl FnMut(&mut Self, Env<'_>, &'e ObjectExpr, Option<usize>),
    ) {
        match body {
            DeclBody::Object(object) => {
                self.budgeted(env, body, |w| visit(w, env, object, None));
            }
            DeclBody::If {
                condition,
                body: object,
            } => {
                // An unknown condition counts as deployed.
                if env.eval(condition).val != Val::Bool(false) {
                    self.budgeted(env, body, |w| visit(w, env, object, None));
                }
            }
            DeclBody::For(for_expr) => {
                let ExprKind::Object(object) = &for_expr.body.kind else {
                    return;
                };
                let items = match env.iterate(&for_expr.iterable) {
                    Ok(items) if items.len() <= MAX_COPY => items,
                    Ok(items) => {
                        let why = format!(
                            "the loop has {} elements, more than the {MAX_COPY} Azure allows",
                            items.len()
                        );
                        return self.unknown_loop(env, for_expr, object, why, visit);
                    }
                    Err(traced) => {
                        let why = match traced.val {
                            Val::Unknown(why) => why,
                            other => other.type_name().to_string(),
                        };
                        let why = format!(
                            "the loop over `{}` cannot be resolved: {why}",
                            env.text_of(for_expr.iterable.span)
                        );
                        return self.unknown_loop(env, for_expr, object, why, visit);
                    }
                };
                for (index, item) in items.into_iter().enumerate() {
                    let position = Traced::here(Val::Number(index as f64));
                    let frame = loop_frame(for_expr, item, position, env.locals);
                    let inner = env.with(&frame);
                    if let Some(condition) = &for_expr.condition
                        && inner.eval(condition).val == Val::Bool(false)
                    {
                        continue;
                    }
                    if !self.budgeted(inner, body, |w| visit(w, inner, object, Some(index))) {
                        return;
                    }
                }
            }
        }
    }

    /// A loop whose array does not resolve: judged once, with its variables unknown.
    fn unknown_loop<'e>(
        &mut self,
        env: Env<'e>,
        for_expr: &'e super::ast::ForExpr,
        object: &'e ObjectExpr,
        why: String,
        mut visit: impl FnMut(&mut Self, Env<'_>, &'e ObjectExpr, Option<usize>),
    ) {
        let frame: Frame<'_> = loop_frame(for_expr, unknown(why.clone()), unknown(why), env.locals);
        let inner = env.with(&frame);
        if let Some(condition) = &for_expr.condition
            && inner.eval(condition).val == Val::Bool(false)
        {
            return;
        }
        self.budgeted(inner, for_expr, |w| visit(w, inner, object, None));
    }

    /// Visits one instance of the declaration `body` within the instance limit; past it, the
    /// declaration's first instance is visited with evaluation stopped (so its sites are
    /// reported, literals judged) and false says that further instances are skipped.
    fn budgeted<T>(&mut self, env: Env<'_>, body: &T, visit: impl FnOnce(&mut Self)) -> bool {
        let budget = env.scope.budget;
        if budget.instance() {
            visit(self);
            return true;
        }
        if self.unbudgeted.insert(body as *const T as usize) {
            budget.stopped(Limit::Instances, || visit(self));
        }
        false
    }
}

/// The declaration's address (modules, then `::`-joined resource names) and, when a loop is
/// involved, the instance's.
fn address(modules: &[Part], names: &[Part]) -> (String, Option<String>) {
    let join = |pick: fn(&Part) -> &str| {
        let mut parts: Vec<&str> = modules.iter().map(pick).collect();
        let own = names.iter().map(pick).collect::<Vec<_>>().join("::");
        parts.push(&own);
        parts.join(" > ")
    };
    let declared = join(|p| &p.declared);
    let looped = modules.iter().chain(names).any(|p| p.looped);
    (declared, looped.then(|| join(|p| &p.instance)))
}

/// For a top-level slot (`parent: site`), the `kind` written on the site it names.
fn top_level_parent_kind<'a>(file: &'a Parsed, body: &ObjectExpr) -> Option<&'a Expr> {
    let parent = &body.property("parent")?.value;
    let symbol = match &parent.kind {
        ExprKind::Ident(name) => name,
        ExprKind::Index { object, .. } => match &object.kind {
            ExprKind::Ident(name) => name,
            _ => return None,
        },
        _ => return None,
    };
    match &file.symbol(symbol)?.kind {
        StatementKind::Resource(site) => site
            .body
            .object()
            .and_then(|object| object.property("kind"))
            .map(|p| &p.value),
        _ => None,
    }
}

/// Whether a module path names a Bicep file (by its extension, as Bicep requires).
fn is_bicep(path: &std::path::Path) -> bool {
    crate::file_kind::FileKind::of(path) == Some(crate::file_kind::FileKind::Bicep)
}
