//! Documented error responses: each operation's error statuses with a JSON
//! body become cases of one crate-wide `ErrorBody` enum, so every call still
//! returns the one `Error` type (`?` works across operations) while the
//! bodies the API documents arrive typed.

use std::collections::BTreeMap;

use openapiv3::{ReferenceOr, StatusCode};

use crate::diag::{Diagnostics, escape_token};
use crate::lower::operations::{Found, component, is_json, pick_content};
use crate::lower::types::{TypeSpace, variant_label};
use crate::merge::Api;
use crate::model::{ErrorBody, ErrorBodyId, ErrorCase, Operation, StatusMatch, Ty};
use crate::naming::{self, Scope};

/// An operation's documented error responses: which statuses, which type.
pub type Documented = Vec<(StatusMatch, Ty)>;

/// The error responses of one operation with a JSON body. `default` counts
/// as an error only when the operation documents a success status (without
/// one, `default` is the success response).
pub fn documented(
    api: &Api,
    f: &Found<'_>,
    builder: &str,
    types: &mut TypeSpace<'_>,
    diags: &mut Diagnostics,
) -> Documented {
    let components = api.openapi.components.as_ref();
    let responses = &f.op.responses;
    let has_success = responses.responses.keys().any(|c| match c {
        StatusCode::Code(c) => (200..300).contains(c),
        StatusCode::Range(r) => *r == 2,
    });
    let mut cases: Vec<(StatusMatch, &ReferenceOr<openapiv3::Response>, String)> = Vec::new();
    for (code, r) in responses.responses.iter() {
        let status = match code {
            StatusCode::Code(c) if *c >= 400 => StatusMatch::Code(*c),
            StatusCode::Range(r) if (4..=5).contains(r) => StatusMatch::Range(*r),
            _ => continue,
        };
        let ptr = format!("{}/responses/{}", f.ptr, escape_token(&code.to_string()));
        cases.push((status, r, ptr));
    }
    if has_success && let Some(d) = &responses.default {
        cases.push((
            StatusMatch::Default,
            d,
            format!("{}/responses/default", f.ptr),
        ));
    }
    cases.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = Vec::new();
    for (status, r, ptr) in cases {
        let Some(r) = component(components.map(|c| &c.responses), "responses", r) else {
            continue;
        };
        let Some((media, content)) = pick_content(&r.content) else {
            continue;
        };
        let Some(schema) = content.schema.as_ref().filter(|_| is_json(media)) else {
            continue;
        };
        let hint = match &status {
            StatusMatch::Code(c) | StatusMatch::Codes(c, _) => format!("{builder}Error{c}"),
            StatusMatch::Range(r) => format!("{builder}Error{r}xx"),
            StatusMatch::Default => format!("{builder}Error"),
        };
        let ptr = format!("{ptr}/content/{}/schema", escape_token(media));
        let ty = match types.ty(schema.into(), &hint, &ptr, diags) {
            Ty::Option(inner) => *inner,
            t => t,
        };
        out.push((status, ty));
    }
    out
}

/// Gives every distinct error body type a variant of `ErrorBody` (named after
/// the type) and sets each operation's cases, statuses with the same body
/// together.
pub fn intern(ops: &mut [Operation], documented: Vec<Documented>) -> Vec<ErrorBody> {
    let mut distinct: Vec<&Ty> = documented.iter().flatten().map(|(_, t)| t).collect();
    distinct.sort();
    distinct.dedup();
    let mut scope = Scope::new();
    let mut bodies: Vec<ErrorBody> = distinct
        .into_iter()
        .map(|ty| ErrorBody {
            variant: scope.claim(&naming::type_name(&variant_label(ty), "Body")),
            ty: ty.clone(),
        })
        .collect();
    bodies.sort_by(|a, b| a.variant.cmp(&b.variant));
    let index: BTreeMap<&Ty, ErrorBodyId> = bodies
        .iter()
        .enumerate()
        .map(|(i, b)| (&b.ty, ErrorBodyId(i)))
        .collect();
    for (op, cases) in ops.iter_mut().zip(&documented) {
        let mut by_body: BTreeMap<ErrorBodyId, Vec<StatusMatch>> = BTreeMap::new();
        for (status, ty) in cases {
            if let Some(&i) = index.get(ty) {
                by_body.entry(i).or_default().push(status.clone());
            }
        }
        // Exact codes first, then ranges (so `404` wins over `4XX`), then
        // `default`, which covers what nothing else does.
        let (mut codes, mut ranges, mut default) = (Vec::new(), Vec::new(), Vec::new());
        for (body, statuses) in by_body {
            let (c, rest): (Vec<_>, Vec<_>) = statuses
                .into_iter()
                .partition(|s| matches!(s, StatusMatch::Code(_)));
            let (r, d): (Vec<_>, Vec<_>) = rest
                .into_iter()
                .partition(|s| matches!(s, StatusMatch::Range(_)));
            for (list, statuses) in [(&mut codes, c), (&mut ranges, r), (&mut default, d)] {
                if !statuses.is_empty() {
                    list.push(ErrorCase { statuses, body });
                }
            }
        }
        let mut errors: Vec<ErrorCase> = Vec::new();
        for mut list in [codes, ranges, default] {
            list.iter_mut().for_each(|c| {
                c.statuses.sort();
                c.statuses = runs(&c.statuses);
            });
            list.sort_by(|a, b| a.statuses.cmp(&b.statuses));
            errors.extend(list);
        }
        op.errors = errors;
    }
    bodies
}

/// Sorted statuses with adjacent ones joined into one `low..=high` span
/// (what a reader, and clippy, expect): three or more consecutive codes, or
/// neighbouring ranges (`4XX` and `5XX`).
fn runs(statuses: &[StatusMatch]) -> Vec<StatusMatch> {
    let span = |s: &StatusMatch| match s {
        StatusMatch::Code(c) => Some((*c, *c)),
        StatusMatch::Codes(low, high) => Some((*low, *high)),
        StatusMatch::Range(r) => Some((r.saturating_mul(100), r.saturating_mul(100) + 99)),
        StatusMatch::Default => None,
    };
    let mut out: Vec<StatusMatch> = Vec::new();
    let mut i = 0;
    while i < statuses.len() {
        let Some((low, mut high)) = span(&statuses[i]) else {
            out.push(statuses[i].clone());
            i += 1;
            continue;
        };
        let mut j = i + 1;
        while let Some((next_low, next_high)) = statuses.get(j).and_then(span)
            && next_low == high + 1
        {
            high = next_high;
            j += 1;
        }
        let joined = &statuses[i..j];
        let ranges = joined.iter().any(|s| !matches!(s, StatusMatch::Code(_)));
        if joined.len() >= 3 || (joined.len() == 2 && ranges) {
            out.push(StatusMatch::Codes(low, high));
        } else {
            out.extend(joined.iter().cloned());
        }
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op() -> Operation {
        Operation::test("x")
    }

    #[test]
    fn statuses_with_one_body_share_a_case() {
        let named = |n: &str| Ty::Named(n.into());
        let mut ops = vec![op(), op()];
        let documented = vec![
            vec![
                (StatusMatch::Code(404), named("BasicError")),
                (StatusMatch::Code(403), named("BasicError")),
                (StatusMatch::Code(422), named("ValidationError")),
                (StatusMatch::Range(5), named("BasicError")),
                (StatusMatch::Default, named("ValidationError")),
            ],
            vec![(StatusMatch::Code(400), Ty::Vec(Box::new(named("Problem"))))],
        ];
        let bodies = intern(&mut ops, documented);
        let variants: Vec<&str> = bodies.iter().map(|b| b.variant.as_str()).collect();
        assert_eq!(variants, ["BasicError", "ProblemList", "ValidationError"]);
        assert_eq!(
            ops[0].errors,
            [
                ErrorCase {
                    statuses: vec![StatusMatch::Code(403), StatusMatch::Code(404)],
                    body: ErrorBodyId(0)
                },
                ErrorCase {
                    statuses: vec![StatusMatch::Code(422)],
                    body: ErrorBodyId(2)
                },
                ErrorCase {
                    statuses: vec![StatusMatch::Range(5)],
                    body: ErrorBodyId(0)
                },
                ErrorCase {
                    statuses: vec![StatusMatch::Default],
                    body: ErrorBodyId(2)
                },
            ]
        );
        assert_eq!(
            ops[1].errors,
            [ErrorCase {
                statuses: vec![StatusMatch::Code(400)],
                body: ErrorBodyId(1)
            }]
        );
    }

    #[test]
    fn consecutive_codes_become_spans() {
        use StatusMatch::{Code, Codes, Range};
        let cases: [(&[StatusMatch], &[StatusMatch]); 5] = [
            (&[Range(4), Range(5)], &[Codes(400, 599)]),
            (&[Range(4)], &[Range(4)]),
            (&[Code(400), Code(401)], &[Code(400), Code(401)]),
            (
                &[Code(400), Code(401), Code(402), Code(404)],
                &[Codes(400, 402), Code(404)],
            ),
            (
                &[Code(401), Code(403), Code(404), Code(405), Code(422)],
                &[Code(401), Codes(403, 405), Code(422)],
            ),
        ];
        for (given, want) in cases {
            assert_eq!(runs(given), want, "{given:?}");
        }
    }

    #[test]
    fn no_documented_errors_no_variants() {
        let mut ops = vec![op()];
        assert!(intern(&mut ops, vec![Vec::new()]).is_empty());
        assert!(ops[0].errors.is_empty());
    }
}
