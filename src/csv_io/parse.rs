//! Splitting decoded text into rows and fields.
//!
//! Most lines of a real file have no quotes, so the parser makes one fast search over the text
//! for delimiters, line feeds and quotes, and records where fields end. Only a row holding a quote
//! goes through the byte-by-byte reader, which handles quoted delimiters, doubled quotes and line
//! breaks inside quotes. Files with lone carriage returns (old Mac line endings) are read line by
//! line instead, since the fast search does not look for carriage returns. Either way the parser
//! only records where fields end; the text itself stays where it is (see [`crate::table`]).
//!
//! Reading rules, the same as [`crate::table::raw::unquote`] applies to a field: a quote opens a
//! quoted section only at the start of a field; inside it, two quotes stand for one and a single
//! quote closes it; text after the closing quote belongs to the field. A line with no characters
//! at all is a row with no fields.

use std::ops::ControlFlow;

use memchr::{memchr, memchr_iter, memchr2, memchr3_iter};

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
    let has_cr = memchr(b'\r', tail).is_some();
    let first_row = spans.len();
    let first_end = ends.len();
    let mut parser = Parser {
        bytes,
        delimiter,
        max_rows,
        spans,
        ends,
        progress,
        pos: start,
        line: 1,
        next_report: 0,
        crlf: 0,
    };
    // Nearly all files end lines with LF or CRLF: one search for delimiters, line feeds and
    // quotes splits them. The search does not look at carriage returns, so when the file has a
    // carriage return that is not part of a CRLF, it is read again line by line.
    if !has_cr || memchr(b'\n', tail).is_some() {
        match parser.stream() {
            Ok(()) => {
                let read = bytes.get(start..parser.pos).unwrap_or_default();
                if parser.crlf == memchr_iter(b'\r', read).count() {
                    return Ok(());
                }
            }
            Err(ParseError::Cancelled) => return Err(ParseError::Cancelled),
            Err(err) if !has_cr => return Err(err),
            Err(_) => {}
        }
    }
    parser.spans.truncate(first_row);
    parser.ends.truncate(first_end);
    parser.pos = start;
    parser.line = 1;
    parser.line_by_line()
}

/// The state of one parse.
struct Parser<'a, 'p> {
    bytes: &'a [u8],
    delimiter: u8,
    max_rows: usize,
    spans: &'p mut Vec<RowSpan>,
    ends: &'p mut Vec<u32>,
    progress: &'p mut dyn FnMut(usize) -> ControlFlow<()>,
    /// Where the next row starts.
    pos: usize,
    /// The line (from 1) the next row starts on.
    line: usize,
    next_report: usize,
    /// How many CRLF pairs have been passed, to tell whether every carriage return was one.
    crlf: usize,
}

impl Parser<'_, '_> {
    fn is_done(&self) -> bool {
        self.pos >= self.bytes.len() || self.spans.len() >= self.max_rows
    }

    fn report(&mut self) -> Result<(), ParseError> {
        if self.pos >= self.next_report {
            if (self.progress)(self.pos).is_break() {
                return Err(ParseError::Cancelled);
            }
            self.next_report = self.pos.saturating_add(REPORT_EVERY);
        }
        Ok(())
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

    /// Reads the quoted row at `self.pos` byte by byte.
    fn quoted_row(&mut self) -> Result<(), ParseError> {
        let row_start = self.pos;
        let first_field = self.first_field()?;
        let rest = self.bytes.get(row_start..).unwrap_or_default();
        let consumed = quoted_record(
            rest,
            self.delimiter,
            self.ends,
            &mut self.line,
            &mut self.crlf,
        )?;
        self.push_row(row_start, first_field)?;
        self.pos = row_start + consumed;
        Ok(())
    }

    /// One search over the text for delimiters, line feeds and quotes; a row with a quote is
    /// handed to [`quoted_record`]. Only for text without lone carriage returns.
    fn stream(&mut self) -> Result<(), ParseError> {
        /// Why the search over the text stopped.
        enum Stop {
            /// No more delimiters, line feeds or quotes: what is left is a last line without a
            /// line break.
            EndOfText,
            /// A row is done and it is time to report progress (or enough rows were read).
            Pause,
            /// The row at `self.pos` holds a quote.
            Quote,
        }
        while !self.is_done() {
            self.report()?;
            let base = self.pos;
            let rest = self.bytes.get(base..).unwrap_or_default();
            let mut row_start = base;
            let mut first_field = self.first_field()?;
            let mut stop = Stop::EndOfText;
            for hit in memchr3_iter(self.delimiter, b'\n', b'"', rest) {
                let at = base + hit;
                match rest.get(hit) {
                    Some(b'\n') => {
                        let mut end = at;
                        if end > row_start && self.bytes.get(end - 1) == Some(&b'\r') {
                            end -= 1;
                            self.crlf += 1;
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
                Stop::Quote => self.quoted_row()?,
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

    /// Line by line, for text with lone carriage returns: a line without quotes or carriage
    /// returns is split on delimiters, any other goes to [`quoted_record`].
    fn line_by_line(&mut self) -> Result<(), ParseError> {
        while !self.is_done() {
            self.report()?;
            let rest = self.bytes.get(self.pos..).unwrap_or_default();
            let Some((content_len, consumed)) = plain_line(rest) else {
                self.quoted_row()?;
                continue;
            };
            let row_start = self.pos;
            let first_field = self.first_field()?;
            if content_len > MAX_LINE_LEN {
                return Err(ParseError::LineTooLong { line: self.line });
            }
            let content = rest.get(..content_len).unwrap_or_default();
            if content_len > 0 {
                for end in memchr_iter(self.delimiter, content) {
                    push_end(self.ends, end, false, self.line)?;
                }
                push_end(self.ends, content_len, false, self.line)?;
            }
            self.push_row(row_start, first_field)?;
            self.line += 1;
            self.pos = row_start + consumed;
        }
        Ok(())
    }
}

/// Looks at the next line; if it has no quote and no carriage return other than one right
/// before its line feed, returns the length of its content and the bytes it takes with its line
/// terminator.
fn plain_line(rest: &[u8]) -> Option<(usize, usize)> {
    let (line_len, has_lf) = match memchr(b'\n', rest) {
        Some(at) => (at, true),
        None => (rest.len(), false),
    };
    let line = rest.get(..line_len)?;
    match memchr2(b'"', b'\r', line) {
        None => Some((line_len, line_len + usize::from(has_lf))),
        Some(at) if has_lf && at + 1 == line_len && line.get(at) == Some(&b'\r') => {
            Some((at, line_len + 1))
        }
        Some(_) => None,
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

/// Reads one record byte by byte; returns the bytes it takes with its line terminator and adds
/// the CRLF pairs it passes to `crlf`.
fn quoted_record(
    rest: &[u8],
    delimiter: u8,
    ends: &mut Vec<u32>,
    line: &mut usize,
    crlf: &mut usize,
) -> Result<usize, ParseError> {
    let row_line = *line;
    let first = ends.len();
    let mut state = State::Start;
    let mut quoted = false;
    let mut quote_line = *line;
    let mut at = 0;
    loop {
        let Some(&byte) = rest.get(at) else {
            if state == State::Quoted {
                return Err(ParseError::UnterminatedQuote { line: quote_line });
            }
            if ends.len() > first || at > 0 {
                push_end(ends, at, quoted, row_line)?;
            }
            return Ok(at);
        };
        match state {
            State::Quoted => {
                let before_lf = rest.get(at + 1) == Some(&b'\n');
                if byte == b'"' {
                    state = State::QuoteInQuoted;
                } else if byte == b'\n' || (byte == b'\r' && !before_lf) {
                    *line += 1;
                } else if byte == b'\r' {
                    *crlf += 1;
                }
            }
            _ if byte == delimiter => {
                push_end(ends, at, quoted, row_line)?;
                quoted = false;
                state = State::Start;
            }
            _ if byte == b'\n' || byte == b'\r' => {
                if ends.len() > first || at > 0 {
                    push_end(ends, at, quoted, row_line)?;
                }
                *line += 1;
                let terminator = if byte == b'\r' && rest.get(at + 1) == Some(&b'\n') {
                    *crlf += 1;
                    2
                } else {
                    1
                };
                return Ok(at + terminator);
            }
            State::Start if byte == b'"' => {
                state = State::Quoted;
                quoted = true;
                quote_line = *line;
            }
            State::Start | State::Unquoted => state = State::Unquoted,
            State::QuoteInQuoted => {
                state = if byte == b'"' {
                    State::Quoted
                } else {
                    State::Unquoted
                };
            }
        }
        at += 1;
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
    fn both_strategies_read_the_same_rows() {
        let texts = [
            "a,b\r\nc,d\ne,",
            "\"q,1\",2\n\n,\n\"x\ny\",z\r\nlast,\"\"",
            "plain\n\"open\"after,1\nend\n",
            ",,\n\r\n\n",
        ];
        for text in texts {
            let streamed = parse(text, b',').unwrap();
            // A lone carriage return at the end makes the parser go line by line.
            let suffix = if text.ends_with('\n') {
                "lone\r"
            } else {
                "\nlone\r"
            };
            let by_line = parse(&format!("{text}{suffix}"), b',').unwrap();
            let mut expected = cells(&by_line);
            assert_eq!(expected.pop(), Some(vec!["lone".to_owned()]));
            assert_eq!(cells(&streamed), expected, "{text:?}");
            if !text.ends_with('\n') {
                continue;
            }
            for row in 0..streamed.num_rows() {
                assert_eq!(streamed.content(row), by_line.content(row), "{text:?}");
                assert_eq!(
                    streamed.terminator(row),
                    by_line.terminator(row),
                    "{text:?}"
                );
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
    fn a_lone_carriage_return_in_a_line_feed_file_still_ends_a_line() {
        let rows = parse("a,b\nc\rd,e\n\"q\r\nr\",s\r\n", b',').unwrap();
        assert_eq!(
            cells(&rows),
            [
                vec!["a", "b"],
                vec!["c"],
                vec!["d", "e"],
                vec!["q\r\nr", "s"]
            ]
        );
        assert_eq!(rows.terminator(1), "\r");
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
