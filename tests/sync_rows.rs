//! `sync`'s two ways of reading a JSON Lines row agree: the typed fast path
//! for the common hPay shape answers exactly as the general path (row, key,
//! digest), and takes the common shape itself.
#![cfg(feature = "cli")]

#[path = "fuzz/harness.rs"]
mod harness;

use payusers::batch::fast;
use payusers::batch::input::general_jsonl_row;
use payusers::batch::rows::Row;
use payusers::batch::{ProviderArg, SyncOp};
use proptest::prelude::*;

/// A JSON value of any kind, as text, biased to what hPay rows hold.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => any::<String>().prop_map(|s| serde_json::to_string(&s).unwrap()),
        2 => "[ a-z0-9+\\\\\"é\u{1F600}]{0,12}".prop_map(|s| serde_json::to_string(&s).unwrap()),
        3 => any::<i64>().prop_map(|n| n.to_string()),
        1 => any::<u64>().prop_map(|n| n.to_string()),
        1 => Just("-0".to_string()),
        1 => any::<f64>().prop_map(|f| serde_json::to_string(&f).unwrap()),
        1 => Just("1.0".to_string()),
        1 => Just("1e2".to_string()),
        2 => any::<bool>().prop_map(|b| b.to_string()),
        1 => Just("null".to_string()),
        1 => Just("[1,\"a\"]".to_string()),
        1 => Just("{\"a\":1}".to_string()),
        // A string with escapes the canonical form writes differently.
        1 => Just("\"\\u0041\\/b\"".to_string()),
    ]
}

/// A field name: mostly hPay's, sometimes a stranger or an escaped one.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::sample::select(vec![
            "user_id", "app_user_id", "name", "phone_number", "email", "username", "is_active",
        ])
        .prop_map(str::to_string),
        1 => Just("nmae".to_string()),
        1 => Just("user\\u005fid".to_string()),
    ]
}

fn op() -> impl Strategy<Value = SyncOp> {
    prop::sample::select(vec![SyncOp::Create, SyncOp::Update, SyncOp::Delete])
}

/// A line: a JSON object of some fields (repeats allowed), odd spacing;
/// sometimes the same values as an array (which a derived struct would
/// read by position).
fn line() -> impl Strategy<Value = String> {
    (
        prop::collection::vec((name(), value()), 0..9),
        prop::sample::select(vec!["", " ", "\t"]),
        prop::bool::weighted(0.15),
    )
        .prop_map(|(fields, space, array)| {
            if array {
                let values: Vec<&str> = fields.iter().map(|(_, v)| v.as_str()).collect();
                return format!("[{space}{}{space}]", values.join(","));
            }
            let body: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("\"{k}\"{space}:{space}{v}"))
                .collect();
            format!("{{{space}{}{space}}}", body.join(","))
        })
}

/// A JSON string as text: as serde_json writes it, or with escapes it
/// would not write (the canonical form differs from the line).
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => any::<String>().prop_map(|s| serde_json::to_string(&s).unwrap()),
        1 => Just(r#""\u0041\/b""#.to_string()),
        1 => Just(r#""\ud83d\ude00 \t""#.to_string()),
        1 => Just(r#""  u7 ""#.to_string()),
        1 => Just(r#""""#.to_string()),
    ]
}

/// A user id the fast path takes: not blank, no space around it (those go
/// the general way, which trims or refuses them).
fn plain_id() -> impl Strategy<Value = String> {
    text().prop_filter("a blank id, or one with space around it", |text| {
        let id: String = serde_json::from_str(text).unwrap();
        !id.is_empty() && id.trim() == id
    })
}

/// A line of the common shape for `op`, with arbitrary text in its strings.
fn common(op: SyncOp) -> impl Strategy<Value = String> {
    (
        plain_id(),
        any::<i64>(),
        text(),
        text(),
        prop::option::of(text()),
        prop::option::of(any::<bool>()),
        any::<bool>(),
    )
        .prop_map(move |(id, app, name, phone, email, active, reverse)| {
            let mut fields = match op {
                SyncOp::Delete => vec![("user_id", id.clone())],
                _ => vec![
                    ("app_user_id", app.to_string()),
                    ("name", name),
                    ("phone_number", phone),
                ],
            };
            if op == SyncOp::Update {
                fields.push(("user_id", id));
            }
            if op != SyncOp::Delete {
                if let Some(email) = email {
                    fields.push(("email", email));
                }
                if let Some(active) = active {
                    fields.push(("is_active", active.to_string()));
                }
            }
            if reverse {
                fields.reverse();
            }
            let body: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("\"{k}\": {v}"))
                .collect();
            format!("{{{}}}", body.join(", "))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_line_reads_the_same_either_way(op in op(), line in line()) {
        harness::same_either_way(line.as_bytes(), ProviderArg::Hpay, op);
    }

    #[test]
    fn the_common_shape_takes_the_fast_path(
        (op, line) in op().prop_flat_map(|op| (Just(op), common(op)))
    ) {
        let fast = fast::hpay(op, line.as_bytes());
        prop_assert!(fast.is_some(), "not taken fast: {line}");
        let (id, digest, row) = fast.unwrap();
        let general = general_jsonl_row(1, line.as_bytes(), ProviderArg::Hpay, op);
        prop_assert_eq!(id, general.id);
        prop_assert_eq!(digest, general.digest);
        match general.row {
            Ok(Row::Hpay(expected)) => prop_assert_eq!(row, expected),
            other => prop_assert!(false, "the general path read {other:?}"),
        }
    }
}

#[test]
fn the_fast_path_leaves_what_it_does_not_own() {
    // (operation, line, what the general path makes of it)
    for (op, line, fails) in [
        (
            SyncOp::Update,
            r#"{"user_id":"u1","app_user_id":1,"name":"A"}"#,
            true,
        ),
        (
            SyncOp::Update,
            r#"{"user_id":"u1","app_user_id":1.0,"name":"A","phone_number":"+1"}"#,
            true,
        ),
        (
            SyncOp::Create,
            r#"{"user_id":"u1","app_user_id":1,"name":"A","phone_number":"+1"}"#,
            true,
        ),
        (SyncOp::Delete, r#"{"user_id":"u1","name":"A"}"#, true),
        (
            SyncOp::Update,
            r#"{"user_id":"u1","app_user_id":1,"name":"A","phone_number":"+1","x":1}"#,
            true,
        ),
        // A null is no value, but part of the row's content (its digest).
        (
            SyncOp::Update,
            r#"{"user_id":"u1","app_user_id":1,"name":"A","phone_number":"+1","email":null}"#,
            false,
        ),
        // Not an object, though a derived struct reads it by position.
        (SyncOp::Create, r#"[3,"e@x",true,"N","+1"]"#, true),
        (SyncOp::Update, r#"[3,"e@x",true,"N","+1","u1"]"#, true),
        // A repeated key: a row that says two things is refused.
        (
            SyncOp::Update,
            r#"{"user_id":"u1","user_id":"u2","app_user_id":1,"name":"A","phone_number":"+1"}"#,
            true,
        ),
        // Space around the id: sent trimmed. A blank id: refused.
        (SyncOp::Delete, r#"{"user_id":" u1\t"}"#, false),
        (SyncOp::Delete, r#"{"user_id":" "}"#, true),
        (SyncOp::Delete, r#"{"user_id":""}"#, true),
    ] {
        assert!(fast::hpay(op, line.as_bytes()).is_none(), "{line}");
        let general = general_jsonl_row(1, line.as_bytes(), ProviderArg::Hpay, op);
        assert_eq!(general.row.is_err(), fails, "{line}: {:?}", general.row);
    }
}
