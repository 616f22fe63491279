//! Stage 5: token streams. Turns the [`Model`] into one token stream per
//! file. Emitters only read the model: every name and type is decided there.

mod builder;
mod client;
mod runtime;
mod ty;
mod types;

use proc_macro2::TokenStream;
use quote::quote;

use crate::lower::docs::inline;
use crate::model::Model;

/// A file of the generated crate, to be rendered.
///
/// Token streams cannot cross threads, so the formatter renders each file
/// on the thread that formats it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Lib,
    Types,
    Client,
    Builder,
    Error,
    Runtime,
}

impl Part {
    /// Path relative to the crate root.
    pub fn path(self) -> &'static str {
        match self {
            Part::Lib => "src/lib.rs",
            Part::Types => "src/types.rs",
            Part::Client => "src/client.rs",
            Part::Builder => "src/builder.rs",
            Part::Error => "src/error.rs",
            Part::Runtime => "src/runtime.rs",
        }
    }
}

/// The files of the crate for this model.
pub fn parts(_model: &Model) -> Vec<Part> {
    vec![Part::Lib, Part::Types, Part::Client, Part::Builder, Part::Error, Part::Runtime]
}

/// The tokens of one file.
pub fn render(part: Part, model: &Model) -> TokenStream {
    match part {
        Part::Lib => lib(model),
        Part::Types => types::emit(model),
        Part::Client => client::emit(model),
        Part::Builder => builder::emit(model),
        Part::Error => runtime::error(),
        Part::Runtime => runtime::helpers(model),
    }
}

/// `#[doc = …]` attributes, one per line (outer).
pub(crate) fn doc_attrs(doc: Option<&str>) -> TokenStream {
    let Some(doc) = doc else {
        return TokenStream::new();
    };
    let lines = doc.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    quote! { #( #[doc = #lines] )* }
}

fn inner_doc_attrs(doc: &str) -> TokenStream {
    let lines = doc.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    quote! { #( #![doc = #lines] )* }
}

fn lib(model: &Model) -> TokenStream {
    let mut doc = format!("Client for {} {}.", inline(&model.info.title), inline(&model.info.version));
    if let Some(d) = &model.info.description {
        doc.push_str("\n\n");
        doc.push_str(d);
    }
    let docs = inner_doc_attrs(&doc);
    quote! {
        #docs

        pub mod builder;
        mod client;
        mod error;
        mod runtime;
        pub mod types;

        pub use client::Client;
        pub use error::Error;
    }
}
