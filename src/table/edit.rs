//! Edits to a table, described as data.
//!
//! The UI, find/replace and the merging of lookup results all change the table by building
//! [`Edit`] values, so every change goes through one place that records how to undo it.

/// How a sort compares the cells of the chosen column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SortKind {
    /// Alphabetical, ignoring case: `item10` comes before `item9`.
    Text,
    /// Runs of digits compare as numbers: `item9` comes before `item10`, `007` equals `7`.
    Natural,
}

/// One change to a table. Indices are positions as the user sees them, starting at zero.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Edit {
    /// Put `value` in one cell. A cell past the end of a short row can be set; the row is then
    /// written with empty cells up to it.
    SetCell {
        /// The row, zero-based.
        row: usize,
        /// The column, zero-based.
        column: usize,
        /// The new text of the cell.
        value: String,
    },
    /// Insert `count` empty rows so that the first of them is at position `at`
    /// (`at == num_rows()` appends).
    InsertRows {
        /// Where the first new row goes.
        at: usize,
        /// How many rows to insert.
        count: usize,
    },
    /// Delete the rows at these positions (in any order; repeats are ignored).
    DeleteRows {
        /// The positions of the rows to delete.
        rows: Vec<usize>,
    },
    /// Insert a column named `name` at position `at` (`at == num_columns()` appends), empty or
    /// filled with one cell per row.
    InsertColumn {
        /// Where the new column goes.
        at: usize,
        /// The header of the new column.
        name: String,
        /// The cells of the new column, one per row, or `None` for an empty column.
        cells: Option<Vec<String>>,
    },
    /// Delete one column.
    DeleteColumn {
        /// The column to delete.
        column: usize,
    },
    /// Give a column a new header.
    RenameColumn {
        /// The column to rename.
        column: usize,
        /// Its new header.
        name: String,
    },
    /// Reorder the rows by the cells of one column. Rows with equal cells keep their order, and
    /// rows whose cell is blank go last in either direction.
    SortRows {
        /// The column to sort by.
        column: usize,
        /// How cells are compared.
        kind: SortKind,
        /// Largest first instead of smallest first.
        descending: bool,
    },
}
