//! `error.rs` and `runtime.rs`: the parts of every client that do not depend
//! on the API (error type, URL building, decoding).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::helpers;
use crate::model::{Helper, Model};

pub fn error(model: &Model) -> TokenStream {
    let api_variant = model.envelope.as_ref().map(|e| {
        let name = format_ident!("{}", e.name);
        quote! {
            /// The server answered, but its envelope reports a failure.
            Api {
                status: u16,
                envelope: Box<crate::types::#name<serde_json::Value>>,
            },
        }
    });
    let documented = !model.error_bodies.is_empty();
    let response_variant = documented.then(|| {
        quote! {
            /// The server answered with an error status the API documents, and
            /// its body decoded as documented.
            Response {
                status: u16,
                body: ErrorBody,
            },
        }
    });
    let response_status = documented.then(|| quote!(| Error::Response { status, .. }));
    let response_display = documented.then(|| {
        quote! {
            Error::Response { status, body } => write!(f, "server answered {status}: {body:?}"),
        }
    });
    let error_body = documented.then(|| {
        let variants = model.error_bodies.iter().map(|b| {
            let name = format_ident!("{}", b.variant);
            let ty = super::ty::tokens(&b.ty, super::ty::Scope::Outside);
            quote!(#name(#ty),)
        });
        let complex =
            !super::ty::complexity_allow(model.error_bodies.iter().map(|b| &b.ty), []).is_empty();
        let allow = complex.then(|| quote!(#[allow(clippy::type_complexity)]));
        quote! {
            /// The body of an error response, as the API documents it for the
            /// operation and status.
            #[derive(Debug)]
            #[non_exhaustive]
            #allow
            pub enum ErrorBody {
                #( #variants )*
            }
        }
    });
    let types_import =
        (documented && model.error_bodies.iter().any(|b| b.ty.has_named())).then(|| {
            quote!(
                use crate::types;
            )
        });
    let middleware_variant = model.middleware.then(|| {
        quote! {
            /// A middleware failed the request.
            Middleware(Box<dyn std::error::Error + Send + Sync>),
        }
    });
    let middleware_display = model
        .middleware
        .then(|| quote!(Error::Middleware(e) => write!(f, "middleware failed: {e}"),));
    let middleware_source = model
        .middleware
        .then(|| quote!(Error::Middleware(e) => Some(e.as_ref()),));
    let api_status = model
        .envelope
        .as_ref()
        .map(|_| quote!(| Error::Api { status, .. }));
    let api_display = model.envelope.as_ref().map(|e| {
        let data = &e.data.wire;
        quote! {
            Error::Api { status, envelope } => {
                // The envelope without its payload, which can be large.
                let mut shown = serde_json::to_value(envelope).unwrap_or_default();
                if let Some(fields) = shown.as_object_mut() {
                    fields.remove(#data);
                }
                write!(f, "the API reported a failure (HTTP {status}): {shown}")
            }
        }
    });
    quote! {
        //! The error type of every operation.

        use std::fmt;
        #types_import

        /// Everything that can go wrong calling the API.
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum Error {
            /// The base URL given to the client is not a usable URL.
            InvalidBaseUrl {
                url: String,
                message: String,
            },
            /// A required parameter was set neither on the call nor on the client.
            MissingParameter {
                name: &'static str,
            },
            /// The request could not be sent, or the response not read.
            Transport(reqwest::Error),
            #middleware_variant
            /// The server answered with a status that is not a success.
            Status {
                status: u16,
                /// The start of the response body (at most 1 KiB).
                body: String,
            },
            #response_variant
            #api_variant
            /// The response body is not what the API describes.
            Decode {
                status: u16,
                message: String,
                /// The start of the response body (at most 1 KiB).
                body: String,
            },
        }

        impl Error {
            /// The HTTP status of the response, when there was one.
            pub fn status(&self) -> Option<u16> {
                match self {
                    Error::Status { status, .. } | Error::Decode { status, .. } #response_status #api_status => Some(*status),
                    Error::Transport(e) => e.status().map(|s| s.as_u16()),
                    _ => None,
                }
            }
        }

        impl fmt::Display for Error {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    Error::InvalidBaseUrl { url, message } => {
                        write!(f, "invalid base URL `{url}`: {message}")
                    }
                    Error::MissingParameter { name } => {
                        write!(f, "required parameter `{name}` is set neither on the call nor on the client")
                    }
                    Error::Transport(e) => write!(f, "request failed: {e}"),
                    #middleware_display
                    Error::Status { status, body } => {
                        write!(f, "server answered {status}: {body}")
                    }
                    #response_display
                    #api_display
                    Error::Decode { status, message, body } => {
                        write!(f, "could not decode the {status} response ({message}): {body}")
                    }
                }
            }
        }

        impl std::error::Error for Error {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    Error::Transport(e) => Some(e),
                    #middleware_source
                    _ => None,
                }
            }
        }

        #error_body
    }
}

pub fn helpers(model: &Model) -> TokenStream {
    // The code of each planned helper, gated by the features that need it.
    let code = |h: Helper| {
        let groups = model.runtime.helpers.get(&h)?;
        Some(helpers::definition(h).code(model, &super::cfg_any(model, groups)))
    };
    let deserialize_struct = code(Helper::DeserializeStruct);
    if model.operations.is_empty() {
        return quote! {
            //! Helpers of the types (this API has no operations).

            #deserialize_struct
        };
    }
    let (builder_ty, send_error, transport_body) = if model.middleware {
        (
            quote!(reqwest_middleware::RequestBuilder),
            quote!(reqwest_middleware::Error),
            quote! {
                match e {
                    reqwest_middleware::Error::Reqwest(e) => Error::Transport(e),
                    reqwest_middleware::Error::Middleware(e) => Error::Middleware(e.into()),
                }
            },
        )
    } else {
        (
            quote!(reqwest::RequestBuilder),
            quote!(reqwest::Error),
            quote!(Error::Transport(e)),
        )
    };
    let query_helpers = [
        Helper::Query,
        Helper::QueryList,
        Helper::Header,
        Helper::Flatten,
        Helper::QueryDeep,
        Helper::QueryProperties,
        Helper::QueryJoined,
        Helper::QueryJson,
        Helper::Form,
    ]
    .map(code);
    let query_helpers = quote!( #( #query_helpers )* );
    let options = (!model.operations.is_empty()).then(|| quote! {
        /// Per-request options every request builder takes.
        #[derive(Clone, Default)]
        pub(crate) struct Options {
            pub(crate) timeout: Option<std::time::Duration>,
            pub(crate) headers: Vec<(String, String)>,
        }

        /// Header values may be credentials: only their names are shown.
        impl std::fmt::Debug for Options {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
                f.debug_struct("Options")
                    .field("timeout", &self.timeout)
                    .field("headers", &names)
                    .finish()
            }
        }

        /// The request builder of the HTTP client in use.
        pub(crate) type RequestBuilder = #builder_ty;

        /// Applies per-request options to a request.
        pub(crate) fn apply(mut request: RequestBuilder, options: Options) -> RequestBuilder {
            if let Some(timeout) = options.timeout {
                request = request.timeout(timeout);
            }
            for (name, value) in options.headers {
                request = request.header(name, value);
            }
            request
        }

        #query_helpers
        /// `with_timeout` and `with_header`: the per-request options every
        /// request builder has.
        macro_rules! request_options {
            () => {
                /// Gives up on this request after `timeout`.
                pub fn with_timeout(mut self, timeout: std::time::Duration) -> Self {
                    self.options.timeout = Some(timeout);
                    self
                }

                /// Adds a header to this request.
                pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                    self.options.headers.push((name.into(), value.into()));
                    self
                }
            };
        }
        pub(crate) use request_options;

        /// Awaiting a request builder sends it.
        macro_rules! send_on_await {
            ($builder:ident => $output:ty) => {
                impl<'a> std::future::IntoFuture for $builder<'a> {
                    type Output = Result<$output, crate::Error>;
                    type IntoFuture = crate::Pending<$output>;

                    fn into_future(self) -> Self::IntoFuture {
                        self.send()
                    }
                }
            };
        }
        pub(crate) use send_on_await;

        /// The error for a request that could not be sent.
        pub(crate) fn transport(e: #send_error) -> Error {
            #transport_body
        }
    });
    // `SNIPPET_LIMIT` is the constant of `snippet`.
    let snippet_cfg = model
        .runtime
        .helpers
        .get(&Helper::Snippet)
        .map(|groups| super::cfg_any(model, groups));
    let [
        to_param,
        required,
        snippet,
        pending,
        check,
        error_body,
        read,
        decode,
    ] = [
        Helper::ToParam,
        Helper::Required,
        Helper::Snippet,
        Helper::Pending,
        Helper::Check,
        Helper::ErrorBody,
        Helper::Read,
        Helper::Decode,
    ]
    .map(code);
    let paging = [
        Helper::LinkPages,
        Helper::CursorPages,
        Helper::Sse,
        Helper::JsonLines,
    ]
    .map(code);
    let paging = quote!( #( #paging )* );
    let [json, enveloped, text, bytes, success, empty] = [
        Helper::Json,
        Helper::Enveloped,
        Helper::Text,
        Helper::Bytes,
        Helper::Success,
        Helper::Empty,
    ]
    .map(code);
    quote! {
        //! Helpers shared by the request builders.

        use crate::Error;

        /// How much of a body an error keeps.
        #snippet_cfg
        const SNIPPET_LIMIT: usize = 1024;

        #to_param
        #required

        /// Appends percent-encoded path segments to the base URL.
        pub(crate) fn push_path(url: &mut reqwest::Url, segments: &[String]) -> Result<(), Error> {
            let text = url.to_string();
            let mut path = url.path_segments_mut().map_err(|()| Error::InvalidBaseUrl {
                url: text,
                message: "not a base URL".to_owned(),
            })?;
            path.pop_if_empty().extend(segments);
            Ok(())
        }

        #options

        #snippet

        #pending
        #check
        #error_body
        #read

        #decode
        #deserialize_struct
        #paging
        #json
        #enveloped
        #text
        #bytes
        #success
        #empty
    }
}
