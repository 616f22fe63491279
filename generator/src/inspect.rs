//! What the generator would produce, as data: the crate's name and
//! features, every operation (its method, arguments, body and result) and
//! every type, and the warnings. `generator inspect` prints it (as text, or
//! as JSON with `--json`); tests assert on it instead of reading generated
//! code.
//!
//! The JSON form is a stable schema: [`SCHEMA_VERSION`] changes when a field
//! is removed or changes meaning (adding fields does not change it).

use serde::Serialize;

use crate::diag::{Diagnostics, Location, Severity};
use crate::model::{GroupId, Model, ParamLocation, ResponseKind, Ty, TypeKind};

/// Version of the JSON schema of [`Inspection`].
pub const SCHEMA_VERSION: u32 = 1;

/// What a generation produced, described.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Inspection {
    pub schema_version: u32,
    #[serde(rename = "crate")]
    pub krate: Crate,
    pub api: Api,
    pub operations: Vec<Operation>,
    pub types: Vec<Type>,
    pub warnings: Vec<Warning>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Crate {
    pub name: String,
    pub version: String,
    /// Cargo features (one per group of operations in split crates).
    pub features: Vec<String>,
    pub default_features: Vec<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub base_url: Option<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Operation {
    /// The client method.
    pub name: String,
    /// The `operationId`, or `METHOD /path` without one.
    pub id: String,
    pub method: String,
    pub path: String,
    /// The cargo feature that gates it, in split crates.
    pub feature: Option<String>,
    pub parameters: Vec<Parameter>,
    /// The request body's type, when there is one.
    pub body: Option<String>,
    /// What awaiting the request gives.
    pub returns: String,
    /// Whether it also has a `stream()` of items (pages or a streamed
    /// response).
    pub paged: bool,
    /// JSON pointer of the operation in the merged document.
    pub pointer: String,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Parameter {
    /// The Rust name (argument or setter).
    pub name: String,
    /// The name on the wire.
    pub wire: String,
    /// `path`, `query`, `header` or `cookie`.
    #[serde(rename = "in")]
    pub location: &'static str,
    #[serde(rename = "type")]
    pub ty: String,
    pub required: bool,
    /// Held by the client (a shared header), not passed per call.
    pub client: bool,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Type {
    pub name: String,
    /// `struct`, `string_enum`, `int_enum`, `untagged_union`,
    /// `tagged_union` or `alias`.
    pub kind: &'static str,
    /// Struct fields.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
    /// Enum values or union members, by Rust name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<String>,
    /// What an alias stands for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias_of: Option<String>,
    pub pointer: String,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub wire: String,
    #[serde(rename = "type")]
    pub ty: String,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Warning {
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub pointer: Option<String>,
    /// The overlay action that changed the value, when one did.
    pub overlay: Option<String>,
}

impl Inspection {
    pub fn new(model: &Model, diags: &Diagnostics) -> Inspection {
        let feature = |group: Option<GroupId>| {
            group
                .and_then(|g| model.group(g))
                .map(|g| g.name.rust.clone())
        };
        let operations = model
            .operations
            .iter()
            .map(|op| Operation {
                name: op.name.rust.clone(),
                id: op.name.wire.clone(),
                method: op.method.as_str().to_owned(),
                path: op.path.clone(),
                feature: feature(op.group),
                parameters: op
                    .params
                    .iter()
                    .map(|p| Parameter {
                        name: p.name.rust.clone(),
                        wire: p.name.wire.clone(),
                        location: match p.location {
                            ParamLocation::Path => "path",
                            ParamLocation::Query => "query",
                            ParamLocation::Header => "header",
                            ParamLocation::Cookie => "cookie",
                        },
                        ty: ty(&p.ty),
                        required: p.required,
                        client: p.client.is_some(),
                    })
                    .collect(),
                body: op.body.as_ref().map(|b| ty(&b.ty)),
                returns: match &op.response.kind {
                    ResponseKind::Json(t) | ResponseKind::Enveloped(t) => ty(t),
                    ResponseKind::Text => "String".to_owned(),
                    ResponseKind::Bytes => "Vec<u8>".to_owned(),
                    ResponseKind::Empty => "()".to_owned(),
                },
                paged: op.pagination.is_some() || op.response.stream.is_some(),
                pointer: op.pointer.clone(),
            })
            .collect();
        let types = model
            .types
            .iter()
            .map(|t| {
                let mut out = Type {
                    name: t.name.rust.clone(),
                    kind: "alias",
                    fields: Vec::new(),
                    variants: Vec::new(),
                    alias_of: None,
                    pointer: t.pointer.clone(),
                };
                match &t.kind {
                    TypeKind::Struct(s) => {
                        out.kind = "struct";
                        out.fields = s
                            .fields
                            .iter()
                            .map(|f| Field {
                                name: f.name.rust.clone(),
                                wire: f.name.wire.clone(),
                                ty: ty(&f.ty),
                            })
                            .collect();
                    }
                    TypeKind::StringEnum(vs) => {
                        out.kind = "string_enum";
                        out.variants = vs.iter().map(|v| v.name.rust.clone()).collect();
                    }
                    TypeKind::IntEnum { values, .. } => {
                        out.kind = "int_enum";
                        out.variants = values.iter().map(|v| v.name.rust.clone()).collect();
                    }
                    TypeKind::Untagged(vs) => {
                        out.kind = "untagged_union";
                        out.variants = vs.iter().map(|v| v.name.rust.clone()).collect();
                    }
                    TypeKind::Tagged { variants, .. } => {
                        out.kind = "tagged_union";
                        out.variants = variants.iter().map(|v| v.name.rust.clone()).collect();
                    }
                    TypeKind::Alias(t) => out.alias_of = Some(ty(t)),
                }
                out
            })
            .collect();
        let warnings = diags
            .sorted()
            .into_iter()
            .filter(|d| d.severity == Severity::Warning)
            .map(|d| Warning {
                message: d.message.clone(),
                file: d.location.as_ref().map(|l| l.file.clone()),
                line: d.location.as_ref().map(|l| l.line),
                pointer: d.location.as_ref().map(|l| l.pointer.clone()),
                overlay: d
                    .location
                    .as_ref()
                    .and_then(|l| l.overlay.as_deref())
                    .map(Location::to_string),
            })
            .collect();
        Inspection {
            schema_version: SCHEMA_VERSION,
            krate: Crate {
                name: model.crate_info.name.clone(),
                version: model.crate_info.version.clone(),
                features: model.crate_info.features.clone(),
                default_features: model.crate_info.default_features.clone(),
            },
            api: Api {
                title: model.info.title.clone(),
                version: model.info.version.clone(),
                base_url: model.info.default_base_url.clone(),
            },
            operations,
            types,
            warnings,
        }
    }

    /// The operation with this `operationId` (or `METHOD /path`).
    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.operations.iter().find(|o| o.id == id)
    }

    /// The type with this Rust name.
    pub fn ty(&self, name: &str) -> Option<&Type> {
        self.types.iter().find(|t| t.name == name)
    }

    /// A short text form, for people.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let k = &self.krate;
        out.push_str(&format!(
            "crate {} {} ({} {})\n",
            k.name, k.version, self.api.title, self.api.version
        ));
        if !k.features.is_empty() {
            out.push_str(&format!(
                "features: {} (default: {})\n",
                k.features.join(", "),
                if k.default_features.is_empty() {
                    "none".to_owned()
                } else {
                    k.default_features.join(", ")
                }
            ));
        }
        out.push_str(&format!("\noperations ({}):\n", self.operations.len()));
        for op in &self.operations {
            let args: Vec<String> = op
                .parameters
                .iter()
                .filter(|p| p.required && !p.client)
                .map(|p| format!("{}: {}", p.name, p.ty))
                .chain(op.body.iter().map(|b| format!("body: {b}")))
                .collect();
            out.push_str(&format!(
                "  {}({}) -> {}    {} {}{}\n",
                op.name,
                args.join(", "),
                op.returns,
                op.method,
                op.path,
                op.feature
                    .as_ref()
                    .map(|f| format!("    [feature {f}]"))
                    .unwrap_or_default()
            ));
        }
        out.push_str(&format!("\ntypes ({}):\n", self.types.len()));
        for t in &self.types {
            let what = match (t.kind, &t.alias_of) {
                ("alias", Some(of)) => format!("= {of}"),
                ("struct", _) => format!("{} fields", t.fields.len()),
                (kind, _) => format!("{kind}, {} values", t.variants.len()),
            };
            out.push_str(&format!("  {} ({what})\n", t.name));
        }
        out.push_str(&format!("\nwarnings ({})\n", self.warnings.len()));
        out
    }
}

/// A type as the generated code spells it (paths shortened).
pub fn ty(t: &Ty) -> String {
    match t {
        Ty::Bool => "bool".into(),
        Ty::I32 => "i32".into(),
        Ty::I64 => "i64".into(),
        Ty::F32 => "f32".into(),
        Ty::F64 => "f64".into(),
        Ty::String => "String".into(),
        Ty::Json(_) => "serde_json::Value".into(),
        Ty::Bytes => "Vec<u8>".into(),
        Ty::DateTime => "chrono::DateTime<chrono::Utc>".into(),
        Ty::Date => "chrono::NaiveDate".into(),
        Ty::Uuid => "uuid::Uuid".into(),
        Ty::Base64 => "types::Base64".into(),
        Ty::Named(n) => n.clone(),
        Ty::Vec(i) => format!("Vec<{}>", ty(i)),
        Ty::Map(i) => format!("BTreeMap<String, {}>", ty(i)),
        Ty::Option(i) => format!("Option<{}>", ty(i)),
        Ty::Box(i) => format!("Box<{}>", ty(i)),
    }
}
