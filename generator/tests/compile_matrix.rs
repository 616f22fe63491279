//! The compile matrix: small specs that place every scalar kind and format
//! (strings, integer widths, numbers, booleans, date-time, date, uuid, byte,
//! binary, enums, arrays, maps, unions, objects, `any`) in every position
//! (path, query (in every style, and as JSON content), header, hoisted
//! header and cookie parameters, JSON, form,
//! multipart, text and byte bodies, success responses, documented error
//! bodies, envelope data and fields, paged items, streamed items: SSE and
//! JSON Lines), and every name a builder
//! or the client reserves used as a parameter, property, operation, type
//! and group name.
//!
//! `cargo test` generates each of them (they must generate without a
//! warning). Compiling is `#[ignore]`d (`cargo xtask test-matrix` runs it):
//! the matrix crates, every `fixtures/ok` spec (with its config), every
//! top-level `fixtures/adversarial` spec and every spec split over files in
//! `fixtures/multi-file` (from its root file) are written into one scratch
//! workspace and checked with a single `cargo clippy --all-targets -- -D
//! warnings` (one build of the dependencies); the split matrix crate is
//! then checked once per feature with operations alone (no dead code of
//! the features left out). Set `MATRIX_DOCTEST=1` to also run `cargo test --doc` there.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use generator::{Config, Diagnostics, Options, SourceFile};
use serde_json::{Map, Value, json};

/// Every kind of value a schema can describe, by label (a wire name).
fn kinds() -> Vec<(&'static str, Value)> {
    let object = json!({
        "type": "object",
        "properties": {"name": {"type": "string"}, "at": {"type": "string", "format": "date-time"}},
    });
    vec![
        ("string", json!({"type": "string"})),
        ("int32", json!({"type": "integer", "format": "int32"})),
        ("int64", json!({"type": "integer", "format": "int64"})),
        ("integer", json!({"type": "integer"})),
        ("float", json!({"type": "number", "format": "float"})),
        ("double", json!({"type": "number", "format": "double"})),
        ("boolean", json!({"type": "boolean"})),
        (
            "date_time",
            json!({"type": "string", "format": "date-time"}),
        ),
        ("date", json!({"type": "string", "format": "date"})),
        ("uuid", json!({"type": "string", "format": "uuid"})),
        ("byte", json!({"type": "string", "format": "byte"})),
        ("binary", json!({"type": "string", "format": "binary"})),
        (
            "nullable_date",
            json!({"type": "string", "format": "date", "nullable": true}),
        ),
        (
            "string_enum",
            json!({"type": "string", "enum": ["one", "two"]}),
        ),
        ("int_enum", json!({"type": "integer", "enum": [1, 2]})),
        (
            "array",
            json!({"type": "array", "items": {"type": "string"}}),
        ),
        (
            "array_uuid",
            json!({"type": "array", "items": {"type": "string", "format": "uuid"}}),
        ),
        (
            "array_byte",
            json!({"type": "array", "items": {"type": "string", "format": "byte"}}),
        ),
        (
            "map",
            json!({"type": "object", "additionalProperties": {"type": "integer"}}),
        ),
        (
            "map_date_time",
            json!({"type": "object", "additionalProperties": {"type": "string", "format": "date-time"}}),
        ),
        (
            "union",
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}]}),
        ),
        (
            "union_objects",
            json!({"oneOf": [
                {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
                {"type": "object", "required": ["b"], "properties": {"b": {"type": "string", "format": "uuid"}}},
            ]}),
        ),
        ("object", object),
        ("component", json!({"$ref": "#/components/schemas/Thing"})),
        ("any", json!({})),
    ]
}

/// Components every matrix spec shares: a struct holding every kind.
fn components() -> Value {
    let mut every = Map::new();
    for (label, schema) in kinds() {
        if label != "component" {
            every.insert(label.to_owned(), schema);
        }
    }
    json!({
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Thing": {"type": "object", "required": ["id"], "properties": every.clone()},
            "Item": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "string"}, "every": {"$ref": "#/components/schemas/Thing"}},
            },
            "Page": {
                "type": "object",
                "required": ["data", "has_more"],
                "properties": {
                    "data": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
                    "has_more": {"type": "boolean"},
                },
            },
        }
    })
}

fn ok(content: Option<(&str, Value)>) -> Value {
    match content {
        Some((media, schema)) => json!({
            "description": "ok",
            "content": {media: {"schema": schema}},
        }),
        None => json!({"description": "ok"}),
    }
}

fn parameter(name: &str, location: &str, required: bool, schema: &Value) -> Value {
    json!({"name": name, "in": location, "required": required, "schema": schema})
}

/// An object schema with one property per kind, `required` or not.
fn every_property(required: bool, binary_as: Option<&str>) -> Value {
    let mut properties = Map::new();
    let mut names = Vec::new();
    for (label, mut schema) in kinds() {
        if label == "binary"
            && let Some(format) = binary_as
        {
            schema = json!({"type": "string", "format": format});
        }
        properties.insert(label.to_owned(), schema);
        names.push(label);
    }
    let mut object = json!({"type": "object", "properties": properties});
    if required {
        object["required"] = json!(names);
    }
    object
}

/// The positions: one operation per parameter position holding one
/// parameter per kind, and one operation per kind for bodies, responses,
/// error bodies and paged items.
fn positions() -> Value {
    let mut paths = Map::new();
    let mut add = |path: String, method: &str, op: Value| {
        let item = paths.entry(path).or_insert_with(|| json!({}));
        item[method] = op;
    };
    let kinds = kinds();
    // Parameters, one operation per position.
    let path = format!(
        "/params/path/{}",
        kinds
            .iter()
            .map(|(l, _)| format!("{{{l}}}"))
            .collect::<Vec<_>>()
            .join("/")
    );
    let params = |location: &str, required: bool, prefix: &str| -> Value {
        kinds
            .iter()
            .map(|(l, s)| parameter(&format!("{prefix}{l}"), location, required, s))
            .collect()
    };
    add(
        path,
        "get",
        json!({"operationId": "params_path", "parameters": params("path", true, ""), "responses": {"204": ok(None)}}),
    );
    for (location, prefix) in [("query", "q_"), ("header", "h_"), ("cookie", "c_")] {
        for required in [true, false] {
            let which = if required { "required" } else { "optional" };
            add(
                format!("/params/{location}/{which}"),
                "get",
                json!({
                    "operationId": format!("params_{location}_{which}"),
                    "parameters": params(location, required, &format!("{prefix}{which}_")),
                    "responses": {"204": ok(None)},
                }),
            );
        }
    }
    // Headers two operations share become client settings.
    for (name, required) in [("hoisted_one", true), ("hoisted_two", false)] {
        add(
            format!("/params/{name}"),
            "get",
            json!({
                "operationId": format!("params_{name}"),
                "parameters": params("header", required, "hoisted_"),
                "responses": {"204": ok(None)},
            }),
        );
    }
    // Query styles for lists and objects.
    let mut styled = Vec::new();
    for (style, explode) in [
        ("form", true),
        ("form", false),
        ("spaceDelimited", false),
        ("pipeDelimited", false),
        ("deepObject", true),
    ] {
        for (label, schema) in kinds
            .iter()
            .filter(|(l, _)| matches!(*l, "array" | "array_uuid" | "object" | "map" | "component"))
        {
            let name = format!("{style}_{explode}_{label}");
            let mut p = parameter(&name, "query", false, schema);
            p["style"] = json!(style);
            p["explode"] = json!(explode);
            styled.push(p);
        }
    }
    // Every kind given by `content: application/json`: sent as JSON text.
    for (label, schema) in &kinds {
        styled.push(json!({
            "name": format!("json_{label}"),
            "in": "query",
            "content": {"application/json": {"schema": schema}},
        }));
    }
    add(
        "/params/query/styles".into(),
        "get",
        json!({"operationId": "params_query_styles", "parameters": styled, "responses": {"204": ok(None)}}),
    );
    // Bodies and responses, one operation per kind.
    for (label, schema) in &kinds {
        for required in [true, false] {
            let which = if required { "required" } else { "optional" };
            add(
                format!("/body/json/{which}/{label}"),
                "post",
                json!({
                    "operationId": format!("body_json_{which}_{label}"),
                    "requestBody": {"required": required, "content": {"application/json": {"schema": schema}}},
                    "responses": {"204": ok(None)},
                }),
            );
        }
        add(
            format!("/response/{label}"),
            "get",
            // Credentials only some operations (features) send.
            json!({
                "operationId": format!("response_{label}"),
                "security": [{"bearer": []}],
                "responses": {"200": ok(Some(("application/json", schema.clone())))},
            }),
        );
        add(
            format!("/error/{label}"),
            "get",
            json!({
                "operationId": format!("error_{label}"),
                "responses": {
                    "204": ok(None),
                    "400": ok(Some(("application/json", schema.clone()))),
                },
            }),
        );
        let mut linked = ok(Some((
            "application/json",
            json!({"type": "array", "items": schema}),
        )));
        linked["headers"] = json!({"Link": {"schema": {"type": "string"}}});
        add(
            format!("/paged/link/{label}"),
            "get",
            json!({"operationId": format!("paged_link_{label}"), "responses": {"200": linked}}),
        );
        // Streamed items: an SSE event's `data` beside the JSON form, a
        // JSON Lines line.
        let mut both = ok(Some(("application/json", schema.clone())));
        both["content"]["text/event-stream"] = json!({"schema": schema});
        add(
            format!("/stream/sse/{label}"),
            "get",
            json!({"operationId": format!("stream_sse_{label}"), "responses": {"200": both}}),
        );
        add(
            format!("/stream/lines/{label}"),
            "get",
            json!({
                "operationId": format!("stream_lines_{label}"),
                "responses": {"200": ok(Some(("application/x-ndjson", schema.clone())))},
            }),
        );
    }
    // Bodies holding every kind as a property.
    for (media, binary) in [
        ("application/x-www-form-urlencoded", None),
        ("multipart/form-data", Some("binary")),
    ] {
        let short = if media.starts_with("multipart") {
            "multipart"
        } else {
            "form"
        };
        for required in [true, false] {
            let which = if required { "required" } else { "optional" };
            add(
                format!("/body/{short}/{which}"),
                "post",
                json!({
                    "operationId": format!("body_{short}_{which}"),
                    "requestBody": {"required": required, "content": {media: {"schema": every_property(required, binary)}}},
                    "responses": {"204": ok(None)},
                }),
            );
        }
    }
    // Raw bodies and responses.
    for (label, media, schema) in [
        ("text", "text/plain", json!({"type": "string"})),
        (
            "bytes",
            "application/octet-stream",
            json!({"type": "string", "format": "binary"}),
        ),
    ] {
        add(
            format!("/body/{label}"),
            "post",
            json!({
                "operationId": format!("body_{label}"),
                "requestBody": {"required": true, "content": {media: {"schema": schema}}},
                "responses": {"204": ok(None)},
            }),
        );
        add(
            format!("/response/raw/{label}"),
            "get",
            json!({
                "operationId": format!("response_raw_{label}"),
                "responses": {
                    "200": ok(Some((media, schema.clone()))),
                    "404": ok(Some(("application/json", json!({"type": "string", "format": "date"})))),
                },
            }),
        );
    }
    // Cursor pages of items holding every kind.
    add(
        "/paged/cursor".into(),
        "get",
        json!({
            "operationId": "paged_cursor",
            "parameters": [parameter("starting_after", "query", false, &json!({"type": "string"}))],
            "responses": {"200": ok(Some(("application/json", json!({"$ref": "#/components/schemas/Page"}))))},
        }),
    );
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Matrix", "version": "1"},
        "paths": paths,
        "components": components(),
    })
}

/// Enveloped responses (`{code, msg, at, id, state, data}`), one per kind;
/// the envelope's own fields hold a date-time, a uuid, bytes and an enum.
fn envelope() -> Value {
    let mut paths = Map::new();
    for (label, schema) in kinds() {
        let wrapped = json!({
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "msg": {"type": "string"},
                "at": {"type": "string", "format": "date-time"},
                "id": {"type": "string", "format": "uuid"},
                "sig": {"type": "string", "format": "byte"},
                "state": {"type": "string", "enum": ["fine", "failed"]},
                "data": schema,
            },
        });
        paths.insert(
            format!("/enveloped/{label}"),
            json!({"get": {
                "operationId": format!("enveloped_{label}"),
                "responses": {"200": ok(Some(("application/json", wrapped)))},
            }}),
        );
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Matrix envelope", "version": "1"},
        "paths": paths,
        "components": components(),
    })
}

/// What the client reserves: its methods (`generator::naming`'s list), and
/// the accessors of a credential (`api_key`) and of a hoisted header
/// (`x_trace`).
fn client_names() -> Vec<String> {
    generator::naming::client_reserved(["api_key", "x_trace"])
}

/// Type names the crate uses itself, and module names of a split crate.
const TYPE_NAMES: &[&str] = &[
    "Client",
    "Error",
    "ErrorBody",
    "Pending",
    "Future",
    "IntoFuture",
    "Pin",
    "Base64",
    "Option",
    "Result",
    "Params",
    "Scheme",
];
const GROUP_NAMES: &[&str] = &[
    "types", "builder", "client", "error", "runtime", "default", "mod", "lib",
];

/// Every reserved name as an operation, parameter (query, setter and
/// argument), property and type name; tags named like the crate's modules.
fn names() -> Value {
    let mut paths = Map::new();
    let client = client_names();
    let mut all: Vec<&str> = generator::naming::BUILDER_MEMBERS
        .iter()
        .copied()
        .chain(client.iter().map(String::as_str))
        .collect();
    all.sort_unstable();
    all.dedup();
    let string = json!({"type": "string"});
    // Hoisted headers whose accessors could clash with the client's own
    // methods (`with_middleware`).
    let headers = json!([
        parameter("X-Trace", "header", false, &string),
        parameter("Middleware", "header", false, &string),
    ]);
    for (i, name) in all.iter().enumerate() {
        let tag = GROUP_NAMES[i % GROUP_NAMES.len()];
        paths.insert(
            format!("/{name}"),
            json!({"get": {
                "operationId": name,
                "tags": [tag],
                "parameters": headers,
                "security": [{"api_key": [], "http_client": []}],
                "responses": {"200": ok(Some(("application/json", json!({"$ref": "#/components/schemas/Reserved"}))))},
            }}),
        );
    }
    let params = |required: bool| -> Value {
        all.iter()
            .map(|n| parameter(n, "query", required, &string))
            .collect()
    };
    paths.insert(
        "/optional/names".into(),
        json!({"post": {
            "operationId": "optional_names",
            "tags": ["types"],
            "parameters": params(false),
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Reserved"}}}},
            "responses": {"204": ok(None)},
        }}),
    );
    paths.insert(
        "/required/names".into(),
        json!({"post": {
            "operationId": "required_names",
            "tags": ["builder"],
            "parameters": params(true),
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Reserved"}}}},
            "responses": {"204": ok(None)},
        }}),
    );
    // The builder methods that only some operations have: `stream` (paged),
    // `send_streaming` (downloads).
    paths.insert(
        "/download/names".into(),
        json!({"get": {
            "operationId": "download_names",
            "tags": ["client"],
            "parameters": params(false),
            "responses": {
                "200": ok(Some(("application/octet-stream", json!({"type": "string", "format": "binary"})))),
                "400": ok(Some(("application/json", json!({"$ref": "#/components/schemas/Base64"})))),
            },
        }}),
    );
    let mut linked = ok(Some((
        "application/json",
        json!({"type": "array", "items": {"$ref": "#/components/schemas/Reserved"}}),
    )));
    linked["headers"] = json!({"Link": {"schema": {"type": "string"}}});
    paths.insert(
        "/paged/names".into(),
        json!({"get": {"operationId": "paged_names", "tags": ["error"], "parameters": params(false), "responses": {"200": linked}}}),
    );
    let mut reserved = Map::new();
    for name in all.iter().chain(["additional_properties"].iter()) {
        reserved.insert(
            (*name).to_owned(),
            json!({"type": "string", "format": "byte"}),
        );
    }
    let mut schemas = Map::new();
    schemas.insert(
        "Reserved".into(),
        json!({"type": "object", "properties": reserved, "additionalProperties": {"type": "integer"}}),
    );
    for name in TYPE_NAMES {
        schemas.insert(
            (*name).to_owned(),
            json!({"type": "object", "properties": {"value": {"type": "string", "format": "byte"}}}),
        );
    }
    let mut holder = Map::new();
    for name in TYPE_NAMES {
        holder.insert(
            name.to_lowercase(),
            json!({"$ref": format!("#/components/schemas/{name}")}),
        );
    }
    schemas.insert(
        "Holder".into(),
        json!({"type": "object", "properties": holder}),
    );
    paths.insert(
        "/types/names".into(),
        json!({"get": {
            "operationId": "types_names",
            "tags": ["runtime"],
            "responses": {"200": ok(Some(("application/json", json!({"$ref": "#/components/schemas/Holder"}))))},
        }}),
    );
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Matrix names", "version": "1"},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "api_key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
                "http_client": {"type": "http", "scheme": "bearer"},
            },
        },
    })
}

/// The matrix: (crate name, spec, config).
fn matrix() -> Vec<(&'static str, Value, &'static str)> {
    vec![
        // Over 100 operations: split unless told not to.
        ("matrix", positions(), "[types]\nsplit = \"off\"\n"),
        // The same with every tag a feature: helpers and codecs gated by
        // the groups that use them.
        (
            "matrix-split",
            tagged(positions()),
            "[types]\nsplit = \"on\"\n",
        ),
        // Formats as strings.
        (
            "matrix-strings",
            positions(),
            "[types]\nsplit = \"off\"\ndate_time = \"string\"\nuuid = \"string\"\nbyte = \"string\"\n",
        ),
        (
            "matrix-envelope",
            envelope(),
            "[envelope]\ndata = \"data\"\nsuccess = { field = \"code\", equals = \"0\" }\n",
        ),
        (
            "matrix-names",
            names(),
            "[types]\nsplit = \"on\"\n\n[client]\nmiddleware = true\n",
        ),
    ]
}

/// Tags each operation by the first segment of its path after the first.
fn tagged(mut spec: Value) -> Value {
    if let Some(paths) = spec["paths"].as_object_mut() {
        for (path, item) in paths.iter_mut() {
            let tag = path.split('/').nth(1).unwrap_or("root").to_owned();
            if let Some(ops) = item.as_object_mut() {
                for op in ops.values_mut() {
                    op["tags"] = json!([tag]);
                }
            }
        }
    }
    spec
}

fn options() -> Options {
    Options {
        command: "cargo test -p generator --test compile_matrix".into(),
    }
}

fn config(name: &str, extra: &str) -> Config {
    let text =
        format!("{extra}\n[package]\nname = \"{name}\"\n\n[manifest.lints]\nworkspace = true\n");
    let mut d = Diagnostics::default();
    Config::parse(&text, "test", &mut d).unwrap_or_else(|| panic!("config of {name}: {d}"))
}

fn generate(name: &str, sources: &[SourceFile], config: &Config) -> generator::Output {
    generator::generate(sources, config, &options())
        .unwrap_or_else(|d| panic!("{name} did not generate:\n{d}"))
}

/// The matrix crates, generated.
fn matrix_crates() -> Vec<(String, generator::Output)> {
    matrix()
        .into_iter()
        .map(|(name, spec, extra)| {
            let sources = [SourceFile {
                name: format!("{name}.json"),
                text: serde_json::to_string_pretty(&spec).unwrap_or_default(),
            }];
            (
                name.to_owned(),
                generate(name, &sources, &config(name, extra)),
            )
        })
        .collect()
}

#[test]
fn matrix_specs_generate_without_warnings() {
    for (name, output) in matrix_crates() {
        let warnings: Vec<String> = output
            .diagnostics
            .warnings()
            .map(|w| w.to_string())
            .collect();
        assert!(warnings.is_empty(), "{name}:\n{}", warnings.join("\n"));
        assert!(output.operations > 0, "{name}");
    }
}

fn fixtures(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(kind);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .is_some_and(|e| e == "yaml" || e == "json" || e == "md")
        })
        .collect();
    files.sort();
    files
}

/// A fixture: (crate name, its generated crate), with `<stem>.toml` beside
/// it as its config.
fn fixture_crate(kind: &str, path: &Path) -> (String, generator::Output) {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().replace(['.', '_'], "-"))
        .unwrap_or_default();
    let name = format!("{kind}-{stem}");
    let extra = fs::read_to_string(path.with_extension("toml")).unwrap_or_default();
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let sources = [SourceFile {
        name: path.display().to_string(),
        text,
    }];
    let output = generate(&name, &sources, &config(&name, &extra));
    (name, output)
}

/// The root files of the specs split over many files
/// (`fixtures/multi-file/<name>/openapi.yaml`).
fn multi_file_roots() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/multi-file");
    let mut roots: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path().join("openapi.yaml")))
        .filter(|p| p.is_file())
        .collect();
    roots.sort();
    assert!(
        !roots.is_empty(),
        "no multi-file fixture in {}",
        dir.display()
    );
    roots
}

/// A spec split over many files, given by its root file: the generator
/// reads the files its `$ref`s name.
fn multi_file_crate(root: &Path) -> (String, generator::Output) {
    let folder = root
        .parent()
        .and_then(Path::file_name)
        .map(|s| s.to_string_lossy().replace(['.', '_'], "-"))
        .unwrap_or_default();
    let name = format!("multi-file-{folder}");
    let sources = generator::source::load(&[root.to_path_buf()])
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()));
    let output = generate(&name, &sources, &config(&name, ""));
    (name, output)
}

/// The root workspace's lints, so every crate meets the same bar as the
/// checked-in client.
const WORKSPACE: &str = r#"[workspace]
resolver = "3"
members = [MEMBERS]

[workspace.lints.rust]
unsafe_code = "forbid"
missing_debug_implementations = "warn"
rust_2018_idioms = { level = "warn", priority = -1 }

[workspace.lints.clippy]
unwrap_used = "warn"
dbg_macro = "warn"
todo = "warn"
"#;

#[test]
#[ignore = "builds a workspace of generated crates; `cargo xtask test-matrix` runs it"]
fn matrix_and_fixtures_compile_clippy_clean() {
    let mut crates = matrix_crates();
    for path in fixtures("ok") {
        crates.push(fixture_crate("ok", &path));
    }
    for path in fixtures("adversarial") {
        crates.push(fixture_crate("adversarial", &path));
    }
    for root in multi_file_roots() {
        crates.push(multi_file_crate(&root));
    }
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("compile-matrix");
    let mut members = Vec::new();
    let mut split_features = Vec::new();
    for (name, output) in &crates {
        let dir = scratch.join(name);
        generator::write::write(&dir, &output.files, generator::write::Mode::Write)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        members.push(format!("\"{name}\""));
        if name == "matrix-split" {
            split_features = features(output);
        }
    }
    fs::write(
        scratch.join("Cargo.toml"),
        WORKSPACE.replace("MEMBERS", &members.join(", ")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // The repository's lock file pins the same dependency versions, so the
    // scratch build needs nothing new from the registry.
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    if !scratch.join("Cargo.lock").exists() {
        let _ = fs::copy(lock, scratch.join("Cargo.lock"));
    }
    let cargo = |args: &[&str]| {
        let out = Command::new(env!("CARGO"))
            .args(args)
            .current_dir(&scratch)
            .env("CARGO_TARGET_DIR", scratch.join("target"))
            .env_remove("RUSTFLAGS")
            .output()
            .unwrap_or_else(|e| panic!("cargo: {e}"));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "cargo {args:?} failed in {}:\n{stderr}",
            scratch.display()
        );
    };
    let clippy = ["clippy", "--quiet", "--keep-going", "--all-targets"];
    let deny = ["--", "-D", "warnings"];
    cargo(&[&clippy[..], &["--workspace"], &deny].concat());
    assert!(split_features.len() > 2, "{split_features:?}");
    for feature in &split_features {
        cargo(
            &[
                &clippy[..],
                &["-p", "matrix-split", "--no-default-features", "--features"],
                &[feature.as_str()],
                &deny,
            ]
            .concat(),
        );
    }
    if std::env::var_os("MATRIX_DOCTEST").is_some() {
        cargo(&["test", "--workspace", "--doc", "--quiet"]);
    }
}

/// The cargo features of a generated crate that have operations (the one
/// of schemas no operation uses compiles no request machinery alone).
fn features(output: &generator::Output) -> Vec<String> {
    let manifest = output
        .files
        .iter()
        .find(|f| f.path == "Cargo.toml")
        .map(|f| f.contents.as_str())
        .unwrap_or_default();
    let table: toml::Table = manifest.parse().unwrap_or_default();
    table
        .get("features")
        .and_then(|f| f.as_table())
        .map(|f| {
            f.keys()
                .filter(|k| {
                    let builder = format!("src/builder/{k}.rs");
                    output.files.iter().any(|f| f.path == builder)
                })
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}
