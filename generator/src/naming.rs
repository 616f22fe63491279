//! Names: the one place where wire names become Rust names.
//!
//! Every named thing in the model is a [`Name`] pair. Case conversion,
//! keywords (all editions, including 2024's `gen`), leading digits, non-ASCII
//! and collisions are handled here and nowhere else.

use std::collections::{BTreeSet, HashMap};

use heck::{ToPascalCase, ToShoutySnakeCase, ToSnakeCase};

/// A wire name and the Rust identifier decided for it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Name {
    pub wire: String,
    pub rust: String,
}

/// Strict and reserved keywords of every edition up to 2024, plus the weak
/// ones that cannot be used as plain identifiers in some position.
const KEYWORDS: &[&str] = &[
    "abstract",
    "as",
    "async",
    "await",
    "become",
    "box",
    "break",
    "const",
    "continue",
    "crate",
    "do",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "final",
    "fn",
    "for",
    "gen",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "macro",
    "match",
    "mod",
    "move",
    "mut",
    "override",
    "priv",
    "pub",
    "ref",
    "return",
    "self",
    "static",
    "struct",
    "super",
    "trait",
    "true",
    "try",
    "type",
    "typeof",
    "union",
    "unsafe",
    "unsized",
    "use",
    "virtual",
    "where",
    "while",
    "yield",
    "macro_rules",
    "raw",
    "safe",
];

/// Type names that generated code relies on seeing unshadowed.
const RESERVED_TYPES: &[&str] = &[
    "Self",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Into",
    "Iterator",
    "IntoIterator",
    "ToString",
    "ToOwned",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "AsRef",
    "AsMut",
    "Extend",
    "Debug",
    "Display",
    "Serialize",
    "Deserialize",
    "Value",
    "Map",
    "BTreeMap",
    "Vec2",
    "Future",
    "IntoFuture",
    "Pin",
    "Bytes",
];

/// Names the generated `builder` module imports, which request builder types
/// must not shadow (prelude names are kept clear by [`type_name`]).
pub const BUILDER_MODULE_NAMES: &[&str] = &["Client", "Error", "Future", "IntoFuture", "Pin"];

/// Splits a wire name into ASCII words: runs of non-alphanumerics separate
/// words; non-ASCII characters are dropped.
fn ascii_words(wire: &str) -> String {
    let mut out = String::with_capacity(wire.len());
    for c in wire.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.trim().to_owned()
}

type Memo = std::cell::RefCell<HashMap<String, String>>;

thread_local! {
    static SNAKE: Memo = Memo::default();
    static PASCAL: Memo = Memo::default();
}

/// `convert(ascii_words(wire))`, remembered per thread: the same property
/// and parameter names come up thousands of times in a big API, and case
/// conversion is the costliest step of lowering. Only looked up, never
/// iterated, so the map's order cannot reach the output.
fn memo(
    table: &'static std::thread::LocalKey<Memo>,
    wire: &str,
    convert: fn(&str) -> String,
) -> String {
    table.with(|m| {
        if let Some(hit) = m.borrow().get(wire) {
            return hit.clone();
        }
        let converted = convert(&ascii_words(wire));
        m.borrow_mut().insert(wire.to_owned(), converted.clone());
        converted
    })
}

/// Whether `name` is a keyword of some edition (or `Self`), unusable as a
/// plain identifier.
pub fn is_keyword(name: &str) -> bool {
    name == "Self" || KEYWORDS.contains(&name)
}

/// `snake_case` identifier for fields, parameters, methods and modules.
pub fn snake(wire: &str, fallback: &str) -> String {
    let mut s = memo(&SNAKE, wire, |words| words.to_snake_case());
    if s.is_empty() {
        s = fallback.to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'n');
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// `PascalCase` identifier for types and enum variants.
pub fn pascal(wire: &str, fallback: &str) -> String {
    // heck treats digits as part of words; keep `V2Beta` readable.
    let mut s = memo(&PASCAL, wire, |words| words.to_pascal_case());
    if s.is_empty() {
        s = fallback.to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'N');
    }
    if s == "Self" {
        s.push('_');
    }
    s
}

/// `SHOUTY_SNAKE_CASE` identifier for associated constants.
pub fn constant(wire: &str, fallback: &str) -> String {
    let words = ascii_words(wire);
    let mut s = words.to_shouty_snake_case();
    if s.is_empty() {
        s = fallback.to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'N');
    }
    s
}

/// `PascalCase` for a type in the `types` module: additionally keeps clear of
/// prelude and derive names.
pub fn type_name(wire: &str, fallback: &str) -> String {
    let mut s = pascal(wire, fallback);
    if RESERVED_TYPES.contains(&s.as_str()) {
        s.push_str("Type");
    }
    s
}

/// A set of identifiers in one scope, handing out unique names.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    pub fn new() -> Self {
        Self::default()
    }

    /// A scope where `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Claims `candidate`, or `candidate` + `2`, `3`, … (with `_` before the
    /// number when the candidate is snake case).
    pub fn claim(&mut self, candidate: &str) -> String {
        if self.taken.insert(candidate.to_owned()) {
            return candidate.to_owned();
        }
        // `Self_` is PascalCase with a keyword guard: `Self2`, not `Self_2`.
        let snake = candidate
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase());
        let base = candidate.trim_end_matches('_');
        let mut n = 2u64;
        loop {
            let next = if snake {
                format!("{base}_{n}")
            } else {
                format!("{base}{n}")
            };
            if self.taken.insert(next.clone()) {
                return next;
            }
            n += 1;
        }
    }

    /// Gives a name back (its owner turned out not to be needed).
    pub fn release(&mut self, name: &str) {
        self.taken.remove(name);
    }

    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

/// Variant names without the first or last word they all share
/// (`XApiKey`, `XRapidApiHost`, `XRapidApiKey` → `ApiKey`, `RapidApiHost`,
/// `RapidApiKey`), as clippy's `enum_variant_names` asks of three or more.
/// Names stay as they are when dropping a word would empty one or leave it
/// starting with a digit.
pub fn without_shared_words(names: &[String]) -> Vec<String> {
    // Words of a PascalCase name: each starts at an upper-case letter.
    fn split(name: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, c) in name.char_indices().skip(1) {
            if c.is_ascii_uppercase() {
                out.push(&name[start..i]);
                start = i;
            }
        }
        out.push(&name[start..]);
        out
    }
    let mut words: Vec<Vec<&str>> = names.iter().map(|n| split(n)).collect();
    if words.len() < 3 {
        return names.to_vec();
    }
    let usable = |rest: &[&str]| {
        rest.first()
            .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_alphabetic()))
    };
    loop {
        let first = words[0].first().copied();
        if first.is_some()
            && words
                .iter()
                .all(|w| w.first().copied() == first && usable(&w[1..]))
        {
            words.iter_mut().for_each(|w| {
                w.remove(0);
            });
            continue;
        }
        let last = words[0].last().copied();
        if last.is_some()
            && words
                .iter()
                .all(|w| w.last().copied() == last && usable(&w[..w.len() - 1]))
        {
            words.iter_mut().for_each(|w| {
                w.pop();
            });
            continue;
        }
        break;
    }
    words.iter().map(|w| w.concat()).collect()
}

/// Lower-case words of a name, for comparing operation ids with paths.
pub fn words(text: &str) -> Vec<String> {
    snake(text, "")
        .split('_')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_shared_words_table() {
        let cases: [(&[&str], &[&str]); 6] = [
            (
                &["XApiKey", "XRapidApiHost", "XRapidApiKey"],
                &["ApiKey", "RapidApiHost", "RapidApiKey"],
            ),
            (
                &["BearerAuth", "BasicAuth", "ApiKeyAuth"],
                &["Bearer", "Basic", "ApiKey"],
            ),
            (&["XKey", "XToken"], &["XKey", "XToken"]),
            (&["Api1", "Api2", "Api3"], &["Api1", "Api2", "Api3"]),
            (&["A", "AB", "AC"], &["A", "AB", "AC"]),
            (&["Oauth", "Basic", "Bearer"], &["Oauth", "Basic", "Bearer"]),
        ];
        for (input, want) in cases {
            let input: Vec<String> = input.iter().map(|s| (*s).to_owned()).collect();
            assert_eq!(without_shared_words(&input), want, "{input:?}");
        }
    }

    #[test]
    fn snake_table() {
        let cases = [
            ("loginName", "login_name"),
            ("type", "type_"),
            ("gen", "gen_"),
            ("self", "self_"),
            ("Self", "self_"),
            ("crate", "crate_"),
            ("super", "super_"),
            ("async", "async_"),
            ("try", "try_"),
            ("_", "value"),
            ("", "value"),
            ("2fa", "n2fa"),
            ("X-Forwarded-For", "x_forwarded_for"),
            ("foo-bar", "foo_bar"),
            ("fooBar", "foo_bar"),
            ("FooBar", "foo_bar"),
            ("foo_bar", "foo_bar"),
            ("名字", "value"),
            ("名字id", "id"),
            ("repos/list-for-org", "repos_list_for_org"),
            (
                "customer.app.CustomerWebApiService.login",
                "customer_app_customer_web_api_service_login",
            ),
            ("$ref", "ref_"),
            ("@type", "type_"),
            ("HTTPServer", "http_server"),
            ("v2Beta", "v2_beta"),
        ];
        for (wire, rust) in cases {
            assert_eq!(snake(wire, "value"), rust, "{wire:?}");
        }
    }

    #[test]
    fn pascal_table() {
        let cases = [
            ("KycAuthVO", "KycAuthVo"),
            ("kyc_auth", "KycAuth"),
            ("Self", "Self_"),
            ("self", "Self_"),
            ("200", "N200"),
            ("", "Type"),
            ("名字", "Type"),
            ("foo.bar-baz", "FooBarBaz"),
            ("type", "Type"),
        ];
        for (wire, rust) in cases {
            assert_eq!(pascal(wire, "Type"), rust, "{wire:?}");
        }
    }

    #[test]
    fn constant_table() {
        let cases = [
            ("value 1", "VALUE_1"),
            ("minus 2", "MINUS_2"),
            ("inProgress", "IN_PROGRESS"),
            ("high-priority", "HIGH_PRIORITY"),
            ("200", "N200"),
            ("", "VALUE"),
            ("名字", "VALUE"),
            ("self", "SELF"),
        ];
        for (wire, rust) in cases {
            assert_eq!(constant(wire, "VALUE"), rust, "{wire:?}");
        }
    }

    #[test]
    fn type_name_table() {
        let cases = [
            ("Option", "OptionType"),
            ("String", "StringType"),
            ("Vec", "VecType"),
            ("Box", "BoxType"),
            ("Result", "ResultType"),
            ("Client", "Client"),
            ("Error", "Error"),
            ("Pet", "Pet"),
        ];
        for (wire, rust) in cases {
            assert_eq!(type_name(wire, "Type"), rust, "{wire:?}");
        }
    }

    #[test]
    fn collisions_are_numbered_in_claim_order() {
        let mut scope = Scope::new();
        let got: Vec<String> = ["fooBar", "foo_bar", "FooBar", "foo-bar"]
            .iter()
            .map(|w| scope.claim(&snake(w, "value")))
            .collect();
        assert_eq!(got, ["foo_bar", "foo_bar_2", "foo_bar_3", "foo_bar_4"]);

        let mut types = Scope::with_reserved(&["Client"]);
        assert_eq!(types.claim("Client"), "Client2");
        assert_eq!(types.claim("Pet"), "Pet");
        assert_eq!(types.claim("Pet"), "Pet2");

        let mut kw = Scope::new();
        assert_eq!(kw.claim("type_"), "type_");
        assert_eq!(kw.claim("type_"), "type_2");
        assert_eq!(kw.claim("Self_"), "Self_");
        assert_eq!(kw.claim("Self_"), "Self2");
    }

    #[test]
    fn words_table() {
        assert_eq!(
            words("getSymbolBaseList"),
            ["get", "symbol", "base", "list"]
        );
        assert_eq!(
            words("/global/thirdExt/randomKey"),
            ["global", "third", "ext", "random", "key"]
        );
    }
}
