//! Reading `chrono::DateTime<Utc>` fields of generated models (codegen adds
//! `deserialize_with` pointing here): strict RFC 3339, what the providers
//! send, through chrono's dedicated parser; anything else through chrono's
//! own `FromStr`, exactly as its `Deserialize` would. Same strings accepted,
//! same values, same error messages; the common case skips chrono's general
//! format engine (about 1,200 instructions per timestamp).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, de};
use std::fmt;

/// Parses like `str::parse::<DateTime<Utc>>`, strict RFC 3339 first.
pub(crate) fn parse(text: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    match DateTime::parse_from_rfc3339(text) {
        Ok(t) => Ok(t.with_timezone(&Utc)),
        Err(_) => text.parse(),
    }
}

struct Visitor;

impl de::Visitor<'_> for Visitor {
    type Value = DateTime<Utc>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // chrono's own wording, so errors read the same as before.
        f.write_str("a formatted date and time string or a unix timestamp")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        parse(value).map_err(E::custom)
    }
}

struct Fast(DateTime<Utc>);

impl<'de> Deserialize<'de> for Fast {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(Visitor).map(Fast)
    }
}

/// `deserialize_with` for a required timestamp.
#[allow(dead_code)] // no spec of ours has a required timestamp; extra specs may
pub(crate) fn utc<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    d.deserialize_str(Visitor)
}

/// `deserialize_with` for an optional timestamp (`null` is `None`).
pub(crate) fn option_utc<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    Option::<Fast>::deserialize(d).map(|o| o.map(|f| f.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Agrees with chrono's own reading, value and error alike.
    fn agrees(text: &str) {
        let ours = parse(text);
        let chrono = text.parse::<DateTime<Utc>>();
        assert_eq!(ours, chrono, "{text:?}");
        let json = serde_json::to_string(text).unwrap();
        let ours: Result<DateTime<Utc>, String> =
            utc(&mut serde_json::Deserializer::from_str(&json)).map_err(|e| e.to_string());
        let chrono = serde_json::from_str::<DateTime<Utc>>(&json).map_err(|e| e.to_string());
        assert_eq!(ours, chrono, "{text:?}");
    }

    #[test]
    fn known_forms() {
        for text in [
            "2025-01-18T14:20:00Z",
            "2025-01-18T14:20:00.123456Z",
            "2025-01-18t14:20:00z",
            "2025-01-18T14:20:00+05:30",
            "2025-01-18T14:20:00-00:00",
            "2025-01-18 14:20:00Z",
            "2025-01-18T14:20:00",
            "2025-01-18T14:20Z",
            "2025-01-18T24:00:00Z",
            "2025-02-30T14:20:00Z",
            "2016-12-31T23:59:60Z",
            "  2025-01-18T14:20:00Z",
            "2025-01-18T14:20:00 Z",
            "2025-01-18T14:20:00+0530",
            "",
            "yesterday",
        ] {
            agrees(text);
        }
    }

    #[test]
    fn optional_fields_read_null_and_values() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct T {
            #[serde(default, deserialize_with = "option_utc")]
            at: Option<DateTime<Utc>>,
        }
        let t: T = serde_json::from_str(r#"{"at":null}"#).unwrap();
        assert_eq!(t.at, None);
        let t: T = serde_json::from_str(r#"{}"#).unwrap();
        assert_eq!(t.at, None);
        let t: T = serde_json::from_str(r#"{"at":"2025-01-18T14:20:00Z"}"#).unwrap();
        assert_eq!(t.at.unwrap().to_rfc3339(), "2025-01-18T14:20:00+00:00");
        let e = serde_json::from_str::<T>(r#"{"at":"soon"}"#).unwrap_err();
        assert!(
            e.to_string().contains("input contains invalid characters"),
            "{e}"
        );
    }

    proptest! {
        #[test]
        fn agrees_with_chrono(
            date in "[0-9]{4}-[0-9]{2}-[0-9]{2}",
            sep in "[Tt _]",
            time in "[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,10})?)?",
            zone in "(|[Zz]|[+-][0-9]{2}(:?[0-9]{2})?| [+-][0-9]{2}:[0-9]{2})",
        ) {
            agrees(&format!("{date}{sep}{time}{zone}"));
        }

        #[test]
        fn agrees_with_chrono_on_anything(text in "\\PC{0,40}") {
            agrees(&text);
        }
    }
}
