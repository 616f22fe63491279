//! What the spec documents for the operations a program calls: error
//! statuses with a JSON body, and named response examples.

use serde_json::{Value, json};

/// JSON pointer escaping of one token.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Follows a local `$ref` (one hop at a time) and returns the value with
/// the pointer it was found at.
fn resolve<'a>(spec: &'a Value, value: &'a Value, pointer: String) -> (&'a Value, String) {
    let mut value = value;
    let mut pointer = pointer;
    for _ in 0..16 {
        match value.get("$ref").and_then(Value::as_str) {
            Some(r) if r.starts_with("#/") => match spec.pointer(&r[1..]) {
                Some(v) => {
                    pointer = r[1..].to_owned();
                    value = v;
                }
                None => break,
            },
            _ => break,
        }
    }
    (value, pointer)
}

/// `{"operations": {id: {"method", "path", "errors": [..], "examples": [..]}}}`
/// for every operation of the spec.
pub fn plan(spec: &Value) -> Value {
    let mut ops = serde_json::Map::new();
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return json!({ "operations": ops });
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let mut errors = Vec::new();
            let mut examples = Vec::new();
            let base = format!("/paths/{}/{method}/responses", escape(path));
            for (status, response) in op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                // `default` stands for any error status: asked for as 404.
                let code = match status.parse::<u16>() {
                    Ok(code) => code,
                    Err(_) if status == "default" => 404,
                    Err(_) => continue,
                };
                let (response, at) = resolve(spec, response, format!("{base}/{}", escape(status)));
                let Some(content) = response.get("content").and_then(Value::as_object) else {
                    continue;
                };
                for (media, body) in content {
                    if !media.contains("json") {
                        continue;
                    }
                    if code >= 400 && !errors.contains(&code) {
                        errors.push(code);
                    }
                    for (name, example) in body
                        .get("examples")
                        .and_then(Value::as_object)
                        .into_iter()
                        .flatten()
                    {
                        let here =
                            format!("{at}/content/{}/examples/{}", escape(media), escape(name));
                        let (_, pointer) = resolve(spec, example, here);
                        let schema = format!("{at}/content/{}/schema", escape(media));
                        examples.push(json!({ "status": code, "name": name, "pointer": pointer, "schema": schema }));
                    }
                }
            }
            ops.insert(
                id.to_owned(),
                json!({ "method": method, "path": path, "errors": errors, "examples": examples }),
            );
        }
    }
    json!({ "operations": ops })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_lists_json_errors_and_named_examples_with_pointers() {
        let spec = json!({
            "paths": { "/a/{b}": { "get": {
                "operationId": "a/get",
                "responses": {
                    "200": { "content": { "application/json": {
                        "examples": { "default": { "$ref": "#/components/examples/a" }, "inline": { "value": 1 } }
                    } } },
                    "304": { "description": "not modified" },
                    "404": { "$ref": "#/components/responses/not_found" },
                    "default": { "content": { "application/json": {} } }
                }
            } } },
            "components": {
                "examples": { "a": { "value": {} } },
                "responses": { "not_found": { "content": { "application/json": {} } } }
            }
        });
        let plan = plan(&spec);
        let op = &plan["operations"]["a/get"];
        assert_eq!(op["errors"], json!([404]));
        assert_eq!(op["path"], "/a/{b}");
        let pointers: Vec<&str> = op["examples"]
            .as_array()
            .expect("examples")
            .iter()
            .filter_map(|e| e["pointer"].as_str())
            .collect();
        assert_eq!(
            pointers,
            [
                "/components/examples/a",
                "/paths/~1a~1{b}/get/responses/200/content/application~1json/examples/inline"
            ]
        );
    }
}
