//! How fast cells are cleaned: a million plain 10-digit cells (the fast path) and a million
//! cells in the mixed shapes real files have. Targets: at least 2 M cells/s plain and 300 k
//! cells/s mixed.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use naam_enrich::phone::{Plan, Region, clean};

/// How many cells each run cleans.
const CELLS: usize = 1_000_000;

/// Pseudo-random 10-digit numbers starting 6-9, the same on every run.
fn numbers() -> impl Iterator<Item = u64> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    std::iter::repeat_with(move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        6_000_000_000 + state % 4_000_000_000
    })
}

/// Plain cells such as `9876543210`.
fn plain_cells() -> Vec<String> {
    numbers()
        .take(CELLS)
        .map(|number| number.to_string())
        .collect()
}

/// Cells in the shapes seen in real files, good and bad, in turn.
fn mixed_cells() -> Vec<String> {
    numbers()
        .take(CELLS)
        .enumerate()
        .map(|(row, number)| {
            let text = number.to_string();
            let (head, tail) = text.split_at(5);
            match row % 12 {
                0..=2 => text,
                3 => format!("+91 {head} {tail}"),
                4 => format!("0{head}-{tail}"),
                5 => format!("91{text}"),
                6 => format!("{text}.0"),
                7 => format!("{}.{}E+09", &text[..1], &text[1..]),
                8 => format!("{text} / 9876543210"),
                9 => "9.87654E+09".to_owned(),
                10 => "Not given".to_owned(),
                _ => String::new(),
            }
        })
        .collect()
}

fn clean_cells(c: &mut Criterion) {
    let plain = plain_cells();
    let mixed = mixed_cells();
    let mut group = c.benchmark_group("clean");
    group.sample_size(10);
    group.throughput(Throughput::Elements(CELLS as u64));
    group.bench_function("plain_1m", |b| {
        b.iter(|| {
            plain
                .iter()
                .filter(|cell| clean(black_box(cell), Region::INDIA).is_ok())
                .count()
        });
    });
    group.bench_function("mixed_1m", |b| {
        b.iter(|| {
            mixed
                .iter()
                .filter(|cell| clean(black_box(cell), Region::INDIA).is_ok())
                .count()
        });
    });
    group.bench_function("plan_mixed_1m", |b| {
        b.iter(|| {
            Plan::from_cells(black_box(&mixed), Region::INDIA)
                .to_submit()
                .len()
        });
    });
    group.finish();
}

criterion_group!(benches, clean_cells);
criterion_main!(benches);
