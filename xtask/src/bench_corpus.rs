//! `cargo xtask bench-corpus`: how long the release `generator` binary takes
//! on every spec of the dev corpus, against the binaries of earlier
//! revisions, measured side by side on the same machine in the same run.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use crate::bench::median;
use crate::codegen::project_root;

pub const USAGE: &str = "\
usage: cargo xtask bench-corpus [--runs N] [--against REV]... [--md FILE]

Generates every spec of ../shared/corpus/dev with the release `generator`
of this checkout and of each REV (a git revision, exported with `git
archive` and built in target/bench-corpus/), spec by spec, each binary in
turn (starting with a different one each time: the first run after
another spec is the slowest), round after round: load on a shared machine
falls on all of them alike. Output goes to a fresh folder in /dev/shm where there is one (what
is measured is generation, not the file system).

Reports, per binary: the sum over the corpus of each spec's median wall
time, the CPU time (user + system) of one round (all rounds' total divided
by their number), and the slowest spec. Figures are ratios within one run;
nothing here asserts a time.

  --runs N       rounds (default 5)
  --against REV  also measure this revision (repeatable)
  --md FILE      also write the results as a Markdown table to FILE
";

/// One binary under measurement.
struct Binary {
    label: String,
    path: PathBuf,
    /// Wall times per spec, one per round.
    wall: BTreeMap<String, Vec<Duration>>,
    /// CPU time of all its runs.
    cpu: Duration,
    failures: Vec<String>,
}

pub fn main(args: &[&str]) -> ExitCode {
    let mut runs = 5usize;
    let mut against = Vec::new();
    let mut md = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match *arg {
            "--runs" => match it.next().and_then(|n| n.parse().ok()) {
                Some(n) if n > 0 => runs = n,
                _ => return usage(),
            },
            "--against" => match it.next() {
                Some(rev) => against.push((*rev).to_owned()),
                None => return usage(),
            },
            "--md" => match it.next() {
                Some(f) => md = Some(PathBuf::from(f)),
                None => return usage(),
            },
            "--help" | "-h" => {
                print!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ => return usage(),
        }
    }
    let root = project_root();
    let corpus = root.join("../shared/corpus/dev");
    let specs = match specs(&corpus) {
        Ok(s) if !s.is_empty() => s,
        Ok(_) => {
            eprintln!("no specs in {}", corpus.display());
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("{}: {e}", corpus.display());
            return ExitCode::FAILURE;
        }
    };
    let mut binaries = Vec::new();
    for rev in &against {
        match build_revision(&root, rev) {
            Ok((label, path)) => binaries.push(Binary::new(label, path)),
            Err(e) => {
                eprintln!("{rev}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    match build(&root, &root.join("target")) {
        Ok(path) => binaries.push(Binary::new("this checkout".into(), path)),
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    }
    let scratch = scratch_dir(&root);
    let ticks = clock_ticks();
    // The order turns from spec to spec and round to round: whichever
    // binary runs first after another spec runs measurably slower.
    let n = binaries.len();
    for round in 0..runs {
        eprintln!("round {}/{runs}", round + 1);
        for (i, spec) in specs.iter().enumerate() {
            for k in 0..n {
                binaries[(i + round + k) % n].measure(spec, &scratch, ticks);
            }
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    let table = render(&binaries, specs.len(), runs);
    print!("{table}");
    if let Some(path) = md
        && let Err(e) = std::fs::write(&path, &table)
    {
        eprintln!("{}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    if binaries.iter().any(|b| !b.failures.is_empty()) {
        for b in &binaries {
            for f in &b.failures {
                eprintln!("{}: failed on {f}", b.label);
            }
        }
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn usage() -> ExitCode {
    eprint!("{USAGE}");
    ExitCode::FAILURE
}

impl Binary {
    fn new(label: String, path: PathBuf) -> Self {
        Binary {
            label,
            path,
            wall: BTreeMap::new(),
            cpu: Duration::ZERO,
            failures: Vec::new(),
        }
    }

    /// Generates `spec` into a fresh folder, timing the process.
    fn measure(&mut self, spec: &Path, scratch: &Path, ticks: u64) {
        let out = scratch.join("out");
        let _ = std::fs::remove_dir_all(&out);
        let name = spec
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let cpu_before = children_cpu(ticks);
        let started = Instant::now();
        let status = Command::new(&self.path)
            .arg(spec)
            .arg("--out")
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let wall = started.elapsed();
        if let (Some(before), Some(after)) = (cpu_before, children_cpu(ticks)) {
            self.cpu += after.saturating_sub(before);
        }
        if !matches!(status, Ok(s) if s.success()) && !self.failures.contains(&name) {
            self.failures.push(name.clone());
        }
        self.wall.entry(name).or_default().push(wall);
    }
}

/// The dev corpus's spec files, sorted.
fn specs(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    specs.sort();
    Ok(specs)
}

/// Where generated crates go: memory-backed where the machine has it.
fn scratch_dir(root: &Path) -> PathBuf {
    let shm = Path::new("/dev/shm");
    let base = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        root.join("target")
    };
    base.join(format!("bench-corpus-{}", std::process::id()))
}

/// Builds the release `generator` of the workspace at `workspace` into the
/// target folder `target` and returns the binary's path.
fn build(workspace: &Path, target: &Path) -> Result<PathBuf, String> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", target)
        .args(["build", "--release", "--quiet", "--package", "generator"])
        .status()
        .map_err(|e| format!("cargo: {e}"))?;
    if !status.success() {
        return Err(format!(
            "cargo build --release -p generator failed in {}",
            workspace.display()
        ));
    }
    Ok(target.join("release/generator"))
}

/// Exports revision `rev` and builds its generator; the binary is copied out
/// of the shared target folder so the next revision's build keeps it.
fn build_revision(root: &Path, rev: &str) -> Result<(String, PathBuf), String> {
    let sha = git(
        root,
        &["rev-parse", "--short", &format!("{rev}^{{commit}}")],
    )?;
    let base = root.join("target/bench-corpus");
    let binary = base.join(format!("generator-{sha}"));
    let label = if sha.starts_with(rev) {
        sha.clone()
    } else {
        format!("{rev} ({sha})")
    };
    if binary.is_file() {
        return Ok((label, binary));
    }
    let src = base.join(format!("src-{sha}"));
    let _ = std::fs::remove_dir_all(&src);
    std::fs::create_dir_all(&src).map_err(|e| format!("{}: {e}", src.display()))?;
    let archive = Command::new("git")
        .current_dir(root)
        .args(["archive", "--format=tar", &sha])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("git archive: {e}"))?;
    let status = Command::new("tar")
        .current_dir(&src)
        .arg("-xf")
        .arg("-")
        .stdin(archive.stdout.ok_or("git archive: no output")?)
        .status()
        .map_err(|e| format!("tar: {e}"))?;
    if !status.success() {
        return Err(format!("exporting {sha} failed"));
    }
    eprintln!("building the generator of {label}");
    // Revisions share one target folder: their dependencies build once.
    let built = build(&src, &base.join("target"))?;
    std::fs::copy(&built, &binary).map_err(|e| format!("{}: {e}", binary.display()))?;
    let _ = std::fs::remove_dir_all(&src);
    Ok((label, binary))
}

fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .current_dir(root)
        .args(args)
        .output()
        .map_err(|e| format!("git: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_owned());
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// User + system time of this process's waited-for children so far, from
/// `/proc/self/stat` (Linux; `None` elsewhere). The counter is cumulative,
/// so the clock tick's rounding does not add up over many runs.
fn children_cpu(ticks_per_second: u64) -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold
    // spaces: state is field 3, cutime 16 and cstime 17.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(13)?.parse::<u64>().ok()? + fields.get(14)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 1000 / ticks_per_second))
}

/// Clock ticks per second (`getconf CLK_TCK`; 100 on Linux unless told).
fn clock_ticks() -> u64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .filter(|&t| t > 0)
        .unwrap_or(100)
}

fn render(binaries: &[Binary], specs: usize, runs: usize) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "Dev corpus ({specs} specs), {runs} round(s); wall: sum of per-spec medians\n"
    );
    let _ = writeln!(
        t,
        "| generator | wall, whole corpus | CPU per round | slowest spec (median wall) | failed |"
    );
    let _ = writeln!(t, "|---|---|---|---|---|");
    for b in binaries {
        let medians: Vec<(f64, &str)> = b
            .wall
            .iter()
            .map(|(spec, w)| {
                let ms = w.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
                (median(ms), spec.as_str())
            })
            .collect();
        let total: f64 = medians.iter().map(|(ms, _)| ms).sum();
        let (slowest, name) = medians
            .iter()
            .copied()
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .unwrap_or((0.0, "-"));
        let cpu = b.cpu.as_secs_f64() / runs.max(1) as f64;
        let _ = writeln!(
            t,
            "| {} | {:.2} s | {:.2} s | {} {:.0} ms | {} |",
            b.label,
            total / 1000.0,
            cpu,
            name,
            slowest,
            b.failures.len()
        );
    }
    t
}
