//! A site's or slot's resource id taken apart into what `az` and the REST API address it by:
//! subscription, resource group, site name and slot.

/// The parts of `/subscriptions/S/resourceGroups/RG/providers/Microsoft.Web/sites/NAME` (and
/// `…/slots/SLOT`), as written (Azure compares them case-insensitively).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteId {
    pub subscription: String,
    pub resource_group: String,
    /// The site's name (for a slot: the site the slot belongs to).
    pub site: String,
    /// The slot's name, for a slot.
    pub slot: Option<String>,
}

impl SiteId {
    /// Takes `id` apart; `None` when it is not a `Microsoft.Web/sites` (or slot) id, so the
    /// script never guesses an address.
    pub fn parse(id: &str) -> Option<SiteId> {
        let parts: Vec<&str> = id.strip_prefix('/')?.split('/').collect();
        let key = |i: usize, name: &str| parts.get(i).is_some_and(|p| p.eq_ignore_ascii_case(name));
        let value = |i: usize| {
            parts
                .get(i)
                .filter(|p| !p.trim().is_empty())
                .map(|p| p.to_string())
        };
        let shape_ok = key(0, "subscriptions")
            && key(2, "resourceGroups")
            && key(4, "providers")
            && key(5, "Microsoft.Web")
            && key(6, "sites");
        if !shape_ok {
            return None;
        }
        let slot = match parts.len() {
            8 => None,
            10 if key(8, "slots") => Some(value(9)?),
            _ => return None,
        };
        Some(SiteId {
            subscription: value(1)?,
            resource_group: value(3)?,
            site: value(7)?,
            slot,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_id_gives_subscription_group_and_name() {
        let id = SiteId::parse(
            "/subscriptions/0000-1/resourceGroups/rg-web/providers/Microsoft.Web/sites/app-a",
        )
        .unwrap();
        assert_eq!(id.subscription, "0000-1");
        assert_eq!(id.resource_group, "rg-web");
        assert_eq!(id.site, "app-a");
        assert_eq!(id.slot, None);
    }

    #[test]
    fn a_slot_id_names_its_site_and_slot_in_any_case() {
        let id = SiteId::parse(
            "/SUBSCRIPTIONS/s/resourcegroups/rg/providers/microsoft.web/SITES/app/Slots/staging",
        )
        .unwrap();
        assert_eq!(id.site, "app");
        assert_eq!(id.slot.as_deref(), Some("staging"));
    }

    #[test]
    fn ids_of_other_types_or_truncated_ids_are_refused() {
        for id in [
            "",
            "app",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/serverfarms/plan",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app/config/web",
            "/subscriptions/s/resourceGroups//providers/Microsoft.Web/sites/app",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app/slots/",
        ] {
            assert_eq!(SiteId::parse(id), None, "{id}");
        }
    }
}
