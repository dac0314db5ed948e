//! The Terraform configurations in a scan: the shared module cache, and the walk of each root's
//! module tree (local calls, and registry or git calls installed by `terraform
//! init` per `.terraform/modules/modules.json`), producing one resource per block instance.
//!
//! Every directory is parsed once and shared ([`Project::module`]): a child called by ten
//! callers is parsed once and evaluated ten times, once per call instance.

use crate::path_map::{PathHashMap, PathHashSet};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use super::Inputs;
use super::dispatch;
use super::eval::{Budget, InstanceKeys};
use super::instance::{self, Children, Expansion, ModuleScope, VarSource};
use super::memo::{JudgedRoot, Memo};
use super::module::{self, Module, ModuleFile};
use super::syntax::{Attribute, ModuleCall};
use super::tfvars::{self, CommandLine};
use super::types::{self, ProviderVersion};
use super::{embedded, lower, version};
use crate::error::FileError;
use crate::limits::{MAX_TERRAFORM_MODULE_DEPTH, MAX_TERRAFORM_MODULE_INSTANCES};
use crate::load::Loader;
use crate::model::Resource;
use crate::paths::normalize;
use crate::source::FileId;

/// A root's judged resources, with the errors and notices found on the way.
pub type Judged = (Vec<Resource>, Vec<FileError>);

use crate::file_kind::TERRAFORM_LOCK_FILE as LOCK_FILE;

/// Shared state for every root of one scan.
pub struct Project<'a> {
    loader: &'a Loader<'a>,
    pub command_line: CommandLine,
    modules: ModuleSlots,
    /// Helper modules read in full for their outputs (see [`Project::module_full`]).
    full_modules: ModuleSlots,
    /// Modules the earlier scan's memo held stripped, parsed again for a walk (see
    /// [`Project::declared`]).
    declared: ModuleSlots,
    /// Whether each module directory asked about exists: every root asks again.
    existing: Mutex<PathHashMap<PathBuf, bool>>,
    /// [`MAX_TERRAFORM_MODULE_INSTANCES`]; tests lower it.
    pub(crate) max_module_instances: usize,
    /// Modules an earlier scan parsed, taken instead of parsing their directories again, and
    /// roots it judged, taken instead of walking them again.
    earlier: Memo,
    /// The earlier modules of directories holding a changed file (see `Memo::previous`),
    /// each taken by the first parse of its directory.
    previous: Mutex<super::memo::SetAside>,
    /// The roots judged so far, with what their walks read, when kept for a later scan.
    judged: Mutex<PathHashMap<PathBuf, Arc<JudgedRoot>>>,
    keep: bool,
    /// The command line's inputs: every root reads them.
    inputs: Inputs,
    /// Files the walks judged through a Terraform caller (`dispatch::Lowered::consumed`).
    consumed: Mutex<std::collections::BTreeSet<PathBuf>>,
    /// The Azure Policy assignments of the control the walks found.
    policies: Mutex<Vec<crate::model::guardrail::PolicyAssignment>>,
}

impl<'a> Project<'a> {
    pub fn new(loader: &'a Loader<'a>, inputs: &Inputs) -> Self {
        Project {
            loader,
            command_line: CommandLine::new(inputs, loader),
            modules: Mutex::default(),
            full_modules: Mutex::default(),
            declared: Mutex::default(),
            existing: Mutex::default(),
            max_module_instances: MAX_TERRAFORM_MODULE_INSTANCES,
            earlier: Memo::default(),
            previous: Mutex::default(),
            judged: Mutex::default(),
            keep: false,
            inputs: inputs.clone(),
            consumed: Mutex::default(),
            policies: Mutex::default(),
        }
    }

    /// The same project, taking `earlier`'s modules instead of parsing their directories (the
    /// loader's source map must start with the files of the scan that parsed them), and
    /// keeping the roots it judges for [`Project::into_memo`] when `keep`.
    pub fn with_memo(self, mut earlier: Memo, keep: bool) -> Self {
        Project {
            previous: Mutex::new(earlier.take_previous()),
            earlier,
            keep,
            ..self
        }
    }

    /// The modules parsed or taken and the roots judged, for a later scan (with the relevance
    /// decisions of the memo this project started from).
    pub fn into_memo(self) -> Memo {
        let modules = self.modules.into_inner().unwrap_or_else(|p| p.into_inner());
        Memo {
            modules: modules
                .into_iter()
                .filter_map(|(dir, slot)| Some((dir, slot.get()?.clone())))
                .collect(),
            judged: self.judged.into_inner().unwrap_or_else(|p| p.into_inner()),
            inputs: self.inputs,
            previous: Default::default(),
            // What changed was this scan's news: a later scan says its own.
            changed_places: Default::default(),
            ..self.earlier
        }
    }

    /// The module in `dir`, parsed on first use.
    pub fn module(&self, dir: &Path) -> Arc<Module> {
        let dir = normalize(dir);
        once_per_dir(&self.modules, &dir, || {
            self.earlier
                .get(&dir)
                .unwrap_or_else(|| Arc::new(self.parse(dir.clone(), false)))
        })
    }

    /// The module in `dir` with its declarations, for a walk: [`Project::module`], unless the
    /// earlier scan's memo held it stripped ([`Module::strip`]); then the directory is parsed
    /// again as [`Project::module`] parsed it (its errors are reported from the stripped one).
    pub fn declared(&self, dir: &Path) -> Arc<Module> {
        let module = self.module(dir);
        if !module.stripped {
            return module;
        }
        once_per_dir(&self.declared, &module.dir, || {
            Arc::new(self.parse(module.dir.clone(), false))
        })
    }

    /// The module in `dir` with every file read: a helper module that deploys nothing is read
    /// by [`Project::module`] for its provider constraints only, but a caller may read its
    /// outputs. Its parse errors are not reported (no verdict of its own depends on them).
    pub fn module_full(&self, dir: &Path) -> Arc<Module> {
        let module = self.declared(dir);
        if module.complete {
            return module;
        }
        once_per_dir(&self.full_modules, &module.dir, || {
            Arc::new(self.parse(module.dir.clone(), true))
        })
    }

    fn parse(&self, dir: PathBuf, full: bool) -> Module {
        let listing =
            (self.loader).list_module_dir(&dir, crate::file_kind::is_terraform_module_file);
        let earlier = crate::lock::lock(&self.previous).remove(&dir);
        let mut files: Vec<ModuleFile> = listing
            .iter()
            .filter(|path| module::is_configuration_file(path))
            .filter_map(|path| {
                (earlier.as_ref())
                    .and_then(|(module, same)| self.unchanged_file(module, same, path))
                    .or_else(|| {
                        self.loader.file(path).map(|loaded| ModuleFile {
                            id: loaded.id,
                            source: loaded.source,
                        })
                    })
            })
            .collect();
        // A directory with no in-scope type and no module call deploys no site (a helper
        // module reached through a call): only its provider constraints can matter, so only
        // the files stating one are parsed. The byte search is the one discovery uses.
        let deploys = full
            || files
                .iter()
                .any(|file| super::interest::interests(file.source.text().as_bytes()));
        if !deploys {
            files.retain(|file| {
                let text = file.source.text();
                ["required_providers", "provider \"azurerm\"", "\"provider\""]
                    .iter()
                    .any(|needle| text.contains(needle))
            });
        }
        // Moved out when no one else holds it (the earlier memo let it go), else copied.
        let taken = earlier.map(|(module, _)| Arc::try_unwrap(module));
        let mut module = module::assemble_taking(dir, &files, taken);
        module.files = listing;
        module.complete = deploys;
        module
    }

    /// The file `path` of `earlier` (the previous scan's module of its directory) when its
    /// id is among `same` (its contents did not change): the same text under the same id, so
    /// its declarations are taken from `earlier`.
    fn unchanged_file(&self, earlier: &Module, same: &[FileId], path: &Path) -> Option<ModuleFile> {
        let name = path.file_name()?;
        let id = *same
            .iter()
            .find(|id| earlier.paths.get(id).and_then(|p| p.file_name()) == Some(name))?;
        let source = self.loader.sources().get(id);
        Some(ModuleFile { id, source })
    }

    /// Whether `dir` is a directory, asked of the file system once.
    fn is_dir(&self, dir: &Path) -> bool {
        let mut existing = self.existing.lock().unwrap_or_else(|p| p.into_inner());
        *existing
            .entry(dir.to_path_buf())
            .or_insert_with(|| self.loader.is_dir(dir))
    }

    /// Every parse error and duplicate declaration, once per module.
    pub fn module_errors(&self) -> Vec<FileError> {
        let modules = self.modules.lock().unwrap_or_else(|p| p.into_inner());
        modules
            .values()
            .filter_map(|slot| slot.get())
            .flat_map(|module| module.errors.iter().cloned())
            .collect()
    }

    /// Every module read so far.
    pub fn modules(&self) -> Vec<Arc<Module>> {
        let modules = self.modules.lock().unwrap_or_else(|p| p.into_inner());
        modules
            .values()
            .filter_map(|slot| slot.get())
            .cloned()
            .collect()
    }

    /// The directories local calls of `dir`'s module lead to.
    /// A module taken over from an earlier scan keeps the answer that scan got, unless a
    /// changed file lies below a target that was missing then.
    pub fn local_children(&self, dir: &Path) -> Vec<PathBuf> {
        let module = self.module(dir);
        if let Some(known) = module.local_children.get() {
            let appeared =
                (known.absent.iter()).any(|dir| self.earlier.changed_places.contains(dir));
            if !appeared {
                return known.found.clone();
            }
        }
        let mut children = super::module::LocalChildren::default();
        for child in (module.calls.iter())
            .filter_map(|call| local_source(&module.dir, call))
            .filter(|child| self.loader.allowed_dir(child))
        {
            match self.is_dir(&child) {
                true => children.found.push(child),
                false => children.absent.push(child),
            }
        }
        // Kept with the module only for a later scan (the memo); set by the first scan asking.
        // A module taken over with a stale answer keeps it (this scan asked afresh, and so
        // does every later one).
        if !self.keep {
            return children.found;
        }
        let found = children.found.clone();
        let _ = module.local_children.set(children);
        found
    }

    /// The files judged through a Terraform caller so far, sorted.
    pub fn consumed(&self) -> Vec<PathBuf> {
        let consumed = self.consumed.lock().unwrap_or_else(|p| p.into_inner());
        consumed.iter().cloned().collect()
    }

    /// The Azure Policy assignments the walks found so far.
    pub fn policies(&self) -> Vec<crate::model::guardrail::PolicyAssignment> {
        self.policies
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Judges the root module in `dir` and everything it calls.
    pub fn judge_root(&self, dir: &Path) -> Judged {
        let dir = normalize(dir);
        let root = match self.earlier.judged.get(&dir) {
            Some(earlier) => {
                // Its modules are still asked for, so that their parse errors are reported.
                for module in &earlier.modules {
                    self.module(module);
                }
                self.consumed
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .extend(earlier.consumed.iter().cloned());
                self.policies
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .extend(earlier.policies.iter().cloned());
                earlier.clone()
            }
            None => Arc::new(self.walk(&self.declared(&dir), &[])),
        };
        if !self.keep {
            return Arc::try_unwrap(root)
                .map_or_else(|root| root.judged.clone(), |root| root.judged);
        }
        let judged = root.judged.clone();
        self.judged
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(dir, root);
        judged
    }

    /// Judges `module` as a root: with its directory's variables files and lock file.
    #[cfg(test)]
    pub fn judge(&self, module: &Module) -> Judged {
        self.judge_with(module, &[])
    }

    /// [`Project::judge`] with `below`: values under every variables file and `TF_VAR_`
    /// (Terragrunt `inputs`).
    pub fn judge_with(&self, module: &Module, below: &[(String, tfvars::Assignment)]) -> Judged {
        self.walk(module, below).judged
    }

    /// [`Project::judge_with`], also saying which directories the walk read.
    fn walk(&self, module: &Module, below: &[(String, tfvars::Assignment)]) -> JudgedRoot {
        let (assignments, mut errors) =
            tfvars::root_assignments(&module.files, &self.command_line, below, self.loader);
        let budget = super::eval::budget();
        let resolver = Resolver {
            project: self,
            root_dir: module.dir.clone(),
            installed: std::cell::OnceCell::new(),
            looked: Default::default(),
        };
        let mut walk = Walk {
            project: self,
            resolver: &resolver,
            root_dir: module.dir.clone(),
            budget: &budget,
            resources: Vec::new(),
            errors: Vec::new(),
            constraints: Vec::new(),
            installed: None,
            instances: 0,
            beyond_bound: PathHashSet::default(),
            other: Default::default(),
            modules: vec![module.dir.clone()],
            looked: vec![module.dir.join(".terraform/modules")],
        };
        walk.module(
            module,
            VarSource::Root(&assignments),
            &ModulePath::default(),
            &mut vec![module.dir.clone()],
        );
        let version = module
            .files
            .iter()
            .find(|path| path.file_name().is_some_and(|n| n == LOCK_FILE))
            .and_then(|path| self.loader.file(path))
            .and_then(|lock| version::from_lock_file(&lock.source))
            .unwrap_or_else(|| version::from_constraints(&walk.constraints));
        let mut other = std::mem::take(&mut walk.other);
        let consumed: Vec<PathBuf> = other.consumed.drain(..).collect();
        self.consumed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend(consumed.iter().cloned());
        let policies = std::mem::take(&mut other.policies);
        self.policies
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend(policies.iter().cloned());
        super::dispatch::finish(&mut walk.resources, other, &mut walk.errors);
        errors.append(&mut walk.errors);
        if let Some(notice) = budget.notice("root module", None) {
            errors.push(FileError::notice(&module.dir, None, notice));
        }
        let mut looked = walk.looked;
        looked.extend(resolver.looked.take());
        // A file judged through this root is read by it, wherever it lies.
        looked.extend(
            consumed
                .iter()
                .filter_map(|file| file.parent())
                .map(Path::to_path_buf),
        );
        JudgedRoot {
            judged: (with_version(walk.resources, version), errors),
            modules: walk.modules,
            looked,
            consumed,
            policies,
        }
    }
}

/// Sets each resource's control for the provider version found once the whole tree was read.
fn with_version(mut resources: Vec<Resource>, version: ProviderVersion) -> Vec<Resource> {
    for resource in &mut resources {
        if let Some(info) = types::lookup(&resource.resource_type, version) {
            resource.control = info.control;
        }
    }
    resources
}

/// `source = "./…"` or `"../…"`: a directory next to the caller.
/// Modules by directory, each made once: concurrent askers wait for one parse.
type ModuleSlots = Mutex<PathHashMap<PathBuf, Arc<OnceLock<Arc<Module>>>>>;

/// The module of `dir` in `slots`, made by `make` the first time it is asked for.
fn once_per_dir(
    slots: &ModuleSlots,
    dir: &Path,
    make: impl FnOnce() -> Arc<Module>,
) -> Arc<Module> {
    let slot = (slots.lock().unwrap_or_else(|p| p.into_inner()))
        .entry(dir.to_path_buf())
        .or_default()
        .clone();
    slot.get_or_init(make).clone()
}

fn local_source(dir: &Path, call: &ModuleCall) -> Option<PathBuf> {
    let source = call.source()?;
    (source.starts_with("./") || source.starts_with("../")).then(|| normalize(&dir.join(source)))
}

/// Where a module instance sits: `module.web.` for declarations, `module.web[0].` for
/// instances, and the call names (`web`, `child`) that key `modules.json`.
#[derive(Default, Clone)]
struct ModulePath {
    declaration: String,
    instance: String,
    names: Vec<String>,
}

impl ModulePath {
    fn child(&self, name: &str, suffix: &str) -> ModulePath {
        let mut names = self.names.clone();
        names.push(name.to_string());
        ModulePath {
            declaration: format!("{}module.{name}.", self.declaration),
            instance: format!("{}module.{name}{suffix}.", self.instance),
            names,
        }
    }
}

/// Where a root's module calls lead, for reading their outputs: the walk's resolution without
/// its notices (the walk reports each unfollowed call once, where it is declared).
struct Resolver<'p, 'a> {
    project: &'p Project<'a>,
    root_dir: PathBuf,
    installed: std::cell::OnceCell<Option<HashMap<String, PathBuf>>>,
    /// The directories a call led to (see [`JudgedRoot::looked`]).
    looked: std::cell::RefCell<Vec<PathBuf>>,
}

impl Children for Resolver<'_, '_> {
    fn child(
        &self,
        caller: &Module,
        call: &ModuleCall,
        names: &[String],
    ) -> Result<Arc<Module>, String> {
        let loader = self.project.loader;
        let Some(source) = call.source() else {
            return Err("it has no literal `source`".into());
        };
        let dir = match local_source(&caller.dir, call) {
            Some(dir) => dir,
            None => {
                let installed = self.installed.get_or_init(|| {
                    let path = self.root_dir.join(".terraform/modules/modules.json");
                    let loaded = loader
                        .is_file(&path)
                        .then(|| loader.file(&path))
                        .flatten()?;
                    let document = crate::json::parse(loaded.source.text()).ok()?;
                    Some(installed_dirs(&document.root, &self.root_dir))
                });
                let mut key = names.to_vec();
                key.push(call.name.clone());
                let entry = installed.as_ref().and_then(|dirs| dirs.get(&key.join(".")));
                match entry {
                    Some(dir) => dir.clone(),
                    None => {
                        return Err(format!(
                            "source `{source}` is not installed (run `terraform init`)"
                        ));
                    }
                }
            }
        };
        self.looked.borrow_mut().push(dir.clone());
        if !loader.allowed_dir(&dir) {
            return Err(format!("`{}` is outside the project root", shown_dir(&dir)));
        }
        if !self.project.is_dir(&dir) {
            return Err(format!(
                "the directory `{}` does not exist",
                shown_dir(&dir)
            ));
        }
        Ok(self.project.module_full(&dir))
    }
}

/// `modules.json`'s entries, as key → directory under `root_dir`.
fn installed_dirs(root: &crate::json::Json, root_dir: &Path) -> HashMap<String, PathBuf> {
    let entries = root
        .get("Modules")
        .and_then(|m| m.as_array())
        .unwrap_or(&[]);
    entries
        .iter()
        .filter_map(|entry| {
            let key = entry.get("Key")?.as_str()?;
            let dir = entry.get("Dir")?.as_str()?;
            Some((key.to_string(), normalize(&root_dir.join(dir))))
        })
        .collect()
}

/// One root's walk of its module tree.
struct Walk<'p, 'a> {
    project: &'p Project<'a>,
    resolver: &'p Resolver<'p, 'a>,
    root_dir: PathBuf,
    /// Shared by every module instance of the root: the bound is on the whole walk.
    budget: &'p Budget,
    resources: Vec<Resource>,
    errors: Vec<FileError>,
    constraints: Vec<String>,
    /// `.terraform/modules/modules.json`: key → directory, read on first need.
    installed: Option<Option<HashMap<String, PathBuf>>>,
    /// Module instances evaluated so far (bounded by [`Project::max_module_instances`]).
    instances: usize,
    /// Module directories judged with unknown inputs once the bound was reached.
    beyond_bound: PathHashSet<PathBuf>,
    /// What blocks of other types ([`super::dispatch`]) left for after the walk.
    other: super::dispatch::Lowered,
    /// The module directories taken, and the other directories looked in or for (see
    /// [`JudgedRoot`]).
    modules: Vec<PathBuf>,
    looked: Vec<PathBuf>,
}

impl Walk<'_, '_> {
    fn module(
        &mut self,
        module: &Module,
        vars: VarSource,
        path: &ModulePath,
        stack: &mut Vec<PathBuf>,
    ) {
        self.constraints
            .extend(module.azurerm_constraints.iter().cloned());
        let root_dir = self.root_dir.display().to_string();
        let scope = ModuleScope::new(module, vars, self.budget, root_dir).with_children(
            self.resolver,
            path.names.clone(),
            stack.clone(),
        );
        let prefix = dispatch::Prefix {
            declaration: &path.declaration,
            instance: &path.instance,
        };
        for block in &module.resources {
            let Some(info) = types::lookup(&block.resource_type, ProviderVersion::Unknown) else {
                let cx = embedded::Context {
                    loader: self.project.loader,
                    root_dir: &self.root_dir,
                };
                dispatch::lower_other(block, &scope, &prefix, &cx, &mut self.other);
                self.resources.append(&mut self.other.resources);
                self.errors.append(&mut self.other.errors);
                continue;
            };
            for one in prefix.instances(block, &scope) {
                let env = super::eval::Env::new(&one.scope);
                self.resources.push(lower::lower(
                    block,
                    &info,
                    &env,
                    module,
                    one.address,
                    one.instance,
                ));
            }
        }
        for call in &module.calls {
            self.call(module, call, &scope, path, stack);
        }
    }

    fn call(
        &mut self,
        caller: &Module,
        call: &ModuleCall,
        scope: &ModuleScope,
        path: &ModulePath,
        stack: &mut Vec<PathBuf>,
    ) {
        let Some(dir) = self.resolve(caller, call, path) else {
            return;
        };
        let file = caller.path_of(call.header.file);
        if stack.len() > MAX_TERRAFORM_MODULE_DEPTH {
            let message = format!(
                "module `{}` is nested more than {MAX_TERRAFORM_MODULE_DEPTH} calls deep; \
                 certgate stops here",
                call.name
            );
            self.errors.push(FileError::at(file, call.header, message));
            return;
        }
        if let Some(at) = stack.iter().position(|d| *d == dir) {
            let chain: Vec<String> = stack[at..]
                .iter()
                .chain(std::iter::once(&dir))
                .map(|d| format!("`{}`", shown_dir(d)))
                .collect();
            let message = format!(
                "module `{}` calls itself ({}); Terraform rejects recursive modules",
                call.name,
                chain.join(" → ")
            );
            self.errors.push(FileError::at(file, call.header, message));
            return;
        }
        let child = self.project.declared(&dir);
        self.modules.push(dir.clone());
        // A module that declares no site and calls nothing deploys no site whatever its inputs:
        // only its provider constraints count, and its instances need not be evaluated.
        if child.is_inert() {
            self.constraints
                .extend(child.azurerm_constraints.iter().cloned());
            return;
        }
        stack.push(dir.clone());
        let expansion = instances(instance::expand(
            call.attribute("count"),
            call.attribute("for_each"),
            scope,
        ));
        // Inputs that never mention `count` or `each` are the same in every instance of the
        // call, and so is everything the module deploys: evaluate the first instance and copy
        // its resources to the others, under their own addresses.
        let identical = expansion.len() > 1 && call.inputs().all(|input| !per_instance(input));
        let mut first: Option<Evaluated> = None;
        for (keys, suffix) in expansion {
            let bound = self.project.max_module_instances;
            if self.instances >= bound {
                // Judged once more, where the bound was met, with every input unknown: its
                // sites stay in the report, unresolved where they depend on the inputs.
                if self.beyond_bound.insert(dir.clone()) {
                    let reason = format!(
                        "the root module `{}` has more than {bound} module instances, the \
                         most certgate evaluates per root; the inputs of module `{}` and of \
                         instances after it are not evaluated",
                        shown_dir(&self.root_dir),
                        call.name
                    );
                    let path = path.child(&call.name, "");
                    self.module(&child, VarSource::Unknown(&reason), &path, stack);
                }
                break;
            }
            let child_path = path.child(&call.name, &suffix);
            if let Some(first) = &first {
                self.instances += first.instances;
                let copies: Vec<Resource> = self.resources[first.resources.clone()]
                    .iter()
                    .map(|resource| first.moved_to(resource, &child_path.instance))
                    .collect();
                self.resources.extend(copies);
                continue;
            }
            let (resources, instances) = (self.resources.len(), self.instances);
            self.instances += 1;
            let caller = scope.instance(keys);
            let vars = VarSource::Call {
                call,
                caller: &caller,
            };
            self.module(&child, vars, &child_path, stack);
            if identical {
                first = Some(Evaluated {
                    prefix: child_path.instance,
                    resources: resources..self.resources.len(),
                    instances: self.instances - instances,
                });
            }
        }
        stack.pop();
    }

    /// The directory a call leads to, or `None` (with an error or notice recorded).
    fn resolve(
        &mut self,
        caller: &Module,
        call: &ModuleCall,
        path: &ModulePath,
    ) -> Option<PathBuf> {
        let file = caller.path_of(call.header.file);
        let Some(source) = call.source() else {
            let message = format!(
                "module `{}` has no literal `source`; it is not followed",
                call.name
            );
            self.errors
                .push(FileError::notice(file, Some(call.header), message));
            return None;
        };
        let source_span = call.attribute("source").map_or(call.header, |a| a.span);
        if let Some(dir) = local_source(&caller.dir, call) {
            self.looked.push(dir.clone());
            if let Some(message) = self.outside(call, &dir) {
                self.errors
                    .push(FileError::notice(file, Some(source_span), message));
                return None;
            }
            if self.project.is_dir(&dir) {
                return Some(dir);
            }
            let message = match self.project.loader.not_a_dir(&dir) {
                Some(why) if why != "it does not exist" => format!(
                    "module `{}`: `{}` is not followed: {why}",
                    call.name,
                    shown_dir(&dir)
                ),
                _ => format!(
                    "module `{}`: the directory `{}` does not exist",
                    call.name,
                    shown_dir(&dir)
                ),
            };
            self.errors.push(FileError::at(file, source_span, message));
            return None;
        }
        let mut key = path.names.clone();
        key.push(call.name.clone());
        let key = key.join(".");
        let installed = self.installed().map(|dirs| dirs.get(&key).cloned());
        if let Some(Some(dir)) = &installed {
            self.looked.push(dir.clone());
        }
        let message = match installed {
            None => format!(
                "module `{}` (source `{source}`) is not followed: run `terraform init` so \
                 `.terraform/modules/modules.json` exists",
                call.name
            ),
            Some(entry) => match entry {
                Some(dir) if !self.project.loader.allowed_dir(&dir) => self
                    .project
                    .loader
                    .root()
                    .map(|root| {
                        root.outside_message(
                            &format!(
                                "module `{}` (its `.terraform/modules/modules.json` entry)",
                                call.name
                            ),
                            &dir,
                        )
                    })
                    .unwrap_or_default(),
                Some(dir) if self.project.is_dir(&dir) => return Some(dir),
                Some(dir) => format!(
                    "module `{}` (source `{source}`) is not followed: its directory `{}` from \
                     `.terraform/modules/modules.json` does not exist; run `terraform init` again",
                    call.name,
                    shown_dir(&dir)
                ),
                None => format!(
                    "module `{}` (source `{source}`) is not followed: `.terraform/modules/modules.json` \
                     has no entry `{key}`; run `terraform init` again",
                    call.name
                ),
            },
        };
        self.errors
            .push(FileError::notice(file, Some(call.header), message));
        None
    }

    /// The notice for a call whose directory leaves the project root; `None` inside it.
    fn outside(&self, call: &ModuleCall, dir: &Path) -> Option<String> {
        let loader = self.project.loader;
        if loader.allowed_dir(dir) {
            return None;
        }
        let root = loader.root()?;
        Some(root.outside_message(
            &format!(
                "module `{}` (source `{}`)",
                call.name,
                call.source().unwrap_or_default()
            ),
            dir,
        ))
    }

    /// The root's `.terraform/modules/modules.json`, as key → directory.
    fn installed(&mut self) -> Option<&HashMap<String, PathBuf>> {
        if self.installed.is_none() {
            let path = self.root_dir.join(".terraform/modules/modules.json");
            let read = self
                .project
                .loader
                .is_file(&path)
                .then(|| self.read_installed(&path))
                .flatten();
            self.installed = Some(read);
        }
        self.installed.as_ref().and_then(Option::as_ref)
    }

    fn read_installed(&mut self, path: &Path) -> Option<HashMap<String, PathBuf>> {
        let loaded = self.project.loader.file(path)?;
        let document = match crate::json::parse(loaded.source.text()) {
            Ok(document) => document,
            Err(error) => {
                let span = crate::source::Span::new(loaded.id, error.span);
                let message = format!("invalid JSON in modules.json: {}", error.message);
                self.errors.push(FileError::at(path, span, message));
                return None;
            }
        };
        Some(installed_dirs(&document.root, &self.root_dir))
    }
}

/// The first instance of a module call whose instances all get the same inputs.
struct Evaluated {
    /// Its instance address prefix (`module.web[0].`).
    prefix: String,
    /// The resources its walk added to [`Walk::resources`].
    resources: std::ops::Range<usize>,
    /// The module instances its walk counted.
    instances: usize,
}

impl Evaluated {
    /// `resource` as another instance of the call (address prefix `prefix`) deploys it.
    fn moved_to(&self, resource: &Resource, prefix: &str) -> Resource {
        let mut moved = resource.clone();
        if let Some(rest) = resource
            .instance
            .as_deref()
            .and_then(|instance| instance.strip_prefix(self.prefix.as_str()))
        {
            moved.instance = Some(format!("{prefix}{rest}"));
        }
        moved
    }
}

/// Whether a module input may differ between the call's instances: it mentions `count` or
/// `each` (a conservative test on its syntax, which can only make it say yes too often).
fn per_instance(input: &Attribute) -> bool {
    let written = format!("{:?}", input.expr);
    written.contains("count") || written.contains("each")
}

/// The instances to evaluate: an unresolved expansion is evaluated once, with the reason.
pub(super) fn instances(expansion: Expansion) -> Vec<(InstanceKeys, String)> {
    match expansion {
        Expansion::Single => vec![(InstanceKeys::None, String::new())],
        Expansion::Instances(instances) => instances,
        Expansion::Unresolved(reason) => vec![(InstanceKeys::Unknown(reason), String::new())],
    }
}

fn shown_dir(dir: &Path) -> String {
    let text = crate::paths::path_text(dir).to_string();
    if text.is_empty() { ".".into() } else { text }
}
