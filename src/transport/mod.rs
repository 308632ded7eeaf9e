//! The bridge between the generated clients and the facade.
//!
//! * [`Auth`] is the generated clients' inner type: the credential headers
//!   that [`before_send`] puts on every request.
//! * [`execute`] sends one request, records what an error needs (status,
//!   `Retry-After`, `Location`, request id) and reads the body under the
//!   attempt's timeout and a size cap (`scope.rs`).
//! * [`path_segment`] encodes every path parameter of every operation so it
//!   stays exactly one segment.
//! * `start` begins one call: attempts, timeouts, retries with backoff and
//!   `Retry-After`, tracing, and mapping to [`Error`] (`run.rs`, `map.rs`).
//!
//! The generated code calls the hooks through glue emitted by
//! `codegen/mod.rs`, so every operation of every spec gets them.

mod map;
mod run;
mod scope;

pub use map::{excerpt, message_from_body};
pub(crate) use run::{CallSettings, start};
pub use scope::execute;
pub(crate) use scope::note_secret;

use crate::error::Error;
use crate::secret::REDACTED;
use progenitor_client::OperationInfo;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use std::fmt;

/// Credentials a generated client puts on each request.
///
/// Header values are marked sensitive (hyper and reqwest never print them),
/// and `Debug` shows only the header names.
///
/// ```
/// use payusers::transport::Auth;
/// let auth = Auth::new().header("api-key", "k123".into()).unwrap();
/// assert_eq!(format!("{auth:?}"), r#"Auth { api-key: "[redacted]" }"#);
/// ```
#[derive(Clone, Default)]
pub struct Auth {
    /// Each credential header, with its bit in [`Auth::set`] (0 for one
    /// added with [`Auth::header`], which every request carries).
    headers: Vec<(HeaderName, HeaderValue, SecretString, u32)>,
    /// Which of the spec's credentials are set: bit `i` for
    /// `SpecInfo::credentials[i]`.
    set: u32,
    /// The spec, for the `security` of a raw call's operation.
    spec: Option<&'static crate::core::SpecInfo>,
    /// What bounds a raw generated call made outside the facade (which
    /// bounds each attempt itself); `None` is [`crate::DEFAULT_TIMEOUT`].
    raw_timeout: Option<std::time::Duration>,
    /// The client's base URL, parsed on the first request (see [`Auth::url`]).
    base: std::sync::OnceLock<BaseUrl>,
    /// Whether the last answer to this client came over HTTP/1 (see
    /// [`Auth::host_for`]).
    http1: Http1,
    /// Whether requests may carry the `Host` header made once (see
    /// [`Auth::host_for`]): only when the HTTP client is one we built,
    /// which has no default `Host` of its own to respect.
    own_host: bool,
}

/// Whether the server at a client's base URL last answered over HTTP/1
/// (`false` until an answer says so). A clone starts from what the
/// original knew.
#[derive(Default)]
struct Http1(std::sync::atomic::AtomicBool);

impl Clone for Http1 {
    fn clone(&self) -> Self {
        Http1(std::sync::atomic::AtomicBool::new(
            self.0.load(std::sync::atomic::Ordering::Relaxed),
        ))
    }
}

/// A base URL parsed once, and the path prefix requests append to.
#[derive(Clone)]
struct BaseUrl {
    text: String,
    /// The `Host` header of a request to this base over HTTP/1: what
    /// hyper would make of the URL (the host, and the port unless it is
    /// the scheme's default), made once instead of on every request.
    host: Option<HeaderValue>,
    /// `None` when the base is not a plain `scheme://host[:port][/path]`:
    /// every request then parses its whole URL.
    parsed: Option<(reqwest::Url, String)>,
}

/// The placeholder path of a cached base URL: room for a request's path.
const PATH_ROOM: &str = "/________________________________________________________________\
                         ________________________________________________________________";

impl BaseUrl {
    fn new(text: &str) -> Self {
        let parsed = reqwest::Url::parse(text).ok().filter(|url| {
            url.query().is_none() && url.fragment().is_none() && !url.cannot_be_a_base()
        });
        let parsed = parsed.map(|mut url| {
            // `http://h:1` parses with path `/`, but `{base}/users` is `/users`.
            let prefix = if url.path() == "/" && !text.ends_with('/') {
                String::new()
            } else {
                url.path().to_string()
            };
            // Every request replaces the whole path (`set_path`). A long
            // placeholder path makes each clone's buffer big enough to take
            // the real one without growing (three reallocations a request
            // otherwise, as the path is pushed piece by piece).
            url.set_path(PATH_ROOM);
            (url, prefix)
        });
        let host = parsed.as_ref().and_then(|(url, _)| host_header(url));
        BaseUrl {
            text: text.to_string(),
            host,
            parsed,
        }
    }
}

/// The `Host` header hyper's client would set for a request to `url`:
/// the host as the URL writes it (IPv6 in brackets), then `:port` unless
/// the port is the scheme's default (`url` already leaves a default port out).
fn host_header(url: &reqwest::Url) -> Option<HeaderValue> {
    let host = url.host_str()?;
    let value = match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    };
    HeaderValue::from_str(&value).ok()
}

impl Auth {
    /// No credentials.
    pub fn new() -> Self {
        Auth::default()
    }

    /// Bounds every raw generated call (sent outside the facade) from
    /// sending to its last byte; the facade's client sets its per-attempt
    /// timeout here. Default: [`crate::DEFAULT_TIMEOUT`].
    pub fn raw_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.raw_timeout = Some(timeout);
        self
    }

    /// Lets requests carry the `Host` header made once from the base URL
    /// (a saving; see [`Auth::host_for`]), for an HTTP client built without
    /// a default `Host` header: one set there (to reach a virtual host
    /// through an address, say) would otherwise be overridden.
    pub(crate) fn preset_host(mut self) -> Self {
        self.own_host = true;
        self
    }

    /// The spec whose operations' `security` a raw call follows too.
    pub(crate) fn spec(mut self, spec: &'static crate::core::SpecInfo) -> Self {
        self.spec = Some(spec);
        self
    }

    /// The set credentials a raw call of `operation_id` leaves out, by its
    /// `security` (none when the operation is unknown or no alternative is
    /// whole: the server judges).
    fn raw_left_out(&self, operation_id: &str) -> u32 {
        self.spec
            .and_then(|spec| spec.operation(operation_id))
            .and_then(|op| crate::core::credentials_left_out(op.security, self.set).ok())
            .unwrap_or(0)
    }

    /// Adds a credential header every request carries; fails if the name or
    /// value is not a valid header.
    pub fn header(self, name: &'static str, value: SecretString) -> Result<Self, Error> {
        self.credential(None, name, value)
    }

    /// Adds the spec's credential `index` (`SpecInfo::credentials`), sent
    /// only on the calls whose `security` asks for it; `None`: on every one.
    pub(crate) fn credential(
        mut self,
        index: Option<usize>,
        name: &'static str,
        value: SecretString,
    ) -> Result<Self, Error> {
        let bad = |reason: &str| Error::Config {
            setting: name,
            reason: reason.to_string(),
        };
        let mut header_name =
            HeaderName::from_bytes(name.as_bytes()).map_err(|_| bad("is not a header name"))?;
        if header_name.as_str() == name {
            // Already a valid lowercase name: a static one clones for free,
            // where an owned one's clones share one reference count, which
            // every request in flight writes twice, from every core.
            header_name = HeaderName::from_static(name);
        }
        let mut header_value = HeaderValue::from_str(value.expose_secret())
            .map_err(|_| bad("contains characters not allowed in an HTTP header"))?;
        header_value.set_sensitive(true);
        let bit = index.map_or(0, |i| 1u32.checked_shl(i as u32).unwrap_or(0));
        self.set |= bit;
        self.headers.push((header_name, header_value, value, bit));
        Ok(self)
    }

    /// Which of the spec's credentials are set (bit `i` for credential `i`).
    pub(crate) fn set(&self) -> u32 {
        self.set
    }

    /// The URL `{base}{path}` of one request, as `reqwest::Url::parse` would
    /// read it, without parsing the base again on every request: URL parsing
    /// is the largest single cost of a request on a fast network (the host
    /// part above all), and reqwest parses each request's URL twice more on
    /// its own. The generated methods call this in place of `format!`.
    #[allow(clippy::result_large_err)] // progenitor's error type, as the generated code returns it
    pub(crate) fn url<E>(
        &self,
        base: &str,
        path: fmt::Arguments<'_>,
    ) -> Result<reqwest::Url, progenitor_client::Error<E>> {
        use fmt::Write as _;
        let cached = self.base.get_or_init(|| BaseUrl::new(base));
        if cached.text == base
            && let Some((url, prefix)) = &cached.parsed
        {
            let mut full = String::with_capacity(prefix.len() + 64);
            full.push_str(prefix);
            let _ = full.write_fmt(path);
            // Only a plain path can be set on its own; anything else is
            // parsed whole below, exactly as before.
            if full.starts_with('/') && !full.contains(['?', '#']) {
                let mut url = url.clone();
                url.set_path(&full);
                return Ok(url);
            }
        }
        let text = format!("{base}{path}");
        reqwest::Url::parse(&text).map_err(|e| {
            progenitor_client::Error::InvalidRequest(format!("the request URL is not valid: {e}"))
        })
    }

    /// The `Host` header for `url`, when it is this client's base URL's
    /// host and the server there last answered over HTTP/1: set before
    /// reqwest copies the request's headers, it saves hyper making the
    /// same value again (a `format!`) and growing the copied header map
    /// for it, which for a request with our headers is a reallocation
    /// past the allocator's fast path. Over HTTP/2 hyper sends the host as
    /// `:authority` alone, so until an answer shows HTTP/1 none is set.
    fn host_for(&self, url: &reqwest::Url) -> Option<HeaderValue> {
        if !self.own_host || !self.http1.0.load(std::sync::atomic::Ordering::Relaxed) {
            return None;
        }
        let base = self.base.get()?;
        let (base_url, _) = base.parsed.as_ref()?;
        (url.scheme() == base_url.scheme()
            && url.host_str() == base_url.host_str()
            && url.port() == base_url.port())
        .then(|| base.host.clone())
        .flatten()
    }

    /// Remembers whether an answer came over HTTP/1 (`None`: no answer).
    pub(crate) fn note_http1(&self, http1: Option<bool>) {
        use std::sync::atomic::Ordering::Relaxed;
        if let Some(http1) = http1
            && self.http1.0.load(Relaxed) != http1
        {
            self.http1.0.store(http1, Relaxed);
        }
    }

    /// The credential values, for scrubbing.
    pub(crate) fn secrets(&self) -> impl Iterator<Item = &str> {
        self.headers.iter().map(|(_, _, s, _)| s.expose_secret())
    }

    /// The value of one credential header, if set.
    pub(crate) fn value(&self, header: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(name, _, _, _)| name.as_str().eq_ignore_ascii_case(header))
            .map(|(_, _, secret, _)| secret.expose_secret())
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Auth");
        for (name, _, _, _) in &self.headers {
            d.field(name.as_str(), &REDACTED);
        }
        d.finish()
    }
}

/// Replaces every occurrence of any secret in `text` with `[redacted]`:
/// as is, percent-encoded (every non-alphanumeric byte, or all but
/// RFC 3986's unreserved `-._~`; either case; `+` for spaces) and
/// JSON-escaped (serde's way, with `\/`, with non-ASCII or `<>&` as
/// `\uXXXX`), the forms a server echoing it back would use. When a secret
/// can still be read from what is left (another encoder's choices, mixed
/// forms), the whole text becomes `[redacted]`: it is diagnostics, and
/// losing it beats showing a credential.
///
/// Secrets shorter than four characters are left alone: replacing them
/// would mangle ordinary text without protecting anything.
pub(crate) fn scrub<'s>(text: &str, secrets: impl IntoIterator<Item = &'s str>) -> String {
    let secrets: Vec<&str> = secrets.into_iter().filter(|s| s.len() >= 4).collect();
    // The common case, cheaply: ASCII text with nothing encoded in it can
    // hold a secret only as itself, in some case (`ß` upper-cased is `SS`).
    // A `+` is an encoded space, so it matters only to a secret with one
    // (a phone number's `+` keeps a listing on this path).
    let plus_matters = secrets.iter().any(|s| s.contains(' '));
    if text.is_ascii() && !text.contains(['%', '\\', '&']) && !(plus_matters && text.contains('+'))
    {
        let lowered = text.to_ascii_lowercase();
        let spelled = |s: &str| {
            lowered.contains(&s.to_ascii_lowercase())
                || (!s.is_ascii()
                    && cased_forms(s)
                        .iter()
                        .any(|cased| lowered.contains(&cased.to_ascii_lowercase())))
        };
        if !secrets.iter().any(|s| spelled(s)) {
            return text.to_string();
        }
    }
    let mut out = text.to_string();
    // Searched once per form, copied again only when a form was replaced.
    let mut lowered = out.to_ascii_lowercase();
    for secret in &secrets {
        for form in echoed_forms(secret) {
            // In any ASCII case: a server may echo a key upper-cased.
            if !lowered.contains(&form.to_ascii_lowercase()) {
                continue;
            }
            if let Some(replaced) = replace_ignoring_ascii_case(&out, &form) {
                out = replaced;
                lowered = out.to_ascii_lowercase();
            }
        }
    }
    if !secrets.is_empty() && still_readable(&out, &secrets) {
        return REDACTED.to_string();
    }
    out
}

/// `text` with every occurrence of `form`, in any ASCII case, replaced by
/// `[redacted]`; `None` when there is none. A `[redacted]` already there
/// is left whole (a secret like `REDA` would otherwise mangle it).
fn replace_ignoring_ascii_case(text: &str, form: &str) -> Option<String> {
    if form.is_empty() {
        return None;
    }
    if text.contains(REDACTED) {
        let mut changed = false;
        let parts: Vec<String> = text
            .split(REDACTED)
            .map(|part| match replace_ignoring_ascii_case(part, form) {
                Some(replaced) => {
                    changed = true;
                    replaced
                }
                None => part.to_string(),
            })
            .collect();
        return changed.then(|| parts.join(REDACTED));
    }
    // ASCII lower-casing keeps every byte where it is, so positions found
    // in the lowered copies are positions in `text`.
    let (haystack, needle) = (text.to_ascii_lowercase(), form.to_ascii_lowercase());
    let mut found = haystack.match_indices(&needle).peekable();
    found.peek()?;
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (at, _) in found {
        out.push_str(&text[last..at]);
        out.push_str(REDACTED);
        last = at + needle.len();
    }
    out.push_str(&text[last..]);
    Some(out)
}

/// Whether any secret can be read from `text` once percent-decoded or
/// JSON-unescaped (either, both, in either order), in any ASCII case.
fn still_readable(text: &str, secrets: &[&str]) -> bool {
    let secrets: Vec<String> = secrets.iter().map(|s| s.to_lowercase()).collect();
    let readable = |reading: &str| {
        let reading = reading.to_lowercase();
        secrets
            .iter()
            .any(|secret| reading.contains(secret.as_str()))
    };
    // In a case no form spelled (`Ü` in a mixed-case echo)...
    if !text.is_ascii() && readable(text) {
        return true;
    }
    // ...or once decoded. Plain text with nothing encoded in it was
    // checked form by form.
    if !text.contains(['%', '\\']) {
        // Nothing percent-encoded or JSON-escaped: of the readings, only
        // the HTML one and the form one (`+` as a space) differ from the
        // text itself, itself a reading once either decoder has work.
        return (text.contains(['&', '+']) && readable(text))
            || (text.contains('&') && readable(&html_unescape(text)))
            || (text.contains('+') && readable(&text.replace('+', " ")));
    }
    readings(text).iter().any(|r| readable(r))
}

/// `text` percent-decoded or JSON-unescaped (either, both, in either
/// order, or JSON-unescaped twice): what a server echoing a value in an
/// encoded form lets be read.
pub(crate) fn readings(text: &str) -> [String; 8] {
    let percent = |t: &str| {
        percent_encoding::percent_decode_str(t)
            .decode_utf8_lossy()
            .into_owned()
    };
    let json = json_unescape(text);
    [
        percent(text),
        percent(&text.replace('+', " ")),
        percent(&json),
        json_unescape(&percent(text)),
        // JSON text quoted inside a JSON string: escaped twice.
        json_unescape(&json),
        // An HTML page quoting it, as such or JSON-escaped.
        html_unescape(text),
        html_unescape(&json),
        json,
    ]
}

/// `text` with HTML's character references decoded: the five named ones
/// an escaper writes, and numeric ones (`&#39;`, `&#x27;`); anything else
/// is kept as it is.
fn html_unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        // A reference is short: look no further than its longest form
        // (`&#x10FFFF;`), so text full of `&` stays linear.
        let end = rest.as_bytes()[..rest.len().min(11)]
            .iter()
            .position(|b| *b == b';');
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => {
                    let number = name.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => number.parse().ok(),
                    };
                    code.and_then(char::from_u32)
                }
            };
            c.map(|c| (c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `text` with JSON string escapes decoded wherever they appear (`\uXXXX`,
/// surrogate pairs included, and the one-letter escapes); anything that is
/// not a valid escape is kept as it is.
fn json_unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let unit = |r: &str| {
            r.strip_prefix("\\u")
                .and_then(|h| h.get(..4))
                .and_then(|h| u16::from_str_radix(h, 16).ok())
        };
        if let Some(high) = unit(rest) {
            if (0xD800..0xDC00).contains(&high)
                && let Some(low) = unit(&rest[6..]).filter(|l| (0xDC00..0xE000).contains(l))
            {
                let code = 0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                out.extend(char::from_u32(code));
                rest = &rest[12..];
                continue;
            }
            match char::from_u32(u32::from(high)) {
                Some(c) => out.push(c),
                None => out.push_str(&rest[..6]),
            }
            rest = &rest[6..];
            continue;
        }
        let one = match rest.as_bytes().get(1) {
            Some(b'n') => Some('\n'),
            Some(b't') => Some('\t'),
            Some(b'r') => Some('\r'),
            Some(b'b') => Some('\u{8}'),
            Some(b'f') => Some('\u{c}'),
            Some(b'/') => Some('/'),
            Some(b'"') => Some('"'),
            Some(b'\\') => Some('\\'),
            _ => None,
        };
        match one {
            Some(c) => {
                out.push(c);
                rest = &rest[2..];
            }
            None => {
                out.push('\\');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A secret as a server may echo it, longest first.
/// `text` as a JSON string's contents (escaped, without the quotes).
fn unquoted_json(text: &str) -> String {
    let json = serde_json::to_string(text).unwrap_or_default();
    json.strip_prefix('"')
        .and_then(|j| j.strip_suffix('"'))
        .unwrap_or(text)
        .to_string()
}

fn echoed_forms(secret: &str) -> Vec<String> {
    let every = percent_encoding::utf8_percent_encode(secret, percent_encoding::NON_ALPHANUMERIC)
        .to_string();
    let unreserved = percent_encoding::utf8_percent_encode(secret, SEGMENT).to_string();
    let json = unquoted_json(secret);
    let html = |c: char| matches!(c, '<' | '>' | '&');
    let mut forms = vec![secret.to_string()];
    for percent in [every, unreserved] {
        let lower = lower_hex(&percent);
        forms.push(lower.replace("%20", "+"));
        forms.push(lower);
        forms.push(percent.replace("%20", "+"));
        forms.push(percent);
    }
    let mut escaped = vec![json.clone()];
    for upper in [false, true] {
        escaped.push(escape_json_chars(&json, |c| !c.is_ascii(), upper));
        escaped.push(escape_json_chars(&json, html, upper));
        escaped.push(escape_json_chars(
            &json,
            |c| !c.is_ascii() || html(c),
            upper,
        ));
    }
    // The JSON form quoted again (a server echoing a request's JSON text
    // inside a JSON string), and Rust's `Debug` quoting (serde's error
    // messages quote a value so: `\u{301}`).
    escaped.push(unquoted_json(&json));
    let debug = format!("{secret:?}");
    forms.push(debug[1..debug.len() - 1].to_string());
    for escaped in escaped {
        forms.push(escaped.replace('/', "\\/"));
        forms.push(escaped);
    }
    // Upper- or lower-cased beyond ASCII (`ü` as `Ü`), and HTML-escaped
    // (an error page quoting it), each way its apostrophe may be written.
    forms.extend(cased_forms(secret));
    for apostrophe in ["&#39;", "&#x27;", "&apos;"] {
        forms.push(
            secret
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
                .replace('\'', apostrophe),
        );
    }
    // Longest first (a form inside a longer one is replaced after it);
    // equal ones side by side, so each is searched once.
    forms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    forms.dedup();
    forms
}

/// `secret` in another case beyond ASCII: upper, lower, and folded
/// character by character. One list for the plain path's check and the
/// full path's forms, so neither can miss what the other catches.
fn cased_forms(secret: &str) -> [String; 3] {
    [
        secret.to_uppercase(),
        secret.to_lowercase(),
        ascii_folded(secret),
    ]
}

/// `secret` with each character that has an ASCII case form written so
/// (the Kelvin sign as `k`, `ß` as `ss`), character by character: a mixed
/// echo that neither whole-string case mapping spells (`Keyß` as `keyss`).
fn ascii_folded(secret: &str) -> String {
    let mut out = String::with_capacity(secret.len());
    for c in secret.chars() {
        let lower: String = c.to_lowercase().collect();
        if lower.is_ascii() {
            out.push_str(&lower);
            continue;
        }
        let upper: String = c.to_uppercase().collect();
        if upper.is_ascii() {
            out.push_str(&upper.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// JSON text with the characters `escape` picks written as `\\uXXXX`
/// (UTF-16, so a surrogate pair beyond the first plane), in lower or
/// upper case hex: Python's `ensure_ascii`, Go's HTML-safe escaping.
fn escape_json_chars(json: &str, escape: impl Fn(char) -> bool, upper: bool) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if !escape(c) {
            out.push(c);
            continue;
        }
        let mut units = [0u16; 2];
        for unit in c.encode_utf16(&mut units) {
            if upper {
                out.push_str(&format!("\\u{unit:04X}"));
            } else {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// `%2F` → `%2f`.
fn lower_hex(percent: &str) -> String {
    let mut out = String::with_capacity(percent.len());
    let mut chars = percent.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '%' {
            out.extend(chars.by_ref().take(2).map(|h| h.to_ascii_lowercase()));
        }
    }
    out
}

/// Pre-send hook: adds the credentials and the call's idempotency key.
pub fn before_send(auth: &Auth, request: &mut reqwest::Request, info: &OperationInfo) {
    let host = auth.host_for(request.url());
    let headers = request.headers_mut();
    // A facade attempt says which credentials its operation leaves out; a
    // raw call works it out from the operation's `security`.
    let left_out = scope::apply_call_headers(headers);
    let skip = match left_out {
        Some(skip) => skip,
        None => auth.raw_left_out(info.operation_id),
    };
    for (name, value, _, bit) in &auth.headers {
        if bit & skip == 0 {
            headers.insert(name.clone(), value.clone());
        }
    }
    if let Some(host) = host {
        headers.insert(reqwest::header::HOST, host);
    }
    if left_out.is_none() && request.timeout().is_none() {
        // A raw call: no attempt timeout around it, so reqwest bounds it,
        // every byte of the body included.
        *request.timeout_mut() = Some(auth.raw_timeout.unwrap_or(crate::DEFAULT_TIMEOUT));
    }
}

/// The HTTP client a generated `Client::new` uses: ours, never reqwest's
/// defaults (which follow redirects). Timeouts are per call, not per
/// client: the facade bounds each attempt, [`before_send`] bounds raw calls.
pub fn default_http_client() -> reqwest::Client {
    crate::config::http_client_builder()
        .build()
        .expect("a reqwest client with rustls and no custom roots always builds")
}

/// Characters kept as they are in a path segment: RFC 3986 "unreserved".
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Why `value` cannot be one path segment, if it cannot.
pub(crate) fn segment_rule(value: &str) -> Option<&'static str> {
    match value {
        "" => Some("must not be empty"),
        "." | ".." => Some("must not be `.` or `..` (a URL parser would move to another path)"),
        _ => None,
    }
}

/// Percent-encodes everything but RFC 3986 "unreserved" characters.
/// Borrows `value` when nothing needs encoding (the common case: no copy).
pub(crate) fn encode_segment(value: &str) -> std::borrow::Cow<'_, str> {
    percent_encoding::utf8_percent_encode(value, SEGMENT).into()
}

/// Encodes one path parameter so it stays exactly one segment: everything
/// but letters, digits and `-._~` is percent-encoded (`/`, `\`, `?`, `#`,
/// `%` included), and the two values no encoding can keep in place (`.`,
/// `..`) and the empty string are refused.
///
/// The generated code calls this for every path parameter of every
/// operation; `name` is the parameter's name in the spec.
///
/// ```
/// use payusers::transport::path_segment;
/// assert_eq!(path_segment::<()>("id", r"x\..\y").unwrap(), "x%5C..%5Cy");
/// assert_eq!(path_segment::<()>("id", "a/b?c#d").unwrap(), "a%2Fb%3Fc%23d");
/// assert!(path_segment::<()>("id", "..").is_err());
/// ```
#[allow(clippy::result_large_err)] // the generated methods' own error type
pub fn path_segment<'v, E>(
    name: &'static str,
    value: &'v str,
) -> Result<std::borrow::Cow<'v, str>, progenitor_client::Error<E>> {
    match segment_rule(value) {
        None => Ok(encode_segment(value)),
        Some(rule) => {
            scope::note_invalid(name, rule);
            Err(progenitor_client::Error::InvalidRequest(format!(
                "path parameter `{name}` {rule}"
            )))
        }
    }
}

/// Decodes a JSON response as `progenitor_client::ResponseValue::from_response`
/// does (same status, headers, body and errors), moving the headers out of
/// the response instead of cloning them. The generated code calls this for
/// every documented JSON response of every operation.
///
/// The body is read chunk by chunk rather than with `bytes()`, whose future
/// (reqwest's own over http-body's `Collect`) held a second copy of the
/// response; one chunk (the usual body) is kept as it is, more are joined,
/// as `Collect` does. An `async` block, not an `async fn`: the latter keeps
/// its by-value `response` twice in its state (rust-lang/rust#62958), and
/// no `?` across an `.await`, whose temporary would stay there too.
#[allow(clippy::manual_async_fn)]
pub(crate) fn response_value<T, E>(
    mut response: reqwest::Response,
) -> impl Future<Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>>
where
    T: serde::de::DeserializeOwned,
{
    async move {
        let status = response.status();
        // Reading the body needs no header: the decoders were chosen when
        // the response arrived.
        let headers = std::mem::take(response.headers_mut());
        let mut full = bytes::Bytes::new();
        let mut joined: Option<bytes::BytesMut> = None;
        loop {
            let chunk = match response.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(e) => return Err(progenitor_client::Error::ResponseBodyError(e)),
            };
            match &mut joined {
                Some(all) => all.extend_from_slice(&chunk),
                None if full.is_empty() => full = chunk,
                None => {
                    let mut all = bytes::BytesMut::with_capacity(full.len() + chunk.len());
                    all.extend_from_slice(&full);
                    all.extend_from_slice(&chunk);
                    joined = Some(all);
                }
            }
        }
        if let Some(all) = joined {
            full = all.freeze();
        }
        match serde_json::from_slice(&full) {
            Ok(inner) => Ok(progenitor_client::ResponseValue::new(
                inner, status, headers,
            )),
            Err(e) => Err(progenitor_client::Error::InvalidResponsePayload(full, e)),
        }
    }
}

/// Whether `err` is an HTTP/2 server's word that it did not process the
/// request: the stream refused (`REFUSED_STREAM`), or the connection
/// closed gracefully (`GOAWAY` with `NO_ERROR`) before it. These are what
/// reqwest's own retry resends, which our HTTP client turns off
/// ([`crate::http_client_builder`]).
pub(crate) fn refused_unprocessed(err: &reqwest::Error) -> bool {
    let mut cause = std::error::Error::source(err);
    while let Some(e) = cause {
        if let Some(h2) = e.downcast_ref::<h2::Error>() {
            return h2.is_remote()
                && ((h2.is_reset() && h2.reason() == Some(h2::Reason::REFUSED_STREAM))
                    || (h2.is_go_away() && h2.reason() == Some(h2::Reason::NO_ERROR)));
        }
        cause = e.source();
    }
    false
}

/// Response headers that carry a request id, in the order we look for them.
const REQUEST_ID_HEADERS: [&str; 4] = [
    "x-request-id",
    "request-id",
    "x-correlation-id",
    "x-amzn-requestid",
];

/// The request id a response carried, if any.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
    // The first that says something: an empty (or unreadable) one gives
    // way to the next header.
    REQUEST_ID_HEADERS
        .iter()
        .filter_map(|h| headers.get(*h))
        .filter_map(|v| v.to_str().ok())
        .map(str::trim)
        .find(|id| !id.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_request_id_gives_way_to_the_next_header() {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", HeaderValue::from_static(" "));
        headers.insert("request-id", HeaderValue::from_static("req-7"));
        assert_eq!(request_id(&headers).as_deref(), Some("req-7"));
        headers.remove("request-id");
        assert_eq!(request_id(&headers), None);
    }

    /// What hyper's client sets as `Host` for an HTTP/1 request (the
    /// rule of `hyper_util`'s legacy client, restated): the URI's host,
    /// with `:port` unless the port is the scheme's default.
    fn hyper_host(uri: &http::Uri) -> String {
        let host = uri.host().unwrap();
        let secure = uri.scheme_str() == Some("https");
        match (uri.port_u16(), secure) {
            (Some(443), true) | (Some(80), false) | (None, _) => host.to_string(),
            (Some(port), _) => format!("{host}:{port}"),
        }
    }

    #[test]
    fn the_host_made_once_is_the_one_hyper_would_make() {
        for base in [
            "http://127.0.0.1:8080",
            "http://127.0.0.1:80/",
            "https://api.example.com",
            "https://api.example.com:443/v2/",
            "https://API.Example.COM:8443/prefix",
            "http://api.example.com:443",
            "https://api.example.com:80",
            "http://[::1]:9000/",
            "https://[2001:db8::1]",
            "http://xn--bcher-kva.example",
            "https://bücher.example/",
        ] {
            let cached = BaseUrl::new(base);
            let (url, _) = cached.parsed.as_ref().expect(base);
            // What reqwest hands hyper: the URL as text, parsed as a URI.
            let uri: http::Uri = url.as_str().parse().unwrap();
            assert_eq!(
                cached.host.as_ref().map(|h| h.to_str().unwrap()),
                Some(hyper_host(&uri).as_str()),
                "{base}"
            );
        }
    }

    #[test]
    fn a_host_is_set_only_for_the_base_url_after_an_answer_over_http1() {
        let auth = Auth::new().preset_host();
        let base = "http://127.0.0.1:8080/api";
        let url = auth.url::<()>(base, format_args!("/users/x")).unwrap();
        assert_eq!(auth.host_for(&url), None, "nothing known yet");
        auth.note_http1(Some(true));
        assert_eq!(auth.host_for(&url).unwrap(), "127.0.0.1:8080");
        for other in [
            "http://127.0.0.1:8081/api/users/x",
            "https://127.0.0.1:8080/api/users/x",
            "http://localhost:8080/api/users/x",
        ] {
            let other = reqwest::Url::parse(other).unwrap();
            assert_eq!(auth.host_for(&other), None, "{other}");
        }
        auth.note_http1(None);
        assert!(auth.host_for(&url).is_some(), "no answer changes nothing");
        auth.note_http1(Some(false));
        assert_eq!(auth.host_for(&url), None, "an HTTP/2 answer: none");

        // A client of the user's own may carry a default `Host`: never set one.
        let theirs = Auth::new();
        let url = theirs.url::<()>(base, format_args!("/users/x")).unwrap();
        theirs.note_http1(Some(true));
        assert_eq!(theirs.host_for(&url), None);
    }

    #[test]
    fn secrets_are_scrubbed_in_every_form_and_text_that_still_shows_one_goes_whole() {
        let secret = "ab/cd_ef ü";
        for echoed in [
            "ab/cd_ef ü",
            "ab%2Fcd%5Fef%20%C3%BC",
            "ab%2fcd_ef+%c3%bc",
            r"ab\/cd_ef \u00fc",
            r"ab/cd_ef \u00FC",
        ] {
            let text = format!("k={echoed}; rest");
            assert_eq!(scrub(&text, [secret]), "k=[redacted]; rest", "{echoed}");
        }
        // Any ASCII case, the hex digits' or the secret's own (a server may
        // upper-case a key it echoes), is one form.
        for cased in ["ab%2fcd%5Fef%20%C3%BC", "AB/CD_EF ü", "Ab%2FCd_eF+%c3%BC"] {
            assert_eq!(
                scrub(&format!("k={cased}; r"), [secret]),
                "k=[redacted]; r",
                "{cased}"
            );
        }
        // A marker already there is not taken for a secret's letters.
        assert_eq!(
            scrub("[redacted] REDACTED reda", ["REDA"]),
            "[redacted] [redacted]CTED [redacted]"
        );
        // Mixed encodings match no form: the text goes whole.
        for mixed in [r"ab%2Fcd_ef \u00fc", r"AB%2FCD_EF \u00FC"] {
            assert_eq!(scrub(&format!("k={mixed}"), [secret]), REDACTED, "{mixed}");
        }
        // Cased beyond ASCII: as a whole, replaced in place; mixed, the
        // text goes whole.
        let pwd = "pässwörd_geheim_ü1";
        assert_eq!(
            scrub("password PÄSSWÖRD_GEHEIM_Ü1 too weak", [pwd]),
            "password [redacted] too weak"
        );
        assert_eq!(scrub("pw pÄsswörd_geheim_Ü1", [pwd]), REDACTED);
        // HTML-escaped (an error page quoting it), each apostrophe spelling;
        // mixed with other escapes, the text goes whole.
        let html = "Tr0ub4dor&3<xyz>'s";
        for echoed in [
            "Tr0ub4dor&amp;3&lt;xyz&gt;&#39;s",
            "Tr0ub4dor&amp;3&lt;xyz&gt;&#x27;s",
            "TR0UB4DOR&amp;3&lt;XYZ&gt;&apos;S",
        ] {
            assert_eq!(
                scrub(&format!("<p>pwd={echoed}</p>"), [html]),
                "<p>pwd=[redacted]</p>",
                "{echoed}"
            );
        }
        assert_eq!(
            scrub("pwd=Tr0ub4dor&#38;3&#60;xyz&#62;'s", [html]),
            REDACTED
        );
        assert_eq!(
            html_unescape("&lt;a&gt; &amp;amp; &#x1F511; &#39; &bogus; & x"),
            "<a> &amp; 🔑 ' &bogus; & x"
        );
        // Text that shows no secret, encoded or not, is kept as it is.
        let plain = r"100% sure: a\nb \ud83d\udd11 + c";
        assert_eq!(scrub(plain, [secret, "s3cr3t"]), plain);
        assert_eq!(
            json_unescape(r"\ud83d\udd11 \u00e9 \ud800 \q"),
            "🔑 é \\ud800 \\q"
        );
    }

    #[test]
    fn segments_never_escape() {
        for (input, encoded) in [
            ("user_abc123", "user_abc123"),
            (r"x\..\user_xyz789", "x%5C..%5Cuser_xyz789"),
            ("../x", "..%2Fx"),
            ("%2e%2e", "%252e%252e"),
            ("a b", "a%20b"),
            ("ü", "%C3%BC"),
        ] {
            assert_eq!(path_segment::<()>("id", input).unwrap(), encoded);
        }
        for bad in ["", ".", ".."] {
            assert!(path_segment::<()>("id", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn credentials_go_on_each_request_as_sensitive_values() {
        let auth = Auth::new()
            .header("api-key", "k123".into())
            .unwrap()
            .header("Secret-Key", "s456".into())
            .unwrap();
        let url = reqwest::Url::parse("http://127.0.0.1:1/x").unwrap();
        let info = OperationInfo { operation_id: "x" };
        for _ in 0..2 {
            let mut request = reqwest::Request::new(reqwest::Method::GET, url.clone());
            before_send(&auth, &mut request, &info);
            let headers = request.headers();
            for (name, value) in [("api-key", "k123"), ("secret-key", "s456")] {
                let sent = &headers[name];
                assert_eq!(sent, value, "{name}");
                assert!(sent.is_sensitive(), "{name} must stay sensitive");
                assert!(!format!("{sent:?}").contains(value), "{name}: {sent:?}");
            }
            assert_eq!(headers.len(), 2);
        }
        assert!(Auth::new().header("bad name", "v".into()).is_err());
        assert!(Auth::new().header("api-key", "line\nbreak".into()).is_err());
    }

    /// `Auth::url` builds exactly the URL a full parse of `{base}{path}`
    /// gives, for every kind of base, cached or not.
    #[test]
    fn urls_match_a_full_parse() {
        let bases = [
            "http://127.0.0.1:8080",
            "http://127.0.0.1:8080/",
            "https://api.payabli.com/api",
            "https://h.example/api/",
            "https://h.example/a%20b",
            "http://[::1]:9",
            "https://H.Example:443",
            "https://h.example?x=1",
            "https://h.example#f",
            "mailto:x",
            "not a url",
            "",
        ];
        let paths = [
            "/api/v1/users/",
            "/User/a%2Fb%5C..",
            "/x?y=1",
            "/a#b",
            "/",
            "",
            "rel",
            "/%2e%2e/x",
            "/ü",
        ];
        let other = Auth::new();
        let _ = other.url::<()>("https://cached.example", format_args!("/"));
        for base in bases {
            let auth = Auth::new();
            for path in paths {
                let expected = reqwest::Url::parse(&format!("{base}{path}")).ok();
                for (which, got) in [
                    ("fresh", auth.url::<()>(base, format_args!("{path}")).ok()),
                    (
                        "cached for another base",
                        other.url::<()>(base, format_args!("{path}")).ok(),
                    ),
                ] {
                    assert_eq!(got, expected, "{which}: {base:?} + {path:?}");
                }
            }
        }
    }

    /// `response_value` answers exactly as progenitor's `from_response`:
    /// value, status and every header, or the same error with the body.
    #[tokio::test]
    async fn responses_decode_as_progenitor_decodes_them() {
        let response = |body: &'static str| {
            reqwest::Response::from(
                http::Response::builder()
                    .status(201)
                    .header("x-request-id", "r-1")
                    .header("content-type", "application/json")
                    .body(body)
                    .unwrap(),
            )
        };
        let value = response_value::<serde_json::Value, ()>(response(r#"{"id":7}"#))
            .await
            .unwrap();
        let expected = progenitor_client::ResponseValue::<serde_json::Value>::from_response::<()>(
            response(r#"{"id":7}"#),
        )
        .await
        .unwrap();
        assert_eq!(value.status(), expected.status());
        assert_eq!(value.headers(), expected.headers());
        assert_eq!(value.headers()["x-request-id"], "r-1");
        assert_eq!(*value, serde_json::json!({"id": 7}));
        // A body in several frames decodes as one.
        let frames = futures_util::stream::iter(["{\"id\"", ":", "7}"].map(|f| {
            Ok::<_, std::io::Error>(http_body::Frame::data(bytes::Bytes::from_static(
                f.as_bytes(),
            )))
        }));
        let framed = reqwest::Response::from(
            http::Response::builder()
                .status(200)
                .body(reqwest::Body::wrap(http_body_util::StreamBody::new(frames)))
                .unwrap(),
        );
        let value = response_value::<serde_json::Value, ()>(framed)
            .await
            .unwrap();
        assert_eq!(*value, serde_json::json!({"id": 7}));
        match response_value::<serde_json::Value, ()>(response("{not json")).await {
            Err(progenitor_client::Error::InvalidResponsePayload(body, _)) => {
                assert_eq!(&body[..], b"{not json");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn scrubbing() {
        assert_eq!(
            scrub("key k123 and k123", ["k123"]),
            "key [redacted] and [redacted]"
        );
        assert_eq!(scrub("a b", ["a"]), "a b");
    }

    #[test]
    fn scrubbing_on_the_plain_ascii_path() {
        // A `+` (a phone number) beside a secret, as such or in another case.
        assert_eq!(
            scrub(r#"{"phone":"+232","note":"K123-X"}"#, ["k123-x"]),
            r#"{"phone":"+232","note":"[redacted]"}"#
        );
        // A secret with a space, echoed form-encoded: `+` for the space.
        assert_eq!(scrub("q=open+sesame+1", ["open sesame 1"]), "q=[redacted]");
        // Upper-cased beyond ASCII into ASCII: `ß` is `SS`, the Kelvin sign `k`.
        assert_eq!(scrub("key PASSWORT9", ["paßwort9"]), "key [redacted]");
        assert_eq!(scrub("id kelvin42", ["\u{212a}elvin42"]), "id [redacted]");
        // Both at once, which neither whole-string case mapping spells.
        assert_eq!(scrub("id keyss12", ["\u{212a}eyß12"]), "id [redacted]");
        assert_eq!(scrub("id KEYSS12 &", ["\u{212a}eyß12"]), "id [redacted] &");
        // Nothing to find: the text comes back as it was.
        let listing = r#"[{"name":"Ann","phone_number":"+23279000001"}]"#;
        assert_eq!(scrub(listing, ["sk_live_123456"]), listing);
    }
}
