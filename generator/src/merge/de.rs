//! The merged document into `openapiv3::OpenAPI`, on every core.
//!
//! Path items and components are independent of each other, so they are
//! deserialised one by one on worker threads, and the small rest of the
//! document (info, servers, tags, …) on its own. Besides using both cores
//! this skips a copy: `openapiv3` flattens extensions into `Paths` and
//! `Components`, and serde buffers a flattened struct's whole input (for
//! GitHub, every path and every schema) before reading it.
//!
//! This is the fast path only: on any error it returns `None`, and the caller
//! deserialises the whole document again to report where the error is.

use std::sync::atomic::{AtomicUsize, Ordering};

use indexmap::IndexMap;
use openapiv3::{
    Callback, Components, Example, Header, Link, OpenAPI, Parameter, PathItem, ReferenceOr,
    RequestBody, Response, Schema, SecurityScheme,
};
use serde::Deserialize;
use serde_json::{Map, Value};

/// Stack of a worker: deserialising recurses once per nesting level.
const WORKER_STACK: usize = 256 << 20;

/// Path items and components taken per turn by a worker.
const CHUNK: usize = 16;

/// Where an entry of the document goes.
#[derive(Clone, Copy, Debug)]
enum Slot {
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

/// The document as `openapiv3` reads it, or `None` if it does not read.
pub fn openapi(raw: &Value) -> Option<OpenAPI> {
    let top = raw.as_object()?;
    let mut rest = Map::new();
    let mut jobs: Vec<(Slot, &str, &Value)> = Vec::new();
    for (key, value) in top {
        match key.as_str() {
            "paths" => {
                let mut kept = Map::new();
                for (path, item) in value.as_object()? {
                    if path.starts_with('/') {
                        jobs.push((Slot::Path, path, item));
                    } else {
                        kept.insert(path.clone(), item.clone());
                    }
                }
                rest.insert(key.clone(), Value::Object(kept));
            }
            "components" if value.is_object() => {
                let mut kept = Map::new();
                for (kind, entries) in value.as_object()? {
                    match KINDS.iter().find(|(k, _)| k == kind) {
                        Some((_, slot)) => {
                            for (name, v) in entries.as_object()? {
                                jobs.push((*slot, name, v));
                            }
                        }
                        None => {
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
    let mut openapi = OpenAPI::deserialize(&Value::Object(rest)).ok()?;
    let entries = run(&jobs)?;

    let mut components = openapi.components.take();
    for ((_, name, _), entry) in jobs.iter().zip(entries) {
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
    Some(openapi)
}

fn insert<T>(map: &mut IndexMap<String, T>, name: String, value: T) {
    map.insert(name, value);
}

/// Deserialises every job, in order; `None` if one fails.
fn run(jobs: &[(Slot, &str, &Value)]) -> Option<Vec<Entry>> {
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
    let mut done: Vec<(usize, Option<Entry>)> = std::thread::scope(|s| {
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
            all.extend(h.join().ok()?);
        }
        Some(all)
    })?;
    if done.len() != jobs.len() {
        return None;
    }
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, e)| e).collect()
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
        assert_eq!(openapi(&raw), Some(whole));
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
        assert_eq!(openapi(&raw), Some(whole));
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
            assert!(openapi(&raw) == Some(whole), "{paths:?}");
            compared += 1;
        }
        // The corpus is beside the repository, as in CI.
        assert!(compared >= 50, "only {compared} documents compared");
    }

    #[test]
    fn an_error_anywhere_is_none() {
        let raw = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "paths": {"/a": {"get": {"responses": 3}}}
        });
        assert!(serde_json::from_value::<OpenAPI>(raw.clone()).is_err());
        assert_eq!(openapi(&raw), None);
    }
}
