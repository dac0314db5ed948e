//! `certgate check --stdin-filename PATH -`: an editor's unsaved buffer, scanned as if it were
//! PATH's contents (through the loader's in-memory overrides; the rest of its unit is read from
//! disk).

use std::io::Read;
use std::path::PathBuf;

/// The argument that stands for standard input.
pub const STDIN_ARGUMENT: &str = "-";

/// The paths to scan, and the (normalised path, buffer) override that stands for `-`.
pub type Resolved = (Vec<PathBuf>, Option<(PathBuf, String)>);

/// The paths to scan (`.` when none are given, `-` replaced by `stdin_filename`) and the
/// override that makes PATH read as the buffer. `fix` rejects `-`: a fix would overwrite the
/// file on disk with the edited buffer behind the editor's back.
pub fn resolve(
    paths: Vec<PathBuf>,
    stdin_filename: Option<PathBuf>,
    fix: bool,
) -> Result<Resolved, String> {
    resolve_with(paths, stdin_filename, fix, || {
        let mut buffer = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buffer)
            .map_err(|why| format!("cannot read standard input: {why}"))?;
        String::from_utf8(buffer).map_err(|_| "standard input is not valid UTF-8".to_string())
    })
}

fn resolve_with(
    paths: Vec<PathBuf>,
    stdin_filename: Option<PathBuf>,
    fix: bool,
    read: impl FnOnce() -> Result<String, String>,
) -> Result<Resolved, String> {
    let dashes = paths
        .iter()
        .filter(|p| p.as_os_str() == STDIN_ARGUMENT)
        .count();
    match (dashes, stdin_filename) {
        (0, None) if paths.is_empty() => Ok((vec![PathBuf::from(".")], None)),
        (0, None) => Ok((paths, None)),
        (0, Some(_)) => Err(
            "--stdin-filename names the file standard input stands for; pass `-` as the path too"
                .to_string(),
        ),
        (1, None) => Err(
            "`-` reads standard input, which needs --stdin-filename PATH to say which file it is \
             (PATH's directory supplies the rest of its unit)"
                .to_string(),
        ),
        (1, Some(_)) if fix => Err(
            "--fix cannot write a fix for standard input; use --diff to see the fix".to_string(),
        ),
        (1, Some(name)) => {
            let buffer = read()?;
            let paths = paths
                .into_iter()
                .map(|p| {
                    if p.as_os_str() == STDIN_ARGUMENT {
                        name.clone()
                    } else {
                        p
                    }
                })
                .collect();
            Ok((paths, Some((crate::paths::normalize(&name), buffer))))
        }
        (_, _) => Err("`-` (standard input) can be given only once".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(paths: &[&str], name: Option<&str>, fix: bool) -> Result<Vec<PathBuf>, String> {
        let paths = paths.iter().map(PathBuf::from).collect();
        resolve_with(paths, name.map(PathBuf::from), fix, || Ok("buf".into())).map(|(p, _)| p)
    }

    #[test]
    fn dash_is_replaced_by_the_stdin_filename() {
        assert_eq!(
            run(&["-"], Some("./a/main.tf"), false),
            Ok(vec![PathBuf::from("./a/main.tf")])
        );
    }

    #[test]
    fn misuse_is_rejected() {
        assert!(
            run(&["-"], None, false)
                .unwrap_err()
                .contains("--stdin-filename")
        );
        assert!(run(&["a.tf"], Some("a.tf"), false).is_err());
        assert!(run(&["-", "-"], Some("a.tf"), false).is_err());
        assert!(
            run(&["-"], Some("a.tf"), true)
                .unwrap_err()
                .contains("--fix")
        );
    }

    #[test]
    fn no_paths_means_the_current_directory() {
        assert_eq!(run(&[], None, false), Ok(vec![PathBuf::from(".")]));
    }
}
