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

#[cfg(test)]
mod tests {
    use super::super::entries::collect;
    use super::*;

    /// The rollout inputs of every entry of a plan text.
    fn read_all(text: &str) -> Vec<RolloutInputs> {
        let doc = crate::json::parse(text).unwrap();
        let collected = collect(&doc.root);
        collected
            .entries
            .iter()
            .map(|entry| inputs(3, entry, Span::new(3, entry.address_span.clone()), None))
            .collect()
    }

    fn change(resource_type: &str, after: &str, after_unknown: &str) -> String {
        format!(
            r#"{{"resource_changes": [{{"address": "{resource_type}.a", "mode": "managed", "type": "{resource_type}",
                "change": {{"actions": ["create"], "after": {after}, "after_unknown": {after_unknown}}}}}]}}"#
        )
    }

    fn data(value: &Option<Value>) -> Option<&Data> {
        value.as_ref().map(|value| &value.data)
    }

    fn string(text: &str) -> Data {
        Data::String(text.into())
    }

    fn unknown_reason(value: &Value) -> &str {
        match &value.data {
            Data::Unknown(reason) => reason,
            other => panic!("expected an unknown value: {other:?}"),
        }
    }

    const AFTER: &str = r#"{
        "public_network_access_enabled": false,
        "site_config": [{
            "ip_restriction_default_action": "Deny",
            "ip_restriction": [
                {"action": "Allow", "ip_address": null, "service_tag": "AzureFrontDoor.Backend", "virtual_network_subnet_id": null},
                {"action": "Allow", "ip_address": "10.0.0.0/8", "service_tag": null, "virtual_network_subnet_id": null}
            ]
        }],
        "tags": {"Environment": "prod", "owner": "x"}
    }"#;

    #[test]
    fn planned_settings_and_tags_are_read_with_their_spans() {
        let text = change("azurerm_linux_web_app", AFTER, "{}");
        let read = &read_all(&text)[0];
        assert_eq!(data(&read.public_access), Some(&Data::Bool(false)));
        let public = read.public_access.as_ref().unwrap();
        assert_eq!(
            &text[public.span.range()],
            r#""public_network_access_enabled": false"#
        );
        assert_eq!(data(&read.default_action), Some(&string("Deny")));
        let Restrictions::Rules(rules) = &read.restrictions else {
            panic!("{:?}", read.restrictions)
        };
        assert_eq!(rules.len(), 2);
        assert_eq!(
            data(&rules[0].service_tag),
            Some(&string("AzureFrontDoor.Backend"))
        );
        assert_eq!(rules[0].ip_address, None);
        assert_eq!(data(&rules[1].ip_address), Some(&string("10.0.0.0/8")));
        assert!(
            text[rules[1].span.range()]
                .starts_with(r#"{"action": "Allow", "ip_address": "10.0.0.0/8""#)
        );
        let Tags::Entries(entries) = &read.tags else {
            panic!("{:?}", read.tags)
        };
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].0, "Environment");
        assert_eq!(entries[0].1.data, string("prod"));
    }

    #[test]
    fn unknown_after_apply_values_are_unknown() {
        let text = change(
            "azurerm_windows_function_app_slot",
            r#"{"site_config": [{"ip_restriction": []}], "tags": {"env": "dev"}}"#,
            r#"{"public_network_access_enabled": true, "site_config": [{"ip_restriction": true}], "tags": {"env": true}}"#,
        );
        let read = &read_all(&text)[0];
        let public = read.public_access.as_ref().unwrap();
        assert_eq!(
            unknown_reason(public),
            "`public_network_access_enabled` is unknown until apply (after_unknown in the plan)"
        );
        let Restrictions::Unknown(rules) = &read.restrictions else {
            panic!("{:?}", read.restrictions)
        };
        assert_eq!(
            unknown_reason(rules),
            "`site_config[0].ip_restriction` is unknown until apply (after_unknown in the plan)"
        );
        assert_eq!(&text[rules.span.range()], r#""ip_restriction": []"#);
        let Tags::Entries(entries) = &read.tags else {
            panic!("{:?}", read.tags)
        };
        assert!(unknown_reason(&entries[0].1).starts_with("`tags.env` is unknown until apply"));
        // Not in the plan at all (an older provider): not written.
        assert_eq!(read.default_action, None);

        let whole = change("azurerm_linux_web_app", "{}", "true");
        let read = &read_all(&whole)[0];
        assert!(matches!(read.tags, Tags::Unknown(_)));
        assert!(matches!(read.restrictions, Restrictions::Unknown(_)));
    }

    #[test]
    fn nothing_planned_is_absent() {
        let text = change(
            "azurerm_linux_web_app",
            r#"{"public_network_access_enabled": null, "site_config": [{"ip_restriction": [], "ip_restriction_default_action": null}], "tags": null}"#,
            "{}",
        );
        assert_eq!(read_all(&text)[0], RolloutInputs::default());
        let legacy = change(
            "azurerm_app_service",
            r#"{"site_config": [{"ip_restriction": [{"ip_address": "10.0.0.0/8"}]}]}"#,
            "{}",
        );
        let read = &read_all(&legacy)[0];
        assert_eq!(read.public_access, None);
        assert!(matches!(&read.restrictions, Restrictions::Rules(rules) if rules.len() == 1));
    }

    #[test]
    fn planned_values_leave_out_unknowns_but_not_other_versions_settings() {
        let text = r#"{"planned_values": {"root_module": {"resources": [
            {"address": "azurerm_linux_web_app.a", "mode": "managed", "type": "azurerm_linux_web_app",
             "values": {"site_config": [{"ip_restriction": []}], "tags": {"stage": "prod"}}},
            {"address": "azurerm_logic_app_standard.l", "mode": "managed", "type": "azurerm_logic_app_standard",
             "values": {"public_network_access": "Disabled", "site_config": [{}]}},
            {"address": "azurerm_logic_app_standard.m", "mode": "managed", "type": "azurerm_logic_app_standard",
             "values": {"site_config": [{}]}}
        ]}}}"#;
        let read = read_all(text);
        let public = read[0].public_access.as_ref().unwrap();
        assert!(unknown_reason(public).contains("missing from the plan's planned_values"));
        assert!(matches!(
            read[0].default_action.as_ref().map(|v| &v.data),
            Some(Data::Unknown(_))
        ));
        assert_eq!(read[0].restrictions, Restrictions::Absent);
        assert!(matches!(&read[0].tags, Tags::Entries(e) if e[0].1.data == string("prod")));
        assert_eq!(data(&read[1].public_access), Some(&string("Disabled")));
        assert_eq!(read[2].public_access, None);
    }
}
