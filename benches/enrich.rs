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
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use naam_enrich::enrich::job::{CancelHandle, Job, JobConfig, PollPolicy};
use naam_enrich::enrich::store::Store;
use naam_enrich::naam::fake::{FakeConfig, FakeNaam, FakeProfile};
use naam_enrich::naam::{ApiToken, Client, ClientConfig};
use tokio::sync::mpsc;

const NUM_NUMBERS: usize = 100_000;

/// How many jobs the CPU time is averaged over.
const NUM_JOBS: u32 = 5;

fn numbers() -> Vec<String> {
    (0..NUM_NUMBERS)
        .map(|idx| format!("9{:09}", idx * 7919 % 1_000_000_000))
        .collect()
}

/// One whole job: a fresh fake service, client and store, and every name back.
fn run_job(runtime: &tokio::runtime::Runtime, numbers: &[String]) {
    runtime.block_on(async {
        let mut config = FakeConfig::new(ApiToken::demo(), FakeProfile::Standard);
        config.polls_before_done = 0;
        let fake = FakeNaam::start(config).await.unwrap();
        let client =
            Client::new(ClientConfig::new(fake.base_url().clone(), ApiToken::demo())).unwrap();
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
        let summary = job.run(numbers.to_vec(), None).await;
        assert!(summary.is_complete());
        assert_eq!(summary.outcomes.len(), NUM_NUMBERS);
    });
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
        bencher.iter(|| run_job(&runtime, &numbers));
    });
    group.finish();

    // Criterion measures wall time; the process's CPU time over a few more jobs shows how much
    // work they are, on Linux where /proc tells.
    if let Some(cpu_before) = process_cpu_time() {
        let started = Instant::now();
        for _ in 0..NUM_JOBS {
            run_job(&runtime, &numbers);
        }
        let wall = started.elapsed() / NUM_JOBS;
        if let Some(cpu_after) = process_cpu_time() {
            let cpu = cpu_after.saturating_sub(cpu_before) / NUM_JOBS;
            eprintln!(
                "enrich, 100k numbers: {:.0} ms wall and {:.0} ms CPU per job (client and fake \
                 together), over {NUM_JOBS} jobs",
                wall.as_secs_f64() * 1e3,
                cpu.as_secs_f64() * 1e3
            );
        }
    }
}

/// The CPU time of the whole process, all threads, user and system, from `/proc/self/stat`.
fn process_cpu_time() -> Option<Duration> {
    // Clock ticks; 100 a second on every Linux build in use.
    const TICKS_PER_SECOND: u64 = 100;
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in brackets and may hold spaces.
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let user: u64 = fields.nth(11)?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis(
        (user + system) * 1000 / TICKS_PER_SECOND,
    ))
}

criterion_group!(benches, bench_job);
criterion_main!(benches);
