//! Bicep function calls: user-defined `func`s, the lazy built-ins (`if`, `coalesce`, `any`,
//! and `map` / `filter` / `reduce` with their lambdas), a few Bicep-only built-ins, and every
//! ARM template function Bicep shares (`toLower`, `union`, `contains`, …), evaluated by
//! [`crate::arm::functions`] since Bicep compiles them to exactly those.
//!
//! Functions whose value exists only at deployment (`resourceGroup()`, `uniqueString()`,
//! `reference()`, `list…()`, a parameter file's `readEnvironmentVariable()` or `getSecret()`)
//! and anything else unknown give an unknown value naming the function. Names are
//! case-insensitive; the `sys.` and `az.` namespaces are the built-ins.

use std::collections::BTreeMap;

use crate::value::{Traced, Val};

use super::ast::{Expr, ExprKind, FuncParam, Ident, StatementKind};
use super::eval::{Env, Frame, Step, apply_steps, unknown};

impl Env<'_> {
    /// `name(args)` or `target.name(args)`, followed by `steps`.
    pub(super) fn call(
        &self,
        target: Option<&Expr>,
        name: &Ident,
        args: &[Expr],
        steps: &[Step],
    ) -> Traced {
        let fname = &name.name;
        match target.map(|t| &t.kind) {
            None => match self.scope.file.symbol(fname).map(|s| &s.kind) {
                Some(StatementKind::Func { params, body, .. }) => {
                    return self.user_function(fname, params, body, args, steps);
                }
                Some(StatementKind::Import(import)) if self.scope.imports.is_some() => {
                    return self.imported_call(import, fname, args, steps);
                }
                _ => {}
            },
            Some(ExprKind::Ident(namespace)) if namespace == "sys" || namespace == "az" => {}
            Some(ExprKind::Ident(namespace))
                if self.scope.imports.is_some()
                    && let Some(StatementKind::Import(
                        import @ super::ast::Import::Wildcard { .. },
                    )) = self.scope.file.symbol(namespace).map(|s| &s.kind) =>
            {
                return self.imported_call(import, fname, args, steps);
            }
            Some(ExprKind::Ident(namespace)) => {
                let what = match self.scope.file.symbol(namespace).map(|s| &s.kind) {
                    Some(StatementKind::Resource(_)) => {
                        format!("`{namespace}.{fname}()` is only known at deployment time")
                    }
                    Some(StatementKind::Import(_)) => format!(
                        "function `{namespace}.{fname}()` is imported from another file, which \
                         certgate does not follow"
                    ),
                    _ => format!("function `{namespace}.{fname}()` is not evaluated by certgate"),
                };
                return unknown(what);
            }
            Some(_) => return unknown(format!("`….{fname}()` is only known at deployment time")),
        }
        let lower = fname.to_ascii_lowercase();
        let result = match lower.as_str() {
            "any" => match args {
                [value] => return self.at(value, steps),
                _ => unknown("`any()` takes 1 argument"),
            },
            "if" => match args {
                [condition, yes, otherwise] => {
                    return self.ternary(condition, yes, otherwise, steps);
                }
                _ => unknown("`if()` takes 3 arguments"),
            },
            "union" if steps.len() == 1 => return self.union_at(args, steps),
            "coalesce" => self.coalesce(args),
            "map" | "filter" => self.map_or_filter(&lower, args),
            "reduce" => self.reduce(args),
            _ => self.eager(fname, &lower, args),
        };
        apply_steps(result, steps, &format!("the result of `{fname}()`"))
    }

    fn eager(&self, fname: &str, lower: &str, args: &[Expr]) -> Traced {
        if crate::arm::functions::DEPLOYMENT_TIME.contains(&lower) || lower.starts_with("list") {
            return unknown(format!(
                "function `{fname}()` is only known at deployment time"
            ));
        }
        match lower {
            "readenvironmentvariable" => {
                let variable = args
                    .first()
                    .map(|a| self.eval(a).val)
                    .and_then(|v| match v {
                        Val::String(s) => Some(s),
                        _ => None,
                    })
                    .unwrap_or_else(|| "…".into());
                return unknown(format!(
                    "it reads environment variable `{variable}` (`readEnvironmentVariable()`), \
                     which is only known where the deployment runs"
                ));
            }
            "getsecret" => {
                return unknown(format!(
                    "it comes from Key Vault (`{fname}()`), only known at deployment time"
                ));
            }
            _ if lower.starts_with("load") => {
                return unknown(format!(
                    "function `{fname}()` reads another file, which certgate does not evaluate"
                ));
            }
            _ => {}
        }
        let mut values = Vec::with_capacity(args.len());
        let mut origin = Vec::new();
        for arg in args {
            let traced = self.eval(arg);
            if traced.val.is_unknown() {
                return traced;
            }
            if origin.is_empty() {
                origin = traced.origin;
            }
            values.push(traced.val);
        }
        let outcome = bicep_only(lower, &values).or_else(|| {
            // Operators' ARM twins are not Bicep functions.
            (!matches!(
                lower,
                "equals" | "not" | "and" | "or" | "less" | "lessorequals" | "greater"
            ) && lower != "greaterorequals")
                .then(|| crate::arm::functions::apply(lower, &values))
                .flatten()
        });
        match outcome {
            Some(Ok(val)) => match self.take(&val) {
                Ok(()) => Traced { val, origin },
                Err(why) => unknown(format!("`{fname}()`: {why}")),
            },
            Some(Err(why)) => unknown(why),
            None => unknown(format!("function `{fname}()` is not evaluated by certgate")),
        }
    }

    /// `union(a, b, …).key`: the last argument that sets `key` decides, the others are not
    /// evaluated, so an unknown argument before it does not hide it. (Deeper accesses are
    /// read from the merged value: ARM merges nested objects.)
    fn union_at(&self, args: &[Expr], steps: &[Step]) -> Traced {
        let Some(Step {
            key: crate::value::Key::Name(key),
            ..
        }) = steps.first()
        else {
            let merged = self.eager("union", "union", args);
            return apply_steps(merged, steps, "the result of `union()`");
        };
        for arg in args.iter().rev() {
            match self.has(arg, key) {
                super::select::Has::No => {}
                super::select::Has::Yes => return self.at(arg, steps),
                super::select::Has::Unknown(_) => break,
            }
        }
        let merged = self.eager("union", "union", args);
        apply_steps(merged, steps, "the result of `union()`")
    }

    /// `coalesce(a, b, …)`: the first argument that is not null; later ones are not evaluated.
    fn coalesce(&self, args: &[Expr]) -> Traced {
        for arg in args {
            let traced = self.eval(arg);
            if traced.val != Val::Null {
                return traced;
            }
        }
        Traced::here(Val::Null)
    }

    /// A user-defined `func`: its body with the parameters bound to the arguments.
    fn user_function(
        &self,
        fname: &str,
        params: &[FuncParam],
        body: &Expr,
        args: &[Expr],
        steps: &[Step],
    ) -> Traced {
        if params.len() != args.len() {
            return unknown(format!(
                "function `{fname}()` takes {} arguments, got {}",
                params.len(),
                args.len()
            ));
        }
        let bindings = params
            .iter()
            .zip(args)
            .map(|(param, arg)| (param.name.name.as_str(), self.eval(arg)))
            .collect();
        // A function sees only its parameters, not the caller's loop variables.
        let frame = Frame {
            bindings,
            next: None,
        };
        let inner = Env::new(self.scope, Some(&frame));
        inner.at(body, steps)
    }

    /// A function another file exports, called with `args` evaluated here.
    fn imported_call(
        &self,
        import: &super::ast::Import,
        fname: &str,
        args: &[Expr],
        steps: &[Step],
    ) -> Traced {
        let Some(imports) = self.scope.imports else {
            return unknown(format!("function `{fname}()` is imported"));
        };
        let args = args.iter().map(|arg| self.eval(arg)).collect();
        imports.call(self.scope.file, import, fname, args, steps)
    }

    /// `map(array, x => …)` / `filter(array, x => …)`, also with `(x, i) => …`.
    fn map_or_filter(&self, lower: &str, args: &[Expr]) -> Traced {
        let [array, lambda] = args else {
            return unknown(format!("`{lower}()` takes an array and a lambda"));
        };
        let ExprKind::Lambda { params, body } = &lambda.kind else {
            return unknown(format!(
                "the second argument of `{lower}()` is not a lambda"
            ));
        };
        let items = match self.iterate(array) {
            Ok(items) => items,
            Err(unknown) => return unknown,
        };
        let mut out = Vec::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            let kept = item.val.clone();
            let values = [item, Traced::here(Val::Number(index as f64))];
            let frame = bind(params, values, self.locals);
            let result = self.with(&frame).eval(body);
            match (lower, result.val) {
                ("map", val) => out.push(val),
                (_, Val::Bool(true)) => out.push(kept),
                (_, Val::Bool(false)) => {}
                (_, Val::Unknown(why)) => return unknown(why),
                (_, other) => {
                    return unknown(format!(
                        "the `filter()` lambda returns a {}, not a boolean",
                        other.type_name()
                    ));
                }
            }
        }
        Traced::here(Val::List(out))
    }

    /// `reduce(array, initial, (current, next) => …)`.
    fn reduce(&self, args: &[Expr]) -> Traced {
        let [array, initial, lambda] = args else {
            return unknown("`reduce()` takes an array, an initial value and a lambda");
        };
        let ExprKind::Lambda { params, body } = &lambda.kind else {
            return unknown("the third argument of `reduce()` is not a lambda");
        };
        let items = match self.iterate(array) {
            Ok(items) => items,
            Err(unknown) => return unknown,
        };
        let mut accumulated = self.eval(initial);
        for item in items {
            if accumulated.val.is_unknown() {
                break;
            }
            let frame = bind(params, [accumulated, item], self.locals);
            accumulated = self.with(&frame).eval(body);
        }
        accumulated
    }
}

/// Binds a lambda's parameters to `values` in order (extra values are ignored).
fn bind<'a, const N: usize>(
    params: &'a [Ident],
    values: [Traced; N],
    next: Option<&'a Frame<'a>>,
) -> Frame<'a> {
    Frame {
        bindings: params.iter().map(|p| p.name.as_str()).zip(values).collect(),
        next,
    }
}

/// The Bicep built-ins that have no ARM function of the same name and meaning.
fn bicep_only(lower: &str, args: &[Val]) -> Option<Result<Val, String>> {
    let one = |f: fn(&Val) -> Result<Val, String>| match args {
        [value] => f(value),
        _ => Err(format!("`{lower}()` takes 1 argument")),
    };
    Some(match lower {
        "items" => one(|value| match value {
            Val::Object(members) => Ok(Val::List(
                members
                    .iter()
                    .map(|(key, value)| {
                        Val::Object(BTreeMap::from([
                            ("key".to_string(), Val::String(key.clone())),
                            ("value".to_string(), value.clone()),
                        ]))
                    })
                    .collect(),
            )),
            other => Err(format!("`items()` of a {}", other.type_name())),
        }),
        "objectkeys" => one(|value| match value {
            Val::Object(members) => Ok(Val::List(
                members.keys().cloned().map(Val::String).collect(),
            )),
            other => Err(format!("`objectKeys()` of a {}", other.type_name())),
        }),
        "flatten" => one(|value| match value {
            Val::List(items) => {
                let mut out = Vec::new();
                for item in items {
                    match item {
                        Val::List(inner) => out.extend(inner.iter().cloned()),
                        other => {
                            return Err(format!(
                                "`flatten()` of an array holding a {}",
                                other.type_name()
                            ));
                        }
                    }
                }
                Ok(Val::List(out))
            }
            other => Err(format!("`flatten()` of a {}", other.type_name())),
        }),
        "trygetvalue" | "tryget" => match args {
            [object, keys @ ..] if !keys.is_empty() => {
                let mut current = object.clone();
                for key in keys {
                    current = match (&current, key) {
                        (Val::Object(_), Val::String(name)) => {
                            current.get_ignore_case(name).cloned().unwrap_or(Val::Null)
                        }
                        (Val::List(items), Val::Number(n)) if n.fract() == 0.0 && *n >= 0.0 => {
                            items.get(*n as usize).cloned().unwrap_or(Val::Null)
                        }
                        _ => Val::Null,
                    };
                }
                Ok(current)
            }
            _ => Err("`tryGet()` takes an object and at least one key".into()),
        },
        _ => return None,
    })
}
