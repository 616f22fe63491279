//! The common response envelope: when the config says the API wraps its
//! payloads (`[envelope]`), responses whose inline object schemas share the
//! same non-payload properties (same names and types; descriptions may
//! differ) become one generic `Envelope<T>`, and their methods return `T`.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{ReferenceOr, SchemaKind, Type};
use serde_json::Value;

use crate::config::EnvelopeConfig;
use crate::diag::Diagnostics;
use crate::lower::operations::{Found, success_json_schema};
use crate::lower::types::{SchemaRef, TypeSpace};
use crate::merge::Api;
use crate::model::{Envelope, Literal, SuccessRule, Ty};
use crate::naming::Name;

/// The envelope and the operations (indices into `found`) that use it.
pub struct Detected {
    pub envelope: Envelope,
    pub members: BTreeSet<usize>,
}

/// A schema's shape: its JSON without the keys that only document it.
fn shape(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| {
                    !matches!(k.as_str(), "description" | "title" | "example" | "examples")
                })
                .map(|(k, v)| (k.clone(), shape(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(shape).collect()),
        other => other.clone(),
    }
}

pub fn detect(
    api: &Api,
    found: &[Found<'_>],
    cfg: &EnvelopeConfig,
    types: &mut TypeSpace<'_>,
    diags: &mut Diagnostics,
) -> Option<Detected> {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, f) in found.iter().enumerate() {
        let Some((ReferenceOr::Item(s), _)) = success_json_schema(api, f) else {
            continue;
        };
        let SchemaKind::Type(Type::Object(o)) = &s.schema_kind else {
            continue;
        };
        if !o.properties.contains_key(&cfg.data) {
            continue;
        }
        let rest: BTreeMap<&String, Value> = o
            .properties
            .iter()
            .filter(|(k, _)| **k != cfg.data)
            .map(|(k, v)| {
                (
                    k,
                    serde_json::to_value(v)
                        .map(|v| shape(&v))
                        .unwrap_or(Value::Null),
                )
            })
            .collect();
        if rest.len() < 2 {
            continue;
        }
        let key = serde_json::to_string(&rest).unwrap_or_default();
        groups.entry(key).or_default().push(i);
    }
    let (_, members) = groups
        .into_iter()
        .filter(|(_, m)| m.len() >= 2)
        .max_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.0.cmp(&a.0)))?;
    let first = *members.first()?;
    let (schema, ptr) = success_json_schema(api, &found[first])?;
    let ReferenceOr::Item(s) = schema else {
        return None;
    };
    let SchemaKind::Type(Type::Object(o)) = &s.schema_kind else {
        return None;
    };
    let props: Vec<(&String, SchemaRef<'_>)> = o
        .properties
        .iter()
        .filter(|(k, _)| **k != cfg.data)
        .map(|(k, v)| (k, v.into()))
        .collect();
    let name = types.claim("Envelope");
    let fields = types.fields(&props, &o.required, &name, false, &ptr, diags);
    let data = Name {
        wire: cfg.data.clone(),
        rust: crate::naming::snake(&cfg.data, "data"),
    };
    let success = cfg.success.as_ref().and_then(|rule| {
        let field = fields.iter().find(|f| f.name.wire == rule.field);
        let value = match &rule.equals {
            toml::Value::String(s) => Some(Literal::Str(s.clone())),
            toml::Value::Boolean(b) => Some(Literal::Bool(*b)),
            toml::Value::Integer(i) => Some(Literal::Int(*i)),
            _ => None,
        };
        match (field, value) {
            (Some(f), Some(value)) => {
                let (ty, optional) = match &f.ty {
                    Ty::Option(inner) => ((**inner).clone(), true),
                    t => (t.clone(), false),
                };
                let fits = matches!(
                    (&ty, &value),
                    (Ty::String, Literal::Str(_)) | (Ty::Bool, Literal::Bool(_)) | (Ty::I32 | Ty::I64, Literal::Int(_))
                );
                if !fits {
                    diags.error(
                        format!("envelope success rule: `{}` cannot be compared with {:?}", rule.field, rule.equals),
                        None,
                    );
                    return None;
                }
                Some(SuccessRule { field: f.name.rust.clone(), ty, optional, value })
            }
            _ => {
                diags.error(
                    format!("envelope success rule names `{}`, which the envelope does not have, or a value that is not a string, boolean or integer", rule.field),
                    None,
                );
                None
            }
        }
    });
    Some(Detected {
        envelope: Envelope {
            name,
            fields,
            data,
            success,
        },
        members: members.into_iter().collect(),
    })
}
