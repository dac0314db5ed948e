//! Root causes: failing values written once in a shared place (a module's variable default, a
//! shared Bicep module's parameter default, an AzAPI body or a site in a module, a shared
//! locals file) become one action each, fixing every site they feed.
//!
//! "Shared" is decided per site from its address and the failing value's origin, walking from
//! the site out to where the value is written:
//! - the site sits `n` module calls below the root that deploys it: `n` is the number of
//!   `module.` hops of a Terraform address, of ` > ` hops of an ARM/Bicep address, plus one
//!   for a Terragrunt unit (its `terraform { source }` is a module call);
//! - an origin step that is a module argument (or a Terragrunt input) is written in the
//!   caller, one level up; a module output is written in the callee, one level down; an
//!   optional attribute's default is written in the module that declares the variable, one
//!   level below the argument that passed the object;
//! - the place is shared when it is written at level 1 or deeper (inside a module some root
//!   calls, so every caller gets its value), or when it is a Terragrunt local written in a file
//!   other than the unit's own `terragrunt.hcl` (a file it includes or reads), or when it is
//!   a Bicep variable exported for other files to import.
//!
//! Values written in a root (a root's variable default, a tfvars entry, a parameter file, a
//! module argument) are fixed per root: their sites stay in the batches.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::site::Site;
use crate::model::{OriginKind, Syntax};
use crate::report::{Finding, Location, Report};

/// What kind of shared place a root cause is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A Terraform module variable's `default`.
    VariableDefault,
    /// The default of an `optional(T, default)` attribute of a module variable.
    OptionalDefault,
    /// A Bicep module's (or nested ARM template's) parameter default.
    ParameterDefault,
    /// A local of a module (Terraform `local`, Bicep or ARM variable), a Terragrunt locals
    /// file another file includes or reads, or an exported Bicep variable.
    SharedLocal,
    /// A Terragrunt `inputs` entry of a file the unit includes (a parent `root.hcl`).
    IncludedInput,
    /// A value written in a module: an AzAPI body, a site's attribute.
    ModuleValue,
    /// A site declared in a module that leaves the setting out (its default fails).
    ModuleDeclaration,
}

impl Kind {
    /// The stable machine form.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::VariableDefault => "variable-default",
            Kind::OptionalDefault => "optional-attribute-default",
            Kind::ParameterDefault => "parameter-default",
            Kind::SharedLocal => "shared-local",
            Kind::IncludedInput => "included-input",
            Kind::ModuleValue => "module-value",
            Kind::ModuleDeclaration => "module-declaration",
        }
    }
}

/// One action: fix the value at `place`, and every site in `sites` is fixed.
#[derive(Debug, Clone, PartialEq)]
pub struct RootCause {
    pub kind: Kind,
    /// Where to fix it.
    pub place: Location,
    /// What is there (`default of variable `mtls``, the site's address).
    pub what: String,
    /// The sites it fixes, in path, address, scenario order.
    pub sites: Vec<Site>,
    /// How many distinct roots (scenarios) those sites are deployed from.
    pub roots: usize,
    /// From CODEOWNERS, for the place's file; filled when the plan is assembled.
    pub owners: Vec<String>,
}

/// A root cause's identity: its place (file, line, column) and kind.
type PlaceKey = (PathBuf, usize, usize, Kind);

/// The shared place a finding's failing value is written at, when it is one.
struct Place {
    kind: Kind,
    location: Location,
    what: String,
}

/// Splits `sites` into root causes (ranked by how many sites each fixes, then by place) and
/// the sites left for the batches.
pub fn split(report: &Report, sites: Vec<Site>) -> (Vec<RootCause>, Vec<Site>) {
    let mut causes: BTreeMap<PlaceKey, (RootCause, BTreeSet<String>)> = BTreeMap::new();
    let mut rest = Vec::new();
    for site in sites {
        let finding = &report.findings[site.finding];
        match shared_place(report, finding) {
            Some(place) => {
                let mut site = site;
                let key = (
                    place.location.path.clone(),
                    place.location.start.line,
                    place.location.start.column,
                    place.kind,
                );
                let root = root_of(report, finding);
                let (cause, roots) = causes.entry(key).or_insert_with(|| {
                    let cause = RootCause {
                        kind: place.kind,
                        place: place.location,
                        what: place.what,
                        sites: Vec::new(),
                        roots: 0,
                        owners: Vec::new(),
                    };
                    (cause, BTreeSet::new())
                });
                // Named beside the site when its scenario does not name it already.
                if site.scenario.is_none() && !root.is_empty() {
                    site.root = Some(root.clone());
                }
                cause.sites.push(site);
                roots.insert(root);
            }
            None => rest.push(site),
        }
    }
    let mut causes: Vec<RootCause> = causes
        .into_values()
        .map(|(mut cause, roots)| {
            cause
                .sites
                .sort_by(|a, b| a.order_key().cmp(&b.order_key()));
            cause.roots = roots.len();
            cause
        })
        .collect();
    // Most sites first; the map's order (path, line, column) breaks ties deterministically.
    causes.sort_by_key(|cause| std::cmp::Reverse(cause.sites.len()));
    (causes, rest)
}

/// The root a site is deployed from, to count a root cause's roots: the scenario when it names
/// one; else the root's file (ARM, Bicep) or directory (Terraform), which is the site's own when
/// it sits in the root, else that of the first origin step written in the root; else unnamed
/// (`""`: every unnamed root counts as one).
fn root_of(report: &Report, finding: &Finding) -> String {
    if let Some(scenario) = &finding.scenario {
        return scenario.clone();
    }
    let Some(resource) = finding
        .group()
        .and_then(|g| report.groups.get(g))
        .and_then(|g| g.first())
    else {
        return String::new();
    };
    let unit = |path: &Path| {
        let unit = match resource.syntax {
            Syntax::Hcl | Syntax::TerraformJson => path.parent().unwrap_or(path),
            Syntax::ArmJson | Syntax::Bicep => path,
        };
        crate::paths::path_text(unit).to_string()
    };
    let mut level = module_depth(&finding.address, resource.syntax);
    if level == 0 {
        return unit(&finding.location.path);
    }
    for step in finding.origin.iter().rev() {
        match step.kind {
            OriginKind::ModuleArgument => level -= 1,
            OriginKind::ModuleOutput => level += 1,
            _ => {}
        }
        if level == 0 {
            return unit(report.sources.get(step.span.file).path());
        }
    }
    String::new()
}

/// The shared place `finding`'s failing value is written at, if it is one (module docs).
fn shared_place(report: &Report, finding: &Finding) -> Option<Place> {
    let resource = report.groups.get(finding.group()?)?.first()?;
    let terragrunt_unit = finding
        .scenario
        .as_deref()
        .and_then(|s| s.strip_prefix("terragrunt "));
    let mut level = module_depth(&finding.address, resource.syntax)
        + usize::from(terragrunt_unit.is_some()) as isize;
    let steps: Vec<_> = finding
        .origin
        .iter()
        .filter(|step| step.kind != OriginKind::Update)
        .collect();
    let Some(place) = steps.first() else {
        // Written (or left out) at the site itself. A plan JSON's site has no place in the
        // code (`fix_anchor` is `None`): the plan does not say where its module is written.
        if level < 1 || resource.fix_anchor.is_none() {
            return None;
        }
        let missing = finding.span == resource.header;
        return Some(Place {
            kind: if missing {
                Kind::ModuleDeclaration
            } else {
                Kind::ModuleValue
            },
            location: finding.location.clone(),
            what: format!(
                "`{}` (declared in the module)",
                declared_name(&finding.address, resource.syntax)
            ),
        });
    };
    for step in steps.iter().rev() {
        match step.kind {
            OriginKind::ModuleArgument | OriginKind::TerragruntInput => level -= 1,
            OriginKind::ModuleOutput => level += 1,
            _ => {}
        }
    }
    // The place itself: an optional attribute's default lives in the module receiving the
    // object its caller passed.
    let passed = steps.get(1).is_some_and(|next| {
        matches!(
            next.kind,
            OriginKind::ModuleArgument | OriginKind::TerragruntInput
        )
    });
    if place.kind == OriginKind::TypeDefault && passed {
        level += 1;
    }
    let location = Location::of(&report.sources, place.span);
    let kind = match place.kind {
        OriginKind::TerragruntLocal | OriginKind::TerragruntInput => {
            let unit = terragrunt_unit?;
            if same_file(&location.path, Path::new(unit)) {
                return None;
            }
            let kind = if place.kind == OriginKind::TerragruntLocal {
                Kind::SharedLocal
            } else {
                Kind::IncludedInput
            };
            return Some(Place {
                kind,
                location,
                what: place.note.clone(),
            });
        }
        // An `@export()`ed variable: written in a file made for other files to import.
        OriginKind::ImportedVariable => {
            return Some(Place {
                kind: Kind::SharedLocal,
                location,
                what: place.note.clone(),
            });
        }
        OriginKind::VariableDefault => Kind::VariableDefault,
        OriginKind::TypeDefault => Kind::OptionalDefault,
        OriginKind::ParameterDefault => Kind::ParameterDefault,
        OriginKind::Local | OriginKind::Variable => Kind::SharedLocal,
        OriginKind::Literal => Kind::ModuleValue,
        // Written in a root (tfvars, parameter files, arguments) or nowhere to edit.
        _ => return None,
    };
    (level >= 1).then(|| Place {
        kind,
        location,
        what: place.note.clone(),
    })
}

/// How many module calls below its root a site's declaration sits, from its address.
fn module_depth(address: &str, syntax: Syntax) -> isize {
    match syntax {
        Syntax::Hcl | Syntax::TerraformJson => {
            let mut depth = 0;
            let mut parts = address.split('.');
            while parts.next() == Some("module") {
                depth += 1;
                parts.next();
            }
            depth
        }
        Syntax::ArmJson | Syntax::Bicep => address.matches(" > ").count() as isize,
    }
}

/// The declaration's own name, without the module hops of its address.
fn declared_name(address: &str, syntax: Syntax) -> &str {
    let hops = module_depth(address, syntax) as usize;
    match syntax {
        Syntax::Hcl | Syntax::TerraformJson => {
            address.splitn(2 * hops + 1, '.').last().unwrap_or(address)
        }
        Syntax::ArmJson | Syntax::Bicep => address.rsplit(" > ").next().unwrap_or(address),
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    crate::paths::normalize(a) == crate::paths::normalize(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_depth_counts_module_hops_of_each_syntax() {
        assert_eq!(module_depth("azurerm_linux_web_app.a", Syntax::Hcl), 0);
        assert_eq!(
            module_depth("module.web.azurerm_linux_web_app.a", Syntax::Hcl),
            1
        );
        assert_eq!(
            module_depth(
                "module.a.module.b.azapi_resource.this",
                Syntax::TerraformJson
            ),
            2
        );
        // A resource type named like a module hop is not one.
        assert_eq!(module_depth("azurerm_x.module", Syntax::Hcl), 0);
        assert_eq!(module_depth("site", Syntax::Bicep), 0);
        assert_eq!(module_depth("web > site", Syntax::Bicep), 1);
        assert_eq!(module_depth("outer > inner > app", Syntax::ArmJson), 2);
        assert_eq!(
            declared_name("module.a.module.b.azapi_resource.this", Syntax::Hcl),
            "azapi_resource.this"
        );
        assert_eq!(declared_name("web > site", Syntax::Bicep), "site");
    }
}
