//! Names declared twice in one Bicep file. Bicep refuses such a file ("Identifier is declared
//! multiple times", BCP028); certgate reports it as an error so that two declarations with one
//! address are never judged (or fixed) as if they were one.

use std::collections::HashSet;

use super::ast::{Ident, Program, StatementKind};

/// The second and later declarations of each name that `param`, `var`, `resource`, `module`
/// and `func` share (outputs and types have namespaces of their own), in source order.
pub fn duplicates(program: &Program) -> Vec<&Ident> {
    let mut seen = HashSet::new();
    program
        .statements
        .iter()
        .filter_map(|statement| match &statement.kind {
            StatementKind::Param { name, .. }
            | StatementKind::Var { name, .. }
            | StatementKind::Func { name, .. } => Some(name),
            StatementKind::Resource(resource) => Some(&resource.name),
            StatementKind::Module(module) => Some(&module.name),
            _ => None,
        })
        .filter(|name| !seen.insert(name.name.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        let parsed = crate::bicep::parse(0, text);
        duplicates(&parsed.program)
            .into_iter()
            .map(|ident| format!("{}@{}", ident.name, ident.span.start))
            .collect()
    }

    #[test]
    fn a_name_shared_by_params_vars_resources_and_modules_is_reported_after_the_first() {
        let text = "param site string\nvar site = 1\nresource site 'Microsoft.Web/sites@2023-12-01' = {\n  name: 'a'\n}\n";
        assert_eq!(names(text), ["site@22", "site@40"]);
    }

    #[test]
    fn outputs_and_distinct_names_are_not_duplicates() {
        let text = "param site string\noutput site string = site\nvar other = 1\n";
        assert!(names(text).is_empty());
    }
}
