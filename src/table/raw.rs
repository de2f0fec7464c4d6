//! The rows of a file exactly as they were read, stored compactly.
//!
//! A loaded file keeps its decoded text in one buffer. Each row records where it starts and where
//! each of its fields ends, so a million-row file costs one buffer plus a few integers per field
//! rather than one `String` per cell. Keeping the original text is also what lets the writer give
//! back untouched rows byte for byte.

use std::borrow::Cow;

/// Set on a field end when the field's raw text holds a quote and must be unquoted when read.
pub(crate) const QUOTED_FLAG: u32 = 1 << 31;

/// The longest line (in bytes of decoded text) that a field end can describe.
pub(crate) const MAX_LINE_LEN: usize = (1 << 31) - 1;

/// Where one row sits in the text and which field ends belong to it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RowSpan {
    /// Byte offset of the row's first character in the text.
    pub start: usize,
    /// Index of the row's first field end in [`RawRows::ends`].
    pub first_field: u32,
    /// How many fields the row has; a blank line has none.
    pub num_fields: u32,
}

/// The decoded text of a file and the positions of its rows and fields.
///
/// Invariants kept by the parser: every row's fields are separated by exactly one delimiter
/// byte, so field `i` spans from just after the end of field `i - 1` (or the row start) to its own
/// end; ends are relative to the row start and carry [`QUOTED_FLAG`] when the field holds a quote;
/// the bytes after a row's last field are its line terminator (`\r\n`, `\n`, `\r`) or the end of
/// the text.
#[derive(Clone, Debug, Default)]
pub(crate) struct RawRows {
    /// The decoded text, possibly with a byte-order mark before the first row.
    pub text: String,
    /// One entry per row, in file order.
    pub spans: Vec<RowSpan>,
    /// Field ends for all rows, one after another.
    pub ends: Vec<u32>,
}

impl RawRows {
    /// How many rows (records) were read.
    pub fn num_rows(&self) -> usize {
        self.spans.len()
    }

    /// How many fields row `row` has as read; zero for rows that do not exist.
    pub fn num_fields(&self, row: usize) -> usize {
        self.spans
            .get(row)
            .map_or(0, |span| span.num_fields as usize)
    }

    /// The field ends of one row (relative to its start, flags included).
    fn row_ends(&self, span: &RowSpan) -> &[u32] {
        let first = span.first_field as usize;
        self.ends
            .get(first..first + span.num_fields as usize)
            .unwrap_or_default()
    }

    /// The raw text of one field (quotes and all) and whether it needs unquoting.
    pub fn raw_field(&self, row: usize, field: usize) -> Option<(&str, bool)> {
        let span = self.spans.get(row)?;
        let ends = self.row_ends(span);
        let end = *ends.get(field)?;
        let start = match field.checked_sub(1) {
            None => 0,
            Some(prev) => (ends.get(prev)? & !QUOTED_FLAG) as usize + 1,
        };
        let raw = self
            .text
            .get(span.start + start..span.start + (end & !QUOTED_FLAG) as usize)?;
        Some((raw, end & QUOTED_FLAG != 0))
    }

    /// The value of one field, unquoted.
    pub fn field(&self, row: usize, field: usize) -> Option<Cow<'_, str>> {
        let (raw, quoted) = self.raw_field(row, field)?;
        Some(if quoted {
            unquote(raw)
        } else {
            Cow::Borrowed(raw)
        })
    }

    /// The row's text without its line terminator.
    pub fn content(&self, row: usize) -> &str {
        let Some(span) = self.spans.get(row) else {
            return "";
        };
        let len = self
            .row_ends(span)
            .last()
            .map_or(0, |end| (end & !QUOTED_FLAG) as usize);
        self.text
            .get(span.start..span.start + len)
            .unwrap_or_default()
    }

    /// The line terminator that followed the row in the file (`""` for a last line without one).
    pub fn terminator(&self, row: usize) -> &str {
        let Some(span) = self.spans.get(row) else {
            return "";
        };
        let len = self
            .row_ends(span)
            .last()
            .map_or(0, |end| (end & !QUOTED_FLAG) as usize);
        // What lies between this row's last field and the next row is its terminator. Looking
        // only that far matters in an old-Mac file, where "\r\n" is a line break followed by a
        // line feed that belongs to the next row.
        let limit = self
            .spans
            .get(row + 1)
            .map_or(self.text.len(), |next| next.start);
        let rest = self.text.get(span.start + len..limit).unwrap_or_default();
        if rest.starts_with("\r\n") {
            "\r\n"
        } else if rest.starts_with('\n') {
            "\n"
        } else if rest.starts_with('\r') {
            "\r"
        } else {
            ""
        }
    }

    /// Bytes held on the heap by the text and the position tables.
    pub fn heap_size(&self) -> usize {
        self.text.capacity()
            + self.spans.capacity() * std::mem::size_of::<RowSpan>()
            + self.ends.capacity() * std::mem::size_of::<u32>()
    }
}

/// Where [`unquote`] is within a field.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// Turns the raw text of a field into its value: outer quotes go, doubled quotes become one.
///
/// This follows the same reading rules as the parser: a quote opens a quoted section only at the
/// start of a field, a quote elsewhere in an unquoted field is an ordinary character, and text
/// after a closing quote is kept as it is.
pub(crate) fn unquote(raw: &str) -> Cow<'_, str> {
    let inner = raw
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'));
    if let Some(inner) = inner
        && !inner.contains('"')
    {
        return Cow::Borrowed(inner);
    }
    let mut out = String::with_capacity(raw.len());
    let mut state = State::Start;
    for c in raw.chars() {
        state = match (state, c) {
            (State::Start, '"') => State::Quoted,
            (State::Quoted, '"') => State::QuoteInQuoted,
            (State::QuoteInQuoted, '"') => {
                out.push('"');
                State::Quoted
            }
            (State::Quoted, _) => {
                out.push(c);
                State::Quoted
            }
            (State::Start | State::Unquoted | State::QuoteInQuoted, _) => {
                out.push(c);
                State::Unquoted
            }
        };
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unquote_plain_quoted_field_borrows() {
        assert!(matches!(unquote("\"a,b\""), Cow::Borrowed("a,b")));
    }

    #[test]
    fn unquote_doubled_quotes() {
        assert_eq!(unquote("\"say \"\"hi\"\"\""), "say \"hi\"");
        assert_eq!(unquote("\"\"\"\""), "\"");
        assert_eq!(unquote("\"\""), "");
    }

    #[test]
    fn unquote_lenient_forms() {
        assert_eq!(unquote("ab\"c"), "ab\"c");
        assert_eq!(unquote("\"ab\"c"), "abc");
        assert_eq!(unquote("\"ab\"c\"d"), "abc\"d");
    }

    fn two_rows() -> RawRows {
        // "a,\"b,c\"\r\n\nx" : row 0 has two fields, row 1 is blank, row 2 has one.
        RawRows {
            text: "a,\"b,c\"\r\n\nx".to_owned(),
            spans: vec![
                RowSpan {
                    start: 0,
                    first_field: 0,
                    num_fields: 2,
                },
                RowSpan {
                    start: 9,
                    first_field: 2,
                    num_fields: 0,
                },
                RowSpan {
                    start: 10,
                    first_field: 2,
                    num_fields: 1,
                },
            ],
            ends: vec![1, 7 | QUOTED_FLAG, 1],
        }
    }

    #[test]
    fn fields_content_and_terminators() {
        let rows = two_rows();
        assert_eq!(rows.field(0, 0).as_deref(), Some("a"));
        assert_eq!(rows.field(0, 1).as_deref(), Some("b,c"));
        assert_eq!(rows.raw_field(0, 1), Some(("\"b,c\"", true)));
        assert_eq!(rows.field(0, 2), None);
        assert_eq!(rows.field(1, 0), None);
        assert_eq!(rows.field(2, 0).as_deref(), Some("x"));
        assert_eq!(rows.content(0), "a,\"b,c\"");
        assert_eq!(rows.terminator(0), "\r\n");
        assert_eq!(rows.content(1), "");
        assert_eq!(rows.terminator(1), "\n");
        assert_eq!(rows.terminator(2), "");
        assert_eq!(rows.field(9, 0), None);
        assert_eq!(rows.content(9), "");
    }
}
