//! Where a change comes from in the user's files.

use serde_json::Value;

use super::Spec;
use crate::diag::{Location, escape_token, pointer_tokens};

/// How deep `allOf`/`oneOf`/`anyOf` members and `$ref`s are followed when
/// looking for the property a field comes from.
const MAX_HOPS: usize = 16;

/// The pointer of the spec element a change names, and where it is. A
/// field's property is looked for where its type's schema gets it from
/// (its own `properties`, its `allOf` members, the schemas they refer to);
/// a pointer the document no longer has (a removal) is located at the
/// nearest enclosing element that it still has, and kept as it was.
pub(super) fn locate(spec: &dyn Spec, pointer: &str) -> (String, Location) {
    let doc = spec.document();
    if doc.pointer(pointer).is_some() {
        return (pointer.to_owned(), spec.locate(pointer));
    }
    if let Some((schema, wire)) = split_property(pointer)
        && let Some(found) = property(doc, schema, &wire, 0)
    {
        let location = spec.locate(&found);
        return (found, location);
    }
    let tokens = pointer_tokens(pointer);
    let mut existing = String::new();
    for t in &tokens {
        let next = format!("{existing}/{}", escape_token(t));
        if doc.pointer(&next).is_none() {
            break;
        }
        existing = next;
    }
    let mut location = spec.locate(&existing);
    location.pointer = pointer.to_owned();
    (pointer.to_owned(), location)
}

/// `(schema, wire)` of `{schema}/properties/{wire}`.
fn split_property(pointer: &str) -> Option<(&str, String)> {
    let (schema, wire) = pointer.rsplit_once('/')?;
    let schema = schema.strip_suffix("/properties")?;
    let wire = pointer_tokens(&format!("/{wire}")).pop()?;
    Some((schema, wire))
}

/// The pointer of property `wire` of the schema at `at`, looking through
/// composition members and same-document `$ref`s.
fn property(doc: &Value, at: &str, wire: &str, hops: usize) -> Option<String> {
    if hops > MAX_HOPS {
        return None;
    }
    let schema = doc.pointer(at)?;
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        let target = target.strip_prefix('#')?;
        return property(doc, target, wire, hops + 1);
    }
    let own = format!("{at}/properties/{}", escape_token(wire));
    if doc.pointer(&own).is_some() {
        return Some(own);
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        let Some(members) = schema.get(key).and_then(Value::as_array) else {
            continue;
        };
        for i in 0..members.len() {
            if let Some(found) = property(doc, &format!("{at}/{key}/{i}"), wire, hops + 1) {
                return Some(found);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Doc(Value);

    impl Spec for Doc {
        fn document(&self) -> &Value {
            &self.0
        }
        fn locate(&self, pointer: &str) -> Location {
            Location {
                file: "spec.json".into(),
                line: pointer.len(),
                pointer: pointer.to_owned(),
                overlay: None,
            }
        }
    }

    #[test]
    fn pointers() {
        let doc = Doc(serde_json::json!({
            "components": {"schemas": {
                "Base": {"properties": {"id": {"type": "string"}}},
                "Pet": {"allOf": [{"$ref": "#/components/schemas/Base"},
                                  {"properties": {"a/b": {"type": "string"}}}]}
            }}
        }));
        let cases = [
            // Present as given.
            (
                "/components/schemas/Base",
                "/components/schemas/Base",
                "/components/schemas/Base",
            ),
            // A property through `allOf` and a `$ref`.
            (
                "/components/schemas/Pet/properties/id",
                "/components/schemas/Base/properties/id",
                "/components/schemas/Base/properties/id",
            ),
            (
                "/components/schemas/Pet/properties/a~1b",
                "/components/schemas/Pet/allOf/1/properties/a~1b",
                "/components/schemas/Pet/allOf/1/properties/a~1b",
            ),
            // Gone: the nearest enclosing element, the pointer kept.
            (
                "/components/schemas/Gone/properties/x",
                "/components/schemas/Gone/properties/x",
                "/components/schemas",
            ),
            ("/paths/~1a/get", "/paths/~1a/get", ""),
        ];
        for (given, pointer, located) in cases {
            let (p, loc) = locate(&doc, given);
            assert_eq!(p, pointer, "{given}");
            assert_eq!(loc.line, located.len(), "{given}");
            assert_eq!(loc.pointer, pointer, "{given}");
        }
    }
}
