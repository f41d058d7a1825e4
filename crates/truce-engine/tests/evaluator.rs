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
