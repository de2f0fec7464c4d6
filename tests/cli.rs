//! The `naam-enrich` command line, run as a program: each exit status, the dry run that sends
//! nothing, and a job killed mid-way that finishes on the next run without paying again.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a failed step is a failed test"
)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use naam_enrich::naam::ApiToken;
use naam_enrich::naam::fake::{
    FakeConfig, FakeHandle, FakeNaam, FakeProfile, FaultSettings, FaultTarget,
};

const BIN: &str = env!("CARGO_BIN_EXE_naam-enrich");

/// A fake service on its own runtime, and a folder for files and the app's data.
struct World {
    _runtime: tokio::runtime::Runtime,
    fake: FakeHandle,
    dir: tempfile::TempDir,
}

impl World {
    fn new(config: FakeConfig) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let fake = runtime.block_on(FakeNaam::start(config)).unwrap();
        Self {
            _runtime: runtime,
            fake,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn standard() -> Self {
        Self::new(FakeConfig::new(ApiToken::demo(), FakeProfile::Standard))
    }

    fn input(&self) -> PathBuf {
        let path = self.dir.path().join("leads.csv");
        std::fs::write(&path, naam_enrich::app::DEMO_CSV).unwrap();
        path
    }

    /// The command with the data folder, the fake's address and its token set.
    fn command(&self) -> Command {
        let mut command = Command::new(BIN);
        command
            .env("NAAM_ENRICH_HOME", self.dir.path().join("home"))
            .env("NAAM_API_URL", self.fake.base_url().as_str())
            .env("NAAM_API_TOKEN", "demo")
            .env_remove("RUST_LOG")
            .stdin(Stdio::null());
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().unwrap()
    }

    /// Starts the app in the background, its output thrown away, to be killed.
    fn spawn_quietly(&self, args: &[&str]) -> Child {
        self.command()
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn path_arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn a_complete_job_writes_the_output_beside_the_input_and_exits_0() {
    let world = World::standard();
    let input = world.input();
    let output = world.run(&["enrich", path_arg(&input)]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));

    let written = world.dir.path().join("leads-enriched.csv");
    let saved = std::fs::read_to_string(&written).unwrap();
    assert!(saved.starts_with("Customer,Mobile No.,City,Notes,Caller Name,Lookup Status\r\n"));
    assert!(!saved.contains(",pending"));
    assert!(text(&output.stdout).contains("names found"));
    assert_eq!(world.fake.stats().max_submits_per_number(), 1);
    // The input is untouched.
    assert_eq!(std::fs::read(&input).unwrap(), naam_enrich::app::DEMO_CSV);

    // Running again costs nothing: every number is in the cache.
    let submitted = world.fake.numbers_submitted();
    let again = world.run(&[
        "enrich",
        path_arg(&input),
        "-o",
        path_arg(&world.dir.path().join("again.csv")),
    ]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(world.fake.numbers_submitted(), submitted);
    assert_eq!(
        std::fs::read(world.dir.path().join("again.csv")).unwrap(),
        saved.as_bytes()
    );
}

#[test]
fn running_out_of_credits_writes_what_was_paid_for_and_exits_3() {
    let mut config = FakeConfig::new(ApiToken::demo(), FakeProfile::Standard);
    config.credits = Some(10);
    let world = World::new(config);
    let input = world.input();
    let out = world.dir.path().join("out.csv");
    let output = world.run(&[
        "enrich",
        path_arg(&input),
        "-o",
        path_arg(&out),
        "--bulk-size",
        "5",
        "--json",
    ]);

    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        summary["stop_reason"]
            .as_str()
            .unwrap()
            .contains("credits are used up")
    );
    assert!(
        summary["not_looked_up"]["credits used up"]
            .as_u64()
            .unwrap()
            > 0
    );
    let saved = std::fs::read_to_string(&out).unwrap();
    assert!(saved.contains("not looked up: credits used up"));
    let answered = saved.matches(",found").count() + saved.matches(",not found").count();
    assert!(answered >= 10, "{answered} answers kept");
    assert_eq!(world.fake.numbers_submitted(), 10);
}

#[test]
fn failures_that_write_nothing_exit_1_with_one_line() {
    let world = World::standard();
    let missing = world.run(&["enrich", path_arg(&world.dir.path().join("nope.csv"))]);
    assert_eq!(missing.status.code(), Some(1));
    let message = text(&missing.stderr);
    assert!(message.contains("nope.csv"), "{message}");

    let input = world.input();
    let no_column = world.run(&["enrich", path_arg(&input), "-c", "Fax"]);
    assert_eq!(no_column.status.code(), Some(1));
    assert!(text(&no_column.stderr).contains("Fax"));

    let wrong_token = world
        .command()
        .env("NAAM_API_TOKEN", "not-the-token")
        .args(["enrich", path_arg(&input)])
        .output()
        .unwrap();
    assert_eq!(wrong_token.status.code(), Some(1));
    let message = text(&wrong_token.stderr);
    assert!(
        message.contains("did not accept your API token"),
        "{message}"
    );
    assert!(message.contains("Nothing was written"), "{message}");
    assert!(!world.dir.path().join("leads-enriched.csv").exists());

    let requests = world.fake.requests_served();
    let insecure = world
        .command()
        .env("NAAM_API_URL", "http://example.com")
        .args(["enrich", path_arg(&input)])
        .output()
        .unwrap();
    assert_eq!(insecure.status.code(), Some(1));
    assert!(text(&insecure.stderr).contains("https://"));
    assert_eq!(
        world.fake.requests_served(),
        requests,
        "plain http to another host sends nothing"
    );
}

#[test]
fn a_dry_run_sends_nothing_and_prints_the_plan() {
    let world = World::standard();
    let input = world.input();
    let output = world
        .command()
        .env_remove("NAAM_API_TOKEN")
        .args(["enrich", path_arg(&input), "--dry-run", "--json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let plan: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let keys: Vec<&str> = plan
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "cached",
            "column",
            "duplicates",
            "invalid",
            "rows",
            "to_submit",
            "valid"
        ]
    );
    assert_eq!(plan["column"], "Mobile No.");
    assert_eq!(plan["rows"], 58);
    assert_eq!(world.fake.requests_served(), 0);
    assert!(!world.dir.path().join("leads-enriched.csv").exists());
}

/// Waits until `is_done` holds, for up to 30 s.
fn wait_for(what: &str, is_done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !is_done() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_job_killed_after_submitting_finishes_next_time_without_sending_again() {
    let mut config = FakeConfig::new(ApiToken::demo(), FakeProfile::Standard);
    // Long enough that the first run is killed while it waits for names.
    config.processing_delay = Duration::from_secs(4);
    let world = World::new(config);
    let input = world.input();

    let mut first = world.spawn_quietly(&["enrich", path_arg(&input), "--bulk-size", "20"]);
    // Every chunk polled means every enrichment id is on record; killing earlier could catch a
    // chunk mid-submit, which the next test covers.
    wait_for("the first run polls every chunk", || {
        world.fake.stats().jobs_polled >= 3
    });
    assert_eq!(world.fake.numbers_submitted(), 47);
    // SIGKILL: no chance to clean up, as with a crash or a power cut.
    first.kill().unwrap();
    first.wait().unwrap();
    let submissions = world.fake.submissions();
    assert!(!world.dir.path().join("leads-enriched.csv").exists());

    let second = world.run(&["enrich", path_arg(&input)]);
    assert_eq!(second.status.code(), Some(0), "{}", text(&second.stderr));
    assert!(text(&second.stderr).contains("Finishing a job from an earlier run"));
    assert_eq!(
        world.fake.submissions(),
        submissions,
        "zero new submissions"
    );
    assert_eq!(world.fake.stats().max_submits_per_number(), 1);
    let saved = std::fs::read_to_string(world.dir.path().join("leads-enriched.csv")).unwrap();
    assert!(!saved.contains("not looked up"));
    assert!(!saved.contains(",pending"));
}

#[test]
fn numbers_caught_mid_submit_by_a_kill_are_held_back_until_the_user_resends_them() {
    let mut config = FakeConfig::new(ApiToken::demo(), FakeProfile::SlowResponses);
    // Submits are accepted (and charged) but answered only after 8 s — all but every third,
    // as the fake caps faults in a row at 2 — so the kill lands after Naam has the first two
    // chunks and before the app learns their enrichment ids.
    config.faults = FaultSettings {
        rate_percent: 100,
        target: FaultTarget::Submit,
        max_in_a_row: 2,
        ..config.faults
    };
    config.slow_delay = Duration::from_secs(8);
    let world = World::new(config);
    let input = world.input();

    let mut first = world.spawn_quietly(&["enrich", path_arg(&input), "--bulk-size", "20"]);
    wait_for("the first run submits two chunks", || {
        world.fake.numbers_submitted() >= 40
    });
    first.kill().unwrap();
    first.wait().unwrap();
    assert_eq!(world.fake.submissions(), 2);

    let second = world.run(&["enrich", path_arg(&input)]);
    let message = text(&second.stderr);
    assert_eq!(second.status.code(), Some(3), "{message}");
    assert!(message.contains("--resend-unclear"), "{message}");
    assert!(
        text(&second.stdout).contains("unclear whether Naam received"),
        "{}",
        text(&second.stdout)
    );
    assert_eq!(
        world.fake.submissions(),
        3,
        "only the 7 numbers never sent are sent now"
    );
    assert_eq!(world.fake.stats().max_submits_per_number(), 1);
    let saved = std::fs::read_to_string(world.dir.path().join("leads-enriched.csv")).unwrap();
    let held = saved
        .lines()
        .filter(|line| line.contains("unclear whether Naam received it"))
        .count();
    assert!(held >= 40, "{saved}");

    // The user checked their dashboard and chose to pay again for the 40 numbers.
    let third = world.run(&["enrich", path_arg(&input), "--resend-unclear"]);
    assert_eq!(third.status.code(), Some(0), "{}", text(&third.stderr));
    assert_eq!(world.fake.stats().numbers_submitted, 47 + 40);
    let saved = std::fs::read_to_string(world.dir.path().join("leads-enriched.csv")).unwrap();
    assert!(!saved.contains("not looked up"), "{saved}");

    // Once answered, nothing is held back or sent again.
    let fourth = world.run(&["enrich", path_arg(&input)]);
    assert_eq!(fourth.status.code(), Some(0), "{}", text(&fourth.stderr));
    assert_eq!(world.fake.stats().numbers_submitted, 47 + 40);
}

#[test]
fn the_demo_needs_no_token_and_the_version_prints() {
    let world = World::standard();
    let input = world.input();
    let output = world
        .command()
        .env_remove("NAAM_API_TOKEN")
        .args([
            "enrich",
            "--demo",
            path_arg(&input),
            "-o",
            path_arg(&world.dir.path().join("demo.csv")),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        world.fake.requests_served(),
        0,
        "the demo uses its own fake service"
    );

    let version = Command::new(BIN).arg("--version").output().unwrap();
    assert_eq!(
        text(&version.stdout).trim(),
        format!("naam-enrich {}", env!("CARGO_PKG_VERSION"))
    );
}
