//! Naam's Bulk Number API: the client the app uses, and a fake service to test and demo against.
//!
//! Everything the app knows about Naam goes through [`Client`]; everything the tests and the
//! demo know about Naam comes from [`fake::FakeNaam`]. Both follow the public reference
//! (shared/naam-bulk-api.txt) and, where it is silent, DESIGN.md "What we know about the Naam
//! API": the client must work whatever Naam does in those gaps, and the fake offers each
//! plausible behaviour as a profile.

mod base_url;
mod client;
mod error;
pub mod fake;
mod mask;
mod reply;
mod retry;
mod token;
mod wire;

pub use base_url::{ApiBaseUrl, DEFAULT_BASE_URL};
pub use client::{Client, ClientConfig, Timeouts, USER_AGENT};
pub use error::{NaamError, NetworkFailure};
pub use mask::mask_number;
pub use retry::RetryPolicy;
pub use token::{ApiToken, DEMO_TOKEN};
pub use wire::{EnrichmentId, ResultRecord, ResultsPage};
