//! Benchmarks: local validation cost and a full update round trip through
//! the facade against the embedded mock on loopback.
//!
//! Run with `cargo bench --bench facade` or `cargo xtask bench`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use payusers::payabli::{Language, UserStatus};
use std::hint::black_box;

fn validation(c: &mut Criterion) {
    let hpay = payusers::HostPay::builder()
        .api_key("k")
        .secret_key("s")
        .build()
        .unwrap();
    let payabli = payusers::Payabli::builder().token("t").build().unwrap();
    c.bench_function("hpay/to_request", |b| {
        b.iter(|| {
            hpay.update_user(black_box("user_abc123"))
                .app_user_id(1)
                .name("John Updated Doe")
                .phone_number("+23279123456")
                .email("john.new@example.com")
                .to_request()
                .unwrap()
        })
    });
    c.bench_function("payabli/to_request", |b| {
        b.iter(|| {
            payabli
                .update_user(black_box(1000000))
                .email("example@email.com")
                .phone("5555555555")
                .status(UserStatus::Locked)
                .language(Language::Es)
                .additional_data("key1", "value1")
                .to_request()
                .unwrap()
        })
    });
}

fn round_trip(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let mock = runtime
        .block_on(payusers::mock::MockServer::start())
        .unwrap();
    let hpay = mock.hpay();
    let payabli = mock.payabli();
    c.bench_function("hpay/update_user over loopback", |b| {
        b.to_async(&runtime).iter(|| async {
            hpay.update_user("user_abc123")
                .app_user_id(1)
                .name("John Updated Doe")
                .phone_number("+23279123456")
                .send()
                .await
                .unwrap()
        })
    });
    c.bench_function("payabli/update_user over loopback", |b| {
        b.to_async(&runtime).iter(|| async {
            payabli
                .update_user(1000000)
                .name("Sean Smith")
                .send()
                .await
                .unwrap()
        })
    });
}

/// The mock under concurrent load: 64 updates in flight per iteration.
fn mock_throughput(c: &mut Criterion) {
    const IN_FLIGHT: u64 = 64;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let mock = runtime
        .block_on(payusers::mock::MockServer::start())
        .unwrap();
    let hpay = mock.hpay().clone();
    let mut group = c.benchmark_group("mock");
    group.throughput(Throughput::Elements(IN_FLIGHT));
    group.bench_function("64 concurrent hpay updates", |b| {
        b.to_async(&runtime).iter(|| {
            let hpay = hpay.clone();
            async move {
                let mut tasks = tokio::task::JoinSet::new();
                for _ in 0..IN_FLIGHT {
                    let hpay = hpay.clone();
                    tasks.spawn(async move {
                        hpay.update_user("user_abc123")
                            .app_user_id(1)
                            .name("John Updated Doe")
                            .phone_number("+23279123456")
                            .send()
                            .await
                            .unwrap()
                    });
                }
                while let Some(done) = tasks.join_next().await {
                    done.unwrap();
                }
            }
        })
    });
    group.finish();
}

/// What the CLI pays to print a listing: every printed answer is passed
/// through the client's redaction (a server may echo a credential). One
/// hundred hPay users as `payusers hpay list --output json` prints them,
/// phone numbers with their `+`, and the same with one name holding an
/// `&` (HTML's escape character, so the text is read as HTML too).
fn redaction(c: &mut Criterion) {
    let hpay = payusers::HostPay::builder()
        .api_key("pk_live_8f14e45fceea167a5a36dedd4bea2543")
        .secret_key("sk_live_c9f0f895fb98ab9159f51fd0297e236d")
        .build()
        .unwrap();
    let users: Vec<serde_json::Value> = (0..100)
        .map(|i| {
            serde_json::json!({
                "id": format!("user_{i:06}"),
                "app_user_id": i,
                "name": format!("Customer Number {i}"),
                "email": format!("customer{i}@example.com"),
                "phone_number": format!("+23279{i:06}"),
                "is_active": true,
                "created_at": "2025-01-15T10:30:00Z",
                "updated_at": "2025-01-18T14:20:00Z",
            })
        })
        .collect();
    let listing = serde_json::to_string(&users).unwrap();
    let ampersand = listing.replacen("Customer Number 7\"", "Smith & Sons\"", 1);
    let mut group = c.benchmark_group("redact");
    group.throughput(Throughput::Elements(users.len() as u64));
    group.bench_function("listing of 100 users", |b| {
        b.iter(|| hpay.redact(black_box(&listing)))
    });
    group.bench_function("listing of 100 users, one name with &", |b| {
        b.iter(|| hpay.redact(black_box(&ampersand)))
    });
    group.finish();
}

criterion_group!(benches, validation, round_trip, mock_throughput, redaction);
criterion_main!(benches);
