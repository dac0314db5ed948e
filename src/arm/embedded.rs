//! Judges an ARM template that another front end deploys: a Terraform
//! `azurerm_*_template_deployment` whose `template_content` is the template and whose
//! `parameters_content` feeds its parameters with values Terraform already evaluated.
//!
//! The template is walked exactly like a root template (nested deployments, copy loops, local
//! links), with the caller's values as its one scenario; every address starts with the
//! deploying block's (`azurerm_resource_group_template_deployment.web > app-prod`).

use std::collections::HashMap;
use std::path::Path;

use crate::budget::Budget;
use crate::error::FileError;
use crate::json::Json;
use crate::load::Loader;
use crate::model::Resource;
use crate::source::{FileId, Span};
use crate::value::Traced;

pub use super::scope::ExternalInput;

use super::eval::{self, Env};
use super::instance::Part;
use super::scope::Scope;
use super::walk::{Template, Walker};

/// One template deployed by another front end.
pub struct Embedded<'a> {
    /// The template's root object.
    pub template: &'a Json,
    /// The file its spans are in: the template file, or the `.tf` holding it as a heredoc.
    pub file: FileId,
    /// That file's path (local `templateLink`s resolve from its directory).
    pub path: &'a Path,
    /// The caller's parameter values, by lower-case name.
    pub inputs: HashMap<String, ExternalInput>,
    /// Completes "parameter `x` has no defaultValue and …" for a parameter the caller does not
    /// set.
    pub missing: String,
    /// Values the caller computed inside the template, read by `[certgateEmbedded.value(N)]`
    /// strings ([`value_expression`]).
    pub values: Vec<Traced>,
    /// The deploying block's address (declaration), and its instance's when it differs.
    pub declared: String,
    pub instance: Option<String>,
}

/// The JSON string that stands, in a template built by the caller, for its `index`th value.
pub fn value_expression(index: usize) -> String {
    format!("[certgateEmbedded.value({index})]")
}

/// The sites and slots `embedded` deploys, and the notices of its walk.
pub fn judge(loader: &Loader, embedded: Embedded<'_>) -> (Vec<Resource>, Vec<FileError>) {
    let budget = Budget::default().with_nesting(eval::NESTING);
    let mut scope = Scope::new(
        embedded.template,
        embedded.file,
        HashMap::new(),
        embedded.missing,
        &budget,
    )
    .with_external(embedded.inputs);
    scope.embedded = embedded.values;
    let mut walker = Walker::new(loader, embedded.path, None);
    let template = Template {
        json: embedded.template,
        file: embedded.file,
        path: embedded.path,
    };
    let deployment = Part {
        instance: embedded
            .instance
            .clone()
            .unwrap_or_else(|| embedded.declared.clone()),
        looped: embedded.instance.is_some(),
        declared: embedded.declared,
    };
    walker.resources_of(template, Env::new(&scope, &[]), &[deployment]);
    let mut errors = std::mem::take(&mut walker.errors);
    if let Some(notice) = budget.notice("template", None) {
        let start = embedded.template.span.start;
        errors.push(FileError::notice(
            embedded.path,
            Some(Span::new(embedded.file, start..start + 1)),
            notice,
        ));
    }
    (walker.resources, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Data, OriginKind};
    use crate::value::Val;

    const TEMPLATE: &str = r#"{"parameters": {"mode": {"type": "string", "defaultValue": "Required"},
        "plan": {"type": "string"}},
      "resources": [{"type": "Microsoft.Web/sites", "name": "app-prod", "properties": {
        "clientCertEnabled": true, "clientCertMode": "[parameters('mode')]",
        "serverFarmId": "[parameters('plan')]"}}]}"#;

    fn judge_with(inputs: HashMap<String, ExternalInput>) -> Vec<Resource> {
        let doc = crate::json::parse(TEMPLATE).unwrap();
        let sources = crate::source::SourceMap::default();
        let loader = Loader::new(&sources);
        let embedded = Embedded {
            template: &doc.root,
            file: 4,
            path: Path::new("infra/site.json"),
            inputs,
            missing: "parameters_content does not set it".into(),
            values: Vec::new(),
            declared: "azurerm_resource_group_template_deployment.web".into(),
            instance: None,
        };
        let (resources, errors) = judge(&loader, embedded);
        assert!(errors.is_empty(), "{errors:?}");
        resources
    }

    #[test]
    fn addresses_start_with_the_deploying_block() {
        let resources = judge_with(HashMap::new());
        assert_eq!(resources.len(), 1);
        assert_eq!(
            resources[0].address,
            "azurerm_resource_group_template_deployment.web > app-prod"
        );
        assert_eq!(resources[0].instance, None);
        assert_eq!(
            resources[0].mode.as_ref().unwrap().data,
            Data::String("Required".into())
        );
    }

    #[test]
    fn caller_values_win_over_defaults_and_carry_their_origin() {
        let span = Span::new(9, 10..20);
        let input = ExternalInput {
            traced: Traced::here(Val::String("Optional".into())),
            span,
            literal: None,
            source: "parameters_content".into(),
        };
        let resources = judge_with(HashMap::from([("mode".to_string(), input)]));
        let mode = resources[0].mode.as_ref().unwrap();
        assert_eq!(mode.data, Data::String("Optional".into()));
        assert_eq!(mode.origin[0].kind, OriginKind::TemplateParameter);
        assert_eq!(mode.origin[0].span, span);
        assert_eq!(mode.origin[0].note, "value in parameters_content");
        assert_eq!(mode.origin[1].kind, OriginKind::Declaration);
    }
}
