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

/// Two parties whose values on every issue are each other's complement:
/// every package is Pareto-optimal (the frontier is the whole space).
fn zero_sum(issues: usize, options: usize) -> truce_engine::Scenario {
    let mut t = String::from("[scenario]\nname = \"zero-sum\"\n");
    for p in ["a", "b"] {
        t += &format!("[[parties]]\nid = \"{p}\"\nname = \"{p}\"\nrole = \"party\"\nveto = true\n");
    }
    for i in 0..issues {
        let opts: Vec<String> = (0..options)
            .map(|o| format!("{{ id = \"o{o}\", label = \"o{o}\" }}"))
            .collect();
        t += &format!(
            "[[issues]]\nid = \"i{i}\"\nquestion = \"?\"\noptions = [{}]\n",
            opts.join(", ")
        );
    }
    let mut x = 12345u64;
    let values: Vec<Vec<f64>> = (0..issues)
        .map(|_| {
            (0..options)
                .map(|_| {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (x >> 40) as f64 / (1u64 << 24) as f64
                })
                .collect()
        })
        .collect();
    for (p, flip) in [("a", false), ("b", true)] {
        t += &format!("[[preferences]]\nparty = \"{p}\"\nreservation = 0.0\n");
        for (i, vs) in values.iter().enumerate() {
            let vals: Vec<String> = vs
                .iter()
                .enumerate()
                .map(|(o, v)| format!("o{o} = {}", if flip { 1.0 - v } else { *v }))
                .collect();
            t += &format!(
                "[[preferences.issues]]\nissue = \"i{i}\"\nweight = {}\nvalues = {{ {} }}\n",
                1.0 / issues as f64,
                vals.join(", ")
            );
        }
    }
    truce_engine::parse_scenario(&t).unwrap()
}

/// The two-party corner where nearly every package is on the frontier:
/// issue 13's target is 10^6 packages in under 1 s.
fn bench_zero_sum(c: &mut Criterion) {
    let mut group = c.benchmark_group("analyze_zero_sum");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(10));
    for exponent in [4usize, 5, 6] {
        let s = zero_sum(exponent, 10);
        group.bench_with_input(
            BenchmarkId::new("2_parties", format!("1e{exponent}")),
            &s,
            |b, s| {
                b.iter(|| {
                    let a = analyze(s, &AnalysisOptions::default()).unwrap();
                    assert_eq!(a.pareto.len() as u64, a.outcomes);
                })
            },
        );
    }
    group.finish();
}

/// The enumeration's inner loop alone: every package's utility for every
/// party, as `for_each_package` computes it (10^7 packages × 4 parties, one
/// core). Throughput is party-utility evaluations per second.
fn bench_enumeration(c: &mut Criterion) {
    let mut group = c.benchmark_group("enumeration");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(10));
    let parties = 4usize;
    let s = generate(
        &Shape {
            parties,
            options: vec![10; 7],
            ..Default::default()
        },
        1,
    )
    .unwrap();
    let ev = truce_engine::utility::Evaluator::new(&s);
    group.throughput(Throughput::Elements(10u64.pow(7) * parties as u64));
    group.bench_function("4_parties_1e7", |b| {
        b.iter(|| {
            let mut total = 0.0;
            ev.for_each_package(|_, _, u| total += u[0] + u[1] + u[2] + u[3]);
            std::hint::black_box(total)
        })
    });
    group.finish();
}

criterion_group!(benches, bench, bench_zero_sum, bench_enumeration);
criterion_main!(benches);
