//! The helpers of the generated `runtime.rs` (and the codec `types::Base64`
//! of `types.rs`): each helper's code and, next to it, the helpers that
//! code calls. `lower/runtime.rs` plans from these declarations which
//! helpers a crate (and each of its features) needs; `emit` writes the
//! code of those planned. A unit test reads each helper's code and checks
//! that it calls exactly what it declares.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::lower::docs::inline;
use crate::model::{Credential, CredentialKind, Helper, Model, ParamLocation};

/// One helper: what its code calls, and its code.
#[derive(Clone, Copy)]
pub struct Definition {
    /// The helpers the code calls.
    calls: &'static [Helper],
    /// The helpers it calls too when the crate documents error bodies.
    documented_calls: &'static [Helper],
    /// The code, given the model and the `#[cfg]` that gates it.
    code: fn(&Model, &TokenStream) -> TokenStream,
}

impl Definition {
    /// The helpers the code calls (`documented`: the crate has error bodies).
    pub fn calls(&self, documented: bool) -> impl Iterator<Item = Helper> + use<> {
        let extra: &'static [Helper] = if documented {
            self.documented_calls
        } else {
            &[]
        };
        self.calls.iter().chain(extra).copied()
    }

    /// The code, gated by `cfg`.
    pub fn code(&self, model: &Model, cfg: &TokenStream) -> TokenStream {
        (self.code)(model, cfg)
    }
}

/// The definition of `helper`.
pub fn definition(helper: Helper) -> Definition {
    match helper {
        Helper::ToParam => to_param(),
        Helper::Required => required(),
        Helper::Query => query(),
        Helper::QueryList => query_list(),
        Helper::Header => header(),
        Helper::Flatten => flatten(),
        Helper::QueryDeep => query_deep(),
        Helper::QueryProperties => query_properties(),
        Helper::QueryJoined => query_joined(),
        Helper::QueryJson => query_json(),
        Helper::Form => form(),
        Helper::Snippet => snippet(),
        Helper::Pending => pending(),
        Helper::ErrorBody => error_body(),
        Helper::Check => check(),
        Helper::Read => read(),
        Helper::Decode => decode(),
        Helper::LinkPages => link_pages(),
        Helper::CursorPages => cursor_pages(),
        Helper::Json => json(),
        Helper::Enveloped => enveloped(),
        Helper::Text => text(),
        Helper::Bytes => bytes(),
        Helper::Success => success(),
        Helper::Empty => empty(),
        Helper::DeserializeStruct => deserialize_struct(),
        Helper::Base64 => base64(),
        Helper::Params => params(),
        Helper::Authorize => authorize(),
        Helper::Sse => sse(),
        Helper::JsonLines => json_lines(),
    }
}

fn to_param() -> Definition {
    Definition {
        calls: &[],
        documented_calls: &[],
        code: |_, cfg| {
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
        },
    }
}

fn required() -> Definition {
    Definition {
        calls: &[],
        documented_calls: &[],
        code: |_, cfg| {
            quote! {
                /// A required parameter's value, or the error naming it.
                #cfg
                pub(crate) fn required(name: &'static str, value: Option<String>) -> Result<String, Error> {
                    value.ok_or(Error::MissingParameter { name })
                }
            }
        },
    }
}

fn query() -> Definition {
    Definition {
        calls: &[Helper::ToParam],
        documented_calls: &[],
        code: |_, cfg| {
            quote! {
                /// Adds a query parameter when it has a value.
                #cfg
                pub(crate) fn query<T: serde::Serialize + ?Sized>(request: RequestBuilder, name: &str, value: Option<&T>) -> RequestBuilder {
                    match value {
                        Some(value) => request.query(&[(name, to_param(value))]),
                        None => request,
                    }
                }
            }
        },
    }
}

fn query_list() -> Definition {
    Definition {
        calls: &[Helper::ToParam],
        documented_calls: &[],
        code: |_, cfg| {
            quote! {
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
            }
        },
    }
}

fn header() -> Definition {
    Definition {
        calls: &[],
        documented_calls: &[],
        code: |_, cfg| {
            quote! {
                /// Adds a header when it has a value.
                #cfg
                pub(crate) fn header(request: RequestBuilder, name: &str, value: Option<String>) -> RequestBuilder {
                    match value {
                        Some(value) => request.header(name, value),
                        None => request,
                    }
                }
            }
        },
    }
}

fn flatten() -> Definition {
    Definition {
        calls: &[],
        documented_calls: &[],
        code: |_, cfg| {
            quote! {
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
            }
        },
    }
}

fn query_deep() -> Definition {
    Definition {
        calls: &[Helper::Flatten],
        documented_calls: &[],
        code: |_, cfg| {
            quote! {
                /// Adds an object query parameter in `deepObject` style: `name[key]=value`.
                #cfg
                pub(crate) fn query_deep<T: serde::Serialize + ?Sized>(request: RequestBuilder, name: &str, value: Option<&T>) -> RequestBuilder {
                    match value {
                        Some(value) => request.query(&pairs(name, value, &[])),
                        None => request,
                    }
                }
            }
        },
    }
}

fn query_properties() -> Definition {
    Definition {
        calls: &[Helper::Flatten],
        documented_calls: &[],
        code: |_, cfg| {
            quote! {
                /// Adds an object query parameter in exploded `form` style: each
                /// property its own `key=value` pair.
                #cfg
                pub(crate) fn query_properties<T: serde::Serialize + ?Sized>(request: RequestBuilder, value: Option<&T>) -> RequestBuilder {
                    match value {
                        Some(value) => request.query(&pairs("", value, &[])),
                        None => request,
                    }
                }
            }
        },
    }
}

fn query_joined() -> Definition {
    Definition {
        calls: &[Helper::ToParam],
        documented_calls: &[],
        code: |_, cfg| {
            quote! {
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
            }
        },
    }
}

fn query_json() -> Definition {
    Definition {
        calls: &[],
        documented_calls: &[],
        code: |_, cfg| {
            quote! {
                /// Adds a query parameter whose value is JSON text (`content:
                /// application/json`): strings quoted, lists and objects whole.
                #cfg
                pub(crate) fn query_json<T: serde::Serialize + ?Sized>(request: RequestBuilder, name: &str, value: Option<&T>) -> RequestBuilder {
                    match value.map(serde_json::to_string) {
                        Some(Ok(value)) => request.query(&[(name, value)]),
                        _ => request,
                    }
                }
            }
        },
    }
}

fn form() -> Definition {
    Definition {
        calls: &[Helper::Flatten],
        documented_calls: &[],
        code: |_, cfg| {
            quote! {
                /// Sets an `application/x-www-form-urlencoded` body, nested values
                /// written `metadata[key]=value`, `items[0][price]=value`; lists in
                /// the properties named in `indexed` as `expand[0]=value`.
                #cfg
                pub(crate) fn form<T: serde::Serialize + ?Sized>(request: RequestBuilder, value: &T, indexed: &[&str]) -> RequestBuilder {
                    request.form(&pairs("", value, indexed))
                }
            }
        },
    }
}

fn snippet() -> Definition {
    Definition {
        calls: &[],
        documented_calls: &[],
        code: |_, cfg| {
            quote! {
                /// The start of a body, as text, for error messages.
                #cfg
                fn snippet(body: &[u8]) -> String {
                    let cut = &body[..body.len().min(SNIPPET_LIMIT)];
                    let mut text = String::from_utf8_lossy(cut).into_owned();
                    if body.len() > SNIPPET_LIMIT {
                        text.push('…');
                    }
                    text
                }
            }
        },
    }
}

fn pending() -> Definition {
    Definition {
        calls: &[Helper::Read],
        documented_calls: &[Helper::Check],
        code: |model, cfg| pending_code(cfg, !model.error_bodies.is_empty()),
    }
}

fn error_body() -> Definition {
    Definition {
        calls: &[],
        documented_calls: &[],
        code: |_, cfg| {
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
        },
    }
}

fn check() -> Definition {
    Definition {
        calls: &[Helper::Snippet, Helper::Pending],
        documented_calls: &[],
        code: |_, cfg| {
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
        },
    }
}

fn read() -> Definition {
    Definition {
        calls: &[Helper::Snippet],
        documented_calls: &[],
        code: |_, cfg| {
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
        },
    }
}

fn decode() -> Definition {
    Definition {
        calls: &[],
        documented_calls: &[],
        code: |_, cfg| {
            quote! {
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
            }
        },
    }
}

fn link_pages() -> Definition {
    Definition {
        calls: &[Helper::Json, Helper::Read],
        documented_calls: &[Helper::Check, Helper::Pending],
        code: |model, cfg| {
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
        },
    }
}

fn cursor_pages() -> Definition {
    Definition {
        calls: &[],
        documented_calls: &[],
        code: |_, cfg| {
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
        },
    }
}

fn json() -> Definition {
    Definition {
        calls: &[Helper::Decode, Helper::Snippet],
        documented_calls: &[],
        code: |_, cfg| {
            quote! {
                /// Decodes a JSON body.
                #cfg
                pub(crate) fn json<T: serde::de::DeserializeOwned>(status: u16, body: Vec<u8>) -> Result<T, Error> {
                    decode(&body).map_err(|message| Error::Decode {
                        status,
                        message,
                        body: snippet(&body),
                    })
                }
            }
        },
    }
}

fn enveloped() -> Definition {
    Definition {
        calls: &[Helper::Decode, Helper::Snippet],
        documented_calls: &[],
        code: |model, cfg| {
            let Some(e) = &model.envelope else {
                return TokenStream::new();
            };
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
        },
    }
}

fn text() -> Definition {
    Definition {
        calls: &[Helper::Snippet],
        documented_calls: &[],
        code: |_, cfg| {
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
        },
    }
}

fn bytes() -> Definition {
    Definition {
        calls: &[],
        documented_calls: &[],
        code: |_, cfg| {
            quote! {
                /// Returns a body as bytes.
                #cfg
                pub(crate) fn bytes(_status: u16, body: Vec<u8>) -> Result<Vec<u8>, Error> {
                    Ok(body)
                }
            }
        },
    }
}

fn success() -> Definition {
    Definition {
        calls: &[Helper::Snippet],
        documented_calls: &[],
        code: |_, cfg| {
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
        },
    }
}

fn empty() -> Definition {
    Definition {
        calls: &[],
        documented_calls: &[],
        code: |_, cfg| {
            quote! {
                /// A body that is not used.
                #cfg
                pub(crate) fn empty(_status: u16, _body: Vec<u8>) -> Result<(), Error> {
                    Ok(())
                }
            }
        },
    }
}

fn deserialize_struct() -> Definition {
    Definition {
        calls: &[],
        documented_calls: &[],
        code: |_, cfg| deserialize_struct_code(cfg),
    }
}

fn base64() -> Definition {
    Definition {
        calls: &[],
        documented_calls: &[],
        code: |_, cfg| base64_code(cfg),
    }
}

fn sse() -> Definition {
    Definition {
        calls: &[Helper::Decode, Helper::Snippet],
        documented_calls: &[],
        code: |_, cfg| sse_code(cfg),
    }
}

/// `Event`, the SSE parser (the WHATWG `text/event-stream` rules) and
/// `sse`, which reads a response as a stream of events whose `data`
/// decodes as `T`.
fn sse_code(cfg: &TokenStream) -> TokenStream {
    quote! {
        /// One Server-Sent Event of a streamed response, its `data` decoded.
        #cfg
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub struct Event<T> {
            /// The event type (`event:`), when the server names one (the
            /// default type, `message`, is `None`).
            pub event: Option<String>,
            /// The last event ID (`id:`) the stream has set, carried over to
            /// the events after it until another `id:` changes it.
            pub id: Option<String>,
            /// The reconnection time in milliseconds (`retry:`), when the
            /// server sent one since the event before.
            pub retry: Option<u64>,
            /// The event's `data` (its `data:` lines joined by `\n`), decoded.
            pub data: T,
        }

        /// The events of a streamed response, as a builder's `stream()` returns
        /// them: each a decoded [`Event`] or an error.
        #cfg
        pub type EventStream<T> = std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<Event<T>, Error>> + Send>>;

        /// The `text/event-stream` parser: bytes in, complete events (their
        /// data as text) out, whatever the network's chunks cut.
        #cfg
        #[derive(Debug, Default)]
        struct SseParser {
            /// The line read so far.
            line: Vec<u8>,
            /// The last byte was `\r`: a `\n` after it ends no line.
            after_cr: bool,
            /// A line has been read (a BOM is only skipped before the first).
            started: bool,
            event: Option<String>,
            data: String,
            /// The last event ID: it persists across events.
            id: Option<String>,
            retry: Option<u64>,
        }

        #cfg
        impl SseParser {
            /// Reads `chunk`, pushing each event it completes.
            fn feed(&mut self, chunk: &[u8], out: &mut std::collections::VecDeque<Event<String>>) {
                for &byte in chunk {
                    match byte {
                        b'\n' if self.after_cr => self.after_cr = false,
                        b'\n' | b'\r' => {
                            self.after_cr = byte == b'\r';
                            self.line_end(out);
                        }
                        _ => {
                            self.after_cr = false;
                            self.line.push(byte);
                        }
                    }
                }
            }

            /// Handles one complete line: a blank line dispatches the event.
            fn line_end(&mut self, out: &mut std::collections::VecDeque<Event<String>>) {
                let bytes = std::mem::take(&mut self.line);
                let text = String::from_utf8_lossy(&bytes);
                let mut line: &str = &text;
                if !self.started {
                    self.started = true;
                    line = line.strip_prefix('\u{feff}').unwrap_or(line);
                }
                if line.is_empty() {
                    let event = self.event.take();
                    let retry = self.retry.take();
                    if self.data.is_empty() {
                        return;
                    }
                    let mut data = std::mem::take(&mut self.data);
                    data.pop();
                    out.push_back(Event { event, id: self.id.clone(), retry, data });
                    return;
                }
                if line.starts_with(':') {
                    return;
                }
                let (field, value) = match line.split_once(':') {
                    Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
                    None => (line, ""),
                };
                match field {
                    "event" => self.event = (!value.is_empty()).then(|| value.to_owned()),
                    "data" => {
                        self.data.push_str(value);
                        self.data.push('\n');
                    }
                    "id" if !value.contains('\0') => {
                        self.id = (!value.is_empty()).then(|| value.to_owned());
                    }
                    "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                        self.retry = value.parse().ok();
                    }
                    _ => {}
                }
            }
        }

        /// The events of a `text/event-stream` response, read as they arrive:
        /// `start` sends the request (an error there, a status included, is
        /// the stream's only item); each event's `data` decodes as `T` (an
        /// event that does not is an `Error::Decode` item, and the stream goes
        /// on); a transport error ends the stream after its item; so does an
        /// event whose data is `[DONE]`, without an item. An event growing past
        /// 16 MiB is an `Error::Decode` item that ends the stream (what is
        /// held is bounded, whatever the server sends).
        #cfg
        pub(crate) fn sse<T>(
            start: impl std::future::Future<Output = Result<reqwest::Response, Error>> + Send + 'static,
        ) -> EventStream<T>
        where
            T: serde::de::DeserializeOwned + Send + 'static,
        {
            use futures_util::StreamExt;
            const LIMIT: usize = 16 << 20;
            Box::pin(futures_util::stream::once(start).flat_map(|started| match started {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let ready: std::collections::VecDeque<Event<String>> = std::collections::VecDeque::new();
                    let state = (Some(Box::pin(response.bytes_stream())), SseParser::default(), ready);
                    futures_util::stream::unfold(state, move |(mut body, mut parser, mut ready)| async move {
                        loop {
                            if let Some(event) = ready.pop_front() {
                                let Event { event, id, retry, data } = event;
                                if data == "[DONE]" {
                                    return None;
                                }
                                let item = match decode::<T>(data.as_bytes()) {
                                    Ok(data) => Ok(Event { event, id, retry, data }),
                                    Err(message) => Err(Error::Decode { status, message, body: snippet(data.as_bytes()) }),
                                };
                                return Some((item, (body, parser, ready)));
                            }
                            if parser.line.len() + parser.data.len() > LIMIT {
                                let message = format!("an event longer than {LIMIT} bytes");
                                let error = Error::Decode { status, message, body: snippet(&parser.line) };
                                return Some((Err(error), (None, SseParser::default(), ready)));
                            }
                            match body.as_mut()?.next().await {
                                Some(Ok(chunk)) => parser.feed(&chunk, &mut ready),
                                Some(Err(e)) => return Some((Err(Error::Transport(e)), (None, parser, ready))),
                                None => return None,
                            }
                        }
                    })
                    .left_stream()
                }
                Err(e) => futures_util::stream::iter([Err(e)]).right_stream(),
            }))
        }
    }
}

fn json_lines() -> Definition {
    Definition {
        calls: &[Helper::Decode, Helper::Snippet],
        documented_calls: &[],
        code: |_, cfg| {
            quote! {
                /// The items of a streamed JSON Lines or json-seq response, as a
                /// builder's `stream()` returns them: each decoded or an error.
                #cfg
                pub type ItemStream<T> = std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<T, Error>> + Send>>;

                /// The items of a JSON Lines response (`separator` `b'\n'`; lines
                /// numbered from 1) or a json-seq one (`separator` RS, `0x1E`;
                /// records numbered from 1), read as they arrive: `start` sends the
                /// request (an error there, a status included, is the stream's only
                /// item); blank lines are skipped; a line that does not decode as
                /// `T` is an `Error::Decode` item naming its number, and the stream
                /// goes on; a transport error ends the stream after its item. A line
                /// growing past 16 MiB is an `Error::Decode` item that ends the
                /// stream (what is held is bounded, whatever the server sends).
                #cfg
                pub(crate) fn json_lines<T>(
                    start: impl std::future::Future<Output = Result<reqwest::Response, Error>> + Send + 'static,
                    separator: u8,
                ) -> ItemStream<T>
                where
                    T: serde::de::DeserializeOwned + Send + 'static,
                {
                    use futures_util::StreamExt;
                    const LIMIT: usize = 16 << 20;
                    // json-seq: the text before the first RS is record 0, empty.
                    let (unit, first) = if separator == b'\n' { ("line", 1) } else { ("record", 0) };
                    Box::pin(futures_util::stream::once(start).flat_map(move |started| match started {
                        Ok(response) => {
                            let status = response.status().as_u16();
                            let ready: std::collections::VecDeque<(usize, Vec<u8>)> = std::collections::VecDeque::new();
                            let state = (Some(Box::pin(response.bytes_stream())), Vec::new(), first, ready);
                            futures_util::stream::unfold(state, move |(mut body, mut line, mut number, mut ready)| async move {
                                loop {
                                    if let Some((n, record)) = ready.pop_front() {
                                        let trimmed = record.trim_ascii();
                                        if trimmed.is_empty() {
                                            continue;
                                        }
                                        let item = decode::<T>(trimmed).map_err(|message| Error::Decode {
                                            status,
                                            message: format!("{unit} {n}: {message}"),
                                            body: snippet(trimmed),
                                        });
                                        return Some((item, (body, line, number, ready)));
                                    }
                                    if line.len() > LIMIT {
                                        let message = format!("{unit} {number}: longer than {LIMIT} bytes");
                                        let error = Error::Decode { status, message, body: snippet(&line) };
                                        return Some((Err(error), (None, Vec::new(), number, ready)));
                                    }
                                    match body.as_mut()?.next().await {
                                        Some(Ok(chunk)) => {
                                            for &byte in chunk.iter() {
                                                if byte == separator {
                                                    ready.push_back((number, std::mem::take(&mut line)));
                                                    number += 1;
                                                } else {
                                                    line.push(byte);
                                                }
                                            }
                                        }
                                        Some(Err(e)) => return Some((Err(Error::Transport(e)), (None, line, number, ready))),
                                        None => {
                                            body = None;
                                            ready.push_back((number, std::mem::take(&mut line)));
                                        }
                                    }
                                }
                            })
                            .left_stream()
                        }
                        Err(e) => futures_util::stream::iter([Err(e)]).right_stream(),
                    }))
                }
            }
        },
    }
}

fn params() -> Definition {
    Definition {
        calls: &[],
        documented_calls: &[],
        code: |_, cfg| {
            quote! {
                /// The current client-level parameters.
                #cfg
                pub(crate) fn params(&self) -> Params {
                    match self.params.read() {
                        Ok(p) => p.clone(),
                        Err(poisoned) => poisoned.into_inner().clone(),
                    }
                }
            }
        },
    }
}

fn authorize() -> Definition {
    Definition {
        calls: &[],
        documented_calls: &[],
        code: authorize_code,
    }
}

/// The `Scheme` enum and `Params::authorize`, which sends the credentials of
/// the first alternative an operation accepts whose credentials are all set.
fn authorize_code(model: &Model, gate: &TokenStream) -> TokenStream {
    let credentials = &model.credentials;
    if credentials.is_empty() {
        return quote!();
    }
    let cfg = |c: &Credential| crate::emit::cfg_any(model, &c.groups);
    let variants = credentials.iter().map(|c| {
        let v = format_ident!("{}", c.variant);
        let doc = format!(" `{}`", inline(&c.name.wire));
        let cfg = cfg(c);
        quote!(#[doc = #doc] #cfg #v,)
    });
    let has = credentials.iter().map(|c| {
        let v = format_ident!("{}", c.variant);
        let field = format_ident!("{}", c.name.rust);
        let cfg = cfg(c);
        quote!(#cfg Scheme::#v => self.#field.is_some(),)
    });
    let apply = credentials.iter().map(|c| {
        let v = format_ident!("{}", c.variant);
        let field = format_ident!("{}", c.name.rust);
        let cfg = cfg(c);
        let send = match &c.kind {
            CredentialKind::Bearer => quote!(request.bearer_auth(value)),
            CredentialKind::Basic => quote!(request.basic_auth(&value.0, Some(&value.1))),
            CredentialKind::ApiKey { location, name } => match location {
                ParamLocation::Query => quote!(request.query(&[(#name, value)])),
                ParamLocation::Cookie => {
                    quote!(request.header(reqwest::header::COOKIE, format!("{}={}", #name, value)))
                }
                ParamLocation::Header | ParamLocation::Path => quote!(request.header(#name, value)),
            },
        };
        quote! {
            #cfg
            Scheme::#v => match &self.#field {
                Some(value) => #send,
                None => request,
            },
        }
    });
    quote! {
        /// The API's security schemes.
        #gate
        #[derive(Clone, Copy, Debug)]
        pub(crate) enum Scheme {
            #( #variants )*
        }

        #gate
        impl Params {
            /// Adds the credentials of the first alternative in `accepted`
            /// whose credentials are all set; without one, the request goes
            /// unauthenticated (and the server says so).
            pub(crate) fn authorize(
                &self,
                mut request: crate::runtime::RequestBuilder,
                accepted: &[&[Scheme]],
            ) -> crate::runtime::RequestBuilder {
                let Some(chosen) = accepted.iter().find(|a| a.iter().all(|s| self.has(*s))) else {
                    return request;
                };
                for scheme in *chosen {
                    request = match scheme {
                        #( #apply )*
                    };
                }
                request
            }

            fn has(&self, scheme: Scheme) -> bool {
                match scheme {
                    #( #has )*
                }
            }
        }
    }
}

/// `Pending`, the future every request builder's `send` returns, and
/// `execute`, the one async function behind it. Builders pass plain
/// functions (how the body decodes, which error bodies are documented), so
/// the compiler checks one future for the whole crate, not one per
/// operation.
fn pending_code(cfg: &TokenStream, documented: bool) -> TokenStream {
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
fn deserialize_struct_code(cfg: &TokenStream) -> TokenStream {
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

/// `Base64`: bytes that travel as base64 text (`format: byte`).
fn base64_code(cfg: &TokenStream) -> TokenStream {
    quote! {
        /// Bytes sent and received as base64 text (`format: byte`). Decoding
        /// accepts the standard and URL-safe alphabets, with or without
        /// padding; text that is not base64 is a decode error naming the field.
        #cfg
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
        pub struct Base64(pub Vec<u8>);

        #cfg
        impl serde::Serialize for Base64 {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                const ALPHABET: &[u8; 64] =
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
                let mut text = String::with_capacity(self.0.len().div_ceil(3) * 4);
                for chunk in self.0.chunks(3) {
                    let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
                    let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
                    for i in 0..4 {
                        if i <= chunk.len() {
                            text.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
                        } else {
                            text.push('=');
                        }
                    }
                }
                serializer.serialize_str(&text)
            }
        }

        #cfg
        impl<'de> serde::Deserialize<'de> for Base64 {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                let mut bytes = Vec::with_capacity(text.len() / 4 * 3);
                let (mut bits, mut count) = (0u32, 0u32);
                for c in text.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=') {
                    let value = match c {
                        b'A'..=b'Z' => c - b'A',
                        b'a'..=b'z' => c - b'a' + 26,
                        b'0'..=b'9' => c - b'0' + 52,
                        b'+' | b'-' => 62,
                        b'/' | b'_' => 63,
                        _ => return Err(serde::de::Error::custom("not valid base64")),
                    };
                    bits = (bits << 6) | u32::from(value);
                    count += 6;
                    if count >= 8 {
                        count -= 8;
                        bytes.push((bits >> count) as u8);
                        bits &= (1 << count) - 1;
                    }
                }
                Ok(Base64(bytes))
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeSet;

    use proc_macro2::TokenTree;

    use super::*;
    use crate::lower::model_of;

    /// Every helper, in `Helper`'s order.
    pub(crate) const ALL: [Helper; 31] = [
        Helper::ToParam,
        Helper::Required,
        Helper::Query,
        Helper::QueryList,
        Helper::Header,
        Helper::Flatten,
        Helper::QueryDeep,
        Helper::QueryProperties,
        Helper::QueryJoined,
        Helper::QueryJson,
        Helper::Form,
        Helper::Snippet,
        Helper::Pending,
        Helper::ErrorBody,
        Helper::Check,
        Helper::Read,
        Helper::Decode,
        Helper::LinkPages,
        Helper::CursorPages,
        Helper::Json,
        Helper::Enveloped,
        Helper::Text,
        Helper::Bytes,
        Helper::Success,
        Helper::Empty,
        Helper::DeserializeStruct,
        Helper::Base64,
        Helper::Params,
        Helper::Authorize,
        Helper::Sse,
        Helper::JsonLines,
    ];

    /// `helper`'s place in [`ALL`]: a new helper fails to compile here
    /// until it is given one, and the test below until `ALL` has it.
    fn index(helper: Helper) -> usize {
        match helper {
            Helper::ToParam => 0,
            Helper::Required => 1,
            Helper::Query => 2,
            Helper::QueryList => 3,
            Helper::Header => 4,
            Helper::Flatten => 5,
            Helper::QueryDeep => 6,
            Helper::QueryProperties => 7,
            Helper::QueryJoined => 8,
            Helper::QueryJson => 9,
            Helper::Form => 10,
            Helper::Snippet => 11,
            Helper::Pending => 12,
            Helper::ErrorBody => 13,
            Helper::Check => 14,
            Helper::Read => 15,
            Helper::Decode => 16,
            Helper::LinkPages => 17,
            Helper::CursorPages => 18,
            Helper::Json => 19,
            Helper::Enveloped => 20,
            Helper::Text => 21,
            Helper::Bytes => 22,
            Helper::Success => 23,
            Helper::Empty => 24,
            Helper::DeserializeStruct => 25,
            Helper::Base64 => 26,
            Helper::Params => 27,
            Helper::Authorize => 28,
            Helper::Sse => 29,
            Helper::JsonLines => 30,
        }
    }

    #[test]
    fn all_lists_every_helper() {
        for (i, h) in ALL.iter().enumerate() {
            assert_eq!(index(*h), i, "{h:?}");
        }
    }

    /// A crate with an envelope and documented error bodies, and one
    /// without either.
    pub(crate) fn models() -> [Model; 2] {
        let spec = r#"
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /a:
    get:
      operationId: a
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties: {code: {type: string}, msg: {type: string}, data: {type: integer}}
        "400":
          description: bad
          content:
            application/json:
              schema: {type: string}
  /b:
    get:
      operationId: b
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties: {code: {type: string}, msg: {type: string}, data: {type: string}}
"#;
        let documented = model_of(spec, "[envelope]\ndata = \"data\"\n");
        assert!(documented.envelope.is_some() && !documented.error_bodies.is_empty());
        [documented, model_of(spec, "")]
    }

    /// The names of the items `code` defines (functions, types, constants,
    /// macros), with the methods it adds to types defined elsewhere (or the
    /// method it is).
    pub(crate) fn defined(code: TokenStream) -> BTreeSet<String> {
        let (mut items, methods) = names(code);
        items.extend(methods);
        items
    }

    /// The methods `code` adds to types defined elsewhere (or the method
    /// it is).
    pub(crate) fn methods(code: TokenStream) -> BTreeSet<String> {
        names(code).1
    }

    /// The items `code` defines, and the methods it adds to types defined
    /// elsewhere.
    fn names(code: TokenStream) -> (BTreeSet<String>, BTreeSet<String>) {
        let file: syn::File = match syn::parse2(code.clone()) {
            Ok(file) => file,
            Err(_) => {
                let method: syn::ImplItemFn =
                    syn::parse2(code).unwrap_or_else(|e| panic!("neither items nor a method: {e}"));
                return (
                    BTreeSet::new(),
                    BTreeSet::from([method.sig.ident.to_string()]),
                );
            }
        };
        let items: BTreeSet<String> = file
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Fn(f) if f.sig.receiver().is_none() => Some(f.sig.ident.to_string()),
                syn::Item::Struct(s) => Some(s.ident.to_string()),
                syn::Item::Enum(e) => Some(e.ident.to_string()),
                syn::Item::Type(t) => Some(t.ident.to_string()),
                syn::Item::Const(c) => Some(c.ident.to_string()),
                syn::Item::Macro(m) => m.ident.as_ref().map(ToString::to_string),
                _ => None,
            })
            .collect();
        // A method alone (`fn params(&self)`) reads as a function with a
        // receiver.
        let mut methods: BTreeSet<String> = file
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Fn(f) if f.sig.receiver().is_some() => Some(f.sig.ident.to_string()),
                _ => None,
            })
            .collect();
        for item in &file.items {
            if let syn::Item::Impl(i) = item
                && i.trait_.is_none()
                && let syn::Type::Path(p) = i.self_ty.as_ref()
                && p.path
                    .segments
                    .last()
                    .is_some_and(|s| !items.contains(&s.ident.to_string()))
            {
                let names: Vec<String> = i
                    .items
                    .iter()
                    .filter_map(|m| match m {
                        syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                        _ => None,
                    })
                    .collect();
                methods.extend(names);
            }
        }
        (items, methods)
    }

    /// The names `code` refers to by themselves (not `.method`, not
    /// `path::name`), less those it binds (`let name`, `name: …`) or defines.
    fn referred(code: TokenStream) -> BTreeSet<String> {
        fn walk(tokens: TokenStream, used: &mut BTreeSet<String>, bound: &mut BTreeSet<String>) {
            let trees: Vec<TokenTree> = tokens.into_iter().collect();
            let punct = |i: usize, c: char| matches!(trees.get(i), Some(TokenTree::Punct(p)) if p.as_char() == c);
            for (i, t) in trees.iter().enumerate() {
                match t {
                    TokenTree::Group(g) => walk(g.stream(), used, bound),
                    TokenTree::Ident(ident) => {
                        let name = ident.to_string();
                        let after_path = i > 0
                            && (punct(i - 1, '.')
                                || i > 1 && punct(i - 1, ':') && punct(i - 2, ':'));
                        let binding = i > 0
                            && matches!(&trees[i - 1], TokenTree::Ident(k)
                                if ["let", "mut", "fn", "struct", "type", "const", "enum", "macro_rules"]
                                    .contains(&k.to_string().as_str()));
                        let field = punct(i + 1, ':') && !punct(i + 2, ':');
                        if binding || field {
                            bound.insert(name);
                        } else if !after_path {
                            used.insert(name);
                        }
                    }
                    _ => {}
                }
            }
        }
        let (mut used, mut bound) = (BTreeSet::new(), BTreeSet::new());
        walk(code, &mut used, &mut bound);
        used.retain(|n| !bound.contains(n));
        used
    }

    /// Each helper's code calls exactly the helpers its definition
    /// declares: what else it names that another helper defines.
    #[test]
    fn helpers_call_what_they_declare() {
        for model in models() {
            let documented = !model.error_bodies.is_empty();
            let cfg = TokenStream::new();
            let names: Vec<(Helper, BTreeSet<String>)> = ALL
                .iter()
                .map(|h| (*h, defined(definition(*h).code(&model, &cfg))))
                .collect();
            for (h, own) in &names {
                let code = definition(*h).code(&model, &cfg);
                if code.is_empty() {
                    continue;
                }
                let referred = referred(code);
                let found: BTreeSet<Helper> = names
                    .iter()
                    .filter(|(other, theirs)| {
                        other != h
                            && theirs
                                .iter()
                                .any(|n| referred.contains(n) && !own.contains(n))
                    })
                    .map(|(other, _)| *other)
                    .collect();
                let declared: BTreeSet<Helper> = definition(*h).calls(documented).collect();
                assert_eq!(found, declared, "{h:?} (documented: {documented})");
            }
        }
    }
}
