//! The exact search against enumeration: on every scenario small enough to
//! enumerate, both give the same optima, feasible count and conflicts.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use truce_engine::analysis::{analyze, Analysis, AnalysisOptions, Method};
use truce_engine::generate::{generate, Shape};

fn shape() -> impl Strategy<Value = (Shape, u64)> {
    (
        1usize..=4,
        proptest::collection::vec(1u16..=5, 1..=6),
        any::<bool>(),
        0usize..=3,
        any::<bool>(),
        0usize..=3,
        0usize..=3,
        (0.0f64..0.7, 0.0f64..0.3),
        prop_oneof![Just(0u32), 1u32..=4],
        0usize..=2,
        any::<u64>(),
    )
        .prop_map(
            |(
                parties,
                options,
                mediator,
                red_lines,
                deferrable,
                plans,
                linkages,
                (lo, w),
                value_levels,
                numeric_issues,
                seed,
            )| {
                (
                    Shape {
                        parties,
                        options,
                        mediator,
                        red_lines,
                        deferrable,
                        reservation: (lo, lo + w),
                        plans,
                        linkages,
                        value_levels,
                        numeric_issues,
                    },
                    seed,
                )
            },
        )
}

fn with(method: Method) -> AnalysisOptions {
    AnalysisOptions {
        method,
        ..AnalysisOptions::default()
    }
}

/// Everything both methods must agree on (the frontier aside).
fn answers(a: &Analysis) -> String {
    let sol = &a.solutions;
    let pkg = |p: &Option<truce_engine::analysis::Point>| p.as_ref().map(|p| p.index);
    format!(
        "feasible {}\nconflicts {:?} cut {}\nnash {:?}\nks {:?}\nutilitarian {:?}\negalitarian {:?}\noffer {:?}\nparties {:?}\nplans {:?}",
        a.feasible_count,
        a.conflicts,
        a.conflicts_cut,
        pkg(&sol.nash),
        pkg(&sol.kalai_smorodinsky),
        pkg(&sol.utilitarian),
        pkg(&sol.egalitarian),
        a.best_offer.as_ref().map(|o| o.point.index),
        a.parties,
        a.plans
            .iter()
            .map(|p| p.nearest.as_ref().map(|n| n.point.index))
            .collect::<Vec<_>>(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn exact_search_agrees_with_enumeration((shape, seed) in shape()) {
        let s = generate(&shape, seed).unwrap();
        let enumerated = analyze(&s, &with(Method::Enumerate)).unwrap();
        let searched = analyze(&s, &with(Method::Search)).unwrap();
        prop_assert_eq!(answers(&enumerated), answers(&searched));
    }
}

/// Impasses are common enough in generated scenarios that the conflicts
/// the search finds are checked against enumeration many times over.
#[test]
fn searched_conflicts_match_enumerated_ones() {
    let mut impasses = 0;
    for seed in 0..400u64 {
        let shape = Shape {
            parties: 3,
            options: vec![3, 4, 2, 3],
            red_lines: 2,
            reservation: (0.4, 0.7),
            value_levels: (seed % 4) as u32,
            ..Shape::default()
        };
        let s = generate(&shape, seed).unwrap();
        let enumerated = analyze(&s, &with(Method::Enumerate)).unwrap();
        let searched = analyze(&s, &with(Method::Search)).unwrap();
        assert_eq!(answers(&enumerated), answers(&searched), "seed {seed}");
        if enumerated.feasible_count == 0 {
            assert!(!enumerated.conflicts.is_empty());
            impasses += 1;
        }
    }
    assert!(impasses >= 40, "only {impasses} impasses in 400 scenarios");
}
