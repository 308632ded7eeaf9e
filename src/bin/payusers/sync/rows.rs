//! Typed rows for each provider, parsed from a JSON object or a CSV record.

use super::fields::{Fields, shown};
use crate::args::ProviderArg;
use payusers::payabli::{Language, UserStatus};
use payusers::secret::Password;
use serde_json::Value;

/// One update to send.
#[derive(Debug, Clone)]
pub enum Row {
    Hpay(HpayRow),
    Payabli(PayabliRow),
}

#[derive(Debug, Clone)]
pub struct HpayRow {
    pub user_id: String,
    pub app_user_id: i64,
    pub name: String,
    pub phone_number: String,
    pub email: Option<String>,
    pub username: Option<String>,
    pub is_active: Option<bool>,
}

#[derive(Debug, Clone, Default)]
pub struct PayabliRow {
    pub user_id: i64,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Redacted in `Debug`, so a logged or printed row never shows it.
    pub pwd: Option<Password>,
    pub status: Option<UserStatus>,
    pub time_zone: Option<i32>,
    pub language: Option<Language>,
    pub scope: Vec<(i32, i64)>,
    pub access: Vec<(String, bool)>,
    pub mfa: Option<(bool, i32)>,
    pub additional: Vec<(String, String)>,
}

/// The columns a CSV header may name for `provider`.
pub fn known_column(provider: ProviderArg, column: &str) -> bool {
    match provider {
        ProviderArg::Hpay => HPAY_FIELDS.contains(&column),
        ProviderArg::Payabli => {
            PAYABLI_CSV_FIELDS.contains(&column)
                || column
                    .strip_prefix("additionalData.")
                    .is_some_and(|key| !key.is_empty())
        }
    }
}

/// The columns a CSV header must name for `provider`.
pub fn required_columns(provider: ProviderArg) -> &'static [&'static str] {
    match provider {
        ProviderArg::Hpay => &["user_id", "app_user_id", "name", "phone_number"],
        ProviderArg::Payabli => &["userId"],
    }
}

const HPAY_FIELDS: [&str; 7] = [
    "user_id",
    "app_user_id",
    "name",
    "phone_number",
    "email",
    "username",
    "is_active",
];
const PAYABLI_CSV_FIELDS: [&str; 9] = [
    "userId",
    "name",
    "email",
    "phone",
    "pwd",
    "usrStatus",
    "status",
    "timeZone",
    "language",
];

/// Parses `fields` into a row for `provider`.
pub fn parse(provider: ProviderArg, mut fields: Fields) -> Result<Row, String> {
    let row = match provider {
        ProviderArg::Hpay => Row::Hpay(HpayRow {
            user_id: fields.required_string("user_id")?,
            app_user_id: fields.required_int("app_user_id")?,
            name: fields.required_string("name")?,
            phone_number: fields.required_string("phone_number")?,
            email: fields.string("email")?,
            username: fields.string("username")?,
            is_active: fields.boolean("is_active")?,
        }),
        ProviderArg::Payabli => Row::Payabli(payabli(&mut fields)?),
    };
    fields.finish()?;
    Ok(row)
}

fn payabli(fields: &mut Fields) -> Result<PayabliRow, String> {
    let mut row = PayabliRow {
        user_id: fields.required_int("userId")?,
        name: fields.string("name")?,
        email: fields.string("email")?,
        phone: fields.string("phone")?,
        ..PayabliRow::default()
    };
    row.pwd = match fields.take("pwd", false) {
        None => None,
        Some(Value::String(s)) => Some(Password::new(s)),
        Some(_) => return Err("`pwd` must be a string".into()),
    };
    for key in ["usrStatus", "status"] {
        if let Some(value) = fields.take(key, false) {
            if row.status.is_some() {
                return Err("give `usrStatus` or `status`, not both".into());
            }
            row.status = Some(status(key, &value)?);
        }
    }
    if let Some(offset) = fields.int("timeZone")? {
        let offset =
            i32::try_from(offset).map_err(|_| format!("`timeZone` is out of range: {offset}"))?;
        row.time_zone = Some(offset);
    }
    row.language = match fields.string("language")? {
        None => None,
        Some(s) => Some(match s.trim().to_ascii_lowercase().as_str() {
            "en" => Language::En,
            "es" => Language::Es,
            _ => return Err(format!("`language` must be en or es, got {s:?}")),
        }),
    };
    if let Some(value) = fields.take("additionalData", false) {
        let Value::Object(map) = value else {
            return Err(format!(
                "`additionalData` must be an object, got {}",
                shown(&value)
            ));
        };
        for (key, value) in map {
            match value {
                Value::String(s) => row.additional.push((key, s)),
                other => {
                    return Err(format!(
                        "`additionalData.{key}` must be a string, got {}",
                        shown(&other)
                    ));
                }
            }
        }
    }
    if let Some(value) = fields.take("scope", false) {
        for item in array("scope", value)? {
            let org_type = member_int(&item, "scope", "orgType")?;
            let org_id = member_int(&item, "scope", "orgId")?;
            let org_type = i32::try_from(org_type)
                .map_err(|_| "`scope.orgType` is out of range".to_string())?;
            row.scope.push((org_type, org_id));
        }
    }
    if let Some(value) = fields.take("access", false) {
        for item in array("access", value)? {
            let label = match item.get("roleLabel") {
                Some(Value::String(s)) => s.clone(),
                _ => return Err("each `access` entry needs a string `roleLabel`".into()),
            };
            let granted = match item.get("roleValue") {
                Some(Value::Bool(b)) => *b,
                _ => return Err("each `access` entry needs a boolean `roleValue`".into()),
            };
            row.access.push((label, granted));
        }
    }
    if let Some(value) = fields.take("mfaData", false) {
        let enabled = match value.get("mfa") {
            Some(Value::Bool(b)) => *b,
            _ => return Err("`mfaData` needs a boolean `mfa`".into()),
        };
        let mode = member_int(&value, "mfaData", "mfaMode")?;
        let mode = i32::try_from(mode).map_err(|_| "`mfaData.mfaMode` is out of range")?;
        row.mfa = Some((enabled, mode));
    }
    Ok(row)
}

fn status(key: &str, value: &Value) -> Result<UserStatus, String> {
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
            shown(value)
        )
    })
}

fn array(key: &str, value: Value) -> Result<Vec<Value>, String> {
    match value {
        Value::Array(items) => Ok(items),
        other => Err(format!("`{key}` must be an array, got {}", shown(&other))),
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

    fn json_fields(value: Value) -> Fields {
        Fields::json(value.as_object().unwrap().clone())
    }

    #[test]
    fn hpay_json_row() {
        let fields = json_fields(json!({"user_id": "u1", "app_user_id": 3, "name": "A",
            "phone_number": "+23270000000", "is_active": false}));
        let Row::Hpay(row) = parse(ProviderArg::Hpay, fields).unwrap() else {
            panic!()
        };
        assert_eq!((row.app_user_id, row.is_active), (3, Some(false)));
    }

    #[test]
    fn wrong_types_and_unknown_fields() {
        let bad = json_fields(json!({"user_id": "u1", "app_user_id": "abc", "name": "A",
            "phone_number": "+23270000000"}));
        let err = parse(ProviderArg::Hpay, bad).unwrap_err();
        assert!(err.contains("`app_user_id` must be an integer"), "{err}");
        let typo = json_fields(json!({"userId": 1, "emial": "x@y.z"}));
        assert_eq!(
            parse(ProviderArg::Payabli, typo).unwrap_err(),
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
        let Row::Payabli(row) = parse(ProviderArg::Payabli, fields).unwrap() else {
            panic!()
        };
        assert_eq!(row.user_id, 7);
        assert_eq!(row.status, Some(UserStatus::Locked));
        assert_eq!(row.time_zone, Some(-5));
        assert_eq!(row.additional, vec![("note".to_string(), "hi".to_string())]);
        assert_eq!(row.email, None);
    }

    #[test]
    fn debug_of_a_row_hides_the_password() {
        let json = json_fields(json!({"userId": 5, "name": "A", "pwd": "hunter2-json"}));
        let csv =
            Fields::csv([("userId", "6".to_string()), ("pwd", "hunter2-csv".into())].into_iter());
        for (fields, secret) in [(json, "hunter2-json"), (csv, "hunter2-csv")] {
            let row = parse(ProviderArg::Payabli, fields).unwrap();
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
            parse(ProviderArg::Hpay, fields).unwrap_err(),
            "missing column `name`"
        );
    }
}
