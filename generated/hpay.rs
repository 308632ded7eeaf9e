// generated from openapi/hpay.yaml — do not edit.
// Regenerate with `cargo xtask codegen`; `cargo xtask check` proves this file is current.
// spec digest (FNV-1a 64): b2c27b375c59f3dd

#[allow(unused_imports)]
pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
#[allow(unused_imports)]
use progenitor_client::{encode_path, ClientHooks, OperationInfo, RequestBuilderExt};
/// Types used as operation parameters and responses.
#[allow(clippy::all)]
pub mod types {
    ///Body of POST /api/v1/users/create/ (hPay "Create User" page).
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct CreateUserRequest {
        ///Your own identifier for this user, to reconcile hPay users with your database; it cannot be changed later.
        pub app_user_id: i64,
        ///Email address of the user (optional). hPay documents a plain string; `format: email` is ours (inferred), and the mock refuses a value that is not an address as hPay would be expected to.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub email: ::std::option::Option<::std::string::String>,
        ///Whether the user is active on creation. That hPay's default is `true` is inferred (its docs list the field as optional, with no default; every documented answer shows `true`); it is deliberately not a schema `default`, so an unset field is simply not sent.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub is_active: ::std::option::Option<bool>,
        ///Full name of the user. Not empty: `minLength` is ours, inferred from the field being required (hPay documents no length).
        pub name: CreateUserRequestName,
        ///Phone number with country code, e.g. `+23279123456`. The pattern (`+` then 7 to 15 digits, E.164) is inferred from every documented example.
        pub phone_number: CreateUserRequestPhoneNumber,
        ///Optional username.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub username: ::std::option::Option<::std::string::String>,
    }
    ///Full name of the user. Not empty: `minLength` is ours, inferred from the field being required (hPay documents no length).
    #[derive(
        ::serde::Serialize,
        Clone,
        Debug,
        Eq,
        Hash,
        Ord,
        PartialEq,
        PartialOrd,
        schemars::JsonSchema
    )]
    #[serde(transparent)]
    pub struct CreateUserRequestName(::std::string::String);
    impl ::std::ops::Deref for CreateUserRequestName {
        type Target = ::std::string::String;
        fn deref(&self) -> &::std::string::String {
            &self.0
        }
    }
    impl ::std::convert::From<CreateUserRequestName> for ::std::string::String {
        fn from(value: CreateUserRequestName) -> Self {
            value.0
        }
    }
    impl ::std::str::FromStr for CreateUserRequestName {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            if value.chars().count() < 1usize {
                return Err("shorter than 1 characters".into());
            }
            Ok(Self(value.to_string()))
        }
    }
    impl ::std::convert::TryFrom<&str> for CreateUserRequestName {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for CreateUserRequestName {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl<'de> ::serde::Deserialize<'de> for CreateUserRequestName {
        fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
        where
            D: ::serde::Deserializer<'de>,
        {
            ::std::string::String::deserialize(deserializer)?
                .parse()
                .map_err(|e: self::error::ConversionError| {
                    <D::Error as ::serde::de::Error>::custom(e.to_string())
                })
        }
    }
    ///Phone number with country code, e.g. `+23279123456`. The pattern (`+` then 7 to 15 digits, E.164) is inferred from every documented example.
    #[derive(
        ::serde::Serialize,
        Clone,
        Debug,
        Eq,
        Hash,
        Ord,
        PartialEq,
        PartialOrd,
        schemars::JsonSchema
    )]
    #[serde(transparent)]
    pub struct CreateUserRequestPhoneNumber(::std::string::String);
    impl ::std::ops::Deref for CreateUserRequestPhoneNumber {
        type Target = ::std::string::String;
        fn deref(&self) -> &::std::string::String {
            &self.0
        }
    }
    impl ::std::convert::From<CreateUserRequestPhoneNumber> for ::std::string::String {
        fn from(value: CreateUserRequestPhoneNumber) -> Self {
            value.0
        }
    }
    impl ::std::str::FromStr for CreateUserRequestPhoneNumber {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            static PATTERN: crate::pattern::Program = crate::pattern::Program {
                anchored: true,
                insts: &[
                    crate::pattern::Inst::Start,
                    crate::pattern::Inst::Class(&[('+', '+')]),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Split(10, 25),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Split(12, 25),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Split(14, 25),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Split(16, 25),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Split(18, 25),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Split(20, 25),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Split(22, 25),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Split(24, 25),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::End,
                    crate::pattern::Inst::Match,
                ],
                runs: Some(
                    &[
                        crate::pattern::Run {
                            class: &[('+', '+')],
                            min: 1,
                            max: 1,
                        },
                        crate::pattern::Run {
                            class: &[('0', '9')],
                            min: 7,
                            max: 15,
                        },
                    ],
                ),
            };
            if !crate::pattern::is_match(&PATTERN, value) {
                return Err("doesn't match pattern \"^\\+[0-9]{7,15}$\"".into());
            }
            Ok(Self(value.to_string()))
        }
    }
    impl ::std::convert::TryFrom<&str> for CreateUserRequestPhoneNumber {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String>
    for CreateUserRequestPhoneNumber {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl<'de> ::serde::Deserialize<'de> for CreateUserRequestPhoneNumber {
        fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
        where
            D: ::serde::Deserializer<'de>,
        {
            ::std::string::String::deserialize(deserializer)?
                .parse()
                .map_err(|e: self::error::ConversionError| {
                    <D::Error as ::serde::de::Error>::custom(e.to_string())
                })
        }
    }
    ///The answer to a delete (hPay "Delete User" page). `message` is required because the documented answer always carries it: a 200 without one (say, Django REST Framework's `{"detail": "Not found."}` behind a proxy) is not taken for a delete.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct DeleteUserResponse {
        ///Confirmation, e.g. "User deleted successfully".
        pub message: ::std::string::String,
    }
    ///An hPay error body. hPay does not document the error shape. hPay runs on Django REST Framework (inferred), whose bodies are `{"detail": "…"}`, or a field name mapped to a list of messages for validation errors; other integrators report `message` and `error`. All three are read, and a field mapped to a list of messages is read as `field: message`.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct ErrorResponse {
        ///The human-readable explanation (Django REST Framework's field).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub detail: ::std::option::Option<::std::string::String>,
        ///A short machine-readable error code, when sent.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub error: ::std::option::Option<::std::string::String>,
        ///A human-readable explanation (alternative field name), when sent.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub message: ::std::option::Option<::std::string::String>,
    }
    ///Body of PUT /api/v1/users/{user_id}/ (hPay "Update User" page). A full update: `app_user_id`, `name` and `phone_number` are always required.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct UpdateUserRequest {
        ///The current user id from your application. Required, but cannot be changed: it must match the id assigned at creation or hPay answers 400.
        pub app_user_id: i64,
        ///Updated email address (optional; the email format is ours, inferred).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub email: ::std::option::Option<::std::string::String>,
        ///Update whether the user account is active (optional).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub is_active: ::std::option::Option<bool>,
        ///Updated full name of the user (required; not empty is ours, inferred).
        pub name: UpdateUserRequestName,
        ///Updated phone number (required), in international form: `+`, then the country code and number, 7 to 15 digits (E.164). The pattern is inferred from every documented example, e.g. `+23279123456`.
        pub phone_number: UpdateUserRequestPhoneNumber,
        ///Updated username (optional).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub username: ::std::option::Option<::std::string::String>,
    }
    ///Updated full name of the user (required; not empty is ours, inferred).
    #[derive(
        ::serde::Serialize,
        Clone,
        Debug,
        Eq,
        Hash,
        Ord,
        PartialEq,
        PartialOrd,
        schemars::JsonSchema
    )]
    #[serde(transparent)]
    pub struct UpdateUserRequestName(::std::string::String);
    impl ::std::ops::Deref for UpdateUserRequestName {
        type Target = ::std::string::String;
        fn deref(&self) -> &::std::string::String {
            &self.0
        }
    }
    impl ::std::convert::From<UpdateUserRequestName> for ::std::string::String {
        fn from(value: UpdateUserRequestName) -> Self {
            value.0
        }
    }
    impl ::std::str::FromStr for UpdateUserRequestName {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            if value.chars().count() < 1usize {
                return Err("shorter than 1 characters".into());
            }
            Ok(Self(value.to_string()))
        }
    }
    impl ::std::convert::TryFrom<&str> for UpdateUserRequestName {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for UpdateUserRequestName {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl<'de> ::serde::Deserialize<'de> for UpdateUserRequestName {
        fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
        where
            D: ::serde::Deserializer<'de>,
        {
            ::std::string::String::deserialize(deserializer)?
                .parse()
                .map_err(|e: self::error::ConversionError| {
                    <D::Error as ::serde::de::Error>::custom(e.to_string())
                })
        }
    }
    ///Updated phone number (required), in international form: `+`, then the country code and number, 7 to 15 digits (E.164). The pattern is inferred from every documented example, e.g. `+23279123456`.
    #[derive(
        ::serde::Serialize,
        Clone,
        Debug,
        Eq,
        Hash,
        Ord,
        PartialEq,
        PartialOrd,
        schemars::JsonSchema
    )]
    #[serde(transparent)]
    pub struct UpdateUserRequestPhoneNumber(::std::string::String);
    impl ::std::ops::Deref for UpdateUserRequestPhoneNumber {
        type Target = ::std::string::String;
        fn deref(&self) -> &::std::string::String {
            &self.0
        }
    }
    impl ::std::convert::From<UpdateUserRequestPhoneNumber> for ::std::string::String {
        fn from(value: UpdateUserRequestPhoneNumber) -> Self {
            value.0
        }
    }
    impl ::std::str::FromStr for UpdateUserRequestPhoneNumber {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            static PATTERN: crate::pattern::Program = crate::pattern::Program {
                anchored: true,
                insts: &[
                    crate::pattern::Inst::Start,
                    crate::pattern::Inst::Class(&[('+', '+')]),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Split(10, 25),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Split(12, 25),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Split(14, 25),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Split(16, 25),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Split(18, 25),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Split(20, 25),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Split(22, 25),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::Split(24, 25),
                    crate::pattern::Inst::Class(&[('0', '9')]),
                    crate::pattern::Inst::End,
                    crate::pattern::Inst::Match,
                ],
                runs: Some(
                    &[
                        crate::pattern::Run {
                            class: &[('+', '+')],
                            min: 1,
                            max: 1,
                        },
                        crate::pattern::Run {
                            class: &[('0', '9')],
                            min: 7,
                            max: 15,
                        },
                    ],
                ),
            };
            if !crate::pattern::is_match(&PATTERN, value) {
                return Err("doesn't match pattern \"^\\+[0-9]{7,15}$\"".into());
            }
            Ok(Self(value.to_string()))
        }
    }
    impl ::std::convert::TryFrom<&str> for UpdateUserRequestPhoneNumber {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String>
    for UpdateUserRequestPhoneNumber {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl<'de> ::serde::Deserialize<'de> for UpdateUserRequestPhoneNumber {
        fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
        where
            D: ::serde::Deserializer<'de>,
        {
            ::std::string::String::deserialize(deserializer)?
                .parse()
                .map_err(|e: self::error::ConversionError| {
                    <D::Error as ::serde::de::Error>::custom(e.to_string())
                })
        }
    }
    ///An hPay user as the user endpoints return it. Create answers both timestamps, update answers `updated_at`, get and list answer `created_at` (hPay reference pages), so both are optional.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct User {
        ///The user id from your application.
        pub app_user_id: i64,
        ///ISO 8601 timestamp of creation (create, get and list answers).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        #[serde(default, deserialize_with = "crate::timestamp::option_utc")]
        pub created_at: ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>,
        ///The user's email address; absent or null when none is on file.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub email: ::std::option::Option<::std::string::String>,
        ///hPay's identifier for the user (a UUID for users created through the API).
        pub id: ::std::string::String,
        ///Whether the user account is active.
        pub is_active: bool,
        ///The user's full name.
        pub name: ::std::string::String,
        ///The user's phone number.
        pub phone_number: ::std::string::String,
        ///ISO 8601 timestamp of the last update (create and update answers).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        #[serde(default, deserialize_with = "crate::timestamp::option_utc")]
        pub updated_at: ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>,
        ///The user's username, when one is on file (not shown on the reference pages).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub username: ::std::option::Option<::std::string::String>,
    }
    /// Error types.
    pub mod error {
        /// Error from a `TryFrom` or `FromStr` implementation.
        pub struct ConversionError(::std::borrow::Cow<'static, str>);
        impl ::std::error::Error for ConversionError {}
        impl ::std::fmt::Display for ConversionError {
            fn fmt(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> Result<(), ::std::fmt::Error> {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }
        impl ::std::fmt::Debug for ConversionError {
            fn fmt(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> Result<(), ::std::fmt::Error> {
                ::std::fmt::Debug::fmt(&self.0, f)
            }
        }
        impl From<&'static str> for ConversionError {
            fn from(value: &'static str) -> Self {
                Self(value.into())
            }
        }
        impl From<String> for ConversionError {
            fn from(value: String) -> Self {
                Self(value.into())
            }
        }
    }
}
#[derive(Clone, Debug)]
/**Client for HOST Pay (hPay) users API

The hPay application endpoints that manage an application's users, written by hand from hPay's public API reference (https://hpay-docs.host-sl.com/api-reference/users/create, …/list, …/get, …/update, …/delete) and its authentication page (https://hpay-docs.host-sl.com/authentication). Every request needs both the `api-key` and the `secret-key` header; Test Mode and Live Mode keys use the same host.

What is documented and what is inferred: the paths, bodies, success answers and the two auth headers are documented, and so are three failures: 400 on a changed `app_user_id`, 400 on a create whose email or phone_number another user of the application has (users guide, https://hpay-docs.host-sl.com/guides/users, "Automatic Validations"), and 401 Unauthorized for a missing or wrong key pair (authentication page). hPay documents no other status or error body; the 403, 404, 429 and 500 answers and the Django REST Framework error shape `{"detail": "…"}` are reported by integrators and inferred from the framework, and are marked "inferred" below.

Version: 1.0.0*/
pub struct Client {
    pub(crate) baseurl: String,
    pub(crate) client: reqwest::Client,
    pub(crate) inner: crate::transport::Auth,
}
impl Client {
    /// Create a new client.
    ///
    /// `baseurl` is the base URL provided to the internal
    /// `reqwest::Client`, and should include a scheme and hostname,
    /// as well as port and a path stem if applicable.
    pub fn new(baseurl: &str, inner: crate::transport::Auth) -> Self {
        Self::new_with_client(baseurl, crate::transport::default_http_client(), inner)
    }
    /// Construct a new client with an existing `reqwest::Client`,
    /// allowing more control over its configuration.
    ///
    /// `baseurl` is the base URL provided to the internal
    /// `reqwest::Client`, and should include a scheme and hostname,
    /// as well as port and a path stem if applicable.
    pub fn new_with_client(
        baseurl: &str,
        client: reqwest::Client,
        inner: crate::transport::Auth,
    ) -> Self {
        Self {
            baseurl: baseurl.to_string(),
            client,
            inner,
        }
    }
}
impl ClientInfo<crate::transport::Auth> for Client {
    fn api_version() -> &'static str {
        "1.0.0"
    }
    fn baseurl(&self) -> &str {
        self.baseurl.as_str()
    }
    fn client(&self) -> &reqwest::Client {
        &self.client
    }
    fn inner(&self) -> &crate::transport::Auth {
        &self.inner
    }
}
const _: () = {
    #[allow(dead_code)]
    fn assert_client_hooks()
    where
        Client: ClientHooks<crate::transport::Auth>,
    {}
};
#[allow(clippy::all)]
impl Client {
    /**Create a user

Creates a user (hPay "Create User" page). `app_user_id`, `name` and `phone_number` are required; hPay answers the new user, whose `id` is a UUID. An `email` or `phone_number` another user of the application has is refused with 400 (users guide: "the system automatically validates that the email and phone_number are unique within your application"); so is an `app_user_id` already in use (inferred). Not retried without an idempotency key: a retried create could make a second user.

Sends a `POST` request to `/api/v1/users/create/`

*/
    pub async fn create_user<'a>(
        &'a self,
        body: &'a types::CreateUserRequest,
    ) -> Result<ResponseValue<types::User>, Error<types::ErrorResponse>> {
        let url = self
            .inner
            .url::<
                types::ErrorResponse,
            >(&self.baseurl, ::std::format_args!("/api/v1/users/create/",))?;
        let info = OperationInfo {
            operation_id: "create_user",
        };
        let result = crate::transport::execute(
                &self.client,
                {
                    #[allow(unused_mut)]
                    let mut request = self
                        .client
                        .post(url)
                        .header(
                            ::reqwest::header::ACCEPT,
                            ::reqwest::header::HeaderValue::from_static(
                                "application/json",
                            ),
                        )
                        .json(&body)
                        .build()?;
                    crate::transport::before_send(&self.inner, &mut request, &info);
                    request
                },
                &info,
            )
            .await;
        let response = result?;
        match response.status().as_u16() {
            200u16 | 201u16 => crate::transport::response_value(response).await,
            400u16 | 401u16 | 403u16 | 429u16 | 500u16 => {
                Err(
                    Error::ErrorResponse(
                        crate::transport::response_value(response).await?,
                    ),
                )
            }
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**List users

Lists the application's users (hPay "List Users" page), optionally only the active or inactive ones. The page answers a bare JSON array. hPay's API introduction (https://hpay-docs.host-sl.com/api-reference/introduction, "Pagination") says list endpoints page with `page` (default 1) and `per_page` (default 20, at most 100), which the users page does not show: a request without them may get only the first 20 users, so the facade always pages.

Sends a `GET` request to `/api/v1/users/`

Arguments:
- `is_active`: Only users with this active status; all users when absent.
- `page`: 1-based page number (default 1; documented for list endpoints by hPay's API introduction, not on the users page).
- `per_page`: Users per page (default 20, at most 100; documented for list endpoints by hPay's API introduction, not on the users page).
*/
    pub async fn list_users<'a>(
        &'a self,
        is_active: Option<bool>,
        page: Option<::std::num::NonZeroU64>,
        per_page: Option<::std::num::NonZeroU64>,
    ) -> Result<
        ResponseValue<::std::vec::Vec<types::User>>,
        Error<types::ErrorResponse>,
    > {
        let url = self
            .inner
            .url::<
                types::ErrorResponse,
            >(&self.baseurl, ::std::format_args!("/api/v1/users/",))?;
        let info = OperationInfo {
            operation_id: "list_users",
        };
        let result = crate::transport::execute(
                &self.client,
                {
                    #[allow(unused_mut)]
                    let mut request = self
                        .client
                        .get(url)
                        .header(
                            ::reqwest::header::ACCEPT,
                            ::reqwest::header::HeaderValue::from_static(
                                "application/json",
                            ),
                        )
                        .query(
                            &progenitor_client::QueryParam::new("is_active", &is_active),
                        )
                        .query(&progenitor_client::QueryParam::new("page", &page))
                        .query(
                            &progenitor_client::QueryParam::new("per_page", &per_page),
                        )
                        .build()?;
                    crate::transport::before_send(&self.inner, &mut request, &info);
                    request
                },
                &info,
            )
            .await;
        let response = result?;
        match response.status().as_u16() {
            200u16 => crate::transport::response_value(response).await,
            400u16 | 401u16 | 403u16 | 429u16 | 500u16 => {
                Err(
                    Error::ErrorResponse(
                        crate::transport::response_value(response).await?,
                    ),
                )
            }
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**Retrieve a user

Reads one user (hPay "Get User" page).

Sends a `GET` request to `/api/v1/users/{user_id}/`

Arguments:
- `user_id`: hPay's identifier of the user: a UUID for users created through the API (hPay "Create User" page); the reference pages also show ids like `user_abc123`. Treated as an opaque string and always sent as exactly one path segment.
*/
    pub async fn get_user<'a>(
        &'a self,
        user_id: &'a str,
    ) -> Result<ResponseValue<types::User>, Error<types::ErrorResponse>> {
        let url = self
            .inner
            .url::<
                types::ErrorResponse,
            >(
                &self.baseurl,
                ::std::format_args!(
                    "/api/v1/users/{}/", (crate ::transport::path_segment:: <
                    types::ErrorResponse > ("user_id", user_id) ?),
                ),
            )?;
        let info = OperationInfo {
            operation_id: "get_user",
        };
        let result = crate::transport::execute(
                &self.client,
                {
                    #[allow(unused_mut)]
                    let mut request = self
                        .client
                        .get(url)
                        .header(
                            ::reqwest::header::ACCEPT,
                            ::reqwest::header::HeaderValue::from_static(
                                "application/json",
                            ),
                        )
                        .build()?;
                    crate::transport::before_send(&self.inner, &mut request, &info);
                    request
                },
                &info,
            )
            .await;
        let response = result?;
        match response.status().as_u16() {
            200u16 => crate::transport::response_value(response).await,
            401u16 | 403u16 | 404u16 | 429u16 | 500u16 => {
                Err(
                    Error::ErrorResponse(
                        crate::transport::response_value(response).await?,
                    ),
                )
            }
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**Update a user

Full update of one user (hPay "Update User" page). `app_user_id`, `name` and `phone_number` are required on every call, so changing only the email means sending the current name and phone too (the facade's `modify_user` does that for you). `app_user_id` must equal the id set at creation; a different value is rejected with 400.

Sends a `PUT` request to `/api/v1/users/{user_id}/`

Arguments:
- `user_id`: hPay's identifier of the user: a UUID for users created through the API (hPay "Create User" page); the reference pages also show ids like `user_abc123`. Treated as an opaque string and always sent as exactly one path segment.
- `body`
*/
    pub async fn update_user<'a>(
        &'a self,
        user_id: &'a str,
        body: &'a types::UpdateUserRequest,
    ) -> Result<ResponseValue<types::User>, Error<types::ErrorResponse>> {
        let url = self
            .inner
            .url::<
                types::ErrorResponse,
            >(
                &self.baseurl,
                ::std::format_args!(
                    "/api/v1/users/{}/", (crate ::transport::path_segment:: <
                    types::ErrorResponse > ("user_id", user_id) ?),
                ),
            )?;
        let info = OperationInfo {
            operation_id: "update_user",
        };
        let result = crate::transport::execute(
                &self.client,
                {
                    #[allow(unused_mut)]
                    let mut request = self
                        .client
                        .put(url)
                        .header(
                            ::reqwest::header::ACCEPT,
                            ::reqwest::header::HeaderValue::from_static(
                                "application/json",
                            ),
                        )
                        .json(&body)
                        .build()?;
                    crate::transport::before_send(&self.inner, &mut request, &info);
                    request
                },
                &info,
            )
            .await;
        let response = result?;
        match response.status().as_u16() {
            200u16 => crate::transport::response_value(response).await,
            400u16 | 401u16 | 403u16 | 404u16 | 429u16 | 500u16 => {
                Err(
                    Error::ErrorResponse(
                        crate::transport::response_value(response).await?,
                    ),
                )
            }
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**Delete a user

Deletes a user permanently (hPay "Delete User" page): all its data and history are purged and cannot be restored. hPay's docs steer you to deactivation (`is_active: false`) when you only want to stop access.

Sends a `DELETE` request to `/api/v1/users/{user_id}/`

Arguments:
- `user_id`: hPay's identifier of the user: a UUID for users created through the API (hPay "Create User" page); the reference pages also show ids like `user_abc123`. Treated as an opaque string and always sent as exactly one path segment.
*/
    pub async fn delete_user<'a>(
        &'a self,
        user_id: &'a str,
    ) -> Result<ResponseValue<types::DeleteUserResponse>, Error<types::ErrorResponse>> {
        let url = self
            .inner
            .url::<
                types::ErrorResponse,
            >(
                &self.baseurl,
                ::std::format_args!(
                    "/api/v1/users/{}/", (crate ::transport::path_segment:: <
                    types::ErrorResponse > ("user_id", user_id) ?),
                ),
            )?;
        let info = OperationInfo {
            operation_id: "delete_user",
        };
        let result = crate::transport::execute(
                &self.client,
                {
                    #[allow(unused_mut)]
                    let mut request = self
                        .client
                        .delete(url)
                        .header(
                            ::reqwest::header::ACCEPT,
                            ::reqwest::header::HeaderValue::from_static(
                                "application/json",
                            ),
                        )
                        .build()?;
                    crate::transport::before_send(&self.inner, &mut request, &info);
                    request
                },
                &info,
            )
            .await;
        let response = result?;
        match response.status().as_u16() {
            200u16 => crate::transport::response_value(response).await,
            401u16 | 403u16 | 404u16 | 429u16 | 500u16 => {
                Err(
                    Error::ErrorResponse(
                        crate::transport::response_value(response).await?,
                    ),
                )
            }
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
}
/// Items consumers will typically use such as the Client.
pub mod prelude {
    #[allow(unused_imports)]
    pub use super::Client;
}
/// Connects the generated client to the hand-written transport:
/// credentials go on in `pre`; `exec` sends, records what errors
/// need and reads the body under the call's deadline and size cap.
impl progenitor_client::ClientHooks<crate::transport::Auth> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &progenitor_client::OperationInfo,
    ) -> ::std::result::Result<(), progenitor_client::Error<E>> {
        crate::transport::before_send(
            progenitor_client::ClientInfo::inner(self),
            request,
            info,
        );
        Ok(())
    }
    async fn exec(
        &self,
        request: reqwest::Request,
        info: &progenitor_client::OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        crate::transport::execute(
                progenitor_client::ClientInfo::client(self),
                request,
                info,
            )
            .await
    }
}
///What `HOST Pay (hPay) users API` says beyond types: environments, credentials, envelope, operations.
pub static INFO: crate::core::SpecInfo = crate::core::SpecInfo {
    title: "HOST Pay (hPay) users API",
    base_url_env: ::std::option::Option::Some("HOST_PAY_BASE_URL"),
    error_message: &["detail", "message", "error"],
    error_details: &[],
    envelope: ::std::option::Option::None,
    idempotency_header: ::std::option::Option::Some("Idempotency-Key"),
    password_fields: &[],
    credentials: &[
        crate::core::CredentialInfo {
            scheme: "apiKey",
            header: "api-key",
            env: ::std::option::Option::Some("HOST_PAY_API_KEY"),
            setter: "api_key",
        },
        crate::core::CredentialInfo {
            scheme: "secretKey",
            header: "secret-key",
            env: ::std::option::Option::Some("HOST_PAY_SECRET_KEY"),
            setter: "secret_key",
        },
    ],
    security: &[&[0usize, 1usize]],
    environments: &[
        crate::core::EnvironmentInfo {
            name: "production",
            url: "https://hpay-api.host-sl.com",
            description: "Production host. Serves both Test Mode (`hpay_test_…`) and Live Mode (`hpay_live_…`) keys; the key chooses the mode.",
            credential_prefixes: &[],
        },
        crate::core::EnvironmentInfo {
            name: "sandbox",
            url: "https://hpay-api.host-sl.com",
            description: "Test Mode: the same host, but the client refuses a secret key that does not start with `hpay_test_`, so a live key can never send live traffic by mistake.",
            credential_prefixes: &[("secret-key", "hpay_test_")],
        },
    ],
    operations: &[
        crate::core::OperationMeta {
            id: "create_user",
            method: "POST",
            path: "/api/v1/users/create/",
            idempotent: false,
            summary: "Create a user",
            header_params: &[],
            security: &[&[0usize, 1usize]],
            echo: ::std::option::Option::None,
        },
        crate::core::OperationMeta {
            id: "delete_user",
            method: "DELETE",
            path: "/api/v1/users/{user_id}/",
            idempotent: false,
            summary: "Delete a user",
            header_params: &[],
            security: &[&[0usize, 1usize]],
            echo: ::std::option::Option::None,
        },
        crate::core::OperationMeta {
            id: "get_user",
            method: "GET",
            path: "/api/v1/users/{user_id}/",
            idempotent: false,
            summary: "Retrieve a user",
            header_params: &[],
            security: &[&[0usize, 1usize]],
            echo: ::std::option::Option::Some(("user_id", "id")),
        },
        crate::core::OperationMeta {
            id: "list_users",
            method: "GET",
            path: "/api/v1/users/",
            idempotent: false,
            summary: "List users",
            header_params: &[],
            security: &[&[0usize, 1usize]],
            echo: ::std::option::Option::None,
        },
        crate::core::OperationMeta {
            id: "update_user",
            method: "PUT",
            path: "/api/v1/users/{user_id}/",
            idempotent: false,
            summary: "Update a user",
            header_params: &[],
            security: &[&[0usize, 1usize]],
            echo: ::std::option::Option::Some(("user_id", "id")),
        },
    ],
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
    fn raw(
        base_url: &str,
        http: reqwest::Client,
        auth: crate::transport::Auth,
    ) -> Client {
        Client::new_with_client(base_url, http, auth)
    }
}
///A client for HOST Pay (hPay) users API with the whole facade (retries, deadlines, typed errors, tracing) on every operation: `Api::from_env()?.ops().<operation>(..).send().await`.
pub type Api = crate::core::Client<ApiSpec>;
/// Where requests go: one variant per server in the spec, or any URL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Environment {
    ///`https://hpay-api.host-sl.com`: Production host. Serves both Test Mode (`hpay_test_…`) and Live Mode (`hpay_live_…`) keys; the key chooses the mode.
    ///
    ///The default: the spec's first server.
    #[default]
    Production,
    ///`https://hpay-api.host-sl.com`: Test Mode: the same host, but the client refuses a secret key that does not start with `hpay_test_`, so a live key can never send live traffic by mistake.
    Sandbox,
    /// Any other base URL: `https`, or `http` on a loopback host (the mock).
    Custom(::std::string::String),
}
impl Environment {
    /// The base URL this environment stands for.
    pub fn base_url(&self) -> &str {
        match self {
            Environment::Production => INFO.environments[0].url,
            Environment::Sandbox => INFO.environments[1].url,
            Environment::Custom(url) => url,
        }
    }
}
impl ::std::convert::From<Environment> for crate::core::Target {
    fn from(environment: Environment) -> Self {
        match environment {
            Environment::Production => crate::core::Target::Named(&INFO.environments[0]),
            Environment::Sandbox => crate::core::Target::Named(&INFO.environments[1]),
            Environment::Custom(url) => crate::core::Target::Url(url),
        }
    }
}
impl crate::core::ClientBuilder<ApiSpec> {
    ///Sets the `api-key` header credential (from `HOST_PAY_API_KEY` with `from_env`). Your application API key (hPay "Authentication" page); keep it in HOST_PAY_API_KEY. Always sent together with `secret-key`.
    pub fn api_key(
        self,
        value: impl ::std::convert::Into<secrecy::SecretString>,
    ) -> Self {
        self.set_credential(0usize, value.into())
    }
    ///Sets the `secret-key` header credential (from `HOST_PAY_SECRET_KEY` with `from_env`). Your application secret key: `hpay_test_…` for Test Mode, `hpay_live_…` for Live Mode (hPay "Authentication" page); keep it in HOST_PAY_SECRET_KEY and never log it.
    pub fn secret_key(
        self,
        value: impl ::std::convert::Into<secrecy::SecretString>,
    ) -> Self {
        self.set_credential(1usize, value.into())
    }
}
/// One value per operation: its arguments, and how to send it.
pub mod ops {
    #[allow(unused_imports)]
    use super::types;
    ///The arguments of `create_user` (`POST /api/v1/users/create/`); send it with `client.call(..)` or use the `ops()` entry point.
    #[derive(Debug, Clone)]
    pub struct CreateUser {
        pub body: types::CreateUserRequest,
    }
    impl crate::core::Operation for CreateUser {
        type Spec = super::ApiSpec;
        type Output = types::User;
        type ErrorBody = types::ErrorResponse;
        fn meta(&self) -> &'static crate::core::OperationMeta {
            &super::INFO.operations[0]
        }
        fn send<'a>(
            &'a self,
            raw: &'a super::Client,
        ) -> impl ::std::future::Future<
            Output = ::std::result::Result<
                progenitor_client::ResponseValue<types::User>,
                progenitor_client::Error<types::ErrorResponse>,
            >,
        > + ::std::marker::Send + 'a {
            raw.create_user(&self.body)
        }
        fn check(&self) -> ::std::result::Result<(), crate::core::Invalid> {
            crate::core::Check::check(&self.body)?;
            ::std::result::Result::Ok(())
        }
        fn message(
            &self,
            body: &types::ErrorResponse,
        ) -> ::std::option::Option<::std::string::String> {
            ::std::option::Option::None
                .or_else(|| crate::core::Text::text(&body.detail))
                .or_else(|| crate::core::Text::text(&body.message))
                .or_else(|| crate::core::Text::text(&body.error))
        }
    }
    ///The arguments of `list_users` (`GET /api/v1/users/`); send it with `client.call(..)` or use the `ops()` entry point.
    #[derive(Debug, Clone)]
    pub struct ListUsers {
        pub is_active: Option<bool>,
        pub page: Option<::std::num::NonZeroU64>,
        pub per_page: Option<::std::num::NonZeroU64>,
    }
    impl crate::core::Operation for ListUsers {
        type Spec = super::ApiSpec;
        type Output = ::std::vec::Vec<types::User>;
        type ErrorBody = types::ErrorResponse;
        fn meta(&self) -> &'static crate::core::OperationMeta {
            &super::INFO.operations[3]
        }
        fn send<'a>(
            &'a self,
            raw: &'a super::Client,
        ) -> impl ::std::future::Future<
            Output = ::std::result::Result<
                progenitor_client::ResponseValue<::std::vec::Vec<types::User>>,
                progenitor_client::Error<types::ErrorResponse>,
            >,
        > + ::std::marker::Send + 'a {
            raw.list_users(
                ::std::clone::Clone::clone(&self.is_active),
                ::std::clone::Clone::clone(&self.page),
                ::std::clone::Clone::clone(&self.per_page),
            )
        }
        fn check(&self) -> ::std::result::Result<(), crate::core::Invalid> {
            (match &self.page {
                ::std::option::Option::Some(v) => {
                    crate::core::check::number(
                        v,
                        &crate::core::check::NumberRule {
                            minimum: ::std::option::Option::Some(
                                crate::core::check::Num::Int(1i128),
                            ),
                            exclusive_minimum: false,
                            maximum: ::std::option::Option::None,
                            exclusive_maximum: false,
                            multiple_of: ::std::option::Option::None,
                        },
                    )
                }
                ::std::option::Option::None => ::std::result::Result::Ok(()),
            })
                .map_err(|rule| crate::core::Invalid::new("page", rule))?;
            (match &self.per_page {
                ::std::option::Option::Some(v) => {
                    crate::core::check::number(
                        v,
                        &crate::core::check::NumberRule {
                            minimum: ::std::option::Option::Some(
                                crate::core::check::Num::Int(1i128),
                            ),
                            exclusive_minimum: false,
                            maximum: ::std::option::Option::Some(
                                crate::core::check::Num::Int(100i128),
                            ),
                            exclusive_maximum: false,
                            multiple_of: ::std::option::Option::None,
                        },
                    )
                }
                ::std::option::Option::None => ::std::result::Result::Ok(()),
            })
                .map_err(|rule| crate::core::Invalid::new("per_page", rule))?;
            ::std::result::Result::Ok(())
        }
        fn message(
            &self,
            body: &types::ErrorResponse,
        ) -> ::std::option::Option<::std::string::String> {
            ::std::option::Option::None
                .or_else(|| crate::core::Text::text(&body.detail))
                .or_else(|| crate::core::Text::text(&body.message))
                .or_else(|| crate::core::Text::text(&body.error))
        }
    }
    ///The arguments of `get_user` (`GET /api/v1/users/{user_id}/`); send it with `client.call(..)` or use the `ops()` entry point.
    #[derive(Debug, Clone)]
    pub struct GetUser {
        pub user_id: ::std::string::String,
    }
    impl crate::core::Operation for GetUser {
        type Spec = super::ApiSpec;
        type Output = types::User;
        type ErrorBody = types::ErrorResponse;
        fn meta(&self) -> &'static crate::core::OperationMeta {
            &super::INFO.operations[2]
        }
        fn send<'a>(
            &'a self,
            raw: &'a super::Client,
        ) -> impl ::std::future::Future<
            Output = ::std::result::Result<
                progenitor_client::ResponseValue<types::User>,
                progenitor_client::Error<types::ErrorResponse>,
            >,
        > + ::std::marker::Send + 'a {
            raw.get_user(&self.user_id)
        }
        fn astray(
            &self,
            output: &types::User,
        ) -> ::std::option::Option<::std::string::String> {
            crate::core::astray("user_id", &self.user_id, "id", &output.id)
        }
        fn message(
            &self,
            body: &types::ErrorResponse,
        ) -> ::std::option::Option<::std::string::String> {
            ::std::option::Option::None
                .or_else(|| crate::core::Text::text(&body.detail))
                .or_else(|| crate::core::Text::text(&body.message))
                .or_else(|| crate::core::Text::text(&body.error))
        }
    }
    ///The arguments of `update_user` (`PUT /api/v1/users/{user_id}/`); send it with `client.call(..)` or use the `ops()` entry point.
    #[derive(Debug, Clone)]
    pub struct UpdateUser {
        pub user_id: ::std::string::String,
        pub body: types::UpdateUserRequest,
    }
    impl crate::core::Operation for UpdateUser {
        type Spec = super::ApiSpec;
        type Output = types::User;
        type ErrorBody = types::ErrorResponse;
        fn meta(&self) -> &'static crate::core::OperationMeta {
            &super::INFO.operations[4]
        }
        fn send<'a>(
            &'a self,
            raw: &'a super::Client,
        ) -> impl ::std::future::Future<
            Output = ::std::result::Result<
                progenitor_client::ResponseValue<types::User>,
                progenitor_client::Error<types::ErrorResponse>,
            >,
        > + ::std::marker::Send + 'a {
            raw.update_user(&self.user_id, &self.body)
        }
        fn check(&self) -> ::std::result::Result<(), crate::core::Invalid> {
            crate::core::Check::check(&self.body)?;
            ::std::result::Result::Ok(())
        }
        fn astray(
            &self,
            output: &types::User,
        ) -> ::std::option::Option<::std::string::String> {
            crate::core::astray("user_id", &self.user_id, "id", &output.id)
        }
        fn message(
            &self,
            body: &types::ErrorResponse,
        ) -> ::std::option::Option<::std::string::String> {
            ::std::option::Option::None
                .or_else(|| crate::core::Text::text(&body.detail))
                .or_else(|| crate::core::Text::text(&body.message))
                .or_else(|| crate::core::Text::text(&body.error))
        }
    }
    ///The arguments of `delete_user` (`DELETE /api/v1/users/{user_id}/`); send it with `client.call(..)` or use the `ops()` entry point.
    #[derive(Debug, Clone)]
    pub struct DeleteUser {
        pub user_id: ::std::string::String,
    }
    impl crate::core::Operation for DeleteUser {
        type Spec = super::ApiSpec;
        type Output = types::DeleteUserResponse;
        type ErrorBody = types::ErrorResponse;
        fn meta(&self) -> &'static crate::core::OperationMeta {
            &super::INFO.operations[1]
        }
        fn send<'a>(
            &'a self,
            raw: &'a super::Client,
        ) -> impl ::std::future::Future<
            Output = ::std::result::Result<
                progenitor_client::ResponseValue<types::DeleteUserResponse>,
                progenitor_client::Error<types::ErrorResponse>,
            >,
        > + ::std::marker::Send + 'a {
            raw.delete_user(&self.user_id)
        }
        fn message(
            &self,
            body: &types::ErrorResponse,
        ) -> ::std::option::Option<::std::string::String> {
            ::std::option::Option::None
                .or_else(|| crate::core::Text::text(&body.detail))
                .or_else(|| crate::core::Text::text(&body.message))
                .or_else(|| crate::core::Text::text(&body.error))
        }
    }
}
impl<'c> crate::core::Ops<'c, ApiSpec> {
    /**Create a user

Creates a user (hPay "Create User" page). `app_user_id`, `name` and `phone_number` are required; hPay answers the new user, whose `id` is a UUID. An `email` or `phone_number` another user of the application has is refused with 400 (users guide: "the system automatically validates that the email and phone_number are unique within your application"); so is an `app_user_id` already in use (inferred). Not retried without an idempotency key: a retried create could make a second user.

Sends a `POST` request to `/api/v1/users/create/`

*/
    pub fn create_user(
        self,
        body: types::CreateUserRequest,
    ) -> crate::core::Call<'c, ops::CreateUser> {
        self.call(ops::CreateUser { body })
    }
    /**List users

Lists the application's users (hPay "List Users" page), optionally only the active or inactive ones. The page answers a bare JSON array. hPay's API introduction (https://hpay-docs.host-sl.com/api-reference/introduction, "Pagination") says list endpoints page with `page` (default 1) and `per_page` (default 20, at most 100), which the users page does not show: a request without them may get only the first 20 users, so the facade always pages.

Sends a `GET` request to `/api/v1/users/`

Arguments:
- `is_active`: Only users with this active status; all users when absent.
- `page`: 1-based page number (default 1; documented for list endpoints by hPay's API introduction, not on the users page).
- `per_page`: Users per page (default 20, at most 100; documented for list endpoints by hPay's API introduction, not on the users page).
*/
    pub fn list_users(
        self,
        is_active: Option<bool>,
        page: Option<::std::num::NonZeroU64>,
        per_page: Option<::std::num::NonZeroU64>,
    ) -> crate::core::Call<'c, ops::ListUsers> {
        self.call(ops::ListUsers {
            is_active,
            page,
            per_page,
        })
    }
    /**Retrieve a user

Reads one user (hPay "Get User" page).

Sends a `GET` request to `/api/v1/users/{user_id}/`

Arguments:
- `user_id`: hPay's identifier of the user: a UUID for users created through the API (hPay "Create User" page); the reference pages also show ids like `user_abc123`. Treated as an opaque string and always sent as exactly one path segment.
*/
    pub fn get_user(
        self,
        user_id: impl ::std::convert::Into<::std::string::String>,
    ) -> crate::core::Call<'c, ops::GetUser> {
        self.call(ops::GetUser {
            user_id: user_id.into(),
        })
    }
    /**Update a user

Full update of one user (hPay "Update User" page). `app_user_id`, `name` and `phone_number` are required on every call, so changing only the email means sending the current name and phone too (the facade's `modify_user` does that for you). `app_user_id` must equal the id set at creation; a different value is rejected with 400.

Sends a `PUT` request to `/api/v1/users/{user_id}/`

Arguments:
- `user_id`: hPay's identifier of the user: a UUID for users created through the API (hPay "Create User" page); the reference pages also show ids like `user_abc123`. Treated as an opaque string and always sent as exactly one path segment.
- `body`
*/
    pub fn update_user(
        self,
        user_id: impl ::std::convert::Into<::std::string::String>,
        body: types::UpdateUserRequest,
    ) -> crate::core::Call<'c, ops::UpdateUser> {
        self.call(ops::UpdateUser {
            user_id: user_id.into(),
            body,
        })
    }
    /**Delete a user

Deletes a user permanently (hPay "Delete User" page): all its data and history are purged and cannot be restored. hPay's docs steer you to deactivation (`is_active: false`) when you only want to stop access.

Sends a `DELETE` request to `/api/v1/users/{user_id}/`

Arguments:
- `user_id`: hPay's identifier of the user: a UUID for users created through the API (hPay "Create User" page); the reference pages also show ids like `user_abc123`. Treated as an opaque string and always sent as exactly one path segment.
*/
    pub fn delete_user(
        self,
        user_id: impl ::std::convert::Into<::std::string::String>,
    ) -> crate::core::Call<'c, ops::DeleteUser> {
        self.call(ops::DeleteUser {
            user_id: user_id.into(),
        })
    }
}
/// What the spec asks of a request that the generated types cannot
/// hold: `crate::core::Check` for the structs with such a rule.
mod checks {
    #[allow(unused_imports)]
    use super::types;
    impl crate::core::Check for types::CreateUserRequest {
        fn check(&self) -> ::std::result::Result<(), crate::core::Invalid> {
            (match &self.email {
                ::std::option::Option::Some(v) => crate::core::check::email(v),
                ::std::option::Option::None => ::std::result::Result::Ok(()),
            })
                .map_err(|rule| crate::core::Invalid::new("email", rule))?;
            ::std::result::Result::Ok(())
        }
    }
    impl crate::core::Check for types::UpdateUserRequest {
        fn check(&self) -> ::std::result::Result<(), crate::core::Invalid> {
            (match &self.email {
                ::std::option::Option::Some(v) => crate::core::check::email(v),
                ::std::option::Option::None => ::std::result::Result::Ok(()),
            })
                .map_err(|rule| crate::core::Invalid::new("email", rule))?;
            ::std::result::Result::Ok(())
        }
    }
}
