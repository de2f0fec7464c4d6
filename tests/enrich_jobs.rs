//! Lookup jobs against the fake Naam service: every name right, nothing paid twice, partial
//! results kept when the account runs out, and interrupted jobs finished without resending.

#![allow(clippy::unwrap_used, reason = "a failed step is a failed test")]

use std::sync::Arc;
use std::time::Duration;

use naam_enrich::enrich::job::{CancelHandle, Job, JobConfig, PollPolicy};
use naam_enrich::enrich::outcome::{Outcome, Reason};
use naam_enrich::enrich::progress::{JobEvent, JobSummary};
use naam_enrich::enrich::store::{ChunkState, Store};
use naam_enrich::naam::fake::{FakeConfig, FakeHandle, FakeNaam, FakeProfile};
use naam_enrich::naam::{ApiToken, Client, ClientConfig, RetryPolicy};
use tokio::sync::mpsc;

/// `count` distinct, valid Indian mobile numbers.
fn numbers(count: usize) -> Vec<String> {
    (0..count)
        .map(|idx| format!("98{:08}", idx * 7919 % 100_000_000))
        .collect()
}

fn fast_config(bulk_size: usize) -> JobConfig {
    JobConfig {
        bulk_size,
        page_limit: 100,
        poll: PollPolicy {
            first_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(40),
            settle_polls: 3,
            settle_time: Duration::ZERO,
            time_limit: Duration::from_mins(1),
        },
        ..JobConfig::default()
    }
}

fn client_for(fake: &FakeHandle) -> Client {
    let mut config = ClientConfig::new(fake.base_url().clone(), ApiToken::demo());
    config.retry = RetryPolicy {
        max_attempts: 8,
        initial_delay: Duration::from_millis(2),
        max_delay: Duration::from_millis(20),
        max_total: Duration::from_secs(20),
        has_jitter: true,
    };
    Client::new(config).unwrap()
}

/// Runs a job to the end, collecting every event.
async fn run_job(
    fake: &FakeHandle,
    store: &Arc<Store>,
    config: JobConfig,
    numbers: Vec<String>,
) -> (JobSummary, Vec<JobEvent>) {
    let (sender, mut receiver) = mpsc::channel(64);
    let job = Job::new(
        client_for(fake),
        Arc::clone(store),
        config,
        sender,
        CancelHandle::new(),
    );
    let collector = tokio::spawn(async move {
        let mut events = Vec::new();
        while let Some(event) = receiver.recv().await {
            events.push(event);
        }
        events
    });
    let summary = job.run(numbers, None).await;
    drop(job);
    (summary, collector.await.unwrap())
}

fn expected(number: &str) -> Outcome {
    FakeNaam::expected_name(number).map_or(Outcome::NotFound, |name| Outcome::Found { name })
}

fn assert_every_name_right(summary: &JobSummary, numbers: &[String]) {
    assert_eq!(summary.outcomes.len(), numbers.len());
    for number in numbers {
        assert_eq!(
            summary.outcomes.get(number),
            Some(&expected(number)),
            "{number}"
        );
    }
}

#[tokio::test]
async fn every_profile_gives_every_name_and_charges_each_number_once() {
    let numbers = numbers(1_234);
    for &profile in FakeProfile::all() {
        let fake = FakeNaam::start(FakeConfig::new(ApiToken::demo(), profile))
            .await
            .unwrap();
        let store = Arc::new(Store::open_in_memory().unwrap());
        let (summary, events) = run_job(&fake, &store, fast_config(500), numbers.clone()).await;

        assert_eq!(summary.stop_reason, None, "{profile}");
        assert_every_name_right(&summary, &numbers);
        assert!(summary.is_complete(), "{profile}");
        assert_eq!(fake.stats().max_submits_per_number(), 1, "{profile}");
        assert_eq!(fake.numbers_submitted(), 1_234, "{profile}");
        assert!(
            matches!(events.last(), Some(JobEvent::Finished(_))),
            "{profile}"
        );
        // The answers streamed in as events carry the same names.
        let streamed: usize = events
            .iter()
            .map(|event| match event {
                JobEvent::Lookups(lookups) => lookups.len(),
                _ => 0,
            })
            .sum();
        assert_eq!(streamed, 1_234, "{profile}");
        let chunks = store.chunks(summary.job_id.unwrap()).unwrap();
        assert!(
            chunks.iter().all(|chunk| chunk.state == ChunkState::Done),
            "{profile}"
        );
    }
}

/// The fault drill: a 10 k-number job against every kind of trouble at once, on a third of
/// all requests. Every name must arrive, each number be paid for once, and each request get
/// through within the fake's cap on faults in a row — so the retry budget is never used up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_10k_job_survives_every_fault_at_once() {
    let numbers = numbers(10_000);
    let mut config = FakeConfig::new(ApiToken::demo(), FakeProfile::AllFaults);
    config.faults.rate_percent = 33;
    config.faults.seed = 2026;
    let fake = FakeNaam::start(config).await.unwrap();
    let store = Arc::new(Store::open_in_memory().unwrap());
    let started = std::time::Instant::now();
    let (summary, _) = run_job(&fake, &store, fast_config(500), numbers.clone()).await;
    let elapsed = started.elapsed();

    assert_eq!(summary.stop_reason, None);
    assert_every_name_right(&summary, &numbers);
    let stats = fake.stats();
    assert_eq!(stats.max_submits_per_number(), 1);
    assert_eq!(stats.numbers_submitted, 10_000);
    assert_eq!(stats.submissions, 20);
    assert!(
        stats.requests_served > stats.submissions + stats.jobs_polled,
        "faults were injected"
    );
    eprintln!(
        "fault drill: 10,000 numbers in {elapsed:.2?}, {} requests ({} submits, {} polls)",
        stats.requests_served, stats.submit_requests, stats.results_requests
    );
}

#[tokio::test]
async fn numbers_in_the_cache_are_not_paid_for_again() {
    let numbers = numbers(300);
    let fake = FakeNaam::start(FakeConfig::new(ApiToken::demo(), FakeProfile::Standard))
        .await
        .unwrap();
    let store = Arc::new(Store::open_in_memory().unwrap());
    let (first, _) = run_job(&fake, &store, fast_config(100), numbers[..200].to_vec()).await;
    assert!(first.is_complete());
    assert_eq!(fake.numbers_submitted(), 200);

    let (second, _) = run_job(&fake, &store, fast_config(100), numbers.clone()).await;
    assert_every_name_right(&second, &numbers);
    assert_eq!(second.progress.cached, 200);
    assert_eq!(
        fake.numbers_submitted(),
        300,
        "only the 100 new numbers were sent"
    );
    assert_eq!(fake.stats().max_submits_per_number(), 1);

    let no_cache = JobConfig {
        use_cache: false,
        ..fast_config(100)
    };
    let (third, _) = run_job(&fake, &store, no_cache, numbers[..50].to_vec()).await;
    assert_eq!(third.progress.cached, 0);
    assert_eq!(
        fake.numbers_submitted(),
        350,
        "--no-cache looks numbers up again"
    );
}

#[tokio::test]
async fn running_out_of_credits_keeps_what_was_paid_for_and_says_why() {
    let numbers = numbers(1_200);
    let mut config = FakeConfig::new(ApiToken::demo(), FakeProfile::Standard);
    config.credits = Some(700);
    let fake = FakeNaam::start(config).await.unwrap();
    let store = Arc::new(Store::open_in_memory().unwrap());
    let job_config = JobConfig {
        max_concurrent_submits: 1,
        ..fast_config(500)
    };
    let (summary, _) = run_job(&fake, &store, job_config, numbers.clone()).await;

    assert_eq!(summary.stop_reason, Some(Reason::CreditsExhausted));
    // The first chunk was paid for and every one of its names kept.
    for number in &numbers[..500] {
        assert_eq!(summary.outcomes.get(number), Some(&expected(number)));
    }
    for number in &numbers[500..] {
        assert_eq!(
            summary.outcomes.get(number),
            Some(&Outcome::NotLookedUp(Reason::CreditsExhausted))
        );
    }
    assert_eq!(summary.not_looked_up()[&Reason::CreditsExhausted], 700);
    assert_eq!(fake.credits_left(), Some(200));
    let explanation = Reason::CreditsExhausted.explain(700);
    assert!(explanation.contains("credits are used up"), "{explanation}");
    assert!(explanation.contains("700 numbers wait"), "{explanation}");
}

#[tokio::test]
async fn account_refusals_stop_the_job_with_their_reason() {
    let numbers = numbers(50);
    let mut daily = FakeConfig::new(ApiToken::demo(), FakeProfile::Standard);
    daily.daily_limit = Some(10);
    let mut disabled = FakeConfig::new(ApiToken::demo(), FakeProfile::Standard);
    disabled.is_bulk_enabled = false;
    let wrong_token = FakeConfig::new(ApiToken::new("another").unwrap(), FakeProfile::Standard);
    for (config, reason) in [
        (daily, Reason::DailyLimit),
        (disabled, Reason::BulkDisabled),
        (wrong_token, Reason::TokenRefused),
    ] {
        let fake = FakeNaam::start(config).await.unwrap();
        let store = Arc::new(Store::open_in_memory().unwrap());
        let (summary, _) = run_job(&fake, &store, fast_config(20), numbers.clone()).await;
        assert_eq!(summary.stop_reason, Some(reason.clone()));
        assert_eq!(summary.not_looked_up()[&reason], 50);
        assert_eq!(fake.numbers_submitted(), 0);
    }
}

#[tokio::test]
async fn a_batch_too_big_is_split_and_the_smaller_size_remembered() {
    let numbers = numbers(900);
    let mut config = FakeConfig::new(ApiToken::demo(), FakeProfile::Standard);
    config.bulk_limit = 100;
    let fake = FakeNaam::start(config).await.unwrap();
    let store = Arc::new(Store::open_in_memory().unwrap());
    let (summary, _) = run_job(&fake, &store, fast_config(500), numbers.clone()).await;

    assert_eq!(summary.stop_reason, None);
    assert_every_name_right(&summary, &numbers);
    assert_eq!(fake.stats().max_submits_per_number(), 1);
    let chunks = store.chunks(summary.job_id.unwrap()).unwrap();
    let accepted: Vec<_> = chunks
        .iter()
        .filter(|chunk| chunk.state == ChunkState::Done)
        .collect();
    assert!(accepted.iter().all(|chunk| chunk.numbers.len() <= 100));
    // 500 → 250 → 125 → 63 numbers per batch. With two submits in flight, each halving can be
    // refused at most twice; a size that was not remembered would be refused again for every
    // later batch.
    let stats = fake.stats();
    let refused = stats.submit_requests - stats.submissions;
    assert!(refused <= 6, "{refused} refused batches");
}

#[tokio::test]
async fn a_submit_that_may_have_arrived_is_never_sent_again() {
    let numbers = numbers(40);
    let mut config = FakeConfig::new(ApiToken::demo(), FakeProfile::DroppedConnections);
    config.faults.target = naam_enrich::naam::fake::FaultTarget::Submit;
    config.faults.rate_percent = 100;
    let fake = FakeNaam::start(config).await.unwrap();
    let store = Arc::new(Store::open_in_memory().unwrap());
    let one_at_a_time = JobConfig {
        max_concurrent_submits: 1,
        ..fast_config(20)
    };
    let (summary, _) = run_job(&fake, &store, one_at_a_time, numbers.clone()).await;

    assert_eq!(summary.stop_reason, Some(Reason::OutcomeUnknown));
    assert_eq!(fake.stats().max_submits_per_number(), 1);
    assert_eq!(
        fake.submissions(),
        1,
        "after an unclear submit, nothing more is sent"
    );
    assert_eq!(summary.not_looked_up()[&Reason::OutcomeUnknown], 40);
    let states: Vec<_> = store
        .chunks(summary.job_id.unwrap())
        .unwrap()
        .iter()
        .map(|chunk| chunk.state)
        .collect();
    assert_eq!(states, [ChunkState::OutcomeUnknown, ChunkState::NotSent]);
    assert!(store.unfinished_jobs().unwrap().is_empty());
}

#[tokio::test]
async fn a_cancelled_job_is_finished_later_without_sending_anything_again() {
    let numbers = numbers(300);
    let mut config = FakeConfig::new(ApiToken::demo(), FakeProfile::Standard);
    // The service takes a while, so the job is cancelled while it waits.
    config.processing_delay = Duration::from_millis(800);
    let fake = FakeNaam::start(config).await.unwrap();
    let store = Arc::new(Store::open_in_memory().unwrap());

    let (sender, mut receiver) = mpsc::channel(64);
    let cancel = CancelHandle::new();
    let job = Job::new(
        client_for(&fake),
        Arc::clone(&store),
        fast_config(100),
        sender,
        cancel.clone(),
    );
    let running = tokio::spawn(async move { job.run(numbers.clone(), None).await });
    // Cancel once all three chunks are accepted.
    while let Some(event) = receiver.recv().await {
        if let JobEvent::Progress(progress) = event
            && progress.submitted == 300
        {
            cancel.cancel();
        }
    }
    let summary = running.await.unwrap();
    assert_eq!(summary.stop_reason, Some(Reason::Cancelled));
    assert_eq!(summary.not_looked_up()[&Reason::Cancelled], 300);
    assert_eq!(fake.submissions(), 3);

    let unfinished = store.unfinished_jobs().unwrap();
    assert_eq!(unfinished.len(), 1);
    assert_eq!(unfinished[0].chunks.len(), 3);
    let (sender, mut receiver) = mpsc::channel(64);
    let job = Job::new(
        client_for(&fake),
        Arc::clone(&store),
        fast_config(100),
        sender,
        CancelHandle::new(),
    );
    tokio::spawn(async move { while receiver.recv().await.is_some() {} });
    let resumed = job.resume(unfinished.into_iter().next().unwrap()).await;

    assert!(resumed.is_complete());
    assert_eq!(resumed.outcomes.len(), 300);
    assert_eq!(fake.submissions(), 3, "resuming sends nothing");
    assert!(store.unfinished_jobs().unwrap().is_empty());
}

#[tokio::test]
async fn a_chunk_past_its_time_limit_stays_resumable() {
    let numbers = numbers(30);
    let mut config = FakeConfig::new(ApiToken::demo(), FakeProfile::Standard);
    config.processing_delay = Duration::from_hours(1);
    let fake = FakeNaam::start(config).await.unwrap();
    let store = Arc::new(Store::open_in_memory().unwrap());
    let mut job_config = fast_config(100);
    job_config.poll.time_limit = Duration::from_millis(200);
    let (summary, _) = run_job(&fake, &store, job_config, numbers).await;

    assert_eq!(summary.not_looked_up()[&Reason::NoAnswerInTime], 30);
    assert_eq!(
        Outcome::NotLookedUp(Reason::NoAnswerInTime).status(),
        "not looked up: no answer in time"
    );
    assert_eq!(store.unfinished_jobs().unwrap().len(), 1);
}
