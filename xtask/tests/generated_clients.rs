//! Clients generated from small specs under `tests/clients/<name>/`, each
//! with a test program (`client.rs`) that runs inside the generated crate
//! against servers on loopback. One scratch workspace, one shared target.
//!
//! Each test builds a whole crate and its dependencies, so they are
//! `#[ignore]`d: `cargo xtask test-clients` runs them (CI does).
//! `tests/paging_client.rs` runs the paging program against the checked-in
//! `examples/paging-client` in plain `cargo test`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Generates `spec` into a crate, adds `tests/clients/<name>/client.rs` as
/// its test program, and runs `cargo test` on it (doc tests included) with
/// `cargo_args`; `example` is the generator's `[example]` config.
fn run_client_tests(
    name: &str,
    spec: &Path,
    cargo_args: &[&str],
    example: Option<generator::config::ExampleConfig>,
) {
    let config = generator::Config {
        example,
        ..Default::default()
    };
    run_client_tests_with(name, name, spec, cargo_args, config);
}

/// [`run_client_tests`] with a whole generator config, into the crate
/// folder `krate_name` (one test program can run against crates generated
/// with different configs).
fn run_client_tests_with(
    name: &str,
    krate_name: &str,
    spec: &Path,
    cargo_args: &[&str],
    mut config: generator::Config,
) {
    let dir = root().join("xtask/tests/clients").join(name);
    let sources = generator::source::load(&[spec.to_path_buf()]).expect("read spec");
    config.package.name = Some(format!("{name}-client"));
    let manifest = r#"
        [workspace]
        [dev-dependencies]
        tokio = { version = "1", features = ["macros", "rt-multi-thread", "net", "io-util"] }
        futures-util = "0.3"
    "#;
    config.manifest = toml::from_str(manifest).expect("manifest");
    let options = generator::Options {
        command: "cargo test -p xtask --test generated_clients".to_owned(),
    };
    let out = generator::generate(&sources, &config, &options).unwrap_or_else(|d| panic!("{d}"));
    let krate = root().join("target/generated-clients").join(krate_name);
    generator::write::write(&krate, &out.files, generator::write::Mode::Write)
        .expect("write crate");
    std::fs::create_dir_all(krate.join("tests")).expect("tests dir");
    std::fs::copy(dir.join("client.rs"), krate.join("tests/client.rs")).expect("copy test");
    let status = Command::new(env!("CARGO"))
        .args(["test", "--quiet", "--manifest-path"])
        .arg(krate.join("Cargo.toml"))
        .args(cargo_args)
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

/// `cargo check --lib` of the generated crate `krate` with only `features`
/// on passes without a warning (no dead code of the features left out).
fn assert_checks_cleanly(krate: &str, features: &[&str]) {
    let check = Command::new(env!("CARGO"))
        .args([
            "check",
            "--lib",
            "--message-format",
            "short",
            "--manifest-path",
        ])
        .arg(
            root()
                .join("target/generated-clients")
                .join(krate)
                .join("Cargo.toml"),
        )
        .arg("--no-default-features")
        .args(match features {
            [] => Vec::new(),
            some => vec!["--features".to_owned(), some.join(",")],
        })
        .env(
            "CARGO_TARGET_DIR",
            root().join("target/generated-clients/target"),
        )
        .output()
        .expect("run cargo check");
    let stderr = String::from_utf8_lossy(&check.stderr);
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning:")).collect();
    assert!(
        check.status.success() && warnings.is_empty(),
        "`{krate}` with {features:?} alone does not check cleanly:\n{stderr}"
    );
}

#[test]
#[ignore = "builds a generated crate; `cargo xtask test-clients` runs it"]
fn paging_client() {
    let spec = root().join("examples/paging.yaml");
    run_client_tests("paging", &spec, &[], None);
}

/// The streaming example: Server-Sent Events, JSON Lines and json-seq on
/// loopback, in awkward chunkings, and an endless stream.
#[test]
#[ignore = "builds a generated crate; `cargo xtask test-clients` runs it"]
fn streaming_client() {
    let spec = root().join("examples/streaming.yaml");
    run_client_tests("streaming", &spec, &[], None);
}

/// The same program against the crate generated with `[client] middleware`:
/// streamed calls go through `reqwest_middleware`'s builder too.
#[test]
#[ignore = "builds a generated crate; `cargo xtask test-clients` runs it"]
fn streaming_client_with_middleware() {
    let spec = root().join("examples/streaming.yaml");
    let mut config = generator::Config::default();
    config.client.middleware = true;
    run_client_tests_with("streaming", "streaming-middleware", &spec, &[], config);
}

/// A real model API's description (173 operations, 9 streamed
/// responses): the crate is clippy-clean, and its chat completion and
/// conversation streams decode events shaped like the spec's schemas.
#[test]
#[ignore = "builds a generated crate; `cargo xtask test-clients` runs it"]
fn mistral_client_streams() {
    let spec = root().join("../shared/corpus/streaming/mistral.yaml");
    run_client_tests("mistral", &spec, &[], None);
    assert_clippy_clean("mistral");
}

/// `cargo clippy --all-targets -- -D warnings` of the generated crate
/// `krate` passes.
fn assert_clippy_clean(krate: &str) {
    let status = Command::new(env!("CARGO"))
        .args(["clippy", "--quiet", "--all-targets", "--manifest-path"])
        .arg(
            root()
                .join("target/generated-clients")
                .join(krate)
                .join("Cargo.toml"),
        )
        .args(["--", "-D", "warnings"])
        .env(
            "CARGO_TARGET_DIR",
            root().join("target/generated-clients/target"),
        )
        .status()
        .expect("run cargo clippy");
    assert!(status.success(), "`{krate}` is not clippy-clean");
}

/// The generator's `responses` snapshot fixture, used for real.
#[test]
#[ignore = "builds a generated crate; `cargo xtask test-clients` runs it"]
fn responses_client() {
    let spec = root().join("generator/tests/fixtures/ok/responses.yaml");
    run_client_tests("responses", &spec, &[], None);
}

/// The generator's `bodies-and-query-styles` snapshot fixture, used for real.
#[test]
#[ignore = "builds a generated crate; `cargo xtask test-clients` runs it"]
fn bodies_client() {
    let spec = root().join("generator/tests/fixtures/ok/bodies-and-query-styles.yaml");
    run_client_tests("bodies", &spec, &[], None);
}

/// The same program against the crate generated with `[client] middleware`:
/// multipart and raw bodies go through `reqwest_middleware`'s builder.
#[test]
#[ignore = "builds a generated crate; `cargo xtask test-clients` runs it"]
fn bodies_client_with_middleware() {
    let spec = root().join("generator/tests/fixtures/ok/bodies-and-query-styles.yaml");
    let mut config = generator::Config::default();
    config.client.middleware = true;
    run_client_tests_with("bodies", "bodies-middleware", &spec, &[], config);
}

/// The generator's 3.2 snapshot fixtures, used for real: a union with a
/// discriminator decodes by its property; `query` and
/// `additionalOperations` go out with their methods; a `querystring`
/// parameter is the whole query string.
#[test]
#[ignore = "builds generated crates; `cargo xtask test-clients` runs it"]
fn v32_clients() {
    for (name, fixture) in [
        ("v32-discriminator", "discriminator.yaml"),
        ("v32-methods", "methods.yaml"),
        ("v32-querystring", "querystring.yaml"),
    ] {
        let spec = root().join("generator/tests/fixtures/v32").join(fixture);
        run_client_tests(name, &spec, &[], None);
    }
}

/// The generator's `security` snapshot fixture, used for real.
#[test]
#[ignore = "builds a generated crate; `cargo xtask test-clients` runs it"]
fn security_client() {
    let spec = root().join("generator/tests/fixtures/ok/security.yaml");
    run_client_tests("security", &spec, &[], None);
}

/// The generator's `formats-in-builders` snapshot fixture (split by tag),
/// used for real: `format: byte`, `date`, `date-time` and `uuid` values that
/// only builders spell out. With every feature the test program runs; each
/// tag alone, and all of them, check without warnings (`types::Base64` is
/// gated by the one tag that uses it).
#[test]
#[ignore = "builds a generated crate; `cargo xtask test-clients` runs it"]
fn formats_client() {
    let spec = root().join("generator/tests/fixtures/ok/formats-in-builders.yaml");
    // The snapshot's own config (`split = "on"`).
    let text = std::fs::read_to_string(spec.with_extension("toml")).expect("fixture config");
    let mut diags = generator::Diagnostics::default();
    let config = generator::Config::parse(&text, "formats-in-builders.toml", &mut diags)
        .unwrap_or_else(|| panic!("{diags}"));
    run_client_tests_with("formats", "formats", &spec, &[], config);
    for features in [
        &["files"][..],
        &["times"],
        &["plain"],
        &["files", "plain", "times"],
    ] {
        assert_checks_cleanly("formats", features);
    }
}

/// The generator's `formats-in-error-bodies` snapshot fixture, used for
/// real: error bodies that are a whole `format: byte` or `date-time` value.
#[test]
#[ignore = "builds a generated crate; `cargo xtask test-clients` runs it"]
fn error_formats_client() {
    let spec = root().join("generator/tests/fixtures/ok/formats-in-error-bodies.yaml");
    run_client_tests("error-formats", &spec, &[], None);
}

/// GitHub's own description, `repos` feature only: one-line calls compile,
/// in the test program and in the crate documentation's example (a doc
/// test calling `repos/list-for-org` with only `org`, then with `per_page`
/// and `sort`).
#[test]
#[ignore = "builds a generated crate; `cargo xtask test-clients` runs it"]
fn github_client_repos_calls() {
    let spec = root().join("../shared/corpus/big/api.github.com.json");
    let example = generator::config::ExampleConfig {
        operation: "repos/list-for-org".to_owned(),
        setters: vec!["per_page".to_owned(), "sort".to_owned()],
    };
    run_client_tests(
        "github",
        &spec,
        &["--no-default-features", "--features", "repos"],
        Some(example),
    );
    // Helpers only other tags use are compiled out with them.
    assert_checks_cleanly("github", &["repos"]);
    let lib = std::fs::read_to_string(root().join("target/generated-clients/github/src/lib.rs"))
        .expect("lib.rs");
    for call in [
        r#"client.repos_list_for_org(\"org\").await?;"#,
        r#".per_page(10)"#,
        r#".sort(github_client::types::ReposListForOrgSort::"#,
    ] {
        assert!(lib.contains(call), "the example lacks `{call}`:\n{lib}");
    }
}
