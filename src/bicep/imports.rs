//! Bicep compile-time imports: `import {a, b as c} from 'shared.bicep'` and
//! `import * as ns from 'shared.bicep'` of `@export()` variables and functions.
//!
//! Bicep copies an imported declaration into the importing template when it compiles it, so an
//! imported variable is known wherever its exporting file's literals are: it is evaluated in a
//! scope of the exporting file with no parameter values (exported variables may only use
//! constants, other variables and imports), memoised per file for the scenario, and its origin
//! hop ([`OriginKind::ImportedVariable`]) points into the exporting file, so an origin fix edits
//! the export. An imported function runs in the exporting file's scope with the call's
//! arguments, on the same budget as everything else.
//!
//! Local sources are read through the loader (inside the project root, as modules are).
//! Registry sources (`br:`, `ts:`) cannot be read: most import only types, so they give no
//! notice; a value that uses an imported name is unknown, naming the source. Imports never
//! make or unmake roots: only `module` declarations do.
//!
//! [`check`] reports, once per file, what Bicep refuses: a missing file, a name that is not
//! declared or not `@export()`ed, and imports that lead back to the file (a cycle) or nest
//! deeper than [`MAX_BICEP_IMPORT_DEPTH`].

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use crate::error::FileError;
use crate::limits::MAX_BICEP_IMPORT_DEPTH;
use crate::model::OriginKind;
use crate::value::Traced;

use super::ast::{Import, Statement, StatementKind, StringExpr};
use super::eval::{Env, Frame, Step, unknown};
use super::outline;
use super::params::display_name;
use super::project::{Parsed, Project};
use super::scope::{Budget, Role, Scope};

/// The imported declarations of one scenario: the files they come from, and the variables
/// already evaluated.
pub struct Imports<'p> {
    project: &'p Project<'p>,
    budget: &'p Budget,
    /// Whole values of imported variables, by exporting file and name.
    memo: RefCell<HashMap<(PathBuf, String), Traced>>,
    /// The imported variables being evaluated, outermost first (for cycles).
    active: RefCell<Vec<(PathBuf, String)>>,
}

/// Why an import's source cannot be followed.
enum Unavailable {
    /// A registry reference or an ARM template: valid Bicep that certgate does not read.
    Unread(String),
    /// Outside the project root: a notice.
    Outside(String),
    /// Bicep would refuse it (missing file, not a file, not parsed).
    Broken(String),
}

impl Unavailable {
    fn reason(self) -> String {
        match self {
            Unavailable::Unread(why) | Unavailable::Outside(why) | Unavailable::Broken(why) => why,
        }
    }
}

impl<'p> Imports<'p> {
    pub fn new(project: &'p Project<'p>, budget: &'p Budget) -> Self {
        Imports {
            project,
            budget,
            memo: RefCell::default(),
            active: RefCell::default(),
        }
    }

    /// The value of `used` (a name the import statement `import` of `file` brings in),
    /// followed by `steps`. For a wildcard import the first step names the declaration.
    pub fn value(&self, file: &Parsed, import: &Import, used: &str, steps: &[Step]) -> Traced {
        let (from, original, steps) = match resolve_name(import, used, steps) {
            Ok(found) => found,
            Err(why) => return unknown(why),
        };
        let target = match source(self.project, file, from) {
            Ok(target) => target,
            Err(why) => return unknown(format!("`{used}` is imported: {}", why.reason())),
        };
        let statement = match exported(&target, &original) {
            Ok(statement) => statement,
            Err(why) => return unknown(why),
        };
        match &statement.kind {
            StatementKind::Var { .. } => self.variable(&target, statement, &original, steps),
            StatementKind::Func { .. } => unknown(format!(
                "`{original}` is an imported function: call it with `()`"
            )),
            _ => unknown(format!("`{original}` is an imported type, not a value")),
        }
    }

    /// An exported variable of `target`, evaluated in its own file's scope.
    fn variable(
        &self,
        target: &Arc<Parsed>,
        statement: &Statement,
        name: &str,
        steps: &[Step],
    ) -> Traced {
        let key = (target.path.clone(), name.to_string());
        if steps.is_empty()
            && let Some(done) = self.memo.borrow().get(&key)
        {
            return if self.budget.charge(crate::budget::weight(&done.val)) {
                done.clone()
            } else {
                unknown(self.budget.reason())
            };
        }
        if let Some(start) = self.active.borrow().iter().position(|a| *a == key) {
            let chain: Vec<String> = self.active.borrow()[start..]
                .iter()
                .chain([&key])
                .map(|(path, name)| format!("`{name}` ({})", display_name(path)))
                .collect();
            return unknown(format!(
                "imported variables refer to each other in a cycle: {}",
                chain.join(" → ")
            ));
        }
        self.active.borrow_mut().push(key.clone());
        let cuts = self.budget.cuts();
        let scope = self.scope_of(target);
        let result = scope.lookup_as(statement, name, steps, OriginKind::ImportedVariable);
        self.active.borrow_mut().pop();
        if steps.is_empty() && self.budget.cuts() == cuts {
            self.memo.borrow_mut().insert(key, result.clone());
        }
        result
    }

    /// A call of `used` (brought in by `import`), or of `ns.used` for a wildcard import, with
    /// `args` evaluated by the caller, followed by `steps`.
    pub fn call(
        &self,
        file: &Parsed,
        import: &Import,
        used: &str,
        args: Vec<Traced>,
        steps: &[Step],
    ) -> Traced {
        let (from, original) = match import {
            Import::Symbols { symbols, from } => match symbols
                .iter()
                .find(|s| s.alias.as_ref().unwrap_or(&s.name).name == used)
            {
                Some(symbol) => (from, symbol.name.name.clone()),
                None => return unknown(format!("`{used}` is not imported")),
            },
            Import::Wildcard { from, .. } => (from, used.to_string()),
            Import::Extension { .. } => {
                return unknown(format!("`{used}()` belongs to an extension"));
            }
        };
        let target = match source(self.project, file, from) {
            Ok(target) => target,
            Err(why) => return unknown(format!("`{used}()` is imported: {}", why.reason())),
        };
        let statement = match exported(&target, &original) {
            Ok(statement) => statement,
            Err(why) => return unknown(why),
        };
        let StatementKind::Func { params, body, .. } = &statement.kind else {
            return unknown(format!(
                "`{original}` is imported, but it is not a function"
            ));
        };
        if params.len() != args.len() {
            return unknown(format!(
                "function `{original}()` takes {} arguments, got {}",
                params.len(),
                args.len()
            ));
        }
        let scope = self.scope_of(&target);
        // A function sees only its parameters and its own file's declarations.
        let frame = Frame {
            bindings: params
                .iter()
                .map(|p| p.name.name.as_str())
                .zip(args)
                .collect(),
            next: None,
        };
        Env::new(&scope, Some(&frame)).at(body, steps)
    }

    /// A scope of an exporting file: no parameter values, and its own imports followed.
    fn scope_of<'s>(&'s self, target: &'s Parsed) -> Scope<'s> {
        Scope::new(
            target,
            Role::Template,
            HashMap::new(),
            "an imported file gets no parameter values".to_string(),
            self.budget,
        )
        .with_imports(Some(self))
    }
}

/// The source, exported name and remaining steps `used` stands for.
fn resolve_name<'i>(
    import: &'i Import,
    used: &str,
    steps: &'i [Step],
) -> Result<(&'i StringExpr, String, &'i [Step]), String> {
    match import {
        Import::Symbols { symbols, from } => symbols
            .iter()
            .find(|s| s.alias.as_ref().unwrap_or(&s.name).name == used)
            .map(|symbol| (from, symbol.name.name.clone(), steps))
            .ok_or_else(|| format!("`{used}` is not imported")),
        Import::Wildcard { from, .. } => match steps.split_first() {
            Some((
                Step {
                    key: crate::value::Key::Name(name),
                    ..
                },
                rest,
            )) => Ok((from, name.clone(), rest)),
            _ => Err(format!(
                "`{used}` is the namespace of an import, not a value"
            )),
        },
        Import::Extension { .. } => Err(format!("`{used}` is an extension, not a value")),
    }
}

/// The parsed file an import names, or why it cannot be followed.
fn source(
    project: &Project<'_>,
    file: &Parsed,
    from: &StringExpr,
) -> Result<Arc<Parsed>, Unavailable> {
    let Some(path) = from.literal() else {
        return Err(Unavailable::Broken(
            "the file it comes from is not a plain string".into(),
        ));
    };
    if outline::is_registry(path) {
        return Err(Unavailable::Unread(format!(
            "it comes from the registry (`{path}`), which certgate cannot read"
        )));
    }
    if outline::is_json(path) {
        return Err(Unavailable::Unread(format!(
            "it comes from the ARM template `{path}`, which certgate does not import from"
        )));
    }
    let target = file.resolve(path);
    let loader = project.loader;
    if let Some(root) = loader.root().filter(|_| !loader.allowed(&target)) {
        return Err(Unavailable::Outside(
            root.outside_message(&format!("the import from `{path}`"), &target),
        ));
    }
    if let Some(why) = loader.not_a_file(&target) {
        // `why` reads "it does not exist", "it is a directory", …
        let why = why.strip_prefix("it ").unwrap_or(&why);
        return Err(Unavailable::Broken(format!("`{path}` {why}")));
    }
    project
        .parsed(&target)
        .ok_or_else(|| Unavailable::Broken(format!("`{path}` cannot be read")))
}

/// The declaration `name` of `target`, when it is `@export()`ed as Bicep requires.
fn exported<'f>(target: &'f Parsed, name: &str) -> Result<&'f Statement, String> {
    let file = display_name(&target.path);
    let statement = target
        .program
        .statements
        .iter()
        .find(|statement| declared_name(statement) == Some(name))
        .ok_or_else(|| format!("`{name}` is not declared in {file}"))?;
    if statement
        .decorators
        .iter()
        .any(|d| d.name() == Some("export"))
    {
        Ok(statement)
    } else {
        Err(format!(
            "`{name}` in {file} is not marked `@export()`, so it cannot be imported (Bicep \
             refuses this import)"
        ))
    }
}

/// The name a `var`, `func` or `type` declares (the statements `@export()` applies to).
fn declared_name(statement: &Statement) -> Option<&str> {
    match &statement.kind {
        StatementKind::Var { name, .. }
        | StatementKind::Func { name, .. }
        | StatementKind::Type { name, .. } => Some(&name.name),
        _ => None,
    }
}

/// The import statements of `file` that name another file, with their sources.
fn imports_of(file: &Parsed) -> impl Iterator<Item = (&Import, &StringExpr)> {
    file.program
        .statements
        .iter()
        .filter_map(|statement| match &statement.kind {
            StatementKind::Import(
                import @ (Import::Symbols { from, .. } | Import::Wildcard { from, .. }),
            ) => Some((import, from)),
            _ => None,
        })
}

/// Reports, once per file, what Bicep would refuse in the imports of `file` and of the files
/// it imports from: sources that are missing or outside the root, names not exported, and
/// imports leading back to `file` or nesting too deep. Called for every file the walk visits.
pub fn check(project: &Project<'_>, file: &Parsed) {
    if !project.first_import_check(&file.path) {
        return;
    }
    let mut visited = HashSet::from([file.path.clone()]);
    for (_, from) in imports_of(file) {
        let Ok(target) = source(project, file, from) else {
            continue;
        };
        let chain = vec![file.path.clone(), target.path.clone()];
        if let Some(problem) = leads_back(project, &target, &file.path, chain, &mut visited) {
            project
                .loader
                .record(FileError::at(file.source.path(), from.span, problem));
        }
    }
    validate(project, file, 0);
}

/// Whether the imports of `current` lead back to `start`: the message, when they do (or nest
/// deeper than Bicep templates do).
fn leads_back(
    project: &Project<'_>,
    current: &Parsed,
    start: &PathBuf,
    chain: Vec<PathBuf>,
    visited: &mut HashSet<PathBuf>,
) -> Option<String> {
    if current.path == *start {
        let names: Vec<String> = chain.iter().map(|p| display_name(p)).collect();
        return Some(format!(
            "the files import each other in a cycle ({}); Bicep refuses cyclic imports",
            names.join(" → ")
        ));
    }
    if !visited.insert(current.path.clone()) {
        return None;
    }
    if chain.len() > MAX_BICEP_IMPORT_DEPTH {
        return Some(format!(
            "imports nest more than {MAX_BICEP_IMPORT_DEPTH} files deep, deeper than certgate \
             checks"
        ));
    }
    for (_, from) in imports_of(current) {
        let Ok(target) = source(project, current, from) else {
            continue;
        };
        let mut longer = chain.clone();
        longer.push(target.path.clone());
        if let Some(problem) = leads_back(project, &target, start, longer, visited) {
            return Some(problem);
        }
    }
    None
}

/// Records the problems of `file`'s own imports, then of the files it imports from (each file
/// once).
fn validate(project: &Project<'_>, file: &Parsed, depth: usize) {
    if depth > MAX_BICEP_IMPORT_DEPTH || !project.first_import_validation(&file.path) {
        return;
    }
    let at = |span, message: String| FileError::at(file.source.path(), span, message);
    for (import, from) in imports_of(file) {
        let target = match source(project, file, from) {
            Ok(target) => target,
            Err(Unavailable::Unread(_)) => continue,
            Err(Unavailable::Outside(why)) => {
                let notice = FileError::notice(file.source.path(), Some(from.span), why);
                project.loader.record(notice);
                continue;
            }
            Err(Unavailable::Broken(why)) => {
                project
                    .loader
                    .record(at(from.span, format!("the import is not followed: {why}")));
                continue;
            }
        };
        if let Import::Symbols { symbols, .. } = import {
            for symbol in symbols {
                if let Err(why) = exported(&target, &symbol.name.name) {
                    project.loader.record(at(symbol.name.span, why));
                }
            }
        }
        validate(project, &target, depth + 1);
    }
}
