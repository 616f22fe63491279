//! Compiling the corpus workspace once and attributing each compiler message
//! to the member crate it belongs to.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};

use serde::Deserialize;

/// What the compiler said about one member crate.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckResult {
    /// The crate's library was built (an artifact was reported).
    pub built: bool,
    pub errors: usize,
    pub warnings: usize,
    pub first_error: Option<String>,
    pub first_warning: Option<String>,
}

impl CheckResult {
    pub fn compiled(&self) -> bool {
        self.built && self.errors == 0
    }
}

/// The parts of cargo's JSON messages that are read.
#[derive(Deserialize)]
struct Message {
    reason: String,
    #[serde(default)]
    manifest_path: Option<String>,
    #[serde(default)]
    message: Option<Diagnostic>,
}

#[derive(Deserialize)]
struct Diagnostic {
    level: String,
    message: String,
    #[serde(default)]
    spans: Vec<Span>,
}

#[derive(Deserialize)]
struct Span {
    file_name: String,
    line_start: usize,
    is_primary: bool,
}

/// The member folder a manifest path belongs to (`…/<member>/Cargo.toml`).
fn member_of(manifest_path: &str) -> Option<String> {
    let p = Path::new(manifest_path);
    p.parent()?
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
}

/// Folds one line of cargo's JSON output into the results.
pub fn absorb(line: &str, results: &mut BTreeMap<String, CheckResult>) {
    let Ok(msg) = serde_json::from_str::<Message>(line) else {
        return;
    };
    let Some(member) = msg.manifest_path.as_deref().and_then(member_of) else {
        return;
    };
    let Some(entry) = results.get_mut(&member) else {
        return;
    };
    match (msg.reason.as_str(), msg.message) {
        ("compiler-artifact", _) => entry.built = true,
        ("compiler-message", Some(d)) => {
            let at = d
                .spans
                .iter()
                .find(|s| s.is_primary)
                .map(|s| format!("{}:{}: ", s.file_name, s.line_start))
                .unwrap_or_default();
            let text = format!("{at}{}", d.message);
            match d.level.as_str() {
                "error" if d.message.starts_with("aborting due to") => {}
                "error" | "error: internal compiler error" => {
                    entry.errors += 1;
                    entry.first_error.get_or_insert(text);
                }
                "warning"
                    if d.message.contains("warning emitted")
                        || d.message.contains("warnings emitted") => {}
                "warning" => {
                    entry.warnings += 1;
                    entry.first_warning.get_or_insert(text);
                }
                _ => {}
            }
        }
        _ => {}
    }
}

/// Runs `cargo <check|clippy>` over the workspace at `ws` and attributes
/// messages to `members`. Returns the results and cargo's stderr tail (for
/// when cargo itself failed).
pub fn run(
    ws: &Path,
    target: &Path,
    members: &[String],
    clippy: bool,
    jobs: usize,
) -> Result<(BTreeMap<String, CheckResult>, String), String> {
    let mut results: BTreeMap<String, CheckResult> = members
        .iter()
        .map(|m| (m.clone(), CheckResult::default()))
        .collect();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut cmd = Command::new(cargo);
    cmd.arg(if clippy { "clippy" } else { "check" })
        .args([
            "--workspace",
            "--keep-going",
            "--message-format=json",
            "--jobs",
        ])
        .arg(jobs.to_string())
        .current_dir(ws)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if clippy {
        cmd.args(["--", "-W", "clippy::all"]);
    }
    let mut child = cmd.spawn().map_err(|e| format!("cannot run cargo: {e}"))?;
    let mut stderr = child.stderr.take();
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(e) = stderr.as_mut() {
            let _ = e.read_to_string(&mut s);
        }
        s
    });
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            absorb(&line, &mut results);
        }
    }
    let _ = child.wait();
    let stderr = err_reader.join().unwrap_or_default();
    let tail: Vec<&str> = stderr.lines().rev().take(15).collect();
    let tail = tail.into_iter().rev().collect::<Vec<_>>().join("\n");
    Ok((results, tail))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absorb_table() {
        let lines = [
            r#"{"reason":"compiler-artifact","manifest_path":"/ws/a/Cargo.toml"}"#,
            r#"{"reason":"compiler-message","manifest_path":"/ws/b/Cargo.toml","message":{"level":"error","message":"mismatched types","spans":[{"file_name":"src/types.rs","line_start":3,"is_primary":true}]}}"#,
            r#"{"reason":"compiler-message","manifest_path":"/ws/b/Cargo.toml","message":{"level":"error","message":"aborting due to 1 previous error","spans":[]}}"#,
            r#"{"reason":"compiler-message","manifest_path":"/ws/a/Cargo.toml","message":{"level":"warning","message":"unused import","spans":[]}}"#,
            r#"{"reason":"compiler-message","manifest_path":"/ws/a/Cargo.toml","message":{"level":"warning","message":"1 warning emitted","spans":[]}}"#,
            r#"{"reason":"compiler-artifact","manifest_path":"/reg/serde/Cargo.toml"}"#,
            "not json",
        ];
        let mut results: BTreeMap<String, CheckResult> = ["a", "b"]
            .iter()
            .map(|m| ((*m).to_owned(), CheckResult::default()))
            .collect();
        for l in lines {
            absorb(l, &mut results);
        }
        let a = &results["a"];
        assert!(a.compiled());
        assert_eq!((a.errors, a.warnings), (0, 1));
        let b = &results["b"];
        assert!(!b.compiled());
        assert_eq!(b.errors, 1);
        assert_eq!(
            b.first_error.as_deref(),
            Some("src/types.rs:3: mismatched types")
        );
    }
}
