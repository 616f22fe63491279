//! Lenient reading, on whole documents: any one keyword of a valid document
//! replaced by a value of the wrong type still gives a readable API (with
//! warnings), never an error, as long as the document keeps its structure.

use std::path::Path;

use generator::{Config, Options, SourceFile};
use serde_json::{Value, json};

fn fixture(rel: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Pointers of every object entry of `v`, depth first.
fn pointers(v: &Value, at: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(child, &p, out);
            }
        }
        Value::Array(list) => {
            for (i, child) in list.iter().enumerate() {
                pointers(child, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// The document's structure: replacing these is an error by design.
fn structural(pointer: &str) -> bool {
    // A `$ref` naming nothing is an error by design (references are never
    // skipped silently), not a malformed keyword.
    // So is one whose target a wrong value replaced (`components: 7`).
    let components_map = pointer.starts_with("/components") && pointer.matches('/').count() <= 2;
    pointer == "/openapi" || pointer == "/paths" || pointer.ends_with("/$ref") || components_map
}

fn sources(doc: &Value) -> Vec<SourceFile> {
    vec![SourceFile {
        name: "a.json".into(),
        text: serde_json::to_string_pretty(doc).unwrap_or_default(),
    }]
}

#[test]
fn any_one_keyword_of_the_wrong_type_is_repaired() {
    let wrong = [
        json!(-1),
        json!(2.5),
        json!("x"),
        json!(true),
        json!(null),
        json!([]),
        json!([7]),
        json!({}),
        json!({"k": 7}),
        json!("1e400"),
    ];
    let mut failures = Vec::new();
    let mut tried = 0;
    let mut warned = 0;
    for rel in [
        "ok/bodies-and-query-styles.yaml",
        "ok/security.yaml",
        "ok/responses.yaml",
        "ok/schemas.yaml",
        "v31/type-arrays.yaml",
    ] {
        let doc = fixture(rel);
        let mut all = Vec::new();
        pointers(&doc, "", &mut all);
        for pointer in all.iter().filter(|p| !structural(p)) {
            for value in &wrong {
                let mut broken = doc.clone();
                if let Some(slot) = broken.pointer_mut(pointer) {
                    *slot = value.clone();
                }
                tried += 1;
                match generator::merged_document(&sources(&broken)) {
                    Ok((_, diags)) => {
                        warned += usize::from(diags.warnings().next().is_some());
                        // The keyword table covers all of it: nothing is left
                        // to the fallback, which drops more.
                        for w in diags.warnings() {
                            if w.message.contains("could not be read") {
                                failures.push(format!("{rel}: {pointer} = {value}: fallback: {w}"));
                            }
                        }
                    }
                    Err(diags) => failures.push(format!("{rel}: {pointer} = {value}:\n{diags}")),
                }
            }
        }
    }
    assert!(tried > 1000, "only {tried} documents tried");
    eprintln!("{warned} of {tried} broken documents were repaired with warnings");
    // The rest were valid as they were (`example: 7`, `x-…`, a description
    // that is a string anyway).
    assert!(warned * 2 > tried, "only {warned} of {tried} had warnings");
    assert!(
        failures.is_empty(),
        "{} of {tried} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Repaired documents go all the way: lowering and emitting accept what the
/// repair leaves.
#[test]
fn repaired_documents_generate() {
    let doc = fixture("ok/bodies-and-query-styles.yaml");
    let mut all = Vec::new();
    pointers(&doc, "", &mut all);
    let options = Options {
        command: "test".into(),
    };
    let mut failures = Vec::new();
    for (i, pointer) in all.iter().filter(|p| !structural(p)).enumerate() {
        let value = [json!(7), json!("x"), json!([]), json!(null)][i % 4].clone();
        let mut broken = doc.clone();
        if let Some(slot) = broken.pointer_mut(pointer) {
            *slot = value.clone();
        }
        match generator::generate(&sources(&broken), &Config::default(), &options) {
            Ok(out) => {
                for f in out.files.iter().filter(|f| f.path.ends_with(".rs")) {
                    if let Err(e) = syn::parse_file(&f.contents) {
                        failures.push(format!(
                            "{pointer} = {value}: {} does not parse: {e}",
                            f.path
                        ));
                    }
                }
            }
            Err(diags) => failures.push(format!("{pointer} = {value}:\n{diags}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
