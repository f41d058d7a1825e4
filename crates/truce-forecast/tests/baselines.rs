//! The compromise and median models against their definitions, on random
//! problems.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use truce_forecast::{forecast, Actor, Dimension, Model, Problem};

fn problem() -> impl Strategy<Value = Problem> {
    (1usize..12, 1usize..4).prop_flat_map(|(n, m)| {
        (
            prop::collection::vec(0u32..200, n),
            prop::collection::vec(
                prop::collection::vec((prop::option::weighted(0.8, 0u32..=100), 0u32..100), m),
                n,
            ),
        )
            .prop_map(move |(caps, cells)| {
                let actors = caps
                    .iter()
                    .enumerate()
                    .map(|(a, &c)| Actor {
                        name: format!("a{a}"),
                        capability: f64::from(c) / 2.0,
                    })
                    .collect();
                let dims = (0..m)
                    .map(|d| Dimension::continuous(format!("d{d}")))
                    .collect();
                let positions = cells
                    .iter()
                    .map(|r| r.iter().map(|c| c.0.map(f64::from)).collect())
                    .collect();
                let saliences = cells
                    .iter()
                    .map(|r| r.iter().map(|c| f64::from(c.1)).collect())
                    .collect();
                Problem::new("random", actors, dims, positions, saliences).unwrap()
            })
    })
}

/// (position, weight) of every actor with a position on `d`; equal weights
/// when they sum to zero, as the models document.
fn taken(p: &Problem, d: usize) -> Vec<(f64, f64)> {
    let mut t: Vec<(f64, f64)> = (0..p.actors.len())
        .filter_map(|a| p.positions[a][d].map(|x| (x, p.actors[a].capability * p.saliences[a][d])))
        .collect();
    if t.iter().map(|x| x.1).sum::<f64>() == 0.0 {
        for x in &mut t {
            x.1 = 1.0;
        }
    }
    t
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn compromise_is_the_weighted_mean(p in problem()) {
        let out = forecast(&p, Model::Compromise);
        for d in 0..p.dimensions.len() {
            let t = taken(&p, d);
            match out.positions[d] {
                None => prop_assert!(t.is_empty()),
                Some(x) => {
                    let w: f64 = t.iter().map(|t| t.1).sum();
                    let mean = t.iter().map(|t| t.0 * t.1).sum::<f64>() / w;
                    prop_assert!((x - mean).abs() < 1e-9, "{} vs {}", x, mean);
                }
            }
        }
    }

    #[test]
    fn median_splits_the_weight_in_half_at_a_position(p in problem()) {
        let out = forecast(&p, Model::Median);
        for d in 0..p.dimensions.len() {
            let t = taken(&p, d);
            let Some(x) = out.positions[d] else {
                prop_assert!(t.is_empty());
                continue;
            };
            prop_assert!(t.iter().any(|t| t.0 == x), "an actor's position");
            let total: f64 = t.iter().map(|t| t.1).sum();
            let below: f64 = t.iter().filter(|t| t.0 < x).map(|t| t.1).sum();
            let above: f64 = t.iter().filter(|t| t.0 > x).map(|t| t.1).sum();
            prop_assert!(below <= total / 2.0 + 1e-9 && above <= total / 2.0 + 1e-9);
            // The lowest such position.
            for y in t.iter().map(|t| t.0).filter(|&y| y < x) {
                let b: f64 = t.iter().filter(|t| t.0 < y).map(|t| t.1).sum();
                let a: f64 = t.iter().filter(|t| t.0 > y).map(|t| t.1).sum();
                prop_assert!(!(b <= total / 2.0 && a <= total / 2.0), "{} also splits the weight and is lower", y);
            }
        }
    }

    #[test]
    fn every_forecast_lies_within_the_positions(p in problem()) {
        for model in Model::ALL {
            let out = forecast(&p, model);
            for d in 0..p.dimensions.len() {
                let t = taken(&p, d);
                if let Some(x) = out.positions[d] {
                    let lo = t.iter().map(|t| t.0).fold(f64::INFINITY, f64::min);
                    let hi = t.iter().map(|t| t.0).fold(f64::NEG_INFINITY, f64::max);
                    prop_assert!(lo <= x && x <= hi, "{:?}: {} outside [{}, {}]", model, x, lo, hi);
                }
            }
        }
    }
}
