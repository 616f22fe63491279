//! Generates an API's client crate and its conformance program into the
//! scratch workspace `target/conformance/`.

use std::path::{Path, PathBuf};

use super::Api;
use crate::codegen::project_root;

/// The scratch workspace all conformance crates share (one lockfile).
pub fn workspace() -> PathBuf {
    project_root().join("target/conformance")
}

/// The cargo target dir of the scratch workspace: `$CARGO_TARGET_DIR/conformance`
/// when set, else `target/conformance/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            let dir = if dir.is_absolute() {
                dir
            } else {
                project_root().join(dir)
            };
            dir.join("conformance")
        }
        None => workspace().join("target"),
    }
}

/// Generates `api`'s client into `target/conformance/<name>-client`.
pub fn client(api: &Api) -> Result<usize, String> {
    let root = project_root();
    let spec = root.join(api.spec);
    let sources = generator::source::load(std::slice::from_ref(&spec))
        .map_err(|e| format!("{}: {e}", spec.display()))?;
    let mut config = generator::Config::default();
    config.package.name = Some(format!("{}-client", api.name));
    let options = generator::Options {
        command: "cargo xtask conformance".to_owned(),
    };
    let out = generator::generate(&sources, &config, &options).map_err(|d| d.to_string())?;
    let krate = workspace().join(format!("{}-client", api.name));
    generator::write::write(&krate, &out.files, generator::write::Mode::Write)
        .map_err(|e| format!("{}: {e}", krate.display()))?;
    Ok(out.operations)
}

/// Writes the conformance program's crate (`<name>-conformance`): its
/// manifest and the sources from `xtask/conformance/`.
pub fn program(api: &Api) -> Result<(), String> {
    let root = project_root();
    let dir = workspace().join(format!("{}-conformance", api.name));
    let src = dir.join("src");
    std::fs::create_dir_all(&src).map_err(|e| format!("{}: {e}", src.display()))?;
    let features = api
        .features
        .iter()
        .map(|f| format!("{f:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    let manifest = format!(
        r#"# Written by `cargo xtask conformance`.
[package]
name = "{name}-conformance"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
{name}-client = {{ path = "../{name}-client", default-features = false, features = [{features}] }}
tokio = {{ version = "1", features = ["macros", "rt-multi-thread", "net", "time"] }}
futures-util = "0.3"
reqwest = {{ version = "0.12", default-features = false, features = ["json", "rustls-tls"] }}
serde_json = "1"
chrono = {{ version = "0.4", default-features = false, features = ["serde"] }}
"#,
        name = api.name
    );
    write_if_changed(&dir.join("Cargo.toml"), &manifest)?;
    for (from, to) in [("harness.rs", "harness.rs"), (api.program, "main.rs")] {
        let from = root.join("xtask/conformance").join(from);
        let text =
            std::fs::read_to_string(&from).map_err(|e| format!("{}: {e}", from.display()))?;
        write_if_changed(&src.join(to), &text)?;
    }
    Ok(())
}

/// The workspace manifest naming the crates of this run.
pub fn workspace_manifest(apis: &[&Api]) -> Result<(), String> {
    let members: Vec<String> = apis
        .iter()
        .flat_map(|a| {
            [
                format!("{:?}", format!("{}-client", a.name)),
                format!("{:?}", format!("{}-conformance", a.name)),
            ]
        })
        .collect();
    let text = format!(
        "# Written by `cargo xtask conformance`.\n[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n[profile.dev]\ndebug = false\n\n[profile.dev.package.\"*\"]\nopt-level = 1\n",
        members.join(", ")
    );
    write_if_changed(&workspace().join("Cargo.toml"), &text)
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}
