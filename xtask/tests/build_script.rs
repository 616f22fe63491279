//! The build-script example (`examples/build-script/`) regenerates its
//! client when, and only when, one of its inputs changes: cargo's
//! fingerprints follow the `cargo:rerun-if-changed` lines its `build.rs`
//! prints (`cargo build -v` says `Dirty …` and runs the build script again,
//! or `Fresh …`). Builds the example (a few minutes from cold):
//! `cargo xtask test-build-script`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// `cargo build -v -p build-script-example`: whether its build script ran.
fn build() -> bool {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root())
        .args(["build", "-v", "-p", "build-script-example"])
        .output()
        .unwrap_or_else(|e| panic!("cargo: {e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    stderr.lines().any(|l| {
        l.trim_start().starts_with("Running")
            && l.contains("build-script-example-")
            && l.contains("build-script-build")
    })
}

/// Sets a file's modification time to now, leaving its content alone.
fn touch(rel: &str) {
    let path = root().join(rel);
    let file = std::fs::File::options()
        .append(true)
        .open(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    file.set_modified(SystemTime::now())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

#[test]
#[ignore = "builds the example crate; run by `cargo xtask test-build-script`"]
fn rebuilds_when_and_only_when_an_input_changes() {
    build();
    assert!(!build(), "nothing changed, yet the build script ran again");
    // Not an input: the paging example's config.
    touch("examples/paging.toml");
    assert!(!build(), "examples/paging.toml is not an input");
    for input in ["examples/paging.yaml", "examples/build-script/overlay.yaml"] {
        touch(input);
        assert!(build(), "{input} changed, but the build script did not run");
        assert!(!build(), "{input}: ran again without a change");
    }
}
