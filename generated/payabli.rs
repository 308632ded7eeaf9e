// generated from openapi/payabli.yaml — do not edit.
// Regenerate with `cargo xtask codegen`; `cargo xtask check` proves this file is current.
// spec digest (FNV-1a 64): e35a0b82881f644b

#[allow(unused_imports)]
pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
#[allow(unused_imports)]
use progenitor_client::{encode_path, ClientHooks, OperationInfo, RequestBuilderExt};
/// Types used as operation parameters and responses.
#[allow(clippy::all)]
pub mod types {
    ///The user's locale for PartnerHub and PayHub localization (Payabli Update User page).
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Copy,
        Debug,
        Eq,
        Hash,
        Ord,
        PartialEq,
        PartialOrd,
        schemars::JsonSchema
    )]
    pub enum Language {
        #[serde(rename = "en")]
        En,
        #[serde(rename = "es")]
        Es,
    }
    impl ::std::fmt::Display for Language {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            match *self {
                Self::En => f.write_str("en"),
                Self::Es => f.write_str("es"),
            }
        }
    }
    impl ::std::str::FromStr for Language {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            match value {
                "en" => Ok(Self::En),
                "es" => Ok(Self::Es),
                _ => Err("invalid value".into()),
            }
        }
    }
    impl ::std::convert::TryFrom<&str> for Language {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for Language {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    ///Multi-factor authentication settings (Payabli Update User page).
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct MfaData {
        ///Whether multi-factor authentication is on.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub mfa: ::std::option::Option<bool>,
        ///The MFA delivery mode. Payabli does not document its values; sent as given.
        #[serde(
            rename = "mfaMode",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub mfa_mode: ::std::option::Option<i32>,
    }
    ///Payabli's response envelope (Payabli Update User page). `isSuccess: false` means the operation failed even with HTTP 200.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct PayabliApiResponse {
        ///Whether the operation succeeded; false means it failed.
        #[serde(
            rename = "isSuccess",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub is_success: ::std::option::Option<bool>,
        ///The response data. Documented as object or null; any JSON value is accepted because sibling endpoints return ids here.
        #[serde(
            rename = "responseData",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub response_data: ::std::option::Option<::serde_json::Value>,
        ///Response text for the operation: 'Success' or 'Declined'.
        #[serde(
            rename = "responseText",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub response_text: ::std::option::Option<::std::string::String>,
    }
    ///One role granted or refused to a user (Payabli Update User page).
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct UserAccess {
        ///The role's name, e.g. `customers`.
        #[serde(
            rename = "roleLabel",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub role_label: ::std::option::Option<::std::string::String>,
        ///Whether the user has the role.
        #[serde(
            rename = "roleValue",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub role_value: ::std::option::Option<bool>,
    }
    ///Body of PUT /User/{userId} (Payabli Update User page). Every field is optional and nullable: only the fields sent are changed.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct UserData {
        ///The user's roles (Payabli Update User page).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub access: ::std::option::Option<::std::vec::Vec<UserAccess>>,
        ///Custom key:value pairs stored with the user for your system. Each value is at most 100 characters (reference.md).
        #[serde(
            rename = "additionalData",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub additional_data: ::std::option::Option<
            ::std::collections::BTreeMap<
                ::std::string::String,
                UserDataAdditionalDataValue,
            >,
        >,
        ///The user's email address; at most 320 characters (Payabli Update User page).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub email: ::std::option::Option<UserDataEmail>,
        ///The user's locale for PartnerHub and PayHub (Payabli Update User page).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub language: ::std::option::Option<Language>,
        ///Multi-factor authentication settings (Payabli Update User page).
        #[serde(
            rename = "mfaData",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub mfa_data: ::std::option::Option<MfaData>,
        ///The user's full name (Payabli Update User page).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub name: ::std::option::Option<::std::string::String>,
        ///The user's phone number; at most 50 characters (reference.md).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub phone: ::std::option::Option<UserDataPhone>,
        ///A new password for the user. A secret: never logged or shown in Debug output by this SDK.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub pwd: ::std::option::Option<crate::secret::Password>,
        ///The organizations the user can see (Payabli Update User page).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub scope: ::std::option::Option<::std::vec::Vec<UserScope>>,
        ///Timezone as a UTC offset in hours, e.g. -5 for Eastern (Payabli Update User page). Payabli documents a default of 0, which applies when a user is created; it is deliberately not declared as a schema `default` here, because a generated default would be sent on every partial update and reset the user's timezone. Real UTC offsets run from -12 to +14.
        #[serde(
            rename = "timeZone",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub time_zone: ::std::option::Option<i32>,
        ///The user's status (Payabli Update User page).
        #[serde(
            rename = "usrStatus",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub usr_status: ::std::option::Option<UsrStatus>,
    }
    ///`UserDataAdditionalDataValue`
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
    pub struct UserDataAdditionalDataValue(::std::string::String);
    impl ::std::ops::Deref for UserDataAdditionalDataValue {
        type Target = ::std::string::String;
        fn deref(&self) -> &::std::string::String {
            &self.0
        }
    }
    impl ::std::convert::From<UserDataAdditionalDataValue> for ::std::string::String {
        fn from(value: UserDataAdditionalDataValue) -> Self {
            value.0
        }
    }
    impl ::std::str::FromStr for UserDataAdditionalDataValue {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            if value.chars().count() > 100usize {
                return Err("longer than 100 characters".into());
            }
            Ok(Self(value.to_string()))
        }
    }
    impl ::std::convert::TryFrom<&str> for UserDataAdditionalDataValue {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for UserDataAdditionalDataValue {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl<'de> ::serde::Deserialize<'de> for UserDataAdditionalDataValue {
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
    ///The user's email address; at most 320 characters (Payabli Update User page).
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
    pub struct UserDataEmail(::std::string::String);
    impl ::std::ops::Deref for UserDataEmail {
        type Target = ::std::string::String;
        fn deref(&self) -> &::std::string::String {
            &self.0
        }
    }
    impl ::std::convert::From<UserDataEmail> for ::std::string::String {
        fn from(value: UserDataEmail) -> Self {
            value.0
        }
    }
    impl ::std::str::FromStr for UserDataEmail {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            if value.chars().count() > 320usize {
                return Err("longer than 320 characters".into());
            }
            Ok(Self(value.to_string()))
        }
    }
    impl ::std::convert::TryFrom<&str> for UserDataEmail {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for UserDataEmail {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl<'de> ::serde::Deserialize<'de> for UserDataEmail {
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
    ///The user's phone number; at most 50 characters (reference.md).
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
    pub struct UserDataPhone(::std::string::String);
    impl ::std::ops::Deref for UserDataPhone {
        type Target = ::std::string::String;
        fn deref(&self) -> &::std::string::String {
            &self.0
        }
    }
    impl ::std::convert::From<UserDataPhone> for ::std::string::String {
        fn from(value: UserDataPhone) -> Self {
            value.0
        }
    }
    impl ::std::str::FromStr for UserDataPhone {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            if value.chars().count() > 50usize {
                return Err("longer than 50 characters".into());
            }
            Ok(Self(value.to_string()))
        }
    }
    impl ::std::convert::TryFrom<&str> for UserDataPhone {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for UserDataPhone {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl<'de> ::serde::Deserialize<'de> for UserDataPhone {
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
    ///A Payabli user as returned by GET /User/{userId} (the fields the update can change).
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct UserRecord {
        ///The user's roles.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub access: ::std::option::Option<::std::vec::Vec<UserAccess>>,
        ///Custom key:value pairs stored with the user.
        #[serde(
            rename = "additionalData",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub additional_data: ::std::option::Option<
            ::std::collections::BTreeMap<::std::string::String, ::std::string::String>,
        >,
        ///The user's email address.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub email: ::std::option::Option<::std::string::String>,
        ///The user's locale.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub language: ::std::option::Option<Language>,
        ///Multi-factor authentication settings.
        #[serde(
            rename = "mfaData",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub mfa_data: ::std::option::Option<MfaData>,
        ///The user's full name.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub name: ::std::option::Option<::std::string::String>,
        ///The user's phone number.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub phone: ::std::option::Option<::std::string::String>,
        ///The organizations the user can see.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub scope: ::std::option::Option<::std::vec::Vec<UserScope>>,
        ///Timezone as a UTC offset in hours.
        #[serde(
            rename = "timeZone",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub time_zone: ::std::option::Option<i32>,
        ///User identifier.
        #[serde(
            rename = "userId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub user_id: ::std::option::Option<i64>,
        ///The user's status.
        #[serde(
            rename = "usrStatus",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub usr_status: ::std::option::Option<UsrStatus>,
    }
    ///One organization in a user's scope (Payabli Update User page).
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct UserScope {
        ///The organization's id.
        #[serde(
            rename = "orgId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub org_id: ::std::option::Option<i64>,
        ///The organization's type.
        #[serde(
            rename = "orgType",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub org_type: ::std::option::Option<i32>,
    }
    ///The user's status: 0 Inactive, 1 Active, -99 Deleted, 85 Locked (Payabli Update User page).
    #[derive(::serde::Serialize, Clone, Debug, PartialEq)]
    #[serde(transparent)]
    pub struct UsrStatus(i32);
    impl ::std::ops::Deref for UsrStatus {
        type Target = i32;
        fn deref(&self) -> &i32 {
            &self.0
        }
    }
    impl ::std::convert::From<UsrStatus> for i32 {
        fn from(value: UsrStatus) -> Self {
            value.0
        }
    }
    impl ::std::convert::TryFrom<i32> for UsrStatus {
        type Error = self::error::ConversionError;
        fn try_from(
            value: i32,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            if ![0_i32, 1_i32, -99_i32, 85_i32].contains(&value) {
                Err("invalid value".into())
            } else {
                Ok(Self(value))
            }
        }
    }
    impl<'de> ::serde::Deserialize<'de> for UsrStatus {
        fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
        where
            D: ::serde::Deserializer<'de>,
        {
            Self::try_from(<i32>::deserialize(deserializer)?)
                .map_err(|e| { <D::Error as ::serde::de::Error>::custom(e.to_string()) })
        }
    }
    impl ::schemars::JsonSchema for UsrStatus {
        fn schema_name() -> ::std::string::String {
            "UsrStatus".to_string()
        }
        fn json_schema(
            r#gen: &mut ::schemars::r#gen::SchemaGenerator,
        ) -> ::schemars::schema::Schema {
            let mut schema = <i32 as ::schemars::JsonSchema>::json_schema(r#gen)
                .into_object();
            schema.enum_values = ::std::option::Option::Some(
                [
                    ::serde_json::from_str("0").unwrap(),
                    ::serde_json::from_str("1").unwrap(),
                    ::serde_json::from_str("-99").unwrap(),
                    ::serde_json::from_str("85").unwrap(),
                ]
                    .into_iter()
                    .collect(),
            );
            schema.into()
        }
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
/**Client for Payabli users API

The Payabli endpoints that manage users. Written by hand from the Payabli reference page "Update User" (PUT /User/{userId}) and the facts gathered in shared/reference.md. User management needs an **application** API token in the `requestToken` header; an organization token is refused.

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

Read one user (sibling endpoint `GET /User/{userId}`, reference.md). The record shown here is the subset of Payabli's user record that the update can change.

Sends a `GET` request to `/User/{userId}`

Arguments:
- `user_id`: User identifier (integer, Payabli Update User page).
*/
    pub async fn get_user<'a>(
        &'a self,
        user_id: i64,
    ) -> Result<ResponseValue<types::UserRecord>, Error<types::PayabliApiResponse>> {
        let url = format!(
            "{}/User/{}", self.baseurl, encode_path(& user_id.to_string()),
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
            400u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            401u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            500u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            503u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**Update a user

Partial update: every body field is optional and nullable; only the fields sent change (reference.md). A 200 with `isSuccess: false` (`responseText: "Declined"`) means the update failed.

Sends a `PUT` request to `/User/{userId}`

Arguments:
- `user_id`: User identifier (integer, Payabli Update User page).
- `body`: UserData object to modify.
*/
    pub async fn update_user<'a>(
        &'a self,
        user_id: i64,
        body: &'a types::UserData,
    ) -> Result<
        ResponseValue<types::PayabliApiResponse>,
        Error<types::PayabliApiResponse>,
    > {
        let url = format!(
            "{}/User/{}", self.baseurl, encode_path(& user_id.to_string()),
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
            500u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            503u16 => {
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
