//! `builder.rs`: one request builder per operation. Required arguments are
//! taken by the client method; optional ones are set on the builder; the
//! builder is sent with `.send()` or by awaiting it.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::signature::{self, arg};
use super::ty::{Scope, complexity_allow, tokens};
use super::{Pieces, doc_attrs};
use crate::lower::docs::inline;
use crate::model::{
    BodyKind, FormPart, GroupId, Method, Model, Operation, Pagination, Param, ParamDefault,
    ParamLocation, PartKind, PathPart, QueryStyle, ResponseKind, StatusMatch, Stream, StreamFormat,
    Ty,
};

/// The builder module's root file (`group` = `None`), or one group's file,
/// which also holds the group's `Client` methods.
pub fn emit(model: &Model, group: Option<GroupId>) -> Pieces<'_> {
    let ops: Vec<&Operation> = model
        .operations
        .iter()
        .filter(|o| o.group == group)
        .collect();

    let uses_types = ops.iter().flat_map(|op| op.tys()).any(Ty::has_named);
    let types_import = uses_types.then(|| {
        quote!(
            use crate::types;
        )
    });
    let allow = complexity_allow(
        ops.iter().flat_map(|op| op.tys()),
        ops.iter()
            .flat_map(|op| op.pagination.as_ref().map(Pagination::item)),
    );
    let imports = (!ops.is_empty()).then(|| {
        quote! {
            use crate::{runtime, Client, Error};
            #types_import
        }
    });
    let head = match group {
        None => {
            let modules = super::group_modules(model, |g| {
                model.operations.iter().any(|o| o.group == Some(g))
            });
            quote! {
                //! Request builders, one per operation: set optional parameters, then
                //! `.send().await` (or just `.await`).
                #allow

                #imports
                #modules
            }
        }
        Some(g) => {
            let wire = model.group(g).map_or("", |g| g.name.wire.as_str());
            let doc =
                format!(" The `{wire}` operations: their `Client` methods and request builders.");
            let methods = ops.iter().map(|op| signature::method(op));
            quote! {
                #![doc = #doc]
                #allow

                #imports
                use crate::builder;

                impl Client {
                    #( #methods )*
                }
            }
        }
    };
    let builders = ops.into_iter().map(move |op| builder(model, op));
    Box::new(std::iter::once(head).chain(builders))
}

/// Whether the builder stores the value directly (positional) or as an option.
fn stored(p: &Param) -> bool {
    p.is_positional()
}

fn output(op: &Operation) -> TokenStream {
    match &op.response.kind {
        ResponseKind::Json(t) | ResponseKind::Enveloped(t) => tokens(t, Scope::Outside),
        ResponseKind::Text => quote!(String),
        ResponseKind::Bytes => quote!(Vec<u8>),
        ResponseKind::Empty => quote!(()),
    }
}

fn builder(model: &Model, op: &Operation) -> TokenStream {
    let name = format_ident!("{}", op.builder);
    let send_doc = format!(
        " Sends the request when awaited (see [`Client::{}`]).",
        op.name.rust
    );
    let doc = format!(
        " Request builder for [`Client::{}`]: `{} {}`.",
        op.name.rust,
        op.method.as_str(),
        inline(&op.path)
    );
    let args = signature::arguments(op);

    // Fields.
    let mut fields = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    for p in &op.params {
        let ident = format_ident!("{}", p.name.rust);
        let ty = tokens(&p.ty, Scope::Outside);
        if stored(p) {
            fields.push(quote!(#ident: #ty,));
            inits.push(quote!(#ident,));
        } else {
            fields.push(quote!(#ident: Option<#ty>,));
            inits.push(quote!(#ident: None,));
            let docs = doc_attrs(p.doc.as_deref());
            let (arg_ty, conv) = arg(&p.ty);
            let value = conv(&format_ident!("value"));
            setters.push(quote! {
                #docs
                pub fn #ident(mut self, value: #arg_ty) -> Self {
                    self.#ident = Some(#value);
                    self
                }
            });
        }
    }
    if let Some(body) = &op.body
        && body.kind != BodyKind::EmptyObject
    {
        let ty = tokens(&body.ty, Scope::Outside);
        if body.required {
            fields.push(quote!(body: #ty,));
            inits.push(quote!(body,));
        } else {
            fields.push(quote!(body: Option<#ty>,));
            inits.push(quote!(body: None,));
            let docs = doc_attrs(Some(body.doc.as_deref().unwrap_or("The request body.")));
            setters.push(quote! {
                #docs
                pub fn body(mut self, value: #ty) -> Self {
                    self.body = Some(value);
                    self
                }
            });
        }
    }
    let new_params = args.iter().map(|a| {
        let (i, ty) = (&a.ident, &a.stored);
        quote!(#i: #ty)
    });
    let allow = signature::too_many(&args);
    let (request, decode) = send_body(model, op);
    let check = documented_errors(model, op);
    // With documented error bodies, `Pending::new` takes the operation's.
    let documented = (!model.error_bodies.is_empty()).then(|| match documented_fn(model, op) {
        Some(f) => quote!(Some(#f),),
        None => quote!(None,),
    });
    // Binary downloads can be large: offer the response unread.
    let streaming = op.response.kind.unread().then(|| {
        quote! {
            /// Sends the request and hands back the response unread once its
            /// status is a success, to read the body piece by piece
            /// (`response.chunk().await`) instead of whole.
            pub async fn send_streaming(self) -> Result<reqwest::Response, Error> {
                let response = self.into_request()?.send().await.map_err(runtime::transport)?;
                #check
                runtime::success(response).await
            }
        }
    });
    let stream = op
        .pagination
        .as_ref()
        .map(|p| stream(model, op, p))
        .or_else(|| {
            let s = op.response.stream.as_ref()?;
            Some(streamed(op, s, check.as_ref()))
        });
    let out = output(op);
    let has_secret = op.params.iter().any(|p| p.secret);
    let derive_debug = if has_secret {
        quote!(#[derive(Clone)])
    } else {
        quote!(#[derive(Clone, Debug)])
    };
    let debug_impl = has_secret.then(|| redacted_debug(&name, op));
    quote! {
        #[doc = #doc]
        #derive_debug
        #[must_use = "a request does nothing until it is sent or awaited"]
        pub struct #name<'a> {
            client: &'a Client,
            #( #fields )*
            options: runtime::Options,
        }

        impl<'a> #name<'a> {
            #allow
            pub(crate) fn new(client: &'a Client, #( #new_params ),*) -> Self {
                Self { client, #( #inits )* options: runtime::Options::default() }
            }

            #( #setters )*

            runtime::request_options!();

            #[doc = #send_doc]
            pub fn send(self) -> runtime::Pending<#out> {
                runtime::Pending::new(self.into_request(), #documented #decode)
            }

            #streaming
            #stream

            /// The HTTP request this builder describes.
            fn into_request(self) -> Result<runtime::RequestBuilder, Error> {
                #request
            }
        }

        #debug_impl

        runtime::send_on_await!(#name => #out);
    }
}

/// Decodes the error statuses the operation documents into `ErrorBody`.
fn documented_errors(model: &Model, op: &Operation) -> Option<TokenStream> {
    let documented = documented_fn(model, op)?;
    Some(quote! {
        let response = runtime::check(response, #documented).await?;
    })
}

/// The closure `runtime::check` takes: status and body → the documented
/// `ErrorBody`, if the status is documented and the body decodes.
fn documented_fn(model: &Model, op: &Operation) -> Option<TokenStream> {
    if op.errors.is_empty() {
        return None;
    }
    let arms = op.errors.iter().filter_map(|case| {
        let variant = format_ident!("{}", model.error_body(case.body)?.variant);
        let patterns = case.statuses.iter().map(|s| match s {
            StatusMatch::Code(c) => {
                let c = Literal::u16_unsuffixed(*c);
                quote!(#c)
            }
            StatusMatch::Codes(low, high) => {
                let (low, high) = (
                    Literal::u16_unsuffixed(*low),
                    Literal::u16_unsuffixed(*high),
                );
                quote!(#low..=#high)
            }
            StatusMatch::Range(r) => {
                let low = Literal::u16_unsuffixed(r.saturating_mul(100));
                let high = Literal::u16_unsuffixed(r.saturating_mul(100).saturating_add(99));
                quote!(#low..=#high)
            }
            StatusMatch::Default => quote!(_),
        });
        Some(quote!(#( #patterns )|* => runtime::error_body(body, crate::ErrorBody::#variant),))
    });
    if let [only] = op.errors.as_slice()
        && only.statuses == [StatusMatch::Default]
    {
        let variant = format_ident!("{}", model.error_body(only.body)?.variant);
        return Some(quote! {
            |_, body| runtime::error_body(body, crate::ErrorBody::#variant)
        });
    }
    let fallback = (!op
        .errors
        .iter()
        .any(|c| c.statuses == [StatusMatch::Default]))
    .then(|| quote!(_ => None,));
    Some(quote! {
        |status, body| match status {
            #( #arms )*
            #fallback
        }
    })
}

/// `Debug` that shows secret parameters as `<redacted>`.
fn redacted_debug(name: &Ident, op: &Operation) -> TokenStream {
    let label = name.to_string();
    let fields = op.params.iter().map(|p| {
        let ident = format_ident!("{}", p.name.rust);
        let text = &p.name.rust;
        match (p.secret, stored(p)) {
            (true, true) => quote!(.field(#text, &"<redacted>")),
            (true, false) => quote!(.field(#text, &self.#ident.as_ref().map(|_| "<redacted>"))),
            (false, _) => quote!(.field(#text, &self.#ident)),
        }
    });
    let body = op
        .body
        .as_ref()
        .filter(|b| b.kind != BodyKind::EmptyObject)
        .map(|_| quote!(.field("body", &self.body)));
    quote! {
        impl std::fmt::Debug for #name<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#label)
                    .field("client", &self.client)
                    #( #fields )*
                    #body
                    .field("options", &self.options)
                    .finish()
            }
        }
    }
}

/// `stream()`: every item of every page.
fn stream(model: &Model, op: &Operation, p: &Pagination) -> TokenStream {
    match p {
        Pagination::Link { item } => {
            let item = tokens(item, Scope::Outside);
            // A page's error status decodes as the operation documents it,
            // as with `send()`.
            let documented = (!model.error_bodies.is_empty()).then(|| {
                let f = documented_fn(model, op).unwrap_or_else(|| quote!(|_, _| None));
                quote!(, #f)
            });
            quote! {
                /// Every item of every page, following the `Link` header's `rel="next"`.
                pub fn stream(self) -> std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<#item, Error>> + Send + 'a>> {
                    let client = self.client;
                    runtime::link_pages(client, self.into_request().and_then(runtime::build) #documented)
                }
            }
        }
        Pagination::Cursor {
            item,
            items,
            has_more,
            id,
            param,
        } => {
            let item = tokens(item, Scope::Outside);
            let (items_f, more_f, id_f, param) = (
                format_ident!("{}", items.field),
                format_ident!("{}", has_more.field),
                format_ident!("{}", id.field),
                format_ident!("{}", param),
            );
            let items_expr = if items.optional {
                quote!(page.#items_f.unwrap_or_default())
            } else {
                quote!(page.#items_f)
            };
            let more_expr = if has_more.optional {
                quote!(page.#more_f.unwrap_or(false))
            } else {
                quote!(page.#more_f)
            };
            let id_expr = if id.optional {
                quote!(item.#id_f.clone())
            } else {
                quote!(Some(item.#id_f.clone()))
            };
            let setter = format!(
                " Every item of every page: while the server says there are more, asks for the next page with `{param}` set to the last item's id."
            );
            quote! {
                #[doc = #setter]
                pub fn stream(self) -> std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<#item, Error>> + Send + 'a>> {
                    runtime::cursor_pages(
                        self,
                        |builder, cursor| builder.#param(cursor),
                        |page| (#items_expr, #more_expr),
                        |item| #id_expr,
                    )
                }
            }
        }
    }
}

/// `stream()` of a streamed response: asks for the stream (`Accept`, and
/// the body's flag) and yields its items as they arrive.
fn streamed(op: &Operation, s: &Stream, check: Option<&TokenStream>) -> TokenStream {
    let item = tokens(&s.item, Scope::Outside);
    let media = &s.media;
    let body_required = op.body.as_ref().is_some_and(|b| b.required);
    let flag = s.flag.as_ref().map(|f| {
        let field = format_ident!("{}", f.field);
        let value = if f.optional {
            quote!(Some(true))
        } else {
            quote!(true)
        };
        if body_required {
            quote!(builder.body.#field = #value;)
        } else {
            quote! {
                if let Some(body) = &mut builder.body {
                    body.#field = #value;
                }
            }
        }
    });
    let (builder, request) = if flag.is_some() {
        (quote!(let mut builder = self;), quote!(builder))
    } else {
        (quote!(), quote!(self))
    };
    let start = quote! {
        let request = #request
            .into_request()
            .map(|request| request.header(reqwest::header::ACCEPT, #media));
        let start = async move {
            let response = request?.send().await.map_err(runtime::transport)?;
            #check
            runtime::success(response).await
        };
    };
    let asks = if s.flag.is_some() {
        format!(
            " Asks for the `{media}` form of the response (`Accept`, and the body's `stream` set to `true`)"
        )
    } else {
        format!(" Asks for the `{media}` form of the response (`Accept`)")
    };
    match s.format {
        StreamFormat::Sse => {
            let doc = format!(
                "{asks} and yields its events as they arrive, each event's `data` decoded. An error before the stream starts (a status included) is the stream's only item; an event that does not decode is an error item and the stream goes on; a transport error ends it; so does a `[DONE]` event."
            );
            quote! {
                #[doc = #doc]
                pub fn stream(self) -> runtime::EventStream<#item> {
                    #builder
                    #flag
                    #start
                    runtime::sse(start)
                }
            }
        }
        StreamFormat::JsonLines | StreamFormat::JsonSeq => {
            let (separator, what) = if s.format == StreamFormat::JsonLines {
                (quote!(b'\n'), "line")
            } else {
                (quote!(0x1e), "record")
            };
            let doc = format!(
                "{asks} and yields its items as they arrive, one per {what}. An error before the stream starts (a status included) is the stream's only item; a {what} that does not decode is an error item naming its number and the stream goes on; a transport error ends it."
            );
            quote! {
                #[doc = #doc]
                pub fn stream(self) -> runtime::ItemStream<#item> {
                    #builder
                    #flag
                    #start
                    runtime::json_lines(start, #separator)
                }
            }
        }
    }
}

fn send_body(model: &Model, op: &Operation) -> (TokenStream, TokenStream) {
    let snapshot = op
        .reads_client()
        .then(|| quote!(let defaults = self.client.params();));
    let authorize = (!op.security.is_empty()).then(|| {
        let alternatives = op.security.iter().map(|alt| {
            let schemes = alt.iter().filter_map(|i| {
                let v = format_ident!("{}", model.credential(*i)?.variant);
                Some(quote!(crate::client::Scheme::#v))
            });
            quote!(&[ #( #schemes ),* ])
        });
        quote!(request = defaults.authorize(request, &[ #( #alternatives ),* ]);)
    });
    let segments = op.segments.iter().map(|seg| segment(op, seg));
    let http_method = match &op.method {
        // Lowering took only RFC 9110 tokens, which `from_bytes` accepts:
        // the default is never used.
        Method::Other(m) => {
            let bytes = proc_macro2::Literal::byte_string(m.as_bytes());
            quote!(reqwest::Method::from_bytes(#bytes).unwrap_or_default())
        }
        m => {
            let m = format_ident!("{}", m.as_str());
            quote!(reqwest::Method::#m)
        }
    };
    let headers = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Header)
        .map(|p| header(model, p));
    let queries = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .map(query);
    let cookies: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Cookie)
        .collect();
    let cookie = (!cookies.is_empty()).then(|| cookie_header(&cookies));
    let body = op.body.as_ref().map(|b| {
        let ct = &b.content_type;
        if let BodyKind::Multipart(parts) = &b.kind {
            return multipart(parts, b.required);
        }
        if let BodyKind::Form { indexed } = &b.kind {
            let set = |v: TokenStream| quote!(request = runtime::form(request, #v, &[ #( #indexed ),* ]););
            return if b.required {
                set(quote!(&self.body))
            } else {
                let s = set(quote!(body));
                quote! {
                    if let Some(body) = &self.body {
                        #s
                    }
                }
            };
        }
        // JSON serialises a reference; raw bodies move the value.
        let (by_ref, set): (bool, fn(TokenStream, &String) -> TokenStream) = match b.kind {
            BodyKind::Json => (true, |v, _| quote!(request = request.json(#v);)),
            BodyKind::Form { .. } => (true, |_, _| quote!()),
            BodyKind::Multipart(_) => (false, |_, _| quote!()),
            BodyKind::Text | BodyKind::Bytes => (false, |v, ct| {
                quote! {
                    request = request.header(reqwest::header::CONTENT_TYPE, #ct).body(#v);
                }
            }),
            BodyKind::EmptyObject => (
                true,
                |_, _| quote!(request = request.json(&serde_json::Map::new());),
            ),
        };
        if b.kind == BodyKind::EmptyObject {
            set(quote!(), ct)
        } else if b.required {
            set(
                if by_ref {
                    quote!(&self.body)
                } else {
                    quote!(self.body)
                },
                ct,
            )
        } else {
            let s = set(quote!(body), ct);
            let pattern = if by_ref {
                quote!(&self.body)
            } else {
                quote!(self.body)
            };
            quote! {
                if let Some(body) = #pattern {
                    #s
                }
            }
        }
    });
    let decode = match &op.response.kind {
        ResponseKind::Json(_) => quote!(runtime::json),
        ResponseKind::Enveloped(_) => quote!(runtime::enveloped),
        ResponseKind::Text => quote!(runtime::text),
        ResponseKind::Bytes => quote!(runtime::bytes),
        ResponseKind::Empty => quote!(runtime::empty),
    };
    let mutable_request = !op.params.iter().all(|p| p.location == ParamLocation::Path)
        || op.body.is_some()
        || authorize.is_some();
    let start = quote! {
        runtime::apply(
            self.client.http_client().request(#http_method, url),
            self.options,
        )
    };
    let build = if mutable_request {
        quote! {
            let mut request = #start;
            #authorize
            #( #headers )*
            #( #queries )*
            #cookie
            #body
            Ok(request)
        }
    } else {
        quote!(Ok(#start))
    };
    let request = quote! {
        #snapshot
        let mut url = self.client.base_url().clone();
        runtime::push_path(&mut url, &[ #( #segments ),* ])?;
        #build
    };
    (request, decode)
}

fn segment(op: &Operation, parts: &[PathPart]) -> TokenStream {
    let pieces: Vec<TokenStream> = parts
        .iter()
        .map(|part| match part {
            PathPart::Literal(s) => quote!(String::from(#s)),
            PathPart::Param(i) => match op.param(*i) {
                Some(p) => {
                    let ident = format_ident!("{}", p.name.rust);
                    quote!(runtime::to_param(&self.#ident))
                }
                None => quote!(String::new()),
            },
        })
        .collect();
    if pieces.len() == 1 {
        let p = &pieces[0];
        quote!(#p)
    } else {
        quote!([ #( #pieces ),* ].concat())
    }
}

/// The value of a parameter as `Option<String>`, or `String` when required
/// (a missing client-level value is an error before anything is sent).
fn value(model: &Model, p: &Param) -> (TokenStream, bool) {
    let ident = format_ident!("{}", p.name.rust);
    let wire = &p.name.wire;
    match p.client.and_then(|i| model.client_param(i)) {
        Some(cp) => {
            let field = format_ident!("{}", cp.name.rust);
            let fallback = match cp.default {
                Some(ParamDefault::Uuid) => {
                    quote!(.or_else(|| Some(uuid::Uuid::new_v4().to_string())))
                }
                _ => quote!(),
            };
            let own = if p.converted() {
                quote!(self.#ident.map(|v| runtime::to_param(&v)))
            } else {
                quote!(self.#ident)
            };
            let opt = quote!(#own.or(defaults.#field)#fallback);
            if p.required {
                (quote!(runtime::required(#wire, #opt)?), true)
            } else {
                (opt, false)
            }
        }
        None if p.required => (quote!(runtime::to_param(&self.#ident)), true),
        None => (quote!(self.#ident.as_ref().map(runtime::to_param)), false),
    }
}

fn header(model: &Model, p: &Param) -> TokenStream {
    let wire = &p.name.wire;
    let (v, required) = value(model, p);
    if required {
        quote!(request = request.header(#wire, #v);)
    } else {
        quote!(request = runtime::header(request, #wire, #v);)
    }
}

fn query(p: &Param) -> TokenStream {
    let wire = &p.name.wire;
    let ident = format_ident!("{}", p.name.rust);
    let value = if p.required {
        quote!(Some(&self.#ident))
    } else {
        quote!(self.#ident.as_ref())
    };
    match p.style {
        QueryStyle::Form => quote!(request = runtime::query(request, #wire, #value);),
        QueryStyle::List { explode, delimiter } => {
            let values = if p.required {
                quote!(Some(self.#ident.as_slice()))
            } else {
                quote!(self.#ident.as_deref())
            };
            let delimiter = delimiter.to_string();
            quote!(request = runtime::query_list(request, #wire, #values, #explode, #delimiter);)
        }
        QueryStyle::DeepObject => {
            quote!(request = runtime::query_deep(request, #wire, #value);)
        }
        QueryStyle::Properties => {
            quote!(request = runtime::query_properties(request, #value);)
        }
        QueryStyle::Joined { delimiter } => {
            quote!(request = runtime::query_joined(request, #wire, #value, #delimiter);)
        }
        QueryStyle::Json => quote!(request = runtime::query_json(request, #wire, #value);),
    }
}

/// A multipart body: one part per field of the body struct.
fn multipart(parts: &[FormPart], required: bool) -> TokenStream {
    let parts = parts.iter().map(|part| {
        let wire = &part.name.wire;
        let field = format_ident!("{}", part.name.rust);
        // A part with a content type: `mime_str` parses it (the spec's
        // text), failing the request rather than the program.
        let typed = |part: TokenStream, ct: &str| {
            quote! {
                let part = #part.mime_str(#ct).map_err(Error::Transport)?;
                form = form.part(#wire, part);
            }
        };
        let ct = part.content_type.as_deref();
        let add = match (part.kind, ct) {
            (PartKind::Text, None) => quote!(form = form.text(#wire, runtime::to_param(&value));),
            (PartKind::Text, Some(ct)) => typed(
                quote!(reqwest::multipart::Part::text(runtime::to_param(&value))),
                ct,
            ),
            (PartKind::File, None) => quote! {
                form = form.part(#wire, reqwest::multipart::Part::bytes(value).file_name(#wire));
            },
            (PartKind::File, Some(ct)) => typed(
                quote!(reqwest::multipart::Part::bytes(value).file_name(#wire)),
                ct,
            ),
            (PartKind::TextFile, None) => quote! {
                form = form.part(#wire, reqwest::multipart::Part::bytes(value.into_bytes()).file_name(#wire));
            },
            (PartKind::TextFile, Some(ct)) => typed(
                quote!(reqwest::multipart::Part::bytes(value.into_bytes()).file_name(#wire)),
                ct,
            ),
            // OpenAPI's default for an object part: `application/json`.
            (PartKind::Json, ct) => typed(
                quote!(reqwest::multipart::Part::text(serde_json::to_string(&value).unwrap_or_default())),
                ct.unwrap_or("application/json"),
            ),
        };
        match (part.optional, part.repeated) {
            (false, false) => quote! {
                let value = body.#field;
                #add
            },
            (true, false) => quote! {
                if let Some(value) = body.#field {
                    #add
                }
            },
            (false, true) => quote! {
                for value in body.#field {
                    #add
                }
            },
            (true, true) => quote! {
                for value in body.#field.into_iter().flatten() {
                    #add
                }
            },
        }
    });
    let build = quote! {
        let mut form = reqwest::multipart::Form::new();
        #( #parts )*
        request = request.multipart(form);
    };
    if required {
        quote! {
            let body = self.body;
            #build
        }
    } else {
        quote! {
            if let Some(body) = self.body {
                #build
            }
        }
    }
}

fn cookie_header(params: &[&Param]) -> TokenStream {
    let parts = params.iter().map(|p| {
        let wire = &p.name.wire;
        let ident = format_ident!("{}", p.name.rust);
        if p.required {
            quote!(cookies.push(format!("{}={}", #wire, runtime::to_param(&self.#ident)));)
        } else {
            quote! {
                if let Some(value) = &self.#ident {
                    cookies.push(format!("{}={}", #wire, runtime::to_param(value)));
                }
            }
        }
    });
    quote! {
        let mut cookies: Vec<String> = Vec::new();
        #( #parts )*
        if !cookies.is_empty() {
            request = request.header(reqwest::header::COOKIE, cookies.join("; "));
        }
    }
}
