//! The shape of an OpenAPI 3.0 document as `openapiv3` reads it: which
//! keyword of which object holds what kind of value, and whether it may be
//! missing. [`Walk`] checks a raw value against it and repairs what does not
//! fit (a number where text belongs becomes text, `"true"` becomes `true`,
//! a lone value where a list belongs becomes a list of one, …) or drops it,
//! recording a [`Fix`] for each. Only keywords `openapiv3` reads are checked,
//! with the types it reads them as, so what it ignores stays untouched.
//!
//! `openapiv3` reads schemas through untagged and flattened enums, so its own
//! errors rarely say which keyword is wrong; this table does.

use serde_json::{Map, Number, Value, json};

use super::Repairs;
use crate::diag::escape_token;
use crate::merge::de::Slot;

/// An object of the OpenAPI document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Obj {
    Root,
    Info,
    Contact,
    License,
    Server,
    ServerVariable,
    Components,
    PathItem,
    Operation,
    Parameter,
    Header,
    RequestBody,
    MediaType,
    Encoding,
    Responses,
    Response,
    Example,
    Link,
    Callback,
    Schema,
    Discriminator,
    ExternalDocs,
    Tag,
    SecurityScheme,
    OAuthFlows,
    Flow(Flow),
    SecurityRequirement,
}

/// An OAuth 2 flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flow {
    Implicit,
    Password,
    ClientCredentials,
    AuthorizationCode,
}

/// What a keyword holds.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Kind {
    /// A string; a number or boolean is read as its text.
    Text,
    /// A string; anything else is dropped (`pattern`, `format`, `type`).
    Str,
    /// A boolean; `"true"` and `"false"` are read as booleans.
    Bool,
    /// A non-negative integer (`minLength`, `maxItems`, …).
    Count,
    /// A number; a string that holds one is read as it.
    Num,
    /// Any JSON value.
    Any,
    /// One of these strings (case is repaired).
    Word(&'static [&'static str]),
    /// A list of these; a lone value of that kind is read as a list of one.
    ListOf(&'static Kind),
    /// An object whose every entry is of this kind.
    MapOf(&'static Kind),
    /// An object of this kind.
    Object(Obj),
    /// A `$ref` (left alone, as `openapiv3` ignores its siblings) or an
    /// object of this kind.
    RefOr(Obj),
    /// A schema: a `$ref`, a schema object, or what can be read as one.
    Schema,
    /// `items`: a schema, or a list of them (tuple form).
    Items,
    /// `additionalProperties`: a boolean or a schema.
    Additional,
    /// A kind of `components` (its entries are read one by one elsewhere).
    Entries,
    /// The scopes of a security requirement: a list of strings; null is none.
    Scopes,
}

/// Whether a keyword may be missing, and what its absence means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Need {
    /// `Option<T>`: absent or null is fine.
    Opt,
    /// `#[serde(default)]`: absent is fine, null is not.
    Dflt,
    /// Required; when missing or unreadable, filled in.
    Fill(Filler),
    /// Required; without it the object is unreadable and is dropped.
    Vital,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Filler {
    Text(&'static str),
    EmptyObject,
    Info,
}

impl Filler {
    fn value(self) -> Value {
        match self {
            Filler::Text(s) => Value::String(s.to_owned()),
            Filler::EmptyObject => Value::Object(Map::new()),
            Filler::Info => json!({"title": "API", "version": "0.0.0"}),
        }
    }
}

#[derive(Debug)]
struct Field {
    key: &'static str,
    kind: Kind,
    need: Need,
}

const fn f(key: &'static str, kind: Kind, need: Need) -> Field {
    Field { key, kind, need }
}

use Kind as K;
use Need::{Dflt, Fill, Opt, Vital};

const TEXT: Kind = K::Text;
const SCHEMA_LIST: Kind = K::ListOf(&K::Schema);
const SERVERS: Kind = K::ListOf(&K::Object(Obj::Server));
const EXAMPLES: Kind = K::MapOf(&K::RefOr(Obj::Example));
const CONTENT: Kind = K::MapOf(&K::Object(Obj::MediaType));
const HEADERS: Kind = K::MapOf(&K::RefOr(Obj::Header));
const PARAMETERS: Kind = K::ListOf(&K::RefOr(Obj::Parameter));
const SECURITY: Kind = K::ListOf(&K::Object(Obj::SecurityRequirement));
const EXTERNAL_DOCS: Kind = K::Object(Obj::ExternalDocs);
const QUERY_STYLES: &[&str] = &["form", "spaceDelimited", "pipeDelimited", "deepObject"];

const ROOT: &[Field] = &[
    f("openapi", TEXT, Fill(Filler::Text("3.0.3"))),
    f("info", K::Object(Obj::Info), Fill(Filler::Info)),
    f("servers", SERVERS, Dflt),
    f("components", K::Object(Obj::Components), Opt),
    f("security", SECURITY, Opt),
    f("tags", K::ListOf(&K::Object(Obj::Tag)), Dflt),
    f("externalDocs", EXTERNAL_DOCS, Opt),
];
const INFO: &[Field] = &[
    f("title", TEXT, Fill(Filler::Text("API"))),
    f("description", TEXT, Opt),
    f("termsOfService", TEXT, Opt),
    f("contact", K::Object(Obj::Contact), Opt),
    f("license", K::Object(Obj::License), Opt),
    f("version", TEXT, Fill(Filler::Text("0.0.0"))),
];
const CONTACT: &[Field] = &[
    f("name", TEXT, Opt),
    f("url", TEXT, Opt),
    f("email", TEXT, Opt),
];
const LICENSE: &[Field] = &[f("name", TEXT, Vital), f("url", TEXT, Opt)];
const SERVER: &[Field] = &[
    f("url", TEXT, Vital),
    f("description", TEXT, Opt),
    f("variables", K::MapOf(&K::Object(Obj::ServerVariable)), Opt),
];
const SERVER_VARIABLE: &[Field] = &[
    f("enum", K::ListOf(&K::Text), Dflt),
    f("default", TEXT, Fill(Filler::Text(""))),
    f("description", TEXT, Opt),
];
const COMPONENTS: &[Field] = &[
    f("schemas", K::Entries, Dflt),
    f("responses", K::Entries, Dflt),
    f("parameters", K::Entries, Dflt),
    f("examples", K::Entries, Dflt),
    f("requestBodies", K::Entries, Dflt),
    f("headers", K::Entries, Dflt),
    f("securitySchemes", K::Entries, Dflt),
    f("links", K::Entries, Dflt),
    f("callbacks", K::Entries, Dflt),
];
const PATH_ITEM: &[Field] = &[
    f("summary", TEXT, Opt),
    f("description", TEXT, Opt),
    f("get", K::Object(Obj::Operation), Opt),
    f("put", K::Object(Obj::Operation), Opt),
    f("post", K::Object(Obj::Operation), Opt),
    f("delete", K::Object(Obj::Operation), Opt),
    f("options", K::Object(Obj::Operation), Opt),
    f("head", K::Object(Obj::Operation), Opt),
    f("patch", K::Object(Obj::Operation), Opt),
    f("trace", K::Object(Obj::Operation), Opt),
    f("servers", SERVERS, Dflt),
    f("parameters", PARAMETERS, Dflt),
];
const OPERATION: &[Field] = &[
    f("tags", K::ListOf(&K::Text), Dflt),
    f("summary", TEXT, Opt),
    f("description", TEXT, Opt),
    f("externalDocs", EXTERNAL_DOCS, Opt),
    f("operationId", TEXT, Opt),
    f("parameters", PARAMETERS, Dflt),
    f("requestBody", K::RefOr(Obj::RequestBody), Opt),
    f(
        "responses",
        K::Object(Obj::Responses),
        Fill(Filler::EmptyObject),
    ),
    f("callbacks", K::MapOf(&K::Object(Obj::Callback)), Dflt),
    f("deprecated", K::Bool, Dflt),
    f("security", SECURITY, Opt),
    f("servers", SERVERS, Dflt),
];
/// Parameter fields for every location (`in`).
const PARAMETER: &[Field] = &[
    f("name", TEXT, Vital),
    f("description", TEXT, Opt),
    f("required", K::Bool, Dflt),
    f("deprecated", K::Bool, Opt),
    f("schema", K::Schema, Dflt),
    f("content", CONTENT, Dflt),
    f("example", K::Any, Opt),
    f("examples", EXAMPLES, Dflt),
    f("explode", K::Bool, Opt),
];
const PARAMETER_IN_QUERY: &[Field] = &[
    f("allowReserved", K::Bool, Dflt),
    f("style", K::Word(QUERY_STYLES), Dflt),
    f("allowEmptyValue", K::Bool, Opt),
];
const PARAMETER_IN_HEADER: &[Field] = &[f("style", K::Word(&["simple"]), Dflt)];
const PARAMETER_IN_PATH: &[Field] = &[f("style", K::Word(&["matrix", "label", "simple"]), Dflt)];
const PARAMETER_IN_COOKIE: &[Field] = &[f("style", K::Word(&["form"]), Dflt)];
const LOCATIONS: &[&str] = &["query", "header", "path", "cookie"];
const HEADER: &[Field] = &[
    f("description", TEXT, Opt),
    f("style", K::Word(&["simple"]), Dflt),
    f("required", K::Bool, Dflt),
    f("deprecated", K::Bool, Opt),
    f("schema", K::Schema, Dflt),
    f("content", CONTENT, Dflt),
    f("example", K::Any, Opt),
    f("examples", EXAMPLES, Dflt),
];
const REQUEST_BODY: &[Field] = &[
    f("description", TEXT, Opt),
    f("content", CONTENT, Dflt),
    f("required", K::Bool, Dflt),
];
const MEDIA_TYPE: &[Field] = &[
    f("schema", K::Schema, Opt),
    f("example", K::Any, Opt),
    f("examples", EXAMPLES, Dflt),
    f("encoding", K::MapOf(&K::Object(Obj::Encoding)), Dflt),
];
const ENCODING: &[Field] = &[
    f("contentType", TEXT, Opt),
    f("headers", HEADERS, Dflt),
    f("style", K::Word(QUERY_STYLES), Opt),
    f("explode", K::Bool, Dflt),
    f("allowReserved", K::Bool, Dflt),
];
const RESPONSE: &[Field] = &[
    f("description", TEXT, Fill(Filler::Text(""))),
    f("headers", HEADERS, Dflt),
    f("content", CONTENT, Dflt),
    f("links", K::MapOf(&K::RefOr(Obj::Link)), Dflt),
];
const EXAMPLE: &[Field] = &[
    f("summary", TEXT, Opt),
    f("description", TEXT, Opt),
    f("value", K::Any, Opt),
    f("externalValue", TEXT, Opt),
];
const LINK: &[Field] = &[
    f("description", TEXT, Opt),
    f("operationRef", TEXT, Opt),
    f("operationId", TEXT, Opt),
    f("requestBody", K::Any, Opt),
    f("parameters", K::MapOf(&K::Any), Dflt),
    f("server", K::Object(Obj::Server), Opt),
];
const SCHEMA: &[Field] = &[
    // `SchemaData`
    f("nullable", K::Bool, Dflt),
    f("readOnly", K::Bool, Dflt),
    f("writeOnly", K::Bool, Dflt),
    f("deprecated", K::Bool, Dflt),
    f("externalDocs", EXTERNAL_DOCS, Opt),
    f("example", K::Any, Opt),
    f("title", TEXT, Opt),
    f("description", TEXT, Opt),
    f("discriminator", K::Object(Obj::Discriminator), Opt),
    f("default", K::Any, Opt),
    // `SchemaKind`
    f("type", K::Str, Opt),
    f("pattern", K::Str, Opt),
    f("multipleOf", K::Num, Opt),
    f("exclusiveMinimum", K::Bool, Opt),
    f("exclusiveMaximum", K::Bool, Opt),
    f("minimum", K::Num, Opt),
    f("maximum", K::Num, Opt),
    f("properties", K::MapOf(&K::Schema), Opt),
    f("required", K::ListOf(&K::Str), Opt),
    f("additionalProperties", K::Additional, Opt),
    f("minProperties", K::Count, Opt),
    f("maxProperties", K::Count, Opt),
    f("items", K::Items, Opt),
    f("minItems", K::Count, Opt),
    f("maxItems", K::Count, Opt),
    f("uniqueItems", K::Bool, Opt),
    f("enum", K::ListOf(&K::Any), Opt),
    f("format", K::Str, Opt),
    f("minLength", K::Count, Opt),
    f("maxLength", K::Count, Opt),
    f("oneOf", SCHEMA_LIST, Opt),
    f("allOf", SCHEMA_LIST, Opt),
    f("anyOf", SCHEMA_LIST, Opt),
    f("not", K::Schema, Opt),
];
const DISCRIMINATOR: &[Field] = &[
    f("propertyName", TEXT, Vital),
    f("mapping", K::MapOf(&K::Text), Dflt),
];
const EXTERNAL_DOCUMENTATION: &[Field] = &[f("description", TEXT, Opt), f("url", TEXT, Vital)];
const TAG: &[Field] = &[
    f("name", TEXT, Vital),
    f("description", TEXT, Opt),
    f("externalDocs", EXTERNAL_DOCS, Opt),
];
const SCHEME_TYPES: &[&str] = &["apiKey", "http", "oauth2", "openIdConnect"];
const API_KEY: &[Field] = &[
    f("in", K::Word(&["query", "header", "cookie"]), Vital),
    f("name", TEXT, Vital),
    f("description", TEXT, Opt),
];
const HTTP: &[Field] = &[
    f("scheme", TEXT, Vital),
    f("bearerFormat", TEXT, Opt),
    f("description", TEXT, Opt),
];
const OAUTH2: &[Field] = &[
    f("flows", K::Object(Obj::OAuthFlows), Vital),
    f("description", TEXT, Opt),
];
const OPEN_ID_CONNECT: &[Field] = &[
    f("openIdConnectUrl", TEXT, Vital),
    f("description", TEXT, Opt),
];
const OAUTH_FLOWS: &[Field] = &[
    f("implicit", K::Object(Obj::Flow(Flow::Implicit)), Opt),
    f("password", K::Object(Obj::Flow(Flow::Password)), Opt),
    f(
        "clientCredentials",
        K::Object(Obj::Flow(Flow::ClientCredentials)),
        Opt,
    ),
    f(
        "authorizationCode",
        K::Object(Obj::Flow(Flow::AuthorizationCode)),
        Opt,
    ),
];
const SCOPES: Field = f("scopes", K::MapOf(&K::Text), Fill(Filler::EmptyObject));
const REFRESH_URL: Field = f("refreshUrl", TEXT, Opt);
const AUTHORIZATION_URL: Field = f("authorizationUrl", TEXT, Vital);
const TOKEN_URL: Field = f("tokenUrl", TEXT, Vital);
const FLOW_IMPLICIT: &[Field] = &[AUTHORIZATION_URL, REFRESH_URL, SCOPES];
const FLOW_TOKEN: &[Field] = &[TOKEN_URL, REFRESH_URL, SCOPES];
const FLOW_CODE: &[Field] = &[AUTHORIZATION_URL, TOKEN_URL, REFRESH_URL, SCOPES];

/// Keywords of a Swagger 2 parameter or header that OpenAPI 3 puts in its
/// `schema`.
const SWAGGER2_SCHEMA_KEYS: &[&str] = &[
    "type",
    "format",
    "items",
    "enum",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "multipleOf",
];

/// JSON type names, which a schema written as a bare string names.
const TYPE_NAMES: &[&str] = &["string", "integer", "number", "boolean", "object", "array"];

/// Nesting beyond which values are left unchecked (the parsers stop at 128).
const MAX_DEPTH: usize = 512;

impl Obj {
    /// How a message names an object of this kind.
    fn noun(self) -> &'static str {
        match self {
            Obj::Root => "the document",
            Obj::Info => "`info`",
            Obj::Contact => "the contact",
            Obj::License => "the license",
            Obj::Server => "the server",
            Obj::ServerVariable => "the server variable",
            Obj::Components => "`components`",
            Obj::PathItem => "the path item",
            Obj::Operation => "the operation",
            Obj::Parameter => "the parameter",
            Obj::Header => "the header",
            Obj::RequestBody => "the request body",
            Obj::MediaType => "the media type",
            Obj::Encoding => "the encoding",
            Obj::Responses => "`responses`",
            Obj::Response => "the response",
            Obj::Example => "the example",
            Obj::Link => "the link",
            Obj::Callback => "the callback",
            Obj::Schema => "the schema",
            Obj::Discriminator => "the discriminator",
            Obj::ExternalDocs => "`externalDocs`",
            Obj::Tag => "the tag",
            Obj::SecurityScheme => "the security scheme",
            Obj::OAuthFlows => "`flows`",
            Obj::Flow(_) => "the flow",
            Obj::SecurityRequirement => "the security requirement",
        }
    }

    /// The keyword tables of an object of this kind (some depend on the
    /// object's own `in` or `type`).
    fn fields(self, map: &Map<String, Value>) -> [&'static [Field]; 2] {
        let none: &[Field] = &[];
        match self {
            Obj::Root => [ROOT, none],
            Obj::Info => [INFO, none],
            Obj::Contact => [CONTACT, none],
            Obj::License => [LICENSE, none],
            Obj::Server => [SERVER, none],
            Obj::ServerVariable => [SERVER_VARIABLE, none],
            Obj::Components => [COMPONENTS, none],
            Obj::PathItem => [PATH_ITEM, none],
            Obj::Operation => [OPERATION, none],
            Obj::Parameter => {
                let extra = match map.get("in").and_then(Value::as_str) {
                    Some("query") => PARAMETER_IN_QUERY,
                    Some("header") => PARAMETER_IN_HEADER,
                    Some("path") => PARAMETER_IN_PATH,
                    Some("cookie") => PARAMETER_IN_COOKIE,
                    _ => none,
                };
                [PARAMETER, extra]
            }
            Obj::Header => [HEADER, none],
            Obj::RequestBody => [REQUEST_BODY, none],
            Obj::MediaType => [MEDIA_TYPE, none],
            Obj::Encoding => [ENCODING, none],
            Obj::Responses | Obj::Callback | Obj::SecurityRequirement => [none, none],
            Obj::Response => [RESPONSE, none],
            Obj::Example => [EXAMPLE, none],
            Obj::Link => [LINK, none],
            Obj::Schema => [SCHEMA, none],
            Obj::Discriminator => [DISCRIMINATOR, none],
            Obj::ExternalDocs => [EXTERNAL_DOCUMENTATION, none],
            Obj::Tag => [TAG, none],
            Obj::SecurityScheme => {
                let table = match map.get("type").and_then(Value::as_str) {
                    Some("apiKey") => API_KEY,
                    Some("http") => HTTP,
                    Some("oauth2") => OAUTH2,
                    Some("openIdConnect") => OPEN_ID_CONNECT,
                    _ => none,
                };
                [table, none]
            }
            Obj::OAuthFlows => [OAUTH_FLOWS, none],
            Obj::Flow(Flow::Implicit) => [FLOW_IMPLICIT, none],
            Obj::Flow(Flow::Password | Flow::ClientCredentials) => [FLOW_TOKEN, none],
            Obj::Flow(Flow::AuthorizationCode) => [FLOW_CODE, none],
        }
    }

    /// The object a bare string stands for, where that is the common
    /// mistake (`servers: ["https://…"]`, `discriminator: petType`,
    /// `"200": "OK"`).
    fn object_for(self, s: &str) -> Option<Value> {
        let key = match self {
            Obj::Response => "description",
            Obj::Discriminator => "propertyName",
            Obj::ExternalDocs | Obj::Server => "url",
            Obj::Tag | Obj::License => "name",
            _ => return None,
        };
        Some(json!({ key: s }))
    }
}

/// Why a value cannot be read.
#[derive(Debug)]
enum Bad {
    /// Already reported (an object that lacks a vital keyword).
    Reported,
    /// Not reported yet: the caller drops the value and says why.
    Because(String),
}

type Checked = Result<(), Bad>;

/// One repair walk, recording what it does.
pub(crate) struct Walk<'r> {
    repairs: &'r mut Repairs,
    depth: usize,
}

impl<'r> Walk<'r> {
    pub fn new(repairs: &'r mut Repairs) -> Self {
        Walk { repairs, depth: 0 }
    }

    fn fix(&mut self, pointer: &str, message: String) {
        self.repairs.fix(pointer, message);
    }

    /// Checks (and repairs) the whole of `value` as a `kind`; false when it
    /// cannot be read at all (it is then reported, and the caller drops it).
    pub fn entry(&mut self, value: &mut Value, kind: Kind, at: &str, label: &str) -> bool {
        match self.value(value, kind, at, label) {
            Ok(()) => true,
            Err(Bad::Reported) => false,
            Err(Bad::Because(reason)) => {
                self.fix(at, format!("{label}: {reason}; skipped"));
                false
            }
        }
    }

    /// Checks (and repairs) an object of kind `obj` at `at`; false when it
    /// cannot be read at all (reported).
    pub fn entry_object(&mut self, obj: Obj, map: &mut Map<String, Value>, at: &str) -> bool {
        self.object(obj, map, at).is_ok()
    }

    /// Checks one value; repairs are recorded here, and what cannot be read
    /// is returned for the caller to drop.
    fn value(&mut self, v: &mut Value, kind: Kind, at: &str, label: &str) -> Checked {
        if self.depth > MAX_DEPTH {
            return Ok(());
        }
        self.depth += 1;
        let checked = self.value_inner(v, kind, at, label);
        self.depth -= 1;
        checked
    }

    fn value_inner(&mut self, v: &mut Value, kind: Kind, at: &str, label: &str) -> Checked {
        let wrong =
            |v: &Value| Bad::Because(format!("expected {}, found {}", expected(kind), found(v)));
        match kind {
            K::Any => Ok(()),
            K::Text => match v {
                Value::String(_) => Ok(()),
                Value::Number(_) | Value::Bool(_) => {
                    let text = Value::String(v.to_string());
                    self.repaired(at, label, kind, v, text);
                    Ok(())
                }
                _ => Err(wrong(v)),
            },
            K::Str => match v {
                Value::String(_) => Ok(()),
                _ => Err(wrong(v)),
            },
            K::Bool => match v {
                Value::Bool(_) => Ok(()),
                Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                    "true" => {
                        self.repaired(at, label, kind, v, Value::Bool(true));
                        Ok(())
                    }
                    "false" => {
                        self.repaired(at, label, kind, v, Value::Bool(false));
                        Ok(())
                    }
                    _ => Err(wrong(v)),
                },
                _ => Err(wrong(v)),
            },
            K::Count => self.count(v, at, label),
            K::Num => self.number(v, at, label),
            K::Word(words) => {
                let Value::String(s) = v else {
                    return Err(wrong(v));
                };
                if words.contains(&s.as_str()) {
                    return Ok(());
                }
                match words.iter().find(|w| w.eq_ignore_ascii_case(s.trim())) {
                    Some(w) => {
                        self.repaired(at, label, kind, v, Value::String((*w).to_owned()));
                        Ok(())
                    }
                    None => Err(wrong(v)),
                }
            }
            K::ListOf(inner) => self.list(v, inner, kind, at, label),
            K::MapOf(inner) => {
                let Value::Object(map) = v else {
                    return Err(wrong(v));
                };
                self.entries(
                    map,
                    at,
                    *inner,
                    |_| true,
                    |key| format!("{label} entry `{key}`"),
                );
                Ok(())
            }
            K::Object(obj) | K::RefOr(obj) => {
                if matches!(kind, K::RefOr(_)) && v.get("$ref").is_some_and(Value::is_string) {
                    return Ok(());
                }
                if let Some(object) = v.as_str().and_then(|s| obj.object_for(s)) {
                    self.repaired(at, label, kind, v, object);
                }
                match v {
                    Value::Object(map) => self.object(obj, map, at),
                    _ => Err(wrong(v)),
                }
            }
            K::Schema => self.schema(v, at, label),
            K::Items => {
                if let Value::Array(list) = v {
                    let (read, note) = match list.len() {
                        0 => return Err(wrong(v)),
                        1 => (list.remove(0), "a list of one schema; read as that schema"),
                        _ => (
                            json!({"anyOf": std::mem::take(list)}),
                            "a list of schemas (tuple form); read as `anyOf` of them",
                        ),
                    };
                    *v = read;
                    self.fix(at, format!("{label}: expected a schema, found {note}"));
                }
                self.schema(v, at, label)
            }
            K::Additional => match v {
                Value::Bool(_) => Ok(()),
                Value::String(s) if matches!(s.trim(), "true" | "false") => {
                    let b = Value::Bool(s.trim() == "true");
                    self.repaired(at, label, kind, v, b);
                    Ok(())
                }
                _ => self.schema(v, at, label),
            },
            K::Entries => match v {
                Value::Object(_) => Ok(()),
                _ => Err(wrong(v)),
            },
            K::Scopes => match v {
                Value::Null => {
                    self.repaired(at, label, kind, v, Value::Array(Vec::new()));
                    Ok(())
                }
                _ => self.list(v, &K::Text, kind, at, label),
            },
        }
    }

    /// Checks the entries of `map` that `read` selects as `kind`s, dropping
    /// those that cannot be read.
    fn entries(
        &mut self,
        map: &mut Map<String, Value>,
        at: &str,
        kind: Kind,
        read: impl Fn(&str) -> bool,
        label: impl Fn(&str) -> String,
    ) {
        let mut dropped = Vec::new();
        for (key, entry) in map.iter_mut().filter(|(k, _)| read(k)) {
            let ptr = format!("{at}/{}", escape_token(key));
            let label = label(key);
            if let Err(bad) = self.value(entry, kind, &ptr, &label) {
                dropped.push((key.clone(), ptr, label, bad));
            }
        }
        for (key, ptr, label, bad) in dropped {
            map.shift_remove(&key);
            if let Bad::Because(reason) = bad {
                self.fix(&ptr, format!("{label}: {reason}; dropped"));
            }
        }
    }

    /// Replaces `v` by `with`, recording what it was.
    fn repaired(&mut self, at: &str, label: &str, kind: Kind, v: &mut Value, with: Value) {
        let message = format!(
            "{label}: expected {}, found {}; read as {}",
            expected(kind),
            found(v),
            shown(&with)
        );
        *v = with;
        self.fix(at, message);
    }

    fn count(&mut self, v: &mut Value, at: &str, label: &str) -> Checked {
        let n = match &*v {
            Value::Number(n) if n.is_u64() => return Ok(()),
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        let bad = |why: &str| {
            Err(Bad::Because(format!(
                "expected a non-negative integer, found {}{why}",
                found(v)
            )))
        };
        match n {
            Some(n) if n < 0.0 => bad(""),
            // 2^64: the first float beyond `u64`.
            Some(n) if n >= 18_446_744_073_709_551_616.0 => bad(" (too large)"),
            Some(n) if n.fract() == 0.0 => {
                // In range and whole, so the conversion is exact.
                let whole = Value::Number(Number::from(n as u64));
                self.repaired(at, label, K::Count, v, whole);
                Ok(())
            }
            _ => bad(""),
        }
    }

    fn number(&mut self, v: &mut Value, at: &str, label: &str) -> Checked {
        let text = match &*v {
            Value::Number(_) => return Ok(()),
            Value::String(s) => s.trim().to_owned(),
            _ => {
                return Err(Bad::Because(format!(
                    "expected a number, found {}",
                    found(v)
                )));
            }
        };
        let parsed = if let Ok(i) = text.parse::<i64>() {
            Some(Number::from(i))
        } else if let Ok(u) = text.parse::<u64>() {
            Some(Number::from(u))
        } else {
            match text.parse::<f64>() {
                // `1e400` (a string in YAML, and made one in JSON).
                Ok(f) if f.is_infinite() => {
                    return Err(Bad::Because(format!(
                        "expected a number, found {text}, beyond the range of a 64-bit float"
                    )));
                }
                Ok(f) => Number::from_f64(f),
                Err(_) => None,
            }
        };
        match parsed {
            Some(n) => {
                self.repaired(at, label, K::Num, v, Value::Number(n));
                Ok(())
            }
            None => Err(Bad::Because(format!(
                "expected a number, found {}",
                found(v)
            ))),
        }
    }

    fn list(&mut self, v: &mut Value, inner: &Kind, kind: Kind, at: &str, label: &str) -> Checked {
        if !v.is_array() {
            if !v.is_null() && accepts(*inner, v) {
                let message = format!("{label}: expected a list, found {}", found(v));
                let object = match inner {
                    K::Object(obj) | K::RefOr(obj) => v.as_str().and_then(|s| obj.object_for(s)),
                    _ => None,
                };
                let message = match object {
                    Some(object) => {
                        *v = Value::Array(vec![object]);
                        format!("{message}; read as {}", shown(v))
                    }
                    None => {
                        *v = Value::Array(vec![std::mem::take(v)]);
                        format!("{message}; read as a list of one")
                    }
                };
                self.fix(at, message);
            } else {
                return Err(Bad::Because(format!(
                    "expected {}, found {}",
                    expected(kind),
                    found(v)
                )));
            }
        }
        let Value::Array(list) = v else {
            return Ok(());
        };
        let mut dropped = Vec::new();
        for (i, entry) in list.iter_mut().enumerate() {
            let ptr = format!("{at}/{i}");
            let entry_label = format!("{label} entry {i}");
            if let Err(bad) = self.value(entry, *inner, &ptr, &entry_label) {
                dropped.push((i, ptr, entry_label, bad));
            }
        }
        for (i, ptr, entry_label, bad) in dropped.into_iter().rev() {
            if let Bad::Because(reason) = bad {
                self.fix(&ptr, format!("{entry_label}: {reason}; dropped"));
            }
            list.remove(i);
            self.repairs.removed_entry(ptr);
        }
        Ok(())
    }

    /// A schema position.
    fn schema(&mut self, v: &mut Value, at: &str, label: &str) -> Checked {
        let read = match &*v {
            Value::Object(m) if m.get("$ref").is_some_and(Value::is_string) => return Ok(()),
            Value::Object(_) => None,
            Value::Null | Value::Bool(true) => Some(json!({})),
            Value::Bool(false) => Some(json!({"not": {}})),
            Value::String(s) if TYPE_NAMES.contains(&s.as_str()) => Some(json!({ "type": s })),
            _ => {
                return Err(Bad::Because(format!(
                    "expected a schema, found {}",
                    found(v)
                )));
            }
        };
        if let Some(read) = read {
            self.repaired(at, label, K::Schema, v, read);
        }
        match v {
            Value::Object(map) => self.object(Obj::Schema, map, at),
            _ => Ok(()),
        }
    }

    /// Checks the keywords of an object.
    fn object(&mut self, obj: Obj, map: &mut Map<String, Value>, at: &str) -> Checked {
        self.before(obj, map, at)?;
        for table in obj.fields(map) {
            for field in table {
                self.field(obj, map, field, at)?;
            }
        }
        let entries = match obj {
            Obj::Callback => Some((K::Object(Obj::PathItem), "path item")),
            Obj::SecurityRequirement => Some((K::Scopes, "scheme")),
            _ => None,
        };
        if let Some((kind, what)) = entries {
            self.entries(map, at, kind, |_| true, |key| format!("{what} `{key}`"));
        }
        self.after(obj, map, at)
    }

    fn field(
        &mut self,
        obj: Obj,
        map: &mut Map<String, Value>,
        field: &Field,
        at: &str,
    ) -> Checked {
        // Most keywords of a table are absent: nothing to format for them.
        if !map.contains_key(field.key) && matches!(field.need, Opt | Dflt) {
            return Ok(());
        }
        let ptr = format!("{at}/{}", escape_token(field.key));
        let label = format!("`{}`", field.key);
        let reason = match map.get_mut(field.key) {
            None => {
                return match field.need {
                    Opt | Dflt => Ok(()),
                    Fill(filler) => {
                        let value = filler.value();
                        self.fix(
                            at,
                            format!(
                                "{} has no `{}` (required); read as {}",
                                obj.noun(),
                                field.key,
                                shown(&value)
                            ),
                        );
                        map.insert(field.key.to_owned(), value);
                        Ok(())
                    }
                    Vital => {
                        self.fix(
                            at,
                            format!(
                                "{} has no `{}` (required), so it cannot be read; dropped",
                                obj.noun(),
                                field.key
                            ),
                        );
                        Err(Bad::Reported)
                    }
                };
            }
            Some(Value::Null) if field.need == Opt => return Ok(()),
            // An operation's `security: []` means "no credentials": when
            // none of its requirements can be read, the document's apply.
            Some(v) if obj == Obj::Operation && field.key == "security" => {
                let had = v.as_array().is_none_or(|list| !list.is_empty());
                match self.value(v, field.kind, &ptr, &label) {
                    Ok(()) if !had || v.as_array().is_some_and(|list| !list.is_empty()) => {
                        return Ok(());
                    }
                    Ok(()) => Some(
                        "none of its requirements can be read (the document's apply)".to_owned(),
                    ),
                    Err(Bad::Because(reason)) => {
                        Some(format!("{reason} (the document's requirements apply)"))
                    }
                    Err(Bad::Reported) => None,
                }
            }
            Some(v) => match self.value(v, field.kind, &ptr, &label) {
                Ok(()) => return Ok(()),
                Err(Bad::Because(reason)) => Some(reason),
                Err(Bad::Reported) => None,
            },
        };
        if let Fill(filler) = field.need {
            // In place: the keyword keeps its position.
            let value = filler.value();
            let shown_value = shown(&value);
            if let Some(slot) = map.get_mut(field.key) {
                *slot = value;
            }
            let reason = reason.unwrap_or_else(|| "unreadable".to_owned());
            self.fix(&ptr, format!("{label}: {reason}; read as {shown_value}"));
            return Ok(());
        }
        map.shift_remove(field.key);
        match field.need {
            Opt | Dflt | Fill(_) => {
                if let Some(reason) = reason {
                    self.fix(&ptr, format!("{label}: {reason}; dropped"));
                }
                Ok(())
            }
            Vital => {
                let reason = reason.unwrap_or_else(|| "unreadable".to_owned());
                self.fix(
                    &ptr,
                    format!(
                        "{label}: {reason}; {} cannot be read without it and is dropped",
                        obj.noun()
                    ),
                );
                Err(Bad::Reported)
            }
        }
    }

    /// Checks that need more than one keyword, before the keyword tables.
    fn before(&mut self, obj: Obj, map: &mut Map<String, Value>, at: &str) -> Checked {
        match obj {
            Obj::Schema => {
                self.schema_type(map, at);
                self.exclusive_bounds(map, at);
                // `required` first, so that properties can join it.
                if let Some(field) = SCHEMA.iter().find(|f| f.key == "required") {
                    self.field(obj, map, field, at)?;
                }
                self.required_properties(map, at);
                Ok(())
            }
            Obj::Parameter => self.location(map, at),
            Obj::SecurityScheme => self.scheme_type(map, at),
            Obj::Responses => {
                // Other keys are not read (`x-…` are extensions).
                let read = |code: &str| code == "default" || status_code(code);
                let kind = K::RefOr(Obj::Response);
                self.entries(map, at, kind, read, |code| format!("response `{code}`"));
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Checks that need more than one keyword, after the keyword tables.
    fn after(&mut self, obj: Obj, map: &mut Map<String, Value>, at: &str) -> Checked {
        match obj {
            Obj::Parameter | Obj::Header => {
                if map.contains_key("schema") || map.contains_key("content") {
                    return Ok(());
                }
                let moved: Vec<&str> = SWAGGER2_SCHEMA_KEYS
                    .iter()
                    .copied()
                    .filter(|k| map.contains_key(*k))
                    .collect();
                let mut schema = Map::new();
                for k in &moved {
                    if let Some(v) = map.shift_remove(*k) {
                        schema.insert((*k).to_owned(), v);
                    }
                }
                let mut schema = Value::Object(schema);
                if moved.is_empty() {
                    self.fix(
                        at,
                        format!(
                            "{} has neither `schema` nor `content`; read as `schema: {{}}` (any value)",
                            obj.noun()
                        ),
                    );
                } else {
                    let keys: Vec<String> = moved.iter().map(|k| format!("`{k}`")).collect();
                    self.fix(
                        at,
                        format!(
                            "{} has neither `schema` nor `content` but {} (Swagger 2 style); moved into `schema`",
                            obj.noun(),
                            keys.join(", ")
                        ),
                    );
                    let ptr = format!("{at}/schema");
                    if self
                        .value(&mut schema, K::Schema, &ptr, "`schema`")
                        .is_err()
                    {
                        schema = json!({});
                    }
                }
                map.insert("schema".to_owned(), schema);
                Ok(())
            }
            Obj::Link => {
                if map.contains_key("operationRef") || map.contains_key("operationId") {
                    return Ok(());
                }
                self.fix(
                    at,
                    "the link has neither `operationRef` nor `operationId`, so it cannot be read; dropped"
                        .to_owned(),
                );
                Err(Bad::Reported)
            }
            _ => Ok(()),
        }
    }

    /// `type` given as a list (JSON Schema, or OpenAPI 3.1 in a 3.0
    /// document): one type, with `"null"` read as `nullable: true`.
    fn schema_type(&mut self, map: &mut Map<String, Value>, at: &str) {
        let Some(Value::Array(types)) = map.get("type") else {
            return;
        };
        let types = types.clone();
        let was = Value::Array(types.clone());
        let null = types.iter().any(|t| t == "null");
        let rest: Vec<&Value> = types.iter().filter(|t| *t != "null").collect();
        let one = match rest.as_slice() {
            [Value::String(t)] => Some(t.clone()),
            _ => None,
        };
        let ptr = format!("{at}/type");
        let mut read = Vec::new();
        match &one {
            Some(t) => {
                map.insert("type".to_owned(), Value::String(t.clone()));
                read.push(format!("`type: {t}`"));
            }
            None => {
                map.shift_remove("type");
            }
        }
        if null && map.get("nullable") != Some(&Value::Bool(true)) {
            map.insert("nullable".to_owned(), Value::Bool(true));
            read.push("`nullable: true`".to_owned());
        }
        let was = shown(&was);
        let message = if one.is_none() && !rest.is_empty() {
            let null = if null { " (`nullable: true`)" } else { "" };
            format!(
                "`type`: expected a string, found the list {was} (several types); dropped, so any value is accepted{null}"
            )
        } else if read.is_empty() {
            format!("`type`: expected a string, found the list {was}; dropped")
        } else {
            format!(
                "`type`: expected a string, found the list {was}; read as {}",
                read.join(" + ")
            )
        };
        self.fix(&ptr, message);
    }

    /// Numeric `exclusiveMinimum`/`exclusiveMaximum` (JSON Schema, or
    /// OpenAPI 3.1, in a 3.0 document): the bound, made exclusive.
    fn exclusive_bounds(&mut self, map: &mut Map<String, Value>, at: &str) {
        for (exclusive, inclusive) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            let Some(Value::Number(bound)) = map.get(exclusive) else {
                continue;
            };
            let bound = bound.clone();
            let ptr = format!("{at}/{exclusive}");
            match map.get(inclusive) {
                None => {
                    map.insert(inclusive.to_owned(), Value::Number(bound.clone()));
                }
                Some(Value::Number(n)) if *n == bound => {}
                Some(_) => {
                    map.shift_remove(exclusive);
                    self.fix(
                        &ptr,
                        format!(
                            "`{exclusive}`: expected a boolean, found the number {bound} beside a different `{inclusive}`; dropped"
                        ),
                    );
                    continue;
                }
            }
            map.insert(exclusive.to_owned(), Value::Bool(true));
            self.fix(
                &ptr,
                format!(
                    "`{exclusive}`: expected a boolean, found the number {bound} (JSON Schema style); read as `{inclusive}: {bound}` + `{exclusive}: true`"
                ),
            );
        }
    }

    /// `required: true` inside a property's schema (Swagger 2 habit): the
    /// property joins the object's `required` list.
    fn required_properties(&mut self, map: &mut Map<String, Value>, at: &str) {
        let Some(Value::Object(properties)) = map.get_mut("properties") else {
            return;
        };
        let mut joining = Vec::new();
        for (name, property) in properties.iter_mut() {
            let Value::Object(p) = property else { continue };
            if p.get("$ref").is_some_and(Value::is_string) {
                continue;
            }
            let flag = match p.get("required") {
                Some(Value::Bool(b)) => *b,
                Some(Value::String(s)) if s.trim().eq_ignore_ascii_case("true") => true,
                Some(Value::String(s)) if s.trim().eq_ignore_ascii_case("false") => false,
                _ => continue,
            };
            let was = p.shift_remove("required").unwrap_or_default();
            let ptr = format!("{at}/properties/{}/required", escape_token(name));
            if flag {
                joining.push(name.clone());
                self.fix(
                    &ptr,
                    format!(
                        "`required: {was}` inside property `{name}` (Swagger 2 style); `{name}` added to the object's `required` list instead"
                    ),
                );
            } else {
                self.fix(
                    &ptr,
                    format!(
                        "`required: {was}` inside property `{name}` (Swagger 2 style); dropped (a property is optional unless the object's `required` lists it)"
                    ),
                );
            }
        }
        if joining.is_empty() {
            return;
        }
        let list = map
            .entry("required")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = list {
            for name in joining {
                let name = Value::String(name);
                if !list.contains(&name) {
                    list.push(name);
                }
            }
        }
    }

    /// A parameter's `in`: without a location it cannot be read.
    fn location(&mut self, map: &mut Map<String, Value>, at: &str) -> Checked {
        let ptr = format!("{at}/in");
        let message = match map.get_mut("in") {
            None => {
                "the parameter has no `in` (required), so it cannot be read; dropped".to_owned()
            }
            Some(Value::String(s)) if matches!(s.as_str(), "body" | "formData") => format!(
                "`in: {s}` is Swagger 2 (OpenAPI 3 describes bodies with `requestBody`); the parameter is dropped"
            ),
            Some(v) => match self.value(v, K::Word(LOCATIONS), &ptr, "`in`") {
                Ok(()) => return Ok(()),
                Err(Bad::Because(reason)) => {
                    format!(
                        "`in`: {reason}; the parameter cannot be read without it and is dropped"
                    )
                }
                Err(Bad::Reported) => return Err(Bad::Reported),
            },
        };
        let ptr = if map.contains_key("in") {
            ptr
        } else {
            at.to_owned()
        };
        self.fix(&ptr, message);
        Err(Bad::Reported)
    }

    /// A security scheme's `type`.
    fn scheme_type(&mut self, map: &mut Map<String, Value>, at: &str) -> Checked {
        let ptr = format!("{at}/type");
        let message = match map.get_mut("type") {
            None => "the security scheme has no `type` (required), so it cannot be read; dropped"
                .to_owned(),
            Some(v) => match self.value(v, K::Word(SCHEME_TYPES), &ptr, "`type`") {
                Ok(()) => return Ok(()),
                Err(Bad::Because(reason)) => format!(
                    "`type`: {reason}; the security scheme cannot be read without it and is dropped"
                ),
                Err(Bad::Reported) => return Err(Bad::Reported),
            },
        };
        let ptr = if map.contains_key("type") {
            ptr
        } else {
            at.to_owned()
        };
        self.fix(&ptr, message);
        Err(Bad::Reported)
    }
}

/// What a path item or component entry is.
pub(crate) fn kind_of(slot: Slot) -> Kind {
    match slot {
        Slot::Path => K::RefOr(Obj::PathItem),
        Slot::Schema => K::Schema,
        Slot::Response => K::RefOr(Obj::Response),
        Slot::Parameter => K::RefOr(Obj::Parameter),
        Slot::Example => K::RefOr(Obj::Example),
        Slot::RequestBody => K::RefOr(Obj::RequestBody),
        Slot::Header => K::RefOr(Obj::Header),
        Slot::SecurityScheme => K::RefOr(Obj::SecurityScheme),
        Slot::Link => K::RefOr(Obj::Link),
        Slot::Callback => K::RefOr(Obj::Callback),
    }
}

/// Whether `openapiv3` reads a key of `responses` as a status code: three
/// characters, a number from 100 to 999 or a digit and `XX`.
fn status_code(key: &str) -> bool {
    if key.len() != 3 {
        return false;
    }
    if let Ok(n) = key.parse::<i64>() {
        return (100..1000).contains(&n);
    }
    let b = key.as_bytes();
    b[0].is_ascii_digit() && b[1].eq_ignore_ascii_case(&b'X') && b[2].eq_ignore_ascii_case(&b'X')
}

/// Whether a lone `v` can stand for a list of `inner`s.
fn accepts(inner: Kind, v: &Value) -> bool {
    match inner {
        K::Any => true,
        K::Text => matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_)),
        K::Str | K::Word(_) => v.is_string(),
        K::Object(obj) | K::RefOr(obj) => {
            v.is_object() || v.as_str().is_some_and(|s| obj.object_for(s).is_some())
        }
        K::MapOf(_) | K::Entries => v.is_object(),
        K::Schema | K::Items => v.is_object(),
        _ => false,
    }
}

fn expected(kind: Kind) -> String {
    match kind {
        K::Text | K::Str => "a string".to_owned(),
        K::Bool => "a boolean".to_owned(),
        K::Count => "a non-negative integer".to_owned(),
        K::Num => "a number".to_owned(),
        K::Any => "any value".to_owned(),
        K::Word(words) => {
            let words: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
            format!("one of {}", words.join(", "))
        }
        K::ListOf(_) => "a list".to_owned(),
        K::Scopes => "a list of scopes".to_owned(),
        K::MapOf(_) | K::Object(_) | K::RefOr(_) | K::Entries => "an object".to_owned(),
        K::Schema | K::Items => "a schema".to_owned(),
        K::Additional => "a boolean or a schema".to_owned(),
    }
}

/// How a message names a value it found.
fn found(v: &Value) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(_) => format!("the string {}", shown(v)),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

/// A value as JSON, cut short when long.
fn shown(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() <= 60 {
        return format!("`{text}`");
    }
    let cut: String = text.chars().take(57).collect();
    format!("`{cut}…`")
}

/// Checks `value` as a `kind` at the root of a fragment: the repaired value
/// (`None` if it cannot be read) and the fixes, for tests.
#[cfg(test)]
pub(crate) fn check(kind: Kind, mut value: Value) -> (Option<Value>, Repairs) {
    let mut repairs = Repairs::default();
    let readable = match (kind, &mut value) {
        (K::Object(obj), Value::Object(map)) => Walk::new(&mut repairs).entry_object(obj, map, ""),
        _ => Walk::new(&mut repairs).entry(&mut value, kind, "", "the value"),
    };
    (readable.then_some(value), repairs)
}
