//! What can go wrong when an edit is applied to a table.
//!
//! Edits come from the user (through the UI) and from merging results, so a bad index is a bug
//! somewhere upstream rather than a user mistake; the messages still read plainly because they may
//! end up on screen.

use thiserror::Error;

/// An edit that cannot be applied; the table is left as it was.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum TableError {
    /// The edit names a row past the end of the table.
    #[error("Row {} does not exist; the table has {num_rows} rows.", row + 1)]
    RowOutOfRange {
        /// The zero-based row index the edit asked for.
        row: usize,
        /// How many rows the table has.
        num_rows: usize,
    },
    /// The edit names a column past the last one.
    #[error("Column {} does not exist; the table has {num_columns} columns.", column + 1)]
    ColumnOutOfRange {
        /// The zero-based column index the edit asked for.
        column: usize,
        /// How many columns the table has.
        num_columns: usize,
    },
    /// A new column came with a different number of cells than the table has rows.
    #[error("The new column has {given} cells but the table has {num_rows} rows.")]
    CellCountMismatch {
        /// How many cells were given.
        given: usize,
        /// How many rows the table has.
        num_rows: usize,
    },
    /// The table cannot hold more rows or columns.
    #[error("The table cannot grow past {limit} rows or columns.")]
    TooLarge {
        /// The largest number of rows or columns a table can hold.
        limit: usize,
    },
    /// A recorded undo or redo found nothing to undo or redo, so the record belongs to another
    /// table.
    #[error("The recorded changes do not fit this table.")]
    NoHistory,
}
