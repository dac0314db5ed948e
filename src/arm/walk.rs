//! Walks a template's resources to every App Service site and slot it would deploy.
//!
//! Followed: `resources` as an array or as an object keyed by symbolic name (`languageVersion`
//! 2.0), nested child `resources` (short child types are prefixed with the parent's full type),
//! and inline nested deployments (`Microsoft.Resources/deployments` with `properties.template`),
//! to any depth. Skipped: resources whose `condition` is literally false (with everything under
//! them) and `"existing": true` references, which deploy nothing themselves. Not followed yet:
//! `templateLink` deployments and `copy` loops (a looped site is reported once, as written).
//! Types and property names are compared case-insensitively, as ARM does.

use crate::json::{Json, JsonKind};

use super::expr::is_false_literal;

/// The in-scope site type.
pub const SITE_TYPE: &str = "Microsoft.Web/sites";
/// The in-scope slot type.
pub const SLOT_TYPE: &str = "Microsoft.Web/sites/slots";
const DEPLOYMENT_TYPE: &str = "Microsoft.Resources/deployments";

/// One site or slot declaration and where it sits in the template.
#[derive(Debug, Clone)]
pub struct Site<'a> {
    /// The resource object.
    pub object: &'a Json,
    /// The full type: as written, or the parent's full type + `/` + a child's short type.
    pub resource_type: String,
    pub is_slot: bool,
    /// Names of the inline deployments around it, outermost first.
    pub deployments: Vec<String>,
    /// Names of its parent resources, outermost first, then its own name, each as written.
    pub names: Vec<String>,
    /// The site object this was nested under, if any (a slot without a `kind` inherits its).
    pub parent_site: Option<&'a Json>,
}

/// Every site and slot in `template` (a template root), in document order.
pub fn walk(template: &Json) -> Vec<Site<'_>> {
    let mut walker = Walker::default();
    walker.template(template);
    walker.sites
}

/// The resource a child is nested under.
struct Parent<'a> {
    object: &'a Json,
    full_type: String,
    names: Vec<String>,
}

#[derive(Default)]
struct Walker<'a> {
    sites: Vec<Site<'a>>,
    /// The inline deployments currently being walked, outermost first.
    deployments: Vec<String>,
}

impl<'a> Walker<'a> {
    fn template(&mut self, template: &'a Json) {
        if let Some(resources) = template.get_ignore_case("resources") {
            for (name, object) in entries(resources) {
                self.resource(object, name, None);
            }
        }
    }

    // Recursion depth is bounded: the JSON parser caps nesting at 512.
    fn resource(&mut self, object: &'a Json, name: String, parent: Option<&Parent<'a>>) {
        if !object.is_object() || is_literally_false(object.get_ignore_case("condition")) {
            return;
        }
        // Without a type the resource cannot be classified, nor its short-typed children.
        let Some(written) = object.get_ignore_case("type").and_then(Json::as_str) else {
            return;
        };
        let full_type = match parent {
            Some(parent) if !written.contains('/') => format!("{}/{written}", parent.full_type),
            _ => written.to_string(),
        };
        let mut names = parent.map(|p| p.names.clone()).unwrap_or_default();
        names.push(name);

        // An `existing` reference deploys nothing, but children nested under it still deploy.
        let existing = matches!(
            object.get_ignore_case("existing").map(|v| &v.kind),
            Some(JsonKind::Bool(true))
        );
        if !existing {
            let is_site = full_type.eq_ignore_ascii_case(SITE_TYPE);
            let is_slot = full_type.eq_ignore_ascii_case(SLOT_TYPE);
            if is_site || is_slot {
                self.sites.push(Site {
                    object,
                    resource_type: full_type.clone(),
                    is_slot,
                    deployments: self.deployments.clone(),
                    names: names.clone(),
                    parent_site: parent
                        .filter(|p| p.full_type.eq_ignore_ascii_case(SITE_TYPE))
                        .map(|p| p.object),
                });
            } else if full_type.eq_ignore_ascii_case(DEPLOYMENT_TYPE) {
                self.deployment(object, names.last().cloned().unwrap_or_default());
            }
        }

        if let Some(children) = object.get_ignore_case("resources") {
            let parent = Parent {
                object,
                full_type,
                names,
            };
            for (name, child) in entries(children) {
                self.resource(child, name, Some(&parent));
            }
        }
    }

    fn deployment(&mut self, object: &'a Json, name: String) {
        let properties = object.get_ignore_case("properties");
        if let Some(template) = properties
            .and_then(|p| p.get_ignore_case("template"))
            .filter(|t| t.is_object())
        {
            self.deployments.push(name);
            self.template(template);
            self.deployments.pop();
        } else if properties
            .and_then(|p| p.get_ignore_case("templateLink"))
            .is_some()
        {
            // A linked template cannot be read statically. This is where a later issue reports
            // `client-cert-unresolved` (or follows a local relative path); for now it is silent.
        }
    }
}

/// The resources in a `resources` value with their names: an array's entries named by their
/// `name` (or `resources[INDEX]` when that is not a string), an object's by symbolic name.
fn entries(resources: &Json) -> Vec<(String, &Json)> {
    match &resources.kind {
        JsonKind::Array(items) => items
            .iter()
            .enumerate()
            .map(|(index, item)| {
                let name = match item.get_ignore_case("name").and_then(Json::as_str) {
                    Some(name) => name.to_string(),
                    None => format!("resources[{index}]"),
                };
                (name, item)
            })
            .collect(),
        JsonKind::Object(members) => members.iter().map(|m| (m.key.clone(), &m.value)).collect(),
        _ => Vec::new(),
    }
}

/// Whether a `condition` is literally false: the JSON boolean, or the expression `[false()]`.
/// Anything else (absent, true, an expression on parameters) is deployed as far as we know.
fn is_literally_false(condition: Option<&Json>) -> bool {
    match condition.map(|c| &c.kind) {
        Some(JsonKind::Bool(value)) => !value,
        Some(JsonKind::String(text)) => is_false_literal(text),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    fn sites(text: &str) -> Vec<(String, bool, Vec<String>, Vec<String>)> {
        let doc = json::parse(text).unwrap();
        walk(&doc.root)
            .into_iter()
            .map(|s| (s.resource_type, s.is_slot, s.deployments, s.names))
            .collect()
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn finds_sites_and_slots_in_a_resources_array_case_insensitively() {
        let text = r#"{ "resources": [
            { "type": "microsoft.web/SITES", "name": "a" },
            { "type": "Microsoft.Web/serverfarms", "name": "plan" },
            { "type": "Microsoft.Web/sites/slots", "name": "a/staging" },
            { "TYPE": "Microsoft.Web/sites", "Name": "b" }
        ]}"#;
        assert_eq!(
            sites(text),
            vec![
                ("microsoft.web/SITES".into(), false, vec![], strings(&["a"])),
                (SLOT_TYPE.into(), true, vec![], strings(&["a/staging"])),
                (SITE_TYPE.into(), false, vec![], strings(&["b"])),
            ]
        );
    }

    #[test]
    fn symbolic_resources_object_skips_existing_references() {
        let text = r#"{ "languageVersion": "2.0", "resources": {
            "shared": { "type": "Microsoft.Web/sites", "existing": true, "name": "shared-site" },
            "web": { "type": "Microsoft.Web/sites", "name": "[parameters('name')]" }
        }}"#;
        assert_eq!(
            sites(text),
            vec![(SITE_TYPE.into(), false, vec![], strings(&["web"]))]
        );
    }

    #[test]
    fn short_and_full_child_slot_types_under_a_site() {
        let text = r#"{ "resources": [ { "type": "Microsoft.Web/sites", "name": "web",
            "kind": "functionapp",
            "resources": [
                { "type": "slots", "name": "staging" },
                { "type": "Microsoft.Web/sites/slots", "name": "canary" },
                { "type": "config", "name": "web" }
            ] } ] }"#;
        let doc = json::parse(text).unwrap();
        let found = walk(&doc.root);
        assert_eq!(found.len(), 3);
        assert_eq!(found[1].resource_type, "Microsoft.Web/sites/slots");
        assert_eq!(found[1].names, strings(&["web", "staging"]));
        assert!(found[1].is_slot);
        assert_eq!(found[2].resource_type, "Microsoft.Web/sites/slots");
        assert_eq!(found[2].names, strings(&["web", "canary"]));
        // Both slots know the site they sit under; the site itself has no parent.
        assert!(std::ptr::eq(found[1].parent_site.unwrap(), found[0].object));
        assert!(found[0].parent_site.is_none());
    }

    #[test]
    fn inline_nested_deployments_are_walked_to_any_depth() {
        let text = r#"{ "resources": [
          { "type": "Microsoft.Resources/deployments", "name": "outer",
            "properties": { "template": { "resources": [
              { "type": "Microsoft.Web/sites", "name": "mid-site" },
              { "type": "microsoft.resources/DEPLOYMENTS", "name": "inner",
                "properties": { "template": { "languageVersion": "2.0", "resources": {
                  "deep": { "type": "Microsoft.Web/sites", "name": "[parameters('siteName')]" }
                } } } }
            ] } } },
          { "type": "Microsoft.Resources/deployments", "name": "linked",
            "properties": { "templateLink": { "uri": "https://example.org/site.json" } } },
          { "type": "Microsoft.Web/sites", "name": "top" }
        ]}"#;
        assert_eq!(
            sites(text),
            vec![
                (
                    SITE_TYPE.into(),
                    false,
                    strings(&["outer"]),
                    strings(&["mid-site"])
                ),
                (
                    SITE_TYPE.into(),
                    false,
                    strings(&["outer", "inner"]),
                    strings(&["deep"])
                ),
                (SITE_TYPE.into(), false, vec![], strings(&["top"])),
            ]
        );
    }

    #[test]
    fn literally_false_conditions_skip_the_resource_and_its_children() {
        let text = r#"{ "resources": [
          { "type": "Microsoft.Web/sites", "name": "off", "condition": false,
            "resources": [ { "type": "slots", "name": "s" } ] },
          { "type": "Microsoft.Web/sites", "name": "off2", "condition": "[FALSE()]" },
          { "type": "Microsoft.Resources/deployments", "name": "d", "condition": "[ false() ]",
            "properties": { "template": { "resources": [
              { "type": "Microsoft.Web/sites", "name": "hidden" } ] } } },
          { "type": "Microsoft.Web/sites", "name": "on", "condition": true },
          { "type": "Microsoft.Web/sites", "name": "maybe", "condition": "[parameters('deploy')]" }
        ]}"#;
        let names: Vec<_> = sites(text).into_iter().map(|s| s.3).collect();
        assert_eq!(names, vec![strings(&["on"]), strings(&["maybe"])]);
    }

    #[test]
    fn unnamed_and_untyped_resources() {
        let text = r#"{ "resources": [
            { "type": "Microsoft.Web/sites", "name": ["not", "a", "string"] },
            { "name": "no-type", "resources": [ { "type": "Microsoft.Web/sites", "name": "x" } ] },
            "not an object"
        ]}"#;
        assert_eq!(
            sites(text),
            vec![(SITE_TYPE.into(), false, vec![], strings(&["resources[0]"]))]
        );
    }
}
