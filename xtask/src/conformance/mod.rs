//! `cargo xtask conformance [github|stripe|all] [--quick]`: generates the
//! GitHub and Stripe clients from `../shared/corpus/big/`, builds a
//! conformance program against each (`xtask/conformance/<api>.rs` with the
//! shared `harness.rs`), and runs it against a validating mock server on
//! loopback: Prism for GitHub (behind `prism-front.js`, which keeps
//! pagination links on loopback), our own `xtask/stripe-server` for Stripe.
//! The servers' logs say, per call, whether the request was valid; the
//! program says whether the response decoded. The run writes a table per
//! API into `CONFORMANCE.md` (`target/conformance/CONFORMANCE.quick.md`
//! with `--quick`) and fails on any request validation error, any response
//! that did not decode (except examples that contradict their own schema,
//! which are listed), fewer than 30 operations per API or fewer than 1,000
//! random responses decoded over both APIs.

mod generate;
mod logs;
mod plan;
mod report;
mod server;

use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use crate::codegen::project_root;

pub const USAGE: &str = "\
usage: cargo xtask conformance [github|stripe|all] [--quick]

Generates the GitHub and Stripe clients, runs a conformance program
through each against a validating mock server on loopback, and writes
CONFORMANCE.md (with --quick: target/conformance/CONFORMANCE.quick.md,
fewer random rounds).
";

/// One API under test.
#[derive(Debug)]
pub struct Api {
    pub name: &'static str,
    pub title: &'static str,
    pub spec: &'static str,
    pub program: &'static str,
    /// The client's cargo features the program needs (one per tag).
    pub features: &'static [&'static str],
    /// Rounds of random answers: full run, quick run.
    pub rounds: (usize, usize),
}

pub const GITHUB: Api = Api {
    name: "github",
    title: "GitHub (Prism 5.16.0)",
    spec: "../shared/corpus/big/api.github.com.json",
    program: "github.rs",
    features: &[
        "issues",
        "reactions",
        "users",
        "gists",
        "meta",
        "markdown",
        "repos",
        "migrations",
    ],
    rounds: (14, 2),
};

pub const STRIPE: Api = Api {
    name: "stripe",
    title: "Stripe (xtask/stripe-server: qs + ajv)",
    spec: "../shared/corpus/big/stripe.com.json",
    program: "stripe.rs",
    features: &[
        "customers",
        "products",
        "prices",
        "charges",
        "invoices",
        "payment_intents",
        "files",
        "quotes",
        "subscriptions",
        "balance",
        "balance_transactions",
        "events",
        "checkout",
    ],
    rounds: (16, 2),
};

/// The least the acceptance asks for.
const MIN_OPERATIONS: usize = 30;
const MIN_DYNAMIC: usize = 1000;

pub fn main(args: &[&str]) -> ExitCode {
    let mut quick = false;
    let mut which: Vec<&Api> = Vec::new();
    for a in args {
        match *a {
            "--quick" => quick = true,
            "github" => which.push(&GITHUB),
            "stripe" => which.push(&STRIPE),
            "all" => which.extend([&GITHUB, &STRIPE]),
            "--help" | "-h" => {
                print!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprint!("unknown argument `{other}`\n{USAGE}");
                return ExitCode::FAILURE;
            }
        }
    }
    if which.is_empty() {
        which = vec![&GITHUB, &STRIPE];
    }
    which.dedup_by_key(|a| a.name);
    match run(&which, quick) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("conformance: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(apis: &[&Api], quick: bool) -> Result<bool, String> {
    let started = Instant::now();
    let root = project_root();
    std::env::set_current_dir(&root).map_err(|e| format!("{}: {e}", root.display()))?;
    for api in apis {
        let t = Instant::now();
        let n = generate::client(api)?;
        generate::program(api)?;
        eprintln!(
            "conformance: generated {} ({n} operations) in {:.1} s",
            api.name,
            t.elapsed().as_secs_f64()
        );
    }
    generate::workspace_manifest(apis)?;
    let t = Instant::now();
    build(apis)?;
    let build_secs = t.elapsed().as_secs_f64();
    eprintln!("conformance: built the programs in {build_secs:.1} s");

    let mut results = Vec::new();
    for api in apis {
        results.push(run_api(api, quick)?);
    }
    let total = started.elapsed().as_secs_f64();
    let ok = report::check(
        &results,
        MIN_OPERATIONS,
        if quick { 0 } else { MIN_DYNAMIC },
        apis.len() == 2,
    );
    let text = report::markdown(&results, quick, total, build_secs);
    let out = if quick {
        generate::workspace().join("CONFORMANCE.quick.md")
    } else {
        root.join("CONFORMANCE.md")
    };
    report::write(&out, &results, &text)?;
    eprintln!("conformance: report written to {}", out.display());
    eprintln!("{}", report::summary(&results, total));
    Ok(ok)
}

fn build(apis: &[&Api]) -> Result<(), String> {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.arg("build")
        .arg("--manifest-path")
        .arg(generate::workspace().join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", generate::target_dir());
    for api in apis {
        cmd.args(["-p", &format!("{}-conformance", api.name)]);
    }
    let status = cmd.status().map_err(|e| format!("cargo build: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "building the conformance programs failed: {status}"
        ))
    }
}

fn binary(api: &Api) -> PathBuf {
    let exe = format!("{}-conformance{}", api.name, std::env::consts::EXE_SUFFIX);
    generate::target_dir().join("debug").join(exe)
}

/// Starts the API's server, runs its program, and reads the log.
fn run_api(api: &Api, quick: bool) -> Result<report::ApiResult, String> {
    let root = project_root();
    let spec_path = root.join(api.spec);
    let spec_text =
        std::fs::read_to_string(&spec_path).map_err(|e| format!("{}: {e}", spec_path.display()))?;
    let spec: serde_json::Value =
        serde_json::from_str(&spec_text).map_err(|e| format!("{}: {e}", spec_path.display()))?;
    let plan = plan::plan(&spec);
    let plan_path = generate::workspace().join(format!("{}-plan.json", api.name));
    std::fs::write(&plan_path, plan.to_string())
        .map_err(|e| format!("{}: {e}", plan_path.display()))?;
    let out_path = generate::workspace().join(format!("{}-records.json", api.name));
    let _ = std::fs::remove_file(&out_path);

    let t = Instant::now();
    let (log_server, front) = match api.name {
        "github" => {
            let dir = root.join("xtask/mock-server");
            let prism = dir.join("node_modules/.bin/prism");
            server::npm_ci(&dir, &prism)?;
            let port = server::free_port()?;
            let prism = server::Server::start(
                "prism",
                &prism,
                &[
                    "mock".into(),
                    "--host".into(),
                    "127.0.0.1".into(),
                    "--port".into(),
                    port.to_string(),
                    spec_path.display().to_string(),
                ],
                port,
                Duration::from_secs(180),
            )?;
            let front_port = server::free_port()?;
            let front = server::Server::start(
                "prism-front",
                &server::node(),
                &[
                    root.join("xtask/conformance/prism-front.js")
                        .display()
                        .to_string(),
                    front_port.to_string(),
                    port.to_string(),
                ],
                front_port,
                Duration::from_secs(30),
            )?;
            (prism, Some(front))
        }
        _ => {
            let dir = root.join("xtask/stripe-server");
            server::npm_ci(&dir, &dir.join("node_modules/qs/package.json"))?;
            let port = server::free_port()?;
            let stripe = server::Server::start(
                "stripe-server",
                &server::node(),
                &[
                    dir.join("server.js").display().to_string(),
                    "--port".into(),
                    port.to_string(),
                    "--spec".into(),
                    spec_path.display().to_string(),
                ],
                port,
                Duration::from_secs(60),
            )?;
            (stripe, None)
        }
    };
    let server_secs = t.elapsed().as_secs_f64();
    let base = front.as_ref().unwrap_or(&log_server).url();
    let rounds = if quick { api.rounds.1 } else { api.rounds.0 };
    let t = Instant::now();
    let status = Command::new(binary(api))
        .args(["--base", &base, "--plan"])
        .arg(&plan_path)
        .arg("--out")
        .arg(&out_path)
        .args(["--rounds", &rounds.to_string()])
        .status()
        .map_err(|e| format!("{}: {e}", binary(api).display()))?;
    let run_secs = t.elapsed().as_secs_f64();
    log_server.sync(front.as_ref().unwrap_or(&log_server))?;
    let lines = log_server.lines();
    let log_path = generate::workspace().join(format!("{}-server.log", api.name));
    let _ = std::fs::write(&log_path, lines.join("\n"));
    let records = std::fs::read_to_string(&out_path).map_err(|e| {
        format!(
            "{} exited ({status}) without writing {}: {e}",
            binary(api).display(),
            out_path.display()
        )
    })?;
    let records: serde_json::Value =
        serde_json::from_str(&records).map_err(|e| format!("{}: {e}", out_path.display()))?;
    let example_errors = check_examples(&spec_path, &plan, &records)?;
    let segments = match api.name {
        "github" => logs::prism(&lines),
        _ => logs::stripe(&lines),
    };
    Ok(report::ApiResult::new(
        api,
        &plan,
        &records,
        &segments,
        example_errors,
        status.success(),
        server_secs,
        run_secs,
    ))
}

/// Validates the examples the program asked for against their schemas
/// (`xtask/stripe-server/check-examples.js`, ajv): pointer → errors.
fn check_examples(
    spec: &std::path::Path,
    plan: &serde_json::Value,
    records: &serde_json::Value,
) -> Result<std::collections::BTreeMap<String, Vec<String>>, String> {
    let called: std::collections::BTreeSet<&str> = records
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["op"].as_str())
        .collect();
    let mut ops = serde_json::Map::new();
    for (id, op) in plan["operations"].as_object().into_iter().flatten() {
        if called.contains(id.as_str()) && op["examples"].as_array().is_some_and(|e| !e.is_empty())
        {
            ops.insert(id.clone(), op.clone());
        }
    }
    if ops.is_empty() {
        return Ok(Default::default());
    }
    let path = generate::workspace().join("examples-plan.json");
    std::fs::write(&path, serde_json::json!({ "operations": ops }).to_string())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let dir = project_root().join("xtask/stripe-server");
    server::npm_ci(&dir, &dir.join("node_modules/ajv/package.json"))?;
    let output = Command::new(server::node())
        .arg(dir.join("check-examples.js"))
        .arg(spec)
        .arg(&path)
        .output()
        .map_err(|e| format!("check-examples.js: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "check-examples.js failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| format!("check-examples.js output: {e}"))
}
