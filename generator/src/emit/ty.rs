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
/// naming each level would invent names the spec does not have).
pub fn complexity_allow<'t>(types: impl IntoIterator<Item = &'t Ty>) -> TokenStream {
    if types.into_iter().any(|t| depth(t) >= COMPLEX_DEPTH) {
        quote!(#![allow(clippy::type_complexity)])
    } else {
        TokenStream::new()
    }
}
