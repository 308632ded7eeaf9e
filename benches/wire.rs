//! The facade against the network's floor: throughput and latency of the
//! same hPay update sent six ways to one fixed-response server on loopback.
//!
//! * `ceiling`: reqwest with a pre-serialized body, answer read as bytes —
//!   the most this server takes from one client process;
//! * `hand-written`: what a user writes without us — reqwest, derived serde
//!   structs, `.json()` both ways, `error_for_status`;
//! * `hand-written + our UA`: the same with the `user-agent` header our
//!   clients send, the one header the generated request adds;
//! * `hand-written + UA + timeout`: and with reqwest's per-request timeout,
//!   which bounds every raw generated call (and any production client);
//! * `raw`: the generated client (`hpay.raw().update_user`);
//! * `facade`: `hpay.update_user(..)…send()`, validation, retries, deadline,
//!   tracing and all.
//!
//! A last row, `hand-written vs mock`, sends the hand-written request to the
//! embedded mock (on the same server thread) instead: its ratio is the
//! mock's throughput against the fixed-response server's.
//!
//! Each runs at concurrency 1 and 64, in rounds (each round runs every
//! client once, in an order rotated from round to round); the table gives
//! each one's median req/s over the rounds, p50 and p99 latency (over every
//! request of every round), the client thread's CPU time per request
//! (median over the rounds), and for rates, p50 and CPU the ratio to
//! `hand-written` as the median of each round's own ratio. Pairing within
//! a round keeps the shared machine's slow spells (seconds long) out of
//! the ratios: run as two medians, the `user-agent` row read 0.87× in one
//! run and 0.97–1.02× in others. Short rounds keep each pair close in
//! time: with 15 rounds of 500 ms the bounded client's ratio at
//! concurrency 64 read 0.89–0.95× from run to run, with 100 of 100 ms
//! 0.93–0.95× (and the user-agent row 0.97–0.98× in six runs of six).
//! A hundred rounds of 100 ms by default; run with `cargo bench --bench wire` or
//! `cargo xtask bench`; `WIRE_ROUNDS` and `WIRE_ROUND_MS` change them.

use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const ANSWER: &str = r#"{"id":"user_abc123","app_user_id":1,"name":"John Updated Doe","email":"john.new@example.com","phone_number":"+23279123456","is_active":true,"updated_at":"2025-01-18T14:20:00Z"}"#;
const BODY: &str = r#"{"app_user_id":1,"name":"John Updated Doe","email":"john.new@example.com","phone_number":"+23279123456"}"#;

#[derive(Serialize)]
struct UpdateBody<'a> {
    app_user_id: i64,
    name: &'a str,
    email: &'a str,
    phone_number: &'a str,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct UserAnswer {
    id: String,
    app_user_id: i64,
    name: String,
    email: Option<String>,
    phone_number: String,
    is_active: bool,
    updated_at: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Way {
    Ceiling,
    HandWritten,
    HandAgent,
    HandTimeout,
    Raw,
    Facade,
    Mock,
}

impl Way {
    const ALL: [Way; 7] = [
        Way::Ceiling,
        Way::HandWritten,
        Way::HandAgent,
        Way::HandTimeout,
        Way::Raw,
        Way::Facade,
        Way::Mock,
    ];

    fn name(self) -> &'static str {
        match self {
            Way::Ceiling => "ceiling (bytes)",
            Way::HandWritten => "hand-written reqwest",
            Way::HandAgent => "hand-written + our UA",
            Way::HandTimeout => "hand-written + UA + timeout",
            Way::Raw => "raw generated",
            Way::Facade => "facade",
            Way::Mock => "hand-written vs mock",
        }
    }
}

struct Clients {
    url: String,
    plain: reqwest::Client,
    hpay: payusers::HostPay,
    /// The same user's URL at the embedded mock, and its credentials.
    mock_url: String,
    mock_keys: (String, String),
}

impl Clients {
    async fn once(&self, way: Way) {
        match way {
            Way::Ceiling => {
                let bytes = self
                    .plain
                    .put(&self.url)
                    .header("api-key", "k")
                    .header("secret-key", "s")
                    .header("content-type", "application/json")
                    .body(BODY)
                    .send()
                    .await
                    .unwrap()
                    .bytes()
                    .await
                    .unwrap();
                std::hint::black_box(bytes);
            }
            Way::HandWritten | Way::HandAgent | Way::HandTimeout | Way::Mock => {
                let (url, (api_key, secret_key)) = if way == Way::Mock {
                    (
                        &self.mock_url,
                        (self.mock_keys.0.as_str(), self.mock_keys.1.as_str()),
                    )
                } else {
                    (&self.url, ("k", "s"))
                };
                let mut request = self
                    .plain
                    .put(url)
                    .header("api-key", api_key)
                    .header("secret-key", secret_key);
                if matches!(way, Way::HandAgent | Way::HandTimeout) {
                    // The one header the generated clients add: what it
                    // costs on its own (a seventh header; reqwest copies
                    // each request's headers three times).
                    request = request.header(
                        reqwest::header::USER_AGENT,
                        reqwest::header::HeaderValue::from_static(payusers::USER_AGENT),
                    );
                }
                if way == Way::HandTimeout {
                    // What every raw generated call carries (its bound, set
                    // in `transport::before_send`): reqwest's own timeout.
                    request = request.timeout(payusers::DEFAULT_TIMEOUT);
                }
                let user: UserAnswer = request
                    .json(&UpdateBody {
                        app_user_id: 1,
                        name: "John Updated Doe",
                        email: "john.new@example.com",
                        phone_number: "+23279123456",
                    })
                    .send()
                    .await
                    .unwrap()
                    .error_for_status()
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                std::hint::black_box(user);
            }
            Way::Raw => {
                let body = payusers::hpay::raw::types::UpdateUserRequest {
                    app_user_id: 1,
                    name: "John Updated Doe".try_into().unwrap(),
                    email: Some("john.new@example.com".into()),
                    phone_number: "+23279123456".try_into().unwrap(),
                    username: None,
                    is_active: None,
                };
                let user = self
                    .hpay
                    .raw()
                    .update_user("user_abc123", &body)
                    .await
                    .unwrap();
                std::hint::black_box(user);
            }
            Way::Facade => {
                let user = self
                    .hpay
                    .update_user("user_abc123")
                    .app_user_id(1)
                    .name("John Updated Doe")
                    .phone_number("+23279123456")
                    .email("john.new@example.com")
                    .send()
                    .await
                    .unwrap();
                std::hint::black_box(user);
            }
        }
    }
}

/// CPU time the calling thread has used so far.
fn thread_cpu() -> Duration {
    // SAFETY: `clock_gettime` only writes the `timespec` it is given.
    let t = unsafe {
        let mut t = std::mem::zeroed::<libc::timespec>();
        libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t);
        t
    };
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// The client runtime's worker thread's CPU time so far (read on it: the
/// runtime has one worker, and every request runs there).
async fn worker_cpu() -> Duration {
    tokio::spawn(async { thread_cpu() }).await.unwrap()
}

/// One round's measure.
struct Round {
    rate: f64,
    latencies: Vec<Duration>,
    /// The client thread's CPU time per request.
    cpu: Duration,
}

/// One round: `concurrency` tasks sending back to back for `length`.
async fn round(clients: &Arc<Clients>, way: Way, concurrency: usize, length: Duration) -> Round {
    let stop = Arc::new(AtomicBool::new(false));
    let cpu_before = worker_cpu().await;
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (clients, stop) = (clients.clone(), stop.clone());
        tasks.spawn(async move {
            // Grown as needed: a round at 64 in flight is a few dozen each.
            let mut latencies = Vec::with_capacity(64);
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                clients.once(way).await;
                latencies.push(t.elapsed());
            }
            latencies
        });
    }
    tokio::time::sleep(length).await;
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    while let Some(done) = tasks.join_next().await {
        all.extend(done.unwrap());
    }
    let elapsed = started.elapsed().as_secs_f64();
    let cpu = (worker_cpu().await - cpu_before) / all.len().max(1) as u32;
    Round {
        rate: all.len() as f64 / elapsed,
        latencies: all,
        cpu,
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else to parse.
    let rounds = env_number("WIRE_ROUNDS", 100) as usize;
    let length = Duration::from_millis(env_number("WIRE_ROUND_MS", 100));

    // The server gets its own runtime and thread; the clients another.
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let (mock_tx, mock_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            addr_tx.send(listener.local_addr().unwrap()).unwrap();
            // The embedded mock, on the same server thread, as users run it.
            let mock = payusers::mock::MockServer::start().await.unwrap();
            let c = mock.credentials();
            mock_tx
                .send((
                    mock.hpay_base_url(),
                    c.hpay_api_key.clone(),
                    c.hpay_secret_key.clone(),
                ))
                .unwrap();
            std::mem::forget(mock);
            let app = axum::Router::new().fallback(|| async {
                (
                    [(axum::http::header::CONTENT_TYPE, "application/json")],
                    ANSWER,
                )
            });
            axum::serve(listener, app).await.unwrap();
        });
    });
    let addr = addr_rx.recv().unwrap();
    let (mock_base, mock_api_key, mock_secret_key) = mock_rx.recv().unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let base = format!("http://{addr}");
    let clients = Arc::new(Clients {
        url: format!("{base}/api/v1/users/user_abc123/"),
        plain: reqwest::Client::new(),
        hpay: payusers::HostPay::builder()
            .api_key("k")
            .secret_key("s")
            .base_url(base)
            .build()
            .unwrap(),
        mock_url: format!("{mock_base}/api/v1/users/user_abc123/"),
        mock_keys: (mock_api_key, mock_secret_key),
    });

    // Profiling: `WIRE_PROFILE=facade WIRE_N=2000` runs one way a fixed number
    // of times (for callgrind or perf), `WIRE_CONCURRENCY` at a time (default
    // 1), and prints nothing else.
    if let Ok(name) = std::env::var("WIRE_PROFILE") {
        let way = Way::ALL
            .into_iter()
            .find(|w| w.name().starts_with(name.as_str()))
            .expect(
                "WIRE_PROFILE names a client by a prefix of its row: ceiling, hand-written r, hand-written + o, hand-written + U, raw or facade",
            );
        let n = env_number("WIRE_N", 2000) as usize;
        let concurrency = env_number("WIRE_CONCURRENCY", 1) as usize;
        runtime.block_on(async {
            let cpu_before = worker_cpu().await;
            let mut tasks = tokio::task::JoinSet::new();
            for _ in 0..concurrency {
                let clients = clients.clone();
                tasks.spawn(async move {
                    for _ in 0..n / concurrency {
                        clients.once(way).await;
                    }
                });
            }
            tasks.join_all().await;
            let cpu = worker_cpu().await - cpu_before;
            eprintln!(
                "client CPU per request: {:.2} µs",
                cpu.as_secs_f64() * 1e6 / n as f64
            );
        });
        return;
    }
    println!(
        "wire: {rounds} rounds of {} ms per client and concurrency, alternating; one server thread, one client thread",
        length.as_millis()
    );
    println!(
        "{:<28} {:>5} {:>9} {:>6} {:>9} {:>9} {:>6} {:>9} {:>6}",
        "client", "conc", "req/s", "ratio", "p50", "p99", "ratio", "CPU/req", "ratio"
    );
    for concurrency in [1usize, 64] {
        runtime.block_on(async {
            // Warm every client's connections first.
            for way in Way::ALL {
                round(&clients, way, concurrency, Duration::from_millis(200)).await;
            }
        });
        let mut rates: Vec<Vec<f64>> = vec![Vec::new(); Way::ALL.len()];
        let mut cpus: Vec<Vec<f64>> = vec![Vec::new(); Way::ALL.len()];
        let mut latencies: Vec<Vec<Duration>> = vec![Vec::new(); Way::ALL.len()];
        // Each round's own p50, in µs, for the paired p50 ratio.
        let mut p50s: Vec<Vec<f64>> = vec![Vec::new(); Way::ALL.len()];
        for r in 0..rounds {
            // Rotate the order so no client always goes first.
            for k in 0..Way::ALL.len() {
                let i = (k + r) % Way::ALL.len();
                let mut done = runtime.block_on(round(&clients, Way::ALL[i], concurrency, length));
                done.latencies.sort_unstable();
                p50s[i].push(percentile(&done.latencies, 0.5).as_secs_f64() * 1e6);
                rates[i].push(done.rate);
                cpus[i].push(done.cpu.as_secs_f64() * 1e6);
                latencies[i].extend(done.latencies);
            }
        }
        // Each round's own ratios to hand-written (index 1), before the
        // medians below sort the rounds.
        let paired = |values: &[Vec<f64>], i: usize| {
            let mut ratios: Vec<f64> = values[i]
                .iter()
                .zip(&values[1])
                .map(|(v, base)| v / base)
                .collect();
            median(&mut ratios)
        };
        let rate_ratios: Vec<f64> = (0..Way::ALL.len()).map(|i| paired(&rates, i)).collect();
        let cpu_ratios: Vec<f64> = (0..Way::ALL.len()).map(|i| paired(&cpus, i)).collect();
        let p50_ratios: Vec<f64> = (0..Way::ALL.len()).map(|i| paired(&p50s, i)).collect();
        let medians: Vec<f64> = rates.iter_mut().map(|r| median(r)).collect();
        let cpu: Vec<f64> = cpus.iter_mut().map(|c| median(c)).collect();
        for (i, way) in Way::ALL.iter().enumerate() {
            latencies[i].sort_unstable();
            let micros = |d: Duration| d.as_secs_f64() * 1e6;
            println!(
                "{:<28} {:>5} {:>9.0} {:>5.2}x {:>7.0}µs {:>7.0}µs {:>5.2}x {:>7.1}µs {:>5.2}x",
                way.name(),
                concurrency,
                medians[i],
                rate_ratios[i],
                micros(percentile(&latencies[i], 0.5)),
                micros(percentile(&latencies[i], 0.99)),
                p50_ratios[i],
                cpu[i],
                cpu_ratios[i]
            );
        }
    }
}
