//! Generated ARM projects: a template with parameters, variables that refer to each other,
//! sites with `condition` and `copy`, nested deployments (inner and outer scope) and local
//! `templateLink`s (to another template or to itself), and a parameter file.

use arbitrary::{Result, Unstructured};
use certgate::harness::File;

use crate::{number, pick, some, styled};

const PARAMETERS: &[&str] = &["enabled", "mode", "env", "paths", "obj", "arr", "n"];
const VARIABLES: &[&str] = &["v1", "v2", "v3", "cfg"];
const FUNCTIONS: &[&str] = &[
    "if",
    "equals",
    "not",
    "and",
    "or",
    "concat",
    "contains",
    "empty",
    "length",
    "toLower",
    "toUpper",
    "bool",
    "string",
    "int",
    "createArray",
    "createObject",
    "union",
    "coalesce",
    "first",
    "last",
    "split",
    "join",
    "format",
    "replace",
    "json",
    "range",
    "greater",
    "less",
    "startsWith",
    "endsWith",
    "substring",
    "skip",
    "take",
    "intersection",
    "reference",
    "resourceId",
    "uniqueString",
    "resourceGroup",
    "deployment",
    "copyIndex",
    "true",
    "false",
    "null",
    "items",
    "objectKeys",
    "array",
    "indexOf",
    "min",
    "max",
    "add",
    "mod",
    "div",
];
const SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

/// A project: `azuredeploy.json`, maybe `linked.json` and `azuredeploy.parameters.json`.
pub fn project(u: &mut Unstructured) -> Result<Vec<File>> {
    let mut files = vec![File::new("azuredeploy.json", template(u, 2)?)];
    if u.ratio(1, 3)? {
        files.push(File::new("linked.json", template(u, 1)?));
    }
    if u.ratio(1, 3)? {
        let values = some(u, 4, |u| {
            Ok(format!(
                "\"{}\": {{ \"value\": {} }}",
                pick(u, PARAMETERS)?,
                value(u, 2)?
            ))
        })?;
        let text = format!(
            "{{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"parameters\": {{ {} }}\n}}\n",
            values.join(",\n    ")
        );
        files.push(File::new("azuredeploy.parameters.json", text));
    }
    for file in &mut files {
        file.text = styled(u, std::mem::take(&mut file.text))?;
    }
    Ok(files)
}

/// A template; `depth` bounds nested deployments.
fn template(u: &mut Unstructured, depth: u8) -> Result<String> {
    let parameters = some(u, 4, |u| {
        let kind = pick(
            u,
            &["bool", "string", "int", "object", "array", "securestring"],
        )?;
        let default = if u.ratio(3, 4)? {
            format!(", \"defaultValue\": {}", value(u, 2)?)
        } else {
            String::new()
        };
        Ok(format!(
            "\"{}\": {{ \"type\": \"{kind}\"{default} }}",
            pick(u, PARAMETERS)?
        ))
    })?;
    let variables = some(u, 4, |u| {
        Ok(format!("\"{}\": {}", pick(u, VARIABLES)?, value(u, 3)?))
    })?;
    let mut resources = vec![site(u, depth)?];
    for _ in 0..u.int_in_range(0..=3u8)? {
        resources.push(if depth > 0 && u.ratio(1, 2)? {
            deployment(u, depth - 1)?
        } else {
            site(u, depth)?
        });
    }
    let comma = if u.ratio(1, 8)? { "," } else { "" };
    let comment = if u.ratio(1, 8)? {
        "// a comment\n  "
    } else {
        ""
    };
    Ok(format!(
        "{{\n  {comment}\"$schema\": \"{SCHEMA}\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"parameters\": {{ {} }},\n  \"variables\": {{ {} }},\n  \"resources\": [\n    {}{comma}\n  ]\n}}\n",
        parameters.join(",\n    "),
        variables.join(",\n    "),
        resources.join(",\n    ")
    ))
}

fn site(u: &mut Unstructured, depth: u8) -> Result<String> {
    let kind = pick(
        u,
        &[
            "Microsoft.Web/sites",
            "Microsoft.Web/sites/slots",
            "microsoft.web/SITES",
            "Microsoft.Storage/storageAccounts",
        ],
    )?;
    let mut members = vec![
        format!("\"type\": \"{kind}\""),
        "\"apiVersion\": \"2022-03-01\"".to_string(),
        format!("\"name\": {}", name(u)?),
    ];
    if u.ratio(1, 2)? {
        members.push(format!(
            "\"kind\": {}",
            pick(
                u,
                &[
                    "\"app\"",
                    "\"functionapp\"",
                    "\"functionapp,workflowapp\"",
                    "\"app,linux,container\"",
                    "\"[parameters('env')]\""
                ]
            )?
        ));
    }
    if u.ratio(1, 4)? {
        members.push(format!("\"condition\": {}", value(u, 2)?));
    }
    if u.ratio(1, 4)? {
        let copy = pick(u, &["c", "sites"])?;
        members.push(format!(
            "\"copy\": {{ \"name\": \"{copy}\", \"count\": {} }}",
            value(u, 2)?
        ));
    }
    let mut properties = Vec::new();
    for attribute in [
        "clientCertEnabled",
        "clientCertMode",
        "clientCertExclusionPaths",
    ] {
        if u.ratio(3, 4)? {
            properties.push(format!("\"{attribute}\": {}", setting(u)?));
        }
    }
    members.push(format!("\"properties\": {{ {} }}", properties.join(", ")));
    if depth > 0 && u.ratio(1, 5)? {
        members.push(format!("\"resources\": [ {} ]", site(u, depth - 1)?));
    }
    Ok(format!("{{ {} }}", members.join(",\n      ")))
}

fn deployment(u: &mut Unstructured, depth: u8) -> Result<String> {
    let scope = pick(u, &["inner", "outer"])?;
    let parameters = some(u, 3, |u| {
        Ok(format!(
            "\"{}\": {{ \"value\": {} }}",
            pick(u, PARAMETERS)?,
            value(u, 2)?
        ))
    })?;
    let body = match u.int_in_range(0..=3u8)? {
        0 => "\"templateLink\": { \"relativePath\": \"linked.json\" }".to_string(),
        1 => format!(
            "\"templateLink\": {{ \"relativePath\": {} }}",
            pick(
                u,
                &[
                    "\"azuredeploy.json\"",
                    "\"./missing.json\"",
                    "\"[variables('v1')]\"",
                    "\"https://example.org/t.json\""
                ]
            )?
        ),
        _ => format!("\"template\": {}", template(u, depth)?),
    };
    Ok(format!(
        "{{ \"type\": \"Microsoft.Resources/deployments\", \"apiVersion\": \"2022-09-01\", \"name\": {},\n      \"properties\": {{ \"mode\": \"Incremental\", \"expressionEvaluationOptions\": {{ \"scope\": \"{scope}\" }},\n        \"parameters\": {{ {} }},\n        {body} }} }}",
        name(u)?,
        parameters.join(", ")
    ))
}

fn name(u: &mut Unstructured) -> Result<String> {
    Ok(if u.ratio(1, 3)? {
        format!("\"[{}]\"", expr(u, 2)?)
    } else {
        pick(
            u,
            &[
                "\"web\"",
                "\"api\"",
                "\"web/staging\"",
                "\"[concat('w', copyIndex())]\"",
            ],
        )?
    })
}

/// A certificate setting: often a plain literal (what a fix can edit), else an expression.
fn setting(u: &mut Unstructured) -> Result<String> {
    if u.ratio(1, 2)? {
        return pick(
            u,
            &[
                "true",
                "false",
                "\"Required\"",
                "\"Optional\"",
                "\"OptionalInteractiveUser\"",
                "\"/health;/api\"",
                "null",
                "\"true\"",
            ],
        );
    }
    value(u, 2)
}

/// A JSON value: literals, collections and expression strings.
fn value(u: &mut Unstructured, depth: u8) -> Result<String> {
    if depth == 0 || u.ratio(1, 3)? {
        return Ok(match u.int_in_range(0..=7u8)? {
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
                    "\"[[literal]\"",
                ],
            )?,
            _ => format!("\"[{}]\"", expr(u, 3)?),
        });
    }
    let d = depth - 1;
    Ok(match u.int_in_range(0..=2u8)? {
        0 => format!("[{}]", some(u, 3, |u| value(u, d))?.join(", ")),
        1 => {
            let members = some(u, 3, |u| {
                Ok(format!(
                    "\"{}\": {}",
                    pick(u, &["enabled", "mode", "a", "b", "prod"])?,
                    value(u, d)?
                ))
            })?;
            format!("{{ {} }}", members.join(", "))
        }
        _ => format!("\"[{}]\"", expr(u, 3)?),
    })
}

/// An expression (without its brackets), with `'` strings as ARM writes them; JSON-safe.
pub fn expr(u: &mut Unstructured, depth: u8) -> Result<String> {
    if depth == 0 || u.ratio(1, 3)? {
        return Ok(match u.int_in_range(0..=8u8)? {
            0 => format!("parameters('{}')", pick(u, PARAMETERS)?),
            1 => format!("variables('{}')", pick(u, VARIABLES)?),
            2 => pick(u, &["'Required'", "'Optional'", "'prod'", "''", "'it''s'"])?,
            3 => number(u)?,
            4 => pick(
                u,
                &[
                    "true()",
                    "false()",
                    "null()",
                    "copyIndex()",
                    "copyIndex('c')",
                    "copyIndex(1)",
                ],
            )?,
            5 => format!("parameters('{}')", pick(u, &["obj", "arr", "missing"])?),
            _ => format!("variables('{}')", pick(u, &["cfg", "v1", "missing"])?),
        });
    }
    let d = depth - 1;
    Ok(match u.int_in_range(0..=4u8)? {
        0..=2 => {
            let args = some(u, 3, |u| expr(u, d))?;
            format!("{}({})", pick(u, FUNCTIONS)?, args.join(", "))
        }
        3 => format!(
            "{}.{}",
            expr(u, d)?,
            pick(u, &["enabled", "mode", "a", "b", "length"])?
        ),
        _ => format!("{}[{}]", expr(u, d)?, expr(u, d)?),
    })
}
