//! Stage 4: the model. A plain description of the crate to emit, in which
//! every decision (names, types, shapes, serde attributes) has been made.
//! Emitters only read it.

use crate::naming::Name;

/// Indices the model passes around, one type each, so that one kind of
/// index cannot stand for another.
macro_rules! index {
    ($( $(#[$doc:meta])* $name:ident ),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub usize);
    )*};
}

index! {
    /// Index into `Model::groups`.
    GroupId,
    /// Index into `Model::credentials`.
    CredentialId,
    /// Index into `Model::client_params`.
    ClientParamId,
    /// Index into `Model::error_bodies`.
    ErrorBodyId,
    /// Index into an operation's `params`.
    ParamId,
}

/// The whole client crate.
#[derive(Clone, Debug, Default)]
pub struct Model {
    pub info: ApiInfo,
    /// Sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// Sorted by Rust name.
    pub operations: Vec<Operation>,
    /// Parameters set once on the client rather than on every call.
    pub client_params: Vec<ClientParam>,
    /// Credentials set on the client (the API's security schemes).
    pub credentials: Vec<Credential>,
    /// The common response envelope, when responses share one.
    pub envelope: Option<Envelope>,
    /// Modules/cargo features a big API is split into; empty when it is not.
    pub groups: Vec<Group>,
    /// The variants of the `ErrorBody` enum: every body type that some
    /// operation documents for an error status, sorted by variant name.
    pub error_bodies: Vec<ErrorBody>,
    /// Requests go through `reqwest_middleware::ClientWithMiddleware`.
    pub middleware: bool,
    /// The call shown in the crate documentation, as a doc test.
    pub example: Option<Example>,
    /// The helpers `runtime.rs` (and the codecs `types.rs`) needs, and under
    /// which features.
    pub runtime: Runtime,
    pub crate_info: CrateInfo,
}

/// Where the model spells out a type (see [`Model::tys`]).
#[derive(Clone, Copy, Debug)]
pub enum Site<'m> {
    /// Held by a type of the `types` module.
    Type(&'m TypeDef, Holder),
    /// Spelled out by an operation's builder and method.
    Operation(&'m Operation, OpSite),
    /// A variant of `ErrorBody`, in the crate root.
    ErrorBody(&'m ErrorBody),
    /// A field of the envelope, in the `types` module's root.
    Envelope(&'m Field),
}

/// Where an operation spells out a type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpSite {
    Param(ParamId),
    Body,
    /// The success response's payload.
    Response,
    /// The item of its pages (`stream()`).
    PagedItem,
    /// The item of its streamed response (`stream()`).
    StreamItem,
}

impl Model {
    pub fn group(&self, id: GroupId) -> Option<&Group> {
        self.groups.get(id.0)
    }

    pub fn credential(&self, id: CredentialId) -> Option<&Credential> {
        self.credentials.get(id.0)
    }

    pub fn client_param(&self, id: ClientParamId) -> Option<&ClientParam> {
        self.client_params.get(id.0)
    }

    pub fn error_body(&self, id: ErrorBodyId) -> Option<&ErrorBody> {
        self.error_bodies.get(id.0)
    }

    /// Every type the crate spells out, and where: in type definitions,
    /// operations (parameters, bodies, responses, paged items), error
    /// bodies and the envelope. One walk for every question about what
    /// the crate uses (its dependencies, what each type is needed for,
    /// what each feature compiles).
    pub fn tys(&self) -> impl Iterator<Item = (Site<'_>, &Ty)> {
        let types = self.types.iter().flat_map(|d| {
            d.held()
                .into_iter()
                .map(move |(how, t)| (Site::Type(d, how), t))
        });
        let operations = self.operations.iter().flat_map(|op| {
            op.held()
                .into_iter()
                .map(move |(at, t)| (Site::Operation(op, at), t))
        });
        let errors = self
            .error_bodies
            .iter()
            .map(|b| (Site::ErrorBody(b), &b.ty));
        let envelope = self
            .envelope
            .iter()
            .flat_map(|e| e.fields.iter().map(|f| (Site::Envelope(f), &f.ty)));
        types.chain(operations).chain(errors).chain(envelope)
    }
}

#[derive(Clone, Debug, Default)]
pub struct ApiInfo {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    pub default_base_url: Option<String>,
}

/// What the emitted `Cargo.toml` needs to say.
#[derive(Clone, Debug, Default)]
pub struct CrateInfo {
    pub name: String,
    pub version: String,
    pub description: String,
    /// Whether generated code needs the `uuid` crate (for trace ids).
    pub uses_uuid: bool,
    /// Whether generated code uses `uuid::Uuid` (needs its serde feature).
    pub uses_uuid_type: bool,
    /// Whether generated code uses `chrono` (types, parameters, bodies or
    /// responses).
    pub uses_chrono: bool,
    /// Whether generated code needs `reqwest-middleware`.
    pub uses_middleware: bool,
    /// Whether generated code needs `futures-util` (paginated and streamed
    /// responses).
    pub uses_futures: bool,
    /// Whether generated code reads responses as they arrive (streamed
    /// responses: reqwest's `stream` feature).
    pub uses_stream: bool,
    /// Whether generated code builds multipart bodies.
    pub uses_multipart: bool,
    /// Cargo features, one per group.
    pub features: Vec<String>,
    /// The features on by default: every group of operations, not the one
    /// of schemas no operation uses.
    pub default_features: Vec<String>,
    /// Extra manifest content from the generator config, merged verbatim.
    pub manifest: toml::Table,
}

/// Why a value is typed `serde_json::Value`: counted by the fidelity
/// report, so only the first kind should remain in a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Untyped {
    /// The schema allows any value (no `type`, `{}`, an object without
    /// properties, an array without `items`).
    Any,
    /// Rust cannot say what the schema says (`not`, a cycle of aliases, a
    /// schema defined only by itself).
    Inexpressible,
    /// `allOf` of members that cannot be merged (an object and a string).
    MixesKinds,
    /// Something the generator does not read (yet).
    Unsupported,
}

impl Untyped {
    /// The label used in reports.
    pub fn label(self) -> &'static str {
        match self {
            Untyped::Any => "schema says any",
            Untyped::Inexpressible => "cannot be expressed",
            Untyped::MixesKinds => "mixes kinds",
            Untyped::Unsupported => "not supported",
        }
    }
}

/// The Rust type of a value.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ty {
    Bool,
    I32,
    I64,
    F32,
    F64,
    String,
    /// Any JSON: `serde_json::Value`, and why the value has no better type.
    Json(Untyped),
    /// Raw bytes: `Vec<u8>`.
    Bytes,
    /// `format: date-time`: `chrono::DateTime<chrono::Utc>` (RFC 3339).
    DateTime,
    /// `format: date`: `chrono::NaiveDate`.
    Date,
    /// `format: uuid`: `uuid::Uuid`.
    Uuid,
    /// `format: byte`: bytes, base64 on the wire (`types::Base64`).
    Base64,
    /// A named type in the `types` module, by Rust name.
    Named(String),
    Vec(Box<Ty>),
    /// `BTreeMap<String, T>`.
    Map(Box<Ty>),
    Option(Box<Ty>),
    Box(Box<Ty>),
}

impl Ty {
    pub fn option(self) -> Ty {
        match self {
            Ty::Option(_) => self,
            other => Ty::Option(Box::new(other)),
        }
    }

    pub fn is_option(&self) -> bool {
        matches!(self, Ty::Option(_))
    }

    /// Calls `f` on this type and every type inside it.
    pub fn walk(&self, f: &mut impl FnMut(&Ty)) {
        f(self);
        if let Ty::Vec(i) | Ty::Map(i) | Ty::Option(i) | Ty::Box(i) = self {
            i.walk(f);
        }
    }

    /// Pushes the names of the `types` items this type mentions.
    pub fn collect_named(&self, out: &mut Vec<String>) {
        self.walk(&mut |t| {
            if let Ty::Named(n) = t {
                out.push(n.clone());
            }
        });
    }

    /// Follows renamed `types` items.
    pub fn rename(&mut self, renames: &std::collections::BTreeMap<String, String>) {
        match self {
            Ty::Named(n) => {
                if let Some(new) = renames.get(n) {
                    *n = new.clone();
                }
            }
            Ty::Vec(i) | Ty::Map(i) | Ty::Option(i) | Ty::Box(i) => i.rename(renames),
            _ => {}
        }
    }

    /// Whether this type is, or holds, `t`.
    pub fn mentions(&self, t: &Ty) -> bool {
        let mut found = false;
        self.walk(&mut |u| found |= u == t);
        found
    }

    /// Whether the type mentions a type of the `types` module.
    pub fn has_named(&self) -> bool {
        match self {
            Ty::Named(_) => true,
            Ty::Vec(i) | Ty::Map(i) | Ty::Option(i) | Ty::Box(i) => i.has_named(),
            _ => false,
        }
    }
}

#[derive(Clone, Debug)]
pub struct TypeDef {
    pub name: Name,
    pub doc: Option<String>,
    pub kind: TypeKind,
    /// Whether `Default` can be derived (every field optional or defaultable).
    pub default: bool,
    /// Which serde traits the type needs.
    pub usage: Usage,
    /// The groups that need this type; empty when it is always needed.
    pub groups: Vec<GroupId>,
    /// JSON pointer (into the merged document) of the schema it comes from.
    pub pointer: String,
    /// `#[non_exhaustive]`: fields and variants can be added without
    /// breaking user code (which then builds structs through their
    /// [`Constructor`] and matches with a wildcard arm).
    pub non_exhaustive: bool,
}

/// A part of a big API: one module and one cargo feature (`name.rust`).
#[derive(Clone, Debug)]
pub struct Group {
    /// `wire` is the tag (or path segment) it stands for.
    pub name: Name,
    /// The doc comment of its `types` file.
    pub types_doc: String,
}

/// How a type definition holds a type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder {
    /// A struct field (index into `Struct::fields`).
    Field(usize),
    /// A struct's unlisted properties (a map of them).
    Additional,
    /// A union variant (index into its variants).
    Variant(usize),
    /// The aliased type.
    Alias,
}

impl TypeDef {
    /// Every type this one holds, and how: fields (and the type of unlisted
    /// properties), variants, or the aliased type.
    pub fn held(&self) -> Vec<(Holder, &Ty)> {
        match &self.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .enumerate()
                .map(|(i, f)| (Holder::Field(i), &f.ty))
                .chain(s.additional.iter().map(|a| (Holder::Additional, a)))
                .collect(),
            TypeKind::Untagged(vs) | TypeKind::Tagged { variants: vs, .. } => vs
                .iter()
                .enumerate()
                .map(|(i, v)| (Holder::Variant(i), &v.ty))
                .collect(),
            TypeKind::Alias(t) => vec![(Holder::Alias, t)],
            TypeKind::StringEnum(_) | TypeKind::IntEnum { .. } => Vec::new(),
        }
    }

    /// [`TypeDef::held`], to change.
    pub fn held_mut(&mut self) -> Vec<(Holder, &mut Ty)> {
        match &mut self.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter_mut()
                .enumerate()
                .map(|(i, f)| (Holder::Field(i), &mut f.ty))
                .chain(s.additional.iter_mut().map(|a| (Holder::Additional, a)))
                .collect(),
            TypeKind::Untagged(vs) | TypeKind::Tagged { variants: vs, .. } => vs
                .iter_mut()
                .enumerate()
                .map(|(i, v)| (Holder::Variant(i), &mut v.ty))
                .collect(),
            TypeKind::Alias(t) => vec![(Holder::Alias, t)],
            TypeKind::StringEnum(_) | TypeKind::IntEnum { .. } => Vec::new(),
        }
    }

    /// The types this one holds ([`TypeDef::held`] without how).
    pub fn tys(&self) -> Vec<&Ty> {
        self.held().into_iter().map(|(_, t)| t).collect()
    }

    /// Follows renamed `types` items in what this type holds.
    pub fn rename_types(&mut self, renames: &std::collections::BTreeMap<String, String>) {
        self.held_mut()
            .into_iter()
            .for_each(|(_, t)| t.rename(renames));
    }

    /// Pushes the names of the types this one holds.
    pub fn collect_children(&self, out: &mut Vec<String>) {
        self.tys().into_iter().for_each(|t| t.collect_named(out));
    }
}

#[cfg(test)]
impl TypeDef {
    /// A struct with one field per named type, for tests.
    pub(crate) fn test_struct(name: &str, fields: &[&str]) -> TypeDef {
        TypeDef {
            name: Name {
                wire: name.into(),
                rust: name.into(),
            },
            doc: None,
            kind: TypeKind::Struct(Struct {
                fields: fields
                    .iter()
                    .map(|f| Field {
                        name: Name {
                            wire: f.to_lowercase(),
                            rust: f.to_lowercase(),
                        },
                        ty: Ty::Named((*f).into()),
                        doc: None,
                        skip_if_none: false,
                        secret: false,
                    })
                    .collect(),
                additional: None,
                constructor: None,
            }),
            default: false,
            usage: Usage::default(),
            groups: Vec::new(),
            pointer: String::new(),
            non_exhaustive: false,
        }
    }
}

/// Whether a type is sent (`Serialize`), received (`Deserialize`) or both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Usage {
    pub serialize: bool,
    pub deserialize: bool,
}

impl Default for Usage {
    fn default() -> Self {
        Usage {
            serialize: true,
            deserialize: true,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeKind {
    Struct(Struct),
    /// A string enum. Unknown values land in an `Other(String)` variant.
    StringEnum(Vec<Variant>),
    /// An integer enum: a newtype over `ty` (`I32` or `I64`) with one
    /// associated constant per known value; other values are kept as sent.
    IntEnum {
        ty: Ty,
        values: Vec<IntValue>,
    },
    /// A union tried in order (`oneOf`/`anyOf` without a usable discriminator).
    Untagged(Vec<UnionVariant>),
    /// A union selected by a property (`discriminator`): received values
    /// are read whole, and the variant the property's value selects
    /// decodes them (the variant keeps the property); a value no entry
    /// names goes to `default`, or without one, each variant is tried in
    /// order as in an untagged union. Sent untagged.
    Tagged {
        /// The discriminator property (wire name).
        tag: String,
        variants: Vec<UnionVariant>,
        /// Property value → index into `variants`, sorted by value.
        values: Vec<(String, usize)>,
        /// `defaultMapping`: the variant for values `values` does not name.
        default: Option<usize>,
    },
    /// `pub type Name = Ty;`
    Alias(Ty),
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Properties not listed, collected into a map (`additionalProperties`).
    pub additional: Option<Ty>,
    /// How user code builds it, for a struct it sends.
    pub constructor: Option<Constructor>,
}

/// How user code builds a struct it sends (a `#[non_exhaustive]` struct
/// has no struct literal outside its crate): `Name::new(required…)`, then
/// a setter per optional field, as request builders take their parameters.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Constructor {
    /// Indices into `fields` of `new`'s arguments, in order: the required
    /// fields.
    pub args: Vec<usize>,
    /// Index into `fields` of each optional field, and its setter.
    pub setters: Vec<(usize, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Field {
    pub name: Name,
    /// Already `Option<_>` where the field may be absent or null.
    pub ty: Ty,
    pub doc: Option<String>,
    /// Omit from serialised output when `None`.
    pub skip_if_none: bool,
    /// Never shown by `Debug`.
    pub secret: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Variant {
    pub name: Name,
    pub doc: Option<String>,
}

/// A known value of an integer enum; `name.rust` is its constant.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct IntValue {
    pub name: Name,
    pub value: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct UnionVariant {
    /// `wire` is the label the variant is named from.
    pub name: Name,
    pub ty: Ty,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
    /// Any other method (OpenAPI 3.2's `query` and `additionalOperations`):
    /// upper case, an RFC 9110 token (checked by normalisation), sent with
    /// `reqwest::Method::from_bytes`.
    Other(String),
}

impl Method {
    pub fn as_str(&self) -> &str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
            Method::Other(m) => m,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Operation {
    /// `wire` is the operationId, or `METHOD /path` without one; `rust` is
    /// the client method.
    pub name: Name,
    /// The request builder type in the `builder` module.
    pub builder: String,
    pub method: Method,
    pub path: String,
    /// Path segments after the base URL; each is literal text and parameters.
    pub segments: Vec<Vec<PathPart>>,
    pub doc: String,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub response: Response,
    /// Documented error responses with a JSON body, most specific first.
    pub errors: Vec<ErrorCase>,
    /// Alternative sets of credentials; the first whose credentials are
    /// all set on the client is sent.
    pub security: Vec<Vec<CredentialId>>,
    pub group: Option<GroupId>,
    pub pagination: Option<Pagination>,
    /// JSON pointer of the operation (`/paths/~1pets/get`).
    pub pointer: String,
}

impl Operation {
    /// Follows renamed `types` items.
    pub fn rename_types(&mut self, renames: &std::collections::BTreeMap<String, String>) {
        self.params.iter_mut().for_each(|p| p.ty.rename(renames));
        if let Some(b) = &mut self.body {
            b.ty.rename(renames);
        }
        if let Some(t) = self.response.kind.ty_mut() {
            t.rename(renames);
        }
        if let Some(s) = &mut self.response.stream {
            s.item.rename(renames);
        }
    }

    /// The types the operation's builder and method spell out, and where:
    /// its parameters, body, success response and paged items (error bodies
    /// are `ErrorBody` variants, spelled out in the crate root).
    pub fn held(&self) -> Vec<(OpSite, &Ty)> {
        let mut out: Vec<(OpSite, &Ty)> = self
            .params
            .iter()
            .enumerate()
            .map(|(i, p)| (OpSite::Param(ParamId(i)), &p.ty))
            .collect();
        out.extend(self.body.as_ref().map(|b| (OpSite::Body, &b.ty)));
        out.extend(self.response.kind.ty().map(|t| (OpSite::Response, t)));
        out.extend(
            self.pagination
                .as_ref()
                .map(|p| (OpSite::PagedItem, p.item())),
        );
        out.extend(
            self.response
                .stream
                .as_ref()
                .map(|s| (OpSite::StreamItem, &s.item)),
        );
        out
    }

    /// The types the operation spells out ([`Operation::held`] without where).
    pub fn tys(&self) -> Vec<&Ty> {
        self.held().into_iter().map(|(_, t)| t).collect()
    }

    /// The parameter `id`.
    pub fn param(&self, id: ParamId) -> Option<&Param> {
        self.params.get(id.0)
    }

    /// The parameters the client method takes, in order: path parameters
    /// in path order, then the other required ones.
    pub fn positional(&self) -> Vec<ParamId> {
        let mut order: Vec<ParamId> = Vec::new();
        for part in self.segments.iter().flatten() {
            if let PathPart::Param(i) = part
                && !order.contains(i)
            {
                order.push(*i);
            }
        }
        for (i, p) in self.params.iter().enumerate() {
            if p.is_positional() && !order.contains(&ParamId(i)) {
                order.push(ParamId(i));
            }
        }
        order
    }

    /// Drops the parameters `keep` rejects, keeping path references right.
    pub fn retain_params(&mut self, keep: impl Fn(&Param) -> bool) {
        let kept: Vec<bool> = self.params.iter().map(&keep).collect();
        if kept.iter().all(|k| *k) {
            return;
        }
        let mut new_index = Vec::with_capacity(kept.len());
        let mut next = 0;
        for k in &kept {
            new_index.push(next);
            next += usize::from(*k);
        }
        let mut i = 0;
        self.params.retain(|_| {
            i += 1;
            kept[i - 1]
        });
        for part in self.segments.iter_mut().flatten() {
            if let PathPart::Param(p) = part {
                p.0 = new_index.get(p.0).copied().unwrap_or(p.0);
            }
        }
    }

    /// The client method's arguments (and the builder's `new`'s), in
    /// order: the positional parameters, then the body when it takes one.
    pub fn arguments(&self) -> Vec<Argument> {
        let mut out: Vec<Argument> = self.positional().into_iter().map(Argument::Param).collect();
        if self.takes_body() {
            out.push(Argument::Body);
        }
        out
    }

    /// Whether the request reads the client's parameters (`Client::params`):
    /// a parameter the client supplies, or credentials.
    pub fn reads_client(&self) -> bool {
        self.params.iter().any(|p| p.client.is_some()) || !self.security.is_empty()
    }

    /// Whether the client method takes the body as its last argument.
    pub fn takes_body(&self) -> bool {
        self.body
            .as_ref()
            .is_some_and(|b| b.required && b.kind != BodyKind::EmptyObject)
    }
}

/// An argument of an operation's client method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Argument {
    Param(ParamId),
    Body,
}

/// A call written out in the crate documentation: the operation with its
/// required arguments, then again with some optional parameters set.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// The crate as code names it (`github_client`).
    pub krate: String,
    /// The client method.
    pub method: String,
    /// The example needs that group's feature.
    pub group: Option<GroupId>,
    pub args: Vec<ExampleValue>,
    /// Builder setters (Rust names) and their values.
    pub setters: Vec<(String, ExampleValue)>,
    /// The base URL passed to `Client::new`, when the API names none.
    pub base_url: Option<String>,
}

/// A value written in an example.
#[derive(Clone, Debug, PartialEq)]
pub enum ExampleValue {
    Str(String),
    Int(i64),
    Bool(bool),
    /// `types::{ty}::{item}`: an enum variant or an associated constant.
    Item {
        ty: String,
        item: String,
    },
}

#[cfg(test)]
impl Operation {
    /// `GET /` named `name`, with no parameters, body or response, for tests.
    pub(crate) fn test(name: &str) -> Operation {
        Operation {
            name: Name {
                wire: name.into(),
                rust: name.into(),
            },
            builder: crate::naming::type_name(name, "Operation"),
            method: Method::Get,
            path: "/".into(),
            segments: Vec::new(),
            doc: String::new(),
            params: Vec::new(),
            body: None,
            response: Response {
                kind: ResponseKind::Empty,
                link: false,
                stream: None,
            },
            errors: Vec::new(),
            security: Vec::new(),
            group: None,
            pagination: None,
            pointer: String::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathPart {
    Literal(String),
    Param(ParamId),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Clone, Debug)]
pub struct Param {
    pub name: Name,
    pub location: ParamLocation,
    /// The value type, without `Option`.
    pub ty: Ty,
    pub required: bool,
    pub doc: Option<String>,
    /// How a query value is written (decided from `style`, `explode` and
    /// the type); `Form` elsewhere.
    pub style: QueryStyle,
    /// The client parameter that supplies a default, if one does.
    pub client: Option<ClientParamId>,
    /// Never shown by `Debug`.
    pub secret: bool,
    /// JSON pointer of the parameter's declaration; `None` for a path
    /// template variable the spec does not declare.
    pub pointer: Option<String>,
}

impl Param {
    /// A positional argument of the operation's method.
    pub fn is_positional(&self) -> bool {
        self.required && self.client.is_none()
    }

    /// Whether the value is written as text by `runtime::to_param`: all but
    /// the strings the client supplies, which are sent as they are.
    pub fn converted(&self) -> bool {
        !(self.client.is_some() && self.ty == Ty::String)
    }

    /// The runtime helpers the builder calls to send this parameter.
    pub fn helpers(&self) -> Vec<Helper> {
        match self.location {
            ParamLocation::Path | ParamLocation::Cookie => vec![Helper::ToParam],
            ParamLocation::Query => vec![self.style.helper()],
            ParamLocation::Header => {
                let mut out = Vec::new();
                if self.required && self.client.is_some() {
                    out.push(Helper::Required);
                }
                if self.converted() {
                    out.push(Helper::ToParam);
                }
                if !self.required {
                    out.push(Helper::Header);
                }
                out
            }
        }
    }
}

/// How a query parameter's value becomes `name=value` pairs: decided once,
/// in lowering, from `style`, `explode` and the type; each names the
/// runtime helper that writes it ([`QueryStyle::helper`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryStyle {
    /// `runtime::query`: one pair, the value as text (objects as JSON).
    Form,
    /// `runtime::query_list`: a list as a pair per item (`explode`), or as
    /// one pair of the items joined by `delimiter` (`,` for `form`, a
    /// space for `spaceDelimited`, `|` for `pipeDelimited`).
    List { explode: bool, delimiter: char },
    /// `runtime::query_deep`: an object as `name[key]=value`, nested as
    /// `name[a][b]=value`.
    DeepObject,
    /// `runtime::query_properties`: an object with `explode`, each property
    /// its own `key=value` pair.
    Properties,
    /// `runtime::query_joined`: an object without `explode`, one pair of
    /// its properties and values joined by `delimiter` (`name=k1,v1,k2,v2`;
    /// `form` uses `,`, `spaceDelimited` a space, `pipeDelimited` `|`).
    Joined { delimiter: char },
    /// `runtime::query_json`: one pair, the value as JSON text whatever its
    /// type (a parameter given by `content: application/json`).
    Json,
}

impl QueryStyle {
    /// The runtime helper that writes a query parameter of this style.
    pub fn helper(self) -> Helper {
        match self {
            QueryStyle::Form => Helper::Query,
            QueryStyle::List { .. } => Helper::QueryList,
            QueryStyle::DeepObject => Helper::QueryDeep,
            QueryStyle::Properties => Helper::QueryProperties,
            QueryStyle::Joined { .. } => Helper::QueryJoined,
            QueryStyle::Json => Helper::QueryJson,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Body {
    pub kind: BodyKind,
    pub ty: Ty,
    pub required: bool,
    pub content_type: String,
    pub doc: Option<String>,
    /// JSON pointer of the chosen content's schema (`…/requestBody/content/application~1json/schema`).
    pub pointer: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    /// `application/x-www-form-urlencoded`; `indexed` are the properties
    /// (wire names) whose lists are written `name[0]=…` (`deepObject`
    /// encoding) rather than as repeated keys.
    Form {
        indexed: Vec<String>,
    },
    Text,
    Bytes,
    /// The schema is an object without properties: always `{}`, no argument.
    EmptyObject,
    /// `multipart/form-data`: one part per field of the body struct.
    Multipart(Vec<FormPart>),
}

impl BodyKind {
    /// The runtime helpers the builder calls to write a body of this kind.
    pub fn helpers(&self) -> Vec<Helper> {
        match self {
            BodyKind::Form { .. } => vec![Helper::Form],
            BodyKind::Multipart(parts) if parts.iter().any(|p| p.kind == PartKind::Text) => {
                vec![Helper::ToParam]
            }
            BodyKind::Json
            | BodyKind::Text
            | BodyKind::Bytes
            | BodyKind::EmptyObject
            | BodyKind::Multipart(_) => Vec::new(),
        }
    }
}

/// One part of a multipart body: a field of the body struct.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormPart {
    /// `wire` is the part name, `rust` the struct field.
    pub name: Name,
    pub kind: PartKind,
    /// The field is an `Option`.
    pub optional: bool,
    /// The field is a list: one part per item.
    pub repeated: bool,
    /// The part's `Content-Type` (from the body's `encoding`), when the spec
    /// gives one concrete type; `Json` parts default to `application/json`.
    pub content_type: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartKind {
    /// Text (strings, numbers, booleans, enums).
    Text,
    /// Bytes, sent as a file named after the part.
    File,
    /// A `String` field the spec says is binary, sent as a file.
    TextFile,
    /// Anything else, as JSON text.
    Json,
}

#[derive(Clone, Debug)]
pub struct Response {
    /// What `send()` decodes.
    pub kind: ResponseKind,
    /// Whether the success response declares a `Link` header.
    pub link: bool,
    /// The form the success response can also (or only) take as a stream
    /// of items, read by the builder's `stream()`.
    pub stream: Option<Stream>,
}

/// A success response sent as a stream of items (`text/event-stream`,
/// JSON Lines, json-seq): `stream()` asks for it (`Accept`, and the body's
/// flag when it has one) and yields the items as they arrive.
#[derive(Clone, Debug, PartialEq)]
pub struct Stream {
    pub format: StreamFormat,
    /// The media type, as the spec writes it, sent as `Accept`.
    pub media: String,
    /// One item: an event's decoded `data` (SSE), a line (JSON Lines), a
    /// record (json-seq).
    pub item: Ty,
    /// The request body's boolean property (`stream`) that asks for the
    /// stream, which `stream()` sets to `true`; `None` when the body has
    /// none (decided after the types are lowered).
    pub flag: Option<Access>,
}

/// How a streamed response is framed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamFormat {
    /// Server-Sent Events (`text/event-stream`).
    Sse,
    /// One JSON value per line (`application/jsonl`, `application/x-ndjson`, …).
    JsonLines,
    /// RFC 7464 JSON text sequences (`application/json-seq`): records
    /// introduced by RS (0x1E).
    JsonSeq,
}

impl StreamFormat {
    /// The media type's framing, when it is a stream this crate reads.
    pub fn of(media: &str) -> Option<StreamFormat> {
        match crate::media::essence(media).as_str() {
            "text/event-stream" => Some(StreamFormat::Sse),
            "application/jsonl"
            | "application/x-jsonl"
            | "application/jsonlines"
            | "application/x-jsonlines"
            | "application/x-ndjson"
            | "application/ndjson" => Some(StreamFormat::JsonLines),
            "application/json-seq" => Some(StreamFormat::JsonSeq),
            _ => None,
        }
    }

    /// The runtime helper that reads the stream.
    pub fn helper(self) -> Helper {
        match self {
            StreamFormat::Sse => Helper::Sse,
            StreamFormat::JsonLines | StreamFormat::JsonSeq => Helper::JsonLines,
        }
    }
}

impl Stream {
    /// The runtime helpers the builder's `stream()` calls: the reader, and
    /// `success` (and `check`, when the operation documents error bodies)
    /// for the status before the stream starts.
    pub fn helpers(&self, documented_errors: bool) -> Vec<Helper> {
        let mut out = vec![self.format.helper(), Helper::Success];
        if documented_errors {
            out.push(Helper::Check);
        }
        out
    }
}

/// How an operation's results are paged, when they are
/// ([`Pagination::helper`] walks the pages).
#[derive(Clone, Debug, PartialEq)]
pub enum Pagination {
    /// The body is a page of items; `Link: <…>; rel="next"` gives the next.
    Link { item: Ty },
    /// The body holds a page of items and whether there are more; the next
    /// page is asked for with the last item's id in a query parameter.
    Cursor {
        item: Ty,
        items: Access,
        has_more: Access,
        id: Access,
        /// Rust name of the cursor parameter (its builder setter).
        param: String,
    },
}

impl Pagination {
    /// The item type.
    pub fn item(&self) -> &Ty {
        match self {
            Pagination::Link { item } | Pagination::Cursor { item, .. } => item,
        }
    }

    /// The runtime helper that walks the pages.
    pub fn helper(&self) -> Helper {
        match self {
            Pagination::Link { .. } => Helper::LinkPages,
            Pagination::Cursor { .. } => Helper::CursorPages,
        }
    }
}

/// A field read by generated code, and whether it is an `Option`.
#[derive(Clone, Debug, PartialEq)]
pub struct Access {
    pub field: String,
    pub optional: bool,
}

/// What the success response's body is, and so how it is decoded
/// ([`ResponseKind::decoder`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResponseKind {
    /// JSON of the type (`runtime::json`).
    Json(Ty),
    /// The common envelope, whose `data` is of the type (`runtime::enveloped`).
    Enveloped(Ty),
    /// Text (`runtime::text`).
    Text,
    /// Bytes (`runtime::bytes`), also offered unread (`send_streaming`).
    Bytes,
    /// No body (`runtime::empty`).
    Empty,
}

impl ResponseKind {
    /// The type of the decoded payload, when it is JSON.
    pub fn ty(&self) -> Option<&Ty> {
        match self {
            ResponseKind::Json(t) | ResponseKind::Enveloped(t) => Some(t),
            ResponseKind::Text | ResponseKind::Bytes | ResponseKind::Empty => None,
        }
    }

    pub fn ty_mut(&mut self) -> Option<&mut Ty> {
        match self {
            ResponseKind::Json(t) | ResponseKind::Enveloped(t) => Some(t),
            ResponseKind::Text | ResponseKind::Bytes | ResponseKind::Empty => None,
        }
    }

    /// The runtime helper that decodes the body.
    pub fn decoder(&self) -> Helper {
        match self {
            ResponseKind::Json(_) => Helper::Json,
            ResponseKind::Enveloped(_) => Helper::Enveloped,
            ResponseKind::Text => Helper::Text,
            ResponseKind::Bytes => Helper::Bytes,
            ResponseKind::Empty => Helper::Empty,
        }
    }

    /// Whether the builder also hands the response back unread
    /// (`send_streaming`): binary downloads can be large.
    pub fn unread(&self) -> bool {
        *self == ResponseKind::Bytes
    }

    /// The runtime helpers the builder calls to read the response:
    /// the decoder, and for a response handed back unread `success` (and
    /// `check`, when the operation documents error bodies).
    pub fn helpers(&self, documented_errors: bool) -> Vec<Helper> {
        let mut out = vec![self.decoder()];
        if self.unread() {
            out.push(Helper::Success);
            if documented_errors {
                out.push(Helper::Check);
            }
        }
        out
    }
}

/// One variant of the crate's `ErrorBody` enum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorBody {
    /// The variant name.
    pub variant: String,
    pub ty: Ty,
}

/// Which statuses an error response covers.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    Code(u16),
    /// Consecutive documented codes, `low..=high` (three or more).
    Codes(u16, u16),
    /// `4XX`: every status of the hundred.
    Range(u16),
    /// `default`: every status no other case covers.
    Default,
}

/// Error statuses whose body decodes as one `ErrorBody` variant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorCase {
    /// Sorted; `Default`, when present, is alone.
    pub statuses: Vec<StatusMatch>,
    pub body: ErrorBodyId,
}

/// A security scheme: a credential the client holds and sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credential {
    /// `wire` is the scheme's name in the spec; `rust` names the client's
    /// field and its `with_`/`set_` methods.
    pub name: Name,
    /// The variant of the client's `Scheme` enum.
    pub variant: String,
    pub kind: CredentialKind,
    pub doc: Option<String>,
    /// The groups whose operations use it; empty when an operation outside
    /// any group does.
    pub groups: Vec<GroupId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CredentialKind {
    /// `Authorization: Bearer …` (http bearer, OAuth 2, OpenID Connect).
    Bearer,
    /// `Authorization: Basic …` from a user name and password.
    Basic,
    /// A key sent as the header, query parameter or cookie `name`.
    ApiKey {
        location: ParamLocation,
        name: String,
    },
}

/// A parameter hoisted to the client.
#[derive(Clone, Debug)]
pub struct ClientParam {
    pub name: Name,
    pub location: ParamLocation,
    pub doc: Option<String>,
    pub default: Option<ParamDefault>,
    /// Never shown by `Debug`.
    pub secret: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamDefault {
    Literal(String),
    /// A fresh UUID v4 for each request.
    Uuid,
}

/// The common response envelope `{code, msg, data, …}`, emitted as a
/// generic `Envelope<T>` whose `data` is `Option<T>`.
#[derive(Clone, Debug)]
pub struct Envelope {
    pub name: String,
    /// Every field but `data`, sorted by Rust name.
    pub fields: Vec<Field>,
    /// The payload field.
    pub data: Name,
    pub success: Option<SuccessRule>,
}

/// When an envelope counts as success: `field == value`.
#[derive(Clone, Debug)]
pub struct SuccessRule {
    /// Rust name of the compared field.
    pub field: String,
    /// The field's type, without `Option`.
    pub ty: Ty,
    /// Whether the field is an `Option`.
    pub optional: bool,
    pub value: Literal,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Str(String),
    Bool(bool),
    Int(i64),
}

/// A helper of the generated `runtime.rs` (or a few that go together), or
/// a codec type of `types.rs` that the same gating rule places.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Helper {
    ToParam,
    Required,
    Query,
    QueryList,
    Header,
    /// `flatten` and `pairs`: nested values as `a[b][0]=…` pairs.
    Flatten,
    QueryDeep,
    QueryProperties,
    QueryJoined,
    QueryJson,
    Form,
    Snippet,
    /// `Pending` and `execute`: sending a request and reading its body.
    Pending,
    /// `error_body`: decoding a documented error status's body.
    ErrorBody,
    /// `check`: documented error statuses of a response read later.
    Check,
    Read,
    /// `decode` and `located`.
    Decode,
    /// `build`, `next_link` and `link_pages`.
    LinkPages,
    CursorPages,
    Json,
    Enveloped,
    Text,
    Bytes,
    Success,
    Empty,
    /// `Key` and `deserialize_struct!`: `Deserialize` for the structs.
    DeserializeStruct,
    /// `types::Base64` (in `types.rs`), the codec of `format: byte` values:
    /// needed wherever one appears, in a type, a parameter, a body, a
    /// response or an error body.
    Base64,
    /// `Client::params` (in `client.rs`): the snapshot of the client's
    /// parameters and credentials a request reads.
    Params,
    /// `Scheme` and `Params::authorize` (in `client.rs`): sending the
    /// credentials an operation accepts.
    Authorize,
    /// `Event`, `SseParser` and `sse`: a `text/event-stream` response read
    /// as a stream of typed events.
    Sse,
    /// `json_lines`: a JSON Lines (or json-seq) response read as a stream
    /// of typed items.
    JsonLines,
}

/// The runtime helpers the crate needs.
#[derive(Clone, Debug, Default)]
pub struct Runtime {
    /// Each needed helper with the indices into `Model::groups` of the
    /// groups that need it; empty when it is always needed.
    pub helpers: std::collections::BTreeMap<Helper, Vec<GroupId>>,
}
