//! The spreadsheet grid driven like a user would: clicks, keys, clipboard events and menus, with
//! the table document checked after each step.

use egui::accesskit::Role;
use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use naam_enrich::app::fonts;
use naam_enrich::app::table_view::{StatusKind, TableView, tint};
use naam_enrich::table::Table;

type State = (TableView, Table);

fn people() -> Table {
    Table::from_rows(
        Some(&["Name", "Phone", "Lookup Status"]),
        &[
            vec!["Asha", "9876543210", "found"],
            vec!["Ravi", "9123456780", "not found"],
            vec!["Meena", "98765", "invalid number: too short"],
            vec!["Kiran", "9988776655", "found"],
        ],
    )
}

fn harness(table: Table) -> Harness<'static, State> {
    Harness::builder()
        .with_size([900.0, 400.0])
        .with_step_dt(1.0 / 60.0)
        .with_context_setup(fonts::install)
        .build_ui_state(
            |ui, (view, table): &mut State| view.ui(ui, table),
            (TableView::default(), table),
        )
}

/// A harness with an Edit menu beside the grid, as the window has.
fn harness_with_menu(table: Table) -> Harness<'static, State> {
    Harness::builder()
        .with_size([900.0, 400.0])
        .with_step_dt(1.0 / 60.0)
        .build_ui_state(
            |ui, (view, table): &mut State| {
                ui.menu_button("Edit", |ui| view.edit_menu_ui(ui, table));
                view.ui(ui, table);
            },
            (TableView::default(), table),
        )
}

fn click_cell(harness: &mut Harness<'_, State>, text: &str) {
    harness.get_by_role_and_label(Role::Cell, text).click();
    harness.run();
}

fn cell(harness: &Harness<'_, State>, row: usize, column: usize) -> String {
    harness.state().1.cell(row, column).into_owned()
}

fn names(harness: &Harness<'_, State>) -> Vec<String> {
    harness
        .state()
        .1
        .column_cells(0)
        .map(std::borrow::Cow::into_owned)
        .collect()
}

fn undo(harness: &mut Harness<'_, State>) {
    let (view, table) = harness.state_mut();
    assert!(table.undo());
    view.table_changed();
    harness.run();
}

fn redo(harness: &mut Harness<'_, State>) {
    let (view, table) = harness.state_mut();
    assert!(table.redo());
    view.table_changed();
    harness.run();
}

fn shift(harness: &Harness<'_, State>, key: Key) {
    harness.key_press_modifiers(Modifiers::SHIFT, key);
}

#[test]
fn typing_replaces_a_cell_and_enter_moves_down_then_undo_and_redo() {
    let mut harness = harness(people());
    harness.run();
    click_cell(&mut harness, "Asha");
    assert_eq!(harness.state().0.selection(), Some((0, 0)));

    harness.event(Event::Text("Zoya".to_owned()));
    harness.run();
    // Nothing is written until the edit is committed.
    assert_eq!(cell(&harness, 0, 0), "Asha");
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(cell(&harness, 0, 0), "Zoya");
    assert_eq!(harness.state().0.selection(), Some((1, 0)));
    assert!(harness.state().1.is_dirty());

    undo(&mut harness);
    assert_eq!(cell(&harness, 0, 0), "Asha");
    assert!(!harness.state().1.is_dirty());
    redo(&mut harness);
    assert_eq!(cell(&harness, 0, 0), "Zoya");
}

#[test]
fn f2_keeps_the_text_and_escape_cancels() {
    let mut harness = harness(people());
    harness.run();
    click_cell(&mut harness, "Ravi");
    harness.key_press(Key::F2);
    harness.run();
    harness.event(Event::Text(" K".to_owned()));
    harness.run();
    let editor = harness.get_by_role_and_label(Role::TextInput, "Edit Name, row 2");
    assert_eq!(editor.value().as_deref(), Some("Ravi K"));

    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.query_by_label("Edit Name, row 2").is_none());
    assert_eq!(cell(&harness, 1, 0), "Ravi");
    assert!(!harness.state().1.can_undo());
    // The grid keeps the keyboard: arrows still move.
    harness.key_press(Key::ArrowDown);
    harness.run();
    assert_eq!(harness.state().0.selection(), Some((2, 0)));
}

#[test]
fn double_click_edits_and_tab_commits_to_the_right() {
    let mut harness = harness(people());
    harness.run();
    let node = harness.get_by_role_and_label(Role::Cell, "Meena");
    node.click();
    node.click();
    harness.run();
    harness.event(Event::Text("!".to_owned()));
    harness.key_press(Key::Tab);
    harness.run();
    assert_eq!(cell(&harness, 2, 0), "Meena!");
    assert_eq!(harness.state().0.selection(), Some((2, 1)));
}

#[test]
fn arrows_home_end_and_ctrl_home_end_move_the_cursor() {
    let mut harness = harness(people());
    harness.run();
    click_cell(&mut harness, "Asha");
    let steps = [
        (Modifiers::NONE, Key::ArrowDown, (1, 0)),
        (Modifiers::NONE, Key::ArrowRight, (1, 1)),
        (Modifiers::NONE, Key::End, (1, 2)),
        (Modifiers::NONE, Key::ArrowRight, (1, 2)),
        (Modifiers::NONE, Key::Home, (1, 0)),
        (Modifiers::COMMAND, Key::End, (3, 2)),
        (Modifiers::NONE, Key::ArrowDown, (3, 2)),
        (Modifiers::NONE, Key::PageUp, (0, 2)),
        (Modifiers::COMMAND, Key::Home, (0, 0)),
        (Modifiers::NONE, Key::ArrowUp, (0, 0)),
    ];
    for (modifiers, key, expected) in steps {
        harness.key_press_modifiers(modifiers, key);
        harness.run();
        assert_eq!(
            harness.state().0.selection(),
            Some(expected),
            "after {modifiers:?} {key:?}"
        );
    }
}

#[test]
fn copy_puts_a_two_by_two_range_on_the_clipboard() {
    let mut harness = harness(people());
    harness.run();
    click_cell(&mut harness, "Ravi");
    shift(&harness, Key::ArrowDown);
    shift(&harness, Key::ArrowRight);
    harness.run();
    harness.event(Event::Copy);
    harness.step();
    let copied: Vec<&str> = harness
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|command| match command {
            egui::OutputCommand::CopyText(text) => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(copied, ["Ravi\t9123456780\nMeena\t98765"]);
}

#[test]
fn paste_fills_a_block_adds_rows_clips_columns_and_undoes_in_one_step() {
    let mut harness = harness(people());
    harness.run();
    click_cell(&mut harness, "9988776655");
    harness.event(Event::Paste(
        "111\tx\textra\r\n222\ty\r\n333\tz\r\n".to_owned(),
    ));
    harness.run();
    let table = &harness.state().1;
    assert_eq!(table.num_rows(), 6);
    assert_eq!(table.num_columns(), 3);
    assert_eq!(cell(&harness, 3, 1), "111");
    assert_eq!(cell(&harness, 3, 2), "x");
    assert_eq!(cell(&harness, 4, 0), "");
    assert_eq!(cell(&harness, 4, 1), "222");
    assert_eq!(cell(&harness, 5, 2), "z");
    assert!(
        harness
            .state()
            .0
            .notice()
            .is_some_and(|n| n.contains("left out"))
    );

    undo(&mut harness);
    assert_eq!(harness.state().1.num_rows(), 4);
    assert_eq!(cell(&harness, 3, 1), "9988776655");
    assert_eq!(cell(&harness, 3, 2), "found");
    assert!(!harness.state().1.can_undo());
}

#[test]
fn delete_clears_the_selected_range_as_one_step() {
    let mut harness = harness(people());
    harness.run();
    click_cell(&mut harness, "Asha");
    shift(&harness, Key::ArrowDown);
    harness.run();
    harness.key_press(Key::Delete);
    harness.run();
    assert_eq!(cell(&harness, 0, 0), "");
    assert_eq!(cell(&harness, 1, 0), "");
    assert_eq!(cell(&harness, 2, 0), "Meena");
    undo(&mut harness);
    assert_eq!(names(&harness), ["Asha", "Ravi", "Meena", "Kiran"]);
}

#[test]
fn find_next_selects_matches_in_order_and_wraps() {
    let mut harness = harness(people());
    harness.run();
    click_cell(&mut harness, "Asha");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "Find:")
        .type_text("FOUND");
    harness.run();
    // "found" twice and "not found" once.
    assert!(harness.query_by_label("3 matching cells").is_some());
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(harness.state().0.selection(), Some((0, 2)));
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(harness.state().0.selection(), Some((1, 2)));
    harness.get_by_role_and_label(Role::Button, "Next").click();
    harness.run();
    assert_eq!(harness.state().0.selection(), Some((3, 2)));
    harness.get_by_role_and_label(Role::Button, "Next").click();
    harness.run();
    assert_eq!(harness.state().0.selection(), Some((0, 2)));
    harness
        .get_by_role_and_label(Role::Button, "Previous")
        .click();
    harness.run();
    assert_eq!(harness.state().0.selection(), Some((3, 2)));
}

#[test]
fn replace_all_changes_every_match_and_one_undo_reverts_it() {
    let mut harness = harness(people());
    harness.run();
    click_cell(&mut harness, "Asha");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::H);
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "Find:")
        .type_text("found");
    harness
        .get_by_role_and_label(Role::TextInput, "Replace with:")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "Replace with:")
        .type_text("seen");
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Replace all")
        .click();
    harness.run();
    let statuses: Vec<String> = harness
        .state()
        .1
        .column_cells(2)
        .map(std::borrow::Cow::into_owned)
        .collect();
    assert_eq!(
        statuses,
        ["seen", "not seen", "invalid number: too short", "seen"]
    );
    undo(&mut harness);
    let statuses: Vec<String> = harness
        .state()
        .1
        .column_cells(2)
        .map(std::borrow::Cow::into_owned)
        .collect();
    assert_eq!(
        statuses,
        ["found", "not found", "invalid number: too short", "found"]
    );
}

#[test]
fn quick_filter_hides_rows_but_the_table_keeps_them() {
    let mut harness = harness(people());
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "Filter rows:")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "Filter rows:")
        .type_text("ASHA");
    harness.run();
    assert!(
        harness
            .query_by_role_and_label(Role::Cell, "Asha")
            .is_some()
    );
    assert!(
        harness
            .query_by_role_and_label(Role::Cell, "Ravi")
            .is_none()
    );
    assert!(harness.query_by_label("Showing 1 of 4 rows").is_some());
    let (view, table) = harness.state_mut();
    assert_eq!(view.visible_row_count(table), 1);
    assert_eq!(table.num_rows(), 4);
    assert!(!table.is_dirty());
}

#[test]
fn header_click_sorts_naturally_then_descending_and_undo_restores() {
    let table = Table::from_rows(
        Some(&["Item"]),
        &[vec!["item10"], vec!["item9"], vec!["Item1"]],
    );
    let mut harness = harness(table);
    harness.run();
    harness
        .get_by_role_and_label(Role::ColumnHeader, "Item")
        .click();
    harness.run();
    assert_eq!(names(&harness), ["Item1", "item9", "item10"]);
    harness
        .get_by_role_and_label(Role::ColumnHeader, "Item")
        .click();
    harness.run();
    assert_eq!(names(&harness), ["item10", "item9", "Item1"]);
    undo(&mut harness);
    undo(&mut harness);
    assert_eq!(names(&harness), ["item10", "item9", "Item1"]);
    assert!(!harness.state().1.is_dirty());
}

/// Whether the last frame painted a rectangle filled with `color`.
fn painted_fill(harness: &Harness<'_, State>, color: egui::Color32) -> bool {
    harness
        .output()
        .shapes
        .iter()
        .any(|clipped| matches!(&clipped.shape, egui::Shape::Rect(rect) if rect.fill == color))
}

#[test]
fn status_column_tints_rows_and_the_status_filter_shows_one_kind() {
    let mut harness = harness(people());
    harness.state_mut().0.set_status_column(Some(2));
    harness.run();
    let dark = harness.ctx.global_style().visuals.dark_mode;
    assert!(painted_fill(&harness, tint(StatusKind::Found, dark)));
    assert!(painted_fill(&harness, tint(StatusKind::Invalid, dark)));
    assert!(!painted_fill(&harness, tint(StatusKind::Pending, dark)));

    harness
        .state_mut()
        .0
        .set_status_filter(Some(StatusKind::Found));
    harness.run();
    assert_eq!(harness.state().0.status_filter(), Some(StatusKind::Found));
    assert!(
        harness
            .query_by_role_and_label(Role::Cell, "Asha")
            .is_some()
    );
    assert!(
        harness
            .query_by_role_and_label(Role::Cell, "Kiran")
            .is_some()
    );
    assert!(
        harness
            .query_by_role_and_label(Role::Cell, "Ravi")
            .is_none()
    );
    assert!(
        harness
            .query_by_role_and_label(Role::Cell, "Meena")
            .is_none()
    );
    let (view, table) = harness.state_mut();
    assert_eq!(view.visible_row_count(table), 2);

    // Without a status column there is neither tint nor filter.
    harness.state_mut().0.set_status_column(None);
    harness.run();
    assert!(!painted_fill(&harness, tint(StatusKind::Found, dark)));
    assert!(
        harness
            .query_by_role_and_label(Role::Cell, "Ravi")
            .is_some()
    );
}

#[test]
fn rows_are_inserted_from_the_context_menu_and_deleted_from_the_edit_menu() {
    let mut harness = harness_with_menu(people());
    harness.run();
    harness
        .get_by_role_and_label(Role::RowHeader, "Row 2")
        .click_secondary();
    harness.run();
    harness.get_by_label_contains("Insert row below").click();
    harness.run();
    assert_eq!(names(&harness), ["Asha", "Ravi", "", "Meena", "Kiran"]);
    assert_eq!(harness.state().0.selection(), Some((2, 0)));

    click_cell(&mut harness, "Meena");
    shift(&harness, Key::ArrowDown);
    harness.run();
    harness.get_by_label("Edit").click();
    harness.run();
    harness
        .get_by_label_contains("Delete selected rows")
        .click();
    harness.run();
    assert_eq!(names(&harness), ["Asha", "Ravi", ""]);

    undo(&mut harness);
    assert_eq!(names(&harness), ["Asha", "Ravi", "", "Meena", "Kiran"]);
}

#[test]
fn ctrl_plus_and_ctrl_minus_insert_and_delete_rows() {
    let mut harness = harness(people());
    harness.run();
    click_cell(&mut harness, "Asha");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Plus);
    harness.run();
    assert_eq!(names(&harness), ["Asha", "", "Ravi", "Meena", "Kiran"]);
    assert_eq!(harness.state().0.selection(), Some((1, 0)));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Minus);
    harness.run();
    assert_eq!(names(&harness), ["Asha", "Ravi", "Meena", "Kiran"]);
}

#[test]
fn columns_are_inserted_renamed_and_deleted_from_the_header_menu() {
    let mut harness = harness(people());
    harness.run();
    harness
        .get_by_role_and_label(Role::ColumnHeader, "Phone")
        .click_secondary();
    harness.run();
    harness.get_by_label("Insert column right").click();
    harness.run();
    let table = &harness.state().1;
    assert_eq!(table.num_columns(), 4);
    assert_eq!(table.column_name(2), "New column");

    harness
        .get_by_role_and_label(Role::ColumnHeader, "New column")
        .click_secondary();
    harness.run();
    harness.get_by_label("Rename column…").click();
    harness.run();
    // The field opens with the old name, focused: select it all and type over it.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "New name:")
        .type_text("Caller Name");
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Rename")
        .click();
    harness.run();
    assert_eq!(harness.state().1.column_name(2), "Caller Name");

    harness
        .get_by_role_and_label(Role::ColumnHeader, "Caller Name")
        .click_secondary();
    harness.run();
    harness.get_by_label("Delete column").click();
    harness.run();
    let table = &harness.state().1;
    assert_eq!(table.num_columns(), 3);
    assert_eq!(table.column_name(2), "Lookup Status");
}

#[test]
fn names_in_indian_scripts_are_cells_with_their_text() {
    let table = Table::from_rows(Some(&["नाम"]), &[vec!["राम कुमार"], vec!["ராமன்"]]);
    let mut harness = harness(table);
    harness.run();
    assert!(
        harness
            .query_by_role_and_label(Role::ColumnHeader, "नाम")
            .is_some()
    );
    click_cell(&mut harness, "ராமன்");
    assert_eq!(harness.state().0.selection(), Some((1, 0)));
}
