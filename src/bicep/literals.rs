//! Literal values: strings with `${…}` holes (formatted as the deployment engine formats
//! them), objects (spreads merged, keys case-insensitive as in ARM) and arrays (spreads
//! spliced in).

use std::collections::BTreeMap;

use crate::value::{Traced, Val};

use super::ast::{ArrayItem, ObjectExpr, ObjectKey, ObjectMember, StringExpr, StringPart};
use super::eval::{Env, unknown};

impl Env<'_> {
    /// A string, with its `${…}` holes formatted as the deployment engine formats them.
    pub(super) fn string(&self, string: &StringExpr) -> Traced {
        if let Some(text) = string.literal() {
            return Traced::here(Val::String(text.to_string()));
        }
        let mut out = String::new();
        let mut origin = Vec::new();
        for part in &string.parts {
            match part {
                StringPart::Text { value, .. } => out.push_str(value),
                StringPart::Interpolation(hole) => {
                    let traced = self.eval(hole);
                    if traced.val.is_unknown() {
                        return traced;
                    }
                    match crate::arm::functions::apply("string", std::slice::from_ref(&traced.val))
                    {
                        Some(Ok(Val::String(text))) => {
                            if (out.len() + text.len()) as u64 > crate::limits::MAX_VALUE_BYTES {
                                self.scope.budget.cut();
                                return unknown(crate::budget::too_large());
                            }
                            out.push_str(&text)
                        }
                        Some(Err(why)) => return unknown(why),
                        _ => return unknown("a `${…}` value cannot be formatted"),
                    }
                    if origin.is_empty() {
                        origin = traced.origin;
                    }
                }
            }
        }
        let val = Val::String(out);
        if let Err(why) = self.take(&val) {
            return unknown(why);
        }
        Traced {
            val,
            origin,
            parts: None,
        }
    }

    pub(super) fn object(&self, object: &ObjectExpr) -> Traced {
        let mut members = BTreeMap::new();
        for member in &object.members {
            match member {
                ObjectMember::Property(property) => {
                    let key = match self.key(&property.key) {
                        Ok(key) => key,
                        Err(unknown) => return unknown,
                    };
                    insert_ignore_case(&mut members, key, self.eval(&property.value).val);
                }
                ObjectMember::Spread { value, .. } => {
                    let spread = self.eval(value);
                    match spread.val {
                        Val::Object(more) => {
                            if let Err(why) = self.take(&Val::Object(more.clone())) {
                                return unknown(why);
                            }
                            for (key, value) in more {
                                insert_ignore_case(&mut members, key, value);
                            }
                        }
                        Val::Null => {}
                        Val::Unknown(_) => return spread,
                        other => {
                            return unknown(format!(
                                "`...` spreads a {} into an object",
                                other.type_name()
                            ));
                        }
                    }
                }
                ObjectMember::Resource(_) => {}
                ObjectMember::Broken(broken) => {
                    let source = &self.scope.file.source;
                    match &broken.key {
                        Some(key) => {
                            let why = broken.reason(key, source);
                            insert_ignore_case(&mut members, key.clone(), Val::unknown(why));
                        }
                        // Any member may be the broken one.
                        None => return unknown(broken.reason("a member", source)),
                    }
                }
            }
        }
        Traced::here(Val::Object(members))
    }

    fn key(&self, key: &ObjectKey) -> Result<String, Traced> {
        match key {
            ObjectKey::Ident(name) => Ok(name.clone()),
            ObjectKey::String(string) => {
                let traced = self.string(string);
                match traced.val {
                    Val::String(text) => Ok(text),
                    _ => Err(traced),
                }
            }
        }
    }

    pub(super) fn array(&self, items: &[ArrayItem]) -> Traced {
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let value = self.eval(&item.value);
            if !item.spread {
                out.push(value.val);
                continue;
            }
            match value.val {
                Val::List(more) => {
                    if let Err(why) = self.take(&Val::List(more.clone())) {
                        return unknown(why);
                    }
                    out.extend(more);
                }
                Val::Null => {}
                Val::Unknown(_) => return value,
                other => {
                    return unknown(format!(
                        "`...` spreads a {} into an array",
                        other.type_name()
                    ));
                }
            }
        }
        Traced::here(Val::List(out))
    }
}

/// Sets `key`, replacing a member whose name differs only in case (ARM property names are
/// case-insensitive).
pub fn insert_ignore_case(members: &mut BTreeMap<String, Val>, key: String, value: Val) {
    if let Some(existing) = members
        .keys()
        .find(|k| k.eq_ignore_ascii_case(&key))
        .cloned()
    {
        members.remove(&existing);
    }
    members.insert(key, value);
}
