//! Walks a template's resources to every App Service site and slot it would deploy, evaluating
//! what decides that as ARM would.
//!
//! Followed: `resources` as an array or as an object keyed by symbolic name (`languageVersion`
//! 2.0), nested child `resources` (short child types are prefixed with the parent's full type),
//! `condition` (false: the resource and its children are not deployed; unknown: deployed),
//! `copy` loops (one instance per index, none for a count of 0, one with an unknown
//! `copyIndex()` when the count does not resolve), and nested deployments to any depth:
//! inline templates in `inner` scope (their own parameters, fed by the deployment's
//! `parameters` evaluated in the parent) or `outer` scope (the default: the parent's
//! parameters and variables), and templates linked by a local relative path (`relativePath`,
//! or a `uri` without a scheme), read like inner-scope templates. Other links are notices.
//! Skipped: `"existing": true` references, which deploy nothing themselves.
//! Types and property names are compared case-insensitively, as ARM does.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::error::FileError;
use crate::json::{Json, JsonKind};
use crate::load::Loader;
use crate::model::Resource;
use crate::source::{FileId, Span};
use crate::value::Val;

use super::eval::{Env, Loop};
use super::identity::Target;
use super::instance::{self, Part, address, entries, instances};
use super::link::Linked;
use super::lower::{self, SiteDecl};
use super::scope::Scope;
use crate::budget::Limit;
use crate::limits::MAX_ARM_DEPLOYMENT_DEPTH;

/// The in-scope site type.
pub const SITE_TYPE: &str = "Microsoft.Web/sites";
/// The in-scope slot type.
pub const SLOT_TYPE: &str = "Microsoft.Web/sites/slots";
const DEPLOYMENT_TYPE: &str = "Microsoft.Resources/deployments";

/// A template being walked: its root object, the file it is in, and that file's path.
#[derive(Clone, Copy)]
pub struct Template<'a> {
    pub json: &'a Json,
    pub file: FileId,
    pub path: &'a Path,
}

/// The resource a child is nested under.
struct Parent<'a> {
    object: &'a Json,
    full_type: String,
    names: Vec<Part>,
}

/// Walks one scenario of one root template and everything it links.
pub struct Walker<'l, 's> {
    pub(super) loader: &'l Loader<'s>,
    scenario: Option<String>,
    pub resources: Vec<Resource>,
    /// Notices (links not followed) and errors (a linked template that does not parse).
    pub errors: Vec<FileError>,
    /// The linked templates followed (normalised paths).
    pub followed: BTreeSet<PathBuf>,
    /// The templates being walked, root first, to stop link cycles.
    pub(super) links: Vec<PathBuf>,
    pub(super) linked: HashMap<PathBuf, Linked>,
    /// The declarations (by address) walked after the instance limit: each is walked once
    /// more, so its sites are reported rather than dropped, and the walk stays linear in the
    /// template's size.
    unbudgeted: HashSet<usize>,
    /// Where the sites being walked are deployed: set by the nested deployments around them.
    target: Target,
}

impl<'l, 's> Walker<'l, 's> {
    pub fn new(loader: &'l Loader<'s>, root: &Path, scenario: Option<String>) -> Self {
        Walker {
            loader,
            scenario,
            resources: Vec::new(),
            errors: Vec::new(),
            followed: BTreeSet::new(),
            links: vec![crate::paths::normalize(root)],
            linked: HashMap::new(),
            unbudgeted: HashSet::new(),
            target: Target::default(),
        }
    }

    /// Walks a root template's resources with `env`.
    pub fn template<'a>(&mut self, template: Template<'a>, env: Env<'a>) {
        self.resources_of(template, env, &[]);
    }

    /// Walks `template`'s resources; `deployments` are the deployments around it.
    pub(super) fn resources_of<'a>(
        &mut self,
        template: Template<'a>,
        env: Env<'a>,
        deployments: &[Part],
    ) {
        if let Some(resources) = template.json.get_ignore_case("resources") {
            for entry in entries(resources) {
                self.resource(template, entry, env, None, deployments);
            }
        }
    }

    // Recursion depth is bounded: the JSON parser caps nesting at 512, deployments at
    // MAX_ARM_DEPLOYMENT_DEPTH.
    fn resource<'a>(
        &mut self,
        template: Template<'a>,
        entry: instance::Entry<'a>,
        env: Env<'a>,
        parent: Option<&Parent<'a>>,
        deployments: &[Part],
    ) {
        let object = entry.object;
        if !object.is_object() {
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
        // A resource of another type without children holds no site: skip it before its copy
        // count and condition are evaluated, which would spend the budget on nothing.
        let walked = [SITE_TYPE, SLOT_TYPE, DEPLOYMENT_TYPE];
        if object.get_ignore_case("resources").is_none()
            && !walked.iter().any(|t| full_type.eq_ignore_ascii_case(t))
        {
            return;
        }
        for copy in instances(object, env) {
            let loops: Vec<Loop> = env.loops.iter().cloned().chain(copy.clone()).collect();
            let env = Env::new(env.scope, &loops);
            let deployed = object
                .get_ignore_case("condition")
                .is_none_or(|condition| env.json(condition).val != Val::Bool(false));
            if !deployed {
                continue;
            }
            // Past the instance limit evaluation stops: one more walk of the declaration
            // reports its sites (literals judged, the rest unresolved naming the limit);
            // further instances would teach nothing new.
            let budget = env.scope.budget;
            let within = budget.instance();
            if !within && !self.unbudgeted.insert(object as *const Json as usize) {
                return;
            }
            let visit = || {
                let own_index = copy.and_then(|l| l.index.ok());
                let mut names = parent.map(|p| p.names.clone()).unwrap_or_default();
                // Inside a copied deployment the child's own scope cannot tell which of its
                // values depend on the deployment's index, so the declaration is named as
                // written.
                let as_written = deployments.iter().any(|d| d.looped);
                names.push(instance::part(&entry, env, own_index, as_written));
                self.instance(
                    template,
                    object,
                    &full_type,
                    env,
                    parent,
                    names,
                    deployments,
                );
            };
            if within {
                visit();
            } else {
                budget.stopped(Limit::Instances, visit);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn instance<'a>(
        &mut self,
        template: Template<'a>,
        object: &'a Json,
        full_type: &str,
        env: Env<'a>,
        parent: Option<&Parent<'a>>,
        names: Vec<Part>,
        deployments: &[Part],
    ) {
        // An `existing` reference deploys nothing, but children nested under it still deploy.
        let existing = matches!(
            object.get_ignore_case("existing").map(|v| &v.kind),
            Some(JsonKind::Bool(true))
        );
        if !existing {
            let is_site = full_type.eq_ignore_ascii_case(SITE_TYPE);
            let is_slot = full_type.eq_ignore_ascii_case(SLOT_TYPE);
            if is_site || is_slot {
                let (address, instance) = address(deployments, &names);
                let site = SiteDecl {
                    object,
                    file: template.file,
                    resource_type: full_type.to_string(),
                    is_slot,
                    parent_site: parent
                        .filter(|p| p.full_type.eq_ignore_ascii_case(SITE_TYPE))
                        .map(|p| p.object),
                    address,
                    instance,
                    scenario: self.scenario.clone(),
                    target: self.target.clone(),
                };
                self.resources.push(lower::lower(&site, env));
            } else if full_type.eq_ignore_ascii_case(DEPLOYMENT_TYPE)
                && let Some(own) = names.last()
            {
                let mut chain = deployments.to_vec();
                chain.push(own.clone());
                self.deployment(template, object, env, &chain);
            }
        }

        if let Some(children) = object.get_ignore_case("resources") {
            let parent = Parent {
                object,
                full_type: full_type.to_string(),
                names,
            };
            for child in entries(children) {
                self.resource(template, child, env, Some(&parent), deployments);
            }
        }
    }

    /// A nested deployment; `chain` ends with the deployment itself.
    fn deployment<'a>(
        &mut self,
        template: Template<'a>,
        object: &'a Json,
        env: Env<'a>,
        chain: &[Part],
    ) {
        let Some(properties) = object
            .get_ignore_case("properties")
            .filter(|p| p.is_object())
        else {
            return;
        };
        let name = chain.last().map_or("", |p| p.instance.as_str());
        if chain.len() > MAX_ARM_DEPLOYMENT_DEPTH {
            self.errors.push(FileError::notice(
                template.path,
                Some(Span::new(template.file, object.span.clone())),
                format!(
                    "deployment `{name}` is not followed: deployments nest deeper than \
                     {MAX_ARM_DEPLOYMENT_DEPTH} levels"
                ),
            ));
            return;
        }
        // The sites inside deploy where the deployment says (`resourceGroup`, `subscriptionId`).
        let outer = self.target.nested(template.file, env, object);
        let outer = std::mem::replace(&mut self.target, outer);
        if let Some(inline) = properties
            .get_ignore_case("template")
            .filter(|t| t.is_object())
        {
            let child = Template {
                json: inline,
                ..template
            };
            if is_inner_scope(properties) {
                let inputs = Scope::inputs(
                    properties.get_ignore_case("parameters"),
                    template.file,
                    Some(env),
                    &format!("the parameters of deployment `{name}`"),
                );
                let missing = format!("deployment `{name}` does not pass it");
                let scope = Scope::new(inline, template.file, inputs, missing, env.scope.budget);
                self.resources_of(child, Env::new(&scope, &[]), chain);
            } else {
                self.resources_of(child, env, chain);
            }
        } else if let Some(link) = properties.member_ignore_case("templateLink") {
            self.link(template, properties, link, env, chain);
        }
        self.target = outer;
    }
}

/// Whether a deployment evaluates its inline template in `inner` scope (`outer` is ARM's
/// default).
fn is_inner_scope(properties: &Json) -> bool {
    properties
        .get_ignore_case("expressionEvaluationOptions")
        .and_then(|o| o.get_ignore_case("scope"))
        .and_then(Json::as_str)
        .is_some_and(|scope| scope.eq_ignore_ascii_case("inner"))
}

#[cfg(test)]
mod tests {
    use crate::model::{Data, Resource};

    fn walk(text: &str) -> Vec<Resource> {
        super::super::walk_text(text).0
    }

    fn addresses(text: &str) -> Vec<(String, Option<String>)> {
        walk(text)
            .into_iter()
            .map(|r| (r.address, r.instance))
            .collect()
    }

    fn declared(items: &[&str]) -> Vec<(String, Option<String>)> {
        items.iter().map(|s| (s.to_string(), None)).collect()
    }

    #[test]
    fn finds_sites_and_slots_case_insensitively_with_child_types() {
        let text = r#"{ "resources": [
            { "type": "microsoft.web/SITES", "name": "a", "resources": [
                { "type": "slots", "name": "staging" },
                { "type": "config", "name": "web" } ] },
            { "type": "Microsoft.Web/serverfarms", "name": "plan" },
            { "type": "Microsoft.Web/sites/slots", "name": "a/blue" },
            { "TYPE": "Microsoft.Web/sites", "Name": "b" },
            { "type": "Microsoft.Web/sites", "name": ["not", "a", "string"] },
            { "name": "no-type", "resources": [ { "type": "Microsoft.Web/sites", "name": "x" } ] },
            "not an object"
        ]}"#;
        assert_eq!(
            addresses(text),
            declared(&["a", "a/staging", "a/blue", "b", "resources[4]"])
        );
        let all = walk(text);
        assert_eq!(all[1].resource_type, "microsoft.web/SITES/slots");
        assert!(all[1].is_slot && all[2].is_slot && !all[0].is_slot);
    }

    #[test]
    fn names_resolve_and_symbolic_names_stay() {
        let text = r#"{ "parameters": { "env": { "type": "string", "defaultValue": "prod" } },
          "resources": [
            { "type": "Microsoft.Web/sites", "name": "[concat('web-', parameters('env'))]" },
            { "type": "Microsoft.Web/sites", "name": "[concat('api-', reference('x').id)]" },
            { "type": "Microsoft.Web/sites", "name": "[[literal]" }
        ]}"#;
        assert_eq!(
            addresses(text),
            declared(&[
                "web-prod",
                "[concat('api-', reference('x').id)]",
                "[literal]"
            ])
        );
        let text = r#"{ "languageVersion": "2.0", "resources": {
            "shared": { "type": "Microsoft.Web/sites", "existing": true, "name": "shared-site" },
            "web": { "type": "Microsoft.Web/sites", "name": "[parameters('name')]" }
        }}"#;
        assert_eq!(addresses(text), declared(&["web"]));
    }

    #[test]
    fn conditions_evaluate_and_false_skips_children() {
        let text = r#"{ "parameters": { "deploy": { "type": "bool", "defaultValue": false } },
          "resources": [
            { "type": "Microsoft.Web/sites", "name": "off", "condition": false,
              "resources": [ { "type": "slots", "name": "s" } ] },
            { "type": "Microsoft.Web/sites", "name": "off2", "condition": "[FALSE()]" },
            { "type": "Microsoft.Web/sites", "name": "off3", "condition": "[parameters('deploy')]" },
            { "type": "Microsoft.Web/sites", "name": "on", "condition": "[not(parameters('deploy'))]" },
            { "type": "Microsoft.Web/sites", "name": "maybe", "condition": "[reference('x').on]" }
        ]}"#;
        assert_eq!(addresses(text), declared(&["on", "maybe"]));
    }

    #[test]
    fn copy_loops_give_one_instance_per_index() {
        let text = r#"{ "parameters": { "n": { "type": "int" } }, "resources": [
            { "type": "Microsoft.Web/sites", "name": "[concat('web-', copyIndex(1))]",
              "copy": { "name": "webs", "count": 2 },
              "properties": { "clientCertEnabled": true,
                "clientCertMode": "[if(equals(copyIndex('webs'), 0), 'Required', 'Optional')]" } },
            { "type": "Microsoft.Web/sites", "name": "none", "copy": { "name": "z", "count": 0 } },
            { "type": "Microsoft.Web/sites", "name": "[concat('fn-', copyIndex())]",
              "copy": { "name": "fns", "count": "[parameters('n')]" },
              "properties": { "clientCertMode": "[if(equals(copyIndex(), 0), 'Required', 'Optional')]" } }
        ]}"#;
        let all = walk(text);
        let found: Vec<_> = all
            .iter()
            .map(|r| (r.address.as_str(), r.instance.as_deref()))
            .collect();
        let copy_name = "[concat('web-', copyIndex(1))]";
        let fn_name = "[concat('fn-', copyIndex())]";
        assert_eq!(
            found,
            [
                (copy_name, Some("web-1")),
                (copy_name, Some("web-2")),
                (fn_name, None)
            ]
        );
        let modes: Vec<_> = all
            .iter()
            .map(|r| r.mode.as_ref().unwrap().data.clone())
            .collect();
        assert_eq!(modes[0], Data::String("Required".into()));
        assert_eq!(modes[1], Data::String("Optional".into()));
        assert_eq!(
            modes[2],
            Data::Unknown(
                "the copy count of loop `fns` cannot be resolved: parameter `n` has no \
                 defaultValue and no value in any parameter file"
                    .into()
            )
        );
    }

    #[test]
    fn inner_scope_has_its_own_parameters_and_outer_scope_the_parents() {
        let text = r#"{ "parameters": { "mode": { "type": "string", "defaultValue": "Optional" } },
          "variables": { "name": "outer-var" },
          "resources": [
            { "type": "Microsoft.Resources/deployments", "name": "inner",
              "properties": { "expressionEvaluationOptions": { "scope": "Inner" },
                "parameters": { "mode": { "value": "[if(equals(parameters('mode'), 'Optional'), 'Required', 'Optional')]" } },
                "template": {
                  "parameters": { "mode": { "type": "string", "defaultValue": "Optional" },
                                  "unset": { "type": "string" } },
                  "variables": { "name": "inner-var" },
                  "resources": [ { "type": "Microsoft.Web/sites", "name": "[variables('name')]",
                    "properties": { "clientCertMode": "[parameters('mode')]",
                                    "clientCertExclusionPaths": "[parameters('unset')]" } } ] } } },
            { "type": "Microsoft.Resources/deployments", "name": "outer",
              "properties": { "template": {
                  "parameters": { "mode": { "type": "string", "defaultValue": "Required" } },
                  "resources": [ { "type": "Microsoft.Web/sites", "name": "[variables('name')]",
                    "properties": { "clientCertMode": "[parameters('mode')]" } } ] } } }
        ]}"#;
        let all = walk(text);
        let found: Vec<_> = all
            .iter()
            .map(|r| (r.address.as_str(), r.mode.as_ref().unwrap().data.clone()))
            .collect();
        assert_eq!(
            found,
            [
                ("inner > inner-var", Data::String("Required".into())),
                ("outer > outer-var", Data::String("Optional".into())),
            ]
        );
        let notes: Vec<_> = all[0]
            .mode
            .as_ref()
            .unwrap()
            .origin
            .iter()
            .map(|o| o.note.as_str())
            .collect();
        assert_eq!(
            notes,
            [
                "default of parameter `mode`",
                "value in the parameters of deployment `inner`",
                "parameter `mode`"
            ]
        );
        assert_eq!(
            all[0].exclusion_paths.as_ref().unwrap().data,
            Data::Unknown(
                "parameter `unset` has no defaultValue and deployment `inner` does not pass it"
                    .into()
            )
        );
    }

    #[test]
    fn deep_nesting_neither_overflows_nor_runs_away() {
        // Children nearly as deep as the JSON parser accepts, on a test thread's default stack.
        let depth = 160;
        let child = r#"{ "type": "Microsoft.Web/sites", "name": "s", "resources": ["#;
        let text = format!(
            r#"{{ "resources": [ {}{} ] }}"#,
            child.repeat(depth),
            "] }".repeat(depth)
        );
        assert_eq!(walk(&text).len(), depth);
        // Deployments nest only so deep.
        let deployment = r#"{ "type": "Microsoft.Resources/deployments", "name": "d",
            "properties": { "template": { "resources": ["#;
        let text = format!(
            r#"{{ "resources": [ {}{} ] }}"#,
            deployment.repeat(50),
            "] } } }".repeat(50)
        );
        let (found, notices) = super::super::walk_text(&text);
        assert!(found.is_empty());
        assert_eq!(notices.len(), 1);
        assert!(
            notices[0].message.contains("nest deeper than 32"),
            "{notices:?}"
        );
    }

    #[test]
    fn nested_copy_loops_stop_at_the_budget() {
        // 800 deployments of 800 sites each would be 640 000 resources.
        let text = r#"{ "resources": [
            { "type": "Microsoft.Resources/deployments", "name": "[concat('d', copyIndex())]",
              "copy": { "name": "ds", "count": 800 },
              "properties": { "template": { "resources": [
                { "type": "Microsoft.Web/sites", "name": "[concat('w', copyIndex('ws'))]",
                  "copy": { "name": "ws", "count": 800 } } ] } } }
        ]}"#;
        let found = walk(text);
        let limit = crate::limits::MAX_INSTANCES as usize;
        assert!(found.len() <= limit + 2, "{}", found.len());
        assert!(found.len() > 1000, "{}", found.len());
    }

    #[test]
    fn other_resources_cost_nothing_and_sites_past_the_instance_limit_are_still_judged() {
        let other = r#"{ "type": "Microsoft.Storage/storageAccounts", "name": "[concat('s', copyIndex())]", "copy": { "name": "s", "count": 800 } }"#;
        let site = |name: &str, enabled: &str| {
            format!(
                r#"{{ "type": "Microsoft.Web/sites", "name": "{name}", "copy": {{ "name": "{name}", "count": 800 }}, "properties": {{ "clientCertEnabled": {enabled} }} }}"#
            )
        };
        // 40 000 storage accounts, then 24 000 site instances (the limit visits 20 000), then
        // two more site declarations: one literal, one computed.
        let mut resources = vec![other.to_string(); 50];
        resources.extend((0..30).map(|i| site(&format!("w{i}"), "true")));
        resources.push(site("literal", "false"));
        resources.push(site("computed", r#""[bool('true')]""#));
        let text = format!(r#"{{ "resources": [ {} ] }}"#, resources.join(", "));
        let found = walk(&text);
        assert_eq!(found[0].address, "w0");
        assert_eq!(
            found[0].enabled.as_ref().map(|v| &v.data),
            Some(&Data::Bool(true))
        );
        let named = |name: &str| {
            found
                .iter()
                .find(|r| r.address == name)
                .unwrap_or_else(|| panic!("{name} dropped"))
        };
        // A literal needs no evaluation: its verdict does not depend on the limit.
        assert_eq!(
            named("literal").enabled.as_ref().map(|v| &v.data),
            Some(&Data::Bool(false))
        );
        let Some(Data::Unknown(why)) = named("computed").enabled.as_ref().map(|v| &v.data) else {
            panic!("{:?}", named("computed").enabled);
        };
        assert!(why.contains("resource and module instances"), "{why}");
        let limit = crate::limits::MAX_INSTANCES as usize;
        assert!(found.len() <= limit + 32, "{}", found.len());
    }

    #[test]
    fn copied_deployments_name_their_instances() {
        let text = r#"{ "resources": [
            { "type": "Microsoft.Resources/deployments", "name": "[concat('d', copyIndex())]",
              "copy": { "name": "ds", "count": 2 },
              "properties": { "expressionEvaluationOptions": { "scope": "inner" },
                "parameters": { "i": { "value": "[copyIndex()]" } },
                "template": { "parameters": { "i": { "type": "int" } },
                  "resources": [ { "type": "Microsoft.Web/sites", "name": "[concat('w', parameters('i'))]" } ] } } }
        ]}"#;
        assert_eq!(
            addresses(text),
            [
                (
                    "[concat('d', copyIndex())] > [concat('w', parameters('i'))]".to_string(),
                    Some("d0 > w0".to_string())
                ),
                (
                    "[concat('d', copyIndex())] > [concat('w', parameters('i'))]".to_string(),
                    Some("d1 > w1".to_string())
                ),
            ]
        );
    }
}
