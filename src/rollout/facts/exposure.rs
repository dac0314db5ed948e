//! Decides whether a site can be reached from the internet, from its own public network
//! access setting and access restrictions (SPEC "Rollout facts"; the platform's behaviour is
//! in the README, "Exposure and environment").
//!
//! `private` needs proof: public network access disabled, or restrictions that deny by
//! default with no `Allow` rule admitting the Internet. What is not written takes the
//! platform's default (public access on, unmatched requests allowed), so a site that says
//! nothing is `internet`. A deciding value that is unresolved makes the answer `unknown`,
//! unless a resolved one already proves the site private.

use std::net::IpAddr;

use crate::model::{AccessRule, Data, Exposure, Fact, Resource, Restrictions, Value};
use crate::source::Span;

/// The names of the deciding settings in the resource's own syntax, for reasons.
struct Names {
    public_access: &'static str,
    default_action: &'static str,
    rules: &'static str,
}

impl Names {
    fn of(resource: &Resource) -> Names {
        // The azurerm provider's names; ARM, Bicep and AzAPI bodies use the resource API's.
        if resource.resource_type.starts_with("azurerm_") {
            Names {
                public_access: "public_network_access_enabled",
                default_action: "ip_restriction_default_action",
                rules: "ip_restriction",
            }
        } else {
            Names {
                public_access: "publicNetworkAccess",
                default_action: "ipSecurityRestrictionsDefaultAction",
                rules: "ipSecurityRestrictions",
            }
        }
    }
}

/// What one deciding setting says.
enum Said {
    /// Not written (or null): the platform's default.
    Default,
    Yes,
    No,
    /// Unresolved, or a value certgate does not know; the text says which.
    Unknown(String),
}

/// Public network access: `Yes` when on.
fn public_access(value: Option<&Value>, name: &str) -> Said {
    let Some(value) = value else {
        return Said::Default;
    };
    match &value.data {
        Data::Null => Said::Default,
        Data::Bool(on) => yes_no(*on),
        // Terraform converts "true"/"false"; the resource API says "Enabled"/"Disabled".
        Data::String(text) => match text.to_ascii_lowercase().as_str() {
            "true" | "enabled" => Said::Yes,
            "false" | "disabled" => Said::No,
            _ => Said::Unknown(format!("`{name}` is `{}`", crate::quote::clip(text))),
        },
        Data::Other(kind) => Said::Unknown(format!("`{name}` is a {kind}")),
        Data::Unknown(_) => Said::Unknown(format!("`{name}` is unresolved")),
    }
}

/// The unmatched-request action: `Yes` when it is `Deny`.
fn denies_by_default(value: Option<&Value>, name: &str) -> Said {
    let Some(value) = value else {
        return Said::Default;
    };
    match &value.data {
        Data::Null => Said::Default,
        Data::String(text) if text.eq_ignore_ascii_case("deny") => Said::Yes,
        Data::String(text) if text.eq_ignore_ascii_case("allow") => Said::No,
        Data::String(text) => Said::Unknown(format!("`{name}` is `{}`", crate::quote::clip(text))),
        Data::Bool(_) | Data::Other(_) => Said::Unknown(format!("`{name}` is not Allow or Deny")),
        Data::Unknown(_) => Said::Unknown(format!("`{name}` is unresolved")),
    }
}

fn yes_no(yes: bool) -> Said {
    if yes { Said::Yes } else { Said::No }
}

/// Decides the site's exposure from its own settings (a slot's from the slot's alone).
pub fn exposure(resource: &Resource) -> Fact<Exposure> {
    let names = Names::of(resource);
    let inputs = &resource.rollout;
    let public_span = inputs.public_access.as_ref().map(|v| v.span);
    let unresolved_access = match public_access(inputs.public_access.as_ref(), names.public_access)
    {
        Said::No => {
            return fact(
                Exposure::Private,
                format!("`{}` disables public network access", names.public_access),
                public_span,
            );
        }
        Said::Unknown(why) => Some(why),
        Said::Default | Said::Yes => None,
    };
    let restricted = restrictions(inputs, &names);
    match (unresolved_access, restricted) {
        // Proven private by the restrictions whatever public access says.
        (
            _,
            found @ Fact {
                value: Exposure::Private,
                ..
            },
        ) => found,
        (Some(why), _) => fact(Exposure::Unknown, why, public_span),
        (None, found) => found,
    }
}

/// What the access restrictions say, public access being on.
fn restrictions(inputs: &crate::model::RolloutInputs, names: &Names) -> Fact<Exposure> {
    let action_span = inputs.default_action.as_ref().map(|v| v.span);
    match denies_by_default(inputs.default_action.as_ref(), names.default_action) {
        Said::Default | Said::No => {
            let reason = match (action_span, &inputs.public_access) {
                (Some(_), _) => format!("`{}` allows unmatched requests", names.default_action),
                (None, Some(_)) => format!(
                    "`{}` is on and unmatched requests are allowed by default",
                    names.public_access
                ),
                (None, None) => {
                    "public network access and unmatched requests are allowed by default".into()
                }
            };
            return fact(
                Exposure::Internet,
                reason,
                action_span.or(inputs.public_access.as_ref().map(|v| v.span)),
            );
        }
        Said::Unknown(why) => return fact(Exposure::Unknown, why, action_span),
        Said::Yes => {}
    }
    let rules = match &inputs.restrictions {
        Restrictions::Absent => &[][..],
        Restrictions::Unknown(value) => {
            return fact(
                Exposure::Unknown,
                format!("`{}` is unresolved", names.rules),
                Some(value.span),
            );
        }
        Restrictions::Rules(rules) => &rules[..],
    };
    let mut unresolved: Option<(&AccessRule, String)> = None;
    for rule in rules {
        match admits_internet(rule) {
            Admits::Yes(what) => {
                return fact(
                    Exposure::Internet,
                    format!("an `{}` rule allows {what}", names.rules),
                    Some(rule.span),
                );
            }
            Admits::Unknown(why) => {
                unresolved.get_or_insert((rule, why));
            }
            Admits::No => {}
        }
    }
    if let Some((rule, why)) = unresolved {
        return fact(
            Exposure::Unknown,
            format!("an `{}` rule's {why} is unresolved", names.rules),
            Some(rule.span),
        );
    }
    fact(
        Exposure::Private,
        format!(
            "`{}` is Deny and no rule allows the Internet",
            names.default_action
        ),
        action_span,
    )
}

/// Whether one rule lets the Internet in.
enum Admits {
    /// It does: the text names what it allows (`0.0.0.0/0`, `the Internet service tag`).
    Yes(String),
    No,
    /// It cannot be told: the text names the unresolved part.
    Unknown(String),
}

fn admits_internet(rule: &AccessRule) -> Admits {
    // An omitted action is the platform's default, Allow.
    match rule.action.as_ref().map(|v| &v.data) {
        None | Some(Data::Null) => {}
        Some(Data::String(action)) if action.eq_ignore_ascii_case("allow") => {}
        // A Deny rule never lets anyone in (rule priorities are not weighed: an Allow rule
        // that admits the Internet counts even behind a Deny rule).
        Some(Data::String(action)) if action.eq_ignore_ascii_case("deny") => return Admits::No,
        Some(_) => return Admits::Unknown("action".into()),
    }
    // A subnet rule admits traffic from a virtual network only, whatever the subnet.
    if rule.subnet.as_ref().is_some_and(|v| v.data != Data::Null) {
        return Admits::No;
    }
    if let Some(tag) = rule.service_tag.as_ref().filter(|v| v.data != Data::Null) {
        return match &tag.data {
            Data::String(tag) if tag.eq_ignore_ascii_case("internet") => {
                Admits::Yes("the `Internet` service tag".into())
            }
            Data::String(_) => Admits::No,
            _ => Admits::Unknown("service tag".into()),
        };
    }
    match rule.ip_address.as_ref().map(|v| &v.data) {
        Some(Data::String(address)) => match internet_range(address) {
            Some(true) => Admits::Yes(format!("`{}`", crate::quote::clip(address))),
            Some(false) => Admits::No,
            None => Admits::Unknown("IP address".into()),
        },
        None | Some(Data::Null) => Admits::No,
        Some(_) => Admits::Unknown("IP address".into()),
    }
}

/// Whether an `ip_address` admits the Internet: `Any`, `*`, or a range broader than any one
/// network's (IPv4 shorter than /8, IPv6 shorter than /16 outside the private fc00::/7 and
/// link-local fe80::/10); `None` when it is not an address or range.
fn internet_range(text: &str) -> Option<bool> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("any") || text == "*" {
        return Some(true);
    }
    let (address, prefix) = match text.split_once('/') {
        Some((address, prefix)) => (address, Some(prefix.parse::<u8>().ok()?)),
        None => (text, None),
    };
    match address.parse::<IpAddr>().ok()? {
        IpAddr::V4(_) => Some(prefix.unwrap_or(32) < 8),
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            let private = first & 0xfe00 == 0xfc00 || first & 0xffc0 == 0xfe80;
            Some(prefix.unwrap_or(128) < 16 && !private)
        }
    }
}

fn fact(value: Exposure, reason: String, span: Option<Span>) -> Fact<Exposure> {
    Fact {
        value,
        reason,
        span,
    }
}

#[cfg(test)]
mod tests;
