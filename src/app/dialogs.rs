//! The questions and messages that stop everything until answered.

use std::path::PathBuf;

use crate::app::events::PickPurpose;
use crate::app::{NaamApp, PendingAction, tasks};
use crate::csv_io::{Delimiter, Dialect, LineEnding, TextEncoding};
use crate::enrich::store::UnfinishedJob;
use crate::recovery::Found;

/// The encodings offered by Save As.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveEncoding {
    /// UTF-8 with a byte-order mark: Excel then shows every script correctly.
    Utf8Bom,
    /// UTF-8 without a mark, for other programs.
    Utf8,
    /// UTF-16 little-endian with a mark, Excel's "Unicode Text".
    Utf16,
}

impl SaveEncoding {
    const ALL: [Self; 3] = [Self::Utf8Bom, Self::Utf8, Self::Utf16];

    fn label(self) -> &'static str {
        match self {
            Self::Utf8Bom => "UTF-8 with BOM (best for Excel)",
            Self::Utf8 => "UTF-8",
            Self::Utf16 => "UTF-16 (Excel \"Unicode Text\")",
        }
    }

    fn of(dialect: Dialect) -> Self {
        match (dialect.encoding, dialect.bom) {
            (TextEncoding::Utf16Le | TextEncoding::Utf16Be, _) => Self::Utf16,
            (_, false) => Self::Utf8,
            (_, true) => Self::Utf8Bom,
        }
    }

    fn apply(self, dialect: &mut Dialect) {
        let (encoding, bom) = match self {
            Self::Utf8Bom => (TextEncoding::Utf8, true),
            Self::Utf8 => (TextEncoding::Utf8, false),
            Self::Utf16 => (TextEncoding::Utf16Le, true),
        };
        dialect.encoding = encoding;
        dialect.bom = bom;
    }
}

/// A dialog on screen.
#[derive(Debug, Clone)]
pub enum Dialog {
    /// The document has unsaved changes and the user asked to do something that drops it.
    UnsavedChanges {
        /// The document's file name.
        file_name: String,
        /// What to do after Save or Discard.
        then: PendingAction,
    },
    /// Save As would replace a file that is not the document's own.
    ConfirmOverwrite {
        /// The file that would be replaced.
        path: PathBuf,
        /// The dialect to save in.
        dialect: Dialect,
    },
    /// Save As: how to write the file.
    SaveAs {
        /// The dialect being chosen.
        dialect: Dialect,
    },
    /// Something went wrong.
    Error {
        /// A short title.
        title: String,
        /// What happened and what to do.
        message: String,
    },
    /// Jobs from an earlier run can be finished.
    ResumeJobs {
        /// The jobs.
        jobs: Vec<UnfinishedJob>,
    },
    /// Unsaved work from an earlier run can be put back; the first is asked about.
    RestoreUnsaved {
        /// The journals found, newest first.
        found: Vec<Found>,
    },
    /// A job will use more credits than the confirmation threshold.
    ConfirmCredits {
        /// Credits the job will use.
        credits: usize,
    },
}

impl Dialog {
    /// The Save As dialog, starting from `dialect`.
    pub fn save_as(dialect: Dialect) -> Self {
        Self::SaveAs { dialect }
    }
}

/// What the user answered.
enum Answer {
    Keep,
    Close,
    SaveThen(PendingAction),
    Discard(PendingAction),
    Overwrite(PathBuf, Dialect),
    PickSaveAs(Dialect),
    Resume(Vec<UnfinishedJob>),
    StartEnrich,
    Restore(Found),
    DiscardUnsaved(Found),
    /// Leave this journal for another time and ask about the next one, if any.
    NextUnsaved,
}

/// Shows the current dialog, if any, and acts on the answer.
pub fn show(app: &mut NaamApp, ctx: &egui::Context) {
    let Some(dialog) = app.dialog.as_mut() else {
        return;
    };
    let modal = egui::Modal::new(egui::Id::unique("dialog")).show(ctx, |ui| {
        ui.set_max_width(460.0);
        dialog_ui(ui, dialog)
    });
    let should_close = modal.should_close();
    let mut answer = modal.inner;
    if should_close && matches!(answer, Answer::Keep) {
        // Escape or a click outside: the safe choice.
        answer = Answer::Close;
    }
    match answer {
        Answer::Keep => {}
        Answer::Close => app.dialog = None,
        Answer::SaveThen(action) => {
            app.dialog = None;
            app.after_save = Some(action);
            app.save();
        }
        Answer::Discard(action) => {
            // The changes stay in the document until the action replaces it (or the window
            // closes), so a file that then fails to open loses nothing.
            app.dialog = None;
            app.discard_unsaved();
            app.run_action(action);
        }
        Answer::Restore(found) => {
            app.dialog = None;
            tasks::restore_unsaved_work(&app.runtime, app.events.clone(), found);
        }
        Answer::DiscardUnsaved(found) => {
            tasks::discard_unsaved_work(&app.runtime, found);
            ask_about_next_unsaved(app);
        }
        Answer::NextUnsaved => ask_about_next_unsaved(app),
        Answer::Overwrite(path, dialect) => {
            app.dialog = None;
            app.start_save(path, dialect, tasks::SaveMode::As);
        }
        Answer::PickSaveAs(dialect) => {
            app.dialog = None;
            let suggested = app.document.as_ref().map(|document| document.path.clone());
            tasks::pick_file(
                &app.runtime,
                app.events.clone(),
                PickPurpose::SaveAs(dialect),
                suggested.as_deref(),
            );
        }
        Answer::Resume(jobs) => {
            app.dialog = None;
            app.resume_jobs(jobs);
        }
        Answer::StartEnrich => {
            app.dialog = None;
            app.start_enrich_confirmed();
        }
    }
}

/// Moves the restore question on to the next journal found, or closes it.
fn ask_about_next_unsaved(app: &mut NaamApp) {
    if let Some(Dialog::RestoreUnsaved { found }) = &mut app.dialog
        && found.len() > 1
    {
        found.remove(0);
    } else {
        app.dialog = None;
    }
}

fn dialog_ui(ui: &mut egui::Ui, dialog: &mut Dialog) -> Answer {
    match dialog {
        Dialog::UnsavedChanges { file_name, then } => {
            ui.heading("Save your changes?");
            ui.label(format!(
                "{file_name} has changes that are not saved. They are lost if you don't save them."
            ));
            ui.add_space(8.0);
            let mut answer = Answer::Keep;
            ui.horizontal(|ui| {
                if ui.button("Save").clicked() {
                    answer = Answer::SaveThen(then.clone());
                }
                if ui.button("Don't save").clicked() {
                    answer = Answer::Discard(then.clone());
                }
                if ui.button("Cancel").clicked() {
                    answer = Answer::Close;
                }
            });
            answer
        }
        Dialog::ConfirmOverwrite { path, dialect } => {
            ui.heading("Replace the file?");
            ui.label(format!(
                "{} already exists. Replacing it loses what it holds now.",
                path.display()
            ));
            ui.add_space(8.0);
            let mut answer = Answer::Keep;
            ui.horizontal(|ui| {
                if ui.button("Replace").clicked() {
                    answer = Answer::Overwrite(path.clone(), *dialect);
                }
                if ui.button("Cancel").clicked() {
                    answer = Answer::Close;
                }
            });
            answer
        }
        Dialog::SaveAs { dialect } => save_as_ui(ui, dialect),
        Dialog::Error { title, message } => {
            ui.heading(title.as_str());
            ui.label(message.as_str());
            ui.add_space(8.0);
            if ui.button("OK").clicked() {
                Answer::Close
            } else {
                Answer::Keep
            }
        }
        Dialog::ResumeJobs { jobs } => {
            let numbers: usize = jobs
                .iter()
                .flat_map(|job| &job.chunks)
                .map(|chunk| chunk.numbers.len())
                .sum();
            ui.heading("Finish the lookups from last time?");
            ui.label(format!(
                "{} numbers were sent to Naam before the app closed, and their names have not all \
                 arrived. Fetching them costs nothing more: nothing is sent again.",
                crate::enrich::outcome::thousands(numbers)
            ));
            for job in jobs.iter() {
                if let Some(path) = &job.source_path {
                    ui.label(format!("• {}", path.display()));
                }
            }
            ui.add_space(8.0);
            let mut answer = Answer::Keep;
            ui.horizontal(|ui| {
                if ui.button("Fetch the names").clicked() {
                    answer = Answer::Resume(std::mem::take(jobs));
                }
                if ui.button("Later").clicked() {
                    answer = Answer::Close;
                }
            });
            answer
        }
        Dialog::RestoreUnsaved { found } => restore_ui(ui, found),
        Dialog::ConfirmCredits { credits } => {
            ui.heading("Use your credits?");
            ui.label(format!(
                "This job looks up {} numbers and uses {} Naam credits.",
                crate::enrich::outcome::thousands(*credits),
                crate::enrich::outcome::thousands(*credits)
            ));
            ui.add_space(8.0);
            let mut answer = Answer::Keep;
            ui.horizontal(|ui| {
                if ui.button("Enrich").clicked() {
                    answer = Answer::StartEnrich;
                }
                if ui.button("Cancel").clicked() {
                    answer = Answer::Close;
                }
            });
            answer
        }
    }
}

fn restore_ui(ui: &mut egui::Ui, found: &[Found]) -> Answer {
    let Some(first) = found.first() else {
        return Answer::Close;
    };
    let path = &first.header.document.path;
    ui.heading("Restore your unsaved changes?");
    ui.label(format!(
        "The app closed unexpectedly while {} had changes that were not saved. They can be put \
         back as they were a moment before it closed.",
        crate::app::document::display_name(path)
    ));
    ui.label(
        egui::RichText::new(path.display().to_string())
            .small()
            .weak(),
    );
    if found.len() > 1 {
        ui.label(format!(
            "Unsaved changes to {} more files are asked about next.",
            found.len() - 1
        ));
    }
    ui.add_space(8.0);
    let mut answer = Answer::Keep;
    ui.horizontal(|ui| {
        if ui.button("Restore").clicked() {
            answer = Answer::Restore(first.clone());
        }
        if ui.button("Discard them").clicked() {
            answer = Answer::DiscardUnsaved(first.clone());
        }
        if ui.button("Not now").clicked() {
            answer = Answer::NextUnsaved;
        }
    });
    answer
}

fn save_as_ui(ui: &mut egui::Ui, dialect: &mut Dialect) -> Answer {
    ui.heading("Save as");
    egui::Grid::new("save-as").num_columns(2).show(ui, |ui| {
        let label = ui.label("Separator");
        egui::ComboBox::from_id_salt("save-as-delimiter")
            .selected_text(dialect.delimiter.label())
            .show_ui(ui, |ui| {
                for delimiter in Delimiter::ALL {
                    ui.selectable_value(&mut dialect.delimiter, delimiter, delimiter.label());
                }
            })
            .response
            .labelled_by(label.id);
        ui.end_row();

        let label = ui.label("Encoding");
        let mut encoding = SaveEncoding::of(*dialect);
        egui::ComboBox::from_id_salt("save-as-encoding")
            .selected_text(encoding.label())
            .show_ui(ui, |ui| {
                for choice in SaveEncoding::ALL {
                    ui.selectable_value(&mut encoding, choice, choice.label());
                }
            })
            .response
            .labelled_by(label.id);
        encoding.apply(dialect);
        ui.end_row();

        let label = ui.label("Line endings");
        egui::ComboBox::from_id_salt("save-as-line-ending")
            .selected_text(line_ending_label(dialect.line_ending))
            .show_ui(ui, |ui| {
                for ending in [LineEnding::CrLf, LineEnding::Lf] {
                    ui.selectable_value(
                        &mut dialect.line_ending,
                        ending,
                        line_ending_label(ending),
                    );
                }
            })
            .response
            .labelled_by(label.id);
        ui.end_row();
    });
    ui.add_space(8.0);
    let mut answer = Answer::Keep;
    ui.horizontal(|ui| {
        if ui.button("Choose file…").clicked() {
            answer = Answer::PickSaveAs(*dialect);
        }
        if ui.button("Cancel").clicked() {
            answer = Answer::Close;
        }
    });
    answer
}

fn line_ending_label(ending: LineEnding) -> &'static str {
    match ending {
        LineEnding::CrLf => "Windows (CRLF)",
        LineEnding::Lf => "Mac and Linux (LF)",
        LineEnding::Cr => "Old Mac (CR)",
    }
}
