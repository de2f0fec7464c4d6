//! The Enrich panel: the phone column, the plan and its cost, the running job, and the summary.
//!
//! The plan is worked out in the background whenever the phone column or the table changes
//! (after a short pause, so typing is not slowed down). Enrich starts a [`Job`] on the runtime;
//! its answers arrive as events and are merged into the table a batch at a time, each batch one
//! undo step, so the table stays editable throughout.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::runtime::Handle;
use tokio::sync::mpsc;

use crate::app::Document;
use crate::app::events::{AppEvent, EventSender};
use crate::app::table_view::TableView;
use crate::enrich::job::{CancelHandle, Job, JobConfig, PollPolicy};
use crate::enrich::merge::{self, RowMap};
use crate::enrich::outcome::{Outcome, Reason, StatusKind, short_duration, thousands};
use crate::enrich::progress::{JobEvent, JobSummary, Progress};
use crate::enrich::store::{Store, UnfinishedJob};
use crate::naam::{ApiBaseUrl, ApiToken, Client, ClientConfig};
use crate::phone::{self, ColumnGuess, Plan, Region};
use crate::secrets::TokenStore;
use crate::settings::Settings;

/// How long the table must stay unchanged before the plan is worked out again.
const PLAN_PAUSE: Duration = Duration::from_millis(400);

/// What the panel needs from the app to start work.
pub struct Services {
    /// The job store and cache, when it could be opened.
    pub store: Option<Arc<Store>>,
    /// The user's settings.
    pub settings: Settings,
    /// The service address in use.
    pub api_url: String,
    /// Where the token is.
    pub token_store: Arc<dyn TokenStore>,
    /// Whether this is the demo.
    pub is_demo: bool,
}

/// A plan worked out for one state of the table.
#[derive(Debug)]
pub struct PlanResult {
    /// The table generation it was made from.
    pub generation: u64,
    /// The phone column it was made for.
    pub column: usize,
    /// The plan, with cached numbers left out.
    pub plan: Plan,
    /// Numbers left to send whose earlier submit was interrupted: they may be paid for
    /// already, so they are held back unless the user chooses to send them again.
    pub unclear: usize,
}

/// A job that is running.
struct Running {
    cancel: CancelHandle,
    /// Jobs still to report their end (resuming runs several in turn).
    jobs_left: usize,
    /// Whether this finishes jobs of an earlier run rather than a new one.
    is_resume: bool,
    /// Outcomes of the jobs that already ended, when resuming several.
    earlier_outcomes: HashMap<String, Outcome>,
    /// Rows whose cell holds no usable number, for the summary.
    num_invalid: usize,
    progress: Progress,
    /// The document rows it fills; `None` when it fills only the cache (a resumed job for
    /// another file).
    rows: Option<RowMap>,
    started: Instant,
    is_cancelling: bool,
}

/// What the last job came to, for the summary.
struct Finished {
    headline: String,
    explanation: Option<String>,
}

/// The panel's state.
#[derive(Default)]
pub struct EnrichPanel {
    column: Option<usize>,
    guess: Option<Result<ColumnGuess, String>>,
    plan: Option<PlanResult>,
    is_planning: bool,
    last_change: Option<(u64, Instant)>,
    job: Option<Running>,
    finished: Option<Finished>,
    /// A message about why Enrich cannot start.
    problem: Option<String>,
    /// The user chose to send the plan's unclear numbers again.
    resend_unclear: bool,
}

impl EnrichPanel {
    /// Whether a job is running.
    pub fn is_running(&self) -> bool {
        self.job.is_some()
    }

    /// The chosen phone column.
    pub fn column(&self) -> Option<usize> {
        self.column
    }

    /// The current plan, if worked out.
    pub fn plan(&self) -> Option<&Plan> {
        self.plan.as_ref().map(|result| &result.plan)
    }

    /// Counts of the running (or last) job.
    pub fn progress(&self) -> Option<Progress> {
        self.job.as_ref().map(|job| job.progress)
    }

    /// The summary of the last job, in words.
    pub fn summary_text(&self) -> Option<String> {
        self.finished.as_ref().map(|finished| {
            let mut text = finished.headline.clone();
            if let Some(explanation) = &finished.explanation {
                text.push(' ');
                text.push_str(explanation);
            }
            text
        })
    }

    /// A new document was opened: detect its phone column.
    pub fn document_opened(&mut self, document: &Document, settings: &Settings) {
        *self = Self::default();
        let region = settings.region.parse::<Region>().unwrap_or_default();
        let table = &document.table;
        let guess = phone::detect_in_table(table, region);
        self.column = guess.as_ref().ok().map(|guess| guess.index);
        self.guess = Some(guess.map_err(|err| err.to_string()));
    }

    /// Asks the store for jobs an earlier run left unfinished.
    pub fn look_for_unfinished_jobs(
        &self,
        runtime: &Handle,
        events: &EventSender,
        store: Option<Arc<Store>>,
    ) {
        let Some(store) = store else { return };
        let events = events.clone();
        runtime.spawn_blocking(move || match store.unfinished_jobs() {
            Ok(jobs) => {
                events.blocking_send(AppEvent::UnfinishedJobs(jobs));
            }
            Err(err) => tracing::warn!("could not look for unfinished jobs: {err}"),
        });
    }

    /// Takes a plan worked out in the background.
    pub fn plan_ready(&mut self, result: PlanResult) {
        self.is_planning = false;
        self.plan = Some(result);
    }

    /// Takes a job's report, merging answers into the table.
    pub fn handle_job_event(
        &mut self,
        event: JobEvent,
        table: Option<&mut crate::table::Table>,
        table_view: &mut TableView,
    ) {
        let Some(job) = self.job.as_mut() else {
            return;
        };
        match event {
            JobEvent::Started { .. } => {}
            JobEvent::Progress(progress) => job.progress = progress,
            JobEvent::Lookups(lookups) => {
                let outcomes: HashMap<String, Outcome> = lookups
                    .into_iter()
                    .map(|lookup| (lookup.number, lookup.outcome))
                    .collect();
                if let (Some(rows), Some(table)) = (&job.rows, table) {
                    match rows.fill_numbers(table, &outcomes) {
                        Ok(_) => table_view.table_changed(),
                        Err(err) => {
                            tracing::error!("answers could not be put in the table: {err}");
                        }
                    }
                }
            }
            JobEvent::Finished(mut summary) => {
                // Resuming runs one job after another; the panel is done after the last.
                job.earlier_outcomes.extend(summary.outcomes.drain());
                // A summary without a job id means no job could start (no token, say): it is the
                // last word.
                if job.jobs_left > 1 && summary.job_id.is_some() {
                    job.jobs_left -= 1;
                    return;
                }
                summary.outcomes = std::mem::take(&mut job.earlier_outcomes);
                // Rows still `pending` would never change: say why they were not looked up. A
                // resumed job covers only some numbers, so it leaves the other rows alone.
                if let (Some(rows), Some(table), false) = (&job.rows, table, job.is_resume) {
                    let reason = summary
                        .stop_reason
                        .clone()
                        .unwrap_or(Reason::NoAnswerInTime);
                    let missing: HashMap<String, Outcome> = rows
                        .numbers()
                        .filter(|number| !summary.outcomes.contains_key(*number))
                        .map(|number| (number.to_owned(), Outcome::NotLookedUp(reason.clone())))
                        .collect();
                    if !missing.is_empty() {
                        match rows.fill_numbers(table, &missing) {
                            Ok(_) => table_view.table_changed(),
                            Err(err) => {
                                tracing::error!("statuses could not be put in the table: {err}");
                            }
                        }
                    }
                }
                self.finished = Some(finish_text(&summary, job.num_invalid, job.rows.is_none()));
                self.job = None;
                // The cache now knows more: the plan's "already known" count is out of date.
                self.plan = None;
            }
        }
    }

    /// Resumes jobs from an earlier run: polls them, sends nothing. Answers go to the cache and,
    /// when their file is open and planned, into its rows.
    pub fn resume(
        &mut self,
        jobs: Vec<UnfinishedJob>,
        runtime: &Handle,
        events: &EventSender,
        document: Option<&mut Document>,
        services: &Services,
    ) {
        let Some(store) = services.store.clone() else {
            return;
        };
        let rows = document.and_then(|document| {
            let is_same_file = jobs
                .iter()
                .any(|job| job.source_path.as_deref() == Some(document.path.as_path()));
            let plan = self
                .plan
                .as_ref()
                .filter(|plan| plan.generation == document.table.generation())?;
            is_same_file.then(|| RowMap::new(&document.table, &plan.plan))
        });
        let cancel = CancelHandle::new();
        self.finished = None;
        self.job = Some(Running {
            cancel: cancel.clone(),
            jobs_left: jobs.len(),
            is_resume: true,
            earlier_outcomes: HashMap::new(),
            num_invalid: 0,
            progress: Progress::default(),
            rows,
            started: Instant::now(),
            is_cancelling: false,
        });
        let config = job_config(services);
        spawn_job(
            runtime,
            events.clone(),
            services,
            store,
            config,
            cancel,
            move |job| async move {
                let mut last = JobSummary::default();
                for unfinished in jobs {
                    let summary = job.resume(unfinished).await;
                    last.outcomes.extend(summary.outcomes);
                    last.progress = summary.progress;
                    last.stop_reason = last.stop_reason.or(summary.stop_reason);
                }
                last
            },
        );
    }

    /// Starts enriching the document with the current plan. The caller has confirmed the
    /// credits when that was needed.
    fn start(
        &mut self,
        runtime: &Handle,
        events: &EventSender,
        document: &mut Document,
        table_view: &mut TableView,
        services: &Services,
    ) {
        self.problem = None;
        let Some(store) = services.store.clone() else {
            self.problem = Some(
                "The app could not open its job store, so it cannot keep track of what was sent. \
                 Enrich is off to avoid paying twice; see the log folder."
                    .to_owned(),
            );
            return;
        };
        let Some(plan) = self
            .plan
            .as_ref()
            .filter(|plan| plan.generation == document.table.generation())
        else {
            return;
        };
        let rows = RowMap::new(&document.table, &plan.plan);
        if let Err(err) = rows.fill_all(&mut document.table, &HashMap::new()) {
            self.problem = Some(format!("The table could not be prepared: {err}"));
            return;
        }
        table_view.table_changed();
        let numbers: Vec<String> = plan
            .plan
            .unique()
            .iter()
            .map(|number| number.national().to_owned())
            .collect();
        let cancel = CancelHandle::new();
        self.finished = None;
        let num_invalid = plan.plan.num_invalid();
        self.job = Some(Running {
            cancel: cancel.clone(),
            jobs_left: 1,
            is_resume: false,
            earlier_outcomes: HashMap::new(),
            num_invalid,
            progress: Progress {
                total: numbers.len(),
                ..Progress::default()
            },
            rows: Some(rows),
            started: Instant::now(),
            is_cancelling: false,
        });
        let config = JobConfig {
            resend_unclear: std::mem::take(&mut self.resend_unclear),
            ..job_config(services)
        };
        let source = document.path.clone();
        spawn_job(
            runtime,
            events.clone(),
            services,
            store,
            config,
            cancel,
            move |job| async move { job.run(numbers, Some(&source)).await },
        );
    }

    /// Works the plan out again when the table or column changed and has been still a moment.
    fn refresh_plan(
        &mut self,
        ui: &egui::Ui,
        runtime: &Handle,
        events: &EventSender,
        document: &Document,
        services: &Services,
    ) {
        let Some(column) = self.column else { return };
        let generation = document.table.generation();
        let is_current = self
            .plan
            .as_ref()
            .is_some_and(|plan| plan.generation == generation && plan.column == column);
        if is_current || self.is_planning || self.job.is_some() {
            return;
        }
        let now = Instant::now();
        match self.last_change {
            Some((seen, since)) if seen == generation => {
                if now.duration_since(since) < PLAN_PAUSE && self.plan.is_some() {
                    ui.ctx().request_repaint_after(PLAN_PAUSE);
                    return;
                }
            }
            _ => {
                self.last_change = Some((generation, now));
                if self.plan.is_some() {
                    ui.ctx().request_repaint_after(PLAN_PAUSE);
                    return;
                }
            }
        }
        self.is_planning = true;
        let cells: Vec<String> = document
            .table
            .column_cells(column)
            .map(std::borrow::Cow::into_owned)
            .collect();
        let header = document.table.column_name(column).to_owned();
        let region = services
            .settings
            .region
            .parse::<Region>()
            .unwrap_or_default();
        let store = services.store.clone();
        let api_base = ApiBaseUrl::parse(&services.api_url)
            .map(|url| url.as_str().to_owned())
            .ok();
        let max_age = cache_max_age(&services.settings);
        let events = events.clone();
        runtime.spawn_blocking(move || {
            let mut plan = Plan::from_cells(cells, region).with_column(header);
            let mut unclear = 0;
            if let (Some(store), Some(api_base)) = (store, api_base) {
                plan.exclude_cached(|number| {
                    matches!(store.cache_get(&api_base, number, max_age), Ok(Some(_)))
                });
                match store.unclear_numbers(&api_base, max_age) {
                    Ok(held) if !held.is_empty() => {
                        unclear = plan
                            .to_submit()
                            .iter()
                            .filter(|number| held.contains(number.national()))
                            .count();
                    }
                    Ok(_) => {}
                    Err(err) => tracing::warn!("could not read interrupted submits: {err}"),
                }
            }
            events.blocking_send(AppEvent::Planned(Box::new(PlanResult {
                generation,
                column,
                plan,
                unclear,
            })));
        });
    }

    /// Draws the panel.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        runtime: &Handle,
        events: &EventSender,
        document: &mut Document,
        table_view: &mut TableView,
        services: &Services,
    ) -> PanelAction {
        let mut action = PanelAction::None;
        ui.heading("Enrich");
        ui.add_space(4.0);
        self.column_ui(ui, document);
        self.refresh_plan(ui, runtime, events, document, services);
        ui.separator();
        if let Some(job) = &mut self.job {
            job_ui(ui, job);
        } else {
            action = self.plan_ui(ui, document, services);
            if matches!(action, PanelAction::Start) {
                action = PanelAction::None;
                self.start(runtime, events, document, table_view, services);
            }
        }
        if let Some(problem) = &self.problem {
            ui.colored_label(ui.visuals().error_fg_color, problem);
        }
        if let Some(finished) = &self.finished {
            ui.separator();
            ui.label(egui::RichText::new(&finished.headline).strong());
            if let Some(explanation) = &finished.explanation {
                ui.label(explanation);
            }
        }
        legend_ui(ui, document, table_view);
        action
    }

    fn column_ui(&mut self, ui: &mut egui::Ui, document: &Document) {
        let table = &document.table;
        let is_running = self.job.is_some();
        ui.horizontal(|ui| {
            let label = ui.label("Phone column:");
            let selected = self.column.map_or_else(
                || "Choose…".to_owned(),
                |col_idx| table.column_name(col_idx).to_owned(),
            );
            ui.add_enabled_ui(!is_running, |ui| {
                egui::ComboBox::from_id_salt("phone-column")
                    .selected_text(selected)
                    .show_ui(ui, |ui| {
                        for col_idx in 0..table.num_columns() {
                            ui.selectable_value(
                                &mut self.column,
                                Some(col_idx),
                                table.column_name(col_idx),
                            );
                        }
                    })
                    .response
                    .labelled_by(label.id);
            });
        });
        match &self.guess {
            Some(Ok(guess)) if Some(guess.index) == self.column => {
                ui.small(guess.explain());
            }
            Some(Err(message)) if self.column.is_none() => {
                ui.colored_label(ui.visuals().warn_fg_color, message);
            }
            _ => {}
        }
    }

    fn plan_ui(
        &mut self,
        ui: &mut egui::Ui,
        document: &Document,
        services: &Services,
    ) -> PanelAction {
        let generation = document.table.generation();
        let Some(result) = self
            .plan
            .as_ref()
            .filter(|plan| Some(plan.column) == self.column)
        else {
            if self.column.is_some() {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Checking the numbers…");
                });
            }
            return PanelAction::None;
        };
        let summary = result.plan.summary();
        egui::Grid::new("plan-grid").num_columns(2).show(ui, |ui| {
            let mut row = |label: &str, count: usize| {
                ui.label(label);
                ui.label(thousands(count));
                ui.end_row();
            };
            row("Rows", summary.rows);
            row("Valid numbers", summary.valid);
            row("Repeated numbers", summary.duplicates);
            row("Already known (free)", summary.cached);
            row("Invalid numbers", result.plan.num_invalid());
        });
        if !summary.invalid.is_empty() {
            egui::CollapsingHeader::new("Why numbers are invalid")
                .id_salt("invalid-reasons")
                .show(ui, |ui| {
                    for (code, count) in &summary.invalid {
                        ui.label(format!(
                            "{} × {}",
                            thousands(*count),
                            phone::Invalid::label_of_code(code)
                        ));
                    }
                });
        }
        if result.unclear > 0 {
            ui.add_space(4.0);
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!(
                    "{} numbers were being sent when an earlier job was interrupted, so Naam \
                     may already have charged for them. They are held back; check your Naam \
                     dashboard first.",
                    thousands(result.unclear)
                ),
            );
            ui.checkbox(&mut self.resend_unclear, "Send them again anyway");
        }
        ui.add_space(6.0);
        let held_back = if self.resend_unclear {
            0
        } else {
            result.unclear
        };
        let credits = summary.to_submit - held_back;
        ui.label(
            egui::RichText::new(format!("This uses {} credits.", thousands(credits))).strong(),
        );
        if services.is_demo {
            ui.small("Demo: no real credits are used.");
        }
        let is_current = result.generation == generation;
        let has_work = summary.valid > 0;
        let label = if credits == 0 && has_work {
            "Fill in known names"
        } else {
            "Enrich"
        };
        let button = ui.add_enabled(
            is_current && has_work,
            egui::Button::new(egui::RichText::new(label).strong())
                .min_size(egui::vec2(120.0, 28.0)),
        );
        if !is_current {
            ui.small("The table changed; checking the numbers again…");
        }
        if button.clicked() {
            return if credits > services.settings.confirm_over_credits && !services.is_demo {
                PanelAction::Confirm(credits)
            } else {
                PanelAction::Start
            };
        }
        PanelAction::None
    }

    /// Starts the job after the user confirmed the credits.
    pub fn start_confirmed(
        &mut self,
        runtime: &Handle,
        events: &EventSender,
        document: &mut Document,
        table_view: &mut TableView,
        services: &Services,
    ) {
        self.start(runtime, events, document, table_view, services);
    }
}

/// What the panel asks the app to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanelAction {
    /// Nothing.
    None,
    /// Ask the user to confirm this many credits, then start.
    Confirm(usize),
    /// Start now (handled inside the panel).
    Start,
}

fn job_ui(ui: &mut egui::Ui, job: &mut Running) {
    let progress = job.progress;
    ui.add(
        egui::ProgressBar::new(progress.fraction())
            .show_percentage()
            .animate(true),
    );
    ui.label(format!(
        "{} done · {} waiting · {} not looked up",
        thousands(progress.found + progress.not_found),
        thousands(progress.pending()),
        thousands(progress.failed)
    ));
    ui.label(format!(
        "{} names found so far, {} without a name",
        thousands(progress.found),
        thousands(progress.not_found)
    ));
    let time = match progress.eta {
        Some(eta) => format!("About {} left", short_duration(eta)),
        None => format!("Running for {}", short_duration(job.started.elapsed())),
    };
    ui.label(time);
    ui.small("You can keep editing the table; names appear as they arrive.");
    if job.is_cancelling {
        ui.label("Stopping…");
    } else if ui.button("Cancel").clicked() {
        job.cancel.cancel();
        job.is_cancelling = true;
    }
    // The ETA and elapsed time move even when no event arrives.
    ui.ctx().request_repaint_after(Duration::from_secs(1));
}

fn legend_ui(ui: &mut egui::Ui, document: &Document, table_view: &mut TableView) {
    let status_column = document.table.find_column(merge::STATUS_COLUMN);
    table_view.set_status_column(status_column);
    if status_column.is_none() {
        return;
    }
    ui.separator();
    ui.label("Show rows:");
    let current = table_view.status_filter();
    ui.horizontal_wrapped(|ui| {
        if ui.selectable_label(current.is_none(), "All").clicked() {
            table_view.set_status_filter(None);
        }
        for kind in StatusKind::ALL {
            let text = egui::RichText::new(kind.label())
                .background_color(crate::app::table_view::tint(kind, ui.visuals().dark_mode));
            if ui.selectable_label(current == Some(kind), text).clicked() {
                table_view.set_status_filter(Some(kind));
            }
        }
    });
}

fn finish_text(summary: &JobSummary, num_invalid: usize, is_resume_only: bool) -> Finished {
    let mut found = 0;
    let mut not_found = 0;
    let mut wasted = 0;
    let mut waiting = 0;
    for outcome in summary.outcomes.values() {
        match outcome {
            Outcome::Found { .. } => found += 1,
            Outcome::NotFound => not_found += 1,
            Outcome::NotLookedUp(Reason::OutcomeUnknown | Reason::JobLost) => {
                wasted += 1;
                waiting += 1;
            }
            Outcome::NotLookedUp(_) => waiting += 1,
        }
    }
    let mut headline = format!(
        "{} names found, {} not found, {} invalid numbers, {} credits wasted.",
        thousands(found),
        thousands(not_found),
        thousands(num_invalid),
        thousands(wasted)
    );
    if is_resume_only {
        headline.push_str(
            " The names are saved; open their file and press Enrich to fill them in at no cost.",
        );
    }
    let explanation = summary
        .stop_reason
        .as_ref()
        .map(|reason| reason.explain(waiting))
        .or_else(|| {
            (waiting > 0).then(|| format!("{} numbers were not looked up.", thousands(waiting)))
        });
    Finished {
        headline,
        explanation,
    }
}

fn cache_max_age(settings: &Settings) -> Duration {
    Duration::from_hours(24 * u64::from(settings.cache_max_age_days))
}

fn job_config(services: &Services) -> JobConfig {
    let poll = if services.is_demo {
        // The demo's pretend service answers within seconds; poll it briskly.
        PollPolicy {
            first_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(1),
            settle_polls: 3,
            settle_time: Duration::from_secs(2),
            time_limit: Duration::from_mins(5),
        }
    } else {
        PollPolicy::default()
    };
    JobConfig {
        bulk_size: services.settings.bulk_size.max(1),
        cache_max_age: cache_max_age(&services.settings),
        poll,
        ..JobConfig::default()
    }
}

/// Starts a job on the runtime: reads the token off the UI thread, makes the client, runs
/// `work`, and forwards the job's events to the window.
fn spawn_job<F, Fut>(
    runtime: &Handle,
    events: EventSender,
    services: &Services,
    store: Arc<Store>,
    config: JobConfig,
    cancel: CancelHandle,
    work: F,
) where
    F: FnOnce(Job) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = JobSummary> + Send + 'static,
{
    let token_store = Arc::clone(&services.token_store);
    let api_url = services.api_url.clone();
    runtime.spawn(async move {
        let client = match make_client(&api_url, token_store).await {
            Ok(client) => client,
            Err(reason) => {
                let summary = JobSummary {
                    stop_reason: Some(reason),
                    ..JobSummary::default()
                };
                events
                    .send(AppEvent::Job(JobEvent::Finished(summary)))
                    .await;
                return;
            }
        };
        let (sender, mut receiver) = mpsc::channel(256);
        let job = Job::new(client, store, config, sender, cancel);
        let forward = {
            let events = events.clone();
            tokio::spawn(async move {
                while let Some(event) = receiver.recv().await {
                    if !events.send(AppEvent::Job(event)).await {
                        break;
                    }
                }
            })
        };
        let _summary = work(job).await;
        let _ = forward.await;
    });
}

async fn make_client(api_url: &str, token_store: Arc<dyn TokenStore>) -> Result<Client, Reason> {
    let token = tokio::task::spawn_blocking(move || token_store.load())
        .await
        .map_err(|err| Reason::Refused(err.to_string()))?
        .map_err(|err| Reason::Refused(err.to_string()))?
        .ok_or(Reason::NoToken)?;
    let base_url = ApiBaseUrl::parse(api_url).map_err(|err| Reason::Refused(err.to_string()))?;
    let token = ApiToken::new(token).map_err(|_| Reason::TokenRefused)?;
    Client::new(ClientConfig::new(base_url, token)).map_err(|err| Reason::Refused(err.to_string()))
}
