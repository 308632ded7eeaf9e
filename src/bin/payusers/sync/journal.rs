//! The sync journal: one JSON object per processed row, appended and flushed
//! row by row, and read back by `--resume` to skip rows already ok.

use crate::output::CliError;
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{self, BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Failed,
}

/// One row's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub line: u64,
    pub id: Option<String>,
    pub status: Status,
    pub http_status: Option<u16>,
    pub attempts: u32,
    pub error: Option<String>,
}

/// The rows a journal records as ok (their latest entry), by line and id.
#[derive(Debug, Default)]
pub struct Done {
    /// (line, fingerprint of the id), sorted by line.
    rows: Vec<(u64, u64)>,
}

impl Done {
    /// Whether row `line` with user `id` is already ok. The id must match,
    /// so an edited input whose rows moved is not skipped by mistake.
    pub fn contains(&self, line: u64, id: Option<&str>) -> bool {
        let Some(id) = id else { return false };
        match self.rows.binary_search_by_key(&line, |&(l, _)| l) {
            Ok(at) => self.rows[at].1 == fingerprint(id),
            Err(_) => false,
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }
}

/// A compact stand-in for an id (never 0).
fn fingerprint(id: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    id.hash(&mut hasher);
    hasher.finish() | 1
}

/// An opened journal, positioned for appending.
pub struct Journal {
    pub file: File,
    pub done: Done,
    /// A note for the user, e.g. that a torn last line was dropped.
    pub note: Option<String>,
}

/// Opens the journal at `path`. Without `resume` it must be new or empty;
/// with `resume` its entries are read first.
pub fn open(path: &Path, resume: bool) -> Result<Journal, CliError> {
    let shown = path.display();
    let cannot = |e: io::Error| CliError::failure(format!("cannot open journal {shown}: {e}"));
    if !resume {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(cannot)?;
        lock(&file, path)?;
        if file.metadata().map_err(cannot)?.len() > 0 {
            return Err(CliError::usage(format!(
                "journal {shown} already has entries: pass --resume to continue that run, \
                 or delete the file to start over"
            )));
        }
        return Ok(Journal {
            file,
            done: Done::default(),
            note: None,
        });
    }
    let mut file = OpenOptions::new()
        .create(true)
        .read(true)
        .write(true)
        .truncate(false)
        .open(path)
        .map_err(cannot)?;
    lock(&file, path)?;
    let (done, torn) = read_entries(&mut file, path)?;
    let mut note = None;
    match torn {
        Torn::None => {}
        Torn::Complete => file.write_all(b"\n").map_err(cannot)?,
        Torn::Garbage { at, len } => {
            file.set_len(at).map_err(cannot)?;
            note = Some(format!(
                "journal {shown}: dropped an incomplete last line ({len} bytes) left by an interrupted run"
            ));
        }
    }
    file.seek(SeekFrom::End(0)).map_err(cannot)?;
    Ok(Journal { file, done, note })
}

/// Takes an exclusive advisory lock on the journal for as long as the file
/// stays open, so two syncs can never append to (or resume from) one journal
/// at once. The OS drops the lock when the process ends, even on `kill -9`.
fn lock(file: &File, path: &Path) -> Result<(), CliError> {
    match file.try_lock() {
        Ok(()) => Ok(()),
        Err(std::fs::TryLockError::WouldBlock) => Err(CliError::usage(format!(
            "journal {} is in use by another running sync; wait for it to finish",
            path.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => Err(CliError::failure(format!(
            "cannot lock journal {}: {e}",
            path.display()
        ))),
    }
}

/// What the journal's last line looked like when it lacked a newline.
enum Torn {
    None,
    /// A whole entry, only the newline missing.
    Complete,
    /// Part of an entry, starting at byte `at`.
    Garbage {
        at: u64,
        len: usize,
    },
}

fn read_entries(file: &mut File, path: &Path) -> Result<(Done, Torn), CliError> {
    let shown = path.display();
    let mut reader = BufReader::with_capacity(256 * 1024, &*file);
    let mut buffer = Vec::new();
    let mut offset = 0u64;
    let mut number = 0u64;
    let mut latest: Vec<(u64, u64)> = Vec::new();
    let mut torn = Torn::None;
    loop {
        buffer.clear();
        let read = reader
            .read_until(b'\n', &mut buffer)
            .map_err(|e| CliError::failure(format!("cannot read journal {shown}: {e}")))?;
        if read == 0 {
            break;
        }
        number += 1;
        let complete = buffer.last() == Some(&b'\n');
        let text = buffer.trim_ascii();
        if !text.is_empty() {
            match serde_json::from_slice::<Entry>(text) {
                Ok(entry) => {
                    let mark = match (&entry.status, &entry.id) {
                        (Status::Ok, Some(id)) => fingerprint(id),
                        _ => 0,
                    };
                    latest.push((entry.line, mark));
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
                    return Err(CliError::usage(format!(
                        "journal {shown} line {number} is not a journal entry ({e}); \
                         fix or move the file"
                    )));
                }
            }
        }
        offset += read as u64;
    }
    // Stable sort keeps file order within a line, so the last one is the latest.
    latest.sort_by_key(|&(line, _)| line);
    let mut rows: Vec<(u64, u64)> = Vec::with_capacity(latest.len());
    for (line, mark) in latest {
        match rows.last_mut() {
            Some(last) if last.0 == line => last.1 = mark,
            _ => rows.push((line, mark)),
        }
    }
    rows.retain(|&(_, mark)| mark != 0);
    rows.shrink_to_fit();
    Ok((Done { rows }, torn))
}

/// Appends one entry as a single write (so a kill leaves at most a torn last line).
pub fn append(file: &mut File, entry: &Entry) -> io::Result<()> {
    let mut bytes = serde_json::to_vec(entry).map_err(io::Error::other)?;
    bytes.push(b'\n');
    file.write_all(&bytes)?;
    file.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(line: u64, id: &str, status: Status) -> Entry {
        Entry {
            line,
            id: Some(id.into()),
            status,
            http_status: None,
            attempts: 1,
            error: None,
        }
    }

    #[test]
    fn resume_reads_latest_and_drops_a_torn_tail() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        {
            let mut journal = open(&path, false).unwrap();
            append(&mut journal.file, &entry(1, "a", Status::Failed)).unwrap();
            append(&mut journal.file, &entry(2, "b", Status::Ok)).unwrap();
            append(&mut journal.file, &entry(1, "a", Status::Ok)).unwrap();
            append(&mut journal.file, &entry(3, "c", Status::Ok)).unwrap();
            append(&mut journal.file, &entry(3, "c", Status::Failed)).unwrap();
            journal.file.write_all(b"{\"line\": 4, \"id\"").unwrap();
        }
        assert!(open(&path, false).is_err());
        let mut journal = open(&path, true).unwrap();
        assert!(journal.note.is_some());
        assert!(journal.done.contains(1, Some("a")));
        assert!(journal.done.contains(2, Some("b")));
        assert!(!journal.done.contains(2, Some("other")));
        assert!(!journal.done.contains(3, Some("c")));
        assert_eq!(journal.done.len(), 2);
        append(&mut journal.file, &entry(4, "d", Status::Ok)).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.lines()
                .all(|l| serde_json::from_str::<Entry>(l).is_ok()),
            "{text}"
        );
    }

    #[test]
    fn a_journal_in_use_is_refused_until_released() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let first = open(&path, false).unwrap();
        for resume in [false, true] {
            let Err(err) = open(&path, resume) else {
                panic!("a second sync opened a journal in use (resume {resume})");
            };
            assert_eq!(err.code, crate::output::EXIT_USAGE);
            assert!(err.message.contains("in use"), "{}", err.message);
        }
        drop(first);
        assert!(open(&path, true).is_ok());
    }

    #[test]
    fn corrupt_middle_line_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        std::fs::write(&path, "garbage\n{\"line\":1,\"id\":\"a\",\"status\":\"ok\",\"http_status\":200,\"attempts\":1,\"error\":null}\n").unwrap();
        let err = open(&path, true).err().unwrap();
        assert_eq!(err.code, crate::output::EXIT_USAGE);
    }
}
