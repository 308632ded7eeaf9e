//! hPay's users, stateful: create, list, get, update, delete. Each answer
//! has the fields hPay's page for that operation shows (get and list show
//! `created_at`, update `updated_at`, create both).

use super::dispatch::Req;
use super::reply;
use super::spec::Api;
use super::state::{Shared, read, write};
use crate::hpay::User;
use crate::hpay::raw::types::{CreateUserRequest, UpdateUserRequest};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

/// Which timestamps an answer carries.
#[derive(Clone, Copy)]
enum Stamps {
    Created,
    Updated,
    Both,
}

/// The user as an answer shows it (hPay's reads carry `created_at`, its
/// updates `updated_at`); serialized straight to the body, no `Value`.
fn user_json(user: &User, stamps: Stamps) -> User {
    let mut user = user.clone();
    match stamps {
        Stamps::Created => user.updated_at = None,
        Stamps::Updated => user.created_at = None,
        Stamps::Both => {}
    }
    user
}

/// Answers the operations hPay's users have; `None` for any other.
/// The 400's message for a value another user holds (Django REST
/// Framework's unique-field wording, inferred).
fn already(field: &str) -> String {
    format!("A user with this {field} already exists.")
}

pub(crate) fn handle(shared: &Shared, api: &Api, op: &str, req: &Req) -> Option<Response> {
    let error = |status: StatusCode, text: &str| reply::error_with(Some(api), status, text);
    let not_found = || error(StatusCode::NOT_FOUND, "Not found.");
    let user_id = req.str("user_id").unwrap_or_default();
    Some(match op {
        "create_user" => {
            let Ok(new) = req.parse::<CreateUserRequest>() else {
                return Some(error(StatusCode::BAD_REQUEST, "invalid body"));
            };
            let now = shared.now();
            let mut store = write(&shared.hpay);
            if store.app_ids.contains_key(&new.app_user_id) {
                return Some(error(
                    StatusCode::BAD_REQUEST,
                    "A user with this app_user_id already exists.",
                ));
            }
            let user = User {
                id: shared.uuid(),
                app_user_id: new.app_user_id,
                name: new.name.to_string(),
                phone_number: new.phone_number.to_string(),
                email: new.email,
                username: new.username,
                is_active: new.is_active.unwrap_or(true),
                created_at: Some(now),
                updated_at: Some(now),
            };
            if let Some(field) = store.taken(&user) {
                return Some(error(StatusCode::BAD_REQUEST, &already(field)));
            }
            store.insert(user.clone());
            reply::json(StatusCode::CREATED, user_json(&user, Stamps::Both))
        }
        "list_users" => {
            const DEFAULT_PER_PAGE: i64 = 20;
            let store = read(&shared.hpay);
            let active = req.bool("is_active");
            let matching = store
                .iter()
                .filter(|u| active.is_none_or(|a| u.is_active == a));
            // hPay's API introduction: list endpoints page with `page`
            // (default 1) and `per_page` (default 20, at most 100).
            let per_page = req.int("per_page").unwrap_or(DEFAULT_PER_PAGE);
            let page = req.int("page").unwrap_or(1).max(1);
            let skip = usize::try_from((page - 1).saturating_mul(per_page)).unwrap_or(usize::MAX);
            let users: Vec<User> = matching
                .skip(skip)
                .take(usize::try_from(per_page).unwrap_or(0))
                .map(|u| user_json(u, Stamps::Created))
                .collect();
            reply::json(StatusCode::OK, users)
        }
        "get_user" => match shared.hpay_user(user_id) {
            Some(user) => reply::json(StatusCode::OK, user_json(&user, Stamps::Created)),
            None => not_found(),
        },
        "update_user" => {
            let Ok(update) = req.parse::<UpdateUserRequest>() else {
                return Some(error(StatusCode::BAD_REQUEST, "invalid body"));
            };
            let now = shared.now();
            let mut store = write(&shared.hpay);
            let phone_number = update.phone_number.to_string();
            let app_user_id = update.app_user_id;
            // Unique within the application, so an update cannot take
            // another user's email or phone either (inferred from the users
            // guide's rule; it is stated where creating users is).
            if let Some(field) =
                store.taken_by_another(user_id, app_user_id, update.email.as_deref(), &phone_number)
            {
                return Some(error(StatusCode::BAD_REQUEST, &already(field)));
            }
            let updated = store.update(
                user_id,
                |user| user.app_user_id == app_user_id,
                update.email,
                phone_number,
                |user| {
                    user.name = update.name.to_string();
                    if let Some(username) = update.username {
                        user.username = Some(username);
                    }
                    if let Some(active) = update.is_active {
                        user.is_active = active;
                    }
                    user.updated_at = Some(now);
                },
            );
            match updated {
                Ok(user) => reply::json(StatusCode::OK, user_json(user, Stamps::Updated)),
                Err(Some(_)) => error(StatusCode::BAD_REQUEST, "app_user_id cannot be changed"),
                Err(None) => not_found(),
            }
        }
        "delete_user" => match write(&shared.hpay).remove(user_id) {
            Some(_) => reply::json(
                StatusCode::OK,
                json!({ "message": "User deleted successfully" }),
            ),
            None => not_found(),
        },
        _ => return None,
    })
}
