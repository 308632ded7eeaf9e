//! Reading sync input as a stream: JSON Lines or CSV, from a file or stdin.

use super::fields::Fields;
use super::rows::{self, Row};
use crate::args::ProviderArg;
use crate::output::CliError;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

/// The longest JSON line accepted; a longer one fails as a row.
const MAX_LINE: usize = 1 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Csv,
}

/// One input row: where it is, whose it is, and what to send (or why not).
#[derive(Debug)]
pub struct Parsed {
    pub line: u64,
    pub id: Option<String>,
    pub row: Result<Row, String>,
}

/// An opened input, its format decided.
pub struct Input {
    pub reader: Box<dyn BufRead + Send>,
    pub format: Format,
}

/// Opens `path` (`-` is stdin); the format comes from the extension, else
/// from the first non-blank character (`{` means JSON Lines).
pub fn open(path: &Path) -> Result<Input, CliError> {
    let mut reader: Box<dyn BufRead + Send> = if path.as_os_str() == "-" {
        Box::new(BufReader::with_capacity(64 * 1024, io::stdin()))
    } else {
        let file = File::open(path)
            .map_err(|e| CliError::usage(format!("cannot open input {}: {e}", path.display())))?;
        Box::new(BufReader::with_capacity(64 * 1024, file))
    };
    let format = match format_from_extension(path) {
        Some(format) => format,
        None => sniff(&mut reader)
            .map_err(|e| CliError::failure(format!("cannot read input {}: {e}", path.display())))?,
    };
    Ok(Input { reader, format })
}

pub fn format_from_extension(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "jsonl" | "ndjson" => Some(Format::Jsonl),
        "csv" => Some(Format::Csv),
        _ => None,
    }
}

fn sniff(reader: &mut impl BufRead) -> io::Result<Format> {
    let buffer = reader.fill_buf()?;
    let first = buffer.iter().find(|b| !b.is_ascii_whitespace());
    Ok(if first == Some(&b'{') {
        Format::Jsonl
    } else {
        Format::Csv
    })
}

/// Reads every row of `input`, handing each to `emit` in input order; stops
/// early when `emit` returns false. Errors are for the whole input (a bad
/// CSV header, an I/O failure); a bad row is a `Parsed` with an `Err`.
pub fn read_rows(
    input: Input,
    provider: ProviderArg,
    emit: impl FnMut(Parsed) -> bool,
) -> Result<(), CliError> {
    match input.format {
        Format::Jsonl => read_jsonl(input.reader, provider, emit),
        Format::Csv => read_csv(input.reader, provider, emit),
    }
}

fn read_error(e: impl std::fmt::Display) -> CliError {
    CliError::failure(format!("cannot read input: {e}"))
}

fn read_jsonl(
    mut reader: Box<dyn BufRead + Send>,
    provider: ProviderArg,
    mut emit: impl FnMut(Parsed) -> bool,
) -> Result<(), CliError> {
    let mut buffer = Vec::with_capacity(1024);
    let mut line = 0u64;
    loop {
        let read = read_line_capped(&mut reader, &mut buffer).map_err(read_error)?;
        if read == Line::End {
            return Ok(());
        }
        line += 1;
        if read == Line::TooLong {
            let parsed = Parsed {
                line,
                id: None,
                row: Err(format!("line is longer than {MAX_LINE} bytes")),
            };
            if !emit(parsed) {
                return Ok(());
            }
            continue;
        }
        let text = buffer.trim_ascii();
        if text.is_empty() {
            continue;
        }
        let parsed = match serde_json::from_slice::<serde_json::Value>(text) {
            Err(e) => Parsed {
                line,
                id: None,
                row: Err(format!("not valid JSON: {e}")),
            },
            Ok(serde_json::Value::Object(map)) => {
                let fields = Fields::json(map);
                let id = fields.id(provider);
                Parsed {
                    line,
                    id,
                    row: rows::parse(provider, fields),
                }
            }
            Ok(other) => Parsed {
                line,
                id: None,
                row: Err(format!("expected a JSON object, got {}", kind(&other))),
            },
        };
        if !emit(parsed) {
            return Ok(());
        }
    }
}

/// How [`read_line_capped`] ended.
#[derive(Debug, PartialEq, Eq)]
enum Line {
    /// No more input.
    End,
    /// A line of at most [`MAX_LINE`] bytes (plus its newline) is in the buffer.
    Fits,
    /// The line was longer: it was read to its end, but only its first
    /// `MAX_LINE + 1` bytes were kept.
    TooLong,
}

/// Reads the next line into `buffer` (cleared first), keeping at most
/// `MAX_LINE + 1` bytes whatever the line's length. Both the row reader and
/// the row count go through it, so neither holds an oversized line.
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

fn kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Reads and checks a CSV header: no unknown, repeated or missing columns.
fn csv_header<R: Read>(
    reader: &mut csv::Reader<R>,
    provider: ProviderArg,
) -> Result<Vec<String>, CliError> {
    let header = reader.byte_headers().map_err(read_error)?.clone();
    if header.is_empty() || header.iter().all(|h| h.trim_ascii().is_empty()) {
        return Err(CliError::usage("the CSV input has no header row"));
    }
    let mut columns = Vec::with_capacity(header.len());
    for (i, raw) in header.iter().enumerate() {
        let text = std::str::from_utf8(raw)
            .map_err(|_| CliError::usage(format!("CSV header column {} is not UTF-8", i + 1)))?;
        let name = text.trim_start_matches('\u{feff}').trim().to_string();
        if !rows::known_column(provider, &name) {
            return Err(CliError::usage(format!(
                "unknown CSV column `{name}` for {} (see `payusers sync --help`)",
                provider.name()
            )));
        }
        if columns.contains(&name) {
            return Err(CliError::usage(format!(
                "CSV column `{name}` appears twice"
            )));
        }
        columns.push(name);
    }
    if provider == ProviderArg::Payabli
        && columns.iter().any(|c| c == "usrStatus")
        && columns.iter().any(|c| c == "status")
    {
        return Err(CliError::usage(
            "give a `usrStatus` or a `status` column, not both",
        ));
    }
    let missing: Vec<&str> = rows::required_columns(provider)
        .iter()
        .copied()
        .filter(|r| !columns.iter().any(|c| c == r))
        .collect();
    if !missing.is_empty() {
        return Err(CliError::usage(format!(
            "the CSV header lacks required column(s): {}",
            missing.join(", ")
        )));
    }
    Ok(columns)
}

fn read_csv(
    reader: Box<dyn BufRead + Send>,
    provider: ProviderArg,
    mut emit: impl FnMut(Parsed) -> bool,
) -> Result<(), CliError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(reader);
    let columns = csv_header(&mut reader, provider)?;
    let mut record = csv::ByteRecord::new();
    let mut number = 0u64;
    while reader.read_byte_record(&mut record).map_err(read_error)? {
        number += 1;
        let parsed = csv_row(&columns, &record, provider, number);
        if !emit(parsed) {
            break;
        }
    }
    Ok(())
}

fn csv_row(
    columns: &[String],
    record: &csv::ByteRecord,
    provider: ProviderArg,
    line: u64,
) -> Parsed {
    let mut cells = Vec::with_capacity(record.len());
    let mut bad_utf8 = None;
    for (column, raw) in columns.iter().zip(record.iter()) {
        match std::str::from_utf8(raw) {
            Ok(text) => cells.push((column.as_str(), text.to_string())),
            Err(_) => {
                bad_utf8.get_or_insert(column.clone());
            }
        }
    }
    let fields = Fields::csv(cells.into_iter());
    let id = fields.id(provider);
    let row = if record.len() > columns.len() {
        Err(format!(
            "record has {} fields but the header has {} columns",
            record.len(),
            columns.len()
        ))
    } else if let Some(column) = bad_utf8 {
        Err(format!("column `{column}` is not valid UTF-8"))
    } else {
        rows::parse(provider, fields)
    };
    Parsed { line, id, row }
}

/// Counts the rows of the file at `path` (for the progress bar's ETA); `None`
/// when it cannot be read.
pub fn count_rows(path: &Path, format: Format) -> Option<u64> {
    let file = BufReader::with_capacity(256 * 1024, File::open(path).ok()?);
    match format {
        Format::Jsonl => count_jsonl(file, &mut Vec::new()),
        Format::Csv => {
            let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(file);
            let mut record = csv::ByteRecord::new();
            let mut rows = 0;
            while reader.read_byte_record(&mut record).ok()? {
                rows += 1;
            }
            Some(rows)
        }
    }
}

/// Counts JSON Lines rows as [`read_jsonl`] numbers them (blank lines are
/// not rows; an oversized line is one), with `buffer` as the line buffer.
fn count_jsonl(mut reader: impl BufRead, buffer: &mut Vec<u8>) -> Option<u64> {
    let mut rows = 0;
    loop {
        match read_line_capped(&mut reader, buffer).ok()? {
            Line::End => return Some(rows),
            Line::TooLong => rows += 1,
            Line::Fits if !buffer.trim_ascii().is_empty() => rows += 1,
            Line::Fits => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(text: &str, format: Format, provider: ProviderArg) -> Result<Vec<Parsed>, CliError> {
        let input = Input {
            reader: Box::new(io::Cursor::new(text.as_bytes().to_vec())),
            format,
        };
        let mut out = Vec::new();
        read_rows(input, provider, |p| {
            out.push(p);
            true
        })?;
        Ok(out)
    }

    #[test]
    fn jsonl_lines_are_numbered_and_bad_lines_fail_alone() {
        let text = "{\"userId\": 1, \"name\": \"A\"}\n\nnot json\n[1]\n{\"userId\": 2}\n";
        let rows = collect(text, Format::Jsonl, ProviderArg::Payabli).unwrap();
        let lines: Vec<u64> = rows.iter().map(|p| p.line).collect();
        assert_eq!(lines, [1, 3, 4, 5]);
        assert!(rows[1].row.as_ref().unwrap_err().contains("not valid JSON"));
        assert!(rows[2].row.as_ref().unwrap_err().contains("JSON object"));
        assert_eq!(rows[3].id.as_deref(), Some("2"));
    }

    #[test]
    fn csv_records_short_long_and_header_checks() {
        let text = "user_id,app_user_id,name,phone_number\nu1,1,A,+23270000000\nu2,2\nu3,3,C,+23270000000,x\n";
        let rows = collect(text, Format::Csv, ProviderArg::Hpay).unwrap();
        assert!(rows[0].row.is_ok());
        assert_eq!(rows[1].row.as_ref().unwrap_err(), "missing column `name`");
        assert_eq!(rows[1].id.as_deref(), Some("u2"));
        assert!(rows[2].row.as_ref().unwrap_err().contains("5 fields"));
        let err = collect("user_id,nme\n", Format::Csv, ProviderArg::Hpay)
            .err()
            .unwrap();
        assert!(
            err.message.contains("unknown CSV column `nme`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn counting_holds_no_more_than_a_capped_line() {
        let huge = "x".repeat(8 * MAX_LINE);
        let text = format!("{{\"userId\": 1}}\n\n{huge}\n{{\"userId\": 2}}\n   \n{huge}");
        let mut buffer = Vec::new();
        let counted = count_jsonl(io::Cursor::new(text.as_bytes()), &mut buffer);
        assert!(
            buffer.capacity() <= 2 * (MAX_LINE + 1),
            "the count kept {} bytes for one line",
            buffer.capacity()
        );
        // The count agrees with the rows the reader hands out.
        let rows = collect(&text, Format::Jsonl, ProviderArg::Payabli).unwrap();
        assert_eq!(rows.len(), 4);
        assert_eq!(counted, Some(4));
        assert!(rows[1].row.as_ref().unwrap_err().contains("longer than"));
        assert_eq!(rows[2].id.as_deref(), Some("2"));
    }

    #[test]
    fn sniffing() {
        let mut jsonl = io::Cursor::new(b"  \n{\"a\":1}".to_vec());
        assert_eq!(sniff(&mut jsonl).unwrap(), Format::Jsonl);
        let mut csv = io::Cursor::new(b"userId,name\n".to_vec());
        assert_eq!(sniff(&mut csv).unwrap(), Format::Csv);
    }
}
