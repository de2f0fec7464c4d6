//! Cells to and from the clipboard as tab-separated text, the way Excel and LibreOffice do it.
//!
//! Rows are separated by line breaks and cells by tabs. A cell holding a tab, a line break or a
//! quote is wrapped in quotes with its quotes doubled, which is how both spreadsheets write such
//! cells and read them back.

/// Writes rows of cells as tab-separated text, rows joined by `\n`, no final line break.
pub(crate) fn to_tsv<R, C>(rows: R) -> String
where
    R: IntoIterator<Item = C>,
    C: IntoIterator<Item = String>,
{
    let mut out = String::new();
    for (row_idx, row) in rows.into_iter().enumerate() {
        if row_idx > 0 {
            out.push('\n');
        }
        for (col_idx, cell) in row.into_iter().enumerate() {
            if col_idx > 0 {
                out.push('\t');
            }
            if cell.contains(['\t', '\n', '\r', '"']) {
                out.push('"');
                out.push_str(&cell.replace('"', "\"\""));
                out.push('"');
            } else {
                out.push_str(&cell);
            }
        }
    }
    out
}

/// Reads tab-separated text into rows of cells. One final line break (as spreadsheets add) does
/// not make an empty row; `\r\n` counts as one line break.
pub(crate) fn from_tsv(text: &str) -> Vec<Vec<String>> {
    let text = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(text);
    let mut rows = vec![Vec::new()];
    let mut cell = String::new();
    let mut chars = text.chars().peekable();
    let mut at_cell_start = true;
    let mut in_quotes = false;
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.next_if_eq(&'"').is_some() {
                    cell.push('"');
                } else {
                    in_quotes = false;
                }
            } else {
                cell.push(c);
            }
            continue;
        }
        match c {
            '"' if at_cell_start => {
                in_quotes = true;
                at_cell_start = false;
            }
            '\t' => {
                push_cell(&mut rows, &mut cell);
                at_cell_start = true;
            }
            '\r' | '\n' => {
                if c == '\r' {
                    chars.next_if_eq(&'\n');
                }
                push_cell(&mut rows, &mut cell);
                rows.push(Vec::new());
                at_cell_start = true;
            }
            _ => {
                cell.push(c);
                at_cell_start = false;
            }
        }
    }
    push_cell(&mut rows, &mut cell);
    rows
}

/// Ends the current cell and adds it to the last row.
fn push_cell(rows: &mut [Vec<String>], cell: &mut String) {
    if let Some(row) = rows.last_mut() {
        row.push(std::mem::take(cell));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_block_round_trips() {
        let rows = vec![
            vec!["a".to_owned(), "b".to_owned()],
            vec![String::new(), "राम".to_owned()],
        ];
        let text = to_tsv(rows.clone());
        assert_eq!(text, "a\tb\n\tराम");
        assert_eq!(from_tsv(&text), rows);
    }

    #[test]
    fn awkward_cells_are_quoted_and_read_back() {
        let rows = vec![vec![
            "tab\there".to_owned(),
            "two\nlines".to_owned(),
            "say \"hi\"".to_owned(),
        ]];
        let text = to_tsv(rows.clone());
        assert_eq!(text, "\"tab\there\"\t\"two\nlines\"\t\"say \"\"hi\"\"\"");
        assert_eq!(from_tsv(&text), rows);
    }

    #[test]
    fn excel_text_with_crlf_and_final_break() {
        assert_eq!(
            from_tsv("1\t2\r\n3\t4\r\n"),
            vec![vec!["1", "2"], vec!["3", "4"]]
        );
        assert_eq!(from_tsv("x"), vec![vec!["x"]]);
        assert_eq!(from_tsv(""), vec![vec![""]]);
        // A quote inside a cell that does not start with one is kept as it is.
        assert_eq!(from_tsv("5\" pipe"), vec![vec!["5\" pipe"]]);
    }
}
