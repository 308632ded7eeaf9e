//! Seed data for the mock: the users each provider starts with.

use crate::hpay::User;
use crate::payabli::raw::types::{
    Language, MfaData, ScopeRecord, UserAccess, UserQueryRecordAdditionalData, UserScope, UsrStatus,
};
use crate::payabli::{UserQueryRecord, UserStatus};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// What can go wrong loading fixtures.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MockError {
    /// The fixtures file could not be read.
    #[error("cannot read fixtures file {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The document is not JSON, or not an object with `hpay` / `payabli` lists.
    #[error("fixtures are not valid: {reason}")]
    Format {
        /// Why.
        reason: String,
    },
    /// One entry is ill-typed, has an unknown field, or repeats an id.
    #[error("fixture {entry} is not valid: {reason}")]
    Entry {
        /// Which entry, e.g. `hpay[1] (id "user_x")`.
        entry: String,
        /// Why.
        reason: String,
    },
}

/// Users to load into the mock: hPay users and Payabli users.
///
/// The file format (see [`Fixtures::from_json`]) is
/// `{"hpay": [HpayFixture…], "payabli": [PayabliFixture…]}`; both lists are optional.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixtures {
    /// hPay users.
    #[serde(default)]
    pub hpay: Vec<HpayFixture>,
    /// Payabli users.
    #[serde(default)]
    pub payabli: Vec<PayabliFixture>,
}

/// One hPay user as a fixture (the wire's snake_case field names).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HpayFixture {
    /// hPay's opaque user id, e.g. `user_abc123`.
    pub id: String,
    /// Your application's id for the user (cannot be changed by an update).
    pub app_user_id: i64,
    /// Full name.
    pub name: String,
    /// Phone number in international form.
    pub phone_number: String,
    /// Email address, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Username, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Whether the account is active (default `true`).
    #[serde(default = "active_by_default")]
    pub is_active: bool,
}

fn active_by_default() -> bool {
    true
}

impl HpayFixture {
    /// An active user with no email or username.
    pub fn new(
        id: impl Into<String>,
        app_user_id: i64,
        name: impl Into<String>,
        phone_number: impl Into<String>,
    ) -> Self {
        HpayFixture {
            id: id.into(),
            app_user_id,
            name: name.into(),
            phone_number: phone_number.into(),
            email: None,
            username: None,
            is_active: true,
        }
    }

    /// The stored user, created and updated `now`.
    pub(crate) fn into_user(self, now: chrono::DateTime<chrono::Utc>) -> User {
        User {
            id: self.id,
            app_user_id: self.app_user_id,
            name: self.name,
            phone_number: self.phone_number,
            email: self.email,
            username: self.username,
            is_active: self.is_active,
            created_at: Some(now),
            updated_at: Some(now),
        }
    }
}

/// One Payabli user as a fixture, in the write casing (`name`, `usrStatus`,
/// …) that `UserData` uses; the mock stores and answers it in the read
/// casing. `pwd` is not a field (the mock never stores passwords).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PayabliFixture {
    /// Payabli's user id, e.g. `1000000`.
    pub user_id: i64,
    /// Full name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Status (`usrStatus`: 0, 1, -99 or 85).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usr_status: Option<UsrStatus>,
    /// UTC offset in hours (`timeZone`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<i32>,
    /// Locale (`en` or `es`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
    /// Organizations the user can see.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Vec<UserScope>>,
    /// Roles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<Vec<UserAccess>>,
    /// Multi-factor authentication settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_data: Option<MfaData>,
    /// Custom key:value pairs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_data: Option<BTreeMap<String, String>>,
}

impl PayabliFixture {
    /// The stored record, in the read casing, created `now`.
    pub(crate) fn into_record(self, now: chrono::DateTime<chrono::Utc>) -> UserQueryRecord {
        UserQueryRecord {
            user_id: Some(self.user_id),
            name: self.name,
            email: self.email,
            phone: self.phone,
            usr_status: self.usr_status.map(|s| *s),
            time_zone: self.time_zone,
            language: self.language.map(|l| l.to_string()),
            scope: self.scope.map(|scope| {
                scope
                    .into_iter()
                    .map(|s| ScopeRecord {
                        org_id: s.org_id,
                        org_type: s.org_type,
                        org_entry: s.org_id.map(super::payabli::entry_name),
                    })
                    .collect()
            }),
            access: self.access,
            usr_mfa: self.mfa_data.as_ref().and_then(|m| m.mfa),
            usr_mfa_mode: self.mfa_data.as_ref().and_then(|m| m.mfa_mode),
            additional_data: self.additional_data.map(|map| {
                UserQueryRecordAdditionalData::Object(
                    map.into_iter()
                        .map(|(k, v)| (k, serde_json::Value::String(v)))
                        .collect(),
                )
            }),
            created_at: Some(now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            last_access: None,
            sn_provider: None,
            sn_identifier: None,
            sn_data: None,
        }
    }
}

impl Default for Fixtures {
    /// The users the providers' documentation shows: hPay `user_abc123`
    /// (John Doe) and `user_xyz789` (Jane Smith), Payabli `1000000` (Sean
    /// Smith, in organization 123).
    fn default() -> Self {
        let mut john = HpayFixture::new("user_abc123", 1, "John Doe", "+23279123456");
        john.email = Some("john@example.com".into());
        let mut jane = HpayFixture::new("user_xyz789", 2, "Jane Smith", "+23279654321");
        jane.email = Some("jane@example.com".into());
        let sean = PayabliFixture {
            user_id: 1_000_000,
            name: Some("Sean Smith".into()),
            email: Some("example@email.com".into()),
            phone: Some("5555555555".into()),
            usr_status: Some(UserStatus::Active.into()),
            time_zone: Some(0),
            language: Some(Language::En),
            scope: Some(vec![UserScope {
                org_type: Some(0),
                org_id: Some(123),
            }]),
            ..PayabliFixture::default()
        };
        Fixtures {
            hpay: vec![john, jane],
            payabli: vec![sean],
        }
    }
}

impl Fixtures {
    /// No users at all.
    pub fn empty() -> Self {
        Fixtures {
            hpay: Vec::new(),
            payabli: Vec::new(),
        }
    }

    /// Parses fixtures from JSON; errors name the offending entry.
    ///
    /// ```
    /// use payusers::mock::Fixtures;
    /// let f = Fixtures::from_json(r#"{"hpay": [{"id": "u1", "app_user_id": 7,
    ///     "name": "Ann", "phone_number": "+23270000000"}]}"#)?;
    /// assert_eq!(f.hpay[0].app_user_id, 7);
    /// let err = Fixtures::from_json(r#"{"payabli": [{"userId": 1, "usrStatus": 7}]}"#).unwrap_err();
    /// assert!(err.to_string().contains("payabli[0]"));
    /// # Ok::<(), payusers::mock::MockError>(())
    /// ```
    pub fn from_json(json: &str) -> Result<Fixtures, MockError> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Lists {
            #[serde(default)]
            hpay: Vec<Value>,
            #[serde(default)]
            payabli: Vec<Value>,
        }
        let expected = "expected an object {\"hpay\": [...], \"payabli\": [...]}";
        let document: Value = serde_json::from_str(json).map_err(|e| MockError::Format {
            reason: format!("{e} ({expected})"),
        })?;
        if !document.is_object() {
            return Err(MockError::Format {
                reason: format!("the document is {} ({expected})", kind(&document)),
            });
        }
        let lists: Lists = serde_json::from_value(document).map_err(|e| MockError::Format {
            reason: format!("{e} ({expected})"),
        })?;
        let mut out = Fixtures::empty();
        let mut seen = HashSet::new();
        let mut app_ids = HashSet::new();
        for (i, entry) in lists.hpay.into_iter().enumerate() {
            let label = entry_label("hpay", i, entry.get("id"));
            check_fields(&entry, HPAY_FIELDS).map_err(|reason| bad_entry(&label, reason))?;
            let user: HpayFixture =
                serde_json::from_value(entry).map_err(|e| bad_entry(&label, e.to_string()))?;
            if user.id.trim().is_empty() {
                return Err(bad_entry(&label, "`id` must not be empty".into()));
            }
            if !seen.insert(user.id.clone()) {
                return Err(bad_entry(&label, format!("duplicate id {:?}", user.id)));
            }
            // hPay refuses a create whose app_user_id another user has.
            if !app_ids.insert(user.app_user_id) {
                return Err(bad_entry(
                    &label,
                    format!("duplicate app_user_id {}", user.app_user_id),
                ));
            }
            out.hpay.push(user);
        }
        let mut seen = HashSet::new();
        for (i, entry) in lists.payabli.into_iter().enumerate() {
            let label = entry_label("payabli", i, entry.get("userId"));
            check_fields(&entry, PAYABLI_FIELDS).map_err(|reason| bad_entry(&label, reason))?;
            let user: PayabliFixture =
                serde_json::from_value(entry).map_err(|e| bad_entry(&label, e.to_string()))?;
            if !seen.insert(user.user_id) {
                return Err(bad_entry(
                    &label,
                    format!("duplicate userId {}", user.user_id),
                ));
            }
            out.payabli.push(user);
        }
        Ok(out)
    }

    /// Reads and parses a fixtures file (see [`from_json`](Self::from_json)).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Fixtures, MockError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| MockError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Fixtures::from_json(&text)
    }

    /// The fixtures as pretty JSON, in the format [`from_json`](Self::from_json) reads.
    pub fn to_json(&self) -> String {
        // Plain data with string keys: serializing cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// A fixture field: its name and the JSON type it must have.
type Field = (&'static str, &'static str);

const HPAY_FIELDS: &[Field] = &[
    ("id", "string"),
    ("app_user_id", "integer"),
    ("name", "string"),
    ("phone_number", "string"),
    ("email", "string"),
    ("username", "string"),
    ("is_active", "boolean"),
];

const PAYABLI_FIELDS: &[Field] = &[
    ("userId", "integer"),
    ("name", "string"),
    ("email", "string"),
    ("phone", "string"),
    ("usrStatus", "integer"),
    ("timeZone", "integer"),
    ("language", "string"),
    ("scope", "array"),
    ("access", "array"),
    ("mfaData", "object"),
    ("additionalData", "object"),
];

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Checks an entry's fields by name and type, so an error names the field.
fn check_fields(entry: &Value, fields: &[Field]) -> Result<(), String> {
    let Some(map) = entry.as_object() else {
        return Err(format!("expected an object, got {}", kind(entry)));
    };
    for (key, value) in map {
        let Some((_, want)) = fields.iter().find(|(name, _)| name == key) else {
            return Err(format!("unknown field `{key}`"));
        };
        let ok = match *want {
            "string" => value.is_string(),
            "integer" => value.is_i64(),
            "boolean" => value.is_boolean(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => true,
        };
        if !ok {
            return Err(format!("field `{key}` must be {want}, got {}", kind(value)));
        }
    }
    Ok(())
}

fn entry_label(list: &str, index: usize, id: Option<&Value>) -> String {
    match id {
        Some(id) => format!("{list}[{index}] (id {id})"),
        None => format!("{list}[{index}]"),
    }
}

fn bad_entry(label: &str, reason: String) -> MockError {
    MockError::Entry {
        entry: label.to_string(),
        reason,
    }
}
