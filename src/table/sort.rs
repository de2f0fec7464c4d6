//! The orders a column can be sorted in.
//!
//! Office staff expect "Item 9" before "Item 10" and do not care about upper and lower case, so
//! both orders fold case, and the natural order compares digit runs by their value.

use std::borrow::Cow;
use std::cmp::Ordering;

use super::edit::SortKind;

/// The comparison key for one cell: lower-cased, allocating only when the cell has capitals.
pub(crate) fn sort_key(cell: Cow<'_, str>) -> Cow<'_, str> {
    if cell.chars().any(char::is_uppercase) {
        Cow::Owned(cell.to_lowercase())
    } else {
        cell
    }
}

/// Compares two keys made by [`sort_key`], blanks last whatever the direction.
pub(crate) fn compare_keys(a: &str, b: &str, kind: SortKind, descending: bool) -> Ordering {
    let (a_blank, b_blank) = (a.trim().is_empty(), b.trim().is_empty());
    match (a_blank, b_blank) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => {
            let order = match kind {
                SortKind::Text => a.cmp(b),
                SortKind::Natural => natural_cmp(a, b),
            };
            if descending { order.reverse() } else { order }
        }
    }
}

/// Splits off the leading run of ASCII digits of `text`.
fn split_digits(text: &str) -> (&str, &str) {
    let len = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    text.split_at_checked(len).unwrap_or((text, ""))
}

/// Compares text with runs of digits taken as whole numbers.
pub(crate) fn natural_cmp(mut a: &str, mut b: &str) -> Ordering {
    loop {
        let (Some(x), Some(y)) = (a.chars().next(), b.chars().next()) else {
            // Whichever text ran out first is smaller; both empty are equal.
            return b.is_empty().cmp(&a.is_empty());
        };
        if x.is_ascii_digit() && y.is_ascii_digit() {
            let (a_run, a_rest) = split_digits(a);
            let (b_run, b_rest) = split_digits(b);
            let a_num = a_run.trim_start_matches('0');
            let b_num = b_run.trim_start_matches('0');
            let order = a_num.len().cmp(&b_num.len()).then_with(|| a_num.cmp(b_num));
            if order != Ordering::Equal {
                return order;
            }
            a = a_rest;
            b = b_rest;
        } else {
            if x != y {
                return x.cmp(&y);
            }
            a = a.get(x.len_utf8()..).unwrap_or_default();
            b = b.get(y.len_utf8()..).unwrap_or_default();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_compares_numbers_by_value() {
        assert_eq!(natural_cmp("item9", "item10"), Ordering::Less);
        assert_eq!(natural_cmp("item10", "item9"), Ordering::Greater);
        assert_eq!(natural_cmp("007", "7"), Ordering::Equal);
        assert_eq!(natural_cmp("a", "ab"), Ordering::Less);
        assert_eq!(natural_cmp("", ""), Ordering::Equal);
        assert_eq!(natural_cmp("2b", "2a"), Ordering::Greater);
        assert_eq!(
            natural_cmp("98765432109876543210", "98765432109876543211"),
            Ordering::Less
        );
    }

    #[test]
    fn blanks_go_last_both_ways() {
        assert_eq!(
            compare_keys("", "a", SortKind::Text, false),
            Ordering::Greater
        );
        assert_eq!(
            compare_keys("", "a", SortKind::Text, true),
            Ordering::Greater
        );
        assert_eq!(
            compare_keys("a", "b", SortKind::Text, true),
            Ordering::Greater
        );
    }

    #[test]
    fn keys_fold_case() {
        assert_eq!(sort_key(Cow::Borrowed("ÄBC")), "äbc");
        assert!(matches!(sort_key(Cow::Borrowed("abc")), Cow::Borrowed(_)));
    }
}
