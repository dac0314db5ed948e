use super::*;

/// Every `#` or `//` comment (to the end of its line) in test sources without strings that
/// hold those markers.
fn comments(source: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in source.split_inclusive('\n') {
        let hash = line.find('#');
        let slashes = line.find("//");
        if let Some(at) = [hash, slashes].into_iter().flatten().min() {
            let end = line.trim_end_matches('\n').len();
            out.push(line_start + at..line_start + end);
        }
        line_start += line.len();
    }
    out
}

/// The resource whose header is the `n`th line containing `header` and whose body runs from
/// the `{` on that line to the matching `}`.
fn resource(source: &str, header: &str) -> ResourceSpans {
    let start = source.find(header).unwrap();
    let open = start + source[start..].find('{').unwrap();
    let mut depth = 0;
    let mut end = open;
    for (i, c) in source[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    end = open + i + 1;
                    break;
                }
            }
            _ => {}
        }
    }
    ResourceSpans {
        header: start..start + header.len(),
        body: open..end,
    }
}

fn reasons(placed: &[Placed]) -> Vec<&str> {
    placed
        .iter()
        .map(|p| {
            p.suppression
                .reason
                .as_deref()
                .unwrap_or(p.suppression.kind.label())
        })
        .collect()
}

const TERRAFORM: &str = r#"# certgate:ignore[client-cert-disabled] reason=above owner=team-a
# checkov:skip=CKV_AZURE_17:second line of the run
resource "azurerm_linux_web_app" "a" {
  name = "a"
}

# certgate:ignore reason=orphan

resource "azurerm_linux_web_app" "b" {
  # certgate:ignore[client-cert-optional] reason=inside
  # kics-scan ignore-line
  client_certificate_enabled = true
}
name = "x" # certgate:ignore reason=trailing-code-line
resource "azurerm_linux_web_app" "c" {
}
# certgate:ignore[client-cert-nope] reason=bad
"#;

#[test]
fn above_header_inside_body_and_orphans() {
    let resources = [
        resource(TERRAFORM, "resource \"azurerm_linux_web_app\" \"a\""),
        resource(TERRAFORM, "resource \"azurerm_linux_web_app\" \"b\""),
        resource(TERRAFORM, "resource \"azurerm_linux_web_app\" \"c\""),
    ];
    let attached = attach(TERRAFORM, &comments(TERRAFORM), &resources, true);
    assert_eq!(
        reasons(&attached.per_resource[0]),
        ["above", "second line of the run"]
    );
    assert_eq!(
        reasons(&attached.per_resource[1]),
        ["inside", "kics-scan ignore-line"]
    );
    // The KICS line comment covers the line below it only (line 12).
    assert_eq!(attached.per_resource[1][1].only_line, Some(12));
    assert_eq!(attached.per_resource[1][0].only_line, None);
    // A comment after code on its line is not "above" the next header.
    assert!(attached.per_resource[2].is_empty());
    let orphans: Vec<_> = attached
        .orphans
        .iter()
        .map(|s| s.reason.as_deref().unwrap())
        .collect();
    assert_eq!(orphans, ["orphan", "trailing-code-line"]);
    assert_eq!(attached.invalid.len(), 1);
    assert_eq!(
        &TERRAFORM[attached.invalid[0].span.clone()],
        "client-cert-nope"
    );
}

#[test]
fn one_resource_at_a_time() {
    let b = resource(TERRAFORM, "resource \"azurerm_linux_web_app\" \"b\"");
    let placed = for_resource(TERRAFORM, &comments(TERRAFORM), &b, true);
    assert_eq!(reasons(&placed), ["inside", "kics-scan ignore-line"]);
}

#[test]
fn peers_can_be_switched_off() {
    let resources = [resource(
        TERRAFORM,
        "resource \"azurerm_linux_web_app\" \"a\"",
    )];
    let attached = attach(TERRAFORM, &comments(TERRAFORM), &resources, false);
    assert_eq!(reasons(&attached.per_resource[0]), ["above"]);
}

const ARM: &str = r#"{
  "resources": [
    // certgate:ignore[client-cert-disabled] reason=parent
    {
      "type": "Microsoft.Web/sites",
      "resources": [
        // certgate:ignore reason=child-above
        {
          "type": "slots",
          // certgate:ignore reason=child-inside
          "properties": {}
        }
      ],
      // certgate:ignore reason=parent-inside
      "properties": {}
    }
  ]
}"#;

#[test]
fn nested_arm_children_get_their_own_comments() {
    let parent_start = ARM
        .find("    {\n      \"type\": \"Microsoft.Web/sites\"")
        .unwrap()
        + 4;
    let child_start = ARM
        .find("        {\n          \"type\": \"slots\"")
        .unwrap()
        + 8;
    let span_of = |start: usize| {
        let text = &ARM[start..];
        let mut depth = 0;
        let end = text
            .char_indices()
            .find_map(|(i, c)| {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(start + i + 1);
                        }
                    }
                    _ => {}
                }
                None
            })
            .unwrap();
        ResourceSpans {
            header: start..start + 1,
            body: start..end,
        }
    };
    let resources = [span_of(parent_start), span_of(child_start)];
    let attached = attach(ARM, &comments(ARM), &resources, true);
    assert_eq!(
        reasons(&attached.per_resource[0]),
        ["parent", "parent-inside"]
    );
    assert_eq!(
        reasons(&attached.per_resource[1]),
        ["child-above", "child-inside"]
    );
    assert!(attached.orphans.is_empty());
}

#[test]
fn block_comment_run_and_kics_block_above() {
    let source = "/* certgate:ignore\n   reason=multi-line */\n// kics-scan ignore-block\nresource \"x\" \"y\" {\n}\n";
    let block_end = source.find("*/").unwrap() + 2;
    let line_comment = source.find("// kics").unwrap();
    let line_end = line_comment + source[line_comment..].find('\n').unwrap();
    let comments = [0..block_end, line_comment..line_end];
    let resources = [resource(source, "resource \"x\" \"y\"")];
    let attached = attach(source, &comments, &resources, true);
    assert_eq!(
        reasons(&attached.per_resource[0]),
        ["multi-line", "kics-scan ignore-block"]
    );
    // Above the header, a KICS block covers the whole resource.
    assert_eq!(attached.per_resource[0][1].only_line, None);
}

#[test]
fn bad_spans_are_harmless() {
    let source = "é\n";
    let attached = attach(
        source,
        &[1..2, 5..9],
        &[ResourceSpans {
            header: 0..0,
            body: 0..99,
        }],
        true,
    );
    assert!(attached.per_resource[0].is_empty());
}
