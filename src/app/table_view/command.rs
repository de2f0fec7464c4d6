//! What the grid's keys, mouse and menus ask the view to do, and the menu items that ask it.
//!
//! Drawing the grid only reads the table; everything that changes the table or the selection is
//! collected as a [`Command`] while drawing and carried out afterwards, in one place, so a menu
//! item, its shortcut and a context menu entry all do exactly the same thing.

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::table::SortKind;

use super::selection::CellPos;

/// Ctrl+F: open the find bar.
pub(crate) const FIND: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
/// Ctrl+H: open the find bar with the replace field.
pub(crate) const REPLACE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::H);
/// Ctrl+Plus: insert a row below the selection.
pub(crate) const INSERT_ROW: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND, Key::Plus);
/// Ctrl+= is where Ctrl+Plus is on keyboards whose plus needs Shift.
pub(crate) const INSERT_ROW_SECONDARY: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND, Key::Equals);
/// Ctrl+Minus: delete the selected rows.
pub(crate) const DELETE_ROWS: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND, Key::Minus);
/// Ctrl+C, shown in menus (the copy itself arrives as a copy event).
pub(crate) const COPY: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::C);
/// Ctrl+X, shown in menus.
pub(crate) const CUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::X);
/// Ctrl+V, shown in menus.
pub(crate) const PASTE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::V);

/// One thing the user asked the grid to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Command {
    /// Select a cell, or extend the selection to it.
    Select {
        /// The cell.
        cell: CellPos,
        /// Keep the anchor (Shift held).
        extend: bool,
    },
    /// Select a whole row, or extend the selection to it.
    SelectRow {
        /// The table row.
        row: usize,
        /// Keep the anchor (Shift held).
        extend: bool,
    },
    /// Start editing a cell, keeping its text.
    Edit {
        /// The cell.
        cell: CellPos,
    },
    /// Copy the selected cells.
    Copy,
    /// Copy the selected cells, then empty them.
    Cut,
    /// Ask the system for the clipboard; it arrives as a paste event.
    RequestPaste,
    /// Empty the selected cells.
    Clear,
    /// Insert an empty row above or below the cursor.
    InsertRow {
        /// Below instead of above.
        below: bool,
    },
    /// Delete the selected rows.
    DeleteRows,
    /// Insert an empty column left or right of the cursor.
    InsertColumn {
        /// Right instead of left.
        right: bool,
    },
    /// Delete the cursor's column.
    DeleteColumn,
    /// Ask for a new name for the cursor's column.
    RenameColumn,
    /// Sort the rows by the cursor's column.
    Sort {
        /// How cells compare.
        kind: SortKind,
        /// Largest first.
        descending: bool,
    },
    /// A click on a column header: sort by it in natural order, flipping the direction when it
    /// is already sorted by it.
    HeaderSort {
        /// The column.
        column: usize,
    },
    /// Open the find bar.
    OpenFind {
        /// Show the replace field too.
        replace: bool,
    },
}

/// A menu entry with its shortcut; closes the menu when clicked.
fn item_ui(
    ui: &mut egui::Ui,
    enabled: bool,
    label: &str,
    shortcut: Option<&KeyboardShortcut>,
) -> bool {
    let mut button = egui::Button::new(label);
    if let Some(shortcut) = shortcut {
        button = button.shortcut_text(ui.ctx().format_shortcut(shortcut));
    }
    let clicked = ui.add_enabled(enabled, button).clicked();
    if clicked {
        ui.close();
    }
    clicked
}

/// The find entries.
pub(crate) fn find_items_ui(ui: &mut egui::Ui, out: &mut Vec<Command>) {
    if item_ui(ui, true, "Find…", Some(&FIND)) {
        out.push(Command::OpenFind { replace: false });
    }
    if item_ui(ui, true, "Find and replace…", Some(&REPLACE)) {
        out.push(Command::OpenFind { replace: true });
    }
}

/// Copy, cut and paste.
pub(crate) fn clipboard_items_ui(ui: &mut egui::Ui, has_selection: bool, out: &mut Vec<Command>) {
    if item_ui(ui, has_selection, "Copy", Some(&COPY)) {
        out.push(Command::Copy);
    }
    if item_ui(ui, has_selection, "Cut", Some(&CUT)) {
        out.push(Command::Cut);
    }
    if item_ui(ui, has_selection, "Paste", Some(&PASTE)) {
        out.push(Command::RequestPaste);
    }
}

/// Inserting and deleting rows. Inserting works in an empty table too.
pub(crate) fn row_items_ui(ui: &mut egui::Ui, has_selection: bool, out: &mut Vec<Command>) {
    if item_ui(ui, true, "Insert row above", None) {
        out.push(Command::InsertRow { below: false });
    }
    if item_ui(ui, true, "Insert row below", Some(&INSERT_ROW)) {
        out.push(Command::InsertRow { below: true });
    }
    if item_ui(
        ui,
        has_selection,
        "Delete selected rows",
        Some(&DELETE_ROWS),
    ) {
        out.push(Command::DeleteRows);
    }
}

/// Sorting by, inserting, deleting and renaming the current column.
pub(crate) fn column_items_ui(ui: &mut egui::Ui, has_column: bool, out: &mut Vec<Command>) {
    let sorts = [
        ("Sort A to Z", SortKind::Text, false),
        ("Sort Z to A", SortKind::Text, true),
        (
            "Sort in natural order (2 before 10)",
            SortKind::Natural,
            false,
        ),
    ];
    for (label, kind, descending) in sorts {
        if item_ui(ui, has_column, label, None) {
            out.push(Command::Sort { kind, descending });
        }
    }
    ui.separator();
    if item_ui(ui, true, "Insert column left", None) {
        out.push(Command::InsertColumn { right: false });
    }
    if item_ui(ui, true, "Insert column right", None) {
        out.push(Command::InsertColumn { right: true });
    }
    if item_ui(ui, has_column, "Delete column", None) {
        out.push(Command::DeleteColumn);
    }
    if item_ui(ui, has_column, "Rename column…", None) {
        out.push(Command::RenameColumn);
    }
}
