//! The pictures hold the marks the numbers call for: read back from the
//! SVG (its classes and `data-` attributes), each compared with the
//! analysis, the simulation or the ledger status it was drawn from.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use quick_xml::events::Event;
use std::collections::HashMap;
use truce_engine::analysis::density::{density, DENSITY_PACKAGES};
use truce_engine::analysis::{analyze, Analysis, AnalysisOptions};
use truce_engine::generate::{generate, Shape};
use truce_engine::{parse_scenario, Scenario};
use truce_pictures::{compare, frontier, simulation, support, timeline};

/// Every element of an SVG: its name and attributes.
fn elements(svg: &str) -> Vec<(String, HashMap<String, String>)> {
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut out = Vec::new();
    loop {
        match reader.read_event().expect("well-formed SVG") {
            Event::Start(e) | Event::Empty(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        (
                            String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                            a.unescape_value().unwrap().into_owned(),
                        )
                    })
                    .collect();
                out.push((name, attrs));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// The elements whose class list holds `class`.
fn with_class<'a>(
    els: &'a [(String, HashMap<String, String>)],
    class: &str,
) -> Vec<&'a HashMap<String, String>> {
    els.iter()
        .filter(|(_, a)| {
            a.get("class")
                .is_some_and(|c| c.split_whitespace().any(|x| x == class))
        })
        .map(|(_, a)| a)
        .collect()
}

fn num(a: &HashMap<String, String>, key: &str) -> f64 {
    a.get(key)
        .unwrap_or_else(|| panic!("no {key} in {a:?}"))
        .parse()
        .unwrap()
}

fn example() -> Scenario {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/ukraine-2025.toml"
    ))
    .unwrap();
    parse_scenario(&text).unwrap()
}

fn small(seed: u64, parties: usize, options: Vec<u16>, plans: usize, linkages: usize) -> Scenario {
    generate(
        &Shape {
            parties,
            options,
            plans,
            linkages,
            red_lines: 1,
            ..Shape::default()
        },
        seed,
    )
    .unwrap()
}

fn analysed(s: &Scenario) -> Analysis {
    analyze(s, &AnalysisOptions::default()).unwrap()
}

/// The frontier picture of two parties: one mark per distinct pair of
/// their utilities on the frontier, together standing for every frontier
/// package; plans, solutions and walk-away lines where the analysis puts
/// them.
fn check_frontier(s: &Scenario, a: &Analysis, x: usize, y: usize) {
    let d = density(s, a, x, y, 20).unwrap();
    let svg = frontier::frontier(s, a, x, y, Some(&d))
        .unwrap()
        .into_string();
    let els = elements(&svg);
    let (kx, ky) = (a.valued_pos(x).unwrap(), a.valued_pos(y).unwrap());
    let marks = with_class(&els, "frontier")
        .into_iter()
        .filter(|m| m.contains_key("data-packages"))
        .collect::<Vec<_>>();
    let packages: f64 = marks.iter().map(|m| num(m, "data-packages")).sum();
    assert_eq!(packages as usize, a.pareto.len());
    let mut distinct: Vec<(u64, u64)> = a
        .pareto
        .iter()
        .map(|p| (p.utilities[kx].to_bits(), p.utilities[ky].to_bits()))
        .collect();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(marks.len(), distinct.len());
    for p in &a.pareto {
        assert!(
            marks
                .iter()
                .any(|m| (num(m, "data-x") - p.utilities[kx]).abs() < 1e-6
                    && (num(m, "data-y") - p.utilities[ky]).abs() < 1e-6),
            "frontier package {} has no mark",
            p.index
        );
    }
    let plans = with_class(&els, "plan");
    assert_eq!(plans.len(), a.plans.len());
    for r in &a.plans {
        let g = plans
            .iter()
            .find(|g| g["data-plan"] == s.plans[r.plan].id)
            .unwrap();
        let ux = r.parties.iter().find(|v| v.party == x).unwrap().utility;
        let uy = r.parties.iter().find(|v| v.party == y).unwrap().utility;
        assert!((num(g, "data-x") - ux).abs() < 1e-6 && (num(g, "data-y") - uy).abs() < 1e-6);
        assert_eq!(g["data-feasible"], r.feasible().to_string());
    }
    let solutions = with_class(&els, "solution");
    for (key, p) in [
        ("nash", &a.solutions.nash),
        ("kalai_smorodinsky", &a.solutions.kalai_smorodinsky),
        ("utilitarian", &a.solutions.utilitarian),
        ("egalitarian", &a.solutions.egalitarian),
        (
            "best_offer",
            &a.best_offer.as_ref().map(|b| b.point.clone()),
        ),
    ] {
        let found = solutions.iter().find(|m| m["data-solution"] == key);
        match p {
            None => assert!(found.is_none(), "{key} drawn though there is none"),
            Some(p) => {
                let m = found.unwrap_or_else(|| panic!("{key} not drawn"));
                assert!((num(m, "data-x") - p.utilities[kx]).abs() < 1e-6);
                assert!((num(m, "data-y") - p.utilities[ky]).abs() < 1e-6);
            }
        }
    }
    let lines = with_class(&els, "reservation");
    for (party, k) in [(x, kx), (y, ky)] {
        let l = lines
            .iter()
            .find(|l| l["data-party"] == s.parties[party].id)
            .unwrap();
        assert!((num(l, "data-value") - a.parties[k].reservation).abs() < 1e-6);
    }
    // The shading counts every feasible package once.
    let shaded: f64 = with_class(&els, "density")
        .iter()
        .map(|c| num(c, "data-count"))
        .sum();
    assert_eq!(shaded as u64, d.feasible);
}

#[test]
fn the_example_frontier_shows_what_the_analysis_reports() {
    let s = example();
    let a = analysed(&s);
    let (x, y) = (a.bargaining[0], a.bargaining[1]);
    check_frontier(&s, &a, x, y);
    // A pair that includes a party without a veto (its utilities are
    // projected, the marks still account for every frontier package).
    check_frontier(&s, &a, a.valued[0], a.bargaining[1]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn frontier_pictures_of_small_scenarios(seed in 0u64..10_000, parties in 2usize..4, plans in 0usize..3, linkages in 0usize..2) {
        let s = small(seed, parties, vec![3, 4, 2, 3], plans, linkages);
        let a = analysed(&s);
        check_frontier(&s, &a, a.bargaining[0], a.bargaining[1]);
    }

    /// The density counted whole matches the analysis's own count of the
    /// feasible set, and its extent holds exactly the feasible utilities.
    #[test]
    fn density_counts_the_feasible_set(seed in 0u64..10_000, linkages in 0usize..2) {
        let s = small(seed, 3, vec![4, 3, 5, 2], 1, linkages);
        let a = analysed(&s);
        let d = density(&s, &a, a.bargaining[0], a.bargaining[2], 10).unwrap();
        prop_assert!(!d.sampled);
        prop_assert_eq!(d.examined, a.outcomes);
        prop_assert_eq!(d.feasible, a.feasible_count);
        prop_assert_eq!(d.counts.iter().sum::<u64>(), a.feasible_count);
        if let Some(((x0, _), (x1, _))) = d.extent {
            let k = a.valued_pos(a.bargaining[0]).unwrap();
            prop_assert_eq!(Some(x1), a.parties[k].best_feasible);
            prop_assert!(x0 <= x1);
        } else {
            prop_assert_eq!(a.feasible_count, 0);
        }
    }
}

#[test]
fn a_large_space_is_sampled_and_says_so() {
    let s = small(7, 3, vec![6; 8], 1, 0);
    let a = analysed(&s);
    assert!(a.outcomes > DENSITY_PACKAGES);
    let d = density(&s, &a, a.bargaining[0], a.bargaining[1], 30).unwrap();
    assert!(d.sampled);
    assert_eq!(d.examined, DENSITY_PACKAGES);
    let share = d.feasible as f64 / d.examined as f64;
    let truth = a.feasible_count as f64 / a.outcomes as f64;
    // 250,000 draws: the share is within a few standard errors.
    assert!((share - truth).abs() < 0.01, "{share} against {truth}");
    let svg = frontier::frontier(&s, &a, a.bargaining[0], a.bargaining[1], Some(&d))
        .unwrap()
        .into_string();
    assert!(svg.contains("sampled"));
    // No mark per package: at most a cell per grid square and the frontier.
    assert!(elements(&svg).len() < 30 * 30 + frontier::MAX_FRONTIER_MARKS + 100);
}

#[test]
fn a_huge_frontier_is_drawn_at_the_pictures_resolution() {
    // Two parties, exactly opposed on every issue: every package is
    // Pareto-optimal.
    let mut p = Vec::new();
    for i in 0..5_000u32 {
        let x = f64::from(i) / 5_000.0;
        p.push(truce_engine::analysis::Point {
            index: u64::from(i),
            package: Vec::new(),
            utilities: vec![x, 1.0 - x],
        });
    }
    let marks = frontier::frontier_marks(&p, 0, 1);
    assert!(marks.len() <= frontier::MAX_FRONTIER_MARKS);
    assert_eq!(marks.iter().map(|m| m.packages).sum::<u64>(), 5_000);
}

#[test]
fn support_bars_are_each_partys_utility_of_each_plan() {
    let s = example();
    let a = analysed(&s);
    let svg = support::support(&s, &a).unwrap().into_string();
    let els = elements(&svg);
    let plans = with_class(&els, "plan");
    assert_eq!(plans.len(), s.plans.len());
    let bars = with_class(&els, "support");
    assert_eq!(bars.len(), a.plans.len() * a.valued.len());
    let mut i = 0;
    for r in &a.plans {
        for v in &r.parties {
            let b = bars[i];
            i += 1;
            assert_eq!(b["data-party"], s.parties[v.party].id);
            assert!((num(b, "data-utility") - v.utility).abs() < 1e-6);
            assert!((num(b, "data-reservation") - v.reservation).abs() < 1e-6);
            assert_eq!(b["data-acceptable"], v.acceptable.to_string());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// The side-by-side picture shows every issue, the engine's gain for
    /// each changed one (none for the others) and the whole difference.
    #[test]
    fn plans_side_by_side_show_the_engines_comparison(seed in 0u64..10_000, linkages in 0usize..2) {
        let s = small(seed, 3, vec![3, 4, 2, 3, 5], 2, linkages);
        let c = truce_engine::compare::compare(&s, 0, 1).unwrap();
        let svg = compare::side_by_side(&s, 0, 1).unwrap().into_string();
        let els = elements(&svg);
        let provisions = with_class(&els, "provision");
        prop_assert_eq!(provisions.len(), s.issues.len());
        let deltas = with_class(&els, "delta");
        let v = c.valued.len();
        prop_assert_eq!(deltas.len(), (s.issues.len() + 1) * v);
        for (j, d) in deltas.iter().enumerate() {
            let (row, k) = (j / v, j % v);
            let want = if row == s.issues.len() {
                c.difference[k]
            } else {
                c.changes.iter().find(|x| x.issue == row).map_or(0.0, |x| x.gains[k])
            };
            prop_assert!((num(d, "data-delta") - want).abs() < 1e-6);
            prop_assert_eq!(&d["data-party"], &s.parties[c.valued[k]].id);
        }
        for (i, g) in provisions.iter().enumerate() {
            let changed = c.changes.iter().any(|x| x.issue == i);
            prop_assert_eq!(&g["data-changed"], &changed.to_string());
        }
    }
}

#[test]
fn the_same_plan_twice_is_no_comparison() {
    let s = example();
    assert!(compare::side_by_side(&s, 0, 0).is_none());
    assert!(compare::side_by_side(&s, 0, 99).is_none());
}

#[test]
fn simulation_pictures_hold_the_summarys_shares() {
    let s = example();
    let mut c = truce_sim::Config::from_scenario(&s);
    c.set(&truce_engine::simulation::Setting::runs(300).unwrap());
    let report = truce_sim::simulate(&s, &c, &s.simulation.vary, &|_| {}).unwrap();
    let m = &report.summary;
    let odds = elements(&simulation::odds(&s, m).into_string());
    let before = with_class(&odds, "odds")
        .into_iter()
        .find(|g| g["data-kind"] == "before_deadline")
        .unwrap();
    assert!((num(before, "data-p") - m.p_agreement_before_deadline).abs() < 1e-6);
    let endings = with_class(&odds, "ending");
    assert_eq!(endings.len(), m.endings.len());
    let outcomes = elements(&simulation::outcomes(&s, m).into_string());
    for (issue, shares) in &m.outcomes {
        let _ = issue;
        for (option, share) in shares.iter().filter(|(_, p)| **p > 0.0) {
            assert!(with_class(&outcomes, "outcome").iter().any(
                |r| &r["data-option"] == option && (num(r, "data-share") - share).abs() < 1e-6
            ));
        }
    }
    // Each issue's bar adds up to all runs: the options and no deal.
    let total: f64 = with_class(&outcomes, "outcome")
        .iter()
        .map(|r| num(r, "data-share"))
        .sum();
    assert!(
        // Each share is written to six decimals.
        (total - m.outcomes.len() as f64).abs() < 1e-4,
        "{total} over {} issues; p_agreement {}: {:?}",
        m.outcomes.len(),
        m.p_agreement,
        m.outcomes
    );
    let variations = elements(&simulation::variations(&report).unwrap().into_string());
    let bars = with_class(&variations, "variant");
    assert_eq!(bars.len(), report.variants.len());
    for (b, v) in bars.iter().zip(&report.variants) {
        assert_eq!(b["data-parameter"], v.parameter);
        assert_eq!(b["data-value"], v.value);
        assert!((num(b, "data-p") - v.summary.p_agreement_before_deadline).abs() < 1e-6);
    }
}

#[test]
fn the_ledger_timeline_draws_every_term_violation_and_deadline() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/ukraine-2025.ledger.jsonl"
    ))
    .unwrap();
    let records = truce_ledger::read_jsonl(&text).unwrap();
    let at: truce_ledger::When = "2025-04-25".parse().unwrap();
    let status = truce_ledger::status_at(&records, at);
    let svg = timeline::timeline(&records, &status).unwrap().into_string();
    let els = elements(&svg);
    let rows = with_class(&els, "commitment");
    let want: usize = status
        .commitments
        .iter()
        .map(|c| c.terms.len().max(1))
        .sum();
    assert_eq!(rows.len(), want);
    // Disputed terms: one row per claimed version.
    assert!(status.commitments.iter().any(|c| c.terms.len() > 1));
    let marks = with_class(&els, "violation");
    let reported: Vec<&truce_ledger::Violation> = status
        .commitments
        .iter()
        .flat_map(|c| {
            c.violations
                .iter()
                .chain(&c.reports_outside_term)
                .chain(&c.reports_across_term_edge)
        })
        .collect();
    assert_eq!(marks.len(), reported.len());
    for v in reported {
        let m = marks.iter().find(|m| m["data-id"] == v.id).unwrap();
        assert_eq!(
            num(m, "data-sources") as usize,
            v.support.independent_sources
        );
    }
    let counted = marks
        .iter()
        .filter(|m| !m["class"].contains("outside") && !m["class"].contains("across"))
        .count();
    assert_eq!(
        counted,
        status
            .commitments
            .iter()
            .map(|c| c.violations.len())
            .sum::<usize>()
    );
    let deadlines = with_class(&els, "deadline");
    let recorded = records
        .iter()
        .filter(|r| matches!(r, truce_ledger::Record::Deadline { .. }))
        .count();
    assert_eq!(deadlines.len(), recorded);
    assert_eq!(with_class(&els, "promise").len(), status.promises.len());
    assert_eq!(
        with_class(&els, "unfulfilled").len(),
        status.unfulfilled_promises.len()
    );
}
