//! The common JSON Lines row read straight into its typed row: an hPay row
//! whose fields are all known, each once, each of its expected JSON type.
//!
//! Anything else (not an object, a null, an unknown or repeated field, a
//! wrong type, a missing required field, a number that is not an `i64`)
//! returns `None` and goes the general way, through a `serde_json::Map`
//! and [`Fields`](super::fields::Fields), which owns every rule and
//! message. When this path answers, its answer is the general path's,
//! byte for byte (`tests/sync_rows.rs` checks both on generated lines): the
//! same row, the same key and the same digest, the canonical JSON (keys
//! sorted, compact) that the general path hashes — serialized here from
//! the typed fields.

use super::SyncOp;
use super::journal::Digest;
use super::rows::HpayRow;
use serde::{Deserialize, Deserializer, Serialize};

/// A present, non-null value (a null makes the row take the general path).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// Fields in byte order of their names: the order the canonical JSON uses.
#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct HpayLine {
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    app_user_id: Option<i64>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    email: Option<String>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    is_active: Option<bool>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    name: Option<String>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    phone_number: Option<String>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    user_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    username: Option<String>,
}

/// An hPay row's key, digest and row, when `text` is the common shape for
/// `op`; `None` sends it the general way.
pub fn hpay(op: SyncOp, text: &[u8]) -> Option<(Option<String>, Digest, HpayRow)> {
    // Only an object: a derived struct would also read an array, by position.
    if text.trim_ascii_start().first() != Some(&b'{') {
        return None;
    }
    let line: HpayLine = serde_json::from_slice(text).ok()?;
    let others = [
        line.app_user_id.is_some(),
        line.name.is_some(),
        line.phone_number.is_some(),
        line.email.is_some(),
        line.username.is_some(),
        line.is_active.is_some(),
    ];
    let fits = match op {
        SyncOp::Create => line.user_id.is_none() && others[..3].iter().all(|present| *present),
        SyncOp::Update => line.user_id.is_some() && others[..3].iter().all(|present| *present),
        SyncOp::Delete => line.user_id.is_some() && others.iter().all(|present| !present),
    };
    if !fits {
        return None;
    }
    let digest = digest(&line)?;
    let key = match op {
        SyncOp::Create => line.app_user_id.map(|id| id.to_string()),
        _ => line
            .user_id
            .as_deref()
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_string),
    };
    let row = HpayRow {
        user_id: line.user_id,
        app_user_id: line.app_user_id,
        name: line.name,
        phone_number: line.phone_number,
        email: line.email,
        username: line.username,
        is_active: line.is_active,
    };
    Some((key, digest, row))
}

/// The canonical JSON of the fields present (declared in byte order of
/// their names, compact, serde_json's escapes), hashed as it is written.
fn digest(line: &HpayLine) -> Option<Digest> {
    let mut digest = Digest::new();
    serde_json::to_writer(&mut digest, line).ok()?;
    Some(digest)
}
