//! Property tests: whatever a valid builder produces, the spec's own schema
//! (the one the clients are generated from) accepts.

use payusers::generated::SPEC_JSON;
use payusers::payabli::{Language, UserStatus};
use payusers::{HostPay, Payabli};
use proptest::prelude::*;

static HPAY_REQUEST: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
static PAYABLI_USER_DATA: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
static ACME_NEW_WIDGET: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
static RULES_THING: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();

/// Compiled once per component: the proptest cases share it.
fn validator(module: &'static str, component: &'static str) -> &'static jsonschema::Validator {
    let cell = match (module, component) {
        ("hpay", "UpdateUserRequest") => &HPAY_REQUEST,
        ("payabli", "UserData") => &PAYABLI_USER_DATA,
        ("acme", "NewWidget") => &ACME_NEW_WIDGET,
        ("rules", "Thing") => &RULES_THING,
        other => panic!("no cached validator for {other:?}"),
    };
    cell.get_or_init(|| compile(module, component))
}

fn compile(module: &str, component: &str) -> jsonschema::Validator {
    let (_, json) = SPEC_JSON.iter().find(|(m, _)| *m == module).unwrap();
    let spec: serde_json::Value = serde_json::from_str(json).unwrap();
    let schema = payusers::spec_schema::component(&spec, component).unwrap();
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn email() -> impl Strategy<Value = String> {
    "[a-z0-9]{1,20}(\\.[a-z0-9]{1,10})?@[a-z0-9]{1,15}\\.(com|org|sl|co\\.uk)"
}

/// Building a client loads the TLS roots: do it once, not per case.
fn hpay_client() -> &'static HostPay {
    static CLIENT: std::sync::OnceLock<HostPay> = std::sync::OnceLock::new();
    CLIENT.get_or_init(|| {
        HostPay::builder()
            .api_key("k")
            .secret_key("s")
            .build()
            .unwrap()
    })
}

fn payabli_client() -> &'static Payabli {
    static CLIENT: std::sync::OnceLock<Payabli> = std::sync::OnceLock::new();
    CLIENT.get_or_init(|| Payabli::builder().token("t").build().unwrap())
}

/// Strings that look a bit like emails: the local validator must never
/// accept one the spec's `format: email` refuses.
fn email_like() -> impl Strategy<Value = String> {
    "[a-z0-9._()\\-+\"@ ]{0,12}@[a-z0-9._\\-]{0,12}"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn an_email_the_facade_accepts_the_spec_accepts(candidate in prop_oneof![email_like(), email(), ".{0,30}"]) {
        let payabli = payabli_client();
        if let Ok(body) = payabli.update_user(1).email(candidate.clone()).to_request() {
            let body = serde_json::to_value(body).unwrap();
            let errors: Vec<String> =
                validator("payabli", "UserData").iter_errors(&body).map(|e| e.to_string()).collect();
            prop_assert!(errors.is_empty(), "{candidate:?} passed locally but not the spec: {errors:?}");
        }
        let hpay = hpay_client();
        let update = hpay.update_user("u").app_user_id(1).name("N").phone_number("+23279123456");
        if let Ok(body) = update.email(candidate.clone()).to_request() {
            let body = serde_json::to_value(body).unwrap();
            let errors: Vec<String> =
                validator("hpay", "UpdateUserRequest").iter_errors(&body).map(|e| e.to_string()).collect();
            prop_assert!(errors.is_empty(), "{candidate:?} passed locally but not the spec: {errors:?}");
        }
    }

    #[test]
    fn valid_hpay_updates_match_the_spec(
        app_user_id in any::<i64>(),
        name in "[A-Za-z][A-Za-z .'-]{0,40}",
        phone in "\\+[0-9]{7,15}",
        email in proptest::option::of(email()),
        username in proptest::option::of("[a-z0-9_]{1,20}"),
        active in proptest::option::of(any::<bool>()),
    ) {
        let hpay = hpay_client();
        let mut update = hpay.update_user("user_abc123").app_user_id(app_user_id).name(name).phone_number(phone);
        if let Some(e) = email { update = update.email(e); }
        if let Some(u) = username { update = update.username(u); }
        if let Some(a) = active { update = update.active(a); }
        let body = serde_json::to_value(update.to_request().unwrap()).unwrap();
        let v = validator("hpay", "UpdateUserRequest");
        let errors: Vec<String> = v.iter_errors(&body).map(|e| e.to_string()).collect();
        prop_assert!(errors.is_empty(), "{body} -> {errors:?}");
    }

    #[test]
    fn phones_without_plus_are_always_refused(phone in "[0-9]{7,15}") {
        let hpay = hpay_client();
        let err = hpay.update_user("u").app_user_id(1).name("N").phone_number(phone).to_request().unwrap_err();
        let is_phone_error = matches!(err, payusers::Error::Validation { field: "phone_number", .. });
        prop_assert!(is_phone_error, "unexpected error: {}", err);
    }

    #[test]
    fn valid_payabli_updates_match_the_spec(
        name in proptest::option::of(".{0,60}"),
        email in proptest::option::of(email()),
        phone in proptest::option::of("[0-9 +()-]{0,50}"),
        status in proptest::option::of(prop_oneof![
            Just(UserStatus::Inactive), Just(UserStatus::Active), Just(UserStatus::Deleted), Just(UserStatus::Locked)
        ]),
        tz in proptest::option::of(-12i32..=14),
        spanish in proptest::option::of(any::<bool>()),
        extra in proptest::collection::btree_map("[a-z]{1,8}", ".{0,100}", 0..4),
        scope in proptest::collection::vec((0i32..5, any::<i64>()), 0..3),
        access in proptest::collection::vec(("[a-z]{1,12}", any::<bool>()), 0..3),
        mfa in proptest::option::of((any::<bool>(), 0i32..3)),
        pwd in proptest::option::of(".{1,30}"),
    ) {
        let payabli = payabli_client();
        let mut u = payabli.update_user(1000000);
        if let Some(v) = name { u = u.name(v); }
        if let Some(v) = email { u = u.email(v); }
        if let Some(v) = phone { u = u.phone(v); }
        if let Some(v) = status { u = u.status(v); }
        if let Some(v) = tz { u = u.time_zone(v); }
        if let Some(es) = spanish { u = u.language(if es { Language::Es } else { Language::En }); }
        for (k, v) in extra { u = u.additional_data(k, v); }
        for (t, id) in scope { u = u.scope(t, id); }
        for (role, granted) in access { u = u.access(role, granted); }
        if let Some((on, mode)) = mfa { u = u.mfa(on, mode); }
        if let Some(p) = pwd { u = u.password(p); }
        let body = serde_json::to_value(u.to_request().unwrap()).unwrap();
        let v = validator("payabli", "UserData");
        let errors: Vec<String> = v.iter_errors(&body).map(|e| e.to_string()).collect();
        prop_assert!(errors.is_empty(), "{body} -> {errors:?}");
    }
}

/// What the spec says of one body: valid or not.
fn spec_accepts(module: &'static str, component: &'static str, body: &serde_json::Value) -> bool {
    validator(module, component).is_valid(body)
}

/// An `xn--` (IDNA) label: the server judges those; see `validate::email`.
fn has_idna_label(email: &str) -> bool {
    email.rsplit_once('@').is_some_and(|(_, domain)| {
        domain
            .split('.')
            .any(|l| l.to_ascii_lowercase().starts_with("xn--"))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Local checks equal the spec's rules: nothing valid is refused, nothing
    /// invalid is let through.
    #[test]
    fn local_email_checks_equal_the_spec(candidate in prop_oneof![
        email_like(), email(), ".{0,30}", "\"[a-z ]{0,6}\"@[a-z]{1,6}(\\.[a-z]{1,4})?",
        "[a-z]{1,5}@\\[(127\\.0\\.0\\.1|IPv6:::1|300\\.1\\.1\\.1)\\]",
    ]) {
        prop_assume!(!has_idna_label(&candidate));
        let spec = spec_accepts("payabli", "UserData", &serde_json::json!({"email": candidate}));
        let local = payabli_client().update_user(1).email(candidate.clone()).to_request().is_ok();
        prop_assert_eq!(local, spec, "payabli {:?}", candidate);
        let body = serde_json::json!({"app_user_id": 1, "name": "N", "phone_number": "+23279123456", "email": candidate});
        let spec = spec_accepts("hpay", "UpdateUserRequest", &body);
        let local = hpay_client()
            .update_user("u").app_user_id(1).name("N").phone_number("+23279123456")
            .email(candidate.clone()).to_request().is_ok();
        prop_assert_eq!(local, spec, "hpay {:?}", candidate);
    }

    #[test]
    fn local_hpay_name_and_phone_checks_equal_the_spec(
        name in "[ a-zA-Z]{0,4}|.{0,3}",
        phone in "\\+?[0-9 ]{0,17}|.{0,4}",
    ) {
        let body = serde_json::json!({"app_user_id": 1, "name": name, "phone_number": phone});
        let spec = spec_accepts("hpay", "UpdateUserRequest", &body);
        let local = hpay_client()
            .update_user("u").app_user_id(1).name(name.clone()).phone_number(phone.clone())
            .to_request().is_ok();
        prop_assert_eq!(local, spec, "name {:?}, phone {:?}", name, phone);
    }

    #[test]
    fn local_payabli_field_checks_equal_the_spec(
        phone in ".{45,55}|[0-9]{0,3}",
        value in ".{95,105}|.{0,2}",
        tz in -20i32..=20,
    ) {
        let payabli = payabli_client();
        let spec = spec_accepts("payabli", "UserData", &serde_json::json!({"phone": phone}));
        prop_assert_eq!(payabli.update_user(1).phone(phone.clone()).to_request().is_ok(), spec, "phone {:?}", phone);
        let spec = spec_accepts("payabli", "UserData", &serde_json::json!({"additionalData": {"k": value}}));
        prop_assert_eq!(payabli.update_user(1).additional_data("k", value.clone()).to_request().is_ok(), spec, "value {:?}", value);
        let spec = spec_accepts("payabli", "UserData", &serde_json::json!({"timeZone": tz}));
        prop_assert_eq!(payabli.update_user(1).time_zone(tz).to_request().is_ok(), spec, "timeZone {}", tz);
        // The spec's optional members may be left out.
        let spec = spec_accepts("payabli", "UserData", &serde_json::json!({"scope": [{"orgId": 1}], "mfaData": {"mfa": true}}));
        prop_assert!(spec);
        prop_assert!(payabli.update_user(1).scope(None, 1).mfa(true, None).to_request().is_ok());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// The checks generated from a spec nobody wrote Rust for (an email,
    /// an exclusive maximum, list sizes, a step, a nested object's email,
    /// a map's values) accept exactly what the spec's schema accepts.
    #[test]
    fn generated_checks_equal_the_spec(
        size in proptest::option::of(prop_oneof![1u32..1100, 995u32..1005]),
        contact in proptest::option::of(prop_oneof![email(), email_like()]),
        parts in proptest::collection::vec(
            (-3i64..12, proptest::option::of(prop_oneof![email(), email_like()])),
            0..5,
        ),
        labels in proptest::collection::btree_map("[a-c]", 0i64..12, 0..3),
    ) {
        use payusers::generated::acme::types::{NewWidget, Part};
        let emails = contact.iter().chain(parts.iter().filter_map(|(_, s)| s.as_ref()));
        prop_assume!(!emails.into_iter().any(|e| has_idna_label(e)));
        let body = NewWidget {
            name: "W".try_into().unwrap(),
            size: size.and_then(std::num::NonZeroU32::new),
            contact,
            parts: parts.into_iter().map(|(count, supplier)| Part { count, supplier }).collect(),
            labels,
        };
        let json = serde_json::to_value(&body).unwrap();
        let spec = spec_accepts("acme", "NewWidget", &json);
        let local = payusers::core::Check::check(&body);
        prop_assert_eq!(local.is_ok(), spec, "{} -> {:?}", json, local);
    }
}

/// A JSON integer near the interesting bounds of `tests/specs/rules.yaml`.
fn near_bounds() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        (-3i64..9).prop_map(serde_json::Value::from),
        (9_007_199_254_740_990i64..9_007_199_254_740_995).prop_map(serde_json::Value::from),
        (95i64..106).prop_map(serde_json::Value::from),
    ]
}

/// An email, an almost-email, or another kind of value.
fn email_value() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        email().prop_map(serde_json::Value::from),
        email_like().prop_map(serde_json::Value::from),
    ]
}

/// Bodies for `rules::types::Thing`, valid and not, each field absent or not.
fn thing() -> impl Strategy<Value = serde_json::Value> {
    use proptest::collection::{btree_map, vec};
    use proptest::option::of;
    let a = of(of(near_bounds()).prop_map(|n| match n {
        Some(n) => serde_json::json!({"n": n}),
        None => serde_json::json!({}),
    }));
    let tags = of(vec(email_value(), 0..5).prop_map(serde_json::Value::from));
    let pair = of(vec(email_value(), 2..=2).prop_map(serde_json::Value::from));
    let labels = of(btree_map("[a-c]", near_bounds(), 0..3)
        .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())));
    let extra = of(btree_map("[a-c]", near_bounds(), 0..3)
        .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())));
    (
        a,
        tags,
        pair,
        labels,
        of(near_bounds()),
        of(near_bounds()),
        of(near_bounds()),
        extra,
    )
        .prop_map(|(a, tags, pair, labels, count, big, step, extra)| {
            let fields = [
                ("a", a),
                ("tags", tags),
                ("pair", pair),
                ("labels", labels),
                ("count", count),
                ("big", big),
                ("step", step),
                ("extra", extra),
            ];
            serde_json::Value::Object(
                fields
                    .into_iter()
                    .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
                    .collect(),
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    /// On every shape `codegen/checks.rs` walks into (rules from two `allOf`
    /// members, typify's newtypes for named lists, maps and numbers, a
    /// fixed-size list, a flattened map, a float bound past 2^53, a step
    /// written `2.0`), a body the generated types can hold is accepted by
    /// its generated check exactly when the spec's schema accepts it as sent.
    #[test]
    fn generated_checks_equal_the_spec_on_every_shape(body in thing()) {
        use payusers::generated::rules::types::Thing;
        let emails = ["tags", "pair"]
            .iter()
            .filter_map(|k| body.get(*k).and_then(|v| v.as_array()))
            .flatten()
            .filter_map(|v| v.as_str());
        prop_assume!(!emails.into_iter().any(has_idna_label));
        // A body the types refuse (a count of 1 for a `NonZeroU64`, say) is
        // refused before any check; only what they hold is compared.
        let Ok(thing) = serde_json::from_value::<Thing>(body.clone()) else {
            return Ok(());
        };
        let sent = serde_json::to_value(&thing).unwrap();
        let spec = spec_accepts("rules", "Thing", &sent);
        let local = payusers::core::Check::check(&thing);
        prop_assert_eq!(local.is_ok(), spec, "{} (sent {}) -> {:?}", body, sent, local);
    }
}
