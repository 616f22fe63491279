//! Pagination: which operations can be consumed as a stream of items.
//!
//! Only where the spec makes it certain: a `Link` response header on an
//! array response (GitHub), or a `{data: [..], has_more}` page with items
//! that have an `id` and a `starting_after` query parameter (Stripe). The
//! config can ask for `Link` paging where the header is not declared.

use crate::config::{Config, Paginate};
use crate::model::{
    Access, Field, Operation, Pagination, ParamLocation, ResponseKind, Ty, TypeDef, TypeKind,
};

fn field<'d>(def: &'d TypeDef, wire: &str) -> Option<&'d Field> {
    match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().find(|f| f.name.wire == wire),
        _ => None,
    }
}

fn strip(ty: &Ty) -> (&Ty, bool) {
    match ty {
        Ty::Option(inner) => (inner, true),
        other => (other, false),
    }
}

fn named<'d>(defs: &'d [TypeDef], ty: &Ty) -> Option<&'d TypeDef> {
    let ty = match ty {
        Ty::Box(inner) => inner,
        t => t,
    };
    match ty {
        Ty::Named(n) => defs.iter().find(|d| d.name.rust == *n),
        _ => None,
    }
}

fn cursor(op: &Operation, defs: &[TypeDef]) -> Option<Pagination> {
    let ResponseKind::Json(page_ty) = &op.response.kind else {
        return None;
    };
    let param = op.params.iter().find(|p| {
        p.location == ParamLocation::Query
            && p.name.wire == "starting_after"
            && !p.is_positional()
            && p.ty == Ty::String
    })?;
    let page = named(defs, page_ty)?;
    let data = field(page, "data")?;
    let (data_ty, data_opt) = strip(&data.ty);
    let Ty::Vec(item) = data_ty else { return None };
    let more = field(page, "has_more")?;
    let (more_ty, more_opt) = strip(&more.ty);
    if *more_ty != Ty::Bool {
        return None;
    }
    let id = field(named(defs, item)?, "id")?;
    let (id_ty, id_opt) = strip(&id.ty);
    if *id_ty != Ty::String {
        return None;
    }
    Some(Pagination::Cursor {
        item: (**item).clone(),
        items: Access {
            field: data.name.rust.clone(),
            optional: data_opt,
        },
        has_more: Access {
            field: more.name.rust.clone(),
            optional: more_opt,
        },
        id: Access {
            field: id.name.rust.clone(),
            optional: id_opt,
        },
        param: param.name.rust.clone(),
    })
}

/// Sets `pagination` on the operations that page.
pub fn detect(ops: &mut [Operation], defs: &[TypeDef], config: &Config) {
    for op in ops {
        let forced = config.operations.iter().any(|(key, c)| {
            c.paginate == Some(Paginate::Link)
                && (*key == op.name.wire || *key == format!("{} {}", op.method.as_str(), op.path))
        });
        op.pagination = match &op.response.kind {
            ResponseKind::Json(Ty::Vec(item)) if op.response.link || forced => {
                Some(Pagination::Link {
                    item: (**item).clone(),
                })
            }
            _ => cursor(op, defs),
        };
    }
}
