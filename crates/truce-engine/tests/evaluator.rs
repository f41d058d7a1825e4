//! One party's utility evaluated alone is, bit for bit, what evaluating
//! every party gives it, whether the space is tabulated whole or split
//! into a prefix and a tabulated suffix, with linkages and clamping.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use truce_engine::generate::{generate, Shape};
use truce_engine::utility::Evaluator;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn one_party_alone_is_what_all_parties_together_give(
        seed in 0u64..1000,
        options in prop::collection::vec(2u16..7, 1..9),
        linkages in 0usize..3,
        limit in prop::sample::select(vec![1u64, 16, 4096]),
        samples in prop::collection::vec(any::<u64>(), 32),
    ) {
        let s = generate(&Shape { parties: 3, options: options.clone(), mediator: true, linkages, ..Shape::default() }, seed).unwrap();
        let ev = Evaluator::with_suffix_limit(&s, limit);
        let size = ev.space.size().unwrap();
        for x in samples {
            let package = ev.space.package(x % size);
            let all = ev.evaluate(&package);
            for (k, u) in all.utilities.iter().enumerate() {
                prop_assert_eq!(ev.utility_of(k, &package).to_bits(), u.to_bits(), "party {} package {:?}", k, package);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Linkages rescale a party's utility into [0, 1]: the evaluator gives
    /// (Σ weight × value + Σ linkages that hold − N) / (1 + P − N), read
    /// straight from the preferences, and that never leaves [0, 1], so
    /// nothing is clamped away.
    #[test]
    fn linkages_keep_utilities_in_the_unit_interval_by_construction(
        seed in 0u64..100_000,
        options in prop::collection::vec(2u16..5, 2..6),
        linkages in 1usize..5,
        samples in prop::collection::vec(any::<u64>(), 16),
    ) {
        let s = generate(&Shape { parties: 3, options, linkages, ..Shape::default() }, seed).unwrap();
        let ev = Evaluator::new(&s);
        let size = ev.space.size().unwrap();
        for x in samples {
            let package = ev.space.package(x % size);
            let got = ev.evaluate(&package).utilities;
            for (k, &p) in ev.valued.iter().enumerate() {
                let prefs = s.preferences[p].as_ref().unwrap();
                let plain: f64 = prefs.issues.iter().zip(&package).map(|(ip, &o)| ip.weight.value * ip.values[o as usize].value).sum();
                let own: Vec<&truce_engine::model::Linkage> = s.linkages.iter().filter(|l| l.party == p).collect();
                let pos: f64 = own.iter().map(|l| l.utility.value.max(0.0)).sum();
                let neg: f64 = own.iter().map(|l| l.utility.value.min(0.0)).sum();
                let held: f64 = own.iter().filter(|l| l.when.holds(&package)).map(|l| l.utility.value).sum();
                let want = (plain + held - neg) / (1.0 + pos - neg);
                prop_assert!((-1e-12..=1.0 + 1e-12).contains(&want), "{} outside [0, 1]", want);
                prop_assert!((got[k] - want).abs() < 1e-12, "party {}: {} against {}", k, got[k], want);
            }
        }
    }
}
