//! The menu bar and the keyboard shortcuts it lists.

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::app::{NaamApp, PendingAction};

const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
const SAVE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
const SAVE_AS: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S);
const QUIT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);
const UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
const REDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);
const REDO_SHIFT: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);

/// Acts on the app-wide shortcuts. Undo and redo are left to a text field being edited.
pub fn handle_shortcuts(app: &mut NaamApp, ctx: &egui::Context) {
    if app.dialog.is_some() {
        return;
    }
    // Shift variants first: a plain shortcut also matches with Shift held.
    if ctx.input_mut(|input| input.consume_shortcut(&SAVE_AS)) {
        app.save_as();
    } else if ctx.input_mut(|input| input.consume_shortcut(&SAVE)) {
        app.save();
    }
    if ctx.input_mut(|input| input.consume_shortcut(&OPEN)) {
        app.run_after_unsaved_check(PendingAction::PickOpen);
    }
    if ctx.input_mut(|input| input.consume_shortcut(&QUIT)) {
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    }
    // A text field being edited (a cell, the find bar) keeps Ctrl+Z for its own text.
    if ctx.text_edit_focused() {
        return;
    }
    let is_redo =
        ctx.input_mut(|input| input.consume_shortcut(&REDO_SHIFT) || input.consume_shortcut(&REDO));
    if is_redo {
        redo(app);
    } else if ctx.input_mut(|input| input.consume_shortcut(&UNDO)) {
        undo(app);
    }
}

fn undo(app: &mut NaamApp) {
    if let Some(document) = app.document.as_mut()
        && document.table.undo()
    {
        app.table_view.table_changed();
    }
}

fn redo(app: &mut NaamApp) {
    if let Some(document) = app.document.as_mut()
        && document.table.redo()
    {
        app.table_view.table_changed();
    }
}

/// The menu bar: File, Edit, Settings and Help.
pub fn menu_bar_ui(app: &mut NaamApp, ui: &mut egui::Ui) {
    let ctx = ui.ctx().clone();
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| file_menu_ui(app, ui, &ctx));
        ui.menu_button("Edit", |ui| edit_menu_ui(app, ui, &ctx));
        if ui.button("Settings…").clicked() {
            app.settings_window.open();
        }
        ui.menu_button("Help", |ui| {
            if ui.button("Open log folder").clicked() {
                super::tasks::open_log_folder(&app.runtime, app.events.clone());
            }
            if ui
                .button("Copy diagnostics")
                .on_hover_text(
                    "Copies the version, your system, the settings and recent errors (never \
                     the token) to paste into an email to support.",
                )
                .clicked()
            {
                let report = crate::diagnostics::report(&app.saved.settings, app.is_demo());
                ui.ctx().copy_text(report);
                app.status_message =
                    Some("Diagnostics copied. Paste them into your email to support.".to_owned());
            }
            ui.separator();
            ui.label(format!("{} {}", super::APP_NAME, env!("CARGO_PKG_VERSION")));
        });
    });
}

fn file_menu_ui(app: &mut NaamApp, ui: &mut egui::Ui, ctx: &egui::Context) {
    if ui
        .add(egui::Button::new("Open…").shortcut_text(ctx.format_shortcut(&OPEN)))
        .clicked()
    {
        app.run_after_unsaved_check(PendingAction::PickOpen);
    }
    let recent = app.saved.recent_files.clone();
    ui.add_enabled_ui(!recent.is_empty(), |ui| {
        ui.menu_button("Open recent", |ui| {
            for path in recent {
                if ui
                    .button(super::document::display_name(&path))
                    .on_hover_text(path.display().to_string())
                    .clicked()
                {
                    app.request_open(path);
                }
            }
        });
    });
    ui.separator();
    let has_document = app.document.is_some();
    if ui
        .add_enabled(
            has_document,
            egui::Button::new("Save").shortcut_text(ctx.format_shortcut(&SAVE)),
        )
        .clicked()
    {
        app.save();
    }
    if ui
        .add_enabled(
            has_document,
            egui::Button::new("Save as…").shortcut_text(ctx.format_shortcut(&SAVE_AS)),
        )
        .clicked()
    {
        app.save_as();
    }
    ui.separator();
    if ui
        .add(egui::Button::new("Quit").shortcut_text(ctx.format_shortcut(&QUIT)))
        .clicked()
    {
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    }
}

fn edit_menu_ui(app: &mut NaamApp, ui: &mut egui::Ui, ctx: &egui::Context) {
    let (can_undo, can_redo) = app.document.as_ref().map_or((false, false), |document| {
        (document.table.can_undo(), document.table.can_redo())
    });
    if ui
        .add_enabled(
            can_undo,
            egui::Button::new("Undo").shortcut_text(ctx.format_shortcut(&UNDO)),
        )
        .clicked()
    {
        undo(app);
    }
    if ui
        .add_enabled(
            can_redo,
            egui::Button::new("Redo").shortcut_text(ctx.format_shortcut(&REDO)),
        )
        .clicked()
    {
        redo(app);
    }
    ui.separator();
    if let Some(document) = app.document.as_mut() {
        app.table_view.edit_menu_ui(ui, &mut document.table);
    }
}
