//! Reads the rollout inputs of one planned azurerm site or slot: the planned
//! `public_network_access_enabled` (`public_network_access` for a Logic App),
//! `site_config[0].ip_restriction_default_action`, `site_config[0].ip_restriction[*]` and the
//! environment-naming `tags`. A value marked in `after_unknown` (or left out of
//! `planned_values`) is unknown until apply.

use crate::json::{Json, JsonKind};
use crate::model::{
    AccessRule, Data, ENVIRONMENT_TAG_KEYS, Origin, Restrictions, RolloutInputs, Tags, Value,
};
use crate::source::{FileId, Span};
use crate::value::Val;

use super::entries::{PlanEntry, PlannedValues};

/// One step into a planned value.
#[derive(Clone, Copy)]
enum Step<'p> {
    Key(&'p str),
    Index(usize),
}

/// What the plan says at a path.
enum Planned<'a> {
    Known(&'a Json, Span),
    Unknown(String, Span),
    /// Null, not in the provider's schema, or past the end of a list.
    Absent,
}

/// The rollout inputs of `entry`; `declared` (where the configuration declares the resource)
/// ends every value's origin, as for the certificate attributes.
pub fn inputs(
    file: FileId,
    entry: &PlanEntry,
    header: Span,
    declared: Option<&Origin>,
) -> RolloutInputs {
    let read = Read {
        file,
        entry,
        header,
        declared,
    };
    let logic_app = entry.resource_type == "azurerm_logic_app_standard";
    let legacy = matches!(
        entry.resource_type,
        "azurerm_app_service"
            | "azurerm_function_app"
            | "azurerm_app_service_slot"
            | "azurerm_function_app_slot"
    );
    let site_config = [Step::Key("site_config"), Step::Index(0)];
    let (public_access, default_action) = if logic_app {
        // 4.x: `public_network_access` ("Enabled"/"Disabled"); 3.x: a bool in `site_config`.
        let public = read
            .optional(&[Step::Key("public_network_access")])
            .or_else(|| {
                read.optional(&[
                    site_config[0],
                    site_config[1],
                    Step::Key("public_network_access_enabled"),
                ])
            });
        (public, None)
    } else if legacy {
        // The legacy types have neither setting.
        (None, None)
    } else {
        (
            read.value(&[Step::Key("public_network_access_enabled")]),
            read.value(&[
                site_config[0],
                site_config[1],
                Step::Key("ip_restriction_default_action"),
            ]),
        )
    };
    RolloutInputs {
        public_access,
        default_action,
        restrictions: read.restrictions(),
        tags: read.tags(),
    }
}

struct Read<'a, 'e> {
    file: FileId,
    entry: &'a PlanEntry<'e>,
    header: Span,
    declared: Option<&'a Origin>,
}

impl<'a, 'e> Read<'a, 'e> {
    fn span(&self, range: &std::ops::Range<usize>) -> Span {
        Span::new(self.file, range.clone())
    }

    /// Walks `path` through the planned values and, in parallel, their unknown marks.
    fn at(&self, path: &[Step]) -> Planned<'e> {
        let shown = shown(path);
        match &self.entry.values {
            PlannedValues::Change {
                after,
                after_unknown,
                ..
            } => {
                let mut value: &'e Json = after;
                let mut unknown: Option<&'e Json> = *after_unknown;
                let mut span = self.span(&after.span);
                if let Some(marks) = unknown
                    && is_true(marks)
                {
                    return Planned::Unknown(
                        format!(
                            "`{shown}` is unknown until apply (the whole resource is after_unknown in the plan)"
                        ),
                        self.span(&marks.span),
                    );
                }
                for step in path {
                    unknown = unknown.and_then(|marks| child(marks, *step).map(|(json, _)| json));
                    if let Some(marks) = unknown
                        && is_true(marks)
                    {
                        let at = child_span(value, *step)
                            .map_or(self.span(&marks.span), |r| self.span(&r));
                        return Planned::Unknown(
                            format!("`{shown}` is unknown until apply (after_unknown in the plan)"),
                            at,
                        );
                    }
                    let Some((next, range)) = child(value, *step) else {
                        return Planned::Absent;
                    };
                    value = next;
                    span = self.span(&range);
                }
                known(value, span)
            }
            PlannedValues::Planned { values: None } => Planned::Unknown(
                format!(
                    "`{shown}` is unknown until apply (the plan's planned_values has no values for this resource)"
                ),
                self.header,
            ),
            PlannedValues::Planned {
                values: Some(values),
            } => {
                let mut value: &'e Json = values;
                let mut span = self.header;
                for step in path {
                    match child(value, *step) {
                        Some((next, range)) => {
                            value = next;
                            span = self.span(&range);
                        }
                        // A list holds what it holds; an object's missing member is unknown.
                        None if matches!(step, Step::Index(_)) => return Planned::Absent,
                        None if matches!(value.kind, JsonKind::Null) => return Planned::Absent,
                        None => {
                            return Planned::Unknown(
                                format!(
                                    "`{shown}` is missing from the plan's planned_values, which leaves out values unknown until apply"
                                ),
                                span,
                            );
                        }
                    }
                }
                known(value, span)
            }
        }
    }

    /// A scalar setting; `None` when null or not planned.
    fn value(&self, path: &[Step]) -> Option<Value> {
        match self.at(path) {
            Planned::Known(json, span) => Some(self.literal(Val::from_json(json).to_data(), span)),
            Planned::Unknown(reason, span) => Some(self.literal(Data::Unknown(reason), span)),
            Planned::Absent => None,
        }
    }

    /// A setting not every provider version has: missing from `planned_values` is not
    /// written, rather than unknown.
    fn optional(&self, path: &[Step]) -> Option<Value> {
        if let PlannedValues::Planned { values: Some(_) } = self.entry.values {
            let (last, parent) = path.split_last()?;
            if let Planned::Known(json, _) = self.at(parent)
                && let Step::Key(key) = last
                && json.member(key).is_none()
            {
                return None;
            }
        }
        self.value(path)
    }

    fn literal(&self, data: Data, span: Span) -> Value {
        let mut value = Value::literal(data, span);
        value.origin.extend(self.declared.cloned());
        value
    }

    fn restrictions(&self) -> Restrictions {
        let path = [
            Step::Key("site_config"),
            Step::Index(0),
            Step::Key("ip_restriction"),
        ];
        let items = match self.at(&path) {
            Planned::Absent => return Restrictions::Absent,
            Planned::Unknown(reason, span) => {
                return Restrictions::Unknown(self.literal(Data::Unknown(reason), span));
            }
            Planned::Known(json, span) => match json.as_array() {
                Some(items) => items,
                None => {
                    let reason = format!(
                        "`ip_restriction` is {} in the plan, not a list",
                        json.type_name()
                    );
                    return Restrictions::Unknown(self.literal(Data::Unknown(reason), span));
                }
            },
        };
        // The provider plans an empty list when none is written.
        if items.is_empty() {
            return Restrictions::Absent;
        }
        let mut rules = Vec::new();
        for i in 0..items.len() {
            let rule_path = [path[0], path[1], path[2], Step::Index(i)];
            let span = match self.at(&rule_path) {
                Planned::Known(_, span) => span,
                Planned::Unknown(reason, span) => {
                    return Restrictions::Unknown(self.literal(Data::Unknown(reason), span));
                }
                Planned::Absent => continue,
            };
            let field =
                |name| self.value(&[path[0], path[1], path[2], Step::Index(i), Step::Key(name)]);
            rules.push(AccessRule {
                span,
                action: field("action"),
                ip_address: field("ip_address"),
                service_tag: field("service_tag"),
                subnet: field("virtual_network_subnet_id"),
            });
        }
        Restrictions::Rules(rules)
    }

    fn tags(&self) -> Tags {
        let json = match self.at(&[Step::Key("tags")]) {
            Planned::Absent => return Tags::Absent,
            Planned::Unknown(reason, span) => {
                return Tags::Unknown(self.literal(Data::Unknown(reason), span));
            }
            Planned::Known(json, _) => json,
        };
        let entries: Vec<(String, Value)> = json
            .members()
            .iter()
            .filter(|m| {
                ENVIRONMENT_TAG_KEYS
                    .iter()
                    .any(|key| m.key.eq_ignore_ascii_case(key))
            })
            .filter_map(|m| {
                let value = self.value(&[Step::Key("tags"), Step::Key(&m.key)])?;
                Some((m.key.clone(), value))
            })
            .collect();
        match entries.is_empty() {
            true => Tags::Absent,
            false => Tags::Entries(entries),
        }
    }
}

/// The value one step in, with the span of the member (key through value) or element.
fn child<'j>(json: &'j Json, step: Step) -> Option<(&'j Json, std::ops::Range<usize>)> {
    match step {
        Step::Key(key) => json.member(key).map(|m| (&m.value, m.span.clone())),
        Step::Index(i) => json
            .as_array()?
            .get(i)
            .map(|item| (item, item.span.clone())),
    }
}

fn child_span(json: &Json, step: Step) -> Option<std::ops::Range<usize>> {
    child(json, step).map(|(_, range)| range)
}

fn known(json: &Json, span: Span) -> Planned<'_> {
    match json.kind {
        JsonKind::Null => Planned::Absent,
        _ => Planned::Known(json, span),
    }
}

fn is_true(json: &Json) -> bool {
    matches!(json.kind, JsonKind::Bool(true))
}

/// `site_config[0].ip_restriction`, for messages.
fn shown(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(key) if out.is_empty() => out.push_str(key),
            Step::Key(key) => {
                out.push('.');
                out.push_str(key);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}
