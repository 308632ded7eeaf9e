//! Secret values: credentials and passwords that must never be printed.
//!
//! Everything secret is held as a [`secrecy::SecretString`]; `Debug` and
//! `Display` print `[redacted]`. [`Password`] is the type the generator maps
//! every `format: password` string to, so generated models are safe to log.

use secrecy::{ExposeSecret, SecretString};
use std::fmt;

/// What `Debug` and `Display` print instead of a secret.
pub const REDACTED: &str = "[redacted]";

/// A password sent to a provider (`format: password` in the specs).
///
/// Serializes to the plain string (it has to reach the provider), but never
/// shows it in `Debug` or `Display`; inside a call, its value is also
/// scrubbed from every error the answer produces.
///
/// ```
/// let pwd = payusers::secret::Password::new("hunter2");
/// assert_eq!(format!("{pwd:?}"), "Password([redacted])");
/// assert_eq!(pwd.to_string(), "[redacted]");
/// ```
#[derive(Clone)]
pub struct Password(SecretString);

impl Password {
    /// Wraps a password.
    pub fn new(value: impl Into<String>) -> Self {
        Password(SecretString::from(value.into()))
    }

    /// The password itself; call only to send or compare it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl From<String> for Password {
    fn from(value: String) -> Self {
        Password::new(value)
    }
}

impl From<&str> for Password {
    fn from(value: &str) -> Self {
        Password::new(value)
    }
}

impl From<SecretString> for Password {
    fn from(value: SecretString) -> Self {
        Password(value)
    }
}

impl PartialEq for Password {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Password({REDACTED})")
    }
}

impl fmt::Display for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl serde::Serialize for Password {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Inside a call, remember the value so nothing a server echoes
        // back can show it.
        crate::transport::note_secret(self.expose());
        serializer.serialize_str(self.expose())
    }
}

impl<'de> serde::Deserialize<'de> for Password {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Password::new)
    }
}

impl schemars::JsonSchema for Password {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Password".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut schema = String::json_schema(generator);
        schema.insert("format".into(), "password".into());
        schema
    }
}
