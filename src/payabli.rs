//! Payabli: client, configuration and the update-user builder.
//!
//! ```
//! # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
//! # let mock = payusers::mock::MockServer::start().await.unwrap();
//! # let payabli = mock.payabli();
//! use payusers::payabli::{Language, UserStatus};
//! // let payabli = payusers::Payabli::builder()
//! //     .environment(payusers::payabli::Environment::Sandbox)
//! //     .token(std::env::var("PAYABLI_API_TOKEN").unwrap())
//! //     .build()?;
//! let answer = payabli
//!     .update_user(1000000)
//!     .status(UserStatus::Locked)
//!     .language(Language::Es)
//!     .send()
//!     .await?;
//! assert_eq!(answer.response_text.as_deref(), Some("Success"));
//! # Ok(()) }
//! ```

use crate::config::{self, Settings};
use crate::error::{Context, Error, Provider};
use crate::hpay::CallOverrides;
use crate::response::Response;
use crate::retry::RetryPolicy;
use crate::secret::Password;
use crate::transport::{self, Auth, CallSettings, ErrorBody, Outcome};
use secrecy::SecretString;
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

/// The client and models generated from `openapi/payabli.yaml`, for anything
/// the facade does not cover.
pub use crate::generated::payabli as raw;
/// A user's locale for PartnerHub and PayHub: `en` or `es` (from the spec).
pub use raw::types::Language;
/// Payabli's response envelope (`isSuccess`, `responseText`, `responseData`).
pub use raw::types::PayabliApiResponse;
/// A Payabli user record as `GET /User/{userId}` returns it.
pub use raw::types::UserRecord;

/// Sandbox base URL.
pub const SANDBOX_URL: &str = "https://api-sandbox.payabli.com/api";
/// Production base URL.
pub const PRODUCTION_URL: &str = "https://api.payabli.com/api";
/// Environment variable holding the application API token.
pub const TOKEN_ENV: &str = "PAYABLI_API_TOKEN";
/// Optional environment variable overriding the base URL.
pub const BASE_URL_ENV: &str = "PAYABLI_BASE_URL";
/// The smallest `timeZone` the spec allows (`minimum`).
pub const TIME_ZONE_MIN: i32 = -12;
/// The largest `timeZone` the spec allows (`maximum`).
pub const TIME_ZONE_MAX: i32 = 14;

/// Where a Payabli client sends requests.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Environment {
    /// `https://api-sandbox.payabli.com/api` (the default).
    #[default]
    Sandbox,
    /// `https://api.payabli.com/api`.
    Production,
    /// Any other base URL: `https`, or `http` on a loopback host (the mock).
    Custom(String),
}

impl Environment {
    /// The base URL this environment stands for.
    pub fn base_url(&self) -> &str {
        match self {
            Environment::Sandbox => SANDBOX_URL,
            Environment::Production => PRODUCTION_URL,
            Environment::Custom(url) => url,
        }
    }
}

/// A Payabli user's status (`usrStatus` on the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UserStatus {
    /// `0`
    Inactive,
    /// `1`
    Active,
    /// `-99`
    Deleted,
    /// `85`
    Locked,
}

impl UserStatus {
    /// The wire value.
    pub fn code(self) -> i32 {
        match self {
            UserStatus::Inactive => 0,
            UserStatus::Active => 1,
            UserStatus::Deleted => -99,
            UserStatus::Locked => 85,
        }
    }

    /// The status for a wire value, if it is one the spec allows.
    pub fn from_code(code: i32) -> Option<Self> {
        [
            UserStatus::Inactive,
            UserStatus::Active,
            UserStatus::Deleted,
            UserStatus::Locked,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

impl From<UserStatus> for raw::types::UsrStatus {
    fn from(status: UserStatus) -> Self {
        raw::types::UsrStatus::try_from(status.code())
            .expect("every UserStatus code is in the spec's usrStatus enum (tested)")
    }
}

impl std::str::FromStr for UserStatus {
    type Err = String;
    /// Parses `active`, `inactive`, `locked`, `deleted` (any case) or the wire code.
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "inactive" | "0" => Ok(UserStatus::Inactive),
            "active" | "1" => Ok(UserStatus::Active),
            "deleted" | "-99" => Ok(UserStatus::Deleted),
            "locked" | "85" => Ok(UserStatus::Locked),
            other => Err(format!(
                "unknown status `{other}`: use active, inactive, locked or deleted"
            )),
        }
    }
}

/// A Payabli client. Cheap to clone; share one per application.
///
/// ```
/// let payabli = payusers::Payabli::builder().token("app_token").build()?;
/// assert_eq!(payabli.base_url(), "https://api-sandbox.payabli.com/api");
/// assert!(!format!("{payabli:?}").contains("app_token"));
/// # Ok::<(), payusers::Error>(())
/// ```
#[derive(Clone)]
pub struct Payabli {
    raw: raw::Client,
    settings: Settings,
}

impl fmt::Debug for Payabli {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Payabli")
            .field("base_url", &self.base_url())
            .field("auth", self.auth())
            .field("timeout", &self.settings.timeout)
            .field("deadline", &self.settings.deadline)
            .field("retry", &self.settings.retry)
            .finish()
    }
}

impl Payabli {
    /// Starts configuring a client.
    pub fn builder() -> PayabliBuilder {
        PayabliBuilder::default()
    }

    /// A sandbox client with the token from `PAYABLI_API_TOKEN` (and the base
    /// URL from `PAYABLI_BASE_URL`, if set).
    ///
    /// ```
    /// # unsafe { std::env::remove_var("PAYABLI_API_TOKEN") };
    /// let err = payusers::Payabli::from_env().unwrap_err();
    /// assert!(err.to_string().contains("PAYABLI_API_TOKEN"));
    /// ```
    pub fn from_env() -> Result<Self, Error> {
        Payabli::builder().from_env()?.build()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        progenitor_client::ClientInfo::baseurl(&self.raw)
    }

    /// The generated client underneath, already carrying the token.
    pub fn raw(&self) -> &raw::Client {
        &self.raw
    }

    /// Starts a partial update of user `user_id`: only the fields you set are sent.
    pub fn update_user(&self, user_id: i64) -> UpdateUser<'_> {
        UpdateUser {
            client: self,
            user_id,
            data: raw::types::UserData::default(),
            errors: Vec::new(),
            overrides: CallOverrides::default(),
        }
    }

    /// Starts a read of user `user_id`.
    pub fn get_user(&self, user_id: i64) -> GetUser<'_> {
        GetUser {
            client: self,
            user_id,
            overrides: CallOverrides::default(),
        }
    }

    /// The credentials, held once: by the generated client.
    fn auth(&self) -> &Auth {
        progenitor_client::ClientInfo::inner(&self.raw)
    }

    fn call(&self, operation: &'static str, overrides: &CallOverrides) -> CallSettings {
        overrides.apply(Provider::Payabli, operation, &self.settings)
    }
}

/// Configures a [`Payabli`] client; finish with [`build`](Self::build).
#[derive(Default)]
pub struct PayabliBuilder {
    token: Option<SecretString>,
    environment: Environment,
    settings: Settings,
}

impl fmt::Debug for PayabliBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PayabliBuilder")
            .field(
                "token",
                &self.token.as_ref().map(|_| crate::secret::REDACTED),
            )
            .field("environment", &self.environment)
            .field("settings", &self.settings)
            .finish()
    }
}

impl PayabliBuilder {
    /// Sets the application API token (`requestToken` header).
    ///
    /// ```
    /// assert!(payusers::Payabli::builder().token("t").build().is_ok());
    /// assert!(payusers::Payabli::builder().build().is_err());
    /// ```
    pub fn token(mut self, token: impl Into<SecretString>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Reads the token from `PAYABLI_API_TOKEN`, and the base URL from
    /// `PAYABLI_BASE_URL` when set.
    ///
    /// ```
    /// # unsafe { std::env::set_var("PAYABLI_API_TOKEN", "t") };
    /// let payabli = payusers::Payabli::builder().from_env()?.build()?;
    /// # let _ = payabli; Ok::<(), payusers::Error>(())
    /// ```
    pub fn from_env(mut self) -> Result<Self, Error> {
        self.token = Some(config::secret_from_env(TOKEN_ENV)?);
        if let Ok(url) = std::env::var(BASE_URL_ENV)
            && !url.trim().is_empty()
        {
            self.environment = Environment::Custom(url);
        }
        Ok(self)
    }

    /// Chooses sandbox (default), production or a custom URL.
    ///
    /// ```
    /// use payusers::payabli::Environment;
    /// let p = payusers::Payabli::builder().token("t").environment(Environment::Production).build()?;
    /// assert_eq!(p.base_url(), "https://api.payabli.com/api");
    /// # Ok::<(), payusers::Error>(())
    /// ```
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// Sends requests to a custom base URL (`https`, or `http` on loopback).
    ///
    /// ```
    /// let p = payusers::Payabli::builder().token("t").base_url("http://127.0.0.1:4010/payabli/api").build()?;
    /// assert_eq!(p.base_url(), "http://127.0.0.1:4010/payabli/api");
    /// # Ok::<(), payusers::Error>(())
    /// ```
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.environment = Environment::Custom(url.into());
        self
    }

    /// Sets the per-attempt timeout (default 30 s).
    ///
    /// ```
    /// let p = payusers::Payabli::builder().token("t").timeout(std::time::Duration::from_secs(5)).build()?;
    /// # let _ = p; Ok::<(), payusers::Error>(())
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings.timeout = timeout;
        self
    }

    /// Bounds a whole call, retries and waits included (default 120 s).
    ///
    /// ```
    /// let p = payusers::Payabli::builder().token("t").deadline(std::time::Duration::from_secs(30)).build()?;
    /// # let _ = p; Ok::<(), payusers::Error>(())
    /// ```
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.settings.deadline = deadline;
        self
    }

    /// Sets how many times a retryable failure is retried (default 3; 0 disables).
    ///
    /// ```
    /// let p = payusers::Payabli::builder().token("t").max_retries(5).build()?;
    /// # let _ = p; Ok::<(), payusers::Error>(())
    /// ```
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.settings.retry = self.settings.retry.max_retries(retries);
        self
    }

    /// Replaces the whole retry policy.
    ///
    /// ```
    /// let p = payusers::Payabli::builder().token("t").retry_policy(payusers::RetryPolicy::none()).build()?;
    /// # let _ = p; Ok::<(), payusers::Error>(())
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
    /// let p = payusers::Payabli::builder().token("t").http_client(http).build()?;
    /// # let _ = p; Ok::<(), payusers::Error>(())
    /// ```
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.settings.http = Some(client);
        self
    }

    /// Checks everything and builds the client.
    pub fn build(self) -> Result<Payabli, Error> {
        let token = config::require(self.token, "token")?;
        let base_url = config::check_base_url(self.environment.base_url())?;
        let auth = Auth::new().header("requestToken", token)?;
        let http = self.settings.http_client()?;
        let raw = raw::Client::new_with_client(&base_url, http, auth);
        Ok(Payabli {
            raw,
            settings: self.settings,
        })
    }
}

/// A partial update of one Payabli user; set fields, then [`send`](Self::send).
///
/// Checked before sending: email well formed and at most 320 characters,
/// phone at most 50, each `additionalData` value at most 100, `timeZone` in
/// −12..=14. Status and language are enums, so a wrong value cannot be
/// written. A 200 answer with `isSuccess: false` is [`Error::Declined`].
#[must_use = "nothing is sent until you call .send()"]
pub struct UpdateUser<'a> {
    client: &'a Payabli,
    user_id: i64,
    data: raw::types::UserData,
    errors: Vec<(&'static str, String)>,
    overrides: CallOverrides,
}

impl fmt::Debug for UpdateUser<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `UserData`'s `pwd` is a `Password`, whose Debug is redacted.
        f.debug_struct("UpdateUser")
            .field("user_id", &self.user_id)
            .field("data", &self.data)
            .field("errors", &self.errors)
            .field("overrides", &self.overrides)
            .finish()
    }
}

/// One organization in a user's scope.
pub type Scope = raw::types::UserScope;
/// One role granted (or refused) to a user.
pub type Access = raw::types::UserAccess;

impl<'a> UpdateUser<'a> {
    fn invalid(&mut self, field: &'static str, rule: String) {
        self.errors.push((field, rule));
    }

    /// The user's full name.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// mock.payabli().update_user(1000000).name("Sean Q. Smith").send().await?;
    /// assert_eq!(mock.payabli_user(1000000).unwrap().name.as_deref(), Some("Sean Q. Smith"));
    /// # Ok(()) }
    /// ```
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.data.name = Some(name.into());
        self
    }

    /// The user's email (well formed, at most 320 characters).
    ///
    /// ```
    /// # #[tokio::main] async fn main() {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let long = format!("{}@example.com", "a".repeat(320));
    /// let err = mock.payabli().update_user(1000000).email(long).send().await.unwrap_err();
    /// assert!(matches!(err, payusers::Error::Validation { field: "email", .. }));
    /// # }
    /// ```
    pub fn email(mut self, email: impl Into<String>) -> Self {
        let email = email.into();
        // The spec's maxLength first (its message names the limit), then the shape.
        match raw::types::UserDataEmail::try_from(email.as_str()) {
            Err(e) => self.invalid("email", e.to_string()),
            Ok(v) => match crate::validate::email(&email) {
                Ok(()) => self.data.email = Some(v),
                Err(rule) => self.invalid("email", rule),
            },
        }
        self
    }

    /// The user's phone number (at most 50 characters).
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// mock.payabli().update_user(1000000).phone("5555550000").send().await?;
    /// # Ok(()) }
    /// ```
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        match raw::types::UserDataPhone::try_from(phone.into()) {
            Ok(v) => self.data.phone = Some(v),
            Err(e) => self.invalid("phone", e.to_string()),
        }
        self
    }

    /// A new password (held as a secret, never printed).
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let update = mock.payabli().update_user(1000000).password("s3cret-Pa55");
    /// assert!(!format!("{update:?}").contains("s3cret"));
    /// update.send().await?;
    /// # Ok(()) }
    /// ```
    pub fn password(mut self, password: impl Into<Password>) -> Self {
        self.data.pwd = Some(password.into());
        self
    }

    /// The user's status.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// use payusers::payabli::UserStatus;
    /// mock.payabli().update_user(1000000).status(UserStatus::Locked).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn status(mut self, status: UserStatus) -> Self {
        self.data.usr_status = Some(status.into());
        self
    }

    /// The user's timezone as a UTC offset in hours (−12..=14).
    ///
    /// ```
    /// # #[tokio::main] async fn main() {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let err = mock.payabli().update_user(1000000).time_zone(15).send().await.unwrap_err();
    /// assert!(err.to_string().contains("timeZone"));
    /// # }
    /// ```
    pub fn time_zone(mut self, offset_hours: i32) -> Self {
        match crate::validate::range(
            offset_hours.into(),
            TIME_ZONE_MIN.into(),
            TIME_ZONE_MAX.into(),
        ) {
            Ok(()) => self.data.time_zone = Some(offset_hours),
            Err(rule) => self.invalid("timeZone", rule),
        }
        self
    }

    /// The user's locale for PartnerHub and PayHub.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// use payusers::payabli::Language;
    /// mock.payabli().update_user(1000000).language(Language::Es).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn language(mut self, language: Language) -> Self {
        self.data.language = Some(language);
        self
    }

    /// Adds one organization to the user's scope (call again for more).
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// mock.payabli().update_user(1000000).scope(0, 123).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn scope(mut self, org_type: i32, org_id: i64) -> Self {
        self.data.scope.get_or_insert_with(Vec::new).push(Scope {
            org_type: Some(org_type),
            org_id: Some(org_id),
        });
        self
    }

    /// Grants (`true`) or refuses (`false`) one role, e.g. `customers`.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// mock.payabli().update_user(1000000).access("customers", true).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn access(mut self, role: impl Into<String>, granted: bool) -> Self {
        self.data.access.get_or_insert_with(Vec::new).push(Access {
            role_label: Some(role.into()),
            role_value: Some(granted),
        });
        self
    }

    /// Turns multi-factor authentication on or off, with its mode.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// mock.payabli().update_user(1000000).mfa(true, 0).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn mfa(mut self, enabled: bool, mode: i32) -> Self {
        self.data.mfa_data = Some(raw::types::MfaData {
            mfa: Some(enabled),
            mfa_mode: Some(mode),
        });
        self
    }

    /// Sets one `additionalData` entry (value at most 100 characters).
    ///
    /// ```
    /// # #[tokio::main] async fn main() {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let err = mock.payabli().update_user(1000000)
    ///     .additional_data("note", "x".repeat(101)).send().await.unwrap_err();
    /// assert!(err.to_string().contains("additionalData"));
    /// # }
    /// ```
    pub fn additional_data(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        match raw::types::UserDataAdditionalDataValue::try_from(value.into()) {
            Ok(v) => {
                self.data
                    .additional_data
                    .get_or_insert_with(BTreeMap::new)
                    .insert(key.into(), v);
            }
            Err(e) => self.invalid("additionalData", e.to_string()),
        }
        self
    }

    /// Overrides the client's per-attempt timeout for this call.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// mock.payabli().update_user(1000000).name("S").timeout(std::time::Duration::from_secs(2)).send().await?;
    /// # Ok(()) }
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
    /// mock.payabli().update_user(1000000).name("S").deadline(std::time::Duration::from_secs(5)).send().await?;
    /// # Ok(()) }
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
    /// mock.payabli().update_user(1000000).name("S").max_retries(0).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.overrides.max_retries(&self.client.settings, retries);
        self
    }

    /// Overrides the client's retry policy for this call.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// mock.payabli().update_user(1000000).name("S").retry_policy(payusers::RetryPolicy::none()).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.overrides.retry = Some(policy);
        self
    }

    /// Validates and returns the wire body, without sending.
    ///
    /// ```
    /// let payabli = payusers::Payabli::builder().token("t").build()?;
    /// let body = payabli.update_user(1).name("Ann").time_zone(-5).to_request()?;
    /// assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"name":"Ann","timeZone":-5}"#);
    /// # Ok::<(), payusers::Error>(())
    /// ```
    pub fn to_request(&self) -> Result<raw::types::UserData, Error> {
        if let Some((field, rule)) = self.errors.first() {
            return Err(Error::Validation {
                field,
                rule: rule.clone(),
                context: Context::new(Provider::Payabli, "update_user"),
            });
        }
        Ok(self.data.clone())
    }

    /// Validates, sends, retries if needed; returns Payabli's answer.
    ///
    /// `isSuccess: false` (e.g. "Declined") is returned as [`Error::Declined`].
    ///
    /// ```
    /// # #[tokio::main] async fn main() {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let ok = mock.payabli().update_user(1000000).name("Sean").send().await.unwrap();
    /// assert_eq!(ok.is_success, Some(true));
    /// // An unknown user is "Declined" with HTTP 200: an error, not a success.
    /// let err = mock.payabli().update_user(42).name("Nobody").send().await.unwrap_err();
    /// assert!(matches!(err, payusers::Error::Declined { .. }));
    /// # }
    /// ```
    pub async fn send(self) -> Result<PayabliApiResponse, Error> {
        self.send_with_response().await.map(Response::into_inner)
    }

    /// Like [`send`](Self::send), with status, headers and request id.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let response = mock.payabli().update_user(1000000).name("S").send_with_response().await?;
    /// assert_eq!(response.status(), 200);
    /// assert_eq!(response.attempts(), 1);
    /// # Ok(()) }
    /// ```
    pub async fn send_with_response(self) -> Result<Response<PayabliApiResponse>, Error> {
        let body = self.to_request()?;
        let client = self.client;
        let call = client.call("update_user", &self.overrides);
        let user_id = self.user_id;
        transport::run(&call, client.auth(), || {
            client.raw.update_user(user_id, &body)
        })
        .await
    }
}

/// A read of one Payabli user; [`send`](Self::send) it.
#[derive(Debug)]
#[must_use = "nothing is sent until you call .send()"]
pub struct GetUser<'a> {
    client: &'a Payabli,
    user_id: i64,
    overrides: CallOverrides,
}

impl GetUser<'_> {
    /// Overrides the per-attempt timeout for this call.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let user = mock.payabli().get_user(1000000).timeout(std::time::Duration::from_secs(3)).send().await?;
    /// assert_eq!(user.name.as_deref(), Some("Sean Smith"));
    /// # Ok(()) }
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.overrides.timeout = Some(timeout);
        self
    }

    /// Overrides the retry count for this call (0 disables).
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let user = mock.payabli().get_user(1000000).max_retries(0).send().await?;
    /// assert_eq!(user.user_id, Some(1000000));
    /// # Ok(()) }
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
    /// let user = mock.payabli().get_user(1000000).deadline(std::time::Duration::from_secs(5)).send().await?;
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
    /// let user = mock.payabli().get_user(1000000).retry_policy(payusers::RetryPolicy::none()).send().await?;
    /// # let _ = user; Ok(()) }
    /// ```
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.overrides.retry = Some(policy);
        self
    }

    /// Sends the read; returns the user record.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let user = mock.payabli().get_user(1000000).send().await?;
    /// assert_eq!(user.email.as_deref(), Some("example@email.com"));
    /// # Ok(()) }
    /// ```
    pub async fn send(self) -> Result<UserRecord, Error> {
        self.send_with_response().await.map(Response::into_inner)
    }

    /// Like [`send`](Self::send), with status, headers and request id.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let response = mock.payabli().get_user(1000000).send_with_response().await?;
    /// assert!(response.request_id().is_some());
    /// # Ok(()) }
    /// ```
    pub async fn send_with_response(self) -> Result<Response<UserRecord>, Error> {
        let client = self.client;
        let call = client.call("get_user", &self.overrides);
        let user_id = self.user_id;
        transport::run(&call, client.auth(), || client.raw.get_user(user_id)).await
    }
}

impl Outcome for PayabliApiResponse {
    fn failure(&self) -> Option<String> {
        match self.is_success {
            Some(true) => None,
            _ => Some(
                self.response_text
                    .clone()
                    .unwrap_or_else(|| "Declined (no responseText)".into()),
            ),
        }
    }
}

impl Outcome for UserRecord {
    fn failure(&self) -> Option<String> {
        None
    }
}

impl ErrorBody for PayabliApiResponse {
    fn message(&self) -> Option<String> {
        self.response_text.clone()
    }
}
