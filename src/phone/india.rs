//! India's mobile numbers: 10 digits starting 6 to 9, told apart from landlines by the library.
//!
//! Indian landlines in cities such as Bengaluru (080) or Ahmedabad (079) also start with 6-9
//! once their trunk `0` is dropped, so the first digit alone cannot say "mobile". The library's
//! metadata can, and for India its verdict depends only on the first six digits. We therefore
//! ask the library once per six-digit prefix and remember the answer in a small table: the
//! common case (a plain 10-digit cell) then costs a table read, and a number gets the same
//! verdict whatever shape it was written in.

use std::sync::atomic::{AtomicU8, Ordering};

use rlibphonenumber::{PhoneNumber, PhoneNumberType};

use super::invalid::{Invalid, LineKind};
use super::number::Number;

/// India's calling code.
pub(crate) const CALLING_CODE: u16 = 91;

/// How many digits an Indian mobile number has without prefixes.
pub(crate) const NATIONAL_LEN: usize = 10;

/// How many leading digits decide the library's verdict for India.
const PREFIX_DIGITS: u32 = 6;

/// The first six-digit prefix of a mobile-looking number (600000).
const FIRST_PREFIX: u64 = 6 * 10_u64.pow(PREFIX_DIGITS - 1);

/// How many six-digit prefixes start with 6, 7, 8 or 9.
const PREFIX_COUNT: usize = 400_000;

/// What the library said about a prefix; 0 means "not asked yet".
const NOT_ASKED: u8 = 0;
/// The prefix belongs to mobiles (or to numbers that may be either, which we accept).
const MOBILE: u8 = 1;
/// The prefix belongs to landlines.
const LANDLINE: u8 = 2;
/// The prefix belongs to service numbers.
const SERVICE: u8 = 3;

/// The remembered verdicts, one byte per six-digit prefix from 600000 to 999999 (400 kB).
///
/// Two threads may ask the library about the same prefix at once; both store the same answer,
/// so relaxed ordering is enough.
static VERDICTS: [AtomicU8; PREFIX_COUNT] = [const { AtomicU8::new(NOT_ASKED) }; PREFIX_COUNT];

/// Checks a 10-digit Indian national number (no `+91`, no leading `0`).
///
/// `national` must be exactly [`NATIONAL_LEN`] ASCII digits; anything else is reported as too
/// short, too long or not a number.
pub(crate) fn check_national(national: &[u8]) -> Result<Number, Invalid> {
    if national.len() < NATIONAL_LEN {
        return Err(Invalid::TooShort {
            digits: national.len(),
            expected: NATIONAL_LEN,
        });
    }
    if national.len() > NATIONAL_LEN {
        return Err(Invalid::TooLong {
            digits: national.len(),
            expected: NATIONAL_LEN,
        });
    }
    let Some(value) = digits_value(national) else {
        return Err(Invalid::NotANumber);
    };
    if is_placeholder(national) {
        return Err(Invalid::Placeholder);
    }
    let first = value / 10_u64.pow(9);
    let verdict = if first >= 6 {
        remembered_verdict(value)
    } else {
        match ask_library(value) {
            PhoneNumberType::FixedLine | PhoneNumberType::FixedLineOrMobile => LANDLINE,
            // Only 6-9 numbers are mobiles we can send, whatever the metadata says about
            // other ranges (the 1600 range is for bank and government calls).
            PhoneNumberType::Unknown => return Err(Invalid::NotANumber),
            _ => SERVICE,
        }
    };
    match verdict {
        LANDLINE => Err(Invalid::NotMobile {
            kind: LineKind::Landline,
        }),
        SERVICE => Err(Invalid::NotMobile {
            kind: LineKind::Service,
        }),
        _ => Number::new(CALLING_CODE, national).ok_or(Invalid::NotANumber),
    }
}

/// True for fillers such as `9999999999` or `0000000000`: every digit the same.
pub(crate) fn is_placeholder(digits: &[u8]) -> bool {
    match digits.split_first() {
        Some((first, rest)) => rest.iter().all(|digit| digit == first),
        None => false,
    }
}

/// The value of a run of ASCII digits, or `None` if it is empty, too long or not all digits.
fn digits_value(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || digits.len() > 19 {
        return None;
    }
    digits.iter().try_fold(0_u64, |value, &digit| {
        digit
            .is_ascii_digit()
            .then(|| value * 10 + u64::from(digit - b'0'))
    })
}

/// The verdict for a 10-digit number starting 6-9, from the table or (once) from the library.
fn remembered_verdict(value: u64) -> u8 {
    let prefix = value / 10_u64.pow(10 - PREFIX_DIGITS);
    let slot = usize::try_from(prefix.saturating_sub(FIRST_PREFIX))
        .ok()
        .and_then(|index| VERDICTS.get(index));
    if let Some(slot) = slot {
        let known = slot.load(Ordering::Relaxed);
        if known != NOT_ASKED {
            return known;
        }
    }
    let verdict = match ask_library(value) {
        PhoneNumberType::FixedLine => LANDLINE,
        // Numbers the metadata does not know yet are accepted: new mobile ranges are opened
        // faster than the metadata is updated, and rejecting a real customer's number loses
        // more than one lookup costs.
        PhoneNumberType::Mobile | PhoneNumberType::FixedLineOrMobile | PhoneNumberType::Unknown => {
            MOBILE
        }
        _ => SERVICE,
    };
    if let Some(slot) = slot {
        slot.store(verdict, Ordering::Relaxed);
    }
    verdict
}

/// What the library says an Indian national number is.
fn ask_library(value: u64) -> PhoneNumberType {
    let number = PhoneNumber {
        country_code: i32::from(CALLING_CODE),
        national_number: value,
        ..PhoneNumber::default()
    };
    number.get_type()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_mobiles_starting_6_to_9() {
        for national in ["9876543210", "8765432109", "7012345678", "6012345678"] {
            let number = check_national(national.as_bytes()).unwrap();
            assert_eq!(number.national(), national);
            assert_eq!(number.calling_code(), 91);
        }
    }

    #[test]
    fn tells_landlines_from_mobiles_even_when_they_start_with_8() {
        // Bengaluru landline: 080 2345 6789.
        assert_eq!(
            check_national(b"8023456789"),
            Err(Invalid::NotMobile {
                kind: LineKind::Landline
            })
        );
        // Patna landline: 0612 345 6789.
        assert_eq!(
            check_national(b"6123456789"),
            Err(Invalid::NotMobile {
                kind: LineKind::Landline
            })
        );
        // Delhi landline: 011 2345 6789.
        assert_eq!(
            check_national(b"1123456789"),
            Err(Invalid::NotMobile {
                kind: LineKind::Landline
            })
        );
        // Asked twice: the remembered verdict is the same.
        assert_eq!(check_national(b"8023456780"), check_national(b"8023456789"));
    }

    #[test]
    fn toll_free_and_unknown_ranges_are_not_mobiles() {
        assert_eq!(
            check_national(b"1800123456"),
            Err(Invalid::NotMobile {
                kind: LineKind::Service
            })
        );
        assert_eq!(check_national(b"0123456789"), Err(Invalid::NotANumber));
    }

    #[test]
    fn placeholders_and_lengths() {
        assert_eq!(check_national(b"9999999999"), Err(Invalid::Placeholder));
        assert_eq!(check_national(b"0000000000"), Err(Invalid::Placeholder));
        assert_eq!(
            check_national(b"987654321"),
            Err(Invalid::TooShort {
                digits: 9,
                expected: 10
            })
        );
        assert_eq!(
            check_national(b"98765432101"),
            Err(Invalid::TooLong {
                digits: 11,
                expected: 10
            })
        );
        assert_eq!(check_national(b"98765x3210"), Err(Invalid::NotANumber));
    }

    #[test]
    fn the_table_agrees_with_the_library_across_many_numbers() {
        // Walk prefixes with a stride that visits every first digit and many ranges. For each
        // prefix one number fills the table; a second number with the same prefix but other
        // last four digits must get the verdict a fresh library call gives it.
        let classify = |value| match ask_library(value) {
            PhoneNumberType::FixedLine => LANDLINE,
            PhoneNumberType::Mobile
            | PhoneNumberType::FixedLineOrMobile
            | PhoneNumberType::Unknown => MOBILE,
            _ => SERVICE,
        };
        let mut value: u64 = 6_000_000_000;
        let mut landlines = 0;
        while value < 10_000_000_000 {
            let sibling = value - value % 10_000 + (9_999 - value % 10_000);
            remembered_verdict(value);
            let verdict = remembered_verdict(sibling);
            assert_eq!(verdict, classify(sibling), "{value} then {sibling}");
            landlines += usize::from(verdict == LANDLINE);
            value += 987_653;
        }
        // The walk must have met landline ranges, or it proves little.
        assert!(landlines > 100, "{landlines}");
    }
}
