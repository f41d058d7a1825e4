//! The frontier's utility vectors: a partition of its packages into
//! groups that tie for every bargaining party, no two groups alike.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use truce_engine::analysis::frontier::same;
use truce_engine::analysis::{analyze, AnalysisOptions};
use truce_engine::generate::{generate, Shape};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]
    #[test]
    fn vectors_partition_the_frontier(seed in 0u64..100_000, parties in 2usize..4) {
        // Two options per issue and few issues: ties are common.
        let s = generate(&Shape { parties, options: vec![2, 3, 2, 2], red_lines: 0, ..Shape::default() }, seed).unwrap();
        let a = analyze(&s, &AnalysisOptions::default()).unwrap();
        let groups = a.pareto_vectors();
        let mut seen: Vec<usize> = groups.iter().flatten().copied().collect();
        seen.sort_unstable();
        prop_assert_eq!(seen, (0..a.pareto.len()).collect::<Vec<_>>());
        let pos: Vec<usize> = a.bargaining.iter().map(|&p| a.valued_pos(p).unwrap()).collect();
        let key = |i: usize| pos.iter().map(|&k| a.pareto[i].utilities[k]).collect::<Vec<f64>>();
        for g in &groups {
            prop_assert!(g.windows(2).all(|w| w[0] < w[1]));
            for &i in g {
                prop_assert!(same(&key(g[0]), &key(i)));
            }
        }
        for (x, gx) in groups.iter().enumerate() {
            for gy in &groups[x + 1..] {
                prop_assert!(!same(&key(gx[0]), &key(gy[0])));
            }
        }
        prop_assert!(groups.windows(2).all(|w| w[0][0] < w[1][0]));
    }
}
