//! Decides whether a JSON file is an inventory export of App Service sites, and finds its
//! site rows and the shape each was exported in.
//!
//! - A list (`az webapp list`, `az graph query` with `--query data`, `Search-AzGraph` rows
//!   through `ConvertTo-Json`), `{ "data": [...] }` (`az graph query`; `Data` from PowerShell),
//!   `{ "value": [...] }` (`az rest` GET of a list), or one site object (`az webapp show`,
//!   `az resource show`, `az rest` GET of a site).
//! - A row is a site or slot when its `id` (or PowerShell's `ResourceId`) is a site or slot id
//!   and its `type`, when written, is `Microsoft.Web/sites` or `Microsoft.Web/sites/slots` in
//!   any case. Other rows (plans, a site's `config/web`) are skipped.
//! - The shape: a row of a `data` page is Resource Graph; else a row with `properties` is
//!   Resource Graph when it carries `subscriptionId` (a graph column), else the ARM shape; a
//!   row without `properties` is the CLI's flattened site object.
//!
//! Broken JSON is ours only when the front end's byte search found a site id in it (and no
//! template marker): then it is an error at the parse position. Valid JSON with no site row is
//! not ours; [`NotSites`] says why, for `certgate verify`, which names files explicitly.

use crate::error::FileError;
use crate::json::{self, Json, JsonDocument, JsonKind};
use crate::model::ExportShape;
use crate::source::{FileId, SourceFile, Span};

use super::id;

/// What a JSON file turned out to be.
#[derive(Debug)]
pub(crate) enum Detected {
    Export(JsonDocument),
    /// Valid JSON holding no site row; the text says what it holds instead.
    NotSites(String),
    /// JSON that does not parse, with the position.
    Broken(FileError),
}

/// Parses `source`; `looks_like_export` is what the byte search said of its text.
pub(crate) fn detect(id: FileId, source: &SourceFile, looks_like_export: bool) -> Detected {
    let doc = match json::parse(source.text()) {
        Ok(doc) => doc,
        Err(error) if looks_like_export => {
            return Detected::Broken(FileError::at(
                source.path(),
                Span::new(id, error.span),
                format!(
                    "inventory export is not valid JSON (cut short?): {}",
                    error.message
                ),
            ));
        }
        Err(error) => return Detected::NotSites(format!("it is not JSON ({})", error.message)),
    };
    let rows = rows(&doc.root);
    if rows.items.is_empty() {
        return Detected::NotSites(match &doc.root.kind {
            JsonKind::Array(items) if items.is_empty() => {
                "it is an empty list: an export with no site proves nothing".to_string()
            }
            _ if rows.graph => "its `data` is empty: the query matched no site".to_string(),
            _ => "it is JSON with no object to read".to_string(),
        });
    }
    if rows.items.iter().any(|row| site(row).is_some()) {
        Detected::Export(doc)
    } else {
        let types: Vec<String> = rows
            .items
            .iter()
            .filter_map(|row| row.get_ignore_case("type").and_then(Json::as_str))
            .take(1)
            .map(|t| format!(" (e.g. `{}`)", crate::quote::clip(t)))
            .collect();
        Detected::NotSites(format!(
            "it holds no App Service site or slot{}",
            types.concat()
        ))
    }
}

/// The objects a file lists, and whether they come from a Resource Graph page.
pub(crate) struct Rows<'j> {
    pub items: Vec<&'j Json>,
    pub graph: bool,
    /// The page's `skip_token` / `SkipToken` member, when set: more pages exist.
    pub skip_token: Option<&'j json::Member>,
}

/// The objects of a list (anything else in it is no row).
fn objects(items: &[Json]) -> Vec<&Json> {
    items.iter().filter(|item| item.is_object()).collect()
}

/// The rows of an export (see the module docs for the shapes).
pub(crate) fn rows(root: &Json) -> Rows<'_> {
    match &root.kind {
        JsonKind::Array(items) => Rows {
            items: objects(items),
            graph: false,
            skip_token: None,
        },
        JsonKind::Object(_) => {
            if let Some(data) = root.get_ignore_case("data").and_then(Json::as_array) {
                let skip_token = ["skip_token", "skipToken"]
                    .iter()
                    .find_map(|key| root.member_ignore_case(key))
                    .filter(|member| member.value.as_str().is_some_and(|t| !t.is_empty()));
                return Rows {
                    items: objects(data),
                    graph: true,
                    skip_token,
                };
            }
            if let Some(value) = root.get_ignore_case("value").and_then(Json::as_array) {
                return Rows {
                    items: objects(value),
                    graph: false,
                    skip_token: None,
                };
            }
            Rows {
                items: vec![root],
                graph: false,
                skip_token: None,
            }
        }
        _ => Rows {
            items: Vec::new(),
            graph: false,
            skip_token: None,
        },
    }
}

/// A site row: its id member and the parts of the id.
pub(crate) struct SiteRow<'j> {
    pub object: &'j Json,
    pub id: &'j json::Member,
    pub parts: id::SiteId<'j>,
}

/// The row as a site or slot, when it is one.
pub(crate) fn site(object: &Json) -> Option<SiteRow<'_>> {
    let member = object
        .member_ignore_case("id")
        .or_else(|| object.member_ignore_case("ResourceId"))?;
    let parts = id::parse(member.value.as_str()?)?;
    if let Some(written) = object.get_ignore_case("type").and_then(Json::as_str) {
        let expected = if parts.slot.is_some() {
            "microsoft.web/sites/slots"
        } else {
            "microsoft.web/sites"
        };
        if !written.eq_ignore_ascii_case(expected) {
            return None;
        }
    }
    Some(SiteRow {
        object,
        id: member,
        parts,
    })
}

/// The shape a row was exported in.
pub(crate) fn shape(object: &Json, graph: bool) -> ExportShape {
    match object.member_ignore_case("properties") {
        _ if graph => ExportShape::ResourceGraph,
        None => ExportShape::AzCli,
        Some(_) if object.member_ignore_case("subscriptionId").is_some() => {
            ExportShape::ResourceGraph
        }
        Some(_) => ExportShape::ArmResource,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detected(text: &str, looks: bool) -> Detected {
        detect(1, &SourceFile::new("e.json".into(), text), looks)
    }

    const SITE: &str = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Web/sites/shop";

    #[test]
    fn every_wrapper_yields_its_rows() {
        for (text, graph) in [
            (format!(r#"[{{"id": "{SITE}"}}]"#), false),
            (
                format!(r#"{{"count": 1, "data": [{{"id": "{SITE}"}}], "skip_token": null}}"#),
                true,
            ),
            (format!(r#"{{"Data": [{{"ResourceId": "{SITE}"}}]}}"#), true),
            (format!(r#"{{"value": [{{"id": "{SITE}"}}]}}"#), false),
            (format!(r#"{{"id": "{SITE}", "name": "shop"}}"#), false),
        ] {
            let doc = json::parse(&text).unwrap();
            let rows = rows(&doc.root);
            assert_eq!((rows.items.len(), rows.graph), (1, graph), "{text}");
            assert!(site(rows.items[0]).is_some(), "{text}");
            assert!(
                matches!(detected(&text, true), Detected::Export(_)),
                "{text}"
            );
        }
    }

    #[test]
    fn other_json_is_not_sites_and_says_why() {
        let vm = r#"[{"id": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm", "type": "Microsoft.Compute/virtualMachines"}]"#;
        let Detected::NotSites(why) = detected(vm, false) else {
            panic!("a VM list is not a site export");
        };
        assert!(why.contains("Microsoft.Compute/virtualMachines"), "{why}");
        let Detected::NotSites(why) = detected("[]", false) else {
            panic!("an empty list is not a site export");
        };
        assert!(why.contains("empty list"), "{why}");
        let Detected::NotSites(why) = detected("name,id\nshop,x\n", false) else {
            panic!("CSV is not JSON");
        };
        assert!(why.starts_with("it is not JSON"), "{why}");
        // A site id with a type that is not a site's: a mislabelled row is not read.
        let typed = format!(r#"[{{"id": "{SITE}", "type": "Microsoft.Web/serverfarms"}}]"#);
        assert!(matches!(detected(&typed, true), Detected::NotSites(_)));
    }

    #[test]
    fn broken_json_is_an_error_only_when_it_looks_like_an_export() {
        let text = format!("[{{\"id\": \"{SITE}\", \"clientCertEnabled\": fa");
        let Detected::Broken(error) = detected(&text, true) else {
            panic!("a cut export is broken");
        };
        assert!(
            error
                .message
                .starts_with("inventory export is not valid JSON")
        );
        assert!(matches!(detected(&text, false), Detected::NotSites(_)));
    }

    #[test]
    fn the_shape_follows_properties_and_graph_columns() {
        let shape_of = |text: &str, graph| shape(&json::parse(text).unwrap().root, graph);
        assert_eq!(
            shape_of(r#"{"clientCertEnabled": true}"#, false),
            ExportShape::AzCli
        );
        assert_eq!(
            shape_of(r#"{"properties": {}}"#, true),
            ExportShape::ResourceGraph
        );
        assert_eq!(
            shape_of(r#"{"properties": {}, "subscriptionId": "0"}"#, false),
            ExportShape::ResourceGraph
        );
        assert_eq!(
            shape_of(r#"{"properties": {}}"#, false),
            ExportShape::ArmResource
        );
    }
}
