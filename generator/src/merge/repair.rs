//! Lenient reading. When the merged document does not read as
//! `openapiv3::OpenAPI`, the parts that failed (the fast path in `de.rs`
//! names them: the document's own fields, single path items, single
//! components) are repaired in the raw JSON and read again. Valid documents
//! never come here.
//!
//! For each failing part, in order, until it reads:
//! 1. [`shape`] checks it against a table of what each keyword of each object
//!    holds, as `openapiv3` reads it, and repairs what does not fit (`"true"`
//!    → `true`, `enum: a` → `enum: [a]`, `required: true` inside a property
//!    → the property joins the object's `required`, a missing response
//!    `description` → `""`, …) or drops the keyword;
//! 2. what `openapiv3` still refuses is dropped where `serde_path_to_error`
//!    says, a few times (this helps outside schemas only: `openapiv3` reads
//!    schemas and `$ref`-or-object values through untagged and flattened
//!    enums, which hide the path);
//! 3. operations of a path item that still do not read are skipped one by
//!    one, and then the part itself.
//!
//! Every repair and every drop is a [`Fix`]: the JSON pointer of the keyword
//! and what was done, which the caller reports as a located warning. Only
//! the document's structure (not an object, `paths` not a map) is never
//! repaired: that is still an error.

mod shape;
#[cfg(test)]
mod tests;

use serde_json::{Map, Value};

use super::de::{self, Slot, Unread};
use super::{METHODS, path_to_pointer};
use crate::diag::{escape_token, pointer_tokens};

/// One repair: where (a pointer into the merged document) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub pointer: String,
    pub message: String,
}

/// What the repairs did.
#[derive(Debug, Default)]
pub struct Repairs {
    /// Each fix, its pointer in the document as it was before any repair.
    pub fixes: Vec<Fix>,
    /// Removed list entries, in order, each by its pointer at the time: the
    /// entries after it moved up by one (see [`before_removals`]).
    pub removed: Vec<String>,
}

impl Repairs {
    /// Records a fix at `pointer` (into the document as it is now).
    pub(super) fn fix(&mut self, pointer: &str, message: String) {
        self.fixes.push(Fix {
            pointer: before_removals(&self.removed, pointer),
            message,
        });
    }

    /// Records that the list entry at `pointer` was removed (after the fixes
    /// that name it).
    pub(super) fn removed_entry(&mut self, pointer: String) {
        self.removed.push(pointer);
    }
}

/// The pointer, in the document before the repairs, of `pointer` in the
/// document after them: list entries after a removed one are moved back
/// (the latest removal first).
pub fn before_removals(removed: &[String], pointer: &str) -> String {
    let mut p = pointer.to_owned();
    for r in removed.iter().rev() {
        let Some((list, index)) = r.rsplit_once('/') else {
            continue;
        };
        let Ok(index) = index.parse::<usize>() else {
            continue;
        };
        let Some(rest) = p.strip_prefix(list).and_then(|r| r.strip_prefix('/')) else {
            continue;
        };
        let (k, tail) = match rest.split_once('/') {
            Some((k, tail)) => (k, Some(tail)),
            None => (rest, None),
        };
        match (k.parse::<usize>(), tail) {
            (Ok(k), Some(tail)) if k >= index => p = format!("{list}/{}/{tail}", k + 1),
            (Ok(k), None) if k >= index => p = format!("{list}/{}", k + 1),
            _ => {}
        }
    }
    p
}

/// How many times a part is read again after dropping what its error names.
const ROUNDS: usize = 16;

/// Repairs the parts of `raw` that did not read; what was done, in order.
pub(super) fn repair(raw: &mut Value, unread: &Unread) -> Repairs {
    let mut repairs = Repairs::default();
    if unread.top {
        top(raw, &mut repairs);
    }
    for (slot, at) in &unread.entries {
        entry(raw, *slot, at, &mut repairs);
    }
    repairs
}

/// The document's own fields (not its path items and components, which are
/// repaired one by one).
fn top(raw: &mut Value, repairs: &mut Repairs) {
    if let Value::Object(root) = raw {
        shape::Walk::new(repairs).entry_object(shape::Obj::Root, root, "");
    }
    for _ in 0..ROUNDS {
        let Some(root) = raw.as_object() else { return };
        let rest = own_fields(root);
        let Err(e) = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&rest) else {
            return;
        };
        let pointer = path_to_pointer(e.path());
        let tokens = pointer_tokens(&pointer);
        // Without these there is no document: its error is reported.
        let vital = match tokens.as_slice() {
            [] => true,
            [first] => ["openapi", "info", "paths"].contains(&first.as_str()),
            _ => false,
        };
        if vital || !removable(raw, &pointer) {
            return;
        }
        let message = format!(
            "{} could not be read ({}); dropped",
            named(&pointer),
            e.inner()
        );
        repairs.fix(&pointer, message);
        remove(raw, &pointer, repairs, "");
    }
}

/// The document without its path items and component entries: what
/// `de.rs` reads as the document's own fields.
fn own_fields(root: &Map<String, Value>) -> Value {
    let mut rest = Map::new();
    for (key, value) in root {
        let kept = match (key.as_str(), value) {
            ("paths", Value::Object(paths)) => Value::Object(
                paths
                    .iter()
                    .filter(|(p, _)| !p.starts_with('/'))
                    .map(|(p, v)| (p.clone(), v.clone()))
                    .collect(),
            ),
            ("components", Value::Object(kinds)) => Value::Object(
                kinds
                    .iter()
                    .map(|(kind, entries)| {
                        let entries = match (de::component_slot(kind), entries) {
                            (Some(_), Value::Object(_)) => Value::Object(Map::new()),
                            _ => entries.clone(),
                        };
                        (kind.clone(), entries)
                    })
                    .collect(),
            ),
            _ => value.clone(),
        };
        rest.insert(key.clone(), kept);
    }
    Value::Object(rest)
}

/// One path item or component.
fn entry(raw: &mut Value, slot: Slot, at: &str, repairs: &mut Repairs) {
    let Some(value) = raw.pointer_mut(at) else {
        return;
    };
    let tokens = pointer_tokens(at);
    let label = match (slot, tokens.as_slice()) {
        (Slot::Path, [_, path]) => format!("path `{path}`"),
        (_, [_, kind, name]) => format!("component `{kind}/{name}`"),
        _ => format!("`{at}`"),
    };
    let mut walk = shape::Walk::new(repairs);
    let mut readable = walk.entry(value, shape::kind_of(slot), at, &label);
    if readable && !de::reads(slot, value) {
        readable = match slot {
            Slot::Path => path_item(value, at, tokens.get(1).map_or("", String::as_str), repairs),
            _ => drop_until_read(value, at, repairs, |v| de::error_inside(slot, v)),
        } && de::reads(slot, value);
        if !readable {
            let why = de::error_inside(slot, value)
                .map(|(inner, message)| format!(": {message} (at #{at}{inner})"))
                .unwrap_or_default();
            repairs.fix(at, format!("{label} could not be read{why}; skipped"));
        }
    }
    if !readable {
        remove(raw, at, repairs, "");
    }
}

/// A path item that still does not read: what its errors name is dropped,
/// operation by operation; an operation that still does not read is skipped.
fn path_item(item: &mut Value, at: &str, path: &str, repairs: &mut Repairs) -> bool {
    let Value::Object(fields) = item else {
        return false;
    };
    for method in METHODS {
        let Some(op) = fields.get_mut(method) else {
            continue;
        };
        let op_at = format!("{at}/{method}");
        let read = drop_until_read(op, &op_at, repairs, |v| {
            serde_path_to_error::deserialize::<_, openapiv3::Operation>(v)
                .err()
                .map(|e| (path_to_pointer(e.path()), e.inner().to_string()))
        });
        if !read {
            let why = serde_path_to_error::deserialize::<_, openapiv3::Operation>(&*op)
                .err()
                .map(|e| format!(": {} (at #{op_at}{})", e.inner(), path_to_pointer(e.path())))
                .unwrap_or_default();
            let message = format!(
                "operation `{} {path}` could not be read{why}; skipped",
                method.to_uppercase()
            );
            repairs.fix(&op_at, message);
            fields.shift_remove(method);
        }
    }
    drop_until_read(item, at, repairs, |v| de::error_inside(Slot::Path, v))
}

/// Drops what `error` names inside `value` until it reads, at most
/// [`ROUNDS`] times; whether it reads.
fn drop_until_read(
    value: &mut Value,
    at: &str,
    repairs: &mut Repairs,
    error: impl Fn(&Value) -> Option<(String, String)>,
) -> bool {
    for _ in 0..ROUNDS {
        let Some((inner, message)) = error(value) else {
            return true;
        };
        if inner.is_empty() || !removable(value, &inner) {
            return false;
        }
        let message = format!("{} could not be read ({message}); dropped", named(&inner));
        repairs.fix(&format!("{at}{inner}"), message);
        remove(value, &inner, repairs, at);
    }
    error(value).is_none()
}

/// How a message names what is at `pointer`: its key, or its list entry.
fn named(pointer: &str) -> String {
    let tokens = pointer_tokens(pointer);
    match tokens.as_slice() {
        [.., parent, index] if index.parse::<usize>().is_ok() => {
            format!("`{parent}` entry {index}")
        }
        [.., key] => format!("`{key}`"),
        [] => "the value".to_owned(),
    }
}

/// Whether there is a value at `pointer` that [`remove`] can remove.
fn removable(root: &Value, pointer: &str) -> bool {
    !pointer.is_empty() && root.pointer(pointer).is_some()
}

/// Removes the value at `pointer` (an object entry or a list entry; `at` is
/// where `root` is in the document), recording a removed list entry.
fn remove(root: &mut Value, pointer: &str, repairs: &mut Repairs, at: &str) {
    let tokens = pointer_tokens(pointer);
    let Some((last, parents)) = tokens.split_last() else {
        return;
    };
    let parent: String = parents
        .iter()
        .map(|t| format!("/{}", escape_token(t)))
        .collect();
    match root.pointer_mut(&parent) {
        Some(Value::Object(m)) => {
            m.shift_remove(last);
        }
        Some(Value::Array(list)) => {
            if let Ok(i) = last.parse::<usize>()
                && i < list.len()
            {
                list.remove(i);
                repairs.removed_entry(format!("{at}{pointer}"));
            }
        }
        _ => {}
    }
}
