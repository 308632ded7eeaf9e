//! JSON Schema impls for schemars 1: typify (through progenitor) writes the
//! few `JsonSchema` impls it does not derive against schemars 0.8's API,
//! which the crate no longer uses (schemars 1 builds on `syn` 3, as serde
//! does, so a consumer compiles one `syn`, not two).
//!
//! The only such impl typify writes is for an enum of integers (a spec's
//! `type: integer` with `enum:`): the integer type's schema plus the
//! allowed values. Each one is checked against exactly that shape, by
//! rebuilding typify's code from what it says and comparing, and rewritten
//! to the same schema through schemars 1's API. Any other hand-written
//! `JsonSchema` impl is an error naming its type, so a typify change cannot
//! slip through as code that does not compile.

use super::CodegenError;
use super::emit::string_literals;
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::visit_mut::VisitMut;

/// Rewrites every `JsonSchema` impl in `file` (at any module depth).
pub fn schemars_v1(file: &mut syn::File) -> Result<(), CodegenError> {
    rewrite_items(&mut file.items)
}

fn rewrite_items(items: &mut [syn::Item]) -> Result<(), CodegenError> {
    for item in items {
        match item {
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &mut m.content {
                    rewrite_items(inner)?;
                }
            }
            syn::Item::Impl(imp) if is_json_schema(imp) => {
                let en = IntegerEnum::read(imp)?;
                *imp = syn::parse2(en.v1()?).map_err(|e| {
                    CodegenError::Generator(format!(
                        "rewritten JsonSchema impl does not parse: {e}"
                    ))
                })?;
            }
            _ => {}
        }
    }
    Ok(())
}

fn is_json_schema(imp: &syn::ItemImpl) -> bool {
    imp.trait_
        .as_ref()
        .and_then(|(_, path, _)| path.segments.last())
        .is_some_and(|s| s.ident == "JsonSchema")
}

/// What typify's impl for an integer enum says.
struct IntegerEnum {
    self_ty: syn::Type,
    name: syn::LitStr,
    /// The integer type whose schema it narrows.
    inner: syn::Type,
    /// The allowed values, as the JSON text typify parses at run time.
    values: Vec<syn::LitStr>,
}

impl IntegerEnum {
    fn read(imp: &syn::ItemImpl) -> Result<Self, CodegenError> {
        let self_ty = (*imp.self_ty).clone();
        let shown = self_ty.to_token_stream().to_string();
        let unknown = || {
            CodegenError::Unsupported(format!(
                "typify wrote a JsonSchema impl for `{shown}` of a shape we do not know \
                 (only integer enums are supported)"
            ))
        };
        let mut literals = Vec::new();
        string_literals(imp.to_token_stream(), &mut literals);
        let mut types = QualifiedSelf::default();
        types.visit_item_impl_mut(&mut imp.clone());
        // The name, then one literal per value; the integer type is the
        // one inside `<T as ::schemars::JsonSchema>`.
        let (name, values) = literals.split_first().ok_or_else(unknown)?;
        let inner = types.0.into_iter().next().ok_or_else(unknown)?;
        let en = IntegerEnum {
            self_ty,
            name: name.clone(),
            inner,
            values: values.to_vec(),
        };
        if en.v08().to_string() != imp.to_token_stream().to_string() {
            return Err(unknown());
        }
        Ok(en)
    }

    /// typify's impl, as it writes it for these values (schemars 0.8).
    fn v08(&self) -> TokenStream {
        let IntegerEnum {
            self_ty,
            name,
            inner,
            values,
        } = self;
        quote! {
            impl ::schemars::JsonSchema for #self_ty {
                fn schema_name() -> ::std::string::String {
                    #name.to_string()
                }
                fn json_schema(gen: &mut ::schemars::gen::SchemaGenerator) -> ::schemars::schema::Schema {
                    let mut schema = <#inner as ::schemars::JsonSchema>::json_schema(gen).into_object();
                    schema.enum_values = ::std::option::Option::Some(
                        [#(::serde_json::from_str(#values).unwrap(),)*].into_iter().collect()
                    );
                    schema.into()
                }
            }
        }
    }

    /// The same schema through schemars 1's API. The values are checked
    /// here to be integers, so nothing is parsed (or can fail) at run time.
    fn v1(&self) -> Result<TokenStream, CodegenError> {
        let (self_ty, name, inner) = (&self.self_ty, &self.name, &self.inner);
        let values = self
            .values
            .iter()
            .map(|v| {
                v.value().parse::<i64>().map(|n| quote!(#n)).map_err(|_| {
                    CodegenError::Unsupported(format!(
                        "integer enum `{}` has a value that is not an integer: {}",
                        name.value(),
                        v.value()
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(quote! {
            impl ::schemars::JsonSchema for #self_ty {
                fn schema_name() -> ::std::borrow::Cow<'static, str> {
                    ::std::borrow::Cow::Borrowed(#name)
                }
                fn json_schema(generator: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                    let mut schema = <#inner as ::schemars::JsonSchema>::json_schema(generator);
                    schema.insert(
                        "enum".into(),
                        ::serde_json::Value::Array(::std::vec::Vec::from([#(::serde_json::Value::from(#values)),*])),
                    );
                    schema
                }
            }
        })
    }
}

/// The `T` of every `<T as …>` in an item.
#[derive(Default)]
struct QualifiedSelf(Vec<syn::Type>);

impl VisitMut for QualifiedSelf {
    fn visit_qself_mut(&mut self, qself: &mut syn::QSelf) {
        self.0.push((*qself.ty).clone());
        syn::visit_mut::visit_qself_mut(self, qself);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(code: TokenStream) -> syn::File {
        syn::parse2(code).unwrap()
    }

    fn typify_impl(values: &[&str]) -> TokenStream {
        IntegerEnum {
            self_ty: syn::parse_quote!(UsrStatus),
            name: syn::parse_quote!("UsrStatus"),
            inner: syn::parse_quote!(i32),
            values: values
                .iter()
                .map(|v| syn::LitStr::new(v, proc_macro2::Span::call_site()))
                .collect(),
        }
        .v08()
    }

    #[test]
    fn an_integer_enum_impl_becomes_schemars_1() {
        let typify = typify_impl(&["0", "1", "-99", "85"]);
        let mut f = file(quote!(pub mod types { #typify }));
        schemars_v1(&mut f).unwrap();
        let code = f.to_token_stream().to_string();
        assert!(code.contains("Cow :: Borrowed (\"UsrStatus\")"), "{code}");
        assert!(code.contains(":: schemars :: SchemaGenerator"), "{code}");
        assert!(code.contains("Value :: from (- 99i64)"), "{code}");
        assert!(!code.contains("enum_values"), "{code}");
    }

    #[test]
    fn other_json_schema_impls_are_refused_by_name() {
        let other = quote! {
            impl ::schemars::JsonSchema for Odd {
                fn schema_name() -> ::std::string::String { "Odd".to_string() }
                fn json_schema(gen: &mut ::schemars::gen::SchemaGenerator) -> ::schemars::schema::Schema {
                    <String as ::schemars::JsonSchema>::json_schema(gen)
                }
            }
        };
        let err = schemars_v1(&mut file(other)).unwrap_err().to_string();
        assert!(err.contains("`Odd`") && err.contains("shape"), "{err}");
        // typify's shape, but values that are not integers.
        let strings = typify_impl(&["\"a\""]);
        let err = schemars_v1(&mut file(strings)).unwrap_err().to_string();
        assert!(err.contains("not an integer"), "{err}");
    }

    #[test]
    fn other_items_are_left_alone() {
        let code = quote!(pub struct A; impl Clone for A { fn clone(&self) -> A { A } });
        let mut f = file(code.clone());
        schemars_v1(&mut f).unwrap();
        assert_eq!(
            f.to_token_stream().to_string(),
            file(code).to_token_stream().to_string()
        );
    }
}
