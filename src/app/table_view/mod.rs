//! The spreadsheet grid office staff work in: select, edit, copy and paste, find and replace,
//! filter, sort, and insert or delete rows and columns.
//!
//! [`TableView`] holds only view state — the selection, the cell being edited, the find bar, the
//! filters, column widths. The document is the [`Table`] passed to each call, and every change goes
//! through [`Table::apply`] or [`Table::apply_group`], so each one is a single undo step. Nothing
//! here does I/O or blocks; the only slow work, filtering a very large table, happens when the
//! filter or the table changes, not every frame.

mod clipboard;
mod command;
mod find_bar;
mod grid;
mod matcher;
mod row_filter;
mod selection;
mod status;

use egui::{Align, EventFilter, Id, Key, Modifiers, Sense, TextStyle};

use crate::table::{Edit, SortKind, Table};

use command::Command;
use find_bar::{FindAction, FindBar};
use grid::{CellEditor, GridInput};
use matcher::Matcher;
use row_filter::{FilterKey, RowFilter, VisibleRows};
use selection::{CellPos, Selection};

pub use crate::enrich::outcome::StatusKind;
pub use status::tint;

/// The narrowest a column starts out.
pub(crate) const MIN_COLUMN_WIDTH: f32 = 48.0;
/// The widest a column starts out (the user can drag it wider).
pub(crate) const MAX_COLUMN_WIDTH: f32 = 320.0;
/// How many rows from the top are measured for starting column widths.
const WIDTH_SAMPLE_ROWS: usize = 200;
/// How many characters of a cell are measured for starting column widths.
const WIDTH_SAMPLE_CHARS: usize = 60;

/// Starting column widths and what they were measured for.
#[derive(Debug, Default)]
struct ColumnWidths {
    widths: Vec<f32>,
    /// The view's count of column changes and the number of columns measured.
    measured_for: Option<(u64, usize)>,
    /// The widths were measured again: the grid must drop widths the user dragged.
    reset_pending: bool,
}

/// The column being renamed in the rename dialog.
#[derive(Debug)]
struct Rename {
    column: usize,
    name: String,
    fresh: bool,
}

/// What [`TableView::match_count`] counted, and for what.
#[derive(Debug, PartialEq, Eq)]
struct CountKey {
    rows: FilterKey,
    needle: String,
    match_case: bool,
}

/// The grid's view state. The document itself is passed to each call.
#[derive(Debug, Default)]
pub struct TableView {
    selection: Option<Selection>,
    editor: Option<CellEditor>,
    find: FindBar,
    match_count: Option<(CountKey, usize)>,
    quick_filter: String,
    row_filter: RowFilter,
    status_column: Option<usize>,
    status_filter: Option<StatusKind>,
    /// Counts changes to the table, made here or reported by [`Self::table_changed`].
    generation: u64,
    /// Counts changes to the columns made here.
    column_generation: u64,
    widths: ColumnWidths,
    sorted_by: Option<(usize, bool)>,
    rename: Option<Rename>,
    notice: Option<String>,
    scroll_to: Option<(usize, Option<Align>)>,
    scroll_to_table_row: Option<usize>,
    reveal_cursor: bool,
    page_rows: usize,
}

impl TableView {
    /// Draws the grid (and the find bar when open) and handles its keyboard/mouse input.
    pub fn ui(&mut self, ui: &mut egui::Ui, table: &mut Table) {
        let focus_id = ui.make_persistent_id("table_view_focus");
        self.sync(ui, table);
        self.keys_ui(ui, table, focus_id);
        self.toolbar_ui(ui, table);
        if self.find.is_open() {
            let count = self.match_count(table);
            if let Some(action) = self.find.ui(ui, count) {
                self.run_find(action, table);
            }
        }
        self.rename_ui(ui, table);

        self.refresh_rows(table);
        if let Some(row) = self.scroll_to_table_row.take() {
            let position = self.row_filter.last().position_of(row);
            self.scroll_to = Some((position, Some(Align::Center)));
        }
        let grid_rect = ui.available_rect_before_wrap();
        let holder = ui.interact(grid_rect, focus_id, Sense::focusable_noninteractive());
        holder.widget_info(|| {
            egui::WidgetInfo::labeled(egui::accesskit::Role::Grid, true, "Spreadsheet")
        });
        if holder.has_focus() {
            ui.memory_mut(|memory| {
                memory.set_focus_lock_filter(
                    focus_id,
                    EventFilter {
                        tab: true,
                        horizontal_arrows: true,
                        vertical_arrows: true,
                        escape: true,
                    },
                );
            });
        }

        let input = GridInput {
            table,
            rows: self.row_filter.last(),
            selection: self.selection,
            status_column: self.status_column,
            sorted_by: self.sorted_by,
            widths: &self.widths.widths,
            reset_widths: std::mem::take(&mut self.widths.reset_pending),
            scroll_to: self.scroll_to.take(),
            reveal_cursor: self.reveal_cursor,
            focus_id,
        };
        let out = grid::grid_ui(ui, &input, &mut self.editor);
        self.page_rows = out.page_rows;
        if out.revealed {
            self.reveal_cursor = false;
        }
        if out.editor_lost_focus {
            self.commit_edit(table);
        }
        let had_commands = !out.commands.is_empty();
        for command in out.commands {
            self.run(command, ui.ctx(), table);
        }
        if had_commands && self.editor.is_none() {
            ui.memory_mut(|memory| memory.request_focus(focus_id));
        }
    }

    /// The table changed outside the view (undo/redo from the menu, merged results, a job):
    /// drop caches (filtered row list, widths if columns changed) and clamp the selection.
    pub fn table_changed(&mut self) {
        self.generation += 1;
        self.sorted_by = None;
        self.row_filter.invalidate();
    }

    /// Adds the view's items to the Edit menu: Find… (Ctrl+F), Find and replace…, Insert row
    /// above/below, Delete selected rows, Insert column left/right, Delete column, Rename
    /// column…, Sort A to Z / Z to A / natural order by the selected column. Each item shows its
    /// shortcut.
    pub fn edit_menu_ui(&mut self, ui: &mut egui::Ui, table: &mut Table) {
        let has_selection = self.selection.is_some();
        let mut commands = Vec::new();
        command::find_items_ui(ui, &mut commands);
        ui.separator();
        command::row_items_ui(ui, has_selection, &mut commands);
        ui.separator();
        command::column_items_ui(ui, has_selection, &mut commands);
        for command in commands {
            self.run(command, ui.ctx(), table);
        }
    }

    /// Rows are tinted by the text of this column (the `Lookup Status` column), and
    /// `set_status_filter` shows only rows of one kind. None = no tint, no filter.
    pub fn set_status_column(&mut self, column: Option<usize>) {
        self.status_column = column;
    }

    /// Shows only rows whose status is of this kind (`None` shows every row).
    pub fn set_status_filter(&mut self, filter: Option<StatusKind>) {
        self.status_filter = filter;
    }

    /// The status whose rows alone are shown, if any.
    pub fn status_filter(&self) -> Option<StatusKind> {
        self.status_filter
    }

    /// Selected cell (row, column) in document coordinates, for tests and the app.
    pub fn selection(&self) -> Option<(usize, usize)> {
        self.selection
            .map(|selection| (selection.cursor.row, selection.cursor.column))
    }

    /// Scrolls the grid so that table row `row` is in the middle of the screen on the next frame.
    pub fn scroll_to_row(&mut self, row: usize) {
        self.scroll_to_table_row = Some(row);
    }

    /// Sets the quick filter: only rows with this text in some cell (ignoring case) are shown.
    pub fn set_quick_filter(&mut self, text: &str) {
        text.clone_into(&mut self.quick_filter);
    }

    /// The quick filter's text.
    pub fn quick_filter(&self) -> &str {
        &self.quick_filter
    }

    /// How many rows are shown, working the filters out first if they changed.
    pub fn visible_row_count(&mut self, table: &Table) -> usize {
        self.refresh_rows(table).len()
    }

    /// The message the view shows about the last thing it did, if any.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    // ----- state kept in step with the table -----

    /// Everything the shown rows depend on, as of now.
    fn filter_key(&self, table: &Table) -> FilterKey {
        FilterKey {
            generation: self.generation,
            num_rows: table.num_rows(),
            num_columns: table.num_columns(),
            text: self.quick_filter.clone(),
            status_column: self.status_column,
            status: self.status_filter,
        }
    }

    /// The shown rows, worked out again if anything they depend on changed.
    fn refresh_rows(&mut self, table: &Table) -> &VisibleRows {
        let key = self.filter_key(table);
        self.row_filter.visible(table, key)
    }

    /// Counts a change made by the view itself.
    fn changed(&mut self) {
        self.generation += 1;
    }

    /// Clamps the selection and editor to the table and measures column widths when the
    /// columns changed.
    fn sync(&mut self, ui: &egui::Ui, table: &Table) {
        let (num_rows, num_columns) = (table.num_rows(), table.num_columns());
        self.selection = self
            .selection
            .and_then(|selection| selection.clamped(num_rows, num_columns));
        if self
            .editor
            .as_ref()
            .is_some_and(|editor| editor.cell.row >= num_rows || editor.cell.column >= num_columns)
        {
            self.editor = None;
        }
        if let Some((column, _)) = self.sorted_by
            && column >= num_columns
        {
            self.sorted_by = None;
        }
        let wanted = (self.column_generation, num_columns);
        if self.widths.measured_for != Some(wanted) {
            self.widths.widths = measure_widths(ui, table);
            self.widths.reset_pending = self.widths.measured_for.is_some();
            self.widths.measured_for = Some(wanted);
        }
        self.refresh_rows(table);
    }

    // ----- keyboard -----

    /// Handles the keys meant for the grid or the cell editor.
    fn keys_ui(&mut self, ui: &mut egui::Ui, table: &mut Table, focus_id: Id) {
        let focused = ui.memory(egui::Memory::focused);
        let editor_id = grid::editor_id(focus_id);
        if self.editor.is_some() {
            if focused.is_none() || focused == Some(editor_id) || focused == Some(focus_id) {
                self.editor_keys_ui(ui, table, focus_id);
            }
            return;
        }
        if focused.is_some() && focused != Some(focus_id) {
            return;
        }
        let consume = |ui: &mut egui::Ui, modifiers: Modifiers, key: Key| {
            ui.input_mut(|i| i.consume_key(modifiers, key))
        };
        if ui.input_mut(|i| i.consume_shortcut(&command::REPLACE)) {
            self.find.open(true);
        }
        if ui.input_mut(|i| i.consume_shortcut(&command::FIND)) {
            self.find.open(false);
        }
        if ui.input_mut(|i| {
            i.consume_shortcut(&command::INSERT_ROW)
                || i.consume_shortcut(&command::INSERT_ROW_SECONDARY)
        }) {
            self.run(Command::InsertRow { below: true }, ui.ctx(), table);
        }
        if ui.input_mut(|i| i.consume_shortcut(&command::DELETE_ROWS)) {
            self.run(Command::DeleteRows, ui.ctx(), table);
        }

        let page = self.page_rows.max(1);
        // Shift first: `consume_key` ignores an extra Shift, so the plain key would eat it.
        let motions = [
            (Key::ArrowUp, Motion::Up(1)),
            (Key::ArrowDown, Motion::Down(1)),
            (Key::ArrowLeft, Motion::Left),
            (Key::ArrowRight, Motion::Right),
            (Key::PageUp, Motion::Up(page)),
            (Key::PageDown, Motion::Down(page)),
        ];
        for (key, motion) in motions {
            if consume(ui, Modifiers::SHIFT, key) {
                self.move_cursor(motion, true);
            }
            if consume(ui, Modifiers::NONE, key) {
                self.move_cursor(motion, false);
            }
        }
        for (key, far, near) in [
            (Key::Home, Motion::First, Motion::RowStart),
            (Key::End, Motion::Last, Motion::RowEnd),
        ] {
            if consume(ui, Modifiers::COMMAND | Modifiers::SHIFT, key) {
                self.move_cursor(far, true);
            }
            if consume(ui, Modifiers::COMMAND, key) {
                self.move_cursor(far, false);
            }
            if consume(ui, Modifiers::SHIFT, key) {
                self.move_cursor(near, true);
            }
            if consume(ui, Modifiers::NONE, key) {
                self.move_cursor(near, false);
            }
        }
        if consume(ui, Modifiers::SHIFT, Key::Tab) {
            self.move_cursor(Motion::Left, false);
        }
        if consume(ui, Modifiers::NONE, Key::Tab) {
            self.move_cursor(Motion::Right, false);
        }
        if consume(ui, Modifiers::NONE, Key::Enter) || consume(ui, Modifiers::NONE, Key::F2) {
            self.start_edit(table, None);
        }
        if consume(ui, Modifiers::NONE, Key::Delete) || consume(ui, Modifiers::NONE, Key::Backspace)
        {
            self.run(Command::Clear, ui.ctx(), table);
        }
        if consume(ui, Modifiers::NONE, Key::Escape)
            && let Some(selection) = &mut self.selection
        {
            *selection = Selection::single(selection.cursor);
        }

        self.clipboard_and_typing_ui(ui, table);
    }

    /// Handles copy, cut and paste events, and typing that starts editing a cell.
    fn clipboard_and_typing_ui(&mut self, ui: &mut egui::Ui, table: &mut Table) {
        let events = ui.input_mut(|i| {
            let (ours, rest) = std::mem::take(&mut i.events)
                .into_iter()
                .partition(|event| {
                    matches!(
                        event,
                        egui::Event::Copy
                            | egui::Event::Cut
                            | egui::Event::Paste(_)
                            | egui::Event::Text(_)
                    )
                });
            i.events = rest;
            ours
        });
        let mut typed = String::new();
        for event in events {
            match event {
                egui::Event::Copy => self.run(Command::Copy, ui.ctx(), table),
                egui::Event::Cut => self.run(Command::Cut, ui.ctx(), table),
                egui::Event::Paste(text) => self.paste(table, &text),
                egui::Event::Text(text) => typed.push_str(&text),
                _ => {}
            }
        }
        typed.retain(|c| !c.is_control());
        if !typed.is_empty() {
            self.start_edit(table, Some(typed));
        }
    }

    /// Handles Enter, Tab and Escape while a cell is being edited.
    fn editor_keys_ui(&mut self, ui: &mut egui::Ui, table: &mut Table, focus_id: Id) {
        let consume = |ui: &mut egui::Ui, modifiers: Modifiers, key: Key| {
            ui.input_mut(|i| i.consume_key(modifiers, key))
        };
        let motion = if consume(ui, Modifiers::SHIFT, Key::Enter) {
            Some(Motion::Up(1))
        } else if consume(ui, Modifiers::NONE, Key::Enter) {
            Some(Motion::Down(1))
        } else if consume(ui, Modifiers::SHIFT, Key::Tab) {
            Some(Motion::Left)
        } else if consume(ui, Modifiers::NONE, Key::Tab) {
            Some(Motion::Right)
        } else {
            None
        };
        if let Some(motion) = motion {
            self.commit_edit(table);
            self.move_cursor(motion, false);
            ui.memory_mut(|memory| memory.request_focus(focus_id));
        } else if consume(ui, Modifiers::NONE, Key::Escape) {
            self.editor = None;
            ui.memory_mut(|memory| memory.request_focus(focus_id));
        }
    }

    /// Moves the cursor over the shown rows.
    fn move_cursor(&mut self, motion: Motion, extend: bool) {
        let rows = self.row_filter.last();
        let Some(num_columns) = self.widths.measured_for.map(|(_, columns)| columns) else {
            return;
        };
        if rows.is_empty() || num_columns == 0 {
            return;
        }
        let Some(selection) = self.selection else {
            if let Some(row) = rows.table_row(0) {
                self.select(CellPos { row, column: 0 }, false);
            }
            return;
        };
        let last_position = rows.len() - 1;
        let last_column = num_columns - 1;
        let mut position = rows.position_of(selection.cursor.row);
        let mut column = selection.cursor.column.min(last_column);
        match motion {
            Motion::Up(count) => position = position.saturating_sub(count),
            Motion::Down(count) => position = position.saturating_add(count).min(last_position),
            Motion::Left => column = column.saturating_sub(1),
            Motion::Right => column = (column + 1).min(last_column),
            Motion::RowStart => column = 0,
            Motion::RowEnd => column = last_column,
            Motion::First => (position, column) = (0, 0),
            Motion::Last => (position, column) = (last_position, last_column),
        }
        if let Some(row) = rows.table_row(position) {
            self.select(CellPos { row, column }, extend);
        }
    }

    /// Selects a cell (or extends the selection to it) and scrolls it into view.
    fn select(&mut self, cell: CellPos, extend: bool) {
        match &mut self.selection {
            Some(selection) => selection.move_to(cell, extend),
            None => self.selection = Some(Selection::single(cell)),
        }
        self.scroll_to = Some((self.row_filter.last().position_of(cell.row), None));
        self.reveal_cursor = true;
    }

    // ----- editing -----

    /// Opens the editor on the cursor's cell, with `text` replacing the cell's text or, when
    /// `None`, keeping it.
    fn start_edit(&mut self, table: &Table, text: Option<String>) {
        let Some(selection) = self.selection else {
            return;
        };
        let cell = selection.cursor;
        let text = text.unwrap_or_else(|| table.cell(cell.row, cell.column).into_owned());
        self.selection = Some(Selection::single(cell));
        self.editor = Some(CellEditor {
            cell,
            text,
            fresh: true,
        });
        self.scroll_to = Some((self.row_filter.last().position_of(cell.row), None));
        self.reveal_cursor = true;
    }

    /// Writes the editor's text into its cell (as one undo step, if it changed) and closes it.
    fn commit_edit(&mut self, table: &mut Table) {
        let Some(editor) = self.editor.take() else {
            return;
        };
        let CellPos { row, column } = editor.cell;
        if table.cell(row, column) != editor.text {
            self.apply(
                table,
                vec![Edit::SetCell {
                    row,
                    column,
                    value: editor.text,
                }],
            );
        }
    }

    /// Applies edits as one undo step; a failure is shown in plain words.
    fn apply(&mut self, table: &mut Table, edits: Vec<Edit>) -> bool {
        if edits.is_empty() {
            return false;
        }
        match table.apply_group(edits) {
            Ok(()) => {
                self.changed();
                true
            }
            Err(err) => {
                tracing::warn!("A table edit was refused: {err}");
                self.notice = Some(format!("That change could not be made. {err}"));
                false
            }
        }
    }

    // ----- commands -----

    /// Carries out one command.
    fn run(&mut self, command: Command, ctx: &egui::Context, table: &mut Table) {
        self.refresh_rows(table);
        if !matches!(command, Command::Select { .. } | Command::SelectRow { .. }) {
            self.notice = None;
        }
        if self.editor.is_some() && !matches!(command, Command::OpenFind { .. }) {
            self.commit_edit(table);
            self.refresh_rows(table);
        }
        let num_columns = table.num_columns();
        match command {
            Command::Select { cell, extend } => self.select(cell, extend),
            Command::SelectRow { row, extend } => {
                // The cursor goes to the row's first cell and the anchor to its last, so the
                // whole row is selected and typing starts at the left.
                self.select(CellPos { row, column: 0 }, extend);
                if let Some(selection) = &mut self.selection {
                    if !extend {
                        selection.anchor.row = row;
                    }
                    selection.anchor.column = num_columns.saturating_sub(1);
                }
            }
            Command::Edit { cell } => {
                self.select(cell, false);
                self.start_edit(table, None);
            }
            Command::Copy => self.copy(ctx, table),
            Command::Cut => {
                self.copy(ctx, table);
                self.clear(table);
            }
            Command::RequestPaste => ctx.send_viewport_cmd(egui::ViewportCommand::RequestPaste),
            Command::Clear => self.clear(table),
            Command::InsertRow { below } => self.insert_row(table, below),
            Command::DeleteRows => self.delete_rows(table),
            Command::InsertColumn { right } => self.insert_column(table, right),
            Command::DeleteColumn => {
                let Some(column) = self.cursor_column(num_columns) else {
                    return;
                };
                if self.apply(table, vec![Edit::DeleteColumn { column }]) {
                    self.columns_changed();
                }
            }
            Command::RenameColumn => {
                if let Some(column) = self.cursor_column(num_columns) {
                    self.rename = Some(Rename {
                        column,
                        name: table.column_name(column).to_owned(),
                        fresh: true,
                    });
                }
            }
            Command::Sort { kind, descending } => {
                if let Some(column) = self.cursor_column(num_columns) {
                    self.sort(table, column, kind, descending);
                }
            }
            Command::HeaderSort { column } => {
                let descending = self.sorted_by == Some((column, false));
                self.sort(table, column, SortKind::Natural, descending);
            }
            Command::OpenFind { replace } => self.find.open(replace),
        }
    }

    /// The cursor's column, if there is a selection inside the table.
    fn cursor_column(&self, num_columns: usize) -> Option<usize> {
        self.selection
            .map(|selection| selection.cursor.column)
            .filter(|&column| column < num_columns)
    }

    /// Counts a change to the columns: widths are measured again and the sort arrow goes.
    fn columns_changed(&mut self) {
        self.column_generation += 1;
        self.sorted_by = None;
    }

    /// Sorts the rows by a column as one undo step.
    fn sort(&mut self, table: &mut Table, column: usize, kind: SortKind, descending: bool) {
        let edit = Edit::SortRows {
            column,
            kind,
            descending,
        };
        if self.apply(table, vec![edit]) {
            self.sorted_by = Some((column, descending));
        }
    }

    /// The selected cells that are shown, as rows of columns.
    fn selected_cells(&self) -> Option<(Vec<usize>, std::ops::RangeInclusive<usize>)> {
        let selection = self.selection?;
        Some((
            selection.table_rows(self.row_filter.last()),
            selection.columns(),
        ))
    }

    /// Puts the selected cells on the clipboard as tab-separated text.
    fn copy(&self, ctx: &egui::Context, table: &Table) {
        let Some((rows, columns)) = self.selected_cells() else {
            return;
        };
        let text = clipboard::to_tsv(rows.iter().map(|&row| {
            columns
                .clone()
                .map(move |column| table.cell(row, column).into_owned())
        }));
        ctx.copy_text(text);
    }

    /// Empties the selected cells as one undo step.
    fn clear(&mut self, table: &mut Table) {
        let Some((rows, columns)) = self.selected_cells() else {
            return;
        };
        let edits = rows
            .iter()
            .flat_map(|&row| columns.clone().map(move |column| (row, column)))
            .filter(|&(row, column)| !table.cell(row, column).is_empty())
            .map(|(row, column)| Edit::SetCell {
                row,
                column,
                value: String::new(),
            })
            .collect();
        self.apply(table, edits);
    }

    /// Pastes tab-separated text at the selection as one undo step. Rows past the end of the
    /// table are added; cells past the last column are left out, and the notice says so. One
    /// value pasted over several selected cells fills them all.
    fn paste(&mut self, table: &mut Table, text: &str) {
        self.notice = None;
        let block = clipboard::from_tsv(text);
        let num_columns = table.num_columns();
        if num_columns == 0 {
            self.notice = Some("Add a column before pasting into an empty table.".to_owned());
            return;
        }
        let rows = self.row_filter.last();
        let selection = self.selection.unwrap_or(Selection::single(CellPos {
            row: rows.table_row(0).unwrap_or(0),
            column: 0,
        }));
        if let [single_row] = block.as_slice()
            && let [value] = single_row.as_slice()
            && selection.anchor != selection.cursor
        {
            let edits = selection
                .table_rows(rows)
                .into_iter()
                .flat_map(|row| selection.columns().map(move |column| (row, column)))
                .map(|(row, column)| Edit::SetCell {
                    row,
                    column,
                    value: value.clone(),
                })
                .collect();
            self.apply(table, edits);
            return;
        }
        let top = if rows.is_empty() {
            0
        } else {
            *selection.positions(rows).start()
        };
        let left = *selection.columns().start();
        let mut added = 0;
        let targets: Vec<usize> = (0..block.len())
            .map(|offset| {
                rows.table_row(top + offset).unwrap_or_else(|| {
                    added += 1;
                    table.num_rows() + added - 1
                })
            })
            .collect();
        let mut edits = Vec::new();
        if added > 0 {
            edits.push(Edit::InsertRows {
                at: table.num_rows(),
                count: added,
            });
        }
        let mut clipped = false;
        let mut widest = 0;
        for (&row, cells) in targets.iter().zip(&block) {
            widest = widest.max(cells.len());
            for (offset, value) in cells.iter().enumerate() {
                let column = left + offset;
                if column >= num_columns {
                    clipped = true;
                } else if table.cell(row, column) != value.as_str() || row >= table.num_rows() {
                    edits.push(Edit::SetCell {
                        row,
                        column,
                        value: value.clone(),
                    });
                }
            }
        }
        if !self.apply(table, edits) && added > 0 {
            return;
        }
        if let (Some(&first), Some(&last)) = (targets.first(), targets.last()) {
            let right = (left + widest.max(1) - 1).min(num_columns - 1);
            self.refresh_rows(table);
            self.selection = Some(Selection {
                anchor: CellPos {
                    row: first,
                    column: left,
                },
                cursor: CellPos {
                    row: last,
                    column: right,
                },
            });
        }
        if clipped {
            self.notice = Some(
                "The pasted cells were wider than the table; cells past the last column were \
                 left out."
                    .to_owned(),
            );
        }
    }

    /// Inserts an empty row above the selection's top row or below its bottom row (at the end
    /// when nothing is selected).
    fn insert_row(&mut self, table: &mut Table, below: bool) {
        let selected = self
            .selection
            .map(|selection| selection.table_rows(self.row_filter.last()))
            .unwrap_or_default();
        let at = match (selected.first(), selected.last()) {
            (Some(&top), Some(&bottom)) => {
                if below {
                    bottom + 1
                } else {
                    top
                }
            }
            _ => table.num_rows(),
        };
        let column = self
            .selection
            .map_or(0, |selection| selection.cursor.column);
        if self.apply(table, vec![Edit::InsertRows { at, count: 1 }]) {
            self.refresh_rows(table);
            self.select(CellPos { row: at, column }, false);
            if self.row_filter.last().is_filtered() {
                self.notice =
                    Some("A row was added; it is hidden until the filter is cleared.".to_owned());
            }
        }
    }

    /// Deletes the selected rows as one undo step.
    fn delete_rows(&mut self, table: &mut Table) {
        let Some(selection) = self.selection else {
            return;
        };
        let rows = selection.table_rows(self.row_filter.last());
        let Some(&top) = rows.first() else {
            return;
        };
        if self.apply(table, vec![Edit::DeleteRows { rows }]) {
            self.selection = Selection::single(CellPos {
                row: top,
                column: selection.cursor.column,
            })
            .clamped(table.num_rows(), table.num_columns());
        }
    }

    /// Inserts an empty column left or right of the cursor (at the end when nothing is
    /// selected), named so it does not repeat another column's name.
    fn insert_column(&mut self, table: &mut Table, right: bool) {
        let at = match self.cursor_column(table.num_columns()) {
            Some(column) if right => column + 1,
            Some(column) => column,
            None => table.num_columns(),
        };
        let mut name = "New column".to_owned();
        let mut number = 1;
        while table.find_column(&name).is_some() {
            number += 1;
            name = format!("New column {number}");
        }
        let edit = Edit::InsertColumn {
            at,
            name,
            cells: None,
        };
        if self.apply(table, vec![edit]) {
            self.columns_changed();
            let row = self.selection.map_or(0, |selection| selection.cursor.row);
            self.selection = Selection::single(CellPos { row, column: at })
                .clamped(table.num_rows(), table.num_columns());
        }
    }

    // ----- find and replace -----

    /// How many shown cells hold the find text, counted again only when something it depends
    /// on changed.
    fn match_count(&mut self, table: &Table) -> Option<usize> {
        let matcher = Matcher::new(&self.find.needle, self.find.match_case)?;
        let key = CountKey {
            rows: self.filter_key(table),
            needle: self.find.needle.clone(),
            match_case: self.find.match_case,
        };
        if let Some((counted_for, count)) = &self.match_count
            && *counted_for == key
        {
            return Some(*count);
        }
        let rows = self.refresh_rows(table);
        let num_columns = table.num_columns();
        let count = (0..rows.len())
            .filter_map(|position| rows.table_row(position))
            .map(|row| {
                (0..num_columns)
                    .filter(|&column| matcher.is_match(&table.cell(row, column)))
                    .count()
            })
            .sum();
        self.match_count = Some((key, count));
        Some(count)
    }

    /// Carries out what the find bar asked for.
    fn run_find(&mut self, action: FindAction, table: &mut Table) {
        self.notice = None;
        self.refresh_rows(table);
        match action {
            FindAction::Next => {
                self.find_step(table, true);
            }
            FindAction::Previous => {
                self.find_step(table, false);
            }
            FindAction::Replace => self.replace_current(table),
            FindAction::ReplaceAll => self.replace_all(table),
            FindAction::Close => self.find.close(),
        }
    }

    /// Selects the next (or previous) shown cell holding the find text, going round the end.
    fn find_step(&mut self, table: &Table, forward: bool) -> bool {
        let Some(matcher) = Matcher::new(&self.find.needle, self.find.match_case) else {
            return false;
        };
        let rows = self.row_filter.last();
        let num_columns = table.num_columns();
        let total = rows.len() * num_columns;
        if total == 0 {
            return false;
        }
        let start = self
            .selection
            .map_or(if forward { total - 1 } else { 0 }, |selection| {
                rows.position_of(selection.cursor.row) * num_columns
                    + selection.cursor.column.min(num_columns - 1)
            });
        for step in 1..=total {
            let index = if forward {
                (start + step) % total
            } else {
                (start + total - step) % total
            };
            let (position, column) = (index / num_columns, index % num_columns);
            if let Some(row) = rows.table_row(position)
                && matcher.is_match(&table.cell(row, column))
            {
                self.selection = None;
                self.select(CellPos { row, column }, false);
                return true;
            }
        }
        self.notice = Some(format!("No cell contains “{}”.", self.find.needle));
        false
    }

    /// Replaces the find text in the cursor's cell if it holds it, then finds the next one.
    fn replace_current(&mut self, table: &mut Table) {
        let Some(matcher) = Matcher::new(&self.find.needle, self.find.match_case) else {
            return;
        };
        if let Some(selection) = self.selection {
            let CellPos { row, column } = selection.cursor;
            if let Some(value) =
                matcher.replace_all(&table.cell(row, column), &self.find.replacement)
            {
                self.apply(table, vec![Edit::SetCell { row, column, value }]);
                self.refresh_rows(table);
            }
        }
        self.find_step(table, true);
    }

    /// Replaces the find text in every shown cell as one undo step.
    fn replace_all(&mut self, table: &mut Table) {
        let Some(matcher) = Matcher::new(&self.find.needle, self.find.match_case) else {
            return;
        };
        let rows = self.row_filter.last();
        let num_columns = table.num_columns();
        let edits: Vec<Edit> = (0..rows.len())
            .filter_map(|position| rows.table_row(position))
            .flat_map(|row| (0..num_columns).map(move |column| (row, column)))
            .filter_map(|(row, column)| {
                let value =
                    matcher.replace_all(&table.cell(row, column), &self.find.replacement)?;
                Some(Edit::SetCell { row, column, value })
            })
            .collect();
        let count = edits.len();
        self.notice = Some(match count {
            0 => format!("No cell contains “{}”.", self.find.needle),
            _ if self.apply(table, edits) => match count {
                1 => "Replaced in 1 cell. Undo puts it back.".to_owned(),
                _ => format!("Replaced in {count} cells. One undo puts them all back."),
            },
            _ => return,
        });
    }

    // ----- bars and dialogs -----

    /// The quick filter, the status filter in force, how many rows are shown, and the last
    /// notice.
    fn toolbar_ui(&mut self, ui: &mut egui::Ui, table: &Table) {
        ui.horizontal(|ui| {
            let label = ui.label("Filter rows:");
            ui.add(
                egui::TextEdit::singleline(&mut self.quick_filter)
                    .id(ui.scope_id().with("quick_filter"))
                    .hint_text("text in any cell")
                    .desired_width(180.0),
            )
            .labelled_by(label.id);
            if !self.quick_filter.is_empty() && ui.button("Clear filter").clicked() {
                self.quick_filter.clear();
            }
            if let Some(kind) = self.status_filter {
                ui.label(format!("Only rows with status “{}”", kind.label()));
                if ui.button("Show every status").clicked() {
                    self.status_filter = None;
                }
            }
            let shown = self.refresh_rows(table);
            if shown.is_filtered() {
                ui.label(format!(
                    "Showing {} of {} rows",
                    shown.len(),
                    table.num_rows()
                ));
            }
            if let Some(notice) = &self.notice {
                ui.separator();
                ui.label(notice);
                if ui.small_button("Dismiss").clicked() {
                    self.notice = None;
                }
            }
        });
    }

    /// The small dialog that asks for a column's new name.
    fn rename_ui(&mut self, ui: &egui::Ui, table: &mut Table) {
        let Some(rename) = &mut self.rename else {
            return;
        };
        let mut confirmed = None;
        let modal = egui::Modal::new(Id::unique("table_view_rename")).show(ui.ctx(), |ui| {
            ui.heading("Rename column");
            let label = ui.label("New name:");
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut rename.name)
                        .id(ui.scope_id().with("rename_text")),
                )
                .labelled_by(label.id);
            if std::mem::take(&mut rename.fresh) {
                field.request_focus();
            }
            if field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                confirmed = Some(true);
            }
            ui.horizontal(|ui| {
                if ui.button("Rename").clicked() {
                    confirmed = Some(true);
                }
                if ui.button("Cancel").clicked() {
                    confirmed = Some(false);
                }
            });
        });
        if modal.should_close() && confirmed.is_none() {
            confirmed = Some(false);
        }
        let Some(confirmed) = confirmed else {
            return;
        };
        let Some(Rename { column, name, .. }) = self.rename.take() else {
            return;
        };
        let name = name.trim().to_owned();
        if confirmed && !name.is_empty() && name != table.column_name(column) {
            self.apply(table, vec![Edit::RenameColumn { column, name }]);
        }
    }
}

/// A cursor movement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Motion {
    Up(usize),
    Down(usize),
    Left,
    Right,
    RowStart,
    RowEnd,
    First,
    Last,
}

/// Starting widths for each column from its header and the first rows, within sensible bounds.
fn measure_widths(ui: &egui::Ui, table: &Table) -> Vec<f32> {
    let font_id = TextStyle::Body.resolve(ui.style());
    let padding = 16.0;
    let sample_rows = table.num_rows().min(WIDTH_SAMPLE_ROWS);
    ui.ctx().fonts_mut(|fonts| {
        let mut text_width = |text: &str| -> f32 {
            text.chars()
                .take(WIDTH_SAMPLE_CHARS)
                .map(|c| fonts.glyph_width(&font_id, c))
                .sum()
        };
        (0..table.num_columns())
            .map(|column| {
                // Room for the sort arrow beside the name.
                let header = text_width(table.column_name(column)) + text_width("  ");
                let widest = (0..sample_rows)
                    .map(|row| text_width(&table.cell(row, column)))
                    .fold(header, f32::max);
                (widest + padding).clamp(MIN_COLUMN_WIDTH, MAX_COLUMN_WIDTH)
            })
            .collect()
    })
}
