//! Kill drills: the process is killed with SIGKILL, as a crash or a power cut would stop it,
//! in the middle of work, and the next start loses nothing.
//!
//! Each drill runs its own test binary again as a child process (told what to do by an
//! environment variable), waits until the child is in the middle of the work, kills it, and
//! then checks what a user would find: the app offers the unsaved edits back; the file being
//! saved is intact, with no stray files beside it; a lookup job is finished from the window
//! without sending anything again.

#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a failed step is a failed test"
)]

mod common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{cell, run_until};
use egui::Key;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use naam_enrich::app::{AppOptions, Dialog, NaamApp};
use naam_enrich::csv_io::{self, SaveOptions};
use naam_enrich::enrich::merge::STATUS_COLUMN;
use naam_enrich::enrich::store::Store;
use naam_enrich::naam::ApiToken;
use naam_enrich::naam::fake::{FakeConfig, FakeNaam, FakeProfile};
use naam_enrich::secrets::{MemoryStore, TokenStore};
use naam_enrich::settings::Settings;
use naam_enrich::table::Table;

/// Set in a child: the folder to work in.
const CHILD_DIR: &str = "NAAM_ENRICH_DRILL_DIR";
/// Set in a child that enriches: the fake service's address.
const CHILD_API: &str = "NAAM_ENRICH_DRILL_API";
/// The file the child creates once it is in the middle of the work.
const READY: &str = "ready";

const CSV: &str = "Name;Mobile;City\r\nAsha;98765 43210;Pune\r\nRavi;91234 56789;Delhi\r\n";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn app(runtime: &tokio::runtime::Runtime, dir: &Path) -> Harness<'static, NaamApp> {
    app_with(
        runtime,
        dir,
        Store::open_in_memory().unwrap(),
        Settings::default(),
    )
}

fn app_with(
    runtime: &tokio::runtime::Runtime,
    dir: &Path,
    store: Store,
    settings: Settings,
) -> Harness<'static, NaamApp> {
    let token_store = MemoryStore::new();
    token_store.save("demo").unwrap();
    let options = AppOptions {
        runtime: runtime.handle().clone(),
        token_store: Arc::new(token_store),
        file: Some(dir.join("people.csv")),
        demo: None,
        store: Some(Arc::new(store)),
        settings: Some(settings),
        recovery_dir: Some(dir.join("recovery")),
    };
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| NaamApp::new(cc, options))
}

/// Types `text` over the cell showing `label`.
fn type_over(harness: &mut Harness<'_, NaamApp>, label: &str, text: &str) {
    harness.get_by_label(label).click();
    harness.run_steps(2);
    harness.event(egui::Event::Text(text.to_owned()));
    harness.run_steps(2);
    harness.key_press(Key::Enter);
    harness.run_steps(2);
}

fn journals(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir.join("recovery"))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.extension() == Some(OsStr::new("journal")))
                .collect()
        })
        .unwrap_or_default()
}

/// Runs the test named `test` again as a child working in `dir`, and kills it once it says it
/// is ready.
fn run_child_until_ready_then_kill(test: &str, dir: &Path) {
    run_child_and_kill(test, dir, &[], || true);
}

/// Runs the test named `test` again as a child working in `dir` with `env` set, and kills it
/// once it says it is ready and `also` holds.
fn run_child_and_kill(test: &str, dir: &Path, env: &[(&str, &str)], also: impl Fn() -> bool) {
    let mut child: Child = Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads", "1"])
        .env(CHILD_DIR, dir)
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_mins(1);
    while !dir.join(READY).exists() || !also() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the child ended before it was ready"
        );
        assert!(Instant::now() < deadline, "the child never got ready");
        std::thread::sleep(Duration::from_millis(20));
    }
    // SIGKILL: no chance to clean up.
    child.kill().unwrap();
    child.wait().unwrap();
}

/// In the child: says it is ready, then keeps working until it is killed (or gives up after a
/// minute, should the parent be gone).
fn ready_then_wait(dir: &Path, mut keep_working: impl FnMut()) -> ! {
    std::fs::write(dir.join(READY), b"").unwrap();
    let deadline = Instant::now() + Duration::from_mins(1);
    while Instant::now() < deadline {
        keep_working();
        std::thread::sleep(Duration::from_millis(10));
    }
    std::process::exit(1)
}

#[test]
fn unsaved_edits_come_back_after_the_app_is_killed() {
    if let Some(dir) = std::env::var_os(CHILD_DIR) {
        // The child: edit, undo, edit again, sort, and get killed with all of it unsaved.
        let dir = PathBuf::from(dir);
        let runtime = runtime();
        let mut harness = app(&runtime, &dir);
        run_until(&mut harness, "the file is open", |app| {
            app.document().is_some()
        });
        type_over(&mut harness, "Pune", "Mumbai");
        type_over(&mut harness, "Asha", "Zoya");
        harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
        harness.run_steps(2);
        type_over(&mut harness, "Delhi", "Chennai");
        harness.get_by_label("Name").click();
        harness.run_steps(2);
        assert_eq!(cell(&harness, 0, 0), "Asha");
        assert_eq!(cell(&harness, 0, 2), "Mumbai");
        assert_eq!(cell(&harness, 1, 2), "Chennai");
        // Ready once the journal on disk holds all five changes (and the header): no longer
        // than the journal interval after the last one.
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            harness.step();
            let lines = journals(&dir)
                .first()
                .and_then(|path| std::fs::read_to_string(path).ok())
                .map_or(0, |text| text.lines().count());
            if lines == 6 {
                break;
            }
            assert!(Instant::now() < deadline, "the journal has {lines} lines");
            std::thread::sleep(Duration::from_millis(20));
        }
        ready_then_wait(&dir, || harness.step());
    }

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("people.csv");
    std::fs::write(&path, CSV).unwrap();
    run_child_until_ready_then_kill(
        "unsaved_edits_come_back_after_the_app_is_killed",
        dir.path(),
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        CSV,
        "the file itself was never touched"
    );

    // The next start offers the work back, and Restore puts every change back unsaved.
    let runtime = runtime();
    let mut harness = app(&runtime, dir.path());
    run_until(&mut harness, "the restore question", |app| {
        matches!(app.dialog(), Some(Dialog::RestoreUnsaved { .. }))
    });
    harness.get_by_label("Restore your unsaved changes?");
    harness
        .get_by_role_and_label(Role::Button, "Restore")
        .click();
    run_until(&mut harness, "the work is restored", |app| {
        app.document()
            .is_some_and(|document| document.table.is_dirty())
    });
    assert_eq!(cell(&harness, 0, 0), "Asha");
    assert_eq!(cell(&harness, 0, 2), "Mumbai");
    assert_eq!(cell(&harness, 1, 0), "Ravi");
    assert_eq!(cell(&harness, 1, 2), "Chennai");
    assert!(
        harness
            .state()
            .status_message()
            .unwrap()
            .contains("Restored")
    );

    // Undo still works on what was restored, and a save writes it in the file's own format
    // and removes the journal.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Y);
    harness.run_steps(2);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::S);
    run_until(&mut harness, "the file is saved", |app| {
        !app.is_busy() && !app.document().unwrap().table.is_dirty()
    });
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "Name;Mobile;City\r\nAsha;98765 43210;Mumbai\r\nRavi;91234 56789;Chennai\r\n"
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while !journals(dir.path()).is_empty() {
        assert!(Instant::now() < deadline, "the journal was not removed");
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_job_killed_in_the_window_is_finished_at_the_next_start_without_sending_again() {
    if let (Some(dir), Some(api)) = (std::env::var_os(CHILD_DIR), std::env::var(CHILD_API).ok()) {
        // The child: press Enrich and keep the job running until killed.
        let dir = PathBuf::from(dir);
        let runtime = runtime();
        let settings = Settings {
            api_url: api,
            ..Settings::default()
        };
        let store = Store::open_in(&dir.join("data")).unwrap();
        let mut harness = app_with(&runtime, &dir, store, settings);
        run_until(&mut harness, "the plan is ready", |app| {
            app.enrich_panel().plan().is_some()
        });
        harness
            .get_by_role_and_label(Role::Button, "Enrich")
            .click();
        ready_then_wait(&dir, || harness.step());
    }

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("people.csv"), naam_enrich::app::DEMO_CSV).unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    let runtime = runtime();
    let config = FakeConfig {
        // Long enough that the job is still running when the child is killed.
        processing_delay: Duration::from_secs(4),
        ..FakeConfig::new(ApiToken::demo(), FakeProfile::Standard)
    };
    let fake = runtime.block_on(FakeNaam::start(config)).unwrap();
    let api = fake.base_url().as_str().to_owned();
    // Killed once the batch is accepted and polled, so its enrichment id is on record.
    run_child_and_kill(
        "a_job_killed_in_the_window_is_finished_at_the_next_start_without_sending_again",
        dir.path(),
        &[(CHILD_API, &api)],
        || fake.stats().jobs_polled >= 1,
    );
    let submitted = fake.numbers_submitted();
    assert!(submitted > 40, "{submitted}");
    assert_eq!(fake.submissions(), 1);

    let settings = Settings {
        api_url: api,
        ..Settings::default()
    };
    let store = Store::open_in(&dir.path().join("data")).unwrap();
    let mut harness = app_with(&runtime, dir.path(), store, settings);
    run_until(&mut harness, "the offer to finish appears", |app| {
        matches!(app.dialog(), Some(Dialog::ResumeJobs { .. }))
    });
    harness
        .get_by_role_and_label(Role::Button, "Fetch the names")
        .click();
    run_until(&mut harness, "the names are fetched", |app| {
        app.enrich_panel().summary_text().is_some()
    });
    let summary = harness.state().enrich_panel().summary_text().unwrap();
    assert!(summary.contains("names found"), "{summary}");
    assert_eq!(fake.submissions(), 1, "nothing was sent again");
    assert_eq!(fake.numbers_submitted(), submitted);
    assert_eq!(fake.stats().max_submits_per_number(), 1);
    let table = &harness.state().document().unwrap().table;
    let status = table.find_column(STATUS_COLUMN).unwrap();
    let num_found = (0..table.num_rows())
        .filter(|&row| table.cell(row, status) == "found")
        .count();
    assert!(num_found > 20, "{num_found} rows have names");
}

/// A table big enough that writing it takes a while.
fn big_table() -> Table {
    let rows: Vec<Vec<String>> = (0..400_000)
        .map(|i| {
            vec![
                format!("Person {i}"),
                format!("98{i:08}"),
                format!("A note about person {i}, with a comma"),
            ]
        })
        .collect();
    let header = ["Name", "Mobile", "Notes"].map(String::from);
    Table::from_rows(Some(&header), &rows)
}

#[test]
fn a_save_killed_halfway_leaves_the_file_as_it_was_and_nothing_in_sight() {
    if let Some(dir) = std::env::var_os(CHILD_DIR) {
        // The child: save a big table over the file again and again until killed.
        let dir = PathBuf::from(dir);
        let table = big_table();
        let path = dir.join("people.csv");
        let dialect = csv_io::open(&path).unwrap().dialect;
        let mut is_ready = false;
        let deadline = Instant::now() + Duration::from_mins(1);
        while Instant::now() < deadline {
            let saving = std::thread::scope(|scope| {
                let handle = scope
                    .spawn(|| csv_io::save_as(&table, &path, &dialect, &SaveOptions::default()));
                // Ready once a temporary file is being written beside the target.
                while !is_ready && !handle.is_finished() {
                    if hidden_files(&dir)
                        .iter()
                        .any(|name| name.ends_with(".saving"))
                    {
                        std::fs::write(dir.join(READY), b"").unwrap();
                        is_ready = true;
                    }
                    std::thread::sleep(Duration::from_millis(1));
                }
                handle.join()
            });
            assert!(saving.is_ok_and(|result| result.is_ok()));
        }
        std::process::exit(1);
    }

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("people.csv");
    std::fs::write(&path, CSV).unwrap();
    run_child_until_ready_then_kill(
        "a_save_killed_halfway_leaves_the_file_as_it_was_and_nothing_in_sight",
        dir.path(),
    );
    // The original, or a whole new file: never half of one. Killed on its first save, it is
    // the original.
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text == CSV || text.lines().count() == 400_001,
        "a half-written file: {} lines",
        text.lines().count()
    );
    // Only the file and the child's marker are in sight; the unfinished temporary file is a
    // hidden one, and the next save of the same file clears it away.
    let mut visible: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .collect();
    visible.sort();
    assert_eq!(visible, ["people.csv", READY]);
    assert!(
        !hidden_files(dir.path()).is_empty(),
        "the kill caught a save"
    );

    let table = csv_io::open(&path).unwrap();
    csv_io::save(&table.table, &path, &table.dialect, &SaveOptions::default()).unwrap();
    assert_eq!(hidden_files(dir.path()), Vec::<String>::new());
}

fn hidden_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .filter(|name| name.starts_with('.'))
                .collect()
        })
        .unwrap_or_default()
}
