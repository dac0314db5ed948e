//! `--diff`: a unified diff of what `--fix` would write, per file, with the `similar` crate.

use std::path::Path;

/// A unified diff (`--- a/PATH`, `+++ b/PATH`, hunks with 3 lines of context) turning `old`
/// into `new`; empty when they are equal. A missing final newline is marked as `diff` does.
pub fn unified(path: &Path, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let text = crate::paths::path_text(path);
    // Windows separators become `/`; elsewhere a `\` is part of a name (or of a `\xNN` escape).
    let shown = if cfg!(windows) {
        text.replace('\\', "/")
    } else {
        text.into_owned()
    };
    // `a/` and `b/` as git writes them, so `patch -p1` applies the diff; an absolute path
    // is shown as it is.
    let (a, b) = if path.is_absolute() {
        (shown.clone(), shown)
    } else {
        (format!("a/{shown}"), format!("b/{shown}"))
    };
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .missing_newline_hint(true)
        .header(&a, &b)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_has_headers_hunks_and_the_missing_newline_marker() {
        let diff = unified(Path::new("m/main.tf"), "a\nb = false\nc", "a\nb = true\nc");
        assert_eq!(
            diff,
            "--- a/m/main.tf\n+++ b/m/main.tf\n@@ -1,3 +1,3 @@\n a\n-b = false\n+b = true\n c\n\\ No newline at end of file\n"
        );
        assert_eq!(unified(Path::new("x"), "same", "same"), "");
    }
}
