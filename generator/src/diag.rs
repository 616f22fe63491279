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
    fn display_has_file_line_pointer() {
        let mut d = Diagnostics::default();
        d.warning(
            "odd",
            Some(Location {
                file: "specs/a.md".into(),
                line: 12,
                pointer: "/paths".into(),
            }),
        );
        assert_eq!(d.to_string(), "warning: specs/a.md:12 (at #/paths): odd\n");
    }
}
