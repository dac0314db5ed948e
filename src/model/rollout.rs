//! What the rollout needs to know about a site besides its certificate settings: the settings
//! that decide its exposure and the tags that can name its environment, as the front end read
//! them, and the decided facts with their reasons.
//!
//! Front ends fill [`RolloutInputs`] with raw values (no decisions); `crate::rollout` decides
//! [`Exposure`] and [`Environment`] from them, once, for every front end.

use super::Value;
use crate::source::Span;

/// Whether a site can be reached from the internet (SPEC "Rollout facts").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Exposure {
    Internet,
    Private,
    /// The settings that decide it are unresolved.
    Unknown,
}

impl Exposure {
    /// The stable machine form (`internet`, `private`, `unknown`).
    pub fn as_str(self) -> &'static str {
        match self {
            Exposure::Internet => "internet",
            Exposure::Private => "private",
            Exposure::Unknown => "unknown",
        }
    }
}

/// Which kind of environment a site is deployed to (SPEC "Rollout facts").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Environment {
    Production,
    NonProduction,
    Unknown,
}

impl Environment {
    /// The stable machine form (`production`, `non-production`, `unknown`).
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Production => "production",
            Environment::NonProduction => "non-production",
            Environment::Unknown => "unknown",
        }
    }
}

/// A decided fact with the reason for it and the place it comes from (a setting, a tag, a
/// parameter file), when there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact<T> {
    pub value: T,
    /// One short sentence: `public_network_access_enabled = false`, `tag environment = "prod"`.
    pub reason: String,
    pub span: Option<Span>,
}

/// The raw settings a front end read for the rollout facts. Every field is as written (a
/// value may be [`super::Data::Unknown`]); nothing here is a decision.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RolloutInputs {
    /// `public_network_access_enabled` (bool) / `publicNetworkAccess` (`Enabled`/`Disabled`).
    pub public_access: Option<Value>,
    /// `site_config.ip_restriction_default_action` / `siteConfig.ipSecurityRestrictionsDefaultAction`.
    pub default_action: Option<Value>,
    /// `site_config.ip_restriction` blocks / `siteConfig.ipSecurityRestrictions`.
    pub restrictions: Restrictions,
    /// The site's `tags` entries whose key can name an environment (`environment`, `env`,
    /// `stage`, matched case-insensitively), in the order written (Terraform maps: key order).
    pub tags: Tags,
}

/// A site's access restriction rules (the main site's, not the SCM site's).
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Restrictions {
    /// None written.
    #[default]
    Absent,
    /// Written, but the list (or an entry's shape) could not be resolved: the value says why.
    Unknown(Value),
    /// The rules as written.
    Rules(Vec<AccessRule>),
}

/// One access restriction rule. A front end maps its syntax onto these fields: an ARM rule
/// with `"tag": "ServiceTag"` puts its `ipAddress` in `service_tag`.
#[derive(Debug, Clone, PartialEq)]
pub struct AccessRule {
    /// The whole rule (block or object).
    pub span: Span,
    /// `action` (`Allow`/`Deny`); `None` when omitted (the platform's default is `Allow`).
    pub action: Option<Value>,
    /// `ip_address` / `ipAddress` (a CIDR, or `Any`).
    pub ip_address: Option<Value>,
    /// `service_tag` / an ARM `ipAddress` whose `tag` is `ServiceTag` (`Internet`, `AzureFrontDoor.Backend`, …).
    pub service_tag: Option<Value>,
    /// `virtual_network_subnet_id` / `vnetSubnetResourceId`.
    pub subnet: Option<Value>,
}

/// The environment-naming entries of a site's `tags`.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Tags {
    /// No `tags`, or none of the keys that can name an environment.
    #[default]
    Absent,
    /// `tags` is written but could not be resolved to an object: its keys are unknown.
    Unknown(Value),
    /// The entries whose key can name an environment: the key as written and its value.
    Entries(Vec<(String, Value)>),
}

/// The tag keys that can name an environment (compared case-insensitively).
pub const ENVIRONMENT_TAG_KEYS: [&str; 3] = ["environment", "env", "stage"];
