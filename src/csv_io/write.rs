//! Writing a table back to disk, safely.
//!
//! [`save`] keeps the file as it was wherever the user did not change it: untouched rows are
//! copied from the text that was read, untouched cells keep their original quoting, and each row
//! keeps its own line ending. [`save_as`] writes everything anew in the dialect it is given.
//! Both write a hidden temporary file beside the target, sync it, and rename it over the target,
//! so a full disk or a crash mid-save leaves the original file as it was.

use std::borrow::Cow;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::dialect::{Dialect, TextEncoding};
use super::error::CsvError;
use crate::table::raw::unquote;
use crate::table::{LineRef, Table, WriteCell};

/// How much text is gathered before it is encoded and written.
const CHUNK: usize = 64 * 1024;

/// Choices about what is written besides the cells themselves.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SaveOptions {
    /// Columns (by position) whose cells are made safe for spreadsheets: a cell starting with
    /// `=`, `+`, `-`, `@`, a tab or a line break is written with a leading `'`, so Excel shows it
    /// as text instead of running it as a formula. Meant for columns the app fills from the
    /// network (such as `Caller Name`), never for the user's own columns. The header is never
    /// changed.
    pub guarded_columns: Vec<usize>,
}

/// Saves `table` to `path` the way it was read (`dialect` is the dialect it was loaded with):
/// same delimiter, line endings and encoding, untouched rows byte for byte. A Windows-1252 file
/// is saved as UTF-8 with a byte-order mark. Returns the dialect written.
///
/// # Errors
/// The file could not be written; the file at `path` is then as it was.
pub fn save(
    table: &Table,
    path: &Path,
    dialect: &Dialect,
    options: &SaveOptions,
) -> Result<Dialect, CsvError> {
    let written = dialect.for_saving();
    write_atomically(path, None, |out| {
        write_table(table, written, true, options, out)
    })?;
    Ok(written)
}

/// Saves `table` to `path` in exactly the given dialect (delimiter, UTF-8 or UTF-16, byte-order
/// mark or not, line ending), writing every cell anew with quotes only where needed. Asking for
/// Windows-1252 writes UTF-8 with a byte-order mark, as [`save`] does. Returns the dialect
/// written.
///
/// # Errors
/// The file could not be written; the file at `path` is then as it was.
pub fn save_as(
    table: &Table,
    path: &Path,
    dialect: &Dialect,
    options: &SaveOptions,
) -> Result<Dialect, CsvError> {
    let written = dialect.for_saving();
    write_atomically(path, None, |out| {
        write_table(table, written, false, options, out)
    })?;
    Ok(written)
}

/// The bytes [`save`] would write.
#[must_use]
pub fn save_bytes(table: &Table, dialect: &Dialect, options: &SaveOptions) -> Vec<u8> {
    let mut bytes = Vec::new();
    // Writing to memory does not fail.
    let _ = write_table(table, dialect.for_saving(), true, options, &mut bytes);
    bytes
}

/// The bytes [`save_as`] would write.
#[must_use]
pub fn save_as_bytes(table: &Table, dialect: &Dialect, options: &SaveOptions) -> Vec<u8> {
    let mut bytes = Vec::new();
    // Writing to memory does not fail.
    let _ = write_table(table, dialect.for_saving(), false, options, &mut bytes);
    bytes
}

/// Text waiting to be encoded and written.
struct Encoder<'w> {
    out: &'w mut dyn Write,
    encoding: TextEncoding,
    text: String,
    bytes: Vec<u8>,
}

impl Encoder<'_> {
    fn push(&mut self, text: &str) {
        self.text.push_str(text);
    }

    fn push_char(&mut self, c: char) {
        self.text.push(c);
    }

    /// Appends a cell value, quoted only if it holds the delimiter, a quote or a line break.
    fn push_value(&mut self, value: &str, delimiter: char) {
        if value.contains([delimiter, '"', '\r', '\n']) {
            self.text.push('"');
            for piece in value.split_inclusive('"') {
                self.text.push_str(piece);
                if piece.ends_with('"') {
                    self.text.push('"');
                }
            }
            self.text.push('"');
        } else {
            self.text.push_str(value);
        }
    }

    fn flush_if_full(&mut self) -> io::Result<()> {
        if self.text.len() >= CHUNK {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.encoding {
            // Windows-1252 never reaches here: saving turns it into UTF-8.
            TextEncoding::Utf8 | TextEncoding::Windows1252 => {
                self.out.write_all(self.text.as_bytes())?;
            }
            TextEncoding::Utf16Le => {
                self.bytes.clear();
                self.bytes
                    .extend(self.text.encode_utf16().flat_map(u16::to_le_bytes));
                self.out.write_all(&self.bytes)?;
            }
            TextEncoding::Utf16Be => {
                self.bytes.clear();
                self.bytes
                    .extend(self.text.encode_utf16().flat_map(u16::to_be_bytes));
                self.out.write_all(&self.bytes)?;
            }
        }
        self.text.clear();
        Ok(())
    }
}

/// Whether a value would be taken as a formula (or control input) by a spreadsheet.
fn needs_guard(value: &str) -> bool {
    value.starts_with(['=', '+', '-', '@', '\t', '\r', '\n'])
}

/// Writes the whole table. With `keep_original`, text as read is reused wherever it is still
/// valid (same delimiter); otherwise every cell is written anew.
fn write_table(
    table: &Table,
    dialect: Dialect,
    keep_original: bool,
    options: &SaveOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let delimiter = dialect.delimiter.as_char();
    let keep = keep_original && table.raw_delimiter() == dialect.delimiter.as_byte();
    let mut encoder = Encoder {
        out,
        encoding: dialect.encoding,
        text: String::with_capacity(CHUNK + 1024),
        bytes: Vec::new(),
    };
    if dialect.bom {
        encoder.push_char('\u{FEFF}');
    }
    let header = table.has_header().then_some(LineRef::Header);
    let lines = header
        .into_iter()
        .chain((0..table.num_rows()).map(LineRef::Data));
    let num_lines = usize::from(table.has_header()) + table.num_rows();
    for (line_idx, line) in lines.enumerate() {
        let guarded = matches!(line, LineRef::Data(_)) && !options.guarded_columns.is_empty();
        let untouched = if keep && !guarded {
            table.untouched_line(line)
        } else {
            None
        };
        let line_start = encoder.text.len();
        match untouched {
            Some(content) => encoder.push(content),
            None => write_cells(table, line, keep, guarded, options, delimiter, &mut encoder),
        }
        // A blank last line only exists if it ends with a line break.
        let blank = encoder.text.len() == line_start;
        let original = if keep {
            table.line_terminator(line)
        } else {
            ""
        };
        let terminator = if original.is_empty() {
            dialect.line_ending.as_str()
        } else {
            original
        };
        if line_idx + 1 < num_lines || dialect.trailing_newline || blank {
            encoder.push(terminator);
        }
        encoder.flush_if_full()?;
    }
    encoder.flush()?;
    encoder.out.flush()
}

/// Writes the cells of one line, up to its last cell that holds something.
fn write_cells(
    table: &Table,
    line: LineRef,
    keep: bool,
    guarded: bool,
    options: &SaveOptions,
    delimiter: char,
    encoder: &mut Encoder<'_>,
) {
    for col_idx in 0..table.present_len(line) {
        if col_idx > 0 {
            encoder.push_char(delimiter);
        }
        let guard = guarded && options.guarded_columns.contains(&col_idx);
        match table.cell_for_write(line, col_idx) {
            WriteCell::Absent => {}
            WriteCell::Raw { raw, quoted } => {
                let value = if quoted {
                    unquote(raw)
                } else {
                    Cow::Borrowed(raw)
                };
                if guard && needs_guard(&value) {
                    encoder.push_value(&format!("'{value}"), delimiter);
                } else if keep {
                    encoder.push(raw);
                } else {
                    encoder.push_value(&value, delimiter);
                }
            }
            WriteCell::Value(value) => {
                if guard && needs_guard(value) {
                    encoder.push_value(&format!("'{value}"), delimiter);
                } else {
                    encoder.push_value(value, delimiter);
                }
            }
        }
    }
}

/// A writer that fails once `remaining` bytes have gone through, to test failed saves.
struct FailAfter<W> {
    inner: W,
    remaining: Option<usize>,
}

impl<W: Write> Write for FailAfter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let Some(remaining) = self.remaining else {
            return self.inner.write(buf);
        };
        if remaining == 0 {
            return Err(io::Error::from(io::ErrorKind::StorageFull));
        }
        let take = buf.get(..remaining.min(buf.len())).unwrap_or(buf);
        let written = self.inner.write(take)?;
        self.remaining = Some(remaining - written);
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes a file through a temporary file beside it that replaces it only once complete and
/// synced. `fail_after` makes the write fail after that many bytes (for tests).
fn write_atomically(
    path: &Path,
    fail_after: Option<usize>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), CsvError> {
    let failed = |source| CsvError::Write {
        path: path.to_owned(),
        source,
    };
    // Save through a link to the file it points to, leaving the link in place.
    let target = match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(path).map_err(failed)?,
        _ => path.to_owned(),
    };
    let dir = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let Some(file_name) = target.file_name() else {
        return Err(failed(io::Error::from(io::ErrorKind::IsADirectory)));
    };
    let existing = fs::metadata(&target).ok();
    if let Some(meta) = &existing {
        if meta.is_dir() {
            return Err(failed(io::Error::from(io::ErrorKind::IsADirectory)));
        }
        if meta.permissions().readonly() {
            return Err(failed(io::Error::from(io::ErrorKind::PermissionDenied)));
        }
    }
    let temp = tempfile::Builder::new()
        .prefix(&format!(".{}.", file_name.to_string_lossy()))
        .suffix(".saving")
        .tempfile_in(&dir)
        .map_err(failed)?;
    if let Some(meta) = existing {
        // Keep who may read the file: the temporary file is created private.
        temp.as_file()
            .set_permissions(meta.permissions())
            .map_err(failed)?;
    }
    {
        let mut limited = FailAfter {
            inner: temp.as_file(),
            remaining: fail_after,
        };
        let mut buffered = BufWriter::with_capacity(1 << 20, &mut limited);
        write(&mut buffered).map_err(failed)?;
        buffered.flush().map_err(failed)?;
    }
    temp.as_file().sync_all().map_err(failed)?;
    // On failure the temporary file is removed when the error drops it.
    temp.persist(&target).map_err(|err| failed(err.error))?;
    sync_dir(&dir);
    remove_leftovers(&dir, &file_name.to_string_lossy());
    Ok(())
}

/// Removes temporary files that a save of the same file left behind when it was killed.
/// They are hidden, but they take space and would puzzle anyone who shows hidden files.
fn remove_leftovers(dir: &Path, file_name: &str) {
    let prefix = format!(".{file_name}.");
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(&prefix) && name.ends_with(".saving") {
            match fs::remove_file(entry.path()) {
                Ok(()) => tracing::debug!("removed {name}, left by a save that was cut short"),
                Err(err) => tracing::debug!("could not remove {name}: {err}"),
            }
        }
    }
}

/// Makes the rename durable: on Unix a rename is only on disk once its folder is synced.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Err(err) = File::open(dir).and_then(|dir| dir.sync_all()) {
        tracing::warn!(
            "Saved, but could not sync the folder {}: {err}",
            dir.display()
        );
    }
    #[cfg(not(unix))]
    let _ = (dir, File::open);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_io::dialect::{Delimiter, LineEnding};
    use crate::csv_io::load_bytes;
    use crate::table::Edit;

    fn load(text: &str, dialect: Dialect) -> Table {
        load_bytes(text.as_bytes(), &dialect, Path::new("t.csv"))
            .unwrap()
            .table
    }

    fn lf() -> Dialect {
        Dialect {
            line_ending: LineEnding::Lf,
            ..Dialect::default()
        }
    }

    #[test]
    fn untouched_file_is_written_back_exactly() {
        let text = "a,\"b\"\r\n\"x\"\"y\",1\n\n ragged \r\nlast";
        let dialect = Dialect {
            trailing_newline: false,
            ..lf()
        };
        let table = load(text, dialect);
        let bytes = save_bytes(&table, &dialect, &SaveOptions::default());
        assert_eq!(String::from_utf8(bytes).unwrap(), text);
    }

    #[test]
    fn quotes_only_where_needed() {
        let table = Table::from_rows(
            Some(&["a", "b"]),
            &[vec![" lead", "x,y"], vec!["say \"hi\"", "two\nlines"]],
        );
        let bytes = save_as_bytes(&table, &lf(), &SaveOptions::default());
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "a,b\n lead,\"x,y\"\n\"say \"\"hi\"\"\",\"two\nlines\"\n"
        );
    }

    #[test]
    fn edited_row_keeps_untouched_cells_raw() {
        let dialect = lf();
        let mut table = load("h1,h2,h3\n\"a\",b,c\n\"d\",e,f\n", dialect);
        table
            .apply(Edit::SetCell {
                row: 0,
                column: 1,
                value: "B;1".into(),
            })
            .unwrap();
        let bytes = save_bytes(&table, &dialect, &SaveOptions::default());
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "h1,h2,h3\n\"a\",B;1,c\n\"d\",e,f\n"
        );
    }

    #[test]
    fn a_new_delimiter_rewrites_every_cell() {
        let table = load("a,\"b;c\"\n", lf());
        let semicolons = Dialect {
            delimiter: Delimiter::Semicolon,
            has_header: false,
            ..lf()
        };
        let bytes = save_bytes(&table, &semicolons, &SaveOptions::default());
        assert_eq!(String::from_utf8(bytes).unwrap(), "a;\"b;c\"\n");
    }

    #[test]
    fn guarded_columns_get_a_leading_quote() {
        let dialect = lf();
        let mut table = load("Phone,Note\n1,=SUM(A1)\n2,fine\n", dialect);
        let name = table.append_column("Caller Name");
        for (row, value) in ["=HYPERLINK(\"x\")", "-Asha", "Ravi"].iter().enumerate() {
            if row < table.num_rows() {
                table
                    .apply(Edit::SetCell {
                        row,
                        column: name,
                        value: (*value).into(),
                    })
                    .unwrap();
            }
        }
        let options = SaveOptions {
            guarded_columns: vec![name],
        };
        let text = String::from_utf8(save_bytes(&table, &dialect, &options)).unwrap();
        // The user's own `=SUM(A1)` is left alone; the looked-up names are made inert.
        assert_eq!(
            text,
            "Phone,Note,Caller Name\n1,=SUM(A1),\"'=HYPERLINK(\"\"x\"\")\"\n2,fine,'-Asha\n"
        );
    }

    #[test]
    fn utf16_output_with_and_without_bom() {
        let table = Table::from_rows(Some(&["नाम"]), &[vec!["a"]]);
        let dialect = Dialect {
            encoding: TextEncoding::Utf16Le,
            bom: true,
            ..lf()
        };
        let bytes = save_as_bytes(&table, &dialect, &SaveOptions::default());
        let mut expected = vec![0xFF, 0xFE];
        expected.extend("नाम\na\n".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(bytes, expected);
        let dialect = Dialect {
            encoding: TextEncoding::Utf16Be,
            bom: false,
            ..lf()
        };
        let bytes = save_as_bytes(&table, &dialect, &SaveOptions::default());
        let expected: Vec<u8> = "नाम\na\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(bytes, expected);
    }

    #[test]
    fn failed_write_leaves_the_original_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clients.csv");
        fs::write(&path, "original,content\n").unwrap();
        let long = "x".repeat(100);
        let table = Table::from_rows(Some(&["new"]), &[vec![long.as_str()]]);
        let err = write_atomically(&path, Some(10), |out| {
            write_table(&table, lf(), false, &SaveOptions::default(), out)
        })
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("The file could not be saved because the disk is full"),
            "{err}"
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), "original,content\n");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, [std::ffi::OsString::from("clients.csv")]);
    }

    #[test]
    fn successful_save_replaces_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        fs::write(&path, "old\n").unwrap();
        let table = Table::from_rows(Some(&["new"]), &[vec!["1"]]);
        let written = save_as(&table, &path, &lf(), &SaveOptions::default()).unwrap();
        assert_eq!(written, lf());
        assert_eq!(fs::read_to_string(&path).unwrap(), "new\n1\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn save_keeps_permissions_and_refuses_read_only_files() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shared.csv");
        fs::write(&path, "a\n").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        let table = Table::from_rows(Some(&["b"]), &Vec::<Vec<&str>>::new());
        save(&table, &path, &lf(), &SaveOptions::default()).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o644);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
        let err = save(&table, &path, &lf(), &SaveOptions::default()).unwrap_err();
        assert!(matches!(err, CsvError::Write { .. }));
        assert_eq!(fs::read_to_string(&path).unwrap(), "b\n");
    }

    #[cfg(unix)]
    #[test]
    fn saving_through_a_link_writes_the_linked_file() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.csv");
        let link = dir.path().join("link.csv");
        fs::write(&real, "a\n").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let table = Table::from_rows(Some(&["b"]), &Vec::<Vec<&str>>::new());
        save(&table, &link, &lf(), &SaveOptions::default()).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "b\n");
    }
}
