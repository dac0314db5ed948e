//! Which code resource manages a deployed site: by resource id when the code determines it,
//! else by name, resource group and type. A stand-in for the drift package's matching
//! (`src/drift/`), which replaces it once merged; the rules are the agreed ones.

use super::site_id::SiteId;
use crate::model::{Data, Resource, Value};

/// How a code resource was matched to a deployed site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedBy {
    ResourceId,
    NameResourceGroupType,
}

/// Whether `code` manages the deployed site `deployed` (whose id is `parts`), and how. Azure
/// compares ids and names case-insensitively, and so does this.
pub fn matches(deployed: &Resource, parts: &SiteId, code: &Resource) -> Option<MatchedBy> {
    if code.kind != deployed.kind || code.is_slot != deployed.is_slot {
        return None;
    }
    let deployed_id = text(deployed.identity.id.as_ref());
    if let (Some(code_id), Some(id)) = (text(code.identity.id.as_ref()), deployed_id) {
        return same(code_id, id).then_some(MatchedBy::ResourceId);
    }
    let group = text(code.identity.resource_group.as_ref())?;
    let name = text(code.identity.name.as_ref())?;
    let names_match = match &parts.slot {
        Some(slot) => {
            let parent = text(code.identity.parent.as_ref())?;
            same(parent, &parts.site) && same(name, slot)
        }
        None => same(name, &parts.site),
    };
    (names_match && same(group, &parts.resource_group)).then_some(MatchedBy::NameResourceGroupType)
}

/// A resolved string value.
fn text(value: Option<&Value>) -> Option<&str> {
    match &value?.data {
        Data::String(s) if !s.is_empty() => Some(s),
        _ => None,
    }
}

fn same(a: &str, b: &str) -> bool {
    a.trim_end_matches('/')
        .eq_ignore_ascii_case(b.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{SiteIdentity, SiteKind, Source};
    use crate::rollout::facts::testing::{site, text as value, unknown};

    const ID: &str = "/subscriptions/s/resourceGroups/rg-web/providers/Microsoft.Web/sites/app-a";

    fn deployed() -> Resource {
        let mut r = site("Microsoft.Web/sites");
        r.identity.id = Some(value(ID, 0..1));
        r.source = Source::Deployed(crate::model::ExportShape::AzCli);
        r
    }

    fn code(identity: SiteIdentity) -> Resource {
        let mut r = site("azurerm_linux_web_app");
        r.identity = identity;
        r
    }

    #[test]
    fn a_code_id_decides_alone_in_any_case() {
        let parts = SiteId::parse(ID).unwrap();
        let same_id = code(SiteIdentity {
            id: Some(value(&ID.to_uppercase(), 0..1)),
            ..SiteIdentity::default()
        });
        assert_eq!(
            matches(&deployed(), &parts, &same_id),
            Some(MatchedBy::ResourceId)
        );
        // An id that differs is no match, even when the names agree.
        let other = code(SiteIdentity {
            id: Some(value(&ID.replace("app-a", "app-b"), 0..1)),
            name: Some(value("app-a", 0..1)),
            resource_group: Some(value("rg-web", 0..1)),
            ..SiteIdentity::default()
        });
        assert_eq!(matches(&deployed(), &parts, &other), None);
    }

    #[test]
    fn without_an_id_name_group_and_type_must_all_agree() {
        let parts = SiteId::parse(ID).unwrap();
        let by_name = |name: &str, group: &str| {
            code(SiteIdentity {
                id: Some(unknown(0..1)),
                name: Some(value(name, 0..1)),
                resource_group: Some(value(group, 0..1)),
                ..SiteIdentity::default()
            })
        };
        assert_eq!(
            matches(&deployed(), &parts, &by_name("APP-A", "rg-web")),
            Some(MatchedBy::NameResourceGroupType)
        );
        assert_eq!(
            matches(&deployed(), &parts, &by_name("app-a", "rg-other")),
            None
        );
        let mut function = by_name("app-a", "rg-web");
        function.kind = SiteKind::FunctionApp;
        assert_eq!(matches(&deployed(), &parts, &function), None);
    }

    #[test]
    fn a_slot_matches_by_its_site_and_slot_name() {
        let slot_id = format!("{ID}/slots/staging");
        let parts = SiteId::parse(&slot_id).unwrap();
        let mut deployed = deployed();
        deployed.is_slot = true;
        deployed.identity.id = Some(value(&slot_id, 0..1));
        let mut slot = code(SiteIdentity {
            name: Some(value("staging", 0..1)),
            parent: Some(value("app-a", 0..1)),
            resource_group: Some(value("rg-web", 0..1)),
            ..SiteIdentity::default()
        });
        slot.is_slot = true;
        assert_eq!(
            matches(&deployed, &parts, &slot),
            Some(MatchedBy::NameResourceGroupType)
        );
        slot.identity.parent = Some(value("app-b", 0..1));
        assert_eq!(matches(&deployed, &parts, &slot), None);
    }
}
