//! The grid that shows the table. (A read-only first version; the editable grid replaces it.)

use egui_extras::{Column, TableBuilder};

use crate::enrich::outcome::StatusKind;
use crate::table::Table;

/// The grid's state.
#[derive(Default)]
pub struct TableView {
    status_column: Option<usize>,
    status_filter: Option<StatusKind>,
    visible_rows: Option<(u64, Option<StatusKind>, Vec<usize>)>,
}

impl TableView {
    /// A soft background for rows of a status kind, readable in light and dark themes.
    pub fn tint(visuals: &egui::Visuals, kind: StatusKind) -> egui::Color32 {
        let (r, g, b) = match kind {
            StatusKind::Found => (60, 170, 90),
            StatusKind::NotFound => (140, 140, 140),
            StatusKind::Invalid => (210, 70, 70),
            StatusKind::NotLookedUp => (220, 160, 40),
            StatusKind::Pending => (70, 130, 220),
        };
        let alpha = if visuals.dark_mode { 60 } else { 45 };
        egui::Color32::from_rgba_unmultiplied(r, g, b, alpha)
    }

    /// The table changed outside the view.
    pub fn table_changed(&mut self) {
        self.visible_rows = None;
    }

    /// Rows are tinted by this column's status text.
    pub fn set_status_column(&mut self, column: Option<usize>) {
        self.status_column = column;
    }

    /// Shows only rows of one status kind.
    pub fn set_status_filter(&mut self, filter: Option<StatusKind>) {
        self.status_filter = filter;
    }

    /// The status kind shown, if filtered.
    pub fn status_filter(&self) -> Option<StatusKind> {
        self.status_filter
    }

    /// The view's items in the Edit menu.
    pub fn edit_menu_ui(&mut self, _ui: &mut egui::Ui, _table: &mut Table) {}

    /// Draws the grid.
    pub fn ui(&mut self, ui: &mut egui::Ui, table: &mut Table) {
        let generation = table.generation();
        let is_stale = self
            .visible_rows
            .as_ref()
            .is_none_or(|(seen, filter, _)| *seen != generation || *filter != self.status_filter);
        if is_stale {
            let rows = (0..table.num_rows())
                .filter(|row_idx| match (self.status_filter, self.status_column) {
                    (Some(kind), Some(col_idx)) => {
                        StatusKind::of(&table.cell(*row_idx, col_idx)) == Some(kind)
                    }
                    _ => true,
                })
                .collect();
            self.visible_rows = Some((generation, self.status_filter, rows));
        }
        let Some((_, _, rows)) = &self.visible_rows else {
            return;
        };
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        let visuals = ui.visuals().clone();
        TableBuilder::new(ui)
            .striped(true)
            .resizable(true)
            .column(Column::auto().at_least(40.0))
            .columns(
                Column::initial(140.0).at_least(40.0).clip(true),
                table.num_columns(),
            )
            .header(row_height, |mut header| {
                header.col(|ui| {
                    ui.label("#");
                });
                for col_idx in 0..table.num_columns() {
                    header.col(|ui| {
                        ui.strong(table.column_name(col_idx));
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, rows.len(), |mut row| {
                    let Some(&row_idx) = rows.get(row.index()) else {
                        return;
                    };
                    let tint = self
                        .status_column
                        .and_then(|col_idx| StatusKind::of(&table.cell(row_idx, col_idx)))
                        .map(|kind| Self::tint(&visuals, kind));
                    row.col(|ui| {
                        ui.weak((row_idx + 1).to_string());
                    });
                    for col_idx in 0..table.num_columns() {
                        row.col(|ui| {
                            if let Some(tint) = tint {
                                ui.painter().rect_filled(ui.max_rect(), 0.0, tint);
                            }
                            ui.label(table.cell(row_idx, col_idx).as_ref());
                        });
                    }
                });
            });
    }
}
