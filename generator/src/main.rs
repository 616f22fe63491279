//! `generator`: turns OpenAPI descriptions into a client crate on disk.
//!
//! Arguments are parsed by hand (see [`cli`]); the pipeline is the library's.

mod cli;

/// Generation allocates many small strings and token trees; see BENCHMARKS.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use generator::write::{self, Mode};
use generator::{Config, Diagnostics};

use cli::Args;

/// Warnings of one kind shown before the rest are counted (`--verbose`: all).
const SHOWN_PER_KIND: usize = 5;

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let args = match cli::parse(&argv) {
        Ok(cli::Parsed::Run(a)) => a,
        Ok(cli::Parsed::Help) => {
            print!("{}", cli::HELP);
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("run `generator --help` for usage");
            return ExitCode::from(2);
        }
    };
    run(&args)
}

fn run(args: &Args) -> ExitCode {
    let started = Instant::now();
    let mode = if args.check { Mode::Check } else { Mode::Write };
    eprintln!("reading {} spec path(s)", args.specs.len());
    let sources = match generator::source::load(&args.specs) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    eprintln!("read {} file(s)", sources.len());

    let config = match load_config(args) {
        Ok(c) => c,
        Err(e) => {
            eprint!("{e}");
            return ExitCode::from(2);
        }
    };
    let options = generator::Options {
        command: args.command(),
    };
    eprintln!("generating");
    let output = match generator::generate(&sources, &config, &options) {
        Ok(o) => o,
        Err(diags) => {
            eprint!("{diags}");
            eprintln!("generation failed: {} error(s)", diags.errors().count());
            return ExitCode::from(2);
        }
    };
    let warnings = output.diagnostics.sorted();
    let limit = if args.verbose {
        usize::MAX
    } else {
        SHOWN_PER_KIND
    };
    for line in output.diagnostics.summarised(limit) {
        eprintln!("{line}");
    }
    let report = match write::write(&args.out, &output.files, mode) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {}: {e}", args.out.display());
            return ExitCode::from(2);
        }
    };
    let elapsed = started.elapsed();
    let stale = report.stale();
    if mode == Mode::Check && !stale.is_empty() {
        eprintln!("{} is stale:", args.out.display());
        for f in &stale {
            eprintln!("  {f}");
        }
        eprintln!(
            "run `{}` to update it",
            options.command.replace(" --check", "")
        );
        return ExitCode::FAILURE;
    }
    let t = &output.timings;
    eprintln!(
        "{}: {} operations, {} types, {} warnings; {} files written, {} unchanged, {} removed; {} ms (parse {} ms, merge {} ms, lower {} ms, emit+format {} ms)",
        if mode == Mode::Check {
            "up to date"
        } else {
            "done"
        },
        output.operations,
        output.types,
        warnings.len(),
        if mode == Mode::Check {
            0
        } else {
            report.written.len()
        },
        report.unchanged.len(),
        if mode == Mode::Check {
            0
        } else {
            report.removed.len()
        },
        elapsed.as_millis(),
        t.parse.as_millis(),
        t.merge.as_millis(),
        t.lower.as_millis(),
        t.emit_format.as_millis(),
    );
    eprintln!("fidelity: {}", output.fidelity.summary());
    if args.fidelity {
        for line in output.fidelity.details() {
            eprintln!("  {line}");
        }
    }
    ExitCode::SUCCESS
}

/// The config named by `--config`, else `codegen.toml` in the first spec
/// folder, else the default; then the command-line overrides.
fn load_config(args: &Args) -> Result<Config, String> {
    let path: Option<PathBuf> = args.config.clone().or_else(|| {
        let first = args.specs.first()?;
        let candidate = first.join("codegen.toml");
        (first.is_dir() && candidate.is_file()).then_some(candidate)
    });
    let mut config = match &path {
        Some(p) => {
            let text =
                std::fs::read_to_string(p).map_err(|e| format!("error: {}: {e}\n", p.display()))?;
            let mut diags = Diagnostics::default();
            Config::parse(&text, &p.display().to_string(), &mut diags)
                .ok_or_else(|| diags.to_string())?
        }
        None => Config::default(),
    };
    if let Some(p) = &path {
        eprintln!("config: {}", p.display());
    }
    if let Some(name) = &args.name {
        config.package.name = Some(name.clone());
    }
    if !args.in_workspace {
        standalone(&mut config);
    }
    Ok(config)
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
