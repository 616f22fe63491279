//! The text of a `$ref`: which file, which JSON pointer inside it.

use crate::diag::percent_decode;

/// What a `$ref` names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// The file, relative to the referring file; `None` for the same file.
    pub file: Option<String>,
    /// JSON pointer inside that file (`""` for all of it), percent-decoded.
    pub pointer: String,
}

/// Parses a `$ref`. Errors say why it cannot be followed.
pub fn parse(reference: &str) -> Result<Reference, String> {
    if is_url(reference) {
        return Err(format!(
            "`$ref: {reference}` is a URL, and nothing is fetched: save the document and refer to it by a relative path"
        ));
    }
    let (file, fragment) = match reference.split_once('#') {
        Some((file, fragment)) => (file, fragment),
        None => (reference, ""),
    };
    if !(fragment.is_empty() || fragment.starts_with('/')) {
        return Err(format!(
            "`$ref: {reference}` names a plain-name fragment (`$anchor`); only JSON pointers (`#/…`) are followed"
        ));
    }
    let pointer = percent_decode(fragment)
        .ok_or_else(|| format!("`$ref: {reference}` is not valid percent-encoded UTF-8"))?;
    let file = if file.is_empty() {
        None
    } else {
        Some(
            percent_decode(file)
                .ok_or_else(|| format!("`$ref: {reference}` is not valid percent-encoded UTF-8"))?,
        )
    };
    Ok(Reference { file, pointer })
}

/// `https://…`, `//host/…`, `urn:…`: anything with a scheme or authority.
pub(super) fn is_url(reference: &str) -> bool {
    if reference.starts_with("//") {
        return true;
    }
    let Some((scheme, _)) = reference.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    // One letter before `:` is a Windows drive, not a scheme.
    scheme.len() > 1
        && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !scheme.contains('/')
}

/// The path of `relative` seen from the file `base`, with `.` and `..`
/// resolved by text (no file system access), `/` separated.
pub fn join(base: &str, relative: &str) -> String {
    let relative = relative.replace('\\', "/");
    if relative.starts_with('/') {
        return normalise(true, relative.split('/'));
    }
    let base = base.replace('\\', "/");
    let dir = base.rsplit_once('/').map_or("", |(dir, _)| dir);
    normalise(
        base.starts_with('/'),
        dir.split('/').chain(relative.split('/')),
    )
}

/// Joins path parts, dropping `.` and resolving `..` against what precedes it.
fn normalise<'a>(absolute: bool, parts: impl Iterator<Item = &'a str>) -> String {
    let mut out: Vec<&str> = Vec::new();
    for p in parts {
        match p {
            "" | "." => {}
            ".." => match out.last() {
                Some(&last) if last != ".." => {
                    out.pop();
                }
                // Above the root of an absolute path there is nothing.
                _ if absolute => {}
                _ => out.push(".."),
            },
            p => out.push(p),
        }
    }
    let joined = out.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_table() {
        let ok = |file: Option<&str>, pointer: &str| {
            Ok(Reference {
                file: file.map(str::to_owned),
                pointer: pointer.to_owned(),
            })
        };
        let cases: Vec<(&str, Result<Reference, ()>)> = vec![
            (
                "#/components/schemas/Pet",
                ok(None, "/components/schemas/Pet"),
            ),
            (
                "#/paths/~1pets/get/parameters/0",
                ok(None, "/paths/~1pets/get/parameters/0"),
            ),
            (
                "#/components/schemas/A%20B",
                ok(None, "/components/schemas/A B"),
            ),
            ("#", ok(None, "")),
            ("pet.yaml", ok(Some("pet.yaml"), "")),
            (
                "../common/pet.yaml#/Pet",
                ok(Some("../common/pet.yaml"), "/Pet"),
            ),
            ("my%20file.json#/a", ok(Some("my file.json"), "/a")),
            ("C:/specs/a.yaml", ok(Some("C:/specs/a.yaml"), "")),
            ("https://example.com/a.yaml", Err(())),
            ("http://example.com/a.yaml#/x", Err(())),
            ("//example.com/a.yaml", Err(())),
            ("urn:uuid:1234", Err(())),
            ("#pet", Err(())),
            ("a.yaml#pet", Err(())),
        ];
        for (text, expected) in cases {
            let got = parse(text).map_err(|_| ());
            let expected: Result<Reference, ()> = expected;
            assert_eq!(got, expected, "{text}");
        }
    }

    #[test]
    fn join_table() {
        let cases = [
            (
                "specs/openapi.yaml",
                "paths/pets.yaml",
                "specs/paths/pets.yaml",
            ),
            (
                "specs/paths/pets.yaml",
                "../schemas/Pet.yaml",
                "specs/schemas/Pet.yaml",
            ),
            (
                "specs/paths/pets.yaml",
                "./Pet.yaml",
                "specs/paths/Pet.yaml",
            ),
            ("openapi.yaml", "../x.yaml", "../x.yaml"),
            ("a/b.yaml", "../../x.yaml", "../x.yaml"),
            ("/abs/spec/root.yaml", "../x/y.yaml", "/abs/x/y.yaml"),
            ("/abs/root.yaml", "../../x.yaml", "/x.yaml"),
            ("specs/root.yaml", "/elsewhere/x.yaml", "/elsewhere/x.yaml"),
            ("specs\\root.yaml", "sub\\x.yaml", "specs/sub/x.yaml"),
        ];
        for (base, relative, expected) in cases {
            assert_eq!(join(base, relative), expected, "{base} + {relative}");
        }
    }
}
