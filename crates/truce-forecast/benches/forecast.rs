//! Forecasting speed: every model on a table of 300 decisions among 30
//! actors (the target: 30 actors × 300 decisions × 100 runs in
//! under 10 s on 2 cores), and runs over the example's uncertain estimates.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// criterion_group! defines a function it does not document.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use rand::{Rng, SeedableRng};
use truce_forecast::evaluate::accuracy;
use truce_forecast::read::decisions;
use truce_forecast::Model;

/// A table of `n` decisions among `actors` actors, positions and saliences
/// drawn from a fixed seed, a tenth of the cells blank.
pub fn table(actors: usize, n: usize) -> String {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(30);
    let mut out = String::from("issue,outcome");
    for a in 0..actors {
        out.push_str(&format!(",pA{a},sA{a}"));
    }
    out.push_str("\ncapability,");
    for _ in 0..actors {
        out.push_str(&format!(",{:.1},", rng.gen_range(1.0..100.0)));
    }
    for d in 0..n {
        out.push_str(&format!("\nd{d},{:.1}", rng.gen_range(0.0..100.0)));
        for _ in 0..actors {
            if rng.gen_bool(0.1) {
                out.push_str(",,");
            } else {
                out.push_str(&format!(
                    ",{:.1},{:.1}",
                    rng.gen_range(0.0..100.0),
                    rng.gen_range(0.0..100.0)
                ));
            }
        }
    }
    out.push('\n');
    out
}

fn bench(c: &mut Criterion) {
    let text = table(30, 300);
    let d = decisions(&text).unwrap();
    let mut g = c.benchmark_group("evaluate_30x300");
    // The iterating models take seconds a pass: ten samples suffice.
    g.sample_size(10);
    for model in Model::ALL {
        g.bench_function(model.name(), |b| b.iter(|| accuracy(&d, model)));
    }
    g.finish();
    // KTAB's reference inputs (the target: under 50 ms each).
    let shared =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/forecast/ktab");
    let mut g = c.benchmark_group("ktab_reference");
    for name in ["dummyData_3Dim.csv", "SOE-Pol-Comp.csv", "smpExample.xml"] {
        let Ok(text) = std::fs::read_to_string(shared.join(name)) else {
            continue;
        };
        let input = if name.ends_with(".xml") {
            truce_forecast::read::ktab_xml(&text).unwrap()
        } else {
            truce_forecast::read::ktab_csv(&text).unwrap()
        };
        let settings = truce_forecast::ktab::settings_of(&input).unwrap();
        g.bench_function(name, |b| {
            b.iter(|| truce_forecast::ktab::run(&input.problem, &settings).unwrap())
        });
    }
    g.finish();
    let example =
        truce_engine::parse_scenario(include_str!("../../../examples/ukraine-2025.toml")).unwrap();
    c.bench_function("example_runs_1000_compromise", |b| {
        b.iter(|| {
            truce_forecast::runs::positions(
                &example,
                Model::Compromise,
                &Default::default(),
                1000,
                1,
            )
            .unwrap()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
