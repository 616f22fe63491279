//! Conformance against Prism, a validating mock server, serving the merged
//! spec on loopback. Prism checks every request against the spec (with
//! `--errors` any violation is an error response, which fails the test) and
//! the client must decode every answer: the static examples, then 1,000
//! random schema-valid responses (`Prefer: dynamic=true`).
//!
//! Prism is installed from `xtask/mock-server/package-lock.json` with
//! `npm ci` when missing. If it cannot be installed or started the test
//! fails; it never skips.

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use generated_client::types::{LoginBody, RegisterBody};
use generated_client::{Client, Error};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The Prism binary, installed from the committed lockfile if needed.
fn prism() -> PathBuf {
    let dir = root().join("xtask/mock-server");
    let bin = dir.join("node_modules/.bin/prism");
    if !bin.exists() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot run `npm ci` in {}: {e} (Node.js and npm are required)",
                    dir.display()
                )
            });
        assert!(
            status.success(),
            "`npm ci` in {} failed: {status}",
            dir.display()
        );
    }
    assert!(bin.exists(), "{} missing after npm ci", bin.display());
    bin
}

/// The specs merged into one OpenAPI document, as Prism reads it.
fn merged_spec() -> PathBuf {
    let sources = generator::source::load(&[root().join("specs")]).expect("read specs/");
    let (doc, _) = generator::merged_document(&sources).unwrap_or_else(|d| panic!("{d}"));
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("customer-auth.merged.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&doc).expect("json"))
        .expect("write merged spec");
    path
}

struct Prism {
    child: Child,
    port: u16,
    log: Arc<Mutex<Vec<String>>>,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Prism {
    fn start() -> Prism {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let mut child = Command::new(prism())
            .args([
                "mock",
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--errors",
            ])
            .arg(merged_spec())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start prism");
        let log: Arc<Mutex<Vec<String>>> = Arc::default();
        for stream in [
            child
                .stdout
                .take()
                .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
            child
                .stderr
                .take()
                .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
        ]
        .into_iter()
        .flatten()
        {
            let log = Arc::clone(&log);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if let Ok(mut l) = log.lock() {
                        l.push(line);
                    }
                }
            });
        }
        let mut prism = Prism { child, port, log };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = prism.child.try_wait() {
                panic!(
                    "prism exited ({status}) before listening:\n{}",
                    prism.log_text()
                );
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "prism did not start in 120 s:\n{}",
                prism.log_text()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        prism
    }

    fn log_text(&self) -> String {
        self.log.lock().map(|l| l.join("\n")).unwrap_or_default()
    }

    /// The log once Prism has logged `requests` received requests (its log
    /// lines arrive through pipes and reader threads, after the responses),
    /// or as it is after 30 s without that many.
    fn log_after(&self, requests: usize) -> String {
        let started = Instant::now();
        loop {
            let log = self.log_text();
            let received = log
                .lines()
                .filter(|l| l.contains("Request received"))
                .count();
            if received >= requests || started.elapsed() > Duration::from_secs(30) {
                return log;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

fn client(url: &str, dynamic: bool) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    if dynamic {
        headers.insert(
            "Prefer",
            reqwest::header::HeaderValue::from_static("dynamic=true"),
        );
    }
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("http client");
    Client::with_http_client(url, http)
        .expect("base url")
        .with_company_id("360")
        .with_lang("en-US")
        .with_token("a541f9d5-2507-42b3-b790-59e1f755c380app")
}

/// Calls every operation once; returns (operation, outcome) where the
/// outcome is `Ok` when the response decoded (an API failure envelope counts:
/// Prism invents `code` values).
async fn call_all(client: &Client) -> Vec<(&'static str, Result<(), String>)> {
    fn judge<T: std::fmt::Debug>(r: Result<T, Error>) -> Result<(), String> {
        match r {
            Ok(_) | Err(Error::Api { .. }) => Ok(()),
            Err(e) => Err(e.to_string()),
        }
    }
    let login =
        LoginBody::new(1, false, "22@qq.com", 1).login_pwd("dc483e80a7a0bd9ef71d8cf973673924");
    let register = RegisterBody::new("CN", "22@qq.com", 1, "ticket", 1, "123456")
        .trade_type_currency_list(vec![Default::default()]);
    vec![
        ("login", judge(client.login(login).await)),
        (
            "register",
            judge(client.register("203.0.113.7", register).await),
        ),
        ("get_access_token", judge(client.get_access_token().await)),
        ("switch_account", judge(client.switch_account().await)),
        ("reset_account", judge(client.reset_account().await)),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prism_validates_requests_and_client_decodes_responses() {
    let prism = Prism::start();

    // Static responses: each operation once.
    let results = call_all(&client(&prism.url(), false)).await;
    let failures: Vec<String> = results
        .iter()
        .filter_map(|(op, r)| r.as_ref().err().map(|e| format!("{op}: {e}")))
        .collect();
    assert!(
        failures.is_empty(),
        "static run failed:\n{}\n\nprism log:\n{}",
        failures.join("\n"),
        prism.log_text()
    );

    // Dynamic responses: 200 rounds over the 5 operations.
    let dynamic = client(&prism.url(), true);
    let mut decoded = 0;
    let mut failures = Vec::new();
    for _ in 0..200 {
        for (op, r) in call_all(&dynamic).await {
            match r {
                Ok(()) => decoded += 1,
                Err(e) => failures.push(format!("{op}: {e}")),
            }
        }
    }
    let log = prism.log_after(1005);
    let received = log
        .lines()
        .filter(|l| l.contains("Request received"))
        .count();
    let violations = log
        .lines()
        .filter(|l| l.contains("did not pass the validation") || l.contains("✖"))
        .count();
    eprintln!(
        "prism: {} operations called ({received} requests), {} static + {decoded} dynamic responses decoded, {} failures, {violations} validation errors",
        results.len(),
        results.len(),
        failures.len()
    );
    assert_eq!(received, 1005, "prism saw {received} requests:\n{log}");
    assert!(
        failures.is_empty(),
        "dynamic run failed ({} of 1000):\n{}\n\nprism log:\n{log}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(decoded, 1000);
    assert_eq!(violations, 0, "prism reported validation errors:\n{log}");
}
