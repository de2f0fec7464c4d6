//! The bar above the table that shows how the file was read, with a control for each guess.

use crate::app::Document;
use crate::csv_io::{Delimiter, Dialect, TextEncoding};

/// The encodings a file can be read as.
const ENCODINGS: [TextEncoding; 4] = [
    TextEncoding::Utf8,
    TextEncoding::Utf16Le,
    TextEncoding::Utf16Be,
    TextEncoding::Windows1252,
];

/// Shows the bar; returns a new dialect when the user changed a guess, so the file is read
/// again that way.
pub fn ui(ui: &mut egui::Ui, document: &Document) -> Option<Dialect> {
    let mut dialect = document.dialect;
    // Reading the file again would drop unsaved edits, so the choices wait for a save.
    let is_dirty = document.table.is_dirty();
    ui.horizontal(|ui| {
        if is_dirty {
            ui.disable();
        }
        let label = ui.label("Read as:");
        egui::ComboBox::from_id_salt("import-encoding")
            .selected_text(dialect.encoding.label())
            .show_ui(ui, |ui| {
                for encoding in ENCODINGS {
                    ui.selectable_value(&mut dialect.encoding, encoding, encoding.label());
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text("The text encoding. Change it if letters look wrong.");
        egui::ComboBox::from_id_salt("import-delimiter")
            .selected_text(format!("{} separated", dialect.delimiter.label()))
            .show_ui(ui, |ui| {
                for delimiter in Delimiter::ALL {
                    ui.selectable_value(
                        &mut dialect.delimiter,
                        delimiter,
                        format!("{} separated", delimiter.label()),
                    );
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text("What separates the cells. Change it if everything is in one column.");
        ui.checkbox(&mut dialect.has_header, "First row holds column names");
        if is_dirty {
            ui.weak("(save or undo your changes to read the file another way)");
        }
    });
    (dialect != document.dialect).then_some(dialect)
}
