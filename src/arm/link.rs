//! Follows `templateLink` deployments: a local relative path (`relativePath`, or a `uri` with
//! no scheme) is read like an inner-scope nested template, with the deployment's `parameters`
//! evaluated in the caller; anything else (an http `uri`, a template spec `id`, a path that
//! does not resolve or does not exist, a cycle) is a notice and nothing is guessed.
//! Paths are relative to the linking template's own file, as ARM resolves `relativePath`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::error::FileError;
use crate::json::{Json, JsonDocument, JsonKind, Member};
use crate::source::{FileId, Span};
use crate::value::Val;

use super::detect::{self, Detected};
use super::eval::Env;
use super::expr;
use super::instance::{Part, written};
use super::scope::Scope;
use super::walk::{Template, Walker};

/// A parsed linked template, shared by every deployment that links it.
pub type Linked = Option<Rc<(FileId, PathBuf, JsonDocument)>>;

impl Walker<'_, '_> {
    /// Follows the `templateLink` member `link` of a deployment's `properties`; `chain` ends
    /// with the deployment itself.
    pub(super) fn link<'a>(
        &mut self,
        template: Template<'a>,
        properties: &'a Json,
        link: &'a Member,
        env: Env<'a>,
        chain: &[Part],
    ) {
        let notice = |member: &Member, message: String| {
            FileError::notice(
                template.path,
                Some(Span::new(template.file, member.span.clone())),
                message,
            )
        };
        let target = match link_target(&link.value, env) {
            Ok(target) => target,
            Err((member, why)) => {
                self.errors.push(notice(member.unwrap_or(link), why));
                return;
            }
        };
        let dir = template.path.parent().unwrap_or(Path::new(""));
        let path = crate::paths::normalize(&dir.join(&target));
        if self.links.contains(&path) {
            let message = format!(
                "templateLink `{target}` is not followed: it links back to `{}`, a cycle",
                crate::paths::path_text(&path)
            );
            self.errors.push(notice(link, message));
            return;
        }
        if let Some(root) = self.loader.root().filter(|_| !self.loader.allowed(&path)) {
            let message = root.outside_message(&format!("templateLink `{target}`"), &path);
            self.errors.push(notice(link, message));
            return;
        }
        if let Some(why) = self.loader.not_a_file(&path) {
            let why = if why == "it does not exist" {
                "does not exist".to_string()
            } else {
                why.replacen("it is", "is", 1)
            };
            let message = format!(
                "templateLink `{target}` is not followed: `{}` {why}",
                crate::paths::path_text(&path)
            );
            self.errors.push(notice(link, message));
            return;
        }
        let Some(linked) = self.linked_template(&path) else {
            return;
        };
        let (file, path, doc) = &*linked;
        self.followed.insert(path.clone());
        let name = chain.last().map_or("", |p| p.instance.as_str());
        let (inputs, missing) = match properties.member_ignore_case("parametersLink") {
            Some(parameters_link) => {
                let message = format!(
                    "parametersLink of deployment `{name}` is not followed: the linked \
                     template's parameters take their defaults"
                );
                self.errors.push(notice(parameters_link, message));
                let missing = format!(
                    "deployment `{name}` passes its parameters through a parametersLink, which \
                     is not read"
                );
                (HashMap::new(), missing)
            }
            None => (
                Scope::inputs(
                    properties.get_ignore_case("parameters"),
                    template.file,
                    Some(env),
                    &format!("the parameters of deployment `{name}`"),
                ),
                format!("deployment `{name}` does not pass it"),
            ),
        };
        let scope = Scope::new(&doc.root, *file, inputs, missing, env.scope.budget);
        let child = Template {
            json: &doc.root,
            file: *file,
            path,
        };
        self.links.push(path.clone());
        self.resources_of(child, Env::new(&scope, &[]), chain);
        self.links.pop();
    }

    /// Loads and parses a linked template once per walk; `None` (with the error or notice
    /// recorded) when it cannot be read or is no template.
    fn linked_template(&mut self, path: &Path) -> Linked {
        if let Some(known) = self.linked.get(path) {
            return known.clone();
        }
        let loaded = self.loader.file(path);
        let parsed = loaded.and_then(|loaded| match detect::detect(loaded.id, &loaded.source) {
            Detected::Template(doc) => Some(Rc::new((loaded.id, path.to_path_buf(), doc))),
            Detected::NotOurs => {
                self.errors.push(FileError::unplaced(
                    path,
                    "a templateLink points here, but this is not an ARM template",
                ));
                None
            }
            Detected::Broken(error) => {
                self.errors.push(error);
                None
            }
        });
        self.linked.insert(path.to_path_buf(), parsed.clone());
        parsed
    }
}

/// Where a `templateLink` points, when that is a local relative path; otherwise why not, with
/// the member that says so (`relativePath`, `uri`, `id`; `None` for the link as a whole).
fn link_target<'a>(link: &'a Json, env: Env<'_>) -> Result<String, (Option<&'a Member>, String)> {
    let not_local = "only local relative paths can be read statically";
    if let Some(relative) = link.member_ignore_case("relativePath") {
        return match env.json(&relative.value).val {
            Val::String(path) => Ok(path),
            Val::Unknown(why) => Err(format!(
                "templateLink relativePath `{}` is not followed: {why}",
                written(&relative.value)
            )),
            other => Err(format!(
                "templateLink relativePath is a {}, not a path",
                other.type_name()
            )),
        }
        .map_err(|why| (Some(relative), why));
    }
    if let Some(uri) = link.member_ignore_case("uri") {
        return match env.json(&uri.value).val {
            Val::String(target) if !target.contains(':') && !target.starts_with(['/', '\\']) => {
                Ok(target)
            }
            Val::String(target) => Err(format!(
                "templateLink `{target}` is not followed: {not_local}"
            )),
            Val::Unknown(why) => Err(format!(
                "templateLink uri `{}` is not followed: {why}",
                written(&uri.value)
            )),
            other => Err(format!(
                "templateLink uri is a {}, not a URI",
                other.type_name()
            )),
        }
        .map_err(|why| (Some(uri), why));
    }
    if let Some(id) = link.member_ignore_case("id") {
        let why = format!(
            "templateLink `{}` (a template spec) is not followed: {not_local}",
            written(&id.value)
        );
        return Err((Some(id), why));
    }
    Err((
        None,
        "templateLink has no relativePath, uri or id, so it is not followed".into(),
    ))
}

/// The local templates `json` links to with a literal `relativePath` or relative `uri`.
pub(super) fn literal_links(json: &Json, dir: &Path, out: &mut Vec<PathBuf>) {
    match &json.kind {
        JsonKind::Object(members) => {
            for member in members {
                if member.key.eq_ignore_ascii_case("templateLink") {
                    let target = ["relativePath", "uri"]
                        .iter()
                        .find_map(|key| member.value.get_ignore_case(key))
                        .and_then(Json::as_str)
                        .filter(|t| !expr::is_expression(t) && !t.contains(':'));
                    if let Some(target) = target {
                        out.push(crate::paths::normalize(&dir.join(target)));
                    }
                } else {
                    literal_links(&member.value, dir, out);
                }
            }
        }
        JsonKind::Array(items) => items.iter().for_each(|item| literal_links(item, dir, out)),
        _ => {}
    }
}
