//! The rules of a spec the generated types do not enforce, turned into
//! checks that run before a request is sent.
//!
//! typify makes length limits, patterns and enums part of the generated
//! types; it leaves out `format: email`, numeric bounds (`minimum`,
//! `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, an integer
//! `multipleOf`) and array sizes (`minItems`, `maxItems`). This module walks every
//! operation's parameters and request body — the JSON schema and the
//! generated Rust type side by side — and emits
//!
//! * per operation, `fn check(&self)` of `crate::core::Operation`;
//! * per generated struct with a rule in it (at any depth), an
//!   `impl crate::core::Check`.
//!
//! The rules mean what the JSON Schema validator the mock uses makes of
//! them (`crate::core::check` says how each is read; `tests/specs/rules.yaml`
//! and a proptest hold the two equal). What the walk does not enter —
//! `oneOf` / `anyOf` alternatives, enums — is left to the server.

use super::CodegenError;
use super::emit::{field_of, first_type_argument, last_segment};
use super::meta::{self, local_ref};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The emitted checks of one spec.
pub struct Checks<'a> {
    spec: &'a Value,
    structs: &'a [syn::ItemStruct],
    /// Struct name → how far its walk is.
    seen: HashMap<String, Seen>,
    /// Struct name → its `impl Check`.
    impls: BTreeMap<String, TokenStream>,
    /// Structs a cycle referred to before their walk ended: each gets an
    /// impl, even one with nothing to check.
    forced: BTreeSet<String>,
}

/// A struct's walk, keyed by the schemas it was reached through (their
/// addresses in the spec): typify makes one type of two schemas that
/// generate the same Rust, whose rules may still differ.
enum Seen {
    Walking(Vec<usize>),
    Done {
        schemas: Vec<usize>,
        statements: String,
        has: bool,
    },
}

/// Integer and float types a numeric rule can read.
const NUMBERS: [&str; 24] = [
    "i8",
    "i16",
    "i32",
    "i64",
    "i128",
    "isize",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "usize",
    "f32",
    "f64",
    "NonZeroU8",
    "NonZeroU16",
    "NonZeroU32",
    "NonZeroU64",
    "NonZeroUsize",
    "NonZeroI8",
    "NonZeroI16",
    "NonZeroI32",
    "NonZeroI64",
    "NonZeroIsize",
];

impl<'a> Checks<'a> {
    /// Checks for `spec`, whose generated `types` module holds `structs`.
    pub fn new(spec: &'a Value, structs: &'a [syn::ItemStruct]) -> Self {
        Checks {
            spec,
            structs,
            seen: HashMap::new(),
            impls: BTreeMap::new(),
            forced: BTreeSet::new(),
        }
    }

    /// The body of `fn check(&self)` for one operation, whose `ops::` struct
    /// has `fields` (owned types); `None` when nothing needs checking.
    pub fn operation(
        &mut self,
        op: &meta::Operation,
        fields: &[(syn::Ident, syn::Type)],
    ) -> Result<Option<TokenStream>, CodegenError> {
        let spec = self.spec;
        let item = spec
            .get("paths")
            .and_then(|p| p.get(&op.path))
            .unwrap_or(&Value::Null);
        let json_op = item
            .get(op.method.to_ascii_lowercase())
            .unwrap_or(&Value::Null);
        let mut statements = Vec::new();
        for param in meta::parameters(spec, item, json_op) {
            let (Some(name), Some(schema)) = (
                param.get("name").and_then(Value::as_str),
                param.get("schema"),
            ) else {
                continue;
            };
            let place = format!("{}: parameter `{name}`", op.id);
            let Some((ident, ty)) = argument(fields, name, &place)? else {
                if has_rules(spec, schema, 0) {
                    return Err(CodegenError::Generator(format!(
                        "{place}: no generated argument carries it, so its rules cannot be checked"
                    )));
                }
                continue;
            };
            if let Some(code) =
                self.value(ty, &views_of(spec, schema), quote!(&self.#ident), &place)?
            {
                let name = Literal::string(name);
                statements.push(quote! {
                    (#code).map_err(|rule| crate::core::Invalid::new(#name, rule))?;
                });
            }
        }
        let body = json_op
            .get("requestBody")
            .map(|b| local_ref(spec, b))
            .and_then(|b| b.pointer("/content/application~1json/schema"));
        if let Some(schema) = body {
            let place = format!("{}: request body", op.id);
            let (ident, ty) = fields
                .iter()
                .find(|(i, _)| i == "body")
                .ok_or_else(|| CodegenError::Generator(format!("{place}: no `body` argument")))?;
            let views = views_of(spec, schema);
            let is_struct = local_type(ty).is_some_and(|name| self.struct_named(&name).is_some());
            if is_struct {
                // A struct body: its errors name its own fields.
                if self.struct_check(ty, &views, &place)? {
                    statements.push(quote!(crate::core::Check::check(&self.#ident)?;));
                }
            } else if let Some(code) = self.value(ty, &views, quote!(&self.#ident), &place)? {
                statements.push(quote! {
                    (#code).map_err(|rule| crate::core::Invalid::new("body", rule))?;
                });
            }
        }
        Ok((!statements.is_empty()).then(|| {
            quote! {
                fn check(&self) -> ::std::result::Result<(), crate::core::Invalid> {
                    #(#statements)*
                    ::std::result::Result::Ok(())
                }
            }
        }))
    }

    /// Every `impl Check` the operations needed.
    pub fn impls(&self) -> TokenStream {
        let impls = self.impls.values();
        let forced = self
            .forced
            .iter()
            .filter(|name| !self.impls.contains_key(*name))
            .map(|name| {
                let ident = format_ident!("{}", name);
                quote! {
                    impl crate::core::Check for types::#ident {
                        fn check(&self) -> ::std::result::Result<(), crate::core::Invalid> {
                            ::std::result::Result::Ok(())
                        }
                    }
                }
            });
        quote!(#(#impls)* #(#forced)*)
    }

    /// The generated struct with named fields called `name`.
    fn struct_named(&self, name: &str) -> Option<&'a syn::ItemStruct> {
        self.structs
            .iter()
            .find(|s| s.ident == name && matches!(s.fields, syn::Fields::Named(_)))
    }

    /// The type inside typify's newtype `name` (which derefs to it).
    fn newtype_inner(&self, name: &str) -> Option<&'a syn::Type> {
        self.structs.iter().find_map(|s| match &s.fields {
            syn::Fields::Unnamed(f) if s.ident == name && f.unnamed.len() == 1 => {
                Some(&f.unnamed[0].ty)
            }
            _ => None,
        })
    }

    /// Whether the struct `ty` has (or, in a cycle, will have) an
    /// `impl Check`, emitting it on first sight.
    fn struct_check(
        &mut self,
        ty: &syn::Type,
        views: &[&'a Value],
        place: &str,
    ) -> Result<bool, CodegenError> {
        let Some(strukt) = local_type(ty).and_then(|name| self.struct_named(&name)) else {
            return Ok(false);
        };
        let name = strukt.ident.to_string();
        let mut schemas: Vec<usize> = views.iter().map(|v| *v as *const Value as usize).collect();
        schemas.sort_unstable();
        let earlier = match self.seen.get(&name) {
            Some(Seen::Walking(walking)) if *walking == schemas => {
                self.forced.insert(name);
                return Ok(true);
            }
            Some(Seen::Walking(_)) => {
                return Err(CodegenError::Unsupported(format!(
                    "{place}: typify generates one type `{name}` for two recursive schemas; give them different `title`s"
                )));
            }
            Some(Seen::Done {
                schemas: done, has, ..
            }) if *done == schemas => return Ok(*has),
            Some(Seen::Done {
                schemas: done,
                statements,
                has,
            }) => Some((done.clone(), statements.clone(), *has)),
            None => None,
        };
        self.seen
            .insert(name.clone(), Seen::Walking(schemas.clone()));
        let statements = self.struct_statements(strukt, views, place)?;
        let text = quote!(#(#statements)*).to_string();
        if let Some((done, earlier_text, has)) = earlier {
            // Reached again through other schemas: the same rules, or an error.
            self.seen.insert(
                name.clone(),
                Seen::Done {
                    schemas: done,
                    statements: earlier_text.clone(),
                    has,
                },
            );
            if text != earlier_text {
                return Err(CodegenError::Unsupported(format!(
                    "{place}: typify generates one type `{name}` for two schemas whose rules differ; give them different `title`s"
                )));
            }
            return Ok(has);
        }
        let has = !statements.is_empty() || self.forced.contains(&name);
        self.seen.insert(
            name.clone(),
            Seen::Done {
                schemas,
                statements: text,
                has,
            },
        );
        if !statements.is_empty() {
            let ident = format_ident!("{}", name);
            self.impls.insert(
                name,
                quote! {
                    impl crate::core::Check for types::#ident {
                        fn check(&self) -> ::std::result::Result<(), crate::core::Invalid> {
                            #(#statements)*
                            ::std::result::Result::Ok(())
                        }
                    }
                },
            );
        }
        Ok(has)
    }

    /// One statement per field of `strukt` with a rule.
    fn struct_statements(
        &mut self,
        strukt: &'a syn::ItemStruct,
        views: &[&'a Value],
        place: &str,
    ) -> Result<Vec<TokenStream>, CodegenError> {
        let spec = self.spec;
        let name = strukt.ident.to_string();
        // Each property with every schema that defines it (`allOf` members
        // may each say something of it; all of it applies).
        let mut properties: Vec<(&'a str, Vec<&'a Value>)> = Vec::new();
        for view in views {
            for (json, schema) in view
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let schemas = views_of(spec, schema);
                match properties.iter_mut().find(|(j, _)| j == json) {
                    Some((_, all)) => all.extend(schemas),
                    None => properties.push((json.as_str(), schemas)),
                }
            }
        }
        let mut statements = Vec::new();
        for (json, schemas) in properties {
            let place = format!("{place}: `{json}`");
            let Some(field) = field_of(strukt, json) else {
                if schemas.iter().any(|s| has_rules(spec, s, 0)) {
                    return Err(CodegenError::Generator(format!(
                        "{place}: no field of `{name}` carries it, so its rules cannot be checked"
                    )));
                }
                continue;
            };
            let ident = field.ident.clone().expect("named field");
            let code = self.value(&field.ty, &schemas, quote!(&self.#ident), &place)?;
            if let Some(code) = skippable(field, code)? {
                let json = Literal::string(json);
                statements.push(quote! {
                    (#code).map_err(|rule| crate::core::Invalid::new(#json, rule))?;
                });
            }
        }
        // The properties no name declares (`additionalProperties` beside
        // `properties`), which typify keeps in one flattened map.
        let syn::Fields::Named(fields) = &strukt.fields else {
            return Ok(statements);
        };
        for field in fields.named.iter().filter(|f| is_flattened(f)) {
            let ident = field.ident.clone().expect("named field");
            let place = format!("{place}: additional properties");
            let code = self.value(&field.ty, views, quote!(&self.#ident), &place)?;
            if let Some(code) = skippable(field, code)? {
                statements.push(quote! {
                    (#code).map_err(|rule| crate::core::Invalid::new("additionalProperties", rule))?;
                });
            }
        }
        Ok(statements)
    }

    /// An expression of type `Result<(), String>` checking `expr` (a `&T`,
    /// `T` being `ty`) against the schema seen through `views`; `None` when
    /// there is nothing to check.
    fn value(
        &mut self,
        ty: &syn::Type,
        views: &[&'a Value],
        expr: TokenStream,
        place: &str,
    ) -> Result<Option<TokenStream>, CodegenError> {
        let spec = self.spec;
        let items_of = |views: &[&'a Value]| -> Vec<&'a Value> {
            views
                .iter()
                .filter_map(|v| v.get("items"))
                .filter(|s| s.is_object())
                .flat_map(|s| views_of(spec, s))
                .collect()
        };
        if let syn::Type::Array(array) = ty {
            // typify's `[T; N]` for `minItems == maxItems`: the size holds.
            let code = self.value(&array.elem, &items_of(views), quote!(v), place)?;
            return Ok(code.map(|code| quote!(crate::core::check::each(#expr, |v| #code))));
        }
        if let Some(name) = local_type(ty) {
            if self.struct_named(&name).is_some() {
                let has = self.struct_check(ty, views, place)?;
                return Ok(has.then(
                    || quote!(crate::core::check::nested(crate::core::Check::check(#expr))),
                ));
            }
            if let Some(inner) = self.newtype_inner(&name) {
                // A named string, number, list or map: its rules, on what it holds.
                return self.value(inner, views, quote!(&**#expr), place);
            }
            // An enum: a closed set of values the type itself holds.
            return Ok(None);
        }
        let Some(segment) = last_segment(ty) else {
            return Ok(None);
        };
        let wrapper = segment.ident.to_string();
        let inner = first_type_argument(segment);
        match (wrapper.as_str(), inner) {
            ("Option", Some(inner)) => {
                let code = self.value(inner, views, quote!(v), place)?;
                Ok(code.map(|code| {
                    quote! {
                        match #expr {
                            ::std::option::Option::Some(v) => #code,
                            ::std::option::Option::None => ::std::result::Result::Ok(()),
                        }
                    }
                }))
            }
            ("Box", Some(inner)) => self.value(inner, views, quote!(&**#expr), place),
            ("Vec", Some(inner)) => {
                let mut parts = Vec::new();
                for view in views {
                    let (min, max) = (count(view, "minItems"), count(view, "maxItems"));
                    if min.is_some() || max.is_some() {
                        let (min, max) = (opt_usize(min), opt_usize(max));
                        parts.push(quote!(crate::core::check::items((#expr).len(), #min, #max)));
                    }
                }
                if let Some(code) = self.value(inner, &items_of(views), quote!(v), place)? {
                    parts.push(quote!(crate::core::check::each(#expr, |v| #code)));
                }
                Ok(all(parts))
            }
            ("BTreeMap" | "HashMap", _) => {
                let syn::PathArguments::AngleBracketed(args) = &segment.arguments else {
                    return Ok(None);
                };
                let Some(syn::GenericArgument::Type(value_ty)) = args.args.iter().nth(1) else {
                    return Ok(None);
                };
                let values: Vec<&Value> = views
                    .iter()
                    .filter_map(|v| v.get("additionalProperties"))
                    .filter(|s| s.is_object())
                    .flat_map(|s| views_of(spec, s))
                    .collect();
                let code = self.value(value_ty, &values, quote!(v), place)?;
                Ok(code.map(|code| quote!(crate::core::check::values(#expr, |v| #code))))
            }
            _ => self.leaf(ty, &wrapper, views, expr, place),
        }
    }

    /// The rules on a string or a number (a type from outside the
    /// generated `types` module, named `name`).
    fn leaf(
        &self,
        ty: &syn::Type,
        name: &str,
        views: &[&'a Value],
        expr: TokenStream,
        place: &str,
    ) -> Result<Option<TokenStream>, CodegenError> {
        let shown = || quote!(#ty).to_string();
        let string = name == "String" || name == "str";
        let number = NUMBERS.contains(&name);
        // A keyword applies only to values of its kind (JSON Schema): on a
        // value the Rust type says is of another, it can never fail. It is
        // an error only when the schema says the value is of that kind but
        // the generated type is not one this module can read.
        let declared = |kinds: &[&str]| {
            views.iter().any(|v| match v.get("type") {
                Some(Value::String(t)) => kinds.contains(&t.as_str()),
                Some(Value::Array(ts)) => ts
                    .iter()
                    .any(|t| t.as_str().is_some_and(|t| kinds.contains(&t))),
                _ => false,
            })
        };
        let unreadable = |what: &str| {
            CodegenError::Unsupported(format!(
                "{place}: {what} on a value generated as `{}`, which the generated checks cannot read",
                shown()
            ))
        };
        let mut parts = Vec::new();
        for view in views {
            if view.get("format").and_then(Value::as_str) == Some("email") {
                if string {
                    parts.push(quote!(crate::core::check::email(#expr)));
                } else if declared(&["string"]) {
                    return Err(unreadable("`format: email`"));
                }
            }
            if let Some(rule) = number_rule(view, place)? {
                if number {
                    parts.push(quote!(crate::core::check::number(#expr, &#rule)));
                } else if declared(&["integer", "number"]) {
                    return Err(unreadable("a numeric bound"));
                }
            }
        }
        Ok(all(parts))
    }
}

/// `code`, passed over when serde leaves the field out: typify's empty
/// `Vec` or map for an absent optional property is not sent, so it is not
/// checked (an `Option`'s `None` is passed over by the check itself).
fn skippable(
    field: &syn::Field,
    code: Option<TokenStream>,
) -> Result<Option<TokenStream>, CodegenError> {
    let Some(code) = code else { return Ok(None) };
    let optional = last_segment(&field.ty).is_some_and(|s| s.ident == "Option");
    let ident = field.ident.as_ref().expect("named field");
    Ok(Some(match skipped_when(field)? {
        Some(skip) if !optional => quote! {
            if #skip(&self.#ident) { ::std::result::Result::Ok(()) } else { #code }
        },
        _ => code,
    }))
}

/// Whether a field carries `#[serde(flatten)]`.
fn is_flattened(field: &syn::Field) -> bool {
    field.attrs.iter().any(|a| {
        a.path().is_ident("serde")
            && a.parse_nested_meta(|m| {
                if m.path.is_ident("flatten") {
                    Err(m.error("found"))
                } else {
                    if m.input.peek(syn::Token![=]) {
                        let _: syn::Expr = m.value()?.parse()?;
                    }
                    Ok(())
                }
            })
            .is_err()
    })
}

/// The name of a type the generated `types` module defines: `types::Name`
/// from outside it, `Name` inside; `None` for anything else
/// (`::serde_json::Value`, `::std::vec::Vec<..>`, `i64`).
fn local_type(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(p) = ty else { return None };
    if p.qself.is_some() || p.path.leading_colon.is_some() {
        return None;
    }
    let segments: Vec<&syn::PathSegment> = p.path.segments.iter().collect();
    let last = match segments.as_slice() {
        [only] => only,
        [module, last] if module.ident == "types" => last,
        _ => return None,
    };
    let name = last.ident.to_string();
    // Built-in names typify writes bare.
    let builtin = matches!(last.arguments, syn::PathArguments::AngleBracketed(_))
        || NUMBERS.contains(&name.as_str())
        || matches!(name.as_str(), "String" | "str" | "bool" | "char");
    (!builtin).then_some(name)
}

/// The field of the operation's arguments that carries parameter `name`:
/// progenitor's snake_case of it. Two parameters whose names differ only
/// in case or punctuation would be told apart by the exact snake_case, or
/// refused.
pub(super) fn argument<'f>(
    fields: &'f [(syn::Ident, syn::Type)],
    name: &str,
    place: &str,
) -> Result<Option<&'f (syn::Ident, syn::Type)>, CodegenError> {
    let candidates: Vec<&(syn::Ident, syn::Type)> = fields
        .iter()
        .filter(|(i, _)| i != "body" && same_name(&i.to_string(), name))
        .collect();
    match candidates.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        several => {
            let exact = meta::snake_case(name);
            let exact: Vec<_> = several
                .iter()
                .filter(|(i, _)| i.to_string().trim_start_matches("r#") == exact)
                .collect();
            match exact.as_slice() {
                [one] => Ok(Some(**one)),
                _ => Err(CodegenError::Unsupported(format!(
                    "{place}: its generated argument cannot be told from another parameter's; rename one"
                ))),
            }
        }
    }
}

/// The parts joined with `and_then`, or `None` when there are none.
fn all(parts: Vec<TokenStream>) -> Option<TokenStream> {
    let mut parts = parts.into_iter();
    let first = parts.next()?;
    Some(parts.fold(first, |acc, next| quote!(#acc.and_then(|()| #next))))
}

/// A `crate::core::check::NumberRule` literal for the bounds in `view`.
fn number_rule(view: &Value, place: &str) -> Result<Option<TokenStream>, CodegenError> {
    let bad = |key: &str| CodegenError::Unsupported(format!("{place}: `{key}` must be a number"));
    let num = |key: &str| -> Result<Option<TokenStream>, CodegenError> {
        match view.get(key) {
            None => Ok(None),
            Some(v) => num_literal(v).map(Some).ok_or_else(|| bad(key)),
        }
    };
    let minimum = num("minimum")?;
    let maximum = num("maximum")?;
    let (mut exclusive_minimum, mut exclusive_maximum) = (false, false);
    // OpenAPI 3.0: a boolean that makes `minimum` (`maximum`) exclusive.
    for (key, bound, exclusive) in [
        ("exclusiveMinimum", &minimum, &mut exclusive_minimum),
        ("exclusiveMaximum", &maximum, &mut exclusive_maximum),
    ] {
        match view.get(key) {
            None | Some(Value::Bool(false)) => {}
            Some(Value::Bool(true)) => *exclusive = bound.is_some(),
            Some(_) => {
                return Err(CodegenError::Unsupported(format!(
                    "{place}: `{key}` must be true or false (OpenAPI 3.0)"
                )));
            }
        }
    }
    // An integer step (`2`, `2.0`) is checked here; a fractional one is
    // left to the server, whose float arithmetic we would have to guess.
    let multiple_of = match view.get("multipleOf") {
        None => None,
        Some(v) => match v.as_f64() {
            Some(m) if m > 0.0 && m.fract() == 0.0 && m < 9.0e15 => {
                Some(Literal::i128_suffixed(m as i128))
            }
            Some(m) if m > 0.0 => None,
            _ => {
                return Err(CodegenError::Unsupported(format!(
                    "{place}: `multipleOf` must be a number greater than 0"
                )));
            }
        },
    };
    if minimum.is_none() && maximum.is_none() && multiple_of.is_none() {
        return Ok(None);
    }
    let opt = |v: Option<TokenStream>| match v {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    };
    let (minimum, maximum) = (opt(minimum), opt(maximum));
    let multiple_of = opt(multiple_of.map(|m| quote!(#m)));
    Ok(Some(quote! {
        crate::core::check::NumberRule {
            minimum: #minimum,
            exclusive_minimum: #exclusive_minimum,
            maximum: #maximum,
            exclusive_maximum: #exclusive_maximum,
            multiple_of: #multiple_of,
        }
    }))
}

/// A JSON number as a `crate::core::check::Num`.
fn num_literal(value: &Value) -> Option<TokenStream> {
    if let Some(i) = value.as_i64() {
        let i = Literal::i128_suffixed(i.into());
        return Some(quote!(crate::core::check::Num::Int(#i)));
    }
    if let Some(u) = value.as_u64() {
        let u = Literal::i128_suffixed(u.into());
        return Some(quote!(crate::core::check::Num::Int(#u)));
    }
    let f = value.as_f64().filter(|f| f.is_finite())?;
    let f = Literal::f64_suffixed(f);
    Some(quote!(crate::core::check::Num::Float(#f)))
}

/// A non-negative integer keyword (`minItems`, `maxItems`).
fn count(view: &Value, key: &str) -> Option<u64> {
    view.get(key).and_then(Value::as_u64)
}

fn opt_usize(v: Option<u64>) -> TokenStream {
    match v {
        Some(v) => {
            let v = Literal::usize_suffixed(usize::try_from(v).unwrap_or(usize::MAX));
            quote!(::std::option::Option::Some(#v))
        }
        None => quote!(::std::option::Option::None),
    }
}

/// A schema and, through `$ref`s and `allOf`, every schema it also has to
/// satisfy: each one's rules apply.
fn views_of<'s>(spec: &'s Value, schema: &'s Value) -> Vec<&'s Value> {
    fn walk<'s>(spec: &'s Value, schema: &'s Value, out: &mut Vec<&'s Value>, depth: usize) {
        if depth > 16 {
            return;
        }
        let schema = local_ref(spec, schema);
        if out.iter().any(|s| std::ptr::eq(*s, schema)) {
            return;
        }
        out.push(schema);
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            for member in all {
                walk(spec, member, out, depth + 1);
            }
        }
    }
    let mut out = Vec::new();
    walk(spec, schema, &mut out, 0);
    out
}

/// Whether a rule this module checks appears anywhere under `schema`.
fn has_rules(spec: &Value, schema: &Value, depth: usize) -> bool {
    if depth > 32 {
        return false;
    }
    const KEYS: [&str; 7] = [
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
    ];
    views_of(spec, schema).into_iter().any(|view| {
        view.get("format").and_then(Value::as_str) == Some("email")
            || KEYS.iter().any(|k| view.get(*k).is_some())
            || view
                .get("properties")
                .and_then(Value::as_object)
                .is_some_and(|p| p.values().any(|s| has_rules(spec, s, depth + 1)))
            || ["items", "additionalProperties"]
                .iter()
                .filter_map(|k| view.get(*k))
                .any(|s| s.is_object() && has_rules(spec, s, depth + 1))
    })
}

/// The function of a field's `#[serde(skip_serializing_if = "…")]`.
fn skipped_when(field: &syn::Field) -> Result<Option<syn::ExprPath>, CodegenError> {
    let mut found = None;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|m| {
            if m.path.is_ident("skip_serializing_if") {
                let path: syn::LitStr = m.value()?.parse()?;
                found = Some(path);
            } else if m.input.peek(syn::Token![=]) {
                let _: syn::Expr = m.value()?.parse()?;
            }
            Ok(())
        });
    }
    found
        .map(|lit| {
            lit.parse::<syn::ExprPath>().map_err(|e| {
                CodegenError::Generator(format!("skip_serializing_if `{}`: {e}", lit.value()))
            })
        })
        .transpose()
}

/// Whether a generated argument name (`limit_record`) stands for the spec
/// name (`limitRecord`, `limit-record`): the same letters and digits.
fn same_name(ident: &str, spec_name: &str) -> bool {
    let norm = |s: &str| -> String {
        s.trim_start_matches("r#")
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    norm(ident) == norm(spec_name)
}
