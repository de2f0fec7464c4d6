//! Properties of the phone-number cleaner that must hold for every input, checked with
//! proptest: it never panics, it is idempotent on its own output, a valid Indian result is
//! always 10 digits starting 6-9, and the shape a number is written in never changes its
//! verdict.

use naam_enrich::phone::{Plan, Region, clean};
use proptest::prelude::*;

/// An Indian mobile-looking national number: 10 digits starting 6-9.
fn mobile_looking() -> impl Strategy<Value = String> {
    "[6-9][0-9]{9}"
}

/// Writes a 10-digit national number in one of the shapes people and exports use.
fn shaped(national: &str, shape: usize) -> String {
    let (head, tail) = national.split_at(5);
    match shape % 12 {
        0 => format!("+91 {head} {tail}"),
        1 => format!("+91-{head}-{tail}"),
        2 => format!("(+91) {head} {tail}"),
        3 => format!("0091{national}"),
        4 => format!("91{national}"),
        5 => format!("0{head}-{tail}"),
        6 => format!("\u{a0}{head}\u{200b}{tail}\u{a0}"),
        7 => format!("{national}.0"),
        8 => format!("{}.{}E+09", &national[..1], &national[1..]),
        9 => format!("{head}.{tail}"),
        10 => format!("{national} / 9876543210"),
        _ => format!("'{national}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn never_panics_on_any_text(cell in any::<String>()) {
        let _ = clean(&cell, Region::INDIA);
        let _ = clean(&cell, "AE".parse().unwrap());
    }

    #[test]
    fn never_panics_on_phone_like_text(cell in "[ +0-9()./,;eE\u{a0}\u{200b}-]{0,40}") {
        let _ = clean(&cell, Region::INDIA);
        let _ = clean(&cell, "GB".parse().unwrap());
    }

    #[test]
    fn valid_indian_numbers_are_ten_digits_starting_6_to_9(
        cell in "[ +0-9()-]{0,20}|[6-9][0-9]{9}|\\+91[6-9][0-9]{9}"
    ) {
        if let Ok(number) = clean(&cell, Region::INDIA) {
            let national = number.national();
            prop_assert_eq!(national.len(), 10);
            prop_assert!(national.bytes().all(|byte| byte.is_ascii_digit()));
            prop_assert!(matches!(national.as_bytes()[0], b'6'..=b'9'), "{}", national);
            prop_assert_eq!(number.e164(), format!("+91{national}"));
        }
    }

    #[test]
    fn cleaning_is_idempotent_on_its_own_output(
        cell in "[ +0-9()-]{0,20}|[6-9][0-9]{9}|\\+91 [6-9][0-9]{4} [0-9]{5}"
    ) {
        if let Ok(number) = clean(&cell, Region::INDIA) {
            let again = clean(number.national(), Region::INDIA).unwrap();
            prop_assert_eq!(again.national(), number.national());
            let from_e164 = clean(&number.e164(), Region::INDIA).unwrap();
            prop_assert_eq!(from_e164.national(), number.national());
        }
    }

    #[test]
    fn the_shape_never_changes_the_verdict(national in mobile_looking(), shape in 0_usize..12) {
        let plain = clean(&national, Region::INDIA).map(|number| number.national().to_owned());
        let written = clean(&shaped(&national, shape), Region::INDIA)
            .map(|number| number.national().to_owned());
        match (&plain, &written) {
            // The second number in shape 10 may stand in when the first is unusable.
            (Err(_), Ok(used)) if shape % 12 == 10 => prop_assert_eq!(used, "9876543210"),
            _ => prop_assert_eq!(plain, written),
        }
    }

    #[test]
    fn other_regions_are_idempotent_too(cell in "\\+971 5[0-9] [0-9]{3} [0-9]{4}|0[0-9]{8,9}") {
        let emirates: Region = "AE".parse().unwrap();
        if let Ok(number) = clean(&cell, emirates) {
            let again = clean(number.national(), emirates).unwrap();
            prop_assert_eq!(again.national(), number.national());
            prop_assert_eq!(again.e164(), number.e164());
        }
    }

    #[test]
    fn plan_counts_add_up(cells in prop::collection::vec(
        "[6-9][0-9]{9}|[6-9]00000000[0-2]|\\+91 9[0-9]{9}|[a-z]{0,3}|[0-9]{0,12}", 0..60
    )) {
        let mut plan = Plan::from_cells(&cells, Region::INDIA);
        prop_assert_eq!(plan.num_rows(), cells.len());
        prop_assert_eq!(plan.num_valid() + plan.num_invalid(), plan.num_rows());
        prop_assert_eq!(plan.invalid_by_reason().values().sum::<usize>(), plan.num_invalid());
        prop_assert_eq!(plan.unique().len() + plan.num_duplicates(), plan.num_valid());
        plan.exclude_cached(|national| national.ends_with('0'));
        prop_assert_eq!(plan.to_submit().len() + plan.num_cached(), plan.unique().len());
        let mut seen = std::collections::HashSet::new();
        prop_assert!(plan.to_submit().iter().all(|number| seen.insert(number.national())));
    }
}
