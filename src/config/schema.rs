//! Walks the spanned TOML tree of a `certgate.toml` into a [`Config`], collecting every
//! unknown key and bad value with its position instead of stopping at the first.

use std::ops::Range;
use std::path::Path;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{
    AddressGlob, Config, ConfigError, EnvironmentGlob, Exception, Level, PathGlob, UNRESOLVED_RULE,
};
use crate::date::{Date, parse_date};
use crate::diagnostic::Severity;
use crate::rules::{RuleId, UNUSED_EXCEPTION, check_rule_id};
use crate::source::SourceFile;

type Value<'i> = Spanned<DeValue<'i>>;

/// Collects errors with positions while a config is read.
struct Reader {
    file: SourceFile,
    errors: Vec<ConfigError>,
}

impl Reader {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        let at = self.file.line_col(span.start);
        self.errors.push(ConfigError {
            path: self.file.path().to_path_buf(),
            span,
            line: at.line,
            column: at.column,
            message: message.into(),
        });
    }

    /// Reports keys of `table` not in `known`; `context` names the table in messages.
    fn check_keys(&mut self, table: &DeTable<'_>, known: &[&str], context: &str) {
        for (key, _) in table.iter() {
            if !known.contains(&key.get_ref().as_ref()) {
                let list = known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.error(
                    key.span(),
                    format!(
                        "unknown key `{}` {context}: the keys are {list}",
                        key.get_ref()
                    ),
                );
            }
        }
    }

    fn string(&mut self, value: &Value<'_>, key: &str) -> Option<String> {
        match value.get_ref() {
            DeValue::String(text) if !text.trim().is_empty() => Some(text.to_string()),
            DeValue::String(_) => {
                self.error(value.span(), format!("`{key}` is empty"));
                None
            }
            other => {
                self.error(
                    value.span(),
                    format!("`{key}` must be a string, found {}", other.type_str()),
                );
                None
            }
        }
    }

    fn boolean(&mut self, value: &Value<'_>, key: &str) -> Option<bool> {
        match value.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                self.error(
                    value.span(),
                    format!("`{key}` must be true or false, found {}", other.type_str()),
                );
                None
            }
        }
    }

    /// A list of strings, each with its span.
    fn strings(&mut self, value: &Value<'_>, key: &str) -> Option<Vec<(String, Range<usize>)>> {
        let DeValue::Array(items) = value.get_ref() else {
            self.error(
                value.span(),
                format!(
                    "`{key}` must be a list of strings, found {}",
                    value.get_ref().type_str()
                ),
            );
            return None;
        };
        let mut out = Vec::new();
        for item in items.iter() {
            if let Some(text) = self.string(item, key) {
                out.push((text, item.span()));
            }
        }
        Some(out)
    }

    fn level(&mut self, value: &Value<'_>, key: &str) -> Option<Level> {
        let text = self.string(value, key)?;
        let level = Level::parse(&text);
        if level.is_none() {
            self.error(
                value.span(),
                format!("`{key}` must be \"error\", \"warning\" or \"off\", found \"{text}\""),
            );
        }
        level
    }

    fn date(&mut self, value: &Value<'_>, key: &str) -> Option<Date> {
        let text = match value.get_ref() {
            DeValue::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
            DeValue::String(text) => text.to_string(),
            other => {
                self.error(
                    value.span(),
                    format!(
                        "`{key}` must be a date (2027-03-31), found {}",
                        other.type_str()
                    ),
                );
                return None;
            }
        };
        parse_date(&text)
            .map_err(|message| self.error(value.span(), message))
            .ok()
    }
}

fn get<'t, 'i>(table: &'t DeTable<'i>, key: &str) -> Option<&'t Value<'i>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .map(|(_, v)| v)
}

const TOP_KEYS: &[&str] = &[
    "unresolved",
    "exclude",
    "peer-suppressions",
    "rules",
    "scope",
    "exception",
    "project-root",
    "fail-on",
    "environments",
    "guardrail-hint",
];
const SCOPE_KEYS: &[&str] = &["web-apps", "function-apps", "logic-apps", "slots"];
const ENVIRONMENT_KEYS: &[&str] = &["production", "non-production"];
const EXCEPTION_KEYS: &[&str] = &["resource", "path", "rules", "reason", "owner", "expires"];

pub(super) fn read(path: &Path, text: &str) -> Result<Config, Vec<ConfigError>> {
    let mut reader = Reader {
        file: SourceFile::new(path.to_path_buf(), text),
        errors: Vec::new(),
    };
    let (root, syntax_errors) = DeTable::parse_recoverable(text);
    if !syntax_errors.is_empty() {
        for error in syntax_errors {
            let span = error.span().unwrap_or(0..0);
            reader.error(span, error.message().trim().to_string());
        }
        return Err(reader.errors);
    }
    let root = root.get_ref();
    let mut config = Config {
        source: Some(path.to_path_buf()),
        ..Config::default()
    };
    reader.check_keys(root, TOP_KEYS, "at the top level");
    let unresolved = get(root, "unresolved");
    if let Some(value) = unresolved
        && let Some(level) = reader.level(value, "unresolved")
    {
        config.levels.insert(RuleId::ClientCertUnresolved, level);
    }
    if let Some(value) = get(root, "exclude") {
        for (pattern, span) in reader.strings(value, "exclude").unwrap_or_default() {
            match PathGlob::new(&pattern) {
                Ok(glob) => config.exclude.push(glob),
                Err(message) => reader.error(span, message),
            }
        }
    }
    // Read by the scan before any config is loaded (see `crate::fs::root`); checked here.
    if let Some(value) = get(root, "project-root") {
        reader.string(value, "project-root");
    }
    if let Some(value) = get(root, "peer-suppressions")
        && let Some(on) = reader.boolean(value, "peer-suppressions")
    {
        config.peer_suppressions = on;
    }
    if let Some(value) = get(root, "fail-on") {
        config.fail_on = match value.get_ref() {
            DeValue::String(text) if text.as_ref() == "error" => Some(Severity::Error),
            DeValue::String(text) if text.as_ref() == "warning" => Some(Severity::Warning),
            _ => {
                reader.error(value.span(), "`fail-on` must be \"error\" or \"warning\"");
                None
            }
        };
    }
    if let Some(value) = get(root, "guardrail-hint")
        && let Some(on) = reader.boolean(value, "guardrail-hint")
    {
        config.guardrail_hint = on;
    }
    if let Some(value) = get(root, "rules") {
        read_rules(&mut reader, value, unresolved.is_some(), &mut config);
    }
    if let Some(value) = get(root, "scope") {
        read_scope(&mut reader, value, &mut config);
    }
    if let Some(value) = get(root, "environments") {
        read_environments(&mut reader, value, &mut config);
    }
    if let Some(value) = get(root, "exception") {
        match value.get_ref() {
            DeValue::Array(entries) => {
                for entry in entries.iter() {
                    if let Some(exception) = read_exception(&mut reader, entry) {
                        config.exceptions.push(exception);
                    }
                }
            }
            other => reader.error(
                value.span(),
                format!(
                    "`exception` must be a list of tables ([[exception]]), found {}",
                    other.type_str()
                ),
            ),
        }
    }
    if reader.errors.is_empty() {
        Ok(config)
    } else {
        reader.errors.sort_by_key(|e| (e.span.start, e.span.end));
        Err(reader.errors)
    }
}

fn table<'t, 'i>(reader: &mut Reader, value: &'t Value<'i>, key: &str) -> Option<&'t DeTable<'i>> {
    match value.get_ref() {
        DeValue::Table(table) => Some(table),
        other => {
            reader.error(
                value.span(),
                format!("`{key}` must be a table, found {}", other.type_str()),
            );
            None
        }
    }
}

fn read_rules(reader: &mut Reader, value: &Value<'_>, has_unresolved: bool, config: &mut Config) {
    let Some(rules) = table(reader, value, "rules") else {
        return;
    };
    for (key, value) in rules.iter() {
        let id = key.get_ref().as_ref();
        if id != UNUSED_EXCEPTION
            && let Err(message) = check_rule_id(id)
        {
            reader.error(key.span(), format!("{message}, and `{UNUSED_EXCEPTION}`"));
            continue;
        }
        if id == UNRESOLVED_RULE && has_unresolved {
            reader.error(
                key.span(),
                format!(
                    "`{UNRESOLVED_RULE}` is already set by the top-level `unresolved` key: keep one"
                ),
            );
            continue;
        }
        // Checked above: a resource rule or `unused-exception`.
        if let Some(rule) = RuleId::parse(id)
            && let Some(level) = reader.level(value, id)
        {
            config.levels.insert(rule, level);
        }
    }
}

fn read_scope(reader: &mut Reader, value: &Value<'_>, config: &mut Config) {
    let Some(scope) = table(reader, value, "scope") else {
        return;
    };
    reader.check_keys(scope, SCOPE_KEYS, "in [scope]");
    let mut set = |key: &str, slot: &mut bool| {
        if let Some(value) = get(scope, key)
            && let Some(on) = reader.boolean(value, key)
        {
            *slot = on;
        }
    };
    set("web-apps", &mut config.scope.web_apps);
    set("function-apps", &mut config.scope.function_apps);
    set("logic-apps", &mut config.scope.logic_apps);
    set("slots", &mut config.scope.slots);
}

/// `[environments]`: `production` and `non-production`, each a list of path globs.
fn read_environments(reader: &mut Reader, value: &Value<'_>, config: &mut Config) {
    let Some(environments) = table(reader, value, "environments") else {
        return;
    };
    reader.check_keys(environments, ENVIRONMENT_KEYS, "in [environments]");
    for key in ENVIRONMENT_KEYS {
        let Some(value) = get(environments, key) else {
            continue;
        };
        let globs = reader
            .strings(value, key)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(pattern, span)| match PathGlob::new(&pattern) {
                Ok(glob) => Some(EnvironmentGlob { glob, span }),
                Err(message) => {
                    reader.error(span, message);
                    None
                }
            })
            .collect();
        match *key {
            "production" => config.environments.production = globs,
            _ => config.environments.non_production = globs,
        }
    }
}

fn read_exception(reader: &mut Reader, entry: &Value<'_>) -> Option<Exception> {
    let fields = table(reader, entry, "exception")?;
    let errors_before = reader.errors.len();
    reader.check_keys(fields, EXCEPTION_KEYS, "in [[exception]]");
    let at = entry.span();
    let missing = |reader: &mut Reader, key: &str, hint: &str| {
        reader.error(
            at.clone(),
            format!("this [[exception]] has no `{key}`: {hint}"),
        );
    };
    let resource = match get(fields, "resource") {
        Some(value) => reader.string(value, "resource").and_then(|text| {
            AddressGlob::new(&text)
                .map_err(|message| reader.error(value.span(), message))
                .ok()
        }),
        None => {
            missing(
                reader,
                "resource",
                "add resource = \"ADDRESS\" (a glob like \"module.web.*\" is allowed)",
            );
            None
        }
    };
    let path = get(fields, "path").and_then(|value| {
        let text = reader.string(value, "path")?;
        PathGlob::new(&text)
            .map_err(|message| reader.error(value.span(), message))
            .ok()
    });
    let rules = get(fields, "rules").and_then(|value| {
        let list = reader.strings(value, "rules")?;
        if list.is_empty() {
            reader.error(
                value.span(),
                "empty rule list: leave out `rules` to cover every client-cert rule",
            );
            return None;
        }
        let mut ids = Vec::new();
        for (id, span) in list {
            match check_rule_id(&id) {
                Ok(()) => ids.push(id),
                Err(message) => reader.error(span, message),
            }
        }
        Some(ids)
    });
    let reason = match get(fields, "reason") {
        Some(value) => reader.string(value, "reason"),
        None => {
            missing(reader, "reason", "add reason = \"why this is accepted\"");
            None
        }
    };
    let owner = get(fields, "owner").and_then(|value| reader.string(value, "owner"));
    let expires = get(fields, "expires").and_then(|value| reader.date(value, "expires"));
    if reader.errors.len() != errors_before {
        return None;
    }
    let position = reader.file.line_col(at.start);
    Some(Exception {
        resource: resource?,
        path,
        rules,
        reason: reason?,
        owner,
        expires,
        span: at,
        line: position.line,
        column: position.column,
    })
}
