//! `cargo xtask codegen`: regenerates `generated-client/` from `specs/`,
//! writing only files whose content changed. With `--check` it writes
//! nothing and fails, naming the stale files and the command to run.

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

/// What a run did.
#[derive(Debug)]
pub struct Summary {
    pub operations: usize,
    pub types: usize,
    pub report: write::Report,
    pub warnings: Vec<String>,
}

/// Runs the generator over `specs/` into `generated-client/`, with writer
/// options (`--force`).
pub fn run_with(mode: Mode, write_options: write::Options) -> Result<Summary, String> {
    let root = project_root();
    std::env::set_current_dir(&root).map_err(|e| format!("{}: {e}", root.display()))?;
    let specs = Path::new("specs");
    let sources = generator::source::load(&[specs.to_path_buf()]).map_err(|e| e.to_string())?;
    let config_path = specs.join("codegen.toml");
    let mut diags = generator::Diagnostics::default();
    let config = match std::fs::read_to_string(&config_path) {
        Ok(text) => generator::Config::parse(&text, &config_path.display().to_string(), &mut diags)
            .ok_or_else(|| diags.to_string())?,
        Err(_) => generator::Config::default(),
    };
    let options = generator::Options {
        command: COMMAND.to_owned(),
    };
    let output = generator::generate(&sources, &config, &options).map_err(|d| d.to_string())?;
    let report = write::write_with(
        Path::new("generated-client"),
        &output.files,
        mode,
        write_options,
    )
    .map_err(|e| format!("generated-client: {e}"))?;
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
    })
}

pub fn main(mode: Mode, options: write::Options) -> ExitCode {
    let summary = match run_with(mode, options) {
        Ok(s) => s,
        Err(e) => {
            eprint!("{e}");
            if !e.ends_with('\n') {
                eprintln!();
            }
            eprintln!("codegen failed");
            return ExitCode::FAILURE;
        }
    };
    for w in &summary.warnings {
        eprintln!("{w}");
    }
    let r = &summary.report;
    let stale = r.stale();
    if mode == Mode::Check && !stale.is_empty() {
        eprintln!("generated-client is stale:");
        for f in &stale {
            eprintln!("  generated-client/{f}");
        }
        eprintln!("run `{COMMAND}` to update it");
        return ExitCode::FAILURE;
    }
    if mode == Mode::Write {
        for f in &r.removed {
            eprintln!("removed generated-client/{f} (generated earlier, no longer produced)");
        }
    }
    let verb = if mode == Mode::Check {
        "up to date"
    } else {
        "done"
    };
    eprintln!(
        "codegen {verb}: {} operations, {} types, {} files written, {} unchanged, {} removed, {} warnings",
        summary.operations,
        summary.types,
        if mode == Mode::Check {
            0
        } else {
            r.written.len()
        },
        r.unchanged.len(),
        if mode == Mode::Check {
            0
        } else {
            r.removed.len()
        },
        summary.warnings.len()
    );
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plain `cargo test` catches a stale checked-in client.
    #[test]
    fn generated_client_is_up_to_date() {
        let summary = run_with(Mode::Check, write::Options::default())
            .unwrap_or_else(|e| panic!("codegen failed:\n{e}"));
        let stale = summary.report.stale();
        assert!(
            stale.is_empty(),
            "generated-client is stale ({stale:?}); run `{COMMAND}`"
        );
    }
}
