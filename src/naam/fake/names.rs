//! Deterministic caller names for the fake service.
//!
//! The same number always gets the same answer, so tests can check every merged cell with
//! [`expected_name`]. About one number in six has no name. About one in eight gets a name that is
//! awkward on purpose: Devanagari and Tamil script, commas and quotes, a leading `=`, `+`, `-`,
//! `@` or tab that a spreadsheet could take for a formula, and a line break, so that every layer
//! from the table to the saved file is exercised.

/// Ordinary first names.
const FIRST_NAMES: [&str; 16] = [
    "Aarav",
    "Priya",
    "Rohan",
    "Ananya",
    "Vikram",
    "Sneha",
    "Arjun",
    "Kavya",
    "Rahul",
    "Meera",
    "Karan",
    "Divya",
    "Siddharth",
    "Pooja",
    "Nikhil",
    "Lakshmi",
];

/// Ordinary surnames.
const SURNAMES: [&str; 12] = [
    "Sharma", "Iyer", "Patel", "Reddy", "Nair", "Gupta", "Singh", "Menon", "Das", "Kulkarni",
    "Bose", "Pillai",
];

/// Names that break naive code: other scripts, CSV specials, formula starters, line breaks.
pub(crate) const AWKWARD_NAMES: [&str; 12] = [
    "राहुल शर्मा",
    "प्रिया वर्मा",
    "முருகன் செல்வம்",
    "கவிதா ராஜன்",
    "Sharma, Rahul",
    "Anil \"Bunty\" Kapoor",
    "=HYPERLINK(\"http://example.com\",\"Click\")",
    "+91 Ravi Kumar",
    "-Meena Iyer",
    "@Suresh Nair",
    "Lakshmi\nNarayanan",
    "\tJoseph Mathew",
];

/// The name the fake service gives `number`, or `None` when it has no name for it.
///
/// Only the digits of `number` count, so `98765 43210` and `9876543210` get the same answer.
#[must_use]
pub fn expected_name(number: &str) -> Option<String> {
    let hash = digits_hash(number);
    if hash.is_multiple_of(6) {
        return None;
    }
    if (hash >> 8) % 8 == 1 {
        return pick(&AWKWARD_NAMES, hash >> 16).map(str::to_owned);
    }
    let first = pick(&FIRST_NAMES, hash >> 16)?;
    let last = pick(&SURNAMES, hash >> 32)?;
    Some(format!("{first} {last}"))
}

/// Picks an entry by a hash value.
fn pick<'a>(names: &[&'a str], hash: u64) -> Option<&'a str> {
    let len = u64::try_from(names.len()).ok()?;
    let idx = usize::try_from(hash % len).ok()?;
    names.get(idx).copied()
}

/// A stable hash (FNV-1a, then mixed) of the ASCII digits in `number`.
fn digits_hash(number: &str) -> u64 {
    let fnv = number
        .bytes()
        .filter(u8::is_ascii_digit)
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, digit| {
            (hash ^ u64::from(digit)).wrapping_mul(0x0100_0000_01b3)
        });
    super::state::splitmix64(fnv)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_numbers(count: u64) -> impl Iterator<Item = String> {
        (0..count).map(|idx| format!("98{:08}", idx * 7919))
    }

    #[test]
    fn names_are_stable_and_ignore_formatting() {
        assert_eq!(expected_name("9876543210"), expected_name("9876543210"));
        assert_eq!(expected_name("98765 43210"), expected_name("9876543210"));
        assert_eq!(
            expected_name("+91-98765-43210"),
            expected_name("919876543210")
        );
    }

    #[test]
    fn some_numbers_have_no_name_and_most_do() {
        let names: Vec<_> = sample_numbers(600).map(|n| expected_name(&n)).collect();
        let num_unknown = names.iter().filter(|name| name.is_none()).count();
        assert!((50..=160).contains(&num_unknown), "{num_unknown} of 600");
    }

    #[test]
    fn every_awkward_name_turns_up_in_a_modest_sample() {
        let names: Vec<_> = sample_numbers(3000)
            .filter_map(|n| expected_name(&n))
            .collect();
        for awkward in AWKWARD_NAMES {
            assert!(
                names.iter().any(|name| name == awkward),
                "{awkward:?} never appears"
            );
        }
    }

    #[test]
    fn awkward_names_cover_each_trap() {
        let has = |check: fn(&str) -> bool| AWKWARD_NAMES.iter().any(|name| check(name));
        assert!(has(|n| n
            .chars()
            .any(|c| ('\u{0900}'..='\u{097F}').contains(&c))));
        assert!(has(|n| n
            .chars()
            .any(|c| ('\u{0B80}'..='\u{0BFF}').contains(&c))));
        assert!(has(|n| n.contains(',')));
        assert!(has(|n| n.contains('"')));
        assert!(has(|n| n.contains('\n')));
        for lead in ['=', '+', '-', '@', '\t'] {
            assert!(
                AWKWARD_NAMES.iter().any(|n| n.starts_with(lead)),
                "{lead:?}"
            );
        }
    }
}
