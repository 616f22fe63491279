//! Snapshot tests: one small fixture per behaviour → the emitted code (or,
//! for broken input, the diagnostics). Review changes with `cargo insta review`.

use std::path::{Path, PathBuf};

use generator::{Config, Options, SourceFile, generate, source};

/// The files a reviewer cares about; the runtime parts are the same for every
/// API, except the error type when the API documents error bodies.
fn shown(path: &str, contents: &str) -> bool {
    path.ends_with(".rs") && !["src/lib.rs", "src/error.rs", "src/runtime.rs"].contains(&path)
        || path == "Cargo.toml"
        || path == "src/error.rs" && contents.contains("pub enum ErrorBody")
}

/// The fixture's own config: `<name>.toml` beside it, if any.
fn config_for(path: &Path) -> Config {
    let toml = path.with_extension("toml");
    let Ok(text) = std::fs::read_to_string(&toml) else {
        return Config::default();
    };
    let mut diags = generator::Diagnostics::default();
    Config::parse(&text, &toml.display().to_string(), &mut diags)
        .unwrap_or_else(|| panic!("{diags}"))
}

fn load(path: &Path) -> Vec<SourceFile> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rel = path.strip_prefix(root).unwrap_or(path);
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    vec![SourceFile {
        name: rel.display().to_string(),
        text,
    }]
}

fn options() -> Options {
    Options {
        command: "generator (snapshot test)".to_owned(),
    }
}

/// Generated code plus warnings, as one text.
fn render(sources: &[SourceFile], config: &Config) -> String {
    match generate(sources, config, &options()) {
        Ok(out) => {
            let mut text = String::new();
            for d in out.diagnostics.sorted() {
                text.push_str(&format!("{d}\n"));
            }
            for f in out
                .files
                .iter()
                // Cargo.toml only when it has something to show: features.
                .filter(|f| {
                    shown(&f.path, &f.contents)
                        && (f.path != "Cargo.toml" || f.contents.contains("[features]"))
                })
            {
                text.push_str(&format!("\n==> {} <==\n{}", f.path, f.contents));
            }
            text
        }
        Err(diags) => format!("generation failed:\n{diags}"),
    }
}

#[test]
fn ok_fixtures() {
    insta::glob!("fixtures/ok/*.{yaml,json,md}", |path| {
        let text = render(&load(path), &config_for(path));
        assert!(!text.starts_with("generation failed"), "{text}");
        insta::assert_snapshot!(text);
    });
}

/// Documents with one malformed keyword each: they generate, with exactly
/// one warning that names the file, the line and the keyword's pointer.
#[test]
fn lenient_fixtures() {
    insta::glob!("fixtures/lenient/*.{yaml,json,md}", |path| {
        let sources = load(path);
        let out = generate(&sources, &config_for(path), &options())
            .unwrap_or_else(|d| panic!("{} should generate:\n{d}", path.display()));
        let warnings: Vec<_> = out.diagnostics.warnings().collect();
        assert_eq!(warnings.len(), 1, "{}: {warnings:#?}", path.display());
        let location = warnings[0].location.as_ref();
        assert!(
            location
                .is_some_and(|l| l.file == sources[0].name && l.line > 1 && l.pointer.len() > 1),
            "{}: not located: {}",
            path.display(),
            warnings[0]
        );
        insta::assert_snapshot!(render(&sources, &config_for(path)));
    });
}

#[test]
fn error_fixtures() {
    insta::glob!("fixtures/errors/*", |path| {
        let text = match generate(&load(path), &Config::default(), &options()) {
            Ok(_) => "generated without errors".to_owned(),
            Err(diags) => diags.to_string(),
        };
        assert!(
            !text.starts_with("generated without"),
            "{} should fail",
            path.display()
        );
        insta::assert_snapshot!(text);
    });
}

/// A spec split over files and folders, as vendors publish them: given its
/// root file, the generator pulls in what the root references; given the
/// whole folder, it merges to the same client.
#[test]
fn multi_file_fixtures() {
    insta::glob!("fixtures/multi-file/*/openapi.yaml", |path| {
        let text = render(&load(path), &Config::default());
        assert!(!text.starts_with("generation failed"), "{text}");
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let folder = path.parent().unwrap_or(path);
        let folder = folder.strip_prefix(root).unwrap_or(folder);
        let whole = source::load(&[folder.to_path_buf()])
            .unwrap_or_else(|e| panic!("{}: {e}", folder.display()));
        assert_eq!(
            render(&whole, &Config::default()),
            text,
            "the folder {} gives another client than its root file",
            folder.display()
        );
        insta::assert_snapshot!(text);
    });
}

/// References that cannot be followed: located errors naming the file, the
/// line and the pointer of the `$ref`, and what is missing.
#[test]
fn multi_file_error_fixtures() {
    insta::glob!("fixtures/multi-file-errors/*/openapi.yaml", |path| {
        let text = match generate(&load(path), &Config::default(), &options()) {
            Ok(_) => "generated without errors".to_owned(),
            Err(diags) => diags.to_string(),
        };
        assert!(
            !text.starts_with("generated without"),
            "{} should fail",
            path.display()
        );
        insta::assert_snapshot!(text);
    });
}

fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

fn specs_config() -> Config {
    let path = specs_dir().join("codegen.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let mut diags = generator::Diagnostics::default();
    Config::parse(&text, "specs/codegen.toml", &mut diags).unwrap_or_else(|| panic!("{diags}"))
}

/// The seed itself: the Customer/Auth spec with its config.
#[test]
fn customer_auth_seed() {
    let path = specs_dir().join("customer-auth.md");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let sources = vec![SourceFile {
        name: "specs/customer-auth.md".into(),
        text,
    }];
    insta::assert_snapshot!(render(&sources, &specs_config()));
}

/// Without the config, the copied operationId is warned about.
#[test]
fn customer_auth_seed_without_config_warns() {
    let sources = source::load(&[specs_dir().join("customer-auth.md")]).unwrap_or_default();
    let out = generate(&sources, &Config::default(), &options()).unwrap_or_else(|d| panic!("{d}"));
    let warnings: Vec<String> = out
        .diagnostics
        .warnings()
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("getSymbolBaseList"), "{warnings:?}");
}
