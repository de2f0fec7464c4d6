//! Finding a piece of text inside cells, with or without matching case.
//!
//! The find bar, replace and the quick filter all ask the same question of many cells, so the
//! needle is prepared once: an exact search uses `memchr`'s substring finder, a case-blind search
//! for plain ASCII text compares bytes, and only a case-blind search for other scripts folds
//! characters one by one.

use std::ops::Range;

use memchr::memmem;

/// How [`Matcher`] looks for its needle.
#[derive(Clone, Debug)]
enum Mode {
    /// Byte for byte.
    Exact(Box<memmem::Finder<'static>>),
    /// ASCII letters in either case; the needle is ASCII and stored in lower case.
    AsciiFold(Vec<u8>),
    /// Any letters in either case; the needle's characters, folded.
    Fold(Vec<char>),
}

/// A prepared search for one piece of text.
#[derive(Clone, Debug)]
pub(crate) struct Matcher {
    mode: Mode,
}

/// Folds one character for a case-blind comparison.
fn fold(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

impl Matcher {
    /// Prepares a search for `needle`; `None` when the needle is empty, which matches nothing.
    pub fn new(needle: &str, match_case: bool) -> Option<Self> {
        if needle.is_empty() {
            return None;
        }
        let mode = if match_case {
            Mode::Exact(Box::new(
                memmem::Finder::new(needle.as_bytes()).into_owned(),
            ))
        } else if needle.is_ascii() {
            Mode::AsciiFold(needle.as_bytes().to_ascii_lowercase())
        } else {
            Mode::Fold(needle.chars().map(fold).collect())
        };
        Some(Self { mode })
    }

    /// Whether `hay` contains the needle.
    pub fn is_match(&self, hay: &str) -> bool {
        self.find_from(hay, 0).is_some()
    }

    /// The byte range of the first match starting at or after byte `from` of `hay`.
    pub fn find_from(&self, hay: &str, from: usize) -> Option<Range<usize>> {
        let rest = hay.get(from..)?;
        let found = match &self.mode {
            Mode::Exact(finder) => finder
                .find(rest.as_bytes())
                .map(|start| start..start + finder.needle().len()),
            Mode::AsciiFold(needle) => find_ascii_fold(rest.as_bytes(), needle),
            Mode::Fold(needle) => find_fold(rest, needle),
        }?;
        Some(found.start + from..found.end + from)
    }

    /// `hay` with every match replaced by `with`; `None` when there is no match.
    pub fn replace_all(&self, hay: &str, with: &str) -> Option<String> {
        let mut found = self.find_from(hay, 0)?;
        let mut out = String::with_capacity(hay.len() + with.len());
        let mut copied = 0;
        loop {
            out.push_str(hay.get(copied..found.start).unwrap_or_default());
            out.push_str(with);
            copied = found.end;
            match self.find_from(hay, copied) {
                // A match never ends where it starts (the needle is not empty), so this ends.
                Some(next) => found = next,
                None => break,
            }
        }
        out.push_str(hay.get(copied..).unwrap_or_default());
        Some(out)
    }
}

/// Finds an ASCII needle (lower case) in `hay`, ignoring ASCII case.
fn find_ascii_fold(hay: &[u8], needle: &[u8]) -> Option<Range<usize>> {
    let (&first, tail) = needle.split_first()?;
    let upper = first.to_ascii_uppercase();
    let mut at = 0;
    while let Some(offset) = memchr::memchr2(first, upper, hay.get(at..)?) {
        let start = at + offset;
        let end = start + needle.len();
        let window = hay.get(start + 1..end)?;
        if window.eq_ignore_ascii_case(tail) {
            return Some(start..end);
        }
        at = start + 1;
    }
    None
}

/// Finds folded characters in `hay`, folding its characters as it goes.
fn find_fold(hay: &str, needle: &[char]) -> Option<Range<usize>> {
    for (start, _) in hay.char_indices() {
        let mut chars = hay.get(start..)?.char_indices();
        let mut end = start;
        let matched = needle.iter().all(|&wanted| match chars.next() {
            Some((offset, c)) if fold(c) == wanted => {
                end = start + offset + c.len_utf8();
                true
            }
            _ => false,
        });
        if matched {
            return Some(start..end);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_needle_matches_nothing() {
        assert!(Matcher::new("", false).is_none());
    }

    #[test]
    fn case_blind_and_exact() {
        let blind = Matcher::new("sHaRmA", false).unwrap();
        assert_eq!(blind.find_from("Ravi Sharma", 0), Some(5..11));
        assert!(!blind.is_match("Ravi Sharm"));
        let exact = Matcher::new("Sharma", true).unwrap();
        assert!(exact.is_match("Ravi Sharma"));
        assert!(!exact.is_match("ravi sharma"));
    }

    #[test]
    fn case_blind_outside_ascii() {
        let blind = Matcher::new("ÄRZTE", false).unwrap();
        assert_eq!(blind.find_from("die ärzte", 0), Some(4..10));
        let devanagari = Matcher::new("राम", false).unwrap();
        assert_eq!(devanagari.find_from("श्री राम", 0), Some(13..22));
    }

    #[test]
    fn find_from_skips_earlier_matches() {
        let matcher = Matcher::new("ab", false).unwrap();
        assert_eq!(matcher.find_from("abAB", 1), Some(2..4));
        assert_eq!(matcher.find_from("abAB", 3), None);
        assert_eq!(matcher.find_from("abAB", 9), None);
    }

    #[test]
    fn replace_all_keeps_the_rest() {
        let matcher = Matcher::new("na", false).unwrap();
        assert_eq!(
            matcher.replace_all("Banana NA", "-").as_deref(),
            Some("Ba-- -")
        );
        assert_eq!(matcher.replace_all("xyz", "-"), None);
        let exact = Matcher::new("a", true).unwrap();
        assert_eq!(exact.replace_all("aAa", "aa").as_deref(), Some("aaAaa"));
    }
}
