//! `naam-enrich enrich INPUT`: enrich a file without a window.
//!
//! Reads the file, finds the phone column, plans the job, and — unless `--dry-run` — finishes
//! any job an earlier run left behind, looks the rest up, and writes the output beside the
//! input. Whatever was paid for is written even when the job stops early; the exit status says
//! whether every number was looked up.

use std::collections::{BTreeMap, HashMap};
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, anyhow};
use tokio::sync::mpsc;

use crate::cli::output;
use crate::csv_io::{self, Dialect, SaveOptions};
use crate::enrich::job::{CancelHandle, Job, JobConfig};
use crate::enrich::merge;
use crate::enrich::outcome::{Outcome, Reason, short_duration, thousands};
use crate::enrich::progress::{JobEvent, JobSummary, Progress};
use crate::enrich::store::Store;
use crate::naam::{ApiBaseUrl, ApiToken, Client, ClientConfig};
use crate::phone::{self, Plan, Region};
use crate::secrets::TokenStore;
use crate::settings::{self, Settings};
use crate::table::Table;

/// Everything was looked up.
pub const EXIT_OK: u8 = 0;
/// Nothing was written.
pub const EXIT_FAILED: u8 = 1;
/// The output was written, but some numbers were not looked up.
pub const EXIT_PARTIAL: u8 = 3;

/// The options of `naam-enrich enrich`.
#[derive(Debug, Clone, clap::Args)]
pub struct EnrichArgs {
    /// The CSV file to enrich.
    pub input: PathBuf,

    /// Where to write the result [default: beside INPUT, `<stem>-enriched.<ext>`].
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// The phone column, by header or 1-based position [default: detected].
    #[arg(short, long, value_name = "NAME|N")]
    pub column: Option<String>,

    /// The Naam service address.
    #[arg(long, value_name = "URL", env = "NAAM_API_URL", default_value = settings::DEFAULT_API_URL)]
    pub api_url: String,

    /// The country numbers without a country code belong to (two letters).
    #[arg(long, value_name = "CC", default_value = "IN")]
    pub region: String,

    /// Use the built-in fake service; no token needed.
    #[arg(long)]
    pub demo: bool,

    /// Print the plan and stop; nothing is sent.
    #[arg(long)]
    pub dry_run: bool,

    /// Print the plan or the summary as one JSON object on standard output.
    #[arg(long)]
    pub json: bool,

    /// Neither read nor write the local results cache.
    #[arg(long)]
    pub no_cache: bool,

    /// Send again numbers whose earlier submit was interrupted and may already be paid for.
    /// Check your Naam dashboard first.
    #[arg(long)]
    pub resend_unclear: bool,

    /// Numbers per request.
    #[arg(long, value_name = "N", default_value_t = Settings::default().bulk_size, hide = true)]
    pub bulk_size: usize,
}

/// Where the token comes from when `--demo` is not given.
pub struct TokenSource<'a> {
    /// The keyring (or a test's store).
    pub store: &'a dyn TokenStore,
    /// `NAAM_API_TOKEN`, when set.
    pub env_token: Option<String>,
}

/// Runs the command; returns the exit status. Failures that write nothing are reported on
/// standard error in one line and give [`EXIT_FAILED`].
pub async fn run(args: EnrichArgs, tokens: TokenSource<'_>) -> ExitCode {
    match run_inner(args, tokens).await {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            output::note(&format!("{err:#}"));
            ExitCode::from(EXIT_FAILED)
        }
    }
}

/// Reads the input and plans the job for its phone column.
async fn read_and_plan(args: &EnrichArgs) -> anyhow::Result<(Table, Dialect, Plan)> {
    let region: Region = args.region.parse()?;
    let input = args.input.clone();
    let reading = tokio::task::spawn_blocking(move || csv_io::open(&input));
    let loaded = reading
        .await
        .context("reading the file stopped unexpectedly")??;
    let column = if let Some(spec) = &args.column {
        phone::resolve_in_table(spec, &loaded.table)?
    } else {
        let guess = phone::detect_in_table(&loaded.table, region)?;
        output::note(&guess.explain());
        guess.index
    };
    let plan = Plan::for_table(&loaded.table, column, region);
    Ok((loaded.table, loaded.dialect, plan))
}

/// Polls whatever an earlier run left unfinished with this service; never sends it again.
async fn finish_earlier_jobs(
    client: &Client,
    store: &Arc<Store>,
    config: &JobConfig,
) -> anyhow::Result<HashMap<String, Outcome>> {
    let mut outcomes = HashMap::new();
    let unfinished: Vec<_> = store
        .unfinished_jobs()?
        .into_iter()
        .filter(|job| job.api_base == client.base_url().as_str())
        .collect();
    for job in unfinished {
        output::note(&format!(
            "Finishing a job from an earlier run ({} numbers already sent)…",
            thousands(job.chunks.iter().map(|chunk| chunk.numbers.len()).sum())
        ));
        let summary = run_with_progress(client, store, config, |job_runner| async move {
            job_runner.resume(job).await
        })
        .await;
        outcomes.extend(summary.outcomes);
    }
    Ok(outcomes)
}

async fn run_inner(args: EnrichArgs, tokens: TokenSource<'_>) -> anyhow::Result<u8> {
    let (mut table, dialect, mut plan) = read_and_plan(&args).await?;
    let store = open_store(&args);
    let max_age = Duration::from_hours(24 * u64::from(Settings::default().cache_max_age_days));

    if args.dry_run {
        // A dry run only reads the cache; without one it still shows the plan.
        if let Err(err) = &store {
            output::note(&format!(
                "The local cache could not be read, so \"already known\" shows 0: {err:#}"
            ));
        }
        if let Some(store) = store.ok().flatten().filter(|_| !args.no_cache) {
            let api_base = api_base_for(&args)?;
            plan.exclude_cached(|number| {
                matches!(store.cache_get(&api_base, number, max_age), Ok(Some(_)))
            });
        }
        print_plan(&plan, args.json)?;
        return Ok(EXIT_OK);
    }

    let output_path = args
        .output
        .clone()
        .unwrap_or_else(|| default_output_path(&args.input));
    let (client, _demo) = connect(&args, &tokens).await?;
    let store = match store? {
        Some(store) => store,
        None => Arc::new(Store::open_in_memory()?),
    };
    let config = JobConfig {
        bulk_size: args.bulk_size.max(1),
        use_cache: !args.no_cache,
        cache_max_age: max_age,
        resend_unclear: args.resend_unclear,
        ..JobConfig::default()
    };

    let mut outcomes = finish_earlier_jobs(&client, &store, &config).await?;

    plan.exclude_cached(|number| outcomes.contains_key(number));
    let to_look_up: Vec<String> = plan
        .to_submit()
        .iter()
        .map(|number| number.national().to_owned())
        .collect();
    let source = args.input.clone();
    let summary = run_with_progress(&client, &store, &config, |job_runner| async move {
        job_runner.run(to_look_up, Some(&source)).await
    })
    .await;
    outcomes.extend(summary.outcomes.clone());

    let num_waiting = outcomes
        .values()
        .filter(|outcome| matches!(outcome, Outcome::NotLookedUp(_)))
        .count();
    if outcomes
        .values()
        .any(|outcome| matches!(outcome, Outcome::NotLookedUp(Reason::OutcomeUnknown)))
    {
        output::note(
            "To send the unclear numbers again anyway, run the same command with \
             --resend-unclear.",
        );
    }
    if let Some(reason) = &summary.stop_reason
        && num_waiting == outcomes.len()
    {
        // Nothing was answered, so a file full of "not looked up" would only be noise.
        return Err(anyhow!(
            "{} Nothing was written.",
            reason.explain(num_waiting)
        ));
    }

    merge::merge_all(&mut table, &plan, &outcomes)?;
    let options = SaveOptions {
        guarded_columns: merge::guarded_columns(&table),
    };
    let save_path = output_path.clone();
    let saving =
        tokio::task::spawn_blocking(move || csv_io::save(&table, &save_path, &dialect, &options));
    saving
        .await
        .context("writing the file stopped unexpectedly")??;

    let is_complete = outcomes
        .values()
        .all(|outcome| !matches!(outcome, Outcome::NotLookedUp(_)));
    print_summary(
        &plan,
        &outcomes,
        summary.stop_reason.as_ref(),
        &output_path,
        args.json,
    )?;
    Ok(if is_complete { EXIT_OK } else { EXIT_PARTIAL })
}

/// `leads.csv` → `leads-enriched.csv`, in the same folder.
pub fn default_output_path(input: &Path) -> PathBuf {
    let stem = input.file_stem().map_or_else(
        || "output".into(),
        |stem| stem.to_string_lossy().into_owned(),
    );
    let name = match input.extension() {
        Some(extension) => format!("{stem}-enriched.{}", extension.to_string_lossy()),
        None => format!("{stem}-enriched.csv"),
    };
    input.with_file_name(name)
}

fn open_store(args: &EnrichArgs) -> anyhow::Result<Option<Arc<Store>>> {
    if args.demo {
        // The demo's answers are made up; they must never fill the real cache.
        return Ok(Some(Arc::new(Store::open_in_memory()?)));
    }
    let dir = settings::data_dir()?;
    Ok(Some(Arc::new(Store::open_in(&dir)?)))
}

fn api_base_for(args: &EnrichArgs) -> anyhow::Result<String> {
    Ok(ApiBaseUrl::parse(&args.api_url)?.as_str().to_owned())
}

/// Makes the client: against the built-in fake for `--demo`, else against `--api-url` with the
/// token from `NAAM_API_TOKEN` or the keyring. The fake stays up while the returned handle lives.
async fn connect(
    args: &EnrichArgs,
    tokens: &TokenSource<'_>,
) -> anyhow::Result<(Client, Option<crate::naam::fake::FakeHandle>)> {
    if args.demo {
        let fake = crate::naam::fake::FakeNaam::start(crate::naam::fake::FakeConfig::demo(
            ApiToken::demo(),
            crate::naam::fake::FakeProfile::default(),
        ))
        .await
        .context("The built-in demo service could not start")?;
        let client = Client::new(ClientConfig::new(fake.base_url().clone(), ApiToken::demo()))?;
        return Ok((client, Some(fake)));
    }
    let token = match tokens
        .env_token
        .clone()
        .filter(|token| !token.trim().is_empty())
    {
        Some(token) => token,
        None => tokens.store.load()?.ok_or_else(|| {
            anyhow!(
                "No Naam API token is set: run `naam-enrich token set` and paste it, or set \
                 NAAM_API_TOKEN. Nothing was written."
            )
        })?,
    };
    let base_url = ApiBaseUrl::parse(&args.api_url)?;
    let client = Client::new(ClientConfig::new(base_url, ApiToken::new(token)?))?;
    Ok((client, None))
}

/// Runs a job, showing progress on standard error, and returns its summary.
async fn run_with_progress<F, Fut>(
    client: &Client,
    store: &Arc<Store>,
    config: &JobConfig,
    start: F,
) -> JobSummary
where
    F: FnOnce(Job) -> Fut,
    Fut: std::future::Future<Output = JobSummary> + Send + 'static,
{
    let (sender, mut receiver) = mpsc::channel(256);
    let cancel = CancelHandle::new();
    let job = Job::new(
        client.clone(),
        Arc::clone(store),
        config.clone(),
        sender,
        cancel.clone(),
    );
    let running = tokio::spawn(start(job));
    let mut reporter = Reporter::new();
    loop {
        tokio::select! {
            event = receiver.recv() => match event {
                Some(JobEvent::Progress(progress)) => reporter.update(&progress),
                Some(JobEvent::Finished(_)) | None => break,
                Some(_) => {}
            },
            _ = tokio::signal::ctrl_c() => {
                output::note("Cancelling: numbers already sent will be fetched next time, without paying again.");
                cancel.cancel();
            }
        }
    }
    reporter.finish();
    match running.await {
        Ok(summary) => summary,
        Err(err) => {
            tracing::error!("the lookup job failed unexpectedly: {err}");
            JobSummary::default()
        }
    }
}

/// Progress on standard error: a bar on a terminal, a line every few seconds otherwise.
struct Reporter {
    bar: Option<indicatif::ProgressBar>,
    last_line: std::time::Instant,
}

impl Reporter {
    fn new() -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new(0);
            let style =
                indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} numbers  {msg}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        Self {
            bar,
            last_line: std::time::Instant::now(),
        }
    }

    fn update(&mut self, progress: &Progress) {
        let message = format!(
            "{} found, {} not found, {} not looked up{}",
            thousands(progress.found),
            thousands(progress.not_found),
            thousands(progress.failed),
            progress
                .eta
                .map(|eta| format!(", about {} left", short_duration(eta)))
                .unwrap_or_default()
        );
        if let Some(bar) = &self.bar {
            bar.set_length(progress.total as u64);
            bar.set_position(progress.done() as u64);
            bar.set_message(message);
        } else if self.last_line.elapsed() >= Duration::from_secs(5) || progress.pending() == 0 {
            self.last_line = std::time::Instant::now();
            output::note(&format!(
                "{}/{} numbers: {message}",
                thousands(progress.done()),
                thousands(progress.total)
            ));
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn print_plan(plan: &Plan, is_json: bool) -> anyhow::Result<()> {
    let summary = plan.summary();
    if is_json {
        output::line(&serde_json::to_string(&summary)?);
        return Ok(());
    }
    output::line(&format!("Phone column:   {}", summary.column));
    output::line(&format!("Rows:           {}", thousands(summary.rows)));
    output::line(&format!("Valid numbers:  {}", thousands(summary.valid)));
    output::line(&format!(
        "Duplicates:     {}",
        thousands(summary.duplicates)
    ));
    output::line(&format!("Already known:  {}", thousands(summary.cached)));
    for (reason, count) in &summary.invalid {
        output::line(&format!(
            "Invalid ({}): {}",
            phone::Invalid::label_of_code(reason),
            thousands(*count)
        ));
    }
    output::line(&format!(
        "To look up:     {} (uses {} credits)",
        thousands(summary.to_submit),
        thousands(summary.to_submit)
    ));
    Ok(())
}

/// The summary printed after a job.
#[derive(Debug, serde::Serialize)]
struct RunSummary<'a> {
    rows: usize,
    found: usize,
    not_found: usize,
    invalid: usize,
    not_looked_up: BTreeMap<String, usize>,
    stop_reason: Option<String>,
    output: &'a Path,
}

fn print_summary(
    plan: &Plan,
    outcomes: &HashMap<String, Outcome>,
    stop_reason: Option<&Reason>,
    output_path: &Path,
    is_json: bool,
) -> anyhow::Result<()> {
    let mut summary = RunSummary {
        rows: plan.num_rows(),
        found: 0,
        not_found: 0,
        invalid: plan.num_invalid(),
        not_looked_up: BTreeMap::new(),
        stop_reason: None,
        output: output_path,
    };
    let mut num_waiting = 0;
    for outcome in outcomes.values() {
        match outcome {
            Outcome::Found { .. } => summary.found += 1,
            Outcome::NotFound => summary.not_found += 1,
            Outcome::NotLookedUp(reason) => {
                num_waiting += 1;
                *summary
                    .not_looked_up
                    .entry(reason.status_words())
                    .or_insert(0) += 1;
            }
        }
    }
    summary.stop_reason = stop_reason.map(|reason| reason.explain(num_waiting));
    if is_json {
        output::line(&serde_json::to_string(&summary)?);
        return Ok(());
    }
    output::line(&format!(
        "{} names found, {} not found, {} invalid numbers.",
        thousands(summary.found),
        thousands(summary.not_found),
        thousands(summary.invalid)
    ));
    if let Some(text) = &summary.stop_reason {
        output::line(text);
    } else if num_waiting > 0 {
        output::line(&format!(
            "{} numbers were not looked up.",
            thousands(num_waiting)
        ));
    }
    output::line(&format!("Written to {}", output_path.display()));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_output_goes_beside_the_input_with_a_suffix() {
        assert_eq!(
            default_output_path(Path::new("/data/leads.csv")),
            PathBuf::from("/data/leads-enriched.csv")
        );
        assert_eq!(
            default_output_path(Path::new("export.TXT")),
            PathBuf::from("export-enriched.TXT")
        );
        assert_eq!(
            default_output_path(Path::new("/data/contacts")),
            PathBuf::from("/data/contacts-enriched.csv")
        );
    }
}
