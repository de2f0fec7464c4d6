//! Reading and writing CSV files: sniffing, loading with progress, and atomic saving.
//!
//! The usual flow: [`open`] a file (it guesses the [`Dialect`] and loads), show the guesses,
//! [`load`] again if the user overrides one, edit the [`Table`], then [`save`] it back the way it
//! was read. Loading never panics and refuses what is not a table with one plain sentence.

mod dialect;
mod encoding;
mod error;
mod parse;
mod sniff;
mod write;

use std::fs::File;
use std::io::Read;
use std::ops::ControlFlow;
use std::path::Path;

pub use dialect::{Delimiter, Dialect, LineEnding, TextEncoding};
pub use error::CsvError;
pub use sniff::sniff_bytes;
pub use write::{SaveOptions, save, save_as, save_as_bytes, save_bytes};

use crate::table::Table;
use crate::table::raw::RawRows;
use parse::ParseError;

/// How much of the file is read between progress reports.
const READ_CHUNK: usize = 4 << 20;

/// A table read from a file, with the dialect it was read in.
#[derive(Debug)]
pub struct Loaded {
    /// The table.
    pub table: Table,
    /// The dialect the file was read in, with `bom` and `trailing_newline` as found in the file;
    /// pass it to [`save`].
    pub dialect: Dialect,
}

/// Guesses the dialect of a file (reading all of it, to be sure of its encoding).
///
/// # Errors
/// The file cannot be read, is empty, binary, or a workbook.
pub fn sniff(path: &Path) -> Result<Dialect, CsvError> {
    let bytes = std::fs::read(path).map_err(|source| CsvError::Read {
        path: path.to_owned(),
        source,
    })?;
    sniff_bytes(&bytes, path)
}

/// Opens a file: guesses its dialect, then loads it.
///
/// # Errors
/// As [`sniff_bytes`] and [`load`].
pub fn open(path: &Path) -> Result<Loaded, CsvError> {
    open_with_progress(path, |_, _| ControlFlow::Continue(()))
}

/// Opens a file like [`open`], reporting progress and allowing cancellation as [`load`] does.
///
/// # Errors
/// As [`sniff_bytes`] and [`load`].
pub fn open_with_progress(
    path: &Path,
    mut progress: impl FnMut(u64, u64) -> ControlFlow<()>,
) -> Result<Loaded, CsvError> {
    let bytes = read_file(path, &mut progress)?;
    let dialect = sniff_bytes(&bytes, path)?;
    load_from(bytes, dialect, path, &mut progress)
}

/// Loads a file in the given dialect.
///
/// `progress(done, total)` is called every few megabytes: reading the file takes `done` from 0
/// to half of `total`, splitting it into rows takes it to `total`. Returning
/// `ControlFlow::Break(())` stops loading with [`CsvError::Cancelled`].
///
/// # Errors
/// The file cannot be read, is empty, binary, a workbook, not text in the dialect's encoding,
/// has a quote that is never closed, or loading was cancelled.
pub fn load(
    path: &Path,
    dialect: &Dialect,
    mut progress: impl FnMut(u64, u64) -> ControlFlow<()>,
) -> Result<Loaded, CsvError> {
    let bytes = read_file(path, &mut progress)?;
    load_from(bytes, *dialect, path, &mut progress)
}

/// Loads a file held in memory. `name` is only used in error messages.
///
/// # Errors
/// As [`load`], except reading.
pub fn load_bytes(bytes: &[u8], dialect: &Dialect, name: &Path) -> Result<Loaded, CsvError> {
    load_from(bytes.to_vec(), *dialect, name, &mut |_, _| {
        ControlFlow::Continue(())
    })
}

/// Reads a whole file, reporting progress over the first half of the range.
fn read_file(
    path: &Path,
    progress: &mut dyn FnMut(u64, u64) -> ControlFlow<()>,
) -> Result<Vec<u8>, CsvError> {
    let failed = |source| CsvError::Read {
        path: path.to_owned(),
        source,
    };
    let mut file = File::open(path).map_err(failed)?;
    let expected = file.metadata().map_err(failed)?.len();
    let total = expected.saturating_mul(2);
    // Asked for up front, so a file larger than memory gets a message instead of an abort.
    let mut bytes = Vec::new();
    usize::try_from(expected)
        .ok()
        .and_then(|size| bytes.try_reserve_exact(size).ok())
        .ok_or_else(|| CsvError::TooBigForMemory {
            path: path.to_owned(),
            size: expected,
        })?;
    loop {
        let before = bytes.len();
        let read = (&mut file)
            .take(READ_CHUNK as u64)
            .read_to_end(&mut bytes)
            .map_err(failed)?;
        if read == 0 && bytes.len() == before {
            break;
        }
        if progress(bytes.len() as u64, total).is_break() {
            return Err(CsvError::Cancelled {
                path: path.to_owned(),
            });
        }
    }
    Ok(bytes)
}

/// Decodes and parses a file's bytes into a table.
fn load_from(
    bytes: Vec<u8>,
    dialect: Dialect,
    path: &Path,
    progress: &mut dyn FnMut(u64, u64) -> ControlFlow<()>,
) -> Result<Loaded, CsvError> {
    let file_len = bytes.len() as u64;
    if bytes.is_empty() {
        return Err(CsvError::Empty {
            path: path.to_owned(),
        });
    }
    encoding::check_signature(&bytes, path)?;
    let decoded = encoding::decode(bytes, dialect.encoding, path)?;
    if memchr::memchr(0, decoded.text.as_bytes()).is_some() {
        return Err(CsvError::Binary {
            path: path.to_owned(),
        });
    }
    let body = decoded.text.get(decoded.start..).unwrap_or_default();
    if body.trim().is_empty() {
        return Err(CsvError::Empty {
            path: path.to_owned(),
        });
    }
    let text_len = decoded.text.len().max(1) as u64;
    let mut rows = RawRows {
        // A rough guess from typical files (about 11 bytes per cell, 90 per row) saves most of
        // the regrowing; the tables are trimmed to size afterwards.
        spans: Vec::with_capacity(decoded.text.len() / 96),
        ends: Vec::with_capacity(decoded.text.len() / 12),
        text: String::new(),
    };
    let result = parse::parse_rows(
        &decoded.text,
        decoded.start,
        dialect.delimiter.as_byte(),
        usize::MAX,
        &mut rows.spans,
        &mut rows.ends,
        &mut |done| {
            let done = (done as u64).saturating_mul(file_len) / text_len;
            progress(file_len + done, file_len.saturating_mul(2))
        },
    );
    let problem = |err| match err {
        ParseError::UnterminatedQuote { line } => CsvError::UnterminatedQuote {
            path: path.to_owned(),
            line,
        },
        ParseError::LineTooLong { line } => CsvError::LineTooLong {
            path: path.to_owned(),
            line,
        },
        ParseError::TooLarge => CsvError::TooLarge {
            path: path.to_owned(),
        },
        ParseError::Cancelled => CsvError::Cancelled {
            path: path.to_owned(),
        },
    };
    result.map_err(problem)?;
    rows.text = decoded.text;
    // Whether the last line ends with a line break is read from the rows, so that saving an
    // untouched file gives back its last byte as well.
    let trailing_newline = rows
        .num_rows()
        .checked_sub(1)
        .is_some_and(|last| !rows.terminator(last).is_empty());
    rows.spans.shrink_to_fit();
    rows.ends.shrink_to_fit();
    let table = Table::from_raw(rows, dialect.delimiter.as_byte(), dialect.has_header)
        .map_err(|_| problem(ParseError::TooLarge))?;
    Ok(Loaded {
        table,
        dialect: Dialect {
            bom: decoded.bom,
            trailing_newline,
            ..dialect
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &[u8], dialect: Dialect) -> Result<Loaded, CsvError> {
        load_bytes(text, &dialect, Path::new("clients.csv"))
    }

    #[test]
    fn loads_cells_as_text() {
        let loaded = load_text(b"id,phone\n000123,9876543210\n", Dialect::default()).unwrap();
        let table = &loaded.table;
        assert_eq!(table.num_rows(), 1);
        assert_eq!(table.column_name(1), "phone");
        assert_eq!(table.cell(0, 0), "000123");
        assert_eq!(table.cell(0, 1), "9876543210");
    }

    #[test]
    fn headerless_files_get_generated_names() {
        let dialect = Dialect {
            has_header: false,
            ..Dialect::default()
        };
        let loaded = load_text(b"a,b\nc\n", dialect).unwrap();
        let table = &loaded.table;
        assert_eq!(table.num_rows(), 2);
        assert_eq!(table.column_name(0), "Column 1");
        assert_eq!(table.column_name(1), "Column 2");
        assert_eq!(table.row_len(1), 1);
        assert_eq!(table.cell(1, 1), "");
        assert_eq!(
            String::from_utf8(save_bytes(table, &dialect, &SaveOptions::default())).unwrap(),
            "a,b\nc\n"
        );
    }

    #[test]
    fn refusals_name_the_file_and_line() {
        let dialect = Dialect::default();
        let err = load_text(b"", dialect).unwrap_err();
        assert!(matches!(err, CsvError::Empty { .. }));
        assert!(err.to_string().ends_with(": clients.csv"));
        assert!(matches!(
            load_text(b" \r\n", dialect).unwrap_err(),
            CsvError::Empty { .. }
        ));
        assert!(matches!(
            load_text(b"a,b\n\0\0", dialect).unwrap_err(),
            CsvError::Binary { .. }
        ));
        assert!(matches!(
            load_text(b"PK\x03\x04", dialect).unwrap_err(),
            CsvError::Workbook { .. }
        ));
        let err = load_text(b"a\nb\n\"c\n", dialect).unwrap_err();
        assert!(matches!(err, CsvError::UnterminatedQuote { line: 3, .. }));
        assert!(
            err.to_string()
                .starts_with("The quote that opens on line 3 is never closed")
        );
        let err = load_text(b"ok\nbad \xFF\n", dialect).unwrap_err();
        assert!(matches!(err, CsvError::NotText { line: 2, .. }));
    }

    #[test]
    fn missing_file_is_a_read_error() {
        let err = open(Path::new("/no/such/folder/clients.csv")).unwrap_err();
        assert!(matches!(err, CsvError::Read { .. }));
        assert!(err.to_string().contains("does not exist"), "{err}");
    }

    #[test]
    fn progress_reaches_the_total_and_can_cancel() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.csv");
        std::fs::write(&path, "a,b\n1,2\n").unwrap();
        let mut reports = Vec::new();
        let loaded = open_with_progress(&path, |done, total| {
            reports.push((done, total));
            ControlFlow::Continue(())
        })
        .unwrap();
        assert_eq!(loaded.table.num_rows(), 1);
        assert!(
            reports
                .iter()
                .all(|&(done, total)| done <= total && total == 16)
        );
        assert!(reports.iter().any(|&(done, _)| done >= 8));
        let err = load(&path, &Dialect::default(), |_, _| ControlFlow::Break(())).unwrap_err();
        assert!(matches!(err, CsvError::Cancelled { .. }));
    }

    #[test]
    fn loaded_dialect_reports_the_bom_found() {
        let dialect = Dialect::default();
        let loaded = load_text(b"\xEF\xBB\xBFname\nx\n", dialect).unwrap();
        assert!(loaded.dialect.bom);
        assert_eq!(loaded.table.column_name(0), "name");
    }
}
