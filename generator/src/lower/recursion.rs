//! Recursive types: a struct that contains itself (directly or through other
//! types, not behind a `Vec` or map) needs a `Box`; a cycle of plain aliases
//! cannot be expressed at all and falls back to `serde_json::Value`.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Diagnostics, Location};
use crate::model::{Holder, Ty, TypeDef, TypeKind, Untyped};

/// Named types that `ty` holds inline (through `Option`, not through `Vec`,
/// maps or an existing `Box`).
fn direct(ty: &Ty, out: &mut Vec<String>) {
    match ty {
        Ty::Named(n) => out.push(n.clone()),
        Ty::Option(inner) => direct(inner, out),
        _ => {}
    }
}

/// The types `def` holds inline: through its fields, variants or the
/// aliased type, not its unlisted properties (a map of them).
fn edges(def: &TypeDef) -> Vec<String> {
    let mut out = Vec::new();
    for (how, ty) in def.held() {
        if how != Holder::Additional {
            direct(ty, &mut out);
        }
    }
    out
}

/// Strongly connected components (Kosaraju, iterative). Returns a component
/// id per node.
fn components(adj: &[Vec<usize>]) -> Vec<usize> {
    let n = adj.len();
    let mut order = Vec::with_capacity(n);
    let mut seen = vec![false; n];
    for start in 0..n {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        let mut stack = vec![(start, 0usize)];
        while let Some((node, next)) = stack.pop() {
            if let Some(&to) = adj[node].get(next) {
                stack.push((node, next + 1));
                if !seen[to] {
                    seen[to] = true;
                    stack.push((to, 0));
                }
            } else {
                order.push(node);
            }
        }
    }
    let mut rev = vec![Vec::new(); n];
    for (from, tos) in adj.iter().enumerate() {
        for &to in tos {
            rev[to].push(from);
        }
    }
    let mut comp = vec![usize::MAX; n];
    let mut id = 0;
    for &start in order.iter().rev() {
        if comp[start] != usize::MAX {
            continue;
        }
        let mut stack = vec![start];
        comp[start] = id;
        while let Some(node) = stack.pop() {
            for &from in &rev[node] {
                if comp[from] == usize::MAX {
                    comp[from] = id;
                    stack.push(from);
                }
            }
        }
        id += 1;
    }
    comp
}

fn boxed(ty: &mut Ty, cyclic: &dyn Fn(&str) -> bool) {
    match ty {
        Ty::Named(n) if cyclic(n) => {
            let inner = std::mem::replace(ty, Ty::Json(Untyped::Any));
            *ty = Ty::Box(Box::new(inner));
        }
        Ty::Option(inner) => boxed(inner, cyclic),
        _ => {}
    }
}

/// The types that are structs, or aliases that end at one
/// (`pub type A = B;`): what a union variant holds boxed.
pub fn struct_names<'a>(defs: impl IntoIterator<Item = &'a TypeDef>) -> BTreeSet<String> {
    let kinds: BTreeMap<&str, &TypeKind> = defs
        .into_iter()
        .map(|d| (d.name.rust.as_str(), &d.kind))
        .collect();
    let is_struct = |name: &str| {
        let mut name = name;
        for _ in 0..kinds.len() {
            match kinds.get(name) {
                Some(TypeKind::Struct(_)) => return true,
                Some(TypeKind::Alias(Ty::Named(next))) => name = next,
                _ => return false,
            }
        }
        false
    };
    kinds
        .keys()
        .filter(|n| is_struct(n))
        .map(|n| (*n).to_owned())
        .collect()
}

/// `Box`es `ty` when it names one of `structs`.
pub fn box_struct(ty: &mut Ty, structs: &BTreeSet<String>) {
    if let Ty::Named(n) = ty
        && structs.contains(n)
    {
        let inner = std::mem::replace(ty, Ty::Json(Untyped::Any));
        *ty = Ty::Box(Box::new(inner));
    }
}

/// Boxes the struct variants of unions: a variant holding a big struct
/// next to a string would make every value as big as the struct.
pub fn box_union_structs(defs: &mut BTreeMap<String, TypeDef>) {
    let structs = struct_names(defs.values());
    for def in defs.values_mut() {
        for (how, ty) in def.held_mut() {
            if matches!(how, Holder::Variant(_)) {
                box_struct(ty, &structs);
            }
        }
    }
}

/// Boxes what recursion needs and replaces alias-only cycles.
pub fn break_cycles(
    defs: &mut BTreeMap<String, TypeDef>,
    locate: &dyn Fn(&str) -> Option<Location>,
    diags: &mut Diagnostics,
) {
    alias_cycles(defs, locate, diags);
    let names: Vec<String> = defs.keys().cloned().collect();
    let index: BTreeMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let adj: Vec<Vec<usize>> = names
        .iter()
        .map(|n| {
            defs.get(n)
                .map(edges)
                .unwrap_or_default()
                .iter()
                .filter_map(|t| index.get(t.as_str()).copied())
                .collect()
        })
        .collect();
    let comp = components(&adj);
    let mut size = vec![0usize; names.len()];
    for &c in &comp {
        size[c] += 1;
    }
    let is_alias: Vec<bool> = names
        .iter()
        .map(|n| {
            defs.get(n)
                .is_some_and(|d| matches!(d.kind, TypeKind::Alias(_)))
        })
        .collect();
    let only_aliases = |c: usize| {
        (0..names.len())
            .filter(|&i| comp[i] == c)
            .all(|i| is_alias[i])
    };
    let mut alias_cycles = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let c = comp[i];
        let self_loop = adj[i].contains(&i);
        if size[c] == 1 && !self_loop {
            continue;
        }
        if only_aliases(c) {
            alias_cycles.push(name.clone());
            continue;
        }
        let cyclic = |n: &str| index.get(n).is_some_and(|&j| comp[j] == c);
        let Some(def) = defs.get_mut(name) else {
            continue;
        };
        // Fields and variants are boxed; an alias names its type as it is.
        for (how, ty) in def.held_mut() {
            if matches!(how, Holder::Field(_) | Holder::Variant(_)) {
                boxed(ty, &cyclic);
            }
        }
    }
    for name in alias_cycles {
        if let Some(def) = defs.get_mut(&name) {
            diags.warning(
                format!(
                    "schema `{}` is defined only in terms of itself; using `serde_json::Value`",
                    def.name.wire
                ),
                locate(&def.name.wire),
            );
            def.kind = TypeKind::Alias(Ty::Json(Untyped::Inexpressible));
        }
    }
}

/// Type aliases are expanded eagerly, so aliases that mention each other in
/// a cycle (`A = Vec<A>`, `A = Map<B>`, `B = Vec<A>`) do not compile even
/// behind a container. Each alias on such a cycle becomes `serde_json::Value`.
fn alias_cycles(
    defs: &mut BTreeMap<String, TypeDef>,
    locate: &dyn Fn(&str) -> Option<Location>,
    diags: &mut Diagnostics,
) {
    let names: Vec<String> = defs
        .iter()
        .filter(|(_, d)| matches!(d.kind, TypeKind::Alias(_)))
        .map(|(n, _)| n.clone())
        .collect();
    let index: BTreeMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let adj: Vec<Vec<usize>> = names
        .iter()
        .map(|n| {
            let mut out = Vec::new();
            if let Some(TypeDef {
                kind: TypeKind::Alias(ty),
                ..
            }) = defs.get(n)
            {
                ty.collect_named(&mut out);
            }
            out.iter()
                .filter_map(|t| index.get(t.as_str()).copied())
                .collect()
        })
        .collect();
    let comp = components(&adj);
    let mut size = vec![0usize; names.len()];
    for &c in &comp {
        size[c] += 1;
    }
    for (i, name) in names.iter().enumerate() {
        // Only cycles through a container: plain alias cycles are reported by
        // `break_cycles` itself.
        if size[comp[i]] == 1 && !adj[i].contains(&i) {
            continue;
        }
        let Some(def) = defs.get_mut(name) else {
            continue;
        };
        let TypeKind::Alias(ty) = &def.kind else {
            continue;
        };
        let mut direct_only = Vec::new();
        direct(ty, &mut direct_only);
        if !direct_only.is_empty() {
            continue;
        }
        diags.warning(
            format!(
                "schema `{}` is an alias that contains itself (a recursive type alias cannot be expressed in Rust); using `serde_json::Value`",
                def.name.wire
            ),
            locate(&def.name.wire),
        );
        def.kind = TypeKind::Alias(Ty::Json(Untyped::Inexpressible));
    }
}
