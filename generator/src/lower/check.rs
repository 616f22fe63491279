//! The model's own consistency check, run after lowering: every name is a
//! usable identifier, unique in its scope, and every named type exists.
//!
//! A failure here is a generator bug, not a user mistake: it is reported as
//! an internal error instead of emitting code that would not compile.

use std::collections::BTreeSet;

use crate::diag::Diagnostics;
use crate::model::{Model, Ty, TypeKind};
use crate::naming;

/// Checks `model`; each problem is an internal error.
pub fn check(model: &Model, diags: &mut Diagnostics) {
    let mut problems: Vec<String> = Vec::new();
    let types: BTreeSet<&str> = model.types.iter().map(|t| t.name.rust.as_str()).collect();

    let mut type_scope = Unique::new("type", &[]);
    for def in &model.types {
        type_scope.add(&def.name.rust, &mut problems);
        let kind = match &def.kind {
            TypeKind::Struct(s) => {
                let reserved: &[&str] = if s.additional.is_some() {
                    &[naming::ADDITIONAL_PROPERTIES]
                } else {
                    &[]
                };
                let mut fields = Unique::new("field", reserved);
                for f in &s.fields {
                    fields.add(&f.name.rust, &mut problems);
                }
                "struct"
            }
            TypeKind::StringEnum(vs) => {
                let mut variants = Unique::new("variant", &[naming::OTHER_VARIANT]);
                vs.iter()
                    .for_each(|v| variants.add(&v.name.rust, &mut problems));
                "enum"
            }
            TypeKind::IntEnum { values, .. } => {
                let mut constants = Unique::new("constant", &[]);
                values
                    .iter()
                    .for_each(|v| constants.add(&v.name.rust, &mut problems));
                "integer enum"
            }
            TypeKind::Untagged(vs) | TypeKind::Tagged { variants: vs, .. } => {
                let mut variants = Unique::new("variant", &[]);
                for v in vs {
                    variants.add(&v.name.rust, &mut problems);
                }
                "union"
            }
            TypeKind::Alias(_) => "alias",
        };
        if problems.len() > 20 {
            problems.push(format!("… (stopped at {kind} `{}`)", def.name.rust));
            break;
        }
    }

    // Client parameters and credentials are fields of one struct.
    let client_fields = naming::client_fields_reserved();
    let mut fields = Unique::new("client field", &client_fields);
    for name in client_fields_of(model) {
        fields.add(name, &mut problems);
    }
    let reserved = naming::client_reserved(client_fields_of(model));
    let reserved: Vec<&str> = reserved.iter().map(String::as_str).collect();
    let mut methods = Unique::new("client method", &reserved);
    let mut groups = Unique::new("group", naming::GROUP_MODULE_NAMES);
    for g in &model.groups {
        groups.add(&g.name.rust, &mut problems);
    }
    let mut builders = Unique::new("request builder", naming::BUILDER_MODULE_NAMES);
    for op in &model.operations {
        methods.add(&op.name.rust, &mut problems);
        builders.add(&op.builder, &mut problems);
        let mut params = Unique::new("parameter", naming::BUILDER_MEMBERS);
        for p in &op.params {
            params.add(&p.name.rust, &mut problems);
            if p.client.is_some_and(|i| model.client_param(i).is_none()) {
                problems.push(format!(
                    "parameter `{}` names no client parameter",
                    p.name.rust
                ));
            }
        }
        for part in op.segments.iter().flatten() {
            if let crate::model::PathPart::Param(i) = part
                && op.param(*i).is_none()
            {
                problems.push(format!(
                    "operation `{}` has a path part with no parameter",
                    op.name.rust
                ));
            }
        }
    }
    // Every type the crate spells out (in types, operations, error bodies,
    // the envelope) is defined.
    for (_, ty) in model.tys() {
        if problems.len() > 40 {
            break;
        }
        named(ty, &types, &mut problems);
    }
    for p in problems {
        diags.error(format!("internal error: {p}"), None);
    }
}

/// The fields of the client's parameters: hoisted parameters and credentials.
fn client_fields_of(model: &Model) -> impl Iterator<Item = &str> {
    let params = model.client_params.iter().map(|p| p.name.rust.as_str());
    params.chain(model.credentials.iter().map(|c| c.name.rust.as_str()))
}

/// Names of one scope.
struct Unique<'r> {
    what: &'static str,
    reserved: &'r [&'r str],
    seen: BTreeSet<String>,
}

impl<'r> Unique<'r> {
    fn new(what: &'static str, reserved: &'r [&'r str]) -> Self {
        Unique {
            what,
            reserved,
            seen: BTreeSet::new(),
        }
    }

    fn add(&mut self, name: &str, problems: &mut Vec<String>) {
        if !is_identifier(name) {
            problems.push(format!(
                "{} name `{name}` is not a Rust identifier",
                self.what
            ));
        }
        if self.reserved.contains(&name) {
            problems.push(format!("{} name `{name}` is reserved", self.what));
        }
        if !self.seen.insert(name.to_owned()) {
            problems.push(format!("{} name `{name}` is used twice", self.what));
        }
    }
}

/// A plain (non-raw) identifier that is no keyword of any edition.
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    first_ok
        && name != "_"
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !naming::is_keyword(name)
}

fn named(ty: &Ty, types: &BTreeSet<&str>, problems: &mut Vec<String>) {
    match ty {
        Ty::Named(n) if !types.contains(n.as_str()) => {
            problems.push(format!("type `{n}` is used but not defined"));
        }
        Ty::Vec(i) | Ty::Map(i) | Ty::Option(i) | Ty::Box(i) => named(i, types, problems),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        let cases = [
            ("a", true),
            ("type_", true),
            ("_x", true),
            ("N2fa", true),
            ("", false),
            ("_", false),
            ("type", false),
            ("gen", false),
            ("Self", false),
            ("2fa", false),
            ("a-b", false),
            ("名字", false),
        ];
        for (name, ok) in cases {
            assert_eq!(is_identifier(name), ok, "{name:?}");
        }
    }

    #[test]
    fn undefined_and_duplicate_names_are_internal_errors() {
        use crate::model::{Struct, TypeDef};
        use crate::naming::Name;
        let def = |rust: &str, kind| TypeDef {
            name: Name {
                wire: rust.into(),
                rust: rust.into(),
            },
            doc: None,
            kind,
            default: false,
            usage: crate::model::Usage::default(),
            groups: Vec::new(),
            pointer: String::new(),
            non_exhaustive: false,
        };
        let model = Model {
            types: vec![
                def(
                    "A",
                    TypeKind::Alias(Ty::Vec(Box::new(Ty::Named("Missing".into())))),
                ),
                def(
                    "A",
                    TypeKind::Struct(Struct {
                        fields: Vec::new(),
                        additional: None,
                        constructor: None,
                    }),
                ),
            ],
            ..Model::default()
        };
        let mut d = Diagnostics::default();
        check(&model, &mut d);
        assert_eq!(
            d.to_string(),
            "error: internal error: type `Missing` is used but not defined\n\
             error: internal error: type name `A` is used twice\n"
        );
    }
}
