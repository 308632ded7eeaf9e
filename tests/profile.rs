//! One person, every provider: plan and push a change to hPay and Payabli
//! at once, through the library and the CLI, against the mock.
#![cfg(feature = "cli")]

mod cli_common;
mod support;

use cli_common::{journal, payusers, run, stderr, stdout};
use payusers::Provider;
use payusers::mock::{MockServer, PayabliFixture};
use payusers::payabli::UserStatus;
use payusers::profile::{Change, Link, Options, Outcome, Profiles};

fn profiles(mock: &MockServer) -> Profiles {
    Profiles::new(Some(mock.hpay().clone()), Some(mock.payabli().clone()))
}

/// Payabli user 7, Locked.
fn seed_locked(mock: &MockServer) {
    mock.seed_payabli(PayabliFixture {
        user_id: 7,
        usr_status: Some(UserStatus::Locked.into()),
        ..PayabliFixture::default()
    });
}

fn writes(mock: &MockServer) -> usize {
    mock.requests().iter().filter(|r| r.method == "PUT").count()
}

#[tokio::test]
async fn one_call_updates_both_then_reports_unchanged_and_sends_nothing() {
    let mock = MockServer::start().await.unwrap();
    let link = Link::hpay("user_abc123")
        .and_payabli(1000000)
        .expect_app_user_id(1);
    let change = Change::default()
        .email("person@example.com")
        .name("John P. Doe");

    // plan writes nothing and shows each provider's own fields.
    let plan = profiles(&mock)
        .plan(&link, &change, &Options::default())
        .await
        .unwrap();
    assert_eq!(writes(&mock), 0);
    assert_eq!(plan.attempts, 2, "one read at each provider");
    let hpay: Vec<String> = plan
        .hpay
        .as_ref()
        .unwrap()
        .diff()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        hpay,
        [
            "name: John Doe → John P. Doe",
            "email: john@example.com → person@example.com"
        ]
    );
    let payabli: Vec<&str> = plan
        .payabli
        .as_ref()
        .unwrap()
        .diff()
        .iter()
        .map(|c| c.field)
        .collect();
    assert_eq!(payabli, ["Name", "Email"]);

    let report = profiles(&mock)
        .push(&link, &change, &Options::default())
        .await
        .unwrap();
    assert!(report.all_ok());
    assert_eq!(report.attempts, 4, "a read and a write at each provider");
    for provider in [Provider::HostPay, Provider::Payabli] {
        assert_eq!(report.attempts_at(provider), 2, "{provider}");
    }
    assert!(matches!(report.hpay, Some(Outcome::Updated(_))));
    assert!(matches!(report.payabli, Some(Outcome::Updated(_))));
    let john = mock.hpay_user("user_abc123").unwrap();
    assert_eq!(john.email.as_deref(), Some("person@example.com"));
    assert_eq!(
        john.phone_number, "+23279123456",
        "an email-only change keeps the phone"
    );
    assert_eq!(
        mock.payabli_user(1000000).unwrap().email.as_deref(),
        Some("person@example.com")
    );

    let before = writes(&mock);
    let again = profiles(&mock)
        .push(&link, &change, &Options::default())
        .await
        .unwrap();
    assert!(again.outcomes().all(|(_, o)| o.is_unchanged()), "{again:?}");
    assert_eq!(again.attempts, 2, "reads only");
    assert_eq!(writes(&mock), before, "the mock sees no PUT");
}

#[tokio::test]
async fn one_provider_failing_never_hides_the_other() {
    // hPay is the mock; Payabli reads fine but answers 500 to every write.
    let mock = MockServer::start().await.unwrap();
    let puts = support::Counter::default();
    let p = puts.clone();
    let payabli_addr = support::serve(
        axum::Router::new().route(
            "/User/{id}",
            axum::routing::get(|| async {
                axum::Json(serde_json::json!({"userId": 1000000, "Email": "old@example.com", "UsrStatus": 1}))
            })
            .put(move || {
                let p = p.clone();
                async move {
                    p.bump();
                    axum::http::StatusCode::INTERNAL_SERVER_ERROR
                }
            }),
        ),
    )
    .await;
    let profiles = Profiles::new(
        Some(mock.hpay().clone()),
        Some(support::payabli(payabli_addr)),
    );
    let link = Link::hpay("user_abc123").and_payabli(1000000);
    let report = profiles
        .push(
            &link,
            &Change::default().email("both@example.com"),
            &Options::default(),
        )
        .await
        .unwrap();
    assert!(
        matches!(report.hpay, Some(Outcome::Updated(_))),
        "{report:?}"
    );
    let Some(Outcome::Failed(err)) = &report.payabli else {
        panic!("{report:?}")
    };
    assert_eq!(err.status(), Some(500));
    assert_eq!(puts.get(), 4, "the write was retried, then reported");
    assert_eq!(report.attempts_at(Provider::HostPay), 2);
    assert_eq!(
        report.attempts_at(Provider::Payabli),
        5,
        "a read, and the failed write's four attempts"
    );
    assert_eq!(report.attempts, 7);
    assert!(!report.all_ok());
    assert_eq!(
        mock.hpay_user("user_abc123").unwrap().email.as_deref(),
        Some("both@example.com")
    );
}

#[tokio::test]
async fn a_locked_payabli_user_is_never_silently_reactivated() {
    let mock = MockServer::start().await.unwrap();
    seed_locked(&mock);
    let link = Link::hpay("user_xyz789").and_payabli(7);
    let report = profiles(&mock)
        .push(&link, &Change::default().active(true), &Options::default())
        .await
        .unwrap();
    let Some(Outcome::Failed(err)) = &report.payabli else {
        panic!("{report:?}")
    };
    assert!(
        err.is_validation() && err.to_string().contains("locked"),
        "{err}"
    );
    assert_eq!(
        mock.payabli_user(7).unwrap().status,
        Some(UserStatus::Locked)
    );
    assert!(
        report.hpay.as_ref().unwrap().is_unchanged(),
        "Jane is already active"
    );
    // Deactivating keeps it locked: locked already counts as not active.
    let report = profiles(&mock)
        .push(&link, &Change::default().active(false), &Options::default())
        .await
        .unwrap();
    assert!(report.payabli.as_ref().unwrap().is_unchanged());
    assert!(!mock.hpay_user("user_xyz789").unwrap().is_active);
    // With the override it is reactivated, and hPay follows.
    let report = profiles(&mock)
        .push(
            &link,
            &Change::default().active(true),
            &Options::default().override_locked(true),
        )
        .await
        .unwrap();
    assert!(report.all_ok(), "{report:?}");
    assert_eq!(
        mock.payabli_user(7).unwrap().status,
        Some(UserStatus::Active)
    );
    assert!(mock.hpay_user("user_xyz789").unwrap().is_active);
}

#[tokio::test]
async fn a_refusal_at_one_provider_writes_nowhere_unless_partial() {
    let mock = MockServer::start().await.unwrap();
    seed_locked(&mock);
    let link = Link::hpay("user_xyz789").and_payabli(7);
    let deactivated = profiles(&mock)
        .push(&link, &Change::default().active(false), &Options::default())
        .await
        .unwrap();
    assert!(deactivated.all_ok(), "{deactivated:?}");
    assert!(!mock.hpay_user("user_xyz789").unwrap().is_active);
    let before = writes(&mock);

    // The plan says so first: what the push would withhold, and why.
    let plan = profiles(&mock)
        .plan(&link, &Change::default().active(true), &Options::default())
        .await
        .unwrap();
    assert!(
        matches!(plan.payabli, Some(Outcome::Failed(ref e)) if e.is_validation()),
        "{plan:?}"
    );
    let Some(Outcome::Withheld { diff, by }) = &plan.hpay else {
        panic!("{plan:?}")
    };
    assert_eq!(
        (*by, diff[0].to_string()),
        (Provider::Payabli, "is_active: false → true".to_string())
    );
    let partial_plan = profiles(&mock)
        .plan(
            &link,
            &Change::default().active(true),
            &Options::default().partial(true),
        )
        .await
        .unwrap();
    assert!(
        matches!(partial_plan.hpay, Some(Outcome::Updated(_))),
        "{partial_plan:?}"
    );
    assert_eq!(writes(&mock), before, "plans write nothing");

    // Reactivating is refused at Payabli (locked), so hPay is not written:
    // the person stays inactive at both.
    let report = profiles(&mock)
        .push(&link, &Change::default().active(true), &Options::default())
        .await
        .unwrap();
    let Some(Outcome::Failed(err)) = &report.payabli else {
        panic!("{report:?}")
    };
    assert!(err.is_validation(), "{err}");
    let Some(Outcome::Withheld { diff, by }) = &report.hpay else {
        panic!("{report:?}")
    };
    assert_eq!(*by, Provider::Payabli);
    assert_eq!(diff[0].to_string(), "is_active: false → true");
    assert!(!report.hpay.as_ref().unwrap().is_ok());
    assert_eq!(report.hpay.as_ref().unwrap().kind(), "withheld");
    assert_eq!(writes(&mock), before, "nothing written anywhere");
    assert_eq!(report.attempts, 2, "the two reads");
    assert!(!mock.hpay_user("user_xyz789").unwrap().is_active);

    // A failed read withholds too: Payabli user 8 does not exist.
    let report = profiles(&mock)
        .push(
            &Link::hpay("user_xyz789").and_payabli(8),
            &Change::default().name("Jane Q. Smith"),
            &Options::default(),
        )
        .await
        .unwrap();
    assert!(
        matches!(report.payabli, Some(Outcome::Failed(_))),
        "{report:?}"
    );
    assert!(
        matches!(
            report.hpay,
            Some(Outcome::Withheld {
                by: Provider::Payabli,
                ..
            })
        ),
        "{report:?}"
    );
    assert_eq!(writes(&mock), before);

    // Partial: hPay is written, Payabli still refused.
    let report = profiles(&mock)
        .push(
            &link,
            &Change::default().active(true),
            &Options::default().partial(true),
        )
        .await
        .unwrap();
    assert!(
        matches!(report.hpay, Some(Outcome::Updated(_))),
        "{report:?}"
    );
    assert!(matches!(report.payabli, Some(Outcome::Failed(_))));
    assert!(mock.hpay_user("user_xyz789").unwrap().is_active);
    assert_eq!(
        mock.payabli_user(7).unwrap().status,
        Some(UserStatus::Locked)
    );
}

#[tokio::test]
async fn the_cli_says_what_it_withheld_and_pushes_partially_when_told() {
    let mock = MockServer::start().await.unwrap();
    seed_locked(&mock);
    let push = |extra: &[&str]| {
        let mut cmd = payusers(&mock);
        cmd.args([
            "--output",
            "json",
            "profile",
            "push",
            "--hpay",
            "user_xyz789",
        ]);
        cmd.args(["--payabli", "7", "--name", "Jane Locked"]);
        cmd.args(extra);
        cmd
    };
    // The name change is fine at Payabli; the reactivation is not. The
    // plan says what the push will withhold.
    let mut plan = payusers(&mock);
    plan.args(["profile", "plan", "--hpay", "user_xyz789", "--payabli", "7"]);
    plan.args(["--name", "Jane Locked", "--active", "true"]);
    let out = run(plan).await.code(2);
    assert!(
        stdout(&out).contains("hpay user_xyz789: would be withheld: nothing would be sent, because payabli failed (see --partial)"),
        "{}",
        stdout(&out)
    );
    let out = run(push(&["--active", "true"])).await.code(2);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["hpay"]["outcome"], "withheld", "{json}");
    assert_eq!(json["hpay"]["withheld_by"], "payabli", "{json}");
    assert_eq!(json["hpay"]["changes"][0]["field"], "name", "{json}");
    assert_eq!(json["payabli"]["outcome"], "failed", "{json}");
    assert_eq!(writes(&mock), 0);

    let out = run(push(&["--active", "true", "--partial"])).await.code(2);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["hpay"]["outcome"], "updated", "{json}");
    assert_eq!(json["payabli"]["outcome"], "failed", "{json}");
    assert_eq!(mock.hpay_user("user_xyz789").unwrap().name, "Jane Locked");
}

#[tokio::test]
async fn waiting_for_the_other_providers_read_costs_no_write_its_deadline() {
    // hPay answers at once under a 1 s deadline; Payabli's read takes 1.2 s.
    let fast = MockServer::start().await.unwrap();
    let slow = MockServer::builder()
        .latency(std::time::Duration::from_millis(1200))
        .start()
        .await
        .unwrap();
    let c = fast.credentials();
    let hpay = payusers::HostPay::builder()
        .api_key(c.hpay_api_key.clone())
        .secret_key(c.hpay_secret_key.clone())
        .base_url(fast.hpay_base_url())
        .deadline(std::time::Duration::from_secs(1))
        .build()
        .unwrap();
    let profiles = Profiles::new(Some(hpay), Some(slow.payabli().clone()));
    let report = profiles
        .push(
            &Link::hpay("user_abc123").and_payabli(1000000),
            &Change::default().name("Both Renamed"),
            &Options::default(),
        )
        .await
        .unwrap();
    assert!(report.all_ok(), "{report:?}");
    assert_eq!(fast.hpay_user("user_abc123").unwrap().name, "Both Renamed");
    assert_eq!(
        slow.payabli_user(1000000).unwrap().name.as_deref(),
        Some("Both Renamed")
    );
}

#[tokio::test]
async fn one_phone_must_satisfy_both_providers() {
    let mock = MockServer::start().await.unwrap();
    let link = Link::hpay("user_abc123").and_payabli(1000000);
    let err = profiles(&mock)
        .plan(
            &link,
            &Change::default().phone("5550009999"),
            &Options::default(),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("hpay would refuse it"), "{err}");
    // Payabli alone takes it.
    assert!(
        profiles(&mock)
            .push(
                &Link::payabli(1000000),
                &Change::default().phone("5550009999"),
                &Options::default()
            )
            .await
            .unwrap()
            .all_ok()
    );
    let err = profiles(&mock)
        .plan(
            &link,
            &Change::default().phone(format!("+{}", "1".repeat(60))),
            &Options::default(),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("would refuse it"), "{err}");
    let err = profiles(&mock)
        .plan(
            &Link::hpay("user_abc123").expect_app_user_id(9),
            &Change::default().name("X"),
            &Options::default(),
        )
        .await
        .unwrap()
        .hpay
        .unwrap();
    assert!(
        matches!(err, Outcome::Failed(ref e) if e.to_string().contains("wrong link")),
        "{err:?}"
    );
    assert_eq!(writes(&mock), 1, "only the Payabli-only push wrote");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_plans_and_pushes_with_exit_codes() {
    let mock = MockServer::start().await.unwrap();
    let mut cmd = payusers(&mock);
    cmd.args([
        "profile",
        "plan",
        "--hpay",
        "user_abc123",
        "--payabli",
        "1000000",
        "--email",
        "cli@example.com",
    ]);
    let out = run(cmd).await.success();
    let text = stdout(&out);
    assert!(text.contains("hpay user_abc123: would update"), "{text}");
    assert!(
        text.contains("email: john@example.com → cli@example.com"),
        "{text}"
    );
    assert!(
        text.contains("Email: example@email.com → cli@example.com"),
        "{text}"
    );
    assert_eq!(writes(&mock), 0);

    let mut cmd = payusers(&mock);
    cmd.args([
        "--output",
        "json",
        "profile",
        "push",
        "--hpay",
        "user_abc123",
        "--payabli",
        "1000000",
        "--email",
        "cli@example.com",
    ]);
    let out = run(cmd).await.success();
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["hpay"]["outcome"], "updated");
    assert_eq!(json["payabli"]["outcome"], "updated");
    assert_eq!(json["payabli"]["changes"][0]["new"], "cli@example.com");
    assert_eq!(json["hpay"]["attempts"], 2, "a read and a write");
    assert_eq!(json["payabli"]["attempts"], 2, "a read and a write");

    // Validation (one phone for both) is exit 2; a provider failure is exit 1.
    let mut cmd = payusers(&mock);
    cmd.args([
        "profile",
        "push",
        "--hpay",
        "user_abc123",
        "--payabli",
        "1000000",
        "--phone",
        "5555",
    ]);
    let out = run(cmd).await.code(2);
    assert!(stderr(&out).contains("would refuse"), "{}", stderr(&out));
    mock.fail_next(4, 500);
    let mut cmd = payusers(&mock);
    cmd.args([
        "--max-retries",
        "3",
        "profile",
        "push",
        "--payabli",
        "1000000",
        "--name",
        "Failing",
    ]);
    let out = run(cmd).await.code(1);
    assert!(
        stdout(&out).contains("payabli 1000000: failed"),
        "{}",
        stdout(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_both_records_every_row_once_through_faults() {
    const ROWS: usize = 10_000;
    let mock = MockServer::builder()
        .fail_rate(0.01, 503)
        .start()
        .await
        .unwrap();
    let mut hpay_ids = Vec::with_capacity(ROWS);
    for i in 0..ROWS {
        let id = format!("person_{i}");
        mock.seed_hpay(payusers::mock::HpayFixture::new(
            id.clone(),
            10_000 + i as i64,
            "Old",
            "+23279000001",
        ));
        mock.seed_payabli(PayabliFixture {
            user_id: 3_000_000 + i as i64,
            name: Some("Old".into()),
            ..PayabliFixture::default()
        });
        hpay_ids.push(id);
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("people.csv");
    let mut text = String::from("hpay_user_id,payabli_user_id,name,email\n");
    for (i, id) in hpay_ids.iter().enumerate() {
        text.push_str(&format!(
            "{id},{},Person {i},p{i}@example.com\n",
            3_000_000 + i
        ));
    }
    std::fs::write(&input, text).unwrap();
    let journal_path = dir.path().join("people.journal");
    let mut cmd = payusers(&mock);
    cmd.args([
        "--max-retries",
        "10",
        "sync",
        "--provider",
        "both",
        "--concurrency",
        "32",
        "--input",
    ])
    .arg(&input)
    .arg("--journal")
    .arg(&journal_path);
    let out = run(cmd).await;
    assert_eq!(out.get_output().status.code(), Some(0), "{}", stderr(&out));
    let entries = journal(&journal_path);
    assert_eq!(entries.len(), ROWS, "one entry per row");
    let mut lines: Vec<u64> = entries
        .iter()
        .map(|e| e["line"].as_u64().unwrap())
        .collect();
    lines.sort_unstable();
    lines.dedup();
    assert_eq!(lines.len(), ROWS, "every row recorded once");
    assert!(entries.iter().all(|e| e["status"] == "ok"
        && e["outcomes"]["hpay"] == "updated"
        && e["outcomes"]["payabli"] == "updated"));
    // Each entry names both users it wrote to, for `--resume`'s ordering.
    let row_7 = entries.iter().find(|e| e["line"] == 8).unwrap();
    assert_eq!(
        (&row_7["id"], &row_7["also"]),
        (&"hpay:person_7".into(), &"payabli:3000007".into())
    );
    // Each row's requests are counted: a read and a write at each provider,
    // and the retries the faults cost.
    let attempts: Vec<u64> = entries
        .iter()
        .map(|e| e["attempts"].as_u64().unwrap())
        .collect();
    assert!(
        attempts.iter().all(|a| *a >= 4),
        "a row counted under 4 requests"
    );
    assert!(
        attempts.iter().sum::<u64>() > 4 * ROWS as u64,
        "no retry counted, with 1 % of requests failing"
    );
    assert_eq!(mock.hpay_user("person_77").unwrap().name, "Person 77");
    assert_eq!(
        mock.payabli_user(3_000_077).unwrap().email.as_deref(),
        Some("p77@example.com")
    );
}

#[tokio::test]
async fn a_plan_refuses_what_its_push_would() {
    use axum::Router;
    use axum::routing::get;
    // GET of `a` answers user `b`; GET of `c` answers a phone our rules
    // refuse. A plan must not preview a write its push would refuse.
    let router = Router::new().route(
        "/api/v1/users/{id}/",
        get(
            |axum::extract::Path(id): axum::extract::Path<String>| async move {
                let mut user = support::user_json();
                match id.as_str() {
                    "a" => user["id"] = "b".into(),
                    _ => {
                        user["id"] = id.into();
                        user["phone_number"] = "079123456".into();
                    }
                }
                axum::Json(user)
            },
        ),
    );
    let hpay = support::hpay(support::serve(router).await);
    let profiles = Profiles::new(Some(hpay), None);
    let change = Change::default().email("person@example.com");
    for (user, shown) in [
        ("a", r#"asked for user_id "a", the answer is about id "b""#),
        ("c", "the value stored at hPay must be"),
    ] {
        let link = Link::hpay(user);
        for push in [false, true] {
            let report = if push {
                profiles.push(&link, &change, &Options::default()).await
            } else {
                profiles.plan(&link, &change, &Options::default()).await
            }
            .unwrap();
            let Some(Outcome::Failed(err)) = &report.hpay else {
                panic!(
                    "{user} (push: {push}): expected a failure, got {:?}",
                    report.hpay
                )
            };
            assert!(err.to_string().contains(shown), "{err}");
        }
    }
}

#[tokio::test]
async fn an_expected_app_user_id_holds_whichever_side_is_named_first() {
    let mock = MockServer::start().await.unwrap();
    let profiles = profiles(&mock);
    let change = Change::default().name("Wrong Link");
    // user_abc123's app_user_id is 1: expecting 999 must refuse the push,
    // named before or after the hPay user.
    for link in [
        Link::payabli(1000000)
            .expect_app_user_id(999)
            .and_hpay("user_abc123"),
        Link::hpay("user_abc123")
            .expect_app_user_id(999)
            .and_payabli(1000000),
        Link::hpay("other")
            .expect_app_user_id(999)
            .and_hpay("user_abc123"),
    ] {
        assert_eq!(
            link.hpay,
            Some(("user_abc123".to_string(), Some(999))),
            "{link:?}"
        );
        let report = profiles
            .push(&link, &change, &Options::default())
            .await
            .unwrap();
        assert!(
            matches!(&report.hpay, Some(Outcome::Failed(e)) if e.to_string().contains("app_user_id")),
            "{:?}",
            report.hpay
        );
    }
    assert_eq!(mock.hpay_user("user_abc123").unwrap().name, "John Doe");
    // An expectation with no hPay user to check it against is an error.
    let link = Link::payabli(1000000).expect_app_user_id(999);
    let err = profiles
        .push(&link, &change, &Options::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("names no hPay user"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_both_takes_rows_naming_one_side_under_every_column() {
    let mock = MockServer::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        (
            "people.csv",
            "hpay_user_id,hpay_app_user_id,payabli_user_id,name\n\
             user_abc123,1,1000000,Both Sides\n\
             ,,1000000,Payabli Only\n",
        ),
        (
            "people.jsonl",
            "{\"hpay_user_id\": \"user_abc123\", \"hpay_app_user_id\": 1, \"payabli_user_id\": 1000000, \"name\": \"Both Sides\"}\n\
             {\"hpay_user_id\": null, \"hpay_app_user_id\": null, \"payabli_user_id\": 1000000, \"name\": \"Payabli Only\"}\n",
        ),
    ] {
        let input = dir.path().join(name);
        std::fs::write(&input, text).unwrap();
        let journal_path = dir.path().join(format!("{name}.journal"));
        let out = run(sync_both(&mock, &input, &journal_path)).await;
        assert_eq!(
            out.get_output().status.code(),
            Some(0),
            "{name}: {}",
            stderr(&out)
        );
        let entries = journal(&journal_path);
        assert_eq!(entries.len(), 2);
        assert!(entries.iter().all(|e| e["status"] == "ok"), "{entries:?}");
        assert_eq!(
            mock.payabli_user(1000000).unwrap().name.as_deref(),
            Some("Payabli Only")
        );
    }
    // An app_user_id with no hPay user to check it on fails the row.
    let input = dir.path().join("odd.csv");
    std::fs::write(
        &input,
        "hpay_user_id,hpay_app_user_id,payabli_user_id,name\n,1,1000000,X\n",
    )
    .unwrap();
    let journal_path = dir.path().join("odd.journal");
    let out = run(sync_both(&mock, &input, &journal_path)).await;
    assert_eq!(out.get_output().status.code(), Some(1), "{}", stderr(&out));
    let entries = journal(&journal_path);
    assert!(
        entries[0]["error"]
            .as_str()
            .unwrap()
            .contains("needs `hpay_user_id`"),
        "{entries:?}"
    );
}

#[tokio::test]
async fn sync_both_writes_a_row_nowhere_when_one_side_refuses_it() {
    let mock = MockServer::start().await.unwrap();
    seed_locked(&mock);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("people.csv");
    // The padded id is the user the journal keys the row by: sent trimmed.
    std::fs::write(
        &input,
        "hpay_user_id,payabli_user_id,name,active\n user_xyz789 ,7,Jane Locked,true\n",
    )
    .unwrap();
    let journal_path = dir.path().join("people.journal");
    let out = run(sync_both(&mock, &input, &journal_path)).await;
    assert_eq!(out.get_output().status.code(), Some(1), "{}", stderr(&out));
    let entries = journal(&journal_path);
    assert_eq!(entries[0]["status"], "failed", "{entries:?}");
    assert_eq!(entries[0]["outcomes"]["hpay"], "withheld", "{entries:?}");
    assert_eq!(writes(&mock), 0);
    assert_eq!(mock.hpay_user("user_xyz789").unwrap().name, "Jane Smith");

    let journal_path = dir.path().join("partial.journal");
    let mut cmd = sync_both(&mock, &input, &journal_path);
    cmd.arg("--partial");
    let out = run(cmd).await;
    assert_eq!(out.get_output().status.code(), Some(1), "{}", stderr(&out));
    let entries = journal(&journal_path);
    assert_eq!(entries[0]["outcomes"]["hpay"], "updated", "{entries:?}");
    assert_eq!(mock.hpay_user("user_xyz789").unwrap().name, "Jane Locked");
}

/// `payusers sync --provider both` of `input`, journaled at `journal_path`.
fn sync_both(
    mock: &MockServer,
    input: &std::path::Path,
    journal_path: &std::path::Path,
) -> assert_cmd::Command {
    let mut cmd = payusers(mock);
    cmd.args(["sync", "--provider", "both", "--input"])
        .arg(input)
        .arg("--journal")
        .arg(journal_path);
    cmd
}
