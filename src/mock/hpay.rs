//! hPay routes: `GET` and `PUT /hpay/api/v1/users/{user_id}/`.

use super::reply::{self, hpay_error};
use super::state::Shared;
use super::validate;
use crate::hpay::raw::types::UpdateUserRequest;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use std::sync::Arc;

/// Where the hPay API lives on the mock (its base URL's path).
pub(crate) const PREFIX: &str = "/hpay";

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new().route(
        "/hpay/api/v1/users/{user_id}/",
        get(get_user).put(update_user),
    )
}

/// Both hPay keys must match.
fn authorized(shared: &Shared, headers: &HeaderMap) -> bool {
    let is = |name: &str, expected: &str| {
        headers
            .get(name)
            .is_some_and(|v| v.as_bytes() == expected.as_bytes())
    };
    is("api-key", &shared.credentials.hpay_api_key)
        && is("secret-key", &shared.credentials.hpay_secret_key)
}

fn unauthorized() -> Response {
    hpay_error(StatusCode::UNAUTHORIZED, "Invalid API credentials")
}

fn not_found() -> Response {
    hpay_error(StatusCode::NOT_FOUND, "User not found")
}

fn bad_request(message: impl Into<String>) -> Response {
    hpay_error(StatusCode::BAD_REQUEST, message)
}

fn bad_path(rejection: &PathRejection) -> Response {
    bad_request(format!(
        "invalid user_id in path: {}",
        rejection.body_text()
    ))
}

async fn get_user(
    State(shared): State<Arc<Shared>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Response {
    if !authorized(&shared, &headers) {
        return unauthorized();
    }
    let user_id = match path {
        Ok(Path(id)) => id,
        Err(rejection) => return bad_path(&rejection),
    };
    match shared.hpay_user(&user_id) {
        Some(user) => reply::json(
            StatusCode::OK,
            serde_json::to_value(user).unwrap_or_default(),
        ),
        None => not_found(),
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
    let user_id = match path {
        Ok(Path(id)) => id,
        Err(rejection) => return bad_path(&rejection),
    };
    // Like the real API: an unknown user is 404 whatever the body says.
    if shared.hpay_user(&user_id).is_none() {
        return not_found();
    }
    let value = match validate::check(&shared.schemas.hpay_update, &body) {
        Ok(value) => value,
        Err(message) => return bad_request(message),
    };
    let update: UpdateUserRequest = match serde_json::from_value(value) {
        Ok(update) => update,
        Err(e) => return bad_request(format!("invalid body: {e}")),
    };
    let now = super::now();
    let outcome = shared.with_hpay_user(&user_id, |user| {
        if user.app_user_id != update.app_user_id {
            return Err("app_user_id cannot be changed");
        }
        user.name = update.name.to_string();
        user.phone_number = update.phone_number.to_string();
        if let Some(email) = update.email {
            user.email = Some(email);
        }
        if let Some(username) = update.username {
            user.username = Some(username);
        }
        if let Some(active) = update.is_active {
            user.is_active = active;
        }
        user.updated_at = now;
        Ok(user.clone())
    });
    match outcome {
        None => not_found(),
        Some(Err(message)) => bad_request(message),
        Some(Ok(user)) => reply::json(
            StatusCode::OK,
            serde_json::to_value(user).unwrap_or_default(),
        ),
    }
}
