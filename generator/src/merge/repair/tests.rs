//! The repairs, one row per kind of malformed keyword: a fragment, what it
//! is repaired into, and the fix (pointer and message) reported for it.

use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::shape::{self, Flow, Kind, Obj};

/// What a fragment is, and whether `openapiv3` reads it.
#[derive(Clone, Copy)]
enum Is {
    Schema,
    Parameter,
    Operation,
    Response,
    Responses,
    Document,
    Info,
    SecurityScheme,
    SecurityRequirement,
    Link,
    PathItem,
    MediaType,
}

impl Is {
    fn kind(self) -> Kind {
        match self {
            Is::Schema => Kind::Schema,
            Is::Parameter => Kind::RefOr(Obj::Parameter),
            Is::Operation => Kind::Object(Obj::Operation),
            Is::Response => Kind::RefOr(Obj::Response),
            Is::Responses => Kind::Object(Obj::Responses),
            Is::Document => Kind::Object(Obj::Root),
            Is::Info => Kind::Object(Obj::Info),
            Is::SecurityScheme => Kind::RefOr(Obj::SecurityScheme),
            Is::SecurityRequirement => Kind::Object(Obj::SecurityRequirement),
            Is::Link => Kind::RefOr(Obj::Link),
            Is::PathItem => Kind::RefOr(Obj::PathItem),
            Is::MediaType => Kind::Object(Obj::MediaType),
        }
    }

    fn reads(self, v: &Value) -> bool {
        fn de<T: DeserializeOwned>(v: &Value) -> bool {
            serde_json::from_value::<T>(v.clone()).is_ok()
        }
        use openapiv3 as o;
        match self {
            Is::Schema => de::<o::ReferenceOr<o::Schema>>(v),
            Is::Parameter => de::<o::ReferenceOr<o::Parameter>>(v),
            Is::Operation => de::<o::Operation>(v),
            Is::Response => de::<o::ReferenceOr<o::Response>>(v),
            Is::Responses => de::<o::Responses>(v),
            Is::Document => {
                let mut doc = v.clone();
                if let Some(m) = doc.as_object_mut() {
                    m.entry("paths").or_insert_with(|| json!({}));
                }
                de::<o::OpenAPI>(&doc)
            }
            Is::Info => de::<o::Info>(v),
            Is::SecurityScheme => de::<o::ReferenceOr<o::SecurityScheme>>(v),
            Is::SecurityRequirement => de::<o::SecurityRequirement>(v),
            Is::Link => de::<o::ReferenceOr<o::Link>>(v),
            Is::PathItem => de::<o::ReferenceOr<o::PathItem>>(v),
            Is::MediaType => de::<o::MediaType>(v),
        }
    }
}

/// (what, fragment, repaired (`null`: dropped as a whole), fixes as
/// `pointer: message`).
type Row = (Is, Value, Value, &'static [&'static str]);

fn rows() -> Vec<Row> {
    vec![
        // Schemas: keywords of the wrong JSON type.
        (
            Is::Schema,
            json!({"type": "string", "pattern": 0}),
            json!({"type": "string"}),
            &["/pattern: `pattern`: expected a string, found the number 0; dropped"],
        ),
        (
            Is::Schema,
            json!({"type": "string", "format": ["date"]}),
            json!({"type": "string"}),
            &["/format: `format`: expected a string, found a list; dropped"],
        ),
        (
            Is::Schema,
            json!({"type": "string", "description": 12, "title": true}),
            json!({"type": "string", "description": "12", "title": "true"}),
            &[
                "/title: `title`: expected a string, found `true`; read as `\"true\"`",
                "/description: `description`: expected a string, found the number 12; read as `\"12\"`",
            ],
        ),
        (
            Is::Schema,
            json!({"type": "integer", "minimum": "-5", "maximum": {}}),
            json!({"type": "integer", "minimum": -5}),
            &[
                "/minimum: `minimum`: expected a number, found the string `\"-5\"`; read as `-5`",
                "/maximum: `maximum`: expected a number, found an object; dropped",
            ],
        ),
        (
            // What `1e400` becomes in YAML (and in JSON, see `parse::numbers`).
            Is::Schema,
            json!({"type": "number", "maximum": "1e400"}),
            json!({"type": "number"}),
            &[
                "/maximum: `maximum`: expected a number, found 1e400, beyond the range of a 64-bit float; dropped",
            ],
        ),
        (
            Is::Schema,
            json!({"type": "string", "minLength": -1, "maxLength": "5"}),
            json!({"type": "string", "maxLength": 5}),
            &[
                "/minLength: `minLength`: expected a non-negative integer, found the number -1; dropped",
                "/maxLength: `maxLength`: expected a non-negative integer, found the string `\"5\"`; read as `5`",
            ],
        ),
        (
            Is::Schema,
            json!({"type": "array", "items": {}, "minItems": 2.0, "maxItems": 1.5e30, "uniqueItems": "yes"}),
            json!({"type": "array", "items": {}, "minItems": 2}),
            &[
                "/minItems: `minItems`: expected a non-negative integer, found the number 2.0; read as `2`",
                "/maxItems: `maxItems`: expected a non-negative integer, found the number 1.5e+30 (too large); dropped",
                "/uniqueItems: `uniqueItems`: expected a boolean, found the string `\"yes\"`; dropped",
            ],
        ),
        (
            Is::Schema,
            json!({"type": "string", "nullable": "true", "readOnly": null}),
            json!({"type": "string", "nullable": true}),
            &[
                "/nullable: `nullable`: expected a boolean, found the string `\"true\"`; read as `true`",
                "/readOnly: `readOnly`: expected a boolean, found null; dropped",
            ],
        ),
        // A string where a list belongs.
        (
            Is::Schema,
            json!({"type": "string", "enum": "a"}),
            json!({"type": "string", "enum": ["a"]}),
            &["/enum: `enum`: expected a list, found the string `\"a\"`; read as a list of one"],
        ),
        (
            Is::Schema,
            json!({"type": "object", "required": "id", "properties": {"id": {}}}),
            json!({"type": "object", "required": ["id"], "properties": {"id": {}}}),
            &[
                "/required: `required`: expected a list, found the string `\"id\"`; read as a list of one",
            ],
        ),
        (
            Is::Schema,
            json!({"type": "object", "required": ["id", 5]}),
            json!({"type": "object", "required": ["id"]}),
            &["/required/1: `required` entry 1: expected a string, found the number 5; dropped"],
        ),
        (
            Is::Schema,
            json!({"allOf": {"type": "object"}}),
            json!({"allOf": [{"type": "object"}]}),
            &["/allOf: `allOf`: expected a list, found an object; read as a list of one"],
        ),
        // `type` as a list (JSON Schema) in a 3.0 document.
        (
            Is::Schema,
            json!({"type": ["string"]}),
            json!({"type": "string"}),
            &[
                "/type: `type`: expected a string, found the list `[\"string\"]`; read as `type: string`",
            ],
        ),
        (
            Is::Schema,
            json!({"type": ["string", "null"]}),
            json!({"type": "string", "nullable": true}),
            &[
                "/type: `type`: expected a string, found the list `[\"string\",\"null\"]`; read as `type: string` + `nullable: true`",
            ],
        ),
        (
            Is::Schema,
            json!({"type": ["string", "integer"], "description": "d"}),
            json!({"description": "d"}),
            &[
                "/type: `type`: expected a string, found the list `[\"string\",\"integer\"]` (several types); dropped, so any value is accepted",
            ],
        ),
        (
            Is::Schema,
            json!({"type": 7}),
            json!({}),
            &["/type: `type`: expected a string, found the number 7; dropped"],
        ),
        // Properties.
        (
            Is::Schema,
            json!({"type": "object", "properties": 5}),
            json!({"type": "object"}),
            &["/properties: `properties`: expected an object, found the number 5; dropped"],
        ),
        (
            // Swagger 2 habit: `required: true` inside the property.
            Is::Schema,
            json!({"type": "object", "required": ["a"], "properties": {"a": {}, "id": {"type": "string", "required": true}, "n": {"required": "false"}}}),
            json!({"type": "object", "required": ["a", "id"], "properties": {"a": {}, "id": {"type": "string"}, "n": {}}}),
            &[
                "/properties/id/required: `required: true` inside property `id` (Swagger 2 style); `id` added to the object's `required` list instead",
                "/properties/n/required: `required: \"false\"` inside property `n` (Swagger 2 style); dropped (a property is optional unless the object's `required` lists it)",
            ],
        ),
        (
            Is::Schema,
            json!({"properties": {"id": {"required": true}}}),
            json!({"properties": {"id": {}}, "required": ["id"]}),
            &[
                "/properties/id/required: `required: true` inside property `id` (Swagger 2 style); `id` added to the object's `required` list instead",
            ],
        ),
        (
            Is::Schema,
            json!({"type": "array", "items": {"type": "string", "required": true}}),
            json!({"type": "array", "items": {"type": "string"}}),
            &["/items/required: `required`: expected a list, found `true`; dropped"],
        ),
        (
            Is::Schema,
            json!({"properties": {"a": "string", "b": null, "c": true, "d": 3}}),
            json!({"properties": {"a": {"type": "string"}, "b": {}, "c": {}}}),
            &[
                "/properties/a: `properties` entry `a`: expected a schema, found the string `\"string\"`; read as `{\"type\":\"string\"}`",
                "/properties/b: `properties` entry `b`: expected a schema, found null; read as `{}`",
                "/properties/c: `properties` entry `c`: expected a schema, found `true`; read as `{}`",
                "/properties/d: `properties` entry `d`: expected a schema, found the number 3; dropped",
            ],
        ),
        (
            Is::Schema,
            json!({"type": "array", "items": [{"type": "string"}]}),
            json!({"type": "array", "items": {"type": "string"}}),
            &[
                "/items: `items`: expected a schema, found a list of one schema; read as that schema",
            ],
        ),
        (
            Is::Schema,
            json!({"type": "array", "items": [{"type": "string"}, {"type": "integer"}]}),
            json!({"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}),
            &[
                "/items: `items`: expected a schema, found a list of schemas (tuple form); read as `anyOf` of them",
            ],
        ),
        (
            Is::Schema,
            json!({"type": "object", "additionalProperties": "false"}),
            json!({"type": "object", "additionalProperties": false}),
            &[
                "/additionalProperties: `additionalProperties`: expected a boolean or a schema, found the string `\"false\"`; read as `false`",
            ],
        ),
        (
            Is::Schema,
            json!({"type": "number", "exclusiveMinimum": 0}),
            json!({"type": "number", "exclusiveMinimum": true, "minimum": 0}),
            &[
                "/exclusiveMinimum: `exclusiveMinimum`: expected a boolean, found the number 0 (JSON Schema style); read as `minimum: 0` + `exclusiveMinimum: true`",
            ],
        ),
        (
            Is::Schema,
            json!({"oneOf": [{"type": "string"}], "discriminator": "kind"}),
            json!({"oneOf": [{"type": "string"}], "discriminator": {"propertyName": "kind"}}),
            &[
                "/discriminator: `discriminator`: expected an object, found the string `\"kind\"`; read as `{\"propertyName\":\"kind\"}`",
            ],
        ),
        (
            Is::Schema,
            json!({"type": "string", "externalDocs": {"description": "no url"}}),
            json!({"type": "string"}),
            &[
                "/externalDocs: `externalDocs` has no `url` (required), so it cannot be read; dropped",
            ],
        ),
        (
            // A `$ref` is read as a reference whatever its siblings hold.
            Is::Schema,
            json!({"$ref": "#/components/schemas/A", "pattern": 0}),
            json!({"$ref": "#/components/schemas/A", "pattern": 0}),
            &[],
        ),
        (
            Is::Schema,
            json!(5),
            Value::Null,
            &[": the value: expected a schema, found the number 5; skipped"],
        ),
        // Parameters.
        (
            Is::Parameter,
            json!({"name": "a", "in": "query", "required": "true", "schema": {"type": "string"}}),
            json!({"name": "a", "in": "query", "required": true, "schema": {"type": "string"}}),
            &[
                "/required: `required`: expected a boolean, found the string `\"true\"`; read as `true`",
            ],
        ),
        (
            Is::Parameter,
            json!({"name": "a", "in": "query", "required": "maybe", "schema": {"type": "string"}}),
            json!({"name": "a", "in": "query", "schema": {"type": "string"}}),
            &["/required: `required`: expected a boolean, found the string `\"maybe\"`; dropped"],
        ),
        (
            Is::Parameter,
            json!({"name": "X-A", "in": "header", "style": "form", "schema": {}}),
            json!({"name": "X-A", "in": "header", "schema": {}}),
            &["/style: `style`: expected one of `simple`, found the string `\"form\"`; dropped"],
        ),
        (
            Is::Parameter,
            json!({"name": "a", "in": "Query", "schema": {}}),
            json!({"name": "a", "in": "query", "schema": {}}),
            &[
                "/in: `in`: expected one of `query`, `header`, `path`, `cookie`, found the string `\"Query\"`; read as `\"query\"`",
            ],
        ),
        (
            Is::Parameter,
            json!({"name": 5, "in": "path", "required": true, "type": "integer", "minimum": 1}),
            json!({"name": "5", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}}),
            &[
                "/name: `name`: expected a string, found the number 5; read as `\"5\"`",
                ": the parameter has neither `schema` nor `content` but `type`, `minimum` (Swagger 2 style); moved into `schema`",
            ],
        ),
        (
            Is::Parameter,
            json!({"name": "a", "in": "query"}),
            json!({"name": "a", "in": "query", "schema": {}}),
            &[
                ": the parameter has neither `schema` nor `content`; read as `schema: {}` (any value)",
            ],
        ),
        (
            Is::Parameter,
            json!({"name": "a", "in": "body", "schema": {}}),
            Value::Null,
            &[
                "/in: `in: body` is Swagger 2 (OpenAPI 3 describes bodies with `requestBody`); the parameter is dropped",
            ],
        ),
        (
            Is::Parameter,
            json!({"in": "query", "schema": {}}),
            Value::Null,
            &[": the parameter has no `name` (required), so it cannot be read; dropped"],
        ),
        // Operations, responses, media types.
        (
            Is::Operation,
            json!({"tags": "pets", "responses": {}}),
            json!({"tags": ["pets"], "responses": {}}),
            &["/tags: `tags`: expected a list, found the string `\"pets\"`; read as a list of one"],
        ),
        (
            Is::Operation,
            json!({"operationId": "a", "deprecated": "false"}),
            json!({"operationId": "a", "deprecated": false, "responses": {}}),
            &[
                ": the operation has no `responses` (required); read as `{}`",
                "/deprecated: `deprecated`: expected a boolean, found the string `\"false\"`; read as `false`",
            ],
        ),
        (
            Is::Operation,
            json!({"parameters": 7, "responses": {}}),
            json!({"responses": {}}),
            &["/parameters: `parameters`: expected a list, found the number 7; dropped"],
        ),
        (
            Is::Operation,
            json!({"parameters": [{"name": "a", "in": "query", "schema": {}}, 3], "responses": {}}),
            json!({"parameters": [{"name": "a", "in": "query", "schema": {}}], "responses": {}}),
            &[
                "/parameters/1: `parameters` entry 1: expected an object, found the number 3; dropped",
            ],
        ),
        (
            // `security: []` would mean "no credentials".
            Is::Operation,
            json!({"responses": {}, "security": [7]}),
            json!({"responses": {}}),
            &[
                "/security/0: `security` entry 0: expected an object, found the number 7; dropped",
                "/security: `security`: none of its requirements can be read (the document's apply); dropped",
            ],
        ),
        (
            Is::Response,
            json!({"description": 5}),
            json!({"description": "5"}),
            &[
                "/description: `description`: expected a string, found the number 5; read as `\"5\"`",
            ],
        ),
        (
            Is::Response,
            json!({"content": {"application/json": {"schema": {"type": "object"}}}}),
            json!({"content": {"application/json": {"schema": {"type": "object"}}}, "description": ""}),
            &[": the response has no `description` (required); read as `\"\"`"],
        ),
        (
            Is::Responses,
            json!({"200": "OK", "404": null, "x-note": 1, "oops": 2}),
            json!({"200": {"description": "OK"}, "x-note": 1, "oops": 2}),
            &[
                "/200: response `200`: expected an object, found the string `\"OK\"`; read as `{\"description\":\"OK\"}`",
                "/404: response `404`: expected an object, found null; dropped",
            ],
        ),
        (
            Is::MediaType,
            json!({"schema": {"type": "object"}, "encoding": {"a": {"style": "matrix", "explode": "true"}}}),
            json!({"schema": {"type": "object"}, "encoding": {"a": {"explode": true}}}),
            &[
                "/encoding/a/style: `style`: expected one of `form`, `spaceDelimited`, `pipeDelimited`, `deepObject`, found the string `\"matrix\"`; dropped",
                "/encoding/a/explode: `explode`: expected a boolean, found the string `\"true\"`; read as `true`",
            ],
        ),
        (
            Is::PathItem,
            json!({"get": 5, "parameters": [{"$ref": "#/components/parameters/a"}]}),
            json!({"parameters": [{"$ref": "#/components/parameters/a"}]}),
            &["/get: `get`: expected an object, found the number 5; dropped"],
        ),
        // The document's own fields.
        (
            Is::Document,
            json!({"openapi": 3.0, "info": {"title": "T", "version": 1.0}, "servers": "https://x", "tags": ["a", {"name": "b"}]}),
            json!({"openapi": "3.0", "info": {"title": "T", "version": "1.0"}, "servers": [{"url": "https://x"}], "tags": [{"name": "a"}, {"name": "b"}]}),
            &[
                "/openapi: `openapi`: expected a string, found the number 3.0; read as `\"3.0\"`",
                "/info/version: `version`: expected a string, found the number 1.0; read as `\"1.0\"`",
                "/servers: `servers`: expected a list, found the string `\"https://x\"`; read as `[{\"url\":\"https://x\"}]`",
                "/tags/0: `tags` entry 0: expected an object, found the string `\"a\"`; read as `{\"name\":\"a\"}`",
            ],
        ),
        (
            Is::Document,
            json!({"openapi": "3.0.3", "info": "T", "components": {"schemas": [], "x-a": 1}}),
            json!({"openapi": "3.0.3", "info": {"title": "API", "version": "0.0.0"}, "components": {"x-a": 1}}),
            &[
                "/info: `info`: expected an object, found the string `\"T\"`; read as `{\"title\":\"API\",\"version\":\"0.0.0\"}`",
                "/components/schemas: `schemas`: expected an object, found a list; dropped",
            ],
        ),
        (
            Is::Info,
            json!({"version": "1", "license": "MIT", "contact": {"email": 5}}),
            json!({"version": "1", "license": {"name": "MIT"}, "contact": {"email": "5"}, "title": "API"}),
            &[
                ": `info` has no `title` (required); read as `\"API\"`",
                "/contact/email: `email`: expected a string, found the number 5; read as `\"5\"`",
                "/license: `license`: expected an object, found the string `\"MIT\"`; read as `{\"name\":\"MIT\"}`",
            ],
        ),
        // Security.
        (
            Is::SecurityScheme,
            json!({"type": "apiKey", "in": "Header", "name": "X-Key"}),
            json!({"type": "apiKey", "in": "header", "name": "X-Key"}),
            &[
                "/in: `in`: expected one of `query`, `header`, `cookie`, found the string `\"Header\"`; read as `\"header\"`",
            ],
        ),
        (
            Is::SecurityScheme,
            json!({"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://x/token"}, "implicit": {"scopes": {}}}}),
            json!({"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://x/token", "scopes": {}}}}),
            &[
                "/flows/implicit: the flow has no `authorizationUrl` (required), so it cannot be read; dropped",
                "/flows/clientCredentials: the flow has no `scopes` (required); read as `{}`",
            ],
        ),
        (
            Is::SecurityScheme,
            json!({"type": "mutualTLS"}),
            Value::Null,
            &[
                "/type: `type`: expected one of `apiKey`, `http`, `oauth2`, `openIdConnect`, found the string `\"mutualTLS\"`; the security scheme cannot be read without it and is dropped",
            ],
        ),
        (
            Is::SecurityRequirement,
            json!({"key": null, "oauth": "read"}),
            json!({"key": [], "oauth": ["read"]}),
            &[
                "/key: scheme `key`: expected a list of scopes, found null; read as `[]`",
                "/oauth: scheme `oauth`: expected a list, found the string `\"read\"`; read as a list of one",
            ],
        ),
        (
            Is::Link,
            json!({"description": "d", "operationId": 5}),
            json!({"description": "d", "operationId": "5"}),
            &[
                "/operationId: `operationId`: expected a string, found the number 5; read as `\"5\"`",
            ],
        ),
        (
            Is::Link,
            json!({"description": "d"}),
            Value::Null,
            &[
                ": the link has neither `operationRef` nor `operationId`, so it cannot be read; dropped",
            ],
        ),
    ]
}

#[test]
fn repairs() {
    let mut failures = Vec::new();
    for (i, (is, input, expected, messages)) in rows().into_iter().enumerate() {
        // Each row breaks what `openapiv3` reads (or is a `$ref`).
        let (output, repairs) = shape::check(is.kind(), input.clone());
        let got: Vec<String> = repairs
            .fixes
            .iter()
            .map(|f| format!("{}: {}", f.pointer, f.message))
            .collect();
        let output = output.unwrap_or(Value::Null);
        if output != expected || got != *messages {
            failures.push(format!(
                "row {i}: {input}\n  got      {output}\n  expected {expected}\n  fixes    {got:#?}\n  expected {messages:#?}"
            ));
            continue;
        }
        if !output.is_null() && !is.reads(&output) {
            failures.push(format!("row {i}: {output} does not read"));
        }
        // Repairing again changes nothing.
        if !output.is_null() {
            let (again, repairs) = shape::check(is.kind(), output.clone());
            let fixes = repairs.fixes;
            if again.as_ref() != Some(&output) || !fixes.is_empty() {
                failures.push(format!(
                    "row {i}: a second repair changed {output}: {fixes:?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every broken row is broken for `openapiv3` (otherwise it would never be
/// repaired: only what does not read is).
#[test]
fn rows_do_not_read_as_they_are() {
    for (i, (is, input, expected, messages)) in rows().into_iter().enumerate() {
        if messages.is_empty() {
            assert_eq!(input, expected);
            continue;
        }
        assert!(!is.reads(&input), "row {i}: {input} reads as it is");
    }
}

#[test]
fn flows_have_their_own_keywords() {
    for (flow, input) in [
        (
            Flow::Implicit,
            json!({"authorizationUrl": "a", "scopes": {}}),
        ),
        (Flow::Password, json!({"tokenUrl": "t", "scopes": {}})),
        (
            Flow::AuthorizationCode,
            json!({"authorizationUrl": "a", "tokenUrl": "t", "scopes": {}}),
        ),
    ] {
        let (output, repairs) = shape::check(Kind::Object(Obj::Flow(flow)), input.clone());
        assert_eq!(output, Some(input));
        assert!(repairs.fixes.is_empty(), "{:?}", repairs.fixes);
    }
}

/// What the table does not cover is dropped where `openapiv3`'s error says
/// (as deep as serde's path goes: flattened and untagged types end it).
#[test]
fn the_fallback_drops_where_the_error_is() {
    let fallback = |mut op: Value| {
        let mut repairs = super::Repairs::default();
        let read = super::drop_until_read(&mut op, "/paths/~1a/get", &mut repairs, |v| {
            serde_path_to_error::deserialize::<_, openapiv3::Operation>(v)
                .err()
                .map(|e| (super::path_to_pointer(e.path()), e.inner().to_string()))
        });
        let fixes: Vec<String> = repairs
            .fixes
            .iter()
            .map(|f| format!("{}: {}", f.pointer, f.message))
            .collect();
        (read, op, fixes)
    };
    let (read, op, fixes) = fallback(json!({
        "responses": {}, "parameters": 7, "servers": [{"url": "a"}, {"url": 5}]
    }));
    assert!(read);
    assert_eq!(op, json!({"responses": {}, "servers": [{"url": "a"}]}));
    assert_eq!(
        fixes,
        [
            "/paths/~1a/get/parameters: `parameters` could not be read (invalid type: integer `7`, expected a sequence); dropped",
            "/paths/~1a/get/servers/1/url: `url` could not be read (invalid type: integer `5`, expected a string); dropped",
            "/paths/~1a/get/servers/1: `servers` entry 1 could not be read (missing field `url`); dropped",
        ]
    );
    // A required keyword: once dropped, nothing is left to drop; the caller
    // skips the operation.
    let (read, op, fixes) = fallback(json!({"responses": {"200": {"description": 5}}}));
    assert!(!read);
    assert_eq!(op, json!({}));
    assert_eq!(
        fixes,
        [
            "/paths/~1a/get/responses: `responses` could not be read (invalid type: integer `5`, expected a string); dropped"
        ]
    );
}

/// A part that cannot be read is skipped, alone: the rest of the document
/// stays, and reads.
#[test]
fn unreadable_parts_are_skipped_alone() {
    let mut raw = json!({
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {"/a": {"get": {"responses": {}}}, "/b": 5},
        "components": {"schemas": {"A": 5, "B": {"type": "string"}}, "parameters": {"p": {"in": "query"}}}
    });
    let unread = match super::de::openapi(&raw) {
        Err(unread) => unread,
        Ok(_) => panic!("reads as it is"),
    };
    let repairs = super::repair(&mut raw, &unread);
    let got: Vec<String> = repairs
        .fixes
        .iter()
        .map(|f| format!("{}: {}", f.pointer, f.message))
        .collect();
    assert_eq!(
        got,
        [
            "/paths/~1b: path `/b`: expected an object, found the number 5; skipped",
            "/components/schemas/A: component `schemas/A`: expected a schema, found the number 5; skipped",
            "/components/parameters/p: the parameter has no `name` (required), so it cannot be read; dropped",
        ]
    );
    assert_eq!(
        raw,
        json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "paths": {"/a": {"get": {"responses": {}}}},
            "components": {"schemas": {"B": {"type": "string"}}, "parameters": {}}
        })
    );
    assert!(super::de::openapi(&raw).is_ok());
}

/// Pointers after repairs map back to the document before them, across
/// removed list entries.
#[test]
fn pointers_map_back_across_removed_entries() {
    let mut repairs = super::Repairs::default();
    let (output, repairs_made) = shape::check(
        Is::Operation.kind(),
        json!({"responses": {}, "parameters": [
            {"name": "a", "in": "query", "schema": {}},
            7,
            {"name": "b", "in": "query", "schema": {}},
            {"in": "query"},
            {"name": "c", "in": "query", "schema": {"enum": "x"}}
        ]}),
    );
    repairs.removed = repairs_made.removed;
    let names: Vec<&str> = output
        .as_ref()
        .and_then(|o| o["parameters"].as_array())
        .into_iter()
        .flatten()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(names, ["a", "b", "c"]);
    // The fix inside the last entry names it where it was.
    assert!(
        repairs_made
            .fixes
            .iter()
            .any(|f| f.pointer == "/parameters/4/schema/enum"),
        "{:?}",
        repairs_made.fixes
    );
    let back = |p: &str| super::before_removals(&repairs.removed, p);
    assert_eq!(back("/parameters/0/name"), "/parameters/0/name");
    assert_eq!(back("/parameters/1"), "/parameters/2");
    assert_eq!(
        back("/parameters/2/schema/enum"),
        "/parameters/4/schema/enum"
    );
    assert_eq!(back("/parameters"), "/parameters");
    assert_eq!(back("/parametersX/1"), "/parametersX/1");
}
