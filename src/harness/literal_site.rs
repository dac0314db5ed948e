//! The literal-site property, for every front end: adding any other content to a unit (other
//! sites, expensive expressions, doubling variables, syntax errors in other declarations or
//! files) never changes the verdict of a site whose certificate fields are literals, and never
//! removes it (SPEC.md, "Values and budgets").
//!
//! A [`Case`] is decoded from bytes, so the same structure-aware input drives the proptest in
//! `tests/literal_site_property.rs` and the `literal_site` fuzz target.

use super::{File, Outcome, check_report, scan_in_memory};
use crate::report::Report;

/// The input formats the property covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Front {
    Terraform,
    Arm,
    Bicep,
}

/// The literal site's certificate fields: `None` leaves a field out.
#[derive(Debug, Clone)]
pub struct Site {
    pub enabled: Option<bool>,
    pub mode: Option<&'static str>,
    pub paths: Option<&'static str>,
}

/// Something added to the unit around the literal site.
#[derive(Debug, Clone, Copy)]
pub enum Extra {
    /// A string variable doubled `n` times, read by another site's name and mode.
    Doubling(u8),
    /// A list variable quadrupled `n` times, read by another site's mode.
    Growing(u8),
    /// Another site with literal values.
    OtherSite(bool),
    /// Another site reading a parameter or variable that has no value.
    Unset,
    /// Another site in a loop of `n` instances with computed names.
    Looped(u8),
    /// A resource of another type.
    OtherResource,
    /// A declaration with a syntax error: in the same file for Bicep, which recovers from
    /// one, in a file of its own for Terraform and ARM.
    Broken,
}

/// One input of the property.
#[derive(Debug, Clone)]
pub struct Case {
    pub front: Front,
    pub site: Site,
    /// The extras, each written before (`true`) or after the site.
    pub extras: Vec<(Extra, bool)>,
}

const MODES: [Option<&str>; 4] = [
    None,
    Some("Required"),
    Some("Optional"),
    Some("OptionalInteractiveUser"),
];

impl Case {
    /// Decodes a case from `bytes` (any bytes make a case; more bytes, more extras).
    pub fn decode(bytes: &[u8]) -> Case {
        let mut next = bytes.iter().copied();
        let mut byte = || next.next().unwrap_or(0);
        let front = match byte() % 3 {
            0 => Front::Terraform,
            1 => Front::Arm,
            _ => Front::Bicep,
        };
        let fields = byte();
        let site = Site {
            enabled: [None, Some(true), Some(false)][usize::from(fields % 3)],
            mode: MODES[usize::from(fields / 3 % 4)],
            paths: (fields / 12 % 2 == 1).then_some("/health"),
        };
        let count = usize::from(byte() % 7);
        let extras = (0..count)
            .map(|_| {
                let (kind, arg) = (byte(), byte());
                let extra = match kind % 7 {
                    0 => Extra::Doubling(20 + arg % 44),
                    1 => Extra::Growing(8 + arg % 32),
                    2 => Extra::OtherSite(arg % 2 == 0),
                    3 => Extra::Unset,
                    4 => Extra::Looped(1 + arg % 40),
                    5 => Extra::OtherResource,
                    _ => Extra::Broken,
                };
                (extra, kind & 0x80 != 0)
            })
            .collect();
        Case {
            front,
            site,
            extras,
        }
    }

    /// The case with the literal site alone.
    pub fn alone(&self) -> Case {
        Case {
            extras: Vec::new(),
            ..self.clone()
        }
    }

    /// The unit's files.
    pub fn files(&self) -> Vec<File> {
        match self.front {
            Front::Terraform => terraform(self),
            Front::Arm => arm(self),
            Front::Bicep => bicep(self),
        }
    }
}

/// The property: the literal site is reported with the verdict it has alone.
pub fn check(case: &Case) -> Outcome {
    let alone = verdict(&scan_in_memory(&case.alone().files(), &Default::default()))?;
    let files = case.files();
    let report = scan_in_memory(&files, &Default::default());
    check_report(&report)?;
    let with = verdict(&report)?;
    if alone != with {
        return Err(format!(
            "the literal site's verdict changed from {alone} to {with} with {:?}",
            case.extras
        ));
    }
    Ok(())
}

/// The verdict of the site addressed `target` (in any front end's spelling).
fn verdict(report: &Report) -> Result<&'static str, String> {
    let found: Vec<_> = report
        .resources
        .iter()
        .filter(|r| r.address == "target" || r.address == "azurerm_linux_web_app.target")
        .collect();
    match found.as_slice() {
        [one] => Ok(one.verdict),
        [] => Err("the literal site is missing from the report".into()),
        _ => Err("the literal site is reported more than once".into()),
    }
}

/// Lays out the site and the extras before and after it.
fn around(case: &Case, site: String, mut extra: impl FnMut(usize, Extra) -> String) -> Vec<String> {
    let mut before = Vec::new();
    let mut after = Vec::new();
    for (i, (e, first)) in case.extras.iter().enumerate() {
        let text = extra(i, *e);
        if *first {
            before.push(text)
        } else {
            after.push(text)
        }
    }
    before.push(site);
    before.extend(after);
    before
}

fn terraform(case: &Case) -> Vec<File> {
    let s = &case.site;
    let mut site = String::from("resource \"azurerm_linux_web_app\" \"target\" {\n");
    if let Some(on) = s.enabled {
        site.push_str(&format!("  client_certificate_enabled = {on}\n"));
    }
    if let Some(mode) = s.mode {
        site.push_str(&format!("  client_certificate_mode = \"{mode}\"\n"));
    }
    if let Some(paths) = s.paths {
        site.push_str(&format!(
            "  client_certificate_exclusion_paths = \"{paths}\"\n"
        ));
    }
    site.push_str("}\n");
    let mut broken = Vec::new();
    let blocks = around(case, site, |i, extra| {
        let web =
            |body: &str| format!("resource \"azurerm_linux_web_app\" \"e{i}\" {{\n{body}}}\n");
        match extra {
            Extra::Doubling(n) => {
                let mut text = format!("locals {{\n  e{i}_0 = \"xxxxxxxxxxxxxxxx\"\n");
                for k in 1..=n {
                    text.push_str(&format!(
                        "  e{i}_{k} = \"${{local.e{i}_{0}}}${{local.e{i}_{0}}}\"\n",
                        k - 1
                    ));
                }
                text + "}\n"
                    + &web(&format!(
                        "  name = local.e{i}_{n}\n  client_certificate_enabled = true\n  client_certificate_mode = length(local.e{i}_{n}) > 0 ? \"Required\" : \"Optional\"\n"
                    ))
            }
            Extra::Growing(n) => {
                let mut text = format!("locals {{\n  e{i}_0 = [1, 2, 3, 4]\n");
                for k in 1..=n {
                    let p = format!("local.e{i}_{}", k - 1);
                    text.push_str(&format!("  e{i}_{k} = [{p}, {p}, {p}, {p}]\n"));
                }
                text + "}\n"
                    + &web(&format!(
                        "  client_certificate_enabled = length(local.e{i}_{n}) > 0\n"
                    ))
            }
            Extra::OtherSite(on) => web(&format!("  client_certificate_enabled = {on}\n")),
            Extra::Unset => {
                format!("variable \"e{i}\" {{}}\n")
                    + &web(&format!("  client_certificate_enabled = var.e{i}\n"))
            }
            Extra::Looped(n) => web(&format!(
                "  count = {n}\n  name = \"w-${{count.index}}\"\n  client_certificate_enabled = count.index > 0\n"
            )),
            Extra::OtherResource => {
                format!("resource \"azurerm_storage_account\" \"e{i}\" {{\n  name = \"s{i}\"\n}}\n")
            }
            Extra::Broken => {
                broken.push(File::new(
                    format!("broken{i}.tf"),
                    format!("resource \"azurerm_linux_web_app\" \"b{i}\" {{\n  client_certificate_enabled = (\n"),
                ));
                String::new()
            }
        }
    });
    let mut files = vec![File::new("main.tf", blocks.concat())];
    files.append(&mut broken);
    files
}

fn arm(case: &Case) -> Vec<File> {
    let s = &case.site;
    let mut properties = Vec::new();
    if let Some(on) = s.enabled {
        properties.push(format!("\"clientCertEnabled\": {on}"));
    }
    if let Some(mode) = s.mode {
        properties.push(format!("\"clientCertMode\": \"{mode}\""));
    }
    if let Some(paths) = s.paths {
        properties.push(format!("\"clientCertExclusionPaths\": \"{paths}\""));
    }
    let site = format!(
        "{{ \"type\": \"Microsoft.Web/sites\", \"apiVersion\": \"2022-03-01\", \"name\": \"target\", \"properties\": {{ {} }} }}",
        properties.join(", ")
    );
    let mut variables = Vec::new();
    let mut parameters = Vec::new();
    let mut broken = Vec::new();
    let web = |name: String, more: &str, properties: String| {
        format!(
            "{{ \"type\": \"Microsoft.Web/sites\", \"apiVersion\": \"2022-03-01\", \"name\": \"{name}\"{more}, \"properties\": {{ {properties} }} }}"
        )
    };
    let resources = around(case, site, |i, extra| match extra {
        Extra::Doubling(n) | Extra::Growing(n) => {
            let function = if matches!(extra, Extra::Doubling(_)) {
                "concat"
            } else {
                "union"
            };
            let first = if function == "concat" {
                "\"xxxxxxxxxxxxxxxx\"".to_string()
            } else {
                "{\"a\": 1}".into()
            };
            variables.push(format!("\"e{i}_0\": {first}"));
            for k in 1..=n {
                let p = format!("variables('e{i}_{}')", k - 1);
                variables.push(format!("\"e{i}_{k}\": \"[{function}({p}, {p})]\""));
            }
            web(
                format!("[string(length(variables('e{i}_{n}')))]"),
                "",
                format!(
                    "\"clientCertEnabled\": true, \"clientCertMode\": \"[if(greater(length(variables('e{i}_{n}')), 0), 'Required', 'Optional')]\""
                ),
            )
        }
        Extra::OtherSite(on) => web(format!("e{i}"), "", format!("\"clientCertEnabled\": {on}")),
        Extra::Unset => {
            parameters.push(format!("\"e{i}\": {{ \"type\": \"bool\" }}"));
            web(
                format!("e{i}"),
                "",
                format!("\"clientCertEnabled\": \"[parameters('e{i}')]\""),
            )
        }
        Extra::Looped(n) => web(
            format!("[concat('w{i}-', copyIndex())]"),
            &format!(", \"copy\": {{ \"name\": \"c{i}\", \"count\": {n} }}"),
            "\"clientCertEnabled\": \"[greater(copyIndex(), 0)]\"".into(),
        ),
        Extra::OtherResource => format!(
            "{{ \"type\": \"Microsoft.Storage/storageAccounts\", \"apiVersion\": \"2022-09-01\", \"name\": \"s{i}\" }}"
        ),
        Extra::Broken => {
            broken.push(File::new(
                format!("broken{i}.json"),
                "{ \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \"contentVersion\": \"1.0.0.0\", \"resources\": [ { \"type\": ",
            ));
            String::new()
        }
    });
    let resources: Vec<String> = resources.into_iter().filter(|r| !r.is_empty()).collect();
    let template = format!(
        "{{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"parameters\": {{ {} }},\n  \"variables\": {{ {} }},\n  \"resources\": [\n    {}\n  ]\n}}\n",
        parameters.join(", "),
        variables.join(",\n    "),
        resources.join(",\n    ")
    );
    let mut files = vec![File::new("azuredeploy.json", template)];
    files.append(&mut broken);
    files
}

fn bicep(case: &Case) -> Vec<File> {
    let s = &case.site;
    let mut site = String::from(
        "resource target 'Microsoft.Web/sites@2022-03-01' = {\n  name: 'target'\n  properties: {\n",
    );
    if let Some(on) = s.enabled {
        site.push_str(&format!("    clientCertEnabled: {on}\n"));
    }
    if let Some(mode) = s.mode {
        site.push_str(&format!("    clientCertMode: '{mode}'\n"));
    }
    if let Some(paths) = s.paths {
        site.push_str(&format!("    clientCertExclusionPaths: '{paths}'\n"));
    }
    site.push_str("  }\n}\n");
    let web = |i: usize, head: &str, name: &str, properties: &str| {
        format!(
            "resource e{i} 'Microsoft.Web/sites@2022-03-01' = {head}{{\n  name: {name}\n  properties: {{\n{properties}  }}\n}}{}\n",
            if head.is_empty() { "" } else { "]" }
        )
    };
    let parts = around(case, site, |i, extra| match extra {
        Extra::Doubling(n) => {
            let mut text = format!("var e{i}_0 = 'xxxxxxxxxxxxxxxx'\n");
            for k in 1..=n {
                text.push_str(&format!(
                    "var e{i}_{k} = '${{e{i}_{0}}}${{e{i}_{0}}}'\n",
                    k - 1
                ));
            }
            text + &web(
                i,
                "[for j in range(0, 2): ",
                &format!("'${{e{i}_{n}}}${{j}}'"),
                &format!(
                    "    clientCertEnabled: true\n    clientCertMode: length(e{i}_{n}) > 0 ? 'Required' : 'Optional'\n"
                ),
            )
        }
        Extra::Growing(n) => {
            let mut text = format!("var e{i}_0 = [1, 2, 3, 4]\n");
            for k in 1..=n {
                let p = format!("e{i}_{}", k - 1);
                text.push_str(&format!("var e{i}_{k} = concat({p}, {p})\n"));
            }
            text + &web(
                i,
                "",
                "'grown'",
                &format!("    clientCertEnabled: length(e{i}_{n}) > 0\n"),
            )
        }
        Extra::OtherSite(on) => web(
            i,
            "",
            &format!("'e{i}'"),
            &format!("    clientCertEnabled: {on}\n"),
        ),
        Extra::Unset => {
            format!("param e{i}p bool\n")
                + &web(
                    i,
                    "",
                    &format!("'e{i}'"),
                    &format!("    clientCertEnabled: e{i}p\n"),
                )
        }
        Extra::Looped(n) => web(
            i,
            &format!("[for j in range(0, {n}): "),
            &format!("'w{i}-${{j}}'"),
            "    clientCertEnabled: j > 0\n",
        ),
        Extra::OtherResource => format!(
            "resource e{i} 'Microsoft.Storage/storageAccounts@2022-09-01' = {{\n  name: 's{i}'\n}}\n"
        ),
        Extra::Broken => format!(
            "resource e{i} 'Microsoft.Web/sites@2022-03-01' = {{\n  name: concat('b',\n  properties: {{\n    clientCertEnabled: (\n  }}\n}}\n"
        ),
    });
    vec![File::new("main.bicep", parts.concat())]
}
