//! Reads an App Service site or slot resource id into its parts: subscription, resource
//! group, site and slot. Segment names are matched ignoring case (Resource Graph writes ids in
//! lower case, the CLI in Azure's casing); the values keep the case they are written in.

/// The parts of `/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.Web/sites/SITE`
/// (optionally followed by `/slots/SLOT`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SiteId<'a> {
    pub subscription: &'a str,
    pub resource_group: &'a str,
    pub site: &'a str,
    pub slot: Option<&'a str>,
}

/// The parts of a site or slot id; `None` for any other id (a plan, a site's `config/web`
/// child, a virtual machine).
pub(crate) fn parse(id: &str) -> Option<SiteId<'_>> {
    let segments: Vec<&str> = id.trim_end_matches('/').split('/').collect();
    let key = |at: usize, name: &str| {
        segments
            .get(at)
            .is_some_and(|segment| segment.eq_ignore_ascii_case(name))
    };
    let value = |at: usize| segments.get(at).copied().filter(|text| !text.is_empty());
    let shape = segments.first() == Some(&"")
        && key(1, "subscriptions")
        && key(3, "resourcegroups")
        && key(5, "providers")
        && key(6, "microsoft.web")
        && key(7, "sites");
    if !shape {
        return None;
    }
    let slot = match segments.len() {
        9 => None,
        11 if key(9, "slots") => Some(value(10)?),
        _ => return None,
    };
    Some(SiteId {
        subscription: value(2)?,
        resource_group: value(4)?,
        site: value(8)?,
        slot,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_and_a_slot_id_in_any_case() {
        let site =
            parse("/subscriptions/0000/resourceGroups/rg-web/providers/Microsoft.Web/sites/shop")
                .unwrap();
        assert_eq!(
            site,
            SiteId {
                subscription: "0000",
                resource_group: "rg-web",
                site: "shop",
                slot: None
            }
        );
        let slot = parse(
            "/subscriptions/0000/resourcegroups/RG-Web/providers/microsoft.web/sites/shop/slots/staging",
        )
        .unwrap();
        assert_eq!(
            (slot.resource_group, slot.slot),
            ("RG-Web", Some("staging"))
        );
    }

    #[test]
    fn other_ids_are_not_sites() {
        for id in [
            "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Web/serverfarms/plan",
            "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Web/sites/shop/config/web",
            "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm",
            "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Web/sites/",
            "subscriptions/0000/resourceGroups/rg/providers/Microsoft.Web/sites/shop",
            "",
        ] {
            assert_eq!(parse(id), None, "{id}");
        }
    }
}
