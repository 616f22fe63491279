//! Tests of [`Index`]: tables of lines, and the index against the scanner it
//! replaced (kept below as `reference`), pointer by pointer, on real documents.

use serde_json::Value;

use super::*;
use crate::diag::escape_token;

/// The locator before [`Index`] (with block sequences followed): rescans
/// the text for every lookup. Its answers are what the index must give.
mod reference {
    use crate::diag::pointer_tokens;
    use crate::source::Syntax;

    /// 0-based line offset, within `text`, of the value at `pointer`; the deepest
    /// existing ancestor when the full pointer does not resolve.
    pub fn line_of(text: &str, syntax: Syntax, pointer: &str) -> usize {
        let tokens = pointer_tokens(pointer);
        let offset = match syntax {
            Syntax::Json => json_offset(text.as_bytes(), &tokens),
            Syntax::Yaml => yaml_offset(text, &tokens),
        };
        text.as_bytes()[..offset.min(text.len())]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
    }

    fn json_offset(bytes: &[u8], tokens: &[String]) -> usize {
        let mut scanner = Scanner { bytes, pos: 0 };
        scanner.skip_ws();
        for token in tokens {
            let best = scanner.pos;
            let found = match scanner.peek() {
                Some(b'{') => scanner.find_key(token),
                Some(b'[') => token
                    .parse::<usize>()
                    .ok()
                    .is_some_and(|i| scanner.find_index(i)),
                _ => false,
            };
            if !found {
                return best;
            }
            scanner.skip_ws();
        }
        scanner.pos
    }

    struct Scanner<'a> {
        bytes: &'a [u8],
        pos: usize,
    }

    impl Scanner<'_> {
        fn peek(&self) -> Option<u8> {
            self.bytes.get(self.pos).copied()
        }

        fn skip_ws(&mut self) {
            while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
                self.pos += 1;
            }
        }

        /// At `{`: moves to the value of `key`; false (position unspecified) if absent.
        fn find_key(&mut self, key: &str) -> bool {
            self.pos += 1;
            loop {
                self.skip_ws();
                match self.peek() {
                    Some(b'"') => {}
                    _ => return false,
                }
                let name = self.string();
                self.skip_ws();
                if self.peek() != Some(b':') {
                    return false;
                }
                self.pos += 1;
                self.skip_ws();
                if name.as_deref() == Some(key) {
                    return true;
                }
                if !self.skip_value() {
                    return false;
                }
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    _ => return false,
                }
            }
        }

        fn find_index(&mut self, index: usize) -> bool {
            self.pos += 1;
            for _ in 0..index {
                self.skip_ws();
                if !self.skip_value() {
                    return false;
                }
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    _ => return false,
                }
            }
            self.skip_ws();
            !matches!(self.peek(), Some(b']') | None)
        }

        /// Reads a string starting at `"`, returning its (decoded) value.
        fn string(&mut self) -> Option<String> {
            let start = self.pos;
            self.pos += 1;
            while let Some(b) = self.peek() {
                match b {
                    b'\\' => self.pos += 2,
                    b'"' => {
                        self.pos += 1;
                        let raw = self.bytes.get(start..self.pos)?;
                        return serde_json::from_slice(raw).ok();
                    }
                    _ => self.pos += 1,
                }
            }
            None
        }

        /// Skips one value without recursion (depth is counted, not stacked).
        fn skip_value(&mut self) -> bool {
            let mut depth = 0usize;
            loop {
                match self.peek() {
                    None => return false,
                    Some(b'"') => {
                        self.string();
                    }
                    Some(b'{' | b'[') => {
                        depth += 1;
                        self.pos += 1;
                    }
                    Some(b'}' | b']') => {
                        if depth == 0 {
                            return true;
                        }
                        depth -= 1;
                        self.pos += 1;
                    }
                    Some(b',') if depth == 0 => return true,
                    Some(_) => self.pos += 1,
                }
                if depth == 0 && !matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
                    // Scalars end at the next delimiter; containers just closed.
                    if matches!(self.peek(), Some(b',' | b'}' | b']') | None) {
                        return true;
                    }
                }
            }
        }
    }

    /// Best effort for YAML: follows the keys by indentation, and the entries
    /// of block sequences (`- …`) by counting them.
    fn yaml_offset(text: &str, tokens: &[String]) -> usize {
        let mut offset = 0;
        let mut min_indent: isize = -1;
        let mut best = 0;
        'tokens: for token in tokens {
            let mut pos = offset;
            // A number is an entry of a block sequence, when one starts on the
            // first line below (its entries counted so far, and their indent),
            // or else a key (`200:`).
            let index = token.parse::<usize>().ok();
            let mut entries: Option<(usize, isize)> = None;
            let mut first = true;
            for line in text[offset..].split_inclusive('\n') {
                let raw = (line.len() - line.trim_start_matches(' ').len()) as isize;
                let (indent, body) = entry_body(line);
                let dash = indent > raw;
                let blank = body.trim().is_empty() && !dash || body.starts_with('#');
                if blank {
                    pos += line.len();
                    continue;
                }
                if let Some(index) = index {
                    if first && dash && raw >= min_indent {
                        entries = Some((0, raw));
                    } else if let Some((n, at)) = entries {
                        if raw < at || raw == at && !dash {
                            break;
                        }
                        if raw == at {
                            entries = Some((n + 1, at));
                        }
                    }
                    first = false;
                    if let Some((n, at)) = entries {
                        if n == index && raw == at {
                            best = pos;
                            offset = pos;
                            min_indent = at;
                            continue 'tokens;
                        }
                        pos += line.len();
                        continue;
                    }
                }
                first = false;
                let is_key = body
                    .strip_prefix(token.as_str())
                    .or_else(|| {
                        body.strip_prefix('"')
                            .and_then(|b| b.strip_prefix(token.as_str()))
                            .and_then(|b| b.strip_prefix('"'))
                    })
                    .or_else(|| {
                        body.strip_prefix('\'')
                            .and_then(|b| b.strip_prefix(token.as_str()))
                            .and_then(|b| b.strip_prefix('\''))
                    })
                    .is_some_and(|rest| rest.starts_with(':'));
                // The container ends at a line no deeper than it (a dash counts
                // where it stands: the next entry of an enclosing sequence).
                if pos > offset && raw <= min_indent {
                    break;
                }
                if indent > min_indent && is_key {
                    min_indent = indent;
                    best = pos;
                    offset = pos + line.len().min(text.len() - pos);
                    continue 'tokens;
                }
                pos += line.len();
            }
            break;
        }
        best
    }

    /// A line's indent and text, an entry's dashes (`- `) counting as indent:
    /// in `  - name: a`, `name` is at indent 4.
    fn entry_body(line: &str) -> (isize, &str) {
        let mut body = line.trim_start_matches(' ');
        let mut indent = line.len() - body.len();
        while let Some(rest) = body
            .strip_prefix("- ")
            .or_else(|| body.strip_prefix('-').filter(|r| r.trim().is_empty()))
        {
            let inner = rest.trim_start_matches(' ');
            indent += body.len() - inner.len();
            body = inner;
        }
        (indent as isize, body)
    }
}

fn index_lines(text: &str, syntax: Syntax, cases: &[(&str, usize)]) {
    // One index for every lookup (in the table's order, then reversed), so
    // what earlier lookups recorded is reused.
    let index = Index::new(text.to_owned(), syntax);
    for (ptr, line) in cases.iter().chain(cases.iter().rev()) {
        assert_eq!(index.line_of(ptr), *line, "{syntax:?} {ptr}");
        assert_eq!(
            reference::line_of(text, syntax, ptr),
            *line,
            "reference {ptr}"
        );
    }
}

#[test]
fn json_index_table() {
    let text = r#"{
  "openapi": "3.0.0",
  "paths": {
    "/a/{b}": {
      "get": {
        "parameters": [
          {"name": "x"},
          {
            "name": "y"
          },
          [],
          {}
        ]
      }
    }
  },
  "m~n": {"k": 1},
  "say \"hi\"": "quoted",
  "caf\u00e9": "escaped",
  "dup": 1,
  "dup": {
    "x": 2
  },
  "empty": [],
  "s": "a string with \"}]\" inside",
  "last": null
}
"#;
    index_lines(
        text,
        Syntax::Json,
        &[
            ("", 0),
            ("/openapi", 1),
            ("/paths", 2),
            ("/paths/~1a~1{b}", 3),
            ("/paths/~1a~1{b}/get/parameters", 5),
            ("/paths/~1a~1{b}/get/parameters/0", 6),
            ("/paths/~1a~1{b}/get/parameters/0/name", 6),
            ("/paths/~1a~1{b}/get/parameters/1", 7),
            ("/paths/~1a~1{b}/get/parameters/1/name", 8),
            ("/paths/~1a~1{b}/get/parameters/2", 10),
            ("/paths/~1a~1{b}/get/parameters/2/0", 10),
            ("/paths/~1a~1{b}/get/parameters/3", 11),
            ("/paths/~1a~1{b}/get/parameters/4", 5),
            ("/paths/~1a~1{b}/get/parameters/x", 5),
            ("/paths/~1a~1{b}/get/parameters/-1", 5),
            ("/paths/~1a~1{b}/post", 3),
            ("/paths/~1a", 2),
            ("/m~0n", 16),
            ("/m~0n/k", 16),
            // A `~` without `0`/`1` is read as itself.
            ("/m~n", 16),
            ("/m~0n/k/deeper", 16),
            ("/say \"hi\"", 17),
            ("/café", 18),
            // The first of duplicate keys.
            ("/dup", 19),
            ("/dup/x", 19),
            ("/empty", 23),
            ("/empty/0", 23),
            ("/s", 24),
            ("/last", 25),
            ("/missing", 0),
            ("/missing/and/more", 0),
        ],
    );
}

#[test]
fn yaml_index_table() {
    let text = "\
openapi: 3.0.0
paths:
  /a/{b}:
    get:
      parameters:
        - name: x
          in: query
      responses: {\"200\": {description: ok}}
  \"/q\":
    post:
      summary: x
  '/s':
    put:
      summary: y

components:
  schemas:
    m~n:
      type: object
    a:b:
      type: string
";
    index_lines(
        text,
        Syntax::Yaml,
        &[
            ("", 0),
            ("/openapi", 0),
            ("/paths", 1),
            ("/paths/~1a~1{b}", 2),
            ("/paths/~1a~1{b}/get", 3),
            // Block sequences are followed; flow collections give their
            // container's line.
            ("/paths/~1a~1{b}/get/parameters", 4),
            ("/paths/~1a~1{b}/get/parameters/0", 5),
            ("/paths/~1a~1{b}/get/parameters/0/name", 5),
            ("/paths/~1a~1{b}/get/parameters/0/in", 6),
            ("/paths/~1a~1{b}/get/responses", 7),
            ("/paths/~1a~1{b}/get/responses/200", 7),
            ("/paths/~1q", 8),
            ("/paths/~1q/post/summary", 10),
            ("/paths/~1s/put", 12),
            ("/paths/~1missing", 1),
            ("/components/schemas/m~0n", 17),
            ("/components/schemas/m~0n/type", 18),
            ("/components/schemas/a:b", 19),
            ("/components/schemas/a", 19),
            ("/components/schemas/missing/type", 16),
            ("/missing", 0),
            // A key of another block is not found after its block ended.
            ("/components/schemas/m~0n/summary", 17),
        ],
    );
}

/// Lookups from several threads at once see the same lines.
#[test]
fn index_is_shared_across_threads() {
    let text = (0..200)
        .map(|i| format!("  \"k{i}\": {{\n    \"v\": [\n      {i}\n    ]\n  }}"))
        .collect::<Vec<_>>()
        .join(",\n");
    let text = format!("{{\n{text}\n}}\n");
    let index = Index::new(text.clone(), Syntax::Json);
    std::thread::scope(|scope| {
        for t in 0..4 {
            let index = &index;
            let text = &text;
            scope.spawn(move || {
                for i in (0..200).rev().skip(t) {
                    let ptr = format!("/k{i}/v/0");
                    assert_eq!(
                        index.line_of(&ptr),
                        reference::line_of(text, Syntax::Json, &ptr),
                        "{ptr}"
                    );
                    assert_eq!(index.line_of(&ptr), 5 * i + 3, "{ptr}");
                }
            });
        }
    });
}

/// Every pointer of `value` (up to `limit`, spread over the document), and
/// for each some that do not resolve.
fn pointers(value: &Value, limit: usize) -> Vec<String> {
    fn walk(value: &Value, at: &str, out: &mut Vec<String>) {
        out.push(at.to_owned());
        match value {
            Value::Object(m) => {
                for (k, v) in m {
                    walk(v, &format!("{at}/{}", escape_token(k)), out);
                }
            }
            Value::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    walk(v, &format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }
    let mut all = Vec::new();
    walk(value, "", &mut all);
    let step = all.len().div_ceil(limit.max(1)).max(1);
    let mut out = Vec::new();
    for p in all.into_iter().step_by(step) {
        out.push(format!("{p}/zzz"));
        out.push(format!("{p}/0"));
        out.push(format!("{p}/~0x~1y"));
        out.push(p);
    }
    out
}

/// The index and the reference agree on every pointer of `text`, looked up
/// in document order on one index and in reverse order on another.
fn agree(name: &str, text: &str, syntax: Syntax, limit: usize) {
    let value: Option<Value> = match syntax {
        Syntax::Json => serde_json::from_str(text).ok(),
        Syntax::Yaml => serde_yaml::from_str(text).ok(),
    };
    let Some(value) = value else { return };
    let pointers = pointers(&value, limit);
    let expected: Vec<usize> = pointers
        .iter()
        .map(|p| reference::line_of(text, syntax, p))
        .collect();
    let forward = Index::new(text.to_owned(), syntax);
    let backward = Index::new(text.to_owned(), syntax);
    for (p, line) in pointers.iter().zip(&expected) {
        assert_eq!(forward.line_of(p), *line, "{name}: {p}");
    }
    for (p, line) in pointers.iter().zip(&expected).rev() {
        assert_eq!(backward.line_of(p), *line, "{name}: {p}");
    }
}

/// The fixtures and specs of this workspace (as written, and re-written as
/// pretty JSON and block YAML), snippet by snippet.
#[test]
fn index_agrees_with_reference_on_fixtures() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let paths = [root.join("tests/fixtures"), root.join("../specs")];
    let Ok(files) = crate::source::load(&paths) else {
        panic!("fixtures do not load");
    };
    assert!(files.len() > 20, "{} files", files.len());
    for file in &files {
        for snippet in crate::source::snippets(file) {
            let name = format!("{}:{}", snippet.file, snippet.line);
            agree(&name, &snippet.text, snippet.syntax, 150);
            rewritten(&name, &snippet.text, snippet.syntax, 80);
        }
    }
}

/// The same on the shared corpus (`../shared/corpus`), rewritten as pretty
/// JSON and block YAML (its files are one line each). Slow in a debug build
/// (the reference rescans): `cargo test --release -p generator
/// index_agrees_with_reference_on_corpus -- --ignored`.
#[test]
#[ignore]
fn index_agrees_with_reference_on_corpus() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    let paths = [root.join("dev"), root.join("v31")];
    let Ok(files) = crate::source::load(&paths) else {
        panic!("{}: the corpus does not load", root.display());
    };
    for file in &files {
        rewritten(&file.name, &file.text, Syntax::Json, 3_000);
    }
}

fn rewritten(name: &str, text: &str, syntax: Syntax, limit: usize) {
    let value: Option<Value> = match syntax {
        Syntax::Json => serde_json::from_str(text).ok(),
        Syntax::Yaml => serde_yaml::from_str(text).ok(),
    };
    let Some(value) = value else { return };
    if let Ok(json) = serde_json::to_string_pretty(&value) {
        agree(&format!("{name} as JSON"), &json, Syntax::Json, limit);
    }
    if let Ok(yaml) = serde_yaml::to_string(&value) {
        agree(&format!("{name} as YAML"), &yaml, Syntax::Yaml, limit);
    }
}
