//! `payusers sync` at scale: rows per second and peak memory of the real
//! binary at 10 000 and 100 000 rows, against the raw generated client at
//! the same concurrency, both talking to the embedded mock on loopback.
//!
//! Both clients run in a process of their own (the raw one is this bench
//! binary started again with `SYNC_RAW_CHILD` set), timed from spawn to
//! exit, so neither shares the mock's runtime and both pay a process start.
//!
//! Run with `cargo bench --bench sync` or `cargo xtask bench`;
//! `SYNC_ROWS=10000,100000`, `SYNC_CONCURRENCY=8` and `SYNC_ROUNDS`
//! (15 rounds for runs up to 20,000 rows, 5 above) change the runs, and
//! `SYNC_CLIENT=facade` makes the comparison client send each update
//! through the facade (`update_user(..)…send()`) instead of the raw
//! client: what `sync` costs beyond the call it makes for each row.
//! `SYNC_JOURNAL=/dev/null` runs `sync` with that journal, which keeps
//! the system call a row but not the file system's work: what the
//! journal's writes cost.

use payusers::mock::{Fixtures, HpayFixture, MockServer};
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CONCURRENCY: usize = 8;
// Five: two copies of one binary gave 0.79× and 0.83× over nine
// rounds on this shared machine, so three is too few to read a ratio.
const ROUNDS: usize = 5;
// Runs of 10,000 rows last under half a second, so one slow spell of the
// machine moves a whole round: single rounds read 0.49–1.25× across
// sessions. Three times the rounds (about 15 s a size) for runs that short.
const SHORT_RUN_ROWS: usize = 20_000;

/// The median of `values` (the upper one of an even count).
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn fixtures(rows: usize) -> Fixtures {
    let mut fixtures = Fixtures::empty();
    for i in 0..rows {
        fixtures.hpay.push(HpayFixture::new(
            format!("u{i}"),
            i as i64,
            "Old",
            "+23279000001",
        ));
    }
    fixtures
}

/// Updates `rows` users with the generated client, `concurrency` at a time.
async fn raw_updates(hpay: &payusers::HostPay, rows: usize, concurrency: usize) {
    let facade = facade_client();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (hpay, next) = (hpay.clone(), next.clone());
        tasks.spawn(async move {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= rows {
                    break;
                }
                if facade {
                    hpay.update_user(format!("u{i}"))
                        .app_user_id(i as i64)
                        .name(format!("Raw {i}"))
                        .phone_number(format!("+2327{i:08}"))
                        .send()
                        .await
                        .unwrap();
                    continue;
                }
                let body = payusers::hpay::raw::types::UpdateUserRequest {
                    app_user_id: i as i64,
                    name: format!("Raw {i}").try_into().unwrap(),
                    phone_number: format!("+2327{i:08}").try_into().unwrap(),
                    email: None,
                    username: None,
                    is_active: None,
                };
                hpay.raw()
                    .update_user(&format!("u{i}"), &body)
                    .await
                    .unwrap();
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
}

/// Whether `SYNC_CLIENT=facade` asks for the facade as the comparison.
fn facade_client() -> bool {
    std::env::var("SYNC_CLIENT").is_ok_and(|c| c == "facade")
}

/// The raw client in a process of its own: this binary, started again.
fn raw_rate(mock: &MockServer, rows: usize, concurrency: usize) -> Run {
    let c = mock.credentials();
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .env("SYNC_RAW_CHILD", format!("{rows},{concurrency}"))
        .env("HOST_PAY_API_KEY", &c.hpay_api_key)
        .env("HOST_PAY_SECRET_KEY", &c.hpay_secret_key)
        .env("HOST_PAY_BASE_URL", mock.hpay_base_url());
    watch(command, rows, "the raw client")
}

/// One client process's run: rows/s, CPU time (user + system) per row,
/// and peak resident memory.
struct Run {
    rate: f64,
    cpu_us: f64,
    peak_kib: u64,
}

/// The CPU time of this process's waited-for children, in seconds.
fn children_cpu() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// Runs `command` to its end, timing it (from spawn to exit, polled every
/// 2 ms) and sampling its peak memory.
fn watch(mut command: Command, rows: usize, what: &str) -> Run {
    let cpu_before = children_cpu();
    let started = Instant::now();
    let mut child = command.spawn().unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0;
    let status = loop {
        if let Ok(text) = std::fs::read_to_string(&status_file)
            && let Some(kib) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak_kib = peak_kib.max(kib);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let elapsed = started.elapsed().as_secs_f64();
    assert!(status.success(), "{what} failed");
    Run {
        rate: rows as f64 / elapsed,
        cpu_us: (children_cpu() - cpu_before) * 1e6 / rows as f64,
        peak_kib,
    }
}

/// The child side of [`raw_rate`].
fn raw_child(spec: &str) {
    let (rows, concurrency) = spec.split_once(',').expect("rows,concurrency");
    let (rows, concurrency) = (rows.parse().unwrap(), concurrency.parse().unwrap());
    let var = |name| std::env::var(name).unwrap();
    let hpay = payusers::HostPay::builder()
        .api_key(var("HOST_PAY_API_KEY"))
        .secret_key(var("HOST_PAY_SECRET_KEY"))
        .base_url(var("HOST_PAY_BASE_URL"))
        .build()
        .unwrap();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(raw_updates(&hpay, rows, concurrency));
}

/// Runs the binary over `rows` rows.
fn sync_rate(mock: &MockServer, rows: usize, concurrency: usize, dir: &std::path::Path) -> Run {
    let input = dir.join(format!("rows-{rows}.jsonl"));
    let mut file = std::io::BufWriter::new(std::fs::File::create(&input).unwrap());
    for i in 0..rows {
        writeln!(
            file,
            r#"{{"user_id":"u{i}","app_user_id":{i},"name":"Synced {i}","phone_number":"+2328{i:08}"}}"#
        )
        .unwrap();
    }
    drop(file);
    let journal = match std::env::var_os("SYNC_JOURNAL") {
        Some(path) => std::path::PathBuf::from(path),
        None => {
            let journal = dir.join(format!("journal-{rows}.jsonl"));
            let _ = std::fs::remove_file(&journal);
            journal
        }
    };
    let c = mock.credentials();
    let mut command = Command::new(env!("CARGO_BIN_EXE_payusers"));
    command
        .env("HOST_PAY_API_KEY", &c.hpay_api_key)
        .env("HOST_PAY_SECRET_KEY", &c.hpay_secret_key)
        .env("HOST_PAY_BASE_URL", mock.hpay_base_url())
        .args(["--quiet", "sync", "--provider", "hpay", "--concurrency"])
        .arg(concurrency.to_string())
        .arg("--input")
        .arg(&input)
        .arg("--journal")
        .arg(&journal)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    watch(command, rows, "sync")
}

fn main() {
    if let Ok(spec) = std::env::var("SYNC_RAW_CHILD") {
        return raw_child(&spec);
    }
    let sizes: Vec<usize> = std::env::var("SYNC_ROWS")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000]);
    let concurrency = std::env::var("SYNC_CONCURRENCY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CONCURRENCY);
    let fixed_rounds: Option<usize> = std::env::var("SYNC_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(|n: usize| n.max(1));
    let rounds_for = |rows: usize| {
        fixed_rounds.unwrap_or(if rows <= SHORT_RUN_ROWS {
            3 * ROUNDS
        } else {
            ROUNDS
        })
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    println!(
        "sync: the payusers binary (release) against the embedded mock, concurrency {concurrency}, \
         alternating rounds ({} for runs up to {SHORT_RUN_ROWS} rows, {} above); rows/s and CPU \
         (user + system time per row) are medians, ratios the median of each round's own ratio \
         (peak RSS: the largest); the comparison client: {}; the journal: {}",
        rounds_for(1),
        rounds_for(usize::MAX),
        if facade_client() {
            "the facade (SYNC_CLIENT=facade), in the raw columns"
        } else {
            "the raw generated client"
        },
        std::env::var("SYNC_JOURNAL").unwrap_or_else(|_| "a new file each run".into()),
    );
    println!(
        "{:>8} {:>12} {:>12} {:>7} {:>10} {:>10} {:>7} {:>10}",
        "rows", "sync rows/s", "raw rows/s", "ratio", "sync CPU", "raw CPU", "ratio", "peak RSS"
    );
    for rows in sizes {
        let mock = runtime
            .block_on(MockServer::builder().fixtures(fixtures(rows)).start())
            .unwrap();
        // Alternating rounds (raw, sync, raw, sync, …), read as below,
        // since a shared machine moves single runs by 10–30 %.
        let (mut raws, mut syncs) = (Vec::new(), Vec::new());
        for _ in 0..rounds_for(rows) {
            let (raw, sync) = runtime.block_on(async {
                let mock = &mock;
                let dir = dir.path().to_path_buf();
                tokio::task::block_in_place(|| {
                    (
                        raw_rate(mock, rows, concurrency),
                        sync_rate(mock, rows, concurrency, &dir),
                    )
                })
            });
            raws.push(raw);
            syncs.push(sync);
        }
        // Each round's own ratio, and their median, as the wire bench
        // reads its rows: a slow spell of the shared machine (seconds
        // long) moves both runs of a round, so a ratio of two medians
        // taken over different rounds reads it as a difference.
        let rate_ratios: Vec<f64> = syncs
            .iter()
            .zip(&raws)
            .map(|(s, r)| s.rate / r.rate)
            .collect();
        let cpu_ratios: Vec<f64> = syncs
            .iter()
            .zip(&raws)
            .map(|(s, r)| s.cpu_us / r.cpu_us)
            .collect();
        let shown: Vec<String> = rate_ratios.iter().map(|r| format!("{r:.2}")).collect();
        let med =
            |runs: &[Run], f: fn(&Run) -> f64| median(&mut runs.iter().map(f).collect::<Vec<_>>());
        let (rate, raw) = (med(&syncs, |r| r.rate), med(&raws, |r| r.rate));
        let (cpu, raw_cpu) = (med(&syncs, |r| r.cpu_us), med(&raws, |r| r.cpu_us));
        let peak = syncs.iter().map(|r| r.peak_kib).max().unwrap_or(0);
        println!(
            "{rows:>8} {rate:>12.0} {raw:>12.0} {:>6.2}x {cpu:>7.1} µs {raw_cpu:>7.1} µs {:>6.2}x {:>6.1} MiB   rounds: {} (ratio of the medians: {:.2}x)",
            median(&mut rate_ratios.clone()),
            median(&mut cpu_ratios.clone()),
            peak as f64 / 1024.0,
            shown.join(" "),
            rate / raw,
        );
        runtime.block_on(mock.shutdown());
    }
}
