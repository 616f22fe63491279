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

/// The line documenting a schema's `default` (`Default: \`"asc"\``), when it
/// is short enough to read in one line.
pub fn default_value(value: &serde_json::Value) -> Option<String> {
    const LIMIT: usize = 60;
    let text = inline(&value.to_string());
    (text.len() <= LIMIT).then(|| format!("Default: `{text}`."))
}

/// Whether rustc refuses `c` in a comment: a bare carriage return, and the
/// bidirectional controls that the deny-by-default
/// `text_direction_codepoint_in_comment` lint rejects. Other control
/// characters are dropped too: they only make docs unreadable.
fn unprintable(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A value shown inside one line of a doc comment (a path, a title, a wire
/// name): line breaks become spaces, unprintable characters go, and
/// backticks become quotes so the value cannot open a code block.
pub fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => out.push(' '),
            '`' => out.push('\''),
            c if unprintable(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Cleans one description.
pub fn sanitize(text: &str) -> String {
    // Most descriptions are one plain line: nothing to do but trim.
    let plain =
        |c: char| !matches!(c, '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}') && !unprintable(c);
    let trimmed = text.trim();
    if !trimmed.starts_with("```") && !trimmed.starts_with("~~~") && text.chars().all(plain) {
        return trimmed.to_owned();
    }
    let text = text
        .replace("\r\n", "\n")
        .replace(['\r', '\u{2028}', '\u{2029}'], "\n")
        .replace('\t', "    ");
    let text: String = text.chars().filter(|c| !unprintable(*c)).collect();
    // Indentation shared by every line (a YAML block, a padded string) is
    // not Markdown structure.
    let common = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let mut out: Vec<String> = Vec::new();
    let mut fence: Option<String> = None;
    let mut indented = false;
    let mut list_indent: Option<usize> = None;
    let mut prev_blank = true;
    for raw in text.lines() {
        let line = raw.get(common..).unwrap_or("").trim_end();
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
            // A continuation line lines up with the item's text: less is
            // lazy, more is over-indented (only after a blank line can
            // deeper text be a code block).
            if indent != width && (indent < width + 4 || !prev_blank) {
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

/// Where the text of a list item (`- `, `* `, `+ `, `1. `, `1) `) starts:
/// the marker and the one to four spaces after it (five or more mean one
/// space and an indented code block, as CommonMark reads them).
fn list_marker(trimmed: &str) -> Option<usize> {
    let bytes = trimmed.as_bytes();
    let marker = match bytes.first() {
        Some(b'-' | b'*' | b'+') => 1,
        Some(b'0'..=b'9') => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            match bytes.get(digits) {
                Some(b'.' | b')') if digits <= 9 => digits + 1,
                _ => return None,
            }
        }
        _ => return None,
    };
    let spaces = bytes[marker..].iter().take_while(|b| **b == b' ').count();
    match spaces {
        0 => None,
        1..=4 if marker + spaces < bytes.len() => Some(marker + spaces),
        _ => Some(marker + 1),
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
            ("* a\n   over\n* b", "* a\n  over\n* b"),
            ("- a\n      code", "- a\n  code"),
            ("- a\n\n      code", "- a\n\n```text\n  code\n```"),
            ("- a\n                  deep", "- a\n  deep"),
            ("  *  wide\n    lazy", "*  wide\n   lazy"),
            ("x\n  *  wide\n    lazy", "x\n  *  wide\n     lazy"),
            ("1.   item\nmore", "1.   item\n     more"),
            ("-      code item\nmore", "-      code item\n  more"),
            ("a\tb", "a    b"),
            ("```\nunclosed", "```text\nunclosed\n```"),
            ("x */ y #[attr] \"q\" \\", "x */ y #[attr] \"q\" \\"),
            ("a\r\nb", "a\nb"),
            ("text\n> quoted\nafter", "text\n> quoted\n\nafter"),
            ("> one\n> two", "> one\n> two"),
            ("a\u{202e}b\u{2066}c\u{0}d\u{7}", "abcd"),
            ("a\u{2028}b", "a\nb"),
        ];
        for (input, expected) in cases {
            assert_eq!(sanitize(input), expected, "{input:?}");
        }
    }

    #[test]
    fn default_value_table() {
        use serde_json::json;
        let cases = [
            (json!("asc"), Some("Default: `\"asc\"`.")),
            (json!(30), Some("Default: `30`.")),
            (json!(["a`b"]), Some("Default: `[\"a'b\"]`.")),
            (json!({"k": "x".repeat(80)}), None),
        ];
        for (value, want) in cases {
            assert_eq!(default_value(&value).as_deref(), want, "{value}");
        }
    }

    #[test]
    fn inline_table() {
        let cases = [
            ("/a/{id}", "/a/{id}"),
            ("/a\n```\nfn main() {}\n```", "/a ''' fn main() {} '''"),
            ("t\u{202e}x\r\ty", "tx  y"),
        ];
        for (input, expected) in cases {
            assert_eq!(inline(input), expected, "{input:?}");
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
