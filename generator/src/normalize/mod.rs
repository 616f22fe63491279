//! Stage 2½: normalisation. Rewrites an OpenAPI 3.1 or 3.2 document (its
//! raw JSON value, before merging and typed parsing) into the OpenAPI 3.0
//! form that `openapiv3` and the rest of the pipeline read, so one model
//! serves every version. 3.0 documents get only the repairs every version
//! needs.
//!
//! Every rewrite is recorded with the JSON pointer where it happened (in the
//! user's document). Things that move (webhook payloads, `$defs`, path items
//! from `components/pathItems`) are recorded as moves, so a pointer into the
//! normalised document still maps back to the user's file and line
//! ([`Rewrites::original`], used by [`Document::locate`]). What cannot be
//! expressed becomes a located warning and a safe fallback (any JSON value).
//!
//! Steps, in order (each in its own module):
//! 0. [`repair`], for every version: operation `callbacks` are dropped (a
//!    client does not serve them); 3.0 documents stop here;
//! 1. the document's own fields: `openapi`, `jsonSchemaDialect`,
//!    `info.summary`, `license.identifier`, `mutualTLS` security schemes;
//! 2. [`paths`]: path items given by `$ref` are inlined, `webhooks` become
//!    documented payload types in `components/schemas`;
//! 3. [`v32`], for 3.2 documents: `query` and `additionalOperations` move
//!    to `x-oas-operation-<METHOD>` extensions, `itemSchema` becomes the
//!    `schema` of one item, `$self` goes, unsupported 3.2 keywords warn;
//! 4. [`defs`]: `$defs` (and `definitions`) move to `components/schemas`,
//!    `$ref`s to them follow;
//! 5. [`walk`] visits every schema position, where [`schema`] rewrites the
//!    JSON Schema 2020-12 keywords (`type` arrays, `$ref` siblings, `const`,
//!    `examples`, numeric `exclusiveMinimum`, `contentEncoding`, …).

mod defs;
mod paths;
mod repair;
mod schema;
mod v32;
mod walk;

pub use v32::{DEFAULT_MAPPING, EXTRA_OPERATION, QUERYSTRING, is_32, is_token};

use serde_json::{Map, Value};

use crate::diag::Diagnostics;
use crate::parse::Document;

/// The version normalised documents claim.
pub const TARGET_VERSION: &str = "3.0.3";

/// Keys of a path item that are operations.
pub(crate) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One recorded rewrite: where (a pointer into the user's document) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rewrite {
    pub pointer: String,
    pub note: String,
}

/// Content moved from `from` (a pointer in the user's document) to `to` (in
/// the normalised one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Move {
    pub from: String,
    pub to: String,
}

/// What normalisation did to one document.
#[derive(Clone, Debug, Default)]
pub struct Rewrites {
    /// Rewrites that keep the meaning, in the order they were made.
    pub changes: Vec<Rewrite>,
    /// What could not be expressed (reported as warnings).
    pub warnings: Vec<Rewrite>,
    /// In the order they were made.
    pub moves: Vec<Move>,
}

impl Rewrites {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.warnings.is_empty() && self.moves.is_empty()
    }

    /// The pointer, in the user's document, of `pointer` in the normalised
    /// document (moves are undone, latest first).
    pub fn original(&self, pointer: &str) -> String {
        let mut p = pointer.to_owned();
        for m in self.moves.iter().rev() {
            if let Some(rest) = strip_pointer_prefix(&p, &m.to) {
                p = format!("{}{rest}", m.from);
            }
        }
        p
    }
}

/// `pointer` without `prefix` when `prefix` is a whole-token prefix of it.
pub(crate) fn strip_pointer_prefix<'p>(pointer: &'p str, prefix: &str) -> Option<&'p str> {
    let rest = pointer.strip_prefix(prefix)?;
    (rest.is_empty() || rest.starts_with('/')).then_some(rest)
}

/// Normalises a parsed document in place and reports what could not be
/// expressed, located in the user's file.
pub fn run(doc: &mut Document, diags: &mut Diagnostics) {
    doc.rewrites = normalize(&mut doc.value);
    for w in &doc.rewrites.warnings {
        diags.warning(w.note.clone(), Some(doc.locate(&w.pointer)));
    }
}

/// Whether a document needs normalising: any version but 3.0.x.
pub fn is_31(value: &Value) -> bool {
    match value.get("openapi") {
        Some(Value::String(s)) => !s.trim().starts_with("3.0"),
        Some(Value::Number(n)) => !n.to_string().starts_with("3.0") && n.to_string() != "3",
        _ => false,
    }
}

/// Rewrites a 3.1 document into 3.0 form; a 3.0 document only gets the
/// [`repair`]s that every version needs.
pub fn normalize(value: &mut Value) -> Rewrites {
    let mut cx = Cx::default();
    if !value.is_object() {
        return cx.rewrites;
    }
    repair::drop_callbacks(value, &mut cx);
    if !is_31(value) {
        return cx.finish();
    }
    let v32 = is_32(value);
    top(value, &mut cx);
    paths::inline_path_items(value, &mut cx);
    paths::webhooks(value, &mut cx);
    if v32 {
        v32::run(value, &mut cx);
    }
    defs::hoist(value, &mut cx);
    walk::document(value, &mut cx);
    cx.finish()
}

/// Normalises what overlays wrote into the merged document (already in 3.0
/// form): every schema at or below a written pointer, and every schema one
/// was written into, gets the 3.1 → 3.0 rewrites, so an overlay may write
/// `type: [string, "null"]`, `const` or `examples`. Keywords 3.0 also has
/// (`nullable`, boolean `exclusiveMinimum`, `example`) pass unchanged.
/// Everything else is left alone: a 3.0 document's `$ref` siblings keep
/// their 3.0 meaning where no overlay wrote.
pub fn overlaid(value: &mut Value, written: Vec<String>) -> Rewrites {
    let mut cx = Cx {
        scope: Some(written),
        ..Cx::default()
    };
    walk::document(value, &mut cx);
    cx.finish()
}

/// State of one normalisation.
#[derive(Debug, Default)]
pub(crate) struct Cx {
    rewrites: Rewrites,
    /// Only the parts of the document at, above or below these pointers
    /// (`None`: everything).
    scope: Option<Vec<String>>,
}

impl Cx {
    /// Whether the schema (or operation) at `ptr` is to be normalised: it
    /// is in scope, holds something in scope, or lies in it.
    pub(crate) fn touches(&self, ptr: &str) -> bool {
        self.scope.as_ref().is_none_or(|written| {
            written.iter().any(|w| {
                strip_pointer_prefix(ptr, w).is_some() || strip_pointer_prefix(w, ptr).is_some()
            })
        })
    }

    /// Whether `ptr` lies at or below something in scope.
    pub(crate) fn covers(&self, ptr: &str) -> bool {
        self.scope.as_ref().is_none_or(|written| {
            written
                .iter()
                .any(|w| strip_pointer_prefix(ptr, w).is_some())
        })
    }

    pub(crate) fn change(&mut self, pointer: &str, note: impl Into<String>) {
        self.rewrites.changes.push(Rewrite {
            pointer: pointer.to_owned(),
            note: note.into(),
        });
    }

    pub(crate) fn warn(&mut self, pointer: &str, note: impl Into<String>) {
        self.rewrites.warnings.push(Rewrite {
            pointer: pointer.to_owned(),
            note: note.into(),
        });
    }

    pub(crate) fn moved(&mut self, from: &str, to: &str) {
        self.rewrites.moves.push(Move {
            from: from.to_owned(),
            to: to.to_owned(),
        });
    }

    /// Records were made with pointers into the document as it was being
    /// rewritten; map them back to the user's document.
    fn finish(mut self) -> Rewrites {
        let r = &self.rewrites;
        let map = |list: &[Rewrite]| -> Vec<Rewrite> {
            list.iter()
                .map(|w| Rewrite {
                    pointer: r.original(&w.pointer),
                    note: w.note.clone(),
                })
                .collect()
        };
        let changes = map(&r.changes);
        let warnings = map(&r.warnings);
        self.rewrites.changes = changes;
        self.rewrites.warnings = warnings;
        self.rewrites
    }
}

/// The document's own fields.
fn top(value: &mut Value, cx: &mut Cx) {
    let Value::Object(root) = value else { return };
    if let Some(v) = root.get("openapi") {
        let was = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        cx.change(
            "/openapi",
            format!("version `{was}` read as `{TARGET_VERSION}` after normalising"),
        );
        root.insert("openapi".into(), Value::String(TARGET_VERSION.into()));
    }
    if let Some(dialect) = root.remove("jsonSchemaDialect") {
        let base = dialect
            .as_str()
            .is_some_and(|d| d.starts_with("https://spec.openapis.org/oas/3.1/dialect"));
        if base {
            cx.change(
                "/jsonSchemaDialect",
                "`jsonSchemaDialect` removed (the OpenAPI base dialect is assumed)",
            );
        } else {
            cx.warn(
                "/jsonSchemaDialect",
                format!("`jsonSchemaDialect` {dialect} is not supported; schemas are read as the OpenAPI 3.1 base dialect"),
            );
        }
    }
    if let Some(Value::Object(info)) = root.get_mut("info") {
        if let Some(summary) = info.remove("summary") {
            let summary = summary.as_str().unwrap_or_default().trim().to_owned();
            if !summary.is_empty() {
                let description = match info.get("description").and_then(Value::as_str) {
                    Some(d) if !d.trim().is_empty() => format!("{summary}\n\n{d}"),
                    _ => summary,
                };
                info.insert("description".into(), Value::String(description));
            }
            cx.change(
                "/info/summary",
                "`info.summary` moved to the start of `info.description`",
            );
        }
        if let Some(Value::Object(license)) = info.get_mut("license")
            && let Some(id) = license.remove("identifier")
        {
            if !license.contains_key("url")
                && let Some(id) = id.as_str()
            {
                license.insert(
                    "url".into(),
                    Value::String(format!("https://spdx.org/licenses/{id}.html")),
                );
            }
            cx.change(
                "/info/license/identifier",
                "`license.identifier` (SPDX) turned into a `license.url`",
            );
        }
    }
    if let Some(Value::Object(components)) = root.get_mut("components")
        && let Some(Value::Object(schemes)) = components.get_mut("securitySchemes")
    {
        let mtls: Vec<String> = schemes
            .iter()
            .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
            .map(|(k, _)| k.clone())
            .collect();
        for name in mtls {
            schemes.shift_remove(&name);
            cx.warn(
                &format!("/components/securitySchemes/{}", crate::diag::escape_token(&name)),
                format!("security scheme `{name}` (`mutualTLS`) is not expressible; configure client certificates on the `reqwest::Client` yourself"),
            );
        }
    }
}

/// A JSON object field as an object, if it is one.
pub(crate) fn object_mut<'v>(
    map: &'v mut Map<String, Value>,
    key: &str,
) -> Option<&'v mut Map<String, Value>> {
    map.get_mut(key).and_then(Value::as_object_mut)
}

#[cfg(test)]
mod tests;
