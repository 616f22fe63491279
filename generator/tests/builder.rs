//! `generator::Builder`: the inputs it reports are every file it read (what
//! a build script names in `cargo:rerun-if-changed`), including files only
//! a `$ref` reached, and overlays.

use std::path::{Path, PathBuf};

use generator::Builder;

#[test]
fn inputs_are_every_file_read() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::env::set_current_dir(root).unwrap_or_else(|e| panic!("{e}"));
    let dir = "tests/fixtures/multi-file/petstore";
    let generated = Builder::new()
        .spec(format!("{dir}/openapi.yaml"))
        .overlay("tests/fixtures/overlays/no-match.yaml")
        .generate()
        .unwrap_or_else(|f| panic!("{f}"));
    let inputs: Vec<String> = generated
        .inputs
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    // The root file, the overlay, and files only `$ref`s name (a path item
    // in JSON, a schema file, a tag description in Markdown).
    for expected in [
        format!("{dir}/openapi.yaml"),
        "tests/fixtures/overlays/no-match.yaml".to_owned(),
        format!("{dir}/paths/pet.json"),
        format!("{dir}/intro.md"),
    ] {
        assert!(
            inputs.contains(&expected),
            "{expected} missing: {inputs:#?}"
        );
    }
    let referenced = inputs.iter().filter(|p| p.contains("/schemas/")).count();
    assert!(referenced > 0, "{inputs:#?}");
    // Each once, sorted, and each a file that exists.
    let mut sorted = generated.inputs.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, generated.inputs);
    assert!(
        generated.inputs.iter().all(|p: &PathBuf| p.exists()),
        "{inputs:#?}"
    );
    // What a build script prints.
    let lines = generator::builder::cargo_lines(&generated.inputs, &generated.output.diagnostics);
    assert!(lines.contains(&format!("cargo:rerun-if-changed={dir}/paths/pet.json")));
    assert!(
        lines
            .iter()
            .any(|l| l
                .starts_with("cargo:warning=warning: tests/fixtures/overlays/no-match.yaml:6 "))
    );
}
