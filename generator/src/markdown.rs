//! Fenced code blocks in Markdown (CommonMark's rules for fences, which is
//! all the snippet extractor needs).

/// A fenced block: its info string's first word (lowercase), its text and the
/// 1-based line of its first content line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub lang: String,
    pub line: usize,
    pub text: String,
}

struct Open {
    fence: char,
    len: usize,
    indent: usize,
    lang: String,
    line: usize,
    text: String,
}

/// Returns the fenced blocks of `text` in order. An unclosed fence runs to
/// the end of the document, as in CommonMark.
pub fn fenced_blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Open> = None;
    for (index, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let number = index + 1;
        match open.as_mut() {
            None => {
                if let Some((fence, len, indent, info)) = fence_line(line) {
                    // Backtick fences may not have backticks in the info string.
                    if fence == '`' && info.contains('`') {
                        continue;
                    }
                    let lang = info
                        .split(|c: char| c.is_whitespace() || c == '{' || c == ',')
                        .next()
                        .unwrap_or("")
                        .to_ascii_lowercase();
                    open = Some(Open {
                        fence,
                        len,
                        indent,
                        lang,
                        line: number + 1,
                        text: String::new(),
                    });
                }
            }
            Some(block) => {
                if let Some((fence, len, _, info)) = fence_line(line)
                    && fence == block.fence
                    && len >= block.len
                    && info.trim().is_empty()
                {
                    let done = open.take();
                    if let Some(b) = done {
                        blocks.push(Block {
                            lang: b.lang,
                            line: b.line,
                            text: b.text,
                        });
                    }
                    continue;
                }
                block.text.push_str(strip_indent(line, block.indent));
                block.text.push('\n');
            }
        }
    }
    if let Some(b) = open {
        blocks.push(Block {
            lang: b.lang,
            line: b.line,
            text: b.text,
        });
    }
    blocks
}

/// Recognises an opening or closing fence: up to three spaces, then three or
/// more backticks or tildes. Returns (char, length, indent, rest).
fn fence_line(line: &str) -> Option<(char, usize, usize, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let fence = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = rest.len() - rest.trim_start_matches(fence).len();
    if len < 3 {
        return None;
    }
    Some((fence, len, indent, rest[len..].trim()))
}

fn strip_indent(line: &str, indent: usize) -> &str {
    let spaces = line.len() - line.trim_start_matches(' ').len();
    &line[spaces.min(indent)..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        type Blocks = &'static [(&'static str, usize, &'static str)];
        let cases: &[(&str, Blocks)] = &[
            ("```json\n{}\n```\n", &[("json", 2, "{}\n")]),
            ("text\n\n~~~ YAML title\na: 1\n~~~\n", &[("yaml", 4, "a: 1\n")]),
            ("```\nplain\n```", &[("", 2, "plain\n")]),
            ("````json\n```\n````\n", &[("json", 2, "```\n")]),
            ("  ```json\n  {\n   }\n  ```\n", &[("json", 2, "{\n }\n")]),
            ("```json\nunclosed", &[("json", 2, "unclosed\n")]),
            ("    ```json\nindented code\n", &[]),
            ("```json\r\n{}\r\n```\r\n", &[("json", 2, "{}\n")]),
            ("``json\n", &[]),
        ];
        for (input, expected) in cases {
            let got = fenced_blocks(input);
            let got: Vec<(&str, usize, &str)> = got
                .iter()
                .map(|b| (b.lang.as_str(), b.line, b.text.as_str()))
                .collect();
            assert_eq!(&got, expected, "input {input:?}");
        }
    }
}
