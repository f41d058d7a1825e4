//! Negotiations per second: the example under each protocol, and generated
//! scenarios of growing parties, issues and rounds (alternating offers).
//! Run: `cargo bench -p truce-sim --bench simulate`; whole-command figures
//! come from `bench/simulate-table.sh`.

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
use truce_engine::generate::{generate, Shape};
use truce_engine::model::{Scenario, Spread};
use truce_engine::simulation::Protocol;
use truce_sim::{simulate, Config};

const RUNS: u64 = 20_000;

fn example() -> Scenario {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/ukraine-2025.toml"
    );
    let text = std::fs::read_to_string(path).expect("the example scenario");
    truce_engine::parse_scenario(&text).expect("a valid example")
}

/// A generated scenario whose reservation values are uncertain (so runs
/// differ) and whose weights are too when `weights` is set (so every run
/// draws its own utilities).
fn generated(parties: usize, issues: usize, weights: bool) -> Scenario {
    let mut s = generate(
        &Shape {
            parties,
            options: vec![4; issues],
            red_lines: 1,
            ..Default::default()
        },
        1,
    )
    .unwrap()
    .into_parts();
    for p in s.preferences.iter_mut().flatten() {
        let r = p.reservation.value;
        p.reservation.spread = Some(Spread::Uniform {
            lo: (r - 0.1).max(0.0),
            hi: (r + 0.1).min(1.0),
        });
        if weights {
            for ip in &mut p.issues {
                let w = ip.weight.value;
                ip.weight.spread = Some(Spread::Uniform {
                    lo: w * 0.8,
                    hi: w * 1.2,
                });
            }
        }
    }
    Scenario::new(s).unwrap()
}

fn config(s: &Scenario, protocol: Protocol, rounds: u32, runs: u64) -> Config {
    let mut c = Config::from_scenario(s);
    c.protocol = protocol;
    c.rounds = rounds;
    c.runs = runs;
    c
}

fn bench(c: &mut Criterion) {
    let s = example();
    let mut group = c.benchmark_group("example");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Elements(RUNS));
    for p in Protocol::ALL {
        let cfg = config(&s, p, s.simulation.rounds.unwrap_or(30), RUNS);
        group.bench_function(p.as_str(), |b| {
            b.iter(|| simulate(&s, &cfg, &[], &|_| {}).unwrap())
        });
    }
    group.finish();

    let mut group = c.benchmark_group("alternating_generated");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    let runs = 2_000;
    group.throughput(Throughput::Elements(runs));
    for parties in [2usize, 3, 5] {
        for issues in [3usize, 5, 7] {
            let g = generated(parties, issues, false);
            let cfg = config(&g, Protocol::Alternating, 100, runs);
            group.bench_with_input(
                BenchmarkId::new(
                    format!("{parties}_parties"),
                    format!("{issues}_issues_100_rounds"),
                ),
                &cfg,
                |b, cfg| b.iter(|| simulate(&g, cfg, &[], &|_| {}).unwrap()),
            );
        }
    }
    for rounds in [20u32, 100, 500] {
        let g = generated(2, 5, false);
        let cfg = config(&g, Protocol::Alternating, rounds, runs);
        group.bench_with_input(
            BenchmarkId::new("2_parties_5_issues", format!("{rounds}_rounds")),
            &cfg,
            |b, cfg| b.iter(|| simulate(&g, cfg, &[], &|_| {}).unwrap()),
        );
    }
    let g = generated(2, 5, true);
    let cfg = config(&g, Protocol::Alternating, 100, runs);
    group.bench_function("2_parties_5_issues_uncertain_weights", |b| {
        b.iter(|| simulate(&g, &cfg, &[], &|_| {}).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
