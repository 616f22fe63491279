//! Turns OpenAPI 3.0, 3.1 and 3.2 descriptions into a typed Rust client crate.
//!
//! The pipeline has one data type per stage (see `ARCHITECTURE.md`):
//! [`source::SourceFile`] → [`parse::Document`] (normalised to OpenAPI 3.0
//! form by [`normalize`]) → [`merge::Api`] →
//! [`model::Model`] → token streams → [`format::GeneratedFile`]. Only
//! [`source`] and [`write`] touch the file system.

pub mod builder;
pub mod bundle;
pub mod changes;
pub mod config;
pub mod diag;
pub mod emit;
pub mod fidelity;
pub mod format;
mod helpers;
pub mod inspect;
mod locate;
mod lower;
mod manifest;
mod markdown;
mod media;
pub mod merge;
pub mod model;
pub mod naming;
pub mod normalize;
pub mod overlay;
pub mod parse;
pub mod public_api;
pub mod resolve;
pub mod source;
pub mod write;

use std::time::{Duration, Instant};

pub use builder::Builder;
pub use config::Config;
pub use diag::{Diagnostic, Diagnostics, Location};
pub use format::GeneratedFile;
pub use source::SourceFile;

/// How the output is produced.
#[derive(Clone, Debug)]
pub struct Options {
    /// The command that regenerates the output, named in every file header.
    pub command: String,
}

impl Options {
    /// Where files named by `$ref`s are read from: the disk.
    fn files(&self) -> &'static dyn source::Files {
        &source::Disk
    }
}

/// Time spent in each stage.
#[derive(Clone, Debug, Default)]
pub struct Timings {
    /// Reading snippets and following their `$ref`s.
    pub parse: Duration,
    /// Rewriting documents into the 3.0 form (and repairs every version gets).
    pub normalize: Duration,
    pub merge: Duration,
    pub lower: Duration,
    /// Rendering token streams and formatting them (done together, in parallel).
    pub emit_format: Duration,
}

/// A generated crate, not yet written.
#[derive(Debug)]
pub struct Output {
    pub files: Vec<GeneratedFile>,
    /// Warnings (errors stop generation).
    pub diagnostics: Diagnostics,
    pub operations: usize,
    pub types: usize,
    /// How much of the spec the client covers.
    pub fidelity: fidelity::Fidelity,
    pub timings: Timings,
    /// The model the files were emitted from (see [`inspect`]).
    pub model: model::Model,
    /// Files that `$ref`s named and that were read for them (besides the
    /// sources given), as the references spelled their paths.
    pub referenced: Vec<String>,
    /// The crate's public API (also one of `files`, `public-api.toml`).
    pub public_api: public_api::PublicApi,
    /// The merged spec, to locate what changed.
    spec: merge::Api,
}

impl Output {
    /// The merged spec the crate was generated from, as JSON.
    pub fn document(&self) -> &serde_json::Value {
        &self.spec.raw
    }

    /// What changed in the public API since `previous`, the text of the
    /// crate's `public-api.toml` as it was on disk (`None`: there was none).
    pub fn changes(&self, previous: Option<&str>) -> changes::Report {
        let Some(text) = previous else {
            return changes::Report::without_baseline(format!("no {}", public_api::FILE));
        };
        match public_api::PublicApi::parse(text) {
            Ok(old) => changes::Report::compare(&old, &self.public_api, Some(&self.spec)),
            Err(e) => changes::Report::without_baseline(format!(
                "{} does not read: {e}",
                public_api::FILE
            )),
        }
    }
}

/// Parses and merges the sources into one OpenAPI document (what mock
/// servers and other tools can read), with the merge's warnings.
pub fn merged_document(
    sources: &[SourceFile],
) -> Result<(serde_json::Value, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut docs = documents(sources, &source::Disk, &mut diags);
    normalize(&mut docs, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    match merge::merge(docs, &mut diags) {
        Some(api) if !diags.has_errors() => Ok((api.raw, diags)),
        _ => Err(diags),
    }
}

/// Sources → documents: parsed, their `$ref`s resolved (pulling in the files
/// they name). Whole files without an `openapi` key are fragments when some
/// document refers to them; otherwise a warning (an error when there is no
/// document at all).
fn documents(
    sources: &[SourceFile],
    files: &dyn source::Files,
    diags: &mut Diagnostics,
) -> Vec<parse::Document> {
    let mut docs = Vec::new();
    let mut others = Vec::new();
    for snippet in sources.iter().flat_map(source::snippets) {
        match parse::classify(snippet, diags) {
            parse::Parsed::Document(d) => docs.push(d),
            parse::Parsed::NotADocument(location) => others.push(location),
            parse::Parsed::Nothing => {}
        }
    }
    let given = sources
        .iter()
        .filter(|s| others.iter().any(|o| o.file == s.name))
        .map(|s| (s.name.as_str(), s.text.as_str()));
    let mut library = resolve::Library::new(files, given);
    let mut unresolved = Vec::new();
    for doc in &mut docs {
        unresolved.extend(resolve::resolve(doc, &mut library, diags));
    }
    resolve::check(unresolved, &docs, diags);
    for location in others {
        if docs.is_empty() {
            parse::not_a_document(location, diags);
        } else if !library.is_used(&location.file) {
            diags.warning(
                "not an OpenAPI document (no top-level `openapi` key) and no document refers to it; ignored",
                Some(location),
            );
        }
    }
    docs
}

/// Documents → their 3.0 form (`normalize`).
fn normalize(docs: &mut [parse::Document], diags: &mut Diagnostics) {
    for doc in docs {
        normalize::run(doc, diags);
    }
}

/// Stack for the pipeline's thread. Deserialising and lowering recurse once
/// per nesting level of a document (at most 128, the parsers' limit), and
/// unoptimised builds need far more than the 2 MiB of a test thread or a
/// spawned thread for that. Untouched stack costs no memory.
const PIPELINE_STACK: usize = 256 << 20;

/// Runs the pipeline from sources to formatted files, on a thread of its
/// own with a stack large enough for the deepest document the parsers accept.
pub fn generate(
    sources: &[SourceFile],
    config: &Config,
    options: &Options,
) -> Result<Output, Diagnostics> {
    generate_with(sources, &[], config, options)
}

/// [`generate`] with overlays (OpenAPI Overlay files, see [`overlay`]),
/// applied in order to the merged document before it is lowered.
pub fn generate_with(
    sources: &[SourceFile],
    overlays: &[SourceFile],
    config: &Config,
    options: &Options,
) -> Result<Output, Diagnostics> {
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("generator".into())
            .stack_size(PIPELINE_STACK)
            .spawn_scoped(scope, || run(sources, overlays, config, options));
        match spawned {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread to be had: run here and hope the stack suffices.
            Err(_) => run(sources, overlays, config, options),
        }
    })
}

fn run(
    sources: &[SourceFile],
    overlays: &[SourceFile],
    config: &Config,
    options: &Options,
) -> Result<Output, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut timings = Timings::default();

    let overlays: Vec<overlay::Overlay> = overlays
        .iter()
        .filter_map(|f| overlay::Overlay::parse(f, &mut diags))
        .collect();
    let t = Instant::now();
    let reads = source::Recorder::new(options.files());
    let mut docs = documents(sources, &reads, &mut diags);
    timings.parse = t.elapsed();
    if diags.has_errors() {
        return Err(diags);
    }

    let t = Instant::now();
    normalize(&mut docs, &mut diags);
    timings.normalize = t.elapsed();
    if diags.has_errors() {
        return Err(diags);
    }

    let t = Instant::now();
    let api = merge::merge_with(docs, &overlays, &mut diags);
    timings.merge = t.elapsed();
    let Some(api) = api else {
        return Err(diags);
    };

    let t = Instant::now();
    let model = lower::lower(&api, config, &mut diags);
    timings.lower = t.elapsed();
    let Some(model) = model else {
        return Err(diags);
    };
    let fidelity = fidelity::measure(&api, &model);

    // Rendering happens on the formatting threads (token streams are not
    // `Send`), so `emit` and `format` are timed together.
    let t = Instant::now();
    let mut files = format::format(&model, emit::parts(&model), &options.command, &mut diags);
    files.push(manifest::manifest(&model.crate_info, &options.command));
    let public_api = public_api::PublicApi::of(&model);
    files.push(public_api.file(&options.command));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    timings.emit_format = t.elapsed();
    if diags.has_errors() {
        return Err(diags);
    }

    Ok(Output {
        files,
        diagnostics: diags,
        operations: model.operations.len(),
        types: model.types.len(),
        fidelity,
        timings,
        referenced: reads.paths(),
        model,
        public_api,
        spec: api,
    })
}
