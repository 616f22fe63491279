//! `client.rs`: the `Client`, its settings and one method per operation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::doc_attrs;
use super::ty::complexity_allow;
use crate::helpers;
use crate::lower::docs::inline;
use crate::model::{
    ClientParam, Credential, CredentialKind, Helper, Model, Operation, ParamDefault, ParamLocation,
};
use crate::naming;

pub fn emit(model: &Model) -> TokenStream {
    let title = format!(
        " Client for {} {}.",
        inline(&model.info.title),
        inline(&model.info.version)
    );
    let default_url = model.info.default_base_url.as_ref().map(|url| {
        let doc = format!(" The API's first server: `{}`.", inline(url));
        quote! {
            #[doc = #doc]
            pub const DEFAULT_BASE_URL: &'static str = #url;
        }
    });
    let params = params_struct(model);
    let http_ty = if model.middleware {
        quote!(reqwest_middleware::ClientWithMiddleware)
    } else {
        quote!(reqwest::Client)
    };

    let accessors = model.client_params.iter().map(accessors);
    let credential_accessors = model
        .credentials
        .iter()
        .map(|c| credential_accessors(c, super::cfg_any(model, &c.groups)));
    let root_ops: Vec<&Operation> = model
        .operations
        .iter()
        .filter(|o| o.group.is_none())
        .collect();
    let methods = root_ops.iter().map(|op| super::signature::method(op));
    let has_params = !model.client_params.is_empty() || !model.credentials.is_empty();
    let params_field =
        has_params.then(|| quote!(params: std::sync::Arc<std::sync::RwLock<Params>>,));
    let params_init = has_params
        .then(|| quote!(params: std::sync::Arc::new(std::sync::RwLock::new(Params::new())),));
    // With middleware, a plain `reqwest::Client` is still accepted (wrapped
    // in an empty stack); `with_middleware` takes the full stack.
    let construct = quote! {
        let base_url = Self::parse_base_url(base_url)?;
        Ok(Self { base_url, http, #params_init })
    };
    let (with_http_body, middleware_ctor) = if model.middleware {
        (
            quote!(Self::with_middleware(
                base_url,
                reqwest_middleware::ClientBuilder::new(http).build()
            )),
            Some(quote! {
                /// A client for the API at `base_url` over your own middleware stack
                /// (retries, tracing, auth refresh) around a `reqwest::Client`.
                pub fn with_middleware(base_url: &str, http: reqwest_middleware::ClientWithMiddleware) -> Result<Self, Error> {
                    #construct
                }
            }),
        )
    } else {
        (construct, None)
    };
    let snapshot = code(model, Helper::Params);
    let params_snapshot = has_params.then(|| {
        quote! {
            #snapshot

            fn update(&self, f: impl FnOnce(&mut Params)) {
                match self.params.write() {
                    Ok(mut p) => f(&mut p),
                    Err(poisoned) => f(&mut poisoned.into_inner()),
                }
            }
        }
    });
    let builder_import = (!root_ops.is_empty()).then(|| {
        quote!(
            use crate::builder;
        )
    });
    let types_import = root_ops
        .iter()
        .any(|op| {
            op.params
                .iter()
                .any(|p| p.is_positional() && p.ty.has_named())
                || op
                    .body
                    .as_ref()
                    .is_some_and(|b| b.required && b.ty.has_named())
        })
        .then(|| {
            quote!(
                use crate::types;
            )
        });
    let allow = complexity_allow(model.operations.iter().flat_map(Operation::tys), []);
    quote! {
        #allow
        #builder_import
        #types_import
        use crate::Error;

        #[doc = #title]
        ///
        /// Cloning is cheap and clones share settings (such as a session token).
        #[derive(Clone, Debug)]
        pub struct Client {
            base_url: reqwest::Url,
            http: #http_ty,
            #params_field
        }

        #params

        impl Client {
            #default_url

            /// A client for the API at `base_url`, with a default HTTP client.
            pub fn new(base_url: &str) -> Result<Self, Error> {
                Self::with_http_client(base_url, reqwest::Client::new())
            }

            /// A client for the API at `base_url` over your own `reqwest::Client`
            /// (timeouts, proxies, default headers).
            pub fn with_http_client(base_url: &str, http: reqwest::Client) -> Result<Self, Error> {
                #with_http_body
            }

            #middleware_ctor

            fn parse_base_url(base_url: &str) -> Result<reqwest::Url, Error> {
                let url = reqwest::Url::parse(base_url).map_err(|e| Error::InvalidBaseUrl {
                    url: base_url.to_owned(),
                    message: e.to_string(),
                })?;
                if url.cannot_be_a_base() {
                    return Err(Error::InvalidBaseUrl {
                        url: url.to_string(),
                        message: "not a base URL".to_owned(),
                    });
                }
                Ok(url)
            }

            /// The base URL requests are sent to.
            pub fn base_url(&self) -> &reqwest::Url {
                &self.base_url
            }

            /// The underlying HTTP client.
            pub fn http_client(&self) -> &#http_ty {
                &self.http
            }

            #params_snapshot

            #( #accessors )*

            #( #credential_accessors )*

            #( #methods )*
        }
    }
}

/// The code of a planned helper, gated by the features that need it.
fn code(model: &Model, helper: Helper) -> Option<TokenStream> {
    let groups = model.runtime.helpers.get(&helper)?;
    Some(helpers::definition(helper).code(model, &super::cfg_any(model, groups)))
}

fn params_struct(model: &Model) -> TokenStream {
    let (params, credentials) = (&model.client_params, &model.credentials);
    // A credential exists only where an operation that sends it is compiled.
    let cfg = |c: &Credential| super::cfg_any(model, &c.groups);
    if params.is_empty() && credentials.is_empty() {
        return quote!();
    }
    let fields = params.iter().map(|p| {
        let ident = format_ident!("{}", p.name.rust);
        quote!(pub(crate) #ident: Option<String>,)
    });
    let credential_fields = credentials.iter().map(|c| {
        let ident = format_ident!("{}", c.name.rust);
        let cfg = cfg(c);
        match c.kind {
            CredentialKind::Basic => quote!(#cfg #ident: Option<(String, String)>,),
            _ => quote!(#cfg #ident: Option<String>,),
        }
    });
    let inits = params.iter().map(|p| {
        let ident = format_ident!("{}", p.name.rust);
        match &p.default {
            Some(ParamDefault::Literal(v)) => quote!(#ident: Some(#v.to_owned()),),
            _ => quote!(#ident: None,),
        }
    });
    let credential_inits = credentials.iter().map(|c| {
        let ident = format_ident!("{}", c.name.rust);
        let cfg = cfg(c);
        quote!(#cfg #ident: None,)
    });
    let debug_fields = params.iter().map(|p| {
        let ident = format_ident!("{}", p.name.rust);
        let label = &p.name.rust;
        if p.secret {
            quote!(debug.field(#label, &self.#ident.as_ref().map(|_| "<redacted>"));)
        } else {
            quote!(debug.field(#label, &self.#ident);)
        }
    });
    let credential_debug = credentials.iter().map(|c| {
        let ident = format_ident!("{}", c.name.rust);
        let label = &c.name.rust;
        let cfg = cfg(c);
        quote! {
            #cfg
            debug.field(#label, &self.#ident.as_ref().map(|_| "<redacted>"));
        }
    });
    let authorize = code(model, Helper::Authorize);
    quote! {
        /// Parameters the client sends with every operation that takes them.
        #[derive(Clone)]
        pub(crate) struct Params {
            #( #fields )*
            #( #credential_fields )*
        }

        impl Params {
            fn new() -> Self {
                Self { #( #inits )* #( #credential_inits )* }
            }
        }

        /// Secrets (tokens, credentials) are never shown.
        impl std::fmt::Debug for Params {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let mut debug = f.debug_struct("Params");
                #( #debug_fields )*
                #( #credential_debug )*
                debug.finish()
            }
        }

        #authorize
    }
}

fn credential_accessors(c: &Credential, cfg: TokenStream) -> TokenStream {
    let ident = format_ident!("{}", c.name.rust);
    let [with, set] = naming::client_accessors(&c.name.rust).map(|m| format_ident!("{m}"));
    let what = match &c.kind {
        CredentialKind::Bearer => "A bearer token, sent as `Authorization: Bearer …`".to_owned(),
        CredentialKind::Basic => {
            "A user name and password, sent as `Authorization: Basic …`".to_owned()
        }
        CredentialKind::ApiKey { location, name } => {
            let place = match location {
                ParamLocation::Query => "query parameter",
                ParamLocation::Cookie => "cookie",
                ParamLocation::Header | ParamLocation::Path => "header",
            };
            format!("An API key, sent as the `{}` {place}", inline(name))
        }
    };
    let mut doc = format!(
        "{what}, for the operations that accept `{}` (security scheme).",
        inline(&c.name.wire)
    );
    if let Some(d) = &c.doc {
        doc.push_str("\n\n");
        doc.push_str(d);
    }
    let docs = doc_attrs(Some(&doc));
    let set_doc = format!(
        " Sets or clears the `{}` credential; clones of this client see the change.",
        inline(&c.name.wire)
    );
    match c.kind {
        CredentialKind::Basic => quote! {
            #cfg
            #docs
            pub fn #with(self, username: impl Into<String>, password: impl Into<String>) -> Self {
                self.#set(Some((username.into(), password.into())));
                self
            }

            #cfg
            #[doc = #set_doc]
            pub fn #set(&self, credentials: Option<(String, String)>) {
                self.update(|p| p.#ident = credentials);
            }
        },
        _ => quote! {
            #cfg
            #docs
            pub fn #with(self, value: impl Into<String>) -> Self {
                self.#set(Some(value.into()));
                self
            }

            #cfg
            #[doc = #set_doc]
            pub fn #set(&self, value: Option<String>) {
                self.update(|p| p.#ident = value);
            }
        },
    }
}

fn accessors(p: &ClientParam) -> TokenStream {
    let ident = format_ident!("{}", p.name.rust);
    let [with, set] = naming::client_accessors(&p.name.rust).map(|m| format_ident!("{m}"));
    let mut doc = format!(
        "The `{}` header sent with every operation that takes it.",
        inline(&p.name.wire)
    );
    if let Some(d) = &p.doc {
        doc.push_str("\n\n");
        doc.push_str(d);
    }
    match &p.default {
        Some(ParamDefault::Literal(v)) => doc.push_str(&format!("\n\nDefault: `{}`.", inline(v))),
        Some(ParamDefault::Uuid) => {
            doc.push_str("\n\nWhen not set, each request gets a fresh UUID.")
        }
        None => {}
    }
    let docs = doc_attrs(Some(&doc));
    let set_doc = format!(
        " Sets or clears the `{}` header; clones of this client see the change.",
        inline(&p.name.wire)
    );
    quote! {
        #docs
        pub fn #with(self, value: impl Into<String>) -> Self {
            self.#set(Some(value.into()));
            self
        }

        #[doc = #set_doc]
        pub fn #set(&self, value: Option<String>) {
            self.update(|p| p.#ident = value);
        }
    }
}
