//! Benchmarks: local validation cost and a full update round trip through
//! the facade against the embedded mock on loopback.
//!
//! Run with `cargo bench --bench facade` or `cargo xtask bench`.

use criterion::{Criterion, criterion_group, criterion_main};
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

criterion_group!(benches, validation, round_trip);
criterion_main!(benches);
