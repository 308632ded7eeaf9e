//! Timestamps: every generated field of type `chrono::DateTime<Utc>` (or an
//! `Option` of one) is read by `crate::timestamp` instead of chrono's own
//! `Deserialize`. Same strings accepted, same values; strict RFC 3339 (what
//! the providers send) takes chrono's fast parser instead of its general
//! format engine.

use super::emit::{first_type_argument, last_segment, option_of};
use syn::visit_mut::VisitMut;

/// Adds the `deserialize_with` attribute to every timestamp field in `file`.
pub fn fast_timestamps(file: &mut syn::File) {
    Fields.visit_file_mut(file);
}

struct Fields;

impl VisitMut for Fields {
    fn visit_field_mut(&mut self, field: &mut syn::Field) {
        let attribute: syn::Attribute = if is_utc(&field.ty) {
            syn::parse_quote!(#[serde(deserialize_with = "crate::timestamp::utc")])
        } else if option_of(&field.ty).is_some_and(is_utc) {
            if has_serde_default(&field.attrs) {
                syn::parse_quote!(#[serde(deserialize_with = "crate::timestamp::option_utc")])
            } else {
                // With `deserialize_with`, serde no longer treats a missing
                // `Option` field as `None` unless told to.
                syn::parse_quote!(#[serde(default, deserialize_with = "crate::timestamp::option_utc")])
            }
        } else {
            return;
        };
        field.attrs.push(attribute);
    }
}

/// `chrono::DateTime<Utc>`, however typify spells the path.
fn is_utc(ty: &syn::Type) -> bool {
    let syn::Type::Path(p) = ty else { return false };
    let Some(segment) = p.path.segments.last() else {
        return false;
    };
    p.path.segments.first().is_some_and(|s| s.ident == "chrono")
        && segment.ident == "DateTime"
        && first_type_argument(segment)
            .and_then(last_segment)
            .is_some_and(|s| s.ident == "Utc")
}

fn has_serde_default(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .any(|a| {
            let mut found = false;
            let _ = a.parse_nested_meta(|meta| {
                if meta.path.is_ident("default") {
                    found = true;
                }
                // Skip any value (`= "..."`) so parsing goes on.
                if meta.input.peek(syn::Token![=]) {
                    let _: syn::Expr = meta.value()?.parse()?;
                }
                Ok(())
            });
            found
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(code: &str) -> String {
        let mut file: syn::File = syn::parse_str(code).unwrap();
        fast_timestamps(&mut file);
        quote::quote!(#file).to_string()
    }

    #[test]
    fn optional_and_required_timestamps_get_the_fast_reader() {
        let out = run("struct U {
            #[serde(skip_serializing_if = \"Option::is_none\")]
            pub a: ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>,
            pub b: ::chrono::DateTime<::chrono::offset::Utc>,
            #[serde(default)]
            pub c: Option<chrono::DateTime<chrono::Utc>>,
            pub d: ::std::option::Option<::std::string::String>,
            pub e: ::chrono::DateTime<::chrono::FixedOffset>,
        }");
        assert_eq!(
            out.matches("\"crate::timestamp::option_utc\"").count(),
            2,
            "{out}"
        );
        assert_eq!(out.matches("\"crate::timestamp::utc\"").count(), 1, "{out}");
        // `default` added once where missing, never twice.
        assert_eq!(out.matches("default").count(), 2, "{out}");
    }
}
