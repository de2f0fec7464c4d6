//! Putting answers into the table: the `Caller Name` and `Lookup Status` columns.
//!
//! Both columns go at the end, so every column the file already had keeps its position for
//! whatever reads it next; enriching the same file again reuses them. Rows are matched by their
//! cleaned number, so every row with the same number gets the same name. Each batch of answers
//! is one undo step.

use std::collections::HashMap;

use crate::enrich::outcome::Outcome;
use crate::phone::{Invalid, Number, Plan};
use crate::table::{Edit, Table, TableError};

/// The header of the column that receives names.
pub const NAME_COLUMN: &str = "Caller Name";

/// The header of the column that says what became of each row's number.
pub const STATUS_COLUMN: &str = "Lookup Status";

/// The status of a row whose number was sent and has no answer yet.
pub const PENDING: &str = "pending";

/// Columns filled from the network, whose cells are guarded against spreadsheet formulas on
/// save (a name starting with `=`, `+`, `-`, `@`, …). The user's own columns never are.
pub fn guarded_columns(table: &Table) -> Vec<usize> {
    table.find_column(NAME_COLUMN).into_iter().collect()
}

/// The positions of the two columns, with the edits that add whichever is missing.
fn columns_and_edits(table: &Table) -> ((usize, usize), Vec<Edit>) {
    let mut edits = Vec::new();
    let mut next = table.num_columns();
    let mut find_or_add = |name: &str| {
        table.find_column(name).unwrap_or_else(|| {
            edits.push(Edit::InsertColumn {
                at: next,
                name: name.to_owned(),
                cells: None,
            });
            next += 1;
            next - 1
        })
    };
    let name_col = find_or_add(NAME_COLUMN);
    let status_col = find_or_add(STATUS_COLUMN);
    ((name_col, status_col), edits)
}

/// What a row's two cells should say.
pub fn row_cells(
    row: &Result<Number, Invalid>,
    outcomes: &HashMap<String, Outcome>,
) -> (String, String) {
    match row {
        Err(invalid) => (String::new(), format!("invalid number: {invalid}")),
        Ok(number) => {
            let (name, mut status) = outcomes.get(number.national()).map_or_else(
                || (String::new(), PENDING.to_owned()),
                |outcome| (outcome.name().to_owned(), outcome.status()),
            );
            if let Some(note) = number.note() {
                status = format!("{status} ({note})");
            }
            (name, status)
        }
    }
}

/// Edits that set a row's two cells, leaving cells that already say the right thing alone.
fn set_row(
    table: &Table,
    row_idx: usize,
    (name_col, status_col): (usize, usize),
    (name, status): (String, String),
) -> impl Iterator<Item = Edit> {
    let name_edit = (table.cell(row_idx, name_col) != name.as_str()).then_some(Edit::SetCell {
        row: row_idx,
        column: name_col,
        value: name,
    });
    let status_edit =
        (table.cell(row_idx, status_col) != status.as_str()).then_some(Edit::SetCell {
            row: row_idx,
            column: status_col,
            value: status,
        });
    name_edit.into_iter().chain(status_edit)
}

/// Writes every row's name and status in one undo step (the command line's merge).
///
/// `plan` must have been made from `table` as it is now, one entry per row.
///
/// # Errors
/// When an edit cannot be applied; the table is then unchanged.
pub fn merge_all(
    table: &mut Table,
    plan: &Plan,
    outcomes: &HashMap<String, Outcome>,
) -> Result<(), TableError> {
    let (columns, mut edits) = columns_and_edits(table);
    // Cells of columns being added read as empty, which is what `set_row` compares against.
    for (row_idx, row) in plan.rows().iter().enumerate() {
        edits.extend(set_row(table, row_idx, columns, row_cells(row, outcomes)));
    }
    table.apply_group(edits)
}

/// The rows of a document that a running job fills, by lasting row id, so answers land on the
/// right rows even after the user sorts or deletes rows.
#[derive(Debug, Default)]
pub struct RowMap {
    /// Row ids by national number.
    rows_by_number: HashMap<String, Vec<u32>>,
    /// What each planned row holds: the number, or why it is invalid.
    row_plans: HashMap<u32, Result<Number, Invalid>>,
}

impl RowMap {
    /// Maps the rows of `table` as `plan` (made from it, one entry per row) read them.
    pub fn new(table: &Table, plan: &Plan) -> Self {
        let mut map = Self::default();
        for (row_idx, row) in plan.rows().iter().enumerate() {
            let Some(row_id) = table.row_id(row_idx) else {
                continue;
            };
            if let Ok(number) = row {
                map.rows_by_number
                    .entry(number.national().to_owned())
                    .or_default()
                    .push(row_id);
            }
            map.row_plans.insert(row_id, *row);
        }
        map
    }

    /// The national numbers the mapped rows hold, each once.
    pub fn numbers(&self) -> impl Iterator<Item = &str> {
        self.rows_by_number.keys().map(String::as_str)
    }

    /// Sets every planned row's cells from `outcomes` (`pending` where there is none yet), in
    /// one undo step: the state of the table as a job starts.
    ///
    /// # Errors
    /// When an edit cannot be applied; the table is then unchanged.
    pub fn fill_all(
        &self,
        table: &mut Table,
        outcomes: &HashMap<String, Outcome>,
    ) -> Result<(), TableError> {
        let (columns, mut edits) = columns_and_edits(table);
        let positions = table.row_positions();
        let mut rows: Vec<(usize, &Result<Number, Invalid>)> = self
            .row_plans
            .iter()
            .filter_map(|(row_id, row)| positions.get(row_id).map(|row_idx| (*row_idx, row)))
            .collect();
        rows.sort_unstable_by_key(|(row_idx, _)| *row_idx);
        for (row_idx, row) in rows {
            edits.extend(set_row(table, row_idx, columns, row_cells(row, outcomes)));
        }
        table.apply_group(edits)
    }

    /// Sets the rows of the numbers in `outcomes`, in one undo step. Rows deleted since the job
    /// started are skipped. Returns how many rows changed.
    ///
    /// # Errors
    /// When an edit cannot be applied; the table is then unchanged.
    pub fn fill_numbers(
        &self,
        table: &mut Table,
        outcomes: &HashMap<String, Outcome>,
    ) -> Result<usize, TableError> {
        let (columns, mut edits) = columns_and_edits(table);
        let num_column_edits = edits.len();
        let positions = table.row_positions();
        let mut rows = Vec::new();
        for number in outcomes.keys() {
            for row_id in self.rows_by_number.get(number).into_iter().flatten() {
                if let (Some(row_idx), Some(row)) =
                    (positions.get(row_id), self.row_plans.get(row_id))
                {
                    rows.push((*row_idx, row));
                }
            }
        }
        rows.sort_unstable_by_key(|(row_idx, _)| *row_idx);
        let num_rows = rows.len();
        for (row_idx, row) in rows {
            edits.extend(set_row(table, row_idx, columns, row_cells(row, outcomes)));
        }
        if edits.len() > num_column_edits {
            table.apply_group(edits)?;
        }
        Ok(num_rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enrich::outcome::Reason;
    use crate::phone::Region;

    fn table() -> Table {
        Table::from_rows(
            Some(&["Name", "Mobile"]),
            &[
                vec!["Asha", "98765 43210"],
                vec!["Ravi", "hello"],
                vec!["Asha again", "+91 98765 43210"],
                vec!["Meena", "9123456789"],
            ],
        )
    }

    fn plan(table: &Table) -> Plan {
        Plan::from_cells(table.column_cells(1), Region::default())
    }

    fn outcomes(list: &[(&str, Outcome)]) -> HashMap<String, Outcome> {
        list.iter()
            .map(|(number, outcome)| ((*number).to_owned(), outcome.clone()))
            .collect()
    }

    #[test]
    fn names_and_statuses_go_in_two_new_last_columns_in_one_step() {
        let mut table = table();
        let plan = plan(&table);
        let answers = outcomes(&[
            (
                "9876543210",
                Outcome::Found {
                    name: "=Asha Rao".into(),
                },
            ),
            ("9123456789", Outcome::NotLookedUp(Reason::CreditsExhausted)),
        ]);
        merge_all(&mut table, &plan, &answers).unwrap();

        assert_eq!(table.num_columns(), 4);
        assert_eq!(table.column_name(2), NAME_COLUMN);
        assert_eq!(table.column_name(3), STATUS_COLUMN);
        assert_eq!(table.cell(0, 2), "=Asha Rao");
        assert_eq!(table.cell(0, 3), "found");
        assert_eq!(
            table.cell(2, 2),
            "=Asha Rao",
            "the same number gets the same name"
        );
        assert!(table.cell(1, 3).starts_with("invalid number: "));
        assert_eq!(table.cell(3, 3), "not looked up: credits used up");
        assert_eq!(guarded_columns(&table), [2]);

        assert!(table.undo());
        assert_eq!(table.num_columns(), 2, "one undo removes the whole merge");
    }

    #[test]
    fn enriching_again_reuses_the_columns() {
        let mut table = table();
        let plan = plan(&table);
        merge_all(
            &mut table,
            &plan,
            &outcomes(&[("9876543210", Outcome::NotFound)]),
        )
        .unwrap();
        let plan = Plan::from_cells(table.column_cells(1), Region::default());
        merge_all(
            &mut table,
            &plan,
            &outcomes(&[(
                "9876543210",
                Outcome::Found {
                    name: "Asha".into(),
                },
            )]),
        )
        .unwrap();
        assert_eq!(table.num_columns(), 4);
        assert_eq!(table.cell(0, 2), "Asha");
        assert_eq!(table.cell(3, 3), PENDING);
    }

    #[test]
    fn answers_arriving_after_a_sort_land_on_the_right_rows() {
        let mut table = table();
        let plan = plan(&table);
        let rows = RowMap::new(&table, &plan);
        rows.fill_all(&mut table, &HashMap::new()).unwrap();
        assert_eq!(table.cell(0, 3), PENDING);

        table
            .apply(Edit::SortRows {
                column: 0,
                kind: crate::table::SortKind::Text,
                descending: true,
            })
            .unwrap();
        // Now: Ravi, Meena, Asha again, Asha.
        let changed = rows
            .fill_numbers(
                &mut table,
                &outcomes(&[(
                    "9123456789",
                    Outcome::Found {
                        name: "Meena K".into(),
                    },
                )]),
            )
            .unwrap();
        assert_eq!(changed, 1);
        assert_eq!(table.cell(1, 0), "Meena");
        assert_eq!(table.cell(1, 2), "Meena K");
        assert_eq!(table.cell(1, 3), "found");
        assert_eq!(table.cell(3, 3), PENDING);
    }
}
