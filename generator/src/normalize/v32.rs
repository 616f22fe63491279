//! OpenAPI 3.2 constructs that 3.0 has no place for, rewritten before the
//! 3.1 steps (3.2's schema dialect is 3.1's):
//! - `query` and `additionalOperations` of a path item move to one
//!   extension per method, `x-oas-operation-<METHOD>` ([`EXTRA_OPERATION`]),
//!   which `merge` reads into [`crate::merge::Api::extra_operations`];
//! - `itemSchema` of a sequential media type becomes its `schema`, the
//!   schema of one item (for `text/event-stream`, of one event's decoded
//!   `data`); `multipart/mixed` streams are bytes;
//! - `$self` is removed (`resolve` has used it); tags keep `parent`, `kind`
//!   and `summary` (read by `lower/groups.rs` from the raw document);
//! - 3.2 keywords the client has no use for get a located warning.
//!
//! Every rewrite is recorded, and content that moves is recorded as a move,
//! so diagnostics still name the user's line.

use serde_json::{Map, Value, json};

use super::{Cx, METHODS};
use crate::diag::escape_token;

/// Prefix of the path item extension that carries a 3.2 operation whose
/// method `openapiv3::PathItem` has no field for (`QUERY`, `COPY`, …).
pub const EXTRA_OPERATION: &str = "x-oas-operation-";

/// Media types whose `itemSchema` describes one item of a stream.
const JSON_SEQUENCES: &[&str] = &[
    "application/jsonl",
    "application/x-ndjson",
    "application/json-seq",
    "application/x-jsonlines",
];
const EVENT_STREAM: &str = "text/event-stream";
const MULTIPART_MIXED: &str = "multipart/mixed";

/// Whether the document says `openapi: 3.2.x`.
pub fn is_32(value: &Value) -> bool {
    match value.get("openapi") {
        Some(Value::String(s)) => s.trim().starts_with("3.2"),
        Some(Value::Number(n)) => n.to_string().starts_with("3.2"),
        _ => false,
    }
}

/// The 3.2 rewrites, run on 3.2 documents after path items are inlined.
pub(super) fn run(value: &mut Value, cx: &mut Cx) {
    let Value::Object(root) = value else { return };
    if root.shift_remove("$self").is_some() {
        cx.change(
            "/$self",
            "`$self` removed (relative `$ref`s were resolved against it)",
        );
    }
    unknown_keywords(root, cx);
    unsupported_top(root, cx);
    let snapshot = Value::Object(root.clone());
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let Value::Object(item) = item else { continue };
            let at = format!("/paths/{}", escape_token(path));
            extra_operations(item, &at, cx);
            parameters(item, &at, cx);
            for (key, op) in item.iter_mut() {
                let is_op = METHODS.contains(&key.as_str()) || key.starts_with(EXTRA_OPERATION);
                if let (true, Value::Object(op)) = (is_op, op) {
                    let op_at = format!("{at}/{}", escape_token(key));
                    parameters(op, &op_at, cx);
                    operation(op, &op_at, &snapshot, cx);
                }
            }
        }
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        if let Some(Value::Object(entries)) = components.get_mut("parameters") {
            for (name, p) in entries.iter_mut() {
                let at = format!("/components/parameters/{}", escape_token(name));
                querystring(p, &at, cx);
            }
        }
        for kind in ["responses", "requestBodies"] {
            let Some(Value::Object(entries)) = components.get_mut(kind) else {
                continue;
            };
            for (name, entry) in entries.iter_mut() {
                if let Value::Object(entry) = entry {
                    let at = format!("/components/{kind}/{}", escape_token(name));
                    content(entry, &at, &snapshot, cx);
                }
            }
        }
        if components.shift_remove("mediaTypes").is_some() {
            cx.warn(
                "/components/mediaTypes",
                "`components.mediaTypes` (OpenAPI 3.2) is not supported; `$ref`s to it are not followed",
            );
        }
    }
}

/// `query` and `additionalOperations` → `x-oas-operation-<METHOD>`.
fn extra_operations(item: &mut Map<String, Value>, at: &str, cx: &mut Cx) {
    let mut moved: Vec<(String, String, Value)> = Vec::new();
    if let Some(op) = item.shift_remove("query") {
        moved.push(("QUERY".into(), format!("{at}/query"), op));
    }
    match item.shift_remove("additionalOperations") {
        Some(Value::Object(more)) => {
            for (method, op) in more {
                let from = format!("{at}/additionalOperations/{}", escape_token(&method));
                let upper = method.to_ascii_uppercase();
                if METHODS.contains(&method.to_ascii_lowercase().as_str()) || upper == "QUERY" {
                    cx.warn(
                        &from,
                        format!("`additionalOperations` may not hold `{method}` (a method with its own field); ignored"),
                    );
                } else if !is_token(&method) {
                    cx.warn(
                        &from,
                        format!("`{method}` is not an HTTP method name (RFC 9110 token); the operation is skipped"),
                    );
                } else {
                    moved.push((upper, from, op));
                }
            }
        }
        Some(_) => cx.warn(
            &format!("{at}/additionalOperations"),
            "`additionalOperations` is not a map of methods to operations; ignored",
        ),
        None => {}
    }
    for (method, from, mut op) in moved {
        if let Some(m) = op.as_object_mut()
            && m.shift_remove("callbacks").is_some()
        {
            cx.change(
                &format!("{from}/callbacks"),
                "`callbacks` ignored (a client does not serve them)",
            );
        }
        let key = format!("{EXTRA_OPERATION}{method}");
        let to = format!("{at}/{}", escape_token(&key));
        if item.contains_key(&key) {
            cx.warn(
                &from,
                format!("method `{method}` is given twice on this path; the first is kept"),
            );
            continue;
        }
        item.insert(key, op);
        cx.change(
            &from,
            format!("operation `{method}` (OpenAPI 3.2) carried as an extension"),
        );
        cx.moved(&from, &to);
    }
}

/// Marks the `querystring` parameters of a `parameters` list.
fn parameters(owner: &mut Map<String, Value>, at: &str, cx: &mut Cx) {
    if let Some(Value::Array(list)) = owner.get_mut("parameters") {
        for (i, p) in list.iter_mut().enumerate() {
            querystring(p, &format!("{at}/parameters/{i}"), cx);
        }
    }
}

/// `in: querystring` (the whole query string as one value, described by
/// `content`) → `in: query` with `x-oas-querystring: true`, which lowering
/// reads (`lower/operations.rs`).
fn querystring(p: &mut Value, at: &str, cx: &mut Cx) {
    let Value::Object(p) = p else { return };
    if p.get("in").and_then(Value::as_str) != Some("querystring") {
        return;
    }
    p.insert("in".into(), Value::String("query".into()));
    p.insert(QUERYSTRING.into(), Value::Bool(true));
    if !p.contains_key("name") {
        p.insert("name".into(), Value::String("querystring".into()));
    }
    cx.change(
        &format!("{at}/in"),
        format!("`in: querystring` (OpenAPI 3.2) read as a query parameter marked `{QUERYSTRING}`"),
    );
}

/// Where a discriminator's `defaultMapping` (OpenAPI 3.2) is carried:
/// `openapiv3::Discriminator` keeps only extensions besides its fields.
pub const DEFAULT_MAPPING: &str = "x-oas-default-mapping";

/// `discriminator.defaultMapping` → [`DEFAULT_MAPPING`] in the schema `m`.
pub(super) fn default_mapping(m: &mut Map<String, Value>, ptr: &str, cx: &mut Cx) {
    let Some(Value::Object(d)) = m.get_mut("discriminator") else {
        return;
    };
    let Some(target) = d.shift_remove("defaultMapping") else {
        return;
    };
    d.insert(DEFAULT_MAPPING.into(), target);
    let from = format!("{ptr}/discriminator/defaultMapping");
    let to = format!("{ptr}/discriminator/{DEFAULT_MAPPING}");
    cx.change(
        &from,
        format!("`defaultMapping` carried as `{DEFAULT_MAPPING}`"),
    );
    cx.moved(&from, &to);
}

/// The extension that marks a query parameter as 3.2's `querystring`.
pub const QUERYSTRING: &str = "x-oas-querystring";

/// An RFC 9110 token (what a method name may be).
pub fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn operation(op: &mut Map<String, Value>, at: &str, root: &Value, cx: &mut Cx) {
    if let Some(Value::Object(body)) = op.get_mut("requestBody") {
        content(body, &format!("{at}/requestBody"), root, cx);
    }
    if let Some(Value::Object(responses)) = op.get_mut("responses") {
        for (code, r) in responses.iter_mut() {
            if let Value::Object(r) = r {
                let ptr = format!("{at}/responses/{}", escape_token(code));
                content(r, &ptr, root, cx);
            }
        }
    }
}

/// The `content` map of a request body or response.
fn content(owner: &mut Map<String, Value>, at: &str, root: &Value, cx: &mut Cx) {
    let Some(Value::Object(content)) = owner.get_mut("content") else {
        return;
    };
    for (media, m) in content.iter_mut() {
        let Value::Object(m) = m else { continue };
        let ptr = format!("{at}/content/{}", escape_token(media));
        for key in ["itemEncoding", "prefixEncoding"] {
            if m.shift_remove(key).is_some() {
                cx.warn(
                    &format!("{ptr}/{key}"),
                    format!("`{key}` (OpenAPI 3.2) is not supported; ignored"),
                );
            }
        }
        if let Some(item) = m.shift_remove("itemSchema") {
            item_schema(m, item, media, &ptr, root, cx);
        }
    }
}

/// `itemSchema` of the media type at `ptr` → its `schema`.
fn item_schema(
    m: &mut Map<String, Value>,
    item: Value,
    media: &str,
    ptr: &str,
    root: &Value,
    cx: &mut Cx,
) {
    let essence = crate::media::essence(media);
    let from = format!("{ptr}/itemSchema");
    let to = format!("{ptr}/schema");
    if m.contains_key("schema") {
        cx.change(
            &to,
            "`schema` of a sequential media type replaced by its `itemSchema`",
        );
    }
    if JSON_SEQUENCES.contains(&essence.as_str()) {
        m.insert("schema".into(), item);
        cx.change(&from, "`itemSchema` → `schema` (the schema of one item)");
        cx.moved(&from, &to);
    } else if essence == EVENT_STREAM {
        let (schema, moves) = event_data(&item, &from, root, cx);
        m.insert("schema".into(), schema);
        cx.change(
            &from,
            "`itemSchema` of an event stream → `schema` (the schema of one event's decoded `data`)",
        );
        for (from, sub) in moves {
            cx.moved(&from, &format!("{to}{sub}"));
        }
    } else if essence == MULTIPART_MIXED {
        m.insert(
            "schema".into(),
            json!({"type": "string", "format": "binary"}),
        );
        cx.warn(
            &from,
            "`itemSchema` of `multipart/mixed` is not supported; the body is read as bytes",
        );
    } else {
        cx.warn(
            &from,
            format!("`itemSchema` on `{media}`, which is not a sequential media type; ignored"),
        );
    }
}

/// The schema of one event's decoded `data`, from the event schema at
/// `ptr`, and the moves it implies (`(from, pointer below schema)`).
fn event_data(
    event: &Value,
    ptr: &str,
    root: &Value,
    cx: &mut Cx,
) -> (Value, Vec<(String, String)>) {
    let (event, at) = follow(root, event, ptr);
    let alternatives = event
        .get("oneOf")
        .or_else(|| event.get("anyOf"))
        .and_then(Value::as_array);
    if let Some(list) = alternatives {
        let key = if event.get("oneOf").is_some() {
            "oneOf"
        } else {
            "anyOf"
        };
        let mut members = Vec::new();
        let mut moves = Vec::new();
        for (i, e) in list.iter().enumerate() {
            let (e, e_at) = follow(root, e, &format!("{at}/{key}/{i}"));
            match one_event(e, &e_at) {
                Some((data, from)) => {
                    moves.push((from, format!("/oneOf/{}", members.len())));
                    members.push(data);
                }
                None => return irreducible(&at, cx),
            }
        }
        // Events with the same data type are one member.
        let mut distinct: Vec<Value> = Vec::new();
        let mut kept = Vec::new();
        for (m, mv) in members.into_iter().zip(moves) {
            if !distinct.contains(&m) {
                kept.push((mv.0, format!("/oneOf/{}", distinct.len())));
                distinct.push(m);
            }
        }
        if distinct.len() == 1 {
            let only = distinct.pop().unwrap_or_default();
            let moves = kept.into_iter().map(|(f, _)| (f, String::new())).collect();
            return (only, moves);
        }
        return (json!({ "oneOf": distinct }), kept);
    }
    match one_event(event, &at) {
        Some((data, from)) => (data, vec![(from, String::new())]),
        None => irreducible(&at, cx),
    }
}

/// One event object's `data` schema: the `contentSchema` of JSON-encoded
/// data, or the data's own schema.
fn one_event(event: &Value, at: &str) -> Option<(Value, String)> {
    let data = event.get("properties")?.get("data")?;
    let data_at = format!("{at}/properties/data");
    let json_encoded = data
        .get("contentMediaType")
        .and_then(Value::as_str)
        .is_some_and(crate::media::is_json);
    match data.get("contentSchema") {
        Some(schema) if json_encoded => Some((schema.clone(), format!("{data_at}/contentSchema"))),
        _ if json_encoded => Some((json!({}), data_at)),
        _ => {
            let mut own = data.clone();
            if let Value::Object(m) = &mut own {
                m.shift_remove("contentMediaType");
                m.shift_remove("contentSchema");
            }
            Some((own, data_at))
        }
    }
}

fn irreducible(at: &str, cx: &mut Cx) -> (Value, Vec<(String, String)>) {
    cx.warn(
        at,
        "the event schema has no `properties.data` this generator can read; each event's data is a string",
    );
    (json!({"type": "string"}), Vec::new())
}

/// A schema given by `$ref` to a component of this document, followed
/// (with the pointer of what it names); anything else as it is.
fn follow<'v>(root: &'v Value, v: &'v Value, at: &str) -> (&'v Value, String) {
    let mut v = v;
    let mut at = at.to_owned();
    for _ in 0..16 {
        let Some(r) = v.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some(pointer) = r.strip_prefix('#') else {
            break;
        };
        let Some(target) = root.pointer(pointer) else {
            break;
        };
        v = target;
        at = pointer.to_owned();
    }
    (v, at)
}

/// 3.2 document fields and security schemes a client does not use.
fn unsupported_top(root: &mut Map<String, Value>, cx: &mut Cx) {
    let Some(Value::Object(components)) = root.get_mut("components") else {
        return;
    };
    let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") else {
        return;
    };
    for (name, scheme) in schemes.iter_mut() {
        let Value::Object(scheme) = scheme else {
            continue;
        };
        let at = format!("/components/securitySchemes/{}", escape_token(name));
        if scheme.shift_remove("oauth2MetadataUrl").is_some() {
            cx.change(
                &format!("{at}/oauth2MetadataUrl"),
                "`oauth2MetadataUrl` removed (the client takes a token)",
            );
        }
        if let Some(Value::Object(flows)) = scheme.get_mut("flows")
            && flows.shift_remove("deviceAuthorization").is_some()
        {
            cx.warn(
                &format!("{at}/flows/deviceAuthorization"),
                "the OAuth 2 device authorization flow (OpenAPI 3.2) is read as a bearer token; obtain it yourself",
            );
        }
    }
}

/// The fields OpenAPI 3.2 defines for the objects checked for unknown
/// keywords (extensions, `x-…`, are always allowed).
const ROOT_FIELDS: &[&str] = &[
    "openapi",
    "$self",
    "info",
    "jsonSchemaDialect",
    "servers",
    "paths",
    "webhooks",
    "components",
    "security",
    "tags",
    "externalDocs",
];
const PATH_ITEM_FIELDS: &[&str] = &[
    "$ref",
    "summary",
    "description",
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "trace",
    "query",
    "additionalOperations",
    "servers",
    "parameters",
];
const OPERATION_FIELDS: &[&str] = &[
    "tags",
    "summary",
    "description",
    "externalDocs",
    "operationId",
    "parameters",
    "requestBody",
    "responses",
    "callbacks",
    "deprecated",
    "security",
    "servers",
];
const PARAMETER_FIELDS: &[&str] = &[
    "$ref",
    "summary",
    "name",
    "in",
    "description",
    "required",
    "deprecated",
    "allowEmptyValue",
    "style",
    "explode",
    "allowReserved",
    "schema",
    "example",
    "examples",
    "content",
];
const TAG_FIELDS: &[&str] = &[
    "name",
    "summary",
    "description",
    "externalDocs",
    "parent",
    "kind",
];

/// A located warning for each keyword OpenAPI 3.2 does not define in the
/// document's own fields, path items, operations, parameters and tags
/// (they are ignored; nothing is refused).
fn unknown_keywords(root: &Map<String, Value>, cx: &mut Cx) {
    check(root, "", ROOT_FIELDS, "the document", cx);
    for (i, tag) in root
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let Value::Object(tag) = tag {
            check(tag, &format!("/tags/{i}"), TAG_FIELDS, "a tag", cx);
        }
    }
    let Some(Value::Object(paths)) = root.get("paths") else {
        return;
    };
    for (path, item) in paths {
        let Value::Object(item) = item else { continue };
        let at = format!("/paths/{}", escape_token(path));
        check(item, &at, PATH_ITEM_FIELDS, "a path item", cx);
        parameter_keywords(item, &at, cx);
        let extra = item
            .get("additionalOperations")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(m, op)| (format!("additionalOperations/{}", escape_token(m)), op));
        let ops = METHODS
            .iter()
            .chain(["query"].iter())
            .filter_map(|m| item.get(*m).map(|op| ((*m).to_owned(), op)))
            .chain(extra);
        for (key, op) in ops {
            if let Value::Object(op) = op {
                let op_at = format!("{at}/{key}");
                check(op, &op_at, OPERATION_FIELDS, "an operation", cx);
                parameter_keywords(op, &op_at, cx);
            }
        }
    }
}

fn parameter_keywords(owner: &Map<String, Value>, at: &str, cx: &mut Cx) {
    for (i, p) in owner
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let Value::Object(p) = p {
            let p_at = format!("{at}/parameters/{i}");
            check(p, &p_at, PARAMETER_FIELDS, "a parameter", cx);
        }
    }
}

fn check(object: &Map<String, Value>, at: &str, fields: &[&str], what: &str, cx: &mut Cx) {
    for key in object.keys() {
        if !key.starts_with("x-") && !fields.contains(&key.as_str()) {
            cx.warn(
                &format!("{at}/{}", escape_token(key)),
                format!("`{key}` is not an OpenAPI 3.2 field of {what}; ignored"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn version_and_token_tables() {
        for (v, want) in [
            (json!("3.2.0"), true),
            (json!(" 3.2.1"), true),
            (json!("3.1.0"), false),
            (json!("3.0.3"), false),
            (json!(3.2), true),
        ] {
            assert_eq!(is_32(&json!({ "openapi": v })), want, "{v}");
        }
        for (m, want) in [
            ("QUERY", true),
            ("COPY", true),
            ("M-SEARCH", true),
            ("", false),
            ("GET X", false),
            ("a/b", false),
        ] {
            assert_eq!(is_token(m), want, "{m}");
        }
    }

    /// The schema an event stream's `itemSchema` becomes, and whether a
    /// warning was recorded.
    #[test]
    fn event_stream_item_schemas() {
        let thing = json!({"$ref": "#/components/schemas/Thing"});
        let json_data = |schema: &Value| {
            json!({"type": "object", "properties": {"data": {
                "type": "string", "contentMediaType": "application/json", "contentSchema": schema}}})
        };
        let cases = [
            (json_data(&thing), thing.clone(), false),
            (
                json!({"oneOf": [json_data(&thing), json_data(&json!({"type": "integer"}))]}),
                json!({"oneOf": [thing.clone(), {"type": "integer"}]}),
                false,
            ),
            // Events whose data are the same type are one.
            (
                json!({"oneOf": [json_data(&thing), json_data(&thing)]}),
                thing.clone(),
                false,
            ),
            (
                json!({"properties": {"data": {"type": "string"}, "event": {"type": "string"}}}),
                json!({"type": "string"}),
                false,
            ),
            (
                json!({"properties": {"data": {"type": "string", "contentMediaType": "application/json"}}}),
                json!({}),
                false,
            ),
            (json!({"type": "object"}), json!({"type": "string"}), true),
            (
                json!({"$ref": "#/components/schemas/Event"}),
                thing.clone(),
                false,
            ),
        ];
        let root = json!({"components": {"schemas": {"Event": json_data(&thing)}}});
        for (item, want, warns) in cases {
            let mut cx = Cx::default();
            let (got, _) = event_data(&item, "/x/itemSchema", &root, &mut cx);
            assert_eq!(got, want, "{item}");
            assert_eq!(!cx.rewrites.warnings.is_empty(), warns, "{item}");
        }
    }

    #[test]
    fn extra_operations_move_to_extensions_with_their_origin() {
        let mut doc = json!({"openapi": "3.2.0", "paths": {"/a": {
            "query": {"responses": {}},
            "additionalOperations": {"copy": {"responses": {}}, "post": {"responses": {}}},
            "parameters": [{"name": "q", "in": "querystring", "content": {}}],
        }}});
        let mut cx = Cx::default();
        run(&mut doc, &mut cx);
        let item = &doc["paths"]["/a"];
        assert!(item.get("x-oas-operation-QUERY").is_some());
        assert!(item.get("x-oas-operation-COPY").is_some());
        assert!(item.get("additionalOperations").is_none());
        assert_eq!(item["parameters"][0]["in"], "query");
        assert_eq!(item["parameters"][0][QUERYSTRING], true);
        let r = cx.finish();
        assert_eq!(
            r.original("/paths/~1a/x-oas-operation-COPY/responses"),
            "/paths/~1a/additionalOperations/copy/responses"
        );
        assert_eq!(
            r.original("/paths/~1a/x-oas-operation-QUERY"),
            "/paths/~1a/query"
        );
        // `post` has a field of its own.
        assert_eq!(r.warnings.len(), 1);
        assert_eq!(
            r.warnings[0].pointer,
            "/paths/~1a/additionalOperations/post"
        );
    }
}
