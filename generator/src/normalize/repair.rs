//! Fixes that apply to 3.0 and 3.1 documents alike: parts of valid documents
//! that `openapiv3` cannot read and that a client has no use for.

use serde_json::Value;

use super::{Cx, METHODS};
use crate::diag::escape_token;

/// Removes `callbacks` from every operation. A client never serves the
/// callback requests, and `openapiv3` rejects callbacks given by `$ref`
/// (`{"$ref": "#/components/callbacks/…"}`), which valid documents use.
pub(super) fn drop_callbacks(root: &mut Value, cx: &mut Cx) {
    let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for method in METHODS {
            let Some(op) = item.get_mut(method).and_then(Value::as_object_mut) else {
                continue;
            };
            if op.shift_remove("callbacks").is_some() {
                cx.change(
                    &format!("/paths/{}/{method}/callbacks", escape_token(path)),
                    "`callbacks` ignored (a client does not serve them)",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn callbacks_are_dropped_with_a_record() {
        let mut doc = json!({"paths": {"/a/{b}": {
            "get": {"callbacks": {"x": {"$ref": "#/components/callbacks/y"}}, "responses": {}},
            "post": {"responses": {}},
        }}});
        let mut cx = Cx::default();
        drop_callbacks(&mut doc, &mut cx);
        assert_eq!(
            doc,
            json!({"paths": {"/a/{b}": {"get": {"responses": {}}, "post": {"responses": {}}}}})
        );
        assert_eq!(cx.rewrites.changes.len(), 1);
        assert_eq!(
            cx.rewrites.changes[0].pointer,
            "/paths/~1a~1{b}/get/callbacks"
        );
    }
}
