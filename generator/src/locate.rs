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

/// Best effort for YAML: follows the keys by indentation.
fn yaml_offset(text: &str, tokens: &[String]) -> usize {
    let mut offset = 0;
    let mut min_indent: isize = -1;
    let mut best = 0;
    'tokens: for token in tokens {
        let mut pos = offset;
        for line in text[offset..].split_inclusive('\n') {
            let body = line.trim_start_matches(' ');
            let indent = (line.len() - body.len()) as isize;
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
            if pos > offset && indent <= min_indent && !body.trim().is_empty() {
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
}
