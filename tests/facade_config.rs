//! Configuration, credentials, redaction and local validation.

mod support;

use payusers::payabli::{Language, UserStatus};
use payusers::{Error, HostPay, Payabli};
use support::*;

fn assert_redacted(what: &str, shown: &str) {
    for secret in [API_KEY, SECRET_KEY, TOKEN, "hunter2-pwd"] {
        assert!(!shown.contains(secret), "{what} shows a secret: {shown}");
    }
}

#[test]
fn debug_of_every_public_type_redacts_secrets() {
    let hpay_builder = HostPay::builder().api_key(API_KEY).secret_key(SECRET_KEY);
    assert_redacted("HostPayBuilder", &format!("{hpay_builder:?}"));
    let hpay = hpay_builder.base_url("http://127.0.0.1:9").build().unwrap();
    assert_redacted("HostPay", &format!("{hpay:?}"));
    assert!(format!("{hpay:?}").contains("[redacted]"));
    assert_redacted("hpay raw client", &format!("{:?}", hpay.raw()));
    let update = hpay
        .update_user("user_abc123")
        .app_user_id(1)
        .name("J")
        .phone_number("+23279123456");
    assert_redacted("hpay UpdateUser", &format!("{update:?}"));
    assert_redacted("hpay GetUser", &format!("{:?}", hpay.get_user("u")));

    let payabli_builder = Payabli::builder().token(TOKEN);
    assert_redacted("PayabliBuilder", &format!("{payabli_builder:?}"));
    let payabli = payabli_builder.build().unwrap();
    assert_redacted("Payabli", &format!("{payabli:?}"));
    assert_redacted("payabli raw client", &format!("{:?}", payabli.raw()));
    let update = payabli.update_user(1).password("hunter2-pwd").name("S");
    let shown = format!("{update:?}");
    assert_redacted("payabli UpdateUser", &shown);
    assert!(shown.contains("[redacted]"), "{shown}");
    let body = update.to_request().unwrap();
    assert_redacted("UserData", &format!("{body:?}"));
    // ... while the wire body does carry the password.
    assert_eq!(serde_json::to_value(&body).unwrap()["pwd"], "hunter2-pwd");
    assert_redacted("GetUser", &format!("{:?}", payabli.get_user(1)));
    let auth = payusers::transport::Auth::new()
        .header("api-key", API_KEY.into())
        .unwrap();
    assert_redacted("Auth", &format!("{auth:?}"));

    // A base URL embedding a password is refused at `build()`; printed
    // before, the builder does not show it either.
    let url = format!("https://user:{SECRET_KEY}@api.example.com");
    let builder = HostPay::builder()
        .api_key(API_KEY)
        .secret_key(SECRET_KEY)
        .base_url(&url);
    let shown = format!("{builder:?}");
    assert_redacted("HostPayBuilder with user info", &shown);
    assert!(shown.contains(r#"Url("[redacted]")"#), "{shown}");
    assert!(builder.build().is_err());
    let shown = format!(
        "{:?}",
        HostPay::builder().base_url("https://api.example.com")
    );
    assert!(
        shown.contains(r#"Url("https://api.example.com")"#),
        "{shown}"
    );
}

#[test]
fn missing_credentials_fail_at_build_time_naming_the_setting() {
    let err = HostPay::builder().secret_key("s").build().unwrap_err();
    assert!(
        matches!(
            err,
            Error::Config {
                setting: "api_key",
                ..
            }
        ),
        "{err:?}"
    );
    let err = HostPay::builder()
        .api_key("k")
        .secret_key("  ")
        .build()
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Config {
                setting: "secret_key",
                ..
            }
        ),
        "{err:?}"
    );
    let err = Payabli::builder().build().unwrap_err();
    assert!(
        matches!(
            err,
            Error::Config {
                setting: "token",
                ..
            }
        ),
        "{err:?}"
    );
    let err = Payabli::builder().token("bad\nvalue").build().unwrap_err();
    assert!(err.to_string().contains("header"), "{err}");
    assert_redacted("config error", &format!("{err} {err:?}"));
}

#[test]
fn credentials_come_from_the_environment() {
    // The only test in this binary that touches these variables.
    unsafe {
        std::env::remove_var("HOST_PAY_API_KEY");
        std::env::remove_var("HOST_PAY_SECRET_KEY");
        std::env::remove_var("HOST_PAY_BASE_URL");
        std::env::remove_var("PAYABLI_API_TOKEN");
        std::env::remove_var("PAYABLI_BASE_URL");
    }
    let err = HostPay::from_env().unwrap_err();
    assert!(
        matches!(
            err,
            Error::Config {
                setting: "HOST_PAY_API_KEY",
                ..
            }
        ),
        "{err:?}"
    );
    unsafe { std::env::set_var("HOST_PAY_API_KEY", API_KEY) };
    let err = HostPay::from_env().unwrap_err();
    assert!(err.to_string().contains("HOST_PAY_SECRET_KEY"), "{err}");
    unsafe { std::env::set_var("HOST_PAY_SECRET_KEY", SECRET_KEY) };
    assert_eq!(
        HostPay::from_env().unwrap().base_url(),
        "https://hpay-api.host-sl.com"
    );
    // An override that is not UTF-8 is an error, never production instead.
    {
        use std::os::unix::ffi::OsStringExt;
        let bytes = b"http://127.0.0.1:4010/\xff".to_vec();
        unsafe { std::env::set_var("HOST_PAY_BASE_URL", std::ffi::OsString::from_vec(bytes)) };
        let err = HostPay::from_env().unwrap_err();
        assert!(
            matches!(
                err,
                Error::Config {
                    setting: "HOST_PAY_BASE_URL",
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("not valid UTF-8"), "{err}");
    }
    unsafe { std::env::set_var("HOST_PAY_BASE_URL", "http://127.0.0.1:4010/hpay") };
    assert_eq!(
        HostPay::from_env().unwrap().base_url(),
        "http://127.0.0.1:4010/hpay"
    );
    // The variable's URL replaces a chosen sandbox's, not its rule: a live
    // secret key is still refused for it.
    use payusers::hpay::Environment as HpayEnv;
    let sandbox = || HostPay::builder().environment(HpayEnv::Sandbox);
    let client = sandbox().from_env().unwrap().build().unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:4010/hpay");
    unsafe { std::env::set_var("HOST_PAY_SECRET_KEY", "hpay_live_key_0c1") };
    let err = sandbox().from_env().unwrap().build().unwrap_err();
    assert!(
        err.to_string()
            .contains("`sandbox` environment needs a key starting `hpay_test_`"),
        "{err}"
    );
    assert!(!err.to_string().contains("hpay_live_key_0c1"), "{err}");
    // Whichever comes first: the environment named after `from_env`
    // still gets the variable's URL, and still its rule.
    let err = HostPay::builder()
        .from_env()
        .unwrap()
        .environment(HpayEnv::Sandbox)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("`sandbox` environment"), "{err}");
    // A URL set by hand is a choice of its own, before or after.
    for client in [
        sandbox()
            .from_env()
            .unwrap()
            .base_url("http://127.0.0.1:4011")
            .build(),
        HostPay::builder()
            .base_url("http://127.0.0.1:4011")
            .from_env()
            .unwrap()
            .build(),
    ] {
        assert_eq!(client.unwrap().base_url(), "http://127.0.0.1:4011");
    }
    unsafe { std::env::set_var("HOST_PAY_SECRET_KEY", SECRET_KEY) };
    let client = HostPay::builder()
        .from_env()
        .unwrap()
        .environment(HpayEnv::Sandbox)
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:4010/hpay");

    assert!(
        Payabli::from_env()
            .unwrap_err()
            .to_string()
            .contains("PAYABLI_API_TOKEN")
    );
    unsafe { std::env::set_var("PAYABLI_API_TOKEN", TOKEN) };
    assert_eq!(
        Payabli::from_env().unwrap().base_url(),
        "https://api-sandbox.payabli.com/api"
    );
}

fn is_base_url_error(err: &Error) -> bool {
    matches!(
        err,
        Error::Config {
            setting: "base_url",
            ..
        }
    )
}

#[test]
fn custom_urls_must_be_https_unless_loopback() {
    for url in [
        "http://hpay-api.host-sl.com",
        "http://10.0.0.1",
        "ftp://x.example",
        "nonsense",
    ] {
        let err = HostPay::builder()
            .api_key("k")
            .secret_key("s")
            .base_url(url)
            .build()
            .unwrap_err();
        assert!(is_base_url_error(&err), "{url}: {err:?}");
        let err = Payabli::builder()
            .token("t")
            .base_url(url)
            .build()
            .unwrap_err();
        assert!(is_base_url_error(&err), "{url}: {err:?}");
    }
    for url in [
        "https://proxy.example/hpay",
        "http://127.0.0.1:4010/hpay",
        "http://localhost:1",
        "http://[::1]:2",
    ] {
        assert!(
            HostPay::builder()
                .api_key("k")
                .secret_key("s")
                .base_url(url)
                .build()
                .is_ok(),
            "{url}"
        );
    }
    use payusers::payabli::Environment;
    let prod = Payabli::builder()
        .token("t")
        .environment(Environment::Production)
        .build()
        .unwrap();
    assert_eq!(prod.base_url(), "https://api.payabli.com/api");
}

fn validation(err: Error) -> (&'static str, String) {
    match err {
        Error::Validation {
            field,
            rule,
            context,
        } => {
            assert_eq!(context.attempts, 0, "nothing may be sent");
            (field, rule)
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn hpay_validation_names_field_and_rule() {
    let hpay = HostPay::builder()
        .api_key("k")
        .secret_key("s")
        .build()
        .unwrap();
    let base = || hpay.update_user("user_abc123");
    let cases = [
        (
            base().name("J").phone_number("+23279123456").to_request(),
            "app_user_id",
            "required",
        ),
        (
            base()
                .app_user_id(1)
                .phone_number("+23279123456")
                .to_request(),
            "name",
            "required",
        ),
        (
            base()
                .app_user_id(1)
                .name("")
                .phone_number("+23279123456")
                .to_request(),
            "name",
            "shorter than 1",
        ),
        (
            base().app_user_id(1).name("J").to_request(),
            "phone_number",
            "required",
        ),
        (
            base()
                .app_user_id(1)
                .name("J")
                .phone_number("23279123456")
                .to_request(),
            "phone_number",
            "international",
        ),
        (
            base()
                .app_user_id(1)
                .name("J")
                .phone_number("+123")
                .to_request(),
            "phone_number",
            "7 to 15",
        ),
        (
            base()
                .app_user_id(1)
                .name("J")
                .phone_number("+1234567890123456")
                .to_request(),
            "phone_number",
            "international",
        ),
        (
            base()
                .app_user_id(1)
                .name("J")
                .phone_number("+23279123456")
                .email("john@")
                .to_request(),
            "email",
            "email address",
        ),
    ];
    for (result, field, rule_part) in cases {
        let (got_field, rule) = validation(result.unwrap_err());
        assert_eq!(got_field, field);
        assert!(rule.contains(rule_part), "{field}: {rule}");
    }
    // The spec says `minLength: 1`, nothing more: a name of one space is valid.
    assert!(
        base()
            .app_user_id(1)
            .name(" ")
            .phone_number("+23279123456")
            .to_request()
            .is_ok()
    );
}

#[test]
fn payabli_validation_names_field_and_rule() {
    let payabli = Payabli::builder().token("t").build().unwrap();
    let long_email = format!("{}@example.com", "a".repeat(320));
    let cases = [
        (
            payabli.update_user(1).email(long_email).to_request(),
            "email",
            "320",
        ),
        (
            payabli.update_user(1).email("not-an-email").to_request(),
            "email",
            "email address",
        ),
        (
            payabli.update_user(1).phone("5".repeat(51)).to_request(),
            "phone",
            "50",
        ),
        (
            payabli
                .update_user(1)
                .additional_data("k", "v".repeat(101))
                .to_request(),
            "additionalData",
            "100",
        ),
        (
            payabli.update_user(1).time_zone(-13).to_request(),
            "timeZone",
            "between -12 and 14",
        ),
        (
            payabli.update_user(1).time_zone(15).to_request(),
            "timeZone",
            "between -12 and 14",
        ),
    ];
    for (result, field, rule_part) in cases {
        let (got_field, rule) = validation(result.unwrap_err());
        assert_eq!(got_field, field);
        assert!(rule.contains(rule_part), "{field}: {rule}");
    }
    // The edges are fine, and enums cannot carry a wrong value.
    let ok = payabli
        .update_user(1)
        .email(format!("{}@{}.example.com", "a".repeat(64), "b".repeat(63)))
        .phone("5".repeat(50))
        .time_zone(-12)
        .status(UserStatus::Deleted)
        .language(Language::Es)
        .to_request()
        .unwrap();
    let json = serde_json::to_value(&ok).unwrap();
    assert_eq!(json["usrStatus"], -99);
    assert_eq!(json["language"], "es");
    assert_eq!("locked".parse::<UserStatus>().unwrap(), UserStatus::Locked);
    assert!("frozen".parse::<UserStatus>().is_err());
}

#[tokio::test]
async fn a_callers_user_agent_is_kept_and_ours_appended() {
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let s = seen.clone();
    let addr = serve(
        axum::Router::new().fallback(move |headers: axum::http::HeaderMap| {
            let s = s.clone();
            async move {
                s.lock().unwrap().push(
                    headers
                        .get("user-agent")
                        .map(|v| v.to_str().unwrap().to_string()),
                );
                axum::Json(user_json())
            }
        }),
    )
    .await;
    let ours = HostPay::builder()
        .api_key(API_KEY)
        .secret_key(SECRET_KEY)
        .base_url(format!("http://{addr}"))
        .user_agent("myapp/1.2")
        .build()
        .unwrap();
    ours.get_user("user_abc123").send().await.unwrap();
    let theirs = HostPay::builder()
        .api_key(API_KEY)
        .secret_key(SECRET_KEY)
        .base_url(format!("http://{addr}"))
        .http_client(
            payusers::http_client_builder()
                .user_agent("their-client/9")
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    theirs.get_user("user_abc123").send().await.unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(
        seen[0].as_deref(),
        Some(format!("myapp/1.2 {}", payusers::USER_AGENT).as_str())
    );
    assert_eq!(
        seen[1].as_deref(),
        Some("their-client/9"),
        "a caller's client keeps its agent"
    );
}
