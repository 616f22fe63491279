//! OpenAPI 3.1 documents, one construct per fixture (`tests/fixtures/v31`),
//! through the whole pipeline: the snapshot shows the generated files'
//! list, the warnings (with the user's file and line) and the code that
//! shows the construct.

use std::path::PathBuf;

use generator::{Config, Options, source};

const FIXTURES: &str = "tests/fixtures/v31";

/// Generates one fixture; the text shows the files, warnings and `shown` files.
fn generate(fixture: &str, shown: &[&str]) -> String {
    let path = PathBuf::from(FIXTURES).join(fixture);
    let sources = source::load(&[path]).unwrap_or_else(|e| panic!("{fixture}: {e}"));
    let options = Options {
        command: "cargo test".into(),
    };
    let output = match generator::generate(&sources, &Config::default(), &options) {
        Ok(o) => o,
        Err(d) => panic!("{fixture} failed:\n{d}"),
    };
    let mut text = String::from("files:\n");
    for f in &output.files {
        text.push_str(&format!("  {}\n", f.path));
    }
    text.push_str("warnings:\n");
    for w in output.diagnostics.sorted() {
        text.push_str(&format!("  {w}\n"));
    }
    for want in shown {
        let Some(file) = output.files.iter().find(|f| f.path == *want) else {
            panic!("{fixture}: no {want}");
        };
        text.push_str(&format!("\n===== {want} =====\n{}", file.contents));
    }
    text
}

/// Only the lines of `client.rs` that declare methods (the operations).
fn methods(fixture: &str) -> String {
    let path = PathBuf::from(FIXTURES).join(fixture);
    let sources = source::load(&[path]).unwrap_or_else(|e| panic!("{fixture}: {e}"));
    let options = Options {
        command: "cargo test".into(),
    };
    let output = generator::generate(&sources, &Config::default(), &options)
        .unwrap_or_else(|d| panic!("{d}"));
    output
        .files
        .iter()
        .filter(|f| f.path == "src/client.rs")
        .flat_map(|f| f.contents.lines())
        .filter(|l| {
            l.trim_start().starts_with("pub fn ")
                && !l.contains("fn new")
                && !l.contains("fn with_http_client")
        })
        .map(|l| format!("{}\n", l.trim()))
        .collect()
}

#[test]
fn type_arrays_are_options_and_untagged_enums() {
    let mut text = generate("type-arrays.yaml", &["src/types.rs"]);
    text.push_str("\n===== client methods =====\n");
    text.push_str(&methods("type-arrays.yaml"));
    insta::assert_snapshot!(text);
}

#[test]
fn ref_siblings_keep_named_types_and_field_docs() {
    insta::assert_snapshot!(generate("ref-siblings.json", &["src/types.rs"]));
}

#[test]
fn webhooks_only_document_is_a_types_crate() {
    insta::assert_snapshot!(generate("webhooks.yaml", &["src/lib.rs", "src/types.rs"]));
}

#[test]
fn other_keywords_and_located_warnings() {
    let mut text = generate("keywords.yaml", &["src/types.rs"]);
    text.push_str("\n===== client methods =====\n");
    text.push_str(&methods("keywords.yaml"));
    insta::assert_snapshot!(text);
}

#[test]
fn markdown_snippets_in_3_1() {
    let mut text = generate("markdown.md", &["src/lib.rs", "src/types.rs"]);
    text.push_str("\n===== client methods =====\n");
    text.push_str(&methods("markdown.md"));
    insta::assert_snapshot!(text);
}
