//! Which rows the grid shows: all of them, or those passing the quick filter and status filter.
//!
//! Hiding rows is only a view: the table keeps every row and saving writes them all. The list of
//! shown rows is worked out again only when what it depends on changes (the filter text, the
//! status filter, or the table as counted by the view's change counter), never every frame.

use crate::table::{LineRef, Table};

use super::matcher::Matcher;
use crate::enrich::outcome::StatusKind;

/// The rows on screen, in table order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct VisibleRows {
    /// The shown rows' positions in the table, ascending; `None` when every row is shown, so an
    /// unfiltered million-row table costs no list.
    filtered: Option<Vec<usize>>,
    /// How many rows the table has.
    num_rows: usize,
}

impl VisibleRows {
    /// Every row of a table with `num_rows` rows.
    pub fn all(num_rows: usize) -> Self {
        Self {
            filtered: None,
            num_rows,
        }
    }

    /// How many rows are shown.
    pub fn len(&self) -> usize {
        self.filtered.as_ref().map_or(self.num_rows, Vec::len)
    }

    /// Whether no row is shown.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether some rows are hidden.
    pub fn is_filtered(&self) -> bool {
        self.filtered.is_some()
    }

    /// The table row shown at screen position `position`.
    pub fn table_row(&self, position: usize) -> Option<usize> {
        match &self.filtered {
            None => (position < self.num_rows).then_some(position),
            Some(rows) => rows.get(position).copied(),
        }
    }

    /// The screen position of table row `row`, or of the first shown row after it when it is
    /// hidden (clamped to the last shown row).
    pub fn position_of(&self, row: usize) -> usize {
        let position = match &self.filtered {
            None => row,
            Some(rows) => rows.binary_search(&row).unwrap_or_else(|next| next),
        };
        position.min(self.len().saturating_sub(1))
    }
}

/// Everything the shown rows depend on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FilterKey {
    /// The view's count of table changes.
    pub generation: u64,
    /// The table's size, so a change the view was not told about still refreshes the list.
    pub num_rows: usize,
    /// How many columns the table has.
    pub num_columns: usize,
    /// The quick filter text.
    pub text: String,
    /// The `Lookup Status` column.
    pub status_column: Option<usize>,
    /// The status whose rows alone are shown.
    pub status: Option<StatusKind>,
}

/// The shown rows and the key they were computed for.
#[derive(Debug, Default)]
pub(crate) struct RowFilter {
    key: Option<FilterKey>,
    visible: VisibleRows,
}

impl RowFilter {
    /// The shown rows for `key`, computed again only if the key differs from the last one.
    pub fn visible(&mut self, table: &Table, key: FilterKey) -> &VisibleRows {
        if self.key.as_ref() != Some(&key) {
            self.visible = compute(table, &key);
            self.key = Some(key);
        }
        &self.visible
    }

    /// The rows computed last, without checking whether they are still current.
    pub fn last(&self) -> &VisibleRows {
        &self.visible
    }

    /// Forgets the computed rows, so the next call to [`Self::visible`] computes them.
    pub fn invalidate(&mut self) {
        self.key = None;
    }
}

/// Works out the shown rows.
fn compute(table: &Table, key: &FilterKey) -> VisibleRows {
    let num_rows = table.num_rows();
    let needle = key.text.trim();
    let matcher = Matcher::new(needle, false);
    let status = key.status_column.zip(key.status);
    if matcher.is_none() && status.is_none() {
        return VisibleRows::all(num_rows);
    }
    let num_columns = table.num_columns();
    // A row still exactly as read can be searched as one line of the file instead of cell by
    // cell: when the text holds no delimiter, quote or line break, it is inside some cell's
    // value exactly when it is inside the line.
    let delimiter = char::from(table.raw_delimiter());
    let whole_lines = !needle.contains(['"', '\r', '\n', delimiter]);
    let rows = (0..num_rows)
        .filter(|&row| {
            status
                .is_none_or(|(column, kind)| StatusKind::of(&table.cell(row, column)) == Some(kind))
                && matcher.as_ref().is_none_or(|matcher| {
                    match whole_lines
                        .then(|| table.untouched_line(LineRef::Data(row)))
                        .flatten()
                    {
                        Some(line) => matcher.is_match(line),
                        None => (0..num_columns)
                            .any(|column| matcher.is_match(&table.cell(row, column))),
                    }
                })
        })
        .collect();
    VisibleRows {
        filtered: Some(rows),
        num_rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table::from_rows(
            Some(&["Name", "Lookup Status"]),
            &[
                vec!["Asha", "found"],
                vec!["Ravi", "not found"],
                vec!["asha k", "found"],
                vec!["Meena", "pending"],
            ],
        )
    }

    fn key(text: &str, status: Option<StatusKind>) -> FilterKey {
        FilterKey {
            generation: 0,
            num_rows: 4,
            num_columns: 2,
            text: text.to_owned(),
            status_column: Some(1),
            status,
        }
    }

    #[test]
    fn no_filter_shows_every_row_without_a_list() {
        let visible = compute(&table(), &key("  ", None));
        assert!(!visible.is_filtered());
        assert_eq!(visible.len(), 4);
        assert_eq!(visible.table_row(3), Some(3));
        assert_eq!(visible.table_row(4), None);
    }

    #[test]
    fn text_filter_ignores_case_and_looks_in_every_column() {
        let visible = compute(&table(), &key("ASHA", None));
        assert_eq!(visible.filtered, Some(vec![0, 2]));
        let visible = compute(&table(), &key("pend", None));
        assert_eq!(visible.filtered, Some(vec![3]));
    }

    #[test]
    fn status_filter_combines_with_text() {
        let visible = compute(&table(), &key("", Some(StatusKind::Found)));
        assert_eq!(visible.filtered, Some(vec![0, 2]));
        let visible = compute(&table(), &key("k", Some(StatusKind::Found)));
        assert_eq!(visible.filtered, Some(vec![2]));
    }

    #[test]
    fn positions_of_hidden_rows_go_to_the_next_shown_one() {
        let visible = compute(&table(), &key("asha", None));
        assert_eq!(visible.position_of(0), 0);
        assert_eq!(visible.position_of(1), 1);
        assert_eq!(visible.position_of(3), 1);
    }

    #[test]
    fn rows_as_read_match_like_their_cells() {
        let csv = "Name,Note\nx,\"a,b\"\ny,z\nSay \"\"hi\"\",w\nq,\"say \"\"HI\"\"\"\n";
        let loaded = crate::csv_io::load_bytes(
            csv.as_bytes(),
            &crate::csv_io::Dialect::default(),
            std::path::Path::new("test.csv"),
        )
        .unwrap();
        let mut table = loaded.table;
        let rows = |table: &Table, text: &str| {
            let key = FilterKey {
                generation: 0,
                num_rows: table.num_rows(),
                num_columns: table.num_columns(),
                text: text.to_owned(),
                status_column: None,
                status: None,
            };
            compute(table, &key).filtered.unwrap()
        };
        // Inside a quoted cell, delimiter and all.
        assert_eq!(rows(&table, "a,b"), [0]);
        // Across two cells is not a match, though the line reads "y,z".
        assert_eq!(rows(&table, "y,z"), Vec::<usize>::new());
        // Quotes are matched as the cell shows them, not as the file writes them.
        assert_eq!(rows(&table, "\"hi\""), [2, 3]);
        assert_eq!(rows(&table, "hi"), [2, 3]);
        // An edited row is searched by its new cells.
        table
            .apply(crate::table::Edit::SetCell {
                row: 1,
                column: 1,
                value: "hi there".to_owned(),
            })
            .unwrap();
        assert_eq!(rows(&table, "hi"), [1, 2, 3]);
        assert_eq!(rows(&table, "z"), Vec::<usize>::new());
    }

    #[test]
    fn cache_is_reused_until_the_key_changes() {
        let mut table = table();
        let mut filter = RowFilter::default();
        assert_eq!(filter.visible(&table, key("asha", None)).len(), 2);
        let _ = table.apply(crate::table::Edit::SetCell {
            row: 1,
            column: 0,
            value: "Asha R".to_owned(),
        });
        // Same key: the old list stands until the view bumps its generation.
        assert_eq!(filter.visible(&table, key("asha", None)).len(), 2);
        let mut newer = key("asha", None);
        newer.generation = 1;
        assert_eq!(filter.visible(&table, newer).len(), 3);
    }
}
