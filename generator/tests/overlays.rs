//! Overlays (OpenAPI Overlay Specification 1.0/1.1): one fixture per action
//! kind applied to `fixtures/overlays/pets.yaml`, a target that matches
//! nothing, an invalid overlay, a fix of the seed's copied operationId that
//! gives the same client whatever the order of the seed's snippets, and one
//! overlay applied to two releases of GitHub's description.

use std::path::Path;

use generator::inspect::Inspection;
use generator::{Config, Options, Output, SourceFile, generate_with, source};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A file under the generator's folder, named as diagnostics show it.
fn file(rel: &str) -> SourceFile {
    let text = std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    SourceFile {
        name: rel.to_owned(),
        text,
    }
}

fn options() -> Options {
    Options {
        command: "generator (overlay test)".to_owned(),
    }
}

fn generate(spec: SourceFile, overlays: &[SourceFile]) -> Result<Output, generator::Diagnostics> {
    generate_with(&[spec], overlays, &Config::default(), &options())
}

/// Warnings, then the types and builders, as one text.
fn render(out: &Output) -> String {
    let mut text = String::new();
    for d in out.diagnostics.sorted() {
        text.push_str(&format!("{d}\n"));
    }
    for f in out
        .files
        .iter()
        .filter(|f| ["src/types.rs", "src/builder.rs", "src/client.rs"].contains(&f.path.as_str()))
    {
        text.push_str(&format!("\n==> {} <==\n{}", f.path, f.contents));
    }
    text
}

const PETS: &str = "tests/fixtures/overlays/pets.yaml";

#[test]
fn every_action_kind() {
    insta::glob!("fixtures/overlays/actions/*.yaml", |path| {
        let rel = path
            .strip_prefix(root())
            .unwrap_or(path)
            .display()
            .to_string();
        let out = generate(file(PETS), &[file(&rel)])
            .unwrap_or_else(|d| panic!("{rel} should apply:\n{d}"));
        insta::assert_snapshot!(render(&out));
    });
}

/// What each fixture did, asserted on the model.
#[test]
fn actions_change_the_model() {
    let inspect = |overlay: &str| {
        let out = generate(file(PETS), &[file(overlay)]).unwrap_or_else(|d| panic!("{d}"));
        Inspection::new(&out.model, &out.diagnostics)
    };
    let plain = {
        let out = generate(file(PETS), &[]).unwrap_or_else(|d| panic!("{d}"));
        Inspection::new(&out.model, &out.diagnostics)
    };
    let field = |i: &Inspection, ty: &str, name: &str| {
        i.ty(ty)
            .and_then(|t| t.fields.iter().find(|f| f.wire == name))
            .map(|f| f.ty.clone())
    };
    assert_eq!(
        field(&plain, "Pet", "tag").as_deref(),
        Some("Option<String>")
    );

    let update = inspect("tests/fixtures/overlays/actions/update.yaml");
    assert_eq!(
        update
            .operation("getPetById")
            .map(|o| (o.name.as_str(), o.path.as_str())),
        Some(("get_pet_by_id", "/pets/{id}"))
    );
    assert!(update.operation("listPetsById").is_none());
    // Required and nullable, written in 3.1 form: normalised like the spec.
    assert_eq!(
        field(&update, "Pet", "nickname").as_deref(),
        Some("Option<String>")
    );
    let limit = update
        .operation("listPets")
        .and_then(|o| o.parameters.iter().find(|p| p.wire == "limit"));
    assert_eq!(limit.map(|p| p.ty.as_str()), Some("i32"));

    let remove = inspect("tests/fixtures/overlays/actions/remove.yaml");
    assert!(remove.operation("deletePet").is_none());
    assert_eq!(field(&remove, "Pet", "tag"), None);
    let params: Vec<&str> = remove
        .operation("listPets")
        .map(|o| o.parameters.iter().map(|p| p.wire.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(params, ["limit"]);

    let copy = inspect("tests/fixtures/overlays/actions/copy.yaml");
    let fields: Vec<String> = copy
        .ty("NewPet")
        .map(|t| t.fields.iter().map(|f| f.wire.clone()).collect())
        .unwrap_or_default();
    assert_eq!(fields, ["name", "tag"]);
    assert_eq!(
        copy.operation("addPet")
            .and_then(|o| o.body.clone())
            .as_deref(),
        Some("NewPet")
    );
}

/// Warnings about values an overlay wrote name the spec's line and the
/// overlay's.
#[test]
fn warnings_name_the_overlay() {
    let out = generate(
        file(PETS),
        &[file("tests/fixtures/overlays/actions/located.yaml")],
    )
    .unwrap_or_else(|d| panic!("{d}"));
    let warnings: Vec<_> = out.diagnostics.warnings().collect();
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    for w in warnings {
        let location = w.location.as_ref();
        assert_eq!(location.map(|l| l.file.as_str()), Some(PETS), "{w}");
        let overlay = location.and_then(|l| l.overlay.as_deref());
        assert!(
            overlay.is_some_and(|o| o.file.ends_with("located.yaml") && o.line > 1),
            "{w}"
        );
    }
}

#[test]
fn target_matching_nothing_is_a_located_warning() {
    let out = generate(file(PETS), &[file("tests/fixtures/overlays/no-match.yaml")])
        .unwrap_or_else(|d| panic!("{d}"));
    insta::assert_snapshot!(out.diagnostics.to_string());
}

#[test]
fn invalid_overlay_is_a_located_error() {
    let text = match generate(file(PETS), &[file("tests/fixtures/overlays/invalid.yaml")]) {
        Ok(_) => "applied without errors".to_owned(),
        Err(diags) => diags.to_string(),
    };
    insta::assert_snapshot!(text);
}

/// The seed's copied operationId (`getSymbolBaseList` on the token
/// endpoint) and its `accountList` declared as an object, fixed by an
/// overlay instead of `codegen.toml`; the seed with its snippets in reverse
/// order takes the same overlay to the same files.
#[test]
fn seed_overlay_is_order_independent() {
    let seed = std::fs::read_to_string(root().join("../specs/customer-auth.md"))
        .unwrap_or_else(|e| panic!("{e}"));
    let overlay = file("tests/fixtures/overlays/seed-fix.yaml");
    let run = |text: String| {
        generate(
            SourceFile {
                name: "specs/customer-auth.md".into(),
                text,
            },
            std::slice::from_ref(&overlay),
        )
        .unwrap_or_else(|d| panic!("{d}"))
    };
    let out = run(seed.clone());
    // Without the overlay, the copied operationId is warned about.
    assert_eq!(out.diagnostics.warnings().count(), 0, "{}", out.diagnostics);
    let inspection = Inspection::new(&out.model, &out.diagnostics);
    let op = inspection.operation("getAccessToken");
    assert_eq!(
        op.map(|o| o.path.as_str()),
        Some("/global/thirdExt/randomKey")
    );
    assert!(inspection.operation("getSymbolBaseList").is_none());
    let account_list = inspection
        .ty("LoginResponseData")
        .and_then(|t| t.fields.iter().find(|f| f.wire == "accountList"))
        .map(|f| f.ty.clone());
    assert_eq!(
        account_list.as_deref(),
        Some("Option<Vec<serde_json::Value>>")
    );

    let mut sections: Vec<String> = seed.split("\n## ").map(str::to_owned).collect();
    let head = sections.remove(0);
    assert_eq!(sections.len(), 5);
    sections.reverse();
    let reordered = format!("{head}\n## {}", sections.join("\n## "));
    assert_ne!(reordered, seed);
    assert_eq!(run(reordered).files, out.files);
}

fn github(rel: &str) -> Option<Vec<SourceFile>> {
    let path = root().join("../../shared/corpus").join(rel);
    let path = if path.exists() {
        path
    } else {
        root().join("../shared/corpus").join(rel)
    };
    source::load(&[path]).ok()
}

/// One overlay, two releases of GitHub's description (21.0.0 and 23.0.2):
/// both clients have the renamed method and the nullable field. Generation
/// only (about a minute in a debug build): `cargo xtask test-clients`.
#[test]
#[ignore = "generates GitHub's client twice; run by `cargo xtask test-clients`"]
fn one_overlay_two_github_releases() {
    let overlay = file("tests/fixtures/overlays/github.yaml");
    let config = {
        let mut c = Config::default();
        c.package.name = Some("github-client".into());
        c
    };
    for rel in [
        "evolution/api.github.com-21.0.0.json",
        "big/api.github.com.json",
    ] {
        let Some(sources) = github(rel) else {
            panic!("{rel}: not found (../shared/corpus)");
        };
        // The spec itself has the field required and not nullable.
        let raw: serde_json::Value =
            serde_json::from_str(&sources[0].text).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let field = "/components/schemas/full-repository/properties/default_branch";
        assert!(raw.pointer(field).is_some(), "{rel}");
        assert_eq!(raw.pointer(&format!("{field}/nullable")), None, "{rel}");
        let out = generate_with(
            &sources,
            std::slice::from_ref(&overlay),
            &config,
            &options(),
        )
        .unwrap_or_else(|d| panic!("{rel}:\n{d}"));
        let inspection = Inspection::new(&out.model, &out.diagnostics);
        let op = inspection.operation("repos/get-repo-content");
        assert_eq!(
            op.map(|o| o.path.as_str()),
            Some("/repos/{owner}/{repo}/contents/{path}"),
            "{rel}"
        );
        assert!(inspection.operation("repos/get-content").is_none(), "{rel}");
        assert!(inspection.operation("repos/get").is_some(), "{rel}");
        let default_branch = inspection
            .ty("FullRepository")
            .and_then(|t| t.fields.iter().find(|f| f.wire == "default_branch"))
            .map(|f| f.ty.clone());
        assert_eq!(default_branch.as_deref(), Some("Option<String>"), "{rel}");
        let no_match: Vec<String> = out
            .diagnostics
            .warnings()
            .filter(|w| w.message.contains("matches nothing"))
            .map(ToString::to_string)
            .collect();
        assert!(no_match.is_empty(), "{rel}: {no_match:?}");
    }
}
