//! A parse-free test of whether a Terraform module directory can lead to a site, so that the
//! directories of a large repository that only call helper modules are never parsed.
//!
//! Discovery hands over every directory holding a file that names an in-scope type or calls a
//! module. Most of those only call local helper modules (storage, network, …) that declare no
//! site: parsing and evaluating them finds nothing. A directory is relevant when one of its
//! configuration files names an in-scope type, or calls a module this outline cannot follow
//! (a registry or git source, a source that is not a plain string, a `.tf.json` call, a local
//! directory that does not exist), or calls a local module directory that is relevant. Like
//! the Bicep outline it may over-report (a `source` inside a heredoc is taken for a call),
//! never under-report, and call cycles count as relevant so the front end reports them.

use crate::path_map::{PathHashMap, PathHashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::module::is_configuration_file;
use crate::file_kind::FileKind;
use crate::limits::MAX_TERRAFORM_MODULE_DEPTH;
use crate::load::Loader;
use crate::lock::lock;
use crate::paths::normalize;

/// What one configuration file can contribute, read from its bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// Names an in-scope type, or calls a module the outline cannot follow.
    pub must_parse: bool,
    /// The `source` strings of its local module calls (`./…`, `../…`), as written.
    pub local_sources: Vec<String>,
}

impl Outline {
    pub fn of(kind: FileKind, bytes: &[u8]) -> Outline {
        // Text the loader refuses (UTF-16, NUL bytes, invalid UTF-8) is parsed as usual so
        // the error is reported where it was before.
        let refused = matches!(bytes, [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..])
            || memchr::memchr(0, bytes).is_some()
            || std::str::from_utf8(bytes).is_err();
        if refused {
            return Outline {
                must_parse: true,
                local_sources: Vec::new(),
            };
        }
        let names_type = super::interest::names_terraform_type(bytes)
            || super::interest::names_azapi_site(bytes)
            || super::policy::names_assignment(bytes);
        if kind == FileKind::TerraformJson {
            // JSON syntax is not outlined: any module call there is followed by parsing.
            return Outline {
                must_parse: names_type || super::interest::calls_module(bytes),
                local_sources: Vec::new(),
            };
        }
        let mut outline = Outline {
            must_parse: names_type,
            local_sources: Vec::new(),
        };
        let mut literal_sources = 0;
        for source in sources(bytes) {
            match source {
                Some(path) if path.starts_with("./") || path.starts_with("../") => {
                    literal_sources += 1;
                    outline.local_sources.push(path.to_string());
                }
                // A registry or git module (or a `source` attribute of some other block).
                Some(_) => {
                    literal_sources += 1;
                    outline.must_parse = true;
                }
                None => outline.must_parse = true,
            }
        }
        // A module block whose source this search did not see (an expression, a heredoc…).
        if module_headers(bytes) > literal_sources {
            outline.must_parse = true;
        }
        outline
    }
}

/// Every `source = …` assignment: `Some(path)` for a plain string literal, `None` for
/// anything else (an interpolation, an escape, an expression).
fn sources(bytes: &[u8]) -> impl Iterator<Item = Option<&str>> {
    memchr::memmem::find_iter(bytes, b"source").filter_map(|at| {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        if before.is_some_and(is_identifier_byte) {
            return None;
        }
        let rest = bytes[at + "source".len()..].trim_ascii_start();
        let rest = rest.strip_prefix(b"=")?;
        if rest.first() == Some(&b'=') {
            return None; // `source == …`: a comparison
        }
        let Some(literal) = rest.trim_ascii_start().strip_prefix(b"\"") else {
            return Some(None);
        };
        let end = literal.iter().position(|&b| b == b'"' || b == b'\n')?;
        let text = &literal[..end];
        if literal[end] != b'"'
            || text.contains(&b'\\')
            || memchr::memmem::find(text, b"${").is_some()
        {
            return Some(None);
        }
        Some(std::str::from_utf8(text).ok())
    })
}

/// Lines starting with the `module` keyword (a block header, with a quoted or bare label).
fn module_headers(bytes: &[u8]) -> usize {
    bytes
        .split(|&b| b == b'\n')
        .filter(|line| {
            line.trim_ascii_start()
                .strip_prefix(b"module")
                .is_some_and(|rest| rest.first().is_some_and(|b| !is_identifier_byte(*b)))
        })
        .count()
}

fn is_identifier_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-'
}

/// The outlines of the Terraform files discovery read, by normalised path, so deciding which
/// directories matter reads nothing twice. Files discovery did not read are read here.
#[derive(Debug, Default, Clone)]
pub struct Known {
    /// One entry per Terraform file, kept in the memo while a trial scan builds its own: the
    /// outline is shared with the byte search's answer, the path boxed without spare capacity.
    outlines: PathHashMap<Box<Path>, Arc<Outline>>,
}

impl Known {
    /// Room for `files` outlines: one per discovered Terraform file.
    pub fn with_capacity(files: usize) -> Self {
        Known {
            outlines: PathHashMap::with_capacity_and_hasher(files, Default::default()),
        }
    }

    /// Records a discovered `.tf` / `.tf.json` file's outline (its bytes as read, UTF-8).
    pub fn add(&mut self, path: &Path, outline: impl Into<Arc<Outline>>) {
        self.outlines
            .insert(normalize(path).into_boxed_path(), outline.into());
    }

    /// The outline of the file at `path` (normalised), if discovery read it.
    pub fn get(&self, path: &Path) -> Option<&Outline> {
        self.outlines.get(path).map(|outline| &**outline)
    }
}

/// What deciding relevance found, for a later scan to start from (see [`super::Memo`]).
#[derive(Debug, Default, Clone)]
pub struct Decided {
    /// Each directory's relevance.
    pub relevant: PathHashMap<PathBuf, bool>,
    /// The directories asked about that could not be listed or are not directories: a file
    /// appearing below one could change a decision.
    pub missing: PathHashSet<PathBuf>,
}

/// Decides relevance per directory, each directory once.
pub struct Relevance<'a> {
    loader: &'a Loader<'a>,
    known: &'a Known,
    decided: Mutex<Decided>,
}

impl<'a> Relevance<'a> {
    pub fn new(loader: &'a Loader<'a>, known: &'a Known) -> Self {
        Relevance {
            loader,
            known,
            decided: Mutex::default(),
        }
    }

    /// Starts from the decisions of an earlier scan, still valid for this one.
    pub fn starting_from(self, earlier: Decided) -> Self {
        Relevance {
            decided: Mutex::new(earlier),
            ..self
        }
    }

    /// The decisions taken so far.
    pub fn into_decided(self) -> Decided {
        self.decided.into_inner().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether the module in `dir` can lead to a site (see the module docs).
    pub fn relevant(&self, dir: &Path) -> bool {
        self.relevant_from(&normalize(dir), &mut Vec::new())
    }

    fn relevant_from(&self, dir: &Path, visiting: &mut Vec<PathBuf>) -> bool {
        if let Some(&known) = lock(&self.decided).relevant.get(dir) {
            return known;
        }
        // A cycle or a chain too deep: let the front end parse it and say so.
        if visiting.iter().any(|d| d == dir) || visiting.len() > MAX_TERRAFORM_MODULE_DEPTH {
            return true;
        }
        let relevant = match self.outline(dir) {
            None => true,
            Some(outline) if outline.must_parse => true,
            Some(outline) => {
                visiting.push(dir.to_path_buf());
                let relevant = outline.local_sources.iter().any(|source| {
                    let child = normalize(&dir.join(source));
                    // Decided already (for another caller): a directory decided irrelevant
                    // was listed, so it is one, inside the root; one decided relevant is
                    // relevant whatever it is. Asking the disk again for each caller was most
                    // of the system calls here.
                    if let Some(&known) = lock(&self.decided).relevant.get(&child) {
                        return known;
                    }
                    // A call leaving the project root is parsed, so that the front end can
                    // say it is not followed; nothing there is looked at.
                    !self.loader.allowed_dir(&child)
                        || !self.is_dir(&child)
                        || self.relevant_from(&child, visiting)
                });
                visiting.pop();
                relevant
            }
        };
        lock(&self.decided)
            .relevant
            .insert(dir.to_path_buf(), relevant);
        relevant
    }

    /// Whether `dir` is a directory, remembering it when not.
    fn is_dir(&self, dir: &Path) -> bool {
        let is_dir = self.loader.is_dir(dir);
        if !is_dir {
            lock(&self.decided).missing.insert(dir.to_path_buf());
        }
        is_dir
    }

    /// The merged outline of the directory's configuration files (unsaved buffers included);
    /// `None` when the directory or one of its files cannot be read (the front end reports
    /// why when it parses them).
    fn outline(&self, dir: &Path) -> Option<Outline> {
        let listing = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        // An unreadable directory lists as empty (the loader records why, once, as parsing
        // it would): parse it so the caller's call reports it as before.
        let files = self.loader.list_module_dir(dir, is_configuration_file);
        if files.is_empty() && !self.loader.can_list(listing) {
            lock(&self.decided).missing.insert(dir.to_path_buf());
            return None;
        }
        let mut merged = Outline::default();
        for path in files {
            let outline = match self.known.get(&path) {
                Some(outline) => outline.clone(),
                None => {
                    let bytes = self.loader.read_bytes(&path).ok()?;
                    Outline::of(FileKind::of(&path)?, &bytes)
                }
            };
            merged.must_parse |= outline.must_parse;
            merged.local_sources.extend(outline.local_sources);
        }
        Some(merged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(text: &str) -> Outline {
        Outline::of(FileKind::Terraform, text.as_bytes())
    }

    #[test]
    fn local_calls_are_followed_and_everything_else_is_parsed() {
        let local = outline("module \"net\" {\n  source = \"../modules/net\"\n}\n");
        assert!(!local.must_parse);
        assert_eq!(local.local_sources, ["../modules/net"]);
        let one_line = outline("module net { source = \"./net\" }\n");
        assert_eq!(one_line.local_sources, ["./net"]);
        assert!(outline("module \"n\" {\n  source  = \"Azure/naming/azurerm\"\n}\n").must_parse);
        assert!(outline("module \"n\" {\n  source = var.where\n}\n").must_parse);
        assert!(outline("module \"n\" {\n  source = \"${path.module}/x\"\n}\n").must_parse);
        assert!(outline("module \"n\" {\n  version = \"1.0\"\n}\n").must_parse);
        assert!(outline("resource \"azurerm_linux_web_app\" \"a\" {}\n").must_parse);
        // `source_file` and `data_source` are other attributes.
        let other = outline("data_source = \"x\"\nsource_file = \"y\"\n");
        assert_eq!(other, Outline::default());
        let json = Outline::of(FileKind::TerraformJson, br#"{"module": {"a": {}}}"#);
        assert!(json.must_parse);
        let invalid = b"module \"n\" {\n  source = \"../n\"\n}\n# \xFF\n";
        assert!(Outline::of(FileKind::Terraform, invalid).must_parse);
    }

    #[test]
    fn relevance_follows_local_calls_and_treats_cycles_as_relevant() {
        let root = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let full = root.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        };
        let call = |to: &str| format!("module \"m\" {{\n  source = \"{to}\"\n}}\n");
        write(
            "helper/main.tf",
            "resource \"azurerm_storage_account\" \"s\" {}\n",
        );
        write(
            "site/main.tf",
            "resource \"azurerm_linux_web_app\" \"a\" {}\n",
        );
        write("calls_helper/main.tf", &call("../helper"));
        write("calls_site/main.tf", &call("../calls_helper"));
        write("calls_site/more.tf", &call("../site"));
        write("missing/main.tf", &call("../nowhere"));
        write("loop_a/main.tf", &call("../loop_b"));
        write("loop_b/main.tf", &call("../loop_a"));
        let sources = crate::source::SourceMap::default();
        let loader = Loader::new(&sources);
        let known = Known::default();
        let relevance = Relevance::new(&loader, &known);
        let at = |dir: &str| relevance.relevant(&root.path().join(dir));
        assert!(!at("calls_helper"));
        assert!(!at("helper"));
        assert!(at("calls_site"));
        assert!(at("missing"));
        assert!(at("loop_a"));
    }
}
