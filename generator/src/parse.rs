//! Stage 2: parsed documents. Turns snippets into JSON values that have an
//! `openapi` key, with located syntax errors.

use std::sync::Arc;

use serde_json::Value;

mod numbers;

use crate::diag::{Diagnostics, Location};
use crate::locate::{self, Index};
use crate::normalize::Rewrites;
use crate::resolve::Origins;
use crate::source::{Snippet, Syntax};

/// One OpenAPI document and where it came from.
#[derive(Clone, Debug)]
pub struct Document {
    pub file: String,
    /// 1-based line of the document's first line in `file`.
    pub line: usize,
    /// The document's text, indexed when the first diagnostic is located in
    /// it (shared by clones).
    pub source: Arc<Index>,
    /// The document, normalised to OpenAPI 3.0 form (see [`normalize`]).
    pub value: Value,
    /// What normalisation changed; maps pointers back to `text`.
    pub rewrites: Rewrites,
    /// Content that `$ref`s pulled in from other files (see [`crate::resolve`]).
    pub origins: Origins,
}

impl Document {
    /// The location, in the user's file, of `pointer` in this (normalised)
    /// document.
    pub fn locate(&self, pointer: &str) -> Location {
        let pointer = self.rewrites.original(pointer);
        match self.origins.find(&pointer) {
            Some((Some(fragment), at)) => Location {
                file: fragment.file.clone(),
                line: 1 + fragment.index.line_of(&at),
                pointer: at,
                overlay: None,
            },
            Some((None, at)) => self.locate_own(at),
            None => self.locate_own(pointer),
        }
    }

    /// A pointer of the document's own text.
    fn locate_own(&self, pointer: String) -> Location {
        Location {
            file: self.file.clone(),
            line: self.line + self.source.line_of(&pointer),
            pointer,
            overlay: None,
        }
    }
}

/// What a snippet turned out to be.
#[derive(Debug)]
pub enum Parsed {
    Document(Document),
    /// A whole file without an `openapi` key: a fragment, if some document
    /// refers to it; the location says where to report it otherwise.
    NotADocument(Location),
    /// Not an OpenAPI document (a Markdown block of other content), or
    /// broken (already reported).
    Nothing,
}

/// A YAML text as a JSON value (integers beyond 64 bits read as floats).
pub(crate) fn yaml_value(text: &str) -> Result<Value, String> {
    serde_yaml::from_str::<Value>(text)
        .or_else(|e| numbers::yaml(text).map(|(value, _)| value).map_err(|_| e))
        .map_err(|e| e.to_string())
}

/// Parses a snippet; a whole file without an `openapi` key is an error.
pub fn parse(snippet: Snippet, diags: &mut Diagnostics) -> Option<Document> {
    match classify(snippet, diags) {
        Parsed::Document(d) => Some(d),
        Parsed::NotADocument(location) => {
            not_a_document(location, diags);
            None
        }
        Parsed::Nothing => None,
    }
}

/// Reports a file that is not an OpenAPI document.
pub fn not_a_document(location: Location, diags: &mut Diagnostics) {
    diags.error(
        "not an OpenAPI document: no top-level `openapi` key",
        Some(location),
    );
}

/// Parses a snippet. Markdown blocks that are not OpenAPI documents are
/// skipped silently; broken ones that look like documents are errors.
/// The document is not yet resolved ([`crate::resolve`]) nor normalised.
pub fn classify(snippet: Snippet, diags: &mut Diagnostics) -> Parsed {
    // Numbers read as something else than written (YAML only), to report
    // once the snippet is known to be a document.
    let mut widened: Vec<numbers::Widened> = Vec::new();
    let parsed = match snippet.syntax {
        Syntax::Json => serde_json::from_str::<Value>(&snippet.text)
            .or_else(|e| {
                // `1e400`: read as a string, which reading the document
                // reports where a number belongs.
                let again = e
                    .to_string()
                    .starts_with("number out of range")
                    .then(|| numbers::quote_huge(&snippet.text))
                    .flatten()
                    .and_then(|text| serde_json::from_str::<Value>(&text).ok());
                again.ok_or(e)
            })
            .map_err(|e| {
                let line = snippet.line + e.line().saturating_sub(1);
                // serde_json's own position is inside the snippet: keep the column only.
                let text = e.to_string();
                let suffix = format!(" at line {} column {}", e.line(), e.column());
                let message = text.strip_suffix(&suffix).unwrap_or(&text);
                (
                    format!("invalid JSON: {message} (column {})", e.column()),
                    line,
                )
            }),
        Syntax::Yaml => match flow_too_deep(&snippet.text) {
            Some(line) => Err((
                format!(
                    "invalid YAML: nested deeper than {MAX_FLOW_DEPTH} levels (recursion limit exceeded)"
                ),
                snippet.line + line,
            )),
            None => serde_yaml::from_str::<Value>(&snippet.text)
                .or_else(|e| {
                    // Integers beyond 64 bits: read as floats, with a warning.
                    match numbers::yaml(&snippet.text) {
                        Ok((value, wide)) => {
                            widened = wide;
                            Ok(value)
                        }
                        Err(_) => Err(e),
                    }
                })
                .map_err(|e| {
                    let inner = e.location().map_or(0, |l| l.line().saturating_sub(1));
                    (format!("invalid YAML: {e}"), snippet.line + inner)
                }),
        },
    };
    let value = match parsed {
        Ok(v) => v,
        Err((message, line)) => {
            if !snippet.embedded || looks_like_openapi(&snippet.text) {
                diags.error(
                    message,
                    Some(Location {
                        file: snippet.file,
                        line,
                        pointer: String::new(),
                        overlay: None,
                    }),
                );
            }
            return Parsed::Nothing;
        }
    };
    let version = value.get("openapi").or_else(|| value.get("swagger"));
    let here = || Location {
        file: snippet.file.clone(),
        line: snippet.line,
        pointer: String::new(),
        overlay: None,
    };
    match version {
        None if snippet.embedded => return Parsed::Nothing,
        None => return Parsed::NotADocument(here()),
        Some(v) => {
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            if value.get("swagger").is_some() || !text.starts_with('3') {
                diags.error(
                    format!("unsupported OpenAPI version `{text}`: only 3.0, 3.1 and 3.2 are read"),
                    Some(here()),
                );
                return Parsed::Nothing;
            }
        }
    }
    if !value.is_object() {
        return Parsed::Nothing;
    }
    for w in widened {
        let line = snippet.line + locate::line_of(&snippet.text, snippet.syntax, &w.pointer);
        diags.warning(
            w.note,
            Some(Location {
                file: snippet.file.clone(),
                line,
                pointer: w.pointer,
                overlay: None,
            }),
        );
    }
    Parsed::Document(Document {
        file: snippet.file,
        line: snippet.line,
        source: Arc::new(Index::new(snippet.text, snippet.syntax)),
        value,
        rewrites: Rewrites::default(),
        origins: Origins::default(),
    })
}

/// Flow collections (`[`, `{`) nested deeper than this are refused before
/// the YAML parser sees them: it would reject them anyway (its recursion
/// limit is 128), but only after work that grows with the square of the
/// depth.
const MAX_FLOW_DEPTH: usize = 256;

/// The 0-based line where flow nesting first exceeds [`MAX_FLOW_DEPTH`], by
/// a lexical scan that skips quoted scalars and comments.
fn flow_too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut line = 0usize;
    let mut quote: Option<char> = None;
    let mut prev = '\n';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            line += 1;
        }
        match quote {
            Some('\'') if c == '\'' => {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                } else {
                    quote = None;
                }
            }
            Some('"') if c == '\\' => {
                chars.next();
            }
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '"' | '\'' if matches!(prev, ' ' | '\t' | '\n' | '[' | '{' | ',' | ':') => {
                    quote = Some(c)
                }
                '#' if prev.is_whitespace() => {
                    for c in chars.by_ref() {
                        if c == '\n' {
                            line += 1;
                            break;
                        }
                    }
                }
                '[' | '{' => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Some(line);
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        prev = c;
    }
    None
}

fn looks_like_openapi(text: &str) -> bool {
    let head: String = text.chars().take(200).collect();
    head.contains("\"openapi\"") || head.trim_start().starts_with("openapi:")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snip(text: &str, syntax: Syntax, embedded: bool) -> Snippet {
        Snippet {
            file: "f.md".into(),
            line: 10,
            syntax,
            text: text.into(),
            embedded,
        }
    }

    #[test]
    fn table() {
        // (text, syntax, embedded, is document, diagnostic)
        let cases: &[(&str, Syntax, bool, bool, Option<&str>)] = &[
            ("{\"openapi\":\"3.0.1\"}", Syntax::Json, true, true, None),
            ("openapi: 3.1.0\n", Syntax::Yaml, true, true, None),
            ("{\"code\":\"0\"}", Syntax::Json, true, false, None),
            (
                "{\"code\":\"0\"}",
                Syntax::Json,
                false,
                false,
                Some("error: f.md:10: not an OpenAPI document: no top-level `openapi` key"),
            ),
            ("{\"x\": 1,", Syntax::Json, true, false, None),
            (
                "{\"openapi\":\n\"3.0.1\",,}",
                Syntax::Json,
                true,
                false,
                Some("error: f.md:11: invalid JSON: key must be a string (column 9)"),
            ),
            (
                "{\"swagger\":\"2.0\"}",
                Syntax::Json,
                false,
                false,
                Some(
                    "error: f.md:10: unsupported OpenAPI version `2.0`: only 3.0, 3.1 and 3.2 are read",
                ),
            ),
            (
                &format!("openapi: 3.0.0\nx:\n  - {}", "[".repeat(300)),
                Syntax::Yaml,
                false,
                false,
                Some(
                    "error: f.md:12: invalid YAML: nested deeper than 256 levels (recursion limit exceeded)",
                ),
            ),
            (
                &format!(
                    "openapi: 3.0.0\nx: '{}'\ny: \"{}\\\"\" # {}\n",
                    "[".repeat(300),
                    "{".repeat(300),
                    "[".repeat(300)
                ),
                Syntax::Yaml,
                false,
                true,
                None,
            ),
        ];
        for (text, syntax, embedded, is_doc, diag) in cases {
            let mut diags = Diagnostics::default();
            let doc = parse(snip(text, *syntax, *embedded), &mut diags);
            assert_eq!(doc.is_some(), *is_doc, "{text}");
            let got = diags.to_string();
            assert_eq!(got.trim_end(), diag.unwrap_or(""), "{text}");
        }
    }
}
