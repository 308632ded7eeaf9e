//! The bodies of the fuzz targets, as plain functions that panic when an
//! invariant breaks.
//!
//! Shared by the `cargo fuzz` targets in `fuzz/fuzz_targets/` and by
//! `tests/fuzz_corpora.rs`, which replays `fuzz/corpus/<target>/` through
//! the same code in CI. It may use only `std`, `payusers` and `reqwest`
//! (the crates both the fuzz crate and the main crate's tests have).
#![allow(dead_code)]

use payusers::batch::input::{Format, Input, Parsed, general_jsonl_row, jsonl_row, read_rows};
use payusers::batch::journal::{self, Digest, Header, Resume};
use payusers::batch::{ProviderArg, SyncOp};
use std::io::{BufReader, Cursor, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

/// The input reader's line cap (`MAX_LINE` in `src/batch/input.rs`).
const MAX_LINE: usize = 1 << 20;

/// The provider and operation a selector byte names (bits 1 to 3; bit 7
/// makes an update one of `--provider both`).
fn run_kind(selector: u8) -> (ProviderArg, SyncOp) {
    let provider = if selector & 0b10 == 0 {
        ProviderArg::Hpay
    } else {
        ProviderArg::Payabli
    };
    let op = match (selector >> 2) & 0b11 {
        0 | 3 => SyncOp::Update,
        1 => SyncOp::Create,
        _ => SyncOp::Delete,
    };
    if selector & 0x80 != 0 && op == SyncOp::Update {
        return (ProviderArg::Both, op);
    }
    (provider, op)
}

/// What a test can compare of one parsed row: its number, key, digest and
/// the row (or why not) as `Debug` shows it.
type Summary = (u64, Option<String>, String, String);

fn summary(parsed: &Parsed) -> Summary {
    (
        parsed.line,
        parsed.id.clone(),
        parsed.digest.hex(),
        format!("{:?}", parsed.row),
    )
}

/// Reads every row of `bytes`, stopping after `stop_after` rows (0: never),
/// checking what every reader must guarantee.
fn read_all(
    bytes: Vec<u8>,
    buffer: Option<usize>,
    format: Format,
    provider: ProviderArg,
    op: SyncOp,
    stop_after: usize,
) -> (Vec<Summary>, Option<String>) {
    let input = Input {
        reader: match buffer {
            None => Box::new(Cursor::new(bytes)),
            Some(capacity) => Box::new(BufReader::with_capacity(capacity, Cursor::new(bytes))),
        },
        format,
        ahead: None,
        csv_digests_sorted: true,
    };
    let mut rows: Vec<Summary> = Vec::new();
    let result = read_rows(input, provider, op, |parsed| {
        if let Some(previous) = rows.last() {
            assert!(parsed.line > previous.0, "row numbers go backwards");
        }
        assert!(parsed.line >= 1, "rows are numbered from 1");
        if let Some(id) = &parsed.id {
            assert!(!id.is_empty() && id.trim() == id, "row key {id:?}");
        }
        assert_eq!(parsed.digest.hex().len(), 16);
        match &parsed.row {
            Ok(row) => {
                let _ = format!("{row:?}");
            }
            Err(message) => assert!(!message.is_empty(), "an empty row error"),
        }
        rows.push(summary(&parsed));
        assert!(
            stop_after == 0 || rows.len() <= stop_after,
            "emit said stop"
        );
        stop_after == 0 || rows.len() < stop_after
    });
    let error = result.err().map(|e| {
        assert!(!e.message.is_empty(), "an empty input error");
        assert!(e.code == 1 || e.code == 2, "exit code {}", e.code);
        e.message
    });
    (rows, error)
}

/// Row parsing, JSON Lines and CSV. The first byte picks the format (bit 0),
/// provider and operation (bits 1 to 3), and after how many rows the reader
/// is told to stop (bits 4 to 6; 0: never). Selector 0xff reads JSON Lines
/// with `MAX_LINE - 64` spaces before the rest, to probe the line cap. Every
/// other input is also read through a three-byte buffer, which must not
/// change a single row.
pub fn rows(data: &[u8]) {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let long_line = selector == 0xff;
    let format = if selector & 1 == 0 || long_line {
        Format::Jsonl
    } else {
        Format::Csv
    };
    let (provider, op) = run_kind(selector);
    let stop_after = usize::from((selector >> 4) & 0b111);
    let bytes = if long_line {
        let mut bytes = vec![b' '; MAX_LINE - 64];
        bytes.extend_from_slice(body);
        bytes
    } else {
        body.to_vec()
    };
    let stop_after = if long_line { 0 } else { stop_after };
    if format == Format::Jsonl && !long_line {
        same_either_way(&bytes, provider, op);
    }
    let (rows, error) = read_all(bytes.clone(), None, format, provider, op, stop_after);
    if !long_line {
        let again = read_all(bytes, Some(3), format, provider, op, stop_after);
        assert_eq!(
            (&rows, &error),
            (&again.0, &again.1),
            "the buffer size matters"
        );
    }
}

/// Every line read the fast way (typed, for the common shape) is read
/// exactly as the general way reads it.
pub fn same_either_way(bytes: &[u8], provider: ProviderArg, op: SyncOp) {
    for (n, line) in bytes.split(|b| *b == b'\n').enumerate() {
        let text = line.trim_ascii();
        if text.is_empty() {
            continue;
        }
        let line = n as u64 + 1;
        assert_eq!(
            summary(&jsonl_row(line, text, provider, op)),
            summary(&general_jsonl_row(line, text, provider, op)),
            "line {line} read two ways: {:?}",
            String::from_utf8_lossy(text)
        );
    }
}

static JOURNALS: AtomicU64 = AtomicU64::new(0);

/// A journal file of this process's own, removed when dropped.
struct TempJournal(PathBuf);

impl TempJournal {
    fn new() -> Self {
        let n = JOURNALS.fetch_add(1, Ordering::Relaxed);
        let name = format!("payusers-fuzz-journal-{}-{n}.jsonl", std::process::id());
        TempJournal(std::env::temp_dir().join(name))
    }
}

impl Drop for TempJournal {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The row numbers whose resume verdict the journal target compares.
const PROBES: [u64; 8] = [0, 1, 2, 3, 4, 5, 1 << 32, u64::MAX];

/// The journal reader. The first byte picks the run's provider and
/// operation (bits 1 to 3) and whether its header has an input digest (bit
/// 0); the rest is the journal file. Opening it with `--resume` may fail,
/// but not panic; when it succeeds, appending a row and resuming again must
/// work and find that row done, every other row as it was, and nothing
/// left to repair.
pub fn journal(data: &[u8]) {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let (provider, op) = run_kind(selector);
    let header = Header {
        journal: journal::VERSION,
        provider,
        op,
        input_digest: (selector & 1 == 1).then(|| "0123456789abcdef".to_string()),
    };
    let temp = TempJournal::new();
    std::fs::write(&temp.0, body).expect("cannot write the journal");
    let Ok(mut opened) = journal::open(&temp.0, true, &header) else {
        return;
    };
    let blank = Digest::new();
    let before: Vec<Resume> = PROBES
        .iter()
        .map(|l| opened.done.check(*l, &blank, [None, None]))
        .collect();
    let _ = opened.done.check(1, &Digest::of(body), [None, None]);
    let _ = (opened.done.len(), opened.done.is_empty());
    for note in &opened.notes {
        assert!(!note.is_empty());
    }
    // What a resumed run does next: append a row, then stop.
    let line = 1_000_003;
    let digest = Digest::of(b"fuzz");
    // Written as `journal::append` writes it, but as text, so that new
    // optional fields of `Entry` need no change here.
    let entry = format!(
        "{{\"line\":{line},\"id\":\"fuzz\",\"status\":\"ok\",\"http_status\":200,\
         \"attempts\":1,\"error\":null,\"digest\":\"{}\"}}\n",
        digest.hex()
    );
    opened
        .file
        .write_all(entry.as_bytes())
        .expect("cannot append to the journal");
    drop(opened);
    let shown = String::from_utf8_lossy(body);
    let mut again = match journal::open(&temp.0, true, &header) {
        Ok(again) => again,
        Err(e) => panic!(
            "a journal that resumed once cannot resume again after one more row: {}\njournal was {shown:?}\nnow {:?}",
            e.message,
            String::from_utf8_lossy(&std::fs::read(&temp.0).unwrap_or_default())
        ),
    };
    // Its user's earlier writes, whatever the journal holds, are older.
    assert_eq!(
        again
            .done
            .check(line, &digest, [Some("fuzz"), Some("other")]),
        Resume::Done,
        "the appended row is not done; journal was {shown:?}"
    );
    let after: Vec<Resume> = PROBES
        .iter()
        .map(|l| again.done.check(*l, &blank, [None, None]))
        .collect();
    assert_eq!(
        before, after,
        "resuming changed the rows done; journal was {shown:?}"
    );
    assert!(
        !again.notes.iter().any(|n| n.contains("incomplete")),
        "a repaired journal needs repair again: {:?}; journal was {shown:?}",
        again.notes
    );
}

/// `Retry-After` parsing, at now, at the epoch and far in the future.
pub fn retry_after(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let far = SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(1 << 40));
    let nows = [Some(SystemTime::now()), Some(SystemTime::UNIX_EPOCH), far];
    for now in nows.into_iter().flatten() {
        let parsed = payusers::retry::parse_retry_after(&text, now);
        // delay-seconds is `1*DIGIT` (RFC 9110), between spaces or tabs at
        // most; more seconds than a u64 holds read as the longest wait.
        let trimmed = text.trim_matches([' ', '\t']);
        if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
            let seconds = trimmed.parse::<u64>().unwrap_or(u64::MAX);
            assert_eq!(parsed, Some(Duration::from_secs(seconds)), "{text:?}");
        } else if trimmed.starts_with(['+', '-']) || trimmed.bytes().all(|b| b.is_ascii_digit()) {
            assert_eq!(parsed, None, "{text:?} is not delay-seconds");
        }
        if let Some(delay) = parsed {
            // How the transport and the rate limiter use it.
            let _ = Instant::now().checked_add(delay);
            let _ = delay.as_millis() as u64;
        }
    }
}

/// How much of a body an error quotes, in characters (`EXCERPT_CHARS`).
const EXCERPT_CHARS: usize = 256;

/// Error-body decoding: the message and the excerpt of any body.
pub fn error_body(data: &[u8]) {
    let fields = ["detail", "message", "responseText"];
    if let Some(message) = payusers::transport::message_from_body(data, &fields) {
        check_excerpt(&message);
    }
    let _ = payusers::transport::message_from_body(data, &[]);
    check_excerpt(&String::from_utf8_lossy(data));
}

fn check_excerpt(text: &str) {
    let excerpt = payusers::transport::excerpt(text);
    let chars = excerpt.chars().count();
    if text.chars().count() <= EXCERPT_CHARS {
        assert_eq!(excerpt, text, "a short text is quoted whole");
    } else {
        assert_eq!(chars, EXCERPT_CHARS + 1, "excerpt of {chars} characters");
        let cut = excerpt
            .strip_suffix('…')
            .expect("a cut excerpt ends in `…`");
        assert!(text.starts_with(cut), "the excerpt is not the text's start");
    }
}

/// Path-parameter encoding: a value stays exactly one path segment and
/// decodes back to itself; only "", "." and ".." are refused.
pub fn path_segment(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let encoded = match payusers::transport::path_segment::<()>("id", &text) {
        Ok(encoded) => encoded,
        Err(e) => {
            assert!(matches!(&*text, "" | "." | ".."), "{text:?} refused: {e}");
            return;
        }
    };
    assert!(
        !matches!(&*text, "" | "." | ".."),
        "{text:?} accepted as {encoded:?}"
    );
    let url = format!("http://127.0.0.1/base/{encoded}/x");
    let parsed = reqwest::Url::parse(&url).unwrap_or_else(|e| panic!("{url:?}: {e}"));
    let segments: Vec<&str> = parsed
        .path_segments()
        .expect("an http URL has a path")
        .collect();
    assert_eq!(segments.len(), 3, "{text:?} became {url:?}: {segments:?}");
    assert_eq!(
        (segments[0], segments[2]),
        ("base", "x"),
        "{text:?}: {segments:?}"
    );
    assert_eq!(
        percent_decode(segments[1]),
        text.as_bytes(),
        "{text:?} encoded as {encoded:?} came back as {:?}",
        segments[1]
    );
    assert!(
        parsed.query().is_none() && parsed.fragment().is_none(),
        "{url:?}"
    );
}

/// `%XX` to the byte it stands for; anything else as it is.
fn percent_decode(segment: &str) -> Vec<u8> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}
