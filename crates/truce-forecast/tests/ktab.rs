//! KTAB's model on random problems: what must hold whatever the inputs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use truce_forecast::ktab::{run, Settings, StateTransitions};
use truce_forecast::{Actor, Dimension, Problem};

fn problem() -> impl Strategy<Value = Problem> {
    (1usize..9, 1usize..4).prop_flat_map(|(n, m)| {
        (
            prop::collection::vec(0u32..200, n),
            prop::collection::vec(
                prop::collection::vec((prop::option::weighted(0.9, 0u32..=100), 0u32..60), m),
                n,
            ),
        )
            .prop_map(move |(caps, cells)| {
                let actors = caps
                    .iter()
                    .enumerate()
                    .map(|(a, &c)| Actor {
                        name: format!("a{a}"),
                        capability: f64::from(c),
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

fn stochastic(seed: u64) -> Settings {
    Settings {
        state_transitions: StateTransitions::Stochastic,
        seed,
        ..Settings::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// Every round's positions stay between the stated positions (bargains
    /// interpolate; KTAB rounds them to 1e-4 of the scale, 0.005 points),
    /// the probabilities of the distinct positions sum to 1, and the run
    /// ends by KTAB's rule.
    #[test]
    fn positions_stay_in_range_and_probabilities_add_up(p in problem(), seed in any::<u64>()) {
        for settings in [Settings::default(), stochastic(seed)] {
            let r = run(&p, &settings).unwrap();
            let turns = r.turns.len();
            prop_assert!(turns == 0 || (3..=101).contains(&turns), "{turns} states");
            for (c, &d) in r.dimensions.iter().enumerate() {
                let xs: Vec<f64> = p.positions.iter().filter_map(|row| row[d]).collect();
                let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                // Silent actors start at the weighted mean, inside too.
                for t in &r.turns {
                    for row in &t.positions {
                        prop_assert!(row[c] >= lo - 0.005 && row[c] <= hi + 0.005, "{} not in [{lo}, {hi}]", row[c]);
                    }
                }
                prop_assert!(r.forecast[c] >= lo && r.forecast[c] <= hi);
            }
            for t in &r.turns {
                for q in &t.prevailing {
                    prop_assert!((0.0..=1.0).contains(q));
                }
                // Actors on one position share its probability: count each
                // distinct position once.
                let total: f64 = t.distinct.iter().map(|&a| t.prevailing[a]).sum();
                prop_assert!((total - 1.0).abs() < 1e-6, "distinct positions' probabilities sum to {total}");
            }
            if let Some(last) = r.turns.last() {
                let change = last.fractional_change.unwrap();
                prop_assert!(change < 0.02 || turns == 101, "stopped at {change} after {turns}");
            }
        }
    }

    /// One seed, one answer; and actors who already agree stay put.
    #[test]
    fn a_seed_replays_and_agreement_stays(p in problem(), seed in any::<u64>(), x in 0u32..=100) {
        prop_assert_eq!(run(&p, &stochastic(seed)).unwrap(), run(&p, &stochastic(seed)).unwrap());
        let mut same = p.clone();
        for row in &mut same.positions {
            for cell in row.iter_mut() {
                *cell = Some(f64::from(x));
            }
        }
        let r = run(&same, &Settings::default()).unwrap();
        for f in &r.forecast {
            prop_assert!((f - f64::from(x)).abs() < 1e-9);
        }
    }
}

#[test]
fn parameters_are_set_by_ktabs_names() {
    let mut s = Settings::default();
    s.set("PCEModel", "MarkovUniform").unwrap();
    s.set("BigRAdjust", "Half").unwrap();
    assert_eq!(s.pce_model.name(), "MarkovUniform");
    assert_eq!(s.big_r_adjust.name(), "Half");
    assert!(s
        .set("PCEModel", "Markov")
        .unwrap_err()
        .contains("MarkovIncentive"));
    assert!(s.set("Colour", "red").is_err());
}
