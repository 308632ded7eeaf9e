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

criterion_group!(benches, validation, round_trip, mock_throughput);
criterion_main!(benches);
