//! Generated Bicep projects: parameters with decorators, variables that refer to each other,
//! sites with conditions, loops, spreads and child slots, local modules (which may include the
//! caller or themselves) and a `.bicepparam` file.

use arbitrary::{Result, Unstructured};
use certgate::harness::File;

use crate::{number, pick, some, styled};

const PARAMETERS: &[&str] = &["enabled", "mode", "env", "paths", "cfg", "names"];
const VARIABLES: &[&str] = &["v1", "v2", "settings", "list"];
const FUNCTIONS: &[&str] = &[
    "toLower",
    "toUpper",
    "contains",
    "empty",
    "length",
    "union",
    "concat",
    "coalesce",
    "string",
    "bool",
    "int",
    "json",
    "first",
    "last",
    "split",
    "join",
    "format",
    "replace",
    "startsWith",
    "endsWith",
    "range",
    "items",
    "objectKeys",
    "resourceGroup",
    "uniqueString",
    "reference",
    "resourceId",
    "filter",
    "map",
    "indexOf",
    "min",
    "max",
    "any",
    "sys.toLower",
    "az.resourceGroup",
];
const SITE: &str = "'Microsoft.Web/sites@2023-12-01'";

/// A project: `main.bicep`, maybe `child.bicep` and `main.bicepparam`.
pub fn project(u: &mut Unstructured) -> Result<Vec<File>> {
    let mut files = vec![File::new("main.bicep", file(u, "main.bicep")?)];
    if u.ratio(1, 3)? {
        files.push(File::new("child.bicep", file(u, "child.bicep")?));
    }
    if u.ratio(1, 3)? {
        let values = some(u, 4, |u| {
            Ok(format!(
                "param {} = {}\n",
                pick(u, PARAMETERS)?,
                expr(u, 2)?
            ))
        })?;
        files.push(File::new(
            "main.bicepparam",
            format!("using 'main.bicep'\n{}", values.concat()),
        ));
    }
    for file in &mut files {
        file.text = styled(u, std::mem::take(&mut file.text))?;
    }
    Ok(files)
}

fn file(u: &mut Unstructured, own: &str) -> Result<String> {
    let mut text = String::new();
    for _ in 0..u.int_in_range(0..=6u8)? {
        text.push_str(&match u.int_in_range(0..=4u8)? {
            0 | 1 => {
                let decorator = pick(
                    u,
                    &[
                        "",
                        "@description('x')\n",
                        "@allowed(['Required', 'Optional'])\n",
                        "@secure()\n",
                        "@minValue(0)\n",
                    ],
                )?;
                let kind = pick(
                    u,
                    &[
                        "bool",
                        "string",
                        "int",
                        "object",
                        "array",
                        "string[]",
                        "'Required' | 'Optional'",
                    ],
                )?;
                let default = if u.ratio(2, 3)? {
                    format!(" = {}", expr(u, 2)?)
                } else {
                    String::new()
                };
                format!(
                    "{decorator}param {} {kind}{default}\n",
                    pick(u, PARAMETERS)?
                )
            }
            2 | 3 => format!("var {} = {}\n", pick(u, VARIABLES)?, expr(u, 3)?),
            _ => module(u, own)?,
        });
    }
    // Always at least one site, so the evaluator has something to resolve.
    text.push_str(&site(u, 1)?);
    if u.ratio(1, 3)? {
        text.push_str(&site(u, 1)?);
    }
    Ok(text)
}

fn module(u: &mut Unstructured, own: &str) -> Result<String> {
    let path = match u.int_in_range(0..=4u8)? {
        0 => own.to_string(),
        1 => "main.bicep".to_string(),
        2 => "missing.bicep".to_string(),
        3 => "br/public:avm/res/web/site:0.15.0".to_string(),
        _ => "child.bicep".to_string(),
    };
    let params = some(u, 3, |u| {
        Ok(format!("{}: {}", pick(u, PARAMETERS)?, expr(u, 2)?))
    })?;
    let header = head(u)?;
    Ok(format!(
        "module {} '{path}' = {header}{{\n  name: 'm'\n  params: {{\n    {}\n  }}\n}}{}\n",
        pick(u, &["web", "again"])?,
        params.join("\n    "),
        close(&header)
    ))
}

/// What sits between `=` and the body: nothing, a condition or a loop.
fn head(u: &mut Unstructured) -> Result<String> {
    Ok(match u.int_in_range(0..=5u8)? {
        0 => format!("if ({}) ", expr(u, 2)?),
        1 => format!("[for i in range(0, {}): ", number(u)?),
        2 => format!("[for (x, i) in {}: ", expr(u, 2)?),
        3 => format!("[for x in {}: if ({}) ", expr(u, 1)?, expr(u, 1)?),
        _ => String::new(),
    })
}

fn close(head: &str) -> &'static str {
    if head.starts_with('[') { "]" } else { "" }
}

fn site(u: &mut Unstructured, depth: u8) -> Result<String> {
    let header = head(u)?;
    if u.ratio(1, 10)? {
        return Ok(format!(
            "resource old {SITE} existing = {{\n  name: 'old'\n}}\n"
        ));
    }
    let mut body = format!("  name: {}\n", expr(u, 1)?);
    if u.ratio(1, 2)? {
        body.push_str(&format!(
            "  kind: {}\n",
            pick(
                u,
                &["'app'", "'functionapp'", "'functionapp,workflowapp'", "env"]
            )?
        ));
    }
    body.push_str("  properties: {\n");
    if u.ratio(1, 6)? {
        body.push_str(&format!("    ...{}\n", expr(u, 1)?));
    }
    for attribute in [
        "clientCertEnabled",
        "clientCertMode",
        "clientCertExclusionPaths",
    ] {
        if u.ratio(3, 4)? {
            body.push_str(&format!("    {attribute}: {}\n", setting(u)?));
        }
    }
    body.push_str("  }\n");
    if depth > 0 && u.ratio(1, 5)? {
        body.push_str(&format!(
            "  resource slot 'slots' = {{\n    name: 'staging'\n    properties: {{\n      clientCertEnabled: {}\n    }}\n  }}\n",
            setting(u)?
        ));
    }
    let name = pick(u, &["site", "web", "api"])?;
    Ok(format!(
        "resource {name} {SITE} = {header}{{\n{body}}}{}\n",
        close(&header)
    ))
}

/// A certificate setting: often a plain literal (what a fix can edit), else an expression.
fn setting(u: &mut Unstructured) -> Result<String> {
    if u.ratio(1, 2)? {
        return pick(
            u,
            &[
                "true",
                "false",
                "'Required'",
                "'Optional'",
                "'OptionalInteractiveUser'",
                "'/health;/api'",
                "null",
            ],
        );
    }
    expr(u, 3)
}

/// An expression, nesting at most `depth` more levels.
pub fn expr(u: &mut Unstructured, depth: u8) -> Result<String> {
    if depth == 0 || u.ratio(1, 3)? {
        return Ok(match u.int_in_range(0..=9u8)? {
            0 => "true".into(),
            1 => "false".into(),
            2 => "null".into(),
            3 => number(u)?,
            4 => pick(
                u,
                &[
                    "'Required'",
                    "'Optional'",
                    "'prod'",
                    "''",
                    "'''multi\nline'''",
                ],
            )?,
            5 | 6 => pick(u, PARAMETERS)?,
            7 | 8 => pick(u, VARIABLES)?,
            _ => pick(u, &["i", "x", "site.name", "web.outputs.x", "[]", "{}"])?,
        });
    }
    let d = depth - 1;
    Ok(match u.int_in_range(0..=11u8)? {
        0 => format!("{} ? {} : {}", expr(u, d)?, expr(u, d)?, expr(u, d)?),
        1 => {
            let op = pick(
                u,
                &[
                    "==", "!=", "=~", "&&", "||", "<", ">=", "+", "-", "*", "%", "??",
                ],
            )?;
            format!("{} {op} {}", expr(u, d)?, expr(u, d)?)
        }
        2 => format!("!{}", expr(u, d)?),
        3 => format!("({})", expr(u, d)?),
        4 | 5 => {
            let args = some(u, 3, |u| expr(u, d))?;
            format!("{}({})", pick(u, FUNCTIONS)?, args.join(", "))
        }
        6 => format!("[\n{}\n]", some(u, 3, |u| expr(u, d))?.join("\n")),
        7 => {
            let members = some(u, 3, |u| {
                Ok(format!(
                    "{}: {}",
                    pick(u, &["enabled", "mode", "'a b'", "prod"])?,
                    expr(u, d)?
                ))
            })?;
            format!("{{\n{}\n}}", members.join("\n"))
        }
        8 => format!("{}[{}]", expr(u, d)?, expr(u, d)?),
        9 => format!(
            "{}{}{}",
            expr(u, d)?,
            pick(u, &[".", ".?", "!."])?,
            pick(u, &["enabled", "mode", "prod"])?
        ),
        10 => format!("'${{{}}}-x'", expr(u, d)?),
        _ => format!("[for (x, i) in {}: {}]", expr(u, d)?, expr(u, d)?),
    })
}
