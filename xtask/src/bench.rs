//! `cargo xtask bench`: generation speed against the parse floor, memory,
//! output size, and the compile cost of the generated crates, for the big
//! specs in `../shared/corpus/big/`.
//!
//! Each spec is measured in a child process (`xtask bench-one`) so its peak
//! memory is its own. Figures are medians over `--runs` runs; nothing here
//! asserts a time.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use generator::write::{self, Mode};

use crate::codegen::project_root;

pub const USAGE: &str = "\
usage: cargo xtask bench [--quick] [--runs N] [--spec NAME]... [--no-compile] [--md FILE]

Measures, for each big spec (github, stripe in ../shared/corpus/big):
  floor       parsing the file into openapiv3::OpenAPI with serde_json
  generation  read → formatted files in memory, by stage, and its ratio to the floor
  memory      peak RSS of the generating process
  output      lines and bytes of the generated crate
  check       cold `cargo check` of the generated crate (CARGO_INCREMENTAL=0),
              dependencies already built (time and peak RSS), all features
              and one feature alone
              (github: repos, stripe: customers), unless --no-compile

  --quick        one run, no compile check (what CI runs to prove it works)
  --runs N       runs per figure; medians are reported (default 5)
  --spec NAME    only this spec (repeatable): github, stripe
  --no-compile   skip the cargo check measurements
  --md FILE      also write the results as a Markdown table to FILE
";

struct Spec {
    name: &'static str,
    file: &'static str,
    /// The one cargo feature (tag) checked alone.
    feature: &'static str,
}

const SPECS: [Spec; 2] = [
    Spec {
        name: "github",
        file: "../shared/corpus/big/api.github.com.json",
        feature: "repos",
    },
    Spec {
        name: "stripe",
        file: "../shared/corpus/big/stripe.com.json",
        feature: "customers",
    },
];

/// Figures from one spec's child process, all medians.
#[derive(Debug, Default)]
struct Measured {
    floor_ms: f64,
    total_ms: f64,
    parse_ms: f64,
    merge_ms: f64,
    lower_ms: f64,
    emit_format_ms: f64,
    write_ms: f64,
    peak_rss_mb: f64,
    lines: usize,
    bytes: usize,
    operations: usize,
    types: usize,
    warnings: usize,
    check_s: Option<f64>,
    check_rss_mb: Option<f64>,
    check_ok: Option<bool>,
    /// `cargo check` with only the spec's one feature on.
    one_feature_s: Option<f64>,
    one_feature_rss_mb: Option<f64>,
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Peak resident set size of this process, in MiB.
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn out_dir(name: &str) -> PathBuf {
    project_root().join("target/bench").join(name)
}

/// `xtask bench-one SPEC RUNS NAME`: measures one spec and prints `key=value` lines.
pub fn child(spec: &str, runs: &str, name: &str) -> ExitCode {
    let runs: usize = runs.parse().unwrap_or(1).max(1);
    let path = PathBuf::from(spec);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{spec}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut floor = Vec::new();
    let mut config = generator::Config::default();
    config.package.name = Some(format!("bench-{name}"));
    // A standalone crate, outside this workspace.
    config.manifest.insert("workspace".into(), toml_table());
    let options = generator::Options {
        command: format!("cargo xtask bench --spec {name}"),
    };
    let (mut total, mut parse, mut merge, mut lower, mut emit, mut write_t) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    let mut last = None;
    let mut peak = None;
    // Generation and floor alternate, so that both see the same state of a
    // shared machine.
    for _ in 0..runs {
        let t = Instant::now();
        let sources = match generator::source::load(std::slice::from_ref(&path)) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{spec}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let out = match generator::generate(&sources, &config, &options) {
            Ok(o) => o,
            Err(d) => {
                eprintln!("{spec}: generation failed:\n{d}");
                return ExitCode::FAILURE;
            }
        };
        total.push(ms(t.elapsed()));
        parse.push(ms(out.timings.parse));
        merge.push(ms(out.timings.merge));
        lower.push(ms(out.timings.lower));
        emit.push(ms(out.timings.emit_format));
        let t = Instant::now();
        if let Err(e) = write::write(&out_dir(name), &out.files, Mode::Write) {
            eprintln!("write: {e}");
            return ExitCode::FAILURE;
        }
        write_t.push(ms(t.elapsed()));
        last = Some(out);
        // Peak memory of generation alone, before the floor's first parse.
        peak.get_or_insert_with(peak_rss_mb);
        let t = Instant::now();
        let parsed: Result<openapiv3::OpenAPI, _> = serde_json::from_str(&text);
        floor.push(ms(t.elapsed()));
        if let Err(e) = &parsed {
            eprintln!("floor: {spec} does not parse as openapiv3::OpenAPI: {e}");
        }
        drop(parsed);
    }
    let Some(out) = last else {
        return ExitCode::FAILURE;
    };
    let lines: usize = out.files.iter().map(|f| f.contents.lines().count()).sum();
    let bytes: usize = out.files.iter().map(|f| f.contents.len()).sum();
    println!("floor_ms={}", median(floor));
    println!("total_ms={}", median(total));
    println!("parse_ms={}", median(parse));
    println!("merge_ms={}", median(merge));
    println!("lower_ms={}", median(lower));
    println!("emit_format_ms={}", median(emit));
    println!("write_ms={}", median(write_t));
    println!("peak_rss_mb={}", peak.unwrap_or(f64::NAN));
    println!("lines={lines}");
    println!("bytes={bytes}");
    println!("operations={}", out.operations);
    println!("types={}", out.types);
    println!("warnings={}", out.diagnostics.warnings().count());
    ExitCode::SUCCESS
}

fn toml_table() -> toml::Value {
    toml::Value::Table(toml::Table::new())
}

fn parse_child(stdout: &str) -> Measured {
    let mut m = Measured::default();
    for line in stdout.lines() {
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        let f: f64 = v.parse().unwrap_or(f64::NAN);
        let u: usize = v.parse().unwrap_or(0);
        match k {
            "floor_ms" => m.floor_ms = f,
            "total_ms" => m.total_ms = f,
            "parse_ms" => m.parse_ms = f,
            "merge_ms" => m.merge_ms = f,
            "lower_ms" => m.lower_ms = f,
            "emit_format_ms" => m.emit_format_ms = f,
            "write_ms" => m.write_ms = f,
            "peak_rss_mb" => m.peak_rss_mb = f,
            "lines" => m.lines = u,
            "bytes" => m.bytes = u,
            "operations" => m.operations = u,
            "types" => m.types = u,
            "warnings" => m.warnings = u,
            _ => {}
        }
    }
    m
}

/// `cargo check` of the generated crate (with only `feature` on, if given):
/// a warm-up that builds dependencies, then `runs` timed checks of the crate
/// alone, cold: `CARGO_INCREMENTAL=0`, so nothing of an earlier check is
/// reused (what a first build, a CI run or a regenerated crate pays; an
/// incremental re-check of an unchanged crate costs a fraction of it and
/// says little). Returns (median seconds, median peak RSS MiB, compiled).
fn check(name: &str, runs: usize, feature: Option<&str>) -> (f64, f64, bool) {
    let dir = out_dir(name);
    let target = project_root().join("target/bench/target");
    let cargo = || {
        let mut c = Command::new("cargo");
        c.args(["check", "--quiet", "--manifest-path"])
            .arg(dir.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_INCREMENTAL", "0");
        if let Some(f) = feature {
            c.args(["--no-default-features", "--features", f]);
        }
        c
    };
    let warm = cargo().status();
    let ok = warm.is_ok_and(|s| s.success());
    let (mut secs, mut rss) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        // Touch the crate so only it is checked again.
        let lib = dir.join("src/lib.rs");
        if let Ok(text) = std::fs::read(&lib) {
            let _ = std::fs::write(&lib, text);
        }
        let t = Instant::now();
        let time_bin = Path::new("/usr/bin/time");
        let output = if time_bin.exists() {
            let inner = cargo();
            let mut c = Command::new(time_bin);
            c.arg("-f").arg("maxrss_kb=%M").arg(inner.get_program());
            c.args(inner.get_args());
            c.env("CARGO_TARGET_DIR", &target);
            c.env("CARGO_INCREMENTAL", "0");
            c.output()
        } else {
            cargo().output()
        };
        secs.push(t.elapsed().as_secs_f64());
        if let Ok(o) = output {
            let err = String::from_utf8_lossy(&o.stderr);
            if let Some(kb) = err
                .lines()
                .find_map(|l| l.strip_prefix("maxrss_kb="))
                .and_then(|v| v.trim().parse::<f64>().ok())
            {
                rss.push(kb / 1024.0);
            }
        }
    }
    (median(secs), median(rss), ok)
}

pub fn main(args: &[&str]) -> ExitCode {
    let mut runs = 5;
    let mut compile = true;
    let mut only: Vec<String> = Vec::new();
    let mut md: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match *a {
            "--quick" => {
                runs = 1;
                compile = false;
            }
            "--runs" => runs = it.next().and_then(|n| n.parse().ok()).unwrap_or(runs),
            "--spec" => only.extend(it.next().map(|s| (*s).to_owned())),
            "--no-compile" => compile = false,
            "--md" => md = it.next().map(PathBuf::from),
            "--help" | "-h" => {
                print!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("unknown argument `{other}`\n{USAGE}");
                return ExitCode::FAILURE;
            }
        }
    }
    let root = project_root();
    // Measurements run in an optimised build, whatever built this process.
    let built = Command::new("cargo")
        .args(["build", "--release", "--quiet", "--package", "xtask"])
        .current_dir(&root)
        .status();
    if !built.is_ok_and(|s| s.success()) {
        eprintln!("cargo build --release -p xtask failed");
        return ExitCode::FAILURE;
    }
    let exe = root.join("target/release/xtask");
    let mut rows = Vec::new();
    let mut failed = false;
    for spec in SPECS
        .iter()
        .filter(|s| only.is_empty() || only.iter().any(|o| o == s.name))
    {
        let path = root.join(spec.file);
        eprintln!("bench {}: {} run(s)…", spec.name, runs);
        let out = Command::new(&exe)
            .arg("bench-one")
            .arg(&path)
            .arg(runs.to_string())
            .arg(spec.name)
            .output();
        let out = match out {
            Ok(o) if o.status.success() => o,
            Ok(o) => {
                eprintln!(
                    "bench {} failed:\n{}",
                    spec.name,
                    String::from_utf8_lossy(&o.stderr)
                );
                failed = true;
                continue;
            }
            Err(e) => {
                eprintln!("bench {}: {e}", spec.name);
                failed = true;
                continue;
            }
        };
        let mut m = parse_child(&String::from_utf8_lossy(&out.stdout));
        if compile {
            eprintln!("bench {}: cargo check…", spec.name);
            let (s, rss, ok) = check(spec.name, runs, None);
            m.check_s = Some(s);
            m.check_rss_mb = Some(rss);
            m.check_ok = Some(ok);
            failed |= !ok;
            eprintln!("bench {}: cargo check, `{}` only…", spec.name, spec.feature);
            let (s, rss, ok) = check(spec.name, runs, Some(spec.feature));
            m.one_feature_s = Some(s);
            m.one_feature_rss_mb = Some(rss);
            failed |= !ok;
        }
        rows.push((spec.name, m));
    }
    let table = render(&rows, runs);
    print!("{table}");
    if let Some(path) = md
        && let Err(e) = std::fs::write(&path, &table)
    {
        eprintln!("{}: {e}", path.display());
        failed = true;
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn render(rows: &[(&str, Measured)], runs: usize) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "Medians of {runs} run(s).\n");
    let _ = writeln!(
        t,
        "| spec | ops | types | floor ms | generation ms | ratio | parse | merge | lower | emit+format | write ms | peak RSS MiB | lines | bytes | warnings | check s | check RSS MiB | compiles | one-feature check s | one-feature RSS MiB |"
    );
    let _ = writeln!(
        t,
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    );
    for (name, m) in rows {
        let opt = |v: Option<f64>, p: usize| v.map_or("–".to_owned(), |v| format!("{v:.p$}"));
        let _ = writeln!(
            t,
            "| {name} | {} | {} | {:.0} | {:.0} | {:.2}× | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {} | {} | {} | {} | {} | {} | {} | {} |",
            m.operations,
            m.types,
            m.floor_ms,
            m.total_ms,
            m.total_ms / m.floor_ms,
            m.parse_ms,
            m.merge_ms,
            m.lower_ms,
            m.emit_format_ms,
            m.write_ms,
            m.peak_rss_mb,
            m.lines,
            m.bytes,
            m.warnings,
            opt(m.check_s, 1),
            opt(m.check_rss_mb, 0),
            m.check_ok.map_or("–", |ok| if ok { "yes" } else { "no" }),
            opt(m.one_feature_s, 1),
            opt(m.one_feature_rss_mb, 0),
        );
    }
    t
}
