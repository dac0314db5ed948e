//! Generated Terraform projects: a root module with variables, locals, tfvars, App Service
//! resources with `count` / `for_each`, and a local child module that may call back into the
//! root or itself.

use arbitrary::{Result, Unstructured};
use certgate::harness::File;

use crate::{number, pick, some, styled};

const VARIABLES: &[&str] = &["mtls", "mode", "env", "paths", "cfg"];
const LOCALS: &[&str] = &["enabled", "mode", "cfg", "list", "l1", "l2"];
const FUNCTIONS: &[&str] = &[
    "tobool",
    "tostring",
    "tonumber",
    "lower",
    "upper",
    "coalesce",
    "try",
    "can",
    "contains",
    "lookup",
    "length",
    "merge",
    "keys",
    "values",
    "toset",
    "tolist",
    "tomap",
    "concat",
    "join",
    "split",
    "trimspace",
    "startswith",
    "endswith",
    "anytrue",
    "alltrue",
    "one",
    "compact",
    "distinct",
    "element",
    "sensitive",
    "nonsensitive",
    "format",
    "range",
    "flatten",
    "file",
];
/// Resource types with their enabled and mode attribute names (`-` where there is none).
const TYPES: &[(&str, &str, &str)] = &[
    (
        "azurerm_linux_web_app",
        "client_certificate_enabled",
        "client_certificate_mode",
    ),
    (
        "azurerm_windows_web_app_slot",
        "client_certificate_enabled",
        "client_certificate_mode",
    ),
    (
        "azurerm_linux_function_app",
        "client_certificate_enabled",
        "client_certificate_mode",
    ),
    (
        "azurerm_function_app_flex_consumption",
        "client_certificate_enabled",
        "client_certificate_mode",
    ),
    ("azurerm_logic_app_standard", "-", "client_certificate_mode"),
    (
        "azurerm_app_service",
        "client_cert_enabled",
        "client_cert_mode",
    ),
    ("azurerm_function_app", "-", "client_cert_mode"),
    ("azurerm_app_service_slot", "-", "-"),
    ("azurerm_storage_account", "-", "-"),
];

/// A project: `main.tf`, maybe `terraform.tfvars`, maybe `modules/web/main.tf`.
pub fn project(u: &mut Unstructured) -> Result<Vec<File>> {
    let mut files = vec![File::new("main.tf", module(u, true)?)];
    if u.ratio(1, 3)? {
        let assignments = some(u, 4, |u| {
            Ok(format!("{} = {}\n", pick(u, VARIABLES)?, expr(u, 2)?))
        })?;
        files.push(File::new("terraform.tfvars", assignments.concat()));
    }
    if u.ratio(1, 3)? {
        files.push(File::new("modules/web/main.tf", module(u, false)?));
    }
    if u.ratio(1, 8)? {
        files.push(File::new("override.tf", block(u, 2)?));
    }
    for file in &mut files {
        file.text = styled(u, std::mem::take(&mut file.text))?;
    }
    Ok(files)
}

fn module(u: &mut Unstructured, root: bool) -> Result<String> {
    let mut text = String::new();
    // Always at least one resource, so the evaluator has something to resolve.
    text.push_str(&resource(u)?);
    for _ in 0..u.int_in_range(0..=6u8)? {
        text.push_str(&block(u, if root { 0 } else { 1 })?);
    }
    Ok(text)
}

fn block(u: &mut Unstructured, place: u8) -> Result<String> {
    Ok(match u.int_in_range(0..=6u8)? {
        0 | 1 => resource(u)?,
        2 => {
            let mut body = String::new();
            if u.ratio(1, 2)? {
                body.push_str(&format!("  type = {}\n", type_constraint(u)?));
            }
            if u.ratio(2, 3)? {
                body.push_str(&format!("  default = {}\n", expr(u, 2)?));
            }
            format!("variable \"{}\" {{\n{body}}}\n", pick(u, VARIABLES)?)
        }
        3 | 4 => {
            let locals = some(u, 4, |u| {
                Ok(format!("  {} = {}\n", pick(u, LOCALS)?, expr(u, 3)?))
            })?;
            format!("locals {{\n{}}}\n", locals.concat())
        }
        5 => {
            let source = match (place, u.int_in_range(0..=5u8)?) {
                (_, 0) => "./".to_string(),
                (1, 1) => "../..".to_string(),
                (1, _) => "../web".to_string(),
                (_, 1) => "./missing".to_string(),
                _ => "./modules/web".to_string(),
            };
            let mut body = format!("  source = \"{source}\"\n");
            body.push_str(&meta_argument(u)?);
            for input in some(u, 3, |u| {
                Ok(format!("  {} = {}\n", pick(u, VARIABLES)?, expr(u, 3)?))
            })? {
                body.push_str(&input);
            }
            format!("module \"{}\" {{\n{body}}}\n", pick(u, &["web", "api"])?)
        }
        _ => format!("output \"out\" {{\n  value = {}\n}}\n", expr(u, 2)?),
    })
}

fn resource(u: &mut Unstructured) -> Result<String> {
    let (kind, enabled, mode) = *u.choose(TYPES)?;
    let mut body = meta_argument(u)?;
    body.push_str(&format!("  name = {}\n", expr(u, 1)?));
    for attribute in [enabled, mode, "client_certificate_exclusion_paths"] {
        if attribute != "-" && u.ratio(3, 4)? {
            body.push_str(&format!("  {attribute} = {}\n", value(u)?));
        }
    }
    if u.ratio(1, 4)? {
        body.push_str(&format!(
            "  site_config {{\n    always_on = {}\n  }}\n",
            expr(u, 1)?
        ));
    }
    let name = pick(u, &["a", "b", "this"])?;
    Ok(format!("resource \"{kind}\" \"{name}\" {{\n{body}}}\n"))
}

fn meta_argument(u: &mut Unstructured) -> Result<String> {
    Ok(match u.int_in_range(0..=5u8)? {
        0 => format!("  count = {}\n", expr(u, 2)?),
        1 => format!("  for_each = {}\n", expr(u, 2)?),
        _ => String::new(),
    })
}

/// A certificate setting: often a plain literal (what a fix can edit), else an expression.
fn value(u: &mut Unstructured) -> Result<String> {
    if u.ratio(1, 2)? {
        return pick(
            u,
            &[
                "true",
                "false",
                "\"Required\"",
                "\"Optional\"",
                "\"OptionalInteractiveUser\"",
                "\"true\"",
                "null",
                "\"/health;/api\"",
            ],
        );
    }
    expr(u, 3)
}

fn type_constraint(u: &mut Unstructured) -> Result<String> {
    pick(
        u,
        &[
            "bool",
            "string",
            "number",
            "any",
            "list(string)",
            "map(string)",
            "set(string)",
            "object({ enabled = bool, mode = optional(string, \"Required\") })",
            "map(object({ mtls = optional(bool, true) }))",
            "tuple([bool, string])",
        ],
    )
}

/// An expression, nesting at most `depth` more levels.
pub fn expr(u: &mut Unstructured, depth: u8) -> Result<String> {
    if depth == 0 || u.ratio(1, 3)? {
        return atom(u);
    }
    let d = depth - 1;
    Ok(match u.int_in_range(0..=13u8)? {
        0 => format!("{} ? {} : {}", expr(u, d)?, expr(u, d)?, expr(u, d)?),
        1 => {
            let op = pick(
                u,
                &["==", "!=", "&&", "||", "<", ">=", "+", "-", "*", "/", "%"],
            )?;
            format!("{} {op} {}", expr(u, d)?, expr(u, d)?)
        }
        2 => format!("!{}", expr(u, d)?),
        3 => format!("({})", expr(u, d)?),
        4 | 5 => {
            let args = some(u, 3, |u| expr(u, d))?;
            format!("{}({})", pick(u, FUNCTIONS)?, args.join(", "))
        }
        6 => format!("[{}]", some(u, 3, |u| expr(u, d))?.join(", ")),
        7 => {
            let members = some(u, 3, |u| {
                let key = pick(u, &["enabled", "mode", "mtls", "\"a b\"", "prod"])?;
                Ok(format!("{key} = {}", expr(u, d)?))
            })?;
            format!("{{ {} }}", members.join(", "))
        }
        8 => format!("{}[{}]", expr(u, d)?, expr(u, d)?),
        9 => format!(
            "{}.{}",
            expr(u, d)?,
            pick(u, &["enabled", "mode", "mtls", "0", "*"])?
        ),
        10 => format!(
            "[for x in {} : {}{}]",
            expr(u, d)?,
            expr(u, d)?,
            condition(u, d)?
        ),
        11 => format!(
            "{{ for k, v in {} : k => {}{} }}",
            expr(u, d)?,
            expr(u, d)?,
            condition(u, d)?
        ),
        12 => format!("\"${{{}}}-x\"", expr(u, d)?),
        _ => format!(
            "\"%{{ if {} }}Required%{{ else }}Optional%{{ endif }}\"",
            expr(u, d)?
        ),
    })
}

fn condition(u: &mut Unstructured, depth: u8) -> Result<String> {
    Ok(if u.ratio(1, 4)? {
        format!(" if {}", expr(u, depth)?)
    } else {
        String::new()
    })
}

fn atom(u: &mut Unstructured) -> Result<String> {
    Ok(match u.int_in_range(0..=12u8)? {
        0 => "true".into(),
        1 => "false".into(),
        2 => "null".into(),
        3 => number(u)?,
        4 => pick(
            u,
            &[
                "\"Required\"",
                "\"Optional\"",
                "\"prod\"",
                "\"\"",
                "\"a;b\"",
            ],
        )?,
        5 | 6 => format!("var.{}", pick(u, VARIABLES)?),
        7 | 8 => format!("local.{}", pick(u, LOCALS)?),
        9 => pick(
            u,
            &["count.index", "each.key", "each.value", "each.value.mtls"],
        )?,
        10 => pick(
            u,
            &[
                "module.web.out",
                "terraform.workspace",
                "path.module",
                "data.x.y.z",
            ],
        )?,
        11 => "[]".into(),
        _ => "{}".into(),
    })
}
