//! The generated crate's `Cargo.toml`, built as a TOML table (data, not code).

use toml::{Table, Value};

use crate::format::{GeneratedFile, header};
use crate::model::CrateInfo;

fn table(entries: &[(&str, Value)]) -> Value {
    Value::Table(
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    )
}

fn s(v: &str) -> Value {
    Value::String(v.to_owned())
}

fn list(items: &[&str]) -> Value {
    Value::Array(items.iter().map(|i| s(i)).collect())
}

pub fn manifest(info: &CrateInfo, command: &str) -> GeneratedFile {
    let mut deps = Table::new();
    let mut reqwest_features = vec!["json", "rustls-tls"];
    let mut middleware_features = vec!["json"];
    if info.uses_stream {
        reqwest_features.push("stream");
    }
    if info.uses_multipart {
        reqwest_features.push("multipart");
        middleware_features.push("multipart");
    }
    deps.insert(
        "reqwest".into(),
        table(&[
            ("version", s("0.12")),
            ("default-features", Value::Boolean(false)),
            ("features", list(&reqwest_features)),
        ]),
    );
    deps.insert(
        "serde".into(),
        table(&[("version", s("1")), ("features", list(&["derive"]))]),
    );
    deps.insert("serde_json".into(), s("1"));
    if info.uses_middleware {
        deps.insert(
            "reqwest-middleware".into(),
            table(&[
                ("version", s("0.4")),
                ("features", list(&middleware_features)),
            ]),
        );
    }
    if info.uses_uuid || info.uses_uuid_type {
        let mut features = Vec::new();
        if info.uses_uuid {
            features.push("v4");
        }
        if info.uses_uuid_type {
            features.push("serde");
        }
        deps.insert(
            "uuid".into(),
            table(&[("version", s("1")), ("features", list(&features))]),
        );
    }
    if info.uses_chrono {
        deps.insert(
            "chrono".into(),
            table(&[
                ("version", s("0.4")),
                ("default-features", Value::Boolean(false)),
                ("features", list(&["serde", "std"])),
            ]),
        );
    }
    deps.insert("serde_path_to_error".into(), s("0.1"));
    if info.uses_futures {
        deps.insert(
            "futures-util".into(),
            table(&[
                ("version", s("0.3")),
                ("default-features", Value::Boolean(false)),
                ("features", list(&["alloc"])),
            ]),
        );
    }
    let mut root = Table::new();
    root.insert(
        "package".into(),
        table(&[
            ("name", s(&info.name)),
            ("version", s(&info.version)),
            ("edition", s("2024")),
            ("description", s(&info.description)),
        ]),
    );
    root.insert("dependencies".into(), Value::Table(deps));
    if !info.features.is_empty() {
        let mut features = Table::new();
        let default: Vec<&str> = info.default_features.iter().map(String::as_str).collect();
        features.insert("default".into(), list(&default));
        for f in &info.features {
            features.insert(f.clone(), Value::Array(Vec::new()));
        }
        root.insert("features".into(), Value::Table(features));
    }
    merge(&mut root, &info.manifest);
    let mut contents = header(command, "#");
    contents.push_str(&toml::to_string(&root).unwrap_or_default());
    GeneratedFile {
        path: "Cargo.toml".into(),
        contents,
    }
}

/// Deep-merges `extra` into `base`; `extra` wins on conflicts.
fn merge(base: &mut Table, extra: &Table) {
    for (k, v) in extra {
        match (base.get_mut(k), v) {
            (Some(Value::Table(b)), Value::Table(e)) => merge(b, e),
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}
