//! Spec descriptions → doc comment text that rustdoc and clippy accept:
//! code blocks never become doc tests, tabs become spaces, list items do not
//! lazily continue.

/// Joins non-empty parts into one doc text, sanitised; `None` when all are empty.
pub fn doc(parts: &[Option<&str>]) -> Option<String> {
    let mut out: Vec<String> = Vec::new();
    for part in parts.iter().flatten() {
        let text = sanitize(part);
        if !text.is_empty() && !out.contains(&text) {
            out.push(text);
        }
    }
    if out.is_empty() {
        None
    } else {
        Some(out.join("\n\n"))
    }
}

/// Cleans one description.
pub fn sanitize(text: &str) -> String {
    let text = text
        .replace("\r\n", "\n")
        .replace(['\r'], "\n")
        .replace('\t', "    ");
    // Remove the indentation common to all lines (YAML block scalars, etc.).
    let common = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let text: Vec<&str> = text
        .lines()
        .map(|l| l.get(common..).unwrap_or(""))
        .collect();
    let text = text.join("\n");
    let mut out: Vec<String> = Vec::new();
    let mut fence: Option<String> = None;
    let mut indented = false;
    let mut list_indent: Option<usize> = None;
    let mut prev_blank = true;
    for raw in text.lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(marker) = &fence {
            if trimmed.starts_with(marker.as_str()) {
                fence = None;
            }
            out.push(line.to_owned());
            prev_blank = false;
            continue;
        }
        if indent <= 3 && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            close_indented(&mut out, &mut indented);
            let marker: String = trimmed
                .chars()
                .take_while(|c| *c == '`' || *c == '~')
                .collect();
            let info = trimmed[marker.len()..].trim();
            let lang = if info.is_empty() || is_rusty(info) {
                "text"
            } else {
                info
            };
            out.push(format!("{}{marker}{lang}", &line[..indent]));
            fence = Some(marker);
            prev_blank = false;
            continue;
        }
        if line.is_empty() {
            if !indented {
                list_indent = None;
            }
            out.push(String::new());
            prev_blank = true;
            continue;
        }
        if indent >= 4 && list_indent.is_none() && (prev_blank || indented) {
            if !indented {
                out.push("```text".to_owned());
                indented = true;
            }
            out.push(line[4..].to_owned());
            prev_blank = false;
            continue;
        }
        close_indented(&mut out, &mut indented);
        // A line after a block quote would lazily continue it: end the quote.
        if !trimmed.starts_with('>') && out.last().is_some_and(|l| l.trim_start().starts_with('>'))
        {
            out.push(String::new());
        }
        if let Some(width) = list_marker(trimmed) {
            list_indent = Some(indent + width);
            out.push(line.to_owned());
        } else if let Some(width) = list_indent {
            if indent < width {
                out.push(format!("{}{trimmed}", " ".repeat(width)));
            } else {
                out.push(line.to_owned());
            }
        } else {
            out.push(line.to_owned());
        }
        prev_blank = false;
    }
    close_indented(&mut out, &mut indented);
    if let Some(marker) = fence {
        out.push(marker);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    while out.first().is_some_and(|l| l.is_empty()) {
        out.remove(0);
    }
    // A first line indented less than a code block is just padding.
    if let Some(first) = out.first_mut() {
        *first = first.trim_start().to_owned();
    }
    out.join("\n")
}

fn close_indented(out: &mut Vec<String>, indented: &mut bool) {
    if *indented {
        while out.last().is_some_and(|l| l.is_empty()) {
            out.pop();
        }
        out.push("```".to_owned());
        out.push(String::new());
        *indented = false;
    }
}

fn is_rusty(info: &str) -> bool {
    info.split(|c: char| c == ',' || c.is_whitespace())
        .any(|w| {
            matches!(
                w,
                "rust"
                    | "should_panic"
                    | "no_run"
                    | "compile_fail"
                    | "edition2018"
                    | "edition2021"
                    | "edition2024"
            )
        })
}

/// Width of a list marker (`- `, `* `, `+ `, `1. `, `1) `) at the start.
fn list_marker(trimmed: &str) -> Option<usize> {
    let bytes = trimmed.as_bytes();
    match bytes.first() {
        Some(b'-' | b'*' | b'+') if bytes.get(1) == Some(&b' ') => Some(2),
        Some(b'0'..=b'9') => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            match (bytes.get(digits), bytes.get(digits + 1)) {
                (Some(b'.' | b')'), Some(b' ')) if digits <= 9 => Some(digits + 2),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let cases = [
            ("plain", "plain"),
            ("  padded  \n", "padded"),
            ("```\nfn main() {}\n```", "```text\nfn main() {}\n```"),
            ("```rust\nx\n```", "```text\nx\n```"),
            ("```json\n{}\n```", "```json\n{}\n```"),
            (
                "Example:\n\n    curl x\n    y\n\nafter",
                "Example:\n\n```text\ncurl x\ny\n```\n\nafter",
            ),
            ("- item\ncontinued", "- item\n  continued"),
            ("1. one\nmore\n\npara", "1. one\n   more\n\npara"),
            ("a\tb", "a    b"),
            ("```\nunclosed", "```text\nunclosed\n```"),
            ("x */ y #[attr] \"q\" \\", "x */ y #[attr] \"q\" \\"),
            ("a\r\nb", "a\nb"),
            ("text\n> quoted\nafter", "text\n> quoted\n\nafter"),
            ("> one\n> two", "> one\n> two"),
        ];
        for (input, expected) in cases {
            assert_eq!(sanitize(input), expected, "{input:?}");
        }
    }

    #[test]
    fn doc_joins_distinct_parts() {
        assert_eq!(
            doc(&[Some("A"), None, Some(""), Some("A"), Some("B")]).as_deref(),
            Some("A\n\nB")
        );
        assert_eq!(doc(&[None, Some("  ")]), None);
    }
}
