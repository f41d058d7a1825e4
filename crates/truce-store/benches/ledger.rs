//! The ledger's speed targets: import 100,000 entries in under 5 s and a
//! status over 1,000,000 entries in under 1 s, on SQLite and (when
//! TRUCE_TEST_POSTGRES names a server) PostgreSQL; a status is the read and
//! computation on the records read back. Run:
//! `cargo bench -p truce-store --bench ledger` (the computation alone:
//! `cargo bench -p truce-ledger --bench status`).

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
use truce_ledger::status_at;
use truce_store::testing::{scratch_ledgers, Scratch};
use truce_store::Ledger;

fn shape(records: usize) -> LedgerShape {
    LedgerShape {
        records,
        commitments: records / 100,
        violations: records / 10,
    }
}

fn backends(dir: &std::path::Path, name: &str) -> Vec<Scratch> {
    scratch_ledgers(dir, name).unwrap_or_else(|e| panic!("{e}"))
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let batch = synthetic_jsonl(shape(100_000));

    let mut group = c.benchmark_group("ledger_import_100k");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(15));
    group.throughput(Throughput::Elements(100_000));
    let mut round = 0;
    for backend in ["SQLite", "PostgreSQL"] {
        let probe = backends(dir.path(), "probe");
        if !probe.iter().any(|s| s.backend() == backend) {
            continue;
        }
        group.bench_function(backend, |b| {
            b.iter_batched(
                || {
                    round += 1;
                    backends(dir.path(), &format!("import{round}"))
                        .into_iter()
                        .find(|s| s.backend() == backend)
                        .unwrap()
                },
                |db| {
                    let mut l = Ledger::open(&db.location).unwrap();
                    assert_eq!(l.import(&batch).unwrap(), 100_000);
                    db
                },
                criterion::BatchSize::PerIteration,
            )
        });
    }
    group.finish();

    let mut group = c.benchmark_group("ledger_status");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    for records in [100_000usize, 1_000_000] {
        // Mostly commitments and violations, the costly kinds for a status.
        let text = synthetic_jsonl(LedgerShape {
            records,
            commitments: records / 10,
            violations: records / 2,
        });
        group.throughput(Throughput::Elements(records as u64));
        for db in backends(dir.path(), &format!("status{records}")) {
            let mut l = Ledger::open(&db.location).unwrap();
            l.import(&text).unwrap();
            group.bench_function(BenchmarkId::new(db.backend(), records), |b| {
                b.iter(|| {
                    let records = l.status_records().unwrap();
                    status_at(&records, "2025-04-19".parse().unwrap())
                        .commitments
                        .len()
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
