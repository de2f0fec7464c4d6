//! The client's own overhead on a big job: 100 k numbers against the in-process fake service
//! with no processing delay, from plan to every name, through submits, polls, pages, the SQLite
//! store and cache, and the progress events.
//!
//! The measured time includes the fake service's own work (it runs in the same process), so
//! the client's share is at most the figure shown.

#![allow(
    clippy::unwrap_used,
    reason = "a bench that cannot set up should stop loudly"
)]

use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use naam_enrich::enrich::job::{CancelHandle, Job, JobConfig, PollPolicy};
use naam_enrich::enrich::store::Store;
use naam_enrich::naam::fake::{FakeConfig, FakeNaam, FakeProfile};
use naam_enrich::naam::{ApiToken, Client, ClientConfig};
use tokio::sync::mpsc;

const NUM_NUMBERS: usize = 100_000;

fn numbers() -> Vec<String> {
    (0..NUM_NUMBERS)
        .map(|idx| format!("9{:09}", idx * 7919 % 1_000_000_000))
        .collect()
}

fn bench_job(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let numbers = numbers();
    let mut group = c.benchmark_group("enrich");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    group.bench_function("100k numbers, fake with no delay", |bencher| {
        bencher.iter(|| {
            runtime.block_on(async {
                let mut config = FakeConfig::new(ApiToken::demo(), FakeProfile::Standard);
                config.polls_before_done = 0;
                let fake = FakeNaam::start(config).await.unwrap();
                let client =
                    Client::new(ClientConfig::new(fake.base_url().clone(), ApiToken::demo()))
                        .unwrap();
                let store = Arc::new(Store::open_in_memory().unwrap());
                let (sender, mut receiver) = mpsc::channel(256);
                tokio::spawn(async move { while receiver.recv().await.is_some() {} });
                let job_config = JobConfig {
                    page_limit: 500,
                    poll: PollPolicy {
                        first_delay: Duration::from_millis(1),
                        max_delay: Duration::from_millis(10),
                        settle_polls: 3,
                        settle_time: Duration::ZERO,
                        time_limit: Duration::from_mins(1),
                    },
                    ..JobConfig::default()
                };
                let job = Job::new(client, store, job_config, sender, CancelHandle::new());
                let summary = job.run(numbers.clone(), None).await;
                assert!(summary.is_complete());
                assert_eq!(summary.outcomes.len(), NUM_NUMBERS);
            });
        });
    });
    group.finish();
}

criterion_group!(benches, bench_job);
criterion_main!(benches);
