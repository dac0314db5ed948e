//! A template's parameters and variables as its expressions see them, evaluated on demand.
//!
//! A parameter's value is, in order: the value its caller gives (a parameter file, or the
//! `parameters` of the deployment that nests or links the template, evaluated in the caller's
//! environment), else its `defaultValue` (which may be an expression over other parameters),
//! else unknown, saying so. Variables are evaluated in the template's own scope. Names are
//! case-insensitive. Whole values are memoised; a reference back into a parameter or variable
//! still being evaluated is a cycle, reported as unknown rather than looped. A value an
//! evaluation limit cut short is not memoised (`crate::budget`).
//!
//! `variables('settings').mtls.mode` is followed into the declaration's JSON member by member,
//! so its origin is the exact `"mode": …` member, then the variable (or parameter) it sits in.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::json::{Json, JsonKind, Member};
use crate::model::{Origin, OriginKind};
use crate::source::{FileId, Span};
use crate::value::{Traced, Val};

use super::eval::{self, Env, Loop};
use crate::budget::{self, Budget};
use crate::value::Key;

/// Which table a name is looked up in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Parameter,
    Variable,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Parameter => "parameter",
            Kind::Variable => "variable",
        }
    }
}

/// A value a caller passes for one parameter: a `"name": {"value": …}` (or `{"reference": …}`)
/// entry in a parameter file or in a deployment's `parameters`.
pub struct Input<'a> {
    pub entry: &'a Member,
    /// The file the entry is written in.
    pub file: FileId,
    /// Where expressions in the value are evaluated; `None` for a parameter file, whose values
    /// are literal.
    pub caller: Option<Env<'a>>,
    /// The caller, for messages: `azuredeploy.parameters.prod.json`, `deployment `web``.
    pub source: String,
}

/// A value another front end passes for one parameter, already evaluated there: a Terraform
/// `parameters_content` entry (`name = { value = var.mode }`), with its own origin chain.
#[derive(Debug, Clone)]
pub struct ExternalInput {
    pub traced: Traced,
    /// The `name = { value = … }` entry.
    pub span: Span,
    /// The value inside it when it is written as one scalar literal (a fix can change it).
    pub literal: Option<Span>,
    /// The caller, for messages: `parameters_content of azurerm_…_template_deployment.web`.
    pub source: String,
}

/// The function a template built by another front end calls for a value that front end
/// computed: `[certgateEmbedded.value(3)]` is the fourth of [`Scope::embedded`]. A namespaced
/// (user-defined) name, so no template of ARM's own can mean anything by it.
pub const EMBEDDED_VALUE: &str = "certgateembedded.value";

/// One template's parameters and variables.
pub struct Scope<'a> {
    /// The template's root object.
    template: &'a Json,
    /// The file the template is written in.
    file: FileId,
    /// Caller inputs by lower-case parameter name.
    inputs: HashMap<String, Input<'a>>,
    /// Values passed by another front end, by lower-case parameter name (win over `inputs`).
    external: HashMap<String, ExternalInput>,
    /// Values the deploying front end computed inside the template itself (a Terraform
    /// `jsonencode({…})` template's expressions), read by [`EMBEDDED_VALUE`] calls.
    pub(super) embedded: Vec<Traced>,
    /// Completes "parameter `x` has no defaultValue and …" when no input sets `x`.
    missing: String,
    pub budget: &'a Budget,
    memo: RefCell<HashMap<(Kind, String), Traced>>,
    /// The parameters and variables being evaluated, outermost first (for cycles).
    active: RefCell<Vec<(Kind, String)>>,
}

impl<'a> Scope<'a> {
    pub fn new(
        template: &'a Json,
        file: FileId,
        inputs: HashMap<String, Input<'a>>,
        missing: String,
        budget: &'a Budget,
    ) -> Self {
        Scope {
            template,
            file,
            inputs,
            external: HashMap::new(),
            embedded: Vec::new(),
            missing,
            budget,
            memo: RefCell::default(),
            active: RefCell::default(),
        }
    }

    /// The scope with `external` values for its parameters (keys in lower case).
    pub fn with_external(mut self, external: HashMap<String, ExternalInput>) -> Self {
        self.external = external;
        self
    }

    /// The caller inputs of a deployment's `parameters` object (or a parameter file's),
    /// keyed by lower-case name.
    pub fn inputs(
        parameters: Option<&'a Json>,
        file: FileId,
        caller: Option<Env<'a>>,
        source: &str,
    ) -> HashMap<String, Input<'a>> {
        parameters
            .map(Json::members)
            .unwrap_or_default()
            .iter()
            .map(|entry| {
                let input = Input {
                    entry,
                    file,
                    caller,
                    source: source.to_string(),
                };
                (entry.key.to_ascii_lowercase(), input)
            })
            .collect()
    }

    /// `parameters(name)` / `variables(name)` followed by `keys`.
    pub fn lookup(&self, kind: Kind, name: &str, keys: &[Key]) -> Traced {
        let id = (kind, name.to_ascii_lowercase());
        if keys.is_empty()
            && let Some(done) = self.memo.borrow().get(&id)
        {
            return if self.budget.charge(budget::weight(&done.val)) {
                done.clone()
            } else {
                Traced::here(Val::unknown(self.budget.reason()))
            };
        }
        if let Some(start) = self.active.borrow().iter().position(|a| *a == id) {
            let names: Vec<String> = self.active.borrow()[start..]
                .iter()
                .map(|(kind, name)| format!("{} `{name}`", kind.word()))
                .collect();
            let reason = if names.len() == 1 {
                format!("{} refers to itself", names[0])
            } else {
                format!(
                    "values refer to each other in a cycle: {} → {} `{name}`",
                    names.join(" → "),
                    kind.word()
                )
            };
            return unknown(reason);
        }
        self.active.borrow_mut().push(id.clone());
        let cuts = self.budget.cuts();
        let result = match kind {
            Kind::Parameter => self.parameter(name, keys),
            Kind::Variable => self.variable(name, keys),
        };
        self.active.borrow_mut().pop();
        // A result a limit cut short depends on the value that asked for it: the next value
        // computes it again within its own slice.
        if keys.is_empty() && self.budget.cuts() == cuts {
            self.memo.borrow_mut().insert(id, result.clone());
        }
        result
    }

    fn own_env(&self) -> Env<'_> {
        Env::new(self, &[])
    }

    fn section(&self, name: &str) -> Option<&'a Json> {
        self.template.get_ignore_case(name)
    }

    fn parameter(&self, name: &str, keys: &[Key]) -> Traced {
        let Some(declaration) = self
            .section("parameters")
            .and_then(|p| p.member_ignore_case(name))
        else {
            return unknown(format!(
                "parameter `{name}` is not declared in the template"
            ));
        };
        let name = &declaration.key;
        let declared = Origin::new(
            OriginKind::Declaration,
            Span::new(self.file, declaration.span.clone()),
            format!("parameter `{name}`"),
        );
        if let Some(input) = self.external.get(&name.to_ascii_lowercase()) {
            let hop = Origin::new(
                OriginKind::TemplateParameter,
                input.span,
                format!("value in {}", input.source),
            )
            .with_literal(input.literal);
            let what = format!("parameter `{name}`");
            return eval::apply_keys(input.traced.clone().through(hop), keys, &what)
                .through(declared);
        }
        if let Some(input) = self.inputs.get(&name.to_ascii_lowercase()) {
            let entry = &input.entry.value;
            // A parameter file's values are literal; a deployment's are evaluated in its caller.
            let kind = match input.caller {
                None => OriginKind::ParameterFile,
                Some(_) => OriginKind::ModuleArgument,
            };
            let here = |note: String| {
                Origin::new(kind, Span::new(input.file, input.entry.span.clone()), note)
            };
            if let Some(value) = entry.member_ignore_case("value") {
                let note = format!("value in {}", input.source);
                return follow(value, input.file, input.caller, keys, kind, note).through(declared);
            }
            let why = if entry.member_ignore_case("reference").is_some() {
                format!("parameter `{name}` comes from Key Vault ({})", input.source)
            } else {
                format!(
                    "parameter `{name}` in {} has neither `value` nor `reference`",
                    input.source
                )
            };
            return unknown(why)
                .through(here(format!("`{name}` in {}", input.source)))
                .through(declared);
        }
        match declaration.value.member_ignore_case("defaultValue") {
            Some(default) => follow(
                default,
                self.file,
                Some(self.own_env()),
                keys,
                OriginKind::ParameterDefault,
                format!("default of parameter `{name}`"),
            ),
            // languageVersion 2.0: an optional parameter nobody sets is null.
            None if declaration
                .value
                .get_ignore_case("nullable")
                .and_then(|n| match n.kind {
                    JsonKind::Bool(b) => Some(b),
                    _ => None,
                })
                == Some(true) =>
            {
                Traced::here(Val::Null).through(Origin {
                    note: format!("parameter `{name}`, nullable and not set, so null"),
                    ..declared
                })
            }
            None => unknown(format!(
                "parameter `{name}` has no defaultValue and {}",
                self.missing
            ))
            .through(Origin {
                note: format!("parameter `{name}`, declared without defaultValue"),
                ..declared
            }),
        }
    }

    fn variable(&self, name: &str, keys: &[Key]) -> Traced {
        let variables = self.section("variables");
        if let Some(declaration) = variables.and_then(|v| v.member_ignore_case(name)) {
            let note = format!("variable `{}`", declaration.key);
            let env = Some(self.own_env());
            return follow(
                declaration,
                self.file,
                env,
                keys,
                OriginKind::Variable,
                note,
            );
        }
        // A variable built by a `copy` loop in the `variables` section.
        let looped = variables
            .and_then(|v| v.get_ignore_case("copy"))
            .and_then(Json::as_array)
            .unwrap_or_default()
            .iter()
            .find(|entry| {
                entry
                    .get_ignore_case("name")
                    .and_then(Json::as_str)
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            });
        match looped {
            Some(entry) => {
                let traced = self.variable_loop(name, entry);
                eval::apply_keys(traced, keys, &format!("variable `{name}`"))
            }
            None => unknown(format!("variable `{name}` is not declared in the template")),
        }
    }

    fn variable_loop(&self, name: &str, entry: &Json) -> Traced {
        let count = entry
            .get_ignore_case("count")
            .map(|c| self.own_env().json(c).val);
        let Some(input) = entry.get_ignore_case("input") else {
            return unknown(format!("the copy loop of variable `{name}` has no `input`"));
        };
        let count = match count {
            Some(Val::Number(n)) if n >= 0.0 && n.fract() == 0.0 => n as i64,
            Some(Val::Unknown(why)) => return unknown(why),
            _ => {
                return unknown(format!(
                    "the copy loop of variable `{name}` has no valid count"
                ));
            }
        };
        let mut items = Vec::new();
        for index in 0..count.min(crate::limits::MAX_COPY as i64) {
            let loops = [Loop {
                name: name.to_string(),
                index: Ok(index),
            }];
            items.push(Env::new(self, &loops).json(input).val);
        }
        Traced::here(Val::List(items)).through(Origin::new(
            OriginKind::CopyLoop,
            Span::new(self.file, entry.span.clone()),
            format!("copy loop of variable `{name}`"),
        ))
    }
}

fn unknown(reason: String) -> Traced {
    Traced::here(Val::unknown(reason))
}

/// Follows `keys` into `member`'s value as far as it is written out as JSON, evaluates what is
/// there (in `env`, or literally without one) and reads any remaining keys from the result.
/// The origin gains the deepest member reached, noted as `note` (with the path walked).
fn follow(
    member: &Member,
    file: FileId,
    env: Option<Env<'_>>,
    keys: &[Key],
    kind: OriginKind,
    note: String,
) -> Traced {
    let mut node = &member.value;
    let mut span = member.span.clone();
    let mut path = String::new();
    let mut walked = 0;
    for key in keys {
        let next = match (&node.kind, key) {
            (JsonKind::Object(_), Key::Name(name)) => node
                .member_ignore_case(name)
                .map(|m| (m.span.clone(), &m.value, format!(".{}", m.key))),
            (JsonKind::Array(items), Key::Index(i)) => usize::try_from(*i)
                .ok()
                .and_then(|i| items.get(i))
                .map(|item| (item.span.clone(), item, format!("[{i}]"))),
            _ => None,
        };
        let Some((next_span, next_node, step)) = next else {
            break;
        };
        span = next_span;
        node = next_node;
        path.push_str(&step);
        walked += 1;
    }
    let value = match env {
        Some(env) => env.json(node),
        None => Traced::here(Val::from_json(node)),
    };
    let note = match path.strip_prefix('.') {
        None if path.is_empty() => note,
        stripped => format!("`{}` in {note}", stripped.unwrap_or(&path)),
    };
    let what = note.clone();
    // A scalar is one literal; a string may still be an expression, which the fixer checks.
    // A string array item is left without one, as the fixer treated it before origins had
    // literal spans (issue 13 changes no behaviour): editing it there is a possible follow-up.
    let string_item = path.ends_with(']') && matches!(node.kind, JsonKind::String(_));
    let literal = (node.is_scalar() && !string_item).then(|| Span::new(file, node.span.clone()));
    let traced =
        value.through(Origin::new(kind, Span::new(file, span), note).with_literal(literal));
    eval::apply_keys(traced, &keys[walked..], &what)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    /// Evaluates `expression` in the template `text`, with parameter-file `inputs` if any.
    fn eval_in(text: &str, inputs: Option<&str>, expression: &str) -> Traced {
        let template = json::parse(text).unwrap();
        let file = inputs.map(|t| json::parse(t).unwrap());
        let budget = Budget::default();
        let inputs = Scope::inputs(
            file.as_ref().and_then(|f| f.root.get("parameters")),
            1,
            None,
            "test.parameters.json",
        );
        let scope = Scope::new(
            &template.root,
            0,
            inputs,
            "no value in any parameter file".into(),
            &budget,
        );
        Env::new(&scope, &[]).string(expression)
    }

    fn notes(traced: &Traced) -> Vec<&str> {
        traced.origin.iter().map(|o| o.note.as_str()).collect()
    }

    const TEMPLATE: &str = r#"{
      "parameters": {
        "env": { "type": "string", "defaultValue": "prod" },
        "mode": { "type": "string", "defaultValue": "[if(equals(parameters('env'), 'prod'), 'Required', 'Optional')]" },
        "noDefault": { "type": "bool" },
        "optional": { "type": "array", "nullable": true }
      },
      "variables": {
        "settings": { "mtls": { "mode": "Optional", "enabled": "[parameters('noDefault')]" } },
        "a": "[variables('b')]",
        "b": "[variables('a')]",
        "self": "[concat(variables('self'), 'x')]",
        "list": [ "x", "[parameters('env')]" ],
        "copy": [ { "name": "sites", "count": 2, "input": "[concat('web-', copyIndex('sites'))]" } ]
      }
    }"#;

    #[test]
    fn parameter_defaults_and_expressions_over_parameters() {
        let traced = eval_in(TEMPLATE, None, "[parameters('ENV')]");
        assert_eq!(traced.val, Val::String("prod".into()));
        assert_eq!(notes(&traced), ["default of parameter `env`"]);
        let traced = eval_in(TEMPLATE, None, "[parameters('mode')]");
        assert_eq!(traced.val, Val::String("Required".into()));
        assert_eq!(
            notes(&traced),
            ["default of parameter `env`", "default of parameter `mode`"]
        );
    }

    #[test]
    fn parameter_file_values_win_and_are_traced_to_the_file() {
        let file = r#"{"parameters": {"env": {"value": "dev"}, "noDefault": {"reference": {}}}}"#;
        let traced = eval_in(TEMPLATE, Some(file), "[parameters('mode')]");
        assert_eq!(traced.val, Val::String("Optional".into()));
        assert_eq!(
            notes(&traced),
            [
                "value in test.parameters.json",
                "parameter `env`",
                "default of parameter `mode`"
            ]
        );
        assert_eq!(traced.origin[0].span.file, 1);
        let traced = eval_in(TEMPLATE, Some(file), "[parameters('noDefault')]");
        assert_eq!(
            traced.val,
            Val::unknown("parameter `noDefault` comes from Key Vault (test.parameters.json)")
        );
    }

    #[test]
    fn missing_parameters_say_why() {
        let traced = eval_in(TEMPLATE, None, "[parameters('noDefault')]");
        assert_eq!(
            traced.val,
            Val::unknown(
                "parameter `noDefault` has no defaultValue and no value in any parameter file"
            )
        );
        assert_eq!(
            notes(&traced),
            ["parameter `noDefault`, declared without defaultValue"]
        );
        let traced = eval_in(
            TEMPLATE,
            None,
            "[length(coalesce(parameters('optional'), createArray()))]",
        );
        assert_eq!(traced.val, Val::Number(0.0));
        let traced = eval_in(TEMPLATE, None, "[parameters('other')]");
        assert_eq!(
            traced.val,
            Val::unknown("parameter `other` is not declared in the template")
        );
    }

    #[test]
    fn variable_members_are_followed_to_the_exact_member() {
        let traced = eval_in(TEMPLATE, None, "[variables('settings').mtls.mode]");
        assert_eq!(traced.val, Val::String("Optional".into()));
        assert_eq!(notes(&traced), ["`mtls.mode` in variable `settings`"]);
        let traced = eval_in(TEMPLATE, None, "[variables('settings')['mtls'].enabled]");
        assert!(traced.val.is_unknown());
        let traced = eval_in(TEMPLATE, None, "[variables('settings').mtls.other]");
        assert_eq!(
            traced.val,
            Val::unknown("`mtls` in variable `settings` has no property `other`")
        );
        let traced = eval_in(TEMPLATE, None, "[variables('list')[1]]");
        assert_eq!(traced.val, Val::String("prod".into()));
        assert_eq!(
            notes(&traced),
            ["default of parameter `env`", "`[1]` in variable `list`"]
        );
        let traced = eval_in(TEMPLATE, None, "[variables('sites')[1]]");
        assert_eq!(traced.val, Val::String("web-1".into()));
    }

    #[test]
    fn cycles_are_reported_not_looped() {
        let traced = eval_in(TEMPLATE, None, "[variables('a')]");
        assert_eq!(
            traced.val,
            Val::unknown(
                "values refer to each other in a cycle: variable `a` → variable `b` → variable `a`"
            )
        );
        let traced = eval_in(TEMPLATE, None, "[variables('self')]");
        assert!(
            matches!(&traced.val, Val::Unknown(why) if why == "variable `self` refers to itself"),
            "{traced:?}"
        );
    }

    #[test]
    fn long_variable_chains_stop_at_the_nesting_limit() {
        let mut variables = vec![r#""v0": "end""#.to_string()];
        for i in 1..5000 {
            variables.push(format!(r#""v{i}": "[variables('v{}')]""#, i - 1));
        }
        let text = format!(r#"{{"variables": {{ {} }}}}"#, variables.join(","));
        let traced = eval_in(&text, None, "[variables('v4999')]");
        assert!(
            matches!(&traced.val, Val::Unknown(why) if why.contains("nests deeper")),
            "{:?}",
            traced.val
        );
        let traced = eval_in(&text, None, "[variables('v50')]");
        assert_eq!(traced.val, Val::String("end".into()));
    }

    #[test]
    fn exponential_values_stop_at_the_size_limit() {
        let mut variables = vec![
            r#""v0": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx""#
                .to_string(),
        ];
        for i in 1..64 {
            variables.push(format!(
                r#""v{i}": "[concat(variables('v{0}'), variables('v{0}'))]""#,
                i - 1
            ));
        }
        let text = format!(r#"{{"variables": {{ {} }}}}"#, variables.join(","));
        let traced = eval_in(&text, None, "[length(variables('v63'))]");
        assert!(
            matches!(&traced.val, Val::Unknown(why) if why.contains("larger than 4 MiB")),
            "{:?}",
            traced.val
        );
    }

    #[test]
    fn origins_carry_their_kind_and_the_span_of_their_literal() {
        let text = |text: &'static str, span: Option<Span>| span.map(|s| &text[s.range()]);
        let traced = eval_in(TEMPLATE, None, "[parameters('env')]");
        let default = &traced.origin[0];
        assert_eq!(default.kind, OriginKind::ParameterDefault);
        assert_eq!(&TEMPLATE[default.span.range()], r#""defaultValue": "prod""#);
        assert_eq!(text(TEMPLATE, default.literal), Some(r#""prod""#));

        let file = r#"{"parameters": {"env": {"value": "dev"}, "noDefault": {"reference": {}}}}"#;
        let traced = eval_in(TEMPLATE, Some(file), "[parameters('env')]");
        let kinds: Vec<OriginKind> = traced.origin.iter().map(|o| o.kind).collect();
        // The declaration is a hop with nothing to edit: the file's value overrode its default.
        assert_eq!(kinds, [OriginKind::ParameterFile, OriginKind::Declaration]);
        assert_eq!(&file[traced.origin[0].span.range()], r#""value": "dev""#);
        assert_eq!(text(file, traced.origin[0].literal), Some(r#""dev""#));
        assert_eq!(traced.origin[1].literal, None);
        let traced = eval_in(TEMPLATE, Some(file), "[parameters('noDefault')]");
        assert_eq!(traced.origin[0].kind, OriginKind::ParameterFile);
        assert_eq!(traced.origin[0].literal, None);

        // A variable followed into its object: the member reached is the literal.
        let traced = eval_in(TEMPLATE, None, "[variables('settings').mtls.mode]");
        assert_eq!(traced.origin[0].kind, OriginKind::Variable);
        assert_eq!(
            text(TEMPLATE, traced.origin[0].literal),
            Some(r#""Optional""#)
        );
        let traced = eval_in(TEMPLATE, None, "[variables('settings')]");
        assert_eq!(traced.origin[0].literal, None);
        let traced = eval_in(TEMPLATE, None, "[variables('sites')]");
        assert_eq!(traced.origin[0].kind, OriginKind::CopyLoop);
        // As before origins had literal spans, a string array item is not offered for a fix.
        let traced = eval_in(TEMPLATE, None, "[variables('list')[0]]");
        assert_eq!(&TEMPLATE[traced.origin[0].span.range()], r#""x""#);
        assert_eq!(traced.origin[0].literal, None);
    }
}
