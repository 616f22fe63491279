//! The same specs give byte-identical output whatever the order of files,
//! of snippets within a file, and of keys within JSON objects.

use std::path::Path;

use generator::{Config, GeneratedFile, Options, SourceFile, generate};
use serde_json::Value;

fn seed() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/customer-auth.md");
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"))
}

/// The seed's sections: the title, then one `## …` section per endpoint.
fn sections(text: &str) -> (String, Vec<String>) {
    let mut parts = text.split("\n## ");
    let head = parts.next().unwrap_or_default().to_owned();
    (head, parts.map(|p| format!("\n## {p}")).collect())
}

/// JSON text with every object's keys in reverse order.
fn reversed_keys(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let items: Vec<String> = m
                .iter()
                .rev()
                .map(|(k, v)| format!("{}:{}", Value::String(k.clone()), reversed_keys(v)))
                .collect();
            format!("{{{}}}", items.join(","))
        }
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(reversed_keys).collect::<Vec<_>>().join(",")
        ),
        other => other.to_string(),
    }
}

fn generated(sources: Vec<SourceFile>) -> Vec<GeneratedFile> {
    let config = Config::default();
    let options = Options {
        command: "test".to_owned(),
    };
    generate(&sources, &config, &options)
        .unwrap_or_else(|d| panic!("{d}"))
        .files
}

fn file(name: &str, text: String) -> SourceFile {
    SourceFile {
        name: name.to_owned(),
        text,
    }
}

#[test]
fn output_does_not_depend_on_input_order() {
    let text = seed();
    let baseline = generated(vec![file("specs/customer-auth.md", text.clone())]);
    assert!(!baseline.is_empty());

    // Runs are repeatable.
    assert_eq!(
        generated(vec![file("specs/customer-auth.md", text.clone())]),
        baseline
    );

    // Snippets in reverse order within the file.
    let (head, mut parts) = sections(&text);
    assert_eq!(parts.len(), 5, "the seed has five endpoint sections");
    parts.reverse();
    let reordered = format!("{head}{}", parts.concat());
    assert_ne!(reordered, text);
    assert_eq!(
        generated(vec![file("specs/customer-auth.md", reordered)]),
        baseline,
        "snippet order"
    );

    // One file per endpoint, given in reverse order.
    let (_, parts) = sections(&text);
    let mut files: Vec<SourceFile> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| file(&format!("specs/part{i}.md"), p.clone()))
        .collect();
    assert_eq!(generated(files.clone()), baseline, "split into files");
    files.reverse();
    assert_eq!(generated(files), baseline, "file order");

    // Every JSON object's keys reversed, as standalone .json files.
    let files: Vec<SourceFile> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let start = p.find("```json\n").map(|s| s + 8).unwrap_or(0);
            let end = p[start..].find("```").map(|e| start + e).unwrap_or(p.len());
            let value: Value =
                serde_json::from_str(&p[start..end]).unwrap_or_else(|e| panic!("{e}"));
            file(&format!("specs/part{i}.json"), reversed_keys(&value))
        })
        .collect();
    assert_eq!(generated(files), baseline, "key order");
}
