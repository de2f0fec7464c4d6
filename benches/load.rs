//! Loading a large file: our `load` against a bare pass of the `csv` crate over the same bytes,
//! and the memory the loaded table holds against the size of the file.
//!
//! The file (1 million rows, 8 columns, about 90 MB) is generated once into a temporary folder.
//! Run with `cargo bench --bench load -- --warm-up-time 1 --measurement-time 10 --sample-size 10`.

#![allow(
    clippy::expect_used,
    reason = "a bench that cannot write or read its file has nothing to measure"
)]

use std::fmt::Write as _;
use std::hint::black_box;
use std::ops::ControlFlow;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use naam_enrich::csv_io::{Dialect, LineEnding, load};

const ROWS: usize = 1_000_000;

/// Writes a CRM-like export: ids, names, mobiles, cities, e-mails, dates, amounts and notes,
/// with one row in eight carrying a quoted note.
fn generate(path: &Path) -> std::io::Result<u64> {
    const FIRST: [&str; 8] = [
        "Asha", "Ravi", "Kavya", "Arjun", "Meera", "Vikram", "Priya", "Rahul",
    ];
    const LAST: [&str; 6] = ["Sharma", "Iyer", "Reddy", "Nair", "Gupta", "Banerjee"];
    const CITY: [&str; 6] = [
        "Pune",
        "Chennai",
        "Hyderabad",
        "Kolkata",
        "Bengaluru",
        "Mumbai",
    ];
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let pick = |value: u64, len: usize| usize::try_from(value % len as u64).unwrap_or(0);
    let mut text = String::with_capacity(ROWS * 96);
    text.push_str("id,name,mobile,city,email,joined,amount,note\r\n");
    for id in 0..ROWS {
        let first = FIRST[pick(next(), FIRST.len())];
        let last = LAST[pick(next(), LAST.len())];
        let city = CITY[pick(next(), CITY.len())];
        let mobile = 6_000_000_000 + next() % 4_000_000_000;
        let note = if id % 8 == 0 {
            "\"call after 6, \"\"urgent\"\"\""
        } else {
            "follow up"
        };
        let _ = write!(
            text,
            "{id:07},{first} {last},{mobile},{city},{}.{}@example.com,2024-{:02}-{:02},{}.{:02},{note}\r\n",
            first.to_lowercase(),
            last.to_lowercase(),
            1 + next() % 12,
            1 + next() % 28,
            next() % 100_000,
            next() % 100,
        );
    }
    std::fs::write(path, &text)?;
    Ok(text.len() as u64)
}

fn bench_load(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder for the bench file");
    let path = dir.path().join("big.csv");
    let file_size = generate(&path).expect("the bench file is written");
    let dialect = Dialect {
        line_ending: LineEnding::CrLf,
        ..Dialect::default()
    };

    let loaded = load(&path, &dialect, |_, _| ControlFlow::Continue(())).expect("loads");
    let heap = loaded.table.heap_size();
    eprintln!(
        "file: {:.1} MB, {} rows x {} columns; table heap: {:.1} MB = {:.2}x the file",
        file_size as f64 / 1e6,
        loaded.table.num_rows(),
        loaded.table.num_columns(),
        heap as f64 / 1e6,
        heap as f64 / file_size as f64,
    );
    drop(loaded);

    let mut group = c.benchmark_group("load_1m_rows_8_columns");
    group.sample_size(10);
    group.bench_function("naam_enrich_load", |b| {
        b.iter(|| {
            let loaded = load(&path, &dialect, |_, _| ControlFlow::Continue(())).expect("loads");
            black_box(loaded.table.num_rows())
        });
    });
    group.bench_function("csv_crate_byte_records", |b| {
        b.iter(|| {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(true)
                .from_path(&path)
                .expect("opens");
            let mut record = csv::ByteRecord::new();
            let mut fields = 0;
            while reader.read_byte_record(&mut record).expect("reads") {
                fields += record.len();
            }
            black_box(fields)
        });
    });
    group.finish();
}

criterion_group!(benches, bench_load);
criterion_main!(benches);
