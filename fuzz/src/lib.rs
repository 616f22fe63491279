//! Shared oracle and input builders of the fuzz targets.
//!
//! The oracle: the generator never panics (libFuzzer catches that), and
//! whatever it returns is well-formed:
//! - on success every `.rs` file parses with `syn` and has no character that
//!   rustc rejects in comments (bare CR, bidirectional controls), and
//!   `Cargo.toml` parses as TOML;
//! - on failure there is at least one error, and no error is an internal
//!   one (a token stream that did not parse, a model that failed its own
//!   consistency check);
//! - every error and warning names a file and line (only "no documents
//!   found" has nowhere to point).

use generator::{Config, Options, SourceFile};
use serde_json::{Map, Value};

fn options() -> Options {
    Options {
        command: "fuzz".to_owned(),
    }
}

/// Characters rustc refuses in source outside string escapes.
fn forbidden(c: char) -> bool {
    c == '\r'
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Runs the pipeline and checks its result.
pub fn check_sources(sources: &[SourceFile]) {
    match generator::generate(sources, &Config::default(), &options()) {
        Ok(output) => {
            for file in &output.files {
                if let Some(c) = file.contents.chars().find(|c| forbidden(*c))
                    && file.path.ends_with(".rs")
                {
                    panic!("{} contains {c:?}", file.path);
                }
                if file.path.ends_with(".rs") {
                    if let Err(e) = syn::parse_file(&file.contents) {
                        panic!("{} does not parse: {e}\n{}", file.path, file.contents);
                    }
                } else if file.path == "Cargo.toml" {
                    if let Err(e) = file.contents.parse::<toml::Table>() {
                        panic!("Cargo.toml does not parse: {e}\n{}", file.contents);
                    }
                }
            }
            assert!(!output.diagnostics.has_errors());
            for w in output.diagnostics.warnings() {
                assert!(w.location.is_some(), "unlocated warning: {w}");
            }
            dump(sources, &output);
        }
        Err(diags) => {
            assert!(diags.has_errors(), "failed without an error");
            for d in diags.errors() {
                assert!(!d.message.contains("internal error"), "{d}");
                let located = d.location.as_ref().is_some_and(|l| l.line > 0 && !l.file.is_empty());
                assert!(located || d.message.starts_with("no OpenAPI documents"), "unlocated error: {d}");
            }
        }
    }
}

/// With `FUZZ_DUMP_DIR` set, writes each generated crate there (named by a
/// hash of its sources) so `fuzz/compile-corpus.sh` can `cargo check` them.
fn dump(sources: &[SourceFile], output: &generator::Output) {
    use std::hash::{Hash, Hasher};
    let Some(dir) = std::env::var_os("FUZZ_DUMP_DIR") else {
        return;
    };
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for s in sources {
        s.name.hash(&mut hasher);
        s.text.hash(&mut hasher);
    }
    let name = format!("c{:016x}", hasher.finish());
    let root = std::path::Path::new(&dir).join(&name);
    for f in &output.files {
        let contents = if f.path == "Cargo.toml" {
            // Unique package names, so all crates fit in one workspace.
            let mut table: toml::Table = f.contents.parse().unwrap_or_default();
            if let Some(toml::Value::Table(p)) = table.get_mut("package") {
                p.insert("name".into(), toml::Value::String(name.clone()));
            }
            toml::to_string(&table).unwrap_or_default()
        } else {
            f.contents.clone()
        };
        let path = root.join(&f.path);
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = std::fs::write(path, contents);
    }
}

/// Target (a): snippets of arbitrary Markdown, then the pipeline.
pub fn check_markdown(text: &str) {
    let file = SourceFile {
        name: "fuzz.md".to_owned(),
        text: text.to_owned(),
    };
    let lines = text.split('\n').count();
    for s in generator::source::snippets(&file) {
        assert!(s.line >= 1 && s.line <= lines + 1, "line {} of {lines}", s.line);
        assert!(s.embedded);
        assert!(s.text.len() <= text.len() + lines, "snippet longer than its file");
    }
    check_sources(&[file]);
}

/// Target (b), bytes: the first byte picks the file kind(s).
pub fn check_bytes(data: &[u8]) {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    let ext = |k: u8| match k % 3 {
        0 => "json",
        1 => "yaml",
        _ => "md",
    };
    let text = String::from_utf8_lossy(rest);
    // With the high bit set, the input is two files split at the first NUL.
    let mut sources = Vec::new();
    if kind & 0x80 != 0
        && let Some((a, b)) = text.split_once('\0')
    {
        sources.push(SourceFile { name: format!("a.{}", ext(kind)), text: a.to_owned() });
        sources.push(SourceFile { name: format!("b.{}", ext(kind >> 2)), text: b.to_owned() });
    } else {
        sources.push(SourceFile { name: format!("spec.{}", ext(kind)), text: text.into_owned() });
    }
    check_sources(&sources);
}

/// Reads choices from the fuzz input; zeros once it runs out.
pub struct Bytes<'a> {
    data: &'a [u8],
}

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Bytes { data }
    }

    fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { self.byte() as usize % n }
    }

    fn done(&self) -> bool {
        self.data.is_empty()
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// Names that are hard to turn into Rust.
const NAMES: &[&str] = &[
    "A", "B", "a/b", "Pet", "type", "self", "Self", "super", "crate", "gen", "async", "try", "_",
    "", "2fa", "名字", "描述", "fooBar", "foo_bar", "FooBar", "foo-bar", "Client", "Error", "Result",
    "Option", "String", "Vec", "Box", "Params", "new", "client", "body", "send", "Other",
    "additional_properties", "value", "request", "response", "into_future", "update", "r#type",
    "x-foo", "X_Foo", "$ref", "~0~1", "a\nb", "\u{202e}rtl", "Future", "Pin", "IntoFuture",
];

/// Text for descriptions and other free strings.
const TEXTS: &[&str] = &[
    "plain", "*/ /* #[attr] \"quote\" \\ back", "```\nfn main() { panic!() }\n```",
    "```rust\nassert!(false);\n```", "Example:\n\n    let x = 1;\n    panic!();\n", "- a\nb",
    "line\rcarriage", "tab\there", "\u{202e}bidi\u{2066}", "中文描述", "```", "~~~\nx", "\u{0}nul",
    "///", "//! inner", "1. one\n2) two\n   more", "<b>html</b>", "[link](http://x)",
];

const REFS: &[&str] = &[
    "#/components/schemas/A", "#/components/schemas/B", "#/components/schemas/a~1b",
    "#/components/schemas/Self", "#/components/schemas/missing", "#/components/schemas/",
    "#/components/parameters/P", "#/components/requestBodies/Q", "#/components/responses/R",
    "#/paths/~1a", "other.yaml#/X", "#", "", "#/components/schemas/A/properties/x",
];

const TYPES: &[&str] = &["string", "integer", "number", "boolean", "array", "object", "null", "file"];
const FORMATS: &[&str] = &["int32", "int64", "float", "double", "binary", "date-time", "uuid"];
const MEDIA: &[&str] = &[
    "application/json", "application/problem+json", "text/plain", "application/octet-stream",
    "application/x-www-form-urlencoded", "*/*", "multipart/form-data", "",
];
const PATHS: &[&str] = &[
    "/a", "/a/{id}", "/{x}{y}", "/", "", "/a/{", "/a/}", "/{}", "/x.y.z", "/login/app.Service.login",
    "/a/{id}/b/{id}", "/中文", "/a b", "/{self}", "/{type}/{Type}",
];
const METHODS: &[&str] = &["get", "post", "put", "delete", "patch", "head", "options", "trace"];
const CODES: &[&str] = &["200", "201", "204", "2XX", "default", "404", "299", "abc"];
const LOCATIONS: &[&str] = &["query", "header", "path", "cookie", "body"];

/// Builds an OpenAPI-shaped document from the input.
pub struct Builder<'a> {
    b: Bytes<'a>,
    budget: usize,
}

impl<'a> Builder<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Builder { b: Bytes::new(data), budget: 400 }
    }

    fn spend(&mut self) -> bool {
        if self.budget == 0 || self.b.done() {
            return false;
        }
        self.budget -= 1;
        true
    }

    fn name(&mut self) -> String {
        self.b.pick(NAMES).to_owned()
    }

    fn text(&mut self) -> Value {
        Value::String(self.b.pick(TEXTS).to_owned())
    }

    fn count(&mut self, max: usize) -> usize {
        if self.b.done() { 0 } else { self.b.below(max + 1) }
    }

    /// A schema (or a `$ref`), nesting down to `depth`.
    pub fn schema(&mut self, depth: usize) -> Value {
        let mut m = Map::new();
        if !self.spend() {
            return Value::Object(m);
        }
        let choice = self.b.below(if depth == 0 { 3 } else { 11 });
        match choice {
            0 => {
                m.insert("$ref".into(), Value::String(self.b.pick(REFS).to_owned()));
            }
            1 => {
                m.insert("type".into(), Value::String(self.b.pick(TYPES).to_owned()));
                if self.b.byte() & 1 == 1 {
                    m.insert("format".into(), Value::String(self.b.pick(FORMATS).to_owned()));
                }
            }
            2 => {
                m.insert("type".into(), "string".into());
                let values = (0..self.count(4)).map(|_| Value::String(self.name())).collect();
                m.insert("enum".into(), Value::Array(values));
            }
            3 | 4 => {
                m.insert("type".into(), "object".into());
                let mut props = Map::new();
                let mut required = Vec::new();
                for _ in 0..self.count(4) {
                    let n = self.name();
                    if self.b.byte() & 1 == 1 {
                        required.push(Value::String(n.clone()));
                    }
                    props.insert(n, self.schema(depth - 1));
                }
                m.insert("properties".into(), Value::Object(props));
                if !required.is_empty() {
                    m.insert("required".into(), Value::Array(required));
                }
                match self.b.below(4) {
                    0 => {
                        m.insert("additionalProperties".into(), self.schema(depth - 1));
                    }
                    1 => {
                        m.insert("additionalProperties".into(), Value::Bool(true));
                    }
                    _ => {}
                }
            }
            5 => {
                m.insert("type".into(), "array".into());
                m.insert("items".into(), self.schema(depth - 1));
            }
            6..=8 => {
                let key = ["allOf", "oneOf", "anyOf"][choice - 6];
                let parts = (0..self.count(3)).map(|_| self.schema(depth - 1)).collect();
                m.insert(key.into(), Value::Array(parts));
                if key != "allOf" && self.b.byte() & 3 == 0 {
                    m.insert("discriminator".into(), serde_json::json!({"propertyName": self.name()}));
                }
            }
            9 => {
                m.insert("not".into(), self.schema(depth - 1));
            }
            _ => {
                // No `type`: properties, items or nothing at all.
                if self.b.byte() & 1 == 1 {
                    let mut props = Map::new();
                    for _ in 0..self.count(3) {
                        let n = self.name();
                        props.insert(n, self.schema(depth - 1));
                    }
                    m.insert("properties".into(), Value::Object(props));
                } else {
                    m.insert("items".into(), self.schema(depth - 1));
                }
            }
        }
        let flags = self.b.byte();
        if flags & 1 != 0 {
            m.insert("nullable".into(), Value::Bool(true));
        }
        if flags & 2 != 0 {
            m.insert("description".into(), self.text());
        }
        if flags & 4 != 0 {
            m.insert("title".into(), Value::String(self.name()));
        }
        Value::Object(m)
    }

    fn parameter(&mut self) -> Value {
        if self.b.byte() & 7 == 0 {
            return serde_json::json!({"$ref": self.b.pick(REFS)});
        }
        let mut m = Map::new();
        m.insert("name".into(), Value::String(self.name()));
        m.insert("in".into(), Value::String(self.b.pick(LOCATIONS).to_owned()));
        m.insert("required".into(), Value::Bool(self.b.byte() & 1 == 1));
        if self.b.byte() & 3 == 0 {
            m.insert("description".into(), self.text());
        }
        m.insert("schema".into(), self.schema(2));
        Value::Object(m)
    }

    fn content(&mut self) -> Value {
        let mut c = Map::new();
        for _ in 0..self.count(2).max(1) {
            let media = self.b.pick(MEDIA).to_owned();
            let schema = self.schema(4);
            c.insert(media, serde_json::json!({ "schema": schema }));
        }
        Value::Object(c)
    }

    fn operation(&mut self) -> Value {
        let mut op = Map::new();
        if self.b.byte() & 1 == 1 {
            op.insert("operationId".into(), Value::String(self.name()));
        }
        if self.b.byte() & 3 == 0 {
            op.insert("summary".into(), self.text());
        }
        if self.b.byte() & 3 == 0 {
            op.insert("description".into(), self.text());
        }
        let params: Vec<Value> = (0..self.count(3)).map(|_| self.parameter()).collect();
        if !params.is_empty() {
            op.insert("parameters".into(), Value::Array(params));
        }
        if self.b.byte() & 1 == 1 {
            let content = self.content();
            op.insert(
                "requestBody".into(),
                serde_json::json!({"required": self.b.byte() & 1 == 1, "content": content}),
            );
        }
        let mut responses = Map::new();
        for _ in 0..self.count(2) {
            let code = self.b.pick(CODES).to_owned();
            let r = if self.b.byte() & 7 == 0 {
                serde_json::json!({"$ref": self.b.pick(REFS)})
            } else {
                serde_json::json!({"description": "", "content": self.content()})
            };
            responses.insert(code, r);
        }
        op.insert("responses".into(), Value::Object(responses));
        Value::Object(op)
    }

    /// A whole document.
    pub fn document(&mut self) -> Value {
        let version = if self.b.byte() & 1 == 0 { "3.0.3" } else { "3.1.0" };
        let mut doc = Map::new();
        doc.insert("openapi".into(), version.into());
        doc.insert(
            "info".into(),
            serde_json::json!({"title": self.name(), "version": self.name(), "description": self.text()}),
        );
        if self.b.byte() & 1 == 1 {
            doc.insert("servers".into(), serde_json::json!([{"url": self.b.pick(PATHS)}]));
        }
        let mut schemas = Map::new();
        for _ in 0..self.count(5) {
            let n = self.name();
            schemas.insert(n, self.schema(5));
        }
        let mut components = Map::new();
        components.insert("schemas".into(), Value::Object(schemas));
        if self.b.byte() & 3 == 0 {
            components.insert("parameters".into(), serde_json::json!({"P": self.parameter()}));
        }
        doc.insert("components".into(), Value::Object(components));
        let mut paths = Map::new();
        for _ in 0..self.count(4) {
            let path = self.b.pick(PATHS).to_owned();
            let mut item = Map::new();
            for _ in 0..self.count(2).max(1) {
                let method = self.b.pick(METHODS).to_owned();
                item.insert(method, self.operation());
            }
            if self.b.byte() & 7 == 0 {
                item.insert("parameters".into(), Value::Array(vec![self.parameter()]));
            }
            paths.insert(path, Value::Object(item));
        }
        doc.insert("paths".into(), Value::Object(paths));
        Value::Object(doc)
    }
}

/// Target (b), structured: a document written as JSON, YAML or Markdown.
pub fn check_structured(data: &[u8]) {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    let doc = Builder::new(rest).document();
    let json = serde_json::to_string_pretty(&doc).unwrap_or_default();
    let source = match kind % 3 {
        0 => SourceFile { name: "spec.json".into(), text: json },
        1 => SourceFile {
            name: "spec.yaml".into(),
            text: serde_yaml::to_string(&doc).unwrap_or_default(),
        },
        _ => SourceFile {
            name: "spec.md".into(),
            text: format!("# Spec\n\n```json\n{json}\n```\n\nText.\n"),
        },
    };
    check_sources(&[source]);
}
