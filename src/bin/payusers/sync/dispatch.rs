//! Running rows: at most `concurrency` in flight, and rows that
//! share a key (a user id) one at a time, in input order — while rows for
//! different users run side by side. A row with two keys (a person at
//! both providers) waits in line for each, and starts once it holds both.
//!
//! `concurrency` workers, each a task of its own, take a row, send it,
//! journal its entry and take the next, as a hand-written client's tasks
//! would: no hop through a dispatcher between one row and the next, and
//! the rows' work spread over the runtime's threads. What they share (rows
//! read and not started, the keys in flight, entries waiting to be
//! written) sits behind one lock, held for a few bookkeeping steps only.
//!
//! The journal is written outside that lock, by one worker at a time, with
//! group commit: a worker whose row finishes while another writes queues
//! its entry, and the writer writes everything queued in one `write`
//! before it stops writing. A worker takes no row until its entry is
//! written (nor while entries of rows that failed to parse wait to be),
//! so at most one row a worker is ever sent and not journaled, and once a
//! write fails no worker takes another row. Against the write held
//! under the shared lock (three paired runs, 10,000 rows): 1–2.5 % faster, half
//! the `futex` calls; with a slow disk, rows no longer wait in line for
//! one write each.
//!
//! Measured against one dispatcher task polling every row on a single
//! thread (alternating bench runs, 50,000 rows): 0.74–0.77× the raw
//! client's rows/s instead of 0.69–0.71×, for more CPU a row (1.4× the raw
//! client's instead of 1.2×: threads hand work to each other).

use crate::output;
use futures_util::FutureExt as _;
use payusers::batch::input::Parsed;
use payusers::batch::journal::{self, Digest, Entry, Status};
use payusers::batch::rows::Row;
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::io::Write as _;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::{Notify, mpsc};

/// Rows held back behind a busy key before reading pauses.
const MAX_WAITING: usize = 4096;

/// Input text of the rows held back behind busy keys before reading
/// pauses, whichever cap comes first: long rows (up to 1 MiB each) stay
/// within memory.
const MAX_WAITING_BYTES: usize = 64 << 20;

/// Where a run's entries go: the journal (and the counters). `false` once
/// an entry could not be written.
pub trait Record: Send + 'static {
    fn record(&mut self, entries: &[Entry]) -> bool;
    /// Whether each row's sending is journaled before it is sent (an
    /// [`Entry::in_flight`] entry), so a run killed mid-request leaves the
    /// row in doubt rather than unsent.
    fn journals_in_flight(&self) -> bool {
        false
    }
}

impl<F: FnMut(&[Entry]) -> bool + Send + 'static> Record for F {
    fn record(&mut self, entries: &[Entry]) -> bool {
        self(entries)
    }
}

/// How a run of rows ended.
#[derive(Debug, Clone, Copy)]
pub struct Ended {
    /// `stop` fired first.
    pub interrupted: bool,
    /// Rows were left unread or unstarted: interrupted, a journal write
    /// failed, or a worker was lost. The reader may still be waiting on
    /// its input (a pipe that never ends): nobody needs it now.
    pub early: bool,
}

/// Runs every row from `rows` through `process` and hands each entry to
/// `record`; returns how the run ended, and `record` back.
///
/// A row's entry is recorded before its worker starts another row, so a
/// failing journal stops the run with no more rows sent unjournaled than
/// were in flight.
pub async fn dispatch<P, F, R>(
    rows: mpsc::Receiver<Vec<Parsed>>,
    record: R,
    concurrency: usize,
    quiet: bool,
    stop: impl Future<Output = ()>,
    process: P,
) -> (Ended, R)
where
    P: Fn(Parsed) -> F + Send + Sync + 'static,
    F: Future<Output = Entry> + Send + 'static,
    R: Record,
{
    let shared = Arc::new(Shared {
        state: Mutex::new(State::new()),
        in_flight: record.journals_in_flight(),
        journal: Mutex::new(record),
        changed: Notify::new(),
        settled: Notify::new(),
        rows: tokio::sync::Mutex::new(rows),
        process,
    });
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..concurrency.max(1) {
        workers.spawn(work(shared.clone()));
    }
    // Weak: a strong handle kept by this future would outlive the workers.
    let watcher = Arc::downgrade(&shared);
    let all_done = async {
        while let Some(done) = workers.join_next().await {
            // A worker ends by itself only when the rows do; a panic outside
            // a row (none is known: rows and the journal are caught) stops
            // the run, so no worker waits for keys the lost one held, and
            // fails the run's accounting.
            if let Err(e) = done {
                output::warn(&format!("error: internal error in a sync worker: {e}"));
                if let Some(shared) = watcher.upgrade() {
                    shared.lock().stopping = true;
                    shared.changed.notify_waiters();
                }
            }
        }
    };
    let mut all_done = std::pin::pin!(all_done);
    let interrupted = tokio::select! {
        biased;
        () = stop => true,
        () = &mut all_done => false,
    };
    if interrupted {
        // Requests sent finish and are journaled; a row still waiting for
        // its turn under --rate (or a 429's pause) is refused unsent by the
        // closed limiters and journaled so; rows read or waiting behind a
        // busy key are not started. A resume sends both.
        shared.lock().stopping = true;
        shared.changed.notify_waiters();
        if !quiet {
            output::warn(
                "interrupted: finishing requests already sent; rows not yet sent are left for --resume (signal again to quit now)",
            );
        }
        tokio::spawn(async {
            super::stop_signal().await;
            output::warn("error: interrupted; rerun with --resume to continue");
            std::process::exit(output::EXIT_INTERRUPTED.into());
        });
        all_done.await;
    }
    let early = shared.lock().stopping;
    let record = match Arc::try_unwrap(shared) {
        Ok(shared) => shared
            .journal
            .into_inner()
            .unwrap_or_else(|e| e.into_inner()),
        // The workers, joined above, held the only other handles.
        Err(_) => unreachable!("every worker has ended"),
    };
    (Ended { interrupted, early }, record)
}

/// What the workers share.
struct Shared<P, R> {
    state: Mutex<State>,
    /// Journal each row's sending before it is sent.
    in_flight: bool,
    /// The journal: locked only by the one worker writing (see
    /// [`State::writing`]), never while `state` is held.
    journal: Mutex<R>,
    /// Rows became available, a key's rows drained below the cap, or the
    /// run is stopping.
    changed: Notify,
    /// A write ended: entries queued before it are settled.
    settled: Notify,
    /// The reader's batches; one idle worker at a time waits on it.
    rows: tokio::sync::Mutex<mpsc::Receiver<Vec<Parsed>>>,
    process: P,
}

/// Rows, keys and the journal under one lock: a row is taken only while no
/// write has failed, and a failed write stops every take at once (rows
/// taken before it may still be sent: they were in flight).
struct State {
    /// Rows read and not yet started, in input order.
    pending: VecDeque<Parsed>,
    /// Keys held, with the rows waiting for each in input order (foldhash:
    /// the keys are the user's own input, hashed three times a row). A
    /// key is held by the row in flight with it, or by a row with two keys
    /// that still waits for its other one.
    busy: HashMap<String, VecDeque<Waiter>, foldhash::fast::RandomState>,
    /// Rows with two keys waiting for one or both, by line: each with how
    /// many of its keys it still waits for.
    parked: HashMap<u64, (Parsed, u8), foldhash::fast::RandomState>,
    /// Rows that now hold every key they need and have not started: freed
    /// by a finished row that had more than one row to hand on.
    ready: VecDeque<Parsed>,
    /// Rows held back behind a busy key (`parked` ones included), and
    /// their input text in bytes.
    waiting: usize,
    waiting_bytes: usize,
    /// Whether the reader may send more.
    reading: bool,
    /// Interrupted, or the journal failed: start nothing new.
    stopping: bool,
    /// No write has failed (once one has, nothing more is written).
    recording: bool,
    /// Entries finished and not yet written, in the order they finished.
    queued: Vec<Entry>,
    /// A worker is writing: whatever queues meanwhile, it writes next, in
    /// one write (group commit), so no worker waits on another's write.
    writing: bool,
    /// Entries ever queued, and how many of those are settled: written, or
    /// dropped because the journal failed.
    entries: u64,
    settled: u64,
    /// Workers waiting for their entry to settle.
    listening: usize,
}

/// A row waiting for a key: the row itself, or (for a row with two keys,
/// which waits in both keys' lines) its line in [`State::parked`].
// As `Found`: boxing would allocate for every waiting row.
#[allow(clippy::large_enum_variant)]
enum Waiter {
    Row(Parsed),
    Parked(u64),
}

/// What an idle worker finds.
// Returned once per row and moved once: boxing the row would cost an
// allocation a row to save a 240-byte move.
#[allow(clippy::large_enum_variant)]
enum Found {
    Row(Parsed),
    /// Nothing more, ever (`stopping`: because the run is stopping).
    Done {
        stopping: bool,
    },
    /// Too many rows wait behind busy keys: wait until one starts.
    AtCap,
    /// Every row is read and none can start, but rows in flight may free
    /// some waiting behind them (a finished row with two keys can free two,
    /// one for another worker): wait, not end.
    Held,
    /// Nothing read and not started: read a batch.
    Empty,
    /// Rows that failed to parse wait to be journaled, and no write is under
    /// way: they are written before another row starts (so a failed write
    /// stops the run first). [`find`] writes them and looks again; it never
    /// returns this.
    WriteFirst,
}

impl<P, R> Shared<P, R> {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves the state as consistent as
        // between two statements; the accounting check catches any loss.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl State {
    /// Nothing read yet.
    fn new() -> Self {
        State {
            pending: VecDeque::new(),
            busy: HashMap::default(),
            parked: HashMap::default(),
            ready: VecDeque::new(),
            waiting: 0,
            waiting_bytes: 0,
            reading: true,
            stopping: false,
            recording: true,
            queued: Vec::new(),
            writing: false,
            entries: 0,
            settled: 0,
            listening: 0,
        }
    }

    /// Queues a finished row's entry: its number, and whether the caller
    /// is now the writer (no write was under way).
    fn queue(&mut self, entry: Entry) -> (u64, bool) {
        self.queued.push(entry);
        self.entries += 1;
        let writer = !self.writing;
        self.writing = true;
        (self.entries, writer)
    }

    /// The next row to start, if one can start now: a row that failed to
    /// parse is journaled on the way (nothing to send), a row whose key is
    /// busy is queued behind it.
    fn find(&mut self) -> Found {
        while !self.stopping {
            if !self.ready.is_empty() {
                if !self.writing && !self.queued.is_empty() {
                    return Found::WriteFirst;
                }
                if let Some(parsed) = self.ready.pop_front() {
                    return Found::Row(parsed);
                }
            }
            if self.at_cap() {
                return Found::AtCap;
            }
            let Some(parsed) = self.pending.pop_front() else {
                break;
            };
            if parsed.row.is_err() {
                // Nothing to send: its entry goes with the next write (the
                // worker taking a row writes it, unless a write is on).
                self.queued.push(failed(parsed));
                self.entries += 1;
                continue;
            }
            if !self.writing && !self.queued.is_empty() {
                self.pending.push_front(parsed);
                return Found::WriteFirst;
            }
            if let Some(parsed) = self.claim(parsed) {
                return Found::Row(parsed);
            }
        }
        if !self.stopping && !self.reading && !self.busy.is_empty() {
            Found::Held
        } else if self.stopping || !self.reading {
            Found::Done {
                stopping: self.stopping,
            }
        } else {
            // At most one more batch is read while the cap is reached with
            // nothing pending: reading pauses one batch past the cap.
            Found::Empty
        }
    }

    /// Too many rows (or too much of their text) wait behind busy keys to
    /// read more.
    fn at_cap(&self) -> bool {
        self.waiting >= MAX_WAITING || self.waiting_bytes >= MAX_WAITING_BYTES
    }

    /// Takes `parsed`'s keys: the row, when it holds them all and may
    /// start; else it waits in line for each key held.
    fn claim(&mut self, parsed: Parsed) -> Option<Parsed> {
        let Some(key) = &parsed.id else {
            return Some(parsed);
        };
        let also = parsed.also.as_ref().filter(|also| *also != key);
        let Some(also) = also else {
            if let Some(queue) = self.busy.get_mut(key) {
                self.waiting += 1;
                self.waiting_bytes += parsed.bytes;
                queue.push_back(Waiter::Row(parsed));
                return None;
            }
            self.busy.insert(key.clone(), VecDeque::new());
            return Some(parsed);
        };
        let mut waits_for = 0;
        for key in [key, also] {
            match self.busy.get_mut(key) {
                Some(queue) => {
                    queue.push_back(Waiter::Parked(parsed.line));
                    waits_for += 1;
                }
                None => {
                    self.busy.insert(key.clone(), VecDeque::new());
                }
            }
        }
        if waits_for == 0 {
            return Some(parsed);
        }
        self.waiting += 1;
        self.waiting_bytes += parsed.bytes;
        self.parked.insert(parsed.line, (parsed, waits_for));
        None
    }

    /// A row with `keys` finished: the next row to start on the same
    /// worker (input order kept), if one now holds every key it needs;
    /// any other such row goes to [`State::ready`].
    fn release(&mut self, [key, also]: [Option<&str>; 2]) -> Option<Parsed> {
        // A second key equal to the first was never taken twice (`claim`).
        let also = also.filter(|also| Some(*also) != key);
        let mut next = None;
        for key in [key, also].into_iter().flatten() {
            let Some(queue) = self.busy.get_mut(key) else {
                continue;
            };
            let freed = match queue.pop_front() {
                None => {
                    self.busy.remove(key);
                    None
                }
                Some(Waiter::Row(parsed)) => Some(parsed),
                // It holds this key now; it starts once it holds both.
                Some(Waiter::Parked(line)) => match self.parked.get_mut(&line) {
                    Some((_, waits_for)) if *waits_for > 1 => {
                        *waits_for -= 1;
                        None
                    }
                    _ => self.parked.remove(&line).map(|(parsed, _)| parsed),
                },
            };
            if let Some(parsed) = freed {
                self.waiting -= 1;
                self.waiting_bytes -= parsed.bytes;
                match next {
                    None => next = Some(parsed),
                    Some(_) => self.ready.push_back(parsed),
                }
            }
        }
        next
    }
}

/// One worker: rows until there are none (or the run stops).
async fn work<P, F, R>(shared: Arc<Shared<P, R>>)
where
    P: Fn(Parsed) -> F + Send + Sync + 'static,
    F: Future<Output = Entry> + Send + 'static,
    R: Record,
{
    let mut next = None;
    loop {
        let parsed = match next.take() {
            Some(parsed) => parsed,
            None => match take(&shared).await {
                Some(parsed) => parsed,
                None => return,
            },
        };
        // The row's own keys, whatever its entry says.
        let (key, also) = (parsed.id.clone(), parsed.also.clone());
        let entry = if shared.in_flight
            && parsed.row.is_ok()
            && !journal_first(&shared, in_flight(&parsed, &key)).await
        {
            // The journal stopped taking writes: nothing more is sent.
            let mut parsed = parsed;
            parsed.row = Err("not sent: the journal stopped taking writes".into());
            failed(parsed)
        } else {
            run_row(&shared.process, parsed, &key).await
        };
        // The entry is written (or the journal has failed) before this
        // worker takes its key's next row, or any other.
        let (number, writer) = shared.lock().queue(entry);
        if writer {
            write_queued(&shared);
        } else {
            until_settled(&shared, number).await;
        }
        let wake = {
            let mut state = shared.lock();
            let at_cap = state.at_cap();
            next = state.release([key.as_deref(), also.as_deref()]);
            if state.stopping {
                // The rows waiting for these keys are not started either.
                next = None;
            }
            // Others may now start: there is room below the cap, or a row
            // freed here waits for a worker; or, the last key free, the
            // workers held for freed rows may end.
            let ended = !state.reading && state.busy.is_empty();
            (at_cap && next.is_some()) || !state.ready.is_empty() || ended
        };
        if wake {
            shared.changed.notify_waiters();
        }
    }
}

/// Journals `entry` (a row's sending) and waits until it is written;
/// `false` when the journal has stopped taking writes.
async fn journal_first<P, R: Record>(shared: &Shared<P, R>, entry: Entry) -> bool {
    let (number, writer) = shared.lock().queue(entry);
    if writer {
        write_queued(shared);
    } else {
        until_settled(shared, number).await;
    }
    shared.lock().recording
}

/// The entry saying `parsed` is being sent (see [`Entry::in_flight`]).
fn in_flight(parsed: &Parsed, key: &Option<String>) -> Entry {
    Entry {
        line: parsed.line,
        id: key.clone(),
        also: parsed.also.clone(),
        status: Status::Failed,
        http_status: None,
        attempts: 0,
        error: Some(
            "in flight: the run ended after this row was sent and before its answer was \
             journaled; it may have been applied"
                .into(),
        ),
        digest: parsed.digest.hex(),
        created_id: None,
        outcomes: None,
        maybe_applied: true,
        note: None,
        in_flight: true,
    }
}

/// Writes queued entries until none are left, each time all of them in
/// one write; the caller has claimed [`State::writing`]. Once a write
/// fails (or panics), nothing more is written or started.
fn write_queued<P, R: Record>(shared: &Shared<P, R>) {
    let mut batch = Vec::new();
    let mut failed = false;
    loop {
        let (recording, listening) = {
            let mut state = shared.lock();
            state.settled += batch.len() as u64;
            if failed {
                state.recording = false;
                state.stopping = true;
            }
            batch.clear();
            std::mem::swap(&mut state.queued, &mut batch);
            if batch.is_empty() {
                state.writing = false;
            }
            (state.recording, state.listening)
        };
        if listening > 0 {
            shared.settled.notify_waiters();
        }
        if failed {
            shared.changed.notify_waiters();
            failed = false;
        }
        if batch.is_empty() {
            return;
        }
        if recording {
            let mut journal = shared.journal.lock().unwrap_or_else(|e| e.into_inner());
            let written = std::panic::catch_unwind(AssertUnwindSafe(|| journal.record(&batch)));
            failed = !written.unwrap_or(false);
        }
    }
}

/// Waits until entry `number` is settled (written by another worker, or
/// dropped because the journal failed).
async fn until_settled<P, R>(shared: &Shared<P, R>, number: u64) {
    let mut listening = false;
    loop {
        let settled = shared.settled.notified();
        let mut settled = std::pin::pin!(settled);
        settled.as_mut().enable();
        {
            let mut state = shared.lock();
            if state.settled >= number {
                if listening {
                    state.listening -= 1;
                }
                return;
            }
            if !listening {
                state.listening += 1;
                listening = true;
            }
        }
        settled.await;
    }
}

/// The next row an idle worker may start, reading a batch when none is
/// left; `None` when the rows are done or the run is stopping.
async fn take<P, R: Record>(shared: &Shared<P, R>) -> Option<Parsed> {
    loop {
        // Usually a row is there: take it without listening for changes.
        let found = find(shared);
        match found {
            Found::Row(parsed) => return Some(parsed),
            Found::Done { stopping } => return done(shared, stopping),
            // (`WriteFirst` never comes back from `find`.)
            Found::AtCap | Found::Held | Found::Empty | Found::WriteFirst => {}
        }
        // Listening before looking again, so no change is missed in between.
        let changed = shared.changed.notified();
        let mut changed = std::pin::pin!(changed);
        changed.as_mut().enable();
        let found = find(shared);
        match found {
            Found::Row(parsed) => return Some(parsed),
            Found::Done { stopping } => return done(shared, stopping),
            Found::AtCap | Found::Held => {
                changed.await;
                continue;
            }
            Found::Empty | Found::WriteFirst => {}
        }
        // Nothing read and not started: read a batch, unless another
        // worker already is (then wait for what it brings).
        let Ok(mut rows) = shared.rows.try_lock() else {
            changed.await;
            continue;
        };
        let batch = tokio::select! {
            batch = rows.recv() => batch,
            () = &mut changed => continue,
        };
        {
            // Still holding the reader's lock, so batches queue in the
            // order they were read.
            let mut state = shared.lock();
            match batch {
                Some(batch) => state.pending.extend(batch),
                None => state.reading = false,
            }
        }
        drop(rows);
        shared.changed.notify_waiters();
    }
}

/// What an idle worker finds; it writes the entries of rows that failed to
/// parse on the way, unless a write is under way (which writes them).
fn find<P, R: Record>(shared: &Shared<P, R>) -> Found {
    loop {
        let (found, writer) = {
            let mut state = shared.lock();
            let found = state.find();
            let writer = !state.writing && !state.queued.is_empty();
            state.writing |= writer;
            (found, writer)
        };
        if writer {
            write_queued(shared);
        }
        if !matches!(found, Found::WriteFirst) {
            return found;
        }
    }
}

/// An idle worker's end; when the run is stopping, every other idle
/// worker hears of it too.
fn done<P, R>(shared: &Shared<P, R>, stopping: bool) -> Option<Parsed> {
    if stopping {
        shared.changed.notify_waiters();
    }
    None
}

/// Runs one row (whose key is `key`); a panic (making its future or
/// polling it) fails that row only. A row that may hold a password (one
/// read under a CSV `pwd` column, or setting one) and fails, by panic or
/// refusal, keeps none of its values in its error, and its digest (which
/// may hash one) is withheld; its key stays: it names the user its
/// request went to, which `--resume` counts as written.
async fn run_row<P, F>(process: &P, parsed: Parsed, key: &Option<String>) -> Entry
where
    P: Fn(Parsed) -> F,
    F: Future<Output = Entry>,
{
    let (line, digest, also) = (parsed.line, parsed.digest, parsed.also.clone());
    // Built once, before the row is moved into its send.
    let guard = parsed.row.as_ref().ok().and_then(Row::guard);
    let quiet = guard.is_some();
    // Not boxed: the row's future (6 KB) lives in its worker's, which is
    // allocated once, so no row allocates it (or frees it on another thread).
    let mut row = std::pin::pin!(async { process(parsed).await });
    let mut outcome = AssertUnwindSafe(std::future::poll_fn(|cx| {
        let _quiet = quiet.then(QuietPanic::enter);
        row.as_mut().poll(cx)
    }))
    .catch_unwind()
    .await;
    if let (Ok(entry), Some(guard)) = (&mut outcome, &guard)
        && entry.status != Status::Ok
    {
        // A server may echo any value of the row in its error.
        entry.error = entry.error.as_deref().map(|error| guard.scrub(error));
        // A failed row's digest is never matched, so it is withheld; but a
        // create that may have made its user keeps it, as an ok row does
        // (sent as it read): `--resume` must know that content again.
        if !entry.maybe_applied {
            entry.digest = Digest::withheld().hex();
        }
    }
    outcome.unwrap_or_else(|panic| {
        let message = panic_message(panic.as_ref());
        Entry {
            line,
            id: key.clone(),
            also,
            status: Status::Failed,
            http_status: None,
            attempts: 0,
            error: Some(journal::capped_error(format!(
                "internal error: {}",
                match &guard {
                    Some(guard) => guard.scrub(&message),
                    None => message,
                }
            ))),
            digest: if quiet { Digest::withheld() } else { digest }.hex(),
            created_id: None,
            outcomes: None,
            maybe_applied: false,
            note: None,
            in_flight: false,
        }
    })
}

thread_local! {
    /// Whether the row being polled on this thread may hold a password.
    static QUIET_PANIC: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Marks this thread's work as on rows that may hold a password, until
/// dropped: a panic's message there (which may quote one of their values)
/// is kept from the panic hook's report ([`keep_quiet_panics_quiet`]).
pub struct QuietPanic(bool);

impl QuietPanic {
    pub fn enter() -> Self {
        QuietPanic(QUIET_PANIC.replace(true))
    }
}

impl Drop for QuietPanic {
    fn drop(&mut self) {
        QUIET_PANIC.set(self.0);
    }
}

/// Installs (once) a panic hook that reports a panic in a row that may
/// hold a password, or in the input's reader, by its place alone; any
/// other goes to the hook before.
pub fn keep_quiet_panics_quiet() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let before = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if QUIET_PANIC.get() {
                let place = info
                    .location()
                    .map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
                // Never `eprintln!`: a closed stderr would panic inside the
                // hook, and abort.
                let _ = writeln!(
                    std::io::stderr().lock(),
                    "payusers: internal error{place} while reading or sending rows that \
                     may hold a password (its message is withheld)"
                );
            } else {
                before(info);
            }
        }));
    });
}

/// A row that could not be parsed: journaled at once, nothing to send.
fn failed(parsed: Parsed) -> Entry {
    Entry {
        line: parsed.line,
        id: parsed.id,
        also: None,
        status: Status::Failed,
        http_status: None,
        attempts: 0,
        error: parsed.row.err(),
        digest: parsed.digest.hex(),
        created_id: None,
        outcomes: None,
        // A row held back as in doubt stays so.
        maybe_applied: parsed.in_doubt,
        note: None,
        in_flight: false,
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
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    fn parsed(line: u64, id: &str) -> Parsed {
        Parsed {
            in_doubt: false,
            line,
            id: Some(id.to_string()),
            also: None,
            bytes: 40,
            digest: Digest::of(id.as_bytes()),
            row: Ok(Row::Hpay(HpayRow::default())),
        }
    }

    fn ok(p: &Parsed) -> Entry {
        Entry {
            line: p.line,
            id: p.id.clone(),
            also: p.also.clone(),
            status: Status::Ok,
            http_status: Some(200),
            attempts: 1,
            error: None,
            digest: p.digest.hex(),
            created_id: None,
            outcomes: None,
            maybe_applied: false,
            note: None,
            in_flight: false,
        }
    }

    async fn run_rows<P, F>(rows: Vec<Parsed>, concurrency: usize, process: P) -> Vec<Entry>
    where
        P: Fn(Parsed) -> F + Send + Sync + 'static,
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
        let out = Arc::new(Mutex::new(Vec::new()));
        let sink = out.clone();
        let (ended, _) = dispatch(
            row_rx,
            move |entries: &[Entry]| {
                sink.lock().unwrap().extend(entries.iter().cloned());
                true
            },
            concurrency,
            true,
            std::future::pending(),
            process,
        )
        .await;
        assert!(!ended.interrupted && !ended.early, "{ended:?}");
        std::mem::take(&mut *out.lock().unwrap())
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
        assert_in_input_order(&applied.lock().unwrap());
    }

    /// Rows naming one or two users (a `--provider both` file: hPay `a`
    /// or `b`, Payabli `1` or `2`): no two rows sharing a user run at once,
    /// and each user's rows run in input order.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn rows_naming_two_users_wait_for_rows_naming_either() {
        const KEYS: [(Option<&str>, Option<&str>); 6] = [
            (Some("hpay:a"), Some("payabli:1")),
            (Some("payabli:1"), None),
            (Some("hpay:a"), None),
            (Some("hpay:b"), Some("payabli:1")),
            (Some("hpay:a"), Some("payabli:2")),
            (Some("payabli:2"), None),
        ];
        let rows: Vec<Parsed> = (1..=120)
            .map(|line| {
                let (id, also) = KEYS[(line * 7 % 6) as usize];
                Parsed {
                    in_doubt: false,
                    id: id.map(String::from),
                    also: also.map(String::from),
                    ..parsed(line, "")
                }
            })
            .collect();
        let applied = Arc::new(Mutex::new(Vec::new()));
        let in_flight = Arc::new(Mutex::new(std::collections::HashSet::new()));
        let (a, f) = (applied.clone(), in_flight.clone());
        let entries = run_rows(rows, 8, move |p| {
            let (a, f) = (a.clone(), f.clone());
            async move {
                let keys: Vec<String> = p.id.iter().chain(&p.also).cloned().collect();
                for key in &keys {
                    assert!(
                        f.lock().unwrap().insert(key.clone()),
                        "line {}: another row of {key} is in flight",
                        p.line
                    );
                }
                // Later rows finish sooner, so any reordering would show.
                tokio::time::sleep(Duration::from_micros(1500 - 10 * p.line)).await;
                for key in keys {
                    f.lock().unwrap().remove(&key);
                    a.lock().unwrap().push((key, p.line));
                }
                ok(&p)
            }
        })
        .await;
        assert_eq!(entries.len(), 120);
        let applied = applied.lock().unwrap();
        for key in ["hpay:a", "hpay:b", "payabli:1", "payabli:2"] {
            let lines: Vec<u64> = applied
                .iter()
                .filter(|(k, _)| k == key)
                .map(|(_, l)| *l)
                .collect();
            assert!(lines.len() >= 20, "{key}: {} rows applied", lines.len());
            assert!(
                lines.is_sorted(),
                "{key}: rows applied out of order: {lines:?}"
            );
        }
    }

    /// A row with two keys (line 1: hPay `a`, Payabli `1`) frees two
    /// lines of rows when it ends: one for its own worker, the other for
    /// any idle one, so the two users' rows run side by side after it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_two_key_row_frees_both_users_rows_for_two_workers() {
        let mut rows = vec![Parsed {
            in_doubt: false,
            also: Some("payabli:1".into()),
            ..parsed(1, "hpay:a")
        }];
        rows.extend(
            (2..=41).map(|line| parsed(line, if line % 2 == 0 { "hpay:a" } else { "payabli:1" })),
        );
        let (now, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let (n, m) = (now.clone(), most.clone());
        let entries = run_rows(rows, 8, move |p| {
            let (n, m) = (n.clone(), m.clone());
            async move {
                m.fetch_max(n.fetch_add(1, SeqCst) + 1, SeqCst);
                tokio::time::sleep(Duration::from_millis(2)).await;
                n.fetch_sub(1, SeqCst);
                ok(&p)
            }
        })
        .await;
        assert_eq!(entries.len(), 41);
        assert_eq!(
            most.load(SeqCst),
            2,
            "the rows of `a` and of `1` ran one at a time"
        );
    }

    /// Rows naming one user or two, drawn from a few users, on 1 to 8
    /// workers: each row runs once, rows sharing a user never overlap,
    /// and each user's rows run in input order.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn mixed_one_and_two_key_rows_run_once_each_in_order() {
        for seed in 0..24u64 {
            let mut state = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut draw = move |n: u64| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                (state >> 33) % n
            };
            let users = 2 + seed % 5;
            let rows: Vec<Parsed> = (1..=400)
                .map(|line| {
                    let hpay = format!("hpay:{}", draw(users));
                    let payabli = format!("payabli:{}", draw(users));
                    match draw(3) {
                        0 => Parsed {
                            in_doubt: false,
                            also: Some(payabli),
                            ..parsed(line, &hpay)
                        },
                        1 => parsed(line, &hpay),
                        _ => parsed(line, &payabli),
                    }
                })
                .collect();
            let applied = Arc::new(Mutex::new(Vec::new()));
            let in_flight = Arc::new(Mutex::new(std::collections::HashSet::new()));
            let (a, f) = (applied.clone(), in_flight.clone());
            let workers = 1 + seed as usize % 8;
            let mut entries = run_rows(rows, workers, move |p| {
                let (a, f) = (a.clone(), f.clone());
                async move {
                    let keys: Vec<String> = p.id.iter().chain(&p.also).cloned().collect();
                    for key in &keys {
                        assert!(f.lock().unwrap().insert(key.clone()), "{key} twice at once");
                    }
                    if p.line % 3 == 0 {
                        tokio::time::sleep(Duration::from_micros(200)).await;
                    } else {
                        tokio::task::yield_now().await;
                    }
                    for key in keys {
                        f.lock().unwrap().remove(&key);
                        a.lock().unwrap().push((key, p.line));
                    }
                    ok(&p)
                }
            })
            .await;
            entries.sort_by_key(|e| e.line);
            let lines: Vec<u64> = entries.iter().map(|e| e.line).collect();
            assert_eq!(lines, (1..=400).collect::<Vec<_>>(), "seed {seed}");
            assert!(
                entries.iter().all(|e| e.status == Status::Ok),
                "seed {seed}"
            );
            let mut by_key: HashMap<String, Vec<u64>> = HashMap::new();
            for (key, line) in applied.lock().unwrap().iter() {
                by_key.entry(key.clone()).or_default().push(*line);
            }
            for (key, lines) in by_key {
                assert!(
                    lines.is_sorted(),
                    "seed {seed}: {key} out of order: {lines:?}"
                );
            }
        }
    }

    /// Rows of one user pile up behind its row in flight: reading pauses
    /// at 4,096 rows, or sooner when their text reaches 64 MiB.
    #[test]
    fn rows_behind_a_busy_user_pause_reading_by_count_or_by_bytes() {
        for (bytes, cap) in [(40, MAX_WAITING), (1 << 20, 64), (3 << 20, 22)] {
            let mut state = State::new();
            state.pending.extend((1..=5000).map(|line| Parsed {
                in_doubt: false,
                bytes,
                ..parsed(line, "same")
            }));
            assert!(matches!(state.find(), Found::Row(p) if p.line == 1));
            assert!(
                matches!(state.find(), Found::AtCap),
                "rows of {bytes} bytes"
            );
            assert_eq!(state.waiting, cap, "rows of {bytes} bytes");
            // The row in flight ends: the next starts, and one fewer waits.
            assert!(matches!(state.release([Some("same"), None]), Some(p) if p.line == 2));
            assert_eq!(state.waiting_bytes, (cap - 1) * bytes);
            assert!(!state.at_cap());
        }
    }

    /// A row whose second key is its first holds that key once, and
    /// frees one row behind it, not two.
    #[test]
    fn a_row_naming_one_key_twice_frees_one_row() {
        let mut state = State::new();
        let twice = |line| Parsed {
            in_doubt: false,
            also: Some("same".into()),
            ..parsed(line, "same")
        };
        state.pending.extend([twice(1), twice(2), twice(3)]);
        assert!(matches!(state.find(), Found::Row(p) if p.line == 1));
        assert!(matches!(state.find(), Found::Empty), "2 and 3 wait");
        assert_eq!(state.waiting, 2);
        let next = state.release([Some("same"), Some("same")]);
        assert!(matches!(next, Some(p) if p.line == 2));
        assert!(state.ready.is_empty(), "row 3 still waits for row 2");
        assert_eq!(state.waiting, 1);
    }

    /// Each key's rows were applied in input (line) order.
    fn assert_in_input_order(applied: &[(String, u64)]) {
        for key in ["same", "other"] {
            let lines: Vec<u64> = applied
                .iter()
                .filter(|(k, _)| k == key)
                .map(|(_, l)| *l)
                .collect();
            assert!(!lines.is_empty(), "no row of {key} applied");
            if let Some(pair) = lines.windows(2).find(|pair| pair[0] > pair[1]) {
                panic!("{key}: line {} applied before line {}", pair[0], pair[1]);
            }
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

    /// A row that may hold a password (read under a CSV `pwd` column)
    /// panics quoting one of its values: its entry keeps its user but not
    /// the value, nor a digest of it, and its polls are marked for the
    /// panic hook (which then reports the place alone); other rows' are not.
    #[tokio::test]
    async fn a_panicking_row_that_may_hold_a_password_keeps_it_out() {
        use payusers::batch::rows::PayabliRow;
        let guarded = Parsed {
            in_doubt: false,
            row: Ok(Row::Payabli(PayabliRow {
                user_id: Some(7),
                name: Some("Summer2024!".into()),
                guarded: true,
                ..PayabliRow::default()
            })),
            ..parsed(1, "7")
        };
        let quiet = Arc::new(Mutex::new(Vec::new()));
        let seen = quiet.clone();
        let entries = run_rows(vec![guarded, parsed(2, "u2")], 1, move |p| {
            let seen = seen.clone();
            async move {
                seen.lock().unwrap().push((p.line, QUIET_PANIC.get()));
                if p.line == 1 {
                    panic!("byte index 3 is not a char boundary of `Summer2024!`");
                }
                ok(&p)
            }
        })
        .await;
        let failed = entries.iter().find(|e| e.line == 1).unwrap();
        let error = failed.error.as_deref().unwrap();
        assert!(error.starts_with("internal error: "), "{error}");
        assert!(!error.contains("Summer"), "{error}");
        assert_eq!(failed.digest, Digest::withheld().hex());
        assert_eq!(failed.id.as_deref(), Some("7"));
        assert_eq!(*quiet.lock().unwrap(), [(1, true), (2, false)]);
        assert!(!QUIET_PANIC.get(), "the mark ends with the poll");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn more_rows_behind_one_user_than_the_cap_all_run_in_order() {
        let rows: Vec<Parsed> = (1..=(MAX_WAITING as u64 + 900))
            .map(|line| parsed(line, if line % 100 == 0 { "other" } else { "same" }))
            .collect();
        let applied = Arc::new(Mutex::new(Vec::new()));
        let a = applied.clone();
        let entries = run_rows(rows, 4, move |p| {
            let a = a.clone();
            async move {
                tokio::task::yield_now().await;
                a.lock().unwrap().push((p.id.clone().unwrap(), p.line));
                ok(&p)
            }
        })
        .await;
        assert_eq!(entries.len(), MAX_WAITING + 900);
        assert_in_input_order(&applied.lock().unwrap());
    }

    /// Runs 300 rows (one key each) on 8 workers with a journal that fails
    /// at write `fail_at` (by returning `false`, or by panicking); returns
    /// how many rows started.
    async fn with_failing_journal(fail_at: usize, panics: bool) -> usize {
        let (row_tx, row_rx) = mpsc::channel(8);
        tokio::spawn(async move {
            for line in 1..=300 {
                let batch = vec![parsed(line, &format!("u{line}"))];
                if row_tx.send(batch).await.is_err() {
                    return;
                }
            }
        });
        let mut written = 0;
        let journal = move |entries: &[Entry]| {
            written += entries.len();
            if written < fail_at {
                return true;
            }
            assert!(!panics, "the journal broke");
            false
        };
        let (started, early) = rows_started(row_rx, journal, 8).await;
        assert!(early, "write {fail_at} failed");
        started
    }

    /// Runs `rows` through `concurrency` workers into `journal`; returns
    /// how many rows started (each yields once before its entry), and
    /// whether the run ended early.
    async fn rows_started(
        rows: mpsc::Receiver<Vec<Parsed>>,
        journal: impl Record,
        concurrency: usize,
    ) -> (usize, bool) {
        use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
        let started = Arc::new(AtomicUsize::new(0));
        let s = started.clone();
        let (ended, _) = dispatch(
            rows,
            journal,
            concurrency,
            true,
            std::future::pending(),
            move |p| {
                s.fetch_add(1, SeqCst);
                async move {
                    tokio::task::yield_now().await;
                    ok(&p)
                }
            },
        )
        .await;
        assert!(!ended.interrupted);
        (started.load(SeqCst), ended.early)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_row_is_taken_once_the_journal_fails() {
        for fail_at in (20..50).cycle().take(120) {
            let panics = fail_at % 3 == 0;
            let started = with_failing_journal(fail_at, panics).await;
            // Besides the rows journaled and the one whose write failed,
            // only the other rows then in flight (at most 7) were sent.
            assert!(
                (fail_at..fail_at + 8).contains(&started),
                "{started} rows started, write {fail_at} failed"
            );
        }
    }

    #[tokio::test]
    async fn no_row_starts_once_a_failed_rows_entry_cannot_be_written() {
        for panics in [false, true] {
            let (row_tx, row_rx) = mpsc::channel(1);
            let mut unparsable = parsed(1, "u1");
            unparsable.row = Err("not valid JSON".into());
            let batch = vec![unparsable, parsed(2, "u2"), parsed(3, "u3")];
            row_tx.send(batch).await.unwrap();
            drop(row_tx);
            let journal = move |_: &[Entry]| {
                assert!(!panics, "the journal broke");
                false
            };
            // The unparsable row's entry was the first write, and it failed.
            let (sent, early) = rows_started(row_rx, journal, 1).await;
            assert_eq!(sent, 0, "panicking journal: {panics}");
            assert!(early);
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn rows_finishing_during_a_slow_write_share_the_next_one() {
        let (row_tx, row_rx) = mpsc::channel(200);
        for line in 1..=200 {
            row_tx
                .send(vec![parsed(line, &format!("u{line}"))])
                .await
                .unwrap();
        }
        drop(row_tx);
        let writes = Arc::new(Mutex::new(Vec::new()));
        let w = writes.clone();
        let journal = move |entries: &[Entry]| {
            // A slow disk: the other thread's workers finish meanwhile.
            std::thread::sleep(Duration::from_millis(3));
            w.lock()
                .unwrap()
                .push(entries.iter().map(|e| e.line).collect::<Vec<_>>());
            true
        };
        let (_, early) = rows_started(row_rx, journal, 8).await;
        assert!(!early, "every row ran");
        let writes = writes.lock().unwrap();
        let mut lines: Vec<u64> = writes.iter().flatten().copied().collect();
        lines.sort_unstable();
        assert_eq!(lines, (1..=200).collect::<Vec<_>>(), "each entry once");
        // One write a row would be 200 (66–73 in three runs here).
        assert!(writes.len() < 120, "{} writes for 200 rows", writes.len());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_row_whose_future_cannot_be_made_fails_alone() {
        let rows = (1..=40).map(|l| parsed(l, &format!("u{l}"))).collect();
        let entries = run_rows(rows, 4, |p| {
            assert!(p.line % 10 != 0, "no future for line {}", p.line);
            async move { ok(&p) }
        })
        .await;
        let failed: Vec<u64> = entries
            .iter()
            .filter(|e| e.status == Status::Failed)
            .map(|e| e.line)
            .collect();
        assert_eq!(entries.len(), 40);
        let mut failed = failed;
        failed.sort_unstable();
        assert_eq!(failed, [10, 20, 30, 40]);
    }
}
