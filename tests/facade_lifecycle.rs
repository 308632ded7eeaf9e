//! The whole user lifecycle through the library, against the mock: create,
//! read, list (paging on its own), update (hPay partially), delete — and
//! the wire formats the providers really use.

mod support;

use axum::Router;
use axum::routing::get;
use futures_util::TryStreamExt;
use payusers::Error;
use payusers::mock::{Fixtures, MockServer, PayabliFixture};
use payusers::payabli::{Language, UserStatus};
use std::sync::{Arc, Mutex};

#[tokio::test]
async fn hpay_create_read_list_modify_delete() {
    let mock = MockServer::start().await.unwrap();
    let hpay = mock.hpay();
    let created = hpay
        .create_user()
        .app_user_id(1001)
        .name("John Doe")
        .phone_number("+23279100100")
        .email("john.doe@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(created.id.len(), 36, "a UUID: {}", created.id);

    // hPay keeps emails and phone numbers unique: a new user with either
    // of another's is a 400 naming the field, and nothing is stored.
    let before = mock.hpay_users().len();
    for (phone, email, field) in [
        ("+23279123456", "new@example.com", "phone_number"),
        ("+23279100999", "john.doe@example.com", "email"),
    ] {
        let err = hpay
            .create_user()
            .app_user_id(1002)
            .name("Twin")
            .phone_number(phone)
            .email(email)
            .send()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::BadRequest { .. }), "{err:?}");
        assert_eq!(
            err.provider_message(),
            Some(format!("A user with this {field} already exists.").as_str())
        );
    }
    assert_eq!(mock.hpay_users().len(), before);
    assert!(created.is_active, "hPay creates users active");
    assert!(created.created_at.is_some() && created.updated_at.is_some());

    let read = hpay.get_user(created.id.clone()).send().await.unwrap();
    assert_eq!((read.app_user_id, read.name.as_str()), (1001, "John Doe"));

    // An app_user_id already in use is a 400 with hPay's message.
    let err = hpay
        .create_user()
        .app_user_id(1001)
        .name("Twin")
        .phone_number("+23279123456")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::BadRequest { .. }), "{err:?}");
    assert!(
        err.provider_message().unwrap().contains("already exists"),
        "{err}"
    );

    // An email-only change keeps the stored name and phone.
    let (modified, wrote) = hpay
        .modify_user(created.id.clone())
        .email("john.new@example.com")
        .send_reporting()
        .await
        .unwrap();
    assert!(wrote);
    assert_eq!(modified.name, "John Doe");
    assert_eq!(modified.phone_number, "+23279100100");
    assert_eq!(modified.email.as_deref(), Some("john.new@example.com"));
    let puts_before = mock.requests().iter().filter(|r| r.method == "PUT").count();
    let (_, wrote) = hpay
        .modify_user(created.id.clone())
        .email("john.new@example.com")
        .send_reporting()
        .await
        .unwrap();
    assert!(!wrote, "nothing changes, nothing is sent");
    assert_eq!(
        mock.requests().iter().filter(|r| r.method == "PUT").count(),
        puts_before
    );

    hpay.modify_user(created.id.clone())
        .active(false)
        .send()
        .await
        .unwrap();
    let inactive = hpay.list_users().active(false).collect().await.unwrap();
    assert_eq!(
        inactive.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(),
        [created.id.as_str()]
    );
    let all = hpay.list_users().collect().await.unwrap();
    assert_eq!(all.len(), 3);
    let paged: Vec<_> = hpay
        .list_users()
        .page_size(1)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(paged, all, "paging gives the same users");
    assert_eq!(
        hpay.list_users()
            .page_size(2)
            .limit(1)
            .collect()
            .await
            .unwrap()
            .len(),
        1
    );

    let deleted = hpay.delete_user(created.id.clone()).send().await.unwrap();
    assert_eq!(deleted.message, "User deleted successfully");
    let err = hpay.get_user(created.id.clone()).send().await.unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    let err = hpay.delete_user(created.id).send().await.unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
}

#[tokio::test]
async fn payabli_create_read_list_update_mfa_delete() {
    let mock = MockServer::start().await.unwrap();
    let payabli = mock.payabli();
    let id = payabli
        .create_user()
        .name("Ada Lovelace")
        .email("ada@example.com")
        .phone("5550001111")
        .status(UserStatus::Active)
        .language(Language::Es)
        .time_zone(-5)
        .scope(0, 123)
        .scope(None, 456)
        .access("customers", true)
        .additional_data("team", "blue")
        .password("s3cret-pass")
        .send()
        .await
        .unwrap()
        .expect("the mock answers the new id");
    let user = payabli.get_user(id).send().await.unwrap();
    assert_eq!(user.user_id, Some(id));
    assert_eq!(user.name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(user.email.as_deref(), Some("ada@example.com"));
    assert_eq!(user.phone.as_deref(), Some("5550001111"));
    assert_eq!(user.status, Some(UserStatus::Active));
    assert_eq!(user.language, Some(Language::Es));
    assert_eq!(user.time_zone, Some(-5));
    assert_eq!(user.additional_data.as_ref().unwrap()["team"], "blue");
    assert!(user.created_at.is_some());
    let orgs: Vec<_> = user
        .scope
        .iter()
        .flatten()
        .filter_map(|s| s.org_id)
        .collect();
    assert_eq!(orgs, [123, 456]);

    // A read turned into a write: change one field of what was read.
    let mut body = user.to_user_data();
    body.email = Some("ada.new@example.com".try_into().unwrap());
    payabli.update_user(id).data(body).send().await.unwrap();
    let again = payabli.get_user(id).send().await.unwrap();
    assert_eq!(again.email.as_deref(), Some("ada.new@example.com"));
    assert_eq!(again.name, user.name);

    // Revoke every role: an empty list is a value.
    payabli.update_user(id).set_access([]).send().await.unwrap();
    assert_eq!(
        payabli.get_user(id).send().await.unwrap().access,
        Some(vec![])
    );

    payabli.update_mfa(id, true, 1).send().await.unwrap();
    let with_mfa = payabli.get_user(id).send().await.unwrap();
    assert_eq!((with_mfa.mfa, with_mfa.mfa_mode), (Some(true), Some(1)));

    let in_456 = payabli.list_users(456).collect().await.unwrap();
    assert_eq!(
        in_456.iter().map(|u| u.user_id).collect::<Vec<_>>(),
        [Some(id)]
    );

    let answer = payabli.delete_user(id).send().await.unwrap();
    assert_eq!(answer.response_text.as_deref(), Some("Success"));
    assert!(payabli.list_users(456).collect().await.unwrap().is_empty());
    let err = payabli.get_user(id).send().await.unwrap_err();
    assert!(
        matches!(err, Error::BadRequest { .. }),
        "Payabli documents no 404: {err:?}"
    );
    let err = payabli.delete_user(id).send().await.unwrap_err();
    assert!(matches!(err, Error::Declined { .. }), "{err:?}");
}

#[tokio::test]
async fn a_payabli_record_in_every_documented_shape_is_read_whole() {
    // The "Get user" page's `createdAt` (a space, no `T`) and
    // `AdditionalData` values other than strings, as Payabli's own schema
    // allows: read, not refused; the list page with the same record too.
    let record = serde_json::json!({
        "userId": 1000000,
        "Name": "Sean Smith",
        "createdAt": "2022-07-01 15:00:01",
        "lastAccess": "2022-07-01T15:00:01",
        "AdditionalData": {"s": "x", "n": 5, "o": {"a": 1}, "gone": null},
    });
    let page = serde_json::json!({"Records": [record.clone()], "Summary": {"totalRecords": 1}});
    let router = Router::new()
        .route(
            "/User/{id}",
            get(move || {
                let record = record.clone();
                async move { axum::Json(record) }
            }),
        )
        .route(
            "/Query/users/org/{org}",
            get(move || {
                let page = page.clone();
                async move { axum::Json(page) }
            }),
        );
    let payabli = support::payabli(support::serve(router).await);
    let user = payabli.get_user(1000000).send().await.unwrap();
    let when = "2022-07-01T15:00:01Z"
        .parse::<chrono::DateTime<chrono::Utc>>()
        .unwrap();
    assert_eq!(
        (user.created_at, user.last_access),
        (Some(when), Some(when))
    );
    let extra = user.additional_data.clone().unwrap();
    assert_eq!(
        extra.into_iter().collect::<Vec<_>>(),
        [
            ("n".to_string(), "5".to_string()),
            ("o".to_string(), r#"{"a":1}"#.to_string()),
            ("s".to_string(), "x".to_string()),
        ],
        "a string as it is, other values as JSON, null left out"
    );
    let listed = payabli.list_users(123).collect().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].additional_data, user.additional_data);
}

#[tokio::test]
async fn a_payabli_create_answering_no_id_is_a_success_without_one() {
    // The "Create user" page's own example answer: a success whose
    // `responseData` is null. The user was created; its id is not known.
    let mock = MockServer::start().await.unwrap();
    let documented = r#"{"responseText": "Success", "isSuccess": true, "responseData": null}"#;
    for answer in [
        documented,
        r#"{"responseText": "Success", "isSuccess": true}"#,
    ] {
        mock.clear_requests();
        mock.fail_next_with(payusers::mock::Fault::new(1, 200).body(answer));
        let created = mock
            .payabli()
            .create_user()
            .name("Grace Hopper")
            .email("grace@example.com")
            .send_with_response()
            .await
            .unwrap();
        assert_eq!(*created.value(), None, "{answer}");
        assert_eq!(created.attempts(), 1);
        assert_eq!(mock.requests().len(), 1, "sent once, never again");
    }
    // A value that is no id is an error that says the user was created.
    mock.fail_next_with(
        payusers::mock::Fault::new(1, 200)
            .body(r#"{"responseText": "Success", "isSuccess": true, "responseData": "n/a"}"#),
    );
    let err = mock
        .payabli()
        .create_user()
        .name("G")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UnexpectedResponse { .. }), "{err:?}");
    assert!(err.to_string().contains("the user was created"), "{err}");
    assert!(err.to_string().contains("do not retry"), "{err}");
}

#[tokio::test]
async fn a_payabli_list_of_250_pages_through_13_pages_of_20() {
    let mut fixtures = Fixtures::empty();
    for i in 0..250 {
        fixtures.payabli.push(PayabliFixture {
            user_id: 2_000_000 + i,
            name: Some(format!("User {i}")),
            scope: Some(vec![payusers::payabli::Scope {
                org_type: Some(0),
                org_id: Some(42),
            }]),
            ..PayabliFixture::default()
        });
    }
    let mock = MockServer::builder()
        .fixtures(fixtures)
        .start()
        .await
        .unwrap();
    let users = mock
        .payabli()
        .list_users(42)
        .page_size(20)
        .collect()
        .await
        .unwrap();
    assert_eq!(users.len(), 250);
    let ids: Vec<i64> = users.iter().map(|u| u.user_id.unwrap()).collect();
    assert_eq!(
        ids,
        (2_000_000..2_000_250).collect::<Vec<_>>(),
        "each user once, in order"
    );
    let pages = mock
        .requests()
        .iter()
        .filter(|r| r.path.contains("/Query/users/org/42"))
        .count();
    assert_eq!(pages, 13);
    // A limit stops early, without fetching pages it does not need.
    mock.clear_requests();
    let first = mock
        .payabli()
        .list_users(42)
        .page_size(20)
        .limit(30)
        .collect()
        .await
        .unwrap();
    assert_eq!(first.len(), 30);
    assert_eq!(mock.requests().len(), 2);
    // limitRecord 0 asks for everything in one answer.
    mock.clear_requests();
    assert_eq!(
        mock.payabli()
            .list_users(42)
            .page_size(0)
            .collect()
            .await
            .unwrap()
            .len(),
        250
    );
    assert_eq!(mock.requests().len(), 1);
    // Filters are sent as Payabli's bare `field(op)=value` pairs.
    let named = mock
        .payabli()
        .list_users(42)
        .name_contains("user 24")
        .collect()
        .await
        .unwrap();
    assert_eq!(named.len(), 11, "User 24 and User 240-249");
    assert!(
        mock.requests()
            .last()
            .unwrap()
            .path
            .contains("name%28ct%29=user+24"),
        "{}",
        mock.requests().last().unwrap().path
    );
}

/// Against the real API, `get_user` gets Payabli's read casing; every field
/// must come through (nothing silently `None`).
#[tokio::test]
async fn a_payabli_read_in_the_providers_casing_returns_every_field() {
    let record = serde_json::json!({
        "userId": 1000000, "Name": "Sean Smith", "Email": "example@email.com",
        "Phone": "5555555555", "UsrStatus": 85, "UsrMFA": true, "UsrMFAMode": 2,
        "Access": [{"roleLabel": "customers", "roleValue": true}],
        "Scope": [{"orgEntry": "pilgrim-planner", "orgId": 123, "orgType": 0}],
        "AdditionalData": "{\"key1\":\"value1\"}",
        "timeZone": -5, "language": "es",
        "createdAt": "2022-07-01T15:00:01", "lastAccess": "2022-07-02T10:00:00Z",
        "snProvider": "google", "snIdentifier": "sn-id", "snData": "sn-data"
    });
    let body = record.clone();
    let addr = support::serve(Router::new().route(
        "/User/{id}",
        get(move || {
            let body = body.clone();
            async move { axum::Json(body) }
        }),
    ))
    .await;
    let user = support::payabli(addr)
        .get_user(1000000)
        .send()
        .await
        .unwrap();
    assert_eq!(user.user_id, Some(1000000));
    assert_eq!(user.name.as_deref(), Some("Sean Smith"));
    assert_eq!(user.email.as_deref(), Some("example@email.com"));
    assert_eq!(user.phone.as_deref(), Some("5555555555"));
    assert_eq!(user.status, Some(UserStatus::Locked));
    assert_eq!((user.mfa, user.mfa_mode), (Some(true), Some(2)));
    assert_eq!(
        user.access.as_ref().unwrap()[0].role_label.as_deref(),
        Some("customers")
    );
    assert_eq!(
        user.scope.as_ref().unwrap()[0].org_entry.as_deref(),
        Some("pilgrim-planner")
    );
    assert_eq!(
        user.additional_data.as_ref().unwrap()["key1"],
        "value1",
        "the docs' string form"
    );
    assert_eq!(
        (user.time_zone, user.language),
        (Some(-5), Some(Language::Es))
    );
    assert_eq!(
        user.created_at.unwrap().to_rfc3339(),
        "2022-07-01T15:00:01+00:00",
        "no offset: UTC"
    );
    assert!(user.last_access.is_some());
    assert_eq!(user.sn_provider.as_deref(), Some("google"));
    assert_eq!(user.record.sn_data.as_deref(), Some("sn-data"));
    assert_eq!(
        serde_json::to_value(&user.record).unwrap(),
        record,
        "nothing dropped"
    );
}

#[tokio::test]
async fn hpay_403_and_detail_bodies_are_typed_errors_with_the_message() {
    let addr = support::serve(Router::new().route(
        "/api/v1/users/{id}/",
        get(|| async {
            (
                axum::http::StatusCode::FORBIDDEN,
                axum::Json(serde_json::json!({"detail": "You do not have permission to perform this action."})),
            )
        })
        .put(|| async {
            (
                axum::http::StatusCode::BAD_REQUEST,
                axum::Json(serde_json::json!({"phone_number": ["Enter a valid phone number."]})),
            )
        }),
    ))
    .await;
    let hpay = support::hpay(addr);
    let err = hpay.get_user("user_abc123").send().await.unwrap_err();
    assert!(matches!(err, Error::Forbidden { .. }), "{err:?}");
    assert_eq!(
        err.provider_message(),
        Some("You do not have permission to perform this action.")
    );
    assert!(!err.is_retryable());
    let err = support::valid_update(&hpay).send().await.unwrap_err();
    assert!(matches!(err, Error::BadRequest { .. }), "{err:?}");
    assert_eq!(
        err.provider_message(),
        Some("phone_number: Enter a valid phone number.")
    );
}

/// `send` checks every field before anything is sent (it moves the body
/// out of the builder instead of cloning it, after the same checks
/// `to_request` makes): a bad email, on every write, never reaches the wire.
#[tokio::test]
async fn every_write_checks_its_fields_before_sending() {
    let mock = MockServer::start().await.unwrap();
    let (hpay, payabli) = (mock.hpay(), mock.payabli());
    // An hPay write with every required field and a bad email.
    macro_rules! bad_email {
        ($write:expr) => {
            $write
                .app_user_id(7)
                .name("J")
                .phone_number("+23279123456")
                .email("john@")
        };
    }
    let results = [
        bad_email!(hpay.create_user()).send().await.map(drop),
        bad_email!(hpay.update_user("user_abc123"))
            .send()
            .await
            .map(drop),
        payabli
            .create_user()
            .name("J")
            .email("not-an-email")
            .send()
            .await
            .map(drop),
        payabli
            .update_user(1000000)
            .email("not-an-email")
            .send()
            .await
            .map(drop),
    ];
    for (i, result) in results.into_iter().enumerate() {
        match result {
            Err(Error::Validation { field, .. }) => assert_eq!(field, "email", "write {i}"),
            other => panic!("write {i}: expected a validation error, got {other:?}"),
        }
    }
    assert!(mock.requests().is_empty(), "{:?}", mock.requests());
    // Valid fields, moved into the body, arrive as set.
    let user = hpay
        .update_user("user_abc123")
        .app_user_id(1)
        .name("J")
        .phone_number("+23279123456")
        .email("j@example.com")
        .username("jay")
        .send()
        .await
        .unwrap();
    assert_eq!(
        (user.email.as_deref(), user.username.as_deref()),
        (Some("j@example.com"), Some("jay"))
    );
}

/// An hPay user as a list holds it, with id `u{n}`.
fn listed_user(n: usize) -> serde_json::Value {
    let mut user = support::user_json();
    user["id"] = format!("u{n}").into();
    user["app_user_id"] = n.into();
    user
}

/// What `stream` yields before it fails (each item named by `name`), and
/// the error; a stream that ends instead fails the test.
async fn items_then_error<T>(
    stream: impl futures_util::Stream<Item = Result<T, Error>>,
    name: impl Fn(T) -> String,
) -> (Vec<String>, Error) {
    let mut stream = std::pin::pin!(stream);
    let mut names = Vec::new();
    loop {
        match stream.try_next().await {
            Ok(Some(item)) => names.push(name(item)),
            Ok(None) => panic!("the stream ended as if the list were complete: {names:?}"),
            Err(err) => return (names, err),
        }
    }
}

/// A server whose `GET /api/v1/users/` answers `page(page, per_page)`.
async fn hpay_lister(
    page: impl Fn(usize, usize) -> axum::response::Response + Clone + Send + Sync + 'static,
) -> payusers::HostPay {
    use axum::extract::Query;
    let router = Router::new().route(
        "/api/v1/users/",
        get(
            move |Query(q): Query<std::collections::HashMap<String, String>>| {
                let page = page.clone();
                async move {
                    let number = |k: &str| q.get(k).and_then(|v| v.parse().ok()).unwrap_or(0);
                    page(number("page"), number("per_page"))
                }
            },
        ),
    );
    support::hpay(support::serve(router).await)
}

#[tokio::test]
async fn a_server_that_ignores_paging_ends_the_list_with_an_error_not_a_loop() {
    use axum::response::IntoResponse;
    // The page parameter ignored: every page is the first three users.
    let hpay =
        hpay_lister(|_, _| axum::Json((0..3).map(listed_user).collect::<Vec<_>>()).into_response())
            .await;
    let (ids, err) = items_then_error(hpay.list_users().page_size(3).stream(), |u| u.id).await;
    assert_eq!(ids, ["u0", "u1", "u2"], "page 1 is yielded, once");
    let Error::UnexpectedResponse { reason, .. } = &err else {
        panic!("expected UnexpectedResponse, got {err:?}")
    };
    assert!(
        reason.contains("pages 2 and 3 brought nothing new"),
        "{reason}"
    );
    // The error points at the answer it was found in: a 200, sent once.
    let context = err.context().expect("a context");
    assert_eq!(
        (context.operation, context.status, context.attempts),
        ("list_users", Some(200), 1)
    );

    // Both parameters ignored: more users than asked for, every time.
    let hpay =
        hpay_lister(|_, _| axum::Json((0..5).map(listed_user).collect::<Vec<_>>()).into_response())
            .await;
    let err = hpay.list_users().page_size(2).collect().await.unwrap_err();
    assert!(err.to_string().contains("does not page as asked"), "{err}");

    // A server with a page size of its own, larger than asked, still pages.
    let hpay = hpay_lister(|page, _| {
        let users: Vec<_> = (0..7).map(listed_user).collect();
        let start = ((page.max(1) - 1) * 4).min(users.len());
        axum::Json(&users[start..(start + 4).min(users.len())]).into_response()
    })
    .await;
    assert_eq!(
        hpay.list_users()
            .page_size(2)
            .collect()
            .await
            .unwrap()
            .len(),
        7
    );

    // A server that does not page at all, with fewer users than a page
    // holds: one answer is the whole list.
    let hpay =
        hpay_lister(|_, _| axum::Json((0..5).map(listed_user).collect::<Vec<_>>()).into_response())
            .await;
    assert_eq!(hpay.list_users().collect().await.unwrap().len(), 5);
}

#[tokio::test]
async fn an_hpay_listing_pages_by_default_past_hpays_own_page_of_20() {
    use axum::response::IntoResponse;
    // hPay's API introduction: `page` (default 1), `per_page` (default 20,
    // at most 100). A listing that sent neither would get 20 of 250 users.
    let asked = Arc::new(Mutex::new(Vec::new()));
    let log = asked.clone();
    let hpay = hpay_lister(move |page, per_page| {
        log.lock().unwrap().push((page, per_page));
        let users: Vec<_> = (0..250).map(listed_user).collect();
        let (page, per_page) = (page.max(1), if per_page == 0 { 20 } else { per_page });
        let start = ((page - 1) * per_page).min(users.len());
        axum::Json(&users[start..(start + per_page).min(users.len())]).into_response()
    })
    .await;
    let users = hpay.list_users().collect().await.unwrap();
    assert_eq!(users.len(), 250);
    assert_eq!(*asked.lock().unwrap(), [(1, 100), (2, 100), (3, 100)]);

    // The mock pages as the introduction says: 20 users without `per_page`.
    let mock = MockServer::start().await.unwrap();
    for i in 0..45 {
        mock.seed_hpay(payusers::mock::HpayFixture::new(
            format!("many_{i}"),
            10_000 + i,
            format!("User {i}"),
            format!("+2327{i:07}"),
        ));
    }
    let all = mock.hpay().list_users().collect().await.unwrap();
    assert_eq!(all.len(), 45 + 2, "the seeded users and the mock's own two");
    let raw = mock
        .hpay()
        .ops()
        .list_users(None, None, None)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.len(), 20, "hPay's default page");
}

#[tokio::test]
async fn an_hpay_404_past_the_last_full_page_ends_the_list() {
    use axum::response::IntoResponse;
    // Django REST Framework's page numbers: four users, two a page; page 3
    // does not exist and answers 404 "Invalid page.".
    let hpay = hpay_lister(|page, per_page| {
        let users: Vec<_> = (0..4).map(listed_user).collect();
        let start = (page.max(1) - 1) * per_page;
        if start >= users.len() {
            return (
                axum::http::StatusCode::NOT_FOUND,
                axum::Json(serde_json::json!({"detail": "Invalid page."})),
            )
                .into_response();
        }
        axum::Json(&users[start..(start + per_page).min(users.len())]).into_response()
    })
    .await;
    let users = hpay.list_users().page_size(2).collect().await.unwrap();
    let ids: Vec<_> = users.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["u0", "u1", "u2", "u3"]);

    // A 404 on the first page is an error: there is no list at all.
    let hpay = hpay_lister(|_, _| {
        (
            axum::http::StatusCode::NOT_FOUND,
            axum::Json(serde_json::json!({"detail": "Not found."})),
        )
            .into_response()
    })
    .await;
    let err = hpay.list_users().page_size(2).collect().await.unwrap_err();
    assert_eq!(err.kind(), "not_found", "{err:?}");
}

/// A Payabli server answering every organization page with `records`
/// (`fromRecord` ignored, no `Summary`).
async fn payabli_repeating(records: serde_json::Value) -> payusers::Payabli {
    let router = Router::new().route(
        "/Query/users/org/{org}",
        get(move || {
            let records = records.clone();
            async move {
                (
                    [("x-request-id", "req-paging")],
                    axum::Json(serde_json::json!({ "Records": records })),
                )
            }
        }),
    );
    support::payabli(support::serve(router).await)
}

#[tokio::test]
async fn a_payabli_server_that_ignores_from_record_ends_the_list_with_an_error() {
    // `fromRecord` ignored and no `totalRecords`: every page is the same two.
    let payabli = payabli_repeating(serde_json::json!([
        {"userId": 1, "Name": "A"},
        {"userId": 2, "Name": "B"}
    ]))
    .await;
    let err = payabli
        .list_users(123)
        .page_size(2)
        .collect()
        .await
        .unwrap_err();
    let Error::UnexpectedResponse { reason, .. } = &err else {
        panic!("expected UnexpectedResponse, got {err:?}")
    };
    assert!(
        reason.contains("pages 2 and 3 brought nothing new"),
        "{reason}"
    );
    // The error points at the answer it was found in, request id and all.
    let context = err.context().expect("a context");
    assert_eq!(
        (context.operation, context.status, context.attempts),
        ("list_users_org", Some(200), 1)
    );
    assert_eq!(context.request_id.as_deref(), Some("req-paging"));
}

#[tokio::test]
async fn a_payabli_server_repeating_users_without_ids_ends_the_list_with_an_error() {
    // `fromRecord` ignored, no `totalRecords`, and no `userId`s to tell a
    // repeated page by: the list still ends.
    let payabli = payabli_repeating(serde_json::json!([{"Name": "A"}, {"Name": "B"}])).await;
    let (names, err) = items_then_error(payabli.list_users(123).page_size(2).stream(), |u| {
        u.name.unwrap_or_default()
    })
    .await;
    // Page 1 is yielded (nothing tells an id-less user from a new one);
    // page 2, the second page in a row with no new id, is the error.
    assert_eq!(names, ["A", "B"]);
    let Error::UnexpectedResponse { reason, .. } = &err else {
        panic!("expected UnexpectedResponse, got {err:?}")
    };
    assert!(
        reason.contains("pages 1 and 2 brought nothing new"),
        "{reason}"
    );
    assert!(reason.contains("without an id"), "{reason}");
}

#[tokio::test]
async fn a_server_cycling_through_pages_ends_the_list_with_an_error() {
    use axum::response::IntoResponse;
    // Odd pages are users 0–1, even ones 2–3, forever: no page repeats the
    // one before it.
    let hpay = hpay_lister(|page, _| {
        let first = if page % 2 == 1 { 0 } else { 2 };
        axum::Json((first..first + 2).map(listed_user).collect::<Vec<_>>()).into_response()
    })
    .await;
    let (ids, err) = items_then_error(hpay.list_users().page_size(2).stream(), |u| u.id).await;
    assert_eq!(ids, ["u0", "u1", "u2", "u3"], "each user once");
    assert!(
        err.to_string()
            .contains("pages 3 and 4 brought nothing new"),
        "{err}"
    );
}

/// Pages of users 0–1, then 1–2 (a user created ahead of the cursor
/// between pages 1 and 2 shifted `u1` onto page 2), then 3.
fn shifted_pages(page: usize, _per_page: usize) -> axum::response::Response {
    use axum::response::IntoResponse;
    let ids: &[usize] = match page {
        1 => &[0, 1],
        2 => &[1, 2],
        _ => &[3],
    };
    axum::Json(ids.iter().map(|&i| listed_user(i)).collect::<Vec<_>>()).into_response()
}

#[tokio::test]
async fn a_user_shifted_onto_the_next_page_is_listed_once() {
    let hpay = hpay_lister(shifted_pages).await;
    let users = hpay.list_users().page_size(2).collect().await.unwrap();
    let ids: Vec<_> = users.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["u0", "u1", "u2", "u3"]);

    // A limit counts users yielded, not users fetched.
    let users = hpay
        .list_users()
        .page_size(2)
        .limit(3)
        .collect()
        .await
        .unwrap();
    let ids: Vec<_> = users.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["u0", "u1", "u2"]);
}

#[tokio::test]
async fn a_partial_update_writes_to_the_user_asked_for_never_to_the_one_answered() {
    use axum::extract::Path;
    let writes: std::sync::Arc<std::sync::Mutex<Vec<String>>> = Default::default();
    let w = writes.clone();
    // Reads of `a` and `B-1` answer user `b-1`; every write is recorded.
    let router = Router::new().route(
        "/api/v1/users/{id}/",
        get(|| async {
            let mut user = support::user_json();
            user["id"] = "b-1".into();
            axum::Json(user)
        })
        .put(move |Path(id): Path<String>| {
            let w = w.clone();
            async move {
                w.lock().unwrap().push(id);
                let mut user = support::user_json();
                user["id"] = "b-1".into();
                user["email"] = "new@example.com".into();
                axum::Json(user)
            }
        }),
    );
    let hpay = support::hpay(support::serve(router).await);
    let err = hpay
        .modify_user("a")
        .email("new@example.com")
        .send()
        .await
        .unwrap_err();
    let Error::UnexpectedResponse { reason, .. } = &err else {
        panic!("expected UnexpectedResponse, got {err:?}")
    };
    assert!(
        reason.contains(r#"asked for user_id "a", the answer is about id "b-1""#),
        "{reason}"
    );
    assert!(writes.lock().unwrap().is_empty(), "nothing is written");
    // The same user in another case is the same user, written as asked.
    let user = hpay
        .modify_user("B-1")
        .email("new@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(user.email.as_deref(), Some("new@example.com"));
    assert_eq!(*writes.lock().unwrap(), ["B-1"]);
}

#[tokio::test]
async fn a_partial_updates_read_and_write_share_one_deadline() {
    // Each request takes 700 ms: alone, each fits a 1 s deadline; the
    // read and the write together do not, and the call says so.
    let slow = std::time::Duration::from_millis(700);
    let writes = support::Counter::default();
    let w = writes.clone();
    let router = Router::new().route(
        "/api/v1/users/{id}/",
        get(move || async move {
            tokio::time::sleep(slow).await;
            axum::Json(support::user_json())
        })
        .put(move || {
            let w = w.clone();
            async move {
                w.bump();
                tokio::time::sleep(slow).await;
                axum::Json(support::user_json())
            }
        }),
    );
    let hpay = support::hpay(support::serve(router).await);
    let err = hpay
        .modify_user("user_abc123")
        .email("new@example.com")
        .deadline(std::time::Duration::from_secs(1))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "timeout", "{err:?}");
    assert_eq!(
        err.context().map(|c| c.operation),
        Some("update_user"),
        "the read succeeded; the write ran out of the time left"
    );
    assert_eq!(writes.get(), 1);
    // With room for both, the same change goes through.
    let user = hpay
        .modify_user("user_abc123")
        .email("new@example.com")
        .deadline(std::time::Duration::from_secs(10))
        .send()
        .await
        .unwrap();
    assert_eq!(user.id, "user_abc123");
}

#[tokio::test]
async fn a_payabli_read_that_is_not_the_users_record_is_an_error() {
    use axum::response::IntoResponse;
    // Every field of the read model is optional: these would all decode.
    for (answer, shown) in [
        (serde_json::json!({}), "carries no `userId`"),
        (
            serde_json::json!({"responseText": "Declined"}),
            "carries no `userId`",
        ),
        (
            serde_json::json!({"userId": 7, "Name": "Someone Else"}),
            "asked for userId 1000000, the answer is about userId 7",
        ),
    ] {
        let router = Router::new().route(
            "/User/{id}",
            get(move || {
                let answer = answer.clone();
                async move { axum::Json(answer).into_response() }
            }),
        );
        let payabli = support::payabli(support::serve(router).await);
        let err = payabli.get_user(1000000).send().await.unwrap_err();
        let Error::UnexpectedResponse { reason, .. } = &err else {
            panic!("expected UnexpectedResponse, got {err:?}")
        };
        assert!(reason.contains(shown), "{reason}");
        assert_eq!(err.status(), Some(200));
        assert_eq!(err.context().map(|c| c.attempts), Some(1));
    }
}

#[tokio::test]
async fn a_stored_value_our_rules_refuse_is_named_as_stored_with_the_way_out() {
    // hPay holds a phone our (inferred) pattern refuses; a change that
    // keeps it cannot resend it, and says so; one that replaces it can.
    let router = Router::new().route(
        "/api/v1/users/{id}/",
        get(|| async {
            let mut user = support::user_json();
            user["phone_number"] = "079123456".into();
            axum::Json(user)
        })
        .put(
            |axum::Json(body): axum::Json<serde_json::Value>| async move {
                let mut user = support::user_json();
                user["phone_number"] = body["phone_number"].clone();
                axum::Json(user)
            },
        ),
    );
    let hpay = support::hpay(support::serve(router).await);
    let err = hpay
        .modify_user("user_abc123")
        .email("new@example.com")
        .send()
        .await
        .unwrap_err();
    let Error::Validation { field, rule, .. } = &err else {
        panic!("expected Validation, got {err:?}")
    };
    assert_eq!(*field, "phone_number");
    assert!(
        rule.starts_with("the value stored at hPay must be"),
        "{rule}"
    );
    assert!(
        rule.ends_with("set a new value for it in this change"),
        "{rule}"
    );
    let user = hpay
        .modify_user("user_abc123")
        .email("new@example.com")
        .phone_number("+23279000000")
        .send()
        .await
        .unwrap();
    assert_eq!(user.phone_number, "+23279000000");
}

#[tokio::test]
async fn a_user_added_ahead_of_the_cursor_is_neither_an_error_nor_a_duplicate() {
    use axum::response::IntoResponse;
    // One user a page, newest first; a user is added between pages 1 and
    // 2, so page 2 holds page 1's user again, and page 3 the next one.
    let hpay = hpay_lister(|page, _| {
        let answer: Vec<_> = match page {
            1 | 2 => vec![listed_user(0)],
            3 => vec![listed_user(1)],
            _ => vec![],
        };
        axum::Json(answer).into_response()
    })
    .await;
    let users = hpay.list_users().page_size(1).collect().await.unwrap();
    let ids: Vec<_> = users.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["u0", "u1"]);
}

#[tokio::test]
async fn a_payabli_server_capping_the_page_size_is_paged_to_its_total() {
    use axum::extract::Query;
    // Five users; the server answers at most two a page whatever
    // `limitRecord` asks, and says how many there are.
    let router = Router::new().route(
        "/Query/users/org/{org}",
        get(
            |Query(q): Query<std::collections::HashMap<String, String>>| async move {
                let from: usize = q
                    .get("fromRecord")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                let records: Vec<_> = (from..5.min(from + 2))
                    .map(|n| serde_json::json!({"userId": n, "Name": format!("U{n}")}))
                    .collect();
                axum::Json(serde_json::json!({
                    "Records": records,
                    "Summary": {"totalRecords": 5, "pageSize": 2},
                }))
            },
        ),
    );
    let payabli = support::payabli(support::serve(router).await);
    let users = payabli
        .list_users(123)
        .page_size(3)
        .collect()
        .await
        .unwrap();
    let ids: Vec<_> = users.iter().filter_map(|u| u.user_id).collect();
    assert_eq!(ids, [0, 1, 2, 3, 4]);
}
