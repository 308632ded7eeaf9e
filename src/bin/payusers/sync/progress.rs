//! Progress while a sync runs (a bar on a terminal, periodic lines
//! otherwise) and the summary at the end.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Counts shared by the reader, the journal writer and the progress display.
#[derive(Debug, Default)]
pub struct Counters {
    pub ok: AtomicU64,
    pub failed: AtomicU64,
    pub skipped: AtomicU64,
    /// Rows ok in the journal but edited since, sent again.
    pub changed: AtomicU64,
    /// Rows ok in the journal, sent again after an earlier row of the
    /// same user was (so the user ends as the file's order says).
    pub after: AtomicU64,
    /// Of `changed`, rows that no longer name a user they wrote to.
    pub retargeted: AtomicU64,
    /// Ok rows that are deletes an earlier attempt (its answer lost) had
    /// carried out: sent again, they found their user gone.
    pub already_deleted: AtomicU64,
    /// HTTP requests made, retries included.
    pub requests: AtomicU64,
    /// Rows in the input, once counted (0 until then).
    pub total: AtomicU64,
    /// Rows the reader has produced so far, skipped ones included; at the
    /// end of a complete run it must equal `ok + failed + skipped`.
    pub read: AtomicU64,
}

/// A snapshot of [`Counters`].
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Tally {
    pub total: u64,
    pub ok: u64,
    pub failed: u64,
    pub skipped: u64,
    pub changed: u64,
    pub after: u64,
    pub already_deleted: u64,
    pub requests: u64,
}

impl Counters {
    pub fn tally(&self) -> Tally {
        let ok = self.ok.load(Ordering::Relaxed);
        let failed = self.failed.load(Ordering::Relaxed);
        let skipped = self.skipped.load(Ordering::Relaxed);
        Tally {
            total: ok + failed + skipped,
            ok,
            failed,
            skipped,
            changed: self.changed.load(Ordering::Relaxed),
            after: self.after.load(Ordering::Relaxed),
            already_deleted: self.already_deleted.load(Ordering::Relaxed),
            requests: self.requests.load(Ordering::Relaxed),
        }
    }
}

/// The running display; [`finish`](Self::finish) it before printing the summary.
pub struct Progress {
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Progress {
    pub fn start(counters: Arc<Counters>, quiet: bool, started: Instant) -> Progress {
        if quiet {
            return Progress {
                stop: None,
                task: None,
            };
        }
        let (stop, mut stopped) = oneshot::channel::<()>();
        let terminal = std::io::stderr().is_terminal();
        let task = tokio::spawn(async move {
            let bar = terminal.then(new_bar);
            let period = if terminal {
                Duration::from_millis(200)
            } else {
                Duration::from_secs(2)
            };
            let mut ticks = tokio::time::interval(period);
            ticks.tick().await;
            loop {
                tokio::select! {
                    _ = &mut stopped => break,
                    _ = ticks.tick() => {}
                }
                let tally = counters.tally();
                let total = counters.total.load(Ordering::Relaxed);
                match &bar {
                    Some(bar) => update_bar(bar, &tally, total, started.elapsed()),
                    None => crate::output::warn(&line(&tally, total, started.elapsed())),
                }
            }
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
        });
        Progress {
            stop: Some(stop),
            task: Some(task),
        }
    }

    pub async fn finish(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

fn new_bar() -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(spinner_style());
    bar
}

fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} [{elapsed_precise}] {pos} rows: {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template("[{elapsed_precise}] {bar:30} {pos}/{len} rows: {msg}, ETA {eta}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
}

fn update_bar(bar: &ProgressBar, tally: &Tally, total: u64, elapsed: Duration) {
    if total > 0 && bar.length() != Some(total) {
        bar.set_length(total);
        bar.set_style(bar_style());
    }
    bar.set_position(tally.total);
    bar.set_message(format!(
        "{} ok, {} failed, {} skipped, {:.0} rows/s",
        tally.ok,
        tally.failed,
        tally.skipped,
        per_second(tally.ok + tally.failed, elapsed)
    ));
    bar.tick();
}

/// A plain progress line for logs and pipes.
fn line(tally: &Tally, total: u64, elapsed: Duration) -> String {
    let rate = per_second(tally.ok + tally.failed, elapsed);
    let mut text = format!(
        "sync: {} rows done ({} ok, {} failed, {} skipped), {rate:.1} rows/s",
        tally.total, tally.ok, tally.failed, tally.skipped
    );
    if total > 0 {
        text.push_str(&format!(", {} of {total}", tally.total));
        if rate > 0.0 && total > tally.total {
            let eta = Duration::from_secs_f64((total - tally.total) as f64 / rate);
            text.push_str(&format!(", ETA {}", humantime::format_duration(round(eta))));
        }
    }
    text
}

fn round(duration: Duration) -> Duration {
    Duration::from_secs(duration.as_secs())
}

pub fn per_second(count: u64, elapsed: Duration) -> f64 {
    let secs = elapsed.as_secs_f64();
    if secs > 0.0 { count as f64 / secs } else { 0.0 }
}

/// The end-of-run summary line.
pub fn summary(tally: &Tally, elapsed: Duration) -> String {
    let mut again = Vec::new();
    if tally.changed > 0 {
        again.push(format!("{} edited since they were ok", tally.changed));
    }
    if tally.after > 0 {
        again.push(format!(
            "{} ok but after an earlier row of their user",
            tally.after
        ));
    }
    let mut changed = if again.is_empty() {
        String::new()
    } else {
        format!(" ({}, sent again)", again.join(", "))
    };
    if tally.already_deleted > 0 {
        changed.push_str(&format!(
            " ({} already deleted by an earlier attempt whose answer was lost)",
            tally.already_deleted
        ));
    }
    format!(
        "sync finished: total {} read, ok {}{changed}, failed {}, skipped {}, elapsed {:.2}s, \
         {:.1} rows/s, {:.1} requests/s ({} HTTP requests, retries included)",
        tally.total,
        tally.ok,
        tally.failed,
        tally.skipped,
        elapsed.as_secs_f64(),
        per_second(tally.ok + tally.failed, elapsed),
        per_second(tally.requests, elapsed),
        tally.requests
    )
}
