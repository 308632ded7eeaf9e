//! What we add to progenitor's output: safe defaults in the raw client and
//! the facade entry points of every operation.
//!
//! * `encode_path(..)` becomes `crate::transport::path_segment::<E>(name, ..)?`:
//!   every path parameter of every operation stays exactly one segment
//!   (a `&str` parameter goes in as it is, not copied by `.to_string()`;
//!   an integer, always one segment, is formatted straight into the URL).
//! * progenitor's undocumented `api-version` header is never added, and the
//!   per-request header map it went into is dropped when nothing else does
//!   (two allocations a request for nothing).
//! * The URL `format!("{}/path", self.baseurl, ..)` becomes
//!   `self.inner.url(&self.baseurl, format_args!("/path", ..))?`: the base URL
//!   is parsed once per client instead of once per request.
//! * `ResponseValue::from_response(r)` becomes `crate::transport::response_value(r)`:
//!   the same decoding, with the response's headers moved instead of cloned.
//! * The hooks are called directly (`transport::before_send`, `transport::execute`;
//!   progenitor's no-op `post` dropped) instead of through `.await`s on them.
//! * Arms of a status `match` with the same body (the error statuses that
//!   all decode one error type) become one arm with an or-pattern.
//! * `Client::new` builds its HTTP client with `crate::transport::default_http_client()`
//!   (no redirects, a connect timeout) instead of reqwest's defaults.
//! * typify's `pattern` checks (a `static PATTERN: LazyLock<regress::Regex>`
//!   and `if PATTERN.find(value).is_none()`) become a program compiled here
//!   (`super::pattern`) and `if !crate::pattern::is_match(&PATTERN, value)`,
//!   with the same error; a pattern outside the supported subset keeps
//!   typify's code (which needs the `regress` crate).
//! * Per spec: `INFO` (a `crate::core::SpecInfo`), the `ApiSpec` marker, the
//!   `Api` client alias, an `Environment` enum, credential setters on the
//!   builder, and per operation an `ops::<Op>` value implementing
//!   `crate::core::Operation` plus an entry point on `crate::core::Ops`.

use super::CodegenError;
use super::checks::Checks;
use super::meta::{self, Meta};
use super::pattern;
use proc_macro2::{Group, Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote};
use syn::visit_mut::VisitMut;

/// One generated raw method, as the facade needs to see it.
struct RawOp {
    name: Ident,
    args: Vec<(Ident, syn::Type)>,
    ok: syn::Type,
    err: syn::Type,
    docs: Vec<syn::Attribute>,
}

/// Rewrites progenitor's output in place and returns the facade tokens.
pub fn facade(
    file: &mut syn::File,
    meta: &Meta,
    spec: &serde_json::Value,
) -> Result<TokenStream, CodegenError> {
    // typify renames schemas to UpperCamelCase (`APIResponse` becomes
    // `ApiResponse`): an envelope no generated type is named after would
    // never be checked.
    if let Some(env) = &meta.envelope {
        fn has_struct(items: &[syn::Item], name: &str) -> bool {
            items.iter().any(|item| match item {
                syn::Item::Struct(s) => s.ident == name,
                syn::Item::Mod(m) => m
                    .content
                    .as_ref()
                    .is_some_and(|(_, items)| has_struct(items, name)),
                _ => false,
            })
        }
        let generated = has_struct(&file.items, &env.schema);
        if !generated {
            return Err(CodegenError::Unsupported(format!(
                "x-payusers.envelope.schema `{}` is generated under another name; name the schema in UpperCamelCase",
                env.schema
            )));
        }
    }
    let mut ops = Vec::new();
    for item in &mut file.items {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || !is_path(&imp.self_ty, "Client") {
            continue;
        }
        for member in &mut imp.items {
            let syn::ImplItem::Fn(f) = member else {
                continue;
            };
            if f.sig.ident == "new" {
                f.block = syn::parse_quote!({
                    Self::new_with_client(baseurl, crate::transport::default_http_client(), inner)
                });
                continue;
            }
            if f.sig.asyncness.is_none() {
                continue;
            }
            let op = raw_op(f)?;
            let spec_op = meta
                .operations
                .iter()
                .find(|o| op.name == o.id.as_str())
                .ok_or_else(|| {
                    CodegenError::Generator(format!(
                        "generated method `{}` matches no operationId",
                        op.name
                    ))
                })?;
            // progenitor sends `api-version: <info.version>`; no provider
            // documents it, so the request never gets it. Only progenitor's
            // own statement goes: a spec's parameter of that name stays.
            f.block.stmts.retain(|stmt| {
                let text = quote!(#stmt).to_string();
                !(text.contains("from_static (\"api-version\")")
                    && text.contains(":: api_version ()"))
            });
            drop_unused_header_map(&mut f.block);
            let args_where = |kind: fn(&syn::Type) -> bool| {
                op.args
                    .iter()
                    .filter(|(_, ty)| kind(ty))
                    .map(|(name, _)| name.clone())
                    .collect()
            };
            let mut rewrite = PathSegments {
                err: op.err.clone(),
                names: path_params(&spec_op.path),
                next: 0,
                str_args: args_where(is_str_ref),
                int_args: args_where(is_integer),
            };
            rewrite.visit_block_mut(&mut f.block);
            if rewrite.next != rewrite.names.len() {
                return Err(CodegenError::Generator(format!(
                    "{}: expected {} path parameters, found {}",
                    op.name,
                    rewrite.names.len(),
                    rewrite.next
                )));
            }
            join_base_url(&mut f.block, &op.err)
                .map_err(|what| CodegenError::Generator(format!("{}: {what}", op.name)))?;
            MovedHeaders.visit_block_mut(&mut f.block);
            SharedArms.visit_block_mut(&mut f.block);
            direct_hooks(&mut f.block)
                .map_err(|what| CodegenError::Generator(format!("{}: {what}", op.name)))?;
            ops.push(op);
        }
    }
    let types = types_module(file);
    emit(meta, spec, &ops, types)
}

fn is_path(ty: &syn::Type, name: &str) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.is_ident(name))
}

/// `/User/{userId}/x/{b}` → `["userId", "b"]`.
fn path_params(path: &str) -> Vec<String> {
    // `lint.rs` has refused a `{` without `}` before this runs.
    meta::template(path)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|piece| match piece {
            meta::Piece::Name(name) => Some(name.to_string()),
            meta::Piece::Text(_) => None,
        })
        .collect()
}

fn raw_op(f: &syn::ImplItemFn) -> Result<RawOp, CodegenError> {
    let name = f.sig.ident.clone();
    let fail = |what: &str| CodegenError::Generator(format!("method `{name}`: {what}"));
    let mut args = Vec::new();
    for input in f.sig.inputs.iter().skip(1) {
        let syn::FnArg::Typed(pt) = input else {
            return Err(fail("unexpected receiver"));
        };
        let syn::Pat::Ident(id) = &*pt.pat else {
            return Err(fail("unexpected parameter pattern"));
        };
        args.push((id.ident.clone(), (*pt.ty).clone()));
    }
    // Result<ResponseValue<T>, Error<E>>
    let syn::ReturnType::Type(_, ret) = &f.sig.output else {
        return Err(fail("no return type"));
    };
    let generic_args = |ty: &syn::Type| -> Vec<syn::Type> {
        let syn::Type::Path(p) = ty else {
            return Vec::new();
        };
        let Some(last) = p.path.segments.last() else {
            return Vec::new();
        };
        let syn::PathArguments::AngleBracketed(a) = &last.arguments else {
            return Vec::new();
        };
        a.args
            .iter()
            .filter_map(|g| match g {
                syn::GenericArgument::Type(t) => Some(t.clone()),
                _ => None,
            })
            .collect()
    };
    let outer = generic_args(ret);
    let [value, error] = outer.as_slice() else {
        return Err(fail(
            "return type is not Result<ResponseValue<T>, Error<E>>",
        ));
    };
    let ok = generic_args(value)
        .into_iter()
        .next()
        .ok_or_else(|| fail("no ResponseValue<T>"))?;
    let err = generic_args(error)
        .into_iter()
        .next()
        .unwrap_or_else(|| syn::parse_quote!(()));
    let docs = f
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .cloned()
        .collect();
    Ok(RawOp {
        name,
        args,
        ok,
        err,
        docs,
    })
}

/// Turns `let url = format!("{}/users/{}", self.baseurl, seg);` into
/// `let url = self.inner.url::<E>(&self.baseurl, format_args!("/users/{}", seg))?;`
/// so the base URL is parsed once per client, not once per request.
fn join_base_url(block: &mut syn::Block, err: &syn::Type) -> Result<(), &'static str> {
    let mut found = false;
    for stmt in &mut block.stmts {
        let syn::Stmt::Local(local) = stmt else {
            continue;
        };
        let syn::Pat::Ident(name) = &local.pat else {
            continue;
        };
        if name.ident != "url" {
            continue;
        }
        let Some(init) = &mut local.init else {
            continue;
        };
        let syn::Expr::Macro(mac) = &*init.expr else {
            return Err("the URL is not built with format!");
        };
        if !mac.mac.path.is_ident("format") {
            return Err("the URL is not built with format!");
        }
        let mut tokens = mac.mac.tokens.clone().into_iter();
        let template = match tokens.next() {
            Some(TokenTree::Literal(lit)) => syn::parse2::<syn::LitStr>(lit.into_token_stream())
                .map_err(|_| "the URL template is not a string")?,
            _ => return Err("the URL template is not a string"),
        };
        let rest: Vec<TokenTree> = tokens.collect();
        let base: TokenStream = rest.iter().take(4).cloned().collect();
        let Some(path) = template.value().strip_prefix("{}").map(str::to_string) else {
            return Err("the URL does not start with the base URL");
        };
        if base.to_string().replace(' ', "") != ",self.baseurl" {
            return Err("the URL does not start with self.baseurl");
        }
        let path = syn::LitStr::new(&path, template.span());
        let args: TokenStream = rest.into_iter().skip(4).collect();
        *init.expr = syn::parse_quote!(
            self.inner.url::<#err>(&self.baseurl, ::std::format_args!(#path #args))?
        );
        found = true;
    }
    if found {
        Ok(())
    } else {
        Err("no `let url = format!(..)`")
    }
}

/// Replaces every supported typify `regress` check in `file` by a compiled
/// program; unsupported patterns keep typify's code.
pub fn patterns(file: &mut syn::File) {
    Patterns.visit_file_mut(file);
}

struct Patterns;

impl VisitMut for Patterns {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        syn::visit_mut::visit_block_mut(self, block);
        for i in 0..block.stmts.len().saturating_sub(1) {
            let Some(source) = regress_pattern(&block.stmts[i]) else {
                continue;
            };
            let syn::Stmt::Expr(syn::Expr::If(check), _) = &block.stmts[i + 1] else {
                continue;
            };
            let cond = &check.cond;
            if quote!(#cond).to_string() != "PATTERN . find (value) . is_none ()" {
                continue;
            }
            let Ok(program) = pattern::compile(&source) else {
                continue;
            };
            let Ok(stmt) = syn::parse_str::<syn::Stmt>(&format!(
                "static PATTERN: crate::pattern::Program = {};",
                program.to_rust()
            )) else {
                continue;
            };
            block.stmts[i] = stmt;
            if let syn::Stmt::Expr(syn::Expr::If(check), _) = &mut block.stmts[i + 1] {
                *check.cond = syn::parse_quote!(!crate::pattern::is_match(&PATTERN, value));
            }
        }
    }
}

/// The pattern of typify's
/// `static PATTERN: LazyLock<::regress::Regex> = LazyLock::new(|| ::regress::Regex::new("…").unwrap());`
fn regress_pattern(stmt: &syn::Stmt) -> Option<String> {
    let syn::Stmt::Item(syn::Item::Static(item)) = stmt else {
        return None;
    };
    let ty = &item.ty;
    let init = &item.expr;
    if item.ident != "PATTERN"
        || quote!(#ty).to_string() != ":: std :: sync :: LazyLock < :: regress :: Regex >"
        || !quote!(#init)
            .to_string()
            .contains(":: regress :: Regex :: new (")
    {
        return None;
    }
    let mut literals = Vec::new();
    string_literals(quote!(#init), &mut literals);
    match literals.as_slice() {
        [only] => Some(only.value()),
        _ => None,
    }
}

/// progenitor's per-request `header_map`, when all that is left of it is
/// its creation and `.headers(header_map)` (its only entry was
/// `api-version`): both go, and the request builder chain stays as it was.
fn drop_unused_header_map(block: &mut syn::Block) {
    const NAME: &str = "header_map";
    if ident_count(block.to_token_stream(), NAME) != 2 {
        return;
    }
    let before = block.stmts.len();
    block.stmts.retain(|stmt| {
        !matches!(stmt, syn::Stmt::Local(local)
            if matches!(&local.pat, syn::Pat::Ident(p) if p.ident == NAME))
    });
    if block.stmts.len() + 1 != before {
        return;
    }
    struct Headers;
    impl VisitMut for Headers {
        fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
            if let syn::Expr::MethodCall(call) = expr
                && call.method == "headers"
                && call.args.len() == 1
                && matches!(&call.args[0], syn::Expr::Path(p) if p.path.is_ident(NAME))
            {
                *expr = (*call.receiver).clone();
                self.visit_expr_mut(expr);
                return;
            }
            syn::visit_mut::visit_expr_mut(self, expr);
        }
    }
    Headers.visit_block_mut(block);
}

/// How many times the identifier `name` appears in `tokens`, at any depth.
fn ident_count(tokens: TokenStream, name: &str) -> usize {
    tokens
        .into_iter()
        .map(|tt| match tt {
            TokenTree::Group(g) => ident_count(g.stream(), name),
            TokenTree::Ident(id) => usize::from(id == name),
            _ => 0,
        })
        .sum()
}

/// Every string literal in `tokens`, in order, at any depth.
pub(super) fn string_literals(tokens: TokenStream, out: &mut Vec<syn::LitStr>) {
    for tt in tokens {
        match tt {
            TokenTree::Group(g) => string_literals(g.stream(), out),
            TokenTree::Literal(lit) => {
                if let Ok(s) = syn::parse2::<syn::LitStr>(lit.into_token_stream()) {
                    out.push(s);
                }
            }
            _ => {}
        }
    }
}

/// A path's segment names, `a::b::C` → `["a", "b", "C"]`.
fn segment_names(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

/// Replaces `ResponseValue::from_response` (which clones the response's
/// headers: two allocations and a copy of every header, in every call) with
/// `crate::transport::response_value`, which moves them.
struct MovedHeaders;

impl VisitMut for MovedHeaders {
    fn visit_expr_path_mut(&mut self, expr: &mut syn::ExprPath) {
        if expr.qself.is_none() && segment_names(&expr.path) == ["ResponseValue", "from_response"] {
            *expr = syn::parse_quote!(crate::transport::response_value);
        }
    }
}

/// Calls the hooks' bodies directly: `self.pre(..).await?` becomes
/// `crate::transport::before_send(..)`, `self.exec(..).await` becomes
/// `crate::transport::execute(..).await`, and the `self.post(..).await?`
/// of progenitor's default (no-op) hook goes. Our `pre` and `post` never
/// wait, but awaiting them kept the request (264 bytes) and the result in
/// the method's future across two suspension points. The request is also
/// built in a block that ends before the send is awaited: a local that was
/// borrowed (`before_send` takes it `&mut`) keeps its slot in the future
/// until its scope ends, moved or not. The `ClientHooks` impl stays, the
/// same functions behind it, for progenitor's sake.
fn direct_hooks(block: &mut syn::Block) -> Result<(), String> {
    let flat = |stmt: &syn::Stmt| stmt.to_token_stream().to_string().replace(' ', "");
    let is_request = |stmt: &syn::Stmt| {
        matches!(stmt, syn::Stmt::Local(local)
            if matches!(&local.pat, syn::Pat::Ident(p) if p.ident == "request"))
    };
    let mut found = [0usize; 4];
    let mut request: Option<syn::Stmt> = None;
    let mut stmts = Vec::with_capacity(block.stmts.len());
    for stmt in std::mem::take(&mut block.stmts) {
        if is_request(&stmt) {
            found[0] += 1;
            request = Some(stmt);
            continue;
        }
        match flat(&stmt).as_str() {
            "self.pre(&mutrequest,&info).await?;" => found[1] += 1,
            "letresult=self.exec(request,&info).await;" => {
                found[2] += 1;
                let Some(build) = request.take() else {
                    return Err("the request is sent before it is built".into());
                };
                stmts.push(syn::parse_quote!(
                    let result = crate::transport::execute(
                        &self.client,
                        {
                            #build
                            crate::transport::before_send(&self.inner, &mut request, &info);
                            request
                        },
                        &info,
                    )
                    .await;
                ));
            }
            "self.post(&result,&info).await?;" => found[3] += 1,
            _ => stmts.push(stmt),
        }
    }
    block.stmts = stmts;
    if found != [1, 1, 1, 1] {
        return Err(format!(
            "expected one request and one call each of progenitor's pre, exec and post \
             hooks, found {found:?}"
        ));
    }
    Ok(())
}

/// Merges the arms of a status `match` that do the same thing into one
/// or-pattern: progenitor writes one arm per documented status, and an
/// operation's error statuses usually all decode the same body (hPay's
/// update: six). Each arm is an `.await` of its own, so each was a state of
/// the method's future and a copy of the decoding code in every caller;
/// merged, the method is smaller to compile and to run through. Only arms
/// matching integer literals, without guards: such patterns are disjoint,
/// so where an arm goes does not change what matches.
pub(super) struct SharedArms;

impl VisitMut for SharedArms {
    fn visit_expr_match_mut(&mut self, m: &mut syn::ExprMatch) {
        syn::visit_mut::visit_expr_match_mut(self, m);
        let literal = |pat: &syn::Pat| {
            matches!(
                pat,
                syn::Pat::Lit(syn::PatLit {
                    lit: syn::Lit::Int(_),
                    ..
                })
            )
        };
        let mut arms: Vec<syn::Arm> = Vec::with_capacity(m.arms.len());
        let mut bodies: Vec<Option<String>> = Vec::with_capacity(m.arms.len());
        for arm in std::mem::take(&mut m.arms) {
            let body = (arm.guard.is_none() && literal(&arm.pat))
                .then(|| arm.body.to_token_stream().to_string());
            let same = body
                .as_ref()
                .and_then(|b| bodies.iter().position(|seen| seen.as_ref() == Some(b)));
            match same {
                Some(at) => {
                    let first = &mut arms[at].pat;
                    let mut cases = match std::mem::replace(first, syn::Pat::Verbatim(quote!())) {
                        syn::Pat::Or(or) => or.cases,
                        single => std::iter::once(single).collect(),
                    };
                    cases.push(arm.pat);
                    *first = syn::Pat::Or(syn::PatOr {
                        attrs: Vec::new(),
                        leading_vert: None,
                        cases,
                    });
                }
                None => {
                    arms.push(arm);
                    bodies.push(body);
                }
            }
        }
        m.arms = arms;
    }
}

/// Replaces `encode_path(x)` inside the URL `format!` with our strict encoder.
struct PathSegments {
    err: syn::Type,
    names: Vec<String>,
    next: usize,
    /// The method's `&str` arguments: progenitor's `&x.to_string()` copies
    /// them for nothing (an allocation a request), so they go in as they are.
    str_args: Vec<Ident>,
    /// The method's primitive integer arguments: their decimal form (`-`
    /// and digits) is always exactly one segment, so they are formatted
    /// straight into the URL, with no check and no copy.
    int_args: Vec<Ident>,
}

/// `&str`, with or without a lifetime.
fn is_str_ref(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Reference(r) if r.mutability.is_none() && is_path(&r.elem, "str"))
}

/// A primitive integer type.
fn is_integer(ty: &syn::Type) -> bool {
    const INTEGERS: [&str; 12] = [
        "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize",
    ];
    INTEGERS.iter().any(|name| is_path(ty, name))
}

/// How one path parameter goes into the URL.
enum Segment {
    /// Through `path_segment`, as these tokens.
    Checked(TokenStream),
    /// As it is: an integer argument.
    Integer(TokenStream),
}

impl PathSegments {
    /// progenitor's `&x.to_string()`: `x` itself when it is a `&str` or an
    /// integer argument, anything else as it is.
    fn segment(&self, value: TokenStream) -> Segment {
        if let Ok(syn::Expr::Reference(r)) = syn::parse2::<syn::Expr>(value.clone())
            && let syn::Expr::MethodCall(call) = &*r.expr
            && call.method == "to_string"
            && call.args.is_empty()
            && let syn::Expr::Path(p) = &*call.receiver
        {
            if self.str_args.iter().any(|a| p.path.is_ident(a)) {
                return Segment::Checked(p.to_token_stream());
            }
            if self.int_args.iter().any(|a| p.path.is_ident(a)) {
                return Segment::Integer(p.to_token_stream());
            }
        }
        Segment::Checked(value)
    }
}

impl PathSegments {
    fn rewrite(&mut self, tokens: TokenStream) -> TokenStream {
        let mut out = Vec::new();
        let mut iter = tokens.into_iter().peekable();
        while let Some(tt) = iter.next() {
            match tt {
                TokenTree::Ident(id) if id == "encode_path" => {
                    let Some(TokenTree::Group(args)) = iter.peek().cloned() else {
                        out.push(TokenTree::Ident(id));
                        continue;
                    };
                    iter.next();
                    let err = &self.err;
                    let name = self
                        .names
                        .get(self.next)
                        .cloned()
                        .unwrap_or_else(|| "path".into());
                    self.next += 1;
                    let call = match self.segment(args.stream()) {
                        Segment::Checked(inner) => {
                            quote!((crate::transport::path_segment::<#err>(#name, #inner)?))
                        }
                        Segment::Integer(value) => value,
                    };
                    out.extend(call);
                }
                TokenTree::Group(g) => {
                    let mut ng = Group::new(g.delimiter(), self.rewrite(g.stream()));
                    ng.set_span(g.span());
                    out.push(TokenTree::Group(ng));
                }
                other => out.push(other),
            }
        }
        out.into_iter().collect()
    }
}

impl VisitMut for PathSegments {
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        mac.tokens = self.rewrite(std::mem::take(&mut mac.tokens));
    }
}

fn types_module(file: &syn::File) -> Vec<syn::ItemStruct> {
    for item in &file.items {
        if let syn::Item::Mod(m) = item
            && m.ident == "types"
            && let Some((_, items)) = &m.content
        {
            return items
                .iter()
                .filter_map(|i| match i {
                    syn::Item::Struct(s) => Some(s.clone()),
                    _ => None,
                })
                .collect();
        }
    }
    Vec::new()
}

/// The Rust field of `types::<ty>` that carries JSON property `json`.
fn field_ident(types: &[syn::ItemStruct], ty: &syn::Type, json: &str) -> Option<Ident> {
    let syn::Type::Path(p) = ty else { return None };
    let segs = segment_names(&p.path);
    let [module, name] = segs.as_slice() else {
        return None;
    };
    if module != "types" {
        return None;
    }
    let s = types.iter().find(|s| s.ident == name)?;
    field_of(s, json)?.ident.clone()
}

/// `fn astray` for an operation marked `x-payusers-echo`: the success
/// answer's property against the path parameter, each of a type that can
/// name a resource (text or an integer, optional or not).
fn astray_method(
    types: &[syn::ItemStruct],
    op: &meta::Operation,
    echo: &meta::Echo,
    ok: &syn::Type,
    args: &[(Ident, syn::Type)],
) -> Result<TokenStream, CodegenError> {
    let place = format!("{}: x-payusers-echo", op.id);
    let unsupported = |what: String| CodegenError::Unsupported(format!("{place}.{what}"));
    let strukt = match ok {
        syn::Type::Path(p) => match segment_names(&p.path).as_slice() {
            [module, name] if module == "types" => types.iter().find(|s| s.ident == name),
            _ => None,
        },
        _ => None,
    };
    let field = strukt
        .and_then(|s| field_of(s, &echo.field))
        .ok_or_else(|| {
            unsupported(format!(
                "field: the success answer has no property `{}`",
                echo.field
            ))
        })?;
    if !names_a_resource(&field.ty) {
        return Err(unsupported(format!(
            "field: `{}` is not text or an integer, so it cannot name what was asked for",
            echo.field
        )));
    }
    let (arg, arg_ty) = super::checks::argument(args, &echo.param, &place)?.ok_or_else(|| {
        unsupported(format!(
            "param: `{}` is not an argument of the generated method",
            echo.param
        ))
    })?;
    if !names_a_resource(arg_ty) {
        return Err(unsupported(format!(
            "param: `{}` is not text or an integer",
            echo.param
        )));
    }
    let ident = field.ident.as_ref().expect("a named field");
    let (param, json) = (lit(&echo.param), lit(&echo.field));
    Ok(quote! {
        fn astray(&self, output: &#ok) -> ::std::option::Option<::std::string::String> {
            crate::core::astray(#param, &self.#arg, #json, &output.#ident)
        }
    })
}

/// Whether `ty` is one `crate::core::EchoId` reads: `String`, an integer,
/// or an `Option` of one.
fn names_a_resource(ty: &syn::Type) -> bool {
    let plain = |ty: &syn::Type| {
        last_segment(ty).is_some_and(|s| {
            s.arguments.is_none()
                && matches!(
                    s.ident.to_string().as_str(),
                    "String" | "i64" | "i32" | "u32" | "u64"
                )
        })
    };
    plain(ty) || option_of(ty).is_some_and(plain)
}

/// The field of a generated struct that carries JSON property `json`
/// (named after it, or renamed to it with `#[serde(rename = ..)]`).
pub(super) fn field_of<'s>(strukt: &'s syn::ItemStruct, json: &str) -> Option<&'s syn::Field> {
    let syn::Fields::Named(fields) = &strukt.fields else {
        return None;
    };
    let renamed = format!("rename = \"{json}\"");
    fields.named.iter().find(|f| {
        let renamed = f.attrs.iter().any(|a| {
            a.path().is_ident("serde")
                && a.meta
                    .require_list()
                    .is_ok_and(|l| l.tokens.to_string().contains(&renamed))
        });
        renamed || f.ident.as_ref().is_some_and(|i| i == json)
    })
}

fn is_envelope(meta: &Meta, ty: &syn::Type) -> bool {
    let Some(env) = &meta.envelope else {
        return false;
    };
    let syn::Type::Path(p) = ty else { return false };
    p.path
        .segments
        .last()
        .is_some_and(|s| s.ident == env.schema)
}

/// How an owned field stands in for one raw argument.
enum Arg {
    /// `&'a str` → `String`, passed as `&self.x`.
    Str,
    /// `&'a T` → `T`, passed as `&self.x`.
    Ref(syn::Type),
    /// `Option<&'a str>` → `Option<String>`, passed as `self.x.as_deref()`.
    OptStr,
    /// `Option<&'a T>` → `Option<T>`, passed as `self.x.as_ref()`.
    OptRef(syn::Type),
    /// Anything else, passed as `self.x.clone()`.
    Value(syn::Type),
}

/// The last path segment of `ty` and its generic arguments.
pub(super) fn last_segment(ty: &syn::Type) -> Option<&syn::PathSegment> {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
        _ => None,
    }
}

/// The first type argument of `segment` (`T` in `Option<T>`).
pub(super) fn first_type_argument(segment: &syn::PathSegment) -> Option<&syn::Type> {
    let syn::PathArguments::AngleBracketed(args) = &segment.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

/// `T` when `ty` is `Option<T>`.
pub(super) fn option_of(ty: &syn::Type) -> Option<&syn::Type> {
    let segment = last_segment(ty)?;
    (segment.ident == "Option")
        .then(|| first_type_argument(segment))
        .flatten()
}

fn classify(ty: &syn::Type) -> Arg {
    fn is_str(t: &syn::Type) -> bool {
        matches!(t, syn::Type::Path(p) if p.path.is_ident("str"))
    }
    match ty {
        syn::Type::Reference(r) if is_str(&r.elem) => Arg::Str,
        syn::Type::Reference(r) => Arg::Ref((*r.elem).clone()),
        syn::Type::Path(_) => match option_of(ty) {
            Some(syn::Type::Reference(r)) if is_str(&r.elem) => Arg::OptStr,
            Some(syn::Type::Reference(r)) => Arg::OptRef((*r.elem).clone()),
            _ => Arg::Value(ty.clone()),
        },
        other => Arg::Value(other.clone()),
    }
}

fn lit(s: &str) -> syn::LitStr {
    syn::LitStr::new(s, Span::call_site())
}

fn emit(
    meta: &Meta,
    spec: &serde_json::Value,
    ops: &[RawOp],
    types: Vec<syn::ItemStruct>,
) -> Result<TokenStream, CodegenError> {
    let title = lit(&meta.title);
    let opt = |v: &Option<String>| match v {
        Some(s) => {
            let s = lit(s);
            quote!(::std::option::Option::Some(#s))
        }
        None => quote!(::std::option::Option::None),
    };
    let base_url_env = opt(&meta.base_url_env);
    let idempotency_header = opt(&meta.idempotency_header);
    let error_message: Vec<_> = meta.error_message.iter().map(|s| lit(s)).collect();
    let error_details: Vec<_> = meta.error_details.iter().map(|s| lit(s)).collect();
    let password_fields: Vec<_> = meta.password_fields.iter().map(|s| lit(s)).collect();
    let envelope = match &meta.envelope {
        Some(e) => {
            let (success, message) = (lit(&e.success), lit(&e.message));
            let success_text = opt(&e.success_text);
            quote!(::std::option::Option::Some(crate::core::EnvelopeInfo { success: #success, message: #message, success_text: #success_text }))
        }
        None => quote!(::std::option::Option::None),
    };
    let credentials = meta.credentials.iter().map(|c| {
        let (scheme, header, setter) = (lit(&c.scheme), lit(&c.header), lit(&c.setter));
        let env = opt(&c.env);
        quote!(crate::core::CredentialInfo { scheme: #scheme, header: #header, env: #env, setter: #setter })
    });
    let environments = meta.environments.iter().map(|e| {
        let (name, url, description) = (lit(&e.name), lit(&e.url), lit(&e.description));
        let prefixes = e.prefixes.iter().map(|(h, p)| {
            let (h, p) = (lit(h), lit(p));
            quote!((#h, #p))
        });
        quote!(crate::core::EnvironmentInfo { name: #name, url: #url, description: #description, credential_prefixes: &[#(#prefixes),*] })
    });
    let requirement = |alternatives: &[Vec<usize>]| {
        let alternatives = alternatives.iter().map(|needs| quote!(&[#(#needs),*]));
        quote!(&[#(#alternatives),*])
    };
    let security = requirement(&meta.security);
    let operations = meta.operations.iter().map(|o| {
        let (id, method, path, summary) = (lit(&o.id), lit(&o.method), lit(&o.path), lit(&o.summary));
        let idempotent = o.idempotent;
        let header_params = o.header_params.iter().map(|h| lit(h));
        let security = requirement(&o.security);
        let echo = match &o.echo {
            Some(e) => {
                let (param, field) = (lit(&e.param), lit(&e.field));
                quote!(::std::option::Option::Some((#param, #field)))
            }
            None => quote!(::std::option::Option::None),
        };
        quote!(crate::core::OperationMeta { id: #id, method: #method, path: #path, idempotent: #idempotent, summary: #summary, header_params: &[#(#header_params),*], security: #security, echo: #echo })
    });

    // The Environment enum: one variant per server, plus Custom.
    let variants: Vec<Ident> = meta
        .environments
        .iter()
        .map(|e| format_ident!("{}", meta::pascal_case(&e.name)))
        .collect();
    let indexes: Vec<syn::Index> = (0..variants.len()).map(syn::Index::from).collect();
    let variant_docs: Vec<syn::LitStr> = meta
        .environments
        .iter()
        .map(|e| {
            let text = if e.description.is_empty() {
                format!("`{}`.", e.url)
            } else {
                format!("`{}`: {}", e.url, e.description)
            };
            lit(&text)
        })
        .collect();
    let first = &variants[0];
    let first_doc = &variant_docs[0];
    let other_variants = &variants[1..];
    let other_docs = &variant_docs[1..];

    let setters = meta.credentials.iter().enumerate().map(|(i, c)| {
        let setter = format_ident!("{}", c.setter);
        let mut doc = format!("Sets the `{}` header credential", c.header);
        if let Some(env) = &c.env {
            doc.push_str(&format!(" (from `{env}` with `from_env`)"));
        }
        doc.push('.');
        if !c.description.is_empty() {
            doc.push(' ');
            doc.push_str(&c.description);
        }
        let doc = lit(&doc);
        quote! {
            #[doc = #doc]
            pub fn #setter(self, value: impl ::std::convert::Into<secrecy::SecretString>) -> Self {
                self.set_credential(#i, value.into())
            }
        }
    });

    let mut checks = Checks::new(spec, &types);
    let mut op_structs = Vec::new();
    let mut entry_points = Vec::new();
    for op in ops {
        let spec_op = meta
            .operations
            .iter()
            .find(|o| op.name == o.id.as_str())
            .expect("checked in facade()");
        let index = syn::Index::from(
            meta.operations
                .iter()
                .position(|o| o.id == spec_op.id)
                .expect("present"),
        );
        let struct_name = format_ident!("{}", meta::pascal_case(&spec_op.id));
        let raw_name = &op.name;
        let (ok, err) = (&op.ok, &op.err);
        let mut fields = Vec::new();
        let mut params = Vec::new();
        let mut inits = Vec::new();
        let mut passes = Vec::new();
        let mut owned: Vec<(Ident, syn::Type)> = Vec::new();
        for (ident, ty) in &op.args {
            let arg = classify(ty);
            owned.push((
                ident.clone(),
                match &arg {
                    Arg::Str => syn::parse_quote!(::std::string::String),
                    Arg::Ref(t) | Arg::Value(t) => t.clone(),
                    Arg::OptStr => syn::parse_quote!(::std::option::Option<::std::string::String>),
                    Arg::OptRef(t) => syn::parse_quote!(::std::option::Option<#t>),
                },
            ));
            match arg {
                Arg::Str => {
                    fields.push(quote!(pub #ident: ::std::string::String));
                    params.push(quote!(#ident: impl ::std::convert::Into<::std::string::String>));
                    inits.push(quote!(#ident: #ident.into()));
                    passes.push(quote!(&self.#ident));
                }
                Arg::Ref(t) => {
                    fields.push(quote!(pub #ident: #t));
                    params.push(quote!(#ident: #t));
                    inits.push(quote!(#ident));
                    passes.push(quote!(&self.#ident));
                }
                Arg::OptStr => {
                    fields.push(quote!(pub #ident: ::std::option::Option<::std::string::String>));
                    params.push(quote!(#ident: ::std::option::Option<::std::string::String>));
                    inits.push(quote!(#ident));
                    passes.push(quote!(self.#ident.as_deref()));
                }
                Arg::OptRef(t) => {
                    fields.push(quote!(pub #ident: ::std::option::Option<#t>));
                    params.push(quote!(#ident: ::std::option::Option<#t>));
                    inits.push(quote!(#ident));
                    passes.push(quote!(self.#ident.as_ref()));
                }
                Arg::Value(t) => {
                    fields.push(quote!(pub #ident: #t));
                    params.push(quote!(#ident: #t));
                    inits.push(quote!(#ident));
                    passes.push(quote!(::std::clone::Clone::clone(&self.#ident)));
                }
            }
        }
        let failure = if is_envelope(meta, ok) {
            let env = meta.envelope.as_ref().expect("is_envelope");
            let success = field_ident(&types, ok, &env.success).ok_or_else(|| {
                CodegenError::Generator(format!("envelope field `{}` not found", env.success))
            })?;
            let message = field_ident(&types, ok, &env.message).ok_or_else(|| {
                CodegenError::Generator(format!("envelope field `{}` not found", env.message))
            })?;
            let success_text = match &env.success_text {
                Some(t) => {
                    let t = lit(t);
                    quote!(::std::option::Option::Some(#t))
                }
                None => quote!(::std::option::Option::None),
            };
            quote! {
                fn failure(&self, output: &#ok) -> ::std::option::Option<::std::string::String> {
                    crate::core::envelope_failure(&output.#success, &output.#message, #success_text)
                }
            }
        } else {
            TokenStream::new()
        };
        let astray = match &spec_op.echo {
            Some(echo) => astray_method(&types, spec_op, echo, ok, &owned)?,
            None => TokenStream::new(),
        };
        let message_fields: Vec<Ident> = meta
            .error_message
            .iter()
            .filter_map(|json| field_ident(&types, err, json))
            .collect();
        let message = if message_fields.is_empty() {
            TokenStream::new()
        } else {
            quote! {
                fn message(&self, body: &#err) -> ::std::option::Option<::std::string::String> {
                    ::std::option::Option::None
                        #(.or_else(|| crate::core::Text::text(&body.#message_fields)))*
                }
            }
        };
        let check = checks.operation(spec_op, &owned)?;
        let docs = &op.docs;
        let struct_doc = lit(&format!(
            "The arguments of `{}` (`{} {}`); send it with `client.call(..)` or use the `ops()` entry point.",
            spec_op.id, spec_op.method, spec_op.path
        ));
        op_structs.push(quote! {
            #[doc = #struct_doc]
            #[derive(Debug, Clone)]
            pub struct #struct_name { #(#fields),* }

            impl crate::core::Operation for #struct_name {
                type Spec = super::ApiSpec;
                type Output = #ok;
                type ErrorBody = #err;
                fn meta(&self) -> &'static crate::core::OperationMeta {
                    &super::INFO.operations[#index]
                }
                fn send<'a>(
                    &'a self,
                    raw: &'a super::Client,
                ) -> impl ::std::future::Future<
                    Output = ::std::result::Result<
                        progenitor_client::ResponseValue<#ok>,
                        progenitor_client::Error<#err>,
                    >,
                > + ::std::marker::Send + 'a {
                    raw.#raw_name(#(#passes),*)
                }
                #check
                #failure
                #astray
                #message
            }
        });
        entry_points.push(quote! {
            #(#docs)*
            pub fn #raw_name(self, #(#params),*) -> crate::core::Call<'c, ops::#struct_name> {
                self.call(ops::#struct_name { #(#inits),* })
            }
        });
    }

    let check_impls = checks.impls();
    let info_doc = lit(&format!(
        "What `{}` says beyond types: environments, credentials, envelope, operations.",
        meta.title
    ));
    let api_doc = lit(&format!(
        "A client for {} with the whole facade (retries, deadlines, typed errors, tracing) on every operation: `Api::from_env()?.ops().<operation>(..).send().await`.",
        meta.title
    ));
    Ok(quote! {
        #[doc = #info_doc]
        pub static INFO: crate::core::SpecInfo = crate::core::SpecInfo {
            title: #title,
            base_url_env: #base_url_env,
            error_message: &[#(#error_message),*],
            error_details: &[#(#error_details),*],
            envelope: #envelope,
            idempotency_header: #idempotency_header,
            password_fields: &[#(#password_fields),*],
            credentials: &[#(#credentials),*],
            security: #security,
            environments: &[#(#environments),*],
            operations: &[#(#operations),*],
        };

        /// Marks this spec for the generic client ([`crate::core::Client`]).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct ApiSpec;

        impl crate::core::Spec for ApiSpec {
            type Raw = Client;
            type Environment = Environment;
            fn info() -> &'static crate::core::SpecInfo {
                &INFO
            }
            fn raw(base_url: &str, http: reqwest::Client, auth: crate::transport::Auth) -> Client {
                Client::new_with_client(base_url, http, auth)
            }
        }

        #[doc = #api_doc]
        pub type Api = crate::core::Client<ApiSpec>;

        /// Where requests go: one variant per server in the spec, or any URL.
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        #[non_exhaustive]
        pub enum Environment {
            #[doc = #first_doc]
            #[doc = ""]
            #[doc = "The default: the spec's first server."]
            #[default]
            #first,
            #(#[doc = #other_docs] #other_variants,)*
            /// Any other base URL: `https`, or `http` on a loopback host (the mock).
            Custom(::std::string::String),
        }

        impl Environment {
            /// The base URL this environment stands for.
            pub fn base_url(&self) -> &str {
                match self {
                    #(Environment::#variants => INFO.environments[#indexes].url,)*
                    Environment::Custom(url) => url,
                }
            }
        }

        impl ::std::convert::From<Environment> for crate::core::Target {
            fn from(environment: Environment) -> Self {
                match environment {
                    #(Environment::#variants => crate::core::Target::Named(&INFO.environments[#indexes]),)*
                    Environment::Custom(url) => crate::core::Target::Url(url),
                }
            }
        }

        impl crate::core::ClientBuilder<ApiSpec> {
            #(#setters)*
        }

        /// One value per operation: its arguments, and how to send it.
        pub mod ops {
            #[allow(unused_imports)]
            use super::types;
            #(#op_structs)*
        }

        impl<'c> crate::core::Ops<'c, ApiSpec> {
            #(#entry_points)*
        }

        /// What the spec asks of a request that the generated types cannot
        /// hold: `crate::core::Check` for the structs with such a rule.
        mod checks {
            #[allow(unused_imports)]
            use super::types;
            #check_impls
        }
    })
}
