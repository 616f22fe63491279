//! Which way each type travels: types only sent need `Serialize`, types only
//! received need `Deserialize`. Deriving just what is used keeps the
//! generated crate quick to compile. Types no operation uses (components
//! kept for users, webhook payloads) get both.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Operation, ResponseKind, Ty, TypeDef, TypeKind, Usage};

fn named(ty: &Ty, out: &mut Vec<String>) {
    match ty {
        Ty::Named(n) => out.push(n.clone()),
        Ty::Vec(i) | Ty::Map(i) | Ty::Option(i) | Ty::Box(i) => named(i, out),
        _ => {}
    }
}

fn children(def: &TypeDef) -> Vec<String> {
    let mut out = Vec::new();
    match &def.kind {
        TypeKind::Struct(s) => {
            s.fields.iter().for_each(|f| named(&f.ty, &mut out));
            if let Some(a) = &s.additional {
                named(a, &mut out);
            }
        }
        TypeKind::Untagged(vs) | TypeKind::Tagged { variants: vs, .. } => {
            vs.iter().for_each(|v| named(&v.ty, &mut out))
        }
        TypeKind::Alias(t) => named(t, &mut out),
        TypeKind::StringEnum(_) => {}
    }
    out
}

/// Marks every type reachable from `roots`.
fn reach(defs: &BTreeMap<String, TypeDef>, roots: Vec<String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = roots;
    while let Some(n) = stack.pop() {
        if !seen.insert(n.clone()) {
            continue;
        }
        if let Some(d) = defs.get(&n) {
            stack.extend(children(d));
        }
    }
    seen
}

/// Sets `usage` on every type from how operations use it.
pub fn mark(defs: &mut [TypeDef], operations: &[Operation], extra_received: &[Ty]) {
    let table: BTreeMap<String, TypeDef> = defs
        .iter()
        .map(|d| (d.name.rust.clone(), d.clone()))
        .collect();
    let (mut sent, mut received) = (Vec::new(), Vec::new());
    for op in operations {
        op.params.iter().for_each(|p| named(&p.ty, &mut sent));
        if let Some(b) = &op.body {
            named(&b.ty, &mut sent);
        }
        if let ResponseKind::Json(t) = &op.response.kind {
            named(t, &mut received);
        }
    }
    extra_received.iter().for_each(|t| named(t, &mut received));
    let sent = reach(&table, sent);
    let received = reach(&table, received);
    for d in defs.iter_mut() {
        let (s, r) = (sent.contains(&d.name.rust), received.contains(&d.name.rust));
        d.usage = if s || r {
            Usage {
                serialize: s,
                deserialize: r,
            }
        } else {
            Usage {
                serialize: true,
                deserialize: true,
            }
        };
    }
}
