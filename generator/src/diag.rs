//! Diagnostics: located errors and warnings, gathered per stage.
//!
//! Every stage pushes into one [`Diagnostics`] collector instead of failing on
//! the first problem, so a user sees all of their mistakes at once. The driver
//! stops between stages when an error was recorded.

use std::fmt;

/// Where something is: a file, a 1-based line in that file, and a JSON pointer
/// into the OpenAPI document found there.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub pointer: String,
    /// When an overlay changed the value: the overlay action that did (the
    /// overlay's file, line, and pointer inside the overlay).
    pub overlay: Option<Box<Location>>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)?;
        if !self.pointer.is_empty() {
            write!(f, " (at #{})", self.pointer)?;
        }
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub location: Option<Location>,
    /// A second place involved, e.g. the other definition of a conflict.
    pub related: Option<Location>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match &self.location {
            Some(loc) => write!(f, "{level}: {loc}: {}", self.message)?,
            None => write!(f, "{level}: {}", self.message)?,
        }
        if let Some(overlay) = self.location.as_ref().and_then(|l| l.overlay.as_deref()) {
            write!(f, "\n  note: changed by the overlay at {overlay}")?;
        }
        if let Some(rel) = &self.related {
            write!(f, "\n  note: see also {rel}")?;
        }
        Ok(())
    }
}

/// Collector of diagnostics for one run of the pipeline.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn error(&mut self, message: impl Into<String>, location: Option<Location>) {
        self.push(Severity::Error, message.into(), location, None);
    }

    pub fn warning(&mut self, message: impl Into<String>, location: Option<Location>) {
        self.push(Severity::Warning, message.into(), location, None);
    }

    pub fn conflict(&mut self, message: impl Into<String>, first: Location, second: Location) {
        self.push(Severity::Error, message.into(), Some(second), Some(first));
    }

    fn push(
        &mut self,
        severity: Severity,
        message: String,
        location: Option<Location>,
        related: Option<Location>,
    ) {
        self.items.push(Diagnostic {
            severity,
            message,
            location,
            related,
        });
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.severity == Severity::Error)
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// All diagnostics, sorted by location so output does not depend on the
    /// order in which stages visited things.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| {
            (&a.location, a.severity, &a.message).cmp(&(&b.location, b.severity, &b.message))
        });
        v.dedup_by(|a, b| a == b);
        v
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }
}

/// What [`Diagnostics::summarised`] prints: a diagnostic, or how many more
/// of one kind were left out.
#[derive(Debug, PartialEq, Eq)]
pub enum Line<'d> {
    Shown(&'d Diagnostic),
    More {
        severity: Severity,
        count: usize,
        /// The kind's message, with the parts that vary (names, pointers,
        /// numbers) left out.
        kind: String,
    },
}

impl fmt::Display for Line<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Line::Shown(d) => write!(f, "{d}"),
            Line::More {
                severity,
                count,
                kind,
            } => {
                let level = match severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                let plural = if *count == 1 { "" } else { "s" };
                write!(
                    f,
                    "{level}: … and {} more {level}{plural} like this: {kind} (run with --verbose to see all)",
                    thousands(*count)
                )
            }
        }
    }
}

impl Diagnostic {
    /// The kind of a diagnostic: its message with what varies from one to
    /// the next of its kind left out (spans in backticks, numbers).
    pub fn kind(&self) -> String {
        let mut out = String::with_capacity(self.message.len());
        let mut in_code = false;
        let mut last_digit = false;
        for c in self.message.chars() {
            if c == '`' {
                if !in_code {
                    out.push_str("`…`");
                }
                in_code = !in_code;
                continue;
            }
            if in_code {
                continue;
            }
            if c.is_ascii_digit() {
                if !last_digit {
                    out.push('#');
                }
                last_digit = true;
                continue;
            }
            last_digit = false;
            out.push(c);
        }
        out
    }
}

/// `16000` → `16,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl Diagnostics {
    /// The diagnostics as [`Diagnostics::sorted`] gives them, but of each
    /// kind of warning only the first `limit`, then one line with how many
    /// more there are. Errors are all shown.
    pub fn summarised(&self, limit: usize) -> Vec<Line<'_>> {
        let mut seen: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
        let mut lines = Vec::new();
        for d in self.sorted() {
            if d.severity == Severity::Error {
                lines.push(Line::Shown(d));
                continue;
            }
            let n = seen.entry(d.kind()).or_insert(0);
            *n += 1;
            if *n <= limit {
                lines.push(Line::Shown(d));
            }
        }
        for (kind, n) in seen {
            if n > limit {
                lines.push(Line::More {
                    severity: Severity::Warning,
                    count: n - limit,
                    kind,
                });
            }
        }
        lines
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in self.sorted() {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Escapes one JSON pointer token (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Splits a JSON pointer into unescaped tokens.
pub fn pointer_tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .trim_start_matches('/')
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// The JSON pointer of a same-document `$ref` (`#/components/schemas/A%20B`
/// → `/components/schemas/A B`), percent-decoded; `None` for any other
/// reference.
pub fn fragment_pointer(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    if !(fragment.is_empty() || fragment.starts_with('/')) {
        return None;
    }
    percent_decode(fragment)
}

/// Decodes `%XX` escapes (as UTF-8); `None` when the result is not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return Some(text.to_owned());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                let (h, l) = (hex(h).unwrap_or(0), hex(l).unwrap_or(0));
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Builds a pointer from tokens.
pub fn pointer(tokens: &[&str]) -> String {
    let mut out = String::new();
    for t in tokens {
        out.push('/');
        out.push_str(&escape_token(t));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_round_trip() {
        let cases = [
            (vec!["paths", "/a/{b}", "get"], "/paths/~1a~1{b}/get"),
            (vec!["x~y"], "/x~0y"),
            (vec![], ""),
        ];
        for (tokens, expected) in cases {
            let p = pointer(&tokens);
            assert_eq!(p, expected);
            assert_eq!(pointer_tokens(&p), tokens);
        }
    }

    #[test]
    fn fragment_pointers() {
        let cases = [
            ("#/components/schemas/A", Some("/components/schemas/A")),
            (
                "#/components/schemas/A%20B",
                Some("/components/schemas/A B"),
            ),
            ("#/paths/~1pets/get", Some("/paths/~1pets/get")),
            ("#/x/%E2%82%AC", Some("/x/€")),
            ("#/x/%zz", Some("/x/%zz")),
            ("#", Some("")),
            ("#anchor", None),
            ("other.yaml#/a", None),
            ("https://example.com/a.json", None),
        ];
        for (reference, expected) in cases {
            assert_eq!(
                fragment_pointer(reference).as_deref(),
                expected,
                "{reference}"
            );
        }
    }

    #[test]
    fn kinds_leave_out_what_varies() {
        let cases = [
            (
                "`allOf` mixes objects with other kinds of schema; using `serde_json::Value`",
                "`…` mixes objects with other kinds of schema; using `…`",
            ),
            (
                "operationId `getA` shares no word with `GET /b` or its summary",
                "operationId `…` shares no word with `…` or its summary",
            ),
            ("invalid JSON (column 17)", "invalid JSON (column #)"),
        ];
        for (message, kind) in cases {
            let d = Diagnostic {
                severity: Severity::Warning,
                message: message.into(),
                location: None,
                related: None,
            };
            assert_eq!(d.kind(), kind);
        }
    }

    #[test]
    fn repeated_warnings_are_summarised() {
        let mut d = Diagnostics::default();
        let at = |line: usize| {
            Some(Location {
                file: "a.json".into(),
                line,
                pointer: format!("/x/{line}"),
                overlay: None,
            })
        };
        for i in 0..7 {
            d.warning(
                format!("property `p{i}`: `pattern` is not a string; dropped"),
                at(i + 1),
            );
        }
        d.warning("operationId `x` shares no word with `GET /y`", at(20));
        d.error("bad `$ref: y`", at(30));
        d.error("bad `$ref: z`", at(31));
        let lines: Vec<String> = d.summarised(2).iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "warning: a.json:1 (at #/x/1): property `p0`: `pattern` is not a string; dropped",
                "warning: a.json:2 (at #/x/2): property `p1`: `pattern` is not a string; dropped",
                "warning: a.json:20 (at #/x/20): operationId `x` shares no word with `GET /y`",
                "error: a.json:30 (at #/x/30): bad `$ref: y`",
                "error: a.json:31 (at #/x/31): bad `$ref: z`",
                "warning: … and 5 more warnings like this: property `…`: `…` is not a string; dropped (run with --verbose to see all)",
            ]
        );
        assert_eq!(thousands(15995), "15,995");
        assert_eq!(d.summarised(usize::MAX).len(), d.sorted().len());
    }

    #[test]
    fn display_has_file_line_pointer() {
        let mut d = Diagnostics::default();
        d.warning(
            "odd",
            Some(Location {
                file: "specs/a.md".into(),
                line: 12,
                pointer: "/paths".into(),
                overlay: None,
            }),
        );
        assert_eq!(d.to_string(), "warning: specs/a.md:12 (at #/paths): odd\n");
    }
}
