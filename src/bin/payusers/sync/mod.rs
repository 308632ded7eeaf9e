//! `payusers sync`: many updates from a file, streamed through a bounded
//! channel to N concurrent senders, every result appended to a journal.
//!
//! Shape: a blocking reader thread parses rows and feeds a bounded channel;
//! the dispatcher starts one task per row under a semaphore (at most
//! `--concurrency` in flight); each task sends its result to a single
//! journal-writer thread, which appends and flushes one line per row. Memory
//! stays flat whatever the input size.

mod fields;
mod input;
mod journal;
mod progress;
mod rows;
mod send;

use crate::args::{Global, Output, ProviderArg, SyncArgs};
use crate::clients;
use crate::output::{self, CliError};
use input::Parsed;
use journal::{Entry, Status};
use progress::{Counters, Progress, Tally};
use rows::Row;
use send::{Client, Limiter};
use std::collections::HashMap;
use std::fs::File;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;
use tokio::sync::mpsc;
use tokio::task::{self, JoinError, JoinSet};

pub async fn run(global: &Global, args: SyncArgs) -> Result<u8, CliError> {
    // Configuration problems surface before the journal is touched.
    let client = Arc::new(match args.provider {
        ProviderArg::Hpay => Client::Hpay(clients::hpay(global)?),
        ProviderArg::Payabli => Client::Payabli(clients::payabli(global)?),
    });
    let input = input::open(&args.input)?;
    let format = input.format;
    let journal = journal::open(&args.journal, args.resume)?;
    if !global.quiet {
        if let Some(note) = &journal.note {
            eprintln!("note: {note}");
        }
        if args.resume {
            eprintln!(
                "resuming: {} row(s) already ok in {} will be skipped",
                journal.done.len(),
                args.journal.display()
            );
        }
    }
    let started = Instant::now();
    let counters = Arc::new(Counters::default());
    if !global.quiet && args.input.as_os_str() != "-" {
        let (path, counters) = (args.input.clone(), counters.clone());
        tokio::task::spawn_blocking(move || {
            if let Some(total) = input::count_rows(&path, format) {
                counters.total.store(total, Ordering::Relaxed);
            }
        });
    }
    let progress = Progress::start(counters.clone(), global.quiet, started);

    let concurrency = args.concurrency as usize;
    let (row_tx, row_rx) = mpsc::channel::<Parsed>(concurrency * 4);
    let reader = {
        let (done, counters, provider) = (journal.done, counters.clone(), args.provider);
        tokio::task::spawn_blocking(move || {
            input::read_rows(input, provider, |parsed| {
                counters.read.fetch_add(1, Ordering::Relaxed);
                if parsed.row.is_ok() && done.contains(parsed.line, parsed.id.as_deref()) {
                    counters.skipped.fetch_add(1, Ordering::Relaxed);
                    return true;
                }
                row_tx.blocking_send(parsed).is_ok()
            })
        })
    };
    let (entry_tx, entry_rx) = mpsc::channel::<Entry>(1024);
    let writer = {
        let (file, counters) = (journal.file, counters.clone());
        tokio::task::spawn_blocking(move || write_entries(file, entry_rx, &counters))
    };

    let limiter = Arc::new(Limiter::new(args.rate));
    let interrupted = dispatch(
        row_rx,
        &entry_tx,
        concurrency,
        global.quiet,
        stop_signal(),
        |line, id, row| {
            let (client, limiter) = (client.clone(), limiter.clone());
            async move { send::send(&client, &limiter, line, id, row).await }
        },
    )
    .await;
    drop(entry_tx);
    let written = writer
        .await
        .map_err(|e| CliError::failure(format!("journal writer stopped: {e}")))?;
    let read = reader
        .await
        .map_err(|e| CliError::failure(format!("input reader stopped: {e}")))?;
    progress.finish().await;

    let elapsed = started.elapsed();
    let tally = counters.tally();
    if let Err(e) = written {
        return Err(CliError::failure(format!(
            "cannot write journal {}: {e}",
            args.journal.display()
        )));
    }
    if let Err(err) = read {
        if tally.total > 0 && !global.quiet {
            eprintln!("{}", progress::summary(&tally, elapsed));
        }
        return Err(err);
    }
    if global.output == Output::Json {
        let summary = serde_json::json!({
            "total": tally.total, "ok": tally.ok, "failed": tally.failed,
            "skipped": tally.skipped, "requests": tally.requests,
            "elapsed_secs": elapsed.as_secs_f64(), "interrupted": interrupted,
            "rows_per_sec": progress::per_second(tally.ok + tally.failed, elapsed),
        });
        output::print_stdout(&(summary.to_string() + "\n"))?;
    }
    if !global.quiet {
        eprintln!("{}", progress::summary(&tally, elapsed));
    }
    if interrupted {
        eprintln!("error: interrupted; rerun with --resume to continue");
        return Ok(output::EXIT_INTERRUPTED);
    }
    if let Err(message) = check_accounting(&tally, counters.read.load(Ordering::Relaxed)) {
        eprintln!(
            "error: {message}; {} is incomplete, rerun with --resume",
            args.journal.display()
        );
        return Ok(output::EXIT_FAILURE);
    }
    if tally.failed > 0 {
        eprintln!(
            "error: {} row(s) failed; see {} for the reasons, then rerun with --resume",
            tally.failed,
            args.journal.display()
        );
        return Ok(output::EXIT_FAILURE);
    }
    Ok(output::EXIT_OK)
}

/// Runs `process` on every row from `rows`, each in its own task, at most
/// `concurrency` at once, and sends exactly one journal entry per row to
/// `entries`: the task's own, or a `failed` one when the row did not parse
/// or its task panicked or was cancelled. Returns whether `stop` resolved;
/// either way the tasks already started are awaited and journaled. Stops
/// early, without an error, when the journal writer has gone (the caller
/// reports the writer's error).
async fn dispatch<P, F>(
    mut rows: mpsc::Receiver<Parsed>,
    entries: &mpsc::Sender<Entry>,
    concurrency: usize,
    quiet: bool,
    stop: impl Future<Output = ()>,
    process: P,
) -> bool
where
    P: Fn(u64, Option<String>, Row) -> F,
    F: Future<Output = Entry> + Send + 'static,
{
    let mut stop = std::pin::pin!(stop);
    let mut in_flight = InFlight::default();
    let mut interrupted = false;
    loop {
        if entries.is_closed() {
            break;
        }
        let entry = tokio::select! {
            biased;
            () = &mut stop => { interrupted = true; break; }
            // Journal finished rows first, so the journal keeps up with the work.
            Some(joined) = in_flight.tasks.join_next_with_id(), if !in_flight.tasks.is_empty() => {
                in_flight.settle(joined)
            }
            parsed = rows.recv(), if in_flight.tasks.len() < concurrency => match parsed {
                None => break,
                Some(Parsed { line, id, row: Ok(row) }) => {
                    let task = process(line, id.clone(), row);
                    in_flight.spawn(line, id, task);
                    continue;
                }
                Some(Parsed { line, id, row: Err(reason) }) => Entry {
                    line,
                    id,
                    status: Status::Failed,
                    http_status: None,
                    attempts: 0,
                    error: Some(reason),
                },
            },
        };
        if entries.send(entry).await.is_err() {
            break;
        }
    }
    drop(rows); // stops the reader
    if interrupted {
        if !quiet {
            eprintln!("interrupted: waiting for requests in flight (signal again to quit now)");
        }
        tokio::spawn(async {
            stop_signal().await;
            eprintln!("error: interrupted; rerun with --resume to continue");
            std::process::exit(output::EXIT_INTERRUPTED.into());
        });
    }
    while let Some(joined) = in_flight.tasks.join_next_with_id().await {
        let entry = in_flight.settle(joined);
        // With the writer gone the entry is lost either way; the run fails.
        let _ = entries.send(entry).await;
    }
    interrupted
}

/// The row tasks running, and which row each one is for.
#[derive(Default)]
struct InFlight {
    tasks: JoinSet<Entry>,
    rows: HashMap<task::Id, (u64, Option<String>)>,
}

impl InFlight {
    fn spawn(
        &mut self,
        line: u64,
        id: Option<String>,
        task: impl Future<Output = Entry> + Send + 'static,
    ) {
        let handle = self.tasks.spawn(task);
        self.rows.insert(handle.id(), (line, id));
    }

    /// The journal entry for a finished task: its own, or a failed one for
    /// its row when it panicked or was cancelled.
    fn settle(&mut self, joined: Result<(task::Id, Entry), JoinError>) -> Entry {
        match joined {
            Ok((task, entry)) => {
                self.rows.remove(&task);
                entry
            }
            Err(err) => {
                // Every task is registered as it is spawned; the default
                // (line 0) only keeps the count right if that ever breaks.
                let (line, id) = self.rows.remove(&err.id()).unwrap_or_default();
                let reason = if err.is_panic() {
                    panic_message(err.into_panic().as_ref())
                } else {
                    "the row's task was cancelled".to_string()
                };
                Entry {
                    line,
                    id,
                    status: Status::Failed,
                    http_status: None,
                    attempts: 0,
                    error: Some(format!("internal error: {reason}")),
                }
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

/// Every row read must be accounted for as ok, failed or skipped; a gap
/// means a row vanished without a journal entry, and the run must not pass.
fn check_accounting(tally: &Tally, read: u64) -> Result<(), String> {
    let accounted = tally.ok + tally.failed + tally.skipped;
    if accounted == read {
        Ok(())
    } else {
        Err(format!(
            "internal error: {read} row(s) read but {accounted} accounted for \
             ({} ok, {} failed, {} skipped)",
            tally.ok, tally.failed, tally.skipped
        ))
    }
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM; never, if neither can be watched.
async fn stop_signal() {
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

/// The single journal writer: appends each entry as it arrives, then syncs.
fn write_entries(
    mut file: File,
    mut entries: mpsc::Receiver<Entry>,
    counters: &Counters,
) -> std::io::Result<()> {
    while let Some(entry) = entries.blocking_recv() {
        journal::append(&mut file, &entry)?;
        counters
            .requests
            .fetch_add(u64::from(entry.attempts), Ordering::Relaxed);
        match entry.status {
            Status::Ok => counters.ok.fetch_add(1, Ordering::Relaxed),
            Status::Failed => counters.failed.fetch_add(1, Ordering::Relaxed),
        };
    }
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rows::HpayRow;

    fn parsed(line: u64) -> Parsed {
        let id = format!("u{line}");
        Parsed {
            line,
            id: Some(id.clone()),
            row: Ok(Row::Hpay(HpayRow {
                user_id: id,
                app_user_id: line as i64,
                name: "N".into(),
                phone_number: "+23279000001".into(),
                email: None,
                username: None,
                is_active: None,
            })),
        }
    }

    fn ok(line: u64, id: Option<String>) -> Entry {
        Entry {
            line,
            id,
            status: Status::Ok,
            http_status: Some(200),
            attempts: 1,
            error: None,
        }
    }

    /// Runs `dispatch` over `lines` with `process`, through the real journal
    /// writer and counters; returns the entries in line order, the tally and
    /// the accounting verdict.
    async fn run_rows<P, F>(lines: &[u64], process: P) -> (Vec<Entry>, Result<(), String>)
    where
        P: Fn(u64, Option<String>, Row) -> F,
        F: Future<Output = Entry> + Send + 'static,
    {
        let counters = Arc::new(Counters::default());
        let (row_tx, row_rx) = mpsc::channel(lines.len().max(1));
        for &line in lines {
            counters.read.fetch_add(1, Ordering::Relaxed);
            row_tx.send(parsed(line)).await.unwrap();
        }
        drop(row_tx);
        let file = tempfile::tempfile().unwrap();
        let journal = file.try_clone().unwrap();
        let (entry_tx, entry_rx) = mpsc::channel(16);
        let writer = {
            let counters = counters.clone();
            task::spawn_blocking(move || write_entries(journal, entry_rx, &counters))
        };
        let stop = std::future::pending();
        let interrupted = dispatch(row_rx, &entry_tx, 2, true, stop, process).await;
        assert!(!interrupted);
        drop(entry_tx);
        writer.await.unwrap().unwrap();

        let mut text = String::new();
        use std::io::{Read, Seek};
        let mut file = file;
        file.rewind().unwrap();
        file.read_to_string(&mut text).unwrap();
        let mut entries: Vec<Entry> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        entries.sort_by_key(|e| e.line);
        let verdict = check_accounting(&counters.tally(), counters.read.load(Ordering::Relaxed));
        (entries, verdict)
    }

    #[tokio::test]
    async fn a_panicking_row_is_journaled_as_failed() {
        let (entries, verdict) = run_rows(&[1, 2, 3], |line, id, _row| async move {
            if line == 2 {
                panic!("boom at row {line}");
            }
            ok(line, id)
        })
        .await;
        let lines: Vec<u64> = entries.iter().map(|e| e.line).collect();
        assert_eq!(lines, [1, 2, 3], "one entry per row: {entries:?}");
        assert_eq!(entries[0].status, Status::Ok);
        assert_eq!(entries[2].status, Status::Ok);
        let panicked = &entries[1];
        assert_eq!(panicked.status, Status::Failed);
        assert_eq!(panicked.id.as_deref(), Some("u2"));
        assert_eq!(
            panicked.error.as_deref(),
            Some("internal error: boom at row 2")
        );
        assert_eq!(verdict, Ok(()));
    }

    #[tokio::test]
    async fn many_rows_through_few_slots_all_get_one_entry() {
        let lines: Vec<u64> = (1..=50).collect();
        let (entries, verdict) = run_rows(&lines, |line, id, _row| async move {
            tokio::task::yield_now().await;
            if line % 7 == 0 {
                std::panic::panic_any(line); // a payload that is not a string
            }
            ok(line, id)
        })
        .await;
        assert_eq!(entries.iter().map(|e| e.line).collect::<Vec<_>>(), lines);
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
        assert_eq!(verdict, Ok(()));
    }

    #[test]
    fn unaccounted_rows_fail_the_run() {
        let tally = Tally {
            total: 2,
            ok: 2,
            failed: 0,
            skipped: 0,
            requests: 2,
        };
        let err = check_accounting(&tally, 3).unwrap_err();
        assert!(err.contains("3 row(s) read but 2 accounted for"), "{err}");
        let skipped = Tally {
            skipped: 1,
            total: 3,
            ..tally
        };
        assert_eq!(check_accounting(&skipped, 3), Ok(()));
    }
}
