//! The API token: where it is kept, and nowhere else.
//!
//! The token goes to the operating system's keyring (Windows Credential Manager, the macOS
//! Keychain, the Secret Service on Linux) through the `keyring` crate. Everything that needs it
//! goes through the small [`TokenStore`] trait, so tests and the "keep it for this session only"
//! fallback can use [`MemoryStore`] instead of the real keyring. The token itself is never logged
//! and never written to a file by this module.

use std::sync::Mutex;

/// The keyring service name the token is stored under, the same as the app id.
pub const KEYRING_SERVICE: &str = "ai.naam.Enrich";

/// The keyring user name the token is stored under.
pub const KEYRING_USER: &str = "naam-api-token";

/// What can go wrong while storing or reading the token, in words for office staff.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// No keyring service could be reached at all.
    #[error(
        "This computer has no keyring to keep the token in. On Linux this needs a Secret \
         Service such as GNOME Keyring or KWallet; you can keep the token for this session \
         only instead."
    )]
    Unavailable {
        /// What the keyring library reported, for support: logged, not shown.
        detail: String,
    },

    /// The keyring exists but refused access, for example because it is locked.
    #[error("The keyring refused access to the token ({detail}). Unlock it and try again.")]
    NoAccess {
        /// What the keyring library reported, for support.
        detail: String,
    },

    /// The keyring answered, but the operation failed.
    #[error("The keyring could not {action} the token: {detail}")]
    Failed {
        /// What was being done: "save", "read" or "remove".
        action: &'static str,
        /// What the keyring library reported, for support.
        detail: String,
    },

    /// The token given was empty or only spaces.
    #[error("The token is empty. Paste the API token from your Naam dashboard.")]
    Empty,
}

/// A place that keeps the API token.
pub trait TokenStore: Send + Sync {
    /// Reads the stored token; `Ok(None)` when none is stored.
    ///
    /// # Errors
    /// When the store cannot be reached or refuses access.
    fn load(&self) -> Result<Option<String>, SecretError>;

    /// Stores `token`, replacing any earlier one. Surrounding spaces are trimmed first.
    ///
    /// # Errors
    /// When the token is empty, or the store cannot be reached or refuses the write.
    fn save(&self, token: &str) -> Result<(), SecretError>;

    /// Removes the stored token; removing a token that is not there is not an error.
    ///
    /// # Errors
    /// When the store cannot be reached or refuses the removal.
    fn delete(&self) -> Result<(), SecretError>;

    /// Where the token is kept, in words ("the system keyring").
    fn describe(&self) -> &'static str;
}

/// Trims a pasted token and refuses an empty one.
fn clean_token(token: &str) -> Result<&str, SecretError> {
    let token = token.trim();
    if token.is_empty() {
        Err(SecretError::Empty)
    } else {
        Ok(token)
    }
}

/// The operating system's keyring.
#[derive(Debug, Clone)]
pub struct KeyringStore {
    service: String,
    user: String,
}

impl Default for KeyringStore {
    fn default() -> Self {
        Self::new(KEYRING_SERVICE, KEYRING_USER)
    }
}

impl KeyringStore {
    /// A store for the entry `service`/`user`; tests use their own names so they never touch
    /// the real token.
    pub fn new(service: impl Into<String>, user: impl Into<String>) -> Self {
        Self {
            service: service.into(),
            user: user.into(),
        }
    }

    fn entry(&self) -> Result<keyring::Entry, SecretError> {
        keyring::Entry::new(&self.service, &self.user).map_err(|err| map_keyring_error(err, "open"))
    }
}

/// Turns a keyring error into ours, without ever including a secret.
fn map_keyring_error(err: keyring::Error, action: &'static str) -> SecretError {
    let mapped = map_keyring_error_quietly(err, action);
    if let SecretError::Unavailable { detail } = &mapped {
        tracing::warn!("no keyring could be reached to {action} the token: {detail}");
    }
    mapped
}

fn map_keyring_error_quietly(err: keyring::Error, action: &'static str) -> SecretError {
    match err {
        keyring::Error::NoDefaultStore => SecretError::Unavailable {
            detail: err.to_string(),
        },
        keyring::Error::NoStorageAccess(_) => SecretError::NoAccess {
            detail: err.to_string(),
        },
        // These variants carry the stored bytes; describe them without their payload.
        keyring::Error::BadEncoding(_) => SecretError::Failed {
            action,
            detail: "the stored token is not text".to_owned(),
        },
        keyring::Error::BadDataFormat(_, _) => SecretError::Failed {
            action,
            detail: "the stored token is damaged".to_owned(),
        },
        keyring::Error::PlatformFailure(platform) => {
            let detail = platform.to_string();
            // Without a Secret Service on the session bus every call fails this way.
            if detail.contains("org.freedesktop.secrets") || detail.contains("D-Bus") {
                SecretError::Unavailable { detail }
            } else {
                SecretError::Failed { action, detail }
            }
        }
        other => SecretError::Failed {
            action,
            detail: other.to_string(),
        },
    }
}

impl TokenStore for KeyringStore {
    fn load(&self) -> Result<Option<String>, SecretError> {
        match self.entry()?.get_password() {
            Ok(token) => Ok(Some(token)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(err) => Err(map_keyring_error(err, "read")),
        }
    }

    fn save(&self, token: &str) -> Result<(), SecretError> {
        let token = clean_token(token)?;
        self.entry()?
            .set_password(token)
            .map_err(|err| map_keyring_error(err, "save"))
    }

    fn delete(&self) -> Result<(), SecretError> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(err) => Err(map_keyring_error(err, "remove")),
        }
    }

    fn describe(&self) -> &'static str {
        "the system keyring"
    }
}

/// A token kept in memory only: for tests, and for a desktop without a keyring when the user
/// chooses to keep the token for this session only.
#[derive(Default)]
pub struct MemoryStore {
    token: Mutex<Option<String>>,
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MemoryStore(****)")
    }
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<String>> {
        // A poisoned lock only means another thread panicked mid-assignment of an Option,
        // which leaves it in a valid state: carry on with it.
        self.token
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl TokenStore for MemoryStore {
    fn load(&self) -> Result<Option<String>, SecretError> {
        Ok(self.slot().clone())
    }

    fn save(&self, token: &str) -> Result<(), SecretError> {
        let token = clean_token(token)?;
        *self.slot() = Some(token.to_owned());
        Ok(())
    }

    fn delete(&self) -> Result<(), SecretError> {
        *self.slot() = None;
        Ok(())
    }

    fn describe(&self) -> &'static str {
        "memory, for this session only"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_store_round_trip() {
        let store = MemoryStore::new();
        assert_eq!(store.load().unwrap(), None);
        store.save("  abc123\n").unwrap();
        assert_eq!(store.load().unwrap().as_deref(), Some("abc123"));
        store.delete().unwrap();
        assert_eq!(store.load().unwrap(), None);
        // Removing twice is fine.
        store.delete().unwrap();
    }

    #[test]
    fn empty_token_is_refused_with_words() {
        let store = MemoryStore::new();
        let err = store.save("   ").unwrap_err();
        assert!(matches!(err, SecretError::Empty));
        assert!(err.to_string().contains("Paste the API token"));
        assert_eq!(store.load().unwrap(), None);
    }

    #[test]
    fn memory_store_debug_hides_the_token() {
        let store = MemoryStore::new();
        store.save("very-secret-token").unwrap();
        assert!(!format!("{store:?}").contains("very-secret"));
    }

    #[test]
    fn damaged_entries_are_described_without_their_bytes() {
        let err = map_keyring_error(keyring::Error::BadEncoding(b"secret".to_vec()), "read");
        let text = err.to_string();
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("not text"), "{text}");
    }
}
