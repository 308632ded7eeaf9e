//! Payabli routes: `GET` and `PUT /payabli/api/User/{userId}`.

use super::reply::{self, payabli_failure};
use super::state::Shared;
use super::validate;
use crate::payabli::UserRecord;
use crate::payabli::raw::types::UserData;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use serde_json::json;
use std::sync::Arc;

/// Where the Payabli API lives on the mock (its base URL's path).
pub(crate) const PREFIX: &str = "/payabli/api";

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new().route(
        "/payabli/api/User/{user_id}",
        get(get_user).put(update_user),
    )
}

fn authorized(shared: &Shared, headers: &HeaderMap) -> bool {
    // Header names are case-insensitive: this matches `requestToken` too.
    headers
        .get("requesttoken")
        .is_some_and(|v| v.as_bytes() == shared.credentials.payabli_token.as_bytes())
}

fn unauthorized() -> Response {
    payabli_failure(StatusCode::UNAUTHORIZED, "Unauthorized")
}

fn bad_request(text: impl Into<String>) -> Response {
    payabli_failure(StatusCode::BAD_REQUEST, text)
}

/// The `userId` path segment as an integer.
fn user_id(path: Result<Path<String>, PathRejection>) -> Option<i64> {
    path.ok()
        .and_then(|Path(raw)| raw.trim().parse::<i64>().ok())
}

fn bad_user_id() -> Response {
    bad_request("Invalid userId: must be an integer")
}

async fn get_user(
    State(shared): State<Arc<Shared>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Response {
    if !authorized(&shared, &headers) {
        return unauthorized();
    }
    let Some(id) = user_id(path) else {
        return bad_user_id();
    };
    match shared.payabli_user(id) {
        Some(record) => reply::json(
            StatusCode::OK,
            serde_json::to_value(record).unwrap_or_default(),
        ),
        // GET documents no 404; 400 with the envelope is what it documents.
        None => bad_request("User not found"),
    }
}

async fn update_user(
    State(shared): State<Arc<Shared>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !authorized(&shared, &headers) {
        return unauthorized();
    }
    let Some(id) = user_id(path) else {
        return bad_user_id();
    };
    let value = match validate::check(&shared.schemas.payabli_update, &body) {
        Ok(value) => value,
        Err(text) => return bad_request(text),
    };
    let update: UserData = match serde_json::from_value(value) {
        Ok(update) => update,
        Err(e) => return bad_request(format!("invalid body: {e}")),
    };
    match shared.with_payabli_user(id, |record| apply(record, update)) {
        Some(()) => reply::json(
            StatusCode::OK,
            json!({ "responseText": "Success", "isSuccess": true, "responseData": id }),
        ),
        // The documented failure: HTTP 200 with `isSuccess: false`.
        None => payabli_failure(StatusCode::OK, "Declined"),
    }
}

/// A partial update: fields present and non-null replace the stored ones;
/// `pwd` is accepted and dropped (the mock never keeps passwords).
fn apply(record: &mut UserRecord, update: UserData) {
    let UserData {
        access,
        additional_data,
        email,
        language,
        mfa_data,
        name,
        phone,
        pwd: _,
        scope,
        time_zone,
        usr_status,
    } = update;
    if let Some(v) = access {
        record.access = Some(v);
    }
    if let Some(v) = additional_data {
        record.additional_data = Some(v.into_iter().map(|(k, v)| (k, v.to_string())).collect());
    }
    if let Some(v) = email {
        record.email = Some(v.to_string());
    }
    if let Some(v) = language {
        record.language = Some(v);
    }
    if let Some(v) = mfa_data {
        record.mfa_data = Some(v);
    }
    if let Some(v) = name {
        record.name = Some(v);
    }
    if let Some(v) = phone {
        record.phone = Some(v.to_string());
    }
    if let Some(v) = scope {
        record.scope = Some(v);
    }
    if let Some(v) = time_zone {
        record.time_zone = Some(v);
    }
    if let Some(v) = usr_status {
        record.usr_status = Some(v);
    }
}
