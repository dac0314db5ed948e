//! The Bicep syntax tree: declarations, expressions and types as written, every node with the
//! byte span it came from. Nothing here is evaluated.

use crate::source::Span;

/// A name as written: a declaration's symbolic name, a property name, a member name.
#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A whole file: its declarations in source order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Program {
    pub statements: Vec<Statement>,
}

/// `@name(args)` before a declaration, object-type property or tuple item.
#[derive(Debug, Clone, PartialEq)]
pub struct Decorator {
    /// The call after `@`: `description('…')` or `sys.description('…')`.
    pub expr: Expr,
    /// From `@` through the closing `)`.
    pub span: Span,
}

impl Decorator {
    /// The decorator's function name without namespace: `description` for `@sys.description()`.
    pub fn name(&self) -> Option<&str> {
        match &self.expr.kind {
            ExprKind::Call { name, .. } => Some(&name.name),
            _ => None,
        }
    }

    pub fn args(&self) -> &[Expr] {
        match &self.expr.kind {
            ExprKind::Call { args, .. } => args,
            _ => &[],
        }
    }
}

/// One declaration with its decorators. `span` runs from the first decorator (or the keyword)
/// through the end of the declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub decorators: Vec<Decorator>,
    pub kind: StatementKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StatementKind {
    /// `targetScope = 'subscription'`
    TargetScope(Expr),
    /// `metadata name = value`
    Metadata {
        name: Ident,
        value: Expr,
    },
    /// `param name type = default`; in a `.bicepparam` file `param name = value` (no type).
    Param {
        name: Ident,
        ty: Option<TypeExpr>,
        value: Option<Expr>,
    },
    /// `var name = value` or `var name type = value`.
    Var {
        name: Ident,
        ty: Option<TypeExpr>,
        value: Expr,
    },
    Resource(ResourceDecl),
    Module(ModuleDecl),
    /// `output name type = value` (the type may be `resource '…'`).
    Output {
        name: Ident,
        ty: Option<TypeExpr>,
        value: Expr,
    },
    /// `type name = type`
    Type {
        name: Ident,
        ty: TypeExpr,
    },
    /// `func name(param type, …) resultType => body`
    Func {
        name: Ident,
        params: Vec<FuncParam>,
        result: TypeExpr,
        body: Expr,
    },
    Import(Import),
    /// `extension name`, `extension 'spec' with {…} as alias` (also the older `provider`).
    Extension {
        spec: Expr,
        config: Option<Expr>,
        alias: Option<Ident>,
    },
    /// `.bicepparam`: `using 'main.bicep'`; `target` is `None` for `using none`.
    Using {
        target: Option<StringExpr>,
        config: Option<Expr>,
    },
    /// `.bicepparam`: `extends 'base.bicepparam'`
    Extends(StringExpr),
    /// `assert name = condition`
    Assert {
        name: Ident,
        condition: Expr,
    },
    /// `test name 'file.bicep' = {…}`
    Test {
        name: Ident,
        path: StringExpr,
        body: ObjectExpr,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct FuncParam {
    pub name: Ident,
    pub ty: TypeExpr,
}

/// `resource name 'Type@version' [existing] = body`.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceDecl {
    pub name: Ident,
    /// `'Microsoft.Web/sites@2023-12-01'` with its span (quotes included).
    pub type_string: StringExpr,
    pub existing: bool,
    pub body: DeclBody,
    /// From the `resource` keyword through the type string (or `existing`).
    pub header: Span,
}

/// `module name 'path' = body`.
#[derive(Debug, Clone, PartialEq)]
pub struct ModuleDecl {
    pub name: Ident,
    /// A local path or a registry reference (`br:…`, `br/public:…`, `ts:…`).
    pub path: StringExpr,
    pub body: DeclBody,
    pub header: Span,
}

/// The right-hand side of a resource or module declaration.
#[derive(Debug, Clone, PartialEq)]
pub enum DeclBody {
    /// `= {…}`
    Object(ObjectExpr),
    /// `= if (condition) {…}`
    If { condition: Expr, body: ObjectExpr },
    /// `= [for item in iterable: …]`
    For(Box<ForExpr>),
}

impl DeclBody {
    /// The object the declaration's properties are in; for a loop, its body when that is an
    /// object literal.
    pub fn object(&self) -> Option<&ObjectExpr> {
        match self {
            DeclBody::Object(object) | DeclBody::If { body: object, .. } => Some(object),
            DeclBody::For(for_expr) => match &for_expr.body.kind {
                ExprKind::Object(object) => Some(object),
                _ => None,
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Import {
    /// `import {a, b as c} from 'file'`
    Symbols {
        symbols: Vec<ImportedSymbol>,
        from: StringExpr,
    },
    /// `import * as alias from 'file'`
    Wildcard { alias: Ident, from: StringExpr },
    /// The older extension import: `import 'az@1.0.0' [with {…}] [as alias]`.
    Extension {
        spec: StringExpr,
        config: Option<Expr>,
        alias: Option<Ident>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportedSymbol {
    pub name: Ident,
    pub alias: Option<Ident>,
}

/// `[for item in iterable: body]`, `[for (item, index) in iterable: if (condition) body]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ForExpr {
    pub item: Ident,
    pub index: Option<Ident>,
    pub iterable: Expr,
    pub condition: Option<Expr>,
    pub body: Expr,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Null,
    Bool(bool),
    Int(i64),
    String(StringExpr),
    /// A reference to a parameter, variable, resource, module, loop variable or namespace.
    Ident(String),
    Array(Vec<ArrayItem>),
    Object(ObjectExpr),
    For(Box<ForExpr>),
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// `condition ? then : otherwise`
    Ternary {
        condition: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
    /// `name(args)`, or `target.name(args)` for namespaced functions (`sys.concat`,
    /// `az.resourceGroup`) and resource methods (`storage.listKeys()`).
    Call {
        target: Option<Box<Expr>>,
        name: Ident,
        args: Vec<Expr>,
    },
    /// `object.name`, or `object.?name` when `safe`.
    Member {
        object: Box<Expr>,
        name: Ident,
        safe: bool,
    },
    /// `object[index]`, or `object[?index]` when `safe`.
    Index {
        object: Box<Expr>,
        index: Box<Expr>,
        safe: bool,
    },
    /// `value!`: asserts the value is not null.
    NonNull(Box<Expr>),
    /// `parent::child`: a nested resource of a resource.
    ChildResource {
        parent: Box<Expr>,
        name: Ident,
    },
    /// `x => body`, `(a, b) => body`
    Lambda {
        params: Vec<Ident>,
        body: Box<Expr>,
    },
    Paren(Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Not,
    Minus,
    Plus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Multiply,
    Divide,
    Modulo,
    Add,
    Subtract,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    Equal,
    NotEqual,
    /// `=~`: equal ignoring case.
    EqualIgnoreCase,
    /// `!~`: not equal ignoring case.
    NotEqualIgnoreCase,
    And,
    Or,
    /// `??`
    Coalesce,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ArrayItem {
    /// `...value`: the value's elements are spliced in.
    pub spread: bool,
    pub value: Expr,
    pub span: Span,
}

/// `{…}`: members in source order.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectExpr {
    pub members: Vec<ObjectMember>,
    pub span: Span,
}

impl ObjectExpr {
    /// The last property whose literal key equals `key`, ignoring ASCII case (ARM property
    /// names are case-insensitive).
    pub fn property(&self, key: &str) -> Option<&Property> {
        self.properties()
            .filter(|p| p.key.text().is_some_and(|k| k.eq_ignore_ascii_case(key)))
            .last()
    }

    pub fn properties(&self) -> impl Iterator<Item = &Property> {
        self.members.iter().filter_map(|m| match m {
            ObjectMember::Property(p) => Some(p),
            _ => None,
        })
    }

    /// Child resources declared inside this object (a resource body).
    pub fn child_resources(&self) -> impl Iterator<Item = &Statement> {
        self.members.iter().filter_map(|m| match m {
            ObjectMember::Resource(statement) => Some(&**statement),
            _ => None,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ObjectMember {
    Property(Property),
    /// `...value`: the value's properties are merged in.
    Spread {
        value: Expr,
        span: Span,
    },
    /// A nested `resource child '…' = {…}` inside a resource body.
    Resource(Box<Statement>),
    /// A member that did not parse (the syntax error is reported on the file): whatever it
    /// set is unknown, never absent.
    Broken(BrokenMember),
}

/// An object member that did not parse.
#[derive(Debug, Clone, PartialEq)]
pub struct BrokenMember {
    /// Its property name, when that much parsed (`name:` before a broken value).
    pub key: Option<String>,
    /// The syntax error, as reported.
    pub message: String,
    /// Where the error is.
    pub at: Span,
    pub span: Span,
    /// The text skipped, lower-cased: a key written in it may be set there.
    pub skipped: String,
}

impl BrokenMember {
    /// Whether the broken member may set `key`: its own name did not parse or is `key`, or
    /// `key` is written in the text skipped (a broken value can swallow the next lines).
    pub fn may_set(&self, key: &str) -> bool {
        self.key
            .as_ref()
            .is_none_or(|k| k.eq_ignore_ascii_case(key))
            || self.skipped.contains(&key.to_ascii_lowercase())
    }

    /// Why a value `key` may take from this member is unknown; `source` is the file's text.
    pub fn reason(&self, key: &str, source: &crate::source::SourceFile) -> String {
        let at = source.line_col(self.at.start);
        format!(
            "`{key}` may be set in a part of the object that did not parse (line {}, column \
             {}: {})",
            at.line, at.column, self.message
        )
    }
}

/// `key: value`
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    pub key: ObjectKey,
    pub key_span: Span,
    pub value: Expr,
    /// Key through value.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ObjectKey {
    Ident(String),
    String(StringExpr),
}

impl ObjectKey {
    /// The key's text when it is literal (an identifier or a string without holes).
    pub fn text(&self) -> Option<&str> {
        match self {
            ObjectKey::Ident(name) => Some(name),
            ObjectKey::String(string) => string.literal(),
        }
    }
}

/// A string, possibly interpolated. Text parts hold decoded values (escapes replaced).
#[derive(Debug, Clone, PartialEq)]
pub struct StringExpr {
    pub parts: Vec<StringPart>,
    /// Written with `'''` (verbatim) or `$'''` (interpolated).
    pub multiline: bool,
    /// Quotes included.
    pub span: Span,
}

impl StringExpr {
    /// The value when the string has no interpolation.
    pub fn literal(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [] => Some(""),
            [StringPart::Text { value, .. }] => Some(value),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum StringPart {
    /// Decoded text; `span` is the raw text between delimiters.
    Text { value: String, span: Span },
    /// A `${…}` hole.
    Interpolation(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeExpr {
    pub kind: TypeKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// `string`, `object`, a declared type's name, or a namespace before `.` (`sys.string`).
    Named(Ident),
    /// `'a'`, `1`, `-1`, `true`, `null`.
    Literal(Expr),
    /// `T[]`
    Array(Box<TypeExpr>),
    /// `T?`
    Nullable(Box<TypeExpr>),
    /// `A | B | C`
    Union(Vec<TypeExpr>),
    /// `{ name: T, *: T }`
    Object(Vec<TypeProperty>),
    /// `[A, B]`
    Tuple(Vec<TupleItem>),
    /// `resource 'Type@version'`
    Resource(StringExpr),
    /// `resourceInput<'Type@version'>` and similar.
    Generic {
        name: Ident,
        args: Vec<TypeExpr>,
    },
    /// `T.name` (also a namespace-qualified name such as `sys.string`).
    Property {
        base: Box<TypeExpr>,
        name: Ident,
    },
    /// `T[0]`
    Item {
        base: Box<TypeExpr>,
        index: i64,
    },
    /// `T[*]`: the element type of an array type.
    Elements(Box<TypeExpr>),
    /// `T.*`: the additional-properties type of an object type.
    AdditionalProperties(Box<TypeExpr>),
    Paren(Box<TypeExpr>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeProperty {
    pub decorators: Vec<Decorator>,
    pub key: TypeKey,
    pub key_span: Span,
    pub ty: TypeExpr,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKey {
    Name(String),
    /// `*`: any other property.
    Any,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TupleItem {
    pub decorators: Vec<Decorator>,
    pub ty: TypeExpr,
    pub span: Span,
}
