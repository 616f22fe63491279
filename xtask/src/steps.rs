//! `cargo xtask test-clients`, `test-adversarial`, `test-v31` and
//! `test-slow`: the checks that generate and compile whole crates, or
//! generate corpus-scale inputs. They are `#[ignore]`d tests (so their
//! assertions live beside the fast tests of the same behaviour), left out of
//! `cargo test --workspace` to keep it quick, and run here, one `cargo test
//! … -- --ignored` per step. `.ci/run` runs every step.

use std::process::{Command, ExitCode};

use crate::codegen::project_root;

/// One step: a name, what it checks, and the `cargo test` that runs it.
#[derive(Debug)]
pub struct Step {
    pub name: &'static str,
    pub about: &'static str,
    /// Arguments of `cargo test` before `--`.
    pub cargo: &'static [&'static str],
    /// Arguments of the test binary, after `--ignored`.
    pub test: &'static [&'static str],
}

/// Every step, in the order `test-slow` runs them.
pub const STEPS: &[Step] = &[
    Step {
        name: "test-clients",
        about: "generates the clients of xtask/tests/clients/ (snapshot fixtures, \
                the paging example, GitHub's `repos` feature) into scratch crates \
                and runs their test programs against loopback servers",
        cargo: &["-p", "xtask", "--test", "generated_clients"],
        test: &[],
    },
    Step {
        name: "test-adversarial",
        about: "compiles the crates generated from generator/tests/fixtures/adversarial/ \
                with `cargo clippy --all-targets -- -D warnings`",
        cargo: &["-p", "generator", "--test", "adversarial"],
        test: &[],
    },
    Step {
        // Generating the dev corpus twice (300 documents) took 192 s in a
        // debug build and 47 s optimised on a 2-core machine. The release
        // build (about 3 minutes from cold) shares its dependencies with
        // the one `cargo xtask bench` makes (after it, the bench's build
        // compiled only xtask itself).
        name: "test-v31",
        about: "(release build) the OpenAPI 3.1 corpus compiles clippy-clean, and \
                every 3.0 spec of ../shared/corpus/dev still generates when \
                relabelled 3.1",
        cargo: &["--release", "-p", "generator", "--test", "v31_corpus"],
        // A row per spec, as the corpus report.
        test: &["--nocapture"],
    },
];

/// `cargo xtask <step>`; `test-slow` runs every step, even after a failure,
/// and fails if any did.
pub fn main(name: &str, args: &[&str]) -> ExitCode {
    let steps: Vec<&Step> = match name {
        "test-slow" => STEPS.iter().collect(),
        _ => STEPS.iter().filter(|s| s.name == name).collect(),
    };
    let mut failed = Vec::new();
    for step in steps {
        eprintln!("== cargo xtask {}: {}", step.name, step.about);
        let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        cmd.current_dir(project_root())
            .arg("test")
            .args(step.cargo)
            .args(["--", "--ignored"])
            .args(step.test)
            .args(args);
        eprintln!("   {cmd:?}");
        if !cmd.status().is_ok_and(|s| s.success()) {
            failed.push(step.name);
        }
    }
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!("failed: {}", failed.join(", "));
        ExitCode::FAILURE
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    /// The test file a step runs: `<package>/tests/<test>.rs`.
    fn test_file(step: &Step) -> Option<PathBuf> {
        let after = |flag: &str| step.cargo.iter().skip_while(|a| **a != flag).nth(1);
        let (pkg, test) = (after("-p")?, after("--test")?);
        Some(
            project_root()
                .join(pkg)
                .join("tests")
                .join(format!("{test}.rs")),
        )
    }

    /// Every step names a test file that exists.
    #[test]
    fn steps_name_test_files() {
        for step in STEPS {
            let file = test_file(step);
            assert!(
                file.as_ref().is_some_and(|f| f.is_file()),
                "{}: {file:?}",
                step.name
            );
        }
    }

    /// Every `#[ignore]`d test of the workspace's test files is in a file
    /// some step runs, so CI runs it.
    #[test]
    fn every_ignored_test_has_a_step() {
        let covered: Vec<PathBuf> = STEPS.iter().filter_map(test_file).collect();
        let marker = concat!("#[", "ignore");
        for member in [
            "generator",
            "generated-client",
            "examples/paging-client",
            "xtask",
        ] {
            let Ok(entries) = std::fs::read_dir(project_root().join(member).join("tests")) else {
                continue;
            };
            for path in entries.flatten().map(|e| e.path()) {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                if path.extension().is_some_and(|e| e == "rs") && text.contains(marker) {
                    assert!(covered.contains(&path), "no step runs {}", path.display());
                }
            }
        }
    }

    /// `cargo xtask` (no task) lists every step.
    #[test]
    fn usage_lists_every_step() {
        for step in STEPS {
            assert!(crate::USAGE.contains(step.name), "{}", step.name);
        }
        assert!(crate::USAGE.contains("test-slow"));
    }
}
