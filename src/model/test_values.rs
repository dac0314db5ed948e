//! Helpers the front ends' unit tests share to look at model values: what a value holds and
//! the text its span covers.

use super::{Data, SiteIdentity, Value};

/// The data of a value that must be present.
pub fn data(value: &Option<Value>) -> Data {
    value.as_ref().expect("value present").data.clone()
}

/// A string's data.
pub fn string(text: &str) -> Data {
    Data::String(text.into())
}

/// The text of `text` a present value's span covers.
pub fn slice<'t>(text: &'t str, value: &Option<Value>) -> &'t str {
    &text[value.as_ref().expect("value present").span.range()]
}

/// The names a resource is identified by: (name, parent, resource group, subscription, id).
pub fn names(identity: &SiteIdentity) -> [Option<Data>; 5] {
    [
        &identity.name,
        &identity.parent,
        &identity.resource_group,
        &identity.subscription,
        &identity.id,
    ]
    .map(|value| value.as_ref().map(|v| v.data.clone()))
}
