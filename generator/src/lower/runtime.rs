//! Which helpers of the generated `runtime.rs` the request builders call,
//! and under which cargo features: in a crate split by tag, a helper only
//! one tag's operations use is compiled with that tag alone, so a build
//! with some features on has no dead code.

use std::collections::BTreeMap;

use super::groups;
use crate::helpers;

use crate::model::{
    GroupId, Helper, Model, Operation, Pagination, Param, Runtime, Site, Ty, TypeDef, TypeKind,
};

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
    out.extend(
        op.response
            .stream
            .iter()
            .flat_map(|s| s.helpers(!op.errors.is_empty() && documented)),
    );
    out.extend(op.params.iter().flat_map(Param::helpers));
    out.extend(op.body.iter().flat_map(|b| b.kind.helpers()));
    if op.reads_client() {
        out.push(Helper::Params);
    }
    if !op.security.is_empty() {
        out.push(Helper::Authorize);
    }
    out
}

/// The helpers the crate needs, each gated by the groups whose operations
/// (or types, for the struct decoder and `Base64`) need it; what the crate
/// root spells out (error bodies, envelope fields) is always compiled.
pub fn plan(model: &Model) -> Runtime {
    let documented = !model.error_bodies.is_empty();
    let mut users: BTreeMap<Helper, Vec<Option<GroupId>>> = BTreeMap::new();
    // What each builder calls, and what that calls in turn.
    for op in &model.operations {
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
    // The struct decoder, for every struct received.
    for d in &model.types {
        if let TypeKind::Struct(_) = d.kind
            && d.usage.deserialize
        {
            users
                .entry(Helper::DeserializeStruct)
                .or_default()
                .extend(type_compiled_with(d));
        }
    }
    // `Base64`, wherever a `format: byte` value is spelled out.
    for (site, ty) in model.tys() {
        if ty.mentions(&Ty::Base64) {
            users
                .entry(Helper::Base64)
                .or_default()
                .extend(compiled_with(site));
        }
    }
    let all = groups::with_operations(&model.operations);
    let helpers = users
        .into_iter()
        .map(|(h, users)| (h, groups::gate(users, &all)))
        .collect();
    Runtime { helpers }
}

/// The groups that compile what is spelled out at `site` (`None`: always).
fn compiled_with(site: Site<'_>) -> Vec<Option<GroupId>> {
    match site {
        Site::Type(d, _) => type_compiled_with(d),
        Site::Operation(op, _) => vec![op.group],
        Site::ErrorBody(_) | Site::Envelope(_) => vec![None],
    }
}

/// The groups that compile the type `d` (`None`: always).
fn type_compiled_with(d: &TypeDef) -> Vec<Option<GroupId>> {
    if d.groups.is_empty() {
        vec![None]
    } else {
        d.groups.iter().copied().map(Some).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ErrorBody, Operation, ResponseKind};

    /// The plan of a crate of `operations`, `types` and error bodies of
    /// the types `errors`.
    fn plan_of(operations: &[Operation], types: &[TypeDef], errors: &[Ty]) -> Runtime {
        let model = Model {
            operations: operations.to_vec(),
            types: types.to_vec(),
            error_bodies: errors
                .iter()
                .map(|t| ErrorBody {
                    variant: "E".into(),
                    ty: t.clone(),
                })
                .collect(),
            ..Model::default()
        };
        plan(&model)
    }

    fn indices(groups: &[GroupId]) -> Vec<usize> {
        groups.iter().map(|g| g.0).collect()
    }

    fn op(name: &str, group: Option<usize>, kind: ResponseKind) -> Operation {
        let mut op = Operation::test(name);
        op.group = group.map(GroupId);
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
        let runtime = plan_of(&ops, &[], &[]);
        let gate = |h| runtime.helpers.get(&h).map(|g| indices(g));
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
            plan_of(&ops, types, roots)
                .helpers
                .get(&Helper::Base64)
                .map(|g| indices(g))
        };
        assert_eq!(gate(&[], &[]), Some(vec![0, 1]));
        // A type of group 2 holding one: every group with operations.
        let mut held = TypeDef::test_struct("Held", &[]);
        held.kind = TypeKind::Alias(Ty::Option(Box::new(Ty::Base64)));
        held.groups = vec![GroupId(2)];
        assert_eq!(gate(std::slice::from_ref(&held), &[]), Some(vec![]));
        // An error body (the crate root): always.
        assert_eq!(gate(&[], &[Ty::Base64]), Some(vec![]));
        // Nothing uses it: not emitted.
        assert_eq!(
            plan_of(&ops[2..], &[], &[]).helpers.get(&Helper::Base64),
            None
        );
    }

    #[test]
    fn to_param_goes_only_where_something_writes_text() {
        use crate::model::{Param, ParamLocation, QueryStyle};
        use crate::naming::Name;
        let param = |location, style| Param {
            name: Name {
                wire: "p".into(),
                rust: "p".into(),
            },
            location,
            ty: Ty::Named("Filter".into()),
            required: true,
            doc: None,
            style,
            client: None,
            secret: false,
            pointer: None,
        };
        // Group 0 sends a deepObject query (flattened, no `to_param`),
        // group 1 a path parameter, group 2 a form query.
        let mut deep = op("deep", Some(0), ResponseKind::Empty);
        deep.params = vec![param(ParamLocation::Query, QueryStyle::DeepObject)];
        let mut path = op("path", Some(1), ResponseKind::Empty);
        path.params = vec![param(ParamLocation::Path, QueryStyle::Form)];
        let mut form = op("form", Some(2), ResponseKind::Empty);
        form.params = vec![param(ParamLocation::Query, QueryStyle::Form)];
        let runtime = plan_of(&[deep, path, form], &[], &[]);
        let gate = |h| runtime.helpers.get(&h).map(|g| indices(g));
        assert_eq!(gate(Helper::ToParam), Some(vec![1, 2]));
        assert_eq!(gate(Helper::Flatten), Some(vec![0]));
        assert_eq!(gate(Helper::Query), Some(vec![2]));
    }

    #[test]
    fn ungrouped_crates_are_not_gated() {
        let ops = [op("a", None, ResponseKind::Text)];
        let runtime = plan_of(&ops, &[], &[]);
        assert_eq!(runtime.helpers.get(&Helper::Text), Some(&vec![]));
        assert_eq!(runtime.helpers.get(&Helper::Snippet), Some(&vec![]));
        assert!(!runtime.helpers.contains_key(&Helper::Json));
    }
}
