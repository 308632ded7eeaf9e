// generated from openapi/hpay.yaml — do not edit.
// Regenerate with `cargo xtask codegen`; `cargo xtask check` proves this file is current.
// spec digest (FNV-1a 64): 58efca519cc3e313

#[allow(unused_imports)]
pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
#[allow(unused_imports)]
use progenitor_client::{encode_path, ClientHooks, OperationInfo, RequestBuilderExt};
/// Types used as operation parameters and responses.
#[allow(clippy::all)]
pub mod types {
    ///An hPay error body. hPay does not document the error shape; bodies seen are JSON objects with a human-readable `message` (or `detail`) and sometimes a machine `error` code. Unknown fields are kept.
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
        ///A human-readable explanation (alternative field name), when sent.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub detail: ::std::option::Option<::std::string::String>,
        ///A short machine-readable error code, when sent.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub error: ::std::option::Option<::std::string::String>,
        ///A human-readable explanation, when sent.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub message: ::std::option::Option<::std::string::String>,
    }
    ///Body of PUT /api/v1/users/{user_id}/ (hPay Update User page). A full update: `app_user_id`, `name` and `phone_number` are always required.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct UpdateUserRequest {
        ///The current user id from your application. Required, but cannot be changed: it must match the id assigned at creation or hPay answers 400 (hPay Update User page).
        pub app_user_id: i64,
        ///Updated email address (optional, hPay Update User page).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub email: ::std::option::Option<::std::string::String>,
        ///Update whether the user account is active (optional, hPay Update User page).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub is_active: ::std::option::Option<bool>,
        ///Updated full name of the user (required, hPay Update User page).
        pub name: UpdateUserRequestName,
        ///Updated phone number (required, hPay Update User page), in international form: `+`, then the country code and number, 7 to 15 digits (E.164). Every documented example carries the country code, e.g. `+23279123456` (reference.md).
        pub phone_number: UpdateUserRequestPhoneNumber,
        ///Updated username (optional, hPay Update User page).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub username: ::std::option::Option<::std::string::String>,
    }
    ///Updated full name of the user (required, hPay Update User page).
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
    ///Updated phone number (required, hPay Update User page), in international form: `+`, then the country code and number, 7 to 15 digits (E.164). Every documented example carries the country code, e.g. `+23279123456` (reference.md).
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
            static PATTERN: ::std::sync::LazyLock<::regress::Regex> = ::std::sync::LazyLock::new(||
            { ::regress::Regex::new("^\\+[0-9]{7,15}$").unwrap() });
            if PATTERN.find(value).is_none() {
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
    ///An hPay user as returned by the users endpoints (hPay Update User page).
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
        ///The user's email address; absent or null when none is on file.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub email: ::std::option::Option<::std::string::String>,
        ///Unique identifier for the user (opaque string, reference.md).
        pub id: ::std::string::String,
        ///Whether the user account is active.
        pub is_active: bool,
        ///The user's full name.
        pub name: ::std::string::String,
        ///The user's phone number.
        pub phone_number: ::std::string::String,
        ///ISO 8601 timestamp of the last update (hPay Update User page).
        pub updated_at: ::chrono::DateTime<::chrono::offset::Utc>,
        ///The user's username, when one is on file.
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

The hPay application endpoints that manage an application's users. Written by hand from the hPay reference page "Update User" (PUT /api/v1/users/{user_id}/) and the facts gathered in shared/reference.md. Every request needs both the `api-key` and the `secret-key` header; test and live keys use the same host.

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
        #[cfg(not(target_arch = "wasm32"))]
        let client = {
            let dur = ::std::time::Duration::from_secs(15u64);
            reqwest::ClientBuilder::new().connect_timeout(dur).timeout(dur)
        };
        #[cfg(target_arch = "wasm32")]
        let client = reqwest::ClientBuilder::new();
        Self::new_with_client(baseurl, client.build().unwrap(), inner)
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
    /**Retrieve a user

Read one user (a sibling endpoint documented on the same site, reference.md). Same auth and user object as the update.

Sends a `GET` request to `/api/v1/users/{user_id}/`

Arguments:
- `user_id`: The unique identifier of the user to update (hPay's `id`, for example `user_abc123`; creation examples also show UUIDs, so it is an opaque string — reference.md).
*/
    pub async fn get_user<'a>(
        &'a self,
        user_id: &'a str,
    ) -> Result<ResponseValue<types::User>, Error<types::ErrorResponse>> {
        let url = format!(
            "{}/api/v1/users/{}/", self.baseurl, encode_path(& user_id.to_string()),
        );
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        header_map
            .append(
                ::reqwest::header::HeaderName::from_static("api-version"),
                ::reqwest::header::HeaderValue::from_static(Self::api_version()),
            );
        #[allow(unused_mut)]
        let mut request = self
            .client
            .get(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "get_user",
        };
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            200u16 => ResponseValue::from_response(response).await,
            401u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            404u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            429u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            500u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**Update a user

Full update of one user. `app_user_id`, `name` and `phone_number` are required on every call, so changing only the email means sending the current name and phone too (reference.md). `app_user_id` must equal the id set at creation; a different value is rejected with 400.

Sends a `PUT` request to `/api/v1/users/{user_id}/`

Arguments:
- `user_id`: The unique identifier of the user to update (hPay's `id`, for example `user_abc123`; creation examples also show UUIDs, so it is an opaque string — reference.md).
- `body`
*/
    pub async fn update_user<'a>(
        &'a self,
        user_id: &'a str,
        body: &'a types::UpdateUserRequest,
    ) -> Result<ResponseValue<types::User>, Error<types::ErrorResponse>> {
        let url = format!(
            "{}/api/v1/users/{}/", self.baseurl, encode_path(& user_id.to_string()),
        );
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        header_map
            .append(
                ::reqwest::header::HeaderName::from_static("api-version"),
                ::reqwest::header::HeaderValue::from_static(Self::api_version()),
            );
        #[allow(unused_mut)]
        let mut request = self
            .client
            .put(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .json(&body)
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "update_user",
        };
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            200u16 => ResponseValue::from_response(response).await,
            400u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            401u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            404u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            429u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            500u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
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
/// credentials go on in `pre`, response metadata is recorded in `post`.
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
    async fn post<E>(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        info: &progenitor_client::OperationInfo,
    ) -> ::std::result::Result<(), progenitor_client::Error<E>> {
        crate::transport::after_receive(result, info);
        Ok(())
    }
}
