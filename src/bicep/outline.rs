//! A parse-free outline of Bicep text: whether it names the site type, and which module paths
//! it declares. The discovery sniff and the module graph use it to decide which files are worth
//! parsing at all; it may over-report (a `module` line inside a comment), never under-report,
//! because every module declaration starts with `module NAME 'PATH'` on one line.

use crate::path_map::PathHashMap;
use std::path::{Path, PathBuf};

/// The outline of one file: what decides whether it can lead to a site.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    pub names_site_type: bool,
    /// The local Bicep module paths it declares, as written.
    pub local_modules: Vec<String>,
}

impl Outline {
    pub fn of(bytes: &[u8]) -> Outline {
        Outline {
            // A policy assignment makes the file relevant too: the guardrail is read from it.
            names_site_type: names_site_type(bytes) || super::policy::names_assignment(bytes),
            local_modules: module_paths(bytes)
                .filter(|p| is_local_bicep(p))
                .map(str::to_string)
                .collect(),
        }
    }
}

/// The outlines of the Bicep files discovery read, so the front end does not read them again
/// to decide which files can lead to a site.
#[derive(Debug, Default)]
pub struct Known {
    outlines: PathHashMap<PathBuf, Outline>,
}

impl Known {
    /// Records a discovered `.bicep` file's outline (by normalised path).
    pub fn add(&mut self, path: &Path, outline: Outline) {
        self.outlines.insert(crate::paths::normalize(path), outline);
    }

    pub fn get(&self, path: &Path) -> Option<&Outline> {
        self.outlines.get(path)
    }
}

/// Whether the text names the site type anywhere: `Microsoft.Web/sites` in any case (Bicep
/// resource types are case-insensitive, and slots, `Microsoft.Web/sites/slots` or `slots`
/// nested in a site, always come with it).
pub fn names_site_type(bytes: &[u8]) -> bool {
    crate::search::names_site_type(bytes)
}

/// Whether a Bicep file can contribute: it names the site type, or it calls a local module
/// (a caller must be read even when it declares no site itself).
pub fn is_interesting(bytes: &[u8]) -> bool {
    names_site_type(bytes)
        || module_paths(bytes).any(is_local_bicep)
        || super::policy::names_assignment(bytes)
}

/// The paths of the `module NAME 'PATH'` declarations at the start of a line, as written.
pub fn module_paths(bytes: &[u8]) -> impl Iterator<Item = &str> {
    // Each `module` found (SIMD search) that only blanks precede on its line is read up to
    // the end of the line: the same lines a line-by-line walk would read, an order of
    // magnitude faster on the thousands of Bicep files of a module registry.
    memchr::memmem::find_iter(bytes, b"module")
        .filter(move |&at| {
            bytes[..at]
                .iter()
                .rev()
                .take_while(|&&b| b != b'\n')
                .all(u8::is_ascii_whitespace)
        })
        .filter_map(move |at| {
            let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |n| at + n);
            module_path(&bytes[at..end])
        })
}

fn module_path(line: &[u8]) -> Option<&str> {
    let line = line.trim_ascii_start().strip_prefix(b"module")?;
    let rest = line.trim_ascii_start();
    if rest.len() == line.len() {
        return None; // `modules…`: not the keyword
    }
    let name_len = rest
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
        .count();
    if name_len == 0 {
        return None;
    }
    let rest = rest[name_len..].trim_ascii_start().strip_prefix(b"'")?;
    let end = rest.iter().position(|&b| b == b'\'')?;
    std::str::from_utf8(&rest[..end]).ok()
}

/// The path a `.bicepparam` file's `using 'PATH'` line names, as written (`None` for
/// `using none`, a registry reference, or when there is no such line).
pub fn using_target(bytes: &[u8]) -> Option<&str> {
    bytes.split(|&b| b == b'\n').find_map(|line| {
        let rest = line.trim_ascii_start().strip_prefix(b"using")?;
        let path = rest.trim_ascii_start();
        if path.len() == rest.len() {
            return None;
        }
        let path = path.strip_prefix(b"'")?;
        let end = path.iter().position(|&b| b == b'\'')?;
        std::str::from_utf8(&path[..end])
            .ok()
            .filter(|p| !is_registry(p))
    })
}

/// A registry or template-spec reference (`br:…`, `br/alias:…`, `ts:…`, `ts/alias:…`), which
/// cannot be read from the files.
pub fn is_registry(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    ["br:", "br/", "ts:", "ts/"]
        .iter()
        .any(|prefix| lower.starts_with(prefix))
}

/// An ARM JSON template used as a module.
pub fn is_json(path: &str) -> bool {
    crate::file_kind::FileKind::of(std::path::Path::new(path))
        .is_some_and(crate::file_kind::FileKind::is_json)
}

/// A local Bicep file used as a module: neither a registry reference nor a JSON template.
pub fn is_local_bicep(path: &str) -> bool {
    !is_registry(path) && !is_json(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths_are_read_from_lines_starting_with_the_keyword() {
        let text = b"module a './a.bicep' = {}\n  \tmodule b './b.bicep' = {}\r\n\
            // module c './c.bicep'\nx module d './d.bicep'\nmodules e './e.bicep'\n\
            module f 'no-end\nmodule g './g.bicep' module h './h.bicep'";
        let found: Vec<&str> = module_paths(text).collect();
        assert_eq!(found, ["./a.bicep", "./b.bicep", "./g.bicep"]);
    }

    fn paths(text: &str) -> Vec<&str> {
        module_paths(text.as_bytes()).collect()
    }

    #[test]
    fn finds_module_declarations_at_line_starts() {
        let text = "param x string\n  module web './web.bicep' = {\nmodule\tdb_1 \t'../db/main.bicep' = if (x) {\nmodules x 'no'\nvar module = 'x'\nmodule reg 'br/public:avm/res/web/site:0.1.0' = {}\n";
        assert_eq!(
            paths(text),
            [
                "./web.bicep",
                "../db/main.bicep",
                "br/public:avm/res/web/site:0.1.0"
            ]
        );
    }

    #[test]
    fn interesting_files_name_a_site_or_call_a_local_bicep_module() {
        assert!(is_interesting(
            b"resource s 'MICROSOFT.WEB/Sites@2023-01-01' = {}"
        ));
        assert!(is_interesting(b"module web 'web.bicep' = {}"));
        assert!(!is_interesting(
            b"module web 'br:contoso.azurecr.io/web:1' = {}"
        ));
        assert!(!is_interesting(b"module web 'web.json' = {}"));
        assert!(!is_interesting(
            b"resource s 'Microsoft.Storage/storageAccounts@2023-01-01' = {}"
        ));
    }

    #[test]
    fn finds_the_using_target_of_a_parameter_file() {
        let text = b"// using 'old.bicep'\nusing './main.bicep'\nparam x = 1\n";
        assert_eq!(using_target(text), Some("./main.bicep"));
        assert_eq!(using_target(b"using none\n"), None);
        assert_eq!(using_target(b"using 'br/public:x:1'\n"), None);
    }

    #[test]
    fn registry_and_json_paths_are_not_local() {
        for path in [
            "br:reg.azurecr.io/x:1",
            "BR/public:x:1",
            "ts:sub/rg/spec:1",
            "ts/corp:x:1",
        ] {
            assert!(is_registry(path), "{path}");
            assert!(!is_local_bicep(path), "{path}");
        }
        assert!(is_json("nested/Template.JSON"));
        assert!(is_local_bicep("../modules/web.bicep"));
    }
}
