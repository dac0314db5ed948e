//! Lowers one site row of an export into a model [`Resource`]: the values are what Azure
//! reports, so nothing is resolved, and nothing is unknown except a property the export lacks.
//!
//! - address and header: the row's resource id, and its `id` member (where the finding points);
//! - identity: id, site (or slot) name, parent site, resource group and subscription, all read
//!   from the id (Resource Graph lower-cases `resourceGroup`; the id keeps Azure's case);
//! - values: `clientCertEnabled`, `clientCertMode`, `clientCertExclusionPaths` directly in a CLI
//!   row, under `properties` in the Resource Graph and ARM shapes. `null` is what Azure reports
//!   for a setting never set: the platform default applies, as for an omitted ARM property. A
//!   missing member is unknown, and the message names the export that includes it;
//! - control and names: the ARM API's (enabled flag, mode defaulting to `Required`);
//! - no fix anchor (the fix for a deployed site is `certgate remediate`) and no suppression
//!   anchor (an export holds no comments; `[[exception]]` entries in certgate.toml match the
//!   resource id as the address).

use crate::arm::kind;
use crate::json::{Json, JsonKind, Member};
use crate::model::{
    CertControl, CertMode, Data, ExportShape, Resource, SiteIdentity, Source, Syntax, Value,
};
use crate::source::{FileId, Span};
use crate::value::Val;

use super::read::SiteRow;

/// Where a row keeps its settings: itself (CLI), or its `properties` member.
pub(super) enum Container<'j> {
    Object(&'j Json),
    /// `properties` is missing or `null`: every setting is missing.
    Missing,
    /// `properties` is text: `ConvertTo-Json` cut it at its default depth.
    Cut(&'j Member),
}

/// The row's settings container for `shape`. A Resource Graph row without `properties` was
/// projected into columns (`project id, clientCertEnabled = properties.clientCertEnabled`):
/// its columns are read.
pub(super) fn container(object: &Json, shape: ExportShape) -> Container<'_> {
    if shape == ExportShape::AzCli {
        return Container::Object(object);
    }
    match object.member_ignore_case("properties") {
        Some(member) => match &member.value.kind {
            JsonKind::Object(_) => Container::Object(&member.value),
            JsonKind::String(_) => Container::Cut(member),
            _ => Container::Missing,
        },
        None if shape == ExportShape::ResourceGraph => Container::Object(object),
        None => Container::Missing,
    }
}

/// Reads settings of one row, with the messages its shape calls for.
pub(super) struct Reader<'j> {
    pub file: FileId,
    pub shape: ExportShape,
    pub container: Container<'j>,
    /// The row's header (its `id` member): where a missing setting points.
    pub header: Span,
}

impl Reader<'_> {
    /// Setting `name` as Azure reports it: `None` when reported `null`. `flag`: the enabled
    /// flag, which Azure also accepts as the strings `"true"` / `"false"`.
    pub fn setting(&self, name: &str, flag: bool) -> Option<Value> {
        match &self.container {
            Container::Object(object) => match object.member_ignore_case(name) {
                Some(member) => reported(self.file, member, flag),
                None => Some(Value::literal(
                    Data::Unknown(missing(self.shape, name)),
                    self.header,
                )),
            },
            Container::Missing => Some(Value::literal(
                Data::Unknown(missing(self.shape, name)),
                self.header,
            )),
            Container::Cut(member) => Some(Value::literal(
                Data::Unknown(format!(
                    "`properties` was written as text, so `{name}` cannot be read: \
                     `ConvertTo-Json` keeps 2 levels by default; export with `ConvertTo-Json -Depth 10`"
                )),
                Span::new(self.file, member.span.clone()),
            )),
        }
    }

    /// Setting `name` when present (rollout inputs: what the export leaves out stays absent).
    pub fn optional(&self, name: &str) -> Option<&Member> {
        match &self.container {
            Container::Object(object) => object
                .member_ignore_case(name)
                .filter(|member| !matches!(member.value.kind, JsonKind::Null)),
            _ => None,
        }
    }
}

/// A reported member's value; `None` for `null`.
pub(super) fn reported(file: FileId, member: &Member, flag: bool) -> Option<Value> {
    let data = match &member.value.kind {
        JsonKind::Null => return None,
        JsonKind::String(text) if flag && text.eq_ignore_ascii_case("true") => Data::Bool(true),
        JsonKind::String(text) if flag && text.eq_ignore_ascii_case("false") => Data::Bool(false),
        JsonKind::Array(_) => Data::Other("array"),
        _ => Val::from_json(&member.value).to_data(),
    };
    Some(Value::literal(data, Span::new(file, member.span.clone())))
}

/// Why a setting is unknown when the export lacks it, naming the exports that include it.
fn missing(shape: ExportShape, name: &str) -> String {
    match shape {
        ExportShape::AzCli => format!(
            "`{name}` is missing from this export: `az webapp list`, `az functionapp list`, \
             `az webapp show` and `az webapp deployment slot list` write it for every site \
             (was the output narrowed with `--query`?)"
        ),
        ExportShape::ResourceGraph => format!(
            "`properties.{name}` is missing from this export: project `properties` whole \
             (`certgate verify --print-query` prints such a query)"
        ),
        ExportShape::ArmResource => format!(
            "`properties.{name}` is missing from this export: `az resource show` and `az rest` \
             GET of the site write it"
        ),
    }
}

/// The model resource for a site row of `shape`.
pub(super) fn lower(file: FileId, row: &SiteRow<'_>, shape: ExportShape) -> Resource {
    let header = Span::new(file, row.id.span.clone());
    let reader = Reader {
        file,
        shape,
        container: container(row.object, shape),
        header,
    };
    let kind = match row.object.get_ignore_case("kind").and_then(Json::as_str) {
        Some(text) => kind::classify_str(text),
        None => kind::classify_str(""),
    };
    let attributes = crate::arm::lower::ATTRIBUTES;
    let is_slot = row.parts.slot.is_some();
    let text = |text: &str| Some(Value::literal(Data::String(text.to_string()), header));
    let address = row.id.value.as_str().unwrap_or_default().to_string();
    Resource {
        resource_type: if is_slot {
            "Microsoft.Web/sites/slots"
        } else {
            "Microsoft.Web/sites"
        }
        .to_string(),
        kind: kind.kind,
        is_slot,
        kind_tags: kind.tags,
        syntax: Syntax::ArmJson,
        header,
        control: CertControl::EnabledAndMode {
            default_mode: CertMode::Required,
        },
        attributes,
        enabled: attributes
            .enabled
            .and_then(|name| reader.setting(name, true)),
        mode: attributes.mode.and_then(|name| reader.setting(name, false)),
        exclusion_paths: attributes
            .exclusion_paths
            .and_then(|name| reader.setting(name, false)),
        scenario: None,
        instance: None,
        fix_anchor: None,
        suppression_anchor: None,
        rollout: super::rollout::inputs(&reader, row.object),
        identity: SiteIdentity {
            id: text(&address),
            name: text(row.parts.slot.unwrap_or(row.parts.site)),
            parent: row.parts.slot.and_then(|_| text(row.parts.site)),
            resource_group: text(row.parts.resource_group),
            subscription: text(row.parts.subscription),
        },
        source: Source::Deployed(shape),
        address,
    }
}
