//! Which state a table is in, and which row is which across sorts and deletions.
//!
//! A save runs in the background on a snapshot; when it ends, the document is clean only if
//! nothing changed meanwhile, so saves remember the [`Table::generation`] they wrote. Lookup
//! results arrive while the user may sort or delete rows, so they are matched to rows by
//! [`Table::row_id`], which never changes, rather than by position.

use std::collections::HashMap;

use super::Table;

impl Table {
    /// An id of the table's current content: it changes with every edit, undo and redo, and
    /// comes back when an undo or redo returns to an earlier state.
    pub fn generation(&self) -> u64 {
        self.current_step_id()
    }

    /// Records that the table as it was at `generation` has been saved; the table stays dirty
    /// if it changed since.
    pub fn mark_saved_at(&mut self, generation: u64) {
        self.saved_step_id = generation;
    }

    /// The lasting id of the row now at `row_idx`.
    pub fn row_id(&self, row_idx: usize) -> Option<u32> {
        self.order.get(row_idx).copied()
    }

    /// Where each row id is now.
    pub fn row_positions(&self) -> HashMap<u32, usize> {
        self.order
            .iter()
            .enumerate()
            .map(|(row_idx, row_id)| (*row_id, row_idx))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::table::{Edit, SortKind, Table};

    fn table() -> Table {
        Table::from_rows(Some(&["name"]), &[vec!["b"], vec!["a"], vec!["c"]])
    }

    #[test]
    fn row_ids_follow_rows_through_a_sort() {
        let mut table = table();
        let id_of_a = table.row_id(1).unwrap();
        table
            .apply(Edit::SortRows {
                column: 0,
                kind: SortKind::Text,
                descending: false,
            })
            .unwrap();
        assert_eq!(table.row_positions()[&id_of_a], 0);
        assert_eq!(table.cell(0, 0), "a");
        assert_eq!(table.row_id(3), None);
    }

    #[test]
    fn a_save_of_an_older_state_leaves_later_edits_unsaved() {
        let mut table = table();
        let start = table.generation();
        table
            .apply(Edit::SetCell {
                row: 0,
                column: 0,
                value: "x".into(),
            })
            .unwrap();
        let saved = table.generation();
        assert_ne!(saved, start);
        table
            .apply(Edit::SetCell {
                row: 1,
                column: 0,
                value: "y".into(),
            })
            .unwrap();
        table.mark_saved_at(saved);
        assert!(table.is_dirty());
        assert!(table.undo());
        assert!(
            !table.is_dirty(),
            "undoing the unsaved edit returns to the saved state"
        );
    }
}
