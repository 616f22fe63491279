//! What the emitters produce, checked against the lists and plans the
//! model's decisions rely on.

use std::collections::BTreeSet;

use proc_macro2::{TokenStream, TokenTree};
use syn::{ImplItem, Item};

use super::{Part, render_whole};
use crate::lower::model_of;
use crate::model::Model;
use crate::naming;

/// An API that makes the emitters write every member a builder or the
/// client can have: a download (`send_streaming`), pages (`stream`), an
/// optional body (`body`), a credential, a hoisted header, middleware.
const SPEC: &str = r#"
openapi: 3.0.3
info: {title: Members, version: "1"}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
security: [{key: []}]
paths:
  /files/{id}:
    get:
      operationId: getFile
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: X-Trace, in: header, schema: {type: string}}
        - {name: version, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/octet-stream:
              schema: {type: string, format: binary}
  /items:
    get:
      operationId: listItems
      parameters:
        - {name: X-Trace, in: header, schema: {type: string}}
      responses:
        "200":
          description: ok
          headers:
            Link: {schema: {type: string}}
          content:
            application/json:
              schema: {type: array, items: {type: string}}
    post:
      operationId: addItem
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {name: {type: string}}}
      responses:
        "204": {description: ok}
"#;

fn members_model() -> Model {
    model_of(SPEC, "[client]\nmiddleware = true\n")
}

fn file(part: Part, model: &Model) -> syn::File {
    syn::parse2(render_whole(part, model)).unwrap_or_else(|e| panic!("{part:?}: {e}"))
}

/// The names of the functions `macro_rules! name` in `runtime.rs` defines.
fn macro_fns(runtime: &syn::File, name: &str) -> Vec<String> {
    fn fns(tokens: TokenStream, out: &mut Vec<String>) {
        let mut after_fn = false;
        for t in tokens {
            match t {
                TokenTree::Ident(i) if after_fn => {
                    out.push(i.to_string());
                    after_fn = false;
                }
                TokenTree::Ident(i) => after_fn = i == "fn",
                TokenTree::Group(g) => {
                    fns(g.stream(), out);
                    after_fn = false;
                }
                _ => after_fn = false,
            }
        }
    }
    let mut out = Vec::new();
    for item in &runtime.items {
        if let Item::Macro(m) = item
            && m.ident.as_ref().is_some_and(|i| i == name)
        {
            fns(m.mac.tokens.clone(), &mut out);
        }
    }
    out
}

fn last_ident(path: &syn::Path) -> String {
    path.segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

/// Methods of the types named `owners` in `file` (inherent impls, and
/// the functions of the runtime's macros they call), and with `fields`
/// their fields.
fn members(
    file: &syn::File,
    runtime: &syn::File,
    owners: &[String],
    fields: bool,
) -> BTreeSet<String> {
    let owned = |ty: &syn::Type| match ty {
        syn::Type::Path(p) => owners.contains(&last_ident(&p.path)),
        _ => false,
    };
    let mut out = BTreeSet::new();
    for item in &file.items {
        match item {
            Item::Struct(s) if fields && owners.contains(&s.ident.to_string()) => {
                out.extend(
                    s.fields
                        .iter()
                        .filter_map(|f| f.ident.as_ref().map(ToString::to_string)),
                );
            }
            Item::Impl(i) if i.trait_.is_none() && owned(&i.self_ty) => {
                for member in &i.items {
                    match member {
                        ImplItem::Fn(f) => {
                            out.insert(f.sig.ident.to_string());
                        }
                        ImplItem::Macro(m) => {
                            out.extend(macro_fns(runtime, &last_ident(&m.mac.path)))
                        }
                        _ => {}
                    }
                }
            }
            // `runtime::send_on_await!(Builder => T)`: `into_future`.
            Item::Macro(m) => out.extend(macro_fns(runtime, &last_ident(&m.mac.path))),
            _ => {}
        }
    }
    out
}

#[test]
fn builders_have_only_the_members_naming_reserves() {
    let model = members_model();
    let runtime = file(Part::Runtime, &model);
    let builders: Vec<String> = model.operations.iter().map(|o| o.builder.clone()).collect();
    let mut found = members(
        &file(Part::Builder(None), &model),
        &runtime,
        &builders,
        true,
    );
    // Parameters are fields, setters and arguments of their own.
    for op in &model.operations {
        for p in &op.params {
            found.remove(&p.name.rust);
        }
    }
    let reserved: BTreeSet<String> = naming::BUILDER_MEMBERS
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    assert_eq!(found, reserved);
}

#[test]
fn the_client_has_only_the_methods_naming_reserves() {
    let model = members_model();
    assert!(!model.client_params.is_empty() && !model.credentials.is_empty());
    let runtime = file(Part::Runtime, &model);
    let mut found = members(
        &file(Part::Client, &model),
        &runtime,
        &["Client".into()],
        false,
    );
    for op in &model.operations {
        found.remove(&op.name.rust);
    }
    let fields = model
        .client_params
        .iter()
        .map(|p| p.name.rust.as_str())
        .chain(model.credentials.iter().map(|c| c.name.rust.as_str()));
    let reserved: BTreeSet<String> = naming::client_reserved(fields).into_iter().collect();
    // Every accessor is there, and nothing the lists do not name.
    assert_eq!(found, reserved);
}

/// Operations that call every runtime helper between them, each in a group
/// (cargo feature) of its own.
const CALLS: &str = r##"
openapi: 3.0.3
info: {title: Calls, version: "1"}
components:
  securitySchemes:
    key: {type: apiKey, in: query, name: key}
  schemas:
    Filter: {type: object, properties: {a: {type: string}, b: {type: integer}}}
    Item: {type: object, required: [id], properties: {id: {type: string}}}
    Page:
      type: object
      required: [data, has_more]
      properties:
        data: {type: array, items: {$ref: "#/components/schemas/Item"}}
        has_more: {type: boolean}
paths:
  /path/{id}:
    get:
      tags: [path]
      security: [{key: []}]
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
        - {name: X-Shared, in: header, required: true, schema: {type: integer}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: string, format: byte}}}}
        "400": {description: bad, content: {application/json: {schema: {type: string}}}}
  /query:
    get:
      tags: [query]
      parameters:
        - {name: X-Shared, in: header, schema: {type: integer}}
        - {name: scalar, in: query, schema: {type: string}}
        - {name: list, in: query, schema: {type: array, items: {type: string}}}
        - {name: piped, in: query, style: pipeDelimited, explode: false, schema: {type: array, items: {type: string}}}
      responses:
        "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
  /deep:
    get:
      tags: [deep]
      parameters:
        - {name: deep, in: query, style: deepObject, schema: {$ref: "#/components/schemas/Filter"}}
        - {name: props, in: query, schema: {$ref: "#/components/schemas/Filter"}}
        - {name: joined, in: query, explode: false, schema: {$ref: "#/components/schemas/Filter"}}
      responses:
        "204": {description: ok}
  /headers:
    get:
      tags: [headers]
      parameters:
        - {name: X-Optional, in: header, schema: {type: string}}
        - {name: session, in: cookie, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/octet-stream: {schema: {type: string, format: binary}}}}
        "404": {description: missing, content: {application/json: {schema: {type: integer}}}}
  /form:
    post:
      tags: [form]
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {$ref: "#/components/schemas/Filter"}
      responses:
        "204": {description: ok}
  /upload:
    post:
      tags: [upload]
      requestBody:
        content:
          multipart/form-data:
            schema: {type: object, properties: {note: {type: string}, file: {type: string, format: binary}}}
      responses:
        "204": {description: ok}
  /files:
    post:
      tags: [files]
      requestBody:
        content:
          multipart/form-data:
            schema: {type: object, properties: {file: {type: string, format: binary}}}
      responses:
        "200": {description: ok, content: {application/octet-stream: {schema: {type: string, format: binary}}}}
  /pages:
    get:
      tags: [pages]
      responses:
        "200":
          description: ok
          headers: {Link: {schema: {type: string}}}
          content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Item"}}}}
        "500": {description: bad, content: {application/json: {schema: {type: string}}}}
  /cursor:
    get:
      tags: [cursor]
      parameters:
        - {name: starting_after, in: query, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Page"}}}}
"##;

/// The paths `runtime::name` (into `paths`) and the method calls
/// `.name(…)` (into `calls`) a token stream holds.
fn runtime_paths(tokens: TokenStream, paths: &mut BTreeSet<String>, calls: &mut BTreeSet<String>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, t) in trees.iter().enumerate() {
        match t {
            TokenTree::Group(g) => runtime_paths(g.stream(), paths, calls),
            TokenTree::Punct(p) if p.as_char() == '.' => {
                if let (Some(TokenTree::Ident(n)), Some(TokenTree::Group(g))) =
                    (trees.get(i + 1), trees.get(i + 2))
                    && g.delimiter() == proc_macro2::Delimiter::Parenthesis
                {
                    calls.insert(n.to_string());
                }
            }
            TokenTree::Ident(i0) if i0 == "runtime" => {
                if let (
                    Some(TokenTree::Punct(a)),
                    Some(TokenTree::Punct(b)),
                    Some(TokenTree::Ident(n)),
                ) = (trees.get(i + 1), trees.get(i + 2), trees.get(i + 3))
                    && a.as_char() == ':'
                    && b.as_char() == ':'
                {
                    paths.insert(n.to_string());
                }
            }
            _ => {}
        }
    }
}

/// Every runtime helper a builder calls is planned for its operation's
/// group: the plan (`lower/runtime.rs`) reads the same model decisions
/// (`Param::helpers`, `ResponseKind::helpers`, …) the builders are written
/// from.
#[test]
fn builders_call_only_planned_helpers() {
    use crate::helpers::{
        self,
        tests::{ALL, defined, methods},
    };
    let model = model_of(CALLS, "[types]\nsplit = \"on\"\n");
    assert_eq!(model.groups.len(), model.operations.len());
    // Each helper's items (called as `runtime::name`) and methods (called
    // as `.name(…)`, on the client or its parameters).
    type Names = (crate::model::Helper, BTreeSet<String>, BTreeSet<String>);
    let names: Vec<Names> = ALL
        .iter()
        .filter_map(|h| {
            let code = helpers::definition(*h).code(&model, &TokenStream::new());
            let methods = methods(code.clone());
            (!code.is_empty()).then(|| (*h, defined(code), methods))
        })
        .collect();
    let mut called = BTreeSet::new();
    for op in &model.operations {
        let (mut paths, mut calls) = (BTreeSet::new(), BTreeSet::new());
        runtime_paths(
            render_whole(Part::Builder(op.group), &model),
            &mut paths,
            &mut calls,
        );
        for (helper, items, methods) in &names {
            if !items.iter().any(|n| paths.contains(n))
                && !methods.iter().any(|n| calls.contains(n))
            {
                continue;
            }
            called.insert(*helper);
            let gate = model.runtime.helpers.get(helper);
            assert!(
                gate.is_some_and(|g| g.is_empty() || op.group.is_some_and(|o| g.contains(&o))),
                "{} calls {helper:?}, planned for {gate:?} only",
                op.name.rust
            );
        }
    }
    // The spec reaches every helper a builder calls directly.
    use crate::model::Helper as H;
    for h in [
        H::ToParam,
        H::Required,
        H::Query,
        H::QueryList,
        H::Header,
        H::QueryDeep,
        H::QueryProperties,
        H::QueryJoined,
        H::Form,
        H::Pending,
        H::ErrorBody,
        H::Check,
        H::LinkPages,
        H::CursorPages,
        H::Json,
        H::Text,
        H::Bytes,
        H::Success,
        H::Empty,
        H::Params,
        H::Authorize,
    ] {
        assert!(called.contains(&h), "no builder calls {h:?}");
    }
}
