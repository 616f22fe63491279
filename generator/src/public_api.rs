//! The public API of a generated crate, described compactly: what user code
//! can name (client methods, their arguments and setters, types, their
//! fields and variants, features) and where each comes from in the spec.
//!
//! The generator writes it into the crate as `public-api.toml`, beside
//! `Cargo.toml`: deterministic (sorted maps), one line per member, reviewed
//! like a lockfile. Regenerating compares the new description with the one
//! on disk (`changes`); the description is computed from the [`Model`], never
//! from generated text.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::format::{GeneratedFile, header};
use crate::model::{GroupId, Model, Operation, ResponseKind, Ty, TypeDef, TypeKind, Usage};

/// Where the description is written, relative to the crate root.
pub const FILE: &str = "public-api.toml";

/// Bumped when the file's layout changes; an older layout is not compared.
pub const FORMAT: u32 = 1;

/// The public API of one generated crate.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicApi {
    pub format: u32,
    #[serde(rename = "crate")]
    pub krate: CrateEntry,
    /// Cargo features (one per tag in a split crate).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
    /// `Client` methods that are not operations: settings and credentials
    /// (`with_token`, `set_token`) → what they set.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub client: BTreeMap<String, String>,
    /// Variants of the crate's `ErrorBody` enum → the type each holds.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub errors: BTreeMap<String, String>,
    /// Client methods, one per operation, by name.
    #[serde(default)]
    pub methods: BTreeMap<String, Method>,
    /// Items of the `types` module, by name.
    #[serde(default)]
    pub types: BTreeMap<String, TypeEntry>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrateEntry {
    pub name: String,
    pub version: String,
}

/// A client method and its request builder.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Method {
    /// JSON pointer of the operation (`/paths/~1pets/get`).
    pub at: String,
    /// `METHOD /path`.
    pub http: String,
    /// The cargo feature that gates it, in a split crate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    /// The request builder type (`builder::{builder}`).
    pub builder: String,
    /// The method's arguments, in order: `name: Type`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// What awaiting the builder gives.
    pub returns: String,
    /// The item type of `.stream()`, for paged operations and streamed
    /// responses (`Event<T>` for Server-Sent Events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<String>,
    /// Optional parameters: builder setters → the type they take.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub setters: BTreeMap<String, String>,
    /// Where each argument and setter is declared (not written: the
    /// operation's pointer locates what the file no longer has).
    #[serde(skip)]
    pub params_at: BTreeMap<String, String>,
}

/// The kind of a `types` item.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    #[default]
    Struct,
    /// A string enum (with an `Other(String)` variant for unknown values).
    Enum,
    /// A newtype over an integer with one constant per known value.
    IntEnum,
    /// An enum with one variant per alternative (`oneOf`/`anyOf`).
    Union,
    /// `pub type Name = …;`
    Alias,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Struct => "struct",
            Kind::Enum => "enum",
            Kind::IntEnum => "integer enum",
            Kind::Union => "union",
            Kind::Alias => "alias",
        }
    }
}

/// An item of the `types` module.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeEntry {
    /// JSON pointer of the schema it comes from (none: the generator's own,
    /// as the response envelope).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub at: String,
    pub kind: Kind,
    /// The features that make it available (any of them), in a split crate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
    /// Traits user code may rely on beyond `Clone`, `Debug` and `PartialEq`
    /// (which every type has): `Default`, `Serialize`, `Deserialize`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub traits: Vec<String>,
    /// `#[non_exhaustive]`: user code can neither build it with a struct
    /// literal nor match it without a wildcard, so additions are compatible.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub non_exhaustive: bool,
    /// The aliased type (`Alias`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// The integer it wraps (`IntEnum`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repr: Option<String>,
    /// Variant names (`Enum`, without `Other`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<String>,
    /// The property that selects a union's variant, when one does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// Union variants → the type each holds (`Union`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub members: BTreeMap<String, String>,
    /// Known values: constant → value (`IntEnum`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub constants: BTreeMap<String, i64>,
    /// Fields → their type (`Struct`); `Option<…>` fields may be absent.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
    /// The arguments of `new` (`name: Type`), for a struct user code builds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<Vec<String>>,
    /// The setters of its optional fields, for a struct user code builds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub setters: Vec<String>,
    /// Field name → its property's wire name, where they differ (not
    /// written: used to locate a field in the spec).
    #[serde(skip)]
    pub wire: BTreeMap<String, String>,
}

/// A type as written in the description: Rust syntax, with `types` items
/// by their bare name (as `generator inspect` writes them).
pub fn ty_text(ty: &Ty) -> String {
    crate::inspect::ty(ty)
}

impl PublicApi {
    /// The description of the crate `model` is emitted as.
    pub fn of(model: &Model) -> PublicApi {
        let feature = |g: &GroupId| model.group(*g).map(|g| g.name.rust.clone());
        let mut client = BTreeMap::new();
        for p in &model.client_params {
            let what = format!("setting `{}`", p.name.wire);
            client.insert(format!("with_{}", p.name.rust), what.clone());
            client.insert(format!("set_{}", p.name.rust), what);
        }
        for c in &model.credentials {
            let what = format!("credential `{}`", c.name.wire);
            client.insert(format!("with_{}", c.name.rust), what.clone());
            client.insert(format!("set_{}", c.name.rust), what);
        }
        let errors = model
            .error_bodies
            .iter()
            .map(|b| (b.variant.clone(), ty_text(&b.ty)))
            .collect();
        let methods = model
            .operations
            .iter()
            .map(|op| {
                (
                    op.name.rust.clone(),
                    method(op, op.group.as_ref().and_then(feature)),
                )
            })
            .collect();
        let mut types: BTreeMap<String, TypeEntry> = model
            .types
            .iter()
            .map(|d| {
                (
                    d.name.rust.clone(),
                    type_entry(d, d.groups.iter().filter_map(feature).collect()),
                )
            })
            .collect();
        if let Some(e) = &model.envelope {
            let mut fields: BTreeMap<String, String> = e
                .fields
                .iter()
                .map(|f| (f.name.rust.clone(), ty_text(&f.ty)))
                .collect();
            fields.insert(e.data.rust.clone(), "Option<T>".into());
            types.insert(
                e.name.clone(),
                TypeEntry {
                    at: String::new(),
                    kind: Kind::Struct,
                    traits: vec!["Deserialize".into(), "Serialize".into()],
                    fields,
                    ..TypeEntry::default()
                },
            );
        }
        PublicApi {
            format: FORMAT,
            krate: CrateEntry {
                name: model.crate_info.name.clone(),
                version: model.crate_info.version.clone(),
            },
            features: model.crate_info.features.clone(),
            client,
            errors,
            methods,
            types,
        }
    }

    /// The file written into the crate.
    pub fn file(&self, command: &str) -> GeneratedFile {
        let body = toml::to_string(self).unwrap_or_default();
        GeneratedFile {
            path: FILE.to_owned(),
            contents: format!(
                "{}{}{body}",
                header(command, "#"),
                "# The crate's public API as the generator produced it; regenerating compares\n\
                 # the new API with this one and reports what changed (and whether it breaks).\n\n"
            ),
        }
    }

    /// Reads a description written by [`PublicApi::file`]; `None` when it
    /// is of another layout or does not read.
    pub fn parse(text: &str) -> Result<PublicApi, String> {
        let api: PublicApi = toml::from_str(text).map_err(|e| e.to_string())?;
        if api.format != FORMAT {
            return Err(format!(
                "layout {} (this generator writes layout {FORMAT})",
                api.format
            ));
        }
        Ok(api)
    }
}

fn method(op: &Operation, feature: Option<String>) -> Method {
    let mut args = Vec::new();
    let mut setters = BTreeMap::new();
    let mut params_at = BTreeMap::new();
    for i in op.positional() {
        if let Some(p) = op.param(i) {
            args.push(format!("{}: {}", p.name.rust, ty_text(&p.ty)));
        }
    }
    for p in &op.params {
        if let Some(at) = &p.pointer {
            params_at.insert(p.name.rust.clone(), at.clone());
        }
        if !p.is_positional() {
            setters.insert(p.name.rust.clone(), ty_text(&p.ty));
        }
    }
    if let Some(b) = &op.body
        && b.kind != crate::model::BodyKind::EmptyObject
    {
        params_at.insert("body".into(), b.pointer.clone());
        if b.required {
            args.push(format!("body: {}", ty_text(&b.ty)));
        } else {
            setters.insert("body".into(), ty_text(&b.ty));
        }
    }
    let returns = match &op.response.kind {
        ResponseKind::Json(t) | ResponseKind::Enveloped(t) => ty_text(t),
        ResponseKind::Text => "String".into(),
        ResponseKind::Bytes => "Vec<u8>".into(),
        ResponseKind::Empty => "()".into(),
    };
    let stream = op
        .pagination
        .as_ref()
        .map(|p| ty_text(p.item()))
        .or_else(|| {
            // A streamed response's item: SSE events carry their data.
            let s = op.response.stream.as_ref()?;
            Some(match s.format {
                crate::model::StreamFormat::Sse => format!("Event<{}>", ty_text(&s.item)),
                crate::model::StreamFormat::JsonLines | crate::model::StreamFormat::JsonSeq => {
                    ty_text(&s.item)
                }
            })
        });
    Method {
        at: op.pointer.clone(),
        http: format!("{} {}", op.method.as_str(), op.path),
        feature,
        builder: op.builder.clone(),
        args,
        returns,
        stream,
        setters,
        params_at,
    }
}

fn traits(def: &TypeDef) -> Vec<String> {
    let Usage {
        serialize,
        deserialize,
    } = def.usage;
    let mut out = Vec::new();
    // As `emit::types` derives it: structs built to be sent.
    if def.default && serialize && matches!(def.kind, TypeKind::Struct(_)) {
        out.push("Default".to_owned());
    }
    if deserialize {
        out.push("Deserialize".to_owned());
    }
    if serialize {
        out.push("Serialize".to_owned());
    }
    out
}

fn type_entry(def: &TypeDef, features: Vec<String>) -> TypeEntry {
    let mut e = TypeEntry {
        at: def.pointer.clone(),
        non_exhaustive: def.non_exhaustive,
        features,
        ..TypeEntry::default()
    };
    match &def.kind {
        TypeKind::Struct(s) => {
            e.kind = Kind::Struct;
            e.traits = traits(def);
            for f in &s.fields {
                e.fields.insert(f.name.rust.clone(), ty_text(&f.ty));
                if f.name.wire != f.name.rust {
                    e.wire.insert(f.name.rust.clone(), f.name.wire.clone());
                }
            }
            if let Some(c) = &s.constructor {
                let field = |i: &usize| s.fields.get(*i);
                e.new = Some(
                    c.args
                        .iter()
                        .filter_map(field)
                        .map(|f| format!("{}: {}", f.name.rust, ty_text(&f.ty)))
                        .collect(),
                );
                e.setters = c.setters.iter().map(|(_, n)| n.clone()).collect();
                e.setters.sort();
            }
            if let Some(a) = &s.additional {
                e.fields.insert(
                    "additional_properties".into(),
                    format!("BTreeMap<String, {}>", ty_text(a)),
                );
            }
        }
        TypeKind::StringEnum(vs) => {
            e.kind = Kind::Enum;
            e.traits = traits(def);
            e.variants = vs.iter().map(|v| v.name.rust.clone()).collect();
        }
        TypeKind::IntEnum { ty, values } => {
            e.kind = Kind::IntEnum;
            e.traits = traits(def);
            e.repr = Some(ty_text(ty));
            e.constants = values
                .iter()
                .map(|v| (v.name.rust.clone(), v.value))
                .collect();
        }
        TypeKind::Untagged(vs) | TypeKind::Tagged { variants: vs, .. } => {
            e.kind = Kind::Union;
            e.traits = traits(def);
            if let TypeKind::Tagged { tag, .. } = &def.kind {
                e.tag = Some(tag.clone());
            }
            e.members = vs
                .iter()
                .map(|v| (v.name.rust.clone(), ty_text(&v.ty)))
                .collect();
        }
        TypeKind::Alias(t) => {
            e.kind = Kind::Alias;
            e.alias = Some(ty_text(t));
        }
    }
    e
}
