//! Running rows: at most `concurrency` in flight, and rows that
//! share a key (a user id) one at a time, in input order — while rows for
//! different users run side by side.

use crate::output;
use futures_util::future::BoxFuture;
use futures_util::stream::FuturesUnordered;
use futures_util::{FutureExt as _, StreamExt as _};
use payusers::batch::input::Parsed;
use payusers::batch::journal::{Entry, Status};
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::panic::AssertUnwindSafe;
use tokio::sync::mpsc;

/// Rows held back behind a busy key before reading pauses.
const MAX_WAITING: usize = 4096;

/// Runs every row from `rows` through `process`, hands the entries to
/// `record` (which journals them, on this task, with one write per call:
/// no hand-off to another thread per row; it returns `false` once the
/// journal cannot be written), and returns whether `stop` fired first.
///
/// Rows that finish together are journaled together, and before any row
/// starts in their place: a failing journal stops the run with no more
/// rows sent unjournaled than were in flight.
pub async fn dispatch<P, F>(
    mut rows: mpsc::Receiver<Vec<Parsed>>,
    record: &mut (dyn FnMut(&[Entry]) -> bool + Send),
    concurrency: usize,
    quiet: bool,
    stop: impl Future<Output = ()>,
    process: P,
) -> bool
where
    P: Fn(Parsed) -> F,
    F: Future<Output = Entry> + Send + 'static,
{
    let mut stop = std::pin::pin!(stop);
    let mut run = Running::default();
    // Rows read (the reader sends them in batches) and not yet started.
    let mut pending: VecDeque<Parsed> = VecDeque::new();
    let mut reading = true;
    let mut interrupted = false;
    let mut recording = true;
    let mut finished: Vec<Entry> = Vec::with_capacity(concurrency);
    'rows: loop {
        while run.tasks.len() < concurrency && run.waiting < MAX_WAITING {
            let Some(parsed) = pending.pop_front() else {
                break;
            };
            if parsed.row.is_err() {
                if !record(&[failed(parsed)]) {
                    recording = false;
                    break 'rows;
                }
            } else {
                run.start(parsed, &process);
            }
        }
        if !reading && pending.is_empty() && run.tasks.is_empty() {
            break;
        }
        let room = run.tasks.len() < concurrency && run.waiting < MAX_WAITING;
        tokio::select! {
            biased;
            () = &mut stop => { interrupted = true; break; }
            // Journal finished rows first, so the journal keeps up with the work.
            Some(entry) = run.tasks.next(), if !run.tasks.is_empty() => {
                finished.push(entry);
                // Every other row already done goes in the same write.
                while let Some(Some(entry)) = run.tasks.next().now_or_never() {
                    finished.push(entry);
                }
            }
            batch = rows.recv(), if reading && room && pending.is_empty() => {
                match batch {
                    None => reading = false,
                    Some(batch) => pending.extend(batch),
                }
                continue;
            }
        };
        if !record(&finished) {
            // The journal cannot be written: nothing more can be recorded.
            recording = false;
            break;
        }
        for entry in finished.drain(..) {
            run.release(entry.id.as_deref(), &process);
        }
    }
    drop(rows); // stops the reader
    // Rows read but not started are not journaled: a resume sends them.
    if interrupted {
        if !quiet {
            output::warn("interrupted: waiting for requests in flight (signal again to quit now)");
        }
        tokio::spawn(async {
            super::stop_signal().await;
            output::warn("error: interrupted; rerun with --resume to continue");
            std::process::exit(output::EXIT_INTERRUPTED.into());
        });
    }
    // Rows in flight finish and are journaled; rows still waiting behind a
    // busy key are not started (a resume sends them).
    while let Some(entry) = run.tasks.next().await {
        if !interrupted && recording {
            run.release(entry.id.as_deref(), &process);
        }
        // With the journal failing the entry is lost either way; the run fails.
        if recording {
            recording = record(std::slice::from_ref(&entry));
        }
    }
    interrupted
}

/// A row that could not be parsed: journaled at once, nothing to send.
fn failed(parsed: Parsed) -> Entry {
    Entry {
        line: parsed.line,
        id: parsed.id,
        status: Status::Failed,
        http_status: None,
        attempts: 0,
        error: parsed.row.err(),
        digest: parsed.digest.hex(),
        created_id: None,
        outcomes: None,
    }
}

/// The rows in flight and the rows waiting behind a busy key.
///
/// Rows in flight are futures polled by the dispatcher itself, not tasks:
/// no spawn per row, and no wake-up of another thread each time one
/// finishes (hyper's connections still run as tasks of their own).
#[derive(Default)]
struct Running {
    tasks: FuturesUnordered<BoxFuture<'static, Entry>>,
    /// Keys in flight, with the rows waiting for each.
    busy: HashMap<String, VecDeque<Parsed>>,
    waiting: usize,
}

impl Running {
    /// Starts `parsed`, or queues it behind the row in flight for its key.
    fn start<P, F>(&mut self, parsed: Parsed, process: &P)
    where
        P: Fn(Parsed) -> F,
        F: Future<Output = Entry> + Send + 'static,
    {
        if let Some(key) = &parsed.id {
            if let Some(queue) = self.busy.get_mut(key) {
                queue.push_back(parsed);
                self.waiting += 1;
                return;
            }
            self.busy.insert(key.clone(), VecDeque::new());
        }
        self.spawn(parsed, process);
    }

    fn spawn<P, F>(&mut self, parsed: Parsed, process: &P)
    where
        P: Fn(Parsed) -> F,
        F: Future<Output = Entry> + Send + 'static,
    {
        let (line, id, digest) = (parsed.line, parsed.id.clone(), parsed.digest);
        // Boxed first, so the wrappers below move a pointer, not the row's
        // whole future (6 KB); a panic in one row fails that row only.
        let row = AssertUnwindSafe(Box::pin(process(parsed)))
            .catch_unwind()
            .map(move |outcome| {
                outcome.unwrap_or_else(|panic| Entry {
                    line,
                    id,
                    status: Status::Failed,
                    http_status: None,
                    attempts: 0,
                    error: Some(format!("internal error: {}", panic_message(panic.as_ref()))),
                    digest: digest.hex(),
                    created_id: None,
                    outcomes: None,
                })
            });
        self.tasks.push(Box::pin(row));
    }

    /// A row for `key` finished: start the next one waiting for it.
    fn release<P, F>(&mut self, key: Option<&str>, process: &P)
    where
        P: Fn(Parsed) -> F,
        F: Future<Output = Entry> + Send + 'static,
    {
        let Some(key) = key else { return };
        let next = self.busy.get_mut(key).and_then(VecDeque::pop_front);
        match next {
            Some(parsed) => {
                self.waiting -= 1;
                self.spawn(parsed, process);
            }
            None => {
                self.busy.remove(key);
            }
        }
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        (*message).to_string()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "panic without a message".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use payusers::batch::journal::Digest;
    use payusers::batch::rows::{HpayRow, Row};
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    fn parsed(line: u64, id: &str) -> Parsed {
        Parsed {
            line,
            id: Some(id.to_string()),
            digest: Digest::of(id.as_bytes()),
            row: Ok(Row::Hpay(HpayRow::default())),
        }
    }

    fn ok(p: &Parsed) -> Entry {
        Entry {
            line: p.line,
            id: p.id.clone(),
            status: Status::Ok,
            http_status: Some(200),
            attempts: 1,
            error: None,
            digest: p.digest.hex(),
            created_id: None,
            outcomes: None,
        }
    }

    async fn run_rows<P, F>(rows: Vec<Parsed>, concurrency: usize, process: P) -> Vec<Entry>
    where
        P: Fn(Parsed) -> F,
        F: Future<Output = Entry> + Send + 'static,
    {
        let (row_tx, row_rx) = mpsc::channel(rows.len().max(1));
        // Batches of 1 to 7 rows, as the reader sends them.
        let mut rows = rows.into_iter().peekable();
        let mut size = 1;
        while rows.peek().is_some() {
            row_tx
                .send(rows.by_ref().take(size).collect())
                .await
                .unwrap();
            size = size % 7 + 1;
        }
        drop(row_tx);
        let mut out = Vec::new();
        let interrupted = dispatch(
            row_rx,
            &mut |entries: &[Entry]| {
                out.extend(entries.iter().cloned());
                true
            },
            concurrency,
            true,
            std::future::pending(),
            process,
        )
        .await;
        assert!(!interrupted);
        out
    }

    #[tokio::test]
    async fn rows_for_one_user_run_in_input_order_one_at_a_time() {
        let applied = Arc::new(Mutex::new(Vec::new()));
        let in_flight = Arc::new(Mutex::new(std::collections::HashSet::new()));
        let rows: Vec<Parsed> = (1..=60)
            .map(|line| parsed(line, if line % 3 == 0 { "other" } else { "same" }))
            .collect();
        let (a, f) = (applied.clone(), in_flight.clone());
        let entries = run_rows(rows, 8, move |p| {
            let (a, f) = (a.clone(), f.clone());
            async move {
                let key = p.id.clone().unwrap();
                assert!(
                    f.lock().unwrap().insert(key.clone()),
                    "two rows of {key} at once"
                );
                // Later rows finish sooner, so any reordering would show.
                tokio::time::sleep(Duration::from_micros(2000 - 30 * p.line)).await;
                a.lock().unwrap().push((key.clone(), p.line));
                f.lock().unwrap().remove(&key);
                ok(&p)
            }
        })
        .await;
        assert_eq!(entries.len(), 60);
        let applied = applied.lock().unwrap();
        for key in ["same", "other"] {
            let lines: Vec<u64> = applied
                .iter()
                .filter(|(k, _)| k == key)
                .map(|(_, l)| *l)
                .collect();
            let mut sorted = lines.clone();
            sorted.sort_unstable();
            assert_eq!(lines, sorted, "{key} applied out of order");
        }
    }

    #[tokio::test]
    async fn a_panicking_row_is_journaled_as_failed() {
        let rows = (1..=50).map(|l| parsed(l, &format!("u{l}"))).collect();
        let mut entries = run_rows(rows, 2, |p| async move {
            tokio::task::yield_now().await;
            if p.line % 7 == 0 {
                std::panic::panic_any(p.line); // a payload that is not a string
            }
            ok(&p)
        })
        .await;
        entries.sort_by_key(|e| e.line);
        assert_eq!(
            entries.iter().map(|e| e.line).collect::<Vec<_>>(),
            (1..=50).collect::<Vec<_>>()
        );
        let failed: Vec<u64> = entries
            .iter()
            .filter(|e| e.status == Status::Failed)
            .map(|e| e.line)
            .collect();
        assert_eq!(failed, [7, 14, 21, 28, 35, 42, 49]);
        assert_eq!(
            entries[6].error.as_deref(),
            Some("internal error: panic without a message")
        );
        assert_eq!(entries[6].id.as_deref(), Some("u7"));
    }
}
