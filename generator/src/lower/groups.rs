//! Groups for big APIs: operations are grouped by their first tag (or, for
//! untagged ones, by their first path segment that is not a version); each
//! group becomes a module and a cargo feature, so users compile only the
//! parts of an API they call. Types go with the groups that use them.
//!
//! OpenAPI 3.2 tags may nest (`parent`) and say what they are (`kind`): an
//! operation's group is the top-level ancestor of its first tag whose kind
//! is `nav` or unset (tags of other kinds, such as `badge` or `audience`,
//! label operations and form no group), so a tag tree gives one feature per
//! top-level tag. A tag's `summary` documents its group.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::config::Split;
use crate::diag::Diagnostics;
use crate::lower::operations::Found;
use crate::merge::Api;
use crate::model::{Group, GroupId, Model, Operation, Site, TypeDef};
use crate::naming::{self, Name, Scope};

/// Below this many operations a crate is small enough to compile whole.
const AUTO_MIN_OPERATIONS: usize = 100;

/// What the document's `tags` say about grouping: each tag's top-level
/// ancestor, the tags that form no group, and summaries.
#[derive(Debug, Default)]
pub struct Tags {
    /// Tag → its top-level ancestor (only tags with a `parent`).
    root: BTreeMap<String, String>,
    /// Tags whose `kind` is neither `nav` nor unset.
    labels: BTreeSet<String>,
    summary: BTreeMap<String, String>,
}

impl Tags {
    /// Reads the merged document's `tags`; a `parent` that names no tag, or
    /// a cycle of parents, is a located warning (the tag is then top-level).
    pub fn read(api: &Api, diags: &mut Diagnostics) -> Tags {
        let mut tags = Tags::default();
        let mut parent: BTreeMap<String, (String, usize)> = BTreeMap::new();
        let list = api.raw.get("tags").and_then(Value::as_array);
        let names: BTreeSet<&str> = list
            .into_iter()
            .flatten()
            .filter_map(|t| t.get("name").and_then(Value::as_str))
            .collect();
        for (i, t) in list.into_iter().flatten().enumerate() {
            let Some(name) = t.get("name").and_then(Value::as_str) else {
                continue;
            };
            if let Some(kind) = t.get("kind").and_then(Value::as_str)
                && kind != "nav"
            {
                tags.labels.insert(name.to_owned());
            }
            if let Some(summary) = t.get("summary").and_then(Value::as_str) {
                let summary = summary.trim();
                if !summary.is_empty() {
                    tags.summary.insert(name.to_owned(), summary.to_owned());
                }
            }
            if let Some(p) = t.get("parent").and_then(Value::as_str) {
                if names.contains(p) {
                    parent.insert(name.to_owned(), (p.to_owned(), i));
                } else {
                    diags.warning(
                        format!(
                            "tag `{name}`: `parent: {p}` names no tag; `{name}` is a top-level tag"
                        ),
                        Some(api.locate(&format!("/tags/{i}/parent"))),
                    );
                }
            }
        }
        for name in parent.keys() {
            let mut seen = BTreeSet::from([name.as_str()]);
            let mut at = name.as_str();
            let mut cycle = None;
            while let Some((p, i)) = parent.get(at) {
                if !seen.insert(p.as_str()) {
                    cycle = Some(*i);
                    break;
                }
                at = p;
            }
            match cycle {
                Some(i) => diags.warning(
                    format!(
                        "tag `{name}`: its `parent`s form a cycle; `{name}` is a top-level tag"
                    ),
                    Some(api.locate(&format!("/tags/{i}/parent"))),
                ),
                None => {
                    tags.root.insert(name.clone(), at.to_owned());
                }
            }
        }
        tags
    }

    /// The group an operation with these tags belongs to, if a tag says.
    fn group_of<'t>(&'t self, op_tags: &'t [String]) -> Option<&'t str> {
        let tag = op_tags.iter().find(|t| !self.labels.contains(*t))?;
        Some(self.root.get(tag).map_or(tag.as_str(), String::as_str))
    }
}

/// The group key of an operation.
fn key(f: &Found<'_>, tags: &Tags) -> String {
    if let Some(tag) = tags.group_of(&f.op.tags) {
        return tag.to_owned();
    }
    f.path
        .split('/')
        .find(|s| !s.is_empty() && !s.contains('{') && !is_version(s))
        .unwrap_or("root")
        .to_owned()
}

fn is_version(segment: &str) -> bool {
    let s = segment.strip_prefix(['v', 'V']).unwrap_or(segment);
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
}

/// Groups (sorted by module name) and each found operation's group, or
/// nothing when the API is not split.
pub fn assign(
    found: &[Found<'_>],
    tags: &Tags,
    split: Split,
) -> (Vec<Group>, Vec<Option<GroupId>>) {
    let keys: Vec<String> = found.iter().map(|f| key(f, tags)).collect();
    let distinct: BTreeSet<&String> = keys.iter().collect();
    let on = match split {
        Split::Off => false,
        Split::On => true,
        Split::Auto => found.len() >= AUTO_MIN_OPERATIONS && distinct.len() >= 2,
    };
    if !on {
        return (Vec::new(), vec![None; found.len()]);
    }
    let mut scope = Scope::with_reserved(naming::GROUP_MODULE_NAMES);
    let mut by_key: BTreeMap<&String, String> = BTreeMap::new();
    for k in &distinct {
        by_key.insert(k, scope.claim(&naming::snake(k, "group")));
    }
    let mut groups: Vec<Group> = by_key
        .iter()
        .map(|(k, rust)| Group {
            name: Name {
                wire: (*k).clone(),
                rust: rust.clone(),
            },
            types_doc: match tags.summary.get(k.as_str()) {
                Some(summary) => format!(
                    "Types used only by the `{k}` operations ({}).",
                    crate::lower::docs::inline(summary)
                ),
                None => format!("Types used only by the `{k}` operations."),
            },
        })
        .collect();
    groups.sort_by(|a, b| a.name.rust.cmp(&b.name.rust));
    let index: BTreeMap<&str, GroupId> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.name.wire.as_str(), GroupId(i)))
        .collect();
    let of = keys
        .iter()
        .map(|k| index.get(k.as_str()).copied())
        .collect();
    (groups, of)
}

/// The groups an item is compiled with, from the groups of what uses it
/// (`None`: a user outside any group); empty, meaning always, when an
/// ungrouped user needs it or every group in `all` does.
pub fn gate(
    users: impl IntoIterator<Item = Option<GroupId>>,
    all: &BTreeSet<GroupId>,
) -> Vec<GroupId> {
    let mut groups = BTreeSet::new();
    for user in users {
        match user {
            Some(g) => groups.insert(g),
            None => return Vec::new(),
        };
    }
    if all.is_subset(&groups) {
        return Vec::new();
    }
    groups.into_iter().collect()
}

/// The groups that have operations.
pub fn with_operations(ops: &[Operation]) -> BTreeSet<GroupId> {
    ops.iter().filter_map(|o| o.group).collect()
}

/// Marks every type reachable from `roots` as needed by `group` (or always).
fn visit(
    roots: Vec<String>,
    group: Option<GroupId>,
    defs: &[TypeDef],
    index: &BTreeMap<String, usize>,
    groups: &mut [BTreeSet<GroupId>],
    always: &mut [bool],
) {
    let mut seen = BTreeSet::new();
    let mut stack = roots;
    while let Some(n) = stack.pop() {
        let Some(&i) = index.get(&n) else { continue };
        if !seen.insert(i) {
            continue;
        }
        match group {
            Some(g) => {
                groups[i].insert(g);
            }
            None => always[i] = true,
        }
        defs[i].collect_children(&mut stack);
    }
}

/// Sets each type's groups: those of the operations that reach it. A type
/// that an ungrouped operation or the crate root (error bodies, the
/// envelope) reaches is needed always (no groups). One that no operation
/// reaches (webhook payloads, schemas kept for users), and what it holds,
/// goes with `unused` when given (a group of its own, so a crate built for
/// one tag skips them), else always.
pub fn place_types(model: &mut Model, unused: Option<GroupId>) {
    // One walk per group, from the roots of all its operations; the crate
    // root's types are always compiled.
    let mut roots_of: BTreeMap<Option<GroupId>, Vec<String>> = BTreeMap::new();
    let mut root = Vec::new();
    for (site, ty) in model.tys() {
        match site {
            Site::Type(..) => {}
            Site::Operation(op, _) => ty.collect_named(roots_of.entry(op.group).or_default()),
            Site::ErrorBody(_) | Site::Envelope(_) => ty.collect_named(&mut root),
        }
    }
    let defs = &mut model.types;
    let index: BTreeMap<String, usize> = defs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.name.rust.clone(), i))
        .collect();
    let mut groups: Vec<BTreeSet<GroupId>> = vec![BTreeSet::new(); defs.len()];
    let mut always = vec![false; defs.len()];
    for (group, roots) in roots_of {
        visit(roots, group, defs, &index, &mut groups, &mut always);
    }
    visit(root, None, defs, &index, &mut groups, &mut always);
    let unreached: Vec<String> = defs
        .iter()
        .enumerate()
        .filter(|(i, _)| groups[*i].is_empty() && !always[*i])
        .map(|(_, d)| d.name.rust.clone())
        .collect();
    visit(unreached, unused, defs, &index, &mut groups, &mut always);
    for (i, d) in defs.iter_mut().enumerate() {
        d.groups = if always[i] {
            Vec::new()
        } else {
            groups[i].iter().copied().collect()
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ResponseKind, Ty};

    /// The groups `place_types` gives `types` used by `ops`.
    fn placed(types: &[TypeDef], ops: &[Operation], unused: Option<usize>) -> Vec<Vec<usize>> {
        let mut model = Model {
            types: types.to_vec(),
            operations: ops.to_vec(),
            ..Model::default()
        };
        place_types(&mut model, unused.map(GroupId));
        model
            .types
            .iter()
            .map(|d| d.groups.iter().map(|g| g.0).collect())
            .collect()
    }

    #[test]
    fn an_operation_groups_by_the_root_of_its_first_navigation_tag() {
        let tags = Tags {
            root: [("b", "a"), ("c", "a")]
                .into_iter()
                .map(|(t, r)| (t.to_owned(), r.to_owned()))
                .collect(),
            labels: BTreeSet::from(["beta".to_owned()]),
            summary: BTreeMap::new(),
        };
        let cases: &[(&[&str], Option<&str>)] = &[
            (&["a"], Some("a")),
            (&["b"], Some("a")),
            (&["c", "x"], Some("a")),
            (&["beta", "c"], Some("a")),
            (&["beta"], None),
            (&["x", "b"], Some("x")),
            (&[], None),
        ];
        for (op_tags, want) in cases {
            let op_tags: Vec<String> = op_tags.iter().map(|t| (*t).to_owned()).collect();
            assert_eq!(tags.group_of(&op_tags), *want, "{op_tags:?}");
        }
    }

    #[test]
    fn what_unused_types_hold_is_always_compiled() {
        // `Page` is returned by an operation of group 0; `Hook` (a webhook
        // payload, no operation) holds `Item`, which `Page` holds too.
        let mut defs = vec![
            TypeDef::test_struct("Page", &["Item"]),
            TypeDef::test_struct("Item", &[]),
            TypeDef::test_struct("Hook", &["Item"]),
            TypeDef::test_struct("Own", &[]),
        ];
        let mut op = Operation::test("x");
        op.response.kind = ResponseKind::Json(Ty::Named("Page".into()));
        op.group = Some(GroupId(0));
        let ops = [op];
        assert_eq!(placed(&defs, &ops, None), [vec![0], vec![], vec![], vec![]]);
        // Unused types in a group of their own: `Item` is needed by both.
        assert_eq!(
            placed(&defs, &ops, Some(1)),
            [vec![0], vec![0, 1], vec![1], vec![1]]
        );
        // Without the webhook holding it, `Item` goes with group 0.
        defs.remove(2);
        assert_eq!(placed(&defs, &ops, None), [vec![0], vec![0], vec![]]);
    }

    #[test]
    fn versions() {
        for (s, v) in [
            ("v1", true),
            ("V2", true),
            ("2010-04-01", true),
            ("v1.1", true),
            ("customers", false),
            ("v", false),
            ("vault", false),
        ] {
            assert_eq!(is_version(s), v, "{s}");
        }
    }
}
