//! Payabli: the client, one readable user model over Payabli's two casings,
//! and builders for what the spec cannot say (the status enum, paging).
//!
//! Environments, the token, retries, errors and the `isSuccess` envelope come
//! from `openapi/payabli.yaml` through the generic [`core`](crate::core);
//! every operation is also on [`Payabli::ops`].
//!
//! ```
//! # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
//! # let mock = payusers::mock::MockServer::start().await.unwrap();
//! # let payabli = mock.payabli();
//! use payusers::payabli::{Language, UserStatus};
//! // let payabli = payusers::Payabli::from_env()?;  // PAYABLI_API_TOKEN, sandbox
//! payabli.update_user(1000000).status(UserStatus::Locked).language(Language::Es).send().await?;
//! let user = payabli.get_user(1000000).send().await?;
//! assert_eq!(user.status, Some(UserStatus::Locked));
//! # Ok(()) }
//! ```

use crate::core::{Call, CallOptions, call_options};
use crate::error::{Context, Error};
use crate::response::Response;
use crate::secret::Password;
use futures_util::{FutureExt as _, Stream};
use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;

/// The client, models and operations generated from `openapi/payabli.yaml`.
pub use crate::generated::payabli as raw;
/// Where a Payabli client sends requests (from the spec's `servers`).
pub use raw::Environment;
/// A user's locale for PartnerHub and PayHub: `en` or `es` (from the spec).
pub use raw::types::Language;
/// Payabli's response envelope (`isSuccess`, `responseText`, `responseData`).
pub use raw::types::PayabliApiResponse;
/// The write model: the body of create and update.
pub use raw::types::UserData;
/// The read model as Payabli sends it (read casing); see [`PayabliUser`].
pub use raw::types::UserQueryRecord;

/// One organization in a write's scope.
pub type Scope = raw::types::UserScope;
/// One role in a user's access list.
pub type Access = raw::types::UserAccess;
/// One organization in a read user's scope (with its `orgEntry`).
pub type ScopeRecord = raw::types::ScopeRecord;

/// A Payabli client: `Payabli::from_env()?` or `Payabli::builder()`.
///
/// ```
/// let payabli = payusers::Payabli::builder().token("app_token").build()?;
/// assert_eq!(payabli.base_url(), "https://api-sandbox.payabli.com/api");
/// assert!(!format!("{payabli:?}").contains("app_token"));
/// # Ok::<(), payusers::Error>(())
/// ```
pub type Payabli = crate::core::Client<raw::ApiSpec>;
/// Configures a [`Payabli`] client.
pub type PayabliBuilder = crate::core::ClientBuilder<raw::ApiSpec>;

/// The smallest `timeZone` the spec allows (`minimum`).
pub const TIME_ZONE_MIN: i32 = -12;
/// The largest `timeZone` the spec allows (`maximum`).
pub const TIME_ZONE_MAX: i32 = 14;

/// A Payabli user's status (`usrStatus` when written, `UsrStatus` when read).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
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
    /// Every status the spec allows.
    pub const ALL: [UserStatus; 4] = [
        UserStatus::Inactive,
        UserStatus::Active,
        UserStatus::Deleted,
        UserStatus::Locked,
    ];

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
        UserStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

impl fmt::Display for UserStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UserStatus::Inactive => "inactive",
            UserStatus::Active => "active",
            UserStatus::Deleted => "deleted",
            UserStatus::Locked => "locked",
        })
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

/// A Payabli user, readable: one model over Payabli's read casing
/// (`Name`, `UsrStatus`, …). Built from [`UserQueryRecord`]; turn it back
/// into a write with [`to_user_data`](Self::to_user_data).
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct PayabliUser {
    /// The user's id (`userId`).
    pub user_id: Option<i64>,
    /// Full name (`Name`).
    pub name: Option<String>,
    /// Email address (`Email`).
    pub email: Option<String>,
    /// Phone number (`Phone`).
    pub phone: Option<String>,
    /// Status, when it is one the spec knows (`UsrStatus`).
    pub status: Option<UserStatus>,
    /// The raw status code, known or not.
    pub status_code: Option<i32>,
    /// Whether MFA is on (`UsrMFA`).
    pub mfa: Option<bool>,
    /// The MFA mode (`UsrMFAMode`).
    pub mfa_mode: Option<i32>,
    /// Roles (`Access`).
    pub access: Option<Vec<Access>>,
    /// Organizations (`Scope`).
    pub scope: Option<Vec<ScopeRecord>>,
    /// Custom key:value pairs (`AdditionalData`; a JSON-object string is
    /// read as pairs too). A value that is not a string is kept as its JSON
    /// text, a `null` left out; [`record`](Self::record) has them as sent.
    pub additional_data: Option<BTreeMap<String, String>>,
    /// UTC offset in hours (`timeZone`).
    pub time_zone: Option<i32>,
    /// Locale, when it is one the spec knows (`language`).
    pub language: Option<Language>,
    /// Creation time (`createdAt`), when it parses as ISO 8601.
    pub created_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Last activity (`lastAccess`), when it parses as ISO 8601.
    pub last_access: Option<chrono::DateTime<chrono::Utc>>,
    /// Linked social network (`snProvider`).
    pub sn_provider: Option<String>,
    /// The record as received.
    pub record: UserQueryRecord,
}

/// Parses Payabli's timestamps: RFC 3339, or a date-time without an offset
/// (read as UTC, as the docs say and the vendor SDK does), its date and
/// time apart by `T` or by a space (the "Get user" page's example has
/// `"createdAt": "2022-07-01 15:00:01"` beside `"lastAccess":
/// "2022-07-01T15:00:01"`).
fn timestamp(text: Option<&str>) -> Option<chrono::DateTime<chrono::Utc>> {
    let text = text?.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&chrono::Utc));
    }
    [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
    ]
    .iter()
    .find_map(|f| chrono::NaiveDateTime::parse_from_str(text, f).ok())
    .map(|t| t.and_utc())
}

/// `AdditionalData` as text: a string as it is, any other value as its
/// JSON, a `null` left out (the record keeps them all as received).
fn text_values(map: &serde_json::Map<String, serde_json::Value>) -> BTreeMap<String, String> {
    map.iter()
        .filter_map(|(key, value)| {
            let text = match value {
                serde_json::Value::Null => return None,
                serde_json::Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            Some((key.clone(), text))
        })
        .collect()
}

impl From<UserQueryRecord> for PayabliUser {
    fn from(record: UserQueryRecord) -> Self {
        use raw::types::UserQueryRecordAdditionalData as Extra;
        let additional_data = match &record.additional_data {
            Some(Extra::Object(map)) => Some(text_values(map)),
            Some(Extra::String(text)) => {
                serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text)
                    .ok()
                    .map(|map| text_values(&map))
            }
            None => None,
        };
        PayabliUser {
            user_id: record.user_id,
            name: record.name.clone(),
            email: record.email.clone(),
            phone: record.phone.clone(),
            status: record.usr_status.and_then(UserStatus::from_code),
            status_code: record.usr_status,
            mfa: record.usr_mfa,
            mfa_mode: record.usr_mfa_mode,
            access: record.access.clone(),
            scope: record.scope.clone(),
            additional_data,
            time_zone: record.time_zone,
            language: record.language.as_deref().and_then(|l| l.parse().ok()),
            created_at: timestamp(record.created_at.as_deref()),
            last_access: timestamp(record.last_access.as_deref()),
            sn_provider: record.sn_provider.clone(),
            record,
        }
    }
}

impl PayabliUser {
    /// The same user as a write body (write casing), e.g. to copy it or to
    /// restore it. Values the write model refuses (an unknown status, an
    /// over-long field) are left out rather than sent wrong.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let user = mock.payabli().get_user(1000000).send().await?;
    /// let body = user.to_user_data();
    /// assert_eq!(body.name, user.name);
    /// # Ok(()) }
    /// ```
    pub fn to_user_data(&self) -> UserData {
        UserData {
            name: self.name.clone(),
            email: self.email.as_deref().and_then(|e| e.try_into().ok()),
            phone: self.phone.as_deref().and_then(|p| p.try_into().ok()),
            usr_status: self.status.map(Into::into),
            time_zone: self
                .time_zone
                .filter(|t| (TIME_ZONE_MIN..=TIME_ZONE_MAX).contains(t)),
            language: self.language,
            access: self.access.clone(),
            scope: self.scope.as_ref().map(|s| {
                s.iter()
                    .map(|r| Scope {
                        org_id: r.org_id,
                        org_type: r.org_type,
                    })
                    .collect()
            }),
            mfa_data: (self.mfa.is_some() || self.mfa_mode.is_some()).then_some(
                raw::types::MfaData {
                    mfa: self.mfa,
                    mfa_mode: self.mfa_mode,
                },
            ),
            additional_data: self.additional_data.as_ref().map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str().try_into().ok()?)))
                    .collect()
            }),
            pwd: None,
        }
    }
}

impl Payabli {
    /// Starts creating a user; `send` returns the new user's id when the
    /// answer names it (see [`Write::send`](Write#method.send-1)). Not
    /// retried unless you set an [`idempotency_key`](Write::idempotency_key).
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let id = mock.payabli().create_user().name("Ada").email("ada@example.com").scope(0, 123).send().await?;
    /// let id = id.expect("the mock answers the new id");
    /// assert_eq!(mock.payabli().get_user(id).send().await?.name.as_deref(), Some("Ada"));
    /// # Ok(()) }
    /// ```
    pub fn create_user(&self) -> CreateUser<'_> {
        Write::new(self, 0)
    }

    /// Starts a partial update of user `user_id`: only the fields you set are sent.
    pub fn update_user(&self, user_id: i64) -> UpdateUser<'_> {
        Write::new(self, user_id)
    }

    /// Reads user `user_id` as a [`PayabliUser`].
    pub fn get_user(&self, user_id: i64) -> GetUser<'_> {
        GetUser {
            client: self,
            user_id,
            entry: None,
            level: None,
            options: CallOptions::default(),
        }
    }

    /// Deletes user `user_id`.
    pub fn delete_user(&self, user_id: i64) -> Call<'_, raw::ops::DeleteUser> {
        self.ops().delete_user(user_id)
    }

    /// Turns MFA on or off for user `user_id` (`mode` as Payabli numbers it;
    /// `None` leaves it).
    pub fn update_mfa(
        &self,
        user_id: i64,
        enabled: bool,
        mode: impl Into<Option<i32>>,
    ) -> Call<'_, raw::ops::UpdateUserMfa> {
        self.ops().update_user_mfa(
            user_id,
            raw::types::MfaData {
                mfa: Some(enabled),
                mfa_mode: mode.into(),
            },
        )
    }

    /// Lists the users of organization `org_id`, paging on its own.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let users = mock.payabli().list_users(123).page_size(1).collect().await?;
    /// assert!(users.iter().all(|u| u.scope.iter().flatten().any(|s| s.org_id == Some(123))));
    /// # Ok(()) }
    /// ```
    pub fn list_users(&self, org_id: i64) -> ListUsers<'_> {
        ListUsers::new(self, Source::Org(org_id))
    }

    /// Lists the users of the paypoint with entry `entry`.
    pub fn list_paypoint_users(&self, entry: impl Into<String>) -> ListUsers<'_> {
        ListUsers::new(self, Source::Paypoint(entry.into()))
    }
}

/// What a write builder creates or updates.
pub trait WriteKind {
    /// The operation's id (the spec's `operationId`), for errors.
    const OPERATION: &'static str;
}

/// Marks a [`Write`] that creates a user.
#[derive(Debug)]
pub enum Create {}
/// Marks a [`Write`] that updates a user.
#[derive(Debug)]
pub enum Update {}

impl WriteKind for Create {
    const OPERATION: &'static str = "add_user";
}
impl WriteKind for Update {
    const OPERATION: &'static str = "update_user";
}

/// A create of one Payabli user.
pub type CreateUser<'c> = Write<'c, Create>;
/// A partial update of one Payabli user.
pub type UpdateUser<'c> = Write<'c, Update>;

/// A create or partial update; set fields, then `send`.
///
/// Each setter checks its value by the spec's rules (lengths, email, the
/// timezone range); the first failure is reported as an
/// [`Error::Validation`] naming the field when you send.
#[must_use = "nothing is sent until you call .send()"]
pub struct Write<'c, K> {
    client: &'c Payabli,
    user_id: i64,
    data: UserData,
    errors: Vec<(&'static str, String)>,
    options: CallOptions,
    _kind: PhantomData<K>,
}

impl<K> fmt::Debug for Write<'_, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `UserData`'s `pwd` is a `Password`, whose Debug is redacted.
        f.debug_struct("Write")
            .field("user_id", &self.user_id)
            .field("data", &self.data)
            .field("errors", &self.errors)
            .field("options", &self.options)
            .finish()
    }
}

impl<'c, K> Write<'c, K> {
    fn new(client: &'c Payabli, user_id: i64) -> Self {
        Write {
            client,
            user_id,
            data: UserData::default(),
            errors: Vec::new(),
            options: CallOptions::default(),
            _kind: PhantomData,
        }
    }

    fn invalid(&mut self, field: &'static str, rule: String) {
        self.errors.push((field, rule));
    }

    /// The user's full name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.data.name = Some(name.into());
        self
    }

    /// The email address (at most 320 characters, an email).
    ///
    /// ```
    /// # let payabli = payusers::Payabli::builder().token("t").build().unwrap();
    /// let err = payabli.update_user(1).email("not-an-email").to_request().unwrap_err();
    /// assert!(err.to_string().contains("`email`"));
    /// ```
    pub fn email(mut self, email: impl Into<String>) -> Self {
        // The spec's maxLength here (the type holds it); the format is
        // checked with the spec's other rules when the body is finished.
        match raw::types::UserDataEmail::try_from(email.into()) {
            Err(e) => self.invalid("email", e.to_string()),
            Ok(v) => self.data.email = Some(v),
        }
        self
    }

    /// The phone number (at most 50 characters).
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        match raw::types::UserDataPhone::try_from(phone.into()) {
            Ok(v) => self.data.phone = Some(v),
            Err(e) => self.invalid("phone", e.to_string()),
        }
        self
    }

    /// A new password (never shown in `Debug`, logs or errors).
    pub fn password(mut self, password: impl Into<Password>) -> Self {
        self.data.pwd = Some(password.into());
        self
    }

    /// The user's status.
    pub fn status(mut self, status: UserStatus) -> Self {
        self.data.usr_status = Some(status.into());
        self
    }

    /// The timezone as a UTC offset in hours (−12 to 14).
    pub fn time_zone(mut self, offset_hours: i32) -> Self {
        // The range is the spec's, checked when the body is finished.
        self.data.time_zone = Some(offset_hours);
        self
    }

    /// The locale for PartnerHub and PayHub.
    pub fn language(mut self, language: Language) -> Self {
        self.data.language = Some(language);
        self
    }

    /// Adds an organization to the scope; `org_type` may be left out (`None`).
    pub fn scope(mut self, org_type: impl Into<Option<i32>>, org_id: i64) -> Self {
        self.data.scope.get_or_insert_with(Vec::new).push(Scope {
            org_type: org_type.into(),
            org_id: Some(org_id),
        });
        self
    }

    /// Sets the whole scope; an empty list is sent as `[]` (no organization).
    pub fn set_scope(mut self, scope: impl IntoIterator<Item = Scope>) -> Self {
        self.data.scope = Some(scope.into_iter().collect());
        self
    }

    /// Adds a role, granted or refused.
    pub fn access(mut self, role: impl Into<String>, granted: bool) -> Self {
        self.data.access.get_or_insert_with(Vec::new).push(Access {
            role_label: Some(role.into()),
            role_value: Some(granted),
        });
        self
    }

    /// Sets the whole access list; an empty list is sent as `[]` (no roles).
    pub fn set_access(mut self, access: impl IntoIterator<Item = Access>) -> Self {
        self.data.access = Some(access.into_iter().collect());
        self
    }

    /// Multi-factor authentication on or off; `mode` may be left out (`None`).
    pub fn mfa(mut self, enabled: bool, mode: impl Into<Option<i32>>) -> Self {
        self.data.mfa_data = Some(raw::types::MfaData {
            mfa: Some(enabled),
            mfa_mode: mode.into(),
        });
        self
    }

    /// Adds one custom key:value pair (a value at most 100 characters).
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

    /// Sets all custom pairs; an empty map is sent as `{}`.
    pub fn set_additional_data(
        mut self,
        pairs: impl IntoIterator<Item = (String, String)>,
    ) -> Self {
        let mut map = BTreeMap::new();
        for (key, value) in pairs {
            match raw::types::UserDataAdditionalDataValue::try_from(value) {
                Ok(v) => {
                    map.insert(key, v);
                }
                Err(e) => self.invalid("additionalData", e.to_string()),
            }
        }
        self.data.additional_data = Some(map);
        self
    }

    /// Starts from a whole write body (e.g. [`PayabliUser::to_user_data`]).
    pub fn data(mut self, data: UserData) -> Self {
        self.data = data;
        self
    }

    call_options!();

    /// Validates the fields and builds the wire body, without sending.
    pub fn to_request(&self) -> Result<UserData, Error>
    where
        K: WriteKind,
    {
        self.check()?;
        Ok(self.data.clone())
    }

    /// The first problem a setter recorded, then the first rule of the
    /// spec the body breaks (`crate::core::Check`), as an error.
    fn check(&self) -> Result<(), Error>
    where
        K: WriteKind,
    {
        self.recorded()?;
        crate::core::Check::check(&self.data).map_err(|e| Error::Validation {
            field: e.field,
            rule: e.rule,
            context: Context::new(self.client.provider(), K::OPERATION),
        })
    }

    /// The first problem a setter recorded, as an error. Sending needs no
    /// more: the call checks the body against the spec before sending.
    fn recorded(&self) -> Result<(), Error>
    where
        K: WriteKind,
    {
        match self.errors.first() {
            None => Ok(()),
            Some((field, rule)) => Err(Error::Validation {
                field,
                rule: rule.clone(),
                context: Context::new(self.client.provider(), K::OPERATION),
            }),
        }
    }
}

impl<'c> Write<'c, Create> {
    /// Validates, sends; returns the new user's id, or `None` when the
    /// answer names none.
    ///
    /// The vendor SDK reads the id from `responseData`, but the "Create
    /// user" page's own example answers `"responseData": null` with
    /// `isSuccess: true`: the user was created, and its id must be looked
    /// up (e.g. [`list_users`](Payabli::list_users) with
    /// [`email`](ListUsers::email)). Never retry a create on `None`: that
    /// makes a second user.
    pub fn send(self) -> impl Future<Output = Result<Option<i64>, Error>> {
        crate::response::body_of(self.send_with_response())
    }

    /// Like [`send`](Self::send), with status, headers and request id.
    ///
    /// A success whose `responseData` is a value other than an id (an
    /// object, a word) is an [`Error::UnexpectedResponse`] that says the
    /// user was created: the answer is not what Payabli documents.
    pub fn send_with_response(self) -> impl Future<Output = Result<Response<Option<i64>>, Error>> {
        let client = self.client;
        // Kept for scrubbing an answer the call itself cannot judge.
        let pwd = self.data.pwd.clone();
        // Checked now, and the answer read in a `map`, not an `async`
        // block: see `Call::send_checked`. The body is moved out, not
        // cloned as `to_request` must.
        let call = self
            .recorded()
            .map(|()| client.ops().add_user(self.data).options(self.options));
        Call::send_checked(call).map(move |sent| {
            let response = sent?;
            let id = match created(&response) {
                CreatedId::Id(id) => Some(id),
                CreatedId::NotNamed => None,
                CreatedId::NotAnId => {
                    let data = &response.response_data;
                    return Err(Error::UnexpectedResponse {
                        reason:
                            "the user was created (`isSuccess: true`), but `responseData` is not \
                             its id: do not retry the create"
                                .into(),
                        // Its kind only, never its values: the answer to a create
                        // may echo what was sent, a password included.
                        body_excerpt: format!("`responseData` is {}", json_kind(data)),
                        context: response.context(
                            client.provider(),
                            "add_user",
                            client
                                .auth()
                                .secrets()
                                .chain(pwd.as_ref().map(|p| p.expose())),
                        ),
                    });
                }
            };
            Ok(response.map(|_| id))
        })
    }
}

/// What a successful create's answer (`responseData`) says of the new user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreatedId {
    /// Its id: a string, as the vendor SDK types it, or an integer.
    Id(i64),
    /// None named: absent or `null`, as the docs' example answers.
    NotNamed,
    /// Something that is no id (an object, a word): not what Payabli documents.
    NotAnId,
}

/// Reads a create's answer: the one rule the facade and the CLI share.
pub fn created(answer: &PayabliApiResponse) -> CreatedId {
    match &answer.response_data {
        None | Some(serde_json::Value::Null) => CreatedId::NotNamed,
        data => new_id(data).map_or(CreatedId::NotAnId, CreatedId::Id),
    }
}

/// The new user's id in a create's answer (`responseData`): a string, as the
/// vendor SDK types it, or an integer; `None` when absent, `null` (as the
/// docs' example answers) or not an id.
pub fn created_id(answer: &PayabliApiResponse) -> Option<i64> {
    new_id(&answer.response_data)
}

/// What a JSON value is, without any of its contents.
fn json_kind(value: &Option<serde_json::Value>) -> String {
    use serde_json::Value;
    let Some(value) = value else {
        return "absent".into();
    };
    let kind = crate::validate::json_kind(value);
    match value {
        Value::Number(_) => format!("{kind} that is not a 64-bit integer"),
        Value::String(_) => format!("{kind} that is not an integer"),
        Value::Array(items) => format!("{kind} of {} items", items.len()),
        Value::Object(fields) => format!("{kind} of {} fields", fields.len()),
        Value::Null | Value::Bool(_) => kind.into(),
    }
}

fn new_id(data: &Option<serde_json::Value>) -> Option<i64> {
    match data.as_ref()? {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl<'c> Write<'c, Update> {
    /// Validates, sends, retries if needed; a 200 with `isSuccess: false`
    /// is an [`Error::Declined`].
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let answer = mock.payabli().update_user(1000000).name("Sean Smith").send().await?;
    /// assert_eq!(answer.response_text.as_deref(), Some("Success"));
    /// # Ok(()) }
    /// ```
    pub fn send(self) -> impl Future<Output = Result<PayabliApiResponse, Error>> {
        crate::response::body_of(self.send_with_response())
    }

    /// Like [`send`](Self::send), with status, headers and request id.
    pub fn send_with_response(
        self,
    ) -> impl Future<Output = Result<Response<PayabliApiResponse>, Error>> {
        // Checked now, not in an `async` block: see `Call::send_checked`.
        let call = self.recorded().map(|()| {
            self.client
                .ops()
                .update_user(self.user_id, self.data)
                .options(self.options)
        });
        Call::send_checked(call)
    }
}

/// A read of one Payabli user (see [`Payabli::get_user`]).
#[derive(Debug)]
#[must_use = "nothing is sent until you call .send()"]
pub struct GetUser<'c> {
    client: &'c Payabli,
    user_id: i64,
    entry: Option<String>,
    level: Option<i64>,
    options: CallOptions,
}

impl GetUser<'_> {
    /// The entrypoint identifier to read the user in.
    pub fn entry(mut self, entry: impl Into<String>) -> Self {
        self.entry = Some(entry.into());
        self
    }

    /// The entry level: 0 partner, 2 paypoint.
    pub fn level(mut self, level: i64) -> Self {
        self.level = Some(level);
        self
    }

    call_options!();

    /// Sends the read; returns the user.
    ///
    /// Every field of Payabli's read model is optional, so an answer that
    /// is not a record of this user (`{}`, a bare `{"responseText": …}`
    /// with no `isSuccess`, another user) would decode as one: it is
    /// [`Error::UnexpectedResponse`] instead, unless its `userId` is the
    /// one asked for (the spec's `x-payusers-echo`).
    pub fn send(self) -> impl Future<Output = Result<PayabliUser, Error>> {
        crate::response::body_of(self.send_with_response())
    }

    /// Like [`send`](Self::send), with status, headers and request id.
    pub fn send_with_response(self) -> impl Future<Output = Result<Response<PayabliUser>, Error>> {
        let (client, user_id) = (self.client, self.user_id);
        // The answer is converted in a `map`, not an `async` block around
        // the call: see `Call::send_checked`.
        client
            .ops()
            .get_user(user_id, self.entry, self.level)
            .options(self.options)
            .send_with_response()
            .map(|sent| Ok(sent?.map(PayabliUser::from)))
    }
}

/// Which users a listing reads.
#[derive(Debug, Clone)]
enum Source {
    Org(i64),
    Paypoint(String),
}

/// A listing of Payabli users (see [`Payabli::list_users`]).
#[derive(Debug)]
#[must_use = "nothing is sent until you call .stream() or .collect()"]
pub struct ListUsers<'c> {
    client: &'c Payabli,
    source: Source,
    page_size: i64,
    limit: Option<usize>,
    sort_by: Option<String>,
    name_contains: Option<String>,
    email: Option<String>,
    status: Option<UserStatus>,
    options: CallOptions,
}

/// Payabli's default page size (`limitRecord`).
pub const DEFAULT_PAGE_SIZE: i64 = 20;

impl<'c> ListUsers<'c> {
    fn new(client: &'c Payabli, source: Source) -> Self {
        ListUsers {
            client,
            source,
            page_size: DEFAULT_PAGE_SIZE,
            limit: None,
            sort_by: None,
            name_contains: None,
            email: None,
            status: None,
            options: CallOptions::default(),
        }
    }

    /// Records per request (`limitRecord`, default 20; 0 asks for all in one answer).
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = i64::from(size);
        self
    }

    /// Stops after this many users.
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Sort order, e.g. `desc(createdDate)`.
    pub fn sort_by(mut self, sort: impl Into<String>) -> Self {
        self.sort_by = Some(sort.into());
        self
    }

    /// Only users whose name contains this text.
    pub fn name_contains(mut self, text: impl Into<String>) -> Self {
        self.name_contains = Some(text.into());
        self
    }

    /// Only the user with this email.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// Only users with this status.
    pub fn status(mut self, status: UserStatus) -> Self {
        self.status = Some(status);
        self
    }

    call_options!();

    /// The users as a stream, fetching pages (by `fromRecord` offsets) as it goes.
    ///
    /// A user an earlier page brought is not yielded again; a second page
    /// in a row with no new `userId` (a server ignoring `fromRecord`, or
    /// sending users without ids) ends the stream with
    /// [`Error::UnexpectedResponse`] rather than repeating it forever.
    pub fn stream(self) -> impl Stream<Item = Result<PayabliUser, Error>> + 'c {
        let operation = match self.source {
            Source::Org(_) => "list_users_org",
            Source::Paypoint(_) => "list_users_paypoint",
        };
        let id = |user: &PayabliUser| user.user_id.map(|id| id.to_string());
        let client = self.client;
        crate::paging::items(self.limit, id, move |cursor| {
            let size = self.page_size;
            let status = self.status.map(UserStatus::code);
            let ops = self.client.ops();
            let options = self.options.clone();
            let (sort, name, email) = (
                self.sort_by.clone(),
                self.name_contains.clone(),
                self.email.clone(),
            );
            let source = self.source.clone();
            async move {
                let from = Some(cursor.offset);
                let page = match source {
                    Source::Org(org) => {
                        ops.list_users_org(
                            org,
                            None,
                            email,
                            from,
                            Some(size),
                            name,
                            sort,
                            status,
                            None,
                        )
                        .options(options)
                        .send_with_response()
                        .await?
                    }
                    Source::Paypoint(entry) => {
                        ops.list_users_paypoint(
                            entry,
                            None,
                            email,
                            from,
                            Some(size),
                            name,
                            sort,
                            status,
                            None,
                        )
                        .options(options)
                        .send_with_response()
                        .await?
                    }
                };
                let context = page.context(client.provider(), operation, client.auth().secrets());
                let page = page.into_inner();
                let total = page.summary.as_ref().and_then(|s| s.total_records);
                let records: Vec<PayabliUser> = page
                    .records
                    .unwrap_or_default()
                    .into_iter()
                    .map(PayabliUser::from)
                    .collect();
                let seen = cursor.offset + records.len() as i64;
                // `totalRecords`, when sent, says whether more are left (a
                // server capping `limitRecord` answers short pages that are
                // not the last); without it, a short page is the last.
                let last = match total {
                    Some(total) => seen >= total || records.is_empty(),
                    None => size <= 0 || (records.len() as i64) < size,
                };
                Ok(crate::paging::Page {
                    items: records,
                    last,
                    context,
                })
            }
        })
    }

    /// Every user in one `Vec` (for small lists).
    pub async fn collect(self) -> Result<Vec<PayabliUser>, Error> {
        use futures_util::TryStreamExt;
        self.stream().try_collect().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_with_and_without_offset() {
        let with = timestamp(Some("2022-07-01T15:00:01Z")).unwrap();
        let without = timestamp(Some("2022-07-01T15:00:01")).unwrap();
        assert_eq!(with, without);
        // The "Get user" page's `createdAt`: a space for the `T`.
        assert_eq!(timestamp(Some("2022-07-01 15:00:01")), Some(with));
        assert_eq!(
            timestamp(Some("2022-07-01 15:00:01.250")),
            timestamp(Some("2022-07-01T15:00:01.25Z"))
        );
        assert!(timestamp(Some("2022-07-01")).is_none());
        assert!(timestamp(Some("yesterday")).is_none());
    }

    #[test]
    fn new_ids_as_string_or_number() {
        assert_eq!(new_id(&Some(serde_json::json!("1000001"))), Some(1000001));
        assert_eq!(new_id(&Some(serde_json::json!(7))), Some(7));
        assert_eq!(new_id(&Some(serde_json::Value::Null)), None);
        assert_eq!(new_id(&None), None);
    }
}
