use serde_json::{Value, json};

use super::*;

fn overlay(actions: Value) -> Overlay {
    let text =
        json!({"overlay": "1.1.0", "info": {"title": "t", "version": "1"}, "actions": actions})
            .to_string();
    let mut diags = Diagnostics::default();
    let file = SourceFile {
        name: "o.json".into(),
        text,
    };
    Overlay::parse(&file, &mut diags).unwrap_or_else(|| panic!("{diags}"))
}

/// (document, actions, document after, pointers written)
#[test]
fn actions_table() {
    let cases: Vec<(Value, Value, Value, Vec<&str>)> = vec![
        // Objects merge recursively; scalars are replaced.
        (
            json!({"a": {"b": 1, "c": {"d": 2}}}),
            json!([{"target": "$.a", "update": {"b": 3, "c": {"e": 4}}}]),
            json!({"a": {"b": 3, "c": {"d": 2, "e": 4}}}),
            vec!["/a/b", "/a/c/e"],
        ),
        // A list target: one value is appended, a list value entry by entry.
        (
            json!({"l": [1]}),
            json!([{"target": "$.l", "update": 2}, {"target": "$.l", "update": [3, 4]}]),
            json!({"l": [1, 2, 3, 4]}),
            vec!["/l/1", "/l/2", "/l/3"],
        ),
        // Lists inside an update are appended to the lists they meet.
        (
            json!({"s": {"required": ["a"]}}),
            json!([{"target": "$.s", "update": {"required": ["b"]}}]),
            json!({"s": {"required": ["a", "b"]}}),
            vec!["/s/required/1"],
        ),
        // A scalar target is replaced (1.1).
        (
            json!({"v": "old"}),
            json!([{"target": "$.v", "update": "new"}]),
            json!({"v": "new"}),
            vec!["/v"],
        ),
        // Every node a target selects; filters select list entries, removed
        // from the last so indices stay right.
        (
            json!({"p": [{"n": "a"}, {"n": "b"}, {"n": "a"}]}),
            json!([{"target": "$.p[?@.n == 'a']", "remove": true}]),
            json!({"p": [{"n": "b"}]}),
            vec![],
        ),
        // `remove` wins over `update`.
        (
            json!({"a": 1, "b": 2}),
            json!([{"target": "$.a", "remove": true, "update": 5}]),
            json!({"b": 2}),
            vec![],
        ),
        // `copy` merges one node's value into each target.
        (
            json!({"x": {"k": 1}, "y": {"j": 2}, "z": {}}),
            json!([{"target": "$['y','z']", "copy": "$.x"}]),
            json!({"x": {"k": 1}, "y": {"j": 2, "k": 1}, "z": {"k": 1}}),
            vec!["/y/k", "/z/k"],
        ),
        // Removing what was written forgets it.
        (
            json!({"a": {}}),
            json!([{"target": "$.a", "update": {"b": 1}}, {"target": "$.a", "remove": true}]),
            json!({}),
            vec![],
        ),
    ];
    for (doc, actions, expected, written) in cases {
        let o = overlay(actions.clone());
        let mut value = doc;
        let mut diags = Diagnostics::default();
        let applied = apply(std::slice::from_ref(&o), &mut value, &mut diags);
        assert!(diags.is_empty(), "{actions}: {diags}");
        assert_eq!(value, expected, "{actions}");
        assert_eq!(applied.written(), written, "{actions}");
    }
}

#[test]
fn copied_values_are_located_where_they_came_from() {
    let o = overlay(json!([{"target": "$.b", "copy": "$.a"}]));
    let mut value = json!({"a": {"k": {"deep": 1}}, "b": {}});
    let mut diags = Diagnostics::default();
    let applied = apply(std::slice::from_ref(&o), &mut value, &mut diags);
    let (place, from) = applied
        .find("/b/k/deep")
        .unwrap_or_else(|| panic!("not found"));
    assert_eq!(from.as_deref(), Some("/a/k/deep"));
    assert_eq!(place.pointer, "/actions/0/copy");
    assert!(applied.find("/a/k").is_none());
}

#[test]
fn copy_of_several_values_is_an_error() {
    let o = overlay(json!([{"target": "$.c", "copy": "$.l[*]"}]));
    let mut value = json!({"l": [1, 2], "c": 0});
    let mut diags = Diagnostics::default();
    apply(std::slice::from_ref(&o), &mut value, &mut diags);
    assert!(diags.to_string().contains("matches 2 values"), "{diags}");
}

#[test]
fn references_to_other_files_are_errors() {
    let o = overlay(json!([{"target": "$.s", "update": {"p": {"$ref": "other.yaml#/P"}}}]));
    let mut value = json!({"s": {}});
    let mut diags = Diagnostics::default();
    apply(std::slice::from_ref(&o), &mut value, &mut diags);
    assert!(diags.has_errors(), "{diags}");
    assert!(diags.to_string().contains("other.yaml#/P"), "{diags}");
}
