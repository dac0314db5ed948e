//! One module directory's files assembled as Terraform reads them: primary files in name order,
//! then override files merged over them; a name declared twice is an error.

use std::collections::HashMap;

use super::by_name::ByName;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::syntax::{Attribute, FileItems, ModuleCall, OutputBlock, ResourceBlock, Variable};
use super::{hcl, json_syntax, overrides};
use crate::error::FileError;
use crate::source::{FileId, SourceFile, Span};

/// One file of a Terraform module directory, already loaded.
pub struct ModuleFile {
    pub id: FileId,
    pub source: Arc<SourceFile>,
}

/// A module directory's declarations, ready to be evaluated any number of times.
#[derive(Debug, Default)]
pub struct Module {
    /// The directory, normalised lexically (`crate::paths::normalize`).
    pub dir: PathBuf,
    pub resources: Vec<ResourceBlock>,
    /// `data` blocks: only their written arguments are read (`data.TYPE.NAME.ARG`).
    pub data: Vec<ResourceBlock>,
    pub outputs: ByName<OutputBlock>,
    /// `false` when only the files stating provider constraints were read (a helper module
    /// that deploys nothing, see `Project::parse`): its outputs need a full read.
    pub complete: bool,
    pub variables: ByName<Variable>,
    pub locals: ByName<Attribute>,
    pub calls: Vec<ModuleCall>,
    /// azurerm version constraints from `required_providers`.
    pub azurerm_constraints: Vec<String>,
    /// How many of `azurerm_constraints` each primary file stated, in order (constraints
    /// carry no position; see [`Module::items_of`]).
    constraints_from: Vec<(FileId, usize)>,
    /// Every file of the directory certgate reads (configuration, variables files, the lock
    /// file): a root module's variables files and lock file are found here.
    pub files: Vec<PathBuf>,
    /// The path of each configuration file, for messages that name it.
    pub paths: HashMap<FileId, PathBuf>,
    /// Files that could not be parsed, and duplicate declarations.
    pub errors: Vec<FileError>,
    /// The `"//"` comment properties of each `.tf.json` file that declares a resource.
    pub json_comments: HashMap<FileId, Vec<crate::model::JsonProperty>>,
    /// Whether its resources, data blocks, outputs and locals were dropped
    /// ([`Module::strip`]): a walk parses the directory again instead.
    pub stripped: bool,
    /// Files whose declarations were dropped ([`Module::prune`]): the module is no longer
    /// taken whole, only the other files' declarations are.
    pub pruned: Vec<FileId>,
    /// Where its local calls lead, once a scan asked ([`LocalChildren`]): kept with the
    /// module, so a re-scan taking it over does not ask the file system again.
    pub local_children: std::sync::OnceLock<LocalChildren>,
}

/// Where a module's local calls lead, as the file system answered: the directories that
/// exist, and the targets that did not (a new file below one can make it exist, so the
/// answer holds only while no changed file lies below those).
#[derive(Debug, Default, Clone)]
pub struct LocalChildren {
    pub found: Vec<PathBuf>,
    pub absent: Vec<PathBuf>,
}

impl Module {
    /// Drops what only a walk reads (resources, data blocks, outputs, locals): kept for a
    /// scan that walks none of the roots reading it, the module still gives the calls that
    /// decide the roots, the variables a `--var` is checked against, its errors and its
    /// `.tf.json` comments. Those declarations are most of a parsed module's memory.
    pub fn strip(&mut self) {
        self.resources = Vec::new();
        self.data = Vec::new();
        self.outputs = ByName::default();
        self.locals = ByName::default();
        self.stripped = true;
    }

    /// Drops the declarations of `files` (changed ones, which the next scan parses again):
    /// the module of a directory holding a changed file is kept only for its other files'
    /// declarations ([`assemble_taking`]).
    pub fn prune(&mut self, files: &[FileId]) {
        let kept = |file: &FileId| !files.contains(file);
        self.resources.retain(|block| kept(&block.header.file));
        self.data.retain(|block| kept(&block.header.file));
        self.outputs.retain(|_, output| kept(&output.header.file));
        self.variables
            .retain(|_, variable| kept(&variable.header.file));
        self.locals.retain(|_, local| kept(&local.span.file));
        self.calls.retain(|call| kept(&call.header.file));
        let mut constraints = std::mem::take(&mut self.azurerm_constraints).into_iter();
        let mut from = Vec::new();
        for (file, count) in std::mem::take(&mut self.constraints_from) {
            let stated = constraints.by_ref().take(count).collect::<Vec<_>>();
            if kept(&file) {
                self.azurerm_constraints.extend(stated);
                from.push((file, count));
            }
        }
        self.constraints_from = from;
        self.pruned.extend(files);
    }
}

/// Terraform reads a directory's files by suffix (case-sensitively): `.tf.json` is JSON
/// syntax, `.tf` native.
pub fn is_configuration_file(path: &Path) -> bool {
    crate::file_kind::FileKind::of(path).is_some_and(crate::file_kind::FileKind::is_terraform)
}

/// Assembles the module in `dir` from its loaded files; files with other names are ignored.
#[cfg(test)]
pub fn assemble(dir: PathBuf, files: &[ModuleFile]) -> Module {
    assemble_taking(dir, files, None)
}

/// [`assemble`], taking the declarations of each file `earlier` read (same id, so same
/// text) from it instead of parsing the file again: a trial scan changes one file of a
/// directory and parses only that one. `earlier` must be [`Module::declarations_reusable`].
pub fn assemble_taking(
    dir: PathBuf,
    files: &[ModuleFile],
    mut earlier: Option<Result<Module, Arc<Module>>>,
) -> Module {
    let mut module = Module {
        dir,
        complete: true,
        ..Module::default()
    };
    // Terraform reads primary files first and override files after them, each in name order.
    let mut ordered: Vec<(bool, &ModuleFile)> = files
        .iter()
        .filter(|file| is_configuration_file(file.source.path()))
        .map(|file| (overrides::is_override_file(file.source.path()), file))
        .collect();
    ordered.sort_by(|(a_over, a), (b_over, b)| {
        (a_over, a.source.path().file_name(), a.source.path()).cmp(&(
            b_over,
            b.source.path().file_name(),
            b.source.path(),
        ))
    });
    module.paths = ordered
        .iter()
        .map(|(_, file)| (file.id, file.source.path().to_path_buf()))
        .collect();

    let siteless = cannot_declare_a_site(&ordered);
    let mut variables: Vec<Variable> = Vec::new();
    let mut outputs: Vec<OutputBlock> = Vec::new();
    let mut locals: Vec<Attribute> = Vec::new();
    let mut duplicates: Vec<FileError> = Vec::new();
    let mut replacements = FileItems::default();
    let mut first_seen: HashMap<(&'static str, String), Span> = HashMap::new();
    for (is_override, file) in ordered {
        let path = file.source.path();
        let taken = match &mut earlier {
            Some(Ok(module)) if module.paths.contains_key(&file.id) => {
                Some(module.take_items_of(file.id))
            }
            Some(Err(module)) if module.paths.contains_key(&file.id) => {
                Some(module.items_of(file.id))
            }
            _ => None,
        };
        let read = if let Some(items) = taken {
            Ok(items)
        } else if crate::file_kind::FileKind::of(path)
            == Some(crate::file_kind::FileKind::TerraformJson)
        {
            json_syntax::read(file.id, &file.source)
        } else {
            hcl::read(file.id, &file.source)
        };
        let mut items = match read {
            Ok(items) => items,
            Err(error) if siteless => {
                module.errors.push(as_notice(error, SITELESS_MODULE));
                continue;
            }
            Err(error) => {
                module.errors.push(error);
                continue;
            }
        };
        // Native syntax blocks of types certgate does not judge read their attributes on
        // first use, from this file's text.
        for block in items.resources.iter_mut().chain(items.data.iter_mut()) {
            if block.syntax == crate::model::Syntax::Hcl && block.attributes.is_empty() {
                block.deferred = Some(super::syntax::DeferredBody::new(file.source.clone()));
            }
        }
        if let Some(comments) = items.json_comments.take() {
            module.json_comments.insert(file.id, comments);
        }
        if is_override {
            replacements.resources.extend(items.resources);
            replacements.data.extend(items.data);
            replacements.outputs.extend(items.outputs);
            replacements.variables.extend(items.variables);
            replacements.locals.extend(items.locals);
            replacements.calls.extend(items.calls);
            module.azurerm_constraints.extend(items.azurerm_constraints);
            continue;
        }
        // Terraform refuses a module that declares one name twice.
        let mut unique =
            |kind: &'static str, name: String, span: Span, shown: &str| match first_seen
                .get(&(kind, name.clone()))
            {
                Some(first) => {
                    let message = format!(
                        "{shown} is declared twice in this module; the first declaration is at {}",
                        place(files, *first)
                    );
                    let error = FileError::at(path, span, message);
                    let error = if siteless {
                        as_notice(error, SITELESS_MODULE)
                    } else if kind == "resource" && !can_be_a_site(&name) {
                        as_notice(error, NOT_A_SITE)
                    } else if kind == "data" {
                        as_notice(error, DATA_NOT_A_SITE)
                    } else {
                        error
                    };
                    duplicates.push(error);
                    false
                }
                None => {
                    first_seen.insert((kind, name), span);
                    true
                }
            };
        for block in items.resources {
            if unique(
                "resource",
                block.address(),
                block.header,
                &format!("`{}`", block.address()),
            ) {
                module.resources.push(block);
            }
        }
        for block in items.data {
            let address = format!("data.{}", block.address());
            let shown = format!("`{address}`");
            if unique("data", address, block.header, &shown) {
                module.data.push(block);
            }
        }
        for output in items.outputs {
            let shown = format!("output `{}`", output.name);
            if unique("output", output.name.clone(), output.header, &shown) {
                outputs.push(output);
            }
        }
        for variable in items.variables {
            let shown = format!("variable `{}`", variable.name);
            if unique("variable", variable.name.clone(), variable.header, &shown) {
                variables.push(variable);
            }
        }
        for local in items.locals {
            let shown = format!("local `{}`", local.name);
            if unique("local", local.name.clone(), local.span, &shown) {
                locals.push(local);
            }
        }
        for call in items.calls {
            let shown = format!("module `{}`", call.name);
            if unique("module", call.name.clone(), call.header, &shown) {
                module.calls.push(call);
            }
        }
        if !items.azurerm_constraints.is_empty() {
            module
                .constraints_from
                .push((file.id, items.azurerm_constraints.len()));
        }
        module.azurerm_constraints.extend(items.azurerm_constraints);
    }
    module.errors.extend(duplicates);
    overrides::merge(&mut module.resources, replacements.resources);
    overrides::merge(&mut module.data, replacements.data);
    module.outputs = outputs.into_iter().map(|o| (o.name.clone(), o)).collect();
    module.locals = locals.into_iter().map(|l| (l.name.clone(), l)).collect();
    // An override file's output replaces the value of the output of the same name.
    for output in replacements.outputs {
        if let Some(original) = module.outputs.get_mut(&output.name)
            && output.value.is_some()
        {
            original.value = output.value;
        }
    }
    overrides::merge_variables(&mut variables, replacements.variables);
    overrides::merge_locals(&mut module.locals, replacements.locals);
    overrides::merge_calls(&mut module.calls, replacements.calls);
    module.variables = variables.into_iter().map(|v| (v.name.clone(), v)).collect();
    module
}

/// Why a parse error or duplicate in a module that cannot declare a site is only a notice.
const SITELESS_MODULE: &str = "no App Service verdict depends on it: this module never mentions \
     azurerm or azapi and calls no module, so it cannot declare a site";
/// Why a duplicate resource of another type is only a notice.
const NOT_A_SITE: &str =
    "no App Service verdict depends on it: a resource of this type cannot be a site";

/// Why a duplicate data source is only a notice (they were not read before their arguments
/// were, and a duplicate one decides no verdict unless a site reads it).
const DATA_NOT_A_SITE: &str = "no App Service verdict depends on it: a data source is not a site";

/// `error` as a notice (shown, but the run does not fail), saying why.
fn as_notice(error: FileError, why: &str) -> FileError {
    FileError {
        level: crate::error::Level::Notice,
        message: format!("{} ({why})", error.message),
        ..error
    }
}

/// Whether nothing in these files can lead to a site or change a site's verdict: no text names
/// the azurerm or azapi provider (site types, `required_providers` versions, template
/// deployments) and none calls a module. Decided on the bytes, so a file that did not parse
/// counts too; like the relevance filter it may keep an error, never drop a relevant one.
fn cannot_declare_a_site(files: &[(bool, &ModuleFile)]) -> bool {
    files.iter().all(|(_, file)| {
        let text = file.source.text();
        !text.contains("azurerm")
            && !text.contains("azapi")
            && !super::interest::calls_module(text.as_bytes())
    })
}

/// Whether a resource address (`TYPE.NAME`) names a type that can declare a site: an in-scope
/// azurerm type, an AzAPI resource (its `type` string decides) or an ARM template deployment.
fn can_be_a_site(address: &str) -> bool {
    let resource_type = address.split('.').next().unwrap_or(address);
    super::types::lookup(resource_type, super::types::ProviderVersion::Unknown).is_some()
        || resource_type.starts_with("azapi_")
        || resource_type.ends_with("_template_deployment")
}

impl Module {
    /// Whether each file's declarations can be told apart again ([`Module::items_of`]): it was
    /// assembled whole from native syntax files that all parsed, with no duplicate and no
    /// override file (those merge declarations of several files), and not stripped.
    pub fn declarations_reusable(&self) -> bool {
        self.complete
            && !self.stripped
            && self.errors.is_empty()
            && self.json_comments.is_empty()
            && self.paths.values().all(|path| {
                crate::file_kind::FileKind::of(path) == Some(crate::file_kind::FileKind::Terraform)
                    && !overrides::is_override_file(path)
            })
    }

    /// What the file `file` declared, as [`hcl::read`] gave it (see
    /// [`Module::declarations_reusable`]); the order within a kind is kept where it matters
    /// (resources, data blocks, calls).
    pub(super) fn items_of(&self, file: FileId) -> FileItems {
        let blocks = |blocks: &[ResourceBlock]| -> Vec<ResourceBlock> {
            blocks
                .iter()
                .filter(|block| block.header.file == file)
                .cloned()
                .collect()
        };
        FileItems {
            resources: blocks(&self.resources),
            data: blocks(&self.data),
            outputs: (self.outputs.values())
                .filter(|output| output.header.file == file)
                .cloned()
                .collect(),
            variables: (self.variables.values())
                .filter(|variable| variable.header.file == file)
                .cloned()
                .collect(),
            locals: (self.locals.values())
                .filter(|local| local.span.file == file)
                .cloned()
                .collect(),
            calls: (self.calls.iter())
                .filter(|call| call.header.file == file)
                .cloned()
                .collect(),
            azurerm_constraints: self.constraints_of(file),
            json_comments: None,
        }
    }

    /// [`Module::items_of`], moved out of the module (each file is taken once).
    fn take_items_of(&mut self, file: FileId) -> FileItems {
        let azurerm_constraints = self.constraints_of(file);
        let of = |header: &Span| header.file == file;
        FileItems {
            resources: self.resources.extract_if(.., |b| of(&b.header)).collect(),
            data: self.data.extract_if(.., |b| of(&b.header)).collect(),
            outputs: self.outputs.extract_if(|output| of(&output.header)),
            variables: self.variables.extract_if(|variable| of(&variable.header)),
            locals: self.locals.extract_if(|local| of(&local.span)),
            calls: self.calls.extract_if(.., |call| of(&call.header)).collect(),
            azurerm_constraints,
            json_comments: None,
        }
    }

    /// The azurerm constraints the primary file `file` stated.
    fn constraints_of(&self, file: FileId) -> Vec<String> {
        let mut start = 0;
        for &(from, count) in &self.constraints_from {
            if from == file {
                return self.azurerm_constraints[start..start + count].to_vec();
            }
            start += count;
        }
        Vec::new()
    }

    /// The path of the configuration file `file`, for messages that name it (empty when the
    /// file is not this module's).
    pub fn path_of(&self, file: FileId) -> PathBuf {
        self.paths.get(&file).cloned().unwrap_or_default()
    }

    /// Whether the module can deploy no site: no in-scope resource and no module call.
    pub fn is_inert(&self) -> bool {
        self.calls.is_empty()
            && self
                .resources
                .iter()
                .all(|block| !super::dispatch::keeps_attributes(&block.resource_type))
    }
}

/// `path line N` of a span in one of the module's files, for messages.
fn place(files: &[ModuleFile], span: Span) -> String {
    files
        .iter()
        .find(|file| file.id == span.file)
        .map(|file| {
            let at = file.source.line_col(span.start);
            format!(
                "{} line {}",
                crate::paths::path_text(file.source.path()),
                at.line
            )
        })
        .unwrap_or_else(|| "another file".to_string())
}
