//! Whole-file round trips over the awkward files office staff really have: each file is
//! generated here, opened with sniffing, saved, and compared byte for byte and cell for cell.

use std::fs;
use std::path::Path;

use naam_enrich::csv_io::{
    Delimiter, Dialect, LineEnding, SaveOptions, TextEncoding, load, load_bytes, open, save,
    save_as, save_bytes, sniff_bytes,
};
use naam_enrich::table::{Edit, Table};

/// A generated test file: its records (each with its own line terminator), how they are
/// encoded, and what the sniffer should find.
struct Nasty {
    name: &'static str,
    records: Vec<&'static str>,
    encoding: TextEncoding,
    bom: bool,
    delimiter: Delimiter,
    has_header: bool,
    line_ending: LineEnding,
    /// A data row to edit, and the column.
    edit: (usize, usize),
}

impl Nasty {
    fn text(&self) -> String {
        self.records.concat()
    }

    fn bytes(&self) -> Vec<u8> {
        encode(&self.text(), self.encoding, self.bom)
    }

    /// The byte range of one record in the text (without any byte-order mark).
    fn record_range(&self, record: usize) -> std::ops::Range<usize> {
        let start: usize = self.records.iter().take(record).map(|r| r.len()).sum();
        start..start + self.records[record].len()
    }
}

fn encode(text: &str, encoding: TextEncoding, bom: bool) -> Vec<u8> {
    match encoding {
        TextEncoding::Utf8 => {
            let mut bytes = if bom { vec![0xEF, 0xBB, 0xBF] } else { vec![] };
            bytes.extend(text.as_bytes());
            bytes
        }
        TextEncoding::Utf16Le => {
            let mut bytes = if bom { vec![0xFF, 0xFE] } else { vec![] };
            bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            bytes
        }
        TextEncoding::Utf16Be => {
            let mut bytes = if bom { vec![0xFE, 0xFF] } else { vec![] };
            bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
            bytes
        }
        TextEncoding::Windows1252 => encoding_rs::WINDOWS_1252.encode(text).0.into_owned(),
    }
}

/// Turns saved bytes back into text, dropping a byte-order mark.
fn decode(bytes: &[u8], encoding: TextEncoding) -> String {
    let text = match encoding {
        TextEncoding::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
        TextEncoding::Utf16Le => encoding_rs::UTF_16LE.decode(bytes).0.into_owned(),
        TextEncoding::Utf16Be => encoding_rs::UTF_16BE.decode(bytes).0.into_owned(),
        TextEncoding::Windows1252 => unreachable!("nothing is saved as Windows-1252"),
    };
    text.strip_prefix('\u{FEFF}')
        .map_or(text.clone(), str::to_owned)
}

fn nasty_files() -> Vec<Nasty> {
    vec![
        Nasty {
            name: "excel-semicolon.csv",
            records: vec![
                "Kunde;Mobil;Betrag;Formel\r\n",
                "M\u{fc}ller;098765 43210;1,50;=SUM(A1)\r\n",
                "\"Rao; Asha\";0091 9123456789;2,75;+1\r\n",
                "Schmidt;000123;;\"-3\"\r\n",
            ],
            encoding: TextEncoding::Utf8,
            bom: true,
            delimiter: Delimiter::Semicolon,
            has_header: true,
            line_ending: LineEnding::CrLf,
            edit: (1, 1),
        },
        Nasty {
            name: "unicode-text.txt",
            records: vec![
                "Name\tMobile\tCity\r\n",
                "\u{928}\u{93e}\u{92e}\t+91 98765 43210\t\u{92a}\u{941}\u{923}\u{947}\r\n",
                "\"tab\there\"\t9123456789\tChennai \u{1F600}\r\n",
            ],
            encoding: TextEncoding::Utf16Le,
            bom: true,
            delimiter: Delimiter::Tab,
            has_header: true,
            line_ending: LineEnding::CrLf,
            edit: (0, 2),
        },
        Nasty {
            name: "utf16-be.csv",
            records: vec!["Name,Phone\n", "Asha,9876543210\n", "Ravi,9123456789"],
            encoding: TextEncoding::Utf16Be,
            bom: true,
            delimiter: Delimiter::Comma,
            has_header: true,
            line_ending: LineEnding::Lf,
            edit: (1, 0),
        },
        Nasty {
            name: "quoted-newlines.csv",
            records: vec![
                "id,address,phone\n",
                "1,\"12 MG Road\r\nPune\",9876543210\n",
                "2,\"say \"\"hi\"\"\nthere\",\n",
                "3,plain,9123456789\n",
            ],
            encoding: TextEncoding::Utf8,
            bom: false,
            delimiter: Delimiter::Comma,
            has_header: true,
            line_ending: LineEnding::Lf,
            edit: (1, 2),
        },
        Nasty {
            name: "ragged.csv",
            records: vec!["a,b,c\n", "1\n", "\n", "2,3,4,5,6\n", "7,8\n"],
            encoding: TextEncoding::Utf8,
            bom: false,
            delimiter: Delimiter::Comma,
            has_header: true,
            line_ending: LineEnding::Lf,
            edit: (0, 2),
        },
        Nasty {
            name: "headerless.csv",
            records: vec![
                "9876543210|Asha\r\n",
                "09123456789|=cmd|' /C calc'!A0\r\n",
                "000123|Ravi",
            ],
            encoding: TextEncoding::Utf8,
            bom: false,
            delimiter: Delimiter::Pipe,
            has_header: false,
            line_ending: LineEnding::CrLf,
            edit: (2, 1),
        },
    ]
}

/// Column names and every cell, padded to the full width.
fn cells(table: &Table) -> (Vec<String>, Vec<Vec<String>>) {
    let names = (0..table.num_columns())
        .map(|col| table.column_name(col).to_owned())
        .collect();
    let rows = (0..table.num_rows())
        .map(|row| {
            (0..table.num_columns())
                .map(|col| table.cell(row, col).into_owned())
                .collect()
        })
        .collect();
    (names, rows)
}

fn check_sniffed(file: &Nasty, dialect: Dialect) {
    assert_eq!(dialect.encoding, file.encoding, "{}", file.name);
    assert_eq!(dialect.bom, file.bom, "{}", file.name);
    assert_eq!(dialect.delimiter, file.delimiter, "{}", file.name);
    assert_eq!(dialect.has_header, file.has_header, "{}", file.name);
    assert_eq!(dialect.line_ending, file.line_ending, "{}", file.name);
    assert_eq!(
        dialect.trailing_newline,
        file.text().ends_with('\n'),
        "{}",
        file.name
    );
}

#[test]
fn untouched_files_come_back_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    for file in nasty_files() {
        let path = dir.path().join(file.name);
        fs::write(&path, file.bytes()).unwrap();
        let loaded = open(&path).unwrap();
        check_sniffed(&file, loaded.dialect);
        let saved = dir.path().join(format!("saved-{}", file.name));
        save(
            &loaded.table,
            &saved,
            &loaded.dialect,
            &SaveOptions::default(),
        )
        .unwrap();
        assert_eq!(fs::read(&saved).unwrap(), file.bytes(), "{}", file.name);
        let reloaded = open(&saved).unwrap();
        assert_eq!(
            cells(&reloaded.table),
            cells(&loaded.table),
            "{}",
            file.name
        );
    }
}

#[test]
fn cells_are_text_and_kept_as_read() {
    let dir = tempfile::tempdir().unwrap();
    let files = nasty_files();
    let excel = &files[0];
    let path = dir.path().join(excel.name);
    fs::write(&path, excel.bytes()).unwrap();
    let table = open(&path).unwrap().table;
    assert_eq!(table.cell(0, 0), "M\u{fc}ller");
    assert_eq!(table.cell(0, 3), "=SUM(A1)");
    assert_eq!(table.cell(1, 0), "Rao; Asha");
    assert_eq!(table.cell(2, 1), "000123");
    assert_eq!(table.cell(2, 3), "-3");
}

#[test]
fn one_edit_changes_only_that_row() {
    let dir = tempfile::tempdir().unwrap();
    for file in nasty_files() {
        let path = dir.path().join(file.name);
        fs::write(&path, file.bytes()).unwrap();
        let mut loaded = open(&path).unwrap();
        let (row, column) = file.edit;
        loaded
            .table
            .apply(Edit::SetCell {
                row,
                column,
                value: "Edited, \"quoted\"".into(),
            })
            .unwrap();
        let saved = dir.path().join(format!("edited-{}", file.name));
        save(
            &loaded.table,
            &saved,
            &loaded.dialect,
            &SaveOptions::default(),
        )
        .unwrap();
        let before = file.text();
        let after = decode(&fs::read(&saved).unwrap(), file.encoding);
        let prefix = before
            .bytes()
            .zip(after.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        let suffix = before
            .bytes()
            .rev()
            .zip(after.bytes().rev())
            .take_while(|(a, b)| a == b)
            .count();
        let record = row + usize::from(file.has_header);
        let range = file.record_range(record);
        assert!(
            prefix >= range.start && before.len() - suffix <= range.end,
            "{}: bytes {prefix}..{} changed, the row is {range:?}",
            file.name,
            before.len() - suffix
        );
        let reloaded = open(&saved).unwrap();
        assert_eq!(reloaded.table.cell(row, column), "Edited, \"quoted\"");
        assert_eq!(
            cells(&reloaded.table),
            cells(&loaded.table),
            "{}",
            file.name
        );
    }
}

#[test]
fn windows_1252_is_saved_as_utf8_with_bom() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Name;Stadt\r\nM\u{fc}ller;K\u{f6}ln\r\nRen\u{e9}e;\u{201e}Z\u{fc}rich\u{201c}\r\n";
    let path = dir.path().join("legacy.csv");
    fs::write(&path, encode(text, TextEncoding::Windows1252, false)).unwrap();
    let loaded = open(&path).unwrap();
    assert_eq!(loaded.dialect.encoding, TextEncoding::Windows1252);
    assert_eq!(loaded.dialect.delimiter, Delimiter::Semicolon);
    assert_eq!(loaded.table.cell(1, 1), "\u{201e}Z\u{fc}rich\u{201c}");
    let written = save(
        &loaded.table,
        &path,
        &loaded.dialect,
        &SaveOptions::default(),
    )
    .unwrap();
    assert_eq!(written.encoding, TextEncoding::Utf8);
    assert!(written.bom);
    assert_eq!(
        fs::read(&path).unwrap(),
        encode(text, TextEncoding::Utf8, true)
    );
    let reloaded = open(&path).unwrap();
    assert_eq!(cells(&reloaded.table), cells(&loaded.table));
}

#[test]
fn save_as_another_dialect_keeps_every_cell() {
    let dir = tempfile::tempdir().unwrap();
    let targets = [
        Dialect {
            encoding: TextEncoding::Utf16Be,
            bom: true,
            delimiter: Delimiter::Tab,
            line_ending: LineEnding::Lf,
            ..Dialect::default()
        },
        Dialect {
            encoding: TextEncoding::Utf8,
            bom: false,
            delimiter: Delimiter::Comma,
            line_ending: LineEnding::CrLf,
            trailing_newline: false,
            ..Dialect::default()
        },
    ];
    for file in nasty_files() {
        let path = dir.path().join(file.name);
        fs::write(&path, file.bytes()).unwrap();
        let loaded = open(&path).unwrap();
        for target in targets {
            let dialect = Dialect {
                has_header: file.has_header,
                ..target
            };
            let out = dir.path().join("converted.csv");
            save_as(&loaded.table, &out, &dialect, &SaveOptions::default()).unwrap();
            let reloaded =
                load(&out, &dialect, |_, _| std::ops::ControlFlow::Continue(())).unwrap();
            assert_eq!(
                cells(&reloaded.table),
                cells(&loaded.table),
                "{}",
                file.name
            );
        }
    }
}

#[test]
fn adding_result_columns_keeps_every_original_cell_as_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = &nasty_files()[3];
    let path = dir.path().join(file.name);
    fs::write(&path, file.bytes()).unwrap();
    let mut loaded = open(&path).unwrap();
    let name = loaded.table.append_column("Caller Name");
    let status = loaded.table.append_column("Lookup Status");
    loaded
        .table
        .apply_group(vec![
            Edit::SetCell {
                row: 0,
                column: name,
                value: "=Asha".into(),
            },
            Edit::SetCell {
                row: 0,
                column: status,
                value: "found".into(),
            },
        ])
        .unwrap();
    let options = SaveOptions {
        guarded_columns: vec![name],
    };
    save(&loaded.table, &path, &loaded.dialect, &options).unwrap();
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "id,address,phone,Caller Name,Lookup Status\n\
         1,\"12 MG Road\r\nPune\",9876543210,'=Asha,found\n\
         2,\"say \"\"hi\"\"\nthere\",\n\
         3,plain,9123456789\n"
    );
}

#[test]
fn headerless_files_stay_headerless() {
    let dir = tempfile::tempdir().unwrap();
    let file = &nasty_files()[5];
    let path = dir.path().join(file.name);
    fs::write(&path, file.bytes()).unwrap();
    let mut loaded = open(&path).unwrap();
    assert_eq!(loaded.table.column_name(0), "Column 1");
    loaded.table.append_column("Caller Name");
    save(
        &loaded.table,
        &path,
        &loaded.dialect,
        &SaveOptions::default(),
    )
    .unwrap();
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("9876543210|Asha\r\n"), "{text}");
    assert!(!text.contains("Caller Name"));
}

#[test]
fn sorting_then_saving_moves_whole_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sort.csv");
    fs::write(&path, "n,v\n\"b\",2\na,1\r\nc,3").unwrap();
    let mut loaded = open(&path).unwrap();
    loaded
        .table
        .apply(Edit::SortRows {
            column: 0,
            kind: naam_enrich::table::SortKind::Text,
            descending: false,
        })
        .unwrap();
    save(
        &loaded.table,
        &path,
        &loaded.dialect,
        &SaveOptions::default(),
    )
    .unwrap();
    // Each line keeps its own bytes and ending; the last line still has none.
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "n,v\na,1\r\n\"b\",2\nc,3"
    );
    assert!(Path::new(&path).exists());
}

#[test]
fn a_row_added_after_loading_is_written_as_wide_as_the_table() {
    let text = "a;b;c\r\n1;2\r\n";
    let name = Path::new("ragged.csv");
    let dialect = sniff_bytes(text.as_bytes(), name).unwrap();
    let mut table = load_bytes(text.as_bytes(), &dialect, name).unwrap().table;
    table.apply(Edit::InsertRows { at: 1, count: 1 }).unwrap();
    table
        .apply(Edit::SetCell {
            row: 1,
            column: 0,
            value: "new".into(),
        })
        .unwrap();
    let saved = String::from_utf8(save_bytes(&table, &dialect, &SaveOptions::default())).unwrap();
    // The short row read from the file stays short; the new one has every column.
    assert_eq!(saved, "a;b;c\r\n1;2\r\nnew;;\r\n");
}

/// Found by `cargo fuzz run csv_load` (`fuzz/regressions/csv_load/`): in a file whose first line
/// break is a lone CR, a later "\r\n" is a line break followed by a line feed that belongs to
/// the next row; saving used to write that line feed twice.
#[test]
fn a_line_feed_after_an_old_mac_line_break_is_kept_once() {
    for text in ["2\r\r\n", "a\rb\r\nc\r", "x\r\r\n\n"] {
        let name = Path::new("old-mac.csv");
        let dialect = sniff_bytes(text.as_bytes(), name).unwrap();
        let loaded = load_bytes(text.as_bytes(), &dialect, name).unwrap();
        let saved = save_bytes(&loaded.table, &loaded.dialect, &SaveOptions::default());
        assert_eq!(String::from_utf8(saved).unwrap(), text, "{text:?}");
    }
}

/// The limits staff can hit with odd exports: a cell over a megabyte and a line with a
/// hundred thousand fields open, show the right cells, and come back byte for byte.
#[test]
fn a_huge_cell_and_a_line_of_100k_fields_open_and_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let huge_cell = "x".repeat(2 << 20);
    let wide_line: Vec<String> = (0..100_000).map(|i| format!("f{i}")).collect();
    let text = format!(
        "Name,Notes\r\nAsha,\"{huge_cell}\"\r\n{}\r\nRavi,short\r\n",
        wide_line.join(",")
    );
    let path = dir.path().join("limits.csv");
    fs::write(&path, &text).unwrap();

    let loaded = open(&path).unwrap();
    let table = &loaded.table;
    assert_eq!(table.num_rows(), 3);
    assert_eq!(table.num_columns(), 100_000);
    assert_eq!(table.cell(0, 1).len(), 2 << 20);
    assert_eq!(table.cell(1, 99_999), "f99999");
    assert_eq!(table.cell(2, 0), "Ravi");
    save(table, &path, &loaded.dialect, &SaveOptions::default()).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
}

/// A file larger than the memory the computer can give gets a message, not an abort.
#[cfg(target_os = "linux")]
#[test]
fn a_file_larger_than_memory_is_refused_in_words() {
    // With overcommit forced on, the kernel promises any amount and reading would really try.
    if fs::read_to_string("/proc/sys/vm/overcommit_memory").is_ok_and(|mode| mode.trim() == "1") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("enormous.csv");
    // A sparse terabyte: no disk space is used, and no machine this runs on has the memory.
    let file = fs::File::create(&path).unwrap();
    file.set_len(1 << 40).unwrap();
    drop(file);
    let err = open(&path).unwrap_err().to_string();
    assert!(
        err.starts_with("This file is 1,100 GB, more than this computer has free"),
        "{err}"
    );
    assert!(err.contains("enormous.csv"), "{err}");
}
