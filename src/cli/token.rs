//! `naam-enrich token set | status | delete`: the API token from the command line.

use std::io::{BufRead, IsTerminal};

use anyhow::Context as _;

use crate::cli::output;
use crate::secrets::{SecretError, TokenStore};

/// What to do with the stored token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::Subcommand)]
pub enum TokenAction {
    /// Store the token read from standard input (one line) in the system keyring.
    Set,
    /// Say whether a token is stored, without showing it.
    Status,
    /// Remove the stored token.
    Delete,
}

/// Runs a token command against `store`, reading a new token from `input` for `set`.
///
/// # Errors
/// When the keyring cannot be used or no token was given.
pub fn run(action: TokenAction, store: &dyn TokenStore, input: impl BufRead) -> anyhow::Result<()> {
    match action {
        TokenAction::Set => {
            let token = read_token(input)?;
            store.save(&token)?;
            output::line(&format!("The token is saved in {}.", store.describe()));
        }
        TokenAction::Status => match store.load()? {
            Some(_) => output::line(&format!("A token is stored in {}.", store.describe())),
            None => output::line(
                "No token is stored. Run `naam-enrich token set` and paste it, or set \
                 NAAM_API_TOKEN.",
            ),
        },
        TokenAction::Delete => {
            store.delete()?;
            output::line(&format!(
                "No token is stored in {} any more.",
                store.describe()
            ));
        }
    }
    Ok(())
}

/// Reads the first line of `input` as the token.
fn read_token(mut input: impl BufRead) -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        output::note("Paste the API token from your Naam dashboard, then press Enter:");
    }
    let mut line = String::new();
    input
        .read_line(&mut line)
        .context("Could not read the token from standard input")?;
    let token = line.trim();
    if token.is_empty() {
        return Err(SecretError::Empty.into());
    }
    Ok(token.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::MemoryStore;

    #[test]
    fn set_reads_one_line_and_stores_it_trimmed() {
        let store = MemoryStore::new();
        run(TokenAction::Set, &store, &b"  tok-123  \nignored\n"[..]).unwrap();
        assert_eq!(store.load().unwrap().as_deref(), Some("tok-123"));
    }

    #[test]
    fn set_with_nothing_on_input_is_refused() {
        let store = MemoryStore::new();
        let err = run(TokenAction::Set, &store, &b"\n"[..]).unwrap_err();
        assert!(err.to_string().contains("token is empty"), "{err}");
        assert_eq!(store.load().unwrap(), None);
    }

    #[test]
    fn delete_removes_the_token() {
        let store = MemoryStore::new();
        store.save("abc").unwrap();
        run(TokenAction::Delete, &store, &b""[..]).unwrap();
        assert_eq!(store.load().unwrap(), None);
    }
}
