//! `types.rs`: one item per schema.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::ty::{Scope, complexity_allow, tokens};
use super::{Pieces, doc_attrs};
use crate::helpers;
use crate::model::{
    Constructor, Envelope, Field, GroupId, Helper, IntValue, Literal, Model, Struct, Ty, TypeDef,
    TypeKind, UnionVariant, Usage, Variant,
};

/// Whether group `g` has types of its own (used by it alone).
pub fn has_group_file(model: &Model, g: GroupId) -> bool {
    model.types.iter().any(|d| d.groups == [g])
}

/// Whether `def` is written in the types file of `group` (`None`: the root
/// file, which holds the types shared by several groups).
pub fn in_file(model: &Model, def: &TypeDef, group: Option<GroupId>) -> bool {
    match group {
        Some(g) => def.groups == [g],
        None => model.groups.is_empty() || def.groups.len() != 1,
    }
}

/// The types module's root file (`group` = `None`), or one group's file.
pub fn emit(model: &Model, group: Option<GroupId>) -> Pieces<'_> {
    let mine = move |d: &&TypeDef| in_file(model, d, group);
    // A group file is gated as a whole where it is declared.
    let cfg = move |d: &TypeDef| {
        if group.is_some() {
            quote!()
        } else {
            super::cfg_any(model, &d.groups)
        }
    };
    let items = model
        .types
        .iter()
        .filter(mine)
        .map(move |d| item(d, cfg(d)));
    let used = model.types.iter().filter(mine).flat_map(TypeDef::tys);
    let allow = complexity_allow(used, []);
    let head = match group {
        None => {
            let envelope = model.envelope.as_ref().map(envelope);
            // Wherever `format: byte` appears (a type, a builder, an error
            // body), gated by the groups that need it.
            let base64 = model.runtime.helpers.get(&Helper::Base64).map(|groups| {
                helpers::definition(Helper::Base64).code(model, &super::cfg_any(model, groups))
            });
            let modules = super::group_modules(model, |g| has_group_file(model, g));
            quote! {
                //! Types of the API's schemas: request bodies, responses and everything they hold.
                #allow

                #modules
                #envelope
                #base64
            }
        }
        Some(g) => {
            let doc = format!(" {}", model.group(g).map_or("", |g| g.types_doc.as_str()));
            // Types here may refer to shared ones in the parent module.
            let uses_parent = model
                .types
                .iter()
                .filter(|d| d.groups == [g])
                .any(|d| refers_outside(model, d, g));
            let import = uses_parent.then(|| {
                quote!(
                    use super::*;
                )
            });
            quote! {
                #![doc = #doc]
                #allow

                #import
            }
        }
    };
    Box::new(std::iter::once(head).chain(items))
}

/// Whether a type refers to a named type that is not in group `g`'s file.
fn refers_outside(model: &Model, def: &TypeDef, g: GroupId) -> bool {
    let mut refs = Vec::new();
    def.collect_children(&mut refs);
    refs.iter().any(|r| {
        model
            .types
            .iter()
            .find(|d| d.name.rust == *r)
            .is_none_or(|d| d.groups != [g])
    })
}

/// The generic envelope with its success test.
fn envelope(e: &Envelope) -> TokenStream {
    let name = format_ident!("{}", e.name);
    let fields = e.fields.iter().map(|f| field(f, Usage::default()));
    let data = format_ident!("{}", e.data.rust);
    let data_rename = (e.data.wire != e.data.rust).then(|| {
        let wire = &e.data.wire;
        quote!(#[serde(rename = #wire)])
    });
    let (test, doc) = match &e.success {
        Some(rule) => {
            let field = format_ident!("{}", rule.field);
            let value = match &rule.value {
                Literal::Str(s) => quote!(#s),
                Literal::Bool(b) => quote!(#b),
                Literal::Int(i) => {
                    let lit = proc_macro2::Literal::i64_unsuffixed(*i);
                    quote!(#lit)
                }
            };
            let test = match (&rule.ty, rule.optional) {
                (Ty::String, true) => quote!(self.#field.as_deref() == Some(#value)),
                (Ty::String, false) => quote!(self.#field == #value),
                (_, true) => quote!(self.#field == Some(#value)),
                (_, false) => quote!(self.#field == #value),
            };
            let shown = match &rule.value {
                Literal::Str(s) => format!("`\"{s}\"`"),
                Literal::Bool(b) => format!("`{b}`"),
                Literal::Int(i) => format!("`{i}`"),
            };
            (
                test,
                format!(
                    " Whether the server reports success: `{}` is {shown}.",
                    rule.field
                ),
            )
        }
        None => (
            quote!(true),
            " Every envelope counts as success.".to_owned(),
        ),
    };
    quote! {
        /// The envelope every response of this API comes in; `data` holds the payload.
        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct #name<T> {
            #( #fields )*
            /// The payload.
            #data_rename
            #[serde(skip_serializing_if = "Option::is_none")]
            pub #data: Option<T>,
        }

        impl<T> #name<T> {
            #[doc = #doc]
            pub fn is_success(&self) -> bool {
                #test
            }
        }
    }
}

fn item(def: &TypeDef, cfg: TokenStream) -> TokenStream {
    let doc = doc_attrs(def.doc.as_deref());
    let doc = quote!(#cfg #doc);
    let name = format_ident!("{}", def.name.rust);
    match &def.kind {
        TypeKind::Struct(s) => strukt(def, s, doc, cfg),
        TypeKind::StringEnum(variants) => string_enum(&name, variants, doc, def),
        TypeKind::IntEnum { ty, values } => {
            int_enum(&name, ty, values, doc, def.doc.is_some(), def.usage)
        }
        TypeKind::Untagged(variants) => union(&name, variants, doc, def),
        TypeKind::Tagged {
            tag,
            variants,
            values,
            default,
        } => {
            let mut out = union(&name, variants, doc, def);
            if def.usage.deserialize {
                out.extend(tagged_decoder(&name, tag, variants, values, *default, cfg));
            }
            out
        }
        TypeKind::Alias(ty) => {
            let ty = tokens(ty, Scope::Types);
            quote! {
                #doc
                pub type #name = #ty;
            }
        }
    }
}

/// `serde::Serialize` and/or `serde::Deserialize`, as the type is used.
fn serde_derives(usage: Usage) -> TokenStream {
    let ser = usage.serialize.then(|| quote!(serde::Serialize,));
    let de = usage.deserialize.then(|| quote!(serde::Deserialize,));
    quote!(#ser #de)
}

fn strukt(def: &TypeDef, s: &Struct, doc: TokenStream, cfg: TokenStream) -> TokenStream {
    let name = format_ident!("{}", def.name.rust);
    let fields = s.fields.iter().map(|f| field(f, def.usage));
    let flatten = def.usage.serialize.then(|| quote!(#[serde(flatten)]));
    let additional = s.additional.as_ref().map(|ty| {
        let ty = tokens(ty, Scope::Types);
        quote! {
            /// Properties not listed above.
            #flatten
            pub additional_properties: std::collections::BTreeMap<String, #ty>,
        }
    });
    let has_secret = s.fields.iter().any(|f| f.secret);
    let debug = if has_secret { quote!() } else { quote!(Debug,) };
    // `Default` helps build values to send; received ones do not need it.
    let default = if def.default && def.usage.serialize {
        quote!(Default,)
    } else {
        quote!()
    };
    // Received structs decode through the runtime's lighter
    // `deserialize_struct!` rather than serde's derive.
    let serde = serde_derives(Usage {
        deserialize: false,
        ..def.usage
    });
    let debug_impl = has_secret.then(|| {
        let imp = redacted_debug(&name, s);
        quote!(#cfg #imp)
    });
    let deserialize = def.usage.deserialize.then(|| {
        let entries = s.fields.iter().map(|f| {
            let field = format_ident!("{}", f.name.rust);
            let wire = &f.name.wire;
            let none = f.ty.is_option().then(|| quote!(or none));
            quote!(#field => #wire #none)
        });
        let additional = s
            .additional
            .as_ref()
            .map(|_| quote!(+ additional_properties));
        quote! {
            #cfg
            crate::runtime::deserialize_struct!(#name { #( #entries ),* } #additional);
        }
    });
    let non_exhaustive = def.non_exhaustive.then(|| quote!(#[non_exhaustive]));
    let constructor = s.constructor.as_ref().map(|c| {
        let imp = constructor(&name, s, c, def.default);
        quote!(#cfg #imp)
    });
    quote! {
        #doc
        #[derive(Clone, #debug #default PartialEq, #serde)]
        #non_exhaustive
        pub struct #name {
            #( #fields )*
            #additional
        }
        #constructor
        #debug_impl
        #deserialize
    }
}

/// The argument type for a value stored as `ty`, and how to store it
/// (`None`: as it is): strings as `impl Into<String>`, boxed values unboxed.
fn argument(ty: &Ty, value: &proc_macro2::Ident) -> (TokenStream, Option<TokenStream>) {
    match ty {
        Ty::String => (quote!(impl Into<String>), Some(quote!(#value.into()))),
        Ty::Box(inner) => {
            let (arg, stored) = argument(inner, value);
            let stored = stored.unwrap_or_else(|| quote!(#value));
            (arg, Some(quote!(Box::new(#stored))))
        }
        other => (tokens(other, Scope::Types), None),
    }
}

/// `new(required…)` and a setter per optional field. A struct that
/// derives `Default` fills the rest from it.
fn constructor(
    name: &proc_macro2::Ident,
    s: &Struct,
    c: &Constructor,
    derives_default: bool,
) -> TokenStream {
    let mut params = Vec::new();
    let mut inits = Vec::new();
    let mut args = Vec::new();
    for (i, f) in s.fields.iter().enumerate() {
        let field = format_ident!("{}", f.name.rust);
        if c.args.contains(&i) {
            let (arg, stored) = argument(&f.ty, &field);
            params.push(quote!(#field: #arg));
            let init = match stored {
                Some(stored) => quote!(#field: #stored,),
                None => quote!(#field,),
            };
            inits.push(init.clone());
            args.push(init);
        } else {
            inits.push(quote!(#field: None,));
        }
    }
    // Fields `new` does not take: `None`, or (when there are some) the
    // derived `Default`'s.
    let rest = s.fields.len() > params.len() || s.additional.is_some();
    let body = if !(derives_default && rest) {
        let additional = s
            .additional
            .as_ref()
            .map(|_| quote!(additional_properties: std::collections::BTreeMap::new(),));
        quote!(Self { #( #inits )* #additional })
    } else if args.is_empty() {
        quote!(Self::default())
    } else {
        quote!(Self { #( #args )* ..Self::default() })
    };
    let allow = (params.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let setters = c.setters.iter().filter_map(|(i, setter)| {
        let f = s.fields.get(*i)?;
        let Ty::Option(inner) = &f.ty else {
            return None;
        };
        Some(setter_tokens(&f.name.rust, setter, inner))
    });
    let doc = match (params.is_empty(), c.setters.is_empty()) {
        (false, false) => {
            " A value of the required fields; the optional ones are set with the methods below."
        }
        (false, true) => " A value of its fields.",
        (true, false) => " A value with no field set; they are set with the methods below.",
        (true, true) => " An empty value.",
    };
    quote! {
        impl #name {
            #[doc = #doc]
            #allow
            pub fn new(#( #params ),*) -> Self {
                #body
            }
            #( #setters )*
        }
    }
}

/// The setter of an optional field.
fn setter_tokens(field: &str, setter: &str, ty: &Ty) -> TokenStream {
    let doc = format!(" Sets `{field}`.");
    let field = format_ident!("{}", field);
    let setter = format_ident!("{}", setter);
    let value = format_ident!("value");
    let (arg, stored) = argument(ty, &value);
    let stored = stored.unwrap_or_else(|| quote!(value));
    quote! {
        #[doc = #doc]
        pub fn #setter(mut self, value: #arg) -> Self {
            self.#field = Some(#stored);
            self
        }
    }
}

fn field(f: &Field, usage: Usage) -> TokenStream {
    let doc = doc_attrs(f.doc.as_deref());
    let name = format_ident!("{}", f.name.rust);
    let ty = tokens(&f.ty, Scope::Types);
    let mut args: Vec<TokenStream> = Vec::new();
    // Only serde's `Serialize` derive reads these attributes.
    if f.name.wire != f.name.rust && usage.serialize {
        let wire = &f.name.wire;
        args.push(quote!(rename = #wire));
    }
    // A missing `Option` field deserialises as `None` without `default`.
    if f.skip_if_none && usage.serialize {
        args.push(quote!(skip_serializing_if = "Option::is_none"));
    }
    let serde = (!args.is_empty()).then(|| quote!(#[serde( #( #args ),* )]));
    quote! {
        #doc
        #serde
        pub #name: #ty,
    }
}

/// `Debug` that shows secret fields as `<redacted>`.
fn redacted_debug(name: &proc_macro2::Ident, s: &Struct) -> TokenStream {
    let wire = name.to_string();
    let fields = s.fields.iter().map(|f| {
        let ident = format_ident!("{}", f.name.rust);
        let label = &f.name.rust;
        if f.secret && f.ty.is_option() {
            quote!(.field(#label, &self.#ident.as_ref().map(|_| "<redacted>")))
        } else if f.secret {
            quote!(.field(#label, &"<redacted>"))
        } else {
            quote!(.field(#label, &self.#ident))
        }
    });
    let additional = s
        .additional
        .as_ref()
        .map(|_| quote!(.field("additional_properties", &self.additional_properties)));
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#wire)
                    #( #fields )*
                    #additional
                    .finish()
            }
        }
    }
}

fn string_enum(
    name: &proc_macro2::Ident,
    variants: &[Variant],
    doc: TokenStream,
    def: &TypeDef,
) -> TokenStream {
    let serde = serde_derives(def.usage);
    let non_exhaustive = def.non_exhaustive.then(|| quote!(#[non_exhaustive]));
    let vs = variants.iter().map(|v| {
        let doc = doc_attrs(v.doc.as_deref());
        let ident = format_ident!("{}", v.name.rust);
        let wire = &v.name.wire;
        quote! {
            #doc
            #[serde(rename = #wire)]
            #ident,
        }
    });
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash, #serde)]
        #non_exhaustive
        pub enum #name {
            #( #vs )*
            /// A value not known when this client was generated.
            #[serde(untagged)]
            Other(String),
        }
    }
}

fn int_enum(
    name: &proc_macro2::Ident,
    ty: &Ty,
    values: &[IntValue],
    doc: TokenStream,
    documented: bool,
    usage: Usage,
) -> TokenStream {
    let gap = documented.then(|| quote!(#[doc = ""]));
    let serde = serde_derives(usage);
    let repr = tokens(ty, Scope::Types);
    let constants = values.iter().map(|v| {
        let ident = format_ident!("{}", v.name.rust);
        let value = proc_macro2::Literal::i64_unsuffixed(v.value);
        let doc = format!(" `{}`", v.value);
        quote! {
            #[doc = #doc]
            pub const #ident: Self = Self(#value);
        }
    });
    quote! {
        #doc
        #gap
        /// Known values are the associated constants; others are kept as sent.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, #serde)]
        #[serde(transparent)]
        pub struct #name(pub #repr);

        impl #name {
            #( #constants )*
        }
    }
}

fn union(
    name: &proc_macro2::Ident,
    variants: &[UnionVariant],
    doc: TokenStream,
    def: &TypeDef,
) -> TokenStream {
    // A tagged union decodes by its own `Deserialize` (`tagged_decoder`).
    let usage = Usage {
        deserialize: def.usage.deserialize && matches!(def.kind, TypeKind::Untagged(_)),
        ..def.usage
    };
    let serde = serde_derives(usage);
    let repr = (usage.serialize || usage.deserialize).then(|| quote!(#[serde(untagged)]));
    let non_exhaustive = def.non_exhaustive.then(|| quote!(#[non_exhaustive]));
    let vs = variants.iter().map(|v| {
        let ident = format_ident!("{}", v.name.rust);
        let ty = tokens(&v.ty, Scope::Types);
        quote!(#ident(#ty),)
    });
    // Variants hold what the API sends; boxing the large ones would change
    // the API for a lint.
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, #serde)]
        #repr
        #non_exhaustive
        pub enum #name {
            #( #vs )*
        }
    }
}

/// The `Deserialize` of a union with a discriminator: the value is read
/// whole, the property's value picks the variant, which decodes the whole
/// value (so it keeps the property); other values go to the default
/// variant, or are tried against each variant in order.
fn tagged_decoder(
    name: &proc_macro2::Ident,
    tag: &str,
    variants: &[UnionVariant],
    values: &[(String, usize)],
    default: Option<usize>,
    cfg: TokenStream,
) -> TokenStream {
    let ident = |i: usize| variants.get(i).map(|v| format_ident!("{}", v.name.rust));
    let arms = variants.iter().enumerate().filter_map(|(i, v)| {
        let names: Vec<&String> = values
            .iter()
            .filter(|(_, to)| *to == i)
            .map(|(value, _)| value)
            .collect();
        if names.is_empty() {
            return None;
        }
        let variant = format_ident!("{}", v.name.rust);
        Some(quote! {
            Some(#( #names )|*) => serde_json::from_value(value).map(Self::#variant).map_err(serde::de::Error::custom),
        })
    });
    let other = match default.and_then(ident) {
        Some(variant) => quote! {
            _ => serde_json::from_value(value).map(Self::#variant).map_err(serde::de::Error::custom),
        },
        None => {
            let tries = variants.iter().map(|v| {
                let variant = format_ident!("{}", v.name.rust);
                quote! {
                    if let Ok(v) = serde_json::from_value(value.clone()) {
                        return Ok(Self::#variant(v));
                    }
                }
            });
            let message = format!("data did not match any variant of `{name}`");
            quote! {
                _ => {
                    #( #tries )*
                    Err(serde::de::Error::custom(#message))
                }
            }
        }
    };
    quote! {
        #cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                let tag = value.get(#tag).and_then(serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    #( #arms )*
                    #other
                }
            }
        }
    }
}
