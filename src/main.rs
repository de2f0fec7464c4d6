//! The `naam-enrich` binary: reads the command line and runs the chosen command.
//!
//! With no command it opens the desktop app; the headless commands share the same core.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use naam_enrich::cli::{self, token::TokenAction};
use naam_enrich::secrets::KeyringStore;
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
    /// Keep, check or remove the API token in the system keyring.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
}

fn main() -> ExitCode {
    let args = Args::parse();
    let data_dir = settings::data_dir();
    let _log_guard = logging::init(data_dir.as_deref().ok(), args.verbose);

    let result = match args.command {
        Some(Command::Token { action }) => {
            cli::token::run(action, &KeyringStore::default(), std::io::stdin().lock())
        }
        None => Err(anyhow::anyhow!(
            "The desktop window is not built yet; see `naam-enrich --help` for the commands."
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            cli::output::note(&format!("{err:#}"));
            ExitCode::FAILURE
        }
    }
}
