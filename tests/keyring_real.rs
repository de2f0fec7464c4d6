//! The real keyring round trip: store a token, read it back, remove it.
//!
//! It needs a running Secret Service (GNOME Keyring, KWallet) on Linux, the Keychain on macOS or
//! the Credential Manager on Windows, so it is ignored by a plain `cargo test`;
//! `scripts/test` runs it inside a private D-Bus session with an unlocked gnome-keyring.

use naam_enrich::secrets::{KeyringStore, TokenStore};

#[test]
#[ignore = "needs a real keyring; scripts/test starts one"]
fn real_keyring_stores_reads_back_and_deletes() {
    // A test-only entry name, so a developer's real token is never touched.
    let store = KeyringStore::new("ai.naam.Enrich.test", format!("ci-{}", std::process::id()));
    store.delete().unwrap();
    assert_eq!(store.load().unwrap(), None);

    store.save("round-trip-token-Ω").unwrap();
    assert_eq!(store.load().unwrap().as_deref(), Some("round-trip-token-Ω"));

    store.save("replaced").unwrap();
    assert_eq!(store.load().unwrap().as_deref(), Some("replaced"));

    store.delete().unwrap();
    assert_eq!(store.load().unwrap(), None);
}
