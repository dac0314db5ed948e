use super::super::testing::{rule, site, text, unknown, value};
use super::*;
use crate::model::{Data, Restrictions};

fn decide(resource: &Resource) -> (Exposure, String, Option<std::ops::Range<usize>>) {
    let fact = exposure(resource);
    (fact.value, fact.reason, fact.span.map(|s| s.range()))
}

fn deny_by_default(resource: &mut Resource) {
    resource.rollout.default_action = Some(text("Deny", 50..60));
}

#[test]
fn a_site_that_says_nothing_is_on_the_internet_by_the_platform_defaults() {
    let (value, reason, span) = decide(&site("azurerm_linux_web_app"));
    assert_eq!(value, Exposure::Internet);
    assert_eq!(
        reason,
        "public network access and unmatched requests are allowed by default"
    );
    assert_eq!(span, None);
}

#[test]
fn public_network_access_disabled_is_private_in_each_spelling() {
    for data in [
        Data::Bool(false),
        Data::String("false".into()),
        Data::String("Disabled".into()),
        Data::String("disabled".into()),
    ] {
        let mut resource = site("azurerm_linux_web_app");
        resource.rollout.public_access = Some(value(data.clone(), 10..20));
        let (value, reason, span) = decide(&resource);
        assert_eq!(value, Exposure::Private, "{data:?}");
        assert!(reason.contains("public_network_access_enabled"), "{reason}");
        assert_eq!(span, Some(10..20));
    }
}

#[test]
fn arm_and_bicep_sites_are_explained_with_the_resource_api_names() {
    let mut resource = site("Microsoft.Web/sites");
    resource.rollout.public_access = Some(text("Disabled", 10..20));
    assert!(decide(&resource).1.contains("`publicNetworkAccess`"));
}

#[test]
fn public_network_access_enabled_leaves_the_restrictions_to_decide() {
    let mut resource = site("azurerm_linux_web_app");
    resource.rollout.public_access = Some(value(Data::Bool(true), 10..20));
    assert_eq!(
        decide(&resource),
        (
            Exposure::Internet,
            "`public_network_access_enabled` is on and unmatched requests are allowed by default"
                .into(),
            Some(10..20)
        )
    );
    deny_by_default(&mut resource);
    assert_eq!(decide(&resource).0, Exposure::Private);
}

#[test]
fn deny_by_default_without_rules_is_private() {
    let mut resource = site("azurerm_linux_web_app");
    deny_by_default(&mut resource);
    let (value, reason, span) = decide(&resource);
    assert_eq!(value, Exposure::Private);
    assert_eq!(
        reason,
        "`ip_restriction_default_action` is Deny and no rule allows the Internet"
    );
    assert_eq!(span, Some(50..60));
}

#[test]
fn an_explicit_allow_default_action_is_the_internet() {
    let mut resource = site("Microsoft.Web/sites");
    resource.rollout.default_action = Some(text("Allow", 50..60));
    let (value, reason, span) = decide(&resource);
    assert_eq!(value, Exposure::Internet);
    assert_eq!(
        reason,
        "`ipSecurityRestrictionsDefaultAction` allows unmatched requests"
    );
    assert_eq!(span, Some(50..60));
}

#[test]
fn deny_by_default_with_narrow_rules_is_private() {
    let mut resource = site("azurerm_linux_web_app");
    deny_by_default(&mut resource);
    let mut office = rule(100..120);
    office.ip_address = Some(text("203.0.113.0/24", 101..110));
    let mut front_door = rule(120..140);
    front_door.service_tag = Some(text("AzureFrontDoor.Backend", 121..130));
    let mut subnet = rule(140..160);
    subnet.subnet = Some(unknown(141..150));
    let mut blocked = rule(160..180);
    blocked.action = Some(text("Deny", 161..165));
    blocked.ip_address = Some(text("0.0.0.0/0", 166..175));
    // A broad range inside private space is no internet rule either.
    let mut private_v6 = rule(180..200);
    private_v6.ip_address = Some(text("fc00::/7", 181..190));
    resource.rollout.restrictions =
        Restrictions::Rules(vec![office, front_door, subnet, blocked, private_v6]);
    assert_eq!(decide(&resource).0, Exposure::Private);
}

#[test]
fn deny_by_default_with_an_internet_allow_rule_is_the_internet() {
    for (address, tag) in [
        (Some("0.0.0.0/0"), None),
        (Some("::/0"), None),
        (Some("Any"), None),
        (Some("*"), None),
        (Some("0.0.0.0/1"), None),
        (Some("2000::/3"), None),
        (None, Some("Internet")),
        (None, Some("internet")),
    ] {
        let mut resource = site("azurerm_linux_web_app");
        deny_by_default(&mut resource);
        let mut open = rule(100..120);
        open.action = Some(text("Allow", 101..105));
        open.ip_address = address.map(|a| text(a, 106..110));
        open.service_tag = tag.map(|t| text(t, 106..110));
        resource.rollout.restrictions = Restrictions::Rules(vec![open]);
        let (value, reason, span) = decide(&resource);
        assert_eq!(value, Exposure::Internet, "{address:?} {tag:?}");
        assert!(
            reason.starts_with("an `ip_restriction` rule allows"),
            "{reason}"
        );
        assert_eq!(span, Some(100..120));
    }
}

#[test]
fn an_unresolved_deciding_value_is_unknown() {
    let mut access = site("azurerm_linux_web_app");
    access.rollout.public_access = Some(unknown(10..20));
    assert_eq!(
        decide(&access),
        (
            Exposure::Unknown,
            "`public_network_access_enabled` is unresolved".into(),
            Some(10..20)
        )
    );
    let mut action = site("azurerm_linux_web_app");
    action.rollout.default_action = Some(unknown(50..60));
    assert_eq!(decide(&action).0, Exposure::Unknown);
    let mut list = site("azurerm_linux_web_app");
    deny_by_default(&mut list);
    list.rollout.restrictions = Restrictions::Unknown(unknown(70..80));
    assert_eq!(decide(&list).0, Exposure::Unknown);
    let mut address = site("azurerm_linux_web_app");
    deny_by_default(&mut address);
    let mut open = rule(100..120);
    open.ip_address = Some(unknown(101..110));
    address.rollout.restrictions = Restrictions::Rules(vec![open]);
    let (value, reason, span) = decide(&address);
    assert_eq!(value, Exposure::Unknown);
    assert_eq!(
        reason,
        "an `ip_restriction` rule's IP address is unresolved"
    );
    assert_eq!(span, Some(100..120));
}

#[test]
fn a_resolved_internet_rule_wins_over_an_unresolved_one() {
    let mut resource = site("azurerm_linux_web_app");
    deny_by_default(&mut resource);
    let mut unresolved = rule(100..120);
    unresolved.ip_address = Some(unknown(101..110));
    let mut open = rule(120..140);
    open.service_tag = Some(text("Internet", 121..130));
    resource.rollout.restrictions = Restrictions::Rules(vec![unresolved, open]);
    assert_eq!(decide(&resource).0, Exposure::Internet);
}

#[test]
fn restrictions_that_prove_it_private_win_over_unresolved_public_access() {
    let mut resource = site("azurerm_linux_web_app");
    resource.rollout.public_access = Some(unknown(10..20));
    deny_by_default(&mut resource);
    assert_eq!(decide(&resource).0, Exposure::Private);
}

#[test]
fn a_value_certgate_does_not_know_is_unknown_not_a_guess() {
    let mut resource = site("Microsoft.Web/sites");
    resource.rollout.public_access = Some(text("SecuredByPerimeter", 10..20));
    let (value, reason, _) = decide(&resource);
    assert_eq!(value, Exposure::Unknown);
    assert_eq!(reason, "`publicNetworkAccess` is `SecuredByPerimeter`");
    let mut address = site("azurerm_linux_web_app");
    deny_by_default(&mut address);
    let mut odd = rule(100..120);
    odd.ip_address = Some(text("not-an-address", 101..110));
    address.rollout.restrictions = Restrictions::Rules(vec![odd]);
    assert_eq!(decide(&address).0, Exposure::Unknown);
}

#[test]
fn a_slot_is_judged_by_its_own_settings_alone() {
    // The slot's inputs are its own: a site's Deny does not reach it.
    let slot = site("azurerm_linux_web_app_slot");
    assert!(slot.is_slot);
    assert_eq!(decide(&slot).0, Exposure::Internet);
    let mut private_slot = site("azurerm_linux_web_app_slot");
    private_slot.rollout.public_access = Some(value(Data::Bool(false), 10..20));
    assert_eq!(decide(&private_slot).0, Exposure::Private);
}

#[test]
fn broad_ranges_count_as_the_internet_and_networks_do_not() {
    assert_eq!(internet_range("0.0.0.0/0"), Some(true));
    assert_eq!(internet_range("128.0.0.0/1"), Some(true));
    assert_eq!(internet_range("0.0.0.0/7"), Some(true));
    assert_eq!(internet_range("10.0.0.0/8"), Some(false));
    assert_eq!(internet_range("20.0.0.0/8"), Some(false));
    assert_eq!(internet_range("203.0.113.7"), Some(false));
    assert_eq!(internet_range("2000::/3"), Some(true));
    assert_eq!(internet_range("fe80::/10"), Some(false));
    assert_eq!(internet_range("2001:db8::/32"), Some(false));
    assert_eq!(internet_range("10.0.0.0/x"), None);
    assert_eq!(internet_range("AzureCloud"), None);
}
