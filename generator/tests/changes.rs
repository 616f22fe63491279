//! The change report's classification, one small change per case: a base
//! API (`fixtures/changes/base.json`) and the same API with one edit,
//! generated in memory; the new crate is compared with the description the
//! old one wrote (`public-api.toml`, read back as the generator reads it
//! from disk). Each snapshot holds the report as text and as JSON.

use std::path::Path;

use generator::config::Split;
use generator::{Config, Options, Output, SourceFile};
use serde_json::{Value, json};

/// One edit of the base document, at a JSON pointer.
enum Edit {
    /// Sets the value at a pointer (its parent must exist).
    Set(&'static str, Value),
    Remove(&'static str),
    /// Appends to the array at a pointer.
    Push(&'static str, Value),
    /// Renames a component schema, and every `$ref` to it.
    RenameSchema(&'static str, &'static str),
}

use Edit::*;

fn base() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/changes/base.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"))
}

fn parent<'v>(doc: &'v mut Value, pointer: &str) -> (&'v mut Value, String) {
    let (up, last) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    let key = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(up) {
        Some(p) => (p, key),
        None => panic!("no {up} in the base document"),
    }
}

fn apply(doc: &mut Value, edit: &Edit) {
    match edit {
        Set(pointer, value) => {
            let (p, key) = parent(doc, pointer);
            match p {
                Value::Object(map) => {
                    map.insert(key, value.clone());
                }
                Value::Array(items) => {
                    let i: usize = key.parse().unwrap_or_else(|e| panic!("{pointer}: {e}"));
                    items[i] = value.clone();
                }
                _ => panic!("{pointer}: not in an object or array"),
            }
        }
        Remove(pointer) => {
            let (p, key) = parent(doc, pointer);
            match p {
                Value::Object(map) => {
                    map.shift_remove(&key);
                }
                Value::Array(items) => {
                    let i: usize = key.parse().unwrap_or_else(|e| panic!("{pointer}: {e}"));
                    items.remove(i);
                }
                _ => panic!("{pointer}: not in an object or array"),
            }
        }
        Push(pointer, value) => match doc.pointer_mut(pointer) {
            Some(Value::Array(items)) => items.push(value.clone()),
            _ => panic!("{pointer}: not an array"),
        },
        RenameSchema(from, to) => {
            let text = serde_json::to_string(doc).unwrap_or_default();
            let text = text.replace(
                &format!("\"#/components/schemas/{from}\""),
                &format!("\"#/components/schemas/{to}\""),
            );
            *doc = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
            let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") else {
                panic!("no schemas");
            };
            let schema = schemas
                .shift_remove(*from)
                .unwrap_or_else(|| panic!("no {from}"));
            schemas.insert((*to).to_owned(), schema);
        }
    }
}

fn generate(name: &str, doc: &Value, split: bool) -> Output {
    let sources = vec![SourceFile {
        name: name.to_owned(),
        text: serde_json::to_string_pretty(doc).unwrap_or_default(),
    }];
    let mut config = Config::default();
    config.package.name = Some("pets".into());
    if split {
        config.types.split = Split::On;
    }
    let options = Options {
        command: "cargo test -p generator --test changes".into(),
    };
    generator::generate(&sources, &config, &options).unwrap_or_else(|d| panic!("{name}: {d}"))
}

/// The report of the change from the base document to the edited one.
fn report(edits: &[Edit], split: bool) -> generator::changes::Report {
    let old_doc = base();
    let mut new_doc = base();
    for e in edits {
        apply(&mut new_doc, e);
    }
    let old = generate("old.json", &old_doc, split);
    let new = generate("new.json", &new_doc, split);
    let written = old
        .files
        .iter()
        .find(|f| f.path == generator::public_api::FILE)
        .unwrap_or_else(|| panic!("no {}", generator::public_api::FILE));
    new.changes(Some(&written.contents))
}

/// Each case: a name, whether the crate is split by tag, the edits, and
/// whether the change breaks callers (`None`: no change at all).
fn cases() -> Vec<(&'static str, bool, Vec<Edit>, Option<bool>)> {
    vec![
        ("no_change", false, vec![], None),
        (
            "method_added",
            false,
            vec![Set(
                "/paths/~1pets~1{petId}/delete",
                json!({"operationId": "deletePet", "tags": ["pets"],
                       "parameters": [{"name": "petId", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64"}}],
                       "responses": {"204": {"description": "Deleted."}}}),
            )],
            Some(false),
        ),
        (
            "method_removed",
            false,
            vec![Remove("/paths/~1pets~1{petId}/get")],
            Some(true),
        ),
        (
            "method_renamed",
            false,
            vec![Set(
                "/paths/~1pets~1{petId}/get/operationId",
                json!("showPet"),
            )],
            Some(true),
        ),
        (
            "setter_added",
            false,
            vec![Push(
                "/paths/~1pets/get/parameters",
                json!({"name": "offset", "in": "query", "schema": {"type": "integer", "format": "int32"}}),
            )],
            Some(false),
        ),
        (
            "setter_removed",
            false,
            vec![Remove("/paths/~1pets/get/parameters/1")],
            Some(true),
        ),
        (
            "argument_added",
            false,
            vec![Push(
                "/paths/~1pets/get/parameters",
                json!({"name": "owner", "in": "query", "required": true, "schema": {"type": "string"}}),
            )],
            Some(true),
        ),
        (
            "argument_now_optional",
            false,
            vec![Set("/paths/~1pets/get/parameters/0/required", json!(false))],
            Some(true),
        ),
        (
            "setter_now_required",
            false,
            vec![Set("/paths/~1pets/get/parameters/1/required", json!(true))],
            Some(true),
        ),
        (
            "argument_type_changed",
            false,
            vec![Set(
                "/paths/~1pets~1{petId}/get/parameters/0/schema",
                json!({"type": "string"}),
            )],
            Some(true),
        ),
        (
            "response_type_changed",
            false,
            vec![Set(
                "/paths/~1pets~1{petId}/get/responses/200/content/application~1json/schema/$ref",
                json!("#/components/schemas/NewPet"),
            )],
            Some(true),
        ),
        (
            "type_added",
            false,
            vec![Set(
                "/components/schemas/Owner",
                json!({"type": "object", "properties": {"name": {"type": "string"}}}),
            )],
            Some(false),
        ),
        (
            "type_removed",
            false,
            vec![Remove("/components/schemas/Toy")],
            Some(true),
        ),
        (
            "type_renamed",
            false,
            vec![RenameSchema("Toy", "Plaything")],
            Some(true),
        ),
        (
            "request_field_added_optional",
            false,
            vec![Set(
                "/components/schemas/NewPet/properties/color",
                json!({"type": "string"}),
            )],
            Some(false),
        ),
        (
            "request_field_added_required",
            false,
            vec![
                Set(
                    "/components/schemas/NewPet/properties/color",
                    json!({"type": "string"}),
                ),
                Push("/components/schemas/NewPet/required", json!("color")),
            ],
            Some(true),
        ),
        (
            "response_field_added",
            false,
            vec![Set(
                "/components/schemas/Pet/properties/color",
                json!({"type": "string"}),
            )],
            Some(false),
        ),
        (
            "field_removed",
            false,
            vec![Remove("/components/schemas/Pet/properties/tag")],
            Some(true),
        ),
        (
            "field_type_changed",
            false,
            vec![Set(
                "/components/schemas/Pet/properties/tag",
                json!({"type": "integer"}),
            )],
            Some(true),
        ),
        (
            "field_now_optional",
            false,
            vec![Set("/components/schemas/Pet/required", json!(["id"]))],
            Some(true),
        ),
        (
            "field_now_required",
            false,
            vec![Push("/components/schemas/Pet/required", json!("tag"))],
            Some(true),
        ),
        (
            "enum_variant_added",
            false,
            vec![Push(
                "/components/schemas/Pet/properties/status/enum",
                json!("pending"),
            )],
            Some(false),
        ),
        (
            "enum_variant_removed",
            false,
            vec![Remove("/components/schemas/Pet/properties/status/enum/1")],
            Some(true),
        ),
        (
            "union_variant_added",
            false,
            vec![Push(
                "/components/schemas/Pet/properties/age/oneOf",
                json!({"type": "boolean"}),
            )],
            Some(false),
        ),
        (
            "constant_added",
            false,
            vec![
                Push("/components/schemas/Pet/properties/size/enum", json!(4)),
                Push(
                    "/components/schemas/Pet/properties/size/x-enum-varnames",
                    json!("huge"),
                ),
            ],
            Some(false),
        ),
        (
            "credential_added",
            false,
            vec![
                Set(
                    "/components/securitySchemes",
                    json!({"apiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}}),
                ),
                Set("/security", json!([{"apiKey": []}])),
            ],
            Some(false),
        ),
        (
            "feature_added",
            true,
            vec![
                Push("/tags", json!({"name": "owners"})),
                Set(
                    "/paths/~1owners",
                    json!({"get": {"operationId": "listOwners", "tags": ["owners"],
                                   "responses": {"204": {"description": "None."}}}}),
                ),
            ],
            Some(false),
        ),
        (
            "feature_removed",
            true,
            vec![Remove("/paths/~1store~1inventory")],
            Some(true),
        ),
    ]
}

#[test]
fn change_reports() {
    for (name, split, edits, breaking) in cases() {
        let report = report(&edits, split);
        let verdict = report.verdict();
        match breaking {
            None => assert!(report.changes.is_empty(), "{name}: {}", report.text()),
            Some(b) => {
                assert!(!report.changes.is_empty(), "{name}: no change reported");
                assert_eq!(verdict.breaking > 0, b, "{name}: {}", report.text());
            }
        }
        let json = serde_json::to_string_pretty(&report.json()).unwrap_or_default();
        insta::assert_snapshot!(name, format!("{}\n{json}\n", report.text()));
    }
}

/// The seed's text with `edit` applied, generated with its config, and
/// the report against the checked-in client's description.
fn seed_report(edit: impl Fn(&str) -> String) -> generator::changes::Report {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let seed = std::fs::read_to_string(root.join("specs/customer-auth.md")).unwrap_or_default();
    let sources = vec![SourceFile {
        name: "specs/customer-auth.md".into(),
        text: edit(&seed),
    }];
    let text = std::fs::read_to_string(root.join("specs/codegen.toml")).unwrap_or_default();
    let mut diags = generator::Diagnostics::default();
    let config =
        Config::parse(&text, "specs/codegen.toml", &mut diags).unwrap_or_else(|| panic!("{diags}"));
    let options = Options {
        command: "cargo xtask codegen".into(),
    };
    let out = generator::generate(&sources, &config, &options).unwrap_or_else(|d| panic!("{d}"));
    let on_disk = std::fs::read_to_string(
        root.join("generated-client")
            .join(generator::public_api::FILE),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    out.changes(Some(&on_disk))
}

/// The seed with one new optional property in the login request body:
/// one compatible change, at the seed's file and line.
#[test]
fn seed_with_a_new_optional_request_field() {
    let marker = r#""loginName":{"type":"string","description":"Account: Email/Phone Number"}"#;
    let report = seed_report(|seed| {
        assert!(
            seed.contains(marker),
            "the seed's login body changed; update the test"
        );
        seed.replacen(
            marker,
            &format!(
                r#"{marker},"referrer":{{"type":"string","description":"Who sent the customer"}}"#
            ),
            1,
        )
    });
    assert_eq!(report.changes.len(), 1, "{}", report.text());
    let change = &report.changes[0];
    assert!(!change.breaking, "{}", report.text());
    assert_eq!(change.item, "LoginBody.referrer");
    let location = change
        .location
        .as_ref()
        .unwrap_or_else(|| panic!("not located"));
    assert_eq!(
        (location.file.as_str(), location.line),
        ("specs/customer-auth.md", 10)
    );
    insta::assert_snapshot!(report.text());
}

/// An unchanged spec: "no API change".
#[test]
fn unchanged_seed() {
    assert_eq!(seed_report(str::to_owned).text(), "no API change\n");
}
