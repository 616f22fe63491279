//! Which way each type travels: types only sent need `Serialize`, types only
//! received need `Deserialize`. Deriving just what is used keeps the
//! generated crate quick to compile. Types no operation uses (webhook
//! payloads, components kept for users) are things a user receives: they
//! get `Deserialize`, and so does what they hold; in a crate without
//! operations (types only) they get both.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Model, OpSite, Site, TypeDef, Usage};

/// Marks every type reachable from `roots`.
fn reach(defs: &BTreeMap<&str, &TypeDef>, roots: Vec<String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = roots;
    while let Some(n) = stack.pop() {
        if seen.contains(&n) {
            continue;
        }
        if let Some(d) = defs.get(n.as_str()) {
            d.collect_children(&mut stack);
        }
        seen.insert(n);
    }
    seen
}

/// Sets `usage` on every type from where the crate spells it out:
/// parameters and bodies are sent, responses and error bodies received,
/// and the envelope's fields both (an API failure's `Display` shows the
/// envelope as JSON).
pub fn mark(model: &mut Model) {
    let (mut sent, mut received) = (Vec::new(), Vec::new());
    for (site, ty) in model.tys() {
        match site {
            Site::Type(..) => {}
            Site::Operation(_, OpSite::Param(_) | OpSite::Body) => ty.collect_named(&mut sent),
            Site::Operation(_, OpSite::Response | OpSite::PagedItem | OpSite::StreamItem)
            | Site::ErrorBody(_) => ty.collect_named(&mut received),
            Site::Envelope(_) => {
                ty.collect_named(&mut sent);
                ty.collect_named(&mut received);
            }
        }
    }
    let table: BTreeMap<&str, &TypeDef> = model
        .types
        .iter()
        .map(|d| (d.name.rust.as_str(), d))
        .collect();
    let reached_sent = reach(&table, sent.clone());
    let reached_received = reach(&table, received.clone());
    // Types no operation uses are received (webhook payloads), and so is
    // what they hold.
    let unused: Vec<String> = model
        .types
        .iter()
        .map(|d| d.name.rust.clone())
        .filter(|n| !reached_sent.contains(n) && !reached_received.contains(n))
        .collect();
    // Without operations the types are the whole crate: they go both ways.
    if model.operations.is_empty() {
        sent.extend(unused.iter().cloned());
    }
    received.extend(unused);
    let sent = reach(&table, sent);
    let received = reach(&table, received);
    for d in &mut model.types {
        d.usage = Usage {
            serialize: sent.contains(&d.name.rust),
            deserialize: received.contains(&d.name.rust),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Operation, ResponseKind, Ty};

    #[test]
    fn unused_types_are_received() {
        // `Sent` is a body, `Got` a response, `Free` used by no operation
        // but holding `Sent`: `Sent` must deserialise too.
        let defs = vec![
            TypeDef::test_struct("Sent", &[]),
            TypeDef::test_struct("Got", &[]),
            TypeDef::test_struct("Free", &["Sent"]),
        ];
        let mut op = Operation::test("x");
        op.body = Some(crate::model::Body {
            kind: crate::model::BodyKind::Json,
            ty: Ty::Named("Sent".into()),
            required: true,
            content_type: "application/json".into(),
            doc: None,
            pointer: String::new(),
        });
        op.response.kind = ResponseKind::Json(Ty::Named("Got".into()));
        let mut model = Model {
            types: defs,
            operations: vec![op],
            ..Model::default()
        };
        mark(&mut model);
        let usage: Vec<(bool, bool)> = model
            .types
            .iter()
            .map(|d| (d.usage.serialize, d.usage.deserialize))
            .collect();
        assert_eq!(usage, [(true, true), (false, true), (false, true)]);
    }
}
