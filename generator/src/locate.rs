//! Finds the line of a JSON pointer inside a document's text, so diagnostics
//! can name the user's own line.
//!
//! An [`Index`] holds one text and answers every lookup into it without
//! scanning the text again from the start: nothing is built until the first
//! lookup (a document without diagnostics pays nothing), and what a lookup
//! learns is kept for the later ones. It is `Sync`: diagnostics may be
//! located from worker threads.
//!
//! - JSON: a table of line starts (offset → line by binary search), and per
//!   container (object or array) that a lookup entered, the offsets of the
//!   keys or elements scanned so far and where the scan stopped. A container
//!   is scanned at most once, and only as far as the entries asked for, so
//!   all lookups together cost at most the text's size times its depth, and
//!   memory grows with what was asked.
//! - YAML: one pass over the lines when the first lookup comes, recording
//!   every line's indentation and which pointer tokens the line could be the
//!   key of; a lookup is then a binary search per token. This is the same
//!   best-effort rule as before (keys followed by indentation; a token that
//!   names a sequence element, or a key inside a flow collection, stops at
//!   its container's line).
//!
//! When a pointer does not resolve, the line is that of its deepest existing
//! ancestor.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, OnceLock, PoisonError};

use crate::diag::pointer_tokens;
use crate::source::Syntax;

/// 0-based line offset, within `text`, of the value at `pointer`; the deepest
/// existing ancestor when the full pointer does not resolve. Builds an
/// [`Index`] for one lookup: keep an `Index` to look up more than once.
pub fn line_of(text: &str, syntax: Syntax, pointer: &str) -> usize {
    Index::new(text.to_owned(), syntax).line_of(pointer)
}

/// One document text and what lookups into it have learnt so far.
pub struct Index {
    text: String,
    syntax: Syntax,
    built: OnceLock<Built>,
}

enum Built {
    Json(JsonIndex),
    Yaml(YamlIndex),
}

impl fmt::Debug for Index {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Index")
            .field("syntax", &self.syntax)
            .field("bytes", &self.text.len())
            .field("built", &self.built.get().is_some())
            .finish()
    }
}

impl Index {
    /// Takes the text; builds nothing yet.
    pub fn new(text: String, syntax: Syntax) -> Index {
        Index {
            text,
            syntax,
            built: OnceLock::new(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn syntax(&self) -> Syntax {
        self.syntax
    }

    /// 0-based line, within the text, of the value at `pointer`; the deepest
    /// existing ancestor when the full pointer does not resolve.
    pub fn line_of(&self, pointer: &str) -> usize {
        let tokens = pointer_tokens(pointer);
        let built = self.built.get_or_init(|| match self.syntax {
            Syntax::Json => Built::Json(JsonIndex::new(self.text.as_bytes())),
            Syntax::Yaml => Built::Yaml(YamlIndex::new(&self.text)),
        });
        match built {
            Built::Json(index) => index.line_of(self.text.as_bytes(), &tokens),
            Built::Yaml(index) => index.line_of(&tokens),
        }
    }
}

// ---------------------------------------------------------------- JSON ----

struct JsonIndex {
    /// Byte offsets of every `\n`: the line of an offset is how many come
    /// before it.
    newlines: Vec<usize>,
    /// Offset of the root value.
    root: usize,
    /// Containers entered by some lookup, by the offset of their `{` or `[`.
    containers: Mutex<HashMap<usize, Container>>,
}

/// What is known of one object or array.
struct Container {
    entries: Entries,
    next: Next,
}

enum Entries {
    /// Key → offset of its value; the first of duplicate keys wins.
    Object(HashMap<Box<str>, usize>),
    /// Offsets of the elements, in order.
    Array(Vec<usize>),
}

/// Where scanning a container goes on.
#[derive(Clone, Copy)]
enum Next {
    /// At the first entry (just after the `{` or `[`).
    First(usize),
    /// At the value of the last entry recorded, which is still to be skipped.
    After(usize),
    /// Every entry is recorded (or the rest could not be read).
    Done,
}

impl JsonIndex {
    fn new(bytes: &[u8]) -> JsonIndex {
        let newlines = bytes
            .iter()
            .enumerate()
            .filter_map(|(i, b)| (*b == b'\n').then_some(i))
            .collect();
        let mut scanner = Scanner { bytes, pos: 0 };
        scanner.skip_ws();
        JsonIndex {
            newlines,
            root: scanner.pos,
            containers: Mutex::new(HashMap::new()),
        }
    }

    fn line_of(&self, bytes: &[u8], tokens: &[String]) -> usize {
        let offset = self.offset(bytes, tokens).min(bytes.len());
        self.newlines.partition_point(|&n| n < offset)
    }

    /// Offset of the value at `tokens`, or of its deepest existing ancestor.
    fn offset(&self, bytes: &[u8], tokens: &[String]) -> usize {
        let mut containers = self
            .containers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let mut pos = self.root;
        for token in tokens {
            let found = match bytes.get(pos) {
                Some(b'{') => containers
                    .entry(pos)
                    .or_insert_with(|| Container::new(pos, true))
                    .key(bytes, token),
                Some(b'[') => match token.parse::<usize>() {
                    Ok(index) => containers
                        .entry(pos)
                        .or_insert_with(|| Container::new(pos, false))
                        .element(bytes, index),
                    Err(_) => None,
                },
                _ => None,
            };
            match found {
                Some(value) => pos = value,
                None => return pos,
            }
        }
        pos
    }
}

impl Container {
    fn new(open: usize, object: bool) -> Container {
        Container {
            entries: if object {
                Entries::Object(HashMap::new())
            } else {
                Entries::Array(Vec::new())
            },
            next: Next::First(open + 1),
        }
    }

    /// Offset of the value of `key` (an object's), scanning on if needed.
    fn key(&mut self, bytes: &[u8], key: &str) -> Option<usize> {
        loop {
            if let Entries::Object(keys) = &self.entries
                && let Some(&value) = keys.get(key)
            {
                return Some(value);
            }
            self.scan_one(bytes)?;
        }
    }

    /// Offset of element `index` (an array's), scanning on if needed.
    fn element(&mut self, bytes: &[u8], index: usize) -> Option<usize> {
        loop {
            if let Entries::Array(elements) = &self.entries
                && let Some(&value) = elements.get(index)
            {
                return Some(value);
            }
            self.scan_one(bytes)?;
        }
    }

    /// Records the next entry; `None` when there is none.
    fn scan_one(&mut self, bytes: &[u8]) -> Option<()> {
        let mut scanner = match self.next {
            Next::Done => return None,
            Next::First(pos) => Scanner { bytes, pos },
            Next::After(pos) => {
                let mut scanner = Scanner { bytes, pos };
                let more = scanner.skip_value() && {
                    scanner.skip_ws();
                    scanner.peek() == Some(b',')
                };
                if !more {
                    self.next = Next::Done;
                    return None;
                }
                scanner.pos += 1;
                scanner
            }
        };
        let value = match &mut self.entries {
            Entries::Object(keys) => scanner.entry().map(|(name, value)| {
                if let Some(name) = name {
                    keys.entry(name.into_boxed_str()).or_insert(value);
                }
                value
            }),
            Entries::Array(elements) => {
                scanner.skip_ws();
                (!matches!(scanner.peek(), Some(b']') | None)).then(|| {
                    elements.push(scanner.pos);
                    scanner.pos
                })
            }
        };
        self.next = value.map_or(Next::Done, Next::After);
        value.map(|_| ())
    }
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

    /// Reads `"key": ` of an object entry, leaving the position at the
    /// value: the key (`None` if it does not decode) and the value's offset.
    fn entry(&mut self) -> Option<(Option<String>, usize)> {
        self.skip_ws();
        if self.peek() != Some(b'"') {
            return None;
        }
        let name = self.string();
        self.skip_ws();
        if self.peek() != Some(b':') {
            return None;
        }
        self.pos += 1;
        self.skip_ws();
        Some((name, self.pos))
    }

    /// Reads a string starting at `"`, returning its (decoded) value.
    fn string(&mut self) -> Option<String> {
        let start = self.pos;
        self.pos += 1;
        let mut plain = true;
        while let Some(b) = self.peek() {
            match b {
                b'\\' => {
                    plain = false;
                    self.pos += 2;
                }
                b'"' => {
                    self.pos += 1;
                    let raw = self.bytes.get(start..self.pos)?;
                    // Most keys have nothing to decode.
                    if plain
                        && !raw.iter().any(|b| *b < 0x20)
                        && let Ok(s) = std::str::from_utf8(&raw[1..raw.len() - 1])
                    {
                        return Some(s.to_owned());
                    }
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
                    self.string_end();
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

    /// Moves past a string starting at `"` without decoding it.
    fn string_end(&mut self) {
        self.pos += 1;
        while let Some(b) = self.peek() {
            match b {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    return;
                }
                _ => self.pos += 1,
            }
        }
    }
}

// ---------------------------------------------------------------- YAML ----

/// Best effort for YAML: a key is a line that starts (after its indentation)
/// with the token, bare or quoted, and a `:`. A token's key is the first such
/// line after its parent's line that is indented deeper than the parent,
/// before the parent's block ends (at the next non-blank line indented no
/// deeper than the parent, not counting the line right after the parent).
/// The first token is looked for anywhere.
struct YamlIndex {
    lines: Vec<Line>,
    /// Token → the lines that could be its key, in order.
    keys: HashMap<Box<str>, Vec<usize>>,
    /// Where the block after a line ends: (first line, its parent's
    /// indentation) → the line that ends it.
    ends: Mutex<HashMap<(usize, usize), usize>>,
}

struct Line {
    /// Spaces before the text (before a `- `, if the line starts an entry).
    indent: usize,
    /// Where the text after any `- ` starts: `name` in `  - name: a` is at 4.
    content: usize,
    /// Starts an entry of a block sequence (`- …`).
    dash: bool,
    /// Empty, or only a comment.
    blank: bool,
}

impl YamlIndex {
    fn new(text: &str) -> YamlIndex {
        let mut lines = Vec::new();
        let mut keys: HashMap<Box<str>, Vec<usize>> = HashMap::new();
        for (i, line) in text.split_inclusive('\n').enumerate() {
            let trimmed = line.trim_start_matches(' ');
            let indent = line.len() - trimmed.len();
            let (content, body) = entry_body(line);
            let dash = content > indent;
            lines.push(Line {
                indent,
                content,
                dash,
                blank: !dash && (body.trim().is_empty() || body.starts_with('#')),
            });
            let mut add = |token: &str| match keys.get_mut(token) {
                Some(list) if list.last() == Some(&i) => {}
                Some(list) => list.push(i),
                None => {
                    keys.insert(token.into(), vec![i]);
                }
            };
            for (colon, _) in body.match_indices(':') {
                let before = &body[..colon];
                add(before);
                // A quoted key, unless its token also starts the line bare
                // (then only the bare reading counts: the empty token never
                // names `'':`).
                for quote in ['"', '\''] {
                    if let Some(inner) = before
                        .strip_prefix(quote)
                        .and_then(|b| b.strip_suffix(quote))
                        && !body.starts_with(inner)
                    {
                        add(inner);
                    }
                }
            }
        }
        YamlIndex {
            lines,
            keys,
            ends: Mutex::new(HashMap::new()),
        }
    }

    fn line_of(&self, tokens: &[String]) -> usize {
        // Lines from `start` on, inside a parent indented `parent` (None at
        // the top, where every line is deeper).
        let mut start = 0;
        let mut parent: Option<usize> = None;
        let mut best = 0;
        for token in tokens {
            // A number is an entry of a block sequence when one starts the
            // block, or else a key (`200:`).
            if let Ok(index) = token.parse::<usize>()
                && let Some(line) = self.entry(start, parent, index)
            {
                best = line;
                // The entry's own line holds its first key.
                start = line;
                parent = self.lines.get(line).map(|l| l.indent);
                continue;
            }
            let Some(candidates) = self.keys.get(token.as_str()) else {
                break;
            };
            let deeper = |line: usize| {
                self.lines
                    .get(line)
                    .is_some_and(|l| parent.is_none_or(|p| l.content > p))
            };
            let mut at = candidates.partition_point(|&l| l < start);
            // Only the block's first line may be as shallow as the parent.
            if candidates.get(at) == Some(&start) && !deeper(start) {
                at += 1;
            }
            let Some(&line) = candidates.get(at) else {
                break;
            };
            let end = match parent {
                None => self.lines.len(),
                Some(p) => self.end(start, p),
            };
            if line >= end || !deeper(line) {
                break;
            }
            best = line;
            start = line + 1;
            parent = self.lines.get(line).map(|l| l.content);
        }
        best
    }

    /// The line of entry `index` of the block sequence that starts the block
    /// from `start` (inside `parent`), if one does; its entries are the
    /// dashes at the first one's indent (which may equal the parent's: an
    /// indentless sequence under a key).
    fn entry(&self, start: usize, parent: Option<usize>, index: usize) -> Option<usize> {
        let mut lines = self.lines.iter().enumerate().skip(start);
        let (first, at) = loop {
            let (i, l) = lines.next()?;
            if l.blank {
                continue;
            }
            if !l.dash || parent.is_some_and(|p| l.indent < p) {
                return None;
            }
            break (i, l.indent);
        };
        let mut n = 0;
        if index == 0 {
            return Some(first);
        }
        for (i, l) in lines {
            if l.blank || l.indent > at {
                continue;
            }
            if l.indent < at || !l.dash {
                return None;
            }
            n += 1;
            if n == index {
                return Some(i);
            }
        }
        None
    }

    /// The first line after `start` that is not blank and indented no deeper
    /// than `parent` (or the number of lines).
    fn end(&self, start: usize, parent: usize) -> usize {
        let mut ends = self.ends.lock().unwrap_or_else(PoisonError::into_inner);
        *ends.entry((start, parent)).or_insert_with(|| {
            self.lines
                .iter()
                .enumerate()
                .skip(start + 1)
                .find(|(_, l)| !l.blank && l.indent <= parent)
                .map_or(self.lines.len(), |(i, _)| i)
        })
    }
}

/// A line's text after its indent and any `- ` entry markers, and where
/// that text starts: in `  - name: a`, `name: a` at 4.
fn entry_body(line: &str) -> (usize, &str) {
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
    (indent, body)
}

#[cfg(test)]
mod index_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_table() {
        let text = "{\n \"a\": {\n  \"b\": [1,\n   {\"c\": \"x\"}]\n },\n \"d\": \"}\\\"\"\n}\n";
        let cases = [
            ("", 0),
            ("/a", 1),
            ("/a/b", 2),
            ("/a/b/1", 3),
            ("/a/b/1/c", 3),
            ("/d", 5),
            ("/a/zzz", 1),
            ("/a/b/7", 2),
        ];
        for (ptr, line) in cases {
            assert_eq!(line_of(text, Syntax::Json, ptr), line, "{ptr}");
        }
    }

    #[test]
    fn yaml_table() {
        let text = "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      summary: x\ncomponents:\n  schemas:\n    get:\n      type: object\n";
        let cases = [
            ("/paths/~1a/get", 3),
            ("/components/schemas/get", 7),
            ("/components/schemas/get/type", 8),
            ("/paths/~1b", 1),
        ];
        for (ptr, line) in cases {
            assert_eq!(line_of(text, Syntax::Yaml, ptr), line, "{ptr}");
        }
    }

    #[test]
    fn yaml_numeric_keys() {
        let text = "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      summary: x\n      responses:\n        200:\n          description: ok\n        '404': {description: no}\ncomponents:\n  schemas:\n    get:\n      type: object\n";
        let cases = [
            ("/paths/~1a/get/responses/200/description", 7),
            ("/paths/~1a/get/responses/404", 8),
            ("/paths/~1a/get", 3),
            ("/components/schemas/get", 11),
            ("/components/schemas/get/type", 12),
            ("/paths/~1b", 1),
        ];
        for (ptr, line) in cases {
            assert_eq!(line_of(text, Syntax::Yaml, ptr), line, "{ptr}");
        }
    }

    #[test]
    fn yaml_sequences() {
        let text = "paths:\n  /a:\n    get:\n      parameters:\n        - name: a\n          in: query\n\n        # a comment\n        - name: b\n          schema:\n            enum:\n              - x\n              - y\n        - {name: c, in: query}\n      tags:\n      - t1\n      - t2\n      responses: {}\n";
        let cases = [
            ("/paths/~1a/get/parameters", 3),
            ("/paths/~1a/get/parameters/0", 4),
            ("/paths/~1a/get/parameters/0/name", 4),
            ("/paths/~1a/get/parameters/0/in", 5),
            ("/paths/~1a/get/parameters/1", 8),
            ("/paths/~1a/get/parameters/1/schema/enum/1", 12),
            ("/paths/~1a/get/parameters/2", 13),
            ("/paths/~1a/get/parameters/2/in", 13),
            ("/paths/~1a/get/parameters/3", 3),
            // An indentless sequence, at its key's indent.
            ("/paths/~1a/get/tags/1", 16),
            ("/paths/~1a/get/tags/2", 14),
            ("/paths/~1a/get/responses", 17),
            ("/paths/~1a/get/parameters/1/in", 8),
            ("/paths/~1a/get/parameters/0/schema", 4),
        ];
        for (ptr, line) in cases {
            assert_eq!(line_of(text, Syntax::Yaml, ptr), line, "{ptr}");
        }
    }
}
