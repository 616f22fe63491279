//! The OpenAPI 3.1 corpus (`../shared/corpus/v31`, or `$V31_CORPUS`) and the
//! v31 and v32 snapshot fixtures: every spec must generate without errors or panics,
//! and every generated crate must compile clippy-clean.
//!
//! Generating the 3.1 corpus runs with every `cargo test` (the corpus is
//! beside the repository, as in CI). Compiling it, and generating every
//! spec of the dev corpus relabelled 3.1 (150 documents, twice each), take
//! minutes, so those tests are `#[ignore]`d and `cargo xtask test-v31` runs
//! them with an optimised generator (CI does):
//!
//! ```text
//! cargo test --release -p generator --test v31_corpus -- --ignored
//! ```
//!
//! `v31_corpus_compiles` writes every crate into one scratch workspace under
//! the target folder (`<target>/v31-corpus`) and runs a single
//! `cargo check`, then `cargo clippy -- -D warnings`,
//! over it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use generator::{Config, Options, SourceFile};

fn corpus_dir() -> PathBuf {
    match std::env::var_os("V31_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/v31"),
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => workspace_root().join("target"),
    }
}

/// `(crate name, spec file)` for every spec of the corpus and every v31
/// and v32 snapshot fixture, sorted.
fn specs() -> Vec<(String, PathBuf)> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = files(&corpus_dir(), "v31");
    out.extend(files(&fixtures.join("v31"), "v31-fixture"));
    out.extend(files(&fixtures.join("v32"), "v32-fixture"));
    out.sort();
    out
}

fn files(dir: &Path, prefix: &str) -> Vec<(String, PathBuf)> {
    let Ok(entries) = fs::read_dir(dir) else {
        eprintln!("no specs at {}; skipped", dir.display());
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml" | "yml" | "md")
            ) || (p.is_dir() && p.join("openapi.yaml").is_file())
        })
        .map(|p| {
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("spec");
            let name: String = stem
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '-'
                    }
                })
                .collect();
            (format!("{prefix}-{name}"), p)
        })
        .collect()
}

/// Generates one spec; `Err` holds the reason (errors, or a panic).
fn generate(name: &str, path: &Path) -> Result<generator::Output, String> {
    // A folder (a fixture split over files) is read as the CLI reads one.
    let sources = if path.is_dir() {
        generator::source::load(&[path.to_path_buf()]).map_err(|e| e.to_string())?
    } else {
        let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        vec![SourceFile {
            name: path.display().to_string(),
            text,
        }]
    };
    let mut config = Config::default();
    config.package.name = Some(name.to_owned());
    let options = Options {
        command: "cargo test -p generator --test v31_corpus".into(),
    };
    match std::panic::catch_unwind(|| generator::generate(&sources, &config, &options)) {
        Ok(Ok(out)) => Ok(out),
        Ok(Err(diags)) => Err(diags.to_string()),
        Err(_) => Err("generator panicked".into()),
    }
}

#[test]
fn v31_corpus_generates() {
    let mut failures = Vec::new();
    for (name, path) in specs() {
        match generate(&name, &path) {
            Ok(out) => {
                eprintln!(
                    "ok   {name}: {} operations, {} types, {} warnings",
                    out.operations,
                    out.types,
                    out.diagnostics.warnings().count()
                );
                if std::env::var_os("V31_VERBOSE").is_some() {
                    for w in out.diagnostics.sorted() {
                        eprintln!("     {w}");
                    }
                }
            }
            Err(e) => {
                eprintln!("FAIL {name}:\n{e}");
                failures.push(name);
            }
        }
    }
    assert!(failures.is_empty(), "failed to generate: {failures:?}");
}

#[test]
#[ignore = "generates and compiles the whole corpus; `cargo xtask test-v31` runs it"]
fn v31_corpus_compiles() {
    let root = target_dir().join("v31-corpus");
    let mut members = Vec::new();
    let mut failures = Vec::new();
    for (name, path) in specs() {
        match generate(&name, &path) {
            Ok(out) => {
                let dir = root.join(&name);
                generator::write::write(&dir, &out.files, generator::write::Mode::Write)
                    .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
                members.push(name);
            }
            Err(e) => {
                eprintln!("FAIL {name} (generate):\n{e}");
                failures.push(name);
            }
        }
    }
    if members.is_empty() {
        return;
    }
    let list: Vec<String> = members.iter().map(|m| format!("    {m:?},")).collect();
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [\n{}\n]\n",
        list.join("\n")
    );
    fs::write(root.join("Cargo.toml"), manifest).expect("write scratch workspace manifest");
    // Same dependency versions as this workspace where they overlap.
    if !root.join("Cargo.lock").exists() {
        fs::copy(workspace_root().join("Cargo.lock"), root.join("Cargo.lock"))
            .expect("copy Cargo.lock");
    }
    let cargo = |args: &[&str]| {
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(&root)
            .env("CARGO_TARGET_DIR", root.join("target"))
            .args(args)
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    };
    // Compile errors first, then lints; `--keep-going` reports every crate.
    let check = cargo(&[
        "check",
        "--workspace",
        "--keep-going",
        "--quiet",
        "--message-format",
        "short",
    ]);
    let clippy = check
        && cargo(&[
            "clippy",
            "--workspace",
            "--keep-going",
            "--quiet",
            "--message-format",
            "short",
            "--",
            "-D",
            "warnings",
        ]);
    eprintln!(
        "{} specs: {} generated, {} failed to generate; cargo check {}; cargo clippy -D warnings {}",
        members.len() + failures.len(),
        members.len(),
        failures.len(),
        if check { "passed" } else { "FAILED" },
        if clippy {
            "passed"
        } else if check {
            "FAILED"
        } else {
            "not run"
        }
    );
    assert!(failures.is_empty(), "failed to generate: {failures:?}");
    assert!(check, "generated crates do not compile");
    assert!(clippy, "generated crates are not clippy-clean");
}

/// Stress test of the normaliser: every 3.0 document of `../shared/corpus/dev`
/// that generates must still generate (no error, no panic) when relabelled
/// `openapi: 3.1.0`, which sends it through every 3.1 rewrite.
#[test]
#[ignore = "generates 150 specs twice; `cargo xtask test-v31` runs it (release build)"]
fn dev_corpus_relabelled_31_generates() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/dev");
    let mut failures = Vec::new();
    let mut checked = 0;
    for (name, path) in files(&dir, "dev") {
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        let config = Config::default();
        let options = Options {
            command: "test".into(),
        };
        let source = |text: String| {
            vec![SourceFile {
                name: path.display().to_string(),
                text,
            }]
        };
        let as_30 = std::panic::catch_unwind(|| {
            generator::generate(&source(text.clone()), &config, &options)
        });
        if !matches!(as_30, Ok(Ok(_))) {
            continue;
        }
        value["openapi"] = serde_json::Value::String("3.1.0".into());
        let relabelled = value.to_string();
        checked += 1;
        match std::panic::catch_unwind(|| {
            generator::generate(&source(relabelled), &config, &options)
        }) {
            Ok(Ok(_)) => {}
            Ok(Err(d)) => {
                eprintln!("FAIL {name}:\n{d}");
                failures.push(name);
            }
            Err(_) => {
                eprintln!("PANIC {name}");
                failures.push(name);
            }
        }
    }
    eprintln!(
        "{checked} documents relabelled 3.1; {} failed",
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:?}");
}
