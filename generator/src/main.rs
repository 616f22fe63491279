//! `generator`: turns OpenAPI descriptions into a client crate on disk.
//!
//! Arguments are parsed with clap ([`cli`]); reading, generating and writing
//! go through the library's [`generator::Builder`]; diagnostics are shown
//! rustc-style with their source line ([`report`]).

mod cli;
mod report;

/// Generation allocates many small strings and token trees; see BENCHMARKS.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use generator::Builder;
use generator::inspect::Inspection;
use generator::write::Mode;

use cli::{Input, Run};

/// Warnings of one kind shown before the rest are counted (`--verbose`: all).
const SHOWN_PER_KIND: usize = 5;

/// Exit status of usage errors and failed generation (clap uses it too).
const FAILED: u8 = 2;

fn main() -> ExitCode {
    let run = cli::Cli::parse().run();
    match &run {
        Run::Generate {
            input,
            out,
            check,
            options,
        } => generate(&run, input, out, *check, options),
        Run::Inspect { input, json } => inspect(&run, input, *json),
    }
}

/// Progress lines, shown only to a person watching.
fn progress(message: &str) {
    if std::io::stderr().is_terminal() {
        eprintln!("{message}");
    }
}

fn builder(run: &Run, input: &Input) -> Builder {
    let mut b = Builder::new().command(run.command());
    for spec in &input.specs {
        b = b.spec(spec);
    }
    if let Some(c) = &input.config {
        b = b.config(c);
    }
    for o in &input.overlays {
        b = b.overlay(o);
    }
    if let Some(n) = &input.name {
        b = b.name(n);
    }
    b
}

fn generate(
    run: &Run,
    input: &Input,
    out: &std::path::Path,
    check: bool,
    options: &cli::CrateOptions,
) -> ExitCode {
    let started = Instant::now();
    let mode = if check { Mode::Check } else { Mode::Write };
    let builder = builder(run, input).standalone(!options.in_workspace);
    progress(&format!("reading {} spec path(s)", input.specs.len()));
    if let Some(config) = builder.config_path() {
        progress(&format!("config: {}", config.display()));
    }
    // The description the crate on disk was generated with, read before
    // writing replaces it.
    let previous = match generator::source::previous_api(out) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {}: {e}", out.display());
            return ExitCode::from(FAILED);
        }
    };
    progress("generating");
    let (generated, report) = match builder.write_crate(out, mode) {
        Ok(r) => r,
        Err(failure) => {
            report::all(&failure.diagnostics, input, usize::MAX);
            eprintln!(
                "generation failed: {} error(s)",
                failure.diagnostics.errors().count()
            );
            return ExitCode::from(FAILED);
        }
    };
    let output = &generated.output;
    let limit = if input.verbose {
        usize::MAX
    } else {
        SHOWN_PER_KIND
    };
    report::all(&output.diagnostics, input, limit);
    let changes = output.changes(previous.as_deref());
    eprintln!(
        "API changes since {}:",
        out.join(generator::public_api::FILE).display()
    );
    eprint!("{}", changes.text());
    if options.json {
        println!("{:#}", changes.json());
    }
    let elapsed = started.elapsed();
    let stale = report.stale();
    if mode == Mode::Check && !stale.is_empty() {
        eprintln!("{} is stale:", out.display());
        for f in &stale {
            eprintln!("  {f}");
        }
        eprintln!("run `{}` to update it", run.command());
        return ExitCode::FAILURE;
    }
    let t = &output.timings;
    let checking = mode == Mode::Check;
    eprintln!(
        "{}: {} operations, {} types, {} warnings; {} files written, {} unchanged, {} removed; {} ms (parse {} ms, merge {} ms, lower {} ms, emit+format {} ms)",
        if checking { "up to date" } else { "done" },
        output.operations,
        output.types,
        output.diagnostics.warnings().count(),
        if checking { 0 } else { report.written.len() },
        report.unchanged.len(),
        if checking { 0 } else { report.removed.len() },
        elapsed.as_millis(),
        t.parse.as_millis(),
        t.merge.as_millis(),
        t.lower.as_millis(),
        t.emit_format.as_millis(),
    );
    eprintln!("fidelity: {}", output.fidelity.summary());
    if options.fidelity {
        for line in output.fidelity.details() {
            eprintln!("  {line}");
        }
    }
    // The process ends here: freeing the spec, the model and the files an
    // allocation at a time costs more than the exit that frees them at once.
    std::mem::forget(generated);
    ExitCode::SUCCESS
}

fn inspect(run: &Run, input: &Input, json: bool) -> ExitCode {
    let generated = match builder(run, input).generate() {
        Ok(g) => g,
        Err(failure) => {
            report::all(&failure.diagnostics, input, usize::MAX);
            return ExitCode::from(FAILED);
        }
    };
    let inspection = Inspection::new(&generated.output.model, &generated.output.diagnostics);
    if json {
        match serde_json::to_string_pretty(&inspection) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(FAILED);
            }
        }
    } else {
        print!("{}", inspection.text());
        let limit = if input.verbose {
            usize::MAX
        } else {
            SHOWN_PER_KIND
        };
        report::all(&generated.output.diagnostics, input, limit);
    }
    ExitCode::SUCCESS
}
