//! One Schema Object: JSON Schema 2020-12 (OpenAPI 3.1) keywords rewritten
//! into the OpenAPI 3.0 subset, then its subschemas.

use serde_json::{Map, Value, json};

use super::Cx;
use crate::diag::escape_token;

/// Deeper schemas are left as they are (serde_json stops at 128 anyway).
const MAX_DEPTH: usize = 100;

/// Siblings of `$ref` that do not change the generated code: a `$ref` with
/// only these stays a plain `$ref`.
const INERT_REF_SIBLINGS: &[&str] = &[
    "example", "examples", "$comment", "$id", "$schema", "$anchor",
];

/// Keywords that only validate (or annotate) and do not change the shape of
/// a value: dropped.
const VALIDATION_ONLY: &[&str] = &[
    "$comment",
    "$id",
    "$schema",
    "$anchor",
    "$dynamicAnchor",
    "$vocabulary",
    "contentSchema",
    "dependentRequired",
    "propertyNames",
    "contains",
    "minContains",
    "maxContains",
    "unevaluatedItems",
    "unevaluatedProperties",
];

/// Keywords that belong to one JSON type, moved into that type's branch when
/// a `type` array becomes a `oneOf`.
const STRING_KEYS: &[&str] = &["minLength", "maxLength", "pattern"];
const NUMBER_KEYS: &[&str] = &[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
];
const ARRAY_KEYS: &[&str] = &["items", "minItems", "maxItems", "uniqueItems"];
const OBJECT_KEYS: &[&str] = &[
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
];

/// Rewrites the schema at `v` (at `ptr`) and everything below it.
pub(super) fn schema(v: &mut Value, ptr: &str, cx: &mut Cx, depth: usize) {
    if depth > MAX_DEPTH || !cx.touches(ptr) {
        return;
    }
    match v {
        Value::Bool(true) => {
            *v = json!({});
            cx.change(ptr, "boolean schema `true` → `{}` (any value)");
        }
        Value::Bool(false) => {
            *v = json!({ "not": {} });
            cx.change(ptr, "boolean schema `false` → `{not: {}}` (no value)");
        }
        Value::Object(m) => object(m, ptr, cx, depth),
        _ => {}
    }
}

fn object(m: &mut Map<String, Value>, ptr: &str, cx: &mut Cx, depth: usize) {
    let reference = match m.get("$ref") {
        Some(Value::String(_)) => m.shift_remove("$ref"),
        _ => None,
    };
    examples(m, ptr, cx);
    super::v32::default_mapping(m, ptr, cx);
    constant(m, ptr, cx);
    exclusive_bounds(m, ptr, cx);
    content_encoding(m, ptr, cx);
    unsupported(m, ptr, cx);
    required(m, ptr, cx);
    types(m, ptr, cx);
    children(m, ptr, cx, depth);
    if let Some(Value::String(r)) = reference {
        wrap_ref(m, r, ptr, cx);
    }
}

/// `examples: [a, …]` → `example: a`.
fn examples(m: &mut Map<String, Value>, ptr: &str, cx: &mut Cx) {
    let Some(examples) = m.shift_remove("examples") else {
        return;
    };
    match examples {
        Value::Array(list) if !m.contains_key("example") && !list.is_empty() => {
            if let Some(first) = list.into_iter().next() {
                m.insert("example".into(), first);
            }
            cx.change(ptr, "`examples` array → `example` (its first value)");
        }
        _ => cx.change(ptr, "`examples` removed (`example` is kept)"),
    }
}

/// `const: v` → `enum: [v]`, with the `type` of `v` when none is given.
fn constant(m: &mut Map<String, Value>, ptr: &str, cx: &mut Cx) {
    let Some(value) = m.shift_remove("const") else {
        return;
    };
    if !m.contains_key("type")
        && let Some(t) = json_type(&value)
    {
        m.insert("type".into(), Value::String(t.into()));
    }
    if value.is_null() {
        m.insert("nullable".into(), Value::Bool(true));
    }
    m.insert("enum".into(), Value::Array(vec![value]));
    cx.change(ptr, "`const` → single-value `enum`");
}

fn json_type(v: &Value) -> Option<&'static str> {
    Some(match v {
        Value::String(_) => "string",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::Bool(_) => "boolean",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => return None,
    })
}

/// Numeric `exclusiveMinimum: n` → `minimum: n, exclusiveMinimum: true`
/// (and the same for maximum), keeping whichever bound is tighter.
fn exclusive_bounds(m: &mut Map<String, Value>, ptr: &str, cx: &mut Cx) {
    for (exclusive, inclusive, lower) in [
        ("exclusiveMinimum", "minimum", true),
        ("exclusiveMaximum", "maximum", false),
    ] {
        let Some(Value::Number(bound)) = m.get(exclusive).cloned() else {
            continue;
        };
        let b = bound.as_f64().unwrap_or(0.0);
        let keep_inclusive = m
            .get(inclusive)
            .and_then(Value::as_f64)
            .is_some_and(|i| if lower { i > b } else { i < b });
        if keep_inclusive {
            m.shift_remove(exclusive);
        } else {
            m.insert(inclusive.into(), Value::Number(bound));
            m.insert(exclusive.into(), Value::Bool(true));
        }
        cx.change(
            ptr,
            format!("numeric `{exclusive}` → `{inclusive}` + boolean `{exclusive}`"),
        );
    }
}

/// `contentEncoding: base64` → `format: byte`; `contentMediaType` of
/// binary content (no encoding) → `format: binary`.
fn content_encoding(m: &mut Map<String, Value>, ptr: &str, cx: &mut Cx) {
    let encoding = m.shift_remove("contentEncoding");
    let media = m.shift_remove("contentMediaType");
    if encoding.is_none() && media.is_none() {
        return;
    }
    let format = match (
        encoding.as_ref().and_then(Value::as_str),
        media.as_ref().and_then(Value::as_str),
    ) {
        (Some(e), _) if e.eq_ignore_ascii_case("base64") || e.eq_ignore_ascii_case("base64url") => {
            Some("byte")
        }
        (Some(_), _) => None,
        (None, Some(media)) if is_binary_media(media) => Some("binary"),
        (None, _) => None,
    };
    let stringy = m.get("type").is_none_or(|t| t == "string");
    match format {
        Some(f) if stringy && !m.contains_key("format") => {
            m.insert("format".into(), Value::String(f.into()));
            cx.change(
                ptr,
                format!("`contentEncoding`/`contentMediaType` → `format: {f}`"),
            );
        }
        _ => cx.change(
            ptr,
            "`contentEncoding`/`contentMediaType` removed (the value stays a string)",
        ),
    }
}

fn is_binary_media(media: &str) -> bool {
    let m = crate::media::essence(media);
    !(m.starts_with("text/")
        || m == "application/json"
        || m.ends_with("+json")
        || m.ends_with("+xml")
        || m == "application/xml")
}

/// Keywords 3.0 has no equivalent for.
fn unsupported(m: &mut Map<String, Value>, ptr: &str, cx: &mut Cx) {
    for k in VALIDATION_ONLY {
        if m.shift_remove(*k).is_some() {
            cx.change(ptr, format!("`{k}` removed (it only validates)"));
        }
    }
    for k in ["$defs", "definitions"] {
        if m.shift_remove(k).is_some() {
            cx.warn(ptr, format!("`{k}` here could not be moved to `components.schemas`; `$ref`s into it use `serde_json::Value`"));
        }
    }
    let conditional: Vec<&str> = ["if", "then", "else", "dependentSchemas"]
        .into_iter()
        .filter(|k| m.shift_remove(*k).is_some())
        .collect();
    if !conditional.is_empty() {
        cx.warn(
            ptr,
            format!(
                "`{}` cannot be expressed in the generated types and is ignored",
                conditional.join("`/`")
            ),
        );
    }
    for k in ["$dynamicRef", "$recursiveRef"] {
        if let Some(r) = m.shift_remove(k) {
            cx.warn(
                ptr,
                format!("`{k}: {r}` is not supported; the value is read as any JSON"),
            );
        }
    }
    if let Some(patterns) = m.shift_remove("patternProperties") {
        if !m.contains_key("additionalProperties") {
            let value = match patterns {
                Value::Object(p) if p.len() == 1 => {
                    p.into_iter().next().map_or(Value::Bool(true), |(_, s)| s)
                }
                _ => Value::Bool(true),
            };
            m.insert("additionalProperties".into(), value);
            cx.change(
                ptr,
                "`patternProperties` → `additionalProperties` (key patterns are not checked)",
            );
        } else {
            cx.change(
                ptr,
                "`patternProperties` removed (`additionalProperties` is given)",
            );
        }
    }
    let tuple = m.shift_remove("prefixItems");
    let items_array = matches!(m.get("items"), Some(Value::Array(_)));
    if tuple.is_some() || items_array {
        m.insert("items".into(), json!({}));
        if !m.contains_key("type") {
            m.insert("type".into(), Value::String("array".into()));
        }
        cx.warn(ptr, "tuple schemas (`prefixItems`) cannot be expressed; read as an array of any JSON values");
    } else if m.get("items") == Some(&Value::Bool(false)) {
        m.shift_remove("items");
        cx.change(ptr, "`items: false` removed");
    }
}

/// `required` must be a list of names (a boolean there is a common mistake).
fn required(m: &mut Map<String, Value>, ptr: &str, cx: &mut Cx) {
    match m.get_mut("required") {
        None => {}
        Some(Value::Array(names)) => {
            let before = names.len();
            names.retain(Value::is_string);
            if names.len() != before {
                cx.change(ptr, "non-string entries of `required` removed");
            }
        }
        Some(_) => {
            m.shift_remove("required");
            cx.change(
                ptr,
                "`required` that is not a list of property names removed",
            );
        }
    }
}

/// `type` arrays: `null` → `nullable: true`; one other type stays `type`;
/// several become a `oneOf` with one branch per type.
fn types(m: &mut Map<String, Value>, ptr: &str, cx: &mut Cx) {
    let list = match m.get("type") {
        None | Some(Value::String(_)) => return,
        Some(Value::Array(list)) => list,
        Some(other) => {
            let kind = json_type(other).unwrap_or("null");
            cx.warn(
                ptr,
                format!("`type` is {kind}, not a type name; the value is read as any JSON"),
            );
            m.shift_remove("type");
            return;
        }
    };
    let mut names: Vec<String> = Vec::new();
    let mut null = false;
    for t in list {
        match t.as_str() {
            Some("null") => null = true,
            Some(t) if !names.iter().any(|n| n == t) => names.push(t.to_owned()),
            _ => {}
        }
    }
    let shown = serde_json::to_string(list).unwrap_or_default();
    m.shift_remove("type");
    if null && !names.is_empty() {
        m.insert("nullable".into(), Value::Bool(true));
    }
    match names.len() {
        0 => {
            if null {
                m.insert("type".into(), Value::String("null".into()));
            }
            cx.change(ptr, format!("`type: {shown}` → `type: null`"));
        }
        1 => {
            let t = names.remove(0);
            let note = if null {
                format!("`type: {shown}` → `type: {t}` + `nullable: true`")
            } else {
                format!("`type: {shown}` → `type: {t}`")
            };
            m.insert("type".into(), Value::String(t));
            cx.change(ptr, note);
        }
        _ => split(m, &names, &shown, ptr, cx),
    }
}

/// A schema of several types → `oneOf` of one schema per type, each with the
/// keywords (and `enum` values) that belong to it.
fn split(m: &mut Map<String, Value>, names: &[String], shown: &str, ptr: &str, cx: &mut Cx) {
    let key = if !m.contains_key("oneOf") {
        "oneOf"
    } else if !m.contains_key("anyOf") {
        "anyOf"
    } else {
        cx.warn(ptr, format!("`type: {shown}` next to both `oneOf` and `anyOf` cannot be expressed; read as any JSON"));
        return;
    };
    let values = m.shift_remove("enum");
    let mut taken = Map::new();
    for k in STRING_KEYS
        .iter()
        .chain(NUMBER_KEYS)
        .chain(ARRAY_KEYS)
        .chain(OBJECT_KEYS)
        .chain(&["format"])
    {
        if let Some(v) = m.shift_remove(*k) {
            taken.insert((*k).to_owned(), v);
        }
    }
    let mut branches = Vec::new();
    for t in names {
        let mut b = Map::new();
        b.insert("type".into(), Value::String(t.clone()));
        let keys: &[&str] = match t.as_str() {
            "string" => STRING_KEYS,
            "integer" | "number" => NUMBER_KEYS,
            "array" => ARRAY_KEYS,
            "object" => OBJECT_KEYS,
            _ => &[],
        };
        for k in keys {
            if let Some(v) = taken.get(*k) {
                b.insert((*k).to_owned(), v.clone());
            }
        }
        if let Some(Value::String(f)) = taken.get("format")
            && format_fits(t, f)
        {
            b.insert("format".into(), Value::String(f.clone()));
        }
        if let Some(Value::Array(values)) = &values {
            let mine: Vec<Value> = values
                .iter()
                .filter(|v| value_fits(t, v))
                .cloned()
                .collect();
            if mine.is_empty() {
                // The `enum` allows no value of this type.
                continue;
            }
            b.insert("enum".into(), Value::Array(mine));
        }
        branches.push(Value::Object(b));
    }
    match branches.len() {
        0 => cx.warn(
            ptr,
            format!("`type: {shown}` with this `enum` allows no value; read as any JSON"),
        ),
        1 => {
            if let Some(Value::Object(b)) = branches.pop() {
                m.extend(b);
            }
            cx.change(
                ptr,
                format!("`type: {shown}` → the one type its `enum` allows"),
            );
        }
        _ => {
            m.insert(key.into(), Value::Array(branches));
            cx.change(
                ptr,
                format!("`type: {shown}` → `{key}` of one schema per type"),
            );
        }
    }
}

fn format_fits(t: &str, format: &str) -> bool {
    match t {
        "integer" => matches!(format, "int32" | "int64"),
        "number" => matches!(format, "float" | "double" | "int32" | "int64"),
        "string" => !matches!(format, "int32" | "int64" | "float" | "double"),
        _ => false,
    }
}

fn value_fits(t: &str, v: &Value) -> bool {
    match t {
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => false,
    }
}

/// Subschemas: `properties` (a `false` one is dropped: it can never be
/// present), `additionalProperties`, `items`, `allOf`/`oneOf`/`anyOf`, `not`.
fn children(m: &mut Map<String, Value>, ptr: &str, cx: &mut Cx, depth: usize) {
    if let Some(Value::Object(props)) = m.get_mut("properties") {
        let never: Vec<String> = props
            .iter()
            .filter(|(_, v)| **v == Value::Bool(false))
            .map(|(k, _)| k.clone())
            .collect();
        for name in &never {
            props.shift_remove(name);
            cx.change(
                &format!("{ptr}/properties/{}", escape_token(name)),
                format!("property `{name}` with schema `false` (never present) removed"),
            );
        }
        for (name, p) in props.iter_mut() {
            schema(
                p,
                &format!("{ptr}/properties/{}", escape_token(name)),
                cx,
                depth + 1,
            );
        }
        if !never.is_empty()
            && let Some(Value::Array(required)) = m.get_mut("required")
        {
            required.retain(|r| !r.as_str().is_some_and(|r| never.iter().any(|n| n == r)));
        }
    }
    if let Some(a) = m.get_mut("additionalProperties")
        && a.is_object()
    {
        schema(a, &format!("{ptr}/additionalProperties"), cx, depth + 1);
    }
    if let Some(items) = m.get_mut("items") {
        schema(items, &format!("{ptr}/items"), cx, depth + 1);
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(parts)) = m.get_mut(key) {
            for (i, p) in parts.iter_mut().enumerate() {
                schema(p, &format!("{ptr}/{key}/{i}"), cx, depth + 1);
            }
        }
    }
    simplify_all_of(m, ptr, cx);
    if let Some(not) = m.get_mut("not") {
        schema(not, &format!("{ptr}/not"), cx, depth + 1);
    }
}

/// Keywords that only describe a value.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "example",
    "deprecated",
    "readOnly",
    "writeOnly",
    "default",
    "externalDocs",
];

/// `allOf` parts that only annotate (`{"description": …}`, used to describe
/// a `$ref` in documents that could not give it siblings) move their
/// annotations to the schema itself; a `{"type": "null"}` part means the
/// value may be null. Either way the part no longer stops `allOf: [{$ref}]`
/// from naming its type.
fn simplify_all_of(m: &mut Map<String, Value>, ptr: &str, cx: &mut Cx) {
    #[derive(PartialEq)]
    enum Part {
        Annotation,
        Null,
        Other,
    }
    let Some(Value::Array(parts)) = m.get_mut("allOf") else {
        return;
    };
    let is_annotation = |k: &String| k.starts_with("x-") || ANNOTATIONS.contains(&k.as_str());
    let kinds: Vec<Part> = parts
        .iter()
        .map(|part| match part {
            Value::Object(p) if p.keys().all(is_annotation) => Part::Annotation,
            Value::Object(p)
                if p.get("type").and_then(Value::as_str) == Some("null")
                    && p.iter().all(|(k, _)| k == "type" || is_annotation(k)) =>
            {
                Part::Null
            }
            _ => Part::Other,
        })
        .collect();
    if kinds.iter().all(|k| *k == Part::Other) || !kinds.contains(&Part::Other) {
        return;
    }
    let mut lifted: Vec<(String, Value)> = Vec::new();
    let mut null = false;
    let mut kept = Vec::with_capacity(parts.len());
    for (part, kind) in parts.drain(..).zip(kinds) {
        match (kind, part) {
            (Part::Annotation, Value::Object(p)) => lifted.extend(p),
            (Part::Null, _) => null = true,
            (_, part) => kept.push(part),
        }
    }
    *parts = kept;
    for (k, v) in lifted {
        m.entry(k).or_insert(v);
    }
    if null {
        m.insert("nullable".into(), Value::Bool(true));
    }
    cx.change(
        ptr,
        "`allOf` parts that only annotate (or only allow `null`) merged into the schema",
    );
    merge_single_inline_part(m, ptr, cx);
}

/// `allOf: [S]` with an inline `S` (no `$ref`) is `S` itself: merged into
/// the schema (whose own annotations win), unless the two disagree.
fn merge_single_inline_part(m: &mut Map<String, Value>, ptr: &str, cx: &mut Cx) {
    let Some(Value::Array(parts)) = m.get("allOf") else {
        return;
    };
    let [Value::Object(part)] = parts.as_slice() else {
        return;
    };
    if part.contains_key("$ref") {
        return;
    }
    let clash = part.iter().any(|(k, v)| {
        !ANNOTATIONS.contains(&k.as_str())
            && !k.starts_with("x-")
            && m.get(k).is_some_and(|mine| mine != v)
    });
    if clash {
        return;
    }
    let Some(Value::Array(mut parts)) = m.shift_remove("allOf") else {
        return;
    };
    if let Some(Value::Object(part)) = parts.pop() {
        for (k, v) in part {
            m.entry(k).or_insert(v);
        }
    }
    cx.change(ptr, "`allOf` of one inline schema merged into the schema");
}

/// Puts the `$ref` back. Without siblings that matter it stays a plain
/// `$ref`; otherwise `{"$ref": X, "description": D}` becomes
/// `{"allOf": [{"$ref": X}], "description": D}` so the siblings keep their
/// meaning (a field's own doc, `nullable`, `default`) and the named type
/// stays named. Object keywords beside the `$ref` become a second `allOf`
/// part.
fn wrap_ref(m: &mut Map<String, Value>, reference: String, ptr: &str, cx: &mut Cx) {
    let matters = |k: &String| !k.starts_with("x-") && !INERT_REF_SIBLINGS.contains(&k.as_str());
    let siblings: Vec<String> = m.keys().filter(|k| matters(k)).cloned().collect();
    if siblings.is_empty() {
        let dropped: Vec<String> = m.keys().filter(|k| !k.starts_with("x-")).cloned().collect();
        m.retain(|k, _| k.starts_with("x-"));
        let mut out = Map::new();
        out.insert("$ref".into(), Value::String(reference));
        out.extend(std::mem::take(m));
        *m = out;
        if !dropped.is_empty() {
            cx.change(
                ptr,
                format!("`{}` beside `$ref` removed", dropped.join("`, `")),
            );
        }
        return;
    }
    let mut parts = vec![json!({ "$ref": reference })];
    if m.contains_key("properties") || m.contains_key("additionalProperties") {
        let mut object = Map::new();
        if m.get("type").and_then(Value::as_str) == Some("object") {
            m.shift_remove("type");
            object.insert("type".into(), Value::String("object".into()));
        }
        for k in OBJECT_KEYS {
            if let Some(v) = m.shift_remove(*k) {
                object.insert((*k).to_owned(), v);
            }
        }
        parts.push(Value::Object(object));
    }
    if let Some(existing) = m.shift_remove("allOf") {
        match existing {
            Value::Array(list) => parts.extend(list),
            other => parts.push(other),
        }
    }
    let mut out = Map::new();
    out.insert("allOf".into(), Value::Array(parts));
    out.extend(std::mem::take(m));
    *m = out;
    cx.change(
        ptr,
        format!(
            "`$ref` with sibling `{}` → `allOf: [{{$ref}}]` beside them",
            siblings.join("`, `")
        ),
    );
}
