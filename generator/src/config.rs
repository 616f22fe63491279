//! The generator config (`codegen.toml` next to the specs): what a spec
//! cannot say.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diag::{Diagnostics, Location};

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The generated crate's package.
    #[serde(default)]
    pub package: Package,
    /// Per operation, keyed by `operationId` or by `"METHOD /path"`.
    #[serde(default)]
    pub operations: BTreeMap<String, OperationConfig>,
    /// Client-level settings.
    #[serde(default)]
    pub client: ClientConfig,
    /// How types are generated.
    #[serde(default)]
    pub types: TypesConfig,
    /// The common response envelope, when the API wraps every payload in one.
    pub envelope: Option<EnvelopeConfig>,
    /// Extra content merged into the generated `Cargo.toml`, verbatim.
    #[serde(default)]
    pub manifest: toml::Table,
    /// The call the crate documentation shows (a doc test); without it the
    /// generator picks one.
    pub example: Option<ExampleConfig>,
    /// Overlay files (OpenAPI Overlay 1.0/1.1), relative to this config's
    /// folder, applied in order before those given on the command line.
    #[serde(default)]
    pub overlays: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleConfig {
    /// The operation, by `operationId` or `"METHOD /path"`.
    pub operation: String,
    /// Optional parameters (wire names) the second call sets; default: the
    /// first two whose values can be written out.
    #[serde(default)]
    pub setters: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypesConfig {
    /// Which serde traits types derive.
    #[serde(default)]
    pub serde: SerdeDerives,
    /// Split the crate into one module and cargo feature per tag.
    #[serde(default)]
    pub split: Split,
    /// `format: date-time` and `date` as `chrono` types ("chrono", the
    /// default) or plain strings ("string").
    #[serde(default)]
    pub date_time: Scalar,
    /// `format: uuid` as `uuid::Uuid` ("uuid", the default) or strings.
    #[serde(default)]
    pub uuid: Scalar,
    /// `format: byte` as base64-decoded bytes (`types::Base64`, "bytes",
    /// the default) or the base64 text ("string").
    #[serde(default)]
    pub byte: Scalar,
}

/// Whether a string format maps to a typed scalar or stays a `String`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scalar {
    #[default]
    #[serde(alias = "chrono", alias = "uuid", alias = "bytes")]
    Typed,
    String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Split {
    /// Split APIs with 100 operations or more.
    #[default]
    Auto,
    On,
    Off,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SerdeDerives {
    /// `Serialize` for what is sent, `Deserialize` for what is received
    /// (quickest to compile).
    #[default]
    AsUsed,
    /// Both traits on every type.
    Both,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeConfig {
    /// The property holding the payload.
    #[serde(default = "default_data")]
    pub data: String,
    /// When an envelope counts as success; without it every envelope does.
    pub success: Option<SuccessConfig>,
}

fn default_data() -> String {
    "data".to_owned()
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuccessConfig {
    /// The property compared (wire name).
    pub field: String,
    /// The value meaning success: a string, boolean or integer.
    pub equals: toml::Value,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Package {
    pub name: Option<String>,
    pub version: Option<String>,
    pub description: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientConfig {
    /// Hoisted parameters (headers shared by operations), keyed by wire name.
    #[serde(default)]
    pub params: BTreeMap<String, ClientParamConfig>,
    /// More field and parameter names whose values `Debug` must not show.
    #[serde(default)]
    pub secrets: Vec<String>,
    /// Send through `reqwest_middleware::ClientWithMiddleware` (retries,
    /// tracing, auth refresh) instead of a plain `reqwest::Client`.
    #[serde(default)]
    pub middleware: bool,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientParamConfig {
    /// A fixed default value.
    pub default: Option<String>,
    /// A value generated per request: `"uuid"` (a fresh UUID v4).
    pub generate: Option<Generate>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Paginate {
    Link,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Generate {
    Uuid,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationConfig {
    /// The Rust method name to use instead of the derived one.
    pub name: Option<String>,
    /// Page through results with `Link` headers (`"link"`) where the spec
    /// does not declare the header itself.
    pub paginate: Option<Paginate>,
}

impl Config {
    /// Parses a config file's text; errors carry the file's line.
    pub fn parse(text: &str, file: &str, diags: &mut Diagnostics) -> Option<Config> {
        match toml::from_str::<Config>(text) {
            Ok(c) => Some(c),
            Err(e) => {
                let line = e.span().map_or(1, |s| {
                    text[..s.start.min(text.len())].matches('\n').count() + 1
                });
                diags.error(
                    format!("invalid generator config: {}", e.message()),
                    Some(Location {
                        file: file.to_owned(),
                        line,
                        pointer: String::new(),
                        overlay: None,
                    }),
                );
                None
            }
        }
    }

    /// The config of a hoisted parameter (header names ignore case).
    pub fn client_param(&self, wire: &str) -> Option<&ClientParamConfig> {
        self.client
            .params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(wire))
            .map(|(_, v)| v)
    }

    /// The config for an operation, by id or by `METHOD /path`.
    pub fn operation(
        &self,
        id: Option<&str>,
        method: &str,
        path: &str,
    ) -> Option<&OperationConfig> {
        id.and_then(|id| self.operations.get(id)).or_else(|| {
            self.operations
                .get(&format!("{} {path}", method.to_uppercase()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_table() {
        let cases = [
            ("", None),
            ("[operations.\"POST /a\"]\nname = \"x\"\n", None),
            (
                "[operations.a]\nnmae = \"x\"\n",
                Some(
                    "error: codegen.toml:2: invalid generator config: unknown field `nmae`, expected `name` or `paginate`",
                ),
            ),
            (
                "[package]\nname = 3\n",
                Some(
                    "error: codegen.toml:2: invalid generator config: invalid type: integer `3`, expected a string",
                ),
            ),
        ];
        for (text, err) in cases {
            let mut d = Diagnostics::default();
            let c = Config::parse(text, "codegen.toml", &mut d);
            assert_eq!(c.is_none(), err.is_some(), "{text}");
            assert_eq!(d.to_string().trim_end(), err.unwrap_or(""), "{text}");
        }
    }

    #[test]
    fn operation_lookup() {
        let mut d = Diagnostics::default();
        let c = Config::parse(
            "[operations.\"POST /a\"]\nname = \"by_path\"\n[operations.opId]\nname = \"by_id\"\n",
            "c",
            &mut d,
        )
        .unwrap_or_default();
        let name = |id, m, p| c.operation(id, m, p).and_then(|o| o.name.clone());
        assert_eq!(name(Some("opId"), "post", "/a").as_deref(), Some("by_id"));
        assert_eq!(name(None, "post", "/a").as_deref(), Some("by_path"));
        assert_eq!(
            name(Some("other"), "post", "/a").as_deref(),
            Some("by_path")
        );
        assert_eq!(name(None, "get", "/a"), None);
    }
}
