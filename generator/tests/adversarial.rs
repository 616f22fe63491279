//! Adversarial specs (`tests/fixtures/adversarial/`): every fixture either
//! generates a crate that compiles cleanly, or fails with located errors.
//!
//! - `*.json|yaml|md` at the top level must generate, with located
//!   warnings (an insta snapshot). Compiling them is `#[ignore]`d (it builds
//!   a workspace and its dependencies; `cargo xtask test-adversarial` runs
//!   it): all of them are written into one scratch workspace under the test
//!   target folder and checked with a single `cargo clippy --all-targets --
//!   -D warnings` (shared target dir, so it is one dependency build). Set
//!   `ADVERSARIAL_DOCTEST=1` to also run `cargo test --doc` there (slower:
//!   it builds dependencies fully).
//! - `errors/*` must fail; their diagnostics are insta snapshots.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

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

/// The root workspace's lints, so fixture crates meet the same bar as the
/// checked-in client.
const WORKSPACE: &str = r#"[workspace]
resolver = "3"
members = [MEMBERS]

[workspace.lints.rust]
unsafe_code = "forbid"
missing_debug_implementations = "warn"
rust_2018_idioms = { level = "warn", priority = -1 }

[workspace.lints.clippy]
unwrap_used = "warn"
dbg_macro = "warn"
todo = "warn"
"#;

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

#[test]
#[ignore = "builds a workspace of generated crates; `cargo xtask test-adversarial` runs it"]
fn fixtures_generate_crates_that_compile() {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("adversarial");
    let mut members = Vec::new();
    for (name, output) in generated() {
        let dir = scratch.join(&name);
        let report = generator::write::write(&dir, &output.files, generator::write::Mode::Write)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        drop(report);
        members.push(format!("\"{name}\""));
    }
    fs::write(
        scratch.join("Cargo.toml"),
        WORKSPACE.replace("MEMBERS", &members.join(", ")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // The repository's lock file pins the same dependency versions, so the
    // scratch build needs nothing new from the registry.
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    if !scratch.join("Cargo.lock").exists() {
        let _ = fs::copy(lock, scratch.join("Cargo.lock"));
    }
    let cargo = |args: &[&str]| {
        let out = Command::new(env!("CARGO"))
            .args(args)
            .current_dir(&scratch)
            .env("CARGO_TARGET_DIR", scratch.join("target"))
            .env_remove("RUSTFLAGS")
            .output()
            .unwrap_or_else(|e| panic!("cargo: {e}"));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "cargo {args:?} failed in {}:\n{stderr}",
            scratch.display()
        );
    };
    cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--quiet",
        "--",
        "-D",
        "warnings",
    ]);
    if std::env::var_os("ADVERSARIAL_DOCTEST").is_some() {
        cargo(&["test", "--workspace", "--doc", "--quiet"]);
    }
}
