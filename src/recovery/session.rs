//! What the open document's journal should hold, worked out on the UI thread each frame.
//!
//! [`RecoverySession::sync`] takes what the table recorded since the last frame and hands the
//! writer what changed, which the writer turns into journal lines off this thread: nothing
//! while the document is clean, the whole journal when it becomes dirty, new actions after
//! that, a removal when it is clean again.
//! A save moves the journal's starting point to the saved file. An undo that reaches back past
//! that point cannot be replayed on the saved file, so the writer is then handed a copy of the
//! table to start from instead. Handing over never waits: when the writer's channel is full,
//! commands wait here for the next frame.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::Arc;

use crate::recovery::journal::Header;
use crate::recovery::writer::{Command, JournalWriter};
use crate::recovery::{Base, DocumentInfo};
use crate::table::{RecordMark, Recorded, Table};

/// The journal of the open document.
pub struct RecoverySession {
    writer: JournalWriter,
    document: DocumentInfo,
    base: Base,
    /// Where the table's record stood when the base was what the table held.
    base_mark: RecordMark,
    /// The journal's actions since the base, shared with the writer.
    entries: Vec<Arc<Recorded>>,
    /// Commands the writer had no room for yet.
    unsent: VecDeque<Command>,
    /// Whether the writer holds a journal file now.
    is_on_disk: bool,
    /// The base changed, so the journal on disk must be written anew.
    must_rewrite: bool,
    /// The record's place when the last copy of the table was handed to the writer.
    snapshot_seq: Option<u64>,
    /// A save left lines that cannot be replayed on the saved file.
    needs_snapshot: bool,
    /// The user chose not to keep the changes: nothing is written until the next change.
    is_discarded: bool,
}

impl RecoverySession {
    /// Starts journalling a document just read from `base` (the table holds nothing since,
    /// apart from what it recorded, which the first [`sync`](Self::sync) writes).
    pub fn new(writer: JournalWriter, document: DocumentInfo, base: Base) -> Self {
        Self {
            writer,
            document,
            base,
            base_mark: RecordMark {
                seq: 0,
                first_new_step: 1,
            },
            entries: Vec::new(),
            unsent: VecDeque::new(),
            is_on_disk: false,
            must_rewrite: false,
            snapshot_seq: None,
            needs_snapshot: false,
            is_discarded: false,
        }
    }

    /// The journal file.
    pub fn journal_path(&self) -> &Path {
        self.writer.journal_path()
    }

    /// Whether the writer is known to hold a journal (or is about to).
    pub fn is_on_disk(&self) -> bool {
        self.is_on_disk
    }

    /// Brings the journal up to date with `table`; call once a frame.
    pub fn sync(&mut self, table: &mut Table) {
        let recorded = table.take_recorded();
        if self.is_discarded && recorded.is_empty() {
            return;
        }
        self.is_discarded = false;
        let mut needs_snapshot = std::mem::take(&mut self.needs_snapshot);
        let new_actions: Vec<Arc<Recorded>> = recorded.into_iter().map(Arc::new).collect();
        for recorded in &new_actions {
            needs_snapshot |= !self.base_mark.can_replay_after(recorded);
        }
        self.entries.extend(new_actions.iter().cloned());
        if needs_snapshot && table.is_dirty() {
            self.entries.clear();
            self.base_mark = table.record_mark();
            self.snapshot_seq = Some(self.base_mark.seq);
            self.must_rewrite = false;
            self.is_on_disk = true;
            self.send(Command::Snapshot {
                table: Box::new(table.clone()),
                document: self.document.clone(),
            });
        } else if !table.is_dirty() {
            if self.is_on_disk {
                self.is_on_disk = false;
                self.send(Command::Remove);
            }
            if needs_snapshot {
                // Clean again, so the saved file is what the table holds: start from it anew.
                self.entries.clear();
                self.base_mark = table.record_mark();
            }
        } else if !self.is_on_disk || self.must_rewrite {
            self.is_on_disk = true;
            self.must_rewrite = false;
            self.send(Command::Rewrite {
                header: Header::new(self.document.clone(), self.base.clone()),
                actions: self.entries.clone(),
            });
        } else if !new_actions.is_empty() {
            self.send(Command::Append(new_actions));
        }
        self.send_waiting();
    }

    /// The document was saved as it was at `mark` to `document`, whose file is now `base`:
    /// the journal starts from there. Call [`sync`](Self::sync) after it.
    pub fn saved(&mut self, document: DocumentInfo, base: Base, mark: RecordMark) {
        self.document = document;
        if self.snapshot_seq.is_some_and(|seq| seq > mark.seq) {
            // A copy newer than the save is already the base; only where to save changed.
            self.must_rewrite = true;
            return;
        }
        self.base = base;
        self.base_mark = mark;
        self.entries.retain(|recorded| recorded.seq > mark.seq);
        if self
            .entries
            .iter()
            .any(|recorded| !mark.can_replay_after(recorded))
        {
            // Reached back before the save while it was being written: start from a copy at
            // the next sync.
            self.needs_snapshot = true;
        }
        self.must_rewrite = true;
    }

    /// The user chose not to keep the unsaved changes: remove the journal. The document may
    /// stay open a little longer (until what replaces it has been read); a change made after
    /// this brings the journal back whole.
    pub fn discard(&mut self) {
        self.is_discarded = true;
        self.unsent.clear();
        self.is_on_disk = false;
        self.send(Command::Remove);
        self.send_waiting();
    }

    /// Hands over what waits and lets the writer finish it, waiting for that; for when the app
    /// closes.
    pub fn close(mut self) {
        self.send_waiting();
        let Self { writer, unsent, .. } = self;
        writer.finish(unsent);
    }

    fn send(&mut self, command: Command) {
        self.unsent.push_back(command);
    }

    fn send_waiting(&mut self) {
        while let Some(command) = self.unsent.pop_front() {
            if let Some(command) = self.writer.try_send(command) {
                self.unsent.push_front(command);
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::csv_io;
    use crate::recovery::{Fingerprint, Found, restore};
    use crate::table::Edit;

    const CSV: &str = "Name,City\nAsha,Pune\nRavi,Delhi\n";

    struct Open {
        _dir: tempfile::TempDir,
        file: std::path::PathBuf,
        recovery: std::path::PathBuf,
        table: Table,
        session: RecoverySession,
    }

    fn open() -> Open {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("people.csv");
        std::fs::write(&file, CSV).unwrap();
        let recovery = dir.path().join("recovery");
        let loaded = csv_io::open(&file).unwrap();
        let mut table = loaded.table;
        table.start_recording();
        let base = Base {
            path: file.clone(),
            dialect: loaded.dialect,
            fingerprint: Fingerprint::of(&file).unwrap(),
        };
        let document = DocumentInfo {
            path: file.clone(),
            dialect: loaded.dialect,
        };
        let session = RecoverySession::new(
            JournalWriter::start(&recovery, None).unwrap(),
            document,
            base,
        );
        Open {
            _dir: dir,
            file,
            recovery,
            table,
            session,
        }
    }

    fn set(table: &mut Table, row: usize, column: usize, value: &str) {
        table
            .apply(Edit::SetCell {
                row,
                column,
                value: value.into(),
            })
            .unwrap();
    }

    /// Waits until the journal on disk holds `num_actions` (`None`: until there is none).
    fn wait_for_journal(open: &Open, num_actions: Option<usize>) -> Option<Found> {
        wait_for_journal_with(open, num_actions, "")
    }

    /// Waits as [`wait_for_journal`] does, until the journal also holds `text`.
    fn wait_for_journal_with(open: &Open, num_actions: Option<usize>, text: &str) -> Option<Found> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let path = open.session.journal_path();
            // Read as a later run would, so the lock must be let go of by then.
            let found = path
                .exists()
                .then(|| std::fs::read_to_string(path).ok())
                .flatten()
                .filter(|journal| journal.contains(text))
                .map(|journal| journal.lines().count().saturating_sub(1));
            if found == num_actions {
                return num_actions.map(|_| {
                    let text = std::fs::read_to_string(path).unwrap();
                    let header = serde_json::from_str(text.lines().next().unwrap()).unwrap();
                    Found {
                        journal_path: path.to_owned(),
                        header,
                        num_actions: num_actions.unwrap_or(0),
                        written_at: std::time::SystemTime::now(),
                    }
                });
            }
            assert!(
                Instant::now() < deadline,
                "the journal holds {found:?} actions, not {num_actions:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Saves the table over its file as the app does: the copy is taken at a mark, `meanwhile`
    /// changes the table while it is written, then the session hears of the save.
    fn save_with(open: &mut Open, meanwhile: impl FnOnce(&mut Table)) {
        let mark = open.table.record_mark();
        let read = csv_io::open(&open.file).unwrap().dialect;
        let dialect = csv_io::save(
            &open.table,
            &open.file,
            &read,
            &csv_io::SaveOptions::default(),
        )
        .unwrap();
        open.table.mark_saved_at(open.table.generation());
        meanwhile(&mut open.table);
        let base = Base {
            path: open.file.clone(),
            dialect,
            fingerprint: Fingerprint::of(&open.file).unwrap(),
        };
        let document = DocumentInfo {
            path: open.file.clone(),
            dialect,
        };
        open.session.saved(document, base, mark);
    }

    fn cells(table: &Table) -> Vec<String> {
        (0..table.num_rows())
            .flat_map(|row| (0..table.num_columns()).map(move |column| (row, column)))
            .map(|(row, column)| table.cell(row, column).into_owned())
            .collect()
    }

    #[test]
    fn edits_reach_the_journal_and_replay_onto_the_file() {
        let mut open = open();
        open.session.sync(&mut open.table);
        assert!(!open.session.is_on_disk(), "nothing is written while clean");
        set(&mut open.table, 0, 1, "Mumbai");
        open.session.sync(&mut open.table);
        set(&mut open.table, 1, 0, "Ravi Kumar");
        open.table
            .apply(Edit::InsertRows { at: 0, count: 1 })
            .unwrap();
        assert!(open.table.undo());
        open.session.sync(&mut open.table);

        let found = wait_for_journal(&open, Some(4)).unwrap();
        let restored = restore(found).unwrap();
        assert_eq!(cells(&restored.table), cells(&open.table));
        assert!(restored.table.is_dirty());
        assert_eq!(restored.document.path, open.file);
    }

    #[test]
    fn undoing_back_to_the_saved_state_removes_the_journal_and_redo_brings_it_back() {
        let mut open = open();
        set(&mut open.table, 0, 1, "Mumbai");
        open.session.sync(&mut open.table);
        wait_for_journal(&open, Some(1));
        assert!(open.table.undo());
        open.session.sync(&mut open.table);
        wait_for_journal(&open, None);
        assert!(open.table.redo());
        open.session.sync(&mut open.table);
        let found = wait_for_journal(&open, Some(3)).unwrap();
        assert_eq!(cells(&restore(found).unwrap().table), cells(&open.table));
    }

    #[test]
    fn after_a_save_the_journal_starts_from_the_saved_file() {
        let mut open = open();
        set(&mut open.table, 0, 1, "Mumbai");
        open.session.sync(&mut open.table);
        // An edit made while the save was being written comes after the save's mark.
        save_with(&mut open, |table| set(table, 1, 1, "Chennai"));
        open.session.sync(&mut open.table);
        let found = wait_for_journal_with(&open, Some(1), "Chennai").unwrap();
        let restored = restore(found).unwrap();
        assert_eq!(
            cells(&restored.table),
            ["Asha", "Mumbai", "Ravi", "Chennai"]
        );
    }

    #[test]
    fn an_undo_past_the_save_is_kept_by_a_copy_of_the_table() {
        let mut open = open();
        set(&mut open.table, 0, 1, "Mumbai");
        open.session.sync(&mut open.table);
        save_with(&mut open, |_| {});
        open.session.sync(&mut open.table);
        // Back to Pune: a change the saved file cannot replay, since it has no history.
        assert!(open.table.undo());
        open.session.sync(&mut open.table);
        wait_for_journal(&open, Some(0));
        set(&mut open.table, 1, 0, "Ravi Kumar");
        open.session.sync(&mut open.table);
        let found = wait_for_journal_with(&open, Some(1), "Ravi Kumar").unwrap();
        assert!(found.header.base.path.starts_with(&open.recovery));
        assert_eq!(found.header.document.path, open.file);
        let restored = restore(found).unwrap();
        assert_eq!(
            cells(&restored.table),
            ["Asha", "Pune", "Ravi Kumar", "Delhi"]
        );
    }

    #[test]
    fn discarding_removes_the_journal_until_the_next_change() {
        let mut open = open();
        set(&mut open.table, 0, 1, "Mumbai");
        open.session.sync(&mut open.table);
        wait_for_journal(&open, Some(1));
        open.session.discard();
        open.session.sync(&mut open.table);
        wait_for_journal(&open, None);
        set(&mut open.table, 1, 1, "Chennai");
        open.session.sync(&mut open.table);
        let found = wait_for_journal(&open, Some(2)).unwrap();
        assert_eq!(
            cells(&restore(found).unwrap().table),
            ["Asha", "Mumbai", "Ravi", "Chennai"]
        );
    }
}
