//! `$defs` (and the older `definitions`) inside schemas move to
//! `components/schemas`, so they become named types; every `$ref` that
//! pointed into moved content is updated.

use serde_json::{Map, Value};

use super::{Cx, strip_pointer_prefix};
use crate::diag::{escape_token, pointer_tokens};

/// Keywords whose value holds schemas under names of the author's choosing
/// (plus the OpenAPI maps of named things): keys directly inside them are
/// names, not keywords.
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
    "paths",
    "webhooks",
    "content",
    "encoding",
    "mapping",
    "variables",
];

/// Keywords whose value is data, not schemas.
const DATA: &[&str] = &["example", "default", "enum", "const", "value"];

const CONTAINERS: [&str; 2] = ["$defs", "definitions"];
/// How many rounds of nested `$defs` are hoisted.
const MAX_ROUNDS: usize = 16;

/// A `$defs` object found in the document.
struct Found {
    /// Pointer to the `$defs` object itself.
    pointer: String,
    /// Wire name of the component schema it is in, if any.
    parent: Option<String>,
}

pub(super) fn hoist(root: &mut Value, cx: &mut Cx) {
    for _ in 0..MAX_ROUNDS {
        let mut found = Vec::new();
        scan(root, "", false, None, &mut found);
        // Outermost first; nested ones follow in the next round.
        let outer: Vec<&Found> = found
            .iter()
            .filter(|f| {
                !found.iter().any(|g| {
                    g.pointer != f.pointer && strip_pointer_prefix(&f.pointer, &g.pointer).is_some()
                })
            })
            .collect();
        if outer.is_empty() {
            break;
        }
        for f in outer {
            move_defs(root, f, cx);
        }
    }
    // Webhook payloads, path items and `$defs` may all have moved.
    if !cx.rewrites.moves.is_empty() {
        fix_refs(root, cx);
    }
}

/// Finds `$defs`/`definitions` objects in keyword position.
fn scan(v: &Value, ptr: &str, is_name_map: bool, parent: Option<&str>, out: &mut Vec<Found>) {
    let Value::Object(m) = v else {
        if let Value::Array(items) = v {
            for (i, item) in items.iter().enumerate() {
                scan(item, &format!("{ptr}/{i}"), false, parent, out);
            }
        }
        return;
    };
    for (k, child) in m {
        let child_ptr = format!("{ptr}/{}", escape_token(k));
        if is_name_map {
            let parent = match component_schema(&child_ptr) {
                Some(_) if parent.is_none() => Some(k.as_str()),
                _ => parent,
            };
            scan(child, &child_ptr, false, parent, out);
            continue;
        }
        if k.starts_with("x-") || DATA.contains(&k.as_str()) {
            continue;
        }
        if CONTAINERS.contains(&k.as_str()) && child.is_object() {
            out.push(Found {
                pointer: child_ptr.clone(),
                parent: parent.map(str::to_owned),
            });
        }
        scan(
            child,
            &child_ptr,
            NAME_MAPS.contains(&k.as_str()),
            parent,
            out,
        );
    }
}

/// `Some(name)` when `ptr` is exactly `/components/schemas/{name}`.
fn component_schema(ptr: &str) -> Option<String> {
    let tokens = pointer_tokens(ptr);
    match tokens.as_slice() {
        [c, s, name] if c == "components" && s == "schemas" => Some(name.clone()),
        _ => None,
    }
}

fn move_defs(root: &mut Value, f: &Found, cx: &mut Cx) {
    let tokens = pointer_tokens(&f.pointer);
    let Some((key, parent_tokens)) = tokens.split_last() else {
        return;
    };
    let parent_ptr: String = parent_tokens
        .iter()
        .map(|t| format!("/{}", escape_token(t)))
        .collect();
    let Some(Value::Object(owner)) = root.pointer_mut(&parent_ptr) else {
        return;
    };
    let Some(Value::Object(defs)) = owner.shift_remove(key) else {
        return;
    };
    let Value::Object(doc) = root else { return };
    let components = doc
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(components) = components else {
        return;
    };
    let schemas = components
        .entry("schemas")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(schemas) = schemas else {
        return;
    };
    for (name, schema) in defs {
        let wire = hoisted_name(schemas, f.parent.as_deref(), &name);
        let from = format!("{}/{}", f.pointer, escape_token(&name));
        let to = format!("/components/schemas/{}", escape_token(&wire));
        cx.change(
            &from,
            format!("`{key}/{name}` moved to `components.schemas` as `{wire}`"),
        );
        cx.moved(&from, &to);
        schemas.insert(wire, schema);
    }
}

/// The component name for `$defs/{name}` of component `parent`: the name
/// itself when it already starts with the parent's (`Bill` →
/// `billLineItem`) or there is no parent, else `{parent}_{name}`; numbered
/// when taken.
fn hoisted_name(schemas: &Map<String, Value>, parent: Option<&str>, name: &str) -> String {
    let base = match parent {
        Some(p)
            if !name
                .to_ascii_lowercase()
                .starts_with(&p.to_ascii_lowercase()) =>
        {
            format!("{p}_{name}")
        }
        _ => name.to_owned(),
    };
    let mut wire = base.clone();
    if schemas.contains_key(&wire)
        && let Some(p) = parent
    {
        wire = format!("{p}_{name}");
    }
    let mut n = 2;
    while schemas.contains_key(&wire) {
        wire = format!("{base}_{n}");
        n += 1;
    }
    wire
}

/// Points `$ref`s that no longer resolve at where their target moved.
fn fix_refs(root: &mut Value, cx: &mut Cx) {
    let moves = cx.rewrites.moves.clone();
    let snapshot = root.clone();
    let mut fixed: Vec<(String, String, String)> = Vec::new();
    visit_refs(root, "", false, &mut |reference: &mut String, at: &str| {
        let Some(pointer) = reference.strip_prefix('#') else {
            return;
        };
        if snapshot.pointer(pointer).is_some() {
            return;
        }
        let mut p = pointer.to_owned();
        for m in &moves {
            if let Some(rest) = strip_pointer_prefix(&p, &m.from) {
                p = format!("{}{rest}", m.to);
            }
        }
        if p != pointer && snapshot.pointer(&p).is_some() {
            fixed.push((at.to_owned(), reference.clone(), format!("#{p}")));
            *reference = format!("#{p}");
        }
    });
    for (at, old, new) in fixed {
        cx.change(
            &at,
            format!("`$ref: {old}` now `$ref: {new}` (its target moved)"),
        );
    }
}

/// Calls `f` on every `$ref` string in keyword position.
fn visit_refs(v: &mut Value, ptr: &str, is_name_map: bool, f: &mut impl FnMut(&mut String, &str)) {
    match v {
        Value::Object(m) => {
            for (k, child) in m.iter_mut() {
                let child_ptr = format!("{ptr}/{}", escape_token(k));
                if is_name_map {
                    visit_refs(child, &child_ptr, false, f);
                    continue;
                }
                if k.starts_with("x-") || DATA.contains(&k.as_str()) {
                    continue;
                }
                match child {
                    Value::String(s) if k == "$ref" => f(s, &child_ptr),
                    _ => visit_refs(child, &child_ptr, NAME_MAPS.contains(&k.as_str()), f),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                visit_refs(item, &format!("{ptr}/{i}"), false, f);
            }
        }
        _ => {}
    }
}
