//! Adversarial specs (`tests/fixtures/adversarial/`): every fixture either
//! generates a crate that compiles cleanly, or fails with located errors.
//!
//! - `*.json|yaml|md` at the top level must generate, with located
//!   warnings (an insta snapshot). `tests/compile_matrix.rs` compiles them,
//!   with the compile matrix, in one scratch workspace (`cargo xtask
//!   test-matrix`).
//! - `errors/*` must fail; their diagnostics are insta snapshots.

use std::fs;
use std::path::{Path, PathBuf};

use generator::{Config, Diagnostics, Options, SourceFile};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/adversarial")
}

fn spec_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// A fixture as a source named relative to the fixtures folder.
fn source(path: &Path) -> SourceFile {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path
        .strip_prefix(fixtures())
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| path.display().to_string());
    SourceFile { name, text }
}

fn config(name: &str) -> Config {
    let text = format!("[package]\nname = \"adv-{name}\"\n\n[manifest.lints]\nworkspace = true\n");
    let mut d = Diagnostics::default();
    Config::parse(&text, "test", &mut d).unwrap_or_else(|| panic!("config: {d}"))
}

fn options() -> Options {
    Options {
        command: "cargo test -p generator --test adversarial".into(),
    }
}

fn crate_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    stem.replace(['.', '_'], "-")
}

#[test]
fn error_fixtures_fail_with_located_diagnostics() {
    for path in spec_files(&fixtures().join("errors")) {
        let name = crate_name(&path);
        let result = generator::generate(&[source(&path)], &config(&name), &options());
        let diags = match result {
            Ok(_) => panic!("{} generated, but it should fail", path.display()),
            Err(d) => d,
        };
        assert!(diags.has_errors(), "{}", path.display());
        for e in diags.errors() {
            assert!(
                !e.message.contains("internal error"),
                "{}: {e}",
                path.display()
            );
        }
        let located = diags
            .errors()
            .all(|e| e.location.as_ref().is_some_and(|l| l.line > 0));
        if name != "no-documents" {
            assert!(located, "{}: unlocated error in\n{diags}", path.display());
        }
        insta::assert_snapshot!(format!("error-{name}"), diags.to_string());
    }
}

/// Every top-level fixture, generated: (crate name, output). Generation
/// must succeed and every warning must be located.
fn generated() -> Vec<(String, generator::Output)> {
    spec_files(&fixtures())
        .into_iter()
        .map(|path| {
            let name = crate_name(&path);
            let output = match generator::generate(&[source(&path)], &config(&name), &options()) {
                Ok(o) => o,
                Err(d) => panic!("{} failed:\n{d}", path.display()),
            };
            for w in output.diagnostics.warnings() {
                assert!(
                    w.location.is_some(),
                    "{}: unlocated warning {w}",
                    path.display()
                );
            }
            (name, output)
        })
        .collect()
}

#[test]
fn fixtures_generate_with_located_warnings() {
    let mut warnings = String::new();
    for (_, output) in generated() {
        for w in output.diagnostics.warnings() {
            warnings.push_str(&format!("{w}\n"));
        }
    }
    insta::assert_snapshot!("fixture-warnings", warnings);
}
