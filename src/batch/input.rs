//! Reading sync input as a stream: JSON Lines or CSV, from a file or a pipe.
//!
//! A regular file is read twice: once ahead, to count rows (for progress)
//! and to fingerprint the whole input (for the journal); then row by row.
//! A pipe, stdin or `/dev/stdin` is read exactly once.

use super::BatchError;
use super::fields::Fields;
use super::journal::Digest;
use super::rows::{self, Row};
use super::{ProviderArg, SyncOp};
use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::rc::Rc;

const MAX_LINE: usize = 1 << 20;

/// The field whose value never enters a row's digest, nor the journal
/// header's fingerprint of the whole input: a password (Payabli's `pwd`).
/// A digest is a fast, unkeyed 64-bit hash kept in the journal next to
/// the user id, so a password in it could be guessed offline; the digest
/// records only that one is set ([`SECRET_SET`]). So
/// editing nothing but a row's password does not make `--resume` send the
/// row again: a new journal does.
const SECRET_FIELD: &str = "pwd";
/// What a digest hashes for a set password.
const SECRET_SET: &str = "\u{0}password set\u{0}";

/// The most the CSV parser may read for one record, its read-ahead
/// included: a record of [`MAX_LINE`] bytes always fits, and a runaway
/// one (a cell megabytes long, an unclosed quote swallowing the file) is
/// refused before it is held in memory whole.
const MAX_RECORD_READ: u64 = MAX_LINE as u64 + (64 << 10);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Csv,
}

/// One row as read: where it was, its key, a fingerprint of its content,
/// and the row or why it cannot be used.
#[derive(Debug)]
pub struct Parsed {
    pub line: u64,
    pub id: Option<String>,
    /// A second key, for a row that names two users (a `--provider both`
    /// row with both ids): it waits for rows before it naming either.
    pub also: Option<String>,
    /// The row's input text, in bytes (a CSV record's cells and
    /// separators): what reading and holding it costs.
    pub bytes: usize,
    pub digest: Digest,
    pub row: Result<Row, String>,
    /// A delete an earlier run sent whose answer was lost (its entry is
    /// `maybe_applied`): sent again, and if the provider says the user is
    /// not there, the user is looked up, and the row is ok if they are gone.
    pub in_doubt: bool,
}

pub struct Input {
    pub reader: Box<dyn BufRead + Send>,
    pub format: Format,
    /// For a regular file: its row count and digest, read ahead.
    pub ahead: Option<(u64, Digest)>,
    /// Whether a CSV row's digest takes its cells sorted by column name
    /// (journals of format 4 on), or in the header's order (a resumed
    /// older journal: see `journal::csv_digests_sorted`).
    pub csv_digests_sorted: bool,
}

pub fn open(path: &Path, provider: ProviderArg, op: SyncOp) -> Result<Input, BatchError> {
    let shown = path.display();
    let stdin = path.as_os_str() == "-";
    let regular = !stdin && std::fs::metadata(path).is_ok_and(|m| m.is_file());
    let mut reader: Box<dyn BufRead + Send> = if stdin {
        Box::new(BufReader::with_capacity(64 * 1024, io::stdin()))
    } else {
        let file = File::open(path)
            .map_err(|e| BatchError::usage(format!("cannot open input {shown}: {e}")))?;
        Box::new(BufReader::with_capacity(64 * 1024, file))
    };
    let format = match format_from_extension(path) {
        Some(format) => format,
        None => {
            let (format, seen) = sniff(&mut reader)
                .map_err(|e| BatchError::failure(format!("cannot read input {shown}: {e}")))?;
            if !seen.is_empty() {
                // What sniffing took is read again, ahead of the rest.
                let rest = io::Cursor::new(seen).chain(reader);
                reader = Box::new(BufReader::with_capacity(64 * 1024, rest));
            }
            format
        }
    };
    let ahead = if regular {
        let file = File::open(path)
            .map_err(|e| BatchError::usage(format!("cannot open input {shown}: {e}")))?;
        // A file that cannot be read ahead is read (and reported) once, below.
        count_rows(
            BufReader::with_capacity(256 * 1024, file),
            format,
            provider,
            op,
        )
        .ok()
    } else {
        None
    };
    Ok(Input {
        reader,
        format,
        ahead,
        // What a new journal takes; a resumed older one may say otherwise.
        csv_digests_sorted: true,
    })
}

pub fn format_from_extension(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "jsonl" | "ndjson" => Some(Format::Jsonl),
        "csv" => Some(Format::Csv),
        _ => None,
    }
}

/// JSON Lines when the first byte that is not blank (after any BOM) is
/// `{`, else CSV; and what it had to take from `reader` to see that byte
/// (nothing when the first chunk showed it, or the blank lines and BOM
/// before it: a pipe may deliver a blank line alone).
fn sniff(reader: &mut impl BufRead) -> io::Result<(Format, Vec<u8>)> {
    let mut seen = Vec::new();
    loop {
        let buffer = reader.fill_buf()?;
        let at_end = buffer.is_empty();
        if seen.is_empty()
            && let Some(format) = sniffed(buffer, at_end)
        {
            return Ok((format, seen));
        }
        seen.extend_from_slice(buffer);
        let taken = buffer.len();
        reader.consume(taken);
        if let Some(format) = sniffed(&seen, at_end || seen.len() >= MAX_LINE) {
            return Ok((format, seen));
        }
    }
}

/// The format `known` (the input's start) shows; `None` while it is blank
/// or part of a BOM, unless no more is coming.
fn sniffed(known: &[u8], at_end: bool) -> Option<Format> {
    const BOM: &[u8] = b"\xef\xbb\xbf";
    let text = known.strip_prefix(BOM).unwrap_or(known);
    let first = text.iter().find(|b| !b.is_ascii_whitespace());
    let part_of_bom = known.len() < BOM.len() && BOM.starts_with(known);
    if (first.is_none() || part_of_bom) && !at_end {
        return None;
    }
    Some(if first == Some(&b'{') {
        Format::Jsonl
    } else {
        Format::Csv
    })
}

/// Reads every row, handing each to `emit`; stops early when `emit` says so.
pub fn read_rows(
    input: Input,
    provider: ProviderArg,
    op: SyncOp,
    emit: impl FnMut(Parsed) -> bool,
) -> Result<(), BatchError> {
    match input.format {
        Format::Jsonl => read_jsonl(input.reader, provider, op, emit),
        Format::Csv => read_csv(input.reader, provider, op, input.csv_digests_sorted, emit),
    }
}

fn read_error(e: impl std::fmt::Display) -> BatchError {
    BatchError::failure(format!("cannot read input: {e}"))
}

/// Counts the rows `read_rows` would hand out, and fingerprints the input
/// (the journal header's `input_digest`), parsing only what may carry a
/// password: the non-blank lines of JSON Lines with their line numbers
/// (rows are matched by line: a blank line inserted moves the rows after
/// it), each hashed as it is unless it may set a password (then parsed,
/// and hashed as its row's digest is: the password only as set or not),
/// and the records after a CSV header, hashed as their rows' digests are
/// (under a `pwd` column, only counted). So no password enters it either.
fn count_rows(
    reader: impl BufRead,
    format: Format,
    provider: ProviderArg,
    op: SyncOp,
) -> Result<(u64, Digest), BatchError> {
    let mut count = 0u64;
    let mut digest = Digest::new();
    match format {
        Format::Jsonl => jsonl_lines(reader, |line, found| {
            count += 1;
            digest.update(&line.to_le_bytes());
            digest.fold(match found {
                JsonLine::Text(text) if may_hold_secret(text) => {
                    match serde_json::from_slice::<serde_json::Value>(text) {
                        Ok(serde_json::Value::Object(map)) => object_digest(&map),
                        _ => opaque_digest(text),
                    }
                }
                JsonLine::Text(text) => Digest::of(text),
                JsonLine::TooLong(start) => opaque_digest(start),
            });
            true
        })?,
        Format::Csv => {
            let mut reader = CsvInput::new(reader);
            let columns = csv_header(&mut reader.reader, provider, op)?;
            let secret = has_secret_column(&columns);
            let order = digest_order(&columns, true);
            let mut record = csv::ByteRecord::new();
            while reader.next(&mut record)? {
                count += 1;
                // Under a password column any cell may hold a password a
                // stray comma shifted there: only the record counts. (Each
                // row's own digest still tells an edit on resume.)
                digest.fold(if secret {
                    Digest::withheld()
                } else {
                    cells_digest(&columns, &order, &record)
                });
            }
        }
    }
    Ok((count, digest))
}

/// Name parts that mark a key as a credential's, in any case: a row keyed
/// `password`, `Pwd` or `apiToken` is refused (no such field), but its
/// value is surely a secret all the same.
const SECRET_NAMES: [&[u8]; 4] = [b"pwd", b"pass", b"secret", b"token"];

/// Whether a top-level key other than [`SECRET_FIELD`] names a credential
/// ([`SECRET_NAMES`]). Every such key is unknown to every row type, so a
/// row with one always fails, and no digest of it is ever matched.
fn secret_key(key: &str) -> bool {
    key != SECRET_FIELD && names_a_secret(key.as_bytes())
}

/// Whether `text` holds one of [`SECRET_NAMES`], in any ASCII case.
fn names_a_secret(text: &[u8]) -> bool {
    let starts = |at: usize, name: &[u8]| {
        text.get(at..at + name.len())
            .is_some_and(|found| found.eq_ignore_ascii_case(name))
    };
    // One pass a case for the first bytes (`p`, `s`, `t`).
    [(b'p', b's', b't'), (b'P', b'S', b'T')]
        .into_iter()
        .any(|(p, s, t)| {
            memchr::memchr3_iter(p, s, t, text)
                .any(|at| SECRET_NAMES.iter().any(|name| starts(at, name)))
        })
}

/// Whether JSON text may set a password, or hold a credential under a
/// key of another name: only text naming [`SECRET_FIELD`] or one of
/// [`SECRET_NAMES`] in any case, or with a `\u` escape (which can spell
/// any of them), can.
fn may_hold_secret(text: &[u8]) -> bool {
    memchr::memmem::find(text, b"\\u").is_some() || names_a_secret(text)
}

/// The digest of a line that is not a JSON object (not JSON, not an
/// object, too long): its text, or, when that may hold a password, only
/// that it was such a line. (No resume matches a failed row by digest.)
fn opaque_digest(text: &[u8]) -> Digest {
    if may_hold_secret(text) {
        Digest::withheld()
    } else {
        Digest::of(text)
    }
}

/// An object row's digest: its canonical JSON (keys sorted, compact),
/// hashed as it is written, the same digest as hashing `to_vec(&map)`; a
/// password counts only as set or not (see [`SECRET_FIELD`]), and a row
/// with a credential under another key ([`secret_key`]; it fails) only as
/// such a row.
fn object_digest(map: &serde_json::Map<String, serde_json::Value>) -> Digest {
    if map.keys().any(|key| secret_key(key)) {
        return Digest::withheld();
    }
    let mut digest = Digest::new();
    let hashed = match map.get(SECRET_FIELD) {
        Some(value) if !value.is_null() && value != "" => {
            let mut masked = map.clone();
            masked.insert(SECRET_FIELD.into(), SECRET_SET.into());
            serde_json::to_writer(&mut digest, &masked)
        }
        _ => serde_json::to_writer(&mut digest, map),
    };
    if hashed.is_err() {
        digest = Digest::of(b"");
    }
    digest
}

/// A non-blank JSON Lines line: its text (trimmed), or, when it is longer
/// than [`MAX_LINE`], its first bytes.
enum JsonLine<'a> {
    Text(&'a [u8]),
    TooLong(&'a [u8]),
}

/// Hands every non-blank line to `each` with its 1-based number; stops
/// early when `each` says so.
fn jsonl_lines(
    mut reader: impl BufRead,
    mut each: impl FnMut(u64, JsonLine<'_>) -> bool,
) -> Result<(), BatchError> {
    let mut buffer = Vec::with_capacity(1024);
    let mut line = 0u64;
    loop {
        let read = read_line_capped(&mut reader, &mut buffer).map_err(read_error)?;
        if read == Line::End {
            return Ok(());
        }
        line += 1;
        let found = if read == Line::TooLong {
            JsonLine::TooLong(&buffer)
        } else {
            let mut text = buffer.trim_ascii();
            if line == 1 {
                // A UTF-8 byte-order mark, as some editors write.
                text = text
                    .strip_prefix(b"\xef\xbb\xbf")
                    .unwrap_or(text)
                    .trim_ascii();
            }
            if text.is_empty() {
                continue;
            }
            JsonLine::Text(text)
        };
        if !each(line, found) {
            return Ok(());
        }
    }
}

fn read_jsonl(
    reader: impl BufRead,
    provider: ProviderArg,
    op: SyncOp,
    mut emit: impl FnMut(Parsed) -> bool,
) -> Result<(), BatchError> {
    jsonl_lines(reader, |line, found| {
        emit(match found {
            JsonLine::TooLong(start) => Parsed {
                in_doubt: false,
                line,
                id: None,
                also: None,
                bytes: MAX_LINE,
                digest: opaque_digest(start),
                row: Err(format!("line is longer than {MAX_LINE} bytes")),
            },
            JsonLine::Text(text) => jsonl_row(line, text, provider, op),
        })
    })
}

/// One JSON Lines line (trimmed, not blank) as a row.
pub fn jsonl_row(line: u64, text: &[u8], provider: ProviderArg, op: SyncOp) -> Parsed {
    if provider == ProviderArg::Hpay
        && let Some((id, digest, row)) = super::fast::hpay(op, text)
    {
        return Parsed {
            in_doubt: false,
            line,
            id,
            also: None,
            bytes: text.len(),
            digest,
            row: Ok(Row::Hpay(row)),
        };
    }
    general_jsonl_row(line, text, provider, op)
}

/// JSON whose objects, at any depth, name each key once. `serde_json`
/// keeps the last of two (`{"user_id": "a", …, "user_id": "b"}` would
/// write to `b`); a row that says two things is refused instead.
struct UniqueKeys(serde_json::Value);

impl<'de> serde::Deserialize<'de> for UniqueKeys {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(UniqueKeysVisitor)
    }
}

struct UniqueKeysVisitor;

impl<'de> serde::de::Visitor<'de> for UniqueKeysVisitor {
    type Value = UniqueKeys;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut access: A,
    ) -> Result<UniqueKeys, A::Error> {
        let mut map = serde_json::Map::new();
        while let Some(key) = access.next_key::<String>()? {
            if map.contains_key(&key) {
                return Err(serde::de::Error::custom(format_args!(
                    "field `{}` appears twice",
                    key.escape_debug()
                )));
            }
            let UniqueKeys(value) = access.next_value()?;
            map.insert(key, value);
        }
        Ok(UniqueKeys(serde_json::Value::Object(map)))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut access: A,
    ) -> Result<UniqueKeys, A::Error> {
        let mut items = Vec::new();
        while let Some(UniqueKeys(item)) = access.next_element()? {
            items.push(item);
        }
        Ok(UniqueKeys(serde_json::Value::Array(items)))
    }

    fn visit_bool<E>(self, v: bool) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys(v.into()))
    }

    fn visit_i64<E>(self, v: i64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys(
            serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, Into::into),
        ))
    }

    fn visit_str<E>(self, v: &str) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys(v.into()))
    }

    fn visit_string<E>(self, v: String) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys(v.into()))
    }

    fn visit_unit<E>(self) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys(serde_json::Value::Null))
    }
}

/// Any line, through a `serde_json::Map` and `Fields`.
pub fn general_jsonl_row(line: u64, text: &[u8], provider: ProviderArg, op: SyncOp) -> Parsed {
    match serde_json::from_slice::<UniqueKeys>(text).map(|UniqueKeys(value)| value) {
        Err(e) => Parsed {
            in_doubt: false,
            line,
            id: None,
            also: None,
            bytes: text.len(),
            digest: opaque_digest(text),
            row: Err(if e.is_data() {
                // A key twice: well-formed JSON that says two things.
                e.to_string()
            } else {
                format!("not valid JSON: {e}")
            }),
        },
        Ok(serde_json::Value::Object(map)) => {
            let digest = object_digest(&map);
            let fields = Fields::json(map);
            let (id, also) = fields.keys(provider, op);
            Parsed {
                in_doubt: false,
                line,
                id,
                also,
                bytes: text.len(),
                digest,
                row: rows::parse(provider, op, fields),
            }
        }
        Ok(other) => Parsed {
            in_doubt: false,
            line,
            id: None,
            also: None,
            bytes: text.len(),
            digest: opaque_digest(text),
            row: Err(format!(
                "expected a JSON object, got {}",
                crate::validate::json_kind(&other)
            )),
        },
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Line {
    End,
    Fits,
    TooLong,
}

fn read_line_capped(reader: &mut impl BufRead, buffer: &mut Vec<u8>) -> io::Result<Line> {
    buffer.clear();
    let limit = (MAX_LINE + 1) as u64;
    if reader.by_ref().take(limit).read_until(b'\n', buffer)? == 0 {
        return Ok(Line::End);
    }
    if buffer.len() > MAX_LINE && buffer.last() != Some(&b'\n') {
        skip_rest_of_line(reader)?;
        return Ok(Line::TooLong);
    }
    Ok(Line::Fits)
}

fn skip_rest_of_line(reader: &mut impl BufRead) -> io::Result<()> {
    loop {
        let buffer = reader.fill_buf()?;
        if buffer.is_empty() {
            return Ok(());
        }
        match buffer.iter().position(|&b| b == b'\n') {
            Some(at) => {
                reader.consume(at + 1);
                return Ok(());
            }
            None => {
                let len = buffer.len();
                reader.consume(len);
            }
        }
    }
}

fn csv_header<R: Read>(
    reader: &mut csv::Reader<R>,
    provider: ProviderArg,
    op: SyncOp,
) -> Result<Vec<String>, BatchError> {
    let header = reader.byte_headers().map_err(read_error)?.clone();
    if header.is_empty() {
        // Nothing at all (or blank lines only): no rows, as an empty JSON
        // Lines input has none. Never a record read without its header.
        let mut record = csv::ByteRecord::new();
        if reader.read_byte_record(&mut record).map_err(read_error)? {
            return Err(BatchError::usage("the CSV input has no header row"));
        }
        return Ok(Vec::new());
    }
    if header.iter().all(|h| h.trim_ascii().is_empty()) {
        return Err(BatchError::usage("the CSV input has no header row"));
    }
    let mut columns = Vec::with_capacity(header.len());
    for (i, raw) in header.iter().enumerate() {
        let text = std::str::from_utf8(raw)
            .map_err(|_| BatchError::usage(format!("CSV header column {} is not UTF-8", i + 1)))?;
        let name = text.trim_start_matches('\u{feff}').trim().to_string();
        if name.contains(['\n', '\r']) {
            return Err(BatchError::usage(
                "the CSV header spans several lines (an unbalanced quote?)",
            ));
        }
        if !rows::known_column(provider, op, &name) {
            return Err(BatchError::usage(format!(
                "column `{name}` is not one of {} {} rows (see `payusers sync --help`)",
                provider.name(),
                op.name()
            )));
        }
        if columns.contains(&name) {
            return Err(BatchError::usage(format!(
                "CSV column `{name}` appears twice"
            )));
        }
        columns.push(name);
    }
    if provider == ProviderArg::Payabli
        && columns.iter().any(|c| c == "usrStatus")
        && columns.iter().any(|c| c == "status")
    {
        return Err(BatchError::usage(
            "give a `usrStatus` or a `status` column, not both",
        ));
    }
    let missing: Vec<&str> = rows::required_columns(provider, op)
        .iter()
        .copied()
        .filter(|r| !columns.iter().any(|c| c == r))
        .collect();
    if !missing.is_empty() {
        return Err(BatchError::usage(format!(
            "the CSV header lacks required column(s): {}",
            missing.join(", ")
        )));
    }
    Ok(columns)
}

/// A CSV reader that refuses a record longer than [`MAX_RECORD_READ`].
struct CsvInput<R> {
    reader: csv::Reader<Counted<R>>,
    since: Rc<Cell<u64>>,
    /// Whether the first line ends in `\r\n`, once [`Counted`] has seen
    /// its end. Then the parser's line numbers are one short: it counts a
    /// line at its `\n`, which it reads only with the next record.
    crlf: Rc<Cell<Option<bool>>>,
}

impl<R: Read> CsvInput<R> {
    fn new(inner: R) -> Self {
        let since = Rc::new(Cell::new(0));
        let crlf = Rc::new(Cell::new(None));
        let counted = Counted {
            inner,
            since: since.clone(),
            crlf: crlf.clone(),
            last_was_cr: false,
        };
        let reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(counted);
        CsvInput {
            reader,
            since,
            crlf,
        }
    }

    /// The input line the parser is at (1-based), whatever ends the lines.
    fn line(&self) -> u64 {
        self.reader.position().line() + u64::from(self.crlf.get() == Some(true))
    }

    /// The next record; `false` at the end. A runaway record is bad
    /// input (a usage error, naming the input line it starts on); any
    /// other error, a failure to read.
    fn next(&mut self, record: &mut csv::ByteRecord) -> Result<bool, BatchError> {
        self.since.set(0);
        let starts = self.line();
        self.reader
            .read_byte_record(record)
            .map_err(|e| match e.kind() {
                csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::InvalidData => {
                    BatchError::usage(format!("input line {starts}: {io}"))
                }
                _ => read_error(e),
            })
    }
}

/// Counts what the CSV parser reads, and fails past [`MAX_RECORD_READ`]
/// since the last record began.
struct Counted<R> {
    inner: R,
    since: Rc<Cell<u64>>,
    /// Whether the first line ends in `\r\n`, once its end is read.
    crlf: Rc<Cell<Option<bool>>>,
    /// Whether the last byte read was a `\r` (the first `\n` may start
    /// the next read).
    last_was_cr: bool,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if self.crlf.get().is_none() {
            let read = &buf[..n];
            if let Some(at) = memchr::memchr(b'\n', read) {
                let cr = if at == 0 {
                    self.last_was_cr
                } else {
                    read[at - 1] == b'\r'
                };
                self.crlf.set(Some(cr));
            }
            self.last_was_cr = read.last() == Some(&b'\r');
        }
        let since = self.since.get() + n as u64;
        self.since.set(since);
        if since > MAX_RECORD_READ {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("a CSV record (or an unclosed quote) runs past {MAX_LINE} bytes"),
            ));
        }
        Ok(n)
    }
}

fn read_csv(
    reader: impl BufRead,
    provider: ProviderArg,
    op: SyncOp,
    sorted: bool,
    mut emit: impl FnMut(Parsed) -> bool,
) -> Result<(), BatchError> {
    let mut reader = CsvInput::new(reader);
    let columns = csv_header(&mut reader.reader, provider, op)?;
    // Once a file, not once a row.
    let secret = has_secret_column(&columns);
    let order = digest_order(&columns, sorted);
    let mut record = csv::ByteRecord::new();
    let mut number = 0u64;
    loop {
        let first_line = reader.line();
        if !reader.next(&mut record)? {
            break;
        }
        number += 1;
        let last_line = reader.line().saturating_sub(1).max(first_line);
        // Where the record starts: its last line less the line breaks
        // inside its cells (past any blank lines before it).
        let inside = record
            .iter()
            .map(|cell| cell.iter().filter(|b| **b == b'\n').count() as u64)
            .sum::<u64>();
        let first_line = last_line.saturating_sub(inside).max(first_line);
        let parsed = csv_row(
            (&columns, &order, secret),
            &record,
            provider,
            op,
            number,
            (first_line, last_line),
        );
        if !emit(parsed) {
            break;
        }
    }
    Ok(())
}

/// Whether a CSV header has a [`SECRET_FIELD`] column: then a stray comma
/// can shift a password under another column, so no failing record's cell
/// is quoted or hashed (see [`csv_row`]).
fn has_secret_column(columns: &[String]) -> bool {
    columns.iter().any(|c| c == SECRET_FIELD)
}

/// Whether a record's cells surely sit under the wrong columns, a password
/// among them: the header has a [`SECRET_FIELD`] column (`secret`) and the
/// record another number of cells (one left out puts the cells after it
/// under the columns before). Such a record is neither read, quoted nor
/// hashed.
fn misaligned_secret(columns: &[String], secret: bool, record: &csv::ByteRecord) -> bool {
    secret && record.len() != columns.len()
}

/// The order [`cells_digest`] takes a header's columns in: by name, so
/// that reordering a file's columns changes no digest, or (`sorted`
/// false, for a resumed journal of format 3 or older) as the header has
/// them.
fn digest_order(columns: &[String], sorted: bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..columns.len()).collect();
    if sorted {
        order.sort_by(|&a, &b| columns[a].cmp(&columns[b]));
    }
    order
}

/// A CSV record's digest: each column's name and cell, in `order`
/// ([`digest_order`]), a password only as set or not (see
/// [`SECRET_FIELD`]).
fn cells_digest(columns: &[String], order: &[usize], record: &csv::ByteRecord) -> Digest {
    let mut digest = Digest::new();
    for (column, raw) in order
        .iter()
        .filter_map(|&at| Some((&columns[at], record.get(at)?)))
    {
        digest.update(column.as_bytes());
        digest.update(b"\x1f");
        if column == SECRET_FIELD && !raw.trim_ascii().is_empty() {
            digest.update(SECRET_SET.as_bytes());
        } else {
            digest.update(raw);
        }
        digest.update(b"\x1e");
    }
    digest
}

/// One record as a row; `secret`: whether the header has a
/// [`SECRET_FIELD`] column ([`has_secret_column`]).
fn csv_row(
    (columns, order, secret): (&[String], &[usize], bool),
    record: &csv::ByteRecord,
    provider: ProviderArg,
    op: SyncOp,
    number: u64,
    (first_line, last_line): (u64, u64),
) -> Parsed {
    if misaligned_secret(columns, secret, record) {
        return Parsed {
            in_doubt: false,
            line: number,
            id: None,
            also: None,
            bytes: record.as_slice().len() + record.len(),
            digest: Digest::withheld(),
            row: Err(format!(
                "record has {} fields but the header has {} columns; with a `{SECRET_FIELD}` \
                 column every record needs every cell (none of this one is read: a password \
                 could sit under another column)",
                record.len(),
                columns.len()
            )),
        };
    }
    let mut cells = Vec::with_capacity(record.len());
    let mut bad_utf8 = None;
    let digest = cells_digest(columns, order, record);
    for (column, raw) in columns.iter().zip(record.iter()) {
        match std::str::from_utf8(raw) {
            Ok(text) => cells.push((column.as_str(), text.to_string())),
            Err(_) => {
                bad_utf8.get_or_insert(column.clone());
            }
        }
    }
    // No field of ours holds a line break: one that does is almost surely an
    // unbalanced quote that swallowed the records after it.
    let multiline = cells
        .iter()
        .find(|(_, text)| text.contains(['\n', '\r']))
        .map(|(column, _)| column.to_string());
    let fields = Fields::csv(cells.into_iter()).quiet(secret);
    let (id, also) = fields.keys(provider, op);
    let row = if let Some(column) = multiline {
        Err(format!(
            "field `{column}` spans input lines {first_line}–{last_line} (an unbalanced quote?); \
             the lines inside it were not read as rows"
        ))
    } else if record.len() != columns.len() {
        // Short as well as long: a cell left out shifts every cell after
        // it under the column before (`1000001,CFO` under `userId,name,
        // additionalData.title` would rename the user `CFO`).
        Err(format!(
            "record has {} fields but the header has {} columns",
            record.len(),
            columns.len()
        ))
    } else if let Some(column) = bad_utf8 {
        Err(format!("column `{column}` is not valid UTF-8"))
    } else {
        rows::parse(provider, op, fields).map(|row| match row {
            Row::Payabli(row) if secret => Row::Payabli(rows::PayabliRow {
                guarded: true,
                ..row
            }),
            row => row,
        })
    };
    // Under a password column, a record that does not read may have
    // shifted the password under another column, its key's included: only
    // its failure counts (no resume matches a failed row by digest, and a
    // row never sent holds no user back).
    let (digest, id, also) = if secret && row.is_err() {
        (Digest::withheld(), None, None)
    } else {
        (digest, id, also)
    };
    Parsed {
        in_doubt: false,
        line: number,
        id,
        also,
        bytes: record.as_slice().len() + record.len(),
        digest,
        row,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;

    fn collect(
        text: &str,
        format: Format,
        provider: ProviderArg,
    ) -> Result<Vec<Parsed>, BatchError> {
        let input = Input {
            reader: Box::new(io::Cursor::new(text.as_bytes().to_vec())),
            format,
            ahead: None,
            csv_digests_sorted: true,
        };
        let mut out = Vec::new();
        read_rows(input, provider, SyncOp::Update, |p| {
            out.push(p);
            true
        })?;
        Ok(out)
    }

    #[test]
    fn jsonl_lines_are_numbered_and_bad_lines_fail_alone() {
        let text = "\u{feff}{\"userId\": 1, \"name\": \"A\"}\n\nnot json\n[1]\n{\"userId\": 2}\n";
        let rows = collect(text, Format::Jsonl, ProviderArg::Payabli).unwrap();
        let lines: Vec<u64> = rows.iter().map(|p| p.line).collect();
        assert_eq!(lines, [1, 3, 4, 5]);
        assert!(rows[0].row.is_ok(), "a byte-order mark is not an error");
        assert!(rows[1].row.as_ref().unwrap_err().contains("not valid JSON"));
        assert!(rows[2].row.as_ref().unwrap_err().contains("JSON object"));
        assert_eq!(rows[3].id.as_deref(), Some("2"));
        assert!(rows.iter().all(|p| p.bytes > 0), "every line has a size");
    }

    #[test]
    fn a_line_that_is_not_utf8_fails_alone_on_either_path() {
        // The common hPay shape, with a byte that is not UTF-8 in a value:
        // the fast path declines it, and the general path names it.
        let good = br#"{"user_id":"u1","app_user_id":1,"name":"A","phone_number":"+23279000001"}"#;
        let at = good.iter().position(|&b| b == b'A').unwrap() + 1;
        let bad = [&good[..at], &[0xff], &good[at..]].concat();
        assert!(std::str::from_utf8(&bad).is_err());
        assert!(super::super::fast::hpay(SyncOp::Update, good).is_some());
        assert!(super::super::fast::hpay(SyncOp::Update, &bad).is_none());
        let parsed = jsonl_row(7, &bad, ProviderArg::Hpay, SyncOp::Update);
        assert_eq!(parsed.line, 7);
        let err = parsed.row.unwrap_err();
        assert!(err.contains("not valid JSON"), "{err}");
    }

    #[test]
    fn reordering_csv_columns_changes_no_digest() {
        let digests = |text: &str, sorted: bool| -> Vec<String> {
            let input = Input {
                reader: Box::new(io::Cursor::new(text.as_bytes().to_vec())),
                format: Format::Csv,
                ahead: None,
                csv_digests_sorted: sorted,
            };
            let mut out = Vec::new();
            read_rows(input, ProviderArg::Hpay, SyncOp::Update, |p| {
                out.push(p.digest.hex());
                true
            })
            .unwrap();
            out
        };
        let a = "user_id,app_user_id,name,phone_number\nu1,1,A,+23270000000\n";
        let b = "phone_number,name,user_id,app_user_id\n+23270000000,A,u1,1\n";
        assert_eq!(digests(a, true), digests(b, true));
        // A resumed journal of format 3 hashes them in the header's order.
        assert_ne!(digests(a, false), digests(b, false));
        // A header already in name order hashes alike either way.
        let c = "app_user_id,name,phone_number,user_id\n1,A,+23270000000,u1\n";
        assert_eq!(digests(c, false), digests(a, true));
        // And the fingerprint read ahead agrees with the rows' digests.
        let ahead = |text: &str| {
            count_rows(
                io::Cursor::new(text.as_bytes()),
                Format::Csv,
                ProviderArg::Hpay,
                SyncOp::Update,
            )
            .unwrap()
            .1
            .hex()
        };
        assert_eq!(ahead(a), ahead(b));
    }

    #[test]
    fn csv_records_short_long_and_header_checks() {
        let text = "user_id,app_user_id,name,phone_number\nu1,1,A,+23270000000\nu2,2\nu3,3,C,+23270000000,x\n";
        let rows = collect(text, Format::Csv, ProviderArg::Hpay).unwrap();
        assert!(rows[0].row.is_ok());
        // Short as well as long: its cells may sit under the wrong columns.
        assert_eq!(
            rows[1].row.as_ref().unwrap_err(),
            "record has 2 fields but the header has 4 columns"
        );
        assert_eq!(rows[1].id.as_deref(), Some("u2"));
        assert!(rows[2].row.as_ref().unwrap_err().contains("5 fields"));
        // A record's size: its cells and their separators (the newline too).
        let sizes: Vec<usize> = rows.iter().map(|p| p.bytes).collect();
        assert_eq!(
            sizes,
            [
                "u1,1,A,+23270000000\n".len(),
                "u2,2\n".len(),
                "u3,3,C,+23270000000,x\n".len()
            ]
        );
        let err = collect("user_id,nme\n", Format::Csv, ProviderArg::Hpay)
            .err()
            .unwrap();
        assert!(err.message.contains("`nme`"), "{}", err.message);
    }

    #[test]
    fn an_unbalanced_quote_fails_loudly_naming_the_lines() {
        let mut text =
            String::from("user_id,app_user_id,name,phone_number\nu1,1,\"A,+23270000000\n");
        for i in 2..=50 {
            text.push_str(&format!("u{i},{i},Name {i},+23270000000\n"));
        }
        let rows = collect(&text, Format::Csv, ProviderArg::Hpay).unwrap();
        assert_eq!(rows.len(), 1, "the quote swallowed the rest");
        let err = rows[0].row.as_ref().unwrap_err();
        assert!(err.contains("spans input lines 2–51"), "{err}");
        // The same lines, whatever ends them.
        for ending in ["\n", "\r\n"] {
            // Blank lines before the record are not its lines.
            for (blank, lines) in [(0, "3–4"), (3, "6–7")] {
                let mut text = vec![
                    "user_id,app_user_id,name,phone_number",
                    "u1,1,A,+23270000000",
                ];
                text.extend(std::iter::repeat_n("", blank));
                text.extend(["u2,2,\"B", "C\",+23270000000", ""]);
                let rows = collect(&text.join(ending), Format::Csv, ProviderArg::Hpay).unwrap();
                let err = rows[1].row.as_ref().unwrap_err();
                assert!(
                    err.contains(&format!("spans input lines {lines}")),
                    "{ending:?}: {err}"
                );
            }
        }
    }

    #[test]
    fn the_count_ahead_agrees_with_the_reader() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rows.jsonl");
        let huge = "x".repeat(2 * MAX_LINE);
        std::fs::write(
            &path,
            format!(
                "{{\"userId\": 1, \"name\": \"a\"}}\n\n{huge}\n{{\"userId\": 2, \"name\": \"b\"}}\n"
            ),
        )
        .unwrap();
        assert_eq!(counted_and_read(&path, ProviderArg::Payabli), (3, 3));

        // CSV: blank lines, a quoted line break, a short and a long record.
        let path = dir.path().join("rows.csv");
        std::fs::write(
            &path,
            "user_id,app_user_id,name,phone_number\n\nu1,1,\"A\nB\",+1\nu2,2\n\nu3,3,C,+1,x\n",
        )
        .unwrap();
        assert_eq!(counted_and_read(&path, ProviderArg::Hpay), (3, 3));
    }

    /// The rows an update run's read-ahead counts in `path`, and the rows
    /// it then reads.
    fn counted_and_read(path: &Path, provider: ProviderArg) -> (u64, u64) {
        let input = open(path, provider, SyncOp::Update).unwrap();
        let (count, _) = input.ahead.unwrap();
        let mut read = 0;
        read_rows(input, provider, SyncOp::Update, |_| {
            read += 1;
            true
        })
        .unwrap();
        (count, read)
    }

    #[test]
    fn a_runaway_csv_record_is_refused_before_it_is_held_whole() {
        let huge = "x".repeat(3 * MAX_LINE);
        let ok = "u1,1,A,+23279000001\n";
        let header = "user_id,app_user_id,name,phone_number\n";
        // A cell three times the cap, then an unclosed quote swallowing the rest.
        for bad in [format!("u2,2,{huge},+1\n"), format!("u2,2,\"{huge}\n")] {
            let text = format!("{header}{ok}{bad}{ok}");
            let err = collect(&text, Format::Csv, ProviderArg::Hpay).unwrap_err();
            assert!(err.message.contains("runs past 1048576 bytes"), "{err}");
            // Bad input (exit 2), where it starts.
            assert_eq!(err.code, super::super::EXIT_USAGE, "{err}");
            assert!(err.message.starts_with("input line 3: "), "{err}");
            // From a file: the read-ahead stops there too (no count), and the
            // read hands out the row before it, then the error.
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("rows.csv");
            std::fs::write(&path, &text).unwrap();
            let input = open(&path, ProviderArg::Hpay, SyncOp::Update).unwrap();
            assert!(input.ahead.is_none());
            let mut lines = Vec::new();
            let err = read_rows(input, ProviderArg::Hpay, SyncOp::Update, |p| {
                lines.push(p.line);
                true
            })
            .unwrap_err();
            assert!(err.message.contains("runs past"), "{err}");
            assert_eq!(lines, [1], "the record before it");
        }
        // A record just under the cap is read.
        let long = "y".repeat(MAX_LINE - 100);
        let text = format!("{header}u3,3,{long},+23279000001\n");
        let rows = collect(&text, Format::Csv, ProviderArg::Hpay).unwrap();
        assert_eq!(rows.len(), 1);
    }

    #[test]
    fn a_password_enters_no_digest_only_whether_one_is_set() {
        let digest = |text: &str, format| {
            let rows = collect(text, format, ProviderArg::Payabli).unwrap();
            assert!(rows[0].row.is_ok(), "{:?}", rows[0].row);
            rows[0].digest.hex()
        };
        let json = |pwd: &str| {
            digest(
                &format!(r#"{{"userId": 7, "name": "A", "pwd": "{pwd}"}}"#),
                Format::Jsonl,
            )
        };
        let csv = |pwd: &str| digest(&format!("userId,name,pwd\n7,A,{pwd}\n"), Format::Csv);
        let forms: [&dyn Fn(&str) -> String; 2] = [&json, &csv];
        for hashed in forms {
            assert_eq!(hashed("summer2024"), hashed("winter2025"));
            assert_ne!(hashed("summer2024"), hashed(""), "set or not still counts");
        }
        // What the password would have made is nowhere: no guess checks out.
        let unmasked = Digest::of(br#"{"name":"A","pwd":"summer2024","userId":7}"#).hex();
        assert_ne!(json("summer2024"), unmasked);
        let without = digest(r#"{"userId": 7, "name": "A"}"#, Format::Jsonl);
        assert_ne!(json("summer2024"), without);
    }

    #[test]
    fn a_credential_under_a_misspelt_key_enters_no_digest() {
        // `password` (or `Pwd`, `apiToken`, …) is no field: the row fails,
        // and neither its digest nor the input's fingerprint depends on the
        // value, so the journal confirms no guess.
        for key in [
            "password",
            "Pwd",
            "PWD",
            "apiToken",
            "clientSecret",
            "PassPhrase",
        ] {
            let row = |secret: &str| format!(r#"{{"userId": 1000001, "{key}": "{secret}"}}"#);
            let parsed = |secret: &str| {
                let rows = collect(&row(secret), Format::Jsonl, ProviderArg::Payabli).unwrap();
                assert!(rows[0].row.is_err(), "{key}: {:?}", rows[0].row);
                rows[0].digest.hex()
            };
            assert_eq!(parsed("Hunter2Secret"), parsed("wrong"), "{key}");
            assert_eq!(parsed("Hunter2Secret"), Digest::withheld().hex(), "{key}");
            let ahead = |secret: &str| {
                count_rows(
                    io::Cursor::new(row(secret).into_bytes()),
                    Format::Jsonl,
                    ProviderArg::Payabli,
                    SyncOp::Update,
                )
                .unwrap()
                .1
                .hex()
            };
            assert_eq!(ahead("Hunter2Secret"), ahead("wrong"), "{key}");
        }
        // Names that merely contain the letters elsewhere are not keys:
        // a value does not withhold a valid row's digest.
        let rows = collect(
            r#"{"userId": 7, "name": "Tokens Passmore"}"#,
            Format::Jsonl,
            ProviderArg::Payabli,
        )
        .unwrap();
        assert!(rows[0].row.is_ok());
        assert_ne!(rows[0].digest.hex(), Digest::withheld().hex());
        assert!(names_a_secret(b"x_PASSWORD") && names_a_secret(b"tok token"));
        assert!(!names_a_secret(b"tok pas sec pw"));
    }

    #[test]
    fn no_password_enters_the_inputs_digest() {
        assert!(may_hold_secret(br#"{"pwd": "x"}"#));
        assert!(may_hold_secret(br#"{"\u0070wd": "x"}"#));
        assert!(!may_hold_secret(br#"{"phone": "p", "app": "pw"}"#));
        assert!(!may_hold_secret(b"p"));
        let ahead = |text: &str, format| {
            let counted = count_rows(
                io::Cursor::new(text.as_bytes().to_vec()),
                format,
                ProviderArg::Payabli,
                SyncOp::Update,
            );
            let (count, digest) = counted.unwrap();
            assert_eq!(count, 2, "{text}");
            digest.hex()
        };
        let second = "\n{\"userId\": 8, \"name\": \"B\"}\n";
        let jsonl = |pwd: &str, name: &str| {
            let first = format!(r#"{{"userId": 7, "name": "{name}", "pwd": "{pwd}"}}"#);
            ahead(&(first + second), Format::Jsonl)
        };
        assert_eq!(jsonl("summer2024", "A"), jsonl("winter2025", "A"));
        assert_ne!(
            jsonl("summer2024", "A"),
            jsonl("summer2024", "Z"),
            "other edits show"
        );
        assert_ne!(
            jsonl("summer2024", "A"),
            jsonl("", "A"),
            "set or not still counts"
        );
        // The field's name spelled with an escape, and a line that is not JSON.
        let escaped = |pwd: &str| {
            ahead(
                &(format!(r#"{{"userId": 7, "p\u0077d": "{pwd}"}}"#) + second),
                Format::Jsonl,
            )
        };
        assert_eq!(escaped("summer2024"), escaped("winter2025"));
        let broken = |pwd: &str| format!(r#"{{"userId": 7, "pwd": "{pwd}",}}"#) + second;
        assert_eq!(
            ahead(&broken("summer2024"), Format::Jsonl),
            ahead(&broken("winter2025"), Format::Jsonl)
        );
        // Nor the digest journaled for such a line.
        let journaled = |pwd: &str| {
            let rows = collect(&broken(pwd), Format::Jsonl, ProviderArg::Payabli).unwrap();
            assert!(rows[0].row.is_err());
            rows[0].digest.hex()
        };
        assert_eq!(journaled("summer2024"), journaled("winter2025"));
        let csv = |pwd: &str, name: &str| {
            ahead(
                &format!("userId,name,pwd\n7,{name},{pwd}\n8,B,\n"),
                Format::Csv,
            )
        };
        assert_eq!(csv("summer2024", "A"), csv("winter2025", "A"));
        // A record missing a cell would put its password under another
        // column: it is not read, quoted, keyed or hashed.
        let short = |pwd: &str| format!("userId,usrStatus,pwd\n{pwd}\n8,1,\n");
        assert_eq!(
            ahead(&short("Summer2024!"), Format::Csv),
            ahead(&short("Winter2025!"), Format::Csv)
        );
        let rows = collect(&short("Summer2024!"), Format::Csv, ProviderArg::Payabli).unwrap();
        let error = rows[0].row.as_ref().unwrap_err();
        assert!(
            error.contains("record has 1 fields but the header has 3"),
            "{error}"
        );
        assert!(!error.contains("Summer"), "{error}");
        assert_eq!(rows[0].id, None);
        let other = collect(&short("Winter2025!"), Format::Csv, ProviderArg::Payabli).unwrap();
        assert_eq!(rows[0].digest.hex(), other[0].digest.hex());
        assert!(
            rows[1].row.is_ok(),
            "a whole record still reads: {:?}",
            rows[1].row
        );
        // Under a password column a record counts in the input's
        // fingerprint only as a record (a stray comma could have shifted
        // the password into any cell); without one, edits show.
        assert_eq!(csv("summer2024", "A"), csv("", "Z"));
        let plain = |name: &str| ahead(&format!("userId,name\n7,{name}\n8,B\n"), Format::Csv);
        assert_ne!(plain("A"), plain("Z"), "other edits show");
        // Rows are matched by line: a blank line inserted moves them.
        let lines = "{\"userId\": 7, \"name\": \"A\"}\n{\"userId\": 8, \"name\": \"B\"}\n";
        assert_ne!(
            ahead(lines, Format::Jsonl),
            ahead(&format!("\n{lines}"), Format::Jsonl)
        );
    }

    /// A stray comma that keeps the cell count (an unquoted `Smith, John`
    /// plus a dropped cell) shifts the password under the next column: a
    /// record that then fails quotes no cell, keys no one and hashes as
    /// only a failure, in its row and in the input's fingerprint.
    #[test]
    fn a_password_shifted_under_another_column_is_neither_quoted_nor_hashed() {
        let file = |pwd: &str| format!("userId,name,pwd,usrStatus\n7,Smith, John,{pwd}\n");
        let read = |pwd: &str| {
            let rows = collect(&file(pwd), Format::Csv, ProviderArg::Payabli).unwrap();
            assert_eq!(rows.len(), 1);
            rows.into_iter().next().unwrap()
        };
        let (summer, winter) = (read("Summer2024!"), read("Winter2025!"));
        let error = summer.row.as_ref().unwrap_err();
        assert!(error.starts_with("`usrStatus` must be active"), "{error}");
        assert!(error.contains("got string (not quoted"), "{error}");
        assert!(!error.contains("Summer"), "{error}");
        assert_eq!((summer.id.as_deref(), summer.also.as_deref()), (None, None));
        assert_eq!(summer.digest, Digest::withheld());
        assert_eq!(winter.digest, Digest::withheld());
        let ahead = |pwd: &str| {
            count_rows(
                io::Cursor::new(file(pwd).into_bytes()),
                Format::Csv,
                ProviderArg::Payabli,
                SyncOp::Update,
            )
            .unwrap()
        };
        assert_eq!(ahead("Summer2024!"), ahead("Winter2025!"));
        // Without a password column, values are quoted as ever.
        let plain = "userId,name,usrStatus\n7,Smith, John\n";
        let rows = collect(plain, Format::Csv, ProviderArg::Payabli).unwrap();
        let error = rows[0].row.as_ref().unwrap_err();
        assert!(error.contains(r#"got string " John""#), "{error}");
        assert_eq!(rows[0].id.as_deref(), Some("7"));
    }

    proptest::proptest! {
        /// Any header with a `pwd` column, any record (of any length) whose
        /// cells include a password anywhere: when the row fails, nothing
        /// of the password reaches its error, key or digest, nor the
        /// input's fingerprint; two passwords give the same of each.
        #[test]
        fn a_failing_record_under_a_pwd_column_never_shows_its_password(
            columns in proptest::sample::subsequence(
                &["name", "email", "phone", "usrStatus", "timeZone", "language"][..],
                0..=6,
            ),
            at in 0usize..8,
            cells in proptest::collection::vec(
                proptest::sample::select(&[
                    "SECRET", "SECRET", "7", "active", "en", "Smith", " John", "",
                    "a@b.co", "-5", "99999999999", "1,2",
                ][..]),
                1..10,
            ),
        ) {
            let mut columns: Vec<&str> = [&["userId"][..], &columns].concat();
            columns.insert(at % (columns.len() + 1), "pwd");
            let file = |pwd: &str| {
                let record: Vec<&str> =
                    cells.iter().map(|c| if *c == "SECRET" { pwd } else { c }).collect();
                format!("{}\n{}\n", columns.join(","), record.join(","))
            };
            let [summer, winter] = ["Summer2024!", "Winter2025!"].map(|pwd| {
                let rows = collect(&file(pwd), Format::Csv, ProviderArg::Payabli).unwrap();
                let fingerprint = count_rows(
                    io::Cursor::new(file(pwd).into_bytes()),
                    Format::Csv,
                    ProviderArg::Payabli,
                    SyncOp::Update,
                )
                .unwrap();
                (rows, fingerprint)
            });
            // A record of one empty cell is a blank line: no row.
            proptest::prop_assume!(!summer.0.is_empty());
            proptest::prop_assert_eq!(summer.0.len(), 1);
            let row = &summer.0[0];
            // The input's fingerprint only counts such a file's records.
            proptest::prop_assert_eq!(summer.1, winter.1);
            match &row.row {
                Err(error) => {
                    proptest::prop_assert!(!error.contains("Summer"), "{}", error);
                    proptest::prop_assert_eq!(row.digest, Digest::withheld());
                    proptest::prop_assert_eq!((&row.id, &row.also), (&None, &None));
                    proptest::prop_assert_eq!(
                        winter.0[0].row.as_ref().err(),
                        Some(error),
                        "the same error for either password"
                    );
                }
                // A row that reads is marked: should it fail later, it
                // keeps none of its values.
                Ok(read) => proptest::prop_assert!(read.may_hold_password()),
            }
        }
    }

    #[test]
    fn sniffing() {
        let mut jsonl = io::Cursor::new(b"\xef\xbb\xbf  \n{\"a\":1}".to_vec());
        assert_eq!(sniff(&mut jsonl).unwrap(), (Format::Jsonl, Vec::new()));
        let mut csv = io::Cursor::new(b"userId,name\n".to_vec());
        assert_eq!(sniff(&mut csv).unwrap(), (Format::Csv, Vec::new()));
    }

    /// Gives its chunks one `fill_buf` at a time, as a pipe may.
    struct Chunks(VecDeque<&'static [u8]>);

    impl Read for Chunks {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.fill_buf()?.len().min(buf.len());
            buf[..n].copy_from_slice(&self.0[0][..n]);
            self.consume(n);
            Ok(n)
        }
    }

    impl BufRead for Chunks {
        fn fill_buf(&mut self) -> io::Result<&[u8]> {
            Ok(self.0.front().copied().unwrap_or_default())
        }
        fn consume(&mut self, n: usize) {
            if let Some(front) = self.0.front_mut() {
                *front = &front[n..];
                if front.is_empty() {
                    self.0.pop_front();
                }
            }
        }
    }

    #[test]
    fn a_pipe_whose_first_chunks_are_blank_is_sniffed_past_them() {
        let chunks = |c: &[&'static [u8]]| Chunks(c.iter().copied().collect());
        // A blank line alone, then the rows: JSON Lines, the blank line kept.
        let mut pipe = chunks(&[b"\n", b"\r\n", b"{\"userId\":1}\n"]);
        let (format, seen) = sniff(&mut pipe).unwrap();
        assert_eq!(format, Format::Jsonl);
        assert_eq!(seen, b"\n\r\n{\"userId\":1}\n");
        // A BOM split across chunks.
        let mut pipe = chunks(&[b"\xef", b"\xbb\xbf", b"{}"]);
        assert_eq!(sniff(&mut pipe).unwrap().0, Format::Jsonl);
        let mut pipe = chunks(&[b"\n", b"userId,name\n"]);
        assert_eq!(sniff(&mut pipe).unwrap().0, Format::Csv);
        // Nothing but blank lines: the input ends undecided, as CSV.
        let mut pipe = chunks(&[b"\n", b"\n"]);
        assert_eq!(sniff(&mut pipe).unwrap(), (Format::Csv, b"\n\n".to_vec()));
    }
}
