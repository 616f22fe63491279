//! The `generator` binary: `--version`, `--help`, the bare form and its
//! subcommands, exit codes, and `inspect --json` (a stable schema).

use std::path::Path;
use std::process::{Command, Output};

fn generator(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("generator: {e}"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const PETS: &str = "tests/fixtures/overlays/pets.yaml";

#[test]
fn version_and_help() {
    let out = generator(&["--version"]);
    assert!(out.status.success());
    assert_eq!(
        text(&out.stdout),
        format!("generator {}\n", env!("CARGO_PKG_VERSION"))
    );
    let help = text(&generator(&["--help"]).stdout);
    for needle in ["generate", "check", "inspect", "--overlay", "Exit status:"] {
        assert!(help.contains(needle), "{needle} missing from:\n{help}");
    }
}

#[test]
fn generate_then_check_with_exit_codes() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-pets");
    let _ = std::fs::remove_dir_all(&dir);
    let out_dir = dir.display().to_string();
    // Nothing there yet: stale.
    let stale = generator(&["check", PETS, "--out", &out_dir]);
    assert_eq!(stale.status.code(), Some(1), "{}", text(&stale.stderr));
    // The bare form generates.
    let made = generator(&[PETS, "--out", &out_dir]);
    assert_eq!(made.status.code(), Some(0), "{}", text(&made.stderr));
    assert!(dir.join("src/lib.rs").is_file());
    for args in [
        vec!["check", PETS, "--out", &out_dir],
        vec![PETS, "--out", &out_dir, "--check"],
        vec!["generate", PETS, "--out", &out_dir, "--check"],
    ] {
        let ok = generator(&args);
        assert_eq!(ok.status.code(), Some(0), "{args:?}: {}", text(&ok.stderr));
    }
    // Another overlay changes the crate: stale again.
    let other = generator(&[
        "check",
        PETS,
        "--out",
        &out_dir,
        "--overlay",
        "tests/fixtures/overlays/actions/remove.yaml",
    ]);
    assert_eq!(other.status.code(), Some(1), "{}", text(&other.stderr));
}

#[test]
fn errors_exit_2_in_both_formats() {
    let overlay = "tests/fixtures/overlays/invalid.yaml";
    let human = generator(&["inspect", PETS, "--overlay", overlay]);
    assert_eq!(human.status.code(), Some(2));
    let stderr = text(&human.stderr);
    // rustc style: the source line under the message.
    assert!(
        stderr.contains(" --> tests/fixtures/overlays/invalid.yaml:12:5")
            && stderr.contains("12 |     remove: \"yes\""),
        "{stderr}"
    );
    let short = generator(&[
        "inspect",
        PETS,
        "--overlay",
        overlay,
        "--message-format",
        "short",
    ]);
    assert_eq!(short.status.code(), Some(2));
    assert!(
        text(&short.stderr).contains(
            "error: tests/fixtures/overlays/invalid.yaml:12 (at #/actions/2/remove): invalid overlay action: `remove` is \"yes\", not `true` or `false`\n"
        ),
        "{}",
        text(&short.stderr)
    );
    let usage = generator(&["inspect"]);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn inspect_json() {
    let out = generator(&[
        "inspect",
        PETS,
        "--json",
        "--overlay",
        "tests/fixtures/overlays/actions/located.yaml",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json["schema_version"], 1);
    insta::assert_snapshot!(text(&out.stdout));
}
