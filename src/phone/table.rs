//! The phone module applied to a table document: find its phone column and plan its job.

use super::{
    ColumnGuess, ColumnSpecError, NoPhoneColumn, Plan, Region, detect_column, resolve_column,
};
use crate::table::Table;

fn headers(table: &Table) -> Vec<&str> {
    (0..table.num_columns())
        .map(|col_idx| table.column_name(col_idx))
        .collect()
}

/// Finds the column of `table` most likely to hold mobile numbers.
///
/// # Errors
/// When no column is plausible.
pub fn detect_in_table(table: &Table, region: Region) -> Result<ColumnGuess, NoPhoneColumn> {
    detect_column(
        &headers(table),
        |col_idx| table.column_cells(col_idx),
        region,
    )
}

/// Turns the user's choice of column (a header name or a 1-based position) into an index.
///
/// # Errors
/// When the choice names no column of `table`, or more than one.
pub fn resolve_in_table(spec: &str, table: &Table) -> Result<usize, ColumnSpecError> {
    resolve_column(spec, &headers(table))
}

impl Plan {
    /// Plans the job for one column of `table`, named after its header.
    pub fn for_table(table: &Table, col_idx: usize, region: Region) -> Self {
        Self::from_cells(table.column_cells(col_idx), region)
            .with_column(table.column_name(col_idx))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_phone_column_of_a_table_is_found_and_planned() {
        let table = Table::from_rows(
            Some(&["Name", "Mobile No."]),
            &[
                vec!["Asha", "+91 98765 43210"],
                vec!["Ravi", "98765 43210"],
                vec!["Meena", "n/a"],
            ],
        );
        let guess = detect_in_table(&table, Region::default()).unwrap();
        assert_eq!(guess.index, 1);
        assert_eq!(resolve_in_table("mobile no.", &table).unwrap(), 1);
        assert_eq!(resolve_in_table("1", &table).unwrap(), 0);
        let plan = Plan::for_table(&table, 1, Region::default());
        assert_eq!(plan.column(), "Mobile No.");
        assert_eq!(plan.num_rows(), 3);
        assert_eq!(plan.num_duplicates(), 1);
        assert_eq!(plan.to_submit().len(), 1);
    }
}
