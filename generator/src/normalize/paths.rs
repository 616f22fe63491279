//! Path items given by `$ref` (to `components/pathItems`) are inlined;
//! `webhooks` become payload types in `components/schemas`, documented, with
//! no client methods.

use serde_json::{Map, Value};

use super::{Cx, METHODS, object_mut};
use crate::diag::escape_token;
use crate::naming;

const PATH_ITEMS: &str = "#/components/pathItems/";
const REQUEST_BODIES: &str = "#/components/requestBodies/";
const SCHEMAS: &str = "#/components/schemas/";
/// How many `$ref` hops are followed.
const MAX_HOPS: usize = 16;

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Replaces `{"$ref": "#/components/pathItems/X", …}` in `paths` and
/// `webhooks` by a copy of `X` (siblings such as `summary` win), then drops
/// `components/pathItems`.
pub(super) fn inline_path_items(root: &mut Value, cx: &mut Cx) {
    let Value::Object(root) = root else { return };
    let items: Map<String, Value> = root
        .get_mut("components")
        .and_then(Value::as_object_mut)
        .and_then(|c| c.shift_remove("pathItems"))
        .and_then(|v| match v {
            Value::Object(m) => Some(m),
            _ => None,
        })
        .unwrap_or_default();
    for section in ["paths", "webhooks"] {
        let Some(entries) = object_mut(root, section) else {
            continue;
        };
        for (name, item) in entries.iter_mut() {
            let Value::Object(item) = item else { continue };
            let Some(reference) = item.get("$ref").and_then(Value::as_str).map(str::to_owned)
            else {
                continue;
            };
            let at = format!("/{section}/{}", escape_token(name));
            let Some((target, from)) = resolve_path_item(&items, &reference) else {
                if reference.starts_with(PATH_ITEMS) {
                    cx.warn(
                        &at,
                        format!("`$ref: {reference}` names no path item; it is skipped"),
                    );
                }
                continue;
            };
            let mut inlined = target.clone();
            for (k, v) in item.iter() {
                if k != "$ref" {
                    inlined.insert(k.clone(), v.clone());
                }
            }
            *item = inlined;
            cx.change(&at, format!("path item `$ref: {reference}` inlined"));
            cx.moved(&from, &at);
        }
    }
    if !items.is_empty() {
        cx.change(
            "/components/pathItems",
            "`components.pathItems` removed after inlining the path items that use them",
        );
    }
}

fn resolve_path_item<'m>(
    items: &'m Map<String, Value>,
    reference: &str,
) -> Option<(&'m Map<String, Value>, String)> {
    let mut reference = reference.to_owned();
    for _ in 0..MAX_HOPS {
        let token = reference.strip_prefix(PATH_ITEMS)?;
        let name = unescape(token);
        let item = items.get(&name)?.as_object()?;
        match item.get("$ref").and_then(Value::as_str) {
            Some(next) => reference = next.to_owned(),
            None => {
                return Some((
                    item,
                    format!("/components/pathItems/{}", escape_token(&name)),
                ));
            }
        }
    }
    None
}

/// A webhook operation's payload, once found.
struct Payload {
    webhook: String,
    method: &'static str,
    summary: Option<String>,
    /// Wire name of the payload schema in `components/schemas`, if any.
    schema: Option<String>,
}

/// Moves webhook payload schemas into `components/schemas` (under a name
/// from the webhook's), documents them and the webhooks, and removes
/// `webhooks` (they are requests the API sends, not client operations).
pub(super) fn webhooks(root: &mut Value, cx: &mut Cx) {
    let Value::Object(root) = root else { return };
    let Some(hooks) = root.shift_remove("webhooks") else {
        return;
    };
    let Value::Object(hooks) = hooks else {
        cx.change("/webhooks", "`webhooks` is not an object; ignored");
        return;
    };
    let mut payloads: Vec<Payload> = Vec::new();
    for (name, item) in &hooks {
        let item_ptr = format!("/webhooks/{}", escape_token(name));
        let Value::Object(item) = item else { continue };
        if let Some(r) = item.get("$ref").and_then(Value::as_str) {
            cx.warn(&item_ptr, format!("webhook `{name}`: `$ref: {r}` cannot be followed; its payload type is not generated"));
            continue;
        }
        for method in METHODS {
            let Some(Value::Object(op)) = item.get(method) else {
                continue;
            };
            let op_ptr = format!("{item_ptr}/{method}");
            let summary = op
                .get("summary")
                .and_then(Value::as_str)
                .or_else(|| {
                    op.get("description")
                        .and_then(Value::as_str)
                        .and_then(|d| d.lines().next())
                })
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty());
            let schema = payload_schema(root, name, method, op, &op_ptr, cx);
            payloads.push(Payload {
                webhook: name.clone(),
                method,
                summary,
                schema,
            });
        }
    }
    cx.change(
        "/webhooks",
        "`webhooks` removed: their payloads are kept as documented types, with no client methods",
    );
    if payloads.is_empty() {
        return;
    }
    // Document each payload type, then list the webhooks in the crate docs.
    for p in &payloads {
        let Some(wire) = &p.schema else { continue };
        let Some(Value::Object(schema)) = root
            .get_mut("components")
            .and_then(|c| c.get_mut("schemas"))
            .and_then(|s| s.get_mut(wire))
        else {
            continue;
        };
        let mut line = format!(
            "Payload of the `{}` webhook (`{}`)",
            p.webhook,
            p.method.to_uppercase()
        );
        match &p.summary {
            Some(s) => line.push_str(&format!(": {s}")),
            None => line.push('.'),
        }
        let description = match schema.get("description").and_then(Value::as_str) {
            Some(d) if !d.trim().is_empty() => format!("{d}\n\n{line}"),
            _ => line,
        };
        schema.insert("description".into(), Value::String(description));
    }
    let mut list = String::from(
        "## Webhooks\n\nThis API sends webhooks: requests to your server, not methods of a client. \
         Their payloads are types of this crate:\n",
    );
    for p in &payloads {
        list.push_str(&format!(
            "\n- `{}` (`{}`)",
            p.webhook,
            p.method.to_uppercase()
        ));
        if let Some(s) = &p.summary {
            list.push_str(&format!(": {}", s.trim_end_matches('.')));
        }
        match &p.schema {
            // The name the type gets (see `lower::types`), unless it collides.
            Some(wire) => list.push_str(&format!(
                "; payload type `{}`",
                naming::type_name(wire, "Schema")
            )),
            None => list.push_str("; no JSON payload"),
        }
    }
    let info = root
        .entry("info")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(info) = info {
        let description = match info.get("description").and_then(Value::as_str) {
            Some(d) if !d.trim().is_empty() => format!("{d}\n\n{list}"),
            _ => list,
        };
        info.insert("description".into(), Value::String(description));
    }
}

/// The wire name of a webhook operation's JSON payload schema, moving an
/// inline schema into `components/schemas` first.
fn payload_schema(
    root: &mut Map<String, Value>,
    webhook: &str,
    method: &str,
    op: &Map<String, Value>,
    op_ptr: &str,
    cx: &mut Cx,
) -> Option<String> {
    let mut body = op.get("requestBody")?.clone();
    let mut body_ptr = format!("{op_ptr}/requestBody");
    let mut in_components = false;
    for _ in 0..MAX_HOPS {
        let Some(r) = body.get("$ref").and_then(Value::as_str).map(str::to_owned) else {
            break;
        };
        let name = unescape(r.strip_prefix(REQUEST_BODIES)?);
        body = root
            .get("components")?
            .get("requestBodies")?
            .get(&name)?
            .clone();
        body_ptr = format!("/components/requestBodies/{}", escape_token(&name));
        in_components = true;
    }
    let content = body.get("content")?.as_object()?;
    let media = content
        .keys()
        .find(|k| crate::media::is_json(k))
        .or_else(|| content.keys().next())?
        .clone();
    let schema = content.get(&media)?.get("schema")?.clone();
    let slot_ptr = format!("{body_ptr}/content/{}/schema", escape_token(&media));
    if let Some(r) = schema.get("$ref").and_then(Value::as_str)
        && schema.as_object().is_some_and(|m| m.len() == 1)
        && let Some(token) = r.strip_prefix(SCHEMAS)
    {
        let wire = unescape(token);
        let exists = root
            .get("components")
            .and_then(|c| c.get("schemas"))
            .and_then(|s| s.get(&wire))
            .is_some();
        return exists.then_some(wire);
    }
    // An inline payload: give it a name of its own.
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(components) = components else {
        return None;
    };
    let schemas = components
        .entry("schemas")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(schemas) = schemas else {
        return None;
    };
    let base = if method == "post" {
        format!("{webhook} webhook")
    } else {
        format!("{webhook} {method} webhook")
    };
    let mut wire = base.clone();
    let mut n = 2;
    while schemas.contains_key(&wire) {
        wire = format!("{base} {n}");
        n += 1;
    }
    schemas.insert(wire.clone(), schema);
    let to = format!("/components/schemas/{}", escape_token(&wire));
    cx.moved(&slot_ptr, &to);
    cx.change(
        &slot_ptr,
        format!("webhook `{webhook}` payload moved to `components.schemas` as `{wire}`"),
    );
    if in_components {
        // A shared request body keeps pointing at the schema, now by `$ref`.
        let reference = serde_json::json!({ "$ref": format!("#{to}") });
        set_pointer(root, &slot_ptr, reference);
    }
    Some(wire)
}

/// Sets the value at `pointer` (which must exist) inside `root`.
fn set_pointer(root: &mut Map<String, Value>, pointer: &str, value: Value) {
    let tokens = crate::diag::pointer_tokens(pointer);
    let Some((first, rest)) = tokens.split_first() else {
        return;
    };
    let mut cur = match root.get_mut(first) {
        Some(v) => v,
        None => return,
    };
    for t in rest {
        cur = match cur {
            Value::Object(m) => match m.get_mut(t) {
                Some(v) => v,
                None => return,
            },
            _ => return,
        };
    }
    *cur = value;
}
