//! The pictures of a 10^7-package scenario (7 issues of 10 options, 3
//! bargaining parties, 2 plans), the analysis made once beforehand: the
//! feasible set's density (a fixed-seed sample at this size), the frontier
//! picture, support, and two plans side by side. Issue 12's target: under
//! 2 s for all of them. Run: `cargo bench -p truce-pictures --bench pictures`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// criterion_group! defines a function it does not document.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use std::time::Duration;
use truce_engine::analysis::density::density;
use truce_engine::analysis::{analyze, AnalysisOptions};
use truce_engine::generate::{generate, Shape};
use truce_pictures::{compare, frontier, support};

fn bench(c: &mut Criterion) {
    let shape = Shape {
        parties: 3,
        options: vec![10; 7],
        plans: 2,
        ..Default::default()
    };
    let s = generate(&shape, 1).unwrap();
    let a = analyze(&s, &AnalysisOptions::default()).unwrap();
    assert_eq!(a.outcomes, 10_000_000);
    let (x, y) = (a.bargaining[0], a.bargaining[1]);
    let mut group = c.benchmark_group("pictures");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("all_1e7", |b| {
        b.iter(|| {
            let d = density(&s, &a, x, y, 40).unwrap();
            let f = frontier::frontier(&s, &a, x, y, Some(&d))
                .unwrap()
                .into_string();
            let p = support::support(&s, &a).unwrap().into_string();
            let k = compare::side_by_side(&s, 0, 1).unwrap().into_string();
            f.len() + p.len() + k.len()
        })
    });
    group.bench_function("density_1e7", |b| {
        b.iter(|| density(&s, &a, x, y, 40).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
