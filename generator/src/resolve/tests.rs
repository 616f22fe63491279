use serde_json::{Value, json};

use super::*;
use crate::source::{Memory, Syntax};

const ROOT: &str = "spec/openapi.json";

fn document(value: Value) -> Document {
    let text = serde_json::to_string_pretty(&value).unwrap_or_default();
    Document {
        file: ROOT.into(),
        line: 1,
        source: std::sync::Arc::new(crate::locate::Index::new(text, Syntax::Json)),
        value,
        rewrites: Default::default(),
        origins: Default::default(),
    }
}

fn files(list: &[(&str, &str)]) -> Memory {
    Memory(
        list.iter()
            .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
            .collect(),
    )
}

/// Resolves `root` with `files` beside it: the document, and the diagnostics.
fn run(root: Value, list: &[(&str, &str)]) -> (Value, String) {
    let files = files(list);
    let mut library = Library::new(&files, []);
    let mut doc = document(root);
    let mut diags = Diagnostics::default();
    let unresolved = resolve(&mut doc, &mut library, &mut diags);
    let docs = [doc];
    check(unresolved, &docs, &mut diags);
    let [doc] = docs;
    (doc.value, diags.to_string())
}

fn with_paths(paths: Value) -> Value {
    json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths})
}

#[test]
fn references_in_one_document() {
    // (what, document, expected document)
    let cases = [
        (
            "component references stay",
            json!({"paths": {}, "components": {"schemas": {
                "A": {"$ref": "#/components/schemas/B"}, "B": {"type": "string"}
            }}}),
            json!({"paths": {}, "components": {"schemas": {
                "A": {"$ref": "#/components/schemas/B"}, "B": {"type": "string"}
            }}}),
        ),
        (
            "a parameter named by a pointer into paths is copied, percent-encoding and all",
            json!({"paths": {
                "/{id}": {"parameters": [{"name": "id", "in": "path", "required": true}]},
                "/{id}/x": {"get": {"parameters": [
                    {"$ref": "#/paths/~1%7Bid%7D/parameters/0", "description": "the id"}
                ]}}
            }}),
            json!({"paths": {
                "/{id}": {"parameters": [{"name": "id", "in": "path", "required": true}]},
                "/{id}/x": {"get": {"parameters": [
                    {"name": "id", "in": "path", "required": true, "description": "the id"}
                ]}}
            }}),
        ),
        (
            "a schema named by a pointer stays a pointer, decoded",
            json!({"paths": {}, "components": {"schemas": {
                "A": {"properties": {"b c": {"type": "string"}}},
                "D": {"$ref": "#/components/schemas/A/properties/b%20c"}
            }}}),
            json!({"paths": {}, "components": {"schemas": {
                "A": {"properties": {"b c": {"type": "string"}}},
                "D": {"$ref": "#/components/schemas/A/properties/b c"}
            }}}),
        ),
        (
            "path items and operations by pointer are copied",
            json!({"paths": {
                "/a": {"get": {"operationId": "a"}},
                "/b": {"$ref": "#/paths/~1a"},
                "/c": {"post": {"$ref": "#/paths/~1a/get"}}
            }}),
            json!({"paths": {
                "/a": {"get": {"operationId": "a"}},
                "/b": {"get": {"operationId": "a"}},
                "/c": {"post": {"operationId": "a"}}
            }}),
        ),
        (
            "a property named $ref and $refs in examples are data",
            json!({"paths": {}, "components": {"schemas": {"A": {
                "properties": {"$ref": {"type": "string"}},
                "example": {"$ref": "nowhere"}
            }}}}),
            json!({"paths": {}, "components": {"schemas": {"A": {
                "properties": {"$ref": {"type": "string"}},
                "example": {"$ref": "nowhere"}
            }}}}),
        ),
    ];
    for (what, doc, expected) in cases {
        let (got, diags) = run(doc, &[]);
        assert_eq!(diags, "", "{what}");
        assert_eq!(got, expected, "{what}");
    }
}

#[test]
fn references_into_other_files() {
    let root = with_paths(json!({
        "/pets": {"$ref": "paths/pets.yaml"},
    }));
    let (got, diags) = run(
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1", "description": {"$ref": "intro.md"}},
            "tags": [{"$ref": "tags.yaml#/pets"}],
            "paths": root["paths"].clone(),
            "components": {"schemas": {"Pet": {"$ref": "schemas/pet.yaml"}}}
        }),
        &[
            ("spec/intro.md", "Pets, split over files.\n"),
            (
                "spec/tags.yaml",
                "pets:\n  name: pets\n  description: All about pets.\n",
            ),
            (
                "spec/paths/pets.yaml",
                "get:\n  parameters:\n    - $ref: ../params.yaml#/limit\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema:\n            type: array\n            items:\n              $ref: ../schemas/pet.yaml\n    '404':\n      $ref: ../responses.json#/NotFound\n",
            ),
            (
                "spec/params.yaml",
                "limit:\n  name: limit\n  in: query\n  schema:\n    type: integer\n",
            ),
            (
                "spec/responses.json",
                r##"{"NotFound": {"description": "none", "content": {"application/json": {"schema": {"$ref": "#/Problem"}}}}, "Problem": {"type": "object"}}"##,
            ),
            (
                "spec/schemas/pet.yaml",
                "type: object\nproperties:\n  owner:\n    $ref: owner.yaml\n",
            ),
            (
                "spec/schemas/owner.yaml",
                "type: object\nproperties:\n  pets:\n    type: array\n    items:\n      $ref: pet.yaml#\n",
            ),
        ],
    );
    assert_eq!(diags, "");
    let expected = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1", "description": "Pets, split over files.\n"},
        "tags": [{"name": "pets", "description": "All about pets."}],
        "paths": {"/pets": {"get": {
            "parameters": [{"$ref": "#/components/parameters/limit"}],
            "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": {
                    "type": "array", "items": {"$ref": "#/components/schemas/Pet"}
                }}}},
                "404": {"$ref": "#/components/responses/NotFound"}
            }
        }}},
        "components": {
            "schemas": {
                // Placed at the component that names it; the cycle through
                // two files is two component references.
                "Pet": {"type": "object", "properties": {"owner": {"$ref": "#/components/schemas/owner"}}},
                "owner": {"type": "object", "properties": {"pets": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}}},
                "Problem": {"type": "object"}
            },
            "parameters": {"limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}},
            "responses": {"NotFound": {"description": "none", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}
        }
    });
    assert_eq!(got, expected);
}

#[test]
fn placed_names_do_not_depend_on_the_walk() {
    // Two files want the name `Pet`; the document has one of its own.
    let doc = |order: &[&str]| {
        let mut props = serde_json::Map::new();
        for (i, r) in order.iter().enumerate() {
            props.insert(format!("p{i}"), json!({"$ref": r}));
        }
        json!({"openapi": "3.0.3", "paths": {}, "components": {"schemas": {
            "Pet": {"type": "string"},
            "Holder": {"properties": props}
        }}})
    };
    let files = [
        ("spec/a/Pet.yaml", "type: integer\n"),
        ("spec/b/Pet.yaml", "type: boolean\n"),
    ];
    let (one, d1) = run(doc(&["a/Pet.yaml", "b/Pet.yaml"]), &files);
    let (two, d2) = run(doc(&["b/Pet.yaml", "a/Pet.yaml"]), &files);
    assert_eq!((d1.as_str(), d2.as_str()), ("", ""));
    let schemas = |v: &Value| {
        let mut names: Vec<String> = v["components"]["schemas"]
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        names.sort();
        names
    };
    assert_eq!(schemas(&one), ["Holder", "Pet", "a Pet", "b Pet"]);
    assert_eq!(schemas(&one), schemas(&two));
    assert_eq!(
        one["components"]["schemas"]["a Pet"],
        json!({"type": "integer"})
    );
    assert_eq!(
        one["components"]["schemas"]["b Pet"],
        json!({"type": "boolean"})
    );
}

#[test]
fn unresolvable_references_are_located_errors() {
    let cases = [
        (
            json!({"$ref": "missing.yaml"}),
            "error: spec/openapi.json:1 (at #/components/schemas/A/$ref): `spec/missing.yaml` cannot be read: no such file",
        ),
        (
            json!({"$ref": "common.yaml#/Nope/properties/x"}),
            "error: spec/openapi.json:1 (at #/components/schemas/A/$ref): `$ref: common.yaml#/Nope/properties/x`: `spec/common.yaml` has no `Nope` at its top level",
        ),
        (
            json!({"$ref": "#/components/schemas/B/properties/y"}),
            "error: spec/openapi.json:1 (at #/components/schemas/A/$ref): `$ref: #/components/schemas/B/properties/y`: this document has nothing named `y` in `#/components/schemas/B/properties`",
        ),
        (
            json!({"$ref": "https://example.com/schemas/pet.json"}),
            "error: spec/openapi.json:1 (at #/components/schemas/A/$ref): `$ref: https://example.com/schemas/pet.json` is a URL, and nothing is fetched: save the document and refer to it by a relative path",
        ),
    ];
    for (schema, expected) in cases {
        let doc = json!({"paths": {}, "components": {"schemas": {
            "A": schema, "B": {"properties": {"x": {}}}
        }}});
        let (_, diags) = run(doc, &[("spec/common.yaml", "Pet:\n  type: object\n")]);
        // The document is pretty-printed: lines are real, check the text only.
        let got: Vec<String> = diags
            .lines()
            .map(|l| {
                let (head, rest) = l.split_once(" (at").unwrap_or((l, ""));
                let file = head.rsplit_once(':').map_or(head, |(f, _)| f);
                format!("{file}:1 (at{rest}")
            })
            .collect();
        assert_eq!(got, [expected], "{schema}");
    }
}

#[test]
fn errors_in_other_files_name_that_file() {
    let (_, diags) = run(
        json!({"paths": {}, "components": {"schemas": {"A": {"$ref": "a.yaml"}}}}),
        &[(
            "spec/a.yaml",
            "type: object\nproperties:\n  b:\n    $ref: '#/nope'\n",
        )],
    );
    assert_eq!(
        diags,
        "error: spec/a.yaml:4 (at #/properties/b/$ref): `$ref: #/nope`: `spec/a.yaml` has no `nope` at its top level\n"
    );
}

#[test]
fn copies_are_bounded() {
    // Each path item copies the next one twice: 2^40 copies, unless bounded.
    let mut paths = serde_json::Map::new();
    for i in 0..40 {
        let next = format!("#/paths/~1p{}", i + 1);
        paths.insert(
            format!("/p{i}"),
            json!({"get": {"callbacks": {"c": {"a": {"$ref": next}, "b": {"$ref": next}}}}}),
        );
    }
    paths.insert("/p40".into(), json!({"get": {"operationId": "last"}}));
    let (_, diags) = run(with_paths(Value::Object(paths)), &[]);
    assert!(diags.contains("is not copied"), "{diags}");
}

#[test]
fn a_cycle_of_path_items_is_an_error() {
    let (_, diags) = run(
        with_paths(json!({"/a": {"$ref": "#/paths/~1b"}, "/b": {"$ref": "#/paths/~1a"}})),
        &[],
    );
    assert!(diags.contains("refers to itself"), "{diags}");
}

#[test]
fn origins_name_the_file_content_came_from() {
    let files = files(&[(
        "spec/pet.yaml",
        "type: object\nproperties:\n  name:\n    type: string\n",
    )]);
    let mut library = Library::new(&files, []);
    let mut doc = document(json!({"paths": {}, "components": {"schemas": {
        "Pet": {"$ref": "pet.yaml"}
    }}}));
    let mut diags = Diagnostics::default();
    let unresolved = resolve(&mut doc, &mut library, &mut diags);
    assert!(unresolved.is_empty());
    let at = doc.locate("/components/schemas/Pet/properties/name");
    assert_eq!(
        at.to_string(),
        "spec/pet.yaml:3 (at #/properties/name)",
        "{diags}"
    );
    assert!(library.is_used("spec/pet.yaml"));
}

#[test]
fn references_by_an_absolute_self_are_relative_to_the_document() {
    let uri = "https://api.example.com/specs/openapi.yaml";
    let cases = [
        (
            "https://api.example.com/specs/openapi.yaml#/components/schemas/A",
            "#/components/schemas/A",
        ),
        ("https://api.example.com/specs/openapi.yaml", "#"),
        (
            "https://api.example.com/specs/common.yaml#/T",
            "common.yaml#/T",
        ),
        ("https://api.example.com/specs/sub/x.yaml", "sub/x.yaml"),
        (
            "https://api.example.com/other/x.yaml",
            "https://api.example.com/other/x.yaml",
        ),
        (
            "https://api.example.com/specsx/x.yaml",
            "https://api.example.com/specsx/x.yaml",
        ),
        ("common.yaml#/T", "common.yaml#/T"),
        ("#/components/schemas/A", "#/components/schemas/A"),
    ];
    for (text, want) in cases {
        assert_eq!(super::under_self(uri, text), want, "{text}");
    }
    // `$self` at a host's root: files at the root are beside it.
    assert_eq!(
        super::under_self("https://h/openapi.yaml", "https://h/x.yaml"),
        "x.yaml"
    );
}
