//! Declarations: every statement form of `.bicep` and `.bicepparam` files.

use super::*;

fn text_at(text: &str, span: crate::source::Span) -> &str {
    &text[span.start..span.end]
}

#[test]
fn target_scope_and_metadata() {
    let program = parse_ok("targetScope = 'subscription'\nmetadata owner = {\n  team: 'web'\n}\n");
    assert!(matches!(&program.statements[0].kind,
        StatementKind::TargetScope(e) if shape(e) == "'subscription'"));
    match &program.statements[1].kind {
        StatementKind::Metadata { name, value } => {
            assert_eq!(name.name, "owner");
            assert_eq!(shape(value), "{team: 'web'}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn params_with_types_defaults_and_decorators() {
    let text = "@description('''
Whether clients
must present a certificate.
''')
@allowed([
  true
])
param mtls bool = true
@sys.minLength(3)
param names string[]
param mode 'Required' | 'Optional' = 'Required'
param settings { enabled: bool, tags: object? }?
param site resource 'Microsoft.Web/sites@2023-12-01'
param props resourceInput<'Microsoft.Web/sites@2023-12-01'>.properties
";
    let program = parse_ok(text);
    let params: Vec<_> = program
        .statements
        .iter()
        .map(|s| match &s.kind {
            StatementKind::Param { name, ty, value } => {
                (s, name.name.as_str(), ty.as_ref().unwrap(), value)
            }
            other => panic!("{other:?}"),
        })
        .collect();
    let (mtls, _, ty, value) = &params[0];
    assert_eq!(mtls.decorators.len(), 2);
    assert_eq!(mtls.decorators[0].name(), Some("description"));
    let description = &mtls.decorators[0].args()[0];
    assert_eq!(
        shape(description),
        "'Whether clients\nmust present a certificate.\n'"
    );
    assert!(matches!(&ty.kind, TypeKind::Named(n) if n.name == "bool"));
    assert_eq!(shape(value.as_ref().unwrap()), "true");
    assert_eq!(
        mtls.span.start, 0,
        "the statement span starts at its first decorator"
    );

    assert_eq!(params[1].0.decorators[0].name(), Some("minLength"));
    assert!(matches!(&params[1].2.kind, TypeKind::Array(_)));
    assert!(matches!(&params[2].2.kind, TypeKind::Union(members) if members.len() == 2));
    match &params[3].2.kind {
        TypeKind::Nullable(inner) => {
            assert!(matches!(&inner.kind, TypeKind::Object(p) if p.len() == 2))
        }
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(&params[4].2.kind, TypeKind::Resource(s) if s.literal() == Some("Microsoft.Web/sites@2023-12-01"))
    );
    match &params[5].2.kind {
        TypeKind::Property { base, name } => {
            assert_eq!(name.name, "properties");
            assert!(
                matches!(&base.kind, TypeKind::Generic { name, args } if name.name == "resourceInput" && args.len() == 1)
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn typed_and_untyped_vars() {
    let program = parse_ok("var a = 1\nvar b string = 'x'\nvar c int[] = [\n  1\n  2\n]\n");
    let types: Vec<Option<String>> = program
        .statements
        .iter()
        .map(|s| match &s.kind {
            StatementKind::Var { ty, .. } => ty
                .as_ref()
                .map(|t| format!("{:?}", std::mem::discriminant(&t.kind))),
            other => panic!("{other:?}"),
        })
        .collect();
    assert!(types[0].is_none());
    assert!(types[1].is_some() && types[2].is_some());
}

#[test]
fn resource_forms_keep_name_type_string_and_body_kind() {
    let text = "resource plan 'Microsoft.Web/serverfarms@2023-12-01' existing = {
  name: 'plan'
}
resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: 'site'
  properties: {
    clientCertEnabled: true
  }
}
resource maybe 'Microsoft.Web/sites@2023-12-01' = if (deploy) {
  name: 'maybe'
}
resource many 'Microsoft.Web/sites@2023-12-01' = [for name in names: {
  name: name
}]
@batchSize(1)
resource some 'Microsoft.Web/sites@2023-12-01' = [for (name, i) in names: if (i > 0) {
  name: name
}]
";
    let result = parse(0, text);
    assert!(result.errors.is_empty(), "{:?}", result.errors);
    let found = resources(&result);
    assert_eq!(found.len(), 5);

    let plan = found[0];
    assert!(plan.existing);
    assert_eq!(text_at(text, plan.name.span), "plan");
    assert_eq!(
        text_at(text, plan.type_string.span),
        "'Microsoft.Web/serverfarms@2023-12-01'"
    );
    assert_eq!(
        text_at(text, plan.header),
        "resource plan 'Microsoft.Web/serverfarms@2023-12-01' existing"
    );

    let site = found[1];
    assert!(!site.existing);
    assert_eq!(
        site.type_string.literal(),
        Some("Microsoft.Web/sites@2023-12-01")
    );
    let properties = site.body.object().unwrap().property("PROPERTIES").unwrap();
    assert_eq!(shape(&properties.value), "{clientCertEnabled: true}");

    assert!(
        matches!(&found[2].body, DeclBody::If { condition, .. } if shape(condition) == "deploy")
    );
    match &found[3].body {
        DeclBody::For(for_expr) => {
            assert_eq!(for_expr.item.name, "name");
            assert!(for_expr.index.is_none() && for_expr.condition.is_none());
            assert_eq!(shape(&for_expr.iterable), "names");
        }
        other => panic!("{other:?}"),
    }
    match &found[4].body {
        DeclBody::For(for_expr) => {
            assert_eq!(for_expr.index.as_ref().unwrap().name, "i");
            assert_eq!(shape(for_expr.condition.as_ref().unwrap()), "(i Greater 0)");
            assert_eq!(shape(&for_expr.body), "{name: name}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        result.program.statements[4].decorators[0].name(),
        Some("batchSize")
    );
}

#[test]
fn nested_child_resources_and_parent_references() {
    let text = "resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: 'site'
  @description('staging')
  resource staging 'slots' = {
    name: 'staging'
    properties: {
      clientCertEnabled: false
    }
  }
  resource: 'a property called resource'
}
resource slot 'Microsoft.Web/sites/slots@2023-12-01' = {
  parent: site
  name: 'blue'
}
output slotId string = site::staging.id
";
    let result = parse(0, text);
    assert!(result.errors.is_empty(), "{:?}", result.errors);
    let site = resources(&result)[0];
    let body = site.body.object().unwrap();
    let children: Vec<_> = body.child_resources().collect();
    assert_eq!(children.len(), 1);
    assert_eq!(children[0].decorators[0].name(), Some("description"));
    match &children[0].kind {
        StatementKind::Resource(child) => {
            assert_eq!(child.name.name, "staging");
            assert_eq!(child.type_string.literal(), Some("slots"));
            assert!(
                child
                    .body
                    .object()
                    .unwrap()
                    .property("properties")
                    .is_some()
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(
        body.property("resource").is_some(),
        "`resource:` is a property"
    );
    let slot = resources(&result)[1];
    assert_eq!(
        shape(
            &slot
                .body
                .object()
                .unwrap()
                .property("parent")
                .unwrap()
                .value
        ),
        "site"
    );
    match &result.program.statements[2].kind {
        StatementKind::Output { value, .. } => assert_eq!(shape(value), "site::staging.id"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn modules_with_local_and_registry_paths_conditions_and_loops() {
    let text = "module web './web.bicep' = {
  name: 'web'
  params: {
    mtls: true
  }
}
module shared 'br/public:avm/res/web/site:0.1.0' = if (useShared) {
  name: 'shared'
}
module many 'ts:sub/rg/spec:1.0' = [for env in envs: {
  name: env
}]
";
    let program = parse_ok(text);
    let modules: Vec<&ModuleDecl> = program
        .statements
        .iter()
        .filter_map(|s| match &s.kind {
            StatementKind::Module(m) => Some(m),
            _ => None,
        })
        .collect();
    assert_eq!(modules.len(), 3);
    assert_eq!(modules[0].path.literal(), Some("./web.bicep"));
    assert_eq!(text_at(text, modules[0].header), "module web './web.bicep'");
    assert!(
        modules[0]
            .body
            .object()
            .unwrap()
            .property("params")
            .is_some()
    );
    assert!(matches!(modules[1].body, DeclBody::If { .. }));
    assert!(matches!(modules[2].body, DeclBody::For(_)));
}

#[test]
fn outputs_typed_untyped_and_resource() {
    let program = parse_ok(
        "output id string = site.id\noutput site resource 'Microsoft.Web/sites@2023-12-01' = site\noutput maybe object? = null\n",
    );
    let types: Vec<_> = program
        .statements
        .iter()
        .map(|s| match &s.kind {
            StatementKind::Output { ty, .. } => ty.clone().unwrap().kind,
            other => panic!("{other:?}"),
        })
        .collect();
    assert!(matches!(&types[0], TypeKind::Named(n) if n.name == "string"));
    assert!(matches!(&types[1], TypeKind::Resource(_)));
    assert!(matches!(&types[2], TypeKind::Nullable(_)));
}

#[test]
fn type_declarations_with_objects_unions_and_decorators() {
    let text = "@export()
@sealed()
type certSettings = {
  @description('Mode')
  mode: 'Required' | 'Optional' | 'OptionalInteractiveUser'
  'quoted-name': int?
  paths: string[]
  *: string
}
@discriminator('kind')
type settings = appSettings | funcSettings
type level =
  | 'low'
  | 'high'
type pair = [string, @description('count') int]
type element = pair[1]
type anyElement = string[][*]
type extra = certSettings.*
";
    let program = parse_ok(text);
    let decl = |i: usize| match &program.statements[i].kind {
        StatementKind::Type { ty, .. } => ty.kind.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(program.statements[0].decorators.len(), 2);
    match decl(0) {
        TypeKind::Object(properties) => {
            let keys: Vec<_> = properties.iter().map(|p| p.key.clone()).collect();
            assert_eq!(
                keys,
                vec![
                    TypeKey::Name("mode".into()),
                    TypeKey::Name("quoted-name".into()),
                    TypeKey::Name("paths".into()),
                    TypeKey::Any
                ]
            );
            assert_eq!(properties[0].decorators[0].name(), Some("description"));
            assert!(matches!(&properties[0].ty.kind, TypeKind::Union(m) if m.len() == 3));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        program.statements[1].decorators[0].name(),
        Some("discriminator")
    );
    assert!(matches!(decl(2), TypeKind::Union(m) if m.len() == 2));
    assert!(
        matches!(decl(3), TypeKind::Tuple(items) if items.len() == 2 && items[1].decorators.len() == 1)
    );
    assert!(matches!(decl(4), TypeKind::Item { index: 1, .. }));
    assert!(matches!(decl(5), TypeKind::Elements(_)));
    assert!(matches!(decl(6), TypeKind::AdditionalProperties(_)));
}

#[test]
fn user_functions_with_lambdas() {
    let statement = only_statement(
        "@export()\nfunc siteNames(prefix string, count int) string[] => map(range(0, count), i => '${prefix}-${i}')\n",
    );
    match statement.kind {
        StatementKind::Func {
            name,
            params,
            result,
            body,
        } => {
            assert_eq!(name.name, "siteNames");
            assert_eq!(params.len(), 2);
            assert!(matches!(result.kind, TypeKind::Array(_)));
            assert_eq!(
                shape(&body),
                "map(range(0, count), ((i) => '${prefix}-${i}'))"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn imports_in_every_form() {
    let program = parse_ok(
        "import { lockType, roleType as role } from 'br/public:avm/utl/types:0.5.1'
import {
  a
  b
} from './types.bicep'
import * as types from './types.bicep'
import 'az@1.0.0' with { foo: 1 } as az2
",
    );
    let imports: Vec<&Import> = program
        .statements
        .iter()
        .filter_map(|s| match &s.kind {
            StatementKind::Import(i) => Some(i),
            _ => None,
        })
        .collect();
    match imports[0] {
        Import::Symbols { symbols, from } => {
            assert_eq!(symbols.len(), 2);
            assert_eq!(symbols[1].alias.as_ref().unwrap().name, "role");
            assert_eq!(from.literal(), Some("br/public:avm/utl/types:0.5.1"));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(imports[1], Import::Symbols { symbols, .. } if symbols.len() == 2));
    assert!(matches!(imports[2], Import::Wildcard { alias, .. } if alias.name == "types"));
    assert!(matches!(
        imports[3],
        Import::Extension {
            config: Some(_),
            alias: Some(_),
            ..
        }
    ));
}

#[test]
fn extensions_and_assertions() {
    let program = parse_ok(
        "extension microsoftGraphV1\nextension 'br:mcr.microsoft.com/bicep/ext:1.0' with {\n  key: 'v'\n} as k8s\nprovider 'az@1.0'\nassert nameIsShort = length(name) < 20\n",
    );
    assert!(matches!(&program.statements[0].kind,
        StatementKind::Extension { spec, config: None, alias: None } if shape(spec) == "microsoftGraphV1"));
    assert!(matches!(&program.statements[1].kind,
        StatementKind::Extension { config: Some(_), alias: Some(a), .. } if a.name == "k8s"));
    assert!(matches!(
        &program.statements[2].kind,
        StatementKind::Extension { .. }
    ));
    assert!(matches!(&program.statements[3].kind,
        StatementKind::Assert { name, condition } if name.name == "nameIsShort" && shape(condition) == "(length(name) Less 20)"));
}

#[test]
fn bicepparam_files() {
    let program = parse_ok(
        "using './main.bicep'\n\nparam mtls = false\nparam names = [\n  'a'\n]\nvar suffix = 'x'\nparam full = 'site-${suffix}'\n",
    );
    assert!(matches!(&program.statements[0].kind,
        StatementKind::Using { target: Some(t), config: None } if t.literal() == Some("./main.bicep")));
    match &program.statements[1].kind {
        StatementKind::Param { name, ty, value } => {
            assert_eq!(name.name, "mtls");
            assert!(ty.is_none());
            assert_eq!(shape(value.as_ref().unwrap()), "false");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(program.statements.len(), 5);
    let none = parse_ok("using none\nextends './base.bicepparam'\n");
    assert!(matches!(
        &none.statements[0].kind,
        StatementKind::Using { target: None, .. }
    ));
    assert!(matches!(
        &none.statements[1].kind,
        StatementKind::Extends(_)
    ));
}

#[test]
fn test_declarations() {
    let statement = only_statement("test checkSite './site.bicep' = {\n  params: {}\n}\n");
    assert!(
        matches!(statement.kind, StatementKind::Test { path, .. } if path.literal() == Some("./site.bicep"))
    );
}

#[test]
fn comments_are_collected_and_hide_resources() {
    let text = "// resource a 'Microsoft.Web/sites@2023-12-01' = {}
/* resource b 'Microsoft.Web/sites@2023-12-01' = {
} */
#disable-next-line no-unused-vars
var notes = 'resource c \\'Microsoft.Web/sites@2023-12-01\\' = {}'
var script = '''
resource d 'Microsoft.Web/sites@2023-12-01' = {
}
'''
resource real 'Microsoft.Web/sites@2023-12-01' = { // trailing
  name: 'real' /* inline */
}
";
    let result = parse(0, text);
    assert!(result.errors.is_empty(), "{:?}", result.errors);
    let names: Vec<&str> = resources(&result)
        .iter()
        .map(|r| r.name.name.as_str())
        .collect();
    assert_eq!(names, vec!["real"]);
    let comments: Vec<(CommentKind, &str)> = result
        .comments
        .iter()
        .map(|c| (c.kind, c.text.as_str()))
        .collect();
    assert_eq!(comments.len(), 5);
    assert_eq!(
        comments[2],
        (CommentKind::Directive, "#disable-next-line no-unused-vars")
    );
    assert_eq!(comments[3], (CommentKind::Line, "// trailing"));
    assert_eq!(text_at(text, result.comments[4].span), "/* inline */");
}

use super::super::CommentKind;
