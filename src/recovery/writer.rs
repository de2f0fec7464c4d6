//! The thread that writes the recovery journal, so the window never waits on the disk.
//!
//! It takes [`Command`]s from a bounded channel and turns actions into journal lines here, so the
//! window never spends a frame on them. Appended actions are gathered and written with
//! one `fsync` at most [`FLUSH_INTERVAL`] after the first of them arrived; rewrites, snapshots
//! and removals happen at once. A journal is rewritten through a temporary file and a rename, so
//! a crash leaves either the old journal or the new one. While the thread runs it holds a lock
//! on a file beside the journal, which tells another copy of the app that the journal is alive.

use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender, TrySendError};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::csv_io::{self, Delimiter, Dialect, LineEnding, SaveOptions, TextEncoding};
use crate::recovery::journal::{self, Header};
use crate::recovery::{Base, DocumentInfo, FLUSH_INTERVAL, Fingerprint};
use crate::table::{Recorded, Table};

/// How many commands may wait for the writer.
const CAPACITY: usize = 64;

/// What the writer is asked to do.
#[derive(Debug)]
pub enum Command {
    /// Write the journal anew: its header and every line since its base.
    Rewrite {
        /// The first line.
        header: Header,
        /// The actions since the base, oldest first.
        actions: Vec<Arc<Recorded>>,
    },
    /// Add actions at the end.
    Append(Vec<Arc<Recorded>>),
    /// Write `table` into the recovery folder and start the journal anew from that copy.
    Snapshot {
        /// The table as it is now.
        table: Box<Table>,
        /// Where the document is saved to.
        document: DocumentInfo,
    },
    /// Remove the journal and its copies: there is nothing unsaved.
    Remove,
}

/// The handle to a running journal writer; the thread ends when it is dropped, after writing
/// what it was given.
pub struct JournalWriter {
    sender: SyncSender<Command>,
    journal_path: PathBuf,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl JournalWriter {
    /// Starts a writer for a new journal in `dir`, or for `journal_path` when taking over one
    /// found from an earlier run.
    ///
    /// # Errors
    /// When the folder cannot be made, the lock cannot be taken (another copy of the app
    /// writes that journal), or the thread cannot start.
    pub fn start(dir: &Path, journal_path: Option<PathBuf>) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let journal_path = journal_path.unwrap_or_else(|| {
            let millis = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |since| since.as_millis());
            dir.join(format!(
                "{millis}-{}.{}",
                std::process::id(),
                journal::EXTENSION
            ))
        });
        let lock = File::options()
            .write(true)
            .create(true)
            .truncate(false)
            .open(journal::lock_path(&journal_path))?;
        lock.try_lock().map_err(std::io::Error::from)?;
        let (sender, receiver) = mpsc::sync_channel(CAPACITY);
        let path = journal_path.clone();
        let thread = std::thread::Builder::new()
            .name("recovery-journal".to_owned())
            .spawn(move || run(&path, &receiver, lock))?;
        Ok(Self {
            sender,
            journal_path,
            thread: Some(thread),
        })
    }

    /// The journal this writer writes.
    pub fn journal_path(&self) -> &Path {
        &self.journal_path
    }

    /// Hands a command over without waiting. When the channel is full the command comes back,
    /// to be tried again later; a writer that stopped drops it, as there is no one to write it.
    pub fn try_send(&self, command: Command) -> Option<Command> {
        match self.sender.try_send(command) {
            Err(TrySendError::Full(command)) => Some(command),
            Ok(()) | Err(TrySendError::Disconnected(_)) => None,
        }
    }

    /// Hands over `waiting` (waiting for room), lets the thread write everything and waits
    /// for it to end; for when the app closes, so nothing handed over is lost.
    pub fn finish(mut self, waiting: impl IntoIterator<Item = Command>) {
        for command in waiting {
            if self.sender.send(command).is_err() {
                break;
            }
        }
        let Some(thread) = self.thread.take() else {
            return;
        };
        drop(self);
        if thread.join().is_err() {
            tracing::error!("the recovery journal writer stopped unexpectedly");
        }
    }
}

/// The writer thread: runs until the handle is dropped.
fn run(path: &Path, receiver: &mpsc::Receiver<Command>, lock: File) {
    let mut pending: Vec<Arc<Recorded>> = Vec::new();
    let mut deadline: Option<Instant> = None;
    let mut num_snapshots = 0_u32;
    loop {
        let command = match deadline {
            Some(deadline) => {
                match receiver.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                    Ok(command) => Some(command),
                    Err(RecvTimeoutError::Timeout) => None,
                    Err(RecvTimeoutError::Disconnected) => break,
                }
            }
            None => match receiver.recv() {
                Ok(command) => Some(command),
                Err(_) => break,
            },
        };
        let result = match command {
            None => {
                deadline = None;
                append(path, &std::mem::take(&mut pending))
            }
            Some(Command::Append(actions)) => {
                pending.extend(actions);
                deadline.get_or_insert_with(|| Instant::now() + FLUSH_INTERVAL);
                Ok(())
            }
            Some(Command::Rewrite { header, actions }) => {
                pending.clear();
                deadline = None;
                rewrite(path, &header, &actions)
            }
            Some(Command::Snapshot { table, document }) => {
                pending.clear();
                deadline = None;
                num_snapshots += 1;
                snapshot(path, &table, document, num_snapshots)
            }
            Some(Command::Remove) => {
                pending.clear();
                deadline = None;
                remove_journal(path);
                Ok(())
            }
        };
        if let Err(err) = result {
            tracing::warn!(
                "the recovery journal could not be written ({err}): {}",
                path.display()
            );
        }
    }
    if let Err(err) = append(path, &pending) {
        tracing::warn!("the recovery journal could not be written at exit: {err}");
    }
    drop(lock);
    if !path.exists() {
        let _ = std::fs::remove_file(journal::lock_path(path));
    }
}

/// The journal lines of `actions`, one after another.
fn action_lines(actions: &[Arc<Recorded>]) -> String {
    actions
        .iter()
        .map(|recorded| journal::action_line(recorded))
        .collect()
}

fn append(path: &Path, actions: &[Arc<Recorded>]) -> std::io::Result<()> {
    if actions.is_empty() || !path.exists() {
        return Ok(());
    }
    let mut file = File::options().append(true).open(path)?;
    file.write_all(action_lines(actions).as_bytes())?;
    file.sync_data()
}

fn rewrite(path: &Path, header: &Header, actions: &[Arc<Recorded>]) -> std::io::Result<()> {
    let temp = path.with_extension("journal-new");
    {
        let mut file = File::create(&temp)?;
        file.write_all(header.to_line().as_bytes())?;
        file.write_all(action_lines(actions).as_bytes())?;
        file.sync_all()?;
    }
    std::fs::rename(&temp, path)?;
    remove_snapshots(path, Some(&header.base.path));
    Ok(())
}

/// Writes `table` beside the journal and points a fresh journal at it.
fn snapshot(
    path: &Path,
    table: &Table,
    document: DocumentInfo,
    number: u32,
) -> std::io::Result<()> {
    let copy = snapshot_path(path, number);
    let dialect = Dialect {
        encoding: TextEncoding::Utf8,
        bom: false,
        delimiter: Delimiter::Comma,
        has_header: table.has_header(),
        line_ending: LineEnding::Lf,
        trailing_newline: true,
    };
    csv_io::save_as(table, &copy, &dialect, &SaveOptions::default())
        .map_err(std::io::Error::other)?;
    let base = Base {
        fingerprint: Fingerprint::of(&copy)?,
        path: copy,
        dialect,
    };
    rewrite(path, &Header::new(document, base), &[])
}

fn snapshot_prefix(journal_path: &Path) -> String {
    let stem = journal_path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{stem}.base-")
}

fn snapshot_path(journal_path: &Path, number: u32) -> PathBuf {
    journal_path.with_file_name(format!("{}{number}.csv", snapshot_prefix(journal_path)))
}

/// Removes the table copies that belong to a journal, except `keep`.
fn remove_snapshots(journal_path: &Path, keep: Option<&Path>) {
    let (Some(dir), prefix) = (journal_path.parent(), snapshot_prefix(journal_path)) else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let copy = entry.path();
        let is_ours = entry.file_name().to_string_lossy().starts_with(&prefix);
        if is_ours && Some(copy.as_path()) != keep {
            let _ = std::fs::remove_file(&copy);
        }
    }
}

fn remove_journal(path: &Path) {
    if let Err(err) = std::fs::remove_file(path)
        && err.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(
            "the recovery journal could not be removed ({err}): {}",
            path.display()
        );
    }
    remove_snapshots(path, None);
}

/// Removes a journal left by an earlier run, with its copies and its lock file.
pub fn remove_journal_files(journal_path: &Path) {
    remove_journal(journal_path);
    let _ = std::fs::remove_file(journal::lock_path(journal_path));
}
