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
    // The crate's own codec of `format: byte` values (`types::Base64`).
    "Base64",
];

/// Names the generated `builder` module imports, which request builder types
/// must not shadow (prelude names are kept clear by [`type_name`]).
pub const BUILDER_MODULE_NAMES: &[&str] = &["Client", "Error", "Future", "IntoFuture", "Pin"];

// Reserved names: one list per scope, read by lowering (which claims names
// around them) and by the model check (which proves none was taken). A
// unit test of `emit` checks that the emitters produce no member outside
// these lists.

/// The fields and methods every request builder has (`emit/builder.rs` and
/// the runtime's `request_options!`): no parameter may take them, as a
/// field, a setter or an argument of `new`.
pub const BUILDER_MEMBERS: &[&str] = &[
    "client",
    "body",
    "options",
    "new",
    "send",
    "send_streaming",
    "stream",
    "into_request",
    "into_future",
    "with_timeout",
    "with_header",
];

/// The methods of the generated `Client` (`emit/client.rs`): no operation
/// may take them.
pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "with_http_client",
    "with_middleware",
    "parse_base_url",
    "base_url",
    "http_client",
    "params",
    "update",
];

/// The client's two accessors of a credential or hoisted parameter whose
/// field is `field`: `with_<field>` (builder style) and `set_<field>`.
pub fn client_accessors(field: &str) -> [String; 2] {
    [format!("with_{field}"), format!("set_{field}")]
}

/// Field names of credentials and hoisted parameters whose accessors
/// would be methods the client has already (`http_client`:
/// `with_http_client`).
pub fn client_fields_reserved() -> Vec<&'static str> {
    CLIENT_METHODS
        .iter()
        .filter_map(|m| m.strip_prefix("with_").or_else(|| m.strip_prefix("set_")))
        .collect()
}

/// Every method name of the client: its own, and the accessors of the
/// credentials and hoisted parameters whose fields are `fields`.
pub fn client_reserved<'a>(fields: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = CLIENT_METHODS.iter().map(|m| (*m).to_owned()).collect();
    out.extend(fields.into_iter().flat_map(client_accessors));
    out
}

/// Module (and cargo feature) names a group of a split crate cannot take:
/// the crate's own modules, `default` (a cargo feature of its own) and
/// `mod` (a keyword, as `mod_`).
pub const GROUP_MODULE_NAMES: &[&str] = &[
    "default", "mod_", "types", "builder", "client", "error", "runtime",
];

/// The field a struct keeps unlisted properties in.
pub const ADDITIONAL_PROPERTIES: &str = "additional_properties";

/// The variant a string enum keeps unknown values in.
pub const OTHER_VARIANT: &str = "Other";

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

/// Words of a title that every API description could say: a crate name
/// leaves them out.
const TITLE_FILLER: &[&str] = &[
    "a",
    "an",
    "and",
    "api",
    "apis",
    "client",
    "docs",
    "documentation",
    "explorer",
    "extension",
    "for",
    "of",
    "official",
    "openapi",
    "public",
    "reference",
    "rest",
    "restful",
    "sdk",
    "spec",
    "specification",
    "swagger",
    "the",
    "to",
    "with",
];

/// Last parts of host names (`dweet.io`, `setlist.fm`), left out.
const DOMAINS: &[&str] = &[
    "ai", "app", "at", "biz", "co", "com", "de", "dev", "fm", "gov", "info", "io", "local", "me",
    "net", "org", "tv", "uk",
];

/// Content words of a title beyond which a crate name gets too long.
const MAX_TITLE_WORDS: usize = 4;

/// The default crate name for an API: its title made short, the way a
/// person names a crate (`GitHub's official OpenAPI spec + Octokit
/// extension` → `github-client`, `Amazon Simple Queue Service` →
/// `amazon-simple-queue-service-client`).
///
/// - What follows ` + ` (an addition to the API) and text in parentheses or
///   brackets is left out; an acronym in parentheses (`(ECHO)`) names the
///   crate when the rest is longer than four words.
/// - Words are split at spaces and punctuation; a word is kept whole,
///   lower-cased (`GitHub` → `github`, `iOS` → `ios`, `PeerTube`), unless it
///   is an identifier of four or more capitalised parts
///   (`DataFactoryManagementClient` → `data`, `factory`, `management`).
/// - Left out: a possessive `'s`, filler (`API`, `REST`, `OpenAPI`,
///   `official`, `spec`, `the`, …), versions (`v3`, `2.0`, `2018`, `SP1`),
///   `www` and the last part of host names (`dweet.io` → `dweet`).
/// - At most four words; then `-client`. Nothing left: `api-client`.
pub fn crate_name(title: &str) -> String {
    let main = title.split(" + ").next().unwrap_or_default();
    let (text, acronyms) = without_parentheses(main);
    // A port after a host name (`geodesystems.com:443`).
    let text: Vec<&str> = text
        .split_whitespace()
        .map(|t| match t.rsplit_once(':') {
            Some((host, port)) if !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => {
                host
            }
            _ => t,
        })
        .collect();
    let text = text.join(" ");
    let mut words: Vec<String> = Vec::new();
    for token in text.split(|c: char| c.is_whitespace() || ",;:/-_!?&|\"()[]{}<>".contains(c)) {
        let token = token
            .trim_end_matches("'s")
            .trim_end_matches("\u{2019}s")
            .trim_matches(|c: char| !c.is_ascii_alphanumeric());
        words.extend(token_words(token));
    }
    words.retain(|w| !w.is_empty() && !TITLE_FILLER.contains(&w.as_str()) && !is_version(w));
    if words.len() > MAX_TITLE_WORDS
        && let Some(acronym) = acronyms.first()
    {
        words = vec![acronym.to_ascii_lowercase()];
    }
    words.truncate(MAX_TITLE_WORDS);
    if words.is_empty() {
        return "api-client".to_owned();
    }
    if words[0].starts_with(|c: char| c.is_ascii_digit()) {
        words.insert(0, "api".to_owned());
    }
    words.push("client".to_owned());
    words.join("-")
}

/// The text without parenthesised or bracketed parts, and the acronyms
/// (two to six capitals) such parts consist of.
fn without_parentheses(text: &str) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut inner = String::new();
    let mut acronyms = Vec::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' | '[' => {
                depth += 1;
                inner.clear();
            }
            ')' | ']' if depth > 0 => {
                depth -= 1;
                let t = inner.trim();
                if (2..=6).contains(&t.len()) && t.chars().all(|c| c.is_ascii_uppercase()) {
                    acronyms.push(t.to_owned());
                }
                out.push(' ');
            }
            _ if depth > 0 => inner.push(c),
            _ => out.push(c),
        }
    }
    (out, acronyms)
}

/// The lower-case words of one token: host names lose `www` and their last
/// part, `U.S.` is `us`, long identifiers split at their capitals.
fn token_words(token: &str) -> Vec<String> {
    if is_version(&token.to_ascii_lowercase()) {
        return Vec::new();
    }
    let mut parts: Vec<&str> = token.split('.').filter(|p| !p.is_empty()).collect();
    if parts.len() > 1 && parts.iter().all(|p| p.len() == 1) {
        return vec![parts.concat().to_ascii_lowercase()];
    }
    if parts.len() > 1
        && parts
            .last()
            .is_some_and(|p| DOMAINS.contains(&p.to_ascii_lowercase().as_str()))
    {
        parts.pop();
    }
    parts.retain(|p| !p.eq_ignore_ascii_case("www"));
    let mut out = Vec::new();
    for part in parts {
        let ascii: String = part.chars().filter(char::is_ascii_alphanumeric).collect();
        let humps = camel_parts(&ascii);
        if humps.len() >= 4 {
            out.extend(humps.into_iter().map(|h| h.to_ascii_lowercase()));
        } else {
            out.push(ascii.to_ascii_lowercase());
        }
    }
    out
}

/// `DataFactoryManagementClient` → `Data`, `Factory`, `Management`,
/// `Client`; `HTTPServer` → `HTTP`, `Server`.
fn camel_parts(word: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let mut starts = vec![0];
    for i in 1..chars.len() {
        let (at, c) = chars[i];
        let prev = chars[i - 1].1;
        let next_lower = chars
            .get(i + 1)
            .is_some_and(|(_, n)| n.is_ascii_lowercase());
        if c.is_ascii_uppercase()
            && (prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower))
        {
            starts.push(at);
        }
    }
    starts.push(word.len());
    starts
        .windows(2)
        .map(|w| &word[w[0]..w[1]])
        .filter(|p| !p.is_empty())
        .collect()
}

/// `v3`, `2.0`, `2018`, `sp1`: a version, not a name (`Channel 4` keeps
/// its `4`).
fn is_version(word: &str) -> bool {
    let letters = word.chars().take_while(char::is_ascii_alphabetic).count();
    let rest = &word[letters..];
    let numeric = !rest.is_empty()
        && rest.starts_with(|c: char| c.is_ascii_digit())
        && rest.chars().all(|c| c.is_ascii_digit() || c == '.');
    numeric && (letters == 1 || letters == 2 || rest.contains('.') || rest.len() >= 4)
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
