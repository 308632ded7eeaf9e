//! The embedded mock's state and plumbing: the request log and its
//! redaction, fixtures, seeding, concurrency and shutdown. Loopback only.

use payusers::mock::{
    Fixtures, HpayFixture, MockCredentials, MockError, MockServer, PayabliFixture,
};
use reqwest::Client;

const HPAY_USER: &str = "/api/v1/users/user_abc123/";

fn client() -> Client {
    Client::new()
}

#[tokio::test]
async fn request_log_redacts_secrets() {
    let credentials = MockCredentials::new(
        "key_visible_nowhere",
        "hpay_test_s3cr3t_value",
        "token_s3cr3t_value",
    );
    let mock = MockServer::builder()
        .credentials(credentials)
        .start()
        .await
        .unwrap();
    assert!(!format!("{:?}", mock.credentials()).contains("s3cr3t"));
    mock.hpay().get_user("user_abc123").send().await.unwrap();
    mock.payabli()
        .update_user(1000000)
        .password("hunter2-pwd")
        .name("S")
        .send()
        .await
        .unwrap();
    client()
        .get(format!("{}/User/1000000", mock.payabli_base_url()))
        .header("Authorization", "Bearer bearer_s3cr3t")
        .send()
        .await
        .unwrap();

    let log = mock.requests();
    assert_eq!(log.len(), 3);
    assert_eq!(log[0].method, "GET");
    assert_eq!(log[0].path, "/hpay/api/v1/users/user_abc123/");
    assert_eq!(log[0].header("api-key"), Some("[redacted]"));
    assert_eq!(log[0].header("secret-key"), Some("[redacted]"));
    assert_eq!(log[1].method, "PUT");
    assert_eq!(log[1].header("requestToken"), Some("[redacted]"));
    assert!(log[1].body.contains(r#""name":"S""#), "{}", log[1].body);
    assert_eq!(log[2].header("authorization"), Some("[redacted]"));
    let everything = format!("{log:?}");
    for secret in ["key_visible_nowhere", "s3cr3t", "hunter2"] {
        assert!(!everything.contains(secret), "{secret} leaked into the log");
    }
    mock.clear_requests();
    assert!(mock.requests().is_empty());
}

#[tokio::test]
async fn request_log_redacts_a_password_under_an_escaped_key() {
    let mock = MockServer::start().await.unwrap();
    let url = format!("{}/User/1000000", mock.payabli_base_url());
    let bodies = [
        // `\u0077` is `w`: the raw text never says "pwd".
        r#"{"p\u0077d":"hunter2-escaped","name":"S"}"#,
        r#"{"name":"S","nested":[{"pwd":"hunter2-nested"}]}"#,
        r#"{"p\u0077d":"hunter2-broken""#,
    ];
    for body in bodies {
        client()
            .put(&url)
            .header("requestToken", &mock.credentials().payabli_token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
    }
    let log = mock.requests();
    assert_eq!(log.len(), bodies.len());
    assert_eq!(log[0].body, r#"{"name":"S","pwd":"[redacted]"}"#);
    assert_eq!(
        log[1].body,
        r#"{"name":"S","nested":[{"pwd":"[redacted]"}]}"#
    );
    let everything = format!("{log:?}");
    assert!(!everything.contains("hunter2"), "{everything}");
}

#[tokio::test]
async fn fixtures_round_trip_and_errors() {
    let mut fixtures = Fixtures::empty();
    let mut ann = HpayFixture::new("user_ann", 7, "Ann Lee", "+23270000007");
    ann.username = Some("ann".into());
    ann.is_active = false;
    fixtures.hpay.push(ann);
    fixtures.payabli.push(PayabliFixture {
        user_id: 77,
        name: Some("Bo".into()),
        additional_data: Some([("k".to_string(), "v".to_string())].into()),
        ..PayabliFixture::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixtures.json");
    std::fs::write(&path, fixtures.to_json()).unwrap();
    let loaded = Fixtures::from_file(&path).unwrap();
    assert_eq!(loaded, fixtures);
    assert_eq!(
        Fixtures::from_json(&Fixtures::default().to_json()).unwrap(),
        Fixtures::default()
    );

    let mock = MockServer::builder()
        .fixtures(loaded)
        .start()
        .await
        .unwrap();
    assert!(
        mock.hpay_user("user_abc123").is_none(),
        "only the file's users"
    );
    let ann = mock.hpay().get_user("user_ann").send().await.unwrap();
    assert_eq!(
        (ann.app_user_id, ann.is_active, ann.username.as_deref()),
        (7, false, Some("ann"))
    );
    let bo = mock.payabli().get_user(77).send().await.unwrap();
    assert_eq!(bo.name.as_deref(), Some("Bo"));
    mock.seed_hpay(HpayFixture::new("user_new", 8, "New", "+23270000008"));
    assert_eq!(
        mock.hpay().get_user("user_new").send().await.unwrap().name,
        "New"
    );

    let bad = [
        (
            r#"{"hpay": [{"id": "u", "app_user_id": 1, "name": "A"}]}"#,
            "hpay[0]",
        ),
        (
            r#"{"hpay": [{"id": "u", "app_user_id": "1", "name": "A", "phone_number": "+1234567"}]}"#,
            "hpay[0]",
        ),
        (
            r#"{"hpay": [{"id": "u", "app_user_id": 1, "name": "A", "phone_number": "+1234567", "nick": "x"}]}"#,
            "nick",
        ),
        (
            r#"{"payabli": [{"userId": 1}, {"userId": 2, "usrStatus": 7}]}"#,
            "payabli[1]",
        ),
        (
            r#"{"payabli": [{"userId": 1}, {"userId": 1}]}"#,
            "duplicate",
        ),
        (r#"{"payabli": [{"name": "no id"}]}"#, "userId"),
        (r#"{"users": []}"#, "users"),
        ("not json", "not valid"),
    ];
    for (json, needle) in bad {
        let err = Fixtures::from_json(json).unwrap_err();
        assert!(err.to_string().contains(needle), "{json}: {err}");
    }
    let err = Fixtures::from_file(dir.path().join("missing.json")).unwrap_err();
    assert!(matches!(err, MockError::Io { .. }), "{err}");
}

#[tokio::test]
async fn concurrent_updates_all_succeed_and_state_is_consistent() {
    let mock = MockServer::start().await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..200 {
        let hpay = mock.hpay().clone();
        let payabli = mock.payabli().clone();
        tasks.push(tokio::spawn(async move {
            let user = hpay
                .update_user("user_abc123")
                .app_user_id(1)
                .name(format!("John {i}"))
                .phone_number("+23279123456")
                .send()
                .await?;
            assert_eq!(user.name, format!("John {i}"));
            payabli
                .update_user(1000000)
                .additional_data("n", i.to_string())
                .send()
                .await?;
            Ok::<_, payusers::Error>(())
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(mock.requests().len(), 400);
    let john = mock.hpay_user("user_abc123").unwrap();
    let n: usize = john.name.strip_prefix("John ").unwrap().parse().unwrap();
    assert!(n < 200);
    let sean = mock.payabli_user(1000000).unwrap();
    let n: usize = sean.additional_data.unwrap()["n"].parse().unwrap();
    assert!(n < 200);
    assert_eq!(john.app_user_id, 1);
    assert_eq!(sean.name.as_deref(), Some("Sean Smith"));
}

#[tokio::test]
async fn shutdown_stops_serving() {
    let mock = MockServer::start().await.unwrap();
    let url = format!("{}{HPAY_USER}", mock.hpay_base_url());
    // An idle keep-alive connection must not hold the shutdown up.
    let kept = client();
    kept.get(&url).send().await.unwrap();
    let started = std::time::Instant::now();
    mock.shutdown().await;
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let err = client().get(&url).send().await.unwrap_err();
    assert!(err.is_connect() || err.is_request(), "{err}");
    assert!(kept.get(&url).send().await.is_err());

    // Dropping the server stops it too.
    let mock = MockServer::start().await.unwrap();
    let url = format!("{}{HPAY_USER}", mock.hpay_base_url());
    drop(mock);
    // The server stops in the background: poll until it refuses, within a
    // deadline generous enough for a loaded machine.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        // A fresh client each time, so no pooled connection is reused.
        if client().get(&url).send().await.is_err() {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the dropped server still answers after 5 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn the_request_log_keeps_at_most_64_mib_of_requests() {
    let mock = MockServer::start().await.unwrap();
    // Bytes that are not UTF-8 are logged as U+FFFD, three bytes each: a
    // 1 MiB body is 3 MiB of log.
    let body = vec![0xFF_u8; payusers::mock::MAX_BODY_BYTES];
    for _ in 0..24 {
        client()
            .post(format!("{}/anything", mock.hpay_base_url()))
            .body(body.clone())
            .send()
            .await
            .unwrap();
    }
    client()
        .get(format!("{}/the-last-one", mock.hpay_base_url()))
        .send()
        .await
        .unwrap();
    let log = mock.requests();
    let bytes: usize = log.iter().map(|r| r.body.len()).sum();
    assert!(bytes <= 64 << 20, "the log holds {bytes} bytes of bodies");
    assert!(
        (20..=22).contains(&log.len()),
        "{} requests kept: the oldest go first",
        log.len()
    );
    assert!(log[log.len() - 2].body.starts_with('\u{FFFD}'));
    assert!(
        log.last().unwrap().path.ends_with("/the-last-one"),
        "the newest is kept"
    );
}

#[tokio::test]
async fn a_deleted_payabli_users_id_is_never_given_again() {
    let mock = MockServer::start().await.unwrap();
    let payabli = mock.payabli();
    let create = |name: &'static str| async move {
        payabli
            .create_user()
            .name(name)
            .send()
            .await
            .unwrap()
            .expect("the mock names the new id")
    };
    let first = create("First").await;
    payabli.delete_user(first).send().await.unwrap();
    let second = create("Second").await;
    assert!(second > first, "{first} then {second}");
    let err = payabli.get_user(first).send().await.unwrap_err();
    assert_eq!(
        err.status(),
        Some(400),
        "the deleted user stays gone: {err:?}"
    );
}

#[tokio::test]
async fn hpay_fixtures_with_one_app_user_id_twice_are_refused() {
    let fixtures = r#"{"hpay": [
        {"id": "u1", "app_user_id": 5, "name": "One", "phone_number": "+23270000001"},
        {"id": "u2", "app_user_id": 5, "name": "Two", "phone_number": "+23270000002"}]}"#;
    let err = Fixtures::from_json(fixtures).unwrap_err().to_string();
    assert!(err.contains("duplicate app_user_id 5"), "{err}");
}

#[tokio::test]
async fn deleting_a_user_seeded_over_another_app_user_id_keeps_the_others_claim() {
    // Seeding replaces by id only, so two users may share an app_user_id;
    // deleting one must not free it for a create while the other holds it.
    let mock = MockServer::start().await.unwrap();
    mock.seed_hpay(HpayFixture::new("u1", 5, "One", "+23270000001"));
    mock.seed_hpay(HpayFixture::new("u2", 5, "Two", "+23270000002"));
    mock.seed_hpay(HpayFixture::new("u3", 6, "Three", "+23270000003"));
    mock.hpay().delete_user("u3").send().await.unwrap();
    let created = mock
        .hpay()
        .create_user()
        .app_user_id(6)
        .name("Six again")
        .phone_number("+23270000006")
        .send()
        .await;
    assert!(created.is_ok(), "a freed app_user_id: {created:?}");
    mock.hpay().delete_user("u1").send().await.unwrap();
    let err = mock
        .hpay()
        .create_user()
        .app_user_id(5)
        .name("Five again")
        .phone_number("+23270000005")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400), "u2 still holds 5: {err:?}");
}

#[tokio::test]
async fn a_create_past_the_largest_payabli_id_overwrites_no_one() {
    let mock = MockServer::start().await.unwrap();
    mock.seed_payabli(PayabliFixture {
        user_id: i64::MAX,
        name: Some("Max".into()),
        ..PayabliFixture::default()
    });
    let err = mock
        .payabli()
        .create_user()
        .name("Newcomer")
        .email("new@example.com")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(500), "{err:?}");
    assert!(err.to_string().contains("no user id left"), "{err}");
    let kept = mock.payabli().get_user(i64::MAX).send().await.unwrap();
    assert_eq!(kept.name.as_deref(), Some("Max"));
}

#[tokio::test]
async fn a_payabli_page_size_of_i64_max_is_one_page() {
    let mock = MockServer::start().await.unwrap();
    let answer = client()
        .get(format!(
            "{}/Query/users/org/123?limitRecord={}",
            mock.payabli_base_url(),
            i64::MAX
        ))
        .header("requestToken", &mock.credentials().payabli_token)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let page: serde_json::Value = answer.json().await.unwrap();
    let records = page["Records"].as_array().unwrap().len();
    assert!(records > 0, "{page}");
    assert_eq!(page["Summary"]["totalRecords"], records);
    assert_eq!(page["Summary"]["totalPages"], 1);
    assert_eq!(page["Summary"]["pageSize"], i64::MAX);
}

#[tokio::test]
async fn request_log_redacts_a_password_under_a_key_in_another_case() {
    let mock = MockServer::start().await.unwrap();
    client()
        .put(format!("{}/User/1000000", mock.payabli_base_url()))
        .header("requestToken", &mock.credentials().payabli_token)
        .header("content-type", "application/json")
        .body(r#"{"Pwd":"hunter2-cased","name":"S"}"#)
        .send()
        .await
        .unwrap();
    let log = mock.requests();
    assert_eq!(log[0].body, r#"{"Pwd":"[redacted]","name":"S"}"#);
}

#[tokio::test]
async fn hpay_unique_values_follow_updates_and_deletes() {
    // hPay refuses a create (and, inferred, an update) whose email or phone
    // number another user holds; the mock's index follows every update and
    // delete.
    let mock = MockServer::start().await.unwrap();
    let hpay = mock.hpay();
    let create = |app_user_id: i64, phone: &'static str| {
        hpay.create_user()
            .app_user_id(app_user_id)
            .name("N")
            .phone_number(phone)
            .send()
    };
    let taken = |err: payusers::Error| err.provider_message().map(str::to_string);
    // `user_abc123` holds +23279123456; moved to another number, it frees it.
    hpay.modify_user("user_abc123")
        .phone_number("+23279100001")
        .send()
        .await
        .unwrap();
    let freed = create(5001, "+23279123456").await.unwrap();
    assert_eq!(
        taken(create(5002, "+23279100001").await.unwrap_err()).as_deref(),
        Some("A user with this phone_number already exists.")
    );
    // An update cannot take a number another user holds either (unique
    // within the application: inferred for updates)...
    let err = hpay
        .modify_user(&freed.id)
        .phone_number("+23279100001")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(
        taken(err).as_deref(),
        Some("A user with this phone_number already exists.")
    );
    let err = hpay
        .modify_user(&freed.id)
        .email("jane@example.com")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        taken(err).as_deref(),
        Some("A user with this email already exists.")
    );
    // ...while resending its own values is no conflict.
    hpay.modify_user("user_abc123")
        .name("John Renamed")
        .send()
        .await
        .unwrap();
    hpay.delete_user("user_abc123").send().await.unwrap();
    create(5003, "+23279100001").await.unwrap();
    hpay.modify_user(&freed.id)
        .phone_number("+23279100002")
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn a_payabli_listing_sorts_by_sort_by_and_pages_the_sorted_order() {
    let mock = MockServer::start().await.unwrap();
    for (user_id, name) in [
        (4_000_001, "carol"),
        (4_000_002, "Alice"),
        (4_000_003, "bob"),
    ] {
        mock.seed_payabli(PayabliFixture {
            user_id,
            name: Some(name.into()),
            scope: Some(vec![payusers::payabli::Scope {
                org_type: Some(0),
                org_id: Some(555),
            }]),
            ..PayabliFixture::default()
        });
    }
    let names = |users: Vec<payusers::payabli::PayabliUser>| -> Vec<String> {
        users
            .into_iter()
            .map(|u| u.name.unwrap_or_default())
            .collect()
    };
    let listed = |sort: Option<&str>, page_size: u32| {
        let mut list = mock.payabli().list_users(555).page_size(page_size);
        if let Some(sort) = sort {
            list = list.sort_by(sort);
        }
        list.collect()
    };
    // Stored order without a sort; by name (case aside) either way; a
    // sorted listing pages through the sorted order.
    assert_eq!(
        names(listed(None, 20).await.unwrap()),
        ["carol", "Alice", "bob"]
    );
    assert_eq!(
        names(listed(Some("asc(name)"), 20).await.unwrap()),
        ["Alice", "bob", "carol"]
    );
    assert_eq!(
        names(listed(Some("desc(Name)"), 2).await.unwrap()),
        ["carol", "bob", "Alice"]
    );
    assert_eq!(
        names(listed(Some("desc(userId)"), 20).await.unwrap()),
        ["bob", "Alice", "carol"]
    );
    // A field the mock does not sort by leaves the stored order.
    assert_eq!(
        names(listed(Some("asc(phone)"), 20).await.unwrap()),
        ["carol", "Alice", "bob"]
    );
}
