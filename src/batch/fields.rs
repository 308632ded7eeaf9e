//! A row's raw fields (a JSON object or a CSV record) and typed getters
//! whose errors name the field and the problem.

use super::{ProviderArg, SyncOp};
use serde_json::{Map, Value};

/// A row's fields: a JSON object, or a CSV record turned into one whose
/// values are all strings (`csv`), which the typed getters then convert.
pub struct Fields {
    map: Map<String, Value>,
    csv: bool,
    /// Whether errors leave values out (see [`Fields::quiet`]).
    quiet: bool,
}

impl Fields {
    pub fn json(map: Map<String, Value>) -> Self {
        Fields {
            map,
            csv: false,
            quiet: false,
        }
    }

    /// `pairs` are (column, value) for the columns the record has.
    pub fn csv<'a>(pairs: impl Iterator<Item = (&'a str, String)>) -> Self {
        let mut map = Map::new();
        let mut additional = Map::new();
        for (column, value) in pairs {
            match column.strip_prefix("additionalData.") {
                Some(key) if !value.is_empty() => {
                    additional.insert(key.to_string(), Value::String(value));
                }
                Some(_) => {}
                None => {
                    map.insert(column.to_string(), Value::String(value));
                }
            }
        }
        if !additional.is_empty() {
            map.insert("additionalData".into(), Value::Object(additional));
        }
        Fields {
            map,
            csv: true,
            quiet: false,
        }
    }

    /// Errors name each value's kind but never quote it: for a CSV record
    /// under a `pwd` column, where cells shifted by a stray comma could put
    /// a password under any column.
    pub fn quiet(mut self, quiet: bool) -> Self {
        self.quiet = quiet;
        self
    }

    /// A value for an error message: [`shown`], or only its kind when
    /// [`quiet`](Self::quiet).
    pub fn shown(&self, value: &Value) -> String {
        if self.quiet {
            format!("{} (not quoted: a cell under a `pwd` column)", kind(value))
        } else {
            shown(value)
        }
    }

    /// The user id as the journal shows it, when the row has a usable one.
    /// The row's key: its user id, or for an hPay create its
    /// `app_user_id` (rows with one key are applied in input order). An
    /// integer id is keyed by its value, so `7`, `07` and `+7` (one user,
    /// as the row's parse reads them) are one key.
    pub fn id(&self, provider: ProviderArg, op: SyncOp) -> Option<String> {
        let (key, integer) = match (provider, op) {
            (ProviderArg::Hpay, SyncOp::Create) => ("app_user_id", true),
            (ProviderArg::Payabli, SyncOp::Create) => return None,
            // A person: keyed by the hPay user when linked, else the Payabli one.
            (ProviderArg::Both, _) => return self.keys(provider, op).0,
            (ProviderArg::Payabli, _) => (super::rows::id_field(provider), true),
            (provider, _) => (super::rows::id_field(provider), false),
        };
        self.key_text(key, integer)
    }

    /// The row's keys: [`id`](Self::id), and for a `--provider both` row
    /// naming both users the Payabli one as well, so the row waits for
    /// earlier rows naming either user (one naming only the Payabli user
    /// included).
    pub fn keys(&self, provider: ProviderArg, op: SyncOp) -> (Option<String>, Option<String>) {
        if provider != ProviderArg::Both {
            return (self.id(provider, op), None);
        }
        let hpay = self
            .key_text("hpay_user_id", false)
            .map(|id| format!("hpay:{id}"));
        let payabli = self
            .key_text("payabli_user_id", true)
            .map(|id| format!("payabli:{id}"));
        match hpay {
            Some(hpay) => (Some(hpay), payabli),
            None => (payabli, None),
        }
    }

    /// `key`'s value as a row key: trimmed text, or an integer's value.
    fn key_text(&self, key: &str, integer: bool) -> Option<String> {
        match self.map.get(key)? {
            Value::String(s) if !s.trim().is_empty() => {
                let text = s.trim();
                Some(match text.parse::<i64>() {
                    Ok(n) if integer => n.to_string(),
                    _ => text.to_string(),
                })
            }
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// Whether the row has a (non-empty) value for `key`.
    pub fn has(&self, key: &str) -> bool {
        match self.map.get(key) {
            None | Some(Value::Null) => false,
            Some(Value::String(s)) if self.csv => !s.trim().is_empty(),
            Some(_) => true,
        }
    }

    pub fn noun(&self) -> &'static str {
        if self.csv { "column" } else { "field" }
    }

    /// Removes `key`; absent and null are `None`, and so is an empty CSV
    /// cell unless `keep_empty`.
    pub fn take(&mut self, key: &str, keep_empty: bool) -> Option<Value> {
        match self.map.remove(key)? {
            Value::Null => None,
            Value::String(s) if self.csv && s.trim().is_empty() && !keep_empty => None,
            value => Some(value),
        }
    }

    pub fn missing(&self, key: &str) -> String {
        format!("missing {} `{key}`", self.noun())
    }

    pub fn string(&mut self, key: &str) -> Result<Option<String>, String> {
        match self.take(key, false) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(format!(
                "`{key}` must be a string, got {}",
                self.shown(&other)
            )),
        }
    }

    pub fn required_string(&mut self, key: &str) -> Result<String, String> {
        match self.take(key, true) {
            None => Err(self.missing(key)),
            Some(Value::String(s)) => Ok(s),
            Some(other) => Err(format!(
                "`{key}` must be a string, got {}",
                self.shown(&other)
            )),
        }
    }

    /// A user id: trimmed, as the row's key is, so the user the journal
    /// names is the user the request names; blank is an error, not an id.
    pub fn user_id(&mut self, key: &str) -> Result<Option<String>, String> {
        match self.string(key)? {
            None => Ok(None),
            Some(id) if id.trim().is_empty() => Err(format!("`{key}` is blank")),
            Some(id) => Ok(Some(id.trim().to_string())),
        }
    }

    /// [`user_id`](Self::user_id), required: an empty CSV cell is blank.
    pub fn required_user_id(&mut self, key: &str) -> Result<String, String> {
        if self.csv && matches!(self.map.get(key), Some(Value::String(s)) if s.trim().is_empty()) {
            return Err(format!("`{key}` is blank"));
        }
        self.user_id(key)?.ok_or_else(|| self.missing(key))
    }

    pub fn int(&mut self, key: &str) -> Result<Option<i64>, String> {
        let Some(value) = self.take(key, false) else {
            return Ok(None);
        };
        let parsed = match &value {
            Value::Number(n) => n.as_i64(),
            Value::String(s) if self.csv => s.trim().parse().ok(),
            _ => None,
        };
        parsed
            .map(Some)
            .ok_or_else(|| format!("`{key}` must be an integer, got {}", self.shown(&value)))
    }

    pub fn required_int(&mut self, key: &str) -> Result<i64, String> {
        if self.csv && matches!(self.map.get(key), Some(Value::String(s)) if s.trim().is_empty()) {
            return Err(format!("`{key}` is empty; expected an integer"));
        }
        self.int(key)?.ok_or_else(|| self.missing(key))
    }

    pub fn boolean(&mut self, key: &str) -> Result<Option<bool>, String> {
        let Some(value) = self.take(key, false) else {
            return Ok(None);
        };
        let parsed = match &value {
            Value::Bool(b) => Some(*b),
            Value::String(s) if self.csv => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => Some(true),
                "false" | "0" | "no" => Some(false),
                _ => None,
            },
            _ => None,
        };
        parsed
            .map(Some)
            .ok_or_else(|| format!("`{key}` must be true or false, got {}", self.shown(&value)))
    }

    /// Fails on any field nobody asked for (a typo would otherwise be ignored).
    /// Fails on any field left unread (with a delete, any but the id).
    pub fn finish(self, delete: bool, id: &str) -> Result<(), String> {
        match self.map.keys().next() {
            None => Ok(()),
            Some(key) if delete => Err(format!("a delete row takes only `{id}`, not `{key}`")),
            Some(key) => Err(format!("unknown {} `{key}`", self.noun())),
        }
    }
}

/// A short description of a value for an error message.
pub fn shown(value: &Value) -> String {
    let text = value.to_string();
    let mut excerpt: String = text.chars().take(40).collect();
    if excerpt.len() < text.len() {
        excerpt.push('…');
    }
    format!("{} {excerpt}", kind(value))
}

/// A value's JSON type, as error messages name it.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(column: &str, value: &str) -> Fields {
        Fields::csv([(column, value.to_string())].into_iter())
    }

    #[test]
    fn a_row_naming_both_users_has_both_keys() {
        let person = |pairs: &[(&str, &str)]| {
            Fields::csv(pairs.iter().map(|(c, v)| (*c, v.to_string())))
                .keys(ProviderArg::Both, SyncOp::Update)
        };
        let both = person(&[("hpay_user_id", "u1"), ("payabli_user_id", "07")]);
        assert_eq!(both, (Some("hpay:u1".into()), Some("payabli:7".into())));
        let payabli = person(&[("hpay_user_id", " "), ("payabli_user_id", "7")]);
        assert_eq!(payabli, (Some("payabli:7".into()), None));
        assert_eq!(
            person(&[("hpay_user_id", "u1")]),
            (Some("hpay:u1".into()), None)
        );
        // One provider's rows have one key, whatever else they carry.
        let hpay = csv("user_id", "u1").keys(ProviderArg::Hpay, SyncOp::Update);
        assert_eq!(hpay, (Some("u1".into()), None));
    }

    #[test]
    fn one_integer_user_is_one_key_however_it_is_written() {
        // The row's parse reads all of these as user 7: so must its key,
        // or two of that user's rows could run at once, out of order.
        for written in ["7", "07", "+7", " 7 ", "0007"] {
            let payabli = csv("userId", written);
            assert_eq!(
                payabli.id(ProviderArg::Payabli, SyncOp::Update).as_deref(),
                Some("7"),
                "{written:?}"
            );
            let create = csv("app_user_id", written);
            assert_eq!(
                create.id(ProviderArg::Hpay, SyncOp::Create).as_deref(),
                Some("7")
            );
            let person = csv("payabli_user_id", written);
            assert_eq!(
                person.id(ProviderArg::Both, SyncOp::Update).as_deref(),
                Some("payabli:7")
            );
        }
        // Text ids are text: `07` and `7` are two hPay users.
        let hpay = |id| csv("user_id", id).id(ProviderArg::Hpay, SyncOp::Update);
        assert_eq!(hpay("07").as_deref(), Some("07"));
        assert_eq!(hpay(" u7 ").as_deref(), Some("u7"));
        // What does not parse keeps its text (the row fails on its own).
        assert_eq!(
            csv("userId", "seven")
                .id(ProviderArg::Payabli, SyncOp::Update)
                .as_deref(),
            Some("seven")
        );
    }
}
