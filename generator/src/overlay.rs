//! Overlays: the OpenAPI Overlay Specification (1.0.0, and 1.1.0's `copy`).
//! An overlay is a separate YAML or JSON file of actions, each an RFC 9535
//! JSONPath `target` and what to do there: `update` (merged in), `remove`,
//! or `copy` (1.1: the value another JSONPath selects, merged in as an
//! `update` would be). Users keep their fixes to a vendor's spec in one and
//! apply it to each new version of the spec.
//!
//! Overlays apply, in the order given, to the merged document ([`crate::merge`],
//! before it is read as `openapiv3` and lowered), so Markdown snippets,
//! specs split over files and 3.1 documents all take them. That document is
//! already in 3.0 form (see `ARCHITECTURE.md` for what follows): targets are
//! evaluated on it, and what an action wrote is normalised afterwards
//! ([`crate::normalize::overlaid`]), so an overlay may write 3.1 schemas.
//!
//! Merging (`update`, and `copy` alike): into an object, each key of the
//! value is merged recursively (objects into objects, lists appended to
//! lists, anything else replaced); into a list, a list value is appended
//! entry by entry and any other value is appended as one entry; a scalar is
//! replaced. `remove` deletes each node the target selects.
//!
//! An invalid overlay is a located error (overlay file, line, pointer in the
//! overlay); an action whose target (or `copy` source) selects nothing is a
//! located warning: the vendor renamed something, and the fix no longer
//! applies. Every place an action wrote is recorded, so a diagnostic about
//! it names the overlay's line as well as the spec's.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;
use serde_json_path::JsonPath;

use crate::diag::{Diagnostics, Location, escape_token, pointer_tokens};
use crate::locate::Index;
use crate::source::{SourceFile, Syntax};

/// A parsed, valid overlay.
#[derive(Debug)]
pub struct Overlay {
    file: String,
    index: Arc<Index>,
    actions: Vec<Action>,
}

#[derive(Debug)]
struct Action {
    /// Pointer of the action in the overlay (`/actions/2`).
    at: String,
    target_text: String,
    target: JsonPath,
    change: Change,
}

#[derive(Debug)]
enum Change {
    Remove,
    Update(Value),
    Copy { text: String, from: JsonPath },
}

/// Fields an action may have besides extensions (`x-…`).
const ACTION_FIELDS: [&str; 5] = ["target", "description", "update", "remove", "copy"];

impl Overlay {
    /// The file the overlay was read from.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// How many actions it has.
    pub fn len(&self) -> usize {
        self.actions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    fn locate(&self, pointer: &str) -> Location {
        Location {
            file: self.file.clone(),
            line: 1 + self.index.line_of(pointer),
            pointer: pointer.to_owned(),
            overlay: None,
        }
    }

    /// Parses an overlay file (YAML, or JSON by its `.json` extension).
    /// Problems are located errors; `None` when there was any.
    pub fn parse(file: &SourceFile, diags: &mut Diagnostics) -> Option<Overlay> {
        let syntax = if file.name.to_ascii_lowercase().ends_with(".json") {
            Syntax::Json
        } else {
            Syntax::Yaml
        };
        let at_line = |line: usize| Location {
            file: file.name.clone(),
            line,
            pointer: String::new(),
            overlay: None,
        };
        let value = match syntax {
            Syntax::Json => serde_json::from_str::<Value>(&file.text)
                .map_err(|e| (e.line().max(1), format!("invalid JSON: {e}"))),
            Syntax::Yaml => serde_yaml::from_str::<Value>(&file.text).map_err(|e| {
                let line = e.location().map_or(1, |l| l.line());
                (line, format!("invalid YAML: {e}"))
            }),
        };
        let value = match value {
            Ok(v) => v,
            Err((line, message)) => {
                diags.error(format!("invalid overlay: {message}"), Some(at_line(line)));
                return None;
            }
        };
        let mut overlay = Overlay {
            file: file.name.clone(),
            index: Arc::new(Index::new(file.text.clone(), syntax)),
            actions: Vec::new(),
        };
        let errors_before = diags.errors().count();
        let Value::Object(root) = &value else {
            diags.error(
                "invalid overlay: expected an object with `overlay` and `actions`",
                Some(at_line(1)),
            );
            return None;
        };
        match root.get("overlay") {
            Some(Value::String(v)) if v.starts_with("1.") => {}
            Some(other) => diags.error(
                format!("invalid overlay: `overlay` is {other}; expected the Overlay Specification version, `1.0.0` or `1.1.0`"),
                Some(overlay.locate("/overlay")),
            ),
            None => diags.error(
                "invalid overlay: no top-level `overlay` key (the Overlay Specification version, `1.0.0` or `1.1.0`)",
                Some(overlay.locate("")),
            ),
        }
        let actions = match root.get("actions") {
            Some(Value::Array(list)) => list.as_slice(),
            Some(_) => {
                diags.error(
                    "invalid overlay: `actions` is not a list",
                    Some(overlay.locate("/actions")),
                );
                &[]
            }
            None => {
                diags.error(
                    "invalid overlay: no `actions` list",
                    Some(overlay.locate("")),
                );
                &[]
            }
        };
        for (i, action) in actions.iter().enumerate() {
            let at = format!("/actions/{i}");
            if let Some(a) = overlay.action(action, at, diags) {
                overlay.actions.push(a);
            }
        }
        (diags.errors().count() == errors_before).then_some(overlay)
    }

    /// One action, checked; `None` (with errors) when it is invalid.
    fn action(&self, action: &Value, at: String, diags: &mut Diagnostics) -> Option<Action> {
        let Value::Object(fields) = action else {
            diags.error(
                "invalid overlay action: expected an object with `target` and `update`, `remove` or `copy`",
                Some(self.locate(&at)),
            );
            return None;
        };
        for key in fields.keys() {
            if !key.starts_with("x-") && !ACTION_FIELDS.contains(&key.as_str()) {
                diags.warning(
                    format!("overlay action: unknown field `{key}` ignored"),
                    Some(self.locate(&format!("{at}/{}", escape_token(key)))),
                );
            }
        }
        let path = |field: &str, diags: &mut Diagnostics| -> Option<(String, JsonPath)> {
            let here = format!("{at}/{field}");
            match fields.get(field) {
                Some(Value::String(text)) => match JsonPath::parse(text) {
                    Ok(path) => Some((text.clone(), path)),
                    Err(e) => {
                        diags.error(
                            format!("invalid overlay action: `{field}` is not a JSONPath query (RFC 9535): {e}"),
                            Some(self.locate(&here)),
                        );
                        None
                    }
                },
                Some(other) => {
                    diags.error(
                        format!(
                            "invalid overlay action: `{field}` is {other}, not a JSONPath query"
                        ),
                        Some(self.locate(&here)),
                    );
                    None
                }
                None => None,
            }
        };
        let target = path("target", diags);
        if !fields.contains_key("target") {
            diags.error(
                "invalid overlay action: no `target`",
                Some(self.locate(&at)),
            );
        }
        let remove = match fields.get("remove") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                diags.error(
                    format!("invalid overlay action: `remove` is {other}, not `true` or `false`"),
                    Some(self.locate(&format!("{at}/remove"))),
                );
                return None;
            }
        };
        // As the specification orders them: `remove` wins over `update`,
        // which wins over `copy`.
        let change = if remove {
            Change::Remove
        } else if let Some(value) = fields.get("update") {
            Change::Update(value.clone())
        } else if fields.contains_key("copy") {
            let (text, from) = path("copy", diags)?;
            Change::Copy { text, from }
        } else {
            diags.error(
                "invalid overlay action: it does nothing; give `update`, `remove: true` or `copy`",
                Some(self.locate(&at)),
            );
            return None;
        };
        let (target_text, target) = target?;
        Some(Action {
            at,
            target_text,
            target,
            change,
        })
    }
}

/// What overlays changed in a document, for locating diagnostics.
#[derive(Debug, Default)]
pub struct Applied {
    /// Pointer of a written region of the document → the overlay's place
    /// that wrote it, and (for a `copy`) the pointer the value came from.
    regions: BTreeMap<String, (Location, Option<String>)>,
    /// List entries removed, in order (as `merge::repair` records them).
    pub(crate) removed: Vec<String>,
}

impl Applied {
    pub fn is_empty(&self) -> bool {
        self.regions.is_empty() && self.removed.is_empty()
    }

    /// Every pointer some action wrote.
    pub fn written(&self) -> Vec<String> {
        self.regions.keys().cloned().collect()
    }

    /// The overlay place that wrote `pointer` (or the region holding it),
    /// and where in the document the value came from when it was copied.
    pub fn find(&self, pointer: &str) -> Option<(&Location, Option<String>)> {
        let mut prefix = pointer;
        loop {
            if let Some((place, from)) = self.regions.get(prefix) {
                let from = from
                    .as_ref()
                    .map(|f| format!("{f}{}", &pointer[prefix.len()..]));
                return Some((place, from));
            }
            let cut = prefix.rfind('/')?;
            prefix = &prefix[..cut];
        }
    }

    /// Forgets what was written under `pointer` (it was removed).
    fn forget(&mut self, pointer: &str) {
        let below: Vec<String> = self
            .regions
            .range(pointer.to_owned()..)
            .map(|(k, _)| k.clone())
            .take_while(|k| k.starts_with(pointer))
            .filter(|k| crate::normalize::strip_pointer_prefix(k, pointer).is_some())
            .collect();
        for k in below {
            self.regions.remove(&k);
        }
    }
}

/// Applies the overlays, in order, to `doc`.
pub fn apply(overlays: &[Overlay], doc: &mut Value, diags: &mut Diagnostics) -> Applied {
    let mut applied = Applied::default();
    for overlay in overlays {
        for action in &overlay.actions {
            apply_action(overlay, action, doc, &mut applied, diags);
        }
    }
    applied
}

fn apply_action(
    overlay: &Overlay,
    action: &Action,
    doc: &mut Value,
    applied: &mut Applied,
    diags: &mut Diagnostics,
) {
    let targets: Vec<String> = action
        .target
        .query_located(doc)
        .locations()
        .map(|l| l.to_json_pointer())
        .collect();
    if targets.is_empty() {
        diags.warning(
            format!(
                "overlay target `{}` matches nothing; the action was not applied (was it renamed in the spec?)",
                action.target_text
            ),
            Some(overlay.locate(&format!("{}/target", action.at))),
        );
        return;
    }
    match &action.change {
        Change::Remove => remove(overlay, action, targets, doc, applied, diags),
        Change::Update(value) => {
            let place = format!("{}/update", action.at);
            for target in targets {
                write(overlay, &place, value, &target, None, doc, applied, diags);
            }
        }
        Change::Copy { text, from } => {
            let sources: Vec<(String, Value)> = from
                .query_located(doc)
                .iter()
                .map(|n| (n.location().to_json_pointer(), n.node().clone()))
                .collect();
            let place = format!("{}/copy", action.at);
            match sources.as_slice() {
                [(source, value)] => {
                    for target in targets {
                        write(
                            overlay,
                            &place,
                            value,
                            &target,
                            Some(source),
                            doc,
                            applied,
                            diags,
                        );
                    }
                }
                [] => diags.warning(
                    format!("overlay `copy` source `{text}` matches nothing; the action was not applied (was it renamed in the spec?)"),
                    Some(overlay.locate(&place)),
                ),
                many => diags.error(
                    format!(
                        "overlay `copy` source `{text}` matches {} values; it must select exactly one",
                        many.len()
                    ),
                    Some(overlay.locate(&place)),
                ),
            }
        }
    }
}

fn remove(
    overlay: &Overlay,
    action: &Action,
    mut targets: Vec<String>,
    doc: &mut Value,
    applied: &mut Applied,
    diags: &mut Diagnostics,
) {
    // Later list entries first, so earlier indices stay valid.
    targets.sort_by_key(|p| std::cmp::Reverse(sort_key(p)));
    for target in targets {
        let Some((parent, last)) = target.rsplit_once('/') else {
            diags.warning(
                "overlay `remove` of the whole document ignored",
                Some(overlay.locate(&format!("{}/target", action.at))),
            );
            continue;
        };
        let key = pointer_tokens(&format!("/{last}"))
            .pop()
            .unwrap_or_default();
        match doc.pointer_mut(parent) {
            Some(Value::Object(map)) => {
                map.shift_remove(&key);
            }
            Some(Value::Array(list)) => {
                if let Ok(i) = key.parse::<usize>()
                    && i < list.len()
                {
                    list.remove(i);
                    applied.removed.push(target.clone());
                }
            }
            _ => {}
        }
        applied.forget(&target);
    }
}

/// Tokens of a pointer with list indices compared as numbers.
fn sort_key(pointer: &str) -> Vec<(u64, String)> {
    pointer_tokens(pointer)
        .into_iter()
        .map(|t| match t.parse::<u64>() {
            Ok(n) => (n, String::new()),
            Err(_) => (u64::MAX, t),
        })
        .collect()
}

/// Merges `value` into the node at `target`, recording every place written.
/// `place` is the value's pointer in the overlay, `source` (for a copy) its
/// pointer in the document.
#[allow(clippy::too_many_arguments)]
fn write(
    overlay: &Overlay,
    place: &str,
    value: &Value,
    target: &str,
    source: Option<&str>,
    doc: &mut Value,
    applied: &mut Applied,
    diags: &mut Diagnostics,
) {
    let Some(node) = doc.pointer_mut(target) else {
        return;
    };
    let mut written = Vec::new();
    merge(node, value, target, "", &mut written);
    for (at, inner) in written {
        let from = source.map(|s| format!("{s}{inner}"));
        check_refs(overlay, place, &inner, doc.pointer(&at), diags);
        let mut located = overlay.locate(&format!("{place}{inner}"));
        if source.is_some() {
            // The copy action's line, not a line inside the copied value.
            located = overlay.locate(place);
        }
        applied.regions.insert(at, (located, from));
    }
}

/// Merges `value` into `node` (at `at`); records `(pointer written, pointer
/// of the value inside the update)`.
fn merge(
    node: &mut Value,
    value: &Value,
    at: &str,
    inner: &str,
    written: &mut Vec<(String, String)>,
) {
    match (node, value) {
        (Value::Object(map), Value::Object(update)) => {
            for (key, v) in update {
                let child_at = format!("{at}/{}", escape_token(key));
                let child_inner = format!("{inner}/{}", escape_token(key));
                match map.get_mut(key) {
                    Some(existing) if existing.is_object() && v.is_object() => {
                        merge(existing, v, &child_at, &child_inner, written);
                    }
                    Some(existing) if existing.is_array() && v.is_array() => {
                        merge(existing, v, &child_at, &child_inner, written);
                    }
                    _ => {
                        map.insert(key.clone(), v.clone());
                        written.push((child_at, child_inner));
                    }
                }
            }
        }
        (Value::Array(list), Value::Array(entries)) => {
            for (j, entry) in entries.iter().enumerate() {
                written.push((format!("{at}/{}", list.len()), format!("{inner}/{j}")));
                list.push(entry.clone());
            }
        }
        (Value::Array(list), entry) => {
            written.push((format!("{at}/{}", list.len()), inner.to_owned()));
            list.push(entry.clone());
        }
        (node, value) => {
            *node = value.clone();
            written.push((at.to_owned(), inner.to_owned()));
        }
    }
}

/// References were followed before overlays apply: a `$ref` an overlay
/// writes must name something inside the document.
fn check_refs(
    overlay: &Overlay,
    place: &str,
    inner: &str,
    value: Option<&Value>,
    diags: &mut Diagnostics,
) {
    fn walk(v: &Value, at: String, out: &mut Vec<(String, String)>) {
        match v {
            Value::Object(m) => {
                for (k, child) in m {
                    if k == "$ref"
                        && let Value::String(r) = child
                        && !r.starts_with('#')
                    {
                        out.push((format!("{at}/$ref"), r.clone()));
                    } else {
                        walk(child, format!("{at}/{}", escape_token(k)), out);
                    }
                }
            }
            Value::Array(list) => {
                for (i, child) in list.iter().enumerate() {
                    walk(child, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    if let Some(v) = value {
        walk(v, format!("{place}{inner}"), &mut found);
    }
    for (at, reference) in found {
        diags.error(
            format!("overlay writes `$ref: {reference}`, a reference to another file; overlays apply after references are followed, so only references inside the document (`#/components/…`) can be written"),
            Some(overlay.locate(&at)),
        );
    }
}

#[cfg(test)]
mod tests;
