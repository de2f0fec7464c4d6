//! The settings that are not secret, and where the app keeps its data.
//!
//! The desktop app saves [`Settings`] with its window state (eframe persistence); the command
//! line takes the same values from flags and environment variables. The token is not here: it
//! lives in the keyring (see `secrets`).

use std::path::PathBuf;

/// The Naam service the app talks to unless told otherwise.
pub const DEFAULT_API_URL: &str = "https://app.naam.ai";

/// The environment variable that moves the app's data folder (job store, cache, logs).
pub const HOME_ENV: &str = "NAAM_ENRICH_HOME";

/// Settings a user can change that are safe to save in plain files.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The address of the Naam service.
    pub api_url: String,
    /// The two-letter region numbers are read in when they have no country code.
    pub region: String,
    /// How many numbers go into one bulk request.
    pub bulk_size: usize,
    /// How many days a looked-up name stays fresh in the local cache.
    pub cache_max_age_days: u32,
    /// Jobs that use more credits than this ask for confirmation first.
    pub confirm_over_credits: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            api_url: DEFAULT_API_URL.to_owned(),
            region: "IN".to_owned(),
            bulk_size: 500,
            cache_max_age_days: 30,
            confirm_over_credits: 1_000,
        }
    }
}

/// The app's data folder could not be found or made.
#[derive(Debug, thiserror::Error)]
pub enum DataDirError {
    /// The operating system did not say where per-user data goes.
    #[error(
        "Could not find a folder for the app's data; set {HOME_ENV} to a folder you can write."
    )]
    Unknown,
    /// The folder could not be created.
    #[error("Could not create the app's data folder: {source}: {}", path.display())]
    Create {
        /// The folder that was to be made.
        path: PathBuf,
        /// Why it failed.
        source: std::io::Error,
    },
}

/// The folder for the job store, the cache, logs and recovery files, created when missing.
///
/// `NAAM_ENRICH_HOME` wins when set; otherwise the operating system's per-user data folder.
///
/// # Errors
/// When no folder is known or it cannot be created.
pub fn data_dir() -> Result<PathBuf, DataDirError> {
    let path = match std::env::var_os(HOME_ENV).filter(|value| !value.is_empty()) {
        Some(home) => PathBuf::from(home),
        None => directories::ProjectDirs::from("ai", "naam", "Enrich")
            .ok_or(DataDirError::Unknown)?
            .data_dir()
            .to_path_buf(),
    };
    std::fs::create_dir_all(&path).map_err(|source| DataDirError::Create {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_fields_take_their_defaults() {
        let settings: Settings = serde_json::from_str(r#"{"region":"GB"}"#).unwrap();
        assert_eq!(settings.region, "GB");
        assert_eq!(settings.api_url, DEFAULT_API_URL);
        assert_eq!(settings.bulk_size, 500);
    }
}
