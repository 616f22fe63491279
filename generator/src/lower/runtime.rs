//! Which helpers of the generated `runtime.rs` the request builders call,
//! and under which cargo features: in a crate split by tag, a helper only
//! one tag's operations use is compiled with that tag alone, so a build
//! with some features on has no dead code.

use std::collections::BTreeMap;

use super::groups;
use crate::helpers;

use crate::model::{Helper, Operation, Pagination, Param, Runtime, Ty, TypeDef, TypeKind};

/// The helpers `op`'s builder calls itself, as the model records them: to
/// send its parameters and body, read its response, decode its documented
/// error bodies and walk its pages.
fn direct(op: &Operation, documented: bool) -> Vec<Helper> {
    let errors = !op.errors.is_empty() && documented;
    let mut out = vec![Helper::Pending];
    out.extend(op.response.kind.helpers(errors));
    if errors {
        out.push(Helper::ErrorBody);
    }
    out.extend(op.pagination.as_ref().map(Pagination::helper));
    out.extend(op.params.iter().flat_map(Param::helpers));
    out.extend(op.body.iter().flat_map(|b| b.kind.helpers()));
    if op.reads_client() {
        out.push(Helper::Params);
    }
    if !op.security.is_empty() {
        out.push(Helper::Authorize);
    }
    if op.tys().iter().any(|t| t.mentions(&Ty::Base64)) {
        out.push(Helper::Base64);
    }
    out
}

/// The helpers the crate needs, each gated by the groups whose operations
/// (or types, for the struct decoder and `Base64`) need it. `roots` are the
/// types the crate root spells out (error bodies, envelope fields), always
/// compiled.
pub fn plan(ops: &[Operation], types: &[TypeDef], roots: &[Ty], documented: bool) -> Runtime {
    let mut users: BTreeMap<Helper, Vec<Option<usize>>> = BTreeMap::new();
    for op in ops {
        let mut stack = direct(op, documented);
        while let Some(h) = stack.pop() {
            let entry = users.entry(h).or_default();
            if entry.contains(&op.group) {
                continue;
            }
            entry.push(op.group);
            stack.extend(helpers::definition(h).calls(documented));
        }
    }
    for d in types {
        let mut used_by = |h: Helper| {
            let entry = users.entry(h).or_default();
            if d.groups.is_empty() {
                entry.push(None);
            } else {
                entry.extend(d.groups.iter().copied().map(Some));
            }
        };
        if let TypeKind::Struct(_) = d.kind
            && d.usage.deserialize
        {
            used_by(Helper::DeserializeStruct);
        }
        if d.tys().iter().any(|t| t.mentions(&Ty::Base64)) {
            used_by(Helper::Base64);
        }
    }
    if roots.iter().any(|t| t.mentions(&Ty::Base64)) {
        users.entry(Helper::Base64).or_default().push(None);
    }
    let all = groups::with_operations(ops);
    let helpers = users
        .into_iter()
        .map(|(h, users)| (h, groups::gate(users, &all)))
        .collect();
    Runtime { helpers }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Operation, ResponseKind};

    fn op(name: &str, group: Option<usize>, kind: ResponseKind) -> Operation {
        let mut op = Operation::test(name);
        op.group = group;
        op.response.kind = kind;
        op
    }

    #[test]
    fn helpers_are_gated_by_the_groups_that_use_them() {
        let ops = [
            op("a", Some(0), ResponseKind::Json(Ty::String)),
            op("b", Some(1), ResponseKind::Bytes),
            op("c", Some(2), ResponseKind::Empty),
        ];
        let runtime = plan(&ops, &[], &[], false);
        let gate = |h| runtime.helpers.get(&h).cloned();
        assert_eq!(gate(Helper::Json), Some(vec![0]));
        assert_eq!(gate(Helper::Decode), Some(vec![0]));
        assert_eq!(gate(Helper::Bytes), Some(vec![1]));
        assert_eq!(gate(Helper::Success), Some(vec![1]));
        assert_eq!(gate(Helper::Pending), Some(vec![]), "every group sends");
        assert_eq!(gate(Helper::Read), Some(vec![]), "every group reads");
        assert_eq!(gate(Helper::Snippet), Some(vec![]));
        assert_eq!(gate(Helper::Text), None);
    }

    #[test]
    fn base64_is_needed_wherever_format_byte_appears() {
        use crate::model::{Body, BodyKind};
        // Only builders use it: a body in group 0, a response in group 1.
        let mut body = op("body", Some(0), ResponseKind::Empty);
        body.body = Some(Body {
            kind: BodyKind::Json,
            ty: Ty::Base64,
            required: true,
            content_type: "application/json".into(),
            doc: None,
            pointer: String::new(),
        });
        let response = op(
            "response",
            Some(1),
            ResponseKind::Json(Ty::Vec(Box::new(Ty::Base64))),
        );
        let other = op("other", Some(2), ResponseKind::Empty);
        let ops = [body, response, other];
        let gate = |types: &[TypeDef], roots: &[Ty]| {
            plan(&ops, types, roots, false)
                .helpers
                .get(&Helper::Base64)
                .cloned()
        };
        assert_eq!(gate(&[], &[]), Some(vec![0, 1]));
        // A type of group 2 holding one: every group with operations.
        let mut held = TypeDef::test_struct("Held", &[]);
        held.kind = TypeKind::Alias(Ty::Option(Box::new(Ty::Base64)));
        held.groups = vec![2];
        assert_eq!(gate(std::slice::from_ref(&held), &[]), Some(vec![]));
        // An error body (the crate root): always.
        assert_eq!(gate(&[], &[Ty::Base64]), Some(vec![]));
        // Nothing uses it: not emitted.
        assert_eq!(
            plan(&ops[2..], &[], &[], false)
                .helpers
                .get(&Helper::Base64),
            None
        );
    }

    #[test]
    fn ungrouped_crates_are_not_gated() {
        let ops = [op("a", None, ResponseKind::Text)];
        let runtime = plan(&ops, &[], &[], false);
        assert_eq!(runtime.helpers.get(&Helper::Text), Some(&vec![]));
        assert_eq!(runtime.helpers.get(&Helper::Snippet), Some(&vec![]));
        assert!(!runtime.helpers.contains_key(&Helper::Json));
    }
}
