//! `error.rs` and `runtime.rs`: the parts of every client that do not depend
//! on the API (error type, URL building, decoding).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

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
            !super::ty::complexity_allow(model.error_bodies.iter().map(|b| &b.ty)).is_empty();
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
    // `Some(cfg)` when the helper is needed, `cfg` gating it by feature.
    let gate = |h: Helper| {
        model
            .runtime
            .helpers
            .get(&h)
            .map(|groups| super::cfg_any(model, groups))
    };
    let required = gate(Helper::Required).map(|cfg| quote! {
        /// A required parameter's value, or the error naming it.
        #cfg
        pub(crate) fn required(name: &'static str, value: Option<String>) -> Result<String, Error> {
            value.ok_or(Error::MissingParameter { name })
        }
    });
    let enveloped = model.envelope.as_ref().zip(gate(Helper::Enveloped)).map(|(e, cfg)| {
        let name = format_ident!("{}", e.name);
        let data = &e.data.wire;
        let missing = format!("a successful envelope without `{data}`");
        quote! {
            /// Decodes an envelope: the payload on success, [`Error::Api`] otherwise.
            #cfg
            pub(crate) fn enveloped<T: serde::de::DeserializeOwned>(status: u16, body: Vec<u8>) -> Result<T, Error> {
                let decode_error = |message: String| Error::Decode {
                    status,
                    message,
                    body: snippet(&body),
                };
                let envelope: crate::types::#name<serde_json::Value> = decode(&body).map_err(decode_error)?;
                if !envelope.is_success() {
                    return Err(Error::Api { status, envelope: Box::new(envelope) });
                }
                match envelope.data {
                    Some(data) => serde_path_to_error::deserialize(data)
                        .map_err(|e| decode_error(located(e.path(), e.inner()))),
                    None => Err(decode_error(#missing.to_owned())),
                }
            }
        }
    });
    let decode = gate(Helper::Decode).map(|cfg| quote! {
        /// Decodes JSON; the error names the field that did not fit.
        #cfg
        fn decode<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, String> {
            let mut de = serde_json::Deserializer::from_slice(body);
            let value = serde_path_to_error::deserialize(&mut de).map_err(|e| located(e.path(), e.inner()))?;
            de.end().map_err(|e| e.to_string())?;
            Ok(value)
        }

        /// An error message with the path of the field it is about.
        #cfg
        fn located(path: &serde_path_to_error::Path, error: &dyn std::fmt::Display) -> String {
            match path.to_string().as_str() {
                "." => error.to_string(),
                field => format!("{field}: {error}"),
            }
        }
    });
    let documented = !model.error_bodies.is_empty();
    // With documented error bodies, each page's status goes through `check`.
    let (documented_param, checked) = if documented {
        (
            quote!(documented: Documented,),
            quote! {
                let response = match check(response, documented).await {
                    Ok(response) => response,
                    Err(e) => return Some((vec![Err(e)], None)),
                };
            },
        )
    } else {
        (quote!(), quote!())
    };
    let link_pages = gate(Helper::LinkPages).map(|cfg| {
        quote! {
            /// A finished request, ready to send again with another URL.
            #cfg
            pub(crate) fn build(request: RequestBuilder) -> Result<reqwest::Request, Error> {
                request.build().map_err(Error::Transport)
            }

            /// The `rel="next"` URL of a `Link` header.
            #cfg
            fn next_link(headers: &reqwest::header::HeaderMap) -> Option<reqwest::Url> {
                let value = headers.get(reqwest::header::LINK)?.to_str().ok()?;
                value.split(',').find_map(|link| {
                    let mut parts = link.split(';');
                    let url = parts.next()?.trim().strip_prefix('<')?.strip_suffix('>')?;
                    let next = parts.any(|p| matches!(p.trim(), "rel=\"next\"" | "rel=next"));
                    if next { reqwest::Url::parse(url).ok() } else { None }
                })
            }

            /// Every item of the pages linked from the first request's response.
            #cfg
            pub(crate) fn link_pages<'a, T>(
                client: &'a crate::Client,
                first: Result<reqwest::Request, Error>,
                #documented_param
            ) -> std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<T, Error>> + Send + 'a>>
            where
                T: serde::de::DeserializeOwned + Send + 'a,
            {
                use futures_util::StreamExt;
                Box::pin(futures_util::stream::unfold(Some(first), move |state| async move {
                    let request = match state? {
                        Ok(request) => request,
                        Err(e) => return Some((vec![Err(e)], None)),
                    };
                    let again = request.try_clone();
                    let response = match client.http_client().execute(request).await {
                        Ok(response) => response,
                        Err(e) => return Some((vec![Err(transport(e))], None)),
                    };
                    #checked
                    let next = next_link(response.headers()).and_then(|url| {
                        let mut request = again?;
                        *request.url_mut() = url;
                        Some(Ok(request))
                    });
                    match read(response).await.and_then(|(status, body)| json::<Vec<T>>(status, body)) {
                        Ok(items) => Some((items.into_iter().map(Ok).collect::<Vec<_>>(), next)),
                        Err(e) => Some((vec![Err(e)], None)),
                    }
                })
                .flat_map(futures_util::stream::iter))
            }
        }
    });
    let cursor_pages = gate(Helper::CursorPages).map(|cfg| {
        quote! {
            /// Every item of the pages a cursor walks through: each page is asked
            /// for with the last item's id of the page before.
            #cfg
            pub(crate) fn cursor_pages<'a, B, P, T>(
                first: B,
                with_cursor: fn(B, String) -> B,
                split: fn(P) -> (Vec<T>, bool),
                cursor: fn(&T) -> Option<String>,
            ) -> std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<T, Error>> + Send + 'a>>
            where
                B: std::future::IntoFuture<Output = Result<P, Error>> + Clone + Send + 'a,
                B::IntoFuture: Send,
                P: Send + 'a,
                T: Send + 'a,
            {
                use futures_util::StreamExt;
                Box::pin(futures_util::stream::unfold(Some(first), move |state| async move {
                    let builder = state?;
                    let again = builder.clone();
                    match builder.await {
                        Ok(page) => {
                            let (items, more) = split(page);
                            let next = if more {
                                items.last().and_then(cursor).map(|c| with_cursor(again, c))
                            } else {
                                None
                            };
                            Some((items.into_iter().map(Ok).collect::<Vec<_>>(), next))
                        }
                        Err(e) => Some((vec![Err(e)], None)),
                    }
                })
                .flat_map(futures_util::stream::iter))
            }
        }
    });
    let paging = quote!(#link_pages #cursor_pages);
    let check = gate(Helper::Check).map(|cfg| {
        quote! {
            /// Passes a success on; an error status becomes [`Error::Response`]
            /// when `documented` decodes its body, [`Error::Status`] otherwise.
            #cfg
            pub(crate) async fn check(
                response: reqwest::Response,
                documented: Documented,
            ) -> Result<reqwest::Response, Error> {
                let status = response.status();
                if status.is_success() {
                    return Ok(response);
                }
                let status = status.as_u16();
                let body = response.bytes().await.map_err(Error::Transport)?;
                Err(match documented(status, &body) {
                    Some(body) => Error::Response { status, body },
                    None => Error::Status { status, body: snippet(&body) },
                })
            }
        }
    });
    let error_body = gate(Helper::ErrorBody).map(|cfg| {
        quote! {
            /// An error body decoded as `T`, in its [`crate::ErrorBody`] variant.
            #cfg
            pub(crate) fn error_body<T: serde::de::DeserializeOwned>(
                body: &[u8],
                variant: fn(T) -> crate::ErrorBody,
            ) -> Option<crate::ErrorBody> {
                serde_json::from_slice(body).ok().map(variant)
            }
        }
    });
    let json = gate(Helper::Json).map(|cfg| quote! {
        /// Decodes a JSON body.
        #cfg
        pub(crate) fn json<T: serde::de::DeserializeOwned>(status: u16, body: Vec<u8>) -> Result<T, Error> {
            decode(&body).map_err(|message| Error::Decode {
                status,
                message,
                body: snippet(&body),
            })
        }
    });
    let text = gate(Helper::Text).map(|cfg| {
        quote! {
            /// Decodes a text body.
            #cfg
            pub(crate) fn text(status: u16, body: Vec<u8>) -> Result<String, Error> {
                String::from_utf8(body).map_err(|e| Error::Decode {
                    status,
                    message: e.to_string(),
                    body: snippet(e.as_bytes()),
                })
            }
        }
    });
    let bytes = gate(Helper::Bytes).map(|cfg| {
        quote! {
            /// Returns a body as bytes.
            #cfg
            pub(crate) fn bytes(_status: u16, body: Vec<u8>) -> Result<Vec<u8>, Error> {
                Ok(body)
            }
        }
    });
    let success = gate(Helper::Success).map(|cfg| {
        quote! {
            /// The response, unread, when its status is a success.
            #cfg
            pub(crate) async fn success(response: reqwest::Response) -> Result<reqwest::Response, Error> {
                let status = response.status();
                if status.is_success() {
                    return Ok(response);
                }
                let body = response.bytes().await.map_err(Error::Transport)?;
                Err(Error::Status {
                    status: status.as_u16(),
                    body: snippet(&body),
                })
            }
        }
    });
    let empty = gate(Helper::Empty).map(|cfg| {
        quote! {
            /// A body that is not used.
            #cfg
            pub(crate) fn empty(_status: u16, _body: Vec<u8>) -> Result<(), Error> {
                Ok(())
            }
        }
    });
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
    let query = gate(Helper::Query).map(|cfg| quote! {
        /// Adds a query parameter when it has a value.
        #cfg
        pub(crate) fn query<T: serde::Serialize + ?Sized>(request: RequestBuilder, name: &str, value: Option<&T>) -> RequestBuilder {
            match value {
                Some(value) => request.query(&[(name, to_param(value))]),
                None => request,
            }
        }
    });
    let query_list = gate(Helper::QueryList).map(|cfg| quote! {
        /// Adds a list query parameter: a pair per item (`explode`) or one
        /// pair with the items joined by `delimiter`.
        #cfg
        pub(crate) fn query_list<T: serde::Serialize>(mut request: RequestBuilder, name: &str, values: Option<&[T]>, explode: bool, delimiter: &str) -> RequestBuilder {
            let Some(values) = values else { return request };
            if explode {
                for value in values {
                    request = request.query(&[(name, to_param(value))]);
                }
                request
            } else {
                let joined: Vec<String> = values.iter().map(to_param).collect();
                request.query(&[(name, joined.join(delimiter))])
            }
        }
    });
    let flatten = gate(Helper::Flatten).map(|cfg| quote! {
        /// A value as `key=value` pairs the way form parsers (`qs`, Rails,
        /// PHP) read nested data: objects as `prefix[key]`, lists as
        /// `prefix[0]` (or, with `repeat`, lists of scalars as repeated
        /// keys), nulls left out.
        #cfg
        fn flatten(prefix: String, value: &serde_json::Value, repeat: bool, out: &mut Vec<(String, String)>) {
            use serde_json::Value;
            match value {
                Value::Null => {}
                Value::Object(map) => {
                    for (k, v) in map {
                        flatten(format!("{prefix}[{k}]"), v, false, out);
                    }
                }
                Value::Array(items) => {
                    let scalars = items.iter().all(|v| !v.is_object() && !v.is_array());
                    for (i, v) in items.iter().enumerate() {
                        let name = if repeat && scalars { prefix.clone() } else { format!("{prefix}[{i}]") };
                        flatten(name, v, false, out);
                    }
                }
                Value::String(s) => out.push((prefix, s.clone())),
                other => out.push((prefix, other.to_string())),
            }
        }

        /// `value` flattened under `prefix`, or without one, as its own
        /// properties: top-level lists of scalars then repeat their key,
        /// except the properties named in `indexed` (`deepObject` encoding).
        #cfg
        fn pairs<T: serde::Serialize + ?Sized>(prefix: &str, value: &T, indexed: &[&str]) -> Vec<(String, String)> {
            let mut out = Vec::new();
            match serde_json::to_value(value) {
                Ok(serde_json::Value::Object(map)) if prefix.is_empty() => {
                    for (k, v) in &map {
                        flatten(k.clone(), v, !indexed.contains(&k.as_str()), &mut out);
                    }
                }
                Ok(value) => flatten(prefix.to_owned(), &value, false, &mut out),
                Err(_) => {}
            }
            out
        }
    });
    let query_deep = gate(Helper::QueryDeep).map(|cfg| quote! {
        /// Adds an object query parameter in `deepObject` style: `name[key]=value`.
        #cfg
        pub(crate) fn query_deep<T: serde::Serialize + ?Sized>(request: RequestBuilder, name: &str, value: Option<&T>) -> RequestBuilder {
            match value {
                Some(value) => request.query(&pairs(name, value, &[])),
                None => request,
            }
        }
    });
    let query_properties = gate(Helper::QueryProperties).map(|cfg| quote! {
        /// Adds an object query parameter in exploded `form` style: each
        /// property its own `key=value` pair.
        #cfg
        pub(crate) fn query_properties<T: serde::Serialize + ?Sized>(request: RequestBuilder, value: Option<&T>) -> RequestBuilder {
            match value {
                Some(value) => request.query(&pairs("", value, &[])),
                None => request,
            }
        }
    });
    let query_joined = gate(Helper::QueryJoined).map(|cfg| quote! {
        /// Adds an object query parameter in non-exploded style: one pair,
        /// its properties and their values joined by `delimiter`
        /// (`name=k1,v1,k2,v2`); nested values as JSON, nulls left out.
        #cfg
        pub(crate) fn query_joined<T: serde::Serialize + ?Sized>(request: RequestBuilder, name: &str, value: Option<&T>, delimiter: char) -> RequestBuilder {
            let Some(value) = value else { return request };
            let joined = match serde_json::to_value(value) {
                Ok(serde_json::Value::Object(map)) => {
                    let mut items = Vec::new();
                    for (k, v) in &map {
                        if !v.is_null() {
                            items.push(k.clone());
                            items.push(to_param(v));
                        }
                    }
                    items.join(&delimiter.to_string())
                }
                _ => to_param(value),
            };
            request.query(&[(name, joined)])
        }
    });
    let form_body = gate(Helper::Form).map(|cfg| quote! {
        /// Sets an `application/x-www-form-urlencoded` body, nested values
        /// written `metadata[key]=value`, `items[0][price]=value`; lists in
        /// the properties named in `indexed` as `expand[0]=value`.
        #cfg
        pub(crate) fn form<T: serde::Serialize + ?Sized>(request: RequestBuilder, value: &T, indexed: &[&str]) -> RequestBuilder {
            request.form(&pairs("", value, indexed))
        }
    });
    let header = gate(Helper::Header).map(|cfg| quote! {
        /// Adds a header when it has a value.
        #cfg
        pub(crate) fn header(request: RequestBuilder, name: &str, value: Option<String>) -> RequestBuilder {
            match value {
                Some(value) => request.header(name, value),
                None => request,
            }
        }
    });
    let query_helpers = quote!(#query #query_list #header #flatten #query_deep #query_properties #query_joined #form_body);
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
    let pending = gate(Helper::Pending).map(|cfg| pending(cfg, documented));
    let deserialize_struct = gate(Helper::DeserializeStruct).map(deserialize_struct);
    if model.operations.is_empty() {
        return quote! {
            //! Helpers of the types (this API has no operations).

            #deserialize_struct
        };
    }
    let to_param = gate(Helper::ToParam).map(|cfg| {
        quote! {
            /// A parameter value as text: strings as they are, anything else as JSON.
            #cfg
            pub(crate) fn to_param<T: serde::Serialize + ?Sized>(value: &T) -> String {
                match serde_json::to_value(value) {
                    Ok(serde_json::Value::String(s)) => s,
                    Ok(other) => other.to_string(),
                    Err(_) => String::new(),
                }
            }
        }
    });
    let snippet_cfg = gate(Helper::Snippet);
    let read = gate(Helper::Read).map(|cfg| {
        quote! {
            /// Reads the body; a status that is not a success is an error.
            #cfg
            async fn read(response: reqwest::Response) -> Result<(u16, Vec<u8>), Error> {
                let status = response.status();
                let body = response.bytes().await.map_err(Error::Transport)?;
                if !status.is_success() {
                    return Err(Error::Status {
                        status: status.as_u16(),
                        body: snippet(&body),
                    });
                }
                Ok((status.as_u16(), body.to_vec()))
            }
        }
    });
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

        /// The start of a body, as text, for error messages.
        #snippet_cfg
        fn snippet(body: &[u8]) -> String {
            let cut = &body[..body.len().min(SNIPPET_LIMIT)];
            let mut text = String::from_utf8_lossy(cut).into_owned();
            if body.len() > SNIPPET_LIMIT {
                text.push('…');
            }
            text
        }

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

/// `Pending`, the future every request builder's `send` returns, and
/// `execute`, the one async function behind it. Builders pass plain
/// functions (how the body decodes, which error bodies are documented), so
/// the compiler checks one future for the whole crate, not one per
/// operation.
fn pending(cfg: TokenStream, documented: bool) -> TokenStream {
    let (documented_param, documented_arg, check) = if documented {
        (
            quote!(documented: Option<Documented>,),
            quote!(, documented),
            quote! {
                let response = match documented {
                    Some(documented) => check(response, documented).await?,
                    None => response,
                };
            },
        )
    } else {
        (quote!(), quote!(), quote!())
    };
    let documented_ty = documented.then(|| {
        quote! {
            /// Decodes a documented error status's body, if it is one.
            #cfg
            type Documented = fn(u16, &[u8]) -> Option<crate::ErrorBody>;
        }
    });
    quote! {
        /// A request on its way: `.await` it for the operation's result.
        #cfg
        #[must_use = "a request does nothing until it is awaited"]
        pub struct Pending<T> {
            response: Response,
            decode: fn(u16, Vec<u8>) -> Result<T, Error>,
        }

        #documented_ty

        /// A response's status and body, on their way.
        #cfg
        type Response = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(u16, Vec<u8>), Error>> + Send>>;

        #cfg
        impl<T> Pending<T> {
            /// Sends `request`; a successful response's status and body go to `decode`.
            pub(crate) fn new(
                request: Result<RequestBuilder, Error>,
                #documented_param
                decode: fn(u16, Vec<u8>) -> Result<T, Error>,
            ) -> Self {
                Self { response: Box::pin(execute(request #documented_arg)), decode }
            }
        }

        #cfg
        impl<T> std::future::Future for Pending<T> {
            type Output = Result<T, Error>;

            fn poll(
                mut self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
            ) -> std::task::Poll<Self::Output> {
                let decode = self.decode;
                self.response
                    .as_mut()
                    .poll(cx)
                    .map(|response| response.and_then(|(status, body)| decode(status, body)))
            }
        }

        #cfg
        impl<T> std::fmt::Debug for Pending<T> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("Pending").finish_non_exhaustive()
            }
        }

        /// Sends a request and reads its body; a status that is not a success
        /// is an error.
        #cfg
        async fn execute(
            request: Result<RequestBuilder, Error>,
            #documented_param
        ) -> Result<(u16, Vec<u8>), Error> {
            let response = request?.send().await.map_err(transport)?;
            #check
            read(response).await
        }
    }
}

/// `deserialize_struct!`: `serde::Deserialize` for the crate's structs, a
/// map visitor matching wire names, with far less code for the compiler
/// than serde's derive (no field enum, no sequence visitor). Absent
/// `Option` fields are `None`, absent others an error naming them; unknown
/// keys are skipped, or kept in `additional_properties`.
fn deserialize_struct(cfg: TokenStream) -> TokenStream {
    quote! {
        /// A key of a JSON object, borrowed from the input when it can be.
        #cfg
        pub(crate) struct Key<'de>(pub(crate) std::borrow::Cow<'de, str>);

        #cfg
        impl<'de> serde::Deserialize<'de> for Key<'de> {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct KeyVisitor;
                impl<'de> serde::de::Visitor<'de> for KeyVisitor {
                    type Value = Key<'de>;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("a field name")
                    }
                    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                        Ok(Key(std::borrow::Cow::Borrowed(v)))
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                        Ok(Key(std::borrow::Cow::Owned(v.to_owned())))
                    }
                    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Key<'de>, E> {
                        Ok(Key(std::borrow::Cow::Owned(v)))
                    }
                }
                deserializer.deserialize_str(KeyVisitor)
            }
        }

        /// `serde::Deserialize` for a struct: `field => "wire"` for a field that
        /// must be present, `field => "wire" or none` for an `Option`, then
        /// `+ additional_properties` when unknown keys are kept.
        #cfg
        macro_rules! deserialize_struct {
            ($name:ident { $( $field:ident => $wire:literal $( or $none:ident )? ),* $(,)? } $( + $additional:ident )?) => {
                impl<'de> serde::Deserialize<'de> for $name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        struct Visitor;
                        impl<'de> serde::de::Visitor<'de> for Visitor {
                            type Value = $name;
                            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                                f.write_str(concat!("struct ", stringify!($name)))
                            }
                            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                                $( let mut $field = None; )*
                                $( let mut $additional = std::collections::BTreeMap::new(); )?
                                // `match` rather than `?` on each field: every `?`
                                // is trait solving for the compiler.
                                loop {
                                    let key = match map.next_key::<$crate::runtime::Key<'de>>() {
                                        Ok(Some(key)) => key,
                                        Ok(None) => break,
                                        Err(e) => return Err(e),
                                    };
                                    match key.0.as_ref() {
                                        $( $wire => $field = match map.next_value() {
                                            Ok(value) => Some(value),
                                            Err(e) => return Err(e),
                                        }, )*
                                        _ => $crate::runtime::deserialize_struct!(@other map key $( $additional )?),
                                    }
                                }
                                Ok($name {
                                    $( $field: $crate::runtime::deserialize_struct!(@take A $field $wire $( $none )?), )*
                                    $( $additional, )?
                                })
                            }
                        }
                        deserializer.deserialize_map(Visitor)
                    }
                }
            };
            (@take $a:ident $field:ident $wire:literal) => {
                match $field {
                    Some(value) => value,
                    None => return Err(<$a::Error as serde::de::Error>::missing_field($wire)),
                }
            };
            (@take $a:ident $field:ident $wire:literal $none:ident) => {
                $field.unwrap_or_default()
            };
            (@other $map:ident $key:ident) => {{
                $map.next_value::<serde::de::IgnoredAny>()?;
            }};
            (@other $map:ident $key:ident $additional:ident) => {{
                $additional.insert($key.0.into_owned(), $map.next_value()?);
            }};
        }
        #cfg
        pub(crate) use deserialize_struct;
    }
}
