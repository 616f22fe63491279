//! The library mode: a small API that reads specs, a config and overlays,
//! generates the client and writes it, for a `build.rs` or your own tooling.
//! The `generator` command line uses it too.
//!
//! ```no_run
//! // In build.rs (`fn main`) of a crate whose src/lib.rs is
//! // `include!(concat!(env!("OUT_DIR"), "/client.rs"));`:
//! generator::Builder::new()
//!     .spec("openapi.yaml")
//!     .overlay("fixes.yaml")
//!     .build_script();
//! ```
//!
//! [`Builder::build_script`] writes the client as one file,
//! `$OUT_DIR/client.rs` (the crate's modules inlined, see [`crate::bundle`]),
//! prints `cargo:rerun-if-changed` for every file it read (spec files, the
//! folders given, files reached by `$ref`, the config, overlays) and every
//! warning as a `cargo:warning` with its file, line and pointer. Errors are
//! printed the same way and fail the build. The crate name is the including
//! crate's (`CARGO_PKG_NAME`), so the documentation's examples name it.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::write::{self, Mode};
use crate::{Config, Options, Output, SourceFile, generate_with, source};

/// What to generate from: specs, a config, overlays.
#[derive(Clone, Debug, Default)]
pub struct Builder {
    specs: Vec<PathBuf>,
    config: Option<PathBuf>,
    overlays: Vec<PathBuf>,
    name: Option<String>,
    standalone: bool,
    command: Option<String>,
}

/// A generated client and the files read to make it.
#[derive(Debug)]
pub struct Generated {
    pub output: Output,
    /// Every input read: spec files and the folders given, files reached by
    /// `$ref`, the config, overlays (sorted, each once).
    pub inputs: Vec<PathBuf>,
    /// The config file used, if any.
    pub config: Option<PathBuf>,
}

/// Generation failed: the errors (and warnings), and what was read.
#[derive(Debug)]
pub struct Failure {
    pub diagnostics: Diagnostics,
    pub inputs: Vec<PathBuf>,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.diagnostics)
    }
}

impl std::error::Error for Failure {}

impl Builder {
    pub fn new() -> Self {
        Builder::default()
    }

    /// A spec file, or a folder of them (walked recursively); repeatable,
    /// all are merged into one API.
    pub fn spec(mut self, path: impl Into<PathBuf>) -> Self {
        self.specs.push(path.into());
        self
    }

    /// The generator config (`codegen.toml`); by default `codegen.toml` in
    /// the first spec folder, if there is one.
    pub fn config(mut self, path: impl Into<PathBuf>) -> Self {
        self.config = Some(path.into());
        self
    }

    /// An overlay file, applied after the config's overlays and the ones
    /// given before it.
    pub fn overlay(mut self, path: impl Into<PathBuf>) -> Self {
        self.overlays.push(path.into());
        self
    }

    /// The crate name (instead of the config's `package.name` or one made
    /// from the API's title).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Gives the generated `Cargo.toml` an empty `[workspace]` table (unless
    /// the config mentions a workspace), so that a crate written inside
    /// another workspace stays out of it.
    pub fn standalone(mut self, standalone: bool) -> Self {
        self.standalone = standalone;
        self
    }

    /// The command named in the generated files' header.
    pub fn command(mut self, command: impl Into<String>) -> Self {
        self.command = Some(command.into());
        self
    }

    /// The config file that applies: the one given, else `codegen.toml` in
    /// the first spec folder.
    pub fn config_path(&self) -> Option<PathBuf> {
        self.config.clone().or_else(|| {
            let first = self.specs.first()?;
            let candidate = first.join("codegen.toml");
            (first.is_dir() && candidate.is_file()).then_some(candidate)
        })
    }

    /// Reads everything and generates the client in memory.
    pub fn generate(&self) -> Result<Generated, Failure> {
        let mut inputs: Vec<PathBuf> = self.specs.clone();
        let fail = |message: String, inputs: &[PathBuf]| {
            let mut diagnostics = Diagnostics::default();
            diagnostics.error(message, None);
            Failure {
                diagnostics,
                inputs: sorted(inputs.to_vec()),
            }
        };
        let sources = source::load(&self.specs).map_err(|e| fail(e.to_string(), &inputs))?;
        inputs.extend(sources.iter().map(|s| PathBuf::from(&s.name)));

        let config_path = self.config_path();
        let mut config = match &config_path {
            Some(path) => {
                inputs.push(path.clone());
                let file = source::read_file(path)
                    .map_err(|e| fail(format!("{}: {e}", path.display()), &inputs))?;
                let mut diagnostics = Diagnostics::default();
                Config::parse(&file.text, &file.name, &mut diagnostics).ok_or_else(|| Failure {
                    diagnostics,
                    inputs: sorted(inputs.clone()),
                })?
            }
            None => Config::default(),
        };
        if let Some(name) = &self.name {
            config.package.name = Some(name.clone());
        }
        if self.standalone {
            standalone(&mut config);
        }
        let base = config_path
            .as_deref()
            .and_then(Path::parent)
            .unwrap_or(Path::new(""));
        let overlay_paths: Vec<PathBuf> = config
            .overlays
            .iter()
            .map(|o| base.join(o))
            .chain(self.overlays.iter().cloned())
            .collect();
        let mut overlays: Vec<SourceFile> = Vec::new();
        for path in overlay_paths {
            inputs.push(path.clone());
            let file = source::read_file(&path)
                .map_err(|e| fail(format!("overlay {}: {e}", path.display()), &inputs))?;
            overlays.push(file);
        }
        let options = Options {
            command: self
                .command
                .clone()
                .unwrap_or_else(|| "generator".to_owned()),
        };
        match generate_with(&sources, &overlays, &config, &options) {
            Ok(output) => {
                inputs.extend(output.referenced.iter().map(PathBuf::from));
                Ok(Generated {
                    output,
                    inputs: sorted(inputs),
                    config: config_path,
                })
            }
            Err(diagnostics) => Err(Failure {
                diagnostics,
                inputs: sorted(inputs),
            }),
        }
    }

    /// Generates the client and writes it as a crate (`Cargo.toml` and
    /// `src/`) into `dir`: only changed files are written (none in
    /// [`Mode::Check`]).
    pub fn write_crate(
        &self,
        dir: &Path,
        mode: Mode,
    ) -> Result<(Generated, write::Report), Failure> {
        let generated = self.generate()?;
        let report = write::write(dir, &generated.output.files, mode).map_err(|e| {
            let mut diagnostics = Diagnostics::default();
            diagnostics.error(format!("{}: {e}", dir.display()), None);
            Failure {
                diagnostics,
                inputs: generated.inputs.clone(),
            }
        })?;
        Ok((generated, report))
    }

    /// For `build.rs`: writes the client as `client.rs` into `out_dir` and
    /// returns its path and the inputs read.
    pub fn write_bundle(&self, out_dir: &Path) -> Result<(PathBuf, Generated), Failure> {
        let generated = self.generate()?;
        let command = self
            .command
            .clone()
            .unwrap_or_else(|| "generator::Builder (build.rs)".to_owned());
        let failure = |message: String| {
            let mut diagnostics = generated.output.diagnostics.clone();
            diagnostics.error(message, None);
            Failure {
                diagnostics,
                inputs: generated.inputs.clone(),
            }
        };
        let file =
            crate::bundle::bundle(&generated.output.files, BUNDLE, &command).map_err(&failure)?;
        // The folder is the build script's own (cargo's `OUT_DIR`), and holds
        // no crate for the writer to recognise: write into it regardless.
        let options = write::Options { force: true };
        write::write_with(out_dir, std::slice::from_ref(&file), Mode::Write, options)
            .map_err(|e| failure(format!("{}: {e}", out_dir.display())))?;
        Ok((out_dir.join(BUNDLE), generated))
    }

    /// The whole `build.rs`: generates into `$OUT_DIR/client.rs`, tells
    /// cargo what to watch and what went wrong, and exits with status 1 on
    /// errors. The crate name defaults to the including crate's.
    pub fn build_script(self) {
        let builder = match (&self.name, std::env::var("CARGO_PKG_NAME")) {
            (None, Ok(name)) => self.name(name),
            _ => self,
        };
        let Some(out_dir) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
            println!(
                "cargo:warning=generator::Builder::build_script runs in build scripts (OUT_DIR is not set)"
            );
            std::process::exit(1);
        };
        match builder.write_bundle(&out_dir) {
            Ok((_, generated)) => {
                for line in cargo_lines(&generated.inputs, &generated.output.diagnostics) {
                    println!("{line}");
                }
            }
            Err(failure) => {
                for line in cargo_lines(&failure.inputs, &failure.diagnostics) {
                    println!("{line}");
                }
                eprint!("{}", failure.diagnostics);
                std::process::exit(1);
            }
        }
    }
}

/// The file name [`Builder::write_bundle`] writes.
pub const BUNDLE: &str = "client.rs";

fn sorted(mut paths: Vec<PathBuf>) -> Vec<PathBuf> {
    paths.sort();
    paths.dedup();
    paths
}

/// What a build script prints: `cargo:rerun-if-changed=` per input, then
/// each diagnostic as a `cargo:warning=` (cargo shows warnings only; errors
/// say so in their text), with its location and the overlay's.
pub fn cargo_lines(inputs: &[PathBuf], diagnostics: &Diagnostics) -> Vec<String> {
    let mut lines: Vec<String> = inputs
        .iter()
        .map(|p| format!("cargo:rerun-if-changed={}", p.display()))
        .collect();
    lines.extend(diagnostics.sorted().into_iter().map(cargo_warning));
    lines
}

fn cargo_warning(d: &Diagnostic) -> String {
    // One line each: cargo reads a line per instruction.
    let text = d.to_string().replace('\n', " ");
    match d.severity {
        Severity::Error | Severity::Warning => format!("cargo:warning={text}"),
    }
}

/// A standalone crate gets an empty `[workspace]` table so that it does not
/// join a workspace it happens to be written into. A config that refers to a
/// parent workspace (`workspace = true` anywhere) is left alone.
fn standalone(config: &mut Config) {
    let mentions_workspace =
        config.manifest.contains_key("workspace") || refers_to_workspace(&config.manifest);
    if !mentions_workspace {
        config.manifest.insert(
            "workspace".to_owned(),
            toml::Value::Table(toml::Table::new()),
        );
    }
}

fn refers_to_workspace(table: &toml::Table) -> bool {
    table.iter().any(|(k, v)| match v {
        toml::Value::Table(t) => refers_to_workspace(t),
        toml::Value::Boolean(true) => k == "workspace",
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Location;

    #[test]
    fn cargo_lines_name_inputs_and_locations() {
        let mut d = Diagnostics::default();
        d.warning(
            "odd",
            Some(Location {
                file: "api.yaml".into(),
                line: 3,
                pointer: "/paths".into(),
                overlay: Some(Box::new(Location {
                    file: "fix.yaml".into(),
                    line: 7,
                    pointer: "/actions/0/update".into(),
                    overlay: None,
                })),
            }),
        );
        d.error("bad", None);
        let lines = cargo_lines(&[PathBuf::from("api.yaml"), PathBuf::from("fix.yaml")], &d);
        assert_eq!(
            lines,
            [
                "cargo:rerun-if-changed=api.yaml",
                "cargo:rerun-if-changed=fix.yaml",
                "cargo:warning=error: bad",
                "cargo:warning=warning: api.yaml:3 (at #/paths): odd   note: changed by the overlay at fix.yaml:7 (at #/actions/0/update)",
            ]
        );
    }
}
