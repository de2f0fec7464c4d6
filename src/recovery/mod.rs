//! Unsaved work that survives a crash: a journal of the open document's edits.
//!
//! While a document has unsaved changes, the app keeps a recovery journal in the data folder: a
//! first line saying which file the edits start from (its path, how it was read, and its size
//! and modification time, so a file changed since is noticed), then one line per edit, undo or
//! redo, as the table recorded them. The journal is written by a background thread within
//! [`FLUSH_INTERVAL`] of each change and costs the size of the edits, not of the table. After a
//! crash the next start finds it ([`find`]) and can read the file again and replay the edits
//! ([`restore`]). A clean save starts the journal again from the saved file; saving, undoing
//! back to the saved state, or discarding removes it.
//!
//! The pieces: [`journal`] is the file format, [`session`] decides what to write as the
//! document changes (on the UI thread, cheaply), and [`writer`] does the writing.

pub mod journal;
pub mod session;
pub mod writer;

use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use thiserror::Error;

use crate::csv_io::{self, CsvError, Dialect};
use crate::table::{Table, TableError};

pub use journal::{Found, Header};
pub use session::RecoverySession;
pub use writer::JournalWriter;

/// How long an edit may wait in memory before it is on disk.
pub const FLUSH_INTERVAL: Duration = Duration::from_secs(1);

/// The folder for recovery journals inside the app's data folder.
#[must_use]
pub fn folder(data_dir: &Path) -> PathBuf {
    data_dir.join("recovery")
}

/// What identifies a file's content well enough to tell that it changed: its size and the
/// time it was last written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fingerprint {
    /// The size in bytes.
    pub len: u64,
    /// The modification time, in nanoseconds since 1970 (0 when the system has none).
    pub modified_ns: u128,
}

impl Fingerprint {
    /// Reads the fingerprint of the file at `path`.
    ///
    /// # Errors
    /// When the file's details cannot be read.
    pub fn of(path: &Path) -> std::io::Result<Self> {
        let metadata = std::fs::metadata(path)?;
        let modified_ns = metadata
            .modified()
            .ok()
            .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |since| since.as_nanos());
        Ok(Self {
            len: metadata.len(),
            modified_ns,
        })
    }
}

/// A file that edits start from: where it is, how to read it, and what it looked like.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Base {
    /// The file.
    pub path: PathBuf,
    /// How to read it.
    pub dialect: Dialect,
    /// Its size and time when the edits started.
    pub fingerprint: Fingerprint,
}

/// Where the document is saved to, which may differ from where the edits start.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DocumentInfo {
    /// The document's file.
    pub path: PathBuf,
    /// The dialect it is saved in.
    pub dialect: Dialect,
}

/// Unsaved work read back from a journal.
#[derive(Debug)]
pub struct Restored {
    /// The table with every journalled edit made again, still recording (so a new session
    /// journals the same edits) and unsaved.
    pub table: Table,
    /// Where the document is saved to.
    pub document: DocumentInfo,
    /// The journal it came from, which the new session takes over.
    pub found: Found,
}

/// Why unsaved work cannot be put back.
#[derive(Debug, Error)]
pub enum RecoveryError {
    /// The file the edits start from has changed or gone since.
    #[error(
        "{} was changed or moved after the unsaved edits were made, so they cannot be put back \
         onto it: {}",
        file_name(.path), .path.display()
    )]
    BaseChanged {
        /// The file.
        path: PathBuf,
    },
    /// The file could not be read again.
    #[error("{0}")]
    Read(#[from] CsvError),
    /// The journal does not fit the file.
    #[error(
        "The unsaved edits do not fit {} any more (edit {line}: {source}).",
        file_name(.path)
    )]
    Replay {
        /// The file.
        path: PathBuf,
        /// The journal line that failed.
        line: usize,
        /// What went wrong.
        source: TableError,
    },
    /// The journal could not be read or written.
    #[error("The recovery file could not be used ({source}): {}", .path.display())]
    Io {
        /// The journal.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}

/// Finds the journals in `dir` that no running copy of the app is writing, newest first.
/// Journals that cannot be read are logged and skipped.
pub fn find(dir: &Path) -> Vec<Found> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<Found> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == journal::EXTENSION)
        })
        .filter_map(|path| match Found::read(&path) {
            Ok(found) => found,
            Err(err) => {
                tracing::warn!("skipped a recovery file that could not be read: {err}");
                None
            }
        })
        .collect();
    found.sort_by_key(|found| std::cmp::Reverse(found.written_at));
    found
}

/// Reads the base file of `found` again and replays its edits.
///
/// # Errors
/// The base file changed or cannot be read, or the edits do not fit it.
pub fn restore(found: Found) -> Result<Restored, RecoveryError> {
    let base = &found.header.base;
    let now = Fingerprint::of(&base.path).ok();
    if now != Some(base.fingerprint) {
        return Err(RecoveryError::BaseChanged {
            path: found.header.document.path.clone(),
        });
    }
    let loaded = csv_io::load(&base.path, &base.dialect, |_, _| {
        std::ops::ControlFlow::Continue(())
    })?;
    let mut table = loaded.table;
    table.start_recording();
    for (index, action) in found.read_actions()?.iter().enumerate() {
        table
            .replay(action)
            .map_err(|source| RecoveryError::Replay {
                path: found.header.document.path.clone(),
                line: index + 1,
                source,
            })?;
    }
    Ok(Restored {
        table,
        document: found.header.document.clone(),
        found,
    })
}

/// Removes a journal and the files that belong to it.
pub fn discard(found: &Found) {
    writer::remove_journal_files(&found.journal_path);
}
