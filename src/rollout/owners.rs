//! Owners from a CODEOWNERS file, looked up the way GitHub does: `.github/CODEOWNERS`, then
//! `CODEOWNERS`, then `docs/CODEOWNERS` at the repository root (the first that exists), with
//! gitignore-style patterns where the last matching line wins.
//!
//! Each pattern is compiled on its own with the `ignore` crate's gitignore matcher (no glob
//! engine of our own). GitHub's differences from gitignore are kept: no `!` negation and no
//! `[ ]` ranges (such a line is a notice), a line with a pattern and no owners clears ownership, and `dir/*`
//! matches the files directly in `dir` only.

use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::fs::FileSystem;

/// Where GitHub looks for the file, in order, relative to the repository root.
pub const LOCATIONS: [&str; 3] = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];

/// A parsed CODEOWNERS file.
#[derive(Debug, Default)]
pub struct CodeOwners {
    /// The file read, relative to the repository root (`.github/CODEOWNERS`); `None` when
    /// there is none.
    pub path: Option<PathBuf>,
    rules: Vec<Rule>,
    /// Lines that could not be used, with why: `file:line: message`.
    pub notices: Vec<String>,
}

#[derive(Debug)]
struct Rule {
    matcher: Gitignore,
    /// `dir/*`: only the files directly in `dir`, not deeper ones (GitHub's rule).
    direct_children_only: bool,
    owners: Vec<String>,
}

impl CodeOwners {
    /// Reads the first CODEOWNERS of [`LOCATIONS`] under `root` through `fs` (which keeps
    /// every read inside the project root). No file: no owners, no notice.
    pub fn find(fs: &dyn FileSystem, root: &Path) -> CodeOwners {
        for location in LOCATIONS {
            let path = root.join(location);
            if !fs.is_file(&path) {
                continue;
            }
            return match fs.read(&path) {
                Ok(bytes) => {
                    let text = String::from_utf8_lossy(&bytes);
                    let mut owners = CodeOwners::parse(&text, Path::new(location));
                    owners.path = Some(PathBuf::from(location));
                    owners
                }
                Err(why) => CodeOwners {
                    notices: vec![format!("{location}: cannot read it: {why}")],
                    ..CodeOwners::default()
                },
            };
        }
        CodeOwners::default()
    }

    /// Parses the text of a CODEOWNERS file; `shown` names it in notices.
    pub fn parse(text: &str, shown: &Path) -> CodeOwners {
        let mut owners = CodeOwners::default();
        for (i, line) in text.lines().enumerate() {
            let at = format!("{}:{}", crate::paths::path_text(shown), i + 1);
            let words = split_line(line);
            let Some((pattern, names)) = words.split_first() else {
                continue;
            };
            if pattern.starts_with('!') {
                owners.notices.push(format!(
                    "{at}: `{pattern}`: CODEOWNERS has no `!` negation; the line is ignored"
                ));
                continue;
            }
            // GitHub documents that `[ ]` ranges do not work in CODEOWNERS; gitignore's matcher
            // would honour them, giving owners GitHub does not.
            if pattern.contains('[') {
                owners.notices.push(format!(
                    "{at}: `{pattern}`: CODEOWNERS has no `[ ]` character ranges; the line is ignored"
                ));
                continue;
            }
            if let Some(bad) = names.iter().find(|name| !is_owner(name)) {
                owners.notices.push(format!(
                    "{at}: `{bad}` is not an owner (`@user`, `@org/team` or an email); the line is ignored"
                ));
                continue;
            }
            let mut builder = GitignoreBuilder::new("/");
            let built = builder
                .add_line(None, pattern)
                .map_err(|e| e.to_string())
                .and_then(|b| b.build().map_err(|e| e.to_string()));
            match built {
                Ok(matcher) => owners.rules.push(Rule {
                    matcher,
                    direct_children_only: pattern.ends_with("/*"),
                    owners: names.to_vec(),
                }),
                Err(why) => owners.notices.push(format!(
                    "{at}: `{pattern}` is not a valid pattern ({why}); the line is ignored"
                )),
            }
        }
        owners
    }

    /// The owners of `path` (relative to the repository root, `/`-separated): the last
    /// matching line's; empty when no line matches or the last one names no owner.
    pub fn owners_of(&self, path: &Path) -> &[String] {
        self.rules
            .iter()
            .rev()
            .find(|rule| rule.matches(path))
            .map_or(&[], |rule| &rule.owners)
    }
}

impl Rule {
    fn matches(&self, path: &Path) -> bool {
        if self.matcher.matched(path, false).is_ignore() {
            return true;
        }
        if self.direct_children_only {
            return false;
        }
        // A pattern naming a directory owns everything below it.
        path.ancestors()
            .skip(1)
            .filter(|dir| !dir.as_os_str().is_empty())
            .any(|dir| self.matcher.matched(dir, true).is_ignore())
    }
}

/// The words of a line: whitespace separated, `\ ` and `\#` escaped, `#` after whitespace (or
/// at the start) begins a comment.
fn split_line(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                // Kept with its backslash for the gitignore matcher, which unescapes it.
                word.push(c);
                if let Some(next) = chars.next() {
                    word.push(next);
                }
            }
            '#' if word.is_empty() => break,
            c if c.is_whitespace() => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// `@user`, `@org/team` or an email address.
fn is_owner(name: &str) -> bool {
    match name.strip_prefix('@') {
        Some(rest) => {
            !rest.is_empty()
                && rest
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.'))
        }
        None => {
            let mut parts = name.splitn(2, '@');
            matches!((parts.next(), parts.next()), (Some(user), Some(domain))
                if !user.is_empty() && domain.contains('.'))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::MemoryFs;

    fn memory(files: &[(&str, &str)]) -> MemoryFs {
        MemoryFs::new(
            files
                .iter()
                .map(|(path, text)| (PathBuf::from(path), text.to_string())),
        )
    }

    fn owners(text: &str) -> CodeOwners {
        CodeOwners::parse(text, Path::new("CODEOWNERS"))
    }

    fn of<'a>(owners: &'a CodeOwners, path: &str) -> Vec<&'a str> {
        owners
            .owners_of(Path::new(path))
            .iter()
            .map(String::as_str)
            .collect()
    }

    #[test]
    fn the_last_matching_line_wins() {
        let o = owners("* @platform\n*.tf @tf-team\nmodules/web/ @web-team\n");
        assert_eq!(of(&o, "README.md"), ["@platform"]);
        assert_eq!(of(&o, "envs/prod/main.tf"), ["@tf-team"]);
        assert_eq!(of(&o, "modules/web/main.tf"), ["@web-team"]);
        // Order matters: the same lines reversed let `*` win everywhere.
        let reversed = owners("modules/web/ @web-team\n*.tf @tf-team\n* @platform\n");
        assert_eq!(of(&reversed, "modules/web/main.tf"), ["@platform"]);
    }

    #[test]
    fn anchored_patterns_match_at_the_root_only_and_unanchored_ones_anywhere() {
        let o = owners("/envs/ @root-envs\nmodules @any-modules\n");
        assert_eq!(of(&o, "envs/prod/main.tf"), ["@root-envs"]);
        assert!(of(&o, "team/envs/prod/main.tf").is_empty());
        assert_eq!(of(&o, "modules/web/main.tf"), ["@any-modules"]);
        assert_eq!(of(&o, "team/modules/web/main.tf"), ["@any-modules"]);
    }

    #[test]
    fn directory_patterns_own_everything_below_and_dir_star_only_direct_files() {
        let o = owners("infra/ @infra\ndocs/* @docs\n");
        assert_eq!(of(&o, "infra/a/b/c/main.bicep"), ["@infra"]);
        assert_eq!(of(&o, "docs/readme.md"), ["@docs"]);
        assert!(of(&o, "docs/deep/readme.md").is_empty());
        // A directory-only pattern does not match a file of that name.
        let file = owners("main.tf/ @nobody\n");
        assert!(of(&file, "main.tf").is_empty());
    }

    #[test]
    fn double_star_matches_any_depth() {
        let o = owners("envs/**/prod.tfvars @prod\n**/bicep/*.bicep @bicep\n");
        assert_eq!(of(&o, "envs/prod.tfvars"), ["@prod"]);
        assert_eq!(of(&o, "envs/a/b/prod.tfvars"), ["@prod"]);
        assert_eq!(of(&o, "x/y/bicep/main.bicep"), ["@bicep"]);
        assert!(of(&o, "x/y/bicep/nested/main.bicep").is_empty());
    }

    #[test]
    fn a_line_without_owners_unsets_ownership() {
        let o = owners("* @platform\nmodules/generated/\n");
        assert_eq!(of(&o, "modules/web/main.tf"), ["@platform"]);
        assert!(of(&o, "modules/generated/main.tf").is_empty());
    }

    #[test]
    fn comments_escapes_and_several_owners() {
        let o = owners(
            "# a comment\n\n\\#hash.tf @hash # trailing comment\n*.bicep @a @org/b dev@example.com\n",
        );
        assert_eq!(of(&o, "#hash.tf"), ["@hash"]);
        assert_eq!(of(&o, "main.bicep"), ["@a", "@org/b", "dev@example.com"]);
        assert!(o.notices.is_empty(), "{:?}", o.notices);
    }

    #[test]
    fn bad_lines_are_notices_naming_file_and_line_and_never_panic() {
        let o = owners("* @ok\n!negated @x\nsrc/ not-an-owner\n[z-a] @x\n*.tf @tf\n");
        assert_eq!(o.notices.len(), 3, "{:?}", o.notices);
        assert!(
            o.notices[0].starts_with("CODEOWNERS:2: "),
            "{:?}",
            o.notices
        );
        assert!(
            o.notices[1].starts_with("CODEOWNERS:3: "),
            "{:?}",
            o.notices
        );
        assert!(
            o.notices[2].starts_with("CODEOWNERS:4: "),
            "{:?}",
            o.notices
        );
        // The good lines still apply.
        assert_eq!(of(&o, "main.tf"), ["@tf"]);
        assert_eq!(of(&o, "src/x.md"), ["@ok"]);
    }

    #[test]
    fn a_character_range_github_does_not_support_gives_no_owner_and_a_notice() {
        let o = owners("* @platform\nenvs/prod[12]/ @prod\n");
        assert_eq!(of(&o, "envs/prod1/main.tf"), ["@platform"]);
        assert_eq!(o.notices.len(), 1, "{:?}", o.notices);
        assert!(
            o.notices[0].contains("CODEOWNERS:2: `envs/prod[12]/`"),
            "{:?}",
            o.notices
        );
    }

    #[test]
    fn lookup_takes_the_first_of_github_then_root_then_docs() {
        let root = Path::new("/repo");
        let all = memory(&[
            ("/repo/.github/CODEOWNERS", "* @from-github\n"),
            ("/repo/CODEOWNERS", "* @from-root\n"),
            ("/repo/docs/CODEOWNERS", "* @from-docs\n"),
        ]);
        let found = CodeOwners::find(&all, root);
        assert_eq!(found.path.as_deref(), Some(Path::new(".github/CODEOWNERS")));
        assert_eq!(of(&found, "a.tf"), ["@from-github"]);
        let no_github = memory(&[
            ("/repo/CODEOWNERS", "* @from-root\n"),
            ("/repo/docs/CODEOWNERS", "* @from-docs\n"),
        ]);
        assert_eq!(
            of(&CodeOwners::find(&no_github, root), "a.tf"),
            ["@from-root"]
        );
        let docs_only = memory(&[("/repo/docs/CODEOWNERS", "* @from-docs\n")]);
        assert_eq!(
            of(&CodeOwners::find(&docs_only, root), "a.tf"),
            ["@from-docs"]
        );
        let none = memory(&[("/repo/main.tf", "")]);
        let found = CodeOwners::find(&none, root);
        assert!(found.path.is_none() && of(&found, "main.tf").is_empty());
    }
}
