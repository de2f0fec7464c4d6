//! `naam-enrich fake-server`: the fake Naam service on its own, for trying the app or a script
//! without an account.

use anyhow::Context as _;

use crate::cli::output;
use crate::naam::ApiToken;
use crate::naam::fake::{self, FakeProfile};

/// Runs the fake service on `port` (0 for any free one) until Ctrl+C, accepting only `token`.
///
/// # Errors
/// An unknown profile, an unusable token, or a port that cannot be opened.
pub async fn run(port: u16, token: String, profile: &str) -> anyhow::Result<()> {
    let profile: FakeProfile = profile.parse()?;
    let token = ApiToken::new(token).context("The token for the fake service cannot be used")?;
    fake::run_standalone(port, token, profile, |address| {
        output::line(&format!(
            "The fake Naam service is listening on {}",
            address.as_str()
        ));
        output::note("Press Ctrl+C to stop it.");
    })
    .await?;
    Ok(())
}
