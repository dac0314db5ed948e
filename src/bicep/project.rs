//! The Bicep files of one scan: each parsed at most once and shared by every root, scenario and
//! module call that reaches it, and the parse-free test of whether a file can lead to a site.

use crate::path_map::{PathHashMap, PathHashSet};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::error::FileError;
use crate::load::Loader;
use crate::lock::lock;
use crate::paths::normalize;
use crate::source::{FileId, SourceFile};

use super::ast::{Import, Program, Statement, StatementKind};
use super::outline;
use crate::limits::{MAX_BICEP_MODULE_DEPTH, MAX_BICEP_RELEVANCE_VISITS};

/// One parsed Bicep or `.bicepparam` file.
#[derive(Debug)]
pub struct Parsed {
    /// The normalised path: the key that tells files apart.
    pub path: PathBuf,
    pub id: FileId,
    pub source: Arc<SourceFile>,
    pub program: Program,
    /// Top-level names that expressions can refer to, by statement index.
    symbols: HashMap<String, usize>,
    /// The comments (`//`, `/* */`; not `#disable-next-line` directives) of a file that
    /// declares a resource, recorded from its lexer for inline exceptions; `None` for others.
    pub comments: Option<Vec<std::ops::Range<usize>>>,
}

impl Parsed {
    pub(super) fn new(
        path: PathBuf,
        id: FileId,
        source: Arc<SourceFile>,
        program: Program,
    ) -> Self {
        let mut symbols = HashMap::new();
        for (index, statement) in program.statements.iter().enumerate() {
            let names: Vec<&str> = match &statement.kind {
                StatementKind::Param { name, .. }
                | StatementKind::Var { name, .. }
                | StatementKind::Func { name, .. } => vec![&name.name],
                StatementKind::Resource(resource) => vec![&resource.name.name],
                StatementKind::Module(module) => vec![&module.name.name],
                StatementKind::Import(Import::Symbols { symbols, .. }) => symbols
                    .iter()
                    .map(|s| s.alias.as_ref().unwrap_or(&s.name).name.as_str())
                    .collect(),
                StatementKind::Import(Import::Wildcard { alias, .. }) => vec![&alias.name],
                _ => Vec::new(),
            };
            for name in names {
                // The first declaration wins; Bicep rejects duplicates anyway.
                symbols.entry(name.to_string()).or_insert(index);
            }
        }
        Parsed {
            path,
            id,
            source,
            program,
            symbols,
            comments: None,
        }
    }

    /// The top-level declaration `name` refers to.
    pub fn symbol(&self, name: &str) -> Option<&Statement> {
        self.symbols
            .get(name)
            .and_then(|&index| self.program.statements.get(index))
    }

    /// The directory relative module and `using` paths start from.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new(""))
    }

    /// Resolves a relative path written in this file.
    pub fn resolve(&self, relative: &str) -> PathBuf {
        normalize(&self.dir().join(relative))
    }

    /// The local Bicep files this file's module declarations name (whatever their conditions).
    pub fn local_modules(&self) -> Vec<PathBuf> {
        self.program
            .statements
            .iter()
            .filter_map(|statement| match &statement.kind {
                StatementKind::Module(module) => module.path.literal(),
                _ => None,
            })
            .filter(|path| outline::is_local_bicep(path))
            .map(|path| self.resolve(path))
            .collect()
    }

    /// The parameter declarations, with their names.
    pub fn params(&self) -> impl Iterator<Item = (&str, &Statement)> {
        self.program
            .statements
            .iter()
            .filter_map(|statement| match &statement.kind {
                StatementKind::Param { name, .. } => Some((name.name.as_str(), statement)),
                _ => None,
            })
    }
}

/// One file's place in the cache: parsed once, `None` when it cannot be read.
type Slot = Arc<OnceLock<Option<Arc<Parsed>>>>;

/// The shared cache of parsed files.
pub struct Project<'l> {
    pub loader: &'l Loader<'l>,
    known: &'l outline::Known,
    files: Mutex<PathHashMap<PathBuf, Slot>>,
    relevant: Mutex<PathHashMap<PathBuf, bool>>,
    /// The files whose imports were checked for cycles, and those whose imports were
    /// validated: each is reported once per scan (see `imports::check`).
    import_checks: Mutex<PathHashSet<PathBuf>>,
    import_validations: Mutex<PathHashSet<PathBuf>>,
}

impl<'l> Project<'l> {
    pub fn new(loader: &'l Loader<'l>, known: &'l outline::Known) -> Self {
        Project {
            loader,
            known,
            files: Mutex::default(),
            relevant: Mutex::default(),
            import_checks: Mutex::default(),
            import_validations: Mutex::default(),
        }
    }

    /// The file at `path`, parsed on first use; its syntax errors are recorded once. `None`
    /// when it cannot be read (the loader records why).
    pub fn parsed(&self, path: &Path) -> Option<Arc<Parsed>> {
        let path = normalize(path);
        let slot = lock(&self.files).entry(path.clone()).or_default().clone();
        slot.get_or_init(|| {
            let loaded = self.loader.file(&path)?;
            let result = super::parse(loaded.id, loaded.source.text());
            for error in result.errors {
                self.loader.record(FileError::at(
                    loaded.source.path(),
                    error.span,
                    format!("invalid Bicep syntax: {}", error.message),
                ));
            }
            for duplicate in super::names::duplicates(&result.program) {
                self.loader.record(FileError::at(
                    loaded.source.path(),
                    duplicate.span,
                    format!(
                        "`{}` is declared more than once in this file; Bicep refuses \
                         duplicate names (BCP028), so rename or remove one",
                        duplicate.name
                    ),
                ));
            }
            let mut parsed = Parsed::new(path, loaded.id, loaded.source, result.program);
            parsed.comments = super::comments_of_resources(&parsed.program, result.comments);
            Some(Arc::new(parsed))
        })
        .clone()
    }

    /// Whether this is the first time `path`'s imports are checked for cycles.
    pub fn first_import_check(&self, path: &Path) -> bool {
        lock(&self.import_checks).insert(path.to_path_buf())
    }

    /// Whether this is the first time `path`'s imports are validated.
    pub fn first_import_validation(&self, path: &Path) -> bool {
        lock(&self.import_validations).insert(path.to_path_buf())
    }

    /// Every file parsed so far.
    pub fn all_parsed(&self) -> Vec<Arc<Parsed>> {
        let files = lock(&self.files);
        files
            .values()
            .filter_map(|slot| slot.get().cloned().flatten())
            .collect()
    }

    /// Whether the Bicep file at `path` names the site type or, through local modules, calls
    /// one that does. Decided from the text alone, so files that cannot lead to a site are
    /// never parsed. A file that cannot be read is not relevant (nothing is recorded: the
    /// module declaration naming it reports that).
    pub fn relevant(&self, path: &Path) -> bool {
        let mut visits = 0;
        self.relevant_from(&normalize(path), &mut Vec::new(), &mut visits)
            .0
    }

    /// `(relevant, cut)`: `cut` when a cycle was cut short, so a negative answer is not final.
    fn relevant_from(
        &self,
        path: &Path,
        visiting: &mut Vec<PathBuf>,
        visits: &mut usize,
    ) -> (bool, bool) {
        if let Some(&known) = lock(&self.relevant).get(path) {
            return (known, false);
        }
        if visiting.iter().any(|p| p == path) {
            return (false, true);
        }
        *visits += 1;
        if *visits > MAX_BICEP_RELEVANCE_VISITS || visiting.len() > MAX_BICEP_MODULE_DEPTH {
            return (true, false);
        }
        // Discovery has outlined the files it read; others (outside the scanned paths) are
        // read here, as bytes only: most files asked about are never parsed. One that cannot
        // be read is not relevant; the module declaration naming it reports why.
        let read;
        let outline = match self.known.get(path) {
            Some(outline) => outline,
            None => match self.loader.read_bytes(path) {
                Ok(bytes) => {
                    read = outline::Outline::of(&crate::load::searchable(&bytes));
                    &read
                }
                Err(_) => return (false, false),
            },
        };
        let (relevant, cut) = if outline.names_site_type {
            (true, false)
        } else {
            let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
            visiting.push(path.to_path_buf());
            let mut cut = false;
            let mut relevant = false;
            for module in &outline.local_modules {
                let (found, was_cut) =
                    self.relevant_from(&normalize(&dir.join(module)), visiting, visits);
                cut |= was_cut;
                if found {
                    relevant = true;
                    break;
                }
            }
            visiting.pop();
            (relevant, cut && !relevant)
        };
        if !cut {
            lock(&self.relevant).insert(path.to_path_buf(), relevant);
        }
        (relevant, cut)
    }
}
