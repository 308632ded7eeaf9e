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
use journal::{Entry, Status};
use progress::{Counters, Progress};
use send::{Client, Limiter};
use std::fs::File;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;
use tokio::sync::{Semaphore, mpsc};

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
    let (row_tx, mut row_rx) = mpsc::channel::<input::Parsed>(concurrency * 4);
    let reader = {
        let (done, counters, provider) = (journal.done, counters.clone(), args.provider);
        tokio::task::spawn_blocking(move || {
            input::read_rows(input, provider, |parsed| {
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
    let slots = Arc::new(Semaphore::new(concurrency));
    let mut ctrl_c = std::pin::pin!(stop_signal());
    let mut interrupted = false;
    loop {
        if entry_tx.is_closed() {
            break; // the journal writer failed; its error is reported below
        }
        let parsed = tokio::select! {
            biased;
            _ = &mut ctrl_c => { interrupted = true; break; }
            parsed = row_rx.recv() => match parsed {
                Some(parsed) => parsed,
                None => break,
            },
        };
        let row = match parsed.row {
            Ok(row) => row,
            Err(reason) => {
                let entry = Entry {
                    line: parsed.line,
                    id: parsed.id,
                    status: Status::Failed,
                    http_status: None,
                    attempts: 0,
                    error: Some(reason),
                };
                if entry_tx.send(entry).await.is_err() {
                    break;
                }
                continue;
            }
        };
        let permit = tokio::select! {
            biased;
            _ = &mut ctrl_c => { interrupted = true; break; }
            permit = slots.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
        };
        let (client, limiter, entry_tx) = (client.clone(), limiter.clone(), entry_tx.clone());
        tokio::spawn(async move {
            let entry = send::send(&client, &limiter, parsed.line, parsed.id, row).await;
            let _ = entry_tx.send(entry).await;
            drop(permit);
        });
    }
    drop(row_rx); // stops the reader
    if interrupted {
        if !global.quiet {
            eprintln!("interrupted: waiting for requests in flight (signal again to quit now)");
        }
        tokio::spawn(async {
            stop_signal().await;
            eprintln!("error: interrupted; rerun with --resume to continue");
            std::process::exit(output::EXIT_INTERRUPTED.into());
        });
    }
    let _all_idle = slots.acquire_many(concurrency as u32).await;
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
