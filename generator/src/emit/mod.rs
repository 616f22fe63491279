//! Stage 5: token streams. Turns the [`Model`] into token streams, a file
//! at a time and each file in [`Pieces`]. Emitters only read the model:
//! every name and type is decided there.

mod builder;
mod client;
mod runtime;
mod signature;
mod ty;
mod types;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::lower::docs::inline;
use crate::model::{Example, ExampleValue, GroupId, Model};

/// A file of the generated crate, to be rendered.
///
/// Token streams cannot cross threads, so the formatter renders each file
/// on the thread that formats it. `Types`/`Builder` take a group: `None` is
/// the module's root file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Lib,
    Types(Option<GroupId>),
    Client,
    Builder(Option<GroupId>),
    Error,
    Runtime,
}

impl Part {
    /// Path relative to the crate root.
    pub fn path(self, model: &Model) -> String {
        let split = !model.groups.is_empty();
        let group = |g: GroupId| model.group(g).map_or("group", |g| g.name.rust.as_str());
        match self {
            Part::Lib => "src/lib.rs".into(),
            Part::Types(None) if split => "src/types/mod.rs".into(),
            Part::Types(None) => "src/types.rs".into(),
            Part::Types(Some(g)) => format!("src/types/{}.rs", group(g)),
            Part::Client => "src/client.rs".into(),
            Part::Builder(None) if split => "src/builder/mod.rs".into(),
            Part::Builder(None) => "src/builder.rs".into(),
            Part::Builder(Some(g)) => format!("src/builder/{}.rs", group(g)),
            Part::Error => "src/error.rs".into(),
            Part::Runtime => "src/runtime.rs".into(),
        }
    }
}

/// The files of the crate for this model. Without operations (a document of
/// schemas or webhooks only) the crate holds just the types.
pub fn parts(model: &Model) -> Vec<Part> {
    if model.operations.is_empty() {
        let mut parts = vec![Part::Lib, Part::Types(None)];
        if !model.runtime.helpers.is_empty() {
            parts.push(Part::Runtime);
        }
        return parts;
    }
    let mut parts = vec![
        Part::Lib,
        Part::Types(None),
        Part::Client,
        Part::Builder(None),
        Part::Error,
        Part::Runtime,
    ];
    for g in (0..model.groups.len()).map(GroupId) {
        if types::has_group_file(model, g) {
            parts.push(Part::Types(Some(g)));
        }
        if model.operations.iter().any(|o| o.group == Some(g)) {
            parts.push(Part::Builder(Some(g)));
        }
    }
    parts
}

/// A rough size of a part's output (items and their fields), to hand the
/// biggest files to the formatting threads first.
pub fn weight(part: &Part, model: &Model) -> usize {
    match *part {
        Part::Types(group) => model
            .types
            .iter()
            .filter(|d| types::in_file(model, d, group))
            .map(|d| match &d.kind {
                crate::model::TypeKind::Struct(s) => 4 + 2 * s.fields.len(),
                crate::model::TypeKind::StringEnum(vs) => 4 + 2 * vs.len(),
                _ => 6,
            })
            .sum(),
        Part::Builder(group) => model
            .operations
            .iter()
            .filter(|o| o.group == group)
            .map(|o| 60 + 10 * o.params.len())
            .sum(),
        Part::Lib | Part::Client | Part::Error | Part::Runtime => 0,
    }
}

/// A file's tokens in pieces that each parse on their own: the first holds
/// the inner attributes and what precedes the file's long run of items,
/// each further piece is whole items. They are made as the formatter takes
/// them, so the tokens and syntax tree of a big file are never in memory
/// at once (fresh memory is most of what a big file costs to format).
pub type Pieces<'m> = Box<dyn Iterator<Item = TokenStream> + 'm>;

/// The tokens of one file, in pieces.
pub fn render(part: Part, model: &Model) -> Pieces<'_> {
    let whole = |tokens| -> Pieces<'_> { Box::new(std::iter::once(tokens)) };
    match part {
        Part::Lib => whole(lib(model)),
        Part::Types(g) => types::emit(model, g),
        Part::Client => whole(client::emit(model)),
        Part::Builder(g) => builder::emit(model, g),
        Part::Error => whole(runtime::error(model)),
        Part::Runtime => whole(runtime::helpers(model)),
    }
}

/// The tokens of one file, whole.
#[cfg(test)]
pub fn render_whole(part: Part, model: &Model) -> TokenStream {
    render(part, model).collect()
}

/// `#[cfg(feature = …)]` for an item needed by `groups` (none: always).
pub(crate) fn cfg_any(model: &Model, groups: &[GroupId]) -> TokenStream {
    let names: Vec<&str> = groups
        .iter()
        .filter_map(|g| model.group(*g))
        .map(|g| g.name.rust.as_str())
        .collect();
    match names.as_slice() {
        [] => quote!(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any( #( feature = #many ),* ))]),
    }
}

/// `mod g; pub use self::g::*;` for each group file of a module.
pub(crate) fn group_modules(model: &Model, present: impl Fn(GroupId) -> bool) -> TokenStream {
    let mods = model
        .groups
        .iter()
        .enumerate()
        .filter(|(g, _)| present(GroupId(*g)))
        .map(|(_, g)| {
            let name = &g.name.rust;
            let ident = quote::format_ident!("{}", name);
            quote! {
                #[cfg(feature = #name)]
                mod #ident;
                #[cfg(feature = #name)]
                pub use self::#ident::*;
            }
        });
    quote!( #( #mods )* )
}

/// `#[doc = …]` attributes, one per line (outer).
pub(crate) fn doc_attrs(doc: Option<&str>) -> TokenStream {
    let Some(doc) = doc else {
        return TokenStream::new();
    };
    let lines = doc.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}

fn inner_doc_attrs(doc: &str) -> TokenStream {
    let lines = doc.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #![doc = #lines] )* }
}

/// The crate documentation's example: a doc test calling one operation with
/// its required arguments, then with optional parameters set.
fn example_doc(model: &Model, e: &Example) -> TokenStream {
    let krate = format_ident!("{}", e.krate);
    let method = format_ident!("{}", e.method);
    let value = |v: &ExampleValue| match v {
        ExampleValue::Str(s) => quote!(#s),
        ExampleValue::Int(i) => {
            let i = proc_macro2::Literal::i64_unsuffixed(*i);
            quote!(#i)
        }
        ExampleValue::Bool(b) => quote!(#b),
        ExampleValue::Item { ty, item } => {
            let (ty, item) = (format_ident!("{}", ty), format_ident!("{}", item));
            quote!(#krate::types::#ty::#item)
        }
    };
    let args: Vec<TokenStream> = e.args.iter().map(value).collect();
    let setters = e.setters.iter().map(|(name, v)| {
        let name = format_ident!("{}", name);
        let v = value(v);
        quote!(.#name(#v))
    });
    let base = match &e.base_url {
        Some(url) => quote!(#url),
        None => quote!(#krate::Client::DEFAULT_BASE_URL),
    };
    let second = (!e.setters.is_empty())
        .then(|| quote!(client.#method(#( #args ),*) #( #setters )* .await?;));
    let code = quote! {
        async fn example() -> Result<(), #krate::Error> {
            let client = #krate::Client::new(#base)?;
            client.#method(#( #args ),*).await?;
            #second
            Ok(())
        }
    };
    let Some(code) = crate::format::snippet(code) else {
        return TokenStream::new();
    };
    let feature = e
        .group
        .and_then(|g| model.group(g))
        .map(|g| g.name.rust.as_str());
    let intro = match feature {
        Some(f) => format!(
            "A call with only its required arguments, then with optional parameters set (with the `{f}` feature):"
        ),
        None => {
            "A call with only its required arguments, then with optional parameters set:".to_owned()
        }
    };
    let mut lines: Vec<String> = vec![
        String::new(),
        "# Example".into(),
        String::new(),
        intro,
        String::new(),
    ];
    lines.push("```no_run".into());
    lines.extend(code.lines().map(str::to_owned));
    lines.push("```".into());
    let lines = lines.iter().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    match feature {
        Some(f) => quote!( #( #![cfg_attr(feature = #f, doc = #lines)] )* ),
        None => quote!( #( #![doc = #lines] )* ),
    }
}

fn lib(model: &Model) -> TokenStream {
    let types_only = model.operations.is_empty();
    let what = if types_only { "Types of" } else { "Client for" };
    let mut doc = format!(
        "{what} {} {}.",
        inline(&model.info.title),
        inline(&model.info.version)
    );
    if let Some(d) = &model.info.description {
        doc.push_str("\n\n");
        doc.push_str(d);
    }
    let docs = inner_doc_attrs(&doc);
    let example = model.example.as_ref().map(|e| example_doc(model, e));
    let docs = quote!(#docs #example);
    let error_body = (!model.error_bodies.is_empty()).then(|| {
        quote!(
            pub use error::ErrorBody;
        )
    });
    let pending = (!model.operations.is_empty()).then(|| {
        quote!(
            pub use runtime::Pending;
        )
    });
    // The types of streamed responses, with their helpers' gates.
    let event = model
        .runtime
        .helpers
        .get(&crate::model::Helper::Sse)
        .map(|groups| {
            let cfg = cfg_any(model, groups);
            quote!(
                #cfg
                pub use runtime::Event;
                #cfg
                pub use runtime::EventStream;
            )
        });
    let items = model
        .runtime
        .helpers
        .get(&crate::model::Helper::JsonLines)
        .map(|groups| {
            let cfg = cfg_any(model, groups);
            quote!(
                #cfg
                pub use runtime::ItemStream;
            )
        });
    if types_only {
        let runtime = (!model.runtime.helpers.is_empty()).then(|| {
            quote! {
                #[rustfmt::skip]
                mod runtime;
            }
        });
        return quote! {
            #docs

            #runtime
            pub mod types;
        };
    }
    quote! {
        #docs

        // Generated modules are formatted by the generator (prettyplease);
        // `cargo fmt` leaves them as they are so the output stays reproducible.
        #[rustfmt::skip]
        pub mod builder;
        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        mod error;
        #[rustfmt::skip]
        mod runtime;
        #[rustfmt::skip]
        pub mod types;

        pub use client::Client;
        pub use error::Error;
        #error_body
        #event
        #items
        #pending
    }
}

#[cfg(test)]
mod tests;
