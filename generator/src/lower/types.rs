//! Schemas → the type table. Every schema is converted once; component
//! schemas keep their names, inline schemas are named from where they
//! appear, references become [`Ty::Named`].

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind, Type,
    VariantOrUnknownOrEmpty,
};

use crate::config::{Scalar, TypesConfig};
use crate::diag::{Diagnostics, escape_token};
use crate::lower::docs;
use crate::merge::Api;
use crate::model::{
    Field, IntValue, Struct, Ty, TypeDef, TypeKind, UnionVariant, Untyped, Usage, Variant,
};
use crate::naming::{self, Name, Scope};

/// A schema or a reference to one, whatever openapiv3 boxed it in.
#[derive(Clone, Copy)]
pub enum SchemaRef<'s> {
    Ref(&'s str),
    Item(&'s Schema),
}

impl<'s> From<&'s ReferenceOr<Schema>> for SchemaRef<'s> {
    fn from(r: &'s ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Item(s),
        }
    }
}

impl<'s> From<&'s ReferenceOr<Box<Schema>>> for SchemaRef<'s> {
    fn from(r: &'s ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Item(s),
        }
    }
}

const SCHEMA_PREFIX: &str = "#/components/schemas/";
/// How deep `allOf` / alias chains are followed before giving up.
const MAX_DEPTH: usize = 32;
/// How many `$ref`s into components are converted (a size guard).
const MAX_DEEP_REFS: usize = 10_000;

/// The type table under construction.
pub struct TypeSpace<'a> {
    api: &'a Api,
    deep: &'a Deep,
    scope: Scope,
    /// Component schema wire name → Rust name.
    components: BTreeMap<String, String>,
    defs: BTreeMap<String, TypeDef>,
    secrets: &'a crate::lower::Secrets,
    scalars: TypesConfig,
    /// Shape, docs and role of each inline type → its name, to reuse
    /// identical ones.
    interned: BTreeMap<(TypeKind, Option<String>, String), String>,
    /// The property or parameter being converted (PascalCase), if any.
    role: Option<String>,
    /// `format: binary` strings are bytes (inside multipart bodies); in JSON
    /// they stay strings.
    binary_as_bytes: bool,
    /// `$ref`s to schemas by pointer (past a component's name) → their type.
    deep_refs: BTreeMap<String, Ty>,
    /// Operation pointer → builder name, for naming schemas inside operations.
    operations: BTreeMap<String, String>,
    /// Inline types defined as aliases of an identical earlier one → that
    /// one (their shapes compare through these).
    canonical: BTreeMap<String, String>,
}

impl<'a> TypeSpace<'a> {
    pub fn new(
        api: &'a Api,
        deep: &'a Deep,
        secrets: &'a crate::lower::Secrets,
        reserved: &[&str],
    ) -> Self {
        let mut scope = Scope::with_reserved(reserved);
        let mut components = BTreeMap::new();
        if let Some(c) = &api.openapi.components {
            // Sorted, so collisions are numbered the same whatever the key order.
            let mut wires: Vec<&String> = c.schemas.keys().collect();
            wires.sort();
            for wire in wires {
                let rust = scope.claim(&naming::type_name(wire, "Schema"));
                components.insert(wire.clone(), rust);
            }
        }
        TypeSpace {
            api,
            deep,
            scope,
            components,
            defs: BTreeMap::new(),
            secrets,
            scalars: TypesConfig::default(),
            interned: BTreeMap::new(),
            role: None,
            binary_as_bytes: false,
            deep_refs: BTreeMap::new(),
            operations: BTreeMap::new(),
            canonical: BTreeMap::new(),
        }
    }

    /// How formatted strings map to Rust types.
    pub fn set_scalars(&mut self, config: &TypesConfig) {
        self.scalars = config.clone();
    }

    /// Converts every component schema.
    pub fn convert_components(&mut self, diags: &mut Diagnostics) {
        let Some(c) = &self.api.openapi.components else {
            return;
        };
        let mut schemas: Vec<(&String, &ReferenceOr<Schema>)> = c.schemas.iter().collect();
        schemas.sort_by(|a, b| a.0.cmp(b.0));
        for (wire, schema) in schemas {
            let Some(rust) = self.components.get(wire).cloned() else {
                continue;
            };
            let ptr = format!("/components/schemas/{}", escape_token(wire));
            let name = Name {
                wire: wire.clone(),
                rust,
            };
            match schema {
                ReferenceOr::Reference { reference } => {
                    let target = self.reference(reference, &ptr, diags);
                    self.insert(name, None, TypeKind::Alias(target), false, &ptr);
                }
                ReferenceOr::Item(s) => self.define_component(name, s, &ptr, diags),
            }
        }
    }

    /// Finishes the table: breaks recursion with `Box`, sorted by name.
    pub fn finish(mut self, diags: &mut Diagnostics) -> Vec<TypeDef> {
        let api = self.api;
        let components = &self.components;
        let locate = |wire: &str| {
            components
                .contains_key(wire)
                .then(|| api.locate(&format!("/components/schemas/{}", escape_token(wire))))
        };
        crate::lower::recursion::break_cycles(&mut self.defs, &locate, diags);
        crate::lower::recursion::box_union_structs(&mut self.defs);
        derive_defaults(&mut self.defs);
        self.defs.into_values().collect()
    }

    /// A `$ref` to a schema anywhere in the document but a component's own
    /// root (`#/components/schemas/Disk/properties/filesystem`,
    /// `#/paths/~1a/get/responses/200/content/application~1json/schema`):
    /// the schema found there, converted once, at its own pointer, and named
    /// from where it is (`DiskFilesystem`, `GetAResponse`).
    fn pointer_reference(&mut self, pointer: &str, diags: &mut Diagnostics) -> Option<Ty> {
        if let Some(ty) = self.deep_refs.get(pointer) {
            return Some(ty.clone());
        }
        if self.deep_refs.len() > MAX_DEEP_REFS {
            return None;
        }
        let deep: &'a Deep = self.deep;
        let target = deep.schemas.get(pointer)?;
        let hint = self.hint_for(pointer);
        // Cycle guard: a reference reached again while converting is `Value`.
        self.deep_refs
            .insert(pointer.to_owned(), Ty::Json(Untyped::Inexpressible));
        let ty = self.ty(target.into(), &hint, pointer, diags);
        self.deep_refs.insert(pointer.to_owned(), ty.clone());
        Some(ty)
    }

    /// The operations' pointers and their builder names, which name the
    /// schemas inside them.
    pub fn set_operations(&mut self, ops: impl IntoIterator<Item = (String, String)>) {
        self.operations = ops.into_iter().collect();
    }

    /// The name hint of a schema reached by pointer: its owner (component
    /// or operation) followed by the words of the rest of the path.
    fn hint_for(&self, pointer: &str) -> String {
        let tokens = crate::diag::pointer_tokens(pointer);
        let (owner, rest): (String, &[String]) = match tokens.as_slice() {
            [c, kind, name, rest @ ..] if c == "components" => {
                let owner = match (kind.as_str(), self.components.get(name)) {
                    ("schemas", Some(rust)) => rust.clone(),
                    _ => naming::pascal(name, "Part"),
                };
                (owner, rest)
            }
            [p, path, method, rest @ ..] if p == "paths" => {
                let op = format!("/paths/{}/{}", escape_token(path), escape_token(method));
                let owner =
                    self.operations.get(&op).cloned().unwrap_or_else(|| {
                        naming::pascal(&format!("{method} {path}"), "Operation")
                    });
                (owner, rest)
            }
            _ => (String::new(), tokens.as_slice()),
        };
        format!(
            "{owner}{}",
            naming::pascal(&pointer_words(rest).join(" "), "Part")
        )
    }

    /// The type of a property or parameter named `wire`, whose inline type
    /// is named `{owner}{Wire}`.
    pub fn ty_of(
        &mut self,
        schema: SchemaRef<'_>,
        owner: &str,
        wire: &str,
        ptr: &str,
        diags: &mut Diagnostics,
    ) -> Ty {
        let role = naming::pascal(wire, "Field");
        let hint = format!("{owner}{role}");
        let outer = self.role.replace(role);
        let ty = self.ty(schema, &hint, ptr, diags);
        self.role = outer;
        ty
    }

    /// Claims a fresh type name derived from `hint`.
    pub fn claim(&mut self, hint: &str) -> String {
        self.scope.claim(&naming::type_name(hint, "Type"))
    }

    /// Registers a struct, enum or union and returns its name. An inline
    /// type identical to one defined before (same shape, same docs) is not
    /// defined twice: its own name becomes an alias of the earlier one, so
    /// every place keeps the name that comes from where it is, whatever
    /// else the spec holds.
    fn define(
        &mut self,
        inline: bool,
        name: Name,
        doc: Option<String>,
        kind: TypeKind,
        default: bool,
        ptr: &str,
    ) -> String {
        if inline {
            // Enums only with their role: a `state` and a `status` with the
            // same values stay two types, each readable where it is used.
            let role = match kind {
                TypeKind::StringEnum(_) | TypeKind::IntEnum { .. } => self
                    .role
                    .as_deref()
                    .filter(|r| name.wire.ends_with(r))
                    .unwrap_or(""),
                _ => "",
            };
            let key = (self.canonical_kind(&kind), doc.clone(), role.to_owned());
            if let Some(existing) = self.interned.get(&key) {
                let existing = existing.clone();
                let rust = name.rust.clone();
                self.canonical.insert(rust.clone(), existing.clone());
                // The definition carries the docs; rustdoc links the alias to it.
                self.insert(
                    name,
                    None,
                    TypeKind::Alias(Ty::Named(existing)),
                    default,
                    ptr,
                );
                return rust;
            }
            self.interned.insert(key, name.rust.clone());
        }
        let rust = name.rust.clone();
        self.insert(name, doc, kind, default, ptr);
        rust
    }

    /// A shape with the types it names replaced by the ones they alias, so
    /// two structs that differ only in their own aliases compare equal.
    fn canonical_kind(&self, kind: &TypeKind) -> TypeKind {
        if self.canonical.is_empty() {
            return kind.clone();
        }
        let mut def = TypeDef {
            name: Name {
                wire: String::new(),
                rust: String::new(),
            },
            doc: None,
            kind: kind.clone(),
            default: false,
            usage: Usage::default(),
            groups: Vec::new(),
            pointer: String::new(),
            non_exhaustive: false,
        };
        def.rename_types(&self.canonical);
        def.kind
    }

    /// Registers a finished definition.
    pub fn insert(
        &mut self,
        name: Name,
        doc: Option<String>,
        kind: TypeKind,
        default: bool,
        ptr: &str,
    ) {
        let key = name.rust.clone();
        self.defs.insert(
            key,
            TypeDef {
                name,
                doc,
                kind,
                default,
                usage: Usage::default(),
                groups: Vec::new(),
                pointer: ptr.to_owned(),
                non_exhaustive: false,
            },
        );
    }

    /// The type of a multipart body's schema: `format: binary` properties of
    /// an inline schema become bytes (a `$ref`'d schema is shared with JSON
    /// uses, where they stay strings).
    pub fn multipart_ty(
        &mut self,
        schema: SchemaRef<'_>,
        hint: &str,
        ptr: &str,
        diags: &mut Diagnostics,
    ) -> Ty {
        self.binary_as_bytes = true;
        let ty = self.ty(schema, hint, ptr, diags);
        self.binary_as_bytes = false;
        ty
    }

    /// Where a pointer of the merged document is in the user's files.
    pub fn locate(&self, ptr: &str) -> crate::diag::Location {
        self.api.locate(ptr)
    }

    /// Whether values of `ty` are JSON objects (structs, maps, any JSON).
    pub fn is_object(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Map(_) | Ty::Json(_) => true,
            Ty::Named(n) => match self.defs.get(n).map(|d| &d.kind) {
                Some(TypeKind::Struct(_)) => true,
                Some(TypeKind::Alias(t)) => self.is_object(t),
                _ => false,
            },
            Ty::Box(t) | Ty::Option(t) => self.is_object(t),
            _ => false,
        }
    }

    /// The fields of a struct type, when `ty` names one.
    pub fn struct_fields(&self, ty: &Ty) -> Option<&[Field]> {
        match ty {
            Ty::Named(n) => match &self.defs.get(n)?.kind {
                TypeKind::Struct(s) if s.additional.is_none() => Some(&s.fields),
                // An inline type defined as an alias of an identical one.
                TypeKind::Alias(t @ Ty::Named(_)) => self.struct_fields(t),
                _ => None,
            },
            _ => None,
        }
    }

    /// Looks a component schema up by `$ref`.
    pub fn resolve(&self, reference: &str) -> Option<&'a Schema> {
        resolve_schema(self.api, self.deep, reference, 0)
    }

    /// The type of a schema used at `ptr`; inline types are named from `hint`.
    pub fn ty(
        &mut self,
        schema: SchemaRef<'_>,
        hint: &str,
        ptr: &str,
        diags: &mut Diagnostics,
    ) -> Ty {
        match schema {
            SchemaRef::Ref(r) => self.reference(r, ptr, diags),
            SchemaRef::Item(s) => self.inline(s, hint, ptr, diags),
        }
    }

    fn reference(&mut self, reference: &str, ptr: &str, diags: &mut Diagnostics) -> Ty {
        // `resolve` leaves same-document pointers only, unencoded.
        let Some(pointer) = reference.strip_prefix('#') else {
            diags.warning(
                format!("unsupported `$ref: {reference}`; using `serde_json::Value`"),
                Some(self.api.locate(ptr)),
            );
            return Ty::Json(Untyped::Unsupported);
        };
        if let Some(token) = reference.strip_prefix(SCHEMA_PREFIX)
            && let Some(rust) = self.components.get(&unescape(token))
        {
            // A `nullable` component is `Option` wherever it is used
            // (its own type is the non-null part), so a required
            // property holding it decodes `null`.
            let ty = Ty::Named(rust.clone());
            return match self.resolve(reference) {
                Some(s) if s.schema_data.nullable => ty.option(),
                _ => ty,
            };
        }
        if let Some(ty) = self.pointer_reference(pointer, diags) {
            return ty;
        }
        diags.warning(
            format!("`$ref: {reference}` names nothing that reads as a schema; using `serde_json::Value`"),
            Some(self.api.locate(ptr)),
        );
        Ty::Json(Untyped::Unsupported)
    }

    /// A component schema under its given (already claimed) name: structs,
    /// enums and unions take it directly; anything else becomes an alias.
    fn define_component(&mut self, name: Name, s: &Schema, ptr: &str, diags: &mut Diagnostics) {
        let rust = name.rust.clone();
        let ty = self.inline_as(s, Some(rust.clone()), &rust, ptr, diags);
        let itself = match &ty {
            Ty::Named(n) => *n == rust,
            // A nullable struct: where it is used, fields say whether null is allowed.
            Ty::Option(inner) => **inner == Ty::Named(rust.clone()),
            _ => false,
        };
        if !itself {
            // Uses of a nullable component add the `Option` themselves.
            let ty = match ty {
                Ty::Option(inner) if s.schema_data.nullable => *inner,
                ty => ty,
            };
            self.insert(name, schema_doc(s), TypeKind::Alias(ty), false, ptr);
        } else if self.defs.contains_key(&rust) {
            self.rename_wire(&rust, name.wire);
        } else {
            // `allOf: [$ref: itself]` and the like: nothing defines it.
            diags.warning(
                format!(
                    "schema `{}` is defined only in terms of itself; using `serde_json::Value`",
                    name.wire
                ),
                Some(self.api.locate(ptr)),
            );
            self.insert(
                name,
                schema_doc(s),
                TypeKind::Alias(Ty::Json(Untyped::Inexpressible)),
                false,
                ptr,
            );
        }
    }

    fn rename_wire(&mut self, rust: &str, wire: String) {
        if let Some(def) = self.defs.get_mut(rust) {
            def.name.wire = wire;
        }
    }

    fn inline(&mut self, s: &Schema, hint: &str, ptr: &str, diags: &mut Diagnostics) -> Ty {
        self.inline_as(s, None, hint, ptr, diags)
    }

    /// Converts an inline schema. A struct, enum or union defined at this
    /// level takes `name` when given (a component's), else a name from `hint`.
    fn inline_as(
        &mut self,
        s: &Schema,
        name: Option<String>,
        hint: &str,
        ptr: &str,
        diags: &mut Diagnostics,
    ) -> Ty {
        let ty = match &s.schema_kind {
            SchemaKind::Type(t) => self.typed(t, s, name, hint, ptr, diags),
            SchemaKind::OneOf { one_of } => {
                let parts: Vec<SchemaRef<'_>> = one_of.iter().map(Into::into).collect();
                self.union(&parts, s, name, hint, &format!("{ptr}/oneOf"), diags)
            }
            SchemaKind::AnyOf { any_of } => {
                let parts: Vec<SchemaRef<'_>> = any_of.iter().map(Into::into).collect();
                self.union(&parts, s, name, hint, &format!("{ptr}/anyOf"), diags)
            }
            SchemaKind::AllOf { all_of } => {
                let parts: Vec<SchemaRef<'_>> = all_of.iter().map(Into::into).collect();
                self.all_of(&parts, s, name, hint, ptr, diags)
            }
            SchemaKind::Not { .. } => Ty::Json(Untyped::Inexpressible),
            SchemaKind::Any(any) => self.any(any, s, name, hint, ptr, diags),
        };
        if s.schema_data.nullable {
            ty.option()
        } else {
            ty
        }
    }

    /// A string with a format: typed where the config says so.
    fn string_format(&self, format: &VariantOrUnknownOrEmpty<openapiv3::StringFormat>) -> Ty {
        use openapiv3::StringFormat;
        let typed_dates = self.scalars.date_time == Scalar::Typed;
        match format {
            VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) if typed_dates => Ty::DateTime,
            VariantOrUnknownOrEmpty::Item(StringFormat::Date) if typed_dates => Ty::Date,
            VariantOrUnknownOrEmpty::Item(StringFormat::Binary) if self.binary_as_bytes => {
                Ty::Bytes
            }
            VariantOrUnknownOrEmpty::Item(StringFormat::Byte)
                if self.scalars.byte == Scalar::Typed =>
            {
                Ty::Base64
            }
            VariantOrUnknownOrEmpty::Unknown(f)
                if f == "uuid" && self.scalars.uuid == Scalar::Typed =>
            {
                Ty::Uuid
            }
            _ => Ty::String,
        }
    }

    fn name_or_claim(&mut self, name: Option<String>, hint: &str) -> String {
        match name {
            Some(n) => n,
            None => self.claim(hint),
        }
    }

    fn typed(
        &mut self,
        t: &Type,
        s: &Schema,
        name: Option<String>,
        hint: &str,
        ptr: &str,
        diags: &mut Diagnostics,
    ) -> Ty {
        match t {
            Type::String(st) => {
                let values: Vec<&str> = st
                    .enumeration
                    .iter()
                    .flatten()
                    .map(String::as_str)
                    .collect();
                if values.is_empty() {
                    self.string_format(&st.format)
                } else {
                    self.string_enum(&values, s, name, hint, ptr)
                }
            }
            Type::Integer(it) => {
                let ty = match &it.format {
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Ty::I32,
                    _ => Ty::I64,
                };
                let values: Vec<i64> = it.enumeration.iter().flatten().copied().collect();
                // One value is a constant (3.1's `const`): the number says it all.
                if values.len() < 2 {
                    ty
                } else {
                    self.int_enum(ty, &values, s, name, hint, ptr)
                }
            }
            Type::Number(nt) => match &nt.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => Ty::F32,
                _ => Ty::F64,
            },
            Type::Boolean(_) => Ty::Bool,
            Type::Array(at) => {
                let item = match &at.items {
                    Some(items) => self.ty(
                        items.into(),
                        &format!("{hint}Item"),
                        &format!("{ptr}/items"),
                        diags,
                    ),
                    None => Ty::Json(Untyped::Any),
                };
                Ty::Vec(Box::new(item))
            }
            Type::Object(ot) => {
                let props: Vec<(&String, SchemaRef<'_>)> =
                    ot.properties.iter().map(|(k, v)| (k, v.into())).collect();
                let shape = ObjectShape {
                    props: &props,
                    required: &ot.required,
                    additional: ot.additional_properties.as_ref(),
                };
                self.object(&shape, s, name, hint, ptr, diags)
            }
        }
    }

    fn object(
        &mut self,
        shape: &ObjectShape<'_, '_>,
        s: &Schema,
        name: Option<String>,
        hint: &str,
        ptr: &str,
        diags: &mut Diagnostics,
    ) -> Ty {
        let additional = match shape.additional {
            Some(AdditionalProperties::Schema(inner)) => Some(self.ty(
                inner.as_ref().into(),
                &format!("{hint}Value"),
                &format!("{ptr}/additionalProperties"),
                diags,
            )),
            _ => None,
        };
        if shape.props.is_empty() {
            return match additional {
                Some(t) => Ty::Map(Box::new(t)),
                // No shape given: any JSON at all (real servers send arrays
                // where such a schema says object).
                None => Ty::Json(Untyped::Any),
            };
        }
        let inline = name.is_none();
        let rust = self.name_or_claim(name, hint);
        let fields = self.fields(
            shape.props,
            shape.required,
            &rust,
            additional.is_some(),
            ptr,
            diags,
        );
        let default = fields.iter().all(|f| defaultable(&f.ty));
        let rust = self.define(
            inline,
            Name {
                wire: hint.to_owned(),
                rust,
            },
            schema_doc(s),
            TypeKind::Struct(Struct {
                fields,
                additional,
                constructor: None,
            }),
            default,
            ptr,
        );
        Ty::Named(rust)
    }

    /// The fields of an object owned by the type `owner`, sorted by Rust name.
    pub fn fields(
        &mut self,
        props: &[(&String, SchemaRef<'_>)],
        required: &[String],
        owner: &str,
        flattened: bool,
        ptr: &str,
        diags: &mut Diagnostics,
    ) -> Vec<Field> {
        // Wire names that already are their Rust name keep it; the rest are
        // numbered on collision, in wire-name order. A struct with a map of
        // further properties keeps that map's field name for it.
        let mut fields_scope = if flattened {
            Scope::with_reserved(&[naming::ADDITIONAL_PROPERTIES])
        } else {
            Scope::new()
        };
        let candidates: Vec<String> = props
            .iter()
            .map(|(w, _)| naming::snake(w, "field"))
            .collect();
        let mut rust_names: Vec<Option<String>> = vec![None; props.len()];
        for (i, (wire, _)) in props.iter().enumerate() {
            if candidates[i] == **wire && !fields_scope.contains(&candidates[i]) {
                rust_names[i] = Some(fields_scope.claim(&candidates[i]));
            }
        }
        let mut order: Vec<usize> = (0..props.len()).collect();
        order.sort_by(|a, b| props[*a].0.cmp(props[*b].0));
        for i in order {
            if rust_names[i].is_none() {
                rust_names[i] = Some(fields_scope.claim(&candidates[i]));
            }
        }
        let mut fields = Vec::with_capacity(props.len());
        for ((wire, schema), rust) in props.iter().zip(rust_names) {
            let field_ptr = format!("{ptr}/properties/{}", escape_token(wire));
            let ty = self.ty_of(*schema, owner, wire, &field_ptr, diags);
            // A required `readOnly` property is absent from requests, a
            // `writeOnly` one from responses: one type serves both, so
            // either is optional.
            let one_way = match schema {
                SchemaRef::Item(ps) => ps.schema_data.read_only || ps.schema_data.write_only,
                SchemaRef::Ref(_) => false,
            };
            let is_required = !one_way && required.iter().any(|r| r == *wire);
            let doc = match schema {
                SchemaRef::Item(ps) => schema_doc(ps),
                // A named type documents itself; a reference to a plain
                // value (`#/…/properties/id`) lends the field its docs.
                SchemaRef::Ref(r) if !names_a_type(&ty) => self.resolve(r).and_then(schema_doc),
                SchemaRef::Ref(_) => None,
            };
            let (ty, skip_if_none) = if is_required {
                (ty, false)
            } else {
                (ty.option(), true)
            };
            fields.push(Field {
                name: Name {
                    wire: (*wire).clone(),
                    rust: rust.unwrap_or_else(|| "field".to_owned()),
                },
                ty,
                doc,
                skip_if_none,
                secret: self.secrets.contains(wire),
            });
        }
        fields.sort_by(|a, b| a.name.rust.cmp(&b.name.rust));
        fields
    }

    fn string_enum(
        &mut self,
        values: &[&str],
        s: &Schema,
        name: Option<String>,
        hint: &str,
        ptr: &str,
    ) -> Ty {
        let inline = name.is_none();
        let rust = self.name_or_claim(name, hint);
        let mut scope = Scope::with_reserved(&[naming::OTHER_VARIANT]);
        let mut seen = BTreeSet::new();
        let mut variants = Vec::new();
        for v in values {
            if !seen.insert(*v) {
                continue;
            }
            variants.push(Variant {
                name: Name {
                    wire: (*v).to_owned(),
                    rust: scope.claim(&naming::pascal(v, "Empty")),
                },
                doc: None,
            });
        }
        let rust = self.define(
            inline,
            Name {
                wire: hint.to_owned(),
                rust,
            },
            schema_doc(s),
            TypeKind::StringEnum(variants),
            false,
            ptr,
        );
        Ty::Named(rust)
    }

    /// An integer enum. Constants are named from `x-enum-varnames` (or
    /// `x-enumNames`) when it names every value, else from the value.
    fn int_enum(
        &mut self,
        ty: Ty,
        values: &[i64],
        s: &Schema,
        name: Option<String>,
        hint: &str,
        ptr: &str,
    ) -> Ty {
        let inline = name.is_none();
        let rust = self.name_or_claim(name, hint);
        let ext = &s.schema_data.extensions;
        let labels: Option<Vec<&str>> = ["x-enum-varnames", "x-enumNames"]
            .iter()
            .find_map(|k| ext.get(*k)?.as_array())
            .and_then(|a| a.iter().map(serde_json::Value::as_str).collect())
            .filter(|l: &Vec<&str>| l.len() == values.len());
        // Values fitting the type only (an `int32` enum listing 2^40 is a typo).
        let fits = |v: i64| ty != Ty::I32 || i32::try_from(v).is_ok();
        let mut scope = Scope::new();
        let mut seen = BTreeSet::new();
        let mut known = Vec::new();
        for (i, v) in values.iter().copied().enumerate() {
            if !fits(v) || !seen.insert(v) {
                continue;
            }
            let label = match labels.as_ref().and_then(|l| l.get(i)) {
                Some(l) => (*l).to_owned(),
                None if v < 0 => format!("minus {}", v.unsigned_abs()),
                None => format!("value {v}"),
            };
            known.push(IntValue {
                name: Name {
                    wire: v.to_string(),
                    rust: scope.claim(&naming::constant(&label, "VALUE")),
                },
                value: v,
            });
        }
        let rust = self.define(
            inline,
            Name {
                wire: hint.to_owned(),
                rust,
            },
            schema_doc(s),
            TypeKind::IntEnum { ty, values: known },
            false,
            ptr,
        );
        Ty::Named(rust)
    }

    fn union(
        &mut self,
        parts: &[SchemaRef<'_>],
        s: &Schema,
        name: Option<String>,
        hint: &str,
        ptr: &str,
        diags: &mut Diagnostics,
    ) -> Ty {
        // `nullable` alternatives of one type: `oneOf: [X, {nullable}]`.
        let non_null: Vec<(usize, SchemaRef<'_>)> = parts
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, p)| !is_null_schema(*p))
            .collect();
        let has_null = non_null.len() < parts.len();
        if non_null.is_empty() {
            return Ty::Json(Untyped::Any);
        }
        if non_null.len() == 1 {
            let (i, only) = non_null[0];
            let ty = self.ty(only, hint, &format!("{ptr}/{i}"), diags);
            return if has_null { ty.option() } else { ty };
        }
        let inline = name.is_none();
        let rust = self.name_or_claim(name, hint);
        let mut scope = Scope::new();
        let mut variants: Vec<UnionVariant> = Vec::new();
        // Each member's variant (members of one type share it).
        let mut member_variant: Vec<(SchemaRef<'_>, usize)> = Vec::new();
        let members: Vec<SchemaRef<'_>> = non_null.iter().map(|(_, p)| *p).collect();
        for (i, part) in non_null.iter().copied() {
            // Inline members are named from what they are, never from their
            // position alone (members are added and reordered).
            let own = match part {
                SchemaRef::Item(_) => Some(self.member_label(part, &rust, &members, i)),
                SchemaRef::Ref(_) => None,
            };
            let member_hint = format!("{rust}{}", own.as_deref().unwrap_or(""));
            let ty = self.ty(part, &member_hint, &format!("{ptr}/{i}"), diags);
            let ty = match ty {
                Ty::Option(inner) => *inner,
                t => t,
            };
            if let Some(v) = variants.iter().position(|v| v.ty == ty) {
                member_variant.push((part, v));
                continue;
            }
            member_variant.push((part, variants.len()));
            // A member that defined a type of its own takes its label; one
            // that is a named type or a scalar is named after it.
            let defined = matches!(&ty, Ty::Named(n) if n.starts_with(&naming::type_name(&member_hint, "Type")));
            let label = match own {
                Some(l) if defined => l,
                _ => variant_label(&ty),
            };
            variants.push(UnionVariant {
                name: Name {
                    wire: label.clone(),
                    rust: scope.claim(&label),
                },
                ty,
            });
        }
        // Serde tries untagged variants in order: put the most specific
        // (objects, then arrays) before scalars that would match loosely.
        let mut order: Vec<usize> = (0..variants.len()).collect();
        order.sort_by_key(|&i| union_rank(&variants[i].ty));
        let mut placed = vec![0; variants.len()];
        for (to, &from) in order.iter().enumerate() {
            placed[from] = to;
        }
        let mut slots: Vec<Option<UnionVariant>> = variants.into_iter().map(Some).collect();
        let variants: Vec<UnionVariant> = order.iter().filter_map(|&i| slots[i].take()).collect();
        let member_variant: Vec<(SchemaRef<'_>, usize)> = member_variant
            .into_iter()
            .map(|(m, v)| (m, placed[v]))
            .collect();
        let kind = match &s.schema_data.discriminator {
            Some(d) => self.tagged(d, variants, &member_variant, ptr, diags),
            None => TypeKind::Untagged(variants),
        };
        let rust = self.define(
            inline,
            Name {
                wire: hint.to_owned(),
                rust,
            },
            schema_doc(s),
            kind,
            false,
            ptr,
        );
        let ty = Ty::Named(rust);
        if has_null { ty.option() } else { ty }
    }

    /// A union with a `discriminator`: each value of its `mapping` (a
    /// schema name or `#/components/schemas/…`), and the name of each
    /// member given by `$ref` that no mapping names (the implicit value),
    /// selects that member's variant; `defaultMapping` (3.2, carried as
    /// `x-oas-default-mapping`) the variant for other values. Without any
    /// value that selects a member it stays untagged. Variants and their
    /// names are the untagged union's.
    fn tagged(
        &self,
        d: &openapiv3::Discriminator,
        variants: Vec<UnionVariant>,
        members: &[(SchemaRef<'_>, usize)],
        ptr: &str,
        diags: &mut Diagnostics,
    ) -> TypeKind {
        let at = ptr
            .rsplit_once('/')
            .map_or(ptr, |(schema, _)| schema)
            .to_owned();
        let component = |target: &str| -> Option<String> {
            match target.strip_prefix(SCHEMA_PREFIX) {
                Some(token) => Some(unescape(token)),
                None if !target.contains(['#', '/']) => Some(target.to_owned()),
                None => None,
            }
        };
        let variant_of = |target: &str| -> Option<usize> {
            let name = component(target)?;
            members.iter().find_map(|(m, v)| match m {
                SchemaRef::Ref(r) if component(r).as_deref() == Some(name.as_str()) => Some(*v),
                _ => None,
            })
        };
        let mut values: Vec<(String, usize)> = Vec::new();
        for (value, target) in &d.mapping {
            match variant_of(target) {
                Some(v) => values.push((value.clone(), v)),
                None => diags.warning(
                    format!("discriminator mapping `{value}: {target}` names no member of this union; ignored"),
                    Some(self.api.locate(&format!("{at}/discriminator/mapping/{}", escape_token(value)))),
                ),
            }
        }
        let mapped: BTreeSet<String> = d.mapping.values().filter_map(|t| component(t)).collect();
        for (m, v) in members {
            let SchemaRef::Ref(r) = m else { continue };
            let Some(name) = component(r) else { continue };
            if !mapped.contains(&name) && !values.iter().any(|(k, _)| *k == name) {
                values.push((name, *v));
            }
        }
        let default = match d.extensions.get(crate::normalize::DEFAULT_MAPPING) {
            Some(serde_json::Value::String(target)) => {
                let v = variant_of(target);
                if v.is_none() {
                    diags.warning(
                        format!("discriminator `defaultMapping: {target}` names no member of this union; other values are tried against each variant"),
                        Some(self.api.locate(&format!("{at}/discriminator/defaultMapping"))),
                    );
                }
                v
            }
            _ => None,
        };
        if values.is_empty() && default.is_none() {
            return TypeKind::Untagged(variants);
        }
        values.sort();
        TypeKind::Tagged {
            tag: d.property_name.clone(),
            variants,
            values,
            default,
        }
    }

    /// The label of an inline `oneOf`/`anyOf` member (the union is `union`):
    /// its title; the value of a property it fixes to one value (a tag:
    /// `type: {enum: [workflows]}`); the schema its `allOf` names first
    /// (without the words it shares with the union's name); a property only
    /// it requires; its JSON type; its position only when nothing else
    /// tells it apart.
    fn member_label(
        &self,
        part: SchemaRef<'_>,
        union: &str,
        members: &[SchemaRef<'_>],
        index: usize,
    ) -> String {
        let SchemaRef::Item(s) = part else {
            return format!("Variant{index}");
        };
        if let Some(title) = s
            .schema_data
            .title
            .as_deref()
            .filter(|t| !t.trim().is_empty())
        {
            return naming::type_name(title, "Variant");
        }
        let object = self.object_of(part);
        if let Some((props, _)) = &object {
            let tag = props.iter().find_map(|(_, p)| self.single_value(*p));
            if let Some(tag) = tag {
                return naming::type_name(&tag, "Variant");
            }
        }
        let all_of = match &s.schema_kind {
            SchemaKind::AllOf { all_of } => all_of.as_slice(),
            SchemaKind::Any(a) => a.all_of.as_slice(),
            _ => &[],
        };
        let named = all_of.iter().find_map(|m| match m {
            ReferenceOr::Reference { reference } => reference
                .strip_prefix(SCHEMA_PREFIX)
                .and_then(|t| self.components.get(&unescape(t))),
            ReferenceOr::Item(_) => None,
        });
        if let Some(named) = named {
            return without_shared_words(named, union);
        }
        if let Some((_, required)) = &object {
            let others: BTreeSet<String> = members
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != index)
                .filter_map(|(_, m)| self.object_of(*m))
                .flat_map(|(_, req)| req)
                .collect();
            let mut own: Vec<&String> = required.iter().filter(|r| !others.contains(*r)).collect();
            own.sort();
            if let Some(key) = own.first() {
                return naming::type_name(key, "Variant");
            }
        }
        // A string fixed to one value is named by it (`SkuPricing`).
        if let Some(value) = self.single_value(part) {
            return naming::type_name(&value, "Variant");
        }
        let kind = match &s.schema_kind {
            SchemaKind::Type(Type::Object(_)) => "Object",
            SchemaKind::Type(Type::Array(_)) => "List",
            SchemaKind::Type(Type::String(_)) => "String",
            SchemaKind::Type(Type::Integer(_)) => "Integer",
            SchemaKind::Type(Type::Number(_)) => "Number",
            SchemaKind::Type(Type::Boolean(_)) => "Bool",
            _ => "",
        };
        let objects = members
            .iter()
            .filter(|m| self.object_of(**m).is_some())
            .count();
        match kind {
            "Object" if objects > 1 => format!("Variant{index}"),
            "" => format!("Variant{index}"),
            k => k.to_owned(),
        }
    }

    /// The properties (wire name, schema) and required names of an
    /// object-like schema, following `$ref` and `allOf`.
    fn object_of<'s>(&self, part: SchemaRef<'s>) -> Option<ObjectParts<'s>>
    where
        'a: 's,
    {
        let mut props = Vec::new();
        let mut required = Vec::new();
        let mut additional = None;
        let mut seen = BTreeSet::new();
        let is_object = self.collect_object(
            part,
            &mut props,
            &mut required,
            &mut additional,
            &mut seen,
            0,
        );
        (is_object && !props.is_empty()).then(|| {
            props.sort_by(|a, b| a.0.cmp(&b.0));
            (props, required)
        })
    }

    /// The one value a string schema allows (`enum: [x]`), if so.
    fn single_value(&self, s: SchemaRef<'_>) -> Option<String> {
        let s = match s {
            SchemaRef::Item(s) => s,
            SchemaRef::Ref(r) => self.resolve(r)?,
        };
        match &s.schema_kind {
            SchemaKind::Type(Type::String(st)) => match st.enumeration.as_slice() {
                [Some(v)] => Some(v.clone()),
                _ => None,
            },
            _ => None,
        }
    }

    fn all_of(
        &mut self,
        parts: &[SchemaRef<'_>],
        s: &Schema,
        name: Option<String>,
        hint: &str,
        ptr: &str,
        diags: &mut Diagnostics,
    ) -> Ty {
        // Members that only annotate (a description, a default, `nullable`,
        // `readOnly`, validation keywords) do not change the type: an
        // `allOf` of one schema and annotations is that schema, whatever
        // its kind (OpenAPI 3.0's way to document a reference).
        let nullable = parts
            .iter()
            .any(|p| matches!(p, SchemaRef::Item(x) if x.schema_data.nullable));
        let substantive: Vec<(usize, SchemaRef<'_>)> = parts
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, p)| !is_annotation(*p))
            .collect();
        let ty = match substantive.as_slice() {
            [] => Some(Ty::Json(Untyped::Any)),
            [(i, only)] => {
                let at = format!("{ptr}/allOf/{i}");
                Some(match (only, name.clone()) {
                    // A component wrapping one inline schema gives it its name.
                    (SchemaRef::Item(x), Some(n)) => self.inline_as(x, Some(n), hint, &at, diags),
                    (only, _) => self.ty(*only, hint, &at, diags),
                })
            }
            _ => None,
        };
        if let Some(ty) = ty {
            return if nullable { ty.option() } else { ty };
        }
        let mut props: Vec<(String, SchemaRef<'_>)> = Vec::new();
        let mut required: Vec<String> = Vec::new();
        let mut additional: Option<&AdditionalProperties> = None;
        let mut ok = true;
        let mut seen = BTreeSet::new();
        for part in parts {
            ok &= self.collect_object(
                *part,
                &mut props,
                &mut required,
                &mut additional,
                &mut seen,
                0,
            );
        }
        if !ok {
            // Not all objects: members of one kind merge (a string enum and
            // `type: string`); kinds that exclude each other cannot.
            if let Some(ty) = self.scalar_all_of(&substantive, hint, ptr, diags) {
                return if nullable { ty.option() } else { ty };
            }
            diags.warning(
                "`allOf` mixes objects with other kinds of schema; using `serde_json::Value`",
                Some(self.api.locate(&format!("{ptr}/allOf"))),
            );
            return Ty::Json(Untyped::MixesKinds);
        }
        // Later parts refine earlier ones: keep the last definition of a name.
        let mut by_name: BTreeMap<String, SchemaRef<'_>> = BTreeMap::new();
        for (k, v) in props {
            by_name.insert(k, v);
        }
        let owned: Vec<(String, SchemaRef<'_>)> = by_name.into_iter().collect();
        let refs: Vec<(&String, SchemaRef<'_>)> = owned.iter().map(|(k, v)| (k, *v)).collect();
        let shape = ObjectShape {
            props: &refs,
            required: &required,
            additional,
        };
        self.object(&shape, s, name, hint, &format!("{ptr}/allOf"), diags)
    }

    /// An `allOf` of members that are not all objects: their one type when
    /// they agree (the most specific one: a named enum or alias over
    /// `type: string`); `None` when their kinds exclude each other.
    fn scalar_all_of(
        &mut self,
        parts: &[(usize, SchemaRef<'_>)],
        hint: &str,
        ptr: &str,
        diags: &mut Diagnostics,
    ) -> Option<Ty> {
        let mut types = Vec::with_capacity(parts.len());
        for (i, part) in parts {
            let ty = self.ty(*part, hint, &format!("{ptr}/allOf/{i}"), diags);
            types.push(match ty {
                Ty::Option(inner) => *inner,
                t => t,
            });
        }
        let kind = |t: &Ty| self.scalar_kind(t);
        let first = kind(types.first()?)?;
        if types.iter().any(|t| kind(t) != Some(first)) {
            return None;
        }
        // A named type says more than a plain scalar of its kind.
        let named: Vec<&Ty> = types.iter().filter(|t| matches!(t, Ty::Named(_))).collect();
        match named.as_slice() {
            [] => types.first().cloned(),
            [one] => Some((*one).clone()),
            many if many.iter().all(|t| *t == many[0]) => Some(many[0].clone()),
            _ => None,
        }
    }

    /// The JSON kind of a non-object type: `"string"`, `"integer"`, …
    fn scalar_kind(&self, ty: &Ty) -> Option<&'static str> {
        Some(match ty {
            Ty::String | Ty::DateTime | Ty::Date | Ty::Uuid | Ty::Base64 | Ty::Bytes => "string",
            Ty::I32 | Ty::I64 => "integer",
            Ty::F32 | Ty::F64 => "number",
            Ty::Bool => "boolean",
            Ty::Vec(_) => "array",
            Ty::Named(n) => match self.defs.get(n).map(|d| &d.kind) {
                Some(TypeKind::StringEnum(_)) => "string",
                Some(TypeKind::IntEnum { .. }) => "integer",
                Some(TypeKind::Alias(t)) => self.scalar_kind(t)?,
                _ => return None,
            },
            _ => return None,
        })
    }

    /// Gathers the properties of an object-like schema (following `$ref` and
    /// nested `allOf`). False when the schema is not object-like.
    fn collect_object<'s>(
        &self,
        schema: SchemaRef<'s>,
        props: &mut Vec<(String, SchemaRef<'s>)>,
        required: &mut Vec<String>,
        additional: &mut Option<&'s AdditionalProperties>,
        seen: &mut BTreeSet<&'s str>,
        depth: usize,
    ) -> bool
    where
        'a: 's,
    {
        if depth > MAX_DEPTH {
            return false;
        }
        let s: &'s Schema = match schema {
            // `allOf` is idempotent: a schema already merged adds nothing.
            // This also stops reference cycles and keeps diamonds linear.
            SchemaRef::Ref(r) if !seen.insert(r) => return true,
            SchemaRef::Ref(r) => match self.resolve(r) {
                Some(s) => s,
                None => return false,
            },
            SchemaRef::Item(s) => s,
        };
        match &s.schema_kind {
            SchemaKind::Type(Type::Object(o)) => {
                props.extend(o.properties.iter().map(|(k, v)| (k.clone(), v.into())));
                required.extend(o.required.iter().cloned());
                if o.additional_properties.is_some() {
                    *additional = o.additional_properties.as_ref();
                }
                true
            }
            SchemaKind::AllOf { all_of } => all_of.iter().all(|p| {
                self.collect_object(p.into(), props, required, additional, seen, depth + 1)
            }),
            SchemaKind::OneOf { one_of: variants } | SchemaKind::AnyOf { any_of: variants } => {
                self.collect_variants(variants, props, additional, seen, depth)
            }
            SchemaKind::Any(any) if any.typ.as_deref().is_none_or(|t| t == "object") => {
                props.extend(any.properties.iter().map(|(k, v)| (k.clone(), v.into())));
                required.extend(any.required.iter().cloned());
                any.all_of.iter().all(|p| {
                    self.collect_object(p.into(), props, required, additional, seen, depth + 1)
                }) && self.collect_variants(&any.one_of, props, additional, seen, depth)
                    && self.collect_variants(&any.any_of, props, additional, seen, depth)
            }
            _ => false,
        }
    }

    /// The alternatives (`oneOf`/`anyOf`) of an `allOf` member, all objects:
    /// their properties join the merged object as optional fields (which
    /// alternative holds is not checked).
    fn collect_variants<'s>(
        &self,
        variants: &'s [ReferenceOr<Schema>],
        props: &mut Vec<(String, SchemaRef<'s>)>,
        additional: &mut Option<&'s AdditionalProperties>,
        seen: &mut BTreeSet<&'s str>,
        depth: usize,
    ) -> bool
    where
        'a: 's,
    {
        let mut optional = Vec::new();
        variants.iter().all(|v| {
            self.collect_object(v.into(), props, &mut optional, additional, seen, depth + 1)
        })
    }

    fn any(
        &mut self,
        any: &openapiv3::AnySchema,
        s: &Schema,
        name: Option<String>,
        hint: &str,
        ptr: &str,
        diags: &mut Diagnostics,
    ) -> Ty {
        if !any.all_of.is_empty() && any.properties.is_empty() {
            let parts: Vec<SchemaRef<'_>> = any.all_of.iter().map(Into::into).collect();
            return self.all_of(&parts, s, name, hint, ptr, diags);
        }
        // An object whose `oneOf`/`anyOf` members only say which of its
        // properties are required (`anyOf: [{required: [state]}, …]`) is
        // that object: the alternatives are the server's to check, and its
        // properties keep their types (and the names they had before the
        // alternatives were added).
        let alternatives = any.one_of.iter().chain(&any.any_of);
        let constraints_only = alternatives.clone().all(|m| match m {
            ReferenceOr::Item(m) => only_constrains(m),
            ReferenceOr::Reference { .. } => false,
        });
        let plain_object = !any.properties.is_empty()
            && alternatives.count() > 0
            && constraints_only
            && any.all_of.is_empty();
        if !any.one_of.is_empty() && !plain_object {
            let parts: Vec<SchemaRef<'_>> = any.one_of.iter().map(Into::into).collect();
            return self.union(&parts, s, name, hint, &format!("{ptr}/oneOf"), diags);
        }
        if !any.any_of.is_empty() && !plain_object {
            let parts: Vec<SchemaRef<'_>> = any.any_of.iter().map(Into::into).collect();
            return self.union(&parts, s, name, hint, &format!("{ptr}/anyOf"), diags);
        }
        match any.typ.as_deref() {
            Some("string") => return Ty::String,
            Some("integer") => {
                return if any.format.as_deref() == Some("int32") {
                    Ty::I32
                } else {
                    Ty::I64
                };
            }
            Some("number") => return Ty::F64,
            Some("boolean") => return Ty::Bool,
            Some("array") => {
                let item = match &any.items {
                    Some(items) => self.ty(
                        items.into(),
                        &format!("{hint}Item"),
                        &format!("{ptr}/items"),
                        diags,
                    ),
                    None => Ty::Json(Untyped::Any),
                };
                return Ty::Vec(Box::new(item));
            }
            _ => {}
        }
        if !any.properties.is_empty() || any.additional_properties.is_some() {
            let props: Vec<(&String, SchemaRef<'_>)> =
                any.properties.iter().map(|(k, v)| (k, v.into())).collect();
            let shape = ObjectShape {
                props: &props,
                required: &any.required,
                additional: any.additional_properties.as_ref(),
            };
            return self.object(&shape, s, name, hint, ptr, diags);
        }
        if any.items.is_some() {
            let item = match &any.items {
                Some(items) => self.ty(
                    items.into(),
                    &format!("{hint}Item"),
                    &format!("{ptr}/items"),
                    diags,
                ),
                None => Ty::Json(Untyped::Any),
            };
            return Ty::Vec(Box::new(item));
        }
        Ty::Json(Untyped::Any)
    }
}

/// Whether a schema only constrains a value without describing one: no
/// type, properties, items, values or members (`{required: [state]}`,
/// `{not: …}`).
fn only_constrains(s: &Schema) -> bool {
    match &s.schema_kind {
        SchemaKind::Not { .. } => true,
        SchemaKind::Any(a) => {
            a.typ.is_none()
                && a.properties.is_empty()
                && a.additional_properties.is_none()
                && a.items.is_none()
                && a.enumeration.is_empty()
                && a.one_of.is_empty()
                && a.any_of.is_empty()
                && a.all_of.is_empty()
        }
        _ => false,
    }
}

/// An object-like schema's properties (wire name, schema) and required names.
type ObjectParts<'s> = (Vec<(String, SchemaRef<'s>)>, Vec<String>);

struct ObjectShape<'p, 's> {
    props: &'p [(&'p String, SchemaRef<'s>)],
    required: &'p [String],
    additional: Option<&'s AdditionalProperties>,
}

/// The words a path of schema keywords adds to its owner's name:
/// property names, `Item`, `Value`, `Body`, `Response`, …
fn pointer_words(rest: &[String]) -> Vec<String> {
    let mut words = Vec::new();
    let mut i = 0;
    while i < rest.len() {
        let t = rest[i].as_str();
        let next = rest.get(i + 1);
        match t {
            "properties" | "patternProperties" | "$defs" | "definitions" => {
                if let Some(n) = next {
                    words.push(n.clone());
                }
                i += 1;
            }
            "allOf" | "oneOf" | "anyOf" | "content" | "parameters" | "headers" => i += 1,
            "items" => words.push("Item".to_owned()),
            "additionalProperties" => words.push("Value".to_owned()),
            "requestBody" => words.push("Body".to_owned()),
            "responses" => {
                match next.map(String::as_str) {
                    Some(code) if code.starts_with('2') => words.push("Response".to_owned()),
                    Some("default") => words.push("Error".to_owned()),
                    Some(code) => words.push(format!("Error {code}")),
                    None => {}
                }
                i += 1;
            }
            "schema" | "not" => {}
            other => words.push(other.to_owned()),
        }
        i += 1;
    }
    words
}

/// `name` without the leading words it shares with `owner`
/// (`RepositoryRuleWorkflows` in `RepositoryRuleDetailed` → `Workflows`);
/// all of it when nothing would remain.
fn without_shared_words(name: &str, owner: &str) -> String {
    let words = naming::words(name);
    let theirs = naming::words(owner);
    let shared = words
        .iter()
        .zip(&theirs)
        .take_while(|(a, b)| a == b)
        .count();
    if shared == 0 || shared >= words.len() {
        return name.to_owned();
    }
    naming::type_name(&words[shared..].join(" "), "Variant")
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Schemas that `$ref`s name by pointer (not a component's root), read
/// once from the merged document: `openapiv3` only follows components.
#[derive(Debug, Default)]
pub struct Deep {
    schemas: BTreeMap<String, ReferenceOr<Schema>>,
}

impl Deep {
    /// Every schema-position `$ref` of the document that is not
    /// `#/components/schemas/<name>`, with the schema it names.
    pub fn collect(api: &Api) -> Deep {
        let mut schemas = BTreeMap::new();
        for site in crate::resolve::schema_refs(&api.raw) {
            let Some(pointer) = site.strip_prefix('#') else {
                continue;
            };
            let is_component = site
                .strip_prefix(SCHEMA_PREFIX)
                .is_some_and(|name| !name.contains('/'));
            if is_component || schemas.contains_key(pointer) {
                continue;
            }
            if let Some(found) = api.raw.pointer(pointer)
                && let Ok(schema) = serde_json::from_value::<ReferenceOr<Schema>>(found.clone())
            {
                schemas.insert(pointer.to_owned(), schema);
            }
        }
        Deep { schemas }
    }
}

fn resolve_schema<'a>(
    api: &'a Api,
    deep: &'a Deep,
    reference: &str,
    depth: usize,
) -> Option<&'a Schema> {
    if depth > MAX_DEPTH {
        return None;
    }
    let found = match reference.strip_prefix(SCHEMA_PREFIX) {
        Some(token) if !token.contains('/') => api
            .openapi
            .components
            .as_ref()?
            .schemas
            .get(&unescape(token))?,
        _ => deep.schemas.get(reference.strip_prefix('#')?)?,
    };
    match found {
        ReferenceOr::Item(s) => Some(s),
        ReferenceOr::Reference { reference } => resolve_schema(api, deep, reference, depth + 1),
    }
}

/// The doc comment of a schema: its title (when it adds something) and
/// description; for an `allOf` that documents a reference, those of its
/// annotating members.
pub fn schema_doc(s: &Schema) -> Option<String> {
    let mut data = [&s.schema_data].to_vec();
    let members = match &s.schema_kind {
        SchemaKind::AllOf { all_of } => all_of.as_slice(),
        SchemaKind::Any(a) => a.all_of.as_slice(),
        _ => &[],
    };
    for m in members {
        if let ReferenceOr::Item(m) = m
            && is_annotation(SchemaRef::Item(m))
        {
            data.push(&m.schema_data);
        }
    }
    let pick = |f: fn(&openapiv3::SchemaData) -> Option<&str>| data.iter().find_map(|d| f(d));
    let default = data
        .iter()
        .find_map(|d| d.default.as_ref())
        .and_then(docs::default_value);
    docs::doc(&[
        pick(|d| d.title.as_deref()),
        pick(|d| d.description.as_deref()),
        default.as_deref(),
    ])
}

/// Whether a type is (an `Option`, list or map of) a type of the crate.
fn names_a_type(ty: &Ty) -> bool {
    ty.has_named()
}

/// Whether a type has an obvious `Default` (so a struct of them can derive it).
fn defaultable(ty: &Ty) -> bool {
    matches!(ty, Ty::Option(_) | Ty::Vec(_) | Ty::Map(_))
}

/// Marks every struct whose fields all implement `Default` (primitives,
/// strings, collections, options and such structs), so request bodies can be
/// written as `Body { required: …, ..Default::default() }`.
fn derive_defaults(defs: &mut BTreeMap<String, TypeDef>) {
    fn has_default(ty: &Ty, defs: &BTreeMap<String, TypeDef>) -> bool {
        match ty {
            Ty::Named(n) => defs.get(n).is_some_and(|d| d.default),
            Ty::Box(inner) => has_default(inner, defs),
            _ => true,
        }
    }
    loop {
        let newly: Vec<String> = defs
            .values()
            .filter(|d| !d.default)
            .filter(|d| match &d.kind {
                TypeKind::Struct(s) => s.fields.iter().all(|f| has_default(&f.ty, defs)),
                TypeKind::Alias(t) => has_default(t, defs),
                _ => false,
            })
            .map(|d| d.name.rust.clone())
            .collect();
        if newly.is_empty() {
            break;
        }
        for n in newly {
            if let Some(d) = defs.get_mut(&n) {
                d.default = true;
            }
        }
    }
}

/// Whether an `allOf` member only annotates or validates (`description`,
/// `default`, `nullable`, `maxLength`, `xml`, …) and so leaves the type of
/// the other members as it is.
fn is_annotation(s: SchemaRef<'_>) -> bool {
    let SchemaRef::Item(s) = s else {
        return false;
    };
    match &s.schema_kind {
        SchemaKind::Any(a) => {
            a.typ.is_none()
                && a.properties.is_empty()
                && a.required.is_empty()
                && a.additional_properties.is_none()
                && a.items.is_none()
                && a.enumeration.is_empty()
                && a.one_of.is_empty()
                && a.all_of.is_empty()
                && a.any_of.is_empty()
                && a.not.is_none()
        }
        _ => false,
    }
}

fn is_null_schema(s: SchemaRef<'_>) -> bool {
    match s {
        SchemaRef::Item(s) => match &s.schema_kind {
            SchemaKind::Any(a) => {
                a.typ.as_deref() == Some("null")
                    || (s.schema_data.nullable
                        && a.typ.is_none()
                        && a.properties.is_empty()
                        && a.enumeration.iter().all(|v| v.is_null())
                        && !a.enumeration.is_empty())
            }
            _ => false,
        },
        SchemaRef::Ref(_) => false,
    }
}

pub(crate) fn variant_label(ty: &Ty) -> String {
    match ty {
        Ty::Bool => "Bool".into(),
        Ty::I32 | Ty::I64 => "Integer".into(),
        Ty::F32 | Ty::F64 => "Number".into(),
        Ty::String => "String".into(),
        Ty::Json(_) => "Value".into(),
        Ty::Bytes => "Bytes".into(),
        Ty::DateTime => "DateTime".into(),
        Ty::Date => "Date".into(),
        Ty::Uuid => "Uuid".into(),
        Ty::Base64 => "Bytes".into(),
        Ty::Named(n) => n.clone(),
        Ty::Vec(inner) => format!("{}List", variant_label(inner)),
        Ty::Map(inner) => format!("{}Map", variant_label(inner)),
        Ty::Option(inner) | Ty::Box(inner) => variant_label(inner),
    }
}

fn union_rank(ty: &Ty) -> u8 {
    match ty {
        Ty::Named(_) | Ty::Box(_) => 0,
        Ty::Map(_) => 1,
        Ty::Vec(_) => 2,
        Ty::Bool => 3,
        Ty::I32 | Ty::I64 => 4,
        Ty::F32 | Ty::F64 => 5,
        Ty::String => 6,
        Ty::Option(_) => 7,
        Ty::DateTime | Ty::Date | Ty::Uuid => 5,
        Ty::Base64 => 6,
        Ty::Json(_) | Ty::Bytes => 8,
    }
}
