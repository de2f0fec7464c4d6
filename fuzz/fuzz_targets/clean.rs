//! Fuzzes the phone-number cleaner with arbitrary text: it must never panic, a valid Indian
//! number must be 10 digits starting 6-9, and cleaning a result again must give it back.
//!
//! Run with `cargo +nightly fuzz run clean` from the repository root.

#![no_main]

use libfuzzer_sys::fuzz_target;
use naam_enrich::phone::{Region, clean};

fuzz_target!(|data: &[u8]| {
    let Ok(cell) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(number) = clean(cell, Region::INDIA) {
        let national = number.national();
        assert_eq!(national.len(), 10, "{cell:?}");
        assert!(
            national.starts_with(['6', '7', '8', '9']),
            "{cell:?} gave {national}"
        );
        assert!(national.bytes().all(|byte| byte.is_ascii_digit()), "{cell:?}");
        let again = clean(national, Region::INDIA).map(|number| number.national().to_owned());
        assert_eq!(again.as_deref(), Ok(national), "{cell:?}");
        assert_eq!(number.e164(), format!("+91{national}"));
    }
    if let Ok(emirates) = "AE".parse::<Region>() {
        if let Ok(number) = clean(cell, emirates) {
            let again = clean(number.national(), emirates).map(|again| again.e164());
            assert_eq!(again.as_deref(), Ok(number.e164().as_str()), "{cell:?}");
        }
    }
});
