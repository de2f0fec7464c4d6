//! Splitting decoded text into rows and fields.
//!
//! Most lines of a real file have no quotes, so the parser makes one fast search over the text
//! for delimiters, line breaks and quotes, and records where fields end. A row holding a quote
//! goes to a reader that follows the quoting rules, still jumping from one special byte to the
//! next. Either way the parser only records where fields end; the text itself stays where it is
//! (see [`crate::table`]).
//!
//! Lines end with a line feed, with or without a carriage return before it, unless the file's
//! first line break is a lone carriage return (old Mac files): then lines end with carriage
//! returns. A line break of the other kind is part of the cell, and is written back as it was.
//!
//! Reading rules, the same as [`crate::table::raw::unquote`] applies to a field: a quote opens a
//! quoted section only at the start of a field; inside it, two quotes stand for one and a single
//! quote closes it; text after the closing quote belongs to the field. A line with no characters
//! at all is a row with no fields.

use std::ops::ControlFlow;

use memchr::{memchr2, memchr3_iter};

use crate::table::raw::{MAX_LINE_LEN, QUOTED_FLAG, RowSpan};

/// How often (in bytes of text) parsing reports progress and checks for cancellation.
const REPORT_EVERY: usize = 1 << 20;

/// Why parsing stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParseError {
    /// A quoted field runs to the end of the text; `line` is where its quote opened.
    UnterminatedQuote { line: usize },
    /// A line is longer than a field end can describe.
    LineTooLong { line: usize },
    /// More fields than the position tables can count.
    TooLarge,
    /// The progress callback asked to stop.
    Cancelled,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// Parses `text` from byte `start`, appending up to `max_rows` rows to `spans` and `ends`.
///
/// `progress` receives the byte offset reached about every megabyte. On an error the rows parsed
/// so far stay in `spans` and `ends`, which the sniffer uses on a cut-off sample.
pub(crate) fn parse_rows(
    text: &str,
    start: usize,
    delimiter: u8,
    max_rows: usize,
    spans: &mut Vec<RowSpan>,
    ends: &mut Vec<u32>,
    progress: &mut dyn FnMut(usize) -> ControlFlow<()>,
) -> Result<(), ParseError> {
    let bytes = text.as_bytes();
    let tail = bytes.get(start..).unwrap_or_default();
    let newline = line_break_byte(tail);
    Parser {
        bytes,
        delimiter,
        newline,
        max_rows,
        spans,
        ends,
        progress,
        pos: start,
        line: 1,
        next_report: 0,
    }
    .run()
}

/// The byte that ends lines in `text`, decided by its first line break outside quotes: a lone
/// carriage return means old Mac line endings, anything else means line feeds (with or without
/// a carriage return before them).
fn line_break_byte(text: &[u8]) -> u8 {
    let mut in_quotes = false;
    for at in memchr3_iter(b'"', b'\r', b'\n', text) {
        match text.get(at) {
            Some(b'"') => in_quotes = !in_quotes,
            Some(b'\r') if !in_quotes => {
                return if text.get(at + 1) == Some(&b'\n') {
                    b'\n'
                } else {
                    b'\r'
                };
            }
            Some(b'\n') if !in_quotes => return b'\n',
            _ => {}
        }
    }
    b'\n'
}

/// The state of one parse.
struct Parser<'a, 'p> {
    bytes: &'a [u8],
    delimiter: u8,
    /// The byte that ends a line: `\n`, or `\r` for a file with old Mac line endings.
    newline: u8,
    max_rows: usize,
    spans: &'p mut Vec<RowSpan>,
    ends: &'p mut Vec<u32>,
    progress: &'p mut dyn FnMut(usize) -> ControlFlow<()>,
    /// Where the next row starts.
    pos: usize,
    /// The line (from 1) the next row starts on.
    line: usize,
    next_report: usize,
}

/// Why the search over the text stopped.
enum Stop {
    /// No more delimiters, line breaks or quotes: what is left is a last line without a line
    /// break.
    EndOfText,
    /// A row is done and it is time to report progress (or enough rows were read).
    Pause,
    /// The row at `pos` holds a quote.
    Quote,
}

impl Parser<'_, '_> {
    fn is_done(&self) -> bool {
        self.pos >= self.bytes.len() || self.spans.len() >= self.max_rows
    }

    /// Index of the next field end, as a row's `first_field`.
    fn first_field(&self) -> Result<u32, ParseError> {
        u32::try_from(self.ends.len()).map_err(|_| ParseError::TooLarge)
    }

    /// Records a row starting at `row_start` whose fields begin at `first_field`.
    fn push_row(&mut self, row_start: usize, first_field: u32) -> Result<(), ParseError> {
        let num_fields = self.first_field()?.saturating_sub(first_field);
        self.spans.push(RowSpan {
            start: row_start,
            first_field,
            num_fields,
        });
        Ok(())
    }

    /// Splits the text with one search for delimiters, line breaks and quotes; a row with a
    /// quote is handed to [`quoted_record`].
    fn run(&mut self) -> Result<(), ParseError> {
        while !self.is_done() {
            if (self.progress)(self.pos).is_break() {
                return Err(ParseError::Cancelled);
            }
            self.next_report = self.pos.saturating_add(REPORT_EVERY);
            let base = self.pos;
            let rest = self.bytes.get(base..).unwrap_or_default();
            let mut row_start = base;
            let mut first_field = self.first_field()?;
            let mut stop = Stop::EndOfText;
            for hit in memchr3_iter(self.delimiter, self.newline, b'"', rest) {
                let at = base + hit;
                match rest.get(hit) {
                    Some(&byte) if byte == self.newline => {
                        let mut end = at;
                        if self.newline == b'\n'
                            && end > row_start
                            && self.bytes.get(end - 1) == Some(&b'\r')
                        {
                            end -= 1;
                        }
                        if end > row_start || self.ends.len() > first_field as usize {
                            push_end(self.ends, end - row_start, false, self.line)?;
                        }
                        self.push_row(row_start, first_field)?;
                        self.line += 1;
                        row_start = at + 1;
                        self.pos = row_start;
                        if self.is_done() || self.pos >= self.next_report {
                            stop = Stop::Pause;
                            break;
                        }
                        first_field = self.first_field()?;
                    }
                    Some(b'"') => {
                        self.ends.truncate(first_field as usize);
                        self.pos = row_start;
                        stop = Stop::Quote;
                        break;
                    }
                    _ => push_end(self.ends, at - row_start, false, self.line)?,
                }
            }
            match stop {
                Stop::Quote => {
                    let rest = self.bytes.get(row_start..).unwrap_or_default();
                    let consumed = quoted_record(
                        rest,
                        self.delimiter,
                        self.newline,
                        self.ends,
                        &mut self.line,
                    )?;
                    self.push_row(row_start, first_field)?;
                    self.pos = row_start + consumed;
                }
                Stop::Pause => {}
                Stop::EndOfText => {
                    let end = self.bytes.len();
                    if end > row_start {
                        push_end(self.ends, end - row_start, false, self.line)?;
                        self.push_row(row_start, first_field)?;
                    }
                    self.pos = end;
                }
            }
        }
        Ok(())
    }
}

/// Records a field ending at `end` (relative to the row start).
fn push_end(ends: &mut Vec<u32>, end: usize, quoted: bool, line: usize) -> Result<(), ParseError> {
    if end > MAX_LINE_LEN {
        return Err(ParseError::LineTooLong { line });
    }
    let end = u32::try_from(end).map_err(|_| ParseError::LineTooLong { line })?;
    ends.push(if quoted { end | QUOTED_FLAG } else { end });
    Ok(())
}

/// Reads one record that holds quotes, jumping from one quote, delimiter or line break to the
/// next; returns the bytes it takes with its line terminator.
fn quoted_record(
    rest: &[u8],
    delimiter: u8,
    newline: u8,
    ends: &mut Vec<u32>,
    line: &mut usize,
) -> Result<usize, ParseError> {
    let row_line = *line;
    let first = ends.len();
    let mut state = State::Start;
    let mut quoted = false;
    let mut quote_line = *line;
    let mut at = 0;
    loop {
        match state {
            State::Start => {
                if rest.get(at) == Some(&b'"') {
                    state = State::Quoted;
                    quoted = true;
                    quote_line = *line;
                    at += 1;
                } else {
                    state = State::Unquoted;
                }
            }
            State::Quoted => {
                let Some(offset) = rest.get(at..).and_then(|tail| memchr2(b'"', newline, tail))
                else {
                    return Err(ParseError::UnterminatedQuote { line: quote_line });
                };
                at += offset;
                if rest.get(at) == Some(&b'"') {
                    state = State::QuoteInQuoted;
                } else {
                    *line += 1;
                }
                at += 1;
            }
            State::QuoteInQuoted => {
                if rest.get(at) == Some(&b'"') {
                    state = State::Quoted;
                    at += 1;
                } else {
                    state = State::Unquoted;
                }
            }
            State::Unquoted => {
                let next = rest
                    .get(at..)
                    .and_then(|tail| memchr2(delimiter, newline, tail));
                let Some(offset) = next else {
                    let end = rest.len();
                    if ends.len() > first || end > 0 {
                        push_end(ends, end, quoted, row_line)?;
                    }
                    return Ok(end);
                };
                at += offset;
                if rest.get(at) == Some(&delimiter) {
                    push_end(ends, at, quoted, row_line)?;
                    quoted = false;
                    state = State::Start;
                    at += 1;
                } else {
                    let mut end = at;
                    if newline == b'\n' && end > 0 && rest.get(end - 1) == Some(&b'\r') {
                        end -= 1;
                    }
                    if ends.len() > first || end > 0 {
                        push_end(ends, end, quoted, row_line)?;
                    }
                    *line += 1;
                    return Ok(at + 1);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::raw::RawRows;

    fn parse(text: &str, delimiter: u8) -> Result<RawRows, ParseError> {
        let mut rows = RawRows {
            text: text.to_owned(),
            ..RawRows::default()
        };
        parse_rows(
            text,
            0,
            delimiter,
            usize::MAX,
            &mut rows.spans,
            &mut rows.ends,
            &mut |_| ControlFlow::Continue(()),
        )?;
        Ok(rows)
    }

    fn cells(rows: &RawRows) -> Vec<Vec<String>> {
        (0..rows.num_rows())
            .map(|row| {
                (0..rows.num_fields(row))
                    .map(|field| rows.field(row, field).unwrap().into_owned())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn quoted_and_plain_rows_split_alike() {
        let texts = [
            (
                "a,b\r\nc,\r\n\r\ne\n,",
                "\"a\",b\r\n\"c\",\r\n\r\n\"e\"\n\"\",",
            ),
            ("x;y\nz", "\"x\";y\n\"z\""),
        ];
        for (plain, quoted) in texts {
            let delimiter = if plain.contains(';') { b';' } else { b',' };
            let plain_rows = parse(plain, delimiter).unwrap();
            let quoted_rows = parse(quoted, delimiter).unwrap();
            assert_eq!(cells(&plain_rows), cells(&quoted_rows), "{quoted:?}");
            for row in 0..plain_rows.num_rows() {
                assert_eq!(plain_rows.terminator(row), quoted_rows.terminator(row));
            }
        }
    }

    #[test]
    fn plain_lines_crlf_and_lf() {
        let rows = parse("a,b\r\nc,d\ne,", b',').unwrap();
        assert_eq!(cells(&rows), [["a", "b"], ["c", "d"], ["e", ""]]);
        assert_eq!(rows.terminator(0), "\r\n");
        assert_eq!(rows.terminator(1), "\n");
        assert_eq!(rows.terminator(2), "");
    }

    #[test]
    fn quoted_delimiters_quotes_and_line_breaks() {
        let rows = parse("\"a;1\";\"say \"\"hi\"\"\"\n\"two\r\nlines\";x\r\n", b';').unwrap();
        assert_eq!(
            cells(&rows),
            [vec!["a;1", "say \"hi\""], vec!["two\r\nlines", "x"]]
        );
        assert_eq!(rows.content(1), "\"two\r\nlines\";x");
        assert_eq!(rows.terminator(1), "\r\n");
    }

    #[test]
    fn blank_lines_are_rows_without_fields() {
        let rows = parse("a\n\n\r\nb\n", b',').unwrap();
        let lens: Vec<usize> = (0..rows.num_rows()).map(|r| rows.num_fields(r)).collect();
        assert_eq!(lens, [1, 0, 0, 1]);
    }

    #[test]
    fn bare_carriage_returns_end_lines() {
        let rows = parse("a,b\rc,d\r", b',').unwrap();
        assert_eq!(cells(&rows), [["a", "b"], ["c", "d"]]);
        assert_eq!(rows.terminator(0), "\r");
    }

    #[test]
    fn a_lone_carriage_return_in_a_line_feed_file_is_text() {
        let rows = parse("a,b\nc\rd,e\n\"q\r\nr\"\r,s\r\n", b',').unwrap();
        assert_eq!(
            cells(&rows),
            [vec!["a", "b"], vec!["c\rd", "e"], vec!["q\r\nr\r", "s"]]
        );
        assert_eq!(rows.terminator(2), "\r\n");
    }

    #[test]
    fn the_first_line_break_outside_quotes_decides() {
        let rows = parse("\"a\nb\"\rc\nd\r", b',').unwrap();
        assert_eq!(cells(&rows), [["a\nb"], ["c\nd"]]);
        let rows = parse("\"a\rb\"\r\nc\rd\r\n", b',').unwrap();
        assert_eq!(cells(&rows), [["a\rb"], ["c\rd"]]);
    }

    #[test]
    fn ragged_rows_are_kept() {
        let rows = parse("a\tb\tc\nd\ne\tf\tg\th\n", b'\t').unwrap();
        let lens: Vec<usize> = (0..rows.num_rows()).map(|r| rows.num_fields(r)).collect();
        assert_eq!(lens, [3, 1, 4]);
    }

    #[test]
    fn unterminated_quote_names_its_line() {
        let err = parse("a,b\nc,\"d\ne\nf\n", b',').unwrap_err();
        assert_eq!(err, ParseError::UnterminatedQuote { line: 2 });
    }

    #[test]
    fn line_numbers_count_breaks_inside_quotes() {
        let err = parse("\"x\ny\",1\n\"open\n", b',').unwrap_err();
        assert_eq!(err, ParseError::UnterminatedQuote { line: 3 });
    }

    #[test]
    fn cancelling_stops_parsing() {
        let mut spans = Vec::new();
        let mut ends = Vec::new();
        let err = parse_rows(
            "a\nb\n",
            0,
            b',',
            usize::MAX,
            &mut spans,
            &mut ends,
            &mut |_| ControlFlow::Break(()),
        )
        .unwrap_err();
        assert_eq!(err, ParseError::Cancelled);
    }

    #[test]
    fn max_rows_stops_early() {
        let mut spans = Vec::new();
        let mut ends = Vec::new();
        parse_rows("a\nb\nc\n", 0, b',', 2, &mut spans, &mut ends, &mut |_| {
            ControlFlow::Continue(())
        })
        .unwrap();
        assert_eq!(spans.len(), 2);
    }
}
