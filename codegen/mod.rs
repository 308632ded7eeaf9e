//! The one code generator: an OpenAPI document in, pretty Rust source out.
//!
//! This file is compiled twice, by `build.rs` (`#[path]` module) and by
//! `xtask` (`#[path]` module), so that the build and the checked-in snapshots
//! can never disagree about how code is generated. It must stay a pure
//! function of its inputs: no environment, no clock, no file system except in
//! [`discover`].

mod checks;
mod emit;
pub mod files;
mod lint;
pub mod meta;
pub mod pattern;
mod schema;
mod time;

pub use files::{SpecFile, banner, discover, module_name};
use std::fmt;

/// What generating one spec produces.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Pretty-printed Rust source, headed by the "do not edit" banner.
    pub code: String,
    /// The spec re-encoded as JSON (read by the embedded mock at run time).
    pub json: String,
}

/// Why a spec could not be turned into code. `Display` is one readable line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodegenError {
    /// The file is not valid YAML, or not an OpenAPI document.
    Parse {
        /// 1-based line, when the parser knows it.
        line: Option<usize>,
        /// 1-based column, when the parser knows it.
        column: Option<usize>,
        /// What the parser said.
        message: String,
    },
    /// The document parsed but uses something we do not support.
    Unsupported(String),
    /// An operation has no `operationId`, so it would have no method name.
    MissingOperationId {
        /// HTTP method, upper case.
        method: String,
        /// Path template.
        path: String,
    },
    /// The file name cannot be a Rust module name.
    BadFileName(String),
    /// progenitor refused the document.
    Generator(String),
}

impl fmt::Display for CodegenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodegenError::Parse {
                line: Some(line),
                column,
                message,
            } => write!(f, "line {line}, column {}: {message}", column.unwrap_or(1)),
            CodegenError::Parse { message, .. } => write!(f, "{message}"),
            CodegenError::Unsupported(m) => write!(f, "unsupported: {m}"),
            CodegenError::MissingOperationId { method, path } => write!(
                f,
                "operation {method} {path} has no operationId (it names the generated method)"
            ),
            CodegenError::BadFileName(m) => write!(f, "bad spec file name: {m}"),
            CodegenError::Generator(m) => write!(f, "progenitor: {m}"),
        }
    }
}

impl std::error::Error for CodegenError {}

/// Reads and generates one spec; the error is one readable line (without
/// the file name, which callers prefix).
pub fn generate_file(spec: &SpecFile) -> Result<Generated, String> {
    let source = std::fs::read_to_string(&spec.path).map_err(|e| format!("cannot read: {e}"))?;
    generate(&spec.rel, &source).map_err(|e| e.to_string())
}

/// Parses a spec's YAML into an OpenAPI document, with line numbers on error.
pub fn parse(source: &str) -> Result<openapiv3::OpenAPI, CodegenError> {
    let value: serde_yaml_ng::Value = serde_yaml_ng::from_str(source).map_err(yaml_error)?;
    let version = value
        .get("openapi")
        .and_then(|v| v.as_str())
        .ok_or_else(|| CodegenError::Parse {
            line: None,
            column: None,
            message: "missing top-level `openapi: 3.0.x` version field".into(),
        })?;
    if !version.starts_with("3.0.") {
        return Err(CodegenError::Unsupported(format!(
            "OpenAPI version {version}; progenitor reads 3.0.x documents only"
        )));
    }
    serde_yaml_ng::from_str(source).map_err(yaml_error)
}

fn yaml_error(e: serde_yaml_ng::Error) -> CodegenError {
    let location = e.location();
    CodegenError::Parse {
        line: location.as_ref().map(|l| l.line()),
        column: location.as_ref().map(|l| l.column()),
        message: strip_location(&e.to_string()),
    }
}

/// serde_yaml embeds " at line L column C" in its messages; we print the
/// location once, up front, so drop it from the text.
fn strip_location(message: &str) -> String {
    let mut out = message.to_string();
    while let Some(start) = out.find(" at line ") {
        let rest = &out[start + " at line ".len()..];
        let digits = |s: &str| s.chars().take_while(char::is_ascii_digit).count();
        let line_len = digits(rest);
        let Some(after) = rest[line_len..].strip_prefix(" column ") else {
            break;
        };
        let end = start + " at line ".len() + line_len + " column ".len() + digits(after);
        if line_len == 0 {
            break;
        }
        out.replace_range(start..end, "");
    }
    out
}

/// Methods the generated raw client (progenitor's) or `Ops` already has.
const RESERVED_OPERATION_IDS: &[&str] = &[
    "new",
    "new_with_client",
    "baseurl",
    "client",
    "api_version",
    "inner",
    "call",
];

/// Checks what progenitor would otherwise accept silently or panic on.
pub fn lint(spec: &openapiv3::OpenAPI) -> Result<(), CodegenError> {
    // Each becomes `ops::<PascalCase>`: `get_user1` and `get_user_1` would
    // be one struct.
    let mut structs: Vec<(String, &str)> = Vec::new();
    for (_, _, op) in spec.operations() {
        let Some(id) = op.operation_id.as_deref() else {
            continue;
        };
        let name = meta::pascal_case(id);
        if let Some((_, other)) = structs.iter().find(|(n, _)| *n == name) {
            return Err(CodegenError::Unsupported(format!(
                "operationIds `{other}` and `{id}` both become `ops::{name}`; rename one"
            )));
        }
        structs.push((name, id));
    }
    for (path, item) in spec.paths.iter() {
        let openapiv3::ReferenceOr::Item(item) = item else {
            return Err(CodegenError::Unsupported(format!(
                "path {path} is a $ref; inline the path item"
            )));
        };
        for (method, op) in item.iter() {
            match op.operation_id.as_deref() {
                Some(id) if !id.trim().is_empty() => {
                    if RESERVED_OPERATION_IDS.contains(&id) {
                        return Err(CodegenError::Unsupported(format!(
                            "operationId `{id}` ({} {path}) is already a method of the generated client or of `Ops`; choose another",
                            method.to_ascii_uppercase()
                        )));
                    }
                    if module_name(id).as_deref() != Ok(id) {
                        return Err(CodegenError::Unsupported(format!(
                            "operationId `{id}` ({} {path}) must be snake_case: it is the Rust method name",
                            method.to_ascii_uppercase()
                        )));
                    }
                }
                _ => {
                    return Err(CodegenError::MissingOperationId {
                        method: method.to_ascii_uppercase(),
                        path: path.clone(),
                    });
                }
            }
        }
    }
    Ok(())
}

/// Generates the client and models for one spec.
///
/// `spec_rel_path` only feeds the banner (e.g. `openapi/hpay.yaml`).
pub fn generate(spec_rel_path: &str, source: &str) -> Result<Generated, CodegenError> {
    let spec = parse(source)?;
    let value = serde_yaml_ng::from_str::<serde_json::Value>(source).map_err(yaml_error)?;
    // `application/json; charset=utf-8` is read as `application/json` by
    // everything after this, the mock included.
    let (spec, value) = match lint::plain_json_media(&value)? {
        Some(plain) => (
            serde_json::from_value(plain.clone())
                .map_err(|e| CodegenError::Unsupported(format!("cannot re-read the spec: {e}")))?,
            plain,
        ),
        None => (spec, value),
    };
    lint::check(&value)?;
    lint(&spec)?;
    let meta = meta::read(&value)?;
    // typify makes a `format: uuid` string a `uuid::Uuid`, a crate payusers
    // does not depend on: the generators see such strings without the
    // format (the mock, reading `value`, still checks it).
    let spec = match lint::without_uuid_format(&value) {
        Some(plain) => serde_json::from_value(plain)
            .map_err(|e| CodegenError::Unsupported(format!("cannot re-read the spec: {e}")))?,
        None => spec,
    };

    let mut settings = progenitor::GenerationSettings::default();
    settings
        // Positional: `client.update_user(id, &body)` — the facade adds the
        // builder ergonomics, so the raw layer stays small and direct.
        .with_interface(progenitor::InterfaceStyle::Positional)
        .with_tag(progenitor::TagStyle::Merged)
        // Credentials and per-call bookkeeping live in the hand-written
        // `crate::transport`; the glue below hooks them in.
        .with_inner_type(quote::quote!(crate::transport::Auth))
        .with_hooks(progenitor::HooksMode::Expected)
        .with_derive("schemars::JsonSchema")
        .with_derive("PartialEq")
        .with_map_type("::std::collections::BTreeMap")
        // `format: password` strings become a redacting secret type, so a
        // generated model's `Debug` can never print one.
        .with_conversion(
            schemars::schema::SchemaObject {
                instance_type: Some(schemars::schema::InstanceType::String.into()),
                format: Some("password".into()),
                ..Default::default()
            },
            "crate::secret::Password",
            [progenitor::TypeImpl::Display].into_iter(),
        );
    let mut generator = progenitor::Generator::new(&settings);

    // progenitor and typify panic on some inputs they do not support; turn
    // that into an error that names the spec rather than a backtrace.
    let tokens = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        generator.generate_tokens(&spec)
    }))
    .map_err(|panic| {
        let what = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "generator panicked".into());
        CodegenError::Unsupported(what)
    })?
    .map_err(|e| CodegenError::Generator(e.to_string()))?;

    let glue = quote::quote! {
        /// Connects the generated client to the hand-written transport:
        /// credentials go on in `pre`; `exec` sends, records what errors
        /// need and reads the body under the call's deadline and size cap.
        impl progenitor_client::ClientHooks<crate::transport::Auth> for Client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                info: &progenitor_client::OperationInfo,
            ) -> ::std::result::Result<(), progenitor_client::Error<E>> {
                crate::transport::before_send(progenitor_client::ClientInfo::inner(self), request, info);
                Ok(())
            }

            async fn exec(
                &self,
                request: reqwest::Request,
                info: &progenitor_client::OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                crate::transport::execute(progenitor_client::ClientInfo::client(self), request, info).await
            }
        }
    };

    let mut file: syn::File = syn::parse2(quote::quote!(#tokens #glue))
        .map_err(|e| CodegenError::Generator(format!("generated code does not parse: {e}")))?;
    let facade = emit::facade(&mut file, &meta, &value)?;
    emit::patterns(&mut file);
    schema::schemars_v1(&mut file)?;
    time::fast_timestamps(&mut file);
    file.items.extend(
        syn::parse2::<syn::File>(facade)
            .map_err(|e| CodegenError::Generator(format!("facade code does not parse: {e}")))?
            .items,
    );
    syn::visit_mut::VisitMut::visit_file_mut(&mut RawKeywords, &mut file);
    let code = format!(
        "{}{}",
        banner(spec_rel_path, source),
        prettyplease::unparse(&file)
    );
    let json = serde_json::to_string_pretty(&value)
        .map_err(|e| CodegenError::Unsupported(format!("cannot re-encode as JSON: {e}")))?;
    Ok(Generated { code, json })
}

/// Makes typify's output valid in edition 2024: it names a parameter `gen`,
/// which became a reserved keyword; we print it as the raw identifier `r#gen`.
struct RawKeywords;

impl syn::visit_mut::VisitMut for RawKeywords {
    fn visit_ident_mut(&mut self, ident: &mut proc_macro2::Ident) {
        if ident == "gen" {
            *ident = proc_macro2::Ident::new_raw("gen", ident.span());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HPAY: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/hpay.yaml"));

    const MINIMAL: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
servers: [{url: "https://t.example"}]
paths:
  /things/{id}:
    get:
      operationId: get_thing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}}}
"#;

    #[test]
    fn both_shipped_specs_generate_update_user() {
        let code = generate("openapi/hpay.yaml", HPAY).unwrap().code;
        assert!(code.starts_with("// generated from openapi/hpay.yaml — do not edit."));
        assert!(code.contains("pub async fn update_user"));
        assert!(code.contains("pub struct UpdateUserRequest"));
    }

    #[test]
    fn adding_an_operation_adds_a_method() {
        let before = generate("t.yaml", MINIMAL).unwrap().code;
        assert!(!before.contains("pub async fn delete_thing"));
        let extended = MINIMAL.replace(
            "    get:\n",
            "    delete:\n      operationId: delete_thing\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        \"204\": {description: gone}\n    get:\n",
        );
        let after = generate("t.yaml", &extended).unwrap().code;
        assert!(after.contains("pub async fn delete_thing"), "{after}");
        assert!(after.contains("pub async fn get_thing"));
    }

    #[test]
    fn a_header_map_is_kept_only_where_a_header_parameter_fills_it() {
        let plain = generate("t.yaml", MINIMAL).unwrap().code;
        assert!(!plain.contains("header_map"), "{plain}");
        assert!(!plain.contains("api-version"), "{plain}");
        let with_header = MINIMAL.replace(
            "        - {name: id, in: path, required: true, schema: {type: string}}\n",
            "        - {name: id, in: path, required: true, schema: {type: string}}\n        \
             - {name: x-trace, in: header, required: true, schema: {type: string}}\n",
        );
        let code = generate("t.yaml", &with_header).unwrap().code;
        assert!(code.contains("header_map.append(\"x-trace\""), "{code}");
        assert!(code.contains(".headers(header_map)"), "{code}");
        assert!(!code.contains("api-version"), "{code}");
    }

    #[test]
    fn string_and_integer_path_parameters_go_in_without_a_copy() {
        // Macro arguments are printed as tokens: compare without spaces.
        let squeezed = |code: &str| code.replace(char::is_whitespace, "");
        let code = generate("t.yaml", MINIMAL).unwrap().code;
        assert!(squeezed(&code).contains(r#"("id",id)"#), "{code}");
        assert!(!squeezed(&code).contains("id.to_string()"), "{code}");
        // An integer is always one segment: formatted straight in.
        let integer = MINIMAL.replace(
            "in: path, required: true, schema: {type: string}",
            "in: path, required: true, schema: {type: integer, format: int64}",
        );
        let code = generate("t.yaml", &integer).unwrap().code;
        assert!(squeezed(&code).contains(r#""/things/{}",id,"#), "{code}");
        assert!(!squeezed(&code).contains("id.to_string()"), "{code}");
        // Any other type is formatted, then checked.
        let number = MINIMAL.replace(
            "in: path, required: true, schema: {type: string}",
            "in: path, required: true, schema: {type: number}",
        );
        let code = generate("t.yaml", &number).unwrap().code;
        assert!(
            squeezed(&code).contains(r#"("id",&id.to_string())"#),
            "{code}"
        );
    }

    #[test]
    fn json_answers_decode_with_their_headers_moved_not_cloned() {
        let code = generate("t.yaml", MINIMAL).unwrap().code;
        assert!(!code.contains("from_response"), "{code}");
        assert!(
            code.contains("crate::transport::response_value(response).await"),
            "{code}"
        );
    }

    #[test]
    fn statuses_that_decode_alike_share_one_arm() {
        // Three error statuses: one arm for the three, the success and
        // `_` as they were.
        let problem = "{description: x, content: {application/json: {schema: {type: object, \
                       properties: {detail: {type: string}}}}}}";
        let mut spec = MINIMAL.to_string();
        for status in ["400", "404", "500"] {
            spec.push_str(&format!("        \"{status}\": {problem}\n"));
        }
        let code = generate("t.yaml", &spec).unwrap().code;
        let flat: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("200u16 => crate::transport::response_value"),
            "{code}"
        );
        assert!(flat.contains("400u16 | 404u16 | 500u16 => {"), "{code}");
        assert_eq!(
            flat.matches("response_value(response).await?").count(),
            1,
            "{code}"
        );
        let rest = &flat[flat.find("500u16 => {").unwrap()..];
        assert!(
            rest.contains("_ => Err(Error::UnexpectedResponse(response))"),
            "{code}"
        );
    }

    #[test]
    fn hooks_are_called_directly_not_awaited() {
        let code = generate("t.yaml", MINIMAL).unwrap().code;
        let flat: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
        for call in ["self.pre(", "self.post(", "self.exec("] {
            assert!(!flat.contains(call), "{call} left in:\n{code}");
        }
        // The request is built, and made ready, inside the send's argument:
        // its slot is gone before the send is awaited.
        let send = flat
            .find("let result = crate::transport::execute( &self.client, {")
            .unwrap_or_else(|| panic!("{code}"));
        let rest = &flat[send..];
        let built = rest
            .find("let mut request = self")
            .unwrap_or_else(|| panic!("{code}"));
        let ready = rest
            .find("crate::transport::before_send(&self.inner, &mut request, &info); request }, &info, ) .await;")
            .unwrap_or_else(|| panic!("{code}"));
        assert!(built < ready, "{code}");
        assert_eq!(flat.matches("let mut request").count(), 1, "{code}");
        // The hooks impl progenitor requires is still there, the same
        // functions behind it.
        assert!(flat.contains("async fn pre<E>("), "{code}");
    }

    #[test]
    fn only_literal_arms_without_guards_and_alike_merge() {
        let mut m: syn::ExprMatch = syn::parse_quote! {
            match s {
                1u16 => a(),
                2u16 => b(),
                3u16 => a(),
                4u16 | 5u16 => b(),
                n if n > 9 => a(),
                6u16 if x => a(),
                7u16 => a(),
                _ => a(),
            }
        };
        syn::visit_mut::VisitMut::visit_expr_match_mut(&mut emit::SharedArms, &mut m);
        let expected: syn::ExprMatch = syn::parse_quote! {
            match s {
                1u16 | 3u16 | 7u16 => a(),
                2u16 => b(),
                4u16 | 5u16 => b(),
                n if n > 9 => a(),
                6u16 if x => a(),
                _ => a(),
            }
        };
        assert_eq!(
            quote::quote!(#m).to_string(),
            quote::quote!(#expected).to_string()
        );
    }

    #[test]
    fn integer_enums_get_schemars_1_impls() {
        // typify's own output for integer enums of both widths, through the
        // whole generator: rewritten, none of schemars 0.8's API left.
        let spec = MINIMAL.replace(
            "properties: {id: {type: string}}",
            "properties: {id: {type: string}, \
             level: {type: integer, format: int64, enum: [-5, 0, 7]}, \
             code: {type: integer, format: int32, enum: [1, 2]}}",
        );
        let code = generate("t.yaml", &spec).unwrap().code;
        assert_eq!(
            code.matches("impl ::schemars::JsonSchema for").count(),
            2,
            "{code}"
        );
        assert_eq!(code.matches("-> ::schemars::Schema").count(), 2, "{code}");
        assert!(code.contains("::serde_json::Value::from(-5i64)"), "{code}");
        assert!(code.contains("::serde_json::Value::from(2i64)"), "{code}");
        for old in ["enum_values", "schemars::schema::", "into_object"] {
            assert!(!code.contains(old), "{old} left in:\n{code}");
        }
    }

    #[test]
    fn patterns_become_programs_unless_unsupported() {
        let spec = MINIMAL.replace(
            "properties: {id: {type: string}}",
            r"properties: {id: {type: string, pattern: '^\+[0-9]{7,15}$'}, tag: {type: string, pattern: '\bx'}}",
        );
        let code = generate("t.yaml", &spec).unwrap().code;
        // The supported pattern: a static program, typify's error kept.
        assert_eq!(
            code.matches("static PATTERN: crate::pattern::Program")
                .count(),
            1,
            "{code}"
        );
        assert_eq!(
            code.matches("!crate::pattern::is_match(&PATTERN, value)")
                .count(),
            1
        );
        assert!(
            code.contains(r#"doesn't match pattern \"^\\+[0-9]{7,15}$\""#),
            "{code}"
        );
        assert!(!code.contains(r#"Regex::new("^\\+"#));
        // `\b` is outside the subset: typify's regress check stays as it was.
        assert_eq!(code.matches("::regress::Regex::new(").count(), 1);
        assert!(code.contains(r#"::regress::Regex::new("\\bx")"#), "{code}");
        assert!(code.contains("if PATTERN.find(value).is_none()"));
        assert!(code.contains(r#"doesn't match pattern \"\\bx\""#));
        let program = pattern::compile(r"^\+[0-9]{7,15}$").unwrap();
        assert!(program.anchored && program.insts.len() == 27, "{program:?}");
    }

    #[test]
    fn a_yaml_error_names_line_and_column() {
        let broken = MINIMAL.replace(
            "      operationId: get_thing",
            "      operationId: get_thing\n     oops: [",
        );
        let err = generate("t.yaml", &broken).unwrap_err();
        let CodegenError::Parse {
            line: Some(line), ..
        } = &err
        else {
            panic!("expected a parse error with a line, got {err:?}");
        };
        assert!(*line >= 8, "line {line}");
        assert!(
            err.to_string().starts_with(&format!("line {line}, column")),
            "{err}"
        );
    }

    #[test]
    fn a_missing_operation_id_is_named() {
        let err = generate(
            "t.yaml",
            &MINIMAL.replace("      operationId: get_thing\n", ""),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "operation GET /things/{id} has no operationId (it names the generated method)"
        );
    }

    /// The error generating `MINIMAL` with `from` replaced by `to`.
    fn refused(from: &str, to: &str) -> String {
        assert!(MINIMAL.contains(from), "{from}");
        generate("t.yaml", &MINIMAL.replace(from, to))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn what_the_parser_would_drop_is_refused_by_name() {
        let err = refused("  /things/{id}:", "  things/{id}:");
        assert!(
            err.contains("path `things/{id}` must start with `/`"),
            "{err}"
        );
        let err = refused("    get:", "    GET:");
        assert!(
            err.contains("path /things/{id}: `GET` is not a path item field"),
            "{err}"
        );
        let err = refused("      parameters:", "      parameter:");
        assert!(
            err.contains("GET /things/{id}: `parameter` is not an operation field"),
            "{err}"
        );
        let err = refused(
            "{name: id, in: path, required: true, schema: {type: string}}",
            "{name: id, in: path, required: true, schema: {type: string}, descripton: x}",
        );
        assert!(
            err.contains("parameter `id`: `descripton` is not a parameter field"),
            "{err}"
        );
        let err = refused(
            "      operationId: get_thing\n",
            "      operationId: get_thing\n      x-payusers-idempotnt: true\n",
        );
        assert!(
            err.contains("`x-payusers-idempotnt` is not an extension payusers reads here"),
            "{err}"
        );
        let err = refused(
            r#"servers: [{url: "https://t.example"}]"#,
            r#"servers: [{url: "https://t.example", x-payusers-enviroment: live}]"#,
        );
        assert!(err.contains("servers[0]: `x-payusers-enviroment`"), "{err}");
    }

    #[test]
    fn an_echo_ties_a_path_parameter_to_a_property_of_the_answer() {
        let with = |echo: &str| {
            MINIMAL.replace(
                "      operationId: get_thing\n",
                &format!("      operationId: get_thing\n      x-payusers-echo: {echo}\n"),
            )
        };
        let code = generate("t.yaml", &with("{param: id, field: id}"))
            .unwrap()
            .code;
        assert!(
            code.contains(r#"crate::core::astray("id", &self.id, "id", &output.id)"#),
            "{code}"
        );
        assert!(code.contains(r#"echo: ::std::option::Option::Some(("id", "id"))"#));
        for (echo, shown) in [
            (
                "{param: nope, field: id}",
                "get_thing: x-payusers-echo.param: `nope` is not a path parameter of get_thing",
            ),
            (
                "{param: id, field: nope}",
                "get_thing: x-payusers-echo.field: the success answer has no property `nope`",
            ),
            ("{param: id}", "get_thing: x-payusers-echo needs `field`"),
            ("{param: id, field: id, also: x}", "unknown key `also`"),
            ("true", "x-payusers-echo must be a mapping"),
        ] {
            let err = generate("t.yaml", &with(echo)).unwrap_err().to_string();
            assert!(err.contains(shown), "{echo}: {err}");
        }
        // A property that is not text or an integer cannot name a user.
        let spec = with("{param: id, field: id}").replace(
            "properties: {id: {type: string}}",
            "properties: {id: {type: array, items: {type: string}}}",
        );
        let err = generate("t.yaml", &spec).unwrap_err().to_string();
        assert!(err.contains("`id` is not text or an integer"), "{err}");
    }

    #[test]
    fn valid_documents_the_lint_must_accept() {
        // An extension in the Paths object.
        let spec = MINIMAL.replace("paths:\n", "paths:\n  x-internal: true\n");
        generate("t.yaml", &spec).unwrap();
        // A parameter by a `$ref` to a `$ref`.
        let spec = MINIMAL.replace(
            "        - {name: id, in: path, required: true, schema: {type: string}}\n",
            "        - $ref: \"#/components/parameters/Id\"\n",
        ) + "components:\n  parameters:\n    Id: {$ref: \"#/components/parameters/RealId\"}\n    \
               RealId: {name: id, in: path, required: true, schema: {type: string}}\n";
        generate("t.yaml", &spec).unwrap();
        // A password with a default, and an example that merely looks like
        // a richer password schema (data, not a schema).
        let spec = MINIMAL.replace(
            "properties: {id: {type: string}}",
            "properties: {id: {type: string}, pwd: {type: string, format: password, default: x}}, \
             example: {id: a, pwd: {format: password, name: x}}",
        );
        generate("t.yaml", &spec).unwrap();
    }

    #[test]
    fn json_with_a_charset_is_json() {
        // A body and an answer written `application/json; charset=utf-8`
        // (any case) generate the same client as plain `application/json`,
        // and the mock's copy of the spec reads them under the plain key.
        let plain = MINIMAL.replace(
            "      operationId: get_thing\n",
            "      operationId: get_thing\n      requestBody:\n        content:\n          \
             application/json: {schema: {type: object, properties: {n: {type: integer}}}}\n",
        );
        let with_charset = plain
            .replace(
                "          application/json: {schema: {type: object, properties: {n:",
                "          Application/JSON; charset=utf-8: {schema: {type: object, properties: {n:",
            )
            .replace(
                "            application/json:\n",
                "            application/json;charset=UTF-8:\n",
            );
        assert_ne!(plain, with_charset);
        let (a, b) = (
            generate("t.yaml", &plain).unwrap(),
            generate("t.yaml", &with_charset).unwrap(),
        );
        // The same code but for the banner's digest of the source.
        let body = |code: &str| code.lines().skip(3).collect::<Vec<_>>().join("\n");
        assert!(a.code.lines().nth(2).unwrap().contains("spec digest"));
        assert_eq!(body(&a.code), body(&b.code));
        assert_eq!(a.json, b.json);
        assert!(b.json.contains("\"application/json\""), "{}", b.json);
        assert!(!b.json.contains("charset"), "{}", b.json);
        // Two JSON media types in one place: nothing says which is meant.
        let err = generate(
            "t.yaml",
            &with_charset.replace(
                "            application/json;charset=UTF-8:\n",
                "            application/json: {schema: {type: string}}\n            \
                 application/json;charset=UTF-8:\n",
            ),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("GET /things/{id} response 200: `application/json`, `application/json;charset=UTF-8` are all JSON; keep one"),
            "{err}"
        );
    }

    #[test]
    fn a_path_parameter_by_ref_is_declared() {
        let spec = MINIMAL.replace(
            "        - {name: id, in: path, required: true, schema: {type: string}}\n",
            "        - $ref: \"#/components/parameters/Id\"\n",
        ) + "components:\n  parameters:\n    Id: {name: id, in: path, required: true, schema: {type: string}}\n";
        let code = generate("t.yaml", &spec).unwrap().code;
        assert!(code.contains("pub async fn get_thing"), "{code}");
    }

    #[test]
    fn what_the_generators_would_panic_on_is_refused_by_name() {
        let err = refused(
            "{name: id, in: path, required: true, schema: {type: string}}",
            "{name: id, in: path, schema: {type: string}}",
        );
        assert!(
            err.contains(
                "GET /things/{id}, parameter `id`: a path parameter needs `required: true`"
            ),
            "{err}"
        );
        let err = refused("  /things/{id}:", "  /things/{id}/{part}:");
        assert!(
            err.contains("the path names `{part}`, which no `in: path` parameter declares"),
            "{err}"
        );
        let body = |content: &str| {
            format!("      operationId: get_thing\n      requestBody:\n        content:\n{content}")
        };
        let err = refused(
            "      operationId: get_thing\n",
            &body("          application/octet-stream: {schema: {type: string, format: binary}}\n"),
        );
        assert!(
            err.contains(
                "exactly one media type, `application/json` (it has `application/octet-stream`)"
            ),
            "{err}"
        );
        let err = refused(
            "      operationId: get_thing\n",
            &body("          application/json: {}\n"),
        );
        assert!(err.contains("request body needs a `schema`"), "{err}");
        let err = refused("operationId: get_thing", "operationId: getThing");
        assert!(err.contains("operationId `getThing`"), "{err}");
        let err = refused(
            "{name: id, in: path, required: true, schema: {type: string}}\n",
            "{name: id, in: path, required: true, schema: {type: string}}\n        \
             - {name: X Trace, in: header, schema: {type: string}}\n",
        );
        assert!(
            err.contains("parameter `X Trace`: a header parameter's name must be a header name"),
            "{err}"
        );
        let err = refused(
            "    get:\n      operationId: get_thing\n",
            "    put:\n      operationId: get_thing_1\n      responses: {\"204\": {description: ok}}\n      \
             parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n    \
             get:\n      operationId: get_thing1\n",
        );
        assert!(
            err.contains(
                "operationIds `get_thing_1` and `get_thing1` both become `ops::GetThing1`"
            ) || err.contains(
                "operationIds `get_thing1` and `get_thing_1` both become `ops::GetThing1`"
            ),
            "{err}"
        );
        let err = refused("operationId: get_thing", "operationId: client");
        assert!(
            err.contains("operationId `client` (GET /things/{id}) is already a method"),
            "{err}"
        );
    }

    #[test]
    fn what_would_panic_the_generators_or_lose_an_answer_is_refused_by_name() {
        let answer = "              schema: {type: object, properties: {id: {type: string}}}\n";
        let also = |status: &str, schema: &str| {
            format!(
                "{answer}        \"{status}\":\n          description: also\n          content:\n            \
                 application/json:\n              schema: {schema}\n"
            )
        };
        // Two successes (or two errors) with different schemas: one type
        // would hold one of them.
        let err = refused(
            answer,
            &also("202", "{type: object, properties: {job: {type: string}}}"),
        );
        assert!(
            err.contains("GET /things/{id}: responses 200 and 202 have different schemas"),
            "{err}"
        );
        let err = refused(
            answer,
            &(also("400", "{type: object, properties: {msg: {type: string}}}")
                + "        \"500\":\n          description: e\n          content:\n            \
                   application/json:\n              schema: {type: object, properties: {code: {type: string}}}\n"),
        );
        assert!(
            err.contains("responses 400 and 500 have different schemas"),
            "{err}"
        );
        assert!(err.contains("all its errors"), "{err}");
        // The same schema twice is fine.
        let same = MINIMAL.replace(
            answer,
            &also("203", "{type: object, properties: {id: {type: string}}}"),
        );
        assert!(generate("t.yaml", &same).is_ok());
        // `default`, and answers that are not JSON.
        let err = refused("        \"200\":", "        default:");
        assert!(
            err.contains("a `default` response is not supported"),
            "{err}"
        );
        let err = refused(
            "            application/json:\n",
            "            text/plain:\n",
        );
        assert!(
            err.contains(
                "response 200 must have one media type, `application/json` (it has `text/plain`)"
            ),
            "{err}"
        );
        // A parameter whose Rust name is the body's argument.
        let err = refused(
            "    get:\n      operationId: get_thing\n      parameters:\n",
            "    post:\n      operationId: get_thing\n      requestBody:\n        content:\n          \
             application/json: {schema: {type: object}}\n      parameters:\n        \
             - {name: Body, in: query, schema: {type: string}}\n",
        );
        assert!(
            err.contains("parameter `Body`: its Rust name `body`"),
            "{err}"
        );
        // Two properties that become one field.
        let err = refused(
            "properties: {id: {type: string}}",
            "properties: {firstName: {type: string}, first_name: {type: string}}",
        );
        assert!(
            err.contains(
                "properties `firstName` and `first_name` both become the Rust field `first_name`"
            ),
            "{err}"
        );
    }

    #[test]
    fn an_envelope_typify_would_rename_is_refused() {
        let with = |name: &str| {
            format!(
                "{MINIMAL}x-payusers:\n  envelope: {{schema: {name}, success: ok, message: text}}\n\
                 components:\n  schemas:\n    {name}:\n      type: object\n      \
                 properties: {{ok: {{type: boolean}}, text: {{type: string}}}}\n"
            )
        };
        if let Err(e) = generate("t.yaml", &with("ApiResponse")) {
            panic!("{e}");
        }
        let err = generate("t.yaml", &with("APIResponse"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("envelope.schema `APIResponse` is generated under another name"),
            "{err}"
        );
    }

    #[test]
    fn a_password_schema_richer_than_plain_is_refused() {
        let with = |pwd: &str| {
            MINIMAL.replace(
                "properties: {id: {type: string}}",
                &format!("properties: {{id: {{type: string}}, pwd: {pwd}}}"),
            )
        };
        let ok = generate(
            "t.yaml",
            &with("{type: string, format: password, nullable: true}"),
        );
        assert!(ok.unwrap().code.contains("crate::secret::Password"));
        let err = generate(
            "t.yaml",
            &with("{type: string, format: password, minLength: 8}"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("a `format: password` schema may carry only"),
            "{err}"
        );
        assert!(
            err.contains("`minLength` would make it a plain `String`"),
            "{err}"
        );
    }

    #[test]
    fn a_parameter_named_api_version_is_kept() {
        for place in ["query", "header"] {
            let spec = MINIMAL.replace(
                "        - {name: id, in: path, required: true, schema: {type: string}}\n",
                &format!(
                    "        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n        \
                     - {{name: api-version, in: {place}, required: true, schema: {{type: string}}}}\n"
                ),
            );
            let code = generate("t.yaml", &spec).unwrap().code;
            assert!(code.contains("\"api-version\""), "{place}: {code}");
            assert!(
                !code.contains("from_static(\"api-version\")"),
                "{place}: {code}"
            );
        }
    }

    #[test]
    fn a_uuid_string_is_a_string() {
        let spec = MINIMAL.replace(
            "properties: {id: {type: string}}",
            "properties: {id: {type: string, format: uuid}}",
        );
        let generated = generate("t.yaml", &spec).unwrap();
        assert!(!generated.code.contains("uuid::"), "{}", generated.code);
        // The mock still reads the format.
        assert!(generated.json.contains("\"uuid\""));
    }

    /// MINIMAL plus a POST whose body has `props` and a query parameter
    /// `n` with `param`.
    fn with_body(props: &str, param: &str) -> String {
        MINIMAL.replace(
            "    get:\n",
            &format!(
                "    post:\n      operationId: put_thing\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n        - {{name: n, in: query, schema: {param}}}\n      requestBody:\n        content:\n          application/json:\n            schema: {{type: object, properties: {props}}}\n      responses:\n        \"204\": {{description: done}}\n    get:\n"
            ),
        )
    }

    #[test]
    fn rules_a_type_cannot_hold_become_checks() {
        let code = generate(
            "t.yaml",
            &with_body(
                "{mail: {type: string, format: email}, tags: {type: array, maxItems: 2, items: {type: string}}}",
                "{type: integer, minimum: 1, maximum: 100, exclusiveMaximum: true}",
            ),
        )
        .unwrap()
        .code;
        assert!(code.contains("fn check(&self)"), "{code}");
        assert!(code.contains("crate::core::check::email(v)"), "{code}");
        assert!(code.contains("crate::core::check::items("), "{code}");
        assert!(code.contains("exclusive_maximum: true"), "{code}");
        assert!(code.contains("Invalid::new(\"n\", rule)"), "{code}");
        // Nothing to check: no `check`, the trait's default stands.
        let plain = generate(
            "t.yaml",
            &with_body("{mail: {type: string}}", "{type: integer}"),
        )
        .unwrap()
        .code;
        assert!(!plain.contains("fn check(&self)"), "{plain}");
    }

    #[test]
    fn one_type_for_two_schemas_with_different_rules_is_refused() {
        let err = generate(
            "t.yaml",
            &with_body(
                "{p: {title: Shared, type: object, properties: {n: {type: integer, minimum: 1}}}, \
                  q: {title: Shared, type: object, properties: {n: {type: integer, maximum: 5}}}}",
                "{type: integer}",
            ),
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("one type `Shared` for two schemas"),
            "{err}"
        );
    }

    #[test]
    fn a_step_of_zero_or_less_is_refused() {
        for step in ["0", "-2"] {
            let err = generate(
                "t.yaml",
                &with_body(
                    &format!("{{n: {{type: integer, multipleOf: {step}}}}}"),
                    "{type: integer}",
                ),
            )
            .unwrap_err();
            assert!(
                err.to_string()
                    .contains("`multipleOf` must be a number greater than 0"),
                "{err}"
            );
        }
        // A fractional step is left to the server; `2.0` is the integer 2.
        let code = generate(
            "t.yaml",
            &with_body("{n: {type: number, multipleOf: 0.5}}", "{type: integer}"),
        )
        .unwrap()
        .code;
        assert!(
            !code.contains("multiple_of: ::std::option::Option::Some"),
            "{code}"
        );
        let code = generate(
            "t.yaml",
            &with_body("{n: {type: integer, multipleOf: 2.0}}", "{type: integer}"),
        )
        .unwrap()
        .code;
        assert!(
            code.contains("multiple_of: ::std::option::Option::Some(2i128)"),
            "{code}"
        );
    }

    #[test]
    fn a_schema_named_like_a_std_type_is_told_from_it() {
        // `any` is a `::serde_json::Value`; the component `Value` is ours.
        let spec = format!(
            "{}components:\n  schemas:\n    Value: {{type: object, properties: {{n: {{type: integer, minimum: 2}}}}}}\n",
            with_body(
                "{any: {description: anything}, z: {$ref: '#/components/schemas/Value'}}",
                "{type: integer}",
            )
        );
        let code = generate("t.yaml", &spec).unwrap().code;
        assert!(
            code.contains("impl crate::core::Check for types::Value"),
            "{code}"
        );
        assert!(!code.contains("Invalid::new(\"any\""), "{code}");
        assert!(code.contains("Invalid::new(\"z\""), "{code}");
    }

    #[test]
    fn parameters_that_become_one_name_are_refused() {
        let spec = with_body("{n: {type: integer}}", "{type: integer, maximum: 5}").replace(
            "        - {name: n, in: query",
            "        - {name: N, in: query, schema: {type: integer, maximum: 9}}\n        - {name: n, in: query",
        );
        let err = generate("t.yaml", &spec).unwrap_err();
        assert!(
            err.to_string().contains("cannot be told from another"),
            "{err}"
        );
    }

    #[test]
    fn a_rule_for_another_kind_of_value_never_applies() {
        // JSON Schema: `format` constrains strings only, `minimum` numbers
        // only; on another kind of value they cannot fail.
        let code = generate(
            "t.yaml",
            &with_body(
                "{mail: {type: integer, format: email}}",
                "{type: string, minimum: 2}",
            ),
        )
        .unwrap()
        .code;
        assert!(!code.contains("fn check(&self)"), "{code}");
    }

    #[test]
    fn openapi_3_1_is_refused_clearly() {
        let err = generate("t.yaml", &MINIMAL.replace("3.0.3", "3.1.0")).unwrap_err();
        assert!(
            err.to_string().contains("3.1.0") && err.to_string().contains("3.0.x"),
            "{err}"
        );
    }

    #[test]
    fn not_an_openapi_document() {
        let err = generate("t.yaml", "just: a map\n").unwrap_err();
        assert!(err.to_string().contains("openapi"), "{err}");
    }

    #[test]
    fn locations_are_not_repeated_in_the_message() {
        assert_eq!(
            strip_location(
                "did not find expected key at line 151 column 6, while parsing a block mapping"
            ),
            "did not find expected key, while parsing a block mapping"
        );
        assert_eq!(strip_location("bad at line 3 column 1"), "bad");
        assert_eq!(strip_location("nothing to strip"), "nothing to strip");
    }

    #[test]
    fn module_names() {
        assert_eq!(module_name("hpay").unwrap(), "hpay");
        assert_eq!(module_name("my-api").unwrap(), "my_api");
        assert!(module_name("1api").is_err());
        assert!(module_name("fn").is_err());
    }

    #[test]
    fn the_digest_changes_with_any_edit() {
        assert_ne!(files::fnv1a64(b"a: 1\n"), files::fnv1a64(b"a: 1\n "));
    }
}
