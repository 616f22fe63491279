//! Judges a run and writes the report: a table per API, the examples that
//! contradict their own schema, and the figures.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use super::Api;
use super::logs::Segment;

/// One call of the program, with what the server saw of it.
#[derive(Debug, Clone)]
pub struct Call {
    pub op: String,
    pub label: String,
    pub pass: String,
    pub prefer: Option<String>,
    pub example: Option<String>,
    pub ok: bool,
    pub detail: String,
    pub seen: Segment,
}

impl Call {
    fn validated(&self) -> bool {
        !self.seen.requests.is_empty() && self.seen.request_errors.is_empty()
    }
}

#[derive(Debug)]
pub struct ApiResult {
    pub name: &'static str,
    pub title: &'static str,
    pub calls: Vec<Call>,
    pub program_ok: bool,
    pub server_secs: f64,
    pub run_secs: f64,
    /// `operationId` → (method, path)
    pub routes: BTreeMap<String, (String, String)>,
    /// Example pointer → how it contradicts its schema (empty: it fits).
    pub example_errors: BTreeMap<String, Vec<String>>,
    /// `operationId` → pointer of the example a static answer is (the
    /// first of the lowest success status).
    pub first_example: BTreeMap<String, String>,
}

impl ApiResult {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        api: &Api,
        plan: &Value,
        records: &Value,
        segments: &BTreeMap<u32, Segment>,
        example_errors: BTreeMap<String, Vec<String>>,
        program_ok: bool,
        server_secs: f64,
        run_secs: f64,
    ) -> ApiResult {
        let calls = records
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                let marker = r["marker"].as_u64().unwrap_or(0) as u32;
                Call {
                    op: r["op"].as_str().unwrap_or("").to_owned(),
                    label: r["label"].as_str().unwrap_or("").to_owned(),
                    pass: r["pass"].as_str().unwrap_or("").to_owned(),
                    prefer: r["prefer"].as_str().map(str::to_owned),
                    example: r["example"].as_str().map(str::to_owned),
                    ok: r["ok"].as_bool().unwrap_or(false),
                    detail: r["detail"].as_str().unwrap_or("").to_owned(),
                    seen: segments.get(&marker).cloned().unwrap_or_default(),
                }
            })
            .collect();
        let routes = plan["operations"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(id, op)| {
                (
                    id.clone(),
                    (
                        op["method"].as_str().unwrap_or("").to_uppercase(),
                        op["path"].as_str().unwrap_or("").to_owned(),
                    ),
                )
            })
            .collect();
        let first_example = plan["operations"]
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(id, op)| {
                let examples = op["examples"].as_array()?;
                let lowest = examples
                    .iter()
                    .filter_map(|e| e["status"].as_u64())
                    .filter(|s| (200..300).contains(s))
                    .min()?;
                let first = examples
                    .iter()
                    .find(|e| e["status"].as_u64() == Some(lowest))?;
                Some((id.clone(), first["pointer"].as_str()?.to_owned()))
            })
            .collect();
        ApiResult {
            name: api.name,
            example_errors,
            first_example,
            title: api.title,
            calls,
            program_ok,
            server_secs,
            run_secs,
            routes,
        }
    }

    fn pass(&self, pass: &str) -> impl Iterator<Item = &Call> {
        self.calls.iter().filter(move |c| c.pass == pass)
    }

    pub fn operations(&self) -> usize {
        let mut ids: Vec<&str> = self.pass("static").map(|c| c.op.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.len()
    }

    pub fn request_errors(&self) -> usize {
        self.calls.iter().map(|c| c.seen.request_errors.len()).sum()
    }

    /// Calls the server never saw a request for (other than by a marker).
    pub fn unseen(&self) -> usize {
        self.calls
            .iter()
            .filter(|c| c.seen.requests.is_empty())
            .count()
    }

    /// The example a call's answer was, if the spec's example.
    pub fn example_of<'c>(&'c self, c: &'c Call) -> Option<&'c str> {
        match c.pass.as_str() {
            "example" => c.example.as_deref(),
            "static" => self.first_example.get(&c.op).map(String::as_str),
            _ => None,
        }
    }

    /// How the example a failed call was answered with contradicts its
    /// schema; empty when it does not (then the failure counts).
    pub fn contradiction(&self, c: &Call) -> &[String] {
        if c.ok {
            return &[];
        }
        self.example_of(c)
            .and_then(|p| self.example_errors.get(p))
            .map_or(&[], Vec::as_slice)
    }

    /// Examples: (decoded, listed as contradicting their schema, failed).
    pub fn examples(&self) -> (usize, usize, usize) {
        let mut out = (0, 0, 0);
        for c in self.pass("example") {
            if c.ok {
                out.0 += 1;
            } else if !self.contradiction(c).is_empty() {
                out.1 += 1;
            } else {
                out.2 += 1;
            }
        }
        out
    }

    pub fn count(&self, pass: &str) -> (usize, usize) {
        let all: Vec<&Call> = self.pass(pass).collect();
        (all.iter().filter(|c| c.ok).count(), all.len())
    }

    /// Failures that fail the run, as lines.
    pub fn failures(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.program_ok {
            out.push(format!("{}: the conformance program failed", self.name));
        }
        for c in &self.calls {
            let what = format!(
                "{} {} [{}{}]",
                self.name,
                c.op,
                c.pass,
                c.prefer
                    .as_ref()
                    .map(|p| format!(", Prefer: {p}"))
                    .unwrap_or_default()
            );
            for e in &c.seen.request_errors {
                out.push(format!("{what}: request validation error: {e}"));
            }
            if c.seen.requests.is_empty() {
                out.push(format!("{what}: the server saw no request"));
            }
            let listed = !self.contradiction(c).is_empty();
            if !c.ok && !listed {
                out.push(format!("{what}: {}", c.detail));
            }
        }
        out
    }
}

/// Whether the run passes; prints every failure.
pub fn check(results: &[ApiResult], min_ops: usize, min_dynamic: usize, both: bool) -> bool {
    let mut ok = true;
    for r in results {
        for f in r.failures() {
            eprintln!("FAIL {f}");
            ok = false;
        }
        if r.operations() < min_ops {
            eprintln!(
                "FAIL {}: {} operations called, fewer than {min_ops}",
                r.name,
                r.operations()
            );
            ok = false;
        }
    }
    let dynamic: usize = results.iter().map(|r| r.count("dynamic").0).sum();
    if both && dynamic < min_dynamic {
        eprintln!("FAIL {dynamic} random responses decoded, fewer than {min_dynamic}");
        ok = false;
    }
    ok
}

/// The rule of the generator a decode failure comes from.
fn rule(detail: &str) -> &'static str {
    if detail.contains("missing field") {
        "a required property is a plain field (not `Option`): it must be present"
    } else if detail.contains("invalid type: null") {
        "a property without `nullable: true` is not an `Option`: `null` is refused"
    } else if detail.contains("unknown variant") {
        "a string enum decodes its listed values (and any other string as `Other`)"
    } else if detail.contains("premature end")
        || detail.contains("input contains invalid characters")
        || detail.contains("trailing input")
    {
        "`format: date-time` decodes as `chrono::DateTime` (RFC 3339)"
    } else if detail.contains("invalid type") {
        "each property decodes as the schema's `type`"
    } else if detail.contains("did not match any variant") {
        "`oneOf`/`anyOf` decode as an untagged enum: the value must fit one branch"
    } else {
        "the body decodes as the schema describes it"
    }
}

fn cell(text: &str) -> String {
    let one = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let one = one.replace('|', "\\|");
    if one.chars().count() > 160 {
        let cut: String = one.chars().take(159).collect();
        format!("{cut}…")
    } else {
        one
    }
}

fn section(r: &ApiResult) -> String {
    let mut s = String::new();
    let (ex_ok, ex_listed, ex_failed) = r.examples();
    let (dyn_ok, dyn_all) = r.count("dynamic");
    let (err_ok, err_all) = r.count("error");
    let _ = writeln!(s, "## {}\n", r.title);
    let _ = writeln!(
        s,
        "- operations called: **{}** ({} calls in all; {} requests seen by the server)",
        r.operations(),
        r.calls.len(),
        r.calls.iter().map(|c| c.seen.requests.len()).sum::<usize>()
    );
    let _ = writeln!(s, "- request validation errors: **{}**", r.request_errors());
    let _ = writeln!(
        s,
        "- documented error statuses decoded into `Error::Response`: **{err_ok} of {err_all}**"
    );
    let _ = writeln!(
        s,
        "- named examples of the spec: **{ex_ok} decoded**, {ex_listed} listed below as contradicting their own schema, {ex_failed} failed"
    );
    let _ = writeln!(
        s,
        "- random schema-valid responses decoded: **{dyn_ok} of {dyn_all}**"
    );
    let _ = writeln!(
        s,
        "- server start {:.1} s, calls {:.1} s\n",
        r.server_secs, r.run_secs
    );
    let _ = writeln!(
        s,
        "| operation | call | request validated | response decoded | notes |"
    );
    let _ = writeln!(s, "| --- | --- | --- | --- | --- |");
    let mut noted = std::collections::BTreeSet::new();
    for c in r.pass("static") {
        let route = r
            .routes
            .get(&c.op)
            .map(|(m, p)| format!(" `{m} {p}`"))
            .unwrap_or_default();
        let validated = if c.validated() {
            format!(
                "✔ ({} request{})",
                c.seen.requests.len(),
                if c.seen.requests.len() == 1 { "" } else { "s" }
            )
        } else if c.seen.requests.is_empty() {
            "✘ not seen".to_owned()
        } else {
            format!("✘ {}", c.seen.request_errors.join("; "))
        };
        let decoded = if c.ok {
            format!("✔ {}", c.detail)
        } else if !r.contradiction(c).is_empty() {
            format!(
                "✘ (example contradicts its schema, listed below) {}",
                c.detail
            )
        } else {
            format!("✘ {}", c.detail)
        };
        let mut notes = Vec::new();
        if noted.insert(c.op.clone()) {
            let errors: Vec<String> = r
                .pass("error")
                .filter(|e| e.op == c.op)
                .map(|e| {
                    let status = e
                        .prefer
                        .as_deref()
                        .unwrap_or("")
                        .trim_start_matches("code=");
                    if e.ok {
                        let variant = e
                            .detail
                            .split("body: ")
                            .nth(1)
                            .unwrap_or("")
                            .trim_end_matches(" }");
                        format!("{status} → {variant} ✔")
                    } else {
                        format!("{status} ✘ {}", e.detail)
                    }
                })
                .collect();
            if !errors.is_empty() {
                notes.push(format!("errors: {}", errors.join(", ")));
            }
            let examples: Vec<&Call> = r.pass("example").filter(|e| e.op == c.op).collect();
            if !examples.is_empty() {
                let ok = examples.iter().filter(|e| e.ok).count();
                notes.push(format!("examples: {ok}/{} decoded", examples.len()));
            }
            let random: Vec<&Call> = r.pass("dynamic").filter(|e| e.op == c.op).collect();
            if !random.is_empty() {
                let ok = random.iter().filter(|e| e.ok).count();
                notes.push(format!("random: {ok}/{}", random.len()));
            }
        }
        let _ = writeln!(
            s,
            "| `{}`{} | {} | {} | {} | {} |",
            c.op,
            route,
            cell(&c.label),
            cell(&validated),
            cell(&decoded),
            cell(&notes.join("; "))
        );
    }
    let listed: Vec<&Call> = r
        .calls
        .iter()
        .filter(|c| c.pass == "example" && !r.contradiction(c).is_empty())
        .collect();
    if !listed.is_empty() {
        let _ = writeln!(s, "\n### Examples that contradict their own schema\n");
        let _ = writeln!(
            s,
            "Each of these examples fails its own schema (checked with ajv, `xtask/stripe-server/check-examples.js`); the client refuses it by the rule named.\n"
        );
        let _ = writeln!(
            s,
            "| example (JSON pointer) | operation | schema violation (ajv) | decode error | generator rule |"
        );
        let _ = writeln!(s, "| --- | --- | --- | --- | --- |");
        for c in listed {
            let _ = writeln!(
                s,
                "| `{}` | `{}` | {} | {} | {} |",
                c.example.as_deref().unwrap_or(""),
                c.op,
                cell(&r.contradiction(c).join("; ")),
                cell(&c.detail),
                rule(&c.detail)
            );
        }
    }
    let failures = r.failures();
    if !failures.is_empty() {
        let _ = writeln!(s, "\n### Failures\n");
        for f in failures {
            let _ = writeln!(s, "- {}", cell(&f));
        }
    }
    s
}

pub fn markdown(results: &[ApiResult], quick: bool, total: f64, build: f64) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<!-- Written by `cargo xtask conformance{}` ({total:.0} s in all, {build:.0} s of it building). -->",
        if quick { " --quick" } else { "" }
    );
    for r in results {
        let _ = writeln!(s, "<!-- conformance:{}:start -->", r.name);
        s.push_str(&section(r));
        let _ = writeln!(s, "<!-- conformance:{}:end -->", r.name);
    }
    s
}

const HEADER: &str = "# Conformance\n\nWritten by `cargo xtask conformance` from its last full run: the generated GitHub and Stripe clients called through a conformance program (`xtask/conformance/`) against a validating mock server on loopback. *Request validated*: the server's validator found nothing wrong with the request(s) of the call. *Response decoded*: the client decoded the answer into the operation's type (or a documented error status into `Error::Response`). Notes: documented error statuses asked for with `Prefer: code=…`, the spec's named examples (`Prefer: example=…`) and random schema-valid answers.\n\n";

/// Writes the report, keeping the sections of APIs this run did not cover.
pub fn write(path: &Path, results: &[ApiResult], text: &str) -> Result<(), String> {
    let old = std::fs::read_to_string(path).unwrap_or_default();
    let mut out = String::from(HEADER);
    for name in ["github", "stripe"] {
        let start = format!("<!-- conformance:{name}:start -->");
        let end = format!("<!-- conformance:{name}:end -->");
        let source = if results.iter().any(|r| r.name == name) {
            text
        } else {
            old.as_str()
        };
        if let (Some(a), Some(b)) = (source.find(&start), source.find(&end)) {
            out.push_str(&source[a..b + end.len()]);
            out.push_str("\n\n");
        }
    }
    if let Some(first) = text.lines().next() {
        out.push_str(first);
        out.push('\n');
    }
    std::fs::write(path, out).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn summary(results: &[ApiResult], total: f64) -> String {
    let mut s = String::new();
    for r in results {
        let (ex_ok, ex_listed, ex_failed) = r.examples();
        let (dyn_ok, dyn_all) = r.count("dynamic");
        let (err_ok, err_all) = r.count("error");
        let _ = writeln!(
            s,
            "conformance {}: {} operations, {} calls, {} request validation errors, {} calls unseen, errors {err_ok}/{err_all} typed, examples {ex_ok} decoded + {ex_listed} listed + {ex_failed} failed, random {dyn_ok}/{dyn_all} decoded",
            r.name,
            r.operations(),
            r.calls.len(),
            r.request_errors(),
            r.unseen(),
        );
    }
    let _ = write!(s, "conformance: {total:.0} s in all");
    s
}
