//! `error.rs` and `runtime.rs`: the parts of every client that do not depend
//! on the API (error type, URL building, decoding).

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Model, ResponseKind, Ty};

pub fn error() -> TokenStream {
    quote! {
        //! The error type of every operation.

        use std::fmt;

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
            /// The server answered with a status that is not a success.
            Status {
                status: u16,
                /// The start of the response body (at most 1 KiB).
                body: String,
            },
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
                    Error::Status { status, .. } | Error::Decode { status, .. } => Some(*status),
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
                    Error::Status { status, body } => {
                        write!(f, "server answered {status}: {body}")
                    }
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
                    _ => None,
                }
            }
        }
    }
}

pub fn helpers(model: &Model) -> TokenStream {
    let kinds: Vec<&ResponseKind> = model.operations.iter().map(|o| &o.response.kind).collect();
    let any = |f: fn(&ResponseKind) -> bool| kinds.iter().any(|k| f(k));
    let needs_required = model
        .operations
        .iter()
        .flat_map(|o| &o.params)
        .any(|p| p.required && p.client.is_some());
    let required = needs_required.then(|| quote! {
        /// A required parameter's value, or the error naming it.
        pub(crate) fn required(name: &'static str, value: Option<String>) -> Result<String, Error> {
            value.ok_or(Error::MissingParameter { name })
        }
    });
    let json = any(|k| matches!(k, ResponseKind::Json(_))).then(|| quote! {
        /// Decodes a JSON body.
        pub(crate) async fn json<T: serde::de::DeserializeOwned>(response: reqwest::Response) -> Result<T, Error> {
            let (status, body) = read(response).await?;
            serde_json::from_slice(&body).map_err(|e| Error::Decode {
                status,
                message: e.to_string(),
                body: snippet(&body),
            })
        }
    });
    let text = any(|k| matches!(k, ResponseKind::Text)).then(|| quote! {
        /// Decodes a text body.
        pub(crate) async fn text(response: reqwest::Response) -> Result<String, Error> {
            let (status, body) = read(response).await?;
            String::from_utf8(body).map_err(|e| Error::Decode {
                status,
                message: e.to_string(),
                body: snippet(e.as_bytes()),
            })
        }
    });
    let bytes = any(|k| matches!(k, ResponseKind::Bytes)).then(|| quote! {
        /// Returns a body as bytes.
        pub(crate) async fn bytes(response: reqwest::Response) -> Result<Vec<u8>, Error> {
            read(response).await.map(|(_, body)| body)
        }
    });
    let empty = any(|k| matches!(k, ResponseKind::Empty)).then(|| quote! {
        /// Checks the status of a response whose body is not used.
        pub(crate) async fn empty(response: reqwest::Response) -> Result<(), Error> {
            read(response).await.map(|_| ())
        }
    });
    if model.operations.is_empty() {
        return quote! {
            //! Helpers shared by the request builders (this API has no operations).
        };
    }
    // Client-level string values are sent as they are; everything else
    // goes through `to_param`.
    let needs_to_param = model
        .operations
        .iter()
        .flat_map(|o| &o.params)
        .any(|p| !(p.client.is_some() && p.ty == Ty::String));
    let to_param = needs_to_param.then(|| quote! {
        /// A parameter value as text: strings as they are, anything else as JSON.
        pub(crate) fn to_param<T: serde::Serialize + ?Sized>(value: &T) -> String {
            match serde_json::to_value(value) {
                Ok(serde_json::Value::String(s)) => s,
                Ok(other) => other.to_string(),
                Err(_) => String::new(),
            }
        }
    });
    quote! {
        //! Helpers shared by the request builders.

        use crate::Error;

        /// How much of a body an error keeps.
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

        /// The start of a body, as text, for error messages.
        fn snippet(body: &[u8]) -> String {
            let cut = &body[..body.len().min(SNIPPET_LIMIT)];
            let mut text = String::from_utf8_lossy(cut).into_owned();
            if body.len() > SNIPPET_LIMIT {
                text.push('…');
            }
            text
        }

        /// Reads the body; a status that is not a success is an error.
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

        #json
        #text
        #bytes
        #empty
    }
}
