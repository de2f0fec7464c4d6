//! Drawing the grid: row numbers, a sticky header and only the rows that are on screen.
//!
//! `egui_extras` lays out just the visible rows of a fixed row height, so a million-row table costs
//! the same per frame as a ten-row one. Each cell is one clickable rectangle with its text painted
//! in it and its text as its accessible name. Drawing only reads the table; clicks and menu
//! choices come back as [`Command`]s.

use egui::accesskit::Role;
use egui::{Align, Align2, Color32, Id, Rect, Sense, Stroke, TextStyle, TextWrapMode, WidgetText};
use egui_extras::{Column, TableBuilder};

use crate::table::Table;

use super::command::{self, Command};
use super::row_filter::VisibleRows;
use super::selection::{CellPos, Selection};
use crate::enrich::outcome::StatusKind;

/// Space between a cell's edge and its text.
const CELL_PADDING: f32 = 4.0;

/// A cell being edited: where, and the text typed so far.
#[derive(Clone, Debug)]
pub(crate) struct CellEditor {
    /// The cell.
    pub cell: CellPos,
    /// The text in the editor.
    pub text: String,
    /// Whether the editor was just opened and still needs the keyboard and its caret placed.
    pub fresh: bool,
}

/// What the grid needs to know to draw one frame.
pub(crate) struct GridInput<'a> {
    /// The document.
    pub table: &'a Table,
    /// The rows shown.
    pub rows: &'a VisibleRows,
    /// The selected cells.
    pub selection: Option<Selection>,
    /// The `Lookup Status` column that tints rows.
    pub status_column: Option<usize>,
    /// The column the rows were last sorted by from its header, and whether descending.
    pub sorted_by: Option<(usize, bool)>,
    /// The starting width of each column.
    pub widths: &'a [f32],
    /// Forget widths the user dragged, because the columns changed.
    pub reset_widths: bool,
    /// Scroll so that this screen position is visible.
    pub scroll_to: Option<(usize, Option<Align>)>,
    /// Scroll sideways so the cursor's cell is visible.
    pub reveal_cursor: bool,
    /// The id that holds the grid's keyboard focus.
    pub focus_id: Id,
}

/// What drawing the grid produced.
#[derive(Debug, Default)]
pub(crate) struct GridOutput {
    /// What the user asked for.
    pub commands: Vec<Command>,
    /// How many rows fit on screen, for Page Up and Page Down.
    pub page_rows: usize,
    /// Whether the cursor's cell was drawn and scrolled to sideways.
    pub revealed: bool,
    /// Whether the editor lost the keyboard (the user clicked elsewhere): commit it.
    pub editor_lost_focus: bool,
}

/// The id of the cell editor's text field.
pub(crate) fn editor_id(focus_id: Id) -> Id {
    focus_id.with("cell_editor")
}

/// Per-frame facts about the selection, worked out once rather than per cell.
struct SelectionSpan {
    positions: std::ops::RangeInclusive<usize>,
    columns: std::ops::RangeInclusive<usize>,
    cursor: CellPos,
}

/// Draws the grid.
pub(crate) fn grid_ui(
    ui: &mut egui::Ui,
    input: &GridInput<'_>,
    editor: &mut Option<CellEditor>,
) -> GridOutput {
    let mut out = GridOutput::default();
    let table = input.table;
    let num_columns = table.num_columns();
    let row_height = ui.text_style_height(&TextStyle::Body) + 2.0 * CELL_PADDING;
    let header_height = row_height + 2.0;
    let spacing_y = ui.spacing().item_spacing.y;
    let body_height = (ui.available_height() - header_height).max(row_height);
    out.page_rows = rows_that_fit(body_height, row_height + spacing_y);

    let span = input.selection.map(|selection| SelectionSpan {
        positions: selection.positions(input.rows),
        columns: selection.columns(),
        cursor: selection.cursor,
    });
    let number_width = row_number_width(ui, table.num_rows());
    let dark_mode = ui.visuals().dark_mode;

    egui::ScrollArea::horizontal()
        .id_salt("table_view_sideways")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let mut builder = TableBuilder::new(ui)
                .id_salt("table_view_grid")
                .striped(false)
                .resizable(true)
                .auto_shrink([false, false])
                .animate_scrolling(false)
                .min_scrolled_height(0.0)
                .cell_layout(egui::Layout::left_to_right(Align::Center))
                .column(Column::exact(number_width).resizable(false));
            for &width in input.widths.iter().take(num_columns) {
                builder = builder.column(
                    Column::initial(width)
                        .at_least(super::MIN_COLUMN_WIDTH)
                        .at_most(super::MAX_COLUMN_WIDTH * 2.0)
                        .resizable(true)
                        .clip(true),
                );
            }
            if input.reset_widths {
                builder.reset();
            }
            if let Some((position, align)) = input.scroll_to {
                builder = builder.scroll_to_row(position, align);
            }
            builder
                .header(header_height, |mut header| {
                    header.col(|ui| {
                        let (_, response) = allocate_cell(ui);
                        response.widget_info(|| {
                            egui::WidgetInfo::labeled(Role::ColumnHeader, true, "Row number")
                        });
                    });
                    for column in 0..num_columns {
                        header.col(|ui| header_cell_ui(ui, input, column, &mut out.commands));
                    }
                })
                .body(|body| {
                    body.rows(row_height, input.rows.len(), |mut row| {
                        let Some(table_row) = input.rows.table_row(row.index()) else {
                            return;
                        };
                        let position = row.index();
                        let tint = input.status_column.and_then(|column| {
                            StatusKind::of(&table.cell(table_row, column))
                                .map(|kind| super::status::tint(kind, dark_mode))
                        });
                        row.col(|ui| {
                            row_number_ui(
                                ui,
                                table_row,
                                position,
                                span.as_ref(),
                                tint,
                                &mut out.commands,
                            );
                        });
                        for column in 0..num_columns {
                            let cell = CellPos {
                                row: table_row,
                                column,
                            };
                            row.col(|ui| {
                                let selected = span.as_ref().is_some_and(|span| {
                                    span.positions.contains(&position)
                                        && span.columns.contains(&column)
                                });
                                let is_cursor =
                                    span.as_ref().is_some_and(|span| span.cursor == cell);
                                if let Some(open) = editor.as_mut().filter(|e| e.cell == cell) {
                                    if editor_ui(ui, input, open) {
                                        out.editor_lost_focus = true;
                                    }
                                } else {
                                    cell_ui(ui, input, cell, selected, is_cursor, tint, &mut out);
                                }
                            });
                        }
                    });
                });
        });
    out
}

/// How many rows of `row_height` fit in `height`, at least one.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "a screen height over a row height is a small positive count"
)]
fn rows_that_fit(height: f32, row_height: f32) -> usize {
    (height / row_height.max(1.0)).floor().max(1.0) as usize
}

/// How wide the row-number column must be for the largest number.
fn row_number_width(ui: &egui::Ui, num_rows: usize) -> f32 {
    let digits = num_rows.max(1).to_string().len().max(2) as f32;
    let digit_width = ui.text_style_height(&TextStyle::Body) * 0.6;
    digits * digit_width + 3.0 * CELL_PADDING
}

/// Claims the whole cell as one clickable rectangle.
fn allocate_cell(ui: &mut egui::Ui) -> (Rect, egui::Response) {
    let rect = ui.max_rect();
    let response = ui.allocate_rect(rect, Sense::click());
    (rect, response)
}

/// Paints `text` in `rect`, cut short with "…" when it does not fit.
fn paint_text(ui: &egui::Ui, rect: Rect, text: &str, color: Color32) {
    let width = (rect.width() - 2.0 * CELL_PADDING).max(0.0);
    let galley = WidgetText::from(text).into_galley(
        ui,
        Some(TextWrapMode::Truncate),
        width,
        TextStyle::Body,
    );
    let pos = Align2::LEFT_CENTER
        .align_size_within_rect(galley.size(), rect.shrink2(egui::vec2(CELL_PADDING, 0.0)))
        .min;
    ui.painter().galley(pos, galley, color);
}

/// One column header: its name, the sort arrow, a click to sort and a context menu.
fn header_cell_ui(ui: &mut egui::Ui, input: &GridInput<'_>, column: usize, out: &mut Vec<Command>) {
    let (rect, response) = allocate_cell(ui);
    let name = input.table.column_name(column);
    if response.hovered() {
        ui.painter()
            .rect_filled(rect, 0.0, ui.visuals().widgets.hovered.weak_bg_fill);
    }
    let color = ui.visuals().strong_text_color();
    let sorted = input
        .sorted_by
        .and_then(|(sorted, descending)| (sorted == column).then_some(descending));
    let text_rect = if let Some(descending) = sorted {
        // The arrow is drawn rather than written: the bundled fonts have no arrow glyphs.
        let size = ui.text_style_height(&TextStyle::Body) * 0.4;
        let centre = egui::pos2(rect.right() - CELL_PADDING - size, rect.center().y);
        let (tip, base) = if descending { (1.0, -1.0) } else { (-1.0, 1.0) };
        let points = vec![
            centre + egui::vec2(0.0, tip * size * 0.6),
            centre + egui::vec2(-size * 0.7, base * size * 0.6),
            centre + egui::vec2(size * 0.7, base * size * 0.6),
        ];
        ui.painter()
            .add(egui::Shape::convex_polygon(points, color, Stroke::NONE));
        rect.with_max_x(rect.right() - 2.0 * size - CELL_PADDING)
    } else {
        rect
    };
    paint_text(ui, text_rect, name, color);
    response.widget_info(|| egui::WidgetInfo::labeled(Role::ColumnHeader, true, name));
    let response = response.on_hover_text("Click to sort by this column; right-click for more");
    if response.clicked() {
        out.push(Command::HeaderSort { column });
    }
    if response.secondary_clicked() {
        let row = input.selection.map_or(0, |selection| selection.cursor.row);
        out.push(Command::Select {
            cell: CellPos { row, column },
            extend: false,
        });
    }
    response.context_menu(|ui| command::column_items_ui(ui, true, out));
}

/// One row number: a click selects the row; a context menu offers row commands.
fn row_number_ui(
    ui: &mut egui::Ui,
    table_row: usize,
    position: usize,
    span: Option<&SelectionSpan>,
    tint: Option<Color32>,
    out: &mut Vec<Command>,
) {
    let (rect, response) = allocate_cell(ui);
    let in_selection = span.is_some_and(|span| span.positions.contains(&position));
    let fill = if in_selection {
        ui.visuals().selection.bg_fill.gamma_multiply(0.5)
    } else {
        tint.unwrap_or(ui.visuals().faint_bg_color)
    };
    ui.painter().rect_filled(rect, 0.0, fill);
    let number = (table_row + 1).to_string();
    paint_text(ui, rect, &number, ui.visuals().weak_text_color());
    response
        .widget_info(|| egui::WidgetInfo::labeled(Role::RowHeader, true, format!("Row {number}")));
    if response.clicked() {
        let extend = ui.input(|i| i.modifiers.shift);
        out.push(Command::SelectRow {
            row: table_row,
            extend,
        });
    }
    if response.secondary_clicked() && !in_selection {
        out.push(Command::SelectRow {
            row: table_row,
            extend: false,
        });
    }
    response.context_menu(|ui| {
        command::row_items_ui(ui, true, out);
        ui.separator();
        command::clipboard_items_ui(ui, true, out);
    });
}

/// One cell: its text over the row tint or the selection, a click selects it, a double click
/// edits it, and a context menu offers row and clipboard commands.
fn cell_ui(
    ui: &mut egui::Ui,
    input: &GridInput<'_>,
    cell: CellPos,
    selected: bool,
    is_cursor: bool,
    tint: Option<Color32>,
    out: &mut GridOutput,
) {
    let (rect, response) = allocate_cell(ui);
    let visuals = ui.visuals();
    if selected {
        ui.painter()
            .rect_filled(rect, 0.0, visuals.selection.bg_fill.gamma_multiply(0.6));
    } else if let Some(tint) = tint {
        ui.painter().rect_filled(rect, 0.0, tint);
    }
    let text = input.table.cell(cell.row, cell.column);
    paint_text(ui, rect, &text, visuals.text_color());
    if is_cursor {
        ui.painter().rect_stroke(
            rect.shrink(1.0),
            0.0,
            Stroke::new(2.0, visuals.selection.stroke.color),
            egui::StrokeKind::Inside,
        );
        if input.reveal_cursor {
            ui.scroll_to_rect(rect, None);
            out.revealed = true;
        }
    }
    response.widget_info(|| egui::WidgetInfo::labeled(Role::Cell, true, &text));
    if response.double_clicked() {
        out.commands.push(Command::Edit { cell });
    } else if response.clicked() {
        let extend = ui.input(|i| i.modifiers.shift);
        out.commands.push(Command::Select { cell, extend });
    }
    if response.secondary_clicked() && !selected {
        out.commands.push(Command::Select {
            cell,
            extend: false,
        });
    }
    response.context_menu(|ui| {
        command::row_items_ui(ui, true, &mut out.commands);
        ui.separator();
        command::clipboard_items_ui(ui, true, &mut out.commands);
    });
}

/// The text field of the cell being edited. Returns whether it lost the keyboard.
fn editor_ui(ui: &mut egui::Ui, input: &GridInput<'_>, editor: &mut CellEditor) -> bool {
    let id = editor_id(input.focus_id);
    if editor.fresh {
        let mut state = egui::text_edit::TextEditState::load(ui.ctx(), id).unwrap_or_default();
        let end = egui::text::CCursor::end_of_str(&editor.text);
        state
            .cursor
            .set_char_range(Some(egui::text::CCursorRange::one(end)));
        state.store(ui.ctx(), id);
    }
    let response = ui.add(
        egui::TextEdit::singleline(&mut editor.text)
            .id(id)
            .desired_width(f32::INFINITY)
            .margin(egui::vec2(CELL_PADDING - 1.0, 0.0))
            .event_filter(egui::EventFilter {
                tab: true,
                horizontal_arrows: true,
                vertical_arrows: true,
                escape: true,
            }),
    );
    let name = input.table.column_name(editor.cell.column);
    let label = format!("Edit {name}, row {}", editor.cell.row + 1);
    ui.ctx()
        .accesskit_node_builder(response.id, |node| node.set_label(label));
    if editor.fresh {
        response.request_focus();
        editor.fresh = false;
        return false;
    }
    response.lost_focus()
}
