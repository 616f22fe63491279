//! Which way each type travels: types only sent need `Serialize`, types only
//! received need `Deserialize`. Deriving just what is used keeps the
//! generated crate quick to compile. Types no operation uses (webhook
//! payloads, components kept for users) are things a user receives: they
//! get `Deserialize`, and so does what they hold; in a crate without
//! operations (types only) they get both.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Operation, Ty, TypeDef, Usage};

/// Marks every type reachable from `roots`.
fn reach(defs: &BTreeMap<String, TypeDef>, roots: Vec<String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = roots;
    while let Some(n) = stack.pop() {
        if !seen.insert(n.clone()) {
            continue;
        }
        if let Some(d) = defs.get(&n) {
            d.collect_children(&mut stack);
        }
    }
    seen
}

/// Sets `usage` on every type from how operations use it, and the crate
/// root: `extra_received` (error bodies, envelope fields) are received,
/// `extra_sent` (envelope fields: an API failure's `Display` shows the
/// envelope as JSON) are sent.
pub fn mark(
    defs: &mut [TypeDef],
    operations: &[Operation],
    extra_received: &[Ty],
    extra_sent: &[Ty],
) {
    let table: BTreeMap<String, TypeDef> = defs
        .iter()
        .map(|d| (d.name.rust.clone(), d.clone()))
        .collect();
    let (mut sent, mut received) = (Vec::new(), Vec::new());
    for op in operations {
        op.params.iter().for_each(|p| p.ty.collect_named(&mut sent));
        if let Some(b) = &op.body {
            b.ty.collect_named(&mut sent);
        }
        if let Some(t) = op.response.kind.ty() {
            t.collect_named(&mut received);
        }
    }
    extra_received
        .iter()
        .for_each(|t| t.collect_named(&mut received));
    extra_sent.iter().for_each(|t| t.collect_named(&mut sent));
    let reached_sent = reach(&table, sent.clone());
    let reached_received = reach(&table, received.clone());
    // Types no operation uses are received (webhook payloads), and so is
    // what they hold.
    let unused: Vec<String> = defs
        .iter()
        .map(|d| d.name.rust.clone())
        .filter(|n| !reached_sent.contains(n) && !reached_received.contains(n))
        .collect();
    // Without operations the types are the whole crate: they go both ways.
    if operations.is_empty() {
        sent.extend(unused.iter().cloned());
    }
    received.extend(unused);
    let sent = reach(&table, sent);
    let received = reach(&table, received);
    for d in defs.iter_mut() {
        d.usage = Usage {
            serialize: sent.contains(&d.name.rust),
            deserialize: received.contains(&d.name.rust),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ResponseKind;

    #[test]
    fn unused_types_are_received() {
        // `Sent` is a body, `Got` a response, `Free` used by no operation
        // but holding `Sent`: `Sent` must deserialise too.
        let mut defs = vec![
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
        mark(&mut defs, &[op], &[], &[]);
        let usage: Vec<(bool, bool)> = defs
            .iter()
            .map(|d| (d.usage.serialize, d.usage.deserialize))
            .collect();
        assert_eq!(usage, [(true, true), (false, true), (false, true)]);
    }
}
