//! What a resource's certificate settings amount to: enabled?, effective mode, exclusion paths.
//!
//! This is the one place that knows the control's semantics (defaults, mode-only types, value
//! conversions); every rule reads the resulting [`CertState`] instead of raw values.

use crate::model::{CertControl, CertMode, Data, Resource, Value};

/// A setting's effective value and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Setting<'a, T> {
    /// Written (or resolved) at this value.
    Set(T, &'a Value),
    /// Not written: the type's default applies.
    Default(T),
    /// Written, but its value cannot be decided statically; the text says why.
    Unresolved(&'a Value, String),
}

impl<T: Copy> Setting<'_, T> {
    /// The decided value, if any.
    pub fn known(&self) -> Option<T> {
        match self {
            Setting::Set(value, _) | Setting::Default(value) => Some(*value),
            Setting::Unresolved(..) => None,
        }
    }
}

impl<'a, T> Setting<'a, T> {
    /// The value that set this, when it was written.
    pub fn value(&self) -> Option<&'a Value> {
        match self {
            Setting::Set(_, value) | Setting::Unresolved(value, _) => Some(value),
            Setting::Default(_) => None,
        }
    }
}

/// The effective certificate settings of a resource whose type can express the control.
#[derive(Debug, Clone, PartialEq)]
pub struct CertState<'a> {
    pub enabled: Setting<'a, bool>,
    /// `None` inside `Default`/`Set` means no mode at all (mode-only types with the mode unset).
    pub mode: Setting<'a, Option<CertMode>>,
    pub exclusion_paths: Setting<'a, ExclusionPaths<'a>>,
}

/// The exclusion paths a resource lists (empty when none).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExclusionPaths<'a>(&'a str);

impl ExclusionPaths<'_> {
    /// The individual paths; both `;` (Terraform, ARM) and `,` (ARM) separate them.
    pub fn paths(&self) -> Vec<&str> {
        self.0
            .split([';', ','])
            .map(str::trim)
            .filter(|path| !path.is_empty())
            .collect()
    }
}

impl<'a> CertState<'a> {
    /// `None` for types that cannot express the control at all.
    pub fn of(resource: &'a Resource) -> Option<Self> {
        let mode = mode_setting(resource);
        let enabled = match &resource.control {
            CertControl::Unsupported { .. } => return None,
            CertControl::EnabledAndMode { .. } => enabled_setting(resource.enabled.as_ref()),
            // Mode-only types: certificates are on exactly when a mode is set.
            CertControl::ModeOnly { .. } => match &mode {
                Setting::Set(mode, value) => Setting::Set(mode.is_some(), value),
                Setting::Default(mode) => Setting::Default(mode.is_some()),
                Setting::Unresolved(value, why) => Setting::Unresolved(value, why.clone()),
            },
        };
        Some(CertState {
            enabled,
            mode,
            exclusion_paths: exclusion_setting(resource.exclusion_paths.as_ref()),
        })
    }
}

fn enabled_setting(value: Option<&Value>) -> Setting<'_, bool> {
    let Some(value) = value else {
        return Setting::Default(false);
    };
    match &value.data {
        Data::Bool(enabled) => Setting::Set(*enabled, value),
        Data::Null => Setting::Default(false),
        Data::Unknown(why) => Setting::Unresolved(value, why.clone()),
        Data::String(text) => Setting::Unresolved(
            value,
            format!("\"{}\" is not a boolean", crate::quote::clip(text)),
        ),
        Data::Other(kind) => Setting::Unresolved(value, format!("a {kind} is not a boolean")),
    }
}

fn mode_setting(resource: &Resource) -> Setting<'_, Option<CertMode>> {
    let default = match resource.control {
        CertControl::EnabledAndMode { default_mode } => Some(default_mode),
        CertControl::ModeOnly { default_mode } => default_mode,
        CertControl::Unsupported { .. } => None,
    };
    let Some(value) = resource.mode.as_ref() else {
        return Setting::Default(default);
    };
    match &value.data {
        Data::String(text) => match CertMode::parse(text) {
            Some(mode) => Setting::Set(Some(mode), value),
            None => Setting::Unresolved(
                value,
                format!(
                    "\"{}\" is not a client certificate mode (Required, Optional, OptionalInteractiveUser)",
                    crate::quote::clip(text)
                ),
            ),
        },
        Data::Null => Setting::Default(default),
        Data::Unknown(why) => Setting::Unresolved(value, why.clone()),
        Data::Bool(_) => Setting::Unresolved(value, "a boolean is not a certificate mode".into()),
        Data::Other(kind) => {
            Setting::Unresolved(value, format!("a {kind} is not a certificate mode"))
        }
    }
}

fn exclusion_setting(value: Option<&Value>) -> Setting<'_, ExclusionPaths<'_>> {
    let Some(value) = value else {
        return Setting::Default(ExclusionPaths(""));
    };
    match &value.data {
        Data::String(text) => Setting::Set(ExclusionPaths(text), value),
        Data::Null => Setting::Default(ExclusionPaths("")),
        Data::Unknown(why) => Setting::Unresolved(value, why.clone()),
        Data::Bool(_) => Setting::Unresolved(value, "a boolean is not a list of paths".into()),
        Data::Other(kind) => Setting::Unresolved(value, format!("a {kind} is not a list of paths")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclusion_paths_split_on_both_separators_and_drop_blanks() {
        let paths = ExclusionPaths("/health; /status,/metrics;;");
        assert_eq!(paths.paths(), ["/health", "/status", "/metrics"]);
        assert!(ExclusionPaths(" ; ").paths().is_empty());
    }
}
