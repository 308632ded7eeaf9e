//! Rules every client shares: base URLs, credentials from the
//! environment, the user agent and the HTTP client.

use crate::error::Error;
use secrecy::SecretString;
use std::time::Duration;

/// How long a connection may take to open.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The `User-Agent` every request carries.
pub const USER_AGENT: &str = concat!("payusers/", env!("CARGO_PKG_VERSION"));

/// A `reqwest::ClientBuilder` set up the way payusers needs: rustls, our user
/// agent, a connect timeout, and **no redirects** (a redirect would
/// carry `api-key`, `secret-key` or `requestToken` to whatever origin it
/// names). Start from this when you supply your own client. It needs no
/// read timeout: every facade attempt is bounded, every byte included, and
/// so is every raw generated call (see [`crate::transport::Auth::raw_timeout`]).
/// reqwest's own retry is off: an HTTP/2 request the server refused
/// unprocessed is retried by the call like any request that never reached
/// the server ([`Error::never_reached_server`]), and a raw call returns it.
///
/// ```
/// let http = payusers::http_client_builder().pool_max_idle_per_host(4).build().unwrap();
/// let hpay = payusers::HostPay::builder()
///     .api_key("key").secret_key("hpay_test_secret")
///     .http_client(http)
///     .build()
///     .unwrap();
/// # let _ = hpay;
/// ```
pub fn http_client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        // Static: reqwest clones it into every request, and a clone of a
        // static value writes no shared reference count (one from a `&str`
        // does, from every core at once under load).
        .user_agent(reqwest::header::HeaderValue::from_static(USER_AGENT))
        .redirect(reqwest::redirect::Policy::none())
        // reqwest's own retry resends an HTTP/2 request the server refused
        // unprocessed (REFUSED_STREAM, a graceful GOAWAY), and to be able
        // to, copies every request's headers and extensions first (−1.4k
        // instructions and −30 to −60 L1 misses a request without it, by
        // cachegrind). Calls retry those themselves, as never having
        // reached the server (`Error::never_reached_server`); a raw call
        // returns them as a connection error.
        .retry(reqwest::retry::never().max_retries_per_request(0))
        .connect_timeout(CONNECT_TIMEOUT)
        .tcp_nodelay(true)
}

/// Checks a base URL: absolute, `https` unless the host is loopback, no query
/// or fragment. Returns it without a trailing slash.
pub(crate) fn check_base_url(url: &str) -> Result<String, Error> {
    let bad = |reason: String| Error::Config {
        setting: "base_url",
        reason,
    };
    // Never echo the URL before knowing it carries no credentials.
    let parsed = reqwest::Url::parse(url).map_err(|e| bad(format!("is not a URL: {e}")))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(bad(
            "must not embed user info; pass credentials to the builder".into(),
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(bad("must not carry a query or fragment".into()));
    }
    let loopback = match parsed.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => return Err(bad(format!("`{url}` has no host"))),
    };
    match parsed.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(bad(format!(
                "`{url}` uses plain http; only https is allowed (http only for loopback hosts such as the mock)"
            )));
        }
        other => return Err(bad(format!("`{url}` has scheme `{other}`; use https"))),
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// Reads a required secret from the environment.
pub(crate) fn secret_from_env(var: &'static str) -> Result<SecretString, Error> {
    match std::env::var(var) {
        Ok(v) if !v.trim().is_empty() => Ok(SecretString::from(v)),
        Ok(_) => Err(Error::Config {
            setting: var,
            reason: "is set but empty".into(),
        }),
        Err(std::env::VarError::NotPresent) => Err(Error::Config {
            setting: var,
            reason: "is not set".into(),
        }),
        Err(std::env::VarError::NotUnicode(_)) => Err(Error::Config {
            setting: var,
            reason: "is not valid UTF-8".into(),
        }),
    }
}

/// Requires a credential to be present and usable as a header value.
pub(crate) fn require(
    value: Option<SecretString>,
    setting: &'static str,
) -> Result<SecretString, Error> {
    use secrecy::ExposeSecret;
    let value = value.ok_or(Error::Config {
        setting,
        reason: "is missing".into(),
    })?;
    let s = value.expose_secret();
    if s.trim().is_empty() {
        return Err(Error::Config {
            setting,
            reason: "is empty".into(),
        });
    }
    if reqwest::header::HeaderValue::from_str(s).is_err() {
        return Err(Error::Config {
            setting,
            reason: "contains characters not allowed in an HTTP header".into(),
        });
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_info_and_queries_are_never_echoed() {
        for url in [
            "http://admin:supersecretpw@example.com",
            "https://admin:supersecretpw@x.example",
            "ftp://admin:supersecretpw@x.example",
            "https://x.example/?token=supersecretpw",
        ] {
            let err = check_base_url(url).unwrap_err().to_string();
            assert!(!err.contains("supersecretpw"), "{err}");
        }
    }

    #[test]
    fn base_urls() {
        assert_eq!(
            check_base_url("https://x.example/api/").unwrap(),
            "https://x.example/api"
        );
        assert!(check_base_url("http://127.0.0.1:4010/hpay").is_ok());
        assert!(check_base_url("http://localhost:4010").is_ok());
        assert!(check_base_url("http://[::1]:80").is_ok());
        for bad in [
            "http://example.com",
            "ftp://x.example",
            "not a url",
            "https://x.example/?a=1",
            "https://u:p@x.example",
        ] {
            let err = check_base_url(bad).unwrap_err().to_string();
            assert!(err.contains("base_url"), "{bad}: {err}");
        }
    }
}
