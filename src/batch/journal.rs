//! The sync journal: a header naming the run (provider, operation, input
//! fingerprint), then one JSON object per processed row, appended by
//! group commit (the entries queued while one `write` runs go out in the
//! next) and flushed. `--resume` reads it back to skip rows already ok —
//! unless their content changed since.

use super::BatchError;
use super::{ProviderArg, SyncOp};
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::Path;

/// The journal format this version writes: 5, which journals a create's
/// or delete's sending before it is sent ([`Entry::in_flight`]); 4 on,
/// a CSV row's digest takes the cells in the order of their column names
/// (so reordering a file's columns changes no digest, as reformatting
/// JSON does not).
pub const VERSION: u32 = 5;

/// The oldest format this version resumes: 3 (CSV digests in the header's
/// order, which a resumed run keeps using; see [`csv_digests_sorted`]),
/// and 2 (the same, without a `--provider both` row's second user,
/// `also`).
const OLDEST_READ: u32 = 2;

/// Whether a journal of this format hashes a CSV row's cells sorted by
/// column name (4 on), rather than in the header's order.
pub fn csv_digests_sorted(format: u32) -> bool {
    format >= 4
}

/// Whether a journal of this format takes [`Entry::in_flight`] entries
/// (5 on): a resumed journal of an older format gets none, so the version
/// that wrote it still reads it as it would.
pub fn journals_in_flight(format: u32) -> bool {
    format >= 5
}

/// A 64-bit FNV-1a fingerprint (not for security: it only tells an edited
/// row from an unchanged one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digest(u64);

impl Default for Digest {
    fn default() -> Self {
        Digest::new()
    }
}

impl Digest {
    pub fn new() -> Self {
        Digest(0xcbf2_9ce4_8422_2325)
    }

    pub fn of(bytes: &[u8]) -> Self {
        let mut d = Digest::new();
        d.update(bytes);
        d
    }

    pub fn update(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// What stands for a row whose content may hold a password where it
    /// does not belong (text that is not a JSON object, a CSV record that
    /// does not read under a `pwd` column, a refused row that may hold
    /// one): only that it was such a row. A failed row's digest is never
    /// matched.
    pub fn withheld() -> Self {
        Digest::of(b"\0unreadable text naming a password\0")
    }

    /// Adds another digest's value: a fingerprint of fingerprints.
    pub fn fold(&mut self, other: Digest) {
        self.update(&other.0.to_le_bytes());
    }

    /// Reads what [`hex`](Self::hex) writes (`None` for anything else).
    pub fn from_hex(text: &str) -> Option<Self> {
        if text.len() != 16 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u64::from_str_radix(text, 16).ok().map(Digest)
    }

    /// Sixteen lowercase hex digits (as `{:016x}` writes them, without
    /// the formatting machinery: every row's entry carries one).
    pub fn hex(&self) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut text = [0u8; 16];
        for (i, digit) in text.iter_mut().enumerate() {
            *digit = DIGITS[((self.0 >> ((15 - i) * 4)) & 0xf) as usize];
        }
        // Bytes, not chars pushed one by one (a third of the cost a row).
        String::from_utf8(text.to_vec()).expect("hex digits are ASCII")
    }
}

/// Fingerprints bytes as they are written (e.g. a value serialized
/// straight into it, with no buffer in between).
impl io::Write for Digest {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The tag before a header's `input_digest` hex: how the input was
/// fingerprinted. One written another way (by an older payusers) is not
/// compared, so an upgrade alone never reads as an edited input.
const INPUT_DIGEST_SCHEME: &str = "rows3:";

/// A header's `input_digest` for an input's fingerprint.
pub fn input_digest(digest: Digest) -> String {
    format!("{INPUT_DIGEST_SCHEME}{}", digest.hex())
}

/// The journal's first line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Format version.
    pub journal: u32,
    pub provider: ProviderArg,
    pub op: SyncOp,
    /// A fingerprint of the whole input, when it is a regular file (see
    /// [`input_digest`]).
    pub input_digest: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Failed,
}

/// One processed row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub line: u64,
    pub id: Option<String>,
    /// With `--provider both`, a row naming both users: the second one's
    /// key (`id` is the first's), so `--resume` knows whom it wrote to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub also: Option<String>,
    pub status: Status,
    pub http_status: Option<u16>,
    pub attempts: u32,
    pub error: Option<String>,
    /// Fingerprint of the row's content.
    pub digest: String,
    /// A create's new id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_id: Option<String>,
    /// With `--provider both`: each provider's outcome (`updated`,
    /// `unchanged`, or `failed: …`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcomes: Option<std::collections::BTreeMap<String, String>>,
    /// A failed create or delete whose request may have done its work all
    /// the same (sent, and no answer said no: a timeout, a connection lost
    /// after sending, a 5xx, an unreadable success). `--resume` does not
    /// send such a create's content again unless told to, and sends such a
    /// delete again ready to find its user gone ([`Resume::Uncertain`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub maybe_applied: bool,
    /// What an ok row's status alone does not say: a delete sent again
    /// after a lost answer, whose user an earlier attempt had removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Written before a create or delete is sent (a failed,
    /// `maybe_applied` entry): if the run dies before the row's own entry
    /// follows (`kill -9`, a crash; written, not synced to disk, so not a
    /// power loss), `--resume` finds the row
    /// in doubt, as if its answer had been lost. Any later entry of the
    /// same line and content replaces it; it counts toward no total.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_flight: bool,
}

/// What resuming makes of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resume {
    /// Never ok before: send it.
    New,
    /// Ok with the same content: skip it.
    Done,
    /// Ok before, but its content changed: send it again.
    Changed,
    /// Changed, and no longer naming a user it wrote to: send it again,
    /// and say so (that user keeps what this row wrote before, whatever
    /// their own rows say, which were not sent again for it).
    Retargeted,
    /// Ok before with the same content, but an earlier row of the same
    /// user is sent again in this run (new, failed before, or edited), or
    /// was written after this one (by a resumed run killed before it got
    /// here): send this one again too, after it, so the user ends as the file's
    /// last row for them says (an update run's rows apply in file order,
    /// across runs as within one).
    After,
    /// A create or delete no ok entry has, but whose content an earlier
    /// attempt may have carried out (its entry is `maybe_applied`, and no
    /// ok entry of that content came after it at its line). A create sent
    /// again could make the user twice; a delete sent again may find its
    /// user already gone.
    Uncertain,
}

/// The rows whose latest entry is ok, with their content's fingerprint;
/// for a create or delete run, every ok row's fingerprint instead.
#[derive(Debug, Default)]
pub struct Done {
    /// An update run's rows whose latest entry is ok, by line.
    rows: Vec<OkRow>,
    /// An update run's journaled writes not yet counted in `newest`, by
    /// line: each line's newest entry for each user it names.
    writes: VecDeque<UserWrite>,
    /// Whether every entry names each user it wrote to (a `--provider
    /// both` journal may have been written before `also` was).
    strict_users: bool,
    /// `oldest_from[i]`: the oldest entry among `rows[i..]`
    /// ([`SENT_NOW`] past the last).
    oldest_from: Vec<u64>,
    /// Each user's last line with an ok row (by the users it journaled).
    last_line: HashMap<u64, u64>,
    /// A create or delete run's ok rows: how many there were of each
    /// content, each one yet to be matched to a row. Such a row is done
    /// wherever its line now is (a user once created or deleted stays so),
    /// so lines inserted or deleted in a half-done file create no one twice
    /// and delete no one again; an update is matched by line, since its
    /// place in the file decides which of a user's rows wins.
    by_content: Option<HashMap<String, u32>>,
    /// A create or delete run's failed entries that may have done their
    /// work (`maybe_applied`), by content: the lines they were at, less those
    /// an ok entry of the same content at the same line came after (the
    /// row sent again, and made). A row of such content no ok row is left
    /// for is [`Resume::Uncertain`], one such entry each.
    uncertain: HashMap<String, Vec<u64>>,
    /// An update run's users (by [`user`]) by the newest write of an
    /// earlier line to them: a journaled entry's place in the journal
    /// (whatever that line holds now), or [`SENT_NOW`] for a row sent in
    /// this run. A later ok row of theirs written before that is sent
    /// again ([`Resume::After`]). A write is remembered if an ok row of
    /// its user is still to come, until no ok row still to come is older,
    /// so a resumed run's tail (past every ok row) adds nothing, and a
    /// journal written in one run holds about as many as it had workers.
    newest: HashMap<u64, u64>,
    /// `newest`'s writes, oldest first, to forget each once no row still
    /// to come is older (an entry replaced by a newer write is skipped,
    /// and all are rebuilt once most are such).
    forget: BinaryHeap<Reverse<(u64, u64)>>,
}

/// An update row whose latest entry is ok.
#[derive(Debug)]
struct OkRow {
    line: u64,
    /// Its content's fingerprint, as the entry has it (`None`: not one
    /// this version writes, so no row matches it).
    digest: Option<Digest>,
    /// Where that entry is in the journal (its line there): later
    /// entries were written later.
    entry: u64,
    /// The users it wrote to (by [`user`]): its `id`, and its `also`.
    users: [Option<u64>; 2],
}

/// A journaled entry naming `user`: it may have written to them (a failed
/// row may have, after reaching the provider; one that never did only
/// makes a later row of theirs go again that need not).
#[derive(Debug)]
struct UserWrite {
    line: u64,
    /// Its place in the journal.
    entry: u64,
    user: u64,
}

/// An update run's entry as `read_entries` keeps it.
struct Journaled {
    line: u64,
    entry: u64,
    /// For an ok entry, its digest.
    digest: Option<Option<Digest>>,
    users: [Option<u64>; 2],
}

/// The write of a row sent in this run: after every entry in the journal.
const SENT_NOW: u64 = u64::MAX;

/// A user key's fingerprint: what [`Done`] remembers users by (two keys
/// sharing one only make a row go again that need not).
fn user(key: &str) -> u64 {
    Digest::of(key.as_bytes()).0
}

/// Whether `op`'s rows are matched by content when resuming (see [`Done`]).
fn matched_by_content(op: SyncOp) -> bool {
    matches!(op, SyncOp::Create | SyncOp::Delete)
}

impl Done {
    /// An update run's view: `rows` and `writes` sorted by line.
    fn by_line(rows: Vec<OkRow>, writes: VecDeque<UserWrite>, strict_users: bool) -> Self {
        let mut oldest_from = vec![SENT_NOW; rows.len() + 1];
        for (at, row) in rows.iter().enumerate().rev() {
            oldest_from[at] = oldest_from[at + 1].min(row.entry);
        }
        let mut last_line = HashMap::new();
        for row in &rows {
            for user in row.users.into_iter().flatten() {
                last_line.insert(user, row.line);
            }
        }
        Done {
            rows,
            writes,
            strict_users,
            oldest_from,
            last_line,
            ..Done::default()
        }
    }

    /// What resuming makes of the row at `line` with this content, for the
    /// users `keys` (its key, and a second one for a row naming two); a
    /// create or delete found done uses up one ok row of that content.
    /// Rows are checked in file order; lines not checked (blank, or rows
    /// that no longer read) still count as what their entries wrote.
    pub fn check(&mut self, line: u64, digest: &Digest, keys: [Option<&str>; 2]) -> Resume {
        if self.rows.is_empty() && self.by_content.is_none() {
            // A new journal, or no ok row: every row is new (no digest
            // formatted for it; the reader asks once a row).
            return Resume::New;
        }
        if let Some(by_content) = &mut self.by_content {
            // Not `Changed` even when its line held another ok row: that
            // row may have moved, and this one be new.
            let hex = digest.hex();
            return match by_content.get_mut(&hex) {
                Some(left) if *left > 0 => {
                    *left -= 1;
                    Resume::Done
                }
                _ if self.uncertain.get_mut(&hex).and_then(Vec::pop).is_some() => Resume::Uncertain,
                _ => Resume::New,
            };
        }
        let at = self.rows.partition_point(|row| row.line < line);
        let oldest = self.oldest_from[at];
        // The lines before this one wrote to their users when their
        // entries were written, whatever those lines hold now.
        while self.writes.front().is_some_and(|w| w.line < line) {
            let Some(UserWrite {
                entry: written,
                user,
                ..
            }) = self.writes.pop_front()
            else {
                break;
            };
            if written > oldest {
                self.remember(user, written, line);
            }
        }
        self.forget_older_than(oldest);
        let here = self.rows.get(at).filter(|row| row.line == line);
        let users = keys.map(|key| key.map(user));
        let found = match here {
            Some(row) if row.digest == Some(*digest) => Resume::Done,
            // (A row naming no one now cannot say whom it left.)
            Some(row)
                if users.iter().any(Option::is_some)
                    && row
                        .users
                        .into_iter()
                        .flatten()
                        .any(|old| !users.contains(&Some(old))) =>
            {
                Resume::Retargeted
            }
            Some(_) => Resume::Changed,
            None => Resume::New,
        };
        let found = match (found, here) {
            (Resume::Done, Some(row))
                if users.into_iter().flatten().any(|user| {
                    self.newest
                        .get(&user)
                        .is_some_and(|newest| *newest > row.entry)
                }) =>
            {
                Resume::After
            }
            (found, _) => found,
        };
        if found != Resume::Done {
            // Sent now: after every write, for the ok rows still to come.
            for user in users.into_iter().flatten() {
                self.remember(user, SENT_NOW, line.saturating_add(1));
            }
        }
        found
    }

    /// Remembers that `user` was written at `written`, if an ok row of
    /// theirs is still to come (at `from` or later).
    fn remember(&mut self, user: u64, written: u64, from: u64) {
        if self.strict_users && self.last_line.get(&user).is_none_or(|last| *last < from) {
            return;
        }
        if self.rows.last().is_none_or(|last| last.line < from) {
            return;
        }
        let newest = self.newest.entry(user).or_insert(0);
        if written > *newest {
            *newest = written;
            self.forget.push(Reverse((written, user)));
        }
        if self.forget.len() > 2 * self.newest.len() + 64 {
            // Most entries were replaced by newer writes: keep the live ones.
            self.forget = self
                .newest
                .iter()
                .map(|(user, written)| Reverse((*written, *user)))
                .collect();
        }
    }

    /// Forgets the users whose newest write is no newer than `oldest`,
    /// the oldest write among the ok rows still to come.
    fn forget_older_than(&mut self, oldest: u64) {
        while let Some(Reverse((written, _))) = self.forget.peek()
            && *written <= oldest
        {
            let Some(Reverse((written, user))) = self.forget.pop() else {
                break;
            };
            if self.newest.get(&user) == Some(&written) {
                self.newest.remove(&user);
            }
        }
    }

    /// Rows already ok (for a create or delete run: not yet matched).
    pub fn len(&self) -> usize {
        match &self.by_content {
            Some(by_content) => by_content.values().map(|n| *n as usize).sum(),
            None => self.rows.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

pub struct Journal {
    pub file: File,
    pub done: Done,
    pub notes: Vec<String>,
    /// The format its rows are written in: [`VERSION`], or a resumed
    /// journal's own.
    pub format: u32,
}

pub fn open(path: &Path, resume: bool, header: &Header) -> Result<Journal, BatchError> {
    let shown = path.display();
    let cannot = |e: io::Error| BatchError::failure(format!("cannot open journal {shown}: {e}"));
    let mut file = OpenOptions::new()
        .create(true)
        .read(true)
        .append(true)
        .open(path)
        .map_err(cannot)?;
    lock(&file, path)?;
    let regular = file.metadata().map_err(cannot)?.is_file();
    let empty = !regular || file.metadata().map_err(cannot)?.len() == 0;
    if empty {
        append(&mut file, header).map_err(cannot)?;
        return Ok(Journal {
            file,
            done: Done::default(),
            notes: Vec::new(),
            format: header.journal,
        });
    }
    if !resume {
        // A header and nothing after it (a run that stopped before its
        // first row: bad input, say) holds nothing to resume: start over.
        if header_only(&mut file).map_err(cannot)? {
            file.set_len(0).map_err(cannot)?;
            append(&mut file, header).map_err(cannot)?;
            return Ok(Journal {
                file,
                done: Done::default(),
                notes: Vec::new(),
                format: header.journal,
            });
        }
        return Err(BatchError::usage(format!(
            "journal {shown} already has entries: pass --resume to continue that run, \
             or delete the file to start over"
        )));
    }
    let (found, done, torn) = read_entries(&mut file, path)?;
    let mut notes = Vec::new();
    if (found.provider, found.op) != (header.provider, header.op) {
        return Err(BatchError::usage(format!(
            "journal {shown} records a `{} {}` run; this is `{} {}`: to resume that run, \
             pass --provider {} --op {} (--op defaults to update); for this one, use another journal",
            found.provider.name(),
            found.op.name(),
            header.provider.name(),
            header.op.name(),
            found.provider.name(),
            found.op.name()
        )));
    }
    let comparable = |digest: &Option<String>| {
        digest
            .as_deref()
            .is_some_and(|d| d.starts_with(INPUT_DIGEST_SCHEME))
    };
    // (An input read from a pipe now has none: it may have changed.)
    if comparable(&found.input_digest) && found.input_digest != header.input_digest {
        notes.push(match header.op {
            SyncOp::Create => format!(
                "the input changed since {shown} was started: a row whose content no ok create \
                 had is created (a row edited since it was created makes a new user)"
            ),
            SyncOp::Delete => format!(
                "the input changed since {shown} was started: a row whose content no ok delete \
                 had is sent"
            ),
            _ => format!(
                "the input changed since {shown} was started: rows edited since they were ok \
                 will be sent again"
            ),
        });
    }
    match torn {
        Torn::None => {}
        Torn::Complete => file.write_all(b"\n").map_err(cannot)?,
        Torn::Garbage { at, len } => {
            file.set_len(at).map_err(cannot)?;
            notes.push(format!(
                "journal {shown}: dropped an incomplete last line ({len} bytes) left by an interrupted run"
            ));
        }
    }
    file.seek(SeekFrom::End(0)).map_err(cannot)?;
    Ok(Journal {
        file,
        done,
        notes,
        format: found.journal,
    })
}

fn lock(file: &File, path: &Path) -> Result<(), BatchError> {
    match file.try_lock() {
        Ok(()) => Ok(()),
        Err(std::fs::TryLockError::WouldBlock) => Err(BatchError::usage(format!(
            "journal {} is in use by another running sync; wait for it to finish",
            path.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => Err(BatchError::failure(format!(
            "cannot lock journal {}: {e}",
            path.display()
        ))),
    }
}

enum Torn {
    None,
    Complete,
    Garbage { at: u64, len: usize },
}

/// Whether `file` holds a journal header and nothing else (blank lines
/// aside); anything else, a file that is not a journal included, is kept.
fn header_only(file: &mut File) -> io::Result<bool> {
    const MOST: u64 = 64 * 1024;
    if file.metadata()?.len() > MOST {
        return Ok(false);
    }
    let mut text = Vec::new();
    file.seek(SeekFrom::Start(0))?;
    (&*file).take(MOST).read_to_end(&mut text)?;
    let mut lines = text
        .split(|b| *b == b'\n')
        .map(<[u8]>::trim_ascii)
        .filter(|line| !line.is_empty());
    let header = lines
        .next()
        .is_some_and(|line| serde_json::from_slice::<Header>(line).is_ok());
    Ok(header && lines.next().is_none())
}

/// The longest line `--resume` reads. An entry's text is its users' keys,
/// from one input line of at most 1 MiB, and an error of at most
/// [`MAX_ERROR_TEXT`]; JSON escaping makes a byte at most six: a longer
/// line is no entry.
const MAX_ENTRY_LINE: usize = 16 << 20;

/// The most of an error's text an entry keeps (a server's message may be
/// as long as a body: 32 MiB).
pub const MAX_ERROR_TEXT: usize = 64 << 10;

/// `text`, cut to at most [`MAX_ERROR_TEXT`] bytes (at a character
/// boundary), saying how much was cut.
pub fn capped_error(mut text: String) -> String {
    if text.len() <= MAX_ERROR_TEXT {
        return text;
    }
    let cut = text.len();
    let mut end = MAX_ERROR_TEXT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text.push_str(&format!(" … ({} bytes cut)", cut - end));
    text
}

fn read_entries(file: &mut File, path: &Path) -> Result<(Header, Done, Torn), BatchError> {
    let shown = path.display();
    file.seek(SeekFrom::Start(0))
        .map_err(|e| BatchError::failure(format!("cannot read journal {shown}: {e}")))?;
    let mut reader = BufReader::with_capacity(256 * 1024, &*file);
    let mut buffer = Vec::new();
    let mut offset = 0u64;
    let mut number = 0u64;
    let mut header: Option<Header> = None;
    let mut latest: Vec<Journaled> = Vec::new();
    let mut by_content: Option<HashMap<String, u32>> = None;
    // A create run's entries that may have made their user, by content.
    let mut uncertain: HashMap<String, Vec<u64>> = HashMap::new();
    // Rows sent whose own entry has not followed yet: (digest, line); and
    // each line's latest content sent.
    let mut in_flight: HashMap<(String, u64), u32> = HashMap::new();
    let mut last_sent: HashMap<u64, String> = HashMap::new();
    let withheld = Digest::withheld().hex();
    let mut torn = Torn::None;
    loop {
        buffer.clear();
        let read = (&mut reader)
            .take(MAX_ENTRY_LINE as u64 + 1)
            .read_until(b'\n', &mut buffer)
            .map_err(|e| BatchError::failure(format!("cannot read journal {shown}: {e}")))?;
        if read == 0 {
            break;
        }
        number += 1;
        if buffer.len() > MAX_ENTRY_LINE {
            return Err(BatchError::usage(format!(
                "journal {shown} line {number} is longer than {} MiB, more than any entry; \
                 fix or move the file",
                MAX_ENTRY_LINE >> 20
            )));
        }
        let complete = buffer.last() == Some(&b'\n');
        let text = buffer.trim_ascii();
        if !text.is_empty() {
            if header.is_none() {
                let found: Header = serde_json::from_slice(text).map_err(|_| {
                    BatchError::usage(format!(
                        "journal {shown} has no header line (written by an older payusers, or not \
                         a journal); start a new journal"
                    ))
                })?;
                if !(OLDEST_READ..=VERSION).contains(&found.journal) {
                    return Err(BatchError::usage(format!(
                        "journal {shown} is format {}, this payusers writes {VERSION}; start a new journal",
                        found.journal
                    )));
                }
                if matched_by_content(found.op) {
                    by_content = Some(HashMap::new());
                }
                header = Some(found);
                if !complete {
                    // A whole header whose newline was never written: end
                    // the line before the first entry goes after it.
                    torn = Torn::Complete;
                }
            } else {
                match serde_json::from_slice::<Entry>(text) {
                    Ok(entry) => {
                        // A row's own entry replaces the one written before
                        // it was sent (the same line and content; a refused
                        // row that may hold a password journals its digest
                        // withheld: then the line's latest sent content).
                        // (Kept only until the line's own entry: memory
                        // follows the rows in flight, not the journal.)
                        let last = if entry.in_flight {
                            None
                        } else {
                            last_sent.remove(&entry.line)
                        };
                        let digest = match last {
                            Some(sent) if entry.digest == withheld => sent,
                            _ => entry.digest.clone(),
                        };
                        let sent = (digest, entry.line);
                        if let Some(count) = in_flight.get_mut(&sent) {
                            *count -= 1;
                            if *count == 0 {
                                in_flight.remove(&sent);
                            }
                        }
                        if entry.in_flight {
                            last_sent.insert(entry.line, entry.digest.clone());
                            *in_flight.entry(sent).or_default() += 1;
                            if !complete {
                                torn = Torn::Complete;
                            }
                            offset += read as u64;
                            continue;
                        }
                        // Creates and deletes are matched by content alone:
                        // no per-line view is kept for them.
                        match (&mut by_content, entry.status) {
                            (Some(by_content), Status::Ok) => {
                                // The same row made at last: no longer in doubt.
                                if let Some(lines) = uncertain.get_mut(&entry.digest)
                                    && let Some(at) = lines.iter().position(|l| *l == entry.line)
                                {
                                    lines.swap_remove(at);
                                }
                                *by_content.entry(entry.digest).or_default() += 1;
                            }
                            (Some(_), Status::Failed) => {
                                if entry.maybe_applied {
                                    in_doubt(&mut uncertain, entry.digest, entry.line);
                                }
                            }
                            (None, status) => {
                                let ok = status == Status::Ok;
                                latest.push(Journaled {
                                    line: entry.line,
                                    entry: number,
                                    digest: ok.then(|| Digest::from_hex(&entry.digest)),
                                    users: [entry.id.as_deref(), entry.also.as_deref()]
                                        .map(|key| key.map(user)),
                                });
                            }
                        }
                        if !complete {
                            torn = Torn::Complete;
                        }
                    }
                    Err(_) if !complete => {
                        torn = Torn::Garbage {
                            at: offset,
                            len: buffer.len(),
                        };
                    }
                    Err(e) => {
                        return Err(BatchError::usage(format!(
                            "journal {shown} line {number} is not a journal entry ({e}); \
                             fix or move the file"
                        )));
                    }
                }
            }
        }
        offset += read as u64;
    }
    let header = header.ok_or_else(|| {
        BatchError::usage(format!(
            "journal {shown} has no header line; start a new journal"
        ))
    })?;
    // Sent, and the run ended before their own entries: in doubt, as a
    // create or delete whose answer was lost.
    for ((digest, line), _) in in_flight {
        in_doubt(&mut uncertain, digest, line);
    }
    // Stable sort keeps file order within a line, so the last one is the latest.
    latest.sort_by_key(|journaled| journaled.line);
    let mut rows = Vec::new();
    let mut writes: VecDeque<UserWrite> = VecDeque::new();
    for (at, journaled) in latest.iter().enumerate() {
        // Every entry counts as a write of the users it names: a failed
        // row may have written (a timeout after the write, one provider
        // of two, a panic mid-call), and one that did not costs at most
        // a later row of theirs sent again.
        {
            for user in journaled.users.into_iter().flatten() {
                // One write a line and user: its newest.
                let same = writes
                    .iter_mut()
                    .rev()
                    .take_while(|w| w.line == journaled.line)
                    .find(|w| w.user == user);
                match same {
                    Some(write) => write.entry = write.entry.max(journaled.entry),
                    None => writes.push_back(UserWrite {
                        line: journaled.line,
                        entry: journaled.entry,
                        user,
                    }),
                }
            }
        }
        let latest_of_line = latest
            .get(at + 1)
            .is_none_or(|next| next.line != journaled.line);
        if let (true, Some(digest)) = (latest_of_line, journaled.digest) {
            rows.push(OkRow {
                line: journaled.line,
                digest,
                entry: journaled.entry,
                users: journaled.users,
            });
        }
    }
    let done = match by_content {
        Some(by_content) => Done {
            by_content: Some(by_content),
            uncertain,
            ..Done::default()
        },
        // A `--provider both` journal started before entries named a
        // row's second user (`also`, format 3) cannot say whose its ok
        // rows are.
        None => Done::by_line(
            rows,
            writes,
            header.provider != ProviderArg::Both || header.journal >= 3,
        ),
    };
    Ok((header, done, torn))
}

/// Notes that the row of `digest` at `line` may have been applied: once a
/// line (a row held back as in doubt journals its doubt again).
fn in_doubt(uncertain: &mut HashMap<String, Vec<u64>>, digest: String, line: u64) {
    let lines = uncertain.entry(digest).or_default();
    if !lines.contains(&line) {
        lines.push(line);
    }
}

impl Entry {
    /// Appends this entry as one compact JSON object, byte for byte what
    /// `serde_json::to_writer` writes (tested), without serde's per-field
    /// key escaping and state: every row of a sync writes one, under the
    /// workers' lock. Values still go through `serde_json` (numbers,
    /// escaped strings); only `outcomes` and `also` (`--provider both`)
    /// take the derived path.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        if self.outcomes.is_some() || self.also.is_some() {
            // Writing to a Vec fails only for a map with non-string keys.
            serde_json::to_writer(&mut *out, self).expect("an entry serializes");
            return;
        }
        /// A value as `serde_json` writes it (infallible into a `Vec`).
        fn value(out: &mut Vec<u8>, v: &impl Serialize) {
            serde_json::to_writer(&mut *out, v).expect("a scalar serializes");
        }
        out.extend_from_slice(b"{\"line\":");
        value(out, &self.line);
        out.extend_from_slice(b",\"id\":");
        value(out, &self.id);
        out.extend_from_slice(match self.status {
            Status::Ok => b",\"status\":\"ok\",\"http_status\":",
            Status::Failed => b",\"status\":\"failed\",\"http_status\":",
        });
        value(out, &self.http_status);
        out.extend_from_slice(b",\"attempts\":");
        value(out, &self.attempts);
        out.extend_from_slice(b",\"error\":");
        value(out, &self.error);
        out.extend_from_slice(b",\"digest\":");
        value(out, &self.digest);
        if let Some(created) = &self.created_id {
            out.extend_from_slice(b",\"created_id\":");
            value(out, created);
        }
        if self.maybe_applied {
            out.extend_from_slice(b",\"maybe_applied\":true");
        }
        if let Some(note) = &self.note {
            out.extend_from_slice(b",\"note\":");
            value(out, note);
        }
        if self.in_flight {
            out.extend_from_slice(b",\"in_flight\":true");
        }
        out.push(b'}');
    }
}

/// Appends entries, one JSON line each, in one `write`, and flushes.
pub fn append_entries(file: &mut File, entries: &[Entry]) -> io::Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let mut bytes = Vec::with_capacity(160 * entries.len());
    for entry in entries {
        entry.write_json(&mut bytes);
        bytes.push(b'\n');
    }
    file.write_all(&bytes)?;
    file.flush()
}

/// Appends one JSON line (e.g. the header) and flushes it.
pub fn append(file: &mut File, value: &impl Serialize) -> io::Result<()> {
    let mut bytes = serde_json::to_vec(value).map_err(io::Error::other)?;
    bytes.push(b'\n');
    file.write_all(&bytes)?;
    file.flush()
}

/// Makes the journal durable (a no-op for `/dev/null` and other non-files).
pub fn finish(file: &File) -> io::Result<()> {
    if file.metadata().is_ok_and(|m| m.is_file()) {
        file.sync_all()
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_error_text_is_capped_at_a_character_boundary() {
        assert_eq!(capped_error("short".into()), "short");
        // Three bytes a character: the cap falls inside one.
        let long = "€".repeat(MAX_ERROR_TEXT / 3 + 10);
        let capped = capped_error(long.clone());
        let kept = capped.split(" … (").next().unwrap();
        assert!(kept.len() <= MAX_ERROR_TEXT && kept.len() > MAX_ERROR_TEXT - 3);
        assert!(long.starts_with(kept));
        assert!(
            capped.ends_with(&format!(" … ({} bytes cut)", long.len() - kept.len())),
            "{} bytes",
            capped.len()
        );
    }

    #[test]
    fn a_line_longer_than_any_entry_stops_the_resume_unread() {
        let header = Header {
            journal: VERSION,
            provider: ProviderArg::Hpay,
            op: SyncOp::Update,
            input_digest: None,
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        let mut text = serde_json::to_vec(&header).unwrap();
        text.push(b'\n');
        // No newline, ever: read whole, it would be all of memory.
        text.resize(text.len() + MAX_ENTRY_LINE + 2, b'x');
        std::fs::write(&path, &text).unwrap();
        let Err(err) = open(&path, true, &header) else {
            panic!("a 16 MiB line read as a journal")
        };
        assert!(
            err.message.contains("line 2 is longer than 16 MiB"),
            "{}",
            err.message
        );
        assert_eq!(
            std::fs::read(&path).unwrap(),
            text,
            "the file is left as it was"
        );
    }

    #[test]
    fn hex_is_sixteen_lowercase_digits() {
        for value in [0, 1, 0xabc, 0x0123_4567_89ab_cdef, u64::MAX, 1 << 63] {
            assert_eq!(Digest(value).hex(), format!("{value:016x}"));
        }
    }

    #[test]
    fn a_digest_written_to_equals_the_digest_of_the_bytes() {
        for text in [
            r#"{}"#,
            r#"{"user_id":"u1","name":"Zoë \"Q\" O'Neil","app_user_id":-7,"n":1.5e3}"#,
            r#"{"b":[1,{"z":null,"a":true}],"a":"\u2028\n\t/"}"#,
        ] {
            let map: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(text).unwrap();
            let mut streamed = Digest::new();
            serde_json::to_writer(&mut streamed, &map).unwrap();
            assert_eq!(
                streamed,
                Digest::of(&serde_json::to_vec(&map).unwrap()),
                "{text}"
            );
        }
        assert_ne!(Digest::of(b"{}"), Digest::of(b"{ }"));
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z0-9_]{0,12}",
            any::<String>(),
            "[\"\\\\\u{0}-\u{1f}\u{7f}\u{2028}é😀/ ]{0,8}",
        ]
    }

    proptest! {
        /// The journal's own writer writes every entry exactly as serde
        /// does, so readers (resume, the fuzz corpora, users' tools) see
        /// the same lines.
        #[test]
        fn entries_are_written_as_serde_writes_them(
            line in any::<u64>(),
            id in proptest::option::of(text()),
            also in proptest::option::of(text()),
            ok in any::<bool>(),
            http_status in proptest::option::of(any::<u16>()),
            attempts in any::<u32>(),
            error in proptest::option::of(text()),
            digest in text(),
            created_id in proptest::option::of(text()),
            outcomes in proptest::option::of(proptest::collection::btree_map(text(), text(), 0..3)),
            maybe_applied in any::<bool>(),
            note in proptest::option::of(text()),
            in_flight in any::<bool>(),
        ) {
            let entry = Entry {
                line,
                id,
                also,
                status: if ok { Status::Ok } else { Status::Failed },
                http_status,
                attempts,
                error,
                digest,
                created_id,
                outcomes,
                maybe_applied,
                note,
                in_flight,
            };
            let mut fast = Vec::new();
            entry.write_json(&mut fast);
            prop_assert_eq!(
                String::from_utf8(fast).unwrap(),
                serde_json::to_string(&entry).unwrap()
            );
        }
    }

    #[test]
    fn appended_entries_read_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let mut file = File::create(&path).unwrap();
        let mut failed = entry(7, &Digest::of(b"x"), Status::Failed);
        failed.error = Some("HTTP 400: \"bad\"\n".into());
        failed.created_id = Some("new".into());
        let entries = [entry(1, &Digest::of(b"a"), Status::Ok), failed];
        append_entries(&mut file, &entries).unwrap();
        append_entries(&mut file, &[]).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let read: Vec<Entry> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(read, entries);
    }

    #[test]
    fn a_create_or_delete_is_done_wherever_its_line_moved_once_per_ok_row() {
        for op in [SyncOp::Create, SyncOp::Delete] {
            by_content(op);
        }
    }

    fn by_content(op: SyncOp) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let [a, b, c, x] = [b"a", b"b", b"c", b"x"].map(|t| Digest::of(t));
        {
            let mut journal = open(&path, false, &header(op)).unwrap();
            for (line, digest, status) in [
                (1, &a, Status::Ok),
                (2, &b, Status::Ok),
                (3, &c, Status::Failed),
                (4, &a, Status::Ok),
            ] {
                append(&mut journal.file, &entry(line, digest, status)).unwrap();
            }
            // A later run, lines shifted: line 1 is now another create.
            append(&mut journal.file, &entry(1, &x, Status::Ok)).unwrap();
        }
        let mut journal = open(&path, true, &header(op)).unwrap();
        assert_eq!(journal.done.len(), 4);
        // Two ok creates of `a` (the one at line 1 is not lost to `x`):
        // two rows of `a` are done, a third is new.
        assert_eq!(journal.done.check(3, &a, [None, None]), Resume::Done);
        assert_eq!(journal.done.check(5, &a, [None, None]), Resume::Done);
        assert_eq!(journal.done.check(6, &a, [None, None]), Resume::New);
        assert_eq!(journal.done.check(7, &b, [None, None]), Resume::Done);
        assert_eq!(
            journal.done.check(8, &c, [None, None]),
            Resume::New,
            "c never succeeded"
        );
        // Line 1 held `x`: a row there now may be new (lines move), so
        // it is not called edited.
        assert_eq!(journal.done.check(1, &c, [None, None]), Resume::New);
        assert_eq!(journal.done.check(2, &x, [None, None]), Resume::Done);
        assert_eq!(journal.done.len(), 0);
    }

    #[test]
    fn a_row_whose_run_ended_while_it_was_in_flight_is_in_doubt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let [a, b, c, d, e] = [b"a", b"b", b"c", b"d", b"e"].map(|t| Digest::of(t));
        let sending = |line, digest| Entry {
            maybe_applied: true,
            in_flight: true,
            attempts: 0,
            ..entry(line, digest, Status::Failed)
        };
        {
            let mut journal = open(&path, false, &header(SyncOp::Create)).unwrap();
            for written in [
                // `a`: sent, then ok.
                sending(1, &a),
                entry(1, &a, Status::Ok),
                // `b`: sent, then refused: never made.
                sending(2, &b),
                entry(2, &b, Status::Failed),
                // `c`: sent, and the run was killed.
                sending(3, &c),
                // `d`: killed in flight in one run, held back in the next
                // (its entry says the doubt again), then the next run.
                sending(4, &d),
                Entry {
                    maybe_applied: true,
                    attempts: 0,
                    ..entry(4, &d, Status::Failed)
                },
                // `e`: may hold a password, sent, refused: its digest
                // withheld, it still answers its in-flight entry.
                sending(5, &e),
                entry(5, &Digest::withheld(), Status::Failed),
            ] {
                append(&mut journal.file, &written).unwrap();
            }
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.matches("\"in_flight\":true").count(), 5, "{text}");
        let mut done = open(&path, true, &header(SyncOp::Create)).unwrap().done;
        assert_eq!(done.check(1, &a, [None, None]), Resume::Done);
        assert_eq!(done.check(2, &b, [None, None]), Resume::New);
        assert_eq!(done.check(3, &c, [None, None]), Resume::Uncertain);
        assert_eq!(done.check(4, &d, [None, None]), Resume::Uncertain);
        assert_eq!(done.check(5, &e, [None, None]), Resume::New);
        assert!(journals_in_flight(VERSION) && !journals_in_flight(4));
    }

    #[test]
    fn a_create_or_delete_that_may_have_applied_is_uncertain_until_an_ok_one() {
        for op in [SyncOp::Create, SyncOp::Delete] {
            uncertain_until_ok(op);
        }
    }

    fn uncertain_until_ok(op: SyncOp) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let [a, b, c, d, e] = [b"a", b"b", b"c", b"d", b"e"].map(|t| Digest::of(t));
        let maybe = |line, digest| Entry {
            maybe_applied: true,
            ..entry(line, digest, Status::Failed)
        };
        {
            let mut journal = open(&path, false, &header(op)).unwrap();
            for written in [
                // `a`: timed out, then (a later run, told to) created.
                maybe(1, &a),
                entry(1, &a, Status::Ok),
                // `b`: timed out; a later run held it back (a plain failure).
                maybe(2, &b),
                entry(2, &b, Status::Failed),
                // `c`: refused outright.
                entry(3, &c, Status::Failed),
                // `d`: one made, then a second row of it timed out.
                entry(4, &d, Status::Ok),
                maybe(5, &d),
                // `e`: two rows alike; the first timed out, the second was
                // made (an ok of the same content at another line).
                maybe(6, &e),
                entry(7, &e, Status::Ok),
            ] {
                append(&mut journal.file, &written).unwrap();
            }
        }
        let mut journal = open(&path, true, &header(op)).unwrap();
        let mut check = |line, digest| journal.done.check(line, digest, [None, None]);
        assert_eq!(check(1, &a), Resume::Done);
        assert_eq!(check(2, &a), Resume::New, "one `a` was made, and was ok");
        assert_eq!(check(3, &b), Resume::Uncertain);
        assert_eq!(
            check(4, &b),
            Resume::New,
            "one row in doubt: a second alike is another create"
        );
        assert_eq!(check(5, &c), Resume::New);
        assert_eq!(check(6, &d), Resume::Done);
        assert_eq!(check(7, &d), Resume::Uncertain);
        assert_eq!(check(8, &e), Resume::Done);
        assert_eq!(check(9, &e), Resume::Uncertain, "the other `e` is in doubt");
        assert_eq!(check(10, &e), Resume::New);
        // An update journal knows no such thing: its rows go by line.
        let update = dir.path().join("u.jsonl");
        {
            let mut journal = open(&update, false, &header(SyncOp::Update)).unwrap();
            append(&mut journal.file, &maybe(1, &a)).unwrap();
        }
        let mut journal = open(&update, true, &header(SyncOp::Update)).unwrap();
        assert_eq!(journal.done.check(1, &a, [None, None]), Resume::New);
    }

    #[test]
    fn a_journal_with_only_its_header_starts_over_without_resume() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        // A run that stopped before its first row (its input was bad).
        drop(open(&path, false, &header(SyncOp::Update)).unwrap());
        // The next one needs no --resume: there is nothing to lose.
        let mut journal = open(&path, false, &header(SyncOp::Create)).unwrap();
        append(
            &mut journal.file,
            &entry(1, &Digest::of(b"a"), Status::Failed),
        )
        .unwrap();
        drop(journal);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(text.starts_with(r#"{"journal":"#), "{text}");
        assert!(
            text.lines().next().unwrap().contains(r#""op":"create""#),
            "{text}"
        );
        // Once it has an entry, it is kept.
        let Err(err) = open(&path, false, &header(SyncOp::Create)) else {
            panic!("a journal with entries was reused")
        };
        assert!(err.to_string().contains("already has entries"), "{err}");
        // A file that is not a journal is never emptied.
        let other = dir.path().join("notes.txt");
        std::fs::write(&other, "keep me\n").unwrap();
        assert!(open(&other, false, &header(SyncOp::Update)).is_err());
        assert_eq!(std::fs::read_to_string(&other).unwrap(), "keep me\n");
    }

    #[test]
    fn an_ok_row_after_a_row_of_its_user_sent_again_is_sent_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let [a, b, x] = [b"a", b"b", b"x"].map(|t| Digest::of(t));
        {
            let mut journal = open(&path, false, &header(SyncOp::Update)).unwrap();
            append(&mut journal.file, &for_user(2, &a, Status::Ok, "u2")).unwrap();
            append(&mut journal.file, &for_user(5, &b, Status::Ok, "u9+u1")).unwrap();
            append(&mut journal.file, &for_user(7, &a, Status::Ok, "u9")).unwrap();
        }
        let mut done = open(&path, true, &header(SyncOp::Update)).unwrap().done;
        assert_eq!(done.check(1, &x, [Some("u1"), None]), Resume::New);
        assert_eq!(done.check(2, &a, [Some("u2"), None]), Resume::Done);
        assert_eq!(done.check(3, &x, [Some("u3"), Some("u1")]), Resume::New);
        // Its second user had a row sent: it goes again, after that one;
        // and so, after it, does a later ok row of its first user.
        assert_eq!(done.check(5, &b, [Some("u9"), Some("u1")]), Resume::After);
        assert_eq!(done.check(7, &a, [Some("u9"), None]), Resume::After);
        // Only users with an ok row still to come when written to were
        // remembered (u3 had none), each once; they stay until no ok row
        // still to come is older.
        let mut remembered: Vec<u64> = done.newest.keys().copied().collect();
        remembered.sort();
        let mut expected = vec![user("u1"), user("u9")];
        expected.sort();
        assert_eq!(remembered, expected);
        assert_eq!(done.forget.len(), 2);
        // Past the last ok line no user is remembered: nothing can follow.
        assert_eq!(done.check(8, &x, [Some("u8"), None]), Resume::New);
        assert!(done.newest.is_empty(), "{:?}", done.newest);
        assert!(done.forget.is_empty());
    }

    /// Run 1: line 2 (user A) fails, line 5 (A) is ok. Run 2 sends line 2
    /// ok and is killed before line 5 goes again. Run 3 finds both ok, but
    /// line 5's entry is older than line 2's: it must go again, or A ends
    /// as line 2 says.
    #[test]
    fn an_ok_row_written_before_an_earlier_row_of_its_user_is_sent_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let [a, b, c] = [b"a", b"b", b"c"].map(|t| Digest::of(t));
        {
            let mut journal = open(&path, false, &header(SyncOp::Update)).unwrap();
            append(&mut journal.file, &for_user(2, &a, Status::Failed, "A")).unwrap();
            append(&mut journal.file, &for_user(3, &c, Status::Ok, "C")).unwrap();
            append(&mut journal.file, &for_user(5, &b, Status::Ok, "A")).unwrap();
        }
        {
            let mut journal = open(&path, true, &header(SyncOp::Update)).unwrap();
            let done = &mut journal.done;
            assert_eq!(done.check(2, &a, [Some("A"), None]), Resume::New);
            assert_eq!(done.check(3, &c, [Some("C"), None]), Resume::Done);
            assert_eq!(done.check(5, &b, [Some("A"), None]), Resume::After);
            // Killed after line 2's entry, before line 5's.
            append(&mut journal.file, &for_user(2, &a, Status::Ok, "A")).unwrap();
        }
        let mut done = open(&path, true, &header(SyncOp::Update)).unwrap().done;
        assert_eq!(done.check(2, &a, [Some("A"), None]), Resume::Done);
        assert_eq!(done.check(3, &c, [Some("C"), None]), Resume::Done);
        assert_eq!(done.check(5, &b, [Some("A"), None]), Resume::After);
        // What line 2 wrote counts whatever it holds now: blank (never
        // checked), or another user's row.
        let mut done = open(&path, true, &header(SyncOp::Update)).unwrap().done;
        assert_eq!(done.check(3, &c, [Some("C"), None]), Resume::Done);
        assert_eq!(done.check(5, &b, [Some("A"), None]), Resume::After);
        let mut done = open(&path, true, &header(SyncOp::Update)).unwrap().done;
        // (Line 2 wrote to A, and now names B: said, and sent.)
        assert_eq!(done.check(2, &c, [Some("B"), None]), Resume::Retargeted);
        assert_eq!(done.check(3, &c, [Some("C"), None]), Resume::Done);
        assert_eq!(done.check(5, &b, [Some("A"), None]), Resume::After);
        // Once line 5 is written after line 2, both are done for good.
        {
            let mut journal = open(&path, true, &header(SyncOp::Update)).unwrap();
            append(&mut journal.file, &for_user(5, &b, Status::Ok, "A")).unwrap();
        }
        let mut done = open(&path, true, &header(SyncOp::Update)).unwrap().done;
        for (line, digest, key) in [(2, &a, "A"), (3, &c, "C"), (5, &b, "A")] {
            assert_eq!(done.check(line, digest, [Some(key), None]), Resume::Done);
        }
    }

    /// Every entry counts as a write of the users it names, whatever its
    /// line holds now (here: blank) and whichever entry of that line is
    /// its latest: a failed one may have written (a timeout after the
    /// write), and one that did not only costs a row sent again.
    #[test]
    fn every_journaled_entry_counts_as_a_write_not_only_each_lines_latest() {
        let dir = tempfile::tempdir().unwrap();
        let [a, b, c] = [b"a", b"b", b"c"].map(|t| Digest::of(t));
        let failed = |line, digest, attempts| Entry {
            attempts,
            ..for_user(line, digest, Status::Failed, "B")
        };
        let cases: [(&str, Vec<Entry>, Resume); 5] = [
            (
                "only a timed-out write since",
                vec![
                    failed(2, &a, 0),
                    for_user(5, &b, Status::Ok, "B"),
                    failed(2, &a, 2),
                ],
                Resume::After,
            ),
            (
                "an ok write, then a failure",
                vec![
                    failed(2, &a, 0),
                    for_user(5, &b, Status::Ok, "B"),
                    for_user(2, &a, Status::Ok, "B"),
                    failed(2, &c, 0),
                ],
                Resume::After,
            ),
            (
                "an ok write, then the line another user's",
                vec![
                    failed(2, &a, 0),
                    for_user(5, &b, Status::Ok, "B"),
                    for_user(2, &a, Status::Ok, "B"),
                    for_user(2, &c, Status::Ok, "A"),
                ],
                Resume::After,
            ),
            (
                "a failure that reached no one (counted all the same)",
                vec![for_user(5, &b, Status::Ok, "B"), failed(2, &c, 0)],
                Resume::After,
            ),
            (
                "nothing since",
                vec![
                    for_user(2, &a, Status::Ok, "B"),
                    for_user(5, &b, Status::Ok, "B"),
                ],
                Resume::Done,
            ),
        ];
        for (n, (what, entries, expected)) in cases.into_iter().enumerate() {
            let path = dir.path().join(format!("j{n}"));
            {
                let mut journal = open(&path, false, &header(SyncOp::Update)).unwrap();
                for entry in &entries {
                    append(&mut journal.file, entry).unwrap();
                }
            }
            let mut done = open(&path, true, &header(SyncOp::Update)).unwrap().done;
            // Line 2 is blank now: never checked.
            assert_eq!(done.check(5, &b, [Some("B"), None]), expected, "{what}");
        }
    }

    /// A `--provider both` row names two users; its entry names both, and
    /// what it wrote counts for each.
    #[test]
    fn a_row_naming_two_users_wrote_to_both() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let both = Header {
            provider: ProviderArg::Both,
            ..header(SyncOp::Update)
        };
        let [a, b] = [b"a", b"b"].map(|t| Digest::of(t));
        {
            let mut journal = open(&path, false, &both).unwrap();
            append(&mut journal.file, &for_user(5, &b, Status::Ok, "payabli:7")).unwrap();
            let later = for_user(2, &a, Status::Ok, "hpay:x+payabli:7");
            append(&mut journal.file, &later).unwrap();
        }
        let mut done = open(&path, true, &both).unwrap().done;
        assert_eq!(done.check(5, &b, [Some("payabli:7"), None]), Resume::After);
    }

    /// A `--provider both` journal written before entries named a row's
    /// second user: a user sent again is remembered for any ok row to
    /// come, since the journal cannot say whose they are.
    #[test]
    fn a_both_journal_without_second_users_still_orders_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let both = Header {
            journal: 2,
            provider: ProviderArg::Both,
            ..header(SyncOp::Update)
        };
        let [a, b] = [b"a", b"b"].map(|t| Digest::of(t));
        {
            let mut journal = open(&path, false, &both).unwrap();
            append(
                &mut journal.file,
                &for_user(2, &a, Status::Failed, "payabli:7"),
            )
            .unwrap();
            // Keyed hpay:y and payabli:7; written as hpay:y alone.
            append(&mut journal.file, &for_user(5, &b, Status::Ok, "hpay:y")).unwrap();
        }
        let mut done = open(&path, true, &both).unwrap().done;
        assert_eq!(done.check(2, &a, [Some("payabli:7"), None]), Resume::New);
        assert_eq!(
            done.check(5, &b, [Some("hpay:y"), Some("payabli:7")]),
            Resume::After
        );
    }

    /// Workers write entries out of line order, but a user's rows in it:
    /// resuming such a journal sends nothing again, and remembers only
    /// the users of rows written after a later one, each only until no
    /// row still to come is older.
    #[test]
    fn a_journal_written_out_of_order_by_workers_is_done_and_held_briefly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let digest = |line: u64| Digest::of(&line.to_le_bytes());
        let user_of = |line: u64| format!("u{}", line % 50);
        {
            let mut journal = open(&path, false, &header(SyncOp::Update)).unwrap();
            // Lines 1..=1000 in blocks of eight, each block written backwards
            // except that one user's two rows (50 lines apart) stay in order.
            for block in (1..=1000u64).collect::<Vec<_>>().chunks(8) {
                for line in block.iter().rev() {
                    let ok = for_user(*line, &digest(*line), Status::Ok, &user_of(*line));
                    append(&mut journal.file, &ok).unwrap();
                }
            }
        }
        let mut done = open(&path, true, &header(SyncOp::Update)).unwrap().done;
        let mut most = 0;
        for line in 1..=1000u64 {
            let key = user_of(line);
            assert_eq!(
                done.check(line, &digest(line), [Some(&key), None]),
                Resume::Done,
                "line {line}"
            );
            most = most.max(done.newest.len()).max(done.forget.len());
        }
        assert!(most <= 8, "remembered up to {most} users");
        assert_eq!(
            done.check(1001, &digest(1), [Some("u1"), None]),
            Resume::New
        );
        assert!(done.newest.is_empty(), "{:?}", done.newest);
    }

    /// Run 1 failed on lines 1–900 (an outage) and wrote the tail ok; a
    /// resume wrote lines 1–900 ok and was killed before the tail went
    /// again. The next resume sends the tail again (each tail row's user
    /// had a middle row written after it), remembering no more users than
    /// have ok rows still to come.
    #[test]
    fn a_journal_of_two_runs_resends_what_it_must_and_holds_users_not_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let digest = |line: u64| Digest::of(&line.to_le_bytes());
        let user_of = |line: u64| format!("u{}", line % 50);
        {
            let mut journal = open(&path, false, &header(SyncOp::Update)).unwrap();
            let mut write = |line: u64, status| {
                let entry = for_user(line, &digest(line), status, &user_of(line));
                append(&mut journal.file, &entry).unwrap();
            };
            for line in 1..=1000u64 {
                write(
                    line,
                    if line <= 900 {
                        Status::Failed
                    } else {
                        Status::Ok
                    },
                );
            }
            for line in 1..=900u64 {
                write(line, Status::Ok);
            }
        }
        let mut done = open(&path, true, &header(SyncOp::Update)).unwrap().done;
        let (mut after, mut most, mut heap) = (0, 0, 0);
        for line in 1..=1000u64 {
            let found = done.check(line, &digest(line), [Some(&user_of(line)), None]);
            match found {
                Resume::After => after += 1,
                found => assert_eq!(found, Resume::Done, "line {line}"),
            }
            most = most.max(done.newest.len());
            heap = heap.max(done.forget.len());
        }
        assert_eq!(after, 100, "the tail goes again");
        assert!(most <= 50, "remembered up to {most} users");
        assert!(heap <= 2 * 50 + 65, "{heap} writes waiting to be forgotten");
    }

    fn header(op: SyncOp) -> Header {
        Header {
            journal: VERSION,
            provider: ProviderArg::Payabli,
            op,
            input_digest: Some(input_digest(Digest::of(b"abc"))),
        }
    }

    fn entry(line: u64, digest: &Digest, status: Status) -> Entry {
        for_user(line, digest, status, &line.to_string())
    }

    /// An entry of a row keyed `key` (a second key after a `+`).
    fn for_user(line: u64, digest: &Digest, status: Status, key: &str) -> Entry {
        let (id, also) = match key.split_once('+') {
            Some((id, also)) => (id, Some(also.to_string())),
            None => (key, None),
        };
        Entry {
            line,
            id: Some(id.to_string()),
            also,
            status,
            http_status: None,
            attempts: 1,
            error: None,
            digest: digest.hex(),
            created_id: None,
            outcomes: None,
            maybe_applied: false,
            note: None,
            in_flight: false,
        }
    }

    #[test]
    fn resume_reads_latest_notices_edits_and_drops_a_torn_tail() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let (a, b, c) = (Digest::of(b"a"), Digest::of(b"b"), Digest::of(b"c"));
        {
            let mut journal = open(&path, false, &header(SyncOp::Update)).unwrap();
            append(&mut journal.file, &entry(1, &a, Status::Failed)).unwrap();
            append(&mut journal.file, &entry(2, &b, Status::Ok)).unwrap();
            append(&mut journal.file, &entry(1, &a, Status::Ok)).unwrap();
            append(&mut journal.file, &entry(3, &c, Status::Ok)).unwrap();
            append(&mut journal.file, &entry(3, &c, Status::Failed)).unwrap();
            journal.file.write_all(b"{\"line\": 4, \"id\"").unwrap();
        }
        assert!(open(&path, false, &header(SyncOp::Update)).is_err());
        let err = open(&path, true, &header(SyncOp::Delete)).err().unwrap();
        assert!(err.message.contains("payabli update"), "{}", err.message);
        let mut resumed = header(SyncOp::Update);
        resumed.input_digest = Some(input_digest(Digest::of(b"other")));
        let mut journal = open(&path, true, &resumed).unwrap();
        assert_eq!(journal.notes.len(), 2, "{:?}", journal.notes);
        assert!(
            journal.notes[0].contains("input changed"),
            "{:?}",
            journal.notes
        );
        assert_eq!(journal.done.check(1, &a, [None, None]), Resume::Done);
        assert_eq!(journal.done.check(2, &b, [None, None]), Resume::Done);
        assert_eq!(journal.done.check(2, &a, [None, None]), Resume::Changed);
        assert_eq!(journal.done.check(3, &c, [None, None]), Resume::New);
        assert_eq!(journal.done.len(), 2);
        append(&mut journal.file, &entry(4, &a, Status::Ok)).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.lines()
                .skip(1)
                .all(|l| serde_json::from_str::<Entry>(l).is_ok()),
            "{text}"
        );
    }

    /// A header fingerprinted by an older payusers (bare hex) is not
    /// compared: an upgrade alone does not read as an edited input.
    #[test]
    fn an_input_fingerprint_of_another_scheme_is_not_compared() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let mut older = header(SyncOp::Update);
        older.input_digest = Some(Digest::of(b"abc").hex());
        drop(open(&path, false, &older).unwrap());
        let mut journal = open(&path, false, &older).unwrap();
        append(&mut journal.file, &entry(1, &Digest::of(b"a"), Status::Ok)).unwrap();
        drop(journal);
        let mut journal = open(&path, true, &header(SyncOp::Update)).unwrap();
        assert!(journal.notes.is_empty(), "{:?}", journal.notes);
        assert_eq!(
            journal.done.check(1, &Digest::of(b"a"), [None, None]),
            Resume::Done
        );
        // (Between two of this scheme an edit shows: see
        // `resume_reads_latest_notices_edits_and_drops_a_torn_tail`.)
    }

    /// Formats 2 (entries without `also`), 3 (CSV digests in the header's
    /// order) and 4 (no in-flight entries) still resume, and say which they
    /// are; others do not.
    #[test]
    fn a_journal_of_the_format_before_resumes_and_others_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        for (format, resumes) in [
            (1, false),
            (2, true),
            (3, true),
            (4, true),
            (5, true),
            (6, false),
        ] {
            let older = Header {
                journal: format,
                ..header(SyncOp::Update)
            };
            let ok = serde_json::to_string(&entry(1, &Digest::of(b"a"), Status::Ok)).unwrap();
            let text = format!("{}\n{ok}\n", serde_json::to_string(&older).unwrap());
            std::fs::write(&path, text).unwrap();
            match open(&path, true, &header(SyncOp::Update)) {
                Ok(mut journal) => {
                    assert!(resumes, "format {format} resumed");
                    assert_eq!(journal.format, format);
                    assert_eq!(csv_digests_sorted(journal.format), format >= 4);
                    let done = journal.done.check(1, &Digest::of(b"a"), [Some("1"), None]);
                    assert_eq!(done, Resume::Done, "format {format}");
                }
                Err(err) => {
                    assert!(!resumes, "format {format}: {}", err.message);
                    assert!(
                        err.message.contains(&format!("format {format}")),
                        "{}",
                        err.message
                    );
                }
            }
        }
    }

    #[test]
    fn a_journal_in_use_is_refused_until_released() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let first = open(&path, false, &header(SyncOp::Update)).unwrap();
        for resume in [false, true] {
            let Err(err) = open(&path, resume, &header(SyncOp::Update)) else {
                panic!("a second sync opened a journal in use (resume {resume})");
            };
            assert_eq!(err.code, super::super::EXIT_USAGE);
            assert!(err.message.contains("in use"), "{}", err.message);
        }
        drop(first);
        assert!(open(&path, true, &header(SyncOp::Update)).is_ok());
    }

    #[test]
    fn corrupt_or_headless_journals_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        std::fs::write(&path, "garbage\n").unwrap();
        let err = open(&path, true, &header(SyncOp::Update)).err().unwrap();
        assert_eq!(err.code, super::super::EXIT_USAGE);
        assert!(err.message.contains("no header"), "{}", err.message);
    }

    /// Found by the `journal` fuzz target: a header whose newline was never
    /// written got the first resumed entry glued onto its line.
    #[test]
    fn a_header_without_its_newline_resumes_twice() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let line = serde_json::to_string(&header(SyncOp::Update)).unwrap();
        std::fs::write(&path, line).unwrap();
        let a = Digest::of(b"a");
        for _ in 0..2 {
            let mut journal = open(&path, true, &header(SyncOp::Update)).unwrap();
            append(&mut journal.file, &entry(1, &a, Status::Ok)).unwrap();
        }
        let mut journal = open(&path, true, &header(SyncOp::Update)).unwrap();
        assert_eq!(journal.done.check(1, &a, [None, None]), Resume::Done);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 3, "{text}");
    }

    #[test]
    fn dev_null_is_a_fine_journal() {
        let journal = open(Path::new("/dev/null"), false, &header(SyncOp::Update)).unwrap();
        finish(&journal.file).unwrap();
    }
}
