//! Work the window hands to the background: reading and writing files, file dialogs, and
//! checking the connection. Each task reports back through an [`EventSender`].

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::runtime::Handle;

use crate::app::events::{AppEvent, EventSender, LoadPurpose, PickPurpose};
use crate::csv_io::{self, Dialect, SaveOptions};
use crate::naam::{ApiBaseUrl, ApiToken, Client, ClientConfig};
use crate::recovery::{self, Fingerprint, Found};
use crate::table::Table;

/// The file types offered in the dialogs.
const CSV_EXTENSIONS: [&str; 3] = ["csv", "txt", "tsv"];

/// Reads `path` on a blocking thread, with the dialect given or sniffed, reporting progress.
/// Setting `cancel` stops it with [`csv_io::CsvError::Cancelled`].
pub fn load(
    runtime: &Handle,
    events: EventSender,
    load_id: u64,
    path: PathBuf,
    dialect: Option<Dialect>,
    purpose: LoadPurpose,
    cancel: Arc<AtomicBool>,
) {
    runtime.spawn_blocking(move || {
        let progress = |done: u64, total: u64| {
            if cancel.load(Ordering::Relaxed) {
                return ControlFlow::Break(());
            }
            let fraction = if total == 0 {
                0.0
            } else {
                done as f32 / total as f32
            };
            events.try_send(AppEvent::LoadProgress { load_id, fraction });
            ControlFlow::Continue(())
        };
        // Taken before reading, so a change made while the file is read is noticed later.
        let fingerprint = Fingerprint::of(&path).ok();
        let result = match dialect {
            Some(dialect) => csv_io::load(&path, &dialect, progress),
            None => csv_io::open_with_progress(&path, progress),
        }
        .map(|loaded| (loaded, fingerprint));
        events.blocking_send(AppEvent::Loaded {
            load_id,
            path,
            purpose,
            result: Box::new(result),
        });
    });
}

/// How a save should write the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveMode {
    /// Keep the file's own dialect, untouched rows byte for byte.
    InPlace,
    /// Write every row anew in the given dialect.
    As,
}

/// Writes a snapshot of the table on a blocking thread; the file is replaced atomically.
pub fn save(
    runtime: &Handle,
    events: EventSender,
    table: Table,
    path: PathBuf,
    dialect: Dialect,
    mode: SaveMode,
    options: SaveOptions,
) {
    let saved_generation = table.generation();
    runtime.spawn_blocking(move || {
        let result = match mode {
            SaveMode::InPlace => csv_io::save(&table, &path, &dialect, &options),
            SaveMode::As => csv_io::save_as(&table, &path, &dialect, &options),
        };
        let fingerprint = result
            .as_ref()
            .ok()
            .and_then(|_| Fingerprint::of(&path).ok());
        events.blocking_send(AppEvent::Saved {
            path,
            result,
            saved_generation,
            fingerprint,
        });
    });
}

/// Looks for unsaved work an earlier run left in `dir`.
pub fn find_unsaved_work(runtime: &Handle, events: EventSender, dir: PathBuf) {
    runtime.spawn_blocking(move || {
        let found = recovery::find(&dir);
        if !found.is_empty() {
            events.blocking_send(AppEvent::UnsavedWorkFound(found));
        }
    });
}

/// Reads unsaved work back: the file it started from, and its edits made again.
pub fn restore_unsaved_work(runtime: &Handle, events: EventSender, found: Found) {
    runtime.spawn_blocking(move || {
        let result = recovery::restore(found);
        events.blocking_send(AppEvent::Restored(Box::new(result)));
    });
}

/// Removes unsaved work the user chose not to keep.
pub fn discard_unsaved_work(runtime: &Handle, found: Found) {
    runtime.spawn_blocking(move || recovery::discard(&found));
}

/// Shows the system's file dialog without blocking the window.
pub fn pick_file(
    runtime: &Handle,
    events: EventSender,
    purpose: PickPurpose,
    suggested: Option<&Path>,
) {
    let mut dialog = rfd::AsyncFileDialog::new()
        .add_filter("Spreadsheet text (CSV, TSV, TXT)", &CSV_EXTENSIONS)
        .add_filter("All files", &["*"]);
    if let Some(suggested) = suggested {
        if let Some(folder) = suggested.parent().filter(|folder| folder.is_dir()) {
            dialog = dialog.set_directory(folder);
        }
        if let Some(name) = suggested.file_name() {
            dialog = dialog.set_file_name(name.to_string_lossy());
        }
    }
    runtime.spawn(async move {
        let handle = match &purpose {
            PickPurpose::Open => dialog.set_title("Open a spreadsheet").pick_file().await,
            PickPurpose::SaveAs(_) => dialog.set_title("Save as").save_file().await,
        };
        let path = handle.map(|handle| handle.path().to_path_buf());
        events.send(AppEvent::Picked { purpose, path }).await;
    });
}

/// Checks that the service at `api_url` accepts `token`, without spending a credit.
pub fn check_connection(runtime: &Handle, events: EventSender, api_url: String, token: String) {
    runtime.spawn(async move {
        let result = async {
            let base_url = ApiBaseUrl::parse(&api_url)?;
            let client = Client::new(ClientConfig::new(base_url, ApiToken::new(token)?))?;
            client.check_connection().await
        }
        .await
        .map_err(|err| err.to_string());
        events.send(AppEvent::ConnectionChecked { result }).await;
    });
}

/// Opens the folder with the app's logs in the system's file manager.
pub fn open_log_folder(runtime: &Handle, events: EventSender) {
    runtime.spawn_blocking(move || {
        let result = crate::settings::data_dir()
            .map_err(|err| err.to_string())
            .and_then(|dir| {
                let logs = dir.join("logs");
                std::fs::create_dir_all(&logs).map_err(|err| err.to_string())?;
                open_in_file_manager(&logs).map(|()| logs)
            });
        if let Err(message) = result {
            events.blocking_send(AppEvent::Failed {
                title: "The log folder could not be opened".to_owned(),
                message,
            });
        }
    });
}

fn open_in_file_manager(folder: &Path) -> Result<(), String> {
    let program = if cfg!(target_os = "windows") {
        "explorer"
    } else if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    std::process::Command::new(program)
        .arg(folder)
        .spawn()
        .map(drop)
        .map_err(|err| {
            format!(
                "{program} could not be started ({err}). The logs are in {}",
                folder.display()
            )
        })
}
