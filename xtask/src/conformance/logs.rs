//! The servers' logs cut into one segment per call: the program marks the
//! start of each call with `GET /__conformance/mark/<n>`.

use std::collections::BTreeMap;

/// What the server saw between two markers.
#[derive(Debug, Default, Clone)]
pub struct Segment {
    /// `METHOD /path` of each request.
    pub requests: Vec<String>,
    pub request_errors: Vec<String>,
    pub response_errors: Vec<String>,
}

/// The marker number in `…/__conformance/mark/<n>…`.
fn marker(line: &str) -> Option<u32> {
    let rest = line.split("/__conformance/mark/").nth(1)?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Prism's log: `[HTTP SERVER] get /path ℹ info Request received`, then
/// `[VALIDATOR]` lines; request violations are `✖ error Request …` lines,
/// violations of the response (an example that contradicts its schema) are
/// `✖ error Violation: response…` lines.
pub fn prism(lines: &[String]) -> BTreeMap<u32, Segment> {
    let mut segments: BTreeMap<u32, Segment> = BTreeMap::new();
    let mut current: Option<u32> = None;
    for line in lines {
        if line.contains("/__conformance/mark/") {
            if line.contains("Request received") {
                current = marker(line);
            }
            continue;
        }
        let Some(n) = current else { continue };
        let seg = segments.entry(n).or_default();
        if line.contains("[HTTP SERVER]") && line.contains("Request received") {
            let what = line
                .split("[HTTP SERVER]")
                .nth(1)
                .and_then(|r| r.split(" ℹ").next())
                .unwrap_or("")
                .trim()
                .to_owned();
            seg.requests.push(what);
        } else if line.contains("✖") {
            let message = line
                .split("error")
                .skip(1)
                .collect::<Vec<_>>()
                .join("error")
                .trim()
                .to_owned();
            if message.starts_with("Violation: response") || message.starts_with("Response") {
                seg.response_errors.push(message);
            } else if message.contains("UNPROCESSABLE_ENTITY") {
                // The summary of the violations listed just before.
            } else {
                seg.request_errors.push(message);
            }
        }
    }
    segments
}

/// Our Stripe server's log: one JSON object per line, `{"mark": n}` or
/// `{"request": "POST /v1/…", "request_errors": […], "response_errors": […]}`.
pub fn stripe(lines: &[String]) -> BTreeMap<u32, Segment> {
    let mut segments: BTreeMap<u32, Segment> = BTreeMap::new();
    let mut current: Option<u32> = None;
    for line in lines {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if let Some(mark) = value.get("mark") {
            current = mark.as_u64().map(|n| n as u32);
            continue;
        }
        let Some(n) = current else { continue };
        let seg = segments.entry(n).or_default();
        let strings = |key: &str| -> Vec<String> {
            value[key]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        if let Some(request) = value["request"].as_str() {
            seg.requests.push(request.to_owned());
        }
        seg.request_errors.extend(strings("request_errors"));
        seg.response_errors.extend(strings("response_errors"));
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prism_log_is_cut_at_markers() {
        let log: Vec<String> = [
            "[7:46:04 AM] › [HTTP SERVER] get /__conformance/mark/1 ℹ  info      Request received",
            "[7:46:04 AM] › [HTTP SERVER] get /__conformance/mark/1 ✖  error     Request terminated with error: https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR: Route not resolved, no path matched",
            "[7:46:04 AM] › [HTTP SERVER] get /orgs/o/migrations ℹ  info      Request received",
            "[7:46:04 AM] ›     [VALIDATOR] ⚠  warning   Request did not pass the validation rules",
            "[7:46:04 AM] ›     [VALIDATOR] ✖  error     Request query parameter exclude.1 must be equal to one of the allowed values: repositories",
            "[7:46:04 AM] › [HTTP SERVER] get /orgs/o/migrations ✖  error     Request terminated with error: https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY: Invalid request",
            "[7:46:04 AM] › [HTTP SERVER] get /__conformance/mark/2 ℹ  info      Request received",
            "[7:46:04 AM] › [HTTP SERVER] get /orgs/o/migrations ℹ  info      Request received",
            "[7:47:20 AM] ›     [VALIDATOR] ✖  error     Violation: response.body.0 Response body property 0 must have required property 'exclude_metadata'",
        ]
        .map(String::from)
        .to_vec();
        let segs = prism(&log);
        assert_eq!(segs[&1].requests, ["get /orgs/o/migrations"]);
        assert_eq!(segs[&1].request_errors.len(), 1, "{:?}", segs[&1]);
        assert!(segs[&1].request_errors[0].starts_with("Request query parameter exclude.1"));
        assert!(segs[&2].request_errors.is_empty());
        assert_eq!(segs[&2].response_errors.len(), 1);
    }

    #[test]
    fn stripe_log_is_cut_at_markers() {
        let log: Vec<String> = [
            r#"{"mark": 3}"#,
            r#"{"request": "GET /v1/customers", "request_errors": ["query.created: must be object"], "response_errors": []}"#,
            "not json",
        ]
        .map(String::from)
        .to_vec();
        let segs = stripe(&log);
        assert_eq!(segs[&3].requests, ["GET /v1/customers"]);
        assert_eq!(segs[&3].request_errors, ["query.created: must be object"]);
    }
}
