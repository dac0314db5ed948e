//! The sites drift matches: each judged instance of a report with its own verdict and the
//! names that identify it in Azure (as written, or read from its resource id).

use crate::model::{Data, Resource, Source, Value};
use crate::report::{Location, Report};

/// One judged instance (a site or slot) of a report.
#[derive(Debug, Clone)]
pub struct Site<'a> {
    pub resource: &'a Resource,
    /// Its declaration: an index into [`Report::groups`].
    pub group: usize,
    /// `pass` or the failing rule's id, for this instance.
    pub verdict: &'static str,
    /// The declaration's header (for a deployed site: its object in the export).
    pub location: Location,
}

impl Site<'_> {
    /// Whether its verdict passes.
    pub fn passes(&self) -> bool {
        self.verdict == "pass"
    }

    /// The instance's address when it has one, else the declaration's.
    pub fn address(&self) -> &str {
        self.resource
            .instance
            .as_deref()
            .unwrap_or(&self.resource.address)
    }
}

/// The instances of `report` that come from code (`deployed = false`) or from an export.
pub fn of(report: &Report, deployed: bool) -> Vec<Site<'_>> {
    let records = report.records_by_group();
    let mut sites = Vec::new();
    for (group, instances) in report.groups.iter().enumerate() {
        let Some(record) = records.get(&group) else {
            continue;
        };
        for resource in instances {
            if matches!(resource.source, Source::Deployed(_)) != deployed {
                continue;
            }
            sites.push(Site {
                resource,
                group,
                verdict: verdict(record.verdict, instances.len(), resource),
                location: Location::of(&report.sources, resource.header),
            });
        }
    }
    sites
}

/// An instance's verdict: the declaration's when it is alone; else its own rule's, unless the
/// declaration passes (the config turned the rules off).
fn verdict(declaration: &'static str, instances: usize, resource: &Resource) -> &'static str {
    if instances == 1 || declaration == "pass" {
        return declaration;
    }
    crate::rules::judge(resource).map_or("pass", |(rule, _)| rule.id.as_str())
}

/// A name as written: known text, unresolved (with why), or not written at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Name {
    Known(String),
    Unresolved(String),
    Missing,
}

impl Name {
    pub fn of(value: Option<&Value>) -> Name {
        match value.map(|v| &v.data) {
            None | Some(Data::Null) => Name::Missing,
            Some(Data::String(text)) if !text.is_empty() => Name::Known(text.clone()),
            Some(Data::Unknown(why)) => Name::Unresolved(why.clone()),
            Some(_) => Name::Unresolved("it is not a string".to_string()),
        }
    }

    fn known(&self) -> Option<&str> {
        match self {
            Name::Known(text) => Some(text),
            _ => None,
        }
    }
}

/// The names of a resource id: `/subscriptions/S/resourceGroups/G/providers/Microsoft.Web/
/// sites/N[/slots/SLOT]`, matched ignoring case as Azure does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdParts {
    pub subscription: Option<String>,
    pub resource_group: Option<String>,
    pub site: Option<String>,
    pub slot: Option<String>,
}

impl IdParts {
    pub fn parse(id: &str) -> IdParts {
        let segments: Vec<&str> = id.split('/').filter(|s| !s.is_empty()).collect();
        let after = |key: &str| {
            segments
                .iter()
                .position(|s| s.eq_ignore_ascii_case(key))
                .and_then(|i| segments.get(i + 1))
                .map(|s| s.to_string())
        };
        IdParts {
            subscription: after("subscriptions"),
            resource_group: after("resourceGroups"),
            site: after("sites"),
            slot: after("slots"),
        }
    }
}

/// What a site is matched on: its id when known, and its names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// The full resource id, when known.
    pub id: Option<String>,
    /// Name, resource group, parent site (slots) and subscription, when all needed are known.
    pub names: Result<Names, String>,
}

/// The names a site is matched on by name, lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    pub name: String,
    pub resource_group: String,
    pub is_slot: bool,
    /// For a slot: its site's name.
    pub parent: Option<String>,
    pub subscription: Option<String>,
}

impl Names {
    /// What sites that may be the same share: name, group, parent (slots) and type.
    pub fn index(&self) -> (&str, &str, Option<&str>) {
        let kind = if self.is_slot {
            Some(self.parent.as_deref().unwrap_or(""))
        } else {
            None
        };
        (&self.name, &self.resource_group, kind)
    }

    /// Same name, group and type; subscriptions must agree only when both sides know them.
    pub fn same_site(&self, other: &Names) -> bool {
        self.name == other.name
            && self.resource_group == other.resource_group
            && self.is_slot == other.is_slot
            && self.parent == other.parent
            && match (&self.subscription, &other.subscription) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
    }
}

/// The key of a resource: names as written, filled from its id where not written.
pub fn key(resource: &Resource) -> Key {
    let identity = &resource.identity;
    let id = Name::of(identity.id.as_ref()).known().map(str::to_string);
    let parts = id.as_deref().map(IdParts::parse).unwrap_or_default();
    let from_id = |written: Name, part: &Option<String>| match (written, part) {
        (Name::Known(text), _) => Name::Known(text),
        (_, Some(part)) => Name::Known(part.clone()),
        (written, None) => written,
    };
    let (name_part, parent_part) = if resource.is_slot {
        (&parts.slot, &parts.site)
    } else {
        (&parts.site, &None)
    };
    let name = from_id(Name::of(identity.name.as_ref()), name_part);
    let group = from_id(
        Name::of(identity.resource_group.as_ref()),
        &parts.resource_group,
    );
    let parent = from_id(Name::of(identity.parent.as_ref()), parent_part);
    let subscription = from_id(
        Name::of(identity.subscription.as_ref()),
        &parts.subscription,
    );
    let needed = [
        ("name", &name, true),
        ("resource group", &group, true),
        ("parent site", &parent, resource.is_slot),
    ];
    let mut names = Ok(());
    for (what, value, required) in needed {
        if !required || names.is_err() {
            continue;
        }
        names = match value {
            Name::Known(_) => Ok(()),
            Name::Unresolved(why) => Err(format!("its {what} is unresolved: {why}")),
            Name::Missing => Err(format!("the code does not say its {what}")),
        };
    }
    let lower = |name: &Name| name.known().map(str::to_lowercase);
    Key {
        id: id.map(|id| id.to_lowercase()),
        names: names.map(|()| Names {
            name: lower(&name).unwrap_or_default(),
            resource_group: lower(&group).unwrap_or_default(),
            is_slot: resource.is_slot,
            parent: if resource.is_slot {
                lower(&parent)
            } else {
                None
            },
            subscription: lower(&subscription),
        }),
    }
}
