//! Which types user code can extend without breaking, and how it builds
//! the structs it sends.
//!
//! Structs, string enums and unions are `#[non_exhaustive]`: a field or a
//! variant the API adds later is then an addition, not a break (no struct
//! literal or exhaustive `match` outside the crate can miss it). Integer
//! enums are newtypes with constants, already open. Since a
//! `#[non_exhaustive]` struct has no struct literal outside its crate,
//! every struct the client sends gets `Name::new(required…)` and a setter
//! per optional field, the call shape of request builders.

use crate::model::{Constructor, TypeDef, TypeKind};
use crate::naming::Scope;

/// Methods a setter must not be named: the constructor, methods of the
/// traits the structs implement (an inherent method would shadow them), and
/// those clippy expects to implement a standard trait.
const NOT_SETTERS: &[&str] = &[
    "new",
    "default",
    "clone",
    "clone_from",
    "clone_into",
    "eq",
    "ne",
    "fmt",
    "serialize",
    "deserialize",
    "into",
    "try_into",
    "from",
    "try_from",
    "to_owned",
    "borrow",
    "borrow_mut",
    "type_id",
    "add",
    "as_mut",
    "as_ref",
    "bitand",
    "bitor",
    "bitxor",
    "cmp",
    "deref",
    "deref_mut",
    "div",
    "drop",
    "from_iter",
    "from_str",
    "hash",
    "index",
    "index_mut",
    "into_iter",
    "mul",
    "neg",
    "next",
    "not",
    "partial_cmp",
    "rem",
    "shl",
    "shr",
    "sub",
];

/// Marks types `#[non_exhaustive]` and plans the constructors of the
/// structs that are sent.
pub fn plan(defs: &mut [TypeDef]) {
    for def in defs {
        def.non_exhaustive = matches!(
            def.kind,
            TypeKind::Struct(_)
                | TypeKind::StringEnum(_)
                | TypeKind::Untagged(_)
                | TypeKind::Tagged { .. }
        );
        let sent = def.usage.serialize;
        let TypeKind::Struct(s) = &mut def.kind else {
            continue;
        };
        if !sent {
            continue;
        }
        // A setter is named after its field; one whose name is taken gets
        // `with_` in front, once the fields' own names are claimed.
        let mut scope = Scope::with_reserved(NOT_SETTERS);
        let optional: Vec<usize> = (0..s.fields.len())
            .filter(|i| s.fields[*i].ty.is_option())
            .collect();
        let mut names: Vec<Option<String>> = vec![None; s.fields.len()];
        for &i in &optional {
            let name = &s.fields[i].name.rust;
            if !scope.contains(name) {
                names[i] = Some(scope.claim(name));
            }
        }
        for &i in &optional {
            if names[i].is_none() {
                names[i] = Some(scope.claim(&format!("with_{}", s.fields[i].name.rust)));
            }
        }
        let args = (0..s.fields.len())
            .filter(|i| !s.fields[*i].ty.is_option())
            .collect();
        let setters = names
            .into_iter()
            .enumerate()
            .filter_map(|(i, n)| Some((i, n?)))
            .collect();
        s.constructor = Some(Constructor { args, setters });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Field, Struct, Ty, Usage};
    use crate::naming::Name;

    fn field(name: &str, ty: Ty) -> Field {
        Field {
            name: Name {
                wire: name.into(),
                rust: name.into(),
            },
            ty,
            doc: None,
            skip_if_none: false,
            secret: false,
        }
    }

    #[test]
    fn sent_structs_get_a_constructor_and_setters() {
        let fields = vec![
            field("a", Ty::String),
            field("clone", Ty::Option(Box::new(Ty::Bool))),
            field("new", Ty::Option(Box::new(Ty::Bool))),
            field("with_new", Ty::Option(Box::new(Ty::Bool))),
            field("z", Ty::I64),
        ];
        let mut sent = TypeDef::test_struct("Sent", &[]);
        sent.kind = TypeKind::Struct(Struct {
            fields: fields.clone(),
            additional: None,
            constructor: None,
        });
        let mut got = sent.clone();
        got.usage = Usage {
            serialize: false,
            deserialize: true,
        };
        let mut e = TypeDef::test_struct("E", &[]);
        e.kind = TypeKind::StringEnum(Vec::new());
        let mut alias = TypeDef::test_struct("A", &[]);
        alias.kind = TypeKind::Alias(Ty::String);
        let mut defs = vec![sent, got, e, alias];
        plan(&mut defs);
        let open: Vec<bool> = defs.iter().map(|d| d.non_exhaustive).collect();
        assert_eq!(open, [true, true, true, false]);
        let constructor = |d: &TypeDef| match &d.kind {
            TypeKind::Struct(s) => s.constructor.clone(),
            _ => None,
        };
        assert_eq!(
            constructor(&defs[0]),
            Some(Constructor {
                args: vec![0, 4],
                // `new` is the constructor, and `with_new` a field's own.
                setters: vec![
                    (1, "with_clone".into()),
                    (2, "with_new_2".into()),
                    (3, "with_new".into()),
                ],
            })
        );
        assert_eq!(constructor(&defs[1]), None);
    }
}
