//! HOST Pay (hPay): client, configuration and the update-user builder.
//!
//! ```
//! # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
//! # let mock = payusers::mock::MockServer::start().await.unwrap();
//! # let hpay = mock.hpay();
//! // let hpay = payusers::HostPay::from_env()?;  // HOST_PAY_API_KEY, HOST_PAY_SECRET_KEY
//! let user = hpay
//!     .update_user("user_abc123")
//!     .app_user_id(1)
//!     .name("John Updated Doe")
//!     .phone_number("+23279123456")
//!     .email("john.new@example.com")
//!     .send()
//!     .await?;
//! assert_eq!(user.email.as_deref(), Some("john.new@example.com"));
//! # Ok(()) }
//! ```

use crate::config::{self, Settings};
use crate::error::{Context, Error, Provider};
use crate::response::Response;
use crate::retry::RetryPolicy;
use crate::transport::{self, Auth, CallSettings, ErrorBody, Outcome};
use secrecy::SecretString;
use std::fmt;
use std::time::Duration;

/// The client and models generated from `openapi/hpay.yaml`, for anything
/// the facade does not cover.
pub use crate::generated::hpay as raw;
/// An hPay user as the API returns it.
pub use raw::types::User;

/// Production host; serves both Test Mode and Live Mode keys.
pub const PRODUCTION_URL: &str = "https://hpay-api.host-sl.com";
/// Environment variable holding the API key.
pub const API_KEY_ENV: &str = "HOST_PAY_API_KEY";
/// Environment variable holding the secret key.
pub const SECRET_KEY_ENV: &str = "HOST_PAY_SECRET_KEY";
/// Optional environment variable overriding the base URL.
pub const BASE_URL_ENV: &str = "HOST_PAY_BASE_URL";

/// Where an hPay client sends requests.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Environment {
    /// `https://hpay-api.host-sl.com` (test and live keys share it).
    #[default]
    Production,
    /// Any other base URL: `https`, or `http` on a loopback host (the mock).
    Custom(String),
}

impl Environment {
    /// The base URL this environment stands for.
    pub fn base_url(&self) -> &str {
        match self {
            Environment::Production => PRODUCTION_URL,
            Environment::Custom(url) => url,
        }
    }
}

/// An hPay client. Cheap to clone; share one per application.
///
/// ```
/// let hpay = payusers::HostPay::builder()
///     .api_key("my_api_key")
///     .secret_key("hpay_test_123")
///     .build()?;
/// assert!(format!("{hpay:?}").contains("[redacted]"));
/// # Ok::<(), payusers::Error>(())
/// ```
#[derive(Clone)]
pub struct HostPay {
    raw: raw::Client,
    settings: Settings,
}

impl fmt::Debug for HostPay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HostPay")
            .field("base_url", &self.base_url())
            .field("auth", self.auth())
            .field("timeout", &self.settings.timeout)
            .field("deadline", &self.settings.deadline)
            .field("retry", &self.settings.retry)
            .finish()
    }
}

impl HostPay {
    /// Starts configuring a client.
    pub fn builder() -> HostPayBuilder {
        HostPayBuilder::default()
    }

    /// A production client with credentials from `HOST_PAY_API_KEY` and
    /// `HOST_PAY_SECRET_KEY` (and the base URL from `HOST_PAY_BASE_URL`, if set).
    ///
    /// ```
    /// // With the variables unset, the error names the first one missing.
    /// # unsafe { std::env::remove_var("HOST_PAY_API_KEY") };
    /// let err = payusers::HostPay::from_env().unwrap_err();
    /// assert!(err.to_string().contains("HOST_PAY_API_KEY"));
    /// ```
    pub fn from_env() -> Result<Self, Error> {
        HostPay::builder().from_env()?.build()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        progenitor_client::ClientInfo::baseurl(&self.raw)
    }

    /// The generated client underneath, already carrying the credentials.
    pub fn raw(&self) -> &raw::Client {
        &self.raw
    }

    /// Starts an update of user `user_id` (hPay's opaque id, e.g. `user_abc123`).
    ///
    /// hPay updates are full updates: `app_user_id`, `name` and
    /// `phone_number` are required every time.
    pub fn update_user(&self, user_id: impl Into<String>) -> UpdateUser<'_> {
        UpdateUser {
            client: self,
            user_id: user_id.into(),
            app_user_id: None,
            name: None,
            phone_number: None,
            email: None,
            username: None,
            is_active: None,
            overrides: CallOverrides::default(),
        }
    }

    /// Starts a read of user `user_id`.
    pub fn get_user(&self, user_id: impl Into<String>) -> GetUser<'_> {
        GetUser {
            client: self,
            user_id: user_id.into(),
            overrides: CallOverrides::default(),
        }
    }

    /// The credentials, held once: by the generated client.
    fn auth(&self) -> &Auth {
        progenitor_client::ClientInfo::inner(&self.raw)
    }

    fn call(&self, operation: &'static str, overrides: &CallOverrides) -> CallSettings {
        overrides.apply(Provider::HostPay, operation, &self.settings)
    }
}

/// Configures a [`HostPay`] client; finish with [`build`](Self::build).
#[derive(Default)]
pub struct HostPayBuilder {
    api_key: Option<SecretString>,
    secret_key: Option<SecretString>,
    environment: Environment,
    settings: Settings,
}

impl fmt::Debug for HostPayBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |s: &Option<SecretString>| s.as_ref().map(|_| crate::secret::REDACTED);
        f.debug_struct("HostPayBuilder")
            .field("api_key", &shown(&self.api_key))
            .field("secret_key", &shown(&self.secret_key))
            .field("environment", &self.environment)
            .field("settings", &self.settings)
            .finish()
    }
}

impl HostPayBuilder {
    /// Sets the application API key (`api-key` header).
    ///
    /// ```
    /// let b = payusers::HostPay::builder().api_key("k").secret_key("s");
    /// assert!(b.build().is_ok());
    /// ```
    pub fn api_key(mut self, key: impl Into<SecretString>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Sets the application secret key (`secret-key` header; `hpay_test_…`
    /// or `hpay_live_…`).
    ///
    /// ```
    /// let err = payusers::HostPay::builder().api_key("k").build().unwrap_err();
    /// assert!(err.to_string().contains("secret_key"));
    /// ```
    pub fn secret_key(mut self, key: impl Into<SecretString>) -> Self {
        self.secret_key = Some(key.into());
        self
    }

    /// Reads the keys from `HOST_PAY_API_KEY` / `HOST_PAY_SECRET_KEY`, and the
    /// base URL from `HOST_PAY_BASE_URL` when set.
    ///
    /// ```
    /// # unsafe { std::env::set_var("HOST_PAY_API_KEY", "k"); std::env::set_var("HOST_PAY_SECRET_KEY", "s"); }
    /// let hpay = payusers::HostPay::builder().from_env()?.build()?;
    /// # let _ = hpay;
    /// # Ok::<(), payusers::Error>(())
    /// ```
    pub fn from_env(mut self) -> Result<Self, Error> {
        self.api_key = Some(config::secret_from_env(API_KEY_ENV)?);
        self.secret_key = Some(config::secret_from_env(SECRET_KEY_ENV)?);
        if let Ok(url) = std::env::var(BASE_URL_ENV)
            && !url.trim().is_empty()
        {
            self.environment = Environment::Custom(url);
        }
        Ok(self)
    }

    /// Chooses the environment (default: production).
    ///
    /// ```
    /// use payusers::hpay::Environment;
    /// let hpay = payusers::HostPay::builder().api_key("k").secret_key("s")
    ///     .environment(Environment::Production).build()?;
    /// assert_eq!(hpay.base_url(), "https://hpay-api.host-sl.com");
    /// # Ok::<(), payusers::Error>(())
    /// ```
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// Sends requests to a custom base URL (`https`, or `http` on loopback).
    ///
    /// ```
    /// let err = payusers::HostPay::builder().api_key("k").secret_key("s")
    ///     .base_url("http://example.com").build().unwrap_err();
    /// assert!(err.to_string().contains("https"));
    /// ```
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.environment = Environment::Custom(url.into());
        self
    }

    /// Sets the per-attempt timeout (default 30 s).
    ///
    /// ```
    /// # use std::time::Duration;
    /// let hpay = payusers::HostPay::builder().api_key("k").secret_key("s")
    ///     .timeout(Duration::from_secs(5)).build()?;
    /// # let _ = hpay; Ok::<(), payusers::Error>(())
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings.timeout = timeout;
        self
    }

    /// Bounds a whole call, retries and waits included (default 120 s).
    ///
    /// ```
    /// # use std::time::Duration;
    /// let hpay = payusers::HostPay::builder().api_key("k").secret_key("s")
    ///     .deadline(Duration::from_secs(60)).build()?;
    /// # let _ = hpay; Ok::<(), payusers::Error>(())
    /// ```
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.settings.deadline = deadline;
        self
    }

    /// Sets how many times a retryable failure is retried (default 3; 0 disables).
    ///
    /// ```
    /// let hpay = payusers::HostPay::builder().api_key("k").secret_key("s")
    ///     .max_retries(0).build()?;
    /// # let _ = hpay; Ok::<(), payusers::Error>(())
    /// ```
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.settings.retry = self.settings.retry.max_retries(retries);
        self
    }

    /// Replaces the whole retry policy.
    ///
    /// ```
    /// # use std::time::Duration;
    /// let policy = payusers::RetryPolicy::default().base_delay(Duration::from_millis(50));
    /// let hpay = payusers::HostPay::builder().api_key("k").secret_key("s")
    ///     .retry_policy(policy).build()?;
    /// # let _ = hpay; Ok::<(), payusers::Error>(())
    /// ```
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.settings.retry = policy;
        self
    }

    /// Uses your own `reqwest::Client` (start from
    /// [`http_client_builder`](crate::http_client_builder) so redirects stay off).
    ///
    /// ```
    /// let http = payusers::http_client_builder().build().unwrap();
    /// let hpay = payusers::HostPay::builder().api_key("k").secret_key("s")
    ///     .http_client(http).build()?;
    /// # let _ = hpay; Ok::<(), payusers::Error>(())
    /// ```
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.settings.http = Some(client);
        self
    }

    /// Checks everything and builds the client.
    ///
    /// Missing or empty keys and a non-https URL are [`Error::Config`] here,
    /// not a 401 later.
    pub fn build(self) -> Result<HostPay, Error> {
        let api_key = config::require(self.api_key, "api_key")?;
        let secret_key = config::require(self.secret_key, "secret_key")?;
        let base_url = config::check_base_url(self.environment.base_url())?;
        let auth = Auth::new()
            .header("api-key", api_key)?
            .header("secret-key", secret_key)?;
        let http = self.settings.http_client()?;
        let raw = raw::Client::new_with_client(&base_url, http, auth);
        Ok(HostPay {
            raw,
            settings: self.settings,
        })
    }
}

/// Per-call overrides of the client's timeout, deadline and retries.
#[derive(Debug, Clone, Default)]
pub(crate) struct CallOverrides {
    pub(crate) timeout: Option<Duration>,
    pub(crate) deadline: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
}

impl CallOverrides {
    pub(crate) fn apply(
        &self,
        provider: Provider,
        operation: &'static str,
        settings: &Settings,
    ) -> CallSettings {
        CallSettings {
            provider,
            operation,
            timeout: self.timeout.unwrap_or(settings.timeout),
            deadline: self.deadline.unwrap_or(settings.deadline),
            retry: self.retry.unwrap_or(settings.retry),
        }
    }

    pub(crate) fn max_retries(&mut self, settings: &Settings, retries: u32) {
        let base = self.retry.unwrap_or(settings.retry);
        self.retry = Some(base.max_retries(retries));
    }
}

/// An update of one hPay user; set fields, then [`send`](Self::send).
///
/// Checked before sending: `app_user_id`, `name` and `phone_number` present,
/// name not empty, phone in international form (`+` and 7–15 digits), email
/// well formed. Each failure is an [`Error::Validation`] naming the field.
#[must_use = "nothing is sent until you call .send()"]
pub struct UpdateUser<'a> {
    client: &'a HostPay,
    user_id: String,
    app_user_id: Option<i64>,
    name: Option<String>,
    phone_number: Option<String>,
    email: Option<String>,
    username: Option<String>,
    is_active: Option<bool>,
    overrides: CallOverrides,
}

impl fmt::Debug for UpdateUser<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UpdateUser")
            .field("user_id", &self.user_id)
            .field("app_user_id", &self.app_user_id)
            .field("name", &self.name)
            .field("phone_number", &self.phone_number)
            .field("email", &self.email)
            .field("username", &self.username)
            .field("is_active", &self.is_active)
            .field("overrides", &self.overrides)
            .finish()
    }
}

impl<'a> UpdateUser<'a> {
    /// Your application's id for the user (required; must equal the id set at
    /// creation, hPay answers 400 otherwise).
    ///
    /// ```
    /// # #[tokio::main] async fn main() {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let err = mock.hpay().update_user("user_abc123")
    ///     .app_user_id(99).name("John Doe").phone_number("+23279123456")
    ///     .send().await.unwrap_err();
    /// assert!(matches!(err, payusers::Error::BadRequest { .. }));
    /// # }
    /// ```
    pub fn app_user_id(mut self, id: i64) -> Self {
        self.app_user_id = Some(id);
        self
    }

    /// The user's full name (required, not empty).
    ///
    /// ```
    /// # #[tokio::main] async fn main() {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let err = mock.hpay().update_user("user_abc123")
    ///     .app_user_id(1).name("").phone_number("+23279123456")
    ///     .send().await.unwrap_err();
    /// assert!(err.to_string().contains("`name`"));
    /// # }
    /// ```
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The phone number in international form, e.g. `+23279123456` (required).
    ///
    /// ```
    /// # #[tokio::main] async fn main() {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let err = mock.hpay().update_user("user_abc123")
    ///     .app_user_id(1).name("John").phone_number("079123456")
    ///     .send().await.unwrap_err();
    /// assert!(err.to_string().contains("`phone_number`"));
    /// # }
    /// ```
    pub fn phone_number(mut self, phone: impl Into<String>) -> Self {
        self.phone_number = Some(phone.into());
        self
    }

    /// A new email address (optional).
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let user = mock.hpay().update_user("user_abc123")
    ///     .app_user_id(1).name("John Doe").phone_number("+23279123456")
    ///     .email("john.new@example.com")
    ///     .send().await?;
    /// assert_eq!(user.email.as_deref(), Some("john.new@example.com"));
    /// # Ok(()) }
    /// ```
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// A new username (optional).
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let user = mock.hpay().update_user("user_abc123")
    ///     .app_user_id(1).name("John Doe").phone_number("+23279123456")
    ///     .username("jdoe")
    ///     .send().await?;
    /// assert_eq!(user.username.as_deref(), Some("jdoe"));
    /// # Ok(()) }
    /// ```
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// Activates or deactivates the account (optional).
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let user = mock.hpay().update_user("user_xyz789")
    ///     .app_user_id(2).name("Jane Smith").phone_number("+23279654321")
    ///     .active(false)
    ///     .send().await?;
    /// assert!(!user.is_active);
    /// # Ok(()) }
    /// ```
    pub fn active(mut self, active: bool) -> Self {
        self.is_active = Some(active);
        self
    }

    /// Overrides the client's per-attempt timeout for this call.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// # use std::time::Duration;
    /// let user = mock.hpay().update_user("user_abc123")
    ///     .app_user_id(1).name("John Doe").phone_number("+23279123456")
    ///     .timeout(Duration::from_secs(2))
    ///     .send().await?;
    /// # let _ = user; Ok(()) }
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.overrides.timeout = Some(timeout);
        self
    }

    /// Overrides the client's whole-call deadline for this call.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// # use std::time::Duration;
    /// let user = mock.hpay().update_user("user_abc123")
    ///     .app_user_id(1).name("John Doe").phone_number("+23279123456")
    ///     .deadline(Duration::from_secs(10))
    ///     .send().await?;
    /// # let _ = user; Ok(()) }
    /// ```
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.overrides.deadline = Some(deadline);
        self
    }

    /// Overrides the client's retry count for this call (0 disables).
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let user = mock.hpay().update_user("user_abc123")
    ///     .app_user_id(1).name("John Doe").phone_number("+23279123456")
    ///     .max_retries(0)
    ///     .send().await?;
    /// # let _ = user; Ok(()) }
    /// ```
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.overrides.max_retries(&self.client.settings, retries);
        self
    }

    /// Overrides the client's whole retry policy for this call.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let user = mock.hpay().update_user("user_abc123")
    ///     .app_user_id(1).name("John Doe").phone_number("+23279123456")
    ///     .retry_policy(payusers::RetryPolicy::none())
    ///     .send().await?;
    /// # let _ = user; Ok(()) }
    /// ```
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.overrides.retry = Some(policy);
        self
    }

    /// Validates the fields and builds the wire body, without sending.
    ///
    /// ```
    /// # let hpay = payusers::HostPay::builder().api_key("k").secret_key("s").build().unwrap();
    /// let body = hpay.update_user("user_abc123")
    ///     .app_user_id(1).name("John Doe").phone_number("+23279123456")
    ///     .to_request()?;
    /// assert_eq!(serde_json::to_value(&body).unwrap()["phone_number"], "+23279123456");
    /// # Ok::<(), payusers::Error>(())
    /// ```
    pub fn to_request(&self) -> Result<raw::types::UpdateUserRequest, Error> {
        let invalid = |field: &'static str, rule: String| Error::Validation {
            field,
            rule,
            context: Context::new(Provider::HostPay, "update_user"),
        };
        crate::validate::path_segment(&self.user_id).map_err(|rule| invalid("user_id", rule))?;
        let app_user_id = self
            .app_user_id
            .ok_or_else(|| invalid("app_user_id", "is required".into()))?;
        let name = self
            .name
            .as_deref()
            .ok_or_else(|| invalid("name", "is required".into()))?;
        if name.trim().is_empty() {
            return Err(invalid("name", "must not be empty".into()));
        }
        let name = raw::types::UpdateUserRequestName::try_from(name)
            .map_err(|e| invalid("name", e.to_string()))?;
        let phone = self
            .phone_number
            .as_deref()
            .ok_or_else(|| invalid("phone_number", "is required".into()))?;
        let phone_number = raw::types::UpdateUserRequestPhoneNumber::try_from(phone).map_err(|_| {
            invalid(
                "phone_number",
                format!("must be in international form, `+` then 7 to 15 digits (e.g. +23279123456), got {phone:?}"),
            )
        })?;
        if let Some(email) = &self.email {
            crate::validate::email(email).map_err(|rule| invalid("email", rule))?;
        }
        Ok(raw::types::UpdateUserRequest {
            app_user_id,
            name,
            phone_number,
            email: self.email.clone(),
            username: self.username.clone(),
            is_active: self.is_active,
        })
    }

    /// Validates, sends, retries if needed; returns the updated user.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let user = mock.hpay().update_user("user_abc123")
    ///     .app_user_id(1).name("John Doe").phone_number("+23279000000")
    ///     .send().await?;
    /// assert_eq!(user.phone_number, "+23279000000");
    /// # Ok(()) }
    /// ```
    pub async fn send(self) -> Result<User, Error> {
        self.send_with_response().await.map(Response::into_inner)
    }

    /// Like [`send`](Self::send), but also returns status, headers and request id.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let response = mock.hpay().update_user("user_abc123")
    ///     .app_user_id(1).name("John Doe").phone_number("+23279123456")
    ///     .send_with_response().await?;
    /// assert_eq!(response.status(), 200);
    /// assert!(response.request_id().is_some());
    /// assert_eq!(response.name, "John Doe");
    /// # Ok(()) }
    /// ```
    pub async fn send_with_response(self) -> Result<Response<User>, Error> {
        let body = self.to_request()?;
        let client = self.client;
        let call = client.call("update_user", &self.overrides);
        let user_id = self.user_id;
        transport::run(&call, client.auth(), || {
            client.raw.update_user(&user_id, &body)
        })
        .await
    }
}

/// A read of one hPay user; [`send`](Self::send) it.
#[derive(Debug)]
#[must_use = "nothing is sent until you call .send()"]
pub struct GetUser<'a> {
    client: &'a HostPay,
    user_id: String,
    overrides: CallOverrides,
}

impl GetUser<'_> {
    /// Overrides the per-attempt timeout for this call.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let user = mock.hpay().get_user("user_xyz789")
    ///     .timeout(std::time::Duration::from_secs(3)).send().await?;
    /// assert_eq!(user.name, "Jane Smith");
    /// # Ok(()) }
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.overrides.timeout = Some(timeout);
        self
    }

    /// Overrides the retry count for this call (0 disables).
    ///
    /// ```
    /// # #[tokio::main] async fn main() {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let err = mock.hpay().get_user("nobody").max_retries(0).send().await.unwrap_err();
    /// assert!(matches!(err, payusers::Error::NotFound { .. }));
    /// # }
    /// ```
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.overrides.max_retries(&self.client.settings, retries);
        self
    }

    /// Overrides the whole-call deadline for this call.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let user = mock.hpay().get_user("user_abc123").deadline(std::time::Duration::from_secs(5)).send().await?;
    /// # let _ = user; Ok(()) }
    /// ```
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.overrides.deadline = Some(deadline);
        self
    }

    /// Overrides the retry policy for this call.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let user = mock.hpay().get_user("user_abc123").retry_policy(payusers::RetryPolicy::none()).send().await?;
    /// # let _ = user; Ok(()) }
    /// ```
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.overrides.retry = Some(policy);
        self
    }

    /// Sends the read; returns the user.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let user = mock.hpay().get_user("user_abc123").send().await?;
    /// assert_eq!(user.app_user_id, 1);
    /// # Ok(()) }
    /// ```
    pub async fn send(self) -> Result<User, Error> {
        self.send_with_response().await.map(Response::into_inner)
    }

    /// Like [`send`](Self::send), with status, headers and request id.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let response = mock.hpay().get_user("user_abc123").send_with_response().await?;
    /// assert_eq!(response.status(), 200);
    /// # Ok(()) }
    /// ```
    pub async fn send_with_response(self) -> Result<Response<User>, Error> {
        if let Err(rule) = crate::validate::path_segment(&self.user_id) {
            return Err(Error::Validation {
                field: "user_id",
                rule,
                context: Context::new(Provider::HostPay, "get_user"),
            });
        }
        let client = self.client;
        let call = client.call("get_user", &self.overrides);
        let user_id = self.user_id;
        transport::run(&call, client.auth(), || client.raw.get_user(&user_id)).await
    }
}

impl Outcome for User {
    fn failure(&self) -> Option<String> {
        None
    }
}

impl ErrorBody for raw::types::ErrorResponse {
    fn message(&self) -> Option<String> {
        self.message
            .clone()
            .or_else(|| self.detail.clone())
            .or_else(|| self.error.clone())
    }
}
