//! A cleaned, valid mobile number: what we send to Naam and what we show.

use std::fmt;

/// The most digits a national number can have (E.164 allows 15 with the country code).
pub(crate) const MAX_NATIONAL_DIGITS: usize = 15;

/// A valid mobile number taken from one cell.
///
/// It holds the national significant number (for India the 10 digits we send to Naam), the
/// country calling code, and how many further numbers the cell held (the first usable one was
/// taken). It is small and `Copy`, so a plan for a million rows stays compact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Number {
    /// The country calling code, such as 91.
    calling_code: u16,
    /// How many bytes of `digits` are used.
    len: u8,
    /// ASCII digits of the national number; unused bytes are zero so equality and hashing work.
    digits: [u8; MAX_NATIONAL_DIGITS],
    /// How many other numbers the cell held besides this one (saturating).
    other_numbers: u8,
}

impl Number {
    /// Builds a number from its calling code and national digits, or `None` when `national` is
    /// empty, too long for E.164 or holds anything but ASCII digits.
    pub(crate) fn new(calling_code: u16, national: &[u8]) -> Option<Self> {
        if national.is_empty()
            || national.len() > MAX_NATIONAL_DIGITS
            || !national.iter().all(u8::is_ascii_digit)
        {
            return None;
        }
        let mut digits = [0; MAX_NATIONAL_DIGITS];
        digits.get_mut(..national.len())?.copy_from_slice(national);
        Some(Self {
            calling_code,
            len: u8::try_from(national.len()).ok()?,
            digits,
            other_numbers: 0,
        })
    }

    /// The same number, noting that the cell held `other_numbers` more.
    pub(crate) fn with_other_numbers(mut self, other_numbers: usize) -> Self {
        self.other_numbers = u8::try_from(other_numbers).unwrap_or(u8::MAX);
        self
    }

    /// The national number, digits only: for India the 10 digits we send to Naam.
    #[must_use]
    pub fn national(&self) -> &str {
        let digits = self.digits.get(..usize::from(self.len)).unwrap_or_default();
        // Only ASCII digits are ever stored, so this never falls back.
        std::str::from_utf8(digits).unwrap_or_default()
    }

    /// The country calling code, such as 91 for India.
    #[must_use]
    pub const fn calling_code(&self) -> u16 {
        self.calling_code
    }

    /// The international E.164 form, such as `+919876543210`.
    #[must_use]
    pub fn e164(&self) -> String {
        format!("+{}{}", self.calling_code, self.national())
    }

    /// How many other numbers the cell held besides the one used (0 for most cells).
    #[must_use]
    pub const fn other_numbers(&self) -> usize {
        self.other_numbers as usize
    }

    /// A sentence for the row's status when the cell held more than one number.
    #[must_use]
    pub fn note(&self) -> Option<String> {
        match self.other_numbers {
            0 => None,
            1 => Some("the cell holds 2 numbers; the first usable one was looked up".to_owned()),
            more => Some(format!(
                "the cell holds {} numbers; the first usable one was looked up",
                u16::from(more) + 1
            )),
        }
    }

    /// The number without the note about other numbers: two cells with the same number give
    /// the same identity, which is what duplicates are found by.
    pub(crate) fn identity(self) -> Self {
        self.with_other_numbers(0)
    }
}

impl fmt::Display for Number {
    /// Shows the E.164 form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "+{}{}", self.calling_code, self.national())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_national_and_e164_forms() {
        let number = Number::new(91, b"9876543210").unwrap();
        assert_eq!(number.national(), "9876543210");
        assert_eq!(number.e164(), "+919876543210");
        assert_eq!(number.to_string(), "+919876543210");
        assert_eq!(number.calling_code(), 91);
        assert_eq!(number.other_numbers(), 0);
        assert_eq!(number.note(), None);
    }

    #[test]
    fn rejects_what_is_not_national_digits() {
        assert_eq!(Number::new(91, b""), None);
        assert_eq!(Number::new(91, b"98765x3210"), None);
        assert_eq!(Number::new(91, b"1234567890123456"), None);
        assert!(Number::new(91, b"123456789012345").is_some());
    }

    #[test]
    fn notes_other_numbers_and_ignores_them_for_identity() {
        let single = Number::new(91, b"9876543210").unwrap();
        let first_of_two = single.with_other_numbers(1);
        assert_eq!(first_of_two.other_numbers(), 1);
        assert_eq!(
            first_of_two.note().unwrap(),
            "the cell holds 2 numbers; the first usable one was looked up"
        );
        assert_eq!(
            single.with_other_numbers(2).note().unwrap(),
            "the cell holds 3 numbers; the first usable one was looked up"
        );
        assert_ne!(first_of_two, single);
        assert_eq!(first_of_two.identity(), single);
        assert_eq!(single.with_other_numbers(1000).other_numbers(), 255);
    }
}
