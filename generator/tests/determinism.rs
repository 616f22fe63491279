//! The same API gives byte-identical output whatever the order of files,
//! of snippets in a Markdown file, and of keys in JSON objects.

use std::path::Path;

use generator::{Config, Options, SourceFile};
use serde_json::{Map, Value};

fn read(rel: &str) -> SourceFile {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = Path::new(rel)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    SourceFile { name, text }
}

fn inputs() -> Vec<SourceFile> {
    vec![
        read("../specs/customer-auth.md"),
        read("tests/fixtures/adversarial/recursion.yaml"),
        read("tests/fixtures/adversarial/docs.yaml"),
        read("tests/fixtures/adversarial/names.json"),
    ]
}

fn generate(sources: &[SourceFile]) -> Vec<(String, String)> {
    let options = Options {
        command: "test".into(),
    };
    match generator::generate(sources, &Config::default(), &options) {
        Ok(o) => o.files.into_iter().map(|f| (f.path, f.contents)).collect(),
        Err(d) => panic!("generation failed:\n{d}"),
    }
}

/// The value with every object's keys in reverse order.
fn reversed(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, v) in m.iter().rev() {
                out.insert(k.clone(), reversed(v));
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(reversed).collect()),
        other => other.clone(),
    }
}

/// Markdown cut into chunks that each end after a fenced block.
fn chunks(text: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut open = false;
    for line in text.split_inclusive('\n') {
        if let Some(last) = out.last_mut() {
            last.push_str(line);
        }
        if line.trim_start().starts_with("```") {
            if open {
                out.push(String::new());
            }
            open = !open;
        }
    }
    out.retain(|c| !c.is_empty());
    out
}

/// Rewrites every source: JSON (whole files and Markdown blocks) with
/// reversed keys, YAML as YAML with reversed keys.
fn reverse_keys(file: &SourceFile) -> SourceFile {
    let text = if file.name.ends_with(".json") {
        let v: Value = serde_json::from_str(&file.text).unwrap_or_else(|e| panic!("{e}"));
        serde_json::to_string_pretty(&reversed(&v)).unwrap_or_else(|e| panic!("{e}"))
    } else if file.name.ends_with(".yaml") {
        let v: Value = serde_yaml::from_str(&file.text).unwrap_or_else(|e| panic!("{e}"));
        serde_yaml::to_string(&reversed(&v)).unwrap_or_else(|e| panic!("{e}"))
    } else {
        let mut out = String::new();
        let mut block: Option<String> = None;
        for line in file.text.split_inclusive('\n') {
            match block.as_mut() {
                None => {
                    out.push_str(line);
                    if line.trim_start().starts_with("```json") {
                        block = Some(String::new());
                    }
                }
                Some(b) if line.trim_start().starts_with("```") => {
                    let v: Value = serde_json::from_str(b).unwrap_or_else(|e| panic!("{e}"));
                    out.push_str(
                        &serde_json::to_string(&reversed(&v)).unwrap_or_else(|e| panic!("{e}")),
                    );
                    out.push('\n');
                    out.push_str(line);
                    block = None;
                }
                Some(b) => b.push_str(line),
            }
        }
        out
    };
    SourceFile {
        name: file.name.clone(),
        text,
    }
}

#[test]
fn output_does_not_depend_on_order() {
    let base = inputs();
    let expected = generate(&base);

    let mut variants: Vec<(&str, Vec<SourceFile>)> = Vec::new();
    variants.push(("reversed file list", base.iter().rev().cloned().collect()));

    let mut shuffled = base.clone();
    let parts = chunks(&shuffled[0].text);
    assert!(
        parts.len() > 3,
        "expected several snippets, got {}",
        parts.len()
    );
    // Reverse, then rotate: every snippet moves.
    let mut order: Vec<String> = parts.into_iter().rev().collect();
    order.rotate_left(2);
    shuffled[0].text = order.concat();
    variants.push(("shuffled snippets", shuffled));

    variants.push((
        "reversed JSON keys",
        base.iter().map(reverse_keys).collect(),
    ));
    let all: Vec<SourceFile> = base.iter().rev().map(reverse_keys).collect();
    variants.push(("everything at once", all));

    for (what, sources) in variants {
        let got = generate(&sources);
        assert_eq!(got.len(), expected.len(), "{what}");
        for ((path, text), (want_path, want)) in got.iter().zip(&expected) {
            assert_eq!(path, want_path, "{what}");
            assert!(text == want, "{what}: {path} differs");
        }
    }
}
