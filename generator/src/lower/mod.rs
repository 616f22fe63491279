//! Stage 4: lowering the merged API into the [`Model`]. Every decision is
//! made here: names, types, which parameters the client holds, what each
//! method returns.

mod check;
mod construct;
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
mod stream;
mod types;
mod usage;

use std::collections::{BTreeMap, BTreeSet};

use crate::config::{Config, Generate};
use crate::diag::Diagnostics;
use crate::merge::Api;
use crate::model::{
    ApiInfo, BodyKind, ClientParam, ClientParamId, CrateInfo, Credential, ErrorBody, Group,
    GroupId, Model, Operation, ParamDefault, ParamLocation, Runtime, Ty, TypeDef,
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

/// Lowers the merged API into the model, step by step; after a step that
/// records an error it stops (`None`), as the driver stops between stages.
pub fn lower(api: &Api, config: &Config, diags: &mut Diagnostics) -> Option<Model> {
    let secrets = Secrets::new(&config.client.secrets);
    let deep = types::Deep::collect(api);
    let mut types = types::TypeSpace::new(api, &deep, &secrets, &[]);
    types.set_scalars(&config.types);

    let found = operations::find(api, diags);
    let client = client_settings(api, config, &found, &secrets, diags);
    let names = operation_names(api, config, &found, &client, diags);
    // Schemas inside operations that `$ref`s name are named after them.
    types.set_operations(
        found
            .iter()
            .zip(&names)
            .map(|(f, (_, builder))| (f.ptr.clone(), builder.clone())),
    );
    types.convert_components(diags);
    let envelope = config
        .envelope
        .as_ref()
        .and_then(|cfg| envelope::detect(api, &found, cfg, &mut types, diags));
    stop_on_errors(diags)?;
    let operations = lower_operations(
        api,
        &found,
        names,
        &client,
        envelope.as_ref(),
        &mut types,
        &secrets,
        diags,
    );
    let type_defs = types.finish(diags);
    stop_on_errors(diags)?;
    let mut model = assemble(api, config, client, operations, type_defs, envelope);
    box_error_bodies(&mut model);
    place_types(&mut model);
    if config.types.serde == crate::config::SerdeDerives::AsUsed {
        usage::mark(&mut model);
    }
    construct::plan(&mut model.types);
    pagination::detect(&mut model.operations, &model.types, config);
    stream::detect(&mut model.operations, &model.types, diags);
    dependencies(&mut model);
    model.example = example::choose(
        &model.operations,
        &model.types,
        config.example.as_ref(),
        &example::Context {
            package: &model.crate_info.name,
            base_url: model.info.default_base_url.as_deref(),
        },
        diags,
    );
    model.runtime = runtime::plan(&model);
    check::check(&model, diags);
    stop_on_errors(diags)?;
    Some(model)
}

/// `None` once an error was recorded: the next step would build on it.
fn stop_on_errors(diags: &Diagnostics) -> Option<()> {
    (!diags.has_errors()).then_some(())
}

/// What the client holds: credentials and hoisted header parameters (its
/// fields), the names its methods take, and the groups of a split crate.
struct ClientSettings {
    credentials: Vec<Credential>,
    params: Vec<ClientParam>,
    /// Method names operations cannot take.
    reserved: Vec<String>,
    groups: Vec<Group>,
    /// Each found operation's group.
    group_of: Vec<Option<GroupId>>,
}

fn client_settings(
    api: &Api,
    config: &Config,
    found: &[operations::Found<'_>],
    secrets: &Secrets,
    diags: &mut Diagnostics,
) -> ClientSettings {
    let tags = groups::Tags::read(api, diags);
    let (groups, group_of) = groups::assign(found, &tags, config.types.split);
    let mut params: Vec<ClientParam> = Vec::new();
    // Credentials and hoisted parameters are fields of the client's
    // parameters, each with accessors (`with_http_client` is taken: no
    // header may become `http_client`).
    let mut param_scope = naming::Scope::with_reserved(&naming::client_fields_reserved());
    let credentials = security::credentials(api, &mut param_scope, diags);
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
    let hoisted: Vec<(String, Option<String>)> = hoisted_headers(found)
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
        params.push(ClientParam {
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
            .chain(params.iter().map(|p| p.name.rust.as_str())),
    );
    ClientSettings {
        credentials,
        params,
        reserved,
        groups,
        group_of,
    }
}

/// Each found operation's method name and request builder type.
fn operation_names(
    api: &Api,
    config: &Config,
    found: &[operations::Found<'_>],
    client: &ClientSettings,
    diags: &mut Diagnostics,
) -> Vec<(Name, String)> {
    let reserved: Vec<&str> = client.reserved.iter().map(String::as_str).collect();
    let names = operations::names(api, found, config, &reserved, diags);
    let mut scope = naming::Scope::with_reserved(naming::BUILDER_MODULE_NAMES);
    names
        .into_iter()
        .map(|name| {
            let builder = scope.claim(&naming::type_name(&name.rust, "Operation"));
            (name, builder)
        })
        .collect()
}

/// The operations, lowered (sorted by method name), with the crate's error
/// bodies and the credentials some operation uses.
struct Lowered {
    operations: Vec<Operation>,
    error_bodies: Vec<ErrorBody>,
    credentials: Vec<Credential>,
}

#[allow(clippy::too_many_arguments)]
fn lower_operations(
    api: &Api,
    found: &[operations::Found<'_>],
    names: Vec<(Name, String)>,
    client: &ClientSettings,
    envelope: Option<&envelope::Detected>,
    types: &mut types::TypeSpace<'_>,
    secrets: &Secrets,
    diags: &mut Diagnostics,
) -> Lowered {
    let credentials = &client.credentials;
    let mut ops = Vec::with_capacity(found.len());
    let mut documented = Vec::with_capacity(found.len());
    for (i, (f, (name, builder))) in found.iter().zip(names).enumerate() {
        let data = envelope
            .filter(|d| d.members.contains(&i))
            .map(|d| d.envelope.data.wire.as_str());
        let mut op = operations::lower(api, f, name, builder, data, types, diags);
        documented.push(errors::documented(api, f, &op.builder, types, diags));
        op.group = client.group_of.get(i).copied().flatten();
        op.security = security::requirements(api, f, credentials, diags);
        // API keys the operation accepts are sent as credentials, not
        // parameters; a parameter of the same name is kept where the
        // operation accepts no such key.
        let accepted: Vec<Credential> = op
            .security
            .iter()
            .flatten()
            .filter_map(|i| credentials.get(i.0).cloned())
            .collect();
        op.retain_params(|p| !security::is_credential(p, &accepted));
        for p in &mut op.params {
            p.secret = secrets.contains(&p.name.wire);
            if p.location == ParamLocation::Header {
                p.client = client
                    .params
                    .iter()
                    .position(|c| c.name.wire.eq_ignore_ascii_case(&p.name.wire))
                    .map(ClientParamId);
            }
        }
        ops.push(op);
    }
    let error_bodies = errors::intern(&mut ops, documented);
    let mut credentials = credentials.clone();
    security::keep_used(&mut credentials, &mut ops);
    ops.sort_by(|a, b| a.name.rust.cmp(&b.name.rust));
    Lowered {
        operations: ops,
        error_bodies,
        credentials,
    }
}

/// The model of what lowering decided; the steps after it fill in what
/// follows from the whole (groups of types, serde traits, pages,
/// dependencies, the example, the runtime plan).
fn assemble(
    api: &Api,
    config: &Config,
    client: ClientSettings,
    lowered: Lowered,
    types: Vec<TypeDef>,
    envelope: Option<envelope::Detected>,
) -> Model {
    let info = &api.openapi.info;
    let name = config
        .package
        .name
        .clone()
        .unwrap_or_else(|| naming::crate_name(&info.title));
    Model {
        runtime: Runtime::default(),
        groups: client.groups,
        error_bodies: lowered.error_bodies,
        example: None,
        middleware: config.client.middleware,
        info: ApiInfo {
            title: info.title.clone(),
            version: info.version.clone(),
            description: info
                .description
                .as_deref()
                .map(docs::sanitize)
                .filter(|d| !d.is_empty()),
            default_base_url: default_server(api),
        },
        types,
        operations: lowered.operations,
        client_params: client.params,
        credentials: lowered.credentials,
        envelope: envelope.map(|d| d.envelope),
        crate_info: CrateInfo {
            name,
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
            uses_middleware: config.client.middleware,
            manifest: config.manifest.clone(),
            ..CrateInfo::default()
        },
    }
}

/// Struct bodies are boxed, as in unions, so `ErrorBody` (and with it
/// `Error`) stays small.
fn box_error_bodies(model: &mut Model) {
    let structs = recursion::struct_names(&model.types);
    for b in &mut model.error_bodies {
        recursion::box_struct(&mut b.ty, &structs);
    }
}

/// Each type goes with the groups (features) whose operations need it; in a
/// split crate, schemas no operation uses get a group of their own, off by
/// default.
fn place_types(model: &mut Model) {
    let groups = &mut model.groups;
    let unused = (!groups.is_empty()).then(|| {
        let taken: Vec<&str> = groups.iter().map(|g| g.name.rust.as_str()).collect();
        let mut scope = naming::Scope::with_reserved(&taken);
        let rust = scope.claim("unused_schemas");
        groups.push(Group {
            types_doc: format!(
                "Schemas no operation uses (webhook payloads, types kept for users), behind the `{rust}` feature (off by default)."
            ),
            name: Name {
                wire: "schemas no operation uses".to_owned(),
                rust,
            },
        });
        GroupId(groups.len() - 1)
    });
    groups::place_types(model, unused);
    let used = unused.filter(|g| model.types.iter().any(|d| d.groups.contains(g)));
    if unused.is_some() && used.is_none() {
        model.groups.pop();
    }
    let unused = used;
    let features: Vec<String> = model.groups.iter().map(|g| g.name.rust.clone()).collect();
    // Calling the API needs no schema that no operation uses (GitHub's
    // webhook payloads): those are opt-in, and the default build skips them.
    model.crate_info.default_features = features
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(GroupId(*i)) != unused)
        .map(|(_, f)| f.clone())
        .collect();
    model.crate_info.features = features;
}

/// The crates the generated code needs: whatever spells out a chrono or
/// uuid type (types, builders, the crate root), paged streams, multipart
/// bodies, generated trace ids.
fn dependencies(model: &mut Model) {
    let (mut chrono, mut uuid) = (false, false);
    for (_, ty) in model.tys() {
        ty.walk(&mut |t| match t {
            Ty::DateTime | Ty::Date => chrono = true,
            Ty::Uuid => uuid = true,
            _ => {}
        });
    }
    let info = &mut model.crate_info;
    info.uses_chrono = chrono;
    info.uses_uuid_type = uuid;
    info.uses_uuid = model
        .client_params
        .iter()
        .any(|c| c.default == Some(ParamDefault::Uuid));
    info.uses_futures = model
        .operations
        .iter()
        .any(|o| o.pagination.is_some() || o.response.stream.is_some());
    info.uses_stream = model.operations.iter().any(|o| o.response.stream.is_some());
    info.uses_multipart = model.operations.iter().any(|o| {
        o.body
            .as_ref()
            .is_some_and(|b| matches!(b.kind, BodyKind::Multipart(_)))
    });
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
    let (model, diags) = lower_text(spec, config);
    assert!(!diags.has_errors(), "{diags}");
    model.unwrap_or_default()
}

/// Lowers one spec with a config, for tests.
#[cfg(test)]
fn lower_text(spec: &str, config: &str) -> (Option<Model>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let config = Config::parse(config, "test.toml", &mut diags).unwrap_or_default();
    let sources = [crate::SourceFile {
        name: "test.yaml".into(),
        text: spec.into(),
    }];
    let mut docs = crate::documents(&sources, &crate::source::Disk, &mut diags);
    crate::normalize(&mut docs, &mut diags);
    let model =
        crate::merge::merge(docs, &mut diags).and_then(|api| lower(&api, &config, &mut diags));
    (model, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An envelope rule naming a field the envelope does not have fails the
    /// envelope step: no model, and nothing from the steps after it.
    #[test]
    fn lowering_stops_after_a_step_with_errors() {
        let op = |path: &str| {
            format!(
                "  {path}:\n    get:\n      responses:\n        \"200\":\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties: {{code: {{type: string}}, msg: {{type: string}}, data: {{type: integer}}}}\n"
            )
        };
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: \"1\"}}\npaths:\n{}{}",
            op("/a"),
            op("/b")
        );
        let good = "[envelope]\ndata = \"data\"\nsuccess = { field = \"code\", equals = \"0\" }\n";
        let (model, diags) = lower_text(&spec, good);
        assert!(model.is_some_and(|m| m.envelope.is_some()), "{diags}");
        let bad = good.replace("\"code\"", "\"status\"");
        let (model, diags) = lower_text(&spec, &bad);
        assert!(model.is_none());
        let errors: Vec<String> = diags.errors().map(|e| e.message.clone()).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("envelope success rule"), "{errors:?}");
    }
}
