//! Reads an Azure resource id as Terraform code writes one (`parent_id`, `app_service_id`, a
//! planned `id`): the subscription, resource group, site and slot it names. Only the shapes a
//! site's identity needs are recognised; ARM compares the segment names without case.

/// What a resource group, site or slot id names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ResourceId<'a> {
    pub subscription: &'a str,
    pub resource_group: &'a str,
    /// The site (`…/providers/Microsoft.Web/sites/NAME`); `None` for a resource group id.
    pub site: Option<&'a str>,
    /// The slot (`…/sites/NAME/slots/SLOT`).
    pub slot: Option<&'a str>,
}

/// `text` read as `/subscriptions/S/resourceGroups/RG`, optionally followed by
/// `/providers/Microsoft.Web/sites/NAME` and `/slots/SLOT`; `None` for any other shape (another
/// provider, an empty segment, a trailing part).
pub(crate) fn parse(text: &str) -> Option<ResourceId<'_>> {
    let rest = text.strip_prefix('/')?;
    let segments: Vec<&str> = rest.split('/').collect();
    if segments.iter().any(|segment| segment.is_empty()) {
        return None;
    }
    let named = |at: usize, key: &str| {
        let segment = segments.get(at)?;
        segment
            .eq_ignore_ascii_case(key)
            .then(|| segments.get(at + 1).copied())?
    };
    let subscription = named(0, "subscriptions")?;
    let resource_group = named(2, "resourceGroups")?;
    let mut id = ResourceId {
        subscription,
        resource_group,
        site: None,
        slot: None,
    };
    match segments.len() {
        4 => return Some(id),
        8 | 10 => {}
        _ => return None,
    }
    named(4, "providers")
        .filter(|namespace| namespace.eq_ignore_ascii_case("Microsoft.Web"))
        .and_then(|_| segments[6].eq_ignore_ascii_case("sites").then_some(()))?;
    id.site = Some(segments[7]);
    if segments.len() == 10 {
        id.slot = Some(named(8, "slots")?);
    }
    Some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUB: &str = "00000000-0000-0000-0000-000000000001";

    #[test]
    fn a_resource_group_id_names_subscription_and_group() {
        let text = format!("/subscriptions/{SUB}/resourceGroups/rg-web");
        let id = parse(&text).unwrap();
        assert_eq!((id.subscription, id.resource_group), (SUB, "rg-web"));
        assert_eq!((id.site, id.slot), (None, None));
    }

    #[test]
    fn site_and_slot_ids_compare_segment_names_without_case() {
        let site =
            format!("/subscriptions/{SUB}/resourcegroups/rg/providers/microsoft.web/Sites/app");
        let id = parse(&site).unwrap();
        assert_eq!(
            (id.resource_group, id.site, id.slot),
            ("rg", Some("app"), None)
        );
        let slot = format!("{site}/slots/staging");
        assert_eq!(parse(&slot).unwrap().slot, Some("staging"));
    }

    #[test]
    fn other_shapes_are_not_read() {
        for text in [
            "",
            "rg",
            "/subscriptions/S",
            "/subscriptions/S/resourceGroups/",
            "/subscriptions/S/resourceGroups/rg/",
            "/subscriptions/S/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st",
            "/subscriptions/S/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan",
            "/subscriptions/S/resourceGroups/rg/providers/Microsoft.Web/sites/app/config/web",
            "/subscriptions/S/resourceGroups/rg/providers/Microsoft.Web/sites/app/slots",
            "/providers/Microsoft.Management/managementGroups/mg",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }
}
