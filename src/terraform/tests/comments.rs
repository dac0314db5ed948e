//! The comments the front end records for inline exceptions: only for files holding a resource,
//! and the same spans the comment lexer (`.tf`) and the `"//"` property walk (`.tf.json`) find.

use std::ops::Range;
use std::sync::Arc;

use crate::model::{Comments, FileComments, JsonProperty};
use crate::source::SourceFile;
use crate::terraform::*;

/// Comment markers inside strings, interpolations and heredocs are text, not comments.
const TRICKY_TF: &str = r##"# above
resource "azurerm_linux_web_app" "web" { // trailing
  name = "# not a comment // nor this"
  tags = { note = "${"// inside"} # still a string" }
  app_settings = {
    SCRIPT = <<-EOT
      # heredoc text
      // also text /* and this */
    EOT
  }
  /* block
     comment */ client_certificate_enabled = true
}
"##;

/// `"//"` properties above a name, inside a body and nested in it; an array holding a
/// non-string; escapes; a value holding `//` that is no comment.
const TRICKY_TF_JSON: &str = r#"{
  "//": "file-wide note",
  "resource": {
    "azurerm_linux_web_app": {
      "//": ["above web", 7, "certgate:ignore reason=\"x\""],
      "web": {
        "//": "inside \u00e9",
        "name": "http://example // not a comment",
        "site_config": {"//": "nested"}
      }
    }
  }
}"#;

fn scan_files(files: &[(&str, &str)]) -> Vec<FileComments> {
    let files: Vec<ModuleFile> = files
        .iter()
        .enumerate()
        .map(|(id, (path, text))| ModuleFile {
            id: id + 10,
            source: Arc::new(SourceFile::new(path.into(), *text)),
        })
        .collect();
    let scan = scan_module(&files);
    assert!(scan.errors.is_empty(), "{:?}", scan.errors);
    let mut comments = scan.comments;
    comments.sort_by_key(|c| c.file);
    comments
}

fn lines(comments: &Comments) -> &[Range<usize>] {
    match comments {
        Comments::Lines(lines) => lines,
        other => panic!("not line comments: {other:?}"),
    }
}

#[test]
fn a_tf_file_records_what_the_comment_lexer_finds_and_nothing_in_strings_or_heredocs() {
    let recorded = scan_files(&[("main.tf", TRICKY_TF)]);
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].file, 10);
    let spans = lines(&recorded[0].comments);
    assert_eq!(spans, crate::terraform::comments::comments(TRICKY_TF));
    let texts: Vec<&str> = spans.iter().map(|s| &TRICKY_TF[s.clone()]).collect();
    assert_eq!(
        texts,
        ["# above", "// trailing", "/* block\n     comment */"]
    );
}

#[test]
fn only_files_holding_a_resource_record_their_comments() {
    let recorded = scan_files(&[
        ("main.tf", "resource \"azurerm_linux_web_app\" \"web\" {}\n"),
        ("variables.tf", "# a comment\nvariable \"x\" {}\n"),
        (
            "notes.tf.json",
            r#"{"//": "no resource here", "locals": {"a": 1}}"#,
        ),
    ]);
    let files: Vec<usize> = recorded.iter().map(|c| c.file).collect();
    assert_eq!(files, [10]);
    assert!(lines(&recorded[0].comments).is_empty());
}

#[test]
fn a_tf_json_file_records_each_comment_string_with_the_member_it_stands_above() {
    let text = TRICKY_TF_JSON;
    let recorded = scan_files(&[("main.tf.json", text)]);
    assert_eq!(recorded.len(), 1);
    let Comments::JsonProperties(properties) = &recorded[0].comments else {
        panic!("not JSON properties: {:?}", recorded[0].comments);
    };
    let key = |name: &str| {
        let at = text.find(&format!("\"{name}\"")).unwrap();
        Some(at..at + name.len() + 2)
    };
    let shown: Vec<(&str, &str, Option<Range<usize>>)> = properties
        .iter()
        .map(|p: &JsonProperty| (&text[p.span.clone()], p.text.as_str(), p.before.clone()))
        .collect();
    assert_eq!(
        shown,
        [
            ("\"file-wide note\"", "file-wide note", key("resource")),
            ("\"above web\"", "above web", key("web")),
            (
                r#""certgate:ignore reason=\"x\"""#,
                r#"certgate:ignore reason="x""#,
                key("web")
            ),
            (r#""inside \u00e9""#, "inside é", key("name")),
            ("\"nested\"", "nested", None),
        ]
    );
}

#[test]
fn a_tf_json_file_without_comments_records_none() {
    let text = r#"{"resource": {"azurerm_linux_web_app": {"web": {"name": "a // b /* c */"}}}}"#;
    let recorded = scan_files(&[("main.tf.json", text)]);
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].comments, Comments::JsonProperties(Vec::new()));
}
