//! The merged document into `openapiv3::OpenAPI`, on every core.
//!
//! Path items and components are independent of each other, so they are
//! deserialised one by one on worker threads, and the small rest of the
//! document (info, servers, tags, …) on its own. Besides using both cores
//! this skips a copy: `openapiv3` flattens extensions into `Paths` and
//! `Components`, and serde buffers a flattened struct's whole input (for
//! GitHub, every path and every schema) before reading it.
//!
//! On failure it says which parts did not read (the document's own fields,
//! path items, components), so that only those are repaired
//! (`merge/repair.rs`) and a valid document pays nothing.

use std::sync::atomic::{AtomicUsize, Ordering};

use indexmap::IndexMap;
use openapiv3::{
    Callback, Components, Example, Header, Link, OpenAPI, Parameter, PathItem, ReferenceOr,
    RequestBody, Response, Schema, SecurityScheme,
};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::diag::escape_token;

/// Stack of a worker: deserialising recurses once per nesting level.
const WORKER_STACK: usize = 256 << 20;

/// Path items and components taken per turn by a worker.
const CHUNK: usize = 16;

/// Where an entry of the document goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Slot {
    Path,
    Schema,
    Response,
    Parameter,
    Example,
    RequestBody,
    Header,
    SecurityScheme,
    Link,
    Callback,
}

/// `components` keys and their slots (the serde names of `Components`).
const KINDS: [(&str, Slot); 9] = [
    ("schemas", Slot::Schema),
    ("responses", Slot::Response),
    ("parameters", Slot::Parameter),
    ("examples", Slot::Example),
    ("requestBodies", Slot::RequestBody),
    ("headers", Slot::Header),
    ("securitySchemes", Slot::SecurityScheme),
    ("links", Slot::Link),
    ("callbacks", Slot::Callback),
];

/// A deserialised entry.
#[derive(Debug)]
enum Entry {
    /// Boxed: a path item is some 9 kB, every other entry below 1.5 kB.
    Path(Box<ReferenceOr<PathItem>>),
    Schema(ReferenceOr<Schema>),
    Response(ReferenceOr<Response>),
    Parameter(ReferenceOr<Parameter>),
    Example(ReferenceOr<Example>),
    RequestBody(ReferenceOr<RequestBody>),
    Header(ReferenceOr<Header>),
    SecurityScheme(ReferenceOr<SecurityScheme>),
    Link(ReferenceOr<Link>),
    Callback(ReferenceOr<Callback>),
}

/// What did not read.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Unread {
    /// The document's own fields (everything but path items and component
    /// entries: `info`, `servers`, `tags`, `security`, non-object kinds of
    /// `components`, …).
    pub top: bool,
    /// Path items and components, by their pointer (`/paths/~1a`,
    /// `/components/schemas/A`), in document order.
    pub entries: Vec<(Slot, String)>,
    /// The document's shape is wrong: not an object, or `paths` not a map.
    pub structure: bool,
}

/// Whether `value` reads as an entry of `slot`.
pub(super) fn reads(slot: Slot, value: &Value) -> bool {
    entry(slot, value).is_some()
}

/// Where (a pointer relative to `value`) and why `value` does not read as
/// an entry of `slot`; `None` if it reads.
pub(super) fn error(slot: Slot, value: &Value) -> Option<(String, String)> {
    use located as de;
    match slot {
        Slot::Path => de::<ReferenceOr<PathItem>>(value),
        Slot::Schema => de::<ReferenceOr<Schema>>(value),
        Slot::Response => de::<ReferenceOr<Response>>(value),
        Slot::Parameter => de::<ReferenceOr<Parameter>>(value),
        Slot::Example => de::<ReferenceOr<Example>>(value),
        Slot::RequestBody => de::<ReferenceOr<RequestBody>>(value),
        Slot::Header => de::<ReferenceOr<Header>>(value),
        Slot::SecurityScheme => de::<ReferenceOr<SecurityScheme>>(value),
        Slot::Link => de::<ReferenceOr<Link>>(value),
        Slot::Callback => de::<ReferenceOr<Callback>>(value),
    }
}

/// Like [`error`], but reading the object itself, not a `$ref` or the
/// object: `openapiv3` reads those through an untagged enum, which hides the
/// path of an error inside. (A failing entry is never a valid `$ref`.)
pub(super) fn error_inside(slot: Slot, value: &Value) -> Option<(String, String)> {
    use located as de;
    if value.get("$ref").is_some_and(Value::is_string) {
        return error(slot, value);
    }
    match slot {
        Slot::Path => de::<PathItem>(value),
        Slot::Schema => de::<Schema>(value),
        Slot::Response => de::<Response>(value),
        Slot::Parameter => de::<Parameter>(value),
        Slot::Example => de::<Example>(value),
        Slot::RequestBody => de::<RequestBody>(value),
        Slot::Header => de::<Header>(value),
        Slot::SecurityScheme => de::<SecurityScheme>(value),
        Slot::Link => de::<Link>(value),
        Slot::Callback => de::<Callback>(value),
    }
}

/// Where and why `value` does not read as a `T`.
fn located<'a, T: Deserialize<'a>>(value: &'a Value) -> Option<(String, String)> {
    serde_path_to_error::deserialize::<_, T>(value)
        .err()
        .map(|e| (super::path_to_pointer(e.path()), e.inner().to_string()))
}

/// The slot of a `components` kind, if `openapiv3` reads that kind.
pub(super) fn component_slot(kind: &str) -> Option<Slot> {
    KINDS.iter().find(|(k, _)| *k == kind).map(|(_, s)| *s)
}

fn entry(slot: Slot, value: &Value) -> Option<Entry> {
    fn de<'a, T: Deserialize<'a>>(value: &'a Value) -> Option<T> {
        T::deserialize(value).ok()
    }
    Some(match slot {
        Slot::Path => Entry::Path(Box::new(de(value)?)),
        Slot::Schema => Entry::Schema(de(value)?),
        Slot::Response => Entry::Response(de(value)?),
        Slot::Parameter => Entry::Parameter(de(value)?),
        Slot::Example => Entry::Example(de(value)?),
        Slot::RequestBody => Entry::RequestBody(de(value)?),
        Slot::Header => Entry::Header(de(value)?),
        Slot::SecurityScheme => Entry::SecurityScheme(de(value)?),
        Slot::Link => Entry::Link(de(value)?),
        Slot::Callback => Entry::Callback(de(value)?),
    })
}

/// The document as `openapiv3` reads it, or what did not read.
pub fn openapi(raw: &Value) -> Result<OpenAPI, Unread> {
    let structure = || Unread {
        structure: true,
        ..Unread::default()
    };
    let top = raw.as_object().ok_or_else(structure)?;
    let mut rest = Map::new();
    let mut jobs: Vec<(Slot, &str, &Value)> = Vec::new();
    // Kept beside `jobs`: where each job is, for a report of what failed.
    let mut kinds: Vec<&str> = Vec::new();
    for (key, value) in top {
        match key.as_str() {
            "paths" => {
                let mut kept = Map::new();
                for (path, item) in value.as_object().ok_or_else(structure)? {
                    if path.starts_with('/') {
                        jobs.push((Slot::Path, path, item));
                        kinds.push("");
                    } else {
                        kept.insert(path.clone(), item.clone());
                    }
                }
                rest.insert(key.clone(), Value::Object(kept));
            }
            "components" if value.is_object() => {
                let mut kept = Map::new();
                for (kind, entries) in value.as_object().into_iter().flatten() {
                    match (component_slot(kind), entries.as_object()) {
                        (Some(slot), Some(entries)) => {
                            for (name, v) in entries {
                                jobs.push((slot, name, v));
                                kinds.push(kind);
                            }
                        }
                        // Not an object: fails with the rest, and is
                        // repaired with it.
                        _ => {
                            kept.insert(kind.clone(), entries.clone());
                        }
                    }
                }
                rest.insert(key.clone(), Value::Object(kept));
            }
            _ => {
                rest.insert(key.clone(), value.clone());
            }
        }
    }
    let openapi = OpenAPI::deserialize(&Value::Object(rest)).ok();
    let entries = run(&jobs);
    let top = openapi.is_none();
    let failed = entries.iter().any(Option::is_none);
    let Some(mut openapi) = openapi.filter(|_| !failed) else {
        let entries = jobs
            .iter()
            .zip(&kinds)
            .zip(&entries)
            .filter(|(_, e)| e.is_none())
            .map(|(((slot, name, _), kind), _)| {
                let at = match slot {
                    Slot::Path => format!("/paths/{}", escape_token(name)),
                    _ => format!("/components/{}/{}", escape_token(kind), escape_token(name)),
                };
                (*slot, at)
            })
            .collect();
        return Err(Unread {
            top,
            entries,
            structure: false,
        });
    };
    let mut components = openapi.components.take();
    for ((_, name, _), entry) in jobs.iter().zip(entries.into_iter().flatten()) {
        let name = (*name).to_owned();
        if let Entry::Path(item) = entry {
            openapi.paths.paths.insert(name, *item);
            continue;
        }
        let c: &mut Components = components.get_or_insert_with(Components::default);
        match entry {
            Entry::Path(_) => {}
            Entry::Schema(v) => insert(&mut c.schemas, name, v),
            Entry::Response(v) => insert(&mut c.responses, name, v),
            Entry::Parameter(v) => insert(&mut c.parameters, name, v),
            Entry::Example(v) => insert(&mut c.examples, name, v),
            Entry::RequestBody(v) => insert(&mut c.request_bodies, name, v),
            Entry::Header(v) => insert(&mut c.headers, name, v),
            Entry::SecurityScheme(v) => insert(&mut c.security_schemes, name, v),
            Entry::Link(v) => insert(&mut c.links, name, v),
            Entry::Callback(v) => insert(&mut c.callbacks, name, v),
        }
    }
    openapi.components = components;
    Ok(openapi)
}

fn insert<T>(map: &mut IndexMap<String, T>, name: String, value: T) {
    map.insert(name, value);
}

/// Deserialises every job, in order; `None` for those that fail.
fn run(jobs: &[(Slot, &str, &Value)]) -> Vec<Option<Entry>> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len().div_ceil(CHUNK))
        .max(1);
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done: Vec<(usize, Option<Entry>)> = Vec::new();
        loop {
            let start = next.fetch_add(CHUNK, Ordering::Relaxed);
            if start >= jobs.len() {
                return done;
            }
            for (i, (slot, _, value)) in jobs.iter().enumerate().skip(start).take(CHUNK) {
                done.push((i, entry(*slot, value)));
            }
        }
    };
    let done: Vec<(usize, Option<Entry>)> = std::thread::scope(|s| {
        // The current thread works too; the others are helpers.
        let helpers: Vec<_> = (1..workers)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .stack_size(WORKER_STACK)
                    .spawn_scoped(s, work)
                    .ok()
            })
            .collect();
        let mut all = work();
        for h in helpers {
            match h.join() {
                Ok(part) => all.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        all
    });
    let mut out: Vec<Option<Entry>> = Vec::with_capacity(jobs.len());
    out.resize_with(jobs.len(), || None);
    for (i, e) in done {
        if let Some(slot) = out.get_mut(i) {
            *slot = e;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path gives what `openapiv3` gives on the whole document.
    #[test]
    fn same_as_deserialising_the_whole_document() {
        let raw = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "x-top": 1,
            "paths": {
                "x-paths": {"a": 1},
                "/b": {"get": {"responses": {"200": {"description": "ok"}}}},
                "/a": {"$ref": "#/components/pathItems/a"},
                "ignored": {"get": {}}
            },
            "components": {
                "x-components": true,
                "schemas": {"Z": {"type": "string"}, "A": {"$ref": "#/components/schemas/Z"}},
                "parameters": {"p": {"name": "p", "in": "query", "schema": {"type": "integer"}}},
                "securitySchemes": {"k": {"type": "apiKey", "in": "header", "name": "K"}},
                "callbacks": {"c": {"{$request.body#/url}": {"post": {"responses": {}}}}}
            }
        });
        let whole: OpenAPI = serde_json::from_value(raw.clone()).expect("test document");
        assert_eq!(openapi(&raw).ok(), Some(whole));
    }

    #[test]
    fn no_components_stay_none() {
        let raw = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "paths": {}
        });
        let whole: OpenAPI = serde_json::from_value(raw.clone()).expect("test document");
        assert_eq!(whole.components, None);
        assert_eq!(openapi(&raw).ok(), Some(whole));
    }

    /// On real documents (CI's corpus subset, the 3.1 corpus and `specs/`,
    /// merged and normalised as the pipeline does), the fast path and the
    /// whole-document path agree.
    #[test]
    fn same_on_real_documents() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let shared = root.join("../shared/corpus");
        let list = std::fs::read_to_string(root.join("xtask/corpus-ci.txt")).unwrap_or_default();
        let mut specs: Vec<Vec<std::path::PathBuf>> = list
            .lines()
            .filter_map(|l| l.split('#').next())
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|name| vec![shared.join("dev").join(name)])
            .collect();
        for entry in std::fs::read_dir(shared.join("v31"))
            .into_iter()
            .flatten()
            .flatten()
        {
            specs.push(vec![entry.path()]);
        }
        specs.push(vec![root.join("specs")]);
        let mut compared = 0;
        for paths in specs {
            let Ok(sources) = crate::source::load(&paths) else {
                continue;
            };
            let Ok((raw, _)) = crate::merged_document(&sources) else {
                continue;
            };
            let whole: OpenAPI =
                serde_json::from_value(raw.clone()).expect("merged documents parse");
            assert!(openapi(&raw).ok() == Some(whole), "{paths:?}");
            compared += 1;
        }
        // The corpus is beside the repository, as in CI.
        assert!(compared >= 50, "only {compared} documents compared");
    }

    #[test]
    fn an_error_anywhere_is_reported_where() {
        let raw = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "paths": {"/a/b": {"get": {"responses": 3}}, "/c": {}},
            "components": {"schemas": {"A": {"type": 3}, "B": {}}, "headers": []}
        });
        assert!(serde_json::from_value::<OpenAPI>(raw.clone()).is_err());
        assert_eq!(
            openapi(&raw).err(),
            Some(Unread {
                top: true,
                entries: vec![
                    (Slot::Path, "/paths/~1a~1b".to_owned()),
                    (Slot::Schema, "/components/schemas/A".to_owned()),
                ],
                structure: false,
            })
        );
        let raw = serde_json::json!({"openapi": "3.0.3", "info": {}, "paths": []});
        assert!(openapi(&raw).is_err_and(|u| u.structure));
    }
}
