//! Visits every place of an OpenAPI document that holds a schema, and fixes
//! what 3.1 allows around them (operations without `responses`).

use serde_json::{Map, Value};

use super::{Cx, METHODS, schema};
use crate::diag::escape_token;

fn ptr_of(base: &str, key: &str) -> String {
    format!("{base}/{}", escape_token(key))
}

pub(super) fn document(root: &mut Value, cx: &mut Cx) {
    let Value::Object(root) = root else { return };
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            path_item(item, &ptr_of("/paths", path), cx);
        }
    }
    let Some(Value::Object(components)) = root.get_mut("components") else {
        return;
    };
    for (kind, entries) in components.iter_mut() {
        let Value::Object(entries) = entries else {
            continue;
        };
        let base = ptr_of("/components", kind);
        for (name, entry) in entries.iter_mut() {
            let at = ptr_of(&base, name);
            if !cx.touches(&at) {
                continue;
            }
            match kind.as_str() {
                "schemas" => schema::schema(entry, &at, cx, 0),
                "parameters" | "headers" => parameter(entry, &at, cx),
                "requestBodies" => content_of(entry, &at, cx),
                "responses" => response(entry, &at, cx),
                "callbacks" => callback(entry, &at, cx),
                _ => {}
            }
        }
    }
}

fn path_item(item: &mut Value, ptr: &str, cx: &mut Cx) {
    if !cx.touches(ptr) {
        return;
    }
    let Value::Object(item) = item else { return };
    parameters(item, ptr, cx);
    for method in METHODS {
        if let Some(Value::Object(op)) = item.get_mut(method) {
            operation(op, &ptr_of(ptr, method), cx);
        }
    }
    for (key, op) in item.iter_mut() {
        if let (true, Value::Object(op)) = (key.starts_with(super::EXTRA_OPERATION), op) {
            operation(op, &ptr_of(ptr, key), cx);
        }
    }
}

fn operation(op: &mut Map<String, Value>, ptr: &str, cx: &mut Cx) {
    parameters(op, ptr, cx);
    if let Some(body) = op.get_mut("requestBody") {
        content_of(body, &format!("{ptr}/requestBody"), cx);
    }
    match op.get_mut("responses") {
        Some(Value::Object(responses)) => {
            for (code, r) in responses.iter_mut() {
                response(r, &ptr_of(&format!("{ptr}/responses"), code), cx);
            }
        }
        Some(_) => {}
        None if !cx.covers(ptr) => {}
        None => {
            op.insert("responses".into(), Value::Object(Map::new()));
            cx.change(
                ptr,
                "operation without `responses` (allowed by 3.1) given empty `responses`",
            );
        }
    }
    if let Some(Value::Object(callbacks)) = op.get_mut("callbacks") {
        for (name, c) in callbacks.iter_mut() {
            callback(c, &ptr_of(&format!("{ptr}/callbacks"), name), cx);
        }
    }
}

fn parameters(owner: &mut Map<String, Value>, ptr: &str, cx: &mut Cx) {
    if let Some(Value::Array(list)) = owner.get_mut("parameters") {
        for (i, p) in list.iter_mut().enumerate() {
            parameter(p, &format!("{ptr}/parameters/{i}"), cx);
        }
    }
}

/// A Parameter or Header Object: a schema or a content map.
fn parameter(p: &mut Value, ptr: &str, cx: &mut Cx) {
    let Value::Object(p) = p else { return };
    if p.contains_key("$ref") {
        return;
    }
    if let Some(s) = p.get_mut("schema") {
        schema::schema(s, &format!("{ptr}/schema"), cx, 0);
    }
    content(p, ptr, cx);
}

/// A Request Body: its content map.
fn content_of(v: &mut Value, ptr: &str, cx: &mut Cx) {
    if let Value::Object(m) = v
        && !m.contains_key("$ref")
    {
        content(m, ptr, cx);
    }
}

fn content(owner: &mut Map<String, Value>, ptr: &str, cx: &mut Cx) {
    let Some(Value::Object(content)) = owner.get_mut("content") else {
        return;
    };
    for (media, m) in content.iter_mut() {
        let Value::Object(m) = m else { continue };
        let at = ptr_of(&format!("{ptr}/content"), media);
        if let Some(s) = m.get_mut("schema") {
            schema::schema(s, &format!("{at}/schema"), cx, 0);
        }
        if let Some(Value::Object(encoding)) = m.get_mut("encoding") {
            for (prop, e) in encoding.iter_mut() {
                let Some(Value::Object(headers)) = e.get_mut("headers") else {
                    continue;
                };
                let base = format!("{}/headers", ptr_of(&format!("{at}/encoding"), prop));
                for (name, h) in headers.iter_mut() {
                    parameter(h, &ptr_of(&base, name), cx);
                }
            }
        }
    }
}

fn response(r: &mut Value, ptr: &str, cx: &mut Cx) {
    let Value::Object(r) = r else { return };
    if r.contains_key("$ref") {
        return;
    }
    if let Some(Value::Object(headers)) = r.get_mut("headers") {
        for (name, h) in headers.iter_mut() {
            parameter(h, &ptr_of(&format!("{ptr}/headers"), name), cx);
        }
    }
    content(r, ptr, cx);
}

fn callback(c: &mut Value, ptr: &str, cx: &mut Cx) {
    let Value::Object(c) = c else { return };
    if c.contains_key("$ref") {
        return;
    }
    for (expression, item) in c.iter_mut() {
        path_item(item, &ptr_of(ptr, expression), cx);
    }
}
