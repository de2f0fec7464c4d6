//! The find bar above the grid: find next or previous, count matches, replace one or all.
//!
//! The bar only holds what the user typed and reports what they asked for as a [`FindAction`];
//! the view does the searching, so the bar never touches the table.

use egui::{Key, Modifiers};

/// What the user asked the find bar for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FindAction {
    /// Select the next match.
    Next,
    /// Select the previous match.
    Previous,
    /// Replace in the current cell, then go to the next match.
    Replace,
    /// Replace in every shown cell, as one undo step.
    ReplaceAll,
    /// Close the bar.
    Close,
}

/// Which parts of the find bar are shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum BarMode {
    /// The bar is closed.
    #[default]
    Closed,
    /// The find field alone.
    Find,
    /// The find and replace fields.
    FindAndReplace,
}

/// What the find bar holds between frames.
#[derive(Debug, Default)]
pub(crate) struct FindBar {
    /// Which parts are shown.
    pub mode: BarMode,
    /// The text to find.
    pub needle: String,
    /// The replacement.
    pub replacement: String,
    /// Match upper and lower case exactly.
    pub match_case: bool,
    /// Put the keyboard in the find field on the next frame.
    pub focus_requested: bool,
}

impl FindBar {
    /// Opens the bar (with the replace field when asked) and puts the keyboard in it.
    pub fn open(&mut self, replace: bool) {
        if replace || self.mode == BarMode::FindAndReplace {
            self.mode = BarMode::FindAndReplace;
        } else {
            self.mode = BarMode::Find;
        }
        self.focus_requested = true;
    }

    /// Whether the bar is shown.
    pub fn is_open(&self) -> bool {
        self.mode != BarMode::Closed
    }

    /// Hides the bar.
    pub fn close(&mut self) {
        self.mode = BarMode::Closed;
    }

    /// Draws the bar; `matches` is the number of matching cells, `None` while there is no
    /// text to find.
    pub fn ui(&mut self, ui: &mut egui::Ui, matches: Option<usize>) -> Option<FindAction> {
        let mut action = None;
        ui.horizontal(|ui| {
            let label = ui.label("Find:");
            let field = ui.add(
                egui::TextEdit::singleline(&mut self.needle)
                    .id(ui.scope_id().with("find_text"))
                    .desired_width(180.0),
            );
            let field = field.labelled_by(label.id);
            if std::mem::take(&mut self.focus_requested) {
                field.request_focus();
            }
            if field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                let backwards = ui.input(|i| i.modifiers.shift);
                action = Some(if backwards {
                    FindAction::Previous
                } else {
                    FindAction::Next
                });
                field.request_focus();
            }
            if field.has_focus() && ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
                action = Some(FindAction::Close);
            }
            if ui.button("Previous").on_hover_text("Shift+Enter").clicked() {
                action = Some(FindAction::Previous);
            }
            if ui.button("Next").on_hover_text("Enter").clicked() {
                action = Some(FindAction::Next);
            }
            ui.checkbox(&mut self.match_case, "Match case");
            match matches {
                None => {}
                Some(0) => {
                    ui.label("No matches");
                }
                Some(1) => {
                    ui.label("1 matching cell");
                }
                Some(count) => {
                    ui.label(format!("{count} matching cells"));
                }
            }
            if ui.button("Close").clicked() {
                action = Some(FindAction::Close);
            }
        });
        if self.mode == BarMode::FindAndReplace {
            ui.horizontal(|ui| {
                let label = ui.label("Replace with:");
                ui.add(
                    egui::TextEdit::singleline(&mut self.replacement)
                        .id(ui.scope_id().with("replace_text"))
                        .desired_width(180.0),
                )
                .labelled_by(label.id);
                if ui.button("Replace").clicked() {
                    action = Some(FindAction::Replace);
                }
                if ui
                    .button("Replace all")
                    .on_hover_text("Replaces in every row shown; one undo reverts it all")
                    .clicked()
                {
                    action = Some(FindAction::ReplaceAll);
                }
            });
        }
        action
    }
}
