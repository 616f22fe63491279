//! `cargo xtask corpus`: generates a client for every spec of a folder into
//! one scratch workspace (`target/corpus/ws`, one member per spec, one shared
//! target dir), compiles it with a single `cargo check`, and reports per spec
//! what was generated and whether it compiled.
//!
//! Each generation runs in a child process (`xtask corpus-one`) with a time
//! limit, so a crash or hang is one failed row. Files are written only when
//! their content changed, so re-runs recompile only what changed.

mod check;
mod generate;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use generate::GenResult;
pub use generate::child;

use crate::codegen::project_root;

pub const USAGE: &str = "\
usage: cargo xtask corpus [DIR] [OPTIONS]

Generates a client for every spec in DIR (default ../shared/corpus/dev) into
target/corpus/ws, runs one `cargo check` over all of them, prints a row per
spec and totals, and writes target/corpus/report.tsv.

options:
  --only <FILE>      only the specs named in FILE (one file name per line,
                     `#` comments), e.g. xtask/corpus-ci.txt
  --min-rate <R>     fail unless at least this share compiles: 0.97 or 97%
                     (default 0)
  --jobs <N>         parallel generations and cargo jobs (default: cores)
  --timeout <SECS>   time limit for generating one spec (default 120)
  --clippy           run `cargo clippy` instead of `cargo check`
  --strict           a crate with any rustc (or clippy) warning counts as failed
  --no-check         generate only
  --baseline <FILE>  fail when a fidelity loss (skipped operations, dropped
                     parameters, `Value` fallbacks by cause, dropped security
                     alternatives) totals more than FILE says, e.g.
                     xtask/fidelity-baseline.toml
  --write-baseline <FILE>
                     write this run's fidelity totals to FILE (on purpose,
                     when they improved)
  --md <FILE>        write the per-spec table (with fidelity columns) as
                     Markdown

Fidelity details (what each client lacks, with JSON pointers) are written
to target/corpus/fidelity.txt.
";

#[derive(Debug, PartialEq)]
struct Args {
    dir: PathBuf,
    only: Option<PathBuf>,
    min_rate: f64,
    jobs: usize,
    timeout: Duration,
    clippy: bool,
    strict: bool,
    no_check: bool,
    baseline: Option<PathBuf>,
    write_baseline: Option<PathBuf>,
    md: Option<PathBuf>,
}

fn parse_rate(text: &str) -> Result<f64, String> {
    let (num, percent) = match text.strip_suffix('%') {
        Some(n) => (n, true),
        None => (text, false),
    };
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a rate"))?;
    let v = if percent || v > 1.0 { v / 100.0 } else { v };
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("`{text}` is not between 0 and 100%"))
    }
}

fn parse_args(argv: &[&str]) -> Result<Args, String> {
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut args = Args {
        dir: PathBuf::from("../shared/corpus/dev"),
        only: None,
        min_rate: 0.0,
        jobs,
        timeout: Duration::from_secs(120),
        clippy: false,
        strict: false,
        no_check: false,
        baseline: None,
        write_baseline: None,
        md: None,
    };
    let mut it = argv.iter();
    let mut dir_seen = false;
    while let Some(a) = it.next() {
        let mut value = || it.next().copied().ok_or(format!("`{a}` needs a value"));
        match *a {
            "--only" => args.only = Some(PathBuf::from(value()?)),
            "--min-rate" => args.min_rate = parse_rate(value()?)?,
            "--jobs" => {
                args.jobs = value()?
                    .parse()
                    .map_err(|_| "`--jobs` needs a number".to_owned())?;
                args.jobs = args.jobs.max(1);
            }
            "--timeout" => {
                let secs: u64 = value()?
                    .parse()
                    .map_err(|_| "`--timeout` needs seconds".to_owned())?;
                args.timeout = Duration::from_secs(secs.max(1));
            }
            "--clippy" => args.clippy = true,
            "--strict" => args.strict = true,
            "--no-check" => args.no_check = true,
            "--baseline" => args.baseline = Some(PathBuf::from(value()?)),
            "--write-baseline" => args.write_baseline = Some(PathBuf::from(value()?)),
            "--md" => args.md = Some(PathBuf::from(value()?)),
            flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`")),
            dir if !dir_seen => {
                args.dir = PathBuf::from(dir);
                dir_seen = true;
            }
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    Ok(args)
}

/// The member (folder and package) name for a spec file: `corpus-` and the
/// file stem in lower-case kebab form.
fn member_name(file_name: &str) -> String {
    let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
    let mut out = String::from("corpus-");
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// Spec files in `dir` (not recursive), sorted, optionally filtered by a list.
fn specs(dir: &Path, only: Option<&Path>) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                    ["json", "yaml", "yml", "md"].contains(&e.to_ascii_lowercase().as_str())
                })
        })
        .collect();
    found.sort();
    if let Some(list) = only {
        let text = std::fs::read_to_string(list).map_err(|e| format!("{}: {e}", list.display()))?;
        let wanted: Vec<&str> = text
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").trim())
            .filter(|l| !l.is_empty())
            .collect();
        for w in &wanted {
            if !found.iter().any(|p| p.file_name().is_some_and(|n| n == *w)) {
                return Err(format!(
                    "{}: `{w}` is not in {}",
                    list.display(),
                    dir.display()
                ));
            }
        }
        found.retain(|p| {
            p.file_name()
                .is_some_and(|n| wanted.iter().any(|w| n == *w))
        });
    }
    Ok(found)
}

struct Row {
    spec: String,
    member: String,
    generated: GenResult,
    check: Option<check::CheckResult>,
    /// Warnings count as failures (`--strict`).
    strict: bool,
}

impl Row {
    fn compiled(&self) -> bool {
        self.generated.ok
            && self
                .check
                .as_ref()
                .is_some_and(|c| c.compiled() && !(self.strict && c.warnings > 0))
    }

    fn first_error(&self) -> String {
        let raw = match (&self.generated.error, &self.check) {
            (Some(e), _) => e.clone(),
            (None, Some(c)) if !c.compiled() => c
                .first_error
                .clone()
                .unwrap_or_else(|| "not built (see cargo output)".into()),
            (None, Some(c)) => c
                .first_warning
                .clone()
                .map(|w| format!("warning: {w}"))
                .unwrap_or_default(),
            (None, None) => String::new(),
        };
        let one_line = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if one_line.chars().count() > 140 {
            let cut: String = one_line.chars().take(139).collect();
            format!("{cut}…")
        } else {
            one_line
        }
    }
}

pub fn main(argv: &[&str]) -> ExitCode {
    let args = match parse_args(argv) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> Result<bool, String> {
    let root = project_root();
    std::env::set_current_dir(&root).map_err(|e| format!("{}: {e}", root.display()))?;
    let specs = specs(&args.dir, args.only.as_deref())?;
    if specs.is_empty() {
        return Err(format!("no specs in {}", args.dir.display()));
    }
    let base = root.join("target").join("corpus");
    let ws = base.join("ws");
    std::fs::create_dir_all(&ws).map_err(|e| format!("{}: {e}", ws.display()))?;

    // Generate, in parallel, each in its own process.
    let started = Instant::now();
    let mut taken: BTreeMap<String, usize> = BTreeMap::new();
    let jobs: Vec<(PathBuf, String, String)> = specs
        .iter()
        .map(|p| {
            let file = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut member = member_name(&file);
            let n = taken.entry(member.clone()).or_insert(0);
            *n += 1;
            if *n > 1 {
                member = format!("{member}-{n}");
            }
            (p.clone(), file, member)
        })
        .collect();
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<BTreeMap<usize, GenResult>> = Mutex::new(BTreeMap::new());
    let total = jobs.len();
    std::thread::scope(|s| {
        for _ in 0..args.jobs.min(total) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some((spec, file, member)) = jobs.get(i) else {
                        break;
                    };
                    let r = generate::run_child(spec, &ws.join(member), member, args.timeout);
                    let k = done.fetch_add(1, Ordering::SeqCst) + 1;
                    let status = if r.ok {
                        "ok".to_owned()
                    } else {
                        format!("FAILED: {}", r.error.as_deref().unwrap_or(""))
                    };
                    eprintln!("[{k}/{total}] {file}: {} ms, {status}", r.ms);
                    if let Ok(mut map) = results.lock() {
                        map.insert(i, r);
                    }
                }
            });
        }
    });
    let gen_time = started.elapsed();
    let mut results = results.into_inner().unwrap_or_default();
    let mut rows: Vec<Row> = jobs
        .iter()
        .enumerate()
        .map(|(i, (_, file, member))| Row {
            spec: file.clone(),
            member: member.clone(),
            generated: results.remove(&i).unwrap_or_default(),
            check: None,
            strict: args.strict,
        })
        .collect();

    // Compile every generated crate at once.
    let members: Vec<String> = rows
        .iter()
        .filter(|r| r.generated.ok)
        .map(|r| r.member.clone())
        .collect();
    let check_started = Instant::now();
    if !args.no_check && !members.is_empty() {
        write_workspace(&ws, &members)?;
        eprintln!("checking {} crates in {}", members.len(), ws.display());
        let (mut checked, tail) =
            check::run(&ws, &base.join("target"), &members, args.clippy, args.jobs)?;
        if checked.values().all(|c| !c.built) && !tail.is_empty() {
            eprintln!("cargo failed before building anything:\n{tail}");
        }
        for row in &mut rows {
            row.check = checked.remove(&row.member);
        }
    }
    let check_time = check_started.elapsed();

    let table = render(&rows, args, gen_time, check_time);
    print!("{table}");
    let tsv = tsv(&rows);
    let report = base.join("report.tsv");
    std::fs::write(&report, tsv).map_err(|e| format!("{}: {e}", report.display()))?;
    eprintln!("report written to {}", report.display());
    let details = base.join("fidelity.txt");
    std::fs::write(&details, fidelity_details(&rows))
        .map_err(|e| format!("{}: {e}", details.display()))?;
    eprintln!("fidelity details written to {}", details.display());
    if let Some(md) = &args.md {
        std::fs::write(md, markdown(&rows)).map_err(|e| format!("{}: {e}", md.display()))?;
        eprintln!("Markdown table written to {}", md.display());
    }
    let totals = totals(&rows);
    if let Some(path) = &args.write_baseline {
        std::fs::write(path, baseline_text(&totals))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("fidelity baseline written to {}", path.display());
    }
    let within_baseline = match &args.baseline {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let worse =
                compare_baseline(&text, &totals).map_err(|e| format!("{}: {e}", path.display()))?;
            for w in &worse {
                eprintln!("fidelity got worse: {w} (baseline {})", path.display());
            }
            if worse.is_empty() {
                eprintln!("fidelity: no total worse than {}", path.display());
            }
            worse.is_empty()
        }
        None => true,
    };
    let compiled = rows.iter().filter(|r| r.compiled()).count();
    let rate = compiled as f64 / rows.len() as f64;
    let passed = args.no_check || rate + 1e-9 >= args.min_rate;
    if !passed {
        eprintln!(
            "compile rate {:.1}% is below --min-rate {:.1}%",
            rate * 100.0,
            args.min_rate * 100.0
        );
    }
    Ok(passed && within_baseline)
}

/// The fidelity totals of all rows.
fn totals(rows: &[Row]) -> generate::Counts {
    let mut t = generate::Counts::default();
    for r in rows {
        t.add(&r.generated.fidelity);
    }
    t
}

fn fidelity_details(rows: &[Row]) -> String {
    let mut out = String::new();
    for r in rows.iter().filter(|r| !r.generated.lost.is_empty()) {
        let _ = writeln!(out, "{}:", r.spec);
        for l in &r.generated.lost {
            let _ = writeln!(out, "  {l}");
        }
    }
    out
}

/// The baseline file: one `loss = total` line per kind of loss.
fn baseline_text(totals: &generate::Counts) -> String {
    let mut out = String::from(
        "# Fidelity losses of the dev corpus that CI accepts (`cargo xtask corpus --baseline`).\n\
         # Lower them on purpose with `cargo xtask corpus --write-baseline xtask/fidelity-baseline.toml`\n\
         # after an improvement; never raise them to make CI pass.\n",
    );
    for (name, value) in totals.losses() {
        let _ = writeln!(out, "{name} = {value}");
    }
    out
}

/// The losses that exceed the baseline, as messages.
fn compare_baseline(text: &str, totals: &generate::Counts) -> Result<Vec<String>, String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut worse = Vec::new();
    for (name, value) in totals.losses() {
        let allowed = table
            .get(name)
            .and_then(toml::Value::as_integer)
            .ok_or_else(|| format!("no `{name}` in the baseline"))?;
        if value as i64 > allowed {
            worse.push(format!("{name} = {value}, more than {allowed}"));
        }
    }
    Ok(worse)
}

/// Per-spec rows with the fidelity columns, and the totals.
fn markdown(rows: &[Row]) -> String {
    let mut out = String::from(
        "| spec | operations (methods/spec) | parameters (sendable/spec) | `Value`: any | inexpressible | mixes kinds | not supported | security (sent/spec) | warnings | gen ms | compiled |\n|---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    let line = |out: &mut String,
                name: &str,
                f: &generate::Counts,
                warnings: String,
                ms: String,
                compiled: String| {
        let _ = writeln!(
            out,
            "| {name} | {}/{} | {}/{} | {} | {} | {} | {} | {}/{} | {warnings} | {ms} | {compiled} |",
            f.methods,
            f.spec_operations,
            f.sendable_parameters,
            f.spec_parameters,
            f.untyped_any,
            f.untyped_inexpressible,
            f.untyped_mixes_kinds,
            f.untyped_unsupported,
            f.sendable_security,
            f.spec_security,
        );
    };
    for r in rows {
        let compiled = match &r.check {
            _ if !r.generated.ok => "gen-fail".to_owned(),
            None => "-".to_owned(),
            Some(_) => yes_no(r.compiled()).to_owned(),
        };
        line(
            &mut out,
            &r.spec,
            &r.generated.fidelity,
            r.generated.warnings.to_string(),
            r.generated.ms.to_string(),
            compiled,
        );
    }
    let warnings: usize = rows.iter().map(|r| r.generated.warnings).sum();
    let compiled = rows.iter().filter(|r| r.compiled()).count();
    line(
        &mut out,
        "**total**",
        &totals(rows),
        warnings.to_string(),
        String::new(),
        format!("{compiled}/{}", rows.len()),
    );
    out
}

fn write_workspace(ws: &Path, members: &[String]) -> Result<(), String> {
    let mut root = toml::Table::new();
    let mut workspace = toml::Table::new();
    workspace.insert("resolver".into(), toml::Value::String("3".into()));
    workspace.insert(
        "members".into(),
        toml::Value::Array(
            members
                .iter()
                .map(|m| toml::Value::String(m.clone()))
                .collect(),
        ),
    );
    root.insert("workspace".into(), toml::Value::Table(workspace));
    let text = format!(
        "# Scratch workspace written by `cargo xtask corpus`.\n{}",
        toml::to_string(&root).map_err(|e| e.to_string())?
    );
    let path = ws.join("Cargo.toml");
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn render(rows: &[Row], args: &Args, gen_time: Duration, check_time: Duration) -> String {
    let width = rows
        .iter()
        .map(|r| r.spec.len())
        .max()
        .unwrap_or(4)
        .clamp(4, 60);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<width$}  {:>6}  {:>6}  {:>6}  {:>7}  {:>8}  {:>5}  first error",
        "spec", "ops", "types", "warns", "gen ms", "compiled", "rustc"
    );
    for r in rows {
        let compiled = match &r.check {
            _ if !r.generated.ok => "gen-fail",
            None => "-",
            Some(_) => yes_no(r.compiled()),
        };
        let rustc = r
            .check
            .as_ref()
            .map_or(String::from("-"), |c| c.warnings.to_string());
        let spec: String = r.spec.chars().take(width).collect();
        let _ = writeln!(
            out,
            "{spec:<width$}  {:>6}  {:>6}  {:>6}  {:>7}  {compiled:>8}  {rustc:>5}  {}",
            r.generated.operations,
            r.generated.types,
            r.generated.warnings,
            r.generated.ms,
            r.first_error()
        );
    }
    let n = rows.len();
    let generated = rows.iter().filter(|r| r.generated.ok).count();
    let compiled = rows.iter().filter(|r| r.compiled()).count();
    let sum = |f: fn(&GenResult) -> usize| rows.iter().map(|r| f(&r.generated)).sum::<usize>();
    let rustc_warnings: usize = rows
        .iter()
        .filter_map(|r| r.check.as_ref())
        .map(|c| c.warnings)
        .sum();
    let clean = rows
        .iter()
        .filter(|r| r.compiled() && r.check.as_ref().is_some_and(|c| c.warnings == 0))
        .count();
    let _ = writeln!(out);
    let _ = writeln!(out, "specs:          {n} (from {})", args.dir.display());
    let _ = writeln!(out, "generated:      {generated}/{n}");
    if args.no_check {
        let _ = writeln!(out, "compiled:       not checked");
    } else {
        let _ = writeln!(
            out,
            "compiled:       {compiled}/{n} ({:.1}%), {clean} without warnings; {rustc_warnings} {} warnings",
            compiled as f64 * 100.0 / n as f64,
            if args.clippy { "clippy" } else { "rustc" }
        );
    }
    let _ = writeln!(
        out,
        "operations:     {}; types: {}; generator warnings: {}",
        sum(|g| g.operations),
        sum(|g| g.types),
        sum(|g| g.warnings)
    );
    let f = totals(rows);
    let _ = writeln!(
        out,
        "fidelity:       methods {}/{} operations, parameters {}/{} sendable, security alternatives {}/{}",
        f.methods,
        f.spec_operations,
        f.sendable_parameters,
        f.spec_parameters,
        f.sendable_security,
        f.spec_security
    );
    let _ = writeln!(
        out,
        "Value-typed:    {} schema says any, {} cannot be expressed, {} mixes kinds, {} not supported",
        f.untyped_any, f.untyped_inexpressible, f.untyped_mixes_kinds, f.untyped_unsupported
    );
    let _ = writeln!(
        out,
        "time:           generation {:.1} s wall ({:.1} s summed), check {:.1} s",
        gen_time.as_secs_f64(),
        rows.iter().map(|r| r.generated.ms).sum::<u128>() as f64 / 1000.0,
        check_time.as_secs_f64()
    );
    out
}

fn tsv(rows: &[Row]) -> String {
    let mut out = String::from(
        "spec\toperations\ttypes\twarnings\tgen_ms\tcompiled\trustc_warnings\tfirst_error\n",
    );
    for r in rows {
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            r.spec,
            r.generated.operations,
            r.generated.types,
            r.generated.warnings,
            r.generated.ms,
            yes_no(r.compiled()),
            r.check.as_ref().map_or(0, |c| c.warnings),
            r.first_error().replace('\t', " ")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_table() {
        let cases = [
            ("0.97", Ok(0.97)),
            ("97%", Ok(0.97)),
            ("97", Ok(0.97)),
            ("1", Ok(1.0)),
            ("0", Ok(0.0)),
            ("150%", Err(())),
            ("x", Err(())),
        ];
        for (text, expected) in cases {
            let got = parse_rate(text).map_err(|_| ());
            match (got, expected) {
                (Ok(g), Ok(e)) => assert!((g - e).abs() < 1e-9, "{text}"),
                (g, e) => assert_eq!(g, e, "{text}"),
            }
        }
    }

    #[test]
    fn baseline_table() {
        let totals = generate::Counts {
            spec_operations: 10,
            methods: 9,
            spec_parameters: 20,
            sendable_parameters: 20,
            untyped_any: 3,
            untyped_mixes_kinds: 1,
            ..Default::default()
        };
        let text = baseline_text(&totals);
        assert_eq!(compare_baseline(&text, &totals), Ok(Vec::new()));
        let worse = generate::Counts {
            methods: 8,
            untyped_any: 2,
            ..totals.clone()
        };
        assert_eq!(
            compare_baseline(&text, &worse),
            Ok(vec!["skipped_operations = 2, more than 1".to_owned()])
        );
        assert!(compare_baseline("skipped_operations = 1", &totals).is_err());
    }

    #[test]
    fn member_name_table() {
        let cases = [
            (
                "ably.io_platform_1.1.0.json",
                "corpus-ably-io-platform-1-1-0",
            ),
            ("API.guru.yaml", "corpus-api-guru"),
            ("x__y.md", "corpus-x-y"),
        ];
        for (file, member) in cases {
            assert_eq!(member_name(file), member, "{file}");
        }
    }

    #[test]
    fn args_table() {
        let a = parse_args(&[
            "dir",
            "--min-rate",
            "90%",
            "--jobs",
            "3",
            "--clippy",
            "--strict",
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.dir, PathBuf::from("dir"));
        assert!((a.min_rate - 0.9).abs() < 1e-9);
        assert_eq!(a.jobs, 3);
        assert!(a.clippy && a.strict);
        assert_eq!(
            parse_args(&["a", "b"]).map(|_| ()),
            Err("unexpected argument `b`".to_owned())
        );
        assert_eq!(
            parse_args(&["--jobs"]).map(|_| ()),
            Err("`--jobs` needs a value".to_owned())
        );
    }
}
