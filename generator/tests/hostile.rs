//! Hostile and broken input: regression tests for what fuzzing and review
//! found (see `fuzz/`). Each case runs the whole pipeline and checks that it
//! neither panics nor hangs, and that the result is either well-formed code
//! or located errors.

use std::time::{Duration, Instant};

use generator::{Config, Diagnostics, Options, SourceFile};

fn run(name: &str, text: &str) -> Result<generator::Output, Diagnostics> {
    let sources = [SourceFile {
        name: name.into(),
        text: text.into(),
    }];
    generator::generate(
        &sources,
        &Config::default(),
        &Options {
            command: "test".into(),
        },
    )
}

/// Generated Rust parses and holds no character rustc rejects in comments.
fn assert_well_formed(case: &str, output: &generator::Output) {
    for f in output.files.iter().filter(|f| f.path.ends_with(".rs")) {
        let bad = f
            .contents
            .chars()
            .find(|c| *c == '\r' || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'));
        assert_eq!(bad, None, "{case}: {}", f.path);
        if let Err(e) = syn::parse_file(&f.contents) {
            panic!("{case}: {} does not parse: {e}", f.path);
        }
    }
}

enum Expect {
    /// Generates; each listed text appears in a warning.
    Ok(&'static [&'static str]),
    /// Fails; the text appears in an error that has a file and line.
    Err(&'static str),
}

fn nested(open: &str, close: &str, depth: usize) -> String {
    format!("{}{}", open.repeat(depth), close.repeat(depth))
}

fn deep_yaml(depth: usize) -> String {
    let mut s = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx:\n");
    for i in 0..depth {
        s.push_str(&" ".repeat(i + 1));
        s.push_str("a:\n");
    }
    s
}

fn yaml_bomb() -> String {
    let mut s = String::from(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..12 {
        let p = i - 1;
        s.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    s
}

/// A schema nested `depth` times through `properties` (inside JSON's limit).
fn deep_schema(depth: usize) -> String {
    let mut schema = String::from(r#"{"type":"string"}"#);
    for _ in 0..depth {
        schema = format!(r#"{{"type":"object","properties":{{"x":{schema}}}}}"#);
    }
    format!(
        r#"{{"openapi":"3.0.3","info":{{"title":"t","version":"1"}},"paths":{{}},"components":{{"schemas":{{"Deep":{schema}}}}}}}"#
    )
}

/// `allOf` diamonds: each level names the next twice.
fn diamonds(levels: usize) -> String {
    let mut schemas = Vec::new();
    for i in 0..levels {
        let next = format!("#/components/schemas/L{}", i + 1);
        schemas.push(format!(
            r#""L{i}":{{"allOf":[{{"$ref":"{next}"}},{{"$ref":"{next}"}},{{"type":"object","properties":{{"p{i}":{{"type":"string"}}}}}}]}}"#
        ));
    }
    schemas.push(format!(
        r#""L{levels}":{{"type":"object","properties":{{"last":{{"type":"string"}}}}}}"#
    ));
    format!(
        r#"{{"openapi":"3.0.3","info":{{"title":"t","version":"1"}},"paths":{{}},"components":{{"schemas":{{{}}}}}}}"#,
        schemas.join(",")
    )
}

/// Many operations and properties: a large but legitimate document.
fn huge(ops: usize, props: usize) -> String {
    let properties: Vec<String> = (0..props)
        .map(|i| format!(r#""p{i}":{{"type":"string","description":"property {i}"}}"#))
        .collect();
    let schema = format!(
        r#"{{"type":"object","properties":{{{}}}}}"#,
        properties.join(",")
    );
    let paths: Vec<String> = (0..ops)
        .map(|i| format!(r#""/op{i}/{{id}}":{{"get":{{"parameters":[{{"name":"id","in":"path","required":true,"schema":{{"type":"integer"}}}}],"responses":{{"200":{{"description":"ok","content":{{"application/json":{{"schema":{schema}}}}}}}}}}}}}"#))
        .collect();
    format!(
        r#"{{"openapi":"3.0.3","info":{{"title":"t","version":"1"}},"paths":{{{}}}}}"#,
        paths.join(",")
    )
}

const DOC: &str = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\n";

#[test]
fn hostile_inputs() {
    let cases: Vec<(&str, &str, String, Expect)> = vec![
        // Fuzz (pipeline_structured): a bidi control in a description reached
        // a `///` comment, which rustc rejects.
        (
            "bidi and control characters in docs",
            "a.yaml",
            format!("{DOC}  description: \"a\\u202Eb\\rc\\u0007\"\npaths: {{}}\ncomponents:\n  schemas:\n    A:\n      description: \"x\\u2066y\\u0000\"\n      type: object\n      properties: {{\"\\u202Ename\": {{type: string, description: \"\\u202E\"}}}}\n"),
            Expect::Ok(&[]),
        ),
        ("deep JSON arrays", "a.json", nested("[", "]", 100_000), Expect::Err("recursion limit exceeded")),
        ("deep JSON objects", "a.json", format!("{}1{}", "{\"a\":".repeat(50_000), "}".repeat(50_000)), Expect::Err("recursion limit exceeded")),
        ("deep YAML", "a.yaml", deep_yaml(5_000), Expect::Err("recursion limit exceeded")),
        ("deep YAML flow", "a.yaml", format!("{DOC}paths: {{}}\nx: {}", nested("[", "]", 50_000)), Expect::Err("recursion limit exceeded")),
        ("YAML alias bomb", "a.yaml", yaml_bomb(), Expect::Err("repetition limit exceeded")),
        ("schema nested 60 deep", "a.json", deep_schema(60), Expect::Ok(&[])),
        ("allOf diamonds 40 levels", "a.json", diamonds(40), Expect::Ok(&[])),
        ("huge document", "a.json", huge(150, 100), Expect::Ok(&[])),
        (
            "allOf of itself only",
            "a.yaml",
            format!("{DOC}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      allOf: [{{$ref: '#/components/schemas/A'}}]\n"),
            Expect::Ok(&["a.yaml:8 (at #/components/schemas/A): schema `A` is defined only in terms of itself"]),
        ),
        (
            "array alias of itself",
            "a.yaml",
            format!("{DOC}paths: {{}}\ncomponents:\n  schemas:\n    A: {{type: array, items: {{$ref: '#/components/schemas/A'}}}}\n"),
            Expect::Ok(&["a.yaml:8 (at #/components/schemas/A): schema `A` is an alias that contains itself"]),
        ),
        (
            "self reference chain",
            "a.yaml",
            format!("{DOC}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n    B: {{$ref: '#/components/schemas/C'}}\n    C: {{$ref: '#/components/schemas/A'}}\n"),
            Expect::Ok(&["a.yaml:10 (at #/components/schemas/C): schema `C` is defined only in terms of itself"]),
        ),
        (
            "names that clash with the builder module and client",
            "a.yaml",
            format!("{DOC}paths:\n  /a:\n    get: {{operationId: client, responses: {{'204': {{description: x}}}}}}\n    post: {{operationId: Box, responses: {{'204': {{description: x}}}}}}\n    put: {{operationId: update, responses: {{'204': {{description: x}}}}}}\n  /b:\n    get:\n      operationId: into_future\n      parameters:\n        - {{name: new, in: query, schema: {{type: string}}}}\n        - {{name: into_future, in: query, schema: {{type: string}}}}\n        - {{name: X-Foo, in: header, schema: {{type: string}}}}\n        - {{name: http-client, in: header, schema: {{type: string}}}}\n      responses: {{'204': {{description: x}}}}\n  /c:\n    get:\n      parameters:\n        - {{name: x_foo, in: header, schema: {{type: string}}}}\n        - {{name: http_client, in: header, schema: {{type: string}}}}\n      responses: {{'204': {{description: x}}}}\n"),
            Expect::Ok(&[]),
        ),
        (
            "a $ref that is not a string is an untyped schema",
            "a.json",
            r##"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{},"components":{"schemas":{"A":{"$ref":7}}}}"##.to_owned(),
            Expect::Ok(&[]),
        ),
        // Lenient reading: numbers the parsers refuse, and keywords of the
        // wrong type anywhere, cost that keyword (with a warning), not the document.
        (
            "a JSON number beyond the range of a float",
            "a.json",
            r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{},"components":{"schemas":{"A":{"type":"number","maximum":1e400,"example":-1E999}}}}"#.to_owned(),
            Expect::Ok(&["a.json:1 (at #/components/schemas/A/maximum): `maximum`: expected a number, found 1e400, beyond the range of a 64-bit float; dropped"]),
        ),
        (
            "YAML integers beyond 128 bits and beyond 64 bits in a flow list",
            "a.yaml",
            format!("{DOC}paths: {{}}\ncomponents:\n  schemas:\n    A: {{type: integer, enum: [1, 99999999999999999999, 1000000000000000000000000000000000000000000]}}\n"),
            Expect::Ok(&["a.yaml:8 (at #/components/schemas/A/enum/1): the integer 99999999999999999999 does not fit in 64 bits"]),
        ),
        (
            "everything of the wrong type",
            "a.json",
            r#"{"openapi":3.0,"info":7,"servers":7,"tags":7,"security":7,"externalDocs":7,"paths":{"/a":7,"/b":{"get":7,"parameters":7},"/c":{"get":{"responses":7,"parameters":[7,{"in":7}],"requestBody":7,"tags":[[]],"security":[7]}}},"components":{"schemas":7,"responses":{"r":7},"parameters":[],"securitySchemes":{"s":{"type":7}}}}"#.to_owned(),
            Expect::Ok(&[]),
        ),
        ("empty file", "a.json", String::new(), Expect::Err("invalid JSON")),
        ("not an object", "a.yaml", "openapi".to_owned(), Expect::Err("not an OpenAPI document")),
        // Fuzz (compile-corpus): an API without operations left unused imports in `builder.rs`.
        ("no operations", "a.yaml", format!("{DOC}paths: {{}}\n"), Expect::Ok(&[])),
        ("openapi is a number (unquoted YAML `openapi: 3.1` is common): read as 3.1", "a.json", r#"{"openapi":3.1,"info":{"title":"t","version":"1"},"paths":{}}"#.to_owned(), Expect::Ok(&[])),
    ];
    for (case, file, text, expect) in cases {
        eprintln!("case: {case}");
        // Each case in a thread with the default test stack (2 MiB): deep
        // input must not need more.
        let name = file.to_owned();
        let start = Instant::now();
        let result = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || run(&name, &text))
            .unwrap_or_else(|e| panic!("{e}"))
            .join()
            .unwrap_or_else(|_| panic!("{case}: panicked"));
        let took = start.elapsed();
        assert!(took < Duration::from_secs(20), "{case}: took {took:?}");
        match (expect, result) {
            (Expect::Ok(warnings), Ok(output)) => {
                assert_well_formed(case, &output);
                let all = output.diagnostics.to_string();
                for w in warnings {
                    assert!(all.contains(w), "{case}: no warning `{w}` in\n{all}");
                }
            }
            (Expect::Err(text), Err(diags)) => {
                let found = diags.errors().any(|e| {
                    e.message.contains(text)
                        && e.location
                            .as_ref()
                            .is_some_and(|l| l.file == file && l.line > 0)
                });
                assert!(found, "{case}: no located error `{text}` in\n{diags}");
            }
            (Expect::Ok(_), Err(diags)) => panic!("{case}: failed:\n{diags}"),
            (Expect::Err(text), Ok(_)) => panic!("{case}: generated, expected error `{text}`"),
        }
    }
}
