//! Full analysis of generated scenarios, 10^4 to 10^7 packages, 2 to 5
//! bargaining parties. Run: `cargo bench -p truce-engine --bench analysis`.
//! Peak memory is measured separately by bench/analysis-table.sh.

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
use truce_engine::analysis::{analyze, AnalysisOptions};
use truce_engine::generate::{generate, Shape};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("analyze");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    for exponent in 4..=7u32 {
        group.measurement_time(Duration::from_secs(if exponent == 7 { 20 } else { 5 }));
        for parties in 2..=5usize {
            let shape = Shape {
                parties,
                options: vec![10; exponent as usize],
                ..Default::default()
            };
            let s = generate(&shape, 1).unwrap();
            let outcomes = 10u64.pow(exponent);
            group.throughput(Throughput::Elements(outcomes));
            group.bench_with_input(
                BenchmarkId::new(format!("{parties}_parties"), format!("1e{exponent}")),
                &s,
                |b, s| b.iter(|| analyze(s, &AnalysisOptions::default()).unwrap()),
            );
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
