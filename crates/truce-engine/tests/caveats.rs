//! Caveats on random plans with linkages: each gains something or ends a
//! red-line crossing (no "+0.000" from a utility held at its bound), and
//! names exactly the party's linkages whose truth the change flips.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use truce_engine::analysis::{analyze, AnalysisOptions};
use truce_engine::generate::{generate, Shape};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]
    #[test]
    fn caveats_gain_and_name_their_linkages(seed in 0u64..100_000, linkages in 1usize..6) {
        let s = generate(&Shape { parties: 3, options: vec![3, 2, 4, 3], plans: 2, linkages, ..Shape::default() }, seed).unwrap();
        let a = analyze(&s, &AnalysisOptions::default()).unwrap();
        for r in &a.plans {
            let plan = s.plans[r.plan].package();
            for v in &r.parties {
                for c in &v.caveats {
                    prop_assert!(c.gain > 1e-12 || !c.resolves.is_empty(), "{c:?}");
                    let mut changed = plan.clone();
                    changed[c.issue] = c.to as u16;
                    let flipped: Vec<usize> = s
                        .linkages
                        .iter()
                        .enumerate()
                        .filter(|(_, l)| l.party == v.party && l.when.holds(&plan) != l.when.holds(&changed))
                        .map(|(i, _)| i)
                        .collect();
                    prop_assert_eq!(&c.linkages, &flipped);
                }
            }
        }
    }
}
