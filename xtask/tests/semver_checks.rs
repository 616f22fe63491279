//! The change report against `cargo-semver-checks`, which reads the
//! rustdoc of two versions of a crate and lints the differences by Rust's
//! semver rules: the seed client (`specs/`) is generated as it is, then
//! with one hand-made spec edit at a time; for each edit, what the report
//! says (breaking or compatible) must be what `cargo semver-checks`
//! finds (a break, or nothing).
//!
//! `cargo-semver-checks` has no lint for a field whose type changes (it
//! compares items, not their types); for that edit a witness, user code
//! that compiles against the seed's client, must stop compiling.
//!
//! It builds the crate's rustdoc twice per edit (about two minutes for the
//! ten edits on two cores), so it is `#[ignore]`d; `cargo xtask
//! test-semver` runs it:
//!
//! ```text
//! cargo install cargo-semver-checks --locked
//! cargo test -p xtask --test semver_checks -- --ignored --nocapture
//! ```
//!
//! Without `cargo-semver-checks` on the `PATH` the test says so and fails
//! (set `SEMVER_CHECKS_OPTIONAL=1` to let it pass instead, as CI does where
//! the tool is not installed).

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn scratch() -> PathBuf {
    root().join("target/semver-checks")
}

/// The seed's config, as a standalone crate at version 1.0.0 (so that
/// "breaking" and "compatible" are a major and a minor release).
fn config() -> generator::Config {
    let text = std::fs::read_to_string(root().join("specs/codegen.toml")).expect("config");
    let mut diags = generator::Diagnostics::default();
    let mut config = generator::Config::parse(&text, "specs/codegen.toml", &mut diags)
        .unwrap_or_else(|| panic!("{diags}"));
    config.package.name = Some("seed-client".into());
    config.package.version = Some("1.0.0".into());
    config.manifest = toml::from_str("[workspace]").expect("manifest");
    config
}

/// Generates the seed text into `target/semver-checks/<name>`; the report
/// of its changes since `baseline` (the description of the baseline crate).
fn generate(name: &str, seed: &str, baseline: Option<&str>) -> generator::changes::Report {
    let sources = vec![generator::SourceFile {
        name: "specs/customer-auth.md".into(),
        text: seed.to_owned(),
    }];
    let options = generator::Options {
        command: "cargo test -p xtask --test semver_checks".into(),
    };
    let out = generator::generate(&sources, &config(), &options)
        .unwrap_or_else(|d| panic!("{name}: {d}"));
    let dir = scratch().join(name);
    generator::write::write(&dir, &out.files, generator::write::Mode::Write).expect("write crate");
    out.changes(baseline)
}

/// What `cargo semver-checks` finds: the lints that failed (empty: none).
fn semver_checks(name: &str) -> Vec<String> {
    let output = Command::new(env!("CARGO"))
        .args([
            "semver-checks",
            "check-release",
            "--color",
            "never",
            "--release-type",
            "minor",
        ])
        .arg("--manifest-path")
        .arg(scratch().join(name).join("Cargo.toml"))
        .arg("--baseline-root")
        .arg(scratch().join("baseline"))
        .env("CARGO_TARGET_DIR", scratch().join("target"))
        .output()
        .expect("run cargo semver-checks");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let failed: Vec<String> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("--- failure "))
        .map(|l| {
            l.trim_end_matches(':')
                .split(':')
                .next()
                .unwrap_or(l)
                .trim()
                .to_owned()
        })
        .collect();
    assert!(
        output.status.success() || !failed.is_empty(),
        "{name}: cargo semver-checks failed without naming a lint:\n{text}"
    );
    failed
}

/// One hand-made edit of the seed.
struct Edit {
    name: &'static str,
    apply: fn(&str) -> String,
    /// User code that compiles against the seed's client and, where the
    /// edit breaks it, not against the edited one: for the breaks
    /// `cargo-semver-checks` has no lint for (a field's type changing).
    witness: Option<&'static str>,
}

/// Whether `code` compiles against the crate `target/semver-checks/<name>`.
fn compiles(name: &str, code: &str) -> bool {
    let dir = scratch().join(format!("witness-{name}"));
    std::fs::create_dir_all(dir.join("src")).expect("witness dir");
    let manifest = format!(
        "[package]\nname = \"witness-{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n\
         [dependencies]\nseed-client = {{ path = \"../{name}\" }}\n\n[workspace]\n"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("witness manifest");
    std::fs::write(dir.join("src/lib.rs"), code).expect("witness code");
    Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", scratch().join("target"))
        .output()
        .is_ok_and(|o| o.status.success())
}

const LOGIN_NAME: &str =
    r#""loginName":{"type":"string","description":"Account: Email/Phone Number"}"#;
const LOGIN_REQUIRED: &str = r#""required":["type","device","loginName","isThird"]"#;
const CUSTOMER_ID: &str = r#""id":{"type":"integer","format":"int64","description":"Customer ID"}"#;
const CUSTOMER_NO: &str = r#""customerNo":{"type":"string","description":"Customer account"},"#;

fn edits() -> Vec<Edit> {
    vec![
        Edit {
            name: "unchanged",
            apply: |s| s.to_owned(),
            witness: None,
        },
        Edit {
            name: "request-field-optional",
            apply: |s| {
                s.replacen(
                    LOGIN_NAME,
                    &format!(r#"{LOGIN_NAME},"referrer":{{"type":"string"}}"#),
                    1,
                )
            },
            witness: None,
        },
        Edit {
            name: "request-field-required",
            apply: |s| {
                s.replacen(
                    LOGIN_NAME,
                    &format!(r#"{LOGIN_NAME},"referrer":{{"type":"string"}}"#),
                    1,
                )
                .replacen(
                    LOGIN_REQUIRED,
                    r#""required":["type","device","loginName","isThird","referrer"]"#,
                    1,
                )
            },
            witness: None,
        },
        Edit {
            name: "request-field-now-optional",
            apply: |s| {
                s.replacen(
                    LOGIN_REQUIRED,
                    r#""required":["type","device","loginName"]"#,
                    1,
                )
            },
            witness: None,
        },
        Edit {
            name: "response-field-added",
            apply: |s| {
                s.replacen(
                    CUSTOMER_ID,
                    &format!(r#"{CUSTOMER_ID},"nickname":{{"type":"string"}}"#),
                    1,
                )
            },
            witness: None,
        },
        Edit {
            name: "response-field-removed",
            apply: |s| s.replacen(CUSTOMER_NO, "", 1),
            witness: None,
        },
        Edit {
            name: "response-field-type-changed",
            apply: |s| {
                s.replacen(
                    CUSTOMER_ID,
                    r#""id":{"type":"string","description":"Customer ID"}"#,
                    1,
                )
            },
            witness: Some(
                "pub fn id(data: seed_client::types::LoginData) -> Option<i64> {\n    data.id\n}\n",
            ),
        },
        Edit {
            name: "optional-parameter-added",
            apply: |s| {
                s.replacen(
                    r#""parameters":["#,
                    r#""parameters":[{"name":"promo","in":"query","required":false,"schema":{"type":"string"}},"#,
                    1,
                )
            },
            witness: None,
        },
        Edit {
            name: "operation-added",
            apply: |s| {
                format!(
                    "{s}\n## Ping\n\n```json\n{}\n```\n",
                    r#"{"openapi":"3.0.1","info":{"title":"Default module","version":"1.0.0"},"paths":{"/thirdExt/ping":{"get":{"operationId":"ping","responses":{"200":{"description":"OK","content":{"text/plain":{"schema":{"type":"string"}}}}}}}}}"#
                )
            },
            witness: None,
        },
        Edit {
            name: "operation-removed",
            apply: |s| {
                let start = s
                    .find("## POST /thirdExt/switchAccount")
                    .expect("switchAccount section");
                let end = start + s[start..].find("\n## ").expect("next section") + 1;
                format!("{}{}", &s[..start], &s[end..])
            },
            witness: None,
        },
    ]
}

#[test]
#[ignore = "builds rustdoc of generated crates with cargo-semver-checks; `cargo xtask test-semver`"]
fn report_agrees_with_cargo_semver_checks() {
    let present = Command::new(env!("CARGO"))
        .args(["semver-checks", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !present {
        let optional = std::env::var_os("SEMVER_CHECKS_OPTIONAL").is_some();
        eprintln!(
            "cargo-semver-checks is not installed: `cargo install cargo-semver-checks --locked`"
        );
        assert!(
            optional,
            "cargo-semver-checks is needed (SEMVER_CHECKS_OPTIONAL=1 skips this test)"
        );
        return;
    }
    let seed = std::fs::read_to_string(root().join("specs/customer-auth.md")).expect("seed");
    generate("baseline", &seed, None);
    let baseline =
        std::fs::read_to_string(scratch().join("baseline").join(generator::public_api::FILE))
            .expect("baseline description");
    let mut disagreements = Vec::new();
    for edit in edits() {
        let text = (edit.apply)(&seed);
        assert!(
            edit.name == "unchanged" || text != seed,
            "{}: the edit changed nothing",
            edit.name
        );
        let report = generate(edit.name, &text, Some(&baseline));
        let mut lints = semver_checks(edit.name);
        if let Some(code) = edit.witness {
            assert!(
                compiles("baseline", code),
                "{}: the witness does not compile against the seed",
                edit.name
            );
            if !compiles(edit.name, code) {
                lints.push("(witness no longer compiles)".to_owned());
            }
        }
        let verdict = report.verdict();
        eprintln!(
            "{:<28} report: {:>2} change(s), {} breaking; cargo-semver-checks: {}",
            edit.name,
            report.changes.len(),
            verdict.breaking,
            if lints.is_empty() {
                "no break".to_owned()
            } else {
                lints.join(", ")
            }
        );
        for c in &report.changes {
            eprintln!(
                "    {} {}: {} ({})",
                if c.breaking {
                    "breaking  "
                } else {
                    "compatible"
                },
                c.what.label(),
                c.item,
                c.detail
            );
        }
        let found_break = !lints.is_empty();
        if (verdict.breaking > 0) != found_break {
            disagreements.push(edit.name);
        }
    }
    assert!(
        disagreements.is_empty(),
        "the report and cargo-semver-checks disagree on {disagreements:?}"
    );
}
