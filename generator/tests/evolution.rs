//! Regenerating when the spec changes: GitHub's REST description at three
//! consecutive releases of `@octokit/openapi` (21.0.0 and 22.0.0 in
//! `../shared/corpus/evolution/`, 23.0.2 as `../shared/corpus/big/api.github.com.json`),
//! each generated in memory. For each consecutive pair, every public name
//! that disappears (type, method, field, variant, constant, setter) must
//! belong to an item whose spec element was removed or changed:
//!
//! - a type: the schema at its pointer is gone or different, or (inside an
//!   operation) the operation's `operationId`, which names it, changed;
//! - a method: the operation is gone or its `operationId` changed;
//! - a field, variant or constant of a type kept (or renamed): the type's
//!   schema changed, or the property is gone;
//! - a setter: the parameter's declaration is gone or different.
//!
//! Anything else is a rename of an unchanged item, and there must be none.
//! The test prints the counts (types and methods added, removed, renamed,
//! changed) and the change report's verdict. Generating GitHub's client
//! three times takes minutes in a debug build, so the test is `#[ignore]`d
//! and `cargo xtask test-evolution` runs it optimised:
//!
//! ```text
//! cargo test --release -p generator --test evolution -- --ignored --nocapture
//! ```

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use generator::changes::{Report, What};
use generator::public_api::{PublicApi, TypeEntry};
use generator::{Config, Options, Output};
use serde_json::Value;

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus")
}

fn releases() -> Vec<(&'static str, PathBuf)> {
    vec![
        (
            "21.0.0",
            shared().join("evolution/api.github.com-21.0.0.json"),
        ),
        (
            "22.0.0",
            shared().join("evolution/api.github.com-22.0.0.json"),
        ),
        ("23.0.2", shared().join("big/api.github.com.json")),
    ]
}

fn generate(path: &Path) -> Output {
    let sources = generator::source::load(&[path.to_path_buf()])
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut config = Config::default();
    config.package.name = Some("github-client".into());
    let options = Options {
        command: "cargo test -p generator --test evolution".into(),
    };
    generator::generate(&sources, &config, &options)
        .unwrap_or_else(|d| panic!("{}: generation failed:\n{d}", path.display()))
}

/// Whether the element at `pointer` is the same in both documents.
fn same(a: &Value, b: &Value, pointer: &str) -> bool {
    match (a.pointer(pointer), b.pointer(pointer)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// The operation a pointer is inside of (`/paths/{p}/{method}`), if any.
fn operation_of(pointer: &str) -> Option<String> {
    let mut parts = pointer.splitn(5, '/');
    let (_, paths, path, method) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    (paths == "paths").then(|| format!("/paths/{path}/{method}"))
}

/// Whether the name-giving parts of an element are unchanged: its own
/// content and, inside an operation, the `operationId` that names it.
fn unchanged(a: &Value, b: &Value, pointer: &str) -> bool {
    let named_by_same = match operation_of(pointer) {
        Some(op) => {
            let id = format!("{op}/operationId");
            a.pointer(&id) == b.pointer(&id)
        }
        None => true,
    };
    !pointer.is_empty() && same(a, b, pointer) && named_by_same
}

/// An entry, or for an alias of a type of the crate, the entry it names.
fn effective<'a>(api: &'a PublicApi, mut entry: &'a TypeEntry) -> &'a TypeEntry {
    for _ in 0..16 {
        match entry.alias.as_ref().and_then(|t| api.types.get(t)) {
            Some(target) => entry = target,
            None => break,
        }
    }
    entry
}

#[derive(Default)]
struct Tally {
    /// Names gone whose spec element was removed or changed.
    explained: usize,
    /// Names gone although their spec element is unchanged.
    unexplained: Vec<String>,
}

impl Tally {
    fn check(&mut self, ok: bool, what: String) {
        if ok {
            self.explained += 1;
        } else {
            self.unexplained.push(what);
        }
    }
}

fn compare(label: &str, old: &Output, new: &Output) -> Tally {
    let (a, b) = (old.document(), new.document());
    let (po, pn): (&PublicApi, &PublicApi) = (&old.public_api, &new.public_api);
    let report = Report::compare(po, pn, None);
    let count = |w: What| report.changes.iter().filter(|c| c.what == w).count();
    let renamed_types: Vec<(String, String)> = report
        .changes
        .iter()
        .filter(|c| c.what == What::TypeRenamed)
        .map(|c| {
            let from = c.detail.trim_start_matches("was `").trim_end_matches('`');
            (from.to_owned(), c.item.clone())
        })
        .collect();
    let renamed_methods: Vec<(String, String)> = report
        .changes
        .iter()
        .filter(|c| c.what == What::MethodRenamed)
        .map(|c| {
            let from = c.detail.trim_start_matches("was `").trim_end_matches('`');
            (from.to_owned(), c.item.clone())
        })
        .collect();
    let changed_items = |prefixes: &dyn Fn(&str) -> Option<String>| -> BTreeSet<String> {
        report
            .changes
            .iter()
            .filter_map(|c| prefixes(&c.item).map(|p| (c, p)))
            .filter(|(c, _)| {
                !matches!(
                    c.what,
                    What::TypeAdded
                        | What::TypeRemoved
                        | What::TypeRenamed
                        | What::MethodAdded
                        | What::MethodRemoved
                        | What::MethodRenamed
                )
            })
            .map(|(_, p)| p)
            .collect()
    };
    let types_changed = changed_items(&|item| {
        let head = item.split(['.', ':']).next()?;
        pn.types.contains_key(head).then(|| head.to_owned())
    });
    let methods_changed = changed_items(&|item| {
        let head = item.split(['(', '.']).next()?;
        pn.methods.contains_key(head).then(|| head.to_owned())
    });

    let mut tally = Tally::default();
    // Types.
    let new_name = |n: &str| {
        renamed_types
            .iter()
            .find(|(f, _)| f == n)
            .map(|(_, t)| t.clone())
    };
    for (name, t) in &po.types {
        let Some(kept) = pn
            .types
            .get(name)
            .map(|_| name.clone())
            .or_else(|| new_name(name))
        else {
            tally.check(!unchanged(a, b, &t.at), format!("type {name} ({})", t.at));
            if std::env::var_os("EVOLUTION_VERBOSE").is_some() && b.pointer(&t.at).is_some() {
                eprintln!("     changed and gone: type {name} ({})", t.at);
            }
            continue;
        };
        if kept != *name {
            tally.check(
                !unchanged(a, b, &t.at),
                format!("type {name} → {kept} ({})", t.at),
            );
        }
        // What user code reaches through each name (an alias: its target).
        let t = effective(po, t);
        let n = effective(pn, &pn.types[&kept]);
        let schema_changed = !unchanged(a, b, &t.at);
        for f in t.fields.keys().filter(|f| !n.fields.contains_key(*f)) {
            let wire = t.wire.get(f).map_or(f.as_str(), String::as_str);
            let prop = format!(
                "{}/properties/{}",
                t.at,
                wire.replace('~', "~0").replace('/', "~1")
            );
            let gone = b.pointer(&prop).is_none();
            tally.check(schema_changed || gone, format!("field {name}.{f} ({prop})"));
        }
        for v in t.variants.iter().filter(|v| !n.variants.contains(*v)) {
            tally.check(schema_changed, format!("variant {name}::{v} ({})", t.at));
        }
        for v in t.members.keys().filter(|v| !n.members.contains_key(*v)) {
            tally.check(schema_changed, format!("variant {name}::{v} ({})", t.at));
        }
        for c in t.constants.keys().filter(|c| !n.constants.contains_key(*c)) {
            tally.check(schema_changed, format!("constant {name}::{c} ({})", t.at));
        }
    }
    // Methods and their setters.
    for (name, m) in &po.methods {
        let op_kept = same(a, b, &format!("{}/operationId", m.at)) && b.pointer(&m.at).is_some();
        let kept = pn.methods.get(name).map(|_| name.clone()).or_else(|| {
            renamed_methods
                .iter()
                .find(|(f, _)| f == name)
                .map(|(_, t)| t.clone())
        });
        let Some(kept) = kept else {
            tally.check(!op_kept, format!("method {name} ({})", m.at));
            continue;
        };
        if kept != *name {
            tally.check(!op_kept, format!("method {name} → {kept} ({})", m.at));
        }
        let n = &pn.methods[&kept];
        for s in m.setters.keys().filter(|s| !n.setters.contains_key(*s)) {
            let declared = m.params_at.get(s).map(String::as_str).unwrap_or("");
            let param_same = !declared.is_empty() && same(a, b, declared);
            tally.check(!param_same, format!("setter {name}().{s} ({declared})"));
        }
    }

    let verdict = report.verdict();
    eprintln!("== {label}");
    eprintln!(
        "   types:   {} → {}: {} added, {} removed, {} renamed, {} changed",
        po.types.len(),
        pn.types.len(),
        count(What::TypeAdded),
        count(What::TypeRemoved),
        count(What::TypeRenamed),
        types_changed.len()
    );
    eprintln!(
        "   methods: {} → {}: {} added, {} removed, {} renamed, {} changed",
        po.methods.len(),
        pn.methods.len(),
        count(What::MethodAdded),
        count(What::MethodRemoved),
        count(What::MethodRenamed),
        methods_changed.len()
    );
    eprintln!(
        "   names gone: {} of items removed or changed in the spec, {} of unchanged items",
        tally.explained,
        tally.unexplained.len()
    );
    for u in &tally.unexplained {
        eprintln!("     unchanged in the spec, yet gone: {u}");
    }
    eprintln!(
        "   report: {} changes ({} breaking, {} compatible); {}",
        report.changes.len(),
        verdict.breaking,
        verdict.compatible,
        verdict.line()
    );
    tally
}

#[test]
#[ignore = "generates GitHub's client three times; `cargo xtask test-evolution`"]
fn github_releases_keep_the_names_of_unchanged_items() {
    let releases = releases();
    let outputs: Vec<(&str, Output)> = releases
        .iter()
        .map(|(version, path)| (*version, generate(path)))
        .collect();
    let mut unexplained = 0;
    for pair in outputs.windows(2) {
        let [(va, a), (vb, b)] = pair else { continue };
        let tally = compare(&format!("GitHub {va} → {vb}"), a, b);
        unexplained += tally.unexplained.len();
    }
    assert_eq!(
        unexplained, 0,
        "names of unchanged items changed (listed above)"
    );
}
