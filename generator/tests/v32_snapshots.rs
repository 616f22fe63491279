//! OpenAPI 3.2 documents, one construct per fixture (`tests/fixtures/v32`),
//! through the whole pipeline: the snapshot shows the warnings (with the
//! user's file and line), what `inspect` and the fidelity measure say, the
//! parts of the normalised document the construct became, and the code
//! that shows it. `cargo xtask test-v31` compiles every fixture
//! (clippy-clean).

use std::path::PathBuf;

use generator::config::Split;
use generator::inspect::Inspection;
use generator::{Config, Options, source};

const FIXTURES: &str = "tests/fixtures/v32";

fn output(fixture: &str, split: Split) -> generator::Output {
    let mut config = Config::default();
    config.types.split = split;
    let path = PathBuf::from(FIXTURES).join(fixture);
    let sources = source::load(&[path]).unwrap_or_else(|e| panic!("{fixture}: {e}"));
    let options = Options {
        command: "cargo test".into(),
    };
    match generator::generate(&sources, &config, &options) {
        Ok(o) => o,
        Err(d) => panic!("{fixture} failed:\n{d}"),
    }
}

/// Warnings, `inspect`, fidelity, the normalised document at `pointers`
/// and the generated files `shown`.
fn generate(fixture: &str, pointers: &[&str], shown: &[&str]) -> String {
    generate_split(fixture, Split::Auto, pointers, shown)
}

/// [`generate`] with the crate split (or not) as `split` says.
fn generate_split(fixture: &str, split: Split, pointers: &[&str], shown: &[&str]) -> String {
    let output = output(fixture, split);
    let mut text = String::from("warnings:\n");
    for w in output.diagnostics.sorted() {
        text.push_str(&format!("  {w}\n"));
    }
    text.push_str("\n===== inspect =====\n");
    text.push_str(&Inspection::new(&output.model, &output.diagnostics).text());
    text.push_str(&format!(
        "\n===== fidelity =====\n{}\n",
        output.fidelity.summary()
    ));
    for d in output.fidelity.details() {
        text.push_str(&format!("  {d}\n"));
    }
    for p in pointers {
        let value = output.document().pointer(p).cloned().unwrap_or_default();
        let json = serde_json::to_string_pretty(&value).unwrap_or_default();
        text.push_str(&format!("\n===== normalised {p} =====\n{json}\n"));
    }
    for want in shown {
        let Some(file) = output.files.iter().find(|f| f.path == *want) else {
            panic!("{fixture}: no {want}");
        };
        text.push_str(&format!("\n===== {want} =====\n{}", file.contents));
    }
    text
}

#[test]
fn query_and_additional_operations_are_client_methods() {
    insta::assert_snapshot!(generate(
        "methods.yaml",
        &["/paths/~1items~1{id}", "/paths/~1search"],
        &["src/builder.rs", "public-api.toml"],
    ));
}

#[test]
fn item_schemas_are_the_schema_of_one_item() {
    insta::assert_snapshot!(generate(
        "streams.yaml",
        &[
            "/paths/~1logs/get/responses/200/content",
            "/paths/~1events/get/responses/200/content",
            "/paths/~1ticks/get/responses/200/content",
            "/paths/~1parts/get/responses/200/content",
        ],
        &[],
    ));
}

#[test]
fn querystring_parameters_are_one_argument() {
    insta::assert_snapshot!(generate(
        "querystring.yaml",
        &["/paths/~1search/get/parameters", "/components/parameters"],
        &["src/builder.rs"],
    ));
}

#[test]
fn nested_tags_group_by_their_top_level_ancestor() {
    // Groups show in small fixtures only when the crate is split.
    insta::assert_snapshot!(generate_split(
        "tags.yaml",
        Split::On,
        &[],
        &["Cargo.toml", "src/types/repos.rs"],
    ));
}

#[test]
fn self_relative_is_the_base_of_relative_references() {
    insta::assert_snapshot!(generate("self-relative", &["/components/schemas"], &[]));
}

#[test]
fn self_absolute_names_the_document_and_files_beside_it() {
    insta::assert_snapshot!(generate(
        "self-absolute",
        &[
            "/components/schemas",
            "/paths/~1things~1{id}/get/responses/200"
        ],
        &[],
    ));
}

#[test]
fn urls_outside_self_are_located_errors() {
    let path = PathBuf::from(FIXTURES).join("errors/self-other-url.yaml");
    let sources = source::load(&[path]).unwrap_or_else(|e| panic!("{e}"));
    let options = Options {
        command: "cargo test".into(),
    };
    let Err(diags) = generator::generate(&sources, &Config::default(), &options) else {
        panic!("a URL outside `$self`'s folder was followed");
    };
    insta::assert_snapshot!(diags.to_string());
}

#[test]
fn discriminators_pick_the_variant_by_the_property() {
    insta::assert_snapshot!(generate(
        "discriminator.yaml",
        &["/components/schemas/Pet/discriminator"],
        &["src/types.rs"],
    ));
}

#[test]
fn unknown_and_unsupported_keywords_are_located_warnings() {
    insta::assert_snapshot!(generate(
        "keywords.yaml",
        &["/components/securitySchemes"],
        &[],
    ));
}
