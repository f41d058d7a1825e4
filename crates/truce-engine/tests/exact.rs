//! The exact search against enumeration: on every scenario small enough to
//! enumerate, both give the same optima, feasible count and conflicts.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use truce_engine::analysis::{analyze, Analysis, AnalysisOptions, FrontierMethod, Method};
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
        (0usize..=2, 0usize..=2),
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
                (numeric_issues, consent_parties),
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
                        consent_parties,
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

/// The frontier as (bargaining parties' utilities to 9 decimals, packages
/// tied on them), sorted.
fn frontier(a: &Analysis) -> Vec<(Vec<i64>, u128)> {
    let pos: Vec<usize> = a
        .bargaining
        .iter()
        .filter_map(|&p| a.valued_pos(p))
        .collect();
    let mut out: Vec<(Vec<i64>, u128)> = a
        .pareto_vectors()
        .iter()
        .map(|g| {
            let u = pos
                .iter()
                .map(|&k| (a.pareto[g[0]].utilities[k] * 1e9).round() as i64)
                .collect();
            (u, a.ties_of(g))
        })
        .collect();
    out.sort();
    out
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
        // The frontier built group by group: the same utility vectors, each
        // with as many tied packages.
        prop_assert_eq!(searched.frontier_method, FrontierMethod::MergedByGroup);
        prop_assert_eq!(frontier(&enumerated), frontier(&searched));
        prop_assert_eq!(enumerated.pareto_count(), searched.pareto_count());
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

/// Past the counting limit the feasible count is a sample's estimate; its
/// 95% interval holds the true count about as often as it claims.
#[test]
fn an_estimated_feasible_count_brackets_the_true_one() {
    let (mut inside, mut cases) = (0, 0);
    for seed in 0..40u64 {
        let shape = Shape {
            parties: 3,
            options: vec![5, 4, 6, 5, 4, 3],
            red_lines: 1,
            reservation: (0.35, 0.55),
            ..Shape::default()
        };
        let s = generate(&shape, seed).unwrap();
        let enumerated = analyze(&s, &with(Method::Enumerate)).unwrap();
        if enumerated.feasible_count == 0 {
            continue;
        }
        let estimated = analyze(
            &s,
            &AnalysisOptions {
                count_node_limit: 10,
                ..with(Method::Search)
            },
        )
        .unwrap();
        let Some(e) = estimated.feasible_estimate else {
            // Counting settled within the limit: then it is exact.
            assert_eq!(estimated.feasible_count, enumerated.feasible_count);
            continue;
        };
        assert_eq!(e.sampled, 200_000);
        assert!(e.low <= estimated.feasible_count && estimated.feasible_count <= e.high);
        assert!(estimated.feasible_count >= 1);
        cases += 1;
        if e.low <= enumerated.feasible_count && enumerated.feasible_count <= e.high {
            inside += 1;
        }
        // Everything else is still exact.
        assert_eq!(
            answers(&enumerated).split_once('\n').map(|x| x.1),
            answers(&estimated).split_once('\n').map(|x| x.1)
        );
    }
    assert!(cases >= 20, "only {cases} feasible scenarios");
    assert!(
        inside * 10 >= cases * 9,
        "{inside} of {cases} intervals hold the count"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// An ε-frontier covers the frontier: every Pareto-optimal feasible
    /// package is within ε of a listed one for every bargaining party, and
    /// every listed package is feasible.
    #[test]
    fn an_epsilon_frontier_covers_the_frontier((shape, seed) in shape(), e in prop::sample::select(vec![0.01, 0.05, 0.2])) {
        let s = generate(&shape, seed).unwrap();
        let enumerated = analyze(&s, &with(Method::Enumerate)).unwrap();
        let approx = analyze(&s, &AnalysisOptions { frontier_epsilon: Some(e), ..with(Method::Search) }).unwrap();
        prop_assert!(approx.frontier_epsilon.is_some_and(|x| x.0 == e));
        let pos: Vec<usize> = enumerated.bargaining.iter().filter_map(|&p| enumerated.valued_pos(p)).collect();
        for p in &enumerated.pareto {
            let covered = approx.pareto.iter().any(|q| pos.iter().all(|&k| q.utilities[k] >= p.utilities[k] - e - 1e-9));
            prop_assert!(covered, "{:?} is not within {} of a listed package", p.utilities, e);
        }
        let ev = truce_engine::utility::Evaluator::new(&s);
        for q in &approx.pareto {
            let e = ev.evaluate(&q.package);
            let binding_red = approx.binding & ((1u128 << s.red_lines.len()) - 1) as u64;
            prop_assert_eq!(e.crossed & binding_red, 0);
            for (&p, &k) in approx.bargaining.iter().zip(&pos) {
                let r = approx.parties.iter().find(|x| x.party == p).unwrap().reservation;
                prop_assert!(e.utilities[k] >= r);
            }
        }
    }
}
