//! Property tests: every optimisation of the analysis against a brute-force
//! oracle that enumerates small random scenarios package by package.

// A failing test unwraps, expects or panics: that is how it fails; and it
// may tell the runner what it covered.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

use proptest::prelude::*;
use truce_engine::analysis::{analyze, Analysis, AnalysisOptions, ConstraintRef, OfferRule};
use truce_engine::generate::{generate, Shape};
use truce_engine::utility::Evaluator;
use truce_engine::write::to_toml;
use truce_engine::{parse_scenario, Scenario};

/// Everything the oracle knows about one package.
struct Row {
    index: u64,
    package: Vec<u16>,
    utilities: Vec<f64>,
    /// Violated constraints, as bits over `Analysis::constraints`.
    violated: u64,
}

fn rows(s: &Scenario, a: &Analysis, options: &AnalysisOptions) -> Vec<Row> {
    let ev = Evaluator::with_suffix_limit(s, options.suffix_table_max);
    let n = ev.space.size().unwrap();
    (0..n)
        .map(|index| {
            let package = ev.space.package(index);
            let e = ev.evaluate(&package);
            let mut violated = 0u64;
            for (bit, c) in a.constraints.iter().enumerate() {
                let broken = match *c {
                    ConstraintRef::RedLine(r) => e.crossed >> r & 1 == 1,
                    ConstraintRef::Reservation(p) => {
                        let k = a.valued_pos(p).unwrap();
                        e.utilities[k] < a.parties[k].reservation
                    }
                };
                if broken {
                    violated |= 1 << bit;
                }
            }
            Row {
                index,
                package,
                utilities: e.utilities,
                violated,
            }
        })
        .collect()
}

fn feasible(a: &Analysis, r: &Row) -> bool {
    r.violated & a.binding == 0
}

fn bargaining_utilities(a: &Analysis, r: &[f64]) -> Vec<f64> {
    a.bargaining
        .iter()
        .map(|&p| r[a.valued_pos(p).unwrap()])
        .collect()
}

fn gains(a: &Analysis, u: &[f64]) -> Vec<f64> {
    a.bargaining
        .iter()
        .map(|&p| {
            let k = a.valued_pos(p).unwrap();
            u[k] - a.parties[k].reservation
        })
        .collect()
}

/// Dominance as docs/analysis.md defines it: utilities within 1e-12 are equal.
fn dominates(x: &[f64], y: &[f64]) -> bool {
    const EPS: f64 = 1e-12;
    x.iter().zip(y).all(|(a, b)| *a >= b - EPS) && x.iter().zip(y).any(|(a, b)| *a > b + EPS)
}

fn shape() -> impl Strategy<Value = (Shape, u64)> {
    (
        1usize..=4,
        proptest::collection::vec(1u16..=4, 1..=4),
        any::<bool>(),
        0usize..=3,
        any::<bool>(),
        0usize..=2,
        0usize..=2,
        (0.0f64..0.6, 0.0f64..0.3),
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
                        value_levels: 0,
                        numeric_issues: 0,
                        consent_parties: 0,
                    },
                    seed,
                )
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn analysis_agrees_with_brute_force((shape, seed) in shape(), suffix_table_max in 1u64..=20) {
        let s = generate(&shape, seed).unwrap();
        // Small suffix tables split even small spaces into many prefixes.
        let options = AnalysisOptions { suffix_table_max, ..Default::default() };
        let a = analyze(&s, &options).unwrap();
        let rows = rows(&s, &a, &options);
        let feas: Vec<&Row> = rows.iter().filter(|r| feasible(&a, r)).collect();

        prop_assert_eq!(a.outcomes, rows.len() as u64);
        prop_assert_eq!(a.feasible_count, feas.len() as u64);

        // Pareto frontier: exactly the undominated feasible packages.
        let expected: Vec<u64> = feas
            .iter()
            .filter(|r| {
                let u = bargaining_utilities(&a, &r.utilities);
                !feas.iter().any(|o| dominates(&bargaining_utilities(&a, &o.utilities), &u))
            })
            .map(|r| r.index)
            .collect();
        let got: Vec<u64> = a.pareto.iter().map(|p| p.index).collect();
        prop_assert_eq!(&got, &expected);
        for p in &a.pareto {
            prop_assert_eq!(&p.utilities, &rows[p.index as usize].utilities);
            prop_assert_eq!(&p.package, &rows[p.index as usize].package);
        }

        // Solutions maximise their criteria over the whole feasible set.
        let product = |u: &[f64]| gains(&a, u).iter().product::<f64>();
        let sum = |u: &[f64]| bargaining_utilities(&a, u).iter().sum::<f64>();
        let min_gain = |u: &[f64]| gains(&a, u).into_iter().fold(f64::INFINITY, f64::min);
        match &a.solutions.nash {
            None => prop_assert!(feas.is_empty()),
            Some(n) => {
                for r in &feas {
                    prop_assert!(product(&n.utilities) >= product(&r.utilities));
                }
                prop_assert!(feasible(&a, &rows[n.index as usize]));
            }
        }
        if let Some(u) = &a.solutions.utilitarian {
            let best = feas.iter().map(|r| sum(&r.utilities)).fold(f64::NEG_INFINITY, f64::max);
            prop_assert_eq!(sum(&u.utilities), best);
        }
        if let Some(e) = &a.solutions.egalitarian {
            let best = feas.iter().map(|r| min_gain(&r.utilities)).fold(f64::NEG_INFINITY, f64::max);
            prop_assert_eq!(min_gain(&e.utilities), best);
        }
        if let Some(k) = &a.solutions.kalai_smorodinsky {
            // Closest to equal shares of each party's best feasible gain,
            // among Pareto-optimal packages.
            let ideal: Vec<f64> = (0..a.bargaining.len())
                .map(|b| feas.iter().map(|r| gains(&a, &r.utilities)[b]).fold(f64::NEG_INFINITY, f64::max))
                .collect();
            let spread = |u: &[f64]| {
                let sh: Vec<f64> = gains(&a, u).iter().zip(&ideal).map(|(g, i)| if *i > 0.0 { g / i } else { 1.0 }).collect();
                sh.iter().copied().fold(f64::NEG_INFINITY, f64::max) - sh.iter().copied().fold(f64::INFINITY, f64::min)
            };
            for p in &a.pareto {
                prop_assert!(spread(&k.utilities) <= spread(&p.utilities));
            }
        }

        // Per party: best feasible, worst overall.
        for (k, ps) in a.parties.iter().enumerate() {
            let worst = rows.iter().map(|r| r.utilities[k]).fold(f64::INFINITY, f64::min);
            prop_assert_eq!(ps.worst, worst);
            let best = feas.iter().map(|r| r.utilities[k]).fold(f64::NEG_INFINITY, f64::max);
            prop_assert_eq!(ps.best_feasible, (!feas.is_empty()).then_some(best));
        }

        // Nearest acceptable package of each plan.
        for pr in &a.plans {
            let plan = s.plans[pr.plan].package();
            let dist = |r: &Row| r.package.iter().zip(&plan).filter(|(x, y)| x != y).count();
            match &pr.nearest {
                None => prop_assert!(feas.is_empty()),
                Some(n) => {
                    let row = &rows[n.point.index as usize];
                    prop_assert!(feasible(&a, row));
                    prop_assert_eq!(n.changes.len(), dist(row));
                    for r in &feas {
                        prop_assert!(dist(r) >= dist(row));
                        if dist(r) == dist(row) {
                            prop_assert!(product(&r.utilities) <= product(&row.utilities));
                        }
                    }
                }
            }
            // A plan is feasible exactly when nothing binding blocks it.
            let plan_row = &rows[s.space_index(&plan) as usize];
            prop_assert_eq!(pr.feasible(), feasible(&a, plan_row));
        }

        // Best and final offer.
        match (&a.best_offer, s.mediator()) {
            (Some(o), Some(m)) if matches!(o.rule, OfferRule::MediatorUtility(_)) => {
                let k = a.valued_pos(m).unwrap();
                let own: Vec<usize> = (0..s.red_lines.len()).filter(|&r| s.red_lines[r].party == m).collect();
                let ok = |r: &Row| feasible(&a, r)
                    && own.iter().all(|&x| r.violated >> x & 1 == 0)
                    && r.utilities[k] >= a.parties[k].reservation;
                prop_assert!(ok(&rows[o.point.index as usize]));
                for r in rows.iter().filter(|r| ok(r)) {
                    prop_assert!(r.utilities[k] <= o.point.utilities[k]);
                }
            }
            (Some(o), _) => prop_assert_eq!(Some(&o.point), a.solutions.nash.as_ref()),
            (None, Some(m)) if a.valued_pos(m).is_some() => {
                let k = a.valued_pos(m).unwrap();
                let own: Vec<usize> = (0..s.red_lines.len()).filter(|&r| s.red_lines[r].party == m).collect();
                prop_assert!(!feas.iter().any(|r| own.iter().all(|&x| r.violated >> x & 1 == 0)
                    && r.utilities[k] >= a.parties[k].reservation));
            }
            (None, _) => prop_assert!(feas.is_empty()),
        }

        // Conflicts: each set cannot all hold, and without any one member it can.
        if feas.is_empty() {
            prop_assert!(!a.conflicts.is_empty());
        }
        for &c in &a.conflicts {
            prop_assert!(c & !a.binding == 0);
            prop_assert!(rows.iter().all(|r| r.violated & c != 0));
            let mut bits = c;
            while bits != 0 {
                let b = bits & bits.wrapping_neg();
                bits ^= b;
                prop_assert!(rows.iter().any(|r| r.violated & (c & !b) == 0));
            }
        }
    }

    #[test]
    fn results_do_not_depend_on_thread_count((shape, seed) in shape(), suffix_table_max in 1u64..=20) {
        let s = generate(&shape, seed).unwrap();
        let options = AnalysisOptions { suffix_table_max, ..Default::default() };
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap()
                .install(|| analyze(&s, &options).unwrap())
        };
        prop_assert_eq!(run(1), run(3));
    }

    #[test]
    fn written_scenarios_read_back_unchanged((shape, seed) in shape()) {
        let s = generate(&shape, seed).unwrap();
        let text = to_toml(&s).unwrap();
        let back = parse_scenario(&text).unwrap();
        prop_assert_eq!(back, s);
    }

    #[test]
    fn streamed_utilities_match_one_by_one_evaluation((shape, seed) in shape(), limit in 1u64..=20) {
        let s = generate(&shape, seed).unwrap();
        let ev = Evaluator::with_suffix_limit(&s, limit);
        let mut seen = 0u64;
        ev.for_each_package(|index, package, utilities| {
            assert_eq!(index, seen);
            assert_eq!(package, ev.space.package(index).as_slice());
            assert_eq!(utilities, ev.evaluate(package).utilities.as_slice());
            seen += 1;
        });
        prop_assert_eq!(seen, ev.space.size().unwrap());
    }

    #[test]
    fn tabulated_utilities_match_plain_sums((shape, seed) in shape()) {
        let s = generate(&shape, seed).unwrap();
        let ev = Evaluator::new(&s);
        for index in 0..ev.space.size().unwrap() {
            let p = ev.space.package(index);
            let e = ev.evaluate(&p);
            for (k, u) in e.utilities.iter().enumerate() {
                prop_assert!((u - ev.plain_utility(k, &p)).abs() < 1e-12);
            }
        }
    }
}

/// A scenario with no feasible package explains the impasse by owner.
#[test]
fn opposed_red_lines_are_reported_as_a_conflict() {
    let text = r#"
[scenario]
name = "impasse"
[[parties]]
id = "a"
name = "A"
role = "party"
[[parties]]
id = "b"
name = "B"
role = "party"
[[issues]]
id = "crimea"
question = "?"
options = [{ id = "ukrainian", label = "u" }, { id = "russian", label = "r" }]
[[issues]]
id = "sanctions"
question = "?"
options = [{ id = "kept", label = "k" }, { id = "lifted", label = "l" }]
[[preferences]]
party = "a"
reservation = 0.0
issues = [{ issue = "crimea", weight = 1, values = { ukrainian = 1, russian = 0 } }]
[[preferences]]
party = "b"
reservation = 0.0
issues = [{ issue = "crimea", weight = 1, values = { ukrainian = 0, russian = 1 } }]
[[red_lines]]
id = "no_recognition"
party = "a"
label = "no recognition"
rule = 'crimea != "russian"'
[[red_lines]]
id = "recognition"
party = "b"
label = "Crimea recognised"
rule = 'crimea == "russian"'
[[red_lines]]
id = "harmless"
party = "b"
label = "sanctions lifted"
rule = 'sanctions == "lifted"'
"#;
    let s = parse_scenario(text).unwrap();
    let a = analyze(&s, &AnalysisOptions::default()).unwrap();
    assert_eq!(a.feasible_count, 0);
    assert_eq!(a.conflicts.len(), 1);
    assert_eq!(
        a.constraints_in(a.conflicts[0]),
        vec![ConstraintRef::RedLine(0), ConstraintRef::RedLine(1)]
    );
    assert!(a.best_offer.is_none());
    assert!(a.solutions.nash.is_none());
}

/// Guards the property tests' reach: the generated scenarios they draw
/// include impasses with multi-constraint conflicts, and mediator offers.
#[test]
fn generated_scenarios_cover_impasses_and_offers() {
    let (mut impasses, mut pairs, mut offers) = (0, 0, 0);
    for seed in 0..200 {
        let shape = Shape {
            parties: 3,
            options: vec![3, 3, 2],
            mediator: true,
            red_lines: 2,
            reservation: (0.3, 0.7),
            ..Default::default()
        };
        let s = generate(&shape, seed).unwrap();
        let a = analyze(&s, &AnalysisOptions::default()).unwrap();
        if a.feasible_count == 0 {
            impasses += 1;
            pairs += a.conflicts.iter().filter(|c| c.count_ones() >= 2).count();
        }
        if matches!(
            a.best_offer.as_ref().map(|o| &o.rule),
            Some(OfferRule::MediatorUtility(_))
        ) {
            offers += 1;
        }
    }
    assert!(impasses >= 10, "only {impasses} impasses");
    assert!(pairs >= 10, "only {pairs} multi-constraint conflicts");
    assert!(offers >= 10, "only {offers} mediator offers");
}

/// Spaces large enough to be enumerated in parallel give the same analysis
/// on 1, 2 and 3 threads, on both frontier paths (red lines or none).
#[test]
fn large_spaces_do_not_depend_on_thread_count() {
    for (seed, red_lines) in [(1, 0), (2, 1), (3, 2)] {
        let shape = Shape {
            parties: 3,
            options: vec![8, 8, 8, 8, 8, 8],
            mediator: true,
            red_lines,
            plans: 2,
            ..Default::default()
        };
        let s = generate(&shape, seed).unwrap();
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| analyze(&s, &AnalysisOptions::default()).unwrap())
        };
        let one = run(1);
        assert!(one.outcomes >= 1 << 18);
        assert_eq!(one, run(2), "seed {seed}");
        assert_eq!(one, run(3), "seed {seed}");
    }
}
