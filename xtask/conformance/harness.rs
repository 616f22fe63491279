//! The part of the conformance programs both APIs share; `cargo xtask
//! conformance` copies it next to each program's `main.rs`.
//!
//! A program registers its calls as [`Op`]s: an `operationId`, a label
//! saying what the call exercises, and a closure that sends the call with
//! an optional `Prefer` header (how the mock servers are told to answer
//! with an error status, a named example or a random schema-valid body).
//! [`Harness::run`] sends every call in four passes (static answers,
//! documented errors, the spec's named examples, random answers), marking
//! each call on the server with `GET /__conformance/mark/<n>` so the xtask
//! can match the server's validation log to the call, and writes one JSON
//! record per call.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;

/// What became of one call.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// A success response decoded (a short summary of the value).
    Decoded(String),
    /// An error status whose body decoded as the operation documents it
    /// (`Error::Response`): the status and the `ErrorBody` variant.
    TypedError(u16, String),
    /// Anything else: the client's error, as text.
    Failed(Option<u16>, String),
}

pub type BoxFut<'a> = Pin<Box<dyn Future<Output = Outcome> + Send + 'a>>;
pub type Call<'a> = Box<dyn Fn(Option<String>) -> BoxFut<'a> + 'a>;

/// One registered call.
pub struct Op<'a> {
    pub id: &'static str,
    pub label: &'static str,
    pub call: Call<'a>,
}

/// Registers a call: `op!(ops, "issues/get", "label", |prefer| builder)`.
/// The builder expression is sent with `Prefer` when the pass gives one and
/// its result turned into an [`Outcome`] by the program's `outcome`.
#[macro_export]
macro_rules! op {
    ($ops:ident, $id:literal, $label:literal, $builder:expr) => {
        $ops.push($crate::harness::Op {
            id: $id,
            label: $label,
            call: Box::new(move |prefer: Option<String>| {
                let builder = $builder;
                let builder = match prefer {
                    Some(p) => builder.with_header("Prefer", p),
                    None => builder,
                };
                Box::pin(async move { outcome(builder.await) })
            }),
        });
    };
    // A paginated call: every item of every page through `.stream()`.
    ($ops:ident, $id:literal, $label:literal, stream $builder:expr) => {
        $ops.push($crate::harness::Op {
            id: $id,
            label: $label,
            call: Box::new(move |prefer: Option<String>| {
                let builder = $builder;
                let builder = match prefer {
                    Some(p) => builder.with_header("Prefer", p),
                    None => builder,
                };
                Box::pin(async move {
                    use futures_util::StreamExt;
                    let mut stream = builder.stream();
                    let mut items = 0usize;
                    // Bounded: a server that never stops paging is a failure.
                    while let Some(item) = stream.next().await {
                        if let Err(e) = item {
                            return outcome::<()>(Err(e));
                        }
                        items += 1;
                        if items > 1000 {
                            return $crate::harness::Outcome::Failed(
                                None,
                                "more than 1000 items: the stream does not end".into(),
                            );
                        }
                    }
                    $crate::harness::Outcome::Decoded(format!("{items} items (stream)"))
                })
            }),
        });
    };
}

/// A summary of a decoded value for the report: its type and size.
pub fn summary<T: std::fmt::Debug>(value: &T) -> String {
    let text = format!("{value:?}");
    let head: String = text
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    let head = if head.is_empty() {
        text.chars().take(12).collect()
    } else {
        head
    };
    format!("{head} ({} chars of Debug)", text.len())
}

/// Command-line arguments: `--base URL --plan FILE --out FILE --rounds N`.
#[derive(Debug)]
pub struct Args {
    pub base: String,
    pub plan: String,
    pub out: String,
    pub rounds: usize,
}

impl Args {
    pub fn parse() -> Args {
        let mut args = Args {
            base: String::new(),
            plan: String::new(),
            out: String::new(),
            rounds: 1,
        };
        let argv: Vec<String> = std::env::args().skip(1).collect();
        let mut it = argv.iter();
        while let Some(a) = it.next() {
            let v = it.next().cloned().unwrap_or_default();
            match a.as_str() {
                "--base" => args.base = v,
                "--plan" => args.plan = v,
                "--out" => args.out = v,
                "--rounds" => args.rounds = v.parse().expect("--rounds N"),
                other => panic!("unknown argument {other}"),
            }
        }
        assert!(!args.base.is_empty(), "--base URL is required");
        args
    }
}

/// An HTTP client that cannot leave loopback: redirects are followed only
/// to loopback hosts, and any other host is sent to a closed local port
/// (the mock servers' canned `Link` and `Location` values name the real
/// API hosts).
pub fn http_client() -> reqwest::Client {
    fn loopback(url: &reqwest::Url) -> bool {
        matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"))
    }
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::custom(|attempt| {
            if loopback(attempt.url()) && attempt.previous().len() < 5 {
                attempt.follow()
            } else {
                attempt.stop()
            }
        }))
        .proxy(reqwest::Proxy::custom(|url| {
            if loopback(url) {
                None
            } else {
                Some("http://127.0.0.1:9")
            }
        }))
        .build()
        .expect("http client")
}

/// The plan the xtask reads from the spec, per `operationId`: the error
/// statuses documented with a JSON body, and the named examples.
#[derive(Debug, Default)]
pub struct Plan {
    pub errors: BTreeMap<String, Vec<u16>>,
    /// (status, example name, JSON pointer of the example)
    pub examples: BTreeMap<String, Vec<(u16, String, String)>>,
}

impl Plan {
    pub fn load(path: &str) -> Plan {
        let mut plan = Plan::default();
        if path.is_empty() {
            return plan;
        }
        let text = std::fs::read_to_string(path).expect("read plan");
        let value: serde_json::Value = serde_json::from_str(&text).expect("plan is JSON");
        let Some(ops) = value.get("operations").and_then(|o| o.as_object()) else {
            return plan;
        };
        for (id, op) in ops {
            let errors = op["errors"]
                .as_array()
                .map(|a| a.iter().filter_map(|s| s.as_u64()).map(|s| s as u16).collect())
                .unwrap_or_default();
            plan.errors.insert(id.clone(), errors);
            let examples = op["examples"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|e| {
                            (
                                e["status"].as_u64().unwrap_or(0) as u16,
                                e["name"].as_str().unwrap_or("").to_owned(),
                                e["pointer"].as_str().unwrap_or("").to_owned(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            plan.examples.insert(id.clone(), examples);
        }
        plan
    }
}

/// Sends the calls and keeps a record of each.
pub struct Harness {
    args: Args,
    http: reqwest::Client,
    seq: u32,
    records: Vec<serde_json::Value>,
}

impl Harness {
    pub fn new(args: Args, http: reqwest::Client) -> Harness {
        Harness {
            args,
            http,
            seq: 0,
            records: Vec::new(),
        }
    }

    /// Marks the start of a call in the server's log.
    async fn mark(&mut self) -> u32 {
        self.seq += 1;
        let url = format!(
            "{}/__conformance/mark/{}",
            self.args.base.trim_end_matches('/'),
            self.seq
        );
        // The answer does not matter (Prism: 404 for an unknown route).
        let _ = self.http.get(url).send().await;
        self.seq
    }

    async fn one(&mut self, op: &Op<'_>, pass: &str, prefer: Option<String>, expect: Expect, example: Option<&str>) {
        let marker = self.mark().await;
        let result = (op.call)(prefer.clone()).await;
        let (ok, detail) = match (&result, expect) {
            (Outcome::Decoded(s), Expect::Success) => (true, s.clone()),
            (Outcome::TypedError(status, v), Expect::Error(want)) if *status == want => {
                (true, format!("Error::Response {{ status: {status}, body: {v} }}"))
            }
            (Outcome::Decoded(s), Expect::Error(want)) => {
                (false, format!("expected an error {want}, got a success: {s}"))
            }
            (Outcome::TypedError(status, v), _) => {
                (false, format!("unexpected error {status}: {v}"))
            }
            (Outcome::Failed(status, e), _) => (
                false,
                format!(
                    "{}{e}",
                    status.map(|s| format!("[{s}] ")).unwrap_or_default()
                ),
            ),
        };
        self.records.push(serde_json::json!({
            "marker": marker,
            "op": op.id,
            "label": op.label,
            "pass": pass,
            "prefer": prefer,
            "example": example,
            "ok": ok,
            "detail": detail,
        }));
    }

    /// Runs the passes and writes the records to `--out`.
    pub async fn run(mut self, ops: &[Op<'_>]) {
        let plan = Plan::load(&self.args.plan);
        for op in ops {
            self.one(op, "static", None, Expect::Success, None).await;
        }
        // Documented errors, once per operation and status.
        let mut seen = std::collections::BTreeSet::new();
        for op in ops {
            if !seen.insert(op.id) {
                continue;
            }
            for &status in plan.errors.get(op.id).map(Vec::as_slice).unwrap_or(&[]) {
                let prefer = format!("code={status}");
                self.one(op, "error", Some(prefer), Expect::Error(status), None).await;
            }
        }
        // Every named example of the operations called.
        let mut seen = std::collections::BTreeSet::new();
        for op in ops {
            if !seen.insert(op.id) {
                continue;
            }
            for (status, name, pointer) in plan.examples.get(op.id).cloned().unwrap_or_default() {
                let prefer = format!("code={status}, example={name}");
                let expect = if (200..300).contains(&status) {
                    Expect::Success
                } else {
                    Expect::Error(status)
                };
                self.one(op, "example", Some(prefer), expect, Some(&pointer)).await;
            }
        }
        for _ in 0..self.args.rounds {
            for op in ops {
                self.one(op, "dynamic", Some("dynamic=true".into()), Expect::Success, None)
                    .await;
            }
        }
        let text = serde_json::to_string_pretty(&self.records).expect("json");
        std::fs::write(&self.args.out, text).expect("write records");
        let failed = self.records.iter().filter(|r| r["ok"] != true).count();
        eprintln!("{} calls, {failed} failed", self.records.len());
    }
}

#[derive(Clone, Copy, Debug)]
enum Expect {
    Success,
    Error(u16),
}
