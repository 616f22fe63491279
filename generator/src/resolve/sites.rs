//! Where an OpenAPI document holds `$ref`s, and what each one must name.
//!
//! A structural walk: it knows which keys of which object hold schemas,
//! parameters, responses and so on, so a property *named* `$ref`, or a
//! `$ref` inside an `example`, is never taken for a reference. Extensions
//! (`x-…`) are not walked: their content is the vendor's, not OpenAPI's.

use serde_json::{Map, Value};

use crate::diag::escape_token;

/// What the value at a position is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Schema,
    Parameter,
    Header,
    RequestBody,
    Response,
    Example,
    Link,
    Callback,
    SecurityScheme,
    PathItem,
    /// Not allowed by the specification, but vendors give operations by `$ref`.
    Operation,
    /// Anything else that vendors give by `$ref`: a tag, a description.
    Other,
}

impl Kind {
    /// The `components` map that holds this kind, if there is one that a
    /// 3.0 reader follows (path items and operations are always inlined).
    pub fn components(self) -> Option<&'static str> {
        Some(match self {
            Kind::Schema => "schemas",
            Kind::Parameter => "parameters",
            Kind::Header => "headers",
            Kind::RequestBody => "requestBodies",
            Kind::Response => "responses",
            Kind::Example => "examples",
            Kind::Link => "links",
            Kind::Callback => "callbacks",
            Kind::SecurityScheme => "securitySchemes",
            Kind::PathItem | Kind::Operation | Kind::Other => return None,
        })
    }

    /// The kind held by a `components` map.
    pub fn of_components(map: &str) -> Option<Kind> {
        Some(match map {
            "schemas" => Kind::Schema,
            "parameters" => Kind::Parameter,
            "headers" => Kind::Header,
            "requestBodies" => Kind::RequestBody,
            "responses" => Kind::Response,
            "examples" => Kind::Example,
            "links" => Kind::Link,
            "callbacks" => Kind::Callback,
            "securitySchemes" => Kind::SecurityScheme,
            "pathItems" => Kind::PathItem,
            _ => return None,
        })
    }
}

/// One `$ref` found by the walk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// Pointer, relative to the walked value, of the object holding `$ref`
    /// (or, for a discriminator mapping, of the mapping's string).
    pub pointer: String,
    pub kind: Kind,
    pub reference: String,
    /// A discriminator mapping value: the string itself is the reference.
    pub mapping: bool,
}

/// Keys of a path item that are operations (3.2's `query` included).
const METHODS: [&str; 9] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
];

/// Schema keywords holding one schema.
const ONE_SCHEMA: &[&str] = &[
    "additionalProperties",
    "items",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
    "contentSchema",
];
/// Schema keywords holding a list of schemas.
const SCHEMA_LISTS: &[&str] = &["allOf", "oneOf", "anyOf", "prefixItems"];
/// Schema keywords holding a map of schemas.
const SCHEMA_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];
/// Nesting deeper than this is not walked (the parsers stop at 128).
const MAX_DEPTH: usize = 200;

/// Every `$ref` of a whole document.
pub fn document(root: &Value) -> Vec<Site> {
    let mut w = Walk::default();
    w.document(root);
    w.sites
}

/// Every `$ref` in a value of the given kind (a fragment pulled in by `$ref`).
pub fn value(v: &Value, kind: Kind) -> Vec<Site> {
    let mut w = Walk::default();
    w.visit(v, kind, 0);
    w.sites
}

#[derive(Default)]
struct Walk {
    sites: Vec<Site>,
    /// Pointer of the current position.
    at: String,
}

impl Walk {
    fn child(&mut self, key: &str, f: impl FnOnce(&mut Self)) {
        let len = self.at.len();
        self.at.push('/');
        self.at.push_str(&escape_token(key));
        f(self);
        self.at.truncate(len);
    }

    fn document(&mut self, root: &Value) {
        let Value::Object(root) = root else { return };
        for (key, v) in root {
            match key.as_str() {
                "paths" | "webhooks" => self.child(key, |w| w.map(v, Kind::PathItem, 0, true)),
                "components" => self.child(key, |w| {
                    for (map, entries) in v.as_object().into_iter().flatten() {
                        if let Some(kind) = Kind::of_components(map) {
                            w.child(map, |w| w.map(entries, kind, 0, false));
                        }
                    }
                }),
                "info" | "externalDocs" => self.child(key, |w| w.visit(v, Kind::Other, 0)),
                "tags" => self.child(key, |w| w.list(v, Kind::Other, 0)),
                _ => {}
            }
        }
    }

    /// The entries of a map of named things (`skip_extensions`: keys
    /// starting with `x-` are extensions, not names).
    fn map(&mut self, v: &Value, kind: Kind, depth: usize, skip_extensions: bool) {
        for (k, entry) in v.as_object().into_iter().flatten() {
            if skip_extensions && k.starts_with("x-") {
                continue;
            }
            self.child(k, |w| w.visit(entry, kind, depth + 1));
        }
    }

    fn list(&mut self, v: &Value, kind: Kind, depth: usize) {
        for (i, entry) in v.as_array().into_iter().flatten().enumerate() {
            self.child(&i.to_string(), |w| w.visit(entry, kind, depth + 1));
        }
    }

    fn visit(&mut self, v: &Value, kind: Kind, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let Value::Object(m) = v else { return };
        if let Some(r) = m.get("$ref").and_then(Value::as_str) {
            self.sites.push(Site {
                pointer: self.at.clone(),
                kind,
                reference: r.to_owned(),
                mapping: false,
            });
            // Only a schema's siblings of `$ref` mean something (3.1).
            if kind != Kind::Schema {
                return;
            }
        }
        match kind {
            Kind::Schema => self.schema(m, depth),
            Kind::Parameter | Kind::Header => {
                self.field(m, "schema", Kind::Schema, depth);
                self.media(m, depth);
                self.field_map(m, "examples", Kind::Example, depth);
                self.field(m, "description", Kind::Other, depth);
            }
            Kind::RequestBody => {
                self.media(m, depth);
                self.field(m, "description", Kind::Other, depth);
            }
            Kind::Response => {
                self.field_map(m, "headers", Kind::Header, depth);
                self.media(m, depth);
                self.field_map(m, "links", Kind::Link, depth);
                self.field(m, "description", Kind::Other, depth);
            }
            Kind::Callback => {
                for (expression, item) in m {
                    if !expression.starts_with("x-") {
                        self.child(expression, |w| w.visit(item, Kind::PathItem, depth + 1));
                    }
                }
            }
            Kind::PathItem => {
                self.field_list(m, "parameters", Kind::Parameter, depth);
                for method in METHODS {
                    self.field(m, method, Kind::Operation, depth);
                }
                if let Some(more) = m.get("additionalOperations") {
                    self.child("additionalOperations", |w| {
                        w.map(more, Kind::Operation, depth + 1, true)
                    });
                }
                self.field(m, "description", Kind::Other, depth);
            }
            Kind::Operation => {
                self.field_list(m, "parameters", Kind::Parameter, depth);
                self.field(m, "requestBody", Kind::RequestBody, depth);
                if let Some(responses) = m.get("responses") {
                    self.child("responses", |w| {
                        w.map(responses, Kind::Response, depth + 1, true)
                    });
                }
                self.field_map(m, "callbacks", Kind::Callback, depth);
                self.field(m, "description", Kind::Other, depth);
            }
            Kind::Other => {
                for key in ["description", "summary"] {
                    self.field(m, key, Kind::Other, depth);
                }
            }
            Kind::Example | Kind::Link | Kind::SecurityScheme => {}
        }
    }

    fn field(&mut self, m: &Map<String, Value>, key: &str, kind: Kind, depth: usize) {
        if let Some(v) = m.get(key) {
            self.child(key, |w| w.visit(v, kind, depth + 1));
        }
    }

    fn field_map(&mut self, m: &Map<String, Value>, key: &str, kind: Kind, depth: usize) {
        if let Some(v) = m.get(key) {
            self.child(key, |w| w.map(v, kind, depth + 1, false));
        }
    }

    fn field_list(&mut self, m: &Map<String, Value>, key: &str, kind: Kind, depth: usize) {
        if let Some(v) = m.get(key) {
            self.child(key, |w| w.list(v, kind, depth + 1));
        }
    }

    /// A `content` map: media types with a schema, examples and encodings.
    fn media(&mut self, m: &Map<String, Value>, depth: usize) {
        let Some(content) = m.get("content") else {
            return;
        };
        self.child("content", |w| {
            for (media, entry) in content.as_object().into_iter().flatten() {
                let Value::Object(entry) = entry else {
                    continue;
                };
                w.child(media, |w| {
                    w.field(entry, "schema", Kind::Schema, depth + 2);
                    w.field_map(entry, "examples", Kind::Example, depth + 2);
                    if let Some(encoding) = entry.get("encoding") {
                        w.child("encoding", |w| {
                            for (prop, e) in encoding.as_object().into_iter().flatten() {
                                let Value::Object(e) = e else { continue };
                                w.child(prop, |w| {
                                    w.field_map(e, "headers", Kind::Header, depth + 4)
                                });
                            }
                        });
                    }
                });
            }
        });
    }

    fn schema(&mut self, m: &Map<String, Value>, depth: usize) {
        for (key, v) in m {
            let key = key.as_str();
            if ONE_SCHEMA.contains(&key) {
                match v {
                    // `items: [a, b]` (draft 4 tuples).
                    Value::Array(_) => self.child(key, |w| w.list(v, Kind::Schema, depth + 1)),
                    _ => self.child(key, |w| w.visit(v, Kind::Schema, depth + 1)),
                }
            } else if SCHEMA_LISTS.contains(&key) {
                self.child(key, |w| w.list(v, Kind::Schema, depth + 1));
            } else if SCHEMA_MAPS.contains(&key) {
                self.child(key, |w| w.map(v, Kind::Schema, depth + 1, false));
            } else if key == "discriminator" {
                self.mapping(v);
            }
        }
    }

    /// `discriminator.mapping` values that are references (not bare names).
    fn mapping(&mut self, discriminator: &Value) {
        let Some(mapping) = discriminator.get("mapping").and_then(Value::as_object) else {
            return;
        };
        self.child("discriminator", |w| {
            w.child("mapping", |w| {
                for (value, target) in mapping {
                    let Some(target) = target.as_str() else {
                        continue;
                    };
                    if is_reference(target) {
                        w.child(value, |w| {
                            w.sites.push(Site {
                                pointer: w.at.clone(),
                                kind: Kind::Schema,
                                reference: target.to_owned(),
                                mapping: true,
                            });
                        });
                    }
                }
            });
        });
    }
}

/// Whether a discriminator mapping value is a reference rather than a
/// schema name (names may contain dots: `Models.Pet`).
fn is_reference(target: &str) -> bool {
    let lower = target.to_ascii_lowercase();
    target.contains('#')
        || target.contains('/')
        || [".json", ".yaml", ".yml"]
            .iter()
            .any(|e| lower.ends_with(e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_refs_by_position() {
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1", "description": {"$ref": "intro.md"}},
            "tags": [{"name": "a", "description": {"$ref": "tags.yaml#/a"}}],
            "paths": {
                "/a": {
                    "$ref": "paths/a.yaml",
                },
                "/b": {
                    "parameters": [{"$ref": "#/components/parameters/P"}],
                    "get": {"$ref": "ops/get-b.yaml"},
                    "post": {
                        "requestBody": {"content": {"application/json": {
                            "schema": {"$ref": "s.yaml", "description": "d"},
                            "example": {"$ref": "not a reference: data"},
                            "encoding": {"f": {"headers": {"X": {"$ref": "#/components/headers/X"}}}}
                        }}},
                        "responses": {
                            "200": {"$ref": "#/components/responses/R"},
                            "x-extension": {"$ref": "ignored"}
                        },
                        "callbacks": {"c": {"{$url}": {"post": {"responses": {}}}}}
                    }
                },
                "x-ext": {"$ref": "ignored"}
            },
            "components": {
                "schemas": {
                    "A": {
                        "properties": {
                            "$ref": {"type": "string"},
                            "b": {"$ref": "#/components/schemas/B"},
                            "c": {"items": [{"$ref": "t1.yaml"}]}
                        },
                        "oneOf": [{"$ref": "#/components/schemas/B"}],
                        "discriminator": {"propertyName": "k", "mapping": {
                            "b": "#/components/schemas/B", "n": "B", "m": "Models.B", "f": "b.yaml"
                        }},
                        "default": {"$ref": "data"}
                    }
                },
                "securitySchemes": {"s": {"$ref": "sec.yaml#/s"}},
                "x-other": {"$ref": "ignored"}
            }
        });
        let got: Vec<(String, Kind, bool)> = document(&doc)
            .into_iter()
            .map(|s| (s.pointer, s.kind, s.mapping))
            .collect();
        let expected = vec![
            ("/info/description", Kind::Other, false),
            ("/tags/0/description", Kind::Other, false),
            ("/paths/~1a", Kind::PathItem, false),
            ("/paths/~1b/parameters/0", Kind::Parameter, false),
            ("/paths/~1b/get", Kind::Operation, false),
            (
                "/paths/~1b/post/requestBody/content/application~1json/schema",
                Kind::Schema,
                false,
            ),
            (
                "/paths/~1b/post/requestBody/content/application~1json/encoding/f/headers/X",
                Kind::Header,
                false,
            ),
            ("/paths/~1b/post/responses/200", Kind::Response, false),
            ("/components/schemas/A/properties/b", Kind::Schema, false),
            (
                "/components/schemas/A/properties/c/items/0",
                Kind::Schema,
                false,
            ),
            ("/components/schemas/A/oneOf/0", Kind::Schema, false),
            (
                "/components/schemas/A/discriminator/mapping/b",
                Kind::Schema,
                true,
            ),
            (
                "/components/schemas/A/discriminator/mapping/f",
                Kind::Schema,
                true,
            ),
            ("/components/securitySchemes/s", Kind::SecurityScheme, false),
        ];
        let expected: Vec<(String, Kind, bool)> = expected
            .into_iter()
            .map(|(p, k, m)| (p.to_owned(), k, m))
            .collect();
        assert_eq!(got, expected);
    }
}
