//! [`Client`] and [`ClientBuilder`]: one client type for every spec.

use super::call::{Call, CallOptions, Ops};
use super::spec::{EnvironmentInfo, Operation, OperationMeta, Spec, SpecInfo, Target};
use crate::config;
use crate::error::{Error, Provider};
use crate::limit::{Rate, RateLimiter};
use crate::retry::RetryPolicy;
use crate::transport::{Auth, CallSettings};
use progenitor_client::ClientInfo;
use reqwest::header::{HeaderName, HeaderValue};
use secrecy::SecretString;
use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

/// Default per-attempt timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default bound on a whole call, retries and waits included.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(120);
/// Default cap on a success body (32 MiB).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// Settings every call of a client starts from.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    pub(crate) timeout: Duration,
    pub(crate) deadline: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_bytes: usize,
    pub(crate) limiter: RateLimiter,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            timeout: DEFAULT_TIMEOUT,
            deadline: DEFAULT_DEADLINE,
            retry: RetryPolicy::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            limiter: RateLimiter::unpaced(),
        }
    }
}

/// A client for one spec: `payusers::HostPay`, `payusers::Payabli`, or
/// `payusers::generated::<name>::Api` for any `openapi/<name>.yaml`.
///
/// Cheap to clone (clones share the connection pool and the rate limiter);
/// build one per application.
///
/// ```
/// let hpay = payusers::HostPay::builder().api_key("k").secret_key("hpay_test_s").build()?;
/// let debug = format!("{hpay:?}");
/// assert!(debug.contains("[redacted]") && !debug.contains("hpay_test_s"));
/// # Ok::<(), payusers::Error>(())
/// ```
pub struct Client<S: Spec> {
    raw: S::Raw,
    info: &'static SpecInfo,
    provider: Provider,
    settings: Settings,
}

impl<S: Spec> Clone for Client<S> {
    fn clone(&self) -> Self {
        Client {
            raw: self.raw.clone(),
            info: self.info,
            provider: self.provider,
            settings: self.settings.clone(),
        }
    }
}

impl<S: Spec> fmt::Debug for Client<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("provider", &self.provider)
            .field("base_url", &self.base_url())
            .field("auth", self.auth())
            .field("timeout", &self.settings.timeout)
            .field("deadline", &self.settings.deadline)
            .field("retry", &self.settings.retry)
            .field("limiter", &self.settings.limiter)
            .finish()
    }
}

impl<S: Spec> Client<S> {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder<S> {
        ClientBuilder::for_info(S::info())
    }

    /// A client for the default environment, with credentials (and the
    /// base URL, when the spec names a variable for it) from the environment.
    ///
    /// ```
    /// // With the variables unset, the error names the first one missing.
    /// # unsafe { std::env::remove_var("HOST_PAY_API_KEY") };
    /// let err = payusers::HostPay::from_env().unwrap_err();
    /// assert!(err.to_string().contains("HOST_PAY_API_KEY"));
    /// ```
    pub fn from_env() -> Result<Self, Error> {
        Self::builder().from_env()?.build()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.raw.baseurl()
    }

    /// The generated client underneath, already carrying the credentials
    /// (calls on it get credentials, safe path encoding and body caps, but
    /// not retries or typed errors: prefer [`ops`](Self::ops)).
    pub fn raw(&self) -> &S::Raw {
        &self.raw
    }

    /// What the spec says about this provider.
    pub fn info(&self) -> &'static SpecInfo {
        self.info
    }

    /// The provider, as errors name it.
    pub fn provider(&self) -> Provider {
        self.provider
    }

    /// The rate limiter every call of this client (and its clones) shares.
    pub fn rate_limiter(&self) -> &RateLimiter {
        &self.settings.limiter
    }

    /// Every operation of the spec, with the whole facade: retries,
    /// deadlines, typed errors, tracing. `client.ops().get_user("id").send()`.
    pub fn ops(&self) -> Ops<'_, S> {
        Ops::new(self)
    }

    /// Sends any operation value of this spec (an `ops::<Name>` struct).
    pub fn call<O: Operation<Spec = S>>(&self, op: O) -> Call<'_, O> {
        Call::new(self, op)
    }

    /// `text` with this client's credentials replaced by `[redacted]`, in
    /// every form errors are scrubbed of (percent-encoded, JSON- or
    /// HTML-escaped, in another case): for showing what a server answered,
    /// which a misbehaving one may make an echo of them.
    pub fn redact(&self, text: &str) -> String {
        crate::transport::scrub(text, self.auth().secrets())
    }

    pub(crate) fn auth(&self) -> &Auth {
        self.raw.inner()
    }

    /// The whole-call deadline a call without its own gets.
    pub(crate) fn default_deadline(&self) -> Duration {
        self.settings.deadline
    }

    /// The settings of one call of `op` with `options` applied.
    pub(crate) fn call_settings(
        &self,
        op: &'static OperationMeta,
        options: &CallOptions,
    ) -> Result<CallSettings<'_>, Error> {
        let mut retry = options.retry.unwrap_or(self.settings.retry);
        if let Some(n) = options.max_retries {
            retry = retry.max_retries(n);
        }
        let call_header = match &options.idempotency_key {
            None => None,
            Some(key) => {
                let invalid = |rule: String| Error::Validation {
                    field: "idempotency_key",
                    rule,
                    context: crate::error::Context::new(self.provider, op.id),
                };
                let header = self.info.idempotency_header.ok_or_else(|| {
                    invalid("this provider's spec declares no idempotency header".into())
                })?;
                // A key the server can tell apart from no key, and a header
                // value as sent: an empty or blank one would make the call
                // retry-safe with nothing to deduplicate it by.
                if key.is_empty() {
                    return Err(invalid("must not be empty".into()));
                }
                if !key.bytes().all(|b| b.is_ascii_graphic()) {
                    return Err(invalid(
                        "must be visible ASCII only (no spaces or control characters)".into(),
                    ));
                }
                let value = HeaderValue::from_str(key)
                    .map_err(|_| invalid("must be visible ASCII".into()))?;
                let name = HeaderName::from_bytes(header.as_bytes())
                    .map_err(|_| invalid(format!("`{header}` is not a header name")))?;
                Some(Box::new((name, value)))
            }
        };
        let skip_credentials = self.credentials_left_out(op)?;
        Ok(CallSettings {
            provider: self.provider,
            operation: op.id,
            skip_credentials,
            timeout: options.timeout.unwrap_or(self.settings.timeout),
            deadline: options.deadline.unwrap_or(self.settings.deadline),
            ends: options.ends,
            retry,
            retry_safe: op.retry_safe() || call_header.is_some(),
            call_header,
            max_body: self.settings.max_response_bytes,
            info: self.info,
            limiter: &self.settings.limiter,
        })
    }
}

impl<S: Spec> Client<S> {
    /// The set credentials a call of `op` leaves out (usually none), or
    /// the error naming the one it needs and the client lacks.
    fn credentials_left_out(&self, op: &'static OperationMeta) -> Result<u32, Error> {
        super::spec::credentials_left_out(op.security, self.auth().set()).map_err(|missing| {
            Error::Config {
                setting: missing
                    .and_then(|i| self.info.credentials.get(i))
                    .map_or("credentials", |c| c.setter),
                reason: format!(
                    "is needed by `{}` (its `security`) and was not set on this client",
                    op.id
                ),
            }
        })
    }
}

/// Configures a [`Client`]; finish with [`build`](Self::build).
pub struct ClientBuilder<S: Spec> {
    info: &'static SpecInfo,
    credentials: Vec<Option<SecretString>>,
    target: Option<Target>,
    /// The spec's base-URL variable, read by `from_env`: it replaces a
    /// named environment's URL (never its credential rules), and gives way
    /// to a URL set with `base_url`.
    env_url: Option<String>,
    settings: Settings,
    http: Option<reqwest::Client>,
    user_agent: Option<String>,
    _spec: PhantomData<fn() -> S>,
}

impl<S: Spec> fmt::Debug for ClientBuilder<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ClientBuilder");
        for (cred, value) in self.info.credentials.iter().zip(&self.credentials) {
            d.field(
                cred.setter,
                &value.as_ref().map(|_| crate::secret::REDACTED),
            );
        }
        d.field("target", &self.target)
            .field("base_url_from_env", &self.env_url.is_some())
            .field("settings", &self.settings)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

impl<S: Spec> ClientBuilder<S> {
    /// A builder for the spec `info` describes (the typed builders call this
    /// with their own spec; `payusers api` with any bundled one).
    pub fn for_info(info: &'static SpecInfo) -> Self {
        ClientBuilder {
            info,
            credentials: vec![None; info.credentials.len()],
            target: None,
            env_url: None,
            settings: Settings::default(),
            http: None,
            user_agent: None,
            _spec: PhantomData,
        }
    }

    pub(crate) fn set_credential(mut self, index: usize, value: SecretString) -> Self {
        if let Some(slot) = self.credentials.get_mut(index) {
            *slot = Some(value);
        }
        self
    }

    /// Sets a credential by its setter name or header (`api_key`, `secret-key`, …).
    pub fn credential(self, name: &str, value: impl Into<SecretString>) -> Result<Self, Error> {
        let index = self
            .info
            .credentials
            .iter()
            .position(|c| c.setter == name || c.header.eq_ignore_ascii_case(name))
            .ok_or_else(|| Error::Config {
                setting: "credential",
                reason: format!("`{name}` is not a credential of {}", self.info.title),
            })?;
        Ok(self.set_credential(index, value.into()))
    }

    /// Reads every credential from its environment variable, and the base
    /// URL from the spec's base-URL variable when that is set and not empty.
    ///
    /// A base URL from the variable replaces the URL of the environment
    /// (chosen before or after, or the default), not its rules: a sandbox's
    /// credentials must still be sandbox ones. A URL set with
    /// [`base_url`](Self::base_url) wins over it.
    pub fn from_env(mut self) -> Result<Self, Error> {
        for (i, cred) in self.info.credentials.iter().enumerate() {
            let Some(var) = cred.env else { continue };
            // One that every alternative of the spec's `security` needs must
            // be set; any other is read when it is.
            let needed = self.info.security.iter().all(|needs| needs.contains(&i));
            let blank = std::env::var(var).map_or(true, |v| v.trim().is_empty());
            if needed || !blank {
                self.credentials[i] = Some(config::secret_from_env(var)?);
            }
        }
        // No alternative whole (the rule `build()` and every call apply):
        // name the first variable the first one lacks.
        let set = (self.credentials.iter().enumerate())
            .filter(|(i, value)| *i < 32 && value.is_some())
            .fold(0u32, |bits, (i, _)| bits | 1 << i);
        if super::spec::credentials_left_out(self.info.security, set).is_err()
            && let Some(var) = self.info.security.first().and_then(|needs| {
                needs
                    .iter()
                    .filter(|i| self.credentials[**i].is_none())
                    .find_map(|i| self.info.credentials[*i].env)
            })
        {
            config::secret_from_env(var)?;
        }
        if let Some(var) = self.info.base_url_env {
            match std::env::var(var) {
                Ok(url) if !url.trim().is_empty() => self.env_url = Some(url),
                // Ignored, the override would send credentials to the
                // spec's first server: production.
                Err(std::env::VarError::NotUnicode(_)) => {
                    return Err(Error::Config {
                        setting: var,
                        reason: "is not valid UTF-8".into(),
                    });
                }
                _ => {}
            }
        }
        Ok(self)
    }

    /// Chooses the environment (default: the spec's first server).
    pub fn environment(mut self, environment: S::Environment) -> Self {
        self.target = Some(environment.into());
        self
    }

    /// Chooses the environment by its name in the spec (`sandbox`, …).
    pub fn environment_named(mut self, name: &str) -> Result<Self, Error> {
        let env = self
            .info
            .environments
            .iter()
            .find(|e| e.name == name)
            .ok_or_else(|| Error::Config {
                setting: "environment",
                reason: format!(
                    "`{name}` is not an environment of {} (known: {})",
                    self.info.title,
                    self.info
                        .environments
                        .iter()
                        .map(|e| e.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })?;
        self.target = Some(Target::Named(env));
        Ok(self)
    }

    /// Sends requests to a custom base URL (`https`, or `http` on loopback).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.target = Some(Target::Url(url.into()));
        self
    }

    /// Sets the per-attempt timeout (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings.timeout = timeout;
        self
    }

    /// Bounds a whole call, retries and waits included (default 120 s).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.settings.deadline = deadline;
        self
    }

    /// Sets how many times a retryable failure is retried (default 3; 0 disables).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.settings.retry = self.settings.retry.max_retries(retries);
        self
    }

    /// Replaces the whole retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.settings.retry = policy;
        self
    }

    /// Caps a success body (default 32 MiB); a larger one is an
    /// [`Error::UnexpectedResponse`]. Error bodies are always cut at 64 KiB.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.settings.max_response_bytes = bytes;
        self
    }

    /// Paces every call of this client (and its clones) to `rate`.
    pub fn rate_limit(mut self, rate: Rate) -> Self {
        self.settings.limiter = RateLimiter::new(rate);
        self
    }

    /// Shares `limiter` with other clients (e.g. one per token).
    pub fn rate_limiter(mut self, limiter: RateLimiter) -> Self {
        self.settings.limiter = limiter;
        self
    }

    /// Names your application in the `User-Agent` (`yours payusers/x.y`).
    /// Ignored with [`http_client`](Self::http_client): set it on that client.
    pub fn user_agent(mut self, product: impl Into<String>) -> Self {
        self.user_agent = Some(product.into());
        self
    }

    /// Uses your own `reqwest::Client` (start from
    /// [`http_client_builder`](crate::http_client_builder) so redirects stay off).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Checks everything and builds the client.
    ///
    /// Missing or empty credentials, a non-https URL, or a live key in an
    /// environment that needs a test key are [`Error::Config`] here, not a
    /// 401 later.
    pub fn build(self) -> Result<Client<S>, Error> {
        let info = self.info;
        let target = match (self.target, info.environments.first(), &self.env_url) {
            (Some(target), _, _) => target,
            (None, Some(first), _) => Target::Named(first),
            (None, None, Some(url)) => Target::Url(url.clone()),
            (None, None, None) => {
                return Err(Error::Config {
                    setting: "base_url",
                    reason: format!("{} names no server; set a base URL", info.title),
                });
            }
        };
        if info.credentials.len() > 32 {
            return Err(Error::Config {
                setting: "credentials",
                reason: format!(
                    "{} declares {} credentials; a client holds at most 32",
                    info.title,
                    info.credentials.len()
                ),
            });
        }
        let mut auth = Auth::new().raw_timeout(self.settings.timeout).spec(info);
        // Every credential set must be usable; the spec's top-level
        // `security` says which must be set (one of its alternatives).
        for (i, (cred, value)) in info.credentials.iter().zip(self.credentials).enumerate() {
            if let Some(value) = value {
                auth = auth.credential(
                    Some(i),
                    cred.header,
                    config::require(Some(value), cred.setter)?,
                )?;
            }
        }
        // The same rule a call applies to its operation's `security`.
        if let Err(missing) = super::spec::credentials_left_out(info.security, auth.set()) {
            let setter = missing
                .and_then(|i| info.credentials.get(i))
                .map_or("credentials", |c| c.setter);
            config::require(None, setter)?;
        }
        if let Target::Named(env) = &target {
            check_prefixes(env, info, &auth)?;
        }
        let url = match (&target, &self.env_url) {
            (Target::Named(_), Some(from_env)) => from_env.as_str(),
            _ => target.url(),
        };
        let base_url = config::check_base_url(url)?;
        let http = match self.http {
            Some(client) => client,
            None => {
                // Ours has no default `Host` header to respect.
                auth = auth.preset_host();
                let builder = config::http_client_builder();
                // Without a product the builder's static value stays: a
                // value made from a `String` is shared, and every request's
                // copy of it writes its reference count.
                let builder = match &self.user_agent {
                    Some(product) => {
                        builder.user_agent(format!("{} {}", product.trim(), crate::USER_AGENT))
                    }
                    None => builder,
                };
                builder.build().map_err(|e| Error::Config {
                    setting: "http_client",
                    reason: format!("cannot build the HTTP client: {e}"),
                })?
            }
        };
        Ok(Client {
            raw: S::raw(&base_url, http, auth),
            info,
            provider: provider_of(info),
            settings: self.settings,
        })
    }
}

/// Which provider a spec is: known by its credentials' headers is fragile,
/// so the generated code registers each spec's module name.
fn provider_of(info: &'static SpecInfo) -> Provider {
    crate::generated::SPECS
        .iter()
        .find(|(_, i)| std::ptr::eq(*i, info))
        .map(|(name, _)| Provider::from_module(name))
        .unwrap_or(Provider::Other("unknown"))
}

/// Refuses a credential that the chosen environment's prefix rule rejects
/// (e.g. a live hPay key for `sandbox`), without ever printing it.
fn check_prefixes(env: &EnvironmentInfo, info: &SpecInfo, auth: &Auth) -> Result<(), Error> {
    for (header, prefix) in env.credential_prefixes {
        let Some(value) = auth.value(header) else {
            continue;
        };
        if !value.starts_with(prefix) {
            let setter = info
                .credentials
                .iter()
                .find(|c| c.header.eq_ignore_ascii_case(header))
                .map_or("credential", |c| c.setter);
            return Err(Error::Config {
                setting: setter,
                reason: format!(
                    "the `{}` environment needs a key starting `{prefix}`; this one does not \
                     (a live key? use the `{}` environment for live traffic)",
                    env.name, info.environments[0].name
                ),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::{CredentialInfo, Dynamic};

    /// Credentials are kept in 32 bits: a spec with more is refused, never
    /// built into a client that would send the 33rd everywhere.
    #[test]
    fn more_than_32_credentials_are_refused() {
        let credentials: Vec<CredentialInfo> = (0..33)
            .map(|i| CredentialInfo {
                scheme: "k",
                header: Box::leak(format!("x-k{i}").into_boxed_str()),
                env: None,
                setter: "k",
            })
            .collect();
        let info: &'static SpecInfo = Box::leak(Box::new(SpecInfo {
            title: "many",
            base_url_env: None,
            error_message: &[],
            error_details: &[],
            envelope: None,
            idempotency_header: None,
            password_fields: &[],
            credentials: Box::leak(credentials.into_boxed_slice()),
            security: &[&[0]],
            environments: &[],
            operations: &[],
        }));
        let err = ClientBuilder::<Dynamic>::for_info(info)
            .set_credential(0, "v".into())
            .base_url("https://many.example")
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("at most 32"), "{err}");
    }
}
