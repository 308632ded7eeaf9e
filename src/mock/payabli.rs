//! Payabli's users, stateful: add, get, update, delete, MFA, and the two
//! listings. Users are written in the write casing (`UserData`) and stored
//! and answered in the read casing (`UserQueryRecord`), as Payabli does.

use super::dispatch::Req;
use super::reply;
use super::spec::Api;
use super::state::{Shared, read, write};
use crate::payabli::UserQueryRecord;
use crate::payabli::raw::types::{MfaData, ScopeRecord, UserData, UserQueryRecordAdditionalData};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

/// Answers the operations Payabli's users have; `None` for any other.
pub(crate) fn handle(shared: &Shared, api: &Api, op: &str, req: &Req) -> Option<Response> {
    let declined = || reply::error_with(Some(api), StatusCode::OK, "Declined");
    let invalid_body = || reply::error_with(Some(api), StatusCode::BAD_REQUEST, "invalid body");
    let user_id = req.int("userId").unwrap_or_default();
    Some(match op {
        "add_user" => {
            let Some(data) = user_data(req) else {
                return Some(invalid_body());
            };
            let mut store = write(&shared.payabli);
            let Some(id) = store.next_id() else {
                // Never a user overwritten: the mock has run out of ids.
                return Some(reply::error_with(
                    Some(api),
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "no user id left: a user holds the largest",
                ));
            };
            let mut record = UserQueryRecord {
                user_id: Some(id),
                created_at: Some(
                    shared
                        .now()
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                ),
                ..UserQueryRecord::default()
            };
            apply(&mut record, data);
            // Payabli documents `timeZone` as "default: 0": a user created
            // without one has 0.
            record.time_zone.get_or_insert(0);
            store.insert(record);
            // The docs type the new id as "string or null", as the vendor SDK does.
            reply::success(api, Value::String(id.to_string()))
        }
        "get_user" => match shared.payabli_user(user_id) {
            Some(record) => reply::json(
                StatusCode::OK,
                serde_json::to_value(record).unwrap_or_default(),
            ),
            // GET documents no 404; a 400 with the envelope is what it documents.
            None => reply::error_with(Some(api), StatusCode::BAD_REQUEST, "User not found"),
        },
        "update_user" => {
            let Some(data) = user_data(req) else {
                return Some(invalid_body());
            };
            let mut store = write(&shared.payabli);
            let Some(mut record) = store.users.get(&user_id).cloned() else {
                // The documented failure: HTTP 200 with `isSuccess: false`.
                return Some(declined());
            };
            apply(&mut record, data);
            store.insert(record);
            reply::success(api, Value::Null)
        }
        "delete_user" => match write(&shared.payabli).remove(user_id) {
            // The documented answer carries only `responseText`.
            Some(_) => reply::json(StatusCode::OK, json!({ "responseText": "Success" })),
            None => declined(),
        },
        "update_user_mfa" => {
            let Ok(mfa) = req.parse::<MfaData>() else {
                return Some(invalid_body());
            };
            let mut store = write(&shared.payabli);
            let Some(record) = store.users.get_mut(&user_id) else {
                return Some(declined());
            };
            if mfa.mfa.is_some() {
                record.usr_mfa = mfa.mfa;
            }
            if mfa.mfa_mode.is_some() {
                record.usr_mfa_mode = mfa.mfa_mode;
            }
            // The documented answer: no `responseData`.
            reply::json(
                StatusCode::OK,
                json!({ "responseText": "Success", "isSuccess": true }),
            )
        }
        "list_users_org" | "list_users_paypoint" => list(shared, req, op == "list_users_org"),
        _ => return None,
    })
}

/// The entry name the mock gives organization `org_id` (what
/// `list_users_paypoint` takes): `entry-<org_id>`.
pub(crate) fn entry_name(org_id: i64) -> String {
    format!("entry-{org_id}")
}

fn user_data(req: &Req) -> Option<UserData> {
    req.parse().ok()
}

/// Applies a write (`UserData`, write casing) to a stored record (read
/// casing). Only the fields sent change; an empty list or map clears.
fn apply(record: &mut UserQueryRecord, data: UserData) {
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
    } = data;
    if let Some(v) = access {
        record.access = Some(v);
    }
    if let Some(v) = additional_data {
        record.additional_data = Some(UserQueryRecordAdditionalData::Object(
            v.into_iter()
                .map(|(k, v)| (k, serde_json::Value::String(v.to_string())))
                .collect(),
        ));
    }
    if let Some(v) = email {
        record.email = Some(v.to_string());
    }
    if let Some(v) = language {
        record.language = Some(v.to_string());
    }
    if let Some(mfa) = mfa_data {
        if mfa.mfa.is_some() {
            record.usr_mfa = mfa.mfa;
        }
        if mfa.mfa_mode.is_some() {
            record.usr_mfa_mode = mfa.mfa_mode;
        }
    }
    if let Some(v) = name {
        record.name = Some(v);
    }
    if let Some(v) = phone {
        record.phone = Some(v.to_string());
    }
    if let Some(v) = scope {
        let old = record.scope.take().unwrap_or_default();
        record.scope = Some(
            v.into_iter()
                .map(|s| ScopeRecord {
                    org_entry: old
                        .iter()
                        .find(|o| o.org_id.is_some() && o.org_id == s.org_id)
                        .and_then(|o| o.org_entry.clone())
                        .or_else(|| s.org_id.map(entry_name)),
                    org_id: s.org_id,
                    org_type: s.org_type,
                })
                .collect(),
        );
    }
    if let Some(v) = time_zone {
        record.time_zone = Some(v);
    }
    if let Some(v) = usr_status {
        record.usr_status = Some(*v);
    }
}

/// One page of a listing: `fromRecord` offset, `limitRecord` size (default
/// 20; 0 or negative for all), the documented filters.
fn list(shared: &Shared, req: &Req, by_org: bool) -> Response {
    let store = read(&shared.payabli);
    let empty = Vec::new();
    let ids = if by_org {
        req.int("orgId").and_then(|org| store.orgs.get(&org))
    } else {
        req.str("entry").and_then(|e| store.entries.get(e))
    }
    .unwrap_or(&empty);
    let name = req.str("name(ct)").map(str::to_lowercase);
    let email_eq = req.str("email(eq)").map(str::to_lowercase);
    let email_ct = req.str("email(ct)").map(str::to_lowercase);
    let status_eq = req.int("status(eq)");
    let status_in: Option<Vec<i64>> = req
        .str("status(in)")
        .map(|s| s.split('|').filter_map(|c| c.parse().ok()).collect());
    let filtered = name.is_some()
        || email_eq.is_some()
        || email_ct.is_some()
        || status_eq.is_some()
        || status_in.is_some();
    let keep = |r: &UserQueryRecord| {
        let lower = |v: &Option<String>| v.as_deref().unwrap_or_default().to_lowercase();
        let status = r.usr_status.map(i64::from);
        name.as_ref().is_none_or(|n| lower(&r.name).contains(n))
            && email_eq.as_ref().is_none_or(|e| lower(&r.email) == *e)
            && email_ct
                .as_ref()
                .is_none_or(|e| lower(&r.email).contains(e))
            && status_eq.is_none_or(|s| status == Some(s))
            && status_in
                .as_ref()
                .is_none_or(|set| status.is_some_and(|s| set.contains(&s)))
    };
    let from = usize::try_from(req.int("fromRecord").unwrap_or(0).max(0)).unwrap_or(usize::MAX);
    let limit = req.int("limitRecord").unwrap_or(20);
    let records = ids.iter().filter_map(|id| store.users.get(id));
    let sort = req.str("sortBy").and_then(sort_by);
    // Without filters or a sort the index is the answer: a page is a slice.
    let (total, page): (usize, Vec<&UserQueryRecord>) = if filtered || sort.is_some() {
        let mut all: Vec<_> = records.filter(|r| keep(r)).collect();
        if let Some((field, descending)) = sort {
            // Stable: equal keys keep the stored order.
            all.sort_by(|a, b| {
                let order = field.compare(a, b);
                if descending { order.reverse() } else { order }
            });
        }
        let total = all.len();
        let page = all.into_iter().skip(from);
        (total, take(page, limit))
    } else {
        let slice = ids.get(from.min(ids.len())..).unwrap_or_default();
        let page = slice.iter().filter_map(|id| store.users.get(id));
        (ids.len(), take(page, limit))
    };
    let page_size = if limit > 0 { limit } else { total as i64 };
    let total_pages = match u64::try_from(page_size) {
        Ok(size) if size > 0 => (total as u64).div_ceil(size),
        _ => 0,
    };
    reply::json(
        StatusCode::OK,
        json!({
            "Records": page,
            "Summary": {
                "pageSize": page_size,
                "totalPages": total_pages,
                "totalRecords": total,
                "pageidentifier": null,
            },
        }),
    )
}

/// A field a listing sorts by (`sortBy`).
#[derive(Clone, Copy)]
enum SortField {
    Name,
    Email,
    CreatedDate,
    LastAccess,
    UserId,
    Status,
}

impl SortField {
    /// Text without regard to case, as a database's default collation
    /// orders it; absent values first.
    fn compare(self, a: &UserQueryRecord, b: &UserQueryRecord) -> std::cmp::Ordering {
        let text = |v: &Option<String>| v.as_deref().map(str::to_lowercase);
        match self {
            SortField::Name => text(&a.name).cmp(&text(&b.name)),
            SortField::Email => text(&a.email).cmp(&text(&b.email)),
            SortField::CreatedDate => a.created_at.cmp(&b.created_at),
            SortField::LastAccess => a.last_access.cmp(&b.last_access),
            SortField::UserId => a.user_id.cmp(&b.user_id),
            SortField::Status => a.usr_status.cmp(&b.usr_status),
        }
    }
}

/// `asc(field)` or `desc(field)` (the documented form; `true`: descending).
/// The field names are the listing's filter names and its records' fields,
/// in any case (inferred: the docs show only `desc(createdDate)`); any
/// other value leaves the stored order, as an ignored parameter would.
fn sort_by(value: &str) -> Option<(SortField, bool)> {
    let value = value.trim();
    let (descending, rest) = match value.split_once('(') {
        Some((way, rest)) if way.eq_ignore_ascii_case("desc") => (true, rest),
        Some((way, rest)) if way.eq_ignore_ascii_case("asc") => (false, rest),
        _ => return None,
    };
    let field = match rest.strip_suffix(')')?.trim().to_ascii_lowercase().as_str() {
        "name" => SortField::Name,
        "email" => SortField::Email,
        "createddate" | "createdat" => SortField::CreatedDate,
        "lastaccess" => SortField::LastAccess,
        "userid" => SortField::UserId,
        "status" | "usrstatus" => SortField::Status,
        _ => return None,
    };
    Some((field, descending))
}

fn take<'a>(
    page: impl Iterator<Item = &'a UserQueryRecord>,
    limit: i64,
) -> Vec<&'a UserQueryRecord> {
    match usize::try_from(limit) {
        Ok(n) if n > 0 => page.take(n).collect(),
        _ => page.collect(),
    }
}
