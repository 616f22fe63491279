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
        Ty::Json => quote!(serde_json::Value),
        Ty::Bytes => quote!(Vec<u8>),
        Ty::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        Ty::Date => quote!(chrono::NaiveDate),
        Ty::Uuid => quote!(uuid::Uuid),
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
