//! The call the crate documentation shows, as a doc test: one operation
//! called with only its required arguments, then with optional parameters
//! set. Chosen by the config (`[example]`) or picked: the first operation by
//! name, GETs first, whose arguments can all be written out and which has
//! optional parameters to show.

use crate::config::ExampleConfig;
use crate::diag::Diagnostics;
use crate::model::{Example, ExampleValue, Operation, Ty, TypeDef, TypeKind};

/// How many setters a picked example shows.
const SETTERS: usize = 2;

pub struct Context<'a> {
    /// The package name.
    pub package: &'a str,
    /// The API's own base URL, when it names one.
    pub base_url: Option<&'a str>,
}

pub fn choose(
    ops: &[Operation],
    types: &[TypeDef],
    config: Option<&ExampleConfig>,
    cx: &Context<'_>,
    diags: &mut Diagnostics,
) -> Option<Example> {
    let krate = cx.package.replace('-', "_");
    let base_url = cx
        .base_url
        .is_none()
        .then(|| "https://api.example.com".to_owned());
    let example = |op: &Operation, setters: &[String]| {
        example(op, types, setters, base_url.clone(), krate.clone())
    };
    if let Some(cfg) = config {
        let found = ops.iter().find(|o| {
            o.name.wire == cfg.operation
                || format!("{} {}", o.method.as_str(), o.path) == cfg.operation
        });
        let Some(op) = found else {
            diags.warning(
                format!("`[example] operation = \"{}\"` names no operation; the crate documentation shows none", cfg.operation),
                None,
            );
            return None;
        };
        let example = example(op, &cfg.setters);
        if example.is_none() {
            diags.warning(
                format!("the arguments of `{}` cannot be written out in an example; the crate documentation shows none", cfg.operation),
                None,
            );
        }
        return example;
    }
    let mut candidates: Vec<&Operation> = ops.iter().collect();
    candidates.sort_by_key(|o| (o.method != crate::model::Method::Get, o.name.rust.clone()));
    candidates
        .iter()
        .filter_map(|op| example(op, &[]))
        .find(|e| !e.setters.is_empty())
}

/// The example for one operation, when its arguments can be written out.
fn example(
    op: &Operation,
    types: &[TypeDef],
    setters: &[String],
    base_url: Option<String>,
    krate: String,
) -> Option<Example> {
    if op.takes_body() {
        return None;
    }
    let args = op
        .positional()
        .into_iter()
        .map(|i| value(&op.param(i)?.ty, &op.param(i)?.name.wire, types))
        .collect::<Option<Vec<_>>>()?;
    let optional = op.params.iter().filter(|p| !p.is_positional());
    let chosen: Vec<(String, ExampleValue)> = if setters.is_empty() {
        // Overrides of client settings are not what a first example shows.
        optional
            .filter(|p| p.client.is_none())
            .filter_map(|p| Some((p.name.rust.clone(), value(&p.ty, &p.name.wire, types)?)))
            .take(SETTERS)
            .collect()
    } else {
        let optional: Vec<_> = optional.collect();
        setters
            .iter()
            .filter_map(|wire| {
                let p = optional.iter().find(|p| p.name.wire == *wire)?;
                Some((p.name.rust.clone(), value(&p.ty, wire, types)?))
            })
            .collect()
    };
    Some(Example {
        krate,
        method: op.name.rust.clone(),
        group: op.group,
        args,
        setters: chosen,
        base_url,
    })
}

/// A plausible value of a type: the parameter's name for strings, a round
/// number, the first known value of an enum.
fn value(ty: &Ty, wire: &str, types: &[TypeDef]) -> Option<ExampleValue> {
    match ty {
        Ty::String => Some(ExampleValue::Str(wire.to_owned())),
        Ty::I32 | Ty::I64 => Some(ExampleValue::Int(10)),
        Ty::Bool => Some(ExampleValue::Bool(true)),
        Ty::Named(n) => {
            let def = types.iter().find(|d| d.name.rust == *n)?;
            let item = match &def.kind {
                TypeKind::StringEnum(vs) => vs.first()?.name.rust.clone(),
                TypeKind::IntEnum { values, .. } => values.first()?.name.rust.clone(),
                _ => return None,
            };
            Some(ExampleValue::Item {
                ty: n.clone(),
                item,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Param, ParamLocation, PathPart, Variant};
    use crate::naming::Name;

    fn param(wire: &str, ty: Ty, location: ParamLocation, required: bool) -> Param {
        Param {
            name: Name {
                wire: wire.into(),
                rust: wire.into(),
            },
            location,
            ty,
            required,
            doc: None,
            style: crate::model::QueryStyle::Form,
            client: None,
            secret: false,
            pointer: None,
        }
    }

    fn cx(base_url: Option<&str>) -> Context<'_> {
        Context {
            package: "my-api",
            base_url,
        }
    }

    fn list_for_org() -> (Operation, Vec<TypeDef>) {
        let mut op = Operation::test("repos_list_for_org");
        op.name.wire = "repos/list-for-org".into();
        op.params = vec![
            param("org", Ty::String, ParamLocation::Path, true),
            param(
                "type",
                Ty::Json(crate::model::Untyped::Any),
                ParamLocation::Query,
                false,
            ),
            param(
                "sort",
                Ty::Named("Sort".into()),
                ParamLocation::Query,
                false,
            ),
            param("per_page", Ty::I64, ParamLocation::Query, false),
        ];
        op.segments = vec![
            vec![PathPart::Literal("orgs".into())],
            vec![PathPart::Param(crate::model::ParamId(0))],
        ];
        let mut sort = TypeDef::test_struct("Sort", &[]);
        sort.kind = TypeKind::StringEnum(vec![Variant {
            name: Name {
                wire: "created".into(),
                rust: "Created".into(),
            },
            doc: None,
        }]);
        (op, vec![sort])
    }

    #[test]
    fn picked_example_skips_what_cannot_be_written() {
        let (op, types) = list_for_org();
        let mut diags = Diagnostics::default();
        let e = choose(&[op], &types, None, &cx(None), &mut diags).expect("an example");
        assert_eq!(e.krate, "my_api");
        assert_eq!(e.args, [ExampleValue::Str("org".into())]);
        assert_eq!(
            e.setters,
            [
                (
                    "sort".to_owned(),
                    ExampleValue::Item {
                        ty: "Sort".into(),
                        item: "Created".into()
                    }
                ),
                ("per_page".to_owned(), ExampleValue::Int(10)),
            ]
        );
        assert_eq!(e.base_url.as_deref(), Some("https://api.example.com"));
        assert!(diags.is_empty());
    }

    #[test]
    fn configured_example_and_its_setters() {
        let (op, types) = list_for_org();
        let cfg = ExampleConfig {
            operation: "repos/list-for-org".into(),
            setters: vec!["per_page".into(), "nope".into()],
        };
        let mut diags = Diagnostics::default();
        let e = choose(
            std::slice::from_ref(&op),
            &types,
            Some(&cfg),
            &cx(Some("u")),
            &mut diags,
        )
        .expect("an example");
        assert_eq!(e.setters, [("per_page".to_owned(), ExampleValue::Int(10))]);
        assert_eq!(e.base_url, None);

        let missing = ExampleConfig {
            operation: "GET /nowhere".into(),
            setters: Vec::new(),
        };
        assert_eq!(
            choose(&[op], &types, Some(&missing), &cx(None), &mut diags),
            None
        );
        assert_eq!(diags.len(), 1);
    }

    #[test]
    fn bodies_and_unwritable_arguments_give_no_example() {
        let (mut op, types) = list_for_org();
        op.params[0].ty = Ty::Json(crate::model::Untyped::Any);
        let mut diags = Diagnostics::default();
        assert_eq!(choose(&[op], &types, None, &cx(None), &mut diags), None);
    }
}
