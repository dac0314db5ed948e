//! The two kinds of glob a config holds: file paths (`exclude`, an exception's `path`) and
//! resource addresses (an exception's `resource`). Both compile with `globset`.

use globset::{Glob, GlobBuilder, GlobMatcher};

/// A glob over paths relative to the config file's directory, `/`-separated.
///
/// `*` and `?` stay within one path segment, `**` crosses segments. A pattern without a `/`
/// matches a file or directory name at any depth (as in `.gitignore`); one with a `/` is
/// anchored at the config's directory (a leading `/` or `./` is allowed). A pattern that
/// matches a directory also matches everything under it.
#[derive(Debug, Clone)]
pub struct PathGlob {
    text: String,
    matcher: GlobMatcher,
    /// Whether it holds a `/` (anchored at its directory) rather than naming a file or
    /// directory at any depth.
    anchored: bool,
}

impl PathGlob {
    /// Compiles `text`; the error is globset's message.
    pub fn new(text: &str) -> Result<Self, String> {
        let trimmed = text.trim_start_matches("./").trim_start_matches('/');
        let trimmed = trimmed.trim_end_matches('/');
        if trimmed.is_empty() {
            return Err("the glob is empty".into());
        }
        // A leading `/` or `./` anchors too, as in `.gitignore` (`./main.tf` is the top
        // directory's file, not every `main.tf`); a trailing `/` does not.
        let anchored = text.trim_end_matches('/').contains('/');
        let pattern = if anchored {
            trimmed.to_string()
        } else {
            format!("**/{trimmed}")
        };
        let glob = GlobBuilder::new(&pattern)
            .literal_separator(true)
            .backslash_escape(true)
            .build()
            .map_err(|e| glob_message(&e))?;
        Ok(PathGlob {
            text: text.to_string(),
            matcher: glob.compile_matcher(),
            anchored,
        })
    }

    /// Whether it is anchored at its directory (it holds a `/`).
    pub fn is_anchored(&self) -> bool {
        self.anchored
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether `relative` (a `/`-separated path relative to the config's directory) or one
    /// of its parent directories matches.
    pub fn matches(&self, relative: &str) -> bool {
        let mut candidate = relative.trim_end_matches('/');
        loop {
            if !candidate.is_empty() && self.matcher.is_match(candidate) {
                return true;
            }
            match candidate.rfind('/') {
                Some(slash) => candidate = &candidate[..slash],
                None => return false,
            }
        }
    }
}

impl PartialEq for PathGlob {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

/// A glob over resource addresses: `*` matches any run of characters (dots, slashes and
/// brackets included), `?` one character, `[abc]` a class. Without wildcards it is the exact
/// address. It matches the declaration's address (`module.web.azurerm_linux_web_app.this`,
/// an ARM name or symbolic name).
#[derive(Debug, Clone)]
pub struct AddressGlob {
    text: String,
    matcher: GlobMatcher,
}

impl AddressGlob {
    pub fn new(text: &str) -> Result<Self, String> {
        if text.trim().is_empty() {
            return Err("the resource address is empty".into());
        }
        let glob = Glob::new(text).map_err(|e| glob_message(&e))?;
        Ok(AddressGlob {
            text: text.to_string(),
            matcher: glob.compile_matcher(),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn matches(&self, address: &str) -> bool {
        self.matcher.is_match(address)
    }
}

impl PartialEq for AddressGlob {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

/// globset's error without its "error parsing glob '…':" prefix (we show the position).
fn glob_message(error: &globset::Error) -> String {
    format!("invalid glob: {}", error.kind())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_globs_follow_gitignore_habits() {
        let name = PathGlob::new("examples").unwrap();
        assert!(name.matches("examples/main.tf"));
        assert!(name.matches("infra/examples/a/main.tf"));
        assert!(!name.matches("examples2/main.tf"));
        let anchored = PathGlob::new("infra/legacy").unwrap();
        assert!(anchored.matches("infra/legacy/main.tf"));
        assert!(!anchored.matches("other/infra/legacy/main.tf"));
        let star = PathGlob::new("./envs/*/main.tf").unwrap();
        assert!(star.matches("envs/prod/main.tf"));
        assert!(!star.matches("envs/prod/x/main.tf"));
        let deep = PathGlob::new("envs/**/*.json").unwrap();
        assert!(deep.matches("envs/a/b/t.json"));
    }

    #[test]
    fn a_leading_slash_or_dot_slash_anchors_a_name_at_the_top() {
        for text in ["./main.tf", "/main.tf"] {
            let top = PathGlob::new(text).unwrap();
            assert!(top.is_anchored(), "{text}");
            assert!(top.matches("main.tf"), "{text}");
            assert!(!top.matches("jobs/main.tf"), "{text}");
        }
        let name = PathGlob::new("examples/").unwrap();
        assert!(!name.is_anchored());
        assert!(name.matches("a/examples/main.tf"));
    }

    #[test]
    fn address_globs_cross_dots_and_slashes() {
        let glob = AddressGlob::new("module.web.*").unwrap();
        assert!(glob.matches("module.web.azurerm_linux_web_app.this"));
        assert!(!glob.matches("module.api.azurerm_linux_web_app.this"));
        assert!(AddressGlob::new("site/*").unwrap().matches("site/staging"));
        assert!(
            AddressGlob::new("azurerm_linux_web_app.api")
                .unwrap()
                .matches("azurerm_linux_web_app.api")
        );
    }

    #[test]
    fn bad_globs_say_why() {
        assert!(
            PathGlob::new("src/[a")
                .unwrap_err()
                .contains("invalid glob")
        );
        assert!(
            AddressGlob::new("web-[z-a]")
                .unwrap_err()
                .contains("invalid glob")
        );
        assert!(PathGlob::new("").is_err());
    }
}
