//! The selected cells: one cell, or a rectangle between an anchor and the cursor.
//!
//! Cells are kept in table coordinates, so a selection stays on the same rows when the quick
//! filter changes. The rectangle is measured in screen positions, so a range selected while a
//! filter is on covers only the rows the user can see.

use std::ops::RangeInclusive;

use super::row_filter::VisibleRows;

/// One cell, by table row and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CellPos {
    /// The row, zero-based, in table order.
    pub row: usize,
    /// The column, zero-based.
    pub column: usize,
}

/// The selected rectangle: where it started and where the cursor is now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Selection {
    /// The cell the selection started from (stays put while Shift extends it).
    pub anchor: CellPos,
    /// The current cell: arrows move it, typing edits it.
    pub cursor: CellPos,
}

impl Selection {
    /// A selection of one cell.
    pub fn single(cell: CellPos) -> Self {
        Self {
            anchor: cell,
            cursor: cell,
        }
    }

    /// Moves the cursor, keeping the anchor when `extend` is set.
    pub fn move_to(&mut self, cell: CellPos, extend: bool) {
        self.cursor = cell;
        if !extend {
            self.anchor = cell;
        }
    }

    /// The selected columns.
    pub fn columns(&self) -> RangeInclusive<usize> {
        let (a, b) = (self.anchor.column, self.cursor.column);
        a.min(b)..=a.max(b)
    }

    /// The selected screen positions.
    pub fn positions(&self, rows: &VisibleRows) -> RangeInclusive<usize> {
        let (a, b) = (
            rows.position_of(self.anchor.row),
            rows.position_of(self.cursor.row),
        );
        a.min(b)..=a.max(b)
    }

    /// The selected table rows that are shown, in order.
    pub fn table_rows(&self, rows: &VisibleRows) -> Vec<usize> {
        if rows.is_empty() {
            return Vec::new();
        }
        self.positions(rows)
            .filter_map(|position| rows.table_row(position))
            .collect()
    }

    /// Keeps the selection inside a table of this size; `None` when the table has no cells.
    pub fn clamped(self, num_rows: usize, num_columns: usize) -> Option<Self> {
        if num_rows == 0 || num_columns == 0 {
            return None;
        }
        let clamp = |cell: CellPos| CellPos {
            row: cell.row.min(num_rows - 1),
            column: cell.column.min(num_columns - 1),
        };
        Some(Self {
            anchor: clamp(self.anchor),
            cursor: clamp(self.cursor),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(row: usize, column: usize) -> CellPos {
        CellPos { row, column }
    }

    #[test]
    fn extending_keeps_the_anchor() {
        let mut selection = Selection::single(cell(3, 2));
        selection.move_to(cell(1, 0), true);
        assert_eq!(selection.anchor, cell(3, 2));
        assert_eq!(selection.columns(), 0..=2);
        assert_eq!(selection.positions(&VisibleRows::all(5)), 1..=3);
        selection.move_to(cell(4, 4), false);
        assert_eq!(selection, Selection::single(cell(4, 4)));
    }

    #[test]
    fn clamping_follows_a_shrunken_table() {
        let selection = Selection {
            anchor: cell(0, 0),
            cursor: cell(9, 9),
        };
        let clamped = selection.clamped(3, 2).unwrap();
        assert_eq!(clamped.cursor, cell(2, 1));
        assert_eq!(selection.clamped(0, 2), None);
    }
}
