//! Media types as specs write them (`content` keys, `encoding.contentType`,
//! `contentMediaType`): compared by their essence, case-insensitively.

/// The essence of a media type: `type/subtype`, lowercased, parameters
/// (`; charset=utf-8`) and surrounding spaces dropped.
pub fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// JSON: `application/json` itself or a `+json` structured suffix.
pub fn is_json(media: &str) -> bool {
    let m = essence(media);
    m == "application/json" || m.ends_with("+json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn essence_and_json_table() {
        // media type → (essence, JSON)
        let table = [
            ("application/json", "application/json", true),
            ("Application/JSON; charset=utf-8", "application/json", true),
            (
                " application/problem+json ",
                "application/problem+json",
                true,
            ),
            (
                "application/vnd.api+json;ext=x",
                "application/vnd.api+json",
                true,
            ),
            ("text/event-stream", "text/event-stream", false),
            ("application/jsonl", "application/jsonl", false),
            ("application/json-seq", "application/json-seq", false),
            ("*/*", "*/*", false),
            ("", "", false),
            (";", "", false),
        ];
        for (media, want, json) in table {
            assert_eq!(essence(media), want, "{media:?}");
            assert_eq!(is_json(media), json, "{media:?}");
        }
    }
}
