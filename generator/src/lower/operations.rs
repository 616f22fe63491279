//! Paths → operations: names, parameters, bodies and responses.

use std::collections::BTreeMap;

use openapiv3::{
    MediaType, Operation as OaOperation, Parameter, ParameterSchemaOrContent, PathItem,
    ReferenceOr, RequestBody, Response as OaResponse, SchemaKind, StatusCode, Type,
};

use crate::config::Config;
use crate::diag::{Diagnostics, escape_token};
use crate::lower::docs;
use crate::lower::types::TypeSpace;
use crate::media;
use crate::merge::Api;
use crate::model::{
    Body, BodyKind, FormPart, Method, Operation, Param, ParamId, ParamLocation, PartKind, PathPart,
    QueryStyle, Response, ResponseKind, Stream, StreamFormat, Ty, Untyped,
};
use crate::naming::{self, Name, Scope};

/// An operation as found in the spec, before naming.
pub struct Found<'a> {
    pub path: &'a str,
    pub method: Method,
    pub item: &'a PathItem,
    pub op: &'a OaOperation,
    pub ptr: String,
}

/// Every operation of the API, in (path, method) order.
pub fn find<'a>(api: &'a Api, diags: &mut Diagnostics) -> Vec<Found<'a>> {
    let mut out = Vec::new();
    for (path, item) in api.openapi.paths.paths.iter() {
        let item = match item {
            ReferenceOr::Item(i) => i,
            ReferenceOr::Reference { reference } => {
                diags.warning(
                    format!("path item `$ref: {reference}` is not supported; operations under it are skipped"),
                    Some(api.locate(&format!("/paths/{}", escape_token(path)))),
                );
                continue;
            }
        };
        let methods = [
            (Method::Get, &item.get),
            (Method::Put, &item.put),
            (Method::Post, &item.post),
            (Method::Delete, &item.delete),
            (Method::Options, &item.options),
            (Method::Head, &item.head),
            (Method::Patch, &item.patch),
            (Method::Trace, &item.trace),
        ];
        for (method, op) in methods {
            if let Some(op) = op {
                let ptr = format!(
                    "/paths/{}/{}",
                    escape_token(path),
                    method.as_str().to_ascii_lowercase()
                );
                out.push(Found {
                    path,
                    method,
                    item,
                    op,
                    ptr,
                });
            }
        }
    }
    for extra in &api.extra_operations {
        let Some(ReferenceOr::Item(item)) = api.openapi.paths.paths.get(&extra.path) else {
            continue;
        };
        out.push(Found {
            path: &extra.path,
            method: Method::Other(extra.method.clone()),
            item,
            op: &extra.op,
            ptr: format!(
                "/paths/{}/{}",
                escape_token(&extra.path),
                escape_token(&extra.key)
            ),
        });
    }
    out.sort_by(|a, b| (a.path, &a.method).cmp(&(b.path, &b.method)));
    out
}

/// Generic verbs that say nothing about what an operation is.
const FILLER_WORDS: &[&str] = &[
    "get", "set", "list", "create", "update", "delete", "remove", "add", "post", "put", "patch",
    "fetch", "find", "query", "new", "by", "all", "of", "for", "the", "a", "an", "to", "and",
    "with", "from", "in", "on", "api", "v1", "v2", "id",
];

/// Decides method names for all operations, in a deterministic order: names
/// from the config first, then from `operationId`, then from the path.
pub fn names(
    api: &Api,
    found: &[Found<'_>],
    config: &Config,
    reserved: &[&str],
    diags: &mut Diagnostics,
) -> Vec<Name> {
    let mut scope = Scope::with_reserved(reserved);
    let mut chosen: Vec<Option<Name>> = vec![None; found.len()];
    // Pass 1: configured names are claimed first so derived names yield to them.
    for (i, f) in found.iter().enumerate() {
        let configured = config
            .operation(f.op.operation_id.as_deref(), f.method.as_str(), f.path)
            .and_then(|c| c.name.clone());
        if let Some(name) = configured {
            chosen[i] = Some(Name {
                wire: wire_name(f),
                rust: scope.claim(&naming::snake(&name, "operation")),
            });
        }
    }
    // Pass 2: operationId, or a name from the path.
    let mut derived: Vec<(usize, String)> = Vec::new();
    for (i, f) in found.iter().enumerate() {
        if chosen[i].is_some() {
            continue;
        }
        if let Some(id) = &f.op.operation_id {
            check_operation_id(api, f, id, diags);
        }
        derived.push((i, derived_name(f)));
    }
    // A path-derived name used twice gets the method in front before numbering.
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, n) in &derived {
        *counts.entry(n.as_str()).or_default() += 1;
    }
    let mut resolved: Vec<(usize, String)> = derived
        .iter()
        .map(|(i, n)| {
            let f = &found[*i];
            if counts.get(n.as_str()).copied().unwrap_or(0) > 1 && f.op.operation_id.is_none() {
                (
                    *i,
                    naming::snake(&format!("{} {n}", f.method.as_str()), "operation"),
                )
            } else {
                (*i, n.clone())
            }
        })
        .collect();
    resolved.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    for (i, n) in resolved {
        chosen[i] = Some(Name {
            wire: wire_name(&found[i]),
            rust: scope.claim(&n),
        });
    }
    chosen
        .into_iter()
        .zip(found)
        .map(|(n, f)| {
            n.unwrap_or_else(|| Name {
                wire: wire_name(f),
                rust: "operation".into(),
            })
        })
        .collect()
}

fn wire_name(f: &Found<'_>) -> String {
    match &f.op.operation_id {
        Some(id) => id.clone(),
        None => format!("{} {}", f.method.as_str(), f.path),
    }
}

/// `operationId` in snake case, or a name from the path: the last literal
/// segment (after its last `.`, for RPC-style paths), prefixed with the HTTP
/// method unless the segment itself is an action (`switchAccount`).
fn derived_name(f: &Found<'_>) -> String {
    if let Some(id) = &f.op.operation_id {
        return naming::snake(id, "operation");
    }
    let segments: Vec<&str> = f.path.split('/').filter(|s| !s.is_empty()).collect();
    let last_literal = segments.iter().rev().find(|s| !s.contains('{'));
    let ends_with_param = segments.last().is_some_and(|s| s.contains('{'));
    let base = last_literal
        .map(|s| s.rsplit('.').next().unwrap_or(s))
        .unwrap_or("root");
    let action =
        last_literal.is_some_and(|s| s.contains('.') || s.chars().any(|c| c.is_ascii_uppercase()));
    let method = f.method.as_str().to_ascii_lowercase();
    let mut name = if f.method == Method::Post && action && !ends_with_param {
        base.to_owned()
    } else {
        format!("{method} {base}")
    };
    if ends_with_param {
        let params: Vec<&str> = segments
            .iter()
            .filter(|s| s.contains('{'))
            .map(|s| s.trim_matches(|c| c == '{' || c == '}'))
            .collect();
        if let Some(p) = params.last() {
            name.push_str(" by ");
            name.push_str(p);
        }
    }
    naming::snake(&name, "operation")
}

/// Warns when an `operationId` shares no meaningful word with the path or
/// summary: usually a copy-paste from another endpoint.
fn check_operation_id(api: &Api, f: &Found<'_>, id: &str, diags: &mut Diagnostics) {
    let meaningful = |w: &String| !FILLER_WORDS.contains(&w.as_str());
    let id_words: Vec<String> = naming::words(id).into_iter().filter(meaningful).collect();
    if id_words.is_empty() {
        return;
    }
    let shares = |context: Vec<String>| {
        id_words.iter().any(|w| {
            context.iter().any(|c| {
                c == w
                    || (w.len() > 3 && c.starts_with(w.as_str()))
                    || (c.len() > 3 && w.starts_with(c.as_str()))
            })
        })
    };
    // The path usually settles it; the prose is split only when it does not.
    let shared = [
        Some(f.path),
        f.op.summary.as_deref(),
        f.op.description.as_deref(),
    ]
    .into_iter()
    .flatten()
    .any(|text| shares(naming::words(text)));
    if !shared {
        diags.warning(
            format!(
                "operationId `{id}` shares no word with `{} {}` or its summary; it may be copied from another endpoint (rename it in the generator config)",
                f.method.as_str(),
                f.path
            ),
            Some(api.locate(&format!("{}/operationId", f.ptr))),
        );
    }
}

/// Resolves a `$ref` to a component of the given kind.
pub(super) fn component<'a, T>(
    items: Option<&'a indexmap::IndexMap<String, ReferenceOr<T>>>,
    kind: &str,
    value: &'a ReferenceOr<T>,
) -> Option<&'a T> {
    let mut current = value;
    for _ in 0..16 {
        match current {
            ReferenceOr::Item(t) => return Some(t),
            ReferenceOr::Reference { reference } => {
                let token = reference.strip_prefix(&format!("#/components/{kind}/"))?;
                let wire = token.replace("~1", "/").replace("~0", "~");
                current = items?.get(&wire)?;
            }
        }
    }
    None
}

/// Lowers one operation (its name already decided).
#[allow(clippy::too_many_arguments)]
pub fn lower(
    api: &Api,
    f: &Found<'_>,
    name: Name,
    builder: String,
    envelope_data: Option<&str>,
    types: &mut TypeSpace<'_>,
    diags: &mut Diagnostics,
) -> Operation {
    let components = api.openapi.components.as_ref();
    // Path-level parameters, overridden by operation-level ones.
    let mut raw: Vec<(&Parameter, String)> = Vec::new();
    let sources = [
        (
            &f.item.parameters,
            format!("/paths/{}/parameters", escape_token(f.path)),
        ),
        (&f.op.parameters, format!("{}/parameters", f.ptr)),
    ];
    for (list, base) in sources {
        for (i, p) in list.iter().enumerate() {
            let ptr = format!("{base}/{i}");
            match component(components.map(|c| &c.parameters), "parameters", p) {
                Some(p) => {
                    let data = p.parameter_data_ref();
                    raw.retain(|(q, _)| {
                        !(q.parameter_data_ref().name == data.name && same_location(q, p))
                    });
                    raw.push((p, ptr));
                }
                None => diags.warning(
                    "parameter `$ref` names no parameter; skipped",
                    Some(api.locate(&ptr)),
                ),
            }
        }
    }
    let mut scope = Scope::with_reserved(naming::BUILDER_MEMBERS);
    let mut params: Vec<Param> = Vec::new();
    for (p, ptr) in &raw {
        let data = p.parameter_data_ref();
        let (location, explode) = match p {
            Parameter::Path { .. } => (ParamLocation::Path, false),
            Parameter::Query { style, .. } => (
                ParamLocation::Query,
                data.explode
                    .unwrap_or(matches!(style, openapiv3::QueryStyle::Form)),
            ),
            Parameter::Header { .. } => (ParamLocation::Header, false),
            Parameter::Cookie { .. } => (ParamLocation::Cookie, false),
        };
        let hint = format!("{builder}{}", naming::pascal(&data.name, "Param"));
        let ty = match &data.format {
            ParameterSchemaOrContent::Schema(s) => types.ty_of(
                s.into(),
                &builder,
                &data.name,
                &format!("{ptr}/schema"),
                diags,
            ),
            ParameterSchemaOrContent::Content(c) => match c.iter().min_by(|a, b| a.0.cmp(b.0)) {
                Some((_, media)) => match &media.schema {
                    Some(s) => types.ty(s.into(), &hint, &format!("{ptr}/content"), diags),
                    None => Ty::String,
                },
                None => Ty::String,
            },
        };
        let ty = match ty {
            Ty::Option(inner) => *inner,
            t => t,
        };
        let style = match p {
            Parameter::Query { .. } if json_content(&data.format) => QueryStyle::Json,
            Parameter::Query { style, .. } => query_style(
                style,
                explode,
                types.is_object(&ty),
                matches!(ty, Ty::Vec(_)),
            ),
            _ => QueryStyle::Form,
        };
        let style = if data.extensions.contains_key(crate::normalize::QUERYSTRING) {
            querystring_style(api, data, types.is_object(&ty), ptr, diags)
        } else {
            style
        };
        params.push(Param {
            name: Name {
                wire: data.name.clone(),
                rust: scope.claim(&naming::snake(&data.name, "param")),
            },
            location,
            ty,
            required: data.required || location == ParamLocation::Path,
            doc: docs::doc(&[data.description.as_deref(), param_default(data).as_deref()]),
            style,
            client: None,
            secret: false,
            pointer: Some(ptr.clone()),
        });
    }
    let segments = path_segments(api, f, &mut params, &mut scope, diags);
    let body = f.op.request_body.as_ref().and_then(|b| {
        let ptr = format!("{}/requestBody", f.ptr);
        match component(components.map(|c| &c.request_bodies), "requestBodies", b) {
            Some(b) => request_body(b, &builder, &ptr, types, diags),
            None => {
                diags.warning(
                    "request body `$ref` names no request body; skipped",
                    Some(api.locate(&ptr)),
                );
                None
            }
        }
    });
    let response =
        match envelope_data.and_then(|data| enveloped(api, f, data, &builder, types, diags)) {
            Some(r) => r,
            None => response(api, f, &builder, types, diags),
        };
    let doc = operation_doc(f, &params);
    Operation {
        name,
        builder,
        method: f.method.clone(),
        path: f.path.to_owned(),
        segments,
        doc,
        params,
        body,
        response,
        errors: Vec::new(),
        group: None,
        pagination: None,
        security: Vec::new(),
        pointer: f.ptr.clone(),
    }
}

/// How 3.2's `querystring` parameter (the whole query string) is written:
/// an object as `application/x-www-form-urlencoded` is its properties as
/// `key=value` pairs (nested the way form bodies are, `QueryStyle::Properties`);
/// anything else is sent as one `name=value` pair, with a warning.
fn querystring_style(
    api: &Api,
    data: &openapiv3::ParameterData,
    object: bool,
    ptr: &str,
    diags: &mut Diagnostics,
) -> QueryStyle {
    let media = match &data.format {
        ParameterSchemaOrContent::Content(c) => c.keys().min().cloned(),
        ParameterSchemaOrContent::Schema(_) => None,
    };
    let form = media
        .as_deref()
        .is_some_and(|m| media::essence(m) == "application/x-www-form-urlencoded");
    if form && object {
        return QueryStyle::Properties;
    }
    let why = match (&media, form) {
        (Some(_), true) => "its schema is not an object".to_owned(),
        (Some(m), false) => format!("`{m}` query strings are not supported"),
        (None, _) => "it has no `content`".to_owned(),
    };
    diags.warning(
        format!(
            "`querystring` parameter `{}`: {why}; it is sent as one `{}=value` pair",
            data.name, data.name
        ),
        Some(api.locate(ptr)),
    );
    QueryStyle::Form
}

/// How a query parameter is written: objects by `deepObject` brackets, as
/// their own properties (`form` + `explode`) or as one pair of properties
/// and values joined by the style's delimiter (without `explode`); lists
/// a pair per item when exploded, else one pair joined by the style's
/// delimiter (commas for `form`). Anything else (a
/// scalar; an object with an exploded delimited style, which the
/// specification leaves undefined) is sent as text, objects as JSON.
fn query_style(
    style: &openapiv3::QueryStyle,
    explode: bool,
    object: bool,
    list: bool,
) -> QueryStyle {
    use openapiv3::QueryStyle as S;
    match (style, object, explode) {
        (S::DeepObject, _, _) => QueryStyle::DeepObject,
        (S::Form, true, true) => QueryStyle::Properties,
        (S::Form, true, false) => QueryStyle::Joined { delimiter: ',' },
        (S::SpaceDelimited, true, false) => QueryStyle::Joined { delimiter: ' ' },
        (S::PipeDelimited, true, false) => QueryStyle::Joined { delimiter: '|' },
        (S::SpaceDelimited, false, false) if list => QueryStyle::List {
            explode: false,
            delimiter: ' ',
        },
        (S::PipeDelimited, false, false) if list => QueryStyle::List {
            explode: false,
            delimiter: '|',
        },
        _ if list => QueryStyle::List {
            explode,
            delimiter: ',',
        },
        _ => QueryStyle::Form,
    }
}

/// Whether a parameter is given by `content` whose media type is JSON: its
/// value is then JSON text, whatever `style` would say of its type.
/// (The media type read is the one whose schema gives the type: the first
/// by name.)
fn json_content(format: &ParameterSchemaOrContent) -> bool {
    match format {
        ParameterSchemaOrContent::Content(c) => c
            .keys()
            .min()
            .is_some_and(|media| is_json(media) && !media.contains('*')),
        ParameterSchemaOrContent::Schema(_) => false,
    }
}

/// The documented default of a parameter given by an inline schema.
fn param_default(data: &openapiv3::ParameterData) -> Option<String> {
    match &data.format {
        ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => {
            s.schema_data.default.as_ref().and_then(docs::default_value)
        }
        _ => None,
    }
}

fn same_location(a: &Parameter, b: &Parameter) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// Splits the path template into segments of literals and parameters;
/// template variables without a declared parameter become string parameters.
fn path_segments(
    api: &Api,
    f: &Found<'_>,
    params: &mut Vec<Param>,
    scope: &mut Scope,
    diags: &mut Diagnostics,
) -> Vec<Vec<PathPart>> {
    let mut segments = Vec::new();
    for segment in f.path.split('/').filter(|s| !s.is_empty()) {
        let mut parts = Vec::new();
        let mut rest = segment;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                break;
            };
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_owned()));
            }
            let var = &rest[open + 1..close];
            let index = match params
                .iter()
                .position(|p| p.location == ParamLocation::Path && p.name.wire == var)
            {
                Some(i) => i,
                None => {
                    diags.warning(
                        format!("path parameter `{var}` is not declared; taking it as a string"),
                        Some(api.locate(&f.ptr)),
                    );
                    params.push(Param {
                        name: Name {
                            wire: var.to_owned(),
                            rust: scope.claim(&naming::snake(var, "param")),
                        },
                        location: ParamLocation::Path,
                        ty: Ty::String,
                        required: true,
                        doc: None,
                        style: QueryStyle::Form,
                        client: None,
                        secret: false,
                        pointer: None,
                    });
                    params.len() - 1
                }
            };
            parts.push(PathPart::Param(ParamId(index)));
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_owned()));
        }
        segments.push(parts);
    }
    // Declared path parameters that the template does not use are dropped.
    let used: Vec<usize> = segments
        .iter()
        .flatten()
        .filter_map(|p| match p {
            PathPart::Param(i) => Some(i.0),
            PathPart::Literal(_) => None,
        })
        .collect();
    let keep: Vec<bool> = params
        .iter()
        .enumerate()
        .map(|(i, p)| p.location != ParamLocation::Path || used.contains(&i))
        .collect();
    if keep.iter().any(|k| !k) {
        let mut remap = vec![0usize; params.len()];
        let mut next = 0;
        for (i, k) in keep.iter().enumerate() {
            remap[i] = next;
            if *k {
                next += 1;
            }
        }
        let mut i = 0;
        params.retain(|_| {
            let k = keep[i];
            i += 1;
            k
        });
        for part in segments.iter_mut().flatten() {
            if let PathPart::Param(p) = part {
                p.0 = remap.get(p.0).copied().unwrap_or(p.0);
            }
        }
    }
    segments
}

/// JSON, or a wildcard a JSON value may be sent as.
pub(super) fn is_json(media: &str) -> bool {
    let m = media::essence(media);
    media::is_json(&m) || m == "*/*" || m == "application/*"
}

/// Picks the content type to use from a content map: JSON first.
/// The choice does not depend on the order of the map's keys: by kind, then
/// `application/json` itself, then by name.
pub(super) fn pick_content(
    content: &indexmap::IndexMap<String, MediaType>,
) -> Option<(&String, &MediaType)> {
    let rank = |k: &str| {
        let lower = k.to_ascii_lowercase();
        if is_json(&lower) && lower != "*/*" {
            if media::essence(&lower) == "application/json" {
                0
            } else {
                1
            }
        } else if is_json(&lower) {
            2
        } else if lower.starts_with("application/x-www-form-urlencoded") {
            3
        } else if lower.starts_with("multipart/form-data") {
            4
        } else if lower.starts_with("text/") {
            5
        } else {
            6
        }
    };
    content
        .iter()
        .min_by(|a, b| (rank(a.0), a.0).cmp(&(rank(b.0), b.0)))
}

fn is_empty_object(schema: Option<&ReferenceOr<openapiv3::Schema>>) -> bool {
    match schema {
        Some(ReferenceOr::Item(s)) => match &s.schema_kind {
            SchemaKind::Type(Type::Object(o)) => {
                o.properties.is_empty() && o.additional_properties.is_none()
            }
            _ => false,
        },
        _ => false,
    }
}

fn request_body(
    b: &RequestBody,
    builder: &str,
    ptr: &str,
    types: &mut TypeSpace<'_>,
    diags: &mut Diagnostics,
) -> Option<Body> {
    let (media, content) = pick_content(&b.content)?;
    let ptr = format!("{ptr}/content/{}", escape_token(media));
    let doc = docs::doc(&[b.description.as_deref()]);
    let lower = media.to_ascii_lowercase();
    let wildcard = media::essence(&lower).contains('*');
    let (kind, ty) = if is_json(&lower) && !(wildcard && is_binary(content.schema.as_ref(), types))
    {
        if is_empty_object(content.schema.as_ref()) {
            (BodyKind::EmptyObject, Ty::Json(Untyped::Any))
        } else {
            let ty = match &content.schema {
                Some(s) => types.ty(
                    s.into(),
                    &format!("{builder}Body"),
                    &format!("{ptr}/schema"),
                    diags,
                ),
                None => Ty::Json(Untyped::Any),
            };
            (BodyKind::Json, ty)
        }
    } else if lower.starts_with("application/x-www-form-urlencoded") {
        let ty = match &content.schema {
            Some(s) => types.ty(
                s.into(),
                &format!("{builder}Body"),
                &format!("{ptr}/schema"),
                diags,
            ),
            None => Ty::Map(Box::new(Ty::String)),
        };
        // Lists in `deepObject`-encoded properties are indexed.
        let mut indexed: Vec<String> = content
            .encoding
            .iter()
            .filter(|(_, e)| e.style == Some(openapiv3::QueryStyle::DeepObject))
            .map(|(k, _)| k.clone())
            .collect();
        indexed.sort();
        (BodyKind::Form { indexed }, ty)
    } else if lower.starts_with("multipart/form-data") {
        let ty = match &content.schema {
            Some(s) => types.multipart_ty(
                s.into(),
                &format!("{builder}Body"),
                &format!("{ptr}/schema"),
                diags,
            ),
            None => Ty::Json(Untyped::Any),
        };
        let binary = binary_properties(content.schema.as_ref(), types);
        match types.struct_fields(&ty) {
            Some(fields) => (
                BodyKind::Multipart(form_parts(fields, &binary, &content.encoding, types)),
                ty,
            ),
            None => {
                diags.warning(
                    "a multipart body whose schema is not an object with properties is taken as raw bytes (build the body yourself)",
                    Some(types.locate(&ptr)),
                );
                (BodyKind::Bytes, Ty::Bytes)
            }
        }
    } else if lower.starts_with("text/") {
        (BodyKind::Text, Ty::String)
    } else {
        (BodyKind::Bytes, Ty::Bytes)
    };
    let required_props = match &content.schema {
        Some(ReferenceOr::Item(s)) => matches!(&s.schema_kind, SchemaKind::Type(Type::Object(o)) if !o.required.is_empty()),
        Some(ReferenceOr::Reference { reference }) => types
            .resolve(reference)
            .is_some_and(|s| matches!(&s.schema_kind, SchemaKind::Type(Type::Object(o)) if !o.required.is_empty())),
        None => false,
    };
    // A wildcard (`*/*`, `image/*`) is no content type to send.
    let content_type = match (&kind, wildcard) {
        (BodyKind::Bytes, true) => "application/octet-stream".to_owned(),
        (BodyKind::Text, true) => "text/plain".to_owned(),
        _ => media.clone(),
    };
    Some(Body {
        kind,
        ty,
        // A body whose schema requires properties cannot usefully be left out.
        required: b.required || required_props,
        content_type,
        doc,
        pointer: format!("{ptr}/schema"),
    })
}

/// Whether a body schema is a `format: binary` string.
fn is_binary(schema: Option<&ReferenceOr<openapiv3::Schema>>, types: &TypeSpace<'_>) -> bool {
    let resolved = match schema {
        Some(ReferenceOr::Item(s)) => Some(s),
        Some(ReferenceOr::Reference { reference }) => types.resolve(reference),
        None => None,
    };
    resolved.is_some_and(|s| {
        matches!(&s.schema_kind, SchemaKind::Type(Type::String(t))
            if t.format == openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary))
    })
}

/// The properties (wire names) of an object schema that are `format:
/// binary` strings, or lists of them.
fn binary_properties(
    schema: Option<&ReferenceOr<openapiv3::Schema>>,
    types: &TypeSpace<'_>,
) -> Vec<String> {
    let resolved = match schema {
        Some(ReferenceOr::Item(s)) => Some(s),
        Some(ReferenceOr::Reference { reference }) => types.resolve(reference),
        None => None,
    };
    let Some(SchemaKind::Type(Type::Object(o))) = resolved.map(|s| &s.schema_kind) else {
        return Vec::new();
    };
    let is_binary = |s: &openapiv3::Schema| {
        matches!(&s.schema_kind, SchemaKind::Type(Type::String(t))
            if t.format == openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary))
    };
    o.properties
        .iter()
        .filter(|(_, p)| match p {
            ReferenceOr::Item(p) => {
                is_binary(p)
                    || matches!(&p.schema_kind, SchemaKind::Type(Type::Array(a))
                        if matches!(&a.items, Some(ReferenceOr::Item(i)) if is_binary(i)))
            }
            ReferenceOr::Reference { .. } => false,
        })
        .map(|(k, _)| k.clone())
        .collect()
}

/// One multipart part per field: bytes as files, lists as repeated parts,
/// scalars as text, anything else as JSON text.
fn form_parts(
    fields: &[crate::model::Field],
    binary: &[String],
    encoding: &indexmap::IndexMap<String, openapiv3::Encoding>,
    types: &TypeSpace<'_>,
) -> Vec<FormPart> {
    fields
        .iter()
        .map(|f| {
            let (inner, optional) = match &f.ty {
                Ty::Option(t) => (t.as_ref(), true),
                t => (t, false),
            };
            let (item, repeated) = match inner {
                Ty::Vec(t) => (t.as_ref(), true),
                t => (t, false),
            };
            let kind = match item {
                Ty::Bytes => PartKind::File,
                Ty::String if binary.contains(&f.name.wire) => PartKind::TextFile,
                t if types.is_object(t) => PartKind::Json,
                Ty::Vec(_) => PartKind::Json,
                _ => PartKind::Text,
            };
            FormPart {
                name: f.name.clone(),
                kind,
                optional,
                repeated,
                content_type: encoding
                    .get(&f.name.wire)
                    .and_then(|e| part_content_type(e.content_type.as_deref()?)),
            }
        })
        .collect()
}

/// A part's `encoding.contentType` when it names one concrete media type
/// (`type/subtype`, parameters allowed); lists (`image/png, image/jpeg`)
/// and wildcards leave the choice to the default.
fn part_content_type(content_type: &str) -> Option<String> {
    let ct = content_type.trim();
    let essence = ct.split(';').next().unwrap_or("").trim();
    let (kind, subtype) = essence.split_once('/')?;
    let token = |t: &str| {
        !t.is_empty()
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    (token(kind) && token(subtype) && !ct.contains(',')).then(|| ct.to_owned())
}

/// The response used as the success result: the first 2xx (by code) with
/// content, else `default` when there is no 2xx at all.
pub fn success_response<'a>(api: &'a Api, f: &Found<'a>) -> Option<(&'a OaResponse, String)> {
    let components = api.openapi.components.as_ref();
    let mut success: Vec<(u16, &ReferenceOr<OaResponse>, String)> = Vec::new();
    for (code, r) in f.op.responses.responses.iter() {
        let ptr = format!("{}/responses/{}", f.ptr, escape_token(&code.to_string()));
        match code {
            StatusCode::Code(c) if (200..300).contains(c) => success.push((*c, r, ptr)),
            StatusCode::Range(2) => success.push((299, r, ptr)),
            _ => {}
        }
    }
    success.sort_by_key(|(c, _, _)| *c);
    if success.is_empty()
        && let Some(d) = &f.op.responses.default
    {
        success.push((0, d, format!("{}/responses/default", f.ptr)));
    }
    success.into_iter().find_map(|(_, r, ptr)| {
        let r = component(components.map(|c| &c.responses), "responses", r)?;
        (!r.content.is_empty()).then_some((r, ptr))
    })
}

/// The JSON schema of the success response, with its pointer.
pub fn success_json_schema<'a>(
    api: &'a Api,
    f: &Found<'a>,
) -> Option<(&'a ReferenceOr<openapiv3::Schema>, String)> {
    let (r, ptr) = success_response(api, f)?;
    let (media, content) = pick_content(&r.content)?;
    if !is_json(media) {
        return None;
    }
    let schema = content.schema.as_ref()?;
    Some((
        schema,
        format!("{ptr}/content/{}/schema", escape_token(media)),
    ))
}

/// The response of an enveloped operation: the type of its `data` property.
fn enveloped(
    api: &Api,
    f: &Found<'_>,
    data: &str,
    builder: &str,
    types: &mut TypeSpace<'_>,
    diags: &mut Diagnostics,
) -> Option<Response> {
    let (ReferenceOr::Item(s), ptr) = success_json_schema(api, f)? else {
        return None;
    };
    let SchemaKind::Type(Type::Object(o)) = &s.schema_kind else {
        return None;
    };
    let schema = o.properties.get(data)?;
    let ptr = format!("{ptr}/properties/{}", escape_token(data));
    let ty = match types.ty(schema.into(), &format!("{builder}Data"), &ptr, diags) {
        Ty::Option(inner) => *inner,
        t => t,
    };
    Some(Response {
        kind: ResponseKind::Enveloped(ty),
        link: false,
        stream: stream(api, f, builder, types, diags),
    })
}

fn response(
    api: &Api,
    f: &Found<'_>,
    builder: &str,
    types: &mut TypeSpace<'_>,
    diags: &mut Diagnostics,
) -> Response {
    let kind = match success_response(api, f) {
        None => ResponseKind::Empty,
        Some((r, ptr)) => match pick_content(&r.content) {
            None => ResponseKind::Empty,
            Some((media, content)) => {
                let lower = media.to_ascii_lowercase();
                if is_json(&lower) {
                    let ty = match &content.schema {
                        Some(s) => types.ty(
                            s.into(),
                            &format!("{builder}Response"),
                            &format!("{ptr}/content/{}/schema", escape_token(media)),
                            diags,
                        ),
                        None => Ty::Json(Untyped::Any),
                    };
                    ResponseKind::Json(ty)
                } else if lower.starts_with("text/") {
                    ResponseKind::Text
                } else {
                    ResponseKind::Bytes
                }
            }
        },
    };
    Response {
        kind,
        link: success_response(api, f)
            .is_some_and(|(r, _)| r.headers.keys().any(|h| h.eq_ignore_ascii_case("link"))),
        stream: stream(api, f, builder, types, diags),
    }
}

/// The stream form of the success response, when it has one: the first
/// streaming media type (SSE before JSON Lines before json-seq, then by
/// name). Its `schema` is one item's (an SSE event's `data`); a schema
/// that describes the whole SSE event instead is unwrapped later, once the
/// types are lowered (`stream::detect`).
fn stream(
    api: &Api,
    f: &Found<'_>,
    builder: &str,
    types: &mut TypeSpace<'_>,
    diags: &mut Diagnostics,
) -> Option<Stream> {
    let (r, ptr) = success_response(api, f)?;
    let rank = |format: StreamFormat| match format {
        StreamFormat::Sse => 0,
        StreamFormat::JsonLines => 1,
        StreamFormat::JsonSeq => 2,
    };
    let (media, content, format) = r
        .content
        .iter()
        .filter_map(|(media, content)| Some((media, content, StreamFormat::of(media)?)))
        .min_by(|a, b| (rank(a.2), a.0).cmp(&(rank(b.2), b.0)))?;
    let ptr = format!("{ptr}/content/{}/schema", escape_token(media));
    let hint = format!("{builder}Item");
    let item = match &content.schema {
        None => Ty::Json(Untyped::Any),
        Some(schema) => types.ty(schema.into(), &hint, &ptr, diags),
    };
    Some(Stream {
        format,
        media: media.clone(),
        item,
        flag: None,
    })
}

fn operation_doc(f: &Found<'_>, params: &[Param]) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(d) = docs::doc(&[f.op.summary.as_deref(), f.op.description.as_deref()]) {
        parts.push(d);
    }
    parts.push(format!("`{} {}`", f.method.as_str(), docs::inline(f.path)));
    let documented: Vec<String> = params
        .iter()
        .filter_map(|p| {
            p.doc.as_ref().map(|d| {
                let first = d.lines().next().unwrap_or_default();
                format!("- `{}`: {first}", p.name.rust)
            })
        })
        .collect();
    if !documented.is_empty() {
        parts.push(format!("Parameters:\n{}", documented.join("\n")));
    }
    if f.op.deprecated {
        parts.push("Deprecated.".to_owned());
    }
    parts.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use openapiv3::QueryStyle as S;

    #[test]
    fn json_content_table() {
        let content = |media: &[&str]| {
            ParameterSchemaOrContent::Content(
                media
                    .iter()
                    .map(|m| (m.to_string(), openapiv3::MediaType::default()))
                    .collect(),
            )
        };
        let table = [
            (content(&["application/json"]), true),
            (content(&["application/json; charset=utf-8"]), true),
            (content(&["application/vnd.api+json"]), true),
            (content(&["text/plain"]), false),
            (content(&["*/*"]), false),
            // The media type read is the first by name, as for the type.
            (content(&["text/plain", "application/json"]), true),
            (content(&["application/xml", "text/json"]), false),
            (content(&[]), false),
            (
                ParameterSchemaOrContent::Schema(openapiv3::ReferenceOr::Item(openapiv3::Schema {
                    schema_data: Default::default(),
                    schema_kind: openapiv3::SchemaKind::Any(Default::default()),
                })),
                false,
            ),
        ];
        for (format, expected) in table {
            assert_eq!(json_content(&format), expected, "{format:?}");
        }
    }

    #[test]
    fn query_style_table() {
        let joined = |delimiter| QueryStyle::Joined { delimiter };
        let list = |explode, delimiter| QueryStyle::List { explode, delimiter };
        const SCALAR: (bool, bool) = (false, false);
        const OBJECT: (bool, bool) = (true, false);
        const LIST: (bool, bool) = (false, true);
        // (style, (object, list), explode) → written as
        let table = [
            (S::Form, SCALAR, true, QueryStyle::Form),
            (S::Form, SCALAR, false, QueryStyle::Form),
            (S::Form, LIST, true, list(true, ',')),
            (S::Form, LIST, false, list(false, ',')),
            (S::Form, OBJECT, true, QueryStyle::Properties),
            (S::Form, OBJECT, false, joined(',')),
            (S::DeepObject, OBJECT, true, QueryStyle::DeepObject),
            (S::DeepObject, OBJECT, false, QueryStyle::DeepObject),
            (S::DeepObject, LIST, true, QueryStyle::DeepObject),
            (S::SpaceDelimited, SCALAR, false, QueryStyle::Form),
            (S::SpaceDelimited, LIST, false, list(false, ' ')),
            (S::SpaceDelimited, LIST, true, list(true, ',')),
            (S::SpaceDelimited, OBJECT, false, joined(' ')),
            (S::SpaceDelimited, OBJECT, true, QueryStyle::Form),
            (S::PipeDelimited, SCALAR, false, QueryStyle::Form),
            (S::PipeDelimited, LIST, false, list(false, '|')),
            (S::PipeDelimited, LIST, true, list(true, ',')),
            (S::PipeDelimited, OBJECT, false, joined('|')),
        ];
        for (style, (object, is_list), explode, want) in table {
            assert_eq!(
                query_style(&style, explode, object, is_list),
                want,
                "{style:?} object={object} list={is_list} explode={explode}"
            );
        }
    }

    #[test]
    fn part_content_type_table() {
        let table = [
            ("image/png", Some("image/png")),
            (
                " text/plain; charset=utf-8 ",
                Some("text/plain; charset=utf-8"),
            ),
            ("application/vnd.api+json", Some("application/vnd.api+json")),
            ("image/png, image/jpeg", None),
            ("image/*", None),
            ("*/*", None),
            ("png", None),
            ("text/", None),
            ("text/pla in", None),
            ("", None),
        ];
        for (given, want) in table {
            assert_eq!(part_content_type(given).as_deref(), want, "{given:?}");
        }
    }

    #[test]
    fn pick_content_table() {
        // Each list, in any order, picks the same media type.
        let table: [(&[&str], &str); 7] = [
            (&["text/plain", "application/json"], "application/json"),
            (
                &["application/xml", "application/problem+json"],
                "application/problem+json",
            ),
            (&["*/*", "application/x-www-form-urlencoded"], "*/*"),
            (
                &["multipart/form-data", "application/x-www-form-urlencoded"],
                "application/x-www-form-urlencoded",
            ),
            (
                &["application/octet-stream", "multipart/form-data"],
                "multipart/form-data",
            ),
            (&["application/octet-stream", "text/plain"], "text/plain"),
            (
                &["image/png", "application/octet-stream"],
                "application/octet-stream",
            ),
        ];
        for (media, want) in table {
            for reverse in [false, true] {
                let mut keys = media.to_vec();
                if reverse {
                    keys.reverse();
                }
                let content: indexmap::IndexMap<String, MediaType> = keys
                    .iter()
                    .map(|k| ((*k).to_owned(), MediaType::default()))
                    .collect();
                let got = pick_content(&content).map(|(k, _)| k.as_str());
                assert_eq!(got, Some(want), "{keys:?}");
            }
        }
    }
}
