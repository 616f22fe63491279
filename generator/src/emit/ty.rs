//! Rust type expressions for [`Ty`].

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::Ty;

/// Where a type is written: inside the `types` module, or elsewhere.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Types,
    Outside,
}

pub fn tokens(ty: &Ty, scope: Scope) -> TokenStream {
    match ty {
        Ty::Bool => quote!(bool),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::F32 => quote!(f32),
        Ty::F64 => quote!(f64),
        Ty::String => quote!(String),
        Ty::Json(_) => quote!(serde_json::Value),
        Ty::Bytes => quote!(Vec<u8>),
        Ty::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        Ty::Date => quote!(chrono::NaiveDate),
        Ty::Uuid => quote!(uuid::Uuid),
        Ty::Base64 => quote!(crate::types::Base64),
        Ty::Named(n) => {
            let ident = format_ident!("{}", n);
            match scope {
                Scope::Types => quote!(#ident),
                Scope::Outside => quote!(types::#ident),
            }
        }
        Ty::Vec(inner) => {
            let inner = tokens(inner, scope);
            quote!(Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = tokens(inner, scope);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        Ty::Option(inner) => {
            let inner = tokens(inner, scope);
            quote!(Option<#inner>)
        }
        Ty::Box(inner) => {
            let inner = tokens(inner, scope);
            quote!(Box<#inner>)
        }
    }
}

/// Wrapper depth from which clippy's `type_complexity` may fire (it scores
/// ten points per type per nesting level, and warns from 250).
const COMPLEX_DEPTH: usize = 5;

fn depth(ty: &Ty) -> usize {
    match ty {
        Ty::Vec(i) | Ty::Map(i) | Ty::Option(i) | Ty::Box(i) => 1 + depth(i),
        _ => 1,
    }
}

/// `#![allow(clippy::type_complexity)]` for a module that spells out any of
/// `types` nested that deep (schemas can nest arrays and maps arbitrarily;
/// naming each level would invent names the spec does not have), or
/// returns a stream of any of `items` whose type clippy finds complex.
pub fn complexity_allow<'t>(
    types: impl IntoIterator<Item = &'t Ty>,
    items: impl IntoIterator<Item = &'t Ty>,
) -> TokenStream {
    if types.into_iter().any(|t| depth(t) >= COMPLEX_DEPTH)
        || items
            .into_iter()
            .any(|t| score(t, STREAM_NEST) > STREAM_ITEM_LIMIT)
    {
        quote!(#![allow(clippy::type_complexity)])
    } else {
        TokenStream::new()
    }
}

/// How deep a builder's `stream()` return type holds its item:
/// `Pin<Box<dyn Stream<Item = Result<T, Error>> + Send + 'a>>`.
const STREAM_NEST: usize = 4;

/// What clippy's `type_complexity` (warning above 250) leaves for the item
/// of that type: `Pin`, `Box`, the trait object, `Result` and `Error`
/// score 160.
const STREAM_ITEM_LIMIT: usize = 90;

/// The score clippy's `type_complexity` gives `ty` as [`tokens`] writes
/// it, at nesting level `nest`: ten points per path type per level.
fn score(ty: &Ty, nest: usize) -> usize {
    let own = 10 * nest;
    match ty {
        // `Vec<u8>`, `chrono::DateTime<chrono::Utc>`.
        Ty::Bytes | Ty::DateTime => own + 10 * (nest + 1),
        Ty::Vec(i) | Ty::Option(i) | Ty::Box(i) => own + score(i, nest + 1),
        // `BTreeMap<String, T>`.
        Ty::Map(i) => own + 10 * (nest + 1) + score(i, nest + 1),
        _ => own,
    }
}
