//! The settings window's token controls against an in-memory store and the fake service:
//! save, test the connection (a good and a bad token), and remove. The token never leaves the
//! store it is given.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a failed step is a failed test"
)]

mod common;

use std::sync::Arc;

use common::wait_until;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use naam_enrich::app::{AppOptions, NaamApp};
use naam_enrich::enrich::store::Store;
use naam_enrich::naam::ApiToken;
use naam_enrich::naam::fake::{FakeConfig, FakeNaam, FakeProfile};
use naam_enrich::secrets::{MemoryStore, TokenStore};
use naam_enrich::settings::Settings;

#[test]
fn a_first_run_without_a_token_asks_for_one_and_keeps_it_only_in_the_store() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let fake = runtime
        .block_on(FakeNaam::start(FakeConfig::new(
            ApiToken::new("good-token").unwrap(),
            FakeProfile::Standard,
        )))
        .unwrap();
    let store = Arc::new(MemoryStore::new());
    let options = AppOptions {
        runtime: runtime.handle().clone(),
        token_store: Arc::clone(&store) as Arc<dyn TokenStore>,
        file: None,
        demo: None,
        store: Some(Arc::new(Store::open_in_memory().unwrap())),
        settings: Some(Settings {
            api_url: fake.base_url().as_str().to_owned(),
            ..Settings::default()
        }),
        recovery_dir: None,
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| NaamApp::new(cc, options));

    // No token stored: the welcome prompt opens by itself.
    wait_until(&mut harness, "the first-run prompt opens", |harness| {
        harness.query_by_label("Welcome to Naam Enrich").is_some()
    });
    harness.get_by_label("No token is stored yet.");

    // A wrong token is caught by Test connection before it is saved.
    harness.get_by_label("New token:").click();
    harness.run_steps(1);
    harness.event(egui::Event::Text("wrong-token".to_owned()));
    harness
        .get_by_role_and_label(Role::Button, "Test connection")
        .click();
    wait_until(&mut harness, "the test answers", |harness| {
        harness
            .query_by_label_contains("did not accept your API token")
            .is_some()
    });
    assert_eq!(store.load().unwrap(), None, "testing does not save");

    // The right token: test, then save.
    let field = harness.get_by_label("New token:");
    field.click();
    harness.run_steps(1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.event(egui::Event::Text("good-token".to_owned()));
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::Button, "Test connection")
        .click();
    wait_until(&mut harness, "the test answers", |harness| {
        harness
            .query_by_label("Connected: Naam accepted your token.")
            .is_some()
    });
    harness.get_by_role_and_label(Role::Button, "Save").click();
    wait_until(&mut harness, "the token is saved", |harness| {
        harness
            .query_by_label("A token is stored in your keyring.")
            .is_some()
    });
    assert_eq!(store.load().unwrap().as_deref(), Some("good-token"));
    // The masked field never shows it, and the window forgot what was typed.
    assert!(harness.query_by_value("good-token").is_none());

    harness
        .get_by_role_and_label(Role::Button, "Remove")
        .click();
    wait_until(&mut harness, "the token is removed", |harness| {
        harness.query_by_label("No token is stored yet.").is_some()
    });
    assert_eq!(store.load().unwrap(), None);
}
