//! Security schemes → credentials the client holds, and per operation the
//! alternatives it accepts (`security`, the operation's or the document's).
//! API keys go in their header, query parameter or cookie; `http` bearer,
//! OAuth 2 and OpenID Connect are a bearer token; `http` basic is a user name
//! and password. Other `http` schemes are warned about and skipped.

use openapiv3::{APIKeyLocation, ReferenceOr, SecurityRequirement, SecurityScheme};

use crate::diag::{Diagnostics, escape_token};
use crate::lower::docs;
use crate::lower::operations::Found;
use crate::merge::Api;
use crate::model::{
    Credential, CredentialId, CredentialKind, GroupId, Operation, Param, ParamLocation,
};
use crate::naming::{self, Name, Scope};

/// The API's credentials, in scheme-name order. `scope` holds the client's
/// settings so far: names are claimed in it.
pub fn credentials(api: &Api, scope: &mut Scope, diags: &mut Diagnostics) -> Vec<Credential> {
    let Some(components) = &api.openapi.components else {
        return Vec::new();
    };
    let mut schemes: Vec<(&String, &ReferenceOr<SecurityScheme>)> =
        components.security_schemes.iter().collect();
    schemes.sort_by(|a, b| a.0.cmp(b.0));
    let mut variants = Scope::new();
    let mut out = Vec::new();
    for (wire, scheme) in schemes {
        let ptr = format!("/components/securitySchemes/{}", escape_token(wire));
        let ReferenceOr::Item(scheme) = scheme else {
            diags.warning(
                format!("security scheme `{wire}` is a `$ref`; it is skipped"),
                Some(api.locate(&ptr)),
            );
            continue;
        };
        let (kind, description) = match scheme {
            SecurityScheme::APIKey {
                location,
                name,
                description,
                ..
            } => {
                let location = match location {
                    APIKeyLocation::Header => ParamLocation::Header,
                    APIKeyLocation::Query => ParamLocation::Query,
                    APIKeyLocation::Cookie => ParamLocation::Cookie,
                };
                let kind = CredentialKind::ApiKey {
                    location,
                    name: name.clone(),
                };
                (kind, description)
            }
            SecurityScheme::HTTP {
                scheme,
                description,
                ..
            } => match scheme.to_ascii_lowercase().as_str() {
                "bearer" => (CredentialKind::Bearer, description),
                "basic" => (CredentialKind::Basic, description),
                other => {
                    diags.warning(
                        format!("security scheme `{wire}`: HTTP `{other}` authentication is not supported; set the `Authorization` header with `with_header`"),
                        Some(api.locate(&ptr)),
                    );
                    continue;
                }
            },
            SecurityScheme::OAuth2 { description, .. }
            | SecurityScheme::OpenIDConnect { description, .. } => {
                (CredentialKind::Bearer, description)
            }
        };
        out.push(Credential {
            name: Name {
                wire: wire.clone(),
                rust: scope.claim(&naming::snake(wire, "credential")),
            },
            variant: variants.claim(&naming::pascal(wire, "Scheme")),
            kind,
            doc: docs::doc(&[description.as_deref()]),
            groups: Vec::new(),
        });
    }
    out
}

/// The alternatives an operation accepts, of `credentials`.
/// Alternatives naming an unknown scheme are dropped (with a warning); an
/// empty alternative (anonymous access) is kept out: when credentials are
/// set, they are sent.
pub fn requirements(
    api: &Api,
    f: &Found<'_>,
    credentials: &[Credential],
    diags: &mut Diagnostics,
) -> Vec<Vec<CredentialId>> {
    let (list, ptr): (&[SecurityRequirement], String) =
        match (&f.op.security, &api.openapi.security) {
            (Some(own), _) => (own, format!("{}/security", f.ptr)),
            (None, Some(global)) => (global, "/security".to_owned()),
            (None, None) => return Vec::new(),
        };
    let mut out: Vec<Vec<CredentialId>> = Vec::new();
    for requirement in list {
        let mut alternative = Vec::new();
        for wire in requirement.keys() {
            match credentials.iter().position(|c| c.name.wire == *wire) {
                Some(i) => alternative.push(CredentialId(i)),
                None => {
                    diags.warning(
                        format!("security requirement names `{wire}`, which is no usable security scheme; that alternative is dropped"),
                        Some(api.locate(&ptr)),
                    );
                    alternative.clear();
                    break;
                }
            }
        }
        alternative.sort_unstable();
        if !alternative.is_empty() && !out.contains(&alternative) {
            out.push(alternative);
        }
    }
    out
}

/// Keeps the credentials some operation accepts (renumbering operations'
/// references) and records the groups of the operations using each, so a
/// credential is compiled exactly when an operation that sends it is.
pub fn keep_used(credentials: &mut Vec<Credential>, ops: &mut [Operation]) {
    let mut users: Vec<Vec<Option<GroupId>>> = vec![Vec::new(); credentials.len()];
    for op in ops.iter() {
        for i in op.security.iter().flatten() {
            if let Some(u) = users.get_mut(i.0) {
                u.push(op.group);
            }
        }
    }
    let mut new_index = vec![None; credentials.len()];
    let mut kept = Vec::new();
    for (i, (mut c, u)) in std::mem::take(credentials)
        .into_iter()
        .zip(users)
        .enumerate()
    {
        if u.is_empty() {
            continue;
        }
        c.groups = if u.contains(&None) {
            Vec::new()
        } else {
            let mut g: Vec<GroupId> = u.into_iter().flatten().collect();
            g.sort_unstable();
            g.dedup();
            g
        };
        new_index[i] = Some(kept.len());
        kept.push(c);
    }
    let variants: Vec<String> = kept.iter().map(|c| c.variant.clone()).collect();
    for (c, v) in kept.iter_mut().zip(naming::without_shared_words(&variants)) {
        c.variant = v;
    }
    *credentials = kept;
    for op in ops.iter_mut() {
        for alternative in &mut op.security {
            for i in alternative.iter_mut() {
                i.0 = new_index.get(i.0).copied().flatten().unwrap_or(i.0);
            }
        }
    }
}

/// Whether a parameter is an API key the client sends as a credential.
pub fn is_credential(p: &Param, credentials: &[Credential]) -> bool {
    credentials.iter().any(|c| match &c.kind {
        CredentialKind::ApiKey { location, name } => {
            *location == p.location
                && if p.location == ParamLocation::Header {
                    name.eq_ignore_ascii_case(&p.name.wire)
                } else {
                    *name == p.name.wire
                }
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credential(wire: &str) -> Credential {
        Credential {
            name: Name {
                wire: wire.into(),
                rust: wire.into(),
            },
            variant: naming::pascal(wire, "Scheme"),
            kind: CredentialKind::Bearer,
            doc: None,
            groups: Vec::new(),
        }
    }

    #[test]
    fn unused_credentials_go_and_used_ones_know_their_groups() {
        let mut credentials = vec![credential("a"), credential("unused"), credential("c")];
        let mut ops = vec![
            Operation::test("x"),
            Operation::test("y"),
            Operation::test("z"),
        ];
        let (c, g) = (CredentialId, GroupId);
        ops[0].security = vec![vec![c(0)], vec![c(2)]];
        ops[0].group = Some(g(1));
        ops[1].security = vec![vec![c(2)]];
        ops[1].group = Some(g(0));
        ops[2].security = vec![vec![c(0)]];
        keep_used(&mut credentials, &mut ops);
        let kept: Vec<(&str, &[GroupId])> = credentials
            .iter()
            .map(|c| (c.name.wire.as_str(), c.groups.as_slice()))
            .collect();
        assert_eq!(kept, [("a", &[][..]), ("c", &[g(0), g(1)][..])]);
        assert_eq!(ops[0].security, [vec![c(0)], vec![c(1)]]);
        assert_eq!(ops[1].security, [vec![c(1)]]);
    }
}
