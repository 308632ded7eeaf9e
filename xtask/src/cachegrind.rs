//! `cargo xtask bench --only cache`: instructions and L1 instruction- and
//! data-cache misses per request for each wire client, counted by
//! valgrind's cachegrind.
//!
//! The timed tables move by 10–30 % between runs on a shared machine; these
//! counts move by 2–3 % (how the client and server threads interleave
//! under valgrind changes which lines are still cached), so each row is the
//! median of `CACHE_RUNS` runs (3 by default) and shows the misses' spread.
//! Cachegrind simulates one core's caches: the counts fit the wire bench,
//! whose clients all run on one thread, and they include its fixed-response
//! server (the same for every client), so differences are the clients'.
//! With 64 requests in flight each task's state has left the 32 KiB L1 by
//! the time it runs again, so a client pays a miss for most lines of state
//! it touches; and one request's path through client and server runs more
//! distinct code than the 32 KiB L1 instruction cache holds, so most lines
//! of code it runs miss too (three in four of all L1 misses). The sum of
//! both misses is what tracks the wall bench's CPU ratios (within 0.01 in
//! one full run, 0.03–0.04 above them in another: at 64 in flight the L2
//! spills too, which L1 counts do not see), where the instruction count
//! does not.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Requests per client and concurrency (valgrind runs about 50× slower).
const REQUESTS: u64 = 4000;

/// The clients compared, by the prefix `WIRE_PROFILE` takes. The second
/// is the hand-written client bounded as ours are (our user agent and
/// reqwest's per-request timeout): the fair floor for a client that never
/// waits forever.
const CLIENTS: [(&str, &str); 5] = [
    ("hand-written reqwest", "hand-written r"),
    ("hand-written + our UA", "hand-written + o"),
    ("hand-written, bounded", "hand-written + UA + t"),
    ("raw generated", "raw"),
    ("facade", "facade"),
];

pub fn run(root: &Path) -> Result<(), String> {
    let valgrind = Command::new("valgrind").arg("--version").output();
    if !valgrind.is_ok_and(|o| o.status.success()) {
        return Err(
            "--only cache needs valgrind (on Debian: apt-get install valgrind); the other benches do not"
                .into(),
        );
    }
    let bench = wire_executable(root)?;
    let runs = std::env::var("CACHE_RUNS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or(3);
    // Starting the process (clients, the embedded mock's schemas, the
    // server) is counted once, with no request, and taken off every row.
    let start = Counts::median(
        &(0..runs)
            .map(|_| measure(&bench, "facade", 1, 0))
            .collect::<Result<Vec<_>, _>>()?,
    );
    println!(
        "cache: cachegrind's counts per request ({REQUESTS} per row, less a run with none; \
         median of {runs} runs, the misses' range after it), client and fixed-response server \
         (whose share is the same in every row)"
    );
    println!(
        "{:<22} {:>5} {:>10} {:>6} {:>8} {:>6} {:>8} {:>6} {:>8} {:>6}  range",
        "client",
        "conc",
        "instr/req",
        "ratio",
        "I1 miss",
        "ratio",
        "D1 miss",
        "ratio",
        "L1 miss",
        "ratio"
    );
    for concurrency in [1u64, 64] {
        let mut baseline: Option<Counts> = None;
        for (name, prefix) in CLIENTS {
            let each = (0..runs)
                .map(|_| Ok(measure(&bench, prefix, concurrency, REQUESTS)?.per_request(start)))
                .collect::<Result<Vec<_>, String>>()?;
            let counts = Counts::median(&each);
            let (low, high) = each.iter().fold((f64::MAX, f64::MIN), |(l, h), c| {
                (l.min(c.l1_misses()), h.max(c.l1_misses()))
            });
            let base = *baseline.get_or_insert(counts);
            println!(
                "{name:<22} {concurrency:>5} {:>10.0} {:>5.2}x {:>8.0} {:>5.2}x {:>8.0} {:>5.2}x {:>8.0} {:>5.2}x  {low:.0}–{high:.0}",
                counts.instructions,
                counts.instructions / base.instructions,
                counts.i1_misses,
                counts.i1_misses / base.i1_misses,
                counts.d1_misses,
                counts.d1_misses / base.d1_misses,
                counts.l1_misses(),
                counts.l1_misses() / base.l1_misses(),
            );
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Copy)]
struct Counts {
    instructions: f64,
    i1_misses: f64,
    d1_misses: f64,
}

impl Counts {
    /// Misses in both L1 caches, instructions and data.
    fn l1_misses(&self) -> f64 {
        self.i1_misses + self.d1_misses
    }

    /// Each count's median over `runs` (not empty).
    fn median(runs: &[Counts]) -> Counts {
        let middle = |pick: fn(&Counts) -> f64| {
            let mut values: Vec<f64> = runs.iter().map(pick).collect();
            values.sort_by(f64::total_cmp);
            values[values.len() / 2]
        };
        Counts {
            instructions: middle(|c| c.instructions),
            i1_misses: middle(|c| c.i1_misses),
            d1_misses: middle(|c| c.d1_misses),
        }
    }

    /// Per request, once the process's own start (`start`) is taken off.
    fn per_request(self, start: Counts) -> Counts {
        Counts {
            instructions: (self.instructions - start.instructions) / REQUESTS as f64,
            i1_misses: (self.i1_misses - start.i1_misses) / REQUESTS as f64,
            d1_misses: (self.d1_misses - start.d1_misses) / REQUESTS as f64,
        }
    }
}

/// Builds the wire bench and returns its executable.
fn wire_executable(root: &Path) -> Result<PathBuf, String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root)
        .args([
            "bench",
            "--no-run",
            "--message-format=json",
            "-p",
            "payusers",
            "--bench",
            "wire",
            "--features",
            "mock",
        ])
        .output()
        .map_err(|e| format!("cannot run cargo bench --no-run: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo bench --no-run --bench wire failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|message| message["target"]["name"] == "wire")
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| "cargo built no wire bench executable".into())
}

/// Runs one client `requests` times under cachegrind; the whole process's counts.
fn measure(bench: &Path, prefix: &str, concurrency: u64, requests: u64) -> Result<Counts, String> {
    let out = std::env::temp_dir().join(format!("payusers-cachegrind-{}.out", std::process::id()));
    let output = Command::new("valgrind")
        .args(["--tool=cachegrind", "--cache-sim=yes"])
        .arg(format!("--cachegrind-out-file={}", out.display()))
        .arg(bench)
        .env("WIRE_PROFILE", prefix)
        .env("WIRE_N", requests.to_string())
        .env("WIRE_CONCURRENCY", concurrency.to_string())
        .output()
        .map_err(|e| format!("cannot run valgrind: {e}"))?;
    let _ = std::fs::remove_file(&out);
    let report = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!(
            "valgrind on the wire bench ({prefix}) failed:\n{report}"
        ));
    }
    let total = |label: &str| {
        summary(&report, label)
            .map(|n| n as f64)
            .ok_or_else(|| format!("no `{label}` line in cachegrind's report:\n{report}"))
    };
    Ok(Counts {
        instructions: total("I   refs:")?,
        i1_misses: total("I1  misses:")?,
        d1_misses: total("D1  misses:")?,
    })
}

/// The total on cachegrind's summary line `==pid== {label} 1,234 (…)`.
fn summary(report: &str, label: &str) -> Option<u64> {
    report.lines().find_map(|line| {
        let (_, rest) = line.split_once(label)?;
        rest.split_whitespace()
            .next()?
            .replace(',', "")
            .parse()
            .ok()
    })
}

#[cfg(test)]
mod tests {
    use super::{Counts, summary};

    #[test]
    fn a_row_is_each_counts_median() {
        let run = |instructions, i1_misses, d1_misses| Counts {
            instructions,
            i1_misses,
            d1_misses,
        };
        let median = Counts::median(&[
            run(3.0, 40.0, 10.0),
            run(1.0, 60.0, 30.0),
            run(2.0, 50.0, 20.0),
        ]);
        assert_eq!(
            (median.instructions, median.i1_misses, median.d1_misses),
            (2.0, 50.0, 20.0)
        );
        assert_eq!(median.l1_misses(), 70.0);
        let one = Counts::median(&[run(5.0, 6.0, 7.0)]);
        assert_eq!(
            (one.instructions, one.i1_misses, one.d1_misses),
            (5.0, 6.0, 7.0)
        );
    }

    #[test]
    fn reads_cachegrind_totals() {
        let report = "==1== I   refs:      433,149,915\n\
                      ==1== I1  misses:        123\n\
                      ==1== D1  misses:      6,890,517  (  3,711,465 rd   +  3,179,052 wr)\n";
        assert_eq!(summary(report, "I   refs:"), Some(433_149_915));
        assert_eq!(summary(report, "I1  misses:"), Some(123));
        assert_eq!(summary(report, "D1  misses:"), Some(6_890_517));
        assert_eq!(summary(report, "LL misses:"), None);
    }
}
