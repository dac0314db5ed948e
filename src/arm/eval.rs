//! Evaluates ARM expressions, and JSON values holding them, into traced values.
//!
//! An [`Env`] is what an expression can see: its template's [`Scope`] (parameters, variables)
//! and the copy loops around it. Anything that cannot be known statically (`reference()`, a
//! parameter without a value, …) evaluates to [`Val::Unknown`] with the reason, and only makes
//! a result unknown when the result depends on it: `if` and `coalesce` evaluate lazily, `and` /
//! `or` use three-valued logic, and an unknown member of an object does not taint its siblings.
//!
//! Origins: `parameters(…)` and `variables(…)` bring the places their value came from; any
//! other function's result takes the origin of its first argument that has one (so
//! `not(parameters('off'))` points at where `off` was set), and `if` takes its chosen branch's
//! origin, or else its condition's. Evaluation is bounded: each value evaluated from outside
//! gets its own slice of the scenario's [`Budget`](crate::budget::Budget), plus a nesting
//! limit, so variable cycles, chains and blow-ups end with a clear unknown for that value only.
//! Literals cost nothing.

use crate::budget::Nesting;
use crate::json::{Json, JsonKind};
use crate::limits::MAX_ARM_NESTING;

use crate::value::{Key, Traced, Val};

/// How deeply ARM evaluations may nest (expressions inside variables inside parameters …):
/// [`crate::budget::Budget::enter`] checks it once the budget has it.
pub const NESTING: Nesting = Nesting::evaluation(MAX_ARM_NESTING);
use super::expr::{self, Accessor, Call, Expr};
use super::functions;
use super::scope::{Kind, Scope};

/// One copy loop around the expression: `copyIndex('name')` reads its index.
#[derive(Debug, Clone)]
pub struct Loop {
    pub name: String,
    /// The index, or why it is unknown (the count did not resolve).
    pub index: Result<i64, String>,
}

/// Expression text as a message quotes it: cut by [`crate::quote::clip`], so a generated
/// 500 KB expression does not become a 500 KB message.
pub(super) fn clipped(text: &str) -> std::borrow::Cow<'_, str> {
    crate::quote::clip(text)
}

/// What an expression can see.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    pub scope: &'a Scope<'a>,
    pub loops: &'a [Loop],
}

impl<'a> Env<'a> {
    pub fn new(scope: &'a Scope<'a>, loops: &'a [Loop]) -> Self {
        Env { scope, loops }
    }

    /// A JSON string as ARM reads it: an expression in `[…]`, otherwise a literal.
    pub fn string(&self, text: &str) -> Traced {
        match expr::literal_text(text) {
            Some(literal) => Traced::here(Val::String(literal.to_string())),
            None => self.scope.budget.value(|| match expr::parse(text) {
                Ok(parsed) => self.expr(&parsed),
                Err(error) => unknown(format!(
                    "`{}` is not a valid ARM expression: {error}",
                    clipped(text)
                )),
            }),
        }
    }

    /// A JSON value with expressions in its strings, evaluated member by member. A scalar
    /// literal costs nothing; each array and object costs a step.
    pub fn json(&self, json: &Json) -> Traced {
        match &json.kind {
            JsonKind::String(text) => return self.string(text),
            JsonKind::Array(_) | JsonKind::Object(_) => {}
            _ => return Traced::here(Val::from_json(json)),
        }
        let budget = self.scope.budget;
        budget.value(|| {
            if !budget.charge(1) {
                return unknown(budget.reason());
            }
            self.container(json)
        })
    }

    fn container(&self, json: &Json) -> Traced {
        match &json.kind {
            JsonKind::Array(items) => {
                Traced::here(Val::List(items.iter().map(|i| self.json(i).val).collect()))
            }
            JsonKind::Object(members) => Traced::here(Val::Object(
                members
                    .iter()
                    .map(|m| (m.key.clone(), self.json(&m.value).val))
                    .collect(),
            )),
            _ => Traced::here(Val::from_json(json)),
        }
    }

    /// Evaluates a parsed expression (in its own slice of the budget when it is not part of
    /// another evaluation).
    pub fn expr(&self, expr: &Expr) -> Traced {
        let budget = self.scope.budget;
        budget.value(|| self.expr_in_slice(expr))
    }

    fn expr_in_slice(&self, expr: &Expr) -> Traced {
        let _level = match self.scope.budget.enter() {
            Ok(level) => level,
            Err(reason) => return unknown(reason),
        };
        match expr {
            Expr::String(s) => Traced::here(Val::String(s.clone())),
            Expr::Int(n) => Traced::here(Val::Number(*n as f64)),
            Expr::Call(call) => self.call(call),
        }
    }

    fn call(&self, call: &Call) -> Traced {
        let name = call.name.to_ascii_lowercase();
        let keys = match self.keys(&call.accessors) {
            Ok(keys) => keys,
            Err(unknown) => return unknown,
        };
        // Parameters and variables follow the keys into their declaration, so the origin is
        // the exact member the value was written in.
        if let Some(kind) = match name.as_str() {
            "parameters" => Some(Kind::Parameter),
            "variables" => Some(Kind::Variable),
            _ => None,
        } {
            if call.args.len() != 1 {
                return unknown(format!("`{}()` takes 1 argument", call.name));
            }
            let arg = self.expr(&call.args[0]);
            return match arg.val {
                Val::String(wanted) => self.scope.lookup(kind, &wanted, &keys),
                Val::Unknown(_) => arg,
                other => unknown(format!(
                    "`{}()` needs a name, got a {}",
                    call.name,
                    other.type_name()
                )),
            };
        }
        let base = self.function(&name, call);
        let what = format!("the result of `{}()`", call.name);
        apply_keys(base, &keys, &what)
    }

    fn keys(&self, accessors: &[Accessor]) -> Result<Vec<Key>, Traced> {
        accessors
            .iter()
            .map(|accessor| match accessor {
                Accessor::Property(name) => Ok(Key::Name(name.clone())),
                Accessor::Index(index) => {
                    let index = self.expr(index);
                    match index.val {
                        Val::String(name) => Ok(Key::Name(name)),
                        Val::Number(n) if n.fract() == 0.0 => Ok(Key::Index(n as i64)),
                        Val::Unknown(_) => Err(index),
                        other => Err(unknown(format!(
                            "an index must be a string or an integer, not a {}",
                            other.type_name()
                        ))),
                    }
                }
            })
            .collect()
    }

    fn function(&self, name: &str, call: &Call) -> Traced {
        let args = &call.args;
        match name {
            "if" => return self.if_(call),
            "coalesce" => return self.coalesce(args),
            "and" | "or" => return self.logic(name, call),
            "copyindex" => return self.copy_index(args),
            super::scope::EMBEDDED_VALUE => return self.embedded(args),
            _ => {}
        }
        if functions::DEPLOYMENT_TIME.contains(&name) || name.starts_with("list") {
            return unknown(format!(
                "function `{}()` is only known at deployment time",
                call.name
            ));
        }
        let mut values = Vec::with_capacity(args.len());
        let mut origin = Vec::new();
        for (at, arg) in args.iter().enumerate() {
            let traced = self.expr(arg);
            if traced.val.is_unknown() && !member_position(name, at) {
                return traced;
            }
            if origin.is_empty() {
                origin = traced.origin;
            }
            values.push(traced.val);
        }
        match functions::apply(name, &values) {
            Some(Ok(val)) => match self.scope.budget.take(&val) {
                Ok(()) => Traced { val, origin },
                Err(why) => unknown(format!("`{}()`: {why}", call.name)),
            },
            Some(Err(why)) => unknown(why),
            None if call.name.contains('.') => unknown(format!(
                "user-defined function `{}()` is not evaluated by certgate",
                call.name
            )),
            None => unknown(format!(
                "function `{}()` is not evaluated by certgate",
                call.name
            )),
        }
    }

    fn if_(&self, call: &Call) -> Traced {
        let [condition, then, otherwise] = call.args.as_slice() else {
            return unknown("`if()` takes 3 arguments");
        };
        let condition = self.expr(condition);
        let chosen = match condition.val {
            Val::Bool(true) => self.expr(then),
            Val::Bool(false) => self.expr(otherwise),
            Val::Unknown(_) => {
                // Both branches alike: the condition does not matter.
                let (a, b) = (self.expr(then), self.expr(otherwise));
                return if a.val == b.val && !a.val.is_unknown() {
                    a
                } else {
                    condition
                };
            }
            other => {
                return unknown(format!(
                    "`if()` needs a boolean condition, got a {}",
                    other.type_name()
                ));
            }
        };
        if chosen.origin.is_empty() {
            Traced {
                val: chosen.val,
                origin: condition.origin,
            }
        } else {
            chosen
        }
    }

    fn coalesce(&self, args: &[Expr]) -> Traced {
        for arg in args {
            let traced = self.expr(arg);
            if traced.val != Val::Null {
                return traced;
            }
        }
        Traced::here(Val::Null)
    }

    /// `and` / `or` in three-valued logic: a deciding known argument wins over unknown ones.
    fn logic(&self, name: &str, call: &Call) -> Traced {
        if call.args.len() < 2 {
            return unknown(format!("`{}()` takes at least 2 arguments", call.name));
        }
        let deciding = name == "or";
        let mut first_unknown = None;
        let mut origin = Vec::new();
        for arg in &call.args {
            let traced = self.expr(arg);
            match traced.val {
                Val::Bool(b) if b == deciding => return traced,
                Val::Bool(_) => {
                    if origin.is_empty() {
                        origin = traced.origin;
                    }
                }
                Val::Unknown(_) => {
                    first_unknown.get_or_insert(traced);
                }
                other => {
                    return unknown(format!(
                        "`{}()` expects booleans, got a {}",
                        call.name,
                        other.type_name()
                    ));
                }
            }
        }
        first_unknown.unwrap_or(Traced {
            val: Val::Bool(!deciding),
            origin,
        })
    }

    /// A value the deploying front end computed (see [`super::scope::EMBEDDED_VALUE`]).
    fn embedded(&self, args: &[Expr]) -> Traced {
        let found = match args {
            [Expr::Int(n)] => usize::try_from(*n)
                .ok()
                .and_then(|n| self.scope.embedded.get(n)),
            _ => None,
        };
        found.cloned().unwrap_or_else(|| {
            unknown("user-defined function `certgateEmbedded.value()` is not evaluated by certgate")
        })
    }

    fn copy_index(&self, args: &[Expr]) -> Traced {
        let mut name = None;
        let mut offset = 0.0;
        for arg in args.iter().take(2) {
            let traced = self.expr(arg);
            match traced.val {
                Val::String(s) if name.is_none() => name = Some(s),
                Val::Number(n) => offset = n,
                Val::Unknown(_) => return traced,
                other => {
                    return unknown(format!(
                        "`copyIndex()` takes a loop name and an offset, got a {}",
                        other.type_name()
                    ));
                }
            }
        }
        let found = match &name {
            Some(name) => self
                .loops
                .iter()
                .rev()
                .find(|l| l.name.eq_ignore_ascii_case(name)),
            None => self.loops.last(),
        };
        match found {
            Some(Loop { index: Ok(i), .. }) => Traced::here(Val::Number(*i as f64 + offset)),
            Some(Loop {
                index: Err(why), ..
            }) => unknown(why.clone()),
            None => unknown(match name {
                Some(name) => format!("`copyIndex('{name}')` is used outside the loop `{name}`"),
                None => "`copyIndex()` is used outside a copy loop".into(),
            }),
        }
    }
}

/// Whether argument `at` of `name` becomes a member of the result: an unknown there is an
/// unknown member (the object or array itself is known), so the settings beside it still
/// decide a verdict.
fn member_position(name: &str, at: usize) -> bool {
    match name {
        "createarray" => true,
        "createobject" => at % 2 == 1,
        _ => false,
    }
}

fn unknown(reason: impl Into<String>) -> Traced {
    Traced::here(Val::unknown(reason))
}

/// Reads `keys` from a traced value; the origin stays the value's.
pub fn apply_keys(mut traced: Traced, keys: &[Key], what: &str) -> Traced {
    let mut path = String::new();
    for key in keys {
        let next = match (&traced.val, key) {
            (Val::Unknown(_), _) => return traced,
            (Val::Object(_), Key::Name(name)) => traced.val.get_ignore_case(name).cloned(),
            (Val::List(items), Key::Index(i)) => {
                usize::try_from(*i).ok().and_then(|i| items.get(i)).cloned()
            }
            _ => None,
        };
        let step = match key {
            Key::Name(name) => format!(".{name}"),
            Key::Index(i) => format!("[{i}]"),
        };
        match next {
            Some(val) => {
                traced.val = val;
                path.push_str(&step);
            }
            None => {
                let problem = match (&traced.val, key) {
                    (Val::Object(_), _) => format!("has no property `{}`", &step[1..]),
                    (Val::List(items), Key::Index(_)) => {
                        format!("has no index {step} (length {})", items.len())
                    }
                    (val, _) => format!("is a {}, so `{step}` cannot be read", val.type_name()),
                };
                traced.val = Val::unknown(format!("{what}{path} {problem}"));
                return traced;
            }
        }
    }
    traced
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::budget::Budget;

    const TEMPLATE: &str = r#"{ "parameters": {
        "strict": { "type": "bool", "defaultValue": true },
        "off": { "type": "bool", "defaultValue": false }
    } }"#;

    /// Evaluates `text` (a JSON string's content) in `TEMPLATE` with `loops`.
    fn eval_with(text: &str, loops: &[Loop]) -> Traced {
        let template = crate::json::parse(TEMPLATE).unwrap();
        let budget = Budget::default();
        let scope = Scope::new(&template.root, 0, HashMap::new(), "unset".into(), &budget);
        Env::new(&scope, loops).string(text)
    }

    fn eval(text: &str) -> Val {
        eval_with(text, &[]).val
    }

    fn s(text: &str) -> Val {
        Val::String(text.into())
    }

    #[test]
    fn messages_quote_long_expressions_clipped() {
        let text = format!("[{}true{}]", "not(".repeat(1000), ")".repeat(1000));
        assert_eq!(
            super::clipped(&text).chars().count(),
            crate::quote::QUOTED_CHARS + 1
        );
        assert!(super::clipped(&text).ends_with("(not…"));
        assert_eq!(super::clipped("[true()]"), "[true()]");
    }

    #[test]
    fn literals_escapes_and_case_insensitive_names() {
        assert_eq!(eval("Required"), s("Required"));
        assert_eq!(eval("[[Required]"), s("[Required]"));
        assert_eq!(eval("[TOLOWER('ReQuired')]"), s("required"));
        assert_eq!(eval("[True()]"), Val::Bool(true));
        assert_eq!(eval("[json('{\"a\": [1, 2]}').A[1]]"), Val::Number(2.0));
    }

    #[test]
    fn if_and_coalesce_are_lazy() {
        assert_eq!(
            eval("[if(true(), 'Required', reference('policy').mode)]"),
            s("Required")
        );
        assert_eq!(
            eval("[if(reference('x').on, 'Required', 'Required')]"),
            s("Required")
        );
        assert_eq!(
            eval("[if(reference('x').on, 'Required', 'Optional')]"),
            Val::unknown("function `reference()` is only known at deployment time")
        );
        assert_eq!(eval("[coalesce(null(), 'a', reference('x'))]"), s("a"));
        assert!(eval("[coalesce(reference('x'), 'a')]").is_unknown());
        assert_eq!(eval("[coalesce(null(), null())]"), Val::Null);
    }

    #[test]
    fn and_or_decide_despite_unknown_arguments() {
        assert_eq!(eval("[and(false(), reference('x'))]"), Val::Bool(false));
        assert_eq!(eval("[or(reference('x'), true())]"), Val::Bool(true));
        assert!(eval("[and(true(), reference('x'))]").is_unknown());
        assert_eq!(eval("[and(true(), true(), true())]"), Val::Bool(true));
        assert_eq!(
            eval("[and(true(), 'true')]"),
            Val::unknown("`and()` expects booleans, got a string")
        );
    }

    #[test]
    fn unknown_functions_are_named() {
        assert_eq!(
            eval("[uniqueString(resourceGroup().id)]"),
            Val::unknown("function `uniqueString()` is only known at deployment time")
        );
        assert_eq!(
            eval("[listKeys('x', '2023-01-01').keys[0].value]"),
            Val::unknown("function `listKeys()` is only known at deployment time")
        );
        assert_eq!(
            eval("[base64('x')]"),
            Val::unknown("function `base64()` is not evaluated by certgate")
        );
        assert_eq!(
            eval("[contoso.mode('x')]"),
            Val::unknown("user-defined function `contoso.mode()` is not evaluated by certgate")
        );
        assert_eq!(
            eval("[concat('a', reference('x').b)]"),
            Val::unknown("function `reference()` is only known at deployment time")
        );
    }

    #[test]
    fn unknown_arguments_of_create_object_and_create_array_are_unknown_members() {
        let object = eval("[createObject('a', true(), 'b', reference('x').id)]");
        assert_eq!(object.get("a"), Some(&Val::Bool(true)));
        assert!(object.get("b").unwrap().is_unknown());
        let list = eval("[createArray(1, reference('x'))]");
        assert!(matches!(&list, Val::List(items) if items.len() == 2 && items[1].is_unknown()));
        // An unknown key, or an unknown argument of any other function, stays unknown whole.
        assert!(eval("[createObject(reference('x').k, true())]").is_unknown());
        assert!(eval("[union(createObject('a', 1), reference('x'))]").is_unknown());
        // A known object over an unknown member keeps it unknown: its other keys are not known.
        let merged = eval(
            "[union(createObject('p', reference('x')), createObject('p', createObject('a', 1)))]",
        );
        assert!(merged.get("p").unwrap().is_unknown());
    }

    #[test]
    fn property_access_explains_what_is_missing() {
        assert_eq!(
            eval("[createObject('a', 1).b]"),
            Val::unknown("the result of `createObject()` has no property `b`")
        );
        assert_eq!(
            eval("[createArray(1)[3]]"),
            Val::unknown("the result of `createArray()` has no index [3] (length 1)")
        );
        assert_eq!(
            eval("[toLower('a').b]"),
            Val::unknown("the result of `toLower()` is a string, so `.b` cannot be read")
        );
    }

    #[test]
    fn copy_index_reads_the_loops() {
        let loops = [
            Loop {
                name: "outer".into(),
                index: Ok(2),
            },
            Loop {
                name: "sites".into(),
                index: Err("the copy count of loop `sites` cannot be resolved".into()),
            },
        ];
        assert_eq!(
            eval_with("[copyIndex('OUTER', 1)]", &loops).val,
            Val::Number(3.0)
        );
        assert_eq!(
            eval_with("[copyIndex()]", &loops).val,
            Val::unknown("the copy count of loop `sites` cannot be resolved")
        );
        assert_eq!(
            eval("[copyIndex()]"),
            Val::unknown("`copyIndex()` is used outside a copy loop")
        );
    }

    #[test]
    fn results_take_the_origin_of_what_decided_them() {
        let traced = eval_with("[not(parameters('off'))]", &[]);
        assert_eq!(traced.val, Val::Bool(true));
        assert_eq!(traced.origin[0].note, "default of parameter `off`");
        let traced = eval_with("[if(parameters('strict'), 'Required', 'Optional')]", &[]);
        assert_eq!(traced.val, s("Required"));
        assert_eq!(traced.origin[0].note, "default of parameter `strict`");
        assert!(eval_with("[concat('a', 'b')]", &[]).origin.is_empty());
    }

    #[test]
    fn malformed_and_deep_expressions_are_unknown_with_the_reason() {
        assert_eq!(
            eval("[if(true(), 'a']"),
            Val::unknown(
                "`[if(true(), 'a']` is not a valid ARM expression: expected `,` or `)` in the \
                 arguments of `if`, found the end of the expression at character 16"
            )
        );
        let deep = format!("[{}1{}]", "createArray(".repeat(60), ")".repeat(60));
        assert!(!eval(&deep).is_unknown());
        let deeper = format!("[{}1{}]", "createArray(".repeat(100), ")".repeat(100));
        assert!(matches!(eval(&deeper), Val::Unknown(why) if why.contains("nests deeper")));
    }

    #[test]
    fn random_token_soup_never_panics() {
        let tokens = [
            "if(",
            "and(",
            "or(",
            "not(",
            "equals(",
            "coalesce(",
            "concat(",
            "format(",
            "union(",
            "json(",
            "createObject(",
            "createArray(",
            "copyIndex(",
            "length(",
            "parameters(",
            "variables(",
            "split(",
            "range(",
            "string(",
            "bool(",
            "int(",
            "reference(",
            "'strict'",
            "'off'",
            "'{0}'",
            "'{'",
            "'a'",
            "''''",
            "-1",
            "0",
            "99999",
            "true()",
            "null()",
            ")",
            ")",
            "(",
            ",",
            ",",
            ".a",
            "[0]",
            "['a']",
            "[",
            "]",
            " ",
            "é",
        ];
        // A fixed linear congruential generator: reproducible without a dependency.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            let mut text = String::from("[");
            for _ in 0..(state % 12 + 1) {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                text.push_str(tokens[(state >> 33) as usize % tokens.len()]);
            }
            text.push(']');
            let _ = eval(&text);
        }
    }
}
