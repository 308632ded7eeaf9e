//! The common JSON Lines row read straight into its typed row: an hPay row
//! whose fields are all known, each once, each of its expected JSON type.
//!
//! Anything else (not an object, a null, an unknown or repeated field, a
//! wrong type, a missing required field, a number that is not an `i64`, a
//! blank `user_id` or one with space around it)
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
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HpayLine {
    #[serde(default, deserialize_with = "present")]
    app_user_id: Option<i64>,
    #[serde(default, deserialize_with = "present")]
    email: Option<String>,
    #[serde(default, deserialize_with = "present")]
    is_active: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    phone_number: Option<String>,
    #[serde(default, deserialize_with = "present")]
    user_id: Option<String>,
    #[serde(default, deserialize_with = "present")]
    username: Option<String>,
}

/// An hPay row's key, digest and row, when `text` is the common shape for
/// `op`; `None` sends it the general way.
pub fn hpay(op: SyncOp, text: &[u8]) -> Option<(Option<String>, Digest, HpayRow)> {
    // Only an object: a derived struct would also read an array, by position.
    if text.trim_ascii_start().first() != Some(&b'{') {
        return None;
    }
    // One UTF-8 check for the line, not one per string (`from_slice`
    // checks each); a line that is not UTF-8 goes the general way, which
    // names the problem.
    let line: HpayLine = serde_json::from_str(std::str::from_utf8(text).ok()?).ok()?;
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
    // An id with space around it (sent trimmed) or a blank one (refused):
    // the general path's to handle.
    let plain = |id: &str| !id.is_empty() && id.trim().len() == id.len();
    if !fits || !line.user_id.as_deref().is_none_or(plain) {
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

/// The canonical JSON of the fields present (in byte order of their
/// names, compact, serde_json's escapes), hashed as it is written: the
/// names as the literals they are (none needs an escape), the values
/// through `serde_json`, so the bytes are what a derived `Serialize` writes
/// (`tests/sync_rows.rs`) without its per-field machinery, on every row.
fn digest(line: &HpayLine) -> Option<Digest> {
    fn field<T: Serialize>(
        digest: &mut Digest,
        first: &mut bool,
        name: &str,
        value: &Option<T>,
    ) -> Option<()> {
        let Some(value) = value else {
            return Some(());
        };
        digest.update(if std::mem::take(first) {
            b"{\""
        } else {
            b",\""
        });
        digest.update(name.as_bytes());
        digest.update(b"\":");
        serde_json::to_writer(&mut *digest, value).ok()
    }
    let (mut digest, mut first) = (Digest::new(), true);
    field(&mut digest, &mut first, "app_user_id", &line.app_user_id)?;
    field(&mut digest, &mut first, "email", &line.email)?;
    field(&mut digest, &mut first, "is_active", &line.is_active)?;
    field(&mut digest, &mut first, "name", &line.name)?;
    field(&mut digest, &mut first, "phone_number", &line.phone_number)?;
    field(&mut digest, &mut first, "user_id", &line.user_id)?;
    field(&mut digest, &mut first, "username", &line.username)?;
    if first {
        digest.update(b"{");
    }
    digest.update(b"}");
    Some(digest)
}
