//! The `naam-enrich` binary: reads the command line and runs the chosen command.
//!
//! With no command it opens the desktop app. It owns the one tokio runtime that every
//! background task runs on.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use naam_enrich::app::{self, AppOptions, DemoService};
use naam_enrich::cli::{self, enrich::EnrichArgs, token::TokenAction};
use naam_enrich::enrich::store::Store;
use naam_enrich::naam::{ApiToken, DEMO_TOKEN, fake};
use naam_enrich::secrets::{KeyringStore, MemoryStore, TokenStore};
use naam_enrich::{logging, settings};

/// Put caller names next to the mobile numbers in a spreadsheet, using Naam's Bulk Number API.
#[derive(Debug, Parser)]
#[command(name = "naam-enrich", version, args_conflicts_with_subcommands = true)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,

    /// A CSV file to open in the app.
    file: Option<PathBuf>,

    /// Use the built-in fake Naam service and the sample data; no token needed.
    #[arg(long)]
    demo: bool,

    /// Print what happens, step by step, on standard error.
    #[arg(short, long, global = true)]
    verbose: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Enrich a file without opening a window.
    Enrich(EnrichArgs),
    /// Keep, check or remove the API token in the system keyring.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Run the fake Naam service, for trying the app or a script without an account.
    FakeServer {
        /// The port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// The only token the fake accepts.
        #[arg(long, default_value = DEMO_TOKEN)]
        token: String,
        /// How the fake behaves where the real service's documentation is silent.
        #[arg(long, default_value = "default")]
        profile: String,
    },
}

fn main() -> ExitCode {
    let args = Args::parse();
    let data_dir = settings::data_dir();
    let _log_guard = logging::init(data_dir.as_deref().ok(), args.verbose);

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("naam-worker")
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            cli::output::note(&format!(
                "naam-enrich could not start its worker threads: {err}"
            ));
            return ExitCode::FAILURE;
        }
    };

    let result = match args.command {
        Some(Command::Enrich(enrich_args)) => {
            let store = KeyringStore::default();
            let tokens = cli::enrich::TokenSource {
                store: &store,
                env_token: std::env::var("NAAM_API_TOKEN").ok(),
            };
            return runtime.block_on(cli::enrich::run(enrich_args, tokens));
        }
        Some(Command::Token { action }) => {
            cli::token::run(action, &KeyringStore::default(), std::io::stdin().lock())
        }
        Some(Command::FakeServer {
            port,
            token,
            profile,
        }) => runtime.block_on(cli::fake_server::run(port, token, &profile)),
        None => open_window(&runtime, args.file, args.demo, data_dir.as_deref().ok()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            cli::output::note(&format!("{err:#}"));
            ExitCode::FAILURE
        }
    }
}

/// Opens the desktop app; with `demo`, against the built-in fake service and the sample file.
fn open_window(
    runtime: &tokio::runtime::Runtime,
    file: Option<PathBuf>,
    is_demo: bool,
    data_dir: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    // The demo starts from a fresh sample each time, so its edits are not journalled.
    let recovery_dir = data_dir
        .filter(|_| !is_demo)
        .map(naam_enrich::recovery::folder);
    let (store, demo, token_store, file): (_, _, Arc<dyn TokenStore>, _) = if is_demo {
        let fake = runtime
            .block_on(fake::FakeNaam::start(fake::FakeConfig {
                // Names trickle in over a few seconds, as from the real service, so the demo
                // shows the table filling up.
                processing_delay: std::time::Duration::from_secs(6),
                ..fake::FakeConfig::demo(ApiToken::demo(), fake::FakeProfile::PartialResults)
            }))
            .context("The built-in demo service could not start")?;
        let token_store = MemoryStore::new();
        token_store.save(DEMO_TOKEN)?;
        let demo_file = match file {
            Some(file) => file,
            None => naam_enrich::app::demo_file(data_dir)?,
        };
        let demo = DemoService {
            api_url: fake.base_url().as_str().to_owned(),
            handle: Box::new(fake),
        };
        // The demo's names are made up: keep them out of the real cache.
        (
            Some(Arc::new(Store::open_in_memory()?)),
            Some(demo),
            Arc::new(token_store),
            Some(demo_file),
        )
    } else {
        let store = match data_dir.map(Store::open_in) {
            Some(Ok(store)) => Some(Arc::new(store)),
            Some(Err(err)) => {
                tracing::error!("the job store could not be opened: {err}");
                None
            }
            None => None,
        };
        (store, None, Arc::new(KeyringStore::default()), file)
    };
    app::run_native(AppOptions {
        runtime: runtime.handle().clone(),
        token_store,
        file,
        demo,
        store,
        settings: None,
        recovery_dir,
    })
}
