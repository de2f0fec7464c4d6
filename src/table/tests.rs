//! Tests of the table document: reading cells, every edit kind with undo, redo and the dirty
//! flag.

use std::path::Path;

use super::*;
use crate::csv_io::{Dialect, LineEnding, load_bytes};

/// Everything a user sees: column names and every cell, padded to the full width.
fn snapshot(table: &Table) -> (Vec<String>, Vec<Vec<String>>) {
    let names = (0..table.num_columns())
        .map(|col| table.column_name(col).to_owned())
        .collect();
    let rows = (0..table.num_rows())
        .map(|row| {
            (0..table.num_columns())
                .map(|col| table.cell(row, col).into_owned())
                .collect()
        })
        .collect();
    (names, rows)
}

fn load(text: &str) -> Table {
    let dialect = Dialect {
        line_ending: LineEnding::Lf,
        ..Dialect::default()
    };
    load_bytes(text.as_bytes(), &dialect, Path::new("t.csv"))
        .unwrap()
        .table
}

fn sample() -> Table {
    load("Name,Phone,City\nRavi,9123456789,Pune\nasha,09876543210\n\"Iyer, K\",,Chennai,extra\n")
}

/// Applies `edit`, checks it changed what the user sees, then that undo and redo move between
/// the two states and the dirty flag follows.
fn check_undo_redo(mut table: Table, edit: Edit) -> Table {
    let before = snapshot(&table);
    assert!(!table.is_dirty());
    table.apply(edit).unwrap();
    let after = snapshot(&table);
    assert_ne!(before, after, "the edit changed nothing");
    assert!(table.is_dirty() && table.can_undo() && !table.can_redo());
    assert!(table.undo());
    assert_eq!(snapshot(&table), before);
    assert!(!table.is_dirty() && table.can_redo() && !table.can_undo());
    assert!(table.redo());
    assert_eq!(snapshot(&table), after);
    assert!(table.is_dirty());
    table
}

#[test]
fn reads_cells_names_and_ragged_rows() {
    let table = sample();
    assert_eq!(table.num_rows(), 3);
    assert_eq!(table.num_columns(), 4);
    assert!(table.has_header());
    assert_eq!(table.column_name(1), "Phone");
    assert_eq!(table.column_name(3), "Column 4");
    assert_eq!(table.column_name(9), "");
    assert_eq!(table.cell(1, 1), "09876543210");
    assert_eq!(table.cell(1, 2), "");
    assert_eq!(table.cell(2, 0), "Iyer, K");
    assert_eq!(table.cell(2, 3), "extra");
    assert_eq!(table.cell(7, 0), "");
    assert_eq!(table.row_len(0), 3);
    assert_eq!(table.row_len(1), 2);
    assert_eq!(table.row_len(2), 4);
    let phones: Vec<_> = table.column_cells(1).collect();
    assert_eq!(phones, ["9123456789", "09876543210", ""]);
    assert_eq!(table.column_cells(9).count(), 3);
}

#[test]
fn find_column_ignores_case() {
    let table = sample();
    assert_eq!(table.find_column("phone"), Some(1));
    assert_eq!(table.find_column("CITY"), Some(2));
    assert_eq!(table.find_column("Mobile"), None);
}

#[test]
fn set_cell() {
    let table = check_undo_redo(
        sample(),
        Edit::SetCell {
            row: 1,
            column: 0,
            value: "Asha".into(),
        },
    );
    assert_eq!(table.cell(1, 0), "Asha");
}

#[test]
fn set_cell_past_a_short_row() {
    let table = check_undo_redo(
        sample(),
        Edit::SetCell {
            row: 1,
            column: 3,
            value: "x".into(),
        },
    );
    assert_eq!(table.row_len(1), 4);
    assert_eq!(table.cell(1, 2), "");
}

#[test]
fn insert_rows() {
    let table = check_undo_redo(sample(), Edit::InsertRows { at: 1, count: 2 });
    assert_eq!(table.num_rows(), 5);
    assert_eq!(table.cell(0, 0), "Ravi");
    assert_eq!(table.cell(1, 0), "");
    assert_eq!(table.row_len(1), 0);
    assert_eq!(table.cell(3, 0), "asha");
    let table = check_undo_redo(sample(), Edit::InsertRows { at: 3, count: 1 });
    assert_eq!(table.num_rows(), 4);
}

#[test]
fn delete_rows_in_any_order_with_repeats() {
    let table = check_undo_redo(
        sample(),
        Edit::DeleteRows {
            rows: vec![2, 0, 2],
        },
    );
    assert_eq!(table.num_rows(), 1);
    assert_eq!(table.cell(0, 0), "asha");
}

#[test]
fn insert_column_empty_and_filled() {
    let table = check_undo_redo(
        sample(),
        Edit::InsertColumn {
            at: 1,
            name: "Note".into(),
            cells: None,
        },
    );
    assert_eq!(table.column_name(1), "Note");
    assert_eq!(table.column_name(2), "Phone");
    assert_eq!(table.cell(0, 2), "9123456789");
    let table = check_undo_redo(
        sample(),
        Edit::InsertColumn {
            at: 4,
            name: "Caller Name".into(),
            cells: Some(vec!["R".into(), "A".into(), "K".into()]),
        },
    );
    assert_eq!(table.cell(2, 4), "K");
    assert_eq!(table.find_column("caller name"), Some(4));
}

#[test]
fn delete_column() {
    let table = check_undo_redo(sample(), Edit::DeleteColumn { column: 0 });
    assert_eq!(table.column_name(0), "Phone");
    assert_eq!(table.num_columns(), 3);
}

#[test]
fn rename_column() {
    let table = check_undo_redo(
        sample(),
        Edit::RenameColumn {
            column: 1,
            name: "Mobile".into(),
        },
    );
    assert_eq!(table.column_name(1), "Mobile");
    assert_eq!(table.find_column("mobile"), Some(1));
}

#[test]
fn sort_text_natural_and_descending() {
    let rows = [
        vec!["item10", "b"],
        vec!["Item9", "a"],
        vec!["", "c"],
        vec!["item9", "d"],
    ];
    let table = Table::from_rows(Some(&["key", "tag"]), &rows);
    let tags = |table: &Table| table.column_cells(1).collect::<Vec<_>>().join("");
    let sorted = check_undo_redo(
        table.clone(),
        Edit::SortRows {
            column: 0,
            kind: SortKind::Text,
            descending: false,
        },
    );
    // Case is ignored, equal keys keep their order, blanks go last.
    assert_eq!(tags(&sorted), "badc");
    let sorted = check_undo_redo(
        table.clone(),
        Edit::SortRows {
            column: 0,
            kind: SortKind::Natural,
            descending: false,
        },
    );
    assert_eq!(tags(&sorted), "adbc");
    let sorted = check_undo_redo(
        table,
        Edit::SortRows {
            column: 0,
            kind: SortKind::Natural,
            descending: true,
        },
    );
    assert_eq!(tags(&sorted), "badc");
}

#[test]
fn append_column_is_one_undo_step() {
    let mut table = sample();
    let at = table.append_column("Caller Name");
    assert_eq!(at, 4);
    assert_eq!(table.column_name(4), "Caller Name");
    assert!(table.is_dirty());
    assert!(table.undo());
    assert_eq!(table.num_columns(), 4);
    assert!(!table.is_dirty());
}

#[test]
fn group_is_one_step_and_rolls_back_on_error() {
    let mut table = sample();
    let before = snapshot(&table);
    let paste = vec![
        Edit::SetCell {
            row: 0,
            column: 0,
            value: "x".into(),
        },
        Edit::SetCell {
            row: 1,
            column: 0,
            value: "y".into(),
        },
    ];
    table.apply_group(paste).unwrap();
    assert_eq!(table.cell(1, 0), "y");
    assert!(table.undo());
    assert_eq!(snapshot(&table), before);
    assert!(!table.can_undo());

    let bad = vec![
        Edit::InsertRows { at: 0, count: 1 },
        Edit::SetCell {
            row: 99,
            column: 0,
            value: "x".into(),
        },
    ];
    let err = table.apply_group(bad).unwrap_err();
    assert_eq!(
        err,
        TableError::RowOutOfRange {
            row: 99,
            num_rows: 4
        }
    );
    assert_eq!(snapshot(&table), before);
    assert!(
        table.can_redo(),
        "a failed group must not clear the redo history"
    );
}

#[test]
fn out_of_range_edits_are_refused() {
    let mut table = sample();
    let edits = [
        Edit::SetCell {
            row: 0,
            column: 4,
            value: String::new(),
        },
        Edit::InsertRows { at: 4, count: 1 },
        Edit::DeleteRows { rows: vec![3] },
        Edit::InsertColumn {
            at: 5,
            name: String::new(),
            cells: None,
        },
        Edit::InsertColumn {
            at: 0,
            name: String::new(),
            cells: Some(vec![String::new()]),
        },
        Edit::DeleteColumn { column: 4 },
        Edit::RenameColumn {
            column: 4,
            name: String::new(),
        },
        Edit::SortRows {
            column: 4,
            kind: SortKind::Text,
            descending: false,
        },
    ];
    for edit in edits {
        assert!(table.apply(edit.clone()).is_err(), "{edit:?} was accepted");
    }
    assert!(!table.is_dirty() && !table.can_undo());
}

#[test]
fn error_messages_count_from_one() {
    let err = TableError::RowOutOfRange {
        row: 4,
        num_rows: 3,
    };
    assert_eq!(
        err.to_string(),
        "Row 5 does not exist; the table has 3 rows."
    );
}

#[test]
fn dirty_follows_saves_undo_and_new_edits() {
    let mut table = sample();
    let set = |value: &str| Edit::SetCell {
        row: 0,
        column: 0,
        value: value.into(),
    };
    table.apply(set("a")).unwrap();
    table.mark_saved();
    assert!(!table.is_dirty());
    table.apply(set("b")).unwrap();
    assert!(table.is_dirty());
    assert!(table.undo());
    assert!(!table.is_dirty(), "undo back to the saved state is clean");
    assert!(table.undo());
    assert!(table.is_dirty(), "undo past the saved state is dirty");
    assert!(table.redo());
    assert!(!table.is_dirty());
    // A new edit after undo drops the redo history; the saved state is then unreachable.
    assert!(table.undo());
    table.apply(set("c")).unwrap();
    assert!(!table.can_redo());
    assert!(table.is_dirty());
    assert!(!table.redo());
}

#[test]
fn headerless_tables_keep_names_of_added_columns() {
    let dialect = Dialect {
        has_header: false,
        ..Dialect::default()
    };
    let mut table = load_bytes(b"9876543210\n9123456789\n", &dialect, Path::new("t.csv"))
        .unwrap()
        .table;
    assert!(!table.has_header());
    assert_eq!(table.column_name(0), "Column 1");
    let at = table.append_column("Caller Name");
    assert_eq!(table.column_name(at), "Caller Name");
    assert_eq!(table.num_rows(), 2);
    table.apply(Edit::InsertRows { at: 2, count: 1 }).unwrap();
    table
        .apply(Edit::SetCell {
            row: 2,
            column: at,
            value: "New".into(),
        })
        .unwrap();
    assert_eq!(table.cell(2, at), "New");
    assert_eq!(table.cell(2, 0), "");
}

#[test]
fn from_rows_builds_a_table() {
    let table = Table::from_rows(Some(&["a", "b"]), &[vec!["1"], vec!["2", "3", "4"]]);
    assert_eq!(table.num_columns(), 3);
    assert_eq!(table.column_name(2), "Column 3");
    assert_eq!(table.row_len(0), 1);
    assert_eq!(table.cell(1, 2), "4");
    let headerless = Table::from_rows(None, &[vec!["x"]]);
    assert!(!headerless.has_header());
    assert_eq!(headerless.column_name(0), "Column 1");
}

#[test]
fn heap_size_counts_the_text_and_tables() {
    let table = sample();
    assert!(table.heap_size() >= 80, "{}", table.heap_size());
    let mut grown = table.clone();
    let before = grown.heap_size();
    grown
        .apply(Edit::SetCell {
            row: 0,
            column: 0,
            value: "x".repeat(1000),
        })
        .unwrap();
    assert!(grown.heap_size() >= before + 1000);
}

fn set(row: usize, value: String) -> Edit {
    Edit::SetCell {
        row,
        column: 0,
        value,
    }
}

#[test]
fn the_oldest_steps_are_forgotten_past_the_limit_and_the_table_stays_dirty() {
    let mut table = sample();
    let num_edits = MAX_UNDO_STEPS + 5;
    for n in 1..=num_edits {
        table.apply(set(0, n.to_string())).unwrap();
    }
    let mut num_undone = 0;
    while table.undo() {
        num_undone += 1;
    }
    assert_eq!(num_undone, MAX_UNDO_STEPS);
    // The five forgotten edits stay made: the table is not what was read.
    assert_eq!(table.cell(0, 0), "5");
    assert!(table.is_dirty());
    table.mark_saved();
    assert!(!table.is_dirty());
    assert!(table.redo());
    assert!(table.is_dirty());
    assert!(table.undo());
    assert!(!table.is_dirty(), "undoing back to the save is clean");
}

#[test]
fn a_history_over_its_weight_forgets_its_oldest_steps_but_keeps_the_latest() {
    let mut table = sample();
    let big_group = |value: &str| {
        (0..=MAX_UNDO_WEIGHT / 2)
            .map(|n| set(n % 3, format!("{value}{}", n % 3)))
            .collect::<Vec<_>>()
    };
    table.apply(set(1, "small".to_owned())).unwrap();
    table.apply_group(big_group("a")).unwrap();
    assert_eq!(table.undo_stack.len(), 2);
    table.apply_group(big_group("b")).unwrap();
    // Two big groups are over the limit: the small edit and the first group are forgotten.
    assert_eq!(table.undo_stack.len(), 1);
    assert!(table.history_weight <= MAX_UNDO_WEIGHT);
    assert!(table.undo());
    assert!(!table.can_undo());
    assert_eq!(table.cell(0, 0), "a0");
    assert_eq!(table.cell(1, 0), "a1");
    assert!(table.is_dirty());

    // A single step over the limit is still kept, so the last action can always be undone.
    let mut huge = big_group("c");
    huge.extend(big_group("d"));
    table.apply_group(huge).unwrap();
    assert_eq!(table.undo_stack.len(), 1);
    assert!(table.undo());
    assert_eq!(table.cell(0, 0), "a0");
}
