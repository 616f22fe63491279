//! Clients generated from small specs under `tests/clients/<name>/`, each
//! with a test program (`client.rs`) that runs inside the generated crate
//! against servers on loopback. One scratch workspace, one shared target.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Generates `tests/clients/<name>/spec.yaml` into a crate, adds the test
/// program, and runs `cargo test` on it.
fn run_client_tests(name: &str) {
    let dir = root().join("xtask/tests/clients").join(name);
    let sources = generator::source::load(&[dir.join("spec.yaml")]).expect("read spec");
    let mut config = generator::Config::default();
    config.package.name = Some(format!("{name}-client"));
    let manifest = r#"
        [workspace]
        [dev-dependencies]
        tokio = { version = "1", features = ["macros", "rt-multi-thread", "net", "io-util"] }
    "#;
    config.manifest = toml::from_str(manifest).expect("manifest");
    let options = generator::Options {
        command: "cargo test -p xtask --test generated_clients".to_owned(),
    };
    let out = generator::generate(&sources, &config, &options).unwrap_or_else(|d| panic!("{d}"));
    let krate = root().join("target/generated-clients").join(name);
    generator::write::write(&krate, &out.files, generator::write::Mode::Write)
        .expect("write crate");
    std::fs::create_dir_all(krate.join("tests")).expect("tests dir");
    std::fs::copy(dir.join("client.rs"), krate.join("tests/client.rs")).expect("copy test");
    let status = Command::new(env!("CARGO"))
        .args(["test", "--quiet", "--manifest-path"])
        .arg(krate.join("Cargo.toml"))
        .env(
            "CARGO_TARGET_DIR",
            root().join("target/generated-clients/target"),
        )
        .status()
        .expect("run cargo test");
    assert!(
        status.success(),
        "tests of the client generated from {} failed",
        dir.display()
    );
}

#[test]
fn paging_client() {
    run_client_tests("paging");
}
