//! Settings: the API token (in the keyring, never shown back), and the settings that are not
//! secret. Also the first-run prompt when no token is stored.

use std::sync::Arc;

use crate::app::NaamApp;
use crate::app::events::{AppEvent, EventSender, TokenReport};
use crate::secrets::{MemoryStore, SecretError, TokenStore};

/// What the window knows about the stored token.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
enum TokenState {
    /// Not asked yet, or a keyring call is on its way.
    #[default]
    Checking,
    /// A token is stored.
    Stored,
    /// No token is stored.
    Missing,
}

/// The settings window's state.
#[derive(Default)]
pub struct SettingsWindow {
    is_open: bool,
    is_first_run: bool,
    /// What the user typed into the token field; cleared once saved.
    token_input: String,
    token_state: TokenState,
    /// The last keyring or connection message, and whether it is good news.
    message: Option<(String, bool)>,
    is_keyring_unavailable: bool,
    is_checking_connection: bool,
    has_asked_status: bool,
}

impl SettingsWindow {
    /// Opens the window.
    pub fn open(&mut self) {
        self.is_open = true;
        self.is_first_run = false;
    }

    /// Opens the window as the first-run prompt.
    pub fn open_first_run(&mut self) {
        self.is_open = true;
        self.is_first_run = true;
    }

    /// Whether it is on screen.
    pub fn is_open(&self) -> bool {
        self.is_open
    }

    /// Takes a keyring operation's result.
    pub fn token_report(&mut self, report: TokenReport) {
        match report {
            TokenReport::Stored(is_stored) => {
                self.token_state = if is_stored {
                    TokenState::Stored
                } else {
                    TokenState::Missing
                };
            }
            TokenReport::Saved => {
                self.token_state = TokenState::Stored;
                self.token_input.clear();
                self.message = Some(("The token is saved.".to_owned(), true));
            }
            TokenReport::Removed => {
                self.token_state = TokenState::Missing;
                self.message = Some(("The token is removed.".to_owned(), true));
            }
            TokenReport::Failed {
                message,
                is_unavailable,
            } => {
                self.is_keyring_unavailable |= is_unavailable;
                if self.token_state == TokenState::Checking {
                    self.token_state = TokenState::Missing;
                }
                self.message = Some((message, false));
            }
        }
    }

    /// Takes the result of "Test connection".
    pub fn connection_checked(&mut self, result: Result<(), String>) {
        self.is_checking_connection = false;
        self.message = Some(match result {
            Ok(()) => ("Connected: Naam accepted your token.".to_owned(), true),
            Err(message) => (message, false),
        });
    }
}

/// Runs a keyring operation on a blocking thread and reports it.
pub fn token_task(
    runtime: &tokio::runtime::Handle,
    events: EventSender,
    store: Arc<dyn TokenStore>,
    operation: TokenOperation,
) {
    runtime.spawn_blocking(move || {
        let report = match operation {
            TokenOperation::Status => store
                .load()
                .map(|token| TokenReport::Stored(token.is_some())),
            TokenOperation::Save(token) => store.save(&token).map(|()| TokenReport::Saved),
            TokenOperation::Remove => store.delete().map(|()| TokenReport::Removed),
        };
        let report = report.unwrap_or_else(|err| TokenReport::Failed {
            is_unavailable: matches!(err, SecretError::Unavailable { .. }),
            message: err.to_string(),
        });
        events.blocking_send(AppEvent::Token(report));
    });
}

/// A keyring operation.
#[derive(Debug)]
pub enum TokenOperation {
    /// Is a token stored?
    Status,
    /// Store this token.
    Save(String),
    /// Remove the token.
    Remove,
}

/// Shows the settings window when it is open.
pub fn show(app: &mut NaamApp, ctx: &egui::Context) {
    if !app.settings_window.is_open {
        return;
    }
    if !app.settings_window.has_asked_status {
        app.settings_window.has_asked_status = true;
        token_task(
            &app.runtime,
            app.events.clone(),
            app.active_token_store(),
            TokenOperation::Status,
        );
    }
    let mut is_open = true;
    let title = if app.settings_window.is_first_run {
        "Welcome to Naam Enrich"
    } else {
        "Settings"
    };
    egui::Window::new(title)
        .id(egui::Id::unique("settings-window"))
        .open(&mut is_open)
        .collapsible(false)
        .resizable(false)
        .default_width(460.0)
        .show(ctx, |ui| settings_ui(app, ui));
    app.settings_window.is_open &= is_open;
}

fn settings_ui(app: &mut NaamApp, ui: &mut egui::Ui) {
    if app.settings_window.is_first_run {
        ui.label(
            "To look up names you need an API token from your Naam dashboard. Paste it below; it \
             is kept in your computer's keyring and nowhere else.",
        );
        ui.add_space(6.0);
    }
    if app.is_demo() {
        ui.label("This is the demo: it needs no token and uses a pretend service.");
        ui.add_space(6.0);
    }
    token_ui(app, ui);
    ui.separator();
    other_settings_ui(app, ui);
}

fn token_ui(app: &mut NaamApp, ui: &mut egui::Ui) {
    ui.heading("API token");
    let status = match (
        &app.settings_window.token_state,
        app.session_token.is_some(),
    ) {
        (_, true) => "A token is kept for this session only (until you quit).",
        (TokenState::Checking, false) => "Checking the keyring…",
        (TokenState::Stored, false) => "A token is stored in your keyring.",
        (TokenState::Missing, false) => "No token is stored yet.",
    };
    ui.label(status);
    let window = &mut app.settings_window;
    ui.horizontal(|ui| {
        let label = ui.label("New token:");
        ui.add(
            egui::TextEdit::singleline(&mut window.token_input)
                .password(true)
                .hint_text("paste your token here")
                .desired_width(260.0),
        )
        .labelled_by(label.id);
    });
    let has_input = !window.token_input.trim().is_empty();
    let mut operation = None;
    let mut keep_for_session = false;
    let mut test_connection = false;
    ui.horizontal(|ui| {
        if ui
            .add_enabled(has_input, egui::Button::new("Save"))
            .clicked()
        {
            operation = Some(TokenOperation::Save(window.token_input.trim().to_owned()));
        }
        if ui
            .add_enabled(
                !window.is_checking_connection,
                egui::Button::new("Test connection"),
            )
            .clicked()
        {
            test_connection = true;
        }
        if ui
            .add_enabled(
                window.token_state == TokenState::Stored,
                egui::Button::new("Remove"),
            )
            .clicked()
        {
            operation = Some(TokenOperation::Remove);
        }
    });
    if window.is_keyring_unavailable
        && has_input
        && ui
            .button("Keep the token for this session only")
            .on_hover_text("It is forgotten when you quit the app.")
            .clicked()
    {
        keep_for_session = true;
    }
    if window.is_checking_connection {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Asking Naam…");
        });
    }
    if let Some((message, is_good)) = &window.message {
        let color = if *is_good {
            ui.visuals().text_color()
        } else {
            ui.visuals().error_fg_color
        };
        ui.colored_label(color, message);
    }

    if keep_for_session {
        keep_token_for_session(app);
    }
    if let Some(operation) = operation {
        token_task(
            &app.runtime,
            app.events.clone(),
            app.active_token_store(),
            operation,
        );
    }
    if test_connection {
        start_connection_test(app);
    }
}

/// Keeps the typed token in memory for this session, for a desktop without a keyring.
fn keep_token_for_session(app: &mut NaamApp) {
    let store = Arc::new(MemoryStore::new());
    let token = app.settings_window.token_input.trim().to_owned();
    match store.save(&token) {
        Ok(()) => {
            app.session_token = Some(store);
            app.settings_window.token_input.clear();
            app.settings_window.message =
                Some(("The token is kept until you quit.".to_owned(), true));
        }
        Err(err) => app.settings_window.message = Some((err.to_string(), false)),
    }
}

/// Tests the typed token, or else the stored one, against the service.
fn start_connection_test(app: &mut NaamApp) {
    app.settings_window.is_checking_connection = true;
    app.settings_window.message = None;
    let typed = app.settings_window.token_input.trim().to_owned();
    let store = app.active_token_store();
    let events = app.events.clone();
    let api_url = app.api_url();
    let runtime = app.runtime.clone();
    let demo_token = app.is_demo().then(|| crate::naam::DEMO_TOKEN.to_owned());
    app.runtime.spawn(async move {
        // The token typed but not saved yet is tested first, so it can be tried before it
        // is stored.
        let token = if !typed.is_empty() {
            Ok(Some(typed))
        } else if let Some(token) = demo_token {
            Ok(Some(token))
        } else {
            tokio::task::spawn_blocking(move || store.load())
                .await
                .unwrap_or(Ok(None))
        };
        match token {
            Ok(Some(token)) => super::tasks::check_connection(&runtime, events, api_url, token),
            Ok(None) => {
                events
                    .send(AppEvent::ConnectionChecked {
                        result: Err("There is no token to test. Paste one first.".to_owned()),
                    })
                    .await;
            }
            Err(err) => {
                events
                    .send(AppEvent::ConnectionChecked {
                        result: Err(err.to_string()),
                    })
                    .await;
            }
        }
    });
}

fn other_settings_ui(app: &mut NaamApp, ui: &mut egui::Ui) {
    ui.heading("Lookups");
    let settings = &mut app.saved.settings;
    egui::Grid::new("settings-grid")
        .num_columns(2)
        .show(ui, |ui| {
            let label = ui.label("Naam address");
            ui.text_edit_singleline(&mut settings.api_url)
                .labelled_by(label.id);
            ui.end_row();

            let label = ui.label("Country of numbers without a code");
            ui.add(
                egui::TextEdit::singleline(&mut settings.region)
                    .char_limit(2)
                    .desired_width(40.0),
            )
            .labelled_by(label.id);
            ui.end_row();

            let label = ui.label("Numbers per request");
            ui.add(egui::DragValue::new(&mut settings.bulk_size).range(1..=10_000))
                .labelled_by(label.id);
            ui.end_row();

            let label = ui.label("Reuse names looked up in the last");
            ui.horizontal(|ui| {
                ui.add(egui::DragValue::new(&mut settings.cache_max_age_days).range(0..=3650))
                    .labelled_by(label.id);
                ui.label("days");
            });
            ui.end_row();

            let label = ui.label("Ask before using more than");
            ui.horizontal(|ui| {
                ui.add(
                    egui::DragValue::new(&mut settings.confirm_over_credits).range(0..=10_000_000),
                )
                .labelled_by(label.id);
                ui.label("credits");
            });
            ui.end_row();
        });
    if ui.button("Restore defaults").clicked() {
        app.saved.settings = crate::settings::Settings::default();
    }
    if let Some(store) = app.store.clone() {
        ui.add_space(6.0);
        if ui
            .button("Forget cached names")
            .on_hover_text("The next Enrich looks every number up again, using credits.")
            .clicked()
        {
            let events = app.events.clone();
            app.runtime.spawn_blocking(move || {
                let event = match store.clear_cache() {
                    Ok(()) => AppEvent::Notice(
                        "Cached names forgotten: the next Enrich looks every number up again."
                            .to_owned(),
                    ),
                    Err(err) => AppEvent::Failed {
                        title: "The cache could not be cleared".to_owned(),
                        message: err.to_string(),
                    },
                };
                events.blocking_send(event);
            });
        }
    }
}
