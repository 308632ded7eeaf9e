//! Typed rows for each provider and operation, parsed from a JSON object or
//! a CSV record.

use super::fields::Fields;
use super::{ProviderArg, SyncOp};
use crate::payabli::{Language, UserStatus};
use crate::secret::Password;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

/// One parsed row.
#[derive(Debug, Clone)]
pub enum Row {
    Hpay(HpayRow),
    Payabli(PayabliRow),
    Both(ProfileRow),
}

impl Row {
    /// Whether any of the row's values may be a password: it sets one, or
    /// was read under a CSV `pwd` column, where a stray comma can shift
    /// it into another cell.
    pub fn may_hold_password(&self) -> bool {
        matches!(self, Row::Payabli(row) if row.pwd.is_some() || row.guarded)
    }

    /// For a row that [may hold a password](Self::may_hold_password): its
    /// text values, to keep out of what its failure records.
    pub fn guard(&self) -> Option<Guard> {
        let Row::Payabli(row) = self else {
            return None;
        };
        if !self.may_hold_password() {
            return None;
        }
        let mut values: Vec<SecretString> = [&row.name, &row.email, &row.phone]
            .into_iter()
            .flatten()
            .map(|value| SecretString::from(value.trim()))
            .collect();
        values.extend(
            row.pwd
                .iter()
                .map(|pwd| SecretString::from(pwd.expose().trim())),
        );
        for (_, value) in row.additional.iter().flatten() {
            values.push(SecretString::from(value.trim()));
        }
        for (label, _) in row.access.iter().flatten() {
            values.push(SecretString::from(label.trim()));
        }
        Some(Guard(values))
    }
}

/// The text values of a row that may hold a password ([`Row::guard`]),
/// held as secrets.
pub struct Guard(Vec<SecretString>);

impl Guard {
    /// `text` (an error about the row) with every value of the row taken
    /// out, in every form a server echoing it would use; when one can
    /// still be read, ignoring case, the whole text goes. Values shorter
    /// than four characters are left: they would mangle the text.
    pub fn scrub(&self, text: &str) -> String {
        let values = || {
            self.0
                .iter()
                .map(|value| value.expose_secret())
                .filter(|value| value.len() >= 4)
        };
        let scrubbed = crate::transport::scrub(text, values());
        // In another case: as it is, or decoded from an echoed form.
        let lowered: Vec<String> = values().map(str::to_lowercase).collect();
        let readable = |reading: &str| {
            let reading = reading.to_lowercase();
            lowered.iter().any(|value| reading.contains(value.as_str()))
        };
        if readable(&scrubbed)
            || crate::transport::readings(&scrubbed)
                .iter()
                .any(|r| readable(r))
        {
            return crate::secret::REDACTED.to_string();
        }
        scrubbed
    }
}

/// A person at both providers, and one change for both.
#[derive(Debug, Clone, Default)]
pub struct ProfileRow {
    pub link: crate::profile::Link,
    pub change: crate::profile::Change,
}

/// An hPay row: a create (no `user_id`), an update, or a delete (only `user_id`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HpayRow {
    pub user_id: Option<String>,
    pub app_user_id: Option<i64>,
    pub name: Option<String>,
    pub phone_number: Option<String>,
    pub email: Option<String>,
    pub username: Option<String>,
    pub is_active: Option<bool>,
}

/// A Payabli row: a create (no `userId`), a partial update, or a delete.
/// `None` leaves a field out; `Some(empty)` sends an empty list or map.
#[derive(Debug, Clone, Default)]
pub struct PayabliRow {
    pub user_id: Option<i64>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub pwd: Option<Password>,
    pub status: Option<UserStatus>,
    pub time_zone: Option<i32>,
    pub language: Option<Language>,
    pub scope: Option<Vec<(Option<i32>, i64)>>,
    pub access: Option<Vec<(String, bool)>>,
    pub mfa: Option<(bool, Option<i32>)>,
    pub additional: Option<Vec<(String, String)>>,
    /// Read from a CSV with a `pwd` column: any value may be a password
    /// that a stray comma shifted out of its cell (see [`Row::guard`]).
    pub guarded: bool,
}

impl PayabliRow {
    /// Whether the row sets any user field.
    pub fn has_fields(&self) -> bool {
        self.name.is_some()
            || self.email.is_some()
            || self.phone.is_some()
            || self.pwd.is_some()
            || self.status.is_some()
            || self.time_zone.is_some()
            || self.language.is_some()
            || self.scope.is_some()
            || self.access.is_some()
            || self.mfa.is_some()
            || self.additional.is_some()
    }
}

/// The id field of a provider's rows.
pub fn id_field(provider: ProviderArg) -> &'static str {
    match provider {
        ProviderArg::Hpay => "user_id",
        ProviderArg::Payabli => "userId",
        ProviderArg::Both => "hpay_user_id",
    }
}

const BOTH_FIELDS: [&str; 7] = [
    "hpay_user_id",
    "hpay_app_user_id",
    "payabli_user_id",
    "name",
    "email",
    "phone",
    "active",
];

pub fn known_column(provider: ProviderArg, op: SyncOp, column: &str) -> bool {
    let id = id_field(provider);
    match (op, provider) {
        (_, ProviderArg::Both) => BOTH_FIELDS.contains(&column),
        (SyncOp::Delete, _) => column == id,
        (SyncOp::Create, _) if column == id => false,
        (_, ProviderArg::Hpay) => HPAY_FIELDS.contains(&column) || column == id,
        (_, ProviderArg::Payabli) => {
            PAYABLI_CSV_FIELDS.contains(&column)
                || column == id
                || column
                    .strip_prefix("additionalData.")
                    .is_some_and(|key| !key.is_empty())
        }
    }
}

pub fn required_columns(provider: ProviderArg, op: SyncOp) -> &'static [&'static str] {
    match (provider, op) {
        (ProviderArg::Hpay, SyncOp::Update) => &["user_id", "app_user_id", "name", "phone_number"],
        (ProviderArg::Hpay, SyncOp::Create) => &["app_user_id", "name", "phone_number"],
        (ProviderArg::Hpay, SyncOp::Delete) => &["user_id"],
        (ProviderArg::Payabli, SyncOp::Create) => &[],
        (ProviderArg::Payabli, _) => &["userId"],
        (ProviderArg::Both, _) => &[],
    }
}

const HPAY_FIELDS: [&str; 6] = [
    "app_user_id",
    "name",
    "phone_number",
    "email",
    "username",
    "is_active",
];
const PAYABLI_CSV_FIELDS: [&str; 8] = [
    "name",
    "email",
    "phone",
    "pwd",
    "usrStatus",
    "status",
    "timeZone",
    "language",
];

pub fn parse(provider: ProviderArg, op: SyncOp, mut fields: Fields) -> Result<Row, String> {
    if provider == ProviderArg::Both {
        let row = both(&mut fields)?;
        fields.finish(false, "")?;
        return Ok(Row::Both(row));
    }
    let id = id_field(provider);
    if op == SyncOp::Create && fields.has(id) {
        return Err(format!(
            "a create row has no `{id}` ({} assigns it)",
            provider.name()
        ));
    }
    let row = match provider {
        ProviderArg::Hpay => Row::Hpay(hpay(op, &mut fields)?),
        ProviderArg::Payabli => Row::Payabli(payabli(op, &mut fields)?),
        ProviderArg::Both => unreachable!("handled above"),
    };
    fields.finish(op == SyncOp::Delete, id)?;
    if let Row::Payabli(row) = &row
        && op != SyncOp::Delete
        && !row.has_fields()
    {
        return Err(format!(
            "nothing to {}: the row has no user field{} (empty CSV cells are not sent)",
            if op == SyncOp::Create {
                "create"
            } else {
                "update"
            },
            if op == SyncOp::Create {
                ""
            } else {
                " besides `userId`"
            },
        ));
    }
    Ok(row)
}

fn hpay(op: SyncOp, fields: &mut Fields) -> Result<HpayRow, String> {
    let user_id = match op {
        SyncOp::Create => None,
        _ => Some(fields.required_user_id("user_id")?),
    };
    if op == SyncOp::Delete {
        return Ok(HpayRow {
            user_id,
            ..HpayRow::default()
        });
    }
    Ok(HpayRow {
        user_id,
        app_user_id: Some(fields.required_int("app_user_id")?),
        name: Some(fields.required_string("name")?),
        phone_number: Some(fields.required_string("phone_number")?),
        email: fields.string("email")?,
        username: fields.string("username")?,
        is_active: fields.boolean("is_active")?,
    })
}

fn payabli(op: SyncOp, fields: &mut Fields) -> Result<PayabliRow, String> {
    let user_id = match op {
        SyncOp::Create => None,
        _ => Some(fields.required_int("userId")?),
    };
    if op == SyncOp::Delete {
        return Ok(PayabliRow {
            user_id,
            ..PayabliRow::default()
        });
    }
    let mut row = PayabliRow {
        user_id,
        name: fields.string("name")?,
        email: fields.string("email")?,
        phone: fields.string("phone")?,
        ..PayabliRow::default()
    };
    row.pwd = match fields.take("pwd", false) {
        None => None,
        Some(Value::String(s)) => Some(Password::new(s)),
        // Never quote the value: it may be a password.
        Some(_) => return Err("`pwd` must be a string".into()),
    };
    for key in ["usrStatus", "status"] {
        if let Some(value) = fields.take(key, false) {
            if row.status.is_some() {
                return Err("give `usrStatus` or `status`, not both".into());
            }
            row.status = Some(status(key, &value, fields)?);
        }
    }
    if let Some(offset) = fields.int("timeZone")? {
        let offset = i32::try_from(offset).map_err(|_| {
            format!(
                "`timeZone` is out of range: {}",
                fields.shown(&Value::from(offset))
            )
        })?;
        row.time_zone = Some(offset);
    }
    row.language = match fields.string("language")? {
        None => None,
        Some(s) => Some(match s.trim().to_ascii_lowercase().as_str() {
            "en" => Language::En,
            "es" => Language::Es,
            _ => {
                return Err(format!(
                    "`language` must be en or es, got {}",
                    fields.shown(&Value::String(s))
                ));
            }
        }),
    };
    if let Some(value) = fields.take("additionalData", false) {
        let Value::Object(map) = value else {
            return Err(format!(
                "`additionalData` must be an object, got {}",
                fields.shown(&value)
            ));
        };
        let mut pairs = Vec::with_capacity(map.len());
        for (key, value) in map {
            match value {
                Value::String(s) => pairs.push((key, s)),
                other => {
                    return Err(format!(
                        "`additionalData.{key}` must be a string, got {}",
                        fields.shown(&other)
                    ));
                }
            }
        }
        row.additional = Some(pairs);
    }
    if let Some(value) = fields.take("scope", false) {
        let mut scope = Vec::new();
        for item in array("scope", value, fields)? {
            let org_id = member_int(&item, "scope", "orgId")?;
            let org_type = match item.get("orgType") {
                None | Some(Value::Null) => None,
                Some(_) => Some(
                    i32::try_from(member_int(&item, "scope", "orgType")?)
                        .map_err(|_| "`scope.orgType` is out of range".to_string())?,
                ),
            };
            scope.push((org_type, org_id));
        }
        row.scope = Some(scope);
    }
    if let Some(value) = fields.take("access", false) {
        let mut access = Vec::new();
        for item in array("access", value, fields)? {
            let label = match item.get("roleLabel") {
                Some(Value::String(s)) => s.clone(),
                _ => return Err("each `access` entry needs a string `roleLabel`".into()),
            };
            let granted = match item.get("roleValue") {
                Some(Value::Bool(b)) => *b,
                _ => return Err("each `access` entry needs a boolean `roleValue`".into()),
            };
            access.push((label, granted));
        }
        row.access = Some(access);
    }
    if let Some(value) = fields.take("mfaData", false) {
        let enabled = match value.get("mfa") {
            Some(Value::Bool(b)) => *b,
            _ => return Err("`mfaData` needs a boolean `mfa`".into()),
        };
        let mode = match value.get("mfaMode") {
            None | Some(Value::Null) => None,
            Some(_) => Some(
                i32::try_from(member_int(&value, "mfaData", "mfaMode")?)
                    .map_err(|_| "`mfaData.mfaMode` is out of range")?,
            ),
        };
        row.mfa = Some((enabled, mode));
    }
    Ok(row)
}

/// A profile row: at least one link and at least one field to change.
fn both(fields: &mut Fields) -> Result<ProfileRow, String> {
    let mut link = crate::profile::Link::default();
    // Read whether or not the row names an hPay user: a row naming only
    // the Payabli side may leave the column empty.
    let expected = fields.int("hpay_app_user_id")?;
    match fields.user_id("hpay_user_id")? {
        Some(id) => link.hpay = Some((id, expected)),
        None if expected.is_some() => {
            return Err("`hpay_app_user_id` needs `hpay_user_id`".into());
        }
        None => {}
    }
    link.payabli = fields.int("payabli_user_id")?;
    if link.hpay.is_none() && link.payabli.is_none() {
        return Err("the row links no one: give `hpay_user_id`, `payabli_user_id` or both".into());
    }
    let change = crate::profile::Change {
        name: fields.string("name")?,
        email: fields.string("email")?,
        phone: fields.string("phone")?,
        active: fields.boolean("active")?,
    };
    if change.is_empty() {
        return Err("nothing to change: give `name`, `email`, `phone` or `active`".into());
    }
    Ok(ProfileRow { link, change })
}

fn status(key: &str, value: &Value, fields: &Fields) -> Result<UserStatus, String> {
    let parsed = match value {
        Value::Number(n) => n
            .as_i64()
            .and_then(|code| i32::try_from(code).ok())
            .and_then(UserStatus::from_code),
        Value::String(s) => s.parse().ok(),
        _ => None,
    };
    parsed.ok_or_else(|| {
        format!(
            "`{key}` must be active, inactive, locked, deleted (or 1, 0, 85, -99), got {}",
            fields.shown(value)
        )
    })
}

fn array(key: &str, value: Value, fields: &Fields) -> Result<Vec<Value>, String> {
    match value {
        Value::Array(items) => Ok(items),
        other => Err(format!(
            "`{key}` must be an array, got {}",
            fields.shown(&other)
        )),
    }
}

fn member_int(object: &Value, parent: &str, key: &str) -> Result<i64, String> {
    object
        .get(key)
        .and_then(Value::as_i64)
        .ok_or_else(|| format!("each `{parent}` entry needs an integer `{key}`"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_guarded_rows_values_leave_its_error_in_any_form_or_case() {
        let row = Row::Payabli(PayabliRow {
            user_id: Some(1234),
            name: Some("Smith".into()),
            email: Some(" Hiems2024@x.io ".into()),
            pwd: Some(Password::new(" John")),
            guarded: true,
            ..PayabliRow::default()
        });
        let guard = row.guard().expect("a guarded row");
        assert_eq!(
            guard.scrub("email Hiems2024@x.io is taken (request id req-12345)"),
            "email [redacted] is taken (request id req-12345)",
            "the user id is no value of the row's text: left"
        );
        assert_eq!(
            guard.scrub(r#"{"email":"Hiems2024%40x.io"}"#),
            r#"{"email":"[redacted]"}"#
        );
        // Echoed in another ASCII case: the same form, replaced in place.
        assert_eq!(
            guard.scrub("email hiems2024@x.io is taken"),
            "email [redacted] is taken"
        );
        assert_eq!(
            guard.scrub("email HIEMS2024%40X.IO is taken"),
            "email [redacted] is taken"
        );
        // Encoded beyond any form: no form matches, so all of it goes.
        assert_eq!(guard.scrub("email %48iems2024@x.io is taken"), "[redacted]");
        assert_eq!(
            guard.scrub(r#"{"m":"HIEMS2024\u0040X.IO taken"}"#),
            "[redacted]"
        );
        assert_eq!(
            guard.scrub("SMITH: no such user"),
            "[redacted]: no such user"
        );
        // Short values (`John` is four: scrubbed) and unrelated text stay.
        assert_eq!(guard.scrub("user John, id 12"), "user [redacted], id 12");
        // A row that cannot hold a password has no guard.
        let plain = Row::Payabli(PayabliRow {
            name: Some("Smith".into()),
            ..PayabliRow::default()
        });
        assert!(plain.guard().is_none());
        assert!(!plain.may_hold_password());
    }

    fn json_fields(value: Value) -> Fields {
        Fields::json(value.as_object().unwrap().clone())
    }

    fn payabli_row(value: Value) -> Result<PayabliRow, String> {
        match parse(ProviderArg::Payabli, SyncOp::Update, json_fields(value))? {
            Row::Payabli(row) => Ok(row),
            other => panic!("not a Payabli row: {other:?}"),
        }
    }

    #[test]
    fn hpay_json_row() {
        let fields = json_fields(json!({"user_id": "u1", "app_user_id": 3, "name": "A",
            "phone_number": "+23270000000", "is_active": false}));
        let Row::Hpay(row) = parse(ProviderArg::Hpay, SyncOp::Update, fields).unwrap() else {
            panic!()
        };
        assert_eq!((row.app_user_id, row.is_active), (Some(3), Some(false)));
    }

    #[test]
    fn rows_by_operation() {
        let create =
            json_fields(json!({"app_user_id": 3, "name": "A", "phone_number": "+23270000000"}));
        assert!(parse(ProviderArg::Hpay, SyncOp::Create, create).is_ok());
        let create_with_id = json_fields(
            json!({"user_id": "u", "app_user_id": 3, "name": "A", "phone_number": "+23270000000"}),
        );
        let err = parse(ProviderArg::Hpay, SyncOp::Create, create_with_id).unwrap_err();
        assert!(err.contains("assigns it"), "{err}");
        let delete = json_fields(json!({"userId": 7}));
        assert!(parse(ProviderArg::Payabli, SyncOp::Delete, delete).is_ok());
        let delete_more = json_fields(json!({"userId": 7, "name": "x"}));
        let err = parse(ProviderArg::Payabli, SyncOp::Delete, delete_more).unwrap_err();
        assert!(err.contains("only"), "{err}");
    }

    #[test]
    fn explicit_empty_lists_and_maps_are_values() {
        let row = payabli_row(json!({"userId": 1, "scope": []})).unwrap();
        assert_eq!(row.scope, Some(vec![]));
        let row = payabli_row(json!({"userId": 1, "access": [], "additionalData": {}})).unwrap();
        assert_eq!(row.access, Some(vec![]));
        assert_eq!(row.additional, Some(vec![]));
        let err = payabli_row(json!({"userId": 1})).unwrap_err();
        assert!(err.contains("nothing to update"), "{err}");
    }

    #[test]
    fn optional_members_the_spec_allows_may_be_left_out() {
        let row =
            payabli_row(json!({"userId": 1, "scope": [{"orgId": 5}], "mfaData": {"mfa": true}}))
                .unwrap();
        assert_eq!(row.scope, Some(vec![(None, 5)]));
        assert_eq!(row.mfa, Some((true, None)));
    }

    #[test]
    fn wrong_types_and_unknown_fields() {
        let bad = json_fields(json!({"user_id": "u1", "app_user_id": "abc", "name": "A",
            "phone_number": "+23270000000"}));
        let err = parse(ProviderArg::Hpay, SyncOp::Update, bad).unwrap_err();
        assert!(err.contains("`app_user_id` must be an integer"), "{err}");
        let typo = json_fields(json!({"userId": 1, "emial": "x@y.z"}));
        assert_eq!(
            parse(ProviderArg::Payabli, SyncOp::Update, typo).unwrap_err(),
            "unknown field `emial`"
        );
    }

    #[test]
    fn csv_cells_are_converted() {
        let cells = [
            ("userId", "7"),
            ("status", "locked"),
            ("timeZone", "-5"),
            ("language", "es"),
            ("additionalData.note", "hi"),
            ("email", ""),
        ];
        let fields = Fields::csv(cells.iter().map(|(k, v)| (*k, v.to_string())));
        let Row::Payabli(row) = parse(ProviderArg::Payabli, SyncOp::Update, fields).unwrap() else {
            panic!()
        };
        assert_eq!(row.user_id, Some(7));
        assert_eq!(row.status, Some(UserStatus::Locked));
        assert_eq!(row.time_zone, Some(-5));
        assert_eq!(
            row.additional,
            Some(vec![("note".to_string(), "hi".to_string())])
        );
        assert_eq!(row.email, None);
    }

    #[test]
    fn debug_of_a_row_hides_the_password() {
        let json = json_fields(json!({"userId": 5, "name": "A", "pwd": "hunter2-json"}));
        let csv =
            Fields::csv([("userId", "6".to_string()), ("pwd", "hunter2-csv".into())].into_iter());
        for (fields, secret) in [(json, "hunter2-json"), (csv, "hunter2-csv")] {
            let row = parse(ProviderArg::Payabli, SyncOp::Update, fields).unwrap();
            let Row::Payabli(payabli) = &row else {
                panic!()
            };
            assert_eq!(payabli.pwd.as_ref().map(Password::expose), Some(secret));
            for shown in [format!("{row:?}"), format!("{row:#?}")] {
                assert!(!shown.contains(secret), "{shown}");
                assert!(shown.contains("[redacted]"), "{shown}");
            }
        }
    }

    #[test]
    fn short_csv_record_names_the_missing_column() {
        let fields =
            Fields::csv([("user_id", "u1".to_string()), ("app_user_id", "1".into())].into_iter());
        assert_eq!(
            parse(ProviderArg::Hpay, SyncOp::Update, fields).unwrap_err(),
            "missing column `name`"
        );
    }

    #[test]
    fn user_ids_are_sent_as_they_are_keyed_trimmed_and_blank_ones_refused() {
        // The journal keys a row by its trimmed id; the request names the same.
        let cells = |id: &str| {
            Fields::csv(
                [
                    ("user_id", id.to_string()),
                    ("app_user_id", "1".into()),
                    ("name", "A".into()),
                    ("phone_number", "+23270000000".into()),
                ]
                .into_iter(),
            )
        };
        let fields = cells(" u1 ");
        assert_eq!(
            fields.id(ProviderArg::Hpay, SyncOp::Update).as_deref(),
            Some("u1")
        );
        let Row::Hpay(row) = parse(ProviderArg::Hpay, SyncOp::Update, fields).unwrap() else {
            panic!("not an hPay row")
        };
        assert_eq!(row.user_id.as_deref(), Some("u1"));
        assert_eq!(
            parse(ProviderArg::Hpay, SyncOp::Update, cells("  ")).unwrap_err(),
            "`user_id` is blank"
        );
        let blank = json_fields(json!({"user_id": " ", "app_user_id": 3, "name": "A",
            "phone_number": "+23270000000"}));
        assert_eq!(
            parse(ProviderArg::Hpay, SyncOp::Delete, blank).unwrap_err(),
            "`user_id` is blank"
        );
        let both = json_fields(json!({"hpay_user_id": "\tuser_abc123 ", "name": "A"}));
        let Row::Both(row) = parse(ProviderArg::Both, SyncOp::Update, both).unwrap() else {
            panic!("not a profile row")
        };
        assert_eq!(
            row.link.hpay.as_ref().map(|(id, _)| id.as_str()),
            Some("user_abc123")
        );
        let blank = json_fields(json!({"hpay_user_id": "", "payabli_user_id": 7, "name": "A"}));
        assert_eq!(
            parse(ProviderArg::Both, SyncOp::Update, blank).unwrap_err(),
            "`hpay_user_id` is blank"
        );
    }
}
