//! A lookup job: numbers in, names out, with every chunk on record before it is sent.
//!
//! The job answers what it can from the local cache, splits the rest into chunks of the bulk
//! size, writes them to the [`Store`], and sends them a few at a time. Each accepted chunk's
//! enrichment id is stored at once and a background task polls it until every number in it is
//! accounted for. Account errors (credits, daily limit, bulk switched off, token) stop sending;
//! answers already received are kept. A chunk whose submit may have reached the service is
//! never sent again. Cancelling stops sending and polling; submitted chunks stay in the store
//! and are polled on the next start ([`Job::resume`]).

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::enrich::outcome::{Outcome, Reason};
use crate::enrich::progress::{JobEvent, JobSummary, Lookup, Tally};
use crate::enrich::store::{ChunkId, ChunkState, Store, StoreError, UnfinishedJob};
use crate::naam::{Client, EnrichmentId, NaamError, ResultRecord, mask_number};

/// How patiently a submitted chunk is polled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollPolicy {
    /// The wait before the first poll; the service needs a moment to start.
    pub first_delay: Duration,
    /// The longest wait between two polls; waits double up to it.
    pub max_delay: Duration,
    /// When the service leaves unknown numbers out of its results, a chunk counts as finished
    /// once this many polls in a row brought nothing new…
    pub settle_polls: u32,
    /// …and at least this long has passed since it was submitted.
    pub settle_time: Duration,
    /// After this long without every answer, the chunk's missing numbers are reported as "no
    /// answer in time"; the chunk stays in the store and is polled again on the next start.
    pub time_limit: Duration,
}

impl Default for PollPolicy {
    fn default() -> Self {
        Self {
            first_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(30),
            settle_polls: 3,
            settle_time: Duration::from_mins(1),
            time_limit: Duration::from_mins(30),
        }
    }
}

/// Settings for a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobConfig {
    /// Numbers per submit; halved (and remembered) when the service says a batch is too big.
    pub bulk_size: usize,
    /// Submits in flight at once.
    pub max_concurrent_submits: usize,
    /// Records asked for per results page.
    pub page_limit: u32,
    /// How to poll.
    pub poll: PollPolicy,
    /// Whether to read and write the local cache.
    pub use_cache: bool,
    /// How old a cached answer may be and still be used.
    pub cache_max_age: Duration,
    /// Passed to the service with each submit, when set.
    pub callback_url: Option<String>,
    /// Whether to send again numbers whose earlier submit may have reached the service (and
    /// been paid for). Only the user can decide this, after checking their Naam dashboard.
    pub resend_unclear: bool,
}

impl Default for JobConfig {
    fn default() -> Self {
        Self {
            bulk_size: 500,
            max_concurrent_submits: 2,
            page_limit: 100,
            poll: PollPolicy::default(),
            use_cache: true,
            cache_max_age: Duration::from_hours(24 * 30),
            callback_url: None,
            resend_unclear: false,
        }
    }
}

/// Stops a running job: no more submits, no more polls. Cheap to clone.
#[derive(Debug, Clone)]
pub struct CancelHandle {
    sender: Arc<watch::Sender<bool>>,
}

impl Default for CancelHandle {
    fn default() -> Self {
        Self::new()
    }
}

impl CancelHandle {
    /// A handle that has not been used yet.
    pub fn new() -> Self {
        Self {
            sender: Arc::new(watch::Sender::new(false)),
        }
    }

    /// Asks the job to stop.
    pub fn cancel(&self) {
        self.sender.send_replace(true);
    }

    /// Whether [`CancelHandle::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        *self.sender.borrow()
    }

    async fn cancelled(&self) {
        let mut receiver = self.sender.subscribe();
        // The sender lives in `self`, so waiting cannot fail while we hold it.
        let _ = receiver.wait_for(|is_cancelled| *is_cancelled).await;
    }
}

/// One lookup job, ready to run or resume.
pub struct Job {
    shared: Arc<Shared>,
}

/// What the job's tasks share.
struct Shared {
    client: Client,
    store: Arc<Store>,
    config: JobConfig,
    api_base: String,
    events: mpsc::Sender<JobEvent>,
    cancel: CancelHandle,
    tally: Mutex<Tally>,
    bulk_size: AtomicUsize,
}

/// A chunk waiting to be sent.
struct Pending {
    id: ChunkId,
    numbers: Vec<String>,
}

impl Job {
    /// Prepares a job that reports on `events` and stops when `cancel` is used.
    pub fn new(
        client: Client,
        store: Arc<Store>,
        config: JobConfig,
        events: mpsc::Sender<JobEvent>,
        cancel: CancelHandle,
    ) -> Self {
        let api_base = client.base_url().as_str().to_owned();
        let bulk_size = config.bulk_size.max(1);
        Self {
            shared: Arc::new(Shared {
                client,
                store,
                config,
                api_base,
                events,
                cancel,
                tally: Mutex::new(Tally::new(0)),
                bulk_size: AtomicUsize::new(bulk_size),
            }),
        }
    }

    /// Looks up `numbers` (unique 10-digit national numbers): cached ones from the cache, the
    /// rest from the service. Returns when every number has an outcome.
    pub async fn run(&self, numbers: Vec<String>, source_path: Option<&Path>) -> JobSummary {
        let shared = &self.shared;
        shared.reset_tally(numbers.len());

        let answered = match shared.answer_from_cache(numbers).await {
            Ok(to_send) => shared.hold_back_unclear(to_send).await,
            Err(err) => Err(err),
        };
        let (to_send, held_back) = match answered {
            Ok(answered) => answered,
            Err(err) => {
                return shared
                    .finish(None, Some(Reason::StoreFailed(err.to_string())))
                    .await;
            }
        };
        // Held-back numbers wait for the user, so the summary says why and what to do.
        let held_reason = (held_back > 0).then_some(Reason::OutcomeUnknown);
        if to_send.is_empty() {
            return shared.finish(None, held_reason).await;
        }

        let bulk_size = shared.bulk_size.load(Ordering::Relaxed);
        let chunks: Vec<Vec<String>> = to_send.chunks(bulk_size).map(<[String]>::to_vec).collect();
        let (job_id, chunk_ids) =
            match shared
                .store
                .create_job(&shared.api_base, source_path, &chunks)
            {
                Ok(ids) => ids,
                Err(err) => {
                    let reason = Reason::StoreFailed(err.to_string());
                    shared.fail_numbers(&to_send, &reason).await;
                    return shared.finish(None, Some(reason)).await;
                }
            };
        tracing::debug!(job = job_id.0, num_chunks = chunks.len(), "job recorded");
        shared
            .emit(JobEvent::Started {
                job_id,
                num_chunks: chunks.len(),
            })
            .await;

        let queue = chunk_ids
            .into_iter()
            .zip(chunks)
            .map(|(id, numbers)| Pending { id, numbers })
            .collect();
        let mut polls = JoinSet::new();
        let stop_reason = Arc::clone(shared)
            .send_all(job_id.0, queue, &mut polls)
            .await;
        while polls.join_next().await.is_some() {}
        if let Err(err) = shared.store.finish_job_if_settled(job_id) {
            tracing::warn!("could not mark job {} finished: {err}", job_id.0);
        }
        let stop_reason = stop_reason
            .or_else(|| shared.cancel.is_cancelled().then_some(Reason::Cancelled))
            .or(held_reason);
        shared.finish(Some(job_id), stop_reason).await
    }

    /// Polls the chunks of a job left unfinished by an earlier run; sends nothing.
    pub async fn resume(&self, job: UnfinishedJob) -> JobSummary {
        let shared = &self.shared;
        let numbers: usize = job.chunks.iter().map(|chunk| chunk.numbers.len()).sum();
        shared.reset_tally(numbers);
        {
            let mut tally = shared.lock_tally();
            tally.progress.submitted = numbers;
        }
        tracing::debug!(
            job = job.id.0,
            num_chunks = job.chunks.len(),
            "resuming job"
        );
        shared
            .emit(JobEvent::Started {
                job_id: job.id,
                num_chunks: job.chunks.len(),
            })
            .await;
        let mut polls = JoinSet::new();
        for chunk in job.chunks {
            let Some(enrichment_id) = chunk
                .enrichment_id
                .and_then(|id| EnrichmentId::new(id).ok())
            else {
                shared.fail_numbers(&chunk.numbers, &Reason::JobLost).await;
                continue;
            };
            polls.spawn(Arc::clone(shared).poll_chunk(chunk.id, enrichment_id, chunk.numbers));
        }
        while polls.join_next().await.is_some() {}
        if let Err(err) = shared.store.finish_job_if_settled(job.id) {
            tracing::warn!("could not mark job {} finished: {err}", job.id.0);
        }
        let stop_reason = shared.cancel.is_cancelled().then_some(Reason::Cancelled);
        shared.finish(Some(job.id), stop_reason).await
    }
}

impl Shared {
    fn lock_tally(&self) -> std::sync::MutexGuard<'_, Tally> {
        // The tally is plain counters and a map; a panicked holder leaves it usable.
        self.tally.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn reset_tally(&self, total: usize) {
        *self.lock_tally() = Tally::new(total);
    }

    /// Sends an event; a closed channel means nobody listens any more, so the job stops as
    /// if cancelled (its chunks stay in the store for the next start).
    async fn emit(&self, event: JobEvent) {
        if self.events.send(event).await.is_err() {
            self.cancel.cancel();
        }
    }

    /// Records answers and reports the new ones with fresh counts.
    async fn report(&self, lookups: Vec<Lookup>, from_cache: bool) {
        let (fresh, progress) = {
            let mut tally = self.lock_tally();
            let fresh = tally.record(lookups, from_cache);
            (fresh, tally.progress)
        };
        if !fresh.is_empty() {
            self.emit(JobEvent::Lookups(fresh)).await;
            self.emit(JobEvent::Progress(progress)).await;
        }
    }

    async fn fail_numbers(&self, numbers: &[String], reason: &Reason) {
        let lookups = numbers
            .iter()
            .map(|number| Lookup {
                number: number.clone(),
                outcome: Outcome::NotLookedUp(reason.clone()),
            })
            .collect();
        self.report(lookups, false).await;
    }

    async fn finish(
        &self,
        job_id: Option<crate::enrich::store::JobId>,
        stop_reason: Option<Reason>,
    ) -> JobSummary {
        let summary = {
            let tally = self.lock_tally();
            JobSummary {
                job_id,
                progress: tally.progress,
                outcomes: tally.outcomes.clone(),
                stop_reason,
            }
        };
        // The last event may find nobody listening; the summary is returned either way.
        let _ = self.events.send(JobEvent::Finished(summary.clone())).await;
        summary
    }

    /// Answers what the cache knows; returns the numbers left to send.
    async fn answer_from_cache(&self, numbers: Vec<String>) -> Result<Vec<String>, StoreError> {
        if !self.config.use_cache {
            return Ok(numbers);
        }
        let mut to_send = Vec::with_capacity(numbers.len());
        let mut cached = Vec::new();
        for number in numbers {
            match self
                .store
                .cache_get(&self.api_base, &number, self.config.cache_max_age)?
            {
                Some(hit) => cached.push(Lookup {
                    number,
                    outcome: hit
                        .name
                        .map_or(Outcome::NotFound, |name| Outcome::Found { name }),
                }),
                None => to_send.push(number),
            }
        }
        self.report(cached, true).await;
        Ok(to_send)
    }

    /// Leaves out numbers that an interrupted earlier send may already have paid for, unless
    /// the user chose to send them again. Returns the numbers to send and how many were held.
    async fn hold_back_unclear(
        &self,
        numbers: Vec<String>,
    ) -> Result<(Vec<String>, usize), StoreError> {
        let unclear = self
            .store
            .unclear_numbers(&self.api_base, self.config.cache_max_age)?;
        if unclear.is_empty() {
            return Ok((numbers, 0));
        }
        if self.config.resend_unclear {
            let resent: HashSet<String> = numbers
                .iter()
                .filter(|number| unclear.contains(*number))
                .cloned()
                .collect();
            if !resent.is_empty() {
                tracing::info!(
                    count = resent.len(),
                    "sending numbers from an unclear submit again, as the user asked"
                );
                self.store.release_unclear(&self.api_base, &resent)?;
            }
            return Ok((numbers, 0));
        }
        let (held, to_send): (Vec<String>, Vec<String>) = numbers
            .into_iter()
            .partition(|number| unclear.contains(number));
        if !held.is_empty() {
            tracing::info!(
                count = held.len(),
                "held back numbers whose earlier submit may have reached Naam"
            );
        }
        self.fail_numbers(&held, &Reason::OutcomeUnknown).await;
        Ok((to_send, held.len()))
    }

    /// Sends every chunk in `queue`, a few at a time, starting a poll task for each accepted
    /// one. Returns why sending stopped early, if it did.
    async fn send_all(
        self: Arc<Self>,
        job_id: i64,
        mut queue: VecDeque<Pending>,
        polls: &mut JoinSet<()>,
    ) -> Option<Reason> {
        let mut submits: JoinSet<(Pending, Result<EnrichmentId, NaamError>)> = JoinSet::new();
        let mut stop_reason: Option<Reason> = None;
        loop {
            while stop_reason.is_none()
                && !self.cancel.is_cancelled()
                && submits.len() < self.config.max_concurrent_submits.max(1)
            {
                let Some(chunk) = queue.pop_front() else {
                    break;
                };
                match self.prepare_submit(chunk, &mut queue) {
                    Ok(Some(chunk)) => {
                        let shared = Arc::clone(&self);
                        submits.spawn(async move {
                            let result = shared
                                .client
                                .submit(&chunk.numbers, shared.config.callback_url.as_deref())
                                .await;
                            (chunk, result)
                        });
                    }
                    Ok(None) => {}
                    Err(err) => stop_reason = Some(Reason::StoreFailed(err.to_string())),
                }
            }
            // A submit in flight is never abandoned: it may already be charged.
            let Some(joined) = submits.join_next().await else {
                break;
            };
            let Ok((chunk, result)) = joined else {
                tracing::error!("a submit task failed unexpectedly");
                continue;
            };
            if let Some(reason) = self.handle_submit(chunk, result, &mut queue, polls).await {
                stop_reason.get_or_insert(reason);
            }
        }

        let reason = stop_reason
            .clone()
            .or_else(|| self.cancel.is_cancelled().then_some(Reason::Cancelled));
        if let Some(reason) = reason {
            let unsent: Vec<String> = queue.drain(..).flat_map(|chunk| chunk.numbers).collect();
            if let Err(err) = self
                .store
                .stop_job(crate::enrich::store::JobId(job_id), &reason.status_words())
            {
                tracing::warn!("could not record why job {job_id} stopped: {err}");
            }
            self.fail_numbers(&unsent, &reason).await;
        }
        stop_reason
    }

    /// Splits a chunk that is bigger than the current bulk size; otherwise marks it
    /// `Submitting` and hands it back for sending.
    fn prepare_submit(
        &self,
        chunk: Pending,
        queue: &mut VecDeque<Pending>,
    ) -> Result<Option<Pending>, StoreError> {
        let bulk_size = self.bulk_size.load(Ordering::Relaxed);
        if chunk.numbers.len() > bulk_size {
            self.split(&chunk, bulk_size, queue)?;
            return Ok(None);
        }
        self.store
            .set_chunk_state(chunk.id, ChunkState::Submitting)?;
        Ok(Some(chunk))
    }

    /// Replaces a chunk by pieces of at most `size` numbers, in the same order, at the front
    /// of the queue.
    fn split(
        &self,
        chunk: &Pending,
        size: usize,
        queue: &mut VecDeque<Pending>,
    ) -> Result<(), StoreError> {
        let job_id = self.store.job_of_chunk(chunk.id)?;
        let mut pieces = Vec::new();
        for numbers in chunk.numbers.chunks(size.max(1)) {
            let id = self.store.add_chunk(job_id, numbers)?;
            pieces.push(Pending {
                id,
                numbers: numbers.to_vec(),
            });
        }
        self.store.set_chunk_state(chunk.id, ChunkState::Split)?;
        for piece in pieces.into_iter().rev() {
            queue.push_front(piece);
        }
        Ok(())
    }

    /// Acts on a submit's answer; returns a reason to stop sending, if any.
    async fn handle_submit(
        self: &Arc<Self>,
        chunk: Pending,
        result: Result<EnrichmentId, NaamError>,
        queue: &mut VecDeque<Pending>,
        polls: &mut JoinSet<()>,
    ) -> Option<Reason> {
        match result {
            Ok(enrichment_id) => {
                // Write the id down before anything else: it is what makes the paid chunk
                // recoverable.
                if let Err(err) = self.store.set_submitted(chunk.id, enrichment_id.as_str()) {
                    tracing::error!("accepted chunk could not be recorded: {err}");
                    // Poll it anyway in this run so its answers are not lost.
                    polls.spawn(Arc::clone(self).poll_chunk(
                        chunk.id,
                        enrichment_id,
                        chunk.numbers,
                    ));
                    return Some(Reason::StoreFailed(err.to_string()));
                }
                let progress = {
                    let mut tally = self.lock_tally();
                    tally.progress.submitted += chunk.numbers.len();
                    tally.progress
                };
                self.emit(JobEvent::Progress(progress)).await;
                polls.spawn(Arc::clone(self).poll_chunk(chunk.id, enrichment_id, chunk.numbers));
                None
            }
            Err(NaamError::QuantityExceedsLimit) if chunk.numbers.len() > 1 => {
                let half = chunk.numbers.len().div_ceil(2);
                let size = self.bulk_size.fetch_min(half, Ordering::Relaxed).min(half);
                tracing::info!("Naam asked for smaller batches; sending {size} numbers at a time");
                match self.split(&chunk, size, queue) {
                    Ok(()) => None,
                    Err(err) => Some(Reason::StoreFailed(err.to_string())),
                }
            }
            Err(err) => {
                let reason = Reason::from_submit_error(&err);
                let state = if matches!(err, NaamError::OutcomeUnknown { .. }) {
                    tracing::error!("a submit may have reached Naam: {err}");
                    ChunkState::OutcomeUnknown
                } else {
                    tracing::warn!("Naam refused a submit: {err}");
                    ChunkState::NotSent
                };
                if let Err(store_err) = self.store.set_chunk_state(chunk.id, state) {
                    tracing::warn!("could not record a refused chunk: {store_err}");
                }
                self.fail_numbers(&chunk.numbers, &reason).await;
                Some(reason)
            }
        }
    }

    /// Polls one accepted chunk until every number in it is accounted for, the time limit
    /// passes, or the job is cancelled.
    async fn poll_chunk(
        self: Arc<Self>,
        chunk: ChunkId,
        enrichment_id: EnrichmentId,
        numbers: Vec<String>,
    ) {
        let policy = &self.config.poll;
        let wanted: HashSet<&str> = numbers.iter().map(String::as_str).collect();
        let mut answered: HashMap<String, Option<String>> = HashMap::with_capacity(numbers.len());
        let started = Instant::now();
        let mut delay = policy.first_delay;
        let mut quiet_polls = 0_u32;

        let end_reason = loop {
            tokio::select! {
                () = self.cancel.cancelled() => break Some(Reason::Cancelled),
                () = tokio::time::sleep(delay) => {}
            }
            match self.fetch_all_pages(&enrichment_id, &wanted).await {
                Ok((records, is_processing)) => {
                    let fresh = Self::take_answers(records, &wanted, &mut answered);
                    let has_news = !fresh.is_empty();
                    self.save_and_report(fresh).await;
                    if answered.len() == wanted.len() {
                        break None;
                    }
                    quiet_polls = if has_news || is_processing || answered.is_empty() {
                        0
                    } else {
                        quiet_polls + 1
                    };
                    if quiet_polls >= policy.settle_polls && started.elapsed() >= policy.settle_time
                    {
                        // The service has answered what it will: it leaves unknown numbers out.
                        let missing: Vec<(String, Option<String>)> = numbers
                            .iter()
                            .filter(|number| !answered.contains_key(number.as_str()))
                            .map(|number| (number.clone(), None))
                            .collect();
                        tracing::debug!(
                            chunk = chunk.0,
                            num_missing = missing.len(),
                            "chunk settled without every number; the rest have no name"
                        );
                        self.save_and_report(missing).await;
                        break None;
                    }
                }
                Err(NaamError::InvalidEnrichmentId { .. }) => {
                    if let Err(err) = self
                        .store
                        .set_chunk_state(chunk, ChunkState::OutcomeUnknown)
                    {
                        tracing::warn!("could not record a lost chunk: {err}");
                    }
                    break Some(Reason::JobLost);
                }
                Err(err) if err.is_retryable() => {
                    tracing::debug!(chunk = chunk.0, "poll failed, will try again: {err}");
                }
                Err(err) => break Some(Reason::from_submit_error(&err)),
            }
            if started.elapsed() >= policy.time_limit {
                break Some(Reason::NoAnswerInTime);
            }
            delay = (delay * 2).min(policy.max_delay);
        };

        match end_reason {
            None => {
                if let Err(err) = self.store.set_chunk_state(chunk, ChunkState::Done) {
                    tracing::warn!("could not mark chunk {} done: {err}", chunk.0);
                }
            }
            Some(reason) => {
                let missing: Vec<String> = numbers
                    .into_iter()
                    .filter(|number| !answered.contains_key(number))
                    .collect();
                self.fail_numbers(&missing, &reason).await;
            }
        }
    }

    /// Fetches pages 1, 2, … until a page brings nothing new. Returns the records and whether
    /// the service said it is still working.
    async fn fetch_all_pages(
        &self,
        enrichment_id: &EnrichmentId,
        wanted: &HashSet<&str>,
    ) -> Result<(Vec<ResultRecord>, bool), NaamError> {
        let mut records = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        let mut is_processing = false;
        // Every useful page holds at least one new number, so this bounds a server that ignores
        // the page number and repeats itself.
        let max_pages = u32::try_from(wanted.len() + 1).unwrap_or(u32::MAX);
        for page in 1..=max_pages {
            let results = self
                .client
                .results(enrichment_id, page, self.config.page_limit)
                .await?;
            is_processing |= results.is_processing;
            let mut has_new = false;
            for record in results.records {
                let Some(number) = match_number(&record.mobile, wanted) else {
                    tracing::debug!(mobile = %mask_number(&record.mobile), "result for a number not in this chunk");
                    continue;
                };
                if seen.insert(number.to_owned()) {
                    has_new = true;
                    records.push(record);
                }
            }
            if !has_new || seen.len() == wanted.len() {
                break;
            }
        }
        Ok((records, is_processing))
    }

    /// Turns records into answers for numbers not answered yet.
    fn take_answers(
        records: Vec<ResultRecord>,
        wanted: &HashSet<&str>,
        answered: &mut HashMap<String, Option<String>>,
    ) -> Vec<(String, Option<String>)> {
        let mut fresh = Vec::new();
        for record in records {
            let Some(number) = match_number(&record.mobile, wanted) else {
                continue;
            };
            if answered.contains_key(number) {
                continue;
            }
            let name = record.known_name().map(str::to_owned);
            answered.insert(number.to_owned(), name.clone());
            fresh.push((number.to_owned(), name));
        }
        fresh
    }

    /// Writes answers to the cache, then reports them.
    async fn save_and_report(&self, answers: Vec<(String, Option<String>)>) {
        if answers.is_empty() {
            return;
        }
        if self.config.use_cache {
            let rows: Vec<(&str, Option<&str>, Option<&str>)> = answers
                .iter()
                .map(|(number, name)| (number.as_str(), name.as_deref(), None))
                .collect();
            if let Err(err) = self.store.cache_put_many(&self.api_base, &rows) {
                tracing::warn!("could not cache {} answers: {err}", rows.len());
            }
        }
        let lookups = answers
            .into_iter()
            .map(|(number, name)| Lookup {
                number,
                outcome: name.map_or(Outcome::NotFound, |name| Outcome::Found { name }),
            })
            .collect();
        self.report(lookups, false).await;
    }
}

/// Finds which of `wanted` a record's `mobile` is: as sent, or with a country code or other
/// decoration around the same last ten digits.
fn match_number<'a>(mobile: &str, wanted: &HashSet<&'a str>) -> Option<&'a str> {
    if let Some(found) = wanted.get(mobile) {
        return Some(found);
    }
    let digits: String = mobile.chars().filter(char::is_ascii_digit).collect();
    let tail = digits.get(digits.len().saturating_sub(10)..)?;
    wanted.get(tail).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoed_numbers_match_with_or_without_decoration() {
        let wanted: HashSet<&str> = ["9876543210", "9123456789"].into_iter().collect();
        assert_eq!(match_number("9876543210", &wanted), Some("9876543210"));
        assert_eq!(match_number("+919876543210", &wanted), Some("9876543210"));
        assert_eq!(match_number("91 98765 43210", &wanted), Some("9876543210"));
        assert_eq!(match_number("9000000000", &wanted), None);
        assert_eq!(match_number("", &wanted), None);
    }
}
