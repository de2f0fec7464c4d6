//! The whole desktop app, driven like a person would, against the fake Naam service: open a
//! spreadsheet, check the detected column, press Enrich, wait for the names, save, and read
//! the saved file back. With too few credits the partial summary shows and nothing paid for is
//! lost.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a failed step is a failed test"
)]

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use common::run_until;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use naam_enrich::app::{AppOptions, NaamApp};
use naam_enrich::enrich::merge::{NAME_COLUMN, STATUS_COLUMN};
use naam_enrich::enrich::store::Store;
use naam_enrich::naam::ApiToken;
use naam_enrich::naam::fake::{FakeConfig, FakeHandle, FakeNaam, FakeProfile};
use naam_enrich::phone::{Region, clean};
use naam_enrich::secrets::{MemoryStore, TokenStore};
use naam_enrich::settings::Settings;

/// A runtime, a fake service and a folder that outlive the harness.
struct World {
    runtime: tokio::runtime::Runtime,
    fake: FakeHandle,
    dir: tempfile::TempDir,
}

impl World {
    fn new(config: FakeConfig) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let fake = runtime.block_on(FakeNaam::start(config)).unwrap();
        let dir = tempfile::tempdir().unwrap();
        Self { runtime, fake, dir }
    }

    fn demo_file(&self) -> PathBuf {
        let path = self.dir.path().join("contacts.csv");
        std::fs::write(&path, naam_enrich::app::DEMO_CSV).unwrap();
        path
    }

    fn harness(&self, file: &Path) -> Harness<'static, NaamApp> {
        let token_store = MemoryStore::new();
        token_store.save("demo").unwrap();
        let settings = Settings {
            api_url: self.fake.base_url().as_str().to_owned(),
            ..Settings::default()
        };
        let options = AppOptions {
            runtime: self.runtime.handle().clone(),
            token_store: Arc::new(token_store),
            file: Some(file.to_path_buf()),
            demo: None,
            store: Some(Arc::new(Store::open_in_memory().unwrap())),
            settings: Some(settings),
            recovery_dir: None,
        };
        Harness::builder()
            .with_size(egui::vec2(1280.0, 800.0))
            .build_eframe(move |cc| NaamApp::new(cc, options))
    }
}

fn column_of(app: &NaamApp, name: &str) -> usize {
    app.document().unwrap().table.find_column(name).unwrap()
}

#[test]
fn enrich_the_demo_file_and_save_the_names() {
    let world = World::new(FakeConfig::new(ApiToken::demo(), FakeProfile::Standard));
    let path = world.demo_file();
    let mut harness = world.harness(&path);

    run_until(&mut harness, "the file is open", |app| {
        app.document().is_some()
    });
    assert_eq!(
        harness.state().enrich_panel().column(),
        Some(1),
        "Mobile No. is detected"
    );
    harness.get_by_label_contains("“Mobile No.” for the phone numbers");
    run_until(&mut harness, "the plan is ready", |app| {
        app.enrich_panel().plan().is_some()
    });
    let plan = harness.state().enrich_panel().plan().unwrap();
    let credits = plan.to_submit().len();
    assert!(credits > 40, "{credits}");
    harness.get_by_label(&format!("This uses {credits} credits."));

    harness
        .get_by_role_and_label(Role::Button, "Enrich")
        .click();
    run_until(&mut harness, "the job has ended", |app| {
        app.enrich_panel().summary_text().is_some()
    });
    let summary = harness.state().enrich_panel().summary_text().unwrap();
    assert!(summary.contains("names found"), "{summary}");
    assert!(summary.contains("0 credits wasted"), "{summary}");
    assert_eq!(world.fake.stats().max_submits_per_number(), 1);
    assert_eq!(
        world.fake.numbers_submitted(),
        u64::try_from(credits).unwrap()
    );

    // Every row says what became of its number, with the fake's names.
    let app = harness.state();
    let table = &app.document().unwrap().table;
    let (name_col, status_col) = (column_of(app, NAME_COLUMN), column_of(app, STATUS_COLUMN));
    assert_eq!(
        (name_col, status_col),
        (4, 5),
        "appended as the last two columns"
    );
    let mut num_found = 0;
    for row_idx in 0..table.num_rows() {
        let status = table.cell(row_idx, status_col);
        match clean(&table.cell(row_idx, 1), Region::default()) {
            Ok(number) => {
                let expected = FakeNaam::expected_name(number.national());
                assert_eq!(
                    table.cell(row_idx, name_col),
                    expected.clone().unwrap_or_default(),
                    "row {row_idx}"
                );
                let kind = if expected.is_some() {
                    "found"
                } else {
                    "not found"
                };
                assert!(status.starts_with(kind), "row {row_idx}: {status}");
                num_found += usize::from(expected.is_some());
            }
            Err(_) => assert!(
                status.starts_with("invalid number: "),
                "row {row_idx}: {status}"
            ),
        }
    }
    assert!(num_found > 20);
    assert!(table.is_dirty());

    // Save with Ctrl+S and read the file as another program would.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    run_until(&mut harness, "the file is saved", |app| {
        !app.is_busy() && !app.document().unwrap().table.is_dirty()
    });
    let table = &harness.state().document().unwrap().table;
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(saved.starts_with("Customer,Mobile No.,City,Notes,Caller Name,Lookup Status\r\n"));
    let mut reader = csv::Reader::from_reader(saved.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), table.num_rows());
    for (row_idx, record) in records.iter().enumerate() {
        let name = table.cell(row_idx, name_col);
        let written = record.get(name_col).unwrap();
        if name.starts_with(['=', '+', '-', '@', '\t', '\r', '\n']) {
            assert_eq!(
                written,
                format!("'{name}"),
                "formula-like names are guarded"
            );
        } else {
            assert_eq!(written, name);
        }
        assert_eq!(
            record.get(status_col).unwrap(),
            table.cell(row_idx, status_col)
        );
    }
}

#[test]
fn running_out_of_credits_shows_why_and_keeps_the_names_paid_for() {
    let mut config = FakeConfig::new(ApiToken::demo(), FakeProfile::Standard);
    config.credits = Some(20);
    let world = World::new(config);
    let path = world.demo_file();
    let mut harness = world.harness(&path);

    run_until(&mut harness, "the plan is ready", |app| {
        app.enrich_panel().plan().is_some()
    });
    // Small batches, so part of the job fits in the credits.
    harness.state_mut().saved_state_mut().settings.bulk_size = 10;
    harness
        .get_by_role_and_label(Role::Button, "Enrich")
        .click();
    run_until(&mut harness, "the job has ended", |app| {
        app.enrich_panel().summary_text().is_some()
    });

    let summary = harness.state().enrich_panel().summary_text().unwrap();
    assert!(
        summary.contains("Your Naam credits are used up."),
        "{summary}"
    );
    assert!(
        summary.contains("nothing will be charged twice"),
        "{summary}"
    );
    harness.get_by_label_contains("Your Naam credits are used up.");

    let app = harness.state();
    let table = &app.document().unwrap().table;
    let (name_col, status_col) = (column_of(app, NAME_COLUMN), column_of(app, STATUS_COLUMN));
    let statuses: Vec<String> = (0..table.num_rows())
        .map(|row_idx| table.cell(row_idx, status_col).into_owned())
        .collect();
    let answered = statuses
        .iter()
        .filter(|status| status.starts_with("found") || status.starts_with("not found"))
        .count();
    let waiting = statuses
        .iter()
        .filter(|status| status.as_str() == "not looked up: credits used up")
        .count();
    assert_eq!(world.fake.numbers_submitted(), 20);
    assert!(
        answered >= 20,
        "every number paid for has its answer ({answered})"
    );
    assert!(waiting > 0);
    assert!(!statuses.iter().any(|status| status == "pending"));
    // The names that were paid for are in the table.
    for row_idx in 0..table.num_rows() {
        if table.cell(row_idx, status_col) == "found" {
            assert!(!table.cell(row_idx, name_col).is_empty());
        }
    }
}

#[test]
fn a_job_left_unfinished_is_offered_at_start_and_finished_without_sending_again() {
    use naam_enrich::enrich::job::{CancelHandle, Job, JobConfig};
    use naam_enrich::enrich::progress::JobEvent;

    let mut config = FakeConfig::new(ApiToken::demo(), FakeProfile::Standard);
    config.processing_delay = Duration::from_secs(2);
    let world = World::new(config);
    let path = world.demo_file();
    let store = Arc::new(Store::open_in_memory().unwrap());

    // An earlier run: its numbers were sent, then the app closed before the names came.
    let numbers: Vec<String> = ["9876543210", "9123456789", "9988776655"]
        .iter()
        .map(|number| (*number).to_owned())
        .collect();
    world.runtime.block_on(async {
        let client = naam_enrich::naam::Client::new(naam_enrich::naam::ClientConfig::new(
            world.fake.base_url().clone(),
            ApiToken::demo(),
        ))
        .unwrap();
        let (sender, mut receiver) = tokio::sync::mpsc::channel(16);
        let cancel = CancelHandle::new();
        let job = Job::new(
            client,
            Arc::clone(&store),
            JobConfig::default(),
            sender,
            cancel.clone(),
        );
        let running =
            tokio::spawn(async move { job.run(numbers, Some(Path::new("/tmp/x.csv"))).await });
        while let Some(event) = receiver.recv().await {
            if let JobEvent::Progress(progress) = event
                && progress.submitted == 3
            {
                cancel.cancel();
            }
        }
        running.await.unwrap();
    });
    assert_eq!(world.fake.submissions(), 1);

    let token_store = MemoryStore::new();
    token_store.save("demo").unwrap();
    let options = AppOptions {
        runtime: world.runtime.handle().clone(),
        token_store: Arc::new(token_store),
        file: Some(path),
        demo: None,
        store: Some(Arc::clone(&store)),
        settings: Some(Settings {
            api_url: world.fake.base_url().as_str().to_owned(),
            ..Settings::default()
        }),
        recovery_dir: None,
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| NaamApp::new(cc, options));
    run_until(&mut harness, "the offer to finish appears", |app| {
        app.dialog().is_some()
    });
    harness.get_by_label("Finish the lookups from last time?");
    harness
        .get_by_role_and_label(Role::Button, "Fetch the names")
        .click();
    run_until(&mut harness, "the names are fetched", |app| {
        app.enrich_panel().summary_text().is_some()
    });
    let summary = harness.state().enrich_panel().summary_text().unwrap();
    let num_named = ["9876543210", "9123456789", "9988776655"]
        .iter()
        .filter(|number| FakeNaam::expected_name(number).is_some())
        .count();
    assert!(
        summary.starts_with(&format!(
            "{num_named} names found, {} not found",
            3 - num_named
        )),
        "{summary}"
    );
    assert_eq!(world.fake.submissions(), 1, "nothing was sent again");
    assert!(store.unfinished_jobs().unwrap().is_empty());
    let day = Duration::from_hours(24);
    let api = world.fake.base_url().as_str().to_owned();
    for number in ["9876543210", "9123456789", "9988776655"] {
        assert!(
            store.cache_get(&api, number, day).unwrap().is_some(),
            "{number} is cached"
        );
    }
}
