//! A record of what was done to a table, in order, so the same changes can be made again.
//!
//! The desktop app journals unsaved work to a recovery file. Copying the table after every
//! change would cost as much as the file for each keystroke, so the table instead records each
//! edit, undo and redo as it happens; replaying the record on the same starting table gives the
//! same table back. Recording is off until [`Table::start_recording`] is called, so the command
//! line and the benches pay nothing for it.

use super::{Edit, Table, TableError};

/// One thing done to a table as a whole.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Action {
    /// Edits applied as one undo step.
    Edits(Vec<Edit>),
    /// The last step was undone.
    Undo,
    /// The last undone step was done again.
    Redo,
}

/// An action with its place in the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    /// Counts up from 1 with every action recorded by this table.
    pub seq: u64,
    /// The undo step the action made, undid or redid.
    pub step_id: u64,
    /// What was done.
    pub action: Action,
}

/// Where the record stood at some moment, e.g. when a save took its copy of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordMark {
    /// Actions up to this sequence number had happened.
    pub seq: u64,
    /// Undo steps from this id on did not exist yet.
    pub first_new_step: u64,
}

impl RecordMark {
    /// Whether `recorded` happened after this mark and can be replayed on a table that was
    /// saved at the mark and read back: an undo or redo of a step from before the mark cannot,
    /// since a table read from a file has no history.
    pub fn can_replay_after(&self, recorded: &Recorded) -> bool {
        match recorded.action {
            Action::Edits(_) => true,
            Action::Undo | Action::Redo => recorded.step_id >= self.first_new_step,
        }
    }
}

/// The table's side of recording: whether it is on and what was recorded since last taken.
#[derive(Clone, Debug, Default)]
pub(crate) struct Recorder {
    is_on: bool,
    last_seq: u64,
    outbox: Vec<Recorded>,
}

impl Recorder {
    pub(crate) fn is_on(&self) -> bool {
        self.is_on
    }

    pub(crate) fn push(&mut self, step_id: u64, action: Action) {
        if self.is_on {
            self.last_seq += 1;
            self.outbox.push(Recorded {
                seq: self.last_seq,
                step_id,
                action,
            });
        }
    }
}

impl Table {
    /// Starts recording every edit, undo and redo from now on.
    pub fn start_recording(&mut self) {
        self.recorder.is_on = true;
    }

    /// The actions recorded since the last call, oldest first.
    pub fn take_recorded(&mut self) -> Vec<Recorded> {
        std::mem::take(&mut self.recorder.outbox)
    }

    /// Where the record stands now.
    pub fn record_mark(&self) -> RecordMark {
        RecordMark {
            seq: self.recorder.last_seq,
            first_new_step: self.next_step_id,
        }
    }

    /// Does a recorded action again.
    ///
    /// # Errors
    /// An edit that does not fit this table, or an undo or redo with nothing to undo or redo:
    /// the record was made on another table.
    pub fn replay(&mut self, action: &Action) -> Result<(), TableError> {
        let is_done = match action {
            Action::Edits(edits) => return self.apply_group(edits.clone()),
            Action::Undo => self.undo(),
            Action::Redo => self.redo(),
        };
        if is_done {
            Ok(())
        } else {
            Err(TableError::NoHistory)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::SortKind;

    fn table() -> Table {
        Table::from_rows(
            Some(&["Name", "Phone"]),
            &[vec!["Asha", "98"], vec!["Ravi", "97"], vec!["Meena", "96"]],
        )
    }

    fn cells(table: &Table) -> Vec<Vec<String>> {
        (0..table.num_rows())
            .map(|row| {
                (0..table.num_columns())
                    .map(|column| table.cell(row, column).into_owned())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn nothing_is_recorded_until_recording_starts() {
        let mut table = table();
        table
            .apply(Edit::SetCell {
                row: 0,
                column: 0,
                value: "A".into(),
            })
            .unwrap();
        assert!(table.take_recorded().is_empty());
    }

    #[test]
    fn replaying_the_record_on_the_same_start_gives_the_same_table() {
        let mut live = table();
        live.start_recording();
        live.apply(Edit::SetCell {
            row: 1,
            column: 1,
            value: "9876543210".into(),
        })
        .unwrap();
        live.apply(Edit::SortRows {
            column: 0,
            kind: SortKind::Text,
            descending: false,
        })
        .unwrap();
        live.apply(Edit::InsertRows { at: 0, count: 2 }).unwrap();
        assert!(live.undo());
        assert!(live.undo());
        assert!(live.redo());
        live.apply(Edit::DeleteRows { rows: vec![2] }).unwrap();
        live.append_column("Caller Name");

        let record = live.take_recorded();
        assert_eq!(record.len(), 8);
        assert_eq!(
            record.iter().map(|r| r.seq).collect::<Vec<_>>(),
            (1..=8).collect::<Vec<_>>()
        );
        assert_eq!(record[3].action, Action::Undo);
        assert_eq!(record[3].step_id, 3, "the undo names the step it undid");

        let mut again = table();
        for recorded in &record {
            again.replay(&recorded.action).unwrap();
        }
        assert_eq!(cells(&again), cells(&live));
        assert_eq!(again.column_name(2), "Caller Name");
        assert!(live.take_recorded().is_empty(), "taken once");
    }

    #[test]
    fn a_record_longer_than_the_undo_history_replays_the_same() {
        let mut live = table();
        live.start_recording();
        for n in 0..crate::table::MAX_UNDO_STEPS + 10 {
            live.apply(Edit::SetCell {
                row: n % 3,
                column: 0,
                value: n.to_string(),
            })
            .unwrap();
        }
        while live.undo() {}
        assert!(live.redo());

        let mut again = table();
        for recorded in &live.take_recorded() {
            again.replay(&recorded.action).unwrap();
        }
        assert_eq!(cells(&again), cells(&live));
        assert!(again.is_dirty() && live.is_dirty());
        let undo_all =
            |table: &mut Table| std::iter::from_fn(|| table.undo().then_some(())).count();
        assert_eq!(undo_all(&mut again), undo_all(&mut live));
        assert_eq!(cells(&again), cells(&live));
    }

    #[test]
    fn a_mark_tells_which_actions_a_saved_copy_can_replay() {
        let mut live = table();
        live.start_recording();
        live.apply(Edit::SetCell {
            row: 0,
            column: 0,
            value: "A".into(),
        })
        .unwrap();
        let mark = live.record_mark();
        live.apply(Edit::SetCell {
            row: 0,
            column: 0,
            value: "B".into(),
        })
        .unwrap();
        assert!(live.undo());
        assert!(live.undo());
        let record = live.take_recorded();
        let after: Vec<_> = record.iter().filter(|r| r.seq > mark.seq).collect();
        assert_eq!(after.len(), 3);
        assert!(mark.can_replay_after(after[0]));
        assert!(
            mark.can_replay_after(after[1]),
            "undoes a step made after the mark"
        );
        assert!(
            !mark.can_replay_after(after[2]),
            "undoes a step from before it"
        );
    }

    #[test]
    fn replaying_an_undo_with_no_history_fails() {
        let mut table = table();
        assert_eq!(table.replay(&Action::Undo), Err(TableError::NoHistory));
        assert_eq!(table.replay(&Action::Redo), Err(TableError::NoHistory));
    }
}
