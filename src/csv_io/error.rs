//! What can go wrong reading or saving a CSV file, in words office staff understand.
//!
//! Each message is one sentence that says what is wrong and, where it helps, which line and what
//! to do; the path comes last.

use std::io;
use std::path::PathBuf;

use thiserror::Error;

/// A file that could not be read as a table, or a save that did not happen.
#[derive(Debug, Error)]
pub enum CsvError {
    /// The file has no rows.
    #[error("This file is empty, so there is no table to open: {}", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The file holds binary data rather than text.
    #[error(
        "This is not a table but a binary file (such as a program, picture or archive); \
         choose a CSV file instead: {}",
        path.display()
    )]
    Binary {
        /// The file.
        path: PathBuf,
    },
    /// The file is an Excel workbook or another zipped document.
    #[error(
        "This is an Excel workbook or other packed document, not a CSV file; open it in Excel, \
         use Save As with the CSV format, and open that file instead: {}",
        path.display()
    )]
    Workbook {
        /// The file.
        path: PathBuf,
    },
    /// The bytes are not valid text in the chosen encoding.
    #[error(
        "Line {line} holds characters that are not valid {encoding} text, so the file cannot be \
         read that way; try another encoding: {}",
        path.display()
    )]
    NotText {
        /// The file.
        path: PathBuf,
        /// The line (from 1) where the first bad bytes are.
        line: usize,
        /// The encoding that was tried.
        encoding: &'static str,
    },
    /// A quoted cell is never closed, so the rest of the file would be swallowed by it.
    #[error(
        "The quote that opens on line {line} is never closed, so the file cannot be read as a \
         table; check that line in a text editor: {}",
        path.display()
    )]
    UnterminatedQuote {
        /// The file.
        path: PathBuf,
        /// The line (from 1) where the unclosed quote starts.
        line: usize,
    },
    /// One line is too long to hold.
    #[error("Line {line} is longer than 2 GB, which this app cannot read: {}", path.display())]
    LineTooLong {
        /// The file.
        path: PathBuf,
        /// The line (from 1) that is too long.
        line: usize,
    },
    /// The file has more rows or cells than a table can hold.
    #[error("This file has more rows or cells than the app can hold: {}", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
    },
    /// The file is bigger than the memory this computer can give the app.
    #[error(
        "This file is {}, more than this computer has free to open it. Close other \
         programs and try again, or split the file into smaller ones: {}",
        file_size(*size), path.display()
    )]
    TooBigForMemory {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
    },
    /// Opening was cancelled by the user.
    #[error("Opening the file was cancelled: {}", path.display())]
    Cancelled {
        /// The file.
        path: PathBuf,
    },
    /// The file could not be read from disk.
    #[error("The file could not be read because {}: {}", io_reason(source), path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the operating system reported.
        source: io::Error,
    },
    /// The file could not be written; the original is untouched.
    #[error(
        "The file could not be saved because {}; the file on disk was left as it was: {}",
        io_reason(source),
        path.display()
    )]
    Write {
        /// The file.
        path: PathBuf,
        /// What the operating system reported.
        source: io::Error,
    },
}

/// Describes an I/O error in plain words.
fn io_reason(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::NotFound => "it does not exist (it may have been moved or deleted)".into(),
        io::ErrorKind::PermissionDenied => {
            "you do not have permission, or it is open in another program such as Excel".into()
        }
        io::ErrorKind::StorageFull => "the disk is full".into(),
        io::ErrorKind::ReadOnlyFilesystem => "the disk or folder is read-only".into(),
        io::ErrorKind::IsADirectory => "it is a folder, not a file".into(),
        _ => format!("of a system error ({err})"),
    }
}

/// A file size in the units a file manager shows: `950 MB`, `4.2 GB`, `1,100 GB`.
fn file_size(bytes: u64) -> String {
    const MB: u64 = 1_000_000;
    const GB: u64 = 1_000_000_000;
    if bytes < GB {
        format!("{} MB", bytes.div_ceil(MB))
    } else if bytes < 100 * GB {
        // One decimal, rounded up, in whole-number arithmetic.
        let tenths = bytes.div_ceil(GB / 10);
        format!("{}.{} GB", tenths / 10, tenths % 10)
    } else {
        format!(
            "{} GB",
            crate::enrich::outcome::thousands(
                usize::try_from(bytes.div_ceil(GB)).unwrap_or(usize::MAX)
            )
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_sizes_read_as_a_file_manager_shows_them() {
        assert_eq!(file_size(950_000_000), "950 MB");
        assert_eq!(file_size(1_500_001), "2 MB");
        assert_eq!(file_size(4_200_000_000), "4.2 GB");
        assert_eq!(file_size(1 << 40), "1,100 GB");
    }

    #[test]
    fn messages_are_one_sentence_ending_with_the_path() {
        let err = CsvError::UnterminatedQuote {
            path: PathBuf::from("/tmp/clients.csv"),
            line: 7,
        };
        let message = err.to_string();
        assert!(message.starts_with("The quote that opens on line 7 is never closed"));
        assert!(message.ends_with(": /tmp/clients.csv"));
        let err = CsvError::Write {
            path: PathBuf::from("out.csv"),
            source: io::Error::from(io::ErrorKind::StorageFull),
        };
        assert_eq!(
            err.to_string(),
            "The file could not be saved because the disk is full; the file on disk was left as \
             it was: out.csv"
        );
    }
}
