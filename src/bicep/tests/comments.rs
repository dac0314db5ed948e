//! The comments the front end records for inline exceptions: the parse's own, the same spans
//! the comment lexer finds, with nothing taken from strings and no `#disable-next-line`.

use crate::arm::Scenarios;
use crate::load::Loader;
use crate::model::Comments;
use crate::source::SourceMap;

/// Comment markers inside strings, interpolations and multi-line strings are text.
const TRICKY: &str = r#"// above
#disable-next-line no-unused-params
param note string = 'http://example // not a comment /* nor this */'
var multi = '''
// inside a multi-line string
'''
/* block
   comment */
resource web 'Microsoft.Web/sites@2022-09-01' = { // trailing
  name: 'web-${'//'}-${note}'
  location: 'westeurope'
  properties: {
    clientCertEnabled: true
  }
}
"#;

/// Scans `text` as `main.bicep`; the recorded comments and the file id of its resources.
fn recorded(text: &str) -> (Vec<crate::model::FileComments>, usize) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("main.bicep");
    std::fs::write(&path, text).unwrap();
    let sources = SourceMap::default();
    let loader = Loader::new(&sources);
    let known = crate::bicep::Known::default();
    let scan = crate::bicep::scan_files(&[path], &known, &loader, &Scenarios::default());
    let file = scan.resources[0]
        .suppression_anchor
        .as_ref()
        .unwrap()
        .header
        .file;
    (scan.comments, file)
}

#[test]
fn records_what_the_comment_lexer_finds_and_nothing_in_strings() {
    let (recorded, file) = recorded(TRICKY);
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].file, file);
    let Comments::Lines(spans) = &recorded[0].comments else {
        panic!("not line comments: {:?}", recorded[0].comments);
    };
    assert_eq!(*spans, crate::bicep::comments(TRICKY));
    let texts: Vec<&str> = spans.iter().map(|s| &TRICKY[s.clone()]).collect();
    assert_eq!(
        texts,
        ["// above", "/* block\n   comment */", "// trailing"]
    );
}

#[test]
fn a_file_without_comments_records_an_empty_list() {
    let text =
        "resource web 'Microsoft.Web/sites@2022-09-01' = {\n  name: 'a//b'\n  location: 'x'\n}\n";
    let (recorded, _) = recorded(text);
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].comments, Comments::Lines(Vec::new()));
}

#[test]
fn a_file_declaring_no_resource_keeps_no_comments() {
    let keep = |text: &str| {
        let result = crate::bicep::parse(0, text);
        crate::bicep::comments_of_resources(&result.program, result.comments)
    };
    assert_eq!(keep("// note\nparam x string\n"), None);
    assert_eq!(keep(TRICKY), Some(crate::bicep::comments(TRICKY)));
}
