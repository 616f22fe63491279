//! `cargo xtask codegen`: regenerates the checked-in crates ([`TARGETS`]:
//! `generated-client/` from `specs/`, and the README's paging example),
//! writing only files whose content changed, and prints what changed in
//! each crate's public API (compared with its `public-api.toml`; `--json`
//! prints the same as JSON on stdout). With `--check` it writes nothing and
//! fails, naming the stale files and the command to run.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use generator::write;

pub use generator::write::Mode;

/// The command that regenerates the client; named in every file header.
pub const COMMAND: &str = "cargo xtask codegen";

pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// A checked-in generated crate: its specs (a folder or a file), its
/// generator config, and the folder it is written to.
#[derive(Debug)]
pub struct Target {
    pub specs: &'static str,
    pub config: &'static str,
    pub out: &'static str,
}

/// Every crate `cargo xtask codegen` keeps up to date.
pub const TARGETS: &[Target] = &[
    Target {
        specs: "specs",
        config: "specs/codegen.toml",
        out: "generated-client",
    },
    // The paginated API the README's stream example uses.
    Target {
        specs: "examples/paging.yaml",
        config: "examples/paging.toml",
        out: "examples/paging-client",
    },
    // The streamed API the README's streaming example uses.
    Target {
        specs: "examples/streaming.yaml",
        config: "examples/streaming.toml",
        out: "examples/streaming-client",
    },
];

/// What a run did.
#[derive(Debug)]
pub struct Summary {
    pub operations: usize,
    pub types: usize,
    pub report: write::Report,
    pub warnings: Vec<String>,
    /// What changed in the crate's public API since what is on disk.
    pub changes: generator::changes::Report,
}

/// Runs the generator for one target, with writer options (`--force`).
pub fn run_with(
    target: &Target,
    mode: Mode,
    write_options: write::Options,
) -> Result<Summary, String> {
    let root = project_root();
    std::env::set_current_dir(&root).map_err(|e| format!("{}: {e}", root.display()))?;
    let generated = generator::Builder::new()
        .spec(target.specs)
        .config(target.config)
        .command(COMMAND)
        .generate()
        .map_err(|f| f.to_string())?;
    let output = generated.output;
    let previous = generator::source::previous_api(Path::new(target.out))
        .map_err(|e| format!("{}: {e}", target.out))?;
    let changes = output.changes(previous.as_deref());
    let report = write::write_with(Path::new(target.out), &output.files, mode, write_options)
        .map_err(|e| format!("{}: {e}", target.out))?;
    Ok(Summary {
        operations: output.operations,
        types: output.types,
        report,
        warnings: output
            .diagnostics
            .sorted()
            .iter()
            .map(|d| d.to_string())
            .collect(),
        changes,
    })
}

/// How the change report is printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Print {
    /// Also as JSON on stdout (one document per target, in a list).
    pub json: bool,
}

pub fn main(mode: Mode, options: write::Options, print: Print) -> ExitCode {
    let mut ok = true;
    let mut reports = Vec::new();
    for target in TARGETS {
        let (good, changes) = one(target, mode, options);
        ok &= good;
        if let Some(c) = changes {
            let mut json = c.json();
            json["crate"] = target.out.into();
            reports.push(json);
        }
    }
    if print.json {
        println!("{:#}", serde_json::Value::Array(reports));
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Regenerates (or checks) one target, reporting on stderr; its change
/// report when it generated.
fn one(
    target: &Target,
    mode: Mode,
    options: write::Options,
) -> (bool, Option<generator::changes::Report>) {
    let out = target.out;
    let summary = match run_with(target, mode, options) {
        Ok(s) => s,
        Err(e) => {
            eprint!("{e}");
            if !e.ends_with('\n') {
                eprintln!();
            }
            eprintln!("codegen of {out} failed");
            return (false, None);
        }
    };
    for w in &summary.warnings {
        eprintln!("{w}");
    }
    eprintln!(
        "{out}: API changes since {out}/{}:",
        generator::public_api::FILE
    );
    eprint!("{}", summary.changes.text());
    let changes = Some(summary.changes.clone());
    let r = &summary.report;
    let stale = r.stale();
    if mode == Mode::Check && !stale.is_empty() {
        eprintln!("{out} is stale:");
        for f in &stale {
            eprintln!("  {out}/{f}");
        }
        eprintln!("run `{COMMAND}` to update it");
        return (false, changes);
    }
    let check = mode == Mode::Check;
    if !check {
        for f in &r.removed {
            eprintln!("removed {out}/{f} (generated earlier, no longer produced)");
        }
    }
    eprintln!(
        "codegen {}: {out}: {} operations, {} types, {} files written, {} unchanged, {} removed, {} warnings",
        if check { "up to date" } else { "done" },
        summary.operations,
        summary.types,
        if check { 0 } else { r.written.len() },
        r.unchanged.len(),
        if check { 0 } else { r.removed.len() },
        summary.warnings.len()
    );
    (true, changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plain `cargo test` catches a stale checked-in client.
    #[test]
    fn generated_crates_are_up_to_date() {
        for target in TARGETS {
            let summary = run_with(target, Mode::Check, write::Options::default())
                .unwrap_or_else(|e| panic!("codegen of {} failed:\n{e}", target.out));
            let stale = summary.report.stale();
            assert!(
                stale.is_empty(),
                "{} is stale ({stale:?}); run `{COMMAND}`",
                target.out
            );
        }
    }
}
