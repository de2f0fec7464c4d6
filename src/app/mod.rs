//! The desktop app: egui only, and never any I/O or waiting on the UI thread.
//!
//! [`NaamApp`] holds the open document and the state of every panel. Work that takes time —
//! reading and writing files, file dialogs, talking to Naam — runs on the tokio runtime that
//! `main` owns; results come back as [`events::AppEvent`]s, drained once per frame in
//! `App::logic`. The window's parts live in their own files: the menu, the import bar, the
//! table, the enrich panel, the settings window and the dialogs.

mod dialogs;
mod document;
pub mod enrich_panel;
mod events;
pub mod fonts;
mod import_bar;
mod menu;
pub mod settings_window;
pub mod table_view;
mod tasks;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::runtime::Handle;
use tokio::sync::mpsc;

use crate::csv_io::{Dialect, SaveOptions};
use crate::enrich::store::Store;
use crate::recovery::{Base, DocumentInfo, Fingerprint, JournalWriter, RecoverySession};
use crate::secrets::{MemoryStore, TokenStore};
use crate::settings::Settings;
use crate::table::RecordMark;

pub use dialogs::Dialog;
pub use document::Document;
use events::{AppEvent, EventSender, LoadPurpose, PickPurpose};
use tasks::SaveMode;

/// The application id: the Wayland app id, the keyring service, the installers' identifier.
pub const APP_ID: &str = "ai.naam.Enrich";

/// The name people see.
pub const APP_NAME: &str = "Naam Enrich";

/// How many recent files the File menu remembers.
const MAX_RECENT_FILES: usize = 8;

/// The key the app's saved state is stored under by eframe.
const STORAGE_KEY: &str = "naam-enrich";

/// What the app remembers between runs (never the token).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SavedState {
    /// Settings that are not secret.
    pub settings: Settings,
    /// Files opened lately, newest first.
    pub recent_files: Vec<PathBuf>,
}

/// The built-in fake service the demo talks to.
pub struct DemoService {
    /// The fake service's address.
    pub api_url: String,
    /// Keeps the fake service running while the app runs.
    pub handle: Box<dyn std::any::Any + Send>,
}

/// Everything the app needs from `main` (or a test) to start.
pub struct AppOptions {
    /// The runtime for background work.
    pub runtime: Handle,
    /// Where the token is kept.
    pub token_store: Arc<dyn TokenStore>,
    /// A file to open at start.
    pub file: Option<PathBuf>,
    /// The demo's fake service, when running `--demo`.
    pub demo: Option<DemoService>,
    /// The job store and cache, when the data folder could be used.
    pub store: Option<Arc<Store>>,
    /// Settings to start from when nothing was saved (tests pass their own).
    pub settings: Option<Settings>,
    /// The folder for recovery journals of unsaved work; `None` keeps none (the demo).
    pub recovery_dir: Option<PathBuf>,
}

/// What to do once unsaved changes are dealt with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PendingAction {
    /// Close the window.
    Quit,
    /// Open this file.
    Open(PathBuf),
    /// Show the file dialog to open a file.
    PickOpen,
}

/// A file being read.
struct Loading {
    id: u64,
    path: PathBuf,
    fraction: f32,
    cancel: Arc<AtomicBool>,
}

/// The desktop app.
pub struct NaamApp {
    runtime: Handle,
    events: EventSender,
    event_receiver: mpsc::Receiver<AppEvent>,
    saved: SavedState,
    token_store: Arc<dyn TokenStore>,
    /// Used instead of the keyring when the user chose to keep the token for this session.
    session_token: Option<Arc<MemoryStore>>,
    store: Option<Arc<Store>>,
    demo: Option<DemoService>,
    document: Option<Document>,
    table_view: table_view::TableView,
    loading: Option<Loading>,
    next_load_id: u64,
    is_saving: bool,
    dialog: Option<Dialog>,
    /// What to do after a save that was asked for by the unsaved-changes prompt.
    after_save: Option<PendingAction>,
    is_close_allowed: bool,
    settings_window: settings_window::SettingsWindow,
    enrich: enrich_panel::EnrichPanel,
    /// A short message in the status bar, e.g. "Saved leads.csv".
    status_message: Option<String>,
    last_title: String,
    /// Set while the start-up question "is a token stored?" is on its way.
    is_first_run_check: bool,
    recovery_dir: Option<PathBuf>,
    /// The journal of the open document's unsaved changes.
    recovery: Option<RecoverySession>,
    /// Where the table's record stood when the save in progress took its copy.
    saving_mark: Option<RecordMark>,
    /// Unsaved work found at start, waiting for the dialog on screen to close.
    unsaved_found: Vec<crate::recovery::Found>,
}

impl NaamApp {
    /// Creates the app inside eframe: installs fonts, restores saved state, and starts opening
    /// the file given on the command line.
    pub fn new(cc: &eframe::CreationContext<'_>, options: AppOptions) -> Self {
        fonts::install(&cc.egui_ctx);
        let saved = options.settings.clone().map_or_else(
            || {
                cc.storage
                    .and_then(|storage| eframe::get_value::<SavedState>(storage, STORAGE_KEY))
                    .unwrap_or_default()
            },
            |settings| SavedState {
                settings,
                recent_files: Vec::new(),
            },
        );
        Self::with_state(&cc.egui_ctx, options, saved)
    }

    /// Creates the app with the given saved state (tests use this through [`NaamApp::new`]).
    fn with_state(ctx: &egui::Context, options: AppOptions, saved: SavedState) -> Self {
        let (events, event_receiver) = EventSender::channel(ctx.clone());
        let is_demo = options.demo.is_some();
        let mut app = Self {
            runtime: options.runtime,
            events,
            event_receiver,
            saved,
            token_store: options.token_store,
            session_token: None,
            store: options.store,
            demo: options.demo,
            document: None,
            table_view: table_view::TableView::default(),
            loading: None,
            next_load_id: 0,
            is_saving: false,
            dialog: None,
            after_save: None,
            is_close_allowed: false,
            settings_window: settings_window::SettingsWindow::default(),
            enrich: enrich_panel::EnrichPanel::default(),
            status_message: None,
            last_title: String::new(),
            is_first_run_check: false,
            recovery_dir: options.recovery_dir,
            recovery: None,
            saving_mark: None,
            unsaved_found: Vec::new(),
        };
        if let Some(dir) = &app.recovery_dir {
            tasks::find_unsaved_work(&app.runtime, app.events.clone(), dir.clone());
        }
        if let Some(file) = options.file {
            app.start_loading(file, None, LoadPurpose::Open);
        }
        if !is_demo {
            app.enrich
                .look_for_unfinished_jobs(&app.runtime, &app.events, app.store.clone());
            // Whether a token is stored is asked off the UI thread; the answer opens the
            // first-run prompt when there is none.
            app.is_first_run_check = true;
            settings_window::token_task(
                &app.runtime,
                app.events.clone(),
                app.active_token_store(),
                settings_window::TokenOperation::Status,
            );
        }
        app
    }

    /// The document, if one is open.
    pub fn document(&self) -> Option<&Document> {
        self.document.as_ref()
    }

    /// The dialog on screen, if any.
    pub fn dialog(&self) -> Option<&Dialog> {
        self.dialog.as_ref()
    }

    /// Whether a file is being read or written.
    pub fn is_busy(&self) -> bool {
        self.loading.is_some() || self.is_saving
    }

    /// The enrich panel: the plan, the running job and the last summary.
    pub fn enrich_panel(&self) -> &enrich_panel::EnrichPanel {
        &self.enrich
    }

    /// The settings window.
    pub fn settings_window(&self) -> &settings_window::SettingsWindow {
        &self.settings_window
    }

    /// The grid.
    pub fn table_view(&self) -> &table_view::TableView {
        &self.table_view
    }

    /// The status bar's message, if any.
    pub fn status_message(&self) -> Option<&str> {
        self.status_message.as_deref()
    }

    /// The saved state (settings and recent files).
    pub fn saved_state(&self) -> &SavedState {
        &self.saved
    }

    /// The saved state, for changes (the settings window's job; tests use it too).
    pub fn saved_state_mut(&mut self) -> &mut SavedState {
        &mut self.saved
    }

    /// Whether this is the demo.
    pub fn is_demo(&self) -> bool {
        self.demo.is_some()
    }

    /// The token store in use: the session's, when the user chose one, else the keyring.
    fn active_token_store(&self) -> Arc<dyn TokenStore> {
        match &self.session_token {
            Some(store) => Arc::clone(store) as Arc<dyn TokenStore>,
            None => Arc::clone(&self.token_store),
        }
    }

    /// The service address in use: the demo's fake service, or the setting.
    fn api_url(&self) -> String {
        self.demo.as_ref().map_or_else(
            || self.saved.settings.api_url.clone(),
            |demo| demo.api_url.clone(),
        )
    }

    /// Opens `path`, first asking about unsaved changes.
    pub fn request_open(&mut self, path: PathBuf) {
        self.run_after_unsaved_check(PendingAction::Open(path));
    }

    /// Runs `action` now when nothing is unsaved; otherwise asks Save / Discard / Cancel first.
    fn run_after_unsaved_check(&mut self, action: PendingAction) {
        let is_dirty = self
            .document
            .as_ref()
            .is_some_and(|document| document.table.is_dirty());
        if is_dirty {
            let file_name = self
                .document
                .as_ref()
                .map(Document::file_name)
                .unwrap_or_default();
            self.dialog = Some(Dialog::UnsavedChanges {
                file_name,
                then: action,
            });
        } else {
            self.run_action(action);
        }
    }

    fn run_action(&mut self, action: PendingAction) {
        match action {
            PendingAction::Quit => self.is_close_allowed = true,
            PendingAction::Open(path) => self.start_loading(path, None, LoadPurpose::Open),
            PendingAction::PickOpen => {
                let suggested = self.document.as_ref().map(|document| document.path.clone());
                tasks::pick_file(
                    &self.runtime,
                    self.events.clone(),
                    PickPurpose::Open,
                    suggested.as_deref(),
                );
            }
        }
    }

    /// Starts reading `path` in the background; whatever is open stays open until it succeeds.
    fn start_loading(&mut self, path: PathBuf, dialect: Option<Dialect>, purpose: LoadPurpose) {
        if let Some(loading) = self.loading.take() {
            loading.cancel.store(true, Ordering::Relaxed);
        }
        self.next_load_id += 1;
        let cancel = Arc::new(AtomicBool::new(false));
        self.loading = Some(Loading {
            id: self.next_load_id,
            path: path.clone(),
            fraction: 0.0,
            cancel: Arc::clone(&cancel),
        });
        tasks::load(
            &self.runtime,
            self.events.clone(),
            self.next_load_id,
            path,
            dialect,
            purpose,
            cancel,
        );
    }

    /// Cancels the file being read, if any.
    pub fn cancel_loading(&mut self) {
        if let Some(loading) = self.loading.take() {
            loading.cancel.store(true, Ordering::Relaxed);
            self.status_message = Some("Opening cancelled.".to_owned());
        }
    }

    /// Saves the document in place, in its own dialect.
    pub fn save(&mut self) {
        let Some(document) = &self.document else {
            return;
        };
        let (path, dialect) = (document.path.clone(), document.dialect);
        self.start_save(path, dialect, SaveMode::InPlace);
    }

    fn start_save(&mut self, path: PathBuf, dialect: Dialect, mode: SaveMode) {
        let Some(document) = &self.document else {
            return;
        };
        if self.is_saving {
            return;
        }
        self.is_saving = true;
        self.saving_mark = Some(document.table.record_mark());
        let options = SaveOptions {
            guarded_columns: crate::enrich::merge::guarded_columns(&document.table),
        };
        tasks::save(
            &self.runtime,
            self.events.clone(),
            document.table.clone(),
            path,
            dialect,
            mode,
            options,
        );
    }

    /// Shows the Save As dialog with the dialect choices.
    pub fn save_as(&mut self) {
        if let Some(document) = &self.document {
            self.dialog = Some(Dialog::save_as(document.dialect.for_saving()));
        }
    }

    fn remember_recent(&mut self, path: &Path) {
        let recent = &mut self.saved.recent_files;
        recent.retain(|known| known != path);
        recent.insert(0, path.to_path_buf());
        recent.truncate(MAX_RECENT_FILES);
    }

    /// Handles everything background tasks sent since the last frame.
    fn drain_events(&mut self, ctx: &egui::Context) {
        while let Ok(event) = self.event_receiver.try_recv() {
            self.handle_event(ctx, event);
        }
    }

    fn handle_event(&mut self, ctx: &egui::Context, event: AppEvent) {
        match event {
            AppEvent::LoadProgress { load_id, fraction } => {
                if let Some(loading) = self
                    .loading
                    .as_mut()
                    .filter(|loading| loading.id == load_id)
                {
                    loading.fraction = fraction;
                }
            }
            AppEvent::Loaded {
                load_id,
                path,
                purpose,
                result,
            } => self.finish_loading(load_id, path, purpose, *result),
            AppEvent::Saved {
                path,
                result,
                saved_generation,
                fingerprint,
            } => self.finish_saving(&path, result, saved_generation, fingerprint),
            AppEvent::UnsavedWorkFound(found) => self.unsaved_found = found,
            AppEvent::Restored(result) => self.finish_restoring(*result),
            AppEvent::Picked { purpose, path } => {
                let Some(path) = path else { return };
                match purpose {
                    PickPurpose::Open => self.start_loading(path, None, LoadPurpose::Open),
                    PickPurpose::SaveAs(dialect) => self.save_as_path(path, dialect),
                }
            }
            AppEvent::ConnectionChecked { result } => {
                self.settings_window.connection_checked(result);
            }
            AppEvent::UnfinishedJobs(jobs) => {
                if !jobs.is_empty() {
                    // A restore question already on screen comes back once this one is answered.
                    if let Some(Dialog::RestoreUnsaved { found }) = self.dialog.take() {
                        self.unsaved_found = found;
                    }
                    self.dialog = Some(Dialog::ResumeJobs { jobs });
                }
            }
            AppEvent::Job(event) => {
                let table = self.document.as_mut().map(|document| &mut document.table);
                self.enrich
                    .handle_job_event(event, table, &mut self.table_view);
            }
            AppEvent::Planned(result) => self.enrich.plan_ready(*result),
            AppEvent::Token(report) => {
                // No token, or no keyring to hold one: the welcome prompt explains what to do.
                if std::mem::take(&mut self.is_first_run_check)
                    && matches!(
                        report,
                        events::TokenReport::Stored(false) | events::TokenReport::Failed { .. }
                    )
                {
                    self.settings_window.open_first_run();
                }
                self.settings_window.token_report(report);
            }
            AppEvent::Notice(message) => self.status_message = Some(message),
            AppEvent::Failed { title, message } => {
                self.dialog = Some(Dialog::Error { title, message });
            }
        }
        ctx.request_repaint();
    }

    fn finish_loading(
        &mut self,
        load_id: u64,
        path: PathBuf,
        purpose: LoadPurpose,
        result: Result<(crate::csv_io::Loaded, Option<Fingerprint>), crate::csv_io::CsvError>,
    ) {
        if self
            .loading
            .as_ref()
            .is_none_or(|loading| loading.id != load_id)
        {
            // A load that was cancelled or replaced; its result is not wanted.
            return;
        }
        self.loading = None;
        match result {
            Ok((loaded, fingerprint)) => {
                tracing::info!("opened {}", path.display());
                self.remember_recent(&path);
                self.status_message = Some(format!(
                    "Opened {} ({} rows).",
                    document::display_name(&path),
                    crate::enrich::outcome::thousands(loaded.table.num_rows())
                ));
                let base = fingerprint.map(|fingerprint| Base {
                    path: path.clone(),
                    dialect: loaded.dialect,
                    fingerprint,
                });
                self.set_document(
                    Document {
                        table: loaded.table,
                        path,
                        dialect: loaded.dialect,
                    },
                    base,
                    None,
                );
            }
            Err(crate::csv_io::CsvError::Cancelled { .. }) => {}
            Err(err) => {
                let title = match purpose {
                    LoadPurpose::Open => "The file could not be opened",
                    LoadPurpose::Reread => "The file could not be read that way",
                };
                self.dialog = Some(Dialog::Error {
                    title: title.to_owned(),
                    message: err.to_string(),
                });
            }
        }
    }

    /// Makes `document` the open one and starts journalling its changes from `base` (the file
    /// its table was read from), taking over `journal` when it comes from an earlier run.
    fn set_document(
        &mut self,
        mut document: Document,
        base: Option<Base>,
        journal: Option<PathBuf>,
    ) {
        self.recovery = None;
        if let (Some(dir), Some(base)) = (&self.recovery_dir, base) {
            match JournalWriter::start(dir, journal) {
                Ok(writer) => {
                    document.table.start_recording();
                    let info = DocumentInfo {
                        path: document.path.clone(),
                        dialect: document.dialect,
                    };
                    self.recovery = Some(RecoverySession::new(writer, info, base));
                }
                Err(err) => tracing::warn!(
                    "unsaved changes to {} will not survive a crash: the recovery journal could \
                     not start ({err})",
                    document.file_name()
                ),
            }
        }
        self.document = Some(document);
        self.table_view = table_view::TableView::default();
        if let Some(document) = &self.document {
            self.enrich.document_opened(document, &self.saved.settings);
        }
    }

    /// Puts back unsaved work from an earlier run, or says why it cannot be.
    fn finish_restoring(
        &mut self,
        result: Result<crate::recovery::Restored, crate::recovery::RecoveryError>,
    ) {
        match result {
            Ok(restored) => {
                let crate::recovery::Restored {
                    table,
                    document,
                    found,
                } = restored;
                tracing::info!(
                    num_actions = found.num_actions,
                    "restored unsaved changes to {}",
                    document.path.display()
                );
                self.status_message = Some(format!(
                    "Restored the unsaved changes to {}. Save to keep them.",
                    document::display_name(&document.path)
                ));
                self.set_document(
                    Document {
                        table,
                        path: document.path,
                        dialect: document.dialect,
                    },
                    Some(found.header.base),
                    Some(found.journal_path),
                );
            }
            Err(err) => {
                self.dialog = Some(Dialog::Error {
                    title: "The unsaved changes could not be restored".to_owned(),
                    message: format!(
                        "{err} The recovery file is kept, so nothing more is lost; choose \
                         \"Discard them\" next time to remove it."
                    ),
                });
            }
        }
    }

    /// The user chose not to keep the open document's unsaved changes.
    fn discard_unsaved(&mut self) {
        if let Some(session) = self.recovery.as_mut() {
            session.discard();
        }
    }

    /// Hands the journal writer what changed this frame.
    fn sync_recovery(&mut self) {
        if let (Some(session), Some(document)) = (self.recovery.as_mut(), self.document.as_mut()) {
            session.sync(&mut document.table);
        }
    }

    fn finish_saving(
        &mut self,
        path: &Path,
        result: Result<Dialect, crate::csv_io::CsvError>,
        saved_generation: u64,
        fingerprint: Option<Fingerprint>,
    ) {
        self.is_saving = false;
        let mark = self.saving_mark.take();
        match result {
            Ok(dialect) => {
                if let Some(document) = self.document.as_mut() {
                    path.clone_into(&mut document.path);
                    document.dialect = dialect;
                    document.table.mark_saved_at(saved_generation);
                }
                if let (Some(session), Some(mark), Some(fingerprint)) =
                    (self.recovery.as_mut(), mark, fingerprint)
                {
                    let document = DocumentInfo {
                        path: path.to_owned(),
                        dialect,
                    };
                    let base = Base {
                        path: path.to_owned(),
                        dialect,
                        fingerprint,
                    };
                    session.saved(document, base, mark);
                }
                self.remember_recent(path);
                self.status_message = Some(format!("Saved {}.", document::display_name(path)));
                if let Some(action) = self.after_save.take() {
                    self.run_action(action);
                }
            }
            Err(err) => {
                self.after_save = None;
                self.dialog = Some(Dialog::Error {
                    title: "The file could not be saved".to_owned(),
                    message: format!(
                        "{err} Your changes are still here, and the file on disk is as it was."
                    ),
                });
            }
        }
    }

    /// Saves to `path` in `dialect`, asking first when that would replace another file (what
    /// Save As does once the file dialog has a name).
    pub fn save_as_path(&mut self, path: PathBuf, dialect: Dialect) {
        let is_other_file = self
            .document
            .as_ref()
            .is_some_and(|document| document.path != path);
        if is_other_file && path.exists() {
            self.dialog = Some(Dialog::ConfirmOverwrite { path, dialect });
        } else {
            self.start_save(path, dialect, SaveMode::As);
        }
    }

    /// The window title: `Naam Enrich — leads.csv ●` with a dot while unsaved.
    fn title(&self) -> String {
        let mut title = APP_NAME.to_owned();
        if self.demo.is_some() {
            title.push_str(" (demo)");
        }
        if let Some(document) = &self.document {
            title.push_str(" — ");
            title.push_str(&document.file_name());
            if document.table.is_dirty() {
                title.push_str(" ●");
            }
        }
        title
    }

    fn handle_close_request(&mut self, ctx: &egui::Context) {
        if !ctx.input(|input| input.viewport().close_requested()) || self.is_close_allowed {
            return;
        }
        let is_dirty = self
            .document
            .as_ref()
            .is_some_and(|document| document.table.is_dirty());
        if is_dirty {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            if self.dialog.is_none() {
                self.run_after_unsaved_check(PendingAction::Quit);
            }
        }
    }

    fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped = ctx.input(|input| {
            input
                .raw
                .dropped_files
                .first()
                .map(|file| file.path().to_path_buf())
        });
        if let Some(path) = dropped {
            self.request_open(path);
        }
    }

    /// The services the enrich panel works with.
    fn services(&self) -> enrich_panel::Services {
        enrich_panel::Services {
            store: self.store.clone(),
            settings: self.saved.settings.clone(),
            api_url: self.api_url(),
            token_store: self.active_token_store(),
            is_demo: self.demo.is_some(),
        }
    }

    fn enrich_panel_ui(&mut self, ui: &mut egui::Ui) {
        let Some(mut document) = self.document.take() else {
            return;
        };
        let services = self.services();
        let action = self.enrich.ui(
            ui,
            &self.runtime,
            &self.events,
            &mut document,
            &mut self.table_view,
            &services,
        );
        self.document = Some(document);
        if let enrich_panel::PanelAction::Confirm(credits) = action {
            self.dialog = Some(Dialog::ConfirmCredits { credits });
        }
    }

    /// Starts the job the user just confirmed the credits for.
    fn start_enrich_confirmed(&mut self) {
        let Some(mut document) = self.document.take() else {
            return;
        };
        let services = self.services();
        self.enrich.start_confirmed(
            &self.runtime,
            &self.events,
            &mut document,
            &mut self.table_view,
            &services,
        );
        self.document = Some(document);
    }

    /// Fetches the names of jobs an earlier run left unfinished.
    fn resume_jobs(&mut self, jobs: Vec<crate::enrich::store::UnfinishedJob>) {
        let services = self.services();
        self.enrich.resume(
            jobs,
            &self.runtime,
            &self.events,
            self.document.as_mut(),
            &services,
        );
    }

    fn status_bar_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if let Some(loading) = &self.loading {
                ui.label(format!(
                    "Opening {}…",
                    document::display_name(&loading.path)
                ));
                ui.add(
                    egui::ProgressBar::new(loading.fraction)
                        .desired_width(200.0)
                        .show_percentage(),
                );
                if ui.button("Cancel").clicked() {
                    self.cancel_loading();
                }
            } else if self.is_saving {
                ui.spinner();
                ui.label("Saving…");
            } else if let Some(message) = &self.status_message {
                ui.label(message);
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if let Some(document) = &self.document {
                    ui.label(format!(
                        "{} rows × {} columns",
                        crate::enrich::outcome::thousands(document.table.num_rows()),
                        document.table.num_columns()
                    ));
                }
            });
        });
    }

    fn welcome_ui(&mut self, ui: &mut egui::Ui) {
        ui.vertical_centered(|ui| {
            ui.add_space(ui.available_height() * 0.2);
            ui.heading("Put caller names next to your mobile numbers");
            ui.add_space(8.0);
            ui.label("Open a CSV file exported from Excel or your CRM, or drop it on this window.");
            ui.add_space(16.0);
            if ui
                .add(egui::Button::new("Open a spreadsheet…").min_size(egui::vec2(200.0, 32.0)))
                .clicked()
            {
                self.run_after_unsaved_check(PendingAction::PickOpen);
            }
            if !self.saved.recent_files.is_empty() {
                ui.add_space(24.0);
                ui.label(egui::RichText::new("Recent files").strong());
                let mut chosen = None;
                for path in &self.saved.recent_files {
                    if ui
                        .link(document::display_name(path))
                        .on_hover_text(path.display().to_string())
                        .clicked()
                    {
                        chosen = Some(path.clone());
                    }
                }
                if let Some(path) = chosen {
                    self.request_open(path);
                }
            }
        });
    }
}

impl eframe::App for NaamApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.drain_events(ctx);
        if self.dialog.is_none() && !self.unsaved_found.is_empty() {
            // Asked once any other start-up question is answered, so neither hides the other.
            let found = std::mem::take(&mut self.unsaved_found);
            self.dialog = Some(Dialog::RestoreUnsaved { found });
        }
        self.sync_recovery();
        self.handle_close_request(ctx);
        self.handle_dropped_files(ctx);
        menu::handle_shortcuts(self, ctx);
        let title = self.title();
        if title != self.last_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.last_title = title;
        }
        if self.is_close_allowed && ctx.input(|input| !input.viewport().close_requested()) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::Panel::top("menu").show(ui, |ui| menu::menu_bar_ui(self, ui));
        if self.demo.is_some() {
            egui::Panel::top("demo-banner").show(ui, |ui| {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    "Demo: lookups go to a built-in pretend Naam service. No token is needed \
                     and no credits are used; the names are made up.",
                );
            });
        }
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar_ui(ui));
        if self.document.is_some() {
            egui::Panel::right("enrich")
                .resizable(true)
                .default_size(300.0)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| self.enrich_panel_ui(ui));
                });
            egui::Panel::top("import-bar").show(ui, |ui| {
                let request = self
                    .document
                    .as_ref()
                    .and_then(|document| import_bar::ui(ui, document));
                if let (Some(request), Some(path)) = (
                    request,
                    self.document.as_ref().map(|document| document.path.clone()),
                ) {
                    self.start_loading(path, Some(request), LoadPurpose::Reread);
                }
            });
        }
        egui::CentralPanel::default_margins().show(ui, |ui| {
            if let Some(document) = self.document.as_mut() {
                self.table_view.ui(ui, &mut document.table);
            } else {
                self.welcome_ui(ui);
            }
        });
        dialogs::show(self, ui.ctx());
        settings_window::show(self, ui.ctx());
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, &self.saved);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.sync_recovery();
        if let Some(session) = self.recovery.take() {
            session.close();
        }
    }
}

/// Opens the window and runs until it is closed.
///
/// # Errors
/// When no window can be opened (no display, no OpenGL).
pub fn run_native(options: AppOptions) -> anyhow::Result<()> {
    let icon = eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon-256.png"))
        .map_err(|err| anyhow::anyhow!("the app icon is damaged: {err}"))?;
    let native_options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(APP_NAME)
            .with_app_id(APP_ID)
            .with_icon(Arc::new(icon))
            .with_inner_size([1240.0, 760.0])
            .with_min_inner_size([640.0, 400.0])
            .with_drag_and_drop(true),
        persist_window: true,
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        APP_ID,
        native_options,
        Box::new(|cc| Ok(Box::new(NaamApp::new(cc, options)))),
    )
    .map_err(|err| anyhow::anyhow!("The window could not be opened: {err}"))
}

/// The sample spreadsheet the demo opens, built into the binary so an installed app has it.
pub const DEMO_CSV: &[u8] = include_bytes!("../../assets/demo.csv");

/// Writes a fresh copy of the demo spreadsheet into the data folder (or the temporary folder)
/// and returns its path. Each demo starts from the same sample.
///
/// # Errors
/// When the file cannot be written.
pub fn demo_file(data_dir: Option<&Path>) -> anyhow::Result<PathBuf> {
    let dir = data_dir
        .map_or_else(std::env::temp_dir, Path::to_path_buf)
        .join("demo");
    std::fs::create_dir_all(&dir).map_err(|err| {
        anyhow::anyhow!(
            "The demo folder could not be made ({err}): {}",
            dir.display()
        )
    })?;
    let path = dir.join("demo-contacts.csv");
    std::fs::write(&path, DEMO_CSV).map_err(|err| {
        anyhow::anyhow!(
            "The demo file could not be written ({err}): {}",
            path.display()
        )
    })?;
    Ok(path)
}
