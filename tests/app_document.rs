//! The real app as a spreadsheet: open a file by path, edit a cell from the keyboard, undo and
//! redo it, paste a block, find and replace, sort, save, and check the saved bytes; closing
//! with unsaved changes asks first, and Cancel keeps everything.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a failed step is a failed test"
)]

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::{cell, run_until};
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use naam_enrich::app::{AppOptions, Dialog, NaamApp};
use naam_enrich::enrich::store::Store;
use naam_enrich::secrets::{MemoryStore, TokenStore};
use naam_enrich::settings::Settings;

const CSV: &str = "Name;Mobile;City\r\nAsha;98765 43210;Pune\r\nRavi;91234 56789;Delhi\r\n";

struct World {
    runtime: tokio::runtime::Runtime,
    dir: tempfile::TempDir,
}

impl World {
    fn new() -> Self {
        Self {
            runtime: tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap(),
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn file(&self) -> PathBuf {
        let path = self.dir.path().join("people.csv");
        std::fs::write(&path, CSV).unwrap();
        path
    }

    fn harness(&self, file: &Path) -> Harness<'static, NaamApp> {
        let token_store = MemoryStore::new();
        token_store.save("demo").unwrap();
        let options = AppOptions {
            runtime: self.runtime.handle().clone(),
            token_store: Arc::new(token_store),
            file: Some(file.to_path_buf()),
            demo: None,
            store: Some(Arc::new(Store::open_in_memory().unwrap())),
            settings: Some(Settings::default()),
            recovery_dir: Some(self.dir.path().join("recovery")),
        };
        let mut harness = Harness::builder()
            .with_size(egui::vec2(1280.0, 800.0))
            .build_eframe(move |cc| NaamApp::new(cc, options));
        run_until(&mut harness, "the file is open", |app| {
            app.document().is_some()
        });
        harness
    }
}

fn save_and_wait(harness: &mut Harness<'_, NaamApp>) {
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    run_until(harness, "the file is saved", |app| {
        !app.is_busy() && !app.document().unwrap().table.is_dirty()
    });
}

#[test]
fn edit_undo_redo_and_save_keep_the_files_own_format() {
    let world = World::new();
    let path = world.file();
    let mut harness = world.harness(&path);
    assert_eq!(cell(&harness, 0, 0), "Asha");

    // Select the cell, type over it, and press Enter.
    harness.get_by_label("Asha").click();
    harness.run_steps(2);
    harness.event(egui::Event::Text("Asha Rao".to_owned()));
    harness.run_steps(2);
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    assert_eq!(cell(&harness, 0, 0), "Asha Rao");
    assert!(harness.state().document().unwrap().table.is_dirty());

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    assert_eq!(cell(&harness, 0, 0), "Asha", "Ctrl+Z undoes the edit");
    assert!(!harness.state().document().unwrap().table.is_dirty());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    harness.run_steps(2);
    assert_eq!(cell(&harness, 0, 0), "Asha Rao", "Ctrl+Y redoes it");

    save_and_wait(&mut harness);
    // Semicolons, CRLF and the untouched row exactly as they were.
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "Name;Mobile;City\r\nAsha Rao;98765 43210;Pune\r\nRavi;91234 56789;Delhi\r\n"
    );
    assert!(
        harness
            .state()
            .status_message()
            .unwrap()
            .contains("Saved people.csv")
    );
}

#[test]
fn paste_a_block_from_a_spreadsheet_then_sort_and_save() {
    let world = World::new();
    let path = world.file();
    let mut harness = world.harness(&path);

    harness.get_by_label("Ravi").click();
    harness.run_steps(2);
    harness.event(egui::Event::Paste(
        "Meena\t99887 76655\nZara\t90000 11111".to_owned(),
    ));
    harness.run_steps(3);
    assert_eq!(cell(&harness, 1, 0), "Meena");
    assert_eq!(cell(&harness, 2, 1), "90000 11111");
    assert_eq!(
        harness.state().document().unwrap().table.num_rows(),
        3,
        "the paste added a row"
    );

    // Sort by name from the header, as in a spreadsheet: an undoable reorder.
    harness.get_by_label("Name").click();
    harness.run_steps(3);
    let names: Vec<String> = (0..3).map(|row| cell(&harness, row, 0)).collect();
    assert_eq!(names, ["Asha", "Meena", "Zara"]);

    save_and_wait(&mut harness);
    // The new row is written as wide as the table.
    let saved = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        saved,
        "Name;Mobile;City\r\nAsha;98765 43210;Pune\r\nMeena;99887 76655;Delhi\r\nZara;90000 11111;\r\n"
    );
}

#[test]
fn closing_with_unsaved_changes_asks_and_cancel_keeps_the_window_and_the_work() {
    let world = World::new();
    let path = world.file();
    let mut harness = world.harness(&path);
    harness.get_by_label("Pune").click();
    harness.run_steps(2);
    harness.event(egui::Event::Text("Mumbai".to_owned()));
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    assert_eq!(cell(&harness, 0, 2), "Mumbai");

    // The window's close button.
    harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    harness.run_steps(2);
    assert!(matches!(
        harness.state().dialog(),
        Some(Dialog::UnsavedChanges { .. })
    ));
    harness.get_by_label("Save your changes?");
    harness
        .get_by_role_and_label(Role::Button, "Cancel")
        .click();
    harness.run_steps(3);

    assert!(harness.state().dialog().is_none());
    assert_eq!(cell(&harness, 0, 2), "Mumbai", "the edit is still there");
    assert!(harness.state().document().unwrap().table.is_dirty());
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        CSV,
        "nothing was written"
    );
}

#[test]
fn a_file_that_is_not_a_table_gets_a_message_and_the_open_one_stays() {
    let world = World::new();
    let path = world.file();
    let mut harness = world.harness(&path);
    let binary = world.dir.path().join("photo.csv");
    std::fs::write(
        &binary,
        [0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0, 1, 2, 3, 0, 0],
    )
    .unwrap();

    harness.state_mut().request_open(binary);
    run_until(&mut harness, "the message shows", |app| {
        app.dialog().is_some()
    });
    let Some(Dialog::Error { title, message }) = harness.state().dialog().cloned() else {
        panic!(
            "expected an error message, got {:?}",
            harness.state().dialog()
        );
    };
    assert_eq!(title, "The file could not be opened");
    assert!(message.contains("photo.csv"), "{message}");
    harness.get_by_label(&title);
    harness.get_by_role_and_label(Role::Button, "OK").click();
    harness.run_steps(2);
    assert!(harness.state().dialog().is_none());
    assert_eq!(
        harness.state().document().unwrap().path,
        path,
        "the open file stays open"
    );
}

#[test]
fn save_as_offers_excel_friendly_utf8_and_asks_before_replacing_another_file() {
    use naam_enrich::csv_io::{Delimiter, TextEncoding};

    let world = World::new();
    let path = world.file();
    let mut harness = world.harness(&path);

    harness.key_press_modifiers(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S);
    harness.run_steps(2);
    assert!(matches!(
        harness.state().dialog(),
        Some(Dialog::SaveAs { .. })
    ));
    harness.get_by_label("Save as");
    harness
        .get_by_role_and_label(Role::Button, "Cancel")
        .click();
    harness.run_steps(2);
    assert!(harness.state().dialog().is_none());

    // The file dialog's answer: a new file, tab separated, UTF-8 with a BOM.
    let mut dialect = harness.state().document().unwrap().dialect;
    dialect.delimiter = Delimiter::Tab;
    dialect.encoding = TextEncoding::Utf8;
    dialect.bom = true;
    let copy = world.dir.path().join("copy.txt");
    harness.state_mut().save_as_path(copy.clone(), dialect);
    run_until(&mut harness, "the copy is saved", |app| !app.is_busy());
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        "\u{feff}Name\tMobile\tCity\r\nAsha\t98765 43210\tPune\r\nRavi\t91234 56789\tDelhi\r\n"
            .as_bytes()
    );
    assert_eq!(
        harness.state().document().unwrap().path,
        copy,
        "the document is now the copy"
    );

    // Saving over a file that is not the document's own asks first.
    let other = world.dir.path().join("other.csv");
    std::fs::write(&other, "keep me").unwrap();
    harness.state_mut().save_as_path(other.clone(), dialect);
    harness.run_steps(2);
    assert!(matches!(
        harness.state().dialog(),
        Some(Dialog::ConfirmOverwrite { .. })
    ));
    harness
        .get_by_role_and_label(Role::Button, "Cancel")
        .click();
    harness.run_steps(3);
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "keep me");
}
