//! An operation's signature, written once for the client and builder
//! emitters: the client method (`client.op(args…)`), and the arguments it
//! passes on to the builder's `new`. Which arguments there are, and in
//! which order, is the model's (`Operation::arguments`).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::doc_attrs;
use super::ty::{Scope, tokens};
use crate::model::{Argument, Operation, Ty};

/// One argument of the client method.
pub struct Arg {
    pub ident: Ident,
    /// The method's parameter type (`impl Into<String>` for strings).
    pub ty: TokenStream,
    /// The value passed to the builder's `new`.
    pub value: TokenStream,
    /// The type the builder stores (and its `new` takes).
    pub stored: TokenStream,
}

/// The client method's arguments, in order.
pub fn arguments(op: &Operation) -> Vec<Arg> {
    op.arguments()
        .into_iter()
        .filter_map(|a| match a {
            Argument::Param(i) => {
                let p = op.param(i)?;
                let ident = format_ident!("{}", p.name.rust);
                let (ty, conv) = arg(&p.ty);
                Some(Arg {
                    value: conv(&ident),
                    ident,
                    ty,
                    stored: tokens(&p.ty, Scope::Outside),
                })
            }
            Argument::Body => {
                let body = op.body.as_ref()?;
                let ty = tokens(&body.ty, Scope::Outside);
                Some(Arg {
                    ident: format_ident!("body"),
                    stored: ty.clone(),
                    ty,
                    value: quote!(body),
                })
            }
        })
        .collect()
}

type Conv = fn(&Ident) -> TokenStream;

/// The argument (or setter) type for a value, and how to store it:
/// strings are taken as `impl Into<String>`.
pub fn arg(ty: &Ty) -> (TokenStream, Conv) {
    match ty {
        Ty::String => (quote!(impl Into<String>), |i| quote!(#i.into())),
        other => (tokens(other, Scope::Outside), |i| quote!(#i)),
    }
}

/// `#[allow(clippy::too_many_arguments)]` for a function of these arguments.
pub fn too_many(args: &[Arg]) -> Option<TokenStream> {
    (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]))
}

/// The client method: takes the arguments, returns the request builder.
pub fn method(op: &Operation) -> TokenStream {
    let name = format_ident!("{}", op.name.rust);
    let builder = format_ident!("{}", op.builder);
    let docs = doc_attrs(Some(&op.doc));
    let args = arguments(op);
    let params = args.iter().map(|a| {
        let (i, t) = (&a.ident, &a.ty);
        quote!(#i: #t)
    });
    let values = args.iter().map(|a| &a.value);
    let allow = too_many(&args);
    quote! {
        #docs
        #allow
        pub fn #name(&self, #( #params ),*) -> builder::#builder<'_> {
            builder::#builder::new(self, #( #values ),*)
        }
    }
}
