//! Finds the line of a JSON pointer inside a document's text, so diagnostics
//! can name the user's own line. Only used on the error path.

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
