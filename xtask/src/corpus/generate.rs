//! Generating one spec, isolated: the harness runs `xtask corpus-one` as a
//! child process per spec, so that a panic, a stack overflow or a hang in the
//! generator costs one row of the report, not the whole run.

use std::io::Read;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use generator::write::{self, Mode};
use serde::{Deserialize, Serialize};

/// What generating one spec gave.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct GenResult {
    pub ok: bool,
    pub operations: usize,
    pub types: usize,
    pub warnings: usize,
    pub ms: u128,
    /// Why generation failed (first error, panic message, timeout).
    pub error: Option<String>,
    /// What the client covers of the spec.
    pub fidelity: Counts,
    /// The fidelity details (one line each, with pointers).
    pub lost: Vec<String>,
}

/// The fidelity counts of one spec (see `generator::fidelity`).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Counts {
    pub spec_operations: usize,
    pub methods: usize,
    pub spec_parameters: usize,
    pub sendable_parameters: usize,
    /// `serde_json::Value` where the schema says any value.
    pub untyped_any: usize,
    pub untyped_inexpressible: usize,
    pub untyped_mixes_kinds: usize,
    pub untyped_unsupported: usize,
    pub spec_security: usize,
    pub sendable_security: usize,
}

impl Counts {
    pub fn of(f: &generator::fidelity::Fidelity) -> Self {
        use generator::model::Untyped;
        Counts {
            spec_operations: f.spec_operations,
            methods: f.methods,
            spec_parameters: f.spec_parameters,
            sendable_parameters: f.sendable_parameters,
            untyped_any: f.untyped_by(Untyped::Any),
            untyped_inexpressible: f.untyped_by(Untyped::Inexpressible),
            untyped_mixes_kinds: f.untyped_by(Untyped::MixesKinds),
            untyped_unsupported: f.untyped_by(Untyped::Unsupported),
            spec_security: f.spec_security,
            sendable_security: f.sendable_security,
        }
    }

    pub fn add(&mut self, o: &Counts) {
        self.spec_operations += o.spec_operations;
        self.methods += o.methods;
        self.spec_parameters += o.spec_parameters;
        self.sendable_parameters += o.sendable_parameters;
        self.untyped_any += o.untyped_any;
        self.untyped_inexpressible += o.untyped_inexpressible;
        self.untyped_mixes_kinds += o.untyped_mixes_kinds;
        self.untyped_unsupported += o.untyped_unsupported;
        self.spec_security += o.spec_security;
        self.sendable_security += o.sendable_security;
    }

    /// What the client lacks, by name: each must not grow against a baseline.
    pub fn losses(&self) -> [(&'static str, usize); 7] {
        [
            (
                "skipped_operations",
                self.spec_operations - self.methods.min(self.spec_operations),
            ),
            (
                "dropped_parameters",
                self.spec_parameters - self.sendable_parameters.min(self.spec_parameters),
            ),
            ("untyped_any", self.untyped_any),
            ("untyped_inexpressible", self.untyped_inexpressible),
            ("untyped_mixes_kinds", self.untyped_mixes_kinds),
            ("untyped_unsupported", self.untyped_unsupported),
            (
                "dropped_security",
                self.spec_security - self.sendable_security.min(self.spec_security),
            ),
        ]
    }
}

impl GenResult {
    fn failed(error: String, ms: u128) -> Self {
        GenResult {
            error: Some(error),
            ms,
            ..GenResult::default()
        }
    }
}

/// The child's side: generates `spec` into `out` as crate `name` (a member
/// of the corpus workspace, so no `[workspace]` table), and prints the
/// result as one JSON line on stdout.
pub fn child(spec: &Path, out: &Path, name: &str) -> ExitCode {
    let started = Instant::now();
    // The default hook would print every panic; the result says it once.
    panic::set_hook(Box::new(|_| {}));
    let result = panic::catch_unwind(AssertUnwindSafe(|| generate(spec, out, name)));
    let ms = started.elapsed().as_millis();
    let result = match result {
        Ok(Ok(mut r)) => {
            r.ms = ms;
            r
        }
        Ok(Err(e)) => GenResult::failed(e, ms),
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown payload".to_owned());
            GenResult::failed(format!("generator panicked: {msg}"), ms)
        }
    };
    match serde_json::to_string(&result) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn generate(spec: &Path, out: &Path, name: &str) -> Result<GenResult, String> {
    let sources = generator::source::load(&[spec.to_path_buf()]).map_err(|e| e.to_string())?;
    let mut config = generator::Config::default();
    config.package.name = Some(name.to_owned());
    let options = generator::Options {
        command: "cargo xtask corpus".to_owned(),
    };
    let output = generator::generate(&sources, &config, &options).map_err(|d| {
        d.errors()
            .next()
            .map_or_else(|| "generation failed".to_owned(), ToString::to_string)
    })?;
    write::write(out, &output.files, Mode::Write).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(GenResult {
        ok: true,
        operations: output.operations,
        types: output.types,
        warnings: output.diagnostics.warnings().count(),
        ms: 0,
        error: None,
        fidelity: Counts::of(&output.fidelity),
        lost: output.fidelity.details(),
    })
}

/// The parent's side: runs the child for one spec with a time limit.
pub fn run_child(spec: &Path, out: &Path, name: &str, timeout: Duration) -> GenResult {
    let started = Instant::now();
    let exe: PathBuf = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => return GenResult::failed(format!("cannot find xtask itself: {e}"), 0),
    };
    let spawned = Command::new(exe)
        .arg("corpus-one")
        .arg(spec)
        .arg(out)
        .arg(name)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(c) => c,
        Err(e) => return GenResult::failed(format!("cannot start the generator: {e}"), 0),
    };
    // Drain stdout/stderr on threads so a chatty child cannot block on a full pipe.
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(o) = stdout.as_mut() {
            let _ = o.read_to_string(&mut s);
        }
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(e) = stderr.as_mut() {
            let _ = e.read_to_string(&mut s);
        }
        s
    });
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => break None,
        }
    };
    let ms = started.elapsed().as_millis();
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    let Some(status) = status else {
        return GenResult::failed(
            format!("generator timed out after {} s", timeout.as_secs()),
            ms,
        );
    };
    match stdout.lines().last().map(serde_json::from_str::<GenResult>) {
        Some(Ok(r)) => r,
        _ => {
            let last = stderr
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            GenResult::failed(format!("generator crashed ({status}): {last}"), ms)
        }
    }
}
