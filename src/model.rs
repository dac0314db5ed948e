//! The format-neutral model every later stage speaks: App Service resources and their values.
//!
//! Front ends (Terraform, ARM, …) build [`Resource`]s; rules read them and never see syntax.

use crate::source::Span;

mod comments;
pub(crate) mod guardrail;
mod identity;
mod rollout;
#[cfg(test)]
pub mod test_values;

pub use comments::{Comments, FileComments, JsonProperty, record as record_comments};
pub use identity::{ExportShape, SiteIdentity, Source};
pub use rollout::{
    AccessRule, ENVIRONMENT_TAG_KEYS, Environment, Exposure, Fact, Restrictions, RolloutInputs,
    Tags,
};

/// What an App Service resource deploys, as far as the control cares.
// The names are Azure's product names ("web app", "function app", "logic app").
#[allow(clippy::enum_variant_names)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SiteKind {
    WebApp,
    FunctionApp,
    LogicApp,
}

impl SiteKind {
    pub fn label(self) -> &'static str {
        match self {
            SiteKind::WebApp => "web app",
            SiteKind::FunctionApp => "function app",
            SiteKind::LogicApp => "logic app",
        }
    }
}

/// Which surface syntax declared the resource: decides how help text spells a suggested fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// Terraform native syntax (`.tf`).
    Hcl,
    /// Terraform JSON syntax (`.tf.json`).
    TerraformJson,
    /// An ARM template.
    ArmJson,
    /// A Bicep file (`.bicep`).
    Bicep,
}

impl Syntax {
    /// `name = value` (native Terraform), `"name": value` (JSON), `name: value` (Bicep): the
    /// one place an assignment is spelled, for help texts and fix descriptions.
    pub fn assignment(self, name: &str, value: &str) -> String {
        match self {
            Syntax::Hcl => format!("{name} = {value}"),
            Syntax::TerraformJson | Syntax::ArmJson => format!("\"{name}\": {value}"),
            Syntax::Bicep => format!("{name}: {value}"),
        }
    }
}

/// A client certificate mode as Azure defines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertMode {
    Required,
    Optional,
    OptionalInteractiveUser,
}

impl CertMode {
    /// Parses a mode value; Azure's enum is matched case-insensitively.
    pub fn parse(text: &str) -> Option<CertMode> {
        [
            CertMode::Required,
            CertMode::Optional,
            CertMode::OptionalInteractiveUser,
        ]
        .into_iter()
        .find(|mode| mode.as_str().eq_ignore_ascii_case(text))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CertMode::Required => "Required",
            CertMode::Optional => "Optional",
            CertMode::OptionalInteractiveUser => "OptionalInteractiveUser",
        }
    }
}

/// How a resource type expresses the control.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertControl {
    /// An enabled flag (default false) plus a mode with a type-specific default.
    EnabledAndMode { default_mode: CertMode },
    /// No enabled flag: certificates are enabled exactly when the mode is set.
    /// `default_mode` is what an omitted mode means (`None`: unset, so disabled).
    ModeOnly { default_mode: Option<CertMode> },
    /// The type cannot express the control at all; `migrate_to` names what can.
    Unsupported { migrate_to: &'static str },
}

/// The attribute names a resource type uses, for messages and help text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CertAttributes {
    pub enabled: Option<&'static str>,
    pub mode: Option<&'static str>,
    pub exclusion_paths: Option<&'static str>,
}

/// A value as the front end (and later the resolver) understood it.
#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    Bool(bool),
    String(String),
    Null,
    /// Some other literal (number, list, object): named by its type for messages.
    Other(&'static str),
    /// Cannot be decided statically; the text says what and why.
    Unknown(String),
}

/// What an origin step is, so the fixer need not guess it from the text at its span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginKind {
    /// A value written in place: a member of a literal object, a resource's own attribute.
    Literal,
    /// A Terraform variable's `default`.
    VariableDefault,
    /// A `.tfvars` (or `.tfvars.json`) entry.
    Tfvars,
    /// A `--var` value or a `TF_VAR_` environment variable: nothing in a file to edit.
    CommandLine,
    /// What a module call (Terraform `module`, Bicep `module`, an ARM nested or linked
    /// deployment) passes for one parameter.
    ModuleArgument,
    /// A Terraform `local`.
    Local,
    /// A parameter's default (Bicep `param x T = default`, ARM `defaultValue`).
    ParameterDefault,
    /// A parameter file's value (ARM/Bicep JSON parameters, `.bicepparam`).
    ParameterFile,
    /// An ARM or Bicep variable.
    Variable,
    /// A declaration without a value in force (no default, or one a caller overrode):
    /// nothing to edit there.
    Declaration,
    /// An ARM `copy` loop of a variable.
    CopyLoop,
    /// The configuration declaration a plan's resource comes from.
    PlanDeclaration,
    /// The default an `optional(T, default)` type constraint fills in (Terraform).
    TypeDefault,
    /// A module's `output` value, read by its caller (Terraform).
    ModuleOutput,
    /// An argument written in another resource's or data source's block (Terraform).
    ResourceArgument,
    /// A Terragrunt `dependency` block's `mock_outputs` entry.
    MockOutput,
    /// A Terragrunt `inputs` entry (passed to the module as `TF_VAR_`).
    TerragruntInput,
    /// A Terragrunt `locals` entry.
    TerragruntLocal,
    /// A Bicep `@export()`ed variable brought in by `import`.
    ImportedVariable,
    /// A Terraform value passed to an embedded ARM template's parameter (`parameters_content`).
    TemplateParameter,
    /// An `azapi_update_resource` that changes a site after it is created.
    Update,
}

/// One step of where a value came from, outermost first in [`Value::origin`].
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    pub kind: OriginKind,
    /// The step as written: `key = value`, `"key": value`, a declaration, an array item.
    pub span: Span,
    /// The literal inside `span` to change, when the value there is written as exactly one
    /// scalar literal (a string may still hold escapes or an ARM expression: the fixer checks).
    pub literal: Option<Span>,
    /// What the step is, for messages (`default of variable `mtls``).
    pub note: String,
}

impl Origin {
    /// A step with no literal to change (see [`Origin::with_literal`]).
    pub fn new(kind: OriginKind, span: Span, note: String) -> Self {
        Origin {
            kind,
            span,
            literal: None,
            note,
        }
    }

    /// The same step, whose value is the literal at `literal` (when there is one).
    pub fn with_literal(self, literal: Option<Span>) -> Self {
        Origin { literal, ..self }
    }
}

/// An attribute's value with the span of the attribute that set it and its provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub data: Data,
    /// The whole attribute (`name = value` / `"name": value`) in the resource's own file.
    pub span: Span,
    /// Where the value was resolved from, when not written literally at `span`.
    pub origin: Vec<Origin>,
}

impl Value {
    /// The steps a value was resolved through, without the trailing [`OriginKind::Update`]
    /// context (the site an update changes): what advice and fixes look at.
    pub fn resolved_from(&self) -> &[Origin] {
        let end = self
            .origin
            .iter()
            .rposition(|hop| hop.kind != OriginKind::Update)
            .map_or(0, |last| last + 1);
        &self.origin[..end]
    }

    pub fn literal(data: Data, span: Span) -> Self {
        Value {
            data,
            span,
            origin: Vec::new(),
        }
    }
}

/// One App Service site or slot, as deployed by one resource declaration (or instance).
#[derive(Debug, Clone)]
pub struct Resource {
    /// `azurerm_linux_web_app.api`, `module.web.azurerm_linux_web_app.this`, an ARM name, …
    pub address: String,
    /// The type as written (`azurerm_linux_web_app`, `Microsoft.Web/sites`).
    pub resource_type: String,
    pub kind: SiteKind,
    pub is_slot: bool,
    /// Extra `kind` tokens worth showing (`linux`, `container`, …), lower case.
    pub kind_tags: Vec<String>,
    pub syntax: Syntax,
    /// The declaration's header (block labels, or the resource object's `type`).
    pub header: Span,
    pub control: CertControl,
    pub attributes: CertAttributes,
    pub enabled: Option<Value>,
    pub mode: Option<Value>,
    pub exclusion_paths: Option<Value>,
    /// The deployment scenario (a parameter file) this judgement is for, when there are several.
    pub scenario: Option<String>,
    /// The instance's full address (`azurerm_linux_web_app.api[1]`, `module.web["a"]…`) when the
    /// declaration expands to several instances judged separately; `address` stays the
    /// declaration's, so instances of one declaration share it.
    pub instance: Option<String>,
    /// Where the certificate attributes are written, for `--fix`; `None` when the front end
    /// cannot say (plan JSON), so the resource has no automatic fix.
    pub fix_anchor: Option<FixAnchor>,
    /// Where inline exceptions for this resource may be written; `None` when the front end
    /// has no source text for it (plan JSON).
    pub suppression_anchor: Option<SuppressionAnchor>,
    /// The settings and tags the rollout facts (exposure, environment) are decided from.
    pub rollout: RolloutInputs,
    /// The names that identify it in Azure (drift matches code to deployed sites by them).
    pub identity: SiteIdentity,
    /// Code, or an inventory export of what is deployed.
    pub source: Source,
}

/// The places an inline exception can belong to a resource: comments directly above the
/// declaration's start, or inside its body; ARM also reads the resource's `metadata`.
#[derive(Debug, Clone, PartialEq)]
pub struct SuppressionAnchor {
    /// The start of the declaration (the `resource` keyword, or the ARM object's `{`).
    pub header: Span,
    /// The whole block or object.
    pub body: Span,
    /// An ARM resource's `metadata` value, where suppressions may be written (read by
    /// `suppress::metadata::parse_at`); `None` for other syntaxes or without `metadata`.
    pub metadata: Option<Span>,
}

/// Where a resource's certificate attributes live in the source, so the fixer can edit them
/// without a parser: the front end that read the syntax records it.
#[derive(Debug, Clone, PartialEq)]
pub struct FixAnchor {
    /// The object holding the attributes, `{` through `}`: a Terraform block body, an ARM
    /// `properties` object (or the resource object when `properties` is missing).
    pub body: Span,
    /// Every attribute directly in `body` (null-valued ones too), with its value's span.
    pub members: Vec<AnchorMember>,
    /// How a missing attribute is added.
    pub placement: Placement,
}

/// One `name = value` / `"name": value` directly in a [`FixAnchor`]'s body.
#[derive(Debug, Clone, PartialEq)]
pub struct AnchorMember {
    pub name: String,
    /// Key through value (the same span as [`Value::span`] when the value was read from it).
    pub span: Span,
    /// The value alone.
    pub value: Span,
}

/// How a missing attribute is added to a [`FixAnchor`].
#[derive(Debug, Clone, PartialEq)]
pub enum Placement {
    /// Directly in the body.
    Body,
    /// The body is the resource object, which lacks this member (ARM `properties`): create
    /// it as an object holding the attributes.
    NewObject(&'static str),
    /// Attributes cannot be added (e.g. ARM `properties` is an expression); the text says why.
    Unavailable(String),
}

impl Resource {
    /// A readable kind, e.g. `function app slot`.
    pub fn kind_label(&self) -> String {
        let mut label = self.kind.label().to_string();
        if self.is_slot {
            label.push_str(" slot");
        }
        label
    }

    /// The stable machine form of the kind, e.g. `function-app-slot`.
    pub fn kind_id(&self) -> String {
        self.kind_label().replace(' ', "-")
    }
}

/// What a front end found in one unit of analysis (a module directory, a template).
#[derive(Debug, Default)]
pub struct UnitScan {
    pub resources: Vec<Resource>,
    /// Errors (the run fails) and notices (information, e.g. a module that cannot be followed).
    pub errors: Vec<crate::error::FileError>,
    /// The comments of the files holding a resource, once per file, for inline exceptions
    /// (recorded by [`UnitScan::record_comments`]).
    pub comments: Vec<FileComments>,
    /// Files judged through a caller in this front end (an ARM template a Terraform
    /// deployment reads with `file()`): other front ends' resources in them are dropped.
    pub consumed: Vec<std::path::PathBuf>,
    /// The Azure Policy assignments of the control found in the units (rollout guardrail).
    pub policies: Vec<guardrail::PolicyAssignment>,
    /// The units judged, named for people (`root module envs/prod`, `template a.json`), for
    /// `check --verbose`; empty unless the loader asks for them ([`crate::load::Loader::naming_units`]).
    pub units: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::Syntax;

    #[test]
    fn an_assignment_is_spelled_in_each_syntax_as_before() {
        let spelled: Vec<String> = [
            Syntax::Hcl,
            Syntax::TerraformJson,
            Syntax::ArmJson,
            Syntax::Bicep,
        ]
        .into_iter()
        .map(|syntax| syntax.assignment("client_cert", "true"))
        .collect();
        assert_eq!(
            spelled,
            [
                "client_cert = true",
                "\"client_cert\": true",
                "\"client_cert\": true",
                "client_cert: true"
            ]
        );
    }
}
