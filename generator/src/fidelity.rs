//! The fidelity report: how much of the spec the generated client covers.
//!
//! Compile rates hide dropped parameters and untyped fields, so every run
//! measures them. The spec side is counted from the merged document itself
//! (independently of lowering's own bookkeeping), the client side from the
//! model, and the two are matched by JSON pointer and parameter identity, so
//! whatever lowering drops without saying shows up here.
//!
//! Counts:
//! - operations in the spec and operations that became client methods;
//! - parameters in the spec (path-level and operation-level, one per name
//!   and location) and those the client can send (a setter, an argument, a
//!   client setting, or a credential the operation accepts);
//! - values typed `serde_json::Value`, by [`Untyped`] cause, with where;
//! - security alternatives in the spec and those the client can send.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::diag::escape_token;
use crate::merge::Api;
use crate::model::{
    CredentialKind, Holder, Model, OpSite, ParamLocation, Site, Ty, TypeKind, Untyped,
};
use crate::normalize::{EXTRA_OPERATION, METHODS};

/// What a client covers of its spec.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fidelity {
    /// Operations in the spec.
    pub spec_operations: usize,
    /// Client methods generated for them.
    pub methods: usize,
    /// Operations of the spec without a method, with why.
    pub skipped_operations: Vec<Lost>,
    /// Parameters in the spec.
    pub spec_parameters: usize,
    /// Of those, the ones the client can send.
    pub sendable_parameters: usize,
    /// Parameters of the spec the client cannot send, with why.
    pub dropped_parameters: Vec<Lost>,
    /// Every value typed `serde_json::Value`, with its cause.
    pub untyped: Vec<UntypedUse>,
    /// Security alternatives in the spec (distinct sets of schemes, per operation).
    pub spec_security: usize,
    /// Of those, the ones the client can send.
    pub sendable_security: usize,
}

/// Something of the spec the client does not have.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Lost {
    /// JSON pointer into the merged document.
    pub pointer: String,
    pub why: String,
}

/// A value typed `serde_json::Value`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct UntypedUse {
    pub cause: Untyped,
    pub place: Place,
    /// JSON pointer of the property, parameter, body or schema.
    pub pointer: String,
}

/// What is untyped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    /// A property of a struct (or its map of further properties).
    Property,
    /// A variant of a union.
    Variant,
    /// A named schema that is any JSON (`pub type X = serde_json::Value`).
    Schema,
    Parameter,
    Body,
    Response,
}

impl Place {
    pub fn label(self) -> &'static str {
        match self {
            Place::Property => "property",
            Place::Variant => "union variant",
            Place::Schema => "schema",
            Place::Parameter => "parameter",
            Place::Body => "request body",
            Place::Response => "response",
        }
    }
}

impl Fidelity {
    /// Untyped values of one cause.
    pub fn untyped_by(&self, cause: Untyped) -> usize {
        self.untyped.iter().filter(|u| u.cause == cause).count()
    }

    /// One line: `operations 12/12, parameters 30/31, untyped 4 (…), security 2/2`.
    pub fn summary(&self) -> String {
        let causes = [
            Untyped::Any,
            Untyped::Inexpressible,
            Untyped::MixesKinds,
            Untyped::Unsupported,
        ]
        .iter()
        .map(|c| format!("{} {}", c.label(), self.untyped_by(*c)))
        .collect::<Vec<_>>()
        .join(", ");
        format!(
            "operations {}/{}, parameters {}/{} sendable, Value-typed {} ({causes}), security alternatives {}/{}",
            self.methods,
            self.spec_operations,
            self.sendable_parameters,
            self.spec_parameters,
            self.untyped.len(),
            self.sendable_security,
            self.spec_security,
        )
    }
}

impl Fidelity {
    /// One line per thing the client lacks or leaves untyped, with its pointer.
    pub fn details(&self) -> Vec<String> {
        let mut out = Vec::new();
        for l in &self.skipped_operations {
            out.push(format!("operation skipped: #{}: {}", l.pointer, l.why));
        }
        for l in &self.dropped_parameters {
            out.push(format!("parameter dropped: #{}: {}", l.pointer, l.why));
        }
        for u in &self.untyped {
            out.push(format!(
                "Value-typed {} ({}): #{}",
                u.place.label(),
                u.cause.label(),
                u.pointer
            ));
        }
        out
    }
}

/// Measures the model against the merged document it was lowered from.
pub fn measure(api: &Api, model: &Model) -> Fidelity {
    let mut fidelity = Fidelity::default();
    let by_pointer: BTreeMap<&str, &crate::model::Operation> = model
        .operations
        .iter()
        .map(|o| (o.pointer.as_str(), o))
        .collect();
    let root = &api.raw;
    for (path, item) in root
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let item_ptr = format!("/paths/{}", escape_token(path));
        let Some(item) = follow(root, item) else {
            continue;
        };
        let shared = params_of(
            root,
            item.get("parameters"),
            &format!("{item_ptr}/parameters"),
        );
        // The classic methods, then 3.2's other methods (carried by
        // normalisation as `x-oas-operation-<METHOD>`).
        let extra = item
            .as_object()
            .into_iter()
            .flat_map(|m| m.keys())
            .filter(|k| k.starts_with(EXTRA_OPERATION))
            .map(String::as_str);
        for method in METHODS.into_iter().chain(extra) {
            let Some(op) = item.get(method).filter(|o| o.is_object()) else {
                continue;
            };
            let op_ptr = format!("{item_ptr}/{}", escape_token(method));
            fidelity.spec_operations += 1;
            let mut params = shared.clone();
            for (key, p) in params_of(root, op.get("parameters"), &format!("{op_ptr}/parameters")) {
                params.insert(key, p);
            }
            fidelity.spec_parameters += params.len();
            let alternatives = security_of(root, op);
            fidelity.spec_security += alternatives.len();
            let Some(generated) = by_pointer.get(op_ptr.as_str()) else {
                fidelity.skipped_operations.push(Lost {
                    pointer: op_ptr.clone(),
                    why: "no client method".to_owned(),
                });
                for (_, p) in params {
                    fidelity.dropped_parameters.push(Lost {
                        pointer: p.pointer,
                        why: "its operation has no method".to_owned(),
                    });
                }
                continue;
            };
            fidelity.methods += 1;
            let sent: BTreeSet<ParamKey> = generated
                .params
                .iter()
                .filter(|p| p.pointer.is_some())
                .map(|p| ParamKey::new(&p.name.wire, p.location))
                .collect();
            // API keys the operation accepts are sent as credentials.
            let keys: BTreeSet<ParamKey> = generated
                .security
                .iter()
                .flatten()
                .filter_map(|i| match &model.credential(*i)?.kind {
                    CredentialKind::ApiKey { location, name } => {
                        Some(ParamKey::new(name, *location))
                    }
                    _ => None,
                })
                .collect();
            for (key, p) in params {
                if p.unreadable {
                    fidelity.dropped_parameters.push(Lost {
                        pointer: p.pointer,
                        why: "its `$ref` names no parameter".to_owned(),
                    });
                } else if sent.contains(&key) || keys.contains(&key) {
                    fidelity.sendable_parameters += 1;
                } else {
                    fidelity.dropped_parameters.push(Lost {
                        pointer: p.pointer,
                        why: "the client cannot send it".to_owned(),
                    });
                }
            }
            fidelity.sendable_security += generated.security.len().min(alternatives.len());
        }
    }
    untyped(model, &mut fidelity.untyped);
    fidelity.skipped_operations.sort();
    fidelity.dropped_parameters.sort();
    fidelity.untyped.sort();
    fidelity
}

/// A parameter's identity: its name (case-insensitive for headers) and location.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct ParamKey {
    location: ParamLocation,
    name: String,
}

impl ParamKey {
    fn new(name: &str, location: ParamLocation) -> Self {
        let name = if location == ParamLocation::Header {
            name.to_ascii_lowercase()
        } else {
            name.to_owned()
        };
        ParamKey { location, name }
    }
}

#[derive(Clone, Debug)]
struct SpecParam {
    pointer: String,
    /// A `$ref` that leads nowhere.
    unreadable: bool,
}

/// The parameters of a `parameters` list, by identity (later entries win).
fn params_of(root: &Value, list: Option<&Value>, base: &str) -> BTreeMap<ParamKey, SpecParam> {
    let mut out = BTreeMap::new();
    for (i, entry) in list
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let pointer = format!("{base}/{i}");
        let resolved = follow(root, entry);
        let name = resolved.and_then(|p| p.get("name")).and_then(Value::as_str);
        let location = resolved
            .and_then(|p| p.get("in"))
            .and_then(Value::as_str)
            .and_then(|l| match l {
                "path" => Some(ParamLocation::Path),
                "query" => Some(ParamLocation::Query),
                "header" => Some(ParamLocation::Header),
                "cookie" => Some(ParamLocation::Cookie),
                _ => None,
            });
        match (name, location) {
            (Some(name), Some(location)) => {
                out.insert(
                    ParamKey::new(name, location),
                    SpecParam {
                        pointer,
                        unreadable: false,
                    },
                );
            }
            _ => {
                // Keyed by position so each unreadable entry counts once.
                out.insert(
                    ParamKey {
                        location: ParamLocation::Cookie,
                        name: format!("\u{0}{pointer}"),
                    },
                    SpecParam {
                        pointer,
                        unreadable: true,
                    },
                );
            }
        }
    }
    out
}

/// The distinct non-empty security alternatives of an operation (its own
/// `security`, else the document's).
fn security_of(root: &Value, op: &Value) -> BTreeSet<Vec<String>> {
    let list = op.get("security").or_else(|| root.get("security"));
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .map(|alt| {
            let mut names: Vec<String> = alt.keys().cloned().collect();
            names.sort();
            names
        })
        .filter(|names| !names.is_empty())
        .collect()
}

/// Follows `$ref`s within the document (a few hops).
fn follow<'v>(root: &'v Value, mut value: &'v Value) -> Option<&'v Value> {
    for _ in 0..16 {
        match value.get("$ref").and_then(Value::as_str) {
            Some(r) => value = root.pointer(&crate::diag::fragment_pointer(r)?)?,
            None => return Some(value),
        }
    }
    None
}

/// Every use of `serde_json::Value` in the model, with its cause: in
/// types, parameters, bodies and success responses (paged items, error
/// bodies and envelope fields are types counted where they are defined).
fn untyped(model: &Model, out: &mut Vec<UntypedUse>) {
    for (site, ty) in model.tys() {
        let Some(cause) = cause(ty) else { continue };
        let (place, pointer) = match site {
            Site::Type(def, how) => match (how, &def.kind) {
                (Holder::Field(i), TypeKind::Struct(s)) => {
                    let wire = s.fields.get(i).map_or("", |f| f.name.wire.as_str());
                    let pointer = format!("{}/properties/{}", def.pointer, escape_token(wire));
                    (Place::Property, pointer)
                }
                (Holder::Additional, _) => (
                    Place::Property,
                    format!("{}/additionalProperties", def.pointer),
                ),
                (Holder::Variant(_), _) => (Place::Variant, def.pointer.clone()),
                (Holder::Alias | Holder::Field(_), _) => (Place::Schema, def.pointer.clone()),
            },
            Site::Operation(op, OpSite::Param(i)) => {
                let pointer = op.param(i).and_then(|p| p.pointer.clone());
                (
                    Place::Parameter,
                    pointer.unwrap_or_else(|| op.pointer.clone()),
                )
            }
            Site::Operation(op, OpSite::Body) => match &op.body {
                Some(b) if b.kind != crate::model::BodyKind::EmptyObject => {
                    (Place::Body, b.pointer.clone())
                }
                _ => continue,
            },
            Site::Operation(op, OpSite::Response) => {
                (Place::Response, format!("{}/responses", op.pointer))
            }
            Site::Operation(_, OpSite::PagedItem | OpSite::StreamItem)
            | Site::ErrorBody(_)
            | Site::Envelope(_) => {
                continue;
            }
        };
        out.push(UntypedUse {
            cause,
            place,
            pointer,
        });
    }
}

/// The cause of the first `serde_json::Value` inside `ty`, if any.
fn cause(ty: &Ty) -> Option<Untyped> {
    let mut found = None;
    ty.walk(&mut |t| {
        if let Ty::Json(c) = t {
            found.get_or_insert(*c);
        }
    });
    found
}
