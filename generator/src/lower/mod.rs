//! Stage 4: lowering the merged API into the [`Model`]. Every decision is
//! made here: names, types, which parameters the client holds, what each
//! method returns.

mod check;
pub(crate) mod docs;
mod envelope;
mod errors;
mod example;
mod groups;
mod operations;
mod pagination;
mod recursion;
mod runtime;
mod security;
mod types;
mod usage;

use std::collections::{BTreeMap, BTreeSet};

use crate::config::{Config, Generate};
use crate::diag::Diagnostics;
use crate::merge::Api;
use crate::model::{
    ApiInfo, ClientParam, CrateInfo, Model, Operation, ParamDefault, ParamLocation, TypeDef,
};
use crate::naming::{self, Name};

/// Field and parameter names (in snake case) whose values are secrets.
const SECRETS: &[&str] = &[
    "token",
    "r_token",
    "access_token",
    "refresh_token",
    "id_token",
    "login_pwd",
    "pwd",
    "password",
    "passwd",
    "verify_code",
    "google_code",
    "secret",
    "client_secret",
    "api_key",
    "private_key",
    "authorization",
];

/// Decides whether a wire name holds a secret.
pub struct Secrets {
    names: BTreeSet<String>,
}

impl Secrets {
    fn new(extra: &[String]) -> Self {
        let mut names: BTreeSet<String> = SECRETS.iter().map(|s| (*s).to_owned()).collect();
        names.extend(extra.iter().map(|s| naming::snake(s, "")));
        Secrets { names }
    }

    pub fn contains(&self, wire: &str) -> bool {
        self.names.contains(&naming::snake(wire, ""))
    }
}

/// Header parameters used by at least this many operations move to the client.
const HOIST_MIN: usize = 2;

pub fn lower(api: &Api, config: &Config, diags: &mut Diagnostics) -> Model {
    let secrets = Secrets::new(&config.client.secrets);
    let deep = types::Deep::collect(api);
    let mut types = types::TypeSpace::new(api, &deep, &secrets, &[]);
    types.set_scalars(&config.types);

    let found = operations::find(api, diags);
    let (groups, group_of) = groups::assign(&found, config.types.split);
    let mut client_params: Vec<ClientParam> = Vec::new();
    // Credentials and hoisted parameters are fields of the client's
    // parameters, each with accessors (`with_http_client` is taken: no
    // header may become `http_client`).
    let mut param_scope = naming::Scope::with_reserved(&naming::client_fields_reserved());
    let mut credentials = security::credentials(api, &mut param_scope, diags);
    // API keys in headers are credentials, not hoisted parameters.
    let key_headers: Vec<&str> = credentials
        .iter()
        .filter_map(|c| match &c.kind {
            crate::model::CredentialKind::ApiKey {
                location: ParamLocation::Header,
                name,
            } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let hoisted: Vec<(String, Option<String>)> = hoisted_headers(&found)
        .into_iter()
        .filter(|(wire, _)| !key_headers.iter().any(|k| k.eq_ignore_ascii_case(wire)))
        .collect();
    for (wire, doc) in &hoisted {
        let rust = param_scope.claim(&naming::snake(wire, "header"));
        let cfg = config.client_param(wire);
        let default = cfg.and_then(|c| match (c.generate, &c.default) {
            (Some(Generate::Uuid), _) => Some(ParamDefault::Uuid),
            (None, Some(v)) => Some(ParamDefault::Literal(v.clone())),
            (None, None) => None,
        });
        client_params.push(ClientParam {
            name: Name {
                wire: wire.clone(),
                rust,
            },
            location: ParamLocation::Header,
            doc: doc.clone(),
            default,
            secret: secrets.contains(wire),
        });
    }
    let reserved = naming::client_reserved(
        credentials
            .iter()
            .map(|c| c.name.rust.as_str())
            .chain(client_params.iter().map(|p| p.name.rust.as_str())),
    );
    let reserved_refs: Vec<&str> = reserved.iter().map(String::as_str).collect();
    let names = operations::names(api, &found, config, &reserved_refs, diags);
    let mut scope = naming::Scope::with_reserved(naming::BUILDER_MODULE_NAMES);
    let builders: Vec<String> = names
        .iter()
        .map(|name| scope.claim(&naming::type_name(&name.rust, "Operation")))
        .collect();
    // Schemas inside operations that `$ref`s name are named after them.
    types.set_operations(
        found
            .iter()
            .zip(&builders)
            .map(|(f, b)| (f.ptr.clone(), b.clone())),
    );
    types.convert_components(diags);
    let detected = config
        .envelope
        .as_ref()
        .and_then(|cfg| envelope::detect(api, &found, cfg, &mut types, diags));
    let mut ops = Vec::with_capacity(found.len());
    let mut documented = Vec::with_capacity(found.len());
    for (i, ((f, name), builder)) in found.iter().zip(names).zip(builders).enumerate() {
        let data = detected
            .as_ref()
            .filter(|d| d.members.contains(&i))
            .map(|d| d.envelope.data.wire.as_str());
        let mut op = operations::lower(api, f, name, builder, data, &mut types, diags);
        documented.push(errors::documented(api, f, &op.builder, &mut types, diags));
        op.group = group_of.get(i).copied().flatten();
        op.security = security::requirements(api, f, &credentials, diags);
        // API keys the operation accepts are sent as credentials, not
        // parameters; a parameter of the same name is kept where the
        // operation accepts no such key.
        let accepted: Vec<crate::model::Credential> = op
            .security
            .iter()
            .flatten()
            .filter_map(|i| credentials.get(*i).cloned())
            .collect();
        op.retain_params(|p| !security::is_credential(p, &accepted));
        for p in &mut op.params {
            p.secret = secrets.contains(&p.name.wire);
            if p.location == ParamLocation::Header {
                p.client = client_params
                    .iter()
                    .position(|c| c.name.wire.eq_ignore_ascii_case(&p.name.wire));
            }
        }
        ops.push(op);
    }
    let error_bodies = errors::intern(&mut ops, documented);
    security::keep_used(&mut credentials, &mut ops);
    ops.sort_by(|a, b| a.name.rust.cmp(&b.name.rust));

    let uses_uuid = client_params
        .iter()
        .any(|c| c.default == Some(ParamDefault::Uuid));
    let info = &api.openapi.info;
    let crate_name = config
        .package
        .name
        .clone()
        .unwrap_or_else(|| naming::crate_name(&info.title));
    let mut type_defs = types.finish(diags);
    let mut error_bodies = error_bodies;
    // Struct bodies are boxed, as in unions, so `ErrorBody` (and with it
    // `Error`) stays small.
    let structs = recursion::struct_names(&type_defs);
    for b in &mut error_bodies {
        recursion::box_struct(&mut b.ty, &structs);
    }
    // Types the crate root (error, envelope) spells out are always compiled.
    let mut root_types: Vec<crate::model::Ty> = detected
        .as_ref()
        .map(|d| d.envelope.fields.iter().map(|f| f.ty.clone()).collect())
        .unwrap_or_default();
    let error_types: Vec<crate::model::Ty> = error_bodies.iter().map(|b| b.ty.clone()).collect();
    root_types.extend(error_types.iter().cloned());
    // In a split crate, schemas no operation uses get a feature of their own.
    let mut groups = groups;
    let unused_group = (!groups.is_empty()).then(|| {
        let taken: Vec<&str> = groups.iter().map(|g| g.name.rust.as_str()).collect();
        let mut scope = naming::Scope::with_reserved(&taken);
        let rust = scope.claim("unused_schemas");
        groups.push(crate::model::Group {
            types_doc: format!(
                "Schemas no operation uses (webhook payloads, types kept for users), behind the `{rust}` feature (off by default)."
            ),
            name: Name {
                wire: "schemas no operation uses".to_owned(),
                rust,
            },
        });
        groups.len() - 1
    });
    groups::place_types(&mut type_defs, &ops, &root_types, unused_group);
    if let Some(g) = unused_group
        && !type_defs.iter().any(|d| d.groups.contains(&g))
    {
        groups.pop();
    }
    if config.types.serde == crate::config::SerdeDerives::AsUsed {
        let envelope_types: Vec<crate::model::Ty> = detected
            .as_ref()
            .map(|d| d.envelope.fields.iter().map(|f| f.ty.clone()).collect())
            .unwrap_or_default();
        usage::mark(&mut type_defs, &ops, &root_types, &envelope_types);
    }
    pagination::detect(&mut ops, &type_defs, config);
    let uses_futures = ops.iter().any(|o| o.pagination.is_some());
    let model_uses_multipart = ops.iter().any(|o| {
        o.body
            .as_ref()
            .is_some_and(|b| matches!(b.kind, crate::model::BodyKind::Multipart(_)))
    });
    let features: Vec<String> = groups.iter().map(|g| g.name.rust.clone()).collect();
    // Calling the API needs no schema that no operation uses (GitHub's
    // webhook payloads): those are opt-in, and the default build skips them.
    let default_features = features
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != unused_group.filter(|g| *g < groups.len()))
        .map(|(_, f)| f.clone())
        .collect();
    // Whatever spells out a chrono or uuid type needs the crate: types,
    // builders (parameters, bodies, responses) and the crate root.
    let (mut uses_chrono, mut uses_uuid_type) = (false, false);
    let mut note = |t: &crate::model::Ty| match t {
        crate::model::Ty::DateTime | crate::model::Ty::Date => uses_chrono = true,
        crate::model::Ty::Uuid => uses_uuid_type = true,
        _ => {}
    };
    type_defs
        .iter()
        .flat_map(TypeDef::tys)
        .chain(ops.iter().flat_map(Operation::tys))
        .chain(&root_types)
        .for_each(|t| t.walk(&mut note));
    let default_base_url = default_server(api);
    let example = example::choose(
        &ops,
        &type_defs,
        config.example.as_ref(),
        &example::Context {
            package: &crate_name,
            base_url: default_base_url.as_deref(),
        },
        diags,
    );
    let runtime = runtime::plan(&ops, &type_defs, &root_types, !error_bodies.is_empty());
    let model = Model {
        runtime,
        groups,
        error_bodies,
        example,
        middleware: config.client.middleware,
        info: ApiInfo {
            title: info.title.clone(),
            version: info.version.clone(),
            description: info
                .description
                .as_deref()
                .map(docs::sanitize)
                .filter(|d| !d.is_empty()),
            default_base_url,
        },
        types: type_defs,
        operations: ops,
        client_params,
        credentials,
        envelope: detected.map(|d| d.envelope),
        crate_info: CrateInfo {
            name: crate_name,
            version: config
                .package
                .version
                .clone()
                .unwrap_or_else(|| "0.1.0".to_owned()),
            description: config
                .package
                .description
                .clone()
                .unwrap_or_else(|| format!("Client for {} {}", info.title, info.version)),
            uses_uuid,
            uses_uuid_type,
            uses_chrono,
            uses_middleware: config.client.middleware,
            uses_futures,
            uses_multipart: model_uses_multipart,
            features,
            default_features,
            manifest: config.manifest.clone(),
        },
    };
    check::check(&model, diags);
    model
}

/// Header parameters (by wire name, case-insensitively) that several
/// operations share, with the first description found.
fn hoisted_headers(found: &[operations::Found<'_>]) -> Vec<(String, Option<String>)> {
    let mut seen: BTreeMap<String, (String, Option<String>, usize)> = BTreeMap::new();
    for f in found {
        let mut here = BTreeSet::new();
        for p in f.item.parameters.iter().chain(&f.op.parameters) {
            if let openapiv3::ReferenceOr::Item(openapiv3::Parameter::Header {
                parameter_data,
                ..
            }) = p
            {
                let key = parameter_data.name.to_ascii_lowercase();
                if !here.insert(key.clone()) {
                    continue;
                }
                let entry = seen
                    .entry(key)
                    .or_insert_with(|| (parameter_data.name.clone(), None, 0));
                entry.2 += 1;
                if entry.1.is_none() {
                    entry.1 = docs::doc(&[parameter_data.description.as_deref()]);
                }
            }
        }
    }
    seen.into_values()
        .filter(|(_, _, n)| *n >= HOIST_MIN)
        .map(|(wire, doc, _)| (wire, doc))
        .collect()
}

/// The first server's URL, with variables replaced by their defaults.
fn default_server(api: &Api) -> Option<String> {
    let server = api.openapi.servers.first()?;
    let mut url = server.url.clone();
    for (name, var) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &var.default);
    }
    Some(url.trim_end_matches('/').to_owned())
}

/// The model of one spec (YAML or JSON text) with a config (TOML text), for
/// tests; panics on errors.
#[cfg(test)]
pub(crate) fn model_of(spec: &str, config: &str) -> Model {
    let mut diags = Diagnostics::default();
    let config = Config::parse(config, "test.toml", &mut diags).unwrap_or_default();
    let sources = [crate::SourceFile {
        name: "test.yaml".into(),
        text: spec.into(),
    }];
    let docs = crate::documents(&sources, &crate::source::Disk, &mut diags);
    let model = crate::merge::merge(docs, &mut diags).map(|api| lower(&api, &config, &mut diags));
    assert!(!diags.has_errors(), "{diags}");
    model.unwrap_or_default()
}
