//! Sites with filled rollout inputs, for the decision rules' unit tests (the front ends fill
//! them in real scans).

use crate::model::{
    AccessRule, CertAttributes, CertControl, CertMode, Data, Resource, RolloutInputs, SiteKind,
    Syntax, Value,
};
use crate::source::Span;

/// A site of `resource_type` with no rollout inputs.
pub fn site(resource_type: &str) -> Resource {
    Resource {
        address: format!("{resource_type}.site"),
        resource_type: resource_type.to_string(),
        kind: SiteKind::WebApp,
        is_slot: resource_type.contains("slot"),
        kind_tags: Vec::new(),
        syntax: Syntax::Hcl,
        header: Span::new(0, 0..1),
        control: CertControl::EnabledAndMode {
            default_mode: CertMode::Required,
        },
        attributes: CertAttributes {
            enabled: None,
            mode: None,
            exclusion_paths: None,
        },
        enabled: None,
        mode: None,
        exclusion_paths: None,
        scenario: None,
        instance: None,
        fix_anchor: None,
        suppression_anchor: None,
        rollout: RolloutInputs::default(),
        identity: crate::model::SiteIdentity::default(),
        source: crate::model::Source::Code,
    }
}

/// A value at bytes `at` of file 0.
pub fn value(data: Data, at: std::ops::Range<usize>) -> Value {
    Value::literal(data, Span::new(0, at))
}

pub fn text(text: &str, at: std::ops::Range<usize>) -> Value {
    value(Data::String(text.to_string()), at)
}

pub fn unknown(at: std::ops::Range<usize>) -> Value {
    value(Data::Unknown("var.x has no value".into()), at)
}

/// An Allow rule (action omitted) at bytes `at`, with nothing else set.
pub fn rule(at: std::ops::Range<usize>) -> AccessRule {
    AccessRule {
        span: Span::new(0, at),
        action: None,
        ip_address: None,
        service_tag: None,
        subnet: None,
    }
}
