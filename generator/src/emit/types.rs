//! `types.rs`: one item per schema.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::doc_attrs;
use super::ty::{Scope, complexity_allow, tokens};
use crate::model::{Field, Model, Struct, Ty, TypeDef, TypeKind, UnionVariant, Variant};

pub fn emit(model: &Model) -> TokenStream {
    let items = model.types.iter().map(item);
    let used = model.types.iter().flat_map(|def| -> Vec<&Ty> {
        match &def.kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).chain(s.additional.as_ref()).collect(),
            TypeKind::Untagged(vs) | TypeKind::Tagged { variants: vs, .. } => vs.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias(t) => vec![t],
            TypeKind::StringEnum(_) => Vec::new(),
        }
    });
    let allow = complexity_allow(used);
    quote! {
        //! Types of the API's schemas: request bodies, responses and everything they hold.
        #allow

        #( #items )*
    }
}

fn item(def: &TypeDef) -> TokenStream {
    let doc = doc_attrs(def.doc.as_deref());
    let name = format_ident!("{}", def.name.rust);
    match &def.kind {
        TypeKind::Struct(s) => strukt(def, s, doc),
        TypeKind::StringEnum(variants) => string_enum(&name, variants, doc),
        TypeKind::Untagged(variants) => union(&name, variants, None, doc),
        TypeKind::Tagged { tag, variants } => union(&name, variants, Some(tag), doc),
        TypeKind::Alias(ty) => {
            let ty = tokens(ty, Scope::Types);
            quote! {
                #doc
                pub type #name = #ty;
            }
        }
    }
}

fn strukt(def: &TypeDef, s: &Struct, doc: TokenStream) -> TokenStream {
    let name = format_ident!("{}", def.name.rust);
    let fields = s.fields.iter().map(field);
    let additional = s.additional.as_ref().map(|ty| {
        let ty = tokens(ty, Scope::Types);
        quote! {
            /// Properties not listed above.
            #[serde(flatten)]
            pub additional_properties: std::collections::BTreeMap<String, #ty>,
        }
    });
    let has_secret = s.fields.iter().any(|f| f.secret);
    let debug = if has_secret { quote!() } else { quote!(Debug,) };
    let default = if def.default { quote!(Default,) } else { quote!() };
    let debug_impl = has_secret.then(|| redacted_debug(&name, s));
    quote! {
        #doc
        #[derive(Clone, #debug #default PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct #name {
            #( #fields )*
            #additional
        }
        #debug_impl
    }
}

fn field(f: &Field) -> TokenStream {
    let doc = doc_attrs(f.doc.as_deref());
    let name = format_ident!("{}", f.name.rust);
    let ty = tokens(&f.ty, Scope::Types);
    let rename = (f.name.wire != f.name.rust).then(|| {
        let wire = &f.name.wire;
        quote!(#[serde(rename = #wire)])
    });
    let skip = f
        .skip_if_none
        .then(|| quote!(#[serde(default, skip_serializing_if = "Option::is_none")]));
    quote! {
        #doc
        #rename
        #skip
        pub #name: #ty,
    }
}

/// `Debug` that shows secret fields as `<redacted>`.
fn redacted_debug(name: &proc_macro2::Ident, s: &Struct) -> TokenStream {
    let wire = name.to_string();
    let fields = s.fields.iter().map(|f| {
        let ident = format_ident!("{}", f.name.rust);
        let label = &f.name.rust;
        if f.secret && f.ty.is_option() {
            quote!(.field(#label, &self.#ident.as_ref().map(|_| "<redacted>")))
        } else if f.secret {
            quote!(.field(#label, &"<redacted>"))
        } else {
            quote!(.field(#label, &self.#ident))
        }
    });
    let additional = s
        .additional
        .as_ref()
        .map(|_| quote!(.field("additional_properties", &self.additional_properties)));
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#wire)
                    #( #fields )*
                    #additional
                    .finish()
            }
        }
    }
}

fn string_enum(name: &proc_macro2::Ident, variants: &[Variant], doc: TokenStream) -> TokenStream {
    let vs = variants.iter().map(|v| {
        let doc = doc_attrs(v.doc.as_deref());
        let ident = format_ident!("{}", v.name.rust);
        let wire = &v.name.wire;
        quote! {
            #doc
            #[serde(rename = #wire)]
            #ident,
        }
    });
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum #name {
            #( #vs )*
            /// A value not known when this client was generated.
            #[serde(untagged)]
            Other(String),
        }
    }
}

fn union(name: &proc_macro2::Ident, variants: &[UnionVariant], tag: Option<&String>, doc: TokenStream) -> TokenStream {
    let vs = variants.iter().map(|v| {
        let ident = format_ident!("{}", v.name.rust);
        let ty = tokens(&v.ty, Scope::Types);
        match tag {
            Some(_) => {
                let wire = &v.name.wire;
                quote!(#[serde(rename = #wire)] #ident(#ty),)
            }
            None => quote!(#ident(#ty),),
        }
    });
    let repr = match tag {
        Some(t) => quote!(#[serde(tag = #t)]),
        None => quote!(#[serde(untagged)]),
    };
    // Variants hold what the API sends; boxing the large ones would change
    // the API for a lint.
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        #[allow(clippy::large_enum_variant)]
        #repr
        pub enum #name {
            #( #vs )*
        }
    }
}
