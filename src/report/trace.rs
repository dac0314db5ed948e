//! What a scan did, for `check --verbose` and `--show-files`: the files each front end
//! searched, the units it judged, the config files read, and the time each stage took.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use super::excerpt::{display_path, display_text};

/// Recorded only when [`crate::scan::Settings::trace`] asks for it (the file list of a large
/// tree is not free).
#[derive(Debug, Clone, Default)]
pub struct Trace {
    /// Every file the summary counts as scanned, in path order, with the front end that
    /// searched it (`terraform`, `arm`, …).
    pub files: Vec<(PathBuf, &'static str)>,
    /// How many discovered files a config's `exclude` or `--exclude` left out.
    pub excluded: usize,
    /// The units each front end judged, sorted, by the front end's name (front ends without
    /// units left out).
    pub units: Vec<(&'static str, Vec<String>)>,
    /// The config files read, sorted; empty when only the defaults apply.
    pub configs: Vec<PathBuf>,
    /// The scan's stages in order, with the time each took.
    pub stages: Vec<(&'static str, Duration)>,
}

/// The prefix of every `--verbose` line, so they can be told from errors on stderr.
pub const PREFIX: &str = "verbose: ";

impl Trace {
    /// The `--verbose` lines: config files, files per front end, units, then one `time` line
    /// per stage (the scan's, then `after`: stages the caller timed, such as fixes and report).
    pub fn render(&self, after: &[(&'static str, Duration)]) -> String {
        let mut out = String::new();
        let mut line = |text: &str| {
            out.push_str(PREFIX);
            out.push_str(text);
            out.push('\n');
        };
        if self.configs.is_empty() {
            line("config: none (the defaults apply)");
        }
        for config in &self.configs {
            line(&format!("config: {}", display_path(config)));
        }
        line(&format!(
            "files: {} scanned, {} excluded",
            self.files.len(),
            self.excluded
        ));
        for (front_end, files) in self.files_by_front_end() {
            line(&format!("{front_end}: {}", plural(files.len(), "file")));
            for file in files {
                line(&format!("  {}", display_path(file)));
            }
        }
        for (front_end, units) in &self.units {
            line(&format!("{front_end}: {}", plural(units.len(), "unit")));
            for unit in units {
                line(&format!("  {}", display_text(unit)));
            }
        }
        for (stage, took) in self.stages.iter().chain(after) {
            let mut text = String::new();
            let _ = write!(text, "time {stage} {:.1} ms", took.as_secs_f64() * 1000.0);
            line(&text);
        }
        out
    }

    /// The files grouped by front end (by its name), each group in path order.
    fn files_by_front_end(&self) -> Vec<(&'static str, Vec<&PathBuf>)> {
        let mut groups: Vec<(&'static str, Vec<&PathBuf>)> = Vec::new();
        for (path, front_end) in &self.files {
            match groups.iter_mut().find(|(name, _)| name == front_end) {
                Some((_, list)) => list.push(path),
                None => groups.push((front_end, vec![path])),
            }
        }
        groups.sort_by_key(|(name, _)| *name);
        groups
    }

    /// The `--show-files` output: one path per line, sorted.
    pub fn file_list(&self) -> String {
        let mut paths: Vec<String> = self
            .files
            .iter()
            .map(|(path, _)| display_path(path))
            .collect();
        paths.sort();
        let mut out = String::new();
        for path in paths {
            out.push_str(&path);
            out.push('\n');
        }
        out
    }
}

/// `1 file`, `2 units`.
fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trace() -> Trace {
        Trace {
            files: vec![
                (PathBuf::from("a/main.bicep"), "bicep"),
                (PathBuf::from("b/main.tf"), "terraform"),
                (PathBuf::from("c/main.tf"), "terraform"),
            ],
            excluded: 2,
            units: vec![("terraform", vec!["root module b".into()])],
            configs: vec![],
            stages: vec![("discovery", Duration::from_micros(1500))],
        }
    }

    #[test]
    fn every_line_is_prefixed_and_files_are_grouped_by_front_end() {
        let text = trace().render(&[("report", Duration::ZERO)]);
        assert!(text.lines().all(|l| l.starts_with(PREFIX)), "{text}");
        let lines: Vec<&str> = text.lines().map(|l| &l[PREFIX.len()..]).collect();
        assert_eq!(
            lines,
            [
                "config: none (the defaults apply)",
                "files: 3 scanned, 2 excluded",
                "bicep: 1 file",
                "  a/main.bicep",
                "terraform: 2 files",
                "  b/main.tf",
                "  c/main.tf",
                "terraform: 1 unit",
                "  root module b",
                "time discovery 1.5 ms",
                "time report 0.0 ms",
            ]
        );
    }

    #[test]
    fn control_characters_in_names_are_escaped_one_line_each() {
        let trace = Trace {
            files: vec![
                (PathBuf::from("new\nline/main.tf"), "terraform"),
                (PathBuf::from("a\u{1b}[2J.json"), "arm"),
            ],
            units: vec![("arm", vec!["template a\u{1b}[2J.json".into()])],
            configs: vec![PathBuf::from("c\u{7}/certgate.toml")],
            ..Trace::default()
        };
        for text in [trace.render(&[]), trace.file_list()] {
            assert!(
                !text.chars().any(|c| c.is_control() && c != '\n'),
                "{text:?}"
            );
            assert!(text.contains(r"new\nline/main.tf"), "{text}");
            assert!(text.contains(r"a\u{1b}[2J.json"), "{text}");
        }
        assert_eq!(trace.file_list().lines().count(), 2);
        let verbose = trace.render(&[]);
        assert!(
            verbose.contains(r"config: c\u{7}/certgate.toml"),
            "{verbose}"
        );
        assert!(verbose.contains(r"  template a\u{1b}[2J.json"), "{verbose}");
    }

    #[test]
    fn the_file_list_is_one_sorted_path_per_line() {
        assert_eq!(trace().file_list(), "a/main.bicep\nb/main.tf\nc/main.tf\n");
        assert_eq!(Trace::default().file_list(), "");
    }
}
