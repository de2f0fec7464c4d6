//! What background tasks tell the window, and the channel that carries it.
//!
//! The window never waits: it starts work on the tokio runtime and, once per frame in
//! `App::logic`, drains what came back. Every event sent wakes the window with
//! `request_repaint`, so results show up at once even when nothing else moves.

use std::path::PathBuf;

use tokio::sync::mpsc;

use crate::csv_io::{CsvError, Dialect, Loaded};
use crate::enrich::progress::JobEvent;
use crate::enrich::store::UnfinishedJob;
use crate::recovery::{Fingerprint, Found, RecoveryError, Restored};

/// How many events may wait for the window before senders slow down.
pub const EVENT_CAPACITY: usize = 1024;

/// Why a file is being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadPurpose {
    /// Open it as the document.
    Open,
    /// Read the open document's file again with a different dialect.
    Reread,
}

/// A file dialog's purpose, so its answer can be acted on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickPurpose {
    /// Open the chosen file.
    Open,
    /// Save the document to the chosen file in this dialect.
    SaveAs(Dialect),
}

/// Something a background task finished or reports.
#[derive(Debug)]
pub enum AppEvent {
    /// A file is being read: `fraction` of it so far.
    LoadProgress {
        /// Which load this is.
        load_id: u64,
        /// From 0 to 1.
        fraction: f32,
    },
    /// A file was read, or could not be.
    Loaded {
        /// Which load this is.
        load_id: u64,
        /// The file.
        path: PathBuf,
        /// Why it was read.
        purpose: LoadPurpose,
        /// The table and its dialect with the file's fingerprint as it was read (when it could
        /// be taken), or why there is none.
        result: Box<Result<(Loaded, Option<Fingerprint>), CsvError>>,
    },
    /// A save ended.
    Saved {
        /// Where it was written.
        path: PathBuf,
        /// The dialect written, or why the file could not be written (the old one is intact).
        result: Result<Dialect, CsvError>,
        /// The undo step the saved table was at, to mark the document clean if it still is.
        saved_generation: u64,
        /// The saved file's fingerprint, so the recovery journal can start from it.
        fingerprint: Option<Fingerprint>,
    },
    /// Unsaved work from an earlier run was found at start-up.
    UnsavedWorkFound(Vec<Found>),
    /// Unsaved work was read back, or could not be.
    Restored(Box<Result<Restored, RecoveryError>>),
    /// A file dialog closed.
    Picked {
        /// What the dialog was for.
        purpose: PickPurpose,
        /// The chosen file, or `None` when the user cancelled.
        path: Option<PathBuf>,
    },
    /// "Test connection" finished.
    ConnectionChecked {
        /// `Ok` when the service accepted the token, else a message in words.
        result: Result<(), String>,
    },
    /// A keyring operation ended.
    Token(TokenReport),
    /// Jobs left unfinished by an earlier run were found at start-up.
    UnfinishedJobs(Vec<UnfinishedJob>),
    /// A lookup job reports.
    Job(JobEvent),
    /// The enrich panel's plan is ready.
    Planned(Box<crate::app::enrich_panel::PlanResult>),
    /// A short message for the status bar.
    Notice(String),
    /// Something failed in the background; the message is for the user.
    Failed {
        /// A short title.
        title: String,
        /// What happened and what to do.
        message: String,
    },
}

/// What a keyring operation found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenReport {
    /// Whether a token is stored.
    Stored(bool),
    /// The token was saved.
    Saved,
    /// The token was removed.
    Removed,
    /// The keyring could not be used; `is_unavailable` when there is none at all.
    Failed {
        /// The message for the user.
        message: String,
        /// True when no keyring exists, so keeping the token for the session is offered.
        is_unavailable: bool,
    },
}

/// The sending half of the window's event channel; wakes the window on every send.
#[derive(Clone)]
pub struct EventSender {
    sender: mpsc::Sender<AppEvent>,
    ctx: egui::Context,
}

impl EventSender {
    /// A new channel whose events wake `ctx`.
    pub fn channel(ctx: egui::Context) -> (Self, mpsc::Receiver<AppEvent>) {
        let (sender, receiver) = mpsc::channel(EVENT_CAPACITY);
        (Self { sender, ctx }, receiver)
    }

    /// Sends an event, waiting for room. Returns false when the window is gone.
    pub async fn send(&self, event: AppEvent) -> bool {
        let is_sent = self.sender.send(event).await.is_ok();
        self.ctx.request_repaint();
        is_sent
    }

    /// Sends an event from a thread outside the runtime, waiting for room.
    pub fn blocking_send(&self, event: AppEvent) -> bool {
        let is_sent = self.sender.blocking_send(event).is_ok();
        self.ctx.request_repaint();
        is_sent
    }

    /// Sends an event only if there is room at once; for progress updates, where a newer one
    /// soon follows.
    pub fn try_send(&self, event: AppEvent) {
        if self.sender.try_send(event).is_ok() {
            self.ctx.request_repaint();
        }
    }
}
