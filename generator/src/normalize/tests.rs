//! Table-driven: input document → output document + recorded rewrites.

use serde_json::{Value, json};

use super::*;

/// A 3.1 document with `schemas` as its component schemas.
fn with_schemas(schemas: Value) -> Value {
    json!({"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "components": {"schemas": schemas}})
}

fn out_schemas(schemas: Value) -> Value {
    json!({"openapi": TARGET_VERSION, "info": {"title": "T", "version": "1"}, "components": {"schemas": schemas}})
}

fn notes(list: &[Rewrite]) -> Vec<String> {
    list.iter()
        .map(|r| format!("{}: {}", r.pointer, r.note))
        .collect()
}

const VERSION_NOTE: &str = "/openapi: version `3.1.0` read as `3.0.3` after normalising";

/// (name, input schemas, output schemas, changes after the version note, warnings)
type SchemaCase = (
    &'static str,
    Value,
    Value,
    &'static [&'static str],
    &'static [&'static str],
);

#[test]
fn schema_rewrites() {
    let cases: Vec<SchemaCase> = vec![
        (
            "type with null → nullable",
            json!({"A": {"type": ["string", "null"], "description": "d"}}),
            json!({"A": {"description": "d", "nullable": true, "type": "string"}}),
            &[
                "/components/schemas/A: `type: [\"string\",\"null\"]` → `type: string` + `nullable: true`",
            ],
            &[],
        ),
        (
            "single type array",
            json!({"A": {"type": ["integer"]}}),
            json!({"A": {"type": "integer"}}),
            &["/components/schemas/A: `type: [\"integer\"]` → `type: integer`"],
            &[],
        ),
        (
            "only null",
            json!({"A": {"type": ["null"]}}),
            json!({"A": {"type": "null"}}),
            &["/components/schemas/A: `type: [\"null\"]` → `type: null`"],
            &[],
        ),
        (
            "mixed types → oneOf, keywords and enum values split by type",
            json!({"A": {"type": ["string", "integer", "null"], "maxLength": 3, "minimum": 1, "format": "int64", "enum": ["a", 1, null], "description": "d"}}),
            json!({"A": {"description": "d", "nullable": true, "oneOf": [
                {"type": "string", "maxLength": 3, "enum": ["a"]},
                {"type": "integer", "minimum": 1, "format": "int64", "enum": [1]}
            ]}}),
            &[
                "/components/schemas/A: `type: [\"string\",\"integer\",\"null\"]` → `oneOf` of one schema per type",
            ],
            &[],
        ),
        (
            "mixed types whose enum allows one",
            json!({"A": {"type": ["string", "integer"], "enum": ["a", "b"]}}),
            json!({"A": {"type": "string", "enum": ["a", "b"]}}),
            &[
                "/components/schemas/A: `type: [\"string\",\"integer\"]` → the one type its `enum` allows",
            ],
            &[],
        ),
        (
            "mixed types next to oneOf use anyOf",
            json!({"A": {"type": ["string", "object"], "oneOf": [{"$ref": "#/components/schemas/B"}]}}),
            json!({"A": {"oneOf": [{"$ref": "#/components/schemas/B"}], "anyOf": [{"type": "string"}, {"type": "object"}]}}),
            &[
                "/components/schemas/A: `type: [\"string\",\"object\"]` → `anyOf` of one schema per type",
            ],
            &[],
        ),
        (
            "$ref with description → allOf, the named type kept",
            json!({"A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B", "description": "the b"}}}}),
            json!({"A": {"type": "object", "properties": {"b": {"allOf": [{"$ref": "#/components/schemas/B"}], "description": "the b"}}}}),
            &[
                "/components/schemas/A/properties/b: `$ref` with sibling `description` → `allOf: [{$ref}]` beside them",
            ],
            &[],
        ),
        (
            "$ref with nullable and 3.1 null type",
            json!({"A": {"properties": {
                "b": {"$ref": "#/components/schemas/B", "nullable": true},
                "c": {"$ref": "#/components/schemas/B", "type": ["object", "null"]}
            }}}),
            json!({"A": {"properties": {
                "b": {"allOf": [{"$ref": "#/components/schemas/B"}], "nullable": true},
                "c": {"allOf": [{"$ref": "#/components/schemas/B"}], "nullable": true, "type": "object"}
            }}}),
            &[
                "/components/schemas/A/properties/b: `$ref` with sibling `nullable` → `allOf: [{$ref}]` beside them",
                "/components/schemas/A/properties/c: `type: [\"object\",\"null\"]` → `type: object` + `nullable: true`",
                "/components/schemas/A/properties/c: `$ref` with sibling `nullable`, `type` → `allOf: [{$ref}]` beside them",
            ],
            &[],
        ),
        (
            "$ref with only inert siblings stays a $ref",
            json!({"A": {"$ref": "#/components/schemas/B", "examples": ["x"], "x-since": "2"}}),
            json!({"A": {"$ref": "#/components/schemas/B", "x-since": "2"}}),
            &[
                "/components/schemas/A: `examples` array → `example` (its first value)",
                "/components/schemas/A: `example` beside `$ref` removed",
            ],
            &[],
        ),
        (
            "$ref with properties → allOf of the ref and an object",
            json!({"A": {"$ref": "#/components/schemas/B", "type": "object", "properties": {"x": {"type": "string"}}, "description": "d"}}),
            json!({"A": {"allOf": [{"$ref": "#/components/schemas/B"}, {"type": "object", "properties": {"x": {"type": "string"}}}], "description": "d"}}),
            &[
                "/components/schemas/A: `$ref` with sibling `type`, `properties`, `description` → `allOf: [{$ref}]` beside them",
            ],
            &[],
        ),
        (
            "examples → example, const → enum with its type",
            json!({"A": {"examples": [1, 2], "const": 5}}),
            json!({"A": {"example": 1, "type": "integer", "enum": [5]}}),
            &[
                "/components/schemas/A: `examples` array → `example` (its first value)",
                "/components/schemas/A: `const` → single-value `enum`",
            ],
            &[],
        ),
        (
            "numeric exclusive bounds",
            json!({"A": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10, "maximum": 5}}),
            json!({"A": {"type": "number", "maximum": 5, "exclusiveMinimum": true, "minimum": 0}}),
            &[
                "/components/schemas/A: numeric `exclusiveMinimum` → `minimum` + boolean `exclusiveMinimum`",
                "/components/schemas/A: numeric `exclusiveMaximum` → `maximum` + boolean `exclusiveMaximum`",
            ],
            &[],
        ),
        (
            "contentEncoding and contentMediaType",
            json!({"A": {"properties": {
                "b64": {"type": "string", "contentEncoding": "base64"},
                "bin": {"type": "string", "contentMediaType": "application/octet-stream"},
                "txt": {"type": "string", "contentMediaType": "text/html"}
            }}}),
            json!({"A": {"properties": {
                "b64": {"type": "string", "format": "byte"},
                "bin": {"type": "string", "format": "binary"},
                "txt": {"type": "string"}
            }}}),
            &[
                "/components/schemas/A/properties/b64: `contentEncoding`/`contentMediaType` → `format: byte`",
                "/components/schemas/A/properties/bin: `contentEncoding`/`contentMediaType` → `format: binary`",
                "/components/schemas/A/properties/txt: `contentEncoding`/`contentMediaType` removed (the value stays a string)",
            ],
            &[],
        ),
        (
            "boolean schemas; a false property is removed",
            json!({"A": {"required": ["gone", "any"], "properties": {"gone": false, "any": true}, "additionalProperties": false}}),
            json!({"A": {"required": ["any"], "properties": {"any": {}}, "additionalProperties": false}}),
            &[
                "/components/schemas/A/properties/gone: property `gone` with schema `false` (never present) removed",
                "/components/schemas/A/properties/any: boolean schema `true` → `{}` (any value)",
            ],
            &[],
        ),
        (
            "3.0-style nullable is accepted as is",
            json!({"A": {"type": "string", "nullable": true}}),
            json!({"A": {"type": "string", "nullable": true}}),
            &[],
            &[],
        ),
        (
            "unexpressible keywords: warnings and fallbacks",
            json!({"A": {"if": {"type": "string"}, "then": {}, "prefixItems": [{"type": "string"}], "$comment": "c"}}),
            json!({"A": {"items": {}, "type": "array"}}),
            &["/components/schemas/A: `$comment` removed (it only validates)"],
            &[
                "/components/schemas/A: `if`/`then` cannot be expressed in the generated types and is ignored",
                "/components/schemas/A: tuple schemas (`prefixItems`) cannot be expressed; read as an array of any JSON values",
            ],
        ),
        (
            "patternProperties → additionalProperties",
            json!({"A": {"type": "object", "patternProperties": {"^x": {"type": "integer"}}}}),
            json!({"A": {"type": "object", "additionalProperties": {"type": "integer"}}}),
            &[
                "/components/schemas/A: `patternProperties` → `additionalProperties` (key patterns are not checked)",
            ],
            &[],
        ),
        (
            "a boolean `required` is removed",
            json!({"A": {"$ref": "#/components/schemas/B", "required": true}}),
            json!({"A": {"$ref": "#/components/schemas/B"}}),
            &["/components/schemas/A: `required` that is not a list of property names removed"],
            &[],
        ),
        (
            "$defs move to components; $refs follow",
            json!({"A": {"$defs": {"Inner": {"type": "string"}}, "properties": {"i": {"$ref": "#/components/schemas/A/$defs/Inner"}}}}),
            json!({"A": {"properties": {"i": {"$ref": "#/components/schemas/A_Inner"}}}, "A_Inner": {"type": "string"}}),
            &[
                "/components/schemas/A/$defs/Inner: `$defs/Inner` moved to `components.schemas` as `A_Inner`",
                "/components/schemas/A/properties/i/$ref: `$ref: #/components/schemas/A/$defs/Inner` now `$ref: #/components/schemas/A_Inner` (its target moved)",
            ],
            &[],
        ),
        (
            "annotation-only and null allOf parts merge into the schema",
            json!({"A": {"properties": {
                "due": {"allOf": [{"description": "Due date."}, {"$ref": "#/components/schemas/Date"}]},
                "cur": {"allOf": [{"$ref": "#/components/schemas/Cur"}, {"type": "null"}]}
            }}}),
            json!({"A": {"properties": {
                "due": {"allOf": [{"$ref": "#/components/schemas/Date"}], "description": "Due date."},
                "cur": {"allOf": [{"$ref": "#/components/schemas/Cur"}], "nullable": true}
            }}}),
            &[
                "/components/schemas/A/properties/due: `allOf` parts that only annotate (or only allow `null`) merged into the schema",
                "/components/schemas/A/properties/cur: `allOf` parts that only annotate (or only allow `null`) merged into the schema",
            ],
            &[],
        ),
        (
            "an allOf of annotations only is left alone",
            json!({"A": {"allOf": [{"description": "x"}]}}),
            json!({"A": {"allOf": [{"description": "x"}]}}),
            &[],
            &[],
        ),
        (
            "$defs named after their parent keep their name; nested definitions follow",
            json!({"Bill": {"definitions": {"billLine": {"type": "object", "$defs": {"Tax": {"type": "number"}}, "properties": {"tax": {"$ref": "#/components/schemas/Bill/definitions/billLine/$defs/Tax"}}}}}}),
            json!({"Bill": {}, "billLine": {"type": "object", "properties": {"tax": {"$ref": "#/components/schemas/billLine_Tax"}}}, "billLine_Tax": {"type": "number"}}),
            &[
                "/components/schemas/Bill/definitions/billLine: `definitions/billLine` moved to `components.schemas` as `billLine`",
                "/components/schemas/Bill/definitions/billLine/$defs/Tax: `$defs/Tax` moved to `components.schemas` as `billLine_Tax`",
                "/components/schemas/Bill/definitions/billLine/properties/tax/$ref: `$ref: #/components/schemas/Bill/definitions/billLine/$defs/Tax` now `$ref: #/components/schemas/billLine_Tax` (its target moved)",
            ],
            &[],
        ),
        (
            "allOf of one inline schema (after a null part) is merged",
            json!({"A": {"properties": {"c": {"allOf": [{"type": "string", "description": "Code."}, {"type": "null"}], "description": "Currency."}}}}),
            json!({"A": {"properties": {"c": {"type": "string", "description": "Currency.", "nullable": true}}}}),
            &[
                "/components/schemas/A/properties/c: `allOf` parts that only annotate (or only allow `null`) merged into the schema",
                "/components/schemas/A/properties/c: `allOf` of one inline schema merged into the schema",
            ],
            &[],
        ),
        (
            "a property named like a keyword is a property",
            json!({"A": {"properties": {"definitions": {"type": "object", "properties": {"x": {"type": "string"}}}, "const": {"type": "string"}}}}),
            json!({"A": {"properties": {"definitions": {"type": "object", "properties": {"x": {"type": "string"}}}, "const": {"type": "string"}}}}),
            &[],
            &[],
        ),
    ];
    for (name, input, expected, changes, warnings) in cases {
        let mut doc = with_schemas(input);
        let r = normalize(&mut doc);
        assert_eq!(doc, out_schemas(expected), "{name}: output");
        let mut want = vec![VERSION_NOTE.to_owned()];
        want.extend(changes.iter().map(|s| (*s).to_owned()));
        assert_eq!(notes(&r.changes), want, "{name}: changes");
        assert_eq!(notes(&r.warnings), *warnings, "{name}: warnings");
    }
}

/// (name, input document, output document, changes, warnings, (normalised pointer, original pointer))
type DocCase = (
    &'static str,
    Value,
    Value,
    &'static [&'static str],
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
);

#[test]
fn document_rewrites() {
    let cases: Vec<DocCase> = vec![
        (
            "3.0 documents are left alone",
            json!({"openapi": "3.0.1", "info": {"title": "T", "version": "1"}, "components": {"schemas": {"A": {"$ref": "#/components/schemas/B", "description": "d"}}}}),
            json!({"openapi": "3.0.1", "info": {"title": "T", "version": "1"}, "components": {"schemas": {"A": {"$ref": "#/components/schemas/B", "description": "d"}}}}),
            &[],
            &[],
            &[],
        ),
        (
            "info.summary, license.identifier, jsonSchemaDialect, mutualTLS",
            json!({
                "openapi": "3.1.0",
                "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
                "info": {"title": "T", "version": "1", "summary": "Short.", "description": "Long.", "license": {"name": "MIT", "identifier": "MIT"}},
                "components": {"securitySchemes": {"cert": {"type": "mutualTLS"}, "key": {"type": "apiKey", "in": "header", "name": "k"}}}
            }),
            json!({
                "openapi": TARGET_VERSION,
                "info": {"title": "T", "version": "1", "description": "Short.\n\nLong.", "license": {"name": "MIT", "url": "https://spdx.org/licenses/MIT.html"}},
                "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "k"}}}
            }),
            &[
                VERSION_NOTE,
                "/jsonSchemaDialect: `jsonSchemaDialect` removed (the OpenAPI base dialect is assumed)",
                "/info/summary: `info.summary` moved to the start of `info.description`",
                "/info/license/identifier: `license.identifier` (SPDX) turned into a `license.url`",
            ],
            &[
                "/components/securitySchemes/cert: security scheme `cert` (`mutualTLS`) is not expressible; configure client certificates on the `reqwest::Client` yourself",
            ],
            &[],
        ),
        (
            "path items by $ref are inlined; operations get responses; parameter schemas are normalised",
            json!({
                "openapi": "3.1.0",
                "info": {"title": "T", "version": "1"},
                "paths": {"/a": {"$ref": "#/components/pathItems/A", "summary": "s"}},
                "components": {"pathItems": {"A": {"get": {"parameters": [{"name": "q", "in": "query", "schema": {"type": ["integer", "null"]}}]}}}}
            }),
            json!({
                "openapi": TARGET_VERSION,
                "info": {"title": "T", "version": "1"},
                "paths": {"/a": {"get": {"parameters": [{"name": "q", "in": "query", "schema": {"nullable": true, "type": "integer"}}], "responses": {}}, "summary": "s"}},
                "components": {}
            }),
            &[
                VERSION_NOTE,
                "/components/pathItems/A: path item `$ref: #/components/pathItems/A` inlined",
                "/components/pathItems: `components.pathItems` removed after inlining the path items that use them",
                "/components/pathItems/A/get/parameters/0/schema: `type: [\"integer\",\"null\"]` → `type: integer` + `nullable: true`",
                "/components/pathItems/A/get: operation without `responses` (allowed by 3.1) given empty `responses`",
            ],
            &[],
            &[
                ("/paths/~1a/get", "/components/pathItems/A/get"),
                ("/paths/~1b", "/paths/~1b"),
            ],
        ),
        (
            "webhooks: inline payloads become named, documented components",
            json!({
                "openapi": "3.1.0",
                "info": {"title": "T", "version": "1"},
                "webhooks": {
                    "pet.created": {"post": {"summary": "A pet was created", "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"id": {"type": ["string", "null"]}}}}}}}},
                    "pet.deleted": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}}}
                },
                "components": {"schemas": {"Pet": {"type": "object", "description": "A pet."}}}
            }),
            json!({
                "openapi": TARGET_VERSION,
                "info": {"title": "T", "version": "1", "description": "## Webhooks\n\nThis API sends webhooks: requests to your server, not methods of a client. Their payloads are types of this crate:\n\n- `pet.created` (`POST`): A pet was created; payload type `PetCreatedWebhook`\n- `pet.deleted` (`POST`); payload type `Pet`"},
                "components": {"schemas": {
                    "Pet": {"type": "object", "description": "A pet.\n\nPayload of the `pet.deleted` webhook (`POST`)."},
                    "pet.created webhook": {"type": "object", "properties": {"id": {"nullable": true, "type": "string"}}, "description": "Payload of the `pet.created` webhook (`POST`): A pet was created"}
                }}
            }),
            &[
                VERSION_NOTE,
                "/webhooks/pet.created/post/requestBody/content/application~1json/schema: webhook `pet.created` payload moved to `components.schemas` as `pet.created webhook`",
                "/webhooks: `webhooks` removed: their payloads are kept as documented types, with no client methods",
                "/webhooks/pet.created/post/requestBody/content/application~1json/schema/properties/id: `type: [\"string\",\"null\"]` → `type: string` + `nullable: true`",
            ],
            &[],
            &[(
                "/components/schemas/pet.created webhook/properties/id",
                "/webhooks/pet.created/post/requestBody/content/application~1json/schema/properties/id",
            )],
        ),
        (
            "a document without paths stays without paths",
            json!({"openapi": "3.1.1", "info": {"title": "T", "version": "1"}}),
            json!({"openapi": TARGET_VERSION, "info": {"title": "T", "version": "1"}}),
            &["/openapi: version `3.1.1` read as `3.0.3` after normalising"],
            &[],
            &[],
        ),
    ];
    for (name, mut doc, expected, changes, warnings, pointers) in cases {
        let r = normalize(&mut doc);
        assert_eq!(doc, expected, "{name}: output");
        assert_eq!(notes(&r.changes), *changes, "{name}: changes");
        assert_eq!(notes(&r.warnings), *warnings, "{name}: warnings");
        for (normalised, original) in pointers {
            assert_eq!(r.original(normalised), *original, "{name}: {normalised}");
        }
    }
}

#[test]
fn versions() {
    let cases = [
        (json!({"openapi": "3.1.0"}), true),
        (json!({"openapi": "3.1"}), true),
        (json!({"openapi": 3.1}), true),
        (json!({"openapi": "3.2.0"}), true),
        (json!({"openapi": "3.0.3"}), false),
        (json!({"openapi": 3.0}), false),
        (json!({"swagger": "2.0"}), false),
    ];
    for (doc, expected) in cases {
        assert_eq!(is_31(&doc), expected, "{doc}");
    }
}
