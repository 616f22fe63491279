//! Stage 2½: references. Every `$ref` of a document is followed here, once,
//! so that later stages only ever see references they can follow directly.
//!
//! After this stage a document is self-contained (a bundle) and its `$ref`s
//! are of two forms only:
//! - `#/components/<kind>/<name>` at a position of that kind (what
//!   `openapiv3` reads), and
//! - in schema positions, `#<pointer>` (a plain JSON pointer, not
//!   percent-encoded) to any schema of the document
//!   (`#/paths/…/schema`, `#/components/schemas/A/properties/b`), which
//!   lowering converts once, by pointer.
//!
//! What happens to a reference depends on where it is ([`sites`]) and what
//! it names ([`reference`]):
//! - into another file (relative path, with or without a fragment, JSON or
//!   YAML, to any depth, each file read once through [`Files`]): a schema,
//!   parameter, response, … is placed in the document's `components` under a
//!   name of its own (the fragment's last token, or the file's stem), or at
//!   the component that refers to it; a path item, operation, tag or
//!   description is copied in place. Cycles through files become component
//!   references, as cycles within one file are.
//! - within the document, to a component of the right kind: kept.
//! - within the document, elsewhere: kept for schemas; copied in place for
//!   everything else (`#/paths/~1a/get/parameters/0`).
//!
//! A reference that cannot be followed (missing file, bad pointer, a URL:
//! nothing is fetched) is an error located at the `$ref` itself. Where
//! content came from is recorded ([`Origins`]), so diagnostics name the file
//! and line it was written in.

mod reference;
mod sites;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::diag::{Diagnostics, Location, escape_token, pointer_tokens};
use crate::locate;
use crate::parse::Document;
use crate::source::{Files, Syntax};

pub use sites::Kind;

/// A file pulled in by `$ref`.
#[derive(Debug)]
pub struct Fragment {
    /// The path diagnostics name (relative to the referring file's folder,
    /// joined with it).
    pub file: String,
    /// Its text, indexed for locating when first asked.
    pub index: locate::Index,
}

/// Where the content of a resolved document was written.
#[derive(Clone, Debug, Default)]
pub struct Origins {
    /// Pointer of a region of the resolved document → the file it was
    /// copied from (`None`: the document's own) and the pointer there.
    regions: BTreeMap<String, (Option<Arc<Fragment>>, String)>,
}

impl Origins {
    /// Where `pointer` (in the resolved document) was written, when that is
    /// not at the same pointer of the document's own file: the file (`None`
    /// for the document's own) and the pointer there.
    pub fn find(&self, pointer: &str) -> Option<(Option<&Fragment>, String)> {
        if self.regions.is_empty() {
            return None;
        }
        let mut prefix = pointer;
        loop {
            if let Some((fragment, at)) = self.regions.get(prefix) {
                return Some((
                    fragment.as_deref(),
                    format!("{at}{}", &pointer[prefix.len()..]),
                ));
            }
            let cut = prefix.rfind('/')?;
            prefix = &prefix[..cut];
        }
    }

    pub fn is_empty(&self) -> bool {
        self.regions.is_empty()
    }
}

/// The files references may name: read once each, shared by every document.
pub struct Library<'f> {
    files: &'f dyn Files,
    /// Texts already read (the spec files given), by normalised path.
    given: BTreeMap<String, &'f str>,
    loaded: BTreeMap<String, Result<Loaded, String>>,
    /// Paths some document referred to.
    used: BTreeSet<String>,
}

#[derive(Clone)]
struct Loaded {
    fragment: Arc<Fragment>,
    value: Arc<Value>,
}

impl std::fmt::Debug for Library<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Library")
            .field("given", &self.given.keys().collect::<Vec<_>>())
            .field("loaded", &self.loaded.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl<'f> Library<'f> {
    /// `given`: the spec files already read (path → text); other files are
    /// read through `files` when a reference names them.
    pub fn new(files: &'f dyn Files, given: impl IntoIterator<Item = (&'f str, &'f str)>) -> Self {
        Library {
            files,
            given: given
                .into_iter()
                .map(|(path, text)| (reference::join("", path), text))
                .collect(),
            loaded: BTreeMap::new(),
            used: BTreeSet::new(),
        }
    }

    /// Whether some document referred to the file (by the name it was given).
    pub fn is_used(&self, path: &str) -> bool {
        self.used.contains(&reference::join("", path))
    }

    fn load(&mut self, path: &str) -> Result<Loaded, String> {
        self.used.insert(path.to_owned());
        if let Some(found) = self.loaded.get(path) {
            return found.clone();
        }
        let text = match self.given.get(path) {
            Some(t) => Ok((*t).to_owned()),
            None => self.files.read(path).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => format!("`{path}` cannot be read: no such file"),
                _ => format!("`{path}` cannot be read: {e}"),
            }),
        };
        let loaded = text.and_then(|text| read(path, text));
        self.loaded.insert(path.to_owned(), loaded.clone());
        loaded
    }
}

/// A fragment's value: JSON or YAML by extension; any other file (`.md`,
/// `.txt`) is its text, for descriptions given by `$ref`.
fn read(path: &str, text: String) -> Result<Loaded, String> {
    let lower = path.to_ascii_lowercase();
    let (syntax, value) = if lower.ends_with(".json") {
        let v = serde_json::from_str::<Value>(&text)
            .map_err(|e| format!("`{path}` is not valid JSON: {e}"))?;
        (Syntax::Json, v)
    } else if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        let v = crate::parse::yaml_value(&text)
            .map_err(|e| format!("`{path}` is not valid YAML: {e}"))?;
        (Syntax::Yaml, v)
    } else {
        (Syntax::Yaml, Value::String(text.clone()))
    };
    Ok(Loaded {
        fragment: Arc::new(Fragment {
            file: path.to_owned(),
            index: locate::Index::new(text, syntax),
        }),
        value: Arc::new(value),
    })
}

/// Where a reference is written: the document itself or a fragment.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Src {
    Root,
    File(String),
}

/// A followed reference: the file and pointer it names.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Target {
    src: Src,
    pointer: String,
}

/// What is known of a target in another file.
#[derive(Debug)]
struct External {
    kind: Kind,
    /// The root document's component (of the target's kind) that refers to
    /// it directly: the target is placed there.
    anchor: Option<String>,
}

/// The `$ref`s of a document's schema positions (and discriminator
/// mappings), as written.
pub fn schema_refs(doc: &Value) -> impl Iterator<Item = String> {
    sites::document(doc)
        .into_iter()
        .filter(|s| s.kind == Kind::Schema)
        .map(|s| s.reference)
}

/// A reference to a pointer of its own document that names nothing there:
/// an error unless another document of the spec defines it (see [`check`]).
#[derive(Debug)]
pub struct Unresolved {
    location: Location,
    message: String,
    pointer: String,
}

/// Reports each reference that no document of the spec resolves.
pub fn check(unresolved: Vec<Unresolved>, docs: &[Document], diags: &mut Diagnostics) {
    for u in unresolved {
        if !docs.iter().any(|d| d.value.pointer(&u.pointer).is_some()) {
            diags.error(u.message, Some(u.location));
        }
    }
}

/// Follows every `$ref` of `doc` (see the module docs). References to the
/// document's own pointers that name nothing in it are returned, for
/// [`check`] once every document is read.
pub fn resolve(
    doc: &mut Document,
    library: &mut Library<'_>,
    diags: &mut Diagnostics,
) -> Vec<Unresolved> {
    let sites = sites::document(&doc.value);
    if sites.is_empty() {
        return Vec::new();
    }
    let (base, self_uri) = self_base(doc, diags);
    let mut r = Resolver {
        root_file: doc.file.clone(),
        base,
        self_uri,
        library,
        externals: BTreeMap::new(),
        failed: BTreeSet::new(),
        errors: Vec::new(),
        placed: BTreeMap::new(),
        origins: BTreeMap::new(),
        snapshot: None,
        fragments: BTreeMap::new(),
        followed: BTreeMap::new(),
        copies_root: false,
        copied: 0,
        budget: 0,
        elsewhere: Vec::new(),
    };
    r.discover(&doc.value, &sites);
    let read: usize = count_values(&doc.value)
        + r.fragments
            .values()
            .map(|l| count_values(&l.value))
            .sum::<usize>();
    r.budget = BASE_COPIES + COPIES_PER_VALUE * read;
    r.place(&doc.value);
    // The common case: every reference is to the document's own
    // components, as written. Nothing to rewrite.
    if r.followed.is_empty() && r.errors.is_empty() && r.elsewhere.is_empty() {
        return Vec::new();
    }
    if r.copies_root {
        r.snapshot = Some(doc.value.clone());
    }
    let mut value = std::mem::take(&mut doc.value);
    r.rewrite(&mut value, &Src::Root, "", "", &sites, &mut Vec::new());
    r.insert_placed(&mut value);
    doc.value = value;
    for (src, pointer, message) in std::mem::take(&mut r.errors) {
        let location = match &src {
            Src::Root => doc.locate(&pointer),
            Src::File(path) => r.locate_in(path, &pointer),
        };
        diags.error(message, Some(location));
    }
    doc.origins = Origins {
        regions: std::mem::take(&mut r.origins),
    };
    std::mem::take(&mut r.elsewhere)
        .into_iter()
        .map(|(at, message, pointer)| Unresolved {
            location: doc.locate(&at),
            message,
            pointer,
        })
        .collect()
}

/// The base of the document's relative references and its absolute
/// `$self`, from OpenAPI 3.2's `$self`: a relative URI reference is
/// resolved against the document's file (references then resolve against
/// it); an absolute one leaves references relative to the file, and
/// references under its folder name files beside it (nothing is fetched).
fn self_base(doc: &Document, diags: &mut Diagnostics) -> (String, Option<String>) {
    let own = (doc.file.clone(), None);
    let Some(value) = doc.value.get("$self") else {
        return own;
    };
    let Some(text) = value.as_str().map(str::trim).filter(|t| !t.is_empty()) else {
        diags.warning(
            "`$self` is not a URI reference; ignored",
            Some(doc.locate("/$self")),
        );
        return own;
    };
    if text.contains('#') || text.contains('?') {
        diags.warning(
            format!("`$self: {text}` has a query or fragment, which `$self` may not; ignored"),
            Some(doc.locate("/$self")),
        );
        return own;
    }
    if reference::is_url(text) {
        return (doc.file.clone(), Some(text.to_owned()));
    }
    if text.starts_with('/') {
        diags.warning(
            format!("`$self: {text}` is an absolute path, which would place the document at the file system's root; references are resolved against the document's file instead"),
            Some(doc.locate("/$self")),
        );
        return own;
    }
    match crate::diag::percent_decode(text) {
        Some(decoded) => (reference::join(&doc.file, &decoded), None),
        None => own,
    }
}

/// `text`, a `$ref`, relative to the document whose absolute `$self` is
/// `uri` when it names the document itself or a file in its folder.
fn under_self(uri: &str, text: &str) -> String {
    let (file, fragment) = text.split_once('#').unwrap_or((text, ""));
    if file == uri {
        return format!("#{fragment}");
    }
    let folder = uri.rsplit_once('/').map_or("", |(dir, _)| dir);
    match text.strip_prefix(folder).and_then(|r| r.strip_prefix('/')) {
        Some(relative) if !folder.is_empty() && !relative.is_empty() => relative.to_owned(),
        _ => text.to_owned(),
    }
}

struct Resolver<'l, 'f> {
    root_file: String,
    /// What the document's relative references are resolved against: its
    /// file, or where a relative `$self` puts it.
    base: String,
    /// An absolute `$self` (`https://…/openapi.yaml`): references under its
    /// folder name files beside the document.
    self_uri: Option<String>,
    library: &'l mut Library<'f>,
    /// Every target in another file, with the kind it is used as.
    externals: BTreeMap<Target, External>,
    /// Sites already reported (by their file and pointer), so a reference
    /// inside content copied twice is reported once.
    failed: BTreeSet<(Src, String)>,
    errors: Vec<(Src, String, String)>,
    /// Where each placed external target went in the document.
    placed: BTreeMap<Target, String>,
    origins: BTreeMap<String, (Option<Arc<Fragment>>, String)>,
    /// The document before rewriting, for copies of its own content.
    snapshot: Option<Value>,
    fragments: BTreeMap<String, Loaded>,
    /// Every reference followed in discovery, by where it is written.
    followed: BTreeMap<(Src, String), Target>,
    /// Whether some reference copies content of the document itself.
    copies_root: bool,
    /// References to the document's own pointers that name nothing in it:
    /// (where, message, pointer).
    elsewhere: Vec<(String, String, String)>,
    /// JSON values copied in place so far, and how many may be.
    copied: usize,
    budget: usize,
}

/// How many JSON values copies of `$ref` targets may add to one document,
/// besides [`COPIES_PER_VALUE`] per value of the files read: references
/// nested in what they copy could otherwise double at every step.
const BASE_COPIES: usize = 100_000;
const COPIES_PER_VALUE: usize = 4;

impl Resolver<'_, '_> {
    fn path_of(&self, src: &Src) -> String {
        match src {
            Src::Root => self.base.clone(),
            Src::File(p) => p.clone(),
        }
    }

    /// Follows the reference of `site` (written in `src` at `at`): the target,
    /// or the error (recorded once).
    fn follow(&mut self, root: &Value, src: &Src, at: &str, site: &sites::Site) -> Option<Target> {
        let key = (src.clone(), at.to_owned());
        if let Some(t) = self.followed.get(&key) {
            return Some(t.clone());
        }
        if self.failed.contains(&key) {
            return None;
        }
        match self.target(root, src, &site.reference) {
            Ok(t) => {
                // Most references of a document are to its own components,
                // written as they stay: nothing to rewrite, nothing to keep.
                let as_written = *src == Src::Root
                    && t.src == Src::Root
                    && keeps(site, &t.pointer)
                    && site.reference.strip_prefix('#') == Some(t.pointer.as_str());
                if !as_written {
                    self.followed.insert(key, t.clone());
                }
                Some(t)
            }
            Err(message) => {
                let here = if site.mapping {
                    at.to_owned()
                } else {
                    format!("{at}/$ref")
                };
                self.failed.insert(key);
                // The document's own pointer may name what another document
                // of the same spec defines (Markdown snippets): decided once
                // all are read.
                let own = match reference::parse(&site.reference) {
                    Ok(r) if r.file.is_none() && *src == Src::Root => Some(r.pointer),
                    _ => None,
                };
                match own {
                    Some(pointer) => self.elsewhere.push((here, message, pointer)),
                    None => self.errors.push((src.clone(), here, message)),
                }
                None
            }
        }
    }

    /// What discovery found for the reference written in `src` at `at`.
    fn followed(&self, src: &Src, at: &str) -> Option<Target> {
        self.followed.get(&(src.clone(), at.to_owned())).cloned()
    }

    fn target(&mut self, root: &Value, src: &Src, text: &str) -> Result<Target, String> {
        let parsed = reference::parse(&self.under_self(text))?;
        let target_src = match &parsed.file {
            None => src.clone(),
            Some(file) => {
                let path = reference::join(&self.path_of(src), file);
                if reference::join("", &self.root_file) == path
                    || reference::join("", &self.base) == path
                {
                    Src::Root
                } else {
                    let loaded = self.library.load(&path)?;
                    self.fragments.insert(path.clone(), loaded);
                    Src::File(path)
                }
            }
        };
        let target = Target {
            src: target_src,
            pointer: parsed.pointer,
        };
        if self.value_at(root, &target).is_none() {
            return Err(self.missing(root, text, &target));
        }
        Ok(target)
    }

    /// A reference by the absolute `$self` URI (the document itself, or a
    /// file in its folder) as the same reference relative to the document;
    /// anything else as written.
    fn under_self(&self, text: &str) -> String {
        match &self.self_uri {
            Some(uri) => under_self(uri, text),
            None => text.to_owned(),
        }
    }

    /// Why a pointer names nothing: the deepest part that exists.
    fn missing(&self, root: &Value, text: &str, target: &Target) -> String {
        let tokens = pointer_tokens(&target.pointer);
        let mut found = String::new();
        let mut last = String::new();
        for t in &tokens {
            let next = format!("{found}/{}", escape_token(t));
            let exists = self
                .value_at(
                    root,
                    &Target {
                        src: target.src.clone(),
                        pointer: next.clone(),
                    },
                )
                .is_some();
            if !exists {
                last = t.clone();
                break;
            }
            found = next;
        }
        let file = match &target.src {
            Src::Root => "this document".to_owned(),
            Src::File(p) => format!("`{p}`"),
        };
        if found.is_empty() {
            format!("`$ref: {text}`: {file} has no `{last}` at its top level")
        } else {
            format!("`$ref: {text}`: {file} has nothing named `{last}` in `#{found}`")
        }
    }

    fn value_at<'v>(&'v self, root: &'v Value, target: &Target) -> Option<&'v Value> {
        match &target.src {
            Src::Root => root.pointer(&target.pointer),
            Src::File(p) => self.fragments.get(p)?.value.pointer(&target.pointer),
        }
    }

    /// Records every target in other files, following their own references.
    fn discover(&mut self, root: &Value, sites: &[sites::Site]) {
        let mut queue: Vec<(Src, String, Vec<sites::Site>)> =
            vec![(Src::Root, String::new(), sites.to_vec())];
        while let Some((src, base, list)) = queue.pop() {
            for site in list {
                let at = format!("{base}{}", site.pointer);
                let Some(target) = self.follow(root, &src, &at, &site) else {
                    continue;
                };
                if target.src == Src::Root {
                    self.copies_root |= !keeps(&site, &target.pointer);
                    continue;
                }
                let anchor = (src == Src::Root && !site.mapping)
                    .then(|| component_root(&at, site.kind))
                    .flatten();
                match self.externals.get_mut(&target) {
                    Some(known) => {
                        if let Some(a) = anchor
                            && known.kind == site.kind
                            && known.anchor.as_ref().is_none_or(|k| a < *k)
                        {
                            known.anchor = Some(a);
                        }
                    }
                    None => {
                        let inner = self
                            .value_at(root, &target)
                            .map(|v| sites::value(v, site.kind))
                            .unwrap_or_default();
                        queue.push((target.src.clone(), target.pointer.clone(), inner));
                        self.externals.insert(
                            target,
                            External {
                                kind: site.kind,
                                anchor,
                            },
                        );
                    }
                }
            }
        }
    }

    /// Decides where each external target of a component kind goes: at the
    /// component that refers to it, inside another placed target (as a
    /// pointer into it), or into `components` under a name of its own.
    fn place(&mut self, root: &Value) {
        let mut taken: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
        if let Some(Value::Object(components)) = root.get("components") {
            for (map, entries) in components {
                let Some(kind) = sites::Kind::of_components(map) else {
                    continue;
                };
                if let (Some(m), Value::Object(entries)) = (kind.components(), entries) {
                    taken.entry(m).or_default().extend(entries.keys().cloned());
                }
            }
        }
        let placeable: Vec<(&Target, &External)> = self
            .externals
            .iter()
            .filter(|(_, e)| e.kind.components().is_some())
            .collect();
        let inside_another = |t: &Target| {
            placeable.iter().any(|(o, _)| {
                o.src == t.src && o.pointer != t.pointer && is_prefix(&o.pointer, &t.pointer)
            })
        };
        let mut wanted: Vec<(&'static str, String, &Target)> = Vec::new();
        let mut placed = BTreeMap::new();
        for (t, e) in &placeable {
            if let Some(a) = &e.anchor {
                placed.insert((*t).clone(), a.clone());
            } else if !inside_another(t) {
                let map = e.kind.components().unwrap_or("schemas");
                wanted.push((map, desired_name(t), t));
            }
        }
        // Sorted, so a name depends on the targets, not on the walk.
        wanted.sort_by(|a, b| (a.0, &a.1, a.2).cmp(&(b.0, &b.1, b.2)));
        for (map, name, t) in wanted {
            let used = taken.entry(map).or_default();
            let chosen = candidates(&name, t)
                .into_iter()
                .find(|c| !used.contains(c))
                .unwrap_or_else(|| name.clone());
            used.insert(chosen.clone());
            placed.insert(
                t.clone(),
                format!("/components/{map}/{}", escape_token(&chosen)),
            );
        }
        self.placed = placed;
    }

    /// The pointer in the document of an external target: where it (or a
    /// target containing it) was placed.
    fn translate(&self, target: &Target) -> Option<String> {
        if target.src == Src::Root {
            return Some(target.pointer.clone());
        }
        let mut best: Option<(&Target, &String)> = None;
        for (t, at) in self.placed.range(
            Target {
                src: target.src.clone(),
                pointer: String::new(),
            }..,
        ) {
            if t.src != target.src {
                break;
            }
            if is_prefix(&t.pointer, &target.pointer)
                && best.is_none_or(|(b, _)| t.pointer.len() > b.pointer.len())
            {
                best = Some((t, at));
            }
        }
        best.map(|(t, at)| format!("{at}{}", &target.pointer[t.pointer.len()..]))
    }

    /// Rewrites the references of `value` (written in `src`, at `file_at`
    /// there; at `doc_at` in the resolved document): children first, so a
    /// copy replacing a `$ref` object keeps its rewritten siblings.
    fn rewrite(
        &mut self,
        value: &mut Value,
        src: &Src,
        file_at: &str,
        doc_at: &str,
        sites: &[sites::Site],
        stack: &mut Vec<Target>,
    ) {
        let mut order: Vec<&sites::Site> = sites.iter().collect();
        order.sort_by(|a, b| b.pointer.cmp(&a.pointer));
        for site in order {
            let at = format!("{file_at}{}", site.pointer);
            let Some(target) = self.followed(src, &at) else {
                continue;
            };
            let site_doc = format!("{doc_at}{}", site.pointer);
            let Some(slot) = value.pointer_mut(&site.pointer) else {
                continue;
            };
            if site.mapping {
                if let Some(p) = self.translate(&target) {
                    *slot = Value::String(format!("#{p}"));
                }
                continue;
            }
            // The component this target is placed at is filled in later.
            let anchored =
                *src == Src::Root && self.placed.get(&target).is_some_and(|a| *a == site_doc);
            if anchored {
                continue;
            }
            let keep = match self.translate(&target) {
                Some(p) if site.kind == Kind::Schema => Some(p),
                Some(p) if component_root(&p, site.kind).is_some() => Some(p),
                _ => None,
            };
            match keep {
                Some(p) => {
                    if let Value::Object(m) = slot {
                        m.insert("$ref".into(), Value::String(format!("#{p}")));
                    }
                }
                None => {
                    if stack.contains(&target) {
                        let here = (src.clone(), format!("{at}/$ref"));
                        if self.failed.insert(here.clone()) {
                            self.errors.push((
                                here.0,
                                here.1,
                                format!(
                                    "`$ref: {}` refers to itself through the content it copies (a cycle of path items, operations or descriptions cannot be inlined)",
                                    site.reference
                                ),
                            ));
                        }
                        continue;
                    }
                    let size = self.value_of(&target).map_or(0, count_values);
                    if self.copied + size > self.budget {
                        let here = (src.clone(), format!("{at}/$ref"));
                        if self.failed.insert(here.clone()) {
                            self.errors.push((
                                here.0,
                                here.1,
                                format!(
                                    "`$ref: {}` is not copied: copies of references would add more than {} values to the document",
                                    site.reference, self.budget
                                ),
                            ));
                        }
                        continue;
                    }
                    self.copied += size;
                    let Some(mut copy) = self.copy(&target, site.kind, &site_doc, stack) else {
                        continue;
                    };
                    if let (Value::Object(c), Value::Object(m)) = (&mut copy, &*slot) {
                        for (k, v) in m {
                            if k != "$ref" {
                                c.insert(k.clone(), v.clone());
                            }
                        }
                    }
                    *slot = copy;
                }
            }
        }
    }

    /// The value a target names, once discovery is over.
    fn value_of(&self, target: &Target) -> Option<&Value> {
        match &target.src {
            Src::Root => self.snapshot.as_ref()?.pointer(&target.pointer),
            Src::File(p) => self.fragments.get(p)?.value.pointer(&target.pointer),
        }
    }

    /// A copy of `target`, its own references rewritten, to be put at `doc_at`.
    fn copy(
        &mut self,
        target: &Target,
        kind: Kind,
        doc_at: &str,
        stack: &mut Vec<Target>,
    ) -> Option<Value> {
        let mut copy = self.value_of(target)?.clone();
        let inner = sites::value(&copy, kind);
        stack.push(target.clone());
        self.rewrite(
            &mut copy,
            &target.src,
            &target.pointer,
            doc_at,
            &inner,
            stack,
        );
        stack.pop();
        self.record_origin(target, doc_at);
        Some(copy)
    }

    fn record_origin(&mut self, target: &Target, doc_at: &str) {
        let fragment = match &target.src {
            Src::File(p) => match self.fragments.get(p) {
                Some(l) => Some(l.fragment.clone()),
                None => return,
            },
            Src::Root => None,
        };
        self.origins
            .insert(doc_at.to_owned(), (fragment, target.pointer.clone()));
    }

    /// Puts every placed target (its references rewritten) where it goes.
    fn insert_placed(&mut self, root: &mut Value) {
        let placed: Vec<(Target, String)> = self
            .placed
            .iter()
            .map(|(t, at)| (t.clone(), at.clone()))
            .collect();
        for (target, at) in placed {
            let kind = self.externals.get(&target).map_or(Kind::Schema, |e| e.kind);
            let Some(copy) = self.copy(&target, kind, &at, &mut Vec::new()) else {
                continue;
            };
            put(root, &at, copy);
        }
    }

    fn locate_in(&self, path: &str, pointer: &str) -> Location {
        match self.fragments.get(path) {
            Some(l) => Location {
                file: path.to_owned(),
                line: 1 + l.fragment.index.line_of(pointer),
                pointer: pointer.to_owned(),
                overlay: None,
            },
            None => Location {
                file: path.to_owned(),
                line: 1,
                pointer: pointer.to_owned(),
                overlay: None,
            },
        }
    }
}

/// How many JSON values `v` holds (itself included).
fn count_values(v: &Value) -> usize {
    match v {
        Value::Object(m) => 1 + m.values().map(count_values).sum::<usize>(),
        Value::Array(a) => 1 + a.iter().map(count_values).sum::<usize>(),
        _ => 1,
    }
}

/// Sets `pointer` (whose parent objects are created as needed) to `value`;
/// an existing object there (the `$ref` of an anchor) gives its other keys.
fn put(root: &mut Value, pointer: &str, value: Value) {
    let tokens = pointer_tokens(pointer);
    let Some((last, parents)) = tokens.split_last() else {
        return;
    };
    let mut cur = root;
    for t in parents {
        let Value::Object(m) = cur else { return };
        cur = m
            .entry(t.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    let Value::Object(m) = cur else { return };
    let mut value = value;
    if let (Some(Value::Object(existing)), Value::Object(v)) = (m.get(last), &mut value) {
        for (k, x) in existing {
            if k != "$ref" {
                v.insert(k.clone(), x.clone());
            }
        }
    }
    m.insert(last.clone(), value);
}

/// Whether a reference of `site` to `pointer` (of the document) stays a
/// reference: schemas by any pointer, the rest only to their components.
fn keeps(site: &sites::Site, pointer: &str) -> bool {
    site.mapping || site.kind == Kind::Schema || component_root(pointer, site.kind).is_some()
}

/// `pointer` when it is `/components/<kind's map>/<name>`.
fn component_root(pointer: &str, kind: Kind) -> Option<String> {
    let map = kind.components()?;
    let tokens = pointer_tokens(pointer);
    (tokens.len() == 3 && tokens[0] == "components" && tokens[1] == map).then(|| pointer.to_owned())
}

/// Whether `prefix` is `pointer` or a whole-token prefix of it.
fn is_prefix(prefix: &str, pointer: &str) -> bool {
    pointer
        .strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The name a placed target asks for: its pointer's last token, or the
/// file's stem for a whole file.
fn desired_name(t: &Target) -> String {
    if let Some(last) = pointer_tokens(&t.pointer).last() {
        return last.clone();
    }
    stem(&t.src)
}

fn stem(src: &Src) -> String {
    let path = match src {
        Src::Root => "",
        Src::File(p) => p.as_str(),
    };
    let file = path.rsplit('/').next().unwrap_or(path);
    file.split('.').next().unwrap_or(file).to_owned()
}

/// Names to try, in order: the wanted one, qualified by the file's stem,
/// then by its folder, then numbered.
fn candidates(name: &str, t: &Target) -> Vec<String> {
    let mut out = vec![name.to_owned()];
    let file_stem = stem(&t.src);
    if !file_stem.is_empty() && file_stem != name {
        out.push(format!("{file_stem} {name}"));
    }
    if let Src::File(p) = &t.src {
        let folders: Vec<&str> = p.split('/').rev().skip(1).filter(|f| *f != "..").collect();
        if let Some(folder) = folders.first() {
            out.push(format!("{folder} {name}"));
        }
    }
    out.extend((2..100).map(|n| format!("{name} {n}")));
    out
}

#[cfg(test)]
mod tests;
