//! Stage 3: the merged API. Folds every document into one OpenAPI document,
//! remembers which document each path operation and component came from, and
//! parses the result into `openapiv3::OpenAPI`.

mod de;
mod repair;

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::diag::{Diagnostics, Location, escape_token, pointer_tokens};
use crate::parse::Document;

/// Keys of a path item that are operations.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// All documents merged into one.
#[derive(Debug)]
pub struct Api {
    pub openapi: openapiv3::OpenAPI,
    /// The merged document as JSON, for what `openapiv3` does not model.
    pub raw: Value,
    docs: Vec<DocOrigin>,
    /// `/paths/{path}/{method}`, `/components/{kind}/{name}` etc. → document.
    origins: BTreeMap<String, usize>,
    /// List entries that lenient reading removed, so that pointers into
    /// `raw` map back to the documents (see `repair::before_removals`).
    removed: Vec<String>,
    /// What overlays wrote and removed (applied before lenient reading).
    overlaid: crate::overlay::Applied,
    /// Operations of methods `openapiv3::PathItem` has no field for (3.2's
    /// `query` and `additionalOperations`, carried by normalisation as
    /// `x-oas-operation-<METHOD>` extensions), in (path, method) order.
    pub extra_operations: Vec<ExtraOperation>,
}

/// An operation of a method other than the eight classic ones.
#[derive(Debug)]
pub struct ExtraOperation {
    pub path: String,
    /// Upper case, an RFC 9110 token (`QUERY`, `COPY`).
    pub method: String,
    /// The extension's key in the path item.
    pub key: String,
    pub op: openapiv3::Operation,
}

#[derive(Debug)]
struct DocOrigin {
    doc: Document,
}

impl Api {
    /// The user's file and line for a pointer into the merged document.
    pub fn locate(&self, pointer: &str) -> Location {
        let pointer = repair::before_removals(&self.removed, pointer);
        if self.overlaid.is_empty() {
            return self.locate_in_documents(&pointer);
        }
        // Where the overlay wrote it, and where the spec has it (for a copy,
        // where it was copied from).
        let overlay = self.overlaid.find(&pointer);
        let in_spec = match &overlay {
            Some((_, Some(from))) => from.clone(),
            _ => repair::before_removals(&self.overlaid.removed, &pointer),
        };
        let mut location = self.locate_in_documents(&in_spec);
        location.overlay = overlay.map(|(place, _)| Box::new(place.clone()));
        location
    }

    /// A pointer of the merged document as the documents wrote it.
    fn locate_in_documents(&self, pointer: &str) -> Location {
        let tokens = pointer_tokens(pointer);
        for depth in (1..=tokens.len().min(3)).rev() {
            let key: String = tokens[..depth]
                .iter()
                .map(|t| format!("/{}", escape_token(t)))
                .collect();
            if let Some(&i) = self.origins.get(&key) {
                return self.docs[i].doc.locate(pointer);
            }
        }
        match self.docs.first() {
            Some(d) => d.doc.locate(pointer),
            None => Location {
                file: String::new(),
                line: 0,
                pointer: pointer.to_owned(),
                overlay: None,
            },
        }
    }

    pub fn document_count(&self) -> usize {
        self.docs.len()
    }
}

/// Merges documents. The result does not depend on the order of `docs`:
/// they are first put in a canonical order (by content).
pub fn merge(docs: Vec<Document>, diags: &mut Diagnostics) -> Option<Api> {
    merge_with(docs, &[], diags)
}

/// Merges documents, then applies the overlays (in order) to the merged
/// document and normalises what they wrote, before it is read.
pub fn merge_with(
    mut docs: Vec<Document>,
    overlays: &[crate::overlay::Overlay],
    diags: &mut Diagnostics,
) -> Option<Api> {
    if docs.len() > 1 {
        let mut keyed: Vec<(String, Document)> =
            docs.into_iter().map(|d| (canonical(&d.value), d)).collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        docs = keyed.into_iter().map(|(_, d)| d).collect();
    }
    if docs.is_empty() {
        diags.error("no OpenAPI documents found in the given specs", None);
        return None;
    }
    let (mut merged, origins, origin_docs) = if docs.len() == 1 {
        // One document: nothing to merge, and no copy of a big document.
        let mut origin_docs = Vec::new();
        let mut merged = Map::new();
        for mut doc in docs {
            if let Value::Object(obj) = std::mem::take(&mut doc.value) {
                merged = obj;
            }
            origin_docs.push(DocOrigin { doc });
        }
        (merged, BTreeMap::new(), origin_docs)
    } else {
        fold(docs, diags)
    };
    merged
        .entry("paths")
        .or_insert_with(|| Value::Object(Map::new()));
    merged
        .entry("info")
        .or_insert_with(|| serde_json::json!({"title": "API", "version": "0.0.0"}));
    if overlays.is_empty() {
        return finish(merged, origins, origin_docs, Default::default(), diags);
    }
    let mut raw = Value::Object(merged);
    let overlaid = crate::overlay::apply(overlays, &mut raw, diags);
    let rewrites = crate::normalize::overlaid(&mut raw, overlaid.written());
    let Value::Object(merged) = raw else {
        diags.error(
            "an overlay replaced the whole document with something else than an object",
            None,
        );
        return None;
    };
    let api = finish(merged, origins, origin_docs, overlaid, diags)?;
    for w in &rewrites.warnings {
        diags.warning(w.note.clone(), Some(api.locate(&w.pointer)));
    }
    Some(api)
}

type Folded = (Map<String, Value>, BTreeMap<String, usize>, Vec<DocOrigin>);

/// Merges several documents (in canonical order) into one.
fn fold(docs: Vec<Document>, diags: &mut Diagnostics) -> Folded {
    let mut merged = Map::new();
    let mut origins: BTreeMap<String, usize> = BTreeMap::new();
    let mut seen_servers: Vec<Value> = Vec::new();
    let mut seen_tags: BTreeMap<String, Value> = BTreeMap::new();
    let mut tag_order: Vec<String> = Vec::new();
    let mut security: Vec<Value> = Vec::new();
    let mut origin_docs: Vec<DocOrigin> = Vec::new();

    for (index, doc) in docs.into_iter().enumerate() {
        let Value::Object(obj) = &doc.value else {
            continue;
        };
        for (key, value) in obj {
            match key.as_str() {
                "paths" | "webhooks" => {
                    let Value::Object(paths) = value else {
                        if key == "paths" {
                            diags.error(
                                format!(
                                    "`paths` is {}, not a map of paths to path items; the document cannot be read",
                                    kind_of_value(value)
                                ),
                                Some(doc.locate("/paths")),
                            );
                        }
                        continue;
                    };
                    let target = object_entry(&mut merged, key);
                    for (path, item) in paths {
                        let Value::Object(item) = item else {
                            if key == "paths" && path.starts_with('/') {
                                diags.warning(
                                    format!(
                                        "path `{path}`: expected an object, found {}; skipped",
                                        kind_of_value(item)
                                    ),
                                    Some(doc.locate(&format!("/paths/{}", escape_token(path)))),
                                );
                            }
                            continue;
                        };
                        let slot = object_entry(target, path);
                        for (field, op) in item {
                            let at =
                                format!("/{key}/{}/{}", escape_token(path), escape_token(field));
                            let extra = field.strip_prefix(crate::normalize::EXTRA_OPERATION);
                            let what = if METHODS.contains(&field.as_str()) {
                                format!("operation `{} {path}`", field.to_uppercase())
                            } else if let Some(method) = extra {
                                format!("operation `{method} {path}`")
                            } else {
                                format!("`{field}` of path `{path}`")
                            };
                            insert_unique(
                                slot,
                                field,
                                op,
                                &at,
                                &what,
                                index,
                                &mut origins,
                                &origin_docs,
                                &doc,
                                diags,
                            );
                        }
                    }
                }
                "components" => {
                    let Value::Object(kinds) = value else {
                        if !value.is_null() {
                            diags.warning(
                                format!(
                                    "`components`: expected an object, found {}; dropped",
                                    kind_of_value(value)
                                ),
                                Some(doc.locate("/components")),
                            );
                        }
                        continue;
                    };
                    let target = object_entry(&mut merged, key);
                    for (kind, entries) in kinds {
                        let Value::Object(entries) = entries else {
                            if de::component_slot(kind).is_some() && !entries.is_null() {
                                diags.warning(
                                    format!(
                                        "`{kind}`: expected an object, found {}; dropped",
                                        kind_of_value(entries)
                                    ),
                                    Some(
                                        doc.locate(&format!("/components/{}", escape_token(kind))),
                                    ),
                                );
                            }
                            continue;
                        };
                        let slot = object_entry(target, kind);
                        for (name, def) in entries {
                            let at = format!(
                                "/components/{}/{}",
                                escape_token(kind),
                                escape_token(name)
                            );
                            let what = format!("component `{kind}/{name}`");
                            insert_unique(
                                slot,
                                name,
                                def,
                                &at,
                                &what,
                                index,
                                &mut origins,
                                &origin_docs,
                                &doc,
                                diags,
                            );
                        }
                    }
                }
                "servers" => {
                    for s in value.as_array().into_iter().flatten() {
                        let url = s.get("url");
                        if !seen_servers.iter().any(|x| x.get("url") == url) {
                            seen_servers.push(s.clone());
                        }
                    }
                }
                "tags" => {
                    for t in value.as_array().into_iter().flatten() {
                        let Some(name) = t.get("name").and_then(Value::as_str) else {
                            continue;
                        };
                        match seen_tags.get(name) {
                            None => {
                                seen_tags.insert(name.to_owned(), t.clone());
                                tag_order.push(name.to_owned());
                            }
                            Some(prev) if prev.get("description").is_none() => {
                                seen_tags.insert(name.to_owned(), t.clone());
                            }
                            Some(_) => {}
                        }
                    }
                }
                "security" => {
                    for s in value.as_array().into_iter().flatten() {
                        if !security.contains(s) {
                            security.push(s.clone());
                        }
                    }
                }
                "info" => {
                    // Snippets repeat `info`; fields one of them leaves out
                    // (a description, say) come from the others.
                    let slot = object_entry(&mut merged, key);
                    for (field, v) in value.as_object().into_iter().flatten() {
                        slot.entry(field.clone()).or_insert_with(|| v.clone());
                    }
                }
                _ => {
                    merged.entry(key.clone()).or_insert_with(|| value.clone());
                }
            }
        }
        let mut doc = doc;
        doc.value = Value::Null;
        origin_docs.push(DocOrigin { doc });
    }
    if !seen_servers.is_empty() {
        merged.insert("servers".into(), Value::Array(seen_servers));
    }
    if !tag_order.is_empty() {
        let tags = tag_order
            .iter()
            .filter_map(|n| seen_tags.remove(n))
            .collect();
        merged.insert("tags".into(), Value::Array(tags));
    }
    if !security.is_empty() {
        merged.insert("security".into(), Value::Array(security));
    }
    (merged, origins, origin_docs)
}

/// Parses the merged document into `openapiv3::OpenAPI`.
fn finish(
    merged: Map<String, Value>,
    origins: BTreeMap<String, usize>,
    origin_docs: Vec<DocOrigin>,
    overlaid: crate::overlay::Applied,
    diags: &mut Diagnostics,
) -> Option<Api> {
    let raw = Value::Object(merged);
    let mut api = Api {
        openapi: openapiv3::OpenAPI::default(),
        raw,
        docs: origin_docs,
        origins,
        removed: Vec::new(),
        overlaid,
        extra_operations: Vec::new(),
    };
    if diags.has_errors() {
        return None;
    }
    let parsed = match de::openapi(&api.raw) {
        Ok(parsed) => Some(parsed),
        // Lenient reading: repair what did not read (and only that), with a
        // located warning for each repair, and read again.
        Err(unread) if !unread.structure => {
            let repairs = repair::repair(&mut api.raw, &unread);
            // Fix pointers are into the document as it was.
            for fix in repairs.fixes {
                let location = api.locate(&fix.pointer);
                diags.warning(fix.message, Some(location));
            }
            api.removed = repairs.removed;
            de::openapi(&api.raw).ok()
        }
        Err(_) => {
            // The structure itself: nothing to repair.
            if let Some(paths) = api.raw.get("paths").filter(|p| !p.is_object()) {
                diags.error(
                    format!(
                        "`paths` is {}, not a map of paths to path items; the document cannot be read",
                        kind_of_value(paths)
                    ),
                    Some(api.locate("/paths")),
                );
                return None;
            }
            None
        }
    };
    if let Some(parsed) = parsed {
        api.openapi = parsed;
        extra_operations(&mut api, diags);
        return Some(api);
    }
    // Slow path, for the message: where is the error?
    match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&api.raw) {
        Ok(parsed) => {
            api.openapi = parsed;
            extra_operations(&mut api, diags);
            Some(api)
        }
        Err(e) => {
            let (pointer, message) = refine(&api.raw)
                .unwrap_or_else(|| (path_to_pointer(e.path()), e.inner().to_string()));
            let location = api.locate(&pointer);
            diags.error(
                format!("not a valid OpenAPI document: {message}"),
                Some(location),
            );
            None
        }
    }
}

/// Reads the operations normalisation carried in `x-oas-operation-<METHOD>`
/// extensions; one that does not read is skipped with a located warning.
fn extra_operations(api: &mut Api, diags: &mut Diagnostics) {
    let mut out = Vec::new();
    for (path, item) in api.openapi.paths.paths.iter() {
        let openapiv3::ReferenceOr::Item(item) = item else {
            continue;
        };
        for (key, value) in &item.extensions {
            let Some(method) = key.strip_prefix(crate::normalize::EXTRA_OPERATION) else {
                continue;
            };
            if !crate::normalize::is_token(method) {
                continue;
            }
            match serde_path_to_error::deserialize::<_, openapiv3::Operation>(value) {
                Ok(op) => out.push(ExtraOperation {
                    path: path.clone(),
                    method: method.to_owned(),
                    key: key.clone(),
                    op,
                }),
                Err(e) => {
                    let at = format!(
                        "/paths/{}/{}{}",
                        escape_token(path),
                        escape_token(key),
                        path_to_pointer(e.path())
                    );
                    diags.warning(
                        format!(
                            "operation `{method} {path}` does not read ({}); skipped",
                            e.inner()
                        ),
                        Some(api.locate(&at)),
                    );
                }
            }
        }
    }
    out.sort_by(|a, b| (&a.path, &a.method).cmp(&(&b.path, &b.method)));
    api.extra_operations = out;
}

/// `openapiv3` flattens path items and response codes, which hides where
/// an error is. Deserialising each path item and component on its own finds
/// the first bad one, with the path inside it.
fn refine(raw: &Value) -> Option<(String, String)> {
    fn first_error<T: serde::de::DeserializeOwned>(
        base: &str,
        value: &Value,
    ) -> Option<(String, String)> {
        serde_path_to_error::deserialize::<_, T>(value)
            .err()
            .map(|e| {
                (
                    format!("{base}{}", path_to_pointer(e.path())),
                    e.inner().to_string(),
                )
            })
    }
    use openapiv3::ReferenceOr as R;
    for (path, item) in raw
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let base = format!("/paths/{}", escape_token(path));
        if let Value::Object(fields) = item {
            for method in METHODS {
                if let Some(op) = fields.get(method) {
                    let at = format!("{base}/{method}");
                    if let Some(found) = first_error::<openapiv3::Operation>(&at, op) {
                        return Some(found);
                    }
                }
            }
        }
        if let Some(found) = first_error::<R<openapiv3::PathItem>>(&base, item) {
            return Some(found);
        }
    }
    let components = raw.get("components").and_then(Value::as_object);
    for (kind, entries) in components.into_iter().flatten() {
        for (name, value) in entries.as_object().into_iter().flatten() {
            let base = format!("/components/{}/{}", escape_token(kind), escape_token(name));
            let found = match kind.as_str() {
                "schemas" => first_error::<R<openapiv3::Schema>>(&base, value),
                "parameters" => first_error::<R<openapiv3::Parameter>>(&base, value),
                "responses" => first_error::<R<openapiv3::Response>>(&base, value),
                "requestBodies" => first_error::<R<openapiv3::RequestBody>>(&base, value),
                "headers" => first_error::<R<openapiv3::Header>>(&base, value),
                _ => None,
            };
            if found.is_some() {
                return found;
            }
        }
    }
    None
}

/// How a message names the JSON type of a value.
fn kind_of_value(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// JSON text of a value with object keys sorted: equal for documents that
/// differ only in key order.
fn canonical(value: &Value) -> String {
    fn write(value: &Value, out: &mut String) {
        match value {
            Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                out.push('{');
                for (i, k) in keys.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&Value::String(k.clone()).to_string());
                    out.push(':');
                    if let Some(v) = m.get(k) {
                        write(v, out);
                    }
                }
                out.push('}');
            }
            Value::Array(a) => {
                out.push('[');
                for (i, v) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(v, out);
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    write(value, &mut out);
    out
}

fn object_entry<'m>(map: &'m mut Map<String, Value>, key: &str) -> &'m mut Map<String, Value> {
    let slot = map
        .entry(key.to_owned())
        .or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    match slot {
        Value::Object(m) => m,
        _ => unreachable!("just made an object"),
    }
}

#[allow(clippy::too_many_arguments)]
fn insert_unique(
    slot: &mut Map<String, Value>,
    key: &str,
    value: &Value,
    at: &str,
    what: &str,
    index: usize,
    origins: &mut BTreeMap<String, usize>,
    earlier: &[DocOrigin],
    doc: &Document,
    diags: &mut Diagnostics,
) {
    match slot.get(key) {
        None => {
            slot.insert(key.to_owned(), value.clone());
            origins.insert(at.to_owned(), index);
        }
        Some(existing) if existing == value => {}
        Some(_) => {
            let first = origins
                .get(at)
                .and_then(|&i| earlier.get(i))
                .map(|d| d.doc.locate(at));
            let second = doc.locate(at);
            match first {
                Some(first) => {
                    let (a, b) = if first <= second {
                        (first, second)
                    } else {
                        (second, first)
                    };
                    diags.conflict(format!("{what} is defined twice, differently"), a, b);
                }
                None => diags.error(
                    format!("{what} is defined twice, differently"),
                    Some(second),
                ),
            }
        }
    }
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                out.push('/');
                out.push_str(&escape_token(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}
