//! What regenerating changes in a crate's public API: the new
//! [`PublicApi`] (from the model) against the one written into the crate
//! last time, each change marked breaking or compatible by Rust's semver
//! rules for the shapes this generator emits, and located in the spec.
//!
//! The rules, for the crate's shapes:
//! - removing or renaming anything user code can name (method, argument,
//!   setter, type, field, variant, constant, feature, client setting) breaks;
//!   adding a method, setter, type, feature or constant does not;
//! - a method's arguments are positional: adding, removing, reordering or
//!   retyping one breaks, and so does a parameter moving between argument
//!   (required) and setter (optional);
//! - a struct field or an enum variant added breaks struct literals and
//!   exhaustive `match`es unless the type is `#[non_exhaustive]`; a field's
//!   type changing (`T` ↔ `Option<T>` included) breaks readers;
//! - a type changing only because a type it holds was renamed is reported
//!   once, as that rename.

mod locate;
mod render;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::diag::{Location, escape_token};
use crate::public_api::{Kind, Method, PublicApi, TypeEntry};

pub use render::Verdict;

/// What a change is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum What {
    FeatureAdded,
    FeatureRemoved,
    ClientMethodAdded,
    ClientMethodRemoved,
    MethodAdded,
    MethodRemoved,
    MethodRenamed,
    MethodFeatureChanged,
    ArgumentAdded,
    ArgumentRemoved,
    ArgumentTypeChanged,
    ArgumentsReordered,
    /// A required parameter became optional: an argument became a setter.
    ArgumentNowOptional,
    /// An optional parameter became required: a setter became an argument.
    SetterNowRequired,
    SetterAdded,
    SetterRemoved,
    SetterTypeChanged,
    ResponseTypeChanged,
    StreamAdded,
    StreamRemoved,
    StreamItemChanged,
    TypeAdded,
    TypeRemoved,
    TypeRenamed,
    TypeKindChanged,
    /// An alias now names another type, or a type became (or stopped
    /// being) an alias, with the same content.
    TypeAliasChanged,
    TypeFeaturesAdded,
    TypeFeaturesRemoved,
    TraitAdded,
    TraitRemoved,
    NowNonExhaustive,
    FieldAdded,
    FieldRemoved,
    FieldTypeChanged,
    FieldNowOptional,
    FieldNowRequired,
    VariantAdded,
    VariantRemoved,
    VariantTypeChanged,
    ConstantAdded,
    ConstantRemoved,
    ConstantValueChanged,
    ConstructorAdded,
    ConstructorRemoved,
    ConstructorChanged,
    ErrorBodyAdded,
    ErrorBodyRemoved,
    ErrorBodyChanged,
}

impl What {
    /// How the text report names it.
    pub fn label(self) -> &'static str {
        match self {
            What::FeatureAdded => "feature added",
            What::FeatureRemoved => "feature removed",
            What::ClientMethodAdded => "client method added",
            What::ClientMethodRemoved => "client method removed",
            What::MethodAdded => "method added",
            What::MethodRemoved => "method removed",
            What::MethodRenamed => "method renamed",
            What::MethodFeatureChanged => "method moved to another feature",
            What::ArgumentAdded => "argument added",
            What::ArgumentRemoved => "argument removed",
            What::ArgumentTypeChanged => "argument type changed",
            What::ArgumentsReordered => "arguments reordered",
            What::ArgumentNowOptional => "argument now optional (a setter)",
            What::SetterNowRequired => "setter now required (an argument)",
            What::SetterAdded => "setter added",
            What::SetterRemoved => "setter removed",
            What::SetterTypeChanged => "setter type changed",
            What::ResponseTypeChanged => "response type changed",
            What::StreamAdded => "stream added",
            What::StreamRemoved => "stream removed",
            What::StreamItemChanged => "stream item type changed",
            What::TypeAdded => "type added",
            What::TypeRemoved => "type removed",
            What::TypeRenamed => "type renamed",
            What::TypeKindChanged => "type kind changed",
            What::TypeAliasChanged => "alias changed (same content)",
            What::TypeFeaturesAdded => "type available with more features",
            What::TypeFeaturesRemoved => "type no longer available with a feature",
            What::TraitAdded => "trait added",
            What::TraitRemoved => "trait removed",
            What::NowNonExhaustive => "now #[non_exhaustive]",
            What::FieldAdded => "field added",
            What::FieldRemoved => "field removed",
            What::FieldTypeChanged => "field type changed",
            What::FieldNowOptional => "field now optional",
            What::FieldNowRequired => "field now required",
            What::VariantAdded => "variant added",
            What::VariantRemoved => "variant removed",
            What::VariantTypeChanged => "variant type changed",
            What::ConstantAdded => "constant added",
            What::ConstantRemoved => "constant removed",
            What::ConstantValueChanged => "constant value changed",
            What::ConstructorAdded => "constructor added",
            What::ConstructorRemoved => "constructor removed",
            What::ConstructorChanged => "constructor arguments changed",
            What::ErrorBodyAdded => "error body added",
            What::ErrorBodyRemoved => "error body removed",
            What::ErrorBodyChanged => "error body type changed",
        }
    }
}

/// One change of the public API.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    pub breaking: bool,
    pub what: What,
    /// What user code names: `login`, `login(body)`, `LoginBody.referrer`,
    /// `Color::Red`.
    pub item: String,
    /// The type, or the change of type (`String → i64`), or the old name.
    pub detail: String,
    /// JSON pointer of the spec element the change comes from (for a
    /// removal, where it was).
    pub pointer: String,
    /// Where in the user's files: the element itself, or for a removal the
    /// nearest enclosing element that still exists.
    #[serde(skip)]
    pub location: Option<Location>,
}

/// The changes since the description on disk.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The crate version the previous description names.
    pub version: String,
    pub changes: Vec<Change>,
    /// Why there is nothing to compare with (no description on disk, or
    /// one that does not read), when that is so.
    pub baseline: Option<String>,
}

/// The spec the new API was generated from: what locates a pointer.
pub trait Spec {
    /// The merged document.
    fn document(&self) -> &serde_json::Value;
    /// The user's file and line of a pointer into the merged document.
    fn locate(&self, pointer: &str) -> Location;
}

impl Spec for crate::merge::Api {
    fn document(&self) -> &serde_json::Value {
        &self.raw
    }
    fn locate(&self, pointer: &str) -> Location {
        crate::merge::Api::locate(self, pointer)
    }
}

impl Report {
    /// No description to compare with.
    pub fn without_baseline(why: impl Into<String>) -> Report {
        Report {
            version: String::new(),
            changes: Vec::new(),
            baseline: Some(why.into()),
        }
    }

    /// The changes from `old` to `new`, located in `spec` (what `new` was
    /// generated from).
    pub fn compare(old: &PublicApi, new: &PublicApi, spec: Option<&dyn Spec>) -> Report {
        let mut changes = Diff::new(old, new).run();
        if let Some(spec) = spec {
            for c in &mut changes {
                let (pointer, location) = locate::locate(spec, &c.pointer);
                c.pointer = pointer;
                c.location = Some(location);
            }
        }
        // Breaking changes first, then by kind and item.
        changes.sort_by(|a, b| {
            (!a.breaking, a.what, &a.item, &a.detail).cmp(&(
                !b.breaking,
                b.what,
                &b.item,
                &b.detail,
            ))
        });
        Report {
            version: old.krate.version.clone(),
            changes,
            baseline: None,
        }
    }

    pub fn breaking(&self) -> usize {
        self.changes.iter().filter(|c| c.breaking).count()
    }

    pub fn compatible(&self) -> usize {
        self.changes.len() - self.breaking()
    }
}

/// Replaces renamed type names inside a type as the description writes it.
fn renamed(text: &str, renames: &BTreeMap<String, String>) -> String {
    if renames.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        match renames.get(word.as_str()) {
            Some(new) => out.push_str(new),
            None => out.push_str(word),
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == ':' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// A type with every alias of a type of the crate replaced by what it
/// names.
fn canonical(api: &PublicApi, text: &str) -> String {
    let mut map = BTreeMap::new();
    let mut word = String::new();
    for c in text.chars().chain([' ']) {
        if c.is_ascii_alphanumeric() || c == '_' || c == ':' {
            word.push(c);
            continue;
        }
        if !word.is_empty() && !map.contains_key(&word) {
            let mut target = word.clone();
            for _ in 0..16 {
                match api.types.get(&target).and_then(|t| t.alias.as_ref()) {
                    Some(next) if api.types.contains_key(next) => target = next.clone(),
                    _ => break,
                }
            }
            if target != word {
                map.insert(word.clone(), target);
            }
        }
        word.clear();
    }
    renamed(text, &map)
}

/// `T` for `Option<T>`.
fn unwrap_option(text: &str) -> Option<&str> {
    text.strip_prefix("Option<")?.strip_suffix('>')
}

struct Diff<'a> {
    old: &'a PublicApi,
    new: &'a PublicApi,
    /// Old type name → new name.
    type_renames: BTreeMap<String, String>,
    /// Old method name → new name.
    method_renames: BTreeMap<String, String>,
    out: Vec<Change>,
}

impl<'a> Diff<'a> {
    fn new(old: &'a PublicApi, new: &'a PublicApi) -> Self {
        let mut d = Diff {
            old,
            new,
            type_renames: BTreeMap::new(),
            method_renames: BTreeMap::new(),
            out: Vec::new(),
        };
        d.find_renames();
        d
    }

    fn push(&mut self, breaking: bool, what: What, item: String, detail: String, pointer: &str) {
        self.out.push(Change {
            breaking,
            what,
            item,
            detail,
            pointer: pointer.to_owned(),
            location: None,
        });
    }

    /// Renames: an item gone and one added at the same spec pointer, then
    /// (types) gone and added with identical content, each match unique.
    fn find_renames(&mut self) {
        let gone_methods: Vec<&String> = self
            .old
            .methods
            .keys()
            .filter(|n| !self.new.methods.contains_key(*n))
            .collect();
        let added_methods: Vec<&String> = self
            .new
            .methods
            .keys()
            .filter(|n| !self.old.methods.contains_key(*n))
            .collect();
        for g in &gone_methods {
            let at = &self.old.methods[*g].at;
            let same: Vec<&&String> = added_methods
                .iter()
                .filter(|a| self.new.methods[**a].at == *at)
                .collect();
            if let [one] = same.as_slice() {
                self.method_renames.insert((*g).clone(), (**one).clone());
            }
        }
        let gone: Vec<String> = self
            .old
            .types
            .keys()
            .filter(|n| !self.new.types.contains_key(*n))
            .cloned()
            .collect();
        let added: Vec<String> = self
            .new
            .types
            .keys()
            .filter(|n| !self.old.types.contains_key(*n))
            .cloned()
            .collect();
        let mut taken: BTreeSet<String> = BTreeSet::new();
        // Same place in the spec.
        for g in &gone {
            let old = &self.old.types[g];
            if old.at.is_empty() {
                continue;
            }
            let same: Vec<&String> = added
                .iter()
                .filter(|a| self.new.types[*a].at == old.at && self.new.types[*a].kind == old.kind)
                .collect();
            if let [one] = same.as_slice() {
                self.type_renames.insert(g.clone(), (*one).clone());
                taken.insert((*one).clone());
            }
        }
        // Same content: repeated, since a rename can make two holders equal.
        loop {
            let mut found = false;
            for g in &gone {
                if self.type_renames.contains_key(g) {
                    continue;
                }
                let old = &self.old.types[g];
                let same: Vec<&String> = added
                    .iter()
                    .filter(|a| !taken.contains(*a))
                    .filter(|a| self.same_content(old, &self.new.types[*a]))
                    .collect();
                // Several candidates, or several gone types of this content:
                // not a rename anyone can tell.
                if let [one] = same.as_slice() {
                    let rivals = gone
                        .iter()
                        .filter(|o| !self.type_renames.contains_key(*o))
                        .filter(|o| self.same_content(&self.old.types[*o], &self.new.types[*one]))
                        .count();
                    if rivals == 1 {
                        self.type_renames.insert(g.clone(), (*one).clone());
                        taken.insert((*one).clone());
                        found = true;
                    }
                }
            }
            if !found {
                break;
            }
        }
    }

    /// Whether two entries hold the same things (old names read through
    /// the renames found so far); where they come from does not count.
    fn same_content(&self, old: &TypeEntry, new: &TypeEntry) -> bool {
        let has_content = !old.fields.is_empty()
            || !old.variants.is_empty()
            || !old.members.is_empty()
            || !old.constants.is_empty();
        has_content
            && old.kind == new.kind
            && old.variants == new.variants
            && old.constants == new.constants
            && old.repr == new.repr
            && old.tag == new.tag
            && old.fields.len() == new.fields.len()
            && old
                .fields
                .iter()
                .all(|(k, t)| new.fields.get(k).is_some_and(|n| !self.differs(t, n)))
            && old.members.len() == new.members.len()
            && old
                .members
                .iter()
                .all(|(k, t)| new.members.get(k).is_some_and(|n| !self.differs(t, n)))
    }

    /// An old type as the new API would name it.
    fn r(&self, text: &str) -> String {
        renamed(text, &self.type_renames)
    }

    /// Whether a type user code wrote against the old API is another type
    /// now: not the same once renames are followed, nor once the aliases
    /// of either API are (`type A = B;` makes `A` and `B` one type).
    fn differs(&self, old: &str, new: &str) -> bool {
        let old = self.r(old);
        old != new
            && canonical(self.old, &old) != canonical(self.old, new)
            && canonical(self.new, &old) != canonical(self.new, new)
    }

    fn run(mut self) -> Vec<Change> {
        self.features();
        self.client();
        self.errors();
        self.methods();
        self.types();
        self.out
    }

    fn features(&mut self) {
        let (old, new) = (self.old, self.new);
        for f in &old.features {
            if !new.features.contains(f) {
                self.push(
                    true,
                    What::FeatureRemoved,
                    f.clone(),
                    String::new(),
                    "/tags",
                );
            }
        }
        for f in &new.features {
            if !old.features.contains(f) {
                self.push(false, What::FeatureAdded, f.clone(), String::new(), "/tags");
            }
        }
    }

    fn client(&mut self) {
        let (old, new) = (self.old, self.new);
        for (m, what) in &old.client {
            if !new.client.contains_key(m) {
                let item = format!("Client::{m}");
                self.push(
                    true,
                    What::ClientMethodRemoved,
                    item,
                    what.clone(),
                    "/components/securitySchemes",
                );
            }
        }
        for (m, what) in &new.client {
            if !old.client.contains_key(m) {
                let item = format!("Client::{m}");
                self.push(
                    false,
                    What::ClientMethodAdded,
                    item,
                    what.clone(),
                    "/components/securitySchemes",
                );
            }
        }
    }

    fn errors(&mut self) {
        let (old, new) = (self.old, self.new);
        // `ErrorBody` is `#[non_exhaustive]` (`emit::runtime`): a variant
        // added breaks no `match`.
        let open = true;
        for (v, t) in &old.errors {
            match new.errors.get(v) {
                None => self.push(
                    true,
                    What::ErrorBodyRemoved,
                    format!("ErrorBody::{v}"),
                    t.clone(),
                    "",
                ),
                Some(n) if self.differs(t, n) => self.push(
                    true,
                    What::ErrorBodyChanged,
                    format!("ErrorBody::{v}"),
                    format!("{t} → {n}"),
                    "",
                ),
                Some(_) => {}
            }
        }
        for (v, t) in &new.errors {
            if !old.errors.contains_key(v) {
                self.push(
                    !open,
                    What::ErrorBodyAdded,
                    format!("ErrorBody::{v}"),
                    t.clone(),
                    "",
                );
            }
        }
    }

    fn methods(&mut self) {
        let (old, new) = (self.old, self.new);
        let targets: BTreeSet<String> = self.method_renames.values().cloned().collect();
        for (name, o) in &old.methods {
            let new_name = self.method_renames.get(name).cloned();
            match (new.methods.get(name), new_name) {
                (Some(n), _) => self.method(name, o, n),
                (None, Some(renamed)) => {
                    let n = &new.methods[&renamed];
                    self.push(
                        true,
                        What::MethodRenamed,
                        renamed.clone(),
                        format!("was `{name}`"),
                        &n.at,
                    );
                    self.method(&renamed, o, n);
                }
                (None, None) => self.push(
                    true,
                    What::MethodRemoved,
                    name.clone(),
                    o.http.clone(),
                    &o.at,
                ),
            }
        }
        for (name, n) in &new.methods {
            if !old.methods.contains_key(name) && !targets.contains(name) {
                self.push(
                    false,
                    What::MethodAdded,
                    name.clone(),
                    n.http.clone(),
                    &n.at,
                );
            }
        }
    }

    fn method(&mut self, name: &str, o: &Method, n: &Method) {
        let at = |m: &Method, p: &str| m.params_at.get(p).cloned().unwrap_or_else(|| m.at.clone());
        let split = |a: &String| -> (String, String) {
            match a.split_once(": ") {
                Some((n, t)) => (n.to_owned(), t.to_owned()),
                None => (a.clone(), String::new()),
            }
        };
        let old_args: Vec<(String, String)> = o.args.iter().map(split).collect();
        let new_args: Vec<(String, String)> = n.args.iter().map(split).collect();
        if o.feature != n.feature {
            let detail = format!(
                "{} → {}",
                o.feature.as_deref().unwrap_or("always"),
                n.feature.as_deref().unwrap_or("always")
            );
            self.push(
                true,
                What::MethodFeatureChanged,
                name.to_owned(),
                detail,
                &n.at,
            );
        }
        for (arg, t) in &old_args {
            let item = format!("{name}({arg})");
            match new_args.iter().find(|(a, _)| a == arg) {
                Some((_, nt)) if self.differs(t, nt) => self.push(
                    true,
                    What::ArgumentTypeChanged,
                    item,
                    format!("{t} → {nt}"),
                    &at(n, arg),
                ),
                Some(_) => {}
                None if n.setters.contains_key(arg) => self.push(
                    true,
                    What::ArgumentNowOptional,
                    item,
                    t.clone(),
                    &at(n, arg),
                ),
                None => self.push(true, What::ArgumentRemoved, item, t.clone(), &at(o, arg)),
            }
        }
        for (arg, t) in &new_args {
            if old_args.iter().any(|(a, _)| a == arg) {
                continue;
            }
            let item = format!("{name}({arg})");
            if o.setters.contains_key(arg) {
                self.push(true, What::SetterNowRequired, item, t.clone(), &at(n, arg));
            } else {
                self.push(true, What::ArgumentAdded, item, t.clone(), &at(n, arg));
            }
        }
        let kept_old: Vec<&String> = old_args
            .iter()
            .map(|(a, _)| a)
            .filter(|a| new_args.iter().any(|(b, _)| b == *a))
            .collect();
        let kept_new: Vec<&String> = new_args
            .iter()
            .map(|(a, _)| a)
            .filter(|a| old_args.iter().any(|(b, _)| b == *a))
            .collect();
        if kept_old != kept_new {
            let detail = format!(
                "({}) → ({})",
                kept_old
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                kept_new
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            self.push(
                true,
                What::ArgumentsReordered,
                name.to_owned(),
                detail,
                &n.at,
            );
        }
        for (s, t) in &o.setters {
            let item = format!("{name}().{s}");
            match n.setters.get(s) {
                Some(nt) if self.differs(t, nt) => self.push(
                    true,
                    What::SetterTypeChanged,
                    item,
                    format!("{t} → {nt}"),
                    &at(n, s),
                ),
                Some(_) => {}
                // Reported with the arguments.
                None if new_args.iter().any(|(a, _)| a == s) => {}
                None => self.push(true, What::SetterRemoved, item, t.clone(), &at(o, s)),
            }
        }
        for (s, t) in &n.setters {
            let was_arg = old_args.iter().any(|(a, _)| a == s);
            if !o.setters.contains_key(s) && !was_arg {
                self.push(
                    false,
                    What::SetterAdded,
                    format!("{name}().{s}"),
                    t.clone(),
                    &at(n, s),
                );
            }
        }
        if self.differs(&o.returns, &n.returns) {
            let detail = format!("{} → {}", o.returns, n.returns);
            self.push(
                true,
                What::ResponseTypeChanged,
                name.to_owned(),
                detail,
                &n.at,
            );
        }
        match (&o.stream, &n.stream) {
            (None, Some(t)) => self.push(
                false,
                What::StreamAdded,
                format!("{name}().stream()"),
                t.clone(),
                &n.at,
            ),
            (Some(t), None) => self.push(
                true,
                What::StreamRemoved,
                format!("{name}().stream()"),
                t.clone(),
                &n.at,
            ),
            (Some(a), Some(b)) if self.differs(a, b) => self.push(
                true,
                What::StreamItemChanged,
                format!("{name}().stream()"),
                format!("{a} → {b}"),
                &n.at,
            ),
            _ => {}
        }
    }

    fn types(&mut self) {
        let (old, new) = (self.old, self.new);
        let targets: BTreeSet<String> = self.type_renames.values().cloned().collect();
        for (name, o) in &old.types {
            match (new.types.get(name), self.type_renames.get(name).cloned()) {
                (Some(n), _) => self.ty(name, o, name, n),
                (None, Some(to)) => {
                    let n = &new.types[&to];
                    self.push(
                        true,
                        What::TypeRenamed,
                        to.clone(),
                        format!("was `{name}`"),
                        &n.at,
                    );
                    self.ty(name, o, &to, n);
                }
                (None, None) => self.push(
                    true,
                    What::TypeRemoved,
                    name.clone(),
                    o.kind.as_str().to_owned(),
                    &o.at,
                ),
            }
        }
        for (name, n) in &new.types {
            if !old.types.contains_key(name) && !targets.contains(name) {
                self.push(
                    false,
                    What::TypeAdded,
                    name.clone(),
                    n.kind.as_str().to_owned(),
                    &n.at,
                );
            }
        }
    }

    /// `new(required…)` and the setters of a struct user code builds.
    fn constructor(&mut self, name: &str, o: &TypeEntry, n: &TypeEntry, at: &str) {
        match (&o.new, &n.new) {
            (None, Some(args)) => {
                let detail = format!("new({})", args.join(", "));
                self.push(
                    false,
                    What::ConstructorAdded,
                    format!("{name}::new"),
                    detail,
                    at,
                );
            }
            (Some(args), None) => {
                let detail = format!("new({})", args.join(", "));
                self.push(
                    true,
                    What::ConstructorRemoved,
                    format!("{name}::new"),
                    detail,
                    at,
                );
            }
            (Some(a), Some(b)) => {
                let same = a.len() == b.len()
                    && a.iter().zip(b).all(|(x, y)| {
                        match (x.split_once(": "), y.split_once(": ")) {
                            (Some((xn, xt)), Some((yn, yt))) => xn == yn && !self.differs(xt, yt),
                            _ => x == y,
                        }
                    });
                if !same {
                    let detail = format!("new({}) → new({})", a.join(", "), b.join(", "));
                    self.push(
                        true,
                        What::ConstructorChanged,
                        format!("{name}::new"),
                        detail,
                        at,
                    );
                }
            }
            (None, None) => {}
        }
        if o.new.is_none() || n.new.is_none() {
            return;
        }
        // Setters of fields added or removed go with those fields.
        for setter in &o.setters {
            if !n.setters.contains(setter) && n.fields.contains_key(setter) {
                self.push(
                    true,
                    What::SetterRemoved,
                    format!("{name}::{setter}"),
                    String::new(),
                    at,
                );
            }
        }
        for setter in &n.setters {
            if !o.setters.contains(setter) && o.fields.contains_key(setter) {
                self.push(
                    false,
                    What::SetterAdded,
                    format!("{name}::{setter}"),
                    String::new(),
                    at,
                );
            }
        }
    }

    /// An entry and, for an alias of a type of the crate, the entry it names.
    fn effective<'e>(api: &'e PublicApi, name: &str, entry: &'e TypeEntry) -> &'e TypeEntry {
        let mut e = entry;
        let mut seen = BTreeSet::from([name.to_owned()]);
        while let Some(target) = &e.alias {
            match api.types.get(target) {
                Some(t) if seen.insert(target.clone()) => e = t,
                _ => break,
            }
        }
        e
    }

    fn ty(&mut self, old_name: &str, o: &TypeEntry, name: &str, n: &TypeEntry) {
        let (old_api, new_api) = (self.old, self.new);
        let at = n.at.clone();
        for f in &o.features {
            if !n.features.contains(f) {
                self.push(
                    true,
                    What::TypeFeaturesRemoved,
                    name.to_owned(),
                    f.clone(),
                    &at,
                );
            }
        }
        if !o.features.is_empty() && !n.features.is_empty() {
            for f in &n.features {
                if !o.features.contains(f) {
                    self.push(
                        false,
                        What::TypeFeaturesAdded,
                        name.to_owned(),
                        f.clone(),
                        &at,
                    );
                }
            }
        }
        // Aliases of the crate's types: changes of what they name are
        // reported once, at that type, while they keep naming it.
        let alias_of =
            |e: &TypeEntry, api: &PublicApi| e.alias.clone().filter(|t| api.types.contains_key(t));
        let (old_target, new_target) = (alias_of(o, old_api), alias_of(n, new_api));
        if let (Some(a), Some(b)) = (&old_target, &new_target)
            && !self.differs(a, b)
        {
            return;
        }
        let eo = Self::effective(old_api, old_name, o);
        let en = Self::effective(new_api, name, n);
        if old_target.is_some() || new_target.is_some() {
            if old_target.is_none() && new_target.is_none() {
                // Both plain aliases (of a scalar, a list, …).
            } else if self.same_content(eo, en) {
                let detail = match (&old_target, &new_target) {
                    (Some(a), Some(b)) => format!("named `{a}`, now `{b}`"),
                    (Some(a), None) => format!("named `{a}`, now a type of its own"),
                    (None, Some(b)) => format!("now names `{b}`"),
                    (None, None) => String::new(),
                };
                self.push(false, What::TypeAliasChanged, name.to_owned(), detail, &at);
                return;
            }
        }
        if eo.kind != en.kind {
            let detail = format!("{} → {}", eo.kind.as_str(), en.kind.as_str());
            self.push(true, What::TypeKindChanged, name.to_owned(), detail, &at);
            return;
        }
        if eo.kind == Kind::Alias {
            let (a, b) = (
                eo.alias.clone().unwrap_or_default(),
                en.alias.clone().unwrap_or_default(),
            );
            if self.differs(&a, &b) {
                self.push(
                    true,
                    What::TypeKindChanged,
                    name.to_owned(),
                    format!("= {a} → = {b}"),
                    &at,
                );
            }
            return;
        }
        if !eo.non_exhaustive && en.non_exhaustive {
            self.push(
                true,
                What::NowNonExhaustive,
                name.to_owned(),
                eo.kind.as_str().to_owned(),
                &at,
            );
        }
        for t in &eo.traits {
            if !en.traits.contains(t) {
                self.push(true, What::TraitRemoved, name.to_owned(), t.clone(), &at);
            }
        }
        for t in &en.traits {
            if !eo.traits.contains(t) {
                self.push(false, What::TraitAdded, name.to_owned(), t.clone(), &at);
            }
        }
        // Additions break literals and matches of an exhaustive type.
        let closed = !eo.non_exhaustive;
        let field_at = |e: &TypeEntry, f: &str| {
            let wire = e.wire.get(f).map_or(f, String::as_str);
            format!("{}/properties/{}", e.at, escape_token(wire))
        };
        for (f, t) in &eo.fields {
            let item = format!("{name}.{f}");
            match en.fields.get(f) {
                None => {
                    let p = field_at(eo, f);
                    self.push(true, What::FieldRemoved, item, t.clone(), &p)
                }
                Some(nt) => {
                    if !self.differs(t, nt) {
                        continue;
                    }
                    let t = self.r(t);
                    let p = field_at(en, f);
                    let what = if unwrap_option(nt) == Some(t.as_str()) {
                        What::FieldNowOptional
                    } else if unwrap_option(&t) == Some(nt.as_str()) {
                        What::FieldNowRequired
                    } else {
                        What::FieldTypeChanged
                    };
                    self.push(true, what, item, format!("{t} → {nt}"), &p);
                }
            }
        }
        for (f, t) in &en.fields {
            if !eo.fields.contains_key(f) {
                let p = field_at(en, f);
                self.push(
                    closed,
                    What::FieldAdded,
                    format!("{name}.{f}"),
                    t.clone(),
                    &p,
                );
            }
        }
        self.constructor(name, eo, en, &at);
        let enum_at = format!("{at}/enum");
        for v in &eo.variants {
            if !en.variants.contains(v) {
                self.push(
                    true,
                    What::VariantRemoved,
                    format!("{name}::{v}"),
                    String::new(),
                    &enum_at,
                );
            }
        }
        for v in &en.variants {
            if !eo.variants.contains(v) {
                self.push(
                    closed,
                    What::VariantAdded,
                    format!("{name}::{v}"),
                    String::new(),
                    &enum_at,
                );
            }
        }
        for (v, t) in &eo.members {
            match en.members.get(v) {
                None => self.push(
                    true,
                    What::VariantRemoved,
                    format!("{name}::{v}"),
                    t.clone(),
                    &at,
                ),
                Some(nt) if self.differs(t, nt) => self.push(
                    true,
                    What::VariantTypeChanged,
                    format!("{name}::{v}"),
                    format!("{t} → {nt}"),
                    &at,
                ),
                Some(_) => {}
            }
        }
        for (v, t) in &en.members {
            if !eo.members.contains_key(v) {
                self.push(
                    closed,
                    What::VariantAdded,
                    format!("{name}::{v}"),
                    t.clone(),
                    &at,
                );
            }
        }
        for (c, v) in &eo.constants {
            match en.constants.get(c) {
                None => self.push(
                    true,
                    What::ConstantRemoved,
                    format!("{name}::{c}"),
                    v.to_string(),
                    &enum_at,
                ),
                Some(nv) if nv != v => self.push(
                    true,
                    What::ConstantValueChanged,
                    format!("{name}::{c}"),
                    format!("{v} → {nv}"),
                    &enum_at,
                ),
                Some(_) => {}
            }
        }
        for (c, v) in &en.constants {
            if !eo.constants.contains_key(c) {
                self.push(
                    false,
                    What::ConstantAdded,
                    format!("{name}::{c}"),
                    v.to_string(),
                    &enum_at,
                );
            }
        }
        if eo.repr != en.repr {
            let detail = format!(
                "{} → {}",
                eo.repr.as_deref().unwrap_or("?"),
                en.repr.as_deref().unwrap_or("?")
            );
            self.push(true, What::TypeKindChanged, name.to_owned(), detail, &at);
        }
    }
}
