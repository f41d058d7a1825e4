//! The status computation alone, on ledgers that are mostly commitments and
//! violations (the costly kinds). Run: `cargo bench -p truce-ledger --bench status`.
//! The database round trips are in `cargo bench -p truce-store --bench ledger`.

// A failing test unwraps, expects or panics: that is how it fails; and it
// may tell the runner what it covered.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]
// criterion_group! defines a function it does not document.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::time::Duration;
use truce_ledger::generate::{synthetic_jsonl, LedgerShape};
use truce_ledger::{read_jsonl, status_at};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("status_in_memory");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    for records in [100_000usize, 1_000_000] {
        let text = synthetic_jsonl(LedgerShape {
            records,
            commitments: records / 10,
            violations: records / 2,
        });
        let parsed = read_jsonl(&text).unwrap();
        group.throughput(Throughput::Elements(records as u64));
        group.bench_with_input(BenchmarkId::from_parameter(records), &parsed, |b, p| {
            b.iter(|| status_at(p, "2025-04-19".parse().unwrap()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
