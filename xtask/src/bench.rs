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

Measures, for each big spec (github, stripe in ../shared/corpus/big) and two
synthetic ones written to target/bench/ (warnings: ~3.5 MB of JSON giving
16,000 located warnings; no-warnings: the same spec without them):
  floor       parsing the file into openapiv3::OpenAPI with serde_json
  generation  read → formatted files in memory, by stage, its ratio to the
              floor, and its time per MB of spec
  memory      peak RSS of the generating process
  output      lines and bytes of the generated crate
  check       cold `cargo check` of the generated crate (CARGO_INCREMENTAL=0),
              dependencies already built (time and peak RSS), all features
              and one feature alone
              (github: repos, stripe: customers), unless --no-compile;
              not for the synthetic spec

  --quick        one run, no compile check (what CI runs to prove it works)
  --runs N       runs per figure; medians are reported (default 5)
  --spec NAME    only this spec (repeatable): github, stripe, warnings,
                 no-warnings
  --no-compile   skip the cargo check measurements
  --md FILE      also write the results as a Markdown table to FILE
";

struct Spec {
    name: &'static str,
    source: Source,
    /// The one cargo feature (tag) checked alone; no compile check without.
    feature: Option<&'static str>,
}

enum Source {
    /// A file, relative to the project root.
    File(&'static str),
    /// Generated here, written to `target/bench/<file>` before measuring.
    Synthetic {
        file: &'static str,
        text: fn() -> String,
    },
}

const SPECS: [Spec; 4] = [
    Spec {
        name: "github",
        source: Source::File("../shared/corpus/big/api.github.com.json"),
        feature: Some("repos"),
    },
    Spec {
        name: "stripe",
        source: Source::File("../shared/corpus/big/stripe.com.json"),
        feature: Some("customers"),
    },
    Spec {
        name: "warnings",
        source: Source::Synthetic {
            file: "many-warnings.json",
            text: many_warnings,
        },
        feature: None,
    },
    // The same spec without the malformed keyword: what the warnings cost.
    Spec {
        name: "no-warnings",
        source: Source::Synthetic {
            file: "no-warnings.json",
            text: no_warnings,
        },
        feature: None,
    },
];

/// Component schemas of the synthetic spec, and properties of each: every
/// property gives one warning.
const WARNING_SCHEMAS: usize = 2_000;
const WARNING_PROPERTIES: usize = 8;

/// A spec shaped like the AWS-derived descriptions that gave ~16,000
/// warnings from 4.7 MB (EC2): every property carries a malformed keyword
/// (`pattern: 0`), which lenient reading drops with a located warning; one
/// operation takes and returns two of the schemas. Pretty-printed, so
/// warnings are on many different lines. Deterministic.
fn many_warnings() -> String {
    synthetic(true)
}

/// [`many_warnings`] without the malformed keyword.
fn no_warnings() -> String {
    synthetic(false)
}

fn synthetic(malformed: bool) -> String {
    use serde_json::{Map, Value, json};
    let mut schemas = Map::new();
    schemas.insert("String".into(), json!({"type": "string"}));
    for i in 0..WARNING_SCHEMAS {
        let mut properties = Map::new();
        for j in 0..WARNING_PROPERTIES {
            properties.insert(
                format!("Field{j}"),
                json!({
                    "type": "string",
                    "pattern": if malformed { json!(0) } else { json!("^.*$") },
                    "description": format!("The state of field {j} of thing {i}."),
                }),
            );
        }
        schemas.insert(
            format!("Thing{i}"),
            json!({
                "type": "object",
                "title": format!("Thing{i}"),
                "required": ["Field0"],
                "properties": properties,
            }),
        );
    }
    let mut paths = Map::new();
    for i in 0..WARNING_SCHEMAS / 2 {
        let (request, result) = (2 * i, 2 * i + 1);
        paths.insert(
            format!("/#Action=DoThing{i}"),
            json!({"post": {
                "operationId": format!("DoThing{i}"),
                "summary": format!("Does thing {i}"),
                "requestBody": {"required": true, "content": {"application/json": {
                    "schema": {"$ref": format!("#/components/schemas/Thing{request}")}
                }}},
                "responses": {"200": {"description": "Success", "content": {"application/json": {
                    "schema": {"$ref": format!("#/components/schemas/Thing{result}")}
                }}}},
            }}),
        );
    }
    let spec = json!({
        "openapi": "3.0.0",
        "info": {"title": "Many warnings", "version": "2016-11-15"},
        "servers": [{"url": "https://example.com"}],
        "paths": Value::Object(paths),
        "components": {"schemas": Value::Object(schemas)},
    });
    serde_json::to_string_pretty(&spec).unwrap_or_default()
}

/// Figures from one spec's child process, all medians.
#[derive(Debug, Default)]
struct Measured {
    /// Size of the spec file.
    spec_bytes: usize,
    floor_ms: f64,
    total_ms: f64,
    parse_ms: f64,
    normalize_ms: f64,
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

pub(crate) fn median(mut v: Vec<f64>) -> f64 {
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
    let (mut total, mut parse, mut normalize, mut merge, mut lower, mut emit, mut write_t) = (
        Vec::new(),
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
        normalize.push(ms(out.timings.normalize));
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
    println!("spec_bytes={}", text.len());
    println!("floor_ms={}", median(floor));
    println!("total_ms={}", median(total));
    println!("parse_ms={}", median(parse));
    println!("normalize_ms={}", median(normalize));
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
            "spec_bytes" => m.spec_bytes = u,
            "floor_ms" => m.floor_ms = f,
            "total_ms" => m.total_ms = f,
            "parse_ms" => m.parse_ms = f,
            "normalize_ms" => m.normalize_ms = f,
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
        let path = match &spec.source {
            Source::File(file) => root.join(file),
            Source::Synthetic { file, text } => {
                let path = root.join("target/bench").join(file);
                let written = path
                    .parent()
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|()| std::fs::write(&path, text()));
                if let Err(e) = written {
                    eprintln!("bench {}: {}: {e}", spec.name, path.display());
                    failed = true;
                    continue;
                }
                path
            }
        };
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
        if let Some(feature) = spec.feature.filter(|_| compile) {
            eprintln!("bench {}: cargo check…", spec.name);
            let (s, rss, ok) = check(spec.name, runs, None);
            m.check_s = Some(s);
            m.check_rss_mb = Some(rss);
            m.check_ok = Some(ok);
            failed |= !ok;
            eprintln!("bench {}: cargo check, `{feature}` only…", spec.name);
            let (s, rss, ok) = check(spec.name, runs, Some(feature));
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
        "| spec | MB | ops | types | floor ms | generation ms | ratio | ms per MB | parse | normalize | merge | lower | emit+format | write ms | peak RSS MiB | lines | bytes | warnings | check s | check RSS MiB | compiles | one-feature check s | one-feature RSS MiB |"
    );
    let _ = writeln!(
        t,
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    );
    for (name, m) in rows {
        let opt = |v: Option<f64>, p: usize| v.map_or("–".to_owned(), |v| format!("{v:.p$}"));
        let mb = m.spec_bytes as f64 / 1e6;
        let _ = writeln!(
            t,
            "| {name} | {:.1} | {} | {} | {:.0} | {:.0} | {:.2}× | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {} | {} | {} | {} | {} | {} | {} | {} |",
            mb,
            m.operations,
            m.types,
            m.floor_ms,
            m.total_ms,
            m.total_ms / m.floor_ms,
            m.total_ms / mb,
            m.parse_ms,
            m.normalize_ms,
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
