//! The document: a table of text cells with named columns, edits, undo and redo.
//!
//! A table loaded from a file keeps the file's decoded text and the positions of its fields (see
//! [`raw`]), so a million rows cost a few integers per cell instead of a `String` each. Edits never
//! rewrite that text: a changed cell is stored beside it, a new column gets its own storage, and
//! rows and columns are reached through lists of stable ids, so reordering, inserting and deleting
//! only move ids. The writer uses the same split to give back untouched rows and cells exactly as
//! they were read.
//!
//! Undo history stores what each edit replaced (old cell values, removed ids, the previous row
//! order), never copies of the table.

mod edit;
mod error;
mod identity;
pub(crate) mod raw;
mod record;
mod sort;

use std::borrow::Cow;
use std::collections::HashMap;

pub use edit::{Edit, SortKind};
pub use error::TableError;
pub use record::{Action, RecordMark, Recorded};

use raw::RawRows;
use record::Recorder;

/// The largest number of rows (or columns) a table holds; row and column ids are `u32`.
const MAX_IDS: usize = u32::MAX as usize;

/// How many steps can be undone at most; older ones are forgotten.
const MAX_UNDO_STEPS: usize = 1_000;

/// How much the undo history may hold, in cells and row positions kept for undoing (on the
/// order of 100 MB): enough to undo a sort of a 1 M-row table or a merge of results into it.
/// The latest step is kept whatever its size.
const MAX_UNDO_WEIGHT: usize = 3_000_000;

/// Where the cells of one column live.
#[derive(Clone, Debug)]
enum ColumnData {
    /// A column of the file: field `field` of each original row, with changed cells beside it.
    Original {
        field: u32,
        overrides: HashMap<u32, Box<str>>,
    },
    /// A column added after loading: its cells by row id, `None` where nothing was written.
    Added { cells: Vec<Option<Box<str>>> },
}

/// One recorded change, holding what is needed to revert it and to do it again.
#[derive(Clone, Debug)]
enum Change {
    /// A cell changed; `other` holds the value that is not currently in the table
    /// (`None` meaning "as read" or "never written"). Undo and redo both swap it in.
    Cell {
        row_id: u32,
        column_id: u32,
        other: Option<Box<str>>,
    },
    /// Rows were inserted at `at`.
    InsertRows { at: usize, row_ids: Vec<u32> },
    /// Rows were removed; positions (ascending) are those before the removal.
    DeleteRows { removed: Vec<(usize, u32)> },
    /// A column was inserted at `at`.
    InsertColumn { at: usize, column_id: u32 },
    /// A column was removed from position `at`.
    DeleteColumn { at: usize, column_id: u32 },
    /// The rows were reordered; `other` is the order not currently in the table.
    Order { other: Vec<u32> },
}

impl Change {
    /// How many cells or row positions this change keeps for undoing, for the history's limit.
    fn weight(&self) -> usize {
        match self {
            Self::Cell { .. } | Self::InsertColumn { .. } | Self::DeleteColumn { .. } => 1,
            Self::InsertRows { row_ids, .. } => row_ids.len(),
            Self::DeleteRows { removed } => removed.len(),
            Self::Order { other } => other.len(),
        }
    }
}

/// One undo step: the changes of one edit or one group of edits.
#[derive(Clone, Debug)]
struct Step {
    id: u64,
    changes: Vec<Change>,
    /// The sum of the changes' weights.
    weight: usize,
}

/// A line of the table as the writer sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LineRef {
    /// The header row (written only when the table has a header).
    Header,
    /// A data row by its position.
    Data(usize),
}

/// A cell as the writer needs it.
#[derive(Debug)]
pub(crate) enum WriteCell<'a> {
    /// Nothing was ever in this cell (past the end of a short row).
    Absent,
    /// The cell as it was read, with the quotes it had in the file.
    Raw {
        /// The field's text in the file.
        raw: &'a str,
        /// Whether `raw` is quoted and differs from the value.
        quoted: bool,
    },
    /// A value set after loading.
    Value(&'a str),
}

/// A table of text cells with named columns, as loaded from a CSV file and edited since.
///
/// Cells are always text: `000123` stays `000123`. Rows may be shorter or longer than the
/// header ("ragged"); they are kept as read and read as empty cells past their end.
#[derive(Clone, Debug)]
pub struct Table {
    raw: RawRows,
    /// The delimiter of the raw text, so the writer knows when raw fields can be copied.
    raw_delimiter: u8,
    has_header: bool,
    /// Row id of the header: raw record 0 for a file with a header, else a row that is never
    /// written and only holds names given to added columns.
    header_id: u32,
    /// The next unused row id.
    next_row_id: u32,
    /// Row ids from this one on belong to rows added after the table was made.
    first_added_row_id: u32,
    /// Data rows in view order, by row id.
    order: Vec<u32>,
    /// Columns in view order, by column id.
    columns: Vec<u32>,
    /// Column storage by column id.
    column_data: Vec<ColumnData>,
    /// One bit per row id: some original column holds a changed cell for this row.
    touched: Vec<u64>,
    /// Column names in view order, with `Column N` where there is none.
    names: Vec<String>,
    /// Whether the columns are exactly the file's columns in the file's order.
    layout_is_original: bool,
    /// Steps to undo, oldest first, at most [`MAX_UNDO_STEPS`] and [`MAX_UNDO_WEIGHT`].
    undo_stack: Vec<Step>,
    redo_stack: Vec<Step>,
    /// The weight of both stacks together.
    history_weight: usize,
    /// The id of the newest step forgotten from the bottom of the undo stack (0 when none): the
    /// state the table is in once everything left has been undone.
    undo_floor: u64,
    next_step_id: u64,
    saved_step_id: u64,
    /// What was done since recording started, for the recovery journal.
    recorder: Recorder,
}

/// Converts a count or index to a `u32` id.
fn to_id(value: usize) -> Result<u32, TableError> {
    u32::try_from(value).map_err(|_| TableError::TooLarge { limit: MAX_IDS })
}

/// Stores `value` for `row_id` in an added column's cells, growing them as needed.
fn put_cell(cells: &mut Vec<Option<Box<str>>>, row_id: u32, value: String) {
    let index = row_id as usize;
    if cells.len() <= index {
        cells.resize(index + 1, None);
    }
    if let Some(slot) = cells.get_mut(index) {
        *slot = Some(value.into_boxed_str());
    }
}

impl Table {
    /// Builds a table over rows read from a file.
    ///
    /// `has_header` makes the first record the header. The caller guarantees that the number of
    /// records fits in a `u32`.
    pub(crate) fn from_raw(
        raw: RawRows,
        delimiter: u8,
        has_header: bool,
    ) -> Result<Self, TableError> {
        let num_records = raw.num_rows();
        let num_fields = (0..num_records)
            .map(|row| raw.num_fields(row))
            .max()
            .unwrap_or(0);
        let column_ids = 0..to_id(num_fields)?;
        let column_data = column_ids
            .clone()
            .map(|field| ColumnData::Original {
                field,
                overrides: HashMap::new(),
            })
            .collect();
        let records = to_id(num_records)?;
        let (header_id, order, next_row_id) = if has_header && records > 0 {
            (0, (1..records).collect(), records)
        } else {
            (records, (0..records).collect(), records.saturating_add(1))
        };
        let mut table = Self {
            raw,
            raw_delimiter: delimiter,
            has_header,
            header_id,
            next_row_id,
            first_added_row_id: next_row_id,
            order,
            columns: column_ids.collect(),
            column_data,
            touched: Vec::new(),
            names: Vec::new(),
            layout_is_original: true,
            undo_stack: Vec::new(),
            redo_stack: Vec::new(),
            history_weight: 0,
            undo_floor: 0,
            next_step_id: 1,
            saved_step_id: 0,
            recorder: Recorder::default(),
        };
        table.refresh_columns();
        Ok(table)
    }

    /// Builds a table from cells held in memory, for new documents and tests.
    ///
    /// `header` gives the column names (the table then has a header); rows may have different
    /// lengths.
    #[must_use]
    pub fn from_rows<S: AsRef<str>>(header: Option<&[S]>, rows: &[Vec<S>]) -> Self {
        let row_lens = rows.iter().map(Vec::len);
        let num_columns = row_lens
            .chain(header.map(<[S]>::len))
            .max()
            .unwrap_or(0)
            .min(MAX_IDS);
        let num_rows = rows.len().min(MAX_IDS - 1);
        let mut columns: Vec<Vec<Option<Box<str>>>> = vec![Vec::new(); num_columns];
        // Row id 0 is the header, data rows follow.
        for (column, cells) in columns.iter_mut().enumerate() {
            cells.push(
                header
                    .and_then(|names| names.get(column))
                    .map(|name| name.as_ref().into()),
            );
            cells.extend(
                rows.iter()
                    .take(num_rows)
                    .map(|row| row.get(column).map(|cell| cell.as_ref().into())),
            );
        }
        let ids = |count: usize| (0..count).filter_map(|id| u32::try_from(id).ok());
        let mut table = Self {
            raw: RawRows::default(),
            raw_delimiter: b',',
            has_header: header.is_some(),
            header_id: 0,
            next_row_id: u32::try_from(num_rows + 1).unwrap_or(u32::MAX),
            first_added_row_id: u32::try_from(num_rows + 1).unwrap_or(u32::MAX),
            order: ids(num_rows + 1).skip(1).collect(),
            columns: ids(num_columns).collect(),
            column_data: columns
                .into_iter()
                .map(|cells| ColumnData::Added { cells })
                .collect(),
            touched: Vec::new(),
            names: Vec::new(),
            layout_is_original: true,
            undo_stack: Vec::new(),
            redo_stack: Vec::new(),
            history_weight: 0,
            undo_floor: 0,
            next_step_id: 1,
            saved_step_id: 0,
            recorder: Recorder::default(),
        };
        table.refresh_columns();
        table
    }

    /// How many data rows the table has (the header is not counted).
    #[must_use]
    pub fn num_rows(&self) -> usize {
        self.order.len()
    }

    /// How many columns the table has: the widest row of the file plus any added since.
    #[must_use]
    pub fn num_columns(&self) -> usize {
        self.columns.len()
    }

    /// The name of a column: its header, or `Column N` when it has none; `""` out of range.
    #[must_use]
    pub fn column_name(&self, col_idx: usize) -> &str {
        self.names.get(col_idx).map_or("", String::as_str)
    }

    /// Whether the first line of the file is a header (it is then written back as one).
    #[must_use]
    pub fn has_header(&self) -> bool {
        self.has_header
    }

    /// The text of one cell; `""` past the end of a short row or out of range.
    #[must_use]
    pub fn cell(&self, row_idx: usize, col_idx: usize) -> Cow<'_, str> {
        let (Some(&row_id), Some(&column_id)) =
            (self.order.get(row_idx), self.columns.get(col_idx))
        else {
            return Cow::Borrowed("");
        };
        self.cell_by_id(row_id, column_id)
            .unwrap_or(Cow::Borrowed(""))
    }

    /// How many cells of a row hold something: the fields as read, or up to the last cell set
    /// since. Zero for a blank line or a row that does not exist.
    #[must_use]
    pub fn row_len(&self, row_idx: usize) -> usize {
        self.present_len(LineRef::Data(row_idx))
    }

    /// The cells of one column from the first row to the last.
    pub fn column_cells(&self, col_idx: usize) -> impl Iterator<Item = Cow<'_, str>> + '_ {
        let column_id = self.columns.get(col_idx).copied();
        self.order.iter().map(move |&row_id| {
            column_id
                .and_then(|column_id| self.cell_by_id(row_id, column_id))
                .unwrap_or(Cow::Borrowed(""))
        })
    }

    /// The first column whose name equals `name`, ignoring case.
    #[must_use]
    pub fn find_column(&self, name: &str) -> Option<usize> {
        let wanted = name.to_lowercase();
        self.names
            .iter()
            .position(|candidate| candidate.to_lowercase() == wanted)
    }

    /// Adds an empty column named `name` after the last one, as one undo step, and returns its
    /// position.
    pub fn append_column(&mut self, name: &str) -> usize {
        let at = self.num_columns();
        // Appending an empty column only fails past `u32::MAX` columns, which a table that fits
        // in memory never reaches; the position returned then names no column.
        let _ = self.apply(Edit::InsertColumn {
            at,
            name: name.to_owned(),
            cells: None,
        });
        at
    }

    /// Applies one edit as one undo step.
    ///
    /// # Errors
    /// A row or column index out of range, or a new column whose cells do not match the rows;
    /// the table is then unchanged.
    pub fn apply(&mut self, edit: Edit) -> Result<(), TableError> {
        self.apply_group(vec![edit])
    }

    /// Applies several edits as one undo step (a paste, a replace-all, a batch of results).
    /// Each edit sees the table as the edits before it left it.
    ///
    /// # Errors
    /// The first edit that cannot be applied; the edits before it are reverted, so the table is
    /// unchanged.
    pub fn apply_group(&mut self, edits: Vec<Edit>) -> Result<(), TableError> {
        let recorded = self.recorder.is_on().then(|| edits.clone());
        let mut changes = Vec::with_capacity(edits.len());
        for edit in edits {
            match self.apply_one(edit) {
                Ok(change) => changes.push(change),
                Err(err) => {
                    for change in changes.iter_mut().rev() {
                        self.revert(change);
                    }
                    return Err(err);
                }
            }
        }
        if changes.is_empty() {
            return Ok(());
        }
        let id = self.next_step_id;
        self.next_step_id += 1;
        self.push_step(Step {
            id,
            weight: changes.iter().map(Change::weight).sum(),
            changes,
        });
        if let Some(edits) = recorded {
            self.recorder.push(id, Action::Edits(edits));
        }
        Ok(())
    }

    /// Reverts the last step; `false` when there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        let Some(mut step) = self.undo_stack.pop() else {
            return false;
        };
        for change in step.changes.iter_mut().rev() {
            self.revert(change);
        }
        self.recorder.push(step.id, Action::Undo);
        self.redo_stack.push(step);
        true
    }

    /// Does again the last undone step; `false` when there is nothing to redo.
    pub fn redo(&mut self) -> bool {
        let Some(mut step) = self.redo_stack.pop() else {
            return false;
        };
        for change in &mut step.changes {
            self.replay_change(change);
        }
        self.recorder.push(step.id, Action::Redo);
        self.undo_stack.push(step);
        true
    }

    /// Whether there is a step to undo.
    #[must_use]
    pub fn can_undo(&self) -> bool {
        !self.undo_stack.is_empty()
    }

    /// Whether there is an undone step to redo.
    #[must_use]
    pub fn can_redo(&self) -> bool {
        !self.redo_stack.is_empty()
    }

    /// Whether the table differs from what was last loaded or saved. Undoing back to the saved
    /// state makes it clean again.
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.current_step_id() != self.saved_step_id
    }

    /// Records that the table as it is now has been saved.
    pub fn mark_saved(&mut self) {
        self.saved_step_id = self.current_step_id();
    }

    /// An estimate of the bytes this table holds on the heap: its buffers' capacities plus the
    /// cells and history added since loading.
    #[must_use]
    pub fn heap_size(&self) -> usize {
        let columns: usize = self
            .column_data
            .iter()
            .map(|data| match data {
                ColumnData::Original { overrides, .. } => {
                    overrides.capacity() * (std::mem::size_of::<(u32, Box<str>)>() + 1)
                        + overrides.values().map(|cell| cell.len()).sum::<usize>()
                }
                ColumnData::Added { cells } => {
                    cells.capacity() * std::mem::size_of::<Option<Box<str>>>()
                        + cells.iter().flatten().map(|cell| cell.len()).sum::<usize>()
                }
            })
            .sum();
        let history: usize = self
            .undo_stack
            .iter()
            .chain(&self.redo_stack)
            .flat_map(|step| &step.changes)
            .map(|change| match change {
                Change::Cell { other, .. } => other
                    .as_deref()
                    .map_or(0, |cell| std::mem::size_of::<Box<str>>() + cell.len()),
                Change::InsertRows { row_ids, .. } => row_ids.capacity() * 4,
                Change::DeleteRows { removed } => removed.capacity() * 16,
                Change::Order { other } => other.capacity() * 4,
                Change::InsertColumn { .. } | Change::DeleteColumn { .. } => 0,
            })
            .sum();
        self.raw.heap_size()
            + self.order.capacity() * 4
            + self.columns.capacity() * 4
            + self.column_data.capacity() * std::mem::size_of::<ColumnData>()
            + self.touched.capacity() * 8
            + self.names.iter().map(String::capacity).sum::<usize>()
            + columns
            + history
    }

    // ----- for the writer -----

    /// The delimiter of the text the table was read from.
    pub(crate) fn raw_delimiter(&self) -> u8 {
        self.raw_delimiter
    }

    /// The row id behind a line, if the line exists.
    fn line_id(&self, line: LineRef) -> Option<u32> {
        match line {
            LineRef::Header => Some(self.header_id),
            LineRef::Data(row_idx) => self.order.get(row_idx).copied(),
        }
    }

    /// The text of a line as read, when no cell of it has changed and the columns are the file's.
    pub(crate) fn untouched_line(&self, line: LineRef) -> Option<&str> {
        let row_id = self.line_id(line)?;
        let index = row_id as usize;
        (self.layout_is_original && index < self.raw.num_rows() && !self.is_touched(row_id))
            .then(|| self.raw.content(index))
    }

    /// The line terminator a line had in the file (`""` for new rows and a last line without
    /// one).
    pub(crate) fn line_terminator(&self, line: LineRef) -> &str {
        self.line_id(line)
            .map_or("", |row_id| self.raw.terminator(row_id as usize))
    }

    /// How many cells of a line must be written: up to the last one that holds something.
    pub(crate) fn present_len(&self, line: LineRef) -> usize {
        let Some(row_id) = self.line_id(line) else {
            return 0;
        };
        if self.layout_is_original && !self.is_touched(row_id) {
            return self.raw.num_fields(row_id as usize);
        }
        // A row added since loading is written as wide as the table, as a spreadsheet would;
        // rows the table was made with keep their own (ragged) width.
        if row_id >= self.first_added_row_id {
            return self.columns.len();
        }
        self.columns
            .iter()
            .rposition(|&column_id| self.cell_by_id(row_id, column_id).is_some())
            .map_or(0, |last| last + 1)
    }

    /// One cell of a line, telling apart text as read from text set since.
    pub(crate) fn cell_for_write(&self, line: LineRef, col_idx: usize) -> WriteCell<'_> {
        let (Some(row_id), Some(&column_id)) = (self.line_id(line), self.columns.get(col_idx))
        else {
            return WriteCell::Absent;
        };
        match self.column_data.get(column_id as usize) {
            Some(ColumnData::Original { field, overrides }) => {
                if self.is_touched(row_id)
                    && let Some(value) = overrides.get(&row_id)
                {
                    return WriteCell::Value(value);
                }
                match self.raw.raw_field(row_id as usize, *field as usize) {
                    Some((raw, quoted)) => WriteCell::Raw { raw, quoted },
                    None => WriteCell::Absent,
                }
            }
            Some(ColumnData::Added { cells }) => match cells.get(row_id as usize) {
                Some(Some(value)) => WriteCell::Value(value),
                _ => WriteCell::Absent,
            },
            None => WriteCell::Absent,
        }
    }

    // ----- internals -----

    fn current_step_id(&self) -> u64 {
        self.undo_stack
            .last()
            .map_or(self.undo_floor, |step| step.id)
    }

    /// Adds a new step to undo, forgets what could be redone, and forgets the oldest steps
    /// while the history is over its limits.
    fn push_step(&mut self, step: Step) {
        let redo_weight: usize = self.redo_stack.iter().map(|step| step.weight).sum();
        self.redo_stack.clear();
        self.history_weight = self.history_weight - redo_weight + step.weight;
        self.undo_stack.push(step);
        let num_over = self.undo_stack.len().saturating_sub(MAX_UNDO_STEPS);
        let mut num_forgotten = 0;
        for step in &self.undo_stack[..self.undo_stack.len() - 1] {
            if num_forgotten >= num_over && self.history_weight <= MAX_UNDO_WEIGHT {
                break;
            }
            self.history_weight -= step.weight;
            self.undo_floor = step.id;
            num_forgotten += 1;
        }
        self.undo_stack.drain(..num_forgotten);
    }

    fn is_touched(&self, row_id: u32) -> bool {
        self.touched
            .get(row_id as usize / 64)
            .is_some_and(|word| word & (1 << (row_id % 64)) != 0)
    }

    fn touch(&mut self, row_id: u32) {
        let word = row_id as usize / 64;
        if self.touched.len() <= word {
            self.touched.resize(word + 1, 0);
        }
        if let Some(bits) = self.touched.get_mut(word) {
            *bits |= 1 << (row_id % 64);
        }
    }

    /// The value of a cell by ids; `None` when the cell holds nothing.
    fn cell_by_id(&self, row_id: u32, column_id: u32) -> Option<Cow<'_, str>> {
        match self.column_data.get(column_id as usize)? {
            ColumnData::Original { field, overrides } => {
                if self.is_touched(row_id)
                    && let Some(value) = overrides.get(&row_id)
                {
                    return Some(Cow::Borrowed(value));
                }
                self.raw.field(row_id as usize, *field as usize)
            }
            ColumnData::Added { cells } => {
                cells.get(row_id as usize)?.as_deref().map(Cow::Borrowed)
            }
        }
    }

    /// Swaps `value` with what the table holds for this cell beyond the text as read.
    fn swap_cell(&mut self, row_id: u32, column_id: u32, value: &mut Option<Box<str>>) {
        let mut touch = false;
        match self.column_data.get_mut(column_id as usize) {
            Some(ColumnData::Original { overrides, .. }) => {
                let previous = match value.take() {
                    Some(new) => {
                        touch = true;
                        overrides.insert(row_id, new)
                    }
                    None => overrides.remove(&row_id),
                };
                *value = previous;
            }
            Some(ColumnData::Added { cells }) => {
                let index = row_id as usize;
                if cells.len() <= index {
                    cells.resize(index + 1, None);
                }
                if let Some(slot) = cells.get_mut(index) {
                    std::mem::swap(slot, value);
                }
            }
            None => {}
        }
        if touch {
            self.touch(row_id);
        }
        if row_id == self.header_id {
            self.refresh_columns();
        }
    }

    /// Rebuilds the column names and the layout flag after the columns or the header changed.
    fn refresh_columns(&mut self) {
        let names = (0..self.columns.len())
            .map(|col_idx| {
                let name = self
                    .columns
                    .get(col_idx)
                    .and_then(|&column_id| self.cell_by_id(self.header_id, column_id));
                match name {
                    Some(name) if !name.trim().is_empty() => name.into_owned(),
                    _ => format!("Column {}", col_idx + 1),
                }
            })
            .collect();
        self.names = names;
        self.layout_is_original = self.columns.iter().enumerate().all(|(col_idx, &id)| {
            matches!(
                self.column_data.get(id as usize),
                Some(ColumnData::Original { field, .. }) if *field as usize == col_idx
            )
        });
    }

    fn check_row(&self, row: usize) -> Result<u32, TableError> {
        self.order
            .get(row)
            .copied()
            .ok_or(TableError::RowOutOfRange {
                row,
                num_rows: self.num_rows(),
            })
    }

    fn check_column(&self, column: usize) -> Result<u32, TableError> {
        self.columns
            .get(column)
            .copied()
            .ok_or(TableError::ColumnOutOfRange {
                column,
                num_columns: self.num_columns(),
            })
    }

    fn set_cell_change(&mut self, row_id: u32, column_id: u32, value: String) -> Change {
        let mut other = Some(value.into_boxed_str());
        self.swap_cell(row_id, column_id, &mut other);
        Change::Cell {
            row_id,
            column_id,
            other,
        }
    }

    fn apply_one(&mut self, edit: Edit) -> Result<Change, TableError> {
        match edit {
            Edit::SetCell { row, column, value } => {
                let row_id = self.check_row(row)?;
                let column_id = self.check_column(column)?;
                Ok(self.set_cell_change(row_id, column_id, value))
            }
            Edit::RenameColumn { column, name } => {
                let column_id = self.check_column(column)?;
                Ok(self.set_cell_change(self.header_id, column_id, name))
            }
            Edit::InsertRows { at, count } => {
                if at > self.num_rows() {
                    return Err(TableError::RowOutOfRange {
                        row: at,
                        num_rows: self.num_rows(),
                    });
                }
                let first = self.next_row_id;
                let end = to_id((first as usize).saturating_add(count))?;
                self.next_row_id = end;
                let row_ids: Vec<u32> = (first..end).collect();
                self.order.splice(at..at, row_ids.iter().copied());
                Ok(Change::InsertRows { at, row_ids })
            }
            Edit::DeleteRows { mut rows } => {
                rows.sort_unstable();
                rows.dedup();
                if let Some(&row) = rows.iter().find(|&&row| row >= self.num_rows()) {
                    return Err(TableError::RowOutOfRange {
                        row,
                        num_rows: self.num_rows(),
                    });
                }
                let removed: Vec<(usize, u32)> = rows
                    .iter()
                    .filter_map(|&row| Some((row, *self.order.get(row)?)))
                    .collect();
                self.remove_rows(&removed);
                Ok(Change::DeleteRows { removed })
            }
            Edit::InsertColumn { at, name, cells } => {
                if at > self.num_columns() {
                    return Err(TableError::ColumnOutOfRange {
                        column: at,
                        num_columns: self.num_columns(),
                    });
                }
                if let Some(cells) = &cells
                    && cells.len() != self.num_rows()
                {
                    return Err(TableError::CellCountMismatch {
                        given: cells.len(),
                        num_rows: self.num_rows(),
                    });
                }
                let column_id = to_id(self.column_data.len())?;
                // An empty column costs nothing per row until its cells are written.
                let mut storage = Vec::new();
                put_cell(&mut storage, self.header_id, name);
                for (&row_id, value) in self.order.iter().zip(cells.into_iter().flatten()) {
                    put_cell(&mut storage, row_id, value);
                }
                self.column_data.push(ColumnData::Added { cells: storage });
                self.columns.insert(at, column_id);
                self.refresh_columns();
                Ok(Change::InsertColumn { at, column_id })
            }
            Edit::DeleteColumn { column } => {
                let column_id = self.check_column(column)?;
                self.columns.remove(column);
                self.refresh_columns();
                Ok(Change::DeleteColumn {
                    at: column,
                    column_id,
                })
            }
            Edit::SortRows {
                column,
                kind,
                descending,
            } => {
                let column_id = self.check_column(column)?;
                let mut keyed: Vec<(Cow<'_, str>, u32)> = self
                    .order
                    .iter()
                    .map(|&row_id| {
                        let cell = self
                            .cell_by_id(row_id, column_id)
                            .unwrap_or(Cow::Borrowed(""));
                        (sort::sort_key(cell), row_id)
                    })
                    .collect();
                keyed.sort_by(|a, b| sort::compare_keys(&a.0, &b.0, kind, descending));
                let sorted: Vec<u32> = keyed.into_iter().map(|(_, row_id)| row_id).collect();
                let other = std::mem::replace(&mut self.order, sorted);
                Ok(Change::Order { other })
            }
        }
    }

    /// Removes rows given as ascending `(position, row id)` pairs.
    fn remove_rows(&mut self, removed: &[(usize, u32)]) {
        let mut doomed = removed.iter().map(|&(position, _)| position).peekable();
        let mut position = 0;
        self.order.retain(|_| {
            let keep = doomed.next_if_eq(&position).is_none();
            position += 1;
            keep
        });
    }

    /// Puts back rows removed by [`Self::remove_rows`].
    fn restore_rows(&mut self, removed: &[(usize, u32)]) {
        let mut kept = std::mem::take(&mut self.order).into_iter();
        let mut back = removed.iter().peekable();
        let total = kept.len() + removed.len();
        let mut order = Vec::with_capacity(total);
        for position in 0..total {
            if let Some(&(_, row_id)) = back.next_if(|(at, _)| *at == position) {
                order.push(row_id);
            } else if let Some(row_id) = kept.next() {
                order.push(row_id);
            }
        }
        self.order = order;
    }

    fn revert(&mut self, change: &mut Change) {
        match change {
            Change::Cell {
                row_id,
                column_id,
                other,
            } => self.swap_cell(*row_id, *column_id, other),
            Change::InsertRows { at, row_ids } => {
                let end = (*at + row_ids.len()).min(self.order.len());
                self.order.drain(*at..end);
            }
            Change::DeleteRows { removed } => self.restore_rows(removed),
            Change::InsertColumn { at, .. } => {
                if *at < self.columns.len() {
                    self.columns.remove(*at);
                }
                self.refresh_columns();
            }
            Change::DeleteColumn { at, column_id } => {
                self.columns
                    .insert((*at).min(self.columns.len()), *column_id);
                self.refresh_columns();
            }
            Change::Order { other } => std::mem::swap(&mut self.order, other),
        }
    }

    fn replay_change(&mut self, change: &mut Change) {
        match change {
            Change::Cell {
                row_id,
                column_id,
                other,
            } => self.swap_cell(*row_id, *column_id, other),
            Change::InsertRows { at, row_ids } => {
                let at = (*at).min(self.order.len());
                self.order.splice(at..at, row_ids.iter().copied());
            }
            Change::DeleteRows { removed } => self.remove_rows(removed),
            Change::InsertColumn { at, column_id } => {
                self.columns
                    .insert((*at).min(self.columns.len()), *column_id);
                self.refresh_columns();
            }
            Change::DeleteColumn { at, .. } => {
                if *at < self.columns.len() {
                    self.columns.remove(*at);
                }
                self.refresh_columns();
            }
            Change::Order { other } => std::mem::swap(&mut self.order, other),
        }
    }
}

#[cfg(test)]
mod tests;
