//! A directory that output formats and baselines write paths relative to (the working
//! directory, a baseline's directory, SARIF's `%SRCROOT%`), with the path style to do it in.

use std::borrow::Cow;
use std::path::Path;

use super::style::{self, PathStyle};

/// A base directory, absolute, and the rules its paths follow.
#[derive(Debug, Clone)]
pub struct Base {
    dir: Vec<u8>,
    style: PathStyle,
}

impl Base {
    /// `dir` on this OS, made absolute against the current directory (`std::path`).
    pub fn native(dir: &Path) -> Base {
        Base {
            dir: super::absolute(dir).into_os_string().into_encoded_bytes(),
            style: PathStyle::NATIVE,
        }
    }

    /// The current directory: what `github`, `gitlab` and `junit` paths are relative to.
    pub fn cwd() -> Base {
        Base::native(Path::new("."))
    }

    /// `dir`, an absolute path written under `style`: how the tests spell Windows paths on
    /// Unix and Unix paths on Windows. Paths given to it are then taken as written (absolute,
    /// in that style) rather than made absolute on this OS.
    pub fn styled(dir: &str, style: PathStyle) -> Base {
        Base {
            dir: dir.as_bytes().to_vec(),
            style,
        }
    }

    /// `path` absolute, as bytes in this base's style.
    fn target<'a>(&self, path: &'a Path) -> Cow<'a, [u8]> {
        if self.style == PathStyle::NATIVE {
            Cow::Owned(super::absolute(path).into_os_string().into_encoded_bytes())
        } else {
            Cow::Borrowed(path.as_os_str().as_encoded_bytes())
        }
    }

    /// `path` relative to the base, `/`-separated (`..` climbs out of it); on another drive
    /// or share, `path` itself, absolute and `/`-separated. See [`style::relative_text`].
    pub fn text(&self, path: &Path) -> String {
        style::relative_text(&self.dir, &self.target(path), self.style)
    }

    /// `path` as a URI reference relative to the base (percent-encoded), or `None` when no
    /// relative path leads there (another drive or share).
    pub fn relative_uri(&self, path: &Path) -> Option<String> {
        style::relative_uri(&self.dir, &self.target(path), self.style)
    }

    /// `path` as an absolute `file:` URI.
    pub fn file_uri(&self, path: &Path) -> Option<String> {
        style::file_uri(&self.target(path), self.style, false)
    }

    /// The base itself as a `file:` URI with a trailing `/`.
    pub fn uri(&self) -> String {
        style::file_uri(&self.dir, self.style, true).unwrap_or_else(|| "file:///".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_bases_make_relative_paths_absolute_first() {
        let base = Base::cwd();
        assert_eq!(base.text(Path::new("infra/./main.tf")), "infra/main.tf");
        assert_eq!(
            base.relative_uri(Path::new("a b.tf")).as_deref(),
            Some("a%20b.tf")
        );
        let parent = Base::native(Path::new(".."));
        let here = std::env::current_dir().expect("a current directory");
        let name = here.file_name().expect("not the root").to_string_lossy();
        assert_eq!(parent.text(Path::new("x.tf")), format!("{name}/x.tf"));
    }

    #[test]
    fn styled_bases_take_paths_as_written() {
        let base = Base::styled(r"C:\repo", PathStyle::Windows);
        let file = Path::new(r"C:\repo\infra\main.tf");
        assert_eq!(base.text(file), "infra/main.tf");
        assert_eq!(base.relative_uri(file).as_deref(), Some("infra/main.tf"));
        assert_eq!(
            base.file_uri(file).as_deref(),
            Some("file:///C:/repo/infra/main.tf")
        );
        assert_eq!(base.uri(), "file:///C:/repo/");
    }
}
